"""Review 15b (M1): a blank id filter is refused the same way on every route.

``?cluster=`` was ignored by /api/v1/firms (every firm), a 404 "No cluster with id ''" with no suggestion on
/api/v1/gaps, /targets and /cluster-links. Now every id filter takes 1 to 200 characters: a blank one is a
422 naming it (leave it out to filter nothing), as a blank number or boolean already was.
"""

from __future__ import annotations

from typing import Any

import pytest

BLANK_FILTERS = [
    ("/api/v1/gaps", "cluster"),
    ("/api/v1/targets", "cluster"),
    ("/api/v1/cluster-links", "cluster"),
    ("/api/v1/firms", "cluster"),
    ("/api/v1/firms", "segment"),
    ("/api/v1/firms", "district"),
    ("/api/v1/firms", "tier"),
    ("/api/v1/firms", "tag"),
    ("/api/v1/projects", "cluster"),
    ("/api/v1/projects", "segment"),
    ("/api/v1/projects", "district"),
    ("/api/v1/projects", "firm"),
    ("/api/v1/policies", "tier"),
    ("/api/v1/policies", "cluster"),
    ("/api/v1/policies", "segment"),
]


@pytest.mark.parametrize(("path", "name"), BLANK_FILTERS)
def test_a_blank_id_filter_is_a_422_naming_it(api_client: Any, path: str, name: str) -> None:
    answer = api_client.get(f"{path}?{name}=")
    assert answer.status_code == 422, answer.text
    body = answer.json()
    assert body["type"].endswith("invalid-request")
    (error,) = body["errors"]
    assert error["loc"] == ["query", name] and error["type"] == "string_too_short" and error["input"] == ""


@pytest.mark.parametrize(("path", "name"), BLANK_FILTERS)
def test_the_schema_says_so(api_client: Any, path: str, name: str) -> None:
    spec = api_client.get("/openapi.json").json()
    (param,) = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == name]
    (text,) = [s for s in param["schema"]["anyOf"] if s.get("type") == "string"]
    assert text["minLength"] == 1 and text["maxLength"] == 200


def test_left_out_it_filters_nothing_and_filled_it_filters(api_client: Any) -> None:
    every = api_client.get("/api/v1/gaps", params={"limit": 500}).json()
    nev = api_client.get("/api/v1/gaps", params={"cluster": "nev", "limit": 500}).json()
    assert 0 < nev["total"] < every["total"]
    assert api_client.get("/api/v1/gaps?cluster=nevv").status_code == 404  # a wrong id still names the nearest
