"""A firm's neighbourhood: its segments (and their clusters), suppliers, customers, parent and subsidiaries.

The centre firm's details panel also tells what would happen if the firm left ("若该企业离开 If this firm
left", :func:`what_if_sections`), from :func:`queries.what_if.what_if`, the query behind ``chainkg what-if``.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> net = firm_network(gather_firm(MemoryStore(tiny_chain()), "f-cell-a"))
>>> sorted(n["id"] for n in net.nodes)
['f-cell-a', 'f-cell-b', 'o-recy-a', 't-cell', 't-nev']
>>> net.node_map["f-cell-a"]["shape"]
'star'
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from graph.model import EdgeKind, Firm
from graph.store import GraphStore
from queries.candidacy import firm_candidacy
from queries.firms import firm_summary, get_firm
from queries.gaps import gaps
from queries.targets import KIND_TEXT
from queries.what_if import outside_note, status_moves, summary_words, what_if
from viz.page import ViewNetwork
from viz.parts import (
    EDGE_LABELS,
    district_of,
    edge_titles,
    firm_info,
    firm_style,
    gap_items,
    gap_kinds,
    kind_words,
    role_text,
    role_words,
    segment_info,
    segment_style,
)
from viz.search_index import search_index
from viz.sources import SourceBook
from viz.style import (
    COLOURS,
    GAP_LABELS,
    STATUS_LABELS,
    LegendEntry,
    display_name,
    english_part,
    node_colour,
    shorten,
    tooltip,
    tooltips,
    zh_part,
)

RELATION_KINDS = (EdgeKind.SUBSIDIARY_OF, EdgeKind.SUPPLIES_TO)
"""Parent and subsidiaries first, so a collapsed neighbourhood keeps them."""
MAX_NEIGHBOURS = 1400
"""A firm view draws at most this many related firms (so it stays under 1,500 nodes); the rest are collapsed."""
LIST_COLLAPSED = 50
RING_LAYOUT_OVER = 300
"""A neighbourhood with more nodes than this is laid out in rings in Python, with physics off."""
RING_GAP = 160
NODE_GAP = 70
RELATION_LABELS = {"SUBSIDIARY_OF": ("隶属", "subsidiary of")}
"""Edge labels that read along the arrow (Chinese page, English page), where :data:`viz.parts.EDGE_LABELS`'
noun would not: a SUBSIDIARY_OF arrow points at the parent, so "子公司" beside it read as if the parent were
the subsidiary (review 13). The tooltip keeps "Subsidiary of"."""
WHAT_IF_TITLE = ("若该企业离开 If this firm left", "If this firm left")
WHAT_IF_LEFT_TITLE = (
    "若该企业离开：退出的环节 If this firm left: segments it leaves",
    "If this firm left: segments it leaves",
)
"""The segments the firm leaves (``segments_left``), as ``chainkg what-if`` lists them under its headline."""
WHAT_IF_NOTES_TITLE = ("若该企业离开：说明 If this firm left: notes", "If this firm left: notes")
"""The answer's notes other than ``outside_firms`` (``coverage_only``, ``supply_partners``, ``scope_shrinks``)."""


def ring_layout(net: ViewNetwork, centre: str) -> None:
    """Place ``centre`` in the middle, clusters and segments on the first rings, firms on outer rings; physics off.

    Each ring holds as many nodes as fit ``NODE_GAP`` apart on its circumference.

    >>> net = ViewNetwork(kind="firm", subject_id="a", title="a", api_path="")
    >>> for i in "abc":
    ...     net.add_view_node(i, i, kind="firm", info={})
    >>> ring_layout(net, "a")
    >>> net.node_map["a"]["x"], net.node_map["a"]["y"], net.options["physics"]["enabled"]
    (0, 0, False)
    """
    net.node_map[centre].update(x=0, y=0)
    order = {"cluster": 0, "segment": 1, "firm": 2}
    others = sorted((n for n in net.nodes if n["id"] != centre), key=lambda n: order.get(n["info"]["kind"], 3))
    radius, placed = RING_GAP, 0
    while placed < len(others):
        capacity = max(6, int(2 * math.pi * radius / NODE_GAP))
        ring = others[placed : placed + capacity]
        for i, node in enumerate(ring):
            angle = 2 * math.pi * i / len(ring)
            node.update(x=round(radius * math.cos(angle)), y=round(radius * math.sin(angle)))
        placed += len(ring)
        radius += RING_GAP
    net.options["physics"] = {"enabled": False}
    net.options["edges"]["smooth"] = {"enabled": False}


