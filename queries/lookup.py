"""Look up nodes by id, with the nearest ids suggested when one is missing.

A missing id is compared with the ids of its kind and with their names: a user who types a name
where the id belongs (``宁德时代``, ``CATL``, ``新能源``) is pointed to the ids that carry it.

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
>>> nearest_ids(store, "电芯", "Segment")
['t-cell']
"""

from __future__ import annotations

import difflib
import unicodedata

from graph.errors import NodeNotFound
from graph.model import Node, NodeKind
from graph.store import GraphStore

MIN_NAME_QUERY = 2
"""Characters a missing id needs before names containing it are suggested (one matches too much)."""


def _fold(text: str) -> str:
    """NFKC, lower case, no white space: ``"ＣＡＴＬ  Jiangsu"`` -> ``"catljiangsu"``."""
    return "".join(unicodedata.normalize("NFKC", text).lower().split())


def _names(node: Node) -> list[str]:
    names = [node.name_zh, node.name_en, *getattr(node, "aliases", ())]
    return [folded for folded in map(_fold, names) if folded]


def _name_matches(nodes: list[Node], query: str) -> list[tuple[int, str]]:
    """``(rank, id)`` of the nodes whose name or alias equals ``query`` (rank 0) or contains it (rank 1).

    Best first: rank, then the shorter name (the closer match), then id, so both stores agree.
    """
    ranked: list[tuple[int, int, str]] = []
    for node in nodes:
        best: tuple[int, int] | None = None
        for name in _names(node):
            if name == query:
                rank = (0, len(name))
            elif len(query) >= MIN_NAME_QUERY and query in name:
                rank = (1, len(name))
            else:
                continue
            best = rank if best is None else min(best, rank)
        if best is not None:
            ranked.append((*best, node.id))
    return [(rank, node_id) for rank, _length, node_id in sorted(ranked)]


def nearest_ids(store: GraphStore, node_id: str, kind: NodeKind | str, limit: int = 5) -> list[str]:
    """Return up to ``limit`` ids of ``kind`` closest to ``node_id``, best first.

    First the ids whose name or alias is ``node_id`` (case, width and spaces ignored), then ids
    similar to it (:func:`difflib.get_close_matches`), then ids whose names contain it, then ids
    that contain it.
    """
    nodes = list(store.nodes(kind))
    ids = [n.id for n in nodes]
    query = _fold(node_id)
    by_name = _name_matches(nodes, query) if query else []
    exact = [i for rank, i in by_name if rank == 0]
    close = difflib.get_close_matches(node_id.lower(), ids, n=limit, cutoff=0.5)
    named = [i for rank, i in by_name if rank == 1]
    containing = [i for i in ids if query and query in i]
    out: list[str] = []
    for candidate in (*exact, *close, *named, *containing):
        if candidate not in out:
            out.append(candidate)
    return out[:limit]


def require(store: GraphStore, node_id: str, kind: NodeKind | str) -> Node:
    """Return the node ``node_id`` of ``kind``, or raise :class:`NodeNotFound` with suggestions."""
    node = store.node(node_id)
    wanted = NodeKind(kind).value
    if node is None or node.kind != wanted:
        raise NodeNotFound(wanted.lower(), node_id, nearest_ids(store, node_id, wanted))
    return node
