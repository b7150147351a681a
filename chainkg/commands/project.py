"""``chainkg project ID``: one major project (重大项目) with its links and every source cited.

The same content as ``GET /api/v1/projects/{id}``; ``--json`` prints that body. The view shows
the investment as the sources write it, year, phase, status and capacity, the firms that build
it, the segments and districts it is in, the links it filled (补链), each BUILT_BY / PROJECT_IN /
SITED_IN link with its sources and confidence, and the sources. An unknown id is answered with
the nearest ids (``chainkg projects`` lists them).
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
)
from chainkg.text_table import amount_en, clean, fields_block, format_table, name_in, text_fields
from viz.parts import STATUS_ZH

EPILOG = """\
examples:
  chainkg project prj-catl-liyang           # CATL's 溧阳 base, five phases, over 400亿元
  chainkg project prj-catl-liyang --lang en # in English: over CNY 40 billion
  chainkg project prj-byd-changzhou --json  # the body of GET /api/v1/projects/prj-byd-changzhou
"""


def investment(body: dict[str, Any], lang: str = "zh") -> str:
    """``超400亿元 (> 400 亿 CNY)``, or ``未披露 not disclosed`` when the sources give no amount.

    For ``en``: ``over CNY 40 billion``, or ``not disclosed``.
    """
    money = body["investment"]
    if money["amount"] is None:
        return zh_first(lang, "未披露", "not disclosed")
    if lang == "en":
        return amount_en(body["investment_text"])
    return f"{body['investment_text']} ({money['qualifier']} {money['amount']:g} {money['unit']} {money['currency']})"


def phase(body: dict[str, Any], lang: str = "zh") -> str:
    """The phase as the data gives it (``一至五期``); for ``en`` the English (``phases 1-5``) where
    ``phase_en`` has it, else the data's text. ``-`` when there is none.

    >>> phase({"phase": "一至五期", "phase_en": "phases 1-5"}, "en"), phase({"phase": "一至五期"}, "zh")
    ('phases 1-5', '一至五期')
    >>> phase({"phase": "首期", "phase_en": None}, "en"), phase({"phase": "", "phase_en": ""}, "en")
    ('首期', '-')
    """
    text = body.get("phase_en") if lang == "en" else None
    return text or body["phase"] or "-"


def project_fields(body: dict[str, Any], lang: str) -> list[tuple[str, object]]:
    """The head of the view: investment, year, phase, status, where, the links it filled, confidence."""
    status = body["status"]
    fields: list[tuple[str, object]] = [
        (zh_first(lang, "投资", "investment"), investment(body, lang)),
        (zh_first(lang, "年份", "year"), body["year"] or "-"),
        (zh_first(lang, "日期", "date"), body["date"] or "-"),
        (zh_first(lang, "期数", "phase"), phase(body, lang)),
        (
            zh_first(lang, "状态", "status"),
            zh_first(lang, STATUS_ZH[status], status) if status in STATUS_ZH else status,
        ),
        (zh_first(lang, "产能", "capacity"), body["capacity"] or "-"),
        (zh_first(lang, "集群", "clusters"), ", ".join(body["clusters"]) or "-"),
        (
            zh_first(lang, "区县", "districts"),
            ", ".join(f"{d['id']} ({name_in(d, lang)})" for d in body["districts"]) or "-",
        ),
        (zh_first(lang, "补链", "fills (links filled)"), ", ".join(body["fills_links"]) or "-"),
        (zh_first(lang, "可信度", "confidence"), confidence_label(body["confidence"], lang)),
    ]
    fields += [(zh_first(lang, TEXT_FIELDS_ZH[key], key), value) for key, value in text_fields(body)]
    return fields


FIRM_HEADERS = (("企业", "firm"), ("所在地", "where"), ("名称", "name"))
"""The headings of the firms that build the project, ``(zh, en)``."""
SEGMENT_HEADERS = (("环节", "segment"), ("集群", "cluster"), ("补链", "filled"), ("名称", "name"))
"""The headings of the project's segments, ``(zh, en)``."""
LINK_HEADERS = (("关系", "link"), ("指向", "to"), ("可信度", "confidence"), ("来源", "sources"))
"""The headings of the project's links, ``(zh, en)``."""


def print_project(body: dict[str, Any], lang: str = "zh") -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    print(fields_block(project_fields(body, lang)))
    if body["firms"]:
        print()
        print(zh_first(lang, "建设企业", "built by"))
        rows = [
            [
                f["id"],
                zh_first(lang, "本地", "local") if f["is_local"] else zh_first(lang, "外地", "outside"),
                name_in(f, lang),
            ]
            for f in body["firms"]
        ]
        print(format_table(zh_first_headers(lang, *FIRM_HEADERS), rows))
    if body["segments"]:
        print()
        print(zh_first(lang, "所在环节", "segments"))
        filled = zh_first(lang, "是", "yes")
        rows = [
            [s["id"], s["cluster_id"] or "", filled if s["id"] in body["fills_links"] else "", name_in(s, lang)]
            for s in body["segments"]
        ]
        print(format_table(zh_first_headers(lang, *SEGMENT_HEADERS), rows))
    if body["links"]:
        print()
        print(zh_first(lang, "关系", "links"))
        rows = [
            [
                link["kind"],
                link["target"],
                confidence_label(link["confidence"], lang),
                ", ".join(clean(s) for s in link["sources"]),
            ]
            for link in body["links"]
        ]
        print(format_table(zh_first_headers(lang, *LINK_HEADERS), rows))
    print_sources(body["sources_ref"], lang)


def run(args: argparse.Namespace) -> int:
    from queries.projects import get_project

    return answer(args, lambda store: get_project(store, args.project), lambda body: print_project(body, args.lang))


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one major project: investment, year, status, firms, segments, districts, links and sources."
    p = sub.add_parser(
        "project", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("project", help="a project id, e.g. prj-catl-liyang (chainkg projects lists them)")
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
