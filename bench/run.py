"""The benchmark suite: networkx vs Neo4j vs one query per row, from 1k to 1M synthetic firms.

    make bench                                   # starts a throw-away Neo4j, runs everything, stops it
    BENCH_SCALES=1000,10000 BENCH_BIG=0 make bench   # shorter
    .venv/bin/python bench/run.py --no-neo4j     # networkx and the API only

Writes ``bench/results.json`` (every figure) and ``bench/results.md`` (the tables and the
targets, pass or miss). Every measurement runs in its own process (``bench/workers.py``), so
peak RSS figures never mix. Datasets come from ``chainkg synth --firms N --seed 0`` and are
kept in ``bench/out/data/`` (regenerated when ``graph/synth.py`` changes).

Environment (or the matching options): ``BENCH_SCALES`` (default ``1000,10000,100000``: load,
every query, on networkx and Neo4j), ``BENCH_BIG`` (default ``1000000``: networkx load, chain
and search only; ``0`` skips it), ``BENCH_RUNS`` (warm runs per query, default 30),
``BENCH_RATIO_FIRMS`` (firms in the one-query-per-row comparison, default 10000),
``BENCH_API_SECONDS`` / ``BENCH_API_CLIENTS`` (throughput phase, default 10 s and 8 clients).
The Neo4j parts REPLACE the graph of the server they use. ``make bench`` starts a throw-away one
and ignores ``NEO4J_URI``, so the graph of a server you work with is never touched. To benchmark a
server of your own, name it in ``BENCH_NEO4J_URI`` (``bench/run.py`` alone also takes ``NEO4J_URI``);
a server that already holds a graph is refused unless ``BENCH_REPLACE=1``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import os
import platform
import statistics
import subprocess
import sys
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from bench.report import render_markdown, targets  # noqa: E402

DATA = REPO / "bench" / "out" / "data"
PY = sys.executable


def say(message: str) -> None:
    print(f"[bench {time.strftime('%H:%M:%S')}] {message}", file=sys.stderr, flush=True)


def python_speed_ms(runs: int = 5) -> float:
    """Median ms of a fixed pure-Python workload (dicts, strings, sorting), to compare machines.

    The figures of two runs are comparable only on machines of similar speed; this number says how
    fast this one runs the kind of code chainkg's loaders and queries are made of.
    """
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        table: dict[str, list[int]] = {}
        for i in range(200_000):
            table.setdefault(f"f{i % 5_003:05d}-{i % 7}", []).append(i)
        sorted(table, key=lambda k: (len(table[k]), k))
        samples.append((time.perf_counter() - start) * 1000)
    return round(statistics.median(samples), 1)


def machine() -> dict[str, Any]:
    """The machine the figures come from."""
    cpu = ""
    for line in Path("/proc/cpuinfo").read_text().splitlines():
        if line.startswith("model name"):
            cpu = line.split(":", 1)[1].strip()
            break
    free = subprocess.run(["free", "-h"], capture_output=True, text=True).stdout.strip()
    return {
        "nproc": os.cpu_count(),
        "cpu": cpu,
        "free_h": free,
        "python": platform.python_version(),
        "platform": platform.platform(),
        "loadavg_start": os.getloadavg(),
        "python_speed_ms": python_speed_ms(),
    }


def synth_folder(firms: int) -> Path:
    """The dataset folder of ``firms`` synthetic firms (seed 0), written when missing or stale."""
    stamp = hashlib.sha1((REPO / "graph" / "synth.py").read_bytes()).hexdigest()[:8]
    folder = DATA / f"synth-{firms}-s0-{stamp}"
    if not (folder / "README.md").exists():
        say(f"writing {firms} synthetic firms to {folder.relative_to(REPO)}")
        DATA.mkdir(parents=True, exist_ok=True)  # synth creates its folder, not the ones above it
        subprocess.run(
            [
                PY,
                "-m",
                "chainkg",
                "synth",
                "--firms",
                str(firms),
                "--seed",
                "0",
                "-o",
                str(folder),
                "--force",
                "--quiet",
            ],
            cwd=REPO,
            check=True,
        )
    return folder


def worker(*args: str, timeout: float = 3600) -> dict[str, Any]:
    """Run one measurement in a fresh process; its JSON answer, or ``{"error": ...}``."""
    command = [PY, str(REPO / "bench" / "workers.py"), *args]
    started = time.perf_counter()
    try:
        done = subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return {"error": f"timed out after {timeout:.0f}s"}
    if done.returncode != 0:
        tail = "\n".join(done.stderr.strip().splitlines()[-5:])
        say(f"worker {' '.join(args[:2])} failed: {tail}")
        return {"error": tail}
    result = json.loads(done.stdout.strip().splitlines()[-1])
    result["wall_s"] = round(time.perf_counter() - started, 1)
    return result


BENCH_URI_ENV = "BENCH_NEO4J_URI"
REPLACE_ENV = "BENCH_REPLACE"
NEO4J_BUNDLED = "bundled, Neo4j"
"""The API measurement on the bundled data served from Neo4j (the per-request version check included)."""


def load_into_neo4j(folder: Path) -> float:
    """``chainkg load FOLDER --backend neo4j --force`` into the benchmark's server; the seconds it took."""
    started = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-m", "chainkg", "load", str(folder), "--backend", "neo4j", "--force"],
        cwd=REPO,
        capture_output=True,
        text=True,
    )
    if done.returncode != 0:
        tail = done.stderr.strip()[-500:]
        raise RuntimeError(f"chainkg load {folder} --backend neo4j exited {done.returncode}: {tail}")
    return round(time.perf_counter() - started, 2)


