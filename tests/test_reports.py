"""The printable reports and the gap workbook, without a browser: sections, numbers, sources, escaping, API, CLI.

The expected values come from the queries (``chain``, ``gaps``, ``candidates``,
``health_ranking``) and from the store, never from the report code itself.
``tests/test_reports_browser.py`` prints the reports to PDF in real Chromium.
"""

from __future__ import annotations

import html as htmllib
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
from queries.figures import is_wider
from queries.gaps import gaps
from queries.health import HEALTH_WEIGHTS, health_ranking
from reports.city_workbook import CITY_SHEETS, city_workbook
from reports.diagram import chain_diagram
from reports.fixtures import FORMULA_NAME, HOSTILE_ANCHOR_ID, HOSTILE_CANDIDATE_ID, HOSTILE_NAME, report_city
from reports.gather import city_report, cluster_report, merged_reasons, summary_report
from reports.html import ServedLinks, render_cluster_report, render_summary_report, report_csp, report_css
from reports.labels import METRIC_LABELS
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
        for group in re.findall(r'<sup class="ref">\[(.+?)\]</sup>', page.html)
        for part in re.sub(r"<[^>]+>", "", group).split(", ")
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
    cluster_head = [c.value for c in wb["集群 Clusters"][1]]
    gap_col = cluster_head.index("缺口数 Gaps")
    assert [row[gap_col] for row in clusters] == [len(expected[h["cluster_id"]]) for h in ranking]
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
    try:
        status = main(argv)
    except SystemExit as stop:  # refused by argparse itself (e.g. --list-year's choices)
        status = stop.code
    assert status == code
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


