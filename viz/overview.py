"""The overview: every cluster, sized by its latest city-wide full-year output, with cross-cluster supply links.

A cluster whose only published output covers part of a year or of the cluster (one district, one
sub-cluster) shows it with its period and scope, drawn at a fixed size with a dashed border, as a
cluster without any output is: :mod:`queries.figures` decides.

:func:`gather_overview` asks the store (through ``queries``); :func:`overview_network`
turns what it gathered into a network and does no I/O. The clusters are placed in Python
(:func:`viz.layout.spread_layout`): the same place every time, and no label on another label or
on another cluster's circle; physics stays off.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> net = overview_network(gather_overview(MemoryStore(tiny_chain())))
>>> net.num_nodes(), net.nodes[0]["value"], net.nodes[0]["info"]["status"]
(1, 1300.0, 'missing')
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.model import NodeKind, Segment
from graph.store import GraphStore
from queries.cluster_links import cluster_links
from queries.clusters import get_cluster, list_clusters, lists_note
from queries.figures import (
    METRIC_LABELS,
    caveat,
    caveat_en,
    counted_scope,
    figure_text,
    headline_output,
    is_comparable,
    other_money_figure,
    with_scope_en,
)
from queries.gaps import gaps
from queries.segment_graph import chain_data
from viz.layout import scaled_sizes, spread_layout
from viz.page import ViewNetwork
from viz.parts import UNVERIFIED_MARK, gap_kinds, gap_summary, gaps_section, link_count_words
from viz.search_index import search_index
from viz.sources import SourceBook
from viz.style import (
    COLOURS,
    LegendEntry,
    display_name,
    english_part,
    faded,
    node_colour,
    tooltip,
    tooltips,
    unique_sources,
    zh_part,
)

MAX_PAIRS_IN_TOOLTIP = 5
LABEL_BACKGROUND = "rgba(255, 255, 255, 0.85)"
"""Behind each label, so that a link passing under it does not strike its text through."""
SIZE_MIN, SIZE_MAX = 18, 60
"""The radius of the cluster with the smallest and with the largest comparable output."""
UNSIZED = (SIZE_MIN + SIZE_MAX) / 2
"""The radius of a cluster without a comparable output figure: the middle, so that it does not look small."""


def gather_overview(store: GraphStore) -> dict[str, Any]:
    """Collect the clusters, their output figures, their gaps and the cross-cluster links."""
    book = SourceBook.from_store(store)
    gaps_by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    segment_cluster = {n.id: n.cluster_id for n in store.nodes(NodeKind.SEGMENT) if isinstance(n, Segment)}
    names = {n.id: n.name_zh for n in store.nodes(NodeKind.SEGMENT)}
    for gap in gaps(store):
        cluster = segment_cluster.get(gap["segment_id"])
        if cluster:
            gaps_by_cluster[cluster].append({**gap, "segment_name": names.get(gap["segment_id"], "")})
    clusters = []
    segment_data = chain_data(store)
    district_names = {n.name_zh: n.name_en for n in store.nodes(NodeKind.DISTRICT) if n.name_en}
    for summary in list_clusters(store):
        detail = get_cluster(store, summary["id"])
        members = segment_data.cluster_segments(summary["id"])
        # a district's scope is named in English on the English page (queries.figures.with_scope_en)
        figures = [
            with_scope_en(counted_scope(f, members, segment_data.subtree), district_names)
            for f in detail.get("figures", [])
        ]
        output = headline_output(figures)
        clusters.append(
            {
                **summary,
                "output": output,
                "figures": figures,
                "output_sources": book.refs(output["sources"]) if output else [],
                "sources_ref": book.refs(summary["sources"]),
                "gaps": gaps_by_cluster.get(summary["id"], []),
            }
        )
    links = [
        {
            "source": item["source_cluster"],
            "target": item["target_cluster"],
            "pairs": [(link["source"], link["target"]) for link in item["links"]],
            "unverified_pairs": [
                (link["source"], link["target"]) for link in item["links"] if link["confidence"] != "sourced"
            ],
            "sources": item["sources"],
            "sources_ref": book.refs(item["sources"]),
        }
        for item in cluster_links(store)
    ]
    return {"clusters": clusters, "links": links, "index": search_index(store)}


def figure_items(figures: list[dict[str, Any]]) -> list[dict[str, str]]:
    """Every published figure of a cluster, latest first, as panel items naming period and scope (a qualifier
    in words: :func:`queries.figures.figure_text`); an unverified one is marked :data:`viz.parts.UNVERIFIED_MARK`.

    >>> figure_items([{"year": 2022, "metric": "revenue", "value": 3000.0, "unit": "亿元", "qualifier": "≲",
    ...                "period": "1-8月"}])  # doctest: +NORMALIZE_WHITESPACE
    [{'text': '营业收入 Revenue: 近3000 亿元 (2022 1-8月)',
      'text_en': 'Revenue: nearly CNY 300 billion (2022 Jan-Aug)'}]
    """
    ordered = sorted(figures, key=lambda f: (-f["year"], f["metric"]))
    items = []
    for f in ordered:
        label = METRIC_LABELS.get(f["metric"], f["metric"])
        mark_zh, mark_en = UNVERIFIED_MARK if unverified_figure(f) else ("", "")
        text_en = f"{english_part(label) or label}: {figure_text(f, english=True)}{mark_en}"
        items.append({"text": f"{label}: {figure_text(f)}{mark_zh}", "text_en": text_en})
    return items


def _status(cluster_gaps: list[dict[str, Any]]) -> str:
    kinds = {k for g in cluster_gaps for k in gap_kinds(g)}
    return "missing" if "missing" in kinds else "weak" if "weak" in kinds else ""


SEVERE = 0.5
"""A gap at least this severe (0–1, ``queries.severity``) is *severe*: it rings its cluster in the overview."""


def unverified_figure(figure: dict[str, Any]) -> bool:
    """Whether a figure's row is not ``sourced`` (its label and tooltip then say 待核实 / unverified).

    >>> unverified_figure({"confidence": "unverified"}), unverified_figure({"confidence": "sourced"})
    (True, False)
    >>> unverified_figure({})  # a figure without a confidence is as published
    False
    """
    return figure.get("confidence", "sourced") != "sourced"


def _lists_words(clusters: list[dict[str, Any]], *, english: bool) -> str:
    """The subtitle's words on the lists (:func:`queries.clusters.lists_note`): both languages on the Chinese page."""
    note = lists_note(clusters)
    if not note:
        return ""
    return note["en"] if english else f"{note['zh']}。{note['en']}"


