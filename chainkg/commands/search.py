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
    page_line,
    paged,
    print_json,
    zh_first,
    zh_first_headers,
)
from chainkg.text_table import format_table, label, name_in

NEXT_COMMAND = {"firm": "chainkg firm ID", "segment": "chainkg candidates ID", "cluster": "chainkg chain ID"}

TYPE_ZH = {"firm": "企业", "segment": "环节", "cluster": "集群"}
"""Each type of match in Chinese, as the views' ``viz.style.KIND_LABELS`` name them (``企业 Firm``)."""

WHERE_ZH = {"local": "本地", "outside": "外地"}
"""Where a firm is, in Chinese, as the firm and segment views say it (本地企业 / 外地企业)."""

SEARCH_HEADERS = (("", "#"), ("类型", "type"), ("", "id"), ("所在", "where"), ("匹配", "matched"), ("名称", "name"))
"""The headings of the matches, ``(zh, en)``; ``#`` and ``id`` read the same in both."""


def type_text(kind: str, lang: str) -> str:
    """A match's type: ``企业`` by default (the heading says ``类型 type``), ``firm`` for ``en``.

    >>> type_text("firm", "zh"), type_text("cluster", "en")
    ('企业', 'cluster')
    """
    return label(lang, TYPE_ZH.get(kind, kind), kind)


def where(item: dict[str, Any], lang: str = "en") -> str:
    """Where a matched firm is: ``本地`` / ``外地`` by default, ``local`` / ``outside`` for ``en``.

    >>> where({"type": "firm", "is_local": True}, "zh"), where({"type": "firm"}), where({"type": "segment"}, "zh")
    ('本地', 'outside', '')
    """
    if item["type"] != "firm":
        return ""
    word = "local" if item.get("is_local") else "outside"
    return label(lang, WHERE_ZH[word], word)


def print_matches(body: dict[str, Any], offset: int, lang: str = "zh") -> None:
    """The matches as a table (the ``matched`` column is the name or alias the query matched, as the data has it)."""
    items = body["items"]
    if items:
        rows = [
            [number, type_text(item["type"], lang), item["id"], where(item, lang), item.get("matched", "")]
            + [name_in(item, lang)]
            for number, item in enumerate(items, start=offset + 1)
        ]
        print(format_table(zh_first_headers(lang, *SEARCH_HEADERS), rows, "rlllll"))
    print(page_line(len(items), body["total"], offset, "条结果", "matches", lang))
    kinds = sorted({item["type"] for item in items})
    if kinds:
        print(zh_first(lang, "下一步", "next:") + " " + "; ".join(NEXT_COMMAND[kind] for kind in kinds))


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
