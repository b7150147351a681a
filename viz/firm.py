"""A firm's neighbourhood: its segments (and their clusters), suppliers, customers, parent and subsidiaries.

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
from queries.firms import firm_summary, get_firm
from queries.gaps import gaps
from viz.page import ViewNetwork
from viz.parts import (
    EDGE_LABELS,
    district_of,
    edge_titles,
    firm_info,
    firm_style,
    gap_kinds,
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
    firm_node = store.node(firm_id)
    return {
        "firm": firm,
        "firm_sources": book.refs(firm_node.sources if firm_node else ()),
        "relations": relations,
        "neighbours": neighbours,
        "gaps": dict(gaps_by_segment),
        "clusters": {cid: {**c, "sources_ref": book.refs(c["sources"])} for cid, c in clusters.items()},
        "segment_sources": segment_sources,
        "part_of_sources": part_of_sources,
        "edge_sources": {s["id"]: book.refs(s.get("sources", [])) for s in firm["segments"]},
        "index": search_index(store),
    }


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
    style = firm_style(is_local=firm["is_local"], anchor=is_anchor)
    style["size"] = 26
    style["font"] = {"size": 16}
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
            label=zh_part(EDGE_LABELS[rel["kind"]]),
            label_en=english_part(EDGE_LABELS[rel["kind"]]).lower(),
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
