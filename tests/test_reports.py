"""The printable reports and the gap workbook, without a browser: sections, numbers, sources, escaping, API, CLI.

The expected values come from the queries (``chain``, ``gaps``, ``candidates``,
``health_ranking``) and from the store, never from the report code itself.
``tests/test_reports_browser.py`` prints the reports to PDF in real Chromium.
"""

from __future__ import annotations

import io
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook

from chainkg.cli import main
from graph.memory_store import MemoryStore
from graph.model import Cluster, EdgeKind, Firm
from queries.candidates import candidates, rank_candidates
from queries.chain import chain
from queries.clusters import get_cluster
from queries.gaps import gaps
from queries.health import health_ranking
from reports.city_workbook import CITY_SHEETS, city_workbook
from reports.diagram import chain_diagram
from reports.fixtures import FORMULA_NAME, HOSTILE_ANCHOR_ID, HOSTILE_CANDIDATE_ID, HOSTILE_NAME, report_city
from reports.gather import city_report, cluster_report, summary_report
from reports.html import ServedLinks, render_cluster_report, render_summary_report, report_csp, report_css
from reports.workbook import SHEETS, cluster_workbook

SECTIONS = ("overview", "chain", "charts", "gaps", "candidates", "anchors", "method", "sources")
SECTION_TITLES = (
    "公开数据",
    "产业链图谱",
    "各环节本地企业数",
    "缺口严重度排名",
    "缺口清单",
    "招商候选企业",
    "链主企业",
    "来源附录",
)


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(report_city())


@pytest.fixture(scope="module")
def page(store):
    return render_cluster_report(cluster_report(store, "t-nev"))


