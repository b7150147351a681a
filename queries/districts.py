"""Districts (区/县级市, and parks within them): the ids the ``district`` filters take, with what each holds.

A district's counts are what the filters give for it: ``local_firm_count`` is the ``total`` of
``/api/v1/firms?district=ID&local=true`` (firms whose ``district_id`` is the district itself),
``project_count`` that of ``/api/v1/projects?district=ID`` (projects sited in the district or in
a park within it), and ``platform_count`` counts the 智改数转 platforms run by its firms (a
platform records no site of its own: the firm that runs it gives the place).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> store = MemoryStore(tiny_layers())
>>> page = list_districts(store)
>>> [(d["id"], d["local_firm_count"], d["project_count"], d["platform_count"]) for d in page["items"]]
[('d-liyang', 3, 2, 1), ('d-wujin', 5, 2, 0)]
>>> one = get_district(store, "d-liyang")
>>> [p["id"] for p in one["projects"]], [p["id"] for p in one["platforms"]]
(['prj-cell-1', 'prj-cell-2'], ['plat-lighthouse'])
"""

from __future__ import annotations

from typing import Any

from graph.model import Confidence, District, Edge, EdgeKind, Firm, NodeKind, Project
from graph.store import GraphStore
from queries.firms import anchor_clusters, anchor_fields
from queries.layer_data import LayerData, layer_data
from queries.layer_items import brief, investment_text, source_refs
from queries.lookup import require
from queries.segment_graph import ChainData, chain_data


def _places(data: ChainData, district_id: str) -> set[str]:
    """The district and the parks within it (``parent_id``): where ``/projects?district=`` looks."""
    return {district_id} | {d.id for d in data.districts.values() if d.parent_id == district_id}


def _firms_of(data: ChainData, district_id: str) -> list[Firm]:
    """The firms whose ``district_id`` is the district, sorted by id (as ``/firms?district=`` keeps them)."""
    return [f for f in data.firms.values() if f.district_id == district_id]


def _projects_of(layers: LayerData, places: set[str]) -> list[Project]:
    """The projects sited in one of ``places``, by year (undated last), then id, as the project list sorts."""
    found = [layers.projects[p] for p, ds in layers.districts_of_project.items() if places & set(ds)]
    return sorted(found, key=lambda p: (p.year is None, p.year or 0, p.id))


def _platforms_of(layers: LayerData, firm_ids: set[str]) -> list[str]:
    """The ids of the platforms run by one of ``firm_ids``, sorted."""
    return sorted({e.target for e in layers.runs if e.source in firm_ids and e.target in layers.platforms})


def _link_confidence(links: list[Edge]) -> str:
    """``sourced`` when one of ``links`` is sourced (one suffices to place it), else ``unverified``.

    >>> _link_confidence([]), _link_confidence([Edge(kind="SITED_IN", source="p", target="d", sources=("s",))])
    ('unverified', 'sourced')
    """
    sourced = any(e.confidence is Confidence.SOURCED for e in links)
    return (Confidence.SOURCED if sourced else Confidence.UNVERIFIED).value


def _district_item(data: ChainData, layers: LayerData, node: District) -> dict[str, Any]:
    """One district as the list shows it: names, parent, counts, sources."""
    firms = _firms_of(data, node.id)
    return {
        "id": node.id,
        "name_zh": node.name_zh,
        "name_en": node.name_en,
        "parent_id": node.parent_id or None,
        "local_firm_count": sum(1 for f in firms if f.is_local),
        "project_count": len(_projects_of(layers, _places(data, node.id))),
        "platform_count": len(_platforms_of(layers, {f.id for f in firms})),
        "sources": list(node.sources),
        "confidence": node.confidence.value,
        "note": node.note,
    }


def list_districts(store: GraphStore, *, limit: int = 50, offset: int = 0) -> dict[str, Any]:
    """Return ``{"items", "total", "limit", "offset"}`` of every district, sorted by id.

    Parameters
    ----------
    store : GraphStore
    limit : int
        Items on the page (the API takes 1–500).
    offset : int
        Items skipped.

    Returns
    -------
    dict
        Each item has ``id``, ``name_zh``, ``name_en``, ``parent_id`` (null for a district, the
        district's id for a park), ``local_firm_count``, ``project_count``, ``platform_count``
        (see the module's docstring), ``sources``, ``confidence`` and ``note``.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_layers
    >>> page = list_districts(MemoryStore(tiny_layers()), limit=1, offset=1)
    >>> [d["id"] for d in page["items"]], page["total"], page["limit"], page["offset"]
    (['d-wujin'], 2, 1, 1)
    """
    data = chain_data(store)
    layers = layer_data(store)
    nodes = sorted(data.districts.values(), key=lambda d: d.id)
    items = [_district_item(data, layers, d) for d in nodes[offset : offset + limit]]
    return {"items": items, "total": len(nodes), "limit": limit, "offset": offset}


