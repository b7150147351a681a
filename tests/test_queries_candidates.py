"""Candidate scores and relatedness density on the tiny city, worked out by hand.

Co-occurrence (firms operating in both segments): f-cell-a in t-cell and t-ess-system;
o-bms-a in t-ess-bms and t-pack; o-bms-b in t-ess-bms and t-ess-station. Firms per segment:
t-cell 3, t-ess-system 2, t-ess-bms 2, t-pack 2, t-ess-station 2.

φ_co(p, q) = ½·C_pq / max(k_p, k_q): (cell, system) ½·1/3 = 0.166667; (bms, pack) ½·1/2 = 0.25;
(bms, station) 0.25. Chain adjacency adds ½ to every SUPPLIES pair, e.g. (bms, system),
(system, station), (cell, system) → φ(cell, system) = 0.666667.

ω_p = Σ M_q φ(q, p) / Σ φ(q, p), M_q = 1 when q has a local firm:
- ω(t-ess-bms)     = (system 0.5·1 + pack 0.25·1 + station 0.25·0) / 1.0  = 0.75
- ω(t-pack)        = (cell 0.5·1 + vehicle 0.5·1 + bms 0.25·0) / 1.25      = 0.8
- ω(t-ess-station) = (system 0.5·1 + bms 0.25·0) / 0.75                     = 0.666667
"""

from __future__ import annotations

import pytest

from graph.errors import NodeNotFound
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from queries.analysis import analysis_for
from queries.candidates import candidates, rank_candidates, relatedness_reason, scale_score


@pytest.fixture
def city():
    return MemoryStore(tiny_city())


def test_proximity_and_relatedness_density(city):
    a = analysis_for(city)
    assert a.phi["t-cell"]["t-ess-system"] == 0.666667
    assert a.phi["t-ess-bms"] == {"t-ess-station": 0.25, "t-ess-system": 0.5, "t-pack": 0.25}
    assert (a.omega["t-ess-bms"], a.omega["t-pack"], a.omega["t-ess-station"]) == (0.75, 0.8, 0.666667)


def test_bms_candidates_by_hand(city):
    first, second = candidates(city, "t-ess-bms")
    # o-bms-a: role major 0.6; tags {listed 0.6, 专精特新小巨人 0.7} → best 0.7; scale unknown 0
    #   profile = 0.6·0.6 + 0.25·0.7 + 0.15·0 = 0.535
    #   links: supplies f-ess-a (local) → k = 1 → 1/2 = 0.5
    #   relatedness = ½·ω(bms) + ½·ω(pack, its other segment) = ½·0.75 + ½·0.8 = 0.775
    #   score = 0.35·0.535 + 0.30·0.5 + 0.35·0.775 = 0.18725 + 0.15 + 0.27125 = 0.6085
    assert first["firm_id"] == "o-bms-a" and first["score"] == 0.6085
    c = first["components"]
    assert (c["tags"], c["role"], c["scale"], c["profile"]) == (0.7, 0.6, 0.0, 0.535)
    assert (c["local_partners"], c["links"]) == (1, 0.5)
    assert (c["omega_segment"], c["omega_firm"], c["relatedness"]) == (0.75, 0.8, 0.775)
    # o-bms-b: no tag, member 0.3 → profile 0.6·0.3 = 0.18; no link; other segment station ω 0.666667
    #   relatedness = ½·0.75 + ½·0.666667 = 0.708333; score = 0.063 + 0 + 0.247917 = 0.310917
    assert second["firm_id"] == "o-bms-b" and second["score"] == 0.310917
    assert second["components"]["relatedness"] == 0.708333


def test_reasons_are_bilingual_and_name_the_evidence(city):
    best = candidates(city, "t-ess-bms")[0]
    codes = [r["code"] for r in best["reasons"]]
    assert codes == ["tag", "tag", "segment_role", "supplies_local_firms", "relatedness", "related_segments"]
    assert best["reasons"][0]["tag"] == "专精特新小巨人"  # the best tag first
    link = best["reasons"][3]
    assert link["firm_ids"] == ["f-ess-a"] and link["zh"] == "已向本地企业供货：甲储能"
    assert link["en"] == "already supplies local firm(s) Jia Storage"
    assert best["reasons"][-1]["segment_ids"] == ["t-pack"]
    assert all(r["zh"] and r["en"] for r in best["reasons"])


