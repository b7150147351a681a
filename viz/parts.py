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

from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from queries.notes import reader_note
from viz.style import (
    COLOURS,
    GAP_LABELS,
    GAP_RANK,
    LABEL_BACKGROUND,
    POSITION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    TAG_LABELS,
    Tooltips,
    display_name,
    english_part,
    node_colour,
    tooltip,
    tooltips,
    zh_part,
)

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


def primary_kind(gap: dict[str, Any]) -> str:
    """The one kind a gap is counted under: its presence (missing or weak), else its first kind.

    >>> primary_kind({"kind": "broken_link", "kinds": ["broken_link", "missing"], "status": "missing"})
    'missing'
    """
    return primary_status(gap_kinds(gap))


def unverified_kinds(gap_list: Iterable[Mapping[str, Any]]) -> set[str]:
    """The kinds that rest only on supply links the data marks unverified (``kinds_unverified``), in every gap of
    ``gap_list`` that has them: a kind one of the gaps has on sourced links is not among them.

    >>> unverified_kinds([{"kind": "broken_link", "kinds": ["missing", "broken_link"],
    ...                    "kinds_unverified": ["broken_link"]}])
    {'broken_link'}
    >>> unverified_kinds([{"kind": "broken_link", "kinds_unverified": ["broken_link"]}, {"kind": "broken_link"}])
    set()
    """
    unsure: dict[str, bool] = {}
    for gap in gap_list:
        marked = set(gap.get("kinds_unverified") or ())
        for kind in gap_kinds(gap):
            unsure[kind] = unsure.get(kind, True) and kind in marked
    return {kind for kind, only_unverified in unsure.items() if only_unverified}


def kind_words(kind: str, *, unverified: bool = False) -> tuple[str, str]:
    """A gap kind on the Chinese page (with its English) and on the English page, marked with
    :data:`UNVERIFIED_MARK` when it rests only on unverified supply links, as ``chainkg gaps`` marks it.

    >>> kind_words("broken_link"), kind_words("broken_link", unverified=True)
    (('断链 Broken link', 'Broken link'), ('断链 Broken link（待核实 unverified）', 'Broken link (unverified)'))
    """
    zh = GAP_LABELS.get(kind, kind)
    en = english_part(zh) or kind
    mark_zh, mark_en = UNVERIFIED_MARK if unverified else ("", "")
    return zh + mark_zh, en + mark_en


def gap_summary(cluster_gaps: list[dict[str, Any]]) -> tuple[str, str]:
    """How many gaps, by the kind each is counted under (these add up), then the other kinds they also have.

    A gap can be missing *and* a broken link, so counting every kind would count it twice. Returned in
    Chinese (with the English kind words) and in English.

    >>> gap_summary([{"kind": "broken_link", "kinds": ["broken_link", "missing"], "status": "missing"},
    ...              {"kind": "missing", "status": "missing"}, {"kind": "weak", "status": "weak"}])
    ... # doctest: +NORMALIZE_WHITESPACE
    ('3 个：缺链 Missing 2、弱链 Weak 1；其中兼为 断链 Broken link 1',
     '3 gaps: 2 missing, 1 weak; of these, also: 1 broken link')
    >>> gap_summary([{"kind": "extension", "kinds": ["extension", "weak"], "status": "weak"}] * 2
    ...             + [{"kind": "broken_link", "kinds": ["broken_link"], "status": "missing"}])[1]
    '3 gaps: 1 missing, 2 weak; of these, also: 1 broken link, 2 extensions'
    >>> gap_summary([])
    ('—', 'none')

    A kind that some of the gaps have only through unverified supply links (``kinds_unverified``) says how many:

    >>> gap_summary([{"kind": "broken_link", "kinds": ["broken_link"], "status": "missing",
    ...               "kinds_unverified": ["broken_link"]}] * 2 + [{"kind": "broken_link", "status": "missing"}])
    ... # doctest: +NORMALIZE_WHITESPACE
    ('3 个：缺链 Missing 3；其中兼为 断链 Broken link 3（2 个待核实 unverified）',
     '3 gaps: 3 missing; of these, also: 3 broken links (2 unverified)')
    """
    if not cluster_gaps:
        return "—", "none"
    first = Counter(primary_kind(g) for g in cluster_gaps)
    also = Counter(k for g in cluster_gaps for k in gap_kinds(g) if k != primary_kind(g))
    unsure = Counter(k for g in cluster_gaps for k in gap_kinds(g) if k in (g.get("kinds_unverified") or ()))
    kinds = [k for k in GAP_LABELS if first[k]]
    extra = [k for k in GAP_LABELS if also[k]]

    def zh_count(count: int, kind: str) -> str:
        return f"{GAP_LABELS[kind]} {count}" + (f"（{unsure[kind]} 个待核实 unverified）" if unsure[kind] else "")

    def en_count(text: str, kind: str) -> str:
        return text + (f" ({unsure[kind]} unverified)" if unsure[kind] else "")

    zh = f"{len(cluster_gaps)} 个：" + "、".join(zh_count(first[k], k) for k in kinds)
    en = f"{len(cluster_gaps)} gaps: " + ", ".join(en_count(f"{first[k]} {_en(k)}", k) for k in kinds)
    if extra:
        zh += "；其中兼为 " + "、".join(zh_count(also[k], k) for k in extra)
        en += "; of these, also: " + ", ".join(en_count(_counted(also[k], _en(k)), k) for k in extra)
    return zh, en


