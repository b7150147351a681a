"""A corpus of bad input files: each gives its expected error and leaves the graph unchanged.

Every file is built in code. For each one the test checks the error names the
file, row, column, bad value and what was expected (in English and Chinese),
and that neither the store nor the saved snapshot changed.
"""

from __future__ import annotations

import datetime as dt
import io
import random
import struct
import zipfile
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest
from openpyxl.workbook import Workbook

from graph.memory_store import MemoryStore
from graph.persist import StateDir
from loaders.importer import ImportOptions, read_input, run_import
from loaders.workbook import WorkbookLimits
from tests.import_support import base_graph, xlsx

GARBAGE = random.Random(7).randbytes(2**20)
FIRMS = "id,name_zh,is_local,district_id,sources\n"


def csv(text: str, encoding: str = "utf-8") -> Callable[[], bytes]:
    return lambda: text.encode(encoding)


def book(sheets: dict[str, list[list[object]]], edit: Callable[[Workbook], None] | None = None) -> Callable[[], bytes]:
    return lambda: xlsx(sheets, edit)


def _merge(wb: Workbook) -> None:
    wb["firms"].merge_cells("E2:E3")


def _zip_bomb() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        with archive.open("xl/worksheets/sheet1.xml", "w") as part:
            block = b"\0" * 2**20
            for _ in range(8):
                part.write(block)
    return buf.getvalue()


def _other_zip() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("word/document.xml", "<w:document/>")
    return buf.getvalue()


def _lying_zip() -> bytes:
    """A real workbook whose zip directory understates a sheet's unpacked size (a disguised bomb)."""
    data = bytearray(xlsx({"firms": [FIRMS.strip().split(","), ["a", "甲", "true", "", "s-tiny"]]}))
    with zipfile.ZipFile(io.BytesIO(bytes(data))) as archive:
        info = archive.getinfo("xl/worksheets/sheet1.xml")
    struct.pack_into("<I", data, info.header_offset + 22, 10)  # local header: uncompressed size
    central = bytes(data).find(b"PK\x01\x02")
    while central != -1:
        name_len = struct.unpack_from("<H", data, central + 28)[0]
        if bytes(data[central + 46 : central + 46 + name_len]) == b"xl/worksheets/sheet1.xml":
            struct.pack_into("<I", data, central + 24, 10)  # central directory: uncompressed size
            break
        central = bytes(data).find(b"PK\x01\x02", central + 4)
    return bytes(data)


def _broken_sheet_xml() -> bytes:
    """A workbook whose sheet XML breaks after 150 rows (found only while the rows are read)."""
    rows = [FIRMS.strip().split(",")] + [[f"f{i}", f"企业{i}", "true", "", "s-tiny"] for i in range(200)]
    source = zipfile.ZipFile(io.BytesIO(xlsx({"firms": rows})))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        for info in source.infolist():
            part = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                cut = part.index(b'<row r="150"')
                part = part[:cut] + b'<row r="150"><c r="A150"' + part[cut + 200 :]
            archive.writestr(info, part)
    return out.getvalue()


def _zip_of_csvs() -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as archive:
        archive.writestr("firms.csv", FIRMS + "ok-co,好公司,true,d-wujin,s-tiny\n")
        archive.writestr("people.csv", "name\nx\n")
    return buf.getvalue()


@dataclass
class Case:
    id: str
    filename: str
    make: Callable[[], bytes]
    field: str
    expected: str
    row: int | None = None
    sheet: str | None = None
    value: str | None = None