def test_relatedness_reason_is_worded_by_how_much_changzhou_has(city):
    reason = next(r for r in candidates(city, "t-ess-bms")[0]["reasons"] if r["code"] == "relatedness")
    assert (reason["level"], reason["omega_segment"]) == ("strong", 0.75)  # ω(bms) = 0.75, worked out above
    assert reason["zh"] == "常州在相关环节已有较好基础（关联密度 ω=0.75）"


@pytest.mark.parametrize(
    ("omega", "level", "zh_start"),
    [
        (0.0, "weak", "常州在相关环节基础薄弱"),
        (0.19, "weak", "常州在相关环节基础薄弱"),
        (0.2, "some", "常州在相关环节有一定基础"),
        (0.5, "strong", "常州在相关环节已有较好基础"),
    ],
)
def test_a_low_relatedness_is_never_called_a_base(omega, level, zh_start):
    reason = relatedness_reason(omega, 0.3)
    assert reason["level"] == level and reason["zh"].startswith(zh_start)
    assert reason["zh"].endswith(f"（关联密度 ω={omega:.2f}）") and f"ω={omega:.2f}" in reason["en"]


def test_scale_counts_and_ranking_for_the_extension(city):
    ranked = rank_candidates(city, "t-ess-station")
    # o-station-a: no tag, major 0.6, scale "large" 1.0 → profile = 0.6·0.6 + 0.15·1 = 0.51; no link;
    #   no other segment → relatedness = ω(station) = 0.666667
    #   score = 0.35·0.51 + 0.35·0.666667 = 0.1785 + 0.233333 = 0.411833
    # o-bms-b: profile 0.18; relatedness ½·0.666667 + ½·0.75 = 0.708333 → 0.310917
    assert [(c["firm_id"], c["score"]) for c in ranked] == [("o-station-a", 0.411833), ("o-bms-b", 0.310917)]
    assert any(r["code"] == "scale" for r in ranked[0]["reasons"])
    assert candidates(city, "t-ess-station", limit=1) == ranked[:1]


def test_group_presence_counts_as_a_link():
    ds = tiny_city()
    from graph.model import Edge, EdgeKind

    # Make o-lith-a the parent of the local f-anode-a: its group is then present in Changzhou.
    ds.add_edge(Edge(kind=EdgeKind.SUBSIDIARY_OF, source="f-anode-a", target="o-lith-a", sources=("s-tiny",)))
    best = candidates(MemoryStore(ds), "t-lithium")[0]
    assert best["firm_id"] == "o-lith-a" and best["components"]["local_partners"] == 1
    assert any(r["code"] == "group_present_locally" and r["firm_ids"] == ["f-anode-a"] for r in best["reasons"])


def test_only_outside_firms_and_errors(city):
    assert candidates(city, "t-cell") == []  # every firm in t-cell is local
    assert candidates(city, "t-ess-system") == []
    with pytest.raises(NodeNotFound):
        candidates(city, "t-nev")  # a cluster, not a segment


def test_scale_score():
    assert scale_score("large") == 1.0 and scale_score("中型企业") == 0.6 and scale_score("small") == 0.3
    assert scale_score("2023 revenue 246亿元") == 1.0 and scale_score("营收20亿") == 0.7
    assert scale_score("unknown") == 0.0


def test_a_group_already_in_the_segment_gets_no_link_bonus_there(bundled_store):
    from queries.analysis import analysis_for

    a = analysis_for(bundled_store)
    flagged = 0
    for segment_id in a.gaps:
        here = a.presence[segment_id].local
        for cand in rank_candidates(bundled_store, segment_id):
            codes = {r["code"]: r for r in cand["reasons"]}
            if not cand["group_already_here"]:
                assert "group_already_here" not in codes
                continue
            flagged += 1
            assert set(codes["group_already_here"]["firm_ids"]) <= set(here)
            units = codes.get("group_present_locally", {}).get("firm_ids", [])
            assert not set(units) & set(here), f"{segment_id} {cand['firm_id']}: a unit here still counts as a link"
    assert flagged >= 3, "the bundled data has weak segments held by a unit of an outside group (西电, 药明, 瑞声...)"


