"""One handler that turns every error into ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import ChainGraphError

PROBLEM_TYPE_BASE = "https://chainkg.dev/problems/"
MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("chainkg.api")


class Problem(BaseModel):
    """An RFC 9457 problem: ``type``, ``title``, ``status``, ``detail``, ``instance`` and extensions."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "type": PROBLEM_TYPE_BASE + "not-found",
                "title": "Not found",
                "status": 404,
                "detail": "No firm with id 'catl'. Did you mean: catl-jiangsu?",
                "instance": "/api/v1/firms/catl",
                "suggestions": ["catl-jiangsu"],
            }
        },
    )

    type: str
    title: str
    status: int
    detail: str
    instance: str


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": desc}
    for code, desc in (
        (404, "Unknown id; the body suggests the nearest ids"),
        (422, "Invalid parameters"),
        (503, "The graph store is unavailable"),
    )
}


def problem(status: int, title: str, detail: str, instance: str, slug: str, **extra: Any) -> JSONResponse:
    body = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
        "instance": instance,
        **extra,
    }
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``."""

    @app.exception_handler(ChainGraphError)
    async def _chain(request: Request, exc: ChainGraphError) -> JSONResponse:
        if exc.status >= 500:
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return problem(exc.status, exc.title, str(exc), request.url.path, exc.slug, **exc.extra())

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [
            {"loc": [str(p) for p in e.get("loc", ())], "msg": e.get("msg", ""), "type": e.get("type", "")}
            for e in exc.errors()
        ]
        detail = "; ".join(f"{'.'.join(e['loc'])}: {e['msg']}" for e in errors) or "invalid request"
        return problem(422, "Invalid request", detail, request.url.path, "invalid-request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed", 413: "Payload too large"}.get(exc.status_code, "Error")
        return problem(exc.status_code, title, str(exc.detail), request.url.path, f"http-{exc.status_code}")

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(
            500, "Internal error", "An unexpected error occurred; see the server log.", request.url.path, "internal"
        )
