"""Dependencies shared by the routers: the store, the settings and the refusal of unknown query parameters."""

from __future__ import annotations

import difflib
from typing import Annotated, Any

from fastapi import Depends, Query, Request
from fastapi.exceptions import RequestValidationError
from pydantic import WithJsonSchema

from chainkg.settings import Settings
from graph.errors import GraphNotLoaded
from graph.store import GraphStore, empty_store_message
from queries.places import narrow_to_hq


def get_store(request: Request) -> GraphStore:
    """The store opened at start-up (one per process)."""
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]
PUBLISHED_YEARS = (2022, 2024)
"""The years of the published cluster lists a ``list_year`` takes."""
PublishedYear = Annotated[int, WithJsonSchema({"type": "integer", "enum": list(PUBLISHED_YEARS)})]
"""A published list's year: an ``int`` (the queries' own check says ``list_year must be one of ...``) whose
schema names the two years, inside the nullable ``anyOf`` of ``PublishedYear | None``, so that its default
``null`` is valid."""

NOT_LOADED_NOTE = "the running API serves it from the next request on, without a restart"
"""What follows the CLI's "load one first: ..." in the API's answer: a load is picked up while it runs."""


def not_loaded_message(store: GraphStore) -> str | None:
    """Why ``store`` has nothing to answer with, and how to load a graph; ``None`` when it holds one.

    Only a Neo4j database that ``chainkg load`` never filled is empty (the CLI's test, one small read).
    """
    message = empty_store_message(store)
    return f"{message} ({NOT_LOADED_NOTE})" if message else None


def require_loaded_graph(store: StoreDep) -> None:
    """Answer 503 ``graph-not-loaded`` for a route that reads the graph while the store holds none.

    On an empty Neo4j database every id would be a 404 ("No cluster with id 'nev'") and every list
    empty, which sends a client looking for a typo instead of to the load. Checked on every request,
    so a graph loaded while the API runs is served at once. On Neo4j the check costs no round trip of its
    own: it reads the data version the request already read (:class:`api.caching.OneMetaRead`).
    """
    message = not_loaded_message(store)
    if message:
        raise GraphNotLoaded(message)


GraphLoaded = Depends(require_loaded_graph)
"""The dependency to put on every route that reads the graph (not ``/health``, not the import)."""


def page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """The body of a paged list: ``items`` from ``offset``, at most ``limit`` of them, and the ``total``.

    >>> page([{"id": 1}, {"id": 2}, {"id": 3}], limit=1, offset=1)
    {'items': [{'id': 2}], 'total': 3, 'limit': 1, 'offset': 1}
    """
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}


HqFilter = Annotated[
    str | None,
    Query(
        min_length=1,
        max_length=100,
        description="Only firms headquartered there: part of `hq` or `hq_en` (`深圳`, `上海`, `Shenzhen`; "
        "深圳市 reads as 深圳; traditional characters and case are folded, as in search). Ranks stay those of "
        "the whole list; `hq_unknown` counts the firms of the whole list the data give no headquarters for",
    ),
]
"""The ``hq`` filter of the lists of outside firms (:func:`queries.places.headquartered_in`)."""


def hq_page(items: list[dict[str, Any]], hq: str | None, limit: int, offset: int) -> dict[str, Any]:
    """:func:`page` of the firms headquartered in ``hq`` (all of them without it), with ``hq_unknown``: how many
    firms of the whole list have no ``hq`` in the data (null without ``hq``).

    >>> firms = [{"firm_id": "a", "hq": "深圳", "hq_en": "Shenzhen"}, {"firm_id": "b", "hq": "", "hq_en": ""}]
    >>> shenzhen = hq_page(firms, "深圳", 10, 0)
    >>> shenzhen["total"], shenzhen["hq_unknown"], hq_page(firms, None, 10, 0)["hq_unknown"]
    (1, 1, None)
    """
    kept, unknown = narrow_to_hq(items, hq)
    return {**page(kept, limit, offset), "hq_unknown": unknown}


