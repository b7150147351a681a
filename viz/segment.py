"""A segment (a gap): the segment, what it depends on, what depends on it, and ranked candidate firms.

Columns, left to right: ranked candidate firms, the segments that supply it,
the segment itself (with its local firms), then the segments downstream of it
by distance, with the local anchor firms that depend on it. Exclusive
dependents (every supply path passes through the segment) have a thick border.
A supply link marked unverified is drawn faded, as in the cluster view
(:func:`viz.style.faded`), and a dependent reached only through such links is
marked 待核实 unverified in the details panel (``confidence`` of
:func:`queries.impact.impact`).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> net = segment_network(gather_segment(MemoryStore(tiny_chain()), "t-lithium"))
>>> net.node_map["t-lithium"]["color"]["background"], net.node_map["t-lithium"]["level"]
('#e15759', 2)
>>> [net.node_map[s]["level"] for s in ("t-cathode", "t-cell")]
[3, 4]
"""

from __future__ import annotations

from typing import Any

from graph.model import EdgeKind, Firm
from graph.store import GraphStore
from queries.candidates import candidates
from queries.firms import firm_summary
from queries.gaps import gaps
from queries.impact import distance_words, impact
from queries.segments import get_segment
from viz.layout import column_layout
from viz.page import ViewNetwork
from viz.parts import (
    NO_CANDIDATES,
    NO_CANDIDATES_EN,
    UNVERIFIED_MARK,
    district_of,
    edge_titles,
    firm_info,
    firm_style,
    gap_kinds,
    kind_words,
    local_firms_en,
    role_words,
    segment_info,
    segment_style,
    unverified_only_words,
)
from viz.search_index import search_index
from viz.sources import SourceBook
from viz.style import (
    COLOURS,
    GAP_LABELS,
    TAG_LABELS,
    LegendEntry,
    display_name,
    english_part,
    faded,
    firm_label,
    shorten,
    tooltip,
    tooltips,
    wrap,
    wrap_en,
)

CANDIDATES = 10
MAX_DOWNSTREAM = 60
"""At most this many downstream segments are drawn (nearest first); the panel counts the rest."""
MAX_DEPENDENT_ANCHORS = 30
MAX_OWN_FIRMS = 40


LEGEND = (
    LegendEntry("本环节/环节 Segment", COLOURS["segment"]),
    LegendEntry(f"{GAP_LABELS['missing']} segment", COLOURS["missing"]),
    LegendEntry(f"{GAP_LABELS['weak']} segment", COLOURS["weak"]),
    LegendEntry("断链，紫色粗边框 Broken link, thick purple border", COLOURS["broken_link"], thick=True),
    LegendEntry("延链，虚线边框 Extension, dashed border", COLOURS["segment"], dashed=True),
    LegendEntry(
        "独占依赖（仅经本环节供应），粗边框并标注「独占依赖」"
        " Exclusive dependent (supplied only through this segment), thick border, labelled 'exclusive'",
        COLOURS["segment"],
        thick=True,
    ),
    LegendEntry("其他集群环节 Segment of another cluster", COLOURS["other_cluster"]),
    LegendEntry("供应 Supply", COLOURS["edge"], "line"),
    LegendEntry("待核实供应 Unverified supply", faded(COLOURS["edge"]), "line"),
    LegendEntry("候选企业 Candidate firm (ranked)", COLOURS["candidate"], "diamond"),
    LegendEntry(
        "虚线：候选企业 → 本环节 Dashed: candidate firm → this segment", COLOURS["candidate"], "line", dashed=True
    ),
    LegendEntry("链主企业 Anchor firm", COLOURS["anchor"], "star"),
    LegendEntry("链主依赖本环节 Anchor depending on this segment", COLOURS["anchor"], "line"),
    LegendEntry("本地企业 Local firm", COLOURS["firm"], "dot"),
    LegendEntry("本地企业从事本环节 Local firm in this segment", COLOURS["firm"], "line"),
)
"""The segment view's legend: every mark the view can draw, on every page whatever it draws (as before).

A segment's fill says its gap (缺链 red, 弱链 amber, else green; grey for another cluster); a purple heavy border
says 断链 and a dashed one 延链 (:func:`viz.parts.segment_style`); a dark heavy border and a last label line
(:data:`EXCLUSIVE_MARK_ZH`) mark an exclusive dependent (独占依赖: every supply path to it passes through the
segment); then the links and the firms."""

