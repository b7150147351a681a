"""Look up nodes by id, with the nearest ids suggested when one is missing.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> require(store, "t-cell", "Segment").name_en
'Battery cells'
>>> try:
...     require(store, "t-cel", "Segment")
... except NodeNotFound as err:
...     print(err.suggestions[0])
t-cell
"""

from __future__ import annotations

import difflib

from graph.errors import NodeNotFound
from graph.model import Node, NodeKind
from graph.store import GraphStore


def nearest_ids(store: GraphStore, node_id: str, kind: NodeKind | str, limit: int = 5) -> list[str]:
    """Return up to ``limit`` ids of ``kind`` closest to ``node_id`` (by similarity), best first."""
    ids = [n.id for n in store.nodes(kind)]
    close = difflib.get_close_matches(node_id.lower(), ids, n=limit, cutoff=0.5)
    if len(close) < limit:
        close += [i for i in ids if node_id.lower() in i and i not in close][: limit - len(close)]
    return close


def require(store: GraphStore, node_id: str, kind: NodeKind | str) -> Node:
    """Return the node ``node_id`` of ``kind``, or raise :class:`NodeNotFound` with suggestions."""
    node = store.node(node_id)
    wanted = NodeKind(kind).value
    if node is None or node.kind != wanted:
        raise NodeNotFound(wanted.lower(), node_id, nearest_ids(store, node_id, wanted))
    return node
