"""Review 8, findings 5 and 10: what-if's outside-firm note, and a dependent's distance over unverified links.

- Finding 5: ``what-if ganfeng`` (CLI and API) pointed to ``--with-subsidiaries`` / ``with_subsidiaries``
  although ganfeng has no subsidiary in the data. The option is now offered only for an outside firm with
  local subsidiaries, naming them; of the others the note says they have none here.
- Finding 10: the segment view and ``impact`` gave nev-recycling as 1 step downstream of nev-battery-cell, unmarked,
  although that one link is unverified and the only sourced path takes 2 steps. ``distance`` still counts every
  link; ``sourced_distance`` counts sourced links only, and the texts name both when they differ.
"""

from __future__ import annotations

from typing import Any

import networkx as nx
import pytest

from chainkg.cli import main
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Confidence, Edge, EdgeKind
from queries.impact import distance_words, impact
from queries.segment_graph import chain_data
from queries.what_if import what_if
from viz.parts import UNVERIFIED_MARK
from viz.segment import gather_segment, segment_network

WHAT_DEPENDS = "依赖它的环节 What depends on it"


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def note_lines(out: str) -> list[str]:
    """The printed notes on outside firms: ``note: …`` in English, ``注意：… / note: …`` by default (review 15a)."""
    return [line for line in out.splitlines() if line.startswith(("note:", "注意：")) and "outside Changzhou" in line]


# ---- finding 5: what-if on an outside firm ----


def test_an_outside_firm_without_subsidiaries_is_not_offered_the_option(bundled_store, api_client, capsys):
    [note] = what_if(bundled_store, ["ganfeng"])["notes"]
    assert note["local_subsidiaries"] == {"ganfeng": []}
    assert "with_subsidiaries" not in note["en"] + note["zh"]
    assert note["en"].startswith("ganfeng is outside Changzhou and has no subsidiary here in the data")
    assert "数据中也没有其在常子公司" in note["zh"]
    [api_note] = api_client.post("/api/v1/what-if", json={"remove": ["ganfeng"]}).json()["notes"]
    assert api_note == note
    [line] = note_lines(run(capsys, ["what-if", "ganfeng"]))
    assert "--with-subsidiaries" not in line and "has no subsidiary here in the data" in line
    assert "数据中也没有其在常子公司" in line


def test_a_group_with_local_units_is_offered_the_option_with_their_names(bundled_store, capsys):
    [note] = what_if(bundled_store, ["catl"])["notes"]
    units = note["local_subsidiaries"]["catl"]
    # brunp, CATL's subsidiary outside Changzhou, is no unit here
    assert units == ["catl-jiangsu", "saic-catl-cells"]
    assert note["en"].endswith(
        "with_subsidiaries also removes the units here of catl (2: catl-jiangsu, saic-catl-cells)"
    )
    assert note["zh"].endswith(
        "with_subsidiaries 可连同 catl 的在常子公司（2 家：catl-jiangsu、saic-catl-cells）一并去掉"
    )
    [line] = note_lines(run(capsys, ["what-if", "catl"]))
    assert "--with-subsidiaries also removes the units here of catl (2: catl-jiangsu, saic-catl-cells)" in line
    # and asked for, they are removed: no note is left
    asked = what_if(bundled_store, ["catl"], with_subsidiaries=True)
    assert set(units) <= set(asked["subsidiaries_added"])
    assert [n for n in asked["notes"] if n["code"] == "outside_firms"] == []


def test_a_mixed_list_names_which_firms_have_units_here(bundled_store, capsys):
    [note] = what_if(bundled_store, ["ganfeng", "catl"])["notes"]
    assert note["firm_ids"] == ["catl", "ganfeng"]
    assert "units here of catl (2: " in note["en"] and "of ganfeng" not in note["en"]
    assert note["en"].endswith("; ganfeng has no subsidiary here in the data")
    assert note["zh"].endswith("；数据中没有 ganfeng 的在常子公司")
    [line] = note_lines(run(capsys, ["what-if", "ganfeng", "catl", "--lang", "en"]))
    assert line.startswith("note: catl, ganfeng are outside Changzhou") and "--with-subsidiaries also" in line
    assert "不是" not in line


def test_asking_for_subsidiaries_of_a_firm_without_any_says_so(bundled_store, capsys):
    [note] = what_if(bundled_store, ["ganfeng"], with_subsidiaries=True)["notes"]
    assert "has no subsidiary in the data" in note["en"] and "with_subsidiaries" not in note["en"]
    [line] = note_lines(run(capsys, ["what-if", "ganfeng", "--with-subsidiaries", "--lang", "en"]))
    assert "--with-subsidiaries" not in line and "has no subsidiary in the data" in line


