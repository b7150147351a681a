"""Caching validators of the read routes: a weak ``ETag``, ``Cache-Control: no-cache`` and 304 Not Modified.

A dashboard that polls ``/api/v1/health-ranking`` downloads the whole body each time, although the answer
only changes with the data. :class:`ConditionalGet` gives every successful ``GET`` (and ``HEAD``) under
``/api/v1/``, ``/views/`` and ``/reports/`` an ``ETag`` and ``Cache-Control: no-cache`` (store it, but ask
again each time), and answers a request whose ``If-None-Match`` names the current tag with an empty 304.

The tag is weak (``W/"..."``: the same data, not necessarily the same bytes) and is made of the store's data
version (:meth:`graph.store.GraphStore.version`, which an import or a load changes), the chainkg version,
the day (the reports print it) and the request's path and query string; so any of them changing changes it.
The data version is read before the route runs, so a tag never names data newer than its body. On Neo4j it
is the request's one read of the meta node: :class:`OneMetaRead` opens a
:func:`graph.neo4j_store.request_scope` around every HTTP request, so the loaded check
(:func:`api.deps.require_loaded_graph`), the query cache's key (:func:`queries.cache.per_version`) and the
routes' own ``store.version()`` answer from it instead of reading again. When the read takes over
``VERSION_WAIT_S`` (a frozen server) the answer goes out without a tag, and the route reads for itself (and
answers its bounded 503).

Error answers (any status but 200), ``POST`` routes, ``/health``, ``/docs`` and ``/openapi.json`` get no tag.
A ``/api/v1`` request whose tag matches is answered at once, without running the route (the same path, query
and data give the same answer); a page of ``/views`` or ``/reports`` is built (from its cache) and its 304
keeps its headers, so that a browser updating its stored page from the 304 keeps the page's own
Content-Security-Policy.

Examples
--------
>>> tag = etag("nx-2-3e867161109f0780", "/api/v1/gaps", "cluster=nev", day="2026-12-07")
>>> tag.startswith('W/"nx-2-3e867161109f0780-') and tag.endswith('"')
True
>>> tag == etag("nx-2-3e867161109f0780", "/api/v1/gaps", "cluster=nev", day="2026-12-07")
True
>>> tag == etag("nx-3-0000000000000000", "/api/v1/gaps", "cluster=nev", day="2026-12-07")
False
>>> matches(tag[2:] + ', W/"other"', tag), matches("*", tag), matches('W/"other"', tag)
(True, True, False)
"""

from __future__ import annotations

import asyncio
import datetime as dt
import hashlib
import logging
import re
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from fastapi import FastAPI
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers

import chainkg

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

READ_PREFIXES = ("/api/v1/", "/views/", "/reports/")
"""The paths whose ``GET`` and ``HEAD`` answers carry a validator."""

PAGE_PREFIXES = ("/views/", "/reports/")
"""The HTML pages (and workbooks): their 304 is made from the route's own answer, with its headers."""

VERSION_WAIT_S = 2.0
"""How long a request waits for the data version before it goes on without a tag: a frozen Neo4j must get
the route's own bounded 503, not a wait here first (``tests/test_reliability_faults.py``)."""

CACHE_CONTROL = b"no-cache"
"""Clients may store an answer but must revalidate it (``If-None-Match``) before using it: an import changes it."""

_UNSAFE = re.compile(r"[^A-Za-z0-9._-]")
_DROPPED_ON_304 = (b"content-length", b"content-type")
log = logging.getLogger("chainkg.api")


def etag(version: str, path: str, query: str, *, day: str | None = None) -> str:
    """The weak ``ETag`` of the answer to ``path?query`` while the store's data version is ``version``.

    Parameters
    ----------
    version : str
        The store's data version (``store.version()``), shown in clear in the tag.
    path, query : str
        The request's path and raw query string.
    day : str, optional
        The ISO day the answer is made on (default today): the reports print it.

    Examples
    --------
    >>> etag("nx-1-ab", "/api/v1/clusters", "", day="2026-01-01")[:11]
    'W/"nx-1-ab-'
    """
    day = day or dt.date.today().isoformat()
    key = "\n".join((version, chainkg.__version__, day, path, query))
    digest = hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return f'W/"{_UNSAFE.sub("_", version)[:80]}-{digest}"'


