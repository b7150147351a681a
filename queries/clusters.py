"""Clusters: the list, with segment and firm counts, and one cluster in detail.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> items = list_clusters(store)
>>> items[0]["id"], items[0]["segment_count"], items[0]["local_firm_count"]
('t-nev', 7, 8)
>>> list_clusters(store, year=2024)
[]
"""

from __future__ import annotations

from typing import Any

from graph.errors import InvalidQuery
from graph.model import Cluster, EdgeKind, Firm, NodeKind
from graph.store import GraphStore
from queries.cache import per_version
from queries.figures import counted_scope, figure_text, with_scope_en
from queries.lookup import require
from queries.segment_graph import chain_data

LIST_YEARS = (2022, 2024)
"""The published versions of the ten-cluster list that the model knows."""
LIST_SIZE = 10
"""How many clusters each published list holds: the ten advanced-manufacturing clusters (十大先进制造业集群).

No table has a column for it; the data state it in the lists' sources: reply-2022-56 (常工信复〔2022〕第56号, a
source of the 2022 list: "着力壮大高端装备、新能源汽车及汽车核心零部件、新材料、新一代电子信息技术等十大先进制造业
集群"), s5-zhonglou-2024-04 (the 2024 list, "District-level list of ten clusters" in sources.csv), and the note
of the 2022 list in ``cluster_lists.csv`` ("slots 8-10 of the 2022 list were not found in any source")."""


def lists_note(clusters: list[dict[str, Any]]) -> dict[str, str] | None:
    """Why a page titled 十大 (ten) lists another number of clusters: the published lists changed.

    ``clusters`` as :func:`list_clusters` gives them (``list_years`` each); ``None`` when they are exactly one
    complete list's ten. The overview's subtitle and the home page say it.

    >>> note = lists_note([{"list_years": [2022, 2024]}, {"list_years": [2024]}, {"list_years": [2022]}])
    >>> note["en"]
    '3 clusters: the union of the published lists (2022: 2 of the 10 known; 2024: 2 of the 10 known)'
    >>> note["zh"]
    '数据收录 3 个集群：已公布名单的并集（2022 年：已知 2 个，共 10 个；2024 年：已知 2 个，共 10 个）'
    """
    years = sorted({y for c in clusters for y in c.get("list_years", [])})
    counts = [(y, sum(1 for c in clusters if y in c.get("list_years", []))) for y in years]
    if len(clusters) == LIST_SIZE and all(n == LIST_SIZE for _, n in counts):
        return None
    en = [f"{y}: {n}" + (f" of the {LIST_SIZE} known" if n < LIST_SIZE else "") for y, n in counts]
    zh = [f"{y} 年：" + (f"已知 {n} 个，共 {LIST_SIZE} 个" if n < LIST_SIZE else f"{n} 个") for y, n in counts]
    return {
        "zh": f"数据收录 {len(clusters)} 个集群：已公布名单的并集（{'；'.join(zh)}）",
        "en": f"{len(clusters)} clusters: the union of the published lists ({'; '.join(en)})",
    }


def incomplete_list_note(list_year: int, known: int, size: int = LIST_SIZE) -> dict[str, str] | None:
    """What to say when the data know fewer than ``size`` clusters of the ``list_year`` list; None when they know all.

    ``known`` is how many clusters the data place on that list (``len(list_clusters(store, list_year))``).

    >>> incomplete_list_note(2022, 7)["en"]
    'the 2022 list: 7 of its 10 clusters are known; the other 3 were not found in any source consulted'
    >>> incomplete_list_note(2022, 7)["zh"]
    '2022 年名单仅知 7 个集群（共 10 个；其余 3 个在已查来源中均未找到）'
    >>> incomplete_list_note(2024, 10) is None
    True
    """
    if known >= size:
        return None
    rest = size - known
    return {
        "zh": f"{list_year} 年名单仅知 {known} 个集群（共 {size} 个；其余 {rest} 个在已查来源中均未找到）",
        "en": (
            f"the {list_year} list: {known} of its {size} clusters are known; "
            f"the other {rest} {'was' if rest == 1 else 'were'} not found in any source consulted"
        ),
    }


def list_completeness(list_year: int | None, known: int) -> dict[str, Any]:
    """The members a list answer carries for one published cluster list: its size, and a note when the
    data know only part of it (:func:`incomplete_list_note`); all ``None`` without a list year.

    ``known`` is how many clusters the answer holds for ``list_year``.

    >>> list_completeness(2022, 7)["list_size"], list_completeness(2022, 7)["list_note_en"][:35]
    (10, 'the 2022 list: 7 of its 10 clusters')
    >>> list_completeness(2024, 10)
    {'list_size': 10, 'list_note_zh': None, 'list_note_en': None}
    >>> list_completeness(None, 11)
    {'list_size': None, 'list_note_zh': None, 'list_note_en': None}
    """
    note = incomplete_list_note(list_year, known) if list_year is not None else None
    return {
        "list_size": LIST_SIZE if list_year is not None else None,
        "list_note_zh": note["zh"] if note else None,
        "list_note_en": note["en"] if note else None,
    }


def narrowed_list_completeness(store: GraphStore, list_year: int | None, cluster: str | None) -> dict[str, Any]:
    """:func:`list_completeness` of a gap or target list narrowed to the clusters of the ``list_year`` list.

    One ``cluster`` answers as without the list year (on the list, the same answer; off it, the query refuses),
    so it carries no list members; without a list year they are all ``None``.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> store = MemoryStore(tiny_chain())
    >>> narrowed_list_completeness(store, 2022, None)["list_note_en"][:35]
    'the 2022 list: 1 of its 10 clusters'
    >>> narrowed_list_completeness(store, 2022, "t-nev")["list_size"] is None
    True
    """
    year = list_year if cluster is None else None
    return list_completeness(year, len(list_clusters(store, year)) if year is not None else 0)