# -- evidence: only sourced relations count in k (docs/analysis.md, 证据权重 · Weighing the evidence) ------------

W = {"profile": 0.35, "links": 0.30, "relatedness": 0.35}
"""The candidate weights, as docs/analysis.md gives them (typed here to check the code against the document)."""


def counts(components):
    """(sourced, unverified) local partners of a candidate's components."""
    by = components["partners_by_confidence"]
    return by["sourced"], by["unverified"]


def expected_score(profile: float, k: int, relatedness: float) -> float:
    """The documented formula: score = 0.35·profile + 0.30·k/(k+1) + 0.35·relatedness."""
    return round(W["profile"] * profile + W["links"] * k / (k + 1) + W["relatedness"] * relatedness, 6)


def with_edge(ds, kind, source, target, confidence):
    """``ds`` with the edge ``kind source → target`` set to ``confidence``, or dropped for ``None``."""
    from graph.model import Confidence, Edge

    ds.edges.pop((kind, source, target), None)
    if confidence is not None:
        ds.add_edge(
            Edge(kind=kind, source=source, target=target, sources=("s-tiny",), confidence=Confidence(confidence))
        )
    return ds


def bms_a(confidence):
    """o-bms-a in t-ess-bms when its one local tie (SUPPLIES_TO f-ess-a) is sourced, unverified or absent."""
    ds = with_edge(tiny_city(), "SUPPLIES_TO", "o-bms-a", "f-ess-a", confidence)
    ranked = rank_candidates(MemoryStore(ds), "t-ess-bms")
    return next(c for c in ranked if c["firm_id"] == "o-bms-a"), ranked


def test_an_unverified_link_adds_nothing_to_the_score():
    # o-bms-a: profile 0.535 and relatedness 0.775, worked out in test_bms_candidates_by_hand
    sourced, _ = bms_a("sourced")
    unverified, ranked = bms_a("unverified")
    none, _ = bms_a(None)
    assert sourced["score"] == expected_score(0.535, 1, 0.775) == 0.6085
    assert unverified["score"] == expected_score(0.535, 0, 0.775) == 0.4585
    assert none["score"] == unverified["score"] < sourced["score"]  # the rule: unverified counts 0, as no link
    assert [c["firm_id"] for c in ranked] == ["o-bms-a", "o-bms-b"]  # still above o-bms-b (0.279417), on its profile
    parts = {k: unverified["components"][k] for k in ("partners_by_confidence", "local_partners")}
    assert parts == {"partners_by_confidence": {"sourced": 0, "unverified": 1}, "local_partners": 0}
    assert unverified["components"]["links"] == 0.0 and unverified["components"]["weighted"]["links"] == 0.0
    assert sourced["components"]["partners_by_confidence"] == {"sourced": 1, "unverified": 0}
    assert none["components"]["partners_by_confidence"] == {"sourced": 0, "unverified": 0}


def test_the_reason_flags_an_unverified_partner():
    unverified, _ = bms_a("unverified")
    link = next(r for r in unverified["reasons"] if r["code"] == "supplies_local_firms")
    assert link["firm_ids"] == ["f-ess-a"] and link["partners"] == [{"firm_id": "f-ess-a", "confidence": "unverified"}]
    assert link["zh"] == "已向本地企业供货（待核实，不计分）：甲储能"
    assert link["en"] == "already supplies local firm(s) Jia Storage (unverified; not scored)"
    sourced, _ = bms_a("sourced")
    link = next(r for r in sourced["reasons"] if r["code"] == "supplies_local_firms")
    assert link["partners"] == [{"firm_id": "f-ess-a", "confidence": "sourced"}] and "待核实" not in link["zh"]
    none, _ = bms_a(None)
    assert not any(r["code"] == "supplies_local_firms" for r in none["reasons"])


