"""``chainkg firm ID``: one firm, its place in the chains and the sources behind it.

The same content as ``GET /api/v1/firms/{id}``; ``--json`` prints that body. An unknown id
is answered with the nearest ids (``chainkg search`` finds a firm by name).
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
from chainkg.commands.targets import gap_line
from chainkg.text_table import amount_en, clean, display_width, format_table, name_in
from graph.store import GraphStore
from queries.notes import reader_note
from queries.places import hq_in
from viz.style import TAG_LABELS

WHERE = {
    ("zh", True): "常州本地 local",
    ("zh", False): "外地 outside",
    ("en", True): "local (in Changzhou)",
    ("en", False): "outside (not in Changzhou)",
}


def brief(items: list[dict[str, Any]], lang: str = "zh") -> str:
    return ", ".join(f"{clean(i['id'])} ({name_in(i, lang)})" for i in items) or "-"


def tags_text(tags: list[str], lang: str) -> str:
    """A firm's tags as the data writes them, or for ``en`` in English (a tag with no known English as it is).

    >>> tags_text(["链主", "listed", "new-tag"], "en")
    'chain leader (anchor firm), listed company, new-tag'
    >>> tags_text(["链主", "listed"], "zh")
    '链主, listed'
    """
    if lang == "en":
        tags = [TAG_LABELS[t][1] if t in TAG_LABELS else t for t in tags]
    return ", ".join(clean(t) for t in tags) or "-"


def firm_fields(
    firm: dict[str, Any], lang: str, clusters: dict[str, dict[str, Any]] | None = None
) -> list[tuple[str, object]]:
    """The head of the view: aliases, where it is, tags, the clusters it anchors, its parent and partners,
    confidence and note.

    ``clusters`` maps the ids of ``firm["anchor_of"]`` to ``{"id", "name_zh", "name_en"}``; the line
    "anchor of" is shown only when the firm anchors a cluster (an id with no name is shown alone).
    """
    where = WHERE[lang, bool(firm["is_local"])]
    if firm.get("district"):
        where += f", {firm['district']['id']} {name_in(firm['district'], lang)}"
    fields: list[tuple[str, object]] = [
        (zh_first(lang, "别名", "aliases"), ", ".join(clean(a) for a in firm.get("aliases", [])) or "-"),
        (zh_first(lang, "所在地", "where"), where),
        (zh_first(lang, "总部", "hq"), clean(hq_in(firm.get("hq") or "", lang) or "-")),
        (zh_first(lang, "标签", "tags"), tags_text(firm.get("tags", []), lang)),
        *anchor_field(firm.get("anchor_of", []), clusters or {}, lang),
        (zh_first(lang, "母公司", "parent"), brief([firm["parent"]], lang) if firm.get("parent") else "-"),
        (zh_first(lang, "子公司", "subsidiaries"), brief(firm.get("subsidiaries", []), lang)),
        (zh_first(lang, "供应商", "suppliers"), brief(firm.get("suppliers", []), lang)),
        (zh_first(lang, "客户", "customers"), brief(firm.get("customers", []), lang)),
        (zh_first(lang, "可信度", "confidence"), confidence_label(firm.get("confidence", ""), lang)),
    ]
    note = reader_note(firm.get("note") or "")  # without the data audit's trail (review 16a M7; --json keeps it)
    if note:
        fields.append((zh_first(lang, "备注", "note"), clean(note)))
    return fields


SEGMENT_HEADERS = (
    ("环节", "segment"),
    ("集群", "cluster"),
    ("位置", "position"),
    ("角色", "role"),
    ("可信度", "confidence"),
    ("名称", "name"),
)
"""The headings of the firm's segments, ``(zh, en)``."""
TIER_HEADERS = (("梯度称号", "tier"), ("年份", "year"), ("批次", "batch"), ("名称", "name"))
"""The headings of the firm's tiers, ``(zh, en)``."""
PROJECT_HEADERS = (("项目", "project"), ("年份", "year"), ("状态", "status"), ("投资", "investment"), ("名称", "name"))
"""The headings of the firm's projects, ``(zh, en)``."""
PLATFORM_HEADERS = (("平台", "platform"), ("类别", "category"), ("名称", "name"))
"""The headings of the platforms the firm runs, ``(zh, en)``."""


