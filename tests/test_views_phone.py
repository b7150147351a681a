"""The overview and firm views on a phone, and the details panel in English, in real headless Chromium.

- On a 390x844 phone the overview and a firm view opened fitted whole with labels of ~8 px. Now, like the
  cluster views, a view that cannot be read whole opens readable (smallest label 11 px on screen) around the
  firm (or the overview's most linked cluster), says that it shows part of the graph, and "全图 Whole graph"
  shows all of it. A desk screen still opens whole, without the controls.
- In English a firm's panel read "Tags: 链主": tags (and a segment's cluster, tiers, project status…) are
  now in English.

Chromium is Debian's ``/usr/bin/chromium`` (never a downloaded browser); without it these tests skip
locally and fail under ``CI=true``.
"""

from __future__ import annotations

import re

import pytest

import tests.test_views_browser as browser_tests
from graph.memory_store import MemoryStore
from graph.model import NodeKind
from tests.test_views_browser import FRAME, Visit
from viz.render import FILE_NAMES, LinkStyle, fill, render_view
from viz.style import TAG_LABELS
from viz.views import build_view

LAPTOP, PHONE, SMALL_PHONE = (1366, 768), (390, 844), (360, 640)
READABLE_PX = 11
"""The smallest label size on screen a view opens at (``READABLE_PX`` in view.js)."""
CJK = re.compile(r"[\u3400-\u9fff]")

NODES = """() => {
    const v = window.chainkgView, net = v.network, scale = net.getScale();
    return v.nodes.getIds().map((id) => {
        const b = net.getBoundingBox(id);
        const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
        return {id: id, px: net.body.nodes[id].options.font.size * scale,
                box: {left: a.x, top: a.y, right: z.x, bottom: z.y}};
    });
}"""
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

browser = browser_tests.browser
"""The headless Chromium of the browser tests (the same module-scoped fixture, one per module)."""

VIEWS = [("overview", None), ("firm", "catl-jiangsu"), ("firm", "li-auto")]


@pytest.fixture(scope="module")
def pages(bundled_store: MemoryStore, tmp_path_factory) -> dict[tuple[str, str | None], str]:
    """The overview, two firm views and the nev cluster view of the bundled data, as files: (kind, id) → URL."""
    folder = tmp_path_factory.mktemp("phone-views")
    urls = {}
    for kind, subject in [*VIEWS, ("cluster", "nev")]:
        path = folder / (fill(FILE_NAMES[kind], subject) or "")
        path.write_text(render_view(build_view(bundled_store, kind, subject), LinkStyle.file()).html, "utf-8")
        urls[(kind, subject)] = path.as_uri()
    return urls


def _shown(nodes: list[dict], frame: list[float]) -> list[dict]:
    """The nodes drawn at least in part inside the frame."""
    return [
        n
        for n in nodes
        if n["box"]["right"] > 0
        and n["box"]["left"] < frame[0]
        and n["box"]["bottom"] > 0
        and n["box"]["top"] < frame[1]
    ]


def _inside(box: dict[str, float], frame: list[float]) -> bool:
    return box["left"] >= -1 and box["top"] >= -1 and box["right"] <= frame[0] + 1 and box["bottom"] <= frame[1] + 1


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
        shown = _shown(nodes, frame)
        assert min(n["px"] for n in shown) >= READABLE_PX - 0.05, [(n["id"], round(n["px"], 1)) for n in shown]
        if view[0] == "firm":  # the firm itself is in view, whole
            assert _inside(next(n["box"] for n in nodes if n["id"] == view[1]), frame)
        below = page.evaluate(CONTROLS_BOTTOM)  # a node partly under the controls is partly hidden too
        partial = any(not _inside(n["box"], frame) or n["box"]["top"] < below - 1 for n in nodes)
        assert _hint_shown(page) is partial  # the controls say so when part of the graph is out of view
        if partial:
            page.click("#fit-all")  # the whole graph, small
            assert all(_inside(n["box"], frame) for n in page.evaluate(NODES))
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
        assert all(_inside(n["box"], frame) for n in nodes)
        assert min(n["px"] for n in nodes) >= READABLE_PX
        assert page.evaluate("document.getElementById('controls').hidden") is True
    finally:
        visit.close()


@pytest.mark.browser
def test_a_firm_panel_in_english_has_no_chinese_tag(browser, pages, bundled_store):
    """The panel read "标签 Tags: 链主" in English mode: every tag of the bundled data is now in English."""
    visit = Visit(browser, pages[("firm", "catl-jiangsu")], viewport=LAPTOP)
    try:
        page = visit.page
        page.click("#lang-en")
        page.evaluate("window.chainkgView.showDetails('catl-jiangsu')")
        fields = page.evaluate(PANEL_FIELDS)
        assert fields["Tags"] == TAG_LABELS["链主"][1] == "chain leader (anchor firm)"
        assert fields["District"] == bundled_store.node("liyang").name_en
        assert not [v for k, v in fields.items() if k not in {"HQ", "Aliases"} and CJK.search(v)], fields
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
