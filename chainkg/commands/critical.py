"""``chainkg critical CLUSTER``: which of a cluster's segments, or local firms, would hurt it most if lost.

The same answers as ``GET /api/v1/clusters/{id}/critical-segments`` and (with ``--firms``)
``GET /api/v1/clusters/{id}/critical-firms``; ``--json`` prints that body. Segments are ranked by what
depends on them downstream (``chainkg impact SEGMENT`` for one of them, with every dependent named);
firms by what their leaving would do to the cluster (``chainkg what-if FIRM`` for one of them).
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_output_options,
    add_page_options,
    add_store_options,
    add_year_option,
    answer,
    confidence_label,
    paged,
    status_label,
    status_name_zh,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.commands.gaps import kind_in
from chainkg.text_table import format_table, name_in

TABLE_LIMIT = 15
"""Rows a table shows without ``--limit``."""

EPILOG = """\
examples:
  chainkg critical nev                   # NEV's segments, by the local firms that depend on them downstream
  chainkg critical nev --firms           # NEV's local firms, by what their leaving would do to its health
  chainkg critical green-steel --firms --limit 5
  chainkg critical nev --lang en         # in English
  chainkg critical nev --json            # the body of GET /api/v1/clusters/nev/critical-segments
  chainkg impact nev-production-equipment   # then one segment in full: what depends on it
  chainkg what-if xingyu                    # then one firm in full: every segment that moves
