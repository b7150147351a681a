"""``chainkg targets [CLUSTER]``: whom to approach first (先找谁), each outside firm once, and why.

The same ranking as ``GET /api/v1/clusters/{id}/targets`` (or ``GET /api/v1/targets`` without a
cluster), with the same filters; ``--json`` prints that body. Each firm shows its priority, how many
gaps it would fill and its names, and underneath every gap (kind, severity, the firm's score and rank
among that gap's candidates) and the reasons. ``docs/analysis.md`` §12 gives the formula.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING, Any

from chainkg.commands.candidates import hq_cell
from chainkg.commands.common import (
    add_gap_kind_option,
    add_hq_option,
    add_output_options,
    add_page_options,
    add_per_gap_option,
    add_store_options,
    add_year_option,
    fraction_value,
    hq_paged,
    opened_store,
    page_line,
    print_hq_note,
    print_json,
    true_or_false,
    zh_first_headers,
    zh_then_en,
)
from chainkg.commands.gaps import kind_in
from chainkg.text_table import clean, format_table, name_in, reasons_text
from queries.candidates import rank_text
from queries.clusters import LIST_YEARS
from queries.gap_kinds import GAP_PAGE_LIMIT, KIND_NAMES_ZH

if TYPE_CHECKING:
    from graph.store import GraphStore

EPILOG = """\
examples:
  chainkg targets nev                          # whom to approach first for the NEV cluster, and why
  chainkg targets nev --kind broken_link       # only for its broken links (断链)
  chainkg targets nev --kind 延链              # only for its extensions, the kind by its Chinese name
  chainkg targets nev --per-gap 2              # the first two candidates of each gap (and any tied with them)
  chainkg targets --hq 深圳                    # the city's firms to approach that are headquartered in Shenzhen
  chainkg targets --min-severity 0.4 --lang en # across every cluster, only the gaps at least 0.4 severe
  chainkg targets nev --json                   # the body of GET /api/v1/clusters/nev/targets
  chainkg candidates nev-mcu-soc               # every candidate of one gap, with the score's parts
  chainkg report --targets                     # the city's list as a printable page (targets.html)
  chainkg report nev --brief                   # a cluster's first firms in a one- or two-page meeting brief
"""

KIND_WORDS = {
    kind: (KIND_NAMES_ZH[kind], english)
    for kind, english in (
        ("broken_link", "broken link"),
        ("extension", "extension"),
        ("missing", "missing"),
        ("weak", "weak"),
    )
}
"""Each gap kind's Chinese name and its English words, for the gap lines under a target."""
TABLE_LIMIT = 20
"""Targets the table shows when no ``--limit`` is given (``--json`` shows the API's ``GAP_PAGE_LIMIT``)."""


def gap_line(gap: dict[str, Any], lang: str) -> str:
    """One gap of a target: segment, names, kind, severity, the firm's score and rank there, and why it
    is not counted (its group is already here, or it counts through the gaps below it).

    >>> g = {"segment_id": "bio-cxo", "segment_name_zh": "CXO", "segment_name_en": "CXO", "kind": "weak",
    ...      "severity": 0.28, "score": 0.46, "rank": 2, "candidate_count": 4, "counted": False,
    ...      "counted_through": [], "group_already_here": True}
    >>> gap_line(g, "zh")
    '    - bio-cxo  CXO: 弱链，严重度 0.28，得分 0.46，候选第 2/4；其集团已有本地企业（扩产），不计入'

    A kind resting only on unverified supply links (``kinds_unverified``) is marked, as ``chainkg gaps`` marks it:

    >>> g = {**g, "kind": "broken_link", "kinds_unverified": ["broken_link"], "group_already_here": False,
    ...      "counted": True}
    >>> gap_line(g, "zh").split(": ")[1]
    '断链（待核实），严重度 0.28，得分 0.46，候选第 2/4'
    >>> gap_line(g, "en").split(": ")[1]
    'broken link (unverified), severity 0.28, score 0.46, rank 2/4'

    A rank other firms share (same score) says so:

    >>> gap_line({**g, "rank": 1, "tied_with": 2}, "zh").split(": ")[1]
    '断链（待核实），严重度 0.28，得分 0.46，候选第 1/4（3 家同分并列）'
    """
    unverified = gap["kind"] in gap.get("kinds_unverified", ())
    zh = kind_in(gap["kind"], "zh", unverified=unverified)
    en = KIND_WORDS.get(gap["kind"], (gap["kind"], gap["kind"]))[1] + (" (unverified)" if unverified else "")
    rank = rank_text(gap, lang)
    if lang == "zh":
        text = f"{zh}，严重度 {gap['severity']:.2f}，得分 {gap['score']:.2f}，候选第 {rank}"
        if gap.get("group_already_here"):
            text += "；其集团已有本地企业（扩产），不计入"
        elif not gap["counted"]:
            text += f"；经下级环节 {', '.join(gap['counted_through'])} 计入，不重复计"
    else:
        text = f"{en}, severity {gap['severity']:.2f}, score {gap['score']:.2f}, rank {rank}"
        if gap.get("group_already_here"):
            text += "; its group is already here (an expansion), not counted"
        elif not gap["counted"]:
            text += f"; counted once, through {', '.join(gap['counted_through'])}"
    return f"    - {clean(gap['segment_id'])}  {name_in(gap, lang, 'segment_')}: {text}"