def neo4j_target(env: Mapping[str, str]) -> str:
    """The Bolt address the Neo4j measurements use: ``BENCH_NEO4J_URI``, else ``NEO4J_URI``, else ``""``.

    >>> neo4j_target({"NEO4J_URI": "bolt://a:1", "BENCH_NEO4J_URI": "bolt://b:2"})
    'bolt://b:2'
    """
    return (env.get(BENCH_URI_ENV) or env.get("NEO4J_URI") or "").strip()


def replace_refusal(uri: str, ping: Mapping[str, object], env: Mapping[str, str]) -> str | None:
    """Why the benchmark must not use the server at ``uri``, in one line; ``None`` when it may.

    Parameters
    ----------
    uri : str
        The server's Bolt address.
    ping : Mapping
        What :meth:`graph.neo4j_store.Neo4jStore.ping` answered.
    env : Mapping
        The environment; ``BENCH_REPLACE=1`` allows replacing a graph.

    Examples
    --------
    >>> replace_refusal("bolt://h:1", {"state": "up", "generation": None, "nodes": 0}, {}) is None
    True
    >>> replace_refusal("bolt://h:1", {"state": "up", "generation": "g1", "nodes": 7}, {"BENCH_REPLACE": "1"}) is None
    True
    """
    if ping.get("state") != "up":
        error = " ".join(str(ping.get("error")).split())  # the driver's message spans lines
        return f"bench: Neo4j at {uri} does not answer: {error}"
    nodes = int(str(ping.get("nodes") or 0))
    if ping.get("generation") is None and nodes == 0:
        return None
    if env.get(REPLACE_ENV, "").strip() == "1":
        return None
    return (
        f"bench: Neo4j at {uri} holds a graph ({nodes} nodes) that the benchmark would replace; "
        f"run `make bench` without {BENCH_URI_ENV} (it starts a throw-away server), or set {REPLACE_ENV}=1"
    )


def neo4j_refusal(uri: str, env: Mapping[str, str]) -> str | None:
    """Ask the server at ``uri`` whether it holds a graph; see :func:`replace_refusal`."""
    from chainkg.settings import Settings
    from graph.errors import ChainGraphError
    from graph.neo4j_store import Neo4jStore

    try:
        store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), query_timeout=30.0)
    except ChainGraphError as err:
        return f"bench: cannot use Neo4j at {uri}: {err}"
    try:
        return replace_refusal(uri, store.ping(), env)
    finally:
        store.close()


