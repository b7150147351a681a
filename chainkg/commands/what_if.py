"""``chainkg what-if FIRM [FIRM ...]``: what if these firms left Changzhou? Nothing is written.

The same answer as ``POST /api/v1/what-if`` with ``{"remove": [...]}``; ``--json`` prints that body.
The output lists first the segments the firms leave (local firms and anchors before -> after, even when
the status holds: removing catl-jiangsu takes nev-battery-cell from 6 to 5 local firms and 3 to 2 anchors),
then the segments whose status or gap kind changes, the new gaps with their explanation, and the clusters
whose health moves; ``--all`` also lists the segments whose severity only shifts. The answer's notes
(``coverage_only``: the scores count segment coverage, not output or jobs; ``supply_partners``; ``scope_shrinks``;
``outside_firms``) are printed in Chinese first by default and in English with ``--lang en``: ``outside_firms``
under the firms, the others under the headline they explain.
"""

from __future__ import annotations

import argparse
from typing import Any

from chainkg.commands.common import (
    add_output_options,
    add_store_options,
    add_year_option,
    opened_store,
    print_json,
    status_label,
    status_name_zh,
    zh_first,
    zh_first_headers,
    zh_then_en,
)
from chainkg.commands.gaps import kind_in
from chainkg.text_table import display_width, format_table, in_lang, name_in


def severity(value: float | None) -> str:
    """A severity with two decimals, ``-`` for a segment that is no gap."""
    return "-" if value is None else f"{value:.2f}"


def kind_change(change: dict[str, Any], lang: str = "zh") -> str:
    """The gap kind before and after, worded as ``chainkg gaps`` words a kind: marked when it rests only on
    unverified supply links (``kinds_unverified_before``/``_after``); ``-`` for no gap, one kind when it holds.

    >>> c = {"kind_before": "broken_link", "kind_after": "missing", "kinds_unverified_before": ["broken_link"],
    ...      "kinds_unverified_after": []}
    >>> kind_change(c, "zh"), kind_change(c, "en")
    ('断链（待核实） -> 缺链', 'broken link (unverified) -> missing')
    >>> same = {"kind_before": "weak", "kind_after": "weak"}
    >>> kind_change({"kind_before": None, "kind_after": "weak"}), kind_change(same)
    ('- -> 弱链', '弱链')
    """

    def word(kind: str | None, when: str) -> str:
        unsure = kind in change.get(f"kinds_unverified_{when}", ())
        return kind_in(kind, lang, unverified=unsure) if kind else "-"

    before, after = word(change["kind_before"], "before"), word(change["kind_after"], "after")
    return before if before == after else f"{before} -> {after}"


def status_change(item: dict[str, Any], lang: str = "zh") -> str:
    """The status before and after (``弱链 Weak -> 缺链 Missing``, for ``en`` ``weak -> missing``), one status when
    it holds.

    >>> status_change({"status_before": "weak", "status_after": "missing"}, "en")
    'weak -> missing'
    >>> status_change({"status_before": "strong", "status_after": "strong"}, "zh")
    '强链 Strong'
    """
    before, after = status_label(item["status_before"], lang), status_label(item["status_after"], lang)
    return before if before == after else f"{before} -> {after}"


def change_row(change: dict[str, Any], lang: str = "zh") -> list[Any]:
    kind = kind_change(change, lang)
    return [
        change["segment_id"],
        change["cluster_id"],
        status_change(change, lang),
        kind,
        f"{severity(change['severity_before'])} -> {severity(change['severity_after'])}",
        f"{change['delta']:+.3f}",
        f"{change['local_firms_before']} -> {change['local_firms_after']}",
        zh_first(lang, "新缺口", "new gap") if change["became_gap"] else "",
        name_in(change, lang, "segment_"),
    ]


