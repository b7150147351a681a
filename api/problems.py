"""One handler that turns every error into ``application/problem+json`` (RFC 9457).

The HTML pages (``/reports`` and ``/views``, whose routes answer ``text/html``) answer a bad parameter with a
bilingual HTML page instead (422: which parameter, the value given and what it accepts), as they answer an
unknown id with an HTML 404 page; a workbook asked for with ``format=xlsx`` keeps problem+json. A 503 (the
graph store unavailable, or holding no graph yet) is a bilingual HTML page too when the client asks for HTML
(``Accept: text/html``, as a browser does); other clients, such as probes and scripts, keep problem+json.
A client that asks for JSON only (``Accept: application/json``, no ``text/html``: :func:`accepts_json_only`) gets
problem+json for the pages' 404 and 422 too, the bodies ``/api/v1`` answers (:class:`PageNotFoundAsProblem`).
A what-if body not sent as JSON is a 422 naming the Content-Type (:func:`json_content_type`), a refused CORS preflight a
``cors-refused`` problem (:class:`CorsRefusalAsProblem`), not Starlette's plain text.

A query parameter the route does not take is a bad parameter too (:func:`api.deps.reject_unknown_query`). A path
no route answers is a 404 pointing to the API's entry points, a method the route does not answer a 405 naming
the ones it does. The ``type`` slugs are listed in docs/api.md ("Problem types"); the OpenAPI document declares the
members a problem may carry on its ``Problem`` schema and shows an example of each status.
"""

from __future__ import annotations

import difflib
import json
import logging
import re
import types
import typing
from collections.abc import Awaitable, Callable, Mapping, MutableMapping
from typing import Any

import annotated_types
from fastapi import FastAPI, Request
from fastapi import routing as fastapi_routing
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from jinja2 import Environment
from pydantic import BaseModel, ConfigDict, Field, WithJsonSchema
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.exceptions import HTTPException as StarletteHTTPException

from api.deps import near_names, query_names, unknown_parameter_text
from api.examples import amend_openapi
from graph.errors import ChainGraphError, GraphNotLoaded, InvalidQuery, NodeNotFound, StoreUnavailable

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
ASGIApp = Callable[[Scope, Receive, Send], Awaitable[None]]

PROBLEM_TYPE_BASE = "https://chainkg.dev/problems/"
MEDIA_TYPE = "application/problem+json"
log = logging.getLogger("chainkg.api")


_VALIDATION_ISSUE: dict[str, Any] = {
    "type": "object",
    "title": "ValidationIssue",
    "description": "One parameter or body field at fault (a 422 `invalid-request` or `invalid-query`)",
    "required": ["loc", "msg", "type"],
    "properties": {
        "loc": {
            "type": "array",
            "items": {"type": "string"},
            "description": 'Where: `["query", "kind"]`, `["path", "cluster_id"]`, `["body", "remove"]`',
        },
        "msg": {"type": "string", "description": "What is wrong and what is accepted"},
        "type": {
            "type": "string",
            "description": "The kind of error: `literal_error`, `missing`, `value_error`, `extra_forbidden` (an "
            "unknown parameter), ...",
        },
        "input": {
            "description": "The value given, cut to 80 characters: for a query, path or header parameter the "
            'string as sent (`"2023"`, whether the declaration or the query refused it); for a body field its '
            "JSON value; left out for a missing parameter and for a list or object value",
        },
    },
}
"""An ``errors`` item of a request problem (:func:`validation_error`)."""

_IMPORT_ISSUE: dict[str, Any] = {
    "type": "object",
    "title": "ImportIssue",
    "description": "One problem found in an imported file (a 422 `invalid-import`), in English and Chinese",
    "required": ["file", "row", "field", "message"],
    "properties": {
        "file": {"type": "string", "description": "The file (or table) the row is in"},
        "sheet": {"type": ["string", "null"], "description": "The workbook sheet, for an .xlsx"},
        "row": {"type": "integer", "description": "The 1-based line or row (the header is 1)"},
        "field": {"type": "string", "description": "The column holding the bad value"},
        "value": {"description": "The value found"},
        "expected": {"type": "string", "description": "What was expected"},
        "expected_zh": {"type": "string", "description": "What was expected, in Chinese"},
        "message": {"type": "string"},
        "message_zh": {"type": "string"},
    },
}
"""An ``errors`` item of an import problem (``graph.errors.DataIssue.as_dict``)."""

PROBLEM_MEMBERS: dict[str, Any] = {
    "detail_zh": {
        "type": "string",
        "description": "`detail` in Chinese (中文说明), on every problem: the same facts (the id and the nearest "
        "ids of a 404, each parameter at fault with the value given of a 422); `detail` itself is English only",
    },
    "kind": {"type": "string", "description": "404 `not-found`: the kind of id looked for (`cluster`, `firm`, ...)"},
    "id": {"type": "string", "description": "404 `not-found`: the id asked for"},
    "found_kind": {
        "type": "string",
        "description": "404 `not-found`: the kind of node the id does name, when it names one of another kind",
    },
    "suggestions": {
        "type": "array",
        "items": {"type": "string"},
        "description": "404: the nearest existing ids (`not-found`) or paths (`http-404`), best first",
    },
    "entry_points": {
        "type": "array",
        "items": {"type": "string"},
        "description": "404 `http-404` (no such route): where the API starts",
    },
    "errors": {
        "type": "array",
        "items": {"anyOf": [_VALIDATION_ISSUE, _IMPORT_ISSUE]},
        "description": "422: every parameter at fault (`loc`, `msg`, `type`, `input`), or for `invalid-import` "
        "every problem in the file (`file`, `sheet`, `row`, `field`, `value`, `expected`, `message`, ...)",
    },
}
"""The members a problem adds to RFC 9457's: ``detail_zh`` on every problem (so required in :class:`Problem`), the
others optional, which ones a problem has depending on its ``type`` (docs/api.md)."""


def _problem_schema(schema: dict[str, Any]) -> None:
    """Show the ``not-found`` example on :class:`Problem`'s schema (pydantic hook)."""
    schema["example"] = PROBLEM_EXAMPLES["not-found"]


def _member(name: str) -> Any:
    """The declaration of the optional problem member ``name`` (:data:`PROBLEM_MEMBERS`).

    A member is left out of a body that does not carry it (never null), so it has no default in the
    schema: its ``default_factory`` is never called, the handlers build the bodies.
    """
    schema = PROBLEM_MEMBERS[name]
    factory = list if schema["type"] == "array" else str
    extra = {"items": schema["items"]} if schema["type"] == "array" else None
    return Field(default_factory=factory, description=schema["description"], json_schema_extra=extra)


