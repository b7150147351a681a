"""Bounded load: N concurrent clients for T seconds against a served API on 127.0.0.1.

Each client is a loop of HTTP/1.1 requests on its own keep-alive connection,
walking through :data:`MIX` from its own starting point. A loop stops when the
time is up or when the run has sent ``max_requests`` requests, whichever comes
first; every request has a 30 s client timeout. A response whose status is not
the one expected for it (``200``, or ``404`` for the deliberate unknown id), a
timeout or a connection error counts as an error.

Examples
--------
>>> percentile([1.0, 2.0, 3.0, 4.0], 50)
2.0
>>> percentile([1.0, 2.0, 3.0, 4.0], 99)
4.0
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

import httpx

from reliability.server import check_loopback

MIX: tuple[tuple[str, int], ...] = (
    ("/health", 200),
    ("/api/v1/clusters", 200),
    ("/api/v1/clusters/nev", 200),
    ("/api/v1/clusters/nev/chain", 200),
    ("/api/v1/clusters/nev/gaps", 200),
    ("/api/v1/clusters/nev/health", 200),
    ("/api/v1/gaps?min_severity=0.5", 200),
    ("/api/v1/health-ranking", 200),
    ("/api/v1/firms?q=CATL", 200),
    ("/api/v1/firms?cluster=nev&local=true&limit=20", 200),
    ("/api/v1/firms/catl-jiangsu", 200),
    ("/api/v1/firms/no-such-firm", 404),
    ("/api/v1/segments/nev-battery-cell", 200),
    ("/api/v1/segments/nev-battery-cell/candidates", 200),
    ("/api/v1/segments/nev-battery-cell/impact", 200),
    ("/api/v1/search?q=ndsd", 200),
    ("/api/v1/search?q=时代新能源", 200),
    ("/views/clusters/nev", 200),
    ("/reports/clusters/nev", 200),
)
"""The request mix: (path, expected status). Reads only; what every visitor does."""

REQUEST_TIMEOUT = 30.0


def percentile(values: list[float], pct: float) -> float:
    """The ``pct``-th percentile of ``values`` (nearest rank); 0 for none."""
    if not values:
        return 0.0
    ordered = sorted(values)
    rank = max(1, math.ceil(pct / 100 * len(ordered)))
    return ordered[rank - 1]


@dataclass
class LoadResult:
    """What a run measured; latencies in milliseconds."""

    clients: int
    seconds: float
    requests: int = 0
    errors: list[str] = field(default_factory=list)
    statuses: Counter[int] = field(default_factory=Counter)
    latencies_ms: list[float] = field(default_factory=list)
    by_path_ms: dict[str, list[float]] = field(default_factory=dict)
    warmup_s: float = 0.0

    @property
    def error_count(self) -> int:
        return len(self.errors)

    def summary(self) -> dict[str, Any]:
        """Counts, rate and latency percentiles (overall and the slowest paths by p99)."""
        lat = self.latencies_ms
        slowest = sorted(
            ((p, percentile(v, 99)) for p, v in self.by_path_ms.items()), key=lambda item: item[1], reverse=True
        )[:5]
        return {
            "clients": self.clients,
            "seconds": round(self.seconds, 1),
            "warmup_s": round(self.warmup_s, 2),
            "requests": self.requests,
            "errors": self.error_count,
            "first_errors": self.errors[:10],
            "statuses": {str(k): v for k, v in sorted(self.statuses.items())},
            "requests_per_s": round(self.requests / self.seconds, 1) if self.seconds else 0.0,
            "p50_ms": round(percentile(lat, 50), 1),
            "p95_ms": round(percentile(lat, 95), 1),
            "p99_ms": round(percentile(lat, 99), 1),
            "max_ms": round(max(lat), 1) if lat else 0.0,
            "slowest_p99_ms": {p: round(v, 1) for p, v in slowest},
        }


async def _client(
    http: httpx.AsyncClient,
    index: int,
    result: LoadResult,
    deadline: float,
    budget: list[int],
    mix: tuple[tuple[str, int], ...],
) -> None:
    step = index
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        path, expected = mix[step % len(mix)]
        step += 1
        started = time.perf_counter()
        try:
            response = await http.get(path)
            status = response.status_code
        except httpx.HTTPError as err:
            result.errors.append(f"{path}: {type(err).__name__}: {err}")
            continue
        elapsed = (time.perf_counter() - started) * 1000
        result.requests += 1
        result.statuses[status] += 1
        result.latencies_ms.append(elapsed)
        result.by_path_ms.setdefault(path, []).append(elapsed)
        if status != expected:
            result.errors.append(f"{path}: {status} (expected {expected}): {response.text[:200]}")


async def _run(
    base_url: str, clients: int, seconds: float, max_requests: int, mix: tuple[tuple[str, int], ...], warmup: bool
) -> LoadResult:
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    result = LoadResult(clients=clients, seconds=seconds)
    budget = [max_requests]
    async with httpx.AsyncClient(base_url=base_url, limits=limits, timeout=REQUEST_TIMEOUT) as http:
        if warmup:  # each path once, in turn, so caches are built before the clock starts
            warm_started = time.monotonic()
            for path, _ in mix:
                await http.get(path)
            result.warmup_s = time.monotonic() - warm_started
        started = time.monotonic()
        deadline = started + seconds
        await asyncio.gather(*(_client(http, i, result, deadline, budget, mix) for i in range(clients)))
        result.seconds = time.monotonic() - started
    return result


def run_load(
    base_url: str,
    *,
    clients: int = 10,
    seconds: float = 3.0,
    max_requests: int = 100_000,
    mix: tuple[tuple[str, int], ...] = MIX,
    warmup: bool = True,
) -> LoadResult:
    """Send ``clients`` concurrent request loops to ``base_url`` (127.0.0.1 only) for ``seconds``.

    The run stops at ``seconds`` or after ``max_requests`` requests, whichever comes first;
    a request still in flight at the deadline is waited for (at most 30 s). With ``warmup``, every
    path of ``mix`` is first requested once, in turn and untimed (caches fill as on a server in use;
    the time it took is :attr:`LoadResult.warmup_s`).
    """
    check_loopback(base_url)
    if not (1 <= clients <= 200 and 0 < seconds <= 600 and 1 <= max_requests <= 1_000_000):
        raise ValueError("clients 1-200, seconds up to 600 and max_requests up to 1,000,000")
    return asyncio.run(_run(base_url, clients, seconds, max_requests, mix, warmup))
