"""Parity: one set of cases, run on the networkx store and on Neo4j, must give identical answers.

Every case is ``name -> function(store, picks)``; ``picks`` holds real ids taken from the dataset under
test (a crowded segment, a busy firm...), so the cases work on any dataset. The reference answer of each
case comes from a separate :class:`MemoryStore` built on the same dataset. Adding a query to the parity
suite is one line in :data:`CASES`. Errors are part of the answer: a case that raises a
:class:`ChainGraphError` must raise the same one, with the same message and extras, on both stores.

Datasets: the tiny chain, the bundled Changzhou data and a seeded synthetic one (``graph.synth``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest

from graph.dataset import Dataset
from graph.errors import ChainGraphError
from graph.fixtures import tiny_chain, tiny_layers
from graph.memory_store import MemoryStore
from graph.model import EdgeKind, Firm, NodeKind
from graph.store import GraphStore
from graph.synth import synth_dataset
from queries.analysis import precompute
from queries.candidacy import firm_candidacy
from queries.candidates import candidates, rank_candidates
from queries.chain import chain
from queries.cluster_links import cluster_links
from queries.clusters import (
    cluster_firm_sets,
    district_names,
    get_cluster,
    list_clusters,
    narrowed_list_completeness,
)
from queries.completeness import completeness
from queries.criticality import critical_firms, critical_segments
from queries.districts import get_district, list_districts
from queries.firms import FirmFilter, anchor_clusters, anchor_ids, get_firm, list_firms
from queries.gaps import gaps, listed_clusters, on_list
from queries.health import health, health_ranking
from queries.impact import impact
from queries.layer_data import layer_data
from queries.layer_items import source_refs
from queries.lookup import kind_index, named_ids, nearest_ids, related_ids
from queries.platforms import get_platform, list_platforms
from queries.policies import get_policy, list_policies, policy_gaps
from queries.projects import get_project, list_projects
from queries.search import search
from queries.segment_graph import chain_data
from queries.segments import get_segment
from queries.sources import citations, get_source, list_sources
from queries.targets import targets
from queries.tiers import get_tier, list_tiers, tiers_of_firm
from queries.what_if import supply_partners, what_if


@dataclass(frozen=True)
class Picks:
    """Real ids from the dataset under test, chosen the same way on any dataset."""

    cluster: str
    segment: str  # the segment with the most firms
    empty_segment: str  # a segment no firm operates in (or the least crowded)
    firm: str  # the firm in the most segments
    local_firm: str
    outside_firm: str
    district: str
    name_part: str  # part of a firm's Chinese name, for search

    @classmethod
    def of(cls, ds: Dataset) -> Picks:
        crowd = Counter(e.target for e in ds.edges_of(EdgeKind.OPERATES_IN))
        segments = sorted(n.id for n in ds.of_kind(NodeKind.SEGMENT))
        busy = Counter(e.source for e in ds.edges_of(EdgeKind.OPERATES_IN))
        firms = sorted((n for n in ds.of_kind(NodeKind.FIRM) if isinstance(n, Firm)), key=lambda f: f.id)
        top_firm = max(firms, key=lambda f: (busy[f.id], f.id))
        return cls(
            cluster=sorted(n.id for n in ds.of_kind(NodeKind.CLUSTER))[0],
            segment=max(segments, key=lambda s: (crowd[s], s)),
            empty_segment=min(segments, key=lambda s: (crowd[s], s)),
            firm=top_firm.id,
            local_firm=next(f.id for f in firms if f.is_local),
            outside_firm=next(f.id for f in firms if not f.is_local),
            district=sorted(n.id for n in ds.of_kind(NodeKind.DISTRICT))[0],
            name_part=top_firm.name_zh[:2],
        )


Case = Callable[[GraphStore, Picks], Any]

CASES: dict[str, Case] = {
    # -- the GraphStore interface
    "node": lambda s, p: [s.node(i) for i in (p.cluster, p.segment, p.firm, p.district)],
    "node(missing)": lambda s, p: s.node("no-such-id"),
    "nodes(every kind)": lambda s, p: {k.value: s.nodes(k) for k in NodeKind},
    "edges()": lambda s, p: s.edges(),
    "edges(every kind)": lambda s, p: {k.value: s.edges(k) for k in EdgeKind},
    "edges(source)": lambda s, p: (s.edges(source=p.firm), s.edges(EdgeKind.OPERATES_IN, source=p.firm)),
    "edges(target)": lambda s, p: (s.edges(target=p.segment), s.edges(EdgeKind.PART_OF, target=p.cluster)),
    "edges(source, target)": lambda s, p: s.edges(source=p.segment, target=p.cluster),
    "edges(missing node)": lambda s, p: (s.edges(source="no-such-id"), s.edges(target="no-such-id")),
    "snapshot": lambda s, p: (list(s.snapshot().nodes.items()), list(s.snapshot().edges.items())),
    "snapshot fingerprint": lambda s, p: s.snapshot().fingerprint(),
    "counts": lambda s, p: s.counts(),
    "ping state": lambda s, p: s.ping()["state"],
    # -- queries/
    "nearest_ids": lambda s, p: nearest_ids(s, p.segment[:-1], NodeKind.SEGMENT),
    "named_ids": lambda s, p: [
        named_ids(s, s.node(i).name_zh, kind) for i, kind in ((p.firm, NodeKind.FIRM), (p.segment, NodeKind.SEGMENT))
    ],
    "related_ids": lambda s, p: (
        related_ids(s, s.node(p.segment), NodeKind.CLUSTER),
        related_ids(s, s.node(p.firm), NodeKind.SEGMENT),
        related_ids(s, s.node(p.firm), NodeKind.CLUSTER),
    ),
    "kind_index": lambda s, p: [kind_index(s, kind) for kind in NodeKind],
    "nearest_ids(by name)": lambda s, p: (
        nearest_ids(s, s.node(p.firm).name_zh, NodeKind.FIRM),
        nearest_ids(s, s.node(p.cluster).name_zh[:2], NodeKind.CLUSTER),
    ),
    "chain_data": lambda s, p: chain_data(s),
    "list_clusters": lambda s, p: list_clusters(s),
    "list_clusters(2022)": lambda s, p: list_clusters(s, year=2022),
    "list_clusters(2024)": lambda s, p: list_clusters(s, year=2024),
    "list_clusters(bad year)": lambda s, p: list_clusters(s, year=1999),
    "district_names": lambda s, p: district_names(s),
    "narrowed_list_completeness(2022)": lambda s, p: narrowed_list_completeness(s, 2022, None),
    "narrowed_list_completeness(2024, one cluster)": lambda s, p: narrowed_list_completeness(s, 2024, "nev"),
    "get_cluster": lambda s, p: get_cluster(s, p.cluster),
    "cluster_firm_sets": lambda s, p: cluster_firm_sets(s),
    "get_cluster(missing)": lambda s, p: get_cluster(s, p.cluster + "x"),
    "list_firms": lambda s, p: list_firms(s, FirmFilter(), limit=500),
    "list_firms(segment)": lambda s, p: list_firms(s, FirmFilter(segment=p.segment)),
    "list_firms(cluster, outside)": lambda s, p: list_firms(s, FirmFilter(cluster=p.cluster, local=False)),
    "list_firms(district, q)": lambda s, p: list_firms(s, FirmFilter(district=p.district, q=p.name_part)),
    "list_firms(page 2)": lambda s, p: list_firms(s, FirmFilter(), limit=7, offset=7),
    "get_firm": lambda s, p: [get_firm(s, f) for f in (p.firm, p.local_firm, p.outside_firm)],
    "get_firm(missing)": lambda s, p: get_firm(s, "no-such-firm"),
    "get_segment": lambda s, p: [get_segment(s, p.segment), get_segment(s, p.empty_segment)],
    "chain": lambda s, p: chain(s, p.cluster),
    "chain(as of 2022)": lambda s, p: chain(s, p.cluster, year=2022),
    "gaps(all)": lambda s, p: gaps(s),
    "gaps(cluster, missing)": lambda s, p: gaps(s, cluster=p.cluster, kind="missing"),
    "gaps(min severity)": lambda s, p: gaps(s, min_severity=0.5),
    "gaps(2022 list)": lambda s, p: gaps(s, list_year=2022),
    "listed_clusters": lambda s, p: [listed_clusters(s, None, year) for year in (None, 2022, 2024)],
    "on_list": lambda s, p: on_list(s, gaps(s), None, 2024),
    "anchor_ids": lambda s, p: (anchor_ids(s), anchor_ids(s, p.cluster)),
    "anchor_clusters": lambda s, p: anchor_clusters(s),
    "gaps(no candidates)": lambda s, p: (
        gaps(s, has_candidates=False),
        gaps(s, cluster=p.cluster, has_candidates=True),
    ),
    "candidates": lambda s, p: candidates(s, p.empty_segment),
    "rank_candidates": lambda s, p: rank_candidates(s, p.segment),
    "targets": lambda s, p: (
        targets(s),
        targets(s, p.cluster, kind="missing", min_severity=0.1),
        targets(s, p.cluster, per_gap=1),
        targets(s, untargeted=True),
    ),
    "cluster_links": lambda s, p: (cluster_links(s), cluster_links(s, p.cluster)),
    "cluster_links(missing cluster)": lambda s, p: cluster_links(s, "no-such-cluster"),
    "cluster_links(2024 list)": lambda s, p: (cluster_links(s, list_year=2024), cluster_links(s, list_year=2022)),
    "targets(missing cluster)": lambda s, p: targets(s, p.cluster + "x"),
    "impact": lambda s, p: [impact(s, p.segment), impact(s, p.empty_segment)],
    "impact (parents: their sub-segments' links)": lambda s, p: [
        impact(s, sid) for sid in sorted({getattr(n, "parent_id", "") for n in s.nodes(NodeKind.SEGMENT)} - {""})[:3]
    ],
    "impact (ends of unverified supply: sourced_distance both ways)": lambda s, p: [
        impact(s, sid)
        for sid in sorted(
            {end for e in s.edges(EdgeKind.SUPPLIES) if e.confidence == "unverified" for end in (e.source, e.target)}
        )[:4]
    ],
    "what_if": lambda s, p: what_if(s, [p.firm, p.local_firm]),
    "firm_candidacy": lambda s, p: (
        [
            firm_candidacy(s, fid)
            for fid in sorted({e.source for e in s.edges(EdgeKind.OPERATES_IN)})[
                :: max(1, len(s.nodes(NodeKind.FIRM)) // 8)
            ]
        ]
        + [firm_candidacy(s, p.firm), firm_candidacy(s, p.local_firm)]
    ),
    "supply_partners": lambda s, p: [
        supply_partners(s, [fid])
        for fid in sorted({end for e in s.edges(EdgeKind.SUPPLIES_TO) for end in (e.source, e.target)})[:6]
    ],
    "critical_segments": lambda s, p: critical_segments(s, p.cluster),
    "critical_segments(every cluster, as of 2020)": lambda s, p: [
        critical_segments(s, cid, 2020) for cid in sorted(n.id for n in s.nodes(NodeKind.CLUSTER))
    ],
    "critical_firms": lambda s, p: critical_firms(s, p.cluster),
    "get_source": lambda s, p: [get_source(s, sid) for sid in sorted(n.id for n in s.nodes(NodeKind.SOURCE))[:5]],
    "get_source(missing)": lambda s, p: get_source(s, "no-such-source"),
    "citations": lambda s, p: citations(s),
    "list_sources": lambda s, p: list_sources(s),
    "list_sources(filters)": lambda s, p: [
        list_sources(s, q="2022"),
        list_sources(s, reliability="official", cited=True),
        list_sources(s, cited=False),
    ],
    "health": lambda s, p: health(s, p.cluster),
    "health_ranking": lambda s, p: health_ranking(s),
    "health_ranking(2024 list)": lambda s, p: health_ranking(s, list_year=2024),
    "search(name)": lambda s, p: search(s, p.name_part),
    "search(id)": lambda s, p: search(s, p.firm),
    "search(nothing)": lambda s, p: search(s, "zzzzzz-nothing"),
    "precompute": lambda s, p: precompute(s),
    # -- projects, tiers, policies, completeness (queries/projects.py, tiers.py, policies.py, completeness.py)
    "layer_data": lambda s, p: layer_data(s),
    "source_refs": lambda s, p: source_refs(s, ["no-such-source", *s.node(p.cluster).sources]),
    "list_projects": lambda s, p: list_projects(s, limit=500),
    "list_projects(cluster, year)": lambda s, p: [list_projects(s, cluster=p.cluster, year=y) for y in (2016, 2022)],
    "list_projects(segment, district)": lambda s, p: list_projects(s, segment=p.segment, district=p.district),
    "list_projects(bad status)": lambda s, p: list_projects(s, status="dreaming"),
    "get_project": lambda s, p: [get_project(s, i) for i in [n.id for n in s.nodes(NodeKind.PROJECT)][:5]],
    "get_project(missing)": lambda s, p: get_project(s, "no-such-project"),
    "list_tiers": lambda s, p: (list_tiers(s), list_tiers(s, year=2021)),
    "get_tier": lambda s, p: [get_tier(s, t.id) for t in s.nodes(NodeKind.TIER)],
    "tiers_of_firm": lambda s, p: [tiers_of_firm(s, f) for f in (p.firm, p.local_firm, p.outside_firm)],
    "list_firms(tier)": lambda s, p: [list_firms(s, FirmFilter(tier=t.id)) for t in s.nodes(NodeKind.TIER)],
    "list_policies": lambda s, p: (list_policies(s), list_policies(s, cluster=p.cluster)),
    "list_policies(segment)": lambda s, p: list_policies(s, segment=p.segment),
    "get_policy": lambda s, p: [get_policy(s, i.id) for i in s.nodes(NodeKind.POLICY)],
    "policy_gaps": lambda s, p: (policy_gaps(s, untargeted=True), policy_gaps(s, cluster=p.cluster)),
    "list_platforms": lambda s, p: (list_platforms(s), list_platforms(s, "lighthouse_factory")),
    "get_platform": lambda s, p: [get_platform(s, i.id) for i in s.nodes(NodeKind.PLATFORM)],
    "get_platform(missing)": lambda s, p: get_platform(s, "no-such-platform"),
    "list_districts": lambda s, p: (list_districts(s, limit=500), list_districts(s, limit=2, offset=1)),
    "get_district": lambda s, p: [get_district(s, d.id) for d in s.nodes(NodeKind.DISTRICT)],
    "get_district(missing)": lambda s, p: get_district(s, p.district + "x"),
    "completeness": lambda s, p: completeness(s, p.cluster),
    "completeness(segments, years)": lambda s, p: completeness(s, p.cluster, [p.segment], 2015, 2020),
}

DATASETS: dict[str, Callable[[], Dataset]] = {
    "tiny": tiny_chain,
    "layers": tiny_layers,
    "bundled": lambda: _bundled(),
    "synthetic": lambda: synth_dataset(400, seed=11),
}


def _bundled() -> Dataset:
    from chainkg.settings import BUNDLED_DATA
    from loaders.folder import load_folder

    return load_folder(BUNDLED_DATA)


def answer(case: Case, store: GraphStore, picks: Picks) -> Any:
    """The case's result, or the error it raised (type, message and extras) as a comparable value."""
    try:
        return case(store, picks)
    except ChainGraphError as err:
        return ("raised", type(err).__name__, str(err), err.extra())


