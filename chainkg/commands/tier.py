"""``chainkg tier ID``: one tier (梯度称号), the firms that hold it and the policies aimed at it.

The same content as ``GET /api/v1/tiers/{id}``; ``--json`` prints that body. The header counts the
holders, how many are local and how many undated (``12 (12 local, 8 undated)``). Holders are listed
by the year they were named (undated last), each with its batch (批次), district, confidence and
sources; the policies show the instruments that apply to the tier (``最高200万元``). With
``--year``, holdings named later are left out; undated ones still count, since nothing says they
came later. An unknown id is answered with the nearest ids (``chainkg tiers`` lists them).
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
    print_sources,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.commands.tiers import batches_text
from chainkg.text_table import amount_en, clean, fields_block, format_table, in_lang, name_in, text_fields

EPILOG = """\
examples:
  chainkg tier tier-champion-firm                # the 单项冠军 firms, by the year they were named
  chainkg tier tier-little-giant-national --year 2021
  chainkg tier tier-champion-firm --lang en      # in English: names, amounts and descriptions
  chainkg tier tier-champion-firm --json         # the body of GET /api/v1/tiers/tier-champion-firm
"""


def holder_rows(holders: list[dict[str, Any]], lang: str = "zh") -> list[list[Any]]:
    return [
        [
            h["id"],
            h["year"] or "",
            h["batch"] or "",
            zh_first(lang, "本地", "local") if h["is_local"] else zh_first(lang, "外地", "outside"),
            h["district_id"] or "",
            confidence_label(h["confidence"], lang),
            ", ".join(clean(s) for s in h["sources"]),
            name_in(h, lang),
        ]
        for h in holders
    ]


def holders_text(body: dict[str, Any], lang: str = "zh") -> str:
    """``12 (12 local, 8 undated)``: the holders counted, how many are local and how many give no year; Chinese
    first unless ``en``.

    >>> counts = {"holder_count": 12, "local_holder_count": 11, "undated_holder_count": 8}
    >>> holders_text(counts, "en")
    '12 (11 local, 8 undated)'
    >>> holders_text(counts)
    '12 家（本地 11 家，未注明年份 8 家） / 12 (11 local, 8 undated)'
    """
    total, local, undated = body["holder_count"], body["local_holder_count"], body["undated_holder_count"]
    return zh_then_en(
        lang, f"{total} 家（本地 {local} 家，未注明年份 {undated} 家）", f"{total} ({local} local, {undated} undated)"
    )


HOLDER_HEADERS = (
    ("企业", "firm"),
    ("年份", "year"),
    ("批次", "batch"),
    ("所在地", "where"),
    ("区县", "district"),
    ("可信度", "confidence"),
    ("来源", "sources"),
    ("名称", "name"),
)
"""The headings of the holders, ``(zh, en)``."""
POLICY_HEADERS = (("政策", "policy"), ("适用于该称号的政策工具", "instruments for this tier"), ("名称", "name"))
"""The headings of the policies aimed at the tier, ``(zh, en)``."""


def instruments_text(policy: dict[str, Any], lang: str) -> str:
    """The instruments of ``policy`` for the tier: ``最高200万元 对新认定...`` (amount and description), or the kind."""
    money = amount_en if lang == "en" else clean
    amounts = [
        f"{money(i['amount_text'])} {in_lang(i, 'description', lang)}".strip() if i["amount_text"] else i["kind"]
        for i in policy["instruments"]
    ]
    return "; ".join(amounts) or "-"


def print_tier(body: dict[str, Any], lang: str, year: int | None) -> None:
    print(f"{body['id']}  {name_in(body, lang)}")
    fields: list[tuple[str, object]] = [
        (zh_first(lang, "级别", "level"), body["level"]),
        (zh_first(lang, "类别", "category"), body["category"]),
        (zh_first(lang, "认定机构", "issuer"), body["issuer"] or "-"),
        (zh_first(lang, "获评企业", "holders"), holders_text(body, lang)),
        (zh_first(lang, "批次", "batches"), batches_text(body["batches"])),
        (zh_first(lang, "可信度", "confidence"), confidence_label(body["confidence"], lang)),
        (zh_first(lang, "来源", "sources"), ", ".join(body["sources"]) or "-"),
    ]
    fields += [(zh_first(lang, TEXT_FIELDS_ZH[key], key), value) for key, value in text_fields(body)]
    print(fields_block(fields))
    print()
    print(zh_first(lang, "获评企业", "holders") + f" ({len(body['holders'])})")
    if body["holders"]:
        headers = zh_first_headers(lang, *HOLDER_HEADERS)
        print(format_table(headers, holder_rows(body["holders"], lang), "lrrlllll"))
    elif year is not None:
        print(zh_then_en(lang, f"截至 {year} 年，数据中没有企业获评", f"no firm in the data holds it as of {year}"))
    else:
        print(zh_then_en(lang, "数据中没有企业获评", "no firm in the data holds it"))
    if body["policies"]:
        print()
        print(zh_first(lang, "政策", "policies"))
        rows = [[policy["id"], instruments_text(policy, lang), name_in(policy, lang)] for policy in body["policies"]]
        print(format_table(zh_first_headers(lang, *POLICY_HEADERS), rows))
    print_sources(body["sources_ref"], lang)


def run(args: argparse.Namespace) -> int:
    from queries.tiers import get_tier

    return answer(
        args, lambda store: get_tier(store, args.tier, args.year), lambda body: print_tier(body, args.lang, args.year)
    )


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show one tier (梯度称号): its holders with year and batch, the policies aimed at it and its sources."
    p = sub.add_parser(
        "tier", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("tier", help="a tier id, e.g. tier-champion-firm (chainkg tiers lists them)")
    add_year_option(p)
    add_output_options(p, lang_help=VIEW_LANG_HELP)
    add_store_options(p)
    p.set_defaults(handler=run)
