"""Which published figure stands for a cluster's output, and how to word it with its period and scope.

A figure is *comparable* (it may size a node next to other clusters) only when it covers a full year and
the whole cluster across the city. Many published figures do not: a quarter (``Q1``), months
(``1-9月``), one district (a note ``District figure: 钟楼区 only``) or one sub-cluster (a note
``Scope: 新型碳材料 …``, or segment ids in ``scope``). Such a figure is still shown, with its period and
scope named: ``19.45 亿元 (2024 Q1, 钟楼区)``.

The rule that picks a cluster's headline output is the summary report's (``reports.gather.latest_output``:
the latest full-year figure, else the latest of any period), with one more step in front: the latest
comparable figure first. On the bundled data both pick the same figures. A figure whose note says it is
``wider than this cluster`` (``新能源产业产值``: the whole 新能源 industry, NEV and power equipment included)
names that scope (``10479 亿元 (2025, 新能源产业整体，宽于本集群)``) and never stands for the cluster, as the
summary report shows no output for it. A completeness figure's ``scope`` is counted with its sub-segments, as
``chainkg completeness`` counts it (:func:`counted_scope`).

Examples
--------
>>> q1 = {"year": 2024, "metric": "output", "value": 19.45, "unit": "亿元", "qualifier": "=", "period": "Q1",
...       "note": "District figure: 钟楼区 only; no city-level figure found"}
>>> figure_text(q1), is_comparable(q1)
('19.45 亿元 (2024 Q1, 钟楼区)', False)
>>> year = {"year": 2025, "metric": "output", "value": 5000.0, "unit": "亿元", "qualifier": "≲", "period": "full-year"}
>>> headline_output([q1, year]) is year, figure_text(year), is_comparable(year)
(True, '近5000 亿元 (2025)', True)
>>> figure_text(year, english=True)
'nearly 5000 亿元 (2025)'
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from queries.layer_items import QUALIFIER_SUFFIX_ZH, QUALIFIER_WORDS, QUALIFIER_ZH

OUTPUT_METRIC = "output"
FULL_YEAR = "full-year"

METRIC_LABELS = {
    "output": "产值 Output",
    "output_growth": "产值增速 Output growth",
    "revenue": "营业收入 Revenue",
    "revenue_growth": "营收增速 Revenue growth",
    "new_energy_industry_output": "新能源产业产值 New-energy industry output",
    "battery_chain_completeness": "动力电池产业链完整度 Battery chain completeness",
}
"""As in ``reports.labels.METRIC_LABELS`` (the reports import viz, not the other way round)."""

_DISTRICT = re.compile(r"District figure:\s*(.+?)\s+only\b")
_SUB_SCOPE = re.compile(r"Scope:\s*([^(),;]+)")
_WIDER = re.compile(r"wider than this cluster", re.IGNORECASE)
_WHOLE_INDUSTRY = re.compile(r"^\s*(\S+?)\s+industry as a whole")
WIDER_WORDS = ("宽于本集群", "wider than this cluster")
"""How a figure whose note says it covers more than the cluster names its scope: in Chinese, in English."""


def is_wider(fig: Mapping[str, Any]) -> bool:
    """Whether a figure covers more than its cluster: its note says ``wider than this cluster``.

    Such a figure (``新能源产业产值``: the whole 新能源 industry, NEV included) is listed with its scope but
    never stands for the cluster: the overview leaves it out of a node's label, as the summary report does.

    Parameters
    ----------
    fig : Mapping
        A published figure (``graph.model.Figure`` as JSON).

    Returns
    -------
    bool
        Whether its note marks it as wider than the cluster.

    Examples
    --------
    >>> is_wider({"note": "新能源 industry as a whole, wider than this cluster"}), is_wider({"note": "+15%"})
    (True, False)
    """
    return bool(_WIDER.search(str(fig.get("note") or "")))


def counted_scope(
    fig: Mapping[str, Any], cluster_segments: Sequence[str], subtree: Mapping[str, Any]
) -> dict[str, Any]:
    """``fig`` with ``scope_count``: how many segments its ``scope`` covers, counted as ``chainkg completeness``
    counts them (each scope id with its sub-segments, within the cluster); ``fig`` as it is without a scope.

    Parameters
    ----------
    fig : Mapping
        A published figure (``graph.model.Figure`` as JSON), with its ``scope`` segment ids if any.
    cluster_segments : sequence of str
        The ids of the cluster's segments.
    subtree : Mapping of str to a collection of str
        Each segment id with itself and all its sub-segments (``queries.segment_graph.ChainData.subtree``).

    Returns
    -------
    dict
        A copy of ``fig``, with ``scope_count`` when it has a scope.

    Examples
    --------
    >>> fig = {"metric": "battery_chain_completeness", "scope": ["cell", "materials"]}
    >>> counted_scope(fig, ["cell", "materials", "cathode", "anode", "vehicle"],
    ...               {"materials": {"materials", "cathode", "anode"}})["scope_count"]
    4
    >>> figure_scope(counted_scope(fig, ["cell", "materials", "cathode", "anode"],
    ...                            {"materials": {"materials", "cathode", "anode"}}), english=True)
    '4 segments'
    """
    out = dict(fig)
    roots = list(fig.get("scope") or [])
    if roots:
        wanted = {sid for root in roots for sid in subtree.get(root, (root,))}
        out["scope_count"] = sum(1 for sid in cluster_segments if sid in wanted)
    return out


def figure_scope(fig: Mapping[str, Any], *, english: bool = False) -> str:
    """What part of the cluster a figure covers, or ``""`` for the whole cluster across the city.

    Read from a ``district`` field when the data carry one, from the note's ``District figure: X only``, from
    the segment ids in ``scope`` (counted with their sub-segments, as ``chainkg completeness`` counts them,
    when :func:`counted_scope` gave ``scope_count``; in English with ``english``), from the note's ``Scope: X``
    (as published), or, for a figure wider than the cluster (:func:`is_wider`), the industry it covers.

    >>> figure_scope({"note": "Scope: 新型碳材料 (the national cluster within 新材料), not the whole cluster"})
    '新型碳材料'
    >>> figure_scope({"scope": ["nev-battery-cell", "nev-recycling"]}), figure_scope({"note": "+15%"})
    ('2 个环节 segments', '')
    >>> figure_scope({"scope": ["nev-battery-cell"]}, english=True)
    '1 segment'
    >>> figure_scope({"scope": ["a", "b"], "scope_count": 5, "note": "Scope: the battery segments of this graph"})
    '5 个环节 segments'
    >>> wider = {"note": "新能源 industry as a whole (PV, batteries, NEV), wider than this cluster"}
    >>> figure_scope(wider), figure_scope(wider, english=True)
    ('新能源产业整体，宽于本集群', '新能源 industry as a whole, wider than this cluster')
    """
    if fig.get("district"):
        return str(fig["district"])
    note = str(fig.get("note") or "")
    found = _DISTRICT.search(note)
    if found:
        return found.group(1).strip()
    if fig.get("scope"):
        count = int(fig.get("scope_count") or len(fig["scope"]))
        return f"{count} segment{'' if count == 1 else 's'}" if english else f"{count} 个环节 segments"
    found = _SUB_SCOPE.search(note)
    if found:
        return found.group(1).strip()
    if is_wider(fig):
        zh, en = WIDER_WORDS
        whole = _WHOLE_INDUSTRY.search(note)
        if whole:
            name = whole.group(1)
            return f"{name} industry as a whole, {en}" if english else f"{name}产业整体，{zh}"
        return en if english else zh
    return ""


def is_full_year(fig: Mapping[str, Any]) -> bool:
    return (fig.get("period") or FULL_YEAR) == FULL_YEAR


def is_comparable(fig: Mapping[str, Any]) -> bool:
    """Whether a figure covers a full year and the whole cluster across the city."""
    return is_full_year(fig) and not figure_scope(fig)


def headline_output(figures: Sequence[Mapping[str, Any]]) -> Mapping[str, Any] | None:
    """The output figure that stands for a cluster: the latest comparable one, else the latest full-year one,
    else the latest of any period (``None`` when no output is published)."""
    outputs = [f for f in figures if f.get("metric") == OUTPUT_METRIC]
    for pool in ([f for f in outputs if is_comparable(f)], [f for f in outputs if is_full_year(f)], outputs):
        if pool:
            return max(pool, key=lambda f: f["year"])
    return None


def qualifier_words(qualifier: str, *, english: bool = False) -> tuple[str, str]:
    """The words a published figure's qualifier is shown with: before the number and after it.

    The Chinese words are the sources' (:data:`queries.layer_items.QUALIFIER_ZH`: 超, 约, 近, 不足), the
    English ones their translation (:data:`queries.layer_items.QUALIFIER_WORDS`); the data keep the symbol
    (``graph.model.Figure``). ``=`` has no words; a symbol without words is shown as it is.

    Parameters
    ----------
    qualifier : str
        A qualifier of ``graph.model.Qualifier`` (``>``, ``≈``, ``≲``, ``<``, ``=``…).
    english : bool, optional
        The English page's words (else the Chinese page's).

    Returns
    -------
    tuple of (str, str)
        The words before the number and after it (each may be empty).

    Examples
    --------
    >>> qualifier_words("≲"), qualifier_words("≲", english=True), qualifier_words(">", english=True)
    (('近', ''), ('nearly ', ''), ('over ', ''))
    >>> qualifier_words("≈"), qualifier_words("<", english=True), qualifier_words("=")
    (('约', ''), ('under ', ''), ('', ''))
    >>> qualifier_words("≥"), qualifier_words("≥", english=True)
    (('', '以上'), ('at least ', ''))
    """
    if qualifier in ("", "="):
        return "", ""
    if qualifier not in QUALIFIER_ZH:
        return qualifier, ""
    zh, suffix = QUALIFIER_ZH[qualifier], QUALIFIER_SUFFIX_ZH.get(qualifier, "")
    if not english:
        return zh, suffix
    if suffix:
        return "at least ", ""
    return QUALIFIER_WORDS.get(zh, qualifier), ""


def figure_text(fig: Mapping[str, Any], *, english: bool = False) -> str:
    """A figure as ``qualifier value unit (year[ period][, scope])``; a full year is not named.

    Unit and period are as published; ``english`` words a scope of segments in English. The qualifier is
    shown in words (:func:`qualifier_words`), as the reports show it: 超, 约, 近 (nearly, just under), 不足 on
    the Chinese page, ``over``, ``about``, ``nearly``, ``under`` on the English page; ``=`` is not shown.

    >>> figure_text({"year": 2023, "value": 980.0, "unit": "亿元", "period": "1-9月", "note": "Scope: 新型碳材料"})
    '980 亿元 (2023 1-9月, 新型碳材料)'
    >>> figure_text({"year": 2024, "value": 97.0, "unit": "%", "scope": ["a", "b"]}, english=True)
    '97% (2024, 2 segments)'
    >>> fig = {"year": 2023, "value": 900.0, "unit": "亿元", "qualifier": "≈"}
    >>> figure_text(fig), figure_text(fig, english=True)
    ('约900 亿元 (2023)', 'about 900 亿元 (2023)')
    """
    before, after = qualifier_words(str(fig.get("qualifier") or "="), english=english)
    value = float(fig["value"])
    shown = int(value) if value.is_integer() else value
    when = str(fig["year"]) + ("" if is_full_year(fig) else f" {fig['period']}")
    scope = figure_scope(fig, english=english)
    unit = str(fig.get("unit") or "")
    amount = f"{before}{shown}{unit}" if unit == "%" else f"{before}{shown} {unit}".rstrip()
    return f"{amount}{after} ({when}{', ' + scope if scope else ''})"


def caveat(fig: Mapping[str, Any]) -> str:
    """Why a figure does not size its node, or ``""`` when it is comparable.

    >>> caveat({"period": "Q1", "note": "District figure: 钟楼区 only"})
    '仅 Q1、钟楼区，不与其他集群比较 partial (Q1, 钟楼区): not compared with other clusters'
    >>> caveat({"note": "新能源 industry as a whole, wider than this cluster"})
    '口径：新能源产业整体，宽于本集群，不与其他集群比较 wider scope: not compared with other clusters'
    """
    if is_wider(fig) and is_full_year(fig) and not _DISTRICT.search(str(fig.get("note") or "")):
        return f"口径：{figure_scope(fig)}，不与其他集群比较 wider scope: not compared with other clusters"
    parts = [] if is_full_year(fig) else [str(fig["period"])]
    parts += [figure_scope(fig)] if figure_scope(fig) else []
    if not parts:
        return ""
    return f"仅 {'、'.join(parts)}，不与其他集群比较 partial ({', '.join(parts)}): not compared with other clusters"


def caveat_en(fig: Mapping[str, Any]) -> str:
    """:func:`caveat` in English only (period and scope as published), or ``""``.

    >>> caveat_en({"period": "Q1", "note": "District figure: 钟楼区 only"})
    'partial (Q1, 钟楼区): not compared with other clusters'
    >>> caveat_en({"note": "新能源 industry as a whole, wider than this cluster"})
    'wider scope (新能源 industry as a whole, wider than this cluster): not compared with other clusters'
    """
    if is_wider(fig) and is_full_year(fig) and not _DISTRICT.search(str(fig.get("note") or "")):
        return f"wider scope ({figure_scope(fig, english=True)}): not compared with other clusters"
    parts = [] if is_full_year(fig) else [str(fig["period"])]
    parts += [figure_scope(fig, english=True)] if figure_scope(fig) else []
    return f"partial ({', '.join(parts)}): not compared with other clusters" if parts else ""
