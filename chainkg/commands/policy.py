"""``chainkg policy ID``: one policy (政策), its instruments, targets and the gaps it targets.

The same content as ``GET /api/v1/policies/{id}``; ``--json`` prints that body. The view lists
the instruments (rewards, subsidies, funds, with amounts as published: ``最高200万元``), the tiers,
clusters and segments it targets (with the holders of each tier and the gap count of each cluster),
the gaps in the segments it targets, as of ``--year``, each explained, and every source cited. An
unknown id is answered with the nearest ids (``chainkg policies`` lists them).
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    TEXT_FIELDS_ZH,
    VIEW_LANG_HELP,
    add_output_options,
    add_store_options,
    add_year_option,
    answer,
    confidence_label,
    gap_kind_label,
    print_sources,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import amount_en, clean, fields_block, format_table, in_lang, name_in, text_fields

EPILOG = """\
examples:
  chainkg policy pol-wujin-nev-parts             # 武进's NEV-parts plan and the gaps in the segments it names
  chainkg policy pol-zjtx-rewards --lang en      # rewards for 单项冠军 and 小巨人, with the holders of each tier
  chainkg policy pol-zgsz-action-plan --json     # the body of GET /api/v1/policies/pol-zgsz-action-plan
"""


def instrument_rows(instruments: list[dict[str, Any]], lang: str) -> list[list[Any]]:
    money = amount_en if lang == "en" else clean
    return [
        [
            i["kind"],
            money(i["amount_text"]) or "-",
            i["tier_id"] or "",
            confidence_label(i["confidence"], lang),
            ", ".join(clean(s) for s in i["sources"]),
            in_lang(i, "description", lang),
        ]
        for i in instruments
    ]


INSTRUMENT_HEADERS = (
    ("政策工具", "instrument"),
    ("金额", "amount"),
    ("等级", "tier"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("说明", "description"),
)
"""The headings of the instruments, ``(zh, en)``."""
TARGET_HEADERS = (
    ("对象", "target"),
    ("", "id"),
    ("集群", "cluster"),
    ("获评企业或缺口", "holders or gaps"),
    ("来源", "sources"),
    ("名称", "name"),
)
"""The headings of the targets, ``(zh, en)``."""
GAP_HEADERS = (
    ("严重度", "severity"),
    ("类型", "kind"),
    ("环节", "segment"),
    ("集群", "cluster"),
    ("候选企业", "candidates"),
    ("名称", "name"),
)
"""The headings of the targeted gaps, ``(zh, en)``, as ``chainkg gaps`` names the columns."""


def segment_gap_text(segment_id: str, targeted: list[dict[str, Any]], lang: str = "zh") -> str:
    """A targeted segment's cell of "holders or gaps": its gap's kind and severity, or "no gap", and how many of
    its sub-segments are gaps.

    >>> gaps = [{"segment_id": "s-a", "parent_id": None, "kind": "broken_link", "severity": 0.314},
    ...         {"segment_id": "s-a1", "parent_id": "s-b", "kind": "weak", "severity": 0.1}]
    >>> segment_gap_text("s-a", gaps), segment_gap_text("s-c", gaps, "en"), segment_gap_text("s-b", gaps)
    ('断链 0.31', 'no gap', '非缺口 no gap（下级缺口 +1 / +1 gap below）')
    >>> segment_gap_text("s-a", gaps, "en")
    'broken link 0.31'
    """
    own = next((g for g in targeted if g["segment_id"] == segment_id), None)
    kind = gap_kind_label(own["kind"], lang) if own else ""
    text = f"{kind} {own['severity']:.2f}" if own else zh_first(lang, "非缺口", "no gap")
    below = sum(1 for g in targeted if g.get("parent_id") == segment_id)
    if below:
        en = f"+{below} gap{'s' if below > 1 else ''} below"
        text += f" ({en})" if lang == "en" else f"（{zh_then_en(lang, f'下级缺口 +{below}', en)}）"
    return text


def target_rows(body: dict[str, Any], lang: str = "zh") -> list[list[Any]]:
    """One row per target: kind, id, its cluster, holders (a tier) or gaps (a cluster, a segment), sources, name.

    A segment's gap cell is :func:`segment_gap_text`: whether the segment is a gap, of which kind and how severe.
    """
    rows = []
    for t in body["targets"]["tiers"]:
        holders = body["tier_holders"].get(t["id"], "")
        rows.append(
            [
                zh_first(lang, "梯度称号", "tier"),
                t["id"],
                "",
                label_count(lang, holders, "家获评企业", "holders"),
                ", ".join(t["sources"]),
                name_in(t, lang),
            ]
        )
    for t in body["targets"]["clusters"]:
        count = body["cluster_gaps"].get(t["id"], "")
        rows.append(
            [
                zh_first(lang, "集群", "cluster"),
                t["id"],
                "",
                label_count(lang, count, "个缺口", "gaps"),
                ", ".join(t["sources"]),
                name_in(t, lang),
            ]
        )
    for t in body["targets"]["segments"]:
        gap = segment_gap_text(t["id"], body["targeted_gaps"], lang)
        rows.append(
            [
                zh_first(lang, "环节", "segment"),
                t["id"],
                t["cluster_id"] or "",
                gap,
                ", ".join(t["sources"]),
                name_in(t, lang),
            ]
        )
    return rows


def label_count(lang: str, count: object, zh: str, en: str) -> str:
    """A count in a target's cell: ``12 家获评企业 holders`` by default, ``12 holders`` for ``en``.

    >>> label_count("zh", 12, "家获评企业", "holders"), label_count("en", 3, "个缺口", "gaps")
    ('12 家获评企业 holders', '3 gaps')
    """
    return f"{count} {zh_first(lang, zh, en)}"


def print_policy(body: dict[str, Any], lang: str) -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    fields: list[tuple[str, object]] = [
        (zh_first(lang, "发布机构", "issuer"), body["issuer"] or "-"),
        (zh_first(lang, "日期", "date"), body["date"] or "-"),
        (zh_first(lang, "文号", "document no."), body["doc_no"] or "-"),
        (zh_first(lang, "可信度", "confidence"), confidence_label(body["confidence"], lang)),
        (zh_first(lang, "来源", "sources"), ", ".join(body["sources"]) or "-"),
    ]
    fields += [(zh_first(lang, TEXT_FIELDS_ZH[key], key), value) for key, value in text_fields(body)]
    print(fields_block(fields))
    if body["instruments"]:
        print()
        print(zh_first(lang, "政策工具", "instruments"))
        headers = zh_first_headers(lang, *INSTRUMENT_HEADERS)
        print(format_table(headers, instrument_rows(body["instruments"], lang), "lrllll"))
    rows = target_rows(body, lang)
    if rows:
        print()
        print(zh_first(lang, "针对对象", "targets"))
        print(format_table(zh_first_headers(lang, *TARGET_HEADERS), rows, "lllrll"))
    targeted = body["targeted_gaps"]
    print()
    print(zh_first(lang, "点名的缺口", "targeted gaps") + f" ({len(targeted)})")
    if targeted:
        gap_rows = [
            [
                f"{g['severity']:.2f}",
                gap_kind_label(g["kind"], lang),
                g["segment_id"],
                g["cluster_id"],
                g["candidate_count"],
                name_in(g, lang, "segment_"),
            ]
            for g in targeted
        ]
        lines = format_table(zh_first_headers(lang, *GAP_HEADERS), gap_rows, "rlllrl")
        table = lines.split("\n")
        print("\n".join(table[:2]))
        for line, gap in zip(table[2:], targeted, strict=True):
            print(line)
            print("    " + in_lang(gap, "explanation", lang))
    elif body["targets"]["segments"]:
        print(zh_then_en(lang, "无：它点名的环节都不是缺口", "none: the segments it names have no gap"))
    else:
        print(
            zh_then_en(
                lang,
                "无：它未点名环节（针对集群或等级的政策不点名具体环节）",
                "none: it names no segment (a policy aimed at a cluster or a tier names no link)",
            )
        )
    print_sources(body["sources_ref"], lang)


def run(args: argparse.Namespace) -> int:
    from queries.policies import get_policy

    return answer(
        args, lambda store: get_policy(store, args.policy, args.year), lambda body: print_policy(body, args.lang)
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one policy: its instruments and amounts, what it targets, the gaps it targets and its sources."
    p = sub.add_parser(
        "policy", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("policy", help="a policy id, e.g. pol-wujin-nev-parts (chainkg policies lists them)")
    add_year_option(p)
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
