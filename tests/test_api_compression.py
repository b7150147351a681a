"""gzip for clients that ask for it (review 15b: the views and the long lists travelled uncompressed).

A client sending ``Accept-Encoding: gzip`` gets the large answers compressed, with the same status, weak
``ETag`` and decoded body as an uncompressed one; a ``HEAD`` has the ``GET``'s headers; small answers,
errors, 304s and files compressed already (workbooks) are sent as they are. These read the raw bytes
(``stream=True`` and ``iter_raw``), since httpx would otherwise decode them for us.
"""

from __future__ import annotations

import gzip
import json

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.compression import MINIMUM_SIZE
from chainkg.settings import Settings
from graph.memory_store import MemoryStore

GZIP = {"Accept-Encoding": "gzip"}
IDENTITY = {"Accept-Encoding": "identity"}
LARGE = ["/api/v1/gaps", "/api/v1/export?format=json", "/views/clusters/nev", "/reports/summary", "/api/v1/sources"]


@pytest.fixture(scope="module")
def client(bundled_store: MemoryStore) -> TestClient:
    return TestClient(create_app(bundled_store, Settings.from_env(env={})))


def raw(client: TestClient, path: str, headers: dict[str, str], method: str = "GET") -> tuple[int, dict, bytes]:
    """Status, headers and the body's bytes as sent on the wire (not decoded)."""
    with client.stream(method, path, headers=headers) as response:
        body = b"".join(response.iter_raw())
        return response.status_code, dict(response.headers), body


@pytest.mark.parametrize("path", LARGE)
def test_a_large_answer_is_gzipped_for_a_client_that_asks(client, path):
    status, headers, body = raw(client, path, GZIP)
    plain_status, plain_headers, plain = raw(client, path, IDENTITY)
    assert status == plain_status == 200
    assert headers["content-encoding"] == "gzip"
    assert "content-encoding" not in plain_headers
    assert "accept-encoding" in headers["vary"].lower()
    assert gzip.decompress(body) == plain
    assert int(headers["content-length"]) == len(body) < len(plain) / 2
    assert headers["etag"] == plain_headers["etag"] and headers["etag"].startswith('W/"')


def test_a_compressed_json_answer_reads_as_the_uncompressed_one(client):
    _, _, body = raw(client, "/api/v1/gaps?cluster=nev", GZIP)
    assert json.loads(gzip.decompress(body)) == client.get("/api/v1/gaps?cluster=nev", headers=IDENTITY).json()


@pytest.mark.parametrize("path", ["/api/v1/gaps", "/views/overview"])
def test_head_has_the_headers_of_the_compressed_get(client, path):
    _, get_headers, _ = raw(client, path, GZIP)
    status, head_headers, body = raw(client, path, GZIP, method="HEAD")
    assert status == 200 and body == b""
    for name in ("content-encoding", "content-length", "content-type", "etag", "vary"):
        assert head_headers[name] == get_headers[name], name


def test_the_etag_of_a_compressed_answer_revalidates(client):
    _, headers, _ = raw(client, "/views/overview", GZIP)
    status, not_modified, body = raw(client, "/views/overview", {**GZIP, "If-None-Match": headers["etag"]})
    assert status == 304 and body == b""
    assert "content-encoding" not in not_modified


def test_small_answers_and_errors_are_sent_as_they_are(client):
    status, headers, body = raw(client, "/api/v1/search?q=catl&limit=1", GZIP)
    assert status == 200 and len(body) < MINIMUM_SIZE
    assert "content-encoding" not in headers
    status, headers, body = raw(client, "/api/v1/clusters/nevv", GZIP)
    assert status == 404 and "content-encoding" not in headers
    assert json.loads(body)["status"] == 404


def test_a_workbook_is_not_compressed_twice(client):
    status, headers, body = raw(client, "/reports/clusters/nev.xlsx", GZIP)
    assert status == 200 and len(body) > MINIMUM_SIZE
    assert "content-encoding" not in headers
    assert body[:2] == b"PK"  # the xlsx (a zip archive) itself
