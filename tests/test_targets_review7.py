"""Review 7, findings 2 and 3: what ``targets`` says about a firm whose group is already here, and "best fit".

2. A candidate whose own group already holds the gap locally (``group_already_here`` in
   :func:`queries.candidates.rank_candidates`) only expands that group: the consolidated list said it
   "可填补 1 个缺口" and ranked it by that gap. Now the gap entry carries ``group_already_here: true``
   and the local units, is not counted (neither in ``gap_count``, "可填补 N 个缺口" nor the priority),
   and a ``group_already_here`` reason says why, in Chinese and English.
3. "最契合 / best fit" named the gap with the largest severity × score, not the firm's best fit. It is
   now the gap where the firm scores highest (ties by rank), and the reason carries that score and rank.
"""

from __future__ import annotations

import pytest

from graph.memory_store import MemoryStore
from graph.model import Edge, EdgeKind, Role
from queries.candidates import rank_candidates
from queries.targets import priority_of, targets

HELD = {
    "wuxi-apptec": ("bio-cxo", "biomedicine", "wuxi-sta-changzhou"),
    "jiangsu-env-group": ("eco-surface-treatment-park", None, "zhongwu-env"),
    "aac-technologies": ("ele-acoustic-optical", "electronics", "aac-optics-changzhou"),
    "xd-group": ("pe-uhv-transformer", None, "xd-changzhou-transformer"),
}
"""The four firms of the review whose group's unit is the only local firm of the gap, with that unit."""


@pytest.fixture(scope="module")
def city(bundled_store: MemoryStore) -> list[dict]:
    return targets(bundled_store)


def _by_id(items: list[dict]) -> dict[str, dict]:
    return {x["firm_id"]: x for x in items}


@pytest.mark.parametrize("firm_id", sorted(HELD))
def test_a_gap_its_group_already_holds_is_flagged_and_not_filled(city, firm_id):
    segment_id, _, unit = HELD[firm_id]
    item = _by_id(city)[firm_id]
    gap = next(g for g in item["gaps"] if g["segment_id"] == segment_id)
    assert gap["group_already_here"] is True and unit in gap["group_firm_ids"]
    assert gap["counted"] is False and gap["counted_through"] == []
    assert item["gap_count"] == 0 and item["priority"] == 0.0
    assert item["explanation_zh"].startswith("可填补 0 个缺口；1 个缺口中其集团已有本地企业（扩产）")
    assert item["explanation_en"].startswith("fills 0 gaps; its group is already here in 1 gap (an expansion)")
    reason = next(r for r in item["reasons"] if r["code"] == "group_already_here")
    assert reason["segment_ids"] == [segment_id] and unit in reason["firm_ids"]
    assert "不增加新的供应来源" in reason["zh"] and "adds no new source of supply" in reason["en"]
    assert "top_candidate" not in {r["code"] for r in item["reasons"]}, "first choice only where it fills"


def test_wuxi_apptec_names_its_local_unit_and_no_longer_fills_the_cxo_gap(bundled_store):
    item = _by_id(targets(bundled_store, "biomedicine"))["wuxi-apptec"]
    assert "医药研发生产外包（CXO/CDMO）（合全药业常州基地）" in item["explanation_zh"]
    assert "可填补 1 个缺口" not in item["explanation_zh"]


def test_the_flag_agrees_with_the_candidates_of_each_gap(bundled_store, city):
    """Every gap entry's flag and units are those of the firm's candidacy there."""
    seen = 0
    for item in city:
        for g in item["gaps"]:
            cand = next(c for c in rank_candidates(bundled_store, g["segment_id"]) if c["firm_id"] == item["firm_id"])
            assert g["group_already_here"] is cand["group_already_here"]
            reason = next((r for r in cand["reasons"] if r["code"] == "group_already_here"), None)
            assert g["group_firm_ids"] == ([] if reason is None else reason["firm_ids"])
            seen += g["group_already_here"]
    assert seen >= len(HELD)


def test_a_firm_that_fills_no_gap_ranks_below_every_firm_that_fills_one(city):
    fills = [x["gap_count"] > 0 for x in city]
    assert fills == sorted(fills, reverse=True)
    assert {x["firm_id"] for x in city if not x["gap_count"]} >= set(HELD)
    for x in city:
        counted = [g["severity"] * g["score"] for g in x["gaps"] if g["counted"]]
        assert x["priority"] == priority_of(counted)