def _en(kind: str) -> str:
    return english_part(GAP_LABELS[kind]).lower()


def _counted(count: int, noun: str) -> str:
    """``count`` and ``noun``, plural when not one: ``1 extension``, ``2 broken links``."""
    return f"{count} {noun}{'' if count == 1 else 's'}"


def gap_items(cluster_gaps: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A cluster's gaps as panel items, most severe first, each with its severity and kinds (a kind resting only on
    unverified supply links, in the gap's ``kinds_unverified``, marked as :func:`kind_words` marks it).

    >>> gap_items([{"segment_id": "a", "segment_name": "甲", "segment_name_en": "A", "kind": "weak", "status": "weak",
    ...             "severity": 0.2}, {"segment_id": "b", "segment_name": "乙", "kind": "missing", "severity": 0.69}])
    ... # doctest: +NORMALIZE_WHITESPACE
    [{'text': '0.69 · 缺链 Missing: 乙', 'text_en': '0.69 · missing: 乙', 'ref': ['segment', 'b']},
     {'text': '0.20 · 弱链 Weak: 甲', 'text_en': '0.20 · weak: A', 'ref': ['segment', 'a']}]
    """
    ordered = sorted(cluster_gaps, key=lambda g: (-float(g.get("severity") or 0), g["segment_id"]))
    items = []
    for g in ordered:
        kinds = gap_kinds(g)
        unsure = set(g.get("kinds_unverified") or ())
        words = [kind_words(k, unverified=k in unsure) for k in kinds]
        severity = f"{float(g.get('severity') or 0):.2f}"
        name = g.get("segment_name") or g.get("segment_name_zh") or g["segment_id"]
        name_en = g.get("segment_name_en") or name
        items.append(
            {
                "text": f"{severity} · {' / '.join(zh for zh, _ in words)}: {name}",
                "text_en": f"{severity} · {' / '.join(en[0].lower() + en[1:] for _, en in words)}: {name_en}",
                "ref": ["segment", g["segment_id"]],
            }
        )
    return items


def gaps_section(cluster_gaps: list[dict[str, Any]]) -> dict[str, Any]:
    """A cluster's gaps as a panel section, most severe first (see :func:`gap_items`)."""
    return {"title": "缺口（按严重度）Gaps, most severe first", "title_en": "Gaps, most severe first",
            "items": gap_items(cluster_gaps)}  # fmt: skip


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
    """vis options for a firm: a gold star for an anchor, teal for local, grey for outside, brown candidates."""
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
        "font": {"size": 12, "background": LABEL_BACKGROUND},
    }


def local_firms_en(count: int) -> str:
    """The English of a segment label's second line (``3 家本地企业``).

    >>> local_firms_en(1), local_firms_en(3)
    ('1 local firm', '3 local firms')
    """
    return f"{count} local firm{'' if count == 1 else 's'}"


NO_CANDIDATES = "0 · 数据中暂无外地候选企业，需另行调研 none in the data yet: to research"
"""What a gap without any outside candidate shows, as the printed report and ``has_candidates=false`` say."""
NO_CANDIDATES_EN = "0 · none in the data yet: to research"
""":data:`NO_CANDIDATES` in English only."""


