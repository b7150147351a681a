"""The reports printed to A4 PDF in real headless Chromium (Debian's ``/usr/bin/chromium`` through Playwright).

Each report is opened (served by a live uvicorn server, or from ``file://``)
with every request other than the page itself blocked and recorded, printed
with ``page.pdf(format="A4")``, and its text read back with ``pdftotext``
(poppler-utils, installed by ``scripts/ensure_browser.sh``). The tests assert
that no request left the page, that no script ran (no dialog, no CSP
violation), that the PDF is A4 and holds every section, and that hostile names
print as text. The bundled NEV report and the summary are saved with a PNG of
their pages under ``test-artifacts/reports/`` for a person to look at. Without
Chromium or poppler-utils these tests skip locally and fail under ``CI=true``.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from graph.memory_store import MemoryStore
from queries.chain import chain
from queries.gaps import gaps
from queries.health import health_ranking
from reports.city_targets import city_targets_report
from reports.fixtures import HOSTILE_NAME, report_city
from reports.gather import cluster_report, summary_report
from reports.html import render_brief, render_cluster_report, render_summary_report, render_targets_report
from reports.labels import health_formula
from tests import test_views_browser as views_browser
from tests.conftest import REPO, skip_or_fail
from tests.test_views_browser import CJK_FONTS, Visit

pytestmark = pytest.mark.browser

server = views_browser.server
"""A live uvicorn server of this module's ``store``."""

ARTIFACTS = REPO / "test-artifacts" / "reports"
SECTION_TITLES = ("产业链图谱", "环节覆盖与缺口严重度", "缺口清单", "招商候选企业", "链主企业", "方法说明", "来源附录")


class ReportVisit(Visit):
    """A report opened with every outside request blocked and recorded; ready when loaded and fonts are in."""

    def wait_ready(self) -> None:
        self.page.wait_for_load_state("load")
        self.page.evaluate("document.fonts.ready.then(() => true)")

    def pdf(self, path: Path) -> Path:
        self.page.pdf(path=str(path), format="A4", print_background=True)
        return path


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    """The invented city with hostile names; the reused ``server`` fixture serves it."""
    return MemoryStore(report_city())


@pytest.fixture(scope="module")
def poppler() -> dict[str, str]:
    tools = {name: shutil.which(name) for name in ("pdftotext", "pdftoppm", "pdfinfo")}
    missing = [name for name, path in tools.items() if not path]
    if missing:
        skip_or_fail(f"{', '.join(missing)} missing (poppler-utils; run scripts/ensure_browser.sh)")
    return {name: str(path) for name, path in tools.items()}


@pytest.fixture(scope="module")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS


def pdf_text(poppler: dict[str, str], pdf: Path) -> str:
    """The PDF's text in content order, with all whitespace removed (table cells wrap)."""
    out = subprocess.run([poppler["pdftotext"], "-raw", str(pdf), "-"], capture_output=True, check=True, text=True)
    return re.sub(r"\s+", "", out.stdout)


def pdf_info(poppler: dict[str, str], pdf: Path) -> dict[str, str]:
    out = subprocess.run([poppler["pdfinfo"], str(pdf)], capture_output=True, check=True, text=True).stdout
    return {k.strip(): v.strip() for k, _, v in (line.partition(":") for line in out.splitlines())}


def to_png(poppler: dict[str, str], pdf: Path, page: int, stem: Path) -> Path:
    subprocess.run(
        [poppler["pdftoppm"], "-r", "80", "-f", str(page), "-l", str(page), "-png", "-singlefile", str(pdf), str(stem)],
        check=True,
    )
    return stem.with_suffix(".png")


def assert_clean(visit: ReportVisit, expected_errors: tuple[str, ...] = ()) -> None:
    assert visit.outside_requests() == []
    assert visit.page.evaluate("window.__csp") == []
    assert [e for e in visit.errors if not any(x in e for x in expected_errors)] == []
    assert visit.dialogs == []
    assert visit.page.evaluate("document.scripts.length") == 0