def change_summary(summary: dict[str, Any], lang: str = "zh") -> str:
    """One line: how many segments change and how, new gaps, and in how many clusters; Chinese, then English,
    unless ``en``.

    >>> change_summary({"changed_segments": 36, "status_changed": 0, "new_gaps": 0, "clusters_touched": 7}, "en")
    '36 segments change, only in severity (none in status or gap kind); 0 new gaps; in 7 clusters'
    >>> change_summary({"changed_segments": 5, "status_changed": 2, "new_gaps": 1, "clusters_touched": 1}, "en")
    '5 segments change: 2 in status or gap kind, 3 only in severity; 1 new gap; in 1 cluster'
    >>> change_summary({"changed_segments": 1, "status_changed": 1, "new_gaps": 0, "clusters_touched": 1}, "zh")
    '1 个环节变化：1 个现状或缺口类型变化，0 个仅严重度变化；0 个新缺口；涉及 1 个集群 / \
1 segment changes: 1 in status or gap kind, 0 only in severity; 0 new gaps; in 1 cluster'
    """
    from queries.what_if import summary_words

    return zh_then_en(lang, *summary_words(summary))


def status_moves_line(changes: list[dict[str, Any]], lang: str = "zh") -> str:
    """The segments whose presence status moves, counted per move, or ``""``: a segment already a gap that
    falls further (weak -> missing) makes no new gap, and the headline would read as if nothing got worse.

    >>> status_moves_line([{"status_before": "weak", "status_after": "missing"}], "en")
    'status moves: 1 segment weak -> missing'
    >>> status_moves_line([{"status_before": "weak", "status_after": "missing"}] * 2, "zh")
    '现状变化：2 个环节 弱链 -> 缺链 / status moves: 2 segments weak -> missing'
    >>> status_moves_line([{"status_before": "weak", "status_after": "weak"}], "en")
    ''
    """
    from queries.what_if import status_moves

    moves = status_moves(changes)
    if not moves:
        return ""
    english = ", ".join(f"{plural(count, 'segment')} {before} -> {after}" for before, after, count in moves)
    chinese = "，".join(
        f"{count} 个环节 {status_name_zh(before)} -> {status_name_zh(after)}" for before, after, count in moves
    )
    return zh_then_en(lang, f"现状变化：{chinese}", f"status moves: {english}")


def plural(count: int, noun: str) -> str:
    """``count`` and ``noun``, with an ``s`` unless the count is one.

    >>> plural(1, "new gap"), plural(2, "new gap"), plural(0, "cluster")
    ('1 new gap', '2 new gaps', '0 clusters')
    """
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def note_line(note: dict[str, Any], lang: str, with_subsidiaries: bool = False) -> str:
    """A note of the answer (``notes``) as printed: for ``zh`` in Chinese, then in English; for ``en`` in English.

    The codes are those of :func:`queries.what_if.what_if_notes` (``outside_firms``, ``coverage_only``,
    ``supply_partners``, ``scope_shrinks``). The note on firms outside Changzhou comes from
    :func:`queries.what_if.outside_note`, naming the option as this command spells it
    (``--with-subsidiaries``) rather than as the API body does.

    >>> note = {"code": "outside_firms", "firm_ids": ["catl", "ca"], "zh": "...", "en": "..."}
    >>> note_line(note, "en")[:36], note_line({**note, "firm_ids": ["catl"]}, "zh")[:14]
    ('note: catl, ca are outside Changzhou', '注意：catl 不是常州本地')
    >>> "--with-subsidiaries also removes their units here" in note_line(note, "en")
    True

    With the firms' local subsidiaries (``local_subsidiaries``, as :func:`queries.what_if.what_if` gives
    them), the option is offered only for the firms that have some:

    >>> note_line({**note, "firm_ids": ["ganfeng"], "local_subsidiaries": {"ganfeng": []}}, "en")
    'note: ganfeng is outside Changzhou and has no subsidiary here in the data: leaving changes no local presence, \
only who could be attracted'
    >>> note_line({"code": "coverage_only", "zh": "只计环节覆盖", "en": "coverage only"}, "zh")
    '注意：只计环节覆盖 / note: coverage only'
    """
    if note["code"] == "outside_firms":
        from queries.what_if import outside_note

        note = outside_note(
            note["firm_ids"],
            with_subsidiaries,
            option="--with-subsidiaries",
            local_subsidiaries=note.get("local_subsidiaries"),
        )
    return zh_then_en(lang, f"注意：{note['zh']}", f"note: {note['en']}")


