"""HEAD on every GET route (RFC 9110 §9.3.2): the GET's status and headers, without the body.

FastAPI registers a route for the methods it is declared with, so a ``HEAD`` of ``/api/v1/clusters`` was
answered 405. :class:`HeadAsGet` answers it as the ``GET`` would be answered, headers included
(``Content-Length`` and ``Content-Type`` are those of the GET), and sends no body. A ``HEAD`` of a route
without ``GET`` (``/api/v1/what-if``) is still a 405, and every 405 whose ``Allow`` names ``GET`` names
``HEAD`` too.

Examples
--------
>>> _allow_with_head([(b"allow", b"GET"), (b"content-type", b"application/problem+json")])[0]
(b'allow', b'GET, HEAD')
>>> _allow_with_head([(b"allow", b"POST")])[0]
(b'allow', b'POST')
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]


def _allow_with_head(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """The headers with ``HEAD`` added to an ``Allow`` header that names ``GET``."""
    out = []
    for name, value in headers:
        methods = [m.strip() for m in value.split(b",")]
        if name.lower() == b"allow" and b"GET" in methods and b"HEAD" not in methods:
            value = b", ".join([*methods, b"HEAD"])
        out.append((name, value))
    return out


class HeadAsGet:
    """ASGI middleware: answer ``HEAD`` as ``GET`` without the body, and name ``HEAD`` in a 405's ``Allow``.

    Parameters
    ----------
    app : ASGI app
        The app to wrap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        head = scope["method"] == "HEAD"

        async def send_head(message: Message) -> None:
            if message["type"] == "http.response.start" and message.get("status") == 405:
                message["headers"] = _allow_with_head(list(message.get("headers", [])))
            elif message["type"] == "http.response.body" and head:
                message = {**message, "body": b""}
            await send(message)

        await self.app({**scope, "method": "GET"} if head else scope, receive, send_head)
