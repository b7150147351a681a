"""Neo4j benchmark: batched loading vs one query per row, and query latency on networkx vs Neo4j.

It REPLACES the graph in the Neo4j at NEO4J_URI (use a throw-away server):

    .venv/bin/python scripts/neo4j_server.py run -- .venv/bin/python bench/neo4j_bench.py
    .venv/bin/python bench/neo4j_bench.py --firms 20000 --row-firms 2000 --runs 20   # with NEO4J_URI set

1. Loading (after an untimed warm-up load, and each timed load starting from an empty graph).
   The same synthetic dataset (``graph.synth``, ``--row-firms`` firms) is loaded once with
   ``load_row_by_row`` (one auto-commit query per node and per edge) and once with ``replace`` (batched
   ``UNWIND $rows ... MERGE``); the ratio of their times is printed. A larger dataset (``--firms``)
   is then loaded batched at each ``--batches`` size, for relationships per second.
2. Queries. On one dataset (``--data bundled`` or ``synth`` with ``--query-firms``), every parity case
   of ``tests/test_parity.py`` is timed on both stores: ``cold`` clears the per-version cache before each
   run (the store is read every time), ``warm`` keeps it (as a running server does). Median and p95, ms.

The figures go to stdout and to ``bench/out/neo4j_bench.json``.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from chainkg.settings import Settings  # noqa: E402
from graph.dataset import Dataset  # noqa: E402
from graph.memory_store import MemoryStore  # noqa: E402
from graph.neo4j_store import Neo4jStore  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from graph.synth import synth_dataset  # noqa: E402
from queries import cache  # noqa: E402
from tests.test_parity import CASES, Picks, answer  # noqa: E402

SKIP_CASES = {"snapshot", "snapshot fingerprint", "precompute"}  # whole-graph dumps, not queries


def seconds(fn: Callable[[], object]) -> float:
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    return statistics.median(ordered), ordered[min(len(ordered) - 1, int(0.95 * len(ordered)))]


def empty(store: Neo4jStore) -> None:
    """Switch to an empty graph (untimed), so that a timed load does not also pay for deleting the last one."""
    store.replace(Dataset())


def bench_loading(store: Neo4jStore, row_firms: int, firms: int, batches: list[int]) -> dict[str, Any]:
    small = synth_dataset(row_firms, seed=1)
    rels = len(small.edges)
    print(f"\n== loading: {len(small.nodes)} nodes + {rels} relationships ({row_firms} synthetic firms)")
    # Warm-up (untimed): a fresh server compiles each query's plan and JIT-compiles its code on first use.
    store.replace(small)
    store.load_row_by_row(synth_dataset(20, seed=1))
    empty(store)
    naive = seconds(lambda: store.load_row_by_row(small))
    empty(store)
    batched = seconds(lambda: store.replace(small))
    print(f"one query per row : {naive:8.2f} s  ({rels / naive:9.0f} rels/s)")
    print(f"batched UNWIND    : {batched:8.2f} s  ({rels / batched:9.0f} rels/s, batch {store.batch_size})")
    print(f"ratio             : {naive / batched:8.1f}x faster batched")
    out: dict[str, Any] = {
        "same_data": {
            "firms": row_firms,
            "nodes": len(small.nodes),
            "relationships": rels,
            "row_by_row_s": round(naive, 3),
            "batched_s": round(batched, 3),
            "ratio": round(naive / batched, 1),
            "batch_size": store.batch_size,
        },
        "batched": [],
    }
    big = synth_dataset(firms, seed=2)
    print(f"\n== batched loading of {len(big.nodes)} nodes + {len(big.edges)} relationships ({firms} firms)")
    for size in batches:
        store.batch_size = size
        empty(store)
        took = seconds(lambda: store.replace(big))
        items = len(big.nodes) + len(big.edges)
        print(
            f"batch {size:>6}: {took:7.2f} s  {len(big.edges) / took:9.0f} rels/s  {items / took:9.0f} (nodes+rels)/s"
        )
        out["batched"].append(
            {
                "batch_size": size,
                "nodes": len(big.nodes),
                "relationships": len(big.edges),
                "seconds": round(took, 3),
                "rels_per_s": round(len(big.edges) / took),
            }
        )
    return out


def bench_queries(stores: dict[str, GraphStore], dataset: Dataset, runs: int) -> list[dict[str, Any]]:
    picks = Picks.of(dataset)
    print(f"\n== query latency, ms (median / p95 of {runs} runs) on {len(dataset.nodes)} nodes")
    print(f"{'case':34} {'nx cold':>15} {'neo4j cold':>15} {'nx warm':>15} {'neo4j warm':>15}")
    rows = []
    for name, case in CASES.items():
        if name in SKIP_CASES:
            continue
        row: dict[str, Any] = {"case": name}
        for mode in ("cold", "warm"):
            for backend, store in stores.items():
                samples = []
                for _ in range(runs + (1 if mode == "warm" else 0)):
                    if mode == "cold":
                        cache.clear()
                    samples.append(seconds(lambda s=store, c=case: answer(c, s, picks)) * 1000)
                if mode == "warm":
                    samples = samples[1:]  # the first run filled the cache
                median, p95 = percentiles(samples)
                row[f"{backend}_{mode}"] = {"median_ms": round(median, 3), "p95_ms": round(p95, 3)}
        cells = [
            f"{row[k]['median_ms']:6.2f}/{row[k]['p95_ms']:7.2f}"
            for k in ("networkx_cold", "neo4j_cold", "networkx_warm", "neo4j_warm")
        ]
        print(f"{name[:34]:34} " + " ".join(f"{c:>15}" for c in cells))
        rows.append(row)
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--row-firms", type=int, default=2000, help="firms in the row-by-row vs batched comparison")
    parser.add_argument("--firms", type=int, default=20000, help="firms in the larger batched load")
    parser.add_argument("--batches", default="1000,5000,10000", help="batch sizes for the larger load")
    parser.add_argument("--data", choices=["bundled", "synth"], default="bundled", help="dataset for the queries")
    parser.add_argument("--query-firms", type=int, default=2000, help="firms when --data synth")
    parser.add_argument("--runs", type=int, default=15)
    parser.add_argument("--skip-load", action="store_true", help="only the query latencies")
    parser.add_argument("--skip-queries", action="store_true", help="only the loading")
    args = parser.parse_args()
    if not os.environ.get("NEO4J_URI"):
        print("NEO4J_URI is not set; run: scripts/neo4j_server.py run -- .venv/bin/python bench/neo4j_bench.py")
        return 2
    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), query_timeout=60.0)
    server = store.ping()
    print(f"Neo4j: {server.get('server')} at {server.get('uri')}; state {server['state']}")
    if server["state"] != "up":
        return 1
    results: dict[str, Any] = {"server": server.get("server")}
    try:
        if not args.skip_load:
            results["loading"] = bench_loading(
                store, args.row_firms, args.firms, [int(b) for b in args.batches.split(",")]
            )
        if not args.skip_queries:
            if args.data == "bundled":
                from chainkg.settings import BUNDLED_DATA
                from loaders.folder import load_folder

                dataset = load_folder(BUNDLED_DATA)
            else:
                dataset = synth_dataset(args.query_firms, seed=3)
            store.batch_size = 5000
            store.replace(dataset)
            results["queries"] = {
                "dataset": args.data,
                "nodes": len(dataset.nodes),
                "edges": len(dataset.edges),
                "runs": args.runs,
                "cases": bench_queries({"networkx": MemoryStore(dataset), "neo4j": store}, dataset, args.runs),
            }
    finally:
        store.close()
    out = REPO / "bench" / "out" / "neo4j_bench.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    print(f"\nwritten: {out.relative_to(REPO)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
