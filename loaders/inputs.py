"""Read what is to be imported: a workbook, CSV file, JSON document, zip of CSVs or dataset folder.

:func:`read_input` turns a file's bytes (or a path) into an :class:`ImportInput`, whose
:meth:`~ImportInput.collect` parses it into :class:`Item` objects (nodes, edges and
cluster facts, each with the row it came from) plus every problem found. ``collect``
can leave rows out, which is how ``--skip-invalid`` sets rows aside and tries again.

Examples
--------
>>> from graph.dataset import Dataset
>>> source = read_input("districts.csv", "id,name_zh,sources\\nwj,武进区,s1\\n".encode("gbk"))
>>> found = source.collect(set(), Dataset())
>>> [item.node.name_zh for item in found.items], found.issues
(['武进区'], [])
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any

from pydantic import ValidationError

from graph.dataset import Dataset
from graph.errors import DataIssue, PayloadTooLarge
from graph.model import (
    Edge,
    Figure,
    Listing,
    Node,
    NodeKind,
    node_from_dict,
)
from loaders.csv_encoding import EncodingProblem, decode_csv, escaped, guess_delimiter
from loaders.csv_text import CsvSplit, describe_run, excerpt
from loaders.diff import Policy
from loaders.folder import (
    EDGE_COLUMNS,
    SPLIT_ROW_HINT,
    SPLIT_ROW_HINT_ZH,
    Collector,
    Row,
    RowParser,
    add_encoding_problem,
    add_text_problem,
    rows_from_cells,
    table_files,
)
from loaders.messages import DescribedIssue
from loaders.progress import Ticker
from loaders.refused import Refusal
from loaders.tables import TABLES, Table, column_of_alias, tables_reading
from loaders.workbook import (
    DEFAULT_LIMITS,
    IGNORED_COLUMNS,
    SHEET_ZH,
    WorkbookLimits,
    WorkbookRefused,
    check_archive,
    column_name,
    read_workbook,
    table_of_sheet,
)

DEFAULT_MAX_BYTES = 200 * 2**20
"""The largest input file read, in bytes (the API has its own, smaller limit)."""

RowKey = tuple[str, str, int]
Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ImportOptions:
    """How to import.

    Attributes
    ----------
    dry_run : bool
        Work out and report the changes; write nothing.
    skip_invalid : bool
        Apply the valid rows and set the others aside (default: apply nothing if anything is wrong).
    on_conflict : {"fail", "overwrite", "keep"}
        What to do when the import and the graph disagree on a value (see :mod:`loaders.diff`).
    limits : WorkbookLimits
        Size limits for workbooks and zips.
    max_bytes : int
        The largest input file read.
    """

    dry_run: bool = False
    skip_invalid: bool = False
    on_conflict: Policy = "fail"
    limits: WorkbookLimits = DEFAULT_LIMITS
    max_bytes: int = DEFAULT_MAX_BYTES


@dataclass
class Item:
    """One imported node, edge or cluster fact, with the row it came from."""

    row: Row
    node: Node | None = None
    edge: Edge | None = None
    fact: tuple[str, Listing | Figure] | None = None
    ends: tuple[str, str] = ("source", "target")


@dataclass
class Collected:
    """What one pass over an input gives: items, problems, and every data row by key."""

    items: list[Item]
    issues: list[DataIssue]
    rows: dict[RowKey, Row]
    warnings: list[str] = field(default_factory=list)
    references: dict[DataIssue, str] = field(default_factory=dict)
    """The unknown-id problems among :attr:`issues`, by the kind of node each was to name."""
    refused: list[Refusal] = field(default_factory=list)
    """The files or sheets of nodes refused whole (see :mod:`loaders.refused`)."""


# -- inputs ------------------------------------------------------------------------------


class ImportInput:
    """An input read into memory; :meth:`collect` parses it, leaving out some rows."""

    name = ""
    format = ""

    def collect(self, excluded: set[RowKey], existing: Dataset, progress: Progress | None = None) -> Collected:
        """Parse the input, leaving out the rows in ``excluded``; ``progress`` is told how many rows are parsed."""
        raise NotImplementedError


class RowsInput(ImportInput):
    """Rows per table, from a workbook, CSV file(s), a zip of CSVs or a dataset folder."""

    def __init__(
        self,
        name: str,
        fmt: str,
        rows: dict[str, list[Row]],
        issues: list[DataIssue],
        warnings: list[str],
        refused: list[Refusal] | None = None,
    ) -> None:
        self.name = name
        self.format = fmt
        self.read_issues = issues
        self.refused = refused or []
        self.warnings = warnings
        skipped: list[Row] = []
        self.rows = {table: _drop_examples(table, found, skipped) for table, found in rows.items()}
        if skipped:
            where = ", ".join(f"{r.sheet or r.file} row {r.line}" for r in skipped)
            self.warnings.append(
                f"the template's example rows were skipped ({where}) / 已跳过模板示例行（{len(skipped)} 行）"
            )
        if not issues and not any(self.rows.values()):
            self.read_issues = [
                DescribedIssue(
                    name,
                    0,
                    "(file)",
                    "(no data rows)",
                    "at least one data row in a table sheet or file: " + ", ".join(t.name for t in TABLES),
                    expected_zh="至少一行数据（位于以表名命名的工作表或文件中）：" + "、".join(SHEET_ZH.values()),
                    found_zh="没有数据行",
                )
            ]

    def collect(self, excluded: set[RowKey], existing: Dataset, progress: Progress | None = None) -> Collected:
        issues = Collector()
        issues.issues.extend(self.read_issues)
        kept = {t: [r for r in rows if r.key not in excluded] for t, rows in self.rows.items()}
        clusters = {n.id for n in existing.of_kind(NodeKind.CLUSTER)}
        ticker = Ticker(progress, sum(map(len, kept.values())), "rows parsed")
        parser = RowParser(
            lambda table: ticker.iterate(kept.get(table.name, []), f"rows parsed ({table.name})"),
            issues,
            outside_clusters=clusters,
        )
        parser.parse()
        ticker.finish("rows parsed")
        items = [Item(parser.where[node_id], node=node) for node_id, node in parser.ds.nodes.items()]
        for key, edge in parser.ds.edges.items():
            row = parser.edge_rows[key]
            items.append(Item(row, edge=edge, ends=EDGE_COLUMNS.get((row.table, edge.kind), ("source", "target"))))
        items += [Item(row, fact=(cid, fact)) for cid, row, fact in parser.outside_facts]
        every = {r.key: r for rows in self.rows.values() for r in rows}
        return Collected(items, issues.issues, every, list(self.warnings), issues.references, self.refused)


class JsonInput(ImportInput):
    """A ``chainkg/1`` JSON document, as ``chainkg export --format json`` writes."""

    format = "json"

    def __init__(self, name: str, doc: dict[str, Any] | None, issues: list[DataIssue]) -> None:
        self.name = name
        self.doc = doc
        self.read_issues = issues

    def collect(self, excluded: set[RowKey], existing: Dataset, progress: Progress | None = None) -> Collected:
        issues = Collector()
        issues.issues.extend(self.read_issues)
        items: list[Item] = []
        rows: dict[RowKey, Row] = {}
        if self.doc is None:
            return Collected(items, issues.issues, rows)
        seen: dict[str, Row] = {}
        for index, raw in enumerate(self.doc.get("nodes", [])):
            row = _json_row(self.name, "nodes", index, raw)
            rows[row.key] = row
            if row.key in excluded:
                continue
            node = _json_node(row, raw, issues)
            if node is None:
                continue
            if node.id in seen:
                issues.add(
                    row,
                    "id",
                    node.id,
                    f"a unique id (already used in item {seen[node.id].line} of nodes)",
                    f"唯一的编号（nodes 第 {seen[node.id].line} 项已使用）",
                )
                continue
            seen[node.id] = row
            items.append(Item(row, node=node))
        edges_seen: dict[tuple[str, str, str], Row] = {}
        for index, raw in enumerate(self.doc.get("edges", [])):
            row = _json_row(self.name, "edges", index, raw)
            rows[row.key] = row
            if row.key in excluded:
                continue
            try:
                edge = Edge.model_validate(raw)
            except ValidationError as exc:
                _validation_issues(row, raw, exc, issues)
                continue
            if edge.key in edges_seen:
                issues.add(
                    row,
                    "target",
                    edge.target,
                    f"a link not given before (same {edge.kind} in item {edges_seen[edge.key].line} of edges)",
                    f"未重复给出的关系（edges 第 {edges_seen[edge.key].line} 项已给出）",
                )
                continue
            edges_seen[edge.key] = row
            items.append(Item(row, edge=edge))
        return Collected(items, issues.issues, rows)


def _json_row(name: str, sheet: str, index: int, raw: object) -> Row:
    values = {str(k): _flat(v) for k, v in raw.items()} if isinstance(raw, dict) else {"(item)": _flat(raw)}
    return Row(name, index + 1, values, sheet, sheet)


def _flat(value: object) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list | tuple) and all(isinstance(v, str) for v in value):
        return "|".join(value)
    return json.dumps(value, ensure_ascii=False)


def _json_node(row: Row, raw: object, issues: Collector) -> Node | None:
    kinds = ", ".join(k.value for k in NodeKind)
    if not isinstance(raw, dict):
        issues.add(
            row, "(item)", _flat(raw)[:200], "an object with kind, id, name_zh, ...", "对象，含 kind、id、name_zh 等"
        )
        return None
    if raw.get("kind") not in {k.value for k in NodeKind}:
        issues.add(row, "kind", raw.get("kind", ""), f"one of {kinds}")
        return None
    try:
        return node_from_dict(raw)
    except ValidationError as exc:
        _validation_issues(row, raw, exc, issues)
        return None


def _validation_issues(row: Row, raw: object, exc: ValidationError, issues: Collector) -> None:
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        column = ".".join(loc) if loc else "(item)"
        value = raw.get(loc[0], "") if loc and isinstance(raw, dict) else ""
        issues.add(row, column, _flat(value)[:200], err["msg"].removeprefix("Value error, "))


def make_issue(file: str, sheet: str, row: int, column: str, value: str, expected: str, expected_zh: str) -> DataIssue:
    return DataIssue(file, row, column, value, expected, sheet, expected_zh)


def _drop_examples(table: str, rows: list[Row], skipped: list[Row]) -> list[Row]:
    """Leave out rows identical to the template's example row of ``table`` (collected in ``skipped``)."""
    from loaders.template import EXAMPLES

    example = EXAMPLES.get(table)
    if not example:
        return rows
    kept = []
    for row in rows:
        if all(row.get(col) == val for col, val in example.items()) and all(
            not row.get(col) for col in row.values if col not in example
        ):
            skipped.append(row)
        else:
            kept.append(row)
    return kept