def supply_hint(firm: dict[str, Any], lang: str) -> str:
    """Where to go on when the data hold no firm-level supplier or customer of ``firm`` (review 15a: following a
    firm to its suppliers mostly ended at "suppliers -"): the chain around its first segment.

    >>> firm = {"suppliers": [], "customers": [], "segments": [{"id": "nev-battery-cell"}]}
    >>> supply_hint(firm, "en")
    'no firm-level supplier or customer in the data; the segments around it: chainkg impact nev-battery-cell'
    >>> supply_hint({**firm, "suppliers": [{"id": "x"}]}, "en")
    ''
    """
    if firm.get("suppliers") or firm.get("customers") or not firm.get("segments"):
        return ""
    segment = firm["segments"][0]["id"]
    return zh_then_en(
        lang,
        f"数据中暂无该企业的企业级供应商或客户；其环节的上下游：chainkg impact {segment}",
        f"no firm-level supplier or customer in the data; the segments around it: chainkg impact {segment}",
    )


def anchor_field(anchor_of: list[str], clusters: dict[str, dict[str, Any]], lang: str) -> list[tuple[str, object]]:
    """The "anchor of" line: the clusters a firm anchors (链主), by id and name; none when it anchors none.

    >>> nev = {"id": "nev", "name_zh": "新能源汽车", "name_en": "New Energy Vehicles"}
    >>> anchor_field(["nev"], {"nev": nev}, "en"), anchor_field(["nev", "x"], {"nev": nev}, "zh")
    ([('anchor of', 'nev (New Energy Vehicles)')], [('链主 anchor of', 'nev (新能源汽车 New Energy Vehicles), x')])
    >>> anchor_field([], {}, "zh")
    []
    """
    if not anchor_of:
        return []
    shown = [f"{clean(c)} ({name_in(clusters[c], lang)})" if c in clusters else clean(c) for c in anchor_of]
    return [(zh_first(lang, "链主", "anchor of"), ", ".join(shown))]


def print_firm(firm: dict[str, Any], lang: str = "zh", clusters: dict[str, dict[str, Any]] | None = None) -> None:
    """Print ``firm`` (the body of ``GET /api/v1/firms/{id}``); ``clusters`` names its ``anchor_of`` ids."""
    print(f"{firm['id']}  {name_in(firm, lang)}")
    fields = firm_fields(firm, lang, clusters)
    width = max(display_width(key) for key, _ in fields)
    for key, value in fields:
        print(f"  {key}{' ' * (width - display_width(key))}  {value}")
    if firm.get("segments"):
        print()
        print(zh_first(lang, "所在环节", "segments"))
        rows = [
            [
                s["id"],
                s["cluster_id"],
                s["position"],
                s["role"],
                confidence_label(s.get("confidence", ""), lang),
                name_in(s, lang),
            ]
            for s in firm["segments"]
        ]
        print(format_table(zh_first_headers(lang, *SEGMENT_HEADERS), rows))
        hint = supply_hint(firm, lang)
        if hint:
            print(hint)
    if firm.get("tiers"):
        print()
        print(zh_first(lang, "梯度培育", "tiers"))
        rows = [[t["id"], t.get("year") or "", t.get("batch") or "", name_in(t, lang)] for t in firm["tiers"]]
        print(format_table(zh_first_headers(lang, *TIER_HEADERS), rows, "lrrl"))
    if firm.get("projects"):
        print()
        print(zh_first(lang, "重大项目", "projects") + " (chainkg project ID)")
        money = amount_en if lang == "en" else clean
        rows = [
            [p["id"], p.get("year") or "", p["status"], money(p.get("investment_text") or ""), name_in(p, lang)]
            for p in firm["projects"]
        ]
        print(format_table(zh_first_headers(lang, *PROJECT_HEADERS), rows, "lrlrl"))
    if firm.get("platforms"):
        print()
        print(zh_first(lang, "智改数转平台", "platforms"))
        rows = [[p["id"], p["category"], name_in(p, lang)] for p in firm["platforms"]]
        print(format_table(zh_first_headers(lang, *PLATFORM_HEADERS), rows))
    if firm.get("candidacy"):
        print_candidacy(firm, lang, clusters)
    print_sources(firm["sources"], lang)


