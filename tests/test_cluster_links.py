"""Cross-cluster links: the query against the SUPPLIES edges, the API and the CLI."""

from __future__ import annotations

import pytest

from chainkg.cli import main
from graph.errors import NodeNotFound
from graph.model import EdgeKind, NodeKind
from queries.cluster_links import cluster_links


def test_every_cross_cluster_supply_edge_is_in_its_pair_once(bundled_store):
    cluster_of = {s.id: s.cluster_id for s in bundled_store.nodes(NodeKind.SEGMENT)}
    expected: dict[tuple[str, str], set[tuple[str, str]]] = {}
    for e in bundled_store.edges(EdgeKind.SUPPLIES):
        if cluster_of[e.source] != cluster_of[e.target]:
            expected.setdefault((cluster_of[e.source], cluster_of[e.target]), set()).add((e.source, e.target))
    items = cluster_links(bundled_store)
    found = {
        (i["source_cluster"], i["target_cluster"]): {(x["source"], x["target"]) for x in i["links"]} for i in items
    }
    assert found == expected and len(items) == len(expected) >= 5
    for item in items:
        assert item["link_count"] == len(item["links"])
        assert item["unverified_count"] == sum(1 for x in item["links"] if x["confidence"] == "unverified")
        assert item["sources"] == sorted({s for x in item["links"] for s in x["sources"]})
    counts = [i["link_count"] for i in items]
    assert counts == sorted(counts, reverse=True)


def test_one_clusters_pairs_and_an_unknown_cluster(bundled_store):
    every = cluster_links(bundled_store)
    nev = cluster_links(bundled_store, "nev")
    assert nev == [i for i in every if "nev" in (i["source_cluster"], i["target_cluster"])] and nev
    with pytest.raises(NodeNotFound) as err:
        cluster_links(bundled_store, "nevv")
    assert "nev" in err.value.suggestions


def test_the_api_and_the_cli_give_the_query_answer(api_client, bundled_store, capsys):
    import json

    items = cluster_links(bundled_store, "nev")
    body = api_client.get("/api/v1/cluster-links", params={"cluster": "nev"}).json()
    no_list = {"list_size": None, "list_note_zh": None, "list_note_en": None}  # one cluster: no list members
    assert body == {"items": items, "total": len(items), **no_list}
    assert api_client.get("/api/v1/cluster-links", params={"cluster": "nevv"}).status_code == 404
    assert main(["cluster-links", "nev", "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == body
    assert main(["cluster-links", "nev"]) == 0
    out = capsys.readouterr().out
    for item in items:  # every pair and every segment link is printed
        assert f"{item['source_cluster']} → {item['target_cluster']}" in out
        assert all(x["source"] in out and x["target"] in out for x in item["links"])


def test_the_overview_draws_the_same_pairs(bundled_store):
    from viz.overview import gather_overview

    drawn = {(x["source"], x["target"]): len(x["pairs"]) for x in gather_overview(bundled_store)["links"]}
    assert drawn == {(i["source_cluster"], i["target_cluster"]): i["link_count"] for i in cluster_links(bundled_store)}
