"""Read a dataset folder of CSV tables into a validated :class:`~graph.dataset.Dataset`.

Every problem is collected, then reported together in one
:class:`~graph.errors.DataValidationError`; each names the file, row, field,
bad value and what was expected.

Examples
--------
>>> import pathlib, tempfile
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "sources.csv").write_text("id,title,date,doc_no\\ns1,示例,2022,X-1\\n", encoding="utf-8")
>>> _ = (d / "clusters.csv").write_text("id,name_zh,sources\\nnev,新能源汽车,s1\\n", encoding="utf-8")
>>> ds = load_folder(d)
>>> ds.nodes["nev"].name_zh
'新能源汽车'
>>> _ = (d / "segments.csv").write_text(
...     "id,cluster_id,name_zh,position,sources\\ncell,nev,电芯,middle,s1\\n", encoding="utf-8")
>>> try:
...     load_folder(d)
... except DataValidationError as err:
...     print(err.issues[0])
segments.csv, row 2, field 'position': got 'middle'; expected one of upstream, midstream, downstream, support
"""

from __future__ import annotations

import datetime as dt
import difflib
import logging
import math
import re
import unicodedata
from collections.abc import Callable, Container, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import Enum
from functools import cache
from pathlib import Path
from typing import Literal, get_args, get_origin

from pydantic import BaseModel, ValidationError
from pydantic.fields import FieldInfo

from graph.bulk import paused_gc
from graph.dataset import Dataset
from graph.errors import DataIssue, DataValidationError
from graph.model import (
    EDGE_ENDPOINTS,
    ID_PATTERN,
    Cluster,
    Confidence,
    Designation,
    District,
    Edge,
    EdgeKind,
    Figure,
    Firm,
    Instrument,
    Listing,
    NodeKind,
    Platform,
    Policy,
    Position,
    Project,
    Role,
    Segment,
    Source,
    Tier,
)
from loaders.csv_encoding import Decoded, EncodingProblem, decode_csv, guess_delimiter
from loaders.csv_text import CsvSplit, TextProblem, locate_chars
from loaders.layers import LAYER_EDGE_COLUMNS, LAYER_FILES
from loaders.messages import zh
from loaders.refused import NODE_TABLES, NodeRowIssue, Refusal, refusal_of_rows, refusal_of_text, validation_error
from loaders.tables import ROLE_WORDS, TABLES, TABLES_BY_NAME, Table, column_of_alias, tables_reading

TRUE = {"true", "yes", "1", "y", "是"}
FALSE = {"false", "no", "0", "n", "否"}

log = logging.getLogger("chainkg.loaders")
"""Where notes that are not errors go, such as the encoding of a CSV file that is not UTF-8."""


@dataclass
class Row:
    """One data row with where it came from.

    ``file`` is the file's name, ``line`` its 1-based line (or sheet row),
    ``sheet`` the sheet of a workbook (empty for CSV) and ``table`` the table
    of :mod:`loaders.tables` the row belongs to.
    """

    file: str
    line: int
    values: dict[str, str]
    sheet: str = ""
    table: str = ""

    @property
    def key(self) -> tuple[str, str, int]:
        """Where the row is: ``(file, sheet, line)``."""
        return (self.file, self.sheet, self.line)

    def get(self, column: str) -> str:
        value = self.values.get(column)
        return value.strip() if value else ""

    def split(self, column: str) -> tuple[str, ...]:
        raw = self.get(column)
        if "|" not in raw:  # the common case: one value or none
            return (raw,) if raw else ()
        return tuple(v.strip() for v in raw.split("|") if v.strip())


class Collector:
    """Collects every issue found, each in English and Chinese.

    Attributes
    ----------
    issues : list of DataIssue
        Every problem, in the order found.
    references : dict
        The problems with an id that names no node, each with the kind of node it was to name
        (a file refused whole may have held it: see :mod:`loaders.refused`).
    refused : list of Refusal
        The files (or sheets) of nodes refused whole.
    cells : dict
        The fields with a problem, by row (:attr:`Row.key`): a row's further checks skip them,
        so that each cell is reported once while every bad cell of the row is.
    rows : dict
        The rows with a problem, by :attr:`Row.key`.
    warnings : list of str
        Notes that are not problems, each in English and Chinese: the Chinese column names read
        as columns, the names whose spaces were made plain (see :func:`rows_from_cells`).
    """

    def __init__(self) -> None:
        self.issues: list[DataIssue] = []
        self.warnings: list[str] = []
        self.references: dict[DataIssue, str] = {}
        self.refused: list[Refusal] = []
        self.cells: dict[tuple[str, str, int], set[str]] = {}
        self.rows: dict[tuple[str, str, int], Row] = {}
        self.respaced = 0

    def add(self, row: Row, field: str, value: object, expected: str, expected_zh: str = "") -> None:
        """Record a problem with one cell of ``row``; on a row of a node table, with the node it defines."""
        args = (row.file, row.line, field, str(value), expected, row.sheet, expected_zh or zh(expected))
        self.cells.setdefault(row.key, set()).add(field)
        self.rows.setdefault(row.key, row)
        kind = NODE_TABLES.get(row.table, "")
        if kind:
            self.issues.append(NodeRowIssue(*args, node_kind=kind, node_id=row.get("id"), node_name=row.get("name_zh")))
        else:
            self.issues.append(DataIssue(*args))

    def at(
        self, file: str, line: int, field: str, value: object, expected: str, *, sheet: str = "", expected_zh: str = ""
    ) -> None:
        """Record a problem not tied to a data row (a header, a sheet, a whole file)."""
        self.issues.append(DataIssue(file, line, field, str(value), expected, sheet, expected_zh or zh(expected)))

    def unknown_id(
        self, row: Row, column: str, value: str, expected: str, expected_zh: str = "", *, kind: str = ""
    ) -> None:
        """Record an id that names no node; in a list cell, a separator other than ``|`` gets a hint.

        ``kind`` is the kind of node the id was to name, when it names no node at all (not one
        of another kind): a file of that kind refused whole may explain it.
        """
        hint, hint_zh = separator_hint(value) if column in LIST_COLUMNS else ("", "")
        self.add(row, column, value, expected + hint, (expected_zh or zh(expected)) + hint_zh)
        if kind:
            self.references[self.issues[-1]] = kind

    def refuse(self, refusal: Refusal) -> None:
        """Note a file refused whole (its problem is already recorded), if its rows are nodes."""
        if refusal.kind:
            self.refused.append(refusal)


NAME_COLUMNS = frozenset({"name_zh", "name_en", "aliases", "title", "title_en", "name_as_published"})
"""The columns that hold names: spaces other than the ASCII space inside them are made plain (:func:`plain_name`)."""

_SPACES = "\u00a0\u1680\u2000-\u200a\u202f\u205f\u3000"
_ODD_SPACE = re.compile(f"[{_SPACES}]")
"""The Unicode spaces (category Zs) other than the ASCII one: the full-width U+3000, the no-break U+00A0..."""
_SPACE_RUN = re.compile(f"[ {_SPACES}]*[{_SPACES}][ {_SPACES}]*")
MAX_SPACE_NOTES = 10
"""Names whose spaces were made plain that the import lists one by one; the rest are counted."""


def _wide(char: str) -> bool:
    return unicodedata.east_asian_width(char) in ("W", "F")


def plain_name(text: str) -> str:
    r"""``text`` with each run of spaces holding a Unicode space other than the ASCII one (U+3000...) made plain.

    Between two Chinese (wide) characters the run is removed, as the names in the data have no space
    there; elsewhere it becomes one ASCII space. ASCII spaces alone are kept as typed, and so are tabs,
    line breaks and zero-width characters (a name may hold them on purpose; they round-trip).
    Names are compared without any spaces anyway (:func:`loaders.resolve.strict_key`); this is about
    what is stored and shown.

    >>> plain_name("常州\u3000博耀电子有限公司"), plain_name("A\u200bB")
    ('常州博耀电子有限公司', 'A\u200bB')
    >>> plain_name("Changzhou\u00a0\u00a0Sinotech Co."), plain_name("瑞声 \u3000Sinotech"), plain_name("常州 博耀")
    ('Changzhou Sinotech Co.', '瑞声 Sinotech', '常州 博耀')
    """

    def replace(match: re.Match[str]) -> str:
        before = text[match.start() - 1] if match.start() else ""
        after = text[match.end()] if match.end() < len(text) else ""
        if not before or not after or (_wide(before) and _wide(after)):
            return ""
        return " "

    return _SPACE_RUN.sub(replace, text)


