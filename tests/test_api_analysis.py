"""The analysis API on the bundled data: shapes, pagination, problems and examples."""

from __future__ import annotations

import pytest

MY_ROUTES = [
    ("get", "/api/v1/clusters/{cluster_id}/chain"),
    ("get", "/api/v1/clusters/{cluster_id}/gaps"),
    ("get", "/api/v1/gaps"),
    ("get", "/api/v1/clusters/{cluster_id}/health"),
    ("get", "/api/v1/health-ranking"),
    ("post", "/api/v1/what-if"),
    ("get", "/api/v1/segments/{segment_id}"),
    ("get", "/api/v1/segments/{segment_id}/candidates"),
    ("get", "/api/v1/segments/{segment_id}/impact"),
    ("get", "/api/v1/search"),
]


def test_chain_contract(api_client):
    body = api_client.get("/api/v1/clusters/nev/chain").json()
    seg = body["segments"][0]
    for key in ("id", "name_zh", "name_en", "position", "parent_id", "local_firm_count", "anchor_firms"):
        assert key in seg
    ids = [s["id"] for s in body["segments"]]
    assert ids.index("nev-battery-cell") < ids.index("nev-vehicle")  # upstream before downstream
    assert all({"source", "target", "cross_cluster"} <= set(link) for link in body["links"])
    cell = next(s for s in body["segments"] if s["id"] == "nev-battery-cell")
    assert {"catl-jiangsu", "calb", "svolt"} <= {f["id"] for f in cell["anchor_firms"]}


def test_cluster_gaps_paginated(api_client):
    full = api_client.get("/api/v1/clusters/nev/gaps", params={"limit": 500}).json()
    page = api_client.get("/api/v1/clusters/nev/gaps", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == full["total"] == len(full["items"]) > 3
    assert page["items"] == full["items"][1:3] and (page["limit"], page["offset"]) == (2, 1)
    item = full["items"][0]
    for key in ("segment_id", "segment_name_zh", "kind", "severity", "components", "reasons"):
        assert key in item
    assert item["explanation_zh"] and item["explanation_en"]


def test_gaps_filters(api_client):
    body = api_client.get("/api/v1/gaps", params={"kind": "extension", "min_severity": 0.1, "limit": 500}).json()
    assert body["items"] and all("extension" in g["kinds"] and g["severity"] >= 0.1 for g in body["items"])
    nev = api_client.get("/api/v1/gaps", params={"cluster": "nev", "limit": 500}).json()
    assert nev["total"] == api_client.get("/api/v1/clusters/nev/gaps", params={"limit": 500}).json()["total"]
    assert {g["cluster_id"] for g in nev["items"]} == {"nev"}


@pytest.mark.parametrize(
    "url,status",
    [
        ("/api/v1/gaps?kind=gap", 422),
        ("/api/v1/gaps?min_severity=2", 422),
        ("/api/v1/gaps?cluster=nevv", 404),
        ("/api/v1/clusters/nevv/chain", 404),
        ("/api/v1/clusters/nev/chain?year=1800", 422),
        ("/api/v1/segments/nev-cel", 404),
        ("/api/v1/segments/nev-cel/candidates", 404),
        ("/api/v1/segments/nev-cel/impact", 404),
        ("/api/v1/clusters/nevv/health", 404),
        ("/api/v1/health-ranking?list_year=2023", 422),
        ("/api/v1/search", 422),
    ],
)
def test_problems(api_client, url, status):
    r = api_client.get(url)
    assert r.status_code == status
    assert r.headers["content-type"].startswith("application/problem+json")
    if status == 404:
        assert r.json()["suggestions"]


def test_segment_detail(api_client):
    body = api_client.get("/api/v1/segments/nev-recycling", params={"year": 2023}).json()
    assert body["status"] == "missing" and body["local_firm_count"] == 0
    assert body["gap"]["segment_id"] == "nev-recycling" and "missing" in body["gap"]["kinds"]
    today = api_client.get("/api/v1/segments/nev-recycling").json()
    assert today["status"] == "weak" and today["local_firm_count"] == 1
    assert body["cluster"]["id"] == "nev" and "nev-battery-cell" in {u["id"] for u in body["upstream"]}


def test_candidates_paginated(api_client):
    full = api_client.get("/api/v1/segments/nev-recycling/candidates", params={"limit": 500}).json()
    assert full["total"] == len(full["items"]) >= 1 and full["segment_id"] == "nev-recycling"
    scores = [c["score"] for c in full["items"]]
    assert scores == sorted(scores, reverse=True)
    first = full["items"][0]
    assert {"firm_id", "name_zh", "score", "components", "reasons"} <= set(first)
    assert all(r["zh"] and r["en"] for r in first["reasons"])
    page = api_client.get("/api/v1/segments/nev-recycling/candidates", params={"limit": 1}).json()
    assert page["items"] == full["items"][:1] and page["total"] == full["total"]


def test_impact(api_client):
    body = api_client.get("/api/v1/segments/nev-battery-cell/impact").json()
    assert "nev-vehicle" in {d["id"] for d in body["downstream"]}
    assert body["counts"]["dependent_local_firms"] >= 2


def test_health_and_ranking(api_client):
    h = api_client.get("/api/v1/clusters/nev/health").json()
    assert 0 <= h["score"] <= 1 and set(h["components"]) >= {
        "coverage",
        "anchor_coverage",
        "weak_links",
        "concentration",
    }
    ranking = api_client.get("/api/v1/health-ranking", params={"list_year": 2024}).json()
    assert ranking["total"] == 10 and [i["rank"] for i in ranking["items"]] == list(range(1, 11))


def test_what_if(api_client):
    r = api_client.post("/api/v1/what-if", json={"remove": ["li-auto"]})
    assert r.status_code == 200
    body = r.json()
    assert body["removed"][0]["id"] == "li-auto" and "summary" in body
    assert api_client.post("/api/v1/what-if", json={"remove": ["no-such-firm"]}).status_code == 404
    assert api_client.post("/api/v1/what-if", json={"remove": []}).status_code == 422
    assert api_client.post("/api/v1/what-if", json={"remove": ["li-auto"], "extra": 1}).status_code == 422


def test_search(api_client):
    for q in ("ningde", "ndsd", "CATL", "时代新能源"):
        body = api_client.get("/api/v1/search", params={"q": q}).json()
        assert "catl-jiangsu" in [i["id"] for i in body["items"][:3]], q
        assert all({"type", "id", "name_zh", "name_en", "score"} <= set(i) for i in body["items"])
    body = api_client.get("/api/v1/search", params={"q": "电池", "type": "segment", "limit": 2}).json()
    assert body["items"] and all(i["type"] == "segment" for i in body["items"]) and body["limit"] == 2


def test_routes_have_summaries_models_and_examples(api_client):
    spec = api_client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    for method, path in MY_ROUTES:
        op = spec["paths"][path][method]
        assert op["summary"] and op["operationId"]
        ref = op["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        assert "example" in schemas[ref.rsplit("/", 1)[-1]], f"{method} {path}: no example"
    body_ref = spec["paths"]["/api/v1/what-if"]["post"]["requestBody"]["content"]["application/json"]["schema"]
    assert "example" in schemas[body_ref["$ref"].rsplit("/", 1)[-1]]