def candidates_text(count: int) -> str:
    """The candidate count of a gap for a details panel: the count, or why there is none.

    >>> candidates_text(3)
    '3'
    >>> candidates_text(0).startswith("0 · ")
    True
    """
    return str(count) if count else NO_CANDIDATES


def candidates_text_en(count: int) -> str:
    """:func:`candidates_text` in English only.

    >>> candidates_text_en(3), candidates_text_en(0)
    ('3', '0 · none in the data yet: to research')
    """
    return str(count) if count else NO_CANDIDATES_EN


def tags_field(tags: Sequence[str]) -> list[str]:
    """A firm's tags as a panel field: in Chinese (with their English), then in English only.

    A tag with no known meaning (not in :data:`viz.style.TAG_LABELS`) is shown as it is in both.

    >>> tags_field(["链主", "listed"])  # doctest: +NORMALIZE_WHITESPACE
    ['标签 Tags', '链主 chain leader (anchor firm)、上市公司 listed company',
     'chain leader (anchor firm), listed company']
    >>> tags_field(["其他"])
    ['标签 Tags', '其他', '其他']
    """
    zh = [f"{TAG_LABELS[t][0]} {TAG_LABELS[t][1]}" if t in TAG_LABELS else t for t in tags]
    en = [TAG_LABELS[t][1] if t in TAG_LABELS else t for t in tags]
    return ["标签 Tags", "、".join(zh), ", ".join(en)]


def segment_info(
    seg: Mapping[str, Any],
    gap_list: Sequence[Mapping[str, Any]],
    sources: list[dict[str, Any]],
    *,
    cluster_name: str = "",
    cluster_name_en: str = "",
) -> tuple[dict[str, Any], Tooltips]:
    """The details-panel info and the tooltips (Chinese page, English page) of a segment, with its gaps and
    their explanations.

    ``cluster_name`` and ``cluster_name_en`` name its cluster (else its id is shown). A kind resting only on
    unverified supply links (the gaps' ``kinds_unverified``) is marked :data:`UNVERIFIED_MARK` in the tooltips
    and the explanations' heads, and listed in the info's ``statuses_unverified``.
    """
    kinds = [k for g in gap_list for k in gap_kinds(g)]
    fields = [["位置 Position", POSITION_LABELS.get(str(seg.get("position")), str(seg.get("position") or "—"))]]
    if cluster_name or seg.get("cluster_id"):
        shown = cluster_name or str(seg.get("cluster_id"))
        fields.append(["集群 Cluster", shown, cluster_name_en or shown])
    if seg.get("local_firm_count") is not None:
        fields.append(["本地企业 Local firms", str(seg["local_firm_count"])])
    status = str(seg.get("status") or "")
    if status:
        fields.insert(0, status_field(status, gap_list))
    counts = [g["candidate_count"] for g in gap_list if g.get("candidate_count") is not None]
    if counts:
        fields.append(["外地候选 Outside candidates", candidates_text(max(counts)), candidates_text_en(max(counts))])
    explanations, explanations_en = [], []
    for gap in sorted(gap_list, key=lambda g: -float(g.get("severity") or 0)):
        text = gap.get("explanation_zh") or ""
        if gap.get("explanation_en"):
            text = (text + "\n" if text else "") + str(gap["explanation_en"])
        severity = gap.get("severity")
        unsure = set(gap.get("kinds_unverified") or ())
        words = [kind_words(k, unverified=k in unsure) for k in gap_kinds(gap)]
        head = " / ".join(zh for zh, _ in words)
        head_en = " / ".join(en for _, en in words)
        if isinstance(severity, int | float):
            head += f" · 严重度 severity {severity:.2f}"
            head_en += f" · severity {severity:.2f}"
        explanations.append(head + ("\n" + text if text else ""))
        english = str(gap.get("explanation_en") or gap.get("explanation_zh") or "")
        explanations_en.append(head_en + ("\n" + english if english else ""))
    info: dict[str, Any] = {
        "name_zh": seg.get("name_zh", ""),
        "name_en": seg.get("name_en", ""),
        "status": primary_status(kinds),
        "statuses": sorted(set(kinds), key=lambda k: GAP_RANK.get(k, 99)),
        "statuses_unverified": sorted(unverified_kinds(gap_list), key=lambda k: GAP_RANK.get(k, 99)),
        "fields": fields,
        "explanations": explanations,
        "explanations_en": explanations_en,
        "sources": sources,
        "confidence": seg.get("confidence", "sourced"),
    }
    lines = [display_name(str(seg.get("name_zh", "")), str(seg.get("name_en", ""))), f"环节 Segment · {seg['id']}"]
    status_words = [kind_words(k, unverified=k in info["statuses_unverified"]) for k in info["statuses"]]
    lines += [zh for zh, _ in status_words]
    lines_en = [str(seg.get("name_en") or seg.get("name_zh", "")), f"Segment · {seg['id']}"]
    lines_en += [en for _, en in status_words]
    return info, tooltips(lines, lines_en, sources=sources, confidence=str(info["confidence"]))


