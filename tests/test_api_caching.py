"""Caching validators on the read routes (API review 6, finding 15): ETag, Cache-Control and 304.

A dashboard polling ``/api/v1/health-ranking`` got the whole body every time: no ``ETag``, no
``Cache-Control``, and ``If-None-Match`` had no effect. Every successful GET or HEAD under ``/api/v1/``,
``/views/`` and ``/reports/`` now carries a weak ETag made of the data version, the path and the query, and
``Cache-Control: no-cache``; a matching ``If-None-Match`` is a 304 with no body. Errors and POSTs get no tag.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.caching import etag
from chainkg.settings import Settings
from graph.errors import StoreUnavailable
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore

READS = [
    "/api/v1/health-ranking",
    "/api/v1/gaps?cluster=nev&limit=5",
    "/api/v1/clusters/nev",
    "/api/v1/export?format=json",
    "/views/overview",
    "/views/clusters/nev",
    "/reports/summary",
    "/reports/targets",
    "/reports/clusters/nev/brief",
    "/reports/clusters/nev.xlsx",
]


def _client(store: MemoryStore, env: dict[str, str] | None = None) -> TestClient:
    return TestClient(create_app(store, Settings.from_env(env=env or {})))


@pytest.mark.parametrize("url", READS)
def test_a_read_carries_a_weak_etag_and_no_cache(api_client: Any, bundled_store: MemoryStore, url: str) -> None:
    response = api_client.get(url)
    assert response.status_code == 200
    tag = response.headers["etag"]
    assert tag.startswith(f'W/"{bundled_store.version()}-') and tag.endswith('"')
    assert response.headers["cache-control"] == "no-cache"
    assert api_client.head(url).headers["etag"] == tag  # HEAD: the GET's headers


@pytest.mark.parametrize("url", READS)
def test_a_matching_if_none_match_is_a_304_without_a_body(api_client: Any, url: str) -> None:
    tag = api_client.get(url).headers["etag"]
    again = api_client.get(url, headers={"If-None-Match": tag})
    assert again.status_code == 304
    assert again.content == b""
    assert again.headers["etag"] == tag
    assert again.headers["cache-control"] == "no-cache"
    assert "content-length" not in again.headers or again.headers["content-length"] == "0"
    listed = api_client.get(url, headers={"If-None-Match": f'W/"other", {tag.removeprefix("W/")}'})
    assert listed.status_code == 304  # one of several, compared weakly


def test_another_tag_or_another_query_gets_the_body(api_client: Any) -> None:
    first = api_client.get("/api/v1/gaps", params={"cluster": "nev", "limit": 5})
    other = api_client.get("/api/v1/gaps", params={"cluster": "nev", "limit": 6})
    assert first.headers["etag"] != other.headers["etag"]
    stale = api_client.get("/api/v1/gaps", params={"cluster": "nev", "limit": 6}, headers={"If-None-Match": 'W/"x"'})
    assert stale.status_code == 200 and stale.json()["limit"] == 6
    crossed = api_client.get(
        "/api/v1/gaps", params={"cluster": "nev", "limit": 6}, headers={"If-None-Match": first.headers["etag"]}
    )
    assert crossed.status_code == 200 and len(crossed.json()["items"]) == 6


def test_a_new_data_version_changes_the_tag() -> None:
    store = MemoryStore(tiny_chain())
    with _client(store) as client:
        before = client.get("/api/v1/clusters")
        old = before.headers["etag"]
        store.replace(tiny_chain())  # a load or an import: a new data version
        after = client.get("/api/v1/clusters", headers={"If-None-Match": old})
    assert after.status_code == 200 and after.json() == before.json()
    assert after.headers["etag"] != old
    assert store.version() in after.headers["etag"]


def test_the_304_of_the_api_does_not_run_the_route(api_client: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    tag = api_client.get("/api/v1/health-ranking").headers["etag"]

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("the route ran")

    monkeypatch.setattr("api.routes.analysis.health_ranking", fail)
    assert api_client.get("/api/v1/health-ranking", headers={"If-None-Match": tag}).status_code == 304


def test_the_304_of_a_page_keeps_its_own_security_policy(api_client: Any) -> None:
    """A browser updates its stored page with the 304's headers: the page's CSP (hashes of its scripts) must
    stay, not become the data routes' ``default-src 'none'``."""
    page = api_client.get("/views/clusters/nev")
    again = api_client.get("/views/clusters/nev", headers={"If-None-Match": page.headers["etag"]})
    assert again.status_code == 304 and again.content == b""
    assert again.headers["content-security-policy"] == page.headers["content-security-policy"]
    assert "sha256-" in again.headers["content-security-policy"]