def overview_network(data: dict[str, Any]) -> ViewNetwork:
    """Build the overview from :func:`gather_overview`'s result.

    A cluster's circle is sized by its city-wide full-year output; a cluster without such a figure is drawn
    pale with a dashed outline, at the middle size (:data:`UNSIZED`), so that it reads as "not known", not as
    small. A red ring marks a cluster with gaps of severity :data:`SEVERE` or more (thicker: more of them).
    """
    net = ViewNetwork(kind="overview", subject_id=None, title="常州十大先进制造业集群", api_path="/api/v1/clusters")
    net.title_en = "Changzhou's ten advanced-manufacturing clusters"
    net.subtitle = (
        "大小 = 全市全年产值（虚线浅色：无可比产值）；红圈 = 严重缺口；箭头 = 跨集群供应（粗细：有来源的关系数）。 "
        "size = city-wide full-year output (dashed, pale: none comparable); red ring = severe gaps; "
        "arrows = supply links (width: sourced links). " + _lists_words(data["clusters"], english=False)
    )
    net.subtitle_en = (
        "Changzhou's advanced-manufacturing clusters: size = city-wide full-year output (dashed, pale: no "
        f"comparable figure); red ring = gaps of severity ≥ {SEVERE}; arrows = supply links (width: sourced links). "
        + _lists_words(data["clusters"], english=True)
    )
    net.search_index = data["index"]
    for c in data["clusters"]:
        output = c["output"]
        status = _status(c["gaps"])
        gap_text, gap_text_en = gap_summary(c["gaps"])
        severe = [g for g in c["gaps"] if float(g.get("severity") or 0) >= SEVERE]
        worst = max((float(g.get("severity") or 0) for g in c["gaps"]), default=None)
        # a figure keeps its published value; the English page words its unit and period in English
        # (queries.figures.value_text, period_text: 3000 亿元 is CNY 300 billion, 1-8月 Jan-Aug), its scope as published
        fields = [
            ["产值 Output", figure_text(output), figure_text(output, english=True)]
            if output
            else ["产值 Output", "未公布 not published"]
        ]
        if output and caveat(output):
            fields.append(["口径 Scope", caveat(output), caveat_en(output)])
        if output and unverified_figure(output):
            fields.append(["产值可信度 Output confidence", f"{output['confidence']} 待核实", str(output["confidence"])])
        fields += [
            ["环节 Segments", str(c["segment_count"])],
            ["本地企业 Local firms", str(c["local_firm_count"])],
            ["名单 On the lists", ", ".join(map(str, c["list_years"])) or "—"],
            ["缺口 Gaps", gap_text, gap_text_en],
        ]
        if worst is not None:
            fields.append(
                [
                    "最高严重度 Highest severity",
                    f"{worst:.2f}（严重 ≥ {SEVERE}：{len(severe)} 个）",
                    f"{worst:.2f} ({len(severe)} of severity ≥ {SEVERE})",
                ]
            )
        sections = [gaps_section(c["gaps"])] if c["gaps"] else []
        if c.get("figures"):
            sections.insert(0, {"title": "公开数据 Published figures", "items": figure_items(c["figures"])})
        info = {
            "name_zh": c["name_zh"],
            "name_en": c["name_en"],
            "status": status,
            "fields": fields,
            "sections": sections,
            "sources": unique_sources(c["sources_ref"] + c["output_sources"]),
            "confidence": c["confidence"],
        }
        # an unverified figure is said to be so on the label and tooltip, as the panel's confidence field does
        mark_zh, mark_en = UNVERIFIED_MARK if output and unverified_figure(output) else ("", "")
        lines = [display_name(c["name_zh"], c["name_en"]), f"集群 Cluster · {c['id']}"]
        lines.append(f"产值 Output: {figure_text(output)}{mark_zh}" if output else "产值 Output: 未公布 not published")
        lines.append(caveat(output) if output else "")
        lines_en = [c["name_en"] or c["name_zh"], f"Cluster · {c['id']}"]
        lines_en.append(f"Output: {figure_text(output, english=True)}{mark_en}" if output else "Output: not published")
        lines_en.append(caveat_en(output) if output else "")
        if c["gaps"]:
            lines.append(f"缺口 Gaps: {gap_text}")
            lines_en.append(f"Gaps: {gap_text_en}")
        shown = output
        prefix = ""
        if shown is None and (other := other_money_figure(c.get("figures", []))) is not None:
            shown = other
            prefix = METRIC_LABELS.get(other["metric"], other["metric"])
        figure_line = f"{zh_part(prefix)} {figure_text(shown)}".strip() if shown else ""
        figure_line_en = f"{english_part(prefix).lower()} {figure_text(shown, english=True)}".strip() if shown else ""
        if shown and unverified_figure(shown):  # the label's figure, marked as the panel marks it
            figure_line, figure_line_en = figure_line + "（待核实）", figure_line_en + " (unverified)"
        label = c["name_zh"] + ("\n" + figure_line if figure_line else "")
        label_en = (c["name_en"] or c["name_zh"]) + ("\n" + figure_line_en if figure_line_en else "")
        options: dict[str, Any] = {
            "shape": "dot",
            "color": node_colour(COLOURS["cluster"], COLOURS["missing"] if severe else COLOURS["border"]),
            "borderWidth": ring_width(len(severe)),
            "font": {"size": 16, "background": LABEL_BACKGROUND},
            "label_en": label_en,
        }
        if output and is_comparable(output):
            options["value"] = float(output["value"])
        else:  # no figure, or one for part of a year or of the cluster: size unknown, not small
            options["size"] = UNSIZED
            options["color"] = node_colour(COLOURS["cluster_unsized"], options["color"]["border"])
            options["shapeProperties"] = {"borderDashes": [5, 4]}
            options["borderWidth"] = max(options["borderWidth"], 2)
        title = tooltips(lines, lines_en, sources=info["sources"], confidence=c["confidence"])
        net.add_view_node(c["id"], label, kind="cluster", info=info, title=title.zh, title_en=title.en, **options)
    for link in data["links"]:
        if link["source"] not in net.node_map or link["target"] not in net.node_map:
            continue
        count, unverified = len(link["pairs"]), len(link.get("unverified_pairs", []))
        words, words_en = link_count_words(count, unverified)
        lines, lines_en = pair_lines(link["pairs"], link.get("unverified_pairs", []))
        head = f"{link['source']} → {link['target']}"
        sourced = count - unverified
        net.add_view_edge(
            link["source"],
            link["target"],
            title=tooltip(f"跨集群供应 Cross-cluster supply: {head}（{words}）", *lines, sources=link["sources_ref"]),
            title_en=tooltip(
                f"Cross-cluster supply: {head} ({words_en})", *lines_en, sources=link["sources_ref"], english=True
            ),
            width=1 + min(sourced, 8),  # sourced links only: an arrow of unverified links alone is the thinnest
            color=COLOURS["edge_cross"] if sourced else faded(COLOURS["edge_cross"]),
            label=edge_label(count, unverified),
            label_en=edge_label(count, unverified, english=True),
        )
    net.options["nodes"]["scaling"] = {"min": SIZE_MIN, "max": SIZE_MAX}
    spread_layout(net, scaled_sizes(net, SIZE_MIN, SIZE_MAX))
    net.legend = [
        LegendEntry("集群，大小 = 全市全年产值 Cluster, size = city-wide full-year output", COLOURS["cluster"], "dot"),
        LegendEntry(
            "虚线浅色：无可比产值（中等大小，不按比例）dashed, pale: no comparable figure (mid-size, not to scale)",
            COLOURS["cluster_unsized"],
            "dot",
            dashed=True,
        ),
        LegendEntry(
            f"红圈：有严重缺口（严重度 ≥ {SEVERE}），越粗越多 red ring: gaps of severity ≥ {SEVERE}, thicker: more",
            COLOURS["missing"],
            "ring",
        ),
        LegendEntry(
            "跨集群供应，粗细 = 有来源的关系数，数字 = 全部（待核实）"
            "Cross-cluster supply, width = sourced links, number = all links (unverified)",
            COLOURS["edge_cross"],
            "line",
        ),
        LegendEntry(
            "浅色细线：全部待核实 faded, thin: all links unverified",
            faded(COLOURS["edge_cross"]),
            "line",
        ),
    ]
    return net


