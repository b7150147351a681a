"""智改数转 platforms (lighthouse factories, industrial-internet platforms, smart factories) and the firms running them.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> store = MemoryStore(tiny_layers())
>>> [(p["id"], [f["id"] for f in p["firms"]]) for p in list_platforms(store)]
[('plat-lighthouse', ['f-cell-a'])]
>>> one = get_platform(store, "plat-lighthouse")
>>> [(f["id"], f["year"], f["district_id"], f["sources"]) for f in one["firms"]]
[('f-cell-a', 2022, 'd-liyang', ['s-tiny'])]
"""

from __future__ import annotations

from typing import Any

from graph.errors import InvalidQuery
from graph.model import NodeKind, Platform, PlatformCategory
from graph.store import GraphStore
from queries.layer_data import layer_data
from queries.layer_items import brief, source_refs
from queries.lookup import require
from queries.segment_graph import chain_data

CATEGORIES = tuple(c.value for c in PlatformCategory)


def _platform_item(node: Platform, firms: list[dict[str, Any]]) -> dict[str, Any]:
    """A platform as the list shows it, with ``firms`` (the firms that run it) given."""
    return {
        "id": node.id,
        "name_zh": node.name_zh,
        "name_en": node.name_en,
        "category": node.category.value,
        "year": node.year,
        "description": node.description,
        "firms": firms,
        "sources": list(node.sources),
        "confidence": node.confidence.value,
        "note": node.note,
    }


def list_platforms(store: GraphStore, category: str | None = None) -> list[dict[str, Any]]:
    """Every platform (of one ``category``, if given), sorted by id, with the firms that run it.

    Raises
    ------
    InvalidQuery
        For an unknown category.
    """
    if category is not None and category not in CATEGORIES:
        raise InvalidQuery(
            f"category must be one of {', '.join(CATEGORIES)}; got {category!r}", param="category", value=category
        )
    layers = layer_data(store)
    firms = chain_data(store).firms
    runners: dict[str, list[dict[str, Any]]] = {}
    for e in layers.runs:
        runners.setdefault(e.target, []).append({**brief(firms.get(e.source), e.source), "year": e.year})
    out = []
    for pid in sorted(layers.platforms):
        node = layers.platforms[pid]
        if category is not None and node.category.value != category:
            continue
        out.append(_platform_item(node, runners.get(node.id, [])))
    return out


def get_platform(store: GraphStore, platform_id: str) -> dict[str, Any]:
    """Return one platform with the firms that run it and every source cited.

    Parameters
    ----------
    store : GraphStore
    platform_id : str
        A platform id, e.g. ``plat-catl-liyang-lighthouse``.

    Returns
    -------
    dict
        The fields of a :func:`list_platforms` item; each firm also has ``is_local``, ``district_id``
        and the ``sources``, ``confidence`` and ``note`` of its RUNS link; ``sources_ref`` describes
        every source cited by the platform and those links.

    Raises
    ------
    NodeNotFound
        When no platform has this id (with the nearest ids).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_layers
    >>> [s["id"] for s in get_platform(MemoryStore(tiny_layers()), "plat-lighthouse")["sources_ref"]]
    ['s-tiny']
    """
    node = require(store, platform_id, NodeKind.PLATFORM)
    assert isinstance(node, Platform)
    firms = chain_data(store).firms
    runs = [e for e in layer_data(store).runs if e.target == node.id]
    runners = []
    for e in runs:
        firm = firms.get(e.source)
        runners.append(
            {
                **brief(firm, e.source),
                "year": e.year,
                "is_local": firm.is_local if firm is not None else None,
                "district_id": (firm.district_id or None) if firm is not None else None,
                "sources": list(e.sources),
                "confidence": e.confidence.value,
                "note": e.note,
            }
        )
    out = _platform_item(node, runners)
    out["sources_ref"] = source_refs(store, set(node.sources) | {s for e in runs for s in e.sources})
    return out