PROBLEM_EXAMPLES: dict[str, dict[str, Any]] = {
    "not-found": {
        "type": PROBLEM_TYPE_BASE + "not-found",
        "title": "Not found",
        "status": 404,
        "detail": "No cluster with id 'nevv'. Did you mean: nev?",
        "detail_zh": "没有编号为 'nevv' 的集群。是否要找：nev？",
        "instance": "/api/v1/clusters/nevv",
        "kind": "cluster",
        "id": "nevv",
        "suggestions": ["nev"],
    },
    "invalid-request": {
        "type": PROBLEM_TYPE_BASE + "invalid-request",
        "title": "Invalid request",
        "status": 422,
        "detail": "query.kind: "
        "Input should be 'missing', 'weak', 'broken_link' or 'extension', "
        "or the Chinese name 缺链, 弱链, 断链 or 延链 (got 'mising')",
        "detail_zh": "查询参数 kind："
        "应为 missing（缺链）、weak（弱链）、broken_link（断链）或 extension（延链）（收到 'mising'）",
        "instance": "/api/v1/gaps",
        "errors": [
            {
                "loc": ["query", "kind"],
                "msg": "Input should be 'missing', 'weak', 'broken_link' or 'extension', "
                "or the Chinese name 缺链, 弱链, 断链 or 延链 / "
                "应为 missing（缺链）、weak（弱链）、broken_link（断链）或 extension（延链）",
                "type": "literal_error",
                "input": "mising",
            }
        ],
    },
    "invalid-query": {
        "type": PROBLEM_TYPE_BASE + "invalid-query",
        "title": "Invalid query",
        "status": 422,
        "detail": "list_year must be one of 2022, 2024 (a published list); got 2023",
        "detail_zh": "查询参数 list_year：应为 2022、2024 之一（已公布的名单年份）（收到 '2023'）",
        "instance": "/api/v1/clusters",
        "errors": [
            {
                "loc": ["query", "list_year"],
                "msg": "list_year must be one of 2022, 2024 (a published list); got 2023",
                "type": "value_error",
                "input": "2023",
            }
        ],
    },
    "graph-not-loaded": {
        "type": PROBLEM_TYPE_BASE + "graph-not-loaded",
        "title": "No graph loaded",
        "status": 503,
        "detail": "Neo4j at bolt://localhost:7687 (database neo4j) holds no graph from chainkg load yet; load one "
        "first: chainkg load data/changzhou --backend neo4j (the running API serves it from the next request on, "
        "without a restart)",
        "detail_zh": "图数据库尚未载入图谱：请管理员先用 chainkg load 载入数据，载入后无需重启服务。"
        "（Neo4j at bolt://localhost:7687 (database neo4j) holds no graph from chainkg load yet; load one "
        "first: chainkg load data/changzhou --backend neo4j (the running API serves it from the next request on, "
        "without a restart)）",
        "instance": "/api/v1/clusters",
    },
    "store-unavailable": {
        "type": PROBLEM_TYPE_BASE + "store-unavailable",
        "title": "Graph store unavailable",
        "status": 503,
        "detail": "Neo4j query timed out after 5s while reading (NEO4J_QUERY_TIMEOUT)",
        "detail_zh": "图数据库暂时无法访问，请稍后再试。"
        "（Neo4j query timed out after 5s while reading (NEO4J_QUERY_TIMEOUT)）",
        "instance": "/api/v1/clusters",
    },
    "http-400": {
        "type": PROBLEM_TYPE_BASE + "http-400",
        "title": "Bad request",
        "status": 400,
        "detail": "There was an error parsing the body",
        "detail_zh": "无法读取请求体：There was an error parsing the body",
        "instance": "/api/v1/what-if",
    },
    "payload-too-large": {
        "type": PROBLEM_TYPE_BASE + "payload-too-large",
        "title": "Payload too large",
        "status": 413,
        "detail": "The request body is over the 20 MB limit (CHAINKG_MAX_BODY_MB).",
        "detail_zh": "请求体超过 20 MB 上限。",
        "instance": "/api/v1/what-if",
    },
    "unauthorized": {
        "type": PROBLEM_TYPE_BASE + "unauthorized",
        "title": "Unauthorized",
        "status": 401,
        "detail": "A valid API key is needed: send it as 'X-API-Key: KEY' or 'Authorization: Bearer KEY'.",
        "detail_zh": "需要有效的 API 密钥。",
        "instance": "/api/v1/imports",
    },
    "writes-disabled": {
        "type": PROBLEM_TYPE_BASE + "writes-disabled",
        "title": "Writes disabled",
        "status": 403,
        "detail": "Writes are disabled: this server has no API key. Set CHAINKG_API_KEY to allow imports.",
        "detail_zh": "未配置 CHAINKG_API_KEY，写入已禁用。",
        "instance": "/api/v1/imports",
    },
    "invalid-content-type": {
        "type": PROBLEM_TYPE_BASE + "invalid-request",
        "title": "Invalid request",
        "status": 422,
        "detail": "header.content-type: send the body as JSON, with Content-Type: application/json, like "
        '{"remove": ["li-auto"]} (got \'text/plain;charset=UTF-8\')',
        "detail_zh": "请求头 content-type：请求体须为 JSON，并以 Content-Type: application/json 发送"
        "（收到 'text/plain;charset=UTF-8'）",
        "instance": "/api/v1/what-if",
        "errors": [
            {
                "loc": ["header", "content-type"],
                "msg": 'send the body as JSON, with Content-Type: application/json, like {"remove": ["li-auto"]} '
                "/ 请求体须为 JSON，并以 Content-Type: application/json 发送",
                "type": "value_error",
                "input": "text/plain;charset=UTF-8",
            }
        ],
    },
    "invalid-form": {
        "type": PROBLEM_TYPE_BASE + "invalid-request",
        "title": "Invalid request",
        "status": 422,
        "detail": "Send the file as the multipart field 'file'.",
        "detail_zh": "请求体字段 file：请以 multipart 字段 file 上传文件。",
        "instance": "/api/v1/imports",
        "errors": [
            {
                "loc": ["body", "file"],
                "msg": "Send the file as the multipart field 'file'. / 请以 multipart 字段 file 上传文件。",
                "type": "value_error",
            }
        ],
    },
    "conflict": {
        "type": PROBLEM_TYPE_BASE + "conflict",
        "title": "Conflict",
        "status": 409,
        "detail": "the graph changed while the import was checked; run the import again",
        "detail_zh": "导入检查期间图谱已被修改，请重新导入。",
        "instance": "/api/v1/imports",
    },
    "invalid-import": {
        "type": PROBLEM_TYPE_BASE + "invalid-import",
        "title": "Invalid import",
        "status": 422,
        "detail": "1 problem(s) found; nothing was applied.",
        "detail_zh": "发现 1 个问题，未导入任何数据。",
        "instance": "/api/v1/imports",
        "nodes": {"added": [], "updated": [], "unchanged": [], "conflicting": []},
        "edges": {"added": [], "updated": [], "unchanged": [], "conflicting": [], "removed": []},
        "counts": {
            "nodes": {"added": 0, "updated": 0, "unchanged": 0, "conflicting": 0},
            "edges": {"added": 0, "updated": 0, "unchanged": 0, "conflicting": 0, "removed": 0},
        },
        "errors": [
            {
                "file": "firms.csv",
                "row": 1,
                "field": "sources",
                "value": "id,name_zh,name_en,is_local",
                "expected": "columns id, name_zh, is_local, sources",
                "expected_zh": "必需的列 id, name_zh, is_local, sources",
                "message": "firms.csv, row 1, field 'sources': got 'id,name_zh,name_en,is_local'; "
                "expected columns id, name_zh, is_local, sources",
                "message_zh": "firms.csv，第 1 行，列 'sources'：读到 'id,name_zh,name_en,is_local'；"
                "应为 必需的列 id, name_zh, is_local, sources",
            }
        ],
        "file": "firms.csv",
        "format": "csv",
        "dry_run": False,
        "applied": False,
        "ok": False,
        "on_conflict": "fail",
        "resolved": [],
        "rejected": 0,
        "not_counted": 0,
        "warnings": [],
        "rejected_rows": [],
        "error_groups": [],
    },
}
"""One example body of each problem ``type`` (by slug; ``invalid-form`` is an ``invalid-request`` about a form field):
what the OpenAPI document shows under each status."""

STATUS_EXAMPLES: dict[int, tuple[str, ...]] = {
    400: ("http-400",),
    401: ("unauthorized",),
    403: ("writes-disabled",),
    404: ("not-found",),
    409: ("conflict",),
    413: ("payload-too-large",),
    422: ("invalid-request", "invalid-query"),
    503: ("graph-not-loaded", "store-unavailable"),
}
"""The examples (:data:`PROBLEM_EXAMPLES` slugs) a problem response of each status shows, unless it names its own."""


def problem_examples(*slugs: str) -> dict[str, Any]:
    """The OpenAPI ``examples`` of a problem+json response: each :data:`PROBLEM_EXAMPLES` body, under its key.

    >>> sorted(problem_examples("invalid-request", "invalid-query"))
    ['invalid-query', 'invalid-request']
    >>> problem_examples("not-found")["not-found"]["value"]["status"]
    404
    """
    return {slug: {"summary": PROBLEM_EXAMPLES[slug]["title"], "value": PROBLEM_EXAMPLES[slug]} for slug in slugs}


class Problem(BaseModel):
    """An RFC 9457 problem: ``type``, ``title``, ``status``, ``detail``, ``instance`` and extensions.

    The extensions a client can rely on are declared (:data:`PROBLEM_MEMBERS`): ``detail_zh`` of every problem
    (:func:`detail_zh`, required), ``kind``, ``id`` and ``suggestions`` of a 404, ``errors`` of a 422.
    """

    model_config = ConfigDict(extra="allow", json_schema_extra=_problem_schema)

    type: str = Field(description="The problem type, `https://chainkg.dev/problems/<slug>` (docs/api.md lists them)")
    title: str = Field(description="A short English summary of the problem type, the same for every problem of it")
    status: int = Field(description="The HTTP status code of the answer")
    detail: str = Field(
        description="What went wrong with this request and what is expected, in English (`detail_zh` in Chinese)"
    )
    detail_zh: str = Field(description=PROBLEM_MEMBERS["detail_zh"]["description"])
    instance: str = Field(description="The path of the request that failed")
    kind: str = _member("kind")
    id: str = _member("id")
    found_kind: str = _member("found_kind")
    suggestions: list[str] = _member("suggestions")
    entry_points: list[str] = _member("entry_points")
    errors: list[dict[str, Any]] = _member("errors")


PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "model": Problem,
        "content": {MEDIA_TYPE: {"examples": problem_examples(*STATUS_EXAMPLES[code])}},
        "description": desc,
    }
    for code, desc in (
        (404, "Unknown id, in the path or in a filter; the body suggests the nearest ids"),
        (422, "Invalid parameters (a bad value, or a parameter the route does not take)"),
        (503, "The graph store is unavailable (`store-unavailable`) or holds no graph yet (`graph-not-loaded`)"),
    )
}
"""The problems of a route that takes an id, in its path or as a filter (``?cluster=``): 404, 422 and 503."""

BASE_PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {422: PROBLEM_RESPONSES[422], 503: PROBLEM_RESPONSES[503]}
"""The problems every route that reads the graph may answer with (422, 503): a router declares these, and a
route that takes an id adds :data:`NOT_FOUND_RESPONSES`, so that no route declares a 404 it cannot answer."""

NOT_FOUND_RESPONSES: dict[int | str, dict[str, Any]] = {404: PROBLEM_RESPONSES[404]}
"""The 404 of a route that takes an id, in its path or as a filter (``/firms?segment=``)."""


PAGE_UNAVAILABLE_RESPONSE: dict[str, Any] = {  # no "model": FastAPI would give the HTML page the Problem schema too
    "content": {MEDIA_TYPE: {"schema": {"$ref": "#/components/schemas/Problem"}}, "text/html": {}},
    "description": PROBLEM_RESPONSES[503]["description"]
    + "; a bilingual HTML page saying so when the request accepts `text/html` (a browser), problem+json otherwise",
}
"""The 503 of an HTML route (``/reports``, ``/views``): a page for browsers, problem+json for probes and scripts."""


