"""Chinese (then English) labels for what the reports show, and number formatting.

Examples
--------
>>> figure_value({"value": 1300.0, "unit": "亿元", "qualifier": ">"})
'超 1,300 亿元'
>>> figure_value({"value": 56.5, "unit": "%", "qualifier": "="})
'56.5%'
>>> figure_value({"value": 5000.0, "unit": "亿元", "qualifier": "≲"})
'近 5,000 亿元'
>>> figure_value({"value": 900.0, "unit": "亿元", "qualifier": "≈"})
'约 900 亿元'
>>> METRIC_LABELS["output"], reliability_label("mirror")
('产值 Output', '镜像 Mirror')
>>> figure_value({"value": 19.45, "unit": "亿元"})
'19.45 亿元'
>>> pct(0.275862), score(0.6781251)
('27.6%', '0.678')
>>> health_formula("zh")
'健康度 = 0.40·覆盖率 + 0.25·链主覆盖率 + 0.20·稳固环节占比 + 0.15·（1 − 集中度）'
>>> health_formula("en")
'health = 0.40·coverage + 0.25·anchor coverage + 0.20·solid share + 0.15·(1 − concentration)'
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from queries.candidates import TAG_TEXT
from queries.gap_kinds import KIND_LABELS_ZH_EN, KIND_NAMES_ZH
from queries.health import HEALTH_TERMS, HEALTH_WEIGHTS
from viz.style import COLOURS, GAP_LABELS, POSITION_LABELS, ROLE_LABELS

__all__ = ["COLOURS", "GAP_LABELS", "POSITION_LABELS", "ROLE_LABELS"]

GAP_SHORT = dict(KIND_NAMES_ZH)
"""One-word Chinese names of the gap kinds (used in the diagram and tables): :data:`queries.gap_kinds.KIND_NAMES_ZH`."""

KIND_LABELS = dict(KIND_LABELS_ZH_EN)
"""The gap kinds as the reports label them (``缺链 Missing``): :data:`queries.gap_kinds.KIND_LABELS_ZH_EN`,
as the views' ``viz.style.GAP_LABELS``."""

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

QUALIFIER_TEXT = {">": "超 ", "≈": "约 ", "≲": "近 ", "<": "不足 ", "=": ""}
"""The word before a published figure for each qualifier of ``graph.model.Figure`` (近 ``≲``: nearly, just under)."""

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


COMPLEMENT = "1 − "
"""How a complement term's label starts in :data:`queries.health.HEALTH_TERMS` (``1 − 集中度``)."""


@dataclass(frozen=True)
class HealthTerm:
    """One term of the health score, as the reports print it.

    ``key`` names the term in :data:`queries.health.HEALTH_WEIGHTS` and in a health answer's
    ``weighted``; ``component`` the value in its ``components`` the term is computed from
    (``1 − component`` when ``complement``). The names come from :data:`queries.health.HEALTH_TERMS`
    (:func:`health_term`); the reports add the definitions and how a value is printed.
    """

    key: str
    component: str
    zh: str
    en: str
    define_zh: str
    define_en: str
    complement: bool = False
    share: bool = True
    """Printed as a percentage (else with three decimals)."""

    @property
    def head_zh(self) -> str:
        """The term's name as a column heading: ``1 − 集中度`` for a complement."""
        return f"{COMPLEMENT}{self.zh}" if self.complement else self.zh

    @property
    def head_en(self) -> str:
        return f"{COMPLEMENT}{self.en}" if self.complement else self.en

    def value(self, components: Mapping[str, Any]) -> float:
        """The term's value, from a health answer's ``components``."""
        value = float(components[self.component])
        return 1 - value if self.complement else value