EXCLUSIVE_MARK_ZH = "〔独占依赖〕"
"""The last line of an exclusive dependent's label: its heavy border alone looks like a 断链 segment's."""
EXCLUSIVE_MARK_EN = "[exclusive dependent]"
""":data:`EXCLUSIVE_MARK_ZH` in the English labels."""


def _english_of(reason: dict[str, Any]) -> str:
    """The English of a reason dict: a known tag in the words of :data:`viz.style.TAG_LABELS` (the query's
    English of 链主 keeps the Chinese word), else its ``en``."""
    if reason.get("code") == "tag" and reason.get("tag") in TAG_LABELS:
        return TAG_LABELS[str(reason["tag"])][1]
    return str(reason.get("en") or "")


def reason_en(reason: Any) -> str:
    """A reason in English (its ``en``; a tag as :data:`viz.style.TAG_LABELS` names it), else as
    :func:`reason_text` gives it.

    >>> reason_en({"code": "x", "zh": "数据中暂无常州本地企业", "en": "no local firm"})
    'no local firm'
    >>> reason_en({"code": "tag", "tag": "链主", "zh": "链主企业", "en": "a chain leader (链主)"})
    'chain leader (anchor firm)'
    """
    if isinstance(reason, dict) and _english_of(reason):
        return _english_of(reason)
    return reason_text(reason)


def reason_text(reason: Any) -> str:
    """A reason as one line of text: ``zh / en`` for the dicts the queries return, else ``str(reason)``.

    >>> reason_text({"code": "x", "zh": "数据中暂无常州本地企业", "en": "no local firm"})
    '数据中暂无常州本地企业 / no local firm'
    >>> reason_text({"code": "tag", "tag": "listed", "zh": "上市公司", "en": "a listed company"})
    '上市公司 / listed company'
    >>> reason_text("plain")
    'plain'
    """
    if isinstance(reason, dict):
        parts = [p for p in (str(reason.get("zh") or ""), _english_of(reason)) if p]
        return " / ".join(parts) if parts else str(reason.get("text") or reason.get("code") or "")
    return str(reason)


COMPONENT_LABELS = {
    "profile": "企业画像 Profile",
    "tags": "标签 Tags",
    "role": "环节角色 Role in the segment",
    "scale": "规模 Scale",
    "links": "本地联系 Local links",
    "local_partners": "本地关联企业 Local partners",
    "relatedness": "关联度 Relatedness",
    "omega_segment": "环节关联密度 ω, segment",
    "omega_firm": "企业关联密度 ω, its other segments",
}
"""Labels of a candidate's score components (``queries.candidates``) in the details panel."""


def score_text(value: float, digits: int = 2) -> str:
    """A score rounded for display.

    >>> score_text(0.296333), score_text(0.296333, 3)
    ('0.30', '0.296')
    """
    return f"{value:.{digits}f}"


def component_fields(components: dict[str, Any]) -> list[list[str]]:
    """The numeric components of a candidate's score as labelled panel fields (counts whole, others to 3 places).

    >>> component_fields({"profile": 0.4166667, "local_partners": 2, "weighted": {"profile": 0.1}})
    [['· 企业画像 Profile', '0.417'], ['· 本地关联企业 Local partners', '2']]
    """
    fields = []
    for key, value in components.items():
        if isinstance(value, bool) or not isinstance(value, int | float):
            continue
        text = str(value) if isinstance(value, int) else score_text(value, 3)
        fields.append([f"· {COMPONENT_LABELS.get(key, key)}", text])
    return fields


def _firm_record(store: GraphStore, book: SourceBook, firm_id: str) -> dict[str, Any] | None:
    node = store.node(firm_id)
    if not isinstance(node, Firm):
        return None
    return {
        **firm_summary(node),
        "district": district_of(store, node.district_id),
        "note": node.note,
        "sources_ref": book.refs(node.sources),
    }


