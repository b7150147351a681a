"""Impact of a segment: what depends on it downstream (transitively) and what it depends on upstream.

Along SUPPLIES over all clusters. A segment stands for its whole subtree (itself and its sub-segments,
``parent_id``, transitively), as a parent does in gap severity (:mod:`queries.severity`): the answer
follows the supply links of every segment of the subtree, and the subtree's own segments are never
listed as its dependents or suppliers. ``downstream`` lists every segment reachable from the subtree,
with its distance (links, from the nearest part), ``via`` (the parts it is that near to) and whether it
depends on the subtree *exclusively* (every supply path to it passes through the subtree, taken as
one node: the subtree dominates it); ``dependent_firms`` lists the local firms of those segments
(sub-segments included), anchors first. ``upstream`` lists every segment the subtree depends on, and
``upstream_gaps`` those of them that are gaps (each with the gap's ``kinds_unverified``; an upstream item
carries it as ``gap_kinds_unverified``, ``[]`` when none). A sub-segment does not take over its parent's links
(``parent`` names the parent, whose own answer has them).

Each downstream and upstream item also says how well its dependence is backed: ``unverified_links``
is the fewest SUPPLIES links marked ``unverified`` on any supply path between it and the subtree, and
``confidence`` is ``sourced`` when some path has none, else ``unverified``. An item's ``distance``
counts every link; its ``sourced_distance`` counts sourced links only (the shortest supply path without an
unverified link, ``None`` when there is none), downstream from the subtree and upstream to it alike: when
the two differ, the nearest path rests on an unverified link and :func:`distance_words` says so ("1 step
(unverified); 2 steps over sourced supply"). ``counts`` gives
``downstream_unverified_only`` (downstream segments reached only through unverified links),
``dependent_local_firms_unverified_only`` and ``upstream_unverified_only``.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> imp = impact(MemoryStore(tiny_chain()), "t-cell")
>>> [(d["id"], d["distance"], d["exclusive"], d["confidence"]) for d in imp["downstream"]]
[('t-pack', 1, True, 'sourced'), ('t-vehicle', 2, True, 'sourced'), ('t-recycling', 3, True, 'sourced')]
>>> [f["id"] for f in imp["dependent_firms"]], [u["id"] for u in imp["upstream"]]
(['f-veh-a', 'f-pack-a'], ['t-anode', 't-cathode', 't-lithium'])
>>> [g["segment_id"] for g in imp["upstream_gaps"]]
['t-lithium', 't-cathode']
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx

from graph.model import NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.chain import firm_brief, segment_brief
from queries.lookup import require
from queries.segment_graph import dominated_sets
from queries.severity import SOURCED, UNVERIFIED, link_confidence  # link_confidence: shared with the gap reasons


def fewest_unverified(
    graph: nx.DiGraph, sources: Iterable[str], confidence: Mapping[tuple[str, str], str], *, reverse: bool = False
) -> dict[str, int]:
    """The fewest ``unverified`` links on any supply path from ``sources`` to each reachable segment.

    With ``reverse`` the paths run upstream (to each segment the sources depend on). The sources
    themselves map to 0.

    Examples
    --------
    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    >>> sorted(fewest_unverified(g, ["a"], {("b", "c"): "unverified", ("a", "c"): "unverified"}).items())
    [('a', 0), ('b', 0), ('c', 1)]
    >>> sorted(fewest_unverified(g, ["c"], {("a", "b"): "unverified"}, reverse=True).items())
    [('a', 0), ('b', 0), ('c', 0)]
    """

    def weight(u: str, v: str, _: Any) -> int:
        pair = (v, u) if reverse else (u, v)
        return 0 if confidence.get(pair, SOURCED) == SOURCED else 1

    walk = graph.reverse(copy=False) if reverse else graph
    found = nx.multi_source_dijkstra_path_length(walk, set(sources), weight=weight)
    return {node: int(cost) for node, cost in found.items()}


def steps_en(count: int) -> str:
    """A number of supply steps in English.

    >>> steps_en(1), steps_en(3)
    ('1 step', '3 steps')
    """
    return f"{count} step{'' if count == 1 else 's'}"


def distance_words(item: Mapping[str, Any]) -> tuple[str, str]:
    """How far a downstream or upstream item lies, in Chinese and English, saying when the nearest path is unverified.

    When ``sourced_distance`` differs from ``distance`` (the shortest path has an unverified link, a
    longer one is sourced throughout) both are named; when there is no sourced path at all
    (``sourced_distance`` ``None``) the item's ``confidence`` already says so and only ``distance`` is
    given, as for an item without ``sourced_distance``.

    Parameters
    ----------
    item : mapping
        A ``downstream`` or ``upstream`` item of :func:`impact`: ``distance`` and, optionally,
        ``sourced_distance``.

    Returns
    -------
    tuple of str
        ``(zh, en)``.

    Examples
    --------
    >>> distance_words({"distance": 2, "sourced_distance": 2})
    ('2 步', '2 steps')
    >>> distance_words({"distance": 1, "sourced_distance": 2})
    ('1 步（待核实），经已证实的供应 2 步', '1 step (unverified); 2 steps over sourced supply')
    >>> distance_words({"distance": 1, "sourced_distance": None})
    ('1 步', '1 step')
    """
    dist, sourced = item["distance"], item.get("sourced_distance")
    if sourced is None or sourced == dist:
        return f"{dist} 步", steps_en(dist)
    return (
        f"{dist} 步（待核实），经已证实的供应 {sourced} 步",
        f"{steps_en(dist)} (unverified); {steps_en(sourced)} over sourced supply",
    )


def sourced_links(graph: nx.DiGraph, confidence: Mapping[tuple[str, str], str]) -> nx.DiGraph:
    """A view of ``graph`` with only its sourced supply links (a pair not in ``confidence`` counts as sourced).

    >>> g = nx.DiGraph([("a", "b"), ("b", "c"), ("a", "c")])
    >>> sorted(sourced_links(g, {("a", "c"): "unverified"}).edges)
    [('a', 'b'), ('b', 'c')]
    """

    def keep(u: str, v: str) -> bool:
        return confidence.get((u, v), SOURCED) == SOURCED

    return nx.subgraph_view(graph, filter_edge=keep)


def _nearest(graph: nx.DiGraph, parts: list[str]) -> tuple[dict[str, int], dict[str, list[str]]]:
    """Links from the nearest of ``parts`` to each reachable node, and which parts are that near."""
    dist: dict[str, int] = {}
    via: dict[str, list[str]] = {}
    for part in parts:  # parts sorted: ``via`` keeps their order
        for node, d in nx.single_source_shortest_path_length(graph, part).items():
            if node not in dist or d < dist[node]:
                dist[node], via[node] = d, [part]
            elif d == dist[node]:
                via[node].append(part)
    return dist, via


def exclusive_dependents(a: Analysis, segment_id: str) -> frozenset[str]:
    """The segments every supply path to which passes through ``segment_id``'s subtree, taken as one node.

    For a segment without sub-segments these are the segments it dominates
    (:attr:`~queries.segment_graph.Structure.dominated`).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> sorted(exclusive_dependents(analysis_for(MemoryStore(tiny_chain())), "t-cell"))
    ['t-pack', 't-recycling', 't-vehicle']
    """
    unit = a.data.subtree.get(segment_id, frozenset({segment_id}))
    if len(unit) == 1:
        return a.structure.dominated.get(segment_id, frozenset())
    graph = a.structure.graph

    def node(sid: str) -> str:
        return segment_id if sid in unit else sid

    contracted = nx.DiGraph()
    contracted.add_nodes_from(sorted({node(n) for n in graph.nodes}))
    contracted.add_edges_from((node(u), node(v)) for u, v in graph.edges if node(u) != node(v))
    return dominated_sets(contracted).get(segment_id, frozenset())


def impact_of(a: Analysis, segment_id: str) -> dict[str, Any]:
    """Build the impact of one segment (its whole subtree) from an analysis."""
    graph = a.structure.graph
    unit = a.data.subtree.get(segment_id, frozenset({segment_id}))
    parts = [segment_id, *sorted(unit - {segment_id})]
    dominated = exclusive_dependents(a, segment_id)
    confidence = link_confidence(a.data)
    down, via = _nearest(graph, parts)
    down_sourced, _ = _nearest(sourced_links(graph, confidence), parts)
    up, _ = _nearest(graph.reverse(copy=False), parts)
    up_sourced, _ = _nearest(sourced_links(graph, confidence).reverse(copy=False), parts)
    down_unverified = fewest_unverified(graph, parts, confidence)
    up_unverified = fewest_unverified(graph, parts, confidence, reverse=True)

    def backing(count: int) -> dict[str, Any]:
        return {"confidence": SOURCED if count == 0 else UNVERIFIED, "unverified_links": count}

    downstream = []
    firm_segments: dict[str, list[str]] = {}
    for sid, dist in sorted(down.items(), key=lambda kv: (kv[1], kv[0])):
        if sid in unit:
            continue
        pres = a.presence[sid]
        downstream.append(
            {
                **segment_brief(a, sid),
                "distance": dist,
                "sourced_distance": down_sourced.get(sid),
                "exclusive": sid in dominated,
                "local_firm_count": pres.local_count,
                **backing(down_unverified[sid]),
                "via": via[sid],
            }
        )
        for fid in pres.local:
            firm_segments.setdefault(fid, []).append(sid)
    upstream = []
    for sid, dist in sorted(up.items(), key=lambda kv: (kv[1], kv[0])):
        if sid in unit:
            continue
        gap = a.gaps.get(sid)
        upstream.append(
            {
                **segment_brief(a, sid),
                "distance": dist,
                "sourced_distance": up_sourced.get(sid),
                "local_firm_count": a.presence[sid].local_count,
                "gap_kind": gap.kind if gap else None,
                "gap_kinds_unverified": list(gap.kinds_unverified) if gap else [],
                **backing(up_unverified[sid]),
            }
        )
    sourced_down = {d["id"] for d in downstream if d["confidence"] == SOURCED}
    dependent = sorted(firm_segments, key=lambda f: (f not in a.anchors, f))
    firm_confidence = {f: SOURCED if sourced_down & set(firm_segments[f]) else UNVERIFIED for f in dependent}
    upstream_gaps = sorted(
        (a.gaps[u["id"]] for u in upstream if u["id"] in a.gaps), key=lambda g: (-g.severity, g.segment_id)
    )
    own = a.presence[segment_id]
    parent_id = a.data.segments[segment_id].parent_id
    return {
        "segment": segment_brief(a, segment_id),
        "local_firms": [{**firm_brief(a, f), "role": r.value} for f, r in own.local.items()],
        "downstream": downstream,
        "dependent_firms": [
            {
                **firm_brief(a, f),
                "is_anchor": f in a.anchors,
                "segment_ids": sorted(firm_segments[f]),
                "confidence": firm_confidence[f],
            }
            for f in dependent
        ],
        "upstream": upstream,
        "upstream_gaps": [
            {
                "segment_id": g.segment_id,
                "kind": g.kind,
                "kinds_unverified": list(g.kinds_unverified),
                "severity": g.severity,
                "explanation_zh": g.explanation_zh,
                "explanation_en": g.explanation_en,
            }
            for g in upstream_gaps
        ],
        "clusters_affected": sorted({d["cluster_id"] for d in downstream}),
        "sub_segments": parts[1:],
        "parent": segment_brief(a, parent_id) if parent_id and parent_id in a.data.segments else None,
        "counts": {
            "downstream_segments": len(downstream),
            "exclusive_dependents": sum(1 for d in downstream if d["exclusive"]),
            "dependent_local_firms": len(dependent),
            "dependent_anchors": sum(1 for f in dependent if f in a.anchors),
            "upstream_segments": len(upstream),
            "upstream_gaps": len(upstream_gaps),
            "downstream_unverified_only": len(downstream) - len(sourced_down),
            "dependent_local_firms_unverified_only": sum(1 for f in dependent if firm_confidence[f] == UNVERIFIED),
            "upstream_unverified_only": sum(1 for u in upstream if u["confidence"] == UNVERIFIED),
        },
    }


def impact(store: GraphStore, segment_id: str, year: int | None = None) -> dict[str, Any]:
    """Return which segments and local firms depend on a segment, and what it depends on.

    The segment stands for its whole subtree (itself and its sub-segments): see the module docstring.

    Parameters
    ----------
    store : GraphStore
    segment_id : str
    year : int, optional
        As-of year for presence facts.

    Returns
    -------
    dict
        ``{"segment", "local_firms", "downstream", "dependent_firms", "upstream",
        "upstream_gaps", "clusters_affected", "sub_segments", "parent", "counts"}``.

    Raises
    ------
    NodeNotFound
        For an unknown segment id (with the nearest ids).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> imp = impact(MemoryStore(tiny_chain()), "t-pack")
    >>> imp["counts"]["downstream_segments"], imp["counts"]["downstream_unverified_only"], imp["sub_segments"]
    (2, 0, [])
    """
    require(store, segment_id, NodeKind.SEGMENT)
    return impact_of(analysis_for(store, year), segment_id)
