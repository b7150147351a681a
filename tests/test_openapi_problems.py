"""The error contract in the OpenAPI document, and the framework's own errors (API review 6: 2, 3, 7, 8, 9, 10).

- 2: the import's API key is declared as two security schemes (``X-API-Key``, bearer), on the import only.
- 3: the ``Problem`` schema declares ``kind``, ``id``, ``suggestions`` and ``errors`` (both item shapes), and
  each error status shows an example of its own status (a 503 showed the 404 ``not-found`` body).
- 7: a multipart form field at fault is ``invalid-request`` ("Invalid request"), not "Invalid query".
- 8: a 404 for a path no route answers points to the entry points; a 405 names the methods and the body.
- 9: ``list_year``'s enum sits in the integer branch of its nullable ``anyOf``, so its default null is valid.
- 10: no schema name carries a module path (``api__schemas__Health``): ``ServiceHealth`` and ``ClusterHealth``.
"""

from __future__ import annotations

import tempfile
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problems import PROBLEM_EXAMPLES, has_cjk, problem_kind
from chainkg.settings import Settings
from graph.errors import InvalidQuery
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore

SPEC = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
SCHEMAS = SPEC["components"]["schemas"]
MEDIA_TYPE = "application/problem+json"


def _operations() -> list[tuple[str, str, dict[str, Any]]]:
    return [
        (path, method, op)
        for path, item in SPEC["paths"].items()
        for method, op in item.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def _problem_responses() -> list[tuple[str, str, str, dict[str, Any]]]:
    return [
        (f"{method.upper()} {path}", code, response["content"][MEDIA_TYPE], response)
        for path, method, op in _operations()
        for code, response in op["responses"].items()
        if MEDIA_TYPE in response.get("content", {})
    ]


# -- 3: the Problem schema and the examples --------------------------------------------------------------


def test_the_problem_schema_declares_the_members_clients_read() -> None:
    problem = SCHEMAS["Problem"]
    props = problem["properties"]
    assert set(problem["required"]) == {"type", "title", "status", "detail", "detail_zh", "instance"}
    assert {"kind", "id", "suggestions", "found_kind", "entry_points", "errors"} <= set(props)
    assert props["suggestions"] == {**props["suggestions"], "type": "array", "items": {"type": "string"}}
    validation, imported = props["errors"]["items"]["anyOf"]
    assert set(validation["properties"]) == {"loc", "msg", "type", "input"}
    assert validation["required"] == ["loc", "msg", "type"]
    assert validation["properties"]["loc"]["items"] == {"type": "string"}
    assert {"file", "sheet", "row", "field", "value", "expected", "expected_zh", "message", "message_zh"} == set(
        imported["properties"]
    )
    assert not any("default" in member for member in props.values())  # absent, never null


def _validates(body: dict[str, Any]) -> list[str]:
    """What in ``body`` the Problem schema refuses: a missing member, a declared member of the wrong type."""
    problem = SCHEMAS["Problem"]
    wrong = [f"missing {name}" for name in problem["required"] if name not in body]
    types = {"string": str, "integer": int, "array": list}
    for name, value in body.items():
        declared = problem["properties"].get(name, {}).get("type")
        if declared in types and not isinstance(value, types[declared]):
            wrong.append(f"{name}: {value!r} is not {declared}")
    for entry in body.get("errors", []):
        shapes = problem["properties"]["errors"]["items"]["anyOf"]
        if not any(set(s["required"]) <= set(entry) <= set(s["properties"]) for s in shapes):
            wrong.append(f"errors item {sorted(entry)} fits no declared shape")
    return wrong


def test_every_error_response_shows_an_example_of_its_own_status() -> None:
    """A 503 showed the 404 `not-found` body; each problem response now shows bodies of its status."""
    responses = _problem_responses()
    assert len(responses) > 50
    for where, code, content, _ in responses:
        assert content["schema"] == {"$ref": "#/components/schemas/Problem"}, where
        examples = content.get("examples")
        assert examples, f"{where} {code}: no example"
        for name, example in examples.items():
            assert example["value"]["status"] == int(code), f"{where} {code}: example {name} is a {example['value']}"
            assert _validates(example["value"]) == [], f"{where} {code} {name}"


def test_the_examples_are_the_ones_of_each_kind() -> None:
    gaps = SPEC["paths"]["/api/v1/gaps"]["get"]["responses"]
    assert set(gaps["422"]["content"][MEDIA_TYPE]["examples"]) == {"invalid-request", "invalid-query"}
    assert set(gaps["503"]["content"][MEDIA_TYPE]["examples"]) == {"graph-not-loaded", "store-unavailable"}
    imports = SPEC["paths"]["/api/v1/imports"]["post"]["responses"]
    assert set(imports["422"]["content"][MEDIA_TYPE]["examples"]) == {"invalid-import", "invalid-form"}
    assert set(imports["401"]["content"][MEDIA_TYPE]["examples"]) == {"unauthorized"}
    assert set(imports["413"]["content"][MEDIA_TYPE]["examples"]) == {"payload-too-large"}


def test_the_examples_are_live_answers(api_client: Any) -> None:
    """The 404 and 422 examples are what the bundled data answer (the others need a store down or a key)."""
    for slug in ("not-found", "invalid-request", "invalid-query"):
        example = PROBLEM_EXAMPLES[slug]
        query = {"not-found": {}, "invalid-request": {"kind": "mising"}, "invalid-query": {"list_year": 2023}}[slug]
        assert api_client.get(example["instance"], params=query).json() == example, slug


def test_the_key_and_size_problems_are_their_examples() -> None:
    """401, 403 and 413 are answered as their examples show (English ``detail``, Chinese ``detail_zh``)."""
    keyed = _import_client(api_key="k")
    for slug, response in (
        ("unauthorized", keyed.post("/api/v1/imports", headers={"X-API-Key": "wrong"})),
        ("writes-disabled", _import_client(api_key=None).post("/api/v1/imports")),
    ):
        body = response.json()
        assert {k: body[k] for k in ("status", "detail", "detail_zh")} == {
            k: PROBLEM_EXAMPLES[slug][k] for k in ("status", "detail", "detail_zh")
        }, slug
    big = keyed.post(
        "/api/v1/imports", headers={"X-API-Key": "k", "Content-Length": str(21 * 1024 * 1024)}, content=b"x"
    ).json()
    assert {k: big[k] for k in ("status", "detail", "detail_zh")} == {
        k: PROBLEM_EXAMPLES["payload-too-large"][k] for k in ("status", "detail", "detail_zh")
    }


def test_the_import_problems_are_their_examples() -> None:
    client = _import_client(api_key="k")
    missing = client.post("/api/v1/imports", headers={"X-API-Key": "k"}, data={"dry_run": "true"}).json()
    assert missing == PROBLEM_EXAMPLES["invalid-form"]
    csv = "id,name_zh,name_en,is_local\nnew-co,新公司,New Co,maybe\n".encode()
    bad = client.post("/api/v1/imports", headers={"X-API-Key": "k"}, files={"file": ("firms.csv", csv, "text/csv")})
    body = bad.json()
    assert body["errors"][0].pop("sheet") is None  # left out of the example: FastAPI drops its nulls
    assert body == PROBLEM_EXAMPLES["invalid-import"]
    assert _validates(body) == []


# -- 7: a form field is a request problem -----------------------------------------------------------------


def test_a_form_field_problem_is_not_titled_invalid_query() -> None:
    assert problem_kind(InvalidQuery("x", param="on_conflict", value="y", location="body")) == (
        "Invalid request",
        "invalid-request",
    )
    assert problem_kind(InvalidQuery("x", param="list_year", value=2023)) == ("Invalid query", "invalid-query")
    client = _import_client(api_key="k")
    csv = b"id\n"
    body = client.post(
        "/api/v1/imports",
        headers={"X-API-Key": "k"},
        files={"file": ("firms.csv", csv, "text/csv")},
        data={"on_conflict": "merge"},
    ).json()
    assert (body["status"], body["title"], body["type"].rsplit("/", 1)[1]) == (
        422,
        "Invalid request",
        "invalid-request",
    )
    assert body["errors"][0]["loc"] == ["body", "on_conflict"]


# -- 2: the API key as security schemes -------------------------------------------------------------------


def _import_client(api_key: str | None) -> TestClient:
    env = {"CHAINKG_STATE_DIR": tempfile.mkdtemp(prefix="chainkg-test-state-")}
    if api_key:
        env["CHAINKG_API_KEY"] = api_key
    return TestClient(create_app(MemoryStore(tiny_chain()), Settings.from_env(env=env)))


def test_the_api_key_is_declared_on_the_import_only() -> None:
    schemes = SPEC["components"]["securitySchemes"]
    assert schemes["ApiKey"] == {**schemes["ApiKey"], "type": "apiKey", "in": "header", "name": "X-API-Key"}
    assert schemes["Bearer"] == {**schemes["Bearer"], "type": "http", "scheme": "bearer"}
    secured = [(path, method) for path, method, op in _operations() if "security" in op]
    assert secured == [("/api/v1/imports", "post")]
    assert SPEC["paths"]["/api/v1/imports"]["post"]["security"] == [{"ApiKey": []}, {"Bearer": []}]


@pytest.mark.parametrize(
    ("configured", "headers", "status", "detail"),
    [
        (None, {"X-API-Key": "k"}, 403, "Writes are disabled: this server has no API key."),
        ("k", {}, 401, "A valid API key is needed: send it as 'X-API-Key: KEY' or 'Authorization: Bearer KEY'."),
        ("k", {"X-API-Key": "wrong"}, 401, "A valid API key is needed"),
        ("k", {"Authorization": "Basic k"}, 401, "A valid API key is needed"),
        ("k", {"Authorization": "Bearer wrong"}, 401, "A valid API key is needed"),
        ("k", {"X-API-Key": "k"}, 200, None),
        ("k", {"Authorization": "Bearer k"}, 200, None),
    ],
)
def test_the_key_check_is_unchanged(configured: str | None, headers: dict[str, str], status: int, detail: Any) -> None:
    client = _import_client(configured)
    csv = "id,name_zh,name_en,is_local\nnew-co,新公司,New Co,maybe\n".encode()
    response = client.post(
        "/api/v1/imports", headers=headers, files={"file": ("firms.csv", csv, "text/csv")}, data={"dry_run": "true"}
    )
    assert response.status_code == status, response.text
    if detail:
        assert response.json()["detail"].startswith(detail)
        assert "/ " not in response.json()["detail"]  # English; the Chinese is in detail_zh
        assert has_cjk(response.json()["detail_zh"])


# -- 8: the framework's 404 and 405 -----------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/", "/api/v1/nope", "/view"])
def test_an_unknown_path_points_to_the_entry_points(api_client: Any, path: str) -> None:
    response = api_client.get(path)
    assert response.status_code == 404 and response.headers["content-type"] == MEDIA_TYPE
    body = response.json()
    assert body["type"].endswith("/http-404") and body["instance"] == path
    assert {"/api/v1/clusters", "/docs", "/openapi.json", "/views/overview", "/health"} <= set(body["entry_points"])
    assert f"No route GET {path}." in body["detail"] and "/docs" in body["detail"] and "没有此路径" in body["detail_zh"]
    assert _validates(body) == []


def test_a_near_path_is_suggested(api_client: Any) -> None:
    body = api_client.get("/api/v1/cluster").json()
    assert body["suggestions"][0] == "/api/v1/clusters"
    assert "Did you mean: /api/v1/clusters" in body["detail"]


@pytest.mark.parametrize(
    ("path", "first"),
    [  # review 13a: a path holding an id got no suggestion at all
        ("/api/v1/clusters/nev/gapz", "/api/v1/clusters/nev/gaps"),
        ("/api/v1/clusters/nev/target", "/api/v1/clusters/nev/targets"),
        ("/api/v1/segment/nev-anode/impact", "/api/v1/segments/nev-anode/impact"),
        ("/api/v1/clusters/nev/chain/extra", "/api/v1/clusters/nev/chain"),
        ("/api/v1/firm/catl", "/api/v1/firms/catl"),
        ("/views/cluster/nev", "/views/clusters/nev"),
    ],
)
def test_a_near_path_with_an_id_is_suggested_with_that_id(api_client: Any, path: str, first: str) -> None:
    body = api_client.get(path, headers={"accept": "application/json"}).json()
    assert body["suggestions"][0] == first and f"Did you mean: {first}" in body["detail"]
    assert all("{" not in s for s in body["suggestions"])  # concrete paths, never a template
    assert api_client.get(first).status_code == 200  # the suggestion answers


def test_a_405_names_the_methods_and_the_body(api_client: Any) -> None:
    response = api_client.get("/api/v1/what-if")
    assert response.status_code == 405 and response.headers["allow"] == "POST"
    body = response.json()
    assert body["type"].endswith("/http-405") and body["title"] == "Method not allowed"
    assert body["detail"].startswith("GET is not allowed on /api/v1/what-if: it answers POST only.")
    assert 'Send POST with a JSON body like {"remove": ["li-auto"]}' in body["detail"]
    assert "只接受 POST" in body["detail_zh"] and not has_cjk(body["detail"])
    listed = api_client.post("/api/v1/clusters", json={})
    assert listed.status_code == 405 and "it answers GET, HEAD only" in listed.json()["detail"]


# -- 9: list_year's enum in the nullable anyOf --------------------------------------------------------


def _default_is_valid(schema: dict[str, Any]) -> bool:
    """Whether ``schema["default"]`` fits ``schema`` (the anyOf branches and enums this document uses)."""
    value = schema["default"]
    branches = schema.get("anyOf", [schema])
    for branch in branches:
        kind = branch.get("type")
        fits = (
            (kind == "null" and value is None)
            or (kind == "integer" and isinstance(value, int) and not isinstance(value, bool))
            or (kind == "string" and isinstance(value, str))
            or (kind == "boolean" and isinstance(value, bool))
            or (kind == "number" and isinstance(value, int | float))
        )
        if fits and ("enum" not in branch or value in branch["enum"]):
            return "enum" not in schema or value in schema["enum"]
    return False


def test_every_parameter_default_fits_its_schema() -> None:
    parameters = [
        (f"{method} {path} {p['name']}", p["schema"])
        for path, method, op in _operations()
        for p in op.get("parameters", [])
        if "default" in p.get("schema", {})
    ]
    assert len(parameters) > 50
    assert [where for where, schema in parameters if not _default_is_valid(schema)] == []


def test_list_year_declares_its_years_in_the_integer_branch() -> None:
    expected = [{"type": "integer", "enum": [2022, 2024]}, {"type": "null"}]
    found = [
        (path, p["name"], p["schema"])
        for path, method, op in _operations()
        for p in op.get("parameters", [])
        if p["name"] == "list_year" or (path == "/api/v1/clusters" and p["name"] == "year")
    ]
    assert len(found) == 13  # with /reports/targets and /views/overview
    for path, name, schema in found:
        assert schema["anyOf"] == expected and "enum" not in schema and schema["default"] is None, (path, name)


def test_list_year_keeps_its_own_message(api_client: Any) -> None:
    body = api_client.get("/api/v1/gaps", params={"list_year": 2023}).json()
    assert body["detail"].startswith("list_year must be one of 2022, 2024")
    page = api_client.get("/reports/summary", params={"list_year": 2023}).text
    assert "应为 2022 或 2024" in page and "it takes 2022 or 2024" in page


# -- 10: schema names ---------------------------------------------------------------------------------


def test_no_schema_name_carries_a_module_path(api_client: Any) -> None:
    assert [name for name in SCHEMAS if "__" in name] == []
    service = SPEC["paths"]["/health"]["get"]["responses"]["200"]["content"]["application/json"]["schema"]
    cluster = SPEC["paths"]["/api/v1/clusters/{cluster_id}/health"]["get"]["responses"]["200"]
    assert service == {"$ref": "#/components/schemas/ServiceHealth"}
    assert cluster["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/ClusterHealth"}
    assert set(api_client.get("/health").json()) == {"status", "backend", "store", "detail", "version"}
    assert {"cluster_id", "score", "components", "terms"} <= set(api_client.get("/api/v1/clusters/nev/health").json())
