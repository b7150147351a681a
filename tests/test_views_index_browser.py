"""The views' search index in real Chromium (review 16b H2): a served page loads it once, a file page carries it.

A served view leaves the index out of the page and loads ``/views/search-index/<digest>.js``, which the browser
keeps (``immutable``) and reuses on the next page; while it loads the search box says so, and if it cannot load
the box says that and offers the server's ``/api/v1/search``. A file view written by ``chainkg render`` keeps its
index inline and searches with no request at all, offline.
"""

from __future__ import annotations

import json
import re
import threading
from collections.abc import Iterator
from typing import Any

import pytest

from tests.test_views_browser import INDEX_IN, INDEX_SCRIPT, RECORD_VIOLATIONS, Visit
from tests.view_support import VIEW_DATA, served
from viz.render import LinkStyle, render_view
from viz.views import build_view

pytestmark = pytest.mark.browser

SEARCH = "(q) => window.chainkgView.search(q).map((e) => e.id)"
INITIALS = "tnkj"
"""天奈科技's pinyin initials: its 常州 unit first, then the firm outside Changzhou (ranked after a local match)."""
FOUND = ["cnano-changzhou", "cnano"]
DIGEST = re.compile(r"search-index/[0-9a-f]{20}\.js")


class Counting:
    """ASGI middleware: the path and status of every answer that reaches the server."""

    def __init__(self, app: Any) -> None:
        self.app = app
        self.answers: list[tuple[str, int]] = []
        self.lock = threading.Lock()

    async def __call__(self, scope: Any, receive: Any, send: Any) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return

        async def counted(message: Any) -> None:
            if message["type"] == "http.response.start":
                with self.lock:
                    self.answers.append((scope["path"], message["status"]))
            await send(message)

        await self.app(scope, receive, counted)

    def index_answers(self) -> list[int]:
        with self.lock:
            return [status for path, status in self.answers if INDEX_SCRIPT.fullmatch(path)]


@pytest.fixture(scope="module")
def counted_server(bundled_store) -> Iterator[tuple[str, Counting]]:
    holder: dict[str, Counting] = {}

    def wrap(app: Any) -> Counting:
        holder["counting"] = Counting(app)
        return holder["counting"]

    with served(bundled_store, wrap=wrap) as url:
        yield url, holder["counting"]


def _view_data(html: str) -> dict[str, Any]:
    found = VIEW_DATA.search(html)
    assert found
    return json.loads(found.group(1))


def test_a_served_page_carries_no_index_and_finds_a_firm_by_its_initials(browser, bundled_server):
    visit = Visit(browser, f"{bundled_server}/views/clusters/nev")
    try:
        page = visit.page
        html = visit.response.text()
        data = _view_data(html)
        assert data["index"] is None and '"py": "' not in html  # no index entry (their pinyin) in the page
        assert data["indexScript"]["src"].startswith("../search-index/") and data["indexScript"]["eager"] is True
        csp = visit.response.headers["content-security-policy"]
        assert f"'{data['indexScript']['integrity']}'" in csp and "connect-src 'none'" in csp and "'self'" not in csp
        assert len(visit.index_requests) == 1 and visit.outside_requests() == []
        assert page.evaluate(SEARCH, INITIALS)[:2] == FOUND
        page.fill("#search", INITIALS)  # the box, as a user types: pinyin initials, the local unit first
        page.wait_for_selector("#search-results li[data-id='cnano']")
        shown = page.eval_on_selector_all("#search-results li[data-id]", "(lis) => lis.map((li) => li.dataset.id)")
        assert shown[:2] == FOUND
        assert page.evaluate(SEARCH, "ningdeshidai")[:2] == ["catl", "catl-jiangsu"]  # full pinyin, and the parent
        assert page.evaluate("window.__csp") == [] and visit.errors == []
    finally:
        visit.close()


