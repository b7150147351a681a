"""A query parameter sent blank (``?cluster=``) is the same as one left out.

HTML forms and many query builders send ``name=`` for a field left empty. Before this, the same blank filter
was ignored by some routes (``/api/v1/firms?cluster=`` listed every firm), a 404 on others (``/api/v1/gaps?cluster=``:
"No cluster with id ''", with no suggestion) and a 422 on a number (``?year=``). :class:`BlankQueryAsAbsent`
drops every blank pair from the query string before routing, so each route answers as if the parameter were not
sent: a blank filter filters nothing, a blank ``year`` is the latest data, and a blank required parameter
(``/api/v1/search?q=``) is reported missing. A blank parameter a route does not take is dropped too: only a
parameter with a value can be a typo that changes an answer.

Examples
--------
>>> without_blanks(b"cluster=&year=2022&q=")
b'year=2022'
>>> without_blanks(b"q=%E7%94%B5%E6%B1%A0&type=")
b'q=%E7%94%B5%E6%B1%A0'
>>> without_blanks(b"flag&limit=5")
b'limit=5'
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def without_blanks(query: bytes) -> bytes:
    """``query`` (a raw query string) without its pairs whose value is empty, the others kept byte for byte."""
    kept = [pair for pair in query.split(b"&") if pair.partition(b"=")[2]]
    return b"&".join(kept)


class BlankQueryAsAbsent:
    """ASGI middleware: drop the blank pairs of an HTTP request's query string (:func:`without_blanks`).

    Parameters
    ----------
    app : ASGI app
        The app to wrap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        query = scope.get("query_string", b"") if scope["type"] == "http" else b""
        if query:
            kept = without_blanks(query)
            if kept != query:
                scope = {**scope, "query_string": kept}
        await self.app(scope, receive, send)
