"""The embedded store's behaviour."""

import pytest

from graph.errors import ModelError
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Edge
from graph.store import GraphStore


def test_memory_store_fits_the_protocol(tiny_store):
    assert isinstance(tiny_store, GraphStore)


def test_nodes_are_sorted_and_filtered_by_kind(tiny_store):
    ids = [n.id for n in tiny_store.nodes("Firm")]
    assert ids == sorted(ids) and len(ids) == 12


def test_edges_by_endpoint(tiny_store):
    into_cell = tiny_store.edges("SUPPLIES", target="t-cell")
    assert [e.source for e in into_cell] == ["t-anode", "t-cathode"]
    assert tiny_store.edges("SUPPLIES", source="t-cell", target="t-pack")[0].target == "t-pack"
    assert tiny_store.edges(source="nope") == []


def test_replace_is_atomic_on_bad_data(tiny_store):
    before = tiny_store.version()
    broken = tiny_chain()
    broken.edges[("SUPPLIES", "t-cell", "ghost")] = Edge(
        kind="SUPPLIES", source="t-cell", target="ghost", sources=("s-tiny",)
    )
    with pytest.raises(ModelError, match="ghost"):
        tiny_store.replace(broken)
    assert tiny_store.version() == before
    assert tiny_store.node("t-cell") is not None


def test_version_changes_on_replace():
    store = MemoryStore(tiny_chain())
    v1 = store.version()
    store.replace(tiny_chain())
    assert store.version() != v1


def test_counts(tiny_store):
    counts = tiny_store.counts()
    assert counts["nodes"]["Segment"] == 7
    assert counts["firms"] == {"local": 8, "outside": 4}
    assert counts["unsourced"] == {"nodes": 0, "edges": 0}
