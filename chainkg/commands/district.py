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

from chainkg.commands.common import VIEW_LANG_HELP, add_output_options, add_store_options, answer, print_sources
from chainkg.text_table import amount_en, clean, fields_block, format_table, label, name_in

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
        ("parent", f"{parent['id']} ({name_in(parent, lang)})" if parent else "-"),
        ("parks", ", ".join(d["id"] for d in body["sub_districts"]) or "-"),
        ("local firms", body["local_firm_count"]),
        ("projects", body["project_count"]),
        ("platforms", body["platform_count"]),
        ("confidence", body["confidence"]),
        ("sources", ", ".join(body["sources"]) or "-"),
    ]
    if body.get("note"):
        fields.append(("note", body["note"]))
    return fields


def print_district(body: dict[str, Any], lang: str = "zh") -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    print(fields_block(district_fields(body, lang)))
    print()
    print(label(lang, "firms 企业", "firms") + f" ({len(body['firms'])})")
    if body["firms"]:
        rows = [
            [
                f["id"],
                "local" if f["is_local"] else "outside",
                ", ".join(f["anchor_of"]),
                f["confidence"],
                ", ".join(clean(s) for s in f["sources"]) or "-",
                name_in(f, lang),
            ]
            for f in body["firms"]
        ]
        print(format_table(["firm", "where", "anchor of", "confidence", "sources", "name"], rows))
    else:
        print("no firm in the data is sited here")
    money = amount_en if lang == "en" else clean
    print()
    print(label(lang, "projects 重大项目", "projects") + f" ({len(body['projects'])})")
    if body["projects"]:
        rows = [
            [
                p["year"] or "",
                p["status"],
                money(p["investment_text"]) or "-",
                p["id"],
                p["confidence"],
                ", ".join(clean(s) for s in p["sources"]) or "-",
                name_in(p, lang),
            ]
            for p in body["projects"]
        ]
        headers = ["year", "status", "investment", "project", "confidence", "sources", "name"]
        print(format_table(headers, rows, "rlrllll"))
    else:
        print("no project in the data is sited here")
    if body["platforms"]:
        print()
        print(label(lang, "platforms 智改数转平台", "platforms"))
        rows = [
            [p["id"], p["category"], ", ".join(p["firms"]), p["confidence"], name_in(p, lang)]
            for p in body["platforms"]
        ]
        print(format_table(["platform", "category", "run by", "confidence", "name"], rows))
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