def shown_spaces(text: str) -> str:
    r"""``text`` quoted, with each space other than the ASCII one written as its code (``\u3000``), so it can be seen.

    >>> print(shown_spaces("常州\u3000博耀"))
    '常州\u3000博耀'
    """
    return "'" + _ODD_SPACE.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text).replace("'", "\\'") + "'"


def plain_spaces(row: Row, column: str, issues: Collector) -> None:
    r"""Make the spaces inside the name in ``column`` of ``row`` plain (:func:`plain_name`), with a warning.

    Leading and trailing spaces of every cell are dropped without a word, as before (:meth:`Row.get`).

    >>> found = Collector()
    >>> row = Row("firms.csv", 4, {"name_zh": "常州\u3000博耀电子有限公司 "}, table="firms")
    >>> plain_spaces(row, "name_zh", found)
    >>> row.get("name_zh")
    '常州博耀电子有限公司'
    >>> print(found.warnings[0].split(" (")[0])
    firms.csv, row 4, field 'name_zh': '常州\u3000博耀电子有限公司' read as '常州博耀电子有限公司'
    """
    value = row.values.get(column)
    if not value or value.isascii():
        return
    text = value.strip()
    if not _ODD_SPACE.search(text):
        return
    plain = plain_name(text)
    row.values[column] = plain
    issues.respaced += 1
    if issues.respaced > MAX_SPACE_NOTES:
        if issues.respaced == MAX_SPACE_NOTES + 1:
            issues.warnings.append(
                "more names had spaces other than the ASCII one made plain as above (only the first "
                f"{MAX_SPACE_NOTES} are listed) / 另有更多名称中的特殊空白已按上述方式处理"
                f"（只列出前 {MAX_SPACE_NOTES} 个）"
            )
        return
    chars = ", ".join(dict.fromkeys(f"U+{ord(c):04X}" for c in _ODD_SPACE.findall(text)))
    sheet_zh = f"（工作表 {row.sheet}）" if row.sheet else ""
    where, where_zh = _place(row), f"{row.file}{sheet_zh}，第 {row.line} 行"
    before, after = shown_spaces(text), repr(plain)
    issues.warnings.append(
        f"{where}, field {column!r}: {before} read as {after} (a space other than the ASCII one inside a name, "
        f"here {chars}, is removed between Chinese characters and made an ASCII space elsewhere) "
        f"/ {where_zh}，列 {column!r}：{before} 已读作 {after}（名称中的全角空格等特殊空白（此处为 {chars}）："
        "汉字之间删除，其他位置改为半角空格）"
    )


LIST_COLUMNS = frozenset({"sources", "district_sources", "scope"})
"""The columns that hold a list of ids, separated by ``|``."""

SEPARATOR_LOOKALIKES = "｜、，,；;"
"""Characters people put between the values of a list cell instead of ``|``; no id can hold them."""


def separator_hint(value: str) -> tuple[str, str]:
    """A hint, in English and Chinese, for an id that holds a separator other than ``|``; ``("", "")`` if none.

    >>> separator_hint("s1｜s2")[0]
    " (use | (ASCII) between values, not '｜')"
    >>> separator_hint("s1")
    ('', '')
    """
    found = next((char for char in value if char in SEPARATOR_LOOKALIKES), "")
    if not found:
        return "", ""
    return (
        f" (use | (ASCII) between values, not {found!r})",
        f"（多个值之间请用半角竖线 |，而不是 {found!r}）",
    )


def table_files(folder: Path, table: Table) -> list[Path]:
    """Return the files holding ``table`` in ``folder``: ``NAME.csv`` then ``NAME.*.csv``."""
    files = [folder / f"{table.name}.csv"] if (folder / f"{table.name}.csv").exists() else []
    files += sorted(folder.glob(f"{table.name}.*.csv"))
    return files


def rows_from_cells(
    name: str,
    header: Sequence[str],
    lines: Iterable[tuple[int, Sequence[str]]],
    table: Table,
    issues: Collector,
    *,
    sheet: str = "",
    header_line: int = 1,
    ignore: frozenset[str] = frozenset(),
    blank_extra_ok: bool = False,
) -> Iterator[Row]:
    """Check a header against ``table`` and yield the non-empty rows under it.

    Parameters
    ----------
    name : str
        The file's name, for messages.
    header : sequence of str
        The column names as read (stripped here).
    lines : iterable of (int, sequence of str)
        Each data row's 1-based line (or sheet row) and its cells.
    table : Table
        The table the rows belong to.
    issues : Collector
        Where problems go.
    sheet : str, optional
        The sheet name, for workbooks.
    header_line : int, optional
        The line of the header, for messages.
    ignore : frozenset of str, optional
        Columns to drop silently (e.g. ``_errors`` in a file of rejected rows).
    blank_extra_ok : bool, optional
        Accept empty cells beyond the header (workbooks have them); CSV rows
        with more cells than the header are always an error.

    Examples
    --------
    >>> from loaders.tables import TABLES_BY_NAME
    >>> found = Collector()
    >>> rows = list(rows_from_cells("d.csv", ["id", "name_zh", "sources"], [(2, ["wj", "武进区", "s1"])],
    ...                             TABLES_BY_NAME["districts"], found))
    >>> rows[0].get("name_zh"), rows[0].table, found.issues
    ('武进区', 'districts', [])
    """
    typed = [h.strip() for h in header]
    named_width = len(typed)  # blank cells under blank trailing header cells are fine
    while typed and not typed[-1]:
        typed.pop()
    header = read_header(name, typed, table, issues, sheet=sheet)
    if not _header_ok(name, header, table, issues, sheet=sheet, line=header_line, ignore=ignore, typed=typed):
        _refuse_rows(name, header, lines, table, issues, sheet=sheet)
        return
    names = [col for col in header if col in NAME_COLUMNS]
    width = len(header)
    plain = not (ignore & set(header)) and len(set(header)) == width  # a full row is then dict(zip(header, cells))
    for line_no, cells in lines:
        if len(cells) > width:
            extra = list(cells[width:])
            if (not blank_extra_ok and len(cells) > named_width) or any(c.strip() for c in extra):
                _too_many_cells(name, line_no, "|".join(extra), width, issues, sheet=sheet, csv=not blank_extra_ok)
                continue
        if plain and len(cells) >= width:
            values = dict(zip(header, cells, strict=False))  # cells past the header are blank here
        else:
            values = {col: (cells[i] if i < len(cells) else "") for i, col in enumerate(header) if col not in ignore}
        if not "".join(values.values()).strip():  # a blank row
            continue
        row = Row(name, line_no, values, sheet, table.name)
        for col in names:
            plain_spaces(row, col, issues)
        yield row


def read_header(name: str, typed: list[str], table: Table, issues: Collector, *, sheet: str = "") -> list[str]:
    """The columns a header names: each cell as typed, or the column a Chinese name stands for.

    The Chinese names are those of :data:`~loaders.tables.COLUMN_ALIASES` (``企业名称`` is
    ``name_zh`` in ``firms``); a warning on ``issues`` says which were read as which column.

    >>> found = Collector()
    >>> read_header("企业.csv", ["企业编号", "企业名称", "是否本地", "来源", "统一社会信用代码"],
    ...             TABLES_BY_NAME["firms"], found)
    ['id', 'name_zh', 'is_local', 'sources', '统一社会信用代码']
    >>> print(found.warnings[0].split(" / ")[0])
    企业.csv: read the Chinese column names as columns: 企业编号 → id, 企业名称 → name_zh, 是否本地 → is_local, \
来源 → sources
    """
    header = list(typed)
    read: list[str] = []
    for index, cell in enumerate(typed):
        if not cell or cell.isascii() or cell in table.columns:
            continue
        column = column_of_alias(table.name, cell)
        if column:
            header[index] = column
            read.append(f"{cell} → {column}")
    if read:
        where = f"{name} [sheet {sheet}]" if sheet else name
        where_zh = f"{name}（工作表 {sheet}）" if sheet else name
        issues.warnings.append(
            f"{where}: read the Chinese column names as columns: {', '.join(read)} "
            f"/ {where_zh}：已把中文列名读作：{'，'.join(read)}"
        )
    return header


