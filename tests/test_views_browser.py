"""The views in real headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright; never a downloaded browser).

Each kind of view is loaded both served (a live uvicorn server) and from
``file://``, with every request other than the page itself blocked and recorded
(but, on a served page, its one same-origin search index script,
``/views/search-index/<digest>.js``, recorded apart as ``index_requests``);
the test asserts there were none, that vis-network drew the expected nodes,
that clicking a gap node opens its details panel, that Chinese renders in a
CJK font, and saves a screenshot under ``test-artifacts/views/``. Without
Chromium these tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from graph.memory_store import MemoryStore
from tests.conftest import REPO
from tests.view_support import served
from viz.fixtures import HOSTILE_FIRM_ID, HOSTILE_NAME, hostile_city
from viz.render import FILE_NAMES, LinkStyle, fill, render_view
from viz.views import build_view

pytestmark = pytest.mark.browser

ARTIFACTS = REPO / "test-artifacts" / "views"
CJK_FONTS = {"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei"}

# kind → (subject id, gap node to click, the gap label its details panel shows)
CASES: dict[str, tuple[str | None, str, str]] = {
    "overview": (None, "t-nev", "集群 Cluster"),  # a cluster has no gap-status badge (review 13)
    "cluster": ("t-nev", "t-lithium", "缺链 Missing"),
    "firm": ("o-lith-a", "t-lithium", "缺链 Missing"),
    "segment": ("t-lithium", "t-cathode", "弱链 Weak"),
}
SERVED_PATHS = {"overview": "/views/overview", "cluster": "/views/clusters/{id}", "firm": "/views/firms/{id}"}
SERVED_PATHS["segment"] = "/views/segments/{id}"

INDEX_SCRIPT = re.compile(r"/views/search-index/[0-9a-f]{20}\.js")
"""The path of a served view's search index script (``viz.search_index.INDEX_PATH``)."""

RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(hostile_city())


@pytest.fixture(scope="module")
def server(store) -> Iterator[str]:
    with served(store) as url:
        yield url


@pytest.fixture(scope="module")
def files(store, tmp_path_factory) -> Path:
    """Every case's view written side by side with its default name, so file:// links work."""
    folder = tmp_path_factory.mktemp("views")
    for kind, (subject, _, _) in CASES.items():
        name = fill(FILE_NAMES[kind], subject)
        assert name
        (folder / name).write_text(render_view(build_view(store, kind, subject), LinkStyle.file()).html, "utf-8")
    return folder


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


INDEX_IN = """() => window.chainkgView && window.chainkgView.state.ready
    && ["ready", "failed", "none"].includes(window.chainkgView.searchIndexState())"""
"""The view has settled and its search index is there (embedded, or loaded), or will not be."""


class Visit:
    """One page opened with every outside request blocked and recorded, and errors and dialogs collected.

    A served page's search index script is its one request allowed beside the page itself (same origin, that
    path, a script): recorded in ``index_requests``, not among the outside requests. A file page has none.
    """

    def __init__(self, browser: Any, url: str, viewport: tuple[int, int] = (1400, 860)) -> None:
        self.url = url
        self.served = not url.startswith("file:")
        self.origin = url.rsplit("/", 1)[0] + "/" if url.startswith("file:") else "/".join(url.split("/")[:3]) + "/"
        self.blocked: list[str] = []
        self.requests: list[str] = []
        self.index_requests: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        self.context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]}, locale="zh-CN")
        self.context.route("**/*", self._route)
        self.context.add_init_script(RECORD_VIOLATIONS)
        self.page = self.context.new_page()
        self.page.on("request", self._request)
        self.page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("dialog", self._dialog)
        self.response = self.page.goto(url)
        self.wait_ready()

    def _inside(self, request: Any) -> bool:
        """Only the page's own document loads: a top-level navigation to the same server or folder."""
        url = request.url
        if url.startswith("data:"):
            return True  # inline data, nothing leaves the page
        same_place = url.startswith(self.origin)
        if same_place and self._index_script(request):
            return True
        return same_place and request.is_navigation_request() and request.frame.parent_frame is None

    def _index_script(self, request: Any) -> bool:
        """Whether a request is a served page's search index script (the file views embed their index)."""
        path = urlsplit(request.url).path
        return self.served and request.resource_type == "script" and bool(INDEX_SCRIPT.fullmatch(path))

    def _route(self, route: Any) -> None:
        if self._inside(route.request):
            route.continue_()
        else:
            self.blocked.append(route.request.url)
            route.abort()

    def _request(self, request: Any) -> None:
        if self._index_script(request):
            self.index_requests.append(request.url)
        if not self._inside(request):
            self.requests.append(request.url)

    def _dialog(self, dialog: Any) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def wait_ready(self) -> None:
        """Until the view has settled and its search index is in (a served page loads it: a small one at once)."""
        self.page.wait_for_function(INDEX_IN, timeout=15_000)

    def outside_requests(self) -> list[str]:
        """Every request other than the page's own document(s), blocked or not."""
        return sorted(set(self.blocked + self.requests))

    def click_node(self, node_id: str) -> None:
        """Centre a node and click it with the mouse, as a user would."""
        point = self.page.evaluate(
            """(id) => {
                const net = window.chainkgView.network;
                net.focus(id, {scale: 1.0, animation: false});
                const pos = net.canvasToDOM(net.getPositions([id])[id]);
                const box = document.getElementById("network").getBoundingClientRect();
                return [box.left + pos.x, box.top + pos.y];
            }""",
            node_id,
        )
        self.page.mouse.click(point[0], point[1])

    def platform_fonts(self, selector: str) -> list[dict[str, Any]]:
        """The fonts Chromium really used for an element's text (DevTools CSS.getPlatformFontsForNode)."""
        cdp = self.context.new_cdp_session(self.page)
        root = cdp.send("DOM.getDocument")["root"]["nodeId"]
        node = cdp.send("DOM.querySelector", {"nodeId": root, "selector": selector})["nodeId"]
        cdp.send("CSS.enable")
        return list(cdp.send("CSS.getPlatformFontsForNode", {"nodeId": node})["fonts"])

    def close(self) -> None:
        self.context.close()


