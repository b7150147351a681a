"""``list_year`` on health, gaps and targets: one published list, the same way as the health ranking.

A cluster not on the list asked for is refused (CLI exit 2, API 422 ``invalid-query`` whose ``errors``
name ``list_year``), naming the lists it is on; the all-cluster gaps and targets keep the clusters on
the list, the ones the ranking of that list holds. Without ``list_year`` nothing changes.
"""

from __future__ import annotations

import json

import pytest

from chainkg.cli import main
from graph.errors import InvalidQuery
from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from queries.gaps import gaps
from queries.health import health, health_ranking
from queries.targets import targets

OFF_LIST = "digital-info"
"""A bundled cluster on the 2024 list only."""


def listed(store: MemoryStore, list_year: int) -> set[str]:
    return {h["cluster_id"] for h in health_ranking(store, list_year=list_year)}


def test_the_bundled_off_list_cluster_is_what_the_tests_assume(bundled_store):
    assert OFF_LIST in listed(bundled_store, 2024) and OFF_LIST not in listed(bundled_store, 2022)


def test_health_of_a_cluster_off_the_list_is_refused_naming_its_lists(bundled_store):
    with pytest.raises(InvalidQuery) as caught:
        health(bundled_store, OFF_LIST, list_year=2022)
    assert "digital-info is not on the 2022 list (it is on the 2024 list)" in str(caught.value)
    assert caught.value.extra()["errors"][0]["loc"] == ["query", "list_year"]
    assert health(bundled_store, OFF_LIST, list_year=2024) == health(bundled_store, OFF_LIST)


def test_tiny_city_gaps_and_targets_keep_one_list():
    store = MemoryStore(tiny_city())  # t-nev is on the 2022 list only, t-ess on the 2024 one
    assert {g["cluster_id"] for g in gaps(store, list_year=2024)} == {"t-ess"}
    assert gaps(store, list_year=2022) == gaps(store, cluster="t-nev")
    on_2024 = targets(store, list_year=2024)
    assert on_2024 and all(t["cluster_ids"] == ["t-ess"] for t in on_2024)
    assert on_2024 == targets(store, "t-ess")
    assert targets(store, list_year=2022, untargeted=True) == targets(store, "t-nev", untargeted=True)
    with pytest.raises(InvalidQuery, match="t-nev is not on the 2024 list"):
        targets(store, "t-nev", list_year=2024)
    with pytest.raises(InvalidQuery, match="list_year must be one of 2022, 2024"):
        gaps(store, list_year=2023)


def test_gaps_of_a_list_are_those_its_ranking_counts(bundled_store):
    for year in (2022, 2024):
        ranking = health_ranking(bundled_store, list_year=year)
        items = gaps(bundled_store, list_year=year)
        assert {g["cluster_id"] for g in items} <= listed(bundled_store, year)
        assert len(items) == sum(h["counts"]["gaps"] for h in ranking), year
    assert len(gaps(bundled_store, list_year=2022)) < len(gaps(bundled_store))


def problem(api_client, url: str) -> dict:
    response = api_client.get(url)
    assert response.status_code == 422, (url, response.text)
    assert response.headers["content-type"] == "application/problem+json"
    return response.json()


@pytest.mark.parametrize(
    "url",
    [
        f"/api/v1/clusters/{OFF_LIST}/health?list_year=2022",
        f"/api/v1/clusters/{OFF_LIST}/gaps?list_year=2022",
        f"/api/v1/clusters/{OFF_LIST}/gaps?list_year=2022&untargeted=true",
        f"/api/v1/gaps?cluster={OFF_LIST}&list_year=2022",
        f"/api/v1/clusters/{OFF_LIST}/targets?list_year=2022",
        f"/api/v1/targets?cluster={OFF_LIST}&list_year=2022",
    ],
)
def test_api_refuses_a_cluster_off_the_list(api_client, url):
    body = problem(api_client, url)
    assert body["type"].endswith("/invalid-query")
    assert "not on the 2022 list (it is on the 2024 list)" in body["detail"]
    assert body["errors"] == [
        {"loc": ["query", "list_year"], "msg": body["detail"], "type": "value_error", "input": "2022"}
    ]


def test_api_list_year_2023_is_refused(api_client):
    for url in ("/api/v1/gaps?list_year=2023", "/api/v1/targets?list_year=2023"):
        assert problem(api_client, url)["errors"][0]["loc"] == ["query", "list_year"]


@pytest.mark.parametrize("extra", ["", "&untargeted=true", "&untargeted=false"])
def test_api_gaps_keep_the_clusters_of_the_list(api_client, bundled_store, extra):
    on_list = api_client.get(f"/api/v1/gaps?list_year=2022&limit=500{extra}").json()
    every = api_client.get(f"/api/v1/gaps?limit=500{extra}").json()
    expected = [g for g in every["items"] if g["cluster_id"] in listed(bundled_store, 2022)]
    assert on_list["items"] == expected and on_list["total"] == len(expected) <= every["total"]


def test_api_targets_keep_the_clusters_of_the_list(api_client, bundled_store):
    body = api_client.get("/api/v1/targets?list_year=2022&limit=500").json()
    assert body["total"] > 0
    assert {c for t in body["items"] for c in t["cluster_ids"]} <= listed(bundled_store, 2022)
    assert body["items"] == targets(bundled_store, list_year=2022)


def test_api_a_cluster_on_the_list_answers_as_without(api_client):
    for url in ("/api/v1/clusters/nev/health", "/api/v1/clusters/nev/gaps", "/api/v1/clusters/nev/targets"):
        assert api_client.get(f"{url}?list_year=2022").json() == api_client.get(url).json(), url


def test_cli_refuses_a_cluster_off_the_list(capsys):
    for argv in (["health", OFF_LIST], ["gaps", OFF_LIST], ["targets", OFF_LIST]):
        assert main([*argv, "--list-year", "2022"]) == 2, argv
        err = capsys.readouterr().err
        assert "digital-info is not on the 2022 list (it is on the 2024 list)" in err, argv


@pytest.mark.parametrize(
    ("argv", "url"),
    [
        (["gaps", "--list-year", "2022"], "/api/v1/gaps?list_year=2022"),
        (["gaps", "--list-year", "2024", "--untargeted", "true"], "/api/v1/gaps?list_year=2024&untargeted=true"),
        (["targets", "--list-year", "2022", "--limit", "5"], "/api/v1/targets?list_year=2022&limit=5"),
        (["health", "nev", "--list-year", "2022"], "/api/v1/clusters/nev/health?list_year=2022"),
    ],
)
def test_cli_json_is_the_api_body(argv, url, api_client, capsys):
    response = api_client.get(url)
    assert response.status_code == 200, response.text
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == response.json()