CASES = [
    # -- encodings and garbage ---------------------------------------------------------
    Case(
        "shift-jis", "firms.csv", csv(FIRMS + "jp,日本の会社です,true,,s-tiny\n", "shift_jis"), "name_zh", "GB18030", 2
    ),
    Case(
        "latin-1",
        "firms.csv",
        csv(FIRMS + "de,Müller Straße Öl,true,,s-tiny\n", "latin-1"),
        "name_zh",
        "byte 0xFC is not UTF-8",
        2,
        None,
        "M\ufffdller Stra\ufffde \ufffdl",
    ),
    Case("utf-16-no-bom", "firms.csv", csv(FIRMS + "a,甲,true,,s-tiny\n", "utf-16-le"), "(file)", "not a binary"),
    Case(
        "utf-16-lone-surrogate",
        "firms.csv",
        lambda: (FIRMS + "a,甲,true,,s-tiny\nb,乙\ud800,true,,s-tiny\n").encode("utf-16", "surrogatepass"),
        "name_zh",
        "bytes 0x00 0xD8 are not UTF-16",
        3,
        None,
        "乙\ufffd\ufffd",
    ),
    Case("garbage-csv", "firms.csv", lambda: GARBAGE, "(file)", "UTF-8"),
    Case("garbage-xlsx", "firms.xlsx", lambda: GARBAGE, "(file)", "zip archive"),
    Case("garbage-json", "graph.json", lambda: GARBAGE, "(file)", "UTF-8"),
    Case("empty-csv", "firms.csv", lambda: b"", "(file)", "header row"),
    # -- headers and tables ------------------------------------------------------------
    Case("missing-column", "firms.csv", csv("id,name_zh,sources\na,甲,s-tiny\n"), "is_local", "columns id, name_zh", 1),
    Case(
        "unknown-column",
        "firms.csv",
        csv("id,name_zh,is_local,phone,sources\na,甲,true,1,s-tiny\n"),
        "phone",
        "one of the columns",
        1,
    ),
    Case("header-only", "firms.csv", csv(FIRMS), "(file)", "at least one data row"),
    Case("unknown-table", "people.csv", csv("name,phone\nx,1\n"), "(file)", "named after its table"),
    Case("too-many-cells", "firms.csv", csv(FIRMS + "a,甲,true,d-wujin,s-tiny,extra\n"), "(row)", "at most 5 cells", 2),
    Case("zip-unknown-member", "tables.zip", _zip_of_csvs, "(file)", "CSV files named after tables"),
    Case(
        "duplicate-column",
        "firms.csv",
        csv("id,name_zh,is_local,sources,id\na,甲,true,s-tiny,b\n"),
        "id",
        "each column once",
        1,
    ),
    Case(
        "blank-column", "firms.csv", csv("id,,name_zh,is_local,sources\na,,甲,true,s-tiny\n"), "(header)", "column 2", 1
    ),
    Case(
        "open-quote",
        "firms.csv",
        csv(FIRMS + 'a,"甲,true,,s-tiny\nb,乙,true,,s-tiny\n'),
        "name_zh",
        "never closes",
        2,
    ),
    Case(
        "long-cell", "firms.csv", csv(FIRMS + "a," + "长" * 140_000 + ",true,,s-tiny\n"), "name_zh", "at most 131072", 2
    ),
    Case(
        "bad-byte-row-5",
        "firms.csv",
        lambda: (
            (FIRMS + "a,甲,true,,s-tiny\nb,乙,true,,s-tiny\nc,丙,true,,s-tiny\n").encode() + b"d,x\xc7,true,,s-tiny\n"
        ),
        "name_zh",
        "byte 0xC7 is not UTF-8",
        5,
        None,
        "x\ufffd",
    ),
    Case(
        "sheet-typo",
        "book.xlsx",
        book({"frims": [FIRMS.strip().split(","), ["a", "甲", "true", "", "s-tiny"]]}),
        "(sheet)",
        "meant to be 'firms'",
        1,
        "frims",
    ),
    # -- values ------------------------------------------------------------------------
    Case(
        "full-width-bar-in-sources",
        "firms.csv",
        csv(FIRMS + "new-co,新公司,true,d-wujin,s-tiny｜s-tiny\n"),
        "sources",
        "use | (ASCII) between values, not '｜'",
        2,
        None,
        "s-tiny｜s-tiny",
    ),
    Case(
        "ideographic-comma-in-sources",
        "book.xlsx",
        book({"firms": [FIRMS.strip().split(","), ["new-co", "新公司", "true", "d-wujin", "s-tiny、s-tiny"]]}),
        "sources",
        "use | (ASCII) between values, not '、'",
        2,
        "firms",
        "s-tiny、s-tiny",
    ),
    Case("bad-id", "firms.csv", csv(FIRMS + "New Firm,新公司,true,d-wujin,s-tiny\n"), "id", "lower-case ASCII id", 2),
    Case(
        "duplicate-id",
        "firms.csv",
        csv(FIRMS + "dup,甲一,true,,s-tiny\ndup,甲二,true,,s-tiny\n"),
        "id",
        "a unique id (already used in firms.csv, row 2)",
        3,
    ),
    Case(
        "bad-boolean",
        "firms.csv",
        csv(FIRMS + "a,甲,perhaps,,s-tiny\n"),
        "is_local",
        "true or false",
        2,
        None,
        "perhaps",
    ),
    Case("missing-sources", "firms.csv", csv(FIRMS + "a,甲,true,,\n"), "sources", "at least one source id", 2),
    Case(
        "thousands-separator",
        "cluster_figures.csv",
        csv('cluster_id,year,metric,value,unit,sources\nt-nev,2023,output,"1,300",亿元,s-tiny\n'),
        "value",
        "without thousands separators",
        2,
        None,
        "1,300",
    ),
    Case(
        "not-a-number",
        "cluster_figures.csv",
        csv("cluster_id,year,metric,value,unit,sources\nt-nev,2023,output,nan,亿元,s-tiny\n"),
        "value",
        "a number",
        2,
        None,
        "nan",
    ),
    Case(
        "year-out-of-range",
        "operates_in.csv",
        csv("firm_id,segment_id,role,year,sources\nf-cell-a,t-pack,member,20230,s-tiny\n"),
        "year",
        "a year from 1900 to 2100",
        2,
    ),
    Case(
        "impossible-date",
        "sources.csv",
        csv("id,title,date,doc_no\ns-x,某文件,2022-02-30,X-1\n"),
        "date",
        "that exists",
        2,
        None,
        "2022-02-30",
    ),
    Case("unknown-source", "firms.csv", csv(FIRMS + "a,甲,true,,no-such-src\n"), "sources", "the id of a Source", 2),
    Case(
        "unknown-district",
        "firms.csv",
        csv(FIRMS + "a,甲,true,d-nowhere,s-tiny\n"),
        "district_id",
        "the id of a District",
        2,
    ),
    Case(
        "unknown-segment",
        "operates_in.csv",
        csv("firm_id,segment_id,role,sources\nf-cell-b,t-nope,member,s-tiny\n"),
        "segment_id",
        "the id of a Segment",
        2,
        None,
        "t-nope",
    ),
    Case(
        "unknown-cluster",
        "segments.csv",
        csv("id,cluster_id,name_zh,position,sources\nx,t-none,某,upstream,s-tiny\n"),
        "cluster_id",
        "the id of a Cluster",
        2,
    ),
    Case(
        "bad-position",
        "segments.csv",
        csv("id,cluster_id,name_zh,position,sources\nx,t-nev,某,middle,s-tiny\n"),
        "position",
        "one of upstream, midstream",
        2,
    ),
    Case(
        "bad-role",
        "operates_in.csv",
        csv("firm_id,segment_id,role,sources\nf-cell-c,t-pack,leader,s-tiny\n"),
        "role",
        "one of anchor, major, member",
        2,
    ),
    Case(
        "bad-confidence",
        "supplies.csv",
        csv("source,target,sources,confidence\nt-anode,t-pack,s-tiny,maybe\n"),
        "confidence",
        "one of sourced, unverified",
        2,
    ),
    Case(
        "self-loop",
        "supplies.csv",
        csv("source,target,sources\nt-pack,t-pack,s-tiny\n"),
        "(row)",
        "cannot join a node to itself",
        2,
    ),
    Case(
        "bad-figure",
        "cluster_figures.csv",
        csv("cluster_id,year,metric,value,unit,sources\nt-nev,2023,output,一千,亿元,s-tiny\n"),
        "value",
        "a number",
        2,
    ),
    Case(
        "bad-link-kind",
        "firm_links.csv",
        csv("kind,source,target,sources\nOWNS,f-cell-a,f-cell-b,s-tiny\n"),
        "kind",
        "SUBSIDIARY_OF or SUPPLIES_TO",
        2,
    ),
    Case(
        "wrong-kind-id",
        "firms.csv",
        csv(FIRMS + "t-cell,电芯公司,true,,s-tiny\n"),
        "id",
        "an id not used by another kind of node",
        2,
    ),
    Case(  # a firm named instead of its id (a new id in firms.csv is a new firm: see test_import_review16b)
        "ambiguous-firm",
        "operates_in.csv",
        csv("firm_id,segment_id,role,sources\n甲电池股份有限公司,t-pack,member,s-tiny\n"),
        "firm_id",
        "matches f-cell-a, o-cell-x",
        2,
    ),
    Case(
        "conflict",
        "firms.csv",
        csv(FIRMS + "f-cell-a,甲电池,false,d-liyang,s-tiny\n"),
        "is_local",
        "the value the graph holds",
        2,
        None,
        "false",
    ),
    # -- workbooks ---------------------------------------------------------------------
    Case(
        "formula",
        "book.xlsx",
        book({"firms": [FIRMS.strip().split(","), ["a", "=B3", "true", "", "s-tiny"]]}),
        "name_zh",
        "not a formula",
        2,
        "firms",
        "=B3",
    ),
    Case(
        "merged-cells",
        "book.xlsx",
        book(
            {"firms": [FIRMS.strip().split(","), ["a", "甲", "true", "", "s-tiny"], ["b", "乙", "true", "", None]]},
            _merge,
        ),
        "sources",
        "unmerge",
        3,
        "firms",
    ),
    Case(
        "date-cell",
        "book.xlsx",
        book(
            {"sources": [["id", "title", "date", "url"], ["s-x", "某文件", dt.datetime(2022, 9, 27), "https://e.org"]]}
        ),
        "date",
        "not an Excel date",
        2,
        "sources",
        "2022-09-27",
    ),
    Case(
        "date-number",
        "book.xlsx",
        book({"sources": [["id", "title", "date", "url"], ["s-x", "某文件", 44831, "https://e.org"]]}),
        "date",
        "44831 is 2022-09-27",
        2,
        "sources",
    ),
    Case(
        "excel-error",
        "book.xlsx",
        book({"firms": [FIRMS.strip().split(","), ["a", "#N/A", "true", "", "s-tiny"]]}),
        "name_zh",
        "not an Excel error",
        2,
        "firms",
    ),
    Case("empty-sheet", "book.xlsx", book({"firms": []}), "(sheet)", "a header row", 1, "firms"),
    Case(
        "unknown-sheet",
        "book.xlsx",
        book({"Sheet1": [["a", "b"], [1, 2]]}),
        "(sheet)",
        "a sheet named after a table",
        1,
        "Sheet1",
    ),
    Case(
        "sheet-missing-column",
        "book.xlsx",
        book({"segments": [["id", "name_zh"], ["x", "某"]]}),
        "cluster_id,position,sources",
        "columns id, cluster_id",
        1,
        "segments",
    ),
    Case("zip-bomb", "bomb.xlsx", _zip_bomb, "(file)", "zip bomb"),
    Case("xls", "old.xlsx", lambda: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 600, "(file)", "without a password"),
    Case("not-a-workbook", "doc.xlsx", _other_zip, "(file)", "another kind of file"),
    Case("lying-zip", "lying.xlsx", _lying_zip, "(file)", "a workbook Excel can open"),
    Case("broken-sheet-xml", "broken.xlsx", _broken_sheet_xml, "(file)", "a workbook Excel can open"),
    # -- json --------------------------------------------------------------------------
    Case(
        "json-truncated",
        "graph.json",
        lambda: b'{"format": "chainkg/1", "nodes": [{"kind": "Dis',
        "(json)",
        "chainkg/1 JSON",
    ),
    Case("json-wrong-shape", "graph.json", lambda: b"[1, 2, 3]", "(json)", "chainkg/1 JSON"),
    Case(
        "json-unknown-kind",
        "graph.json",
        lambda: b'{"nodes": [{"kind": "Person", "id": "p", "name_zh": "x", "sources": ["s-tiny"]}]}',
        "kind",
        "one of Cluster",
        1,
        "nodes",
        "Person",
    ),
    Case(
        "json-bad-id",
        "graph.json",
        lambda: '{"nodes": [{"kind": "District", "id": "Bad Id", "name_zh": "某", "sources": ["s-tiny"]}]}'.encode(),
        "id",
        "ids are lower-case",
        1,
        "nodes",
    ),
]


