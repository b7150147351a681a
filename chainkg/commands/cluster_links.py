"""``chainkg cluster-links [CLUSTER]``: which clusters supply which (集群间关联), through which segments.

The same answer as ``GET /api/v1/cluster-links`` (``?cluster=`` with a cluster); ``--json`` prints
that body. One line per cluster pair, most links first, then its segment links with confidence.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import add_output_options, add_store_options, answer, whole_list
from chainkg.text_table import format_table

EPILOG = """\
examples:
  chainkg cluster-links                 # every pair of clusters joined by supply
  chainkg cluster-links nev             # the clusters that supply the NEV cluster or that it supplies
  chainkg cluster-links --json          # the body of GET /api/v1/cluster-links
"""


def print_cluster_links(body: dict[str, Any], lang: str) -> None:
    """A table of cluster pairs, each followed by its segment links."""
    if not body["items"]:
        print("no links between clusters")
        return
    for item in body["items"]:
        name = "name_zh" if lang == "zh" else "name_en"
        unverified = f", {item['unverified_count']} unverified" if item["unverified_count"] else ""
        print(
            f"{item['source_cluster']} → {item['target_cluster']}  "
            f"{item['source_cluster_' + name]} → {item['target_cluster_' + name]}  "
            f"({item['link_count']} links{unverified})"
        )
        rows = [
            [
                link["source"],
                "→",
                link["target"],
                link["confidence"],
                f"{link['source_' + name]} → {link['target_' + name]}",
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
        lambda store: whole_list(cluster_links(store, args.cluster)),
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
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
