"""``chainkg impact SEGMENT``: what depends on a segment downstream, and what it depends on upstream.

The same content as ``GET /api/v1/segments/{id}/impact``; ``--json`` prints that body.
Downstream segments marked ``only path`` depend on the segment exclusively: every supply
path to them passes through it, so losing it cuts them off. A parent segment stands for its
sub-segments: the answer follows their links too (the ``via`` column names the part a dependent is
reached from). The ``confidence`` column says whether some supply path to a dependent (or from a
supplier) has only sourced links, or how many unverified links every path has at least. The ``links``
column gives the shortest distance and, when the shortest path has an unverified link but a longer one is
sourced throughout, that one too ("1 step (unverified); 2 steps over sourced supply"). The ``gap``
column marks a gap kind resting only on unverified supply links as ``chainkg gaps`` does
(``broken_link（待核实）``).
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
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
from chainkg.text_table import format_table, in_lang, label, name_in


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an ``s`` unless the count is one.

    >>> plural(1, "segment"), plural(9, "segment")
    ('1 segment', '9 segments')
    """
    return f"{count} {noun}" + ("" if count == 1 else "s")


def print_local_firms(segment_id: str, firms: list[dict[str, Any]], lang: str = "zh") -> None:
    """The segment's own local firms, with their role and names (a table between blank lines), or "none"."""
    if not firms:
        print(zh_then_en(lang, "本环节本地企业：无", "local firms: none"))
        return
    print()
    print(zh_first(lang, "本环节本地企业", f"local firms in {segment_id}"))
    headers = zh_first_headers(lang, *LOCAL_FIRM_HEADERS)
    print(format_table(headers, [[f["id"], f["role"], name_in(f, lang)] for f in firms]))
    print()


LOCAL_FIRM_HEADERS = (("企业", "firm"), ("角色", "role"), ("名称", "name"))
"""The headings of the segment's own local firms, ``(zh, en)``."""
DOWNSTREAM_HEADERS = (
    ("步数", "links"),
    ("依赖", "depends"),
    ("环节", "segment"),
    ("集群", "cluster"),
    ("现状", "status"),
    ("本地企业", "local"),
    ("可信度", "confidence"),
)
"""The first headings of the downstream table, ``(zh, en)``; "via" (with sub-segments) and "name" follow."""
FIRM_HEADERS = (("企业", "firm"), ("链主", "anchor"), ("环节", "segments"), ("名称", "name"))
"""The headings of the local firms downstream, ``(zh, en)``."""
UPSTREAM_HEADERS = (
    ("步数", "links"),
    ("环节", "segment"),
    ("集群", "cluster"),
    ("现状", "status"),
    ("缺口", "gap"),
    ("可信度", "confidence"),
    ("名称", "name"),
)
"""The headings of the upstream table, ``(zh, en)``."""


def backing(item: dict[str, Any], lang: str = "zh") -> str:
    """How an impact item's dependence is backed: ``sourced``, or the fewest unverified links on its paths.

    >>> backing({"confidence": "sourced", "unverified_links": 0}, "en")
    'sourced'
    >>> backing({"confidence": "unverified", "unverified_links": 2}, "zh")
    '待核实 unverified (2)'
    >>> backing({"confidence": "sourced", "unverified_links": 0}, "zh")
    '有来源 sourced'
    >>> backing({}, "en")
    ''
    """
    if "confidence" not in item:
        return ""
    if item["confidence"] == "sourced":
        return confidence_label("sourced", lang)
    return f"{confidence_label(item['confidence'], lang)} ({item.get('unverified_links', 0)})"


def links_words(item: dict[str, Any], lang: str = "zh") -> str | int:
    """An impact item's ``links`` cell: its distance, and its distance over sourced supply when that differs.

    As in the segment view (:func:`queries.impact.distance_words`): when the shortest supply path has an
    unverified link and a longer one is sourced throughout, both are named, in Chinese by default (as the
    gap explanations are) and in English for ``en``; otherwise the distance alone.

    >>> links_words({"distance": 2, "sourced_distance": 2}, "en")
    2
    >>> links_words({"distance": 1, "sourced_distance": 2}, "en")
    '1 step (unverified); 2 steps over sourced supply'
    >>> links_words({"distance": 1, "sourced_distance": 2}, "zh")
    '1 步（待核实），经已证实的供应 2 步'
    >>> links_words({"distance": 1, "sourced_distance": None}, "zh")
    1
    """
    from queries.impact import distance_words

    sourced = item.get("sourced_distance")
    if sourced is None or sourced == item["distance"]:
        return int(item["distance"])
    zh, en = distance_words(item)
    return label(lang, zh, en)


