"""The overview and firm views on a phone, and the details panel in English, in real headless Chromium.

- On a 390x844 phone the overview and a firm view opened fitted whole with labels of ~8 px. Now, like the
  cluster views, a view that cannot be read whole opens readable (smallest label 11 px on screen) around the
  firm (or the overview's most linked cluster), says that it shows part of the graph, and "全图 Whole graph"
  shows all of it. A desk screen still opens whole, without the controls.
- In English a firm's panel read "Tags: 链主": tags (and a segment's cluster, tiers, project status…) are
  now in English.
- On a phone the header took 240-300 px of the height (the overview's subtitle alone wrapped to four lines).
  It now folds to the title and one row with the search and the language switch (78 px at 390x844 and
  360x640); "更多 More" unfolds the rest. A desk screen shows the header as before.
- In English the notes bar still read "集群 Cluster: 新能源汽车… (nev)", and a gap with no outside candidate
  "0 · 数据中暂无外地候选企业…": both are in English now (the Chinese name where the data have no English).
- On a phone the details panel covered nearly the whole graph. It is now a sheet over the lower part, with
  a close button, closed by Escape too, scrolled inside itself; the node clicked stays in sight above it.

Chromium is Debian's ``/usr/bin/chromium`` (never a downloaded browser); without it these tests skip
locally and fail under ``CI=true``.
"""

from __future__ import annotations

import pytest

import tests.test_views_browser as browser_tests
from graph.memory_store import MemoryStore
from graph.model import EdgeKind, NodeKind
from tests.test_views_browser import FRAME, Visit, box_in_frame, nodes_on_screen
from tests.test_views_review import CJK, NODES
from viz.fixtures import hostile_city
from viz.parts import NO_CANDIDATES, NO_CANDIDATES_EN
from viz.render import FILE_NAMES, LinkStyle, fill, render_view
from viz.style import TAG_LABELS
from viz.views import build_view

LAPTOP, DESK, PHONE, SMALL_PHONE = (1366, 768), (1920, 1080), (390, 844), (360, 640)
READABLE_PX = 11
"""The smallest label size on screen a view opens at (``READABLE_PX`` in view.js)."""

PANEL_FIELDS = """() => {
    const out = {};
    document.querySelectorAll("#details dl dt").forEach((dt) => {
        out[dt.textContent] = dt.nextElementSibling.textContent;
    });
    return out;
}"""
CONTROLS_BOTTOM = """() => {
    const controls = document.getElementById("controls");
    if (controls.hidden) return 0;
    return controls.getBoundingClientRect().bottom - document.getElementById("network").getBoundingClientRect().top;
}"""

artifacts = browser_tests.artifacts
"""Where screenshots go (``test-artifacts/views/``)."""

VIEWS = [("overview", None), ("firm", "catl-jiangsu"), ("firm", "li-auto")]
EXTRA_VIEWS = [("cluster", "nev"), ("segment", "nev-battery-cell"), ("segment", "tex-corduroy"), ("firm", "calb")]
"""tex-corduroy: a gap without any outside candidate in the bundled data."""
EVERY_KIND = [("overview", None), ("cluster", "nev"), ("segment", "nev-battery-cell"), ("firm", "catl-jiangsu")]


@pytest.fixture(scope="module")
def pages(bundled_store: MemoryStore, tmp_path_factory) -> dict[tuple[str, str | None], str]:
    """The overview, two firm views and the nev cluster view of the bundled data, as files: (kind, id) → URL."""
    folder = tmp_path_factory.mktemp("phone-views")
    urls = {}
    for kind, subject in [*VIEWS, *EXTRA_VIEWS]:
        path = folder / (fill(FILE_NAMES[kind], subject) or "")
        path.write_text(render_view(build_view(bundled_store, kind, subject), LinkStyle.file()).html, "utf-8")
        urls[(kind, subject)] = path.as_uri()
    return urls


def _hint_shown(page) -> bool:
    return bool(
        page.evaluate("!document.getElementById('controls').hidden && !document.getElementById('view-hint').hidden")
    )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390x844", "360x640"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: f"{v[0]}-{v[1]}")
