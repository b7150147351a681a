"""The further layers of the graph (projects, tiers, policies, platforms), read once per data version.

:class:`LayerData` is a read-only snapshot of the Project, Policy, Tier and
Platform nodes and of the edges that join them to the chain, read through the
:class:`~graph.store.GraphStore` interface only (so every backend answers the
same), indexed for the queries of :mod:`queries.projects`, :mod:`queries.tiers`,
:mod:`queries.policies` and :mod:`queries.completeness`.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> data = layer_data(MemoryStore(tiny_layers()))
>>> data.projects_of_segment["t-cell"]
['prj-cell-1', 'prj-cell-2']
>>> [(e.source, e.year, e.batch) for e in data.holders_of_tier["tier-champion"]]
[('f-cell-a', 2021, 6), ('o-lith-a', 2019, 4)]
>>> data.policies_targeting["t-recycling"]
[('pol-recycling', 'TARGETS_SEGMENT')]
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import cached_property

from graph.model import Edge, EdgeKind, NodeKind, Platform, Policy, Project, Tier
from graph.store import GraphStore
from queries.cache import per_version


def _index(edges: tuple[Edge, ...], *, by_target: bool = False) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for e in edges:
        key, value = (e.target, e.source) if by_target else (e.source, e.target)
        out.setdefault(key, []).append(value)
    return {k: sorted(set(v)) for k, v in out.items()}


@dataclass(frozen=True)
class LayerData:
    """Projects, policies, tiers and platforms with their edges, each tuple sorted by key.

    Attributes
    ----------
    projects, policies, tiers, platforms : mapping of id → node
    built_by, project_in, sited_in : tuple of Edge
        Project → firm, segment and district.
    holds_tier, runs : tuple of Edge
        Firm → tier (with ``year`` and ``batch``) and firm → platform.
    targets : tuple of Edge
        Policy → tier, cluster or segment (TARGETS_TIER, TARGETS_CLUSTER, TARGETS_SEGMENT).
    """

    projects: Mapping[str, Project]
    policies: Mapping[str, Policy]
    tiers: Mapping[str, Tier]
    platforms: Mapping[str, Platform]
    built_by: tuple[Edge, ...]
    project_in: tuple[Edge, ...]
    sited_in: tuple[Edge, ...]
    holds_tier: tuple[Edge, ...]
    runs: tuple[Edge, ...]
    targets: tuple[Edge, ...]

    @cached_property
    def firms_of_project(self) -> dict[str, list[str]]:
        """Project id → ids of the firms that build it, sorted."""
        return _index(self.built_by)

    @cached_property
    def segments_of_project(self) -> dict[str, list[str]]:
        """Project id → ids of its segments, sorted."""
        return _index(self.project_in)

    @cached_property
    def districts_of_project(self) -> dict[str, list[str]]:
        """Project id → ids of the districts it is sited in, sorted."""
        return _index(self.sited_in)

    @cached_property
    def projects_of_segment(self) -> dict[str, list[str]]:
        """Segment id → ids of the projects in it (directly), sorted."""
        return _index(self.project_in, by_target=True)

    @cached_property
    def projects_of_firm(self) -> dict[str, list[str]]:
        """Firm id → ids of the projects it builds, sorted."""
        return _index(self.built_by, by_target=True)

    @cached_property
    def holders_of_tier(self) -> dict[str, list[Edge]]:
        """Tier id → its HOLDS_TIER edges, sorted by key."""
        out: dict[str, list[Edge]] = {}
        for e in self.holds_tier:
            out.setdefault(e.target, []).append(e)
        return out

    @cached_property
    def tiers_of_firm(self) -> dict[str, list[Edge]]:
        """Firm id → its HOLDS_TIER edges, sorted by key."""
        out: dict[str, list[Edge]] = {}
        for e in self.holds_tier:
            out.setdefault(e.source, []).append(e)
        return out

    @cached_property
    def platforms_of_firm(self) -> dict[str, list[Edge]]:
        """Firm id → its RUNS edges, sorted by key."""
        out: dict[str, list[Edge]] = {}
        for e in self.runs:
            out.setdefault(e.source, []).append(e)
        return out

    @cached_property
    def targets_of_policy(self) -> dict[str, list[Edge]]:
        """Policy id → its TARGETS_* edges, sorted by key."""
        out: dict[str, list[Edge]] = {}
        for e in self.targets:
            out.setdefault(e.source, []).append(e)
        return out

    @cached_property
    def policies_targeting(self) -> dict[str, list[tuple[str, str]]]:
        """Target id (tier, cluster or segment) → ``(policy id, edge kind)`` pairs, sorted."""
        out: dict[str, list[tuple[str, str]]] = {}
        for e in self.targets:
            out.setdefault(e.target, []).append((e.source, e.kind.value))
        return {k: sorted(v) for k, v in out.items()}


def _read(store: GraphStore) -> LayerData:
    def of(kind: NodeKind, cls: type) -> dict:  # type: ignore[type-arg]
        return {n.id: n for n in store.nodes(kind) if isinstance(n, cls)}

    targets = [
        e
        for kind in (EdgeKind.TARGETS_CLUSTER, EdgeKind.TARGETS_SEGMENT, EdgeKind.TARGETS_TIER)
        for e in store.edges(kind)
    ]
    return LayerData(
        projects=of(NodeKind.PROJECT, Project),
        policies=of(NodeKind.POLICY, Policy),
        tiers=of(NodeKind.TIER, Tier),
        platforms=of(NodeKind.PLATFORM, Platform),
        built_by=tuple(store.edges(EdgeKind.BUILT_BY)),
        project_in=tuple(store.edges(EdgeKind.PROJECT_IN)),
        sited_in=tuple(store.edges(EdgeKind.SITED_IN)),
        holds_tier=tuple(store.edges(EdgeKind.HOLDS_TIER)),
        runs=tuple(store.edges(EdgeKind.RUNS)),
        targets=tuple(sorted(targets, key=lambda e: e.key)),
    )


def layer_data(store: GraphStore) -> LayerData:
    """Return the :class:`LayerData` of ``store``, cached per data version."""
    return per_version(store, "layer-data", lambda: _read(store))
