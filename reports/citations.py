"""Number the sources a report cites, in the order they are first cited, for ``[n]`` marks and the appendix.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> cites = Citations.from_store(MemoryStore(tiny_chain()))
>>> cites.cite(["s-tiny", "s-tiny"]), cites.cite(["s-gone", "s-tiny"])
([1], [1, 2])
>>> [(s["n"], s["id"], s["known"]) for s in cites.appendix()]
[(1, 's-tiny', True), (2, 's-gone', False)]
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from graph.store import GraphStore
from reports.labels import MIRROR_RELIABILITY, reliability_label
from viz.sources import SourceBook


@dataclass
class Citations:
    """The sources of a store, and the numbers given to those a report has cited so far."""

    book: SourceBook
    numbers: dict[str, int] = field(default_factory=dict)

    @classmethod
    def from_store(cls, store: GraphStore) -> Citations:
        return cls(SourceBook.from_store(store))

    def cite(self, ids: Iterable[str]) -> list[int]:
        """Number each source id (a new id gets the next number); return the numbers, sorted, without repeats."""
        out = set()
        for sid in ids:
            if not sid:
                continue
            if sid not in self.numbers:
                self.numbers[sid] = len(self.numbers) + 1
            out.add(self.numbers[sid])
        return sorted(out)

    def appendix(self) -> list[dict[str, Any]]:
        """Every cited source in number order, with its reliability label and whether it is a mirror or repost."""
        out = []
        for sid, n in sorted(self.numbers.items(), key=lambda kv: kv[1]):
            known = sid in self.book.by_id
            ref = dict(self.book.by_id.get(sid) or {"id": sid, "title": sid, "publisher": "", "date": ""})
            reliability = str(ref.get("reliability") or "")
            ref.update(
                {
                    "n": n,
                    "known": known,
                    "url": ref.get("url") or "",
                    "doc_no": ref.get("doc_no") or "",
                    "reliability": reliability,
                    "reliability_label": reliability_label(reliability) if known else "未登记 Not in the data",
                    "is_mirror": reliability in MIRROR_RELIABILITY,
                }
            )
            out.append(ref)
        return out
