"""Review 15a, H1, M2 and M5: the what-if answer says what its scores count and what they leave out.

- H1: ``what-if li-auto`` / ``calb`` gave NEV health −0.0003/−0.0004 with no word that health and severity
  count segment coverage, not output, capacity or jobs; firm-level SUPPLIES_TO partners were never named. The
  notes ``coverage_only`` (built from ``segments_left``) and ``supply_partners`` now say so.
- M2: a firm leaving raised unrelated gaps (nev-auto-chips when calb leaves) with no word why: the note
  ``scope_shrinks`` names them and the shrunk denominators of the severity's D term.
- M5: the firm view's what-if panel left out the segments the firm leaves; it now lists them, and the notes.

Expected values come from the store (SUPPLIES_TO edges, each gap's D components), not from the code under test.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.analysis_schemas import WhatIf, WhatIfNote
from chainkg.cli import main
from graph.memory_store import MemoryStore
from graph.model import EdgeKind
from queries.analysis import analyse, analysis_for
from queries.what_if import what_if
from tests.view_support import rendered_view
from viz.firm import WHAT_IF_LEFT_TITLE, WHAT_IF_NOTES_TITLE


def notes_by_code(answer: dict[str, Any]) -> dict[str, dict[str, Any]]:
    codes = [n["code"] for n in answer["notes"]]
    assert len(codes) == len(set(codes)), codes
    return {n["code"]: n for n in answer["notes"]}


def local_partners(store: MemoryStore, firm_id: str) -> set[tuple[str, str]]:
    """(partner, what it loses) for the firm's local SUPPLIES_TO partners, read from the store's edges."""
    found = set()
    for edge in store.edges(EdgeKind.SUPPLIES_TO):
        if edge.target == firm_id and store.node(edge.source).is_local:
            found.add((edge.source, "customer"))
        if edge.source == firm_id and store.node(edge.target).is_local:
            found.add((edge.target, "supplier"))
    return found


# ---- H1: coverage_only ----


def test_a_local_firm_gets_the_coverage_note_built_from_segments_left(bundled_store):
    answer = what_if(bundled_store, ["li-auto"])
    note = notes_by_code(answer)["coverage_only"]
    assert note["firm_ids"] == ["li-auto"]
    own = [s for s in answer["segments_left"] if s["direct"]]
    assert own and note["segment_ids"] == [s["segment_id"] for s in own][: len(note["segment_ids"])]
    vehicle = next(s for s in own if s["segment_id"] == "nev-vehicle")
    nev = next(h for h in answer["health"] if h["cluster_id"] == "nev")
    # Chinese and English, honest about what is counted, with what is left and the health change
    assert note["zh"].startswith("健康度与严重度只计环节覆盖") and "不计产值、产能或就业" in note["zh"]
    assert "not output, capacity or jobs" in note["en"]
    left_zh = f"整车环节仍有 {vehicle['local_firms_after']} 家本地企业、{vehicle['anchors_after']} 家链主"
    assert f"理想汽车常州基地离开后，{left_zh}" in note["zh"]
    assert f"Vehicles still has {vehicle['local_firms_after']} local firm" in note["en"]
    assert vehicle["local_firms_after"] > 0 and vehicle["status_after"] == vehicle["status_before"]
    assert f"故健康度变化小（nev {nev['delta']:+.4f}）" in note["zh"]
    assert f"so health changes little (nev {nev['delta']:+.4f})" in note["en"]


def test_a_group_whose_unit_empties_a_segment_is_not_called_small(bundled_store):
    answer = what_if(bundled_store, ["catl"], with_subsidiaries=True)
    note = notes_by_code(answer)["coverage_only"]
    emptied = [s for s in answer["segments_left"] if s["direct"] and not s["local_firms_after"]]
    assert emptied, "the data no longer empty a segment when the CATL group leaves"
    assert "故健康度变化小" not in note["zh"] and "changes little" not in note["en"]
    assert f"{emptied[0]['segment_name_zh']}环节不再有本地企业" in note["zh"]
    local = sorted(f["id"] for f in answer["removed"] if f["is_local"])
    assert note["firm_ids"] == local and "catl" not in local


# ---- H1: supply_partners ----


def test_li_auto_names_its_local_supply_partners(bundled_store):
    expected = local_partners(bundled_store, "li-auto")
    assert expected, "the data no longer hold a local SUPPLIES_TO partner of li-auto"
    note = notes_by_code(what_if(bundled_store, ["li-auto"]))["supply_partners"]
    assert {(p["id"], p["loses"]) for p in note["partners"]} == expected
    assert set(note["firm_ids"]) == {pid for pid, _ in expected}
    for partner in note["partners"]:
        edge = next(
            e for e in bundled_store.edges(EdgeKind.SUPPLIES_TO) if {e.source, e.target} == {partner["id"], "li-auto"}
        )
        assert partner["firm_id"] == "li-auto" and partner["confidence"] == edge.confidence.value
        assert partner["sources"] == list(edge.sources)
        node = bundled_store.node(partner["id"])
        assert f"{node.name_zh}（{partner['id']}）" in note["zh"] and f"({partner['id']})" in note["en"]
        lost_zh = "失去客户" if partner["loses"] == "customer" else "失去供应商"
        assert lost_zh in note["zh"] and f"loses a {partner['loses']}" in note["en"]
        if edge.confidence.value == "unverified":
            assert "待核实" in note["zh"] and "unverified" in note["en"]
    # an outside supplier (horizon-robotics) loses a customer too, but is no local firm
    outside = {e.source for e in bundled_store.edges(EdgeKind.SUPPLIES_TO, target="li-auto")} - set(note["firm_ids"])
    assert all(not bundled_store.node(f).is_local for f in outside)


def test_a_partner_removed_with_the_firm_is_not_listed(bundled_store):
    partners = sorted(pid for pid, _ in local_partners(bundled_store, "li-auto"))
    gone = {"li-auto", *partners}
    expected = {p for f in sorted(gone) for p in local_partners(bundled_store, f) if p[0] not in gone}
    answer = what_if(bundled_store, sorted(gone))
    listed = notes_by_code(answer).get("supply_partners", {"partners": []})["partners"]
    assert {(p["id"], p["loses"]) for p in listed} == expected
    assert not {p["id"] for p in listed} & gone


def test_an_outside_firm_gets_neither_note(bundled_store):
    assert not bundled_store.node("ganfeng").is_local
    answer = what_if(bundled_store, ["ganfeng"])
    codes = [n["code"] for n in answer["notes"]]
    assert "coverage_only" not in codes and "supply_partners" not in codes
    assert codes == ["outside_firms"]


# ---- M2: scope_shrinks ----


def test_calb_names_the_gaps_that_rise_only_because_the_totals_shrank(bundled_store):
    answer = what_if(bundled_store, ["calb"])
    before = analysis_for(bundled_store)
    after = analyse(before.data.without_firms(["calb"]), before.structure)
    expected = []
    for c in answer["changes"]:
        sid = c["segment_id"]
        if c["delta"] <= 0 or c["status_changed"] or c["local_firms_before"] != c["local_firms_after"]:
            continue
        b, a = before.gaps[sid].components, after.gaps[sid].components
        same_numerators = all(b[k] == a[k] for k in ("downstream_local_firms", "downstream_anchors"))
        shrank = a["scope_local_firms"] < b["scope_local_firms"] or a["scope_anchors"] < b["scope_anchors"]
        if same_numerators and shrank:
            expected.append(sid)
    assert "nev-auto-chips" in expected, "the data no longer raise nev-auto-chips when calb leaves"
    note = notes_by_code(answer)["scope_shrinks"]
    assert note["segment_ids"] == expected
    assert "nev-auto-chips" in note["zh"] and "nev-auto-chips" in note["en"]
    assert "L_scope" in note["zh"] and "L_scope" in note["en"] and "分母" in note["zh"]
    assert "denominators" in note["en"] and "并非这些环节本身变化" in note["zh"]
    # no gap that fell or whose own firms changed is named
    fell = {c["segment_id"] for c in answer["changes"] if c["delta"] <= 0}
    assert not fell & set(note["segment_ids"])


def test_li_auto_has_no_scope_note_when_nothing_rises(bundled_store):
    answer = what_if(bundled_store, ["li-auto"])
    rises = [c for c in answer["changes"] if c["delta"] > 0]
    assert ("scope_shrinks" in notes_by_code(answer)) == bool(rises)


# ---- the CLI prints the notes ----


def test_the_cli_prints_the_notes_chinese_first(bundled_store, capsys):
    answer = what_if(bundled_store, ["li-auto"])
    assert main(["what-if", "li-auto"]) == 0
    default = capsys.readouterr().out.splitlines()
    assert main(["what-if", "li-auto", "--lang", "en"]) == 0
    english = capsys.readouterr().out.splitlines()
    for note in answer["notes"]:
        assert f"注意：{note['zh']} / note: {note['en']}" in default
        assert f"note: {note['en']}" in english
    assert not any("注意" in line for line in english)


def test_the_cli_json_carries_the_notes(capsys):
    import json

    assert main(["what-if", "calb", "--json"]) == 0
    body = json.loads(capsys.readouterr().out)
    assert {"coverage_only", "scope_shrinks"} <= {n["code"] for n in body["notes"]}


# ---- the API's notes validate against the schema ----


@pytest.mark.parametrize("firm_id", ["li-auto", "calb", "ganfeng"])
def test_the_api_notes_validate_against_the_schema(api_client, bundled_store, firm_id):
    body = api_client.post("/api/v1/what-if", json={"remove": [firm_id]}).json()
    assert body["notes"] == what_if(bundled_store, [firm_id])["notes"]
    WhatIf.model_validate(body)
    for note in body["notes"]:
        model = WhatIfNote.model_validate(note)
        assert model.model_dump(mode="json", exclude_unset=True) == note
    schema = WhatIfNote.model_json_schema()
    for code in ("outside_firms", "coverage_only", "supply_partners", "scope_shrinks"):
        assert f"`{code}`" in schema["description"]


def test_the_api_supply_partner_is_typed(api_client):
    body = api_client.post("/api/v1/what-if", json={"remove": ["li-auto"]}).json()
    note = notes_by_code(body)["supply_partners"]
    model = WhatIfNote.model_validate(note)
    assert model.partners and {p.loses for p in model.partners} <= {"customer", "supplier"}


# ---- M5: the firm view's panel ----


def centre_sections(store: MemoryStore, firm_id: str) -> dict[str, dict[str, Any]]:
    data, _ = rendered_view(store, "firm", firm_id)
    centre = next(n for n in data["nodes"] if n["id"] == firm_id)
    return {s["title"]: s for s in centre["info"]["sections"]}


def test_the_firm_panel_lists_the_segments_li_auto_leaves_and_the_notes(bundled_store):
    answer = what_if(bundled_store, ["li-auto"])
    sections = centre_sections(bundled_store, "li-auto")
    rows = sections[WHAT_IF_LEFT_TITLE[0]]["items"]
    assert sections[WHAT_IF_LEFT_TITLE[0]]["title_en"] == WHAT_IF_LEFT_TITLE[1]
    assert [r["ref"] for r in rows] == [["segment", s["segment_id"]] for s in answer["segments_left"]]
    for row, left in zip(rows, answer["segments_left"], strict=True):
        firms = f"{left['local_firms_before']} → {left['local_firms_after']}"
        anchors = f"{left['anchors_before']} → {left['anchors_after']}"
        assert f"本地企业 local firms {firms}" in row["detail"] and f"链主 anchors {anchors}" in row["detail"]
        assert f"local firms {firms} · anchors {anchors}" in row["detail_en"] and "链主" not in row["detail_en"]
        assert row["text"] == left["segment_name_zh"] and row["text_en"] == left["segment_name_en"]
    notes = sections[WHAT_IF_NOTES_TITLE[0]]["items"]
    texts_en = [i["text_en"] for i in notes]
    for note in answer["notes"]:
        assert note["en"] in texts_en
        assert f"{note['zh']} {note['en']}" in [i["text"] for i in notes]
    partners = {pid for pid, _ in local_partners(bundled_store, "li-auto")}
    assert {i["ref"][1] for i in notes if i.get("ref")} == partners


def test_the_panel_of_an_outside_firm_is_unchanged(bundled_store):
    sections = centre_sections(bundled_store, "ganfeng")
    assert WHAT_IF_LEFT_TITLE[0] not in sections and WHAT_IF_NOTES_TITLE[0] not in sections


def test_supply_partners_follow_the_as_of_year() -> None:
    """A supply link dated after the as-of year did not hold yet: its partner loses nothing then."""
    from graph.fixtures import tiny_chain
    from graph.model import Edge

    dataset = tiny_chain()
    dataset.add_edge(Edge(kind=EdgeKind.SUPPLIES_TO, source="f-cell-a", target="f-veh-a", year=2024, sources=("s",)))
    store = MemoryStore(dataset)

    def partners(year: int | None) -> list[str]:
        notes = what_if(store, ["f-veh-a"], year)["notes"]
        return [p["id"] for n in notes if n["code"] == "supply_partners" for p in n["partners"]]

    assert partners(None) == ["f-cell-a"] and partners(2025) == ["f-cell-a"]
    assert partners(2020) == []