def _header_ok(
    name: str,
    header: list[str],
    table: Table,
    issues: Collector,
    *,
    sheet: str,
    line: int,
    ignore: frozenset[str],
    typed: Sequence[str] = (),
) -> bool:
    """Check a header: every required column, each column once, no unnamed column; unknown columns are reported.

    ``typed`` is the header as typed, when Chinese names were read as columns (:func:`read_header`).
    Returns whether the rows under it can be read (an unknown column alone does not stop them).
    """
    typed = list(typed) or header
    unknown = [col for col in header if col and col not in table.columns and col not in ignore]
    missing = [c for c in table.required if c not in header]
    if missing:
        expected = f"columns {', '.join(table.required)}"
        hints = _lookalikes(unknown, missing)
        if hints:
            expected_zh = zh(expected) + "（" + "；".join(_lookalike_zh(a, b) for a, b in hints) + "）"
            expected += " (" + "; ".join(_lookalike_en(a, b) for a, b in hints) + ")"
        else:
            expected_zh = zh(expected)
        if any(not col.isascii() for col in typed) or _other_table_columns(table, unknown):
            more, more_zh = _template_hint(table, unknown)
            expected += more
            expected_zh += more_zh
        issues.at(name, line, ",".join(missing), ",".join(typed), expected, sheet=sheet, expected_zh=expected_zh)
        return False
    for col in unknown:
        expected = f"one of the columns {', '.join(table.columns)}"
        hints = _lookalikes([col], [c for c in table.columns if c not in header])
        expected_zh = zh(expected) + "".join(f"（{_lookalike_zh(a, b)}）" for a, b in hints)
        expected += "".join(f" ({_lookalike_en(a, b)})" for a, b in hints)
        expected += f" ({UNKNOWN_COLUMN_FIX})"
        expected_zh += f"（{UNKNOWN_COLUMN_FIX_ZH}）"
        if not col.isascii() or _other_table_columns(table, [col]):
            more, more_zh = _template_hint(table, [col])
            expected += more
            expected_zh += more_zh
        issues.at(name, line, col, col, expected, sheet=sheet, expected_zh=expected_zh)
    ok = True
    for index, col in enumerate(header):
        first = header.index(col)
        if col and first < index and col not in ignore:
            expected = f"each column once ({col!r} is also column {first + 1}; its cells would overwrite each other)"
            expected_zh = f"每列只出现一次（{col!r} 也是第 {first + 1} 列，两列的值会互相覆盖）"
            if typed[first] != typed[index]:  # two Chinese names of one column
                expected = (
                    f"each column once ({typed[first]!r}, column {first + 1}, and {typed[index]!r} are both read as "
                    f"{col!r}; their cells would overwrite each other: delete one)"
                )
                expected_zh = (
                    f"每列只出现一次（第 {first + 1} 列 {typed[first]!r} 与 {typed[index]!r} 都读作 {col!r}，"
                    "两列的值会互相覆盖：请删除其中一列）"
                )
            issues.at(name, line, col, typed[index], expected, sheet=sheet, expected_zh=expected_zh)
            ok = False
        elif not col:
            issues.at(
                name,
                line,
                "(header)",
                "(a blank column name)",
                f"a name for column {index + 1} (or delete that column)",
                sheet=sheet,
                expected_zh=f"第 {index + 1} 列的列名（或删除该列）",
            )
            ok = False
    return ok


def _refuse_rows(
    name: str,
    header: list[str],
    lines: Iterable[tuple[int, Sequence[str]]],
    table: Table,
    issues: Collector,
    *,
    sheet: str,
) -> None:
    """Note the rows under a refused header as refused, with the ids they hold.

    Problems found while the rows are read for their ids (a formula in a workbook cell) are
    left out: the whole file or sheet is refused already.
    """
    found = len(issues.issues)
    issues.refuse(refusal_of_rows(name, table.name, header, lines, sheet=sheet))
    del issues.issues[found:]


UNKNOWN_COLUMN_FIX = (
    "delete the column, or rename it to one of these; a column the importer does not know blocks the whole "
    "import, even with --skip-invalid"
)
UNKNOWN_COLUMN_FIX_ZH = "请删除该列，或把它改名为以上某一列；导入程序不认识的列会阻止整个导入，加 --skip-invalid 也一样"

SPLIT_ROW_HINT = (
    "one sheet (or file) per table, see `chainkg template`, whose column notes list the Chinese column names "
    "read: one row of a firm list with its segment and role becomes a row of firms (id, name_zh, is_local, "
    "district_id, sources) and a row of operates_in (firm_id, segment_id, role, sources)"
)
SPLIT_ROW_HINT_ZH = (
    "每张表一个工作表（或文件），见 `chainkg template`，其列名说明列出可用的中文列名："
    "企业名单中的一行（企业 + 环节 + 角色）"
    "要分成 firms（企业）表的一行（id、name_zh、is_local、district_id、sources）和 operates_in（企业环节）表的一行"
    "（firm_id、segment_id、role、sources）"
)
"""What a header with a column of another table, or an unknown Chinese column, is told."""


def _other_table_columns(table: Table, unknown: Sequence[str]) -> list[tuple[str, str, str]]:
    """``(typed, table, column)`` for each unknown column that is a column of another table, by name or Chinese name.

    >>> _other_table_columns(TABLES_BY_NAME["firms"], ["所属环节", "role", "统一社会信用代码"])
    [('所属环节', 'operates_in', 'segment_id'), ('role', 'operates_in', 'role')]
    """
    out = []
    for col in unknown:
        if col.isascii():
            pair = (TABLES_BY_NAME["firms"], TABLES_BY_NAME["operates_in"])
            found = [(t.name, col) for t in pair if col in t.columns]
        else:
            found = tables_reading(col)
        found = [(name, column) for name, column in found if name != table.name]
        if found:
            out.append((col, *found[0]))
    return out


def _template_hint(table: Table, unknown: Sequence[str]) -> tuple[str, str]:
    """The hint for a header with Chinese or misplaced columns: where they belong, and :data:`SPLIT_ROW_HINT`.

    >>> print(_template_hint(TABLES_BY_NAME["firms"], ["所属环节"])[0])
     ('所属环节' is the column segment_id of operates_in; one sheet (or file) per table, see `chainkg template`, \
whose column notes list the Chinese column names read: one row of a firm list with its segment and role becomes \
a row of firms (id, name_zh, is_local, district_id, sources) and a row of operates_in (firm_id, segment_id, role, \
sources))
    """
    elsewhere = _other_table_columns(table, unknown)
    where = "".join(f"{typed!r} is the column {column} of {other}; " for typed, other, column in elsewhere)
    where_zh = "".join(f"{typed!r} 是 {other} 表的列 {column}；" for typed, other, column in elsewhere)
    return f" ({where}{SPLIT_ROW_HINT})", f"（{where_zh}{SPLIT_ROW_HINT_ZH}）"