def district_names(store: GraphStore) -> dict[str, str]:
    """Each district's Chinese name → its English name (those with one), once per data version.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> district_names(MemoryStore(tiny_chain()))["武进区"]
    'Wujin'
    """
    return per_version(
        store,
        "district-names",
        lambda: {n.name_zh: n.name_en for n in store.nodes(NodeKind.DISTRICT) if n.name_en},
    )


def cluster_firm_sets(store: GraphStore) -> dict[str, dict[str, set[str]]]:
    """Map cluster id → {"segments": ids, "local": firm ids, "outside": firm ids}, once per data version.

    Read-only: it is shared by every caller until the graph changes (:mod:`queries.cache`).
    On Neo4j it reads every PART_OF and OPERATES_IN edge and every firm, so the cluster list,
    a cluster and the firm list of a cluster would otherwise each read them on every request.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> sets = cluster_firm_sets(MemoryStore(tiny_chain()))["t-nev"]
    >>> len(sets["segments"]), len(sets["local"])
    (7, 8)
    """
    return per_version(store, "cluster-firms", lambda: _cluster_firms(store))


def _cluster_firms(store: GraphStore) -> dict[str, dict[str, set[str]]]:
    """Map cluster id → {"segments": ids, "local": firm ids, "outside": firm ids}."""
    seg_cluster: dict[str, str] = {e.source: e.target for e in store.edges(EdgeKind.PART_OF)}
    out: dict[str, dict[str, set[str]]] = {}
    for seg, cluster in seg_cluster.items():
        out.setdefault(cluster, {"segments": set(), "local": set(), "outside": set()})["segments"].add(seg)
    local = {n.id for n in store.nodes(NodeKind.FIRM) if isinstance(n, Firm) and n.is_local}
    for e in store.edges(EdgeKind.OPERATES_IN):
        owner = seg_cluster.get(e.target)
        if owner is not None:
            out[owner]["local" if e.source in local else "outside"].add(e.source)
    return out


def _summary(cluster: Cluster, stats: dict[str, set[str]] | None) -> dict[str, Any]:
    stats = stats or {"segments": set(), "local": set(), "outside": set()}
    return {
        "id": cluster.id,
        "name_zh": cluster.name_zh,
        "name_en": cluster.name_en,
        "segment_count": len(stats["segments"]),
        "local_firm_count": len(stats["local"]),
        "outside_firm_count": len(stats["outside"]),
        "list_years": list(cluster.list_years),
        "designations": list(cluster.designations),
        "designation_items": [item.model_dump(mode="json") for item in cluster.designation_items],
        "confidence": cluster.confidence.value,
        "sources": list(cluster.sources),
    }


def check_year(year: int | None, name: str = "year") -> None:
    """Raise :class:`InvalidQuery` unless ``year`` is None or a known list year; the error names ``name``."""
    if year is not None and year not in LIST_YEARS:
        raise InvalidQuery(
            f"{name} must be one of {', '.join(map(str, LIST_YEARS))} (a published list); got {year}",
            param=name,
            value=year,
        )


def list_clusters(store: GraphStore, year: int | None = None) -> list[dict[str, Any]]:
    """Return every cluster, or those on the ``year`` version of the list, sorted by id.

    Parameters
    ----------
    store : GraphStore
    year : int, optional
        2022 or 2024: only clusters on that published list. ``None``: all clusters
        ever listed, each with the ``list_years`` it appears in.
    """
    check_year(year)
    stats = cluster_firm_sets(store)
    out = []
    for node in store.nodes(NodeKind.CLUSTER):
        assert isinstance(node, Cluster)
        if year is not None and year not in node.list_years:
            continue
        out.append(_summary(node, stats.get(node.id)))
    return out


def get_cluster(store: GraphStore, cluster_id: str) -> dict[str, Any]:
    """Return one cluster with its listings, figures by year and segments.

    Raises
    ------
    NodeNotFound
        When no cluster has this id; the error suggests the nearest ids.
    """
    node = require(store, cluster_id, NodeKind.CLUSTER)
    assert isinstance(node, Cluster)
    stats = cluster_firm_sets(store).get(node.id)
    out = _summary(node, stats)
    out["listings"] = [item.model_dump(mode="json") for item in node.listings]
    out["figures"] = [item.model_dump(mode="json") for item in sorted(node.figures, key=lambda f: (f.year, f.metric))]
    data = chain_data(store)
    known = data.segments  # one read per data version, not one per segment
    districts = district_names(store)
    members = data.cluster_segments(node.id)
    for fig in out["figures"]:  # as the views word it: 超1300 亿元 (2021) / over CNY 130 billion (2021)
        worded = with_scope_en(counted_scope(fig, members, data.subtree), districts)
        fig["text_zh"], fig["text_en"] = figure_text(worded), figure_text(worded, english=True)
    segments = [known.get(e.source) for e in store.edges(EdgeKind.PART_OF, target=node.id)]
    out["segments"] = [
        {"id": s.id, "name_zh": s.name_zh, "name_en": s.name_en, "position": getattr(s, "position", None)}
        for s in segments
        if s is not None
    ]
    out["note"] = node.note
    return out
