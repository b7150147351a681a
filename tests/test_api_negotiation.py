"""Content negotiation and the declared errors (API review 6: findings 8 (CORS), 12, 13 and 14).

- 13: the HTML pages answered a 404 and a 422 with HTML even to ``Accept: application/json``, while their
  503 was already negotiated; a client asking for JSON only now gets the problem+json of ``/api/v1``.
- 12: a what-if body sent as ``text/plain`` got "the body must be JSON like ..." for a body that was that JSON;
  it is now a 415 naming the Content-Type to send and the one received.
- 14: routes with no id declared a 404 "Unknown id" they cannot answer; only routes taking an id do now.
- 8: a refused CORS preflight was a plain-text 400; it is problem+json naming the origin and the setting.
"""

from __future__ import annotations

from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problems import MEDIA_TYPE, accepts_json_only
from chainkg.settings import Settings
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore

SPEC = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
JSON = {"Accept": "application/json"}
BROWSER = {"Accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}


# -- 13: the pages' 404 and 422 for a client that asks for JSON -------------------------------------------


@pytest.mark.parametrize(
    ("page", "api"),
    [
        ("/views/clusters/nevv", "/api/v1/clusters/nevv"),
        ("/reports/clusters/nevv", "/api/v1/clusters/nevv"),
        ("/views/firms/catl-jiangsuu", "/api/v1/firms/catl-jiangsuu"),
        ("/views/segments/nev-cathod", "/api/v1/segments/nev-cathod"),
        ("/views/segments/nev", "/api/v1/segments/nev"),  # a cluster's id where a segment's belongs
    ],
)
def test_a_page_404_is_the_api_404_for_a_json_client(api_client: Any, page: str, api: str) -> None:
    for accept in ("application/json", "application/problem+json", "application/json, */*;q=0.1"):
        response = api_client.get(page, headers={"Accept": accept})
        assert response.status_code == 404, accept
        assert response.headers["content-type"] == MEDIA_TYPE
        body = response.json()
        expected = api_client.get(api).json()
        assert body == {**expected, "instance": page}
        assert body["suggestions"], "a script reads the nearest ids without scraping HTML"
    head = api_client.head(page, headers=JSON)
    assert head.status_code == 404 and head.headers["content-type"] == MEDIA_TYPE and head.content == b""


@pytest.mark.parametrize("headers", [BROWSER, {"Accept": "*/*"}, {}, {"Accept": "application/json, text/html"}])
def test_a_browser_keeps_the_html_404_page(api_client: Any, headers: dict[str, str]) -> None:
    response = api_client.get("/views/clusters/nevv", headers=headers)
    assert response.status_code == 404
    assert response.headers["content-type"].startswith("text/html")
    assert 'id="not-found-detail"' in response.text and "nevv" in response.text


@pytest.mark.parametrize(
    ("url", "param"),
    [
        ("/reports/summary?list_year=2023", "list_year"),  # chainkg's own rule (invalid-query)
        ("/reports/clusters/nev?year=1800", "year"),  # the declaration (invalid-request)
        ("/views/overview?lang=fr", "lang"),
        ("/views/clusters/nev?list_yeer=2024", "list_yeer"),  # a parameter the page does not take
    ],
)
def test_a_page_422_is_problem_json_for_a_json_client(api_client: Any, url: str, param: str) -> None:
    response = api_client.get(url, headers=JSON)
    assert response.status_code == 422
    assert response.headers["content-type"] == MEDIA_TYPE
    assert [e["loc"][-1] for e in response.json()["errors"]] == [param]
    page = api_client.get(url, headers=BROWSER)
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")


def test_a_found_page_stays_html_for_a_json_client(api_client: Any) -> None:
    response = api_client.get("/views/clusters/nev", headers=JSON)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")


def test_which_accept_headers_ask_for_json_only() -> None:
    assert accepts_json_only("application/json")
    assert accepts_json_only("application/problem+json")
    assert accepts_json_only("application/json, text/plain, */*")  # axios' default
    assert accepts_json_only("application/json, text/html;q=0")  # HTML refused
    assert not accepts_json_only(BROWSER["Accept"])
    assert not accepts_json_only("*/*")
    assert not accepts_json_only("")
    assert not accepts_json_only("application/json;q=0, text/plain")


def test_the_openapi_document_declares_both_media_types_on_the_pages() -> None:
    for path in ("/views/clusters/{cluster_id}", "/views/firms/{firm_id}", "/reports/clusters/{cluster_id}"):
        responses = SPEC["paths"][path]["get"]["responses"]
        for code in ("404", "422"):
            content = responses[code]["content"]
            assert set(content) == {"text/html", MEDIA_TYPE}, (path, code)
            assert content[MEDIA_TYPE]["schema"] == {"$ref": "#/components/schemas/Problem"}
            assert "Accept: application/json" in responses[code]["description"]
    summary = SPEC["paths"]["/reports/summary"]["get"]["responses"]["422"]["content"]
    assert set(summary) == {"text/html", MEDIA_TYPE}


# -- 12: a what-if body not sent as JSON -------------------------------------------------------------------

BODY = '{"remove": ["li-auto"]}'


@pytest.mark.parametrize(
    "content_type", ["text/plain;charset=UTF-8", "application/x-www-form-urlencoded", "application/xml", None]
)
def test_a_body_not_sent_as_json_names_the_header_to_send(api_client: Any, content_type: str | None) -> None:
    headers = {"Content-Type": content_type} if content_type else {}
    response = api_client.post("/api/v1/what-if", content=BODY, headers=headers)
    assert response.status_code == 422
    assert response.headers["content-type"] == MEDIA_TYPE
    problem = response.json()
    assert problem["type"].endswith("/invalid-request")
    (error,) = problem["errors"]
    assert error["loc"] == ["header", "content-type"]
    assert problem["detail"].startswith(
        "header.content-type: send the body as JSON, with Content-Type: application/json"
    )
    assert 'like {"remove": ["li-auto"]}' in problem["detail"] and "请求体须为 JSON" in problem["detail_zh"]
    assert "the body must be JSON like" not in problem["detail"]  # the misleading wording is gone
    if content_type:
        assert error["input"] == content_type and problem["detail"].endswith(f"(got {content_type!r})")
    else:
        assert error["type"] == "missing" and "input" not in error


@pytest.mark.parametrize("content_type", ["application/json", "application/json; charset=utf-8"])
def test_a_json_body_is_still_read(api_client: Any, content_type: str) -> None:
    response = api_client.post("/api/v1/what-if", content=BODY, headers={"Content-Type": content_type})
    assert response.status_code == 200, response.text
    assert response.json() == api_client.post("/api/v1/what-if", json={"remove": ["li-auto"]}).json()


def test_a_bad_json_body_keeps_its_own_message(api_client: Any) -> None:
    response = api_client.post("/api/v1/what-if", content=b"{}", headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.json()["detail"].startswith("body.remove: Field required")


def test_the_what_if_422_says_the_content_type_and_shows_it() -> None:
    responses = SPEC["paths"]["/api/v1/what-if"]["post"]["responses"]
    assert "Content-Type: application/json" in responses["422"]["description"]
    example = responses["422"]["content"][MEDIA_TYPE]["examples"]["invalid-content-type"]["value"]
    assert example["status"] == 422 and example["errors"][0]["loc"] == ["header", "content-type"]
    assert "invalid-content-type" not in str(SPEC["paths"]["/api/v1/gaps"])  # the what-if's own example


# -- 14: only the errors a route can answer ----------------------------------------------------------------

NO_ID = [
    ("/api/v1/clusters", "get"),
    ("/api/v1/health-ranking", "get"),
    ("/api/v1/tiers", "get"),
    ("/api/v1/platforms", "get"),
    ("/api/v1/districts", "get"),
    ("/api/v1/search", "get"),
    ("/api/v1/export", "get"),
    ("/api/v1/imports", "post"),
    ("/views/overview", "get"),
    ("/reports/summary", "get"),
    ("/reports/summary.xlsx", "get"),
]
"""Routes that take no id, in the path or as a filter: they cannot answer 404 (but a 422 and a 503)."""

NOT_FOUND = {
    "/api/v1/clusters/{cluster_id}": "/api/v1/clusters/nevv",
    "/api/v1/firms": "/api/v1/firms?segment=nev-cathod",
    "/api/v1/gaps": "/api/v1/gaps?cluster=nevv",
    "/api/v1/targets": "/api/v1/targets?cluster=nevv",
    "/api/v1/cluster-links": "/api/v1/cluster-links?cluster=nevv",
    "/api/v1/projects": "/api/v1/projects?firm=catl-jiangsuu",
    "/api/v1/policies": "/api/v1/policies?tier=tier-nope",
    "/api/v1/tiers/{tier_id}": "/api/v1/tiers/tier-nope",
    "/api/v1/segments/{segment_id}/impact": "/api/v1/segments/nev-cathod/impact",
    "/api/v1/clusters/{cluster_id}/completeness": "/api/v1/clusters/nev/completeness?segments=nev-cathod",
    "/views/firms/{firm_id}": "/views/firms/catl-jiangsuu",
}
"""Routes that take an id, and a request each that is answered 404."""


@pytest.mark.parametrize(("path", "method"), NO_ID)
def test_a_route_without_an_id_declares_no_404(path: str, method: str) -> None:
    responses = SPEC["paths"][path][method]["responses"]
    assert "404" not in responses
    assert "422" in responses


@pytest.mark.parametrize(("path", "url"), NOT_FOUND.items())
def test_a_route_with_an_id_declares_the_404_it_answers(api_client: Any, path: str, url: str) -> None:
    assert "404" in SPEC["paths"][path]["get"]["responses"]
    response = api_client.get(url, headers=JSON)
    assert response.status_code == 404 and response.json()["type"].endswith("/not-found"), response.text


def test_every_declared_404_is_on_a_route_that_takes_an_id() -> None:
    """A 404 is declared only where the path has an id or a query parameter names one (``cluster``, ``firm``, ...)."""
    id_filters = {"cluster", "segment", "district", "tier", "firm", "segments"}
    for path, item in SPEC["paths"].items():
        for method, op in item.items():
            if "404" not in op.get("responses", {}):
                continue
            names = {p["name"] for p in op.get("parameters", [])}
            body = "requestBody" in op  # the what-if's `remove` names firms
            assert "{" in path or names & id_filters or body, f"{method} {path} declares a 404"


def test_the_overview_says_what_its_422_is_about() -> None:
    description = SPEC["paths"]["/views/overview"]["get"]["responses"]["422"]["description"]
    assert "bad id" not in description and "`lang`" in description


# -- 8: a refused CORS preflight --------------------------------------------------------------------------


def _client(env: dict[str, str]) -> TestClient:
    return TestClient(create_app(MemoryStore(tiny_chain()), Settings.from_env(env=env)))


def test_a_refused_preflight_is_problem_json_naming_the_setting() -> None:
    with _client({"CHAINKG_CORS_ORIGINS": "https://dash.example"}) as client:
        refused = client.options(
            "/api/v1/clusters",
            headers={"Origin": "http://evil.example", "Access-Control-Request-Method": "GET"},
        )
        allowed = client.options(
            "/api/v1/clusters",
            headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "GET"},
        )
        method = client.options(
            "/api/v1/clusters",
            headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "DELETE"},
        )
    assert refused.status_code == 400  # the status Starlette gives
    assert refused.headers["content-type"] == MEDIA_TYPE
    assert "access-control-allow-origin" not in refused.headers
    problem = refused.json()
    assert problem["type"].endswith("/cors-refused") and problem["instance"] == "/api/v1/clusters"
    assert "http://evil.example" in problem["detail"] and "CHAINKG_CORS_ORIGINS" in problem["detail"]
    assert "docs/reliability.md" in problem["detail"] and "来源 http://evil.example" in problem["detail_zh"]
    assert allowed.status_code == 200 and allowed.headers["access-control-allow-origin"] == "https://dash.example"
    assert method.status_code == 400
    assert "The method DELETE is not allowed cross-origin (allowed: GET, POST" in method.json()["detail"]
    assert "http://evil.example" not in method.json()["detail"]


def test_a_preflight_while_cors_is_closed_says_how_to_open_it() -> None:
    with _client({}) as client:
        refused = client.options(
            "/api/v1/imports", headers={"Origin": "https://dash.example", "Access-Control-Request-Method": "POST"}
        )
        plain = client.options("/api/v1/clusters")  # not a preflight: the usual 405
    assert refused.status_code == 405 and refused.headers["allow"] == "POST"
    assert "access-control-allow-origin" not in refused.headers
    problem = refused.json()
    assert problem["type"].endswith("/cors-refused")
    assert "CHAINKG_CORS_ORIGINS is not set" in problem["detail"] and "https://dash.example" in problem["detail"]
    assert plain.status_code == 405 and plain.json()["type"].endswith("/http-405")