def test_corpus_is_large_enough():
    assert len(CASES) >= 30
    assert len({c.id for c in CASES}) == len(CASES)


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_bad_file_is_refused_and_changes_nothing(case: Case, tmp_path: Path):
    store = MemoryStore(base_graph())
    state = StateDir(tmp_path / "state")
    state.save(store.snapshot())
    saved = state.snapshot_path.read_bytes()
    version = store.version()

    report = run_import(store, read_input(case.filename, case.make()), state=state)

    assert report.blocked and not report.applied
    assert store.version() == version, "the store changed"
    assert state.snapshot_path.read_bytes() == saved, "the saved snapshot changed"
    found = [
        e
        for e in report.errors
        if e.field == case.field
        and case.expected in e.expected
        and (case.row is None or e.row == case.row)
        and (case.sheet is None or e.sheet == case.sheet)
        and (case.value is None or e.value == case.value)
    ]
    assert found, f"expected {case.field!r} / {case.expected!r}; got:\n" + "\n".join(map(str, report.errors))
    issue = found[0]
    assert issue.file.startswith(case.filename)
    assert issue.expected_zh and issue.expected_zh != issue.expected, "no Chinese rendering"
    assert issue.file in issue.message_zh
    assert f"第 {issue.row} 行" in issue.message_zh if issue.row > 0 else "第 0 行" not in issue.message_zh
    summary = report.summary()
    assert summary["ok"] is False and summary["errors"]
    assert {"message", "message_zh", "file", "sheet", "row", "field", "value", "expected"} <= set(summary["errors"][0])


