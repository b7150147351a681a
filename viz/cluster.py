"""A cluster's chain: segments in columns upstream → downstream, gaps in colour, firms on click or by a toggle.

Columns follow the segments' position (upstream, midstream, downstream,
support) and, within a position, the supply order. :func:`viz.layout.column_layout`
places every node in Python (physics off), so the view is still at once and stays
put when firms are shown. Anchor firms are always shown (gold stars) next to the
segment they lead; other firms are hidden until their segment is clicked (they
appear next to it) or "show all firms" is ticked. Over :data:`MAX_NODES` nodes,
firms are collapsed into one node per segment. A heading over each stage's columns (上游 / 中游 / 下游 /
支撑, :func:`stage_headings`) names the chain's order; the legend (:func:`cluster_legend`) has an entry for
each mark drawn and no other; a node standing for other clusters' segments lists its supply pairs
(:func:`supply_pairs`), as ``chainkg cluster-links`` does.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> net = cluster_network(gather_cluster(MemoryStore(tiny_chain()), "t-nev"))
>>> net.node_map["t-lithium"]["color"]["background"], net.node_map["t-cathode"]["color"]["background"]
('#e15759', '#f28e2b')
>>> net.node_map["f-cell-a"]["shape"], net.node_map["f-cell-b"]["hidden"]
('star', True)
>>> [net.node_map[s]["level"] for s in ("t-lithium", "t-cathode", "t-cell", "t-vehicle")]
[0, 1, 2, 4]
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.model import POSITION_ORDER, EdgeKind, Firm, Position
from graph.store import GraphStore
from queries.chain import chain
from queries.clusters import get_cluster
from queries.firms import firm_summary
from queries.gaps import gaps
from queries.layer_data import layer_data
from queries.projects import list_projects
from viz.layout import HEADING_FONT, column_layout, place_headings
from viz.page import ViewNetwork
from viz.parts import (
    UNVERIFIED_MARK,
    district_of,
    edge_title,
    edge_titles,
    firm_info,
    firm_style,
    gap_kinds,
    gap_summary,
    gaps_section,
    link_count_words,
    local_firms_en,
    project_line,
    project_line_en,
    role_text,
    role_words,
    segment_info,
    segment_style,
    supply_group_title,
)
from viz.search_index import search_index
from viz.sources import SourceBook
from viz.style import (
    COLOURS,
    GAP_LABELS,
    POSITION_LABELS,
    LegendEntry,
    display_name,
    english_part,
    faded,
    firm_label,
    node_colour,
    shorten,
    tooltip,
    tooltips,
    unique_sources,
    wrap,
    wrap_en,
)

MAX_NODES = 1500
"""Above this many nodes a cluster view collapses its firms into one node per segment."""

ROLE_ORDER = {"anchor": 0, "major": 1, "member": 2}
LIST_FIRMS = 40
"""At most this many firms are listed in a segment's details panel."""
MAX_EXTERNAL = 6
"""Over this many other clusters' segments, they are grouped per cluster."""
MAX_PAIRS = 8
"""At most this many linked pairs or names are listed in one tooltip."""


def gather_cluster(store: GraphStore, cluster_id: str, year: int | None = None) -> dict[str, Any]:
    """Collect a cluster's chain, its gaps, the firms of each segment and every source cited.

    Raises ``NodeNotFound`` (with the nearest ids) for an unknown cluster.
    """
    cluster = get_cluster(store, cluster_id)
    ch = chain(store, cluster_id, year=year)
    book = SourceBook.from_store(store)
    segments = []
    for seg in ch["segments"]:
        node = store.node(seg["id"])
        extra = {}
        if node is not None:
            extra = {
                "confidence": node.confidence.value,
                "note": node.note,
                "description": getattr(node, "description", ""),
                "parent_id": getattr(node, "parent_id", ""),
                "cluster_id": getattr(node, "cluster_id", cluster_id),
            }
        segments.append({**seg, **extra, "sources_ref": book.refs(node.sources if node else ())})
    own = {s["id"] for s in segments}
    links = [{**link, "sources_ref": book.refs(link.get("sources", []))} for link in ch["links"]]
    others: dict[str, dict[str, Any]] = {}
    for ext in ch.get("external_segments", []):
        node = store.node(ext["id"])
        owner = store.node(ext.get("cluster_id", ""))
        others[ext["id"]] = {
            **ext,
            "cluster_name": owner.name_zh if owner else "",
            "cluster_name_en": owner.name_en if owner else "",
            "sources_ref": book.refs(node.sources if node else ()),
        }
    firms: dict[str, dict[str, Any]] = {}
    districts: dict[str, Any] = {}
    memberships = []
    for sid in own:
        for edge in store.edges(EdgeKind.OPERATES_IN, target=sid):
            if year is not None and edge.year is not None and edge.year > year:
                continue
            node = store.node(edge.source)
            if not isinstance(node, Firm):
                continue
            if node.id not in firms:
                firms[node.id] = {
                    **firm_summary(node),
                    "district": district_of(store, node.district_id, districts),
                    "note": node.note,
                    "sources_ref": book.refs(node.sources),
                }
            memberships.append(
                {
                    "firm": node.id,
                    "segment": sid,
                    "role": edge.role.value if edge.role else "member",
                    "confidence": edge.confidence.value,
                    "year": edge.year,
                    "sources_ref": book.refs(edge.sources),
                }
            )
    memberships.sort(key=lambda m: (m["segment"], ROLE_ORDER.get(m["role"], 9), m["firm"]))
    projects, tiers = _layers(store, cluster_id, year, set(firms))
    for fid, held in tiers.items():
        firms[fid]["tiers"] = held
    return {
        "cluster": cluster,
        "cluster_sources": book.refs(cluster.get("sources", [])),
        "segments": segments,
        "links": links,
        "others": others,
        "firms": firms,
        "memberships": memberships,
        "gaps": gaps(store, cluster=cluster_id),
        "index": search_index(store),
        "year": year,
        "projects": projects,
    }


