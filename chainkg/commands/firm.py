"""``chainkg firm ID``: one firm, its place in the chains and the sources behind it.

The same content as ``GET /api/v1/firms/{id}``; ``--json`` prints that body. An unknown id
is answered with the nearest ids (``chainkg search`` finds a firm by name).
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import add_output_options, add_store_options, answer, print_sources
from chainkg.text_table import clean, format_table, names


def brief(items: list[dict[str, Any]]) -> str:
    return ", ".join(f"{clean(i['id'])} ({names(i)})" for i in items) or "-"


def print_firm(firm: dict[str, Any]) -> None:
    print(f"{firm['id']}  {names(firm)}")
    where = "local (常州本地)" if firm["is_local"] else "outside (外地)"
    if firm.get("district"):
        where += f", {firm['district']['id']} {names(firm['district'])}"
    fields = [
        ("aliases", ", ".join(clean(a) for a in firm.get("aliases", [])) or "-"),
        ("where", where),
        ("hq", clean(firm.get("hq") or "-")),
        ("tags", ", ".join(clean(t) for t in firm.get("tags", [])) or "-"),
        ("parent", brief([firm["parent"]]) if firm.get("parent") else "-"),
        ("subsidiaries", brief(firm.get("subsidiaries", []))),
        ("suppliers", brief(firm.get("suppliers", []))),
        ("customers", brief(firm.get("customers", []))),
        ("confidence", firm.get("confidence", "")),
    ]
    if firm.get("note"):
        fields.append(("note", clean(firm["note"])))
    width = max(len(key) for key, _ in fields)
    for key, value in fields:
        print(f"  {key.ljust(width)}  {value}")
    if firm.get("segments"):
        print()
        print("segments 所在环节")
        rows = [
            [s["id"], s["cluster_id"], s["position"], s["role"], s.get("confidence", ""), names(s)]
            for s in firm["segments"]
        ]
        print(format_table(["segment", "cluster", "position", "role", "confidence", "name"], rows))
    if firm.get("tiers"):
        print()
        print("tiers 梯度培育")
        rows = [[t["id"], t.get("year") or "", t.get("batch") or "", names(t)] for t in firm["tiers"]]
        print(format_table(["tier", "year", "batch", "name"], rows, "lrrl"))
    if firm.get("projects"):
        print()
        print("projects 重大项目 (chainkg project ID)")
        rows = [
            [p["id"], p.get("year") or "", p["status"], clean(p.get("investment_text") or ""), names(p)]
            for p in firm["projects"]
        ]
        print(format_table(["project", "year", "status", "investment", "name"], rows, "lrlrl"))
    if firm.get("platforms"):
        print()
        print("platforms 智改数转平台")
        rows = [[p["id"], p["category"], names(p)] for p in firm["platforms"]]
        print(format_table(["platform", "category", "name"], rows))
    print_sources(firm["sources"])


def run(args: argparse.Namespace) -> int:
    from queries.firms import get_firm

    return answer(args, lambda store: get_firm(store, args.firm), print_firm)


EPILOG = """\
examples:
  chainkg firm catl-jiangsu          # CATL's 溧阳 base: segments, tiers, projects, platforms and sources
  chainkg search 宁德时代             # a firm's id from its name
  chainkg firm li-auto --json        # the body of GET /api/v1/firms/li-auto
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one firm: names, district, segments and roles, tiers, partners, projects, platforms and sources."
    p = sub.add_parser(
        "firm", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("firm", help="a firm id, e.g. catl-jiangsu (chainkg search finds ids by name)")
    add_output_options(p, lang=False)
    add_store_options(p)
    p.set_defaults(handler=run)
