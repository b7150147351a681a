"""``chainkg district ID``: one district (区/县级市) with its firms, projects and platforms.

The same content as ``GET /api/v1/districts/{id}``; ``--json`` prints that body. The header gives
its names, parent (for a park), counts, confidence and sources; then the firms sited in it (local or
not, anchor of which clusters, the sources that place them there), the projects sited in it or in
a park within it (year, status, investment as the sources write it), the platforms its firms run,
and every source cited. An unknown id is answered with the nearest ids (``chainkg districts``
lists them).
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
    print_sources,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import amount_en, clean, fields_block, format_table, name_in
from queries.notes import reader_note
from viz.parts import STATUS_ZH

EPILOG = """\
examples:
  chainkg district wujin                 # 武进区: its firms, projects and platforms
  chainkg district liyang --lang en      # in English: names and amounts (CNY 10 billion)
  chainkg district jintan --json         # the body of GET /api/v1/districts/jintan
"""


def district_fields(body: dict[str, Any], lang: str) -> list[tuple[str, object]]:
    """The head of the view: parent, parks, counts, confidence, sources, note."""
    parent = body["parent"]
    fields: list[tuple[str, object]] = [
        (zh_first(lang, "上级", "parent"), f"{parent['id']} ({name_in(parent, lang)})" if parent else "-"),
        (zh_first(lang, "园区", "parks"), ", ".join(d["id"] for d in body["sub_districts"]) or "-"),
        (zh_first(lang, "本地企业", "local firms"), body["local_firm_count"]),
        (zh_first(lang, "重大项目", "projects"), body["project_count"]),
        (zh_first(lang, "智改数转平台", "platforms"), body["platform_count"]),
        (zh_first(lang, "可信度", "confidence"), confidence_label(body["confidence"], lang)),
        (zh_first(lang, "来源", "sources"), ", ".join(body["sources"]) or "-"),
    ]
    note = reader_note(body.get("note") or "")  # without the data audit's trail (review 16a M7; --json keeps it)
    if note:
        fields.append((zh_first(lang, "备注", "note"), note))
    return fields


FIRM_HEADERS = (
    ("企业", "firm"),
    ("所在地", "where"),
    ("链主", "anchor of"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("名称", "name"),
)
"""The headings of the district's firms, ``(zh, en)``."""
PROJECT_HEADERS = (
    ("年份", "year"),
    ("状态", "status"),
    ("投资", "investment"),
    ("项目", "project"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("名称", "name"),
)
"""The headings of the district's projects, ``(zh, en)``."""
PLATFORM_HEADERS = (
    ("平台", "platform"),
    ("类别", "category"),
    ("运营企业", "run by"),
    ("可信度", "confidence"),
    ("名称", "name"),
)
"""The headings of the platforms the district's firms run, ``(zh, en)``."""


def print_district(body: dict[str, Any], lang: str = "zh") -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    print(fields_block(district_fields(body, lang)))
    print()
    print(zh_first(lang, "企业", "firms") + f" ({len(body['firms'])})")
    if body["firms"]:
        rows = [
            [
                f["id"],
                zh_first(lang, "本地", "local") if f["is_local"] else zh_first(lang, "外地", "outside"),
                ", ".join(f["anchor_of"]),
                confidence_label(f["confidence"], lang),
                ", ".join(clean(s) for s in f["sources"]) or "-",
                name_in(f, lang),
            ]
            for f in body["firms"]
        ]
        print(format_table(zh_first_headers(lang, *FIRM_HEADERS), rows))
    else:
        print(zh_then_en(lang, "数据中没有位于此地的企业", "no firm in the data is sited here"))
    money = amount_en if lang == "en" else clean
    print()
    print(zh_first(lang, "重大项目", "projects") + f" ({len(body['projects'])})")
    if body["projects"]:
        rows = [
            [
                p["year"] or "",
                zh_first(lang, STATUS_ZH[p["status"]], p["status"]) if p["status"] in STATUS_ZH else p["status"],
                money(p["investment_text"]) or "-",
                p["id"],
                confidence_label(p["confidence"], lang),
                ", ".join(clean(s) for s in p["sources"]) or "-",
                name_in(p, lang),
            ]
            for p in body["projects"]
        ]
        print(format_table(zh_first_headers(lang, *PROJECT_HEADERS), rows, "rlrllll"))
    else:
        print(zh_then_en(lang, "数据中没有位于此地的重大项目", "no project in the data is sited here"))
    if body["platforms"]:
        print()
        print(zh_first(lang, "智改数转平台", "platforms"))
        rows = [
            [p["id"], p["category"], ", ".join(p["firms"]), confidence_label(p["confidence"], lang), name_in(p, lang)]
            for p in body["platforms"]
        ]
        print(format_table(zh_first_headers(lang, *PLATFORM_HEADERS), rows))
    print_sources(body["sources_ref"], lang)


def run(args: argparse.Namespace) -> int:
    from queries.districts import get_district

    return answer(args, lambda store: get_district(store, args.district), lambda body: print_district(body, args.lang))


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one district (区/县级市): its firms, the projects sited in it, the platforms its firms run, sources."
    p = sub.add_parser(
        "district", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("district", help="a district id, e.g. wujin (chainkg districts lists them)")
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
