"""One handler that turns every error into ``application/problem+json`` (RFC 9457).

The HTML pages (``/reports`` and ``/views``, whose routes answer ``text/html``) answer a bad parameter with a
bilingual HTML page instead (422: which parameter, the value given and what it accepts), as they answer an
unknown id with an HTML 404 page; a workbook asked for with ``format=xlsx`` keeps problem+json. A 503 (the
graph store unavailable, or holding no graph yet) is a bilingual HTML page too when the client asks for HTML
(``Accept: text/html``, as a browser does); other clients, such as probes and scripts, keep problem+json.
"""

from __future__ import annotations

import json
import logging
import types
import typing
from typing import Any

import annotated_types
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment
from pydantic import BaseModel, ConfigDict
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.examples import amend_openapi
from graph.errors import ChainGraphError, GraphNotLoaded, InvalidQuery, StoreUnavailable

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


PAGE_UNAVAILABLE_RESPONSE: dict[str, Any] = {  # no "model": FastAPI would give the HTML page the Problem schema too
    "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}, "text/html": {}},
    "description": PROBLEM_RESPONSES[503]["description"]
    + "; a bilingual HTML page saying so when the request accepts `text/html` (a browser), problem+json otherwise",
}
"""The 503 of an HTML route (``/reports``, ``/views``): a page for browsers, problem+json for probes and scripts."""


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
    """``query.kind: Input should be ... (got 'mising')``: where, what was expected, and the value given.

    A body that is not JSON at all is said so, with where the parser stopped (FastAPI's ``loc`` is
    ``body.<position>``).

    >>> _describe({"loc": ["body", "0"], "msg": "JSON decode error", "type": "json_invalid"})
    'body: not JSON (JSON decode error at character 0)'
    """
    if error["type"] == "json_invalid" and len(error["loc"]) == 2:
        return f"body: not JSON ({error['msg']} at character {error['loc'][1]})"
    text = f"{'.'.join(error['loc'])}: {error['msg']}"
    return f"{text} (got {error['input']!r})" if "input" in error else text


def body_example(route: Any) -> str | None:
    """The example body of ``route``'s request model as compact JSON, its null fields left out; ``None`` without one.

    The example is the model's ``json_schema_extra["example"]`` (the one the OpenAPI document shows), e.g.
    ``{"remove": ["li-auto"]}`` for ``POST /api/v1/what-if``.
    """
    field = getattr(route, "body_field", None)
    model = getattr(getattr(field, "field_info", None), "annotation", None)
    config = getattr(model, "model_config", None) or {}
    extra = config.get("json_schema_extra")
    example = extra.get("example") if isinstance(extra, dict) else None
    if not isinstance(example, dict):
        return None
    return json.dumps({key: value for key, value in example.items() if value is not None}, ensure_ascii=False)


def validation_detail(errors: list[dict[str, Any]], route: Any) -> str:
    """A 422's ``detail``: every error described; when the body is at fault, the body expected, with an example.

    >>> class Route:  # a route whose body model has an example, as POST /api/v1/what-if
    ...     class body_field:
    ...         class field_info:
    ...             class annotation:
    ...                 model_config = {"json_schema_extra": {"example": {"remove": ["li-auto"], "year": None}}}
    >>> print(validation_detail([{"loc": ["body", "remove"], "msg": "Input should be a valid list",
    ...                           "type": "list_type", "input": "li-auto"}], Route()))
    body.remove: Input should be a valid list (got 'li-auto'); the body must be JSON like {"remove": ["li-auto"]}
    """
    detail = "; ".join(map(_describe, errors)) or "invalid request"
    example = body_example(route) if any(e["loc"][:1] == ["body"] for e in errors) else None
    return f"{detail}; the body must be JSON like {example}" if example else detail


HTML_PAGE_HOMES = {"/reports/": ("summary", "全部集群", "All clusters"), "/views/": ("overview", "总览", "Overview")}
"""Where an HTML error page under each prefix links back to: (path under the prefix, Chinese, English)."""

