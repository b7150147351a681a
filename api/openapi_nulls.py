"""Keep the ``"default": null`` of optional fields and parameters in the OpenAPI document.

FastAPI writes its OpenAPI document with ``exclude_none=True``, which drops every ``null`` anywhere
in it: pydantic gives the ``year`` of a ``Chain`` the schema ``{..., "default": null}``, and the
``year`` query parameter of ``/api/v1/clusters/{cluster_id}/chain`` the same, but the document keeps
neither default, so a client generated from it cannot tell an optional-with-null field from one
with no default at all. :func:`install` puts each of them back: in the component schemas, from each
model's own JSON schema (:func:`null_default_properties`), and in the parameters, from the fields
FastAPI reads them from (:func:`keep_null_parameter_defaults`). Nothing else in the document moves.
(:mod:`api.examples` does the same for the nulls of the examples.)

Examples
--------
>>> from pydantic import BaseModel
>>> class Gap(BaseModel):
...     id: str
...     parent_id: str | None = None
>>> null_default_properties(Gap, "validation")
['parent_id']
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from typing import Any, Literal

from fastapi import FastAPI, routing
from fastapi.routing import APIRoute
from pydantic import BaseModel

from api.examples import API_PACKAGE, amend_openapi, api_models, schema_names

Mode = Literal["validation", "serialization"]
PARAMETER_LOCATIONS = ("path", "query", "header", "cookie")
"""Where a parameter is (OpenAPI's ``in``), each read from the ``<location>_params`` of a dependant."""


def null_default_properties(model: type[BaseModel], mode: Mode) -> list[str]:
    """The properties of ``model``'s own JSON schema (in ``mode``) whose default is ``None``."""
    properties = model.model_json_schema(mode=mode).get("properties", {})
    return [name for name, schema in properties.items() if "default" in schema and schema["default"] is None]


def schema_models(package: str = API_PACKAGE) -> dict[str, type[BaseModel]]:
    """Every model of ``package`` under each name its schema may have (:func:`api.examples.schema_names`)."""
    out: dict[str, type[BaseModel]] = {}
    for model in api_models(package):
        for name in schema_names(model):
            out.setdefault(name, model)
    return out


def _model_and_mode(name: str, models: dict[str, type[BaseModel]]) -> tuple[type[BaseModel] | None, Mode]:
    """The model behind the schema ``name`` and the mode it was written in (``Chain-Output``: serialization)."""
    for suffix, mode in (("-Input", "validation"), ("-Output", "serialization")):
        if name.endswith(suffix):
            return models.get(name.removesuffix(suffix)), mode  # type: ignore[return-value]
    return models.get(name), "validation"


def keep_null_schema_defaults(spec: dict[str, Any], models: dict[str, type[BaseModel]]) -> list[str]:
    """Put back, in place, the ``"default": null`` FastAPI dropped from the component schemas of ``spec``.

    A property gets it only when its model's own schema has it and the document's property has no
    default of its own; schemas that are no model of ``models`` are left alone.

    Parameters
    ----------
    spec : dict
        The OpenAPI document.
    models : dict
        Schema name to model, as :func:`schema_models` gives.

    Returns
    -------
    list of str
        ``Schema.property`` of every default put back.

    >>> from pydantic import BaseModel
    >>> class Chain(BaseModel):
    ...     id: str
    ...     year: int | None = None
    >>> spec = {"components": {"schemas": {"Chain": {"properties": {"id": {}, "year": {"title": "Year"}}}}}}
    >>> keep_null_schema_defaults(spec, {"Chain": Chain})
    ['Chain.year']
    >>> spec["components"]["schemas"]["Chain"]["properties"]
    {'id': {}, 'year': {'title': 'Year', 'default': None}}
    """
    restored = []
    for name, schema in spec.get("components", {}).get("schemas", {}).items():
        model, mode = _model_and_mode(name, models)
        if model is None:
            continue
        properties = schema.get("properties", {})
        for field in null_default_properties(model, mode):
            if field in properties and "default" not in properties[field]:
                properties[field]["default"] = None
                restored.append(f"{name}.{field}")
    return restored


def _parameter_fields(dependant: Any) -> Iterator[tuple[str, Any]]:
    """``(location, field)`` of every parameter ``dependant`` and its dependencies read."""
    for location in PARAMETER_LOCATIONS:
        for field in getattr(dependant, f"{location}_params"):
            yield location, field
    for sub in dependant.dependencies:
        yield from _parameter_fields(sub)


def _parameter_name(location: str, field: Any) -> str:
    """The name the document gives ``field``: its alias, ``user-agent`` for a header ``user_agent``."""
    converts = location == "header" and getattr(field.field_info, "convert_underscores", True)
    return field.alias.replace("_", "-") if converts and field.alias == field.name else str(field.alias)


def _api_routes(routes: Iterable[Any]) -> Iterator[Any]:
    """The API routes of ``routes`` that are in the document (the routes of included routers too)."""
    # a recent FastAPI keeps an included router whole and walks its routes with iter_route_contexts;
    # an older one (pyproject allows 0.115) lists them flat in app.routes
    walk = getattr(routing, "iter_route_contexts", iter)
    for route in walk(list(routes)):
        if isinstance(getattr(route, "original_route", route), APIRoute) and route.include_in_schema:
            yield route


def keep_null_parameter_defaults(spec: dict[str, Any], routes: Iterable[Any]) -> list[str]:
    """Put back, in place, the ``"default": null`` FastAPI dropped from the parameters of ``spec``.

    A parameter gets it when the field it is read from (the route's own, or a dependency's) has the
    default ``None`` and its schema in the document has no default of its own.

    Parameters
    ----------
    spec : dict
        The OpenAPI document.
    routes : iterable
        The app's routes (``app.routes``).

    Returns
    -------
    list of str
        ``METHOD path name`` of every default put back.
    """
    restored = []
    for route in _api_routes(routes):
        nullable = {
            (location, _parameter_name(location, field))
            for location, field in _parameter_fields(route.dependant)
            if field.field_info.default is None
        }
        for method in sorted(route.methods or ()):
            operation = spec.get("paths", {}).get(route.path_format, {}).get(method.lower(), {})
            for parameter in operation.get("parameters", []):
                schema = parameter.get("schema")
                if (parameter["in"], parameter["name"]) in nullable and schema is not None and "default" not in schema:
                    schema["default"] = None
                    restored.append(f"{method} {route.path_format} {parameter['name']}")
    return restored


def install(app: FastAPI) -> None:
    """Make ``app``'s OpenAPI document keep the ``"default": null`` of its optional fields and parameters."""

    def amend(spec: dict[str, Any]) -> None:
        keep_null_schema_defaults(spec, schema_models())
        keep_null_parameter_defaults(spec, app.routes)

    amend_openapi(app, amend)