def _table_of_file(path: PurePosixPath) -> Table | None:
    return table_of_sheet(path.name.split(".", 1)[0]) if path.suffix.lower() in (".csv", ".tsv", ".txt") else None


def _csv_rows(
    name: str, data: bytes, table: Table | None, issues: Collector, progress: Progress | None = None
) -> tuple[str, list[Row]]:
    """Decode and split one CSV file; the table comes from the name or, failing that, the header.

    ``progress(done, total, what)`` is told every 2000 rows of a large file (see :mod:`loaders.progress`).
    """
    try:
        decoded = decode_csv(data)
    except EncodingProblem as bad:
        add_encoding_problem(name, bad, guess_delimiter(bad.text), issues, table)
        return "", []
    split = CsvSplit(decoded.text, decoded.delimiter)
    header = [column_name(h) for h in split.header]
    if not header:
        if split.problem is not None:
            add_text_problem(name, split.problem, issues)
        else:
            empty = not decoded.text.strip()
            found, found_zh = ("(empty file)", "空文件") if empty else ("(no header row)", "没有表头行")
            issues.issues.append(
                DescribedIssue(name, 1, "(file)", found, "a header row naming the columns", "", "列名表头行", found_zh)
            )
        if table is not None:
            issues.refuse(Refusal(name, table.name))
        return "", []
    if table is None:
        table = _table_of_header(header)
        if table is None:
            _almost_en, _almost_zh = _almost_header(header)
            issues.at(
                name,
                split.header_line,
                "(file)",
                ",".join(header)[:200],
                "a file named after its table (e.g. firms.csv) or a header that fits one table: "
                + ", ".join(t.name for t in TABLES)
                + _almost_en,
                expected_zh="以表名命名的文件（如 firms.csv），或表头恰好符合某一张表："
                + "、".join(t.name for t in TABLES)
                + _almost_zh,
            )
            return "", []
    ticker = Ticker(progress, decoded.text.count("\n"), f"file {name}")
    records = ticker.iterate(split.records())
    rows = list(
        rows_from_cells(name, header, records, table, issues, header_line=split.header_line, ignore=IGNORED_COLUMNS)
    )
    ticker.finish()
    add_text_problem(name, split.problem, issues)
    return table.name, rows