def test_sourced_and_unverified_partners_in_one_reason():
    ds = with_edge(tiny_city(), "SUPPLIES_TO", "o-bms-a", "f-ess-a", "unverified")
    ds = with_edge(ds, "SUPPLIES_TO", "o-bms-a", "f-cell-a", "sourced")
    store = MemoryStore(ds)
    best = rank_candidates(store, "t-ess-bms")[0]
    assert best["firm_id"] == "o-bms-a" and best["score"] == expected_score(0.535, 1, 0.775)
    c = best["components"]
    assert (*counts(c), c["links"]) == (1, 1, 0.5)
    link = next(r for r in best["reasons"] if r["code"] == "supplies_local_firms")
    cell, ess = store.node("f-cell-a"), store.node("f-ess-a")
    assert link["firm_ids"] == ["f-cell-a", "f-ess-a"]  # sorted, as before
    assert link["zh"] == f"已向本地企业供货：{cell.name_zh}；待核实（不计分）：{ess.name_zh}"
    assert (
        link["en"]
        == f"already supplies local firm(s) {cell.name_en or cell.name_zh}; unverified (not scored): {ess.name_en}"
    )


def test_a_partner_counts_once_by_its_best_backed_relation():
    # f-ess-a is a customer (unverified) and a supplier (sourced) of o-bms-a: one partner, sourced
    ds = with_edge(tiny_city(), "SUPPLIES_TO", "o-bms-a", "f-ess-a", "unverified")
    ds = with_edge(ds, "SUPPLIES_TO", "f-ess-a", "o-bms-a", "sourced")
    best = rank_candidates(MemoryStore(ds), "t-ess-bms")[0]
    c = best["components"]
    assert (*counts(c), c["local_partners"]) == (1, 0, 1)
    assert best["score"] == expected_score(0.535, 1, 0.775)
    codes = {r["code"]: r for r in best["reasons"]}
    assert codes["supplies_local_firms"]["partners"][0]["confidence"] == "unverified"  # each relation keeps its own
    assert codes["buys_from_local_firms"]["partners"][0]["confidence"] == "sourced"


def lithium_group(*edges):
    """tiny_city plus two outside firms (a parent and a top holding) and SUBSIDIARY_OF edges among them."""
    from graph.model import Firm

    ds = tiny_city()
    for fid in ("o-parent", "o-top"):
        ds.add_node(Firm(id=fid, name_zh=fid, is_local=False, sources=("s-tiny",)))
    for source, target, confidence in edges:
        with_edge(ds, "SUBSIDIARY_OF", source, target, confidence)
    return next(c for c in rank_candidates(MemoryStore(ds), "t-lithium") if c["firm_id"] == "o-lith-a")


@pytest.mark.parametrize(
    ("edges", "confidence"),
    [
        ([("f-anode-a", "o-lith-a", "sourced")], "sourced"),
        ([("f-anode-a", "o-lith-a", "unverified")], "unverified"),
        # siblings under o-parent: the unverified edge above their common parent does not bear on them
        (
            [
                ("f-anode-a", "o-parent", "sourced"),
                ("o-lith-a", "o-parent", "sourced"),
                ("o-parent", "o-top", "unverified"),
            ],
            "sourced",
        ),
        # cousins joined at o-top: the path runs through the unverified edge
        (
            [
                ("f-anode-a", "o-parent", "sourced"),
                ("o-lith-a", "o-top", "sourced"),
                ("o-parent", "o-top", "unverified"),
            ],
            "unverified",
        ),
    ],
)
def test_a_group_unit_is_as_sure_as_the_path_joining_them(edges, confidence):
    cand = lithium_group(*edges)
    reason = next(r for r in cand["reasons"] if r["code"] == "group_present_locally")
    assert reason["partners"] == [{"firm_id": "f-anode-a", "confidence": confidence}]
    k = 1 if confidence == "sourced" else 0
    c = cand["components"]
    assert counts(c) == (k, 1 - k)
    assert c["links"] == round(k / (k + 1), 6)
    assert ("待核实" in reason["zh"]) == ("unverified" in reason["en"]) == (confidence == "unverified")


