"""Accessibility and language of the views, in real headless Chromium.

- The language switch left a screen reader's words in Chinese: the language group ("语言 Language"), the
  graph's region (the Chinese title), the close button ("close", in English on the Chinese page too) and the
  node tooltips (both languages in English mode). They now follow the language, as ``<html lang>``, the
  tab title and the edge tooltips did.
- Every control is reached by Tab in the order it is read, each with a visible focus ring and a name in the
  page's language; the details panel (a bottom sheet on a phone) takes the focus to its close button when it
  opens and gives it back when it closes; the search box is a combobox whose results answer the arrow keys.
- Greys (#777, #999) and white text on the gap badges fell under WCAG AA's 4.5:1; the contrast of every text
  of the header, notes, legend, controls, search results and panel is computed here from computed styles.

Chromium is Debian's ``/usr/bin/chromium`` (never a downloaded browser); without it these tests skip
locally and fail under ``CI=true``.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

import tests.test_views_browser as browser_tests
from graph.memory_store import MemoryStore
from tests.test_views_browser import Visit
from tests.test_views_review import _data_runs
from viz.fixtures import HOSTILE_FIRM_ID, hostile_city
from viz.render import FILE_NAMES, LinkStyle, fill, render_view
from viz.style import display_name
from viz.views import build_view

pytestmark = pytest.mark.browser

LAPTOP, PHONE = (1366, 768), (390, 844)
CJK = re.compile(r"[\u3400-\u9fff]")
CJK_RUN = re.compile(r"[\u3400-\u9fff]+")
EVERY_KIND = [("overview", None), ("cluster", "nev"), ("segment", "nev-battery-cell"), ("firm", "catl-jiangsu")]
AA_NORMAL_TEXT = 4.5
"""WCAG 2.x level AA: the least contrast of normal-size text (every text of the views' chrome is under 18 pt)."""

artifacts = browser_tests.artifacts
"""Where screenshots go (``test-artifacts/views/``)."""


@pytest.fixture(scope="module")
def pages(bundled_store: MemoryStore, tmp_path_factory) -> dict[tuple[str, str | None], str]:
    """One view of each kind of the bundled data, and the hostile firm's view, as files: (kind, id) → URL."""
    folder = tmp_path_factory.mktemp("a11y-views")
    urls = {}
    for kind, subject in EVERY_KIND:
        path = folder / (fill(FILE_NAMES[kind], subject) or "")
        path.write_text(render_view(build_view(bundled_store, kind, subject), LinkStyle.file()).html, "utf-8")
        urls[(kind, subject)] = path.as_uri()
    hostile = folder / "hostile" / (fill(FILE_NAMES["firm"], HOSTILE_FIRM_ID) or "")
    hostile.parent.mkdir()
    view = build_view(MemoryStore(hostile_city()), "firm", HOSTILE_FIRM_ID)
    hostile.write_text(render_view(view, LinkStyle.file()).html, "utf-8")
    urls[("hostile", HOSTILE_FIRM_ID)] = hostile.as_uri()
    return urls


def _open(browser: Any, url: str, lang: str = "zh", viewport: tuple[int, int] = LAPTOP) -> Visit:
    return Visit(browser, url + ("?lang=en" if lang == "en" else ""), viewport=viewport)


# ---- 1. the language switch renames what a screen reader reads ----

SPOKEN = """() => ({
    lang: document.documentElement.lang,
    title: document.title,
    group: document.querySelector(".lang").getAttribute("aria-label"),
    region: document.getElementById("network").getAttribute("aria-label"),
    close: document.getElementById("details-close").getAttribute("aria-label"),
    labels: [...document.querySelectorAll("[aria-label]")].map((n) => n.getAttribute("aria-label")),
})"""


@pytest.mark.parametrize("start", ["zh", "en"])
def test_the_language_switch_renames_what_a_screen_reader_reads(browser, pages, bundled_store, start):
    """The language group, the graph's region and the close button kept their Chinese-page words in English."""
    nev = bundled_store.node("nev")
    visit = _open(browser, pages[("cluster", "nev")], start)
    try:
        page = visit.page
        for lang in [start, "zh" if start == "en" else "en", start]:
            page.click(f"#lang-{lang}")
            spoken = page.evaluate(SPOKEN)
            if lang == "en":
                assert spoken["lang"] == "en" and spoken["title"] == f"{nev.name_en} · Cluster · chainkg"
                assert (spoken["group"], spoken["region"], spoken["close"]) == ("Language", nev.name_en, "Close")
                assert [label for label in spoken["labels"] if CJK.search(label)] == []
            else:
                heading = display_name(nev.name_zh, nev.name_en)  # the Chinese page names things in both
                assert spoken["lang"] == "zh-Hans" and spoken["title"] == f"{heading} · 集群 Cluster · chainkg"
                named = (spoken["group"], spoken["region"], spoken["close"])
                assert named == ("语言 Language", heading, "关闭 Close")
                assert all(CJK.search(label) for label in spoken["labels"]), spoken["labels"]
        assert visit.errors == []
    finally:
        visit.close()


TOOLTIPS = """() => window.chainkgView.nodes.get().map((n) => ({id: n.id, title: n.title}))"""


@pytest.mark.parametrize("view", EVERY_KIND, ids=lambda v: f"{v[0]}-{v[1]}")
def test_node_tooltips_follow_the_language(browser, pages, bundled_store, view):
    """In English a node's tooltip read "电芯 (Cells)\\n环节 Segment · …\\n来源 Source: …"."""
    visit = _open(browser, pages[view], "en")
    try:
        page = visit.page
        if page.locator("#firm-toggle").count():
            page.check("#firm-toggle")  # the pooled firms too
        english = page.evaluate(TOOLTIPS)
        assert len(english) >= 5 and all(n["title"] for n in english)
        runs = _data_runs(bundled_store)  # sources' titles and publishers, names without English: as published
        assert sorted({run for n in english for run in CJK_RUN.findall(n["title"])} - runs) == []
        assert not [n["id"] for n in english if "来源" in n["title"] or "Source: " not in n["title"]]
        page.click("#lang-zh")
        chinese = page.evaluate(TOOLTIPS)
        assert [n["id"] for n in chinese] == [n["id"] for n in english]
        assert not [n["id"] for n in chinese if "来源 Source: " not in n["title"]]
        page.click("#lang-en")
        assert page.evaluate(TOOLTIPS) == english
        assert visit.errors == []
    finally:
        visit.close()


def test_a_hovered_tooltip_is_english_and_shows_data_as_text(browser, pages):
    """The tooltip vis-network draws on hover is the English one, and a name made of markup stays text."""
    visit = _open(browser, pages[("hostile", HOSTILE_FIRM_ID)], "en")
    try:
        page = visit.page
        node = page.evaluate(f"window.chainkgView.nodes.get('{HOSTILE_FIRM_ID}')")
        assert node["title"] == node["title_en"] != node["title_zh"]
        point = page.evaluate(
            """(id) => {
                const net = window.chainkgView.network;
                const pos = net.canvasToDOM(net.getPositions([id])[id]);
                const box = document.getElementById("network").getBoundingClientRect();
                return [box.left + pos.x, box.top + pos.y];
            }""",
            HOSTILE_FIRM_ID,
        )
        page.mouse.move(point[0] - 3, point[1] - 3)
        page.mouse.move(point[0], point[1])
        page.wait_for_selector("div.vis-tooltip", state="visible", timeout=5_000)
        shown = page.evaluate(
            "() => { const t = document.querySelector('div.vis-tooltip'); "
            "return {text: t.innerText, children: [...t.children].map((c) => c.tagName)}; }"
        )
        assert set(shown["children"]) == {"BR"}  # plain text (innerText breaks lines): nothing made from the data
        assert shown["text"].split("\n")[0] == '"><svg onload=alert(2)>'  # the English name, as text
        assert "Firm · f-hostile" in shown["text"] and not CJK.search(shown["text"].split("Source:")[0])
        assert page.evaluate("document.querySelectorAll('img, svg, iframe, object, embed').length") == 0
        assert visit.dialogs == [] and visit.errors == []
    finally:
        visit.close()


# ---- 2. the keyboard and screen-reader basics ----

FOCUSED = """() => {
    const a = document.activeElement, cs = getComputedStyle(a);
    return {tag: a.tagName, id: a.id, cls: a.className || "", text: (a.innerText || "").trim(),
            outline: cs.outlineStyle, width: parseFloat(cs.outlineWidth), colour: cs.outlineColor};
}"""
TABBABLE = """() => [...document.querySelectorAll("a[href], button, input, summary, [tabindex]")]
    .filter((n) => n.tabIndex >= 0 && !n.disabled && n.getClientRects().length > 0
                   && getComputedStyle(n).visibility !== "hidden")
    .map((n) => n.id || n.tagName)"""


def _tab_through(page: Any, steps: int = 30) -> list[dict[str, Any]]:
    """Press Tab from the top of the page until the focus leaves it: each element focused on the way."""
    page.evaluate("document.activeElement && document.activeElement.blur()")
    seen = []
    for _ in range(steps):
        page.keyboard.press("Tab")
        now = page.evaluate(FOCUSED)
        if now["tag"] == "BODY" or (seen and now == seen[0]):
            break
        seen.append(now)
    return seen


def _name(item: dict[str, Any]) -> str:
    return item["id"] or ("vis-network" if "vis-network" in item["cls"] else item["tag"])


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_tab_reaches_every_control_in_reading_order_with_a_visible_ring(browser, pages, viewport):
    visit = _open(browser, pages[("cluster", "nev")], viewport=viewport)
    try:
        page = visit.page
        tabbable = page.evaluate(TABBABLE)
        seen = _tab_through(page)
        order = [_name(item) for item in seen]
        head = ["header-more"] if viewport == PHONE else []
        expected = [*head, "lang-zh", "lang-en"]
        expected += [] if viewport == PHONE else ["link-overview"]  # folded behind "更多 More" on a phone
        expected += ["search", "vis-network", "firm-toggle", "fit-all", "show-summary", "legend-title"]
        assert order == expected
        assert sorted(tabbable) == sorted("DIV" if n == "vis-network" else n for n in order)  # nothing skipped
        for item in seen:  # a ring of 2 px or more, in a colour that is not the background's
            assert item["outline"] != "none" and item["width"] >= 2, item
            assert item["colour"] not in ("rgba(0, 0, 0, 0)", "rgb(255, 255, 255)"), item
        assert visit.errors == []
    finally:
        visit.close()


NAMED_ROLES = {"button", "checkbox", "combobox", "link", "listbox", "option", "DisclosureTriangle", "group", "region"}


def _ax_names(visit: Visit) -> list[tuple[str, str]]:
    """(role, accessible name) of every control in Chromium's accessibility tree (DevTools Accessibility)."""
    cdp = visit.context.new_cdp_session(visit.page)
    tree = cdp.send("Accessibility.getFullAXTree")["nodes"]
    out = []
    for node in tree:
        role = (node.get("role") or {}).get("value", "")
        if role in NAMED_ROLES and not node.get("ignored"):
            out.append((role, str((node.get("name") or {}).get("value", "")).strip()))
    return out


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_every_control_has_a_name_in_the_language_of_the_page(browser, pages, bundled_store, lang):
    nev = bundled_store.node("nev")
    visit = _open(browser, pages[("cluster", "nev")], lang)
    try:
        page = visit.page
        page.click("#show-summary")  # the panel's close button and links too
        page.fill("#search", "电池")  # and the search results
        names = _ax_names(visit)
        roles = {role for role, _ in names}
        assert {"button", "checkbox", "combobox", "listbox", "option", "region"} <= roles, roles
        assert [n for n in names if not n[1]] == []
        assert ("region", nev.name_en if lang == "en" else display_name(nev.name_zh, nev.name_en)) in names
        buttons = [name for role, name in names if role == "button"]
        assert ("Close" if lang == "en" else "关闭 Close") in buttons
        if lang == "en":  # only the switch's own "中文" and the data's Chinese names (search hits, panel links)
            controls = [name for role, name in names if role in ("button", "checkbox", "combobox", "group")]
            assert [name for name in controls if CJK.search(name) and name != "中文"] == []
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.parametrize("viewport", [LAPTOP, PHONE], ids=["laptop", "phone"])
def test_the_panel_takes_the_focus_and_gives_it_back(browser, pages, viewport):
    visit = _open(browser, pages[("cluster", "nev")], viewport=viewport)
    try:
        page = visit.page
        active = "() => document.activeElement.id || document.activeElement.className"
        page.focus("#show-summary")
        page.keyboard.press("Enter")  # the cluster's gaps
        page.wait_for_selector("#details[data-summary='true']")
        assert page.evaluate(active) == "details-close"
        page.click("#lang-en")  # drawn again in English: the focus stays on the switch
        assert page.evaluate(active) == "lang-en" and page.is_visible("#details")
        page.focus("#details-close")
        page.keyboard.press("Escape")
        assert page.is_hidden("#details") and page.evaluate(active) == "show-summary"

        page.focus("#search")  # a search hit opens its panel (the sheet on a phone); Enter on close comes back
        page.keyboard.type("nev-separator")
        page.keyboard.press("Enter")
        page.wait_for_selector("#details[data-node='nev-separator']")
        assert page.evaluate(active) == "details-close"
        page.keyboard.press("Enter")
        assert page.is_hidden("#details") and page.evaluate(active) == "search"

        page.keyboard.press("Escape")  # Escape in the search box leaves the focus there
        assert page.evaluate(active) == "search"
        visit.click_node("nev-separator")  # a click on the graph: closing returns to the graph
        page.wait_for_selector("#details[data-node='nev-separator']")
        assert page.evaluate(active) == "details-close"
        page.click("#details-close")
        assert page.is_hidden("#details") and "vis-network" in page.evaluate(active)
        assert visit.errors == []
    finally:
        visit.close()


RESULTS = """() => ({
    expanded: document.getElementById("search").getAttribute("aria-expanded"),
    active: document.getElementById("search").getAttribute("aria-activedescendant"),
    role: document.getElementById("search-results").getAttribute("role"),
    items: [...document.querySelectorAll("#search-results li[data-id]")].map((li) => ({
        id: li.id, data: li.dataset.id, role: li.getAttribute("role"), selected: li.getAttribute("aria-selected"),
        marked: li.classList.contains("active")})),
})"""


def test_search_results_answer_the_arrow_keys(browser, pages):
    """Enter opened the first result; the others needed the mouse."""
    visit = _open(browser, pages[("cluster", "nev")])
    try:
        page = visit.page
        page.focus("#search")
        page.keyboard.type("电池")
        found = page.evaluate(RESULTS)
        assert found["role"] == "listbox" and found["expanded"] == "true" and len(found["items"]) >= 4
        assert [i["role"] for i in found["items"]] == ["option"] * len(found["items"])

        def marked() -> list[int]:
            now = page.evaluate(RESULTS)
            at = [k for k, i in enumerate(now["items"]) if i["selected"] == "true" and i["marked"]]
            assert len(at) == 1 and now["active"] == now["items"][at[0]]["id"], now
            return at

        assert marked() == [0]
        for _ in range(3):
            page.keyboard.press("ArrowDown")
        assert marked() == [3]
        page.keyboard.press("ArrowUp")
        assert marked() == [2]
        for _ in range(len(found["items"]) + 2):  # it stops at the last one
            page.keyboard.press("ArrowDown")
        assert marked() == [len(found["items"]) - 1]
        page.keyboard.press("Escape")
        assert page.evaluate(RESULTS)["expanded"] == "false" and page.is_hidden("#search-results")
        page.keyboard.type("电池")  # Escape also empties a search box: typing again starts from the first
        assert page.is_visible("#search-results") and marked() == [0]
        page.keyboard.press("ArrowDown")
        page.keyboard.press("ArrowDown")
        assert marked() == [2]
        third = found["items"][2]["data"]
        page.keyboard.press("Enter")
        page.wait_for_selector(f"#details[data-node='{third}']")
        assert page.is_hidden("#search-results") and page.evaluate(RESULTS)["expanded"] == "false"

        page.focus("#search")  # Tab goes on to the graph, not through the twelve results
        page.keyboard.press("ArrowDown")
        page.keyboard.press("Tab")
        assert "vis-network" in page.evaluate("document.activeElement.className")
        assert visit.errors == []
    finally:
        visit.close()


# ---- 3. colour contrast (WCAG AA) ----

CONTRAST = """(sel) => {
    const parse = (c) => {
        const m = c.match(/[\\d.]+/g).map(Number);
        return [m[0], m[1], m[2], m.length > 3 ? m[3] : 1];
    };
    const over = (top, under) => [0, 1, 2].map((i) => top[i] * top[3] + under[i] * (1 - top[3])).concat([1]);
    const background = (node) => {
        const layers = [];
        for (let n = node; n && n.nodeType === 1; n = n.parentElement) {
            const c = parse(getComputedStyle(n).backgroundColor);
            if (c[3] > 0) layers.push(c);
            if (c[3] >= 1) break;
        }
        return layers.reverse().reduce((under, top) => over(top, under), [255, 255, 255, 1]);
    };
    const lum = (c) => {  /* relative luminance, as WCAG 2 defines it */
        const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); };
        return 0.2126 * f(c[0]) + 0.7152 * f(c[1]) + 0.0722 * f(c[2]);
    };
    const ratio = (a, b) => { const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p); return (x + 0.05) / (y + 0.05); };
    window.__contrast = (fg, bg) => ratio(parse(fg), parse(bg));
    const out = [];
    document.querySelectorAll(sel).forEach((node) => {
        const own = [...node.childNodes].some((c) => c.nodeType === 3 && c.textContent.trim());
        if (!own || node.getClientRects().length === 0 || getComputedStyle(node).visibility === "hidden") return;
        if (node.closest("[hidden]")) return;
        const cs = getComputedStyle(node);
        const bg = background(node), fg = over(parse(cs.color), bg);
        out.push({where: node.id || (node.className && String(node.className)) || node.tagName,
                  text: node.textContent.trim().slice(0, 30), ratio: ratio(fg, bg), colour: cs.color,
                  background: "rgb(" + bg.slice(0, 3).map(Math.round).join(", ") + ")"});
    });
    return out;
}"""
CHROME = "header *, ul.notes *, #legend *, #controls *, #search-results *, #details *"


def _low_contrast(page: Any) -> list[dict[str, Any]]:
    return [t for t in page.evaluate(CONTRAST, CHROME) if t["ratio"] < AA_NORMAL_TEXT]


@pytest.mark.parametrize("lang", ["zh", "en"])
@pytest.mark.parametrize("view", EVERY_KIND, ids=lambda v: f"{v[0]}-{v[1]}")
def test_every_text_of_the_page_meets_wcag_aa_contrast(browser, pages, view, lang):
    visit = _open(browser, pages[view], lang)
    try:
        page = visit.page
        # the measure tells a failing grey: #777 on white is 4.48:1, #595959 7.0:1
        assert page.evaluate("window.__contrast === undefined") is True
        page.evaluate(CONTRAST, "body")
        assert round(page.evaluate("window.__contrast('rgb(119, 119, 119)', 'rgb(255, 255, 255)')"), 2) == 4.48
        if not page.evaluate("document.getElementById('legend').open"):
            page.click("#legend summary")
        checked = page.evaluate(CONTRAST, CHROME)
        assert len(checked) >= 8
        assert _low_contrast(page) == []
        gapped = page.evaluate(
            "window.chainkgView.nodes.get().filter((n) => n.info && (n.info.statuses || []).length).map((n) => n.id)"
        )
        for node in gapped[:3]:  # a gap's badges, in the colour of its kind on the graph
            page.evaluate("(id) => window.chainkgView.showDetails(id)", node)
            assert page.locator("#details .badge[class*='status-']").count() >= 1
            assert _low_contrast(page) == []
        if page.locator("#show-summary").count():
            page.click("#show-summary")
            assert _low_contrast(page) == []
        page.fill("#search", "电" if lang == "zh" else "an")  # results, the marked one on its highlight
        page.wait_for_selector("#search-results li[data-id]")
        page.focus("#search")
        page.keyboard.press("ArrowDown")
        assert page.locator("#search-results .result-kind").count() >= 2
        assert _low_contrast(page) == []
        page.fill("#search", "zzqqxx")
        assert _low_contrast(page) == []
        assert visit.errors == []
    finally:
        visit.close()


def test_the_gap_badges_keep_the_colours_of_the_graph(browser, pages):
    """The badges' text turned dark; their backgrounds are still the gap kinds' colours on the graph."""
    from viz.style import COLOURS

    visit = _open(browser, pages[("cluster", "nev")])
    try:
        page = visit.page
        page.evaluate("window.chainkgView.showDetails('nev-bms-chips')")  # missing, broken link and extension
        found = page.evaluate(
            """() => [...document.querySelectorAll("#details .badge[class*='status-']")].map((b) =>
                [b.className.split("status-")[1], getComputedStyle(b).backgroundColor])"""
        )
        assert len(found) == 3

        def rgb(hex_colour: str) -> str:
            return "rgb({}, {}, {})".format(*(int(hex_colour[i : i + 2], 16) for i in (1, 3, 5)))

        assert found == [[kind, rgb(COLOURS[kind])] for kind, _ in found]
        assert page.evaluate("window.chainkgView.nodes.get('nev-bms-chips').color.background") == COLOURS["missing"]
    finally:
        visit.close()