def cold_runs(firms: int) -> int:
    return 3 if firms <= 10_000 else 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scales", default=os.environ.get("BENCH_SCALES", "1000,10000,100000"))
    parser.add_argument("--big", default=os.environ.get("BENCH_BIG", "1000000"))
    parser.add_argument("--runs", type=int, default=int(os.environ.get("BENCH_RUNS", "30")))
    parser.add_argument("--ratio-firms", type=int, default=int(os.environ.get("BENCH_RATIO_FIRMS", "10000")))
    parser.add_argument("--api-seconds", type=float, default=float(os.environ.get("BENCH_API_SECONDS", "10")))
    parser.add_argument("--api-clients", type=int, default=int(os.environ.get("BENCH_API_CLIENTS", "8")))
    parser.add_argument("--no-neo4j", action="store_true", help="skip every Neo4j measurement")
    parser.add_argument("--out", type=Path, default=REPO / "bench" / "results.json")
    args = parser.parse_args(argv)
    scales = [int(x) for x in args.scales.split(",") if x.strip()]
    big = [int(x) for x in args.big.split(",") if x.strip() and int(x) > 0]
    uri = "" if args.no_neo4j else neo4j_target(os.environ)
    use_neo4j = bool(uri)
    if not use_neo4j and not args.no_neo4j:
        say(f"neither {BENCH_URI_ENV} nor NEO4J_URI is set: Neo4j measurements skipped (make bench starts a server)")
    if use_neo4j:
        os.environ["NEO4J_URI"] = uri  # the workers open the store from the environment
        refusal = neo4j_refusal(uri, os.environ)
        if refusal:
            print(refusal, file=sys.stderr)
            return 2

    started = time.perf_counter()
    results: dict[str, Any] = {
        "started": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "command": "make bench  # " + " ".join(f"{k}={v}" for k, v in os.environ.items() if k.startswith("BENCH_")),
        "machine": machine(),
        "settings": {
            "scales": scales,
            "big": big,
            "runs": args.runs,
            "ratio_firms": args.ratio_firms,
            "api_seconds": args.api_seconds,
            "api_clients": args.api_clients,
            "neo4j": use_neo4j,
        },
        "scales": {},
    }

    for firms in scales:
        folder = synth_folder(firms)
        entry: dict[str, Any] = {"folder": str(folder.relative_to(REPO))}
        say(f"{firms} firms: networkx")
        entry["networkx"] = worker("nx", str(folder), "--runs", str(args.runs), "--cold-runs", str(cold_runs(firms)))
        if use_neo4j:
            say(f"{firms} firms: Neo4j")
            entry["neo4j"] = worker("neo4j", str(folder), "--runs", str(args.runs), "--cold-runs", "1", "--loads", "3")
        results["scales"][str(firms)] = entry

    for firms in big:
        folder = synth_folder(firms)
        say(f"{firms} firms: networkx load, chain and search")
        results["scales"][str(firms)] = {
            "folder": str(folder.relative_to(REPO)),
            "networkx": worker(
                "nx", str(folder), "--runs", str(args.runs), "--cold-runs", "1", "--only", "chain,search"
            ),
        }

    if use_neo4j and args.ratio_firms > 0:
        folder = synth_folder(args.ratio_firms)
        say(f"Neo4j: one query per row vs batched, {args.ratio_firms} firms")
        results["ratio"] = worker("ratio", str(folder), "--loads", "5")

    from bench.api_load import measure
    from bench.workers import Picks
    from chainkg.settings import BUNDLED_DATA
    from loaders.folder import load_folder

    results["api"] = {}
    api_sets: list[tuple[str, Path | None, str]] = [("bundled", None, "networkx")]
    mid = [f for f in scales if f <= 100_000]
    if mid:
        api_sets.append((str(max(mid)), synth_folder(max(mid)), "networkx"))
    if use_neo4j:
        api_sets.append((NEO4J_BUNDLED, None, "neo4j"))
    for name, folder, backend in api_sets:
        say(f"API on loopback: {name} data ({backend}), {args.api_clients} clients")
        try:
            picks = Picks.of(load_folder(folder or BUNDLED_DATA))
            loaded_s = load_into_neo4j(BUNDLED_DATA) if backend == "neo4j" else None
            results["api"][name] = measure(
                folder, picks, runs=100, clients=args.api_clients, count=2000, seconds=args.api_seconds, backend=backend
            )
            if loaded_s is not None:
                results["api"][name]["neo4j_load_s"] = loaded_s
        except Exception as err:  # noqa: BLE001 - record and go on
            say(f"API measurement on {name} failed: {err}")
            results["api"][name] = {"error": str(err), "backend": backend}

    results["machine"]["loadavg_end"] = os.getloadavg()
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    results["targets"] = targets(results)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
    markdown = render_markdown(results)
    args.out.with_suffix(".md").write_text(markdown, encoding="utf-8")
    print(markdown)
    say(f"done in {results['elapsed_s']:.0f}s: {args.out} and {args.out.with_suffix('.md').name}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
