"""Colours, shapes, the font stack, legend entries and plain-text tooltips shared by every view.

Tooltips are plain text (vis-network 9 shows a string ``title`` with
``innerText``), so names from data never become markup.

Examples
--------
>>> source_line({"title": "测试用虚构数据", "publisher": "chainkg tests", "date": "2026-11-29"})
'测试用虚构数据 — chainkg tests, 2026-11-29'
>>> tooltip("电芯 (Battery cells)", "环节 Segment · t-cell", sources=[{"title": "T", "date": ""}])
'电芯 (Battery cells)\\n环节 Segment · t-cell\\n来源 Source: T — date unknown 日期不详'
"""

from __future__ import annotations

import re
import textwrap
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, NamedTuple

from queries.gap_kinds import KIND_LABELS_ZH_EN

FONT_STACK = '"Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", sans-serif'
"""Fonts that cover Chinese: Debian/Linux, macOS, Windows, then the browser's default."""

COLOURS = {
    "cluster": "#4e79a7",
    "cluster_unsized": "#bcd0e6",
    "segment": "#59a14f",
    "missing": "#e15759",
    "weak": "#f28e2b",
    "broken_link": "#b07aa1",
    "extension": "#9c9c9c",
    "firm": "#76b7b2",
    "outside": "#bab0ac",
    "anchor": "#edc948",
    "candidate": "#9c755f",  # brown: apart from the purple of a broken link (断链)
    "other_cluster": "#d4d4d4",
    "aggregate": "#a0cbe8",
    "edge": "#8c8c8c",
    "edge_cross": "#4e79a7",
    "border": "#333333",
}

LABEL_BACKGROUND = "rgba(255, 255, 255, 0.85)"
"""Behind a label drawn outside its node (a firm's, the overview's), so that a link passing under it does not
strike its text through (review 13b: supply arrows ran through firm names with "show all firms")."""

GAP_LABELS = dict(KIND_LABELS_ZH_EN)
"""The gap kinds (``queries.gap_kinds.KINDS``) in the words of ``chainkg gaps`` and the reports: their
labels in :data:`queries.gap_kinds.KIND_LABELS_ZH_EN`, which ``reports.labels.KIND_LABELS`` copies too."""
GAP_RANK = {"missing": 0, "weak": 1, "broken_link": 2, "extension": 3}
"""Which gap kind decides a segment's colour when it has several (lowest wins)."""
STATUS_LABELS = {
    "strong": "强链 Strong",
    "present": "一般 Present",
    "weak": "弱链 Weak",
    "missing": "缺链 Missing",
}
"""A segment's local presence (``queries.presence``), as the reports name it (``reports.labels.STATUS_LABELS``)."""

KIND_LABELS = {
    "cluster": "集群 Cluster",
    "segment": "环节 Segment",
    "firm": "企业 Firm",
    "aggregate": "企业汇总 Firms (collapsed)",
    "stage": "产业链阶段 Chain stage",
}
POSITION_LABELS = {
    "upstream": "上游 Upstream",
    "midstream": "中游 Midstream",
    "downstream": "下游 Downstream",
    "support": "支撑 Support",
}
ROLE_LABELS = {"anchor": "链主 Anchor", "major": "骨干 Major", "member": "一般企业 Member"}
"""Role labels, as the glossary of docs/guide-zh.md names them (链主企业 / 骨干企业 / 一般企业)."""
TAG_LABELS = {
    "链主": ("链主", "chain leader (anchor firm)"),
    "单项冠军": ("单项冠军", "national manufacturing single champion"),
    "专精特新小巨人": ("专精特新小巨人", "national specialised 'little giant'"),
    "省专精特新": ("省专精特新", "provincial specialised SME"),
    "市专精特新": ("市专精特新", "city-level specialised SME"),
    "listed": ("上市公司", "listed company"),
    "head-firm": ("行业龙头", "industry head firm"),
    "foreign-invested": ("外资企业", "foreign-invested"),
    "soe": ("国有企业", "state-owned"),
}
"""A firm's tags (``graph.model.KNOWN_TAGS``) in Chinese and in English, in the words of
``queries.candidates.TAG_TEXT``; a tag not listed here is shown as it is."""
MAX_TOOLTIP_SOURCES = 3


@dataclass(frozen=True)
class LegendEntry:
    """One row of a view's legend: a swatch (colour and shape) and its meaning.

    ``shape`` is a node's shape (``box``, ``dot``, ``star``, ``diamond``, ``ring``) or ``line`` for a link;
    ``dashed`` and ``dotted`` draw the border (or the line) broken, ``thick`` draws a node's border heavy.
    """

    label: str
    colour: str
    shape: str = "box"
    dashed: bool = False
    dotted: bool = False
    thick: bool = False

    def as_dict(self) -> dict[str, Any]:
        return {
            "label": self.label,
            "colour": self.colour,
            "shape": self.shape,
            "dashed": self.dashed,
            "dotted": self.dotted,
            "thick": self.thick,
        }


