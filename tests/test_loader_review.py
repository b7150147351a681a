"""Hostile input to the loaders: each bad file gives an error naming file, row, field, bad value and expectation.

Covers both readers: ``load_folder`` (``chainkg load DIR --check``) and the import
(``read_input`` + ``run_import``, ``chainkg import``). Files are built in code; the
ids and names in them are made up and never enter the bundled data.
"""

from __future__ import annotations

import io
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from chainkg.cli import main
from graph.errors import DataIssue, DataValidationError
from graph.memory_store import MemoryStore
from graph.persist import StateDir
from loaders.folder import load_folder
from loaders.importer import read_input, run_import
from loaders.refused import FoldedValidationError
from loaders.tables import TABLES, Table
from tests.import_support import base_graph, xlsx

BAD = b"\xc7"  # a lone lead byte: neither UTF-8 nor the start of a GB18030 character here
"""A byte that is not text, put in the middle of a cell."""

SOURCES = "id,title,date,doc_no\ns1,示例,2022,X-1\n"
CLUSTERS = "id,name_zh,sources\nnev,新能源汽车,s1\n"
SEGMENTS = "id,cluster_id,name_zh,position,sources\ncell,nev,电芯,midstream,s1\npack,nev,电池包,downstream,s1\n"
DISTRICTS = "id,name_zh,sources\nwj,武进区,s1\n"
FIRMS = "id,name_zh,is_local,district_id,sources\n"


def issues_of(folder: Path) -> list[DataIssue]:
    with pytest.raises(DataValidationError) as info:
        load_folder(folder)
    return info.value.issues


def folder_with(tmp_path: Path, files: dict[str, str | bytes]) -> Path:
    """A dataset folder: sources, a cluster, two segments, a district and one firm, with ``files`` on top."""
    base: dict[str, str | bytes] = {
        "sources.csv": SOURCES,
        "clusters.csv": CLUSTERS,
        "segments.csv": SEGMENTS,
        "districts.csv": DISTRICTS,
        "firms.csv": FIRMS + "f1,甲公司,true,wj,s1\n",
    }
    folder = tmp_path / "ds"
    folder.mkdir()
    for name, content in {**base, **files}.items():
        data = content if isinstance(content, bytes) else content.encode("utf-8")
        (folder / name).write_bytes(data)
    return folder


def _placeholder(table: Table, column: str, row: int) -> str:
    return "s1" if column == "sources" else f"v{row}-{column.replace('_', '-')}"


def table_with_bad_byte(table: Table, *, on_row: int = 5) -> tuple[bytes, str]:
    """A CSV of ``table`` whose cell in its second column on line ``on_row`` holds :data:`BAD`; and that column."""
    columns = list(table.required)
    column = columns[1]
    lines = [",".join(columns).encode()]
    for row in range(2, on_row + 1):
        cells = [_placeholder(table, c, row).encode() for c in columns]
        if row == on_row:
            cells[1] = b"x" + BAD + b"y"
        lines.append(b",".join(cells))
    lines.append(b",".join(_placeholder(table, c, on_row + 1).encode() for c in columns))
    return b"\n".join(lines) + b"\n", column


# -- item 1: a bad byte is reported on its own row and column --------------------------------------


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_folder_names_the_row_and_column_of_a_bad_byte(table: Table, tmp_path: Path):
    data, column = table_with_bad_byte(table)
    folder = folder_with(tmp_path, {f"{table.name}.csv": data})
    issue = next(i for i in issues_of(folder) if i.file == f"{table.name}.csv")
    assert (issue.row, issue.field, issue.value) == (5, column, "x\ufffdy")
    assert issue.expected.startswith("text in UTF-8, UTF-8 with BOM or GB18030/GBK")
    assert issue.expected.endswith("byte 0xC7 is not UTF-8")
    assert f"{table.name}.csv, row 5, field {column!r}: got 'x\ufffdy'" in str(issue)
    assert "第 5 行" in issue.message_zh and "字节 0xC7 不是有效的 UTF-8" in issue.message_zh
    (imported,) = run_import(MemoryStore(base_graph()), read_input(f"{table.name}.csv", data)).errors
    assert (issue.expected, issue.expected_zh) == (imported.expected, imported.expected_zh), "the same words as import"


