"""Read an Excel workbook (``.xlsx``) into table rows, refusing what would silently go wrong.

One sheet per table of :mod:`loaders.tables`, named after the table
(``firms``), its Chinese name (``企业``) or both (``firms 企业``); a table may
span several sheets (``firms.outside``). The first non-empty row is the
header; a header cell may carry a note after the column name
(``name_zh (中文名)``). Sheets whose name starts with ``_`` or ``#``, and the
template's ``说明 README`` sheet, are skipped.

Refused, each with an error naming the sheet, row and column:

* not a workbook at all (old ``.xls``, a renamed file, random bytes);
* a zip bomb: too many parts, too many bytes once unpacked, or a part that
  unpacks to more than :attr:`WorkbookLimits.max_ratio` times its size; this
  is checked from the zip directory *before* anything is unpacked, and Python's
  zip reader stops at the declared size, so a lying directory fails too;
* formulas (``=A1+1``): the import takes values, paste them as values;
* merged cells: every row must carry its own values;
* dates (Excel turns ``2022-09`` into a date): type dates as text;
* Excel error values (``#N/A``, ``#REF!``);
* an unknown sheet name with data on it, or a table sheet without a header.

Examples
--------
>>> import io
>>> from openpyxl import Workbook
>>> wb = Workbook()
>>> ws = wb.active
>>> ws.title = "districts"
>>> ws.append(["id", "name_zh", "sources"])
>>> ws.append(["wj", "武进区", "s1"])
>>> ws.append(["tn", "=A2", "s1"])
>>> buf = io.BytesIO()
>>> wb.save(buf)
>>> found = Collector()
>>> rows = read_workbook("book.xlsx", buf.getvalue(), found)
>>> [r.get("name_zh") for r in rows["districts"]][:1]
['武进区']
>>> issue = found.issues[0]
>>> issue.sheet, issue.row, issue.field, issue.value
('districts', 3, 'name_zh', '=A2')
>>> issue.expected_zh
'数值，而不是公式（请复制单元格并“粘贴为数值”）'
"""

from __future__ import annotations

import datetime as dt
import difflib
import io
import re
import zipfile
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass

from loaders.folder import SPLIT_ROW_HINT, SPLIT_ROW_HINT_ZH, Collector, Row, rows_from_cells
from loaders.refused import Refusal
from loaders.tables import TABLES, TABLES_BY_NAME, Table, column_of_alias

SHEET_ZH = {
    "sources": "来源",
    "districts": "区县",
    "clusters": "集群",
    "cluster_lists": "集群名单",
    "cluster_figures": "集群数据",
    "cluster_designations": "集群称号",
    "segments": "环节",
    "supplies": "环节供给",
    "firms": "企业",
    "operates_in": "企业环节",
    "firm_links": "企业关系",
    "tiers": "梯度称号",
    "firm_tiers": "企业称号",
    "projects": "重大项目",
    "project_links": "项目关系",
    "policies": "政策",
    "policy_instruments": "政策工具",
    "policy_targets": "政策对象",
    "platforms": "智改数转平台",
    "firm_platforms": "企业平台",
}
"""The Chinese name of each table, accepted as a sheet name."""

README_SHEETS = frozenset({"readme", "说明", "说明 readme", "readme 说明"})
IGNORED_COLUMNS = frozenset({"_errors"})
"""Columns dropped silently: ``_errors`` is written next to rejected rows."""

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"

Progress = Callable[[int, int, str], None]


@dataclass(frozen=True)
class WorkbookLimits:
    """What a workbook may hold before it is refused unread.

    Attributes
    ----------
    max_parts : int
        Parts (files) in the zip.
    max_unpacked : int
        Total bytes of all parts once unpacked.
    max_ratio : float
        Largest unpacked/packed ratio of one part, checked for parts larger than ``ratio_floor``.
    ratio_floor : int
        Parts smaller than this unpacked are never refused for their ratio.
    max_rows : int
        Data rows over all sheets.
    """

    max_parts: int = 2_000
    max_unpacked: int = 256 * 2**20
    max_ratio: float = 200.0
    ratio_floor: int = 2 * 2**20
    max_rows: int = 500_000


