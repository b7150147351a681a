"""One benchmark measurement per process: ``python bench/workers.py KIND ARGS`` prints one JSON object.

Each measurement runs in a fresh process, so its peak RSS (``ru_maxrss``) is its own and
never mixes with another's. The kinds:

``nx DIR``
    Load a dataset folder into the networkx store (``load_folder`` + ``MemoryStore.replace``,
    what ``chainkg serve --data DIR`` does), record time and peak RSS, then time the queries.
``neo4j DIR``
    Load the same folder into the Neo4j at ``NEO4J_URI`` (batched), record time,
    relationships/s, the client's peak RSS and the server's RSS, then time the queries.
``ratio DIR``
    Load the folder into Neo4j one query per row, then batched, side by side.

Queries (see :data:`QUERIES`) are timed cold (the per-version cache cleared before each run,
as right after a load) and warm (cached, as a running server answers), as median and p95.
``--only chain,search`` limits them (the 1M-firm scale).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from graph.dataset import Dataset  # noqa: E402
from graph.errors import NodeNotFound  # noqa: E402
from graph.model import EdgeKind, Firm, NodeKind, Position  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from queries import cache  # noqa: E402
from queries.candidates import candidates  # noqa: E402
from queries.chain import chain  # noqa: E402
from queries.firms import get_firm  # noqa: E402
from queries.gaps import gaps  # noqa: E402
from queries.impact import impact  # noqa: E402
from queries.search import pinyin_keys, search  # noqa: E402


def peak_rss_mb() -> float:
    """This process's peak resident set size so far, in MiB (Linux reports KiB)."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def summary(samples_ms: list[float]) -> dict[str, float]:
    """Median and p95 (nearest rank) of samples in ms, and how many."""
    ordered = sorted(samples_ms)
    p95 = ordered[min(len(ordered) - 1, max(0, int(round(0.95 * len(ordered))) - 1))]
    return {"median_ms": round(statistics.median(ordered), 3), "p95_ms": round(p95, 3), "runs": len(ordered)}