def _url(kind: str, mode: str, server: str, files: Path) -> str:
    subject = CASES[kind][0]
    if mode == "served":
        return server + (fill(SERVED_PATHS[kind], subject) or "")
    return (files / (fill(FILE_NAMES[kind], subject) or "")).as_uri()


@pytest.mark.parametrize("mode", ["served", "file"])
@pytest.mark.parametrize("kind", list(CASES))
def test_view_in_chromium(browser, store, server, files, artifacts, kind, mode):
    subject, gap_node, gap_label = CASES[kind]
    expected = build_view(store, kind, subject)
    visit = Visit(browser, _url(kind, mode, server, files))
    try:
        page = visit.page
        if mode == "served":
            assert visit.response.status == 200
            assert "default-src 'none'" in visit.response.headers["content-security-policy"]
            assert visit.response.headers.get("content-encoding") == "gzip"  # Chromium asks for it; it draws the same
        counts = page.evaluate(
            """() => {
                const v = window.chainkgView;
                return {
                    data: v.nodes.length,
                    pooled: v.pool.nodes.length,
                    drawn: Object.keys(v.network.getPositions()).length,
                    edges: v.edges.length + v.pool.edges.length,
                };
            }"""
        )
        assert counts == {
            "data": expected.visible_node_count(),
            "pooled": expected.num_nodes() - expected.visible_node_count(),
            "drawn": expected.visible_node_count(),
            "edges": expected.num_edges(),
        }
        assert page.locator("#details").is_hidden()
        visit.click_node(gap_node)
        page.wait_for_selector("#details:not([hidden])", timeout=5_000)
        assert page.get_attribute("#details", "data-node") == gap_node
        assert page.text_content("#details-title") == expected.node_map[gap_node]["info"]["name_zh"]
        assert gap_label in page.inner_text("#details .badges")
        assert page.locator("#details .sources li").count() >= 1
        page.screenshot(path=str(artifacts / f"{kind}-{mode}.png"))

        fonts = visit.platform_fonts("#view-title")
        used = {f["familyName"] for f in fonts if f["glyphCount"] > 0}
        assert used & CJK_FONTS, f"Chinese title drawn with {fonts}; install fonts-noto-cjk"

        assert visit.outside_requests() == []
        # served: the index is loaded once, from the server; a file carries it and asks for nothing
        assert len(visit.index_requests) == (1 if mode == "served" else 0), visit.index_requests
        assert page.evaluate("window.chainkgView.searchIndexState()") == "ready"
        assert page.evaluate("window.__csp") == []
        assert visit.errors == [] and visit.dialogs == []
    finally:
        visit.close()