def gather_segment(store: GraphStore, segment_id: str) -> dict[str, Any]:
    """Collect a segment's detail, its impact, its ranked candidates and the sources they cite.

    Raises ``NodeNotFound`` (with the nearest ids) for an unknown segment.
    """
    detail = get_segment(store, segment_id)
    imp = impact(store, segment_id)
    ranked = candidates(store, segment_id, limit=CANDIDATES)
    book = SourceBook.from_store(store)
    downstream = imp["downstream"][:MAX_DOWNSTREAM]
    shown = {segment_id, *(u["id"] for u in detail["upstream"]), *(d["id"] for d in downstream)}
    segment_sources = {}
    for sid in shown:
        node = store.node(sid)
        segment_sources[sid] = book.refs(node.sources if node else ())
    supplies: list[dict[str, Any]] = []
    drawn: dict[tuple[str, str], dict[str, Any]] = {}
    # a parent stands for its sub-segments (docs/analysis.md §8): their links to what is shown start at the parent;
    # several merged into one are sourced when any of them is
    for sid in [*sorted(shown), *imp.get("sub_segments", [])]:
        for edge in store.edges(EdgeKind.SUPPLIES, source=sid):
            source = edge.source if edge.source in shown else segment_id
            if edge.target not in shown or edge.target == source:
                continue
            link = drawn.get((source, edge.target))
            if link is None:
                link = drawn[(source, edge.target)] = {
                    "source": source,
                    "target": edge.target,
                    "confidence": edge.confidence.value,
                    "sources_ref": book.refs(edge.sources),
                }
                supplies.append(link)
            elif edge.confidence.value == "sourced":
                link["confidence"] = "sourced"
                link["sources_ref"] = link["sources_ref"] + [
                    r for r in book.refs(edge.sources) if r not in link["sources_ref"]
                ]
    firms: dict[str, dict[str, Any]] = {}
    memberships: dict[str, dict[str, Any]] = {}
    for edge in store.edges(EdgeKind.OPERATES_IN, target=segment_id):
        memberships[edge.source] = {
            "role": edge.role.value if edge.role else "member",
            "sources_ref": book.refs(edge.sources),
            "confidence": edge.confidence.value,
        }
    wanted = [
        *(f["id"] for f in detail["local_firms"][:MAX_OWN_FIRMS]),
        *(c["firm_id"] for c in ranked),
        *(f["id"] for f in imp["dependent_firms"] if f.get("is_anchor")),
    ]
    operates: dict[str, dict[str, list[dict[str, Any]]]] = {}
    for fid in wanted:
        if fid not in firms:
            record = _firm_record(store, book, fid)
            if record is not None:
                firms[fid] = record
                operates[fid] = {e.target: book.refs(e.sources) for e in store.edges(EdgeKind.OPERATES_IN, source=fid)}
    cluster_gaps = (
        {g["segment_id"]: g for g in gaps(store, cluster=detail["cluster_id"])} if detail["cluster_id"] else {}
    )
    other_gaps = {}
    for sid in shown - {segment_id}:
        if sid in cluster_gaps:
            other_gaps[sid] = cluster_gaps[sid]
    return {
        "segment": detail,
        "impact": imp,
        "candidates": ranked,
        "firms": firms,
        "memberships": memberships,
        "operates": operates,
        "supplies": supplies,
        "segment_sources": segment_sources,
        "gaps": other_gaps,
        "index": search_index(store),
    }


def unverified_only(item: dict[str, Any]) -> bool:
    """Whether a dependent of :func:`queries.impact.impact` rests only on unverified supply links.

    >>> unverified_only({"confidence": "unverified", "unverified_links": 1}), unverified_only({"confidence": "sourced"})
    (True, False)
    """
    return item.get("confidence", "sourced") != "sourced"


