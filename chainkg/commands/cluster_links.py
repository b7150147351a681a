"""``chainkg cluster-links [CLUSTER]``: which clusters supply which (集群间关联), through which segments.

The same answer as ``GET /api/v1/cluster-links`` (``?cluster=`` with a cluster, ``?list_year=`` with
``--list-year``); ``--json`` prints that body. One line per cluster pair, most links first, then its
segment links with confidence and the ids of the sources each link cites (``chainkg sources`` shows
them).
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from chainkg.commands.common import (
    add_output_options,
    add_store_options,
    answer,
    confidence_label,
    whole_list,
    zh_first_headers,
    zh_then_en,
)
from chainkg.commands.health import list_note_text
from chainkg.text_table import clean, format_table, label
from graph.model import EdgeKind, NodeKind
from queries.clusters import LIST_YEARS

if TYPE_CHECKING:
    from graph.store import GraphStore

EPILOG = """\
examples:
  chainkg cluster-links                   # every pair of clusters joined by supply
  chainkg cluster-links nev               # the clusters that supply the NEV cluster or that it supplies
  chainkg cluster-links nev --lang en     # English names
  chainkg cluster-links --list-year 2024  # only the pairs of two clusters on the 2024 list
  chainkg cluster-links --json            # the body of GET /api/v1/cluster-links
"""


def name_of(item: dict[str, Any], prefix: str, lang: str) -> str:
    """The ``{prefix}name_zh`` of ``item``, or for ``en`` its ``{prefix}name_en`` (the Chinese one when it has none).

    >>> link = {"source_name_zh": "整车", "source_name_en": "", "target_name_zh": "电芯", "target_name_en": "Cells"}
    >>> name_of(link, "source_", "en"), name_of(link, "target_", "en"), name_of(link, "target_", "zh")
    ('整车', 'Cells', '电芯')
    """
    if lang == "en":
        return clean(item.get(f"{prefix}name_en") or item.get(f"{prefix}name_zh") or "")
    return clean(item.get(f"{prefix}name_zh") or "")


def links_inside(store: GraphStore, cluster_id: str) -> int:
    """How many SUPPLIES links join two segments of the cluster ``cluster_id`` (the links ``chain`` shows).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_city
    >>> links_inside(MemoryStore(tiny_city()), "t-nev") > 0
    True
    """
    segments = {n.id for n in store.nodes(NodeKind.SEGMENT) if getattr(n, "cluster_id", None) == cluster_id}
    return sum(1 for e in store.edges(EdgeKind.SUPPLIES) if e.source in segments and e.target in segments)


def no_links_text(cluster_id: str | None, list_year: int | None, inside: int, lang: str) -> str:
    """What ``cluster-links`` says when no pair is found: for the whole city, or for the one cluster asked for.

    A cluster with links among its own segments is pointed to ``chain CLUSTER``.

    >>> print(no_links_text("ele", None, 5, "en"))
    ele has no supply links with other clusters (5 links inside it: chainkg chain ele)
    >>> print(no_links_text("ele", 2024, 0, "zh"))
    ele 与 2024 年名单上的其他集群之间没有供应关系 / ele has no supply links with other clusters on the 2024 list
    >>> print(no_links_text(None, None, 0, "en"))
    no links between clusters
    """
    zh_list = f" {list_year} 年名单上的" if list_year else ""
    en_list = f" on the {list_year} list" if list_year else ""
    if cluster_id is None:
        en_all = f"no links between clusters{en_list}"
        return label(lang, f"{zh_list.lstrip()}集群之间没有供应关系 / {en_all}", en_all)
    en = f"{cluster_id} has no supply links with other clusters{en_list}"
    if lang == "en":
        return en + (f" ({inside} links inside it: chainkg chain {cluster_id})" if inside else "")
    zh = f"{cluster_id} 与{zh_list}其他集群之间没有供应关系"
    inner = f" (集群内 {inside} 条 / {inside} links inside it: chainkg chain {cluster_id})" if inside else ""
    return f"{zh} / {en}{inner}"


def link_count_text(links: int, unverified: int, lang: str = "zh") -> str:
    """A cluster pair's link count, with how many are unverified: English, and Chinese too unless ``en``.

    >>> link_count_text(1, 1, "en"), link_count_text(3, 0, "en")
    ('(1 link, 1 unverified)', '(3 links)')
    >>> link_count_text(5, 4, "zh")
    '(5 条供应关系，其中 4 条待核实 / 5 links, 4 unverified)'
    """
    english = f"{links} link" + ("" if links == 1 else "s") + (f", {unverified} unverified" if unverified else "")
    chinese = f"{links} 条供应关系" + (f"，其中 {unverified} 条待核实" if unverified else "")
    return f"({zh_then_en(lang, chinese, english)})"


LINK_HEADERS = (
    ("供应环节", "from"),
    ("", ""),
    ("被供应环节", "to"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("环节名称", "segments"),
)
"""The headings of a pair's segment links, ``(zh, en)``; the second column holds the arrows."""