DEFAULT_LIMITS = WorkbookLimits()


class WorkbookRefused(ValueError):
    """The file is not a workbook we may open; ``expected``/``expected_zh`` say why."""

    def __init__(self, value: str, expected: str, expected_zh: str) -> None:
        super().__init__(f"{value}: expected {expected}")
        self.value = value
        self.expected = expected
        self.expected_zh = expected_zh


def check_archive(data: bytes, limits: WorkbookLimits = DEFAULT_LIMITS, *, workbook: bool = True) -> zipfile.ZipFile:
    """Open the zip of an ``.xlsx`` (or, with ``workbook=False``, any zip) after checking its directory.

    Raises
    ------
    WorkbookRefused
        For an old ``.xls``, a file that is not a zip or not a workbook, an
        encrypted part, or a zip bomb.
    """
    if data.startswith(OLE2_MAGIC):
        raise WorkbookRefused(
            "an Excel 97-2003 .xls or a password-protected workbook",
            "an .xlsx workbook without a password (save as .xlsx)",
            "没有密码的 .xlsx 工作簿（请另存为 .xlsx）",
        )
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WorkbookRefused(
            f"{len(data)} bytes that are not a zip archive",
            "an .xlsx workbook (a zip archive)",
            ".xlsx 工作簿（zip 压缩包）",
        ) from None
    if len(infos) > limits.max_parts:
        raise WorkbookRefused(
            f"{len(infos)} parts",
            f"at most {limits.max_parts} parts in the workbook (a zip bomb?)",
            f"工作簿内至多 {limits.max_parts} 个部件（疑似 zip 炸弹）",
        )
    total = 0
    for info in infos:
        if info.flag_bits & 0x1:
            raise WorkbookRefused(f"encrypted part {info.filename}", "a workbook without encryption", "未加密的工作簿")
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            raise WorkbookRefused(
                f"part {info.filename} unpacks {info.compress_size} bytes to {info.file_size} ({ratio:.0f}x)",
                f"at most {limits.max_ratio:.0f}x compression per part (a zip bomb?)",
                f"每个部件压缩比至多 {limits.max_ratio:.0f} 倍（疑似 zip 炸弹）",
            )
    if total > limits.max_unpacked:
        raise WorkbookRefused(
            f"{total} bytes once unpacked",
            f"at most {limits.max_unpacked} bytes unpacked (a zip bomb, or split the file)",
            f"解压后至多 {limits.max_unpacked} 字节（疑似 zip 炸弹，或请拆分文件）",
        )
    names = {info.filename for info in infos}
    if workbook and "xl/workbook.xml" not in names:
        raise WorkbookRefused(
            "a zip archive without xl/workbook.xml",
            "an .xlsx workbook (this zip is another kind of file)",
            ".xlsx 工作簿（此 zip 不是 Excel 文件）",
        )
    return archive


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\s+ref="([A-Za-z]+\d+(?::[A-Za-z]+\d+)?)"')
_CELL = re.compile(r"^([A-Za-z]+)(\d+)$")


_ROW = re.compile(rb"<(?:\w+:)?row[\s>]")


@dataclass(frozen=True)
class SheetScan:
    """What a quick pass over a sheet's XML finds: its merged ranges and how many rows it has."""

    merges: tuple[str, ...]
    rows: int


def scan_sheet(archive: zipfile.ZipFile, part: str) -> SheetScan:
    """Find the merged ranges (``A2:B3``) and count the rows of one sheet part, in chunks, without parsing."""
    found: list[str] = []
    rows = 0
    tail = b""
    with archive.open(part) as stream:
        while chunk := stream.read(1 << 20):
            block = tail + chunk
            last_end = 0
            for match in _MERGE.finditer(block):
                found.append(match.group(1).decode("ascii").upper())
                last_end = match.end()
            keep = max(last_end, len(block) - 200)
            rows += len(_ROW.findall(block, len(tail)))  # a tag split across chunks is missed: a count, not an id
            tail = block[keep:]
    return SheetScan(tuple(found), rows)


