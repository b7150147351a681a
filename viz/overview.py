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
>>> net.num_nodes(), net.nodes[0]["value"], "status" in net.nodes[0]["info"]  # a cluster is not "missing"
(1, 1300.0, False)
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from graph.model import NodeKind, Segment
from graph.store import GraphStore
from queries.cluster_links import cluster_links
from queries.clusters import LIST_SIZE, get_cluster, incomplete_list_note, list_clusters, lists_note
from queries.figures import (
    METRIC_LABELS,
    caveat,
    caveat_en,
    counted_scope,
    figure_scope,
    figure_text,
    headline_output,
    is_comparable,
    other_money_figure,
    with_scope_en,
)
from queries.gaps import gaps, listed_clusters
from queries.segment_graph import chain_data
from viz.edge_bends import EDGE_FONT_SIZE, bend_edges
from viz.layout import scaled_sizes, spread_layout
from viz.page import ViewNetwork
from viz.parts import UNVERIFIED_MARK, gap_summary, gaps_section, link_count_words, supply_group_title
from viz.search_index import search_index
from viz.sources import SourceBook
from viz.style import (
    COLOURS,
    LABEL_BACKGROUND,
    LegendEntry,
    display_name,
    english_part,
    faded,
    node_colour,
    tooltips,
    unique_sources,
    zh_part,
)

MAX_PAIRS_IN_TOOLTIP = 5
SIZE_MIN, SIZE_MAX = 18, 60
"""The radius of the cluster with the smallest and with the largest comparable output."""
SPRING = 250.0
"""The length two linked clusters are pulled towards (:func:`viz.layout.spread_positions`): longer than the
layout's default 220, so that the link counts on the arrows around 新能源汽车 have room to stand apart (review 15a:
at 220 they crowded round it, on one another and on 新一代电子信息技术's circle)."""
UNSIZED = (SIZE_MIN + SIZE_MAX) / 2
"""The radius of a cluster without a comparable output figure: the middle, so that it does not look small."""


def gather_overview(store: GraphStore, list_year: int | None = None) -> dict[str, Any]:
    """Collect the clusters, their output figures, their gaps and the cross-cluster links.

    Parameters
    ----------
    store : GraphStore
        The graph.
    list_year : {2022, 2024}, optional
        Only the clusters on that published list, and the links between two of them
        (:func:`queries.cluster_links.cluster_links`); ``None``: every cluster ever listed.

    Returns
    -------
    dict
        ``clusters``, ``links``, ``index`` (the search index), ``list_year``, and ``names``: the Chinese and
        English names of the clusters and of the linked segments, by id (``{"zh": {...}, "en": {...}}``).

    Raises
    ------
    InvalidQuery
        For a ``list_year`` other than 2022 or 2024 (the error names ``list_year``).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> [c["id"] for c in gather_overview(MemoryStore(tiny_chain()))["clusters"]]
    ['t-nev']
    >>> gather_overview(MemoryStore(tiny_chain()), list_year=2024)["clusters"]
    []
    """
    listed_clusters(store, None, list_year)  # checks the year, naming list_year
    book = SourceBook.from_store(store)
    gaps_by_cluster: dict[str, list[dict[str, Any]]] = defaultdict(list)
    segments = [n for n in store.nodes(NodeKind.SEGMENT) if isinstance(n, Segment)]
    segment_cluster = {n.id: n.cluster_id for n in segments}
    names = {n.id: n.name_zh for n in segments}
    names_en = {n.id: n.name_en or n.name_zh for n in segments}
    for gap in gaps(store):
        cluster = segment_cluster.get(gap["segment_id"])
        if cluster:
            gaps_by_cluster[cluster].append({**gap, "segment_name": names.get(gap["segment_id"], "")})
    clusters = []
    segment_data = chain_data(store)
    district_names = {n.name_zh: n.name_en for n in store.nodes(NodeKind.DISTRICT) if n.name_en}
    for summary in list_clusters(store, year=list_year):
        detail = get_cluster(store, summary["id"])
        members = segment_data.cluster_segments(summary["id"])
        own = {n.name_zh: n.name_en for n in segments if n.id in members and n.name_en}
        # a district's scope is named in English on the English page (queries.figures.with_scope_en), and a
        # scope that is one of the cluster's own segments by its name (新型碳材料: New carbon materials)
        figures = [
            segment_scope_en(with_scope_en(counted_scope(f, members, segment_data.subtree), district_names), own)
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
        for item in cluster_links(store, list_year=list_year)
    ]
    linked = {sid for link in links for pair in link["pairs"] for sid in pair}
    return {
        "clusters": clusters,
        "links": links,
        "index": search_index(store),
        "list_year": list_year,
        "names": {
            "zh": {**{s: names[s] for s in linked if s in names}, **{c["id"]: c["name_zh"] for c in clusters}},
            "en": {
                **{s: names_en[s] for s in linked if s in names_en},
                **{c["id"]: c["name_en"] or c["name_zh"] for c in clusters},
            },
        },
    }


