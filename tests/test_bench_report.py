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


def test_an_api_run_on_neo4j_is_shown_beside_networkx_with_the_ratio():
    latency = {"chain": {"median_ms": 2.0, "p95_ms": 4.0, "first_ms": 9.0, "errors": 0}}
    load = {"clients": 8, "requests": 10, "seconds": 1.0, "requests_per_s": 10.0, "errors": 0, "latency": None}
    one = {"ready_s": 1.0, "warm_up_s": 0.5, "server_memory": {"rss_mb": 100.0}, "latency": latency}
    one |= {"throughput_count": load, "throughput_duration": load}
    neo = copy.deepcopy(one) | {"backend": "neo4j", "neo4j_load_s": 3.2}
    neo["latency"]["chain"]["p95_ms"] = 10.0
    lines = report._api_table({"bundled": one, run.NEO4J_BUNDLED: neo})
    text = "\n".join(lines)
    assert f"**{run.NEO4J_BUNDLED} data** (neo4j:" in text
    assert "loaded into Neo4j by `chainkg load` in 3.2 s" in text
    assert "| chain | 4.0 | 10.0 | 2.5x |" in text
    assert "**bundled data** (networkx:" in text


def test_a_failed_api_step_is_named_in_the_results():
    import api_load

    class Nowhere:
        cluster, searches, firms, crowded_segment, upstream_segment = "c", ["q"], ["f"], "s", "u"

    try:
        api_load.latency("http://127.0.0.1:9", api_load.endpoints(Nowhere()), runs=1)  # type: ignore[arg-type]
    except RuntimeError as err:
        assert "the first request of chain (/api/v1/clusters/c/chain) failed: ConnectError" in str(err)
    else:
        raise AssertionError("a request to a closed port answered")
