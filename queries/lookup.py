"""Look up nodes by id, with the nearest ids suggested when one is missing.

A missing id is compared with the ids of its kind and with their names: a user who types a name
where the id belongs (``宁德时代``, ``CATL``, ``新能源``) is pointed to the ids that carry it; one who types
its pinyin or initials (``lixiang``, ``ndsd``), when no id is spelt closely like it, to the ids whose names
read so, as ``chainkg search`` finds them (:func:`_pinyin_index`). The ids
and folded names of each kind are indexed once per data version (:func:`queries.cache.per_version`),
so a 404 on a graph of 100k firms neither reads every firm from the store again nor compares the
id in Python with each of them.

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

import unicodedata
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate

from rapidfuzz import fuzz, process

from graph.errors import NodeNotFound
from graph.model import EdgeKind, Firm, Node, NodeKind, Position, Segment
from graph.store import GraphStore
from queries.cache import per_version
from queries.script import to_simplified

MIN_NAME_QUERY = 2
"""Characters a missing id needs before names containing it are suggested (one matches too much)."""

MAX_NAME_HITS = 2000
"""Names containing a missing id that are ranked at most (the first ones in store order): a fragment
as common as ``有限公司`` would otherwise rank every firm for a 404."""

ID_SIMILARITY_CUTOFF = 50.0
"""Least normalised Indel similarity (0-100) of a suggested id to the missing one."""

STRONG_ID_SIMILARITY = 80.0
"""Similarity (0-100) from which an id spelt like the missing one is taken to be what was meant. When no
id reaches it or holds the missing id as whole parts, and no name is the missing id itself, the ids
whose names read as it in pinyin or initials (``lixiang`` → ``li-auto``, 理想; :func:`_pinyin_index`)
come before the ids spelt like it."""

MIN_PINYIN_QUERY = 3
"""Letters a missing id needs before names whose pinyin or initials contain it are suggested."""


def normalise(text: str) -> str:
    """NFKC, simplified Chinese, lower case, no white space: the form in which names, a missing id and search
    keys are compared (traditional characters fold to simplified ones, :func:`queries.script.to_simplified`).

    >>> normalise("ＣＡＴＬ  Jiangsu")
    'catljiangsu'
    >>> normalise("寧德時代") == normalise("宁德时代")
    True
    """
    return "".join(to_simplified(unicodedata.normalize("NFKC", text)).lower().split())


_NAME_END = "\x1f"
_NODE_END = "\x1e"


@dataclass(frozen=True)
class KindIndex:
    """One kind's ids in store order and their folded names, laid out for a fast substring search.

    ``names_text`` starts with ``\\x1e`` and holds each node's folded names, each followed by
    ``\\x1f``, and a ``\\x1e`` after the node's last; ``ids_text`` the ids, each followed by ``\\x1e``.
    :func:`normalise` removes both separators from names and queries (they count as white space).
    ``name_starts`` and ``id_starts`` are where each node begins in them, so a ``str.find`` hit maps
    back to its node by bisection.
    """

    ids: tuple[str, ...]
    names_text: str
    name_starts: tuple[int, ...]
    ids_text: str
    id_starts: tuple[int, ...]

    @classmethod
    def of(cls, nodes: list[Node]) -> KindIndex:
        texts = [
            "".join(name + _NAME_END for name in dict.fromkeys(map(normalise, _names(node))) if name) + _NODE_END
            for node in nodes
        ]
        ids_text = "".join(node.id + _NODE_END for node in nodes)
        # Fresh copies of the ids, allocated one after the other: rapidfuzz reads every id, and ids
        # scattered over the heap by the load cost cache misses (as in queries.search).
        ids = tuple(ids_text.split(_NODE_END)[:-1])
        return cls(
            ids=ids,
            names_text=_NODE_END + "".join(texts),
            name_starts=tuple(accumulate(map(len, texts), initial=1))[:-1],
            ids_text=ids_text,
            id_starts=tuple(accumulate((len(node_id) + 1 for node_id in ids), initial=0))[:-1],
        )

    def read_aloud(self) -> KindIndex:
        """The same ids with, in place of each node's names, the full pinyin and initials of its Chinese names.

        Made from :attr:`names_text` (no store read), with :func:`queries.search.pinyin_keys`, so that a
        name reads as it does in ``chainkg search`` (``理想`` → ``lixiang``, ``lx``).
        """
        # imported here: queries.search imports queries.firms, which imports this module
        from queries.search import has_cjk, pinyin_keys

        texts = []
        for names in self.names_text[1:].split(_NODE_END)[:-1]:
            keys = (key for name in names.split(_NAME_END)[:-1] if has_cjk(name) for key in pinyin_keys(name))
            texts.append("".join(key + _NAME_END for key in dict.fromkeys(keys) if key) + _NODE_END)
        return KindIndex(
            ids=self.ids,
            names_text=_NODE_END + "".join(texts),
            name_starts=tuple(accumulate(map(len, texts), initial=1))[:-1],
            ids_text=self.ids_text,
            id_starts=self.id_starts,
        )

    def named(self, query: str) -> list[str]:
        """Ids with a name that is ``query`` itself, in store order."""
        found: dict[int, None] = {}
        for bounded in (_NAME_END + query + _NAME_END, _NODE_END + query + _NAME_END):
            at = self.names_text.find(bounded)
            while at >= 0:
                found[bisect_right(self.name_starts, at + 1) - 1] = None
                at = self.names_text.find(bounded, at + 1)
        return [self.ids[position] for position in sorted(found)]

    def named_containing(self, query: str) -> list[str]:
        """Ids with a name containing ``query``: the shortest such name first (the closest), then store order.

        Only the first :data:`MAX_NAME_HITS` hits are ranked.
        """
        best: dict[int, int] = {}
        text, at, hits = self.names_text, self.names_text.find(query), 0
        while at >= 0 and hits < MAX_NAME_HITS:
            position = bisect_right(self.name_starts, at) - 1
            start = text.rfind(_NAME_END, self.name_starts[position], at) + 1 or self.name_starts[position]
            length = text.find(_NAME_END, at) - start
            best[position] = min(length, best.get(position, length))
            at, hits = text.find(query, at + 1), hits + 1
        return [self.ids[position] for position, _ in sorted(best.items(), key=lambda item: (item[1], item[0]))]

    def ids_with_tokens(self, query: str) -> list[str]:
        """Ids that hold ``query`` as whole hyphen-separated parts: those starting with it first, then the shortest.

        ``plat-catl`` is held by ``plat-catl-liyang-lighthouse`` (its start) and ``catl`` by
        ``f-catl-jiangsu``, but ``cat`` by neither. Ties keep the store's order; only the first
        :data:`MAX_NAME_HITS` hits are ranked.

        >>> from graph.fixtures import tiny_chain
        >>> from graph.memory_store import MemoryStore
        >>> index = kind_index(MemoryStore(tiny_chain()), "Firm")
        >>> index.ids_with_tokens("f-cell"), index.ids_with_tokens("cell-b"), index.ids_with_tokens("cel")
        (['f-cell-a', 'f-cell-b', 'f-cell-c'], ['f-cell-b'], [])
        """
        found: dict[int, bool] = {}
        text, at, hits = self.ids_text, self.ids_text.find(query), 0
        while at >= 0 and hits < MAX_NAME_HITS:
            position = bisect_right(self.id_starts, at) - 1
            start, end = self.id_starts[position], at + len(query)
            if (at == start or text[at - 1] == "-") and text[end] in ("-", _NODE_END):
                found.setdefault(position, at == start)
            at, hits = text.find(query, at + 1), hits + 1
        ranked = sorted(found.items(), key=lambda item: (not item[1], len(self.ids[item[0]]), item[0]))
        return [self.ids[position] for position, _ in ranked]

    def ids_containing(self, query: str) -> list[str]:
        """Ids that contain ``query``, in store order."""
        found: dict[int, None] = {}
        at = self.ids_text.find(query)
        while at >= 0:
            found[bisect_right(self.id_starts, at) - 1] = None
            at = self.ids_text.find(query, at + 1)
        return [self.ids[position] for position in found]


def _names(node: Node) -> tuple[str, ...]:
    return (node.name_zh, node.name_en, *getattr(node, "aliases", ()))


def kind_index(store: GraphStore, kind: NodeKind | str) -> KindIndex:
    """The :class:`KindIndex` of ``kind`` for the store's current data version (built on first use)."""
    wanted = NodeKind(kind)
    return per_version(store, "lookup-index", lambda: KindIndex.of(store.nodes(wanted)), wanted.value)


