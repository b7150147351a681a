"""The real server, started as a subprocess, answers on /api/v1/clusters."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

REPO = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def wait_for(url: str, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            out = proc.stdout.read() if proc.stdout else ""
            raise AssertionError(f"server exited early ({proc.returncode}):\n{out}")
        try:
            if httpx.get(url, timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    proc.terminate()
    raise AssertionError(f"server did not answer {url} within {timeout}s")


def test_serve_subprocess_reads_clusters():
    port = free_port()
    env = {**os.environ, "CHAINKG_PORT": str(port), "CHAINKG_HOST": "127.0.0.1", "CHAINKG_BACKEND": "networkx"}
    proc = subprocess.Popen(
        [sys.executable, "-m", "chainkg", "serve", "--log-level", "warning"],
        cwd=REPO,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    try:
        wait_for(f"http://127.0.0.1:{port}/health", proc)
        body = httpx.get(f"http://127.0.0.1:{port}/api/v1/clusters", timeout=5).json()
        assert body["total"] >= 10
        assert "nev" in {c["id"] for c in body["items"]}
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def test_serve_on_a_taken_port_says_so_before_loading_and_names_the_options():
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen(1)
        port = taken.getsockname()[1]
        env = {**os.environ, "CHAINKG_HOST": "127.0.0.1", "CHAINKG_BACKEND": "networkx"}
        done = subprocess.run(
            [sys.executable, "-m", "chainkg", "serve", "--port", str(port)],
            cwd=REPO,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
        )
    assert done.returncode == 1, done.stderr
    assert f"cannot serve on 127.0.0.1:{port}: the port is already in use" in done.stderr
    assert "--port" in done.stderr and "CHAINKG_PORT" in done.stderr
    assert "Serving on" not in done.stderr and "store ready" not in done.stderr  # refused before the load
    assert "Traceback" not in done.stderr


def test_serve_on_an_address_the_machine_lacks_names_the_host_option():
    env = {**os.environ, "CHAINKG_BACKEND": "networkx"}
    done = subprocess.run(
        [sys.executable, "-m", "chainkg", "serve", "--host", "192.0.2.1", "--port", str(free_port())],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode == 1, done.stderr
    assert "cannot serve on 192.0.2.1:" in done.stderr and "--host" in done.stderr
