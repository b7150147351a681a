"""``chainkg completeness CLUSTER``: a chain's completeness (产业链完整度) per year, beside the published figures.

The same content as ``GET /api/v1/clusters/{id}/completeness`` with the same parameters
(``--segments``, ``--from``, ``--to``); ``--json`` prints that body. Completeness is the share of
the chain's segments with local presence: a local firm (sub-segments included) or a started or
completed project. The view shows the share today, the share per year with the segments each
year added, each published figure (e.g. the battery chain's 94% in 2022) beside the share computed
over its scope with the difference and what is that row's own (the missing segments, or what changed
since the previous year), then once what explains the difference for every row, and the segments
still missing.
``docs/projects-tiers-policies.md`` §4 gives the definition.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_output_options,
    add_store_options,
    confidence_label,
    opened_store,
    print_json,
    year_value,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import amount_en, clean, format_table, in_lang, name_in

EPILOG = """\
examples:
  chainkg completeness nev                                   # the NEV chain, year by year, beside 94% / 97%
  chainkg completeness nev --segments nev-battery-materials,nev-battery-cell --from 2020
  chainkg completeness nev --lang en                         # in English
  chainkg completeness textiles --json                       # the body of GET /api/v1/clusters/textiles/completeness
"""


UNDATED_WARNING = 0.5
"""Above this share of undated facts, the year-by-year table says that it moves only with dated facts."""
YEAR_HEADERS = (
    ("年份", "year"),
    ("有本地企业", "present"),
    ("环节数", "segments"),
    ("占比", "share"),
    ("新增", "added"),
)
"""The headings of the year-by-year table, ``(zh, en)``."""
PUBLISHED_HEADERS = (
    ("年份", "year"),
    ("指标", "metric"),
    ("公开值", "published"),
    ("本数据", "computed"),
    ("有本地企业", "present"),
    ("相差", "difference"),
    ("可信度", "confidence"),
    ("来源", "sources"),
)
"""The headings of the published figures beside the computed ones, ``(zh, en)``."""
MISSING_HEADERS = (("环节", "segment"), ("名称", "name"))
"""The headings of the segments missing now, ``(zh, en)``."""


def segment_ids(text: str) -> list[str]:
    """An argparse type: comma-separated segment ids, read as the API reads ``segments``.

    >>> segment_ids(" nev-cathode, ,nev-anode")
    ['nev-cathode', 'nev-anode']
    """
    if len(text) > 2000:
        raise argparse.ArgumentTypeError(f"expected at most 2000 characters; got {len(text)}")
    ids = [s.strip() for s in text.split(",") if s.strip()]
    if not ids:
        raise argparse.ArgumentTypeError(f"expected comma-separated segment ids; got {text!r}")
    return ids


def percent(share: float) -> str:
    """``0.689655`` as ``69.0%``."""
    return f"{share * 100:.1f}%"


def published_value(fig: dict[str, Any], lang: str) -> str:
    """A published figure as its source gives it (``94%``); an amount (``500亿元``) in English for ``en``.

    >>> published_value({"value": 94.0, "unit": "%"}, "en"), published_value({"value": 500.0, "unit": "亿元"}, "en")
    ('94%', 'CNY 50 billion')
    """
    text = f"{fig['value']:g}{fig['unit']}"
    return amount_en(text) if lang == "en" else text


def print_completeness(body: dict[str, Any], cluster: dict[str, Any], lang: str) -> None:
    segment_names = {s["id"]: name_in(s, lang) for s in cluster.get("segments", [])}
    scope = body["scope"]
    print(f"{body['cluster_id']}  {name_in(cluster, lang)}")
    total = scope["segments_total"]
    if scope["whole_cluster"]:
        print(zh_then_en(lang, f"范围：整个集群，{total} 个环节", f"scope: the whole cluster, {total} segments"))
    else:
        print(
            zh_then_en(lang, f"范围：{total} 个环节", f"scope: {total} segments") + f": {', '.join(scope['segments'])}"
        )
    now = body["current"]
    present, share = f"{now['segments_present']}", percent(now["share"])
    print(
        zh_then_en(
            lang,
            f"当前：{now['segments_total']} 个环节中 {present} 个有本地企业，{share}（计入全部事实，无论是否注明年份）",
            f"now: {present} of {now['segments_total']} segments present, {share} (every fact, dated or not)",
        )
    )
    if body["years"]:
        print()
        print(zh_first(lang, "按年", "by year"))
        rows = [
            [y["year"], y["segments_present"], y["segments_total"], percent(y["share"]), ", ".join(y["added"])]
            for y in body["years"]
        ]
        print(format_table(zh_first_headers(lang, *YEAR_HEADERS), rows, "rrrrl"))
        if body["undated_share"] > UNDATED_WARNING:
            undated = percent(body["undated_share"])
            print(
                zh_then_en(
                    lang,
                    f"注意：{undated} 的事实未注明年份，各年均计入，逐年变化只反映有年份的事实与项目",
                    f"note: {undated} of the facts carry no year and count in every year, so the series moves only "
                    "with dated facts and projects",
                )
            )
    else:
        print(
            zh_then_en(
                lang,
                "范围内没有注明年份的事实、项目或公开数据：无年份可列（可试 --from 与 --to）",
                "no dated fact, project or published figure in the scope: no year to show (try --from and --to)",
            )
        )
    if body["published"]:
        print()
        print(zh_then_en(lang, "公开数据与本数据对照", "published beside this data"))
        rows = []
        for fig in body["published"]:
            computed = fig["computed"]
            diff = fig["difference_pp"]
            rows.append(
                [
                    fig["year"],
                    fig["metric"],
                    published_value(fig, lang),
                    percent(computed["share"]),
                    f"{computed['segments_present']}/{computed['segments_total']}",
                    f"{diff:+.1f} pp" if diff is not None else "",
                    confidence_label(fig.get("confidence", ""), lang),
                    ", ".join(clean(s) for s in fig.get("sources", [])),
                ]
            )
        lines = format_table(zh_first_headers(lang, *PUBLISHED_HEADERS), rows, "rlrrrrll").split("\n")
        print("\n".join(lines[:2]))
        for line, fig in zip(lines[2:], body["published"], strict=True):
            print(line)
            print("    " + in_lang(fig, "note", lang))
        print(zh_then_en(lang, "为什么不同（以上各年）", "why they differ (every year above)"))
        print("    " + in_lang(body, "published_note", lang))
    if now["missing"]:
        print()
        print(zh_first(lang, "当前缺失", "missing now") + f" ({len(now['missing'])})")
        rows = [[sid, segment_names.get(sid, "")] for sid in now["missing"]]
        print(format_table(zh_first_headers(lang, *MISSING_HEADERS), rows))
    print()
    undated = percent(body["undated_share"])
    print(
        zh_then_en(
            lang,
            f"未注明年份：范围内 {undated} 的本地企业—环节事实",
            f"undated: {undated} of the local firm-segment facts in the scope",
        )
    )
    print(in_lang(body, "note", lang))


def run(args: argparse.Namespace) -> int:
    from queries.clusters import get_cluster
    from queries.completeness import completeness

    with opened_store(args) as store:
        body = completeness(store, args.cluster, args.segments, args.year_from, args.year_to)
        if args.json:
            print_json(body)
            return 0
        cluster = get_cluster(store, args.cluster)
    print_completeness(body, cluster, args.lang)
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show a chain's completeness per year (segments with local presence) beside the published figures."
    p = sub.add_parser(
        "completeness",
        help=text,
        description=text,
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("cluster", help="a cluster id, e.g. nev (chainkg health lists them)")
    p.add_argument(
        "--segments",
        type=segment_ids,
        default=None,
        metavar="ID,ID",
        help="comma-separated segment ids of the cluster: count only these and their sub-segments",
    )
    p.add_argument(
        "--from",
        dest="year_from",
        type=year_value,
        default=None,
        metavar="YEAR",
        help="first year (default: the earliest)",
    )
    p.add_argument(
        "--to", dest="year_to", type=year_value, default=None, metavar="YEAR", help="last year (default: the latest)"
    )
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
