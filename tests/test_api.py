"""The HTTP API through an in-process client."""

from __future__ import annotations


def test_health(api_client):
    body = api_client.get("/health").json()
    assert body["status"] == "ok" and body["backend"] == "networkx"


def test_clusters_list_shape(api_client):
    body = api_client.get("/api/v1/clusters").json()
    assert body["total"] == len(body["items"]) >= 10
    nev = next(c for c in body["items"] if c["id"] == "nev")
    for key in ("id", "name_zh", "name_en", "segment_count", "local_firm_count"):
        assert key in nev
    assert nev["segment_count"] > 0 and nev["local_firm_count"] > 0


def test_clusters_by_list_year(api_client):
    y2022 = {c["id"] for c in api_client.get("/api/v1/clusters", params={"year": 2022}).json()["items"]}
    y2024 = {c["id"] for c in api_client.get("/api/v1/clusters", params={"year": 2024}).json()["items"]}
    assert "green-steel" in y2022 and "green-steel" not in y2024
    assert "power-equipment" in y2024 and "power-equipment" not in y2022
    assert len(y2024) == 10


def test_bad_list_year_is_a_problem(api_client):
    r = api_client.get("/api/v1/clusters", params={"year": 2023})
    assert r.status_code == 422
    assert r.headers["content-type"].startswith("application/problem+json")


def test_cluster_detail_has_the_2021_figure(api_client):
    body = api_client.get("/api/v1/clusters/nev").json()
    fig = next(f for f in body["figures"] if f["year"] == 2021 and f["metric"] == "output")
    assert fig["value"] == 1300 and fig["qualifier"] == ">" and fig["unit"] == "亿元"
    assert "reply-2022-56" in fig["sources"]


def test_unknown_cluster_is_a_404_with_suggestions(api_client):
    r = api_client.get("/api/v1/clusters/nevv")
    assert r.status_code == 404
    assert r.headers["content-type"].startswith("application/problem+json")
    body = r.json()
    assert "nevv" in body["detail"] and "nev" in body["suggestions"]
    assert body["status"] == 404 and body["type"].endswith("not-found")


def test_firms_q_matches_aliases(api_client):
    ids = {f["id"] for f in api_client.get("/api/v1/firms", params={"q": "CATL"}).json()["items"]}
    assert "catl-jiangsu" in ids
    ids = {f["id"] for f in api_client.get("/api/v1/firms", params={"q": "星星充电"}).json()["items"]}
    assert ids == {"star-charge"}


def test_firms_filters(api_client):
    body = api_client.get("/api/v1/firms", params={"segment": "nev-battery-cell", "local": "true"}).json()
    ids = {f["id"] for f in body["items"]}
    assert {"catl-jiangsu", "calb", "svolt"} <= ids
    assert all(f["is_local"] for f in body["items"])
    body = api_client.get("/api/v1/firms", params={"district": "jintan"}).json()
    assert all(f["district_id"] == "jintan" for f in body["items"]) and body["total"] >= 2
    body = api_client.get("/api/v1/firms", params={"tag": "单项冠军"}).json()
    assert "xingyu" in {f["id"] for f in body["items"]}


def test_firms_pagination(api_client):
    full = api_client.get("/api/v1/firms", params={"limit": 500}).json()
    page = api_client.get("/api/v1/firms", params={"limit": 2, "offset": 1}).json()
    assert page["total"] == full["total"]
    assert [f["id"] for f in page["items"]] == [f["id"] for f in full["items"][1:3]]


def test_firm_detail(api_client):
    body = api_client.get("/api/v1/firms/catl-jiangsu").json()
    assert body["district"]["id"] == "liyang"
    assert any(s["id"] == "nev-battery-cell" for s in body["segments"])
    assert body["parent"]["id"] == "catl"
    assert {s["id"] for s in body["sources"]} >= {"reply-2022-56"}


def test_unknown_firm_names_the_id(api_client):
    r = api_client.get("/api/v1/firms/calbb")
    assert r.status_code == 404 and "calbb" in r.json()["detail"] and "calb" in r.json()["suggestions"]


def test_unknown_filter_id_is_404(api_client):
    r = api_client.get("/api/v1/firms", params={"segment": "no-such"})
    assert r.status_code == 404


def test_openapi_docs(api_client):
    assert api_client.get("/docs").status_code == 200
    spec = api_client.get("/openapi.json").json()
    ops = {op["operationId"] for path in spec["paths"].values() for op in path.values()}
    assert {"read_clusters", "read_cluster", "read_firms", "read_firm", "read_health"} <= ops


def test_unknown_route_is_problem_json(api_client):
    r = api_client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.headers["content-type"].startswith("application/problem+json")


def test_a_firm_name_in_place_of_its_id_is_a_404_suggesting_the_id(api_client):
    # investment staff type the name they know; the 404 points to the id that carries it
    r = api_client.get("/api/v1/firms/宁德时代")
    assert r.status_code == 404
    assert r.json()["suggestions"][0] == "catl"
    r = api_client.get("/api/v1/firms/Star Charge")
    assert r.json()["suggestions"][0] == "star-charge"