def test_every_bundled_score_can_be_recomputed_from_its_components(bundled_store):
    a = analysis_for(bundled_store)
    scored = ("supplies_local_firms", "buys_from_local_firms", "group_present_locally")
    for segment_id in a.gaps:
        for cand in rank_candidates(bundled_store, segment_id):
            c = cand["components"]
            best: dict[str, str] = {}
            for r in cand["reasons"]:
                if r["code"] in scored or r["code"] == "group_already_here":
                    assert [p["firm_id"] for p in r["partners"]] == r["firm_ids"]
                    assert ("待核实" in r["zh"]) == any(p["confidence"] == "unverified" for p in r["partners"])
                if r["code"] in scored:
                    for p in r["partners"]:
                        best[p["firm_id"]] = (
                            "sourced" if "sourced" in (best.get(p["firm_id"]), p["confidence"]) else p["confidence"]
                        )
            k = sum(1 for v in best.values() if v == "sourced")
            assert (*counts(c), c["local_partners"]) == (k, len(best) - k, k)
            assert c["links"] == round(k / (k + 1), 6)
            total = W["profile"] * c["profile"] + W["links"] * k / (k + 1) + W["relatedness"] * c["relatedness"]
            assert abs(cand["score"] - total) < 2e-6


def without_unverified_links(ds):
    """A copy of ``ds`` without its unverified SUPPLIES_TO and SUBSIDIARY_OF edges."""
    kinds = {"SUPPLIES_TO", "SUBSIDIARY_OF"}
    edges = {k: e for k, e in ds.edges.items() if not (k[0] in kinds and e.confidence.value == "unverified")}
    return type(ds)(nodes=dict(ds.nodes), edges=edges)


def test_brunp_for_battery_recycling_carries_the_unverified_flag(bundled, bundled_store):
    # SAIC-CATL's tie to CATL is unverified (a JV whose control the source does not give): through it, Brunp's
    # group unit 时代上汽 is an unverified partner, whatever the sources say of Brunp → CATL
    assert bundled.edges[("SUBSIDIARY_OF", "saic-catl-cells", "catl")].confidence.value == "unverified"
    ranked = rank_candidates(bundled_store, "nev-recycling")
    brunp = next(c for c in ranked if c["firm_id"] == "brunp")
    reason = next(r for r in brunp["reasons"] if r["code"] == "group_present_locally")
    assert {"firm_id": "saic-catl-cells", "confidence": "unverified"} in reason["partners"]
    assert "待核实" in reason["zh"] and "unverified" in reason["en"]
    k = sum(1 for p in reason["partners"] if p["confidence"] == "sourced")
    c = brunp["components"]
    assert counts(c) == (k, len(reason["partners"]) - k)
    assert brunp["score"] == expected_score(c["profile"], k, c["relatedness"])


@pytest.mark.parametrize("segment_id", ["nev-recycling", "nev-mcu-soc"])
def test_the_ranking_is_the_one_without_the_unverified_links(bundled, bundled_store, segment_id):
    ranked = rank_candidates(bundled_store, segment_id)
    without = rank_candidates(MemoryStore(without_unverified_links(bundled)), segment_id)
    assert [(c["firm_id"], c["score"]) for c in ranked] == [(c["firm_id"], c["score"]) for c in without]


@pytest.mark.parametrize("confidence", ["sourced", "unverified"])
def test_horizon_robotics_for_mcu_soc_by_the_confidence_of_its_li_auto_link(bundled, confidence):
    # the source names the carmaker, not the Changzhou plant: the edge is being re-marked; whichever way it is
    # marked, the score and the reason follow it
    from graph.model import Confidence

    key = ("SUPPLIES_TO", "horizon-robotics", "li-auto")
    ds = type(bundled)(nodes=dict(bundled.nodes), edges=dict(bundled.edges))
    ds.edges[key] = ds.edges[key].model_copy(update={"confidence": Confidence(confidence)})
    horizon = next(c for c in rank_candidates(MemoryStore(ds), "nev-mcu-soc") if c["firm_id"] == "horizon-robotics")
    c = horizon["components"]
    k = 1 if confidence == "sourced" else 0
    assert counts(c) == (k, 1 - k)
    assert horizon["score"] == expected_score(c["profile"], k, c["relatedness"])
    reason = next(r for r in horizon["reasons"] if r["code"] == "supplies_local_firms")
    assert reason["partners"] == [{"firm_id": "li-auto", "confidence": confidence}]
    assert ("（待核实，不计分）" in reason["zh"]) == (confidence == "unverified")