def _tiny_with_group_here() -> MemoryStore:
    """The tiny chain, where the outside cathode maker also makes lithium salts and owns the local cathode firm."""
    from graph.fixtures import tiny_chain

    ds = tiny_chain()
    s = ("s-tiny",)
    ds.add_edge(Edge(kind=EdgeKind.SUBSIDIARY_OF, source="f-cathode-a", target="o-cath-a", sources=s))
    ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source="o-cath-a", target="t-lithium", role=Role.MAJOR, sources=s))
    return MemoryStore(ds)


def test_on_the_tiny_chain_only_the_gap_it_fills_counts():
    store = _tiny_with_group_here()
    item = _by_id(targets(store))["o-cath-a"]
    gaps = {g["segment_id"]: g for g in item["gaps"]}
    assert gaps["t-cathode"]["group_already_here"] and gaps["t-cathode"]["group_firm_ids"] == ["f-cathode-a"]
    assert not gaps["t-cathode"]["counted"] and gaps["t-lithium"]["counted"]
    assert not gaps["t-lithium"]["group_already_here"] and gaps["t-lithium"]["group_firm_ids"] == []
    assert item["gap_count"] == 1 and item["priority"] == priority_of([gaps["t-lithium"]["value"]])
    assert [g["segment_id"] for g in item["gaps"]] == ["t-lithium", "t-cathode"], "counted gaps first"
    fills = item["reasons"][0]
    assert fills["code"] == "fills_gaps" and fills["count"] == 1 and fills["segment_ids"] == ["t-lithium"]
    assert "可填补 1 个缺口：锂盐" in item["explanation_zh"]
    assert "1 个缺口中其集团已有本地企业（扩产）：正极材料（甲正极）" in item["explanation_zh"]
    best = next(r for r in item["reasons"] if r["code"] == "best_fit")
    assert best["segment_ids"] == ["t-lithium"], "the best fit is chosen among the gaps it fills"


def test_without_the_group_edge_the_same_gap_counts():
    """The control: the tiny chain without the subsidiary edge counts the cathode gap for the same firm."""
    from graph.fixtures import tiny_chain

    item = _by_id(targets(MemoryStore(tiny_chain())))["o-cath-a"]
    assert [(g["segment_id"], g["counted"], g["group_already_here"]) for g in item["gaps"]] == [
        ("t-cathode", True, False)
    ]
    assert item["gap_count"] == 1 and item["priority"] > 0


def test_best_fit_is_the_highest_score_ties_by_rank(city):
    """Finding 3: a firm with the same score in two gaps fits best where it ranks higher (the review's asymchem, 1st for
    CXO and 2nd for R&D; since the profile weights of review 16a, infineon: 0.39 on both, 1st for auto chips, 3rd for
    power semiconductors); hengrui fits 生物药 (0.59)."""
    by_id = _by_id(city)
    for item in city:
        pool = [g for g in item["gaps"] if not g["group_already_here"]] or item["gaps"]
        best = next(r for r in item["reasons"] if r["code"] == "best_fit")
        top = min((-g["score"], g["rank"]) for g in pool)
        chosen = next(g for g in pool if g["segment_id"] == best["segment_ids"][0])
        assert (-chosen["score"], chosen["rank"]) == top, item["firm_id"]
        assert (best["score"], best["rank"], best["candidate_count"]) == (
            chosen["score"],
            chosen["rank"],
            chosen["candidate_count"],
        )
        assert f"最契合{chosen['segment_name_zh']}（得分 {chosen['score']:.2f}，" in item["explanation_zh"]
    infineon = {g["segment_id"]: (g["score"], g["rank"]) for g in by_id["infineon"]["gaps"]}
    assert infineon["nev-auto-chips"][0] == infineon["ele-power-semiconductors"][0]
    assert infineon["nev-auto-chips"][1] < infineon["ele-power-semiconductors"][1]
    assert by_id["infineon"]["reasons"][-1]["segment_ids"] == ["nev-auto-chips"]
    assert "最契合汽车芯片（得分 0.39，10 家候选中排第 1）" in by_id["infineon"]["explanation_zh"]
    hengrui = next(r for r in by_id["hengrui"]["reasons"] if r["code"] == "best_fit")
    assert hengrui["segment_ids"] == ["bio-biotech-drugs"] and "best fit: Biologic drugs (score 0.59" in hengrui["en"]


