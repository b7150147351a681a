"""``chainkg districts``: the districts (区/县级市) and parks, the ids that ``--district`` filters take.

The same page as ``GET /api/v1/districts``; ``--json`` prints that body. Each district shows its
parent (for a park), how many local firms are sited in it (as ``GET /api/v1/firms?district=ID&local=true``
counts them), how many projects are sited in it or its parks (``chainkg projects --district ID``),
how many 智改数转 platforms its firms run, its confidence and sources.
``chainkg district ID`` lists a district's firms, projects and platforms.
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
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import clean, format_table, name_in

HEADERS = (
    ("区县", "district"),
    ("上级", "parent"),
    ("本地企业", "local firms"),
    ("重大项目", "projects"),
    ("智改数转平台", "platforms"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("名称", "name"),
)
"""The headings of the districts table, ``(zh, en)``."""

EPILOG = """\
examples:
  chainkg districts                      # every district with its firm, project and platform counts
  chainkg districts --lang en            # English names
  chainkg districts --json               # the body of GET /api/v1/districts
  chainkg district wujin                 # one district: its firms, projects and platforms
  chainkg projects --district liyang     # the projects a district id filters
"""


def district_rows(items: list[dict[str, Any]], lang: str = "zh") -> list[list[Any]]:
    return [
        [
            d["id"],
            d["parent_id"] or "",
            d["local_firm_count"],
            d["project_count"],
            d["platform_count"],
            confidence_label(d["confidence"], lang),
            ", ".join(clean(s) for s in d["sources"]) or "-",
            name_in(d, lang),
        ]
        for d in items
    ]


def print_districts(body: dict[str, Any], offset: int, lang: str = "zh") -> None:
    print(format_table(zh_first_headers(lang, *HEADERS), district_rows(body["items"], lang), "llrrrlll"))
    print(page_line(len(body["items"]), body["total"], offset, "个区县", "districts", lang))
    if body["items"]:
        print(
            zh_then_en(
                lang,
                "单个区县的企业与项目：chainkg district ID",
                "one district with its firms and projects: chainkg district ID",
            )
        )


def run(args: argparse.Namespace) -> int:
    from queries.districts import list_districts

    return answer(
        args,
        lambda store: list_districts(store, limit=args.limit, offset=args.offset),
        lambda body: print_districts(body, args.offset, args.lang),
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the districts (区/县级市) and parks: the ids --district takes, with firm, project and platform counts."
    p = sub.add_parser(
        "districts", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    add_page_options(p, limit=50)
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