def _rows_of_range(ref: str) -> tuple[int, int, str]:
    first, _, last = ref.partition(":")
    start = _CELL.match(first)
    end = _CELL.match(last or first)
    assert start and end
    return int(start[2]), int(end[2]), start[1]


def table_of_sheet(title: str) -> Table | None:
    """The table a sheet holds, from its name; ``None`` when the name is not a table's.

    >>> table_of_sheet("企业").name, table_of_sheet("Firms.outside").name, table_of_sheet("firms 企业").name
    ('firms', 'firms', 'firms')
    >>> table_of_sheet("Sheet1") is None
    True
    """
    zh_to_table = {zh: name for name, zh in SHEET_ZH.items()}
    for token in re.split(r"[\s()（）]+", title.strip().lower()):
        base = token.split(".", 1)[0]
        if base in TABLES_BY_NAME:
            return TABLES_BY_NAME[base]
        if base in zh_to_table:
            return TABLES_BY_NAME[zh_to_table[base]]
    return None


def column_name(cell_text: str) -> str:
    """The column a header cell names: ``"Name_ZH (中文名)"`` → ``"name_zh"``.

    The ASCII name must be the whole cell or be followed by a space, a bracket, ``:`` or ``/``; otherwise the cell
    is the column's name as typed, so that a problem names a column the user can find.

    >>> column_name(" Name_ZH (中文名)"), column_name("id"), column_name("_errors"), column_name("is_local（本地）")
    ('name_zh', 'id', '_errors', 'is_local')
    >>> column_name("_统一社会信用代码"), column_name("id编号"), column_name("统一_代码")
    ('_统一社会信用代码', 'id编号', '统一_代码')
    """
    match = _COLUMN.match(cell_text)
    return match.group(1).lower() if match else cell_text.strip()