def test_hostile_names_show_as_text(browser, server, artifacts):
    visit = Visit(browser, f"{server}/views/clusters/t-nev")
    try:
        page = visit.page
        assert page.evaluate(f"window.chainkgView.nodes.get('{HOSTILE_FIRM_ID}')") is None
        page.check("#firm-toggle")
        assert page.evaluate(f"window.chainkgView.nodes.get('{HOSTILE_FIRM_ID}').hidden") is False
        visit.click_node(HOSTILE_FIRM_ID)
        page.wait_for_selector(f"#details[data-node='{HOSTILE_FIRM_ID}']", timeout=5_000)
        assert page.text_content("#details-title") == HOSTILE_NAME
        assert "<script>alert('src')</script>" in page.inner_text("#details .sources")
        page.fill("#search", "<img")
        page.wait_for_selector("#search-results li[data-id]")
        assert HOSTILE_NAME in page.inner_text("#search-results")
        page.screenshot(path=str(artifacts / "hostile-cluster.png"))
        assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
        assert visit.dialogs == [] and visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


def test_segment_click_shows_its_firms_and_toggle_shows_all(browser, store, server):
    expected = build_view(store, "cluster", "t-nev")
    hidden_cell = list(expected.node_map["t-cell"]["info"]["children"])
    visit = Visit(browser, f"{server}/views/clusters/t-nev")
    try:
        page = visit.page
        visible = "Object.keys(window.chainkgView.network.getPositions()).length"
        before = page.evaluate(visible)
        visit.click_node("t-cell")
        page.wait_for_selector("#details[data-node='t-cell']")
        assert page.evaluate(visible) == before + len(hidden_cell)
        page.check("#firm-toggle")
        assert page.evaluate(visible) == expected.num_nodes()
        page.uncheck("#firm-toggle")
        assert page.evaluate(visible) == expected.visible_node_count()
    finally:
        visit.close()


LEGEND_BOX = """() => {
    const legend = document.getElementById("legend").getBoundingClientRect();
    const main = document.querySelector("main").getBoundingClientRect();
    return {open: document.getElementById("legend").open, height: legend.height, main: main.height,
            right: legend.right, width: window.innerWidth};
}"""


def test_the_legend_folds_on_a_phone_and_never_covers_most_of_the_chain(browser, server):
    wide = Visit(browser, f"{server}/views/clusters/t-nev")
    try:
        box = wide.page.evaluate(LEGEND_BOX)
        assert box["open"] is True  # a desk screen shows it
        assert box["height"] <= 0.4 * box["main"] + 1
    finally:
        wide.close()
    phone = Visit(browser, f"{server}/views/clusters/t-nev", viewport=(390, 740))
    try:
        page = phone.page
        assert page.evaluate(LEGEND_BOX)["open"] is False  # folded: the chain is visible
        page.click("#legend summary")
        box = page.evaluate(LEGEND_BOX)
        assert box["open"] is True
        assert box["height"] <= 0.4 * box["main"] + 1, box  # scrolls inside instead of covering the chain
        assert box["right"] <= box["width"], box
        assert phone.errors == []
    finally:
        phone.close()


def test_views_link_to_each_other_and_search_finds_firms(browser, server):
    visit = Visit(browser, f"{server}/views/clusters/t-nev")
    try:
        page = visit.page
        visit.click_node("t-lithium")
        page.wait_for_selector("#details[data-node='t-lithium'] a.open-view")
        page.click("#details a.open-view")
        page.wait_for_url(f"{server}/views/segments/t-lithium")
        visit.wait_ready()
        assert page.text_content("#view-title") == "锂盐 (Lithium salts)"
        json_link = page.locator("a.link-api").first.get_attribute("href")
        assert json_link == "../../api/v1/segments/t-lithium"
        for link in page.locator("a.link-api").all():
            answer = page.request.get(urljoin(page.url, link.get_attribute("href") or ""))
            assert answer.status == 200 and answer.headers["content-type"].startswith("application/json")
        assert page.request.get(urljoin(page.url, json_link)).json()["id"] == "t-lithium"
        page.fill("#search", "jiacell")  # an alias, case-folded; the firm is in this view: it is shown here
        page.wait_for_selector("#search-results li[data-id='f-cell-a']")
        page.press("#search", "Enter")
        page.wait_for_selector("#details[data-node='f-cell-a']")
        assert page.url == f"{server}/views/segments/t-lithium"
        page.fill("#search", "外回收")  # a firm not in this view: Enter opens its own view
        page.wait_for_selector("#search-results li[data-id='o-recy-a']")
        page.press("#search", "Enter")
        page.wait_for_url(f"{server}/views/firms/o-recy-a")
        visit.wait_ready()
        assert page.evaluate("window.chainkgView.nodes.get('o-recy-a').info.name_zh") == "外回收甲"
        assert visit.outside_requests() == [] and visit.errors == []
    finally:
        visit.close()


