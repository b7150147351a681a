"""Unverified facts behind candidates, gaps and figures are marked, not shown as settled (review 3, #1, #2, #7).

Built on the tiny fixtures (:func:`graph.fixtures.tiny_city`), with one fact at a time turned ``unverified``.
"""

from __future__ import annotations

import io
import re

from openpyxl import load_workbook

from graph.dataset import Dataset
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from graph.model import Confidence, EdgeKind
from queries.candidates import rank_candidates
from queries.gaps import gaps
from queries.targets import targets
from reports.gather import cluster_report, summary_report
from reports.html import render_cluster_report, render_summary_report
from reports.workbook import SHEETS, cluster_workbook

BADGE = '<span class="badge unverified">待核实 unverified</span>'
WEAK_PAGE = "Only a weak page says so"


def _unverified_edge(ds: Dataset, source: str, target: str, note: str = WEAK_PAGE) -> Dataset:
    key = (EdgeKind.OPERATES_IN.value, source, target)
    ds.edges[key] = ds.edges[key].model_copy(update={"confidence": Confidence.UNVERIFIED, "note": note})
    return ds


def _city_with_unverified_role() -> MemoryStore:
    """``o-bms-a``'s only major role, in ``t-ess-bms``, rests on an unverified OPERATES_IN edge."""
    return MemoryStore(_unverified_edge(tiny_city(), "o-bms-a", "t-ess-bms"))


def _bms_a(store: MemoryStore) -> dict:
    return next(c for c in rank_candidates(store, "t-ess-bms") if c["firm_id"] == "o-bms-a")


def test_a_candidate_on_sourced_facts_stays_sourced():
    cand = _bms_a(MemoryStore(tiny_city()))
    assert cand["confidence"] == "sourced"
    role = next(r for r in cand["reasons"] if r["code"] == "segment_role")
    assert "confidence" not in role and "待核实" not in role["zh"]


def test_a_candidate_is_as_weak_as_the_edge_behind_its_role():
    cand = _bms_a(_city_with_unverified_role())
    assert cand["confidence"] == "unverified"
    role = next(r for r in cand["reasons"] if r["code"] == "segment_role")
    assert role["confidence"] == "unverified" and role["note"] == WEAK_PAGE
    assert role["zh"] == "该环节骨干企业（待核实）" and role["en"] == "a major firm in this segment (unverified)"
    # the score does not change: the mark says how sure the role is, not how good the firm is
    assert cand["score"] == _bms_a(MemoryStore(tiny_city()))["score"]


def test_an_unverified_firm_record_makes_the_candidate_unverified():
    ds = tiny_city()
    ds.nodes["o-bms-a"] = ds.nodes["o-bms-a"].model_copy(
        update={"confidence": Confidence.UNVERIFIED, "note": "name from a trade list"}
    )
    cand = _bms_a(MemoryStore(ds))
    assert cand["confidence"] == "unverified"
    firm_reason = next(r for r in cand["reasons"] if r["code"] == "firm_unverified")
    assert firm_reason["note"] == "name from a trade list" and firm_reason["zh"] == "企业信息待核实"


def test_a_target_resting_on_an_unverified_candidacy_is_unverified():
    by_id = {t["firm_id"]: t for t in targets(_city_with_unverified_role())}
    assert by_id["o-bms-a"]["confidence"] == "unverified"
    assert {t["firm_id"]: t for t in targets(MemoryStore(tiny_city()))}["o-bms-a"]["confidence"] == "sourced"


def test_the_api_answer_carries_the_weakest_confidence(api_client):
    # the bundled-data client: every item's confidence is sourced or unverified, and a marked role has its note
    items = api_client.get("/api/v1/segments/nev-structural-parts/candidates", params={"limit": 50}).json()["items"]
    assert items and {c["confidence"] for c in items} <= {"sourced", "unverified"}
    for c in items:
        role = next(r for r in c["reasons"] if r["code"] == "segment_role")
        assert (role.get("confidence") == "unverified") == ("待核实" in role["zh"])
        if role.get("confidence"):
            assert c["confidence"] == "unverified"


