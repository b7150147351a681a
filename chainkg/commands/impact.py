"""``chainkg impact SEGMENT``: what depends on a segment downstream, and what it depends on upstream.

The same content as ``GET /api/v1/segments/{id}/impact``; ``--json`` prints that body.
Downstream segments marked ``only path`` depend on the segment exclusively: every supply
path to them passes through it, so losing it cuts them off.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import add_output_options, add_store_options, add_year_option, answer
from chainkg.text_table import format_table, in_lang, label, name_in


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an ``s`` unless the count is one.

    >>> plural(1, "segment"), plural(9, "segment")
    ('1 segment', '9 segments')
    """
    return f"{count} {noun}" + ("" if count == 1 else "s")


def print_local_firms(segment_id: str, firms: list[dict[str, Any]], lang: str = "zh") -> None:
    """The segment's own local firms, with their role and names (a table between blank lines), or "none"."""
    if not firms:
        print("local firms: none")
        return
    print()
    title = f"local firms in {segment_id}"
    print(label(lang, f"{title} 本环节本地企业", title))
    print(format_table(["firm", "role", "name"], [[f["id"], f["role"], name_in(f, lang)] for f in firms]))
    print()


def print_impact(body: dict[str, Any], lang: str) -> None:
    segment, counts = body["segment"], body["counts"]
    where = f"{segment['cluster_id']}, {segment['position']}, {segment['status']}"
    print(f"{segment['id']}  {name_in(segment, lang)}  ({where})")
    print_local_firms(segment["id"], body["local_firms"], lang)
    print(
        f"downstream: {plural(counts['downstream_segments'], 'segment')} "
        f"({counts['exclusive_dependents']} only through it), "
        f"{plural(counts['dependent_local_firms'], 'local firm')} ({plural(counts['dependent_anchors'], 'anchor')}), "
        f"clusters {', '.join(body['clusters_affected']) or '-'}"
    )
    if body["downstream"]:
        print()
        print(label(lang, "downstream 下游依赖", "downstream (depends on it)"))
        rows = [
            [
                d["distance"],
                "only path" if d["exclusive"] else "",
                d["id"],
                d["cluster_id"],
                d["status"],
                d["local_firm_count"],
                name_in(d, lang),
            ]
            for d in body["downstream"]
        ]
        print(format_table(["links", "depends", "segment", "cluster", "status", "local", "name"], rows, "rllllrl"))
    if body["dependent_firms"]:
        print()
        print(label(lang, "local firms downstream 受影响的本地企业", "local firms downstream (affected)"))
        anchor = label(lang, "anchor 链主", "anchor")
        rows = [
            [f["id"], anchor if f["is_anchor"] else "", ", ".join(f["segment_ids"]), name_in(f, lang)]
            for f in body["dependent_firms"]
        ]
        print(format_table(["firm", "anchor", "segments", "name"], rows))
    print()
    print(f"upstream: {plural(counts['upstream_segments'], 'segment')}; gaps among them: {counts['upstream_gaps']}")
    if body["upstream"]:
        rows = [
            [u["distance"], u["id"], u["cluster_id"], u["status"], u.get("gap_kind") or "", name_in(u, lang)]
            for u in body["upstream"]
        ]
        print(format_table(["links", "segment", "cluster", "status", "gap", "name"], rows, "rlllll"))
    for gap in body["upstream_gaps"]:
        print(f"  {gap['severity']:.2f}  {gap['segment_id']}: " + in_lang(gap, "explanation", lang))


def run(args: argparse.Namespace) -> int:
    from queries.impact import impact

    return answer(
        args, lambda store: impact(store, args.segment, args.year), lambda body: print_impact(body, args.lang)
    )


EPILOG = """\
examples:
  chainkg impact nev-cathode             # what depends on cathode materials, and its upstream gaps
  chainkg impact nev-electrolyte --year 2020
  chainkg impact nev-cathode --lang en   # in English
  chainkg impact nev-electrolyte --json  # the body of GET /api/v1/segments/nev-electrolyte/impact
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show what depends on a segment downstream (and only through it), and the gaps it depends on upstream."
    p = sub.add_parser(
        "impact", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("segment", help="a segment id, e.g. nev-cathode (chainkg chain CLUSTER lists them)")
    add_year_option(p)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
