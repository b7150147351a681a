"""A Neo4j of its own, to stop and start again mid-run, without touching any other server.

It uses the launcher of ``scripts/neo4j_server.py`` (embedded Neo4j 5.26 + Bolt,
Java 17, built by Maven into ``.neo4j/``) on a port and a data folder of its own
(``.neo4j/reliability-<pid>/``). The folder is kept between :meth:`stop` and
:meth:`start`, so a restarted server has its data back; :meth:`close` stops it
and deletes the folder. Bolt listens on 127.0.0.1 with auth off, as for the
test server.
"""

from __future__ import annotations

import importlib.util
import os
import shutil
import signal
import time
from pathlib import Path
from types import ModuleType
from typing import Any

from reliability.server import REPO, free_port

SCRIPT = REPO / "scripts" / "neo4j_server.py"


def launcher() -> ModuleType:
    """``scripts/neo4j_server.py`` as a module (its ``launch``, ``stop_pid``, ``StartFailed``...)."""
    spec = importlib.util.spec_from_file_location("chainkg_neo4j_server", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


class DedicatedNeo4j:
    """A Neo4j on its own port and folder.

    Raises ``StartFailed`` (of :func:`launcher`) from :meth:`start` when Java,
    Maven or the server is missing; the message says which.
    """

    def __init__(self, name: str = "reliability") -> None:
        self._ns = launcher()
        self.port = free_port()
        self.uri = f"bolt://127.0.0.1:{self.port}"
        self.home: Path = self._ns.WORK / f"{name}-{os.getpid()}"
        self._record: dict[str, Any] | None = None
        self.starts: list[float] = []

    @property
    def start_failed(self) -> type[Exception]:
        return self._ns.StartFailed  # type: ignore[no-any-return]

    @property
    def running(self) -> bool:
        return self._record is not None

    def start(self) -> float:
        """Start (or start again) on the same port and folder; return the seconds it took to answer."""
        if self._record is not None:
            return 0.0
        started = time.monotonic()
        self._record = self._ns.launch(self.home / "db", self.port, self.home / "neo4j.log")
        took = time.monotonic() - started
        self.starts.append(took)
        return took

    def stop(self, *, kill: bool = False) -> float:
        """Stop the server: SIGTERM (a clean shutdown) or, with ``kill``, SIGKILL (a crash)."""
        if self._record is None:
            return 0.0
        pid = int(self._record["pid"])
        started = time.monotonic()
        if kill:
            os.kill(pid, signal.SIGKILL)
            try:
                os.waitpid(pid, 0)
            except ChildProcessError:
                pass
        else:
            self._ns.stop_pid(pid)
        self._record = None
        return time.monotonic() - started

    def _signal(self, sig: signal.Signals) -> None:
        if self._record is not None:
            os.kill(int(self._record["pid"]), sig)

    def freeze(self) -> None:
        """Pause the server (SIGSTOP): its TCP connections stay open and nothing answers, like a stuck VM."""
        self._signal(signal.SIGSTOP)

    def thaw(self) -> None:
        """Resume a server paused by :meth:`freeze` (SIGCONT)."""
        self._signal(signal.SIGCONT)

    def close(self) -> None:
        """Stop the server (thawed first, so that it can shut down) and delete its folder."""
        try:
            self.thaw()
            self.stop()
        finally:
            shutil.rmtree(self.home, ignore_errors=True)

    def __enter__(self) -> DedicatedNeo4j:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
