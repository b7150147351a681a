"""Security defaults: headers on every response, the body limit (413), CORS closed by default, read-only
without an API key, and no secret in the code, the logs or an error body."""

from __future__ import annotations

import logging
import re
import subprocess
from collections.abc import Iterator

import httpx
import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.security import body_limit
from chainkg.settings import BUNDLED_DATA, Settings
from graph.errors import ConfigError
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from loaders.folder import load_folder
from reliability.server import free_port, served
from tests.conftest import REPO

SECRET_KEY = "k3y-" + "9f8e7d6c5b4a" * 2
SECRET_PASSWORD = "pw-" + "a1b2c3d4e5f6" * 2


def client(env: dict[str, str] | None = None) -> TestClient:
    return TestClient(create_app(MemoryStore(tiny_chain()), Settings.from_env(env=env or {})))


# -- headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/health", 200),
        ("GET", "/api/v1/clusters", 200),
        ("GET", "/api/v1/firms/nope", 404),
        ("GET", "/api/v1/firms?limit=0", 422),
        ("DELETE", "/api/v1/clusters", 405),
        ("GET", "/no/such/route", 404),
        ("POST", "/api/v1/imports", 403),
        ("GET", "/views/overview", 200),
        ("GET", "/views/clusters/nope", 404),
        ("GET", "/reports/summary", 200),
        ("GET", "/reports/targets", 200),
        ("GET", "/reports/clusters/t-nev/brief", 200),
        ("GET", "/docs", 200),
        ("GET", "/openapi.json", 200),
        ("GET", "/api/v1/export?format=xlsx", 200),
    ],
)
def test_every_response_carries_the_security_headers(method, path, status):
    with client() as c:
        response = c.request(method, path)
    assert response.status_code == status
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["referrer-policy"] == "no-referrer"
    assert response.headers["x-frame-options"] == "DENY"
    csp = response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in csp
    if response.headers["content-type"].startswith("text/html") and not path.startswith("/docs"):
        assert "default-src 'none'" in csp and "unsafe-inline" not in csp
    if "json" in response.headers["content-type"]:
        assert csp.startswith("default-src 'none'")
    if status == 405:
        assert "GET" in response.headers["allow"]


def test_an_unexpected_error_is_a_problem_with_the_headers_and_no_details():
    class Broken(MemoryStore):
        def nodes(self, kind):  # type: ignore[override]
            raise RuntimeError("internal detail that must not leak")

    app = create_app(Broken(tiny_chain()), Settings.from_env(env={}))
    with TestClient(app, raise_server_exceptions=False) as c:
        response = c.get("/api/v1/clusters")
    assert response.status_code == 500
    assert response.headers["content-type"] == "application/problem+json"
    assert response.headers["x-content-type-options"] == "nosniff"
    assert "internal detail" not in response.text


# -- body limit ------------------------------------------------------------------------------


def _chunks(total: int, size: int = 64 * 1024) -> Iterator[bytes]:
    sent = 0
    while sent < total:
        yield b" " * min(size, total - sent)
        sent += size


def test_the_body_limit_is_configurable_and_checked():
    assert Settings.from_env(env={}).max_body_mb == 20
    assert Settings.from_env(env={"CHAINKG_MAX_BODY_MB": "1.5"}).max_body_mb == 1.5
    for bad in ("0", "-1", "lots", "1e9"):
        with pytest.raises(ConfigError, match="CHAINKG_MAX_BODY_MB"):
            Settings.from_env(env={"CHAINKG_MAX_BODY_MB": bad})
    assert body_limit(20) == 20 * 2**20 + 64 * 2**10


@pytest.mark.parametrize("chunked", [False, True])
def test_a_body_over_the_limit_is_413_problem_json(chunked):
    over = body_limit(1) + 1
    with client({"CHAINKG_MAX_BODY_MB": "1"}) as c:
        body = _chunks(over) if chunked else b" " * over
        response = c.post("/api/v1/what-if", content=body, headers={"content-type": "application/json"})
        assert response.status_code == 413
        assert response.headers["content-type"] == "application/problem+json"
        assert (
            response.json()["type"].endswith("payload-too-large") and "CHAINKG_MAX_BODY_MB" in response.json()["detail"]
        )
        small = c.post("/api/v1/what-if", content=_chunks(10) if chunked else b"{}", headers={"content-type": "x"})
        assert small.status_code == 422  # under the limit: handed on, and refused for what it is


def test_the_served_api_answers_413_to_a_chunked_upload_without_content_length():
    with served({"CHAINKG_MAX_BODY_MB": "1", "CHAINKG_API_KEY": SECRET_KEY}) as server:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            big = http.post(
                "/api/v1/imports",
                content=_chunks(2 * 2**20),
                headers={"content-type": "multipart/form-data; boundary=x", "x-api-key": SECRET_KEY},
            )
            assert big.request.headers.get("transfer-encoding") == "chunked"
            assert "content-length" not in big.request.headers
            assert big.status_code == 413 and big.headers["content-type"] == "application/problem+json"
            declared = http.post("/api/v1/what-if", content=b" " * (2 * 2**20))
            assert declared.status_code == 413
            fine = http.post("/api/v1/what-if", content=_chunks(5), headers={"content-type": "application/json"})
            assert fine.status_code == 422
            assert http.get("/health").status_code == 200  # still serving
        assert SECRET_KEY not in server.output()


