"""Import a workbook, CSV file, JSON file, zip of CSVs or dataset folder into the graph.

The steps, each written once for every input format and both stores:

1. **read** the input into rows per table (:mod:`loaders.inputs`, with
   :mod:`loaders.workbook` and :mod:`loaders.csv_encoding`) or, for JSON,
   into nodes and edges;
2. **parse** the rows with the row rules of :mod:`loaders.folder`;
3. **resolve** firms against the graph (:mod:`loaders.resolve`) and rewrite ids;
4. **merge** into a copy of the graph's snapshot (:mod:`loaders.merge`,
   :mod:`loaders.diff`) and check every reference against the merged graph;
5. **apply**: one atomic ``store.replace(merged)``, after the snapshot is
   saved (:mod:`graph.persist`) when the store is the embedded one.

All problems are collected and reported together, each naming file, sheet,
row, column, bad value and what was expected, in English and Chinese. By
default nothing is applied when anything is wrong. With ``skip_invalid`` the
rows with problems are set aside, rows that depended on them are set aside
in turn, and the rest is applied; the rows set aside are returned (and
:func:`write_rejected` writes them to a file).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> text = "id,name_zh,is_local,district_id,sources\\nnew-co,丁电池有限公司,true,d-wujin,s-tiny\\n"
>>> source = read_input("firms.csv", text.encode("gb18030"))
>>> report = run_import(store, source, ImportOptions(dry_run=True))
>>> report.summary()["counts"]["nodes"]["added"], report.errors, store.node("new-co") is None
(1, [], True)
>>> report = run_import(store, source)
>>> store.node("new-co").name_zh, report.applied
('丁电池有限公司', True)
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path

from graph.dataset import Dataset
from graph.errors import DataIssue, StateConflict
from graph.persist import StateDir
from graph.store import GraphStore
from loaders.diff import Diff, describe
from loaders.folder import (
    Row,
    load_folder,
    table_files,
)
from loaders.inputs import (
    Collected,
    ImportInput,
    ImportOptions,
    RowKey,
    make_issue,
    read_input,
)
from loaders.merge import hint_blank_ids, merge_items
from loaders.refused import fold_refused
from loaders.tables import TABLES

Progress = Callable[[int, int, str], None]

GROUP_AT = 3
"""Fewest rows with the same problem (file, sheet, column, value, expected) that the text output shows as one line."""
MAX_RANGES = 12
"""Row ranges a grouped problem names before ``…``."""


def row_ranges(rows: Sequence[int], limit: int = MAX_RANGES, sep: str = ", ") -> str:
    """``2–201``, ``3, 5–7, 9``: sorted rows as ranges, at most ``limit`` of them, joined by ``sep``.

    >>> row_ranges([2, 3, 4, 9, 11, 12]), row_ranges(range(2, 202)), row_ranges([5, 1, 3], limit=2, sep="、")
    ('2–4, 9, 11–12', '2–201', '1、3、…')
    """
    ranges: list[list[int]] = []
    for row in sorted(set(rows)):
        if ranges and row == ranges[-1][1] + 1:
            ranges[-1][1] = row
        else:
            ranges.append([row, row])
    shown = [str(a) if a == b else f"{a}–{b}" for a, b in ranges[:limit]]
    return sep.join(shown + (["…"] if len(ranges) > limit else []))


@dataclass(frozen=True)
class IssueGroup:
    """The same problem (file, sheet, column, value and what was expected) on several rows, shown once.

    Examples
    --------
    >>> same = [DataIssue("firms.csv", n, "sources", "s-x", "the id of a Source", expected_zh="某个来源的编号")
    ...         for n in (2, 3, 4, 7)]
    >>> group = IssueGroup(tuple(same))
    >>> print(group)
    firms.csv, rows 2–4, 7 (4 rows), field 'sources': got 's-x'; expected the id of a Source
    >>> print(group.message_zh)
    firms.csv，第 2–4、7 行（共 4 行），列 'sources'：读到 's-x'；应为 某个来源的编号
    """

    issues: tuple[DataIssue, ...]

    @property
    def rows(self) -> list[int]:
        return [i.row for i in self.issues]

    def _where(self, zh_text: bool) -> tuple[str, str]:
        first = self.issues[0]
        if zh_text:
            return first.file + (f"（工作表 {first.sheet}）" if first.sheet else ""), (
                f"，第 {row_ranges(self.rows, sep='、')} 行（共 {len(self.issues)} 行）"
            )
        return first.file + (f" [sheet {first.sheet}]" if first.sheet else ""), (
            f", rows {row_ranges(self.rows)} ({len(self.issues)} rows)"
        )

    def __str__(self) -> str:
        where, rows = self._where(False)
        return where + rows + str(replace(self.issues[0], row=0))[len(where) :]

    @property
    def message_zh(self) -> str:
        where, rows = self._where(True)
        return where + rows + replace(self.issues[0], row=0).message_zh[len(where) :]

    def as_dict(self) -> dict[str, object]:
        """The problem as :meth:`~graph.errors.DataIssue.as_dict` gives it, with ``rows`` and ``count``."""
        first = self.issues[0].as_dict()
        first.pop("row", None)
        return {
            **first,
            "rows": self.rows,
            "count": len(self.issues),
            "message": str(self),
            "message_zh": self.message_zh,
        }


def group_issues(issues: Sequence[DataIssue], at: int = GROUP_AT) -> list[DataIssue | IssueGroup]:
    """``issues`` with each problem found on ``at`` or more rows shown once, where it first occurs.

    The same problem is the same file, sheet, column, value and expected text; problems with no row
    (a header is row 1, a whole file row 0) are grouped only when on rows above 0.

    >>> same = [DataIssue("firms.csv", n, "sources", "s-x", "the id of a Source") for n in (2, 3, 4)]
    >>> other = DataIssue("firms.csv", 3, "is_local", "maybe", "true or false")
    >>> [type(i).__name__ for i in group_issues([same[0], same[1], other, same[2]])]
    ['IssueGroup', 'DataIssue']
    """
    by_key: dict[tuple[str, ...], list[DataIssue]] = {}
    for issue in issues:
        if issue.row > 0:
            by_key.setdefault(_same(issue), []).append(issue)
    out: list[DataIssue | IssueGroup] = []
    for issue in issues:
        group = by_key.get(_same(issue), []) if issue.row > 0 else []
        if len(group) < at:
            out.append(issue)
        elif group[0] is issue:
            out.append(IssueGroup(tuple(group)))
    return out


def _same(issue: DataIssue) -> tuple[str, ...]:
    return (issue.file, issue.sheet, issue.field, issue.value, issue.expected, issue.expected_zh)


# -- plan and apply ------------------------------------------------------------------------


@dataclass
class Rejected:
    """A row set aside by ``skip_invalid``, with its problems."""

    row: Row
    issues: list[DataIssue]


@dataclass
class ImportReport:
    """Everything an import found and did."""

    file: str
    format: str
    options: ImportOptions
    diff: Diff
    errors: list[DataIssue]
    rejected: list[Rejected]
    resolved: list[dict[str, object]]
    warnings: list[str]
    blocked: bool
    merged: Dataset | None
    applied: bool = False
    folded: int = 0
    """Unknown-id problems a file refused whole may explain, summed up at the end of :attr:`errors`."""
    summaries: int = 0
    """How many lines at the end of :attr:`errors` sum up such references (see :mod:`loaders.refused`)."""
    rows: int = 0
    """How many data rows (or JSON items) the input holds, those set aside included."""
    not_counted: int = 0
    """When the import is blocked: the rows left out of the counts, having problems or naming rows that do."""
    outside_rows: tuple[DataIssue, ...] = ()
    """The problems in no data row (a header, a sheet, a whole file): ``skip_invalid`` cannot set them aside."""

    def summary(self) -> dict[str, object]:
        """The JSON summary: ``{"nodes": {...}, "edges": {...}, "errors": [...], ...}``."""
        out = self.diff.to_json([e.as_dict() for e in self.errors])
        out.update(
            {
                "file": self.file,
                "format": self.format,
                "dry_run": self.options.dry_run,
                "applied": self.applied,
                "ok": not self.blocked,
                "on_conflict": self.options.on_conflict,
                "resolved": self.resolved,
                "rejected": len(self.rejected),
                "not_counted": self.not_counted,
                "warnings": self.warnings,
            }
        )
        return out

    def error_groups(self) -> list[dict[str, object]]:
        """The problems found on :data:`GROUP_AT` or more rows alike, each once with its ``rows`` and ``count``.

        :attr:`errors` (the JSON ``errors``) keeps one entry per row; this sums up the repeats, as the
        text output shows them.
        """
        return [g.as_dict() for g in group_issues(self.errors) if isinstance(g, IssueGroup)]

    def _problems_line(self, shown: int | None = None) -> str:
        """``3 problem(s) / 共 3 个问题:``, saying how many references to refused files were not checked.

        ``shown``: the lines the problems take once repeats are grouped, when fewer than the problems.
        """
        real = len(self.errors) - self.summaries
        grouped, grouped_zh = "", ""
        if shown is not None and shown < len(self.errors):
            grouped = f"; the same problem on {GROUP_AT} or more rows is shown once, naming the rows"
            grouped_zh = f"；{GROUP_AT} 行及以上的相同问题只列一次，并写明行号"
        if not self.folded:
            return f"{real} problem(s){grouped} / 共 {real} 个问题{grouped_zh}:"
        return (
            f"{real} problem(s), and {self.folded} reference(s) not checked because a file was refused "
            f"(summed up in the last {self.summaries} line(s)){grouped} / 共 {real} 个问题，另有 {self.folded} "
            f"处引用因文件整份被拒而未检查（汇总于最后 {self.summaries} 条）{grouped_zh}:"
        )

    def set_aside_line(self, rejected_to: Sequence[str] = ()) -> str | None:
        """``imported 5 rows; set aside 2 rows with errors (see F)``, when ``skip_invalid`` set rows aside.

        ``None`` when no row was set aside, or when a problem outside the rows blocked the import.
        """
        if not self.rejected or self.blocked:
            return None
        kept, left = self.rows - len(self.rejected), len(self.rejected)
        where = ", ".join(rejected_to)
        if self.options.dry_run:
            see = f" (to go to {where}; a dry run writes no file)" if where else ""
            see_zh = f"（将写入 {where}；试运行不写文件）" if where else ""
            return (
                f"would import {kept} rows; would set aside {left} rows with errors{see} "
                f"/ 将导入 {kept} 行；{left} 行有问题，将被跳过{see_zh}"
            )
        verb, verb_zh = ("imported", "已导入") if self.applied else ("checked", "已检查")
        see = f" (see {where})" if where else ""
        see_zh = f"（见 {where}）" if where else ""
        return (
            f"{verb} {kept} rows; set aside {left} rows with errors{see} "
            f"/ {verb_zh} {kept} 行；{left} 行有问题，已跳过{see_zh}"
        )

    def blocked_line(self) -> str | None:
        """``nothing can be imported until the 2 problem(s) below are fixed; ...``, or ``None`` when not blocked.

        It says how many rows the counts leave out (:attr:`not_counted`).

        Examples
        --------
        >>> from loaders.diff import Diff
        >>> report = ImportReport("firms.csv", "csv", ImportOptions(), Diff(), [], [], [], [], True, None,
        ...                       not_counted=1)
        >>> print(report.blocked_line())
        nothing can be imported until the 0 problem(s) below are fixed; the counts leave out 1 row(s) with \
