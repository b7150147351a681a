"""The no-Docker Neo4j launcher (``scripts/neo4j_server.py``): further settings from ``CHAINKG_NEO4J_CONF``.

The server tests start their own throw-away launcher (``run``, on a port of its own, in
``.neo4j/run-<pid>/``), so they never touch the server the rest of the suite talks to. They need Java 17
and Maven, as ``make test`` does; under ``CI=true`` a missing one fails instead of skipping.
"""

from __future__ import annotations

import functools
import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import REPO, skip_or_fail

SCRIPT = REPO / "scripts" / "neo4j_server.py"

READ_SETTINGS = """
import os
from neo4j import GraphDatabase

with GraphDatabase.driver(os.environ["NEO4J_URI"]) as driver:
    records, _, _ = driver.execute_query(
        "CALL dbms.listConfig() YIELD name, value "
        "WHERE name IN ['db.transaction.timeout', 'server.bolt.listen_address'] RETURN name, value"
    )
    for record in records:
        print(f"{record['name']}={record['value']}")
    print("URI=" + os.environ["NEO4J_URI"])
"""


@functools.cache
def _launcher_module():
    """scripts/neo4j_server.py as a module, loaded once."""
    spec = importlib.util.spec_from_file_location("neo4j_server_under_test", SCRIPT)
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _run_server(tmp_path: Path, settings: str, command: list[str]) -> subprocess.CompletedProcess[str]:
    """``neo4j_server.py run -- COMMAND`` on a fresh launcher, with ``settings`` as CHAINKG_NEO4J_CONF."""
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            skip_or_fail(f"{tool} is not on PATH: the Neo4j launcher needs Java 17 and Maven")
    conf = tmp_path / "extra.conf"
    conf.write_text(settings, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in {"NEO4J_URI", "NEO4J_USER", "NEO4J_PASSWORD"}}
    env.update(
        CHAINKG_NEO4J_CONF=str(conf),
        CHAINKG_NEO4J_DOCKER="0",
        CHAINKG_NEO4J_HEAP="512m",
        CHAINKG_NEO4J_PAGECACHE_MB="64",
    )
    return subprocess.run(
        [sys.executable, str(SCRIPT), "run", "--", *command],
        cwd=tmp_path,  # a relative CHAINKG_NEO4J_CONF is the caller's, not the repository's
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def test_no_settings_file_by_default() -> None:
    assert _launcher_module().extra_settings_file({}) is None
    assert _launcher_module().extra_settings_file({"CHAINKG_NEO4J_CONF": "  "}) is None


def test_a_missing_settings_file_is_refused_by_name(tmp_path: Path) -> None:
    module = _launcher_module()
    missing = tmp_path / "nope.conf"
    with pytest.raises(module.StartFailed) as err:
        module.extra_settings_file({"CHAINKG_NEO4J_CONF": str(missing)})
    message = str(err.value)
    assert "CHAINKG_NEO4J_CONF" in message and str(missing) in message and "name=value" in message


def test_the_settings_file_resolves_from_the_callers_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (tmp_path / "mine.conf").write_text("db.transaction.timeout=9s\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    assert _launcher_module().extra_settings_file({"CHAINKG_NEO4J_CONF": "mine.conf"}) == tmp_path / "mine.conf"


def test_settings_from_the_file_reach_the_server_and_the_launchers_own_win(tmp_path: Path) -> None:
    done = _run_server(
        tmp_path,
        "db.transaction.timeout=42s\nserver.bolt.listen_address=127.0.0.1:9\n",
        [sys.executable, "-c", READ_SETTINGS],
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = dict(line.split("=", 1) for line in done.stdout.split() if "=" in line)
    assert lines["db.transaction.timeout"] == "42s"
    port = lines["URI"].rsplit(":", 1)[1]
    assert lines["server.bolt.listen_address"] == f"127.0.0.1:{port}"  # the launcher's Bolt address, not :9
    assert "settings " + str(tmp_path / "extra.conf") in done.stderr


def test_an_unknown_setting_stops_the_start_with_neo4js_reason(tmp_path: Path) -> None:
    done = _run_server(tmp_path, "db.no_such_setting=1\n", [sys.executable, "-c", "raise SystemExit(0)"])
    assert done.returncode != 0
    assert "db.no_such_setting" in done.stderr and "Unrecognized setting" in done.stderr
