"""impact() of a parent segment covers its sub-segments, and every dependence says how well it is backed.

Review 5 (planner), findings F1 and F3: ``impact nev-auto-chips`` answered "0 downstream segments" although its
sub-segments have supply links and its gap says 8 local firms depend on it; and no impact or segment item said
whether the supply links it rests on are sourced or unverified (chain logic).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from typing import Any

import networkx as nx
import pytest

from chainkg.cli import main
from graph.dataset import Dataset
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Confidence, Edge, EdgeKind, Firm, Position, Role, Segment
from queries.impact import impact
from queries.segment_graph import chain_data
from queries.segments import get_segment
from tests.cli_support import serve_dataset_to_commands

S = ("s-tiny",)
UNVERIFIED = Confidence.UNVERIFIED


def chips_chain() -> Dataset:
    """The tiny chain with a parent segment ``t-chips`` that has one supply link of its own (from ``t-design``)
    and two sub-segments carrying the rest::

        t-design ─▶ t-chips            (the parent's own link)
        t-wafer ─▶ t-chip-mcu ─ ─▶ t-ecu ─▶ t-vehicle        (─ ─ unverified)
                   t-chip-bms ─ ─▶ t-ecu ─ ─▶ t-dash
                   t-chip-bms ─▶ t-pack
    """
    ds = tiny_chain()

    def segment(sid: str, zh: str, en: str, position: str, parent: str = "") -> None:
        ds.add_node(
            Segment(
                id=sid,
                name_zh=zh,
                name_en=en,
                cluster_id="t-nev",
                position=Position(position),
                parent_id=parent,
                sources=S,
            )
        )
        ds.add_edge(Edge(kind=EdgeKind.PART_OF, source=sid, target="t-nev", sources=S))

    segment("t-chips", "芯片", "Chips", "upstream")
    segment("t-chip-mcu", "主控芯片", "MCUs", "upstream", parent="t-chips")
    segment("t-chip-bms", "电池管理芯片", "BMS chips", "upstream", parent="t-chips")
    segment("t-design", "芯片设计", "Chip design", "upstream")
    segment("t-wafer", "晶圆", "Wafers", "upstream")
    segment("t-ecu", "控制器", "Controllers", "midstream")
    segment("t-dash", "仪表", "Dashboards", "midstream")

    def supplies(source: str, target: str, *, sourced: bool = True) -> None:
        extra: dict[str, Any] = {"sources": S} if sourced else {"confidence": UNVERIFIED}
        ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source=source, target=target, **extra))

    supplies("t-design", "t-chips")
    supplies("t-wafer", "t-chip-mcu")
    supplies("t-chip-bms", "t-pack")
    supplies("t-chip-bms", "t-ecu", sourced=False)
    supplies("t-chip-mcu", "t-ecu", sourced=False)
    supplies("t-ecu", "t-vehicle")
    supplies("t-ecu", "t-dash", sourced=False)
    ds.add_node(Firm(id="f-ecu-a", name_zh="甲控制器", is_local=True, sources=S))
    ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source="f-ecu-a", target="t-ecu", role=Role.MAJOR, sources=S))
    return ds


@pytest.fixture(scope="module")
def chips_store() -> MemoryStore:
    return MemoryStore(chips_chain())


def by_id(items: Iterable[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


def test_a_parent_without_links_of_its_own_answers_for_its_sub_segments(chips_store):
    imp = impact(chips_store, "t-chips")
    down = by_id(imp["downstream"])
    assert imp["sub_segments"] == ["t-chip-bms", "t-chip-mcu"] and imp["parent"] is None
    # reached from the nearest part, which `via` names; the subtree itself is never its own dependent
    assert [(d["id"], d["distance"], d["via"]) for d in imp["downstream"]] == [
        ("t-ecu", 1, ["t-chip-bms", "t-chip-mcu"]),
        ("t-pack", 1, ["t-chip-bms"]),
        ("t-dash", 2, ["t-chip-bms", "t-chip-mcu"]),
        ("t-vehicle", 2, ["t-chip-bms", "t-chip-mcu"]),
        ("t-recycling", 3, ["t-chip-bms", "t-chip-mcu"]),
    ]
    # t-ecu is fed by both chips only: cut off without the subtree, although neither part alone dominates it
    assert [d["id"] for d in imp["downstream"] if d["exclusive"]] == ["t-ecu", "t-dash"]
    alone = by_id(impact(chips_store, "t-chip-bms")["downstream"])
    assert alone["t-ecu"]["exclusive"] is False and alone["t-pack"]["exclusive"] is False
    # upstream: the parent's own supplier and its parts' suppliers
    assert [(u["id"], u["distance"]) for u in imp["upstream"]] == [("t-design", 1), ("t-wafer", 1)]
    assert imp["clusters_affected"] == ["t-nev"]
    assert "f-ecu-a" in {f["id"] for f in imp["dependent_firms"]} and down["t-ecu"]["local_firm_count"] == 1
    assert imp["counts"]["downstream_segments"] == 5 and imp["counts"]["exclusive_dependents"] == 2


def test_a_sub_segment_does_not_take_over_its_parents_own_links(chips_store):
    """As in severity, where a sub-segment's D and C are its own: t-design supplies the parent, not the part."""
    imp = impact(chips_store, "t-chip-mcu")
    assert [u["id"] for u in imp["upstream"]] == ["t-wafer"]
    assert imp["parent"]["id"] == "t-chips" and imp["sub_segments"] == []
    assert "t-pack" not in by_id(imp["downstream"])  # a sibling's link is not its own either


def test_each_dependence_says_whether_a_sourced_path_backs_it(chips_store):
    imp = impact(chips_store, "t-chips")
    down = by_id(imp["downstream"])
    backing = {sid: (d["confidence"], d["unverified_links"]) for sid, d in down.items()}
    # t-vehicle: chips-bms → pack → vehicle is sourced all the way, although the nearer path through t-ecu is not
    assert backing == {
        "t-ecu": ("unverified", 1),
        "t-pack": ("sourced", 0),
        "t-dash": ("unverified", 2),
        "t-vehicle": ("sourced", 0),
        "t-recycling": ("sourced", 0),
    }
    assert {u["id"]: u["confidence"] for u in imp["upstream"]} == {"t-design": "sourced", "t-wafer": "sourced"}
    firms = by_id(imp["dependent_firms"])
    assert firms["f-ecu-a"]["confidence"] == "unverified" and firms["f-veh-a"]["confidence"] == "sourced"
    counts = imp["counts"]
    assert counts["downstream_unverified_only"] == 2
    assert counts["dependent_local_firms_unverified_only"] == 1
    assert counts["upstream_unverified_only"] == 0
    # upstream paths are read against the direction of supply
    up = by_id(impact(chips_store, "t-dash")["upstream"])
    assert (up["t-ecu"]["confidence"], up["t-ecu"]["unverified_links"]) == ("unverified", 1)
    assert up["t-wafer"]["unverified_links"] == 2


def test_a_segments_neighbours_carry_the_confidence_of_their_link(chips_store):
    seg = get_segment(chips_store, "t-ecu")
    assert {u["id"]: u["confidence"] for u in seg["upstream"]} == {
        "t-chip-bms": "unverified",
        "t-chip-mcu": "unverified",
    }
    assert {d["id"]: d["confidence"] for d in seg["downstream"]} == {"t-dash": "unverified", "t-vehicle": "sourced"}


def test_the_existing_fields_keep_their_shape(tiny_store):
    """Only fields are added: a segment without sub-segments answers as before, plus the new keys."""
    imp = impact(tiny_store, "t-cell")
    assert [(d["id"], d["distance"], d["exclusive"]) for d in imp["downstream"]] == [
        ("t-pack", 1, True),
        ("t-vehicle", 2, True),
        ("t-recycling", 3, True),
    ]
    old = {"downstream_segments", "exclusive_dependents", "dependent_local_firms", "dependent_anchors"}
    assert old | {"upstream_segments", "upstream_gaps"} <= set(imp["counts"])
    assert imp["downstream"][0]["via"] == ["t-cell"] and imp["sub_segments"] == [] and imp["parent"] is None


# -- the bundled data, against an independent computation --------------------------------------


def _independent(store: MemoryStore, segment_id: str) -> tuple[set[str], set[str], set[str], set[str]]:
    """Downstream, exclusive, upstream and sourced-reachable downstream of a segment's subtree, from the edges."""
    data = chain_data(store)
    graph = nx.DiGraph()
    graph.add_nodes_from(data.segments)
    graph.add_edges_from((e.source, e.target) for e in data.supplies)
    unit = {segment_id}
    todo = [segment_id]
    while todo:
        parent = todo.pop()
        for sid, seg in data.segments.items():
            if seg.parent_id == parent and sid not in unit:
                unit.add(sid)
                todo.append(sid)
    down = set().union(*(nx.descendants(graph, s) for s in unit)) - unit
    up = set().union(*(nx.ancestors(graph, s) for s in unit)) - unit
    sourced = nx.DiGraph()
    sourced.add_nodes_from(data.segments)
    sourced.add_edges_from((e.source, e.target) for e in data.supplies if e.confidence is Confidence.SOURCED)
    sourced_down = set().union(*(nx.descendants(sourced, s) for s in unit)) - unit
    # exclusive: no longer reachable from the chain's sources once the subtree is gone; the sources are the
    # segments of source components of the graph with the subtree merged into one node
    merged = nx.relabel_nodes(graph, dict.fromkeys(unit, segment_id), copy=True)
    merged.remove_edges_from(list(nx.selfloop_edges(merged)))
    cond = nx.condensation(merged)
    starts = {m for c in cond.nodes if cond.in_degree(c) == 0 for m in cond.nodes[c]["members"]} - {segment_id}
    rest = merged.copy()
    rest.remove_node(segment_id)
    reached = set(starts).union(*(nx.descendants(rest, s) for s in starts)) if starts else set()
    exclusive = down - reached
    return down, exclusive, up, sourced_down


PARENTS = ["nev-auto-chips", "ne-pv", "nev-battery-materials", "ele-integrated-circuits", "nm-new-carbon"]


@pytest.mark.parametrize("segment_id", PARENTS)
def test_bundled_parents_match_an_independent_computation(bundled_store, segment_id):
    assert segment_id in chain_data(bundled_store).children, f"{segment_id} has no sub-segments in this data"
    imp = impact(bundled_store, segment_id)
    down, exclusive, up, sourced_down = _independent(bundled_store, segment_id)
    assert {d["id"] for d in imp["downstream"]} == down and down
    assert {d["id"] for d in imp["downstream"] if d["exclusive"]} == exclusive
    assert {u["id"] for u in imp["upstream"]} == up
    assert {d["id"] for d in imp["downstream"] if d["confidence"] == "sourced"} == sourced_down
    assert imp["counts"]["downstream_unverified_only"] == len(down - sourced_down)
    assert set(imp["sub_segments"]) == set(chain_data(bundled_store).subtree[segment_id]) - {segment_id}


def test_auto_chips_no_longer_answers_that_nothing_depends_on_it(bundled_store):
    """The gap says local firms depend on 汽车芯片 downstream; its impact now lists at least those."""
    imp = impact(bundled_store, "nev-auto-chips")
    gap = get_segment(bundled_store, "nev-auto-chips")["gap"]
    assert imp["counts"]["downstream_segments"] > 0
    assert imp["counts"]["dependent_local_firms"] >= gap["components"]["downstream_local_firms"] > 0


def test_cathode_names_its_parent_whose_links_it_does_not_count(bundled_store):
    imp = impact(bundled_store, "nev-cathode")
    parents_suppliers = {u["id"] for u in impact(bundled_store, "nev-battery-materials")["upstream"]}
    assert imp["parent"]["id"] == "nev-battery-materials"
    assert "nev-production-equipment" in parents_suppliers
    assert "nev-production-equipment" not in {u["id"] for u in imp["upstream"]}


# -- the command line --------------------------------------------------------------------------

CJK = re.compile(r"[\u4e00-\u9fff]")


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_cli_shows_the_sub_segments_the_via_column_and_the_confidence(monkeypatch, capsys):
    serve_dataset_to_commands(monkeypatch, chips_chain())
    text = run(capsys, ["impact", "t-chips", "--lang", "en"])
    assert "covers its sub-segments too: t-chip-bms, t-chip-mcu" in text
    assert "of them reached only through unverified links: 2 segments, 1 local firm" in text
    first = [line.split() for line in text.splitlines() if line.split()[:1] == ["1"]]  # one link away
    rows = {next(w for w in words if w.startswith("t-")): " ".join(words) for words in first}
    assert "unverified (1)" in rows["t-ecu"] and "t-chip-bms, t-chip-mcu" in rows["t-ecu"]
    assert "only path" in rows["t-ecu"] and "sourced" in rows["t-pack"]
    added = [line for line in text.splitlines() if "unverified" in line or "sub-segments" in line]
    assert len(added) >= 4 and not any(CJK.search(line) for line in added)  # the fixture's firms have no English
    zh = run(capsys, ["impact", "t-chips"])
    assert "待核实 unverified (1)" in zh and "其中仅经待核实的供应关系到达：2 个环节，1 家本地企业" in zh
    part = run(capsys, ["impact", "t-chip-mcu", "--lang", "en"])
    assert "part of t-chips; the parent's own links are not counted here: chainkg impact t-chips" in part
    body = json.loads(run(capsys, ["impact", "t-chips", "--json"]))
    assert body["counts"]["downstream_unverified_only"] == 2


def test_cli_segment_tables_show_the_link_confidence(bundled_store, capsys):
    body = get_segment(bundled_store, "nev-charging")
    unverified = [u["id"] for u in body["upstream"] if u["confidence"] == "unverified"]
    assert unverified  # the review: all 4 suppliers of nev-charging are unverified in supplies.cross.csv
    lines = run(capsys, ["segment", "nev-charging", "--lang", "en"]).splitlines()
    marked = {line.split()[0] for line in lines if line.split()[:1] and " unverified " in f" {line} "}
    assert set(unverified) <= marked
    assert "待核实 unverified" in run(capsys, ["segment", "nev-charging"])


def test_the_api_answers_the_new_fields(api_client):
    body = api_client.get("/api/v1/segments/nev-auto-chips/impact").json()
    assert body["sub_segments"] and body["counts"]["downstream_segments"] > 0
    assert all(d["confidence"] in {"sourced", "unverified"} for d in body["downstream"])
    segment = api_client.get("/api/v1/segments/nev-charging").json()
    assert all(u["confidence"] in {"sourced", "unverified"} for u in segment["upstream"])


def test_the_segment_view_draws_a_parents_links_from_its_sub_segments(bundled_store):
    """viz/segment.py: the dependents of 汽车芯片 were drawn with no edge to it (its links are its parts')."""
    from viz.segment import gather_segment

    data = gather_segment(bundled_store, "nev-auto-chips")
    imp = data["impact"]
    first = {d["id"] for d in imp["downstream"] if d["distance"] == 1}
    drawn = {(link["source"], link["target"]): link["confidence"] for link in data["supplies"]}
    assert first and {t for s, t in drawn if s == "nev-auto-chips"} == first
    # one drawn edge for several sub-segment links is sourced when any of them is
    sourced = {
        e.target
        for e in chain_data(bundled_store).supplies
        if e.source in imp["sub_segments"] and e.confidence is Confidence.SOURCED
    }
    assert {t for (s, t), c in drawn.items() if s == "nev-auto-chips" and c == "sourced"} == sourced & first
