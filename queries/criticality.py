"""What would hurt a cluster most if lost: its segments and its local firms, ranked.

Two rankings answer the planner's question "which segment or firm is a single point of failure?",
each from a query that already answers it for one item, run over the whole cluster:

- :func:`critical_segments` ranks every segment of a cluster by what depends on it downstream
  (:func:`queries.impact.impact_of`, along SUPPLIES over all clusters): the local firms in the segments
  it supplies, then the segments that depend on it *exclusively* (every supply path passes through it),
  then all downstream segments. Segments no local firm holds cannot be lost; they come last, ranked
  the same way (what depends on them rests on outside supply: their gaps are in ``gaps``). Each row
  also says how many local firms hold the segment itself (``single_point``: exactly one local firm
  holds a segment that others depend on) and how much of the dependence rests only on supply links the
  data marks ``unverified``.
- :func:`critical_firms` ranks every local firm operating in a cluster by what its leaving would do
  (:func:`queries.what_if.compare`, the analysis run again without the firm, as ``what-if`` does): the
  fall in the cluster's health score first, then the segments whose status drops (e.g. weak → missing),
  then the new gaps.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> [(s["id"], s["counts"]["dependent_local_firms"], s["single_point"]) for s in critical_segments(store, "t-nev")][:3]
[('t-anode', 5, False), ('t-cathode', 5, True), ('t-cell', 2, False)]
>>> firms = critical_firms(store, "t-nev")
>>> firms[0]["id"], firms[0]["health_delta"], [d["segment_id"] for d in firms[0]["status_drops"]]
('f-veh-a', -0.092857, ['t-vehicle'])
"""

from __future__ import annotations

from typing import Any

from graph.errors import InvalidQuery
from graph.model import NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analyse, analysis_for
from queries.cache import per_version
from queries.chain import firm_brief, segment_brief
from queries.impact import impact_of
from queries.lookup import require
from queries.what_if import compare

STATUS_RANK = {"missing": 0, "weak": 1, "present": 2, "strong": 3}
"""How much local presence a status stands for: a drop in rank is a segment getting worse."""

MAX_RANKED_FIRMS = 500
"""At most this many local firms are ranked in one cluster: each costs one run of the analysis."""

IMPACT_COUNTS = (
    "downstream_segments",
    "exclusive_dependents",
    "dependent_local_firms",
    "dependent_anchors",
    "downstream_unverified_only",
    "dependent_local_firms_unverified_only",
)
"""The counts of :func:`queries.impact.impact_of` a segment's row carries."""


def segment_row(a: Analysis, segment_id: str) -> dict[str, Any]:
    """One segment's row of :func:`critical_segments`: who holds it and what depends on it."""
    imp = impact_of(a, segment_id)
    counts = {key: imp["counts"][key] for key in IMPACT_COUNTS}
    gap = a.gaps.get(segment_id)
    local = imp["local_firms"]
    return {
        **segment_brief(a, segment_id),
        "parent_id": a.data.segments[segment_id].parent_id or None,
        "gap_kind": gap.kind if gap else None,
        "local_firm_count": len(local),
        "local_firms": [{"id": f["id"], "name_zh": f["name_zh"], "name_en": f["name_en"]} for f in local],
        "single_point": len(local) == 1 and counts["dependent_local_firms"] > 0,
        "clusters_affected": imp["clusters_affected"],
        "counts": counts,
    }