def gather_firm(store: GraphStore, firm_id: str) -> dict[str, Any]:
    """Collect a firm, its neighbours with their sources, the gaps of its segments and the clusters.

    Raises ``NodeNotFound`` (with the nearest ids) for an unknown firm.
    """
    firm = get_firm(store, firm_id)
    book = SourceBook.from_store(store)
    relations = []
    neighbours: dict[str, dict[str, Any]] = {}
    districts: dict[str, Any] = {}
    for kind in RELATION_KINDS:
        for edge in [*store.edges(kind, source=firm_id), *store.edges(kind, target=firm_id)]:
            relations.append(
                {
                    "kind": edge.kind.value,
                    "source": edge.source,
                    "target": edge.target,
                    "year": edge.year,
                    "confidence": edge.confidence.value,
                    "sources_ref": book.refs(edge.sources),
                }
            )
            other = edge.target if edge.source == firm_id else edge.source
            node = store.node(other)
            if isinstance(node, Firm) and other not in neighbours:
                neighbours[other] = {
                    **firm_summary(node),
                    "district": district_of(store, node.district_id, districts),
                    "note": node.note,
                    "sources_ref": book.refs(node.sources),
                }
    segment_ids = {s["id"] for s in firm["segments"]}
    gaps_by_segment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for cluster_id in sorted({s["cluster_id"] for s in firm["segments"]}):
        for gap in gaps(store, cluster=cluster_id):
            if gap["segment_id"] in segment_ids:
                gaps_by_segment[gap["segment_id"]].append(gap)
    clusters = {}
    for cluster_id in sorted({s["cluster_id"] for s in firm["segments"]}):
        node = store.node(cluster_id)
        if node is not None:
            clusters[cluster_id] = {"name_zh": node.name_zh, "name_en": node.name_en, "sources": list(node.sources)}
    segment_sources = {}
    part_of_sources = {}
    for seg in firm["segments"]:
        node = store.node(seg["id"])
        segment_sources[seg["id"]] = book.refs(node.sources if node else ())
        part_of_sources[seg["id"]] = book.refs(
            s for e in store.edges(EdgeKind.PART_OF, source=seg["id"]) for s in e.sources
        )
    # what if the firm left: the answer of `chainkg what-if ID` and POST /api/v1/what-if, not recomputed
    answer = what_if(store, [firm_id])
    named_ids = {h["cluster_id"] for h in answer["health"]}
    for note in answer["notes"]:
        named_ids.update(i for units in note.get("local_subsidiaries", {}).values() for i in units)
    what_if_names = {}
    for node_id in sorted(named_ids):
        node = store.node(node_id)
        if node is not None:
            what_if_names[node_id] = {"name_zh": node.name_zh, "name_en": node.name_en}
    return {
        "firm": firm,
        # every source behind the firm and its relations, as chainkg firm and /api/v1/firms/{id} count them
        # (review 15a: the panel said 5 for 中创新航, the CLI and API 6)
        "firm_sources": book.refs(s["id"] for s in firm["sources"]),
        "relations": relations,
        "neighbours": neighbours,
        "gaps": dict(gaps_by_segment),
        "clusters": {cid: {**c, "sources_ref": book.refs(c["sources"])} for cid, c in clusters.items()},
        "segment_sources": segment_sources,
        "part_of_sources": part_of_sources,
        "edge_sources": {s["id"]: book.refs(s.get("sources", [])) for s in firm["segments"]},
        "index": search_index(store),
        "what_if": answer,
        "what_if_names": what_if_names,
        "candidacy": firm_candidacy(store, firm_id),
    }


CANDIDACY_TITLE = ("招商：先找谁 A firm to attract", "A firm to attract")
"""The panel section of a firm that is a candidate for gaps (review 16a: 阳光电源's page never said it was the
new-energy cluster's first target)."""


def _place_words(place: dict[str, Any]) -> tuple[str, str]:
    tie = "=" if place["tied_with"] else ""
    return (
        f"第 {place['rank']}{tie} 名（共 {place['of']} 家，优先度 {place['priority']:.2f}）",
        f"#{place['rank']}{tie} of {place['of']} (priority {place['priority']:.2f})",
    )