def table_reasons(reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A target's reasons for the table, whose gap lines already list the gaps it fills.

    The gap list of ``fills_gaps`` is dropped; when ``gap_kinds`` follows it (``其中 2 个为断链``), a
    short ``可填补 N 个缺口`` / ``fills N gaps`` stays in front of it, so that "其中 / of which" refers to
    something.

    >>> fills = {"code": "fills_gaps", "count": 2, "zh": "可填补 2 个缺口：甲、乙", "en": "fills 2 gaps: A, B"}
    >>> kinds = {"code": "gap_kinds", "zh": "其中 2 个为断链", "en": "of which 2 broken links"}
    >>> [(r["zh"], r["en"]) for r in table_reasons([fills, kinds])]
    [('可填补 2 个缺口，其中 2 个为断链', 'fills 2 gaps, of which 2 broken links')]
    >>> table_reasons([fills])
    []
    """
    fills = next((r for r in reasons if r["code"] == "fills_gaps"), None)
    out: list[dict[str, Any]] = []
    for reason in reasons:
        if reason["code"] == "fills_gaps":
            continue
        if reason["code"] == "gap_kinds" and fills is not None:
            n = fills["count"]
            reason = {
                **reason,
                "zh": f"可填补 {n} 个缺口，{reason['zh']}",
                "en": f"fills {n} gap{'s' if n != 1 else ''}, {reason['en']}",
            }
        out.append(reason)
    return out


def why_no_targets(gap_count: int) -> str:
    """Why the ranking is empty: no gap passes the filters, or no outside firm fills the gaps that do.

    >>> why_no_targets(0)
    'no gap passes these filters (chainkg gaps takes the same ones and shows what there is)'
    """
    if gap_count == 0:
        return "no gap passes these filters (chainkg gaps takes the same ones and shows what there is)"
    return (
        f"no outside firm in the data fills these {gap_count} gap(s): they need research "
        "(chainkg gaps --has-candidates false)"
    )


def print_targets(body: dict[str, Any], args: argparse.Namespace, gap_count: int | None = None) -> None:
    """Print the ranking; ``gap_count`` (the gaps passing the filters) explains an empty one."""
    items = body["items"]
    if not items:
        print(page_line(0, body["total"], args.offset, "家目标企业", "targets", args.lang))
        print_hq_note(body, args)
        if body["total"] == 0 and gap_count is not None and args.hq is None:
            print(why_no_targets(gap_count))
        return
    every_cluster = args.cluster is None
    words = [("排名", "rank"), ("优先度", "priority"), ("缺口", "gaps"), ("企业", "firm")]
    words += [("集群", "clusters")] if every_cluster else []
    headers = zh_first_headers(args.lang, *words, ("总部", "hq"), ("名称", "name"))
    rows = []
    for item in items:
        rank = f"{item['rank']}=" if item.get("tied_with") else item["rank"]
        row: list[Any] = [rank, f"{item['priority']:.3f}", item["gap_count"], item["firm_id"]]
        if every_cluster:
            row.append(",".join(item["cluster_ids"]))
        # marked as the reports mark it (review 16a M2: 震裕, whose role is unverified, read as a plain first choice)
        unsure = UNVERIFIED_MARK[args.lang] if item.get("confidence") == "unverified" else ""
        row += [hq_cell(item.get("hq"), args.lang), name_in(item, args.lang) + unsure]
        rows.append(row)
    lines = format_table(headers, rows, "rrrl" + ("l" if every_cluster else "") + "ll").split("\n")
    print("\n".join(lines[:2]))
    for line, item in zip(lines[2:], items, strict=True):
        print(line)
        for gap in item["gaps"]:
            print(gap_line(gap, args.lang))
        why = reasons_text(table_reasons(item["reasons"]), args.lang)
        if why:
            print("    " + why)
    if any(item.get("tied_with") for item in items):
        print(TIE_NOTE[args.lang])
    print(page_line(len(items), body["total"], args.offset, "家目标企业", "targets", args.lang))
    print_hq_note(body, args)
    print(
        zh_then_en(
            args.lang,
            "单个缺口的全部候选企业：chainkg candidates SEGMENT",
            "every candidate of one gap: chainkg candidates SEGMENT",
        )
    )


def matching_gap_count(store: GraphStore, args: argparse.Namespace) -> int:
    """How many gaps pass the filters ``targets`` was given (``--per-gap`` filters firms, not gaps)."""
    from queries.gaps import gaps, on_list
    from queries.policies import policy_gaps

    if args.untargeted is not None:
        items = policy_gaps(store, args.cluster, args.year, args.kind, args.min_severity, args.untargeted)
        return len(on_list(store, items, args.cluster, args.list_year))
    return len(gaps(store, args.cluster, args.year, args.kind, args.min_severity, list_year=args.list_year))


UNVERIFIED_MARK = {"zh": "（待核实）", "en": " (unverified)"}
"""After the name of a target whose record or role no source backs (its ``confidence``), as the reports mark it."""

TIE_NOTE = {
    "zh": "排名后的 = ：优先度相同并列，按企业 id 排列，不分先后 / = after a rank: firms with the same priority share "
    "it, listed by id in no order of merit",
    "en": "= after a rank: firms with the same priority share it, listed by id in no order of merit",
}
"""Printed under a target table in which some firms share a rank."""


def run(args: argparse.Namespace) -> int:
    from queries.clusters import narrowed_list_completeness
    from queries.targets import targets

    with opened_store(args) as store:
        ranked = targets(
            store,
            args.cluster,
            args.year,
            args.kind,
            args.min_severity,
            args.per_gap,
            args.untargeted,
            args.list_year,
        )
        body = {
            **hq_paged(ranked, args),
            **narrowed_list_completeness(store, args.list_year, args.cluster),
        }
        gap_count = None if args.json or ranked else matching_gap_count(store, args)
    if args.json:
        print_json(body)
    else:
        print_targets(body, args, gap_count)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    text = (
        "Rank the outside firms to approach first (先找谁) for a cluster's gaps, or every cluster's: each firm "
        "once, by priority = 1 - product of (1 - severity x score) over the gaps it would fill, with those gaps "
        "and the reasons."
    )
    p = sub.add_parser(
        "targets", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("cluster", nargs="?", default=None, help="a cluster id, e.g. nev (default: every cluster)")
    add_gap_kind_option(p, "count only the gaps of this kind, by id or Chinese name")
    p.add_argument(
        "--untargeted",
        type=true_or_false,
        default=None,
        metavar="true|false",
        help="true: count only the gaps no policy names; false: only those some policy names",
    )
    add_per_gap_option(p)
    p.add_argument(
        "--min-severity", type=fraction_value, default=None, help="count only the gaps at least this severe (0-1)"
    )
    p.add_argument(
        "--list-year",
        type=int,
        choices=LIST_YEARS,
        default=None,
        help="count only the gaps of the clusters on one published list (a CLUSTER must be on it)",
    )
    add_year_option(p)
    add_hq_option(p)
    add_page_options(p, limit=TABLE_LIMIT, json_limit=GAP_PAGE_LIMIT)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
