"""The command line: help on every command, load --check, info --json."""

from __future__ import annotations

import json

import pytest

from chainkg.cli import build_parser, main


def test_every_command_has_help(capsys):
    parser = build_parser()
    commands = parser._subparsers._group_actions[0].choices  # type: ignore[union-attr]
    assert {"serve", "load", "info"} <= set(commands)
    for name in commands:
        with pytest.raises(SystemExit) as info:
            main([name, "--help"])
        assert info.value.code == 0
        assert "usage: chainkg " + name in capsys.readouterr().out


def test_load_check_prints_summary(capsys):
    assert main(["load", "--check"]) == 0
    out = capsys.readouterr().out
    assert "is valid" in out and "Segment" in out


def test_load_check_reports_bad_folder(tmp_path, capsys):
    (tmp_path / "districts.csv").write_text("id,name_zh,sources\nBad Id,武进,s1\n", encoding="utf-8")
    assert main(["load", str(tmp_path), "--check"]) == 2
    err = capsys.readouterr().err
    assert "districts.csv, row 2, field 'id'" in err


def test_load_into_the_embedded_store_says_it_keeps_nothing_and_how_to_serve(monkeypatch, capsys):
    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    assert main(["load", "data/changzhou"]) == 0
    out = capsys.readouterr().out
    assert "is valid" in out and "Loaded" not in out
    assert "keeps nothing between runs" in out and "chainkg serve --data data/changzhou" in out


@pytest.mark.parametrize(
    ("make", "expected"),
    [
        (lambda p: p / "missing", "missing: no such folder; expected a dataset folder"),
        (lambda p: (p / "a.csv").write_text("x") and p / "a.csv", "a.csv: a file, not a folder; expected a dataset"),
        (lambda p: p, ": no table files; expected at least one of sources.csv"),
    ],
)
def test_load_of_something_not_a_dataset_folder_says_what_it_is(tmp_path, capsys, make, expected):
    assert main(["load", str(make(tmp_path)), "--check"]) == 2
    err = capsys.readouterr().err
    assert expected in err and "row 0" not in err and "(folder)" not in err


def test_template_points_to_filling_rows_before_the_dry_run(tmp_path, capsys):
    target = tmp_path / "t.xlsx"
    assert main(["template", "-o", str(target)]) == 0
    out = capsys.readouterr().out
    assert "fill in rows below the example row" in out and f"chainkg import {target} --dry-run" in out
    assert main(["import", str(target), "--dry-run"]) == 2  # the unfilled template: nothing to import
    shown = capsys.readouterr()
    said = shown.out + shown.err
    assert "t.xlsx: no data rows; expected at least one data row" in said and "row 0" not in said


def test_info_json_counts(capsys):
    assert main(["info", "--json"]) == 0
    counts = json.loads(capsys.readouterr().out)
    assert counts["backend"] == "networkx"
    assert counts["nodes"]["Cluster"] >= 10
    assert set(counts["confidence"]["edges"]) == {"sourced", "unverified"}
    assert counts["firms"]["local"] > 0


def test_neo4j_backend_needs_uri(monkeypatch, capsys):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    assert main(["info", "--backend", "neo4j"]) == 1
    assert "NEO4J_URI" in capsys.readouterr().err
