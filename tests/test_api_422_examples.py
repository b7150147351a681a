"""Each route's documented 422 is one it answers (review 15b: every route showed `/api/v1/gaps`' `kind` example).

The OpenAPI document's ``invalid-request`` example of a route is the 422 the route sends for a query parameter it
does not take, mistyped as a client would (``?cluster_id=`` for ``?cluster=``); asking the route for it answers
exactly that body. The ``invalid-query`` example (a ``list_year`` no list has) is shown only where the route takes
``list_year``, and is answered too.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.problems import PROBLEM_EXAMPLES

JSON = {"Accept": "application/problem+json"}


@pytest.fixture(scope="module")
def spec(api_client: Any) -> dict[str, Any]:
    return api_client.get("/openapi.json").json()


def _examples(spec: dict[str, Any], slug: str) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation.get("responses", {}).get("422", {}).get("content", {})
            example = content.get("application/problem+json", {}).get("examples", {}).get(slug)
            if example:
                out.append((method, path, example["value"]))
    return out


def _ask(api_client: Any, method: str, path: str, shown: dict[str, Any], query: dict[str, Any]) -> Any:
    if method == "post" and path.endswith("/what-if"):
        return api_client.post(shown["instance"], params=query, json={"remove": ["calb"]}, headers=JSON)
    if method == "post":
        return api_client.post(shown["instance"], params=query, headers={**JSON, "X-API-Key": "k"})
    return api_client.get(shown["instance"], params=query, headers=JSON)


def test_each_route_shows_the_422_it_answers_for_a_mistyped_parameter(api_client: Any, spec: dict[str, Any]) -> None:
    examples = _examples(spec, "invalid-request")
    assert len(examples) > 35
    bad_names = set()
    for method, path, shown in examples:
        assert shown != PROBLEM_EXAMPLES["invalid-request"], (method, path)
        ((_, name),) = [error["loc"] for error in shown["errors"]]
        answer = _ask(api_client, method, path, shown, {name: shown["errors"][0]["input"]})
        assert answer.status_code == 422, (method, path, answer.text)
        assert answer.json() == shown, (method, path)
        bad_names.add(name)
    assert {"cluster_id", "lang", "qs", "limits"} <= bad_names


def test_the_example_names_the_parameters_of_its_own_route(spec: dict[str, Any]) -> None:
    shown = {path: value for method, path, value in _examples(spec, "invalid-request") if method == "get"}
    assert "did you mean cluster?" in shown["/api/v1/gaps"]["detail"]
    assert "q, type, limit, offset" in shown["/api/v1/search"]["detail"]
    assert shown["/api/v1/clusters/{cluster_id}"]["instance"] == "/api/v1/clusters/nev"
    assert "本接口不接受查询参数" in shown["/api/v1/clusters/{cluster_id}"]["detail_zh"]


def test_the_list_year_example_is_shown_only_where_the_route_takes_it(api_client: Any, spec: dict[str, Any]) -> None:
    examples = _examples(spec, "invalid-query")
    assert {path for _, path, _ in examples} >= {"/api/v1/clusters", "/api/v1/gaps"}
    for method, path, shown in examples:
        takes = [p["name"] for p in spec["paths"][path][method].get("parameters", [])]
        assert "list_year" in takes, path
        answer = _ask(api_client, method, path, shown, {"list_year": shown["errors"][0]["input"]})
        assert answer.status_code == 422 and answer.json() == shown, (method, path)
