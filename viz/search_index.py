"""The client-side search index every view embeds: each cluster, segment and firm, compactly.

Keys are short because the index ships inside every page: ``k`` kind, ``id``,
``zh`` and ``en`` names, ``aka`` aliases, ``c`` the cluster a segment belongs to.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> index = search_index(MemoryStore(tiny_chain()))
>>> [e for e in index if e["id"] == "f-cell-a"][0]["aka"]
['JiaCell']
>>> sorted({e["k"] for e in index})
['cluster', 'firm', 'segment']
"""

from __future__ import annotations

from typing import Any

from graph.model import Firm, NodeKind, Segment
from graph.store import GraphStore


def search_index(store: GraphStore) -> list[dict[str, Any]]:
    """Return one small entry per cluster, segment and firm, in that order, each sorted by id."""
    out: list[dict[str, Any]] = []
    for kind in (NodeKind.CLUSTER, NodeKind.SEGMENT, NodeKind.FIRM):
        for node in store.nodes(kind):
            entry: dict[str, Any] = {"k": kind.value.lower(), "id": node.id, "zh": node.name_zh}
            if node.name_en:
                entry["en"] = node.name_en
            if isinstance(node, Firm) and node.aliases:
                entry["aka"] = list(node.aliases)
            if isinstance(node, Segment):
                entry["c"] = node.cluster_id
            out.append(entry)
    return out