@pytest.mark.parametrize("table", TABLES, ids=[t.name for t in TABLES])
def test_import_names_the_row_and_column_of_a_bad_byte(table: Table):
    data, column = table_with_bad_byte(table)
    store = MemoryStore(base_graph())
    version = store.version()
    report = run_import(store, read_input(f"{table.name}.csv", data))
    assert report.blocked and store.version() == version
    (issue,) = report.errors
    assert (issue.file, issue.row, issue.field, issue.value) == (f"{table.name}.csv", 5, column, "x\ufffdy")
    assert "byte 0xC7 is not UTF-8" in issue.expected and "GB18030/GBK" in issue.expected


def test_bad_byte_after_a_cell_spanning_lines_is_on_the_line_its_record_starts(tmp_path: Path):
    data = (FIRMS + 'f2,"甲\n公司",true,wj,s1\nf3,乙,true,wj,s1\n').encode() + b"f4,x" + BAD + b"y,true,wj,s1\n"
    (issue,) = issues_of(folder_with(tmp_path, {"firms.csv": data}))
    assert (issue.file, issue.row, issue.field) == ("firms.csv", 5, "name_zh")


def test_bad_byte_in_the_header_is_on_the_header_row(tmp_path: Path):
    data = b"id,name" + BAD + "_zh,is_local,sources\nf1,甲,true,s1\n".encode()
    issue = issues_of(folder_with(tmp_path, {"firms.csv": data}))[0]
    assert (issue.file, issue.row, issue.field) == ("firms.csv", 1, "(file)")
    assert "byte 0xC7 is not UTF-8" in issue.expected


def test_a_gbk_file_in_a_dataset_folder_with_one_broken_byte_names_that_row(tmp_path: Path):
    rows = "".join(f"f{i},企业{i},true,wj,s1\n" for i in range(2, 6))
    data = (FIRMS + rows).encode("gbk") + b"f9,\xff\xff,true,wj,s1\n"
    (issue,) = issues_of(folder_with(tmp_path, {"firms.csv": data}))
    assert (issue.file, issue.row, issue.field, issue.value) == ("firms.csv", 6, "name_zh", "\ufffd\ufffd")
    assert issue.expected.endswith("bytes 0xFF 0xFF are not GB18030")


def test_import_of_a_gbk_file_with_one_broken_byte_names_that_row():
    text = FIRMS + "a,甲公司,true,d-wujin,s-tiny\nb,乙公司,true,d-wujin,s-tiny\nc,丙公司,true,d-wujin,s-tiny\n"
    data = text.encode("gbk") + b"d,\xff\xff,true,d-wujin,s-tiny\n"
    (issue,) = run_import(MemoryStore(base_graph()), read_input("firms.csv", data)).errors
    assert (issue.row, issue.field) == (5, "name_zh")
    assert "bytes 0xFF 0xFF are not GB18030" in issue.expected


def test_bad_byte_in_a_zip_member_and_in_a_folder_import(tmp_path: Path):
    data, _ = table_with_bad_byte(TABLES[7])  # firms
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("firms.csv", data)
    (issue,) = run_import(MemoryStore(base_graph()), read_input("tables.zip", buf.getvalue())).errors
    assert (issue.file, issue.row, issue.field) == ("tables.zip/firms.csv", 5, "name_zh")
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "firms.csv").write_bytes(data)
    (issue,) = run_import(MemoryStore(base_graph()), read_input("in", path=folder)).errors
    assert (issue.file, issue.row, issue.field) == ("firms.csv", 5, "name_zh")


def test_bad_byte_in_json_names_line_and_column():
    data = b'{"nodes": [\n {"kind": "District", "id": "x",\n  "name_zh": "' + BAD + b'", "sources": ["s-tiny"]}]}'
    (issue,) = run_import(MemoryStore(base_graph()), read_input("graph.json", data)).errors
    assert (issue.row, issue.field) == (3, "(file)")
    assert "byte 0xC7 at column 15 is not UTF-8" in issue.expected and "\ufffd" in issue.value


def test_control_character_is_located(tmp_path: Path):
    (issue,) = issues_of(folder_with(tmp_path, {"firms.csv": FIRMS + "f1,甲公司,true,wj,s1\nf2,乙\x00,true,wj,s1\n"}))
    assert (issue.row, issue.field, issue.value) == (3, "name_zh", "乙\x00")
    assert "character U+0000 is a control character" in issue.expected
    data = (FIRMS + "a,甲,true,d-wujin,s-tiny\nb,乙\x07,true,d-wujin,s-tiny\n").encode()
    (issue,) = run_import(MemoryStore(base_graph()), read_input("firms.csv", data)).errors
    assert (issue.row, issue.field) == (3, "name_zh") and "U+0007" in issue.expected


# -- item 2: hostile files into load_folder ----------------------------------------------------------

