"""A graph-store outage on the HTML pages (review 2 finding #11).

``/reports`` and ``/views`` answered a Neo4j outage (503) with raw problem+json in the browser, while a bad
parameter or an unknown id got a bilingual HTML page. A browser (``Accept: text/html``) now gets a bilingual
503 page; ``/api/v1``, a workbook (``format=xlsx``) and clients that do not ask for HTML (probes, scripts:
``Accept: */*``) keep problem+json.

The outage is real: a :class:`~graph.neo4j_store.Neo4jStore` on a port nothing listens on, so the driver fails
and the store raises its own :class:`~graph.errors.StoreUnavailable`. The empty-database case uses a store
that raises the real :class:`~graph.errors.GraphNotLoaded`, as an empty Neo4j database does.
"""

from __future__ import annotations

import socket
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problems import MEDIA_TYPE
from chainkg.settings import Settings
from graph.errors import GraphNotLoaded
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.neo4j_store import Neo4jStore

BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
PAGES = [
    "/views/overview",
    "/views/clusters/nev",
    "/reports/clusters/nev",
    "/reports/summary",
    "/reports/targets",
    "/reports/clusters/nev/brief",
]


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@pytest.fixture(scope="module")
def down_client() -> Iterator[TestClient]:
    """The API on a Neo4j store whose server is not running."""
    store = Neo4jStore(f"bolt://127.0.0.1:{closed_port()}", retry_time=0.5)
    try:
        yield TestClient(create_app(store, Settings.from_env(env={})))  # no `with`: the store is closed below
    finally:
        store.close()


class EmptyDatabase(MemoryStore):
    """A store that answers as an empty Neo4j database does: every read raises :class:`GraphNotLoaded`."""

    def version(self) -> str:
        raise GraphNotLoaded("Neo4j at bolt://db:7687 (database <neo4j>) holds no graph from chainkg load yet")


@pytest.mark.parametrize("url", PAGES)
def test_a_browser_gets_a_bilingual_html_page_when_neo4j_is_down(down_client: TestClient, url: str) -> None:
    response = down_client.get(url, headers=BROWSER)
    assert response.status_code == 503, response.text[:300]
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    html = response.text
    assert '<main class="report" id="store-unavailable">' in html
    assert "图数据库暂时无法访问" in html and "The graph database is not reachable" in html
    assert "请稍后再试。" in html and "Try again shortly." in html
    assert '<a href="">重试 Try again</a>' in html
    assert "is unavailable while" in html  # the store's own detail, for whoever runs the server


@pytest.mark.parametrize(
    ("url", "headers"),
    [
        ("/api/v1/clusters/nev", BROWSER),  # the API is JSON, whoever asks
        ("/api/v1/clusters", {}),
        ("/views/clusters/nev", {"Accept": "*/*"}),  # probes and scripts keep problem+json
        ("/reports/clusters/nev?format=xlsx", BROWSER),  # a workbook download is not a page
    ],
)
def test_the_api_and_non_browser_clients_keep_problem_json(down_client: TestClient, url: str, headers) -> None:
    response = down_client.get(url, headers=headers)
    assert response.status_code == 503, response.text[:300]
    assert response.headers["content-type"].startswith(MEDIA_TYPE)
    body = response.json()
    assert body["type"].endswith("/store-unavailable") and body["status"] == 503


def test_an_empty_database_gets_its_own_page_with_the_detail_escaped() -> None:
    client = TestClient(create_app(EmptyDatabase(tiny_chain()), Settings.from_env(env={})))
    response = client.get("/reports/clusters/t-nev", headers=BROWSER)
    assert response.status_code == 503
    assert response.headers["content-type"].startswith("text/html")
    html = response.text
    assert '<main class="report" id="graph-not-loaded">' in html
    assert "图数据库尚未载入图谱" in html and "The graph database holds no graph yet" in html
    assert "database &lt;neo4j&gt;" in html and "<neo4j>" not in html
    api = client.get("/api/v1/clusters/t-nev", headers=BROWSER)
    assert api.status_code == 503 and api.json()["type"].endswith("/graph-not-loaded")


def test_health_stays_200_degraded_during_the_outage(down_client: TestClient) -> None:
    """``/health`` is liveness (docs/reliability.md): 200 with ``status: degraded``, unchanged here."""
    response = down_client.get("/health", headers=BROWSER)
    assert response.status_code == 200
    assert response.json()["status"] == "degraded"


OPENAPI_PAGES = {
    "/views/overview": "get",
    "/views/clusters/{cluster_id}": "get",
    "/reports/clusters/{cluster_id}": "get",
    "/reports/summary": "get",
    "/reports/targets": "get",
    "/reports/clusters/{cluster_id}/brief": "get",
}


@pytest.mark.parametrize("path", sorted(OPENAPI_PAGES))
def test_the_openapi_lists_the_html_503_page_beside_problem_json(path: str) -> None:
    spec = create_app(MemoryStore(tiny_chain()), Settings.from_env(env={})).openapi()
    response = spec["paths"][path][OPENAPI_PAGES[path]]["responses"]["503"]
    assert set(response["content"]) == {MEDIA_TYPE, "text/html"}, response
    assert response["content"][MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}
    assert "text/html" in response["description"]


def test_the_api_routes_still_list_only_problem_json_for_503() -> None:
    spec = create_app(MemoryStore(tiny_chain()), Settings.from_env(env={})).openapi()
    response = spec["paths"]["/api/v1/clusters"]["get"]["responses"]["503"]
    assert set(response["content"]) == {MEDIA_TYPE}