"""


def dependents_cell(counts: dict[str, Any], lang: str = "zh") -> str:
    """The dependent local firms, with how many rest only on unverified supply links.

    >>> dependents_cell({"dependent_local_firms": 30, "dependent_local_firms_unverified_only": 10})
    '30 (10 待核实 unverified)'
    >>> dependents_cell({"dependent_local_firms": 3, "dependent_local_firms_unverified_only": 0}, "en")
    '3'
    """
    total, unsure = counts["dependent_local_firms"], counts["dependent_local_firms_unverified_only"]
    if not unsure:
        return str(total)
    return f"{total} ({unsure} {confidence_label('unverified', lang)})"


SEGMENT_HEADERS = (
    ("序", "#"),
    ("环节", "segment"),
    ("现状", "status"),
    ("本地企业", "local"),
    ("单点", "point"),
    ("下游本地企业", "dependent firms"),
    ("唯一路径", "only via it"),
    ("下游环节", "downstream"),
    ("名称", "name"),
)
"""The headings of the segments table, ``(zh, en)``."""
FIRM_HEADERS = (
    ("序", "#"),
    ("企业", "firm"),
    ("链主", "anchor"),
    ("健康度", "health"),
    ("现状下降", "status drops"),
    ("新缺口", "new gaps"),
    ("名称", "name"),
)
"""The headings of the firms table, ``(zh, en)``."""


def print_segments(body: dict[str, Any], lang: str) -> None:
    """The segments table, most critical first, and what the columns mean."""
    rows = []
    for rank, item in enumerate(body["items"], start=body["offset"] + 1):
        counts = item["counts"]
        kind = item["gap_kind"]
        status = status_label(item["status"], lang)
        status += f" ({kind_in(kind, lang)})" if kind and kind != item["status"] else ""
        rows.append(
            [
                rank,
                item["id"],
                status,
                item["local_firm_count"],
                zh_first(lang, "单点", "single") if item["single_point"] else "",
                dependents_cell(counts, lang),
                counts["exclusive_dependents"],
                counts["downstream_segments"],
                name_in(item, lang),
            ]
        )
    cluster = body["cluster_id"]
    print(
        zh_then_en(
            lang, f"{cluster}：环节关键度（下游依赖）", f"{cluster}: segments by what depends on them downstream"
        )
    )
    print(format_table(zh_first_headers(lang, *SEGMENT_HEADERS), rows, "rllrlrrrl"))
    shown, total = len(rows), body["total"]
    print(
        zh_then_en(
            lang,
            f"显示 {shown} 个，共 {total} 个；单点 = 仅一家本地企业而有本地企业依赖它；无本地企业的环节排在最后；"
            "单个环节详见：chainkg impact SEGMENT",
            f"{shown} of {total}; single = one local firm holds it while local firms depend on it; segments no local "
            "firm holds come last; one segment in full: chainkg impact SEGMENT",
        )
    )


def drops_cell(item: dict[str, Any], lang: str = "zh") -> str:
    """The segments whose status falls without the firm: ``id 弱链->缺链`` (for ``en`` ``id weak->missing``),
    comma-separated.

    >>> drops = {"status_drops": [{"segment_id": "nev-lighting", "status_before": "weak", "status_after": "missing"}]}
    >>> drops_cell(drops), drops_cell(drops, "en")
    ('nev-lighting 弱链->缺链', 'nev-lighting weak->missing')
    >>> drops_cell({"status_drops": []})
    ''
    """

    def word(status: str) -> str:
        return status if lang == "en" else status_name_zh(status)

    return ", ".join(
        f"{d['segment_id']} {word(d['status_before'])}->{word(d['status_after'])}" for d in item["status_drops"]
    )


def health_cell(item: dict[str, Any]) -> str:
    """The cluster's health before -> after, with the change; ``-`` when it holds.

    >>> health_cell({"health_before": 0.457566, "health_after": 0.426459, "health_delta": -0.031107})
    '0.458 -> 0.426 (-0.031)'
    >>> health_cell({"health_before": None, "health_after": None, "health_delta": 0.0})
    '-'
    """
    if item["health_before"] is None:
        return "-"
    return f"{item['health_before']:.3f} -> {item['health_after']:.3f} ({item['health_delta']:+.3f})"


def print_firms(body: dict[str, Any], lang: str) -> None:
    """The firms table, most critical first."""
    rows = [
        [
            rank,
            item["id"],
            zh_first(lang, "链主", "anchor") if item["is_anchor"] else "",
            health_cell(item),
            drops_cell(item, lang),
            ", ".join(item["new_gaps"]),
            name_in(item, lang),
        ]
        for rank, item in enumerate(body["items"], start=body["offset"] + 1)
    ]
    cluster = body["cluster_id"]
    print(
        zh_then_en(lang, f"{cluster}：企业关键度（若离开）", f"{cluster}: local firms by what their leaving would do")
    )
    print(format_table(zh_first_headers(lang, *FIRM_HEADERS), rows, "rlllll"))
    shown, total = len(rows), body["total"]
    print(
        zh_then_en(
            lang,
            f"显示 {shown} 家，共 {total} 家；单个企业详见：chainkg what-if FIRM",
            f"{shown} of {total}; one firm in full: chainkg what-if FIRM",
        )
    )
    print(zh_then_en(lang, f"注意：{body['caveat_zh']}", f"note: {body['caveat_en']}"))


def run(args: argparse.Namespace) -> int:
    from queries.criticality import critical_firms, critical_firms_caveat, critical_segments

    ranking = critical_firms if args.firms else critical_segments
    show = print_firms if args.firms else print_segments
    caveat = critical_firms_caveat() if args.firms else {}
    return answer(
        args,
        lambda store: {"cluster_id": args.cluster, **paged(ranking(store, args.cluster, args.year), args), **caveat},
        lambda body: show(body, args.lang),
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "Rank a cluster's segments (or, with --firms, its local firms) by how much their loss would hurt it."
    p = sub.add_parser(
        "critical", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("cluster", help="a cluster id, e.g. nev (chainkg health lists them)")
    p.add_argument(
        "--firms",
        action="store_true",
        help="rank the cluster's local firms by what their leaving would do (what-if for each), not its segments",
    )
    add_page_options(p, limit=TABLE_LIMIT, json_limit=50)
    add_year_option(p)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
