"""Firms: filtered, paginated lists and one firm with its segments, district and sources.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> page = list_firms(store, FirmFilter(segment="t-cell"))
>>> page["total"], [f["id"] for f in page["items"]]
(3, ['f-cell-a', 'f-cell-b', 'f-cell-c'])
>>> list_firms(store, FirmFilter(q="jiacell"))["items"][0]["id"]
'f-cell-a'
>>> get_firm(store, "f-cell-b")["parent"]["id"]
'f-cell-a'
>>> [f["id"] for f in list_firms(store, FirmFilter(anchor=True))["items"]]
['f-cell-a', 'f-veh-a']
>>> get_firm(store, "f-cell-a")["anchor_of"]
['t-nev']
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from graph.model import Edge, EdgeKind, Firm, NodeKind, Platform, Project, Segment
from graph.store import GraphStore
from queries.analysis import analysis_for
from queries.cache import per_version
from queries.clusters import cluster_firm_sets
from queries.layer_items import investment_text, source_refs
from queries.lookup import normalise, require
from queries.places import place_en
from queries.segment_graph import chain_data


@dataclass(frozen=True)
class FirmFilter:
    """Filters for :func:`list_firms`; every field is optional."""

    q: str | None = None
    cluster: str | None = None
    segment: str | None = None
    district: str | None = None
    tag: str | None = None
    local: bool | None = None
    tier: str | None = None
    """A tier id: firms holding that tier (HOLDS_TIER), e.g. ``tier-champion-firm``."""
    anchor: bool | None = None
    """``True``: anchor firms (链主) only, as :func:`anchor_ids` defines them; ``False``: every other firm."""


def firm_summary(firm: Firm) -> dict[str, Any]:
    """The fields every firm listing shows."""
    return {
        "id": firm.id,
        "name_zh": firm.name_zh,
        "name_en": firm.name_en,
        "aliases": list(firm.aliases),
        "is_local": firm.is_local,
        "district_id": firm.district_id or None,
        "tags": list(firm.tags),
        "confidence": firm.confidence.value,
    }


def anchor_ids(store: GraphStore, cluster_id: str | None = None) -> frozenset[str]:
    """The anchor firms (链主) of the city, or of one cluster, as the chain, the report and the health count them.

    An anchor firm is a local firm with the ``anchor`` role in some segment, or tagged 链主
    (``docs/analysis.md`` §1; :attr:`queries.analysis.Analysis.anchors`). The anchors of a cluster are
    those its chain lists, local firms with the ``anchor`` role in one of its segments (sub-segments
    included), plus any local firm that is 链主 by its tag alone (no ``anchor`` role anywhere) in every
    cluster it operates in. A firm that leads one cluster and only operates in another
    (``catl-jiangsu`` in ``new-energy``) is not an anchor of the second.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str, optional
        An existing cluster id; ``None`` for the whole city.

    Returns
    -------
    frozenset of str
        Firm ids.
    """
    a = analysis_for(store)
    if cluster_id is None:
        return a.anchors
    by_role = {f for sid in a.data.cluster_segments(cluster_id) for f in a.presence[sid].anchors}
    by_tag_only = a.anchors - a.data.anchor_role_firms
    members = cluster_firm_sets(store).get(cluster_id)
    local_members = members["local"] if members else set()
    return frozenset(by_role | (by_tag_only & local_members))


def anchor_clusters(store: GraphStore) -> dict[str, tuple[str, ...]]:
    """Firm id → the ids of the clusters it anchors (:func:`anchor_ids`), sorted; once per data version.

    Only anchor firms are keys. Read-only: it is shared by every caller until the graph changes
    (:mod:`queries.cache`).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_city
    >>> sorted(anchor_clusters(MemoryStore(tiny_city())).items())
    [('f-cell-a', ('t-nev',)), ('f-ess-a', ('t-ess',)), ('f-veh-a', ('t-nev',))]
    """
    return per_version(store, "firm-anchor-clusters", lambda: _anchor_clusters(store))


def _anchor_clusters(store: GraphStore) -> dict[str, tuple[str, ...]]:
    """Firm id → sorted ids of the clusters it anchors, from :func:`anchor_ids` of every cluster."""
    by_firm: dict[str, list[str]] = {}
    for cluster_id in sorted(cluster_firm_sets(store)):  # a cluster with no segments has no anchors
        for firm_id in anchor_ids(store, cluster_id):
            by_firm.setdefault(firm_id, []).append(cluster_id)
    return {firm_id: tuple(ids) for firm_id, ids in by_firm.items()}


def anchor_fields(firm_id: str, anchored: dict[str, tuple[str, ...]]) -> dict[str, Any]:
    """``is_anchor`` and ``anchor_of`` of a firm, from :func:`anchor_clusters`.

    >>> anchor_fields("f-cell-a", {"f-cell-a": ("t-nev",)}), anchor_fields("f-x", {})
    ({'is_anchor': True, 'anchor_of': ['t-nev']}, {'is_anchor': False, 'anchor_of': []})
    """
    clusters = anchored.get(firm_id, ())
    return {"is_anchor": bool(clusters), "anchor_of": list(clusters)}


def _matches(firm: Firm, needle: str) -> bool:
    names = [firm.id, firm.name_zh, firm.name_en, *firm.aliases]
    return any(needle in normalise(n) for n in names if n)


def list_firms(store: GraphStore, flt: FirmFilter, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Return ``{"items", "total", "limit", "offset"}`` of firms matching ``flt``, sorted by id.

    ``q`` matches (case- and width-insensitively) the id, Chinese and English
    names and every alias, of the firm or of its parent (SUBSIDIARY_OF).
    ``cluster`` and ``segment`` keep firms operating there (a segment counts
    with its sub-segments, as the chain and the gaps do), ``tier`` firms holding
    that tier, ``anchor`` the anchor firms (链主, :func:`anchor_ids`; with ``cluster``, that
    cluster's), while ``tag`` is an exact tag (``tag="链主"``: the published label only). Unknown
    cluster, segment, district or tier ids raise ``NodeNotFound``. Each item also carries
    ``is_anchor`` and ``anchor_of``: the clusters the firm anchors (:func:`anchor_clusters`).
    """
    for value, kind in (
        (flt.cluster, NodeKind.CLUSTER),
        (flt.segment, NodeKind.SEGMENT),
        (flt.district, NodeKind.DISTRICT),
        (flt.tier, NodeKind.TIER),
    ):
        if value:
            require(store, value, kind)
    allowed: set[str] | None = None
    if flt.tier:
        allowed = {e.source for e in store.edges(EdgeKind.HOLDS_TIER, target=flt.tier)}
    data = chain_data(store)  # every firm and segment, by id; read once per data version
    if flt.segment:
        below = data.subtree.get(flt.segment, frozenset({flt.segment}))  # as chain, gaps and candidates count
        in_segment = {e.source for sid in below for e in store.edges(EdgeKind.OPERATES_IN, target=sid)}
        allowed = in_segment if allowed is None else allowed & in_segment
    if flt.cluster:
        members = cluster_firm_sets(store).get(flt.cluster)
        in_cluster = members["local"] | members["outside"] if members else set()
        allowed = in_cluster if allowed is None else allowed & in_cluster
    anchors = anchor_ids(store, flt.cluster or None) if flt.anchor is not None else frozenset()
    anchored = anchor_clusters(store)
    needle = normalise(flt.q) if flt.q else ""
    via_parent: set[str] = set()
    if needle:  # a unit is found by its group's names too (宁德时代 → CATL's 溧阳 unit), as search does
        for e in store.edges(EdgeKind.SUBSIDIARY_OF):
            parent = data.firms.get(e.target)
            if parent is not None and _matches(parent, needle):
                via_parent.add(e.source)
    items = []
    for node in data.firms.values():
        if allowed is not None and node.id not in allowed:
            continue
        if flt.district and node.district_id != flt.district:
            continue
        if flt.tag and flt.tag not in node.tags:
            continue
        if flt.local is not None and node.is_local != flt.local:
            continue
        if flt.anchor is not None and (node.id in anchors) != flt.anchor:
            continue
        if needle and node.id not in via_parent and not _matches(node, needle):
            continue
        items.append({**firm_summary(node), **anchor_fields(node.id, anchored)})
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}


