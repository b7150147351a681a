"""Every problem of a ``cluster_figures`` row at once, as for the node and link rows (tests/test_row_errors_*.py).

A figure row that stopped at its first bad cell (a confidence, a year, a value) was never checked as a
figure: a qualifier not in its list, or a year before the model's 1990, showed only once the first cell
was fixed and the file read again. Each problem still names file, row, field, value and what was
expected, in English and Chinese, and each cell is reported once; good rows beside a bad one still load
and nothing already in the graph is lost.

Test rows are invented (测试, ids starting ``t-ra-``) and never enter the bundled data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import DataValidationError
from graph.memory_store import MemoryStore
from graph.model import Cluster
from loaders.folder import load_folder
from loaders.importer import ImportOptions, plan_import, read_input, run_import
from tests.import_support import base_graph, xlsx

QUALIFIER = "one of '>', '≈', '≲', '=' or '<'"
HEADER = "cluster_id,year,metric,value,unit,qualifier,period,scope,sources,confidence,note"

BASE = {
    "sources": "id,title,date,doc_no\ns1,测试来源,2022,X-1\n",
    "clusters": "id,name_zh,sources\nt-ra-c,测试集群,s1\n",
    "segments": "id,cluster_id,name_zh,position,sources\nt-ra-s,t-ra-c,测试环节,upstream,s1\n",
}


def _folder(tmp_path: Path, *figure_rows: str) -> Path:
    for name, text in (BASE | {"cluster_figures": "\n".join((HEADER, *figure_rows)) + "\n"}).items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def _issues(folder: Path):
    with pytest.raises(DataValidationError) as caught:
        load_folder(folder)
    return caught.value.issues


def _cells(issues) -> list[tuple[int, str, str]]:
    return [(i.row, i.field, i.value) for i in issues]


def test_the_base_folder_with_a_good_figure_loads(tmp_path):
    ds = load_folder(_folder(tmp_path, "t-ra-c,2022,output,100,亿元,>,1-9月,t-ra-s,s1,,"))
    cluster = ds.nodes["t-ra-c"]
    assert isinstance(cluster, Cluster)
    [fig] = cluster.figures
    assert (fig.year, fig.value, fig.qualifier, fig.period, fig.scope) == (2022, 100.0, ">", "1-9月", ("t-ra-s",))


def test_a_figure_row_reports_confidence_year_value_qualifier_and_references_together(tmp_path):
    issues = _issues(_folder(tmp_path, "t-ra-c,20x,output,abc,亿元,~,1-9月,t-ra-nosuch,s9,sure,"))
    assert sorted(_cells(issues)) == sorted(
        [
            (2, "confidence", "sure"),
            (2, "year", "20x"),
            (2, "value", "abc"),
            (2, "qualifier", "~"),
            (2, "sources", "s9"),
            (2, "scope", "t-ra-nosuch"),
        ]
    )
    by_field = {i.field: i for i in issues}
    assert {i.file for i in issues} == {"cluster_figures.csv"}
    assert str(by_field["qualifier"]) == f"cluster_figures.csv, row 2, field 'qualifier': got '~'; expected {QUALIFIER}"
    assert by_field["qualifier"].message_zh == (
        f"cluster_figures.csv，第 2 行，列 'qualifier'：读到 '~'；应为 以下之一：{QUALIFIER.removeprefix('one of ')}"
    )
    assert str(by_field["year"]) == "cluster_figures.csv, row 2, field 'year': got '20x'; expected a whole number"
    assert by_field["year"].expected_zh == "整数"
    assert by_field["value"].expected == "a number, e.g. 1300 or 0.94"
    assert by_field["value"].expected_zh == "数字，如 1300 或 0.94"


def test_a_bad_confidence_alone_still_has_the_qualifier_checked(tmp_path):
    issues = _issues(_folder(tmp_path, "t-ra-c,2022,output,100,亿元,about,,,s1,maybe,"))
    assert _cells(issues) == [(2, "confidence", "maybe"), (2, "qualifier", "about")]
    assert issues[1].expected == QUALIFIER


def test_a_missing_value_still_has_the_year_checked_against_the_models_limit(tmp_path):
    """1950 is a year the reader takes (1900-2100) but a figure does not (from 1990): both show at once."""
    issues = _issues(_folder(tmp_path, "t-ra-c,1950,output,,亿元,=,,,s1,,"))
    assert _cells(issues) == [(2, "value", ""), (2, "year", "1950")]
    year = issues[1]
    assert (year.expected, year.expected_zh) == ("greater than or equal to 1990", "不小于 1990 的数")
    assert str(year) == ("cluster_figures.csv, row 2, field 'year': got '1950'; expected greater than or equal to 1990")


def test_each_cell_of_a_bad_row_is_reported_once_and_the_good_row_beside_it_has_no_problem(tmp_path):
    issues = _issues(_folder(tmp_path, "t-ra-c,2022,output,100,亿元,>,,,s1,,", "t-ra-c,1800,output,x,亿元,≈≈,,,,,"))
    assert _cells(issues) == [(3, "sources", ""), (3, "year", "1800"), (3, "value", "x"), (3, "qualifier", "≈≈")]
    assert issues[1].expected == "a year from 1900 to 2100"  # the reader's limit, not also the model's


def _plan(name: str, data: bytes, **options: object):
    return plan_import(read_input(name, data), base_graph(), ImportOptions(**options))  # type: ignore[arg-type]


def test_an_imported_figure_row_reports_every_problem_with_its_sheet():
    book = xlsx(
        {
            "cluster_figures": [
                ["cluster_id", "year", "metric", "value", "unit", "qualifier", "sources", "confidence"],
                ["t-nev", "20x", "output", "一千", "亿元", "~", "s-tiny", "sure"],
            ]
        }
    )
    report = _plan("book.xlsx", book, dry_run=True)
    assert _cells(report.errors) == [
        (2, "confidence", "sure"),
        (2, "year", "20x"),
        (2, "value", "一千"),
        (2, "qualifier", "~"),
    ]
    assert {(i.file, i.sheet) for i in report.errors} == {("book.xlsx", "cluster_figures")}
    assert report.errors[3].message_zh.startswith("book.xlsx（工作表 cluster_figures），第 2 行，列 'qualifier'")


def test_skip_invalid_sets_a_bad_figure_aside_with_all_its_problems_and_keeps_the_rest():
    data = (
        "\n".join(
            (
                "cluster_id,year,metric,value,unit,qualifier,sources,confidence",
                "t-nev,2022,output,abc,亿元,~,s-tiny,sure",
                "t-nev,2023,output,1500,亿元,≈,s-tiny,sourced",
            )
        )
        + "\n"
    ).encode("utf-8")
    store = MemoryStore(base_graph())
    before = store.node("t-nev")
    assert isinstance(before, Cluster)
    report = run_import(store, read_input("cluster_figures.csv", data), ImportOptions(skip_invalid=True))
    (rejected,) = report.rejected
    assert [i.field for i in rejected.issues] == ["confidence", "value", "qualifier"]
    assert report.applied and not report.blocked
    after = store.node("t-nev")
    assert isinstance(after, Cluster)
    kept = {(f.year, f.metric, f.value, f.qualifier) for f in after.figures}
    assert {(f.year, f.metric, f.value, f.qualifier) for f in before.figures} < kept  # nothing loaded is lost
    assert (2023, "output", 1500.0, "≈") in kept and not any(f.year == 2022 for f in after.figures)
