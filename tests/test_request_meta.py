"""One read of Neo4j's meta node per API request (``graph.neo4j_store.request_scope``, ``api.caching.OneMetaRead``).

Each request used to read the meta node (the data version) over Bolt three or four times: in the ``ETag``
middleware, in the ``graph-not-loaded`` check, for the query cache's key and in some routes. Within a request
scope a store now reads it once and answers every later ``version()`` from that read; a ``replace`` forgets it
and the scope ends with the request, so the next request sees a new graph.

The first tests need no server (the store's ``_read`` is replaced by a counting fake); the ``neo4j`` ones count
the meta queries a real store sends while a ``TestClient`` on it answers.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Iterator, Mapping
from typing import Any

import pytest
from fastapi.testclient import TestClient
from starlette.concurrency import run_in_threadpool

from api import caching
from api.app import create_app
from chainkg.settings import Settings
from graph import neo4j_cypher as cy
from graph.dataset import Dataset
from graph.errors import StoreUnavailable
from graph.neo4j_store import Neo4jStore, in_scope, request_scope

CHAIN = "/api/v1/clusters/nev/chain"


class MetaReads:
    """Replaces a store's ``_read``: counts the meta node's reads and passes every query on to ``read``."""

    def __init__(self, read: Any) -> None:
        self.read = read
        self.meta = 0
        self.lock = threading.Lock()

    def __call__(self, query: str, params: Mapping[str, Any], action: str = "reading") -> list[dict[str, Any]]:
        if query == cy.META:
            with self.lock:
                self.meta += 1
        return self.read(query, params, action)  # type: ignore[no-any-return]


def _fake_store(rows: list[list[dict[str, Any]] | Exception]) -> tuple[Neo4jStore, MetaReads]:
    """A store with no server whose meta reads answer ``rows`` in turn (an exception is raised)."""
    store = Neo4jStore("bolt://127.0.0.1:1", driver=object())  # never used: _read is replaced
    answers = iter(rows)

    def read(query: str, params: Mapping[str, Any], action: str) -> list[dict[str, Any]]:
        answer = next(answers)
        if isinstance(answer, Exception):
            raise answer
        return answer

    counter = MetaReads(read)
    store._read = counter  # type: ignore[method-assign]
    return store, counter


def _meta(gen: str) -> list[dict[str, Any]]:
    return [{"gen": gen, "fingerprint": "f00d", "nodes": 3}]


# -- the scope, without a server -------------------------------------------------------------------------------


def test_outside_a_scope_every_call_reads() -> None:
    store, reads = _fake_store([_meta("g1"), _meta("g2"), _meta("g3")])
    assert not in_scope()
    assert [store.version() for _ in range(3)] == ["neo4j-g1-f00d", "neo4j-g2-f00d", "neo4j-g3-f00d"]
    assert reads.meta == 3


def test_in_a_scope_a_store_reads_once_and_ping_uses_the_same_read() -> None:
    store, reads = _fake_store([_meta("g1"), _meta("g2")])
    store._driver = type("Driver", (), {"get_server_info": lambda self: None})()  # ping's server check
    with request_scope():
        assert in_scope()
        assert {store.version() for _ in range(5)} == {"neo4j-g1-f00d"}
        assert store.ping()["generation"] == "g1"
    assert reads.meta == 1
    assert not in_scope()
    assert store.version() == "neo4j-g2-f00d"  # the scope is over: read afresh
    assert reads.meta == 2


def test_a_read_in_a_worker_thread_fills_the_requests_scope() -> None:
    """``run_in_threadpool`` runs in a copy of the context; the copy holds the same memo, so its read counts."""
    store, reads = _fake_store([_meta("g1"), _meta("g2")])

    async def request() -> list[str]:
        with request_scope():
            first = await asyncio.wait_for(run_in_threadpool(store.version), 5)  # as the ETag middleware does
            return [first, store.version(), await run_in_threadpool(store.version)]

    assert asyncio.run(request()) == ["neo4j-g1-f00d"] * 3
    assert reads.meta == 1


def test_a_failed_read_is_not_kept_and_an_empty_database_is() -> None:
    store, reads = _fake_store([StoreUnavailable("timed out"), [], _meta("g9")])
    with request_scope():
        with pytest.raises(StoreUnavailable):
            store.version()
        assert store.version() == "neo4j-empty"  # read again after the failure
        assert store.version() == "neo4j-empty"  # "no graph" is an answer: kept
    assert reads.meta == 2


def test_each_store_has_its_own_read_and_a_load_forgets_it() -> None:
    one, one_reads = _fake_store([_meta("a1"), _meta("a2")])
    two, two_reads = _fake_store([_meta("b1")])
    with request_scope():
        assert (one.version(), two.version(), one.version(), two.version()) == (
            "neo4j-a1-f00d",
            "neo4j-b1-f00d",
            "neo4j-a1-f00d",
            "neo4j-b1-f00d",
        )
        one._forget_meta()  # what every load does at its end (the real one: test_a_replace_in_a_scope_...)
        assert (one.version(), two.version()) == ("neo4j-a2-f00d", "neo4j-b1-f00d")
    assert (one_reads.meta, two_reads.meta) == (2, 1)


def test_scopes_nest_and_the_outer_one_keeps_its_read() -> None:
    store, reads = _fake_store([_meta("g1"), _meta("g2")])
    with request_scope():
        assert store.version() == "neo4j-g1-f00d"
        with request_scope():
            assert store.version() == "neo4j-g2-f00d"
        assert store.version() == "neo4j-g1-f00d"
    assert reads.meta == 2


# -- the API on a real Neo4j --------------------------------------------------------------------------------------


@pytest.fixture
def counted(neo4j_store: Neo4jStore, bundled: Dataset, monkeypatch: pytest.MonkeyPatch) -> Iterator[MetaReads]:
    """The session's Neo4j store holding the bundled data, its meta reads counted for this test only."""
    if not neo4j_store.version().endswith(bundled.fingerprint()):  # another test may have loaded something else
        neo4j_store.replace(bundled)
    reads = MetaReads(neo4j_store._read)
    monkeypatch.setattr(neo4j_store, "_read", reads)
    yield reads