def test_the_cli_marks_the_gap_its_group_holds(bundled_store):
    from chainkg.commands.targets import gap_line

    item = _by_id(targets(bundled_store, "electronics"))["aac-technologies"]
    gap = item["gaps"][0]
    assert gap_line(gap, "zh").endswith("；其集团已有本地企业（扩产），不计入")
    assert gap_line(gap, "en").endswith("; its group is already here (an expansion), not counted")


def test_best_fit_may_be_a_parent_counted_through_its_sub_gaps(bundled_store):
    """Review 8, finding 2: GE HealthCare scores 0.30 on 医用电子 but 0.06 on the sub-gap it counts through;
    "best fit" named the sub-gap. It now names the listed gap where the firm scores highest."""
    items = _by_id(targets(bundled_store, "biomedicine"))
    changed = 0
    for item in items.values():
        best = next(r for r in item["reasons"] if r["code"] == "best_fit")
        open_gaps = [g for g in item["gaps"] if not g["group_already_here"]]
        if open_gaps:
            assert best["score"] == max(g["score"] for g in open_gaps), item["firm_id"]
        counted = [g for g in item["gaps"] if g["counted"]]
        changed += bool(counted) and best["segment_ids"][0] not in {g["segment_id"] for g in counted}
    ge = items["ge-healthcare"]
    scores = {g["segment_id"]: (g["score"], g["counted"]) for g in ge["gaps"]}
    assert scores["bio-medical-electronics"][0] > scores["bio-medical-imaging"][0]
    assert not scores["bio-medical-electronics"][1] and scores["bio-medical-imaging"][1]
    best = next(r for r in ge["reasons"] if r["code"] == "best_fit")
    assert best["segment_ids"] == ["bio-medical-electronics"]
    assert f"最契合医用电子（得分 {scores['bio-medical-electronics'][0]:.2f}，" in ge["explanation_zh"]
    assert changed >= 4, "GE, Philips, Siemens and Neusoft at least"


def test_target_gaps_carry_the_unverified_kinds_and_the_texts_mark_them(bundled_store):
    """Review 8, finding 1: a kind resting only on unverified supply links is marked in targets as in gaps."""
    from chainkg.commands.targets import gap_line
    from queries.gaps import gaps

    unverified = {g["segment_id"]: g["kinds_unverified"] for g in gaps(bundled_store)}
    items = targets(bundled_store)
    marked = 0
    for item in items:
        for g in item["gaps"]:
            assert g["kinds_unverified"] == unverified[g["segment_id"]], (item["firm_id"], g["segment_id"])
            mark = g["kind"] in g["kinds_unverified"]
            assert ("（待核实）" in gap_line(g, "zh")) == mark and ("(unverified)" in gap_line(g, "en")) == mark
            marked += mark
    assert marked, "some target gap's kind rests on an unverified link in the bundled data"
    nxp = _by_id(targets(bundled_store, "nev"))["nxp"]
    mcu = next(g for g in nxp["gaps"] if g["segment_id"] == "nev-mcu-soc")
    assert mcu["kind"] == "broken_link" and "broken_link" in mcu["kinds_unverified"]
    assert f"车规级MCU与智驾芯片（断链（待核实），严重度 {mcu['severity']:.2f}）" in nxp["explanation_zh"]
    counted = [g for g in nxp["gaps"] if g["counted"]]
    n_broken = sum(g["kind"] == "broken_link" for g in counted)
    n_unsure = sum(g["kind"] == "broken_link" and "broken_link" in g["kinds_unverified"] for g in counted)
    assert 0 < n_unsure < n_broken
    kinds = next(r for r in nxp["reasons"] if r["code"] == "gap_kinds")
    assert f"{n_broken} 个为断链（{n_unsure} 个待核实）" in kinds["zh"]
    assert f"{n_broken} broken links ({n_unsure} unverified)" in kinds["en"]
