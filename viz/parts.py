"""Node and edge styles shared by the cluster, firm and segment views.

Examples
--------
>>> primary_status(["weak", "extension"]), primary_status([])
('weak', '')
>>> segment_style(["missing"])["color"]["background"]
'#e15759'
>>> firm_style(is_local=True, anchor=True)["shape"]
'star'
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from viz.style import COLOURS, GAP_LABELS, GAP_RANK, POSITION_LABELS, ROLE_LABELS, display_name, node_colour, tooltip

EDGE_LABELS = {
    "SUPPLIES": "供应 Supplies",
    "OPERATES_IN": "从事 Operates in",
    "SUPPLIES_TO": "供货 Supplies to",
    "SUBSIDIARY_OF": "子公司 Subsidiary of",
    "PART_OF": "属于 Part of",
    "DEPENDS_ON": "依赖 Depends on",
    "CANDIDATE": "候选 Candidate",
}


def primary_status(kinds: Iterable[str]) -> str:
    """The gap kind that decides a segment's colour: missing before weak before the rest."""
    ranked = sorted(set(kinds), key=lambda k: GAP_RANK.get(k, 99))
    return ranked[0] if ranked else ""


def gap_kinds(gap: Mapping[str, Any]) -> list[str]:
    """Every kind a gap has: its ``kinds`` (or its one ``kind``) and its presence ``status`` if that is a gap kind.

    >>> gap_kinds({"kind": "broken_link", "kinds": ["broken_link", "missing"], "status": "missing"})
    ['missing', 'broken_link']
    """
    kinds = set(gap.get("kinds") or [gap["kind"]])
    if gap.get("status") in GAP_RANK:
        kinds.add(str(gap["status"]))
    return sorted(kinds, key=lambda k: GAP_RANK.get(k, 99))


def segment_style(kinds: Iterable[str], *, other_cluster: bool = False) -> dict[str, Any]:
    """vis options for a segment box: red when missing, amber when weak, green otherwise.

    A broken link (断链) gets a thick purple border and an extension (延链) a dashed one.
    """
    kinds = set(kinds)
    status = primary_status(kinds)
    if other_cluster:
        background = COLOURS["other_cluster"]
    elif status in ("missing", "weak"):
        background = COLOURS[status]
    else:
        background = COLOURS["segment"]
    style: dict[str, Any] = {
        "shape": "box",
        "color": node_colour(background),
        "font": {"color": "#ffffff" if status == "missing" and not other_cluster else "#111111"},
        "borderWidth": 2 if status in ("missing", "weak") else 1,
        "margin": 10,
    }
    if "broken_link" in kinds:
        style["color"]["border"] = COLOURS["broken_link"]
        style["borderWidth"] = 4
    if "extension" in kinds:
        style["shapeProperties"] = {"borderDashes": [6, 4]}
        style["borderWidth"] = max(style["borderWidth"], 2)
    return style


def firm_style(*, is_local: bool, anchor: bool = False, candidate: bool = False) -> dict[str, Any]:
    """vis options for a firm: a gold star for an anchor, teal for local, grey for outside, purple candidates."""
    if candidate:
        colour = COLOURS["candidate"]
    elif anchor:
        colour = COLOURS["anchor"]
    else:
        colour = COLOURS["firm"] if is_local else COLOURS["outside"]
    return {
        "shape": "star" if anchor else ("diamond" if candidate else "dot"),
        "size": 16 if anchor else 11,
        "color": node_colour(colour),
        "borderWidth": 2 if anchor else 1,
        "font": {"size": 12},
    }


NO_CANDIDATES = "0 · 数据中暂无外地候选企业，需另行调研 none in the data yet: to research"
"""What a gap without any outside candidate shows, as the printed report and ``has_candidates=false`` say."""


def candidates_text(count: int) -> str:
    """The candidate count of a gap for a details panel: the count, or why there is none.

    >>> candidates_text(3)
    '3'
    >>> candidates_text(0).startswith("0 · ")
    True
    """
    return str(count) if count else NO_CANDIDATES


