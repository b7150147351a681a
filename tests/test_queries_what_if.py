"""what_if(): status and severity changes when firms leave, worked out by hand on the tiny chain."""

from __future__ import annotations

import pytest

from graph.errors import NodeNotFound
from queries.gaps import gaps
from queries.what_if import what_if


def changes_by_id(result):
    return {c["segment_id"]: c for c in result["changes"]}


def test_anchor_leaving_the_vehicle_segment(tiny_store):
    before = gaps(tiny_store)
    result = what_if(tiny_store, ["f-veh-a"])
    assert result["removed"] == [{"id": "f-veh-a", "name_zh": "甲汽车", "name_en": "", "is_local": True}]
    changed = changes_by_id(result)
    vehicle = changed["t-vehicle"]
    # Without f-veh-a, t-vehicle has no local firm: weak → missing (g: 0.6 → 1).
    # D = 0 (nothing local downstream); C unchanged = 0.444444; H = 1
    # severity = 0.3·0.444444 + 0.2 = 0.333333 (was 0.2)
    assert (vehicle["status_before"], vehicle["status_after"]) == ("weak", "missing")
    assert (vehicle["severity_before"], vehicle["severity_after"], vehicle["delta"]) == (0.2, 0.333333, 0.133333)
    assert vehicle["status_changed"] and not vehicle["became_gap"]
    # Upstream gaps matter less now: 7 local firms and one anchor (f-cell-a) remain.
    # t-cathode: D = ½·4/7 + ½·1/1 = 0.785714; severity = 0.6·(0.392857 + 0.066667 + 0.2) = 0.395714
    # t-pack: D = 0 → severity = 0.6·(0.233333 + 0.2) = 0.26
    assert changed["t-cathode"]["severity_after"] == 0.395714
    assert changed["t-pack"]["severity_after"] == 0.26
    # status changes first, then by increase in severity
    assert result["changes"][0]["segment_id"] == "t-vehicle"
    assert result["new_gaps"] == []
    assert result["summary"]["status_changed"] == 1 and result["summary"]["worse"] == 1
    # the cached analysis of the store is untouched
    assert gaps(tiny_store) == before


def test_a_strong_segment_turns_weak(tiny_store):
    result = what_if(tiny_store, ["f-cell-c"])
    cell = changes_by_id(result)["t-cell"]
    # Left: f-cell-a and its subsidiary f-cell-b, one corporate group → weak (single_corporate_group)
    assert (cell["status_before"], cell["status_after"], cell["kind_after"]) == ("strong", "weak", "weak")
    assert cell["became_gap"] and cell["severity_before"] is None
    (new,) = result["new_gaps"]
    assert new["segment_id"] == "t-cell" and new["reasons"][0]["code"] == "single_corporate_group"
    assert new["reasons"][0]["group_id"] == "f-cell-a"
    # D: downstream pack-a, veh-a of 7 local firms; anchor veh-a of 2 → ½·2/7 + ½·1/2 = 0.392857
    # C = ½·1 + ½·1 = 1 (the cluster's largest betweenness and dominance); H = 1 (one group)
    # severity = 0.6·(0.196429 + 0.3 + 0.2) = 0.417857
    assert new["components"]["demand"] == 0.392857 and new["components"]["criticality"] == 1.0
    assert new["severity"] == 0.417857
    (h,) = result["health"]
    # solid (present, not weak) segments 2 → 1 of 7: the score drops by 0.2·1/7 = 0.028571; coverage and
    # anchor coverage are unchanged; the cell's 1/G goes 0.5 → 1 (one group left), so the mean rises
    # by 0.5/7 and the last term drops by 0.15·0.5/7 = 0.010714
    assert h["cluster_id"] == "t-nev" and h["score_after"] < h["score_before"]
    assert h["delta"] == pytest.approx(-0.2 / 7 - 0.15 * 0.5 / 7, abs=2e-6)


def test_duplicates_and_unknown_ids(tiny_store):
    assert what_if(tiny_store, ["f-veh-a", "f-veh-a"])["removed"][0]["id"] == "f-veh-a"
    with pytest.raises(NodeNotFound) as err:
        what_if(tiny_store, ["f-veh-b"])
    assert "f-veh-a" in err.value.suggestions
    with pytest.raises(NodeNotFound):
        what_if(tiny_store, ["t-cell"])  # a segment, not a firm


def test_removing_an_outside_firm_changes_no_status(tiny_store):
    result = what_if(tiny_store, ["o-lith-a"])
    assert all(not c["status_changed"] for c in result["changes"])


def test_with_subsidiaries_a_groups_id_removes_its_units_at_every_depth(bundled_store):
    from graph.model import EdgeKind

    parents_of: dict[str, set[str]] = {}
    for e in bundled_store.edges(EdgeKind.SUBSIDIARY_OF):
        parents_of.setdefault(e.source, set()).add(e.target)

    def below(firm_id):  # worked out from the edges, independently of the query
        return {f for f in parents_of if firm_id in _ancestors(f, parents_of)}

    group = max(set().union(*parents_of.values()), key=lambda g: (len(below(g)), g))  # the most units
    alone = what_if(bundled_store, [group])
    whole = what_if(bundled_store, [group], with_subsidiaries=True)
    assert alone["subsidiaries_added"] == []
    assert set(whole["subsidiaries_added"]) == below(group) and len(below(group)) >= 2
    assert {f["id"] for f in whole["removed"]} == {group} | below(group)
    units = sorted(below(group))
    assert whole["changes"] == what_if(bundled_store, [group, *units])["changes"]  # the same as listing them


def _ancestors(firm_id, parents_of):
    seen: set[str] = set()
    todo = [firm_id]
    while todo:
        for parent in parents_of.get(todo.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                todo.append(parent)
    return seen
