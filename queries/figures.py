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

The Chinese page shows unit and period as published. The English page words them in English where the
meaning is certain, the value converted exactly (:func:`value_text`, :func:`period_text`): ``5000 亿元`` is
``CNY 500 billion`` (1 亿 = 100 million), ``1-9月`` is ``Jan-Sep``, ``上半年`` is ``H1``; any other unit or period
stays as published.

Examples
--------
>>> q1 = {"year": 2024, "metric": "output", "value": 19.45, "unit": "亿元", "qualifier": "=", "period": "Q1",
...       "note": "District figure: 钟楼区 only; no city-level figure found"}
>>> figure_text(q1), is_comparable(q1)
('19.45 亿元 (2024 Q1, 钟楼区)', False)
>>> year = {"year": 2025, "metric": "output", "value": 5000.0, "unit": "亿元", "qualifier": "≲", "period": "full-year"}
>>> headline_output([q1, year]) is year, figure_text(year), is_comparable(year)
(True, '近5000 亿元 (2025)', True)
>>> figure_text(year, english=True), figure_text(q1, english=True)
('nearly CNY 500 billion (2025)', 'CNY 1.945 billion (2024 Q1, 钟楼区)')
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from queries.layer_items import QUALIFIER_SUFFIX_ZH, QUALIFIER_WORDS, QUALIFIER_ZH, UNITS

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


MONTHS_EN = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
PERIODS_EN = {
    "上半年": "H1",
    "下半年": "H2",
    "一季度": "Q1",
    "第一季度": "Q1",
    "二季度": "Q2",
    "第二季度": "Q2",
    "三季度": "Q3",
    "第三季度": "Q3",
    "四季度": "Q4",
    "第四季度": "Q4",
    "前三季度": "Q1-Q3",
    "全年": FULL_YEAR,
}
"""Periods the sources write in words, in English (a month range such as ``1-9月`` is read by :func:`period_text`)."""
_MONTH_RANGE = re.compile(r"^(\d{1,2})\s*[-–—~～至到]\s*(\d{1,2})\s*月份?$")
_ONE_MONTH = re.compile(r"^(\d{1,2})\s*月份?$")
COUNT_UNITS_EN = {
    "家": (1, "firm", "firms"),
    "个": (1, "item", "items"),
    "辆": (1, "vehicle", "vehicles"),
    "万辆": (10**4, "vehicle", "vehicles"),
    "吨": (1, "tonne", "tonnes"),
    "万吨": (10**4, "tonne", "tonnes"),
    "人": (1, "person", "people"),
    "万人": (10**4, "person", "people"),
}
"""Units of a count whose English is certain: how many of the thing one unit is, the word for one and for more."""


def _exact(value: Any) -> Decimal:
    """A published number as the exact decimal it was written as (``19.45``, never ``19.449999…``)."""
    return Decimal(value.strip().replace(",", "")) if isinstance(value, str) else Decimal(repr(float(value)))


def _decimal_text(number: Decimal) -> str:
    """Every digit of ``number``, no exponent, no trailing zeros after the point, thousands separated."""
    number = number.normalize()
    if number == number.to_integral_value():
        number = number.quantize(Decimal(1))
    return f"{number:,f}"