FOLDER_CASES: list[tuple[str, str, str | bytes, tuple[int, str, str | None, str]]] = [
    # (id, file, content, (row, field, value or None, part of expected))
    (
        "header-typo",
        "firms.csv",
        "id,name_zh,islocal,sources\nf1,甲,true,s1\n",
        (1, "is_local", None, "'islocal' meant"),
    ),
    (
        "unknown-column-typo",
        "firms.csv",
        FIRMS.replace("district_id", "distrct_id") + "f1,甲,true,wj,s1\n",
        (1, "distrct_id", "distrct_id", "meant to be 'district_id'"),
    ),
    (
        "duplicate-column",
        "firms.csv",
        "id,name_zh,is_local,sources,id\nf1,甲,true,s1,f9\n",
        (1, "id", "id", "each column once"),
    ),
    (
        "blank-column-name",
        "firms.csv",
        "id,,name_zh,is_local,sources\nf1,,甲,true,s1\n",
        (1, "(header)", None, "column 2"),
    ),
    ("empty-file", "firms.csv", "", (1, "(file)", "(empty file)", "a header row with the columns id, name_zh")),
    ("blank-lines-only", "firms.csv", "\n\r\n\n", (1, "(file)", "(empty file)", "a header row")),
    (
        "extra-cell",
        "firms.csv",
        FIRMS + "f1,甲,true,wj,s1,oops\n",
        (2, "(row)", "oops", "at most 5 cells (a cell holding a comma"),
    ),
    (
        "thousands-unquoted",
        "cluster_figures.csv",
        "cluster_id,year,metric,value,unit,sources\nnev,2023,output,1,300,亿元,s1\n",
        (2, "(row)", "s1", "must be in quotes"),
    ),
    (
        "thousands-quoted",
        "cluster_figures.csv",
        'cluster_id,year,metric,value,unit,sources\nnev,2023,output,"1,300",亿元,s1\n',
        (2, "value", "1,300", "without thousands separators, e.g. 1300"),
    ),
    (
        "nan",
        "cluster_figures.csv",
        "cluster_id,year,metric,value,unit,sources\nnev,2023,output,nan,亿元,s1\n",
        (2, "value", "nan", "a number"),
    ),
    (
        "inf",
        "cluster_figures.csv",
        "cluster_id,year,metric,value,unit,sources\nnev,2023,output,1e999,亿元,s1\n",
        (2, "value", "1e999", "a number"),
    ),
    (
        "underscore",
        "cluster_figures.csv",
        "cluster_id,year,metric,value,unit,sources\nnev,20_23,output,1,亿元,s1\n",
        (2, "year", "20_23", "a whole number"),
    ),
    (
        "year-out-of-range",
        "operates_in.csv",
        "firm_id,segment_id,role,year,sources\nf1,cell,anchor,99999999999999999999,s1\n",
        (2, "year", "99999999999999999999", "a year from 1900 to 2100"),
    ),
    ("date-slashes", "sources.csv", SOURCES + "s2,文件,2022/09/27,X-2\n", (3, "date", "2022/09/27", "YYYY-MM-DD")),
    ("date-month-13", "sources.csv", SOURCES + "s2,文件,2022-13,X-2\n", (3, "date", "2022-13", "that exists")),
    ("date-feb-30", "sources.csv", SOURCES + "s2,文件,2022-02-30,X-2\n", (3, "date", "2022-02-30", "that exists")),
    (
        "duplicate-id",
        "firms.csv",
        FIRMS + "f1,甲,true,wj,s1\nf1,乙,true,wj,s1\n",
        (3, "id", "f1", "already used in firms.csv, row 2"),
    ),
    (
        "missing-node",
        "firms.csv",
        FIRMS + "f1,甲,true,nowhere,s1\n",
        (2, "district_id", "nowhere", "the id of a District"),
    ),
    ("spaces-inside-id", "firms.csv", FIRMS + "f\u30001,甲,true,wj,s1\n", (2, "id", "f\u30001", "lower-case ASCII id")),
    (
        "open-quote",
        "firms.csv",
        FIRMS + 'f1,"甲,true,wj,s1\nf2,乙,true,wj,s1\n',
        (2, "name_zh", '"甲,true,wj,s1\nf2,乙,true,wj,s1\n', "the quote that opens this cell never closes"),
    ),
    (
        "open-quote-closed-later",
        "firms.csv",
        FIRMS + 'f1,"甲,true,wj,s1\nf2,乙,true,wj,s1\nf3,"丙",true,wj,s1\n',
        (2, "name_zh", None, "closes only on line 4"),
    ),
    (
        "text-after-quote",
        "firms.csv",
        FIRMS + 'f1,"甲"公司,true,wj,s1\n',
        (2, "name_zh", '"甲"公司', "right after the closing quote"),
    ),
    (
        "very-long-field",
        "firms.csv",
        FIRMS + "f1," + "长" * 140_000 + ",true,wj,s1\n",
        (2, "name_zh", None, "a cell of at most 131072 characters"),
    ),
    (
        "very-long-open-quote",
        "firms.csv",
        FIRMS + 'f1,"甲,true,wj,s1\n' + "f2,乙,true,wj,s1\n" * 10_000,
        (2, "name_zh", None, "never closes"),
    ),
]


