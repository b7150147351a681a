"""The client-side search index of the views: each cluster, segment and firm, compactly.

A view written by ``chainkg render`` (a file, opened offline) embeds the index in its own data. A view the
server sends does not (review 16b H2: at 10^5 firms the index made every page 15 MB): it loads it once from
``/views/search-index/<digest>.js`` (:func:`index_script`), a script whose URL names its content, so the
browser keeps it for good (``immutable``) and reuses it on every page until an import changes the data and so
the URL; the page's Content-Security-Policy allows exactly that script by its SHA-256 hash, which the page also
puts in the script's ``integrity`` (``viz/render.py``, docs/views.md).

Keys are short because the index ships to every browser: ``k`` kind, ``id``, ``zh`` and ``en`` names,
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

import base64
import gzip
import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from graph.model import EdgeKind, Firm, NodeKind, Segment
from graph.store import GraphStore
from queries.cache import per_version
from queries.search import has_cjk, pinyin_keys
from viz.style import without_legal_form

INDEX_PATH = "search-index/{digest}.js"
"""Where a served view loads the index from, under ``/views/`` (``api/routes/views.py``)."""

INDEX_GLOBAL = "chainkgSearchIndex"
"""The global the index script sets (``window.chainkgSearchIndex = [...]``); the page's script reads it."""

EAGER_ENTRIES = 20_000
"""Up to this many entries a served view starts loading the index as soon as it opens (the bundled data: some
650 entries, 114 KB); a larger index (13 MB at 10^5 firms, 1.5 MB gzipped) is loaded on the first use of the
search box (focus, pointer or typing), so that a page nobody searches costs nothing more."""


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
    """The store's index (:func:`build_search_index`), built once per data version and shared: do not change it."""
    return per_version(store, "view-search-index", lambda: build_search_index(store))


def build_search_index(store: GraphStore) -> list[dict[str, Any]]:
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


@dataclass(frozen=True)
class IndexScript:
    """The index as a script a served view loads: its text, its hash and the URL part that names it.

    ``integrity`` is the SRI value (``sha256-<base64>``) the page puts on the script element and, quoted, in its
    ``script-src``; ``digest`` is the start of the same hash in hex, for the URL; ``entries`` the index's size.
    """

    text: str
    integrity: str
    digest: str
    entries: int

    @property
    def csp_source(self) -> str:
        """The hash source that allows this script, and no other, in a ``script-src``."""
        return f"'{self.integrity}'"

    def path(self) -> str:
        """The script's path under ``/views/``."""
        return INDEX_PATH.format(digest=self.digest)

    @cached_property
    def gzipped(self) -> bytes:
        """The script gzipped, once: each browser takes it once per data version, and 13 MB (10^5 firms) take
        0.7 s to compress; the server sends these bytes to every client that accepts gzip."""
        return gzip.compress(self.text.encode("utf-8"), compresslevel=6, mtime=0)


def index_script(index: list[dict[str, Any]]) -> IndexScript:
    """The script that hands ``index`` to the page: ``window.chainkgSearchIndex = [...];``.

    >>> script = index_script([{"k": "firm", "id": "a", "zh": "甲"}])
    >>> script.text
    'window.chainkgSearchIndex=[{"k":"firm","id":"a","zh":"甲"}];\\n'
    >>> script.integrity.startswith("sha256-"), len(script.digest), script.path() == f"search-index/{script.digest}.js"
    (True, 20, True)
    """
    body = json.dumps(index, ensure_ascii=False, separators=(",", ":"))
    # JSON is JavaScript, but for U+2028/U+2029 in older engines; "</" cannot end anything in a script file
    body = body.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    text = f"window.{INDEX_GLOBAL}={body};\n"
    digest = hashlib.sha256(text.encode("utf-8")).digest()
    return IndexScript(
        text=text,
        integrity="sha256-" + base64.b64encode(digest).decode("ascii"),
        digest=digest.hex()[:20],
        entries=len(index),
    )


def store_index_script(store: GraphStore) -> IndexScript:
    """The index script of ``store``'s data, made once per data version (the views' route serves it)."""
    return per_version(store, "view-search-index-script", lambda: index_script(search_index(store)))
