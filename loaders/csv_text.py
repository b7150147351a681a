"""Split CSV text into a header and records, and say where a broken file breaks.

A CSV file can break in two ways that a row-by-row reader cannot explain on
its own: a quote left open (the cell runs on into the next rows) and bytes or
characters that are not text. Both are located here on the record (the line
where it starts), the column under the header and the bad value, so that an
error can name them; :mod:`loaders.folder` and :mod:`loaders.inputs` turn a
:class:`TextProblem` into a :class:`~graph.errors.DataIssue`.

Examples
--------
>>> split = CsvSplit('id,name_zh\\n\\na,"甲\\n乙"\\nb,"丙\\nc,丁\\n')
>>> split.header, split.header_line, list(split.records())
(['id', 'name_zh'], 1, [(3, ['a', '甲\\n乙'])])
>>> problem = split.problem
>>> problem.line, problem.field, problem.value
(5, 'name_zh', '"丙\\nc,丁\\n')
>>> problem.expected
'a closing quote: the quote that opens this cell never closes (write "" for a quote inside a quoted cell)'
>>> where = locate_chars("id,name_zh\\nwj,武\\udcc7\\n", ",", BAD_BYTE)
>>> where.line, where.field, where.value, where.run
(2, 'name_zh', '武\\ufffd', '\\udcc7')
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from functools import cache

FIELD_LIMIT = csv.field_size_limit()
"""The longest cell, in characters, the ``csv`` module reads (131072 unless changed)."""

BAD_BYTE = re.compile("[\udc00-\udcff]")
"""A byte that did not decode: :func:`loaders.csv_encoding.escaped` turns byte ``0xNN`` into ``U+DCNN``.

Strict decoding never gives these lone surrogates, so in decoded text they can only stand for bytes.
"""

CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
"""A control character that has no place in a text file (tab, CR and LF are fine)."""

EXCERPT = 60
"""The most characters of a bad cell an error shows."""


@dataclass(frozen=True)
class TextProblem:
    """A problem located in CSV text: the record's first line, its column, the bad value and what was expected."""

    line: int
    field: str
    value: str
    expected: str
    expected_zh: str


class CsvSplit:
    """The header and the records of CSV ``text``.

    The header is the first record that is not blank; :meth:`records` yields
    each later non-empty record with the line it starts on. A syntax error (a
    quote left open, text after a closing quote, a cell longer than
    :data:`FIELD_LIMIT`) ends the records and is kept in :attr:`problem`.
    """

    def __init__(self, text: str, delimiter: str = ",") -> None:
        self.text = text
        self.delimiter = delimiter
        self.problem: TextProblem | None = None
        self.header: list[str] = []
        self._reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
        self._start = 1
        self.header_line = 0
        for line, cells in self._read():
            if any(c.strip() for c in cells):
                self.header, self.header_line = cells, line
                break

    def records(self) -> Iterator[tuple[int, list[str]]]:
        """Yield ``(line, cells)`` of each record after the header."""
        if self.header_line:
            yield from self._read()

    def _read(self) -> Iterator[tuple[int, list[str]]]:
        reader = self._reader
        try:
            for cells in reader:
                line, self._start = self._start, reader.line_num + 1
                if cells:
                    yield line, cells
        except csv.Error as exc:
            self.problem = syntax_problem(self.text, self._start, self.delimiter, self.header, str(exc))


def _field(header: list[str], index: int) -> str:
    """The column a cell is in: its header name, ``(header)`` for the header itself, else ``(row)``."""
    if not header:
        return "(header)"
    name = header[index].strip() if index < len(header) else ""
    return name or "(row)"