BODY_PROBLEM_RESPONSES: dict[int | str, dict[str, Any]] = {
    code: {
        "model": Problem,
        "content": {MEDIA_TYPE: {"examples": problem_examples(*STATUS_EXAMPLES[code])}},
        "description": desc,
    }
    for code, desc in (
        (400, "The body cannot be read (e.g. not UTF-8)"),
        (413, "The request body is over the size limit (CHAINKG_MAX_BODY_MB)"),
    )
}
"""Problems a route that reads a request body may also answer with."""

JSON_BODY_RESPONSES: dict[int | str, dict[str, Any]] = {
    422: {
        "model": Problem,
        "content": {
            MEDIA_TYPE: {"examples": problem_examples("invalid-request", "invalid-content-type", "invalid-query")}
        },
        "description": "Invalid body or parameters: a body that is not JSON, not sent with `Content-Type: "
        'application/json` (`errors[].loc` `["header", "content-type"]`), or without the fields expected; a '
        "bad value, or a parameter the route does not take",
    }
}
"""The 422 of a route whose body must be JSON (``POST /api/v1/what-if``, :func:`json_content_type`)."""

NOT_FOUND_SAMPLES: dict[str, tuple[str, list[str]]] = {
    "cluster": ("nevv", ["nev"]),
    "firm": ("calbb", ["calb", "catl", "cabot"]),
    "segment": (
        "nev-lightingg",
        ["nev-lighting", "nev-lightweight", "nev-charging", "nev-recycling", "nev-rnd-testing"],
    ),
    "district": ("wujinn", ["wujin", "jintan"]),
    "source": (
        "reply-2022-566",
        ["reply-2022-56", "s34-expo-2022", "l-sohu-sanyre-ipo-2022-06", "d-reportify-polyester-2025"],
    ),
    "project": (
        "prj-kuntaii",
        ["prj-kuntai", "prj-suwen-electric", "prj-svolt-jintan", "prj-borui-storage", "prj-calb-jintan-1"],
    ),
    "policy": (
        "pol-wujin-nev-partss",
        [
            "pol-wujin-nev-parts",
            "pol-zjtx-rewards",
            "pol-innovation-20",
            "pol-ne-capital-measures",
            "pol-zjtx-action-plan",
        ],
    ),
    "tier": ("tier-champion-firmm", ["tier-champion-firm", "tier-champion-product"]),
    "platform": (
        "plat-catl-liyang-lighthousee",
        [
            "plat-catl-liyang-lighthouse",
            "plat-wuyang-digital-factory",
            "plat-hualida-digital-factory",
            "plat-hualida-iip",
        ],
    ),
}
"""A mistyped id of each kind and the ids the bundled data suggest for it: the 404 example of each route is
built from the id it takes (review 13a, 15b: every route showed "No cluster with id 'nevv'", the firm route too).
``tests/test_api_review15b.py`` asks each route for its example and compares."""

ID_PARAMETERS = {f"{kind}_id": kind for kind in NOT_FOUND_SAMPLES} | {
    name: name for name in ("cluster", "segment", "district", "firm", "tier")
}
"""The parameters that take an id, in a path (``firm_id``) or as a filter (``?cluster=``), and the kind it names."""


def not_found_example(kind: str, instance: str) -> dict[str, Any]:
    """The 404 body a request for :data:`NOT_FOUND_SAMPLES`' mistyped id of ``kind`` answers at ``instance``.

    >>> not_found_example("district", "/api/v1/districts/wujinn")["detail"]
    "No district with id 'wujinn'. Did you mean: wujin, jintan?"
    """
    bad, suggestions = NOT_FOUND_SAMPLES[kind]
    return {
        **PROBLEM_EXAMPLES["not-found"],
        "detail": str(NodeNotFound(kind, bad, suggestions)),
        "detail_zh": not_found_zh(kind, bad, suggestions),
        "instance": instance,
        "kind": kind,
        "id": bad,
        "suggestions": suggestions,
    }


def route_not_found_example(path: str, operation: dict[str, Any]) -> dict[str, Any] | None:
    """The 404 example of one route of the document: the first id it takes in its path, else in a filter, else
    the firms of ``POST /api/v1/what-if``; ``None`` when it takes none."""
    params = operation.get("parameters", [])
    in_path = [p["name"] for p in params if p.get("in") == "path" and p["name"] in ID_PARAMETERS]
    if in_path:
        kind = ID_PARAMETERS[in_path[0]]
        return not_found_example(kind, path.replace("{" + in_path[0] + "}", NOT_FOUND_SAMPLES[kind][0]))
    filters = [p["name"] for p in params if p.get("in") == "query" and p["name"] in ID_PARAMETERS]
    if filters:
        return not_found_example(ID_PARAMETERS[filters[0]], path)
    if path.endswith("/what-if"):
        return not_found_example("firm", path)
    return None


def sample_path(path: str) -> str:
    """``path`` with each id it takes replaced by an id of the bundled data (:data:`NOT_FOUND_SAMPLES`' first
    suggestion), so that a request for it reaches the route.

    >>> sample_path("/api/v1/clusters/{cluster_id}/gaps"), sample_path("/views/firms/{firm_id}")
    ('/api/v1/clusters/nev/gaps', '/views/firms/calb')
    """
    for name, kind in ID_PARAMETERS.items():
        if name.endswith("_id"):
            path = path.replace("{" + name + "}", NOT_FOUND_SAMPLES[kind][1][0])
    return path


def _query_parameters(operation: dict[str, Any]) -> list[str]:
    return [p["name"] for p in operation.get("parameters", []) if p.get("in") == "query"]


def _form_fields(operation: dict[str, Any]) -> list[str]:
    content = operation.get("requestBody", {}).get("content", {})
    return list(content.get("multipart/form-data", {}).get("schema", {}).get("properties", {}))


def route_invalid_examples(path: str, operation: dict[str, Any], examples: dict[str, Any]) -> dict[str, Any]:
    """A route's 422 ``examples`` with the shared ones made its own: ``invalid-request`` becomes the route's
    (:func:`invalid_request_example`); ``invalid-query`` (a ``list_year`` no list has) is kept, at the route's
    path, only where the route takes ``list_year``; examples of the route's own (a body's ``Content-Type``) stay.

    >>> op = {"parameters": [{"name": "limit", "in": "query"}]}
    >>> shared = problem_examples("invalid-request", "invalid-query")
    >>> list(route_invalid_examples("/api/v1/clusters", op, shared))
    ['invalid-request']
    >>> route_invalid_examples("/api/v1/clusters", op, shared)["invalid-request"]["value"]["errors"][0]["loc"]
    ['query', 'limits']
    """
    out = dict(examples)
    if out.get("invalid-request", {}).get("value") == PROBLEM_EXAMPLES["invalid-request"]:
        out["invalid-request"] = {"summary": "Invalid request", "value": invalid_request_example(path, operation)}
    if out.get("invalid-query", {}).get("value") == PROBLEM_EXAMPLES["invalid-query"]:
        if "list_year" in _query_parameters(operation):
            value = {**PROBLEM_EXAMPLES["invalid-query"], "instance": sample_path(path)}
            out["invalid-query"] = {"summary": "Invalid query", "value": value}
        else:
            del out["invalid-query"]
    return out


