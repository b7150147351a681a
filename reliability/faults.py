"""Neo4j stopped under a served API: 503 problem+json while it is down, recovery with no restart.

:func:`neo4j_outage` starts a :class:`~reliability.neo4j.DedicatedNeo4j`, loads
the bundled data into it, serves it with a real ``chainkg serve`` subprocess,
keeps probing the API from a few threads, stops Neo4j (SIGTERM, or SIGKILL for a
crash), checks every answer is either a 200/404 or a 503 problem+json and none
hangs, starts Neo4j again on the same port and folder, and waits for the API to
answer 200 again on its own. It returns what it saw; it raises ``AssertionError``
when a rule is broken.
"""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass, field
from typing import Any

import httpx

from chainkg.settings import BUNDLED_DATA
from reliability.load import percentile
from reliability.neo4j import DedicatedNeo4j
from reliability.server import check_loopback, served

PROBE_PATHS = (
    "/api/v1/clusters/nev",
    "/api/v1/firms/catl-jiangsu",
    "/api/v1/clusters/nev/gaps",
    "/api/v1/search?q=ndsd",
    "/views/clusters/nev",
)
ANSWER_BOUND_S = 10.0
"""A 503 must come within this (reads give up within about a second); any answer within 3x this."""


@dataclass
class Probe:
    """One answer: when (seconds since the run began), what, status, media type, how long it took."""

    at: float
    path: str
    status: int
    media_type: str
    ms: float
    error: str = ""


@dataclass
class Prober:
    """Threads that GET :data:`PROBE_PATHS` in turn until stopped (bounded: ``max_probes`` and ``max_seconds``)."""

    url: str
    threads: int = 3
    max_probes: int = 20_000
    max_seconds: float = 600.0
    probes: list[Probe] = field(default_factory=list)
    _stop: threading.Event = field(default_factory=threading.Event)
    _lock: threading.Lock = field(default_factory=threading.Lock)
    _workers: list[threading.Thread] = field(default_factory=list)

    def __post_init__(self) -> None:
        check_loopback(self.url)
        self.t0 = time.monotonic()

    def _loop(self, index: int) -> None:
        deadline = self.t0 + self.max_seconds
        step = index
        with httpx.Client(base_url=self.url, timeout=ANSWER_BOUND_S * 3) as http:
            while not self._stop.is_set() and time.monotonic() < deadline and len(self.probes) < self.max_probes:
                path = PROBE_PATHS[step % len(PROBE_PATHS)]
                step += 1
                started = time.perf_counter()
                try:
                    response = http.get(path)
                    probe = Probe(
                        0.0,
                        path,
                        response.status_code,
                        response.headers.get("content-type", "").split(";")[0],
                        (time.perf_counter() - started) * 1000,
                    )
                except httpx.HTTPError as err:
                    probe = Probe(0.0, path, 0, "", (time.perf_counter() - started) * 1000, f"{type(err).__name__}")
                probe.at = time.monotonic() - self.t0
                with self._lock:
                    self.probes.append(probe)
                time.sleep(0.05)

    def start(self) -> Prober:
        self._workers = [threading.Thread(target=self._loop, args=(i,), daemon=True) for i in range(self.threads)]
        for worker in self._workers:
            worker.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        for worker in self._workers:
            worker.join(timeout=ANSWER_BOUND_S * 4)

    def now(self) -> float:
        return time.monotonic() - self.t0

    def since(self, t: float) -> list[Probe]:
        with self._lock:
            return [p for p in self.probes if p.at >= t]


def _wait_for(condition: Any, timeout: float, what: str) -> float:
    started = time.monotonic()
    while time.monotonic() - started < timeout:
        if condition():
            return time.monotonic() - started
        time.sleep(0.1)
    raise AssertionError(f"{what} did not happen within {timeout:.0f}s")


def _all_ok(prober: Prober) -> bool:
    """Whether the last second's answers (at least three) were all 200."""
    recent = prober.since(prober.now() - 1.0)
    return len(recent) >= 3 and all(p.status == 200 for p in recent)


def _health(url: str) -> dict[str, Any]:
    response = httpx.get(url + "/health", timeout=ANSWER_BOUND_S)
    assert response.status_code == 200, f"/health answered {response.status_code}: {response.text[:300]}"
    return response.json()  # type: ignore[no-any-return]


