"""Keep the null fields of the response examples in the OpenAPI document.

FastAPI writes its OpenAPI document with ``exclude_none=True``, which drops every ``null`` anywhere
in it, the examples included: the ``Chain`` example lost its ``"year": null``, a ``GapItem`` its
``"parent_id": null``, so a client reading the document could not tell that those fields are always
there and sometimes null. :func:`install` puts each model's own example back in its schema.

A model's example is shown under every route that answers with it, so where two routes share a model
(``GapList`` for the gaps of every cluster and of one) it could be true of only one of them. A route
named in a ``ROUTE_EXAMPLES`` table of an ``api`` module (:func:`route_examples`) shows its own example
instead, in its 200 answer (:func:`attach_route_examples`).

Examples
--------
>>> without_nulls({"id": "nev", "parent_id": None, "items": [{"year": None, "n": 1}]})
{'id': 'nev', 'items': [{'n': 1}]}
"""

from __future__ import annotations

import copy
import sys
from collections.abc import Callable, Iterator
from typing import Any

from fastapi import FastAPI
from pydantic import BaseModel

API_PACKAGE = "api"
"""The package whose models document the examples (``api.schemas``, ``api.routes.imports``, ...)."""


def without_nulls(value: Any) -> Any:
    """``value`` with every ``None`` member of an object left out, recursively (what FastAPI's document keeps)."""
    if isinstance(value, dict):
        return {key: without_nulls(item) for key, item in value.items() if item is not None}
    if isinstance(value, list):
        return [without_nulls(item) for item in value]
    return value


def _subclasses(cls: type[BaseModel]) -> Iterator[type[BaseModel]]:
    for sub in cls.__subclasses__():
        yield sub
        yield from _subclasses(sub)


def api_models(package: str = API_PACKAGE) -> Iterator[type[BaseModel]]:
    """Every pydantic model defined in ``package`` or one of its modules."""
    for model in _subclasses(BaseModel):
        if model.__module__ == package or model.__module__.startswith(package + "."):
            yield model


def schema_names(model: type[BaseModel]) -> tuple[str, str]:
    """The names FastAPI may give ``model``'s schema: ``Chain``, or ``api__schemas__Chain`` if two share a name."""
    return model.__name__, model.__module__.replace(".", "__") + "__" + model.__name__


def model_examples(package: str = API_PACKAGE) -> dict[str, Any]:
    """The example of every model of ``package`` that shows one, under each name its schema may have.

    FastAPI names a schema after its model (``Chain``), or after its module and model when two models
    share a name (``api__schemas__Chain``, were two models named ``Chain``); both names are given.
    """
    out: dict[str, Any] = {}
    for model in api_models(package):
        extra = model.model_config.get("json_schema_extra")
        if not isinstance(extra, dict) or "example" not in extra:
            continue
        for name in schema_names(model):
            out.setdefault(name, extra["example"])
    return out


def keep_null_examples(spec: dict[str, Any], examples: dict[str, Any]) -> list[str]:
    """Put back, in place, the nulls FastAPI dropped from the schema examples of ``spec``.

    A schema's example is replaced by the model's own only when it is that example without its nulls,
    so an example the document holds for another reason is never touched.

    Parameters
    ----------
    spec : dict
        The OpenAPI document.
    examples : dict
        Schema name to the model's example, as :func:`model_examples` gives.

    Returns
    -------
    list of str
        The names of the schemas whose example got its nulls back.

    >>> spec = {"components": {"schemas": {"Chain": {"example": {"id": "nev"}}}}}
    >>> keep_null_examples(spec, {"Chain": {"id": "nev", "year": None}})
    ['Chain']
    >>> spec["components"]["schemas"]["Chain"]["example"]
    {'id': 'nev', 'year': None}
    """
    restored = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        original = examples.get(name)
        if original is None or "example" not in schema or original == schema["example"]:
            continue
        if without_nulls(original) == schema["example"]:
            schema["example"] = copy.deepcopy(original)
            restored.append(name)
    return restored


ROUTE_EXAMPLES_TABLE = "ROUTE_EXAMPLES"
"""The name of a module's table of route examples: ``{"GET /api/v1/gaps": example, ...}``."""