def get_firm(store: GraphStore, firm_id: str) -> dict[str, Any]:
    """Return one firm with the clusters it anchors, its segments (and roles), district, parent, subsidiaries,
    suppliers, customers, tiers, the projects it builds, the platforms it runs, and the
    sources behind all of these (every relation also carries its own)."""
    firm = require(store, firm_id, NodeKind.FIRM)
    assert isinstance(firm, Firm)
    out = {**firm_summary(firm), **anchor_fields(firm.id, anchor_clusters(store))}
    out.update({"hq": firm.hq, "hq_en": place_en(firm.hq) if firm.hq else "", "scale": firm.scale, "note": firm.note})
    cited = set(firm.sources)
    known = chain_data(store)  # nodes by id, read once per data version: no look-up per neighbour
    segments = []
    for e in store.edges(EdgeKind.OPERATES_IN, source=firm.id):
        seg = known.segments.get(e.target)
        if isinstance(seg, Segment):
            cited.update(e.sources)
            segments.append(
                {
                    "id": seg.id,
                    "name_zh": seg.name_zh,
                    "name_en": seg.name_en,
                    "cluster_id": seg.cluster_id,
                    "position": seg.position.value,
                    "role": e.role.value if e.role else None,
                    "sources": list(e.sources),
                    "confidence": e.confidence.value,
                }
            )
    out["segments"] = segments
    district = known.districts.get(firm.district_id) if firm.district_id else None
    out["district"] = (
        {"id": district.id, "name_zh": district.name_zh, "name_en": district.name_en} if district else None
    )

    def brief(node_id: str) -> dict[str, Any]:
        node = known.firms.get(node_id) or store.node(node_id)
        return {"id": node_id, "name_zh": node.name_zh if node else "", "name_en": node.name_en if node else ""}

    def related(node_id: str, edge: Edge) -> dict[str, Any]:
        """A neighbour and the sources of the edge that relates it (every edge carries its own)."""
        return {**brief(node_id), "sources": list(edge.sources), "confidence": edge.confidence.value}

    parents = store.edges(EdgeKind.SUBSIDIARY_OF, source=firm.id)
    subsidiaries = store.edges(EdgeKind.SUBSIDIARY_OF, target=firm.id)
    suppliers = store.edges(EdgeKind.SUPPLIES_TO, target=firm.id)
    customers = store.edges(EdgeKind.SUPPLIES_TO, source=firm.id)
    held = store.edges(EdgeKind.HOLDS_TIER, source=firm.id)
    out["parent"] = related(parents[0].target, parents[0]) if parents else None
    out["subsidiaries"] = [related(e.source, e) for e in subsidiaries]
    out["suppliers"] = [related(e.source, e) for e in suppliers]
    out["customers"] = [related(e.target, e) for e in customers]
    out["tiers"] = [{**related(e.target, e), "year": e.year, "batch": e.batch} for e in held]
    built = store.edges(EdgeKind.BUILT_BY, target=firm.id)
    runs = store.edges(EdgeKind.RUNS, source=firm.id)
    projects = []
    for e in built:
        project = store.node(e.source)
        if isinstance(project, Project):
            projects.append(
                {
                    **related(project.id, e),
                    "year": project.year,
                    "status": project.status.value,
                    "investment_text": investment_text(project),
                }
            )
    out["projects"] = sorted(projects, key=lambda p: (p["year"] is None, p["year"] or 0, p["id"]))
    platforms = [(store.node(e.target), e) for e in runs]
    out["platforms"] = [
        {**related(node.id, e), "category": node.category.value} for node, e in platforms if isinstance(node, Platform)
    ]
    for e in [
        *parents,
        *subsidiaries,
        *suppliers,
        *customers,
        *store.edges(EdgeKind.LOCATED_IN, source=firm.id),
        *held,
        *built,
        *runs,
    ]:
        cited.update(e.sources)
    out["sources"] = source_refs(store, cited)
    return out
