"""The layers over HTTP, in the cluster view and in the cluster report."""

from __future__ import annotations

import re

import pytest

from chainkg.settings import Settings
from graph.fixtures import tiny_layers
from graph.memory_store import MemoryStore


@pytest.fixture(scope="module")
def tiny_client():
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(MemoryStore(tiny_layers()), Settings.from_env(env={}))) as client:
        yield client


def test_projects_route_filters_and_pages(tiny_client):
    answer = tiny_client.get("/api/v1/projects", params={"cluster": "t-nev", "limit": 2, "offset": 1})
    assert answer.status_code == 200
    body = answer.json()
    assert (body["total"], [p["id"] for p in body["items"]]) == (4, ["prj-cell-2", "prj-lithium"])
    by_year = tiny_client.get("/api/v1/projects", params={"year": 2023, "district": "d-wujin"}).json()
    assert [p["id"] for p in by_year["items"]] == ["prj-lithium"]
    by_segment = tiny_client.get("/api/v1/projects", params={"segment": "t-pack"}).json()
    assert [p["id"] for p in by_segment["items"]] == ["prj-cell-2"]
    detail = tiny_client.get("/api/v1/projects/prj-cell-1").json()
    assert detail["sources_ref"][0]["id"] == "s-tiny" and len(detail["links"]) == 3


def test_layer_routes_answer_problems(tiny_client):
    missing = tiny_client.get("/api/v1/projects/prj-cell")
    assert missing.status_code == 404 and missing.headers["content-type"].startswith("application/problem+json")
    assert "prj-cell-1" in missing.json()["suggestions"]
    assert tiny_client.get("/api/v1/projects", params={"status": "dreaming"}).status_code == 422
    assert tiny_client.get("/api/v1/firms", params={"tier": "tier-none"}).status_code == 404
    assert tiny_client.get("/api/v1/clusters/t-nev/completeness", params={"segments": "t-none"}).status_code == 404


def test_policies_tiers_and_firms_by_tier(tiny_client):
    policies = tiny_client.get("/api/v1/policies", params={"tier": "tier-giant"}).json()
    assert [p["id"] for p in policies["items"]] == ["pol-reward"]
    amounts = [i["amount_text"] for i in policies["items"][0]["instruments"]]
    assert amounts == ["最高200万元", "最高100万元", "最高50万元"]
    detail = tiny_client.get("/api/v1/policies/pol-recycling").json()
    assert [g["segment_id"] for g in detail["targeted_gaps"]] == ["t-recycling"]
    tiers = tiny_client.get("/api/v1/tiers").json()
    assert [t["id"] for t in tiers["items"]] == ["tier-champion", "tier-giant", "tier-giant-prov"]
    tier = tiny_client.get("/api/v1/tiers/tier-champion", params={"year": 2020}).json()
    assert [h["id"] for h in tier["holders"]] == ["o-lith-a"]
    firms = tiny_client.get("/api/v1/firms", params={"tier": "tier-champion", "local": "true"}).json()
    assert [f["id"] for f in firms["items"]] == ["f-cell-a"]
    platforms = tiny_client.get("/api/v1/platforms", params={"category": "lighthouse_factory"}).json()
    assert [p["id"] for p in platforms["items"]] == ["plat-lighthouse"]


def test_gaps_route_lists_untargeted_gaps(tiny_client):
    plain = tiny_client.get("/api/v1/gaps").json()
    assert "targeted_by" not in plain["items"][0]
    untargeted = tiny_client.get("/api/v1/gaps", params={"untargeted": "true"}).json()
    targeted = tiny_client.get("/api/v1/gaps", params={"untargeted": "false"}).json()
    assert [g["segment_id"] for g in targeted["items"]] == ["t-recycling"]
    assert untargeted["total"] + targeted["total"] == plain["total"]
    assert all(g["targeted_by"] == [] and g["cluster_policies"] for g in untargeted["items"])