def links_align(rows: list[list[Any]]) -> str:
    """How to align the ``links`` column: numbers to the right, unless a cell names both distances.

    >>> links_align([[1], [2]]), links_align([[1], ["1 step (unverified); 2 steps over sourced supply"]])
    ('r', 'l')
    """
    return "l" if any(isinstance(row[0], str) for row in rows) else "r"


def upstream_gap_kind(item: dict[str, Any], lang: str = "zh") -> str:
    """An upstream item's ``gap`` cell: its gap kind (id), marked as ``chainkg gaps`` marks a kind that rests
    only on supply links the data marks unverified (the item's ``gap_kinds_unverified``); ``""`` for no gap.

    >>> item = {"gap_kind": "broken_link", "gap_kinds_unverified": ["broken_link", "extension"]}
    >>> upstream_gap_kind(item, "zh"), upstream_gap_kind(item, "en")
    ('断链（待核实）', 'broken link (unverified)')
    >>> upstream_gap_kind({"gap_kind": "missing", "gap_kinds_unverified": []}), upstream_gap_kind({"gap_kind": None})
    ('缺链', '')
    """
    kind = item.get("gap_kind")
    if not kind:
        return ""
    return kind_in(str(kind), lang, unverified=kind in item.get("gap_kinds_unverified", ()))


def downstream_summary(body: dict[str, Any], lang: str = "zh") -> str:
    """The line that sums up what depends on the segment: Chinese, then English on the next line; English alone
    for ``en``.

    >>> counts = {"downstream_segments": 2, "exclusive_dependents": 1, "dependent_local_firms": 3,
    ...           "dependent_anchors": 1}
    >>> print(downstream_summary({"counts": counts, "clusters_affected": ["nev"]}, "zh"))
    下游：2 个环节（1 个仅经此环节），3 家本地企业（1 家链主），涉及集群 nev
      downstream: 2 segments (1 only through it), 3 local firms (1 anchor), clusters nev
    """
    counts, clusters = body["counts"], ", ".join(body["clusters_affected"]) or "-"
    english = (
        f"downstream: {plural(counts['downstream_segments'], 'segment')} "
        f"({counts['exclusive_dependents']} only through it), "
        f"{plural(counts['dependent_local_firms'], 'local firm')} ({plural(counts['dependent_anchors'], 'anchor')}), "
        f"clusters {clusters}"
    )
    chinese = (
        f"下游：{counts['downstream_segments']} 个环节（{counts['exclusive_dependents']} 个仅经此环节），"
        f"{counts['dependent_local_firms']} 家本地企业（{counts['dependent_anchors']} 家链主），涉及集群 {clusters}"
    )
    return label(lang, f"{chinese}\n  {english}", english)


def upstream_summary(counts: dict[str, Any], lang: str = "zh") -> str:
    """The line that sums up what the segment draws on: Chinese, then English on the next line; English alone
    for ``en``.

    >>> print(upstream_summary({"upstream_segments": 3, "upstream_gaps": 1, "upstream_unverified_only": 1}, "zh"))
    上游：3 个环节，其中缺口 1 个；1 个仅经待核实的供应关系到达
      upstream: 3 segments; gaps among them: 1; 1 only through unverified links
    """
    english = f"upstream: {plural(counts['upstream_segments'], 'segment')}; gaps among them: {counts['upstream_gaps']}"
    chinese = f"上游：{counts['upstream_segments']} 个环节，其中缺口 {counts['upstream_gaps']} 个"
    if counts.get("upstream_unverified_only"):
        english += f"; {counts['upstream_unverified_only']} only through unverified links"
        chinese += f"；{counts['upstream_unverified_only']} 个仅经待核实的供应关系到达"
    return label(lang, f"{chinese}\n  {english}", english)


def unverified_note(counts: dict[str, Any], lang: str = "zh") -> str:
    """The summary of the dependents reached only through unverified links, or ``""`` when there are none.

    >>> unverified_note({"downstream_unverified_only": 4, "dependent_local_firms_unverified_only": 3}, "en")
    '  of them reached only through unverified links: 4 segments, 3 local firms'
    >>> unverified_note({"downstream_unverified_only": 0}, "en")
    ''
    """
    segments = counts.get("downstream_unverified_only", 0)
    if not segments:
        return ""
    firms = counts.get("dependent_local_firms_unverified_only", 0)
    english = f"of them reached only through unverified links: {plural(segments, 'segment')}, " + plural(
        firms, "local firm"
    )
    chinese = f"其中仅经待核实的供应关系到达：{segments} 个环节，{firms} 家本地企业"
    return "  " + zh_then_en(lang, chinese, english)


