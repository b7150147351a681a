"""``chainkg tiers``: the tiers of firm cultivation (梯度培育: 单项冠军, 专精特新"小巨人", 专精特新), national first.

The same items as ``GET /api/v1/tiers``; ``--json`` prints that body. Each tier shows its level,
category, how many firms hold it as of ``--year`` (and how many of them are local, and how many
are undated: a holding with no year counts in every ``--year``, since nothing says it came later),
and the batches (批次) seen with their years, and underneath its sources. ``chainkg tier ID`` lists a
tier's holders and the policies aimed at it.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    VIEW_LANG_HELP,
    add_output_options,
    add_store_options,
    add_year_option,
    answer,
    confidence_label,
    whole_list,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import clean, format_table, name_in

EPILOG = """\
examples:
  chainkg tiers                          # every tier with its holder counts and batches
  chainkg tiers --year 2020              # holdings named after 2020 left out
  chainkg tiers --lang en                # the tiers' English names
  chainkg tier tier-champion-firm        # the 单项冠军 firms, with year and batch
"""


def batches_text(batches: list[dict[str, Any]]) -> str:
    """``4 (2019), 5, 6 (2021)``: the batches seen, with their year when known.

    >>> batches_text([{"batch": 4, "year": 2019}, {"batch": 5, "year": None}])
    '4 (2019), 5'
    """
    return ", ".join(f"{b['batch']} ({b['year']})" if b["year"] else str(b["batch"]) for b in batches) or "-"


def print_tiers(body: dict[str, Any], lang: str = "zh") -> None:
    items = body["items"]
    rows = [
        [
            t["id"],
            t["level"],
            t["category"],
            t["holder_count"],
            t["local_holder_count"],
            t["undated_holder_count"],
            batches_text(t["batches"]),
            confidence_label(t["confidence"], lang),
            name_in(t, lang),
        ]
        for t in items
    ]
    lines = format_table(zh_first_headers(lang, *HEADERS), rows, "lllrrrlll").split("\n")
    print("\n".join(lines[:2]))
    sources = zh_first(lang, "来源", "sources")
    for line, tier in zip(lines[2:], items, strict=True):
        print(line)
        print(f"    {sources}: " + (", ".join(clean(s) for s in tier["sources"]) or "-"))
    total = body["total"]
    print(
        zh_then_en(
            lang,
            f"共 {total} 个梯度称号；单个称号的获评企业与相关政策：chainkg tier ID",
            f"{total} tiers; a tier's holders and the policies aimed at it: chainkg tier ID",
        )
    )
    if any(t["undated_holder_count"] for t in items):
        print(
            zh_then_en(
                lang,
                "未注明年份：获评未注明年份的企业，在任何 --year 下都计入",
                "undated: holders whose holding gives no year; they count in every --year",
            )
        )


HEADERS = (
    ("梯度称号", "tier"),
    ("级别", "level"),
    ("类别", "category"),
    ("获评企业", "holders"),
    ("本地", "local"),
    ("未注明年份", "undated"),
    ("批次", "batches"),
    ("可信度", "confidence"),
    ("名称", "name"),
)
"""The headings of the tiers table, ``(zh, en)``."""


def run(args: argparse.Namespace) -> int:
    from queries.tiers import list_tiers

    return answer(
        args, lambda store: whole_list(list_tiers(store, args.year)), lambda body: print_tiers(body, args.lang)
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the tiers (梯度培育: 单项冠军, 专精特新) with how many firms hold each and the batches seen."
    p = sub.add_parser(
        "tiers", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_year_option(p)
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
