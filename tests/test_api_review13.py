"""Review 13a (an API consumer's client): Vary on negotiated answers, the list note on cluster-links, and
what-if naming the first unknown id given."""

from __future__ import annotations


def test_negotiated_answers_say_they_vary_by_accept(api_client) -> None:
    for path in ("/", "/api/v1/clusters/nevv", "/views/clusters/nevv", "/api/v1/clusters"):
        for accept in ("text/html", "application/json"):
            response = api_client.get(path, headers={"Accept": accept}, follow_redirects=False)
            vary = {v.strip().lower() for v in response.headers.get("vary", "").split(",")}
            assert "accept" in vary, (path, accept, response.headers.get("vary"))
    html = api_client.get("/views/clusters/nevv", headers={"Accept": "text/html"})
    data = api_client.get("/views/clusters/nevv", headers={"Accept": "application/json"})
    assert html.headers["content-type"] != data.headers["content-type"]  # why a cache must keep them apart


def test_cluster_links_on_the_2022_list_says_it_is_incomplete(api_client) -> None:
    body = api_client.get("/api/v1/cluster-links?list_year=2022").json()
    assert body["list_size"] == 10 and "7 of its 10" in body["list_note_en"] and body["list_note_zh"]
    whole = api_client.get("/api/v1/cluster-links").json()
    assert whole["list_size"] is None and whole["list_note_en"] is None
    assert api_client.get("/api/v1/cluster-links?list_year=2022&cluster=nev").json()["list_size"] is None


def test_what_if_names_the_first_unknown_id_as_given(api_client) -> None:
    response = api_client.post("/api/v1/what-if", json={"remove": ["zzz", "nope"]})
    assert response.status_code == 404 and response.json()["id"] == "zzz"
    response = api_client.post("/api/v1/what-if", json={"remove": ["xingyu", "nope", "zzz"]})
    assert response.json()["id"] == "nope"
