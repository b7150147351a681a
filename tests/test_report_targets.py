"""先找谁 (targets) in the cluster report and in both workbooks (review 7, finding 6).

The guide tells officers to plan visits from ``chainkg targets``; the report and the workbooks now carry
that list: the A4 report its first :data:`reports.gather.TARGETS_TOP` with the gaps each fills (linked to
the gap table), the caveat when the firm's own group is already in a gap, its explanation and source marks;
the workbooks every target, with the follow-up columns of the Candidates sheet.

Expected values come from :func:`queries.targets.targets` and the store, never from the report code; the
explanation text is compared as the query gives it, not as a fixed wording.
"""

from __future__ import annotations

import io
import re
import subprocess
from html import unescape
from pathlib import Path

import pytest
from openpyxl import load_workbook

from graph.memory_store import MemoryStore
from graph.model import EdgeKind, NodeKind
from queries.gaps import gaps
from queries.targets import targets
from reports.city_workbook import CITY_SHEETS, city_workbook
from reports.fixtures import HOSTILE_CANDIDATE_ID, report_city
from reports.gather import TARGETS_TOP, city_report, cluster_report
from reports.html import render_cluster_report
from reports.workbook import FOLLOW_UP, SHEETS, cluster_workbook
from tests.test_reports_browser import ReportVisit, pdf_info, poppler  # noqa: F401 - poppler is a fixture

TARGETS = "先找谁 Targets"


def visible(html: str) -> str:
    """The text of an HTML fragment, tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def section(page: str, name: str) -> str:
    return page.split(f'<section class="part" id="{name}">')[1].split("</section>")[0]


def target_rows(page: str) -> dict[int, str]:
    """Each printed target's row, by its rank."""
    return {int(n): row for n, row in re.findall(r'<tr id="target-(\d+)">(.*?)</tr>', section(page, "targets"), re.S)}


def appendix(page: str) -> dict[int, str]:
    """The appendix: source number -> source id."""
    rows = re.findall(r'<tr id="src-(\d+)">.*?<span class="id">([^<]+)</span>', page, flags=re.S)
    return {int(n): sid for n, sid in rows}


def cited(row: str) -> set[int]:
    """The source numbers the ``[n]`` marks of a fragment cite (ranges expanded)."""
    out: set[int] = set()
    for group in re.findall(r'<sup class="ref">\[(.+?)\]</sup>', row):
        for part in re.sub(r"<[^>]+>", "", group).split(", "):
            first, _, last = part.partition("–")
            out |= set(range(int(first), int(last or first) + 1))
    return out


def subtree(store, segment_id: str) -> set[str]:
    """A segment and every segment below it, from the store's parent ids."""
    children: dict[str, set[str]] = {}
    for seg in store.nodes(NodeKind.SEGMENT):
        if seg.parent_id:
            children.setdefault(seg.parent_id, set()).add(seg.id)
    out, todo = set(), [segment_id]
    while todo:
        sid = todo.pop()
        out.add(sid)
        todo += list(children.get(sid, ()))
    return out


def expected_sources(store, item: dict) -> set[str]:
    """The firm's sources and those of its OPERATES_IN facts in its gaps' segments (or below them)."""
    ids = set(store.node(item["firm_id"]).sources)
    inside = set().union(*(subtree(store, g["segment_id"]) for g in item["gaps"]))
    for edge in store.edges(EdgeKind.OPERATES_IN, source=item["firm_id"]):
        if edge.target in inside:
            ids |= set(edge.sources)
    return ids


@pytest.fixture(scope="module")
def nev_data(bundled_store) -> dict:
    return cluster_report(bundled_store, "nev")


@pytest.fixture(scope="module")
def nev_page(nev_data) -> str:
    return render_cluster_report(nev_data).html


