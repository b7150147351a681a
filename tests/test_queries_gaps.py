"""Gap classification and severity on the tiny chain, each number worked out by hand.

The tiny chain (graph/fixtures.py, cluster t-nev)::

    t-lithium ─▶ t-cathode ─▶ t-cell ─▶ t-pack ─▶ t-vehicle ─▶ t-recycling
                 t-anode  ───▶

Local firms (role, corporate group): t-cathode f-cathode-a (member); t-anode f-anode-a (major),
f-anode-b (member); t-cell f-cell-a (anchor, 链主), f-cell-b (major, subsidiary of f-cell-a),
f-cell-c (member); t-pack f-pack-a (major); t-vehicle f-veh-a (anchor, 链主). 8 local firms,
2 anchor firms (f-cell-a, f-veh-a).

Status (queries/presence.py; role weight W = 3·anchor + 2·major + 1·member):
- t-lithium, t-recycling: no local firm                      → missing
- t-cathode: one firm; t-pack: one firm; t-vehicle: one firm → weak (single_local_firm)
- t-anode: 2 groups, W = 2 + 1 = 3 < 5, has a major          → present
- t-cell: groups {f-cell-a, f-cell-b} and {f-cell-c}, W = 3 + 2 + 1 = 6 ≥ 5 → strong

Betweenness (directed, pairs (s, t) whose only path runs through v; n = 7, scale 1/((n−1)(n−2)) = 1/30):
- t-cathode: s = lithium, t ∈ {cell, pack, vehicle, recycling}            → 4/30
- t-cell: s ∈ {lithium, cathode, anode}, t ∈ {pack, vehicle, recycling}   → 9/30 (the cluster's max)
- t-pack: s ∈ {lithium, cathode, anode, cell}, t ∈ {vehicle, recycling}   → 8/30
- t-vehicle: s ∈ {lithium, cathode, anode, cell, pack}, t = recycling     → 5/30
scaled by the max 9/30: cathode 4/9, cell 1, pack 8/9, vehicle 5/9, others 0.

Dominators (virtual root → t-lithium, t-anode): lithium dominates {cathode}; cathode nothing (cell
is also fed by anode); cell {pack, vehicle, recycling}; pack {vehicle, recycling}; vehicle
{recycling}. Scaled by the max (3): lithium 1/3, cell 1, pack 2/3, vehicle 1/3.
"""

from __future__ import annotations

import pytest

from graph.errors import InvalidQuery, NodeNotFound
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from graph.synth import synth_dataset
from queries.analysis import analyse
from queries.candidates import candidates
from queries.gaps import gaps
from queries.presence import compute_presence
from queries.segment_graph import chain_data, compute_structure
from queries.severity import PRESENCE_FACTOR, WEIGHTS


def by_id(items):
    return {g["segment_id"]: g for g in items}


def test_every_segment_is_classified_as_worked_out(tiny_store):
    found = by_id(gaps(tiny_store))
    assert set(found) == {"t-lithium", "t-cathode", "t-pack", "t-vehicle", "t-recycling"}
    assert {s: g["kind"] for s, g in found.items()} == {
        "t-lithium": "missing",
        "t-cathode": "weak",
        "t-pack": "weak",
        "t-vehicle": "weak",
        "t-recycling": "missing",
    }
    # t-lithium feeds t-cathode, which is weak, not strong: no broken link; t-recycling follows
    # t-vehicle, also weak: no extension. Both are plain missing.
    assert found["t-lithium"]["kinds"] == ["missing"] and found["t-recycling"]["kinds"] == ["missing"]
    for item in found.values():
        if item["kind"] == "weak":
            assert item["reasons"][0]["code"] == "single_local_firm"