def _lookalikes(found: Sequence[str], wanted: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs ``(found, wanted)`` of column names that look like a typo of one another.

    Full-width letters (``ｉｄ``) are compared as the ASCII they stand for (NFKC).

    >>> _lookalikes(["islocal", "phone", "ｉｄ"], ["is_local", "sources", "id"])
    [('islocal', 'is_local'), ('ｉｄ', 'id')]
    """
    pairs = []
    for col in found:
        near = difflib.get_close_matches(_nfkc(col), wanted, n=1, cutoff=0.75)
        if near:
            pairs.append((col, near[0]))
    return pairs


def _nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text).strip().lower()


def _lookalike_en(found: str, wanted: str) -> str:
    """``is 'islocal' meant to be 'is_local'?``, or, for a column typed in full-width letters, says so.

    >>> _lookalike_en("ｉｄ", "id")
    "'ｉｄ' is typed in full-width letters: type 'id' in half-width (ASCII) letters"
    """
    if _nfkc(found) == wanted and found.strip().lower() != wanted:
        return f"{found!r} is typed in full-width letters: type {wanted!r} in half-width (ASCII) letters"
    return f"is {found!r} meant to be {wanted!r}?"


def _lookalike_zh(found: str, wanted: str) -> str:
    if _nfkc(found) == wanted and found.strip().lower() != wanted:
        return f"{found!r} 是全角字母：请用半角（ASCII）字母输入 {wanted!r}"
    return f"{found!r} 应为 {wanted!r}？"


def _too_many_cells(name: str, line: int, extra: str, width: int, issues: Collector, *, sheet: str, csv: bool) -> None:
    """Report a row with more cells than its header (in a CSV file, usually a comma in an unquoted cell)."""
    expected, expected_zh = f"at most {width} cells", zh(f"at most {width} cells")
    if csv:
        expected += ' (a cell holding a comma, such as 1,300, must be in quotes: "1,300", or written 1300)'
        expected_zh += '（含逗号的单元格须加引号，如 "1,300"；数字请写作 1300）'
    issues.at(name, line, "(row)", extra, expected, sheet=sheet, expected_zh=expected_zh)


def read_rows(folder: Path, table: Table, issues: Collector) -> Iterator[Row]:
    """Yield the rows of one table, checking encoding, CSV syntax and columns."""
    for path in table_files(folder, table):
        name = str(path.relative_to(folder))
        decoded = read_decoded(name, path, issues, table)
        if decoded is None:
            continue
        text = decoded.text
        split = CsvSplit(text, decoded.delimiter)
        if not split.header_line:
            found = "(empty file)" if not text.strip() else "(no header row)"
            if split.problem is None:
                issues.at(name, 1, "(file)", found, f"a header row with the columns {', '.join(table.required)}")
            add_text_problem(name, split.problem, issues)
            issues.refuse(Refusal(name, table.name))
            continue
        yield from rows_from_cells(name, split.header, split.records(), table, issues, header_line=split.header_line)
        add_text_problem(name, split.problem, issues)


def read_decoded(name: str, path: Path, issues: Collector, table: Table) -> Decoded | None:
    """The text of a CSV file in any encoding :func:`~loaders.csv_encoding.decode_csv` detects, as the import reads it.

    A file that is not UTF-8 is named with its encoding on the ``chainkg.loaders``
    log (``chainkg load`` shows it). ``None``, with the problem recorded and the
    file noted as refused, when the file cannot be read or is not text in a
    supported encoding.
    """
    try:
        data = path.read_bytes()
    except OSError as exc:
        found = f"({exc.strerror or type(exc).__name__})"
        issues.at(name, 0, "(file)", found, "a readable file", expected_zh="可读取的文件")
        issues.refuse(Refusal(name, table.name))
        return None
    try:
        decoded = decode_csv(data)
    except EncodingProblem as bad:
        add_encoding_problem(name, bad, guess_delimiter(bad.text), issues, table)
        return None
    if not decoded.is_utf8:
        log.warning("%s", encoding_note(name, decoded))
    return decoded


def encoding_note(name: str, decoded: Decoded) -> str:
    """Say which encoding a file that is not UTF-8 was read in, in English and Chinese.

    >>> note = encoding_note("firms.csv", decode_csv("id,name_zh\\nwj,武进区\\n".encode("gbk")))
    >>> note.split(" / ")[0]
    'firms.csv: not UTF-8; read as GB18030/GBK (Excel "CSV" on Chinese Windows)'
    """
    tab, tab_zh = (", tab-separated", "，以制表符分隔") if decoded.delimiter == "\t" else ("", "")
    return (
        f"{name}: not UTF-8; read as {decoded.label}{tab} / {name} 不是 UTF-8 编码，已按 {decoded.label_zh}读取{tab_zh}"
    )


def add_encoding_problem(
    name: str, problem: EncodingProblem, delimiter: str, issues: Collector, table: Table | None = None
) -> None:
    """Record ``problem`` on the row and column of the first bad byte or character, naming it.

    Falls back to the whole file (row 1) when the text could not be recovered. With ``table``,
    the file is noted as refused, with the ids it holds as far as its text can be read.
    """
    if table is not None:
        issues.refuse(refusal_of_text(name, table.name, problem.text, delimiter, problem.pattern))
    if not problem.text:
        issues.at(name, 1, "(file)", problem.where, problem.expected, expected_zh=problem.expected_zh)
        return
    where = locate_chars(problem.text, delimiter, problem.pattern)
    expected, expected_zh = problem.explain(where.run)
    if where.cells > 1:
        expected += f" ({where.cells - 1} more cells in this file are alike)"
        expected_zh += f"（本文件另有 {where.cells - 1} 个单元格同样如此）"
    issues.at(name, where.line, where.field, where.value, expected, expected_zh=expected_zh)


def add_text_problem(name: str, problem: TextProblem | None, issues: Collector) -> None:
    """Record a CSV syntax problem (a quote left open, a cell too long), if any."""
    if problem is not None:
        issues.at(name, problem.line, problem.field, problem.value, problem.expected, expected_zh=problem.expected_zh)


def _enum(row: Row, column: str, enum: type[Enum], issues: Collector, default: object = None) -> object:
    raw = row.get(column)
    if not raw and default is not None:
        return default
    member = _members(enum).get(raw)
    if member is None:
        issues.add(row, column, raw, "one of " + ", ".join(e.value for e in enum))
    return member


def _role(row: Row, issues: Collector) -> object:
    """``row``'s role: an id (``major``) or a Chinese label of :data:`~loaders.tables.ROLE_WORDS` (``骨干``)."""
    raw = row.get("role")
    if raw in ROLE_WORDS:
        return Role(ROLE_WORDS[raw])
    role = _members(Role).get(raw)
    if role is None:
        words = "、".join(f"{word} ({role_id})" for word, role_id in ROLE_WORDS.items())
        issues.add(row, "role", raw, "one of anchor, major, member, or " + words)
    return role


@cache
def _members(enum: type[Enum]) -> dict[object, Enum]:
    """``enum``'s members by value: a dict look-up, where ``enum(raw)`` runs the enum machinery for every cell."""
    return {member.value: member for member in enum}


YEARS = range(1900, 2101)
"""The years a ``year`` or ``list_year`` cell may hold (the models narrow some of them further)."""

_WHOLE = re.compile(r"[+-]?[0-9]+", re.ASCII)
_DECIMAL = re.compile(r"[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?", re.ASCII)
_GROUPED = re.compile(r"[+-]?[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?", re.ASCII)
_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)

NUMBER = "a number, e.g. 1300 or 0.94"


def _ascii_digits(raw: str) -> str:
    """``raw`` with full-width digits, signs and points made ASCII (NFKC): ``１３００`` → ``1300``."""
    return unicodedata.normalize("NFKC", raw) if not raw.isascii() else raw


def _number_problem(raw: str, whole: bool) -> tuple[str, str]:
    """What a number cell should hold, in English and Chinese, given the bad ``raw`` text."""
    if _GROUPED.fullmatch(_ascii_digits(raw)):
        plain = _ascii_digits(raw).replace(",", "")
        kind, kind_zh = ("a whole number", "整数") if whole else ("a number", "数字")
        return (
            f"{kind} without thousands separators, e.g. {plain} (not {raw})",
            f"{kind_zh}，不带千位分隔符，如 {plain}（而不是 {raw}）",
        )
    return ("a whole number", "整数") if whole else (NUMBER, "数字，如 1300 或 0.94")


def parse_number(raw: str) -> float | None:
    """The finite number ``raw`` spells (full-width digits allowed), else ``None``.

    >>> parse_number("１３００"), parse_number("0.94"), parse_number("1,300"), parse_number("nan"), parse_number("1_3")
    (1300.0, 0.94, None, None, None)
    """
    text = _ascii_digits(raw)
    if not _DECIMAL.fullmatch(text):
        return None
    value = float(text)
    return value if math.isfinite(value) else None


def number_cell(row: Row, column: str, issues: Collector) -> tuple[bool, float | None]:
    """``(ok, value)`` of an optional number cell; a bad number is reported."""
    raw = row.get(column)
    if not raw:
        return True, None
    value = parse_number(raw)
    if value is None:
        expected, expected_zh = _number_problem(raw, whole=False)
        issues.add(row, column, raw, expected, expected_zh)
        return False, None
    return True, value


def _int(row: Row, column: str, issues: Collector, *, required: bool) -> int | None:
    """The whole number in ``column`` (full-width digits allowed); a year must lie in :data:`YEARS`."""
    raw = row.get(column)
    if not raw:
        if required:
            issues.add(row, column, raw, "a whole number")
        return None
    text = _ascii_digits(raw)
    if not _WHOLE.fullmatch(text):
        expected, expected_zh = _number_problem(raw, whole=True)
        issues.add(row, column, raw, expected, expected_zh)
        return None
    value = int(text)
    if column in ("year", "list_year") and value not in YEARS:
        issues.add(
            row,
            column,
            raw,
            f"a year from {YEARS.start} to {YEARS.stop - 1}",
            f"{YEARS.start} 至 {YEARS.stop - 1} 之间的年份",
        )
        return None
    return value


