"""chain(): order, presence per segment, links and the as-of year, on the tiny chain and city."""

from __future__ import annotations

import pytest

from graph.errors import InvalidQuery, NodeNotFound
from graph.fixtures import tiny_chain, tiny_city
from graph.memory_store import MemoryStore
from graph.model import Edge, EdgeKind, Role
from queries.chain import chain
from queries.presence import compute_presence
from queries.segment_graph import chain_data


def test_order_is_topological_with_position_then_id(tiny_store):
    # Sources t-anode and t-lithium are both upstream: id breaks the tie (anode first); t-cathode
    # must wait for t-lithium; then cell, pack, vehicle, recycling follow the SUPPLIES path.
    ids = [s["id"] for s in chain(tiny_store, "t-nev")["segments"]]
    assert ids == ["t-anode", "t-lithium", "t-cathode", "t-cell", "t-pack", "t-vehicle", "t-recycling"]


def test_segment_presence(tiny_store):
    segs = {s["id"]: s for s in chain(tiny_store, "t-nev")["segments"]}
    cell = segs["t-cell"]
    assert cell["local_firm_count"] == 3 and cell["status"] == "strong" and cell["gap_kind"] is None
    assert cell["anchor_firms"] == [{"id": "f-cell-a", "name_zh": "甲电池", "name_en": "Jia Cell"}]
    assert cell["firms_by_district"] == {"d-liyang": ["f-cell-a", "f-cell-b"], "d-wujin": ["f-cell-c"]}
    assert [f["role"] for f in cell["local_firms"]] == ["anchor", "major", "member"]
    assert segs["t-lithium"]["local_firm_count"] == 0 and segs["t-lithium"]["outside_firm_count"] == 2
    assert segs["t-lithium"]["status"] == "missing" and segs["t-lithium"]["severity"] == 0.6875
    assert segs["t-anode"]["status"] == "present"
    assert {s["id"]: s["status"] for s in segs.values() if s["status"] == "weak"} == {
        "t-cathode": "weak",
        "t-pack": "weak",
        "t-vehicle": "weak",
    }


def test_links_and_summary(tiny_store):
    c = chain(tiny_store, "t-nev")
    pairs = [(link["source"], link["target"]) for link in c["links"]]
    assert ("t-anode", "t-cell") in pairs and len(pairs) == 6
    assert not any(link["cross_cluster"] for link in c["links"])
    assert c["summary"] == {
        "segment_count": 7,
        "strong_count": 1,
        "present_count": 1,
        "weak_count": 3,
        "missing_count": 2,
        "gap_count": 5,
        "local_firm_count": 8,
    }
    assert c["districts"] == {"d-liyang": "溧阳市", "d-wujin": "武进区"}
    assert c["districts_en"] == {"d-liyang": "Liyang", "d-wujin": "Wujin"}


def test_cross_cluster_links():
    c = chain(MemoryStore(tiny_city()), "t-ess")
    assert [s["id"] for s in c["segments"]] == ["t-ess-bms", "t-ess-system", "t-ess-station"]
    cross = [(lk["source"], lk["target"]) for lk in c["links"] if lk["cross_cluster"]]
    assert cross == [("t-cell", "t-ess-system")]
    assert [s["id"] for s in c["external_segments"]] == ["t-cell"]
    assert c["external_segments"][0]["cluster_id"] == "t-nev"
    system = c["segments"][1]
    # f-cell-a (anchor of t-cell) is a major firm here: the segment's anchors are by role in it
    assert system["status"] == "strong" and [f["id"] for f in system["anchor_firms"]] == ["f-ess-a"]


def _with_dated_presence() -> MemoryStore:
    """The tiny chain where f-cell-c only entered t-cell in 2025."""
    ds = tiny_chain()
    key = ("OPERATES_IN", "f-cell-c", "t-cell")
    ds.edges[key] = Edge(
        kind=EdgeKind.OPERATES_IN, source="f-cell-c", target="t-cell", role=Role.MEMBER, year=2025, sources=("s-tiny",)
    )
    return MemoryStore(ds)


def test_as_of_year_drops_later_facts():
    store = _with_dated_presence()
    now = {s["id"]: s for s in chain(store, "t-nev")["segments"]}
    before = {s["id"]: s for s in chain(store, "t-nev", year=2024)["segments"]}
    assert now["t-cell"]["local_firm_count"] == 3 and now["t-cell"]["status"] == "strong"
    # In 2024 only f-cell-a and its subsidiary f-cell-b: one corporate group → weak
    assert before["t-cell"]["local_firm_count"] == 2 and before["t-cell"]["status"] == "weak"
    assert chain(store, "t-nev", year=2025)["segments"] == chain(store, "t-nev")["segments"]


def test_sub_segments_roll_up_into_their_parent():
    ds = tiny_city()
    from graph.model import Position, Segment

    ds.add_node(
        Segment(
            id="t-cell-solid",
            name_zh="固态电芯",
            cluster_id="t-nev",
            position=Position.MIDSTREAM,
            parent_id="t-pack",
            sources=("s-tiny",),
        )
    )
    ds.add_edge(Edge(kind=EdgeKind.PART_OF, source="t-cell-solid", target="t-nev", sources=("s-tiny",)))
    ds.add_edge(
        Edge(kind=EdgeKind.OPERATES_IN, source="f-anode-b", target="t-cell-solid", role=Role.MAJOR, sources=("s-tiny",))
    )
    presence = compute_presence(chain_data(MemoryStore(ds)))
    # t-pack now counts f-pack-a (major) and, through its sub-segment, f-anode-b (major):
    # 2 groups, W = 4 < 5 → present (no longer weak)
    assert sorted(presence["t-pack"].local) == ["f-anode-b", "f-pack-a"]
    assert presence["t-pack"].status == "present" and presence["t-pack"].direct_local == {"f-pack-a"}
    assert presence["t-cell-solid"].status == "weak"


def test_errors(tiny_store):
    with pytest.raises(NodeNotFound) as err:
        chain(tiny_store, "nev")
    assert err.value.suggestions == [] or "t-nev" in err.value.suggestions
    with pytest.raises(NodeNotFound):
        chain(tiny_store, "t-cell")  # a segment, not a cluster
    with pytest.raises(InvalidQuery):
        chain(tiny_store, "t-nev", year=3000)
