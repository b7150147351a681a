"""search(): Chinese, English, aliases, pinyin (full and initials), typos and ranking."""

from __future__ import annotations

import pytest

from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from queries.search import search, search_index


def ids(store, q, limit=5):
    return [r["id"] for r in search(store, q, limit=limit)]


@pytest.mark.parametrize("q", ["ningde", "ndsd", "CATL", "时代新能源", "宁德时代", "catl jiangsu", "ＣＡＴＬ"])
def test_the_catl_unit_is_found(bundled_store, q):
    found = ids(bundled_store, q, limit=3)
    assert "catl-jiangsu" in found, found


def test_how_catl_queries_match(bundled_store):
    top = search(bundled_store, "时代新能源", limit=1)[0]
    assert (top["id"], top["match"], top["field"], top["score"]) == ("catl-jiangsu", "exact", "alias", 1.0)
    # an exact alias of both: the local unit first (outside firms score ×0.97)
    assert ids(bundled_store, "CATL", limit=2) == ["catl-jiangsu", "catl"]
    # the initials of 宁德时代 match the parent exactly, and the unit through its parent
    found = {r["id"]: r for r in search(bundled_store, "ndsd")}
    assert found["catl"]["field"] == "alias:initials" and found["catl-jiangsu"]["field"] == "parent:initials"
    assert found["catl"]["score"] > found["catl-jiangsu"]["score"]


def test_typos_are_tolerated(bundled_store):
    assert "catl-jiangsu" in ids(bundled_store, "catk")
    assert "svolt" in ids(bundled_store, "svlot")
    assert ids(bundled_store, "宁得时代", limit=2) == ["catl", "catl-jiangsu"]  # a homophone: same pinyin
    assert search(bundled_store, "svlot", limit=1)[0]["match"] == "fuzzy"


def test_segments_and_clusters(bundled_store):
    results = search(bundled_store, "动力电池电芯", limit=3)
    assert results[0]["type"] == "segment" and results[0]["id"] == "nev-battery-cell"
    assert search(bundled_store, "新能源汽车", limit=1)[0]["type"] in {"cluster", "segment"}
    assert "nev" in ids(bundled_store, "xinnengyuanqiche")


def test_ranking_on_the_tiny_chain():
    store = MemoryStore(tiny_chain())
    results = search(store, "甲电池")
    # exact name (1.0) beats the prefix of 甲电池包 (0.8 + 0.15·3/4 = 0.9125)
    assert [(r["id"], r["score"]) for r in results[:2]] == [("f-cell-a", 1.0), ("f-pack-a", 0.9125)]
    assert [r["score"] for r in results] == sorted((r["score"] for r in results), reverse=True)
    assert search(store, "jiacell")[0]["id"] == "f-cell-a"  # alias JiaCell
    assert search(store, "jdc")[0]["id"] == "f-cell-a"  # initials of 甲电池
    assert search(store, "   ") == [] and search(store, "zzzzqqq") == []
    assert len(search(store, "t", limit=2)) == 2


def test_index_is_cached_per_version():
    store = MemoryStore(tiny_chain())
    first = search_index(store)
    assert search_index(store) is first
    store.replace(tiny_chain())
    assert search_index(store) is not first
