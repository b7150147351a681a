"""The client-side search index every view embeds: each cluster, segment and firm, compactly.

Keys are short because the index ships inside every page: ``k`` kind, ``id``, ``zh`` and ``en`` names,
``aka`` aliases, ``c`` the cluster a segment belongs to, ``py`` the full pinyin and the initials of the
Chinese name and aliases (one space-separated string, computed as ``chainkg search`` does, by
:func:`queries.search.pinyin_keys`), ``up`` a firm's parent (SUBSIDIARY_OF: the page also matches a firm
by its parent's names and pinyin, ranked below its own, as ``chainkg search`` does), and ``o`` (1) for a
firm outside Changzhou (ranked after a local firm that matches as well).

What ``chainkg search`` does and the page does not: typo tolerance (``rapidfuzz``) and reading a Chinese
query as pinyin (homophones).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> index = search_index(MemoryStore(tiny_chain()))
>>> cell = [e for e in index if e["id"] == "f-cell-a"][0]
>>> cell["aka"], cell["py"]
(['JiaCell'], 'jiadianchi jdc')
>>> sorted({e["k"] for e in index})
['cluster', 'firm', 'segment']
>>> [e["up"] for e in index if e["id"] == "f-cell-b"]
['f-cell-a']
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.model import EdgeKind, Firm, NodeKind, Segment
from graph.store import GraphStore
from queries.search import has_cjk, pinyin_keys
from viz.style import without_legal_form


def pinyin_text(texts: Iterable[str]) -> str:
    """The full pinyin and initials of every Chinese text, each once, space-separated.

    A firm's legal form (有限公司…) is left off first: nobody types it, and it would add some
    twenty characters to every firm of the index.

    >>> pinyin_text(["宁德时代", "CATL", "宁德时代"]), pinyin_text(["星宇股份有限公司"])
    ('ningdeshidai ndsd', 'xingyu xy')
    """
    keys: dict[str, None] = {}
    for text in texts:
        if text and has_cjk(text):
            keys.update(dict.fromkeys(k for k in pinyin_keys(without_legal_form(text)) if k))
    return " ".join(keys)


def _parents(store: GraphStore) -> dict[str, str]:
    parents: dict[str, str] = {}
    for edge in store.edges(EdgeKind.SUBSIDIARY_OF):
        parents.setdefault(edge.source, edge.target)
    return parents


def search_index(store: GraphStore) -> list[dict[str, Any]]:
    """Return one small entry per cluster, segment and firm, in that order, each sorted by id."""
    out: list[dict[str, Any]] = []
    parents = _parents(store)
    for kind in (NodeKind.CLUSTER, NodeKind.SEGMENT, NodeKind.FIRM):
        for node in store.nodes(kind):
            entry: dict[str, Any] = {"k": kind.value.lower(), "id": node.id, "zh": node.name_zh}
            if node.name_en:
                entry["en"] = node.name_en
            aliases = list(node.aliases) if isinstance(node, Firm) else []
            if aliases:
                entry["aka"] = aliases
            pinyin = pinyin_text([node.name_zh, *aliases])
            if pinyin:
                entry["py"] = pinyin
            if isinstance(node, Segment):
                entry["c"] = node.cluster_id
            if isinstance(node, Firm):
                if node.id in parents:
                    entry["up"] = parents[node.id]
                if not node.is_local:
                    entry["o"] = 1
            out.append(entry)
    return out
