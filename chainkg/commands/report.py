"""``chainkg report``: a cluster's printable report (A4 HTML) or gap workbook (xlsx), or the health summary.

::

    chainkg report nev -o report.html          # the printable report
    chainkg report nev --xlsx -o gaps.xlsx     # the gap workbook
    chainkg report --all -o summary.html       # every cluster ranked by health (also: chainkg report all)
    chainkg report --all --xlsx -o gaps.xlsx   # one gap workbook of every cluster
    chainkg report --targets -o targets.html   # the city's 先找谁 list: whom to approach first, every cluster
    chainkg report nev --brief                 # brief-nev.html: a one- or two-page meeting brief
    chainkg report nev --brief --per-gap 1     # its first firms: each gap's first choice only

The HTML needs nothing else (inline CSS and SVG, no script, no request): open it
in a browser and print to A4, or share the file.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from chainkg.commands.common import (
    BACKEND_HELP,
    DATA_HELP,
    add_gap_kind_option,
    add_per_gap_option,
    add_year_option,
)
from chainkg.commands.output import OutputPathError, check_output, write_atomically
from chainkg.settings import Settings
from queries.clusters import LIST_YEARS

ALL = "all"
DEFAULT_TOP = 3
"""Candidates per gap in a cluster's HTML report unless ``--top`` says otherwise."""
DEFAULT_FIRMS = 50
"""Firms the ``--targets`` page lists unless ``--firms`` says otherwise (as ``/reports/targets``)."""


def _output(path: Path, xlsx: bool) -> Path:
    """``path`` checked for the workbook (``xlsx``) or the HTML report; a suffix of the other says which option.

    >>> _output(Path("nev.xlsx"), xlsx=False)
    Traceback (most recent call last):
    ...
    chainkg.commands.output.OutputPathError: refusing 'nev.xlsx': the output file must end in .html or .htm; \
for the gap workbook add --xlsx
    """
    suffixes = (".xlsx",) if xlsx else (".html", ".htm")
    try:
        return check_output(path, suffixes)
    except OutputPathError as err:
        wrong = path.suffix.lower()
        if not xlsx and wrong == ".xlsx":
            raise OutputPathError(f"{err}; for the gap workbook add --xlsx") from None
        if xlsx and wrong in (".html", ".htm"):
            raise OutputPathError(f"{err}; for the HTML report drop --xlsx") from None
        raise


def shown_candidates(data: dict[str, Any]) -> str:
    """What the HTML report of :func:`reports.gather.cluster_report` shows of the candidates, for the summary line.

    The report prints the first ``top`` of each gap's own candidates (those no sub-gap below it lists),
    so the line gives those rows and the firms in them beside every candidate firm in the data, which
    the workbook lists.

    >>> data = {"top": 1, "candidate_counts": {"firms": 3, "entries": 4, "gaps": 2, "repeated": 0},
    ...         "gaps": [{"candidates": [{"firm_id": "a"}]}, {"candidates": [{"firm_id": "a"}]}]}
    >>> shown_candidates(data)
    'top 1 candidate per gap (2 rows, 1 firm; 3 candidate firms in all, 4 entries: \
--top N shows up to 10 per gap, --xlsx writes the full list)'
    """
    from reports.gather import MAX_TOP

    top = data["top"]
    rows = [x["firm_id"] for g in data["gaps"] for x in g["candidates"]]
    firms = len(set(rows))
    n = data["candidate_counts"]
    return (
        f"top {top} candidate{'s' if top != 1 else ''} per gap ({len(rows)} row{'s' if len(rows) != 1 else ''}, "
        f"{firms} firm{'s' if firms != 1 else ''}; {n['firms']} candidate firms in all, {n['entries']} entries: "
        f"--top N shows up to {MAX_TOP} per gap, --xlsx writes the full list)"
    )


def per_gap_words(per_gap: int | None) -> str:
    """What ``--per-gap`` adds to the line a written report is summed up in (``""`` without it).

    >>> per_gap_words(1), per_gap_words(None)
    (' (only the first 1 candidate(s) of each gap)', '')
    """
    return "" if per_gap is None else f" (only the first {per_gap} candidate(s) of each gap)"


def _plan_targets(args: argparse.Namespace) -> tuple[str, Path]:
    """Where ``--targets`` writes the city's 先找谁 page; raises OutputPathError or ValueError."""
    from reports.city_targets import MAX_TARGETS_PAGE_TOP

    if args.all:
        raise ValueError("--targets already covers every cluster: drop --all")
    if args.cluster is not None:
        raise ValueError(
            f"--targets lists every cluster's firms, so it does not take a cluster ({args.cluster}); "
            "one cluster's list is in its report (chainkg report ID, section 先找谁) and its brief (--brief)"
        )
    if args.brief:
        raise ValueError("give --targets (every cluster) or --brief (one cluster), not both")
    if args.xlsx:
        raise ValueError(
            "--targets writes HTML; the city workbook's 先找谁 Targets sheet is: chainkg report --all --xlsx"
        )
    if args.top is not None:
        raise ValueError("--top counts candidates per gap in a cluster report; with --targets give --firms N")
    if args.per_gap is not None:
        raise ValueError(
            "--per-gap cuts one cluster's 先找谁 list (chainkg report ID [--brief] --per-gap N); "
            "the city's is: chainkg targets --per-gap N"
        )
    if not 1 <= args.firms <= MAX_TARGETS_PAGE_TOP:
        raise ValueError(f"--firms must be between 1 and {MAX_TARGETS_PAGE_TOP}; got {args.firms}")
    listed = "" if args.list_year is None else f"-{args.list_year}"
    return "targets", _output(args.output or Path(f"targets{listed}.html"), xlsx=False)


