"""``chainkg chain CLUSTER``: a cluster's chain from upstream to downstream, segment by segment.

The same content as ``GET /api/v1/clusters/{id}/chain``; ``--json`` prints that body. Each
segment shows its status (强链 Strong / 一般 Present / 弱链 Weak / 缺链 Missing, as the reports label it), its
gap if any, its local and
outside firm counts and its anchor firms (链主); the SUPPLIES links that cross into other
clusters are listed after, then the cluster's own SUPPLIES links (segment to segment), grouped by
the supplying segment, each unverified one marked, at most :data:`MAX_INSIDE_LINKS` of them.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_output_options,
    add_store_options,
    add_year_option,
    answer,
    confidence_label,
    gap_kind_label,
    status_label,
    status_name_zh,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import clean, format_table, label, name_in
from viz.parts import UNVERIFIED_MARK
from viz.style import POSITION_LABELS, english_part

POSITION_TITLES = dict(POSITION_LABELS)
"""The title of each position's table, as the views and reports name the stages (``viz.style.POSITION_LABELS``:
``上游 Upstream`` ... ``支撑 Support``); for ``--lang en`` its English part (:func:`position_title`)."""


def position_title(position: str, lang: str) -> str:
    """A position's table title: ``支撑 Support`` by default, ``Support`` for ``en``.

    >>> position_title("support", "zh"), position_title("upstream", "en")
    ('支撑 Support', 'Upstream')
    """
    title = POSITION_TITLES.get(position, position)
    return english_part(title) or title if lang == "en" else title


MAX_INSIDE_LINKS = 60
"""At most this many of the cluster's own links are listed in text; ``--json`` holds them all."""


def firm_names(firms: list[dict[str, Any]], lang: str, limit: int = 4) -> str:
    """Up to ``limit`` firm names in ``lang``, and how many more."""
    shown = [clean(f.get(f"name_{lang}") or f.get("name_zh") or f["id"]) for f in firms[:limit]]
    more = len(firms) - len(shown)
    return ", ".join(shown) + (f" +{more}" if more > 0 else "")


def tree_order(segments: list[dict[str, Any]]) -> list[tuple[int, dict[str, Any]]]:
    """``(depth, segment)`` pairs: each segment followed by its sub-segments, in the chain's order.

    >>> rows = [{"id": "a1", "parent_id": "a"}, {"id": "b", "parent_id": None}, {"id": "a", "parent_id": None}]
    >>> [(depth, s["id"]) for depth, s in tree_order(rows)]
    [(0, 'b'), (0, 'a'), (1, 'a1')]
    """
    ids = {s["id"] for s in segments}
    children: dict[str, list[dict[str, Any]]] = {}
    for segment in segments:
        if segment.get("parent_id") in ids:
            children.setdefault(segment["parent_id"], []).append(segment)
    out: list[tuple[int, dict[str, Any]]] = []

    def visit(segment: dict[str, Any], depth: int) -> None:
        out.append((depth, segment))
        for child in children.get(segment["id"], []):
            visit(child, depth + 1)

    for segment in segments:
        if segment.get("parent_id") not in ids:
            visit(segment, 0)
    return out


def segment_label(segment: dict[str, Any], depth: int, listed_apart: bool, lang: str) -> str:
    """The segment column: the id, indented under its parent, or when ``listed_apart`` (its parent is in
    another position's table) followed by the parent's id.

    >>> child = {"id": "nm-cf-equipment", "parent_id": "nm-new-carbon"}
    >>> segment_label(child, 0, True, "zh"), segment_label(child, 0, True, "en")
    ('nm-cf-equipment (⊂ nm-new-carbon)', 'nm-cf-equipment (in nm-new-carbon)')
    >>> segment_label(child, 1, False, "en")
    '  nm-cf-equipment'
    """
    text = "  " * depth + segment["id"]
    if listed_apart:
        text += f" ({label(lang, '⊂ ', 'in ')}{segment['parent_id']})"
    return text


def segment_row(segment: dict[str, Any], depth: int, lang: str, listed_apart: bool = False) -> list[Any]:
    """One row of a position's table; ``listed_apart`` as in :func:`segment_label`."""
    kind = segment["gap_kind"]
    # the kind as chainkg gaps words it, marked when it rests only on unverified supply links (review 9, #4)
    unsure = segment.get("gap_kinds_unverified") or []
    gap = f"{gap_kind_label(kind, lang, unverified=kind in unsure)} {segment['severity']:.2f}" if kind else ""
    anchors = firm_names(segment["anchor_firms"], lang)
    return [
        segment_label(segment, depth, listed_apart, lang),
        status_label(segment["status"], lang),
        gap,
        segment["local_firm_count"],
        segment["outside_firm_count"],
        name_in(segment, lang),
        anchors,
    ]


