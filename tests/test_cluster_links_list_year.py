"""``list_year`` on the cross-cluster links: only the pairs whose two clusters are both on that published list.

A cluster asked for that is not on the list is refused as on the other routes (API 422 ``invalid-query``
whose ``errors`` name ``list_year``, CLI exit 2), naming the lists it is on. Without ``list_year`` nothing
changes.
"""

from __future__ import annotations

import json

import pytest

from chainkg.cli import main
from graph.errors import InvalidQuery
from graph.model import NodeKind
from queries.cluster_links import cluster_links

OFF_2024 = "green-steel"
"""A bundled cluster on the 2022 list only, with links to clusters on both lists."""


def on_list(store, list_year: int) -> set[str]:
    """The ids of the clusters on the ``list_year`` list, read from the cluster nodes themselves."""
    return {c.id for c in store.nodes(NodeKind.CLUSTER) if list_year in c.list_years}


def pairs(items: list[dict]) -> set[tuple[str, str]]:
    return {(i["source_cluster"], i["target_cluster"]) for i in items}


def test_the_bundled_clusters_are_what_the_tests_assume(bundled_store):
    assert OFF_2024 in on_list(bundled_store, 2022) and OFF_2024 not in on_list(bundled_store, 2024)
    assert any(OFF_2024 in pair for pair in pairs(cluster_links(bundled_store)))


@pytest.mark.parametrize("list_year", [2022, 2024])
def test_a_list_keeps_the_pairs_whose_two_clusters_are_on_it(bundled_store, list_year):
    every = cluster_links(bundled_store)
    listed = on_list(bundled_store, list_year)
    kept = cluster_links(bundled_store, list_year=list_year)
    assert kept == [i for i in every if i["source_cluster"] in listed and i["target_cluster"] in listed]
    assert 0 < len(kept) < len(every)  # the two lists differ, and each drops some pairs


def test_one_cluster_on_the_list_keeps_its_pairs_with_clusters_on_it(bundled_store):
    listed = on_list(bundled_store, 2024)
    nev = cluster_links(bundled_store, "nev", list_year=2024)
    both_ends = [{i["source_cluster"], i["target_cluster"]} for i in cluster_links(bundled_store, "nev")]
    assert [{i["source_cluster"], i["target_cluster"]} for i in nev] == [e for e in both_ends if e <= listed]
    assert nev and any(OFF_2024 in ends for ends in both_ends) and not any(OFF_2024 in p for p in pairs(nev))
    on_2024 = cluster_links(bundled_store, list_year=2024)
    assert nev == [i for i in on_2024 if "nev" in (i["source_cluster"], i["target_cluster"])]


def test_a_cluster_off_the_list_and_an_unpublished_year_are_refused(bundled_store):
    with pytest.raises(InvalidQuery) as caught:
        cluster_links(bundled_store, OFF_2024, list_year=2024)
    assert "green-steel is not on the 2024 list (it is on the 2022 list)" in str(caught.value)
    assert caught.value.extra()["errors"][0]["loc"] == ["query", "list_year"]
    with pytest.raises(InvalidQuery, match="list_year must be one of 2022, 2024"):
        cluster_links(bundled_store, list_year=2023)


def test_the_api_filters_and_refuses_the_same_way(api_client, bundled_store):
    body = api_client.get("/api/v1/cluster-links", params={"list_year": 2022}).json()
    items = cluster_links(bundled_store, list_year=2022)
    assert {k: body[k] for k in ("items", "total")} == {"items": items, "total": len(items)}
    assert body["list_size"] == 10 and "7 of its 10" in body["list_note_en"]  # the 2022 list is known in part
    for params in ({"cluster": OFF_2024, "list_year": 2024}, {"list_year": 2023}):
        response = api_client.get("/api/v1/cluster-links", params=params)
        assert response.status_code == 422, (params, response.text)
        assert response.headers["content-type"] == "application/problem+json"
        assert [e["loc"] for e in response.json()["errors"]] == [["query", "list_year"]]


def test_the_cli_prints_the_api_body_and_exits_2_off_the_list(api_client, capsys):
    body = api_client.get("/api/v1/cluster-links", params={"cluster": "nev", "list_year": 2024}).json()
    assert main(["cluster-links", "nev", "--list-year", "2024", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == body
    assert main(["cluster-links", OFF_2024, "--list-year", "2024"]) == 2
    err = capsys.readouterr().err
    assert "green-steel is not on the 2024 list" in err and "ask for 2022" in err
    with pytest.raises(SystemExit) as caught:  # argparse: only the published years are choices
        main(["cluster-links", "--list-year", "2023"])
    assert caught.value.code == 2