def segment_scope_en(figure: dict[str, Any], segments_en: dict[str, str]) -> dict[str, Any]:
    """``figure`` with ``scope_en`` when it has none and its scope as published (:func:`queries.figures.figure_scope`)
    is the Chinese name of one of the cluster's own segments: that segment's English name, from the data.

    A scope that names no segment stays as published: no translation is made up.

    Parameters
    ----------
    figure : dict
        A figure, after :func:`queries.figures.with_scope_en`.
    segments_en : dict of str to str
        The cluster's segments: Chinese name → English name.

    Returns
    -------
    dict
        The figure, with ``scope_en`` where the data name its scope in English.

    Examples
    --------
    >>> fig = {"note": "Scope: 新型碳材料 (the national cluster within 新材料), not the whole cluster"}
    >>> segment_scope_en(fig, {"新型碳材料": "New carbon materials"})["scope_en"]
    'New carbon materials'
    >>> "scope_en" in segment_scope_en(fig, {"石墨烯": "Graphene"})
    False
    """
    if figure.get("scope_en") or figure.get("scope"):
        return figure
    english = segments_en.get(figure_scope(figure))
    return {**figure, "scope_en": english} if english else figure


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


DATED_FIGURE_YEARS = 5
"""A cluster's figure this many years or more older than the newest figure of any cluster is marked dated on its
label, tooltip and panel (review 15a: 高端纺织服装 stood for "236 亿元 (2007, 武进)", 生物医药 for a 2016 figure)."""
DATED_MARK = ("（旧数据）", " (dated)")


def dated_figure(figure: dict[str, Any] | None, newest: int | None) -> bool:
    """Whether ``figure`` is :data:`DATED_FIGURE_YEARS` or more older than ``newest`` (the newest figure's year).

    >>> dated_figure({"year": 2007}, 2025), dated_figure({"year": 2021}, 2025), dated_figure({"year": 2007}, None)
    (True, False, False)
    """
    year = (figure or {}).get("year")
    return bool(year and newest and newest - int(year) >= DATED_FIGURE_YEARS)


