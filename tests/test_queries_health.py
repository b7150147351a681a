"""health() and health_ranking() worked out by hand."""

from __future__ import annotations

import pytest

from graph.errors import InvalidQuery, NodeNotFound
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from queries.health import health, health_ranking


def test_tiny_chain_health_by_hand(tiny_store):
    h = health(tiny_store, "t-nev")
    # 7 segments; with a local firm: cathode, anode, cell, pack, vehicle → coverage 5/7 = 0.714286
    # with a local anchor: cell, vehicle → 2/7 = 0.285714; weak: cathode, pack, vehicle → 3/7
    # local firms per segment [0, 1, 2, 3, 1, 1, 0] of 8 → HHI = (1+4+9+1+1)/64 = 0.25,
    #   normalised (0.25 − 1/7)/(1 − 1/7) = 0.125
    # score = 0.4·0.714286 + 0.25·0.285714 + 0.2·(1 − 3/7) + 0.15·(1 − 0.125)
    #       = 0.285714 + 0.071429 + 0.114286 + 0.13125 = 0.602679
    c = h["components"]
    assert (c["coverage"], c["anchor_coverage"], c["weak_links"], c["weak_share"]) == (0.714286, 0.285714, 3, 0.428571)
    assert (c["hhi"], c["concentration"]) == (0.25, 0.125)
    assert h["score"] == 0.602679
    assert sum(h["weighted"].values()) == pytest.approx(h["score"], abs=2e-6)
    assert h["counts"] == {
        "segments": 7,
        "present": 5,
        "strong": 1,
        "weak": 3,
        "missing": 2,
        "anchor_segments": 2,
        "local_firms": 8,
        "gaps": 5,
    }
    assert [g["segment_id"] for g in h["top_gaps"]] == ["t-lithium", "t-cathode", "t-pack"]


def test_ranking_by_hand():
    store = MemoryStore(tiny_city())
    ranking = health_ranking(store)
    # t-ess: coverage 1/3, anchor coverage 1/3, no weak link, all local firms in one segment
    #   (concentration 1) → 0.4/3 + 0.25/3 + 0.2 + 0 = 0.416667; t-nev as above 0.602679
    assert [(h["rank"], h["cluster_id"], h["score"]) for h in ranking] == [
        (1, "t-nev", 0.602679),
        (2, "t-ess", 0.416667),
    ]
    # t-ess is only on the 2024 list, t-nev only on the 2022 one
    assert [h["cluster_id"] for h in health_ranking(store, list_year=2024)] == ["t-ess"]
    with pytest.raises(InvalidQuery):
        health_ranking(store, list_year=2023)


def test_unknown_cluster(tiny_store):
    with pytest.raises(NodeNotFound):
        health(tiny_store, "t-cell")