def candidacy_section(candidacy: dict[str, Any], clusters: dict[str, dict[str, Any]]) -> dict[str, Any]:
    """The panel section "招商：先找谁" of a firm to attract: its rank in the city's and each cluster's targets,
    and each gap it would fill with its rank among that gap's candidates (:func:`queries.candidacy.firm_candidacy`).

    >>> from graph.fixtures import tiny_city
    >>> from graph.memory_store import MemoryStore
    >>> section = candidacy_section(firm_candidacy(MemoryStore(tiny_city()), "o-bms-a"), {})
    >>> [i["text_en"] for i in section["items"]][:2]
    ['City-wide: #1 of 7 (priority 0.53)', 't-ess: #1 of 3 (priority 0.43)']
    >>> section["items"][3]["text_en"]
    'Battery management systems (broken link, severity 0.70): #1 of 2 candidates, score 0.61'
    """
    zh, en = _place_words(candidacy["city"])
    items: list[dict[str, Any]] = [{"text": f"全市先找谁 City-wide: {zh}", "text_en": f"City-wide: {en}"}]
    for place in candidacy["clusters"]:
        cluster = clusters.get(place["cluster_id"], {})
        zh, en = _place_words(place)
        name_zh = cluster.get("name_zh") or place["cluster_id"]
        name_en = cluster.get("name_en") or name_zh
        items.append(
            {"text": f"{name_zh}：{zh}", "text_en": f"{name_en}: {en}", "ref": ["cluster", place["cluster_id"]]}
        )
    for gap in candidacy["gaps"]:
        kind_zh, kind_en = KIND_TEXT[gap["kind"]][:2]
        if gap["kind"] in gap["kinds_unverified"]:
            kind_zh, kind_en = f"{kind_zh}（待核实）", f"{kind_en} (unverified)"
        tie = "=" if gap["tied_with"] else ""
        zh = (
            f"{gap['segment_name_zh']}（{kind_zh}，严重度 {gap['severity']:.2f}）：{gap['candidate_count']} 家候选中"
            f"排第 {gap['rank']}{tie}，得分 {gap['score']:.2f}"
        )
        en = (
            f"{gap['segment_name_en'] or gap['segment_name_zh']} ({kind_en}, severity {gap['severity']:.2f}): "
            f"#{gap['rank']}{tie} of {gap['candidate_count']} candidates, score {gap['score']:.2f}"
        )
        items.append({"text": zh, "text_en": en, "ref": ["segment", gap["segment_id"]]})
    items.append({"text": candidacy["explanation_zh"], "text_en": candidacy["explanation_en"], "muted": True})
    title, title_en = CANDIDACY_TITLE
    return {"title": title, "title_en": title_en, "items": items}


def _names_local_units(answer: dict[str, Any]) -> bool:
    """Whether a what-if answer for an outside firm names local subsidiaries (the only case it says anything)."""
    notes = [n for n in answer.get("notes", []) if n.get("code") == "outside_firms"]
    return any(units for n in notes for units in (n.get("local_subsidiaries") or {}).values())


def _status_words(status: str) -> tuple[str, str]:
    """A segment's presence status in Chinese and in English: ``('弱链', 'weak')``."""
    label = STATUS_LABELS.get(status, status)
    return zh_part(label) or label, (english_part(label) or label).lower()


def _change_words(before: str, after: str) -> str:
    """``before → after``, or the one word when it holds."""
    return before if before == after else f"{before} → {after}"


def status_drops(changes: list[dict[str, Any]]) -> list[tuple[str, str]]:
    """How many segments move from one presence status to another, one line each (Chinese page, English page).

    >>> status_drops([{"status_before": "weak", "status_after": "missing"},
    ...               {"status_before": "weak", "status_after": "weak"}])
    [('1 个环节由弱链变为缺链 1 segment weak → missing', '1 segment weak → missing')]
    """
    lines = []
    for before, after, count in status_moves(changes):
        (b_zh, b_en), (a_zh, a_en) = _status_words(before), _status_words(after)
        en = f"{count} segment{'' if count == 1 else 's'} {b_en} → {a_en}"
        lines.append((f"{count} 个环节由{b_zh}变为{a_zh} {en}", en))
    return lines


def _kind_change(change: dict[str, Any]) -> tuple[str, str]:
    """The gap kind before and after (``—`` for no gap), each marked when it rests only on unverified links."""

    def words(when: str) -> tuple[str, str]:
        kind = change[f"kind_{when}"]
        if not kind:
            return "—", "—"
        zh, en = kind_words(kind, unverified=kind in (change.get(f"kinds_unverified_{when}") or ()))
        return zh, en[0].lower() + en[1:]

    (b_zh, b_en), (a_zh, a_en) = words("before"), words("after")
    return _change_words(b_zh, a_zh), _change_words(b_en, a_en)


