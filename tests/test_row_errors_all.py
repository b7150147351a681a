"""Every problem of a data row at once: bad values (enum, number, date, empty required text, id) and references.

A row with a bad value used to stop at it: its other bad cells showed only once it was fixed and the
file read again. Each problem still names file, row, field, value and what was expected, in the
loaders' own words, and each cell is reported once. Rows without problems are kept as before.

Test rows are invented (测试, ids starting ``t-ra-``) and never enter the bundled data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import DataValidationError
from graph.memory_store import MemoryStore
from loaders.folder import load_folder
from loaders.importer import ImportOptions, plan_import, read_input, run_import
from tests.import_support import base_graph, xlsx

ID_EXPECTED = "a lower-case ASCII id: letters, digits, '.', '_' or '-'"
NON_EMPTY = "String should have at least 1 character"
BAD_DATE = "a date YYYY, YYYY-MM or YYYY-MM-DD that exists (month 01-12, day within the month)"


def _csv(*rows: str) -> bytes:
    return ("\n".join(rows) + "\n").encode("utf-8")


def _plan(name: str, data: bytes, **options: object):
    return plan_import(read_input(name, data), base_graph(), ImportOptions(**options))  # type: ignore[arg-type]


def _cells(issues) -> list[tuple[int, str, str]]:
    return [(i.row, i.field, i.value) for i in issues]


def test_a_firm_row_reports_confidence_is_local_id_name_and_district_together():
    data = _csv(
        "id,name_zh,is_local,district_id,sources,confidence",
        "T RA Bad,,maybe,d-wujinn,s-tiny,sure",
    )
    report = _plan("firms.csv", data, dry_run=True)
    assert _cells(report.errors) == [
        (2, "confidence", "sure"),
        (2, "is_local", "maybe"),
        (2, "id", "T RA Bad"),
        (2, "name_zh", ""),
        (2, "district_id", "d-wujinn"),
    ]
    by_field = {i.field: i for i in report.errors}
    assert str(by_field["confidence"]) == (
        "firms.csv, row 2, field 'confidence': got 'sure'; expected one of sourced, unverified"
    )
    assert str(by_field["id"]) == f"firms.csv, row 2, field 'id': got 'T RA Bad'; expected {ID_EXPECTED}"
    assert by_field["name_zh"].expected == NON_EMPTY and by_field["name_zh"].expected_zh == "非空文本"
    assert {i.file for i in report.errors} == {"firms.csv"} and report.not_counted == 1


def test_a_bad_id_is_reported_once_in_the_loaders_words():
    report = _plan("firms.csv", _csv("id,name_zh,is_local,sources", "T RA,测试甲,true,s-tiny"), dry_run=True)
    (issue,) = report.errors
    assert (issue.field, issue.expected) == ("id", ID_EXPECTED)


def test_a_segment_row_reports_sources_position_and_name_together():
    data = _csv("id,cluster_id,name_zh,position,sources", "t-ra-seg,t-nev,,sideways,")
    assert _cells(_plan("segments.csv", data, dry_run=True).errors) == [
        (2, "sources", ""),
        (2, "position", "sideways"),
        (2, "name_zh", ""),
    ]


def test_a_project_row_reports_status_amount_date_and_name_together():
    data = _csv(
        "id,name_zh,investment_amount,year,date,status,sources",
        "t-ra-proj,,abc,2022,2022-13-01,maybe,s-tiny",
    )
    report = _plan("projects.csv", data, dry_run=True)
    assert _cells(report.errors) == [
        (2, "status", "maybe"),
        (2, "investment_amount", "abc"),
        (2, "date", "2022-13-01"),
        (2, "name_zh", ""),
    ]
    assert report.errors[1].expected == "a number, e.g. 1300 or 0.94"
    assert report.errors[2].expected == BAD_DATE


def test_a_full_width_date_in_a_bad_row_is_not_reported():
    data = _csv("id,name_zh,date,status,sources", "t-ra-proj2,测试项目,２０２２-０５,maybe,s-tiny")
    assert _cells(_plan("projects.csv", data, dry_run=True).errors) == [(2, "status", "maybe")]


def test_a_source_row_reports_date_address_id_and_title_together():
    report = _plan("sources.csv", _csv("id,title,date", "T RA S,,2022-13"), dry_run=True)
    assert _cells(report.errors) == [
        (2, "date", "2022-13"),
        (2, "url", ""),
        (2, "id", "T RA S"),
        (2, "title", ""),  # the column, not the model's name_zh
    ]


def test_a_district_with_a_bad_confidence_still_has_its_id_and_name_checked():
    report = _plan("districts.csv", _csv("id,name_zh,sources,confidence", "T RA D,,s-tiny,maybe"), dry_run=True)
    assert _cells(report.errors) == [(2, "confidence", "maybe"), (2, "id", "T RA D"), (2, "name_zh", "")]


def test_a_cluster_designation_reports_year_and_title_together():
    report = _plan("cluster_designations.csv", _csv("cluster_id,name_zh,year,sources", "t-nev,,20x,s-tiny"))
    assert _cells(report.errors) == [(2, "year", "20x"), (2, "name_zh", "")]
    assert report.errors[0].expected == "a whole number"


def test_a_repeated_id_still_has_its_other_cells_checked():
    data = _csv("id,name_zh,is_local,sources", "t-ra-a,测试甲,true,s-tiny", "t-ra-a,,true,s-tiny")
    report = _plan("firms.csv", data, dry_run=True)
    assert _cells(report.errors) == [(3, "id", "t-ra-a"), (3, "name_zh", "")]
    assert report.errors[0].expected == "a unique id (already used in firms.csv, row 2)"


def test_a_workbook_row_names_its_sheet_for_every_problem():
    book = xlsx(
        {"tiers": [["id", "name_zh", "level", "category", "sources"], ["t-ra-tier", "", "galactic", "x", "s-nosuch"]]}
    )
    report = _plan("book.xlsx", book, dry_run=True)
    assert _cells(report.errors) == [
        (2, "level", "galactic"),
        (2, "category", "x"),
        (2, "name_zh", ""),
        (2, "sources", "s-nosuch"),
    ]
    assert {(i.file, i.sheet) for i in report.errors} == {("book.xlsx", "tiers")}
    assert report.errors[2].message_zh.startswith("book.xlsx（工作表 tiers），第 2 行，列 'name_zh'")


def test_skip_invalid_sets_the_row_aside_with_all_its_problems_and_keeps_the_good_row():
    data = _csv(
        "id,name_zh,is_local,district_id,sources",
        "T RA C,,maybe,d-wujinn,s-tiny",
        "t-ra-good,测试好,true,d-wujin,s-tiny",
    )
    store = MemoryStore(base_graph())
    before = {n.id for n in store.nodes("Firm")}
    report = run_import(store, read_input("firms.csv", data), ImportOptions(skip_invalid=True))
    (rejected,) = report.rejected
    assert [i.field for i in rejected.issues] == ["is_local", "id", "name_zh", "district_id"]
    assert report.applied and not report.blocked
    after = {n.id for n in store.nodes("Firm")}
    assert after == before | {"t-ra-good"}  # nothing already loaded is lost


def _folder(tmp_path: Path, **tables: str) -> Path:
    for name, text in tables.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def test_a_folder_load_reports_every_problem_of_a_row_references_included(tmp_path):
    folder = _folder(
        tmp_path,
        sources="id,title,date,doc_no\ns1,测试来源,2022,X-1\n",
        clusters="id,name_zh,sources\nt-ra-c,测试集群,s1\n",
        segments="id,cluster_id,name_zh,position,sources\nCell,t-ra-cc,,middle,s9\nt-ra-ok,t-ra-c,测试,upstream,s1\n",
        operates_in="firm_id,segment_id,role,sources\nt-ra-nobody,t-ra-ok,lead,s1\n",
    )
    with pytest.raises(DataValidationError) as caught:
        load_folder(folder)
    found = [(i.file, i.row, i.field, i.value) for i in caught.value.issues]
    assert sorted(found) == sorted(
        [
            ("segments.csv", 2, "position", "middle"),
            ("segments.csv", 2, "id", "Cell"),
            ("segments.csv", 2, "name_zh", ""),
            ("segments.csv", 2, "sources", "s9"),
            ("segments.csv", 2, "cluster_id", "t-ra-cc"),
            ("operates_in.csv", 2, "role", "lead"),
            ("operates_in.csv", 2, "firm_id", "t-ra-nobody"),
        ]
    )
    messages = {(i.field, str(i)) for i in caught.value.issues}
    assert (
        "cluster_id",
        "segments.csv, row 2, field 'cluster_id': got 't-ra-cc'; expected the id of a Cluster (clusters.csv)",
    ) in messages
    assert ("sources", "segments.csv, row 2, field 'sources': got 's9'; expected the id of a row in sources.csv") in (
        messages
    )


def test_a_folder_load_reports_a_good_rows_reference_once(tmp_path):
    folder = _folder(
        tmp_path,
        sources="id,title,date,doc_no\ns1,测试来源,2022,X-1\n",
        clusters="id,name_zh,sources\nt-ra-c,测试集群,s1\n",
        segments="id,cluster_id,name_zh,position,sources\nt-ra-s,t-ra-c,测试,upstream,s1|s9\n",
    )
    with pytest.raises(DataValidationError) as caught:
        load_folder(folder)
    assert [(i.row, i.field, i.value) for i in caught.value.issues] == [(2, "sources", "s9")]