def _layers(
    store: GraphStore, cluster_id: str, year: int | None, firm_ids: set[str]
) -> tuple[list[dict[str, Any]], dict[str, list[dict[str, Any]]]]:
    """The cluster's major projects (as of ``year``) and, per firm shown, the tiers it holds (names, year, batch)."""
    projects = [
        p
        for p in list_projects(store, cluster=cluster_id, limit=100_000)["items"]
        if year is None or p["year"] is None or p["year"] <= year
    ]
    layers = layer_data(store)
    tiers: dict[str, list[dict[str, Any]]] = {}
    for fid in sorted(firm_ids):
        for edge in layers.tiers_of_firm.get(fid, []):
            tier = layers.tiers.get(edge.target)
            if tier is not None and (year is None or edge.year is None or edge.year <= year):
                held = {"name_zh": tier.name_zh, "name_en": tier.name_en, "year": edge.year, "batch": edge.batch}
                tiers.setdefault(fid, []).append(held)
    return projects, tiers


def stage_of(segment: dict[str, Any]) -> Position:
    """The stage whose columns a segment stands in: its position, midstream when it has none or an unknown one.

    >>> stage_of({"position": "upstream"}), stage_of({"position": ""}), stage_of({"position": "sideways"})
    (<Position.UPSTREAM: 'upstream'>, <Position.MIDSTREAM: 'midstream'>, <Position.MIDSTREAM: 'midstream'>)
    """
    try:
        return Position(segment.get("position") or "midstream")
    except ValueError:
        return Position.MIDSTREAM


def column_levels(segments: list[dict[str, Any]], links: list[dict[str, Any]]) -> dict[str, int]:
    """Column of each segment: by position first, then by supply depth within the position.

    >>> segs = [{"id": "a", "position": "upstream"}, {"id": "b", "position": "upstream"},
    ...         {"id": "c", "position": "midstream"}, {"id": "d", "position": "support"}]
    >>> column_levels(segs, [{"source": "a", "target": "b"}, {"source": "b", "target": "c"}])
    {'a': 0, 'b': 1, 'c': 2, 'd': 3}
    """
    by_position: dict[int, list[str]] = defaultdict(list)
    for seg in segments:
        by_position[POSITION_ORDER[stage_of(seg)]].append(seg["id"])
    preds: dict[str, set[str]] = defaultdict(set)
    for link in links:
        preds[link["target"]].add(link["source"])
    levels: dict[str, int] = {}
    offset = 0
    for rank in sorted(by_position):
        members = by_position[rank]
        inside = set(members)
        depth: dict[str, int] = {}

        def depth_of(sid: str, seen: frozenset[str], inside: set[str] = inside, depth: dict[str, int] = depth) -> int:
            if sid in depth:
                return depth[sid]
            before = [p for p in preds[sid] if p in inside and p not in seen]
            value = 1 + max((depth_of(p, seen | {sid}) for p in before), default=-1)
            depth[sid] = value
            return value

        for sid in members:
            depth_of(sid, frozenset())
        for sid in members:
            levels[sid] = offset + depth[sid]
        offset += max(depth.values()) + 1
    return levels


def _firm_item(m: dict[str, Any], firm: dict[str, Any]) -> dict[str, Any]:
    role, role_en = role_text(m["role"], is_local=firm["is_local"])
    item: dict[str, Any] = {
        "text": f"{firm['name_zh']} · {role}",
        "text_en": f"{firm.get('name_en') or firm['name_zh']} · {role_en}",
        "ref": ["firm", firm["id"]],
    }
    if not firm["is_local"]:
        item["muted"] = True
    return item


