"""The analysis on the bundled Changzhou data: the facts a planner would check first.

The bundled data grows; these assertions name only stable ids and look firms up by alias.
"""

from __future__ import annotations

import json

from graph.dataset import Dataset
from graph.memory_store import MemoryStore
from graph.model import Firm
from queries.chain import chain
from queries.gaps import gaps
from queries.health import health_ranking
from queries.what_if import what_if


def firm_by_alias(store, alias: str, local: bool = True) -> str:
    for node in store.nodes("Firm"):
        assert isinstance(node, Firm)
        if node.is_local == local and alias.lower() in (a.lower() for a in (*node.aliases, node.name_en)):
            return node.id
    raise AssertionError(f"no {'local' if local else 'outside'} firm with alias {alias!r}")


def nev_segments(store):
    return {s["id"]: s for s in chain(store, "nev")["segments"]}


def test_battery_cells_are_strong_with_catl_calb_svolt(bundled_store):
    cell = nev_segments(bundled_store)["nev-battery-cell"]
    local = {f["id"] for f in cell["local_firms"]}
    assert {"catl-jiangsu", "calb", "svolt"} <= local
    assert {firm_by_alias(bundled_store, "CATL"), firm_by_alias(bundled_store, "CALB")} <= local
    assert cell["status"] == "strong" and cell["gap_kind"] is None
    assert {"catl-jiangsu", "calb", "svolt"} <= {f["id"] for f in cell["anchor_firms"]}


def test_vehicles_are_strong_with_li_auto_and_byd(bundled_store):
    vehicle = nev_segments(bundled_store)["nev-vehicle"]
    local = {f["id"] for f in vehicle["local_firms"]}
    assert firm_by_alias(bundled_store, "Li Auto") in local
    assert firm_by_alias(bundled_store, "BYD") in local
    assert vehicle["status"] == "strong"


def test_battery_recycling_was_missing_in_2023(bundled_store):
    """As of 2023 (武进's plan: 补齐回收环节) no local firm recycled batteries: a missing link."""
    recycling = {s["id"]: s for s in chain(bundled_store, "nev", year=2023)["segments"]}["nev-recycling"]
    assert recycling["local_firm_count"] == 0 and recycling["status"] == "missing"
    assert "missing" in recycling["gap_kinds"]
    gap = next(g for g in gaps(bundled_store, cluster="nev", year=2023) if g["segment_id"] == "nev-recycling")
    assert 0 < gap["severity"] <= 1 and gap["explanation_zh"].startswith("动力电池回收")
    assert any(g["segment_id"] == "nev-recycling" for g in gaps(bundled_store, kind="missing", year=2023))


def test_battery_recycling_is_still_a_gap_today(bundled_store):
    """Since 2025 one local recycler (厚德) is sourced: still a gap, now a single point of failure (weak)."""
    recycling = nev_segments(bundled_store)["nev-recycling"]
    assert recycling["local_firm_count"] == 1 and recycling["status"] == "weak"
    gap = next(g for g in gaps(bundled_store, cluster="nev") if g["segment_id"] == "nev-recycling")
    assert gap["kind"] == "weak" and 0 < gap["severity"] <= 1
    assert "single_local_firm" in [r["code"] for r in gap["reasons"]]


def test_every_gap_is_well_formed(bundled_store):
    items = gaps(bundled_store)
    assert items, "the bundled data should have gaps"
    assert [(-g["severity"], g["segment_id"]) for g in items] == sorted(
        (-g["severity"], g["segment_id"]) for g in items
    )
    for g in items:
        assert 0 <= g["severity"] <= 1 and g["kind"] in g["kinds"]
        assert g["reasons"] and g["explanation_zh"] and g["explanation_en"]


def test_every_cluster_is_ranked(bundled_store):
    ranking = health_ranking(bundled_store)
    assert len(ranking) == len(bundled_store.nodes("Cluster")) >= 10
    assert all(0 <= h["score"] <= 1 for h in ranking)
    assert len(health_ranking(bundled_store, list_year=2024)) == 10


def test_losing_both_carmakers_breaks_the_vehicle_segment(bundled_store):
    li, byd = firm_by_alias(bundled_store, "Li Auto"), firm_by_alias(bundled_store, "BYD")
    result = what_if(bundled_store, [li, byd])
    vehicle = next(c for c in result["changes"] if c["segment_id"] == "nev-vehicle")
    assert vehicle["status_before"] == "strong" and vehicle["status_after"] in {"weak", "missing"}
    assert vehicle["became_gap"]


def test_answers_do_not_depend_on_insertion_order(bundled: Dataset):
    reversed_ds = Dataset.of(reversed(list(bundled.nodes.values())), reversed(list(bundled.edges.values())))
    a, b = MemoryStore(bundled), MemoryStore(reversed_ds)
    assert json.dumps(gaps(a), ensure_ascii=False) == json.dumps(gaps(b), ensure_ascii=False)
    assert chain(a, "nev") == chain(b, "nev")