def visible(fragment: str) -> str:
    """The text of an HTML fragment as a reader sees it: tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", htmllib.unescape(re.sub(r"<[^>]+>", " ", fragment))).strip()


def printed_formula(text: str, head: str) -> list[tuple[float, str, bool]]:
    """The terms of the formula printed after ``head`` (``健康度 =`` or ``health =``): weight, name, complement."""
    found = re.search(re.escape(head) + r"\s*(.+?)(?:[；;。]|\.\s|$)", text)
    assert found, f"no formula starting {head!r} in the page"
    terms = []
    for part in found.group(1).split("+"):
        weight, name = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*·\s*(.+?)\s*", part).groups()
        inner = re.fullmatch(r"[（(]\s*1\s*[−-]\s*(.+?)\s*[）)]", name)
        terms.append((float(weight), inner.group(1) if inner else name, bool(inner)))
    return terms


def printed_number(cell: str) -> float:
    """A printed share (``68.9%``) or score (``0.308``) as a number."""
    cell = cell.strip()
    return float(cell[:-1]) / 100 if cell.endswith("%") else float(cell)


def recompute_summary(html: str) -> dict[str, tuple[float, float]]:
    """Each cluster's printed score and the score recomputed from its printed row and the printed formula.

    Reads only what a reader sees: the formula in the caption (``健康度 = w·term + … + w·（1 − term）``),
    the table's column headings (the Chinese line) and each row's cells. A term ``（1 − X）`` reads a
    column headed ``1 − X``, or one headed ``X`` and takes 1 minus it.
    """
    terms = printed_formula(visible(html), "健康度 =")
    table = html.split('<table class="ranking">')[1].split("</table>")[0]
    heads = [
        visible(re.split(r"<br\s*/?>", th)[0])
        for th in re.findall(r"<th\b[^>]*>(.*?)</th>", table.split("</thead>")[0], flags=re.S)
    ]
    out = {}
    for cid, row in re.findall(r'<tr id="cluster-([^"]+)">(.*?)</tr>', table, flags=re.S):
        cells = [visible(td) for td in re.findall(r"<td\b[^>]*>(.*?)</td>", row, flags=re.S)]
        assert len(cells) == len(heads), (cid, heads, cells)
        value = dict(zip(heads, cells, strict=True))
        total = 0.0
        for weight, name, complement in terms:
            if complement and f"1 − {name}" in value:
                total += weight * printed_number(value[f"1 − {name}"])
                continue
            # the column of the term: named as in the formula, or a short form of it (链主覆盖 for 链主覆盖率)
            column = name if name in value else next((h for h in heads if len(h) > 1 and name.startswith(h)), None)
            assert column, f"the formula's term {name!r} has no column ({heads})"
            number = printed_number(value[column])
            total += weight * (1 - number if complement else number)
        out[cid] = (printed_number(value["健康度"]), total)
    return out


def test_summary_scores_recompute_from_the_printed_formula_and_columns(bundled_store):
    """A reader who applies the printed formula to a printed row gets the printed score, for every cluster."""
    html = render_summary_report(summary_report(bundled_store)).html
    ranking = health_ranking(bundled_store)
    scores = recompute_summary(html)
    assert list(scores) == [h["cluster_id"] for h in ranking]
    for h in ranking:
        printed, recomputed = scores[h["cluster_id"]]
        assert printed == float(f"{h['score']:.3f}")
        # each printed value is rounded by at most 5e-4 (0.1 % or 3 decimals), the weights sum to 1
        assert recomputed == pytest.approx(printed, abs=1.1e-3), h["cluster_id"]
    text = visible(html)
    zh, en = printed_formula(text, "健康度 ="), printed_formula(text, "health =")
    assert [w for w, _, _ in zh] == [w for w, _, _ in en] == list(HEALTH_WEIGHTS.values())
    assert [c for _, _, c in zh] == [c for _, _, c in en]
    assert "solid share" in [n for _, n, _ in en] and "稳固环节占比" in [n for _, n, _ in zh]
    method = html.split('<dl class="defs">')[1].split("</dl>")[0]
    assert printed_formula(visible(method), "健康度 =") == zh and printed_formula(visible(method), "health =") == en


def test_recompute_catches_a_formula_that_is_not_the_codes():
    """The check above fails on the summary as printed before (``0.20·（1 − 弱链占比）``, weak share shown)."""
    row = (
        '<tr id="cluster-nev"><td>6</td><td>nev</td><td><strong>0.448</strong></td><td>69.0%</td><td>17.2%</td>'
        "<td>27.6%</td><td>0.692</td><td>29 / 37 / 17</td><td>—</td></tr>"
    )
    old = (
        "<figcaption>健康度 = 0.40·覆盖率 + 0.25·链主覆盖率 + 0.20·（1 − 弱链占比）+ 0.15·（1 − 集中度）；"
        "条形按加权分量分段。</figcaption>"
        '<table class="ranking"><thead><tr><th class="num">排名</th><th>集群 <span class="en">Cluster</span></th>'
        '<th class="num">健康度<br><span class="en">Score</span></th><th class="num">覆盖率<br>Coverage</th>'
        '<th class="num">链主覆盖<br>Anchors</th><th class="num">弱链占比<br>Weak</th>'
        '<th class="num">集中度<br>Concentr.</th><th class="num">环节/企业/缺口</th><th>最新产值</th></tr></thead>'
        f"<tbody>{row}</tbody></table>"
    )
    printed, recomputed = recompute_summary(old)["nev"]
    assert printed == 0.448 and recomputed == pytest.approx(0.510, abs=1e-3)


def test_summary_says_what_the_score_does_not_measure(bundled_store):
    html = render_summary_report(summary_report(bundled_store)).html
    caveat = html.split('id="health-caveat"')[1].split("</p>")[0]
    assert html.index('id="health-caveat"') < html.index('<table class="ranking">')
    text = visible(caveat)
    assert "不衡量产值、规模" in text and "环节划分较少" in text and "弱链环节较多" in text
    assert "not output, size" in text and "fewer segments" in text and "many weak segments" in text


def below_in_chain(store, cluster_id: str) -> dict[str, set[str]]:
    """Each segment of the cluster's chain with the segments under it (transitively, itself left out)."""
    parent = {s["id"]: s.get("parent_id") for s in chain(store, cluster_id)["segments"]}
    out: dict[str, set[str]] = {sid: set() for sid in parent}
    for sid in parent:
        up = parent[sid]
        while up:
            out.setdefault(up, set()).add(sid)
            up = parent.get(up)
    return out