def neo4j_outage(
    *, kill: bool = False, down_seconds: float = 5.0, neo4j: DedicatedNeo4j | None = None
) -> dict[str, Any]:
    """Run the outage scenario (see the module docstring) and return its figures.

    Parameters
    ----------
    kill : bool
        Stop Neo4j with SIGKILL (a crash) instead of SIGTERM (a clean shutdown).
    down_seconds : float
        How long Neo4j stays down once the API answers 503.
    neo4j : DedicatedNeo4j, optional
        A dedicated server to use (started if needed); by default one is made and removed.
    """
    from graph.neo4j_store import Neo4jStore
    from loaders.folder import load_folder

    own = neo4j is None
    neo = neo4j or DedicatedNeo4j("reliability-faults")
    try:
        neo.start()
        store = Neo4jStore(neo.uri)
        try:
            store.replace(load_folder(BUNDLED_DATA))
            version = store.version()
        finally:
            store.close()
        env = {"CHAINKG_BACKEND": "neo4j", "NEO4J_URI": neo.uri, "NEO4J_USER": "", "NEO4J_PASSWORD": ""}
        with served(env) as server:
            url = server.url
            assert _health(url)["store"]["state"] == "up"
            for path in PROBE_PATHS:  # build the caches first: a cold view is slow, and not what is tested
                assert httpx.get(url + path, timeout=ANSWER_BOUND_S * 6).status_code == 200, path
            prober = Prober(url).start()
            try:
                time.sleep(1.0)
                stopped_at = prober.now()
                stop_took = neo.stop(kill=kill)
                first_503 = _wait_for(
                    lambda: any(p.status == 503 for p in prober.since(stopped_at)), 30, "a 503 after Neo4j stopped"
                )
                health_down = _health(url)
                time.sleep(down_seconds)
                restart_at = prober.now()
                restart_took = neo.start()
                answered_at = prober.now()
                recovered = _wait_for(lambda: _all_ok(prober), 60, "recovery (200s again) after Neo4j came back")
                time.sleep(1.0)
            finally:
                prober.stop()
            health_up = _health(url)
            after = httpx.get(url + "/api/v1/clusters/nev", timeout=ANSWER_BOUND_S)
            output = server.output()
        probes = prober.probes
        outage = [p for p in probes if stopped_at <= p.at <= answered_at]
        bad = [p for p in probes if p.status not in (200, 503) or p.error]
        not_problem = [p for p in probes if p.status == 503 and p.media_type != "application/problem+json"]
        slow = [p for p in probes if p.status == 503 and p.ms > ANSWER_BOUND_S * 1000]
        down_ms = [p.ms for p in probes if p.status == 503]
        up_ms = [p.ms for p in probes if p.status == 200]
        assert not bad, f"answers other than 200/503 or transport errors: {bad[:5]}"
        assert not not_problem, f"503s that are not problem+json: {not_problem[:5]}"
        assert not slow, f"503s slower than {ANSWER_BOUND_S}s: {slow[:5]}"
        assert health_down["status"] == "degraded" and health_down["store"]["state"] == "down", health_down
        assert health_up["status"] == "ok" and health_up["store"]["state"] == "up", health_up
        assert after.status_code == 200, after.text[:300]
        assert "Traceback" not in output, output[-3000:]
        with_store = Neo4jStore(neo.uri)
        try:
            kept = with_store.version() == version
        finally:
            with_store.close()
        assert kept, "the restarted Neo4j does not serve the graph it had"
        return {
            "stop": "SIGKILL" if kill else "SIGTERM",
            "probes": len(probes),
            "answers_503": len(down_ms),
            "statuses_during_outage": sorted({p.status for p in outage}),
            "first_503_after_stop_s": round(first_503, 2),
            "stop_took_s": round(stop_took, 1),
            "answer_503_p50_ms": round(percentile(down_ms, 50), 1),
            "answer_503_max_ms": round(max(down_ms), 1) if down_ms else 0.0,
            "answer_200_p50_ms": round(percentile(up_ms, 50), 1),
            "answer_200_max_ms": round(max(up_ms), 1) if up_ms else 0.0,
            "neo4j_restart_s": round(restart_took, 1),
            "recovered_after_restart_s": round(recovered, 2),
            "restart_at_s": round(restart_at, 1),
            "data_kept_after_restart": kept,
            "health_when_down": {"http": 200, "status": health_down["status"], "state": health_down["store"]["state"]},
        }
    finally:
        if own:
            neo.close()
