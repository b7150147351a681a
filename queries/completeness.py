"""Chain completeness over time (产业链完整度): the share of a chain's segments with local presence, per year.

A segment is present in year ``Y`` when, as of ``Y``, a local firm operates in
it or in a sub-segment (the as-of semantics of :mod:`queries.presence`:
OPERATES_IN facts dated after ``Y`` are left out, undated ones always count),
or a project in it (or below it) has started or been completed, dated ``Y`` or
earlier (undated projects always count; signed and planned ones do not). Every
segment of the scope counts once, parents and sub-segments alike, as in the
health score's coverage.

Published completeness figures are cluster figures whose metric ends in
``_completeness`` (e.g. ``battery_chain_completeness``: 94% in 2022, 97% in
2023); each is set beside the share computed for the same year over the
figure's ``scope`` (the segments it covers; the whole cluster when empty), with
the difference. Each row's note says what is its own (the figures; the missing
segments in the first row of a metric, what changed since the previous year in
the later ones); ``published_note_zh``/``published_note_en`` give once what
explains the difference for every row.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> c = completeness(MemoryStore(tiny_layers()), "t-nev")
>>> [(y["year"], y["segments_present"], y["segments_total"]) for y in c["years"]][::4]
[(2016, 5, 7), (2020, 5, 7), (2024, 6, 7)]
>>> [(y["year"], y["added"]) for y in c["years"] if y["added"]]
[(2023, ['t-lithium'])]
>>> p = c["published"][0]
>>> p["value"], p["computed"]["share"], p["computed"]["segments_total"], p["difference_pp"]
(80.0, 0.666667, 6, -13.3)
>>> p["note_en"]
'Published 80% (2022); this data 4 of 6 segments, 66.7%, -13.3 points apart. Missing: Lithium salts; Battery recycling.'
"""

from __future__ import annotations

from typing import Any

from graph.errors import InvalidQuery, NodeNotFound
from graph.model import PRESENCE_STATUSES, Cluster, Figure, NodeKind
from graph.store import GraphStore
from queries.layer_data import LayerData, layer_data
from queries.lookup import nearest_ids, require
from queries.presence import segment_presence
from queries.segment_graph import MAX_YEAR, MIN_YEAR, ChainData, chain_data, check_as_of_year, r6

METRIC_SUFFIX = "_completeness"
UNDATED_NOTE_ABOVE = 0.5
"""Above this share of undated local firm–segment facts, the published note says the years move only with dated ones."""


def _nearest_segments(store: GraphStore, segment_id: str, cluster_segments: list[str], limit: int = 5) -> list[str]:
    """The segment ids nearest to ``segment_id``, which names none: the cluster's first.

    The ids are those :func:`queries.lookup.nearest_ids` suggests on the ``/segments/{id}`` routes,
    best first; those in ``cluster_segments`` come before those of other clusters (which the
    completeness of the cluster refuses, but which may be what was meant).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> store = MemoryStore(tiny_chain())
    >>> _nearest_segments(store, "t-cel", ["t-cathode"])[:2]
    ['t-cathode', 't-cell']
    """
    near = nearest_ids(store, segment_id, NodeKind.SEGMENT, limit=4 * limit)
    own = set(cluster_segments)
    return sorted(near, key=lambda sid: sid not in own)[:limit]


def _scope(store: GraphStore, data: ChainData, cluster_id: str, roots: list[str] | None) -> list[str]:
    """The segments counted: the cluster's, or the given ones with their sub-segments (within the cluster)."""
    own = data.cluster_segments(cluster_id)
    if not roots:
        return own
    for sid in roots:
        if sid not in data.segments:
            raise NodeNotFound("segment", sid, _nearest_segments(store, sid, own))
    unknown = [s for s in roots if s not in own]
    if unknown:
        raise InvalidQuery(
            f"segments must be segments of the cluster {cluster_id}; not: {', '.join(unknown)}",
            param="segments",
            value=",".join(roots),
        )
    wanted = {sid for root in roots for sid in data.subtree.get(root, frozenset({root}))}
    return [s for s in own if s in wanted]


def _project_presence(layers: LayerData, data: ChainData, year: int | None) -> set[str]:
    """Segments where a project counts as local presence as of ``year`` (with every segment above them)."""
    out: set[str] = set()
    for project in layers.projects.values():
        if project.status not in PRESENCE_STATUSES:
            continue
        if year is not None and project.year is not None and project.year > year:
            continue
        for sid in layers.segments_of_project.get(project.id, []):
            current = data.segments.get(sid)
            out.add(sid)
            while current is not None and current.parent_id and current.parent_id not in out:
                out.add(current.parent_id)
                current = data.segments.get(current.parent_id)
    return out


def _present(store: GraphStore, layers: LayerData, scope: list[str], year: int | None) -> list[str]:
    data = chain_data(store, year)
    by_projects = _project_presence(layers, data, year)
    return [s for s in scope if s in by_projects or segment_presence(data, s).is_present]