def test_candidate_firms_are_counted_once(bundled_store, tmp_path, capsys):
    """“N candidate firms” counts distinct firms; an entry is one firm for one gap, and a firm a parent gap
    repeats from a sub-segment gap (汽车芯片 from 电池管理芯片 and 车规级MCU与智驾芯片) is one entry, not two."""
    expected = gaps(bundled_store, cluster="nev")
    per_gap = {
        g["segment_id"]: {c["firm_id"] for c in rank_candidates(bundled_store, g["segment_id"])} for g in expected
    }
    below = below_in_chain(bundled_store, "nev")
    firms = len(set().union(*per_gap.values()))
    repeated = sum(
        len(ranked & set().union(set(), *(per_gap[s] for s in below[sid] if s in per_gap)))
        for sid, ranked in per_gap.items()
    )
    rows = sum(len(ranked) for ranked in per_gap.values())
    entries = rows - repeated
    assert repeated == 9, "汽车芯片 repeats 9 of its 10 outside firms from its sub-segment gaps"
    assert firms < entries, "some firm is a candidate for several gaps of nev that are not parent and child"
    data = cluster_report(bundled_store, "nev")
    counts = {"firms": firms, "entries": entries, "gaps": len(expected), "repeated": repeated}
    assert data["candidate_counts"] == counts
    note = visible(render_cluster_report(data).html.split('id="candidate-count"')[1].split("</p>")[0])
    assert f"共有 {firms} 家外地候选企业" in note and f"{len(expected)} 个缺口共 {entries} 条候选记录" in note
    assert f"共有的 {repeated} 条只列在下级缺口下，不重复计" in note
    assert (
        f"{firms} distinct candidate firms" in note and f"{entries} candidate entries for {len(expected)} gaps" in note
    )
    assert f"the {repeated} a parent gap shares with its sub-segment gaps" in note
    workbook = load_workbook(io.BytesIO(cluster_workbook(data)))
    readme = [c for row in workbook["说明 README"].iter_rows(values_only=True) for c in row if c]
    assert any(
        f"{firms} distinct firms ({entries} candidate entries for {len(expected)} gaps; {repeated} more rows" in str(c)
        for c in readme
    )
    assert workbook["候选企业 Candidates"].max_row - 1 == entries + repeated  # the sheet keeps one row per gap and firm
    assert main(["report", "nev", "-o", str(tmp_path / "nev.html")]) == 0
    out = capsys.readouterr().out
    assert f"{len(expected)} gaps, top 3 candidates per gap (" in out  # what the HTML shows, then the whole count
    assert f"{firms} candidate firms in all, {entries} entries" in out
    assert f"{entries} candidate firms" not in out


def test_a_cluster_without_nested_gaps_counts_every_entry(store):
    """Without a parent gap over a sub-segment gap nothing is left out: the entries are every gap's firms."""
    expected = gaps(store, cluster="t-nev")
    below = below_in_chain(store, "t-nev")
    ids = {g["segment_id"] for g in expected}
    assert not any(below[g["segment_id"]] & ids for g in expected), "the report city has no nested gaps"
    data = cluster_report(store, "t-nev")
    rows = sum(len(rank_candidates(store, g["segment_id"])) for g in expected)
    assert data["candidate_counts"]["entries"] == rows and data["candidate_counts"]["repeated"] == 0
    note = visible(render_cluster_report(data).html.split('id="candidate-count"')[1].split("</p>")[0])
    assert "不重复计" not in note and "shares with its sub-segment gaps" not in note


def test_gap_reasons_do_not_repeat_supply_as_adjacency(bundled_store):
    """“供给本地强环节：X” implies “紧邻本地强环节：X”: the gap list says it once, in Chinese and English."""
    page = render_cluster_report(cluster_report(bundled_store, "nev")).html
    both = [
        (rank, g)
        for rank, g in enumerate(gaps(bundled_store, cluster="nev"), start=1)
        if {"feeds_strong_segment", "next_to_strong_segment"} <= {r["code"] for r in g["reasons"]}
    ]
    assert both, "nev has a gap that both feeds and adjoins a strong segment"
    for rank, g in both:
        row = visible(page.split(f'<tr id="gap-{rank}">')[1].split("</tr>")[0])
        feeds = next(r for r in g["reasons"] if r["code"] == "feeds_strong_segment")
        for sid in feeds["segment_ids"]:
            seg = bundled_store.node(sid)
            assert row.count(seg.name_zh) == 1, (g["segment_id"], row)  # named once, as a segment it feeds
            assert row.count(seg.name_en) == 1, (g["segment_id"], row)
        assert "紧邻本地强环节" not in row and "next to the strong" not in row


def test_merged_reasons_keep_adjacency_the_supply_does_not_cover(store):
    feeds = {"code": "feeds_strong_segment", "segment_ids": ["t-cell"], "zh": "供给本地强环节：电芯", "en": "feeds"}
    near = {"code": "next_to_strong_segment", "upstream_ids": ["t-anode"], "downstream_ids": ["t-cell"]}
    merged = merged_reasons(store, [feeds, {**near, "zh": "紧邻", "en": "next to"}])
    assert [r["code"] for r in merged] == ["feeds_strong_segment", "next_to_strong_segment"]
    anode, cell = store.node("t-anode"), store.node("t-cell")
    assert merged[1]["zh"] == f"另紧邻本地强环节：{anode.name_zh}" and cell.name_zh not in merged[1]["zh"]
    assert merged[1]["en"].endswith(anode.name_en) and merged[1]["upstream_ids"] == ["t-anode"]
    assert merged[1]["downstream_ids"] == []