def left_row(item: dict[str, Any], lang: str = "zh") -> list[Any]:
    """One row of the table of segments the firms leave.

    >>> left_row({"local_firms_before": 6, "local_firms_after": 5, "anchors_before": 3, "anchors_after": 2,
    ...           "segment_id": "nev-battery-cell", "cluster_id": "nev", "status_before": "strong",
    ...           "status_after": "strong", "firms_left": ["catl-jiangsu"], "direct": True,
    ...           "segment_name_zh": "动力电池电芯", "segment_name_en": "Power battery cells"}, "en")[:6]
    ['6 -> 5', '3 -> 2', 'nev-battery-cell', 'nev', 'strong', 'catl-jiangsu']
    """
    where = "" if item["direct"] else zh_first(lang, "经下级环节", "via sub-segment")
    return [
        f"{item['local_firms_before']} -> {item['local_firms_after']}",
        f"{item['anchors_before']} -> {item['anchors_after']}",
        item["segment_id"],
        item["cluster_id"],
        status_change(item, lang),
        ", ".join(item["firms_left"]),
        where,
        name_in(item, lang, "segment_"),
    ]


def print_left(items: list[dict[str, Any]], lang: str = "zh") -> None:
    """The segments the firms leave, their own first: local firms and anchors before -> after."""
    if not items:
        return
    print()
    english = f"segments the firms leave ({len(items)}; local firms and anchors before -> after, changed or not)"
    chinese = f"企业退出的环节（{len(items)} 个；本地企业数与链主数 之前 -> 之后，变或不变）"
    print(zh_then_en(lang, chinese, english))
    headers = zh_first_headers(lang, *LEFT_HEADERS)
    print(format_table(headers, [left_row(item, lang) for item in items]))


LEFT_HEADERS = (
    ("本地企业", "local firms"),
    ("链主", "anchors"),
    ("环节", "segment"),
    ("集群", "cluster"),
    ("现状", "status"),
    ("退出企业", "left"),
    ("经由", "where"),
    ("名称", "name"),
)
"""The headings of the segments the firms leave, ``(zh, en)``."""
CHANGE_HEADERS = (
    ("环节", "segment"),
    ("集群", "cluster"),
    ("现状", "status"),
    ("缺口类型", "gap kind"),
    ("严重度", "severity"),
    ("变化", "change"),
    ("本地企业", "local firms"),
    ("备注", "note"),
    ("名称", "name"),
)
"""The headings of the segments that change, ``(zh, en)``."""
HEALTH_HEADERS = (("集群", "cluster"), ("之前", "before"), ("之后", "after"), ("变化", "change"))
"""The headings of the clusters' health before and after, ``(zh, en)``."""