def segment_info(
    seg: Mapping[str, Any],
    gap_list: Sequence[Mapping[str, Any]],
    sources: list[dict[str, Any]],
    *,
    cluster_name: str = "",
) -> tuple[dict[str, Any], str]:
    """The details-panel info and the tooltip of a segment, with its gaps and their explanations."""
    kinds = [k for g in gap_list for k in gap_kinds(g)]
    fields = [["位置 Position", POSITION_LABELS.get(str(seg.get("position")), str(seg.get("position") or "—"))]]
    if cluster_name or seg.get("cluster_id"):
        fields.append(["集群 Cluster", cluster_name or str(seg.get("cluster_id"))])
    if seg.get("local_firm_count") is not None:
        fields.append(["本地企业 Local firms", str(seg["local_firm_count"])])
    counts = [g["candidate_count"] for g in gap_list if g.get("candidate_count") is not None]
    if counts:
        fields.append(["外地候选 Outside candidates", candidates_text(max(counts))])
    explanations = []
    for gap in gap_list:
        text = gap.get("explanation_zh") or ""
        if gap.get("explanation_en"):
            text = (text + "\n" if text else "") + str(gap["explanation_en"])
        severity = gap.get("severity")
        head = " / ".join(GAP_LABELS.get(k, k) for k in gap_kinds(gap))
        head += f" · 严重度 severity {severity:.2f}" if isinstance(severity, int | float) else ""
        explanations.append(head + ("\n" + text if text else ""))
    info: dict[str, Any] = {
        "name_zh": seg.get("name_zh", ""),
        "name_en": seg.get("name_en", ""),
        "status": primary_status(kinds),
        "statuses": sorted(set(kinds), key=lambda k: GAP_RANK.get(k, 99)),
        "fields": fields,
        "explanations": explanations,
        "sources": sources,
        "confidence": seg.get("confidence", "sourced"),
    }
    lines = [display_name(str(seg.get("name_zh", "")), str(seg.get("name_en", ""))), f"环节 Segment · {seg['id']}"]
    lines += [GAP_LABELS.get(k, k) for k in info["statuses"]]
    return info, tooltip(*lines, sources=sources, confidence=str(info["confidence"]))


def firm_info(firm: Mapping[str, Any], sources: list[dict[str, Any]], *, role: str = "") -> tuple[dict[str, Any], str]:
    """The details-panel info and the tooltip of a firm."""
    fields = [["本地 Local", "是 yes" if firm.get("is_local") else "否 no (outside Changzhou)"]]
    if role:
        fields.append(["角色 Role", ROLE_LABELS.get(role, role)])
    if firm.get("district_id"):
        fields.append(["区县 District", str(firm["district_id"])])
    if firm.get("tags"):
        fields.append(["标签 Tags", "、".join(firm["tags"])])
    if firm.get("tiers"):
        # the cluster view passes its tiers as text already; a firm's details give tier objects
        held = [
            t if isinstance(t, str) else tier_text(t["name_zh"], t.get("year"), t.get("batch")) for t in firm["tiers"]
        ]
        fields.append(["梯度 Tiers", "；".join(held)])
    if firm.get("aliases"):
        fields.append(["别名 Aliases", "、".join(firm["aliases"])])
    info = {
        "name_zh": firm.get("name_zh", ""),
        "name_en": firm.get("name_en", ""),
        "fields": fields,
        "sources": sources,
        "confidence": firm.get("confidence", "sourced"),
        "note": firm.get("note", ""),
    }
    lines = [display_name(str(firm.get("name_zh", "")), str(firm.get("name_en", ""))), f"企业 Firm · {firm['id']}"]
    if role:
        lines.append(ROLE_LABELS.get(role, role))
    lines += [f"梯度 Tier: {text}" for text in firm.get("tiers", [])]
    return info, tooltip(*lines, sources=sources, confidence=str(info["confidence"]))


def tier_text(name_zh: str, year: int | None, batch: int | None) -> str:
    """A tier a firm holds, as one line: ``单项冠军示范企业（2021年，第6批）``.

    >>> tier_text("单项冠军示范企业", 2021, 6), tier_text("省专精特新", None, None)
    ('单项冠军示范企业（2021年，第6批）', '省专精特新')
    """
    when = [f"{year}年"] if year is not None else []
    when += [f"第{batch}批"] if batch is not None else []
    return f"{name_zh}（{'，'.join(when)}）" if when else name_zh


STATUS_ZH = {"planned": "规划", "signed": "签约", "started": "开工", "completed": "建成", "unknown": "状态未知"}


def project_line(project: Mapping[str, Any]) -> str:
    """A major project as one line: name, investment, year and status.

    >>> project_line({"name_zh": "甲电池二期", "investment_text": "约120亿元", "year": 2021, "status": "started"})
    '甲电池二期 · 约120亿元 · 2021 · 开工'
    """
    parts = [str(project.get("name_zh", "")), str(project.get("investment_text") or "")]
    parts.append(str(project["year"]) if project.get("year") is not None else "")
    parts.append(STATUS_ZH.get(str(project.get("status")), str(project.get("status") or "")))
    return " · ".join(p for p in parts if p)


def edge_title(
    kind: str,
    source_name: str,
    target_name: str,
    sources: list[dict[str, Any]],
    *,
    extra: str = "",
    confidence: str = "",
) -> str:
    """Plain-text tooltip of an edge: its kind, ends, and the sources (with dates) that state it."""
    line = f"{EDGE_LABELS.get(kind, kind)}: {source_name} → {target_name}"
    return tooltip(line, extra, sources=sources, confidence=confidence)