def link_row(link: dict[str, Any], lang: str) -> list[str]:
    """One segment link: from, arrow, to, confidence, the ids of its sources (as the API gives them), names.

    >>> link = {"source": "a", "target": "b", "confidence": "unverified", "sources": ["s1", "s2"],
    ...         "source_name_zh": "甲", "target_name_zh": "乙", "target_name_en": "B"}
    >>> link_row(link, "zh")
    ['a', '→', 'b', '待核实 unverified', 's1, s2', '甲 → 乙']
    >>> link_row({**link, "sources": []}, "en")
    ['a', '->', 'b', 'unverified', '-', '甲 -> B']
    """
    arrow = label(lang, "→", "->")
    return [
        link["source"],
        arrow,
        link["target"],
        confidence_label(link["confidence"], lang),
        ", ".join(clean(s) for s in link.get("sources") or ()) or "-",
        f"{name_of(link, 'source_', lang)} {arrow} {name_of(link, 'target_', lang)}",
    ]


def print_cluster_links(body: dict[str, Any], lang: str, empty: str = "no links between clusters") -> None:
    """A table of cluster pairs, each followed by its segment links (``->`` for ``→`` in English: ASCII).

    ``empty`` is printed when there is no pair (:func:`no_links_text`).
    """
    if not body["items"]:
        print(empty)
        return
    arrow = label(lang, "→", "->")
    for item in body["items"]:
        print(
            f"{item['source_cluster']} {arrow} {item['target_cluster']}  "
            f"{name_of(item, 'source_cluster_', lang)} {arrow} {name_of(item, 'target_cluster_', lang)}  "
            + link_count_text(item["link_count"], item["unverified_count"], lang)
        )
        rows = [link_row(link, lang) for link in item["links"]]
        table = format_table(zh_first_headers(lang, *LINK_HEADERS), rows, "llllll")
        print("\n".join("    " + line for line in table.splitlines()))
    english = f"{body['total']} cluster pairs; a cluster's own chain and its cross-cluster links: chainkg chain CLUSTER"
    chinese = f"共 {body['total']} 对集群；单个集群的产业链及跨集群关联见 chainkg chain CLUSTER"
    print(zh_then_en(lang, chinese, english))
    print(zh_then_en(lang, "来源详情：chainkg sources ID", "a source's details: chainkg sources ID"))
    if body.get("list_note_zh"):
        print(list_note_text({"zh": body["list_note_zh"], "en": body["list_note_en"]}, lang))


def run(args: argparse.Namespace) -> int:
    from queries.cluster_links import cluster_links

    inside: list[int] = []

    def fetch(store: GraphStore) -> dict[str, Any]:
        from queries.clusters import narrowed_list_completeness

        body = whole_list(cluster_links(store, args.cluster, args.list_year))
        body.update(narrowed_list_completeness(store, args.list_year, args.cluster))
        if args.cluster is not None and not body["items"] and not args.json:
            inside.append(links_inside(store, args.cluster))
        return body

    return answer(
        args,
        fetch,
        lambda body: print_cluster_links(
            body, args.lang, no_links_text(args.cluster, args.list_year, sum(inside), args.lang)
        ),
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show which clusters supply which (集群间关联), with every segment link between them."
    p = sub.add_parser(
        "cluster-links",
        help=text,
        description=text,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("cluster", nargs="?", default=None, help="only the pairs this cluster is part of, e.g. nev")
    p.add_argument(
        "--list-year",
        type=int,
        choices=LIST_YEARS,
        default=None,
        help="only the pairs whose two clusters are on one published list (a CLUSTER must be on it)",
    )
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