def excerpt(text: str, at: int = 0) -> str:
    """Up to :data:`EXCERPT` characters of ``text`` from a little before ``at``, bad bytes shown as U+FFFD."""
    start = max(0, at - EXCERPT // 2)
    shown = text[start : start + EXCERPT]
    shown = BAD_BYTE.sub("\ufffd", shown)
    return ("…" if start else "") + shown + ("…" if start + EXCERPT < len(text) else "")


def syntax_problem(text: str, line: int, delimiter: str, header: list[str], message: str = "") -> TextProblem:
    """Explain why the record starting on ``line`` of ``text`` does not parse (``message``: the ``csv`` module's)."""
    lines = io.StringIO(text, newline="").readlines()
    record = "".join(lines[line - 1 :])
    index, start, end, kind = _faulty_cell(record, delimiter)
    cell = record[start:end]
    field = _field(header, index)
    if kind == "open":
        expected = (
            'a closing quote: the quote that opens this cell never closes (write "" for a quote inside a quoted cell)'
        )
        expected_zh = '闭合的引号：此单元格开头的引号一直没有闭合（单元格内的引号请写作 ""）'
    elif kind == "after":
        closes = line + cell.count("\n")
        if closes > line:
            expected = (
                f"a quote closed in the same cell: the quote that opens this cell closes only on line {closes} "
                "(a quote left open?)"
            )
            expected_zh = f"在同一单元格内闭合的引号：此单元格开头的引号直到第 {closes} 行才闭合（是否漏了引号？）"
        else:
            expected = 'a delimiter right after the closing quote (write "" for a quote inside a quoted cell)'
            expected_zh = '闭合引号之后紧接分隔符（单元格内的引号请写作 ""）'
    elif kind == "long":
        expected = f"a cell of at most {FIELD_LIMIT} characters"
        expected_zh = f"单元格至多 {FIELD_LIMIT} 个字符"
    else:
        expected = f"a well-formed CSV record ({message})"
        expected_zh = f"格式正确的 CSV 记录（{message}）"
    return TextProblem(line, field, excerpt(cell), expected, expected_zh)


def _faulty_cell(record: str, delimiter: str) -> tuple[int, int, int, str]:
    """Find the cell of ``record`` the ``csv`` module stops at: ``(index, start, end, kind)``.

    ``kind`` is ``open`` (a quote that never closes), ``after`` (text after a
    closing quote), ``long`` (a cell over :data:`FIELD_LIMIT` characters) or
    ``unknown`` (none of these: the error is in the record's last cell).
    """
    index, pos, size = 0, 0, len(record)
    ends = delimiter + "\r\n"
    while True:
        start = pos
        if record.startswith('"', pos):
            close = _closing_quote(record, pos + 1)
            if close < 0:
                return index, start, size, "open"
            pos = close + 1
            if pos < size and record[pos] not in ends:
                return index, start, _cell_end(record, pos, ends), "after"
        else:
            pos = _cell_end(record, pos, ends)
        if pos - start > FIELD_LIMIT:
            return index, start, pos, "long"
        if pos >= size or record[pos] in "\r\n":
            return index, start, pos, "unknown"
        pos += 1
        index += 1


def _closing_quote(record: str, pos: int) -> int:
    """The index of the quote closing a quoted cell whose text starts at ``pos`` (``""`` is a quote); -1 if none."""
    while True:
        pos = record.find('"', pos)
        if pos < 0 or not record.startswith('""', pos):
            return pos
        pos += 2


def _cell_end(record: str, pos: int, ends: str) -> int:
    """The index of the first of ``ends`` at or after ``pos`` (the record's length if none)."""
    match = _any_of(ends).search(record, pos)
    return match.start() if match else len(record)


@cache
def _any_of(chars: str) -> re.Pattern[str]:
    return re.compile("[" + re.escape(chars) + "]")


@dataclass(frozen=True)
class CharsFound:
    """Where characters matching a pattern first occur in CSV text, and in how many cells."""

    line: int
    field: str
    value: str
    run: str
    cells: int


def locate_chars(text: str, delimiter: str, pattern: re.Pattern[str]) -> CharsFound:
    """Find the first cell of ``text`` with a character matching ``pattern`` (see :data:`BAD_BYTE`, :data:`CONTROL`).

    A match in the header is reported as ``(file)`` on the header's line; a
    match the ``csv`` module cannot place (after a syntax error) as ``(file)``
    on its physical line.
    """
    split = CsvSplit(text, delimiter)
    if any(pattern.search(cell) for cell in split.header):
        return _found(split.header_line, "(file)", delimiter.join(split.header), pattern, 1)
    first: CharsFound | None = None
    cells = 0
    for line, record in split.records():
        for index, cell in enumerate(record):
            if pattern.search(cell):
                cells += 1
                first = first or _found(line, _field(split.header, index), cell, pattern, 1)
    if first is not None:
        return CharsFound(first.line, first.field, first.value, first.run, cells)
    match = pattern.search(text)
    at = match.start() if match else 0
    line = len(io.StringIO(text[:at] + "x", newline="").readlines())  # the line holding text[at]
    return _found(line, "(file)", text[max(0, at - EXCERPT) : at + EXCERPT], pattern, 1)


def _found(line: int, field: str, cell: str, pattern: re.Pattern[str], cells: int) -> CharsFound:
    """Where a match is: ``cell`` shown around its first match, and the run of matching characters there."""
    match = pattern.search(cell)
    at = match.start() if match else 0
    end = at
    while end < min(len(cell), at + 8) and pattern.match(cell, end):
        end += 1
    return CharsFound(line, field, excerpt(cell, at), cell[at:end], cells)


def describe_run(run: str) -> str:
    """Name the characters of ``run``: ``byte 0xC7``, ``bytes 0xE6 0xAD`` or ``character U+0000``.

    >>> describe_run("\\udcc7"), describe_run("\\udce6\\udcad"), describe_run("\\x00")
    ('byte 0xC7', 'bytes 0xE6 0xAD', 'character U+0000')
    """
    if run and BAD_BYTE.match(run):
        names = " ".join(f"0x{ord(c) - 0xDC00:02X}" for c in run)
        return ("bytes " if len(run) > 1 else "byte ") + names
    names = " ".join(f"U+{ord(c):04X}" for c in run)
    return ("characters " if len(run) > 1 else "character ") + names
