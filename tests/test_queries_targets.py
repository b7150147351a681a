"""Targets (先找谁): every outside firm once, ranked by priority = 1 − Π(1 − severity × score).

On the tiny city (``graph.fixtures.tiny_city``, docs/analysis.md §12), by hand. The inputs are the
gaps' severities (§4) and the candidates' scores (§5)::

    gap            severity   candidates (score)
    t-ess-bms      0.7        o-bms-a 0.6085, o-bms-b 0.310917
    t-lithium      0.694444   o-lith-a 0.55475, o-lith-b 0.413
    t-cathode      0.406      o-cath-a 0.3535
    t-pack         0.32175    o-bms-a 0.5455
    t-ess-station  0.2        o-station-a 0.411833, o-bms-b 0.310917
    t-recycling    0.2        o-recy-a 0.6785
    t-vehicle      0.18       (none)

o-bms-a: v = 0.7·0.6085 = 0.42595 and 0.32175·0.5455 = 0.17551463;
priority = 1 − (1 − 0.42595)(1 − 0.17551463) = 1 − 0.57405·0.82448537 = 0.526704.
o-bms-b: v = 0.7·0.310917 = 0.2176419 and 0.2·0.310917 = 0.0621834;
priority = 1 − 0.7823581·0.9378166 = 0.266292 (below o-lith-b's single 0.694444·0.413 = 0.286805).

On the bundled data: invariants against the gaps and candidates queries.
"""

from __future__ import annotations

import pytest

from graph.dataset import Dataset
from graph.errors import InvalidQuery, NodeNotFound
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from graph.model import Edge, EdgeKind, Position, Role, Segment
from queries.analysis import analysis_for, precompute
from queries.candidates import rank_candidates
from queries.gaps import gaps
from queries.targets import priority_of, targets

SEVERITY = {"t-ess-bms": 0.7, "t-lithium": 0.694444, "t-pack": 0.32175, "t-ess-station": 0.2, "t-cathode": 0.406}
SCORE = {
    ("o-bms-a", "t-ess-bms"): 0.6085,
    ("o-bms-a", "t-pack"): 0.5455,
    ("o-bms-b", "t-ess-bms"): 0.310917,
    ("o-bms-b", "t-ess-station"): 0.310917,
    ("o-lith-b", "t-lithium"): 0.413,
}


@pytest.fixture
def city() -> MemoryStore:
    return MemoryStore(tiny_city())


def test_the_inputs_of_the_worked_example(city):
    severity = {g["segment_id"]: g["severity"] for g in gaps(city)}
    assert {k: severity[k] for k in SEVERITY} == SEVERITY
    for (firm, segment), score in SCORE.items():
        assert next(c["score"] for c in rank_candidates(city, segment) if c["firm_id"] == firm) == score


def test_tiny_city_by_hand(city):
    t = targets(city)
    assert [(x["firm_id"], x["priority"]) for x in t] == [
        ("o-bms-a", 0.526704),
        ("o-lith-a", 0.385243),  # 0.694444 · 0.55475
        ("o-lith-b", 0.286805),
        ("o-bms-b", 0.266292),
        ("o-cath-a", 0.143521),  # 0.406 · 0.3535
        ("o-recy-a", 0.1357),  # 0.2 · 0.6785
        ("o-station-a", 0.082367),  # 0.2 · 0.411833
    ]
    bms_a = t[0]
    assert [(g["segment_id"], g["value"], g["rank"], g["candidate_count"]) for g in bms_a["gaps"]] == [
        ("t-ess-bms", 0.42595, 1, 2),
        ("t-pack", 0.175515, 1, 1),
    ]
    assert bms_a["gap_count"] == 2 and bms_a["cluster_ids"] == ["t-ess", "t-nev"]
    assert [r["code"] for r in bms_a["reasons"]] == ["fills_gaps", "gap_kinds", "top_candidate", "best_fit"]
    assert bms_a["reasons"][1]["counts"] == {"broken_link": 1, "weak": 1}
    assert bms_a["reasons"][1]["zh"] == "其中 1 个为断链，1 个为弱链"
    assert bms_a["explanation_en"].startswith("fills 2 gaps: Battery management systems (broken link, severity 0.70)")
    first = bms_a["gaps"][0]
    assert first["reason_codes"] == [
        "tag",
        "tag",
        "segment_role",
        "supplies_local_firms",
        "relatedness",
        "related_segments",
    ]
    assert (first["kind"], first["score"], first["role"], first["counted"]) == ("broken_link", 0.6085, "major", True)
    assert (bms_a["confidence"], bms_a["source_count"], bms_a["tags"]) == ("sourced", 1, ["listed", "专精特新小巨人"])
    bms_b = next(x for x in t if x["firm_id"] == "o-bms-b")
    assert [(g["segment_id"], g["value"]) for g in bms_b["gaps"]] == [
        ("t-ess-bms", 0.217642),
        ("t-ess-station", 0.062183),
    ]
    assert "top_candidate" not in [r["code"] for r in bms_b["reasons"]]