def query_names(route: Any) -> list[str]:
    """The query parameters ``route`` declares (its own and its dependencies'), by the name a client sends.

    >>> from fastapi import FastAPI
    >>> app = FastAPI()
    >>> @app.get("/gaps")
    ... def gaps(cluster: str | None = None, limit: int = 50) -> None: ...
    >>> query_names(app.routes[-1])
    ['cluster', 'limit']
    """
    names: list[str] = []
    pending = [getattr(route, "dependant", None)]
    while pending:
        dependant = pending.pop(0)
        if dependant is None:
            continue
        names += [str(field.alias) for field in dependant.query_params if field.alias not in names]
        pending += dependant.dependencies
    return names


NOT_VARIANTS = frozenset({("list_year", "year"), ("year", "list_year")})
"""``(given, declared)`` pairs that are two parameters of the API, not a typo of each other: ``list_year`` (a
published list) sent to a page that takes only ``year`` (the as-of year) is not a misspelt ``year``."""


def near_names(name: str, names: list[str]) -> list[str]:
    """The declared names ``name`` is probably a typo or a variant of, best first (at most 3).

    A name that contains a declared one, or is contained in it, counts (``cluster_id`` → ``cluster``,
    ``segments`` → ``segment``), and so do close spellings (``yeer`` → ``year``); a pair of :data:`NOT_VARIANTS`
    does not (review 12: a brief given ``list_year`` suggested ``year``, another meaning).

    >>> near_names("cluster_id", ["cluster", "year", "kind", "list_year"])
    ['cluster']
    >>> near_names("yeer", ["cluster", "year", "list_year"])
    ['year']
    >>> near_names("zzz", ["cluster", "year"])
    []
    >>> near_names("list_year", ["year", "top"]), near_names("list_yeer", ["year", "list_year"])
    ([], ['list_year'])
    """
    folded = name.lower().replace("-", "_")
    close = difflib.get_close_matches(folded, names, n=3, cutoff=0.6)
    inside = [n for n in names if min(len(n), len(folded)) >= 3 and (n in folded or folded in n) and n not in close]
    return [n for n in inside + close if (folded, n) not in NOT_VARIANTS][:3]


def form_fields(route: Any) -> list[str]:
    """The multipart form fields ``route`` documents in its ``openapi_extra`` (``POST /api/v1/imports``).

    >>> class Route:
    ...     openapi_extra = {"requestBody": {"content": {"multipart/form-data": {"schema": {"properties": {
    ...         "file": {}, "dry_run": {}}}}}}}
    >>> form_fields(Route())
    ['file', 'dry_run']
    """
    extra = getattr(route, "openapi_extra", None) or {}
    content = extra.get("requestBody", {}).get("content", {})
    schema = content.get("multipart/form-data", {}).get("schema", {})
    return list(schema.get("properties", {}))


def unknown_parameter_message(name: str, route: Any) -> str:
    """What a 422 says about the query parameter ``name`` that ``route`` does not take, in English and Chinese.

    >>> from fastapi import FastAPI
    >>> app = FastAPI()
    >>> @app.get("/gaps")
    ... def gaps(cluster: str | None = None, year: int | None = None) -> None: ...
    >>> en, zh = unknown_parameter_message("cluster_id", app.routes[-1]).split(" / ")
    >>> en
    'unknown parameter; this route takes: cluster, year; did you mean cluster?'
    >>> zh
    '未知参数；本接口可用参数：cluster、year；是否应为 cluster？'
    """
    return unknown_parameter_text(name, query_names(route), form_fields(route))


