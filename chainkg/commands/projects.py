"""``chainkg projects``: major projects (重大项目) by cluster, segment, year, district, firm and status.

The same page as ``GET /api/v1/projects`` with the same filters; ``--json`` prints that body.
Each project shows its year, status, investment as the sources write it (``超400亿元``), clusters,
districts and confidence, and underneath the firms that build it, the links it filled (补链:
segments where its firms were the only local presence in its year) and its sources.
``chainkg project ID`` shows one project with every source cited.
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
    year_value,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import amount_en, clean, format_table, name_in
from viz.parts import STATUS_ZH

STATUSES = ("planned", "signed", "started", "completed", "unknown")
"""The values of ``graph.model.ProjectStatus`` (kept here so that ``--help`` needs no model import;
``tests/test_cli_layers.py`` checks that they agree)."""

EPILOG = """\
examples:
  chainkg projects --cluster nev                   # the NEV cluster's projects, by year
  chainkg projects --district jintan --status started
  chainkg projects --firm catl-jiangsu --json      # the body of GET /api/v1/projects?firm=catl-jiangsu
  chainkg projects --cluster nev --lang en         # in English: amounts in CNY, English names
  chainkg project prj-catl-liyang                  # one project with its links and sources
"""


def project_rows(items: list[dict[str, Any]], offset: int, lang: str = "zh") -> list[list[Any]]:
    money = amount_en if lang == "en" else clean
    return [
        [
            number,
            item["year"] or "",
            zh_first(lang, STATUS_ZH[item["status"]], item["status"])
            if item["status"] in STATUS_ZH
            else item["status"],
            money(item["investment_text"]) or "-",
            item["id"],
            ", ".join(item["clusters"]),
            ", ".join(d["id"] for d in item["districts"]),
            confidence_label(item["confidence"], lang),
            name_in(item, lang),
        ]
        for number, item in enumerate(items, start=offset + 1)
    ]


def project_details(item: dict[str, Any], lang: str = "zh") -> str:
    """The line under a project's row: who builds it, the links it filled, its sources."""
    parts = [zh_first(lang, "建设企业", "firms") + ": " + (", ".join(clean(f["id"]) for f in item["firms"]) or "-")]
    if item["fills_links"]:
        parts.append(zh_first(lang, "补链", "fills") + ": " + ", ".join(clean(s) for s in item["fills_links"]))
    parts.append(zh_first(lang, "来源", "sources") + ": " + (", ".join(clean(s) for s in item["sources"]) or "-"))
    return "; ".join(parts)


HEADERS = (
    ("序", "#"),
    ("年份", "year"),
    ("状态", "status"),
    ("投资", "investment"),
    ("项目", "project"),
    ("集群", "clusters"),
    ("区县", "districts"),
    ("可信度", "confidence"),
    ("名称", "name"),
)
"""The headings of the projects table, ``(zh, en)``."""


def print_projects(body: dict[str, Any], offset: int, lang: str = "zh") -> None:
    items = body["items"]
    lines = format_table(zh_first_headers(lang, *HEADERS), project_rows(items, offset, lang), "rrlrlllll").split("\n")
    print("\n".join(lines[:2]))
    for line, item in zip(lines[2:], items, strict=True):
        print(line)
        print("    " + project_details(item, lang))
    print(page_line(len(items), body["total"], offset, "个项目", "projects", lang))
    if items:
        print(
            zh_then_en(lang, "单个项目及其来源：chainkg project ID", "one project with its sources: chainkg project ID")
        )


def run(args: argparse.Namespace) -> int:
    from queries.projects import list_projects

    return answer(
        args,
        lambda store: list_projects(
            store,
            cluster=args.cluster,
            segment=args.segment,
            year=args.year,
            district=args.district,
            firm=args.firm,
            status=args.status,
            limit=args.limit,
            offset=args.offset,
        ),
        lambda body: print_projects(body, args.offset, args.lang),
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "List the major projects (重大项目), by year, with investment, status, firms and the links they filled."
    p = sub.add_parser(
        "projects", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--cluster", default=None, help="projects in a segment of this cluster, e.g. nev")
    p.add_argument("--segment", default=None, help="projects in this segment or below it, e.g. nev-battery-cell")
    p.add_argument("--year", type=year_value, default=None, help="projects of this year (started, or else signed)")
    p.add_argument("--district", default=None, help="projects sited in this district, e.g. jintan")
    p.add_argument("--firm", default=None, help="projects this firm builds, e.g. catl-jiangsu")
    p.add_argument("--status", choices=STATUSES, default=None, help="where the project stood at the latest source")
    add_page_options(p, limit=50)
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