def test_filters(city):
    assert [(x["firm_id"], x["priority"]) for x in targets(city, "t-ess")] == [
        ("o-bms-a", 0.42595),
        ("o-bms-b", 0.266292),
        ("o-station-a", 0.082367),
    ]
    assert [(x["firm_id"], x["priority"]) for x in targets(city, kind="weak")] == [
        ("o-bms-a", 0.175515),
        ("o-cath-a", 0.143521),
    ]
    assert [(x["firm_id"], x["priority"]) for x in targets(city, min_severity=0.5)] == [
        ("o-bms-a", 0.42595),
        ("o-lith-a", 0.385243),
        ("o-lith-b", 0.286805),
        ("o-bms-b", 0.217642),
    ]
    assert targets(city, "t-nev", year=1995) == targets(city, "t-nev", year=1995)


def test_priority_formula():
    assert priority_of([]) == 0.0
    assert priority_of([0.3]) == 0.3
    assert priority_of([0.2, 0.2, 0.2]) == 0.488  # three slight gaps rank above one of 0.3 ...
    assert priority_of([0.5, 0.5, 0.5, 0.5]) == 0.9375  # ... and no number of gaps reaches 1


def _with_sub_segment() -> Dataset:
    """The tiny city plus ``t-ess-bms-ic`` under ``t-ess-bms``, in which o-bms-a operates too."""
    ds = tiny_city()
    ds.add_node(
        Segment(
            id="t-ess-bms-ic",
            name_zh="BMS芯片",
            name_en="BMS chips",
            cluster_id="t-ess",
            position=Position.UPSTREAM,
            parent_id="t-ess-bms",
            sources=("s-tiny",),
        )
    )
    ds.add_edge(Edge(kind=EdgeKind.PART_OF, source="t-ess-bms-ic", target="t-ess", sources=("s-tiny",)))
    ds.add_edge(
        Edge(kind=EdgeKind.OPERATES_IN, source="o-bms-a", target="t-ess-bms-ic", role=Role.MEMBER, sources=("s-tiny",))
    )
    return ds