def dependent_item(down: dict[str, Any]) -> dict[str, Any]:
    """One entry of the list of what depends on a segment: name, distance, whether exclusive, and
    :data:`viz.parts.UNVERIFIED_MARK` when it rests only on unverified supply links.

    When the nearest path has an unverified link but a longer one is sourced throughout
    (``sourced_distance`` > ``distance``), the distance says so (:func:`queries.impact.distance_words`).

    >>> dependent_item({"id": "t-pack", "name_zh": "电池包", "name_en": "Packs", "distance": 2, "exclusive": True,
    ...                 "confidence": "unverified", "unverified_links": 1})  # doctest: +NORMALIZE_WHITESPACE
    {'text': '电池包 · 2 步 steps · 独占 exclusive（待核实 unverified）',
     'text_en': 'Packs · 2 steps · exclusive (unverified)', 'ref': ['segment', 't-pack']}
    >>> item = dependent_item({"id": "t-rec", "name_zh": "回收", "name_en": "Recycling", "distance": 1,
    ...                        "sourced_distance": 2, "exclusive": False, "confidence": "sourced"})
    >>> item["text"]
    '回收 · 1 步（待核实），经已证实的供应 2 步 1 step (unverified); 2 steps over sourced supply'
    >>> item["text_en"]
    'Recycling · 1 step (unverified); 2 steps over sourced supply'
    """
    mark_zh, mark_en = UNVERIFIED_MARK if unverified_only(down) else ("", "")
    zh, en = distance_words(down)
    both = f"{down['distance']} 步 steps" if zh == f"{down['distance']} 步" else f"{zh} {en}"
    return {
        "text": f"{down['name_zh']} · {both}" + (" · 独占 exclusive" if down.get("exclusive") else "") + mark_zh,
        "text_en": f"{down.get('name_en') or down['name_zh']} · {en}"
        + (" · exclusive" if down.get("exclusive") else "")
        + mark_en,
        "ref": ["segment", down["id"]],
    }


def upstream_gap_item(gap: dict[str, Any], up: dict[str, Any]) -> dict[str, Any]:
    """One entry of the list of the gaps a segment depends on upstream, from :func:`queries.impact.impact`.

    ``gap`` is an item of its ``upstream_gaps``, ``up`` the ``upstream`` item of the same segment. The entry
    gives the gap's name, its kind (marked as ``chainkg impact`` and ``chainkg gaps`` mark a kind that rests only
    on unverified supply links, the gap's ``kinds_unverified``), its severity and how many supply steps up it
    lies (:func:`queries.impact.distance_words`), then :data:`viz.parts.UNVERIFIED_MARK` when the segment
    reaches it only through unverified supply links (the ``confidence`` column of ``chainkg impact``); its
    detail is the gap's explanation and it links to the gap's segment view.

    Parameters
    ----------
    gap : dict
        ``segment_id``, ``kind``, ``kinds_unverified``, ``severity``, ``explanation_zh``, ``explanation_en``.
    up : dict
        ``name_zh``, ``name_en``, ``distance``, ``sourced_distance`` and ``confidence``.

    Returns
    -------
    dict
        A panel item: ``text``, ``text_en``, ``ref``, ``detail``, ``detail_en``.

    Examples
    --------
    >>> gap = {"segment_id": "t-lithium", "kind": "broken_link", "kinds_unverified": ["broken_link"],
    ...        "severity": 0.684467, "explanation_zh": "锂盐：断链。", "explanation_en": "Lithium salts: broken link."}
    >>> up = {"id": "t-lithium", "name_zh": "锂盐", "name_en": "Lithium salts", "distance": 2,
    ...       "sourced_distance": None, "confidence": "unverified"}
    >>> item = upstream_gap_item(gap, up)
    >>> item["text"]  # doctest: +NORMALIZE_WHITESPACE
    '锂盐 · 断链 Broken link（待核实 unverified） · 严重度 severity 0.68 ·
     上游 2 步 upstream, 2 steps（待核实 unverified）'
    >>> item["text_en"]
    'Lithium salts · Broken link (unverified) · severity 0.68 · upstream, 2 steps (unverified)'
    >>> item["ref"]
    ['segment', 't-lithium']

    The nearest path over an unverified link, a longer one sourced throughout (the gap's kind on sourced links):

    >>> upstream_gap_item({**gap, "kinds_unverified": []}, {**up, "sourced_distance": 3, "confidence": "sourced"})[
    ...     "text_en"]
    'Lithium salts · Broken link · severity 0.68 · upstream, 2 steps (unverified); 3 steps over sourced supply'
    """
    kind_zh, kind_en = kind_words(str(gap["kind"]), unverified=gap["kind"] in (gap.get("kinds_unverified") or ()))
    mark_zh, mark_en = UNVERIFIED_MARK if unverified_only(up) else ("", "")
    far_zh, far_en = distance_words(up)
    severity = score_text(float(gap["severity"]))
    name_en = up.get("name_en") or up["name_zh"]
    return {
        "text": f"{up['name_zh']} · {kind_zh} · 严重度 severity {severity} · 上游 {far_zh} upstream, {far_en}{mark_zh}",
        "text_en": f"{name_en} · {kind_en} · severity {severity} · upstream, {far_en}{mark_en}",
        "ref": ["segment", gap["segment_id"]],
        "detail": str(gap.get("explanation_zh") or ""),
        "detail_en": str(gap.get("explanation_en") or gap.get("explanation_zh") or ""),
    }


