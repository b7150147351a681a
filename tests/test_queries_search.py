"""search(): Chinese, English, aliases, pinyin (full and initials), typos and ranking."""

from __future__ import annotations

import pytest
from rapidfuzz import fuzz, process

from chainkg.settings import BUNDLED_DATA
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.synth import synth_dataset
from loaders.folder import load_folder
from queries.firms import normalise
from queries.search import FUZZY_CUTOFF, FUZZY_FIELDS, SearchIndex, _Item, build_index, search, search_index


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


def test_one_chinese_character_finds_names_holding_it_not_names_that_sound_alike(bundled_store):
    found = search(bundled_store, "锂", limit=200)
    assert found, "the bundled data names lithium firms and segments"
    assert all("锂" in r["matched"] for r in found), [r["matched"] for r in found if "锂" not in r["matched"]][:5]
    assert "li-auto" not in {r["id"] for r in found}  # 理想汽车 sounds like li, holds no 锂


def test_characters_typed_rank_above_a_homophone(bundled_store):
    ranked = search(bundled_store, "理想", limit=50)
    assert ranked[0]["id"] == "li-auto"
    direct = [r["score"] for r in ranked if "理想" in r["matched"]]
    alike = [r["score"] for r in ranked if "理想" not in r["matched"]]
    assert direct and (not alike or min(direct) > max(alike))
    assert search(bundled_store, "svlot", limit=1)[0]["match"] == "fuzzy"


SEARCH_KEYS = {"type", "id", "name_zh", "name_en", "score", "match", "field", "matched", "is_local", "parent_id"}


def test_two_chinese_characters_that_match_get_no_sound_alike_names(bundled_store):
    found = search(bundled_store, "星宇", limit=20)
    assert [r["id"] for r in found] == ["xingyu"]  # not 星源材质: xingyu is only the start of xingyuan
    assert set(found[0]) == SEARCH_KEYS and found[0]["match"] == "prefix" and found[0]["matched"] == "星宇股份"
    assert ids(bundled_store, "恒立", limit=20) == ["hengli-hydraulic"]  # not 恒力 (hengli), another firm
    assert "senior-changzhou" in ids(bundled_store, "星", limit=20)  # one character: names holding it


def test_two_chinese_characters_that_match_nothing_still_find_homophones(bundled_store):
    found = search(bundled_store, "宁得", limit=2)  # 宁得 is in no name; it sounds like 宁德 (ningde)
    assert [(r["id"], r["field"]) for r in found] == [("catl", "alias:pinyin"), ("catl-jiangsu", "parent:pinyin")]


def test_latin_and_longer_queries_keep_sound_alike_and_typo_matches(bundled_store):
    assert {"xingyu", "senior-changzhou"} <= set(ids(bundled_store, "xingyu", limit=5))  # Latin: pinyin prefixes
    assert search(bundled_store, "星宇股分", limit=1)[0]["id"] == "xingyu"  # a homophone typo (分 for 份), 4 characters
    assert "hengli-petrochemical" in ids(bundled_store, "恒立石化", limit=5)  # 4 characters: read as pinyin


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


def test_typo_candidates_drop_no_key_that_reaches_the_cutoff():
    """The ASCII / length bounds of ``fuzzy_candidates`` are exact: brute force over every key finds no more."""
    for store in (MemoryStore(load_folder(BUNDLED_DATA)), MemoryStore(synth_dataset(300, seed=5))):
        index = build_index(store)
        every = [p for p, f in enumerate(index.key_field) if f in FUZZY_FIELDS]
        texts = [index.key_text[p] for p in every[::7]]
        queries = (
            {normalise(t) for t in texts} | {normalise(t)[1:] for t in texts} | {normalise(t) + "x" for t in texts}
        )
        queries |= {"changzhuo", "ningdeshidia", "synhteticfirm000123", "合成企业0001", "星宇车灯x", "tianhe光能", "zz"}
        checked = 0
        for query in sorted(q for q in queries if len(q) >= 3):
            brute = {
                every[i]
                for _, _, i in process.extract(
                    query, [index.keys[p] for p in every], scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None
                )
            }
            found = {
                positions[i]
                for keys, positions in index.fuzzy_candidates(query)
                for _, _, i in process.extract(query, keys, scorer=fuzz.ratio, score_cutoff=FUZZY_CUTOFF, limit=None)
            }
            assert found == brute, query
            checked += bool(brute)
        assert checked > 50
        scanned = sum(len(keys) for keys, _ in index.fuzzy_candidates("synhteticfirm000123"))
        assert scanned < len(every)  # and an English query skips the Chinese names


@pytest.mark.parametrize(
    ("query", "key"),
    [
        ("abcd", "abc中"),
        ("中abc", "abcd"),
        ("abcdefgh", "abcdef中文"),
        ("星宇ab", "星宇ac"),
        ("abcdefghijkl", "abcdefghi中文字"),
    ],
)
def test_typo_candidates_keep_keys_exactly_at_the_cutoff(query, key):
    """Each pair scores exactly the cutoff (75): the bounds must keep the key, not drop it by one."""
    assert fuzz.ratio(query, key) == FUZZY_CUTOFF
    index = SearchIndex()
    index.add(_Item("firm", "f", key, "", 1.0), [(key, "name_zh", 1.0), ("other", "name_en", 1.0)])
    index.finish()
    candidates = [k for keys, _ in index.fuzzy_candidates(query) for k in keys]
    assert key in candidates
