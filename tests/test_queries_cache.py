"""The per-version cache of analysis results."""

from __future__ import annotations

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
