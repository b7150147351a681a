"""``chainkg platforms``: 智改数转 platforms (lighthouse factories, industrial-internet platforms, smart factories).

The same items as ``GET /api/v1/platforms``, with the same ``--category`` filter; ``--json``
prints that body. Each platform shows its category, year, the firms that run it, its
confidence and sources.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    VIEW_LANG_HELP,
    add_output_options,
    add_store_options,
    answer,
    confidence_label,
    whole_list,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import clean, format_table, name_in

HEADERS = (
    ("平台", "platform"),
    ("类别", "category"),
    ("年份", "year"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("名称", "name"),
)
"""The headings of the platforms table, ``(zh, en)``."""

CATEGORIES = ("lighthouse_factory", "industrial_internet_platform", "smart_factory", "other")
"""The values of ``graph.model.PlatformCategory`` (kept here so that ``--help`` needs no model import;
``tests/test_cli_layers.py`` checks that they agree)."""

EPILOG = """\
examples:
  chainkg platforms                                # every platform and the firms that run it
  chainkg platforms --category lighthouse_factory  # the lighthouse factories (灯塔工厂)
  chainkg platforms --lang en                      # English names where the data has them
  chainkg platforms --json                         # the body of GET /api/v1/platforms
"""


def firms_text(firms: list[dict[str, Any]], lang: str = "zh") -> str:
    """``catl-jiangsu (江苏时代新能源科技有限公司, 2021)``, one per firm, or ``-``.

    The name is the Chinese one, or for ``en`` the English one; the other when the first is empty.
    """
    first, other = ("name_en", "name_zh") if lang == "en" else ("name_zh", "name_en")
    out = []
    for firm in firms:
        label = clean(firm.get(first) or firm.get(other) or "")
        if firm.get("year"):
            label += f", {firm['year']}"
        out.append(f"{clean(firm['id'])} ({label})" if label else clean(firm["id"]))
    return "; ".join(out) or "-"


def print_platforms(body: dict[str, Any], lang: str = "zh") -> None:
    items = body["items"]
    rows = [
        [
            p["id"],
            p["category"],
            p["year"] or "",
            confidence_label(p["confidence"], lang),
            ", ".join(p["sources"]),
            name_in(p, lang),
        ]
        for p in items
    ]
    lines = format_table(zh_first_headers(lang, *HEADERS), rows, "llrlll").split("\n")
    print("\n".join(lines[:2]))
    for line, platform in zip(lines[2:], items, strict=True):
        print(line)
        details = zh_first(lang, "运营企业", "run by") + ": " + firms_text(platform["firms"], lang)
        if platform.get("description"):
            details += "; " + clean(platform["description"])
        print("    " + details)
    total = body["total"]
    print(
        zh_then_en(lang, f"共 {total} 个平台", f"{total} platforms")
        if total
        else zh_then_en(lang, "无平台", "no platforms")
    )


def run(args: argparse.Namespace) -> int:
    from queries.platforms import list_platforms

    return answer(
        args,
        lambda store: whole_list(list_platforms(store, args.category)),
        lambda body: print_platforms(body, args.lang),
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the 智改数转 platforms (lighthouse factories, industrial-internet platforms, smart factories)."
    p = sub.add_parser(
        "platforms", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--category", choices=CATEGORIES, default=None, help="only platforms of this category")
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
