"""``/openapi.json`` keeps the ``"default": null`` of optional fields and parameters (api/openapi_nulls.py).

FastAPI writes its document with ``exclude_none=True``, which drops them; a generated client then
cannot tell a field that is optional-with-null from one with no default.
"""

from __future__ import annotations

import copy
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from api import openapi_nulls
from api.app import create_app
from api.openapi_nulls import schema_models
from chainkg.settings import Settings
from graph.memory_store import MemoryStore


def _app() -> FastAPI:
    return create_app(MemoryStore(), Settings.from_env(env={}))


SPEC = TestClient(_app()).get("/openapi.json").json()
SCHEMAS = SPEC["components"]["schemas"]


def _parameter(path: str, name: str, method: str = "get") -> dict[str, Any]:
    (found,) = [p for p in SPEC["paths"][path][method]["parameters"] if p["name"] == name]
    return found


def _without_default_nulls(value: Any) -> Any:
    """``value`` with every ``"default": None`` member left out, recursively."""
    if isinstance(value, dict):
        return {k: _without_default_nulls(v) for k, v in value.items() if not (k == "default" and v is None)}
    if isinstance(value, list):
        return [_without_default_nulls(item) for item in value]
    return value


def _count_default_nulls(value: Any) -> int:
    if isinstance(value, dict):
        own = int("default" in value and value["default"] is None)
        return own + sum(_count_default_nulls(v) for v in value.values())
    if isinstance(value, list):
        return sum(_count_default_nulls(item) for item in value)
    return 0


def test_an_optional_query_parameter_shows_its_null_default():
    year = _parameter("/api/v1/clusters/{cluster_id}/chain", "year")
    assert year["required"] is False
    assert "default" in year["schema"] and year["schema"]["default"] is None


def test_an_optional_model_field_shows_its_null_default():
    parent_id = SCHEMAS["GapItem"]["properties"]["parent_id"]
    assert "parent_id" not in SCHEMAS["GapItem"].get("required", [])
    assert "default" in parent_id and parent_id["default"] is None
    assert SCHEMAS["Chain"]["properties"]["year"].get("default", "absent") is None


def test_fields_without_a_null_default_gain_none():
    assert "default" not in SCHEMAS["GapItem"]["properties"]["segment_id"]  # required
    assert "default" not in _parameter("/api/v1/clusters/{cluster_id}/chain", "cluster_id")["schema"]  # path
    assert _parameter("/api/v1/firms", "limit")["schema"]["default"] == 50  # a real default is kept as it is
    assert SCHEMAS["WhatIf"]["properties"]["subsidiaries_added"].get("default", "absent") == "absent"  # a factory


def test_every_optional_parameter_states_its_default():
    missing = [
        f"{method.upper()} {path} {p['name']}"
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        for p in op.get("parameters", [])
        if not p["required"] and "default" not in p["schema"]
    ]
    assert not missing, missing


def test_every_optional_property_states_its_default_unless_it_comes_from_a_factory():
    models = schema_models()
    missing = []
    for name, schema in SCHEMAS.items():
        model = models.get(name)
        required = set(schema.get("required", []))
        for prop, prop_schema in schema.get("properties", {}).items():
            if prop in required or "default" in prop_schema:
                continue
            field = model.model_fields.get(prop) if model else None
            if field is None or field.default_factory is None:
                missing.append(f"{name}.{prop}")
    assert not missing, missing


def test_only_null_defaults_are_added_to_the_document(monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setattr(openapi_nulls, "install", lambda app: None)  # the app as it was without them
    plain = _app().openapi()
    assert _count_default_nulls(plain) == 0
    assert _without_default_nulls(SPEC) == plain
    assert _count_default_nulls(SPEC) > 100  # 62 parameters and 71 properties when this test was written


def test_the_document_is_fixed_once_and_stays_the_same():
    app = _app()
    first = copy.deepcopy(app.openapi())
    assert app.openapi() == first == SPEC
