"""``chainkg platforms``: 智改数转 platforms (lighthouse factories, industrial-internet platforms, smart factories).

The same items as ``GET /api/v1/platforms``, with the same ``--category`` filter; ``--json``
prints that body. Each platform shows its category, year, the firms that run it, its
confidence and sources.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import add_output_options, add_store_options, answer, whole_list
from chainkg.text_table import clean, format_table, names

CATEGORIES = ("lighthouse_factory", "industrial_internet_platform", "smart_factory", "other")
"""The values of ``graph.model.PlatformCategory`` (kept here so that ``--help`` needs no model import;
``tests/test_cli_layers.py`` checks that they agree)."""

EPILOG = """\
examples:
  chainkg platforms                                # every platform and the firms that run it
  chainkg platforms --category lighthouse_factory  # the lighthouse factories (灯塔工厂)
  chainkg platforms --json                         # the body of GET /api/v1/platforms
"""


def firms_text(firms: list[dict[str, Any]]) -> str:
    """``catl-jiangsu (江苏时代新能源科技有限公司, 2021)``, one per firm, or ``-``."""
    out = []
    for firm in firms:
        label = clean(firm.get("name_zh") or firm.get("name_en") or "")
        if firm.get("year"):
            label += f", {firm['year']}"
        out.append(f"{clean(firm['id'])} ({label})" if label else clean(firm["id"]))
    return "; ".join(out) or "-"


def print_platforms(body: dict[str, Any]) -> None:
    items = body["items"]
    rows = [
        [p["id"], p["category"], p["year"] or "", p["confidence"], ", ".join(p["sources"]), names(p)] for p in items
    ]
    lines = format_table(["platform", "category", "year", "confidence", "sources", "name"], rows, "llrlll").split("\n")
    print("\n".join(lines[:2]))
    for line, platform in zip(lines[2:], items, strict=True):
        print(line)
        details = "run by: " + firms_text(platform["firms"])
        if platform.get("description"):
            details += "; " + clean(platform["description"])
        print("    " + details)
    print(f"{body['total']} platforms" if body["total"] else "no platforms")


def run(args: argparse.Namespace) -> int:
    from queries.platforms import list_platforms

    return answer(args, lambda store: whole_list(list_platforms(store, args.category)), print_platforms)


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the 智改数转 platforms (lighthouse factories, industrial-internet platforms, smart factories)."
    p = sub.add_parser(
        "platforms", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--category", choices=CATEGORIES, default=None, help="only platforms of this category")
    add_output_options(p, lang=False)
    add_store_options(p)
    p.set_defaults(handler=run)