_HTML_PAGE_START = """<!DOCTYPE html>
<html lang="zh-Hans">
<head>
<meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="{{ csp }}">
<meta name="referrer" content="no-referrer">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{ title }} · chainkg</title>
<style>{{ css|safe }}</style>
</head>
<body class="report not-found">
"""
"""The start of every HTML error page: the reports' stylesheet, allowed by its hash (``csp``)."""

_HTML_ERROR_PAGE = (
    _HTML_PAGE_START
    + """<main class="report">
<h1>参数无效 <span class="en">Invalid parameter</span></h1>
<ul id="invalid-parameters">
{% for item in items %}<li data-param="{{ item.name }}">
<p>参数 <code>{{ item.name }}</code> 的值 <code>{{ item.value }}</code> 无效
{%- if item.accepted %}：{{ item.accepted[0] }}{% endif %}。
Parameter <code>{{ item.name }}</code>: <code>{{ item.value }}</code> is not accepted
{%- if item.accepted %}; it takes {{ item.accepted[1] }}{% endif %}.</p>
<p class="en">{{ item.msg }}</p></li>
{% endfor %}</ul>
<p><a href="{{ home.href }}">{{ home.zh }} {{ home.en }}</a></p>
</main>
</body>
</html>
"""
)


def html_page_route(request: Request) -> Any:
    """The route of ``request`` when it is an HTML page under :data:`HTML_PAGE_HOMES` (not a workbook), else None."""
    route = request.scope.get("route")
    path = str(getattr(route, "path", ""))
    response_class = getattr(route, "response_class", None)
    is_page = isinstance(response_class, type) and issubclass(response_class, HTMLResponse)
    if not is_page or not path.startswith(tuple(HTML_PAGE_HOMES)) or request.query_params.get("format") == "xlsx":
        return None
    return route


def _choices(values: list[Any]) -> tuple[str, str]:
    shown = [str(v) for v in values]
    return "应为 " + " 或 ".join(shown), " or ".join(shown)


def accepted_values(field: Any) -> tuple[str, str] | None:
    """What a query or path parameter accepts, in Chinese and in English, from its declaration.

    Its choices (a ``Literal`` or an ``enum``), its bounds (``ge``/``le``) or its longest length;
    ``None`` when it declares none of them.
    """
    info = field.field_info
    annotation = info.annotation
    options = typing.get_args(annotation) if isinstance(annotation, types.UnionType) else (annotation,)
    literal = [a for a in options if typing.get_origin(a) is typing.Literal]
    enum = info.json_schema_extra.get("enum") if isinstance(info.json_schema_extra, dict) else None
    if literal or enum:
        return _choices(list(typing.get_args(literal[0])) if literal else list(enum))
    bounds = {type(m).__name__: m for m in info.metadata}
    low, high = bounds.get("Ge"), bounds.get("Le")
    if isinstance(low, annotated_types.Ge) and isinstance(high, annotated_types.Le):
        return f"应为 {low.ge}–{high.le} 的整数", f"a whole number from {low.ge} to {high.le}"
    longest = bounds.get("MaxLen")
    if isinstance(longest, annotated_types.MaxLen):
        return f"最多 {longest.max_length} 个字符", f"at most {longest.max_length} characters"
    return None