@dataclass(frozen=True)
class Picks:
    """The ids and texts the queries use, chosen from the data the same way on every backend."""

    cluster: str
    crowded_segment: str
    upstream_segment: str
    firms: tuple[str, ...]
    searches: tuple[str, ...]
    broad_search: str

    @classmethod
    def of(cls, dataset: Dataset) -> Picks:
        clusters = sorted(n.id for n in dataset.of_kind(NodeKind.CLUSTER))
        cluster = "nev" if "nev" in clusters else clusters[0]
        outside = {n.id for n in dataset.of_kind(NodeKind.FIRM) if isinstance(n, Firm) and not n.is_local}
        crowd: dict[str, int] = {}
        for e in dataset.edges_of(EdgeKind.OPERATES_IN):
            if e.source in outside:
                crowd[e.target] = crowd.get(e.target, 0) + 1
        crowded = max(sorted(crowd), key=lambda s: crowd[s]) if crowd else sorted(dataset.nodes)[0]
        segs = sorted(
            (n for n in dataset.of_kind(NodeKind.SEGMENT) if getattr(n, "cluster_id", "") == cluster),
            key=lambda n: n.id,
        )
        ups = [s for s in segs if s.position is Position.UPSTREAM] or segs  # type: ignore[attr-defined]
        firms = sorted(n.id for n in dataset.of_kind(NodeKind.FIRM))
        step = max(1, len(firms) // 8)
        chosen = tuple(firms[step // 2 :: step][:8])
        one = dataset.nodes[chosen[len(chosen) // 2]]
        assert isinstance(one, Firm)
        english = one.name_en or one.name_zh
        typo = english[:3] + english[4] + english[3] + english[5:] if len(english) > 6 else english + "x"
        full, initials = pinyin_keys(one.name_zh)
        seg_name = segs[len(segs) // 2].name_zh if segs else one.name_zh
        searches = (one.name_zh, full, typo, seg_name, one.aliases[0] if one.aliases else initials)
        return cls(cluster, crowded, ups[0].id, chosen, searches, full[: max(2, len(full) // 2)])


def queries_for(store: GraphStore, picks: Picks) -> dict[str, Callable[[int], object]]:
    """The timed queries; each takes the run number (to rotate firms and search texts)."""
    return {
        "chain": lambda i: chain(store, picks.cluster),
        "gaps (one cluster)": lambda i: gaps(store, picks.cluster),
        "gaps (all)": lambda i: gaps(store),
        "candidates": lambda i: candidates(store, picks.crowded_segment),
        "impact": lambda i: impact(store, picks.upstream_segment),
        "search": lambda i: search(store, picks.searches[i % len(picks.searches)]),
        "search (broad prefix)": lambda i: search(store, picks.broad_search),
        "firm lookup": lambda i: get_firm(store, picks.firms[i % len(picks.firms)]),
        "unknown firm (404 suggestions)": lambda i: unknown_firm(store, picks.firms[i % len(picks.firms)] + "x"),
    }


def unknown_firm(store: GraphStore, firm_id: str) -> list[str]:
    """What a 404 for ``firm_id`` (not in the graph) costs: the look-up and its suggested ids."""
    try:
        get_firm(store, firm_id)
    except NodeNotFound as err:
        return err.suggestions
    raise AssertionError(f"{firm_id!r} was expected to be unknown")


def time_queries(
    store: GraphStore, picks: Picks, *, runs: int, cold_runs: int, only: set[str] | None
) -> dict[str, dict[str, Any]]:
    """Cold and warm latency of every query."""
    out: dict[str, dict[str, Any]] = {}
    for name, fn in queries_for(store, picks).items():
        if only and name not in only:
            continue
        cold = []
        for i in range(cold_runs):
            cache.clear()
            start = time.perf_counter()
            fn(i)
            cold.append((time.perf_counter() - start) * 1000)
        fn(0)  # fill the cache
        warm = []
        for i in range(runs):
            start = time.perf_counter()
            fn(i)
            warm.append((time.perf_counter() - start) * 1000)
        out[name] = {"cold": summary(cold), "warm": summary(warm)}
    return out


def launcher_pid() -> int | None:
    """The pid of the local Neo4j launcher JVM serving ``NEO4J_URI`` (``scripts/neo4j_server.py``), if any."""
    port = os.environ.get("NEO4J_URI", "").rsplit(":", 1)[-1].encode()
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmd = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if b"chainkg.Neo4jLauncher" in cmd and port in cmd:
            return int(proc.name)
    return None


def cpu_seconds(pid: int | None) -> float:
    """User + system CPU time of a process so far (0 when unknown)."""
    if pid is None:
        return 0.0
    try:
        fields = (Path("/proc") / str(pid) / "stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def own_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def neo4j_server_memory(pid: int | None) -> dict[str, float] | None:
    """RSS and peak RSS (MiB) of the Neo4j launcher JVM."""
    if pid is None:
        return None
    try:
        status = (Path("/proc") / str(pid) / "status").read_text()
    except OSError:
        return None
    fields = dict(line.split(":", 1) for line in status.splitlines() if ":" in line)
    return {
        "rss_mb": round(int(fields["VmRSS"].split()[0]) / 1024, 1),
        "peak_rss_mb": round(int(fields["VmHWM"].split()[0]) / 1024, 1),
    }


def timed_load(folder: Path) -> tuple[Dataset, float]:
    from loaders.folder import load_folder

    start = time.perf_counter()
    dataset = load_folder(folder)
    return dataset, time.perf_counter() - start


def run_nx(args: argparse.Namespace) -> dict[str, Any]:
    from graph.memory_store import MemoryStore

    dataset, parse_s = timed_load(args.folder)
    start = time.perf_counter()
    store = MemoryStore()
    store.replace(dataset)
    build_s = time.perf_counter() - start
    result: dict[str, Any] = {
        "nodes": len(dataset.nodes),
        "edges": len(dataset.edges),
        "load": {
            "seconds": round(parse_s + build_s, 3),
            "parse_s": round(parse_s, 3),
            "build_s": round(build_s, 3),
            "peak_rss_mb": peak_rss_mb(),
        },
    }
    picks = Picks.of(dataset)
    del dataset
    if args.freeze:
        import gc

        gc.freeze()  # as `chainkg serve` does once the graph is loaded
    result["queries"] = time_queries(store, picks, runs=args.runs, cold_runs=args.cold_runs, only=args.only)
    result["peak_rss_after_queries_mb"] = peak_rss_mb()
    return result


def _neo4j_store() -> Any:
    from chainkg.settings import Settings
    from graph.neo4j_store import Neo4jStore

    return Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), query_timeout=300.0)


def run_neo4j(args: argparse.Namespace) -> dict[str, Any]:
    dataset, parse_s = timed_load(args.folder)
    store = _neo4j_store()
    try:
        store.replace(Dataset())  # untimed: the timed loads start from an empty graph
        jvm = launcher_pid()
        loads, server_cpu, client_cpu = [], [], []
        for i in range(args.loads):
            if i:
                store.replace(Dataset())
            jvm_before, own_before = cpu_seconds(jvm), own_cpu_seconds()
            start = time.perf_counter()
            store.replace(dataset)
            loads.append(time.perf_counter() - start)
            server_cpu.append(cpu_seconds(jvm) - jvm_before)
            client_cpu.append(own_cpu_seconds() - own_before)
        seconds = statistics.median(loads)
        result: dict[str, Any] = {
            "nodes": len(dataset.nodes),
            "edges": len(dataset.edges),
            "server": store.ping().get("server"),
            "load": {
                "seconds": round(seconds, 3),
                "all_seconds": [round(s, 3) for s in loads],
                "parse_s": round(parse_s, 3),
                "rels_per_s": round(len(dataset.edges) / seconds),
                "items_per_s": round((len(dataset.nodes) + len(dataset.edges)) / seconds),
                "batch_size": store.batch_size,
                "client_peak_rss_mb": peak_rss_mb(),
                "server_memory": neo4j_server_memory(jvm),
                "server_cpu_s": round(statistics.median(server_cpu), 2) if jvm else None,
                "client_cpu_s": round(statistics.median(client_cpu), 2),
            },
        }
        picks = Picks.of(dataset)
        del dataset
        result["queries"] = time_queries(store, picks, runs=args.runs, cold_runs=args.cold_runs, only=args.only)
        return result
    finally:
        store.close()


WARM_UP_LOADS = 4
"""Untimed batched loads of the full data before the timed ones (``ratio``)."""


def run_ratio(args: argparse.Namespace) -> dict[str, Any]:
    from bench.neo4j_ladder import run_ladder
    from graph.synth import synth_dataset

    dataset, _ = timed_load(args.folder)
    store = _neo4j_store()
    try:
        # Warm-up, untimed, both ways: the server compiles each query's plan and JIT-compiles its code
        # on first use, which is a cost of the server's first minutes, not of either way of loading.
        # One query per row runs ~30k queries in its one timed load, warm after its first seconds; the
        # batched load runs a few dozen, so it is warmed on the full data first: on a fresh server the
        # first batched loads of 10k firms took 2.4, 1.3 and 1.2 s, the later ones 0.9-1.1 s, and after
        # two warm-up loads the timed ones still fell (1.77, 1.31, 1.14, 1.08, 1.03 s, 2026-12-07 06:22).
        warm_up = synth_dataset(500, seed=1)
        store.load_row_by_row(warm_up)
        for data in (warm_up, *[dataset] * WARM_UP_LOADS):
            store.replace(data)
        jvm = launcher_pid()

        def timed(load: Callable[[Dataset], None]) -> tuple[float, float]:
            store.replace(Dataset())
            jvm_before = cpu_seconds(jvm)
            start = time.perf_counter()
            load(dataset)
            return time.perf_counter() - start, cpu_seconds(jvm) - jvm_before

        naive, naive_cpu = timed(store.load_row_by_row)  # once: it takes minutes
        batched_runs = [timed(store.replace) for _ in range(args.loads)]
        batched = statistics.median(s for s, _ in batched_runs)
        batched_cpu = statistics.median(c for _, c in batched_runs)
        rels = len(dataset.edges)
        store.replace(Dataset())
        ladder = run_ladder(store, dataset, runs=args.loads)  # where the batched load's time goes
        for step in ladder:
            step["ratio"] = round(naive / step["seconds"], 1)
        return {
            "row_by_row_server_cpu_s": round(naive_cpu, 2) if jvm else None,
            "batched_server_cpu_s": round(batched_cpu, 2) if jvm else None,
            "nodes": len(dataset.nodes),
            "edges": rels,
            "row_by_row_s": round(naive, 3),
            "row_by_row_rels_per_s": round(rels / naive),
            "batched_s": round(batched, 3),
            "batched_all_s": [round(s, 3) for s, _ in batched_runs],
            "batched_rels_per_s": round(rels / batched),
            "ratio": round(naive / batched, 1),
            "batch_size": store.batch_size,
            "warm_up_loads": WARM_UP_LOADS,
            "ladder": ladder,
        }
    finally:
        store.replace(Dataset())
        store.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("kind", choices=["nx", "neo4j", "ratio"])
    parser.add_argument("folder", type=Path, help="dataset folder")
    parser.add_argument("--runs", type=int, default=30, help="warm runs per query")
    parser.add_argument("--cold-runs", type=int, default=3, help="cold runs per query")
    parser.add_argument("--loads", type=int, default=1, help="timed Neo4j loads (the median is reported)")
    parser.add_argument("--only", type=lambda s: set(s.split(",")) if s else None, default=None)
    parser.add_argument("--no-freeze", dest="freeze", action="store_false", help="networkx: no gc.freeze()")
    args = parser.parse_args(argv)
    runner = {"nx": run_nx, "neo4j": run_neo4j, "ratio": run_ratio}[args.kind]
    print(json.dumps(runner(args), ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