# ---- finding 10: a dependent's distance over sourced links ----


def test_the_battery_cell_dependents_distance_over_sourced_links(bundled_store):
    imp = impact(bundled_store, "nev-battery-cell")
    down = {d["id"]: d for d in imp["downstream"]}
    recycling = down["nev-recycling"]
    assert (recycling["distance"], recycling["sourced_distance"], recycling["confidence"]) == (1, 2, "sourced")
    assert down["nev-vehicle"]["sourced_distance"] == down["nev-vehicle"]["distance"] == 1
    # checked by hand over the data's SUPPLIES links
    graph = nx.DiGraph()
    for e in chain_data(bundled_store).supplies:
        if e.confidence is Confidence.SOURCED:
            graph.add_edge(e.source, e.target)
    for d in imp["downstream"]:
        try:
            expected: int | None = nx.shortest_path_length(graph, "nev-battery-cell", d["id"])
        except (nx.NetworkXNoPath, nx.NodeNotFound):
            expected = None
        assert d["sourced_distance"] == expected, d["id"]
        assert (expected is None) == (d["confidence"] == "unverified"), d["id"]
        assert expected is None or expected >= d["distance"]


def test_impact_api_and_its_schema_carry_sourced_distance(api_client):
    live = api_client.get("/api/v1/segments/nev-battery-cell/impact").json()
    assert {d["id"]: d["sourced_distance"] for d in live["downstream"]}["nev-recycling"] == 2
    schema = api_client.get("/openapi.json").json()["components"]["schemas"]["ImpactDownstream"]
    assert "sourced_distance" in schema["properties"]


def test_distance_words_name_both_distances_only_when_they_differ():
    assert distance_words({"distance": 1, "sourced_distance": 2}) == (
        "1 步（待核实），经已证实的供应 2 步",
        "1 step (unverified); 2 steps over sourced supply",
    )
    assert distance_words({"distance": 3, "sourced_distance": 3}) == ("3 步", "3 steps")
    assert distance_words({"distance": 2, "sourced_distance": None}) == ("2 步", "2 steps")


def dependents(net: Any, segment_id: str) -> dict[str, dict[str, Any]]:
    [section] = [s for s in net.node_map[segment_id]["info"]["sections"] if s["title"] == WHAT_DEPENDS]
    return {item["ref"][1]: item for item in section["items"]}


def test_the_segment_view_marks_the_unverified_nearest_link(bundled_store):
    net = segment_network(gather_segment(bundled_store, "nev-battery-cell"))
    items = dependents(net, "nev-battery-cell")
    recycling = items["nev-recycling"]
    assert "1 步（待核实），经已证实的供应 2 步" in recycling["text"]
    assert "1 step (unverified); 2 steps over sourced supply" in recycling["text_en"]
    # a dependent whose nearest path is sourced keeps the plain distance
    assert items["nev-vehicle"]["text"].startswith("整车 · 1 步 steps") and "待核实" not in items["nev-vehicle"]["text"]
    # the node's relation field says the same
    [relation] = [f for f in net.node_map["nev-recycling"]["info"]["fields"] if f[0] == "关系 Relation"]
    assert "1 步（待核实），经已证实的供应 2 步" in relation[1]
    assert "1 step (unverified); 2 steps over sourced supply" in relation[2]
    # rests only on unverified links: the old mark, no sourced distance
    only = [i for i in items.values() if i["text"].endswith(UNVERIFIED_MARK[0])]
    assert only and all("经已证实" not in i["text"] for i in only)


def test_tiny_chain_unverified_shortcut():
    # t-cell -> t-recycling as an unverified shortcut: 1 link, the sourced path t-cell -> pack -> vehicle
    # -> recycling takes 3
    data = tiny_chain()
    data.add_edge(
        Edge(
            kind=EdgeKind.SUPPLIES,
            source="t-cell",
            target="t-recycling",
            confidence=Confidence.UNVERIFIED,
            sources=("s-tiny",),
        )
    )
    store = MemoryStore(data)
    down = {d["id"]: d for d in impact(store, "t-cell")["downstream"]}
    assert (down["t-recycling"]["distance"], down["t-recycling"]["sourced_distance"]) == (1, 3)
    assert down["t-recycling"]["confidence"] == "sourced"
    assert (down["t-pack"]["distance"], down["t-pack"]["sourced_distance"]) == (1, 1)
