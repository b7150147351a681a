"""Unknown query parameters are refused, not ignored (API review 6, finding 1).

``/api/v1/gaps?cluster_id=nev`` (the filter is ``cluster``) answered every cluster's 107 gaps as if filtered
to NEV's 16; ``/api/v1/clusters?limit=2`` answered all 11 clusters. Every route of ``/api/v1``, ``/views`` and
``/reports`` now answers a parameter it does not declare with a 422 naming it, listing the ones it takes and
the near ones; the HTML pages with their bilingual 422 page. Every parameter the OpenAPI document declares
(``lang`` of the views, ``format`` of the reports included) is still taken.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest

from api.app import create_app
from api.deps import near_names, unknown_parameter_message
from chainkg.settings import Settings
from graph.memory_store import MemoryStore

SPEC = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
STRICT_PREFIXES = ("/api/v1/", "/views/", "/reports/")
OPERATIONS = sorted(
    (path, method)
    for path, item in SPEC["paths"].items()
    if path.startswith(STRICT_PREFIXES)
    for method in item
    if method in ("get", "post")
)
PATH_IDS = {
    "cluster_id": "nev",
    "firm_id": "xingyu",
    "segment_id": "nev-battery-cell",
    "tier_id": "tier-champion-firm",
    "district_id": "wujin",
    "platform_id": "plat-catl-liyang-lighthouse",
    "source_id": "reply-2022-56",
}
LISTED = {"project_id": "/api/v1/projects", "policy_id": "/api/v1/policies"}
REQUIRED = {"/api/v1/search": {"q": "catl"}, "/api/v1/export": {"format": "json"}}
"""The query parameters a route needs, so that only the unknown one is at fault."""

REPO = Path(__file__).resolve().parent.parent


def _url(client: Any, path: str) -> str:
    for name in re.findall(r"\{(\w+)\}", path):
        value = PATH_IDS.get(name) or client.get(LISTED[name]).json()["items"][0]["id"]
        path = path.replace("{" + name + "}", value)
    return path


def _call(client: Any, path: str, method: str, params: dict[str, Any]) -> Any:
    url = _url(client, path)
    if method == "post":
        return client.post(url, params=params, json={"remove": ["li-auto"]})
    return client.get(url, params={**REQUIRED.get(path, {}), **params})


def _is_html(response: Any) -> bool:
    return response.headers["content-type"].startswith("text/html")


def test_every_route_is_covered() -> None:
    assert len(OPERATIONS) >= 30
    assert ("/api/v1/imports", "post") in OPERATIONS and ("/views/overview", "get") in OPERATIONS


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_an_unknown_parameter_is_a_422_naming_it(api_client: Any, path: str, method: str) -> None:
    response = _call(api_client, path, method, {"bogus": "1"})
    assert response.status_code == 422, f"{method.upper()} {path}?bogus=1: {response.status_code}"
    if _is_html(response):  # an HTML page: its own 422 page, naming the parameter
        assert '<li data-param="bogus" class="unknown-parameter">' in response.text
        assert "本页没有参数 <code>bogus</code>" in response.text
        assert "This page takes no parameter <code>bogus</code>" in response.text
        return
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"].endswith("/invalid-request")
    assert body["errors"] == [
        {"loc": ["query", "bogus"], "msg": body["errors"][0]["msg"], "type": "extra_forbidden", "input": "1"}
    ]
    assert body["errors"][0]["msg"].startswith("unknown parameter; this route takes")
    assert "未知参数" in body["errors"][0]["msg"] and "未知参数" in body["detail_zh"]
    assert "未知参数" not in body["detail"]  # the detail is English
    assert body["detail"].startswith("query.bogus: unknown parameter")


@pytest.mark.parametrize(("path", "method"), OPERATIONS)
def test_every_declared_parameter_is_still_taken(api_client: Any, path: str, method: str) -> None:
    """Each query parameter of the document is known to the check (its value may still be refused)."""
    declared = [p["name"] for p in SPEC["paths"][path][method].get("parameters", []) if p["in"] == "query"]
    response = _call(api_client, path, method, dict.fromkeys(declared, "x"))
    if _is_html(response):
        assert "unknown-parameter" not in response.text
    elif response.status_code == 422:
        assert not [e for e in response.json().get("errors", []) if e.get("type") == "extra_forbidden"]


def test_cluster_id_is_refused_and_points_to_cluster(api_client: Any) -> None:
    """The review's case: the filter is `cluster`; `cluster_id` no longer answers every cluster's gaps."""
    for path in ("/api/v1/gaps", "/api/v1/firms", "/api/v1/projects", "/api/v1/targets"):
        body = api_client.get(path, params={"cluster_id": "nev"}).json()
        assert body["status"] == 422, path
        assert "did you mean cluster?" in body["detail"] and "是否应为 cluster" in body["detail_zh"]
        assert "(got 'nev')" in body["detail"]
    assert api_client.get("/api/v1/gaps", params={"cluster": "nev"}).status_code == 200


def test_undeclared_paging_and_filters_are_refused(api_client: Any) -> None:
    """`limit` on the unpaged cluster list, `segments` on firms, `year` on firms: each said, each with its route's
    parameters."""
    clusters = api_client.get("/api/v1/clusters", params={"limit": 2}).json()
    assert clusters["status"] == 422 and "this route takes: year, list_year" in clusters["detail"]
    firms = api_client.get("/api/v1/firms", params={"segments": "nev-cathode", "year": "abc"}).json()
    assert [e["loc"] for e in firms["errors"]] == [["query", "segments"], ["query", "year"]]
    assert "did you mean segment?" in firms["errors"][0]["msg"]


def test_the_views_take_lang_and_the_reports_format(api_client: Any) -> None:
    assert api_client.get("/views/overview", params={"lang": "en"}).status_code == 200
    assert api_client.get("/views/clusters/nev", params={"lang": "zh"}).status_code == 200
    workbook = api_client.get("/reports/clusters/nev", params={"format": "xlsx"})
    assert workbook.status_code == 200 and "spreadsheet" in workbook.headers["content-type"]


def test_an_html_page_names_the_near_parameter(api_client: Any) -> None:
    """`/reports/clusters/green-steel?list_year=2024` answered the full report: the page takes no list_year."""
    page = api_client.get("/reports/summary", params={"list_yeer": "2024"})
    assert page.status_code == 422 and _is_html(page)
    assert "是否应为 <code>list_year</code>" in page.text and "did you mean <code>list_year</code>" in page.text
    report = api_client.get("/reports/clusters/green-steel", params={"list_year": "2024"})
    assert report.status_code == 422 and "（可用参数：top、year、per_gap、format）" in report.text
    workbook = api_client.get("/reports/clusters/nev", params={"format": "xlsx", "bogus": "1"})
    assert workbook.status_code == 422 and workbook.headers["content-type"] == "application/problem+json"


def test_service_routes_stay_lenient(api_client: Any) -> None:
    for path in ("/health", "/openapi.json", "/docs"):
        assert api_client.get(path, params={"bogus": "1"}).status_code == 200, path


def test_an_import_form_field_in_the_query_is_said_to_belong_in_the_body(api_client: Any) -> None:
    """`?dry_run=true` was ignored: an import meant as a dry run would have been applied (with a key)."""
    body = api_client.post("/api/v1/imports", params={"dry_run": "true"}).json()
    assert body["status"] == 422
    assert "dry_run is a field of the multipart form body, not a query parameter" in body["detail"]
    assert "dry_run 是 multipart 表单中的字段" in body["detail_zh"]


def test_near_names_and_the_message() -> None:
    assert near_names("cluster_id", ["cluster", "year", "kind"]) == ["cluster"]
    assert near_names("segments", ["q", "cluster", "segment"]) == ["segment"]
    assert near_names("yeer", ["cluster", "year"]) == ["year"]
    assert near_names("zzz", ["cluster", "year"]) == []

    class Route:  # a route that takes no query parameter
        class dependant:
            query_params: list[Any] = []
            dependencies: list[Any] = []

    assert unknown_parameter_message("x", Route()) == (
        "unknown parameter; this route takes no query parameters / 未知参数；本接口不接受查询参数"
    )


DOC_URL = re.compile(r"(/(?:api/v1|views|reports)/[^\s`?)\"']*)\?([^\s`)\"'|]+)")


def _doc_queries() -> list[tuple[str, str, list[str]]]:
    """``(file, path, parameter names)`` of every example address with a query string in the docs and README."""
    found = []
    for file in [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]:
        for path, query in DOC_URL.findall(file.read_text(encoding="utf-8")):
            names = [part.split("=")[0] for part in query.split("&") if part and not part.startswith("{")]
            found.append((file.name, path.rstrip("."), [n for n in names if re.fullmatch(r"[a-z_]+", n)]))
    return found


def _template(path: str) -> str | None:
    for template in SPEC["paths"]:
        pattern = re.sub(r"\\\{\w+\\\}", "[^/]+", re.escape(template))
        if re.fullmatch(pattern, path) or template == path:
            return template
    return None


def test_the_docs_send_only_declared_parameters() -> None:
    """An example address in the docs with a parameter its route does not take would now be a 422."""
    queries = _doc_queries()
    assert len(queries) >= 10
    wrong = []
    for file, path, names in queries:
        template = _template(path)
        if template is None:
            continue
        declared = {p["name"] for op in SPEC["paths"][template].values() for p in op.get("parameters", [])}
        wrong += [f"{file}: {path}?{name}" for name in names if name not in declared]
    assert wrong == []
