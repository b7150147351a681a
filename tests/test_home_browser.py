"""The home page at ``/`` in real headless Chromium: it draws with no script, sends nothing outside, and its
links lead to the views and reports (served by a live uvicorn server of the hostile test city)."""

from __future__ import annotations

from typing import Any

import pytest

from tests import test_views_browser as views_browser
from tests.test_views_browser import CJK_FONTS, Visit

pytestmark = pytest.mark.browser

store = views_browser.store
server = views_browser.server
artifacts = views_browser.artifacts


class HomeVisit(Visit):
    """A page without script: ready once loaded and its fonts are in."""

    def wait_ready(self) -> None:
        self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => true)")


def test_the_home_page_leads_to_every_cluster_view(browser: Any, server: str, artifacts: Any) -> None:
    visit = HomeVisit(browser, server + "/")
    try:
        page = visit.page
        assert visit.response.status == 200
        assert page.title().startswith("常州十大先进制造业集群产业链图谱")
        rows = page.locator("#clusters tbody tr")
        assert rows.count() >= 1
        fonts = visit.platform_fonts("h1")
        assert {f["familyName"] for f in fonts if f["glyphCount"] > 0} & CJK_FONTS, fonts
        page.screenshot(path=str(artifacts / "home.png"), full_page=True)
        assert visit.outside_requests() == [] and page.evaluate("window.__csp") == []
        assert visit.errors == [] and visit.dialogs == []

        cluster = rows.first.get_attribute("data-cluster")
        rows.first.locator("a", has_text="图谱").click()
        page.wait_for_function("() => window.chainkgView && window.chainkgView.state.ready", timeout=15_000)
        assert page.url == f"{server}/views/clusters/{cluster}"

        page.go_back()
        page.locator("#city-links a[data-key=overview]").click()
        page.wait_for_function("() => window.chainkgView && window.chainkgView.state.ready", timeout=15_000)
        assert page.url == f"{server}/views/overview"
        assert visit.errors == [] and visit.dialogs == []
    finally:
        visit.close()