def overview_network(data: dict[str, Any]) -> ViewNetwork:
    """Build the overview from :func:`gather_overview`'s result.

    A cluster's circle is sized by its city-wide full-year output; a cluster without such a figure is drawn
    pale with a dashed outline, at the middle size (:data:`UNSIZED`), so that it reads as "not known", not as
    small. A red ring marks a cluster with gaps of severity :data:`SEVERE` or more (thicker: more of them).
    """
    titles = overview_titles(data["clusters"], data.get("list_year"))
    net = ViewNetwork(kind="overview", subject_id=None, title=titles["zh"], api_path="/api/v1/clusters")
    net.title_en = titles["en"]
    net.subtitle = (
        "大小 = 全市全年产值（虚线浅色：无可比产值）；红圈 = 严重缺口；箭头 = 跨集群供应（粗细：有来源的关系数）。 "
        "size = city-wide full-year output (dashed, pale: none comparable); red ring = severe gaps; "
        "arrows = supply links (width: sourced links). " + titles["note_zh"]
    )
    net.subtitle_en = (
        "Changzhou's advanced-manufacturing clusters: size = city-wide full-year output (dashed, pale: no "
        f"comparable figure); red ring = gaps of severity ≥ {SEVERE}; arrows = supply links (width: sourced links). "
        + titles["note_en"]
    )
    net.search_index = data["index"]
    years = [int(f["year"]) for c in data["clusters"] for f in c.get("figures", []) if f.get("year")]
    newest = max(years, default=None)
    for c in data["clusters"]:
        output = c["output"]
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
            # no gap status (缺链 Missing is a segment's): a cluster is not missing; its gaps are counted in the
            # fields and listed below, and the ring marks the severe ones
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
        if shown and dated_figure(shown, newest):  # an old figure does not pass for today's
            figure_line, figure_line_en = figure_line + DATED_MARK[0], figure_line_en + DATED_MARK[1]
            age = newest - int(shown["year"]) if newest else 0
            fields.insert(
                1,
                [
                    "数据年份 Figure year",
                    f"{shown['year']}（比最新数据早 {age} 年，较旧）",
                    f"{shown['year']} ({age} years before the newest figure: dated)",
                ],
            )
            lines[2] += DATED_MARK[0] if output is shown else ""
            lines_en[2] += DATED_MARK[1] if output is shown else ""
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
    names, names_en = data.get("names", {}).get("zh", {}), data.get("names", {}).get("en", {})
    for link in data["links"]:
        if link["source"] not in net.node_map or link["target"] not in net.node_map:
            continue
        count, unverified = len(link["pairs"]), len(link.get("unverified_pairs", []))
        sourced = count - unverified
        net.add_view_edge(
            link["source"],
            link["target"],
            **link_titles(link, names, names_en),
            info=link_info(link, names, names_en),
            width=1 + min(sourced, 8),  # sourced links only: an arrow of unverified links alone is the thinnest
            color=COLOURS["edge_cross"] if sourced else faded(COLOURS["edge_cross"]),
            label=edge_label(count, unverified),
            label_en=edge_label(count, unverified, english=True),
            font={"size": EDGE_FONT_SIZE, "align": "horizontal", "background": LABEL_BACKGROUND},
        )
    net.options["nodes"]["scaling"] = {"min": SIZE_MIN, "max": SIZE_MAX}
    sizes = scaled_sizes(net, SIZE_MIN, SIZE_MAX)
    spread_layout(net, sizes, spring=SPRING)
    bend_edges(net, sizes)
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


def overview_titles(clusters: list[dict[str, Any]], list_year: int | None = None) -> dict[str, str]:
    """The overview's title in Chinese and in English, and the subtitle's words on the lists.

    A published list of ten is titled as such (十大, with how many of its ten the data know when fewer); the
    clusters of both lists, more than ten, are titled by their number and the lists they span
    (:func:`queries.clusters.lists_note`).

    Parameters
    ----------
    clusters : list of dict
        The clusters drawn, each with its ``list_years``.
    list_year : int, optional
        The published list the clusters were chosen from (``?list_year=``), or ``None`` for every cluster.

    Returns
    -------
    dict of str to str
        ``zh`` and ``en`` (the title), ``note_zh`` (both languages) and ``note_en`` (the subtitle's last words).

    Examples
    --------
    >>> both = [{"list_years": [2022, 2024]}] * 6 + [{"list_years": [2022]}] + [{"list_years": [2024]}] * 4
    >>> t = overview_titles(both)
    >>> t["zh"]
    '常州先进制造业集群：2022、2024 年两版十大名单共 11 个'
    >>> t["en"]
    "Changzhou's advanced-manufacturing clusters: the 11 on the 2022 and 2024 lists of ten"
    >>> t = overview_titles([{"list_years": [2022, 2024]}] * 7, 2022)
    >>> t["zh"]
    '常州十大先进制造业集群（2022 年名单，已知 7 个）'
    >>> t["en"]
    "Changzhou's ten advanced-manufacturing clusters (the 2022 list, 7 known)"
    >>> overview_titles([{"list_years": [2024]}] * 10, 2024)["zh"]
    '常州十大先进制造业集群（2024 年名单）'
    >>> overview_titles([{"list_years": [2024]}] * 10)["zh"]
    '常州十大先进制造业集群'
    """
    count = len(clusters)
    if list_year is not None:
        known = "" if count >= LIST_SIZE else f"，已知 {count} 个"
        known_en = "" if count >= LIST_SIZE else f", {count} known"
        only_zh = f"仅 {list_year} 年名单上的集群及其间的跨集群供应"
        only_en = f"only the clusters on the {list_year} list, and the supply links between them"
        incomplete = incomplete_list_note(list_year, count)
        return {
            "zh": f"常州十大先进制造业集群（{list_year} 年名单{known}）",
            "en": f"Changzhou's ten advanced-manufacturing clusters (the {list_year} list{known_en})",
            "note_zh": f"{only_zh} {only_en}" + (f"；{incomplete['zh']} {incomplete['en']}" if incomplete else ""),
            "note_en": only_en + (f"; {incomplete['en']}" if incomplete else ""),
        }
    note = lists_note(clusters)
    if note is None:  # exactly one complete list's ten
        return {"zh": "常州十大先进制造业集群", "en": "Changzhou's ten advanced-manufacturing clusters",
                "note_zh": "", "note_en": ""}  # fmt: skip
    years = sorted({y for c in clusters for y in c.get("list_years", [])})
    if len(years) > 1:
        zh = f"常州先进制造业集群：{'、'.join(map(str, years))} 年两版十大名单共 {count} 个"
        if len(years) > 2:
            zh = f"常州先进制造业集群：{'、'.join(map(str, years))} 年各版十大名单共 {count} 个"
        on = " and ".join(map(str, years))
        en = f"Changzhou's advanced-manufacturing clusters: the {count} on the {on} lists of ten"
    elif years:
        zh = f"常州先进制造业集群：{years[0]} 年十大名单上的 {count} 个"
        en = f"Changzhou's advanced-manufacturing clusters: the {count} on the {years[0]} list of ten"
    else:
        zh, en = f"常州先进制造业集群（{count} 个）", f"Changzhou's advanced-manufacturing clusters ({count})"
    return {"zh": zh, "en": en, "note_zh": _lists_words(clusters, english=False),
            "note_en": _lists_words(clusters, english=True)}  # fmt: skip