def test_lithium_severity_by_hand(tiny_store):
    g = by_id(gaps(tiny_store))["t-lithium"]
    # D: downstream cathode, cell, pack, vehicle, recycling hold 6 of the 8 local firms and both
    #    anchors: D = ½·6/8 + ½·2/2 = 0.875
    # C: betweenness 0 (a source); dominates 1 (cathode) of max 3 → C = ½·0 + ½·1/3 = 0.166667
    # H: no local firm → 1. g = 1.
    # severity = 0.5·0.875 + 0.3·0.166667 + 0.2·1 = 0.4375 + 0.05 + 0.2 = 0.6875
    c = g["components"]
    assert (c["downstream_local_firms"], c["scope_local_firms"]) == (6, 8)
    assert (c["downstream_anchors"], c["scope_anchors"]) == (2, 2)
    assert c["demand"] == 0.875
    assert c["betweenness"] == 0.0 and c["dominated_segments"] == 1 and c["dominance_scaled"] == 0.333333
    assert c["criticality"] == 0.166667
    assert c["concentration"] == 1.0 and c["presence_factor"] == 1.0
    assert g["severity"] == 0.6875


def test_cathode_severity_by_hand(tiny_store):
    g = by_id(gaps(tiny_store))["t-cathode"]
    # D: downstream cell, pack, vehicle, recycling: 5 local firms, 2 anchors → ½·5/8 + ½·2/2 = 0.8125
    # C: betweenness 4/30, scaled 4/9 = 0.444444; dominates nothing → C = ½·0.444444 = 0.222222
    # H: one firm → 1; g = 0.6 (weak)
    # severity = 0.6·(0.5·0.8125 + 0.3·0.222222 + 0.2·1) = 0.6·0.672917 = 0.40375
    c = g["components"]
    assert c["demand"] == 0.8125
    assert c["betweenness"] == round(4 / 30, 6) and c["betweenness_scaled"] == 0.444444
    assert c["criticality"] == 0.222222
    assert c["presence_factor"] == 0.6
    assert g["severity"] == 0.40375


def test_pack_and_vehicle_and_recycling_severity_by_hand(tiny_store):
    found = by_id(gaps(tiny_store))
    # t-pack: D = ½·1/8 + ½·1/2 = 0.3125 (only f-veh-a downstream, an anchor);
    #         C = ½·8/9 + ½·2/3 = 0.777778; severity = 0.6·(0.15625 + 0.233333 + 0.2) = 0.35375
    assert found["t-pack"]["components"]["demand"] == 0.3125
    assert found["t-pack"]["components"]["criticality"] == 0.777778
    assert found["t-pack"]["severity"] == 0.35375
    # t-vehicle: D = 0 (recycling has no local firm); C = ½·5/9 + ½·1/3 = 0.444444;
    #            severity = 0.6·(0 + 0.133333 + 0.2) = 0.2
    assert found["t-vehicle"]["components"]["criticality"] == 0.444444
    assert found["t-vehicle"]["severity"] == 0.2
    # t-recycling: a sink; D = 0, C = 0, H = 1 → severity = 0.2·1 = 0.2
    assert found["t-recycling"]["severity"] == 0.2
    assert found["t-recycling"]["components"]["articulation_point"] is False
    assert found["t-vehicle"]["components"]["articulation_point"] is True


def test_sorted_by_severity_then_id(tiny_store):
    # 0.6875, 0.40375, 0.35375, then the 0.2 tie broken by id: t-recycling < t-vehicle
    assert [g["segment_id"] for g in gaps(tiny_store)] == [
        "t-lithium",
        "t-cathode",
        "t-pack",
        "t-recycling",
        "t-vehicle",
    ]


def test_components_add_up_to_the_severity(tiny_store):
    for g in gaps(tiny_store):
        c = g["components"]
        raw = WEIGHTS["demand"] * c["demand"] + WEIGHTS["criticality"] * c["criticality"]
        raw += WEIGHTS["concentration"] * c["concentration"]
        assert g["severity"] == pytest.approx(PRESENCE_FACTOR[g["status"]] * raw, abs=2e-6)
        assert sum(c["weighted"].values()) == pytest.approx(g["severity"], abs=3e-6)
        assert 0 <= g["severity"] <= 1


