"""Gaps: missing, weak, broken-link and extension segments, ranked by severity, with reasons.

One item per segment that has a gap. ``kind`` is its primary kind and
``kinds`` every kind that applies (see :mod:`queries.severity`); the ``kind``
filter keeps items whose ``kinds`` contain it, so ``kind="missing"`` lists every
segment without a local firm, including broken links and extensions. Items
are sorted by severity (highest first), then segment id.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain, tiny_city
>>> store = MemoryStore(tiny_chain())
>>> [(g["segment_id"], g["kind"], g["severity"]) for g in gaps(store)]
[('t-lithium', 'missing', 0.6875), ('t-cathode', 'weak', 0.40375), ('t-pack', 'weak', 0.35375), \
('t-recycling', 'missing', 0.2), ('t-vehicle', 'weak', 0.2)]
>>> [g["segment_id"] for g in gaps(store, kind="weak", min_severity=0.3)]
['t-cathode', 't-pack']
>>> [(g["segment_id"], g["candidate_count"]) for g in gaps(store, has_candidates=False)]
[('t-pack', 0), ('t-vehicle', 0)]
>>> city = MemoryStore(tiny_city())
>>> [(g["segment_id"], g["kind"], g["kinds"]) for g in gaps(city, cluster="t-ess")]
[('t-ess-bms', 'broken_link', ['missing', 'broken_link', 'extension']), \
('t-ess-station', 'extension', ['missing', 'extension'])]
>>> sorted({g["cluster_id"] for g in gaps(city, list_year=2024)})
['t-ess']
"""

from __future__ import annotations

import copy
from typing import Any

from graph.errors import InvalidQuery
from graph.model import Cluster, NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.clusters import check_year
from queries.lookup import require
from queries.segment_graph import chain_data
from queries.severity import KINDS, Gap


def check_gap_filters(kind: str | None, min_severity: float | None) -> None:
    """Raise :class:`InvalidQuery` for an unknown kind or a severity outside [0, 1]."""
    if kind is not None and kind not in KINDS:
        raise InvalidQuery(f"kind must be one of {', '.join(KINDS)}; got {kind!r}", param="kind", value=kind)
    if min_severity is not None and not 0.0 <= min_severity <= 1.0:
        raise InvalidQuery(
            f"min_severity must be between 0 and 1; got {min_severity}", param="min_severity", value=min_severity
        )


def check_on_list(cluster: Cluster, list_year: int) -> None:
    """Raise :class:`InvalidQuery` (naming ``list_year``) when ``cluster`` is not on the ``list_year`` list.

    >>> from graph.fixtures import tiny_city
    >>> ess = tiny_city().nodes["t-ess"]
    >>> check_on_list(ess, 2024)
    >>> check_on_list(ess, 2022)
    Traceback (most recent call last):
    ...
    graph.errors.InvalidQuery: t-ess is not on the 2022 list (it is on the 2024 list): ask for 2024, \
or leave the list year out
    """
    if list_year in cluster.list_years:
        return
    if cluster.list_years:
        years = " and ".join(map(str, cluster.list_years))
        on = f"it is on the {years} list{'s' if len(cluster.list_years) > 1 else ''}"
        ask = f"ask for {' or '.join(map(str, cluster.list_years))}, or leave the list year out"
    else:
        on, ask = "it is on no published list", "leave the list year out"
    raise InvalidQuery(f"{cluster.id} is not on the {list_year} list ({on}): {ask}", param="list_year", value=list_year)


def listed_clusters(store: GraphStore, cluster: str | None, list_year: int | None) -> frozenset[str] | None:
    """The ids of the clusters on the ``list_year`` list, or ``None`` when every cluster is kept.

    With a ``cluster``, checks that it is on that list instead (and keeps it: ``None``).

    Raises
    ------
    InvalidQuery
        For a ``list_year`` other than 2022 or 2024, or a ``cluster`` not on that list.
    NodeNotFound
        For an unknown ``cluster`` id.
    """
    check_year(list_year, "list_year")
    if list_year is None:
        return None
    if cluster is not None:
        node = require(store, cluster, NodeKind.CLUSTER)
        assert isinstance(node, Cluster)
        check_on_list(node, list_year)
        return None
    clusters = chain_data(store).clusters.values()  # cached per data version
    return frozenset(c.id for c in clusters if list_year in c.list_years)


def on_list(
    store: GraphStore, items: list[dict[str, Any]], cluster: str | None, list_year: int | None
) -> list[dict[str, Any]]:
    """The ``items`` (each with a ``cluster_id``) of the clusters on the ``list_year`` list, in their order.

    Raises as :func:`listed_clusters` does.
    """
    listed = listed_clusters(store, cluster, list_year)
    return items if listed is None else [item for item in items if item["cluster_id"] in listed]