def test_file_views_link_to_sibling_files(browser, files):
    visit = Visit(browser, (files / "cluster-t-nev.html").as_uri())
    try:
        page = visit.page
        visit.click_node("t-lithium")
        page.wait_for_selector("#details[data-node='t-lithium'] a.open-view")
        page.click("#details a.open-view")
        page.wait_for_url((files / "segment-t-lithium.html").as_uri())
        visit.wait_ready()
        assert page.evaluate("window.chainkgView.nodes.length") > 1
        assert visit.outside_requests() == [] and visit.errors == []
    finally:
        visit.close()


def test_header_overview_link_keeps_the_language(browser, files):
    """Review 3 #4: the header's 总览 Overview link dropped English; it follows the language switch both ways."""
    overview = (files / "overview.html").as_uri()
    visit = Visit(browser, (files / "cluster-t-nev.html").as_uri() + "#lang=en")
    try:
        page = visit.page
        assert page.get_attribute("#link-overview", "href") == "overview.html?lang=en"
        page.click("#link-overview")
        page.wait_for_url(overview + "?lang=en")
        visit.wait_ready()
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.get_attribute("#lang-en", "aria-pressed") == "true"
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()
    visit = Visit(browser, (files / "cluster-t-nev.html").as_uri())
    try:
        page = visit.page
        assert page.get_attribute("#link-overview", "href") == "overview.html"
        page.click("#lang-en")
        assert page.get_attribute("#link-overview", "href") == "overview.html?lang=en"
        page.click("#lang-zh")
        assert page.get_attribute("#link-overview", "href") == "overview.html"
        page.click("#link-overview")
        page.wait_for_url(overview)
        visit.wait_ready()
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
        assert visit.errors == []
    finally:
        visit.close()


def test_unknown_id_page_in_chromium(browser, server):
    context = browser.new_context()
    try:
        page = context.new_page()
        response = page.goto(f"{server}/views/segments/t-lithum")
        assert response.status == 404
        page.click("#suggestions a")
        page.wait_for_url(f"{server}/views/segments/t-lithium")
    finally:
        context.close()


# ---- the bundled views the user review looked at ----

BUNDLED_CASES = {
    "overview": None,
    "cluster": "nev",
    "segment": "nev-electrolyte",
}


@pytest.fixture(scope="module")
def bundled_files(bundled_store, tmp_path_factory) -> dict[str, str]:
    """The reviewed views of the bundled data, written side by side: kind → file URL."""
    folder = tmp_path_factory.mktemp("bundled-views")
    urls = {}
    for kind, subject in BUNDLED_CASES.items():
        path = folder / (fill(FILE_NAMES[kind], subject) or "")
        path.write_text(render_view(build_view(bundled_store, kind, subject), LinkStyle.file()).html, "utf-8")
        urls[kind] = path.as_uri()
    return urls


POSITIONS = "() => window.chainkgView.network.getPositions()"


def test_clicking_a_segment_keeps_the_chain_in_place(browser, bundled_files, artifacts):
    """Review: a click on 电解液及六氟磷酸锂 re-ran the layout and the segment jumped ~480 px. Now nothing shown
    moves, and the segment's firms appear beside it; "show all firms" spreads the chain and closing it restores it."""
    visit = Visit(browser, bundled_files["cluster"], viewport=(1400, 900))
    try:
        page = visit.page
        before = page.evaluate(POSITIONS)
        visit.click_node("nev-electrolyte")
        page.wait_for_selector("#details[data-node='nev-electrolyte']")
        after = page.evaluate(POSITIONS)
        assert {k: after[k] for k in before} == before
        fresh = {k: v for k, v in after.items() if k not in before}
        seg = before["nev-electrolyte"]
        assert len(fresh) == len(page.evaluate("window.chainkgView.nodes.get('nev-electrolyte').info.children"))
        for fid, at in fresh.items():
            assert 0 < at["x"] - seg["x"] < 400 and abs(at["y"] - seg["y"]) < 400, (fid, at, seg)
        page.screenshot(path=str(artifacts / "bundled-cluster-click.png"))
        page.keyboard.press("Escape")
        page.check("#firm-toggle")
        assert len(page.evaluate(POSITIONS)) == page.evaluate("window.chainkgView.nodes.length")
        page.uncheck("#firm-toggle")
        assert page.evaluate(POSITIONS) == before
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


