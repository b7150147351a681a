"""``chainkg serve``: the API and views over HTTP."""

from __future__ import annotations

import argparse
import errno
import gc
import logging
import socket
import sys
import threading
import time
from pathlib import Path
from typing import TYPE_CHECKING

from chainkg import __version__
from chainkg.commands.common import BACKEND_HELP, DATA_HELP, count_value, empty_store_message
from chainkg.settings import Settings

if TYPE_CHECKING:
    from graph.store import GraphStore

log = logging.getLogger("chainkg")

KEEP_ALIVE_S = 75
"""Seconds an idle keep-alive connection stays open (uvicorn's default is 5).

HTTP clients keep idle connections for a while and reuse them: httpx for 5 s, browsers
for minutes. When the server closes an idle connection at the moment a client sends on
it, that request fails with a reset or "disconnected without a response" (seen under 50
clients: ``docs/reliability.md``). A server timeout longer than the clients' avoids the
race: the client closes first. 75 s is nginx's default.
"""


def _warm_up(store: GraphStore) -> None:
    """Compute the analysis and search index of the served graph now, not on the first request.

    Runs in a background thread, so the server answers at once; a request that comes first
    computes what it needs itself. Then the loaded objects are moved out of the garbage
    collector's sight (``gc.freeze``): full collections no longer walk the whole graph, which
    kept p95 latency high on large graphs (``docs/performance.md``).
    """
    from queries.analysis import precompute

    gc.freeze()
    started = time.perf_counter()
    try:
        precompute(store)
    except Exception as err:  # noqa: BLE001 - a warm-up failure must not stop the server
        log.warning("could not precompute the analysis at start-up: %s", err)
        return
    gc.freeze()
    log.info("analysis and search index ready in %.2fs", time.perf_counter() - started)


def listening_socket(host: str, port: int) -> socket.socket:
    """Bind ``host:port`` for the server before anything is loaded, or say plainly why it cannot be.

    A port already taken (another ``chainkg serve``, another program on 8000) or an address this
    machine does not have is a :class:`~graph.errors.ConfigError` naming the address and the options
    that change it, before the store is opened and before "Serving on" is printed.

    >>> sock = listening_socket("127.0.0.1", 0)
    >>> listening_socket("127.0.0.1", sock.getsockname()[1])
    Traceback (most recent call last):
    ...
    graph.errors.ConfigError: cannot serve on 127.0.0.1:...: the port is already in use ...
    >>> sock.close()
    """
    from graph.errors import ConfigError

    where = f"{host}:{port}"
    try:
        family, kind, proto, _, address = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0]
    except socket.gaierror as err:
        raise ConfigError(
            f"cannot serve on {where}: unknown host {host!r} ({err.strerror}); set --host or CHAINKG_HOST"
        ) from err
    sock = socket.socket(family, kind, proto)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)  # as uvicorn does: a restart reuses the port at once
    try:
        sock.bind(address)
        sock.listen(2048)  # listening now, so a second server is refused at once; uvicorn's backlog
    except OSError as err:
        sock.close()
        if err.errno == errno.EADDRINUSE:
            reason = "the port is already in use (another chainkg serve?); pick another with --port or CHAINKG_PORT"
        elif err.errno == errno.EADDRNOTAVAIL:
            reason = f"this machine has no address {host}; set --host or CHAINKG_HOST (127.0.0.1: this machine only)"
        elif err.errno == errno.EACCES:
            reason = "permission denied (ports below 1024 need privileges); pick another with --port or CHAINKG_PORT"
        else:
            reason = err.strerror or str(err)
        raise ConfigError(f"cannot serve on {where}: {reason}") from err
    return sock


def run(args: argparse.Namespace) -> int:
    import uvicorn

    from api.app import create_app
    from chainkg.runtime import open_store

    settings = Settings.from_env(backend=args.backend, data_dir=args.data, host=args.host, port=args.port)
    sock = listening_socket(settings.host, settings.port)  # before the load: a taken port is known at once
    started = time.perf_counter()
    store = open_store(settings)
    counts = store.counts()
    print(
        f"chainkg {__version__}: {store.backend} store ready in {time.perf_counter() - started:.2f}s "
        f"({sum(counts['nodes'].values())} nodes, {sum(counts['edges'].values())} edges)",
        file=sys.stderr,
    )
    empty = empty_store_message(store)
    if empty:  # serve anyway: a load while it runs is picked up by the next request
        print(f"warning: {empty}; until then the API answers 503 graph-not-loaded", file=sys.stderr)
    port = sock.getsockname()[1]  # the port the system chose for --port 0
    print(f"Serving on http://{settings.host}:{port}  (API docs: /docs)", file=sys.stderr)
    threading.Thread(target=_warm_up, args=(store,), name="chainkg-warm-up", daemon=True).start()
    config = uvicorn.Config(
        create_app(store, settings),
        host=settings.host,
        port=port,
        log_level=args.log_level,
        timeout_keep_alive=args.keep_alive,
    )
    with sock:
        uvicorn.Server(config).run(sockets=[sock])
    return 0


EPILOG = """\
examples:
  chainkg serve                              # http://127.0.0.1:8000, API docs at /docs
  chainkg serve --host 0.0.0.0 --port 8080   # reachable from other machines
  chainkg serve --data mydata                # a dataset folder of your own
  chainkg serve --backend neo4j              # what chainkg load put in Neo4j (NEO4J_URI)
"""


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "serve",
        help="Serve the API and views over HTTP.",
        description="Serve the API and views.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.add_argument("--host", default=None, help="address to listen on (default: CHAINKG_HOST or 127.0.0.1)")
    p.add_argument(
        "--port",
        type=count_value(0, 65535),
        default=None,
        help="port, 0 for any free one (default: CHAINKG_PORT or 8000)",
    )
    p.add_argument(
        "--log-level",
        default="info",
        choices=["critical", "error", "warning", "info", "debug"],
        help="how much the server logs (default: info, a line per request)",
    )
    p.add_argument(
        "--keep-alive",
        type=count_value(1, 3600),
        default=KEEP_ALIVE_S,
        metavar="SECONDS",
        help=f"close idle keep-alive connections after this many seconds (1-3600, default {KEEP_ALIVE_S}); "
        "keep it longer than your clients' or proxy's idle timeout",
    )
    p.set_defaults(handler=run)
