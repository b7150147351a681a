"""Chinese (then English) labels for what the reports show, and number formatting.

Examples
--------
>>> figure_value({"value": 1300.0, "unit": "亿元", "qualifier": ">"})
'超 1,300 亿元'
>>> figure_value({"value": 56.5, "unit": "%", "qualifier": "="})
'56.5%'
>>> METRIC_LABELS["output"], reliability_label("mirror")
('产值 Output', '镜像 Mirror')
>>> pct(0.275862), score(0.6781251)
('27.6%', '0.678')
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from queries.candidates import TAG_TEXT
from viz.style import COLOURS, GAP_LABELS, POSITION_LABELS, ROLE_LABELS

__all__ = ["COLOURS", "GAP_LABELS", "POSITION_LABELS", "ROLE_LABELS"]

GAP_SHORT = {"missing": "缺链", "weak": "弱链", "broken_link": "断链", "extension": "延链"}
"""One-word Chinese names of the gap kinds (used in the diagram and tables)."""

KIND_LABELS = {
    "missing": "缺链 Missing",
    "weak": "弱链 Weak",
    "broken_link": "断链 Broken link",
    "extension": "延链 Extension",
}

STATUS_LABELS = {
    "strong": "强链 Strong",
    "present": "一般 Present",
    "weak": "弱链 Weak",
    "missing": "缺链 Missing",
}

STATUS_FILL = {"strong": "#cfe8c9", "present": "#eef7ea", "weak": "#fde1c2", "missing": "#f9d2d3"}
STATUS_STROKE = {"strong": "#3d8a37", "present": "#7fb26f", "weak": "#e07b12", "missing": "#d03b3e"}
"""Diagram and chart colours by segment status: green for present, amber for weak, red for missing."""

METRIC_LABELS = {
    "output": "产值 Output",
    "output_growth": "产值增速 Output growth",
    "revenue": "营业收入 Revenue",
    "revenue_growth": "营收增速 Revenue growth",
    "new_energy_industry_output": "新能源产业产值 New-energy output",
    "battery_chain_completeness": "动力电池产业链完整度 Battery chain completeness",
}

PERIOD_LABELS = {"full-year": "全年 Full year"}

PROJECT_STATUS_LABELS = {
    "planned": "规划 Planned",
    "signed": "签约 Signed",
    "started": "开工 Started",
    "completed": "建成 Completed",
    "unknown": "未注明 n/s",
}

QUALIFIER_TEXT = {">": "超 ", "≈": "约 ", "<": "不足 ", "=": ""}

RELIABILITY_LABELS = {
    "official": "官方 Official",
    "news": "新闻 News",
    "repost": "转载 Repost",
    "mirror": "镜像 Mirror",
    "weak": "弱 Weak",
    "company": "企业 Company",
    "research": "研究 Research",
}
MIRROR_RELIABILITY = frozenset({"mirror", "repost"})
"""Reliability values that mean a copy of the original, not the original itself."""

HEALTH_LABELS = {
    "coverage": "覆盖率 Coverage",
    "anchor_coverage": "链主覆盖 Anchor coverage",
    "weak_links": "稳固环节 solid share",
    "concentration": "分散度 1 − concentration",
}
HEALTH_COLOURS = {
    "coverage": "#4e79a7",
    "anchor_coverage": "#edc948",
    "weak_links": "#59a14f",
    "concentration": "#a0cbe8",
}

SEVERITY_LABELS = {"demand": "下游需求 D", "criticality": "关键性 C", "concentration": "集中度 H"}
SEVERITY_COLOURS = {"demand": "#d03b3e", "criticality": "#f28e2b", "concentration": "#b8b0ac"}


def figure_value(fig: Mapping[str, Any]) -> str:
    """A published figure as the source words it: qualifier, value with thousands separators, unit."""
    value = float(fig["value"])
    text = f"{value:,.0f}" if value.is_integer() else f"{value:,.1f}"
    unit = str(fig.get("unit") or "")
    joined = f"{text}{unit}" if unit == "%" else f"{text} {unit}".rstrip()
    return QUALIFIER_TEXT.get(str(fig.get("qualifier") or "="), "") + joined


def reliability_label(reliability: str) -> str:
    """The label of a source's reliability (the raw value when unknown)."""
    return RELIABILITY_LABELS.get(reliability, reliability or "未知 Unknown")


def pct(share: float) -> str:
    """A share in [0, 1] as a percentage with one decimal."""
    return f"{100 * share:.1f}%"


def score(value: float | None) -> str:
    """A score in [0, 1] with three decimals ("—" when absent)."""
    return "—" if value is None else f"{value:.3f}"


def tag_zh(tag: str) -> str:
    """A firm tag in Chinese (``listed`` → 上市公司); unknown tags as they are.

    >>> tag_zh("listed"), tag_zh("专精特新小巨人"), tag_zh("其他")
    ('上市公司', '国家级专精特新“小巨人”', '其他')
    """
    return TAG_TEXT[tag][0] if tag in TAG_TEXT else tag
