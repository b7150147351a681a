"""Review 4, findings 1, 2, 7 and 8: imports as a first-time user meets them.

1. ``chainkg load DIR --check`` says, as the plain ``load DIR`` does, that the embedded store serves the
   graph imported over DIR rather than DIR.
2. A row with a bad value still has its references checked: every problem of the row in one run.
7. The "no data rows" problem (and "empty file") reads in Chinese on its Chinese line.
8. A blocked import counts only the rows without problems, and says how many it leaves out.

Test rows are invented (测试, ids starting ``t-r4-``) and never enter the bundled data.
"""

from __future__ import annotations

import json
from pathlib import Path

from fastapi.testclient import TestClient

from api.app import create_app
from chainkg.cli import main
from chainkg.settings import BUNDLED_DATA, Settings
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from loaders.importer import ImportOptions, plan_import, read_input, run_import
from tests.import_support import base_graph, xlsx

FIRMS_HEADER = ["id", "name_zh", "is_local", "district_id", "sources"]
OPERATES_HEADER = ["firm_id", "segment_id", "role", "sources"]


def _plan(name: str, data: bytes, **options: object):
    return plan_import(read_input(name, data), base_graph(), ImportOptions(**options))  # type: ignore[arg-type]


def _csv(*rows: list[str]) -> bytes:
    return ("\n".join(",".join(r) for r in rows) + "\n").encode("utf-8")


def _cells(report) -> list[tuple[int, str, str]]:
    return [(i.row, i.field, i.value) for i in report.errors]


# -- 1. load --check after an import -------------------------------------------------------------


NOTICE = "serves the graph imported into"


