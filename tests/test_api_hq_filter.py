"""Review 16a H3: a 招商 trip to 深圳 and 上海 needs the firms headquartered there.

``hq`` on ``/api/v1/targets``, ``/api/v1/clusters/{id}/targets`` and ``/api/v1/segments/{id}/candidates`` keeps the
firms whose ``hq`` or ``hq_en`` names the place; ranks stay those of the whole list, and ``hq_unknown`` counts the
firms of the whole list the data give no headquarters for (they may be there too).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from queries.lookup import normalise

ROUTES = ["/api/v1/targets", "/api/v1/clusters/nev/targets", "/api/v1/segments/ne-pv-inverter/candidates"]


def _all(api_client: Any, path: str, **params: Any) -> dict[str, Any]:
    response = api_client.get(path, params={"limit": 500, **params})
    assert response.status_code == 200, response.text
    return response.json()


@pytest.mark.parametrize("path", ROUTES)
@pytest.mark.parametrize("place", ["上海", "深圳", "合肥"])
def test_the_filter_keeps_the_firms_there_with_their_ranks(api_client: Any, path: str, place: str) -> None:
    whole = _all(api_client, path)
    there = _all(api_client, path, hq=place)
    expected = [
        item for item in whole["items"] if normalise(place) in normalise(item["hq"]) or place in (item["hq_en"] or "")
    ]
    assert there["items"] == expected  # the same items, ranks and all, in the same order
    assert there["total"] == len(expected)
    assert there["hq_unknown"] == sum(1 for item in whole["items"] if not item["hq"])
    assert whole["hq_unknown"] is None


def test_the_city_has_firms_in_both_trip_cities(api_client: Any) -> None:
    for place in ("深圳", "上海"):
        assert _all(api_client, "/api/v1/targets", hq=place)["total"] > 0


@pytest.mark.parametrize(("a", "b"), [("上海", "Shanghai"), ("深圳市", "深圳"), ("SHENZHEN", "深圳")])
def test_english_case_and_a_final_shi_read_alike(api_client: Any, a: str, b: str) -> None:
    one, other = _all(api_client, "/api/v1/targets", hq=a), _all(api_client, "/api/v1/targets", hq=b)
    assert [t["firm_id"] for t in one["items"]] == [t["firm_id"] for t in other["items"]]


@pytest.mark.parametrize("path", ROUTES)
def test_a_blank_place_is_refused(api_client: Any, path: str) -> None:
    response = api_client.get(path, params={"hq": ""})
    assert response.status_code == 422
    assert response.json()["errors"][0]["loc"] == ["query", "hq"]


def test_the_cli_narrows_and_says_how_many_are_unplaced(api_client: Any, capsys: Any) -> None:
    from chainkg.cli import main

    body = _all(api_client, "/api/v1/targets", hq="深圳")
    assert main(["targets", "--hq", "深圳", "--lang", "en", "--limit", "500"]) == 0
    out = capsys.readouterr().out
    assert f"{body['total']} firms headquartered in 深圳; {body['hq_unknown']} more of the whole list" in out
    assert all(t["firm_id"] in out for t in body["items"])
    with pytest.raises(SystemExit) as refused:
        main(["targets", "--hq", " "])
    assert refused.value.code == 2
    assert "expected a place name" in capsys.readouterr().err


def test_the_cli_marks_an_unverified_target(api_client: Any, capsys: Any) -> None:
    """Review 16a M2: the reports marked 震裕 (its role unverified) 待核实; the CLI table did not."""
    from chainkg.cli import main

    items = _all(api_client, "/api/v1/clusters/nev/targets")["items"]
    unsure = [t for t in items if t["confidence"] == "unverified"]
    assert unsure
    assert main(["targets", "nev", "--limit", "500"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for t in items:
        (row,) = [line for line in lines if re.search(rf"\s{re.escape(t['firm_id'])}\s", line) and "0." in line]
        assert row.endswith("（待核实）") == (t["confidence"] == "unverified"), t["firm_id"]