def print_what_if(body: dict[str, Any], args: argparse.Namespace) -> None:
    lang = args.lang
    removed = ", ".join(f"{f['id']} ({name_in(f, lang)})" for f in body["removed"])
    print(zh_first(lang, "假如这些企业离开", "if these firms left") + ": " + removed)
    if body.get("subsidiaries_added"):
        title = zh_first(lang, "连同子公司", "with their subsidiaries") + ": "
        print(title + ", ".join(body["subsidiaries_added"]))
    notes = body.get("notes", [])
    for note in notes:  # the firms are outside Changzhou: nothing local changes
        if note["code"] == "outside_firms":
            print(note_line(note, lang, args.with_subsidiaries))
    print(change_summary(body["summary"], lang))
    changes = body["changes"]
    moves = status_moves_line(changes, lang)
    if moves:
        print(moves)
    shown = changes if args.all else [c for c in changes if c["status_changed"] or c["became_gap"]]
    hidden = len(changes) - len(shown)
    if hidden and not shown:  # under the summary it speaks of
        print(
            zh_then_en(
                lang, "用 --all 列出它们及其前后的严重度", "--all lists them with their severity before and after"
            )
        )
    for note in notes:  # what explains the figures above: coverage only, supply partners, shrunk totals
        if note["code"] != "outside_firms":
            print(note_line(note, lang, args.with_subsidiaries))
    print_left(body.get("segments_left", []), lang)
    if shown:
        print()
        print(zh_first(lang, "环节变化", "segments that change"))
        headers = zh_first_headers(lang, *CHANGE_HEADERS)
        print(format_table(headers, [change_row(c, lang) for c in shown], "lllllrlll"))
    if hidden and shown:
        print(
            zh_then_en(
                lang,
                f"另有 {hidden} 个环节仅严重度变化；用 --all 列出",
                f"{hidden} more segments only shift in severity; --all lists them",
            )
        )
    if body["new_gaps"]:
        print()
        print(zh_first(lang, "新出现的缺口", "new gaps"))
        # kinds as chainkg gaps words them, marked when they rest only on unverified supply links (review 9, #4)
        kinds = [
            kind_in(g["kind"], lang, unverified=g["kind"] in (g.get("kinds_unverified") or ()))
            for g in body["new_gaps"]
        ]
        width = max(display_width(kind) for kind in kinds)
        for gap, kind in zip(body["new_gaps"], kinds, strict=True):
            print(f"  {gap['severity']:.2f}  {kind}{' ' * (width - display_width(kind))}  {gap['segment_id']}")
            print("        " + in_lang(gap, "explanation", lang))
    if body["health"]:
        print()
        print(
            zh_then_en(
                lang, "集群健康度（凡有环节变化的集群）", "cluster health (every cluster with a changed segment)"
            )
        )
        unchanged = zh_first(lang, "不变", "unchanged")
        rows = [
            [
                h["cluster_id"],
                f"{h['score_before']:.4f}",
                f"{h['score_after']:.4f}",
                f"{h['delta']:+.4f}" if round(h["delta"], 4) else ("<0.0001" if h["delta"] else unchanged),
            ]
            for h in body["health"]
        ]
        print(format_table(zh_first_headers(lang, *HEALTH_HEADERS), rows, "lrrr"))


def run(args: argparse.Namespace) -> int:
    from queries.what_if import what_if

    with opened_store(args) as store:
        body = what_if(store, args.firms, args.year, with_subsidiaries=args.with_subsidiaries)
    if args.json:
        print_json(body)
    else:
        print_what_if(body, args)
    return 0


EPILOG = """\
examples:
  chainkg what-if li-auto                      # if Li Auto's Changzhou base left
  chainkg what-if catl --with-subsidiaries     # CATL and its Changzhou units
  chainkg what-if li-auto byd-changzhou --all  # two firms; every segment that shifts
  chainkg what-if li-auto --lang en            # in English
  chainkg what-if li-auto --json               # the body of POST /api/v1/what-if
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = (
        "What if these firms left Changzhou? Segments that become gaps, severity and cluster health before and after."
    )
    p = sub.add_parser(
        "what-if", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("firms", nargs="+", metavar="FIRM", help="firm ids, e.g. li-auto (chainkg search finds ids)")
    p.add_argument("--all", action="store_true", help="also list segments whose severity only shifts")
    p.add_argument(
        "--with-subsidiaries",
        action="store_true",
        help="also remove every subsidiary of the firms given (e.g. catl: CATL's Changzhou units)",
    )
    add_year_option(p)
    add_output_options(p)
    add_store_options(p)
    p.set_defaults(handler=run)