def test_gaps_routes_filter_by_candidates(tiny_client):
    plain = tiny_client.get("/api/v1/gaps").json()
    none = tiny_client.get("/api/v1/gaps", params={"has_candidates": "false"}).json()
    some = tiny_client.get("/api/v1/gaps", params={"has_candidates": "true"}).json()
    assert none["total"] and some["total"] and none["total"] + some["total"] == plain["total"]
    for gap in none["items"]:
        assert gap["candidate_count"] == 0
        assert tiny_client.get(f"/api/v1/segments/{gap['segment_id']}/candidates").json()["total"] == 0
    for gap in some["items"]:
        found = tiny_client.get(f"/api/v1/segments/{gap['segment_id']}/candidates", params={"limit": 100}).json()
        assert gap["candidate_count"] == found["total"] > 0
    cluster = tiny_client.get("/api/v1/clusters/t-nev/gaps", params={"has_candidates": "false"}).json()
    assert {g["segment_id"] for g in cluster["items"]} == {
        g["segment_id"] for g in none["items"] if g["cluster_id"] == "t-nev"
    }
    both = tiny_client.get("/api/v1/gaps", params={"has_candidates": "false", "untargeted": "true"}).json()
    assert all(g["candidate_count"] == 0 and g["targeted_by"] == [] for g in both["items"])
    assert tiny_client.get("/api/v1/gaps", params={"has_candidates": "maybe"}).status_code == 422


def test_completeness_route(tiny_client):
    body = tiny_client.get("/api/v1/clusters/t-nev/completeness", params={"from": 2022, "to": 2023}).json()
    assert [(y["year"], y["share"], y["segments_present"], y["segments_total"]) for y in body["years"]] == [
        (2022, 0.714286, 5, 7),
        (2023, 0.857143, 6, 7),
    ]
    assert body["published"][0]["value"] == 80.0 and body["published"][0]["difference_pp"] == -13.3
    chosen = tiny_client.get("/api/v1/clusters/t-nev/completeness", params={"segments": "t-lithium,t-cell"}).json()
    assert chosen["scope"]["segments_total"] == 2


def test_bundled_completeness_and_catl_project(api_client):
    body = api_client.get("/api/v1/clusters/nev/completeness").json()
    published = {p["year"]: p["value"] for p in body["published"]}
    assert published[2022] == 94 and published[2023] == 97
    projects = api_client.get("/api/v1/projects", params={"segment": "nev-battery-cell", "limit": 100}).json()
    catl = next(p for p in projects["items"] if p["id"] == "prj-catl-liyang")
    assert catl["investment_text"] == "超400亿元" and "s20-kjj-2024-02" in catl["sources"]
    champions = api_client.get("/api/v1/firms", params={"tier": "tier-champion-firm", "limit": 100}).json()
    assert "xingyu" in {f["id"] for f in champions["items"]}


def test_cluster_view_shows_projects_and_tiers():
    from viz.cluster import cluster_network, gather_cluster

    store = MemoryStore(tiny_layers())
    net = cluster_network(gather_cluster(store, "t-nev"))
    cell = net.node_map["t-cell"]
    section = next(s for s in cell["info"]["sections"] if s["title"].startswith("重大项目"))
    assert [i["text"] for i in section["items"]] == [
        "甲电池一期 · 100亿元 · 2016 · 建成",
        "甲电池二期 · 约120亿元 · 2021 · 开工",
    ]
    assert "重大项目 Project: 甲电池二期" in cell["title"]
    firm = net.node_map["f-cell-a"]
    tiers = next(f for f in firm["info"]["fields"] if f[0] == "梯度 Tiers")  # [label, Chinese, English]
    assert tiers[1:] == ["单项冠军示范企业（2021年，第6批）", "单项冠军示范企业 (2021, batch 6)"]
    early = cluster_network(gather_cluster(store, "t-nev", year=2020))
    assert not any(f[0] == "梯度 Tiers" for f in early.node_map["f-cell-a"]["info"]["fields"])


def test_cluster_report_has_a_projects_and_policies_section():
    from reports.gather import cluster_report
    from reports.html import render_cluster_report

    store = MemoryStore(tiny_layers())
    html = render_cluster_report(cluster_report(store, "t-nev")).html
    assert html.index('id="anchors"') < html.index('id="projects"') < html.index('id="method"')
    section = html.split('id="projects"')[1].split("</section>")[0]
    assert re.findall(r'<tr id="project-([^"]+)">', section) == [
        "prj-cell-1",
        "prj-cell-2",
        "prj-lithium",
        "prj-recycle",
    ]
    assert re.findall(r'<tr id="policy-([^"]+)">', section) == ["pol-capital", "pol-recycling", "pol-reward"]
    assert "最高200万元" in section and "单项冠军示范企业" in section and "第6批" in section
    assert "1 个缺口有政策点名" in section and "回收补链方案" in section
    assert "80%" in section and "66.7%" in section  # published beside computed
    assert "<script" not in section