def test_overview_and_firm_views_open_readable_on_a_phone(browser, pages, viewport, lang, view):
    """They opened fitted whole with labels of ~8 px (overview) and ~7-8 px (catl-jiangsu)."""
    visit = Visit(browser, pages[view] + ("?lang=en" if lang == "en" else ""), viewport=viewport)
    try:
        page = visit.page
        frame = page.evaluate(FRAME)
        nodes = page.evaluate(NODES)
        shown = nodes_on_screen(nodes, frame)
        assert min(n["px"] for n in shown) >= READABLE_PX - 0.05, [(n["id"], round(n["px"], 1)) for n in shown]
        if view[0] == "firm":  # the firm itself is in view, whole
            assert box_in_frame(next(n["box"] for n in nodes if n["id"] == view[1]), frame)
        below = page.evaluate(CONTROLS_BOTTOM)  # a node partly under the controls is partly hidden too
        partial = any(not box_in_frame(n["box"], frame) or n["box"]["top"] < below - 1 for n in nodes)
        assert _hint_shown(page) is partial  # the controls say so when part of the graph is out of view
        if partial:
            page.click("#fit-all")  # the whole graph, small
            assert all(box_in_frame(n["box"], frame) for n in page.evaluate(NODES))
            assert page.evaluate("window.chainkgView.state.partial") is False
        assert page.evaluate("document.documentElement.scrollWidth") <= viewport[0]
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


@pytest.mark.browser
@pytest.mark.parametrize("view", VIEWS, ids=lambda v: f"{v[0]}-{v[1]}")
def test_a_desk_screen_still_opens_overview_and_firm_views_whole(browser, pages, view):
    """Not worse on a desk: the whole graph, readable, and no controls over it."""
    visit = Visit(browser, pages[view], viewport=LAPTOP)
    try:
        page = visit.page
        frame = page.evaluate(FRAME)
        nodes = page.evaluate(NODES)
        assert all(box_in_frame(n["box"], frame) for n in nodes)
        assert min(n["px"] for n in nodes) >= READABLE_PX
        assert page.evaluate("document.getElementById('controls').hidden") is True
    finally:
        visit.close()


@pytest.mark.browser
def test_a_firm_panel_in_english_has_no_chinese_tag(browser, pages, bundled_store):
    """The panel read "标签 Tags: 链主" in English mode: every tag of the bundled data is now in English."""
    # calb: the one nev firm a source calls 链主 (T66); catl-jiangsu's tag was removed on 2026-12-06
    visit = Visit(browser, pages[("firm", "calb")], viewport=LAPTOP)
    try:
        page = visit.page
        page.click("#lang-en")
        page.evaluate("window.chainkgView.showDetails('calb')")
        fields = page.evaluate(PANEL_FIELDS)
        assert TAG_LABELS["链主"][1] == "chain leader (anchor firm)"
        assert fields["Tags"] == ", ".join(TAG_LABELS[t][1] for t in bundled_store.node("calb").tags)
        assert fields["District"] == bundled_store.node("jintan").name_en
        assert fields["HQ"] == "Jintan District"
        assert not [v for k, v in fields.items() if k != "Aliases" and CJK.search(v)], fields
        assert page.text_content("#search").strip() == "" and page.get_attribute("#search", "placeholder") == (
            "Search firms, segments"
        )
        page.click("#lang-zh")  # and back: the Chinese panel names the tag in Chinese
        assert page.evaluate(PANEL_FIELDS)["标签 Tags"].startswith("链主")
    finally:
        visit.close()


@pytest.mark.browser
def test_every_tagged_firm_of_a_cluster_shows_its_tags_in_english(browser, pages, bundled_store):
    """Every firm of nev with a tag (链主, 单项冠军, listed…), its panel opened in English."""
    tagged = {f.id: f.tags for f in bundled_store.nodes(NodeKind.FIRM) if f.tags}
    known = {tag for tags in tagged.values() for tag in tags}
    assert known <= set(TAG_LABELS)  # every tag of the bundled data has its English
    visit = Visit(browser, pages[("cluster", "nev")] + "?lang=en", viewport=LAPTOP)
    try:
        page = visit.page
        page.check("#firm-toggle")
        shown = [i for i in page.evaluate("window.chainkgView.nodes.getIds()") if i in tagged]
        assert len(shown) >= 10
        problems = []
        for firm_id in shown:
            page.evaluate("(id) => window.chainkgView.showDetails(id)", firm_id)
            fields = page.evaluate(PANEL_FIELDS)
            expected = ", ".join(TAG_LABELS[t][1] for t in tagged[firm_id])
            if fields.get("Tags") != expected or CJK.search(fields.get("Role", "") + fields.get("Cluster", "")):
                problems.append((firm_id, fields))
        assert problems == []
        assert visit.errors == []
    finally:
        visit.close()


