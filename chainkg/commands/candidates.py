"""``chainkg candidates SEGMENT``: the outside firms to attract for a segment, best first, and why.

The same ranking as ``GET /api/v1/segments/{id}/candidates``; ``--json`` prints that body.
Each firm comes with its score, its local partners (those the score counts, and any it does not
because the relation is unverified) and its reasons (推荐理由) underneath, unverified partners
marked 待核实; ``docs/analysis.md`` gives the formula.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_hq_option,
    add_output_options,
    add_page_options,
    add_store_options,
    add_year_option,
    hq_paged,
    opened_store,
    page_line,
    print_hq_note,
    print_json,
    status_name_zh,
    zh_first_headers,
    zh_then_en,
)
from chainkg.commands.gaps import kind_in
from chainkg.text_table import clean, format_table, name_in, reasons_text
from queries.places import hq_in

UNVERIFIED_NOTE = {
    "zh": "待核实：该本地关联未经来源证实，理由中列出但不计分（docs/analysis.md）",
    "en": "unverified: a local relation no source backs; named in the reasons but not scored (docs/analysis.md)",
}
NO_CANDIDATE = "no outside firm in the data operates in this segment or below it: it needs research"
"""What an empty ranking of a gap says (the default output says it in Chinese first)."""
HEADERS = (
    ("排名", "rank"),
    ("得分", "score"),
    ("企业", "firm"),
    ("角色", "role"),
    ("本地伙伴", "partners"),
    ("总部", "hq"),
    ("名称", "name"),
)
"""The headings of the ranking, ``(zh, en)``."""
NO_HQ = {"zh": "未注明", "en": "not given"}
"""The hq cell of a firm whose headquarters the data do not give (``targets`` shows it too)."""


def no_candidate_text(segment: dict[str, Any], lang: str) -> str:
    """What an empty ranking says: a gap needs research; a segment that is no gap only has no outside firm.

    >>> no_candidate_text({"gap_kind": None, "status": "strong"}, "en")
    'not a gap (strong): no outside firm in the data operates in this segment or below it'
    >>> no_candidate_text({"gap_kind": "missing", "status": "missing"}, "en") == NO_CANDIDATE
    True
    >>> no_candidate_text({"gap_kind": None, "status": "strong"}, "zh")[:39]
    '不是缺口（强链）：数据中本环节及其下级环节暂无外地企业 / not a gap'
    """
    if segment.get("gap_kind"):
        return zh_then_en(lang, "数据中本环节及其下级环节暂无外地企业：需另行调研", NO_CANDIDATE)
    status = segment["status"]
    en = f"not a gap ({status}): no outside firm in the data operates in this segment or below it"
    return zh_then_en(lang, f"不是缺口（{status_name_zh(status)}）：数据中本环节及其下级环节暂无外地企业", en)


def hq_cell(hq: str | None, lang: str) -> str:
    """A firm's hq for a table cell, in ``lang``; :data:`NO_HQ` when the data give none.

    >>> hq_cell("新余", "en"), hq_cell("", "zh"), hq_cell(None, "en")
    ('Xinyu', '未注明', 'not given')
    """
    return clean(hq_in(hq or "", lang)) or NO_HQ["en" if lang == "en" else "zh"]


def partners_text(components: dict[str, Any], lang: str) -> str:
    """The local partners that count in the score, and those that do not because unverified.

    >>> partners_text({"partners_by_confidence": {"sourced": 1, "unverified": 0}}, "en")
    '1'
    >>> partners_text({"partners_by_confidence": {"sourced": 0, "unverified": 2}}, "zh")
    '0（+2待核实）'
    >>> partners_text({"partners_by_confidence": {"sourced": 1, "unverified": 2}}, "en")
    '1 (+2 unverified)'
    """
    counts = components.get("partners_by_confidence") or {}
    sourced = counts.get("sourced", components.get("local_partners", 0))
    unverified = counts.get("unverified", 0)
    if not unverified:
        return str(sourced)
    return f"{sourced}（+{unverified}待核实）" if lang == "zh" else f"{sourced} (+{unverified} unverified)"


def print_candidates(segment: dict[str, Any], body: dict[str, Any], args: argparse.Namespace) -> None:
    items = body["items"]
    state = f"{segment['position']}, {segment['status']}"
    if segment.get("gap_kind"):
        kind = segment["gap_kind"]
        # the kind as chainkg gaps words it, marked when it rests only on unverified supply links (review 9, #4)
        unsure = kind in (
            (segment.get("gap") or {}).get("kinds_unverified") or segment.get("gap_kinds_unverified") or ()
        )
        state += f"; gap: {kind_in(kind, args.lang, unverified=unsure)}, severity {segment['severity']:.2f}"
    print(f"{segment['id']}  {name_in(segment, args.lang)}  ({state})")
    if not body["total"]:
        if args.hq is not None:
            print_hq_note(body, args)
        else:
            print(no_candidate_text(segment, args.lang))
        return
    rows = [
        [
            f"{item['rank']}=" if item.get("tied_with") else item["rank"],
            f"{item['score']:.3f}",
            item["firm_id"],
            item["role"],
            partners_text(item["components"], args.lang),
            hq_cell(item.get("hq"), args.lang),
            name_in(item, args.lang),
        ]
        for item in items
    ]
    lines = format_table(zh_first_headers(args.lang, *HEADERS), rows, "rrllrll").split("\n")
    print("\n".join(lines[:2]))
    for line, item in zip(lines[2:], items, strict=True):
        print(line)
        why = reasons_text(item["reasons"], args.lang)
        if why:
            print("    " + why)
    if any((item["components"].get("partners_by_confidence") or {}).get("unverified") for item in items):
        print(UNVERIFIED_NOTE[args.lang])
    if any(item.get("tied_with") for item in items):
        print(TIE_NOTE[args.lang])
    print(page_line(len(items), body["total"], args.offset, "家候选企业", "candidates", args.lang))
    print_hq_note(body, args)


TIE_NOTE = {
    "zh": "排名后的 = ：同分并列，按企业 id 排列，不分先后 / = after a rank: firms with the same score share it, "
    "listed by id in no order of merit",
    "en": "= after a rank: firms with the same score share it, listed by id in no order of merit",
}
"""Printed under a candidate table in which some firms share a rank."""


def run(args: argparse.Namespace) -> int:
    from queries.candidates import rank_candidates
    from queries.segments import get_segment

    with opened_store(args) as store:
        body = {"segment_id": args.segment, **hq_paged(rank_candidates(store, args.segment, args.year), args)}
        if args.json:
            print_json(body)
            return 0
        segment = get_segment(store, args.segment, args.year)
    print_candidates(segment, body, args)
    return 0


EPILOG = """\
examples:
  chainkg candidates nev-electrolyte                 # the outside firms that could fill the electrolyte gap, best first
  chainkg candidates nev-mcu-soc --lang en --limit 5 # the first five, reasons in English
  chainkg candidates nev-electrolyte --json          # the body of GET /api/v1/segments/nev-electrolyte/candidates
  chainkg targets nev                                # whom to approach first across all of a cluster's gaps
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Rank the outside firms to attract for a segment, with each one's score and reasons."
    p = sub.add_parser(
        "candidates", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("segment", help="a segment id, e.g. nev-lithium-resources (chainkg gaps lists them)")
    add_year_option(p)
    add_hq_option(p)
    add_page_options(p, limit=10)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
