"""The API's error bodies as a client sees them: query-raised 422s and a Neo4j database with no graph.

Each test guards one defect found by reviewing the error answers; its docstring says what was wrong.
"""

from __future__ import annotations

import os
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problems import chinese_half, english_half
from chainkg.cli import main
from chainkg.settings import Settings
from graph.errors import InvalidQuery
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore

PROBLEM_KEYS = {"type", "title", "status", "detail", "instance"}
"""The members every problem body has (RFC 9457): the contract, kept whatever else a body carries."""

EMPTY_HINT = "holds no graph from chainkg load yet; load one first: chainkg load data/changzhou --backend neo4j"
"""What the CLI says about an empty Neo4j database; the API's answer says the same."""


# -- query-raised 422s -------------------------------------------------------------------------


def _validation_entry_keys(client: TestClient) -> set[str]:
    """The keys of a request-validation 422's ``errors`` entry, for a value that was given."""
    (entry,) = client.get("/api/v1/gaps", params={"kind": "mising"}).json()["errors"]
    return set(entry)


@pytest.mark.parametrize(
    ("url", "params", "loc", "given"),
    [
        # `input` is the string sent, as a declaration's 422 echoes it (review 13a: 2023 here, "0" for limit=0)
        ("/api/v1/clusters", {"list_year": 2023}, ["query", "list_year"], "2023"),
        ("/api/v1/clusters", {"year": 2021}, ["query", "year"], "2021"),
        ("/api/v1/health-ranking", {"list_year": 2023}, ["query", "list_year"], "2023"),
        # the workbook: the HTML /reports/summary answers with an HTML 422 page (tests/test_html_errors.py)
        ("/reports/summary.xlsx", {"list_year": 2019}, ["query", "list_year"], "2019"),
        ("/api/v1/clusters/nev/completeness", {"segments": "tex-denim"}, ["query", "segments"], "tex-denim"),
    ],
)
def test_a_query_422_has_errors_like_a_validation_422(
    api_client: Any, url: str, params: dict[str, Any], loc: list[str], given: Any
) -> None:
    """A value the query layer refused (`list_year=2023`) was a 422 with only a `detail`, where FastAPI's own
    422s carry `errors` entries naming the parameter (`loc`) and the value (`input`): a client had to parse
    the text. Now both kinds have the same `errors`; the problem members and the slug stay as they were."""
    response = api_client.get(url, params=params)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert PROBLEM_KEYS <= set(body)
    assert body["type"].endswith("/invalid-query") and body["title"] == "Invalid query" and body["status"] == 422
    (entry,) = body["errors"]
    assert set(entry) == _validation_entry_keys(api_client)
    assert entry == {"loc": loc, "msg": body["detail"], "type": "value_error", "input": given}
    assert loc[-1] in body["detail"]


def test_a_query_422_between_two_parameters_names_the_first_in_errors(api_client: Any) -> None:
    """`from` after `to`: the body keeps its detail, and (as every 422, review 9) has `errors`, naming `from`
    with its value, so that `detail_zh` names the parameter as the other 422s do."""
    response = api_client.get("/api/v1/clusters/nev/completeness", params={"from": 2024, "to": 2020})
    assert response.status_code == 422
    body = response.json()
    assert body["detail"] == "from (2024) is after to (2020); give from <= to"
    assert body["errors"] == [{"loc": ["query", "from"], "msg": body["detail"], "type": "value_error", "input": "2024"}]
    assert body["detail_zh"].startswith("查询参数 from：")


def test_an_import_option_422_names_the_form_field(tmp_path: Any) -> None:
    """A bad `on_conflict` or `dry_run` of an upload named the field only in the text; `loc` is now
    `["body", FIELD]`, as FastAPI puts a form field, with the value sent."""
    settings = Settings.from_env(env={"CHAINKG_API_KEY": "k", "CHAINKG_STATE_DIR": str(tmp_path / "state")})
    client = TestClient(create_app(MemoryStore(tiny_chain()), settings))
    headers = {"X-API-Key": "k"}
    upload = {"file": ("firms.csv", b"id,name_zh\n")}
    for form, field, given in (
        ({"on_conflict": "sometimes"}, "on_conflict", "sometimes"),
        ({"dry_run": "Maybe"}, "dry_run", "Maybe"),
    ):
        body = client.post("/api/v1/imports", files=upload, data=form, headers=headers).json()
        assert body["status"] == 422 and body["type"].endswith("/invalid-request")
        assert body["errors"] == [
            {"loc": ["body", field], "msg": body["detail"], "type": "value_error", "input": given}
        ]
    missing = client.post("/api/v1/imports", data={"dry_run": "true"}, headers=headers).json()
    [error] = missing["errors"]  # the msg in both languages, the detail its English half (review 9)
    assert error["loc"] == ["body", "file"] and english_half(error["msg"]) == missing["detail"]
    assert chinese_half(error["msg"]) in missing["detail_zh"]