# ---- the header on a phone ----

HEADER_HIGH = 120
"""The most a phone's folded header may take (it took 240-300 px)."""

HEADER = """() => {
    const box = (node) => {
        if (!node || node.getClientRects().length === 0) return null;
        const b = node.getBoundingClientRect();
        return {left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width, height: b.height};
    };
    const h1 = document.getElementById("view-title"), notes = document.querySelector("ul.notes");
    return {
        header: box(document.querySelector("header.bar")),
        network: box(document.getElementById("network")),
        parts: Object.fromEntries(["#view-title", "#search", "#lang-zh", "#lang-en", "#header-more", "header .kind",
            "header .sub", "nav.links", "#link-overview"].map((s) => [s, box(document.querySelector(s))])),
        titleCut: h1.scrollWidth > h1.clientWidth + 1,
        notesCut: notes ? [...notes.children].some((li) => li.scrollHeight > li.clientHeight + 1) : false,
        expanded: document.getElementById("header-more").getAttribute("aria-expanded"),
        scrollWidth: document.documentElement.scrollWidth,
    };
}"""


def _on_page(box: dict[str, float] | None, width: int) -> bool:
    return box is not None and box["left"] >= 0 and box["right"] <= width + 0.5 and box["width"] > 0


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [PHONE, SMALL_PHONE], ids=["390x844", "360x640"])
@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", EVERY_KIND, ids=lambda v: v[0])
def test_the_header_folds_on_a_phone_and_unfolds_whole(browser, pages, viewport, lang, view):
    """The header took 242 (overview), 303 (cluster), 263 (segment) and 256 px (firm) at 390x844."""
    visit = Visit(browser, pages[view] + ("?lang=en" if lang == "en" else ""), viewport=viewport)
    try:
        page = visit.page
        folded = page.evaluate(HEADER)
        assert folded["header"]["height"] <= HEADER_HIGH, folded["header"]
        assert folded["network"]["height"] >= 0.8 * viewport[1]  # the graph gets most of the screen
        parts = folded["parts"]
        for part in ("#view-title", "#search", "#lang-zh", "#lang-en", "#header-more"):  # one row each, whole
            assert _on_page(parts[part], viewport[0]), (part, parts[part])
            assert parts[part]["bottom"] <= folded["header"]["bottom"] + 0.5, (part, parts[part])
        assert parts["#search"]["width"] >= 150  # room to type
        assert parts["header .sub"] is None and parts["nav.links"] is None  # behind "更多 More"
        assert folded["expanded"] == "false" and folded["scrollWidth"] <= viewport[0]
        assert page.inner_text("#header-more").startswith("More" if lang == "en" else "更多")

        page.click("#header-more")  # everything the header holds, nothing cut
        unfolded = page.evaluate(HEADER)
        assert unfolded["expanded"] == "true" and not unfolded["titleCut"] and not unfolded["notesCut"]
        for part in ("#view-title", "header .kind", "header .sub", "nav.links", "#search", "#lang-en"):
            assert _on_page(unfolded["parts"][part], viewport[0]), (part, unfolded["parts"][part])
        if view[0] != "overview":
            assert _on_page(unfolded["parts"]["#link-overview"], viewport[0])
        assert unfolded["header"]["height"] > folded["header"]["height"]
        assert unfolded["scrollWidth"] <= viewport[0]
        page.click("#header-more")  # and folded again
        assert page.evaluate(HEADER)["header"]["height"] == pytest.approx(folded["header"]["height"], abs=1)
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, DESK], ids=["1366x768", "1920x1080"])
@pytest.mark.parametrize("view", EVERY_KIND, ids=lambda v: v[0])
def test_a_desk_screen_keeps_the_whole_header(browser, pages, viewport, view):
    """Not worse on a desk: the kind, the whole title, the description and the links, and no "More" button."""
    visit = Visit(browser, pages[view], viewport=viewport)
    try:
        shown = visit.page.evaluate(HEADER)
        assert shown["parts"]["#header-more"] is None and not shown["titleCut"]
        for part in ("header .kind", "#view-title", "header .sub", "nav.links", "#search", "#lang-en"):
            assert _on_page(shown["parts"][part], viewport[0]), part
        assert shown["header"]["height"] <= 170  # as before: 85-160 px
    finally:
        visit.close()


