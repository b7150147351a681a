"""``chainkg cluster-links [CLUSTER]``: which clusters supply which (集群间关联), through which segments.

The same answer as ``GET /api/v1/cluster-links`` (``?cluster=`` with a cluster, ``?list_year=`` with
``--list-year``); ``--json`` prints that body. One line per cluster pair, most links first, then its
segment links with confidence.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import add_output_options, add_store_options, answer, whole_list
from chainkg.text_table import clean, format_table, label
from queries.clusters import LIST_YEARS

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


def print_cluster_links(body: dict[str, Any], lang: str) -> None:
    """A table of cluster pairs, each followed by its segment links (``->`` for ``→`` in English: ASCII)."""
    if not body["items"]:
        print("no links between clusters")
        return
    arrow = label(lang, "→", "->")
    for item in body["items"]:
        unverified = f", {item['unverified_count']} unverified" if item["unverified_count"] else ""
        print(
            f"{item['source_cluster']} {arrow} {item['target_cluster']}  "
            f"{name_of(item, 'source_cluster_', lang)} {arrow} {name_of(item, 'target_cluster_', lang)}  "
            f"({item['link_count']} links{unverified})"
        )
        rows = [
            [
                link["source"],
                arrow,
                link["target"],
                link["confidence"],
                f"{name_of(link, 'source_', lang)} {arrow} {name_of(link, 'target_', lang)}",
            ]
            for link in item["links"]
        ]
        table = format_table(["from", "", "to", "confidence", "segments"], rows, "lllll")
        print("\n".join("    " + line for line in table.splitlines()))
    print(f"{body['total']} cluster pairs; a cluster's own chain and its cross-cluster links: chainkg chain CLUSTER")


def run(args: argparse.Namespace) -> int:
    from queries.cluster_links import cluster_links

    return answer(
        args,
        lambda store: whole_list(cluster_links(store, args.cluster, args.list_year)),
        lambda body: print_cluster_links(body, args.lang),
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
