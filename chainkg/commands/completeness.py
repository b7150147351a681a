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

from chainkg.commands.common import add_output_options, add_store_options, opened_store, print_json, year_value
from chainkg.text_table import amount_en, clean, format_table, in_lang, label, name_in

EPILOG = """\
examples:
  chainkg completeness nev                                   # the NEV chain, year by year, beside 94% / 97%
  chainkg completeness nev --segments nev-battery-materials,nev-battery-cell --from 2020
  chainkg completeness nev --lang en                         # in English
  chainkg completeness textiles --json                       # the body of GET /api/v1/clusters/textiles/completeness
"""


UNDATED_WARNING = 0.5
"""Above this share of undated facts, the year-by-year table says that it moves only with dated facts."""
UNDATED_NOTE = (
    "the series moves only with dated facts and projects",
    "注意：多数事实未注明年份，各年均计入，逐年变化只反映有年份的事实与项目",
)
"""The end of the note on undated facts, in English and in Chinese (which only the default output adds)."""


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
    scope_title = label(lang, "scope 范围", "scope")
    if scope["whole_cluster"]:
        print(f"{scope_title}: the whole cluster, {scope['segments_total']} segments")
    else:
        print(f"{scope_title}: {scope['segments_total']} segments: {', '.join(scope['segments'])}")
    now = body["current"]
    present = f"{now['segments_present']} of {now['segments_total']} segments present, {percent(now['share'])}"
    print(label(lang, "now 当前", "now") + f": {present} (every fact, dated or not)")
    if body["years"]:
        print()
        print(label(lang, "by year 按年", "by year"))
        rows = [
            [y["year"], y["segments_present"], y["segments_total"], percent(y["share"]), ", ".join(y["added"])]
            for y in body["years"]
        ]
        print(format_table(["year", "present", "segments", "share", "added"], rows, "rrrrl"))
        if body["undated_share"] > UNDATED_WARNING:
            english, chinese = UNDATED_NOTE
            note = f"note: {percent(body['undated_share'])} of the facts carry no year and count in every year, so "
            print(note + label(lang, f"{english} / {chinese}", english))
    else:
        print("no dated fact, project or published figure in the scope: no year to show (try --from and --to)")
    if body["published"]:
        print()
        print(label(lang, "published 公开数据", "published") + " beside this data")
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
                    fig.get("confidence", ""),
                    ", ".join(clean(s) for s in fig.get("sources", [])),
                ]
            )
        headers = ["year", "metric", "published", "computed", "present", "difference", "confidence", "sources"]
        lines = format_table(headers, rows, "rlrrrrll").split("\n")
        print("\n".join(lines[:2]))
        for line, fig in zip(lines[2:], body["published"], strict=True):
            print(line)
            print("    " + in_lang(fig, "note", lang))
        print(label(lang, "why they differ 为什么不同", "why they differ") + " (every year above)")
        print("    " + in_lang(body, "published_note", lang))
    if now["missing"]:
        print()
        print(label(lang, "missing now 当前缺失", "missing now") + f" ({len(now['missing'])})")
        rows = [[sid, segment_names.get(sid, "")] for sid in now["missing"]]
        print(format_table(["segment", "name"], rows))
    print()
    undated = label(lang, "undated 未注明年份", "undated")
    facts = label(lang, "local firm–segment facts", "local firm-segment facts")
    print(f"{undated}: {percent(body['undated_share'])} of the {facts} in the scope")
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
