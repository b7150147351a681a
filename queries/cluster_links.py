"""Cross-cluster links (集群间关联): which clusters supply which, through which segment links.

A SUPPLIES edge whose two segments lie in different clusters links those clusters. The links are
grouped by (supplying cluster, supplied cluster), each pair with its segment links, their confidence
and sources, most links first. This is what the overview view draws as arrows between clusters.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_city
>>> items = cluster_links(MemoryStore(tiny_city()))
>>> [(i["source_cluster"], i["target_cluster"], i["link_count"]) for i in items]
[('t-nev', 't-ess', 1)]
>>> items[0]["links"][0]["source"], items[0]["links"][0]["target"]
('t-cell', 't-ess-system')

``list_year`` keeps the pairs whose two clusters are both on that published list:

>>> cluster_links(MemoryStore(tiny_city()), list_year=2024)
[]
"""

from __future__ import annotations

from typing import Any

from graph.model import EdgeKind, NodeKind, Segment
from graph.store import GraphStore
from queries.cache import per_version
from queries.gaps import listed_clusters
from queries.lookup import require


def _all_links(store: GraphStore) -> tuple[dict[str, Any], ...]:
    return per_version(store, "cluster_links", lambda: _group_links(store))


def _group_links(store: GraphStore) -> tuple[dict[str, Any], ...]:
    segments = {n.id: n for n in store.nodes(NodeKind.SEGMENT) if isinstance(n, Segment)}
    clusters = {n.id: n for n in store.nodes(NodeKind.CLUSTER)}
    grouped: dict[tuple[str, str], list[dict[str, Any]]] = {}
    for edge in store.edges(EdgeKind.SUPPLIES):
        a, b = segments.get(edge.source), segments.get(edge.target)
        if a is None or b is None or a.cluster_id == b.cluster_id:
            continue
        grouped.setdefault((a.cluster_id, b.cluster_id), []).append(
            {
                "source": a.id,
                "source_name_zh": a.name_zh,
                "source_name_en": a.name_en,
                "target": b.id,
                "target_name_zh": b.name_zh,
                "target_name_en": b.name_en,
                "confidence": edge.confidence.value,
                "sources": list(edge.sources),
            }
        )
    items: list[dict[str, Any]] = []
    for (source, target), links in grouped.items():
        links.sort(key=lambda link: (link["source"], link["target"]))
        items.append(
            {
                "source_cluster": source,
                "source_cluster_name_zh": clusters[source].name_zh if source in clusters else source,
                "source_cluster_name_en": clusters[source].name_en if source in clusters else source,
                "target_cluster": target,
                "target_cluster_name_zh": clusters[target].name_zh if target in clusters else target,
                "target_cluster_name_en": clusters[target].name_en if target in clusters else target,
                "link_count": len(links),
                "unverified_count": sum(1 for link in links if link["confidence"] != "sourced"),
                "links": links,
                "sources": sorted({s for link in links for s in link["sources"]}),
            }
        )
    items.sort(key=lambda i: (-len(i["links"]), i["source_cluster"], i["target_cluster"]))
    return tuple(items)


def cluster_links(
    store: GraphStore, cluster_id: str | None = None, list_year: int | None = None
) -> list[dict[str, Any]]:
    """Return the cluster pairs joined by SUPPLIES links, most links first; with ``cluster_id``, those touching it.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str, optional
        Keep the pairs where this cluster supplies or is supplied.
    list_year : {2022, 2024}, optional
        Keep the pairs whose two clusters are both on that published list; a ``cluster_id`` must be on it.

    Returns
    -------
    list of dict
        Each with ``source_cluster``, ``target_cluster`` (and their names), ``link_count``,
        ``unverified_count``, ``links`` (segment to segment, with confidence and sources) and ``sources``.

    Raises
    ------
    NodeNotFound
        When ``cluster_id`` names no cluster (with the nearest ids).
    InvalidQuery
        For a ``list_year`` other than 2022 or 2024, or a ``cluster_id`` not on that list (naming ``list_year``).
    """
    if list_year is not None:
        listed_clusters(store, cluster_id, list_year)  # checks the year, and that cluster_id is on that list
    elif cluster_id is not None:
        require(store, cluster_id, NodeKind.CLUSTER)
    items = _all_links(store)
    if cluster_id is not None:
        items = tuple(i for i in items if cluster_id in (i["source_cluster"], i["target_cluster"]))
    listed = listed_clusters(store, None, list_year)
    if listed is not None:
        items = tuple(i for i in items if i["source_cluster"] in listed and i["target_cluster"] in listed)
    return [{**i, "links": [dict(link) for link in i["links"]], "sources": list(i["sources"])} for i in items]