def test_all_errors_are_reported_at_once():
    text = FIRMS + "Bad Id,甲,true,,s-tiny\nb,乙,perhaps,,s-tiny\nc,丙,true,d-nowhere,s-tiny\nd,丁,true,,nosrc\n"
    report = run_import(MemoryStore(base_graph()), read_input("firms.csv", text.encode()))
    assert sorted((e.row, e.field) for e in report.errors) == [
        (2, "id"),
        (3, "is_local"),
        (4, "district_id"),
        (5, "sources"),
    ]


def test_errors_come_in_row_order_and_unknown_ids_get_the_nearest():
    text = (
        "firm_id,segment_id,role,sources\n"
        "f-cell-a,t-cathod,member,s-tiny\n"  # row 2: a typo in a reference (found while merging, later)
        "f-cell-a,t-cell,boss,s-tiny\n"  # row 3: a bad role (found while reading, first)
        "f-cell-a,t-anode,member,s-tiny\n"
    )
    report = run_import(MemoryStore(base_graph()), read_input("operates_in.csv", text.encode()))
    assert [(e.row, e.field) for e in report.errors] == [(2, "segment_id"), (3, "role")]
    typo = report.errors[0]
    assert typo.expected.endswith("; nearest: t-cathode") and typo.message_zh.endswith("最接近的：t-cathode")


def test_size_limits_are_checked_before_unpacking():
    data = xlsx({"firms": [FIRMS.strip().split(","), ["a", "甲", "true", "", "s-tiny"]]})
    tight = ImportOptions(limits=WorkbookLimits(max_unpacked=1000))
    report = run_import(MemoryStore(base_graph()), read_input("book.xlsx", data, options=tight), tight)
    assert report.blocked and "bytes unpacked" in report.errors[0].expected


def test_row_limit():
    rows = [FIRMS.strip().split(",")] + [[f"f{i}", f"企业{i}", "true", "", "s-tiny"] for i in range(30)]
    tight = ImportOptions(limits=WorkbookLimits(max_rows=20))
    report = run_import(MemoryStore(base_graph()), read_input("book.xlsx", xlsx({"firms": rows}), options=tight))
    assert report.blocked and "at most 20 data rows" in report.errors[0].expected


def test_file_over_the_byte_limit_is_refused(tmp_path):
    from graph.errors import PayloadTooLarge

    path = tmp_path / "big.csv"
    path.write_bytes(b"x" * 2000)
    with pytest.raises(PayloadTooLarge, match="2000 bytes"):
        read_input("big.csv", path=path, options=ImportOptions(max_bytes=1000))