UNVERIFIED_LEGEND = {
    "zh": "可信度：有来源 sourced = 至少一条供应路径全部有来源；待核实 unverified (n) = 每条路径至少有 n 条"
    "待核实的供应关系（按产业链逻辑推断，无来源） / confidence: sourced = some supply path has only sourced links; "
    "unverified (n) = every path has at least n unverified links (chain logic, no source)",
    "en": "confidence: sourced = some supply path has only sourced links; unverified (n) = every path has at least "
    "n unverified links (chain logic, no source)",
}
"""The legend under the tables when some dependence is unverified."""


def print_scope(body: dict[str, Any], lang: str = "zh") -> None:
    """Say that the answer covers the sub-segments, or that a sub-segment's parent has links of its own."""
    subs = body.get("sub_segments") or []
    if subs:
        names = ", ".join(subs)
        print(zh_then_en(lang, "含下级环节", f"covers its sub-segments too: {names}"))
    parent = body.get("parent")
    if parent:
        english = f"part of {parent['id']}; the parent's own links are not counted here: chainkg impact {parent['id']}"
        chinese = (
            f"属于 {parent['id']}；上级环节 {parent['name_zh']} 自身的供应关系不计在此，"
            f"见：chainkg impact {parent['id']}"
        )
        print(zh_then_en(lang, chinese, english))


def print_impact(body: dict[str, Any], lang: str) -> None:
    segment, counts = body["segment"], body["counts"]
    where = f"{segment['cluster_id']}, {segment['position']}, {segment['status']}"
    print(f"{segment['id']}  {name_in(segment, lang)}  ({where})")
    print_scope(body, lang)
    print_local_firms(segment["id"], body["local_firms"], lang)
    print(downstream_summary(body, lang))
    note = unverified_note(counts, lang)
    if note:
        print(note)
    with_via = bool(body.get("sub_segments"))
    if body["downstream"]:
        print()
        print(zh_first(lang, "下游依赖", "downstream (depends on it)"))
        rows = [
            [
                links_words(d, lang),
                zh_first(lang, "唯一路径", "only path") if d["exclusive"] else "",
                d["id"],
                d["cluster_id"],
                status_label(d["status"], lang),
                d["local_firm_count"],
                backing(d, lang),
                *([", ".join(d.get("via", []))] if with_via else []),
                name_in(d, lang),
            ]
            for d in body["downstream"]
        ]
        words = [*DOWNSTREAM_HEADERS, *([("经由", "via")] if with_via else []), ("名称", "name")]
        headers = zh_first_headers(lang, *words)
        print(format_table(headers, rows, links_align(rows) + "llllrll" + ("l" if with_via else "")))
    if body["dependent_firms"]:
        print()
        print(zh_first(lang, "受影响的本地企业", "local firms downstream (affected)"))
        anchor = zh_first(lang, "链主", "anchor")
        rows = [
            [f["id"], anchor if f["is_anchor"] else "", ", ".join(f["segment_ids"]), name_in(f, lang)]
            for f in body["dependent_firms"]
        ]
        print(format_table(zh_first_headers(lang, *FIRM_HEADERS), rows))
    print()
    print(upstream_summary(counts, lang))
    if body["upstream"]:
        rows = [
            [
                links_words(u, lang),
                u["id"],
                u["cluster_id"],
                status_label(u["status"], lang),
                upstream_gap_kind(u, lang),
                backing(u, lang),
                name_in(u, lang),
            ]
            for u in body["upstream"]
        ]
        print(format_table(zh_first_headers(lang, *UPSTREAM_HEADERS), rows, links_align(rows) + "llllll"))
    for gap in body["upstream_gaps"]:
        print(f"  {gap['severity']:.2f}  {gap['segment_id']}: " + in_lang(gap, "explanation", lang))
    if any(item.get("confidence") == "unverified" for item in (*body["downstream"], *body["upstream"])):
        print()
        print(UNVERIFIED_LEGEND["en" if lang == "en" else "zh"])


def run(args: argparse.Namespace) -> int:
    from queries.impact import impact

    return answer(
        args, lambda store: impact(store, args.segment, args.year), lambda body: print_impact(body, args.lang)
    )


EPILOG = """\
examples:
  chainkg impact nev-cathode             # what depends on cathode materials, and its upstream gaps
  chainkg impact nev-auto-chips          # a parent segment: the links of its sub-segments count
  chainkg impact nev-electrolyte --year 2020
  chainkg impact nev-cathode --lang en   # in English
  chainkg impact nev-electrolyte --json  # the body of GET /api/v1/segments/nev-electrolyte/impact
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Show what depends on a segment downstream (and only through it), and the gaps it depends on upstream."
    p = sub.add_parser(
        "impact", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("segment", help="a segment id, e.g. nev-cathode (chainkg chain CLUSTER lists them)")
    add_year_option(p)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