def test_the_report_lists_the_first_targets_between_the_gaps_and_the_candidates(bundled_store, nev_page):
    expected = targets(bundled_store, "nev")
    assert len(expected) > TARGETS_TOP, "the bundled NEV cluster has more targets than the report prints"
    assert nev_page.index('id="gaps"') < nev_page.index('id="targets"') < nev_page.index('id="candidates"')
    part = section(nev_page, "targets")
    assert "先找谁" in part and "Whom to approach first" in part
    note = visible(part.split('id="targets-note"')[1].split("</p>")[0])
    assert f"前 {TARGETS_TOP} 家（共 {len(expected)} 家）" in note
    assert f"The first {TARGETS_TOP} of {len(expected)}" in note
    rows = target_rows(nev_page)
    assert list(rows) == list(range(1, TARGETS_TOP + 1))
    for row, item in enumerate(expected[:TARGETS_TOP], start=1):
        text = visible(rows[row])
        shared = " =" if item["tied_with"] else ""  # firms of equal priority share a rank, marked =
        assert text.startswith(f"{item['rank']}{shared} {item['name_zh']}"), (row, text[:60])
        assert f"{item['priority']:.3f}" in text
        assert visible(item["explanation_zh"]) in text and visible(item["explanation_en"]) in text
        if not item["hq"]:
            assert "未注明" in text and "HQ not given" in text
        for g in item["gaps"]:
            assert g["segment_name_zh"] in text
    assert expected[TARGETS_TOP]["name_zh"] not in visible(part), "only the first ones are printed"


def test_each_targets_gap_links_to_its_row_in_the_gap_table(bundled_store, nev_page):
    ranks = {g["segment_id"]: rank for rank, g in enumerate(gaps(bundled_store, cluster="nev"), start=1)}
    rows = target_rows(nev_page)
    seen = 0
    for rank, item in enumerate(targets(bundled_store, "nev")[:TARGETS_TOP], start=1):
        links = [int(n) for n in re.findall(r'<a href="#gap-(\d+)">#\1</a>', rows[rank])]
        assert links == [ranks[g["segment_id"]] for g in item["gaps"]], item["firm_id"]
        for g, n in zip(item["gaps"], links, strict=True):
            assert f'<tr id="gap-{n}">' in nev_page
            assert g["segment_name_zh"] in visible(nev_page.split(f'<tr id="gap-{n}">')[1].split("</tr>")[0])
            seen += 1
    assert seen >= TARGETS_TOP


def test_a_gap_counted_through_its_sub_gaps_says_so(bundled_store, nev_page):
    rows = target_rows(nev_page)
    found = False
    for rank, item in enumerate(targets(bundled_store, "nev")[:TARGETS_TOP], start=1):
        upper = [g for g in item["gaps"] if not g["counted"] and not g["group_already_here"]]
        items = re.findall(r"<li[^>]*>(.*?)</li>", rows[rank], re.S)
        assert len(items) == len(item["gaps"])
        for g, li in zip(item["gaps"], items, strict=True):
            assert ("经下级环节计入" in li) == (g in upper), (item["firm_id"], g["segment_id"])
            found |= g in upper
    assert found, "NEV's top targets include one (NXP) listed under 汽车芯片 through its sub-gaps"


def test_every_target_row_cites_the_firms_sources(bundled_store, nev_page):
    numbers = appendix(nev_page)
    rows = target_rows(nev_page)
    for rank, item in enumerate(targets(bundled_store, "nev")[:TARGETS_TOP], start=1):
        shown = {numbers[n] for n in cited(rows[rank])}
        assert shown == expected_sources(bundled_store, item), item["firm_id"]


def test_a_firm_whose_group_is_already_in_a_gap_carries_the_caveat(bundled_store):
    expected = targets(bundled_store, "biomedicine")
    held = [(i, g) for i, t in enumerate(expected, start=1) for g in t["gaps"] if g["group_already_here"]]
    assert held, "biomedicine has a target whose group is already here (WuXi AppTec in CXO)"
    data = cluster_report(bundled_store, "biomedicine")
    data["targets_top"] = len(data["targets"])  # print them all, down to the ones with priority 0
    rows = target_rows(render_cluster_report(data).html)
    assert len(rows) == len(expected)
    for rank, gap in held:
        row = visible(rows[rank])
        units = [bundled_store.node(f) for f in gap["group_firm_ids"]]
        assert units
        assert "其集团已有本地企业：" + "、".join(u.name_zh for u in units) + "（扩产，不计入）" in row
        assert "its group is already here: " + ", ".join(u.name_en or u.name_zh for u in units) in row
    caveated = {rank for rank, _ in held}
    for rank, row in rows.items():
        assert ("其集团已有本地企业" in row) == (rank in caveated)


