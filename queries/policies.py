"""Policies (政策) with their instruments, what they target, and which gaps they target or leave alone.

A policy targets a tier, a whole cluster or a segment (TARGETS_TIER,
TARGETS_CLUSTER, TARGETS_SEGMENT). A gap is **targeted** when some policy
targets its segment or a segment above it (``parent_id``): the policy names the
link. Policies that target the gap's whole cluster are listed with the gap
(``cluster_policies``) but do not make it targeted, since they name no link;
tier policies (rewards for 单项冠军 ...) target firms, not links. So
``untargeted=True`` lists the gaps no policy names.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> store = MemoryStore(tiny_layers())
>>> [(p["id"], len(p["instruments"])) for p in list_policies(store)["items"]]
[('pol-capital', 1), ('pol-recycling', 1), ('pol-reward', 3)]
>>> [p["id"] for p in list_policies(store, segment="t-recycling")["items"]]
['pol-capital', 'pol-recycling']
>>> [g["segment_id"] for g in get_policy(store, "pol-recycling")["targeted_gaps"]]
['t-recycling']
>>> [g["segment_id"] for g in policy_gaps(store, cluster="t-nev", untargeted=True)]
['t-lithium', 't-cathode', 't-pack', 't-vehicle']
>>> [p["id"] for p in policy_gaps(store, cluster="t-nev", untargeted=True)[0]["cluster_policies"]]
['pol-capital']
"""

from __future__ import annotations

from typing import Any

from graph.model import EdgeKind, NodeKind, Policy
from graph.store import GraphStore
from queries.gaps import gaps
from queries.layer_data import LayerData, layer_data
from queries.layer_items import brief, instrument_item, source_refs
from queries.lookup import require
from queries.segment_graph import ChainData, chain_data


def _ancestors(data: ChainData, segment_id: str) -> list[str]:
    """The segment and every segment above it (``parent_id``), nearest first (cycle-safe)."""
    out = [segment_id]
    current = data.segments.get(segment_id)
    while current is not None and current.parent_id and current.parent_id not in out:
        out.append(current.parent_id)
        current = data.segments.get(current.parent_id)
    return out


def _policy_item(layers: LayerData, data: ChainData, policy: Policy) -> dict[str, Any]:
    targets: dict[str, list[dict[str, Any]]] = {"tiers": [], "clusters": [], "segments": []}
    for e in layers.targets_of_policy.get(policy.id, []):
        if e.kind is EdgeKind.TARGETS_TIER:
            targets["tiers"].append({**brief(layers.tiers.get(e.target), e.target), "sources": list(e.sources)})
        elif e.kind is EdgeKind.TARGETS_CLUSTER:
            targets["clusters"].append({**brief(data.clusters.get(e.target), e.target), "sources": list(e.sources)})
        else:
            seg = data.segments.get(e.target)
            targets["segments"].append(
                {**brief(seg, e.target), "cluster_id": data.segment_cluster.get(e.target), "sources": list(e.sources)}
            )
    return {
        "id": policy.id,
        "name_zh": policy.name_zh,
        "name_en": policy.name_en,
        "issuer": policy.issuer,
        "date": policy.date or None,
        "doc_no": policy.doc_no,
        "instruments": [instrument_item(i) for i in policy.instruments],
        "targets": targets,
        "sources": list(policy.sources),
        "confidence": policy.confidence.value,
        "note": policy.note,
    }


def _applies(layers: LayerData, data: ChainData, segment_id: str) -> tuple[list[dict[str, Any]], list[str]]:
    """``(targeted_by, cluster policy ids)`` of one segment."""
    targeted = []
    for depth, sid in enumerate(_ancestors(data, segment_id)):
        for pid, kind in layers.policies_targeting.get(sid, []):
            if kind == EdgeKind.TARGETS_SEGMENT.value:
                targeted.append(
                    {**brief(layers.policies[pid]), "via": "segment" if depth == 0 else "parent_segment", "target": sid}
                )
    cluster = data.segment_cluster.get(segment_id, "")
    wide = [pid for pid, kind in layers.policies_targeting.get(cluster, []) if kind == EdgeKind.TARGETS_CLUSTER.value]
    return targeted, wide