def status_field(status: str, gap_list: Sequence[Mapping[str, Any]] = ()) -> list[str]:
    """A segment's local presence as a panel field (Chinese, then English), with its gap's severity if any.

    >>> status_field("missing", [{"severity": 0.6931}])
    ['状态 Status', '缺链 Missing · 严重度 severity 0.69', 'Missing · severity 0.69']
    >>> status_field("strong")
    ['状态 Status', '强链 Strong', 'Strong']
    """
    label = STATUS_LABELS.get(status, status)
    severities = [float(g["severity"]) for g in gap_list if isinstance(g.get("severity"), int | float)]
    text, text_en = label, english_part(label) or label
    if severities:
        text += f" · 严重度 severity {max(severities):.2f}"
        text_en += f" · severity {max(severities):.2f}"
    return ["状态 Status", text, text_en]


def role_text(role: str, *, is_local: bool) -> tuple[str, str]:
    """A firm's role in a segment, in Chinese and in English: an outside firm's role is marked as outside,
    so that an outside group leading the segment is not read as a local anchor (链主).

    >>> role_text("anchor", is_local=True)
    ('链主 Anchor', 'Anchor')
    >>> role_text("anchor", is_local=False)
    ('外地 outside · 链主角色 anchor role, not local', 'outside · anchor role, not local')
    """
    label, english = role_words(role)
    if is_local:
        return label, english
    return (
        f"外地 outside · {zh_part(label)}角色 {english.lower()} role, not local",
        f"outside · {english.lower()} role, not local",
    )


def role_words(role: str) -> tuple[str, str]:
    """A firm's role in a segment as words, in Chinese (with the English) and in English; an unknown role as it is.

    >>> role_words("anchor"), role_words("partner")
    (('链主 Anchor', 'Anchor'), ('partner', 'partner'))
    """
    label = ROLE_LABELS.get(role, role)
    return label, english_part(label) or label


def district_of(store: Any, district_id: str | None, cache: dict[str, Any] | None = None) -> dict[str, str] | None:
    """The names of a firm's district for its details panel (``None``: no district, or none in the data).

    ``cache`` (a dict kept by the caller) asks the store once per district for a view of many firms.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> district_of(MemoryStore(tiny_chain()), None), district_of(MemoryStore(tiny_chain()), "no-such-district")
    (None, None)
    """
    from graph.model import District

    if not district_id:
        return None
    if cache is not None and district_id in cache:
        return cache[district_id]
    node = store.node(district_id)
    found = {"id": node.id, "name_zh": node.name_zh, "name_en": node.name_en} if isinstance(node, District) else None
    if cache is not None:
        cache[district_id] = found
    return found