def unknown_parameter_text(name: str, names: list[str], form: list[str] | None = None) -> str:
    """:func:`unknown_parameter_message` for a route that takes the query parameters ``names`` and the multipart
    form fields ``form``: what the OpenAPI document's examples say too (:func:`api.problems.invalid_request_example`).

    >>> unknown_parameter_text("lang", [])
    'unknown parameter; this route takes no query parameters / 未知参数；本接口不接受查询参数'
    """
    near = near_names(name, names)
    if names:
        en = "unknown parameter; this route takes: " + ", ".join(names)
        zh = "未知参数；本接口可用参数：" + "、".join(names)
    else:
        en, zh = "unknown parameter; this route takes no query parameters", "未知参数；本接口不接受查询参数"
    if name in (form or ()):
        en += f"; {name} is a field of the multipart form body, not a query parameter"
        zh += f"；{name} 是 multipart 表单中的字段，不是查询参数"
    elif near:
        en += f"; did you mean {' or '.join(near)}?"
        zh += f"；是否应为 {' 或 '.join(near)}？"
    return f"{en} / {zh}"


def id_filter(description: str) -> Any:
    """An optional id filter of a list (``?cluster=nev``): 1 to 200 characters.

    A blank one (``?cluster=``) is a 422 naming it on every route alike (review 15b: it was ignored by
    ``/api/v1/firms``, a 404 "No cluster with id ''" on ``/api/v1/gaps``); leave it out to filter nothing.
    """
    return Annotated[str | None, Query(min_length=1, max_length=200, description=description)]


MAX_UNKNOWN_LISTED = 20
"""How many unknown query parameters a 422 names one by one; one more entry counts the rest (a request with
2,000 of them had answered 1.2 MB)."""


def reject_unknown_query(request: Request) -> None:
    """Answer 422 when the query string holds a parameter the matched route does not declare.

    FastAPI ignores unknown query keys, so ``/api/v1/gaps?cluster_id=nev`` (the filter is ``cluster``)
    answered every cluster's gaps as if filtered. Each unknown key becomes one ``errors`` entry
    (``loc`` ``["query", name]``, ``type`` ``extra_forbidden``, the value as ``input``) whose message lists
    the parameters the route takes and the near ones; the handlers in :mod:`api.problems` answer it as
    any bad parameter (problem+json ``invalid-request``, or the HTML 422 page of ``/reports`` and ``/views``).
    Routes left out of the OpenAPI document (the ``/views`` redirect) are not checked.

    >>> from fastapi import FastAPI
    >>> from fastapi.testclient import TestClient
    >>> app = FastAPI(dependencies=[StrictQuery])
    >>> @app.get("/gaps")
    ... def gaps(cluster: str | None = None) -> dict[str, str | None]:
    ...     return {"cluster": cluster}
    >>> answer = TestClient(app).get("/gaps?cluster_id=nev")
    >>> answer.status_code, answer.json()["detail"][0]["loc"]
    (422, ['query', 'cluster_id'])
    """
    route = request.scope.get("route")
    if route is None or not getattr(route, "include_in_schema", True):
        return
    declared = set(query_names(route))
    unknown = [name for name in dict.fromkeys(request.query_params.keys()) if name not in declared]
    if unknown:
        errors: list[dict[str, Any]] = [
            {
                "loc": ("query", name),
                "msg": unknown_parameter_message(name, route),
                "type": "extra_forbidden",
                "input": request.query_params.get(name),
            }
            for name in unknown[:MAX_UNKNOWN_LISTED]
        ]
        if len(unknown) > MAX_UNKNOWN_LISTED:
            more = len(unknown) - MAX_UNKNOWN_LISTED
            errors.append(
                {
                    "loc": ("query",),
                    "msg": f"{more} more unknown parameters, not listed / 另有 {more} 个未知参数，未逐一列出",
                    "type": "extra_forbidden",
                    "input": more,
                }
            )
        raise RequestValidationError(errors)


StrictQuery = Depends(reject_unknown_query)
"""The dependency that refuses unknown query parameters (:func:`reject_unknown_query`); on every router but /health."""
