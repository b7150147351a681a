"""Targets over HTTP and on the command line: the body is the query's answer, paged; --json prints it."""

from __future__ import annotations

import json
import re

import pytest

from chainkg.cli import main
from queries.candidates import rank_text
from queries.targets import targets


def test_cluster_targets_are_the_query_answer(api_client, bundled_store):
    expected = targets(bundled_store, "nev")
    body = api_client.get("/api/v1/clusters/nev/targets", params={"limit": 500}).json()
    no_list = {"list_size": None, "list_note_zh": None, "list_note_en": None, "hq_unknown": None}  # no list, no hq
    assert body == {"items": expected, "total": len(expected), "limit": 500, "offset": 0, **no_list}
    page = api_client.get("/api/v1/clusters/nev/targets", params={"limit": 3, "offset": 2}).json()
    assert page["items"] == expected[2:5] and page["total"] == len(expected)
    assert api_client.get("/api/v1/targets", params={"cluster": "nev", "limit": 500}).json() == body


def test_city_targets_and_filters(api_client, bundled_store):
    body = api_client.get("/api/v1/targets", params={"limit": 500}).json()
    assert body["items"] == targets(bundled_store)[:500]
    query = {"kind": "broken_link", "min_severity": 0.4, "year": 2024, "limit": 500}
    filtered = api_client.get("/api/v1/clusters/nev/targets", params=query).json()
    assert filtered["items"] == targets(bundled_store, "nev", 2024, "broken_link", 0.4)


@pytest.mark.parametrize(
    ("url", "status"),
    [
        ("/api/v1/clusters/nevv/targets", 404),
        ("/api/v1/targets?cluster=nevv", 404),
        ("/api/v1/targets?kind=gap", 422),
        ("/api/v1/targets?min_severity=2", 422),
        ("/api/v1/clusters/nev/targets?year=1800", 422),
        ("/api/v1/clusters/nev/targets?limit=0", 422),
        ("/api/v1/clusters/nev/targets?per_gap=0", 422),
    ],
)
def test_problems(api_client, url, status):
    r = api_client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    if status == 404:
        assert "nev" in r.json()["suggestions"]


def test_routes_are_documented(api_client):
    spec = api_client.get("/openapi.json").json()
    for path in ("/api/v1/clusters/{cluster_id}/targets", "/api/v1/targets"):
        op = spec["paths"][path]["get"]
        assert op["summary"] and op["operationId"] and all(p.get("description") for p in op["parameters"])
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert "example" in spec["components"]["schemas"][ref.rsplit("/", 1)[-1]]


@pytest.mark.parametrize(
    ("argv", "url"),
    [
        (["targets", "nev"], "/api/v1/clusters/nev/targets"),
        (
            ["targets", "--kind", "missing", "--limit", "5", "--offset", "2"],
            "/api/v1/targets?kind=missing&limit=5&offset=2",
        ),
        (
            ["targets", "nev", "--min-severity", "0.3", "--year", "2024"],
            "/api/v1/clusters/nev/targets?min_severity=0.3&year=2024",
        ),
        (["targets", "nev", "--per-gap", "1"], "/api/v1/clusters/nev/targets?per_gap=1"),
        (["targets", "--untargeted", "true"], "/api/v1/targets?untargeted=true"),
        (["targets", "nev", "--kind", "延链"], "/api/v1/clusters/nev/targets?kind=extension"),
    ],
)
def test_cli_json_is_the_api_body(argv, url, api_client, capsys):
    response = api_client.get(url)
    assert response.status_code == 200, response.text
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == response.json()


def test_cli_table(bundled_store, capsys):
    expected = targets(bundled_store, "nev")
    assert main(["targets", "nev", "--limit", "3", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    lines = out.splitlines()
    assert lines[0].split() == ["rank", "priority", "gaps", "firm", "hq", "name"]
    rows = [line for line in lines if re.match(r"\s*\d+=?  ", line)]
    assert [row.split()[3] for row in rows] == [x["firm_id"] for x in expected[:3]]
    assert rows[0].split()[1] == f"{expected[0]['priority']:.3f}"
    for gap in expected[0]["gaps"]:  # the gaps it fills, underneath, with its rank there
        line = next(x for x in lines if x.startswith(f"    - {gap['segment_id']} "))
        name = gap.get("segment_name_en") or gap["segment_name_zh"]  # --lang en: the English name where there is one
        assert name in line and f"rank {rank_text(gap, 'en')}" in line
    assert f"showing 1-3 of {len(expected)} targets" in out
    assert main(["targets", "--limit", "2", "--lang", "en"]) == 0
    assert capsys.readouterr().out.splitlines()[0].split() == [
        "rank",
        "priority",
        "gaps",
        "firm",
        "clusters",
        "hq",
        "name",
    ]


def test_cli_unknown_cluster(capsys):
    assert main(["targets", "nevv"]) == 2
    assert "Did you mean: nev" in capsys.readouterr().err
