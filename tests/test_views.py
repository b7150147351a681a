"""The HTML views without a browser: networks, escaping, self-containment, CSP, routes and ``chainkg render``.

The browser half (real Chromium) is ``tests/test_views_browser.py``.
"""

from __future__ import annotations

import base64
import hashlib
import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

import pytest
from pyvis.network import Network

from chainkg.cli import main
from graph.memory_store import MemoryStore
from tests.cli_support import chainkg
from viz.cluster import MAX_NODES, stage_headings
from viz.firm import MAX_NEIGHBOURS
from viz.fixtures import HOSTILE_FIRM_ID, HOSTILE_NAME, hostile_city, hub_firm, synthetic_cluster
from viz.render import LinkStyle, render_view
from viz.style import COLOURS
from viz.views import VIEW_KINDS, build_view

SUBJECTS = {"overview": None, "cluster": "t-nev", "firm": "f-cell-a", "segment": "t-lithium"}


class PageParts(HTMLParser):
    """Collect tags, attributes and the text of each inline script and style."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[tuple[dict[str, str | None], str]] = []
        self.styles: list[str] = []
        self._open: tuple[str, dict[str, str | None]] | None = None
        self._text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        if tag in ("script", "style"):
            self._open, self._text = (tag, dict(attrs)), []

    def handle_data(self, data: str) -> None:
        if self._open:
            self._text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and tag == self._open[0]:
            text = "".join(self._text)
            if tag == "script":
                self.scripts.append((self._open[1], text))
            else:
                self.styles.append(text)
            self._open = None


def parse(html: str) -> PageParts:
    parts = PageParts()
    parts.feed(html)
    return parts


def sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"


@pytest.fixture(scope="module")
def hostile_store() -> MemoryStore:
    return MemoryStore(hostile_city())


@pytest.fixture(scope="module")
def pages(hostile_store):
    """Each kind of view on the hostile city, rendered for file:// use."""
    out = {}
    for kind, node_id in SUBJECTS.items():
        net = build_view(hostile_store, kind, node_id)
        out[kind] = (net, render_view(net, LinkStyle.file()))
    return out


def test_every_view_is_a_pyvis_network(pages):
    assert set(pages) == set(VIEW_KINDS)
    for kind, (net, _) in pages.items():
        assert isinstance(net, Network), kind
        assert net.num_nodes() > 0 and net.view_kind == kind


def test_cluster_view_colours_gaps_and_hides_firms(hostile_store):
    net = build_view(hostile_store, "cluster", "t-nev")
    nodes = net.node_map
    assert nodes["t-lithium"]["color"]["background"] == COLOURS["missing"]
    assert nodes["t-cathode"]["color"]["background"] == COLOURS["weak"]
    assert nodes["t-cell"]["color"]["background"] == COLOURS["segment"]
    # anchors shown as stars; other firms hidden until clicked or toggled
    assert nodes["f-cell-a"]["shape"] == "star" and not nodes["f-cell-a"].get("hidden")
    assert nodes["f-cell-b"]["hidden"]
    assert "f-cell-b" in nodes["t-cell"]["info"]["children"]
    # columns upstream → downstream, placed left to right in Python with physics off
    assert nodes["t-lithium"]["level"] < nodes["t-cathode"]["level"] < nodes["t-cell"]["level"]
    assert nodes["t-cell"]["level"] < nodes["t-vehicle"]["level"] < nodes["t-recycling"]["level"]
    assert nodes["t-lithium"]["x"] < nodes["t-cathode"]["x"] < nodes["t-cell"]["x"] < nodes["t-vehicle"]["x"]
    assert "hierarchical" not in net.options["layout"]
    assert net.options["physics"]["enabled"] is False
    # the cross-cluster link to energy storage shows the other cluster's segment
    assert "t-ess-system" in nodes and nodes["t-ess-system"]["level"] > nodes["t-recycling"]["level"]
    assert net.firm_toggle and [e.label for e in net.legend][:3] == [
        "环节：强链或一般 Segment: strong or present",
        "缺链 Missing segment (no local firm in the data)",
        "弱链 Weak segment",
    ]