BESIDE = """() => {
    const v = window.chainkgView;
    const at = v.network.getPositions();
    const main = v.nodes.get({filter: (n) => !n.owner}).map((n) => at[n.id].x);
    return v.nodes.get({filter: (n) => n.owner}).map((n) => {
        const seg = at[n.owner];
        const next = Math.min(...main.filter((x) => x > seg.x));
        return {id: n.id, owner: n.owner, dx: at[n.id].x - seg.x, gap: next - seg.x, dy: at[n.id].y - seg.y};
    });
}"""


@pytest.mark.parametrize("kind", ["cluster", "segment"])
def test_firms_are_drawn_beside_their_segment(browser, bundled_files, kind):
    """Review: BYD (整车) and Xingyu (汽车车灯) were drawn under 动力电池电芯, Trina under 整车."""
    visit = Visit(browser, bundled_files[kind], viewport=(1400, 900))
    try:
        placed = visit.page.evaluate(BESIDE)
        assert placed
        for firm in placed:
            assert 0 < firm["dx"] < firm["gap"] and abs(firm["dy"]) < 400, firm
    finally:
        visit.close()


SEARCH = "(q) => window.chainkgView.search(q).map((e) => e.id)"


def test_view_search_matches_pinyin_initials_and_the_parent(browser, bundled_files):
    """guide-zh §3: the view's search box finds pinyin and initials, and a firm by its parent's names."""
    visit = Visit(browser, bundled_files["segment"])
    try:
        page = visit.page
        assert page.evaluate(SEARCH, "ndsd")[:2] == ["catl", "catl-jiangsu"]
        assert page.evaluate(SEARCH, "ningde")[:2] == ["catl", "catl-jiangsu"]
        assert page.evaluate(SEARCH, "宁德时代")[:2] == ["catl", "catl-jiangsu"]
        for query in ("djy", "dianjieye", "电解液"):
            assert page.evaluate(SEARCH, query)[0] == "nev-electrolyte", query
        page.fill("#search", "宁德时代")
        page.wait_for_selector("#search-results li[data-id='catl-jiangsu']")
        assert "母公司 parent: 宁德时代" in page.inner_text("#search-results li[data-id='catl-jiangsu']")
        assert "母公司" not in page.inner_text("#search-results li[data-id='catl']")
        assert visit.errors == []
    finally:
        visit.close()


UNDER_LEGEND = """() => {
    const v = window.chainkgView;
    const legend = document.getElementById("legend").getBoundingClientRect();
    const frame = document.getElementById("network").getBoundingClientRect();
    const out = [];
    v.nodes.getIds().forEach((id) => {
        const b = v.network.getBoundingBox(id);
        const a = v.network.canvasToDOM({x: b.left, y: b.top});
        const z = v.network.canvasToDOM({x: b.right, y: b.bottom});
        const box = {left: frame.left + a.x, top: frame.top + a.y, right: frame.left + z.x, bottom: frame.top + z.y};
        const under = box.left < legend.right && box.right > legend.left && box.top < legend.bottom
            && box.bottom > legend.top;
        const outside = box.left < frame.left - 1 || box.right > frame.right + 1 || box.top < frame.top - 1
            || box.bottom > frame.bottom + 1;
        if (under || outside) out.push([id, under ? "under the legend" : "outside the view"]);
    });
    return out;
}"""


@pytest.mark.parametrize("viewport", [(1280, 720), (1400, 900)])
@pytest.mark.parametrize("kind", ["overview", "cluster"])
def test_the_legend_covers_no_node_on_a_laptop(browser, bundled_files, artifacts, kind, viewport):
    """Review: at 1280x720 and 1400x900 the legend hid 新能源 (overview) and CATL, SVOLT (cluster nev).

    nev is too wide to read whole: it opens zoomed in on part of the chain (nodes beyond the edges, none under
    the legend: it folds if it must), and "全图 Whole chain" fits all of it clear of the legend."""
    visit = Visit(browser, bundled_files[kind], viewport=viewport)
    try:
        page = visit.page
        if kind == "cluster":
            assert [n for n in page.evaluate(UNDER_LEGEND) if n[1] == "under the legend"] == []
            page.click("#fit-all")
        assert page.evaluate(UNDER_LEGEND) == []
        box = page.evaluate(LEGEND_BOX)
        assert box["open"] is (viewport[1] > 800)  # folded at first on a laptop under 800 px high
        page.click("#legend summary")
        assert page.evaluate(LEGEND_BOX)["open"] is not box["open"]  # it folds and unfolds
        opened = page.evaluate(LEGEND_BOX) if not box["open"] else box
        # small: about a quarter of the chain's height (NEV's legend names each of its 14 marks: 27 % at 1280x720)
        assert opened["height"] <= 0.3 * opened["main"], opened
        legend = page.locator("#legend").bounding_box()
        assert legend and legend["width"] <= 560
        page.screenshot(path=str(artifacts / f"bundled-{kind}-{viewport[0]}x{viewport[1]}.png"))
    finally:
        visit.close()


