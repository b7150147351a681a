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
"""

from __future__ import annotations

import copy
from typing import Any

from graph.errors import InvalidQuery
from graph.model import NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.lookup import require
from queries.severity import KINDS, Gap


def check_gap_filters(kind: str | None, min_severity: float | None) -> None:
    """Raise :class:`InvalidQuery` for an unknown kind or a severity outside [0, 1]."""
    if kind is not None and kind not in KINDS:
        raise InvalidQuery(f"kind must be one of {', '.join(KINDS)}; got {kind!r}", param="kind", value=kind)
    if min_severity is not None and not 0.0 <= min_severity <= 1.0:
        raise InvalidQuery(
            f"min_severity must be between 0 and 1; got {min_severity}", param="min_severity", value=min_severity
        )


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
        For an unknown kind, a severity outside [0, 1] or a year outside 1990–2100.
    """
    check_gap_filters(kind, min_severity)
    if cluster is not None:
        require(store, cluster, NodeKind.CLUSTER)
    a = analysis_for(store, year)
    return [gap_item(a, g) for g in select_gaps(a, cluster, kind, min_severity, has_candidates)]