def value_text(value: Any, unit: str, *, english: bool = False) -> str:
    """A published value with its unit: as published, or in English with the value converted exactly.

    In English an amount of money (``亿元``, ``万元``, ``亿美元``, ``元``: :data:`queries.layer_items.UNITS`) is
    written in its currency, in billions (``billion``, from 10^9) or millions (``million``, from 10^6) or whole, with
    every digit it has (1 亿 = 100 million, 1 万 = 10,000); a count whose unit's meaning is certain
    (:data:`COUNT_UNITS_EN`: 家 firms, 个 items, 万辆 10,000 vehicles…) in its English word. Any other unit
    (``GWh``, or one whose meaning is not certain) stays as published; ``%`` follows the number.

    Parameters
    ----------
    value : float or str
        The published number (a string keeps the digits it is written with).
    unit : str
        The published unit (may be empty).
    english : bool, optional
        The English page's wording (else as published).

    Returns
    -------
    str
        The value and its unit.

    Examples
    --------
    >>> value_text(5000.0, "亿元"), value_text(5000.0, "亿元", english=True)
    ('5000 亿元', 'CNY 500 billion')
    >>> value_text(19.45, "亿元", english=True), value_text(10479, "亿元", english=True)
    ('CNY 1.945 billion', 'CNY 1,047.9 billion')
    >>> value_text(50, "万元", english=True), value_text(350, "万元", english=True)
    ('CNY 500,000', 'CNY 3.5 million')
    >>> value_text(3, "亿美元", english=True), value_text(0.5, "亿元", english=True)
    ('USD 300 million', 'CNY 50 million')
    >>> value_text(120, "家", english=True), value_text(1, "家", english=True), value_text(12.5, "万辆", english=True)
    ('120 firms', '1 firm', '125,000 vehicles')
    >>> value_text(97.0, "%", english=True), value_text(45.5, "GWh", english=True), value_text(3, "项", english=True)
    ('97%', '45.5 GWh', '3 项')
    """
    if english and unit in UNITS:
        scale, currency = UNITS[unit]
        amount = _exact(value) * scale
        for size, word in ((10**9, " billion"), (10**6, " million")):
            if abs(amount) >= size:
                return f"{currency} {_decimal_text(amount / size)}{word}"
        return f"{currency} {_decimal_text(amount)}"
    if english and unit in COUNT_UNITS_EN:
        scale, one, many = COUNT_UNITS_EN[unit]
        count = _exact(value) * scale
        return f"{_decimal_text(count)} {one if count == 1 else many}"
    number = float(value)
    shown = int(number) if number.is_integer() else number
    return f"{shown}{unit}" if unit == "%" else f"{shown} {unit}".rstrip()


