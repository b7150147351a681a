"""``chainkg health [CLUSTER]``: clusters ranked by chain health (产业链健康度), or one cluster's score.

Without a cluster, the same ranking as ``GET /api/v1/health-ranking``; with one, the same
as ``GET /api/v1/clusters/{id}/health``: the score, its components and the most severe gaps.
``--json`` prints that body.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_output_options,
    add_page_options,
    add_store_options,
    add_year_option,
    gap_kind_label,
    opened_store,
    page_line,
    paged,
    print_json,
    status_name_zh,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.text_table import display_width, format_table, in_lang, label, name_in
from queries.clusters import LIST_YEARS
from queries.health import HEALTH_TERMS


def ranking_row(item: dict[str, Any], lang: str = "zh") -> list[Any]:
    counts = item["counts"]
    return [
        item["rank"] if "rank" in item else "",
        f"{item['score']:.3f}",  # three decimals: clusters often differ in the third
        item["cluster_id"],
        counts["segments"],
        counts["strong"],
        counts["weak"],
        counts["missing"],
        counts["gaps"],
        counts["local_firms"],
        name_in(item, lang),
    ]


def list_note_text(note: dict[str, str] | None, lang: str) -> str | None:
    """The line saying a published list is incomplete in the data: both languages, or English alone for ``en``.

    >>> list_note_text({"zh": "仅知 7 个", "en": "7 known"}, "zh"), list_note_text({"zh": "仅知", "en": "7"}, "en")
    ('仅知 7 个 / 7 known', '7')
    >>> list_note_text(None, "zh") is None
    True
    """
    if note is None:
        return None
    return zh_then_en(lang, note["zh"], note["en"])


def caveat_line(body: dict[str, Any], lang: str) -> str:
    """What a health score does not measure (``caveat_zh``/``caveat_en`` of the answer), as a note line.

    >>> caveat_line({"caveat_zh": "不衡量产值", "caveat_en": "not output"}, "en")
    'note: not output'
    """
    return zh_then_en(lang, f"注意：{body['caveat_zh']}", f"note: {body['caveat_en']}")


def print_ranking(body: dict[str, Any], offset: int, lang: str = "zh", list_note: dict[str, str] | None = None) -> None:
    """The ranking table and its footer; ``list_note`` (:func:`queries.clusters.incomplete_list_note`) follows it."""
    headers = zh_first_headers(lang, *RANKING_HEADERS)
    print(format_table(headers, [ranking_row(i, lang) for i in body["items"]], "rrlrrrrrrl"))
    print(page_line(len(body["items"]), body["total"], offset, "个集群", "clusters", lang))
    note = list_note_text(list_note, lang)
    if note:
        print(note)
    print(caveat_line(body, lang))
    print(
        zh_then_en(
            lang,
            "单个集群：chainkg health CLUSTER；其产业链：chainkg chain CLUSTER",
            "one cluster: chainkg health CLUSTER; its chain: chainkg chain CLUSTER",
        )
    )


RANKING_HEADERS = (
    ("排名", "rank"),
    ("健康度", "health"),
    ("集群", "cluster"),
    ("环节", "segments"),
    (status_name_zh("strong"), "strong"),
    (status_name_zh("weak"), "weak"),
    (status_name_zh("missing"), "missing"),
    ("缺口", "gaps"),
    ("本地企业", "local firms"),
    ("名称", "name"),
)
"""The headings of the ranking, ``(zh, en)``; the statuses as the reports name them (``viz.style.STATUS_LABELS``)."""
TERM_HEADERS = (("项", "term"), ("值", "value"), ("权重", "weight"), ("加权", "weighted"), ("依据", "from"))
"""The headings of one cluster's terms, ``(zh, en)``."""


def term_label(label_zh: str, label_en: str, complement: bool) -> str:
    """A term's row name, Chinese then English; a complement's English label is bracketed, as it starts ``1 − ``.

    >>> term_label("稳固环节占比", "solid share", False), term_label("1 − 集中度", "1 − concentration", True)
    ('稳固环节占比 solid share', '1 − 集中度（1 − concentration）')
    """
    return f"{label_zh}（{label_en}）" if complement else f"{label_zh} {label_en}"