def firm_info(
    firm: Mapping[str, Any], sources: list[dict[str, Any]], *, role: str = ""
) -> tuple[dict[str, Any], Tooltips]:
    """The details-panel info and the tooltips (Chinese page, English page) of a firm."""
    fields = [["本地 Local", "是 yes" if firm.get("is_local") else "否 no (outside Changzhou)"]]
    if role:
        fields.append(["角色 Role", *role_text(role, is_local=bool(firm.get("is_local")))])
    if firm.get("district"):  # its names (district_of); else the id
        zh, en = firm["district"]["name_zh"], firm["district"]["name_en"]
        fields.append(["区县 District", display_name(zh, en), en or zh])
    elif firm.get("district_id"):
        fields.append(["区县 District", str(firm["district_id"])])
    if firm.get("tags"):
        fields.append(tags_field(firm["tags"]))
    held = [_tier_texts(t) for t in firm.get("tiers") or []]
    if held:
        fields.append(["梯度 Tiers", "；".join(zh for zh, _ in held), "; ".join(en for _, en in held)])
    if firm.get("aliases"):
        # names as they are, in both languages; only the list's separator follows the page's language
        fields.append(["别名 Aliases", "、".join(firm["aliases"]), ", ".join(firm["aliases"])])
    info = {
        "name_zh": firm.get("name_zh", ""),
        "name_en": firm.get("name_en", ""),
        "fields": fields,
        "sources": sources,
        "confidence": firm.get("confidence", "sourced"),
        "note": reader_note(str(firm.get("note") or "")),  # without the data audit's trail (review 16a M7)
    }
    lines = [display_name(str(firm.get("name_zh", "")), str(firm.get("name_en", ""))), f"企业 Firm · {firm['id']}"]
    lines_en = [str(firm.get("name_en") or firm.get("name_zh", "")), f"Firm · {firm['id']}"]
    if role:
        role_zh, role_en = role_text(role, is_local=bool(firm.get("is_local")))
        lines.append(role_zh)
        lines_en.append(role_en)
    lines += [f"梯度 Tier: {zh}" for zh, _ in held]
    lines_en += [f"Tier: {en}" for _, en in held]
    return info, tooltips(lines, lines_en, sources=sources, confidence=str(info["confidence"]))


def _tier_texts(tier: str | Mapping[str, Any]) -> tuple[str, str]:
    """A tier a firm holds (text already, or a tier with ``name_zh``, ``name_en``, ``year``, ``batch``) as one
    line in Chinese and one in English (its Chinese name where it has no English one)."""
    if isinstance(tier, str):
        return tier, tier
    zh = tier_text(str(tier["name_zh"]), tier.get("year"), tier.get("batch"))
    return zh, tier_text_en(str(tier.get("name_en") or tier["name_zh"]), tier.get("year"), tier.get("batch"))


def tier_text(name_zh: str, year: int | None, batch: int | None) -> str:
    """A tier a firm holds, as one line: ``单项冠军示范企业（2021年，第6批）``.

    >>> tier_text("单项冠军示范企业", 2021, 6), tier_text("省专精特新", None, None)
    ('单项冠军示范企业（2021年，第6批）', '省专精特新')
    """
    when = [f"{year}年"] if year is not None else []
    when += [f"第{batch}批"] if batch is not None else []
    return f"{name_zh}（{'，'.join(when)}）" if when else name_zh


def tier_text_en(name_en: str, year: int | None, batch: int | None) -> str:
    """:func:`tier_text` in English: ``National single champion (2021, batch 6)``.

    >>> tier_text_en("National single champion", 2021, 6), tier_text_en("Provincial SME", None, None)
    ('National single champion (2021, batch 6)', 'Provincial SME')
    """
    when = [str(year)] if year is not None else []
    when += [f"batch {batch}"] if batch is not None else []
    return f"{name_en} ({', '.join(when)})" if when else name_en


STATUS_ZH = {"planned": "规划", "signed": "签约", "started": "开工", "completed": "建成", "unknown": "状态未知"}
STATUS_EN = {"planned": "planned", "signed": "signed", "started": "under construction", "completed": "completed",
             "unknown": "status unknown"}  # fmt: skip
"""A project's status (``graph.model.ProjectStatus``) in the words of :data:`STATUS_ZH`, in English."""


def project_line(project: Mapping[str, Any]) -> str:
    """A major project as one line: name, investment, year and status.

    >>> project_line({"name_zh": "甲电池二期", "investment_text": "约120亿元", "year": 2021, "status": "started"})
    '甲电池二期 · 约120亿元 · 2021 · 开工'
    """
    parts = [str(project.get("name_zh", "")), str(project.get("investment_text") or "")]
    parts.append(str(project["year"]) if project.get("year") is not None else "")
    parts.append(STATUS_ZH.get(str(project.get("status")), str(project.get("status") or "")))
    return " · ".join(p for p in parts if p)