def print_candidacy(firm: dict[str, Any], lang: str, clusters: dict[str, dict[str, Any]]) -> None:
    """The firm's place among the firms to attract (先找谁) and the gaps it would fill (review 16a H4: 阳光电源, the
    new-energy cluster's first target, was looked up and nothing said so)."""
    candidacy = firm["candidacy"]

    def place(p: dict[str, Any]) -> str:
        tie = "=" if p["tied_with"] else ""
        return zh_then_en(
            lang,
            f"第 {p['rank']}{tie} 名（共 {p['of']} 家，优先度 {p['priority']:.3f}）",
            f"#{p['rank']}{tie} of {p['of']} (priority {p['priority']:.3f})",
        )

    print()
    print(zh_first(lang, "招商：先找谁", "a firm to attract"))
    print("  " + zh_first(lang, "全市", "city-wide") + f"  {place(candidacy['city'])}  (chainkg targets)")
    for p in candidacy["clusters"]:
        name = name_in(clusters.get(p["cluster_id"], {"name_zh": p["cluster_id"], "name_en": ""}), lang)
        print(f"  {p['cluster_id']} {name}  {place(p)}  (chainkg targets {p['cluster_id']})")
    for gap in candidacy["gaps"]:
        print(gap_line(gap, lang))
    explanation = candidacy["explanation_en"] if lang == "en" else candidacy["explanation_zh"]
    print("    " + explanation)


def run(args: argparse.Namespace) -> int:
    from queries.firms import get_firm

    clusters: dict[str, dict[str, Any]] = {}

    def fetch(store: GraphStore) -> dict[str, Any]:
        """The API's body; the names of the clusters it anchors or would be attracted to are kept aside for the
        text view."""
        from queries.candidacy import firm_candidacy

        body = {**get_firm(store, args.firm), "candidacy": firm_candidacy(store, args.firm)}
        wanted = [*body["anchor_of"], *(c["cluster_id"] for c in (body["candidacy"] or {}).get("clusters", []))]
        clusters.update(cluster_names(store, wanted))
        return body

    return answer(args, fetch, lambda body: print_firm(body, args.lang, clusters))


def cluster_names(store: GraphStore, cluster_ids: list[str]) -> dict[str, dict[str, Any]]:
    """Cluster id → ``{"id", "name_zh", "name_en"}`` for each of ``cluster_ids`` the store holds."""
    out = {}
    for cluster_id in cluster_ids:
        node = store.node(cluster_id)
        if node is not None:
            out[cluster_id] = {"id": node.id, "name_zh": node.name_zh, "name_en": node.name_en}
    return out


EPILOG = """\
examples:
  chainkg firm catl-jiangsu            # CATL's 溧阳 base: segments, tiers, projects, platforms and sources
  chainkg search 宁德时代              # a firm's id from its name
  chainkg firm catl-jiangsu --lang en  # in English (a name the data has only in Chinese stays Chinese)
  chainkg firm li-auto --json          # the body of GET /api/v1/firms/li-auto
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one firm: names, district, segments and roles, tiers, partners, projects, platforms and sources."
    p = sub.add_parser(
        "firm", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("firm", help="a firm id, e.g. catl-jiangsu (chainkg search finds ids by name)")
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
