"""Every field an endpoint returns is documented in ``/openapi.json``.

The response models allow extra fields (``extra="allow"``), so schemathesis accepts an answer
that carries keys its schema never names, and a client generated from the document drops them.
Here each GET endpoint under ``/api/v1`` is called on the bundled data with real ids, and every
key of its JSON answer, recursively through objects and lists of objects whose schema is a model,
must be a declared property of the corresponding schema. Free-form maps (``additionalProperties``
without ``properties``, e.g. ``firms_by_district``) are not checked key by key.
"""

from __future__ import annotations

import inspect
import re
from typing import Any

import pytest
from pydantic import BaseModel

from api import analysis_schemas, layer_schemas, schemas
from api.app import create_app
from api.routes import imports
from chainkg.settings import Settings
from graph.memory_store import MemoryStore

SPEC = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
GET_PATHS = sorted(p for p, item in SPEC["paths"].items() if p.startswith("/api/v1/") and "get" in item)

FIXED_IDS: dict[str, list[str]] = {
    "cluster_id": ["nev", "electronics"],
    "segment_id": ["nev-battery-cell", "nev-recycling", "nev-battery-materials"],
    "firm_id": ["catl-jiangsu", "xingyu", "catl"],
    "district_id": ["wujin", "liyang", "jingkai"],
    "platform_id": ["plat-catl-liyang-lighthouse", "plat-hualida-iip"],
    "source_id": ["reply-2022-56", "s5-zhonglou-2024-04", "a-autobiz-2021-06"],
}
LISTED_IDS = {"project_id": "/api/v1/projects", "policy_id": "/api/v1/policies", "tier_id": "/api/v1/tiers"}
"""Path parameters whose ids are taken from a list endpoint (the first few items)."""

QUERIES: dict[str, list[dict[str, Any]]] = {
    "/api/v1/export": [{"format": "json"}],
    "/api/v1/search": [{"q": "catl"}, {"q": "电池"}, {"q": "nev"}],
    "/api/v1/gaps": [{"limit": 500}, {"untargeted": "true", "limit": 500}, {"untargeted": "false"}],
    "/api/v1/clusters/{cluster_id}/gaps": [{}, {"untargeted": "true"}],
    "/api/v1/firms": [{"limit": 500}, {"q": "catl"}],
    "/api/v1/projects": [{"limit": 500}],
    "/api/v1/policies": [{"limit": 500}],
    "/api/v1/tiers/{tier_id}": [{}, {"year": 2020}],
    "/api/v1/clusters/{cluster_id}/chain": [{}, {"year": 2018}],
}
"""Query strings per path (required parameters, and variants that add fields); ``[{}]`` by default."""


# -- a small resolver for $ref, allOf, anyOf and oneOf -------------------------------------------


def deref(schema: dict[str, Any], root: dict[str, Any] | None = None) -> dict[str, Any]:
    """Follow ``$ref`` (``#/components/schemas/X``, in ``root``: the API's document by default) to a schema."""
    root = SPEC if root is None else root
    seen = set()
    while "$ref" in schema:
        ref = schema["$ref"]
        assert ref.startswith("#/") and ref not in seen, f"unresolvable $ref {ref!r}"
        seen.add(ref)
        target: Any = root
        for part in ref[2:].split("/"):
            target = target[part]
        schema = target
    return schema


