"""Search firms, segments and clusters by Chinese, English, aliases and pinyin, typo-tolerant and ranked.

Every firm, segment and cluster gets search keys: its id, Chinese and English
names and aliases, and for each Chinese text its full pinyin (``ningdeshidai``)
and initials (``ndsd``) via ``pypinyin``. A firm also inherits its parent's
names (SUBSIDIARY_OF) at a lower weight, so ``宁德时代`` finds the CATL unit in
溧阳 as well as the parent. Keys are normalised (NFKC, traditional Chinese to simplified, lower case, no spaces).

A key scores by how the query matches it: exact 1.0; prefix 0.80 + 0.15·|q|/|key|;
substring 0.65 + 0.20·|q|/|key|; otherwise a typo match 0.6·ratio/100, where ``ratio``
is ``rapidfuzz``'s normalised Indel similarity (≥ 75) of the query (3+ characters) and a
whole name, alias or its full pinyin; typo matching is skipped when a query already has
:data:`FUZZY_SKIP_AT` direct matches. That is multiplied by the key's weight
(names, aliases 1.0; id 0.95; pinyin 0.95; initials 0.9; parent's names ×0.9), by
0.75 for the pinyin reading of a Chinese query of 2+ ideographs (homophone typos), and by 0.97 for
outside firms (local ones first). An item's score is its best key's; items are
sorted by score, then type (cluster, segment, firm), then id.

The index is built once per data version (:mod:`queries.cache`). Typo candidates are only
keys whose length can reach the cutoff (``ratio = 2·matches / (|q| + |key|)``, so
``0.6·|q| ≤ |key| ≤ 1.67·|q|``), found by length buckets.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> [(r["type"], r["id"], r["score"]) for r in search(store, "dianchi", limit=3)]
[('segment', 't-pack', 0.85975), ('segment', 't-recycling', 0.83125), ('firm', 'f-cell-b', 0.765278)]
>>> search(store, "jdc")[0]["id"], search(store, "JiaCel")[0]["id"], search(store, "甲电池")[0]["id"]
('f-cell-a', 'f-cell-a', 'f-cell-a')
"""

from __future__ import annotations

import bisect
import functools
import heapq
import math
from dataclasses import dataclass, field
from fractions import Fraction
from typing import Any

from pypinyin import lazy_pinyin
from pypinyin.constants import RE_HANS
from pypinyin.seg.simpleseg import simple_seg
from rapidfuzz import fuzz, process

from graph.model import Cluster, EdgeKind, Firm, NodeKind, Segment
from graph.store import GraphStore
from queries.cache import per_version
from queries.firms import normalise
from queries.segment_graph import r6

TYPE_ORDER = {"cluster": 0, "segment": 1, "firm": 2}
MAX_MATCHES = 200
"""At most this many items are ranked for one query."""
MAX_SUBSTRING_HITS = 2000
"""Substring scanning stops after this many hits (very common fragments)."""
MAX_PREFIX_HITS = 2000
"""A prefix shared by more keys than this (``changzhou`` in a city of firms named 常州…) is scanned
for this many keys only, shortest keys first (they score highest), then in key order."""
FUZZY_CUTOFF = 75.0
FUZZY_MIN_LENGTH = 3
FUZZY_SKIP_AT = 50
"""No typo matching for a query with at least this many exact, prefix or substring matches."""
FUZZY_FIELDS = ("name_zh", "name_en", "alias", "name_zh:pinyin", "name_en:pinyin", "alias:pinyin")
"""Keys that typo matching compares with (not ids, initials or a parent's names)."""

