"""Every source id an answer cites can be resolved: ``/api/v1/sources/{id}`` and ``/api/v1/sources``."""

from __future__ import annotations

from typing import Any

from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.sources import citations, get_source, list_sources


def cited_ids(body: Any) -> set[str]:
    """Every id listed under a ``sources`` key anywhere in an answer (strings, or objects with an ``id``)."""
    found: set[str] = set()
    if isinstance(body, dict):
        for key, value in body.items():
            if key == "sources" and isinstance(value, list):
                found |= {v if isinstance(v, str) else v["id"] for v in value}
            else:
                found |= cited_ids(value)
    elif isinstance(body, list):
        for value in body:
            found |= cited_ids(value)
    return found


def test_every_source_cited_by_cluster_answers_resolves(api_client) -> None:
    """Review 13: s5-zhonglou-2024-04 and 39 others were cited by id with no route giving their title."""
    cited: set[str] = set()
    for cluster in api_client.get("/api/v1/clusters").json()["items"]:
        cited |= cited_ids(api_client.get(f"/api/v1/clusters/{cluster['id']}").json())
        cited |= cited_ids(api_client.get(f"/api/v1/clusters/{cluster['id']}/chain").json())
    assert "s5-zhonglou-2024-04" in cited
    for sid in sorted(cited):
        body = api_client.get(f"/api/v1/sources/{sid}").json()
        assert body["id"] == sid and body["title"], sid


def test_a_source_says_what_cites_it(bundled_store: MemoryStore) -> None:
    source = get_source(bundled_store, "s5-zhonglou-2024-04")
    citing = [n for kind in NodeKind for n in bundled_store.nodes(kind) if "s5-zhonglou-2024-04" in n.sources]
    edges = [e for e in bundled_store.edges() if "s5-zhonglou-2024-04" in e.sources]
    assert source["cited_by"] == {
        "nodes": len(citing),
        "edges": len(edges),
        "node_ids": sorted(n.id for n in citing),
    }
    assert source["publisher"] and source["date"] == "2024-04-28" and source["reliability"] == "repost"


def test_the_list_pages_every_source_and_filters(api_client, bundled_store: MemoryStore) -> None:
    every = sorted(n.id for n in bundled_store.nodes(NodeKind.SOURCE))
    seen: list[str] = []
    offset = 0
    while True:
        body = api_client.get(f"/api/v1/sources?limit=200&offset={offset}").json()
        seen += [item["id"] for item in body["items"]]
        offset += 200
        if offset >= body["total"]:
            break
    assert seen == every
    weak = api_client.get("/api/v1/sources?reliability=weak&limit=500").json()["items"]
    assert weak and all(item["reliability"] == "weak" for item in weak)
    uncited = {item["id"] for item in list_sources(bundled_store, cited=False)}
    assert uncited == set(every) - set(citations(bundled_store))
    assert all(
        item["cited_by"]["nodes"] + item["cited_by"]["edges"] == 0 for item in list_sources(bundled_store, cited=False)
    )
    found = api_client.get("/api/v1/sources?q=钟楼区").json()["items"]
    assert "s5-zhonglou-2024-04" in {item["id"] for item in found}
    assert all("钟楼区" in item["title"] + item["publisher"] for item in found)


def test_an_unknown_source_suggests_the_nearest(api_client) -> None:
    response = api_client.get("/api/v1/sources/s5-zhonglou")
    assert response.status_code == 404
    assert response.json()["suggestions"][0] == "s5-zhonglou-2024-04"
    assert api_client.get("/api/v1/sources?reliability=blog").status_code == 422
