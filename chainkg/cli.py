"""The ``chainkg`` command line.

Every command has ``--help``. Errors print one clear message and exit with
status 2 (bad input) or 1 (anything else).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path

from chainkg import __version__
from chainkg.settings import BUNDLED_DATA, Settings
from graph.errors import ChainGraphError, DataValidationError

Handler = Callable[[argparse.Namespace], int]


def _progress_printer(label: str) -> Callable[[int, int, str], None]:
    last = [0.0]

    def show(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.5:
            return
        last[0] = now
        pct = 100 * done // max(total, 1)
        print(f"\r{label}: {done}/{total} ({pct}%) {what}   ", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return show


def cmd_serve(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from chainkg.runtime import open_store

    settings = Settings.from_env(backend=args.backend, data_dir=args.data, host=args.host, port=args.port)
    started = time.perf_counter()
    store = open_store(settings)
    counts = store.counts()
    print(
        f"chainkg {__version__}: {store.backend} store ready in {time.perf_counter() - started:.2f}s "
        f"({sum(counts['nodes'].values())} nodes, {sum(counts['edges'].values())} edges)",
        file=sys.stderr,
    )
    print(f"Serving on http://{settings.host}:{settings.port}  (API docs: /docs)", file=sys.stderr)
    uvicorn.run(create_app(store, settings), host=settings.host, port=settings.port, log_level=args.log_level)
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from loaders.folder import load_folder

    started = time.perf_counter()
    dataset = load_folder(args.path)
    elapsed = time.perf_counter() - started
    counts = dataset.counts()
    if args.check:
        print(f"OK: {args.path} is valid ({elapsed * 1000:.0f} ms)")
        _print_counts(counts)
        return 0
    settings = Settings.from_env(backend=args.backend)
    from chainkg.runtime import open_store

    store = open_store(settings, load=False)
    try:
        store.replace(dataset, progress=_progress_printer("loading"))
        print(
            f"Loaded {args.path} into {store.backend}: "
            f"{sum(counts['nodes'].values())} nodes, {sum(counts['edges'].values())} edges"
        )
    finally:
        store.close()
    return 0


def _print_counts(counts: dict) -> None:
    print("nodes:  " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items()))
    print("edges:  " + ", ".join(f"{k} {v}" for k, v in counts["edges"].items()))
    print(f"firms:  local {counts['firms']['local']}, outside {counts['firms']['outside']}")
    conf = counts["confidence"]
    print(f"confidence: nodes {conf['nodes']}, edges {conf['edges']}")
    print(f"unsourced: nodes {counts['unsourced']['nodes']}, edges {counts['unsourced']['edges']}")


def cmd_info(args: argparse.Namespace) -> int:
    from chainkg.runtime import open_store

    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    store = open_store(settings)
    try:
        counts = dict(store.counts())
        counts["backend"] = store.backend
        if args.json:
            print(json.dumps(counts, ensure_ascii=False, indent=2))
        else:
            print(f"backend: {store.backend}")
            _print_counts(counts)
    finally:
        store.close()
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainkg",
        description="Industry-chain knowledge graph of Changzhou's ten advanced-manufacturing clusters.",
    )
    parser.add_argument("--version", action="version", version=f"chainkg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    def add(name: str, handler: Handler, help_text: str) -> argparse.ArgumentParser:
        p = sub.add_parser(name, help=help_text, description=help_text)
        p.set_defaults(handler=handler)
        return p

    backend_help = "networkx (embedded, default) or neo4j; default from CHAINKG_BACKEND"
    p = add("serve", cmd_serve, "Serve the API and views over HTTP.")
    p.add_argument("--data", type=Path, default=None, help=f"dataset folder (default: CHAINKG_DATA or {BUNDLED_DATA})")
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=backend_help)
    p.add_argument("--host", default=None, help="address to listen on (default: CHAINKG_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: CHAINKG_PORT or 8000)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])

    p = add("load", cmd_load, "Validate a dataset folder and load it into the store.")
    p.add_argument("path", type=Path, nargs="?", default=BUNDLED_DATA, help="dataset folder (default: bundled data)")
    p.add_argument("--check", action="store_true", help="validate only and print a summary; write nothing")
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=backend_help)

    p = add("info", cmd_info, "Counts per node and edge type, local/outside firms, confidence and unsourced items.")
    p.add_argument("--json", action="store_true", help="print JSON")
    p.add_argument("--data", type=Path, default=None, help="dataset folder (embedded store)")
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=backend_help)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args))
    except DataValidationError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ChainGraphError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130


if __name__ == "__main__":
    sys.exit(main())