def test_report_and_workbook_mark_the_unverified_candidate():
    data = cluster_report(_city_with_unverified_role(), "t-ess")
    html = render_cluster_report(data).html
    row = re.search(r'<tr class="candidate">(?:(?!</tr>).)*外BMS甲(?:(?!</tr>).)*</tr>', html, re.S)
    assert row, "the candidate row of 外BMS甲"
    assert BADGE in row.group(0) and "该环节骨干企业（待核实）" in row.group(0) and WEAK_PAGE in row.group(0)
    ws = load_workbook(io.BytesIO(cluster_workbook(data)))[SHEETS["candidates"]]
    heads = [c.value for c in ws[1]]
    rows = [dict(zip(heads, (c.value for c in r), strict=True)) for r in ws.iter_rows(min_row=2)]
    mine = [r for r in rows if "o-bms-a" in r.values()]
    assert mine and all(r["可信度 Confidence"] == "unverified" for r in mine)
    assert any(WEAK_PAGE in str(v) for r in mine for v in r.values())


def _gap_row(html: str, segment_name: str) -> str:
    rows = re.findall(r'<tr id="gap-\d+">.*?</tr>', html, re.S)
    return next(r for r in rows if segment_name in r)


def test_a_weak_gap_whose_only_local_firm_is_unverified_says_so():
    store = MemoryStore(_unverified_edge(tiny_city(), "f-cathode-a", "t-cathode", "segment is general knowledge"))
    row = _gap_row(render_cluster_report(cluster_report(store, "t-nev")).html, "正极材料")
    assert BADGE in row and "segment is general knowledge" in row
    assert "若不成立，本环节为缺链" in row and "if it fails, the segment is missing, not weak" in row


def test_a_gap_on_sourced_local_firms_has_no_mark():
    row = _gap_row(render_cluster_report(cluster_report(MemoryStore(tiny_city()), "t-nev")).html, "正极材料")
    assert "unverified" not in row and "缺链" not in row.split("</td>")[-2]


def _city_with_unverified_figure() -> MemoryStore:
    ds = tiny_city()
    cluster = ds.nodes["t-nev"]
    figure = cluster.figures[0].model_copy(update={"confidence": Confidence.UNVERIFIED})
    ds.nodes["t-nev"] = cluster.model_copy(update={"figures": (figure, *cluster.figures[1:])})
    return MemoryStore(ds)


def test_the_summary_marks_an_unverified_output_figure():
    html = render_summary_report(summary_report(_city_with_unverified_figure())).html
    cell = re.search(r"<td>2021：(?:(?!</td>).)*</td>", html, re.S)
    assert cell and BADGE in cell.group(0)
    sure = render_summary_report(summary_report(MemoryStore(tiny_city()))).html
    cell = re.search(r"<td>2021：(?:(?!</td>).)*</td>", sure, re.S)
    assert cell and "unverified" not in cell.group(0)


def test_the_cluster_report_marks_an_unverified_figure():
    html = render_cluster_report(cluster_report(_city_with_unverified_figure(), "t-nev")).html
    table = re.search(r'<table class="figures">.*?</table>', html, re.S)
    assert table and BADGE in table.group(0)


def test_downstream_anchors_are_said_to_span_clusters():
    lithium = next(g for g in gaps(MemoryStore(tiny_city())) if g["segment_id"] == "t-lithium")
    demand = next(r for r in lithium["reasons"] if r["code"] == "downstream_demand")
    # 甲储能 (f-ess-a) anchors t-ess, not t-nev: the count of a t-nev gap includes it, and the text says it may
    assert "f-ess-a" in demand["anchor_ids"] and demand["anchors"] == 3
    assert demand["zh"] == "下游7家本地企业（含3家链主企业，可属其他集群）依赖该环节"
    assert demand["en"] == "7 local firms, 3 of them anchor firms of some cluster, depend on it downstream"
    assert "（含3家链主企业，可属其他集群）" in lithium["explanation_zh"]
    assert "3 of them anchor firms of some cluster" in lithium["explanation_en"]
    assert "家链主）" not in lithium["explanation_zh"] and "of them anchors," not in lithium["explanation_en"]