UNVERIFIED_OPACITY = 0.4
"""How strongly an unverified supply link is drawn (1: like a sourced one): faded, so dashes keep meaning
cross-cluster in the cluster view."""


def faded(colour: str, opacity: float = UNVERIFIED_OPACITY) -> str:
    """A ``#rrggbb`` colour as a see-through ``rgba()``: how views draw a supply link that is unverified.

    Parameters
    ----------
    colour : str
        A colour as ``#rrggbb``.
    opacity : float, optional
        From 0 (invisible) to 1 (as it is).

    Returns
    -------
    str
        ``rgba(r, g, b, opacity)``.

    Examples
    --------
    >>> faded("#8c8c8c"), faded("#4e79a7", 0.5)
    ('rgba(140, 140, 140, 0.4)', 'rgba(78, 121, 167, 0.5)')
    """
    red, green, blue = (int(colour.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    return f"rgba({red}, {green}, {blue}, {opacity:g})"


def node_colour(background: str, border: str = COLOURS["border"]) -> dict[str, Any]:
    """A vis colour that keeps its fill when selected or hovered (only the border darkens), so labels stay legible.

    >>> node_colour("#e15759")["highlight"]
    {'background': '#e15759', 'border': '#000000'}
    """
    return {
        "background": background,
        "border": border,
        "highlight": {"background": background, "border": "#000000"},
        "hover": {"background": background, "border": "#000000"},
    }


def zh_part(label: str) -> str:
    """The Chinese words of a ``中文 English`` label (all of it when it has no English).

    >>> zh_part("缺链 Missing"), zh_part("断链 Broken link"), zh_part("电芯")
    ('缺链', '断链', '电芯')
    """
    return label.split(" ", 1)[0] if english_part(label) else label


_LATIN = re.compile(r"[(\[]?[A-Za-z]")


def english_part(label: str) -> str:
    """The English words of a ``中文 English`` label, or ``""`` when it has none.

    The English starts at the first Latin letter (with a bracket just before it); the words before it must be
    Chinese (some CJK and no Latin letter), so that a name that is English already is not cut.

    >>> english_part("产值 Output"), english_part("外地候选 Outside candidates"), english_part("电芯")
    ('Output', 'Outside candidates', '')
    >>> english_part("否 no (outside Changzhou)"), english_part("Power cells"), english_part("溧阳市 (Liyang)")
    ('no (outside Changzhou)', '', '(Liyang)')
    >>> english_part("集群，大小 = 全市全年产值 Cluster, size = output"), english_part("近5000 亿元 (2025)")
    ('Cluster, size = output', '')
    """
    found = _LATIN.search(label)
    if not found:
        return ""
    head = label[: found.start()]
    if not any(unicodedata.east_asian_width(ch) in "WF" for ch in head):
        return ""
    return label[found.start() :].strip()


def wrap_en(text: str, width: int = 20, limit: int = 56) -> str:
    """An English name cut to ``limit`` characters and broken at spaces into lines of about ``width``.

    >>> wrap_en("Lithium resources and salts"), wrap_en("Cells")
    ('Lithium resources\\nand salts', 'Cells')
    """
    text = shorten(text, limit)
    return "\n".join(textwrap.wrap(text, width, break_long_words=False)) or text


def display_name(name_zh: str, name_en: str = "") -> str:
    """``name_zh (name_en)``, or just ``name_zh``."""
    return f"{name_zh} ({name_en})" if name_en else name_zh


DATE_UNKNOWN = ("date unknown 日期不详", "date unknown")
"""What a source without a date says, in the Chinese page (both languages) and in the English page."""


def source_line(source: Mapping[str, Any], *, english: bool = False) -> str:
    """One source as ``title — publisher, date`` (``date unknown`` when it has none).

    >>> source_line({"title": "T", "publisher": "P"}), source_line({"title": "T"}, english=True)
    ('T — P, date unknown 日期不详', 'T — date unknown')
    """
    title = str(source.get("title") or source.get("id") or "?")
    parts = [p for p in (str(source.get("publisher") or ""), str(source.get("date") or "")) if p]
    if not source.get("date"):
        parts.append(DATE_UNKNOWN[english])
    return f"{title} — {', '.join(parts)}"


def unique_sources(sources: Iterable[Mapping[str, Any]]) -> list[Mapping[str, Any]]:
    """``sources`` without repeats (by id, else by title, publisher and date), in their first order.

    >>> [s["id"] for s in unique_sources([{"id": "a"}, {"id": "b"}, {"id": "a"}])]
    ['a', 'b']
    """
    seen: set[Any] = set()
    out = []
    for src in sources:
        key = src.get("id") or (src.get("title"), src.get("publisher"), src.get("date"))
        if key not in seen:
            seen.add(key)
            out.append(src)
    return out


TOOLTIP_WORDS = (
    ("来源 Source: ", "none recorded 无", "可信度 Confidence: "),
    ("Source: ", "none recorded", "Confidence: "),
)
"""The words a tooltip adds before its sources and confidence: in the Chinese page, in the English page."""


def tooltip(*lines: str, sources: Iterable[Mapping[str, Any]] = (), confidence: str = "", english: bool = False) -> str:
    """Join non-empty ``lines`` and one line per source (each once, at most three) into a plain-text tooltip.

    The words the tooltip adds (source, date unknown, confidence) are in both languages, or in English only
    with ``english`` (the English page's text, whose ``lines`` the caller gives in English).

    >>> tooltip("Supplies: A → B", sources=[{"title": "T"}], confidence="inferred", english=True)
    'Supplies: A → B\\nSource: T — date unknown\\nConfidence: inferred'
    >>> tooltip("x", english=True)
    'x\\nSource: none recorded'
    """
    source_word, none_recorded, confidence_word = TOOLTIP_WORDS[english]
    out = [line for line in lines if line]
    cited = unique_sources(sources)
    for src in cited[:MAX_TOOLTIP_SOURCES]:
        out.append(source_word + source_line(src, english=english))
    if len(cited) > MAX_TOOLTIP_SOURCES:
        out.append(f"… +{len(cited) - MAX_TOOLTIP_SOURCES} more sources")
    if not cited:
        out.append(source_word + none_recorded)
    if confidence and confidence != "sourced":
        out.append(f"{confidence_word}{confidence}")
    return "\n".join(out)


class Tooltips(NamedTuple):
    """A node's plain-text tooltip on the Chinese page (``zh``, both languages) and on the English page (``en``)."""

    zh: str
    en: str


def tooltips(
    lines: Iterable[str],
    lines_en: Iterable[str],
    *,
    sources: Iterable[Mapping[str, Any]] = (),
    confidence: str = "",
) -> Tooltips:
    """:func:`tooltip` of the Chinese page's ``lines`` and of the English page's ``lines_en``, with the same sources.

    >>> tooltips(["电芯 (Cells)", "环节 Segment · c"], ["Cells", "Segment · c"], sources=[{"title": "T"}])
    ... # doctest: +NORMALIZE_WHITESPACE
    Tooltips(zh='电芯 (Cells)\\n环节 Segment · c\\n来源 Source: T — date unknown 日期不详',
             en='Cells\\nSegment · c\\nSource: T — date unknown')
    """
    cited = list(sources)
    return Tooltips(
        tooltip(*lines, sources=cited, confidence=confidence),
        tooltip(*lines_en, sources=cited, confidence=confidence, english=True),
    )


COMPANY_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司", "股份公司")
"""Legal-form endings left off firm labels on the canvas (the details panel keeps the full name)."""


def without_legal_form(name: str) -> str:
    """A firm's name without its legal form (``有限公司`` and the like), unless that is all of it.

    >>> without_legal_form("江苏时代新能源科技有限公司"), without_legal_form("有限公司")
    ('江苏时代新能源科技', '有限公司')
    """
    for suffix in COMPANY_SUFFIXES:
        if name.endswith(suffix) and len(name) > len(suffix):
            return name[: -len(suffix)]
    return name


def firm_label(name: str, limit: int = 12) -> str:
    """A firm's canvas label: its name without the legal form, cut to ``limit`` characters.

    >>> firm_label("中创新航科技集团股份有限公司"), firm_label("常州市某某精密机械制造厂", 8)
    ('中创新航科技集团', '常州市某某精密…')
    """
    return shorten(without_legal_form(name), limit)


def shorten(text: str, limit: int = 18) -> str:
    """Cut ``text`` to ``limit`` characters for a node label.

    >>> shorten("汽车电气设备与零部件及其他", 8)
    '汽车电气设备与…'
    """
    return text if len(text) <= limit else text[: limit - 1] + "…"


BREAK_AFTER = "、与及和，,/ "
"""Where a long name prefers to break: after an enumeration comma, 与, 及, 和, a comma, a slash or a space."""


def wrap(text: str, width: int = 9, limit: int = 18) -> str:
    """Cut ``text`` to ``limit`` characters and break it in two lines when longer than ``width``.

    The break falls near the middle, after a natural break (:data:`BREAK_AFTER`) when one is close,
    so that long segment names make narrower boxes.

    >>> wrap("整车"), wrap("底盘、动力总成与其他关键零部件")
    ('整车', '底盘、动力总成与\\n其他关键零部件')
    """
    text = shorten(text, limit)
    if len(text) <= width:
        return text
    cut = (len(text) + 1) // 2
    for step in (0, 1, -1, 2, -2, 3, -3):
        at = cut + step
        if 0 < at < len(text) and text[at - 1] in BREAK_AFTER:
            cut = at
            break
    return text[:cut].rstrip() + "\n" + text[cut:].lstrip()