def project_line_en(project: Mapping[str, Any]) -> str:
    """:func:`project_line` for the English panel: the status in English (name and investment as published).

    >>> project_line_en({"name_zh": "甲电池二期", "investment_text": "约120亿元", "year": 2021, "status": "started"})
    '甲电池二期 · 约120亿元 · 2021 · under construction'
    """
    parts = [str(project.get("name_en") or project.get("name_zh", "")), str(project.get("investment_text") or "")]
    parts.append(str(project["year"]) if project.get("year") is not None else "")
    parts.append(STATUS_EN.get(str(project.get("status")), str(project.get("status") or "")))
    return " · ".join(p for p in parts if p)


def edge_title(
    kind: str,
    source_name: str,
    target_name: str,
    sources: list[dict[str, Any]],
    *,
    extra: str = "",
    confidence: str = "",
    english: bool = False,
) -> str:
    """Plain-text tooltip of an edge: its kind, ends, and the sources (with dates) that state it.

    With ``english``, the English page's text: the kind and the words added in English (the caller gives the
    names and ``extra`` in English).

    >>> edge_title("SUPPLIES", "Cathodes", "Cells", [{"title": "T", "date": "2024"}], english=True)
    'Supplies: Cathodes → Cells\\nSource: T — 2024'
    """
    label = EDGE_LABELS.get(kind, kind)
    line = f"{english_part(label) or label if english else label}: {source_name} → {target_name}"
    return tooltip(line, extra, sources=sources, confidence=confidence, english=english)


UNVERIFIED_MARK = ("（待核实 unverified）", " (unverified)")
"""What marks an unverified supply link in a list of linked pairs: on the Chinese page, on the English page."""


def link_count_words(count: int, unverified: int) -> tuple[str, str]:
    """How many supply links and how many of them are unverified, as ``chainkg cluster-links`` counts them:
    on the Chinese page (条, with the English) and on the English page.

    Parameters
    ----------
    count : int
        The links.
    unverified : int
        How many of them are not sourced.

    Returns
    -------
    tuple of (str, str)
        The words on the Chinese page and on the English page.

    Examples
    --------
    >>> link_count_words(5, 4)
    ('5 条 links，其中 4 条待核实 4 unverified', '5 links, 4 unverified')
    >>> link_count_words(1, 0)
    ('1 条 link', '1 link')
    """
    noun = "link" if count == 1 else "links"
    zh, en = f"{count} 条 {noun}", f"{count} {noun}"
    if unverified:
        zh += f"，其中 {unverified} 条待核实 {unverified} unverified"
        en += f", {unverified} unverified"
    return zh, en


def unverified_only_words(count: int, unverified: int, measure: str = "个") -> tuple[str, str]:
    """How many dependents there are and how many of them rest only on unverified supply links, as
    ``chainkg impact`` counts them (``downstream_unverified_only``…): on the Chinese page and on the English page.

    Parameters
    ----------
    count : int
        The dependents (segments or firms).
    unverified : int
        How many of them are reached only through unverified links (``confidence`` ``unverified``).
    measure : str, optional
        The Chinese measure word of what is counted (个 for segments, 家 for firms).

    Returns
    -------
    tuple of (str, str)
        The words on the Chinese page (with the English) and on the English page.

    Examples
    --------
    >>> unverified_only_words(7, 4)
    ('7，其中 4 个仅凭待核实供应 4 rest only on unverified supply', '7, 4 rest only on unverified supply')
    >>> unverified_only_words(1, 1, "家")
    ('1，其中 1 家仅凭待核实供应 1 rests only on unverified supply', '1, 1 rests only on unverified supply')
    >>> unverified_only_words(3, 0)
    ('3', '3')
    """
    if not unverified:
        return str(count), str(count)
    en = f"{unverified} {'rests' if unverified == 1 else 'rest'} only on unverified supply"
    return f"{count}，其中 {unverified} {measure}仅凭待核实供应 {en}", f"{count}, {en}"