@pytest.mark.parametrize("case", FOLDER_CASES, ids=[c[0] for c in FOLDER_CASES])
def test_hostile_file_in_a_dataset_folder(case, tmp_path: Path):
    _, file, content, (row, field, value, expected) = case
    folder = folder_with(tmp_path, {file: content})
    found = [i for i in issues_of(folder) if i.file == file and i.row == row and i.field == field]
    assert found, "\n".join(map(str, issues_of(folder)))
    issue = found[0]
    assert expected in issue.expected, str(issue)
    if value is not None:
        assert issue.value == value
    assert len(issue.value) <= 200, "the value shown is cut short"
    assert issue.expected_zh and issue.expected_zh != issue.expected
    assert file in str(issue) and (f"row {row}" in str(issue))


@pytest.mark.parametrize("case", FOLDER_CASES[:8], ids=[c[0] for c in FOLDER_CASES[:8]])
def test_load_check_reports_without_a_traceback(case, tmp_path: Path, capsys):
    _, file, content, (row, _, _, _) = case
    folder = folder_with(tmp_path, {file: content})
    assert main(["load", str(folder), "--check"]) == 2
    err = capsys.readouterr().err
    assert f"{file}, row {row}" in err and "Traceback" not in err


def test_long_field_and_open_quote_give_no_traceback_on_the_command_line(tmp_path: Path, capsys):
    content = FIRMS + 'f1,"甲,true,wj,s1\n' + ("f2," + "长" * 140_000 + ",true,wj,s1\n")
    assert main(["load", str(folder_with(tmp_path, {"firms.csv": content})), "--check"]) == 2
    err = capsys.readouterr().err
    assert "firms.csv, row 2, field 'name_zh'" in err and "never closes" in err and "Traceback" not in err


def test_unreadable_table_file_is_reported(tmp_path: Path):
    folder = folder_with(tmp_path, {})
    (folder / "firms.csv").unlink()
    (folder / "firms.csv").mkdir()
    (issue,) = issues_of(folder)
    assert (issue.file, issue.field, issue.expected) == ("firms.csv", "(file)", "a readable file")
    report = run_import(MemoryStore(base_graph()), read_input("ds", path=folder))
    assert report.blocked and any(e.file == "firms.csv" and e.expected == "a readable file" for e in report.errors)


# -- what is accepted, and how it is read --------------------------------------------------------------


def test_bom_crlf_and_header_after_blank_lines_are_read(tmp_path: Path):
    firms = "\ufeff\r\n\r\n" + (FIRMS + "f1,甲公司,true,wj,s1\nf2,乙公司,false,,s1\n").replace("\n", "\r\n")
    ds = load_folder(folder_with(tmp_path, {"firms.csv": firms}))
    assert ds.nodes["f2"].name_zh == "乙公司" and ds.nodes["f1"].district_id == "wj"


def test_blank_cells_under_blank_trailing_header_cells_are_fine(tmp_path: Path):
    ds = load_folder(folder_with(tmp_path, {"firms.csv": FIRMS.strip() + ",,\nf1,甲公司,true,wj,s1,,\n"}))
    assert ds.nodes["f1"].name_zh == "甲公司"


def test_spaces_around_cells_are_dropped_and_full_width_digits_read(tmp_path: Path):
    folder = folder_with(
        tmp_path,
        {
            "firms.csv": FIRMS + " f1 ,甲公司\u3000,true\u3000, wj ,s1\n",
            "sources.csv": SOURCES + "s2,文件,２０２２－０９,X-2\n",
            "cluster_figures.csv": "cluster_id,year,metric,value,unit,sources\nnev,２０２３,output,１３００,亿元,s1\n",
        },
    )
    ds = load_folder(folder)
    firm = ds.nodes["f1"]
    assert (firm.name_zh, firm.is_local, firm.district_id) == ("甲公司", True, "wj")
    assert ds.nodes["s2"].date == "2022-09"
    (figure,) = ds.nodes["nev"].figures
    assert (figure.year, figure.value) == (2023, 1300.0)


