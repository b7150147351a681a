"""The benchmark report renders the committed results, with the machine's Python speed when recorded."""

from __future__ import annotations

import copy
import json
import sys

from tests.conftest import REPO

sys.path.insert(0, str(REPO / "bench"))

import report  # noqa: E402
import run  # noqa: E402

RESULTS = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))


def test_the_committed_markdown_is_what_the_committed_results_render_to():
    assert report.render_markdown(RESULTS) == (REPO / "bench" / "results.md").read_text(encoding="utf-8")


def test_the_python_speed_is_measured_and_reported():
    speed = run.python_speed_ms(runs=1)
    assert speed > 0
    results = copy.deepcopy(RESULTS)
    results["machine"]["python_speed_ms"] = speed
    assert f"Python speed: {speed} ms" in report.render_markdown(results)
    del results["machine"]["python_speed_ms"]
    assert "Python speed" not in report.render_markdown(results)  # runs made before it was recorded


def test_the_report_script_answers_help_and_a_missing_file_without_a_traceback(tmp_path, capsys):
    try:
        report.main(["--help"])
    except SystemExit as done:
        assert done.code == 0
    assert "results" in capsys.readouterr().out
    missing = tmp_path / "nothing.json"
    try:
        report.main([str(missing)])
    except SystemExit as done:
        assert done.code == 2
    else:
        raise AssertionError("a missing results file must exit 2")
    err = capsys.readouterr().err
    assert "cannot read" in err and str(missing) in err
