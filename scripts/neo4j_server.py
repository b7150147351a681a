#!/usr/bin/env python3
"""Start, stop, or run a command against a real Neo4j Community 5.26 server, without Docker.

    python scripts/neo4j_server.py start          # prints exactly one line: NEO4J_URI=bolt://127.0.0.1:PORT
    python scripts/neo4j_server.py stop
    python scripts/neo4j_server.py run -- CMD...  # start, run CMD with NEO4J_URI set, stop; exit with CMD's code
    python scripts/neo4j_server.py status

How the server is had, first match wins:

1. ``NEO4J_URI`` is already set: that server is used and nothing is started.
2. A Docker engine answers (``docker info``): ``docker compose up -d --wait neo4j`` (the compose file
   needs ``NEO4J_PASSWORD``; the tests then read ``NEO4J_USER``/``NEO4J_PASSWORD`` from the environment).
   ``CHAINKG_NEO4J_DOCKER=0`` skips this.
3. Otherwise the tiny Java launcher in ``scripts/neo4j/`` (embedded Neo4j + Bolt, Java 17): Maven resolves
   it into ``~/.m2`` and builds it into ``.neo4j/`` (gitignored), and a JVM runs it in the background with
   Bolt on 127.0.0.1, auth off, a small heap and page cache. Its log is ``.neo4j/<name>.log``.

``start`` keeps its data in ``.neo4j/home`` (so what ``chainkg load`` wrote survives a restart) and its pid
in ``.neo4j/server.json``; ``run`` starts a separate throw-away server in ``.neo4j/run-<pid>/`` on its own
port, so tests never touch the data of a server started with ``start``.

Environment: ``CHAINKG_NEO4J_PORT`` (``start``'s port; default a free one), ``CHAINKG_NEO4J_HEAP`` (default
``1g``), ``CHAINKG_NEO4J_PAGECACHE_MB`` (default 128), ``CHAINKG_NEO4J_KEEP_ALIVE_S`` (Bolt keep-alive, default 5:
drivers drop a connection silent for twice that, so a frozen server is noticed within ~10 s),
``CHAINKG_NEO4J_START_TIMEOUT`` (seconds, default 240), ``CHAINKG_NEO4J_CONF`` (a ``neo4j.conf``-style file of
further settings, one ``name=value`` per line, e.g. ``db.transaction.timeout=30s``; the launcher's own Bolt,
auth, page cache and log retention settings win over it, and Neo4j refuses a name it does not know).
``run --optional`` runs CMD without ``NEO4J_URI`` when the server will not start (so Neo4j tests skip),
except under ``CI=true``, where a server that will not start fails the run after printing its log.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
LAUNCHER = REPO / "scripts" / "neo4j"
WORK = REPO / ".neo4j"
CLASSES = WORK / "build" / "classes"
LIB = WORK / "lib"
STAMP = WORK / "build.stamp"
SERVER_FILE = WORK / "server.json"
MAIN_CLASS = "chainkg.Neo4jLauncher"
IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}

# Neo4j's own neo4j.conf passes these to its JVM; an embedded DBMS does not get them by itself.
JVM_FLAGS = [
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--enable-native-access=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-XX:+ExitOnOutOfMemoryError",
    "-Djava.awt.headless=true",
]


class StartFailed(RuntimeError):
    """The server did not come up; the message says why and ``log`` names its log."""

    def __init__(self, message: str, *logs: Path) -> None:
        super().__init__(message)
        self.logs = logs


def say(message: str) -> None:
    """Progress and diagnostics go to stderr; stdout carries only the NEO4J_URI line."""
    print(f"[neo4j] {message}", file=sys.stderr, flush=True)


# -- build ------------------------------------------------------------------------------


def _sources_hash() -> str:
    digest = hashlib.sha256()
    for path in sorted([LAUNCHER / "pom.xml", *LAUNCHER.glob("src/**/*.java")]):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def _check_netty() -> None:
    jars = [p.name for p in LIB.glob("netty-*.jar") if p.name.startswith(("netty-common", "netty-transport-4"))]
    bad = [j for j in jars if "-4.1." not in j]
    if bad:
        raise StartFailed(
            f"Neo4j 5.26 needs Netty 4.1, but Maven resolved {', '.join(bad)} (see scripts/neo4j/pom.xml)"
        )


def build() -> None:
    """Resolve and compile the launcher with Maven, unless the last build is still current."""
    want = _sources_hash()
    main_class = CLASSES / "chainkg" / "Neo4jLauncher.class"
    if main_class.exists() and LIB.is_dir() and STAMP.exists() and STAMP.read_text().strip() == want:
        return
    for tool in ("java", "mvn"):
        if shutil.which(tool) is None:
            raise StartFailed(f"{tool!r} is not on PATH: the Neo4j launcher needs Java 17 and Maven")
    WORK.mkdir(exist_ok=True)
    if LIB.exists():
        shutil.rmtree(LIB)
    say("building the Neo4j launcher with Maven (the first time downloads ~125 MB into ~/.m2)")
    base = ["mvn", "-B", "-q", "-f", str(LAUNCHER / "pom.xml"), "package"]
    log = WORK / "build.log"
    for attempt in (base, [*base[:2], "-o", *base[2:]]):
        with log.open("w") as out:
            code = subprocess.call(attempt, stdout=out, stderr=subprocess.STDOUT, cwd=REPO)
        if code == 0:
            break
        say(f"{' '.join(attempt[:3])}... failed (exit {code})")
    else:
        raise StartFailed("Maven could not build the Neo4j launcher", log)
    _check_netty()
    STAMP.write_text(want + "\n")


# -- start / stop -----------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bolt_answers(uri: str, timeout: float = 5.0) -> bool:
    """True when a Bolt server at ``uri`` accepts a session (checked with the Python driver when installed)."""
    try:
        from neo4j import GraphDatabase
    except ImportError:
        host, port = uri.rsplit("/", 1)[-1].rsplit(":", 1)
        try:
            with socket.create_connection((host, int(port)), timeout=timeout):
                return True
        except OSError:
            return False
    user, password = os.environ.get("NEO4J_USER"), os.environ.get("NEO4J_PASSWORD")
    auth = (user or "neo4j", password or "") if (user or password) else None
    try:
        with GraphDatabase.driver(uri, auth=auth, connection_timeout=timeout) as driver:
            driver.verify_connectivity()
        return True
    except Exception:  # noqa: BLE001 - any failure means "not yet"
        return False


def _alive(pid: int) -> bool:
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    return MAIN_CLASS.encode() in cmdline


def tail(path: Path, lines: int = 80) -> str:
    try:
        text = path.read_text(errors="replace").splitlines()
    except OSError:
        return f"(no log at {path})"
    return "\n".join(text[-lines:])


def extra_settings_file(env: Mapping[str, str] | None = None) -> Path | None:
    """The absolute path named by ``CHAINKG_NEO4J_CONF``, or ``None`` when unset; refuse a missing file.

    >>> extra_settings_file({}) is None
    True
    """
    value = (os.environ if env is None else env).get("CHAINKG_NEO4J_CONF", "").strip()
    if not value:
        return None
    path = Path(value).expanduser().resolve()
    if not path.is_file():
        raise StartFailed(
            f"CHAINKG_NEO4J_CONF={value!r}: no such file ({path}); expected a neo4j.conf-style file of "
            "settings, one `name=value` per line, e.g. `db.transaction.timeout=30s`"
        )
    return path


def launch(home: Path, port: int, log: Path) -> dict[str, object]:
    """Start the launcher JVM in the background and wait until Bolt answers; return its record."""
    extra = extra_settings_file()
    build()
    home.mkdir(parents=True, exist_ok=True)
    heap = os.environ.get("CHAINKG_NEO4J_HEAP", "1g")
    pagecache = os.environ.get("CHAINKG_NEO4J_PAGECACHE_MB", "128")
    keep_alive = os.environ.get("CHAINKG_NEO4J_KEEP_ALIVE_S", "5")
    command = [
        "java",
        f"-Xms{heap}",  # initial = max heap, as Neo4j advises: growing it cost 2-5 s of GC per 100k-firm load
        f"-Xmx{heap}",
        *JVM_FLAGS,
        "-cp",
        f"{CLASSES}{os.pathsep}{LIB}/*",
        MAIN_CLASS,
        str(port),
        str(home),
        pagecache,
        keep_alive,
    ]
    uri = f"bolt://127.0.0.1:{port}"
    env = dict(os.environ)
    if extra is not None:
        env["CHAINKG_NEO4J_CONF"] = str(extra)  # absolute: the JVM runs in the repository, not the caller's folder
    settings = f", settings {extra}" if extra else ""
    say(f"starting Neo4j on {uri} (data {home.relative_to(REPO)}, log {log.relative_to(REPO)}{settings})")
    with log.open("w") as out:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
            cwd=REPO,
            env=env,
            start_new_session=True,
        )
    record: dict[str, object] = {"pid": proc.pid, "uri": uri, "home": str(home), "log": str(log), "kind": "java"}
    deadline = time.monotonic() + float(os.environ.get("CHAINKG_NEO4J_START_TIMEOUT", "240"))
    started = time.monotonic()
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise StartFailed(
                f"the Neo4j JVM exited with code {proc.returncode} before it answered", log, home / "logs" / "debug.log"
            )
        if "READY bolt://" in log.read_text(errors="replace") and bolt_answers(uri):
            say(f"Neo4j answers on {uri} after {time.monotonic() - started:.1f}s (pid {proc.pid})")
            return record
        time.sleep(0.5)
    stop_pid(proc.pid)
    raise StartFailed("Neo4j did not answer in time (CHAINKG_NEO4J_START_TIMEOUT)", log, home / "logs" / "debug.log")


def stop_pid(pid: int, grace: float = 60.0) -> None:
    """SIGTERM the launcher (its shutdown hook closes the database), SIGKILL after ``grace`` seconds."""
    if not _alive(pid):
        return
    os.kill(pid, signal.SIGTERM)
    deadline = time.monotonic() + grace
    while time.monotonic() < deadline:
        try:
            done, _ = os.waitpid(pid, os.WNOHANG)
        except ChildProcessError:
            done = 0
        if done == pid or not _alive(pid):
            return
        time.sleep(0.3)
    say(f"Neo4j (pid {pid}) ignored SIGTERM for {grace:.0f}s; killing it")
    os.kill(pid, signal.SIGKILL)


def docker_available() -> bool:
    if os.environ.get("CHAINKG_NEO4J_DOCKER", "1") == "0" or shutil.which("docker") is None:
        return False
    try:
        return subprocess.run(["docker", "info"], capture_output=True, timeout=20).returncode == 0
    except (OSError, subprocess.TimeoutExpired):
        return False


def start_docker() -> dict[str, object]:
    """``docker compose up -d --wait neo4j`` (not run on this project's machines, which have no engine)."""
    if not os.environ.get("NEO4J_PASSWORD"):
        raise StartFailed("docker compose needs NEO4J_PASSWORD set (the compose file has no default password)")
    if os.environ.get("CHAINKG_NEO4J_CONF", "").strip():
        say("CHAINKG_NEO4J_CONF is for the launcher only; under Docker, set NEO4J_* variables in docker-compose.yml")
    say("starting Neo4j with docker compose")
    code = subprocess.call(["docker", "compose", "up", "-d", "--wait", "neo4j"], cwd=REPO, stdout=sys.stderr)
    if code != 0:
        subprocess.call(["docker", "compose", "logs", "neo4j"], cwd=REPO, stdout=sys.stderr)
        raise StartFailed(f"docker compose up failed (exit {code})")
    os.environ.setdefault("NEO4J_USER", "neo4j")
    return {"uri": "bolt://127.0.0.1:7687", "kind": "docker"}


def start_server(home: Path, port: int, log: Path) -> dict[str, object]:
    if docker_available():
        return start_docker()
    return launch(home, port, log)


def stop_server(record: dict[str, object]) -> None:
    if record.get("kind") == "docker":
        subprocess.call(["docker", "compose", "stop", "neo4j"], cwd=REPO, stdout=sys.stderr)
    elif isinstance(record.get("pid"), int):
        stop_pid(int(record["pid"]))  # type: ignore[arg-type]


def read_record() -> dict[str, object] | None:
    try:
        return json.loads(SERVER_FILE.read_text())  # type: ignore[no-any-return]
    except (OSError, ValueError):
        return None


# -- commands ---------------------------------------------------------------------------


def cmd_start(_: argparse.Namespace) -> int:
    if os.environ.get("NEO4J_URI"):
        say("NEO4J_URI is set: using that server, starting nothing")
        print(f"NEO4J_URI={os.environ['NEO4J_URI']}")
        return 0
    record = read_record()
    if (
        record
        and (record.get("kind") == "docker" or _alive(int(record.get("pid", 0))))
        and bolt_answers(str(record["uri"]))
    ):
        say(f"already running (pid {record.get('pid')})")
        print(f"NEO4J_URI={record['uri']}")
        return 0
    port = int(os.environ.get("CHAINKG_NEO4J_PORT") or free_port())
    try:
        record = start_server(WORK / "home", port, WORK / "server.log")
    except StartFailed as err:
        return report_failure(err)
    WORK.mkdir(exist_ok=True)
    SERVER_FILE.write_text(json.dumps(record, indent=2) + "\n")
    print(f"NEO4J_URI={record['uri']}")
    return 0


def cmd_stop(_: argparse.Namespace) -> int:
    record = read_record()
    if record is None:
        say("no server started by `start` is recorded in .neo4j/server.json")
        return 0
    stop_server(record)
    SERVER_FILE.unlink(missing_ok=True)
    say(f"stopped Neo4j ({record.get('uri')})")
    return 0


def cmd_status(_: argparse.Namespace) -> int:
    record = read_record()
    if record and bolt_answers(str(record["uri"])):
        print(f"NEO4J_URI={record['uri']}")
        return 0
    say("not running")
    return 1


def report_failure(err: StartFailed) -> int:
    say(f"Neo4j will not start: {err}")
    for log in err.logs:
        if log.exists():
            print(f"----- {log} (last lines) -----", file=sys.stderr)
            print(tail(log), file=sys.stderr)
            print("-----", file=sys.stderr)
    return 1


def cmd_run(args: argparse.Namespace) -> int:
    command = list(args.command)
    if command and command[0] == "--":
        command = command[1:]
    if not command:
        say("nothing to run: give a command after --")
        return 2
    if os.environ.get("NEO4J_URI"):
        say(f"NEO4J_URI is set ({os.environ['NEO4J_URI']}): using that server")
        return subprocess.call(command)
    # A SIGTERM (e.g. a CI time-out) must still stop the server, which runs in its own session.
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    home = WORK / f"run-{os.getpid()}"
    record: dict[str, object] | None = None
    env = dict(os.environ)
    try:
        try:
            record = start_server(home / "db", free_port(), home / "neo4j.log")
            env["NEO4J_URI"] = str(record["uri"])
        except StartFailed as err:
            report_failure(err)
            if IN_CI or not args.optional:
                return 1
            say("running without Neo4j: its tests will be skipped (under CI=true this fails instead)")
        return subprocess.call(command, env=env)
    finally:
        if record is not None:
            stop_server(record)
            say("stopped the test server")
        shutil.rmtree(home, ignore_errors=True)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    sub = parser.add_subparsers(dest="action", required=True)
    sub.add_parser("start", help="start in the background; print NEO4J_URI=...").set_defaults(handler=cmd_start)
    sub.add_parser("stop", help="stop the server that `start` started").set_defaults(handler=cmd_stop)
    sub.add_parser("status", help="print NEO4J_URI=... when it answers").set_defaults(handler=cmd_status)
    run = sub.add_parser("run", help="start a throw-away server, run a command, stop")
    run.add_argument("--optional", action="store_true", help="outside CI, run the command even if Neo4j fails")
    run.add_argument("command", nargs=argparse.REMAINDER)
    run.set_defaults(handler=cmd_run)
    args = parser.parse_args(argv)
    return int(args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