SWATCH = """(label) => {
    const item = [...document.querySelectorAll("#legend li")].find((li) => li.textContent.includes(label));
    const style = getComputedStyle(item.querySelector(".swatch"));
    return {transform: style.transform, border: style.borderTopStyle, width: parseFloat(style.borderTopWidth)};
}"""


def test_legend_swatches_look_like_the_marks(browser, bundled_files):
    """Candidates are diamonds on the canvas and in the legend; "no comparable output" has a dashed ring."""
    visit = Visit(browser, bundled_files["segment"])
    try:
        diamond = visit.page.evaluate(SWATCH, "候选企业")
        assert diamond["transform"] != "none"  # a square turned 45°
    finally:
        visit.close()
    visit = Visit(browser, bundled_files["overview"], viewport=(1400, 900))
    try:
        dashed = visit.page.evaluate(SWATCH, "无可比产值")
        assert dashed["border"] == "dashed" and dashed["width"] >= 2, dashed
    finally:
        visit.close()


# ---- readable labels: "show all firms" on a big cluster, and the overview's labels never on one another ----

READABLE_PX = 10
"""The smallest font, in screen pixels, at which a canvas label counts as readable (Chinese included)."""

LABELS = """() => {
    const v = window.chainkgView, net = v.network, scale = net.getScale();
    return v.nodes.getIds().map((id) => {
        const node = net.body.nodes[id];
        const size = node.labelModule.size;
        const a = net.canvasToDOM({x: size.left, y: size.top});
        const z = net.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
        const at = net.canvasToDOM({x: node.x, y: node.y});
        const r = node.options.shape === "box" ? 0 : node.options.size * scale;
        return {
            id: id, kind: (node.options.info || {}).kind || "", px: node.options.font.size * scale,
            label: {left: a.x, top: a.y, right: z.x, bottom: z.y},
            shape: {left: at.x - r, top: at.y - r, right: at.x + r, bottom: at.y + r},
        };
    });
}"""
FRAME = "() => { const b = document.getElementById('network').getBoundingClientRect(); return [b.width, b.height]; }"


