"""Cluster health (产业链健康度): a score in [0, 1] with its components, and a ranking of the clusters.

For a cluster with ``n`` segments::

    score = 0.40·coverage + 0.25·anchor_coverage + 0.20·solid_share + 0.15·(1 − concentration)

- ``coverage``: share of segments with at least one local firm (sub-segments included);
- ``anchor_coverage``: share of segments with a local firm in the ``anchor`` role;
- ``solid_share``: share of segments with a local presence that is not weak, ``(present − weak) / n``
  (``weak_links`` counts the weak ones, ``weak_share`` is ``weak / n``);
- ``concentration``: the mean over the segments of ``1/G``, ``G`` the number of local corporate groups
  in the segment (the HHI of the groups counted equally; 1 for a segment without a local firm: all its
  supply is outside). Groups are counted equally, not by role weight as the gap severity's ``H`` is:
  an HHI by weight falls when the leading group loses one of its firms, and health must not rise then.

Every term only falls as local firms leave, so a cluster's health never rises when firms leave, and a
cluster without any local firm scores 0. Before 2026-12-06 the third term was ``1 − weak_share`` and
the fourth the spread of firms across segments: both rose when firms left (a weak segment turned
missing, or the most crowded segment lost a firm), and a cluster without local firms scored 0.2.
A cluster without segments scores 0.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> h = health(MemoryStore(tiny_chain()), "t-nev")
>>> h["score"], h["components"]["coverage"], h["components"]["solid_share"], h["components"]["concentration"]
(0.435714, 0.714286, 0.285714, 0.857143)
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.model import Cluster, NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.clusters import check_year
from queries.gaps import select_gaps
from queries.lookup import require
from queries.segment_graph import r6

HEALTH_WEIGHTS: Mapping[str, float] = {
    "coverage": 0.40,
    "anchor_coverage": 0.25,
    "weak_links": 0.20,
    "concentration": 0.15,
}
"""Weights of the health components (they sum to 1)."""

TOP_GAPS = 3
"""How many of the most severe gaps a health answer names."""


def health_of(a: Analysis, cluster: Cluster) -> dict[str, Any]:
    """Compute the health of one cluster from an analysis."""
    ids = a.data.cluster_segments(cluster.id)
    n = len(ids)
    pres = [a.presence[s] for s in ids]
    present = sum(1 for p in pres if p.is_present)
    anchored = sum(1 for p in pres if p.anchors)
    weak = sum(1 for p in pres if p.status == "weak")
    coverage = present / n if n else 0.0
    anchor_coverage = anchored / n if n else 0.0
    weak_share = weak / n if n else 1.0
    solid_share = (present - weak) / n if n else 0.0
    group_hhi = [1 / p.group_count if p.group_count else 1.0 for p in pres]
    concentration = sum(group_hhi) / n if n else 1.0
    present_hhi = [h for h, p in zip(group_hhi, pres, strict=True) if p.is_present]
    parts = {
        "coverage": coverage,
        "anchor_coverage": anchor_coverage,
        "weak_links": solid_share,  # the key names the component the term answers for: weak links
        "concentration": 1 - concentration,
    }
    weighted = {k: HEALTH_WEIGHTS[k] * v for k, v in parts.items()}
    score = sum(weighted.values()) if n else 0.0
    top = select_gaps(a, cluster=cluster.id)[:TOP_GAPS]
    local = {f for p in pres for f in p.local}
    return {
        "cluster_id": cluster.id,
        "name_zh": cluster.name_zh,
        "name_en": cluster.name_en,
        "score": r6(score),
        "components": {
            "coverage": r6(coverage),
            "anchor_coverage": r6(anchor_coverage),
            "weak_links": weak,
            "weak_share": r6(weak_share),
            "solid_share": r6(solid_share),
            "concentration": r6(concentration),
            "hhi": r6(sum(present_hhi) / len(present_hhi)) if present_hhi else 1.0,
        },
        "weighted": {k: r6(v) for k, v in weighted.items()},
        "weights": dict(HEALTH_WEIGHTS),
        "counts": {
            "segments": n,
            "present": present,
            "strong": sum(1 for p in pres if p.status == "strong"),
            "weak": weak,
            "missing": sum(1 for p in pres if p.status == "missing"),
            "anchor_segments": anchored,
            "local_firms": len(local),
            "gaps": sum(1 for s in ids if s in a.gaps),
        },
        "top_gaps": [
            {
                "segment_id": g.segment_id,
                "kind": g.kind,
                "severity": g.severity,
                "explanation_zh": g.explanation_zh,
                "explanation_en": g.explanation_en,
            }
            for g in top
        ],
    }


def health(store: GraphStore, cluster_id: str, year: int | None = None) -> dict[str, Any]:
    """Return a cluster's health score with its components, counts and most severe gaps.

    Raises
    ------
    NodeNotFound
        For an unknown cluster id (with the nearest ids).
    """
    cluster = require(store, cluster_id, NodeKind.CLUSTER)
    assert isinstance(cluster, Cluster)
    return health_of(analysis_for(store, year), cluster)


def rank_health(a: Analysis, list_year: int | None = None) -> list[dict[str, Any]]:
    """Rank clusters (optionally those on one published list) by health, best first, ties by id."""
    items = [
        health_of(a, c)
        for c in sorted(a.data.clusters.values(), key=lambda c: c.id)
        if list_year is None or list_year in c.list_years
    ]
    items.sort(key=lambda h: (-h["score"], h["cluster_id"]))
    for rank, item in enumerate(items, start=1):
        item["rank"] = rank
    return items


def health_ranking(store: GraphStore, year: int | None = None, list_year: int | None = None) -> list[dict[str, Any]]:
    """Rank the clusters by health score (highest first), each with its rank and components.

    Parameters
    ----------
    store : GraphStore
    year : int, optional
        As-of year for presence facts.
    list_year : {2022, 2024}, optional
        Only the clusters on that published version of the list.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_city
    >>> [(h["rank"], h["cluster_id"]) for h in health_ranking(MemoryStore(tiny_city()))]
    [(1, 't-nev'), (2, 't-ess')]
    """
    check_year(list_year, "list_year")
    return rank_health(analysis_for(store, year), list_year)