def list_policies(
    store: GraphStore,
    *,
    tier: str | None = None,
    cluster: str | None = None,
    segment: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Return ``{"items", "total", "limit", "offset"}`` of policies, sorted by id.

    ``tier`` keeps policies that target the tier; ``cluster`` those that target
    the cluster or one of its segments; ``segment`` those that apply to the
    segment: they target it, a segment above it, or its cluster.

    Raises
    ------
    NodeNotFound
        For an unknown tier, cluster or segment id.
    """
    for value, kind in ((tier, NodeKind.TIER), (cluster, NodeKind.CLUSTER), (segment, NodeKind.SEGMENT)):
        if value:
            require(store, value, kind)
    layers = layer_data(store)
    data = chain_data(store)
    keep = set(layers.policies)
    if tier:
        keep &= {pid for pid, _ in layers.policies_targeting.get(tier, [])}
    if cluster:
        targets = {cluster, *data.cluster_segments(cluster)}
        keep &= {e.source for e in layers.targets if e.target in targets}
    if segment:
        targeted, wide = _applies(layers, data, segment)
        keep &= {p["id"] for p in targeted} | set(wide)
    found = sorted(keep)
    items = [_policy_item(layers, data, layers.policies[p]) for p in found[offset : offset + limit]]
    return {"items": items, "total": len(found), "limit": limit, "offset": offset}


def policy_gaps(
    store: GraphStore,
    cluster: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    min_severity: float | None = None,
    untargeted: bool | None = None,
    has_candidates: bool | None = None,
) -> list[dict[str, Any]]:
    """The gaps of :func:`queries.gaps.gaps`, each with the policies that target it.

    Every item gains ``targeted_by`` (policies naming the segment or a segment
    above it, with ``via`` ``segment`` or ``parent_segment``) and
    ``cluster_policies`` (policies aimed at the whole cluster). ``untargeted``
    ``True`` keeps the gaps no policy names, ``False`` those some policy names.

    Raises
    ------
    NodeNotFound, InvalidQuery
        As :func:`queries.gaps.gaps` does.
    """
    items = gaps(store, cluster, year, kind, min_severity, has_candidates)
    layers = layer_data(store)
    data = chain_data(store)
    out = []
    for item in items:
        targeted, wide = _applies(layers, data, item["segment_id"])
        if untargeted is not None and bool(targeted) == untargeted:
            continue
        item["targeted_by"] = targeted
        item["cluster_policies"] = [brief(layers.policies[pid]) for pid in wide]
        out.append(item)
    return out


def get_policy(store: GraphStore, policy_id: str, year: int | None = None) -> dict[str, Any]:
    """One policy with its instruments, targets, the gaps it targets (as of ``year``) and every source cited.

    ``targeted_gaps`` holds the gaps in the segments the policy targets (or below
    them); ``cluster_gaps`` counts the gaps of each cluster it targets as a whole;
    ``tier_holders`` counts the firms holding each tier it targets.

    Raises
    ------
    NodeNotFound
        For an unknown policy id (with the nearest ids).
    InvalidQuery
        For a year outside 1990–2100.
    """
    node = require(store, policy_id, NodeKind.POLICY)
    assert isinstance(node, Policy)
    layers = layer_data(store)
    data = chain_data(store)
    out = _policy_item(layers, data, node)
    out["description"] = node.description
    all_gaps = gaps(store, None, year)
    out["targeted_gaps"] = [
        g for g in all_gaps if any(t["id"] == node.id for t in _applies(layers, data, g["segment_id"])[0])
    ]
    clusters = {c["id"] for c in out["targets"]["clusters"]}
    out["cluster_gaps"] = {c: sum(1 for g in all_gaps if g["cluster_id"] == c) for c in sorted(clusters)}
    out["tier_holders"] = {
        t["id"]: len(
            {
                e.source
                for e in layers.holders_of_tier.get(t["id"], [])
                if year is None or e.year is None or e.year <= year
            }
        )
        for t in out["targets"]["tiers"]
    }
    edges = layers.targets_of_policy.get(node.id, [])
    cited = {*node.sources, *(s for e in edges for s in e.sources), *(s for i in node.instruments for s in i.sources)}
    out["sources_ref"] = source_refs(store, cited)
    return out