def _almost_header(header: list[str]) -> tuple[str, str]:
    """When ``header`` is one table's header plus unknown columns, say so (English, Chinese); else ``("", "")``.

    >>> print(_almost_header(["id", "name_zh", "is_local", "sources", "统一社会信用代码"])[0])
    ; the header has every required column of firms, but also the column(s) 统一社会信用代码, which firms does \
not have (delete them, or name the file after its table, e.g. firms.csv, to have each one reported)
    """
    fits = [t for t in TABLES if set(t.required) <= _columns_in(t, header)]
    most = max((len(t.required) for t in fits), default=0)
    best = [t for t in fits if len(t.required) == most]
    if len(best) != 1:  # the table whose required columns the header holds most of, when one
        both = {"segment_id", "role"} & set(header) and {"name_zh", "district_id", "is_local"} & set(header)
        if both or any(not c.isascii() for c in header):  # a firm list: one row of two tables
            return f"; {SPLIT_ROW_HINT}", f"；{SPLIT_ROW_HINT_ZH}"
        return "", ""
    table = best[0]
    extra = [c for c in header if c and c not in table.columns and c not in IGNORED_COLUMNS]
    extra = [c for c in extra if not column_of_alias(table.name, c)]
    if not extra:
        return "", ""
    shown = ", ".join(extra)
    split, split_zh = ("", "")
    if any(not c.isascii() and tables_reading(c) for c in extra):  # a firm list of the bureau's own
        split, split_zh = f"; {SPLIT_ROW_HINT}", f"；{SPLIT_ROW_HINT_ZH}"
    return (
        f"; the header has every required column of {table.name}, but also the column(s) {shown}, which "
        f"{table.name} does not have (delete them, or name the file after its table, e.g. {table.name}.csv, "
        f"to have each one reported){split}",
        f"；表头含有 {table.name} 的全部必需列，但还有 {table.name} 没有的列 {shown}（请删除这些列；"
        f"或把文件按表名命名，如 {table.name}.csv，以逐列报告）{split_zh}",
    )