def check_a4(poppler: dict[str, str], pdf: Path) -> int:
    info = pdf_info(poppler, pdf)
    assert "A4" in info["Page size"], info["Page size"]
    pages = int(info["Pages"])
    assert pages > 0
    return pages


@pytest.mark.parametrize("mode", ["served", "file"])
def test_report_prints_to_a4_with_no_request_and_every_section(
    browser, store, server, poppler, tmp_path, mode: str
) -> None:
    if mode == "served":
        url = f"{server}/reports/clusters/t-nev"
    else:
        path = tmp_path / "report-t-nev.html"
        path.write_text(render_cluster_report(cluster_report(store, "t-nev")).html, encoding="utf-8")
        url = path.as_uri()
    visit = ReportVisit(browser, url)
    try:
        if mode == "served":
            assert visit.response.status == 200
            assert "script-src 'none'" in visit.response.headers["content-security-policy"]
        fonts = visit.platform_fonts("#report-title")
        assert {f["familyName"] for f in fonts if f["glyphCount"] > 0} & CJK_FONTS, fonts
        pdf = visit.pdf(tmp_path / f"report-{mode}.pdf")
        assert_clean(visit)
    finally:
        visit.close()
    check_a4(poppler, pdf)
    text = pdf_text(poppler, pdf)
    for title in SECTION_TITLES:
        assert title in text, title
    for gap in gaps(store, cluster="t-nev"):
        assert gap["segment_name_zh"] in text
    assert HOSTILE_NAME in text, "the hostile anchor's name prints as text"
    assert "<imgsrc=xonerror=alert(5)>锂业" in text, "the hostile candidate's name prints as text"


def test_hostile_names_stay_text_in_the_page(browser, server) -> None:
    visit = ReportVisit(browser, f"{server}/reports/clusters/t-nev")
    try:
        page = visit.page
        anchors = page.inner_text("#anchors")
        assert HOSTILE_NAME in anchors
        counts = page.evaluate(
            "['script','img','iframe','object','embed'].map(t => document.getElementsByTagName(t).length)"
        )
        assert counts == [0, 0, 0, 0, 0]
        assert_clean(visit)
    finally:
        visit.close()


def test_unknown_cluster_page_links_to_the_nearest_id(browser, server) -> None:
    visit = ReportVisit(browser, f"{server}/reports/clusters/t-nv")
    try:
        assert visit.response.status == 404
        visit.page.click("#suggestions a")
        visit.page.wait_for_url(f"{server}/reports/clusters/t-nev")
        visit.wait_ready()
        assert visit.page.inner_text("#report-title") == "测试新能源汽车"
        assert_clean(visit, expected_errors=("status of 404",))  # the console notes the 404 page itself
    finally:
        visit.close()


def _bundled_pdf(browser: Any, html: str, folder: Path, name: str, artifacts: Path) -> Path:
    path = folder / f"{name}.html"
    path.write_text(html, encoding="utf-8")
    visit = ReportVisit(browser, path.as_uri())
    try:
        pdf = visit.pdf(artifacts / f"{name}.pdf")
        assert_clean(visit)
    finally:
        visit.close()
    return pdf


def test_bundled_nev_report_prints(browser, bundled_store, poppler, artifacts, tmp_path) -> None:
    data = cluster_report(bundled_store, "nev")
    pdf = _bundled_pdf(browser, render_cluster_report(data).html, tmp_path, "report-nev", artifacts)
    pages = check_a4(poppler, pdf)
    # 31 since the cross-cluster links got their own table (review 13); 34 since each candidate's role names its
    # source (review 16a H2)
    assert 4 <= pages <= 36, pages
    text = pdf_text(poppler, pdf)
    for title in SECTION_TITLES:
        assert title in text, title
    for gap in gaps(bundled_store, cluster="nev"):
        assert re.sub(r"\s+", "", gap["segment_name_zh"]) in text, gap["segment_name_zh"]
    assert chain(bundled_store, "nev")["cluster"]["name_zh"] in text
    for anchor in data["anchors"]:
        assert anchor["name_zh"] in text
    for gap in data["gaps"]:  # English under the Chinese, in the printed page too
        assert re.sub(r"\s+", "", gap["explanation_en"]) in text, gap["explanation_en"]
    assert "Segmentstatus" in text and re.sub(r"\s+", "", health_formula("en")) in text
    for page in (1, 2, 3):
        assert to_png(poppler, pdf, page, artifacts / f"report-nev-page{page}").stat().st_size > 10_000


