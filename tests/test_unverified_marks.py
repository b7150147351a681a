"""Unverified facts behind candidates, gaps and figures are marked, not shown as settled (review 3, #1, #2, #7).

Built on the tiny fixtures (:func:`graph.fixtures.tiny_city`), with one fact at a time turned ``unverified``.

The last part checks the bundled data: a gap kind resting only on unverified supply links (the gap's
``kinds_unverified``; 晶圆制造 ``ele-wafer-fab``'s 断链 and 延链) is marked 待核实 / unverified in the interactive
views (node titles, panels, arrow titles, cluster gap counts) and in ``chainkg health CLUSTER``, as ``chainkg
gaps`` and the reports mark it, and a kind on sourced links (锂电铜箔 ``nev-copper-foil``) is not.
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from chainkg.cli import main
from chainkg.text_table import display_width
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
from tests.view_support import rendered_view
from viz.parts import UNVERIFIED_MARK

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
    # marked, and still naming the page it rests on (review 16a)
    assert role["zh"] == "该环节骨干企业（待核实；依据：测试用虚构数据，2026）"
    assert role["en"].startswith("a major firm in this segment (unverified; per ")
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
    assert BADGE in row.group(0) and "该环节骨干企业（待核实；依据：" in row.group(0) and WEAK_PAGE in row.group(0)
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


# ---- the bundled data: a gap kind resting only on unverified supply links, in the views and the CLI ----

WAFER, SOURCED_BROKEN = "ele-wafer-fab", "nev-copper-foil"
MARK_ZH, MARK_EN = UNVERIFIED_MARK  # （待核实 unverified）, " (unverified)"


def _node(data: dict[str, Any], node_id: str) -> dict[str, Any]:
    return next(n for n in data["nodes"] if n["id"] == node_id)


@pytest.fixture(scope="module")
def bundled_gaps(bundled_store: MemoryStore) -> dict[str, dict[str, Any]]:
    every = {g["segment_id"]: g for g in gaps(bundled_store)}
    assert every[WAFER]["kind"] == "broken_link" and every[WAFER]["kinds_unverified"] == ["broken_link", "extension"]
    assert every[SOURCED_BROKEN]["kind"] == "broken_link" and every[SOURCED_BROKEN]["kinds_unverified"] == []
    return every


def _assert_segment_node_marks(node: dict[str, Any], gap: dict[str, Any]) -> None:
    """The node's tooltips and its panel's explanation head mark exactly the gap's unverified kinds."""
    unsure = gap["kinds_unverified"]
    assert node["info"]["statuses_unverified"] == unsure, node["id"]
    for kind, zh, en in (
        ("broken_link", "断链 Broken link", "Broken link"),
        ("extension", "延链 Extension", "Extension"),
    ):
        if kind not in gap["kinds"]:
            continue
        marked = kind in unsure
        assert (zh + MARK_ZH in node["title"].splitlines()) == marked, (node["id"], kind)
        assert (zh in node["title"].splitlines()) == (not marked), (node["id"], kind)
        assert (en + MARK_EN in node["title_en"].splitlines()) == marked, (node["id"], kind)
        head = node["info"]["explanations"][0].split("\n")[0]
        head_en = node["info"]["explanations_en"][0].split("\n")[0]
        assert (zh + MARK_ZH in head) == marked and (en + MARK_EN in head_en) == marked, (node["id"], head)
    if not unsure:
        assert "待核实 unverified）" not in node["title"].split("来源")[0]
        assert "(unverified)" not in node["title_en"].split("Source")[0]


def test_the_cluster_view_marks_an_unverified_kind_on_its_segment_arrows_and_cluster(bundled_store, bundled_gaps):
    electronics, _ = rendered_view(bundled_store, "cluster", "electronics")
    _assert_segment_node_marks(_node(electronics, WAFER), bundled_gaps[WAFER])
    nev, _ = rendered_view(bundled_store, "cluster", "nev")
    _assert_segment_node_marks(_node(nev, SOURCED_BROKEN), bundled_gaps[SOURCED_BROKEN])
    # every segment of both views marks exactly its gap's unverified kinds
    for data in (electronics, nev):
        for node in data["nodes"]:
            if node["id"] in bundled_gaps and "statuses_unverified" in node["info"]:
                assert node["info"]["statuses_unverified"] == bundled_gaps[node["id"]]["kinds_unverified"], node["id"]
    # an arrow out of a broken segment marks its 断链 unverified exactly when its own supply row is
    # unverified, whatever the segment's kinds_unverified say (review 9, #1: the sourced 晶圆制造 → 功率半导体
    # row is not marked, the unverified 锂资源与锂盐 → 电解液 row is)
    seen: set[str] = set()
    for data, sid in ((electronics, WAFER), (nev, SOURCED_BROKEN)):
        arrows = [e for e in data["edges"] if e["from"] == sid and "断链" in e["title"]]
        assert arrows, f"no arrow from {sid}"
        confidence = {e.target: e.confidence.value for e in bundled_store.edges(EdgeKind.SUPPLIES, source=sid)}
        for edge in arrows:
            unsure = confidence[edge["to"]] != "sourced"
            seen.add(confidence[edge["to"]])
            lines, lines_en = edge["title"].splitlines(), edge["title_en"].splitlines()
            assert ("断链（待核实） broken link (unverified): nothing local supplies this" in lines) == unsure, edge
            assert ("断链 broken link: nothing local supplies this" in lines) == (not unsure), edge
            assert ("broken link (unverified): nothing local supplies this" in lines_en) == unsure, edge
            assert ("broken link: nothing local supplies this" in lines_en) == (not unsure), edge
    assert seen == {"sourced", "unverified"}, seen