_COLUMN = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)(?=$|[\s(（\[【:：/／])")


class _CellProblem(Exception):
    def __init__(self, value: str, expected: str, expected_zh: str) -> None:
        self.value, self.expected, self.expected_zh = value, expected, expected_zh


def _number_text(value: float | int) -> str:
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() and abs(value) < 1e15 else repr(value)
    return str(value)


def cell_text(value: object, data_type: str, column: str = "") -> str:
    """The text of a cell, or :class:`_CellProblem` for formulas, dates and error values."""
    if value is None:
        return ""
    if data_type == "f":
        text = getattr(value, "text", value)
        raise _CellProblem(
            str(text),
            "a value, not a formula (copy the cells and paste them as values)",
            "数值，而不是公式（请复制单元格并“粘贴为数值”）",
        )
    if data_type == "e":
        raise _CellProblem(str(value), "a value, not an Excel error", "有效的值，而不是 Excel 错误值")
    if isinstance(value, dt.datetime | dt.date | dt.time | dt.timedelta):
        midnight = isinstance(value, dt.datetime) and value.time() == dt.time(0)
        shown = value.date().isoformat() if midnight else str(value)
        raise _CellProblem(
            shown,
            "text, not an Excel date (format the column as Text and type e.g. 2022-09-27)",
            "文本，而不是 Excel 日期（请把该列设为“文本”格式后输入，如 2022-09-27）",
        )
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        text = _number_text(value)
        if column == "date" and isinstance(value, int | float) and 10_000 <= value < 100_000:
            day = dt.date(1899, 12, 30) + dt.timedelta(days=int(value))
            raise _CellProblem(
                text,
                f"a date as text YYYY, YYYY-MM or YYYY-MM-DD, not an Excel date number ({text} is {day.isoformat()})",
                f"文本日期 YYYY、YYYY-MM 或 YYYY-MM-DD，而不是 Excel 日期序号（{text} 即 {day.isoformat()}）",
            )
        return text
    return str(value)


def _non_empty(cells: tuple[object, ...]) -> bool:
    return any(getattr(c, "value", None) not in (None, "") for c in cells)


def read_workbook(
    name: str,
    data: bytes,
    issues: Collector,
    *,
    limits: WorkbookLimits = DEFAULT_LIMITS,
    progress: Progress | None = None,
) -> dict[str, list[Row]]:
    """Read the table sheets of a workbook.

    Parameters
    ----------
    name : str
        The file's name, for messages.
    data : bytes
        The workbook's bytes.
    issues : Collector
        Every problem goes here (nothing is raised for bad content).
    limits : WorkbookLimits, optional
        Size limits, checked before unpacking.
    progress : callable, optional
        ``progress(done, total, what)`` while rows are read.

    Returns
    -------
    dict
        The rows of each table found, by table name.
    """
    try:
        archive = check_archive(data, limits)
    except WorkbookRefused as refused:
        issues.at(name, 0, "(file)", refused.value, refused.expected, expected_zh=refused.expected_zh)
        return {}
    from openpyxl import load_workbook

    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception as exc:  # openpyxl raises many kinds on malformed parts
        issues.at(
            name,
            0,
            "(file)",
            f"{type(exc).__name__}: {str(exc)[:200]}",
            "a workbook Excel can open (save it again from Excel as .xlsx)",
            expected_zh="Excel 能打开的工作簿（请在 Excel 中重新另存为 .xlsx）",
        )
        return {}
    out: dict[str, list[Row]] = {}
    budget = [limits.max_rows]
    try:
        for sheet in book.worksheets:
            title = sheet.title
            table = table_of_sheet(title)
            if title.strip().lower() in README_SHEETS or title.startswith(("_", "#")):
                continue
            part = getattr(sheet, "_worksheet_path", "")
            scan = scan_sheet(archive, part) if part and table is not None else SheetScan((), 0)
            sheet.reset_dimensions()
            lines = _sheet_lines(name, sheet, table, issues, budget, progress, scan.rows)
            header_line, header = next(lines, (0, []))
            if table is None:
                if header_line:
                    _unknown_sheet(name, title, header_line, issues, [column_name(h) for h in header])
                for _ in lines:
                    pass
                continue
            if not header_line:
                issues.at(
                    name,
                    1,
                    "(sheet)",
                    "(empty sheet)",
                    f"a header row with the columns {', '.join(table.required)}",
                    sheet=title,
                    expected_zh=f"表头行，包含列 {', '.join(table.required)}",
                )
                issues.refuse(Refusal(name, table.name, title))
                continue
            columns = [column_name(h) for h in header]
            _report_merges(name, title, scan.merges, issues, columns)
            rows = rows_from_cells(
                name,
                columns,
                lines,
                table,
                issues,
                sheet=title,
                header_line=header_line,
                ignore=IGNORED_COLUMNS,
                blank_extra_ok=True,
            )
            out.setdefault(table.name, []).extend(rows)
    except Exception as exc:  # a part that only breaks while its rows are read
        issues.at(
            name,
            0,
            "(file)",
            f"{type(exc).__name__}: {str(exc)[:200]}",
            "a workbook Excel can open (save it again from Excel as .xlsx)",
            expected_zh="Excel 能打开的工作簿（请在 Excel 中重新另存为 .xlsx）",
        )
        return {}
    finally:
        book.close()
        archive.close()
    if budget[0] < 0:
        issues.at(
            name,
            0,
            "(file)",
            f"more than {limits.max_rows} rows",
            f"at most {limits.max_rows} data rows (split the file)",
            expected_zh=f"至多 {limits.max_rows} 行数据（请拆分文件）",
        )
        return {}
    return out


def _unknown_sheet(name: str, title: str, line: int, issues: Collector, header: Sequence[str] = ()) -> None:
    """Report a sheet with data whose name is no table's, naming the table it looks like, if any.

    A sheet whose header holds the required columns of one table (Chinese names read as columns) is told to take
    that table's name; any other is told what the template holds (:data:`~loaders.folder.SPLIT_ROW_HINT`).
    """
    names = list(TABLES_BY_NAME) + list(SHEET_ZH.values())
    near = difflib.get_close_matches(title.strip().lower(), names, n=1, cutoff=0.6)
    hint = f"; is {title!r} meant to be {near[0]!r}?" if near else ""
    hint_zh = f"；{title!r} 是否应为 {near[0]!r}？" if near else ""
    fits = [
        t
        for t in TABLES
        if set(t.required) <= {column_of_alias(t.name, c) or c for c in header if c} <= {*t.columns, "_errors"}
    ]
    if not near and len(fits) == 1:
        fit = fits[0].name
        hint += f"; its header has the columns of {fit}: name the sheet {fit} or {SHEET_ZH[fit]}"
        hint_zh += f"；其表头符合 {fit} 表：请把工作表命名为 {fit} 或 {SHEET_ZH[fit]}"
    elif not near:
        hint += f" ({SPLIT_ROW_HINT})"
        hint_zh += f"（{SPLIT_ROW_HINT_ZH}）"
    issues.at(
        name,
        line,
        "(sheet)",
        title,
        "a sheet named after a table: " + ", ".join(TABLES_BY_NAME) + " (start the name with _ to skip a sheet)" + hint,
        sheet=title,
        expected_zh="以表名命名的工作表："
        + "、".join(f"{k}（{v}）" for k, v in SHEET_ZH.items())
        + "（不需导入的工作表请以 _ 开头命名）"
        + hint_zh,
    )


def _report_merges(name: str, title: str, merges: tuple[str, ...], issues: Collector, columns: list[str]) -> None:
    from openpyxl.utils import column_index_from_string

    for ref in merges:
        first, last, letters = _rows_of_range(ref)
        index = column_index_from_string(letters) - 1
        column = columns[index] if index < len(columns) and columns[index] else letters
        for line in range(first, min(last, first + 1000) + 1):
            issues.at(
                name,
                line,
                column,
                f"merged cells {ref}",
                "one value in every cell (unmerge the cells and fill each row)",
                sheet=title,
                expected_zh="每个单元格各有其值（请取消合并并逐行填写）",
            )


def _sheet_lines(
    name: str,
    sheet: object,
    table: Table | None,
    issues: Collector,
    budget: list[int],
    progress: Progress | None,
    estimate: int,
) -> Iterator[tuple[int, list[str]]]:
    """Yield the header ``(line, cells)`` first, then each data row, as text."""
    header: list[str] | None = None
    title = sheet.title  # type: ignore[attr-defined]
    line = 0
    for line, cells in enumerate(sheet.iter_rows(), start=1):  # type: ignore[attr-defined]
        if not cells or not _non_empty(cells):
            continue
        texts: list[str] = []
        for index, cell in enumerate(cells):
            column = header[index] if header is not None and index < len(header) else ""
            try:
                texts.append(cell_text(cell.value, getattr(cell, "data_type", "n"), column))
            except _CellProblem as bad:
                if table is not None:
                    issues.at(
                        name,
                        line,
                        column or _letter(index),
                        bad.value,
                        bad.expected,
                        sheet=sheet.title,  # type: ignore[attr-defined]
                        expected_zh=bad.expected_zh,
                    )
                texts.append(bad.value)
        if header is None:
            header = [column_name(t) for t in texts]
            if table is not None:  # a Chinese column name, for the cells' checks (a date under 日期)
                header = [c if c.isascii() else column_of_alias(table.name, c) or c for c in header]
        else:
            budget[0] -= 1
            if budget[0] < 0:
                return
            if progress and line % 2000 == 0:
                progress(min(line, estimate), max(estimate, line + 1), f"sheet {title}")
        yield line, texts
    if progress and line >= 2000:
        progress(line, line, f"sheet {title}")


def _letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)
