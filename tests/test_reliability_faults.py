"""Faults: Neo4j stopped under the served API (503, then recovery with no restart), and a damaged saved
graph on start.

An import killed mid-write is covered elsewhere and not repeated here:
``tests/test_import_persist.py::test_kill_9_mid_write_leaves_the_previous_snapshot`` (embedded store) and
``tests/test_import_neo4j.py::test_kill_9_during_an_import_leaves_neo4j_unchanged`` (Neo4j).
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import time
from typing import TYPE_CHECKING

import pytest

from chainkg.settings import BUNDLED_DATA
from graph.fixtures import tiny_chain
from graph.persist import StateDir
from loaders.folder import load_folder
from tests.conftest import REPO, skip_or_fail

if TYPE_CHECKING:
    from reliability.neo4j import DedicatedNeo4j


def _started_neo4j(name: str) -> DedicatedNeo4j:
    """A dedicated Neo4j of this test's own, started; skipped locally (failed in CI) without Java, Maven or a server."""
    if not (shutil.which("java") and shutil.which("mvn")):
        skip_or_fail("the dedicated Neo4j of this test needs Java 17 and Maven")
    from reliability.neo4j import DedicatedNeo4j

    neo = DedicatedNeo4j(name)
    try:
        neo.start()
    except neo.start_failed as err:
        neo.close()
        skip_or_fail(f"the dedicated Neo4j will not start: {err}")
    return neo


@pytest.mark.neo4j
def test_neo4j_crash_gives_503s_and_the_api_recovers_by_itself(capsys):
    """A Neo4j of its own is killed (SIGKILL) under a served API, then started again on the same port and folder."""
    from reliability.faults import neo4j_outage

    neo = _started_neo4j("test-faults")
    try:
        figures = neo4j_outage(kill=True, down_seconds=2.0, neo4j=neo)
    finally:
        neo.close()
    with capsys.disabled():
        print(f"\n  outage: {figures}")
    assert figures["answers_503"] > 0 and 503 in figures["statuses_during_outage"]
    assert set(figures["statuses_during_outage"]) <= {200, 503}  # 200s while it stops and once it is back
    assert figures["health_when_down"] == {"http": 200, "status": "degraded", "state": "down"}
    assert figures["data_kept_after_restart"] is True
    assert not neo.home.exists()


@pytest.mark.neo4j
def test_a_frozen_neo4j_gives_a_bounded_503_and_the_api_recovers_when_it_thaws(capsys):
    """Neo4j paused (SIGSTOP: connections stay open, nothing answers) under a served API, then resumed."""
    import httpx

    from graph.neo4j_store import Neo4jStore
    from reliability.faults import ANSWER_BOUND_S
    from reliability.server import served

    with _started_neo4j("test-freeze") as neo:
        store = Neo4jStore(neo.uri)
        try:
            store.replace(tiny_chain())
        finally:
            store.close()
        env = {"CHAINKG_BACKEND": "neo4j", "NEO4J_URI": neo.uri, "NEO4J_USER": "", "NEO4J_PASSWORD": ""}
        with served(env) as server:
            path = server.url + "/api/v1/firms/f-cell-a"
            assert httpx.get(path, timeout=30).status_code == 200
            neo.freeze()
            try:
                started = time.monotonic()
                frozen = httpx.get(path, timeout=ANSWER_BOUND_S * 6)
                took = time.monotonic() - started
            finally:
                neo.thaw()
                thawed = time.monotonic()
            assert frozen.status_code == 503, frozen.text[:300]
            assert frozen.headers["content-type"].startswith("application/problem+json")
            assert took <= ANSWER_BOUND_S * 3, f"a frozen Neo4j held the request {took:.1f} s"
            while httpx.get(path, timeout=30).status_code != 200:
                assert time.monotonic() < thawed + 60, "the API did not recover after Neo4j was resumed"
                time.sleep(0.5)
            recovered = time.monotonic() - thawed
            assert "Traceback" not in server.output()
    with capsys.disabled():
        print(f"\n  freeze: 503 after {took:.1f} s while frozen; 200 again {recovered:.1f} s after SIGCONT")


@pytest.mark.parametrize("damage", ["truncated", "garbage"])
def test_serve_refuses_a_damaged_saved_graph_naming_it_and_keeps_the_backup(tmp_path, damage):
    data = tmp_path / "district"
    shutil.copytree(BUNDLED_DATA, data, ignore=shutil.ignore_patterns(".chainkg"))
    state = StateDir(data / ".chainkg", base=data)
    state.save(tiny_chain())
    state.save(load_folder(data))
    backup = state.backup_path.read_bytes()
    raw = state.snapshot_path.read_bytes()
    broken = raw[: len(raw) // 3] if damage == "truncated" else raw[:200] + b"\x00garbage\xff" + raw[211:]
    state.snapshot_path.write_bytes(broken)
    proc = subprocess.run(
        [sys.executable, "-m", "chainkg", "serve", "--data", str(data), "--port", "1"],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert proc.returncode != 0
    assert str(state.snapshot_path) in proc.stderr, proc.stderr
    assert str(state.backup_path) in proc.stderr, "the message points at the last good snapshot"
    assert "Traceback" not in proc.stderr, proc.stderr
    assert state.backup_path.read_bytes() == backup, "the last good snapshot is kept"
    assert state.snapshot_path.read_bytes() == broken, "the damaged file is left for inspection"


def test_neo4j_reads_fail_fast_and_writes_keep_the_longer_retry():
    """Read sessions get a short retry budget (a stopped server answers 503 within about a second)."""
    from graph.neo4j_store import Neo4jStore
    from tests.test_neo4j_store import _RecordingDriver

    driver = _RecordingDriver()
    store = Neo4jStore("bolt://fake:7687", driver=driver, read_retry_time=0.5)
    store.node("t-cell")
    reads = [c for c in driver.session_configs if "max_transaction_retry_time" in c]
    assert reads and all(c["max_transaction_retry_time"] == 0.5 for c in reads)


@pytest.mark.neo4j
def test_the_test_neo4j_keeps_a_bounded_transaction_log():
    """The launcher's server prunes its transaction logs (Neo4j keeps 2 days by default: 23 GB after a benchmark)."""
    from neo4j import GraphDatabase

    neo = _started_neo4j("test-txlog")
    try:
        with GraphDatabase.driver(neo.uri) as driver:
            records, _, _ = driver.execute_query(
                "SHOW SETTINGS YIELD name, value WHERE name = $name RETURN value",
                name="db.tx_log.rotation.retention_policy",
            )
    finally:
        neo.close()
    assert [r["value"] for r in records] == ["512M size"]
