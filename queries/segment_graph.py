"""The facts the analysis reads, taken once from a store, and the SUPPLIES graph of segments.

:class:`ChainData` is a read-only snapshot of what the chain analysis needs
(clusters, segments, firms and the edges between them), read through the
:class:`~graph.store.GraphStore` interface only, so every backend gives the same
answers. It can be narrowed to an as-of year (:meth:`ChainData.as_of`) or
stripped of firms (:meth:`ChainData.without_firms`, for what-if questions).

:class:`Structure` holds the graph metrics of the SUPPLIES graph over all
segments (every cluster): reachability, directed betweenness, dominators and
articulation points (see ``docs/analysis.md``).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> data = chain_data(MemoryStore(tiny_chain()))
>>> data.cluster_segments("t-nev")[:3]
['t-anode', 't-cathode', 't-cell']
>>> st = compute_structure(data)
>>> chain_order(st, data, data.cluster_segments("t-nev"))
['t-anode', 't-lithium', 't-cathode', 't-cell', 't-pack', 't-vehicle', 't-recycling']
>>> sorted(st.dominated["t-cell"])
['t-pack', 't-recycling', 't-vehicle']
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from functools import cached_property

import networkx as nx

from graph.errors import InvalidQuery
from graph.model import (
    POSITION_ORDER,
    Cluster,
    Confidence,
    District,
    Edge,
    EdgeKind,
    Firm,
    NodeKind,
    Policy,
    Role,
    Segment,
    Source,
)
from graph.store import GraphStore
from queries.cache import per_version

ROOT = "__root__"
"""The virtual source of the dominator computation (never a valid id)."""

ROLE_RANK = {Role.ANCHOR: 0, Role.MAJOR: 1, Role.MEMBER: 2}
"""Best role first."""

MIN_YEAR, MAX_YEAR = 1990, 2100


def r6(value: float) -> float:
    """Round to 6 decimals, the precision every score is reported with.

    >>> r6(2 / 3)
    0.666667
    """
    return round(float(value) + 0.0, 6) + 0.0


@dataclass(frozen=True)
class ChainData:
    """What the analysis reads from a store, indexed for it.

    Attributes
    ----------
    clusters, segments, firms, districts : mapping of id → node
    segment_cluster : mapping of segment id → cluster id (from PART_OF edges)
    supplies, operates, supplies_to, subsidiary_of : tuple of Edge
        The SUPPLIES, OPERATES_IN, SUPPLIES_TO and SUBSIDIARY_OF edges, sorted by key.
    year : int or None
        The as-of year this snapshot was narrowed to, if any.
    source_years : mapping of source id → int or None
        The year each source is dated (the first four digits of its ``date``); ``None`` when undated.
    source_titles : mapping of source id → (str, str)
        Each source's title and English title (empty when it has none): the evidence a candidate's role cites.
    policies, policy_targets : mapping of policy id → Policy, tuple of Edge
        The policies and their TARGETS_SEGMENT edges: a published plan that names a segment
        (:meth:`named_by_policies`; review 15a: 武进's plan names 回收, and its gap did not say so).
    """

    clusters: Mapping[str, Cluster]
    segments: Mapping[str, Segment]
    segment_cluster: Mapping[str, str]
    firms: Mapping[str, Firm]
    districts: Mapping[str, District]
    supplies: tuple[Edge, ...]
    operates: tuple[Edge, ...]
    supplies_to: tuple[Edge, ...]
    subsidiary_of: tuple[Edge, ...]
    year: int | None = None
    removed: tuple[str, ...] = field(default=())
    source_years: Mapping[str, int | None] = field(default_factory=dict)
    source_titles: Mapping[str, tuple[str, str]] = field(default_factory=dict)
    policies: Mapping[str, Policy] = field(default_factory=dict)
    policy_targets: tuple[Edge, ...] = ()

    # -- derived views (computed once per snapshot) ------------------------------------

    @cached_property
    def _policy_targets_of(self) -> dict[str, list[Edge]]:
        out: dict[str, list[Edge]] = {}
        for edge in self.policy_targets:
            if edge.source in self.policies:
                out.setdefault(edge.target, []).append(edge)
        return out

    def named_by_policies(self, segment_id: str) -> list[tuple[Policy, Edge]]:
        """The policies that name segment ``segment_id`` as a target, with their TARGETS_SEGMENT edge,
        by policy id."""
        edges = sorted(self._policy_targets_of.get(segment_id, []), key=lambda e: e.source)
        return [(self.policies[e.source], e) for e in edges]

    @cached_property
    def _cluster_members(self) -> dict[str, list[str]]:
        out: dict[str, list[str]] = {cid: [] for cid in self.clusters}
        for seg, cid in self.segment_cluster.items():
            out.setdefault(cid, []).append(seg)
        for items in out.values():
            items.sort()
        return out

    def cluster_segments(self, cluster_id: str) -> list[str]:
        """The ids of a cluster's segments, sorted by id."""
        return list(self._cluster_members.get(cluster_id, []))

    @cached_property
    def children(self) -> dict[str, list[str]]:
        """Segment id → ids of its sub-segments (``parent_id``), sorted."""
        out: dict[str, list[str]] = {}
        for seg in self.segments.values():
            if seg.parent_id and seg.parent_id in self.segments:
                out.setdefault(seg.parent_id, []).append(seg.id)
        for items in out.values():
            items.sort()
        return out

    @cached_property
    def subtree(self) -> dict[str, frozenset[str]]:
        """Segment id → itself and all its sub-segments, transitively (cycle-safe)."""
        out: dict[str, frozenset[str]] = {}
        for sid in self.segments:
            seen = {sid}
            stack = [sid]
            while stack:
                for child in self.children.get(stack.pop(), []):
                    if child not in seen:
                        seen.add(child)
                        stack.append(child)
            out[sid] = frozenset(seen)
        return out

    @cached_property
    def operates_of_firm(self) -> dict[str, tuple[Edge, ...]]:
        """Firm id → its OPERATES_IN edges (in key order), so a per-firm question reads only its own edges."""
        out: dict[str, list[Edge]] = {}
        for e in self.operates:
            out.setdefault(e.source, []).append(e)
        return {firm: tuple(edges) for firm, edges in out.items()}

    @cached_property
    def _operates_maps(self) -> tuple[dict[str, dict[str, Role]], frozenset[str]]:
        """OPERATES_IN by segment, and the firms with an anchor role, in one pass over the edges."""
        by_segment: dict[str, dict[str, Role]] = {}
        anchors: set[str] = set()
        anchor = Role.ANCHOR
        for e in self.operates:
            role = e.role
            if role is not None:
                source = e.source
                by_segment.setdefault(e.target, {})[source] = role
                if role is anchor:
                    anchors.add(source)
        return by_segment, frozenset(anchors)

    @property
    def anchor_role_firms(self) -> frozenset[str]:
        """Firms with the ``anchor`` role in at least one segment (OPERATES_IN), local or not."""
        return self._operates_maps[1]

    @property
    def operates_by_segment(self) -> dict[str, dict[str, Role]]:
        """Segment id → {firm id → role}, from direct OPERATES_IN edges."""
        return self._operates_maps[0]

    @cached_property
    def segments_of_firm(self) -> dict[str, dict[str, Role]]:
        """Firm id → {segment id → role}, from direct OPERATES_IN edges (built on first use: gaps do not need it)."""
        by_firm: dict[str, dict[str, Role]] = {}
        for e in self.operates:
            role = e.role
            if role is not None:
                by_firm.setdefault(e.source, {})[e.target] = role
        return by_firm

    @cached_property
    def local_firms(self) -> frozenset[str]:
        """Ids of firms located in Changzhou (``is_local``)."""
        return frozenset(fid for fid, f in self.firms.items() if f.is_local)

    @cached_property
    def parent_firm(self) -> dict[str, str]:
        """Firm id → its parent's id (SUBSIDIARY_OF; the first by target id if several)."""
        out: dict[str, str] = {}
        for e in self.subsidiary_of:
            out.setdefault(e.source, e.target)
        return out

    @cached_property
    def _groups(self) -> dict[str, str]:
        return {}

    def group(self, firm_id: str) -> str:
        """Id of the firm's corporate group: the top of its SUBSIDIARY_OF chain (cycle-safe, memoised)."""
        found = self._groups.get(firm_id)
        if found is None:
            seen = [firm_id]
            current = firm_id
            while current in self.parent_firm and self.parent_firm[current] not in seen:
                current = self.parent_firm[current]
                seen.append(current)
            self._groups[firm_id] = found = current
        return found

    @cached_property
    def group_members(self) -> dict[str, list[str]]:
        """Corporate group id → ids of its firms, sorted (only groups joined by SUBSIDIARY_OF edges)."""
        involved = {e.source for e in self.subsidiary_of} | {e.target for e in self.subsidiary_of}
        out: dict[str, list[str]] = {}
        for fid in sorted(involved):
            if fid in self.firms:
                out.setdefault(self.group(fid), []).append(fid)
        return out

    @cached_property
    def customers_of(self) -> dict[str, list[str]]:
        """Firm id → ids of the firms it supplies (SUPPLIES_TO), sorted."""
        out: dict[str, list[str]] = {}
        for e in self.supplies_to:
            out.setdefault(e.source, []).append(e.target)
        return {k: sorted(set(v)) for k, v in out.items()}

    @cached_property
    def suppliers_of(self) -> dict[str, list[str]]:
        """Firm id → ids of the firms that supply it (SUPPLIES_TO), sorted."""
        out: dict[str, list[str]] = {}
        for e in self.supplies_to:
            out.setdefault(e.target, []).append(e.source)
        return {k: sorted(set(v)) for k, v in out.items()}

    @cached_property
    def unverified_links(self) -> frozenset[tuple[str, str, str]]:
        """Keys ``(kind, source, target)`` of the SUPPLIES_TO and SUBSIDIARY_OF edges marked ``unverified``.

        Every other such edge is ``sourced``: :mod:`queries.candidates` weighs a partner by it.
        """
        unverified = Confidence.UNVERIFIED
        return frozenset(e.key for e in (*self.supplies_to, *self.subsidiary_of) if e.confidence is unverified)

    @cached_property
    def subsidiaries(self) -> dict[str, list[str]]:
        """Firm id → ids of its direct subsidiaries, sorted."""
        out: dict[str, list[str]] = {}
        for e in self.subsidiary_of:
            out.setdefault(e.target, []).append(e.source)
        for items in out.values():
            items.sort()
        return out

    # -- narrowed copies -------------------------------------------------------------

    def as_of(self, year: int | None) -> ChainData:
        """Keep only OPERATES_IN, SUPPLIES_TO and SUBSIDIARY_OF facts valid in ``year``.

        An edge with a ``year`` later than ``year`` did not hold yet and is dropped;
        edges without a year always hold. ``None`` returns ``self``.

        Raises
        ------
        InvalidQuery
            When ``year`` is outside 1990–2100.
        """
        if year is None:
            return self
        check_as_of_year(year)

        def keep(edges: tuple[Edge, ...]) -> tuple[Edge, ...]:
            return tuple(e for e in edges if e.year is None or e.year <= year)

        return replace(
            self,
            operates=keep(self.operates),
            supplies_to=keep(self.supplies_to),
            subsidiary_of=keep(self.subsidiary_of),
            policies={
                pid: p for pid, p in self.policies.items() if (source_year(p.date) or MIN_YEAR) <= year
            },  # a plan published after the as-of year did not name anything yet
            year=year,
        )

    def without_firms(self, firm_ids: Iterable[str]) -> ChainData:
        """A copy without these firms and every edge that touches them."""
        gone = set(firm_ids)
        return replace(
            self,
            firms={k: v for k, v in self.firms.items() if k not in gone},
            operates=tuple(e for e in self.operates if e.source not in gone),
            supplies_to=tuple(e for e in self.supplies_to if e.source not in gone and e.target not in gone),
            subsidiary_of=tuple(e for e in self.subsidiary_of if e.source not in gone and e.target not in gone),
            removed=tuple(sorted({*self.removed, *gone})),
        )


def check_as_of_year(year: int | None) -> None:
    """Raise :class:`InvalidQuery` unless ``year`` is None or within 1990–2100."""
    if year is not None and not MIN_YEAR <= year <= MAX_YEAR:
        raise InvalidQuery(f"year must be between {MIN_YEAR} and {MAX_YEAR}; got {year}", param="year", value=year)


def _read(store: GraphStore) -> ChainData:
    def of(kind: NodeKind, cls: type) -> dict:  # type: ignore[type-arg]
        return {n.id: n for n in store.nodes(kind) if isinstance(n, cls)}

    segments: dict[str, Segment] = of(NodeKind.SEGMENT, Segment)
    segment_cluster = {e.source: e.target for e in store.edges(EdgeKind.PART_OF) if e.source in segments}
    for sid, seg in segments.items():
        segment_cluster.setdefault(sid, seg.cluster_id)
    sources = of(NodeKind.SOURCE, Source)
    return ChainData(
        clusters=of(NodeKind.CLUSTER, Cluster),
        segments=segments,
        segment_cluster=segment_cluster,
        firms=of(NodeKind.FIRM, Firm),
        districts=of(NodeKind.DISTRICT, District),
        supplies=tuple(store.edges(EdgeKind.SUPPLIES)),
        operates=tuple(store.edges(EdgeKind.OPERATES_IN)),
        supplies_to=tuple(store.edges(EdgeKind.SUPPLIES_TO)),
        subsidiary_of=tuple(store.edges(EdgeKind.SUBSIDIARY_OF)),
        source_years={sid: source_year(s.date) for sid, s in sources.items()},
        source_titles={sid: (s.name_zh, s.name_en) for sid, s in sources.items()},
        policies=of(NodeKind.POLICY, Policy),
        policy_targets=tuple(store.edges(EdgeKind.TARGETS_SEGMENT)),
    )


def source_year(date: str) -> int | None:
    """The year a source's ``date`` gives (``2021-10-09``, ``2022``, ``2023-05 (approximate)``), else ``None``.

    >>> source_year("2021-10-09"), source_year("2022"), source_year(""), source_year("n.d.")
    (2021, 2022, None, None)
    """
    match = re.match(r"\s*(\d{4})", date or "")
    return int(match.group(1)) if match else None


def chain_data(store: GraphStore, year: int | None = None) -> ChainData:
    """Return the :class:`ChainData` of ``store`` (as of ``year``), cached per data version."""
    check_as_of_year(year)
    full = per_version(store, "chain-data", lambda: _read(store))
    if year is None:
        return full
    return per_version(store, "chain-data", lambda: full.as_of(year), year)


# -- structure of the SUPPLIES graph --------------------------------------------------


@dataclass(frozen=True)
class Structure:
    """Graph metrics of the SUPPLIES graph over all segments of all clusters.

    Attributes
    ----------
    graph : networkx.DiGraph
        Segment → segment supply links (read-only by convention).
    descendants, ancestors : mapping of segment id → frozenset
        Segments reachable downstream / upstream along SUPPLIES, without the segment.
    betweenness : mapping of segment id → float
        Directed betweenness, normalised by 1/((n−1)(n−2)) as networkx does.
    dominated : mapping of segment id → frozenset
        Segments every supply path to which (from the chain's sources) passes through it.
    articulation : frozenset
        Articulation points of the undirected SUPPLIES graph.
    """

    graph: nx.DiGraph
    descendants: Mapping[str, frozenset[str]]
    ancestors: Mapping[str, frozenset[str]]
    betweenness: Mapping[str, float]
    dominated: Mapping[str, frozenset[str]]
    articulation: frozenset[str]


def supplies_graph(data: ChainData) -> nx.DiGraph:
    """The SUPPLIES graph over every segment, nodes and edges added in sorted order."""
    graph = nx.DiGraph()
    graph.add_nodes_from(sorted(data.segments))
    graph.add_edges_from(
        (e.source, e.target) for e in data.supplies if e.source in data.segments and e.target in data.segments
    )
    return graph


def dominated_sets(graph: nx.DiGraph) -> dict[str, frozenset[str]]:
    """Map each node to the nodes it dominates, from a virtual root feeding every source.

    The root feeds every node of each source strongly connected component (one
    with no incoming link), so every node is reachable even in a cycle. Node
    ``v`` dominates ``w`` when every path from the root to ``w`` passes through
    ``v`` (Cooper, Harvey & Kennedy via ``networkx.immediate_dominators``).

    >>> g = nx.DiGraph([("a", "c"), ("b", "c"), ("c", "d")])
    >>> {k: sorted(v) for k, v in dominated_sets(g).items()}
    {'a': [], 'b': [], 'c': ['d'], 'd': []}
    """
    if graph.number_of_nodes() == 0:
        return {}
    rooted = nx.DiGraph()
    rooted.add_nodes_from(graph.nodes)
    rooted.add_edges_from(graph.edges)
    condensed = nx.condensation(graph)
    for comp in condensed.nodes:
        if condensed.in_degree(comp) == 0:
            for member in condensed.nodes[comp]["members"]:
                rooted.add_edge(ROOT, member)
    idom = nx.immediate_dominators(rooted, ROOT)
    tree: dict[str, list[str]] = {}
    for node, dom in idom.items():
        if node != ROOT and dom != node:
            tree.setdefault(dom, []).append(node)
    out: dict[str, frozenset[str]] = {}

    def below(node: str) -> frozenset[str]:
        if node not in out:
            found: set[str] = set()
            stack = list(tree.get(node, []))
            while stack:
                item = stack.pop()
                if item not in found:
                    found.add(item)
                    stack.extend(tree.get(item, []))
            out[node] = frozenset(found)
        return out[node]

    return {node: below(node) for node in sorted(graph.nodes)}


def compute_structure(data: ChainData) -> Structure:
    """Compute the :class:`Structure` of ``data``'s SUPPLIES graph.

    It depends only on segments and SUPPLIES, which neither ``as_of`` nor
    ``without_firms`` changes, so those copies share the structure of the full data.
    """
    graph = supplies_graph(data)
    return Structure(
        graph=graph,
        descendants={n: frozenset(nx.descendants(graph, n)) for n in graph.nodes},
        ancestors={n: frozenset(nx.ancestors(graph, n)) for n in graph.nodes},
        betweenness=nx.betweenness_centrality(graph, normalized=True),
        dominated=dominated_sets(graph),
        articulation=frozenset(nx.articulation_points(graph.to_undirected())),
    )


def chain_order(st: Structure, data: ChainData, segment_ids: Iterable[str]) -> list[str]:
    """Order segments upstream → downstream: topologically by SUPPLIES, ties by position, then id.

    Only links among ``segment_ids`` count. Segments in a supply cycle are kept
    together, ordered by position and id.
    """
    ids = sorted(set(segment_ids))
    sub = st.graph.subgraph(ids)
    condensed = nx.condensation(sub)

    def rank(sid: str) -> tuple[int, str]:
        return (POSITION_ORDER[data.segments[sid].position], sid)

    members = {c: sorted(condensed.nodes[c]["members"], key=rank) for c in condensed.nodes}
    order = nx.lexicographical_topological_sort(condensed, key=lambda c: rank(members[c][0]))
    return [sid for comp in order for sid in members[comp]]