def alternatives(schema: dict[str, Any], root: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    """The schemas a value may match: anyOf/oneOf branches, flattened and resolved (allOf kept whole)."""
    schema = deref(schema, root)
    branches = schema.get("anyOf") or schema.get("oneOf")
    if not branches:
        return [schema]
    return [alt for branch in branches for alt in alternatives(branch, root)]


def properties(schema: dict[str, Any], root: dict[str, Any] | None = None) -> dict[str, dict[str, Any]] | None:
    """The declared properties of an object schema (merged over allOf), or None for a free-form object."""
    schema = deref(schema, root)
    parts = [schema, *(deref(s, root) for s in schema.get("allOf", []))]
    if not any("properties" in p for p in parts):
        return None
    merged: dict[str, dict[str, Any]] = {}
    for part in parts:
        merged.update(part.get("properties", {}))
    return merged


def undeclared(value: Any, schema: dict[str, Any], path: str, root: dict[str, Any] | None = None) -> list[str]:
    """Paths of the keys in ``value`` that its schema does not declare, recursively."""
    if isinstance(value, list):
        items = [alt["items"] for alt in alternatives(schema, root) if alt.get("type") == "array" and "items" in alt]
        if not items:
            return []
        return [p for i, element in enumerate(value) for p in undeclared(element, items[0], f"{path}[{i}]", root)]
    if not isinstance(value, dict):
        return []
    objects = [alt for alt in alternatives(schema, root) if alt.get("type") == "object" or "properties" in alt]
    modelled = [(alt, props) for alt in objects if (props := properties(alt, root)) is not None]
    if not modelled:  # a free-form map: check its values only where they are models themselves
        extra = [alt["additionalProperties"] for alt in objects if isinstance(alt.get("additionalProperties"), dict)]
        if not extra:
            return []
        return [p for key, element in value.items() for p in undeclared(element, extra[0], f"{path}.{key}", root)]
    # of several object branches, judge the value by the one that declares most of its keys
    _, props = max(modelled, key=lambda pair: sum(1 for k in value if k in pair[1]))
    out = [f"{path}.{key}" for key in value if key not in props]
    for key, element in value.items():
        if key in props:
            out += undeclared(element, props[key], f"{path}.{key}", root)
    return out


def response_schema(path: str) -> dict[str, Any]:
    return SPEC["paths"][path]["get"]["responses"]["200"]["content"]["application/json"]["schema"]


def test_the_resolver_reports_undeclared_keys():
    root = {
        "components": {
            "schemas": {
                "Ref": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Base": {"type": "object", "properties": {"id": {"type": "string"}}},
                "Item": {
                    "allOf": [{"$ref": "#/components/schemas/Base"}],
                    "properties": {
                        "refs": {"type": "array", "items": {"$ref": "#/components/schemas/Ref"}},
                        "parent": {"anyOf": [{"$ref": "#/components/schemas/Ref"}, {"type": "null"}]},
                        "by_key": {"type": "object", "additionalProperties": {"type": "array"}},
                    },
                },
            }
        }
    }
    schema = {"anyOf": [{"$ref": "#/components/schemas/Item"}, {"type": "null"}]}
    assert undeclared(None, schema, "$", root) == []
    value = {
        "id": "x",
        "not_a_field": 1,
        "refs": [{"id": "a"}, {"id": "b", "nor_this": 2}],
        "parent": {"id": "p", "nor_that": 3},
        "by_key": {"any-key": ["free"]},
    }
    found = undeclared(value, schema, "$", root)
    assert found == ["$.not_a_field", "$.refs[1].nor_this", "$.parent.nor_that"]


# -- the endpoints -------------------------------------------------------------------------------


def _ids(api_client, param: str) -> list[str]:
    if param in FIXED_IDS:
        return FIXED_IDS[param]
    assert param in LISTED_IDS, f"no ids for the path parameter {param!r}: add them to FIXED_IDS or LISTED_IDS"
    r = api_client.get(LISTED_IDS[param], params={"limit": 500} if param != "tier_id" else None)
    assert r.status_code == 200, r.text
    items = r.json()["items"]
    assert items, f"{LISTED_IDS[param]} lists nothing"
    return [item["id"] for item in items[:4]]


def _urls(api_client, path: str) -> list[tuple[str, dict[str, Any]]]:
    urls = [path]
    for param in [p["name"] for p in SPEC["paths"][path]["get"].get("parameters", []) if p["in"] == "path"]:
        urls = [u.replace("{" + param + "}", value) for u in urls for value in _ids(api_client, param)]
    return [(u, query) for u in urls for query in QUERIES.get(path, [{}])]


def test_every_get_endpoint_is_covered():
    assert len(GET_PATHS) >= 20
    unknown = [q for q in QUERIES if q not in GET_PATHS]
    assert not unknown, f"QUERIES names paths the API does not have: {unknown}"


@pytest.mark.parametrize("path", GET_PATHS)
def test_every_returned_field_is_documented(api_client, path):
    assert properties(response_schema(path)) is not None, f"GET {path} answers with a free-form object"
    found: list[tuple[str, str]] = []
    for url, query in _urls(api_client, path):
        r = api_client.get(url, params=query)
        assert r.status_code == 200, f"GET {url} {query}: {r.status_code} {r.text[:300]}"
        assert r.headers["content-type"].startswith("application/json")
        call = f"GET {url}" + (f" {query}" if query else "")
        found += [(call, key) for key in undeclared(r.json(), response_schema(path), "$")]
    # one line per undocumented field (the same field in many list items is one field)
    fields = sorted({re.sub(r"\[\d+\]", "[]", key) for _, key in found})
    examples = "\n".join(f"  {call}: {key}" for call, key in found[:10])
    assert not fields, f"GET {path} returns fields its schema does not declare: {fields}\n{examples}"


# -- the examples --------------------------------------------------------------------------------


def _example(model: type[BaseModel]) -> Any:
    extra = model.model_config.get("json_schema_extra")
    return extra.get("example") if isinstance(extra, dict) else None


def _models_with_examples() -> list[type[BaseModel]]:
    """The response and request models that show an example (their own or inherited)."""
    out = []
    for module in (schemas, analysis_schemas, layer_schemas, imports):
        for _, obj in inspect.getmembers(module, inspect.isclass):
            if issubclass(obj, BaseModel) and obj.__module__ == module.__name__ and _example(obj) is not None:
                out.append(obj)
    return out


@pytest.mark.parametrize("model", _models_with_examples(), ids=lambda m: m.__name__)
def test_every_example_is_valid_and_documented(model):
    example = _example(model)
    model.model_validate(example)  # required fields present, types right
    name = model.__name__
    schema = {"$ref": f"#/components/schemas/{name}"}
    if name in SPEC["components"]["schemas"]:
        assert undeclared(example, schema, "$") == [], f"the example of {name} shows undocumented keys"


def test_every_parameter_is_described():
    """A client reading ``/openapi.json`` learns what each path and query parameter means."""
    bare = [
        f"{method.upper()} {path} {param['name']} ({param['in']})"
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        for param in op.get("parameters", [])
        if not (param.get("description") or param.get("schema", {}).get("description"))
    ]
    assert not bare, "parameters without a description:\n" + "\n".join(bare)


def test_every_schema_property_is_described():
    """An API consumer reads what each field means in the schema (530 of 983 had no description before review 9)."""
    components = SPEC["components"]["schemas"]
    bare = [
        f"{name}.{prop}"
        for name, schema in components.items()
        for prop, spec in (schema.get("properties") or {}).items()
        if not str(spec.get("description") or "").strip()
    ]
    counted = sum(len(schema.get("properties") or {}) for schema in components.values())
    assert counted > 900, counted  # the schema is the one this test is about
    assert bare == [], f"{len(bare)} undescribed: {bare[:20]}"


def test_confidence_and_position_are_declared_as_enums() -> None:
    """Review 13a: a schema-validating client could not rely on `confidence` and `position` values."""
    from api.app import create_app

    schemas = create_app().openapi()["components"]["schemas"]
    seen = {"confidence": 0, "position": 0}
    wanted = {"confidence": {"sourced", "unverified"}, "position": {"upstream", "midstream", "downstream", "support"}}
    named = {"confidence": "FactConfidence", "position": "SegmentPosition"}  # declared once each (review 15b, L4)
    for field, enum in named.items():
        assert set(schemas[enum]["enum"]) == wanted[field]
    for name, schema in schemas.items():
        for field, declared in schema.get("properties", {}).items():
            if field not in wanted:
                continue
            options = [declared, *declared.get("anyOf", [])]
            refs = [o["$ref"] for o in options if "$ref" in o]
            assert refs == [f"#/components/schemas/{named[field]}"], (name, field, declared)
            seen[field] += 1
    assert seen["confidence"] > 20 and seen["position"] >= 5, seen