def invalid_request_example(path: str, operation: dict[str, Any]) -> dict[str, Any]:
    """The 422 that one route of the document answers for a query parameter it does not take, as a client
    would mistype it: an id filter given the path's name (``?cluster_id=nev`` for ``?cluster=``), the first
    parameter in the plural (``?limits=1``), or ``?lang=en`` where the route takes none. The body is what the
    handler sends (:func:`reject_unknown_query <api.deps.reject_unknown_query>`, :func:`problem`); review 15b
    found every route showing ``/api/v1/gaps``' ``kind`` example instead.

    >>> example = invalid_request_example("/api/v1/clusters/{cluster_id}", {"parameters": [
    ...     {"name": "cluster_id", "in": "path"}]})
    >>> example["instance"], example["detail"]
    ('/api/v1/clusters/nev', "query.lang: unknown parameter; this route takes no query parameters (got 'en')")
    """
    names = _query_parameters(operation)
    filters = [name for name in names if ID_PARAMETERS.get(name) == name]
    if filters:
        bad, value = f"{filters[0]}_id", NOT_FOUND_SAMPLES[filters[0]][1][0]
    elif names:
        bad, value = f"{names[0]}s", "1"
    else:
        bad, value = "lang", "en"
    errors = [
        {
            "loc": ["query", bad],
            "msg": unknown_parameter_text(bad, names, _form_fields(operation)),
            "type": "extra_forbidden",
            "input": value,
        }
    ]
    response = problem(
        422, "Invalid request", validation_detail(errors, None), sample_path(path), "invalid-request", errors=errors
    )
    return json.loads(response.body)


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
    the error bodies can be checked against the spec. Each keeps the examples it
    names, or shows those of its status (:data:`STATUS_EXAMPLES`), so that a 422
    shows a 422 body and a 503 a 503 body.

    >>> spec = {"paths": {"/x": {"get": {"responses": {"422": {"content": {
    ...     "application/json": {"schema": {"$ref": "#/components/schemas/HTTPValidationError"}}}}}}}}}
    >>> list(document_problems(spec)["paths"]["/x"]["get"]["responses"]["422"]["content"])
    ['application/problem+json']
    """
    schemas = spec.setdefault("components", {}).setdefault("schemas", {})
    schemas.setdefault("Problem", Problem.model_json_schema(ref_template="#/components/schemas/{model}"))
    for path, item in spec.get("paths", {}).items():
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
                named = content.get(MEDIA_TYPE, {})
                own = {key: value for key, value in named.items() if key in ("example", "examples")}
                slugs = STATUS_EXAMPLES.get(int(code), ()) if str(code).isdigit() else ()
                shown = own or ({"examples": problem_examples(*slugs)} if slugs else {})
                shared = own.get("examples") in (None, problem_examples("not-found"))  # no example of its own
                route_404 = route_not_found_example(path, operation) if str(code) == "404" and shared else None
                if route_404:  # the route's own id, not another route's (review 15b, L2)
                    shown = {"examples": {"not-found": {"summary": "Not found", "value": route_404}}}
                if str(code) == "422" and "examples" in shown:
                    shown = {"examples": route_invalid_examples(path, operation, shown["examples"])}
                response["content"] = {**kept, MEDIA_TYPE: {"schema": dict(_PROBLEM_REF), **shown}}
    return spec


def problem(status: int, title: str, detail: str, instance: str, slug: str, **extra: Any) -> JSONResponse:
    """The problem+json response of every handler: ``detail`` in English and, after it, its Chinese ``detail_zh``.

    ``detail_zh`` is :func:`detail_zh` of the body unless ``extra`` gives one; a bilingual ``detail``
    (``English / 中文``) keeps its English half (:func:`english_half`). The ``msg`` of each of a 422's ``errors`` is
    the validator's message as it is (those of chainkg's own checks give both languages).

    >>> body = json.loads(problem(503, "Graph store unavailable", "Neo4j is down", "/x", "store-unavailable").body)
    >>> body["detail"], body["detail_zh"]
    ('Neo4j is down', '图数据库暂时无法访问，请稍后再试。（Neo4j is down）')
    """
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE_BASE + slug,
        "title": title,
        "status": status,
        "detail": detail,
    }
    body["detail_zh"] = extra.pop("detail_zh", None) or detail_zh({**body, **extra})
    body["detail"] = english_half(detail)  # after detail_zh, which takes a bilingual detail's Chinese half
    body.update(instance=instance, **extra)
    return JSONResponse(body, status_code=status, media_type=MEDIA_TYPE)


_CJK = re.compile(r"[\u3400-\u9fff\uff00-\uffef\u3000-\u303f]")
"""A Chinese character or punctuation mark (a text with one has a Chinese half)."""


def has_cjk(text: str) -> bool:
    """Whether ``text`` holds Chinese.

    >>> has_cjk("未知参数"), has_cjk("unknown parameter")
    (True, False)
    """
    return _CJK.search(text) is not None


def chinese_half(text: str) -> str | None:
    """The Chinese half of a bilingual ``English / 中文`` text, what follows its first ``" / "``; ``None`` without one.

    >>> chinese_half("GET is not allowed on /x: it answers POST only. / /x 不支持 GET，只接受 POST。")
    '/x 不支持 GET，只接受 POST。'
    >>> chinese_half("There was an error parsing the body") is None
    True
    """
    _, sep, rest = text.partition(" / ")
    return rest if sep and has_cjk(rest) else None


def english_half(text: str) -> str:
    """``text`` without its Chinese half (:func:`chinese_half`): a problem's ``detail`` is English, ``detail_zh``
    Chinese (review 9: some 422, 404 and 405 details carried both).

    >>> english_half("GET is not allowed on /x: it answers POST only. / /x 不支持 GET，只接受 POST。")
    'GET is not allowed on /x: it answers POST only.'
    >>> english_half("Input should be 'missing' or the Chinese name 缺链 / 应为 missing（缺链）")
    "Input should be 'missing' or the Chinese name 缺链"
    >>> english_half("There was an error parsing the body")
    'There was an error parsing the body'
    """
    return text.partition(" / ")[0] if chinese_half(text) is not None else text


def kind_zh(kind: str) -> str:
    """A node kind (``cluster``, ``segment``, ``firm``, ``district``, ...) in Chinese, as the pages name it.

    The views' words (``viz.style.KIND_LABELS``, their 404 page's) first, then the loader's names of the
    other kinds (``loaders.messages``); an unknown kind is kept as it is.

    >>> kind_zh("cluster"), kind_zh("segment"), kind_zh("district"), kind_zh("gap")
    ('集群', '环节', '区县/园区', 'gap')
    """
    from loaders.messages import KIND_ZH
    from viz.style import KIND_LABELS

    if kind.lower() in KIND_LABELS:
        return KIND_LABELS[kind.lower()].split()[0]
    return KIND_ZH.get(kind.capitalize(), kind)


def not_found_zh(kind: str, node_id: str, suggestions: list[str], found_kind: str | None = None) -> str:
    """The Chinese of a 404 ``not-found`` (``NodeNotFound``): the kind, the id, what it names, the nearest ids.

    >>> not_found_zh("cluster", "nevv", ["nev"])
    "没有编号为 'nevv' 的集群。是否要找：nev？"
    >>> not_found_zh("cluster", "t-cell", ["t-nev"], found_kind="segment")
    "没有编号为 't-cell' 的集群（'t-cell' 是环节）。是否要找：t-nev？"
    """
    text = f"没有编号为 {node_id!r} 的{kind_zh(kind)}"
    text += f"（{node_id!r} 是{kind_zh(found_kind)}）。" if found_kind else "。"
    return text + (f"是否要找：{'、'.join(suggestions)}？" if suggestions else "")


_WHERE_ZH = {"query": "查询参数", "path": "路径参数", "header": "请求头", "body": "请求体字段", "form": "表单字段"}
"""The Chinese of the first ``loc`` part of a 422 ``errors`` item."""


def _number(msg: str, pattern: str) -> str:
    found = re.search(pattern, msg)
    return found.group(1) if found else "?"


def _quoted(msg: str) -> str:
    """``'a', 'b' or 'c'`` of pydantic's "Input should be ..." as ``a、b 或 c``."""
    values = re.findall(r"'([^']*)'", msg)
    return "、".join(values[:-1]) + f" 或 {values[-1]}" if len(values) > 1 else "".join(values)


_TYPE_ZH: dict[str, Callable[[str], str]] = {
    "missing": lambda msg: "缺少此项（必填）",
    "literal_error": lambda msg: f"应为 {_quoted(msg)}",
    "enum": lambda msg: f"应为 {_quoted(msg)}",
    "int_parsing": lambda msg: "应为整数",
    "int_from_float": lambda msg: "应为整数（不能有小数部分）",
    "int_type": lambda msg: "应为整数",
    "float_parsing": lambda msg: "应为数字",
    "float_type": lambda msg: "应为数字",
    "bool_parsing": lambda msg: "应为 true 或 false",
    "bool_type": lambda msg: "应为 true 或 false",
    "string_type": lambda msg: "应为文本",
    "list_type": lambda msg: "应为列表（JSON 数组）",
    "dict_type": lambda msg: "应为 JSON 对象",
    "model_attributes_type": lambda msg: "应为 JSON 对象",
    "greater_than_equal": lambda msg: "应不小于 " + _number(msg, r"greater than or equal to (\S+)"),
    "greater_than": lambda msg: "应大于 " + _number(msg, r"greater than (\S+)"),
    "less_than_equal": lambda msg: "应不大于 " + _number(msg, r"less than or equal to (\S+)"),
    "less_than": lambda msg: "应小于 " + _number(msg, r"less than (\S+)"),
    "string_too_long": lambda msg: "最多 " + _number(msg, r"at most (\d+)") + " 个字符",
    "string_too_short": lambda msg: "至少 " + _number(msg, r"at least (\d+)") + " 个字符",
    "too_long": lambda msg: "最多 " + _number(msg, r"at most (\d+)") + " 项",
    "too_short": lambda msg: "至少 " + _number(msg, r"at least (\d+)") + " 项",
    "extra_forbidden": lambda msg: "不接受此参数",  # a query parameter; a body field: :func:`_unknown_field_zh`
    "uuid_parsing": lambda msg: "应为 UUID",
    "date_parsing": lambda msg: "应为日期（YYYY-MM-DD）",
}
"""A Chinese sentence for each common pydantic error ``type``, from its English ``msg`` (which holds the bounds)."""

_VALUE_ERRORS_ZH: list[tuple[re.Pattern[str], str | Callable[[re.Match[str]], str]]] = [
    (re.compile(r"^(\w+) must be one of (.+) \(a published list\); got (.+)$"), r"\1 应为 \2 之一（已公布的名单年份）"),
    (re.compile(r"^(\w+) must be one of (.+); got (.+)$"), r"\1 应为 \2 之一"),
    (re.compile(r"^(\w+) must be between (\S+) and (\S+); got (.+)$"), r"\1 应在 \2 到 \3 之间"),
    (re.compile(r"^(\w+) must be at least (\S+); got (.+)$"), r"\1 至少为 \2"),
    (re.compile(r"^from \((\S+)\) is after to \((\S+)\).*$"), r"from（\1）晚于 to（\2）；应满足 from ≤ to"),
    (
        re.compile(r"^at most (\d+) firms can be removed at once; (?:got|with subsidiaries,) (\d+)$"),
        r"一次最多移除 \1 家企业；收到 \2 家（含子公司）",
    ),
    (
        re.compile(r"^(\S+) is not on the (\d+) list \(it is on no published list\): leave the list year out$"),
        r"\1 不在 \2 年名单上（不在任何已公布的名单上）：请不指定名单年份",
    ),
    (
        re.compile(
            r"^(\S+) is not on the (\d+) list \(it is on the (.+) lists?\): ask for (.+), or leave the list year out$"
        ),
        lambda m: (
            f"{m[1]} 不在 {m[2]} 年名单上（在 {m[3].replace(' and ', ' 和 ')} 年名单上）：请改用 {m[4]}"
            + "，或不指定名单年份"
        ),
    ),
    (re.compile(r"^(\w+) must be (.+); got (.+)$"), r"\1 应为 \2"),
    (
        re.compile(r"^segments must be segments of the cluster (\S+); not: (.+)$"),
        r"segments 应为集群 \1 的环节；以下不是：\2",
    ),
]
"""Chinese for chainkg's own English-only ``InvalidQuery`` messages (``queries/``), by pattern: every fact and every
piece of advice of the English (``queries.gaps.check_on_list``'s "ask for 2024, or leave the list year out")."""


