"""Resolve source ids to what tooltips and the details panel show: title, publisher, date, address.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> book = SourceBook.from_store(MemoryStore(tiny_chain()))
>>> book.refs(["s-tiny", "s-unknown"])[0]["date"], book.refs(["s-unknown"])[0]["title"]
('2026-11-29', 's-unknown')
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.model import NodeKind, Source
from graph.store import GraphStore


@dataclass
class SourceBook:
    """Every Source node by id, as small JSON-ready dicts."""

    by_id: dict[str, dict[str, Any]] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: GraphStore) -> SourceBook:
        book = cls()
        for node in store.nodes(NodeKind.SOURCE):
            if isinstance(node, Source):
                book.by_id[node.id] = {
                    "id": node.id,
                    "title": node.name_zh,
                    "publisher": node.publisher,
                    "date": node.date,
                    "url": node.url,
                    "doc_no": node.doc_no,
                    "reliability": node.reliability,
                }
        return book

    def refs(self, ids: Iterable[str]) -> list[dict[str, Any]]:
        """The sources named by ``ids`` (an id with no Source node is kept, titled by its id)."""
        out = []
        for sid in dict.fromkeys(ids):
            out.append(self.by_id.get(sid) or {"id": sid, "title": sid, "publisher": "", "date": "", "url": ""})
        return out