def _columns_in(table: Table, header: list[str]) -> set[str]:
    """The columns ``header`` names for ``table``: each as typed, or the column its Chinese name stands for there.

    >>> from loaders.tables import TABLES_BY_NAME
    >>> sorted(_columns_in(TABLES_BY_NAME["firms"], ["企业编号", "企业名称", "is_local", "_errors"]))
    ['id', 'is_local', 'name_zh']
    """
    out = set()
    for col in header:
        if col and col not in IGNORED_COLUMNS:
            out.add(col if col.isascii() else column_of_alias(table.name, col) or col)
    return out


def _table_of_header(header: list[str]) -> Table | None:
    fits = [t for t in TABLES if set(t.required) <= _columns_in(t, header) <= set(t.columns)]
    return fits[0] if len(fits) == 1 else None


def _too_large(name: str, size: int, limit: int) -> PayloadTooLarge:
    return PayloadTooLarge(
        f"{name} is {size} bytes; the limit is {limit} bytes / 文件过大：{size} 字节，上限 {limit} 字节"
    )


def read_input(
    name: str,
    data: bytes | None = None,
    *,
    path: Path | None = None,
    options: ImportOptions | None = None,
    progress: Progress | None = None,
) -> ImportInput:
    """Read an input to import: a file's bytes (with its name), or a path to a file or dataset folder.

    The format comes from the name's suffix (``.xlsx``/``.xlsm``, ``.csv``/``.tsv``/``.txt``,
    ``.json``, ``.zip``) or, failing that, from the first bytes.

    Raises
    ------
    PayloadTooLarge
        When the input is larger than ``options.max_bytes``.
    """
    options = options or ImportOptions()
    if path is not None and path.is_dir():
        return _read_folder(path, options, progress)
    if data is None:
        if path is None:
            raise ValueError("give data or path")
        size = path.stat().st_size
        if size > options.max_bytes:
            raise _too_large(name, size, options.max_bytes)
        data = path.read_bytes()
    if len(data) > options.max_bytes:
        raise _too_large(name, len(data), options.max_bytes)
    suffix = PurePosixPath(name).suffix.lower()
    if suffix not in (".xlsx", ".xlsm", ".csv", ".tsv", ".txt", ".json", ".zip"):
        suffix = _sniff(data)
    issues = Collector()
    if suffix in (".xlsx", ".xlsm"):
        rows = read_workbook(name, data, issues, limits=options.limits, progress=progress)
        return RowsInput(name, "xlsx", rows, issues.issues, issues.warnings, issues.refused)
    if suffix == ".json":
        return _read_json(name, data)
    if suffix == ".zip":
        return _read_zip(name, data, options, progress)
    table, found = _csv_rows(name, data, _table_of_file(PurePosixPath(name)), issues, progress)
    return RowsInput(name, "csv", {table: found} if table else {}, issues.issues, issues.warnings, issues.refused)


def _sniff(data: bytes) -> str:
    if data.startswith(b"PK"):
        return ".xlsx" if b"xl/workbook.xml" in data[:65536] or b"[Content_Types].xml" in data[:4096] else ".zip"
    if data.lstrip(b"\xef\xbb\xbf \t\r\n").startswith(b"{"):
        return ".json"
    return ".csv"


