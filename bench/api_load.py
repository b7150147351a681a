"""API latency and throughput on loopback against a real ``chainkg serve`` subprocess.

    .venv/bin/python bench/api_load.py [--data DIR] [--clients 8] [--seconds 10] [--count 2000]

1. Latency: one client, each endpoint in turn (after one warm-up request each), median and p95.
2. Throughput: a bounded pool of concurrent async clients (``httpx.AsyncClient``) over a mix of
   the endpoints, first a fixed number of requests, then a fixed duration; requests per second,
   latency under load, and errors (a non-2xx answer or a failed request) are counted.

The server runs with a throw-away state folder, so an import elsewhere cannot change what it serves.
Prints one JSON object; ``bench/run.py`` calls :func:`measure`.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.workers import Picks, summary  # noqa: E402


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def endpoints(picks: Picks) -> dict[str, tuple[str, dict[str, str]]]:
    """Name → (path, query parameters) of the endpoints measured."""
    return {
        "chain": (f"/api/v1/clusters/{picks.cluster}/chain", {}),
        "gaps (one cluster)": (f"/api/v1/clusters/{picks.cluster}/gaps", {}),
        "gaps (all)": ("/api/v1/gaps", {}),
        "search": ("/api/v1/search", {"q": picks.searches[0]}),
        "firm lookup": (f"/api/v1/firms/{picks.firms[0]}", {}),
        "candidates": (f"/api/v1/segments/{picks.crowded_segment}/candidates", {}),
        "impact": (f"/api/v1/segments/{picks.upstream_segment}/impact", {}),
    }


def _rss(pid: int) -> dict[str, float] | None:
    try:
        status = (Path("/proc") / str(pid) / "status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {
        "rss_mb": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
        "peak_rss_mb": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
    }


class Server:
    """``chainkg serve --data DIR`` on a free loopback port, stopped on exit.

    With ``backend="neo4j"`` it serves the graph the Neo4j server of ``NEO4J_URI`` holds (``data`` is not read).
    """

    def __init__(self, data: Path | None, timeout: float = 600.0, backend: str = "networkx") -> None:
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.state = tempfile.TemporaryDirectory(prefix="chainkg-bench-state-")
        env = {**os.environ, "CHAINKG_STATE_DIR": self.state.name, "CHAINKG_BACKEND": backend}
        command = [sys.executable, "-m", "chainkg", "serve", "--port", str(self.port), "--log-level", "warning"]
        if data is not None and backend == "networkx":
            command += ["--data", str(data)]
        self.started = time.perf_counter()
        self.proc = subprocess.Popen(
            command, cwd=REPO, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True
        )
        self.ready_s = self._wait(timeout)

    def _wait(self, timeout: float) -> float:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.proc.poll() is not None:
                raise RuntimeError(f"chainkg serve exited with {self.proc.returncode}: {self.proc.stderr.read()}")  # type: ignore[union-attr]
            try:
                if httpx.get(self.base + "/health", timeout=2.0).status_code == 200:
                    return time.perf_counter() - self.started
            except httpx.HTTPError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"chainkg serve did not answer within {timeout:.0f}s")

    def settle(self, timeout: float = 300.0) -> float:
        """Wait until the server is idle (its background warm-up done); return how long that took."""
        started = time.perf_counter()
        ticks = os.sysconf("SC_CLK_TCK")

        def cpu() -> float:
            fields = (Path("/proc") / str(self.proc.pid) / "stat").read_text().rsplit(")", 1)[1].split()
            return (int(fields[11]) + int(fields[12])) / ticks

        while time.perf_counter() - started < timeout:
            before = cpu()
            time.sleep(0.5)
            if cpu() - before < 0.05:
                break
        return time.perf_counter() - started

    def memory(self) -> dict[str, float] | None:
        return _rss(self.proc.pid)

    def stop(self) -> None:
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        self.state.cleanup()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


def latency(base: str, eps: dict[str, tuple[str, dict[str, str]]], runs: int) -> dict[str, Any]:
    """One client, each endpoint ``runs`` times after one warm-up request."""
    out: dict[str, Any] = {}
    with httpx.Client(base_url=base, timeout=120.0) as client:
        for name, (path, params) in eps.items():
            start = time.perf_counter()
            try:
                first = client.get(path, params=params)
            except httpx.HTTPError as err:
                raise RuntimeError(f"the first request of {name} ({path}) failed: {type(err).__name__}: {err}") from err
            first_ms = (time.perf_counter() - start) * 1000
            samples, errors = [], int(first.status_code >= 400)
            for _ in range(runs):
                start = time.perf_counter()
                answer = client.get(path, params=params)
                samples.append((time.perf_counter() - start) * 1000)
                errors += answer.status_code >= 400
            out[name] = {**summary(samples), "first_ms": round(first_ms, 1), "errors": errors}
    return out


async def _load(
    base: str, eps: list[tuple[str, dict[str, str]]], clients: int, *, count: int | None, seconds: float | None
) -> dict[str, Any]:
    """``clients`` concurrent workers over the endpoint mix, until ``count`` requests or ``seconds`` pass."""
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    samples: list[float] = []
    errors: dict[str, int] = {}
    issued = 0
    deadline = time.perf_counter() + seconds if seconds else None

    async def worker(client: httpx.AsyncClient) -> None:
        nonlocal issued
        while True:
            if count is not None and issued >= count:
                return
            if deadline is not None and time.perf_counter() >= deadline:
                return
            path, params = eps[issued % len(eps)]
            issued += 1
            start = time.perf_counter()
            try:
                answer = await client.get(path, params=params)
                if answer.status_code >= 400:
                    errors[str(answer.status_code)] = errors.get(str(answer.status_code), 0) + 1
            except httpx.HTTPError as err:
                errors[type(err).__name__] = errors.get(type(err).__name__, 0) + 1
            samples.append((time.perf_counter() - start) * 1000)

    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=60.0) as client:
        start = time.perf_counter()
        await asyncio.gather(*(worker(client) for _ in range(clients)))
        elapsed = time.perf_counter() - start
    done = len(samples)
    return {
        "clients": clients,
        "requests": done,
        "seconds": round(elapsed, 3),
        "requests_per_s": round(done / elapsed, 1) if elapsed else 0.0,
        "errors": sum(errors.values()),
        "errors_by_kind": errors,
        "latency": summary(samples) if samples else None,
    }


class StepFailed(RuntimeError):
    """A measurement step failed; the message names the step, so a results file says where."""


def measure(
    data: Path | None,
    picks: Picks,
    *,
    runs: int = 100,
    clients: int = 8,
    count: int = 2000,
    seconds: float = 10.0,
    backend: str = "networkx",
) -> dict[str, Any]:
    """Start a server on ``data`` (the bundled data when ``None``), measure latency and throughput, stop it.

    ``backend="neo4j"`` serves the graph already loaded into the Neo4j of ``NEO4J_URI`` instead, so every
    request also pays the store's per-request check of the graph's version (one small Bolt read).
    """
    eps = endpoints(picks)
    mix = list(eps.values())
    step = "starting chainkg serve"
    try:
        with Server(data, backend=backend) as server:
            result: dict[str, Any] = {
                "data": str(data) if data else "bundled",
                "backend": backend,
                "ready_s": round(server.ready_s, 2),
            }
            step = "waiting for the warm-up"
            result["warm_up_s"] = round(server.settle(), 2)  # the analysis and search index, in the background
            step = "latency, one client"
            result["latency"] = latency(server.base, eps, runs)
            step = f"throughput, {count} requests"
            result["throughput_count"] = asyncio.run(_load(server.base, mix, clients, count=count, seconds=None))
            step = f"throughput, {seconds:g} s"
            result["throughput_duration"] = asyncio.run(_load(server.base, mix, clients, count=None, seconds=seconds))
            result["server_memory"] = server.memory()
    except Exception as err:
        raise StepFailed(f"{step}: {type(err).__name__}: {err}") from err
    return result


def main(argv: list[str] | None = None) -> int:
    from loaders.folder import load_folder

    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", type=Path, default=None, help="dataset folder (default: the bundled data)")
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--count", type=int, default=2000)
    parser.add_argument("--seconds", type=float, default=10.0)
    args = parser.parse_args(argv)
    from chainkg.settings import BUNDLED_DATA

    picks = Picks.of(load_folder(args.data or BUNDLED_DATA))
    result = measure(args.data, picks, runs=args.runs, clients=args.clients, count=args.count, seconds=args.seconds)
    print(json.dumps(result, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