def link_titles(link: dict[str, Any], names: dict[str, str], names_en: dict[str, str]) -> dict[str, str]:
    """The tooltips of an overview arrow (Chinese page, English page), as keyword arguments for ``add_view_edge``.

    The first line names the two clusters; then, as the cluster view's arrows that stand for several links
    (:func:`viz.parts.supply_group_title`), the links counted, each linked pair of segments by name (an
    unverified one marked), the sources, and the confidence.

    Parameters
    ----------
    link : dict
        One of :func:`gather_overview`'s ``links``.
    names, names_en : dict of str to str
        Cluster and segment names by id for the Chinese and the English page; an id without one is shown as it is.

    Returns
    -------
    dict of str to str
        ``{"title": ..., "title_en": ...}``.

    Examples
    --------
    >>> link = {"source": "ne", "target": "nev", "pairs": [("ne-h2", "nev-fc")], "unverified_pairs": [],
    ...         "sources_ref": []}
    >>> t = link_titles(link, {"ne": "新能源", "ne-h2": "氢能"}, {"ne": "New energy", "ne-h2": "Hydrogen"})
    >>> t["title"].splitlines()[:3]
    ['跨集群供应 Cross-cluster supply: 新能源 → nev', '供应 Supplies: 1 条 link', '  氢能 → nev-fc']
    >>> t["title_en"].splitlines()[:3]
    ['Cross-cluster supply: New energy → nev', 'Supplies: 1 link', '  Hydrogen → nev-fc']
    """
    unsure = set(map(tuple, link.get("unverified_pairs", [])))
    titles = {}
    for key, named, english in (("title", names, False), ("title_en", names_en, True)):
        head = "Cross-cluster supply" if english else "跨集群供应 Cross-cluster supply"
        ends = f"{named.get(link['source'], link['source'])} → {named.get(link['target'], link['target'])}"
        pairs = [(named.get(a, a), named.get(b, b), (a, b) in unsure) for a, b in link["pairs"]]
        body = supply_group_title(pairs, link["sources_ref"], english=english, limit=MAX_PAIRS_IN_TOOLTIP)
        titles[key] = f"{head}: {ends}\n{body}"
    return titles