# -- CORS ------------------------------------------------------------------------------------


def test_cors_is_closed_by_default():
    with client() as c:
        simple = c.get("/api/v1/clusters", headers={"Origin": "https://evil.example"})
        preflight = c.options(
            "/api/v1/imports",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
    assert simple.status_code == 200
    assert "access-control-allow-origin" not in simple.headers
    assert "access-control-allow-origin" not in preflight.headers
    assert preflight.status_code in (400, 405)


def test_cors_opens_only_to_the_allow_list():
    env = {"CHAINKG_CORS_ORIGINS": "https://planning.example, https://intranet.example"}
    with client(env) as c:
        allowed = c.get("/api/v1/clusters", headers={"Origin": "https://planning.example"})
        other = c.get("/api/v1/clusters", headers={"Origin": "https://evil.example"})
        preflight = c.options(
            "/api/v1/imports",
            headers={
                "Origin": "https://intranet.example",
                "Access-Control-Request-Method": "POST",
                "Access-Control-Request-Headers": "x-api-key",
            },
        )
        refused = c.options(
            "/api/v1/imports",
            headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "POST"},
        )
    assert allowed.headers["access-control-allow-origin"] == "https://planning.example"
    assert "access-control-allow-origin" not in other.headers
    assert preflight.status_code == 200
    assert preflight.headers["access-control-allow-origin"] == "https://intranet.example"
    assert "access-control-allow-credentials" not in preflight.headers
    assert refused.status_code == 400 and "access-control-allow-origin" not in refused.headers
    assert preflight.headers["x-content-type-options"] == "nosniff"


def test_an_allowed_origin_can_revalidate_with_the_etag():
    """Review 15b (M3): a browser app on an allowed origin may send If-None-Match and read the ETag."""
    origin = {"Origin": "https://planning.example"}
    with client({"CHAINKG_CORS_ORIGINS": origin["Origin"]}) as c:
        preflight = c.options(
            "/api/v1/clusters",
            headers={
                **origin,
                "Access-Control-Request-Method": "GET",
                "Access-Control-Request-Headers": "if-none-match",
            },
        )
        first = c.get("/api/v1/clusters", headers=origin)
        again = c.get("/api/v1/clusters", headers={**origin, "If-None-Match": first.headers["etag"]})
    assert preflight.status_code == 200, preflight.text
    assert "if-none-match" in preflight.headers["access-control-allow-headers"].lower()
    exposed = {h.strip().lower() for h in first.headers["access-control-expose-headers"].split(",")}
    assert {"etag", "content-disposition"} <= exposed
    assert again.status_code == 304


# -- read-only without a key --------------------------------------------------------------------

READ_ONLY_POSTS = {"/api/v1/what-if"}
"""POST routes that compute and write nothing (checked below: the graph is unchanged)."""


def _write_routes() -> list[tuple[str, str]]:
    """Every (method, path) of the OpenAPI document that is not a GET."""
    spec = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
    return [
        (method.upper(), path)
        for path, item in sorted(spec["paths"].items())
        for method in sorted(item)
        if method in {"post", "put", "patch", "delete"}
    ]


def test_there_are_write_routes_to_check():
    assert ("POST", "/api/v1/imports") in _write_routes()


@pytest.mark.parametrize(("method", "path"), _write_routes())
def test_every_write_route_is_refused_without_a_configured_key(method, path):
    store = MemoryStore(load_folder(BUNDLED_DATA))
    before = (store.version(), store.snapshot().fingerprint())
    url = re.sub(r"\{[^}]+\}", "nev", path)
    bodies = [{"json": {}}, {"files": {"file": ("firms.csv", b"id,name_zh,is_local,sources\n", "text/csv")}}]
    with TestClient(create_app(store, Settings.from_env(env={}))) as c:
        statuses = {c.request(method, url, **body).status_code for body in bodies}  # type: ignore[arg-type]
        with_key = c.request(method, url, headers={"X-API-Key": "guess"}, json={}).status_code
    assert (store.version(), store.snapshot().fingerprint()) == before, f"{method} {path} changed the graph"
    if path in READ_ONLY_POSTS:
        return
    assert statuses == {403} and with_key == 403, f"{method} {path} answered {statuses | {with_key}} with no key set"


def test_with_a_key_configured_a_missing_or_wrong_key_is_401():
    env = {"CHAINKG_API_KEY": SECRET_KEY}
    upload = {"file": ("firms.csv", b"id,name_zh,is_local,sources\n", "text/csv")}
    with client(env) as c:
        assert c.post("/api/v1/imports", files=upload).status_code == 401
        wrong = c.post("/api/v1/imports", files=upload, headers={"X-API-Key": SECRET_KEY[:-1]})
        assert wrong.status_code == 401 and SECRET_KEY not in wrong.text
        bearer = c.post(
            "/api/v1/imports", files=upload, data={"dry_run": "true"}, headers={"Authorization": "Bearer " + SECRET_KEY}
        )
        assert bearer.status_code in (200, 422)