WEIGHT_NAME = 1.0
WEIGHT_ID = 0.95
WEIGHT_PINYIN = 0.95
WEIGHT_INITIALS = 0.9
WEIGHT_PARENT = 0.9
WEIGHT_QUERY_PINYIN = 0.75
"""For matches of a Chinese query's pinyin reading (homophones: 宁得时代 for 宁德时代): a name holding the
characters typed ranks above one that only sounds alike."""
HOMOPHONE_MIN_CHARS = 2
"""A Chinese query is read as pinyin only from this many ideographs: one syllable (锂 → ``li``) sounds
like hundreds of names (理想, 柳工, Philips ...)."""
SHORT_CJK_MAX = 2
"""A query of at most this many characters, one of them an ideograph, gets no homophone or typo matches once
its characters match a key: two ideographs read as pinyin (``xingyu``) begin many unrelated names (星源
``xingyuan``), and one shared character is no typo."""
OUTSIDE_FACTOR = 0.97


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds a CJK ideograph.

    >>> has_cjk("CATL"), has_cjk("时代")
    (False, True)
    """
    return any("\u3400" <= ch <= "\u9fff" or "\uf900" <= ch <= "\ufaff" for ch in text)


def _keep(chunk: str) -> str:
    """Keep a chunk without pinyin (Latin letters, digits) whole, marked."""
    return "\x00" + chunk


@functools.lru_cache(maxsize=65536)
def _han_run_pinyin(run: str) -> tuple[str, ...]:
    return tuple(lazy_pinyin(run, errors=_keep))


def _syllables(text: str) -> list[str]:
    """``lazy_pinyin(text, errors=_keep)``, one run of Chinese characters at a time, each run cached.

    ``pypinyin`` itself splits a text into runs of Chinese and of other characters and
    converts each run on its own, so this gives the same syllables; but names share runs
    (``有限公司``, ``常州``, ``合成企业``), and the cache made the search index of 100k firms
    build about twice as fast (``docs/performance.md``).

    >>> _syllables("常州ABC有限公司") == lazy_pinyin("常州ABC有限公司", errors=_keep)
    True
    """
    out: list[str] = []
    for run in simple_seg(text):
        if RE_HANS.match(run):
            out.extend(_han_run_pinyin(run))
        elif run:
            out.append(_keep(run))  # an empty text: no syllable (pypinyin gives a blank one: the same keys)
    return out


def pinyin_keys(text: str) -> tuple[str, str]:
    """Full pinyin and initials of a text, normalised.

    >>> pinyin_keys("宁德时代")
    ('ningdeshidai', 'ndsd')
    >>> pinyin_keys("宁德CATL")
    ('ningdecatl', 'ndcatl')
    """
    syllables = _syllables(text)
    full = "".join(s.lstrip("\x00") for s in syllables)
    initials = "".join(s[1:] if s.startswith("\x00") else s[:1] for s in syllables)
    return normalise(full), normalise(initials)


@dataclass(frozen=True)
class _Item:
    type: str
    id: str
    name_zh: str
    name_en: str
    factor: float
    extra: tuple[tuple[str, Any], ...] = ()


@dataclass
class SearchIndex:
    """Flat, normalised search keys of every item, with lookup structures."""

    items: list[_Item] = field(default_factory=list)
    keys: list[str] = field(default_factory=list)
    key_item: list[int] = field(default_factory=list)
    key_weight: list[float] = field(default_factory=list)
    key_field: list[str] = field(default_factory=list)
    key_text: list[str] = field(default_factory=list)
    exact: dict[str, list[int]] = field(default_factory=dict)
    sorted_keys: list[str] = field(default_factory=list)
    sorted_pos: list[int] = field(default_factory=list)
    haystack: str = ""
    offsets: list[int] = field(default_factory=list)
    narrow: _FuzzyPool = field(default_factory=lambda: _FuzzyPool.of([], []))
    wide: _FuzzyPool = field(default_factory=lambda: _FuzzyPool.of([], []))
    key_lengths: list[int] = field(default_factory=list)
    by_length: dict[int, tuple[list[str], list[int]]] = field(default_factory=dict)
    _pinyin: dict[str, tuple[str, str]] = field(default_factory=dict, repr=False)

    def add(self, item: _Item, texts: list[tuple[str, str, float]]) -> None:
        """Add an item with its ``(text, field, weight)`` texts (pinyin keys are derived)."""
        index = len(self.items)
        self.items.append(item)
        seen: dict[str, float] = {}
        for text, fld, weight in texts:
            if not text:
                continue
            variants = [(normalise(text), fld, weight)]
            if has_cjk(text):
                if text not in self._pinyin:
                    self._pinyin[text] = pinyin_keys(text)
                full, initials = self._pinyin[text]
                variants += [(full, f"{fld}:pinyin", weight * WEIGHT_PINYIN)]
                variants += [(initials, f"{fld}:initials", weight * WEIGHT_INITIALS)]
            for key, key_field, key_weight in variants:
                if not key or seen.get(key, -1.0) >= key_weight:
                    continue
                seen[key] = key_weight
                self.keys.append(key)
                self.key_item.append(index)
                self.key_weight.append(key_weight)
                self.key_field.append(key_field)
                self.key_text.append(text)

    def finish(self) -> SearchIndex:
        """Build the exact, prefix and substring structures."""
        for pos, key in enumerate(self.keys):
            self.exact.setdefault(key, []).append(pos)
        order = sorted(range(len(self.keys)), key=lambda p: (self.keys[p], p))
        self.sorted_keys = [self.keys[p] for p in order]
        self.sorted_pos = order
        for p in order:
            keys, positions = self.by_length.setdefault(len(self.keys[p]), ([], []))
            keys.append(self.keys[p])
            positions.append(p)
        self.key_lengths = sorted(self.by_length)
        offset = 0
        for key in self.keys:
            self.offsets.append(offset)
            offset += len(key) + 1
        self.haystack = "\n".join(self.keys)
        fuzzy = [p for p, f in enumerate(self.key_field) if f in FUZZY_FIELDS]
        self.narrow = _FuzzyPool.of(self.keys, [p for p in fuzzy if self.keys[p].isascii()])
        self.wide = _FuzzyPool.of(self.keys, [p for p in fuzzy if not self.keys[p].isascii()], by_slack=True)
        self._pinyin.clear()
        return self

    def fuzzy_candidates(self, query: str) -> list[tuple[list[str], list[int]]]:
        """The typo-matchable keys that can reach :data:`FUZZY_CUTOFF` for ``query``, as ``(keys, positions)``.

        ``ratio = 2·LCS / (|q| + |key|)``, and an ASCII character never equals a non-ASCII one, so
        ``LCS ≤ min(ASCII in q, ASCII in key) + min(others in q, others in key)``. Keys are kept only
        where that bound can reach the cutoff: all-ASCII keys (pinyin, English names) by length, and
        keys with other characters (Chinese names) by length, or for an all-ASCII query by how many
        ASCII characters they hold. A pinyin or English query thus skips the Chinese names (a third of
        the keys of 100k firms), and every key it skips could not have matched.
        """
        n = len(query)
        ascii_in_query = sum(1 for ch in query if ch.isascii())
        h = _LCS_SHARE
        shortest = math.ceil(h * n / (1 - h))  # LCS ≤ |key|
        longest = math.floor(n * (1 - h) / h)  # LCS ≤ |q|
        narrow_longest = min(longest, math.floor(ascii_in_query / h) - n)  # LCS ≤ ASCII characters of q
        found = [self.narrow.by_length(shortest, narrow_longest)]
        if ascii_in_query == n:  # LCS ≤ the key's ASCII characters: slack = den·ascii - num·|key| ≥ num·|q|
            found.append(self.wide.with_slack(h.numerator * n))
        else:
            found.append(self.wide.by_length(shortest, longest))
        return [pool for pool in found if pool[0]]


_LCS_SHARE = Fraction(str(FUZZY_CUTOFF)) / 200
"""A key reaches the cutoff when its longest common subsequence with the query is at least this share of
``|q| + |key|`` (``fuzz.ratio`` is ``200·LCS / (|q| + |key|)``); exact, so the bounds drop no match."""


@dataclass
class _FuzzyPool:
    """Typo-matchable keys of one kind (all ASCII, or not), sorted by length and by ASCII slack.

    ``slack`` is ``den·(ASCII characters) - num·|key|`` for :data:`_LCS_SHARE` ``= num/den``: an
    all-ASCII query of length ``n`` can only reach the cutoff on keys with ``slack ≥ num·n``.
    """

    keys: list[str]
    positions: list[int]
    from_length: list[int]
    slack_keys: list[str]
    slack_positions: list[int]
    slack: list[int]

    @classmethod
    def of(cls, index_keys: list[str], positions: list[int], *, by_slack: bool = False) -> _FuzzyPool:
        """A pool of the keys at ``positions``; the slack order only when ``by_slack`` (the non-ASCII pool:
        an all-ASCII key's slack is a function of its length, which the length order already gives)."""
        ordered = sorted(positions, key=lambda p: (len(index_keys[p]), p))
        # Fresh copies, allocated one after the other: rapidfuzz reads every key of a window, and
        # keys scattered over the heap (as the index built them) made a 200k-key scan 3x slower
        # (46 -> 14 ms at 100k firms). Keys hold no newline (the substring haystack relies on it too).
        keys = "\n".join(index_keys[p] for p in ordered).split("\n") if ordered else []
        lengths = [len(k) for k in keys]
        from_length = [bisect.bisect_left(lengths, n) for n in range((lengths[-1] if lengths else 0) + 2)]
        if not by_slack:
            return cls(keys, ordered, from_length, [], [], [])
        num, den = _LCS_SHARE.numerator, _LCS_SHARE.denominator
        slack_of = {p: den * sum(1 for ch in index_keys[p] if ch.isascii()) - num * len(index_keys[p]) for p in ordered}
        slack_order = sorted(ordered, key=lambda p: (slack_of[p], p))
        copy_of = dict(zip(ordered, keys, strict=True))
        slack_keys = [copy_of[p] for p in slack_order]
        return cls(keys, ordered, from_length, slack_keys, slack_order, [slack_of[p] for p in slack_order])

    def by_length(self, shortest: int, longest: int) -> tuple[list[str], list[int]]:
        """Keys of ``shortest`` to ``longest`` characters, with their positions in the index."""
        if not self.keys or longest < shortest:
            return [], []
        cap = len(self.from_length) - 1
        lo = self.from_length[min(max(shortest, 0), cap)]
        hi = self.from_length[min(max(longest + 1, 0), cap)]
        return self.keys[lo:hi], self.positions[lo:hi]

    def with_slack(self, minimum: int) -> tuple[list[str], list[int]]:
        """Keys whose ``slack`` is at least ``minimum``, with their positions in the index."""
        start = bisect.bisect_left(self.slack, minimum)
        return self.slack_keys[start:], self.slack_positions[start:]


def _firm_texts(firm: Firm, parent: Firm | None) -> list[tuple[str, str, float]]:
    texts = [(firm.name_zh, "name_zh", WEIGHT_NAME), (firm.name_en, "name_en", WEIGHT_NAME)]
    texts += [(alias, "alias", WEIGHT_NAME) for alias in firm.aliases]
    texts.append((firm.id, "id", WEIGHT_ID))
    if parent is not None:
        texts += [(parent.name_zh, "parent", WEIGHT_PARENT), (parent.name_en, "parent", WEIGHT_PARENT)]
        texts += [(alias, "parent", WEIGHT_PARENT) for alias in parent.aliases]
    return texts


def build_index(store: GraphStore) -> SearchIndex:
    """Build the search index of a store (use :func:`search_index` for the cached one)."""
    index = SearchIndex()
    for node in store.nodes(NodeKind.CLUSTER):
        assert isinstance(node, Cluster)
        item = _Item("cluster", node.id, node.name_zh, node.name_en, 1.0)
        index.add(item, [(node.name_zh, "name_zh", 1.0), (node.name_en, "name_en", 1.0), (node.id, "id", WEIGHT_ID)])
    for node in store.nodes(NodeKind.SEGMENT):
        assert isinstance(node, Segment)
        item = _Item("segment", node.id, node.name_zh, node.name_en, 1.0, (("cluster_id", node.cluster_id),))
        index.add(item, [(node.name_zh, "name_zh", 1.0), (node.name_en, "name_en", 1.0), (node.id, "id", WEIGHT_ID)])
    firms = {n.id: n for n in store.nodes(NodeKind.FIRM) if isinstance(n, Firm)}
    parents: dict[str, str] = {}
    for e in store.edges(EdgeKind.SUBSIDIARY_OF):
        parents.setdefault(e.source, e.target)
    for fid, firm in firms.items():
        parent = firms.get(parents.get(fid, ""))
        factor = 1.0 if firm.is_local else OUTSIDE_FACTOR
        extra = (("is_local", firm.is_local), ("parent_id", parent.id if parent else None))
        index.add(_Item("firm", fid, firm.name_zh, firm.name_en, factor, extra), _firm_texts(firm, parent))
    return index.finish()


def search_index(store: GraphStore) -> SearchIndex:
    """The store's search index, built once per data version."""
    return per_version(store, "search-index", lambda: build_index(store))


def is_short_cjk(query: str) -> bool:
    """Whether a normalised query is short Chinese: at most :data:`SHORT_CJK_MAX` characters, an ideograph among them.

    >>> is_short_cjk("星宇"), is_short_cjk("宁得时代"), is_short_cjk("li")
    (True, False, False)
    """
    return len(query) <= SHORT_CJK_MAX and has_cjk(query)


def _key_matches(index: SearchIndex, query: str, weight: float, best: dict[int, tuple[float, int, str]]) -> None:
    """Score exact, prefix and substring matches of one query variant into ``best``."""

    def offer(pos: int, base: float, how: str) -> None:
        item = index.key_item[pos]
        score = base * index.key_weight[pos] * weight * index.items[item].factor
        if item not in best or score > best[item][0]:
            best[item] = (score, pos, how)

    n = len(query)
    for pos in index.exact.get(query, []):
        offer(pos, 1.0, "exact")
    lo = bisect.bisect_left(index.sorted_keys, query)
    hi = bisect.bisect_right(index.sorted_keys, query + "\U0010ffff")
    if hi - lo <= MAX_PREFIX_HITS:
        for i in range(lo, hi):
            pos = index.sorted_pos[i]
            if index.keys[pos] != query:
                offer(pos, 0.80 + 0.15 * n / len(index.keys[pos]), "prefix")
    else:  # a very common prefix: the shortest keys first, MAX_PREFIX_HITS of them
        budget = MAX_PREFIX_HITS
        for length in index.key_lengths:
            if length <= n:
                continue
            keys, positions = index.by_length[length]
            first = bisect.bisect_left(keys, query)
            last = min(bisect.bisect_right(keys, query + "\U0010ffff"), first + budget)
            for i in range(first, last):
                offer(positions[i], 0.80 + 0.15 * n / length, "prefix")
            budget -= last - first
            if budget <= 0:
                break
    if n >= 2 or has_cjk(query):
        start, hits = 0, 0
        while hits < MAX_SUBSTRING_HITS:
            found = index.haystack.find(query, start)
            if found < 0:
                break
            hits += 1
            pos = bisect.bisect_right(index.offsets, found) - 1
            start = found + 1
            if found > index.offsets[pos]:
                offer(pos, 0.65 + 0.20 * n / len(index.keys[pos]), "substring")


def search_matches(store: GraphStore, q: str) -> list[dict[str, Any]]:
    """Every match of ``q`` (at most :data:`MAX_MATCHES`), best first."""
    query = normalise(q)
    if not query:
        return []
    index = search_index(store)
    best: dict[int, tuple[float, int, str]] = {}
    _key_matches(index, query, 1.0, best)
    if best and is_short_cjk(query):  # the characters typed match: no homophones (星宇 → xingyu → 星源 xingyuan)
        return _ranked(index, best)
    if sum(map(has_cjk, query)) >= HOMOPHONE_MIN_CHARS:
        full, _ = pinyin_keys(query)
        if full and full != query:
            _key_matches(index, full, WEIGHT_QUERY_PINYIN, best)
    if len(query) >= FUZZY_MIN_LENGTH and len(best) < FUZZY_SKIP_AT:
        for keys, positions in index.fuzzy_candidates(query):
            for _, ratio, i in process.extract(
                query, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=MAX_MATCHES
            ):
                pos = positions[i]
                item = index.key_item[pos]
                score = 0.6 * ratio / 100 * index.key_weight[pos] * index.items[item].factor
                if item not in best or score > best[item][0]:
                    best[item] = (score, pos, "fuzzy")
    return _ranked(index, best)


def _ranked(index: SearchIndex, best: dict[int, tuple[float, int, str]]) -> list[dict[str, Any]]:
    """The best :data:`MAX_MATCHES` of ``best`` (item → score, key, how it matched), as result items."""
    ranked = heapq.nsmallest(  # the same as sorted(...)[:MAX_MATCHES], without sorting every match
        MAX_MATCHES,
        best.items(),
        key=lambda kv: (-r6(kv[1][0]), TYPE_ORDER[index.items[kv[0]].type], index.items[kv[0]].id),
    )
    out = []
    for item_pos, (score, key_pos, how) in ranked:
        found = index.items[item_pos]
        out.append(
            {
                "type": found.type,
                "id": found.id,
                "name_zh": found.name_zh,
                "name_en": found.name_en,
                "score": r6(score),
                "match": how,
                "field": index.key_field[key_pos],
                "matched": index.key_text[key_pos],
                **dict(found.extra),
            }
        )
    return out


def search(store: GraphStore, q: str, limit: int = 20) -> list[dict[str, Any]]:
    """Find firms, segments and clusters matching ``q``, best first.

    Parameters
    ----------
    store : GraphStore
    q : str
        Chinese, English, an alias, full pinyin or pinyin initials; typos are tolerated.
    limit : int
        How many items to return.

    Returns
    -------
    list of dict
        Items with ``type`` (``firm``, ``segment`` or ``cluster``), ``id``, ``name_zh``,
        ``name_en``, ``score`` in [0, 1], and ``match``, ``field`` and ``matched``
        (how, on which key and on what text it matched).
    """
    return search_matches(store, q)[: max(limit, 0)]