def gap_item(a: Analysis, gap: Gap) -> dict[str, Any]:
    """Render one :class:`~queries.severity.Gap` as the API's JSON-ready dict (a fresh copy)."""
    seg = a.data.segments[gap.segment_id]
    return {
        "segment_id": gap.segment_id,
        "segment_name_zh": seg.name_zh,
        "segment_name_en": seg.name_en,
        "cluster_id": gap.cluster_id,
        "position": seg.position.value,
        "kind": gap.kind,
        "kinds": list(gap.kinds),
        "kinds_unverified": list(gap.kinds_unverified),
        "segment_confidence": seg.confidence.value,
        "local_base": seg.local_base,
        "status": gap.status,
        "severity": gap.severity,
        "local_firm_count": a.presence[gap.segment_id].local_count,
        "candidate_count": candidate_count(a, gap.segment_id),
        "components": copy.deepcopy(dict(gap.components)),
        "reasons": [copy.deepcopy(dict(r)) for r in gap.reasons],
        "explanation_zh": gap.explanation_zh,
        "explanation_en": gap.explanation_en,
        "parent_id": seg.parent_id or None,
        "sub_gaps": [c for c in a.data.children.get(gap.segment_id, []) if c in a.gaps],
    }


def candidate_count(a: Analysis, segment_id: str) -> int:
    """Outside firms in the segment or below it: the firms :func:`queries.candidates.candidates` ranks."""
    return len(a.presence[segment_id].outside)


def ranked(a: Analysis, gap_list: list[Gap]) -> list[Gap]:
    """Sort gaps by severity (highest first), then segment id."""
    return sorted(gap_list, key=lambda g: (-g.severity, g.segment_id))


def select_gaps(
    a: Analysis,
    cluster: str | None = None,
    kind: str | None = None,
    min_severity: float | None = None,
    has_candidates: bool | None = None,
) -> list[Gap]:
    """The gaps of an analysis, filtered and ranked (no validation, no rendering)."""
    out = []
    for gap in (a.gaps if cluster is None else a.cluster_gaps(cluster)).values():
        if kind is not None and kind not in gap.kinds:
            continue
        if min_severity is not None and gap.severity < min_severity:
            continue
        if has_candidates is not None and (candidate_count(a, gap.segment_id) > 0) != has_candidates:
            continue
        out.append(gap)
    return ranked(a, out)


def gaps(
    store: GraphStore,
    cluster: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    min_severity: float | None = None,
    has_candidates: bool | None = None,
    list_year: int | None = None,
) -> list[dict[str, Any]]:
    """Return the gaps of one cluster (or all), ranked by severity.

    Parameters
    ----------
    store : GraphStore
    cluster : str, optional
        A cluster id; ``None`` for every cluster.
    year : int, optional
        As-of year: presence facts dated later are ignored (see ``docs/analysis.md``).
    kind : {"missing", "weak", "broken_link", "extension"}, optional
        Keep gaps whose ``kinds`` contain it.
    min_severity : float, optional
        Keep gaps at least this severe (0–1).
    has_candidates : bool, optional
        ``False`` keeps the gaps no outside firm in the data could fill (the
        research backlog of investment promotion); ``True`` those with at least one.
    list_year : {2022, 2024}, optional
        Only the gaps of the clusters on that published list; with a ``cluster``, it must be on it.

    Returns
    -------
    list of dict
        Items with ``segment_id``, ``segment_name_zh``, ``segment_name_en``,
        ``cluster_id``, ``kind``, ``kinds``, ``status``, ``severity``,
        ``local_firm_count``, ``candidate_count`` (outside firms in the segment or
        below it), ``components``, ``reasons``, ``explanation_zh`` and ``explanation_en``.

    Raises
    ------
    NodeNotFound
        For an unknown cluster id.
    InvalidQuery
        For an unknown kind, a severity outside [0, 1], a year outside 1990–2100, a ``list_year``
        other than 2022 or 2024, or a ``cluster`` not on the ``list_year`` list.
    """
    check_gap_filters(kind, min_severity)
    if cluster is not None:
        require(store, cluster, NodeKind.CLUSTER)
    listed = listed_clusters(store, cluster, list_year)
    a = analysis_for(store, year)
    selected = select_gaps(a, cluster, kind, min_severity, has_candidates)
    return [gap_item(a, g) for g in selected if listed is None or g.cluster_id in listed]