def value_error_zh(msg: str) -> str | None:
    """The Chinese of an English ``InvalidQuery`` message: its Chinese half, or a known pattern; else ``None``.

    >>> value_error_zh("list_year must be one of 2022, 2024 (a published list); got 2023")
    'list_year 应为 2022、2024 之一（已公布的名单年份）'
    >>> value_error_zh("on_conflict must be fail, overwrite or keep; got 'x'")
    'on_conflict 应为 fail、overwrite 或 keep'
    >>> value_error_zh("t-ess is not on the 2022 list (it is on the 2024 list): ask for 2024, "
    ...                "or leave the list year out")
    't-ess 不在 2022 年名单上（在 2024 年名单上）：请改用 2024，或不指定名单年份'
    >>> value_error_zh("t-x is not on the 2023 list (it is on the 2022 and 2024 lists): ask for 2022 or 2024, "
    ...                "or leave the list year out")
    't-x 不在 2023 年名单上（在 2022 和 2024 年名单上）：请改用 2022 或 2024，或不指定名单年份'
    >>> value_error_zh("something new") is None
    True
    """
    half = chinese_half(msg)
    if half:
        return half
    for pattern, zh in _VALUE_ERRORS_ZH:
        if pattern.match(msg):
            return pattern.sub(zh, msg).replace(", ", "、").replace(" or ", " 或 ")
    return None


BODY_TAKES = "; the body takes "
"""What :func:`name_body_fields` adds to pydantic's ``msg`` of an unknown body field, before the fields' names."""


def _unknown_field_zh(msg: str) -> str:
    """The Chinese of an unknown body field (``extra_forbidden``), with the fields taken when ``msg`` names them.

    >>> _unknown_field_zh("Extra inputs are not permitted; the body takes remove, year, with_subsidiaries")
    '不接受此字段（可用字段：remove、year、with_subsidiaries）'
    >>> _unknown_field_zh("Extra inputs are not permitted")
    '不接受此字段'
    """
    _, takes, fields = msg.partition(BODY_TAKES)
    return "不接受此字段" + (f"（可用字段：{'、'.join(fields.split(', '))}）" if takes else "")


def issue_zh(error: Mapping[str, Any]) -> str:
    """One 422 ``errors`` item (``loc``, ``msg``, ``type``, ``input``) in Chinese: where, what is expected, the value.

    >>> issue_zh({"loc": ["query", "limit"], "msg": "Input should be less than or equal to 500",
    ...           "type": "less_than_equal", "input": "9999"})
    "查询参数 limit：应不大于 500（收到 '9999'）"
    >>> issue_zh({"loc": ["body", "0"], "msg": "JSON decode error", "type": "json_invalid"})
    '请求体：不是有效的 JSON（解析在第 0 个字符处出错）'
    >>> issue_zh({"loc": ["body", "firms"], "msg": "Extra inputs are not permitted; the body takes remove, year",
    ...           "type": "extra_forbidden"})
    '请求体字段 firms：不接受此字段（可用字段：remove、year）'
    """
    loc = [str(p) for p in error.get("loc", ())]
    msg, kind = str(error.get("msg", "")), str(error.get("type", ""))
    if kind == "json_invalid" and len(loc) == 2:
        return f"请求体：不是有效的 JSON（解析在第 {loc[1]} 个字符处出错）"
    where = _WHERE_ZH.get(loc[0], loc[0]) if loc else "请求"
    if len(loc) > 1:
        where += " " + ".".join(loc[1:])
    elif loc == ["body"]:
        where = "请求体"
    said = chinese_half(msg)  # an unknown query parameter's msg has its Chinese half (api.deps.reject_unknown_query)
    if said is None and kind == "extra_forbidden" and loc[:1] in (["body"], ["form"]):
        said = _unknown_field_zh(msg)
    elif said is None and kind in _TYPE_ZH:
        said = _TYPE_ZH[kind](msg)
    if said is None:
        said = value_error_zh(msg) or f"值无效（{msg}）"
        said = said.removeprefix(f"{loc[-1]} ") if loc else said  # "list_year 应为 ..." under 查询参数 list_year
    return f"{where}：{said}" + (f"（收到 {error['input']!r}）" if "input" in error else "")


_SLUG_ZH = {
    "internal": "服务器内部错误，详见服务器日志。",
    "config": "服务器配置有误",
    "state-corrupt": "已保存的图谱无法读取",
    "conflict": "导入检查期间图谱已被修改，请重新导入。",
    "http-400": "无法读取请求体",
    "invalid-data": "图谱数据不符合模型规则",
}
"""The Chinese of the problems whose ``detail`` has no Chinese half, by slug (503s: :data:`UNAVAILABLE_TEXTS`)."""


def detail_zh(body: Mapping[str, Any]) -> str:
    """The Chinese ``detail_zh`` of a problem body, built from its members (the same facts as its ``detail``).

    - ``not-found``: the kind, the id and the nearest ids (:func:`not_found_zh`);
    - a 422 with ``errors`` (``loc``, ``msg``, ``type``, ``input``): each parameter at fault (:func:`issue_zh`);
    - a ``detail`` with a Chinese half (``English / 中文``: 405, a path no route answers, 401, 403, 413,
      ``invalid-import``, ``cors-refused``): that half;
    - a 503, 500 or 409: what happened in Chinese, then the English ``detail`` (addresses, file names) in brackets;
    - anything else: ``请求无效：`` and the ``detail``.

    >>> detail_zh({"type": PROBLEM_TYPE_BASE + "not-found", "status": 404, "detail": "No cluster ...",
    ...            "kind": "cluster", "id": "nevv", "suggestions": ["nev"]})
    "没有编号为 'nevv' 的集群。是否要找：nev？"
    >>> detail_zh({"type": PROBLEM_TYPE_BASE + "internal", "status": 500, "detail": "An unexpected error occurred"})
    '服务器内部错误，详见服务器日志。'
    >>> detail_zh({"type": PROBLEM_TYPE_BASE + "invalid-query", "status": 422, "detail": "it is wrong"})
    '请求无效：it is wrong'
    """
    slug = str(body.get("type", "")).removeprefix(PROBLEM_TYPE_BASE)
    detail = str(body.get("detail", ""))
    status = int(body.get("status") or 500)
    if slug == "not-found" and "id" in body:
        found = body.get("found_kind")
        return not_found_zh(str(body.get("kind", "")), str(body["id"]), list(body.get("suggestions", [])), found)
    errors = [e for e in body.get("errors", ()) if isinstance(e, Mapping)]
    if errors and all("loc" in e for e in errors):
        text = "；".join(issue_zh(e) for e in errors)
        example = re.search(r"; the body must be JSON like (.+)$", detail)
        return text + (f"；请求体应为如下 JSON：{example.group(1)}" if example else "")
    half = chinese_half(detail)
    if half:
        return half
    if errors and all("message_zh" in e for e in errors):
        return f"发现 {len(errors)} 个问题：" + "；".join(str(e["message_zh"]) for e in errors)
    if slug == "graph-not-loaded":  # the page's advice says "reload this page"; a client is told how to load
        return f"{UNAVAILABLE_TEXTS[slug][0]}：请管理员先用 chainkg load 载入数据，载入后无需重启服务。（{detail}）"
    if slug in UNAVAILABLE_TEXTS:
        zh, _, advice, _ = UNAVAILABLE_TEXTS[slug]
        return f"{zh}，{advice}（{detail}）"
    if slug in ("internal", "conflict"):
        return _SLUG_ZH[slug]
    if slug in _SLUG_ZH:
        return f"{_SLUG_ZH[slug]}：{detail}"
    if slug == "invalid-query" and value_error_zh(detail):
        return f"请求无效：{value_error_zh(detail)}"
    return f"请求无效：{detail}" if status < 500 else f"服务器错误：{detail}"


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


def problem_extra(exc: ChainGraphError, query: Mapping[str, str] | None = None) -> dict[str, Any]:
    """The extension members of ``exc``'s problem body; an :class:`InvalidQuery`'s ``errors`` as a 422's.

    An :class:`InvalidQuery` that names its parameter carries one ``errors`` entry; it goes through
    :func:`validation_error`, so that it has the shape (and the cut ``input``) of a request-validation error.
    One raised without naming it, whose message starts with a parameter of the request's ``query``
    (``from (2025) is after to (2020)``), gets the entry of that parameter, with the value sent: every 422 of
    a query parameter has ``errors`` (the :class:`Problem` schema promises them), and a ``detail_zh`` naming it.

    >>> long = "x" * 100
    >>> (entry,) = problem_extra(InvalidQuery("bad kind", param="kind", value=long))["errors"]
    >>> entry["loc"], entry["msg"], entry["type"], len(entry["input"])
    (['query', 'kind'], 'bad kind', 'value_error', 81)
    >>> problem_extra(InvalidQuery("from (2025) is after to (2020)"), {"from": "2025", "to": "2020"})["errors"]
    [{'loc': ['query', 'from'], 'msg': 'from (2025) is after to (2020)', 'type': 'value_error', 'input': '2025'}]
    >>> problem_extra(InvalidQuery("nothing sent is named"), {"from": "2025"})
    {}
    """
    extra = exc.extra()
    errors = extra.get("errors")
    if isinstance(exc, InvalidQuery) and errors is None and exc.location == "query" and query:
        named = re.match(r"\w+", str(exc))
        if named and named.group(0) in query:
            name = named.group(0)
            errors = [{"loc": ["query", name], "msg": str(exc), "type": "value_error", "input": query[name]}]
            extra["errors"] = errors
    if isinstance(exc, InvalidQuery) and isinstance(errors, list):
        extra["errors"] = [validation_error(_as_sent(error, query)) for error in errors]
    return extra