def _share(present: int, total: int) -> float:
    return r6(present / total) if total else 0.0


def _dated_years(store: GraphStore, layers: LayerData, scope: list[str], figures: list[Figure]) -> list[int]:
    inside = set(scope)
    years = {e.year for e in chain_data(store).operates if e.target in inside and e.year is not None}
    for project in layers.projects.values():
        if project.year is not None and inside & set(layers.segments_of_project.get(project.id, [])):
            years.add(project.year)
    years |= {f.year for f in figures}
    return sorted(y for y in years if y is not None)


def _names(ids: list[str], names: dict[str, tuple[str, str]]) -> tuple[str, str]:
    """Segment ids as their Chinese names (joined with 、) and their English names (joined with ;)."""
    return "、".join(names.get(s, (s, s))[0] for s in ids), "; ".join(names.get(s, (s, s))[1] for s in ids)


def _explain(
    fig: Figure, computed: dict[str, Any], names: dict[str, tuple[str, str]], before: tuple[int, list[str]] | None
) -> tuple[str, str]:
    """What one published row says of its own: the figures, and the missing segments or what changed since ``before``.

    ``before`` is the year and the missing segments of the previous row with the same metric and scope
    (``None`` for the first): the first row names every missing segment, a later one only what changed.
    The explanation every row shares is :func:`published_note`.
    """
    diff = round(computed["share"] * 100 - fig.value, 1)
    present, total, share = computed["segments_present"], computed["segments_total"], computed["share"] * 100
    zh = (
        f"公开数据 {fig.value:g}%（{fig.year} 年）；本数据 {present}/{total} 个环节，即 {share:.1f}%，"
        f"相差 {diff:+.1f} 个百分点。"
    )
    en = (
        f"Published {fig.value:g}% ({fig.year}); this data {present} of {total} segments, {share:.1f}%, "
        f"{diff:+.1f} points apart."
    )
    missing = computed["missing"]
    if before is None:
        missing_zh, missing_en = _names(missing, names)
        return zh + f"缺少：{missing_zh or '无'}。", en + f" Missing: {missing_en or 'none'}."
    year, missing_before = before
    added = [s for s in missing_before if s not in set(missing)]
    lost = [s for s in missing if s not in set(missing_before)]
    if not added and not lost:
        return zh + f"缺少的环节与 {year} 年相同。", en + f" Same missing segments as {year}."
    if added:
        added_zh, added_en = _names(added, names)
        zh += f"较 {year} 年新增：{added_zh}（仍缺 {len(missing)} 个）。"
        en += f" Added since {year}: {added_en} ({len(missing)} still missing)."
    if lost:
        lost_zh, lost_en = _names(lost, names)
        zh += f"较 {year} 年不再计入：{lost_zh}。"
        en += f" No longer present since {year}: {lost_en}."
    return zh, en


def published_note(undated: bool) -> tuple[str, str]:
    """The explanation every published row shares, in Chinese and English: how this data counts, and why it differs.

    ``undated`` adds that most firm–segment facts carry no year, so the years differ only by the dated ones.

    >>> zh, en = published_note(True)
    >>> "未公布清单" in zh and "carry no year" in en
    True
    """
    zh = (
        "本数据 = 公开数据所指范围内，截至该年有本地企业（含下级环节）或已开工/建成项目的环节占比。"
        "公开口径按官方划定的关键环节计算（未公布清单），本数据按本图谱的环节计算；"
        "数据中无企业不等于现实中无企业。"
    )
    en = (
        "This data: the share of the figure's segments with a local firm (sub-segments included) or a started or "
        "completed project as of its year. The published figure counts the key segments the city defines "
        "(the list is not published); this one counts the graph's segments. No firm in the data is not no firm "
        "in reality."
    )
    if undated:
        zh += "大多数企业—环节事实未注明年份，各年均计入，因此按年变化只反映有年份的项目与事实。"
        en += (
            " Most firm–segment facts carry no year and count in every year, so the change over the years shows "
            "only the dated projects and facts."
        )
    return zh, en


def _published_rows(
    store: GraphStore, layers: LayerData, data: ChainData, cluster_id: str, figures: list[Figure]
) -> list[dict[str, Any]]:
    """Each published figure with the share computed over its scope in its year, the difference and its own note."""
    names = {sid: (seg.name_zh, seg.name_en or seg.name_zh) for sid, seg in data.segments.items()}
    last_of: dict[tuple[str, tuple[str, ...]], tuple[int, list[str]]] = {}
    rows = []
    for fig in figures:
        fig_scope = _scope(store, data, cluster_id, list(fig.scope) or None)
        present = _present(store, layers, fig_scope, fig.year)
        share = _share(len(present), len(fig_scope))
        computed: dict[str, Any] = {
            "share": share,
            "segments_present": len(present),
            "segments_total": len(fig_scope),
            "missing": [s for s in fig_scope if s not in set(present)],
        }
        series = (fig.metric, tuple(fig_scope))
        zh, en = _explain(fig, computed, names, last_of.get(series))
        last_of[series] = (fig.year, computed["missing"])
        rows.append(
            {
                **fig.model_dump(mode="json"),
                "computed": computed,
                "difference_pp": round(share * 100 - fig.value, 1) if fig.unit == "%" else None,
                "note_zh": zh,
                "note_en": en,
            }
        )
    return rows