def test_the_fixture_report_escapes_names_and_an_empty_cluster_says_so():
    store = MemoryStore(report_city())
    page = render_cluster_report(cluster_report(store, "t-nev")).html
    part = section(page, "targets")
    assert HOSTILE_CANDIDATE_ID in {t["firm_id"] for t in targets(store, "t-nev")}
    assert "&lt;img src=x onerror=alert(5)&gt;锂业" in part and "<img" not in part
    assert len(target_rows(page)) == min(TARGETS_TOP, len(targets(store, "t-nev")))
    from tests.test_reports_review import solo_city

    solo = render_cluster_report(cluster_report(solo_city(), "t-solo")).html
    empty = section(solo, "targets")
    assert 'id="no-targets"' in empty and "No gap" in empty and "<table" not in empty


def sheet_rows(ws) -> list[dict]:
    head = [c.value for c in ws[1]]
    return [dict(zip(head, row, strict=True)) for row in ws.iter_rows(min_row=2, values_only=True)]


def test_the_cluster_workbook_has_every_target_with_follow_up_columns(bundled_store, nev_data):
    wb = load_workbook(io.BytesIO(cluster_workbook(nev_data)))
    assert wb.sheetnames == list(SHEETS.values())
    assert wb.sheetnames.index(TARGETS) == wb.sheetnames.index("缺口 Gaps") + 1
    ws = wb[TARGETS]
    expected = targets(bundled_store, "nev")
    rows = sheet_rows(ws)
    assert [r["企业ID Firm id"] for r in rows] == [t["firm_id"] for t in expected]
    assert [r["排名 Rank"] for r in rows] == [t["rank"] for t in expected]  # equal priorities share a rank
    assert [t["rank"] for t in expected] == [1 + sum(x["priority"] > t["priority"] for x in expected) for t in expected]
    assert [r["优先度 Priority"] for r in rows] == [t["priority"] for t in expected]
    assert [r["可填补缺口数 Gaps filled"] for r in rows] == [t["gap_count"] for t in expected]
    head = [c.value for c in ws[1]]
    assert head[-3:] == list(FOLLOW_UP)
    candidates_head = [c.value for c in wb["候选企业 Candidates"][1]]
    for column in ("企业 Firm", "Firm (en)", "总部 HQ", "HQ (en)", "标签 Tags", "可信度 Confidence", "来源 Sources"):
        assert column in head and column in candidates_head, column
    assert (
        ws.freeze_panes == "A2"
        and ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=len(head)).column_letter}{ws.max_row}"
    )
    status = head.index("跟进状态 Status") + 1
    ranges = [str(v.sqref) for v in ws.data_validations.dataValidation]
    letter = ws.cell(row=1, column=status).column_letter
    assert f"{letter}2:{letter}{ws.max_row}" in ranges, "the status column has the drop-down"
    ranks = {g["segment_id"]: rank for rank, g in enumerate(gaps(bundled_store, cluster="nev"), start=1)}
    for row, item in zip(rows, expected, strict=True):
        lines = row["缺口（严重度、得分、候选名次）Gaps (severity, score, rank)"].split("\n")
        assert len(lines) == len(item["gaps"]) == len(row["Gaps (en)"].split("\n"))
        for line, g in zip(lines, item["gaps"], strict=True):
            assert line.startswith(f"#{ranks[g['segment_id']]} {g['segment_name_zh']}（")
            assert f"候选第 {g['rank']}/{g['candidate_count']}" in line
        assert set(row["来源 Sources"].split(" | ")) == expected_sources(bundled_store, item)
    listed = {r["来源ID Source id"]: r["引用于 Cited in"] for r in sheet_rows(wb["来源 Sources"])}
    cited_here = {s for r in rows for s in r["来源 Sources"].split(" | ")}
    assert cited_here <= set(listed) and any(TARGETS in listed[s] for s in cited_here)
    readme = [c for row in wb["说明 README"].iter_rows(values_only=True) for c in row if c]
    assert TARGETS in readme and len(expected) in readme