def _as_sent(error: dict[str, Any], query: Mapping[str, str] | None) -> dict[str, Any]:
    """``error`` with the ``input`` of a query parameter as the client sent it: the URL's string, not the
    parsed value (``"2023"``, not ``2023``), as a request-validation error echoes it (review 13a).

    >>> _as_sent({"loc": ["query", "list_year"], "input": 2023}, {"list_year": "2023"})["input"]
    '2023'
    >>> _as_sent({"loc": ["body", "remove"], "input": 3}, {})["input"]
    3
    """
    loc = list(error.get("loc", ()))
    if query and len(loc) == 2 and loc[0] == "query" and str(loc[1]) in query and "input" in error:
        return {**error, "input": query[str(loc[1])]}
    return error


def problem_kind(exc: ChainGraphError) -> tuple[str, str]:
    """``(title, slug)`` of ``exc``'s problem: an :class:`InvalidQuery` about a body field is ``invalid-request``.

    A form field of the multipart import (``file``, ``on_conflict``, ``dry_run``) is no query parameter,
    so it is not titled "Invalid query": it is a request problem, as a bad JSON body field is.

    >>> problem_kind(InvalidQuery("send the file", param="file", location="body"))
    ('Invalid request', 'invalid-request')
    >>> problem_kind(InvalidQuery("list_year must be ...", param="list_year"))
    ('Invalid query', 'invalid-query')
    """
    if isinstance(exc, InvalidQuery) and exc.location == "body":
        return "Invalid request", "invalid-request"
    return exc.title, exc.slug


def _describe(error: dict[str, Any]) -> str:
    """``query.kind: Input should be ... (got 'mising')``: where, what was expected, and the value given.

    A body that is not JSON at all is said so, with where the parser stopped (FastAPI's ``loc`` is
    ``body.<position>``).

    >>> _describe({"loc": ["body", "0"], "msg": "JSON decode error", "type": "json_invalid"})
    'body: not JSON (JSON decode error at character 0)'
    """
    if error["type"] == "json_invalid" and len(error["loc"]) == 2:
        return f"body: not JSON ({error['msg']} at character {error['loc'][1]})"
    text = f"{'.'.join(error['loc'])}: {english_half(str(error['msg']))}"
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


def body_fields(route: Any) -> list[str]:
    """The top-level fields of ``route``'s JSON body model, by the names a client sends; ``[]`` without one.

    >>> from api.analysis_schemas import WhatIfRequest
    >>> class Route:  # POST /api/v1/what-if
    ...     class body_field:
    ...         class field_info:
    ...             annotation = WhatIfRequest
    >>> body_fields(Route())
    ['remove', 'year', 'with_subsidiaries']
    """
    field = getattr(route, "body_field", None)
    model = getattr(getattr(field, "field_info", None), "annotation", None)
    fields = getattr(model, "model_fields", None)
    if not isinstance(fields, dict):
        return []
    return [info.alias or name for name, info in fields.items()]


def name_body_fields(errors: list[dict[str, Any]], route: Any) -> list[dict[str, Any]]:
    """``errors`` with the fields the body takes added to the ``msg`` of each unknown top-level body field.

    pydantic says only "Extra inputs are not permitted" of ``{"firms": [...]}``; the client is told what to send
    instead, in ``detail`` and (:func:`issue_zh`) ``detail_zh``.

    >>> from api.analysis_schemas import WhatIfRequest
    >>> class Route:
    ...     class body_field:
    ...         class field_info:
    ...             annotation = WhatIfRequest
    >>> [error] = name_body_fields([{"loc": ["body", "firms"], "msg": "Extra inputs are not permitted",
    ...                              "type": "extra_forbidden"}], Route())
    >>> error["msg"]
    'Extra inputs are not permitted; the body takes remove, year, with_subsidiaries'
    """
    fields = body_fields(route)
    if not fields:
        return errors
    return [
        {**error, "msg": f"{error['msg']}{BODY_TAKES}{', '.join(fields)}"}
        if error["type"] == "extra_forbidden" and len(error["loc"]) == 2 and error["loc"][0] == "body"
        else error
        for error in errors
    ]


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
{% for item in items %}<li data-param="{{ item.name }}"{% if item.unknown %} class="unknown-parameter"{% endif %}>
{% if item.unknown -%}
<p>本页没有参数 <code>{{ item.name }}</code>
{%- if item.takes %}（可用参数：{{ item.takes|join("、") }}）{% else %}（本页不接受查询参数）{% endif %}
{%- if item.near %}；是否应为 <code>{{ item.near|join(" 或 ") }}</code>？{% else %}。{% endif %}
This page takes no parameter <code>{{ item.name }}</code>
{%- if item.takes %} (it takes {{ item.takes|join(", ") }}){% else %} (it takes no query parameters){% endif %}
{%- if item.near %}; did you mean <code>{{ item.near|join(" or ") }}</code>?{% else %}.{% endif %}</p>
{%- else -%}
<p>参数 <code>{{ item.name }}</code> 的值 <code>{{ item.value }}</code> 无效
{%- if item.accepted %}：{{ item.accepted[0] }}{% endif %}。
Parameter <code>{{ item.name }}</code>: <code>{{ item.value }}</code> is not accepted
{%- if item.accepted %}; it takes {{ item.accepted[1] }}{% endif %}.</p>
<p class="en">{{ item.msg }}</p>
{%- endif %}</li>
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
    union = isinstance(annotation, types.UnionType) or typing.get_origin(annotation) is typing.Union
    options = typing.get_args(annotation) if union else (annotation,)
    literal = [a for a in options if typing.get_origin(a) is typing.Literal]
    enum = info.json_schema_extra.get("enum") if isinstance(info.json_schema_extra, dict) else None
    for option in options:  # PublishedYear: Annotated[int, WithJsonSchema({..., "enum": [2022, 2024]})]
        for meta in getattr(option, "__metadata__", ()):
            if isinstance(meta, WithJsonSchema) and isinstance(meta.json_schema, dict):
                enum = enum or meta.json_schema.get("enum")
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
    """The bilingual 422 page of an HTML route: each parameter at fault, the value given and what it accepts.

    A parameter the page does not take (``type`` ``extra_forbidden``, from :func:`api.deps.reject_unknown_query`)
    is said so, with the parameters the page takes and the near ones.
    """
    from api.routes.views import SECURITY_HEADERS  # the routes import this module
    from reports.html import report_csp, report_css

    params = {f.alias: f for f in route.dependant.query_params + route.dependant.path_params}
    takes = query_names(route)
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
                "unknown": error.get("type") == "extra_forbidden" and field is None,
                "takes": takes,
                "near": near_names(name, takes),
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


def accepts_json_only(accept: str) -> bool:
    """Whether an ``Accept`` header asks for JSON and not for HTML.

    It names ``application/json``, ``application/problem+json`` or another ``+json`` type, and not
    ``text/html`` (a range with ``q=0`` is refused, so it does not count). A browser's header names
    ``text/html``; ``*/*`` or no header asks for nothing in particular: both keep the HTML pages.

    >>> accepts_json_only("application/json"), accepts_json_only("application/problem+json, */*;q=0.5")
    (True, True)
    >>> accepts_json_only("text/html,application/xhtml+xml,application/json;q=0.9"), accepts_json_only("*/*")
    (False, False)
    >>> accepts_json_only("application/json, text/html;q=0")
    True
    """
    wanted = []
    for part in accept.lower().split(","):
        media, *params = (piece.strip() for piece in part.split(";"))
        weight = next((value for name, _, value in (p.partition("=") for p in params) if name.strip() == "q"), "1")
        try:
            refused = float(weight) <= 0
        except ValueError:
            refused = False
        if media and not refused:
            wanted.append(media)
    json_type = any(m == "application/json" or (m.startswith("application/") and m.endswith("+json")) for m in wanted)
    return json_type and "text/html" not in wanted


def wants_json(request: Request) -> bool:
    """Whether the client asks for JSON only (:func:`accepts_json_only`): an HTML route then answers its 404, 422
    and 503 with problem+json, as ``/api/v1`` does, instead of its HTML page."""
    return accepts_json_only(request.headers.get("accept", ""))