# -- a failed import keeps what was loaded before ------------------------------------------------------


def test_failed_import_keeps_the_graph_loaded_before(tmp_path: Path):
    store = MemoryStore(base_graph())
    state = StateDir(tmp_path / "state")
    state.save(store.snapshot())
    good = (FIRMS + "new-co,新公司,true,d-wujin,s-tiny\n").encode()
    assert run_import(store, read_input("firms.csv", good), state=state).applied
    version, saved = store.version(), state.snapshot_path.read_bytes()
    bad, _ = table_with_bad_byte(TABLES[7])
    for name, data in (
        ("firms.csv", bad),
        ("firms.csv", (FIRMS + 'x,"乙,true,d-wujin,s-tiny\n').encode()),
        ("firms.csv", ("id,name_zh,is_local,sources,id\nx,乙,true,s-tiny,y\n").encode()),
        ("book.xlsx", xlsx({"frims": [FIRMS.strip().split(","), ["x", "乙", "true", "d-wujin", "s-tiny"]]})),
    ):
        report = run_import(store, read_input(name, data), state=state)
        assert report.blocked and not report.applied
        assert store.version() == version and state.snapshot_path.read_bytes() == saved
    assert store.node("new-co") is not None and store.node("new-co").name_zh == "新公司"


def test_sheet_name_typo_names_the_table_it_looks_like():
    data = xlsx({"frims": [FIRMS.strip().split(","), ["x", "乙", "true", "d-wujin", "s-tiny"]]})
    (issue,) = run_import(MemoryStore(base_graph()), read_input("book.xlsx", data)).errors
    assert (issue.sheet, issue.row, issue.field) == ("frims", 1, "(sheet)")
    assert "is 'frims' meant to be 'firms'?" in issue.expected and "'firms'" in issue.expected_zh


# -- dataset folders read the encodings the import reads -------------------------------------------------

FIRM_ROWS = "f1,甲公司,true,wj,s1\nf2,乙电池（溧阳）有限公司,false,,s1\n"
"""Two firms with Chinese names (full-width brackets included), for the encoding tests."""


def as_tabs(text: str) -> str:
    """``text`` with tabs between cells, as Excel's "Unicode text" writes it."""
    return "".join("\t".join(line.split(",")) + "\n" for line in text.splitlines())


@pytest.mark.parametrize(
    ("encoding", "tabs", "named"),
    [
        ("gbk", False, 'read as GB18030/GBK (Excel "CSV" on Chinese Windows)'),
        ("gb18030", False, 'read as GB18030/GBK (Excel "CSV" on Chinese Windows)'),
        ("utf-16", False, 'read as UTF-16 (Excel "Unicode text")'),
        ("utf-16", True, 'read as UTF-16 (Excel "Unicode text"), tab-separated'),
        ("utf-8-sig", False, ""),
    ],
    ids=["gbk", "gb18030", "utf-16", "utf-16-tabs", "utf-8-bom"],
)
def test_folder_reads_the_encodings_the_import_reads(encoding, tabs, named, tmp_path: Path, caplog):
    text = FIRMS + FIRM_ROWS
    (tmp_path / "utf8").mkdir()
    expected = load_folder(folder_with(tmp_path / "utf8", {"firms.csv": text})).nodes
    data = (as_tabs(text) if tabs else text).encode(encoding)
    caplog.set_level("WARNING", logger="chainkg.loaders")
    ds = load_folder(folder_with(tmp_path, {"firms.csv": data}))
    assert ds.nodes == expected and ds.nodes["f2"].name_zh == "乙电池（溧阳）有限公司"
    notes = [r.getMessage() for r in caplog.records if r.name == "chainkg.loaders"]
    if named:
        (note,) = notes
        assert note.startswith(f"firms.csv: not UTF-8; {named} / firms.csv 不是 UTF-8 编码，已按 ")
    else:
        assert notes == []
    imported = read_input("firms.csv", data).collect(set(), base_graph()).rows.values()
    assert [r.get("name_zh") for r in imported] == ["甲公司", "乙电池（溧阳）有限公司"], "the import reads it alike"


