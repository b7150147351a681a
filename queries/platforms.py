"""智改数转 platforms (lighthouse factories, industrial-internet platforms, smart factories) and the firms running them.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> [(p["id"], [f["id"] for f in p["firms"]]) for p in list_platforms(MemoryStore(tiny_layers()))]
[('plat-lighthouse', ['f-cell-a'])]
"""

from __future__ import annotations

from typing import Any

from graph.errors import InvalidQuery
from graph.model import PlatformCategory
from graph.store import GraphStore
from queries.layer_data import layer_data
from queries.layer_items import brief
from queries.segment_graph import chain_data

CATEGORIES = tuple(c.value for c in PlatformCategory)


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
        out.append(
            {
                "id": node.id,
                "name_zh": node.name_zh,
                "name_en": node.name_en,
                "category": node.category.value,
                "year": node.year,
                "description": node.description,
                "firms": runners.get(node.id, []),
                "sources": list(node.sources),
                "confidence": node.confidence.value,
                "note": node.note,
            }
        )
    return out
