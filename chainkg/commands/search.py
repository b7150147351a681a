"""``chainkg search QUERY``: find firms, segments and clusters by name, alias or pinyin.

The same ranked, typo-tolerant matches as ``GET /api/v1/search``; ``--json`` prints that body.
``ningde``, ``ndsd``, ``CATL`` and ``时代新能源`` all find CATL's unit in 溧阳.
"""

from __future__ import annotations

import argparse
import sys
from typing import Any

from chainkg.commands.common import (
    VIEW_LANG_HELP,
    add_output_options,
    add_page_options,
    add_store_options,
    opened_store,
    paged,
    print_json,
)
from chainkg.text_table import format_table, name_in, page_footer

NEXT_COMMAND = {"firm": "chainkg firm ID", "segment": "chainkg candidates ID", "cluster": "chainkg chain ID"}


def where(item: dict[str, Any]) -> str:
    if item["type"] != "firm":
        return ""
    return "local" if item.get("is_local") else "outside"


def print_matches(body: dict[str, Any], offset: int, lang: str = "zh") -> None:
    """The matches as a table (the ``matched`` column is the name or alias the query matched, as the data has it)."""
    items = body["items"]
    if items:
        rows = [
            [number, item["type"], item["id"], where(item), item.get("matched", ""), name_in(item, lang)]
            for number, item in enumerate(items, start=offset + 1)
        ]
        print(format_table(["#", "type", "id", "where", "matched", "name"], rows, "rlllll"))
    print(page_footer(len(items), body["total"], offset, "matches"))
    kinds = sorted({item["type"] for item in items})
    if kinds:
        print("next: " + "; ".join(NEXT_COMMAND[kind] for kind in kinds))


def run(args: argparse.Namespace) -> int:
    from queries.search import search_matches

    query = args.query.strip()
    if not query or len(query) > 200:
        print("error: the query must hold 1 to 200 characters", file=sys.stderr)
        return 2
    with opened_store(args) as store:
        items = search_matches(store, query)
    if args.type is not None:
        items = [item for item in items if item["type"] == args.type]
    body = {"q": query, **paged(items, args)}
    if args.json:
        print_json(body)
    else:
        print_matches(body, args.offset, args.lang)
    return 0


EPILOG = """\
examples:
  chainkg search 宁德时代             # by Chinese name
  chainkg search ndsd                # by pinyin initials
  chainkg search 电池 --type segment  # only segments
  chainkg search ningde --lang en     # English names where the data has them
  chainkg search catl --json         # the body of GET /api/v1/search?q=catl
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Find firms, segments and clusters by Chinese or English name, alias, full pinyin or pinyin initials."
    p = sub.add_parser(
        "search", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("query", help="what to look for, e.g. 宁德时代, CATL, ningde or ndsd")
    p.add_argument("--type", choices=["firm", "segment", "cluster"], default=None, help="only this type")
    add_page_options(p, limit=20, most=200)  # as GET /api/v1/search allows
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