def test_the_index_is_fetched_once_for_two_pages(browser, counted_server):
    """One browser context (no request interception, which would turn the HTTP cache off): the second page
    takes the index from the cache, so the server is asked for it once."""
    url, counting = counted_server
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    context.add_init_script(RECORD_VIOLATIONS)
    try:
        page = context.new_page()
        asked: list[str] = []
        page.on("request", lambda request: asked.append(request.url))
        before = len(counting.index_answers())
        page.goto(f"{url}/views/clusters/nev")
        page.wait_for_function(INDEX_IN, timeout=15_000)
        page.goto(f"{url}/views/segments/nev-battery-cell")
        page.wait_for_function(INDEX_IN, timeout=15_000)
        assert page.evaluate("window.chainkgView.searchIndexState()") == "ready"
        assert page.evaluate(SEARCH, INITIALS)[:2] == FOUND
        # the second page's index came from the cache: nothing went over the wire for it
        entries = page.evaluate(
            "() => performance.getEntriesByType('resource')"
            ".filter((e) => e.name.includes('/views/search-index/')).map((e) => e.transferSize)"
        )
        assert entries == [0]
        assert counting.index_answers()[before:] == [200]  # asked once (a revalidation would be a 304)
        assert all(a.startswith(url + "/views/") for a in asked), asked  # same origin, nothing else
        assert page.evaluate("window.__csp") == []
    finally:
        context.close()


def test_the_search_box_says_loading_then_finds(browser, bundled_server):
    """While the index is on its way the box says 正在加载…; what was typed is searched once it is in."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    held: list[Any] = []
    context.route("**/views/search-index/*", lambda route: held.append(route))
    try:
        page = context.new_page()
        page.goto(f"{bundled_server}/views/overview")  # the page's load event does not wait for the index
        page.wait_for_function("() => window.chainkgView.searchIndexState() === 'loading'")
        page.fill("#search", INITIALS)
        assert "正在加载搜索索引" in page.inner_text("#search-results")
        page.click("#lang-en")
        assert "Loading the search index" in page.inner_text("#search-results")
        page.click("#lang-zh")
        assert len(held) == 1
        held[0].continue_()
        page.wait_for_selector("#search-results li[data-id='cnano']", timeout=10_000)
        shown = page.eval_on_selector_all("#search-results li[data-id]", "(lis) => lis.map((li) => li.dataset.id)")
        assert shown[:2] == FOUND
    finally:
        context.close()


def test_the_search_box_says_when_the_index_cannot_load(browser, bundled_server):
    """An index that does not come (here: refused) leaves the box saying so, with the server's search."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")
    context.route("**/views/search-index/*", lambda route: route.abort())
    try:
        page = context.new_page()
        page.goto(f"{bundled_server}/views/clusters/nev")
        page.wait_for_function(INDEX_IN, timeout=15_000)
        assert page.evaluate("window.chainkgView.searchIndexState()") == "failed"
        page.fill("#search", INITIALS)
        text = page.inner_text("#search-results")
        assert "搜索索引未能加载" in text and "/api/v1/search" in text
        link = page.get_attribute("#search-server", "href")
        assert link == f"../../api/v1/search?q={INITIALS}"
        page.press("#search", "Enter")  # Enter goes to the server's search
        page.wait_for_url(f"{bundled_server}/api/v1/search?q={INITIALS}")
        assert "cnano-changzhou" in page.content()
    finally:
        context.close()


def test_a_stale_index_url_is_a_failure_the_box_reports(browser, bundled_server):
    """A page made before an import names the old index: its URL answers 404 and the box says so."""
    context = browser.new_context(viewport={"width": 1400, "height": 860}, locale="zh-CN")

    def old_page(route: Any) -> None:
        response = route.fetch()
        html, count = DIGEST.subn("search-index/" + "0" * 20 + ".js", response.text())
        assert count == 1
        route.fulfill(response=response, body=html)

    context.route("**/views/firms/catl", old_page)
    try:
        page = context.new_page()
        page.goto(f"{bundled_server}/views/firms/catl")
        page.wait_for_function(INDEX_IN, timeout=15_000)
        assert page.evaluate("window.chainkgView.searchIndexState()") == "failed"
    finally:
        context.close()


def test_a_file_view_searches_offline_with_no_request(browser, bundled_store, tmp_path):
    """``chainkg render``'s file carries its index: offline, it asks for nothing and still finds by initials."""
    path = tmp_path / "cluster-nev.html"
    html = render_view(build_view(bundled_store, "cluster", "nev"), LinkStyle.file()).html
    assert "search-index/" not in html and _view_data(html)["indexScript"] is None
    path.write_text(html, "utf-8")
    visit = Visit(browser, path.as_uri())
    try:
        visit.context.set_offline(True)
        page = visit.page
        assert page.evaluate("window.chainkgView.searchIndexState()") == "ready"
        page.fill("#search", INITIALS)
        page.wait_for_selector("#search-results li[data-id='cnano']")
        assert page.evaluate(SEARCH, INITIALS)[:2] == FOUND
        assert visit.index_requests == [] and visit.outside_requests() == []
        assert page.evaluate("window.__csp") == [] and visit.errors == []
    finally:
        visit.close()