def test_a_gap_and_its_sub_gap_count_once():
    store = MemoryStore(_with_sub_segment())
    parent = next(g for g in gaps(store) if g["segment_id"] == "t-ess-bms")
    assert parent["sub_gaps"] == ["t-ess-bms-ic"]
    t = {x["firm_id"]: x for x in targets(store)}
    bms_a = t["o-bms-a"]
    by_id = {g["segment_id"]: g for g in bms_a["gaps"]}
    assert set(by_id) == {"t-ess-bms", "t-ess-bms-ic", "t-pack"}
    assert (by_id["t-ess-bms"]["counted"], by_id["t-ess-bms"]["counted_through"]) == (False, ["t-ess-bms-ic"])
    assert by_id["t-ess-bms-ic"]["counted"] and by_id["t-pack"]["counted"]
    assert [g["segment_id"] for g in bms_a["gaps"]][-1] == "t-ess-bms"  # the uncounted parent comes last
    counted = [g["severity"] * g["score"] for g in bms_a["gaps"] if g["counted"]]
    assert bms_a["priority"] == priority_of(counted) and bms_a["gap_count"] == 2
    assert bms_a["reasons"][-1]["code"] == "counted_once"
    assert bms_a["reasons"][-1]["segment_ids"] == ["t-ess-bms", "t-ess-bms-ic"]
    # o-bms-b is in the parent only: there the parent is its gap and it counts
    assert [(g["segment_id"], g["counted"]) for g in t["o-bms-b"]["gaps"]] == [
        ("t-ess-bms", True),
        ("t-ess-station", True),
    ]
    # without the sub-gap among the selected gaps (it is less severe), the parent counts again
    ic = next(g for g in gaps(store) if g["segment_id"] == "t-ess-bms-ic")["severity"]
    cut = round(ic + 0.000001, 6)
    assert cut <= parent["severity"]
    strict = {x["firm_id"]: x for x in targets(store, min_severity=cut)}
    kept = {g["segment_id"]: g["counted"] for g in strict["o-bms-a"]["gaps"]}
    assert kept["t-ess-bms"] is True and "t-ess-bms-ic" not in kept


def test_errors_and_copies(city):
    with pytest.raises(NodeNotFound) as err:
        targets(city, "t-es")
    assert "t-ess" in err.value.extra()["suggestions"]
    with pytest.raises(InvalidQuery):
        targets(city, kind="gap")
    with pytest.raises(InvalidQuery):
        targets(city, min_severity=1.5)
    with pytest.raises(InvalidQuery):
        targets(city, year=1800)
    first = targets(city)
    first[0]["gaps"].clear()
    first[0]["reasons"][0]["zh"] = "changed"
    assert targets(city)[0]["gaps"] and targets(city)[0]["reasons"][0]["zh"] != "changed"


# -- the bundled data ---------------------------------------------------------------------------


def _check(store: MemoryStore, items: list[dict], cluster: str | None) -> None:
    ids = [x["firm_id"] for x in items]
    assert len(ids) == len(set(ids)), "a firm listed twice"
    assert [(-x["priority"], x["firm_id"]) for x in items] == sorted((-x["priority"], x["firm_id"]) for x in items)
    selected = gaps(store, cluster)
    expected_firms = {c["firm_id"] for g in selected for c in rank_candidates(store, g["segment_id"])}
    assert set(ids) == expected_firms, "every candidate of a selected gap is a target, and only they"
    subtree = analysis_for(store).data.subtree
    for item in items:
        assert store.node(item["firm_id"]).is_local is False, item["firm_id"]
        counted = []
        for g in item["gaps"]:
            ranked = rank_candidates(store, g["segment_id"])
            mine = next(c for c in ranked if c["firm_id"] == item["firm_id"])
            # firms with the same score share a rank: 1 + the candidates scoring higher
            rank = 1 + sum(1 for c in ranked if c["score"] > mine["score"])
            tied = sum(1 for c in ranked if c["score"] == mine["score"]) - 1
            assert (g["score"], g["rank"], g["tied_with"], g["candidate_count"]) == (
                mine["score"],
                rank,
                tied,
                len(ranked),
            )
            assert g["reason_codes"] == [r["code"] for r in mine["reasons"]]
            if g["counted"]:
                counted.append(g["severity"] * g["score"])
                below = subtree[g["segment_id"]] - {g["segment_id"]}
                filled = {x["segment_id"] for x in item["gaps"] if not x["group_already_here"]}
                assert not below & filled, "a gap counted with a gap below it"
            elif g["group_already_here"]:  # its group already holds the gap: an expansion, not counted
                assert g["group_firm_ids"] and not g["counted_through"]
            else:
                assert g["counted_through"] and set(g["counted_through"]) <= subtree[g["segment_id"]]
        assert item["priority"] == priority_of(counted) and item["gap_count"] == len(counted)
        assert (0 < item["priority"] <= 1) == (len(counted) >= 1), "a firm that fills no gap has priority 0"
        assert item["reasons"][0]["code"] == "fills_gaps" and item["explanation_zh"] and item["explanation_en"]
        if cluster is not None:
            assert item["cluster_ids"] == [cluster]