def period_text(period: str, *, english: bool = False) -> str:
    """A figure's period as published, or in English where its meaning is certain.

    ``1-9月`` (January to September) is ``Jan-Sep``, ``9月`` ``Sep``, ``上半年`` ``H1``, ``前三季度``
    ``Q1-Q3`` (:data:`PERIODS_EN`); ``Q1`` and ``full-year`` stay, as does any period not read here.

    Parameters
    ----------
    period : str
        The published period (``graph.model.Figure.period``).
    english : bool, optional
        The English page's wording (else as published).

    Returns
    -------
    str
        The period.

    Examples
    --------
    >>> period_text("1-9月"), period_text("1-9月", english=True), period_text("1-8月", english=True)
    ('1-9月', 'Jan-Sep', 'Jan-Aug')
    >>> period_text("Q1", english=True), period_text("上半年", english=True), period_text("9月", english=True)
    ('Q1', 'H1', 'Sep')
    >>> period_text("13-14月", english=True), period_text("旺季", english=True)
    ('13-14月', '旺季')
    """
    if not english:
        return period
    text = period.strip()
    if text in PERIODS_EN:
        return PERIODS_EN[text]
    months = _MONTH_RANGE.match(text)
    if months and 1 <= int(months.group(1)) <= int(months.group(2)) <= 12:
        return f"{MONTHS_EN[int(months.group(1)) - 1]}-{MONTHS_EN[int(months.group(2)) - 1]}"
    month = _ONE_MONTH.match(text)
    if month and 1 <= int(month.group(1)) <= 12:
        return MONTHS_EN[int(month.group(1)) - 1]
    return period


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
    >>> district = {"note": "District figure: 钟楼区 only", "scope_en": "Zhonglou District"}
    >>> figure_scope(district), figure_scope(district, english=True)
    ('钟楼区', 'Zhonglou District')
    """
    if english and fig.get("scope_en"):  # a district scope in English (:func:`with_scope_en`)
        return str(fig["scope_en"])
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


_IN_DISTRICT = re.compile(r"^(.+?)\s*\((.+?)\)$")


def district_en(name: str, districts: Mapping[str, str]) -> str:
    """The English name of a district named ``name`` (``钟楼区``, or ``武进`` without its 区), ``""`` if none.

    ``districts`` maps each district's Chinese name (``name_zh`` of the data's districts) to its English name.

    >>> names = {"钟楼区": "Zhonglou District", "武进区": "Wujin District", "溧阳市": "Liyang (county-level city)"}
    >>> district_en("钟楼区", names), district_en("武进", names), district_en("溧阳高新区", names)
    ('Zhonglou District', 'Wujin District', '')
    """
    name = name.strip()
    if name in districts:
        return districts[name]
    short = {zh[:-1]: en for zh, en in districts.items() if len(zh) > 2 and zh[-1] in "区市县"}
    return short.get(name, "")


def with_scope_en(fig: Mapping[str, Any], districts: Mapping[str, str]) -> dict[str, Any]:
    """``fig`` with ``scope_en`` when its scope is a district (or a place ``X (district)``) of ``districts``.

    :func:`figure_scope` then names that scope in English; any other scope stays as published.

    >>> names = {"钟楼区": "Zhonglou District", "武进区": "Wujin District"}
    >>> with_scope_en({"note": "District figure: 钟楼区 only"}, names)["scope_en"]
    'Zhonglou District'
    >>> with_scope_en({"note": "District figure: 西太湖国际医疗产业园 (武进) only"}, names)["scope_en"]
    '西太湖国际医疗产业园 (Wujin District)'
    >>> "scope_en" in with_scope_en({"note": "Scope: 新型碳材料 (the national cluster)"}, names)
    False
    """
    out = dict(fig)
    out.pop("scope_en", None)
    if fig.get("scope") or not (fig.get("district") or _DISTRICT.search(str(fig.get("note") or ""))):
        return out
    scope = figure_scope(out)
    english = district_en(scope, districts)
    place = _IN_DISTRICT.match(scope)
    if not english and place and district_en(place.group(2), districts):
        english = f"{place.group(1)} ({district_en(place.group(2), districts)})"
    if english:
        out["scope_en"] = english
    return out


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


def other_money_figure(figures: list[dict[str, Any]]) -> dict[str, Any] | None:
    """The latest money figure of another metric (营收…), for a cluster that publishes no output.

    The overview's label and the summary report's 最新产值 column show it, named by its metric, when
    :func:`headline_output` finds no output figure.

    A figure wider than the cluster (:func:`queries.figures.is_wider`: 新能源产业产值 covers the whole new-energy
    industry, NEV included) never stands for it: the panel lists it with its scope, the label leaves it out,
    as the summary report shows no output for such a cluster.

    >>> wider = {"year": 2025, "metric": "new_energy_industry_output", "unit": "亿元", "value": 10479.0,
    ...          "note": "新能源 industry as a whole, wider than this cluster"}
    >>> revenue = {"year": 2022, "metric": "revenue", "unit": "亿元", "value": 3000.0}
    >>> other_money_figure([wider]), other_money_figure([wider, revenue]) is revenue
    (None, True)
    """
    money = [f for f in figures if f.get("unit") == "亿元" and f.get("metric") != "output" and not is_wider(f)]
    return max(money, key=lambda f: f["year"]) if money else None


def figure_text(fig: Mapping[str, Any], *, english: bool = False) -> str:
    """A figure as ``qualifier value unit (year[ period][, scope])``; a full year is not named.

    Unit and period are as published on the Chinese page; with ``english`` they are worded in English where
    the meaning is certain (:func:`value_text`: ``980 亿元`` is ``CNY 98 billion``; :func:`period_text`: ``1-9月``
    is ``Jan-Sep``), and a scope of segments too. The qualifier is shown in words (:func:`qualifier_words`),
    as the reports show it: 超, 约, 近 (nearly, just under), 不足 on the Chinese page, ``over``, ``about``,
    ``nearly``, ``under`` on the English page; ``=`` is not shown.

    Parameters
    ----------
    fig : Mapping
        A published figure (``graph.model.Figure`` as JSON).
    english : bool, optional
        The English page's wording (else the Chinese page's).

    Returns
    -------
    str
        The figure in one line.

    Examples
    --------
    >>> fig = {"year": 2023, "value": 980.0, "unit": "亿元", "period": "1-9月", "note": "Scope: 新型碳材料"}
    >>> figure_text(fig), figure_text(fig, english=True)
    ('980 亿元 (2023 1-9月, 新型碳材料)', 'CNY 98 billion (2023 Jan-Sep, 新型碳材料)')
    >>> figure_text({"year": 2024, "value": 97.0, "unit": "%", "scope": ["a", "b"]}, english=True)
    '97% (2024, 2 segments)'
    >>> fig = {"year": 2023, "value": 900.0, "unit": "亿元", "qualifier": "≈"}
    >>> figure_text(fig), figure_text(fig, english=True)
    ('约900 亿元 (2023)', 'about CNY 90 billion (2023)')
    """
    before, after = qualifier_words(str(fig.get("qualifier") or "="), english=english)
    when = str(fig["year"]) + ("" if is_full_year(fig) else f" {period_text(str(fig['period']), english=english)}")
    scope = figure_scope(fig, english=english)
    amount = before + value_text(fig["value"], str(fig.get("unit") or ""), english=english)
    return f"{amount}{after} ({when}{', ' + scope if scope else ''})"


def _wider_full_year(fig: Mapping[str, Any]) -> bool:
    """A full-year figure of more than the cluster, not a district's: its caveat names the wider scope."""
    return is_wider(fig) and is_full_year(fig) and not _DISTRICT.search(str(fig.get("note") or ""))


