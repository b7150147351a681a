"""Latency of the analysis queries on a dataset folder (default: the bundled data).

Measures each query cold (first call after a load: builds the per-version analysis or
search index) and warm (cached), as median and p95 over repeated runs, directly and
through the HTTP API (in-process TestClient).

    .venv/bin/python bench/bench_analysis.py [--data DIR] [--runs 200]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainkg.settings import BUNDLED_DATA, Settings  # noqa: E402
from graph.memory_store import MemoryStore  # noqa: E402
from loaders.folder import load_folder  # noqa: E402
from queries import cache  # noqa: E402
from queries.candidates import candidates  # noqa: E402
from queries.chain import chain  # noqa: E402
from queries.gaps import gaps  # noqa: E402
from queries.health import health_ranking  # noqa: E402
from queries.impact import impact  # noqa: E402
from queries.search import search  # noqa: E402


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(0.95 * len(samples)))]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=BUNDLED_DATA)
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    start = time.perf_counter()
    store = MemoryStore(load_folder(args.data))
    print(f"load {args.data}: {(time.perf_counter() - start) * 1000:.0f} ms, {store.counts()['nodes']}")
    cluster = "nev" if store.node("nev") else store.nodes("Cluster")[0].id
    segment = "nev-recycling" if store.node("nev-recycling") else store.nodes("Segment")[0].id
    queries: dict[str, Callable[[], object]] = {
        "chain": lambda: chain(store, cluster),
        "gaps (cluster)": lambda: gaps(store, cluster),
        "gaps (all)": lambda: gaps(store),
        "candidates": lambda: candidates(store, segment),
        "impact": lambda: impact(store, segment),
        "health ranking": lambda: health_ranking(store),
        "search ningde": lambda: search(store, "ningde"),
        "search 时代新能源": lambda: search(store, "时代新能源"),
        "search typo svlot": lambda: search(store, "svlot"),
    }
    cache.clear()
    for name in ("chain", "search ningde"):
        start = time.perf_counter()
        queries[name]()
        print(f"cold {name}: {(time.perf_counter() - start) * 1000:.1f} ms (builds the analysis / search index)")
    print("\n| query | median ms | p95 ms |\n|---|---|---|")
    for name, fn in queries.items():
        med, p95 = timed(fn, args.runs)
        print(f"| {name} | {med:.2f} | {p95:.2f} |")
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(store, Settings.from_env(env={}))) as client:
        print("\n| API (in-process) | median ms | p95 ms |\n|---|---|---|")
        for url in (
            f"/api/v1/clusters/{cluster}/chain",
            f"/api/v1/clusters/{cluster}/gaps",
            "/api/v1/gaps?limit=500",
            "/api/v1/search?q=ningde",
        ):
            med, p95 = timed(lambda u=url: client.get(u).raise_for_status(), args.runs)
            print(f"| GET {url} | {med:.2f} | {p95:.2f} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