def test_bundled_nev(bundled_store):
    items = targets(bundled_store, "nev")
    _check(bundled_store, items, "nev")
    by_id = {x["firm_id"]: x for x in items}
    # NXP is a candidate for both chip gaps and for 汽车芯片 above them: ranked once, the parent counted once
    nxp = {g["segment_id"]: g for g in by_id["nxp"]["gaps"]}
    assert {"nev-mcu-soc", "nev-bms-chips", "nev-auto-chips"} <= set(nxp)
    assert not nxp["nev-auto-chips"]["counted"] and nxp["nev-mcu-soc"]["counted"]


def test_bundled_city_and_filters(bundled_store):
    _check(bundled_store, targets(bundled_store), None)
    for item in targets(bundled_store, kind="broken_link", min_severity=0.3):
        assert all("broken_link" in g["kinds"] and g["severity"] >= 0.3 for g in item["gaps"])


def test_the_servers_warm_up_computes_every_firms_candidacy(bundled, monkeypatch):
    """A firm page reads the city's and each cluster's targets (its candidacy): `chainkg serve` computes them at
    start (precompute), so the first firm page does not (4.1 s at 100k firms without it, make bench 2026-12-08).
    How long they take is measured by make bench, not here."""
    import queries.candidacy
    from queries.candidacy import firm_candidacy

    store = MemoryStore(bundled)  # a store of its own: nothing cached yet
    precompute(store)

    def refuse(*args, **kwargs):
        raise AssertionError("targets computed again after the warm-up")

    monkeypatch.setattr(queries.candidacy, "targets", refuse)
    assert firm_candidacy(store, "sungrow") is not None
    assert firm_candidacy(store, "xingyu") is None


@pytest.mark.parametrize("per_gap", [1, 2])
def test_per_gap_keeps_the_firms_among_the_first_candidates_of_one_of_their_gaps(bundled_store, per_gap):
    from queries.candidates import rank_candidates
    from queries.gaps import gaps

    every = targets(bundled_store, "nev")
    kept = targets(bundled_store, "nev", per_gap=per_gap)
    leading = set()  # worked out from the candidate lists, not from targets
    for g in gaps(bundled_store, "nev"):
        ranked = rank_candidates(bundled_store, g["segment_id"])
        # ranked per_gap or better: a firm tied with the per_gap-th (same score) is kept with it
        leading |= {c["firm_id"] for c in ranked if sum(1 for x in ranked if x["score"] > c["score"]) < per_gap}
    assert {t["firm_id"] for t in kept} == leading

    def without_rank(items: list[dict]) -> list[dict]:
        return [{k: v for k, v in t.items() if k not in ("rank", "tied_with")} for t in items]

    # same order, same priorities; each ranked within the list returned
    assert without_rank(kept) == without_rank([t for t in every if t["firm_id"] in leading])
    assert [t["rank"] for t in kept] == [1 + sum(x["priority"] > t["priority"] for x in kept) for t in kept]
    assert len(kept) < len(every)


def test_per_gap_below_one_is_refused(bundled_store):
    with pytest.raises(InvalidQuery, match="per_gap"):
        targets(bundled_store, "nev", per_gap=0)


@pytest.mark.parametrize("untargeted", [True, False])
def test_untargeted_counts_only_the_gaps_no_policy_names_or_only_those_named(bundled_store, untargeted):
    from queries.policies import policy_gaps

    allowed = {g["segment_id"] for g in policy_gaps(bundled_store, "nev", untargeted=untargeted)}
    other = {g["segment_id"] for g in policy_gaps(bundled_store, "nev", untargeted=not untargeted)}
    assert allowed and other  # the bundled nev chain has gaps of both sorts
    items = targets(bundled_store, "nev", untargeted=untargeted)
    assert items
    for item in items:
        assert {g["segment_id"] for g in item["gaps"]} <= allowed, item["firm_id"]