def completeness(
    store: GraphStore,
    cluster_id: str,
    segments: list[str] | None = None,
    year_from: int | None = None,
    year_to: int | None = None,
) -> dict[str, Any]:
    """Return a cluster's completeness per year beside its published completeness figures.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str
    segments : list of str, optional
        Count only these segments of the cluster (each with its sub-segments).
    year_from, year_to : int, optional
        The years to answer for; by default from the first to the last year
        that a fact, project or published figure of the scope gives. A first
        year after the last gives no year.

    Returns
    -------
    dict
        ``cluster_id``; ``scope`` (``segments``, ``segments_total``, ``whole_cluster``);
        ``current`` (with every fact, dated or not); ``years`` (``year``, ``share``,
        ``segments_present``, ``segments_total``, ``added``, ``missing``); ``published``
        (each figure with ``computed``, ``difference_pp`` and ``note_zh``/``note_en``: its
        figures, and the missing segments in the first row of a metric and scope, what changed
        since the previous row in the others); ``published_note_zh``/``published_note_en`` (what
        every published row shares: how this data counts and why it differs, :func:`published_note`;
        empty without published figures); ``undated_share`` (of the local firm–segment facts in
        the scope, those without a year) and ``note_zh``/``note_en``.

    Raises
    ------
    NodeNotFound
        For an unknown cluster or segment (with the nearest ids, the cluster's first).
    InvalidQuery
        For segments outside the cluster, years outside 1990–2100, or ``year_from`` after ``year_to``
        (naming ``from``, as the API calls it, with its value).
    """
    node = require(store, cluster_id, NodeKind.CLUSTER)
    assert isinstance(node, Cluster)
    check_as_of_year(year_from)
    check_as_of_year(year_to)
    if year_from is not None and year_to is not None and year_from > year_to:
        raise InvalidQuery(
            f"from ({year_from}) is after to ({year_to}); give from <= to", param="from", value=year_from
        )
    data = chain_data(store)
    layers = layer_data(store)
    scope = _scope(store, data, cluster_id, segments)
    figures = sorted(
        (f for f in node.figures if f.metric.endswith(METRIC_SUFFIX)), key=lambda f: (f.year, f.metric, f.period)
    )
    dated = _dated_years(store, layers, scope, figures)
    first = year_from if year_from is not None else (dated[0] if dated else None)
    last = year_to if year_to is not None else (dated[-1] if dated else None)
    years = []
    before: set[str] | None = None
    if first is not None and last is not None:
        for year in range(max(first, MIN_YEAR), min(last, MAX_YEAR) + 1):
            present = _present(store, layers, scope, year)
            now = set(present)
            years.append(
                {
                    "year": year,
                    "share": _share(len(present), len(scope)),
                    "segments_present": len(present),
                    "segments_total": len(scope),
                    "added": sorted(now - before) if before is not None else [],
                    "missing": [s for s in scope if s not in now],
                }
            )
            before = now
    inside = set(scope)
    facts = [e for e in data.operates if e.target in inside and e.source in data.local_firms]
    undated = sum(1 for e in facts if e.year is None)
    shared_zh, shared_en = published_note(bool(facts) and undated / len(facts) > UNDATED_NOTE_ABOVE)
    published = _published_rows(store, layers, data, cluster_id, figures)
    now_present = _present(store, layers, scope, None)
    return {
        "cluster_id": cluster_id,
        "scope": {"segments": scope, "segments_total": len(scope), "whole_cluster": not segments},
        "current": {
            "share": _share(len(now_present), len(scope)),
            "segments_present": len(now_present),
            "segments_total": len(scope),
            "missing": [s for s in scope if s not in set(now_present)],
        },
        "years": years,
        "published": published,
        "undated_share": _share(undated, len(facts)),
        "published_note_zh": shared_zh if published else "",
        "published_note_en": shared_en if published else "",
        "note_zh": (
            "完整度 = 有本地企业（含下级环节）或已开工/建成项目的环节数 ÷ 环节总数。未注明年份的事实各年均计入，"
            "晚于该年的事实不计；已签约或规划中的项目不计。"
        ),
        "note_en": (
            "Completeness = segments with a local firm (sub-segments included) or a started or completed project, "
            "divided by all segments. Undated facts count in every year, facts dated later do not; signed or "
            "planned projects do not count."
        ),
    }
