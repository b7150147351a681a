"""Review 15b (M1): a query parameter sent blank is the same as one left out, on every route alike.

Before, ``?cluster=`` was ignored by /api/v1/firms, a 404 "No cluster with id ''" on /api/v1/gaps, /targets and
/cluster-links, and ``?year=`` a 422.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.blank_query import without_blanks

SAME_AS_LEFT_OUT = [
    ("/api/v1/gaps", "cluster=", {"limit": 500}),
    ("/api/v1/targets", "cluster=", {"limit": 50}),
    ("/api/v1/cluster-links", "cluster=", {}),
    ("/api/v1/firms", "cluster=&segment=&district=", {"limit": 500}),
    ("/api/v1/projects", "cluster=&firm=", {}),
    ("/api/v1/policies", "tier=", {}),
    ("/api/v1/clusters/nev/gaps", "year=&kind=&min_severity=", {}),
    ("/api/v1/clusters/nev/chain", "year=", {}),
]


@pytest.mark.parametrize(("path", "blank", "params"), SAME_AS_LEFT_OUT)
def test_a_blank_parameter_is_one_left_out(api_client: Any, path: str, blank: str, params: dict[str, Any]) -> None:
    plain = api_client.get(path, params=params)
    query = "&".join([blank, *(f"{k}={v}" for k, v in params.items())])
    sent_blank = api_client.get(f"{path}?{query}")
    assert plain.status_code == 200, plain.text
    assert sent_blank.status_code == 200, sent_blank.text
    assert sent_blank.json() == plain.json()


def test_a_blank_required_parameter_is_reported_missing(api_client: Any) -> None:
    answer = api_client.get("/api/v1/search?q=")
    assert answer.status_code == 422
    assert [e["loc"] for e in answer.json()["errors"]] == [["query", "q"]]
    assert answer.json()["errors"][0]["type"] == "missing"


def test_a_parameter_with_a_value_is_still_checked(api_client: Any) -> None:
    assert api_client.get("/api/v1/gaps?cluster=nevv").status_code == 404
    assert api_client.get("/api/v1/gaps?cluster_id=nev").status_code == 422  # a typo with a value
    assert api_client.get("/api/v1/gaps?cluster_id=").status_code == 200  # a blank one changes nothing


def test_without_blanks_keeps_the_other_pairs_byte_for_byte() -> None:
    assert without_blanks(b"q=%E7%94%B5&cluster=&limit=5&=x&flag") == b"q=%E7%94%B5&limit=5&=x"
