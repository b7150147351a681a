"""A real ``chainkg serve`` subprocess on a free loopback port, stopped on exit.

Examples
--------
>>> check_loopback("http://127.0.0.1:8000")
'http://127.0.0.1:8000'
>>> check_loopback("http://10.0.0.1:8000")
Traceback (most recent call last):
...
ValueError: refusing http://10.0.0.1:8000: reliability traffic goes to 127.0.0.1 only
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit

import httpx

REPO = Path(__file__).resolve().parent.parent
LOOPBACK = "127.0.0.1"


def check_loopback(url: str) -> str:
    """Return ``url`` if it points at 127.0.0.1; raise ``ValueError`` otherwise."""
    if urlsplit(url).hostname != LOOPBACK:
        raise ValueError(f"refusing {url}: reliability traffic goes to {LOOPBACK} only")
    return url


def free_port() -> int:
    """A TCP port free on the loopback address right now."""
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A running server: its base URL, its process and the file its output goes to."""

    url: str
    proc: subprocess.Popen[bytes]
    log: Path

    def output(self) -> str:
        """Everything the server printed so far (stdout and stderr)."""
        return self.log.read_text(encoding="utf-8", errors="replace")


def wait_until_up(url: str, proc: subprocess.Popen[bytes], log: Path, timeout: float = 90.0) -> None:
    """Wait until ``url/health`` answers; raise with the server's output if it exits or never answers."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"the server exited with {proc.returncode}:\n{log.read_text(errors='replace')}")
        try:
            if httpx.get(url + "/health", timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        time.sleep(0.2)
    raise RuntimeError(f"the server did not answer {url}/health within {timeout:.0f}s")


def stop(proc: subprocess.Popen[bytes], grace: float = 15.0) -> None:
    """SIGTERM, then SIGKILL after ``grace`` seconds."""
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=grace)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=10)


@contextmanager
def served(env: Mapping[str, str] | None = None, *, args: tuple[str, ...] = ()) -> Iterator[Served]:
    """Start ``python -m chainkg serve`` on a free loopback port with ``env`` added; stop it on exit.

    Parameters
    ----------
    env : mapping, optional
        Variables set on top of this process's environment (``CHAINKG_BACKEND``, ``NEO4J_URI``...).
    args : tuple of str
        More arguments for ``serve`` (e.g. ``("--data", DIR)``).
    """
    port = free_port()
    url = check_loopback(f"http://{LOOPBACK}:{port}")
    full_env = {**os.environ, **(env or {}), "CHAINKG_HOST": LOOPBACK, "CHAINKG_PORT": str(port)}
    fd, name = tempfile.mkstemp(prefix="chainkg-serve-", suffix=".log")
    log = Path(name)
    with os.fdopen(fd, "wb") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "chainkg", "serve", "--log-level", "warning", *args],
            cwd=REPO,
            env=full_env,
            stdin=subprocess.DEVNULL,
            stdout=out,
            stderr=subprocess.STDOUT,
        )
    try:
        wait_until_up(url, proc, log)
        yield Served(url, proc, log)
    finally:
        stop(proc)
        log.unlink(missing_ok=True)
