"""Errors of the HTML pages and of the what-if body (review findings #9, #10 and #11).

#9: ``/reports`` and ``/views`` answered a bad parameter with problem+json but an unknown id with an HTML
page; a bad parameter now gets a bilingual HTML 422 page naming the parameter, the value and what it
accepts (the workbooks and ``/api/v1`` keep problem+json).
#10: the views' 404 page lacked the Chinese sentence of the reports' page.
#11: a what-if body that is not JSON, or not the right JSON, did not say what body was expected.
"""

from __future__ import annotations

import re

import pytest

from api.problems import MEDIA_TYPE
from viz.style import KIND_LABELS


def page_items(html: str) -> dict[str, str]:
    """``{parameter: its item's text}`` of a 422 page, tags removed."""
    items = re.findall(r'<li data-param="([^"]+)">(.*?)</li>', html, flags=re.S)
    return {name: re.sub(r"<[^>]+>", "", text) for name, text in items}


@pytest.mark.parametrize(
    ("url", "param", "zh", "en"),
    [
        ("/reports/summary?list_year=2023", "list_year", "值 2023 无效：应为 2022 或 2024。", "it takes 2022 or 2024"),
        ("/reports/clusters/nev?year=1800", "year", "值 1800 无效：应为 1990–2100 的整数。", "from 1990 to 2100"),
        ("/reports/clusters/nev?top=0", "top", "值 0 无效：应为 1–10 的整数。", "a whole number from 1 to 10"),
        ("/reports/clusters/nev?format=pdf", "format", "值 pdf 无效：应为 html 或 xlsx。", "it takes html or xlsx"),
        ("/views/clusters/" + "x" * 201, "cluster_id", "无效：最多 200 个字符。", "it takes at most 200 characters"),
    ],
)
def test_a_bad_parameter_of_a_page_gets_a_bilingual_html_page(api_client, url, param, zh, en):
    response = api_client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "参数无效" in response.text and "Invalid parameter" in response.text
    items = page_items(response.text)
    assert list(items) == [param]
    assert f"参数 {param} 的" in items[param] and zh in items[param]
    assert f"Parameter {param}: " in items[param] and en in items[param]


def test_the_page_links_back_to_its_home(api_client):
    assert '<a href="../summary">全部集群 All clusters</a>' in api_client.get("/reports/clusters/nev?year=1800").text
    assert '<a href="summary">全部集群 All clusters</a>' in api_client.get("/reports/summary?list_year=2023").text
    assert '<a href="../overview">总览 Overview</a>' in api_client.get("/views/firms/" + "x" * 201).text


def test_every_bad_parameter_is_listed(api_client):
    items = page_items(api_client.get("/reports/clusters/nev?year=abc&top=99").text)
    assert set(items) == {"year", "top"}
    assert "值 abc 无效" in items["year"] and "valid integer" in items["year"]


def test_a_hostile_value_is_shown_as_text(api_client):
    response = api_client.get("/reports/clusters/nev", params={"format": "<script>alert(1)</script>"})
    assert response.status_code == 422
    assert "<script>" not in response.text and "&lt;script&gt;alert(1)&lt;/script&gt;" in response.text


@pytest.mark.parametrize(
    "url",
    [
        "/reports/summary.xlsx?list_year=2023",
        "/reports/clusters/nev.xlsx?year=1800",
        "/reports/clusters/nev?format=xlsx&year=1800",
        "/api/v1/health-ranking?list_year=2023",
        "/api/v1/clusters/nev/chain?year=1800",
    ],
)
def test_workbooks_and_the_json_api_keep_problem_json(api_client, url):
    response = api_client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"] == MEDIA_TYPE
    assert response.json()["errors"][0]["loc"][0] == "query"


def test_the_openapi_document_says_the_pages_answer_html():
    from api.app import create_app
    from chainkg.settings import Settings
    from graph.memory_store import MemoryStore

    paths = create_app(MemoryStore(), Settings.from_env(env={})).openapi()["paths"]
    # an HTML page for browsers, problem+json for clients that accept only JSON
    assert set(paths["/reports/summary"]["get"]["responses"]["422"]["content"]) == {"text/html", MEDIA_TYPE}
    assert set(paths["/views/clusters/{cluster_id}"]["get"]["responses"]["422"]["content"]) == {"text/html", MEDIA_TYPE}
    both = paths["/reports/clusters/{cluster_id}"]["get"]["responses"]["422"]["content"]
    assert set(both) == {"text/html", MEDIA_TYPE}
    assert list(paths["/reports/summary.xlsx"]["get"]["responses"]["422"]["content"]) == [MEDIA_TYPE]


# ---- #10: the same 404 sentence on views and reports ----


@pytest.mark.parametrize(
    ("url", "sentence"),
    [
        ("/views/clusters/nevv", "没有 id 为 nevv 的集群。No cluster with id nevv."),
        ("/reports/clusters/nevv", "没有 id 为 nevv 的集群。No cluster with id nevv."),
        ("/views/firms/catl-jiangsuu", "没有 id 为 catl-jiangsuu 的企业。No firm with id catl-jiangsuu."),
        ("/views/segments/nev-cathod", "没有 id 为 nev-cathod 的环节。No segment with id nev-cathod."),
    ],
)
def test_the_not_found_pages_say_it_in_both_languages(api_client, url, sentence):
    response = api_client.get(url)
    assert response.status_code == 404
    detail = re.search(r'<p id="not-found-detail">(.*?)</p>', response.text, flags=re.S)
    assert detail is not None
    assert re.sub(r"<[^>]+>", "", detail.group(1)) == sentence


def test_the_views_404_words_are_the_kind_labels():
    """The views' 404 page names a kind in Chinese as viz.style.KIND_LABELS does."""
    from viz.render import TEMPLATES

    template = (TEMPLATES / "not_found.html.j2").read_text(encoding="utf-8")
    for kind in ("cluster", "segment", "firm"):
        assert f'"{kind}": "{KIND_LABELS[kind].split()[0]}"' in template


# ---- #11: the what-if body ----

EXPECTED = 'the body must be JSON like {"remove": ["li-auto"]}'


@pytest.mark.parametrize(
    ("body", "starts"),
    [
        (b"notjson", "body: not JSON (JSON decode error at character 0)"),
        (b'{"remove": "li-auto"}', "body.remove: Input should be a valid list (got 'li-auto')"),
        (b"{}", "body.remove: Field required"),
        (b"[]", "body: Input should be a valid dictionary"),
    ],
)
def test_a_bad_what_if_body_says_what_body_is_expected(api_client, body, starts):
    response = api_client.post("/api/v1/what-if", content=body, headers={"Content-Type": "application/json"})
    assert response.status_code == 422
    assert response.headers["content-type"] == MEDIA_TYPE
    problem = response.json()
    assert set(problem) == {"type", "title", "status", "detail", "detail_zh", "instance", "errors"}  # one shape
    assert problem["detail"].startswith(starts)
    assert problem["detail"].endswith("; " + EXPECTED)
    assert all(set(e) <= {"loc", "msg", "type", "input"} for e in problem["errors"])


def test_a_bad_query_parameter_gets_no_body_example(api_client):
    problem = api_client.get("/api/v1/clusters/nev/chain?year=1800").json()
    assert "the body must be" not in problem["detail"]


def test_the_example_is_a_body_the_route_accepts(api_client):
    example = EXPECTED.split("like ", 1)[1]
    response = api_client.post("/api/v1/what-if", content=example, headers={"Content-Type": "application/json"})
    assert response.status_code == 200, response.text
