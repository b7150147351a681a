"""``chainkg sources [ID]``: the documents the data cite, or one of them and what cites it.

The same answers as ``GET /api/v1/sources`` and ``GET /api/v1/sources/{id}``; ``--json`` prints that body.
Every ``sources`` id that a firm, segment, gap or report names resolves here to its title, publisher, date,
address (or document number), how reliable the page is (a mirror or weak page is marked) and what cites it
(review 14a: a user had to use the API to check a claim's source).
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
    page_line,
    paged,
    reliability_label,
    true_or_false,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import clean, fields_block, format_table
from queries.notes import reader_note

TABLE_LIMIT = 30
"""Rows the table shows without ``--limit``."""

RELIABILITIES = ("official", "company", "research", "news", "repost", "mirror", "weak")
"""The kinds of source, as ``GET /api/v1/sources?reliability=`` takes them."""

LIST_HEADERS = (("来源", "source"), ("类型", "kind"), ("日期", "date"), ("引用", "cited"), ("标题", "title"))
"""The headings of the sources table, ``(zh, en)``."""

EPILOG = """\
examples:
  chainkg sources                              # every source: id, kind, date, what cites it, title
  chainkg sources --q 常州                     # part of an id, a title (either language) or a publisher
  chainkg sources --reliability mirror         # the mirrors and reposts, to check against the original
  chainkg sources --cited false                # sources nothing cites any more
  chainkg sources reply-2022-56                # one source in full and the nodes that cite it
  chainkg sources reply-2022-56 --lang en      # in English
  chainkg sources reply-2022-56 --json         # the body of GET /api/v1/sources/reply-2022-56
"""


def title_in(item: dict[str, Any], lang: str) -> str:
    """The source's title: Chinese then English by default, English alone for ``en`` (the Chinese one when it
    has no English title).

    >>> title_in({"title": "答复", "title_en": "Reply"}, "zh"), title_in({"title": "答复", "title_en": ""}, "en")
    ('答复 Reply', '答复')
    """
    zh, en = clean(item["title"]), clean(item.get("title_en") or "")
    if lang == "en":
        return en or zh
    return f"{zh} {en}".strip() if en and en != zh else zh


def cited_cell(item: dict[str, Any]) -> str:
    """How many nodes and edges cite it: ``26+27``.

    >>> cited_cell({"cited_by": {"nodes": 26, "edges": 27}})
    '26+27'
    """
    return f"{item['cited_by']['nodes']}+{item['cited_by']['edges']}"


def print_list(body: dict[str, Any], lang: str) -> None:
    """The sources table, by id."""
    rows = [
        [
            item["id"],
            reliability_label(item["reliability"], lang),
            item["date"] or "-",
            cited_cell(item),
            title_in(item, lang),
        ]
        for item in body["items"]
    ]
    print(format_table(zh_first_headers(lang, *LIST_HEADERS), rows, "lllrl"))
    print(page_line(len(rows), body["total"], body["offset"], "个来源", "sources", lang))
    print(
        zh_then_en(
            lang,
            "引用 = 引用它的节点数+关系数；单个来源详见：chainkg sources ID",
            "cited = nodes+edges citing it; one in full: chainkg sources ID",
        )
    )


def print_one(item: dict[str, Any], lang: str) -> None:
    """One source in full: what it is, where to read it and what cites it."""
    print(f"{item['id']}  {title_in(item, lang)}")
    fields = [
        (zh_first(lang, "发布者", "publisher"), clean(item["publisher"]) or "-"),
        (zh_first(lang, "日期", "date"), item["date"] or zh_first(lang, "未注明", "not given")),
        (zh_first(lang, "类型", "kind"), reliability_label(item["reliability"], lang)),
        (zh_first(lang, "网址", "url"), clean(item["url"]) or "-"),
        (zh_first(lang, "文号", "doc no."), clean(item["doc_no"]) or "-"),
        (zh_first(lang, "说明", "note"), clean(reader_note(item["note"])) or "-"),  # no audit trail (review 16a M7)
    ]
    print(fields_block(fields))
    cited = item["cited_by"]
    print(
        zh_then_en(
            lang,
            f"引用它的：{cited['nodes']} 个节点，{cited['edges']} 条关系",
            f"cited by: {cited['nodes']} nodes, {cited['edges']} edges",
        )
    )
    if cited["node_ids"]:
        print("  " + ", ".join(cited["node_ids"]))
    if item["reliability"] in ("mirror", "repost", "weak"):
        print(
            zh_then_en(
                lang,
                "镜像、转载或弱来源：引用前请核对原文",
                "a copy or a weak page: check the original before citing it",
            )
        )


def run(args: argparse.Namespace) -> int:
    from queries.sources import get_source, list_sources

    if args.source:
        return answer(args, lambda store: get_source(store, args.source), lambda body: print_one(body, args.lang))
    return answer(
        args,
        lambda store: paged(list_sources(store, args.q, args.reliability, args.cited), args),
        lambda body: print_list(body, args.lang),
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the sources the data cite (or show one, with what cites it)."
    p = sub.add_parser(
        "sources", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("source", nargs="?", help="a source id, e.g. reply-2022-56 (as any answer's `sources` cite it)")
    p.add_argument("--q", help="part of the id, a title (either language) or the publisher, ignoring case")
    p.add_argument("--reliability", choices=RELIABILITIES, help="only sources of this kind")
    p.add_argument(
        "--cited",
        type=true_or_false,
        help="true: only sources some node or edge cites; false: only those none cites",
    )
    add_page_options(p, limit=TABLE_LIMIT, json_limit=50)
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
