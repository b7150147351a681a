"""``make bench`` never replaces the graph of a Neo4j the user works with.

It ignores ``NEO4J_URI`` (a throw-away server is started instead); a server named in
``BENCH_NEO4J_URI`` that already holds a graph is refused in one line unless ``BENCH_REPLACE=1``.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from graph.fixtures import tiny_chain

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench import run as bench_run  # noqa: E402

LOADED = {"state": "up", "uri": "bolt://127.0.0.1:7687", "generation": "g1-abc", "nodes": 1293}
EMPTY = {"state": "up", "uri": "bolt://127.0.0.1:7687", "generation": None, "nodes": 0}


def closed_port() -> int:
    """A local port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def test_a_server_holding_a_graph_is_refused_in_one_line() -> None:
    refusal = bench_run.replace_refusal("bolt://127.0.0.1:7687", LOADED, {})
    assert refusal is not None
    assert "\n" not in refusal
    assert "bolt://127.0.0.1:7687" in refusal and "1293 nodes" in refusal and "would replace" in refusal
    assert "BENCH_REPLACE=1" in refusal


def test_an_empty_server_or_bench_replace_is_allowed() -> None:
    assert bench_run.replace_refusal("bolt://h:1", EMPTY, {}) is None
    assert bench_run.replace_refusal("bolt://h:1", LOADED, {"BENCH_REPLACE": "1"}) is None
    assert bench_run.replace_refusal("bolt://h:1", LOADED, {"BENCH_REPLACE": "yes"}) is not None


def test_bench_neo4j_uri_wins_over_neo4j_uri() -> None:
    assert bench_run.neo4j_target({"NEO4J_URI": "bolt://mine:7687", "BENCH_NEO4J_URI": "bolt://b:1"}) == "bolt://b:1"
    assert bench_run.neo4j_target({"NEO4J_URI": "bolt://mine:7687"}) == "bolt://mine:7687"
    assert bench_run.neo4j_target({}) == ""


def test_run_stops_before_measuring_when_the_server_does_not_answer(tmp_path: Path) -> None:
    out = tmp_path / "results.json"
    env = {**os.environ, "BENCH_NEO4J_URI": f"bolt://127.0.0.1:{closed_port()}"}
    env.pop("NEO4J_URI", None)
    done = subprocess.run(
        [sys.executable, "bench/run.py", "--scales", "1000", "--big", "0", "--out", str(out)],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2, done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("bench: Neo4j at bolt://127.0.0.1:"), done.stderr
    assert "does not answer" in lines[0]
    assert "Traceback" not in done.stderr
    assert not out.exists()


def fake_python(folder: Path) -> Path:
    """A ``python`` that prints the NEO4J_URI it was given and its arguments (what the recipe runs)."""
    script = folder / "python"
    script.write_text('#!/bin/sh\necho "NEO4J_URI=${NEO4J_URI-unset} ARGS=$*"\n', encoding="utf-8")
    script.chmod(0o755)
    return script


def make_bench(tmp_path: Path, **env_vars: str) -> str:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("NEO4J_", "BENCH_"))}
    env.update(env_vars)
    fake_python(tmp_path)
    stamp = tmp_path / "installed"  # newer than pyproject.toml: make installs nothing
    stamp.touch()
    done = subprocess.run(
        ["make", "-s", "bench", f"BIN={tmp_path}", f"STAMP={stamp}"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip()


def test_make_bench_ignores_neo4j_uri_and_starts_its_own_server(tmp_path: Path) -> None:
    said = make_bench(tmp_path, NEO4J_URI="bolt://127.0.0.1:7687", NEO4J_DATABASE="mine")
    assert said == f"NEO4J_URI=unset ARGS=scripts/neo4j_server.py run --optional -- {tmp_path}/python bench/run.py"


def test_make_bench_uses_bench_neo4j_uri_directly(tmp_path: Path) -> None:
    said = make_bench(tmp_path, BENCH_NEO4J_URI="bolt://127.0.0.1:7999")
    assert said == "NEO4J_URI=unset ARGS=bench/run.py"


def test_a_real_server_holding_a_graph_is_refused(neo4j_store) -> None:
    neo4j_store.replace(tiny_chain())
    uri = os.environ["NEO4J_URI"]
    refusal = bench_run.neo4j_refusal(uri, {})
    assert refusal is not None and "would replace" in refusal
    assert bench_run.neo4j_refusal(uri, {"BENCH_REPLACE": "1"}) is None