def inside_link_lines(body: dict[str, Any], lang: str, limit: int = MAX_INSIDE_LINKS) -> list[str]:
    """The section that lists the SUPPLIES links between two segments of the cluster (none: no lines).

    The links are grouped by the supplying segment, in the chain's order (upstream first, each segment
    before its sub-segments), each supplied segment on its own line, an unverified link marked as the
    views mark it (:data:`viz.parts.UNVERIFIED_MARK`). After ``limit`` links, one line says how many
    more there are and where to find them.

    Parameters
    ----------
    body : dict
        The chain body (:func:`queries.chain.chain`).
    lang : str
        ``zh`` (Chinese and English) or ``en``.
    limit : int, optional
        At most this many links are listed.

    Returns
    -------
    list of str
        The title line, then the lines of each group.

    Examples
    --------
    >>> body = {
    ...     "cluster": {"id": "t"},
    ...     "segments": [
    ...         {"id": "t-a", "name_zh": "甲", "name_en": "A", "position": "upstream", "parent_id": None},
    ...         {"id": "t-b", "name_zh": "乙", "name_en": "B", "position": "midstream", "parent_id": None},
    ...         {"id": "t-c", "name_zh": "丙", "name_en": "", "position": "downstream", "parent_id": None},
    ...     ],
    ...     "links": [
    ...         {"source": "t-b", "target": "t-c", "cross_cluster": False, "confidence": "sourced"},
    ...         {"source": "t-a", "target": "t-b", "cross_cluster": False, "confidence": "unverified"},
    ...         {"source": "t-a", "target": "t-c", "cross_cluster": False, "confidence": "sourced"},
    ...     ],
    ... }
    >>> print("\\n".join(inside_link_lines(body, "zh")))
    集群内供应链接 links inside the cluster (3, 1 待核实 unverified)
    t-a  甲 A
      → t-b  乙 B（待核实 unverified）
      → t-c  丙
    t-b  乙 B
      → t-c  丙
    >>> print("\\n".join(inside_link_lines(body, "en", limit=2)))
    links inside the cluster (3, 1 unverified)
    t-a  A
      -> t-b  B (unverified)
      -> t-c  丙
    ... 1 more: chainkg chain t --json
    """
    inside = [link for link in body["links"] if not link.get("cross_cluster")]
    if not inside:
        return []
    by_id = {s["id"]: s for s in body["segments"]}
    order: dict[str, int] = {}
    for position in POSITION_TITLES:
        for _, segment in tree_order([s for s in body["segments"] if s["position"] == position]):
            order[segment["id"]] = len(order)
    rank = {s["id"]: order.get(s["id"], len(order) + i) for i, s in enumerate(body["segments"])}

    def place(segment_id: str) -> tuple[int, str]:
        return rank.get(segment_id, len(rank)), segment_id

    def named(segment_id: str) -> str:
        name = name_in(by_id.get(segment_id, {}), lang)
        return f"{clean(segment_id)}  {name}" if name else clean(segment_id)

    inside.sort(key=lambda link: (place(link["source"]), place(link["target"])))
    unverified = sum(1 for link in inside if link.get("confidence") == "unverified")
    count = f"{len(inside)}, {unverified} {confidence_label('unverified', lang)}" if unverified else f"{len(inside)}"
    lines = [zh_first(lang, "集群内供应链接", "links inside the cluster") + f" ({count})"]
    arrow = label(lang, "→", "->")
    mark = UNVERIFIED_MARK[lang == "en"]
    width = max(len(clean(link["target"])) for link in inside[:limit])
    source = None
    for link in inside[:limit]:
        if link["source"] != source:
            source = link["source"]
            lines.append(named(source))
        target = clean(link["target"])
        name = name_in(by_id.get(link["target"], {}), lang)
        text = f"  {arrow} {target.ljust(width)}  {name}".rstrip() if name else f"  {arrow} {target}"
        lines.append(text + (mark if link.get("confidence") == "unverified" else ""))
    more = len(inside) - limit
    if more > 0:
        where = f"chainkg chain {clean(body['cluster']['id'])} --json"
        lines.append(label(lang, f"… 还有 {more} 条 / {more} more: {where}", f"... {more} more: {where}"))
    return lines


CHAIN_HEADERS = (
    ("环节", "segment"),
    ("现状", "status"),
    ("缺口", "gap"),
    ("本地", "local"),
    ("外地", "outside"),
    ("名称", "name"),
    ("链主", "anchors"),
)
"""The headings of a position's table, ``(zh, en)``."""
CROSSING_HEADERS = (
    ("供应环节", "from"),
    ("被供应环节", "to"),
    ("另一集群", "other cluster"),
    ("另一环节", "other segment"),
    ("可信度", "confidence"),
)
"""The headings of the cross-cluster links' table, ``(zh, en)``."""


