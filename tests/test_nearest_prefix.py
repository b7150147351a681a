"""Suggestions for an unknown id: ids that hold it as whole hyphen-separated parts come before ids spelt like it.

``plat-catl`` used to suggest ``plat-hualida-iip`` (Indel similarity 56) before
``plat-catl-liyang-lighthouse`` (50), although the latter starts with what was asked.
"""

from __future__ import annotations

from chainkg.cli import main
from graph.dataset import Dataset
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Firm, NodeKind, Platform, PlatformCategory
from queries.lookup import KindIndex, kind_index, nearest_ids

LIGHTHOUSE = "plat-catl-liyang-lighthouse"


def test_the_bundled_platform_starting_with_the_asked_id_comes_first(bundled_store):
    assert bundled_store.node("plat-catl") is None and bundled_store.node(LIGHTHOUSE) is not None
    found = nearest_ids(bundled_store, "plat-catl", NodeKind.PLATFORM)
    assert found[0] == LIGHTHOUSE
    assert "plat-hualida-iip" in found[1:]  # the edit-distance neighbour stays, after it


def test_the_api_404_body_suggests_the_platform_starting_with_the_asked_id_first(api_client):
    answer = api_client.get("/api/v1/platforms/plat-catl")
    assert answer.status_code == 404
    body = answer.json()
    assert body["suggestions"][0] == LIGHTHOUSE and body["id"] == "plat-catl"
    assert f"Did you mean: {LIGHTHOUSE}, " in body["detail"]


def test_the_cli_suggests_the_platform_starting_with_the_asked_id_first(bundled_store, capsys):
    assert main(["platform", "plat-catl"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：没有编号为 'plat-catl'") and " / error: No platform with id 'plat-catl'." in err
    assert f"Did you mean: {LIGHTHOUSE}, " in err


def test_whole_parts_only_and_a_start_before_a_part_within():
    index = kind_index(MemoryStore(tiny_chain()), NodeKind.FIRM)
    assert index.ids_with_tokens("cell") == ["f-cell-a", "f-cell-b", "f-cell-c"]
    assert index.ids_with_tokens("cel") == []  # part of a part is not a part
    assert index.ids_with_tokens("f-cell-a") == ["f-cell-a"]
    assert index.ids_with_tokens("lith-a") == ["o-lith-a"]  # within, ending the id
    # Invented ids (测试): those starting with the part first, each group the shortest first, then store order.
    firms = [
        Firm(id=node_id, name_zh="测试", confidence="unverified")
        for node_id in ("t-x-catl", "t-catl-b", "t-y-catl-z", "t-catl-a", "t-catl-long", "t-catlx", "catl-a-long-one")
    ]
    invented = KindIndex.of(firms)  # type: ignore[arg-type]
    assert invented.ids_with_tokens("t-catl") == ["t-catl-b", "t-catl-a", "t-catl-long"]
    assert invented.ids_with_tokens("catl") == [
        "catl-a-long-one",  # starts with it, though the longest
        *("t-x-catl", "t-catl-b", "t-catl-a", "t-y-catl-z", "t-catl-long"),
    ]


def test_an_id_holding_the_asked_id_comes_before_one_spelt_more_like_it():
    ds = Dataset()
    for node_id in ("t-ra-catl-liyang-lighthouse", "t-ra-hualida-iip"):  # invented, as the bundled pair
        ds.add_node(
            Platform(id=node_id, name_zh="测试平台", category=next(iter(PlatformCategory)), confidence="unverified")
        )
    store = MemoryStore(ds)
    assert nearest_ids(store, "t-ra-catl", NodeKind.PLATFORM) == ["t-ra-catl-liyang-lighthouse", "t-ra-hualida-iip"]
    assert nearest_ids(MemoryStore(tiny_chain()), "b", NodeKind.FIRM) == ["f-cell-b", "o-lith-b", "f-anode-b"]


def test_a_name_still_comes_first_and_pinyin_still_works(bundled_store):
    assert nearest_ids(bundled_store, "lixiang", NodeKind.FIRM)[0] == "li-auto"  # 理想, by its pinyin
    assert nearest_ids(bundled_store, "理想汽车", NodeKind.FIRM)[0] == "li-auto"
    assert nearest_ids(bundled_store, "nevv", NodeKind.CLUSTER)[0] == "nev"
    found = nearest_ids(bundled_store, "catl", NodeKind.FIRM)
    assert found[0] == "catl" or bundled_store.node("catl") is None
    assert "catl-jiangsu" in found