def test_reasons_and_explanations(tiny_store):
    lithium = by_id(gaps(tiny_store))["t-lithium"]
    codes = [r["code"] for r in lithium["reasons"]]
    assert codes == ["no_local_firm", "downstream_demand", "single_path_dependence", "outside_supply"]
    outside = lithium["reasons"][-1]
    assert outside["firm_ids"] == ["o-lith-a", "o-lith-b"] and outside["count"] == 2
    assert all(r["zh"] and r["en"] for r in lithium["reasons"])
    assert lithium["explanation_zh"] == (
        "锂盐：数据中暂无常州本地企业（缺链），下游6家本地企业（含2家链主企业，可属其他集群）依赖该环节。"
    )
    pack = by_id(gaps(tiny_store))["t-pack"]
    assert "bottleneck" in [r["code"] for r in pack["reasons"]]  # scaled betweenness 8/9 ≥ 0.5
    assert pack["explanation_en"].startswith("Battery packs: only one local firm (甲电池包)")


def test_filters(tiny_store):
    assert [g["segment_id"] for g in gaps(tiny_store, kind="missing")] == ["t-lithium", "t-recycling"]
    assert [g["segment_id"] for g in gaps(tiny_store, min_severity=0.4)] == ["t-lithium", "t-cathode"]
    assert gaps(tiny_store, cluster="t-nev") == gaps(tiny_store)
    assert gaps(tiny_store, kind="broken_link") == []


def test_candidate_count_and_filter(tiny_store, city):
    # Worked out from graph/fixtures.py: outside firms operate in t-lithium (two), t-cathode and t-recycling.
    assert {g["segment_id"]: g["candidate_count"] for g in gaps(tiny_store)} == {
        "t-lithium": 2,
        "t-cathode": 1,
        "t-recycling": 1,
        "t-pack": 0,
        "t-vehicle": 0,
    }
    assert [g["segment_id"] for g in gaps(tiny_store, has_candidates=False)] == ["t-pack", "t-vehicle"]
    assert [g["segment_id"] for g in gaps(tiny_store, has_candidates=True)] == ["t-lithium", "t-cathode", "t-recycling"]
    for store in (tiny_store, MemoryStore(tiny_city())):
        for gap in gaps(store):  # the count is exactly what candidates() ranks
            assert gap["candidate_count"] == len(candidates(store, gap["segment_id"], limit=1000))
    assert gaps(tiny_store, kind="weak", has_candidates=False) == [
        g for g in gaps(tiny_store) if g["segment_id"] in {"t-pack", "t-vehicle"}
    ]


def test_bad_filters(tiny_store):
    with pytest.raises(InvalidQuery):
        gaps(tiny_store, kind="gap")
    with pytest.raises(InvalidQuery):
        gaps(tiny_store, min_severity=1.5)
    with pytest.raises(InvalidQuery):
        gaps(tiny_store, year=1800)
    with pytest.raises(NodeNotFound) as err:
        gaps(tiny_store, cluster="t-ne")
    assert "t-nev" in err.value.suggestions


# -- the tiny city: a second cluster with a broken link and an extension ----------------------


@pytest.fixture
def city():
    return MemoryStore(tiny_city())


def test_broken_link_and_extension_by_hand(city):
    found = by_id(gaps(city, cluster="t-ess"))
    assert set(found) == {"t-ess-bms", "t-ess-station"}  # t-ess-system is strong: W = 3 + 2 = 5, 2 groups
    bms = found["t-ess-bms"]
    # t-ess-bms has no local firm and feeds t-ess-system, which is strong → broken link (and extension)
    assert bms["kind"] == "broken_link" and bms["kinds"] == ["missing", "broken_link", "extension"]
    assert bms["reasons"][1] == {
        "code": "feeds_strong_segment",
        "segment_ids": ["t-ess-system"],
        "confidence": "sourced",  # the link to t-ess-system has a source
        "unverified_ids": [],
        "zh": "供给本地强环节：储能系统集成",
        "en": "feeds the strong local segment(s) Storage system integration",
    }
    # D: downstream system and station hold f-ess-a and f-cell-a, both anchors (f-cell-a anchors t-cell);
    #    scope = the cluster's 2 local firms → D = ½·2/2 + ½·2/2 = 1
    # C: a source (betweenness 0); dominates nothing (system is also fed by t-cell) → C = 0
    # severity = 0.5·1 + 0 + 0.2·1 = 0.7
    assert bms["components"]["demand"] == 1.0 and bms["components"]["criticality"] == 0.0
    assert bms["severity"] == 0.7
    station = found["t-ess-station"]
    # downstream of the strong t-ess-system, nothing local → extension; a sink: severity = 0.2
    assert station["kind"] == "extension" and station["kinds"] == ["missing", "extension"]
    assert station["severity"] == 0.2
    assert "下游" in station["explanation_zh"] and "downstream of" in station["explanation_en"]