def test_the_overview_marks_an_unverified_kind_in_a_clusters_gaps(bundled_store, bundled_gaps):
    overview, _ = rendered_view(bundled_store, "overview")
    for cluster_id, sid in (("electronics", WAFER), ("nev", SOURCED_BROKEN)):
        node = _node(overview, cluster_id)
        items = [
            i for section in node["info"]["sections"] for i in section["items"] if i.get("ref") == ["segment", sid]
        ]
        assert len(items) == 1, (cluster_id, sid)
        if bundled_gaps[sid]["kinds_unverified"]:
            assert f"断链 Broken link{MARK_ZH} / 延链 Extension{MARK_ZH}: 晶圆制造" in items[0]["text"]
            assert "broken link (unverified) / extension (unverified): Wafer fabrication" in items[0]["text_en"]
        else:
            assert " / 断链 Broken link / 延链 Extension: 锂电铜箔" in items[0]["text"], items[0]["text"]
            assert "unverified" not in items[0]["text"] + items[0]["text_en"]
        # the cluster's gap count says how many of each kind rest only on unverified links
        cluster_gaps = [g for g in bundled_gaps.values() if g["cluster_id"] == cluster_id]
        unsure = sum("broken_link" in g["kinds_unverified"] for g in cluster_gaps)
        broken = sum("broken_link" in g["kinds"] for g in cluster_gaps)
        gaps_line = next(line for line in node["title"].splitlines() if line.startswith("缺口 Gaps"))
        if unsure:
            assert f"断链 Broken link {broken}（{unsure} 个待核实 unverified）" in gaps_line, gaps_line
        else:
            assert f"断链 Broken link {broken}" in gaps_line and "待核实" not in gaps_line, gaps_line


def test_the_segment_view_marks_an_unverified_kind(bundled_store, bundled_gaps):
    for sid in (WAFER, SOURCED_BROKEN):
        data, _ = rendered_view(bundled_store, "segment", sid)
        _assert_segment_node_marks(_node(data, sid), bundled_gaps[sid])


def test_health_marks_a_top_gap_kind_resting_only_on_unverified_links(capsys, bundled_gaps):
    def top_gap_lines(argv: list[str]) -> dict[str, str]:
        assert main(argv) == 0
        lines = capsys.readouterr().out.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(("most severe gaps", "主要短板 ")))
        return {line.split()[-1]: line for line in lines[start + 1 :] if re.match(r"\s+\d\.\d\d\s", line)}

    electronics = top_gap_lines(["health", "electronics"])
    # the kind as chainkg gaps words it in each language (review 9, #3), the columns aligned by display width
    assert electronics[WAFER].split()[:2] == ["0.81", "断链（待核实）"], electronics[WAFER]
    columns = {display_width(line[: line.rindex(" ") + 1]) for line in electronics.values()}
    assert len(columns) == 1, electronics
    assert "待核实" not in electronics["ele-ic-design"]
    en_row = top_gap_lines(["health", "electronics", "--lang", "en"])[WAFER]
    assert re.split(r"  +", en_row.strip())[1] == "broken link (unverified)", en_row
    # NEV's top gaps: each marked exactly when its kind rests only on unverified links (since the audit of
    # 2026-12-07, 锂资源与锂盐's 断链 does; no sourced page states its supply of 正极材料)
    nev, nev_en = top_gap_lines(["health", "nev"]), top_gap_lines(["health", "nev", "--lang", "en"])
    assert nev and set(nev) == set(nev_en)
    for sid, line in nev.items():
        unsure = bundled_gaps[sid]["kind"] in bundled_gaps[sid]["kinds_unverified"]
        assert ("待核实" in line) == unsure and ("unverified" in nev_en[sid]) == unsure, line
    assert any("待核实" in line for line in nev.values()) and any("待核实" not in line for line in nev.values())