def _read_json(name: str, data: bytes) -> JsonInput:
    issues = Collector()
    expected = "a chainkg/1 JSON document as written by `chainkg export --format json`"
    expected_zh = "chainkg/1 格式的 JSON（即 `chainkg export --format json` 的输出）"
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        _json_not_utf8(name, exc, issues)
        return JsonInput(name, None, issues.issues)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        issues.at(name, exc.lineno, "(json)", f"{exc.msg} (column {exc.colno})", expected, expected_zh=expected_zh)
        return JsonInput(name, None, issues.issues)
    if (
        not isinstance(doc, dict)
        or not isinstance(doc.get("nodes", []), list)
        or not isinstance(doc.get("edges", []), list)
        or doc.get("format", "chainkg/1") != "chainkg/1"
        or not (doc.get("nodes") or doc.get("edges"))
    ):
        shown = type(doc).__name__ if not isinstance(doc, dict) else "keys " + ", ".join(map(str, doc))[:200]
        issues.at(
            name,
            1,
            "(json)",
            shown,
            expected + ' with non-empty "nodes" or "edges" lists',
            expected_zh=expected_zh + "，且 nodes 或 edges 列表非空",
        )
        return JsonInput(name, None, issues.issues)
    return JsonInput(name, doc, [])


def _json_not_utf8(name: str, exc: UnicodeDecodeError, issues: Collector) -> None:
    """Report the first bytes of a JSON file that are not UTF-8, on their line and column, with the line around them."""
    data, offset = bytes(exc.object), exc.start  # the bytes after any BOM
    line_start = data.rfind(b"\n", 0, offset) + 1
    line_end = data.find(b"\n", offset)
    text = escaped(data[line_start : line_end if line_end >= 0 else len(data)], "utf-8")
    column = len(escaped(data[line_start:offset], "utf-8")) + 1
    bad = describe_run(escaped(data[exc.start : exc.end], "utf-8"))
    bad_zh = bad.replace("bytes", "字节").replace("byte", "字节")
    verb = "are" if bad.startswith("bytes") else "is"
    issues.at(
        name,
        data.count(b"\n", 0, offset) + 1,
        "(file)",
        excerpt(text, column - 1),
        f"UTF-8 text (JSON is always UTF-8); {bad} at column {column} {verb} not UTF-8",
        expected_zh=f"UTF-8 文本（JSON 一律为 UTF-8）；第 {column} 列的{bad_zh} 不是有效的 UTF-8",
    )


def _read_zip(name: str, data: bytes, options: ImportOptions, progress: Progress | None = None) -> RowsInput:
    issues = Collector()
    try:
        archive = check_archive(data, options.limits, workbook=False)
    except WorkbookRefused as refused:
        issues.at(name, 0, "(file)", refused.value, refused.expected, expected_zh=refused.expected_zh)
        return RowsInput(name, "zip", {}, issues.issues, [])
    rows: dict[str, list[Row]] = {}
    with archive:
        for info in sorted(archive.infolist(), key=lambda i: i.filename):
            member = PurePosixPath(info.filename)
            if info.is_dir() or member.name.startswith((".", "_")):
                continue
            table = _table_of_file(member)
            if table is None:
                issues.at(
                    f"{name}/{info.filename}",
                    0,
                    "(file)",
                    info.filename,
                    "CSV files named after tables: " + ", ".join(t.name + ".csv" for t in TABLES),
                    expected_zh="以表名命名的 CSV 文件：" + "、".join(t.name + ".csv" for t in TABLES),
                )
                continue
            found_table, found = _csv_rows(f"{name}/{info.filename}", archive.read(info), table, issues, progress)
            rows.setdefault(found_table, []).extend(found)
    return RowsInput(name, "zip", rows, issues.issues, issues.warnings, issues.refused)


def _read_folder(folder: Path, options: ImportOptions, progress: Progress | None = None) -> RowsInput:
    issues = Collector()
    rows: dict[str, list[Row]] = {}
    for table in TABLES:
        for path in table_files(folder, table):
            name = str(path.relative_to(folder))
            try:
                size = path.stat().st_size
                if size > options.max_bytes:
                    raise _too_large(str(path), size, options.max_bytes)
                data = path.read_bytes()
            except OSError as exc:
                issues.at(
                    name,
                    0,
                    "(file)",
                    f"({exc.strerror or type(exc).__name__})",
                    "a readable file",
                    expected_zh="可读取的文件",
                )
                issues.refuse(Refusal(name, table.name))
                continue
            _, found = _csv_rows(name, data, table, issues, progress)
            rows.setdefault(table.name, []).extend(found)
    return RowsInput(str(folder), "folder", rows, issues.issues, issues.warnings, issues.refused)