TERM_DEFINITIONS: Mapping[str, tuple[str, str]] = {
    "coverage": (
        "有本地企业的环节占比（含下级环节）",
        "share of segments with a local firm (sub-segments included)",
    ),
    "anchor_coverage": ("有本地链主企业的环节占比", "share of segments with a local anchor firm"),
    "weak_links": (
        "有本地企业且非弱链的环节占比，即（有本地企业的环节 − 弱链环节）/ 环节数",
        "share of segments with a local presence that is not weak: (present − weak) / segments",
    ),
    "concentration": (
        "各环节 1/G 的平均值，G 为环节内本地企业集团数（无本地企业的环节计 1）",
        "mean over the segments of 1/G, G the local corporate groups in the segment (1 without a local firm)",
    ),
}
"""What each term of :data:`queries.health.HEALTH_WEIGHTS` measures (zh, en), as the method section says it."""

VALUE_TERMS = frozenset({"concentration"})
"""Terms printed with three decimals, not as a percentage."""


def _bare_name(label: str, complement: bool, key: str) -> str:
    """A term's name without the ``1 − `` its label in :data:`queries.health.HEALTH_TERMS` has for a complement."""
    if not complement:
        return label
    if not label.startswith(COMPLEMENT):
        raise ValueError(f"queries.health.HEALTH_TERMS[{key!r}]: label {label!r} should start with {COMPLEMENT!r}")
    return label[len(COMPLEMENT) :]


def health_term(key: str) -> HealthTerm:
    """The term ``key`` of :data:`queries.health.HEALTH_TERMS`, with its definition (:data:`TERM_DEFINITIONS`).

    >>> t = health_term("concentration")
    >>> (t.component, t.complement, t.zh, t.head_zh, t.en, t.share)
    ('concentration', True, '集中度', '1 − 集中度', 'concentration', False)
    """
    component, complement, label_zh, label_en = HEALTH_TERMS[key]
    define_zh, define_en = TERM_DEFINITIONS[key]
    return HealthTerm(
        key,
        component,
        _bare_name(label_zh, complement, key),
        _bare_name(label_en, complement, key),
        define_zh,
        define_en,
        complement=complement,
        share=key not in VALUE_TERMS,
    )


def health_terms() -> list[tuple[HealthTerm, float]]:
    """The terms of the health score with their weights, in the order of :data:`queries.health.HEALTH_WEIGHTS`.

    Raises ``KeyError`` for a weight the reports cannot name, so a new term is never printed wrongly.
    """
    return [(health_term(key), float(weight)) for key, weight in HEALTH_WEIGHTS.items()]


def weight_text(weight: float) -> str:
    """A weight as printed in a formula: two decimals, more when it has them (``0.40``, ``0.125``)."""
    text = f"{weight:.2f}"
    return text if float(text) == weight else f"{weight:g}"


def health_formula(lang: str = "zh") -> str:
    """The health formula in ``zh`` or ``en``, from the weights and terms the code uses."""
    parts = []
    for term, weight in health_terms():
        name = term.head_zh if lang == "zh" else term.head_en
        if term.complement:
            name = f"（{name}）" if lang == "zh" else f"({name})"
        parts.append(f"{weight_text(weight)}·{name}")
    return ("健康度 = " if lang == "zh" else "health = ") + " + ".join(parts)


HEALTH_LABELS = {t.key: f"{t.head_zh} {t.head_en}" for t, _ in health_terms()}
"""Legend of the health chart: one entry per weighted term."""
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
    text = number_text(fig["value"])
    unit = str(fig.get("unit") or "")
    joined = f"{text}{unit}" if unit == "%" else f"{text} {unit}".rstrip()
    return QUALIFIER_TEXT.get(str(fig.get("qualifier") or "="), "") + joined


def number_text(value: Any) -> str:
    """A published number with every digit the source gives and thousands separators, never rounded.

    A float prints as its shortest exact form (``19.45``, not ``19.4``); a whole number without ``.0``;
    a string keeps its digits (``"56.50"`` stays ``56.50``).

    >>> number_text(19.45), number_text(1300.0), number_text(1234567.125), number_text("56.50"), number_text(7)
    ('19.45', '1,300', '1,234,567.125', '56.50', '7')
    """
    if isinstance(value, str):
        number = Decimal(value.strip().replace(",", ""))
    else:
        number = Decimal(repr(float(value)))
        if number == number.to_integral_value():
            number = number.quantize(Decimal(1))
    return f"{number:,f}"


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
