"""The whole chain analysis of one snapshot, computed once per data version (and year).

:func:`analyse` is pure: give it a :class:`~queries.segment_graph.ChainData` and
the :class:`~queries.segment_graph.Structure` of its SUPPLIES graph, and it
returns presence, anchors, proximity, relatedness density and gaps for every
segment. :func:`analysis_for` caches that per ``store.version()`` and year (see
:mod:`queries.cache`); :mod:`queries.what_if` calls :func:`analyse` on a copy
without some firms.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> a = analysis_for(store)
>>> sorted(a.gaps)
['t-cathode', 't-lithium', 't-pack', 't-recycling', 't-vehicle']
>>> analysis_for(store) is a            # cached per data version
True
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from functools import cached_property

from graph.bulk import paused_gc
from graph.model import NodeKind
from graph.store import GraphStore
from queries.cache import per_version
from queries.presence import SegmentPresence, anchor_firms, segment_presence
from queries.relatedness import proximity, relatedness_density
from queries.segment_graph import ChainData, Structure, chain_data, check_as_of_year, compute_structure
from queries.severity import Gap, GapAssessor


class LazyPresence(Mapping[str, SegmentPresence]):
    """Segment id → :class:`SegmentPresence`, each computed on first access and kept.

    Iterating (or ``items()``, ``values()``) computes every segment, in id order. The gaps of one
    cluster read the presence of its segments and of those they supply, not of all: the first
    ``gaps`` for one cluster of a 100k-firm graph computes a fraction of it (``docs/performance.md``).
    Two threads may compute the same segment at once; both get equal values and one is kept.
    """

    def __init__(self, data: ChainData) -> None:
        self._data = data
        self._ids = sorted(data.segments)
        self._done: dict[str, SegmentPresence] = {}

    def __getitem__(self, segment_id: str) -> SegmentPresence:
        found = self._done.get(segment_id)
        if found is None:
            if segment_id not in self._data.segments:
                raise KeyError(segment_id)
            with paused_gc():
                found = self._done.setdefault(segment_id, segment_presence(self._data, segment_id))
        return found

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)


@dataclass(frozen=True)
class Analysis:
    """Everything the chain queries read, for one snapshot.

    Attributes
    ----------
    data : ChainData
    structure : Structure
    presence : mapping of segment id → SegmentPresence
        Each computed on first use (:class:`LazyPresence`).
    anchors : frozenset of str
        Local anchor firms (role ``anchor`` somewhere, or tagged 链主).
    gaps : mapping of segment id → Gap
        Only segments that are gaps; every segment assessed on first use. :meth:`cluster_gaps`
        assesses one cluster's segments only.
    phi : mapping of segment id → {segment id → proximity}
        Computed on first use (gaps do not need it; chain, segment and candidates do).
    omega : mapping of segment id → relatedness density ω
        Computed on first use, from ``phi`` and ``presence``.
    """

    data: ChainData
    structure: Structure
    presence: Mapping[str, SegmentPresence]
    anchors: frozenset[str]
    _assessed: dict[str, Gap | None] = field(default_factory=dict, repr=False, compare=False)

    @cached_property
    def _assessor(self) -> GapAssessor:
        return GapAssessor(self.data, self.structure, self.presence, self.anchors)

    def _gap(self, segment_id: str) -> Gap | None:
        if segment_id not in self._assessed:
            with paused_gc():
                self._assessed.setdefault(segment_id, self._assessor.assess(segment_id))
        return self._assessed[segment_id]

    @cached_property
    def gaps(self) -> Mapping[str, Gap]:
        found = ((sid, self._gap(sid)) for sid in sorted(self.data.segments))
        return {sid: gap for sid, gap in found if gap is not None}

    def cluster_gaps(self, cluster_id: str) -> dict[str, Gap]:
        """The gaps of one cluster's segments, keyed by segment id (sorted); ``gaps`` restricted to it."""
        cluster_of = self.data.segment_cluster
        found = ((sid, self._gap(sid)) for sid in sorted(self.data.segments) if cluster_of.get(sid) == cluster_id)
        return {sid: gap for sid, gap in found if gap is not None}

    @cached_property
    def phi(self) -> Mapping[str, Mapping[str, float]]:
        with paused_gc():
            return proximity(self.data)

    @cached_property
    def omega(self) -> Mapping[str, float]:
        return relatedness_density(self.phi, self.presence)


def analyse(data: ChainData, st: Structure) -> Analysis:
    """Set up the analysis of ``data`` (pure; no store access): anchors now; presence, gaps and proximity on use.

    The cyclic garbage collector is paused while any part is computed: the analysis builds hundreds
    of thousands of small dicts and tuples and frees none of them, so collections find nothing and
    cost ~18 % of the first ``gaps`` at 100k firms (``docs/performance.md``).
    """
    with paused_gc():
        return Analysis(data=data, structure=st, presence=LazyPresence(data), anchors=anchor_firms(data))


def _analysis_now(store: GraphStore, year: int | None) -> Analysis:
    with paused_gc():  # reading the snapshot allocates as much again
        return analyse(chain_data(store, year), structure_for(store))


def structure_for(store: GraphStore) -> Structure:
    """The :class:`Structure` of the store's SUPPLIES graph, cached per data version."""
    return per_version(store, "structure", lambda: compute_structure(chain_data(store)))


def analysis_for(store: GraphStore, year: int | None = None) -> Analysis:
    """Return the :class:`Analysis` of ``store`` as of ``year``, cached per data version and year.

    Raises
    ------
    InvalidQuery
        When ``year`` is outside 1990–2100.
    """
    check_as_of_year(year)
    return per_version(store, "analysis", lambda: _analysis_now(store, year), year)


def precompute(store: GraphStore) -> None:
    """Compute the cached analysis, search index and id look-up indexes of the store's current version now.

    Call it after a load (e.g. at server start) so that the first request does not pay
    for them; it is never required.
    """
    from queries.candidacy import firm_candidacy
    from queries.lookup import kind_index
    from queries.search import search_index

    analysis = analysis_for(store)
    analysis.gaps  # noqa: B018 - assesses every segment (and so computes its presence) now
    analysis.omega  # noqa: B018 - computes phi and omega now, for the chain and candidates views
    search_index(store)
    for kind in NodeKind:  # what a 404 compares the missing id with
        kind_index(store, kind)
    firms = store.nodes(NodeKind.FIRM)
    if firms:  # every firm's candidacy at once (the targets of the city and each cluster): a firm page's first
        firm_candidacy(store, firms[0].id)  # lookup took 4.1 s at 100k firms without it (make bench, 2026-12-08)
