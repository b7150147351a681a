"""/docs (Swagger UI) and /redoc (ReDoc) work on a network without internet access (review 6, finding 4).

FastAPI's default pages load their scripts from cdn.jsdelivr.net and their
favicon from fastapi.tiangolo.com. chainkg serves them itself
(``api/docs_pages.py``): the pages name no other origin, every asset they
reference is served here, and in real Chromium, with every request that
leaves the machine blocked, Swagger UI still lists the operations of a live
``chainkg serve``.
"""

from __future__ import annotations

import os
import re
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest
from fastapi.testclient import TestClient

from api import docs_pages
from api.app import create_app
from chainkg.settings import Settings
from graph.memory_store import MemoryStore
from tests.conftest import REPO

PAGES = {"/docs": "chainkg - Swagger UI", "/redoc": "chainkg - ReDoc"}
MIN_SIZE = {".js": 100_000, ".css": 10_000, ".png": 500}
CONTENT_TYPE = {".js": "text/javascript", ".css": "text/css", ".png": "image/png"}


class Links(HTMLParser):
    """Every ``src`` and ``href`` of a page, and its ``<title>``."""

    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.title = ""
        self._in_title = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.urls += [value for name, value in attrs if name in {"src", "href"} and value]
        self._in_title = tag == "title"

    def handle_endtag(self, tag: str) -> None:
        self._in_title = False

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title += data