def test_published_figures_print_every_digit_the_source_gives(bundled_store):
    """No published figure is rounded: 19.45 亿元 prints as 19.45, not 19.4."""
    summary = render_summary_report(summary_report(bundled_store)).html
    checked = shown = 0
    for h in health_ranking(bundled_store):
        cluster = get_cluster(bundled_store, h["cluster_id"])
        page = render_cluster_report(cluster_report(bundled_store, h["cluster_id"])).html
        figures = page.split('<table class="figures">')[1].split("</table>")[0] if cluster["figures"] else ""
        cells = [visible(c) for c in re.findall(r'<td class="num">(.*?)</td>', figures, flags=re.S)]
        assert len(cells) == len(cluster["figures"])
        for fig, cell in zip(cluster["figures"], cells, strict=True):
            number = re.search(r"\d[\d,]*(?:\.\d+)?", cell).group(0)
            assert float(number.replace(",", "")) == float(fig["value"]), (fig, cell)
            checked += 1
        row = summary.split(f'<tr id="cluster-{h["cluster_id"]}">')[1].split("</tr>")[0]
        output = visible(re.findall(r"<td\b[^>]*>(.*?)</td>", row, flags=re.S)[-1])
        if output != "—":  # output, else another money figure named by its metric (营业收入 Revenue)
            year_and_value = re.search(r"(\d{4})：\D*(\d[\d,]*(?:\.\d+)?)", output)
            metric = next((m for m, label in METRIC_LABELS.items() if output.startswith(label)), "output")
            year = int(year_and_value.group(1))
            published = [f for f in cluster["figures"] if f["year"] == year and f["metric"] == metric]
            assert float(year_and_value.group(2).replace(",", "")) in {float(f["value"]) for f in published}
            shown += metric != "output"
    assert checked and "19.45 亿元" in summary
    assert shown >= 3, "clusters without an output figure show their revenue (review 11)"


def test_cluster_report_explains_in_english_too(bundled_store):
    data = cluster_report(bundled_store, "nev")
    page = render_cluster_report(data).html
    for g in data["gaps"]:
        row = visible(page.split(f'<tr id="gap-{g["rank"]}">')[1].split("</tr>")[0])
        assert g["explanation_en"] in row
        for reason in g["extra_reasons"]:
            assert reason["zh"] in row and reason["en"] in row
        if g["candidates"]:
            group = visible(page.split(f'id="cand-{g["rank"]}"')[1].split("</tbody>")[0])
            for cand in g["candidates"]:
                assert "; ".join(r["en"] for r in cand["reasons"]) in group
    method = visible(page.split('id="method"')[1].split("</section>")[0])
    for words in ("Segment status", "Gap kinds", "Severity", "Candidate score", "Limits", "not output or size"):
        assert words in method
    assert '<span class="en block">' in page and ".en.block" in report_css()


def test_city_workbook_shows_revenue_where_a_cluster_publishes_no_output(bundled_store):
    """Review 11: the summary and the Clusters sheet were blank for clusters the overview labels by revenue."""
    wb = load_workbook(io.BytesIO(city_workbook(city_report(bundled_store))))
    sheet = wb[CITY_SHEETS["clusters"]]
    header = [c.value for c in sheet[1]]
    column = header.index("最新产值（无则营收） Latest output (else revenue)")
    cells = {row[1].value: row[column].value for row in sheet.iter_rows(min_row=2)}
    for cid, cell in cells.items():
        figures = get_cluster(bundled_store, cid)["figures"]
        output = [f for f in figures if f["metric"] == "output" and not is_wider(f)]
        revenue = [f for f in figures if f["metric"] == "revenue" and not is_wider(f)]
        if output:
            assert cell and not cell.startswith(METRIC_LABELS["revenue"]), (cid, cell)
        elif revenue:
            assert cell.startswith(METRIC_LABELS["revenue"] + "："), (cid, cell)
    assert cells["green-steel"] == "营业收入 Revenue：超 1,000 亿元（2022，1-8月）"