def upstream_gap_items(imp: dict[str, Any]) -> list[dict[str, Any]]:
    """The gaps a segment depends on upstream as panel entries (:func:`upstream_gap_item`), in the order of the
    impact query's ``upstream_gaps`` (most severe first), never recomputed.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> [i["ref"][1] for i in upstream_gap_items(impact(MemoryStore(tiny_chain()), "t-cell"))]
    ['t-lithium', 't-cathode']
    """
    upstream = {u["id"]: u for u in imp["upstream"]}
    return [upstream_gap_item(g, upstream[g["segment_id"]]) for g in imp["upstream_gaps"]]


def upstream_gaps_field(counts: dict[str, Any]) -> list[str]:
    """The panel field that counts the gaps among a segment's upstream segments, as ``chainkg impact`` sums it up.

    >>> upstream_gaps_field({"upstream_segments": 16, "upstream_gaps": 7})
    ['上游缺口 Upstream gaps', '7（上游共 16 个环节）7 of 16 upstream segments', '7 of 16 upstream segments']
    >>> upstream_gaps_field({"upstream_segments": 1, "upstream_gaps": 0})[2]
    '0 of 1 upstream segment'
    """
    gaps_up, segments_up = counts.get("upstream_gaps", 0), counts.get("upstream_segments", 0)
    en = f"{gaps_up} of {segments_up} upstream segment{'' if segments_up == 1 else 's'}"
    return ["上游缺口 Upstream gaps", f"{gaps_up}（上游共 {segments_up} 个环节）{en}", en]