def _pinyin_index(store: GraphStore, kind: NodeKind | str) -> KindIndex:
    """The :class:`KindIndex` of ``kind`` whose "names" are the pinyin and initials of its names.

    See :meth:`KindIndex.read_aloud`.

    Built from :func:`kind_index` on the first missing id that needs it, once per data version.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> _pinyin_index(MemoryStore(tiny_chain()), "Firm").named("jdc")
    ['f-cell-a']
    """
    wanted = NodeKind(kind)
    index = kind_index(store, wanted)
    return per_version(store, "lookup-pinyin", index.read_aloud, wanted.value)


def named_ids(store: GraphStore, text: str, kind: NodeKind | str) -> list[str]:
    """The ids of ``kind`` one of whose names or aliases is ``text`` (compared :func:`normalise`-ed: traditional
    characters, case, width and spaces aside), in the store's order.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> named_ids(MemoryStore(tiny_chain()), "甲电池", "Firm"), named_ids(MemoryStore(tiny_chain()), "x", "Firm")
    (['f-cell-a'], [])
    """
    query = normalise(text)
    return list(kind_index(store, kind).named(query)) if query else []


def nearest_ids(store: GraphStore, node_id: str, kind: NodeKind | str, limit: int = 5) -> list[str]:
    """Return up to ``limit`` ids of ``kind`` closest to ``node_id``, best first.

    First the ids whose name or alias is ``node_id`` (compared :func:`normalise`-ed: case, width and
    spaces ignored), then the ids that hold it as whole hyphen-separated parts, those starting with it
    first (``plat-catl`` → ``plat-catl-liyang-lighthouse``, :meth:`KindIndex.ids_with_tokens`), then ids
    spelt like it (normalised Indel similarity of at least :data:`ID_SIMILARITY_CUTOFF`), then ids whose
    names contain it (:data:`MIN_NAME_QUERY` characters or more), then ids that contain it. Ties keep the
    store's order, which both stores share.

    When no name is ``node_id``, no id holds it and no id is spelt closely like it
    (:data:`STRONG_ID_SIMILARITY`), the ids whose names read as it come before the ids spelt like it:
    first those with a name whose full pinyin or initials is ``node_id``, then those with one containing
    it (:data:`MIN_PINYIN_QUERY` letters or more; the shortest first). So ``lixiang`` suggests ``li-auto`` (理想), as
    ``chainkg search lixiang`` finds it. A close misspelling of an id (the usual 404) needs no pinyin.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> store = MemoryStore(tiny_chain())
    >>> nearest_ids(store, "t-cel", "Segment")[0], nearest_ids(store, "jiadianchi", "Firm")[0]
    ('t-cell', 'f-cell-a')
    >>> nearest_ids(store, "b", "Firm")  # ids ending with the part "b" before f-anode-b, spelt more like it
    ['f-cell-b', 'o-lith-b', 'f-anode-b']
    """
    index = kind_index(store, kind)
    query = normalise(node_id)
    if not query:
        return []
    named = index.named(query)
    held = index.ids_with_tokens(query)
    spelt = process.extract(
        node_id.lower(), index.ids, scorer=fuzz.ratio, score_cutoff=ID_SIMILARITY_CUTOFF, limit=limit
    )
    close = named or held or any(score >= STRONG_ID_SIMILARITY for _, score, _ in spelt)
    sounded = not close and query.isascii() and any(ch.isalpha() for ch in query)
    read = len(query) >= MIN_PINYIN_QUERY
    out: list[str] = []
    for found in (
        lambda: named,
        lambda: held,
        lambda: _pinyin_index(store, kind).named(query) if sounded else [],
        lambda: _pinyin_index(store, kind).named_containing(query) if sounded and read else [],
        lambda: [index.ids[position] for _, _, position in spelt],
        lambda: index.named_containing(query) if len(query) >= MIN_NAME_QUERY else [],
        lambda: index.ids_containing(query),
    ):
        for candidate in found():
            if candidate not in out:
                out.append(candidate)
                if len(out) == limit:
                    return out
    return out