def invalid_parameter_page(request: Request, route: Any, errors: list[dict[str, Any]]) -> Response:
    """The bilingual 422 page of an HTML route: each parameter at fault, the value given and what it accepts."""
    from api.routes.views import SECURITY_HEADERS  # the routes import this module
    from reports.html import report_csp, report_css

    params = {f.alias: f for f in route.dependant.query_params + route.dependant.path_params}
    items = []
    for error in errors:
        name = str(error["loc"][-1]) if error["loc"] else ""
        field = params.get(name)
        items.append(
            {
                "name": name,
                "value": error.get("input", ""),
                "accepted": accepted_values(field) if field is not None else None,
                "msg": error["msg"],
            }
        )
    prefix = next(p for p in HTML_PAGE_HOMES if route.path.startswith(p))
    home, zh, en = HTML_PAGE_HOMES[prefix]
    depth = route.path[len(prefix) :].count("/")
    csp = report_csp()
    html = _html_pages.from_string(_HTML_ERROR_PAGE).render(
        csp=csp,
        css=report_css(),
        title="参数无效 Invalid parameter",
        items=items,
        home={"href": "../" * depth + home, "zh": zh, "en": en},
    )
    headers = {"Content-Security-Policy": csp + "; frame-ancestors 'none'", **SECURITY_HEADERS}
    return HTMLResponse(html, status_code=422, headers=headers)


_HTML_UNAVAILABLE_PAGE = (
    _HTML_PAGE_START
    + """<main class="report" id="{{ slug }}">
<h1>{{ zh }} <span class="en">{{ en }}</span></h1>
<p>{{ advice_zh }} <span class="en">{{ advice_en }}</span></p>
<p class="en"><code>{{ detail }}</code></p>
<p><a href="">重试 Try again</a></p>
</main>
</body>
</html>
"""
)

UNAVAILABLE_TEXTS = {
    "store-unavailable": (
        "图数据库暂时无法访问",
        "The graph database is not reachable",
        "请稍后再试。",
        "Try again shortly.",
    ),
    "graph-not-loaded": (
        "图数据库尚未载入图谱",
        "The graph database holds no graph yet",
        "请管理员先载入数据，再刷新本页。",
        "An administrator has to load one first; then reload this page.",
    ),
}
"""The 503 page's heading and advice, Chinese and English, by the problem's slug."""


def wants_html(request: Request) -> bool:
    """Whether the client asked for HTML (a browser's ``Accept: text/html,...``), not ``*/*`` or JSON."""
    return "text/html" in request.headers.get("accept", "").lower()


def unavailable_page(exc: StoreUnavailable) -> Response:
    """The bilingual 503 page of an HTML route: the graph database is down, or holds no graph yet."""
    from api.routes.views import SECURITY_HEADERS  # the routes import this module
    from reports.html import report_csp, report_css

    slug = GraphNotLoaded.slug if isinstance(exc, GraphNotLoaded) else StoreUnavailable.slug
    zh, en, advice_zh, advice_en = UNAVAILABLE_TEXTS[slug]
    csp = report_csp()
    html = _html_pages.from_string(_HTML_UNAVAILABLE_PAGE).render(
        csp=csp,
        css=report_css(),
        title=f"{zh} {en}",
        slug=slug,
        zh=zh,
        en=en,
        advice_zh=advice_zh,
        advice_en=advice_en,
        detail=str(exc),
    )
    headers = {"Content-Security-Policy": csp + "; frame-ancestors 'none'", **SECURITY_HEADERS}
    return HTMLResponse(html, status_code=exc.status, headers=headers)


_html_pages = Environment(autoescape=True)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``, and document their bodies in its OpenAPI (:func:`document_problems`)."""
    amend_openapi(app, document_problems)

    @app.exception_handler(ChainGraphError)
    async def _chain(request: Request, exc: ChainGraphError) -> Response:
        if exc.status >= 500:
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        extra = problem_extra(exc)
        page = html_page_route(request)
        if page is not None and isinstance(exc, InvalidQuery) and extra.get("errors"):
            return invalid_parameter_page(request, page, extra["errors"])
        if page is not None and isinstance(exc, StoreUnavailable) and wants_html(request):
            return unavailable_page(exc)
        return problem(exc.status, exc.title, str(exc), request.url.path, exc.slug, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = [validation_error(e) for e in exc.errors()]
        page = html_page_route(request)
        if page is not None and errors:
            return invalid_parameter_page(request, page, errors)
        detail = validation_detail(errors, request.scope.get("route"))
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