def test_bundled_summary_prints(browser, bundled_store, poppler, artifacts, tmp_path) -> None:
    html = render_summary_report(summary_report(bundled_store)).html
    pdf = _bundled_pdf(browser, html, tmp_path, "summary", artifacts)
    check_a4(poppler, pdf)
    text = pdf_text(poppler, pdf)
    ranking = health_ranking(bundled_store)
    labels = [str(h["rank"]) + "." + re.sub(r"\s+", "", h["name_zh"]) for h in ranking]
    positions = [text.index(label) for label in labels]
    assert positions == sorted(positions), "clusters print in the order of their health rank"
    for lang in ("zh", "en"):
        assert re.sub(r"\s+", "", health_formula(lang)) in text, lang
    assert "不衡量产值" in text and "notoutput,sizeorgrowth" in text
    assert to_png(poppler, pdf, 1, artifacts / "summary-page1").stat().st_size > 10_000


def test_bundled_targets_page_prints(browser, bundled_store, poppler, artifacts, tmp_path) -> None:
    """The city's 先找谁 page: A4, the first firms in order with their clusters, the gaps without candidates."""
    data = city_targets_report(bundled_store, top=20)
    pdf = _bundled_pdf(browser, render_targets_report(data).html, tmp_path, "targets", artifacts)
    pages = check_a4(poppler, pdf)
    assert 2 <= pages <= 30, pages
    text = pdf_text(poppler, pdf)
    names = [re.sub(r"\s+", "", t["name_zh"]) for t in data["shown"]]
    start = text.index("可填补的缺口与理由")  # the list, after the index by cluster that names some firms first
    positions = [text.index(name, start) for name in names]
    assert positions == sorted(positions), "firms print in the order of their priority"
    for entry in data["clusters"]:
        assert re.sub(r"\s+", "", entry["name_zh"]) in text
    for gap in data["unfilled"]:
        assert re.sub(r"\s+", "", gap["segment_name_zh"]) in text
    assert "先找谁" in text and "来源附录" in text
    assert to_png(poppler, pdf, 1, artifacts / "targets-page1").stat().st_size > 10_000


def page_of(poppler: dict[str, str], pdf: Path, text: str, pages: int) -> int:
    """The first page of ``pdf`` whose text (whitespace removed) holds ``text``."""
    for page in range(1, pages + 1):
        out = subprocess.run(
            [poppler["pdftotext"], "-raw", "-f", str(page), "-l", str(page), str(pdf), "-"],
            capture_output=True,
            check=True,
            text=True,
        ).stdout
        if text in re.sub(r"\s+", "", out):
            return page
    raise AssertionError(f"{text!r} is on no page of {pdf}")


def test_every_bundled_brief_fits_two_pages_before_its_sources(browser, bundled_store, poppler, artifacts, tmp_path):
    """A meeting brief: one or two A4 pages, then the sources it cites (review 11: the full report runs to ~30)."""
    for h in health_ranking(bundled_store):
        cid = h["cluster_id"]
        data = cluster_report(bundled_store, cid)
        pdf = _bundled_pdf(browser, render_brief(data).html, tmp_path, f"brief-{cid}", artifacts)
        pages = check_a4(poppler, pdf)
        assert page_of(poppler, pdf, "来源附录", pages) <= 3, cid
        text = pdf_text(poppler, pdf)
        for gap in data["gaps"][:5]:
            assert re.sub(r"\s+", "", gap["segment_name_zh"]) in text, (cid, gap["segment_name_zh"])
    assert to_png(poppler, artifacts / "brief-nev.pdf", 1, artifacts / "brief-nev-page1").stat().st_size > 10_000