TERMS = {key: term_label(zh, en, complement) for key, (_, complement, zh, en) in HEALTH_TERMS.items()}
"""How each weighted part of the score reads: the term the formula multiplies by its weight.

The labels are those of :data:`queries.health.HEALTH_TERMS`, so the CLI names the terms as the API and the
reports do."""
TERMS_EN = {key: en.replace("−", "-") for key, (_, _, _, en) in HEALTH_TERMS.items()}
"""The terms of :data:`TERMS` for ``--lang en``, in ASCII like all the text ``--lang en`` adds to the data's."""


def health_terms(item: dict[str, Any], lang: str = "zh") -> list[list[str]]:
    """One row per term of the health score: the value that enters the formula, weight, weighted part, inputs.

    Each row's value × weight is its weighted part, so the score can be checked from the table.

    >>> item = {"components": {"coverage": 0.5, "anchor_coverage": 0.25, "weak_links": 1, "weak_share": 0.25,
    ...         "solid_share": 0.25, "concentration": 0.75}, "weights": {"coverage": 0.4, "anchor_coverage": 0.25,
    ...         "weak_links": 0.2, "concentration": 0.15}, "weighted": {"coverage": 0.2, "anchor_coverage": 0.0625,
    ...         "weak_links": 0.05, "concentration": 0.0375}}
    >>> [row[:4] for row in health_terms(item)][2:]
    [['稳固环节占比 solid share', '0.250', '0.20', '0.050'], \
['1 − 集中度（1 − concentration）', '0.250', '0.15', '0.037']]
    >>> [row[0] for row in health_terms(item, "en")]
    ['coverage', 'anchor coverage', 'solid share', '1 - concentration']

    The last column says what each value is made of: in Chinese by default, in English for ``en``.

    >>> [row[4] for row in health_terms(item)][::3]
    ['有本地企业的环节数 / 环节数', '集中度 0.750 = 各环节 1/企业集团数 的平均']
    >>> [row[4] for row in health_terms(item, "en")][::2]
    ['segments with a local firm / segments', '(present - weak) / segments; weak 1 = 0.250']
    """
    terms = TERMS_EN if lang == "en" else TERMS
    components = item["components"]
    weak, weak_share, concentration = components["weak_links"], components["weak_share"], components["concentration"]
    sources = {
        "coverage": ("有本地企业的环节数 / 环节数", "segments with a local firm / segments"),
        "anchor_coverage": ("有本地链主的环节数 / 环节数", "segments with a local anchor / segments"),
        "weak_links": (
            f"（有本地企业的环节数 − 弱链数）/ 环节数；弱链 {weak} 个 = {weak_share:.3f}",
            f"(present - weak) / segments; weak {weak} = {weak_share:.3f}",
        ),
        "concentration": (
            f"集中度 {concentration:.3f} = 各环节 1/企业集团数 的平均",
            f"concentration {concentration:.3f} = mean 1/groups per segment",
        ),
    }
    values = {
        key: (value, label(lang, *sources[key]))
        for key, value in (
            ("coverage", components["coverage"]),
            ("anchor_coverage", components["anchor_coverage"]),
            ("weak_links", components["solid_share"]),
            ("concentration", 1 - concentration),
        )
    }
    return [
        [terms[key], f"{values[key][0]:.3f}", f"{item['weights'][key]:.2f}", f"{weighted:.3f}", values[key][1]]
        for key, weighted in item["weighted"].items()
    ]