def _client(store: Neo4jStore) -> TestClient:
    return TestClient(create_app(store, Settings.from_env(env={})))  # no `with`: the session's store stays open


def _meta_reads_of(client: TestClient, reads: MetaReads, path: str, **kwargs: Any) -> tuple[int, Any]:
    reads.meta = 0
    response = client.get(path, **kwargs)
    return reads.meta, response


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "path",
    [
        CHAIN,  # ETag, loaded check, per-version cache
        "/api/v1/gaps?cluster=nev&limit=5",
        "/views/clusters/nev",  # the route keys its page cache by store.version() too
        "/reports/summary",  # and so do the reports
    ],
)
def test_a_warm_request_reads_the_meta_node_once(neo4j_store: Neo4jStore, counted: MetaReads, path: str) -> None:
    client = _client(neo4j_store)
    assert client.get(path).status_code == 200  # warm: the query and page caches hold the answer
    meta_reads, response = _meta_reads_of(client, counted, path)
    assert response.status_code == 200
    assert response.headers["etag"].startswith(f'W/"{neo4j_store.version()}-')
    assert meta_reads == 1
    meta_reads, again = _meta_reads_of(client, counted, path, headers={"If-None-Match": response.headers["etag"]})
    assert (again.status_code, meta_reads) == (304, 1)


@pytest.mark.neo4j
def test_other_requests_read_it_at_most_once_too(neo4j_store: Neo4jStore, counted: MetaReads) -> None:
    client = _client(neo4j_store)
    for method, path, body, status in [
        ("GET", "/health", None, 200),
        ("GET", "/api/v1/clusters/no-such-cluster/chain", None, 404),  # the loaded check, then the query
        ("POST", "/api/v1/what-if", {"remove": ["li-auto"]}, 200),  # POST: no ETag, the loaded check and the cache
    ]:
        counted.meta = 0
        response = client.request(method, path, json=body)
        assert response.status_code == status, (path, response.text[:300])
        assert counted.meta == 1, (path, counted.meta)


@pytest.mark.neo4j
def test_outside_a_request_every_version_call_still_reads(neo4j_store: Neo4jStore, counted: MetaReads) -> None:
    counted.meta = 0
    assert neo4j_store.version() == neo4j_store.version()
    assert counted.meta == 2


@pytest.mark.neo4j
def test_the_request_after_a_replace_sees_the_new_version(
    neo4j_store: Neo4jStore, counted: MetaReads, bundled: Dataset
) -> None:
    client = _client(neo4j_store)
    before = client.get(CHAIN)
    old_version = neo4j_store.version()
    neo4j_store.replace(bundled)  # the same data as a new generation: a new version
    new_version = neo4j_store.version()
    assert new_version != old_version
    meta_reads, after = _meta_reads_of(client, counted, CHAIN, headers={"If-None-Match": before.headers["etag"]})
    assert after.status_code == 200  # the old tag no longer matches
    assert after.headers["etag"].startswith(f'W/"{new_version}-')
    assert after.json() == before.json()
    assert meta_reads == 1


@pytest.mark.neo4j
def test_a_replace_in_a_scope_is_seen_by_the_rest_of_the_scope(
    neo4j_store: Neo4jStore, counted: MetaReads, bundled: Dataset
) -> None:
    """As an import does within its request: the store forgets the read it kept."""
    with request_scope():
        old_version = neo4j_store.version()
        neo4j_store.replace(bundled)
        in_scope_version = neo4j_store.version()
    assert in_scope_version != old_version
    assert in_scope_version == neo4j_store.version()  # what a fresh read says


@pytest.mark.neo4j
def test_a_slow_version_read_leaves_no_tag_and_the_route_reads_for_itself(
    neo4j_store: Neo4jStore, counted: MetaReads, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ETag's read gives up after ``VERSION_WAIT_S`` and is not waited for again: the route reads itself
    (the frozen-server case of ``tests/test_reliability_faults.py``, with one slow read instead of a frozen server)."""
    client = _client(neo4j_store)
    assert client.get(CHAIN).status_code == 200
    monkeypatch.setattr(caching, "VERSION_WAIT_S", 0.2)
    slow = threading.Event()
    read = counted.read

    def first_meta_read_slow(query: str, params: Mapping[str, Any], action: str) -> list[dict[str, Any]]:
        if query == cy.META and not slow.is_set():
            slow.set()
            time.sleep(1.0)
        return read(query, params, action)  # type: ignore[no-any-return]

    counted.read = first_meta_read_slow
    meta_reads, response = _meta_reads_of(client, counted, CHAIN)
    assert slow.is_set()
    assert response.status_code == 200
    assert "etag" not in response.headers
    assert meta_reads == 2  # the ETag's (given up) and the route's own
