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
from collections.abc import Callable
from dataclasses import dataclass
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
    ImportInput,
    ImportOptions,
    RowKey,
    make_issue,
    read_input,
)
from loaders.merge import merge_items
from loaders.refused import fold_refused
from loaders.tables import TABLES

Progress = Callable[[int, int, str], None]

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
                "warnings": self.warnings,
            }
        )
        return out

    def _problems_line(self) -> str:
        """``3 problem(s) / 共 3 个问题:``, saying how many references to refused files were not checked."""
        real = len(self.errors) - self.summaries
        if not self.folded:
            return f"{real} problem(s) / 共 {real} 个问题:"
        return (
            f"{real} problem(s), and {self.folded} reference(s) not checked because a file was refused "
            f"(summed up in the last {self.summaries} line(s)) / 共 {real} 个问题，另有 {self.folded} "
            f"处引用因文件整份被拒而未检查（汇总于最后 {self.summaries} 条）:"
        )

    def lines(self) -> list[str]:
        """A human summary in English and Chinese."""
        out = describe(self.diff.counts())
        for entry in self.resolved:
            out.append(
                f"matched {entry['name']!r} (row {entry['row']}) to {entry['matched']} by {entry['how']} "
                f"/ 已将 {entry['name']!r} 匹配为 {entry['matched']}"
            )
        out += [f"warning 提示: {w}" for w in self.warnings]
        if self.errors:
            out.append(self._problems_line())
            for issue in self.errors:
                out.append(f"  - {issue}")
                out.append(f"    {issue.message_zh}")
        if self.rejected:
            out.append(f"{len(self.rejected)} row(s) set aside / 已跳过 {len(self.rejected)} 行")
        if self.applied:
            out.append("applied / 已导入")
        elif self.options.dry_run:
            out.append("dry run: nothing written / 试运行：未写入任何数据")
        else:
            out.append("nothing applied / 未导入任何数据")
        return out


def plan_import(source: ImportInput, existing: Dataset, options: ImportOptions | None = None) -> ImportReport:
    """Work out what importing ``source`` into ``existing`` gives, without writing anything.

    With ``skip_invalid``, rows with problems are left out and the rest is
    tried again until what is left has no problem (rows that depended on a
    left-out row are left out in turn). Problems that belong to no row (a
    bad header, a refused file) block the import in every case.
    """
    options = options or ImportOptions()
    excluded: dict[RowKey, list[DataIssue]] = {}
    while True:
        collected = source.collect(set(excluded), existing)
        outcome = merge_items(existing, collected.items, options.on_conflict)
        issues = _one_per_cell(collected.issues + outcome.issues)
        structural = [i for i in issues if (i.file, i.sheet, i.row) not in collected.rows]
        if not issues or not options.skip_invalid or structural:
            break
        for issue in issues:
            excluded.setdefault((issue.file, issue.sheet, issue.row), []).append(issue)
    rejected = [Rejected(collected.rows[key], found) for key, found in excluded.items()]
    blocked = bool(issues)
    errors = sorted(  # in file order, as a user fixes them; the sort is stable within a row
        [i for r in rejected for i in r.issues] + issues, key=lambda i: (i.file, i.sheet, i.row)
    )
    folded = fold_refused(errors, {**collected.references, **outcome.references}, collected.refused)
    errors = folded.issues
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
        warnings=collected.warnings,
        blocked=blocked,
        merged=None if blocked else outcome.merged,
        folded=folded.references,
        summaries=folded.summaries,
    )


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

    Raises
    ------
    StateConflict
        When the graph changed (another import) between planning and applying.
    """
    options = options or ImportOptions()
    with _apply_lock:
        version = store.version()
        existing = store.snapshot()
        report = plan_import(source, existing, options)
        if report.blocked or options.dry_run or report.merged is None:
            return report
        if store.version() != version:
            raise StateConflict("the graph changed while the import was checked; run the import again")
        if state is not None:
            state.save(report.merged, expected=existing.fingerprint())
        store.replace(report.merged, progress=progress)
        report.applied = True
    return report


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


def write_rejected(path: Path, rejected: list[Rejected]) -> None:
    """Write the rows set aside: ``.xlsx`` (one sheet per table, fix and import again), ``.csv`` or ``.json``."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        from loaders.export import write_workbook_rows

        tables: dict[str, tuple[list[str], list[list[str]]]] = {}
        for item in rejected:
            columns, rows = tables.setdefault(item.row.table or "rows", ([], []))
            for col in item.row.values:
                if col not in columns:
                    columns.append(col)
        for item in rejected:
            columns, rows = tables[item.row.table or "rows"]
            errors = "\n".join(f"{i} / {i.message_zh}" for i in item.issues)
            rows.append([item.row.values.get(c, "") for c in columns] + [errors])
        write_workbook_rows(path, {t: (cols + ["_errors"], rows) for t, (cols, rows) in tables.items()})
        return
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
    if suffix == ".csv":
        import csv
        import io

        buf = io.StringIO()
        writer = csv.writer(buf)
        writer.writerow(["table", "file", "sheet", "row", "errors", "errors_zh", "values"])
        for rec, item in zip(records, rejected, strict=True):
            writer.writerow(
                [
                    rec["table"],
                    rec["file"],
                    rec["sheet"] or "",
                    rec["row"],
                    "\n".join(str(i) for i in item.issues),
                    "\n".join(i.message_zh for i in item.issues),
                    json.dumps(rec["values"], ensure_ascii=False),
                ]
            )
        _write_text(path, buf.getvalue(), bom=True)
        return
    _write_text(path, json.dumps(records, ensure_ascii=False, indent=2) + "\n")


def _write_text(path: Path, text: str, *, bom: bool = False) -> None:
    from graph.persist import atomic_write

    atomic_write(path, (("\ufeff" if bom else "") + text).encode("utf-8"))


__all__ = [
    "ImportInput",
    "ImportOptions",
    "ImportReport",
    "Rejected",
    "current_dataset",
    "merge_items",
    "plan_import",
    "read_input",
    "run_import",
    "write_rejected",
]