def date_cell(row: Row, column: str, issues: Collector) -> str:
    """The date in ``column``: YYYY, YYYY-MM or YYYY-MM-DD that exists (full-width digits allowed).

    A bad date is reported and ``""`` returned, so that the row's other problems are still found.
    """
    raw = row.get(column)
    text = _ascii_digits(raw).replace("\u2010", "-").replace("\u2212", "-")
    match = _DATE.fullmatch(text)
    if not raw or (match and _real_date(match)):
        return text
    iso = iso_date(text)
    hint, hint_zh = (f"; did you mean {iso}?", f"；是否为 {iso}？") if iso else ("", "")
    issues.add(
        row,
        column,
        raw,
        "a date YYYY, YYYY-MM or YYYY-MM-DD that exists (month 01-12, day within the month)" + hint,
        "存在的日期：YYYY、YYYY-MM 或 YYYY-MM-DD（月份 01-12，日在当月之内）" + hint_zh,
    )
    return ""


_LOOSE_DATE = re.compile(
    r"([0-9]{4})\s*(?:[年./\-]\s*([0-9]{1,2})\s*(?:月\s*|[./\-]\s*)?(?:([0-9]{1,2})\s*[日号]?)?)?\s*年?",
    re.ASCII,
)


def iso_date(text: str) -> str:
    """The ISO form of a date written another way (``2023年5月``, ``2023.05``, ``2023/5/8``), or ``""``.

    Only a date that exists is given.

    >>> iso_date("2023年5月"), iso_date("2023年5月8日"), iso_date("2023.05"), iso_date("2023/5/8")
    ('2023-05', '2023-05-08', '2023-05', '2023-05-08')
    >>> iso_date("2023年"), iso_date("2023-5"), iso_date("2023年13月"), iso_date("May 2023")
    ('2023', '2023-05', '', '')
    """
    match = _LOOSE_DATE.fullmatch(text.strip())
    if not match:
        return ""
    year, month, day = match.groups()
    iso = year + (f"-{int(month):02d}" if month else "") + (f"-{int(day):02d}" if day else "")
    checked = _DATE.fullmatch(iso)
    return iso if checked and _real_date(checked) else ""


def _real_date(match: re.Match[str]) -> bool:
    year, month, day = (int(part) if part else 1 for part in match.groups())
    try:
        dt.date(year, month, day)
    except ValueError:
        return False
    return True


def _pydantic_issues(
    row: Row,
    exc: ValidationError,
    issues: Collector,
    rename: dict[str, str],
    *,
    only: Container[str] | None = None,
) -> None:
    """Report the errors of ``exc`` on ``row``, one per field, leaving out the fields already reported.

    With ``only``, errors on other fields (and on the whole row) are left out too: a row checked
    with some of its fields only (see :meth:`RowParser.check_rest`) is missing the others.
    """
    reported = set(issues.cells.get(row.key, ()))
    for err in exc.errors():
        loc = [str(p) for p in err["loc"]]
        if only is not None and (not loc or loc[0] not in only):
            continue
        field = rename.get(loc[0], loc[0]) if loc else "(row)"
        if field in reported and loc:
            continue
        reported.add(field)
        value = row.get(field) if loc else ""
        if field == "name_zh" and not value and err["type"] == "string_too_short" and row.get("name_en"):
            issues.add(row, field, value, *_name_zh_required(row))
            continue
        issues.add(row, field, value, expected_text(err["msg"]))


def _name_zh_required(row: Row) -> tuple[str, str]:
    """What an empty ``name_zh`` next to an English name is told: put the English name there too.

    >>> _name_zh_required(Row("firms.csv", 2, {"name_en": "Sinotech Robotics"}, table="firms"))[0]
    'a Chinese name: name_zh is required; for a firm with only an English name, put it in name_zh too'
    """
    noun = {"firms": "firm", "districts": "district", "segments": "segment", "clusters": "cluster"}.get(
        row.table, "row"
    )
    return (
        f"a Chinese name: name_zh is required; for a {noun} with only an English name, put it in name_zh too",
        "中文名称：name_zh 为必填；只有英文名称时，请把英文名称也填入 name_zh",
    )


def expected_text(message: str) -> str:
    """A validation message as what was expected: ``Input should be 'a' or 'b'`` reads ``one of 'a' or 'b'``.

    >>> expected_text("Input should be '>', '≈' or '='"), expected_text("Value error, a year such as 2024")
    ("one of '>', '≈' or '='", 'a year such as 2024')
    >>> expected_text("Input should be a valid number, unable to parse string as a number")
    'a valid number, unable to parse string as a number'
    """
    text = message.removeprefix("Value error, ")
    if text.startswith("Input should be '"):
        return "one of " + text.removeprefix("Input should be ")
    return text.removeprefix("Input should be ")


def _place(row: Row) -> str:
    """``firms.csv, row 4`` or ``book.xlsx [sheet firms], row 4``."""
    sheet = f" [sheet {row.sheet}]" if row.sheet else ""
    return f"{row.file}{sheet}, row {row.line}"


ClusterFact = Listing | Figure

_ROW_MODELS: dict[str, type[BaseModel]] = {
    "sources": Source,
    "districts": District,
    "clusters": Cluster,
    "segments": Segment,
    "firms": Firm,
    "cluster_designations": Designation,
    "tiers": Tier,
    "projects": Project,
    "policies": Policy,
    "platforms": Platform,
    "policy_instruments": Instrument,
    "cluster_figures": Figure,
}
"""The model each row of a table becomes, for :meth:`RowParser.check_rest`."""

_RENAMED = {"sources": {"name_zh": "title", "name_en": "title_en"}}
"""Model fields read from a column of another name, by table."""


def _is_text(annotation: object) -> bool:
    """Whether a field of this type is given as the cell's text: ``str``, or a choice of words (``Literal``).

    >>> _is_text(str), _is_text(Literal["=", "≈"]), _is_text(float)
    (True, True, False)
    """
    if annotation is str:
        return True
    return get_origin(annotation) is Literal and all(isinstance(arg, str) for arg in get_args(annotation))


@cache
def _text_fields(model: type[BaseModel]) -> tuple[tuple[str, FieldInfo], ...]:
    """The fields of ``model`` given as the cell's text that it can refuse, but the id (checked on its own).

    A text field without a constraint, a validator or a need to be given takes any cell; a choice
    of words (a qualifier such as ``≤``) takes only those words.

    >>> [name for name, _ in _text_fields(Designation)], [name for name, _ in _text_fields(Instrument)]
    (['name_zh'], ['description_zh', 'qualifier'])
    >>> [name for name, _ in _text_fields(Source)]
    ['name_zh', 'date', 'reliability']
    """
    validated = {name for v in model.__pydantic_decorators__.field_validators.values() for name in v.info.fields}
    return tuple(
        (name, info)
        for name, info in model.model_fields.items()
        if name != "id"
        and _is_text(info.annotation)
        and (info.annotation is not str or info.is_required() or bool(info.metadata) or name in validated)
    )