def route_examples(package: str = API_PACKAGE) -> dict[str, Any]:
    """The examples of single routes, from the ``ROUTE_EXAMPLES`` tables of the loaded modules of ``package``.

    Keys are ``"METHOD /path"`` as the OpenAPI document spells the path (``GET /api/v1/clusters/{cluster_id}/gaps``).

    Raises
    ------
    ValueError
        If two modules give an example for the same route.

    >>> import api.analysis_schemas
    >>> route_examples()["GET /api/v1/clusters/{cluster_id}/gaps"]["total"]
    16
    """
    out: dict[str, Any] = {}
    owner: dict[str, str] = {}
    for name, module in sorted(dict(sys.modules).items()):
        if not (name == package or name.startswith(package + ".")):
            continue
        table = getattr(module, ROUTE_EXAMPLES_TABLE, None)
        if not isinstance(table, dict):
            continue
        for route, example in table.items():
            if route in out:
                raise ValueError(
                    f"{name}.{ROUTE_EXAMPLES_TABLE}[{route!r}]: {owner[route]} gives an example for it already"
                )
            out[route], owner[route] = example, name
    return out


def attach_route_examples(spec: dict[str, Any], examples: dict[str, Any]) -> list[str]:
    """Show, in place, each route's own example in its 200 ``application/json`` answer of ``spec``.

    A media type's ``example`` overrides the example of the schema it references (OpenAPI 3.1, Media Type
    Object), so /docs shows the route's own answer. It is put in as given, nulls and all.

    Parameters
    ----------
    spec : dict
        The OpenAPI document.
    examples : dict
        ``"METHOD /path"`` to the example, as :func:`route_examples` gives.

    Returns
    -------
    list of str
        The routes given an example, in the order of ``examples``.

    Raises
    ------
    ValueError
        If a route has no 200 ``application/json`` answer in ``spec`` (a mistyped path or method).

    >>> ok = {"200": {"content": {"application/json": {"schema": {"$ref": "#/components/schemas/GapList"}}}}}
    >>> spec = {"paths": {"/api/v1/gaps": {"get": {"responses": ok}}}}
    >>> attach_route_examples(spec, {"GET /api/v1/gaps": {"total": 107, "year": None}})
    ['GET /api/v1/gaps']
    >>> ok["200"]["content"]["application/json"]["example"]
    {'total': 107, 'year': None}
    >>> attach_route_examples(spec, {"GET /api/v1/gap": {}})
    Traceback (most recent call last):
    ...
    ValueError: route example 'GET /api/v1/gap': the OpenAPI document has no 200 application/json answer for it
    """
    done = []
    for route, example in examples.items():
        method, _, path = route.partition(" ")
        operation = spec.get("paths", {}).get(path, {}).get(method.lower(), {})
        content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
        if content is None:
            raise ValueError(f"route example {route!r}: the OpenAPI document has no 200 application/json answer for it")
        content["example"] = copy.deepcopy(example)
        done.append(route)
    return done


def amend_openapi(app: FastAPI, amend: Callable[[dict[str, Any]], object]) -> None:
    """Have ``amend`` edit ``app``'s OpenAPI document in place, once, the first time it is asked for.

    FastAPI builds the document once and keeps it, so each amendment runs once on that dict.
    The amendments of one app run in the order they were installed.

    >>> app = FastAPI()
    >>> amend_openapi(app, lambda spec: spec["info"].update(title="amended"))
    >>> app.openapi()["info"]["title"], app.openapi() is app.openapi()
    ('amended', True)
    """
    generate = app.openapi
    done: list[bool] = []

    def openapi() -> dict[str, Any]:
        spec = generate()
        if not done:
            amend(spec)
            done.append(True)
        return spec

    app.openapi = openapi  # type: ignore[method-assign]


def install(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI document keep the null fields of its examples (:func:`keep_null_examples`) and
    show each route's own example where it has one (:func:`attach_route_examples`)."""

    def amend(spec: dict[str, Any]) -> None:
        keep_null_examples(spec, model_examples())
        attach_route_examples(spec, route_examples())

    amend_openapi(app, amend)
