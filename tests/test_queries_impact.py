"""impact(): downstream dependants (transitively), exclusive dependence, and upstream gaps."""

from __future__ import annotations

import pytest

from graph.errors import NodeNotFound
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from queries.impact import impact


def test_cell_in_the_tiny_chain(tiny_store):
    imp = impact(tiny_store, "t-cell")
    # every supply path to pack, vehicle and recycling runs through t-cell
    assert [(d["id"], d["distance"], d["exclusive"]) for d in imp["downstream"]] == [
        ("t-pack", 1, True),
        ("t-vehicle", 2, True),
        ("t-recycling", 3, True),
    ]
    # local firms downstream: f-pack-a and the anchor f-veh-a (anchors first)
    assert [(f["id"], f["is_anchor"]) for f in imp["dependent_firms"]] == [("f-veh-a", True), ("f-pack-a", False)]
    assert [(u["id"], u["distance"]) for u in imp["upstream"]] == [("t-anode", 1), ("t-cathode", 1), ("t-lithium", 2)]
    assert [(g["segment_id"], g["kind"]) for g in imp["upstream_gaps"]] == [
        ("t-lithium", "missing"),
        ("t-cathode", "weak"),
    ]
    assert imp["counts"] == {
        "downstream_segments": 3,
        "exclusive_dependents": 3,
        "dependent_local_firms": 2,
        "dependent_anchors": 1,
        "upstream_segments": 3,
        "upstream_gaps": 2,
        "downstream_unverified_only": 0,  # every link of the tiny chain is sourced
        "dependent_local_firms_unverified_only": 0,
        "upstream_unverified_only": 0,
    }
    assert [f["id"] for f in imp["local_firms"]] == ["f-cell-a", "f-cell-b", "f-cell-c"]


def test_impact_crosses_clusters():
    imp = impact(MemoryStore(tiny_city()), "t-cell")
    down = {d["id"]: d for d in imp["downstream"]}
    # t-ess-system is also fed by t-ess-bms, so it does not depend on t-cell exclusively
    assert down["t-ess-system"]["distance"] == 1 and down["t-ess-system"]["exclusive"] is False
    assert down["t-ess-station"]["exclusive"] is False
    assert imp["clusters_affected"] == ["t-ess", "t-nev"]
    assert "f-ess-a" in {f["id"] for f in imp["dependent_firms"]}


def test_a_source_has_no_upstream(tiny_store):
    imp = impact(tiny_store, "t-lithium")
    assert imp["upstream"] == [] and imp["downstream"][0] == {
        "id": "t-cathode",
        "name_zh": "正极材料",
        "name_en": "Cathode",
        "cluster_id": "t-nev",
        "position": "upstream",
        "status": "weak",
        "distance": 1,
        "sourced_distance": 1,
        "exclusive": True,
        "local_firm_count": 1,
        "confidence": "sourced",
        "unverified_links": 0,
        "via": ["t-lithium"],
    }
    with pytest.raises(NodeNotFound):
        impact(tiny_store, "t-lith")