def top_gap_kind(gap: dict[str, Any], lang: str) -> str:
    """A top gap's kind (:func:`chainkg.commands.common.gap_kind_label`): its Chinese name by default, its English
    name for ``en``, marked when it rests only on supply links the data marks unverified (the gap's
    ``kinds_unverified``).

    >>> gap = {"kind": "broken_link", "kinds_unverified": ["broken_link", "extension"]}
    >>> top_gap_kind(gap, "zh"), top_gap_kind(gap, "en"), top_gap_kind({"kind": "missing"}, "zh")
    ('断链（待核实）', 'broken link (unverified)', '缺链')
    """
    return gap_kind_label(gap["kind"], lang, unverified=gap["kind"] in gap.get("kinds_unverified", ()))


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns (a CJK character takes two).

    >>> pad("断链", 6) + "|", pad("weak", 6) + "|"
    ('断链  |', 'weak  |')
    """
    return text + " " * max(0, width - display_width(text))


def print_health(item: dict[str, Any], lang: str) -> None:
    print(f"{item['cluster_id']}  {name_in(item, lang)}")
    print(zh_first(lang, "健康度", "health") + f"  {item['score']:.3f}")
    print(format_table(zh_first_headers(lang, *TERM_HEADERS), health_terms(item, lang), "lrrrl"))
    where = label(lang, "docs/analysis.md §7", "docs/analysis.md section 7")
    total = f"{sum(item['weighted'].values()):.3f}"
    print(zh_then_en(lang, f"得分 = 加权之和 = {total}（{where}）", f"score = sum of weighted = {total} ({where})"))
    print(caveat_line(item, lang))
    counts = item["counts"]
    print(
        zh_then_en(
            lang,
            f"{counts['segments']} 个环节：{counts['present']} 个有本地企业（{status_name_zh('strong')} "
            f"{counts['strong']}、{status_name_zh('weak')} {counts['weak']}），{status_name_zh('missing')} "
            f"{counts['missing']}；缺口 {counts['gaps']} 个；本地企业 {counts['local_firms']} 家",
            f"{counts['segments']} segments: {counts['present']} with local firms ({counts['strong']} strong, "
            f"{counts['weak']} weak), {counts['missing']} missing; {counts['gaps']} gaps; "
            f"{counts['local_firms']} local firms",
        )
    )
    if item.get("top_gaps"):
        print()
        print(zh_first(lang, "主要短板", "most severe gaps"))
        kinds = [top_gap_kind(gap, lang) for gap in item["top_gaps"]]
        width = max(display_width(kind) for kind in kinds)
        for gap, kind in zip(item["top_gaps"], kinds, strict=True):
            print(f"  {gap['severity']:.2f}  {pad(kind, width)}  {gap['segment_id']}")
            print("        " + in_lang(gap, "explanation", lang))
        cluster_id = item["cluster_id"]
        print(zh_then_en(lang, f"全部缺口：chainkg gaps {cluster_id}", f"all of them: chainkg gaps {cluster_id}"))


def run(args: argparse.Namespace) -> int:
    from queries.clusters import list_completeness
    from queries.health import health, health_caveat, health_ranking

    with opened_store(args) as store:
        if args.cluster is not None:
            body = health(store, args.cluster, args.year, args.list_year)
        else:
            ranking = health_ranking(store, args.year, args.list_year)
            body = {**paged(ranking, args), **list_completeness(args.list_year, len(ranking)), **health_caveat()}
    if args.json:
        print_json(body)
    elif args.cluster is not None:
        print_health(body, args.lang)
    else:
        note = {"zh": body["list_note_zh"], "en": body["list_note_en"]} if body.get("list_note_zh") else None
        print_ranking(body, args.offset, args.lang, note)
    return 0


EPILOG = """\
examples:
  chainkg health                     # every cluster ranked by health
  chainkg health --list-year 2024    # only the clusters of the 2024 list
  chainkg health nev                 # one cluster's score, its parts and worst gaps
  chainkg health nev --lang en       # in English
  chainkg health nev --json          # the body of GET /api/v1/clusters/nev/health
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Rank the clusters by chain health, or show one cluster's health score, its parts and worst gaps."
    p = sub.add_parser(
        "health", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("cluster", nargs="?", default=None, help="a cluster id, e.g. nev (default: rank every cluster)")
    p.add_argument(
        "--list-year",
        type=int,
        choices=LIST_YEARS,
        default=None,
        help="only the clusters of one published list (a CLUSTER must be on it)",
    )
    add_year_option(p)
    add_page_options(p, limit=50)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