def test_load_check_names_the_encoding_of_each_file_that_is_not_utf8(tmp_path: Path):
    folder = folder_with(
        tmp_path,
        {"firms.csv": (FIRMS + FIRM_ROWS).encode("gbk"), "districts.csv": as_tabs(DISTRICTS).encode("utf-16")},
    )
    done = subprocess.run(
        [sys.executable, "-m", "chainkg", "load", str(folder), "--check"],
        capture_output=True,
        text=True,
        encoding="utf-8",
        env={**os.environ, "PYTHONIOENCODING": "utf-8"},
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith(f"OK: {folder} is valid")
    assert 'firms.csv: not UTF-8; read as GB18030/GBK (Excel "CSV" on Chinese Windows)' in done.stderr
    assert 'districts.csv: not UTF-8; read as UTF-16 (Excel "Unicode text"), tab-separated' in done.stderr
    assert "districts.csv 不是 UTF-8 编码，已按 UTF-16（Excel“Unicode 文本”）读取，以制表符分隔" in done.stderr
    assert "sources.csv" not in done.stderr, "a UTF-8 file is not mentioned"


def test_a_file_in_no_supported_encoding_is_still_refused_on_its_row(tmp_path: Path):
    data = (FIRMS + "f1,甲公司,true,wj,s1\n").encode() + "f2,Müller GmbH,false,,s1\n".encode("latin-1")
    (issue,) = issues_of(folder_with(tmp_path, {"firms.csv": data}))
    assert (issue.file, issue.row, issue.field, issue.value) == ("firms.csv", 3, "name_zh", "M\ufffdller GmbH")
    assert issue.expected == (
        'text in UTF-8, UTF-8 with BOM or GB18030/GBK (save the CSV as "CSV UTF-8"); byte 0xFC is not UTF-8'
    )


# -- a lone surrogate in a UTF-16 file is reported on its row ------------------------------------------------


@pytest.mark.parametrize("tabs", [False, True], ids=["commas", "tabs"])
def test_lone_surrogate_in_utf16_is_on_its_row_and_column(tabs, tmp_path: Path):
    text = FIRMS + "f1,甲公司,true,wj,s1\nf2,乙\ud800公司,true,wj,s1\nf3,丙公司,true,wj,s1\n"
    data = (as_tabs(text) if tabs else text).encode("utf-16", "surrogatepass")
    (issue,) = issues_of(folder_with(tmp_path, {"firms.csv": data}))
    assert (issue.file, issue.row, issue.field, issue.value) == ("firms.csv", 3, "name_zh", "乙\ufffd\ufffd公司")
    assert issue.expected.endswith("bytes 0x00 0xD8 are not UTF-16")
    (imported,) = run_import(MemoryStore(base_graph()), read_input("firms.csv", data)).errors
    assert (imported.row, imported.field, imported.expected) == (3, "name_zh", issue.expected)


# -- a list cell with a separator other than | ---------------------------------------------------------------------


@pytest.mark.parametrize("separator", ["｜", "、", "，", ";"])
def test_list_cell_with_another_separator_gets_a_hint(separator, tmp_path: Path):
    folder = folder_with(
        tmp_path,
        {
            "sources.csv": SOURCES + "s2,文件,2022,X-2\n",
            "clusters.csv": f"id,name_zh,sources\nnev,新能源汽车,s1{separator}s2\n",
            "firms.csv": "id,name_zh,is_local,district_id,district_sources,sources\n"
            f"f1,甲公司,true,wj,s1{separator}s2,s1\n",
            "cluster_figures.csv": "cluster_id,year,metric,value,unit,scope,sources\n"
            f'nev,2023,output,1300,亿元,"cell{separator}pack",s1\n',
        },
    )
    found = {(i.file, i.field): i for i in issues_of(folder)}
    assert set(found) == {
        ("clusters.csv", "sources"),
        ("firms.csv", "district_sources"),
        ("cluster_figures.csv", "scope"),
    }
    for issue in found.values():
        assert issue.value.endswith(f"{separator}s2") or issue.value == f"cell{separator}pack"
        assert issue.expected.endswith(f" (use | (ASCII) between values, not {separator!r})"), str(issue)
        assert issue.expected_zh.endswith(f"（多个值之间请用半角竖线 |，而不是 {separator!r}）")
    report = run_import(
        MemoryStore(base_graph()),
        read_input("firms.csv", (FIRMS + f"new-co,新公司,true,d-wujin,s-tiny{separator}s-other\n").encode()),
    )
    (issue,) = report.errors
    assert (issue.field, issue.value) == ("sources", f"s-tiny{separator}s-other")
    assert issue.expected.endswith(f" (use | (ASCII) between values, not {separator!r})")


def test_an_unknown_id_without_a_separator_gets_no_hint(tmp_path: Path):
    (issue,) = issues_of(folder_with(tmp_path, {"clusters.csv": "id,name_zh,sources\nnev,新能源汽车,s1|s9\n"}))
    assert (issue.field, issue.value, issue.expected) == ("sources", "s9", "the id of a row in sources.csv")
    assert issue.expected_zh == "sources.csv 中某一行的编号"


# -- a file refused whole: its follow-on unknown ids are folded, one line per referring file and column --------------


def bundled_copy(tmp_path: Path) -> Path:
    """A copy of the bundled dataset to break one file of."""
    import shutil

    from chainkg.settings import BUNDLED_DATA

    folder = tmp_path / "changzhou"
    shutil.copytree(BUNDLED_DATA, folder)
    return folder


def break_a_byte(path: Path, id_prefix: bytes) -> None:
    """Overwrite one byte in the middle of the id on the row starting with ``id_prefix`` with :data:`BAD`."""
    data = path.read_bytes()
    at = data.index(b"\n" + id_prefix) + 1 + len(id_prefix) // 2
    path.write_bytes(data[:at] + BAD + data[at + 1 :])


def add_row(path: Path, line: str) -> int:
    """Append ``line`` to ``path`` and return its line number."""
    text = path.read_text(encoding="utf-8")
    text += ("" if text.endswith("\n") else "\n") + line + "\n"
    path.write_text(text, encoding="utf-8")
    return text.count("\n")


def folded_error(folder: Path) -> DataValidationError:
    with pytest.raises(DataValidationError) as info:
        load_folder(folder)
    return info.value


def summaries_of(issues: list[DataIssue]) -> dict[tuple[str, str], DataIssue]:
    """The summary lines (row 0, a count of references not checked), by referring file and column."""
    return {(i.file, i.field): i for i in issues if i.row == 0 and "not checked" in i.value}


def test_a_bad_byte_in_districts_gives_one_problem_and_one_summary_per_referring_file(tmp_path: Path):
    folder = bundled_copy(tmp_path)
    break_a_byte(folder / "districts.csv", b"wujin")
    stray = add_row(folder / "firms.b.csv", "stray-co,某公司,,,true,atlantis,,,,,s52-xiaojuren-2022-08,sourced,")
    err = folded_error(folder)
    first = err.issues[0]
    assert (first.file, first.row, first.field) == ("districts.csv", 5, "id"), "the real problem comes first"
    assert "byte 0xC7 is not UTF-8" in first.expected
    # 'atlantis' is no id districts.csv holds: a real unknown id, on its own row
    (unknown,) = [i for i in err.issues if i.value == "atlantis"]
    assert (unknown.file, unknown.row, unknown.field) == ("firms.b.csv", stray, "district_id")
    summaries = summaries_of(err.issues)
    assert set(summaries) == {
        ("firms.csv", "district_id"),
        ("firms.a.csv", "district_id"),
        ("firms.b.csv", "district_id"),
        ("project_links.csv", "target"),
    }
    assert err.issues[: len(err.issues) - len(summaries)] == [first, unknown], "real problems first, then summaries"
    assert len(err.issues) == 6
    line = str(summaries[("firms.a.csv", "district_id")])
    assert line.startswith("firms.a.csv, field 'district_id': ") and " references to districts not checked" in line
    assert "districts.csv was refused, see above" in line
    folded = sum(int(i.value.strip("(").split()[0]) for i in summaries.values())
    assert folded > 100, "every reference to a district, the broken 'wujin' one included"
    message = str(err)
    assert message.startswith(f"2 problem(s) in the dataset, and {folded} reference(s) not checked")
    assert "(summed up in the last 4 line(s))" in message.splitlines()[0]


def test_a_broken_header_in_a_segments_file_gives_one_problem_and_summaries(tmp_path: Path):
    folder = bundled_copy(tmp_path)
    path = folder / "segments.nev.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace(",position,", ",postion,", 1), encoding="utf-8")
    stray = add_row(folder / "supplies.csv", "nev-cathode,nev-no-such-segment,s52-xiaojuren-2022-08,sourced,")
    err = folded_error(folder)
    first = err.issues[0]
    assert (first.file, first.row, first.field) == ("segments.nev.csv", 1, "position")
    assert "'postion' meant to be 'position'" in first.expected
    # the unknown end is reported; the nev-cathode end, which segments.nev.csv holds, is folded
    (unknown,) = [i for i in err.issues if i.row > 0 and i.file != "segments.nev.csv"]
    assert (unknown.file, unknown.row, unknown.field, unknown.value) == (
        "supplies.csv",
        stray,
        "target",
        "nev-no-such-segment",
    )
    summaries = summaries_of(err.issues)
    assert len(err.issues) == 2 + len(summaries) <= 16
    assert ("operates_in.a.csv", "segment_id") in summaries and ("supplies.csv", "source") in summaries
    assert all("segments.nev.csv was refused, see above" in str(s) for s in summaries.values())
    assert isinstance(err, FoldedValidationError) and err.real == 2 and err.folded > 100


def test_a_header_without_an_id_column_folds_every_unknown_id_of_its_kind_but_no_other(tmp_path: Path):
    folder = bundled_copy(tmp_path)
    path = folder / "segments.nev.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("id,", "idd,", 1), encoding="utf-8")
    stray = add_row(folder / "operates_in.csv", "no-such-firm,nev-cathode,member,,s52-xiaojuren-2022-08,sourced,")
    err = folded_error(folder)
    assert err.issues[0].file == "segments.nev.csv"
    (unknown,) = [i for i in err.issues if i.row > 0 and i.file != "segments.nev.csv"]
    assert (unknown.file, unknown.row, unknown.field) == ("operates_in.csv", stray, "firm_id"), "a Firm, not folded"
    summary = summaries_of(err.issues)[("operates_in.a.csv", "segment_id")]
    assert "its ids could not be read" in summary.value


def test_the_cli_check_prints_the_real_problem_first(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    folder = bundled_copy(tmp_path)
    break_a_byte(folder / "districts.csv", b"wujin")
    assert main(["load", str(folder), "--check"]) == 2
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("error: 1 problem(s) in the dataset, and ")
    assert lines[1].startswith("  - districts.csv, row 5, field 'id': ")
    assert len(lines) == 6


@pytest.mark.parametrize("packed", [False, True], ids=["folder", "zip"])
def test_import_of_a_folder_or_zip_with_a_refused_file_folds_its_follow_ons(packed: bool, tmp_path: Path):
    folder = bundled_copy(tmp_path)
    break_a_byte(folder / "districts.csv", b"wujin")
    (folder / "README.md").unlink()
    if packed:
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as archive:
            for path in sorted(folder.iterdir()):
                archive.write(path, path.name)
        source = read_input("changzhou.zip", buf.getvalue())
        prefix = "changzhou.zip/"
    else:
        source = read_input(str(folder), path=folder)
        prefix = ""
    report = run_import(MemoryStore(), source)
    assert report.blocked and not report.applied
    first = report.errors[0]
    assert (first.file, first.row, first.field) == (f"{prefix}districts.csv", 5, "id")
    summaries = summaries_of(report.errors)
    assert len(report.errors) == 1 + len(summaries) == 5 and report.summaries == 4
    assert set(summaries) == {
        (f"{prefix}{name}", column)
        for name, column in [
            ("firms.csv", "district_id"),
            ("firms.a.csv", "district_id"),
            ("firms.b.csv", "district_id"),
            ("project_links.csv", "target"),
        ]
    }
    assert report.folded > 100
    lines = report.lines()
    assert f"1 problem(s), and {report.folded} reference(s) not checked" in "\n".join(lines)
    assert [e["row"] for e in report.summary()["errors"]][:2] == [5, 0]  # type: ignore[index]


def test_a_workbook_sheet_with_a_bad_header_folds_the_references_to_it():
    book = xlsx(
        {
            "districts": [["id", "nam_zh", "sources"], ["d-new", "新区", "s-tiny"]],
            "firms": [
                ["id", "name_zh", "is_local", "district_id", "sources"],
                ["new-a", "新甲公司", "true", "d-new", "s-tiny"],
                ["new-b", "新乙公司", "true", "d-new", "s-tiny"],
                ["new-c", "新丙公司", "true", "d-nowhere", "s-tiny"],
            ],
        }
    )
    report = run_import(MemoryStore(base_graph()), read_input("new.xlsx", book))
    first, unknown, summary = report.errors
    assert (first.sheet, first.row, first.field) == ("districts", 1, "name_zh")
    assert (unknown.sheet, unknown.row, unknown.value) == ("firms", 4, "d-nowhere")
    assert (summary.sheet, summary.row, summary.field) == ("firms", 0, "district_id")
    assert summary.value.startswith("(2 references to districts not checked (first at row 2): ")
    assert "new.xlsx [sheet districts] was refused" in summary.value
