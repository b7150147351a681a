"""``chainkg platform ID``: one 智改数转 platform with the firms that run it and its sources.

The same content as ``GET /api/v1/platforms/{id}``; ``--json`` prints that body. The header gives
its category, year, description, confidence and sources; then the firms that run it (local or not,
district, the year they started, the sources of the link) and every source cited. An unknown id is
answered with the nearest ids (``chainkg platforms`` lists them).
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    TEXT_FIELDS_ZH,
    VIEW_LANG_HELP,
    add_output_options,
    add_store_options,
    answer,
    confidence_label,
    print_sources,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import clean, fields_block, format_table, name_in, text_fields

FIRM_HEADERS = (
    ("企业", "firm"),
    ("所在地", "where"),
    ("区县", "district"),
    ("起始年份", "since"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("名称", "name"),
)
"""The headings of the firms that run the platform, ``(zh, en)``."""

EPILOG = """\
examples:
  chainkg platform plat-catl-liyang-lighthouse          # CATL's 溧阳 lighthouse factory and who runs it
  chainkg platform plat-hualida-iip --lang en           # English names
  chainkg platform plat-wuyang-digital-factory --json   # the body of GET /api/v1/platforms/plat-wuyang-digital-factory
"""


def print_platform(body: dict[str, Any], lang: str = "zh") -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    fields: list[tuple[str, object]] = [
        (zh_first(lang, "类别", "category"), body["category"]),
        (zh_first(lang, "年份", "year"), body["year"] or "-"),
        (zh_first(lang, "可信度", "confidence"), confidence_label(body["confidence"], lang)),
        (zh_first(lang, "来源", "sources"), ", ".join(body["sources"]) or "-"),
    ]
    fields += [(zh_first(lang, TEXT_FIELDS_ZH[key], key), value) for key, value in text_fields(body)]
    print(fields_block(fields))
    print()
    print(zh_first(lang, "运营企业", "run by") + f" ({len(body['firms'])})")
    if body["firms"]:
        local, outside = zh_first(lang, "本地", "local"), zh_first(lang, "外地", "outside")
        rows = [
            [
                f["id"],
                outside if f["is_local"] is False else local if f["is_local"] else "",
                f["district_id"] or "",
                f["year"] or "",
                confidence_label(f["confidence"], lang),
                ", ".join(clean(s) for s in f["sources"]) or "-",
                name_in(f, lang),
            ]
            for f in body["firms"]
        ]
        print(format_table(zh_first_headers(lang, *FIRM_HEADERS), rows, "lllrlll"))
    else:
        print(zh_then_en(lang, "数据中没有运营它的企业", "no firm in the data runs it"))
    print_sources(body["sources_ref"], lang)


def run(args: argparse.Namespace) -> int:
    from queries.platforms import get_platform

    return answer(args, lambda store: get_platform(store, args.platform), lambda body: print_platform(body, args.lang))


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one 智改数转 platform: its category, year, the firms that run it and its sources."
    p = sub.add_parser(
        "platform", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("platform", help="a platform id, e.g. plat-catl-liyang-lighthouse (chainkg platforms lists them)")
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