def _plan_brief(args: argparse.Namespace) -> tuple[str, Path]:
    """Where ``--brief`` writes a cluster's meeting brief; raises OutputPathError or ValueError."""
    if args.all or args.cluster in (None, ALL):
        raise ValueError("--brief is one cluster's meeting brief: give its id (e.g. chainkg report nev --brief)")
    given = {
        "--xlsx": args.xlsx,
        "--top": args.top is not None,
        "--list-year": args.list_year is not None,
        "--kind": args.kind is not None,
        "--firms": args.firms != DEFAULT_FIRMS,
    }
    clashing = [name for name, present in given.items() if present]
    if clashing:
        raise ValueError(f"--brief takes a cluster id, --year, --per-gap and -o only, not {', '.join(clashing)}")
    return "brief", _output(args.output or Path(f"brief-{args.cluster}.html"), xlsx=False)


def _plan(args: argparse.Namespace) -> tuple[str, Path]:
    """Which report (``summary``, ``city``, ``targets``, ``html`` or ``xlsx``) and where; raises OutputPathError
    or ValueError."""
    if args.targets:
        return _plan_targets(args)
    if args.brief:
        return _plan_brief(args)
    if args.kind is not None or args.firms != DEFAULT_FIRMS:
        given = "--kind" if args.kind is not None else "--firms"
        raise ValueError(f"{given} is for the city's 先找谁 list: add --targets")
    if args.top is None:
        args.top = DEFAULT_TOP
    summary = args.all or args.cluster == ALL
    if summary and args.cluster not in (None, ALL):
        raise ValueError("give a cluster id or --all, not both")
    if not summary and not args.cluster:
        raise ValueError("give a cluster id (e.g. chainkg report nev) or --all")
    if not 1 <= args.top <= 10:
        raise ValueError(f"--top must be between 1 and 10; got {args.top}")
    if summary and args.per_gap is not None:
        raise ValueError(
            "--per-gap cuts one cluster's 先找谁 list: give a cluster id (e.g. chainkg report nev --per-gap 1)"
        )
    if not summary and args.list_year is not None:
        raise ValueError(
            "--list-year keeps the clusters of one published list in --all; "
            f"a report of one cluster ({args.cluster}) does not take it"
        )
    listed = "" if args.list_year is None else f"-{args.list_year}"
    # one list's summary and workbook get its year (summary-2024.html): neither replaces the whole city's
    if summary and args.xlsx:  # named as the server names it (/reports/summary.xlsx)
        return "city", _output(args.output or Path(f"gaps-{ALL}{listed}.xlsx"), xlsx=True)
    if summary:
        return "summary", _output(args.output or Path(f"summary{listed}.html"), xlsx=False)
    if args.xlsx:
        return "xlsx", _output(args.output or Path(f"gaps-{args.cluster}.xlsx"), xlsx=True)
    return "html", _output(args.output or Path(f"report-{args.cluster}.html"), xlsx=False)