def test_load_check_says_the_imported_snapshot_is_served_instead_of_the_folder(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CHAINKG_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    assert main(["load", str(BUNDLED_DATA), "--check"]) == 0
    before = capsys.readouterr().out
    assert before.startswith(f"OK: {BUNDLED_DATA} is valid") and NOTICE not in before

    firms = tmp_path / "firms.csv"
    firms.write_text("id,name_zh,is_local,sources,confidence\nt-r4-check,测试检查甲,true,,unverified\n", "utf-8")
    assert main(["import", str(firms)]) == 0
    capsys.readouterr()
    snapshot = tmp_path / "state" / "snapshot.json"
    assert snapshot.is_file()

    assert main(["load", str(BUNDLED_DATA), "--check"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"OK: {BUNDLED_DATA} is valid"), "the folder's own check and counts come first"
    assert f"{NOTICE} {snapshot}, not this folder" in out
    assert f"chainkg import {BUNDLED_DATA} --data {BUNDLED_DATA} --on-conflict overwrite" in out  # how to merge
    assert f"or delete {snapshot} to serve the folder alone" in out  # how to go back
    assert f"内置存储（networkx）提供的是导入到 {snapshot} 的图，而不是此文件夹" in out
    assert "删除该快照则回到文件夹" in out
    assert "keeps nothing" not in out

    # Neo4j does not serve the snapshot: no notice there.
    assert main(["load", str(BUNDLED_DATA), "--check", "--backend", "neo4j"]) == 0
    assert NOTICE not in capsys.readouterr().out


def test_readme_no_longer_says_the_embedded_store_keeps_nothing():
    readme = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")
    assert "the embedded store keeps nothing" not in readme
    assert "snapshot is served instead of DIR" in readme


# -- 2. every problem of a row at once -----------------------------------------------------------


def test_a_firm_row_with_a_bad_value_still_has_its_source_and_district_checked():
    data = _csv(FIRMS_HEADER, ["t-r4-a", "测试甲", "maybe", "d-wujinn", "s-nosuch"])
    report = _plan("firms.csv", data, dry_run=True)
    assert _cells(report) == [(2, "is_local", "maybe"), (2, "sources", "s-nosuch"), (2, "district_id", "d-wujinn")]
    district = report.errors[2]
    assert "nearest: d-wujin" in district.expected and "最接近的：d-wujin" in district.message_zh
    assert str(district).startswith("firms.csv, row 2, field 'district_id': got 'd-wujinn'; expected the id of a")


def test_a_link_row_with_a_bad_role_still_has_its_firm_and_segment_checked_in_a_workbook():
    book = xlsx({"operates_in": [OPERATES_HEADER, ["t-r4-nobody", "t-cathod", "lead", "s-tiny"]]})
    report = _plan("book.xlsx", book, dry_run=True)
    assert _cells(report) == [(2, "role", "lead"), (2, "firm_id", "t-r4-nobody"), (2, "segment_id", "t-cathod")]
    assert {i.sheet for i in report.errors} == {"operates_in"} and {i.file for i in report.errors} == {"book.xlsx"}
    assert "nearest: t-cathode" in report.errors[2].expected
    assert report.errors[1].message_zh.startswith("book.xlsx（工作表 operates_in），第 2 行，列 'firm_id'")


def test_a_firm_named_by_its_name_in_a_bad_row_is_not_reported_as_unknown():
    data = _csv(OPERATES_HEADER, ["甲电池", "t-pack", "lead", "s-tiny"])
    assert _cells(_plan("operates_in.csv", data, dry_run=True)) == [(2, "role", "lead")]


def test_a_segment_row_with_a_bad_position_still_has_its_cluster_checked():
    header = ["id", "cluster_id", "name_zh", "position", "sources"]
    data = _csv(header, ["t-r4-seg", "t-nevv", "测试环节", "sideways", "s-tiny"])
    assert _cells(_plan("segments.csv", data, dry_run=True)) == [
        (2, "position", "sideways"),
        (2, "cluster_id", "t-nevv"),
    ]


def test_skip_invalid_sets_a_row_aside_with_all_its_problems():
    data = _csv(
        FIRMS_HEADER, ["t-r4-b", "测试乙", "maybe", "d-wujinn", "s-tiny"], ["t-r4-c", "测试丙", "true", "", "s-tiny"]
    )
    report = _plan("firms.csv", data, skip_invalid=True)
    (rejected,) = report.rejected
    assert [(i.field, i.value) for i in rejected.issues] == [("is_local", "maybe"), ("district_id", "d-wujinn")]
    assert report.diff.counts()["nodes"]["added"] == 1 and not report.blocked


# -- 7. "no data rows" in Chinese ----------------------------------------------------------------


def test_no_data_rows_reads_in_chinese_on_the_chinese_line():
    book = xlsx({"firms": [["id", "name_zh", "is_local", "sources"]]})
    report = _plan("t.xlsx", book, dry_run=True)
    (issue,) = report.errors
    assert str(issue).startswith("t.xlsx: no data rows; expected at least one data row")
    assert issue.message_zh.startswith("t.xlsx：没有数据行；应为 至少一行数据")
    assert "no data rows" not in issue.message_zh
    assert issue.as_dict()["message_zh"] == issue.message_zh  # what the API and --json send


def test_an_empty_csv_reads_in_chinese_on_the_chinese_line():
    (issue,) = _plan("firms.csv", b"", dry_run=True).errors
    assert str(issue) == "firms.csv, row 1: empty file; expected a header row naming the columns"
    assert issue.message_zh == "firms.csv，第 1 行：空文件；应为 列名表头行"


def test_the_untouched_template_says_no_data_rows_in_chinese(tmp_path, capsys):
    template = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(template)]) == 0
    assert main(["import", str(template), "--dry-run", "--data", str(tmp_path / "d")]) == 2
    out = capsys.readouterr().out
    assert "t.xlsx：没有数据行；应为 至少一行数据" in out and "t.xlsx：no data rows" not in out


# -- 8. a blocked dry run counts only the rows it could apply ------------------------------------