def _severity(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def change_item(change: dict[str, Any]) -> dict[str, Any]:
    """A segment whose status or gap kind changes if the firm left, as a panel item linking to its view.

    >>> item = change_item({"segment_id": "nev-lighting", "segment_name_zh": "汽车车灯",
    ...     "segment_name_en": "Automotive lighting", "status_before": "weak", "status_after": "missing",
    ...     "kind_before": "weak", "kind_after": "broken_link", "severity_before": 0.179903,
    ...     "severity_after": 0.312403, "local_firms_before": 1, "local_firms_after": 0, "became_gap": False})
    >>> item["ref"], item["text_en"]
    (['segment', 'nev-lighting'], 'Automotive lighting')
    >>> item["detail_en"]
    'status weak → missing · gap kind weak → broken link · severity 0.18 → 0.31 · local firms 1 → 0'
    """
    sb_en, sa_en = _status_words(change["status_before"])[1], _status_words(change["status_after"])[1]
    kind_zh, kind_en = _kind_change(change)
    severity = f"{_severity(change['severity_before'])} → {_severity(change['severity_after'])}"
    firms = f"{change['local_firms_before']} → {change['local_firms_after']}"
    status_zh = _change_words(*(STATUS_LABELS.get(c, c) for c in (change["status_before"], change["status_after"])))
    detail = (
        f"现状 status {status_zh} · 缺口类型 gap kind {kind_zh} · 严重度 severity {severity}"
        f" · 本地企业 local firms {firms}"
    )
    detail_en = f"status {_change_words(sb_en, sa_en)} · gap kind {kind_en} · severity {severity} · local firms {firms}"
    if change.get("became_gap"):
        detail, detail_en = f"新缺口 new gap · {detail}", f"new gap · {detail_en}"
    return segment_row(change, detail, detail_en)


def segment_row(item: dict[str, Any], detail: str, detail_en: str) -> dict[str, Any]:
    """A panel row naming a segment of a what-if answer (``segment_id``, its names) and linking to its view."""
    name = item.get("segment_name_zh") or item["segment_id"]
    return {
        "text": name,
        "text_en": item.get("segment_name_en") or name,
        "detail": detail,
        "detail_en": detail_en,
        "ref": ["segment", item["segment_id"]],
    }


def left_item(item: dict[str, Any]) -> dict[str, Any]:
    """A segment the firm leaves, as a row of ``chainkg what-if``'s table: local firms and anchors before → after.

    >>> row = left_item({"segment_id": "nev-vehicle", "segment_name_zh": "整车", "segment_name_en": "Vehicles",
    ...     "status_before": "strong", "status_after": "strong", "local_firms_before": 4, "local_firms_after": 3,
    ...     "anchors_before": 2, "anchors_after": 1, "direct": True})
    >>> row["text"], row["ref"], row["detail_en"]
    ('整车', ['segment', 'nev-vehicle'], 'local firms 4 → 3 · anchors 2 → 1 · status strong')
    >>> row["detail"]
    '本地企业 local firms 4 → 3 · 链主 anchors 2 → 1 · 现状 status 强链 Strong'
    """
    firms = f"{item['local_firms_before']} → {item['local_firms_after']}"
    anchors = f"{item['anchors_before']} → {item['anchors_after']}"
    status_zh = _change_words(*(STATUS_LABELS.get(c, c) for c in (item["status_before"], item["status_after"])))
    status_en = _change_words(*(_status_words(c)[1] for c in (item["status_before"], item["status_after"])))
    detail = f"本地企业 local firms {firms} · 链主 anchors {anchors} · 现状 status {status_zh}"
    detail_en = f"local firms {firms} · anchors {anchors} · status {status_en}"
    if not item.get("direct"):
        detail, detail_en = f"{detail} · 经下级环节 via sub-segment", f"{detail_en} · via sub-segment"
    return segment_row(item, detail, detail_en)


def note_items(note: dict[str, Any], removed: dict[str, tuple[str, str]] | None = None) -> list[dict[str, Any]]:
    """A note of the answer (:func:`queries.what_if.what_if_notes`) as panel items: its text in Chinese and
    English, then, for ``supply_partners``, each partner linking to its view (``removed``: the removed
    firms' names, Chinese and English, by id).

    >>> items = note_items({"code": "supply_partners", "zh": "捷翼失去客户", "en": "Jieyi loses a customer",
    ...     "partners": [{"id": "jieyi-auto", "name_zh": "捷翼", "name_en": "Jieyi", "loses": "customer",
    ...                   "firm_id": "li-auto", "confidence": "unverified"}]})
    >>> [(i["text_en"], i.get("ref")) for i in items]
    [('Jieyi loses a customer', None), ('Jieyi', ['firm', 'jieyi-auto'])]
    >>> items[1]["detail"]
    '失去客户 loses a customer: li-auto（待核实 unverified）'
    """
    items = [{"text": f"{note['zh']} {note['en']}", "text_en": note["en"]}]
    for partner in note.get("partners") or []:
        loses_zh = "失去客户" if partner["loses"] == "customer" else "失去供应商"
        unsure = partner.get("confidence") != "sourced"
        other_zh, other_en = (removed or {}).get(partner["firm_id"], (partner["firm_id"], partner["firm_id"]))
        items.append(
            {
                "text": partner.get("name_zh") or partner["id"],
                "text_en": partner.get("name_en") or partner.get("name_zh") or partner["id"],
                "detail": f"{loses_zh} loses a {partner['loses']}: {other_zh}"
                + ("（待核实 unverified）" if unsure else ""),
                "detail_en": f"loses a {partner['loses']}: {other_en}" + (" (unverified)" if unsure else ""),
                "ref": ["firm", partner["id"]],
            }
        )
    return items


def health_item(health: dict[str, Any], names: dict[str, dict[str, str]]) -> dict[str, Any]:
    """A cluster's health before and after, as ``chainkg what-if`` prints it, linking to the cluster's view.

    >>> health_item({"cluster_id": "nev", "score_before": 0.457566, "score_after": 0.426459, "delta": -0.031107},
    ...             {"nev": {"name_zh": "新能源汽车", "name_en": "NEVs"}})["detail_en"]
    'health 0.4576 → 0.4265 (-0.0311)'
    >>> health_item({"cluster_id": "x", "score_before": 0.5, "score_after": 0.5, "delta": 0.0}, {})["muted"]
    True
    """
    cid, delta = health["cluster_id"], health["delta"]
    if round(delta, 4):
        change_zh = change_en = f"{delta:+.4f}"
    elif delta:
        change_zh = change_en = "<0.0001"
    else:
        change_zh, change_en = "不变 unchanged", "unchanged"
    scores = f"{health['score_before']:.4f} → {health['score_after']:.4f}"
    name = names.get(cid, {})
    item = {
        "text": name.get("name_zh") or cid,
        "text_en": name.get("name_en") or name.get("name_zh") or cid,
        "detail": f"健康度 health {scores}（{change_zh}）",
        "detail_en": f"health {scores} ({change_en})",
        "ref": ["cluster", cid],
    }
    if not delta:
        item["muted"] = True
    return item


def what_if_sections(
    answer: dict[str, Any], firm_id: str, names: dict[str, dict[str, str]] | None = None
) -> list[dict[str, Any]]:
    """The details-panel sections "若该企业离开 If this firm left" from :func:`queries.what_if.what_if`'s answer.

    For a local firm: the headline (as ``chainkg what-if`` words it) and the status drops, each segment whose
    status or gap kind changes (linking to its view), how many others only shift in severity; then the
    segments the firm leaves (``segments_left``: local firms and anchors before → after, as the command's
    table, one item each since the panel lists items), the answer's notes (``coverage_only``: the scores
    count coverage, not size, and why the change is small; ``supply_partners``, each partner linking to
    its view; ``scope_shrinks``), the new gaps with their explanation, and the health of every cluster
    with a changed segment. For a firm outside
    Changzhou: the query's note, naming the command that also removes its local subsidiaries, and these.

    Parameters
    ----------
    answer : dict
        ``what_if(store, [firm_id])``.
    firm_id : str
        The firm that would leave (named in the command the panel points to).
    names : dict, optional
        ``name_zh``/``name_en`` by id, for the clusters and subsidiaries the answer names by id.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> from queries.what_if import what_if
    >>> sections = what_if_sections(what_if(MemoryStore(tiny_chain()), ["f-veh-a"]), "f-veh-a")
    >>> [s["title_en"] for s in sections]  # doctest: +NORMALIZE_WHITESPACE
    ['If this firm left', 'If this firm left: segments it leaves', 'If this firm left: notes',
     'If this firm left: cluster health']
    >>> sections[1]["items"][0]["detail_en"]
    'local firms 1 → 0 · anchors 1 → 0 · status weak → missing'
    >>> [i["text_en"] for i in sections[0]["items"]][:2]
    ['4 segments change: 1 in status or gap kind, 3 only in severity; 0 new gaps; in 1 cluster', \
'1 segment weak → missing']
    """
    names = names or {}
    title, title_en = WHAT_IF_TITLE
    notes = [n for n in answer.get("notes", []) if n.get("code") == "outside_firms"]
    if notes:
        items = []
        for note in notes:
            subsidiaries = note.get("local_subsidiaries")
            worded = outside_note(
                note["firm_ids"],
                option=f"chainkg what-if {firm_id} --with-subsidiaries",
                local_subsidiaries=subsidiaries,
            )
            items.append({"text": f"{worded['zh']} {worded['en']}", "text_en": worded["en"]})
            for sid in sorted({s for units in (subsidiaries or {}).values() for s in units}):
                name = names.get(sid, {})
                zh = name.get("name_zh") or sid
                items.append(
                    {
                        "text": f"在常子公司 Local subsidiary: {zh}",
                        "text_en": f"Local subsidiary: {name.get('name_en') or zh}",
                        "ref": ["firm", sid],
                    }
                )
        return [{"title": title, "title_en": title_en, "items": items}]
    zh, en = summary_words(answer["summary"])
    items = [{"text": f"{zh} {en}", "text_en": en}]
    items += [{"text": zh_line, "text_en": en_line} for zh_line, en_line in status_drops(answer["changes"])]
    shown = [c for c in answer["changes"] if c["status_changed"] or c["became_gap"]]
    items += [change_item(c) for c in shown]
    hidden = len(answer["changes"]) - len(shown)
    if hidden:
        command = f"chainkg what-if {firm_id} --all"
        if shown:
            zh = f"另有 {hidden} 个环节仅严重度变化（{command} 列出）"
            en = f"{hidden} more segment{'' if hidden == 1 else 's'} only shift in severity ({command} lists them)"
        else:  # under the headline that counts them, as the command prints it
            zh = f"{command} 列出各环节前后的严重度"
            en = f"{command} lists them with their severity before and after"
        items.append({"text": f"{zh} {en}", "text_en": en, "muted": True})
    sections = [{"title": title, "title_en": title_en, "items": items}]
    if answer.get("segments_left"):
        left_title, left_title_en = WHAT_IF_LEFT_TITLE
        left = [left_item(s) for s in answer["segments_left"]]
        sections.append({"title": left_title, "title_en": left_title_en, "items": left})
    others = [n for n in answer.get("notes", []) if n.get("code") != "outside_firms"]
    gone = {f["id"]: (f.get("name_zh") or f["id"], f.get("name_en") or f["id"]) for f in answer.get("removed", [])}
    if others:
        notes_title, notes_title_en = WHAT_IF_NOTES_TITLE
        sections.append(
            {
                "title": notes_title,
                "title_en": notes_title_en,
                "items": [i for n in others for i in note_items(n, gone)],
            }
        )
    if answer["new_gaps"]:
        gap_list = gap_items(answer["new_gaps"])
        for item, gap in zip(gap_list, sorted(answer["new_gaps"], key=_gap_order), strict=True):
            item["detail"] = gap.get("explanation_zh") or gap.get("explanation_en") or ""
            item["detail_en"] = gap.get("explanation_en") or gap.get("explanation_zh") or ""
        sections.append({"title": "若该企业离开：新缺口 If this firm left: new gaps",
                         "title_en": "If this firm left: new gaps", "items": gap_list})  # fmt: skip
    if answer["health"]:
        sections.append(
            {
                "title": "若该企业离开：集群健康度 If this firm left: cluster health",
                "title_en": "If this firm left: cluster health",
                "items": [health_item(h, names) for h in answer["health"]],
            }
        )
    return sections


def _gap_order(gap: dict[str, Any]) -> tuple[float, str]:
    """The order of :func:`viz.parts.gap_items`: most severe first, then id."""
    return -float(gap.get("severity") or 0), gap["segment_id"]


def firm_network(data: dict[str, Any]) -> ViewNetwork:
    """Build a firm's neighbourhood view from :func:`gather_firm`'s result."""
    firm = data["firm"]
    fid = firm["id"]
    net = ViewNetwork(
        kind="firm",
        subject_id=fid,
        title=display_name(firm["name_zh"], firm["name_en"]),
        api_path=f"/api/v1/firms/{fid}",
    )
    net.subtitle = "企业关系 A firm's segments, suppliers, customers, parent and subsidiaries"
    net.search_index = data["index"]
    net.focus_id = fid
    net.title_en = firm["name_en"] or firm["name_zh"]
    net.subtitle_en = "A firm's segments, suppliers, customers, parent and subsidiaries"
    is_anchor = any(s.get("role") == "anchor" for s in firm["segments"]) or "链主" in firm.get("tags", [])
    info, title = firm_info(firm, data["firm_sources"])
    district = firm.get("district")
    if district:
        info["fields"] = [f for f in info["fields"] if f[0] != "区县 District"]
        district_en = district["name_en"] or district["name_zh"]
        info["fields"].append(["区县 District", display_name(district["name_zh"], district["name_en"]), district_en])
    if firm.get("hq"):
        # as the data give it; in English the glossary's name (queries.places), else the same
        info["fields"].append(["总部 HQ", firm["hq"], firm.get("hq_en") or firm["hq"]])
    info["sections"] = [
        {
            "title": "环节 Segments",
            "items": [
                {
                    "text": f"{s['name_zh']} · {role_text(s.get('role') or '', is_local=firm['is_local'])[0]}",
                    "text_en": f"{s.get('name_en') or s['name_zh']} · "
                    + role_text(s.get("role") or "", is_local=firm["is_local"])[1],
                    "ref": ["segment", s["id"]],
                }
                for s in firm["segments"]
            ],
        }
    ]
    if data.get("candidacy"):
        info["sections"].append(candidacy_section(data["candidacy"], data["clusters"]))
    # what if it left: for an outside firm only when it has local units (otherwise nothing local changes)
    if "what_if" in data and (firm["is_local"] or _names_local_units(data["what_if"])):
        info["sections"] += what_if_sections(data["what_if"], fid, data.get("what_if_names"))
    style = firm_style(is_local=firm["is_local"], anchor=is_anchor)
    style["size"] = 26
    style["font"] = {**style["font"], "size": 16}
    style["label_en"] = shorten(firm.get("name_en") or "", 24)
    net.add_view_node(
        fid, shorten(firm["name_zh"], 24), kind="firm", info=info, title=title.zh, title_en=title.en, **style
    )

    for cid, cluster in data["clusters"].items():
        cinfo = {
            "name_zh": cluster["name_zh"],
            "name_en": cluster["name_en"],
            "sources": cluster["sources_ref"],
        }
        ctitle = tooltips(
            [display_name(cluster["name_zh"], cluster["name_en"]), f"集群 Cluster · {cid}"],
            [cluster["name_en"] or cluster["name_zh"], f"Cluster · {cid}"],
            sources=cluster["sources_ref"],
        )
        net.add_view_node(
            cid,
            shorten(cluster["name_zh"], 16),
            label_en=shorten(cluster["name_en"] or "", 24),
            kind="cluster",
            info=cinfo,
            title=ctitle.zh,
            title_en=ctitle.en,
            shape="dot",
            size=14,
            color=node_colour(COLOURS["cluster"]),
        )
    named = [(fid, firm), *data["clusters"].items(), *((seg["id"], seg) for seg in firm["segments"])]
    names = {node_id: node["name_zh"] for node_id, node in named}
    names_en = {node_id: node.get("name_en") or node["name_zh"] for node_id, node in named}
    for seg in firm["segments"]:
        seg_gaps = data["gaps"].get(seg["id"], [])
        sinfo, stitle = segment_info(
            seg,
            seg_gaps,
            data["segment_sources"].get(seg["id"], []),
            cluster_name=data["clusters"].get(seg["cluster_id"], {}).get("name_zh", ""),
            cluster_name_en=data["clusters"].get(seg["cluster_id"], {}).get("name_en", ""),
        )
        net.add_view_node(
            seg["id"],
            shorten(seg["name_zh"]),
            label_en=shorten(seg.get("name_en") or "", 28),
            kind="segment",
            info=sinfo,
            title=stitle.zh,
            title_en=stitle.en,
            **segment_style(k for g in seg_gaps for k in gap_kinds(g)),
        )
        role, role_en = role_words(seg.get("role") or "")
        net.add_view_edge(
            fid,
            seg["id"],
            **edge_titles(
                "OPERATES_IN",
                fid,
                seg["id"],
                data["edge_sources"].get(seg["id"], []),
                names,
                names_en,
                extra=(role, role_en),
                confidence=seg.get("confidence", ""),
            ),
            label=zh_part(role),
            label_en=role_en,
            color=COLOURS["edge"],
        )
        if seg["cluster_id"] in net.node_map:
            net.add_view_edge(
                seg["id"],
                seg["cluster_id"],
                **edge_titles(
                    "PART_OF", seg["id"], seg["cluster_id"], data["part_of_sources"].get(seg["id"], []), names, names_en
                ),
                color=COLOURS["other_cluster"],
                dashes=True,
            )

    neighbours = list(data["neighbours"].items())
    if len(neighbours) > MAX_NEIGHBOURS:
        rest = neighbours[MAX_NEIGHBOURS:]
        neighbours = neighbours[:MAX_NEIGHBOURS]
        too_many = (
            f"{len(data['neighbours'])} related firms: the first {MAX_NEIGHBOURS} are drawn, "
            f"the other {len(rest)} are listed in the '+{len(rest)}' node; the JSON API lists them all."
        )
        net.add_note(f"关联企业过多 {too_many}", too_many)
        info = {
            "name_zh": f"另有 {len(rest)} 家关联企业",
            "name_en": f"{len(rest)} more related firms (collapsed)",
            "sections": [
                {
                    "title": "企业 Firms",
                    "items": [{"text": o["name_zh"], "ref": ["firm", oid]} for oid, o in rest[:LIST_COLLAPSED]],
                }
            ],
            "sources": [],
        }
        sources = [ref for _, o in rest[:3] for ref in o["sources_ref"]]
        net.add_view_node(
            "agg:more",
            f"+{len(rest)}",
            kind="aggregate",
            info=info,
            title=tooltip(f"另有 {len(rest)} 家关联企业 {len(rest)} more related firms", sources=sources),
            title_en=tooltip(f"{len(rest)} more related firms", sources=sources, english=True),
            shape="dot",
            value=len(rest),
            color=node_colour(COLOURS["aggregate"]),
        )
        net.add_view_edge(
            fid,
            "agg:more",
            title=tooltip(f"{len(rest)} more relations", sources=sources),
            title_en=tooltip(f"{len(rest)} more relations", sources=sources, english=True),
            arrows="",
        )
    for nid, other in neighbours:
        oinfo, otitle = firm_info(other, other["sources_ref"])
        net.add_view_node(
            nid,
            shorten(other["name_zh"], 20),
            label_en=shorten(other.get("name_en") or "", 24),
            kind="firm",
            info=oinfo,
            title=otitle.zh,
            title_en=otitle.en,
            **firm_style(is_local=other["is_local"], anchor="链主" in other.get("tags", [])),
        )
    names.update({k: v["name_zh"] for k, v in data["neighbours"].items()})
    names_en.update({k: v.get("name_en") or v["name_zh"] for k, v in data["neighbours"].items()})
    for rel in data["relations"]:
        if rel["source"] not in net.node_map or rel["target"] not in net.node_map:
            continue
        extra = f"{rel['year']}" if rel.get("year") else ""
        label = EDGE_LABELS[rel["kind"]]
        label_zh, label_en = RELATION_LABELS.get(rel["kind"]) or (zh_part(label), english_part(label).lower())
        net.add_view_edge(
            rel["source"],
            rel["target"],
            **edge_titles(
                rel["kind"],
                rel["source"],
                rel["target"],
                rel["sources_ref"],
                names,
                names_en,
                extra=extra,
                confidence=rel["confidence"],
            ),
            label=label_zh,
            label_en=label_en,
            color=COLOURS["edge_cross"] if rel["kind"] == "SUPPLIES_TO" else COLOURS["edge"],
            dashes=rel["kind"] == "SUBSIDIARY_OF",
        )
    net.options["physics"]["stabilization"]["iterations"] = 200
    if net.num_nodes() > RING_LAYOUT_OVER:
        ring_layout(net, fid)
    net.legend = [
        LegendEntry("链主企业 Anchor firm", COLOURS["anchor"], "star"),
        LegendEntry("本地企业 Local firm", COLOURS["firm"], "dot"),
        LegendEntry("外地企业 Outside firm", COLOURS["outside"], "dot"),
        LegendEntry("环节 Segment", COLOURS["segment"]),
        LegendEntry(f"{GAP_LABELS['missing']} segment", COLOURS["missing"]),
        LegendEntry(f"{GAP_LABELS['weak']} segment", COLOURS["weak"]),
        LegendEntry("集群 Cluster", COLOURS["cluster"], "dot"),
    ]
    return net
