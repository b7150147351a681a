"""``chainkg segment ID``: one segment (环节) in detail: status, firms, neighbours, related segments, gap.

The same content as ``GET /api/v1/segments/{id}``; ``--json`` prints that body. The view lists the
segment's local firms (with their district and role), the outside firms operating in it, the
segments it buys from and sells to (with the confidence of each supply link: ``unverified`` when
no source backs it), the related segments by proximity, and its gap, if any, with the reasons.
An unknown id is answered with the nearest ids (``chainkg search`` finds a segment by name).
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    TEXT_FIELDS_ZH,
    add_output_options,
    add_store_options,
    add_year_option,
    answer,
    confidence_label,
    status_label,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.commands.gaps import kind_in
from chainkg.text_table import clean, fields_block, format_table, in_lang, name_in, reasons_text, text_fields

EPILOG = """\
examples:
  chainkg segment nev-electrolyte              # a missing segment: its gap and the outside firms in it
  chainkg segment nev-battery-cell --year 2020 # as of 2020
  chainkg segment nev-cathode --lang en        # in English (a description the data has only in Chinese stays)
  chainkg segment nev-cathode --json           # the body of GET /api/v1/segments/nev-cathode
"""


NEIGHBOUR_TITLES = {
    "upstream": ("上游（供给它）", "upstream (supplies it)"),
    "downstream": ("下游（它供给）", "downstream (it supplies)"),
}
"""The titles of the neighbour tables, ``(zh, en)``."""
NEIGHBOUR_HEADERS = (
    ("环节", "segment"),
    ("集群", "cluster"),
    ("位置", "position"),
    ("现状", "status"),
    ("跨集群", "cross-cluster"),
    ("供应关系", "link"),
    ("名称", "name"),
)
"""The headings of the neighbour tables, ``(zh, en)``."""
LOCAL_HEADERS = (("企业", "firm"), ("角色", "role"), ("区县", "district"), ("名称", "name"))
"""The headings of the local firms, ``(zh, en)``."""
OUTSIDE_HEADERS = (("企业", "firm"), ("角色", "role"), ("名称", "name"))
"""The headings of the outside firms, ``(zh, en)``."""
RELATED_HEADERS = (
    ("环节", "segment"),
    ("集群", "cluster"),
    ("邻近度", "proximity"),
    ("本地", "local"),
    ("名称", "name"),
)
"""The headings of the related segments, ``(zh, en)``."""


def brief(item: dict[str, Any] | None, lang: str = "zh") -> str:
    """``id (中文名 English name)``, for ``en`` ``id (English name)``, or ``-`` for none."""
    return f"{item['id']} ({name_in(item, lang)})" if item else "-"


def segment_fields(body: dict[str, Any], lang: str = "zh") -> list[tuple[str, object]]:
    """The head of the view: where the segment sits, its state, its gap and its sources."""
    gap = body.get("gap")
    gap_text = "-"
    if gap:
        # kinds as chainkg gaps words them, marked when they rest only on unverified supply links (review 9, #4)
        unsure = gap.get("kinds_unverified") or body.get("gap_kinds_unverified") or []
        kinds = ", ".join(kind_in(k, lang, unverified=k in unsure) for k in gap["kinds"])
        kind = kind_in(gap["kind"], lang, unverified=gap["kind"] in unsure)
        gap_text = f"{kind} ({kinds}), {zh_first(lang, '严重度', 'severity')} {gap['severity']:.2f}"
    total, direct = body["local_firm_count"], body["direct_local_firm_count"]
    local = f"{total}"
    if direct != total:
        below = total - direct
        zh, en = f"直属 {direct} 家，下级环节 {below} 家", f"{direct} directly, {below} in sub-segments"
        split = zh_then_en(lang, zh, en)
        local += f" ({split})"
    fields: list[tuple[str, object]] = [
        (zh_first(lang, "集群", "cluster"), brief(body.get("cluster"), lang)),
        (zh_first(lang, "位置", "position"), body["position"]),
        (zh_first(lang, "现状", "status"), status_label(body["status"], lang)),
        (zh_first(lang, "上级环节", "parent"), brief(body.get("parent"), lang)),
        (zh_first(lang, "下级环节", "sub-segments"), ", ".join(c["id"] for c in body.get("children", [])) or "-"),
        (zh_first(lang, "本地企业", "local firms"), local),
        (zh_first(lang, "外地企业", "outside firms"), body["outside_firm_count"]),
        (zh_first(lang, "缺口", "gap"), gap_text),
        (zh_first(lang, "关联密度 ω", "relatedness density"), f"{body['relatedness_density']:.3f}"),
        (zh_first(lang, "可信度", "confidence"), confidence_label(body.get("confidence", ""), lang)),
        (zh_first(lang, "来源", "sources"), ", ".join(clean(s) for s in body.get("sources", [])) or "-"),
    ]
    return fields + [(zh_first(lang, TEXT_FIELDS_ZH[k], k), v) for k, v in text_fields(body, "description")]


def neighbour_rows(items: list[dict[str, Any]], lang: str = "zh") -> list[list[Any]]:
    return [
        [
            s["id"],
            s["cluster_id"],
            s["position"],
            status_label(s["status"], lang),
            zh_first(lang, "是", "yes") if s.get("cross_cluster") else "",
            link_confidence(s, lang),
            name_in(s, lang),
        ]
        for s in items
    ]


def link_confidence(item: dict[str, Any], lang: str = "zh") -> str:
    """The confidence of the supply link to a neighbour (:func:`chainkg.commands.common.confidence_label`).

    >>> link_confidence({"confidence": "unverified"}, "zh"), link_confidence({"confidence": "sourced"}, "en")
    ('待核实 unverified', 'sourced')
    """
    return confidence_label(item.get("confidence", ""), lang)


def print_segment(body: dict[str, Any], lang: str) -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    print(fields_block(segment_fields(body, lang)))
    gap = body.get("gap")
    if gap:
        print("  " + in_lang(gap, "explanation", lang))
        why = reasons_text(gap.get("reasons", []), lang)
        if why:
            print("  " + why)
    if body["local_firms"]:
        district_of = {fid: d for d, ids in body.get("firms_by_district", {}).items() for fid in ids}
        print()
        print(zh_first(lang, "本地企业", "local firms"))
        rows = [[f["id"], f["role"], district_of.get(f["id"], ""), name_in(f, lang)] for f in body["local_firms"]]
        print(format_table(zh_first_headers(lang, *LOCAL_HEADERS), rows))
    if body["outside_firms"]:
        print()
        print(zh_first(lang, "外地企业", "outside firms"))
        rows = [[f["id"], f["role"], name_in(f, lang)] for f in body["outside_firms"]]
        print(format_table(zh_first_headers(lang, *OUTSIDE_HEADERS), rows))
    headers = zh_first_headers(lang, *NEIGHBOUR_HEADERS)
    for key, (zh_title, en_title) in NEIGHBOUR_TITLES.items():
        if body[key]:
            print()
            print(zh_first(lang, zh_title, en_title))
            print(format_table(headers, neighbour_rows(body[key], lang)))
    if body["related_segments"]:
        print()
        print(zh_first(lang, "相关环节（邻近度）", "related segments (proximity)"))
        yes, no = zh_first(lang, "是", "yes"), zh_first(lang, "否", "no")
        rows = [
            [s["id"], s["cluster_id"], f"{s['proximity']:.3f}", yes if s["present"] else no, name_in(s, lang)]
            for s in body["related_segments"]
        ]
        print(format_table(zh_first_headers(lang, *RELATED_HEADERS), rows, "llrll"))
    print()
    segment_id = body["id"]
    print(
        zh_then_en(
            lang,
            f"可招引的外地企业：chainkg candidates {segment_id}；依赖它的环节：chainkg impact {segment_id}",
            f"firms to attract: chainkg candidates {segment_id}; what depends on it: chainkg impact {segment_id}",
        )
    )


def run(args: argparse.Namespace) -> int:
    from queries.segments import get_segment

    return answer(
        args, lambda store: get_segment(store, args.segment, args.year), lambda body: print_segment(body, args.lang)
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one segment: status, local and outside firms, neighbours, related segments and its gap."
    p = sub.add_parser(
        "segment", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("segment", help="a segment id, e.g. nev-electrolyte (chainkg chain CLUSTER lists them)")
    add_year_option(p)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
