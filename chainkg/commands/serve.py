"""``chainkg serve``: the API and views over HTTP."""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from chainkg import __version__
from chainkg.commands.common import BACKEND_HELP, DATA_HELP
from chainkg.settings import Settings


def run(args: argparse.Namespace) -> int:
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


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("serve", help="Serve the API and views over HTTP.", description="Serve the API and views.")
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.add_argument("--host", default=None, help="address to listen on (default: CHAINKG_HOST or 127.0.0.1)")
    p.add_argument("--port", type=int, default=None, help="port (default: CHAINKG_PORT or 8000)")
    p.add_argument("--log-level", default="info", choices=["critical", "error", "warning", "info", "debug"])
    p.set_defaults(handler=run)
