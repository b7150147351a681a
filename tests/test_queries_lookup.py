"""Suggestions for a missing id (`queries/lookup.py`): by id, and by name or alias typed as the id."""

from __future__ import annotations

import pytest

from graph.errors import NodeNotFound
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Firm, NodeKind
from queries.lookup import MAX_NAME_HITS, MIN_NAME_QUERY, kind_index, nearest_ids, normalise, require


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(tiny_chain())


def test_a_misspelt_id_suggests_the_id(store):
    assert nearest_ids(store, "f-cell-aa", NodeKind.FIRM)[0] == "f-cell-a"


@pytest.mark.parametrize("typed", ["甲电池", "JiaCell", "jiacell", "ＪｉａＣｅｌｌ", "Jia Cell", "jia  cell"])
def test_a_name_or_alias_typed_as_the_id_suggests_its_node_first(store, typed):
    assert nearest_ids(store, typed, NodeKind.FIRM)[0] == "f-cell-a"


def test_a_part_of_a_name_suggests_the_nodes_named_with_it(store):
    named = [n.id for n in store.nodes(NodeKind.FIRM) if "电池" in n.name_zh]
    assert len(named) > 1, "the fixture has several firms named 电池"
    found = nearest_ids(store, "电池", NodeKind.FIRM, limit=50)
    assert set(named) <= set(found)


def test_an_exact_name_comes_before_names_that_contain_it(store):
    # "甲电池" is f-cell-a's whole name and part of f-pack-a's (甲电池包)
    found = nearest_ids(store, "甲电池", NodeKind.FIRM, limit=50)
    assert found.index("f-cell-a") < found.index("f-pack-a")


def test_a_single_character_does_not_suggest_every_name_holding_it(store):
    assert MIN_NAME_QUERY == 2
    holding = [n.id for n in store.nodes(NodeKind.FIRM) if "甲" in n.name_zh]
    assert len(holding) > 1
    assert not set(holding) <= set(nearest_ids(store, "甲", NodeKind.FIRM, limit=50))


def test_suggestions_are_of_the_kind_asked_for(store):
    segments = {n.id for n in store.nodes(NodeKind.SEGMENT)}
    assert set(nearest_ids(store, "电池", NodeKind.SEGMENT, limit=50)) <= segments


def test_nothing_near_suggests_nothing(store):
    assert nearest_ids(store, "zzzzzz", NodeKind.FIRM) == []
    assert nearest_ids(store, "   ", NodeKind.FIRM) == []


def test_require_puts_name_matches_in_the_error(store):
    with pytest.raises(NodeNotFound) as err:
        require(store, "JiaCell", NodeKind.FIRM)
    assert err.value.suggestions[0] == "f-cell-a"
    assert "Did you mean: f-cell-a" in str(err.value)


def test_separators_typed_in_the_id_are_ignored_like_spaces(store):
    assert nearest_ids(store, "甲\x1f电\x1e池", NodeKind.FIRM)[0] == "f-cell-a"


def test_the_index_agrees_with_a_plain_scan_of_the_names(bundled_store):
    index = kind_index(bundled_store, NodeKind.FIRM)
    firms = bundled_store.nodes(NodeKind.FIRM)

    def names(node):
        return {normalise(n) for n in (node.name_zh, node.name_en, *node.aliases)} - {""}

    for query in ("宁德时代", "时代", "catl", "jiangsu", "有限公司", "changzhou", "星宇"):
        exact = [n.id for n in firms if query in names(n)]
        assert index.named(query) == exact, query
        containing = sorted(
            (min(len(name) for name in names(n) if query in name), i)
            for i, n in enumerate(firms)
            if any(query in name for name in names(n))
        )
        assert index.named_containing(query) == [firms[i].id for _, i in containing], query
        assert index.ids_containing(query) == [n.id for n in firms if query in n.id], query


def test_a_fragment_in_every_name_still_gives_a_short_answer(bundled_store):
    common = [n for n in bundled_store.nodes(NodeKind.FIRM) if "有限公司" in n.name_zh]
    assert len(common) > 5
    assert len(nearest_ids(bundled_store, "有限公司", NodeKind.FIRM)) == 5
    assert MAX_NAME_HITS >= 1000


def test_the_index_is_built_once_per_data_version():
    store = MemoryStore(tiny_chain())
    reads = []
    nodes = store.nodes

    def counting_nodes(kind):
        reads.append(kind)
        return nodes(kind)

    store.nodes = counting_nodes  # type: ignore[method-assign]
    for typed in ("甲电池", "乙电池", "zzz"):
        nearest_ids(store, typed, NodeKind.FIRM)
    assert reads == [NodeKind.FIRM]
    dataset = tiny_chain()
    dataset.add_node(Firm(id="f-new", name_zh="新电池", sources=("s-tiny",)))
    store.replace(dataset)
    assert nearest_ids(store, "新电池", NodeKind.FIRM) == ["f-new"]
    assert reads == [NodeKind.FIRM, NodeKind.FIRM]


def test_a_cluster_given_for_a_segment_suggests_its_own_segments(bundled_store):
    with pytest.raises(NodeNotFound) as err:
        require(bundled_store, "nev", NodeKind.SEGMENT)
    assert err.value.found_kind == "cluster" and err.value.suggestions
    for sid in err.value.suggestions:  # not ne-pv, which only looks like 'nev'
        segment = bundled_store.node(sid)
        assert segment.cluster_id == "nev" and not segment.parent_id, sid


def test_a_segment_given_for_a_firm_suggests_the_firms_in_it_local_first(bundled_store):
    from graph.model import EdgeKind

    with pytest.raises(NodeNotFound) as err:
        require(bundled_store, "nev-battery-cell", NodeKind.FIRM)
    in_segment = {e.source for e in bundled_store.edges(EdgeKind.OPERATES_IN, target="nev-battery-cell")}
    suggested = err.value.suggestions
    assert err.value.found_kind == "segment" and suggested and set(suggested) <= in_segment
    local = [bundled_store.node(f).is_local for f in suggested]
    assert local == sorted(local, reverse=True)  # local firms come first
