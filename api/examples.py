"""Keep the null fields of the response examples in the OpenAPI document.

FastAPI writes its OpenAPI document with ``exclude_none=True``, which drops every ``null`` anywhere
in it, the examples included: the ``Chain`` example lost its ``"year": null``, a ``GapItem`` its
``"parent_id": null``, so a client reading the document could not tell that those fields are always
there and sometimes null. :func:`install` puts each model's own example back in its schema.

Examples
--------
>>> without_nulls({"id": "nev", "parent_id": None, "items": [{"year": None, "n": 1}]})
{'id': 'nev', 'items': [{'n': 1}]}
"""

from __future__ import annotations

import copy
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
    """Make ``app``'s OpenAPI document keep the null fields of its examples (:func:`keep_null_examples`)."""
    amend_openapi(app, lambda spec: keep_null_examples(spec, model_examples()))