def _subject(net: ViewNetwork, data: dict[str, Any]) -> None:
    seg = data["segment"]
    imp = data["impact"]
    gap = seg.get("gap")
    info, title = segment_info(
        seg,
        [gap] if gap else [],
        data["segment_sources"].get(seg["id"], []),
        cluster_name=(seg.get("cluster") or {}).get("name_zh", ""),
        cluster_name_en=(seg.get("cluster") or {}).get("name_en", ""),
    )
    counts = imp.get("counts", {})
    downstream_unverified = counts.get(
        "downstream_unverified_only", sum(1 for d in imp["downstream"] if unverified_only(d))
    )
    firms_unverified = counts.get(
        "dependent_local_firms_unverified_only", sum(1 for f in imp["dependent_firms"] if unverified_only(f))
    )
    info["fields"] += [
        [
            "下游环节 Downstream segments",
            *unverified_only_words(counts.get("downstream_segments", len(imp["downstream"])), downstream_unverified),
        ],
        ["独占依赖 Exclusive dependents", str(counts.get("exclusive_dependents", 0))],
        [
            "依赖的本地企业 Dependent local firms",
            *unverified_only_words(counts.get("dependent_local_firms", 0), firms_unverified, "家"),
        ],
        upstream_gaps_field(counts),
    ]
    if gap:
        info["sections"] = [
            {
                "title": "原因 Reasons",
                "items": [{"text": reason_text(r), "text_en": reason_en(r)} for r in gap["reasons"]],
            }
        ]
    else:
        info["sections"] = []
    info["sections"].append(
        {
            "title": "候选企业 Candidates (ranked)",
            "ordered": True,
            "items": [
                {
                    "text": f"{c['name_zh']} · {score_text(c['score'])}",
                    "text_en": f"{c.get('name_en') or c['name_zh']} · {score_text(c['score'])}",
                    "ref": ["firm", c["firm_id"]],
                    "detail": "; ".join(reason_text(r) for r in c.get("reasons", [])),
                    "detail_en": "; ".join(reason_en(r) for r in c.get("reasons", [])),
                }
                for c in data["candidates"]
            ]
            or ([{"text": NO_CANDIDATES, "text_en": NO_CANDIDATES_EN}] if gap else []),
        }
    )
    info["sections"].append(
        {
            "title": "依赖它的环节 What depends on it",
            "items": [dependent_item(d) for d in imp["downstream"][:MAX_DOWNSTREAM]],
        }
    )
    info["sections"].append({"title": "上游缺口 Upstream gaps (most severe first)", "items": upstream_gap_items(imp)})
    count = seg.get("local_firm_count", 0)
    label = f"{wrap(seg['name_zh'])}\n{count} 家本地企业"
    style = segment_style(gap_kinds(gap) if gap else [])
    style["label_en"] = f"{wrap_en(seg.get('name_en') or seg['name_zh'])}\n{local_firms_en(count)}"
    style["font"] = {**style.get("font", {}), "size": 18}
    style["margin"] = 14
    net.add_view_node(seg["id"], label, kind="segment", info=info, title=title.zh, title_en=title.en, level=2, **style)