class RowParser:
    """Turn the rows of the tables into validated nodes and edges, remembering where each came from.

    Parameters
    ----------
    rows : callable
        ``rows(table)`` returns the rows of one table (see :func:`rows_from_cells`);
        problems with files and headers go to ``issues``, shared with the parser.
    issues : Collector, optional
        Where problems go; a new collector when omitted.
    outside_clusters : container of str, optional
        Ids of clusters that exist outside these rows (in the graph being
        imported into). Listings and figures for them are kept in
        :attr:`outside_facts` instead of being reported as unknown.

    Attributes
    ----------
    ds : Dataset
        The nodes and edges parsed so far.
    where : dict
        The row of each node, by id.
    edge_rows : dict
        The row of each edge, by key.
    fact_rows : dict
        The rows of the listings, figures and designations of each cluster, by cluster id.
    outside_facts : list of (str, Row, Listing or Figure)
        Listings and figures of clusters in ``outside_clusters``. (Designations of such a
        cluster are refused: they are imported with the cluster's own row.)
    designation_rows : list of (Row, Designation)
        Each row of ``cluster_designations`` read, for checking the sources it cites.
    """

    def __init__(
        self,
        rows: Callable[[Table], Iterable[Row]],
        issues: Collector | None = None,
        *,
        outside_clusters: Container[str] = (),
    ) -> None:
        self._rows = rows
        self.issues = issues or Collector()
        self.outside_clusters = outside_clusters
        self.ds = Dataset()
        self.where: dict[str, Row] = {}
        self.edge_rows: dict[tuple[str, str, str], Row] = {}
        self.fact_rows: dict[str, list[Row]] = {}
        self.outside_facts: list[tuple[str, Row, ClusterFact]] = []
        self.designation_rows: list[tuple[Row, Designation]] = []
        self.instrument_rows: list[tuple[Row, Instrument]] = []
        self.scoped_figures: list[tuple[Row, str, Figure]] = []

    # -- helpers ---------------------------------------------------------------------

    def rows(self, name: str) -> Iterable[Row]:
        return self._rows(TABLES_BY_NAME[name])

    def common(self, row: Row) -> dict[str, object] | None:
        conf = _enum(row, "confidence", Confidence, self.issues, default=Confidence.SOURCED)
        if conf is None:
            return None
        sources = row.split("sources")
        if not sources and conf is Confidence.SOURCED:
            self.issues.add(row, "sources", "", "at least one source id (or confidence 'unverified')")
            return None
        return {"sources": sources, "confidence": conf, "note": row.get("note")}

    def missing(self, node_id: str, kind: NodeKind) -> str:
        """``kind``'s name when ``node_id`` names no node at all (a refused file may have held it), else ``""``.

        For :meth:`Collector.unknown_id`: an id of a node of another kind is a real problem, never a follow-on.
        """
        return "" if node_id in self.ds.nodes else kind.value

    def check_id(self, row: Row, parsed: Mapping[str, object] | None = None) -> None:
        """Check the rest of a node row already known to be bad, so that all its problems are reported.

        The id first, then the text cells of the row's model and the ``parsed`` values (:meth:`check_rest`).
        """
        node_id = row.get("id")
        if not ID_PATTERN.match(node_id) and "id" not in self.issues.cells.get(row.key, ()):
            self.issues.add(row, "id", node_id, "a lower-case ASCII id: letters, digits, '.', '_' or '-'")
        self.check_rest(row, parsed)

    def check_rest(self, row: Row, parsed: Mapping[str, object] | None = None) -> None:
        """Check the cells of a row already known to be bad, which its model would check.

        A row with a bad value is not turned into a node or fact, so its model never sees it;
        here the cells of the row's table that its model takes as text (an empty ``name_zh``,
        a date that does not exist, a qualifier not in its list) are checked alone, each cell
        already reported left out. ``parsed`` holds the values the table's reader made of other
        cells (a number, a year), by model field, for the model's limits on them (an amount
        below 0); a cell the reader found bad is left out of it. Enum, number and list cells are
        checked by the table's reader before it gives up on a row, and references by
        :meth:`check_unread` (a folder load) or the import's merge.
        """
        model = _ROW_MODELS.get(row.table)
        if model is None:
            return
        reported = self.issues.cells.get(row.key, set())
        rename = _RENAMED.get(row.table, {})
        data: dict[str, object] = {}
        for name, info in _text_fields(model):
            column = rename.get(name, name)
            if column in reported or column not in row.values:
                continue
            if name == "date":  # the cell the readers parse, full-width digits and all
                date_cell(row, column, self.issues)
            elif row.get(column) or info.is_required():
                data[name] = row.get(column)
        for name, value in (parsed or {}).items():
            if value is not None and rename.get(name, name) not in reported:
                data[name] = value
        if not data:
            return
        try:
            model.model_validate(data)
        except ValidationError as exc:
            _pydantic_issues(row, exc, self.issues, rename, only=data)

    def add_node(self, row: Row, cls: type, fields: dict[str, object], rename: dict[str, str] | None = None) -> None:
        """Validate ``fields`` (of ``row``) as a ``cls`` and add the node; report every problem of the row.

        A bad or repeated id is reported and the node not added, but its other fields are still
        checked, so that the row's problems are all reported at once.
        """
        node_id = str(fields.get("id", ""))
        ok = True
        if not ID_PATTERN.match(node_id):
            self.issues.add(row, "id", node_id, "a lower-case ASCII id: letters, digits, '.', '_' or '-'")
            ok = False
        elif node_id in self.where:
            first = self.where[node_id]
            self.issues.add(row, "id", node_id, f"a unique id (already used in {_place(first)})")
            ok = False
        try:
            node = cls(**fields)
        except ValidationError as exc:
            _pydantic_issues(row, exc, self.issues, rename or {})
            return
        if not ok:
            return
        self.ds.add_node(node)
        self.where[node_id] = row

    def check_link(
        self,
        row: Row,
        kind: EdgeKind,
        ends: tuple[str, str],
        common: Mapping[str, object] | None,
        **values: object,
    ) -> None:
        """Check the rest of a link row already known to be bad, as :class:`~graph.model.Edge` would.

        A row with a bad cell is not turned into an edge, so the model never sees it and its
        whole-row checks (a node linked to itself) and limits (a batch from 1 to 100) would show
        only once the bad cell is fixed. Here the row's ends (the columns ``ends``) and ``values``
        (what the reader made of its other cells; a bad one given as ``None``) are checked, with
        stand-ins for what was reported already: ``kind`` is the row's kind, or one its table
        allows when the kind cell is bad; a bad role reads ``member`` and bad ``common`` fields
        (:meth:`common`) a source. Cells already reported are left out; unknown ends are
        reported by :meth:`check_unread` (a folder load) or the import's merge.

        Examples
        --------
        >>> found = Collector()
        >>> row = Row("supplies.csv", 2, {"source": "t-a", "target": "t-a", "confidence": "maybe"}, table="supplies")
        >>> parser = RowParser(lambda table: [], found)
        >>> parser.common(row) is None
        True
        >>> parser.check_link(row, EdgeKind.SUPPLIES, ("source", "target"), None)
        >>> [(i.field, i.expected) for i in found.issues]
        [('confidence', 'one of sourced, unverified'), ('(row)', 'an edge cannot join a node to itself')]
        """
        fields: dict[str, object] = {"kind": kind, "source": row.get(ends[0]), "target": row.get(ends[1])}
        fields |= {name: value for name, value in values.items() if value is not None}
        if kind is EdgeKind.OPERATES_IN and "role" not in fields:
            fields["role"] = Role.MEMBER
        fields |= common or {"sources": ("-",), "confidence": Confidence.SOURCED}
        try:
            Edge(**fields)
        except ValidationError as exc:
            _pydantic_issues(row, exc, self.issues, {"source": ends[0], "target": ends[1]})

    def add_edge(self, row: Row, fields: dict[str, object], ends: tuple[str, str]) -> None:
        try:
            edge = Edge(**fields)
        except ValidationError as exc:
            _pydantic_issues(row, exc, self.issues, {"source": ends[0], "target": ends[1]})
            return
        key = edge.key
        if key in self.edge_rows:
            first = self.edge_rows[key]
            self.issues.add(
                row,
                ends[1],
                edge.target,
                f"a link not given before (same {edge.kind} in {_place(first)})",
            )
            return
        self.ds.add_edge(edge)
        self.edge_rows[key] = row

    # -- tables ----------------------------------------------------------------------

    def parse(self) -> Dataset:
        """Read every table in dependency order; references across rows are not checked here."""
        self.read_sources()
        self.read_simple("districts", District)
        listings, figures = self.read_cluster_facts()
        designations = self.read_cluster_designations()
        self.read_clusters(listings, figures, designations)
        self.read_segments()
        self.read_firms()
        self.read_supplies()
        self.read_operates_in()
        self.read_firm_links()
        from loaders.layers import read_layers

        read_layers(self)
        return self.ds

    def read(self) -> Dataset:
        """Parse, check references within the rows, and raise if anything is wrong."""
        self.parse()
        self.check_references()
        self.check_unread()
        if self.issues.issues:
            raise validation_error(self.issues.issues, self.issues.references, self.issues.refused)
        return self.ds

    def read_sources(self) -> None:
        for row in self.rows("sources"):
            fields = {
                "id": row.get("id"),
                "name_zh": row.get("title"),
                "name_en": row.get("title_en"),
                "publisher": row.get("publisher"),
                "date": date_cell(row, "date", self.issues),
                "url": row.get("url"),
                "doc_no": row.get("doc_no"),
                "note": row.get("note"),
            }
            if row.get("reliability"):
                fields["reliability"] = row.get("reliability")
            if not row.get("url") and not row.get("doc_no"):
                self.issues.add(row, "url", "", "an address (url) or a document number (doc_no)")
            self.add_node(row, Source, fields, {"name_zh": "title", "name_en": "title_en"})

    def read_simple(self, table: str, cls: type) -> None:
        for row in self.rows(table):
            common = self.common(row)
            if common is None:
                self.check_id(row)
                continue
            fields = {
                "id": row.get("id"),
                "name_zh": row.get("name_zh"),
                "name_en": row.get("name_en"),
                "parent_id": row.get("parent_id"),
                **common,
            }
            self.add_node(row, cls, fields)

    def read_cluster_facts(self) -> tuple[dict[str, list[tuple[Row, Listing]]], dict[str, list[tuple[Row, Figure]]]]:
        listings: dict[str, list[tuple[Row, Listing]]] = {}
        for row in self.rows("cluster_lists"):
            common = self.common(row)
            year = _int(row, "list_year", self.issues, required=True)
            if common is None or year is None:
                continue
            try:
                item = Listing(list_year=year, name_as_published=row.get("name_as_published"), **common)
            except ValidationError as exc:
                _pydantic_issues(row, exc, self.issues, {})
                continue
            listings.setdefault(row.get("cluster_id"), []).append((row, item))
        figures: dict[str, list[tuple[Row, Figure]]] = {}
        for row in self.rows("cluster_figures"):
            common = self.common(row)
            year = _int(row, "year", self.issues, required=True)
            ok, value = number_cell(row, "value", self.issues)
            if ok and value is None:  # the value is required
                self.issues.add(row, "value", "", NUMBER)
            if common is None or year is None or value is None:
                self.check_rest(row, {"year": year, "value": value})  # its qualifier; a year before 1990
                continue
            extra: dict[str, object] = {}
            if row.get("qualifier"):
                extra["qualifier"] = row.get("qualifier")
            if row.get("period"):
                extra["period"] = row.get("period")
            if row.split("scope"):
                extra["scope"] = row.split("scope")
            try:
                item = Figure(year=year, metric=row.get("metric"), value=value, unit=row.get("unit"), **extra, **common)
            except ValidationError as exc:
                _pydantic_issues(row, exc, self.issues, {})
                continue
            figures.setdefault(row.get("cluster_id"), []).append((row, item))
            if item.scope:
                self.scoped_figures.append((row, row.get("cluster_id"), item))
        return listings, figures

    def read_cluster_designations(self) -> dict[str, list[tuple[Row, Designation]]]:
        """The rows of ``cluster_designations`` by cluster id; a title given twice for a cluster is reported."""
        out: dict[str, list[tuple[Row, Designation]]] = {}
        seen: dict[tuple[str, str], Row] = {}
        for row in self.rows("cluster_designations"):
            common = self.common(row)
            year = _int(row, "year", self.issues, required=False)
            if common is None or (row.get("year") and year is None):
                self.check_rest(row)
                continue
            try:
                item = Designation(name_zh=row.get("name_zh"), name_en=row.get("name_en"), year=year, **common)
            except ValidationError as exc:
                _pydantic_issues(row, exc, self.issues, {})
                continue
            key = (row.get("cluster_id"), item.name_zh)
            if key in seen:
                line = seen[key].line
                self.issues.add(
                    row,
                    "name_zh",
                    item.name_zh,
                    f"one row per cluster and title (also at row {line})",
                    f"每个集群的每个称号只占一行（另见第 {line} 行）",
                )
                continue
            seen[key] = row
            out.setdefault(row.get("cluster_id"), []).append((row, item))
            self.designation_rows.append((row, item))
        return out

    def read_clusters(
        self,
        listings: dict[str, list[tuple[Row, Listing]]],
        figures: dict[str, list[tuple[Row, Figure]]],
        designations: dict[str, list[tuple[Row, Designation]]] | None = None,
    ) -> None:
        designations = designations or {}
        for row in self.rows("clusters"):
            common = self.common(row)
            if common is None:
                self.check_id(row)
                continue
            cid = row.get("id")
            fields = {
                "id": cid,
                "name_zh": row.get("name_zh"),
                "name_en": row.get("name_en"),
                "designation_items": tuple(item for _, item in designations.get(cid, [])),
                "designations": row.split("designations"),  # the old form: plain titles, see Cluster
                "listings": tuple(item for _, item in listings.get(cid, [])),
                "figures": tuple(item for _, item in figures.get(cid, [])),
                **common,
            }
            self.add_node(row, Cluster, fields)
        known = {n.id for n in self.ds.of_kind(NodeKind.CLUSTER)}
        facts: tuple[dict[str, list[tuple[Row, Listing]]] | dict[str, list[tuple[Row, Figure]]], ...]
        facts = (listings, figures)
        for table in facts:
            for cid, items in table.items():
                for row, item in items:
                    if cid in known:
                        self.fact_rows.setdefault(cid, []).append(row)
                    elif cid in self.outside_clusters:
                        self.outside_facts.append((cid, row, item))
                    else:
                        kind = self.missing(cid, NodeKind.CLUSTER)
                        self.issues.unknown_id(row, "cluster_id", cid, "the id of a row in clusters.csv", kind=kind)
        for cid, titles in designations.items():
            for row, _ in titles:
                if cid in known:
                    self.fact_rows.setdefault(cid, []).append(row)
                elif cid in self.outside_clusters:
                    self.issues.add(
                        row,
                        "cluster_id",
                        cid,
                        "the id of a row in clusters.csv: a cluster's designations are imported with its own row",
                        "clusters 表中某行的编号：集群的称号须与该集群在 clusters 表中的行一同导入",
                    )
                else:
                    kind = self.missing(cid, NodeKind.CLUSTER)
                    self.issues.unknown_id(row, "cluster_id", cid, "the id of a row in clusters.csv", kind=kind)
        for items in listings.values():
            seen: dict[int, Row] = {}
            for row, item in items:
                if item.list_year in seen:
                    self.issues.add(
                        row,
                        "list_year",
                        item.list_year,
                        f"one row per cluster and list (also at row {seen[item.list_year].line})",
                    )
                seen[item.list_year] = row

    def read_segments(self) -> None:
        for row in self.rows("segments"):
            common = self.common(row)
            position = _enum(row, "position", Position, self.issues)
            if common is None or position is None:
                self.check_id(row)
                continue
            fields = {
                "id": row.get("id"),
                "cluster_id": row.get("cluster_id"),
                "name_zh": row.get("name_zh"),
                "name_en": row.get("name_en"),
                "position": position,
                "parent_id": row.get("parent_id"),
                "description": row.get("description"),
                "local_base": row.get("local_base"),
                **common,
            }
            self.add_node(row, Segment, fields)
            if self.where.get(row.get("id")) is row:
                self.add_edge(
                    row,
                    {"kind": EdgeKind.PART_OF, "source": row.get("id"), "target": row.get("cluster_id"), **common},
                    ("id", "cluster_id"),
                )

    def read_firms(self) -> None:
        for row in self.rows("firms"):
            common = self.common(row)
            raw_local = row.get("is_local").lower()
            if raw_local not in TRUE | FALSE:
                self.issues.add(row, "is_local", row.get("is_local"), "true or false")
                self.check_id(row)
                continue
            if common is None:
                self.check_id(row)
                continue
            firm_id, district_id = row.get("id"), row.get("district_id")
            fields = {
                "id": firm_id,
                "name_zh": row.get("name_zh"),
                "name_en": row.get("name_en"),
                "aliases": row.split("aliases"),
                "is_local": raw_local in TRUE,
                "district_id": district_id,
                "tags": row.split("tags"),
                "hq": row.get("hq"),
                "scale": row.get("scale"),
                **common,
            }
            self.add_node(row, Firm, fields)
            if district_id and self.where.get(firm_id) is row:
                located = dict(common)
                district_sources = row.split("district_sources")
                if district_sources:
                    located["sources"] = district_sources
                self.add_edge(
                    row,
                    {"kind": EdgeKind.LOCATED_IN, "source": firm_id, "target": district_id, **located},
                    ("id", "district_id"),
                )

    def read_supplies(self) -> None:
        for row in self.rows("supplies"):
            common = self.common(row)
            if common is None:
                self.check_link(row, EdgeKind.SUPPLIES, ("source", "target"), common)
                continue
            self.add_edge(
                row,
                {"kind": EdgeKind.SUPPLIES, "source": row.get("source"), "target": row.get("target"), **common},
                ("source", "target"),
            )

    def read_operates_in(self) -> None:
        for row in self.rows("operates_in"):
            common = self.common(row)
            role = _role(row, self.issues)
            year = _int(row, "year", self.issues, required=False)
            if common is None or role is None:
                self.check_link(row, EdgeKind.OPERATES_IN, ("firm_id", "segment_id"), common, role=role, year=year)
                continue
            self.add_edge(
                row,
                {
                    "kind": EdgeKind.OPERATES_IN,
                    "source": row.get("firm_id"),
                    "target": row.get("segment_id"),
                    "role": role,
                    "year": year,
                    **common,
                },
                ("firm_id", "segment_id"),
            )

    def read_firm_links(self) -> None:
        allowed = (EdgeKind.SUBSIDIARY_OF, EdgeKind.SUPPLIES_TO)
        for row in self.rows("firm_links"):
            common = self.common(row)
            kind = row.get("kind")
            year = _int(row, "year", self.issues, required=False)
            known = kind in {k.value for k in allowed}
            if not known:
                self.issues.add(row, "kind", kind, "SUBSIDIARY_OF or SUPPLIES_TO")
            if not known or common is None:
                stand_in = EdgeKind(kind) if known else allowed[0]
                self.check_link(row, stand_in, ("source", "target"), common, year=year)
                continue
            self.add_edge(
                row,
                {"kind": kind, "source": row.get("source"), "target": row.get("target"), "year": year, **common},
                ("source", "target"),
            )

    def check_references(self) -> None:
        nodes = self.ds.nodes
        sources = {n.id for n in self.ds.of_kind(NodeKind.SOURCE)}
        kind_of = {node_id: node.kind for node_id, node in nodes.items()}
        for node in nodes.values():
            row = self.where[node.id]
            if not sources.issuperset(node.sources):
                self._check_sources(row, "sources", node.sources, sources)
            for column, kind in _reference_columns(type(node)):
                ref = getattr(node, column)
                if not ref:
                    continue
                want = kind or NodeKind(node.kind)
                if kind_of.get(ref) != want.value:
                    if column == "cluster_id" and isinstance(node, Segment) and ref not in nodes:
                        continue  # reported once through the PART_OF edge below
                    expected = f"the id of a {want.value} ({_file_of(want)})"
                    self.issues.unknown_id(row, column, ref, expected, kind=self.missing(ref, want))
        # Plain str keys below: hashing an enum member runs Python code, and these loops see every edge.
        ends_by_kind = {kind.value: ends for kind, ends in EDGE_ENDPOINTS.items()}
        located_in = EdgeKind.LOCATED_IN.value
        for key, edge in self.ds.edges.items():
            kind = key[0]
            if kind != located_in:  # district_id is checked on the firm
                want_src, want_dst = ends_by_kind[kind]
                if kind_of.get(edge.source) != want_src.value or kind_of.get(edge.target) != want_dst.value:
                    self._check_edge_ends(key, edge)
            if sources.issuperset(edge.sources):
                continue
            row = self.edge_rows[key]
            table = row.table or row.file.split(".")[0]
            if table not in {"firms", "segments"}:
                self._check_sources(row, "sources", edge.sources, sources)
            elif kind == located_in and row.split("district_sources"):
                self._check_sources(row, "district_sources", edge.sources, sources)
        for row, title in self.designation_rows:
            self._check_sources(row, "sources", title.sources, sources)
        from loaders.layers import check_layer_references

        check_layer_references(self)

    def check_unread(self) -> None:
        """Check the references of the rows that gave nothing for a problem already reported.

        Such a row is not in :attr:`ds`, so :meth:`check_references` does not see it; without this
        its unknown ids would show only once its other problems are fixed. (An import's merge checks
        them itself: :meth:`loaders.merge._Merger.check_rows`.) Cells already reported are left out.
        """
        from loaders.merge import _LIST_COLUMNS, _ROW_REFERENCES, _TARGET_KINDS

        read = {id(row) for row in self.where.values()} | {id(row) for row in self.edge_rows.values()}
        read |= {id(row) for rows in self.fact_rows.values() for row in rows}
        read |= {id(row) for row, _ in self.designation_rows} | {id(row) for row, _ in self.instrument_rows}
        kind_of = {node_id: node.kind for node_id, node in self.ds.nodes.items()}
        for key, row in list(self.issues.rows.items()):
            columns = _ROW_REFERENCES.get(row.table)
            if columns is None or id(row) in read:
                continue
            wanted = [("sources", NodeKind.SOURCE), *columns]
            kind = row.get("kind")
            if kind in _TARGET_KINDS.get(row.table, ()):
                wanted.append(("target", EDGE_ENDPOINTS[EdgeKind(kind)][1]))
            reported = set(self.issues.cells.get(key, ()))
            for column, want in wanted:
                if column in reported:
                    continue
                values = row.split(column) if column in _LIST_COLUMNS else (row.get(column),)
                for value in values:
                    if value and kind_of.get(value) != want.value:
                        expected = (
                            "the id of a row in sources.csv"
                            if want is NodeKind.SOURCE
                            else f"the id of a {want.value} ({_file_of(want)})"
                        )
                        self.issues.unknown_id(row, column, value, expected, kind=self.missing(value, want))

    def _check_sources(self, row: Row, column: str, cited: Iterable[str], sources: Container[str]) -> None:
        """Report each id in ``cited`` (the ``column`` of ``row``) that is not in ``sources``."""
        for sid in cited:
            if sid not in sources:
                kind = self.missing(sid, NodeKind.SOURCE)
                self.issues.unknown_id(row, column, sid, "the id of a row in sources.csv", kind=kind)

    def _check_edge_ends(self, key: tuple[str, str, str], edge: Edge) -> None:
        """Report each endpoint of ``edge`` that is unknown or of the wrong kind, under its row's column."""
        row = self.edge_rows[key]
        table = row.table or row.file.split(".")[0]
        ends = EDGE_COLUMNS[(table, edge.kind)]
        for end, column, want in (
            (edge.source, ends[0], EDGE_ENDPOINTS[edge.kind][0]),
            (edge.target, ends[1], EDGE_ENDPOINTS[edge.kind][1]),
        ):
            target = self.ds.nodes.get(end)
            if target is None or target.kind != want.value:
                expected = f"the id of a {want.value} ({_file_of(want)})"
                self.issues.unknown_id(row, column, end, expected, kind=self.missing(end, want))