def test_a_row_with_a_bad_district_is_not_counted_as_added():
    data = _csv(
        FIRMS_HEADER,
        ["t-r4-d", "测试丁", "true", "d-wujinn", "s-tiny"],
        ["t-r4-e", "测试戊", "true", "d-wujin", "s-tiny"],
    )
    report = _plan("firms.csv", data, dry_run=True)
    assert report.blocked and _cells(report) == [(2, "district_id", "d-wujinn")]
    summary = report.summary()
    assert summary["counts"]["nodes"]["added"] == 1 and summary["nodes"]["added"] == [{"id": "t-r4-e", "kind": "Firm"}]
    assert summary["edges"]["added"] == [{"kind": "LOCATED_IN", "source": "t-r4-e", "target": "d-wujin"}]
    assert summary["not_counted"] == 1 and summary["ok"] is False and summary["rejected"] == 0
    lines = report.lines()
    assert lines[0] == (
        "nothing can be imported until the 1 problem(s) below are fixed; the counts leave out 1 row(s) with "
        "problems or naming rows that have them / 下列 1 个问题修正前无法导入；"
        "以下计数不含有问题（或引用了有问题的行）的 1 行"
    )
    assert lines[1].startswith("nodes 节点: 1 added 新增")


def test_rows_naming_a_row_with_a_problem_are_left_out_of_the_counts_but_not_reported():
    book = xlsx(
        {
            "firms": [FIRMS_HEADER, ["t-r4-f", "测试己", "true", "d-wujinn", "s-tiny"]],
            "operates_in": [OPERATES_HEADER, ["t-r4-f", "t-pack", "member", "s-tiny"]],
        }
    )
    report = _plan("book.xlsx", book, dry_run=True)
    assert [(i.sheet, i.field) for i in report.errors] == [("firms", "district_id")]
    assert report.not_counted == 2 and report.diff.counts()["edges"]["added"] == 0


def test_a_row_whose_only_problem_is_a_conflict_still_counts_as_conflicting():
    data = _csv(FIRMS_HEADER, ["f-cell-a", "甲电池", "false", "d-liyang", "s-tiny"])
    report = _plan("firms.csv", data, dry_run=True)
    assert report.blocked and _cells(report) == [(2, "is_local", "false")]
    assert report.diff.counts()["nodes"]["conflicting"] == 1 and report.not_counted == 0
    assert (
        report.lines()[0]
        == "nothing can be imported until the 1 problem(s) below are fixed / 下列 1 个问题修正前无法导入"
    )


def test_a_clean_dry_run_has_no_blocked_line_and_counts_every_row():
    data = _csv(FIRMS_HEADER, ["t-r4-g", "测试庚", "true", "d-wujin", "s-tiny"])
    report = run_import(MemoryStore(tiny_chain()), read_input("firms.csv", data), ImportOptions(dry_run=True))
    assert report.blocked_line() is None and report.not_counted == 0
    assert report.lines()[0].startswith("nodes 节点: 1 added 新增")


def test_the_cli_json_of_a_blocked_dry_run_counts_only_good_rows(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CHAINKG_STATE_DIR", str(tmp_path / "state"))
    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    bad = tmp_path / "firms.csv"
    bad.write_bytes(_csv(FIRMS_HEADER, ["t-r4-h", "测试辛", "true", "nowhere-r4", "reply-2022-56"]))
    assert main(["import", str(bad), "--dry-run", "--json"]) == 2
    summary = json.loads(capsys.readouterr().out)
    assert summary["counts"]["nodes"]["added"] == 0 and summary["edges"]["added"] == []
    assert summary["not_counted"] == 1 and [e["field"] for e in summary["errors"]] == ["district_id"]


def test_the_api_dry_run_counts_only_good_rows(tmp_path):
    settings = Settings.from_env(env={"CHAINKG_API_KEY": "r4-key", "CHAINKG_STATE_DIR": str(tmp_path / "state")})
    data = _csv(
        FIRMS_HEADER, ["t-r4-i", "测试壬", "maybe", "d-wujinn", "s-tiny"], ["t-r4-j", "测试癸", "true", "", "s-tiny"]
    )
    with TestClient(create_app(MemoryStore(base_graph()), settings)) as client:
        answer = client.post(
            "/api/v1/imports",
            files={"file": ("firms.csv", data)},
            data={"dry_run": "true"},
            headers={"X-API-Key": "r4-key"},
        )
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["ok"] is False and body["counts"]["nodes"]["added"] == 1 and body["not_counted"] == 1
    assert [(e["field"], e["value"]) for e in body["errors"]] == [("is_local", "maybe"), ("district_id", "d-wujinn")]
