"""One segment in detail: presence, firms, neighbours in the chain, related segments and its gap.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> s = get_segment(MemoryStore(tiny_chain()), "t-cathode")
>>> s["status"], [u["id"] for u in s["upstream"]], [d["id"] for d in s["downstream"]], s["gap"]["kind"]
('weak', ['t-lithium'], ['t-cell'], 'weak')
>>> s["upstream"][0]["confidence"]  # of the supply link to the neighbour
'sourced'
>>> [f["id"] for f in s["outside_firms"]]
['o-cath-a']
"""

from __future__ import annotations

from typing import Any

from graph.model import NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.chain import firm_brief, segment_brief, segment_entry
from queries.gaps import gap_item
from queries.impact import link_confidence
from queries.lookup import require

RELATED_SHOWN = 10
"""How many related segments (highest proximity first) a segment shows."""


def segment_detail(a: Analysis, segment_id: str) -> dict[str, Any]:
    """Build the detail of one segment from an analysis."""
    data = a.data
    seg = data.segments[segment_id]
    out = segment_entry(a, segment_id)
    cluster = data.clusters.get(out["cluster_id"])
    out["cluster"] = {"id": cluster.id, "name_zh": cluster.name_zh, "name_en": cluster.name_en} if cluster else None
    out["parent"] = segment_brief(a, seg.parent_id) if seg.parent_id in data.segments else None
    out["children"] = [segment_brief(a, c) for c in data.children.get(segment_id, [])]
    graph = a.structure.graph
    confidence = link_confidence(data)

    def neighbour(sid: str, link: tuple[str, str]) -> dict[str, Any]:
        brief = segment_brief(a, sid)
        brief["cross_cluster"] = brief["cluster_id"] != out["cluster_id"]
        brief["confidence"] = confidence.get(link, "sourced")
        return brief

    out["upstream"] = [neighbour(s, (s, segment_id)) for s in sorted(graph.predecessors(segment_id))]
    out["downstream"] = [neighbour(s, (segment_id, s)) for s in sorted(graph.successors(segment_id))]
    pres = a.presence[segment_id]
    out["outside_firms"] = [{**firm_brief(a, f), "role": role.value} for f, role in pres.outside.items()]
    related = sorted(a.phi.get(segment_id, {}).items(), key=lambda kv: (-kv[1], kv[0]))[:RELATED_SHOWN]
    out["related_segments"] = [
        {**segment_brief(a, sid), "proximity": phi, "present": a.presence[sid].is_present} for sid, phi in related
    ]
    gap = a.gaps.get(segment_id)
    out["gap"] = gap_item(a, gap) if gap else None
    return out


def get_segment(store: GraphStore, segment_id: str, year: int | None = None) -> dict[str, Any]:
    """Return one segment with its presence, firms, neighbours, related segments and gap.

    Raises
    ------
    NodeNotFound
        For an unknown segment id (with the nearest ids).
    """
    require(store, segment_id, NodeKind.SEGMENT)
    return segment_detail(analysis_for(store, year), segment_id)