def matches(if_none_match: str, tag: str) -> bool:
    """Whether an ``If-None-Match`` header names ``tag`` (weak comparison, RFC 9110 §13.1.2) or is ``*``.

    >>> matches('"a", W/"b"', 'W/"b"'), matches('W/"a"', '"a"'), matches('"c"', 'W/"b"')
    (True, True, False)
    """
    wanted = tag.removeprefix("W/")
    listed = [item.strip() for item in if_none_match.split(",")]
    return any(item == "*" or item.removeprefix("W/") == wanted for item in listed)


def _with_validator(headers: list[tuple[bytes, bytes]], tag: str) -> list[tuple[bytes, bytes]]:
    """``headers`` with the ``ETag`` and, unless they have one, ``Cache-Control: no-cache``."""
    present = {name.lower() for name, _ in headers}
    out = [(name, value) for name, value in headers if name.lower() != b"etag"]
    out.append((b"etag", tag.encode("latin-1")))
    if b"cache-control" not in present:
        out.append((b"cache-control", CACHE_CONTROL))
    return out


async def _data_version(app: Any) -> str | None:
    """The store's data version, or ``None`` when it cannot be read (the route then says why, e.g. a 503)."""
    store = getattr(getattr(app, "state", None), "store", None)
    if store is None:
        return None
    try:
        if getattr(store, "backend", "") == "networkx":  # in memory: no I/O, no thread needed
            return str(store.version())
        return str(await asyncio.wait_for(run_in_threadpool(store.version), VERSION_WAIT_S))
    except Exception as err:  # noqa: BLE001 - a validator never turns a read into an error (nor a wait)
        log.debug("no ETag: the data version could not be read: %s", err)
        return None


class ConditionalGet:
    """ASGI middleware: ``ETag`` and ``Cache-Control: no-cache`` on the read routes' 200s, 304 on a match.

    Parameters
    ----------
    app : ASGI app
        The app to wrap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if scope["type"] != "http" or scope["method"] not in ("GET", "HEAD") or not path.startswith(READ_PREFIXES):
            await self.app(scope, receive, send)
            return
        version = await _data_version(scope.get("app"))
        if version is None:
            await self.app(scope, receive, send)
            return
        query = bytes(scope.get("query_string", b"")).decode("latin-1")
        tag = etag(version, path, query)
        condition = Headers(scope=scope).get("if-none-match", "")
        if condition and not path.startswith(PAGE_PREFIXES) and "*" not in condition and matches(condition, tag):
            await send({"type": "http.response.start", "status": 304, "headers": _with_validator([], tag)})
            await send({"type": "http.response.body", "body": b""})
            return
        not_modified = False

        async def send_validated(message: Message) -> None:
            nonlocal not_modified
            if message["type"] == "http.response.start" and message["status"] == 200:
                headers = _with_validator(list(message.get("headers", [])), tag)
                if condition and matches(condition, tag):
                    not_modified = True
                    kept = [(name, value) for name, value in headers if name.lower() not in _DROPPED_ON_304]
                    message = {**message, "status": 304, "headers": kept}
                else:
                    message = {**message, "headers": headers}
            elif message["type"] == "http.response.body" and not_modified:
                if message.get("more_body", False):
                    return
                message = {**message, "body": b""}
            await send(message)

        await self.app(scope, receive, send_validated)


class OneMetaRead:
    """ASGI middleware: on Neo4j, each HTTP request reads the graph's meta node (its data version) at most once.

    It opens a :func:`graph.neo4j_store.request_scope` around the request, outside :class:`ConditionalGet`,
    so that the ``ETag``, the loaded check, the per-version cache key and the route see one data version for
    one Bolt round trip instead of three or four. The scope ends with the request: the next one reads again
    and sees any load or import made meanwhile. Other backends (in memory: no I/O) pass through untouched.

    Parameters
    ----------
    app : ASGI app
        The app to wrap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        store = getattr(getattr(scope.get("app"), "state", None), "store", None)
        if scope["type"] != "http" or getattr(store, "backend", "") != "neo4j":
            await self.app(scope, receive, send)
            return
        from graph.neo4j_store import request_scope  # the neo4j driver is imported only by a Neo4j API

        with request_scope():
            await self.app(scope, receive, send)


def install(app: FastAPI) -> None:
    """Add :class:`ConditionalGet`, and :class:`OneMetaRead` around it, to ``app``; call it before the CORS
    middleware is added, so that CORS wraps it and a 304 carries the CORS headers too."""
    app.add_middleware(ConditionalGet)
    app.add_middleware(OneMetaRead)  # added last: outside ConditionalGet, whose version read it keeps