def test_the_group_caveat_is_in_the_workbook_too(bundled_store):
    wb = load_workbook(io.BytesIO(cluster_workbook(cluster_report(bundled_store, "biomedicine"))))
    rows = {r["企业ID Firm id"]: r for r in sheet_rows(wb[TARGETS])}
    held = [(t, g) for t in targets(bundled_store, "biomedicine") for g in t["gaps"] if g["group_already_here"]]
    assert held
    for item, gap in held:
        units = "、".join(bundled_store.node(f).name_zh for f in gap["group_firm_ids"])
        assert (
            f"其集团已有本地企业：{units}（扩产，不计入）"
            in rows[item["firm_id"]]["缺口（严重度、得分、候选名次）Gaps (severity, score, rank)"]
        )
        assert "its group is already here" in rows[item["firm_id"]]["Gaps (en)"]


@pytest.mark.parametrize("list_year", [None, 2022])
def test_the_city_workbook_lists_the_citys_targets_once(bundled_store, list_year):
    data = city_report(bundled_store, list_year=list_year)
    wb = load_workbook(io.BytesIO(city_workbook(data)))
    assert wb.sheetnames == list(CITY_SHEETS.values())
    assert wb.sheetnames.index(TARGETS) == wb.sheetnames.index("缺口 Gaps") + 1
    expected = targets(bundled_store, list_year=list_year)
    rows = sheet_rows(wb[TARGETS])
    assert [r["企业ID Firm id"] for r in rows] == [t["firm_id"] for t in expected]
    assert len({r["企业ID Firm id"] for r in rows}) == len(rows), "each firm once across the clusters"
    assert [r["集群ID Cluster ids"] for r in rows] == ["、".join(t["cluster_ids"]) for t in expected]
    clusters = {c["cluster"]["id"] for c in data["clusters"]}
    assert {c for t in expected for c in t["cluster_ids"]} <= clusters
    head = [c.value for c in wb[TARGETS][1]]
    assert head[-3:] == list(FOLLOW_UP)
    city_rank = {
        (row[1], row[4]): row[0] for row in wb["缺口 Gaps"].iter_rows(min_row=2, values_only=True)
    }  # (cluster id, segment id) -> 全市排名
    for row, item in zip(rows, expected, strict=True):
        lines = row["缺口（严重度、得分、候选名次）Gaps (severity, score, rank)"].split("\n")
        for line, g in zip(lines, item["gaps"], strict=True):
            assert f"全市 #{city_rank[(g['cluster_id'], g['segment_id'])]}]" in line, line
    several = [t for t in expected if len(t["cluster_ids"]) > 1]
    if list_year is None:
        assert several, "some firm fills gaps of two clusters in the bundled data"
    readme = [c for row in wb["说明 README"].iter_rows(values_only=True) for c in row if c]
    assert len(expected) in readme


@pytest.mark.browser
def test_the_targets_section_prints_tidily_on_a4(browser, bundled_store, nev_page, poppler, tmp_path: Path):  # noqa: F811
    path = tmp_path / "report-nev.html"
    path.write_text(nev_page, encoding="utf-8")
    visit = ReportVisit(browser, path.as_uri())
    try:
        page = visit.page
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        right = page.evaluate(
            "Math.max(...[...document.querySelectorAll('#targets table, #targets td')]"
            ".map(e => e.getBoundingClientRect().right))"
        )
        assert right <= 794, "the targets table is wider than an A4 page"
        pdf = visit.pdf(tmp_path / "report-nev.pdf")
        assert visit.outside_requests() == []
    finally:
        visit.close()
    assert "A4" in pdf_info(poppler, pdf)["Page size"]
    text = subprocess.run([poppler["pdftotext"], "-raw", str(pdf), "-"], capture_output=True, check=True, text=True)
    pages = [re.sub(r"\s+", "", p) for p in text.stdout.split("\f")]
    first = next(i for i, p in enumerate(pages) if "Whomtoapproachfirst" in p)
    before = pages[first].split("先找谁Whomtoapproachfirst")[0]
    assert re.fullmatch(r"(第\d+页/共\d+页)?(chainkg·常州先进制造业集群产业链)?", before), "the section starts a page"
    end = next(i for i, p in enumerate(pages) if "招商候选企业" in p and i > first)
    assert end - first <= 2, f"the first {TARGETS_TOP} targets take at most two pages, not {end - first}"
    printed = "".join(pages[first:end])
    for item in targets(bundled_store, "nev")[:TARGETS_TOP]:
        assert re.sub(r"\s+", "", item["name_zh"]) in printed, item["name_zh"]


