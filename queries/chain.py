"""A cluster's chain: its segments upstream → downstream, local presence in each, and the links.

Segments are ordered topologically by SUPPLIES among the cluster's segments,
ties broken by position (upstream, midstream, downstream, support), then id.
``local_firm_count`` counts local firms in the segment and its sub-segments
(each firm once); ``direct_local_firm_count`` only those in the segment itself.
``links`` are the SUPPLIES edges with at least one end in the cluster;
``cross_cluster`` marks those whose other end lies in another cluster (that
segment is described under ``external_segments``).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain, tiny_city
>>> c = chain(MemoryStore(tiny_chain()), "t-nev")
>>> [s["id"] for s in c["segments"]]
['t-anode', 't-lithium', 't-cathode', 't-cell', 't-pack', 't-vehicle', 't-recycling']
>>> cell = c["segments"][3]
>>> cell["local_firm_count"], cell["status"], [f["id"] for f in cell["anchor_firms"]], cell["firms_by_district"]
(3, 'strong', ['f-cell-a'], {'d-liyang': ['f-cell-a', 'f-cell-b'], 'd-wujin': ['f-cell-c']})
>>> [(l["source"], l["target"], l["cross_cluster"]) for l in chain(MemoryStore(tiny_city()), "t-ess")["links"]][:1]
[('t-cell', 't-ess-system', True)]
"""

from __future__ import annotations

from typing import Any

from graph.model import Cluster, NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.lookup import require
from queries.segment_graph import chain_order

UNKNOWN_DISTRICT = "unknown"
"""Key of ``firms_by_district`` for local firms without a district."""


def firm_brief(a: Analysis, firm_id: str) -> dict[str, Any]:
    """``{id, name_zh, name_en}`` of a firm."""
    firm = a.data.firms.get(firm_id)
    return {"id": firm_id, "name_zh": firm.name_zh if firm else "", "name_en": firm.name_en if firm else ""}


def segment_brief(a: Analysis, segment_id: str) -> dict[str, Any]:
    """``{id, name_zh, name_en, cluster_id, position, status}`` of a segment."""
    seg = a.data.segments[segment_id]
    return {
        "id": seg.id,
        "name_zh": seg.name_zh,
        "name_en": seg.name_en,
        "cluster_id": a.data.segment_cluster.get(seg.id, seg.cluster_id),
        "position": seg.position.value,
        "status": a.presence[seg.id].status,
    }


def segment_entry(a: Analysis, segment_id: str) -> dict[str, Any]:
    """The chain's view of one segment: presence, anchors, firms by district and its gap."""
    seg = a.data.segments[segment_id]
    pres = a.presence[segment_id]
    by_district: dict[str, list[str]] = {}
    for fid in pres.local:
        district = a.data.firms[fid].district_id or UNKNOWN_DISTRICT
        by_district.setdefault(district, []).append(fid)
    gap = a.gaps.get(segment_id)
    return {
        "id": seg.id,
        "name_zh": seg.name_zh,
        "name_en": seg.name_en,
        "position": seg.position.value,
        "parent_id": seg.parent_id or None,
        "cluster_id": a.data.segment_cluster.get(seg.id, seg.cluster_id),
        "status": pres.status,
        "local_firm_count": pres.local_count,
        "direct_local_firm_count": len(pres.direct_local),
        "outside_firm_count": len(pres.outside),
        "anchor_firms": [firm_brief(a, f) for f in pres.anchors],
        "local_firms": [{**firm_brief(a, f), "role": role.value} for f, role in pres.local.items()],
        "firms_by_district": {d: sorted(ids) for d, ids in sorted(by_district.items())},
        "gap_kind": gap.kind if gap else None,
        "gap_kinds": list(gap.kinds) if gap else [],
        "gap_kinds_unverified": list(gap.kinds_unverified) if gap else [],
        "severity": gap.severity if gap else None,
        "relatedness_density": a.omega.get(seg.id, 0.0),
        "description": seg.description,
        "confidence": seg.confidence.value,
        "sources": list(seg.sources),
    }


def chain_of(a: Analysis, cluster: Cluster) -> dict[str, Any]:
    """Build the chain of ``cluster`` from an analysis (used by :func:`chain` and what-if)."""
    members = a.data.cluster_segments(cluster.id)
    order = chain_order(a.structure, a.data, members)
    inside = set(members)
    links = []
    external: set[str] = set()
    for e in a.data.supplies:
        if e.source not in inside and e.target not in inside:
            continue
        cross = not (e.source in inside and e.target in inside)
        if cross:
            external.add(e.target if e.source in inside else e.source)
        links.append(
            {
                "source": e.source,
                "target": e.target,
                "cross_cluster": cross,
                "confidence": e.confidence.value,
                "sources": list(e.sources),
            }
        )
    segments = [segment_entry(a, sid) for sid in order]
    statuses = [s["status"] for s in segments]
    districts = sorted({d for s in segments for d in s["firms_by_district"]} - {UNKNOWN_DISTRICT})
    return {
        "cluster": {"id": cluster.id, "name_zh": cluster.name_zh, "name_en": cluster.name_en},
        "year": a.data.year,
        "segments": segments,
        "links": links,
        "external_segments": [segment_brief(a, sid) for sid in sorted(external) if sid in a.data.segments],
        "districts": {d: a.data.districts[d].name_zh for d in districts if d in a.data.districts},
        "districts_en": {
            d: a.data.districts[d].name_en or a.data.districts[d].name_zh for d in districts if d in a.data.districts
        },
        "summary": {
            "segment_count": len(segments),
            **{f"{status}_count": statuses.count(status) for status in ("strong", "present", "weak", "missing")},
            "gap_count": sum(1 for s in segments if s["gap_kind"]),
            "local_firm_count": len({f["id"] for s in segments for f in s["local_firms"]}),
        },
    }


def chain(store: GraphStore, cluster_id: str, year: int | None = None) -> dict[str, Any]:
    """Return a cluster's chain: segments upstream → downstream, with presence, and the links.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str
    year : int, optional
        As-of year: OPERATES_IN, SUPPLIES_TO and SUBSIDIARY_OF facts dated later are ignored.

    Returns
    -------
    dict
        ``{"cluster", "year", "segments": [...], "links": [...], "external_segments",
        "districts", "districts_en", "summary"}``; each segment has ``id``, ``name_zh``, ``name_en``,
        ``position``, ``parent_id``, ``status``, ``local_firm_count``, ``anchor_firms``,
        ``firms_by_district`` (district id → local firm ids), its gap kind and severity, and
        ``gap_kinds_unverified`` (the gap's ``kinds_unverified``: kinds resting only on unverified supply
        links; ``[]`` when none).

    Raises
    ------
    NodeNotFound
        For an unknown cluster id (with the nearest ids).
    InvalidQuery
        For a year outside 1990–2100.
    """
    cluster = require(store, cluster_id, NodeKind.CLUSTER)
    assert isinstance(cluster, Cluster)
    return chain_of(analysis_for(store, year), cluster)
