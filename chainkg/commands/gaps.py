"""``chainkg gaps [CLUSTER]``: the gaps (缺链, 弱链, 断链, 延链), most severe first.

The same items as ``GET /api/v1/gaps`` and ``GET /api/v1/clusters/{id}/gaps``, with the
same filters; ``--json`` prints that body. The table shows each gap's severity, kind,
segment, local firms and the outside firms known to fill it (``chainkg candidates
SEGMENT`` ranks them), with its one-line explanation underneath.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_gap_kind_option,
    add_output_options,
    add_page_options,
    add_store_options,
    add_year_option,
    fraction_value,
    gap_kind_label,
    opened_store,
    page_line,
    paged,
    print_json,
    true_or_false,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import format_table, in_lang, name_in
from queries.clusters import LIST_YEARS
from queries.gap_kinds import GAP_PAGE_LIMIT

TABLE_LIMIT = 20
"""Gaps the table shows when no ``--limit`` is given (``--json`` shows the API's ``GAP_PAGE_LIMIT``)."""


def kind_in(kind: str, lang: str, *, unverified: bool = False) -> str:
    """A gap kind as the table shows it (:func:`chainkg.commands.common.gap_kind_label`): its Chinese name
    (``断链``) by default, its English name for ``en``, never the raw id (review 15a: ``broken_link``).

    ``unverified`` marks a kind that rests only on supply links the data marks unverified
    (the gap's ``kinds_unverified``), or any kind of a segment the data marks unverified or whose sources
    name a local base (``local_base``).

    >>> kind_in("broken_link", "zh"), kind_in("broken_link", "en")
    ('断链', 'broken link')
    >>> kind_in("broken_link", "zh", unverified=True), kind_in("broken_link", "en", unverified=True)
    ('断链（待核实）', 'broken link (unverified)')
    """
    return gap_kind_label(kind, lang, unverified=unverified)


def gap_headers(lang: str, *, cluster_column: bool, policy_column: bool) -> list[str]:
    """The table's headings: Chinese then English by default, English alone for ``en``.

    >>> gap_headers("en", cluster_column=False, policy_column=False)
    ['#', 'severity', 'kind', 'segment', 'local', 'candidates', 'name']
    >>> gap_headers("zh", cluster_column=True, policy_column=True)[1:5]
    ['严重度 severity', '类型 kind', '环节 segment', '集群 cluster']
    """
    words = [("严重度", "severity"), ("类型", "kind"), ("环节", "segment")]
    words += [("集群", "cluster")] if cluster_column else []
    words += [("本地企业", "local"), ("候选企业", "candidates")]
    words += [("政策", "policies")] if policy_column else []
    words += [("名称", "name")]
    return ["#", *zh_first_headers(lang, *words)]


def gap_rows(
    items: list[dict[str, Any]], offset: int, *, cluster_column: bool, policy_column: bool, lang: str = "zh"
) -> list[list[Any]]:
    """One row per gap: number, severity, kind, segment, [cluster], counts, [policies] and the segment's name."""
    rows = []
    for number, item in enumerate(items, start=offset + 1):
        row: list[Any] = [
            number,
            f"{item['severity']:.2f}",
            kind_in(
                item["kind"],
                lang,
                unverified=item["kind"] in item.get("kinds_unverified", ())
                or item.get("segment_confidence") == "unverified"  # the segment itself is unverified
                or bool(item.get("local_base")),  # a source names a local base the data place no firm of here
            ),
            item["segment_id"],
        ]
        if cluster_column:
            row.append(item["cluster_id"])
        row += [item["local_firm_count"], item["candidate_count"]]
        if policy_column:
            row.append(len(item.get("targeted_by", [])))
        row.append(name_in(item, lang, "segment_"))
        rows.append(row)
    return rows


def print_gaps(body: dict[str, Any], args: argparse.Namespace) -> None:
    items = body["items"]
    policy_column = args.untargeted is not None
    headers = gap_headers(args.lang, cluster_column=args.cluster is None, policy_column=policy_column)
    align = "rrll" + ("l" if args.cluster is None else "") + "rr" + ("r" if policy_column else "") + "l"
    table = format_table(
        headers,
        gap_rows(items, args.offset, cluster_column=args.cluster is None, policy_column=policy_column, lang=args.lang),
        align,
    )
    lines = table.split("\n")
    print("\n".join(lines[:2]))
    for line, item in zip(lines[2:], items, strict=True):
        print(line)
        print("    " + in_lang(item, "explanation", args.lang))
        if item.get("sub_gaps"):
            listed = ", ".join(item["sub_gaps"])
            print(
                "    "
                + (f"其子环节另列为缺口：{listed}" if args.lang == "zh" else f"its sub-segments are gaps too: {listed}")
            )
    print(page_line(len(items), body["total"], args.offset, "个缺口", "gaps", args.lang))
    if items and any(item["candidate_count"] for item in items):
        print(
            zh_then_en(
                args.lang, "可招引的企业：chainkg candidates SEGMENT", "whom to attract: chainkg candidates SEGMENT"
            )
        )


def run(args: argparse.Namespace) -> int:
    from queries.clusters import narrowed_list_completeness
    from queries.gaps import gaps, on_list
    from queries.policies import policy_gaps

    with opened_store(args) as store:
        if args.untargeted is not None:
            items = policy_gaps(
                store, args.cluster, args.year, args.kind, args.min_severity, args.untargeted, args.has_candidates
            )
            items = on_list(store, items, args.cluster, args.list_year)
        else:
            items = gaps(
                store, args.cluster, args.year, args.kind, args.min_severity, args.has_candidates, args.list_year
            )
        body = {
            **paged(items, args),
            **narrowed_list_completeness(store, args.list_year, args.cluster),
        }
    if args.json:
        print_json(body)
    else:
        print_gaps(body, args)
    return 0


EPILOG = """\
examples:
  chainkg gaps nev                          # the NEV cluster's gaps, most severe first
  chainkg gaps --kind broken_link           # every cluster's broken links (断链)
  chainkg gaps nev --kind 断链              # the same kind by its Chinese name, for one cluster
  chainkg gaps --has-candidates false       # gaps no outside firm in the data could fill: to research
  chainkg gaps nev --min-severity 0.5 --json
  chainkg gaps nev --lang en                # explanations and names in English
  chainkg candidates nev-electrolyte        # whom to attract for one gap
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the gaps (missing, weak, broken-link, extension segments) of one cluster or all, most severe first."
    p = sub.add_parser(
        "gaps", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("cluster", nargs="?", default=None, help="a cluster id, e.g. nev (default: every cluster)")
    add_gap_kind_option(p, "keep gaps of this kind, by id or Chinese name")
    p.add_argument("--min-severity", type=fraction_value, default=None, help="keep gaps at least this severe (0-1)")
    p.add_argument(
        "--has-candidates",
        type=true_or_false,
        default=None,
        metavar="true|false",
        help="false: only gaps no outside firm in the data could fill (to research); true: only those with one",
    )
    p.add_argument(
        "--untargeted",
        type=true_or_false,
        default=None,
        metavar="true|false",
        help="true: only gaps no policy names; false: the others (adds the policies column)",
    )
    p.add_argument(
        "--list-year",
        type=int,
        choices=LIST_YEARS,
        default=None,
        help="only the gaps of the clusters on one published list (a CLUSTER must be on it)",
    )
    add_year_option(p)
    add_page_options(p, limit=TABLE_LIMIT, json_limit=GAP_PAGE_LIMIT)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