class Tags(HTMLParser):
    """Every start tag with its attributes, and the page's text."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data):
        self.text.append(data)


def parse(html: str) -> Tags:
    parser = Tags()
    parser.feed(html)
    return parser


def appendix_ids(html: str) -> list[str]:
    """Source ids in the appendix, in number order."""
    rows = re.findall(r'<tr id="src-(\d+)">.*?<span class="id">([^<]+)</span>', html, flags=re.S)
    assert [int(n) for n, _ in rows] == list(range(1, len(rows) + 1))
    return [sid for _, sid in rows]


def expected_sources(store: MemoryStore, cluster_id: str, top: int = 3) -> set[str]:
    """Every source the report must cite, worked out from the store and the queries."""
    cluster = store.node(cluster_id)
    assert isinstance(cluster, Cluster)
    ids = set(cluster.sources)
    for item in (*cluster.listings, *cluster.figures):
        ids |= set(item.sources)
    ch = chain(store, cluster_id)
    inside = {s["id"] for s in ch["segments"]}
    for seg in ch["segments"]:
        ids |= set(seg["sources"])
    for link in ch["links"]:
        if not link["cross_cluster"]:
            ids |= set(link["sources"])
    children: dict[str, set[str]] = {}
    for seg in ch["segments"]:
        if seg["parent_id"]:
            children.setdefault(seg["parent_id"], set()).add(seg["id"])
    for gap in gaps(store, cluster=cluster_id):
        subtree, todo = set(), [gap["segment_id"]]
        while todo:
            sid = todo.pop()
            subtree.add(sid)
            todo += list(children.get(sid, ()))
        for cand in candidates(store, gap["segment_id"], limit=top):
            ids |= set(cand["sources"])
            for edge in store.edges(EdgeKind.OPERATES_IN, source=cand["firm_id"]):
                if edge.target in subtree:
                    ids |= set(edge.sources)
    for edge in store.edges(EdgeKind.OPERATES_IN):
        firm = store.node(edge.source)
        if edge.target in inside and isinstance(firm, Firm) and firm.is_local:
            if edge.role and edge.role.value == "anchor" or "链主" in firm.tags:
                ids |= set(firm.sources) | set(edge.sources)
    return ids


def test_report_has_every_section_in_order(page):
    positions = [page.html.index(f'id="{section}"') for section in SECTIONS]
    assert positions == sorted(positions)
    for title in SECTION_TITLES:
        assert title in page.html
    assert "@page" in report_css() and "size: A4" in report_css() and "break-before: page" in report_css()


def test_gap_table_and_candidates_follow_the_queries(store, page):
    expected = gaps(store, cluster="t-nev")
    rows = re.findall(r'<tr id="gap-(\d+)">.*?<strong>([^<]+)</strong>', page.html, flags=re.S)
    assert [int(n) for n, _ in rows] == list(range(1, len(expected) + 1))
    assert [name for _, name in rows] == [g["segment_name_zh"] for g in expected]
    for gap in expected:
        assert gap["explanation_zh"] in page.html
    lithium = candidates(store, "t-lithium", limit=3)
    group = page.html.split('id="cand-1"')[1].split("</tbody>")[0]
    names = re.findall(r'<tr class="candidate">.*?<strong>([^<]+)</strong>', group, flags=re.S)
    assert [n.replace("&lt;", "<").replace("&gt;", ">") for n in names] == [c["name_zh"] for c in lithium]
    for cand in lithium:
        assert "；".join(r["zh"] for r in cand["reasons"]).split("；")[0] in group
    without = [g for g in expected if not candidates(store, g["segment_id"])]
    note = page.html.split('id="no-candidates"')[1].split("</p>")[0] if without else ""
    for gap in without:
        assert gap["segment_name_zh"] in note


def test_header_shows_figures_by_year_with_sources(store, page):
    cluster = get_cluster(store, "t-nev")
    figures = page.html.split('<table class="figures">')[1].split("</table>")[0]
    assert figures.count("<tr>") == len(cluster["figures"]) + 1  # header row
    assert "超 1,300 亿元" in figures and '<sup class="ref">' in figures


def test_every_cited_source_is_in_the_appendix_and_nothing_else(store, page):
    listed = appendix_ids(page.html)
    assert len(listed) == len(set(listed))
    assert set(listed) == expected_sources(store, "t-nev")
    marks = {
        int(n)
        for group in re.findall(r'<sup class="ref">\[([^\]]+)\]</sup>', page.html)
        for part in group.split(", ")
        for n in _expand(part)
    }
    assert marks == set(range(1, len(listed) + 1))
    mirror_row = page.html.split(f'<tr id="src-{listed.index("s-mirror") + 1}">')[1].split("</tr>")[0]
    assert "badge mirror" in mirror_row and "镜像 Mirror" in mirror_row


def _expand(part: str) -> list[int]:
    if "–" in part:
        first, last = part.split("–")
        return list(range(int(first), int(last) + 1))
    return [int(part)]


def test_text_from_data_is_escaped(page):
    assert HOSTILE_NAME not in page.html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
    assert "<img src=x" not in page.html and "<iframe" not in page.html and "<u>tag" not in page.html
    tags = parse(page.html).tags
    assert not [t for t, _ in tags if t in {"script", "img", "iframe", "object", "embed", "link", "base", "form"}]
    assert not [a for _, a in tags if any(k.startswith("on") for k in a)]
    hrefs = [a["href"] for t, a in tags if t == "a"]
    assert not [h for h in hrefs if h and h.lower().startswith("javascript:")]
    assert "javascript:alert(4)" in page.html  # the mirror's bad URL shows as text, not as a link


def test_page_is_self_contained_and_its_policy_allows_only_its_style(page):
    tags = parse(page.html).tags
    assert not [a for _, a in tags if "src" in a or "srcset" in a]
    assert "@import" not in page.html and "url(http" not in page.html and "//" not in report_css()
    styles = re.findall(r"<style>(.*?)</style>", page.html, flags=re.S)
    assert styles == [report_css()]
    meta = [a["content"] for t, a in tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
    assert meta == [page.csp] and page.csp == report_csp()
    assert "script-src 'none'" in page.csp and "default-src 'none'" in page.csp and "unsafe" not in page.csp


def test_anchor_firms_are_the_local_anchors_of_the_cluster(store, page):
    section = page.html.split('id="anchors"')[1].split("</section>")[0]
    inside = {s["id"] for s in chain(store, "t-nev")["segments"]}
    expected = set()
    for edge in store.edges(EdgeKind.OPERATES_IN):
        firm = store.node(edge.source)
        if edge.target in inside and isinstance(firm, Firm) and firm.is_local:
            if (edge.role and edge.role.value == "anchor") or "链主" in firm.tags:
                expected.add(firm.id)
    shown = set(re.findall(r'<span class="id">([^<]+)</span>', section))
    assert shown == expected and HOSTILE_ANCHOR_ID in shown


def test_diagram_lays_segments_out_upstream_to_downstream(store):
    ch = chain(store, "t-nev")
    ranks = {g["segment_id"]: i for i, g in enumerate(gaps(store, cluster="t-nev"), start=1)}
    diagram = chain_diagram(ch, ranks)
    assert set(diagram.boxes) == {s["id"] for s in ch["segments"]}
    order = {"upstream": 0, "midstream": 1, "downstream": 2}
    for a in ch["segments"]:
        for b in ch["segments"]:
            if order.get(a["position"], 9) < order.get(b["position"], 9):
                assert diagram.boxes[a["id"]].column < diagram.boxes[b["id"]].column
    internal = [lk for lk in ch["links"] if not lk["cross_cluster"]]
    assert diagram.svg.count('class="link') == len(internal)
    boxes = list(diagram.boxes.values())
    for i, a in enumerate(boxes):
        for b in boxes[i + 1 :]:
            apart = a.x + a.w <= b.x or b.x + b.w <= a.x or a.y + a.h <= b.y or b.y + b.h <= a.y
            assert apart, "two segment boxes overlap"
    assert 'class="seg missing"' in diagram.svg and 'stroke-dasharray="4 2"' in diagram.svg
    assert f"缺链 #{ranks['t-lithium']}" in diagram.svg


def test_charts_have_one_bar_per_segment_and_per_gap(store, page):
    charts = page.html.split('id="charts"')[1].split("</section>")[0]
    coverage = charts.split('class="chart coverage-chart"')[1].split("</svg>")[0]
    severity = charts.split('class="chart severity-chart"')[1].split("</svg>")[0]
    assert coverage.count('<g class="bar">') == len(chain(store, "t-nev")["segments"])
    assert severity.count('<g class="bar">') == len(gaps(store, cluster="t-nev"))


def test_workbook_holds_the_rows_of_the_queries(bundled_store):
    data = cluster_report(bundled_store, "nev")
    wb = load_workbook(io.BytesIO(cluster_workbook(data)))
    assert wb.sheetnames == list(SHEETS.values())
    expected_gaps = gaps(bundled_store, cluster="nev")
    expected_candidates = sum(len(rank_candidates(bundled_store, g["segment_id"])) for g in expected_gaps)
    inside = {s["id"] for s in chain(bundled_store, "nev")["segments"]}
    expected_firm_rows = sum(1 for e in bundled_store.edges(EdgeKind.OPERATES_IN) if e.target in inside)
    sheets = {
        "缺口 Gaps": len(expected_gaps),
        "候选企业 Candidates": expected_candidates,
        "企业 Firms": expected_firm_rows,
    }
    for name, rows in sheets.items():
        ws = wb[name]
        assert ws.max_row - 1 == rows, name
        assert ws.freeze_panes == "A2"
        assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=ws.max_column).column_letter}{rows + 1}"
        assert all(ws.column_dimensions[c.column_letter].width > 5 for c in ws[1])
    gap_sheet = wb["缺口 Gaps"]
    assert [c.value for c in gap_sheet[1]][:3] == ["排名 Rank", "环节ID Segment id", "环节 Segment"]
    assert [row[1] for row in gap_sheet.iter_rows(min_row=2, values_only=True)] == [
        g["segment_id"] for g in expected_gaps
    ]
    assert gap_sheet.cell(row=2, column=3).value == expected_gaps[0]["segment_name_zh"]
    assert gap_sheet.data_validations.dataValidation, "the follow-up status column has a drop-down"
    readme = [c for row in wb["说明 README"].iter_rows(values_only=True) for c in row if c]
    assert bundled_store.version() in readme and any("候选企业" in str(c) for c in readme)
    sources = wb["来源 Sources"]
    listed = {row[0] for row in sources.iter_rows(min_row=2, values_only=True)}
    cited = set()
    for name in ("缺口 Gaps", "候选企业 Candidates", "企业 Firms"):
        ws = wb[name]
        col = [c.value for c in ws[1]].index("来源 Sources") + 1
        for row in ws.iter_rows(min_row=2, min_col=col, max_col=col, values_only=True):
            cited |= {s for s in str(row[0] or "").split(" | ") if s}
    assert cited <= listed
    assert sources.freeze_panes == "A2" and sources.auto_filter.ref


def test_workbook_writes_data_as_text_never_as_formulas(store):
    wb = load_workbook(io.BytesIO(cluster_workbook(cluster_report(store, "t-nev"))))
    ws = wb["候选企业 Candidates"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    firm_ids = [row[4] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert HOSTILE_CANDIDATE_ID in firm_ids
    mirrors = {row[0]: row[7] for row in wb["来源 Sources"].iter_rows(min_row=2, values_only=True)}
    assert mirrors["s-mirror"] == "是"


def test_city_workbook_holds_every_clusters_gaps_ranked_together(bundled_store):
    data = city_report(bundled_store)
    wb = load_workbook(io.BytesIO(city_workbook(data)))
    assert wb.sheetnames == list(CITY_SHEETS.values())
    ranking = health_ranking(bundled_store)
    clusters = list(wb["集群 Clusters"].iter_rows(min_row=2, values_only=True))
    assert [(row[0], row[1]) for row in clusters] == [(h["rank"], h["cluster_id"]) for h in ranking]
    assert len(clusters) >= 10
    expected = {h["cluster_id"]: gaps(bundled_store, cluster=h["cluster_id"]) for h in ranking}
    assert [row[13] for row in clusters] == [len(expected[h["cluster_id"]]) for h in ranking]
    sheet = wb["缺口 Gaps"]
    head = [c.value for c in sheet[1]]
    assert head[:5] == [
        "全市排名 City rank",
        "集群ID Cluster id",
        "集群 Cluster",
        "集群内排名 Rank in cluster",
        "环节ID Segment id",
    ]
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == sum(len(v) for v in expected.values())
    assert [row[0] for row in rows] == list(range(1, len(rows) + 1))
    severity = head.index("严重度 Severity")
    assert [row[severity] for row in rows] == sorted((row[severity] for row in rows), reverse=True)
    for cid, items in expected.items():
        mine = sorted((row for row in rows if row[1] == cid), key=lambda row: row[3])
        assert [(row[3], row[4]) for row in mine] == [(i, g["segment_id"]) for i, g in enumerate(items, start=1)]
    city_rank = {(row[1], row[4]): row[0] for row in rows}
    candidates_sheet = list(wb["候选企业 Candidates"].iter_rows(min_row=2, values_only=True))
    assert len(candidates_sheet) == sum(
        len(rank_candidates(bundled_store, g["segment_id"])) for items in expected.values() for g in items
    )
    assert all(row[2] == city_rank[(row[0], row[4])] for row in candidates_sheet)
    assert [row[2] for row in candidates_sheet] == sorted(row[2] for row in candidates_sheet)
    firms = list(wb["企业 Firms"].iter_rows(min_row=2, values_only=True))
    inside = {cid: {s["id"] for s in chain(bundled_store, cid)["segments"]} for cid in expected}
    assert len(firms) == sum(
        1 for e in bundled_store.edges(EdgeKind.OPERATES_IN) for cid in inside if e.target in inside[cid]
    )
    for name in ("集群 Clusters", "缺口 Gaps", "候选企业 Candidates", "企业 Firms", "来源 Sources"):
        ws = wb[name]
        assert ws.freeze_panes == "A2", name
        assert ws.auto_filter.ref == f"A1:{ws.cell(row=1, column=ws.max_column).column_letter}{ws.max_row}", name
    assert wb["缺口 Gaps"].data_validations.dataValidation, "the follow-up status column has a drop-down"
    listed = {row[0] for row in wb["来源 Sources"].iter_rows(min_row=2, values_only=True)}
    for name in ("集群 Clusters", "缺口 Gaps", "候选企业 Candidates", "企业 Firms"):
        ws = wb[name]
        col = [c.value for c in ws[1]].index("来源 Sources")
        cited = {s for row in ws.iter_rows(min_row=2, values_only=True) for s in str(row[col] or "").split(" | ") if s}
        assert cited and cited <= listed, name
    readme = [c for row in wb["说明 README"].iter_rows(values_only=True) for c in row if c]
    assert bundled_store.version() in readme and len(rows) in readme


def test_city_workbook_of_one_list_and_hostile_text(store):
    wb = load_workbook(io.BytesIO(city_workbook(city_report(store))))
    cells = [c for row in wb["候选企业 Candidates"].iter_rows(min_row=2) for c in row if c.value == FORMULA_NAME]
    assert cells and all(c.data_type == "s" for c in cells)
    on_list = [h["cluster_id"] for h in health_ranking(store, list_year=2024)]
    assert 0 < len(on_list) < len(health_ranking(store)), "the fixture has clusters on and off the 2024 list"
    wb = load_workbook(io.BytesIO(city_workbook(city_report(store, list_year=2024))))
    assert [row[1] for row in wb["集群 Clusters"].iter_rows(min_row=2, values_only=True)] == on_list
    assert {row[1] for row in wb["缺口 Gaps"].iter_rows(min_row=2, values_only=True)} <= set(on_list)


def test_summary_ranks_every_cluster_by_health(bundled_store):
    data = summary_report(bundled_store)
    html = render_summary_report(data, links=ServedLinks()).html
    expected = health_ranking(bundled_store)
    rows = re.findall(r'<tr id="cluster-([^"]+)">', html)
    assert rows == [h["cluster_id"] for h in expected]
    for h in expected:
        row = html.split(f'<tr id="cluster-{h["cluster_id"]}">')[1].split("</tr>")[0]
        assert f"{h['score']:.3f}" in row and f"{100 * h['components']['coverage']:.1f}%" in row
        assert f'href="clusters/{h["cluster_id"]}"' in row
    assert html.count('<g class="bar">') == len(expected)
    top = html.split('id="top-gaps"')[1].split("</table>")[0]
    for h in expected:
        for gap in h["top_gaps"]:
            name = bundled_store.node(gap["segment_id"]).name_zh
            assert f"{name}（{gap['severity']:.3f}）：" in top
            assert gap["explanation_zh"].split("：", 1)[-1] in top
    assert set(appendix_ids(html)) >= {s for h in data["ranking"] for lst in h["listings"] for s in lst["sources"]}
    on_2022 = summary_report(bundled_store, list_year=2022)["ranking"]
    assert [h["cluster_id"] for h in on_2022] == [
        h["cluster_id"] for h in health_ranking(bundled_store, list_year=2022)
    ]


@pytest.fixture(scope="module")
def client(store):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from chainkg.settings import Settings

    with TestClient(create_app(store, Settings.from_env(env={}))) as c:
        yield c


def test_served_report_has_the_views_security_headers(client, page):
    answer = client.get("/reports/clusters/t-nev")
    assert answer.status_code == 200 and answer.headers["content-type"].startswith("text/html")
    assert answer.headers["content-security-policy"] == page.csp + "; frame-ancestors 'none'"
    assert answer.headers["x-frame-options"] == "DENY" and answer.headers["x-content-type-options"] == "nosniff"
    assert answer.headers["referrer-policy"] == "no-referrer"
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in answer.text and HOSTILE_NAME not in answer.text
    assert 'href="t-nev.xlsx"' in answer.text and 'href="../summary"' in answer.text
    assert client.get("/reports/clusters/t-nev?top=1").text.count('<tr class="candidate">') == sum(
        1 for g in gaps(client.app.state.store, cluster="t-nev") if candidates(client.app.state.store, g["segment_id"])
    )


@pytest.mark.parametrize("path", ["/reports/clusters/t-nev.xlsx", "/reports/clusters/t-nev?format=xlsx"])
def test_served_workbook(client, path):
    answer = client.get(path)
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="gaps-t-nev.xlsx"' in answer.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(answer.content))
    assert wb["缺口 Gaps"].max_row - 1 == len(gaps(client.app.state.store, cluster="t-nev"))


def test_served_city_workbook(client):
    answer = client.get("/reports/summary.xlsx")
    assert answer.status_code == 200
    assert answer.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    assert 'filename="gaps-all.xlsx"' in answer.headers["content-disposition"]
    wb = load_workbook(io.BytesIO(answer.content))
    store = client.app.state.store
    assert wb["缺口 Gaps"].max_row - 1 == sum(len(gaps(store, cluster=c)) for c in ("t-nev", "t-ess"))
    assert client.get("/reports/summary.xlsx?list_year=2023").status_code == 422
    assert "/reports/summary.xlsx" in client.get("/openapi.json").json()["paths"]


def test_served_summary(client):
    answer = client.get("/reports/summary")
    assert answer.status_code == 200 and "script-src 'none'" in answer.headers["content-security-policy"]
    assert re.findall(r'<tr id="cluster-([^"]+)">', answer.text) == ["t-nev", "t-ess"]
    assert 'href="summary.xlsx"' in answer.text and 'href="../api/v1/health-ranking"' in answer.text
    one_list = client.get("/reports/summary?list_year=2024").text
    assert 'href="summary.xlsx?list_year=2024"' in one_list
    workbook = client.get("/reports/summary.xlsx?list_year=2024")  # the link, resolved against /reports/summary
    assert workbook.status_code == 200 and 'filename="gaps-all-2024.xlsx"' in workbook.headers["content-disposition"]
    assert client.get("/api/v1/health-ranking").status_code == 200
    assert "summary.xlsx" not in render_summary_report(summary_report(client.app.state.store)).html


def test_unknown_cluster_is_a_404_with_suggestions(client):
    answer = client.get("/reports/clusters/t-nv")
    assert answer.status_code == 404 and answer.headers["content-type"].startswith("text/html")
    assert 'href="t-nev"' in answer.text and "script-src 'none'" in answer.headers["content-security-policy"]
    problem = client.get("/reports/clusters/t-nv.xlsx")
    assert problem.status_code == 404 and problem.headers["content-type"] == "application/problem+json"
    assert "t-nev" in problem.json()["suggestions"]
    assert client.get("/reports/clusters/t-nev?top=0").status_code == 422
    assert client.get("/reports/summary?list_year=2023").status_code == 422


def test_report_command_writes_html_workbook_and_summary(tmp_path, capsys):
    html, xlsx, summary = tmp_path / "report.html", tmp_path / "gaps.xlsx", tmp_path / "summary.html"
    assert main(["report", "nev", "-o", str(html)]) == 0
    assert "wrote" in capsys.readouterr().out
    text = html.read_text(encoding="utf-8")
    assert "新能源汽车" in text and 'id="sources"' in text and "<script" not in text
    assert main(["report", "nev", "--xlsx", "-o", str(xlsx)]) == 0
    assert load_workbook(xlsx).sheetnames == list(SHEETS.values())
    assert main(["report", "--all", "-o", str(summary)]) == 0
    assert summary.read_text(encoding="utf-8").count('<tr id="cluster-') >= 10
    summary.unlink()
    assert main(["report", "all", "-o", str(summary)]) == 0 and summary.exists()
    everything = tmp_path / "all.xlsx"
    assert main(["report", "--all", "--xlsx", "-o", str(everything)]) == 0
    out = capsys.readouterr()
    book = load_workbook(everything)
    assert book.sheetnames == list(CITY_SHEETS.values())
    count = book["集群 Clusters"].max_row - 1
    assert count >= 10 and f"{count} clusters" in out.out and f"gathering clusters: {count}/{count}" in out.err


def test_report_command_default_names(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "nev"]) == 0 and Path("report-nev.html").exists()
    assert main(["report", "nev", "--xlsx"]) == 0 and Path("gaps-nev.xlsx").exists()
    assert main(["report", "--all"]) == 0 and Path("summary.html").exists()
    assert main(["report", "--all", "--xlsx"]) == 0 and Path("gaps-all.xlsx").exists()
    assert main(["report", "--all", "--xlsx", "--list-year", "2024"]) == 0 and Path("gaps-all-2024.xlsx").exists()


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["report"], 2, "give a cluster id"),
        (["report", "nev", "--all"], 2, "not both"),
        (["report", "--all", "--xlsx", "-o", "x.html"], 2, "must end in .xlsx"),
        (["report", "--all", "--list-year", "2023"], 2, "2022"),
        (["report", "nev", "--list-year", "2022"], 2, "does not take it"),
        (["report", "nev", "-o", "x.pdf"], 2, "must end in .html"),
        (["report", "nev", "--xlsx", "-o", "x.html"], 2, "must end in .xlsx"),
        (["report", "nev", "-o", "../x.html"], 2, "'..'"),
        (["report", "nev", "--top", "0"], 2, "--top"),
        (["report", "nevv"], 2, "Did you mean: nev"),
    ],
)
def test_report_command_errors(tmp_path, monkeypatch, capsys, argv, code, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    assert message in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.neo4j
def test_same_report_and_workbook_on_neo4j(neo4j_store):
    """The report is written once against ``GraphStore``: Neo4j gives the same pages and rows."""
    import datetime as dt

    dataset = report_city()
    if not neo4j_store.version().endswith(dataset.fingerprint()):
        neo4j_store.replace(dataset)
    reference = MemoryStore(dataset)
    day = dt.date(2026, 1, 1)
    for cluster_id in ("t-nev", "t-ess"):
        ours = cluster_report(reference, cluster_id, today=day)
        theirs = cluster_report(neo4j_store, cluster_id, today=day)
        html = [render_cluster_report(d).html.replace(d["data_version"], "VERSION") for d in (ours, theirs)]
        assert html[0] == html[1]
        books = [load_workbook(io.BytesIO(cluster_workbook(d))) for d in (ours, theirs)]
        for name in list(SHEETS.values())[1:]:
            rows = [list(b[name].iter_rows(values_only=True)) for b in books]
            assert rows[0] == rows[1], name
    cities = [load_workbook(io.BytesIO(city_workbook(city_report(s, today=day)))) for s in (reference, neo4j_store)]
    for name in list(CITY_SHEETS.values())[1:]:
        rows = [list(b[name].iter_rows(values_only=True)) for b in cities]
        assert rows[0] == rows[1], name
    summaries = [summary_report(s, today=day) for s in (reference, neo4j_store)]
    pages = [render_summary_report(d).html.replace(d["data_version"], "VERSION") for d in summaries]
    assert pages[0] == pages[1]
