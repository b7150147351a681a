"""Anchor firms (链主) in /api/v1/firms: ``anchor`` follows docs/analysis.md §1, as chain, report and health do."""

from __future__ import annotations

import json
import re

import pytest

from chainkg.cli import main
from graph.fixtures import tiny_chain, tiny_city
from graph.memory_store import MemoryStore
from graph.model import EdgeKind, NodeKind, Role
from queries.chain import chain
from queries.firms import FirmFilter, anchor_clusters, anchor_ids, get_firm, list_firms
from queries.presence import anchor_firms
from queries.segment_graph import chain_data
from tests.test_cli_lang import CJK


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


def test_nev_has_six_anchors_and_the_tag_stays_the_published_label(api_client):
    anchors = firm_ids(api_client, "cluster=nev&anchor=true&local=true")
    # li-auto is major since 2026-12-07 (review 15a): no cited page calls it 龙头 or 链主
    assert anchors == {"byd-changzhou", "calb", "catl-jiangsu", "star-charge", "svolt", "xingyu"}
    tagged = firm_ids(api_client, "cluster=nev&tag=链主&local=true")
    # the exact tag, a subset of the anchors: only 中创新航 is called 链主 by a source (T66); the tags of
    # catl-jiangsu and li-auto were removed on 2026-12-06 (their sources do not say 链主)
    assert tagged == {"calb"}
    members = firm_ids(api_client, "cluster=nev")
    assert firm_ids(api_client, "cluster=nev&anchor=false") == members - anchors


def test_a_firm_that_leads_another_cluster_is_no_anchor_here(api_client):
    # catl-jiangsu (an anchor of nev) and kinetic-group (anchor in high-end-equipment) only operate in new-energy
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


# -- is_anchor and anchor_of on every firm -------------------------------------------------------


def every_firm(client, query: str = "") -> list[dict]:
    """Every firm item /api/v1/firms returns for ``query``, over all pages."""
    found: list[dict] = []
    offset = 0
    while True:
        body = client.get(f"/api/v1/firms?{query}&limit=500&offset={offset}").json()
        found += body["items"]
        offset += 500
        if offset >= body["total"]:
            return found


def test_each_firm_names_the_clusters_it_anchors(api_client, bundled_store):
    items = every_firm(api_client)
    assert len(items) == len(bundled_store.nodes(NodeKind.FIRM))
    clusters = sorted(c.id for c in bundled_store.nodes(NodeKind.CLUSTER))
    expected: dict[str, list[str]] = {}
    for cluster_id in clusters:  # anchor_of is each cluster's anchor=true answer, turned around
        for firm_id in firm_ids(api_client, f"cluster={cluster_id}&anchor=true"):
            expected.setdefault(firm_id, []).append(cluster_id)
    for item in items:
        assert item["anchor_of"] == expected.get(item["id"], []), item["id"]
        assert item["is_anchor"] is bool(item["anchor_of"]), item["id"]
    assert {i["id"] for i in items if i["is_anchor"]} == firm_ids(api_client, "anchor=true")


def test_an_untagged_anchor_says_so_and_a_leader_elsewhere_does_not_anchor_there(api_client):
    byd = api_client.get("/api/v1/firms/byd-changzhou").json()
    assert (byd["tags"], byd["is_anchor"], byd["anchor_of"]) == ([], True, ["nev"])
    [listed] = every_firm(api_client, "q=byd-changzhou")
    assert (listed["is_anchor"], listed["anchor_of"]) == (True, ["nev"])
    catl = api_client.get("/api/v1/firms/catl-jiangsu").json()
    assert catl["anchor_of"] == ["nev"]  # it also operates in new-energy, where it is no anchor
    outside = every_firm(api_client, "local=false")
    assert outside and not any(f["is_anchor"] or f["anchor_of"] for f in outside)


def test_a_filter_does_not_change_what_a_firm_anchors(api_client):
    # catl-jiangsu listed under new-energy, where it only operates, still says it anchors nev
    [catl] = [f for f in every_firm(api_client, "cluster=new-energy") if f["id"] == "catl-jiangsu"]
    assert (catl["is_anchor"], catl["anchor_of"]) == (True, ["nev"])


def test_on_the_tiny_city_anchor_of_follows_each_cluster():
    store = MemoryStore(tiny_city())
    items = {f["id"]: f for f in list_firms(store, FirmFilter(), limit=500)["items"]}
    assert {fid: f["anchor_of"] for fid, f in items.items() if f["is_anchor"]} == {
        "f-cell-a": ["t-nev"],  # major in t-ess-system: no anchor of t-ess
        "f-ess-a": ["t-ess"],
        "f-veh-a": ["t-nev"],
    }
    assert get_firm(store, "f-ess-a")["anchor_of"] == ["t-ess"]
    assert get_firm(store, "f-cell-b")["anchor_of"] == []


def test_a_tag_only_anchor_anchors_every_cluster_it_operates_in():
    ds = tiny_city()
    # invented, like the tiny city: f-pack-a tagged 链主, and operating in an ESS segment too
    ds.nodes["f-pack-a"] = ds.nodes["f-pack-a"].model_copy(update={"tags": ("链主",)})
    ds.edges[(EdgeKind.OPERATES_IN.value, "f-pack-a", "t-ess-system")] = ds.edges[
        (EdgeKind.OPERATES_IN.value, "f-pack-a", "t-pack")
    ].model_copy(update={"target": "t-ess-system"})
    store = MemoryStore(ds)
    assert get_firm(store, "f-pack-a")["anchor_of"] == ["t-ess", "t-nev"]
    assert anchor_clusters(store)["f-pack-a"] == ("t-ess", "t-nev")


# -- chainkg firm: the "anchor of" line ----------------------------------------------------------


def firm_head(capsys, argv: list[str]) -> dict[str, str]:
    """The head fields of ``chainkg firm``'s text: key → value (keys may hold spaces and Chinese)."""
    assert main(argv) == 0
    lines = capsys.readouterr().out.splitlines()
    head = lines[1 : lines.index("")] if "" in lines else lines[1:]
    return dict(tuple(re.split(r"\s{2,}", line.strip(), maxsplit=1)) for line in head)


def test_firm_text_names_the_clusters_an_untagged_anchor_leads(capsys):
    zh = firm_head(capsys, ["firm", "byd-changzhou"])
    assert zh["标签 tags"] == "-"
    assert zh["链主 anchor of"] == "nev (新能源汽车及汽车核心零部件 New Energy Vehicles and Core Auto Components)"
    en = firm_head(capsys, ["firm", "byd-changzhou", "--lang", "en"])
    assert en["anchor of"] == "nev (New Energy Vehicles and Core Auto Components)"
    assert not any(CJK.search(key + value) for key, value in en.items() if key != "aliases" and key != "note")


def test_firm_text_has_no_anchor_line_for_a_firm_that_anchors_nothing(capsys):
    head = firm_head(capsys, ["firm", "catl"])  # the group: its 溧阳 unit is the anchor
    assert not any("anchor" in key for key in head)
    assert main(["firm", "byd-changzhou", "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["anchor_of"] == ["nev"]