@cache
def _reference_columns(node_type: type) -> tuple[tuple[str, NodeKind | None], ...]:
    """The columns of ``node_type`` that name another node, with that node's kind (``None``: the same kind)."""
    columns = (("cluster_id", NodeKind.CLUSTER), ("parent_id", None), ("district_id", NodeKind.DISTRICT))
    return tuple((column, kind) for column, kind in columns if column in node_type.model_fields)


EDGE_COLUMNS = {
    ("segments", EdgeKind.PART_OF): ("id", "cluster_id"),
    ("firms", EdgeKind.LOCATED_IN): ("id", "district_id"),
    ("supplies", EdgeKind.SUPPLIES): ("source", "target"),
    ("operates_in", EdgeKind.OPERATES_IN): ("firm_id", "segment_id"),
    ("firm_links", EdgeKind.SUBSIDIARY_OF): ("source", "target"),
    ("firm_links", EdgeKind.SUPPLIES_TO): ("source", "target"),
    **LAYER_EDGE_COLUMNS,
}


def _file_of(kind: NodeKind) -> str:
    return {
        NodeKind.CLUSTER: "clusters.csv",
        NodeKind.SEGMENT: "segments.csv",
        NodeKind.FIRM: "firms.csv",
        NodeKind.DISTRICT: "districts.csv",
        NodeKind.SOURCE: "sources.csv",
        **LAYER_FILES,
    }[kind]


