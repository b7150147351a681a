"""``python -m reliability``: the long reliability run (``make reliability``).

1. load on the embedded store: ``--clients`` (50) concurrent clients for ``--seconds`` (60) against a
   real ``chainkg serve`` subprocess on 127.0.0.1;
2. the same on Neo4j (a dedicated server of its own, loaded with the bundled data);
3. Neo4j stopped under the served API, cleanly (SIGTERM) and by a crash (SIGKILL): 503s, recovery;
4. schemathesis with ``--fuzz-examples`` (300) examples per operation (``tests/test_schemathesis.py``).

Prints a summary, writes every figure to ``bench/out/reliability.json`` and exits 1 if anything failed.
``--skip-neo4j`` runs the parts that need no Neo4j only.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

from reliability.server import REPO

OUT = REPO / "bench" / "out" / "reliability.json"


def _say(message: str) -> None:
    sys.stderr.write(f"[reliability] {message}\n")
    sys.stderr.flush()


def _load(env: dict[str, str], clients: int, seconds: float) -> dict[str, Any]:
    from reliability.load import run_load
    from reliability.server import served

    with served(env) as server:
        result = run_load(server.url, clients=clients, seconds=seconds)
        output = server.output()
    summary = result.summary()
    summary["load_average_after"] = [round(x, 2) for x in os.getloadavg()]
    summary["server_tracebacks"] = output.count("Traceback")
    summary["server_log_tail"] = output.strip().splitlines()[-15:]
    summary["ok"] = result.error_count == 0 and summary["server_tracebacks"] == 0
    return summary


def _fuzz(examples: int) -> dict[str, Any]:
    env = {**os.environ, "CHAINKG_FUZZ_EXAMPLES": str(examples)}
    started = time.monotonic()
    proc = subprocess.run(
        [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider", "tests/test_schemathesis.py"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=3600,
    )
    tail = proc.stdout.strip().splitlines()[-1:] or [""]
    return {
        "examples_per_operation": examples,
        "seconds": round(time.monotonic() - started, 1),
        "pytest": tail[0],
        "ok": proc.returncode == 0,
        "failures": [line for line in proc.stdout.splitlines() if line.startswith("FAILED")][:20],
    }


def _step(results: dict[str, Any], name: str, run: Callable[[], dict[str, Any]]) -> None:
    _say(f"{name} ...")
    started = time.monotonic()
    try:
        results[name] = run()
    except Exception as err:  # noqa: BLE001 - a failed step is reported, the others still run
        results[name] = {"ok": False, "error": f"{type(err).__name__}: {err}", "trace": traceback.format_exc()[-3000:]}
    else:
        results[name].setdefault("ok", True)
    _say(f"{name}: {'ok' if results[name]['ok'] else 'FAILED'} ({time.monotonic() - started:.0f}s)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m reliability", description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--fuzz-examples", type=int, default=300)
    parser.add_argument("--skip-neo4j", action="store_true", help="only the parts that need no Neo4j")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)

    results: dict[str, Any] = {
        "when": dt.datetime.now().isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {os.cpu_count()} CPUs, Python {platform.python_version()}",
        "load_average_before": [round(x, 2) for x in os.getloadavg()],
        "command": "make reliability  (python -m reliability " + " ".join(argv or sys.argv[1:]) + ")",
    }
    _step(results, "load_embedded", lambda: _load({"CHAINKG_BACKEND": "networkx"}, args.clients, args.seconds))
    if not args.skip_neo4j:
        from chainkg.settings import BUNDLED_DATA
        from graph.neo4j_store import Neo4jStore
        from loaders.folder import load_folder
        from reliability.faults import neo4j_outage
        from reliability.neo4j import DedicatedNeo4j

        with DedicatedNeo4j("reliability-run") as neo:
            _say(f"starting a dedicated Neo4j on {neo.uri}")
            neo.start()
            store = Neo4jStore(neo.uri)
            try:
                store.replace(load_folder(BUNDLED_DATA))
            finally:
                store.close()
            env = {"CHAINKG_BACKEND": "neo4j", "NEO4J_URI": neo.uri, "NEO4J_USER": "", "NEO4J_PASSWORD": ""}
            _step(results, "load_neo4j", lambda: _load(env, args.clients, args.seconds))
            _step(results, "outage_sigterm", lambda: neo4j_outage(kill=False, down_seconds=5, neo4j=neo))
            _step(results, "outage_sigkill", lambda: neo4j_outage(kill=True, down_seconds=5, neo4j=neo))
    _step(results, "fuzz", lambda: _fuzz(args.fuzz_examples))

    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    sys.stdout.write(json.dumps(results, indent=2, ensure_ascii=False) + "\n")
    failed = [k for k, v in results.items() if isinstance(v, dict) and not v.get("ok", True)]
    _say(f"written to {args.out}; " + (f"FAILED: {', '.join(failed)}" if failed else "everything held"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