# ---- English in the notes bar and for a gap without candidates ----

NOTES = "() => [...document.querySelectorAll('ul.notes li')].map((li) => li.textContent)"


@pytest.mark.browser
def test_the_notes_bar_follows_the_language(browser, pages, bundled_store):
    """The notes bar read "集群 Cluster: 新能源汽车及汽车核心零部件 (nev)" in English."""
    nev = bundled_store.node("nev")
    visit = Visit(browser, pages[("segment", "nev-battery-cell")] + "?lang=en", viewport=LAPTOP)
    try:
        page = visit.page
        assert page.evaluate(NOTES) == [f"Cluster: {nev.name_en} (nev)"]
        page.click("#lang-zh")
        assert page.evaluate(NOTES) == [f"集群 Cluster: {nev.name_zh} (nev)"]
        page.click("#lang-en")
        assert not CJK.search("".join(page.evaluate(NOTES)))
    finally:
        visit.close()


def test_a_cluster_without_english_is_named_in_chinese_in_the_notes():
    """No English name in the data: the English note gives the Chinese name, nothing made up; escaped as text."""
    city = hostile_city()
    segment = city.nodes["t-ess-bms"]
    cluster_id = next(e.target for e in city.edges.values() if e.source == segment.id and e.kind == EdgeKind.PART_OF)
    name = '储能"><img src=x onerror=alert(1)>'
    city.nodes[cluster_id] = city.nodes[cluster_id].model_copy(update={"name_zh": name, "name_en": ""})
    net = build_view(MemoryStore(city), "segment", segment.id)
    assert [(n.zh, n.en) for n in net.notes] == [
        (f"集群 Cluster: {name} ({cluster_id})", f"Cluster: {name} ({cluster_id})")
    ]
    html = render_view(net, LinkStyle.file()).html
    assert "<img src=x" not in html and 'data-en="Cluster: 储能&#34;&gt;&lt;img src=x' in html


@pytest.mark.browser
def test_a_gap_without_candidates_says_so_in_english(browser, pages):
    """An English panel read "0 · 数据中暂无外地候选企业，需另行调研 none in the data yet: to research"."""
    visit = Visit(browser, pages[("segment", "tex-corduroy")] + "?lang=en", viewport=LAPTOP)
    try:
        page = visit.page
        page.evaluate("window.chainkgView.showDetails('tex-corduroy')")
        items = page.locator("#details-body h3:has-text('Candidates') + ol li").all_inner_texts()
        assert items == [NO_CANDIDATES_EN]
        assert page.evaluate(PANEL_FIELDS)["Outside candidates"] == NO_CANDIDATES_EN
        page.click("#lang-zh")  # the Chinese page keeps both languages
        assert page.locator("#details-body h3:has-text('候选企业') + ol li").all_inner_texts() == [NO_CANDIDATES]
    finally:
        visit.close()


# ---- the details panel on a phone: a sheet over the lower part of the graph ----

SHEET = """() => {
    const box = (s) => { const b = document.querySelector(s).getBoundingClientRect();
        return {left: b.left, top: b.top, right: b.right, bottom: b.bottom, width: b.width, height: b.height}; };
    const body = document.getElementById("details-body");
    return {panel: box("#details"), close: box("#details-close"), network: box("#network"),
            bodyScroll: [body.scrollTop, body.scrollHeight, body.clientHeight],
            pageScroll: document.scrollingElement.scrollTop, hidden: document.getElementById("details").hidden};
}"""
NODE_AT = """(id) => { const net = window.chainkgView.network, frame = document.getElementById("network");
    const p = net.canvasToDOM(net.getPositions([id])[id]), b = frame.getBoundingClientRect();
    return {x: b.left + p.x, y: b.top + p.y}; }"""


