"""Security defaults for every response: hardening headers, a request body limit, CORS closed unless allowed.

:func:`install` puts :class:`SecurityMiddleware` around the whole app (outside
FastAPI's own error middleware, so even an unexpected 500 carries the headers)
and adds CORS only for the origins ``CHAINKG_CORS_ORIGINS`` lists.

Headers
    Every response gets ``X-Content-Type-Options: nosniff``,
    ``Referrer-Policy: no-referrer``, ``X-Frame-Options: DENY`` and ``Accept`` in ``Vary`` (the home page and
    error answers depend on it). A response
    without a Content-Security-Policy of its own gets one: ``default-src 'none';
    frame-ancestors 'none'`` for data (JSON, files), only ``frame-ancestors
    'none'`` for HTML (the ``/docs`` page loads Swagger UI's own scripts). Views
    and reports send their own, stricter policy (``api/routes/views.py``).

Body limit
    A request whose ``Content-Length`` is over the limit is answered 413
    (problem+json) before any of it is read. A chunked body (no
    ``Content-Length``) is read up to the limit and answered 413 as soon as it
    goes over; a body within the limit is handed on unchanged. The limit is
    ``CHAINKG_MAX_BODY_MB`` megabytes (default 20) plus 64 KiB for multipart
    framing, so a 20 MB upload still fits.

CORS
    Closed by default: no ``Access-Control-Allow-Origin`` is ever sent, so
    browsers keep other sites from reading the API. ``CHAINKG_CORS_ORIGINS``
    (comma-separated) opens it to exactly those origins, for GET and POST.

Examples
--------
>>> body_limit(20)
21037056
>>> dict(security_headers(b"application/json", has_csp=False))[b"content-security-policy"]
b"default-src 'none'; frame-ancestors 'none'"
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Iterator, MutableMapping
from typing import Any

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware

from api.problems import problem
from chainkg.settings import Settings

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

FRAMING_BYTES = 64 * 2**10
"""Room on top of the body limit for multipart framing (boundaries, part headers)."""

HARDENING_HEADERS: tuple[tuple[bytes, bytes], ...] = (
    (b"x-content-type-options", b"nosniff"),
    (b"referrer-policy", b"no-referrer"),
    (b"x-frame-options", b"DENY"),
)
DATA_CSP = b"default-src 'none'; frame-ancestors 'none'"
HTML_CSP = b"frame-ancestors 'none'"
CORS_HEADERS = ["Content-Type", "X-API-Key", "Authorization", "If-None-Match"]
"""The request headers an allowed origin may send; ``If-None-Match`` revalidates a kept answer (docs/api.md)."""
CORS_EXPOSED = ["ETag", "Content-Disposition"]
"""The response headers a script on an allowed origin may read: the tag to send back, a download's file name."""


def body_limit(max_body_mb: float) -> int:
    """The largest request body accepted, in bytes, for a limit of ``max_body_mb`` megabytes (MiB)."""
    return int(max_body_mb * 2**20) + FRAMING_BYTES


def security_headers(content_type: bytes, *, has_csp: bool) -> Iterator[tuple[bytes, bytes]]:
    """The headers to add to a response of ``content_type`` (a CSP only when it has none)."""
    yield from HARDENING_HEADERS
    if not has_csp:
        yield b"content-security-policy", HTML_CSP if content_type.startswith(b"text/html") else DATA_CSP


def with_vary_accept(headers: list[tuple[bytes, bytes]]) -> list[tuple[bytes, bytes]]:
    """``headers`` with ``Accept`` in ``Vary``: a browser and a script asking the same URL may get different
    bodies (the home page or JSON; an HTML error page or problem+json), so a cache must keep them apart.

    >>> with_vary_accept([(b"content-type", b"text/html")])
    [(b'content-type', b'text/html'), (b'vary', b'Accept')]
    >>> with_vary_accept([(b"vary", b"Accept-Encoding")])
    [(b'vary', b'Accept-Encoding, Accept')]
    >>> with_vary_accept([(b"Vary", b"accept")])
    [(b'Vary', b'accept')]
    """
    for i, (name, value) in enumerate(headers):
        if name.lower() == b"vary":
            if b"accept" in {v.strip().lower() for v in value.split(b",")}:
                return headers
            return [*headers[:i], (name, value + b", Accept"), *headers[i + 1 :]]
    return [*headers, (b"vary", b"Accept")]


class SecurityMiddleware:
    """ASGI middleware: hardening headers on every response and a request body limit (413).

    Parameters
    ----------
    app : ASGI app
        The app to wrap.
    max_body : int
        The largest request body accepted, in bytes (see :func:`body_limit`).
    """

    def __init__(self, app: ASGIApp, *, max_body: int) -> None:
        self.app = app
        self.max_body = max_body

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        send = self._with_headers(send)
        headers = {k.lower(): v for k, v in scope.get("headers", [])}
        declared = headers.get(b"content-length")
        if declared is not None and declared.strip().isdigit():
            if int(declared) > self.max_body:
                await self._too_large(scope, receive, send)
                return
        elif b"chunked" in headers.get(b"transfer-encoding", b"").lower():
            body = await self._read_capped(receive)
            if body is None:
                await self._too_large(scope, receive, send)
                return
            receive = _replay(body, receive)
        await self.app(scope, receive, send)

    def _with_headers(self, send: Send) -> Send:
        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                present = {name.lower() for name, _ in message.get("headers", [])}
                content_type = next(
                    (v for k, v in message.get("headers", []) if k.lower() == b"content-type"), b""
                ).lower()
                extra = [
                    (name, value)
                    for name, value in security_headers(content_type, has_csp=b"content-security-policy" in present)
                    if name not in present
                ]
                message["headers"] = with_vary_accept([*message.get("headers", []), *extra])
            await send(message)

        return send_with_headers

    async def _read_capped(self, receive: Receive) -> bytes | None:
        """The whole body, or ``None`` as soon as it goes over the limit (or the client leaves)."""
        chunks: list[bytes] = []
        size = 0
        while True:
            message = await receive()
            if message["type"] != "http.request":
                return None
            chunk = message.get("body", b"")
            size += len(chunk)
            if size > self.max_body:
                return None
            chunks.append(chunk)
            if not message.get("more_body", False):
                return b"".join(chunks)

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        mb = (self.max_body - FRAMING_BYTES) / 2**20
        response = problem(
            413,
            "Payload too large",
            f"The request body is over the {mb:g} MB limit (CHAINKG_MAX_BODY_MB). / 请求体超过 {mb:g} MB 上限。",
            str(scope.get("path", "")),
            "payload-too-large",
        )
        response.headers["Connection"] = "close"
        await response(scope, receive, send)


def _replay(body: bytes, receive: Receive) -> Receive:
    """A ``receive`` that hands over ``body`` once, then waits on the real one (for the disconnect)."""
    sent = False

    async def replayed() -> Message:
        nonlocal sent
        if not sent:
            sent = True
            return {"type": "http.request", "body": body, "more_body": False}
        return await receive()

    return replayed


def install(app: FastAPI, settings: Settings) -> None:
    """Add CORS (only for ``settings.cors_origins``) and wrap the whole app in :class:`SecurityMiddleware`."""
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=CORS_HEADERS,
            expose_headers=CORS_EXPOSED,
            allow_credentials=False,
            max_age=600,
        )
    build = app.build_middleware_stack
    max_body = body_limit(settings.max_body_mb)

    def build_with_security() -> ASGIApp:
        return SecurityMiddleware(build(), max_body=max_body)

    app.build_middleware_stack = build_with_security  # type: ignore[method-assign,assignment]