def _segment_firm_items(members: list[dict[str, Any]], firms: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    items = [_firm_item(m, firms[m["firm"]]) for m in members[:LIST_FIRMS]]
    if len(members) > LIST_FIRMS:
        items.append({"text": f"… +{len(members) - LIST_FIRMS}"})
    return items


def firm_sections(members: list[dict[str, Any]], firms: dict[str, dict[str, Any]]) -> list[dict[str, Any]]:
    """A segment's firms for its panel: the local firms with their roles, then the outside firms in a section of
    their own, muted, their role marked as outside (CATL leads the cell segment as a group from outside
    Changzhou: it is not a local anchor).

    >>> firms = {"a": {"id": "a", "name_zh": "甲", "is_local": True},
    ...          "o": {"id": "o", "name_zh": "外", "is_local": False}}
    >>> for section in firm_sections([{"firm": "o", "role": "anchor"}, {"firm": "a", "role": "major"}], firms):
    ...     print(section["title"], [i["text"] for i in section["items"]])
    本地企业 Local firms (1) ['甲 · 骨干 Major']
    外地企业 Outside firms (1) ['外 · 外地 outside · 链主角色 anchor role, not local']
    """
    local = [m for m in members if firms[m["firm"]]["is_local"]]
    outside = [m for m in members if not firms[m["firm"]]["is_local"]]
    sections = [{"title": f"本地企业 Local firms ({len(local)})", "items": _segment_firm_items(local, firms)}]
    if outside:
        sections.append(
            {"title": f"外地企业 Outside firms ({len(outside)})", "items": _segment_firm_items(outside, firms)}
        )
    return sections


def cluster_network(data: dict[str, Any]) -> ViewNetwork:
    """Build a cluster's chain view from :func:`gather_cluster`'s result."""
    cluster = data["cluster"]
    cid = cluster["id"]
    net = ViewNetwork(
        kind="cluster",
        subject_id=cid,
        title=display_name(cluster["name_zh"], cluster["name_en"]),
        api_path=f"/api/v1/clusters/{cid}",
    )
    net.subtitle = (
        "产业链 Chain, upstream → downstream · 红＝缺链 missing · 琥珀＝弱链 weak · "
        "单击环节显示企业 click a segment for its firms"
    )
    net.search_index = data["index"]
    net.firm_toggle = True
    net.title_en = cluster["name_en"] or cluster["name_zh"]
    net.subtitle_en = "Chain, upstream → downstream · red: missing · amber: weak · click a segment for its firms"
    segments = data["segments"]
    links = list(data["links"])
    own_links = [link for link in links if not link.get("cross_cluster")]
    levels = column_levels(segments, own_links)
    gaps_by_segment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for gap in data["gaps"]:
        gaps_by_segment[gap["segment_id"]].append(gap)
    members_by_segment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for m in data["memberships"]:
        members_by_segment[m["segment"]].append(m)
    projects_by_segment: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for project in data.get("projects", []):
        for seg in project["segments"]:
            projects_by_segment[seg["id"]].append(project)
    firms = data["firms"]
    anchors = {m["firm"] for m in data["memberships"] if m["role"] == "anchor" and firms[m["firm"]]["is_local"]}
    total = len(segments) + len(data["others"]) + len(firms)
    aggregate = total > MAX_NODES
    if aggregate:
        collapsed = (
            f"{total} nodes > {MAX_NODES}: firms are collapsed into one node per segment "
            "(anchor firms still shown); open a segment for its firms."
        )
        net.add_note(f"企业过多，已按环节汇总 {collapsed}", collapsed[0].upper() + collapsed[1:])

    for seg in segments:
        sid = seg["id"]
        seg_gaps = gaps_by_segment.get(sid, [])
        kinds = [k for g in seg_gaps for k in gap_kinds(g)]
        info, title = segment_info(
            seg,
            seg_gaps,
            seg["sources_ref"],
            cluster_name=cluster["name_zh"],
            cluster_name_en=cluster.get("name_en", ""),
        )
        members = members_by_segment.get(sid, [])
        info["sections"] = [
            {
                "title": "本地链主 Local anchor firms",
                "items": [
                    {"text": a["name_zh"], "text_en": a.get("name_en") or a["name_zh"], "ref": ["firm", a["id"]]}
                    for a in seg.get("anchor_firms", [])
                ],
            },
            *firm_sections(members, firms),
        ]
        seg_projects = projects_by_segment.get(sid, [])
        if seg_projects:
            info["sections"].append(
                {
                    "title": f"重大项目 Major projects ({len(seg_projects)})",
                    "items": [
                        {"text": project_line(p), "text_en": project_line_en(p)} for p in seg_projects[:LIST_FIRMS]
                    ],
                }
            )
            title = title._replace(
                zh=title.zh + "".join(f"\n重大项目 Project: {project_line(p)}" for p in seg_projects[:MAX_PAIRS]),
                en=title.en + "".join(f"\nProject: {project_line_en(p)}" for p in seg_projects[:MAX_PAIRS]),
            )
        if seg.get("description"):
            info["fields"].append(["说明 Description", seg["description"], seg["description"]])  # as the data give it
        count = seg.get("local_firm_count", 0)
        label = f"{wrap(seg['name_zh'])}\n{count} 家本地企业"
        label_en = f"{wrap_en(seg.get('name_en') or seg['name_zh'])}\n{local_firms_en(count)}"
        style = {**segment_style(kinds), "level": levels[sid], "label_en": label_en}
        net.add_view_node(sid, label, kind="segment", info=info, title=title.zh, title_en=title.en, **style)

    names = {s["id"]: s["name_zh"] for s in segments}
    where = _add_external(net, data, links, max(levels.values(), default=0))
    names.update({oid: other["name_zh"] for oid, other in data["others"].items()})
    names_en = {s["id"]: s.get("name_en") or s["name_zh"] for s in [*segments, *data["others"].values()]}
    broken = {g["segment_id"] for g in data["gaps"] if "broken_link" in gap_kinds(g)}
    drawn: dict[tuple[str, str], list[dict[str, Any]]] = defaultdict(list)
    for link in links:
        a, b = where.get(link["source"], link["source"]), where.get(link["target"], link["target"])
        if a in net.node_map and b in net.node_map:
            drawn[(a, b)].append(link)
    for (a, b), group in drawn.items():
        cross = any(link.get("cross_cluster") for link in group)
        is_broken = any(link["source"] in broken for link in group)
        # an arrow is as unverified as its weakest link (the CLI and API count a pair's unverified links)
        unverified = any(link.get("confidence", "sourced") != "sourced" for link in group)
        words = ["跨集群 cross-cluster"] if cross else []
        # an arrow's 断链 mark follows its own supply rows: it is unverified only if every link out of a
        # broken segment in the arrow is unverified, whatever the segment's kinds_unverified say (review 9, #1)
        broken_links = [link for link in group if link["source"] in broken]
        if is_broken and all(link.get("confidence", "sourced") != "sourced" for link in broken_links):
            words.append("断链（待核实） broken link (unverified): nothing local supplies this")
        elif is_broken:
            words.append("断链 broken link: nothing local supplies this")
        refs = [ref for link in group for ref in link["sources_ref"]]
        titles = {}
        for english, named in ((False, names), (True, names_en)):
            extra = " · ".join(english_part(w) if english else w for w in words)
            if len(group) == 1:
                titles[english] = edge_title(
                    "SUPPLIES",
                    named.get(group[0]["source"], a),
                    named.get(group[0]["target"], b),
                    refs,
                    extra=extra,
                    confidence=group[0].get("confidence", ""),
                    english=english,
                )
            else:
                pairs = [
                    (
                        named.get(x["source"], x["source"]),
                        named.get(x["target"], x["target"]),
                        x.get("confidence", "sourced") != "sourced",
                    )
                    for x in group
                ]
                titles[english] = supply_group_title(pairs, refs, extra=extra, english=english, limit=MAX_PAIRS)
        colour = COLOURS["broken_link"] if is_broken else (COLOURS["edge_cross"] if cross else COLOURS["edge"])
        net.add_view_edge(
            a,
            b,
            title=titles[False],
            title_en=titles[True],
            width=3 if is_broken else 2,
            color=faded(colour) if unverified else colour,
            dashes=cross,
        )
    for seg in segments:
        parent = seg.get("parent_id")
        if parent and parent in net.node_map:
            net.add_view_edge(
                seg["id"],
                parent,
                title=tooltip(
                    f"细分 Sub-segment: {seg['name_zh']} ⊂ {names.get(parent, parent)}", sources=seg["sources_ref"]
                ),
                title_en=tooltip(
                    f"Sub-segment: {names_en[seg['id']]} ⊂ {names_en.get(parent, parent)}",
                    sources=seg["sources_ref"],
                    english=True,
                ),
                color=COLOURS["other_cluster"],
                dashes=[2, 4],
                arrows="",
            )

    gap_text, gap_text_en = gap_summary(data["gaps"])
    net.summary = {
        "kind": "cluster",
        "id": cid,
        "name_zh": cluster["name_zh"],
        "name_en": cluster["name_en"],
        "fields": [["缺口 Gaps", gap_text, gap_text_en]],
        "sections": [gaps_section(data["gaps"])],
        "sources": data["cluster_sources"],
    }
    attached = _add_firms(net, data, levels, members_by_segment, anchors, aggregate)
    column_layout(net, attached)
    _add_stage_headings(net, segments, levels)
    net.legend = cluster_legend(net)
    return net


STAGE_NAMES = {
    Position.UPSTREAM: ("上游", "Upstream"),
    Position.MIDSTREAM: ("中游", "Midstream"),
    Position.DOWNSTREAM: ("下游", "Downstream"),
    Position.SUPPORT: ("支撑", "Support"),
}
"""A stage heading's label on the Chinese page and on the English page (as :data:`viz.style.POSITION_LABELS`)."""
STAGE_KIND = "stage"
"""The ``info["kind"]`` of a stage heading: a fixed label over a stage's columns, not a node of the graph."""


def stage_headings(net: ViewNetwork) -> list[dict[str, Any]]:
    """The stage headings of a cluster view (上游 / 中游 / 下游 / 支撑 over their columns), left to right.

    They are text drawn over the chain, not nodes of the graph: a test or a count of the chain's nodes leaves them
    out by their kind, :data:`STAGE_KIND`.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> net = cluster_network(gather_cluster(MemoryStore(tiny_chain()), "t-nev"))
    >>> [(h["label"], h["label_en"]) for h in stage_headings(net)]
    [('上游', 'Upstream'), ('中游', 'Midstream'), ('下游', 'Downstream')]
    """
    found = [n for n in net.nodes if n.get("info", {}).get("kind") == STAGE_KIND]
    return sorted(found, key=lambda n: n["x"])


def _add_stage_headings(net: ViewNetwork, segments: list[dict[str, Any]], levels: dict[str, int]) -> None:
    """Put a heading over each stage's columns (:func:`viz.layout.place_headings`): fixed text, not draggable,
    not highlighted; its tooltip and panel name the stage's segments and the sources that place them there."""
    by_stage: dict[Position, list[dict[str, Any]]] = defaultdict(list)
    for seg in segments:
        by_stage[stage_of(seg)].append(seg)
    groups: dict[str, set[int]] = {}
    for stage in sorted(by_stage, key=POSITION_ORDER.__getitem__):
        members = by_stage[stage]
        zh, en = STAGE_NAMES[stage]
        count = f"{len(members)} 个环节 segment{'' if len(members) == 1 else 's'}"
        count_en = f"{len(members)} segment{'' if len(members) == 1 else 's'}"
        sources = unique_sources(ref for seg in members for ref in seg["sources_ref"])
        names = "、".join(seg["name_zh"] for seg in members[:MAX_PAIRS]) + ("…" if len(members) > MAX_PAIRS else "")
        names_en = "; ".join(seg.get("name_en") or seg["name_zh"] for seg in members[:MAX_PAIRS])
        title = tooltips(
            [f"{POSITION_LABELS[stage.value]}: {count}", names],
            [f"{en}: {count_en}", names_en + ("…" if len(members) > MAX_PAIRS else "")],
            sources=sources,
        )
        # no name_zh: the panel heads with the label (上游), and the English page shows no Chinese under "Upstream"
        info = {
            "name_en": en,
            "fields": [["环节 Segments", str(len(members))]],
            "sections": [
                {
                    "title": f"{POSITION_LABELS[stage.value]} · 环节 Segments",
                    "title_en": f"{en} · Segments",
                    "items": [
                        {
                            "text": seg["name_zh"],
                            "text_en": seg.get("name_en") or seg["name_zh"],
                            "ref": ["segment", seg["id"]],
                        }
                        for seg in members
                    ],
                }
            ],
            "sources": sources,
        }
        node_id = f"stage:{stage.value}"
        net.add_view_node(
            node_id,
            zh,
            label_en=en,
            kind=STAGE_KIND,
            info=info,
            title=title.zh,
            title_en=title.en,
            shape="text",
            font={"size": HEADING_FONT, "color": "#444444"},
            fixed=True,
            chosen=False,
            physics=False,
        )
        groups[node_id] = {levels[seg["id"]] for seg in members}
    place_headings(net, groups)


def cluster_legend(net: ViewNetwork) -> list[LegendEntry]:
    """The legend of a cluster view: one entry for each mark drawn in it (shown at once or on a click), no other.

    Read from the nodes and edges themselves, so that an entry never names a mark the view does not draw and
    every mark drawn has its entry: green segments (强链 strong and 一般 present alike), red and amber, the
    thick purple border and arrow of a broken link, the dashed border of an extension, other clusters' grey
    boxes, plain, cross-cluster (dashed) and unverified (faded) supply arrows, the dotted line of a sub-segment
    to its parent, firms, their lines to their segment, and collapsed firms.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> for entry in cluster_legend(cluster_network(gather_cluster(MemoryStore(tiny_chain()), "t-nev")))[:3]:
    ...     print(entry.label)
    环节：强链或一般 Segment: strong or present
    缺链 Missing segment (no local firm in the data)
    弱链 Weak segment
    """
    drawn: set[str] = set()
    for node in net.nodes:
        kind = node.get("info", {}).get("kind")
        colour = node.get("color", {})
        background = colour.get("background") if isinstance(colour, dict) else colour
        if kind in ("segment", "cluster"):
            if background == COLOURS["other_cluster"]:
                drawn.add("grouped" if kind == "cluster" else "other")
                continue
            drawn.add({COLOURS["missing"]: "missing", COLOURS["weak"]: "weak"}.get(background, "segment"))
            if isinstance(colour, dict) and colour.get("border") == COLOURS["broken_link"]:
                drawn.add("broken_segment")
            if node.get("shapeProperties", {}).get("borderDashes"):
                drawn.add("extension")
        elif kind == "firm":
            drawn.add(
                "anchor" if node.get("shape") == "star" else "firm" if background == COLOURS["firm"] else "outside"
            )
        elif kind == "aggregate":
            drawn.add("aggregate")
    for edge in net.edges:
        colour = edge.get("color")
        if edge.get("arrows") == "":
            drawn.add("sub_segment" if edge.get("dashes") else "firm_line")
        elif colour == COLOURS["broken_link"] or colour == faded(COLOURS["broken_link"]):
            drawn.add("broken_link")
        if edge.get("arrows") != "":
            if edge.get("dashes"):
                drawn.add("cross")
            elif colour == COLOURS["edge"]:
                drawn.add("supply")
            if isinstance(colour, str) and colour.startswith("rgba("):
                drawn.add("unverified")
    return [entry for keys, entry in LEGEND if keys & drawn]


LEGEND: list[tuple[frozenset[str], LegendEntry]] = [
    (frozenset({"segment"}), LegendEntry("环节：强链或一般 Segment: strong or present", COLOURS["segment"])),
    (
        frozenset({"missing"}),
        LegendEntry(f"{GAP_LABELS['missing']} segment (no local firm in the data)", COLOURS["missing"]),
    ),
    (frozenset({"weak"}), LegendEntry(f"{GAP_LABELS['weak']} segment", COLOURS["weak"])),
    (
        frozenset({"extension"}),
        LegendEntry(f"{GAP_LABELS['extension']} (dashed border)", COLOURS["segment"], "box", dashed=True),
    ),
    (frozenset({"other", "grouped"}), LegendEntry("其他集群环节 Other clusters' segments", COLOURS["other_cluster"])),
    (frozenset({"supply"}), LegendEntry("供应 Supply", COLOURS["edge"], "line")),
    (
        frozenset({"broken_link", "broken_segment"}),
        LegendEntry(f"{GAP_LABELS['broken_link']}: purple arrow, border", COLOURS["broken_link"], "line"),
    ),
    (
        frozenset({"cross"}),
        LegendEntry("跨集群供应 Cross-cluster supply", COLOURS["edge_cross"], "line", dashed=True),
    ),
    (frozenset({"unverified"}), LegendEntry("待核实供应 Unverified supply", faded(COLOURS["edge"]), "line")),
    (
        frozenset({"sub_segment"}),
        LegendEntry("细分—上级环节 Sub-segment to parent", COLOURS["other_cluster"], "line", dotted=True),
    ),
    (frozenset({"anchor"}), LegendEntry("链主企业 Anchor firm", COLOURS["anchor"], "star")),
    (frozenset({"firm"}), LegendEntry("本地企业 Local firm", COLOURS["firm"], "dot")),
    (frozenset({"outside"}), LegendEntry("外地企业 Outside firm", COLOURS["outside"], "dot")),
    (frozenset({"firm_line"}), LegendEntry("企业—所在环节 Firm to its segment", COLOURS["firm"], "line")),
    (frozenset({"aggregate"}), LegendEntry("企业汇总 Firms of a segment (collapsed)", COLOURS["aggregate"], "dot")),
]
"""Every mark a cluster view can draw (one entry may stand for several: a broken link's purple arrow and the
purple border of the segment it leaves) and its legend entry, in the legend's order; :func:`cluster_legend`
keeps the entries of the marks drawn."""


def _cluster_en(other: dict[str, Any]) -> str:
    """The English name of the cluster an outside segment belongs to, else its id (never a blank label).

    >>> _cluster_en({"cluster_id": "nev", "cluster_name_en": "New Energy Vehicles"}), _cluster_en({"cluster_id": "nev"})
    ('New Energy Vehicles', 'nev')
    """
    return str(other.get("cluster_name_en") or other["cluster_id"])


def supply_pairs(
    links: list[dict[str, Any]], members: set[str], names: dict[str, str], names_en: dict[str, str]
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The supply links into or out of ``members`` (other clusters' segments) as a details-panel section, one item
    a pair ``供应方环节 → 被供应环节`` as ``chainkg cluster-links`` lists them (by supplying, then supplied id), each
    unverified one marked; and the sources that state them.

    Parameters
    ----------
    links : list of dict
        The chain's supply links (``source``, ``target``, ``confidence``, ``sources_ref``).
    members : set of str
        The segments of another cluster that one node of the view stands for.
    names, names_en : dict
        Segment id → name on the Chinese page and on the English page.

    Examples
    --------
    >>> links = [{"source": "x", "target": "b", "confidence": "unverified", "sources_ref": []},
    ...          {"source": "x", "target": "a", "confidence": "sourced", "sources_ref": [{"id": "s1"}]}]
    >>> section, sources = supply_pairs(links, {"x"}, {"x": "功率半导体", "a": "电驱动", "b": "充换电"}, {})
    >>> section["title"]
    '供应关系 Supply links · 2 条 links，其中 1 条待核实 1 unverified'
    >>> [i["text"] for i in section["items"]], sources
    (['功率半导体 → 电驱动', '功率半导体 → 充换电（待核实 unverified）'], [{'id': 's1'}])
    >>> [i["text_en"] for i in section["items"]]
    ['x → a', 'x → b (unverified)']
    """
    touching = sorted(
        (link for link in links if link["source"] in members or link["target"] in members),
        key=lambda link: (link["source"], link["target"]),
    )
    items = []
    for link in touching:
        unverified = link.get("confidence", "sourced") != "sourced"
        a, b = link["source"], link["target"]
        # the other end, in this cluster, is the one a click opens
        other = b if a in members else a
        items.append(
            {
                "text": f"{names.get(a, a)} → {names.get(b, b)}" + (UNVERIFIED_MARK[0] if unverified else ""),
                "text_en": f"{names_en.get(a, a)} → {names_en.get(b, b)}" + (UNVERIFIED_MARK[1] if unverified else ""),
                "ref": ["segment", other],
            }
        )
    zh, en = link_count_words(
        len(touching), sum(1 for link in touching if link.get("confidence", "sourced") != "sourced")
    )
    section = {"title": f"供应关系 Supply links · {zh}", "title_en": f"Supply links · {en}", "items": items}
    return section, unique_sources(ref for link in touching for ref in link.get("sources_ref", []))


def _add_external(
    net: ViewNetwork, data: dict[str, Any], links: list[dict[str, Any]], max_level: int
) -> dict[str, str]:
    """Add the other clusters' segments linked to this chain, left (suppliers) or right (customers).

    Over :data:`MAX_EXTERNAL` of them, they are grouped into one node per
    (cluster, side). Returns each external segment's node id in the view.
    """
    others = data["others"]
    names = {s["id"]: s["name_zh"] for s in [*data["segments"], *others.values()]}
    names_en = {s["id"]: s.get("name_en") or s["name_zh"] for s in [*data["segments"], *others.values()]}
    upstream = {oid: any(link["source"] == oid for link in links) for oid in others}
    grouped = len(others) > MAX_EXTERNAL
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    where: dict[str, str] = {}
    for oid, other in others.items():
        level = -1 if upstream[oid] else max_level + 1
        cluster_name = other["cluster_name"] or other["cluster_id"]
        if grouped:
            node_id = f"ext:{other['cluster_id']}:{'up' if upstream[oid] else 'down'}"
            where[oid] = node_id
            groups[node_id].append({**other, "level": level})
            continue
        where[oid] = oid
        pairs, pair_sources = supply_pairs(links, {oid}, names, names_en)
        info = {
            "name_zh": other["name_zh"],
            "name_en": other["name_en"],
            "fields": [
                ["集群 Cluster", cluster_name, _cluster_en(other)],
                ["位置 Position", POSITION_LABELS.get(str(other["position"]), str(other["position"]))],
            ],
            "sections": [
                {
                    "title": "所属集群 Its cluster",
                    "items": [
                        {"text": cluster_name, "text_en": _cluster_en(other), "ref": ["cluster", other["cluster_id"]]}
                    ],
                },
                pairs,
            ],
            "sources": unique_sources([*other["sources_ref"], *pair_sources]),
        }
        title = tooltips(
            [
                display_name(other["name_zh"], other["name_en"]),
                f"其他集群的环节 Segment of another cluster: {cluster_name}",
            ],
            [other["name_en"] or other["name_zh"], f"Segment of another cluster: {_cluster_en(other)}"],
            sources=other["sources_ref"],
        )
        net.add_view_node(
            oid,
            f"{wrap(other['name_zh'])}\n[{shorten(cluster_name, 10)}]",
            label_en=f"{wrap_en(other.get('name_en') or other['name_zh'])}\n[{shorten(_cluster_en(other), 20)}]",
            kind="segment",
            info=info,
            title=title.zh,
            title_en=title.en,
            level=level,
            **segment_style([], other_cluster=True),
        )
    for node_id, members in groups.items():
        first = members[0]
        cluster_name = first["cluster_name"] or first["cluster_id"]
        supplies = members[0]["level"] < 0
        side = "供应本链 supply this chain" if supplies else "使用本链产品 use this chain's output"
        side_en = "supply this chain" if supplies else "use this chain's output"
        sources = unique_sources(ref for m in members for ref in m["sources_ref"])
        pairs, pair_sources = supply_pairs(links, {m["id"] for m in members}, names, names_en)
        info = {
            "name_zh": cluster_name,
            "name_en": _cluster_en(first),
            "ref": ["cluster", first["cluster_id"]],
            "fields": [["环节 Segments", str(len(members))], ["关系 Relation", side, side_en]],
            "sections": [
                pairs,
                {
                    "title": f"环节 Segments · {side}",
                    "title_en": f"Segments · {side_en}",
                    "items": [
                        {"text": m["name_zh"], "text_en": m.get("name_en") or m["name_zh"], "ref": ["segment", m["id"]]}
                        for m in members
                    ],
                },
            ],
            "sources": unique_sources([*sources, *pair_sources]),
        }
        title = tooltips(
            [
                f"{cluster_name}: {len(members)} 个环节 segments",
                side,
                *[f"  {m['name_zh']}" for m in members[:MAX_PAIRS]],
            ],
            [
                f"{_cluster_en(first)}: {len(members)} segment{'' if len(members) == 1 else 's'}",
                side_en,
                *[f"  {m.get('name_en') or m['name_zh']}" for m in members[:MAX_PAIRS]],
            ],
            sources=sources,
        )
        net.add_view_node(
            node_id,
            f"{shorten(cluster_name, 12)}\n{len(members)} 个环节",
            label_en=f"{wrap_en(_cluster_en(first), 26)}\n{len(members)} segment{'' if len(members) == 1 else 's'}",
            kind="cluster",
            info=info,
            title=title.zh,
            title_en=title.en,
            level=first["level"],
            **segment_style([], other_cluster=True),
        )
    return where


def _add_firms(
    net: ViewNetwork,
    data: dict[str, Any],
    levels: dict[str, int],
    members_by_segment: dict[str, list[dict[str, Any]]],
    anchors: set[str],
    aggregate: bool,
) -> dict[str, str]:
    """Add firm nodes (or one collapsed node per segment) hidden, except anchors, and tell segments their firms.

    Returns the segment each firm node stands next to: see :func:`home_segments`.
    """
    firms = data["firms"]
    names = {s["id"]: s["name_zh"] for s in data["segments"]}
    names_en = {s["id"]: s.get("name_en") or s["name_zh"] for s in data["segments"]}
    names.update({fid: firm["name_zh"] for fid, firm in firms.items()})
    names_en.update({fid: firm.get("name_en") or firm["name_zh"] for fid, firm in firms.items()})
    home = home_segments(data["segments"], data["memberships"])
    role_at = {(m["firm"], m["segment"]): m["role"] for m in data["memberships"]}
    attached: dict[str, str] = {}
    for seg in data["segments"]:
        sid = seg["id"]
        members = members_by_segment.get(sid, [])
        children: list[str] = []
        shown = [m for m in members if not aggregate or m["firm"] in anchors]
        for m in shown:
            firm = firms[m["firm"]]
            fid = firm["id"]
            if fid not in net.node_map:
                attached[fid] = home.get(fid, sid)
                info, title = firm_info(firm, firm["sources_ref"], role=role_at.get((fid, attached[fid]), m["role"]))
                is_anchor = fid in anchors
                net.add_view_node(
                    fid,
                    firm_label(firm["name_zh"]),
                    label_en=shorten(firm.get("name_en") or "", 24),
                    kind="firm",
                    info=info,
                    title=title.zh,
                    title_en=title.en,
                    level=levels[attached[fid]],
                    hidden=not is_anchor,
                    **firm_style(is_local=firm["is_local"], anchor=is_anchor),
                )
            if fid not in anchors:
                children.append(fid)
            net.add_view_edge(
                sid,
                fid,
                **edge_titles(
                    "OPERATES_IN",
                    fid,
                    sid,
                    m["sources_ref"],
                    names,
                    names_en,
                    extra=role_words(m["role"]),
                    confidence=m["confidence"],
                ),
                color=COLOURS["anchor"] if fid in anchors else COLOURS["firm"],
                arrows="",
                width=1,
            )
        rest = [m for m in members if m not in shown]
        if aggregate and rest:
            agg_id = f"agg:{sid}"
            info = {
                "name_zh": f"{names[sid]} · {len(rest)} 家企业",
                "name_en": f"{len(rest)} firms (collapsed)",
                "ref": ["segment", sid],
                "sections": firm_sections(rest, firms),
                "sources": [],
            }
            collapsed = tooltips(
                [f"{len(rest)} 家企业 firms in {names[sid]}", "双击打开环节 Double-click to open the segment"],
                [f"{len(rest)} firms in {names_en[sid]}", "Double-click to open the segment"],
                sources=[s for m in rest[:3] for s in m["sources_ref"]][:3],
            )
            net.add_view_node(
                agg_id,
                f"{len(rest)} 家企业",
                label_en=f"{len(rest)} firms",
                kind="aggregate",
                info=info,
                title=collapsed.zh,
                title_en=collapsed.en,
                level=levels[sid],
                hidden=True,
                shape="dot",
                value=len(rest),
                color=node_colour(COLOURS["aggregate"]),
            )
            net.add_view_edge(sid, agg_id, title=collapsed.zh, title_en=collapsed.en, color=COLOURS["firm"], arrows="")
            children.append(agg_id)
            attached[agg_id] = sid
        net.node_map[sid]["info"]["children"] = children
    return attached


def home_segments(segments: list[dict[str, Any]], memberships: list[dict[str, Any]]) -> dict[str, str]:
    """The segment each firm stands next to: where its role is highest (anchor, major, member), then the first.

    >>> segs = [{"id": "cell"}, {"id": "vehicle"}]
    >>> home_segments(segs, [{"firm": "byd", "segment": "cell", "role": "major"},
    ...                      {"firm": "byd", "segment": "vehicle", "role": "anchor"}])
    {'byd': 'vehicle'}
    """
    order = {s["id"]: i for i, s in enumerate(segments)}
    best: dict[str, tuple[int, int, str]] = {}
    for m in memberships:
        rank = (ROLE_ORDER.get(m["role"], 9), order.get(m["segment"], len(order)), m["segment"])
        if m["firm"] not in best or rank < best[m["firm"]]:
            best[m["firm"]] = rank
    return {fid: rank[2] for fid, rank in best.items()}