def segment_rank_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Segments held locally first; then most dependent local firms, most exclusive dependents, most
    downstream segments, id.

    >>> def row(sid, held, firms, exclusive, down):
    ...     counts = {"dependent_local_firms": firms, "exclusive_dependents": exclusive, "downstream_segments": down}
    ...     return {"id": sid, "local_firm_count": held, "counts": counts}
    >>> rows = [row("b", 1, 3, 0, 4), row("a", 2, 3, 1, 1), row("c", 0, 9, 9, 9)]
    >>> [r["id"] for r in sorted(rows, key=segment_rank_key)]
    ['a', 'b', 'c']
    """
    counts = row["counts"]
    return (
        row["local_firm_count"] == 0,
        -counts["dependent_local_firms"],
        -counts["exclusive_dependents"],
        -counts["downstream_segments"],
        row["id"],
    )


def critical_segments(store: GraphStore, cluster_id: str, year: int | None = None) -> list[dict[str, Any]]:
    """Rank a cluster's segments by what depends on them downstream: which loss would hurt most.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str
    year : int, optional
        As-of year for presence facts.

    Returns
    -------
    list of dict
        One row per segment of the cluster (sub-segments included; a parent stands for its subtree, as in
        ``impact``), ranked by :func:`segment_rank_key`. Each row has the segment's ``id``, names,
        ``cluster_id``, ``position``, ``status``, ``parent_id`` and ``gap_kind``; ``local_firm_count`` and
        ``local_firms`` (the local firms holding it); ``single_point`` (exactly one local firm holds it and
        local firms depend on it); ``clusters_affected``; and ``counts``: ``downstream_segments``,
        ``exclusive_dependents``, ``dependent_local_firms``, ``dependent_anchors``,
        ``downstream_unverified_only`` and ``dependent_local_firms_unverified_only``, as ``impact`` counts them.

    Raises
    ------
    NodeNotFound
        For an unknown cluster id (with the nearest ids).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> rows = critical_segments(MemoryStore(tiny_chain()), "t-nev")
    >>> top = rows[0]
    >>> top["id"], top["local_firm_count"], top["counts"]["downstream_segments"]
    ('t-anode', 2, 4)
    >>> [(r["id"], r["status"]) for r in rows if r["local_firm_count"] == 0]  # held by no local firm: last
    [('t-lithium', 'missing'), ('t-recycling', 'missing')]
    """
    require(store, cluster_id, NodeKind.CLUSTER)
    a = analysis_for(store, year)
    return per_version(
        store,
        "critical_segments",
        lambda: sorted((segment_row(a, sid) for sid in a.data.cluster_segments(cluster_id)), key=segment_rank_key),
        cluster_id,
        year,
    )


def cluster_local_firms(a: Analysis, cluster_id: str) -> list[str]:
    """The local firms operating in a cluster's segments (or their sub-segments), by id."""
    return sorted({f for sid in a.data.cluster_segments(cluster_id) for f in a.presence[sid].direct_local})


def firm_row(before: Analysis, cluster_id: str, firm_id: str) -> dict[str, Any]:
    """One firm's row of :func:`critical_firms`: what changes if it alone left."""
    after = analyse(before.data.without_firms([firm_id]), before.structure)
    diff = compare(before, after)
    health = {h["cluster_id"]: h for h in diff["health"]}
    own = health.get(cluster_id)
    drops = [
        {
            "segment_id": c["segment_id"],
            "segment_name_zh": c["segment_name_zh"],
            "segment_name_en": c["segment_name_en"],
            "cluster_id": c["cluster_id"],
            "status_before": c["status_before"],
            "status_after": c["status_after"],
            "local_firms_before": c["local_firms_before"],
            "local_firms_after": c["local_firms_after"],
        }
        for c in diff["changes"]
        if STATUS_RANK[c["status_after"]] < STATUS_RANK[c["status_before"]]
    ]
    segments = sorted(
        sid for sid in before.data.cluster_segments(cluster_id) if firm_id in before.presence[sid].direct_local
    )
    return {
        **firm_brief(before, firm_id),
        "is_anchor": firm_id in before.anchors,
        "segment_ids": segments,
        "health_before": own["score_before"] if own else None,
        "health_after": own["score_after"] if own else None,
        "health_delta": own["delta"] if own else 0.0,
        "other_clusters": [h for cid, h in sorted(health.items()) if cid != cluster_id],
        "status_drops": drops,
        "new_gaps": [g["segment_id"] for g in diff["new_gaps"]],
        "changed_segments": diff["summary"]["changed_segments"],
    }


def firm_rank_key(row: dict[str, Any]) -> tuple[Any, ...]:
    """Largest fall in the cluster's health first, then most status drops, most new gaps, firm id.

    >>> rows = [{"id": "b", "health_delta": -0.1, "status_drops": [], "new_gaps": []},
    ...         {"id": "a", "health_delta": -0.1, "status_drops": [{}], "new_gaps": []},
    ...         {"id": "c", "health_delta": -0.2, "status_drops": [], "new_gaps": []}]
    >>> [r["id"] for r in sorted(rows, key=firm_rank_key)]
    ['c', 'a', 'b']
    """
    return (row["health_delta"], -len(row["status_drops"]), -len(row["new_gaps"]), row["id"])


