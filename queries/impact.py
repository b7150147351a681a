"""Impact of a segment: what depends on it downstream (transitively) and what it depends on upstream.

Along SUPPLIES over all clusters: ``downstream`` lists every segment reachable
from the segment, with its distance (links) and whether it depends on it
*exclusively* (every supply path to it passes through the segment: the segment
dominates it); ``dependent_firms`` lists the local firms of those segments
(sub-segments included), anchors first. ``upstream`` lists every segment it
depends on, and ``upstream_gaps`` those of them that are gaps.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> imp = impact(MemoryStore(tiny_chain()), "t-cell")
>>> [(d["id"], d["distance"], d["exclusive"]) for d in imp["downstream"]]
[('t-pack', 1, True), ('t-vehicle', 2, True), ('t-recycling', 3, True)]
>>> [f["id"] for f in imp["dependent_firms"]], [u["id"] for u in imp["upstream"]]
(['f-veh-a', 'f-pack-a'], ['t-anode', 't-cathode', 't-lithium'])
>>> [g["segment_id"] for g in imp["upstream_gaps"]]
['t-lithium', 't-cathode']
"""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.model import NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.chain import firm_brief, segment_brief
from queries.lookup import require


def impact_of(a: Analysis, segment_id: str) -> dict[str, Any]:
    """Build the impact of one segment from an analysis."""
    graph = a.structure.graph
    dominated = a.structure.dominated.get(segment_id, frozenset())
    down = nx.single_source_shortest_path_length(graph, segment_id)
    up = nx.single_source_shortest_path_length(graph.reverse(copy=False), segment_id)
    downstream = []
    firm_segments: dict[str, list[str]] = {}
    for sid, dist in sorted(down.items(), key=lambda kv: (kv[1], kv[0])):
        if sid == segment_id:
            continue
        pres = a.presence[sid]
        downstream.append(
            {
                **segment_brief(a, sid),
                "distance": dist,
                "exclusive": sid in dominated,
                "local_firm_count": pres.local_count,
            }
        )
        for fid in pres.local:
            firm_segments.setdefault(fid, []).append(sid)
    upstream = []
    for sid, dist in sorted(up.items(), key=lambda kv: (kv[1], kv[0])):
        if sid == segment_id:
            continue
        gap = a.gaps.get(sid)
        upstream.append(
            {
                **segment_brief(a, sid),
                "distance": dist,
                "local_firm_count": a.presence[sid].local_count,
                "gap_kind": gap.kind if gap else None,
            }
        )
    dependent = sorted(firm_segments, key=lambda f: (f not in a.anchors, f))
    upstream_gaps = sorted(
        (a.gaps[u["id"]] for u in upstream if u["id"] in a.gaps), key=lambda g: (-g.severity, g.segment_id)
    )
    own = a.presence[segment_id]
    return {
        "segment": segment_brief(a, segment_id),
        "local_firms": [{**firm_brief(a, f), "role": r.value} for f, r in own.local.items()],
        "downstream": downstream,
        "dependent_firms": [
            {**firm_brief(a, f), "is_anchor": f in a.anchors, "segment_ids": sorted(firm_segments[f])}
            for f in dependent
        ],
        "upstream": upstream,
        "upstream_gaps": [
            {
                "segment_id": g.segment_id,
                "kind": g.kind,
                "severity": g.severity,
                "explanation_zh": g.explanation_zh,
                "explanation_en": g.explanation_en,
            }
            for g in upstream_gaps
        ],
        "clusters_affected": sorted({d["cluster_id"] for d in downstream}),
        "counts": {
            "downstream_segments": len(downstream),
            "exclusive_dependents": sum(1 for d in downstream if d["exclusive"]),
            "dependent_local_firms": len(dependent),
            "dependent_anchors": sum(1 for f in dependent if f in a.anchors),
            "upstream_segments": len(upstream),
            "upstream_gaps": len(upstream_gaps),
        },
    }


def impact(store: GraphStore, segment_id: str, year: int | None = None) -> dict[str, Any]:
    """Return which segments and local firms depend on a segment, and what it depends on.

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
        "upstream_gaps", "clusters_affected", "counts"}``.

    Raises
    ------
    NodeNotFound
        For an unknown segment id (with the nearest ids).
    """
    require(store, segment_id, NodeKind.SEGMENT)
    return impact_of(analysis_for(store, year), segment_id)