# -- no secrets in code, logs or error bodies ---------------------------------------------------

SECRET_PATTERNS = [
    re.compile(r"""(?i)(password|passwd|secret|api[_-]?key|token)\s*[:=]\s*["'][^"'\s$%{}<>]{6,}["']"""),
    re.compile(r"""NEO4J_PASSWORD\s*[:=]\s*["']?[A-Za-z0-9][^\s"'$]{5,}"""),
    re.compile(r"""NEO4J_AUTH\s*[:=]\s*["']?[^/\s"']+/[A-Za-z0-9][^\s"'$]{3,}"""),
    re.compile(r"-----BEGIN [A-Z ]*PRIVATE KEY-----"),
    re.compile(r"AKIA[0-9A-Z]{16}"),
    re.compile(r"(?i)(bolt|neo4j)(\+s|\+ssc)?://[^/\s:@]+:[^/\s@{]+@"),
]
ALLOWED_SECRETS = ("test-only-key-", "k3y-", "pw-", "s3cret-for-tests")
"""Literals that are obviously test fixtures (and exist only in tests)."""


def _tracked_files() -> list[str]:
    result = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard"],
        cwd=REPO,
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line]


def test_no_password_like_literal_is_committed():
    suspicious = []
    for name in _tracked_files():
        path = REPO / name
        if not path.is_file() or path.suffix in {".xlsx", ".png", ".jpg", ".zip", ".pdf"} or "/.venv/" in name:
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except (UnicodeDecodeError, OSError):
            continue
        for pattern in SECRET_PATTERNS:
            for match in pattern.finditer(text):
                if not any(allowed in match.group(0) for allowed in ALLOWED_SECRETS):
                    suspicious.append(f"{name}: {match.group(0)[:80]}")
    assert not suspicious, "password-like literals:\n" + "\n".join(suspicious)


def test_the_secret_patterns_find_secrets():
    word = "hunter" + "22"  # kept out of any literal, so the scan above does not flag this file
    samples = [f'password = "{word}"', f"NEO4J_AUTH=neo4j/{word}", f"bolt://neo4j:{word}@db:7687", f'api_key: "{word}"']
    for sample in samples:
        assert any(p.search(sample) for p in SECRET_PATTERNS), sample
    assert not any(p.search("NEO4J_AUTH=neo4j/${NEO4J_PASSWORD}") for p in SECRET_PATTERNS)


def test_settings_never_show_the_key_or_the_password():
    settings = Settings.from_env(env={"CHAINKG_API_KEY": SECRET_KEY, "NEO4J_PASSWORD": SECRET_PASSWORD})
    assert settings.api_key == SECRET_KEY
    for text in (repr(settings), str(settings)):
        assert SECRET_KEY not in text and SECRET_PASSWORD not in text


def test_a_dead_neo4j_never_shows_the_password_in_answers_or_logs(caplog):
    """A store with credentials whose server is gone: 503 bodies, /health and every log line stay clean."""
    from graph.neo4j_store import Neo4jStore

    uri = f"bolt://127.0.0.1:{free_port()}"  # nothing listens there
    settings = Settings.from_env(
        env={"CHAINKG_BACKEND": "neo4j", "NEO4J_URI": uri, "NEO4J_USER": "neo4j", "NEO4J_PASSWORD": SECRET_PASSWORD}
    )
    caplog.set_level(logging.DEBUG)
    store = Neo4jStore.from_settings(settings)
    try:
        with TestClient(create_app(store, settings)) as c:
            answers = [c.get(p) for p in ("/api/v1/clusters", "/api/v1/firms/x", "/views/overview", "/health")]
    finally:
        store.close()
    assert [a.status_code for a in answers] == [503, 503, 503, 200]
    assert answers[0].headers["content-type"] == "application/problem+json"
    assert answers[3].json()["store"]["state"] == "down"
    for answer in answers:
        assert SECRET_PASSWORD not in answer.text
    assert caplog.records, "the failures were logged"
    assert SECRET_PASSWORD not in caplog.text


def test_the_served_logs_never_show_the_api_key():
    port_env = {"CHAINKG_API_KEY": SECRET_KEY, "NEO4J_PASSWORD": SECRET_PASSWORD}
    with served(port_env, args=("--log-level", "debug")) as server:
        with httpx.Client(base_url=server.url, timeout=30) as http:
            upload = {"file": ("firms.csv", b"id,name_zh,is_local,sources\n", "text/csv")}
            http.post("/api/v1/imports", files=upload, headers={"X-API-Key": "wrong-" + SECRET_KEY})
            http.post("/api/v1/imports", files=upload, data={"dry_run": "true"}, headers={"X-API-Key": SECRET_KEY})
            http.get("/health")
        output = server.output()
    assert "/api/v1/imports" in output  # the requests were logged
    assert SECRET_KEY not in output and SECRET_PASSWORD not in output
