"""The same import on the Neo4j store: refused files and interrupted loads leave the previous graph.

Needs a real Neo4j (``NEO4J_URI``; ``scripts/neo4j_server.py run -- pytest ...`` starts one); skipped
locally without it, a failure under ``CI=true``.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from graph.memory_store import MemoryStore
from loaders.importer import ImportOptions, read_input, run_import
from tests.conftest import REPO
from tests.import_support import base_graph, canonical, district_workbook

pytestmark = pytest.mark.neo4j

GOOD = "id,name_zh,is_local,district_id,sources\nnew-co,丁电池有限公司,true,d-wujin,s-tiny\n".encode("gb18030")
BAD = b"id,name_zh,is_local,district_id,sources\nnew-co,x,perhaps,d-wujin,s-tiny\n"


def test_import_on_neo4j_matches_the_embedded_store(neo4j_store):
    neo4j_store.replace(base_graph())
    memory = MemoryStore(base_graph())
    for store in (neo4j_store, memory):
        dry = run_import(store, read_input("firms.csv", GOOD), ImportOptions(dry_run=True))
        assert dry.summary()["counts"]["nodes"]["added"] == 1 and store.node("new-co") is None
        assert run_import(store, read_input("firms.csv", GOOD)).applied
    assert canonical(neo4j_store.snapshot()) == canonical(memory.snapshot())


def test_a_refused_file_leaves_neo4j_unchanged(neo4j_store):
    neo4j_store.replace(base_graph())
    version = neo4j_store.version()
    report = run_import(neo4j_store, read_input("firms.csv", BAD))
    assert report.blocked and report.errors[0].field == "is_local"
    assert neo4j_store.version() == version
    assert canonical(neo4j_store.snapshot()) == canonical(base_graph())


def test_a_load_that_fails_midway_leaves_neo4j_unchanged(neo4j_store):
    neo4j_store.replace(base_graph())

    def crash(done: int, total: int, what: str) -> None:
        if done > 3:
            raise RuntimeError("power cut")

    with pytest.raises(RuntimeError, match="power cut"):
        run_import(neo4j_store, read_input("d.xlsx", district_workbook()), progress=crash)
    assert canonical(neo4j_store.snapshot()) == canonical(base_graph())


_IMPORTER = textwrap.dedent(
    """
    import sys, time
    from chainkg.settings import Settings
    from graph.neo4j_store import Neo4jStore
    from loaders.importer import read_input, run_import
    from tests.import_support import district_workbook

    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"))

    def slow(done, total, what):
        print("loading", done, flush=True)
        time.sleep(0.5)

    run_import(store, read_input("d.xlsx", district_workbook()), progress=slow)
    print("done", flush=True)
    """
)


def test_kill_9_during_an_import_leaves_neo4j_unchanged(neo4j_store):
    neo4j_store.replace(base_graph())
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen([sys.executable, "-c", _IMPORTER], stdout=subprocess.PIPE, env=env, cwd=REPO, text=True)
    try:
        assert child.stdout is not None
        line = child.stdout.readline()
        assert line.startswith("loading"), line
        time.sleep(0.2)
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=30)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert canonical(neo4j_store.snapshot()) == canonical(base_graph())
    assert run_import(neo4j_store, read_input("d.xlsx", district_workbook())).applied, "the next import works"