def supply_group_title(
    pairs: Sequence[tuple[str, str, bool]],
    sources: list[dict[str, Any]],
    *,
    extra: str = "",
    english: bool = False,
    limit: int = 8,
) -> str:
    """Plain-text tooltip of one arrow that stands for several supply links (to or from a group of segments).

    The head counts the links and the unverified ones (:func:`link_count_words`); then one line per linked pair
    (at most ``limit``), each unverified one marked (:data:`UNVERIFIED_MARK`); then ``extra``, the sources, and
    ``可信度 Confidence: unverified`` when any link is: the arrow is as unverified as its weakest link.

    Parameters
    ----------
    pairs : sequence of (str, str, bool)
        Each link's supplying and supplied names and whether it is unverified.
    sources : list of dict
        Source references that state the links, as given to :func:`viz.style.tooltip`.
    extra : str, optional
        Words after the pairs (cross-cluster, broken link), in the page's language.
    english : bool, optional
        The English page's text (the caller gives the names and ``extra`` in English).
    limit : int, optional
        At most this many pairs are listed.

    Returns
    -------
    str
        The tooltip.

    Examples
    --------
    >>> print(supply_group_title([("膜", "燃料电池", False), ("氢能", "燃料电池", True)], [{"title": "T"}]))
    供应 Supplies: 2 条 links，其中 1 条待核实 1 unverified
      膜 → 燃料电池
      氢能 → 燃料电池（待核实 unverified）
    来源 Source: T — date unknown 日期不详
    可信度 Confidence: unverified
    >>> supply_group_title([("A", "B", False), ("C", "B", False)], [], english=True).splitlines()[0]
    'Supplies: 2 links'
    """
    zh, en = link_count_words(len(pairs), sum(1 for *_, unverified in pairs if unverified))
    label = EDGE_LABELS["SUPPLIES"]
    head = f"{english_part(label)}: {en}" if english else f"{label}: {zh}"
    mark = UNVERIFIED_MARK[english]
    lines = [f"  {a} → {b}{mark if unverified else ''}" for a, b, unverified in pairs[:limit]]
    if len(pairs) > limit:
        lines.append(f"  … +{len(pairs) - limit}")
    confidence = "unverified" if any(unverified for *_, unverified in pairs) else ""
    return tooltip(head, *lines, extra, sources=sources, confidence=confidence, english=english)


def edge_titles(
    kind: str,
    source: str,
    target: str,
    sources: list[dict[str, Any]],
    names: Mapping[str, str],
    names_en: Mapping[str, str],
    *,
    extra: str | tuple[str, str] = "",
    confidence: str = "",
) -> dict[str, str]:
    """Chinese and English tooltips of an edge, as keyword arguments for ``add_view_edge``.

    Parameters
    ----------
    kind : str
        Edge kind, a key of ``EDGE_LABELS`` (e.g. ``"SUPPLIES"``).
    source, target : str
        Ids of the edge's ends; an id missing from a name map is shown as itself.
    sources : list of dict
        Source references that state the edge, as given to :func:`edge_title`.
    names, names_en : Mapping of str to str
        Display names by id for the Chinese and the English page.
    extra : str or tuple of (str, str), optional
        Extra words after the edge's ends: one text shown on both pages, or a ``(chinese_page, english_page)``
        pair when the words differ by language (e.g. :func:`role_words`).
    confidence : str, optional
        Confidence of the edge, passed to :func:`edge_title`.

    Returns
    -------
    dict of str to str
        ``{"title": ..., "title_en": ...}``, each built by :func:`edge_title`.

    Examples
    --------
    >>> t = edge_titles("SUPPLIES", "a", "b", [{"title": "T", "date": "2024"}], {"a": "正极"}, {"a": "Cathodes"})
    >>> t["title_en"]
    'Supplies: Cathodes → b\\nSource: T — 2024'
    >>> sorted(t)
    ['title', 'title_en']
    >>> t = edge_titles("OPERATES_IN", "a", "b", [], {}, {}, extra=role_words("anchor"))
    >>> t["title"].splitlines()[1], t["title_en"].splitlines()[1]
    ('链主 Anchor', 'Anchor')
    """
    extra_zh, extra_en = (extra, extra) if isinstance(extra, str) else extra
    return {
        "title": edge_title(
            kind,
            names.get(source, source),
            names.get(target, target),
            sources,
            extra=extra_zh,
            confidence=confidence,
        ),
        "title_en": edge_title(
            kind,
            names_en.get(source, source),
            names_en.get(target, target),
            sources,
            extra=extra_en,
            confidence=confidence,
            english=True,
        ),
    }
