"""``chainkg health [CLUSTER]``: clusters ranked by chain health (产业链健康度), or one cluster's score.

Without a cluster, the same ranking as ``GET /api/v1/health-ranking``; with one, the same
as ``GET /api/v1/clusters/{id}/health``: the score, its components and the most severe gaps.
``--json`` prints that body.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_output_options,
    add_page_options,
    add_store_options,
    add_year_option,
    opened_store,
    paged,
    print_json,
)
from chainkg.text_table import format_table, in_lang, names, page_footer


def ranking_row(item: dict[str, Any]) -> list[Any]:
    counts = item["counts"]
    return [
        item["rank"] if "rank" in item else "",
        f"{item['score']:.3f}",  # three decimals: clusters often differ in the third
        item["cluster_id"],
        counts["segments"],
        counts["strong"],
        counts["weak"],
        counts["missing"],
        counts["gaps"],
        counts["local_firms"],
        names(item),
    ]


def print_ranking(body: dict[str, Any], offset: int) -> None:
    headers = ["rank", "health", "cluster", "segments", "strong", "weak", "missing", "gaps", "local firms", "name"]
    print(format_table(headers, [ranking_row(i) for i in body["items"]], "rrlrrrrrrl"))
    print(page_footer(len(body["items"]), body["total"], offset, "clusters"))
    print("one cluster: chainkg health CLUSTER; its chain: chainkg chain CLUSTER")


def print_health(item: dict[str, Any], lang: str) -> None:
    print(f"{item['cluster_id']}  {names(item)}")
    print(f"health 健康度  {item['score']:.3f}")
    components = item["components"]
    rows = []
    for key, weighted in item["weighted"].items():
        value = components.get(key, "")
        if key == "weak_links" and "weak_share" in components:
            value = f"{value} ({components['weak_share']:.3f})"
        elif isinstance(value, float):
            value = f"{value:.3f}"
        rows.append([key, value, f"{weighted:.3f}", f"{item['weights'][key]:.2f}"])
    print(format_table(["component", "value", "weighted", "weight"], rows, "lrrr"))
    counts = item["counts"]
    print(
        f"{counts['segments']} segments: {counts['present']} with local firms ({counts['strong']} strong, "
        f"{counts['weak']} weak), {counts['missing']} missing; {counts['gaps']} gaps; "
        f"{counts['local_firms']} local firms"
    )
    if item.get("top_gaps"):
        print()
        print("most severe gaps 主要短板")
        for gap in item["top_gaps"]:
            print(f"  {gap['severity']:.2f}  {gap['kind']:<11}  {gap['segment_id']}")
            print("        " + in_lang(gap, "explanation", lang))
        print(f"all of them: chainkg gaps {item['cluster_id']}")


def run(args: argparse.Namespace) -> int:
    from queries.health import health, health_ranking

    with opened_store(args) as store:
        if args.cluster is not None:
            body = health(store, args.cluster, args.year)
        else:
            body = paged(health_ranking(store, args.year, args.list_year), args)
    if args.json:
        print_json(body)
    elif args.cluster is not None:
        print_health(body, args.lang)
    else:
        print_ranking(body, args.offset)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    text = "Rank the clusters by chain health, or show one cluster's health score, its parts and worst gaps."
    p = sub.add_parser("health", help=text, description=text)
    p.add_argument("cluster", nargs="?", default=None, help="a cluster id, e.g. nev (default: rank every cluster)")
    p.add_argument(
        "--list-year", type=int, choices=[2022, 2024], default=None, help="only the clusters of one published list"
    )
    add_year_option(p)
    add_page_options(p, limit=50)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