def json_content_type(request: Request) -> None:
    """Refuse (422) a body that is not sent as JSON: the dependency of ``POST /api/v1/what-if``.

    FastAPI reads a body as JSON only when its ``Content-Type`` is ``application/json`` (or ``+json``); without
    it (``text/plain`` is what ``fetch`` sends for a string body with no header) the body was left unread and
    the 422 said "the body must be JSON like ..." of a body that was exactly that JSON. This 422 names the
    header to send and the one received (``errors[].loc`` ``["header", "content-type"]``).

    >>> from starlette.requests import Request
    >>> def sent(*content_type):
    ...     return Request({"type": "http", "method": "POST", "path": "/api/v1/what-if",
    ...                     "headers": [(b"content-type", t.encode()) for t in content_type]})
    >>> json_content_type(sent("application/json; charset=utf-8")) is None
    True
    >>> try:
    ...     json_content_type(sent("text/plain;charset=UTF-8"))
    ... except RequestValidationError as err:
    ...     (error,) = err.errors()
    ...     print(error["loc"], error["input"])
    ('header', 'content-type') text/plain;charset=UTF-8
    """
    sent = request.headers.get("content-type")
    media = (sent or "").split(";")[0].strip().lower()
    if media == "application/json" or (media.startswith("application/") and media.endswith("+json")):
        return
    route = request.scope.get("route")
    example = body_example(getattr(route, "original_route", route)) if route is not None else None
    like = f", like {example}" if example else ""
    error: dict[str, Any] = {
        "loc": ("header", "content-type"),
        "msg": f"send the body as JSON, with Content-Type: application/json{like} "
        "/ 请求体须为 JSON，并以 Content-Type: application/json 发送",
        "type": "value_error" if sent else "missing",
        "input": sent,
    }
    raise RequestValidationError([error])


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

HTTP_TITLES = {
    400: "Bad request",
    404: "Not found",
    405: "Method not allowed",
    413: "Payload too large",
}
"""The ``title`` of a problem the framework raises (no route, a method the route does not answer, ...)."""

ENTRY_POINTS = (
    "/api/v1/clusters",
    "/api/v1/gaps",
    "/api/v1/targets",
    "/api/v1/firms",
    "/api/v1/search?q=",
    "/health",
    "/openapi.json",
    "/docs",
    "/views/overview",
    "/reports/summary",
    "/",
)
"""Where the API starts: what a 404 for a path no route answers points to."""


def _route_templates(app: Any) -> dict[str, set[str]]:
    """``{path template: methods}`` of every documented route of ``app`` (``/api/v1/clusters/{cluster_id}``)."""
    spec = app.openapi()
    return {
        path: {method.upper() for method in item if method in ("get", "post", "put", "patch", "delete")}
        for path, item in spec.get("paths", {}).items()
    }


def _matches(template: str, path: str) -> bool:
    """Whether ``path`` is an instance of the route ``template`` (each ``{name}`` one path segment)."""
    pattern = "".join(
        "[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]+\})", template)
    )
    return re.fullmatch(pattern, path) is not None


NEAR_SEGMENT_CUTOFF = 0.6
"""How alike a mistyped path segment must be to a route's (``difflib``'s ratio: ``gapz``/``gaps`` 0.75)."""


def near_routes(path: str, templates: list[str], *, limit: int = 3) -> list[str]:
    """The routes nearest to a path no route answers, with the path's own ids put in (most alike first).

    A route is near when the path has its shape, each ``{name}`` standing for the path's segment there, and
    at most two of its fixed segments are mistyped (each at least :data:`NEAR_SEGMENT_CUTOFF` alike), or
    when the path is the route, unchanged, with one segment more; routes without ids are also compared whole.

    Examples
    --------
    >>> routes = ["/api/v1/clusters", "/api/v1/clusters/{cluster_id}/gaps", "/api/v1/firms/{firm_id}"]
    >>> near_routes("/api/v1/clusters/nev/gapz", routes)
    ['/api/v1/clusters/nev/gaps']
    >>> near_routes("/api/v1/firm/catl", routes), near_routes("/api/v1/firms/catl/extra", routes)
    (['/api/v1/firms/catl'], ['/api/v1/firms/catl'])
    >>> near_routes("/api/v1/cluster", routes), near_routes("/api/v1/nothing/here", routes)
    (['/api/v1/clusters'], [])
    """
    parts = (path.rstrip("/") or "/").split("/")
    scored: dict[str, float] = {}
    for template in templates:
        fixed = template.split("/")
        if len(parts) not in (len(fixed), len(fixed) + 1):
            continue
        given = parts[: len(fixed)]
        score, mistyped = (1.0 if len(parts) == len(fixed) else 0.7), 0
        for want, got in zip(fixed, given, strict=True):
            if want.startswith("{") or want == got:
                continue
            ratio = difflib.SequenceMatcher(None, want, got).ratio()
            mistyped += 1
            score *= ratio
            if ratio < NEAR_SEGMENT_CUTOFF or mistyped > 2 or len(parts) > len(fixed):
                break
        else:
            if len(parts) == len(fixed) and not mistyped:
                continue  # the path is this route: it was refused for another reason
            filled = "/".join(got if want.startswith("{") else want for want, got in zip(fixed, given, strict=True))
            scored[filled] = max(score, scored.get(filled, 0.0))
    plain = [t for t in templates if "{" not in t]  # a template with ids is no path to suggest as it is
    for whole in difflib.get_close_matches(path.rstrip("/") or "/", plain, n=limit, cutoff=0.8):
        scored.setdefault(whole, difflib.SequenceMatcher(None, whole, path).ratio())
    return sorted(scored, key=lambda route: (-scored[route], route))[:limit]


def unknown_route(request: Request) -> tuple[str, dict[str, Any]]:
    """The detail and extra members of a 404 for a path no route answers: the nearest routes, the entry points.

    >>> from fastapi import FastAPI
    >>> from starlette.requests import Request
    >>> app = FastAPI()
    >>> @app.get("/api/v1/clusters")
    ... def clusters() -> None: ...
    >>> detail, extra = unknown_route(Request({"type": "http", "app": app, "path": "/api/v1/cluster",
    ...                                        "method": "GET", "headers": []}))
    >>> extra["suggestions"], extra["entry_points"][:2]
    (['/api/v1/clusters'], ['/api/v1/clusters', '/api/v1/gaps'])
    """
    path = request.url.path
    near = near_routes(path, list(_route_templates(request.app)))
    detail = (
        f"No route {request.method} {path}. The API starts at /api/v1/clusters; every route is listed in "
        "/openapi.json and /docs; the pages start at the home page (/), /views/overview and /reports/summary."
    )
    zh = (
        "没有此路径；接口入口为 /api/v1/clusters，全部路径见 /openapi.json 或 /docs，"
        "页面见首页（/）或 /views/overview。"
    )
    if near:
        detail += f" Did you mean: {', '.join(near)}?"
        zh += f"是否应为 {'、'.join(near)}？"
    return f"{detail} / {zh}", {"suggestions": near, "entry_points": list(ENTRY_POINTS)}


def method_not_allowed(request: Request, allow: str) -> str:
    """The detail of a 405: the methods the route answers and, for a POST route, the body it expects.

    >>> from fastapi import FastAPI
    >>> from starlette.requests import Request
    >>> print(method_not_allowed(Request({"type": "http", "app": FastAPI(), "path": "/api/v1/what-if",
    ...                                    "method": "GET", "headers": []}), "POST"))
    GET is not allowed on /api/v1/what-if: it answers POST only. / /api/v1/what-if 不支持 GET，只接受 POST。
    """
    path, method = request.url.path, request.method
    methods = [m.strip() for m in allow.split(",") if m.strip()]
    if "GET" in methods and "HEAD" not in methods:
        methods.append("HEAD")  # every GET route answers HEAD (api/head.py), as the `Allow` header says
    shown = ", ".join(methods) or "other methods"
    detail = f"{method} is not allowed on {path}: it answers {shown} only."
    if "POST" in methods:
        route = next(
            (
                r
                for r in _api_routes(request.app.routes)
                if "POST" in (r.methods or ()) and _matches(getattr(r, "path_format", ""), path)
            ),
            None,
        )
        example = body_example(getattr(route, "original_route", route)) if route is not None else None
        if example:
            detail += f" Send POST with a JSON body like {example}."
    return f"{detail} / {path} 不支持 {method}，只接受 {'、'.join(methods) or '其他方法'}。"


def _api_routes(routes: list[Any]) -> list[Any]:
    """The routes of ``routes``, those of included routers too (a recent FastAPI keeps a router whole)."""
    walk = getattr(fastapi_routing, "iter_route_contexts", iter)
    return list(walk(list(routes)))


def page_not_found(app: Any, path: str) -> JSONResponse | None:
    """The problem+json 404 of the HTML page at ``path`` (``/views/clusters/nevv``), as ``/api/v1`` answers it.

    The page's id is looked up again (``queries.lookup.require``, as the page did), so the body has the
    ``kind``, ``id`` and ``suggestions`` of the API's 404; ``None`` when ``path`` is no page of one id, or the
    id is found after all (the page is then left as it was).
    """
    from graph.model import NodeKind
    from queries.lookup import require

    for template in _route_templates(app):
        names = re.findall(r"\{([^}]+)\}", template)
        if not template.startswith(tuple(HTML_PAGE_HOMES)) or len(names) != 1 or not _matches(template, path):
            continue
        before, after = template.split("{" + names[0] + "}")
        node_id = path[len(before) : len(path) - len(after)]
        try:
            kind = NodeKind(names[0].removesuffix("_id").capitalize())
            require(app.state.store, node_id, kind)
        except NodeNotFound as exc:
            title, slug = problem_kind(exc)
            return problem(exc.status, title, str(exc), path, slug, **problem_extra(exc))
        except (ValueError, ChainGraphError):  # no kind of node, or the store went down meanwhile
            return None
        return None
    return None


def _header(message: Message, name: bytes) -> str:
    """The value of the header ``name`` (lower case) of a ``http.response.start`` message, ``""`` without it."""
    found = next((v for k, v in message.get("headers", []) if k.lower() == name), b"")
    return bytes(found).decode("latin-1")


