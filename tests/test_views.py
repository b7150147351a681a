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
from viz.cluster import MAX_NODES
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
    # columns upstream → downstream, laid out LR with physics off
    assert nodes["t-lithium"]["level"] < nodes["t-cathode"]["level"] < nodes["t-cell"]["level"]
    assert nodes["t-cell"]["level"] < nodes["t-vehicle"]["level"] < nodes["t-recycling"]["level"]
    assert net.options["layout"]["hierarchical"]["direction"] == "LR"
    assert net.options["physics"]["enabled"] is False
    # the cross-cluster link to energy storage shows the other cluster's segment
    assert "t-ess-system" in nodes and nodes["t-ess-system"]["level"] > nodes["t-recycling"]["level"]
    assert net.firm_toggle and [e.label for e in net.legend][:3] == [
        "环节 Segment",
        "缺失环节 Missing segment (no local firm)",
        "薄弱环节 Weak segment",
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
    from viz.parts import NO_CANDIDATES

    items = gaps(hostile_store)
    none = next(g for g in items if g["candidate_count"] == 0)
    some = next(g for g in items if g["candidate_count"] > 0)
    for gap, shown in ((none, NO_CANDIDATES), (some, str(some["candidate_count"]))):
        panel = build_view(hostile_store, "cluster", gap["cluster_id"]).node_map[gap["segment_id"]]["info"]
        assert dict(map(tuple, panel["fields"]))["外地候选 Outside candidates"] == shown
        view = build_view(hostile_store, "segment", gap["segment_id"]).node_map[gap["segment_id"]]["info"]
        section = next(s for s in view["sections"] if s["title"].startswith("候选"))
        if gap is none:
            assert section["items"] == [{"text": NO_CANDIDATES}]
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
    assert small.num_nodes() == 30 + 900 and not small.notes


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