@pytest.mark.parametrize(
    ("method", "url", "status"),
    [
        ("GET", "/api/v1/clusters/nevv", 404),
        ("GET", "/api/v1/gaps?kind=mising", 422),
        ("GET", "/views/clusters/nevv", 404),
        ("GET", "/reports/summary?list_year=2023", 422),
        ("GET", "/views", 307),
        ("GET", "/health", 200),
        ("GET", "/openapi.json", 200),
        ("POST", "/api/v1/what-if", 200),
    ],
)
def test_errors_posts_and_other_routes_carry_no_tag(api_client: Any, method: str, url: str, status: int) -> None:
    body = {"json": {"remove": ["li-auto"]}} if method == "POST" else {}
    response = api_client.request(method, url, follow_redirects=False, **body)
    assert response.status_code == status
    assert "etag" not in response.headers


def test_if_none_match_star_needs_an_answer(api_client: Any) -> None:
    assert api_client.get("/api/v1/clusters/nev", headers={"If-None-Match": "*"}).status_code == 304
    missing = api_client.get("/api/v1/clusters/nevv", headers={"If-None-Match": "*"})
    assert missing.status_code == 404 and missing.json()["suggestions"] == ["nev"]


def test_a_version_that_cannot_be_read_leaves_the_answer_to_the_route() -> None:
    """The validator never turns a read into an error: without a data version the route answers, untagged."""

    class Flaky(MemoryStore):
        fail = 1  # the first read of the version (the validator's) times out, the route's own succeed

        def version(self) -> str:
            if self.fail:
                self.fail -= 1
                raise StoreUnavailable("Neo4j query timed out after 5s while reading (NEO4J_QUERY_TIMEOUT)")
            return super().version()

    store = Flaky(tiny_chain())
    with _client(store) as client:
        response = client.get("/api/v1/clusters")
        store.fail = 10**6
        down = client.get("/api/v1/clusters")
    assert response.status_code == 200 and response.json()["total"] > 0
    assert "etag" not in response.headers
    assert down.status_code == 503 and down.json()["type"].endswith("/store-unavailable")  # the route says why
    assert "etag" not in down.headers


def test_a_304_carries_the_cors_headers_of_an_allowed_origin() -> None:
    origin = "https://dash.example"
    with _client(MemoryStore(tiny_chain()), {"CHAINKG_CORS_ORIGINS": origin}) as client:
        tag = client.get("/api/v1/clusters", headers={"Origin": origin}).headers["etag"]
        again = client.get("/api/v1/clusters", headers={"Origin": origin, "If-None-Match": tag})
    assert again.status_code == 304
    assert again.headers["access-control-allow-origin"] == origin


def test_the_tag_is_one_quoted_string_naming_the_version() -> None:
    tag = etag('neo4j-3-"odd" id', "/api/v1/clusters", "", day="2026-12-07")
    assert tag.startswith('W/"neo4j-3-_odd__id-')
    assert tag.count('"') == 2  # a quote in the version cannot end the tag early
    assert etag("v", "/a", "", day="2026-12-07") != etag("v", "/a", "", day="2026-12-08")  # the reports print the day
