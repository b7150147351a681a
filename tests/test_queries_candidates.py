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
    # o-bms-a: tags {listed 0.6, 专精特新小巨人 0.7} → best 0.7; role major 0.6; scale unknown 0
    #   profile = 0.5·0.7 + 0.3·0.6 + 0.2·0 = 0.53
    #   links: supplies f-ess-a (local) → k = 1 → 1/2 = 0.5
    #   relatedness = ½·ω(bms) + ½·ω(pack, its other segment) = ½·0.75 + ½·0.8 = 0.775
    #   score = 0.35·0.53 + 0.30·0.5 + 0.35·0.775 = 0.1855 + 0.15 + 0.27125 = 0.60675
    assert first["firm_id"] == "o-bms-a" and first["score"] == 0.60675
    c = first["components"]
    assert (c["tags"], c["role"], c["scale"], c["profile"]) == (0.7, 0.6, 0.0, 0.53)
    assert (c["local_partners"], c["links"]) == (1, 0.5)
    assert (c["omega_segment"], c["omega_firm"], c["relatedness"]) == (0.75, 0.8, 0.775)
    # o-bms-b: no tag, member 0.3 → profile 0.09; no link; other segment station ω 0.666667
    #   relatedness = ½·0.75 + ½·0.666667 = 0.708333; score = 0.0315 + 0 + 0.247917 = 0.279417
    assert second["firm_id"] == "o-bms-b" and second["score"] == 0.279417
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
    # o-station-a: no tag, major 0.6, scale "large" 1.0 → profile = 0.18 + 0.2 = 0.38; no link;
    #   no other segment → relatedness = ω(station) = 0.666667
    #   score = 0.35·0.38 + 0.35·0.666667 = 0.133 + 0.233333 = 0.366333
    # o-bms-b: profile 0.09; relatedness ½·0.666667 + ½·0.75 = 0.708333 → 0.279417
    assert [(c["firm_id"], c["score"]) for c in ranked] == [("o-station-a", 0.366333), ("o-bms-b", 0.279417)]
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