CRITICAL_FIRMS_CAVEAT_ZH = (
    "企业关键度按该企业离开后本集群环节覆盖（健康度、环节现状、新缺口）的变化排序，不计产值、产能、就业与企业间供应关系："
    "所在环节仍有多家本地企业的大企业（如电芯、整车）离开时变化小，独自撑起一个环节的企业排在前面。"
)
CRITICAL_FIRMS_CAVEAT_EN = (
    "Firms are ranked by what their leaving does to the cluster's segment coverage (health, segment status, new "
    "gaps), not by output, capacity, jobs or firm-to-firm supply: a large firm in a segment that keeps several "
    "local firms (battery cells, vehicles) changes little, and a firm that alone holds a segment ranks first."
)
"""What the firm ranking does not measure (review 15a: 星宇 ranked first, 理想 and 中创新航 out of the top 15)."""


def critical_firms_caveat() -> dict[str, str]:
    """``{"caveat_zh", "caveat_en"}`` of a firm ranking: :data:`CRITICAL_FIRMS_CAVEAT_ZH` and ``_EN``.

    >>> critical_firms_caveat()["caveat_en"].startswith("Firms are ranked by what their leaving does")
    True
    """
    return {"caveat_zh": CRITICAL_FIRMS_CAVEAT_ZH, "caveat_en": CRITICAL_FIRMS_CAVEAT_EN}


def critical_firms(store: GraphStore, cluster_id: str, year: int | None = None) -> list[dict[str, Any]]:
    """Rank a cluster's local firms by what their leaving would do to it, as ``what-if`` answers for each.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str
    year : int, optional
        As-of year for presence facts.

    Returns
    -------
    list of dict
        One row per local firm operating in one of the cluster's segments, ranked by :func:`firm_rank_key`:
        the firm's ``id``, names and ``is_anchor``; ``segment_ids`` (its segments in the cluster);
        ``health_before``, ``health_after`` and ``health_delta`` (the cluster's health score; the delta
        rounded to 6 places, ``0.0`` when it holds); ``other_clusters`` (the other clusters whose health
        moves: ``cluster_id``, ``score_before``, ``score_after``, ``delta``); ``status_drops`` (segments,
        in any cluster, whose status falls: ``segment_id``, names, ``cluster_id``, ``status_before``,
        ``status_after``, ``local_firms_before``, ``local_firms_after``); ``new_gaps`` (segment ids that
        become gaps); ``changed_segments`` (every segment whose status, kind or severity moves).

    Raises
    ------
    NodeNotFound
        For an unknown cluster id (with the nearest ids).
    InvalidQuery
        When the cluster has more than :data:`MAX_RANKED_FIRMS` local firms (each costs one analysis run).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> rows = critical_firms(MemoryStore(tiny_chain()), "t-nev")
    >>> [(r["id"], r["health_delta"], r["new_gaps"]) for r in rows][2:4]
    [('f-pack-a', -0.057143, []), ('f-anode-a', -0.039285, ['t-anode'])]
    """
    require(store, cluster_id, NodeKind.CLUSTER)
    before = analysis_for(store, year)
    firms = cluster_local_firms(before, cluster_id)
    if len(firms) > MAX_RANKED_FIRMS:
        raise InvalidQuery(
            f"cluster {cluster_id!r} has {len(firms)} local firms; ranking them runs the analysis once per firm, "
            f"at most {MAX_RANKED_FIRMS}: ask what-if for named firms instead "
            f"/ 该集群有 {len(firms)} 家本地企业，逐家推演最多 {MAX_RANKED_FIRMS} 家，请对指定企业做 what-if 推演",
            param="cluster_id",
            location="path",
        )

    def ranked() -> list[dict[str, Any]]:
        return sorted((firm_row(before, cluster_id, f) for f in firms), key=firm_rank_key)

    return per_version(store, "critical_firms", ranked, cluster_id, year)
