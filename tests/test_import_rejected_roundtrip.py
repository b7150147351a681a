"""``import --skip-invalid --rejected X.csv``: the rows set aside are said plainly and can be fixed and imported again.

Review 2, findings 4 and 7: the answer said ``"ok": true`` with rows set aside and nothing on the first line said so;
a ``--rejected`` CSV held the rows as JSON in one column, so importing it again was refused.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from chainkg.cli import main
from graph.persist import StateDir
from loaders.importer import current_dataset
from tests.import_support import FD_SOURCE, district_workbook, write, xlsx

FIRMS_HEADER = ["id", "name_zh", "is_local", "district_id", "sources"]
LINKS_HEADER = ["firm_id", "segment_id", "role", "sources"]


@pytest.fixture
def district(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    """A dataset folder holding the made-up district of :mod:`tests.import_support`."""
    folder = tmp_path / "d"
    write(tmp_path / "d.xlsx", district_workbook())
    assert main(["import", str(tmp_path / "d.xlsx"), "--data", str(folder)]) == 0
    capsys.readouterr()
    return folder


def graph_of(folder: Path):
    return current_dataset(folder, StateDir(folder / ".chainkg"))


def read_csv(path: Path) -> list[list[str]]:
    return list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig"))))


def write_csv(path: Path, rows: list[list[str]]) -> None:
    buf = io.StringIO()
    csv.writer(buf).writerows(rows)
    path.write_text(buf.getvalue(), encoding="utf-8-sig")


def fix_cell(path: Path, column: str, bad: str, good: str) -> None:
    """Do what an officer does: open the file, correct one cell, save it."""
    rows = read_csv(path)
    col = rows[0].index(column)
    assert any(r[col] == bad for r in rows[1:]), f"no {bad!r} in {column} of {path.name}"
    write_csv(path, [rows[0]] + [[good if i == col and v == bad else v for i, v in enumerate(r)] for r in rows[1:]])


def test_a_single_table_rejected_csv_is_fixed_and_imported_again(district, tmp_path, capsys):
    src = tmp_path / "firms.csv"
    write_csv(
        src,
        [
            FIRMS_HEADER,
            ["fd-rt-good", "虚构好甲有限公司", "true", "fd-county", FD_SOURCE],
            ["fd-rt-bad", "虚构坏乙有限公司", "maybe", "fd-county", FD_SOURCE],
        ],
    )
    rejected = tmp_path / "firms.rejected.csv"
    args = ["import", str(src), "--data", str(district), "--skip-invalid", "--rejected", str(rejected)]
    assert main(args) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == (
        f"imported 1 rows; set aside 1 rows with errors (see {rejected}) "
        f"/ 已导入 1 行；1 行有问题，已跳过（见 {rejected}）"
    )
    assert f"rows set aside written to {rejected} / 已跳过的行写入 {rejected}" in out
    rows = read_csv(rejected)
    assert rows[0] == [*FIRMS_HEADER, "_errors"], "the table's own columns plus _errors, not JSON in one cell"
    assert rows[1][:5] == ["fd-rt-bad", "虚构坏乙有限公司", "maybe", "fd-county", FD_SOURCE]
    assert "field 'is_local': got 'maybe'" in rows[1][5] and "列 'is_local'" in rows[1][5]
    assert graph_of(district).nodes.get("fd-rt-bad") is None

    fix_cell(rejected, "is_local", "maybe", "true")
    assert main(["import", str(rejected), "--data", str(district)]) == 0, capsys.readouterr()
    assert "applied / 已导入" in capsys.readouterr().out
    landed = graph_of(district).nodes.get("fd-rt-bad")
    assert landed is not None and landed.is_local is True and landed.name_zh == "虚构坏乙有限公司"


def test_rejected_rows_of_two_tables_go_to_one_csv_per_table_and_each_imports_again(district, tmp_path, capsys):
    book = tmp_path / "book.xlsx"
    write(
        book,
        xlsx(
            {
                "firms": [
                    FIRMS_HEADER,
                    ["fd-rt-one", "虚构一号有限公司", "true", "fd-county", FD_SOURCE],
                    ["fd-rt-two", "虚构二号有限公司", "perhaps", "fd-county", FD_SOURCE],
                ],
                "operates_in": [
                    LINKS_HEADER,
                    ["fd-rt-one", "fd-mems", "big", FD_SOURCE],
                    ["fd-rt-two", "fd-package", "member", FD_SOURCE],  # depends on the bad firm row
                ],
            }
        ),
    )
    named = tmp_path / "left.csv"
    args = ["import", str(book), "--data", str(district), "--skip-invalid", "--rejected", str(named), "--json"]
    assert main(args) == 0, "the valid rows were applied: exit 0, as documented"
    captured = capsys.readouterr()
    summary = json.loads(captured.out)
    files = [tmp_path / "firms.left.csv", tmp_path / "operates_in.left.csv"]
    assert summary["ok"] and summary["applied"] and summary["rejected"] == 3
    assert summary["rejected_files"] == [str(f) for f in files] and summary["rejected_file"] == str(files[0])
    assert captured.err.startswith("warning: imported 1 rows; set aside 3 rows with errors (see "), captured.err
    assert not named.exists() and all(f.exists() for f in files)
    assert read_csv(files[1])[0] == [*LINKS_HEADER, "_errors"]

    fix_cell(files[0], "is_local", "perhaps", "false")
    fix_cell(files[1], "role", "big", "major")
    for fixed in files:  # firms first: the links name the firm
        assert main(["import", str(fixed), "--data", str(district)]) == 0, capsys.readouterr()
    graph = graph_of(district)
    assert graph.nodes.get("fd-rt-two") is not None and graph.nodes.get("fd-rt-two").is_local is False
    links = {(e.source, e.target, e.role) for e in graph.edges.values() if e.kind == "OPERATES_IN"}
    assert {("fd-rt-one", "fd-mems", "major"), ("fd-rt-two", "fd-package", "member")} <= links


def test_a_dry_run_names_the_rows_it_would_set_aside_first_and_writes_nothing(district, tmp_path, capsys):
    src = tmp_path / "firms.csv"
    write_csv(src, [FIRMS_HEADER, ["fd-rt-dry", "虚构试运行有限公司", "maybe", "fd-county", FD_SOURCE]])
    rejected = tmp_path / "firms.rejected.csv"
    args = ["import", str(src), "--data", str(district), "--skip-invalid", "--rejected", str(rejected), "--dry-run"]
    assert main(args) == 0
    first = capsys.readouterr().out.splitlines()[0]
    assert first.startswith(f"would import 0 rows; would set aside 1 rows with errors (to go to {rejected}; ")
    assert not rejected.exists()