@pytest.fixture(scope="module", params=list(DATASETS))
def dataset(request: pytest.FixtureRequest) -> Dataset:
    return DATASETS[request.param]()


@pytest.fixture(scope="module")
def picks(dataset: Dataset) -> Picks:
    return Picks.of(dataset)


@pytest.fixture(scope="module")
def reference(dataset: Dataset) -> MemoryStore:
    return MemoryStore(dataset)


@pytest.fixture(scope="module")
def networkx_store(dataset: Dataset) -> MemoryStore:
    store = MemoryStore()
    store.replace(dataset)
    return store


@pytest.fixture(params=["networkx", "neo4j"])
def store(request: pytest.FixtureRequest, dataset: Dataset) -> GraphStore:
    if request.param == "networkx":
        return request.getfixturevalue("networkx_store")  # type: ignore[no-any-return]
    neo = request.getfixturevalue("neo4j_store")
    if not neo.version().endswith(dataset.fingerprint()):  # another test may have loaded something else
        neo.replace(dataset)
    return neo  # type: ignore[no-any-return]


@pytest.mark.parametrize("name", list(CASES))
def test_same_answer_on_both_stores(name: str, store: GraphStore, reference: MemoryStore, picks: Picks) -> None:
    case = CASES[name]
    expected = answer(case, reference, picks)
    assert answer(case, store, picks) == expected


def test_every_public_query_has_a_parity_case() -> None:
    """A new query function in queries/ that takes a store must get a line in CASES."""
    import importlib
    import inspect
    import pkgutil

    import queries

    covered_by_others = {
        "require",
        "search_matches",
        "search_index",
        "build_index",
        "analysis_for",
        "structure_for",
        "per_version",
        "check_year",
    }
    missing = []
    for info in pkgutil.iter_modules(queries.__path__):
        module = importlib.import_module(f"queries.{info.name}")
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fn.__module__ != module.__name__ or fname.startswith("_") or fname in covered_by_others:
                continue
            params = list(inspect.signature(fn).parameters)
            if params[:1] == ["store"] and not any(key.split("(")[0] == fname for key in CASES):
                missing.append(f"{module.__name__}.{fname}")
    assert missing == []
