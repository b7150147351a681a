"""Hostile input: Cypher injection in every string parameter, XSS and Unicode names, path traversal.

The injection tests walk the app's own OpenAPI document, so a route added later
is covered without being listed here. They run on the embedded store and on the
real Neo4j (``NEO4J_URI``), and check the graph is unchanged afterwards.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from chainkg.cli import main as cli
from chainkg.settings import BUNDLED_DATA, Settings
from graph.memory_store import MemoryStore
from graph.store import GraphStore
from loaders.folder import load_folder
from reliability.hostile import (
    CYPHER_INJECTIONS,
    PATH_TRAVERSALS,
    UNICODE_NAMES,
    XSS_MARKERS,
    XSS_NAMES,
    hostile_firms_csv,
)

API_KEY = "test-only-key-" + "x" * 16
SOURCE = "s20-kjj-2024-02"  # a source of the bundled data the fixture firms cite


def _types(schema: dict[str, Any]) -> set[str]:
    return {schema.get("type", "")} | {s.get("type", "") for s in schema.get("anyOf", [])}


def injection_requests(spec: dict[str, Any]) -> Iterator[tuple[str, str, str, str, dict[str, str]]]:
    """(label, where, url, param, query) for every string parameter of every GET, once per injection string."""
    for path, item in spec["paths"].items():
        operation = item.get("get")
        if not operation:
            continue
        params = operation.get("parameters", [])
        for target in params:
            if "string" not in _types(target["schema"]):
                continue
            for injected in CYPHER_INJECTIONS:
                url, query = path, {}
                for other in params:
                    if other["in"] == "path":
                        value = injected if other is target else "nev"
                        url = url.replace("{" + other["name"] + "}", quote(value, safe=""))
                    elif other is target:
                        query[other["name"]] = injected
                    elif other.get("required"):
                        query[other["name"]] = other["schema"].get("enum", ["json"])[0]
                yield f"GET {path} {target['name']}={injected!r}", target["in"], url, target["name"], query


def fingerprint(store: GraphStore) -> tuple[str, str, str]:
    return store.version(), json.dumps(store.counts(), sort_keys=True), store.snapshot().fingerprint()


def matches_literally(body: dict[str, Any], injected: str) -> bool:
    """Whether a list answer holds nothing, or only items that contain ``injected`` as plain text: a source
    titled "...70%..." found by ``q=%`` is a literal match, not a wildcard (every item would be one).

    >>> matches_literally({"total": 0, "items": []}, "%"), matches_literally({"total": 1, "items": [{"t": "70%"}]}, "%")
    (True, True)
    >>> matches_literally({"total": 2, "items": [{"t": "70%"}, {"t": "x"}]}, "%")
    False
    """
    items = body.get("items")
    if body.get("total") == 0:
        return True
    if not isinstance(items, list) or len(items) != body.get("total"):
        return False
    return all(injected.lower() in json.dumps(item, ensure_ascii=False).lower() for item in items)


def assert_injections_refused(client: TestClient, store: GraphStore) -> int:
    before = fingerprint(store)
    spec = client.get("/openapi.json").json()
    problems, sent = [], 0
    for label, where, url, param, query in injection_requests(spec):
        response = client.get(url, params=query)
        sent += 1
        status = response.status_code
        if where == "path":
            ok = status in (404, 422)
        else:
            ok = status in (404, 422) or (status == 200 and matches_literally(response.json(), query[param]))
        if not ok:
            problems.append(f"{label}: {status} {response.text[:150]}")
    for injected in CYPHER_INJECTIONS:
        response = client.post("/api/v1/what-if", json={"remove": [injected]})
        sent += 1
        if response.status_code not in (404, 422):
            problems.append(f"POST /api/v1/what-if remove={injected!r}: {response.status_code}")
    assert not problems, "\n".join(problems[:20])
    assert fingerprint(store) == before, "an injection string changed the graph"
    return sent


def test_injection_strings_are_refused_and_change_nothing_in_memory():
    store = MemoryStore(load_folder(BUNDLED_DATA))
    with TestClient(create_app(store, Settings.from_env(env={}))) as client:
        sent = assert_injections_refused(client, store)
    assert sent > 20 * len(CYPHER_INJECTIONS)  # every string parameter of every route was tried


@pytest.mark.neo4j
def test_injection_strings_are_refused_and_change_nothing_on_neo4j(neo4j_store):
    neo4j_store.replace(load_folder(BUNDLED_DATA))
    client = TestClient(create_app(neo4j_store, Settings.from_env(env={})))  # no lifespan: the store stays open
    assert_injections_refused(client, neo4j_store)
    assert neo4j_store.node("nev") is not None and len(neo4j_store.nodes("Cluster")) >= 10


# -- hostile names imported through the API ------------------------------------------------


@pytest.fixture(scope="module")
def hostile_client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    """The bundled graph plus the fixture firms of :mod:`reliability.hostile`, imported through the API."""
    state = tmp_path_factory.mktemp("hostile-state")
    settings = Settings.from_env(env={"CHAINKG_API_KEY": API_KEY, "CHAINKG_STATE_DIR": str(state)})
    with TestClient(create_app(MemoryStore(load_folder(BUNDLED_DATA)), settings)) as client:
        response = client.post(
            "/api/v1/imports",
            headers={"X-API-Key": API_KEY},
            files={"file": ("firms.csv", hostile_firms_csv(SOURCE).encode("utf-8"), "text/csv")},
        )
        assert response.status_code == 200, response.text[:2000]
        assert response.json()["applied"] is True
        yield client


def test_xss_names_come_back_verbatim_as_json(hostile_client):
    response = hostile_client.get("/api/v1/firms/xss-firm")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["x-content-type-options"] == "nosniff"
    body = response.json()
    assert body["name_zh"] == XSS_NAMES["name_zh"] and body["name_en"] == XSS_NAMES["name_en"]
    found = hostile_client.get("/api/v1/search", params={"q": "恶意企业"}).json()
    assert "xss-firm" in {item["id"] for item in found["items"]}


@pytest.mark.parametrize("path", ["/views/firms/xss-firm", "/views/overview", "/views/firms/no-such<script>"])
def test_xss_names_stay_inert_in_views(hostile_client, path):
    response = hostile_client.get(path)
    assert response.status_code in (200, 404)
    html = response.text
    for marker in XSS_MARKERS:
        assert marker not in html, f"{marker!r} appears unescaped in {path}"
    csp = response.headers["content-security-policy"]
    assert "default-src 'none'" in csp and "unsafe-inline" not in csp and "unsafe-eval" not in csp
    if path == "/views/firms/xss-firm":
        assert "\\u003cscript\\u003e" in html or "&lt;script&gt;" in html  # the name is there, escaped


@pytest.mark.parametrize("firm_id", sorted(UNICODE_NAMES))
def test_unicode_names_load_search_and_render(hostile_client, firm_id):
    name = UNICODE_NAMES[firm_id]
    detail = hostile_client.get(f"/api/v1/firms/{firm_id}")
    assert detail.status_code == 200 and detail.json()["name_zh"] == name
    search = hostile_client.get("/api/v1/search", params={"q": name})
    assert search.status_code == 200
    listed = hostile_client.get("/api/v1/firms", params={"q": name})
    assert listed.status_code == 200
    if "\u200b" not in name and "\u202e" not in name:  # invisible characters may be normalised away
        assert firm_id in {item["id"] for item in search.json()["items"]}, search.json()
    view = hostile_client.get(f"/views/firms/{firm_id}")
    assert view.status_code == 200
    assert json.dumps(name)[1:-1].replace("<", "\\u003c") in view.text or name in view.text


def test_unicode_and_control_characters_in_queries_do_not_break_search(hostile_client):
    for text in ("\u200b", "\u202e", "\ufeff", "🔋", "\U0001f600" * 50, "a\u0301" * 60, "\x00", "\t\n"):
        response = hostile_client.get("/api/v1/search", params={"q": text})
        assert response.status_code in (200, 422), (text, response.status_code, response.text[:200])


# -- path traversal --------------------------------------------------------------------------


@pytest.mark.parametrize("climb", PATH_TRAVERSALS)
@pytest.mark.parametrize(
    ("command", "suffix"),
    [
        (["render", "cluster", "nev"], ".html"),
        (["report", "nev"], ".html"),
        (["report", "nev", "--xlsx"], ".xlsx"),
        (["export", "--format", "json"], ".json"),
    ],
)
def test_cli_output_paths_that_climb_out_are_refused(tmp_path, monkeypatch, capsys, command, suffix, climb):
    work = tmp_path / "a" / "b"
    (work / "sub").mkdir(parents=True)
    monkeypatch.chdir(work)
    target = climb + suffix
    assert cli([*command, "-o", target]) == 2
    assert "'..' in an output path is not allowed" in capsys.readouterr().err
    assert not (work / target).resolve().exists()
    assert not [p for p in tmp_path.rglob("*") if p.is_file()], "nothing is written anywhere"


def test_an_upload_file_name_is_never_used_as_a_path(tmp_path):
    state = tmp_path / "state"
    settings = Settings.from_env(env={"CHAINKG_API_KEY": API_KEY, "CHAINKG_STATE_DIR": str(state)})
    with TestClient(create_app(MemoryStore(load_folder(BUNDLED_DATA)), settings)) as client:
        response = client.post(
            "/api/v1/imports",
            headers={"X-API-Key": API_KEY},
            files={"file": ("../../../escape-firms.csv", hostile_firms_csv(SOURCE).encode(), "text/csv")},
        )
    assert response.status_code == 200 and response.json()["applied"] is True
    written = sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file())
    assert all(p.startswith("state/") for p in written), written
    assert not list(Path("/").glob("escape-firms.csv")) and not list(tmp_path.parent.glob("escape-firms.csv"))


def test_a_workbook_download_name_never_carries_a_path(api_client):
    for cluster in ("nev", "..%2F..%2Fetc%2Fpasswd", "nev%22%0d%0aX-Injected: 1"):
        response = api_client.get(f"/reports/clusters/{cluster}.xlsx")
        disposition = response.headers.get("content-disposition", "")
        assert "x-injected" not in {k.lower() for k in response.headers}
        assert not re.search(r"[/\\]|\.\.", disposition), disposition
        assert response.status_code == (200 if cluster == "nev" else 404)
