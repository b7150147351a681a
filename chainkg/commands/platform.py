"""``chainkg platform ID``: one 智改数转 platform with the firms that run it and its sources.

The same content as ``GET /api/v1/platforms/{id}``; ``--json`` prints that body. The header gives
its category, year, description, confidence and sources; then the firms that run it (local or not,
district, the year they started, the sources of the link) and every source cited. An unknown id is
answered with the nearest ids (``chainkg platforms`` lists them).
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import VIEW_LANG_HELP, add_output_options, add_store_options, answer, print_sources
from chainkg.text_table import clean, fields_block, format_table, label, name_in, text_fields

EPILOG = """\
examples:
  chainkg platform plat-catl-liyang-lighthouse          # CATL's 溧阳 lighthouse factory and who runs it
  chainkg platform plat-hualida-iip --lang en           # English names
  chainkg platform plat-wuyang-digital-factory --json   # the body of GET /api/v1/platforms/plat-wuyang-digital-factory
"""


def print_platform(body: dict[str, Any], lang: str = "zh") -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    fields: list[tuple[str, object]] = [
        ("category", body["category"]),
        ("year", body["year"] or "-"),
        ("confidence", body["confidence"]),
        ("sources", ", ".join(body["sources"]) or "-"),
    ]
    fields += text_fields(body)
    print(fields_block(fields))
    print()
    print(label(lang, "run by 运营企业", "run by") + f" ({len(body['firms'])})")
    if body["firms"]:
        rows = [
            [
                f["id"],
                "outside" if f["is_local"] is False else "local" if f["is_local"] else "",
                f["district_id"] or "",
                f["year"] or "",
                f["confidence"],
                ", ".join(clean(s) for s in f["sources"]) or "-",
                name_in(f, lang),
            ]
            for f in body["firms"]
        ]
        print(format_table(["firm", "where", "district", "since", "confidence", "sources", "name"], rows, "lllrlll"))
    else:
        print("no firm in the data runs it")
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