def segment_network(data: dict[str, Any]) -> ViewNetwork:
    """Build the segment (gap) view from :func:`gather_segment`'s result."""
    seg = data["segment"]
    sid = seg["id"]
    imp = data["impact"]
    firms = data["firms"]
    net = ViewNetwork(
        kind="segment",
        subject_id=sid,
        title=display_name(seg["name_zh"], seg["name_en"]),
        api_path=f"/api/v1/segments/{sid}",
    )
    net.subtitle = "环节与缺口 Candidates → suppliers → this segment → what depends on it"
    net.search_index = data["index"]
    net.focus_id = sid
    net.title_en = seg["name_en"] or seg["name_zh"]
    net.subtitle_en = "Candidates → suppliers → this segment → what depends on it"
    cluster = seg.get("cluster") or {}
    if cluster.get("id"):
        name_zh = cluster.get("name_zh") or cluster["id"]
        name_en = cluster.get("name_en") or name_zh  # no English in the data: the Chinese name as it is
        net.add_note(f"集群 Cluster: {name_zh} ({cluster['id']})", f"Cluster: {name_en} ({cluster['id']})")
    _subject(net, data)
    names = {sid: seg["name_zh"]}
    names_en = {sid: seg.get("name_en") or seg["name_zh"]}

    def add_segment(
        brief: dict[str, Any], level: int, *, exclusive: bool = False, extra: str = "", extra_en: str = ""
    ) -> None:
        other = brief["id"]
        names[other] = brief["name_zh"]
        names_en[other] = brief.get("name_en") or brief["name_zh"]
        gap = data["gaps"].get(other)
        info, title = segment_info(brief, [gap] if gap else [], data["segment_sources"].get(other, []))
        if extra:
            info["fields"].append(["关系 Relation", extra, extra_en or english_part(extra) or extra])
        style = segment_style(gap_kinds(gap) if gap else [], other_cluster=brief.get("cluster_id") != seg["cluster_id"])
        label, label_en = wrap(brief["name_zh"]), wrap_en(brief.get("name_en") or brief["name_zh"])
        if exclusive:  # the heavy border alone is lost on a 断链 segment, whose purple border is as heavy
            style["borderWidth"] = max(style["borderWidth"], 4)
            label, label_en = f"{label}\n{EXCLUSIVE_MARK_ZH}", f"{label_en}\n{EXCLUSIVE_MARK_EN}"
        style["label_en"] = label_en
        net.add_view_node(
            other,
            label,
            kind="segment",
            info=info,
            title=title.zh,
            title_en=title.en,
            level=level,
            **style,
        )

    for up in seg["upstream"]:
        add_segment(up, 1, extra="上游供应 supplies this segment")
    for down in imp["downstream"][:MAX_DOWNSTREAM]:
        exclusive = bool(down.get("exclusive"))
        mark_zh, mark_en = UNVERIFIED_MARK if unverified_only(down) else ("", "")
        far_zh, far_en = distance_words(down)
        add_segment(
            down,
            2 + down["distance"],
            exclusive=exclusive,
            extra=f"下游 {far_zh} downstream, {far_en}"
            + (" · 独占依赖 exclusive dependent" if exclusive else "")
            + mark_zh,
            extra_en=f"downstream, {far_en}" + (" · exclusive dependent" if exclusive else "") + mark_en,
        )
    if len(imp["downstream"]) > MAX_DOWNSTREAM:
        nearest = f"Showing the nearest {MAX_DOWNSTREAM} of {len(imp['downstream'])} downstream segments"
        net.add_note(f"仅显示最近的 {MAX_DOWNSTREAM} 个下游环节 {nearest}", nearest)
    for link in data["supplies"]:
        if link["source"] in net.node_map and link["target"] in net.node_map:
            net.add_view_edge(
                link["source"],
                link["target"],
                **edge_titles(
                    "SUPPLIES",
                    link["source"],
                    link["target"],
                    link["sources_ref"],
                    names,
                    names_en,
                    confidence=link["confidence"],
                ),
                # as the cluster view draws it: an unverified link faded
                color=COLOURS["edge"] if link["confidence"] == "sourced" else faded(COLOURS["edge"]),
                width=2,
            )

    attached: dict[str, str] = {}
    for local in seg["local_firms"][:MAX_OWN_FIRMS]:
        firm = firms.get(local["id"])
        if firm is None:
            continue
        member = data["memberships"].get(local["id"], {})
        role = local.get("role") or member.get("role", "member")
        info, title = firm_info(firm, firm["sources_ref"], role=role)
        net.add_view_node(
            firm["id"],
            firm_label(firm["name_zh"]),
            label_en=shorten(firm.get("name_en") or "", 24),
            kind="firm",
            info=info,
            title=title.zh,
            title_en=title.en,
            level=2,
            **firm_style(is_local=True, anchor=role == "anchor"),
        )
        attached[firm["id"]] = sid
        names[firm["id"]] = firm["name_zh"]
        names_en[firm["id"]] = firm.get("name_en") or firm["name_zh"]
        net.add_view_edge(
            sid,
            firm["id"],
            arrows="",
            color=COLOURS["firm"],
            **edge_titles(
                "OPERATES_IN",
                firm["id"],
                sid,
                member.get("sources_ref", []),
                names,
                names_en,
                extra=role_words(role),
                confidence=member.get("confidence", ""),
            ),
        )

    for number, cand in enumerate(data["candidates"], start=1):
        firm = firms.get(cand["firm_id"])
        if firm is None:
            continue
        tied = int(cand.get("tied_with") or 0)
        # firms with the same score share a rank ("#1="): the order within a tie (by id) is no order of merit
        rank = f"{cand.get('rank', number)}{'=' if tied else ''}"
        reasons = [reason_text(r) for r in cand.get("reasons", [])]
        info, _ = firm_info(firm, firm["sources_ref"])
        rank_field = ["排名 Rank", f"#{rank}"]
        if tied:
            shared = tied + 1
            rank_field = ["排名 Rank", f"#{rank}（{shared} 家同分并列）", f"#{rank} ({shared} firms share the score)"]
        info["fields"].insert(0, rank_field)
        info["fields"].insert(1, ["得分 Score", score_text(cand["score"], 3)])
        # where it is: what a 招商 trip is planned by (review 16a L5: the firm view and the reports gave it, not here)
        hq_zh = cand.get("hq") or "未注明"
        info["fields"].insert(2, ["总部 HQ", hq_zh, cand.get("hq_en") or cand.get("hq") or "not given"])
        info["fields"] += component_fields(cand.get("components") or {})
        info["sections"] = [
            {
                "title": "理由 Reasons",
                "items": [
                    {"text": r, "text_en": reason_en(raw)}
                    for r, raw in zip(reasons, cand.get("reasons", []), strict=True)
                ],
            }
        ]
        title = tooltips(
            [
                f"#{rank} {display_name(firm['name_zh'], firm['name_en'])}",
                f"候选企业 Candidate · 得分 score {score_text(cand['score'])}",
                *reasons[:3],
            ],
            [
                f"#{rank} {firm.get('name_en') or firm['name_zh']}",
                f"Candidate · score {score_text(cand['score'])}",
                *(reason_en(r) for r in cand.get("reasons", [])[:3]),
            ],
            sources=firm["sources_ref"],
        )
        node_id = firm["id"]
        if node_id in net.node_map:  # a local firm of the segment that is also a candidate
            continue
        net.add_view_node(
            node_id,
            f"#{rank} {firm_label(firm['name_zh'], 10)} · {score_text(cand['score'])}",
            label_en=f"#{rank} {shorten(firm.get('name_en') or firm['name_zh'], 20)} · {score_text(cand['score'])}",
            kind="firm",
            info=info,
            title=title.zh,
            title_en=title.en,
            level=0,
            **firm_style(is_local=firm["is_local"], candidate=True),
        )
        cited = [r for refs in data["operates"].get(node_id, {}).values() for r in refs]
        net.add_view_edge(
            node_id,
            sid,
            color=COLOURS["candidate"],
            dashes=True,
            title=tooltip(
                f"候选 Candidate #{rank} for {seg['name_zh']}: 得分 score {score_text(cand['score'])}",
                *reasons,
                "计算 Ranked by chainkg from the facts below",
                sources=cited,
            ),
            title_en=tooltip(
                f"Candidate #{rank} for {names_en[sid]}: score {score_text(cand['score'])}",
                *(reason_en(r) for r in cand.get("reasons", [])),
                "Ranked by chainkg from the facts below",
                sources=cited,
                english=True,
            ),
        )

    anchors_shown = 0
    for dep in imp["dependent_firms"]:
        if not dep.get("is_anchor") or anchors_shown >= MAX_DEPENDENT_ANCHORS:
            continue
        firm = firms.get(dep["id"])
        where = [s for s in dep.get("segment_ids", []) if s in net.node_map]
        if firm is None or not where or dep["id"] in net.node_map:
            continue
        anchors_shown += 1
        info, title = firm_info(firm, firm["sources_ref"])
        mark_zh, mark_en = UNVERIFIED_MARK if unverified_only(dep) else ("", "")
        info["fields"].append(
            ["依赖 Depends on", seg["name_zh"] + mark_zh, (seg.get("name_en") or seg["name_zh"]) + mark_en]
        )
        net.add_view_node(
            dep["id"],
            firm_label(firm["name_zh"]),
            label_en=shorten(firm.get("name_en") or "", 24),
            kind="firm",
            info=info,
            title=title.zh,
            title_en=title.en,
            level=net.node_map[where[0]]["level"],
            **firm_style(is_local=True, anchor=True),
        )
        attached[dep["id"]] = where[0]
        for s in where:
            net.add_view_edge(
                s,
                dep["id"],
                arrows="",
                color=COLOURS["anchor"],
                title=tooltip(
                    f"依赖该环节的链主 Anchor depending on {seg['name_zh']} via {names.get(s, s)}",
                    sources=data["operates"].get(dep["id"], {}).get(s, []),
                ),
                title_en=tooltip(
                    f"Anchor depending on {names_en[sid]} via {names_en.get(s, s)}",
                    sources=data["operates"].get(dep["id"], {}).get(s, []),
                    english=True,
                ),
            )
    column_layout(net, attached)
    net.legend = list(LEGEND)
    return net
