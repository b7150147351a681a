"""``chainkg policies``: the policies (政策), their instruments and what they target.

The same page as ``GET /api/v1/policies`` with the same filters (``--tier``, ``--cluster``,
``--segment``); ``--json`` prints that body. Each policy shows its issuer, date, how many
instruments it has (rewards, subsidies, funds) and how many tiers, clusters and segments it
targets, and underneath the targets and sources. ``chainkg policy ID`` shows one policy with
its instruments and the gaps it targets; ``chainkg gaps --untargeted true`` lists the gaps no
policy names.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    VIEW_LANG_HELP,
    add_output_options,
    add_page_options,
    add_store_options,
    answer,
    confidence_label,
    page_line,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import clean, format_table, name_in

POLICY_HEADERS = (
    ("", "#"),
    ("政策", "policy"),
    ("日期", "date"),
    ("发布", "issuer"),
    ("政策工具", "instruments"),
    ("针对对象", "targets"),
    ("可信度", "confidence"),
    ("名称", "name"),
)
"""The headings of the policies, ``(zh, en)``; ``#`` reads the same in both."""

EPILOG = """\
examples:
  chainkg policies                               # every policy, by id
  chainkg policies --tier tier-champion-firm     # the policies that reward 单项冠军
  chainkg policies --segment nev-recycling       # those that apply to a segment (or above it, or its cluster)
  chainkg policies --lang en                     # names in English where the data has them
  chainkg policy pol-wujin-nev-parts             # one policy and the gaps it targets
  chainkg gaps --untargeted true                 # the gaps no policy names
"""


def targets_count(targets: dict[str, list[dict[str, Any]]]) -> str:
    """``2 tiers, 1 cluster``: how many of each kind a policy targets, or ``-``."""
    parts = []
    for key, one in (("tiers", "tier"), ("clusters", "cluster"), ("segments", "segment")):
        count = len(targets.get(key, []))
        if count:
            parts.append(f"{count} {one if count == 1 else key}")
    return ", ".join(parts) or "-"


def policy_details(item: dict[str, Any], lang: str = "zh") -> str:
    """The line under a policy's row: the ids it targets and its sources, labelled Chinese first unless ``en``.

    >>> item = {"targets": {"segments": [{"id": "nev-recycling"}]}, "sources": ["s29"]}
    >>> policy_details(item), policy_details(item, "en")
    ('针对对象 targets: nev-recycling; 来源 sources: s29', 'targets: nev-recycling; sources: s29')
    """
    targeted = [clean(t["id"]) for key in ("tiers", "clusters", "segments") for t in item["targets"].get(key, [])]
    parts = [zh_first(lang, "针对对象", "targets") + ": " + (", ".join(targeted) or "-")]
    parts.append(zh_first(lang, "来源", "sources") + ": " + (", ".join(clean(s) for s in item["sources"]) or "-"))
    return "; ".join(parts)


def print_policies(body: dict[str, Any], offset: int, lang: str = "zh") -> None:
    items = body["items"]
    rows = [
        [
            number,
            item["id"],
            item["date"] or "",
            clean(item["issuer"]),
            len(item["instruments"]),
            targets_count(item["targets"]),
            confidence_label(item["confidence"], lang),
            name_in(item, lang),
        ]
        for number, item in enumerate(items, start=offset + 1)
    ]
    lines = format_table(zh_first_headers(lang, *POLICY_HEADERS), rows, "rlllrlll").split("\n")
    print("\n".join(lines[:2]))
    for line, item in zip(lines[2:], items, strict=True):
        print(line)
        print("    " + policy_details(item, lang))
    print(page_line(len(items), body["total"], offset, "项政策", "policies", lang))
    if items:
        print(
            zh_then_en(
                lang,
                "单项政策及其点名的缺口：chainkg policy ID",
                "one policy and the gaps it targets: chainkg policy ID",
            )
        )
        print(
            zh_then_en(
                lang,
                "无政策点名的缺口：chainkg gaps --untargeted true",
                "the gaps no policy names: chainkg gaps --untargeted true",
            )
        )


def run(args: argparse.Namespace) -> int:
    from queries.policies import list_policies

    return answer(
        args,
        lambda store: list_policies(
            store, tier=args.tier, cluster=args.cluster, segment=args.segment, limit=args.limit, offset=args.offset
        ),
        lambda body: print_policies(body, args.offset, args.lang),
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the policies (政策) with their instruments and the tiers, clusters and segments they target."
    p = sub.add_parser(
        "policies", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--tier", default=None, help="policies that target this tier, e.g. tier-champion-firm")
    p.add_argument("--cluster", default=None, help="policies that target this cluster or one of its segments")
    p.add_argument(
        "--segment", default=None, help="policies that apply to this segment (or a segment above it, or its cluster)"
    )
    add_page_options(p, limit=50)
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