def run(args: argparse.Namespace) -> int:
    from chainkg.commands.common import progress_printer, require_graph
    from chainkg.runtime import open_store
    from reports.city_targets import city_targets_report
    from reports.city_workbook import city_workbook
    from reports.gather import city_report, cluster_report, summary_report
    from reports.html import (
        BRIEF_GAPS,
        BRIEF_TARGETS,
        render_brief,
        render_cluster_report,
        render_summary_report,
        render_targets_report,
    )
    from reports.workbook import cluster_workbook

    try:
        kind, output = _plan(args)
    except (OutputPathError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    store = open_store(Settings.from_env(backend=args.backend, data_dir=args.data))
    try:
        require_graph(store)
        if kind == "summary":
            data = summary_report(store, year=args.year, list_year=args.list_year)
            body = render_summary_report(data).html.encode("utf-8")
            what = f"{len(data['ranking'])} clusters ranked by health"
        elif kind == "targets":
            data = city_targets_report(store, year=args.year, list_year=args.list_year, kind=args.kind, top=args.firms)
            body = render_targets_report(data).html.encode("utf-8")
            n = data["counts"]
            what = (
                f"{len(data['shown'])} of {len(data['targets'])} firms to approach for {n['gaps_with_targets']} of "
                f"{n['gaps']} gaps in {len(data['clusters'])} clusters; {n['unfilled']} gaps without a candidate"
            )
        elif kind == "brief":
            data = cluster_report(store, args.cluster, year=args.year, per_gap=args.per_gap)
            body = render_brief(data).html.encode("utf-8")
            what = (
                f"the {min(BRIEF_GAPS, len(data['gaps']))} most severe of {len(data['gaps'])} gaps, the first "
                f"{min(BRIEF_TARGETS, len(data['targets']))} of {len(data['targets'])} firms to approach"
                f"{per_gap_words(args.per_gap)}, {len(data['anchors'])} anchor firms"
            )
        elif kind == "city":
            data = city_report(
                store, year=args.year, list_year=args.list_year, progress=progress_printer("gathering clusters")
            )
            body = city_workbook(data)
            gap_count = sum(len(c["gaps"]) for c in data["clusters"])
            firms = {x["firm_id"] for c in data["clusters"] for g in c["gaps"] for x in g["all_candidates"]}
            what = f"{len(data['clusters'])} clusters, {gap_count} gaps, {len(firms)} candidate firms"
        else:
            data = cluster_report(store, args.cluster, top=args.top, year=args.year, per_gap=args.per_gap)
            if kind == "xlsx":
                body = cluster_workbook(data)
            else:
                body = render_cluster_report(data).html.encode("utf-8")
            n = data["candidate_counts"]  # distinct firms; an entry is one firm for one gap
            if kind == "xlsx":  # the workbook lists every candidate
                what = f"{n['gaps']} gaps, {n['firms']} candidate firms ({n['entries']} candidate entries), "
            else:  # the HTML shows the first --top of each gap
                what = f"{n['gaps']} gaps, {shown_candidates(data)}, "
            if args.per_gap is not None:
                what += f"{len(data['targets'])} firms to approach{per_gap_words(args.per_gap)}, "
            what += f"{len(data['anchors'])} anchor firms"
    finally:
        store.close()
    try:
        write_atomically(output, body)
    except OSError as err:
        print(f"error: cannot write '{output}': {err.strerror or err}", file=sys.stderr)
        return 1
    print(f"wrote {output} ({what}, {len(body) / 1024:.0f} KB)")
    return 0


EPILOG = """\
examples:
  chainkg report nev                 # report-nev.html, a printable A4 report
  chainkg report nev --xlsx          # gaps-nev.xlsx, the gap workbook
  chainkg report --all               # summary.html, every cluster by health
  chainkg report --all --xlsx        # gaps-all.xlsx, one gap workbook of every cluster
  chainkg report --all --list-year 2024         # summary-2024.html, the clusters on the 2024 list
  chainkg report --all --xlsx --list-year 2024  # gaps-all-2024.xlsx
  chainkg report --targets           # targets.html, whom to approach first (先找谁) across every cluster
  chainkg report nev --brief         # brief-nev.html, a meeting brief: top gaps, first firms, anchors
  chainkg report nev --brief --per-gap 1  # its first firms to approach: each gap's first choice only
  chainkg report --targets --kind 缺链 --firms 100  # the first 100 firms for the missing segments
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = (
        "Write a cluster's printable A4 report (HTML) or gap workbook (--xlsx), or the health summary (--all), "
        "or one gap workbook of every cluster (--all --xlsx), or the city's list of firms to approach first "
        "(--targets), or a cluster's one- or two-page meeting brief (--brief)."
    )
    p = sub.add_parser(
        "report", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("cluster", nargs="?", default=None, help="cluster id (e.g. nev), or 'all' for the summary")
    p.add_argument(
        "--all", action="store_true", help="every cluster: the health summary, or with --xlsx one gap workbook"
    )
    p.add_argument("--xlsx", action="store_true", help="write the gap workbook (.xlsx) instead of the HTML report")
    p.add_argument(
        "--brief",
        action="store_true",
        help="a cluster's meeting brief (会议简报, HTML): its most severe gaps, the first firms to approach, anchors",
    )
    p.add_argument(
        "--targets",
        action="store_true",
        help="the city's 先找谁 page: the outside firms to approach first for every cluster's gaps, each once (HTML)",
    )
    p.add_argument(
        "--firms",
        type=int,
        default=DEFAULT_FIRMS,
        metavar="N",
        help=f"--targets: firms listed, the first by priority (1-1000, default {DEFAULT_FIRMS})",
    )
    add_gap_kind_option(p, "--targets: count only the gaps of this kind")
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=None,
        help="output file (default: report-ID.html, gaps-ID.xlsx, brief-ID.html, summary.html, gaps-all.xlsx or "
        "targets.html; "
        "with --list-year 2024: summary-2024.html, gaps-all-2024.xlsx or targets-2024.html)",
    )
    p.add_argument(
        "--top",
        type=int,
        default=None,
        help=f"candidate firms per gap in the HTML report (1-10, default {DEFAULT_TOP})",
    )
    add_per_gap_option(p, scope="a cluster's report, workbook or --brief, in its 先找谁 list")
    add_year_option(p)
    p.add_argument(
        "--list-year",
        type=int,
        choices=LIST_YEARS,
        default=None,
        help="--all, --targets: only clusters on the 2022 or 2024 list",
    )
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.set_defaults(handler=run)