def _folder_rows(folder: Path, issues: Collector) -> Callable[[Table], Iterable[Row]]:
    return lambda table: read_rows(folder, table, issues)


def load_folder(folder: str | Path) -> Dataset:
    """Read and validate a dataset folder.

    Parameters
    ----------
    folder : str or Path
        A folder with the tables of :mod:`loaders.tables`.

    Returns
    -------
    Dataset
        The validated nodes and edges.

    Raises
    ------
    DataValidationError
        With every problem found, each naming file, row, field, value and expectation.
    """
    path = Path(folder)
    if not path.is_dir():
        found = "(a file, not a folder)" if path.exists() else "(no such folder)"
        raise DataValidationError(
            [DataIssue(str(path), 0, "(folder)", found, "a dataset folder", expected_zh="数据集文件夹")]
        )
    if not any(table_files(path, t) for t in TABLES):
        raise DataValidationError(
            [
                DataIssue(
                    str(path),
                    0,
                    "(folder)",
                    "(no table files)",
                    "at least one of " + ", ".join(f"{t.name}.csv" for t in TABLES),
                )
            ]
        )
    issues = Collector()
    try:
        with paused_gc():  # millions of small objects: the cyclic GC would double the time
            return RowParser(_folder_rows(path, issues), issues).read()
    finally:
        for warning in issues.warnings:  # Chinese column names read, spaces made plain
            log.warning("%s", warning)