problems or naming rows that have them / 下列 0 个问题修正前无法导入；以下计数不含有问题（或引用了有问题的行）的 1 行
        """
        if not self.blocked:
            return None
        real = len(self.errors) - self.summaries
        line = f"nothing can be imported until the {real} problem(s) below are fixed"
        line_zh = f"下列 {real} 个问题修正前无法导入"
        if self.not_counted:
            line += f"; the counts leave out {self.not_counted} row(s) with problems or naming rows that have them"
            line_zh += f"；以下计数不含有问题（或引用了有问题的行）的 {self.not_counted} 行"
        return f"{line} / {line_zh}"

    def _blocking_lines(self) -> list[str]:
        """With ``skip_invalid``, when problems outside the data rows blocked the import: say so, and name them.

        >>> from loaders.diff import Diff
        >>> header = DataIssue("firms.csv", 1, "code", "code", "one of the columns id, name_zh")
        >>> report = ImportReport("firms.csv", "csv", ImportOptions(skip_invalid=True), Diff(), [header], [], [],
        ...                       [], True, None, outside_rows=(header,))
        >>> print(report._blocking_lines()[0])
        --skip-invalid sets aside rows with problems, but 1 problem(s) are not in a data row (a header, a sheet, \
a whole file) and block the whole import even with --skip-invalid: firms.csv row 1 (the header), \
column 'code'. Fix them first (in a header: delete an unknown column, or rename it to one of the table's columns).
        """
        if not (self.options.skip_invalid and self.blocked and self.outside_rows):
            return []
        where, where_zh = [], []
        for issue in self.outside_rows[:5]:
            sheet = f" [sheet {issue.sheet}]" if issue.sheet else ""
            sheet_zh = f"（工作表 {issue.sheet}）" if issue.sheet else ""
            if issue.row == 1 and not issue.whole_file:
                where.append(f"{issue.file}{sheet} row 1 (the header), column {issue.field!r}")
                where_zh.append(f"{issue.file}{sheet_zh}，第 1 行（表头），列 {issue.field!r}")
            else:
                where.append(f"{issue.file}{sheet}" + (f" row {issue.row}" if issue.row > 0 else ""))
                where_zh.append(f"{issue.file}{sheet_zh}" + (f"，第 {issue.row} 行" if issue.row > 0 else ""))
        more = ", …" if len(self.outside_rows) > 5 else ""
        count = len(self.outside_rows)
        return [
            f"--skip-invalid sets aside rows with problems, but {count} problem(s) are not in a data row "
            f"(a header, a sheet, a whole file) and block the whole import even with --skip-invalid: "
            f"{', '.join(where)}{more}. Fix them first (in a header: delete an unknown column, or rename it to "
            "one of the table's columns).",
            f"--skip-invalid 只跳过有问题的数据行；以下 {count} 个问题不在数据行中（表头、工作表或整个文件），"
            f"即使加 --skip-invalid 也会阻止整个导入：{'；'.join(where_zh)}{more}。请先修正（表头中未知的列："
            "删除它，或把它改名为该表的某一列）。",
        ]

    def lines(self, rejected_to: Sequence[str] = ()) -> list[str]:
        """A human summary in English and Chinese; the first line says how many rows were set aside, if any.

        When the import is blocked, a line before the counts says so and how many rows they leave out.

        Parameters
        ----------
        rejected_to : sequence of str
            The files the rows set aside go to, named in that first line.
        """
        headline = self.set_aside_line(rejected_to)
        out = [headline] if headline else []
        blocked = self.blocked_line()
        if blocked:
            out.append(blocked)
        out += describe(self.diff.counts())
        for entry in self.resolved:
            out.append(
                f"matched {entry['name']!r} (row {entry['row']}) to {entry['matched']} by {entry['how']} "
                f"/ 已将 {entry['name']!r} 匹配为 {entry['matched']}"
            )
        out += [f"warning 提示: {w}" for w in self.warnings]
        if self.errors:
            shown = group_issues(self.errors)
            out.append(self._problems_line(len(shown)))
            out += self._blocking_lines()
            for issue in shown:
                out.append(f"  - {issue}")
                out.append(f"    {issue.message_zh}")
        if self.applied:
            out.append("applied / 已导入")
        elif self.options.dry_run:
            out.append("dry run: nothing written / 试运行：未写入任何数据")
        else:
            out.append("nothing applied / 未导入任何数据")
        return out


def plan_import(
    source: ImportInput,
    existing: Dataset,
    options: ImportOptions | None = None,
    *,
    progress: Progress | None = None,
) -> ImportReport:
    """Work out what importing ``source`` into ``existing`` gives, without writing anything.

    With ``skip_invalid``, rows with problems are left out and the rest is
    tried again until what is left has no problem (rows that depended on a
    left-out row are left out in turn). Problems that belong to no row (a
    bad header, a refused file) block the import in every case.

    When the import is blocked, the rows are left out in the same way, only
    to count what the rows without problems would change: the diff never
    counts a row with a problem (or one that names such a row) as added, and
    :attr:`ImportReport.not_counted` says how many rows it leaves out. Rows
    whose only problem is a value that differs from the graph's stay in, so
    that they show as ``conflicting``.

    ``progress(done, total, what)`` is told how the parsing, matching and checking of a large
    input go, on each pass (see :mod:`loaders.progress`).

    Examples
    --------
    >>> from graph.fixtures import tiny_chain
    >>> text = "id,name_zh,is_local,district_id,sources\\nx-co,乙,maybe,d-wujinn,s-tiny\\n"
    >>> report = plan_import(read_input("firms.csv", text.encode()), tiny_chain())
    >>> [issue.field for issue in report.errors], report.diff.counts()["edges"]["added"], report.not_counted
    (['is_local', 'district_id'], 0, 1)
    """
    options = options or ImportOptions()
    excluded: dict[RowKey, list[DataIssue]] = {}
    references: dict[DataIssue, str] = {}  # every pass's: with skip_invalid, an earlier pass saw the refused rows
    first: list[DataIssue] | None = None
    outside: tuple[DataIssue, ...] = ()
    setting_aside = False
    passes = 0
    while True:
        passes += 1
        shown = _pass_progress(progress, passes, len(excluded))
        collected = source.collect(set(excluded), existing, shown)
        outcome = merge_items(existing, collected.items, options.on_conflict, _unread(collected), shown)
        issues = _one_per_cell(hint_blank_ids(existing, collected.issues) + outcome.issues)
        references |= {**collected.references, **outcome.references}
        if first is None:
            first = issues
            outside = tuple(i for i in issues if _key(i) not in collected.rows)
            setting_aside = options.skip_invalid and not outside
        left_out = [  # a problem found while reading (a formula cell) comes back with its row left out
            i
            for i in issues
            if _key(i) in collected.rows and _key(i) not in excluded and (setting_aside or i not in outcome.conflicts)
        ]
        if not left_out:
            break
        for issue in left_out:
            excluded.setdefault(_key(issue), []).append(issue)
    if setting_aside:  # the rows left out are set aside, and the rest applied
        rejected = [Rejected(collected.rows[key], found) for key, found in excluded.items()]
        issues = [i for i in issues if _key(i) not in excluded]
        blocked, not_counted = bool(issues), 0
    else:  # every problem of the first pass blocks; the rows left out only leave the counts
        assert first is not None
        rejected, issues = [], first
        blocked, not_counted = bool(issues), len(excluded)
    errors = sorted(  # in file order, as a user fixes them; the sort is stable within a row
        [i for r in rejected for i in r.issues] + issues, key=lambda i: (i.file, i.sheet, i.row)
    )
    folded = fold_refused(errors, references, collected.refused)
    errors = folded.issues
    rejected = [Rejected(r.row, [folded.replaced.get(i, i) for i in r.issues]) for r in rejected]
    if not blocked and outcome.merged.problems():  # a safety net: merge_items checks these per row
        problems = outcome.merged.problems()
        errors.append(make_issue(source.name, "", 0, "(graph)", problems[0], "a consistent graph", "一致的图"))
        blocked = True
    return ImportReport(
        file=source.name,
        format=source.format,
        options=options,
        diff=outcome.diff,
        errors=errors,
        rejected=rejected,
        resolved=outcome.resolved,
        warnings=collected.warnings + outcome.warnings,
        blocked=blocked,
        merged=None if blocked else outcome.merged,
        folded=folded.references,
        summaries=folded.summaries,
        rows=len(collected.rows),
        not_counted=not_counted,
        outside_rows=tuple(folded.replaced.get(i, i) for i in outside),
    )


def _pass_progress(progress: Progress | None, passes: int, left_out: int) -> Progress | None:
    """``progress`` with what each pass after the first does said after what is counted.

    >>> seen = []
    >>> _pass_progress(lambda d, t, w: seen.append(w), 2, 3)(1, 2, "rows parsed")
    >>> seen
    ['rows parsed (pass 2: again without the 3 row(s) with problems)']
    """
    if progress is None or passes == 1:
        return progress
    again = f" (pass {passes}: again without the {left_out} row(s) with problems)"
    return lambda done, total, what: progress(done, total, what + again)


def _key(issue: DataIssue) -> RowKey:
    return (issue.file, issue.sheet, issue.row)


def _unread(collected: Collected) -> list[Row]:
    """The rows with a problem that gave no node, edge or fact: :func:`merge_items` checks their references."""
    read = {item.row.key for item in collected.items}
    flagged = {_key(issue) for issue in collected.issues}
    return [row for key, row in collected.rows.items() if key in flagged and key not in read]


def _one_per_cell(issues: list[DataIssue]) -> list[DataIssue]:
    """Keep the first problem of each cell (a formula cell must not also be reported as a bad id)."""
    seen: set[tuple[str, str, int, str]] = set()
    out = []
    for issue in issues:
        cell = (issue.file, issue.sheet, issue.row, issue.field)
        if cell in seen and not issue.field.startswith("("):
            continue
        seen.add(cell)
        out.append(issue)
    return out


_apply_lock = threading.Lock()


def run_import(
    store: GraphStore,
    source: ImportInput,
    options: ImportOptions | None = None,
    *,
    state: StateDir | None = None,
    progress: Progress | None = None,
    checking: Progress | None = None,
) -> ImportReport:
    """Plan an import against the store's graph and, unless it is a dry run or blocked, apply it.

    Parameters
    ----------
    store : GraphStore
        Either store; the new graph goes in with one atomic ``replace``.
    source : ImportInput
        From :func:`read_input`.
    options : ImportOptions, optional
    state : StateDir, optional
        Where the embedded store keeps imported data; saved (atomically)
        before the store is replaced, so a crash leaves the old or the new
        graph on disk, never a mix.
    progress : callable, optional
        ``progress(done, total, what)`` while the store loads the new graph.
    checking : callable, optional
        The same while a large input is parsed, matched and checked (:func:`plan_import`).

    Raises
    ------
    StateConflict
        When the graph changed (another import) between planning and applying.
    """
    options = options or ImportOptions()
    with _apply_lock:
        version = store.version()
        existing = store.snapshot()
        report = plan_import(source, existing, options, progress=checking)
        if report.blocked or options.dry_run or report.merged is None:
            return report
        if store.version() != version:
            raise StateConflict("the graph changed while the import was checked; run the import again")
        if state is not None:
            state.save(report.merged, expected=existing.fingerprint())
        store.replace(report.merged, progress=progress)
        report.applied = True
    return report


def holds_no_chain(existing: Dataset) -> bool:
    """Whether ``existing`` holds no cluster, segment or district: an import then sees only what its file brings.

    >>> from graph.fixtures import tiny_chain
    >>> holds_no_chain(Dataset()), holds_no_chain(tiny_chain())
    (True, False)
    """
    return not any(True for kind in _CHAIN_KINDS for _ in existing.of_kind(kind))


_CHAIN_KINDS = ("Cluster", "Segment", "District")


def empty_target_warning(where: str, where_zh: str, start: str, start_zh: str, *, since: str = "") -> str:
    """The warning an import into a graph without clusters, segments or districts starts with (CLI, both stores).

    ``where`` names the target (``the data folder 新区``, ``Neo4j at bolt://…``), ``start`` what gives it the
    city's chains (a command), ``since`` why it is empty, if known.

    >>> start = "run chainkg export --format csv -o 新区/ first"
    >>> message = empty_target_warning("the data folder 新区", "数据文件夹 新区", start, "先运行 …")
    >>> print(message.split(": ")[0])
    the data folder 新区 holds no graph (no clusters, segments or districts)
    >>> print(message.split(". ")[1])
    To start from the city's chains, run chainkg export --format csv -o 新区/ first; or put the segments and \
districts in the file
    """
    return (
        f"{where} holds no graph{since} (no clusters, segments or districts): the import sees only what the file "
        "brings, so every segment, district and source its rows name must be in the file. To start from the city's "
        f"chains, {start}; or put the segments and districts in the file. "
        f"/ {where_zh} 中没有图（没有集群、环节或区县）：导入只能看到文件本身带来的数据，"
        "行中引用的每个环节、区县和来源都须在文件中。"
        f"要从全市的产业链开始，{start_zh}；或把环节和区县放入文件。"
    )


def current_dataset(data_dir: Path, state: StateDir | None, *, allow_empty: bool = False) -> Dataset:
    """The graph the embedded store serves: the last imported snapshot, else the dataset folder.

    Parameters
    ----------
    data_dir : Path
        The dataset folder.
    state : StateDir, optional
        Where imports are kept; ignored when ``None``.
    allow_empty : bool
        Start from an empty graph when the folder is missing or holds no table
        (a new district's first import).
    """
    if state is not None:
        snapshot = state.load()
        if snapshot is not None:
            return snapshot
    if allow_empty and (not data_dir.is_dir() or not any(table_files(data_dir, t) for t in TABLES)):
        return Dataset()
    return load_folder(data_dir)


# -- rejected rows -------------------------------------------------------------------------


def rejected_paths(path: Path, rejected: list[Rejected]) -> dict[Path, list[Rejected]]:
    """Where :func:`write_rejected` puts the rows set aside: one file, or for ``.csv`` one per table.

    A ``.csv`` holds one table, so it can be fixed and imported again. When
    every row comes from one table and ``path`` reads as that table (its name,
    as ``firms.rejected.csv``, or else its header), the rows go to ``path``.
    Otherwise each table's rows go to ``TABLE.NAME`` next to it
    (``firms.firms.rejected.csv``, ``operates_in.firms.rejected.csv``): a name
    the importer, and a dataset folder, read as that table.

    >>> from loaders.folder import Row
    >>> def row(table, **values):
    ...     return Rejected(Row("book.xlsx", 2, values, table, table), [])
    >>> firm = row("firms", id="x", name_zh="x", is_local="maybe", sources="s")
    >>> link = row("operates_in", firm_id="x", segment_id="s", role="member", sources="s")
    >>> [str(p) for p in rejected_paths(Path("out/firms.rejected.csv"), [firm])]
    ['out/firms.rejected.csv']
    >>> [str(p) for p in rejected_paths(Path("out/firms.rejected.csv"), [firm, link])]
    ['out/firms.firms.rejected.csv', 'out/operates_in.firms.rejected.csv']
    >>> [str(p) for p in rejected_paths(Path("left.xlsx"), [firm, link])]
    ['left.xlsx']
    """
    if path.suffix.lower() != ".csv" or not rejected:
        return {path: rejected}
    by_table: dict[str, list[Rejected]] = {}
    for item in rejected:
        by_table.setdefault(item.row.table or "rows", []).append(item)
    if len(by_table) == 1:
        ((table, items),) = by_table.items()
        if _csv_reads_as(path, _columns(items)) == table:
            return {path: items}
    return {path.with_name(f"{table}.{path.name}"): items for table, items in by_table.items()}


def _csv_reads_as(path: Path, columns: list[str]) -> str | None:
    """The table the importer reads a CSV file named ``path`` with header ``columns`` as."""
    from loaders.inputs import _table_of_header  # the importer's own rule, so the file reads back
    from loaders.workbook import table_of_sheet

    table = table_of_sheet(path.name.split(".", 1)[0]) or _table_of_header(columns)
    return table.name if table else None


def _columns(items: list[Rejected]) -> list[str]:
    """The columns of the rows, in the order they first appear."""
    columns: list[str] = []
    for item in items:
        columns += [c for c in item.row.values if c not in columns]
    return columns


def _errors_cell(item: Rejected) -> str:
    return "\n".join(f"{i} / {i.message_zh}" for i in item.issues)


def _table_grid(items: list[Rejected]) -> tuple[list[str], list[list[str]]]:
    """One table's rows set aside: its columns plus ``_errors``, which the importer ignores."""
    columns = _columns(items)
    return columns + ["_errors"], [
        [item.row.values.get(c, "") for c in columns] + [_errors_cell(item)] for item in items
    ]


def write_rejected(path: Path, rejected: list[Rejected]) -> list[Path]:
    """Write the rows set aside, in a form that can be fixed and imported again; return the files written.

    ``.xlsx``: one sheet per table. ``.csv``: one file per table (see
    :func:`rejected_paths`). Both have the table's own columns plus
    ``_errors``, which the importer ignores. ``.json``: a list of records
    with ``table``, ``file``, ``sheet``, ``row``, ``values`` and ``errors``.
    """
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from loaders.export import write_workbook_rows

        tables: dict[str, list[Rejected]] = {}
        for item in rejected:
            tables.setdefault(item.row.table or "rows", []).append(item)
        write_workbook_rows(path, {t: _table_grid(items) for t, items in tables.items()})
        return [path]
    if suffix == ".csv":
        written = rejected_paths(path, rejected)
        for target, items in written.items():
            _write_csv(target, *_table_grid(items))
        return list(written)
    records = [
        {
            "table": item.row.table,
            "file": item.row.file,
            "sheet": item.row.sheet or None,
            "row": item.row.line,
            "values": item.row.values,
            "errors": [i.as_dict() for i in item.issues],
        }
        for item in rejected
    ]
    _write_text(path, json.dumps(records, ensure_ascii=False, indent=2) + "\n")
    return [path]


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    """A UTF-8 CSV with a BOM (so Excel reads the Chinese), written atomically."""
    import csv
    import io

    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow(header)
    writer.writerows(rows)
    _write_text(path, buf.getvalue(), bom=True)


def _write_text(path: Path, text: str, *, bom: bool = False) -> None:
    from graph.persist import atomic_write

    atomic_write(path, (("\ufeff" if bom else "") + text).encode("utf-8"))


__all__ = [
    "ImportInput",
    "ImportOptions",
    "ImportReport",
    "Rejected",
    "current_dataset",
    "empty_target_warning",
    "holds_no_chain",
    "merge_items",
    "plan_import",
    "read_input",
    "rejected_paths",
    "run_import",
    "write_rejected",
]