@pytest.mark.browser
def test_the_details_panel_is_a_sheet_on_a_phone(browser, pages, artifacts):
    """At 390x844 the panel took 31..382 x 311..836 of a graph at 303..844: nearly all of it."""
    visit = Visit(browser, pages[("cluster", "nev")], viewport=PHONE)
    try:
        page = visit.page
        visit.click_node("nev-battery-cell")  # centred, then clicked: the sheet would cover it
        page.wait_for_selector("#details:not([hidden])")
        sheet = page.evaluate(SHEET)
        panel, frame = sheet["panel"], sheet["network"]
        assert panel["left"] == 0 and panel["right"] == PHONE[0] and panel["bottom"] == pytest.approx(PHONE[1], abs=1)
        assert panel["top"] - frame["top"] >= 0.4 * frame["height"]  # the upper part of the graph still shows
        node = page.evaluate(NODE_AT, "nev-battery-cell")
        assert frame["top"] < node["y"] < panel["top"] - 20  # the node clicked stays in sight, above the sheet
        close = sheet["close"]
        assert close["width"] >= 32 and close["height"] >= 32  # a button a finger can hit
        assert panel["left"] <= close["left"] and close["right"] <= panel["right"] and close["top"] >= panel["top"]
        page.screenshot(path=str(artifacts / "phone-details-sheet-390x844.png"))

        scale = page.evaluate("window.chainkgView.network.getScale()")
        assert sheet["bodyScroll"][1] > sheet["bodyScroll"][2]  # more than the sheet holds: it scrolls inside
        page.mouse.move(PHONE[0] / 2, panel["top"] + panel["height"] / 2)
        page.mouse.wheel(0, 300)
        page.wait_for_function("() => document.getElementById('details-body').scrollTop > 0")
        scrolled = page.evaluate(SHEET)
        assert scrolled["pageScroll"] == 0 and scrolled["close"] == close  # the page and the close button stay
        assert scrolled["panel"] == panel
        assert page.evaluate("window.chainkgView.network.getScale()") == scale  # the wheel did not zoom the graph

        page.click("#details-close")
        assert page.evaluate(SHEET)["hidden"] is True
        page.evaluate("window.chainkgView.showDetails('nev-battery-cell')")  # a second click could be a double one
        assert page.evaluate(SHEET)["hidden"] is False
        page.keyboard.press("Escape")
        assert page.evaluate(SHEET)["hidden"] is True
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.browser
def test_a_search_hit_opens_above_the_sheet(browser, pages):
    """A firm found by the search is centred, then its panel opens: the sheet must not hide it."""
    visit = Visit(browser, pages[("firm", "catl-jiangsu")], viewport=PHONE)
    try:
        page = visit.page
        page.fill("#search", "catl-jiangsu")
        page.keyboard.press("Enter")
        page.wait_for_selector("#details:not([hidden])")
        panel = page.evaluate(SHEET)["panel"]
        node = page.evaluate(NODE_AT, "catl-jiangsu")
        assert panel["top"] > PHONE[1] * 0.4 and node["y"] < panel["top"] - 20
    finally:
        visit.close()


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [LAPTOP, DESK], ids=["1366x768", "1920x1080"])
def test_a_desk_screen_keeps_the_side_panel(browser, pages, viewport):
    """Not worse on a desk: the panel stands at the right, 360 px wide, from top to bottom of the graph."""
    visit = Visit(browser, pages[("cluster", "nev")], viewport=viewport)
    try:
        page = visit.page
        page.evaluate("window.chainkgView.showDetails('nev-battery-cell')")
        sheet = page.evaluate(SHEET)
        panel, frame = sheet["panel"], sheet["network"]
        assert panel["width"] == 360 and panel["right"] == pytest.approx(viewport[0] - 8, abs=1)
        assert panel["top"] == pytest.approx(frame["top"] + 8, abs=1)
        assert panel["bottom"] == pytest.approx(frame["bottom"] - 8, abs=1)
    finally:
        visit.close()
