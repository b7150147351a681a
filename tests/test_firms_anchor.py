"""Anchor firms (链主) in /api/v1/firms: ``anchor`` follows docs/analysis.md §1, as chain, report and health do."""

from __future__ import annotations

import pytest

from graph.fixtures import tiny_chain, tiny_city
from graph.memory_store import MemoryStore
from graph.model import EdgeKind, NodeKind, Role
from queries.chain import chain
from queries.firms import FirmFilter, anchor_ids, list_firms
from queries.presence import anchor_firms
from queries.segment_graph import chain_data


def firm_ids(client, query: str) -> set[str]:
    """Every firm id /api/v1/firms returns for ``query``, over all pages."""
    found: set[str] = set()
    offset = 0
    while True:
        response = client.get(f"/api/v1/firms?{query}&limit=500&offset={offset}")
        assert response.status_code == 200, response.text
        body = response.json()
        found |= {item["id"] for item in body["items"]}
        offset += 500
        if offset >= body["total"]:
            return found


def chain_anchor_ids(store, cluster_id: str) -> set[str]:
    return {f["id"] for seg in chain(store, cluster_id)["segments"] for f in seg["anchor_firms"]}


def test_every_cluster_lists_the_anchors_its_chain_reports(api_client, bundled_store):
    clusters = [c.id for c in bundled_store.nodes(NodeKind.CLUSTER)]
    assert len(clusters) >= 10
    for cluster_id in clusters:
        expected = chain_anchor_ids(bundled_store, cluster_id)
        assert firm_ids(api_client, f"cluster={cluster_id}&anchor=true&local=true") == expected, cluster_id
        assert firm_ids(api_client, f"cluster={cluster_id}&anchor=true") == expected, cluster_id  # anchors are local


def test_nev_has_seven_anchors_and_the_tag_stays_the_published_label(api_client):
    anchors = firm_ids(api_client, "cluster=nev&anchor=true&local=true")
    assert anchors == {"byd-changzhou", "calb", "catl-jiangsu", "li-auto", "star-charge", "svolt", "xingyu"}
    tagged = firm_ids(api_client, "cluster=nev&tag=链主&local=true")
    assert tagged == {"calb", "catl-jiangsu", "li-auto"}  # the exact tag: a subset of the anchors
    members = firm_ids(api_client, "cluster=nev")
    assert firm_ids(api_client, "cluster=nev&anchor=false") == members - anchors


def test_a_firm_that_leads_another_cluster_is_no_anchor_here(api_client):
    # catl-jiangsu (链主 of nev) and kinetic-group (anchor in high-end-equipment) only operate in new-energy
    new_energy = firm_ids(api_client, "cluster=new-energy&anchor=true")
    assert new_energy == {"ejing", "huasheng-tianlong", "risen-changzhou", "trina"}
    assert {"catl-jiangsu", "kinetic-group"} <= firm_ids(api_client, "cluster=new-energy")


def test_without_a_cluster_anchor_is_the_analysis_definition(api_client, bundled_store):
    expected = set(anchor_firms(chain_data(bundled_store)))
    assert firm_ids(api_client, "anchor=true") == expected
    assert not firm_ids(api_client, "anchor=true&local=false")


def test_anchor_must_be_a_boolean(api_client):
    response = api_client.get("/api/v1/firms?anchor=maybe")
    assert response.status_code == 422, response.text


def test_on_the_tiny_city_a_cluster_counts_its_own_anchor_roles():
    store = MemoryStore(tiny_city())
    # f-cell-a: anchor in t-cell (t-nev), major in t-ess-system; tagged 链主
    assert anchor_ids(store, "t-nev") == {"f-cell-a", "f-veh-a"}
    assert anchor_ids(store, "t-ess") == {"f-ess-a"}
    assert anchor_ids(store) == {"f-cell-a", "f-veh-a", "f-ess-a"}
    page = list_firms(store, FirmFilter(cluster="t-ess", anchor=True))
    assert [f["id"] for f in page["items"]] == ["f-ess-a"]


@pytest.mark.parametrize("cluster_id", ["t-nev", None])
def test_a_firm_tagged_without_an_anchor_role_is_an_anchor_where_it_operates(cluster_id):
    ds = tiny_chain()
    # invented, like the tiny chain: f-pack-a is major in t-pack, its only segment
    ds.nodes["f-pack-a"] = ds.nodes["f-pack-a"].model_copy(update={"tags": ("链主",)})
    store = MemoryStore(ds)
    assert "f-pack-a" in anchor_ids(store, cluster_id)
    assert "f-pack-a" not in chain_anchor_ids(store, "t-nev")  # the chain lists anchor roles per segment
    assert ds.edges[(EdgeKind.OPERATES_IN.value, "f-pack-a", "t-pack")].role is Role.MAJOR


def test_tag_filter_is_exact():
    store = MemoryStore(tiny_chain())
    tagged = [f["id"] for f in list_firms(store, FirmFilter(tag="链主"))["items"]]
    assert tagged == ["f-cell-a", "f-veh-a"]
    assert list_firms(store, FirmFilter(tag="链"))["total"] == 0
