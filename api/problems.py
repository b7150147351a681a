"""One handler that turns every error into ``application/problem+json`` (RFC 9457)."""

from __future__ import annotations

import logging
from typing import Any

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.errors import ChainGraphError, InvalidQuery

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
                "detail": "No cluster with id 'nevv'. Did you mean: nev?",
                "instance": "/api/v1/clusters/nevv",
                "kind": "cluster",
                "id": "nevv",
                "suggestions": ["nev"],
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
        (503, "The graph store is unavailable (`store-unavailable`) or holds no graph yet (`graph-not-loaded`)"),
    )
}


BODY_PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {"model": Problem, "content": {MEDIA_TYPE: {}}, "description": desc}
    for code, desc in (
        (400, "The body cannot be read (e.g. not UTF-8)"),
        (413, "The request body is over the size limit (CHAINKG_MAX_BODY_MB)"),
    )
}
"""Problems a route that reads a request body may also answer with."""

_PROBLEM_REF = {"$ref": "#/components/schemas/Problem"}
_VALIDATION_REF = {"$ref": "#/components/schemas/HTTPValidationError"}


def document_problems(spec: dict[str, Any]) -> dict[str, Any]:
    """Make every error response of an OpenAPI ``spec`` say what the handlers send, in place.

    FastAPI files a ``responses={...: {"model": Problem}}`` schema under the
    route's own media type (``application/json``, or ``text/html`` for a page)
    and documents request validation as ``HTTPValidationError``; the handlers
    below answer ``application/problem+json`` with a :class:`Problem` body. So
    every 4xx/5xx response that mentions problem+json, the Problem schema or
    ``HTTPValidationError`` gets exactly ``application/problem+json: Problem``
    (other media types it declares, such as an HTML 404 page, are kept), and
    the error bodies can be checked against the spec.

    >>> spec = {"paths": {"/x": {"get": {"responses": {"422": {"content": {
    ...     "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}}}}}}
    >>> list(document_problems(spec)["paths"]["/x"]["get"]["responses"]["422"]["content"])
    ['application/problem+json']
    """
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
    for item in spec.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for code, response in operation.get("responses", {}).items():
                content = response.get("content") or {}
                if not str(code).startswith(("4", "5")):
                    continue
                mentions = MEDIA_TYPE in content or any(
                    entry.get("schema") in (_PROBLEM_REF, _VALIDATION_REF) for entry in content.values()
                )
                if not mentions:
                    continue
                kept = {
                    media: entry
                    for media, entry in content.items()
                    if media != MEDIA_TYPE and entry.get("schema") not in (_PROBLEM_REF, _VALIDATION_REF)
                }
                response["content"] = {**kept, MEDIA_TYPE: {"schema": dict(_PROBLEM_REF)}}
    return spec


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


MAX_INPUT_CHARS = 80
"""Characters of a rejected value quoted back in a 422 (a 10 kB `q` is not echoed whole)."""


def validation_error(error: Any) -> dict[str, Any]:
    """One entry of a 422's ``errors``: ``loc``, ``msg``, ``type`` and, when it is a plain value, ``input``.

    ``input`` is the value that was rejected (a string cut to :data:`MAX_INPUT_CHARS` characters), so
    that a client sees which value of the parameter was wrong; it is left out for a missing parameter
    and for a whole object or list.

    >>> validation_error({"loc": ("query", "kind"), "msg": "Input should be 'missing' or 'weak'",
    ...                   "type": "literal_error", "input": "mising"})
    {'loc': ['query', 'kind'], 'msg': "Input should be 'missing' or 'weak'", 'type': 'literal_error', 'input': 'mising'}
    >>> "input" in validation_error({"loc": ("query", "q"), "msg": "Field required", "type": "missing", "input": None})
    False
    """
    out: dict[str, Any] = {
        "loc": [str(p) for p in error.get("loc", ())],
        "msg": error.get("msg", ""),
        "type": error.get("type", ""),
    }
    value = error.get("input")
    if error.get("type") != "missing" and isinstance(value, str | int | float | bool):
        if isinstance(value, str) and len(value) > MAX_INPUT_CHARS:
            value = value[:MAX_INPUT_CHARS] + "…"
        out["input"] = value
    return out


def problem_extra(exc: ChainGraphError) -> dict[str, Any]:
    """The extension members of ``exc``'s problem body; an :class:`InvalidQuery`'s ``errors`` as a 422's.

    An :class:`InvalidQuery` that names its parameter carries one ``errors`` entry; it goes through
    :func:`validation_error`, so that it has the shape (and the cut ``input``) of a request-validation error.

    >>> long = "x" * 100
    >>> (entry,) = problem_extra(InvalidQuery("bad kind", param="kind", value=long))["errors"]
    >>> entry["loc"], entry["msg"], entry["type"], len(entry["input"])
    (['query', 'kind'], 'bad kind', 'value_error', 81)
    """
    extra = exc.extra()
    errors = extra.get("errors")
    if isinstance(exc, InvalidQuery) and isinstance(errors, list):
        extra["errors"] = [validation_error(error) for error in errors]
    return extra


def _describe(error: dict[str, Any]) -> str:
    """``query.kind: Input should be ... (got 'mising')``: where, what was expected, and the value given."""
    text = f"{'.'.join(error['loc'])}: {error['msg']}"
    return f"{text} (got {error['input']!r})" if "input" in error else text


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``, and document their bodies in its OpenAPI (:func:`document_problems`)."""
    generate = app.openapi
    documented: list[bool] = []

    def openapi() -> dict[str, Any]:
        spec = generate()  # FastAPI builds it once and keeps it
        if not documented:
            document_problems(spec)
            documented.append(True)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]

    @app.exception_handler(ChainGraphError)
    async def _chain(request: Request, exc: ChainGraphError) -> JSONResponse:
        if exc.status >= 500:
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        return problem(exc.status, exc.title, str(exc), request.url.path, exc.slug, **problem_extra(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> JSONResponse:
        errors = [validation_error(e) for e in exc.errors()]
        detail = "; ".join(map(_describe, errors)) or "invalid request"
        return problem(422, "Invalid request", detail, request.url.path, "invalid-request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        title = {404: "Not found", 405: "Method not allowed", 413: "Payload too large"}.get(exc.status_code, "Error")
        response = problem(exc.status_code, title, str(exc.detail), request.url.path, f"http-{exc.status_code}")
        response.headers.update(exc.headers or {})  # e.g. the `Allow` header a 405 must carry (RFC 9110)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(
            500, "Internal error", "An unexpected error occurred; see the server log.", request.url.path, "internal"
        )