def caveat(fig: Mapping[str, Any]) -> str:
    """Why a figure does not size its node, or ``""`` when it is comparable.

    >>> caveat({"period": "Q1", "note": "District figure: 钟楼区 only"})
    '仅 Q1、钟楼区，不与其他集群比较 partial (Q1, 钟楼区): not compared with other clusters'
    >>> caveat({"note": "新能源 industry as a whole, wider than this cluster"})
    '口径：新能源产业整体，宽于本集群，不与其他集群比较 wider scope: not compared with other clusters'
    """
    if _wider_full_year(fig):
        return f"口径：{figure_scope(fig)}，不与其他集群比较 wider scope: not compared with other clusters"
    parts = [] if is_full_year(fig) else [str(fig["period"])]
    parts += [figure_scope(fig)] if figure_scope(fig) else []
    if not parts:
        return ""
    return f"仅 {'、'.join(parts)}，不与其他集群比较 partial ({', '.join(parts)}): not compared with other clusters"


def caveat_en(fig: Mapping[str, Any]) -> str:
    """:func:`caveat` in English only (the period in English where :func:`period_text` reads it, a district or a
    sub-cluster as published), or ``""``.

    >>> caveat_en({"period": "Q1", "note": "District figure: 钟楼区 only"})
    'partial (Q1, 钟楼区): not compared with other clusters'
    >>> caveat_en({"period": "1-9月", "note": "Scope: 新型碳材料"})
    'partial (Jan-Sep, 新型碳材料): not compared with other clusters'
    >>> caveat_en({"note": "新能源 industry as a whole, wider than this cluster"})
    'wider scope (新能源 industry as a whole, wider than this cluster): not compared with other clusters'
    """
    if _wider_full_year(fig):
        return f"wider scope ({figure_scope(fig, english=True)}): not compared with other clusters"
    parts = [] if is_full_year(fig) else [period_text(str(fig["period"]), english=True)]
    parts += [figure_scope(fig, english=True)] if figure_scope(fig) else []
    return f"partial ({', '.join(parts)}): not compared with other clusters" if parts else ""