def get_district(store: GraphStore, district_id: str) -> dict[str, Any]:
    """Return one district with its firms, projects and platforms, and every source cited.

    Parameters
    ----------
    store : GraphStore
    district_id : str
        A district id, e.g. ``wujin`` (:func:`list_districts` lists them).

    Returns
    -------
    dict
        The fields of a :func:`list_districts` item, and ``parent`` (``{id, name_zh, name_en}`` or
        null), ``sub_districts`` (the parks within it), ``firms`` (each with ``is_local``,
        ``is_anchor``, ``anchor_of`` and the ``sources`` and ``confidence`` of its LOCATED_IN link),
        ``projects`` (each with year, status, investment, ``districts``: the district or parks it is
        sited in, and the ``sources`` and ``confidence`` of those SITED_IN links), ``platforms`` (run by its firms, with
        those firms' ids) and ``sources_ref``: the district's sources and those of every link listed.

    Raises
    ------
    NodeNotFound
        When no district has this id (with the nearest ids).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_layers
    >>> one = get_district(MemoryStore(tiny_layers()), "d-wujin")
    >>> [f["id"] for f in one["firms"]]
    ['f-anode-a', 'f-cathode-a', 'f-cell-c', 'f-pack-a', 'f-veh-a']
    >>> [(p["id"], p["year"], p["districts"]) for p in one["projects"]]
    [('prj-lithium', 2023, ['d-wujin']), ('prj-recycle', 2024, ['d-wujin'])]
    """
    node = require(store, district_id, NodeKind.DISTRICT)
    assert isinstance(node, District)
    data = chain_data(store)
    layers = layer_data(store)
    out = _district_item(data, layers, node)
    parent = data.districts.get(node.parent_id) if node.parent_id else None
    out["parent"] = brief(parent, node.parent_id) if node.parent_id else None
    out["sub_districts"] = [
        brief(d) for d in sorted(data.districts.values(), key=lambda d: d.id) if d.parent_id == node.id
    ]
    cited = set(node.sources)

    located = {e.source: e for e in store.edges(EdgeKind.LOCATED_IN, target=node.id)}
    anchored = anchor_clusters(store)
    firms = _firms_of(data, node.id)
    out["firms"] = []
    for firm in firms:
        edge = located.get(firm.id)
        cited.update(edge.sources if edge else ())
        out["firms"].append(
            {
                **brief(firm),
                "is_local": firm.is_local,
                **anchor_fields(firm.id, anchored),
                "sources": list(edge.sources) if edge else [],
                "confidence": edge.confidence.value if edge else firm.confidence.value,
            }
        )

    places = _places(data, node.id)
    sited = {(e.source, e.target): e for e in layers.sited_in if e.target in places}
    out["projects"] = []
    for project in _projects_of(layers, places):
        links = [e for (p, _), e in sorted(sited.items()) if p == project.id]
        cited.update(s for e in links for s in e.sources)
        out["projects"].append(
            {
                **brief(project),
                "year": project.year,
                "status": project.status.value,
                "investment_text": investment_text(project),
                "districts": [e.target for e in links],
                "sources": sorted({s for e in links for s in e.sources}),
                "confidence": _link_confidence(links),
            }
        )

    firm_ids = {f.id for f in firms}
    out["platforms"] = []
    for pid in _platforms_of(layers, firm_ids):
        platform = layers.platforms[pid]
        runs = [e for e in layers.runs if e.target == pid and e.source in firm_ids]
        cited.update(s for e in runs for s in e.sources)
        out["platforms"].append(
            {
                **brief(platform),
                "category": platform.category.value,
                "firms": [e.source for e in runs],
                "sources": sorted({s for e in runs for s in e.sources}),
                "confidence": platform.confidence.value,
            }
        )
    out["sources_ref"] = source_refs(store, cited)
    return out