def edge_label(count: int, unverified: int, *, english: bool = False) -> str:
    """An overview arrow's label: its links, and how many of them are unverified.

    Parameters
    ----------
    count : int
        The supply links between the two clusters.
    unverified : int
        How many of them are not sourced.
    english : bool, optional
        The English page's label (else the Chinese page's).

    Returns
    -------
    str
        The count, with the unverified ones when there are any.

    Examples
    --------
    >>> edge_label(3, 0), edge_label(5, 4), edge_label(5, 4, english=True)
    ('3', '5（4 待核实）', '5 (4 unverified)')
    """
    if not unverified:
        return str(count)
    return f"{count} ({unverified} unverified)" if english else f"{count}（{unverified} 待核实）"


def pair_lines(
    pairs: list[tuple[str, str]], unverified: list[tuple[str, str]], limit: int = MAX_PAIRS_IN_TOOLTIP
) -> tuple[list[str], list[str]]:
    """The linked segment pairs of an overview arrow for its tooltips (Chinese page, English page), at most
    ``limit``, each unverified one marked (:data:`viz.parts.UNVERIFIED_MARK`).

    Parameters
    ----------
    pairs : list of (str, str)
        The supplying and supplied segment ids of each link.
    unverified : list of (str, str)
        The pairs whose link is not sourced.
    limit : int, optional
        At most this many pairs are listed, then how many more.

    Returns
    -------
    tuple of (list of str, list of str)
        The lines of the Chinese page's tooltip and of the English page's.

    Examples
    --------
    >>> pair_lines([("a", "b"), ("c", "d")], [("c", "d")])
    (['  a → b', '  c → d（待核实 unverified）'], ['  a → b', '  c → d (unverified)'])
    """
    marked = set(unverified)
    zh = [f"  {a} → {b}" + (UNVERIFIED_MARK[0] if (a, b) in marked else "") for a, b in pairs[:limit]]
    en = [f"  {a} → {b}" + (UNVERIFIED_MARK[1] if (a, b) in marked else "") for a, b in pairs[:limit]]
    if len(pairs) > limit:
        zh.append(f"  … +{len(pairs) - limit}")
        en.append(f"  … +{len(pairs) - limit}")
    return zh, en


def ring_width(severe: int) -> float:
    """The border of a cluster with ``severe`` gaps of severity :data:`SEVERE` or more: thin and dark without.

    >>> [ring_width(n) for n in (0, 1, 2, 3, 9)]
    [1, 3.5, 5.0, 6.5, 6.5]
    """
    return 1 if severe == 0 else 2 + 1.5 * min(severe, 3)
