"""The per-version cache of analysis results."""

from __future__ import annotations

import threading
import time
from concurrent.futures import ThreadPoolExecutor

import pytest

from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from queries import cache
from queries.analysis import analysis_for


def test_results_are_cached_per_version_and_old_versions_evicted():
    store = MemoryStore(tiny_chain())
    first = analysis_for(store)
    assert analysis_for(store) is first
    assert analysis_for(store, 2024) is not first  # another key (the year)
    for _ in range(cache.MAX_VERSIONS):
        store.replace(tiny_chain())
        analysis_for(store)
    assert (store.backend, store.version()) in cache._by_version
    assert len(cache._by_version) <= cache.MAX_VERSIONS


def test_a_new_version_is_recomputed():
    store = MemoryStore(tiny_chain())
    first = analysis_for(store)
    ds = tiny_chain()
    del ds.edges[("OPERATES_IN", "f-veh-a", "t-vehicle")]
    store.replace(ds)
    second = analysis_for(store)
    assert second is not first
    assert second.presence["t-vehicle"].status == "missing" and first.presence["t-vehicle"].status == "weak"


def test_threads_missing_together_compute_once_and_share_the_value():
    store = MemoryStore(tiny_chain())
    started, release = threading.Event(), threading.Event()
    calls = []

    def slow():
        calls.append(1)
        started.set()
        assert release.wait(10)
        return object()

    with ThreadPoolExecutor(8) as pool:
        first = pool.submit(cache.per_version, store, "slow-answer", slow)
        assert started.wait(10)
        others = [pool.submit(cache.per_version, store, "slow-answer", slow) for _ in range(7)]
        time.sleep(0.2)  # the others are now waiting for the first computation
        release.set()
        values = [first.result(10)] + [f.result(10) for f in others]
    assert len(calls) == 1
    assert all(v is values[0] for v in values)


def test_waiters_get_the_error_and_the_next_call_computes_again():
    store = MemoryStore(tiny_chain())
    started, release = threading.Event(), threading.Event()

    def failing():
        started.set()
        assert release.wait(10)
        raise RuntimeError("Neo4j went away")

    with ThreadPoolExecutor(2) as pool:
        first = pool.submit(cache.per_version, store, "flaky", failing)
        assert started.wait(10)
        waiter = pool.submit(cache.per_version, store, "flaky", failing)
        time.sleep(0.2)
        release.set()
        for future in (first, waiter):
            with pytest.raises(RuntimeError, match="went away"):
                future.result(10)
    assert cache.per_version(store, "flaky", lambda: 42) == 42
    assert not cache._computing
