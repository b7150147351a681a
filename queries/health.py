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

In an answer, ``weights`` and ``weighted`` name the third term ``weak_links`` (the key is kept for
compatibility), although it is ``0.20·solid_share`` and ``components.weak_links`` is the count of weak
segments. ``terms`` lists the four terms with the component each weight multiplies (``key``), so
``Σ terms[i].weighted = score``.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> h = health(MemoryStore(tiny_chain()), "t-nev")
>>> h["score"], h["components"]["coverage"], h["components"]["solid_share"], h["components"]["concentration"]
(0.435714, 0.714286, 0.285714, 0.857143)
>>> [(t["key"], t["weights_key"], t["value"], t["weighted"]) for t in h["terms"]][2:]
[('solid_share', 'weak_links', 0.285714, 0.057143), ('concentration', 'concentration', 0.142857, 0.021429)]
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from graph.model import Cluster, NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.clusters import check_year
from queries.gaps import listed_clusters, select_gaps
from queries.lookup import require
from queries.segment_graph import r6

HEALTH_CAVEAT_ZH = (
    "健康度衡量本数据图谱中各环节的本地覆盖（有无本地企业与链主、是否弱链、企业集团是否分散），不衡量产值、规模或增速；"
    "上级环节与其各下级环节各计为一个环节，环节分得较细的集群可能排在规模大得多的集群之前。排名宜与最新产值对照阅读。"
)
HEALTH_CAVEAT_EN = (
    "Health measures the local coverage of this data's segments (local firms and anchors, weak links, the spread "
    "of corporate groups), not output, size or growth; a segment and each of its sub-segments count as one "
    "segment each, so a cluster split into finer segments can rank above a much larger one. Read the ranking "
    "beside the latest output figures."
)
"""What a health score does not say (review 15a: 新型电力装备, 7 local firms, ranked above NEV, 45): the
``caveat_zh``/``caveat_en`` of a cluster's health and of the ranking (:func:`health_caveat`)."""


def health_caveat() -> dict[str, str]:
    """``{"caveat_zh", "caveat_en"}``: :data:`HEALTH_CAVEAT_ZH` and :data:`HEALTH_CAVEAT_EN`, to merge into an answer.

    >>> sorted(health_caveat())
    ['caveat_en', 'caveat_zh']
    """
    return {"caveat_zh": HEALTH_CAVEAT_ZH, "caveat_en": HEALTH_CAVEAT_EN}


HEALTH_WEIGHTS: Mapping[str, float] = {
    "coverage": 0.40,
    "anchor_coverage": 0.25,
    "weak_links": 0.20,
    "concentration": 0.15,
}
"""Weights of the health terms (they sum to 1), keyed as in an answer's ``weights`` and ``weighted``.

The key ``weak_links`` names the solid-share term (``0.20·solid_share``); see :data:`HEALTH_TERMS`.
"""

HEALTH_TERMS: Mapping[str, tuple[str, bool, str, str]] = {
    "coverage": ("coverage", False, "覆盖率", "coverage"),
    "anchor_coverage": ("anchor_coverage", False, "链主覆盖率", "anchor coverage"),
    "weak_links": ("solid_share", False, "稳固环节占比", "solid share"),
    "concentration": ("concentration", True, "1 − 集中度", "1 − concentration"),
}
"""Each key of :data:`HEALTH_WEIGHTS`: ``(component, complement, label_zh, label_en)``.

``component`` is the key in ``components`` the weight multiplies (``1 − components[component]`` when
``complement``).
"""

TOP_GAPS = 3
"""How many of the most severe gaps a health answer names."""


def score_terms(components: Mapping[str, float], weighted: Mapping[str, float]) -> list[dict[str, Any]]:
    """The terms of the score, in the order of :data:`HEALTH_WEIGHTS`: their ``weighted`` values sum to it.

    Each has ``key`` (the component the weight multiplies), ``weights_key`` (its key in ``weights`` and
    ``weighted``), ``complement`` (the value is ``1 − components[key]``), ``weight``, ``value``,
    ``weighted`` (``weight × value``, rounded as in ``weighted``), ``label_zh`` and ``label_en``.
    """
    out = []
    for weights_key, weight in HEALTH_WEIGHTS.items():
        key, complement, label_zh, label_en = HEALTH_TERMS[weights_key]
        value = 1 - components[key] if complement else components[key]
        out.append(
            {
                "key": key,
                "weights_key": weights_key,
                "complement": complement,
                "weight": weight,
                "value": r6(value),
                "weighted": r6(weighted[weights_key]),
                "label_zh": label_zh,
                "label_en": label_en,
            }
        )
    return out


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
    components = {"coverage": coverage, "anchor_coverage": anchor_coverage, "solid_share": solid_share}
    components["concentration"] = concentration
    weighted = {}
    for weights_key, weight in HEALTH_WEIGHTS.items():
        key, complement, _, _ = HEALTH_TERMS[weights_key]
        weighted[weights_key] = weight * (1 - components[key] if complement else components[key])
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
        "terms": score_terms(components, weighted),
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
                "kinds_unverified": list(g.kinds_unverified),
                "severity": g.severity,
                "explanation_zh": g.explanation_zh,
                "explanation_en": g.explanation_en,
            }
            for g in top
        ],
    }


def health(store: GraphStore, cluster_id: str, year: int | None = None, list_year: int | None = None) -> dict[str, Any]:
    """Return a cluster's health score with its components, counts and most severe gaps.

    Each of the ``top_gaps`` has ``segment_id``, ``kind``, ``kinds_unverified`` (the kinds resting only on
    supply links the data marks unverified, as the gap's own; empty when none), ``severity`` and the
    explanations.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str
    year : int, optional
        As-of year for presence facts.
    list_year : {2022, 2024}, optional
        A published list the cluster must be on (the ranking of that list holds only those): the
        answer is the same as without it, or an error naming the lists the cluster is on.

    Raises
    ------
    NodeNotFound
        For an unknown cluster id (with the nearest ids).
    InvalidQuery
        For a ``list_year`` other than 2022 or 2024, or one whose list the cluster is not on.
    """
    cluster = require(store, cluster_id, NodeKind.CLUSTER)
    assert isinstance(cluster, Cluster)
    listed_clusters(store, cluster_id, list_year)
    return {**health_of(analysis_for(store, year), cluster), **health_caveat()}


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