def test_demand_crosses_clusters(city):
    lithium = by_id(gaps(city))["t-lithium"]
    # Downstream of t-lithium now also t-ess-system and t-ess-station (through t-cell): local firms
    # cathode-a, cell-a/b/c, pack-a, veh-a, ess-a = 7; scope = t-nev's 8 ∪ those = 9;
    # anchors cell-a, veh-a, ess-a: 3 of 3 → D = ½·7/9 + ½·3/3 = 0.888889
    c = lithium["components"]
    assert (c["downstream_local_firms"], c["scope_local_firms"], c["downstream_anchors"]) == (7, 9, 3)
    assert c["demand"] == 0.888889


def test_kind_filter_matches_any_of_kinds(city):
    missing = [g["segment_id"] for g in gaps(city, kind="missing")]
    assert missing == ["t-ess-bms", "t-lithium", "t-ess-station", "t-recycling"]
    assert [g["segment_id"] for g in gaps(city, kind="extension")] == ["t-ess-bms", "t-ess-station"]
    assert [g["segment_id"] for g in gaps(city, kind="broken_link")] == ["t-ess-bms"]


@pytest.mark.parametrize("first", ["one cluster", "all"])
def test_cluster_gaps_are_the_gaps_of_that_cluster_whichever_comes_first(first):
    """Gaps of one cluster are assessed on their own (lazily); they equal all gaps restricted to it."""
    ds = synth_dataset(400, seed=7)
    data = chain_data(MemoryStore(ds))
    clusters = sorted({data.segment_cluster[sid] for sid in data.segments})
    analysis = analyse(data, compute_structure(data))
    if first == "all":
        every = dict(analysis.gaps)
    per_cluster = {c: analysis.cluster_gaps(c) for c in clusters}
    if first == "one cluster":
        every = dict(analysis.gaps)
    assert every and sum(len(g) for g in per_cluster.values()) == len(every)
    for cluster, found in per_cluster.items():
        assert found == {sid: g for sid, g in every.items() if g.cluster_id == cluster}
        assert list(found) == sorted(found)
    fresh = analyse(data, compute_structure(data))  # and the same as computed from scratch
    assert {sid: g.severity for sid, g in fresh.gaps.items()} == {sid: g.severity for sid, g in every.items()}


def test_one_cluster_gaps_compute_only_the_presence_they_read():
    ds = synth_dataset(400, seed=7)
    data = chain_data(MemoryStore(ds))
    analysis = analyse(data, compute_structure(data))
    cluster = data.segment_cluster[min(data.segments)]
    analysis.cluster_gaps(cluster)
    computed = sum(1 for sid in data.segments if sid in analysis.presence._done)  # type: ignore[attr-defined]
    assert len(data.cluster_segments(cluster)) <= computed < len(data.segments)
    assert dict(analysis.presence) == compute_presence(data)  # iterating computes the rest, equal to the eager way


def test_a_parent_gap_is_at_least_as_needed_as_its_most_needed_part(bundled_store):
    items = {g["segment_id"]: g for g in gaps(bundled_store)}
    parents = [g for g in items.values() if g["sub_gaps"]]
    assert parents, "the bundled data has parent segments that are gaps with gaps below them"
    for parent in parents:
        c = parent["components"]
        for sid in parent["sub_gaps"]:
            part = items[sid]["components"]
            assert c["demand"] >= part["demand"], (parent["segment_id"], sid)
            assert c["criticality"] >= part["criticality"], (parent["segment_id"], sid)
        for source in (c["demand_from"], c["criticality_from"]):  # itself or a segment below it
            chain = [source]
            while bundled_store.node(chain[-1]).parent_id:
                chain.append(bundled_store.node(chain[-1]).parent_id)
            assert parent["segment_id"] in chain, (parent["segment_id"], source)
        weighted = c["weighted"]
        assert abs(sum(weighted.values()) - parent["severity"]) < 1e-5  # still recomputable from its components
