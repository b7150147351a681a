"""Helpers for the tests that read what a rendered view carries for its script."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from graph.store import GraphStore
from viz.render import LinkStyle, render_view
from viz.views import build_view

VIEW_DATA = re.compile(r'<script type="application/json" id="view-data">(.*?)</script>', re.S)
"""The script element that carries a view's nodes and edges (with their zh/en panel info) as JSON."""


def page_view_data(html: str) -> dict[str, Any]:
    """The view data a rendered page carries; fails the test when the page has none."""
    found = VIEW_DATA.search(html)
    assert found, "no view-data script in the page"
    return json.loads(found.group(1))


def rendered_view(store: GraphStore, kind: str, subject: str | None = None) -> tuple[dict[str, Any], str]:
    """Build and render the ``kind`` view of ``subject`` (file links); return its view data and the page."""
    html = render_view(build_view(store, kind, subject), LinkStyle.file()).html
    return page_view_data(html), html


def overview_nodes(store: GraphStore) -> dict[str, dict[str, Any]]:
    """The overview's nodes by id."""
    return {n["id"]: n for n in rendered_view(store, "overview")[0]["nodes"]}


@contextmanager
def served(store: GraphStore, wrap: Callable[[Any], Any] | None = None) -> Iterator[str]:
    """Serve ``store`` through the API app on a free loopback port (uvicorn in a thread); yield its URL.

    ``wrap``: an ASGI middleware put around the whole app, e.g. to count what reaches the server.
    """
    import uvicorn

    from api.app import create_app
    from chainkg.settings import Settings

    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = int(s.getsockname()[1])
    app = create_app(store, Settings.from_env(env={}))
    config = uvicorn.Config(wrap(app) if wrap else app, host="127.0.0.1", port=port, log_level="error")
    srv = uvicorn.Server(config)
    thread = threading.Thread(target=srv.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not srv.started:
        if time.monotonic() > deadline or not thread.is_alive():
            raise AssertionError("the test server did not start")
        time.sleep(0.05)
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        srv.should_exit = True
        thread.join(timeout=10)