def test_tooltips_name_source_and_date(pages):
    for kind, (net, _) in pages.items():
        for item in [*net.nodes, *net.edges]:
            assert "来源 Source:" in item["title"], (kind, item)
            assert "Source: none recorded" not in item["title"], (kind, item)
        dated = [n for n in net.nodes if "2026-11-29" in n["title"]]
        assert dated, kind


def test_segment_view_shows_candidates_and_dependents(hostile_store):
    net = build_view(hostile_store, "segment", "t-ess-bms")
    nodes = net.node_map
    assert nodes["t-ess-bms"]["info"]["statuses"][0] == "missing"
    assert nodes["o-bms-a"]["level"] == 0 and nodes["o-bms-a"]["label"].startswith("#1 ")
    assert nodes["t-ess-system"]["level"] == 3  # one step downstream
    candidates = [s for s in nodes["t-ess-bms"]["info"]["sections"] if s["title"].startswith("候选")][0]
    assert candidates["items"][0]["ref"] == ["firm", "o-bms-a"] and candidates["items"][0]["detail"]


def test_gap_panels_say_whether_an_outside_firm_could_fill_it(hostile_store):
    """A gap's panel gives its candidate count, or says none is known yet (需另行调研), as the report does."""
    from queries.gaps import gaps
    from viz.parts import NO_CANDIDATES, NO_CANDIDATES_EN

    items = gaps(hostile_store)
    none = next(g for g in items if g["candidate_count"] == 0)
    some = next(g for g in items if g["candidate_count"] > 0)
    for gap, shown in ((none, NO_CANDIDATES), (some, str(some["candidate_count"]))):
        panel = build_view(hostile_store, "cluster", gap["cluster_id"]).node_map[gap["segment_id"]]["info"]
        assert {f[0]: f[1] for f in panel["fields"]}["外地候选 Outside candidates"] == shown
        view = build_view(hostile_store, "segment", gap["segment_id"]).node_map[gap["segment_id"]]["info"]
        section = next(s for s in view["sections"] if s["title"].startswith("候选"))
        if gap is none:
            # the Chinese page says it in both languages, the English page in English only
            assert section["items"] == [{"text": NO_CANDIDATES, "text_en": NO_CANDIDATES_EN}]
            assert "需另行调研" in NO_CANDIDATES and not re.search(r"[\u3400-\u9fff]", NO_CANDIDATES_EN)
        else:
            assert len(section["items"]) == min(gap["candidate_count"], 10)
            assert all(item["ref"][0] == "firm" for item in section["items"])


def test_firm_view_has_segments_suppliers_and_parent(hostile_store):
    net = build_view(hostile_store, "firm", "f-cell-b")
    assert {"f-cell-b", "t-cell", "f-cell-a", "t-nev"} <= set(net.node_map)
    parent = [e for e in net.edges if e["from"] == "f-cell-b" and e["to"] == "f-cell-a"]
    assert parent and "Subsidiary" in parent[0]["title"]
    supplier = build_view(hostile_store, "firm", "f-ess-a")
    assert any(e["from"] == "o-bms-a" and e["to"] == "f-ess-a" for e in supplier.edges)


def test_large_cluster_collapses_firms():
    store = MemoryStore(synthetic_cluster(segments=30, firms=MAX_NODES + 100))
    net = build_view(store, "cluster", "syn")
    assert net.num_nodes() < 200
    aggregates = [n for n in net.nodes if n["info"]["kind"] == "aggregate"]
    assert len(aggregates) == 28 and net.notes
    small = build_view(MemoryStore(synthetic_cluster(segments=30, firms=900)), "cluster", "syn")
    assert small.num_nodes() == 30 + 900 + len(stage_headings(small)) and not small.notes
    assert 1 <= len(stage_headings(small)) <= 4  # one heading per chain stage drawn


def test_large_firm_neighbourhood_is_capped_and_laid_out():
    net = build_view(MemoryStore(hub_firm(MAX_NEIGHBOURS + 200)), "firm", "hub")
    assert net.num_nodes() <= MAX_NODES
    assert net.node_map["agg:more"]["label"] == "+200" and net.notes
    assert net.options["physics"]["enabled"] is False  # laid out in rings in Python
    assert all("x" in n and "y" in n for n in net.nodes)