def test_the_cli_prints_a_query_error_as_before(capsys: pytest.CaptureFixture[str]) -> None:
    """Naming the parameter changes nothing the CLI prints: the message alone, exit status 2."""
    assert main(["completeness", "nev", "--segments", "tex-denim"]) == 2
    assert capsys.readouterr().err == "error: segments must be segments of the cluster nev; not: tex-denim\n"
    err = InvalidQuery("kind must be one of missing, weak; got 'x'", param="kind", value="x")
    assert str(err) == "kind must be one of missing, weak; got 'x'" and err.param == "kind"


# -- a Neo4j database nothing was loaded into --------------------------------------------------


def _wipe(store: Any) -> None:
    """Delete every node chainkg wrote, as a database ``chainkg load`` never filled is."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) WHERE n:ChainkgMeta OR n:ChainNode OR n:ChainkgGeneration DETACH DELETE n").consume()


READ_ROUTES = [
    ("get", "/api/v1/clusters"),
    ("get", "/api/v1/clusters/t-nev"),
    ("get", "/api/v1/firms/f-cell-a"),
    ("get", "/api/v1/gaps"),
    ("get", "/api/v1/search?q=nev"),
    ("get", "/api/v1/projects"),
    ("get", "/views/clusters/t-nev"),
    ("get", "/reports/clusters/t-nev"),
    ("get", "/api/v1/export?format=json"),
    ("head", "/api/v1/clusters/t-nev"),
]
"""Routes that read the graph: lists, ids, views, reports and the export."""


@pytest.mark.neo4j
def test_an_empty_neo4j_database_answers_503_graph_not_loaded(neo4j_store: Any) -> None:
    """On a database nothing was loaded into the API answered `404 No cluster with id 'nev'` and empty lists,
    which sends a client looking for a typo. Now every route that reads the graph answers 503
    `graph-not-loaded` saying how to load one, `/health` reports it, and a load is served at once."""
    neo4j_store.replace(tiny_chain())
    client = TestClient(create_app(neo4j_store, Settings.from_env(env={})))  # no `with`: the store stays open
    assert client.get("/api/v1/clusters/t-nev").status_code == 200
    _wipe(neo4j_store)
    try:
        assert neo4j_store.version() == "neo4j-empty"
        for method, url in READ_ROUTES:
            response = client.request(method, url)
            assert response.status_code == 503, (url, response.status_code, response.text[:300])
            assert response.headers["content-type"].startswith("application/problem+json"), url
            if method == "head":
                continue
            body = response.json()
            assert PROBLEM_KEYS <= set(body)
            assert body["type"].endswith("/graph-not-loaded") and body["title"] == "No graph loaded", url
            assert body["detail"].startswith(f"Neo4j at {os.environ['NEO4J_URI']} (database {neo4j_store.database})")
            assert EMPTY_HINT in body["detail"]
        health = client.get("/health")
        assert health.status_code == 200  # liveness: the process is fine
        assert health.json()["status"] == "graph-not-loaded" and EMPTY_HINT in health.json()["detail"]
        assert health.json()["store"]["state"] == "up"
        upload = client.post("/api/v1/imports", files={"file": ("firms.csv", b"id\n")})
        assert upload.status_code == 403  # an import is not a read: writes are off here, not refused as empty
    finally:
        neo4j_store.replace(tiny_chain())
    assert client.get("/api/v1/clusters/t-nev").status_code == 200  # the load is served without a restart
    assert client.get("/health").json()["status"] == "ok" and client.get("/health").json()["detail"] is None


def test_a_loaded_store_reads_and_reports_ok(api_client: Any) -> None:
    """The embedded store always holds a graph: `/health` is ok, with no detail, and reads answer 200."""
    health = api_client.get("/health").json()
    assert health["status"] == "ok" and health["detail"] is None
    assert api_client.get("/api/v1/clusters/nev").status_code == 200