def parse(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


@pytest.fixture(scope="module")
def client() -> TestClient:
    return TestClient(create_app(MemoryStore(), Settings.from_env(env={})))


@pytest.mark.parametrize("path", sorted(PAGES))
def test_the_page_names_no_other_origin_and_keeps_its_title(client, path):
    response = client.get(path)
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert re.findall(r"https?://\S*", response.text) == []  # not in src/href, nor in the inline script
    links = parse(response.text)
    assert links.title == PAGES[path]
    assert links.urls, "the page loads its assets"
    for url in links.urls:
        parts = urlsplit(url)
        assert not parts.scheme and not parts.netloc, url
        assert parts.path.startswith(docs_pages.ASSETS_PREFIX + "/"), url


def test_every_referenced_asset_is_served_with_its_type_and_content(client):
    referenced = {url for path in PAGES for url in parse(client.get(path).text).urls}
    assert {url.rsplit("/", 1)[1] for url in referenced} == set(docs_pages.ASSETS)
    for url in sorted(referenced):
        response = client.get(url, headers={"Accept-Encoding": "identity"})  # the length of the file itself
        suffix = Path(url).suffix
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith(CONTENT_TYPE[suffix]), url
        assert len(response.content) >= MIN_SIZE[suffix], url
        assert int(response.headers["content-length"]) == len(response.content)
    assert b"SwaggerUIBundle" in client.get(docs_pages.asset_url("swagger-ui-bundle.js")).content
    assert b".swagger-ui" in client.get(docs_pages.asset_url("swagger-ui.css")).content
    assert b"Redoc" in client.get(docs_pages.asset_url("redoc.standalone.js")).content
    assert client.get(docs_pages.asset_url("favicon.png")).content.startswith(b"\x89PNG")


def test_swagger_ui_reads_the_app_s_own_document_and_calls_no_online_validator(client):
    html = client.get("/docs").text
    assert "url: '/openapi.json'" in html
    assert '"validatorUrl": null' in html  # else the badge asks validator.swagger.io about the document
    assert client.get("/openapi.json").status_code == 200
    assert '<redoc spec-url="/openapi.json">' in client.get("/redoc").text
    assert "fonts.googleapis.com" not in client.get("/redoc").text


@pytest.mark.parametrize("path", [*sorted(PAGES), "/docs/oauth2-redirect"])
def test_the_pages_allow_no_request_to_another_origin(client, path):
    response = client.get(path)
    assert response.status_code == 200
    csp = response.headers["content-security-policy"]
    assert "connect-src 'self'" in csp and "img-src 'self' data: blob:" in csp
    assert "frame-ancestors 'none'" in csp
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"


def test_an_unknown_asset_is_a_404_problem_and_the_routes_stay_out_of_the_openapi(client):
    response = client.get(f"{docs_pages.ASSETS_PREFIX}/swagger-ui.js")
    assert response.status_code == 404
    assert response.headers["content-type"] == "application/problem+json"
    paths = client.get("/openapi.json").json()["paths"]
    assert not [p for p in paths if p.startswith(("/docs", "/redoc"))]
    assert client.head(docs_pages.asset_url("swagger-ui.css")).status_code == 200


def test_behind_a_root_path_the_assets_are_named_below_it():
    app = create_app(MemoryStore(), Settings.from_env(env={}))
    with TestClient(app, root_path="/chainkg") as client:
        html = client.get("/docs").text
    urls = parse(html).urls
    assert urls and all(url.startswith("/chainkg/docs-assets/") for url in urls)
    assert "url: '/chainkg/openapi.json'" in html


# --- in real Chromium, against a live `chainkg serve`, with the internet cut off ---------------------------------

LOOPBACK = {"127.0.0.1", "localhost", "[::1]", "::1"}
RECORD_VIOLATIONS = """
window.__csp = [];
document.addEventListener("securitypolicyviolation", (e) => {
    window.__csp.push(e.violatedDirective + " " + e.blockedURI);
});
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@pytest.fixture(scope="module")
def live_server(tmp_path_factory) -> Iterator[str]:
    port = _free_port()
    log = tmp_path_factory.mktemp("serve") / "serve.log"
    env = {**os.environ, "CHAINKG_PORT": str(port), "CHAINKG_HOST": "127.0.0.1", "CHAINKG_BACKEND": "networkx"}
    with log.open("w") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "chainkg", "serve", "--log-level", "warning"],
            cwd=REPO,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 90
        while True:
            if proc.poll() is not None:
                raise AssertionError(f"chainkg serve exited ({proc.returncode}):\n{log.read_text()}")
            try:
                if httpx.get(f"{base}/health", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if time.monotonic() > deadline:
                raise AssertionError(f"chainkg serve did not answer {base}/health:\n{log.read_text()}")
            time.sleep(0.2)
        yield base
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def _offline_page(browser, blocked: list[str]):
    """A page on which every request to a host other than the loopback is aborted (and recorded)."""
    page = browser.new_page()
    page.add_init_script(RECORD_VIOLATIONS)

    def route(r) -> None:
        if urlsplit(r.request.url).hostname in LOOPBACK or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    return page


@pytest.mark.browser
def test_swagger_ui_lists_the_operations_with_the_internet_blocked(browser, live_server):
    blocked: list[str] = []
    page = _offline_page(browser, blocked)
    try:
        page.goto(f"{live_server}/docs", wait_until="load")
        page.wait_for_selector(".opblock", timeout=30_000)
        assert page.title() == PAGES["/docs"]
        operations = page.locator(".opblock").count()
        spec = httpx.get(f"{live_server}/openapi.json", timeout=5).json()
        methods = {"get", "post", "put", "patch", "delete"}
        operations_by_tag = [
            tag
            for item in spec["paths"].values()
            for m, op in item.items()
            if m in methods
            for tag in op.get("tags") or ["default"]
        ]
        declared = len(operations_by_tag)  # Swagger UI shows an operation once under each of its tags
        assert operations == declared
        assert page.locator(".opblock-summary-path", has_text="/api/v1/clusters").count() >= 1
        assert blocked == []
        assert page.evaluate("window.__csp") == []
    finally:
        page.close()


@pytest.mark.browser
def test_redoc_renders_the_operations_with_the_internet_blocked(browser, live_server):
    blocked: list[str] = []
    page = _offline_page(browser, blocked)
    try:
        page.goto(f"{live_server}/redoc", wait_until="load")
        page.wait_for_selector("[data-section-id*='operation/']", timeout=30_000)
        assert page.title() == PAGES["/redoc"]
        assert page.locator("[data-section-id*='operation/']").count() >= 30
        assert blocked == []
        # ReDoc's "API docs by Redocly" badge names an image on cdn.redoc.ly: the page's CSP keeps it from being
        # requested at all. Nothing else is refused.
        violations = page.evaluate("window.__csp")
        assert all(v.startswith("img-src https://cdn.redoc.ly/") for v in violations), violations
    finally:
        page.close()