def test_pages_request_nothing_from_outside(pages):
    for kind, (_, page) in pages.items():
        parts = parse(page.html)
        for tag, attrs in parts.tags:
            assert "src" not in attrs, (kind, tag, attrs)
            assert tag not in ("link", "img", "iframe", "object", "embed", "base"), (kind, tag)
            href = attrs.get("href") or ""
            assert not re.match(r"^[a-z][a-z0-9+.-]*:", href), (kind, href)
        for style in parts.styles:
            assert not re.search(r"url\((?!['\"]?data:)", style), kind
            assert "@import" not in style and "@font-face" not in style


def test_csp_allows_exactly_the_inline_code(pages):
    for _, page in pages.values():
        parts = parse(page.html)
        code = [text for attrs, text in parts.scripts if attrs.get("type") != "application/json"]
        assert len(code) == 2
        directives = dict(d.strip().split(" ", 1) for d in page.csp.split(";"))
        assert directives["default-src"] == "'none'" and directives["connect-src"] == "'none'"
        assert set(directives["script-src"].split()) == {sha256(t) for t in code}
        assert set(directives["style-src"].split()) == {sha256(t) for t in parts.styles}
        assert "unsafe" not in page.csp and "http" not in page.csp
        meta = [a for t, a in parts.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy"]
        assert meta and meta[0]["content"] == page.csp


def test_text_from_data_is_escaped(pages):
    for kind, (_, page) in pages.items():
        parts = parse(page.html)
        assert not [t for t, _ in parts.tags if t in ("img", "svg")], kind
        assert HOSTILE_NAME not in page.html and "<script>alert" not in page.html, kind
        inline = [text for attrs, text in parts.scripts if attrs.get("type") == "application/json"]
        assert len(inline) == 1 and "</" not in inline[0], kind
    cluster_html = pages["cluster"][1].html
    assert "\\u003cimg src=x onerror=alert(1)\\u003e" in cluster_html  # in the data, as JSON-escaped text


def test_chinese_font_stack(pages):
    _, page = pages["cluster"]
    for font in ('"Noto Sans CJK SC"', '"PingFang SC"', '"Microsoft YaHei"'):
        assert font in page.html


def test_file_links_and_server_links(hostile_store):
    net = build_view(hostile_store, "cluster", "t-nev")
    html = render_view(net, LinkStyle.file()).html
    assert '"segment": "segment-{id}.html"' in html
    html = render_view(net, LinkStyle.file("http://intranet:8000/")).html
    assert '"segment": "http://intranet:8000/views/segments/{id}"' in html
    assert 'href="http://intranet:8000/api/v1/clusters/t-nev/chain"' in html
    with pytest.raises(ValueError):
        LinkStyle.file("javascript:alert(1)")


# ---- served ----


@pytest.fixture(scope="module")
def hostile_client(hostile_store):
    from fastapi.testclient import TestClient

    from api.app import create_app
    from chainkg.settings import Settings

    with TestClient(create_app(hostile_store, Settings.from_env(env={}))) as client:
        yield client


@pytest.mark.parametrize(
    ("path", "api"),
    [
        ("/views/overview", "../api/v1/clusters"),
        ("/views/clusters/t-nev", "../../api/v1/clusters/t-nev/chain"),
        ("/views/firms/f-cell-a", "../../api/v1/firms/f-cell-a"),
        ("/views/segments/t-lithium", "../../api/v1/segments/t-lithium"),
    ],
)
def test_served_views(hostile_client, path, api):
    r = hostile_client.get(path)
    assert r.status_code == 200 and r.headers["content-type"].startswith("text/html")
    csp = r.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "frame-ancestors 'none'" in csp and "unsafe" not in csp
    assert "script-src 'sha256-" in csp and "http" not in csp
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["referrer-policy"] == "no-referrer" and r.headers["x-frame-options"] == "DENY"
    assert f'href="{api}"' in r.text
    assert HOSTILE_NAME not in r.text


def test_served_view_links_resolve(hostile_client):
    html = hostile_client.get("/views/clusters/t-nev").text
    assert '"segment": "../segments/{id}"' in html and '"overview": "../overview"' in html
    assert hostile_client.get("/views/segments/t-lithium").status_code == 200
    assert hostile_client.get(f"/views/firms/{HOSTILE_FIRM_ID}").status_code == 200


def test_unknown_id_is_an_html_404_with_suggestions(hostile_client):
    r = hostile_client.get("/views/segments/t-lithum")
    assert r.status_code == 404 and r.headers["content-type"].startswith("text/html")
    assert "content-security-policy" in r.headers
    assert '<a href="../segments/t-lithium">t-lithium</a>' in r.text
    r = hostile_client.get("/views/clusters/<script>")
    assert r.status_code == 404 and "<script>" not in r.text and "&lt;script&gt;" in r.text


def test_a_name_in_place_of_the_id_links_to_its_view(hostile_client, hostile_store):
    name = hostile_store.node("t-lithium").name_zh
    r = hostile_client.get(f"/views/segments/{quote(name, safe='')}")
    assert r.status_code == 404
    assert '<li><a href="../segments/t-lithium">t-lithium</a></li>' in r.text


# ---- chainkg render ----


def test_render_command_writes_a_file(tmp_path, capsys):
    out = tmp_path / "nev.html"
    assert main(["render", "cluster", "nev", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and "vis-network" in html
    assert "wrote" in capsys.readouterr().out


def test_render_command_default_name(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(["render", "overview"]) == 0
    assert (tmp_path / "overview.html").is_file()


@pytest.mark.parametrize(
    ("argv", "code", "message"),
    [
        (["render", "cluster", "nev", "-o", "nev.txt"], 2, "must end in .html"),
        (["render", "cluster", "nev", "-o", "../nev.html"], 2, "'..'"),
        (["render", "cluster", "nev", "-o", "no-such-dir/nev.html"], 2, "does not exist"),
        (["render", "cluster", "-o", "x.html"], 2, "needs an id"),
        (["render", "overview", "nev", "-o", "x.html"], 2, "takes no id"),
        (["render", "cluster", "nevv", "-o", "x.html"], 2, "Did you mean: nev"),
        (["render", "firm", "x", "--base-url", "ftp://x", "-o", "x.html"], 2, "http://"),
    ],
)
def test_render_command_errors(tmp_path, monkeypatch, capsys, argv, code, message):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == code
    assert message in capsys.readouterr().err
    assert not any(Path(tmp_path).glob("*.html"))


# ---- layout, figures, search index, labels (the user review of the bundled views) ----


def _rect(node: dict, at: tuple[float, float]) -> tuple[float, float, float, float]:
    """A node's box as drawn at ``at``: around its label for a box, else its shape with the label below."""
    from viz.layout import node_size

    width, height = node_size(node)
    x, y = at
    if node.get("shape", "box") == "box":
        return x - width / 2, y - height / 2, x + width / 2, y + height / 2
    top = y - float(node.get("size", 11))
    return x - width / 2, top, x + width / 2, top + height


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _next_column(net, x: float) -> float:
    return min((n["x"] for n in net.nodes if "owner" not in n and n["x"] > x), default=float("inf"))


@pytest.fixture(scope="module")
def nev_views(bundled_store):
    return build_view(bundled_store, "cluster", "nev"), build_view(bundled_store, "segment", "nev-electrolyte")


def test_firms_stand_beside_the_segment_they_belong_to(bundled_store, nev_views):
    """Every firm stands in the lane right of its own segment, before the next column (review: BYD and Xingyu
    were stacked under 动力电池电芯, Trina under 整车); an anchor stands by a segment it leads."""
    from viz.cluster import gather_cluster

    roles = {(m["firm"], m["segment"]): m["role"] for m in gather_cluster(bundled_store, "nev")["memberships"]}
    for net in nev_views:
        firms = [n for n in net.nodes if "owner" in n]
        assert firms and all(n["info"]["kind"] in ("firm", "aggregate") for n in firms)
        for firm in firms:
            owner = net.node_map[firm["owner"]]
            assert any({e["from"], e["to"]} == {firm["id"], owner["id"]} for e in net.edges), firm["id"]
            places = [(firm["xy_all"], owner["xy_all"])]  # all firms shown, and as the view opens
            places += [((firm["x"], firm["y"]), (owner["x"], owner["y"]))] if "x" in firm else []
            for (x, y), (ox, oy) in places:
                assert ox < x < _next_column(net, ox), (firm["id"], owner["id"])
                assert abs(y - oy) < 400, (firm["id"], owner["id"])
    cluster = nev_views[0]
    stars = [n for n in cluster.nodes if n.get("shape") == "star"]
    assert stars and all(roles[(n["id"], n["owner"])] == "anchor" for n in stars)


def test_column_layout_leaves_no_node_on_another():
    """All firms shown ("show all firms"), nothing overlaps; a click's firms (its lane) cover no segment."""
    for net in (
        build_view(MemoryStore(synthetic_cluster(segments=12, firms=300)), "cluster", "syn"),
        build_view(MemoryStore(hostile_city()), "cluster", "t-nev"),
    ):
        boxes = [(n["id"], _rect(n, n["xy_all"])) for n in net.nodes]
        for i, (a, box_a) in enumerate(boxes):
            for b, box_b in boxes[i + 1 :]:
                assert not _overlap(box_a, box_b), (a, b)
        shown = [_rect(n, (n["x"], n["y"])) for n in net.nodes if "x" in n]
        for seg in (n for n in net.nodes if n.get("lane")):
            for child, (dx, dy) in zip(seg["info"]["children"], seg["lane"], strict=True):
                spot = _rect(net.node_map[child], (seg["x"] + dx, seg["y"] + dy))
                assert not any(_overlap(spot, box) for box in shown), (seg["id"], child)


def test_overview_names_period_and_scope_and_sizes_only_comparable_output(bundled_store):
    net = build_view(bundled_store, "overview")
    nodes = net.node_map
    assert nodes["energy-saving"]["label"].endswith("19.45 亿元 (2024 Q1, 钟楼区)")
    assert nodes["textiles"]["label"].endswith("(2007, 武进)（旧数据）")  # dated since review 15a
    assert "新型碳材料" in nodes["new-materials"]["label"]
    for partial in ("energy-saving", "textiles", "new-materials"):
        node = nodes[partial]
        assert "value" not in node and node["shapeProperties"]["borderDashes"], partial
        fields = {f[0]: f[1] for f in node["info"]["fields"]}
        assert "不与其他集群比较" in fields["口径 Scope"] and "不与其他集群比较" in node["title"]
    assert nodes["nev"]["value"] == 5000.0 and "shapeProperties" not in nodes["nev"]


def test_the_summary_report_names_what_a_partial_output_figure_covers(bundled_store):
    """The summary report picks a cluster's output as the overview does, and says when it covers only a part."""
    from queries.clusters import get_cluster, list_clusters
    from queries.figures import figure_scope, headline_output
    from reports.gather import latest_output, summary_report
    from reports.html import render_summary_report

    partial = {}
    for summary in list_clusters(bundled_store):
        cluster = get_cluster(bundled_store, summary["id"])
        picked = latest_output(cluster)
        assert (picked is None) == (headline_output(cluster["figures"]) is None), summary["id"]
        if picked and picked["scope_label"]:
            assert picked["scope_label"] == figure_scope(picked)
            partial[summary["id"]] = picked["scope_label"]
    assert {"new-materials", "energy-saving"} <= set(partial), partial  # 新型碳材料 only; 钟楼区 only
    html = render_summary_report(summary_report(bundled_store)).html
    for label in partial.values():
        assert f"仅 {label}" in html


def test_search_index_has_pinyin_and_parents(bundled_store):
    import json

    from viz.search_index import search_index

    index = {e["id"]: e for e in search_index(bundled_store)}
    assert {"dianjieyejiliufulinsuanli", "djyjlflsl"} <= set(index["nev-electrolyte"]["py"].split())
    assert "ndsd" in index["catl"]["py"].split() and index["catl"]["o"] == 1
    assert index["catl-jiangsu"]["up"] == "catl" and "o" not in index["catl-jiangsu"]
    plain = [{k: v for k, v in e.items() if k not in ("py", "up", "o")} for e in index.values()]
    size = len(json.dumps(list(index.values()), ensure_ascii=False))
    assert size < 1.5 * len(json.dumps(plain, ensure_ascii=False))  # compact: one string of keys per entry


def test_candidate_marks_and_panel_are_readable(bundled_store):
    net = build_view(bundled_store, "segment", "nev-electrolyte")
    candidates = [n for n in net.nodes if n.get("shape") == "diamond"]
    assert candidates and [e.shape for e in net.legend if e.label.startswith("候选")] == ["diamond"]
    for node in candidates:
        assert re.search(r"^#\d+=? .+ · \d\.\d\d$", node["label"]), node["label"]
        for label, value, *_ in node["info"]["fields"]:
            assert not re.search(r"\d\.\d{4,}", value), (label, value)
            assert re.search(r"[\u4e00-\u9fff]", label), label  # labelled in Chinese, no raw field names
    for edge in net.edges:
        assert not re.search(r"\d\.\d{3,}", edge.get("label", "") + edge["title"]), edge
    subject = net.node_map["nev-electrolyte"]["info"]
    assert not any(re.search(r"\d\.\d{3,}", text) for text in subject["explanations"])


def test_role_labels_follow_the_glossary():
    from viz.style import ROLE_LABELS

    glossary = (Path(__file__).parent.parent / "docs" / "guide-zh.md").read_text(encoding="utf-8")
    row = next(line for line in glossary.splitlines() if "`anchor` / `major` / `member`" in line)
    for role in ("anchor", "major", "member"):
        assert ROLE_LABELS[role].split(" ")[0].rstrip("企业") + "企业" in row, role


def test_tooltips_cite_each_source_once(bundled_store):
    for kind, node_id in (("overview", None), ("cluster", "nev"), ("segment", "nev-electrolyte"), ("firm", "catl")):
        net = build_view(bundled_store, kind, node_id)
        for item in [*net.nodes, *net.edges]:
            lines = [line for line in item["title"].split("\n") if line.startswith("来源 Source:")]
            assert len(lines) == len(set(lines)), (kind, item.get("id"), item["title"])
        for node in net.nodes:
            ids = [s.get("id") for s in node["info"].get("sources", [])]
            assert len(ids) == len(set(ids)), (kind, node["id"])


def test_the_overview_says_why_it_shows_more_than_ten_clusters(bundled_store):
    clusters = bundled_store.nodes("Cluster")
    html = render_view(build_view(bundled_store, "overview", None), LinkStyle.file(None)).html
    assert f"{len(clusters)} clusters: the union of the published lists (2022: " in html


def _spread_rect(node, at, radius):
    from viz.layout import node_size

    width, height = node_size({**node, "size": radius})
    return at[0] - width / 2, at[1] - radius, at[0] + width / 2, at[1] - radius + height


def test_overview_is_placed_in_python_with_no_label_on_another(bundled_store):
    """Review: the force-laid-out overview could draw 新材料's label over 高端装备. Now it is placed in Python, the
    same way each time, physics off, and no cluster (circle and label) lies on another, wide or tall."""
    from viz.layout import scaled_sizes, spread_layout
    from viz.page import ViewNetwork

    first, again = build_view(bundled_store, "overview"), build_view(bundled_store, "overview")
    assert first.options["physics"]["enabled"] is False
    assert [(n["x"], n["y"], n["xy_tall"]) for n in first.nodes] == [
        (n["x"], n["y"], n["xy_tall"]) for n in again.nodes
    ]
    many = ViewNetwork(kind="overview", subject_id=None, title="", api_path="")
    for i in range(40):  # a crowded city: long labels, two lines, some sized by output, some linked
        options = {"value": float(10 + 37 * i % 500)} if i % 3 else {"size": 18}
        many.add_view_node(f"c{i}", f"{'新能源汽车及核心零部件'[: 3 + i % 9]}\n{i}00 亿元 (2024)", kind="cluster",
                           info={}, shape="dot", font={"size": 16}, **options)  # fmt: skip
    for i in range(0, 40, 2):
        many.add_view_edge(f"c{i}", f"c{(i * 7 + 3) % 40}")
    spread_layout(many, scaled_sizes(many, 18, 60))
    for net in (first, many):
        sizes = scaled_sizes(net, 18, 60)
        for key in ("x", "xy_tall"):
            rects = [
                (n["id"], _spread_rect(n, (n["x"], n["y"]) if key == "x" else n["xy_tall"], sizes[n["id"]]))
                for n in net.nodes
            ]
            for i, (a, box_a) in enumerate(rects):
                for b, box_b in rects[i + 1 :]:
                    assert not _overlap(box_a, box_b), (key, a, b)


# ---- review: the overview's ring and sizes, gaps by severity, segment status, outside firms, English ----

SEVERITY = re.compile(r"^(\d\.\d\d) · ")


def _cluster_gaps(store, cluster_id):
    from queries.gaps import gaps

    return gaps(store, cluster=cluster_id)


def test_the_overview_ring_marks_only_clusters_with_severe_gaps(bundled_store):
    """Review: every cluster carried the same red ring ("has missing segments"), so it told nothing."""
    from viz.overview import SEVERE

    net = build_view(bundled_store, "overview")
    ringed = {}
    for node in net.nodes:
        severe = [g for g in _cluster_gaps(bundled_store, node["id"]) if g["severity"] >= SEVERE]
        ringed[node["id"]] = node["color"]["border"] == COLOURS["missing"]
        assert ringed[node["id"]] == bool(severe), node["id"]
        assert (node["borderWidth"] > 2) == bool(severe), node["id"]
    assert any(ringed.values()) and not all(ringed.values()), ringed  # it tells clusters apart
    rings = [e.label for e in net.legend if e.shape == "ring"]
    assert len(rings) == 1 and f"≥ {SEVERE}" in rings[0], rings


def test_the_overview_does_not_draw_a_cluster_without_comparable_output_small(bundled_store):
    """Review: 高端装备 (only a Jan–Aug figure) was drawn at the smallest size, as if it were tiny."""
    from viz.layout import scaled_sizes
    from viz.overview import SIZE_MAX, SIZE_MIN

    net = build_view(bundled_store, "overview")
    sizes = scaled_sizes(net, SIZE_MIN, SIZE_MAX)
    unsized = [n for n in net.nodes if n.get("value") is None]
    assert "high-end-equipment" in {n["id"] for n in unsized}
    for node in unsized:
        assert sizes[node["id"]] >= (SIZE_MIN + SIZE_MAX) / 2, node["id"]
        assert node["shapeProperties"]["borderDashes"] and node["color"]["background"] != COLOURS["cluster"]
    legend = [e for e in net.legend if e.shape == "dot"]
    assert "size = city-wide full-year output" in legend[0].label
    assert legend[1].dashed and "no comparable figure" in legend[1].label
    assert legend[1].colour == net.node_map["high-end-equipment"]["color"]["background"]
    assert "2022 1-8月" in net.node_map["high-end-equipment"]["label"]  # the partial figure, named as such


@pytest.mark.parametrize("view", ["overview", "cluster"])
def test_panels_list_gaps_by_severity_and_show_it(bundled_store, view):
    """Review: the overview's and the cluster view's panels listed gaps by id, without their severity."""
    net = build_view(bundled_store, view, None if view == "overview" else "nev")
    info = net.node_map["nev"]["info"] if view == "overview" else net.summary
    assert info is not None
    gap_list = _cluster_gaps(bundled_store, "nev")
    section = next(s for s in info["sections"] if "most severe first" in s["title"])
    shown = [float(SEVERITY.match(item["text"]).group(1)) for item in section["items"]]  # type: ignore[union-attr]
    assert shown == sorted(shown, reverse=True) and len(shown) == len(gap_list)
    assert shown == sorted((round(g["severity"], 2) for g in gap_list), reverse=True)
    assert [item["ref"][1] for item in section["items"]][0] == max(gap_list, key=lambda g: g["severity"])["segment_id"]


def test_gap_counts_add_up_and_use_the_words_of_the_cli(bundled_store):
    """Review: "Missing 9, Weak 8, Broken link 7, Extension 8" counted a gap under each of its kinds."""
    from queries.gap_kinds import KINDS
    from reports.labels import KIND_LABELS
    from reports.labels import STATUS_LABELS as REPORT_STATUS
    from viz.style import GAP_LABELS, STATUS_LABELS

    assert GAP_LABELS == KIND_LABELS and tuple(GAP_LABELS) == KINDS
    assert STATUS_LABELS == REPORT_STATUS
    net = build_view(bundled_store, "overview")
    for node in net.nodes:
        gap_list = _cluster_gaps(bundled_store, node["id"])
        if not gap_list:
            continue
        field = next(f for f in node["info"]["fields"] if f[0] == "缺口 Gaps")
        head = field[2].split(";")[0]
        assert head.startswith(f"{len(gap_list)} gaps: "), field
        counts = [int(n) for n in re.findall(r"(\d+) (?:missing|weak)", head)]
        assert sum(counts) == len(gap_list), field


def test_segment_panels_show_the_segment_status(bundled_store):
    """Review: the cluster view's segment panel did not say whether the segment is strong, present, weak or missing."""
    from queries.chain import chain
    from viz.style import STATUS_LABELS

    net = build_view(bundled_store, "cluster", "nev")
    severity = {g["segment_id"]: g["severity"] for g in _cluster_gaps(bundled_store, "nev")}
    for seg in chain(bundled_store, "nev")["segments"]:
        status = {f[0]: f[1] for f in net.node_map[seg["id"]]["info"]["fields"]}["状态 Status"]
        assert status.startswith(STATUS_LABELS[seg["status"]]), (seg["id"], status)
        if seg["id"] in severity:
            assert f"{severity[seg['id']]:.2f}" in status


def test_outside_firms_are_not_listed_as_local_anchors(bundled_store):
    """Review: the battery-cell panel listed "宁德时代 · 链主 Anchor · 外地": outside, read as a local anchor."""
    from graph.model import EdgeKind
    from viz.style import ROLE_LABELS

    outside = {
        e.source: (e.role.value if e.role else "member")
        for e in bundled_store.edges(EdgeKind.OPERATES_IN, target="nev-battery-cell")
        if not bundled_store.node(e.source).is_local
    }
    assert "anchor" in outside.values()  # the case the review saw
    info = build_view(bundled_store, "cluster", "nev").node_map["nev-battery-cell"]["info"]
    local = next(s for s in info["sections"] if s["title"].startswith("本地企业"))
    away = next(s for s in info["sections"] if s["title"].startswith("外地企业"))
    assert not {i["ref"][1] for i in local["items"]} & set(outside)
    assert {i["ref"][1] for i in away["items"]} == set(outside)
    for item in away["items"]:
        assert item["muted"] and "外地 outside" in item["text"] and ROLE_LABELS["anchor"] not in item["text"]


def test_every_view_carries_english_labels_from_the_data(bundled_store):
    """The language switch shows name_en: each cluster, segment and firm node carries its English label."""
    for kind, subject in (("overview", None), ("cluster", "nev"), ("segment", "nev-electrolyte"), ("firm", "catl")):
        net = build_view(bundled_store, kind, subject)
        page = render_view(net, LinkStyle.file()).html
        assert 'id="lang-en"' in page and 'id="lang-zh"' in page
        for node in net.nodes:
            data = bundled_store.node(node["id"])
            if data is not None and data.name_en and node["info"]["kind"] in ("cluster", "segment"):
                assert node["label_en"].replace("\n", " ").startswith(data.name_en[:10]), (kind, node["id"])


def test_english_labels_are_escaped(pages):
    """A hostile English name becomes a canvas label (label_en) as JSON-escaped text, never markup."""
    html = pages["cluster"][1].html
    assert '"label_en": "\\"\\u003e\\u003csvg onload=alert(2)\\u003e"' in html
    assert "<svg" not in html


def test_every_view_renders_the_same_bytes_whatever_the_hash_seed(tmp_path):
    """The overview's force layout once summed its pulls in a set's order, which follows PYTHONHASHSEED."""
    for kind, subject in (("overview", None), ("cluster", "nev"), ("segment", "nev-battery-cell"), ("firm", "li-auto")):
        pages = []
        for seed in ("1", "2"):
            out = tmp_path / f"{kind}-{seed}.html"
            argv = ["render", kind, *([subject] if subject else []), "-o", str(out)]
            done = chainkg(*argv, PYTHONHASHSEED=seed)
            assert done.returncode == 0, done.stderr
            pages.append(out.read_bytes())
        assert pages[0] == pages[1], kind