class PageNotFoundAsProblem:
    """ASGI middleware: the HTML 404 page of ``/views`` and ``/reports`` as problem+json when the client asks
    for JSON only (:func:`accepts_json_only`), as their 422 and 503 are; a browser keeps the page.

    The pages' routes answer an unknown id with their page themselves; this turns that answer, and only it,
    into the ``/api/v1`` body (:func:`page_not_found`), with the ``suggestions`` a script can read.

    Parameters
    ----------
    app : ASGI app
        The app to wrap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        path = str(scope.get("path", ""))
        if (
            scope["type"] != "http"
            or scope["method"] not in ("GET", "HEAD")
            or not path.startswith(tuple(HTML_PAGE_HOMES))
            or not accepts_json_only(Headers(scope=scope).get("accept", ""))
        ):
            await self.app(scope, receive, send)
            return
        held: list[Message] = []

        async def send_negotiated(message: Message) -> None:
            if message["type"] == "http.response.start":
                if message["status"] == 404 and _header(message, b"content-type").startswith("text/html"):
                    held.append(message)
                    return
            elif held:
                held.append(message)
                if message.get("more_body", False):
                    return
                response = await run_in_threadpool(page_not_found, scope["app"], path)
                if response is None:
                    for kept in held:
                        await send(kept)
                    return
                await send({"type": "http.response.start", "status": 404, "headers": response.raw_headers})
                await send({"type": "http.response.body", "body": b"" if scope["method"] == "HEAD" else response.body})
                return
            await send(message)

        await self.app(scope, receive, send_negotiated)


def is_preflight(headers: Any) -> bool:
    """Whether a request's headers are those of a browser's CORS preflight (``Origin`` and the method asked)."""
    return "origin" in headers and "access-control-request-method" in headers


def cors_refused(
    origin: str,
    failures: list[str],
    *,
    method: str = "",
    allowed: str = "",
    closed: bool = False,
    requested_headers: str = "",
    allowed_headers: str = "",
) -> str:
    """The detail of a refused CORS preflight: what is not allowed and how to allow the origin.

    ``failures`` are Starlette's (``origin``, ``method``, ``headers``, ``private-network``); ``closed``: the
    server has no ``CHAINKG_CORS_ORIGINS`` at all.

    >>> print(cors_refused("http://evil.example", ["origin"]).split(" / ")[0])  # doctest: +NORMALIZE_WHITESPACE
    The origin http://evil.example may not call this API from a browser: cross-origin requests (CORS) are allowed
    only from the origins listed in CHAINKG_CORS_ORIGINS. To allow it, add it to CHAINKG_CORS_ORIGINS
    (comma-separated) and restart the server; see docs/reliability.md.
    """
    origin = origin if len(origin) <= MAX_INPUT_CHARS else origin[:MAX_INPUT_CHARS] + "…"
    en: list[str] = []
    zh: list[str] = []
    if "origin" in failures and closed:
        en.append(
            f"The origin {origin} may not call this API from a browser: cross-origin requests (CORS) are closed on "
            "this server (CHAINKG_CORS_ORIGINS is not set). To allow it, set CHAINKG_CORS_ORIGINS to it "
            "(comma-separated for several) and restart the server; see docs/reliability.md."
        )
        zh.append(
            "本服务未开放跨域访问（未设置 CHAINKG_CORS_ORIGINS）；"
            f"如需允许来源 {origin}，请设置该变量（多个以逗号分隔）并重启服务。"
        )
    elif "origin" in failures:
        en.append(
            f"The origin {origin} may not call this API from a browser: cross-origin requests (CORS) are allowed "
            "only from the origins listed in CHAINKG_CORS_ORIGINS. To allow it, add it to CHAINKG_CORS_ORIGINS "
            "(comma-separated) and restart the server; see docs/reliability.md."
        )
        zh.append(
            f"来源 {origin} 不在 CHAINKG_CORS_ORIGINS 之列，不能跨域调用本接口；"
            "如需允许，请将其加入该变量（逗号分隔）并重启服务。"
        )
    if "method" in failures:
        en.append(f"The method {method} is not allowed cross-origin (allowed: {allowed or 'none'}).")
        zh.append(f"跨域请求不允许方法 {method}。")
    if "headers" in failures:
        en.append(f"A requested header ({requested_headers}) is not allowed cross-origin (allowed: {allowed_headers}).")
        zh.append(f"跨域请求不允许请求头 {requested_headers}。")
    if "private-network" in failures:
        en.append("Private-network access is not allowed.")
        zh.append("不允许私有网络访问。")
    return " ".join(en or ["The CORS preflight is refused."]) + " / " + "".join(zh or ["跨域预检被拒绝。"])


class CorsRefusalAsProblem:
    """ASGI middleware: a refused CORS preflight as problem+json (``cors-refused``), not Starlette's plain text.

    Starlette's ``CORSMiddleware`` answers a preflight it refuses with a 400 ``text/plain`` "Disallowed CORS
    origin"; this keeps the status and the ``Access-Control-*`` headers and sends a problem saying what is not
    allowed and how to allow the origin (:func:`cors_refused`). It must wrap the CORS middleware.

    Parameters
    ----------
    app : ASGI app
        The app to wrap.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        headers = Headers(scope=scope) if scope["type"] == "http" else None
        if headers is None or scope["method"] != "OPTIONS" or not is_preflight(headers):
            await self.app(scope, receive, send)
            return
        start: Message | None = None
        text = b""

        async def send_problem(message: Message) -> None:
            nonlocal start, text
            if message["type"] == "http.response.start":
                if message["status"] == 400 and _header(message, b"content-type").startswith("text/plain"):
                    start = message
                    return
            elif start is not None:
                text += message.get("body", b"")
                if message.get("more_body", False):
                    return
                said = text.decode("utf-8", "replace")
                failures = said.removeprefix("Disallowed CORS ").split(", ") if said.startswith("Disallowed") else []
                detail = cors_refused(
                    headers.get("origin", ""),
                    failures,
                    method=headers.get("access-control-request-method", ""),
                    allowed=_header(start, b"access-control-allow-methods"),
                    requested_headers=headers.get("access-control-request-headers", ""),
                    allowed_headers=_header(start, b"access-control-allow-headers"),
                )
                response = problem(400, "CORS request refused", detail, str(scope.get("path", "")), "cors-refused")
                kept = [
                    (k, v) for k, v in start.get("headers", []) if k.lower() not in (b"content-type", b"content-length")
                ]
                await send({**start, "headers": [*kept, *response.raw_headers]})
                await send({"type": "http.response.body", "body": response.body})
                return
            await send(message)

        await self.app(scope, receive, send_problem)


def install(app: FastAPI) -> None:
    """Register the handlers on ``app``, and document their bodies in its OpenAPI (:func:`document_problems`).

    Also wraps the app in :class:`PageNotFoundAsProblem` and :class:`CorsRefusalAsProblem` (outside the CORS
    middleware that :func:`api.security.install` adds before).
    """
    amend_openapi(app, document_problems)
    app.add_middleware(PageNotFoundAsProblem)
    app.add_middleware(CorsRefusalAsProblem)

    @app.exception_handler(ChainGraphError)
    async def _chain(request: Request, exc: ChainGraphError) -> Response:
        if exc.status >= 500:
            log.warning("%s on %s: %s", type(exc).__name__, request.url.path, exc)
        extra = problem_extra(exc, request.query_params)
        page = html_page_route(request)
        if page is not None and isinstance(exc, InvalidQuery) and extra.get("errors") and not wants_json(request):
            return invalid_parameter_page(request, page, extra["errors"])
        if page is not None and isinstance(exc, StoreUnavailable) and wants_html(request):
            return unavailable_page(exc)
        title, slug = problem_kind(exc)
        return problem(exc.status, title, str(exc), request.url.path, slug, **extra)

    @app.exception_handler(RequestValidationError)
    async def _validation(request: Request, exc: RequestValidationError) -> Response:
        errors = name_body_fields([validation_error(e) for e in exc.errors()], request.scope.get("route"))
        page = html_page_route(request)
        if page is not None and errors and not wants_json(request):
            return invalid_parameter_page(request, page, errors)
        detail = validation_detail(errors, request.scope.get("route"))
        return problem(422, "Invalid request", detail, request.url.path, "invalid-request", errors=errors)

    @app.exception_handler(StarletteHTTPException)
    async def _http(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        status = exc.status_code
        title, slug = HTTP_TITLES.get(status, "Error"), f"http-{status}"
        detail, extra = str(exc.detail), {}
        if status == 404 and detail == "Not Found":  # no route matched the path
            detail, extra = unknown_route(request)
        elif status == 405 and request.method == "OPTIONS" and is_preflight(request.headers):
            # a browser's preflight while CORS is closed (no CHAINKG_CORS_ORIGINS, so no CORS middleware)
            detail = cors_refused(request.headers.get("origin", ""), ["origin"], closed=True)
            title, slug = "CORS request refused", "cors-refused"
        elif status == 405 and detail == "Method Not Allowed":
            detail = method_not_allowed(request, (exc.headers or {}).get("Allow", ""))
        response = problem(status, title, detail, request.url.path, slug, **extra)
        response.headers.update(exc.headers or {})  # e.g. the `Allow` header a 405 must carry (RFC 9110)
        return response

    @app.exception_handler(Exception)
    async def _unexpected(request: Request, exc: Exception) -> JSONResponse:
        log.exception("unhandled error on %s", request.url.path)
        return problem(
            500, "Internal error", "An unexpected error occurred; see the server log.", request.url.path, "internal"
        )
