"""health() and health_ranking() worked out by hand."""

from __future__ import annotations

import pytest

from graph.errors import InvalidQuery, NodeNotFound
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.gaps import gaps
from queries.health import health, health_ranking


def test_tiny_chain_health_by_hand(tiny_store):
    h = health(tiny_store, "t-nev")
    # 7 segments; with a local firm: cathode, anode, cell, pack, vehicle → coverage 5/7 = 0.714286
    # with a local anchor: cell, vehicle → 2/7 = 0.285714; weak: cathode, pack, vehicle → 3/7,
    #   so solid (present, not weak): anode, cell → 2/7 = 0.285714
    # 1/G by segment (G local corporate groups; 1 without a local firm): anode 2 groups → 0.5; cell
    #   f-cell-a (with its subsidiary f-cell-b) and f-cell-c → 0.5; the other five 1
    #   → concentration = (0.5 + 0.5 + 5) / 7 = 0.857143
    # score = 0.4·5/7 + 0.25·2/7 + 0.2·2/7 + 0.15·(1 − 6/7)
    #       = 0.285714 + 0.071429 + 0.057143 + 0.021429 = 0.435714
    c = h["components"]
    assert (c["coverage"], c["anchor_coverage"], c["weak_links"], c["weak_share"]) == (0.714286, 0.285714, 3, 0.428571)
    assert (c["solid_share"], c["concentration"]) == (0.285714, 0.857143)
    assert c["hhi"] == 0.8  # the mean 1/G of the five present segments
    assert h["score"] == 0.435714
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
    # t-ess: coverage 1/3, anchor coverage 1/3, solid 1/3 (the system segment, not weak); 1/G: system
    #   two groups → 0.5, the two others 1 → mean 5/6
    #   → 0.4/3 + 0.25/3 + 0.2/3 + 0.15·(1/6) = 0.308333; t-nev as above 0.435714
    assert [(h["rank"], h["cluster_id"], h["score"]) for h in ranking] == [
        (1, "t-nev", 0.435714),
        (2, "t-ess", 0.308333),
    ]
    # t-ess is only on the 2024 list, t-nev only on the 2022 one
    assert [h["cluster_id"] for h in health_ranking(store, list_year=2024)] == ["t-ess"]
    with pytest.raises(InvalidQuery):
        health_ranking(store, list_year=2023)


def test_health_only_falls_as_local_firms_leave(bundled_store):
    from queries.what_if import what_if

    local = sorted(f.id for f in bundled_store.nodes(NodeKind.FIRM) if f.is_local)
    before = {h["cluster_id"]: h["score"] for h in health_ranking(bundled_store)}
    for firm_id in [*local[:: max(1, len(local) // 25)], "catl-jiangsu"]:  # ~25 firms; CATL's unit, one of a group
        for h in what_if(bundled_store, [firm_id])["health"]:
            assert h["delta"] <= 1e-6, f"{h['cluster_id']} health rose when {firm_id} left"
    gone = what_if(bundled_store, local)["health"]
    assert gone and all(h["score_after"] == 0 for h in gone), "no local firm left: every touched cluster scores 0"
    assert {h["cluster_id"] for h in gone} == {c for c, score in before.items() if score > 0}


def test_unknown_cluster(tiny_store):
    with pytest.raises(NodeNotFound):
        health(tiny_store, "t-cell")


def test_top_gaps_carry_the_kinds_resting_only_on_unverified_links(bundled_store, api_client):
    """Each top gap lists ``kinds_unverified`` as its gap does (empty when none): 晶圆制造's 断链 rests only on
    unverified links, 锂资源与锂盐's on sourced ones; the API answers it, and impact's upstream gaps give it too."""
    every = {g["segment_id"]: g for g in gaps(bundled_store)}
    ranking = health_ranking(bundled_store)
    tops = {g["segment_id"]: g for h in ranking for g in h["top_gaps"]}
    for sid, g in tops.items():
        assert isinstance(g["kinds_unverified"], list) and g["kinds_unverified"] == every[sid]["kinds_unverified"], sid
    assert any(g["kind"] in g["kinds_unverified"] for g in tops.values())
    assert any(g["kind"] == "broken_link" and not g["kinds_unverified"] for g in tops.values())
    wafer = next(g for g in health(bundled_store, "electronics")["top_gaps"] if g["segment_id"] == "ele-wafer-fab")
    assert (wafer["kind"], wafer["kinds_unverified"]) == ("broken_link", ["broken_link", "extension"])
    # a 断链 on sourced links (锂资源与锂盐's link to 正极材料 rests only on weak pages since the audit of 2026-12-07)
    foil = next(g for g in health(bundled_store, "nev")["top_gaps"] if g["segment_id"] == "nev-copper-foil")
    assert (foil["kind"], foil["kinds_unverified"]) == ("broken_link", [])
    assert all(g["kinds_unverified"] == [] for g in health(MemoryStore(tiny_city()), "t-nev")["top_gaps"])

    answer = api_client.get("/api/v1/clusters/electronics/health").json()
    assert answer["top_gaps"] == health(bundled_store, "electronics")["top_gaps"]
    ranked = api_client.get("/api/v1/health-ranking", params={"limit": 100}).json()["items"]
    assert {g["segment_id"]: g["kinds_unverified"] for h in ranked for g in h["top_gaps"]} == {
        sid: g["kinds_unverified"] for sid, g in tops.items()
    }
    upstream = api_client.get("/api/v1/segments/nev-battery-cell/impact").json()["upstream_gaps"]
    assert upstream and all(g["kinds_unverified"] == every[g["segment_id"]]["kinds_unverified"] for g in upstream)