def related_ids(store: GraphStore, node: Node, kind: NodeKind | str) -> list[str]:
    """Ids of ``kind`` that ``node``, a node of another kind, belongs to or holds: what its id most likely meant.

    A segment given for a cluster means its cluster; a firm given for a segment, its segments, and for
    a cluster, their clusters; a cluster given for a segment, its top-level segments, upstream first;
    a segment given for a firm, the firms in it, local firms first.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> store = MemoryStore(tiny_chain())
    >>> related_ids(store, store.node("t-cell"), "Cluster"), related_ids(store, store.node("f-cell-a"), "Segment")
    (['t-nev'], ['t-cell'])
    >>> related_ids(store, store.node("t-nev"), "Segment")[:3]
    ['t-anode', 't-cathode', 't-lithium']
    >>> related_ids(store, store.node("t-cell"), "Firm")
    ['f-cell-a', 'f-cell-b', 'f-cell-c']
    """
    wanted = NodeKind(kind)
    if node.kind == NodeKind.CLUSTER.value and wanted == NodeKind.SEGMENT:
        mine = [
            seg
            for seg in store.nodes(NodeKind.SEGMENT)
            if isinstance(seg, Segment) and seg.cluster_id == node.id and not seg.parent_id
        ]
        order = {position: i for i, position in enumerate(Position)}
        mine.sort(key=lambda seg: (order[seg.position], seg.id))
        return [seg.id for seg in mine]
    if node.kind == NodeKind.SEGMENT.value and wanted == NodeKind.FIRM:
        nodes = (store.node(e.source) for e in store.edges(EdgeKind.OPERATES_IN, target=node.id))
        firms = [f for f in nodes if isinstance(f, Firm)]
        return [f.id for f in sorted(firms, key=lambda f: (not f.is_local, f.id))]
    segments: list[str] = []
    if node.kind == NodeKind.SEGMENT.value:
        segments = [node.id]
    elif node.kind == NodeKind.FIRM.value:
        segments = [e.target for e in store.edges(EdgeKind.OPERATES_IN, source=node.id)]
    if wanted == NodeKind.SEGMENT:
        return [s for s in segments if s != node.id]
    if wanted == NodeKind.CLUSTER:
        clusters = (getattr(store.node(s), "cluster_id", "") for s in segments)
        return list(dict.fromkeys(c for c in clusters if c))
    return []


def require(store: GraphStore, node_id: str, kind: NodeKind | str) -> Node:
    """Return the node ``node_id`` of ``kind``, or raise :class:`NodeNotFound` with suggestions.

    When ``node_id`` names a node of another kind (a segment where a cluster belongs), the error says
    so and suggests first what that node belongs to (the segment's cluster).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> try:
    ...     require(MemoryStore(tiny_chain()), "t-cell", "Cluster")
    ... except NodeNotFound as err:
    ...     print(err)
    No cluster with id 't-cell' ('t-cell' is a segment). Did you mean: t-nev?
    """
    node = store.node(node_id)
    wanted = NodeKind(kind).value
    if node is None:
        raise NodeNotFound(wanted.lower(), node_id, nearest_ids(store, node_id, wanted))
    if node.kind != wanted:
        first = related_ids(store, node, wanted)
        rest = [i for i in nearest_ids(store, node_id, wanted) if i not in first]
        raise NodeNotFound(wanted.lower(), node_id, [*first, *rest][:5], found_kind=node.kind.lower())
    return node