def link_info(link: dict[str, Any], names: dict[str, str], names_en: dict[str, str]) -> dict[str, Any]:
    """The details-panel info of an overview arrow: the two clusters by name, the links counted, and each
    linked segment of either cluster as a link to its segment view (an item's ``ref``), with the segments it
    supplies or is supplied by; an unverified link is marked (:data:`viz.parts.UNVERIFIED_MARK`).

    Parameters
    ----------
    link : dict
        One of :func:`gather_overview`'s ``links``.
    names, names_en : dict of str to str
        Cluster and segment names by id for the Chinese and the English page.

    Returns
    -------
    dict
        ``name_zh``, ``name_en``, ``fields`` (with their English), ``sections`` (items with ``ref``),
        ``sources`` and ``confidence``, as a node's info, and ``confidence_note`` (how many of the links are
    unverified, for the panel's badge; empty when none is).

    Examples
    --------
    >>> link = {"source": "ne", "target": "nev", "pairs": [("ne-h2", "nev-fc")], "unverified_pairs": [("ne-h2",
    ...         "nev-fc")], "sources_ref": []}
    >>> info = link_info(link, {"ne": "新能源", "nev": "新能源汽车", "ne-h2": "氢能", "nev-fc": "燃料电池"},
    ...                  {"ne": "New energy", "nev": "NEV", "ne-h2": "Hydrogen", "nev-fc": "Fuel cells"})
    >>> info["name_zh"], info["confidence"], info["confidence_note"]
    ('新能源 → 新能源汽车', 'unverified', ['1 条中 1 条待核实', '1 of 1 links unverified'])
    >>> item = info["sections"][0]["items"][0]
    >>> item["text"], item["text_en"], item["ref"], item["detail_en"]
    ('氢能', 'Hydrogen', ['segment', 'ne-h2'], '→ Fuel cells (unverified)')
    """
    source, target = link["source"], link["target"]
    unsure = set(map(tuple, link.get("unverified_pairs", [])))
    count = len(link["pairs"])
    words, words_en = link_count_words(count, len(unsure))

    def named(sid: str, english: bool) -> str:
        return (names_en if english else names).get(sid, sid)

    def side(end: int, cluster: str) -> dict[str, Any]:
        """The linked segments of one cluster, each with the segments at the other end of its links."""
        other: dict[str, list[tuple[str, bool]]] = defaultdict(list)
        for pair in link["pairs"]:
            other[pair[end]].append((pair[1 - end], tuple(pair) in unsure))
        arrow = "→" if end == 0 else "←"
        items = []
        for sid, ends in other.items():
            detail = {
                lang: f"{arrow} "
                + ("、" if lang == "zh" else ", ").join(
                    named(o, lang == "en") + (UNVERIFIED_MARK[lang == "en"] if marked else "") for o, marked in ends
                )
                for lang in ("zh", "en")
            }
            items.append(
                {
                    "text": named(sid, False),
                    "text_en": named(sid, True),
                    "ref": ["segment", sid],
                    "detail": detail["zh"],
                    "detail_en": detail["en"],
                }
            )
        title = ("供应方环节 Supplying segments", "Supplying segments") if end == 0 else (
            "需求方环节 Supplied segments", "Supplied segments")  # fmt: skip
        return {
            "title": f"{title[0]} · {named(cluster, False)}",
            "title_en": f"{title[1]} · {named(cluster, True)}",
            "items": items,
        }

    return {
        "kind": "cluster_link",
        "name_zh": f"{named(source, False)} → {named(target, False)}",
        "name_en": f"{named(source, True)} → {named(target, True)}",
        "fields": [
            ["关系 Relation", "跨集群供应 Cross-cluster supply", "Cross-cluster supply"],
            ["供应方 From", named(source, False), named(source, True)],
            ["需求方 To", named(target, False), named(target, True)],
            ["供应关系 Links", words, words_en],
        ],
        "sections": [side(0, source), side(1, target)],
        "sources": link["sources_ref"],
        "confidence": "unverified" if unsure else "sourced",
        # review 15a: a badge "unverified" on 5 links of which 1 is sourced said too much; it counts them
        "confidence_note": [f"{count} 条中 {len(unsure)} 条待核实", f"{len(unsure)} of {count} links unverified"]
        if unsure
        else [],
    }


def ring_width(severe: int) -> float:
    """The border of a cluster with ``severe`` gaps of severity :data:`SEVERE` or more: thin and dark without.

    >>> [ring_width(n) for n in (0, 1, 2, 3, 9)]
    [1, 3.5, 5.0, 6.5, 6.5]
    """
    return 1 if severe == 0 else 2 + 1.5 * min(severe, 3)