def test_unverified_kinds_are_marked_in_the_report_and_the_workbooks(bundled_store, nev_data, nev_page):
    """Review 8, finding 1: 断链/延链 resting only on unverified links read 断链（待核实） wherever a kind is shown."""
    expected = {g["segment_id"]: g for g in gaps(bundled_store, cluster="nev")}
    unsure = {sid: g for sid, g in expected.items() if g["kind"] in g["kinds_unverified"]}
    assert "nev-mcu-soc" in unsure
    assert any(g["kind"] == "broken_link" for sid, g in expected.items() if sid not in unsure)
    table = section(nev_page, "gaps")
    for rank, g in enumerate(expected.values(), start=1):
        row = table.split(f'<tr id="gap-{rank}">')[1].split("</tr>")[0]
        assert row.count("（待核实）<span") == len(g["kinds_unverified"]), g["segment_id"]
    rows = target_rows(nev_page)
    nxp = next(t for t in nev_data["targets"] if t["firm_id"] == "nxp")
    line = visible(rows[nxp["rank"]]).split("车规级MCU与智驾芯片 ")[1]
    assert line.startswith("缺链 断链 （待核实） (unverified) 延链 （待核实） (unverified) 严重度"), line
    assert "其中 2 个为断链（1 个待核实）" in visible(rows[nxp["rank"]])
    wb = load_workbook(io.BytesIO(cluster_workbook(nev_data)))
    gap_sheet = {r["环节ID Segment id"]: r for r in sheet_rows(wb["缺口 Gaps"])}
    for sid in expected:
        assert gap_sheet[sid]["主类型 Kind"].endswith("（待核实）") == (sid in unsure), sid
    nxp_row = next(r for r in sheet_rows(wb[TARGETS]) if r["企业ID Firm id"] == "nxp")
    zh_lines = nxp_row["缺口（严重度、得分、候选名次）Gaps (severity, score, rank)"]
    assert "车规级MCU与智驾芯片（断链（待核实），" in zh_lines and "电池管理芯片（断链，" in zh_lines
    assert "(broken link (unverified), severity" in nxp_row["Gaps (en)"]


def test_the_workbooks_write_not_given_for_a_missing_hq(bundled_store):
    """Review 8, finding 8: the sheets say 未注明 not given where the report says 未注明, never a blank cell."""
    data = cluster_report(bundled_store, "biomedicine")
    wb = load_workbook(io.BytesIO(cluster_workbook(data)))
    city = load_workbook(io.BytesIO(city_workbook(city_report(bundled_store))))
    no_hq = {t["firm_id"] for t in targets(bundled_store) if not t["hq"]}
    assert no_hq
    seen = 0
    for book in (wb, city):
        for sheet in (TARGETS, "候选企业 Candidates"):
            for row in sheet_rows(book[sheet]):
                assert row["总部 HQ"], (sheet, row["企业ID Firm id"])
                if row["企业ID Firm id"] in no_hq:
                    assert (row["总部 HQ"], row["HQ (en)"]) == ("未注明 not given", "not given")
                    seen += 1
                else:
                    assert row["总部 HQ"] == bundled_store.node(row["企业ID Firm id"]).hq
    assert seen