def _crosses(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def box_on_screen(box: dict[str, float], frame: list[float]) -> bool:
    """Whether ``box`` is drawn at least in part inside the graph's ``frame`` (its width and height)."""
    return box["right"] > 0 and box["left"] < frame[0] and box["bottom"] > 0 and box["top"] < frame[1]


def box_in_frame(box: dict[str, float], frame: list[float]) -> bool:
    """Whether ``box`` lies wholly inside ``frame`` (to a pixel)."""
    return box["left"] >= -1 and box["top"] >= -1 and box["right"] <= frame[0] + 1 and box["bottom"] <= frame[1] + 1


def nodes_on_screen(nodes: list[dict[str, Any]], frame: list[float]) -> list[dict[str, Any]]:
    """The nodes whose ``box`` is drawn at least in part inside ``frame``."""
    return [n for n in nodes if box_on_screen(n["box"], frame)]


@pytest.mark.parametrize("viewport", [(1366, 768), (390, 844)])
def test_show_all_firms_keeps_firm_names_readable(browser, bundled_files, artifacts, viewport):
    """Review: on nev (100+ firms) "show all firms" zoomed out until no label could be read (~3 px). Now it opens
    at a readable scale on the part of the chain in view, and "全图 Whole chain" still shows everything."""
    visit = Visit(browser, bundled_files["cluster"], viewport=viewport)
    try:
        page = visit.page
        page.check("#firm-toggle")
        frame = page.evaluate(FRAME)
        labels = [n for n in page.evaluate(LABELS) if box_on_screen(n["label"], frame)]
        firms = [n for n in labels if n["kind"] == "firm"]
        assert len(firms) >= 3 and any(n["kind"] == "segment" for n in labels), labels
        smallest = min(n["px"] for n in labels)
        assert smallest >= READABLE_PX, f"labels drawn at {smallest:.1f} px"
        page.screenshot(path=str(artifacts / f"bundled-cluster-all-firms-{viewport[0]}x{viewport[1]}.png"))
        page.click("#fit-all")  # the whole chain, small, for the big picture
        every = page.evaluate(LABELS)
        assert len(every) == page.evaluate("window.chainkgView.nodes.length")
        assert all(box_in_frame(n["shape"], frame) for n in every)
        page.uncheck("#firm-toggle")
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", [(1366, 768), (1280, 720), (390, 844)])
def test_overview_labels_never_overlap(browser, bundled_files, artifacts, viewport):
    """Review: the force-laid-out overview could draw a cluster's label over another's label or circle
    (新材料 over 高端装备). Now the clusters stand where Python placed them, apart, and every label is in view
    (on a phone, where the overview opens readable on part of it, after "全图 Whole graph")."""
    for attempt in range(2):  # the same layout each time it opens
        visit = Visit(browser, bundled_files["overview"], viewport=viewport)
        try:
            if visit.page.evaluate("window.chainkgView.state.partial"):
                visit.page.click("#fit-all")
            nodes = visit.page.evaluate(LABELS)
            frame = visit.page.evaluate(FRAME)
            clashes = []
            for i, a in enumerate(nodes):
                for b in nodes[i + 1 :]:
                    if _crosses(a["label"], b["label"]):
                        clashes.append((a["id"], b["id"], "labels"))
                    if _crosses(a["label"], b["shape"]) or _crosses(b["label"], a["shape"]):
                        clashes.append((a["id"], b["id"], "label on a circle"))
            assert clashes == [], clashes
            assert [n["id"] for n in nodes if not box_in_frame(n["label"], frame)] == []
            if attempt == 0:
                visit.page.screenshot(path=str(artifacts / f"bundled-overview-{viewport[0]}x{viewport[1]}.png"))
        finally:
            visit.close()


# ---- review: gaps by severity in the panels, the language switch, outside firms ----

PANEL_ITEMS = """(heading) => {
    const h = [...document.querySelectorAll("#details h3")].find((x) => x.textContent.includes(heading));
    if (!h) return null;
    return [...h.nextElementSibling.querySelectorAll("li")].map((li) => ({
        text: li.innerText, muted: li.classList.contains("muted"), color: getComputedStyle(li).color,
    }));
}"""


@pytest.mark.parametrize("kind", ["overview", "cluster"])
def test_panel_lists_gaps_most_severe_first_with_their_severity(browser, bundled_store, bundled_files, kind):
    """Review: the panels listed gaps by id, without severity. Now most severe first, each with its severity."""
    import re

    from queries.gaps import gaps

    expected = sorted((round(g["severity"], 2) for g in gaps(bundled_store, cluster="nev")), reverse=True)
    visit = Visit(browser, bundled_files[kind], viewport=(1400, 900))
    try:
        page = visit.page
        if kind == "overview":
            visit.click_node("nev")
            page.wait_for_selector("#details[data-node='nev']")
        else:
            page.click("#show-summary")
            page.wait_for_selector("#details[data-summary='true']")
        items = page.evaluate(PANEL_ITEMS, "most severe first")
        assert items, page.inner_text("#details")
        shown = [float(re.match(r"(\d\.\d\d) · ", item["text"]).group(1)) for item in items]  # type: ignore[union-attr]
        assert shown == expected
        assert "缺链 Missing" in page.inner_text("#details")
        assert visit.errors == []
    finally:
        visit.close()


def test_language_switch_shows_english_names(browser, bundled_store, bundled_files, artifacts):
    """Review: the views were Chinese only. 中文 / English swaps canvas labels, heading, legend and panel."""
    nev = bundled_store.node("nev")
    cell = bundled_store.node("nev-battery-cell")
    label = "(id) => window.chainkgView.nodes.get(id).label"
    visit = Visit(browser, bundled_files["cluster"], viewport=(1400, 900))
    try:
        page = visit.page
        assert page.evaluate(label, "nev-battery-cell").startswith(cell.name_zh[:4])
        visit.click_node("nev-battery-cell")
        page.wait_for_selector("#details[data-node='nev-battery-cell']")
        page.click("#lang-en")
        assert page.evaluate(label, "nev-battery-cell").replace("\n", " ").startswith(cell.name_en)
        assert page.text_content("#details-title") == cell.name_en
        assert page.text_content("#view-title") == nev.name_en
        assert page.get_attribute("#lang-en", "aria-pressed") == "true"
        legend = page.text_content("#legend") or ""  # folded or not (nev opens zoomed in, its legend folded)
        assert "Missing segment" in legend and "缺链" not in legend
        page.screenshot(path=str(artifacts / "bundled-cluster-english.png"))
        page.click("#lang-zh")
        assert page.evaluate(label, "nev-battery-cell").startswith(cell.name_zh[:4])
        assert page.text_content("#details-title") == cell.name_zh
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()
    visit = Visit(browser, bundled_files["overview"] + "?lang=en", viewport=(1400, 900))
    try:
        assert visit.page.evaluate(label, "nev").split("\n")[0] == nev.name_en
        assert visit.page.evaluate("document.documentElement.lang") == "en"
        assert visit.errors == []
    finally:
        visit.close()


def test_a_firm_panel_reads_its_hq_in_english(browser, bundled_store, tmp_path):
    """The firm panel's 总部 HQ stayed Chinese in English mode; now it is the place-name glossary's name."""
    out = tmp_path / "nxp.html"
    out.write_text(render_view(build_view(bundled_store, "firm", "nxp"), LinkStyle.file()).html, "utf-8")
    fields = """() => Object.fromEntries([...document.querySelectorAll("#details dl dt")].map(
        (dt) => [dt.textContent, dt.nextElementSibling.textContent]))"""
    visit = Visit(browser, out.as_uri(), viewport=(1400, 900))
    try:
        page = visit.page
        page.click("#lang-en")
        page.evaluate("window.chainkgView.showDetails('nxp')")
        assert page.evaluate(fields)["HQ"] == "Eindhoven, Netherlands"
        page.click("#lang-zh")
        assert page.evaluate(fields)["总部 HQ"] == "荷兰埃因霍温"
        assert visit.errors == []
    finally:
        visit.close()


def test_render_lang_en_opens_in_english(browser, bundled_store, tmp_path):
    """Review #2: `chainkg render ... --lang en` writes a view that opens in English; `#lang=zh` still opens Chinese."""
    from chainkg.cli import main

    nev = bundled_store.node("nev")
    out = tmp_path / "cluster-nev.html"
    assert main(["render", "cluster", "nev", "--lang", "en", "-o", str(out)]) == 0
    label = "window.chainkgView.nodes.get('nev-battery-cell').label"
    visit = Visit(browser, out.as_uri(), viewport=(1400, 900))
    try:
        page = visit.page
        assert page.text_content("#view-title") == nev.name_en
        assert page.evaluate("document.documentElement.lang") == "en"
        assert page.get_attribute("#lang-en", "aria-pressed") == "true"
        assert page.evaluate(label).startswith(bundled_store.node("nev-battery-cell").name_en)
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()
    visit = Visit(browser, out.as_uri() + "#lang=zh", viewport=(1400, 900))
    try:
        page = visit.page
        assert page.text_content("#view-title") == page.get_attribute("#view-title", "data-zh")
        assert (page.text_content("#view-title") or "").startswith(nev.name_zh)
        assert page.evaluate("document.documentElement.lang") == "zh-Hans"
        assert page.get_attribute("#lang-zh", "aria-pressed") == "true"
        assert visit.errors == []
    finally:
        visit.close()


def test_served_view_honours_lang_in_the_url(browser, store, server):
    segment = store.node("t-lithium")
    visit = Visit(browser, f"{server}/views/segments/t-lithium?lang=en")
    try:
        assert visit.page.evaluate("window.chainkgView.nodes.get('t-lithium').label").startswith(segment.name_en)
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


def test_outside_firms_are_not_shown_as_local_anchors(browser, bundled_store, bundled_files, artifacts):
    """Review: the battery-cell panel said "宁德时代 · 链主 Anchor · 外地", read as a local anchor."""
    from graph.model import EdgeKind

    outside = [
        bundled_store.node(e.source).name_zh
        for e in bundled_store.edges(EdgeKind.OPERATES_IN, target="nev-battery-cell")
        if not bundled_store.node(e.source).is_local
    ]
    assert outside
    visit = Visit(browser, bundled_files["cluster"], viewport=(1400, 900))
    try:
        page = visit.page
        visit.click_node("nev-battery-cell")
        page.wait_for_selector("#details[data-node='nev-battery-cell']")
        local = page.evaluate(PANEL_ITEMS, "本地企业 Local firms")
        away = page.evaluate(PANEL_ITEMS, "外地企业 Outside firms")
        assert local and away
        assert not [i for i in local if any(name in i["text"] for name in outside)]
        assert sorted(i["text"].split(" · ")[0] for i in away) == sorted(outside)
        for item in away:
            assert item["muted"] and "链主 Anchor" not in item["text"] and "外地 outside" in item["text"]
            assert item["color"] != local[0]["color"]  # drawn muted
        page.screenshot(path=str(artifacts / "bundled-cluster-outside-firms.png"))
    finally:
        visit.close()