def summary_text(summary: dict[str, Any], lang: str) -> str:
    """The line under the cluster's name: segments by status, gaps and local firms; Chinese first unless ``en``.

    >>> summary = {"segment_count": 4, "strong_count": 1, "present_count": 1, "weak_count": 1, "missing_count": 1,
    ...            "gap_count": 2, "local_firm_count": 5}
    >>> print(summary_text(summary, "zh").split(" / ")[0])
    4 个环节：强链 1、一般 1、弱链 1、缺链 1；缺口 2 个；本地企业 5 家
    >>> print(summary_text(summary, "en"))
    4 segments: 1 strong, 1 present, 1 weak, 1 missing; 2 gaps; 5 local firms
    """
    statuses = ("strong", "present", "weak", "missing")
    chinese = (
        f"{summary['segment_count']} 个环节："
        + "、".join(f"{status_name_zh(s)} {summary[f'{s}_count']}" for s in statuses)
        + f"；缺口 {summary['gap_count']} 个；本地企业 {summary['local_firm_count']} 家"
    )
    english = (
        f"{summary['segment_count']} segments: "
        + ", ".join(f"{summary[f'{s}_count']} {s}" for s in statuses)
        + f"; {summary['gap_count']} gaps; {summary['local_firm_count']} local firms"
    )
    return zh_then_en(lang, chinese, english)


def print_chain(body: dict[str, Any], lang: str) -> None:
    summary = body["summary"]
    cluster = body["cluster"]
    print(f"{cluster['id']}  {name_in(cluster, lang)}" + (f"  (as of {body['year']})" if body["year"] else ""))
    print(summary_text(summary, lang))
    headers = zh_first_headers(lang, *CHAIN_HEADERS)
    position_of = {s["id"]: s["position"] for s in body["segments"]}
    for position in POSITION_TITLES:
        segments = [s for s in body["segments"] if s["position"] == position]
        if not segments:
            continue
        print()
        print(position_title(position, lang))
        rows = [
            segment_row(s, depth, lang, position_of.get(s.get("parent_id") or "", position) != position)
            for depth, s in tree_order(segments)
        ]
        print(format_table(headers, rows, "lllrrll"))
    if any(s.get("parent_id") in position_of for s in body["segments"]):
        print()
        print(
            label(
                lang,
                "a segment's firm counts include its sub-segments' (indented below it, or marked ⊂ PARENT) "
                "上级环节的企业数已包含其子环节（缩进列出，或标 ⊂ 上级环节）",
                "a segment's firm counts include its sub-segments' (indented below it, or marked 'in PARENT')",
            )
        )
    crossing = [link for link in body["links"] if link.get("cross_cluster")]
    if crossing:
        outside = {s["id"]: s for s in body["external_segments"]}
        rows = []
        for link in crossing:
            other = outside.get(link["source"]) or outside.get(link["target"]) or {}
            rows.append(
                [
                    link["source"],
                    link["target"],
                    other.get("cluster_id", ""),
                    name_in(other, lang),
                    confidence_label(link.get("confidence", ""), lang),
                ]
            )
        print()
        print(zh_first(lang, "跨集群链接", "cross-cluster links") + f" ({len(crossing)})")
        print(format_table(zh_first_headers(lang, *CROSSING_HEADERS), rows))
    inside = inside_link_lines(body, lang)
    if inside:
        print()
        print("\n".join(inside))
    print()
    cluster_id = body["cluster"]["id"]
    print(
        zh_then_en(
            lang,
            f"缺口：chainkg gaps {cluster_id}；图谱：chainkg render cluster {cluster_id}",
            f"gaps: chainkg gaps {cluster_id}; a view: chainkg render cluster {cluster_id}",
        )
    )


def run(args: argparse.Namespace) -> int:
    from queries.chain import chain

    return answer(args, lambda store: chain(store, args.cluster, args.year), lambda body: print_chain(body, args.lang))


EPILOG = """\
examples:
  chainkg chain nev                  # the NEV chain, upstream to downstream
  chainkg chain nev --year 2020      # as of 2020
  chainkg chain nev --lang en        # in English (a name the data has only in Chinese stays Chinese)
  chainkg chain textiles --json      # the body of GET /api/v1/clusters/textiles/chain
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show a cluster's chain, upstream to downstream: each segment's status, gap, firms and anchors."
    p = sub.add_parser(
        "chain", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("cluster", help="a cluster id, e.g. nev (chainkg health lists them)")
    add_year_option(p)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
