"""Endpoints that answer the same question give the same answer, and filters are named alike.

Found by an exploratory review of the API on 2026-12-06: each test here failed before its fix.
"""

from __future__ import annotations

from chainkg.cli import main
from graph.model import EdgeKind, NodeKind


def test_firms_in_a_segment_count_its_sub_segments_as_the_chain_does(api_client, bundled_store):
    checked = 0
    for seg in bundled_store.nodes(NodeKind.SEGMENT):
        detail = api_client.get(f"/api/v1/segments/{seg.id}").json()
        if detail["local_firm_count"] == detail["direct_local_firm_count"]:
            continue
        listed = api_client.get("/api/v1/firms", params={"segment": seg.id, "local": "true", "limit": 1}).json()
        assert listed["total"] == detail["local_firm_count"], seg.id
        checked += 1
    assert checked >= 5, "the bundled data has segments whose firms sit in sub-segments (heq-rail-transit, ...)"


def test_a_clusters_gaps_take_the_untargeted_filter_of_all_gaps(api_client):
    for flag in ("true", "false"):
        one = api_client.get("/api/v1/clusters/nev/gaps", params={"untargeted": flag, "limit": 200}).json()
        every = api_client.get("/api/v1/gaps", params={"cluster": "nev", "untargeted": flag, "limit": 200}).json()
        assert one == every
    unfiltered = api_client.get("/api/v1/clusters/nev/gaps?limit=200").json()["total"]
    untargeted = api_client.get("/api/v1/clusters/nev/gaps?untargeted=true&limit=200").json()["total"]
    assert 0 < untargeted < unfiltered, "nev has gaps that policies name and gaps none names"


def test_the_cluster_list_takes_list_year_like_the_ranking(api_client):
    by_year = api_client.get("/api/v1/clusters?year=2022").json()
    by_list_year = api_client.get("/api/v1/clusters?list_year=2022").json()
    assert by_year == by_list_year and by_year["total"] < api_client.get("/api/v1/clusters").json()["total"]
    same = api_client.get("/api/v1/clusters?year=2022&list_year=2022").json()
    assert same == by_year
    conflict = api_client.get("/api/v1/clusters?year=2024&list_year=2022")
    assert conflict.status_code == 422
    assert "year" in conflict.json()["detail"] and "2024" in conflict.json()["detail"]
    assert "list_year" in conflict.json()["detail"] and "2022" in conflict.json()["detail"]


def test_a_bad_list_year_is_named_as_given(api_client):
    response = api_client.get("/api/v1/health-ranking?list_year=2023")
    assert response.status_code == 422 and response.json()["detail"].startswith("list_year must be one of")


def test_completeness_refuses_years_in_the_wrong_order(api_client):
    response = api_client.get("/api/v1/clusters/nev/completeness?from=2030&to=2020")
    assert response.status_code == 422 and "from (2030) is after to (2020)" in response.json()["detail"]


RELATIONS = ("parent", "subsidiaries", "suppliers", "customers", "tiers", "projects", "platforms")


def test_every_relation_of_a_firm_carries_its_sources(api_client, bundled_store):
    seen = dict.fromkeys(RELATIONS, 0)
    for firm in bundled_store.nodes(NodeKind.FIRM):
        detail = api_client.get(f"/api/v1/firms/{firm.id}").json()
        cited = {s["id"] for s in detail["sources"]}
        for field in RELATIONS:
            value = detail[field]
            for item in [value] if isinstance(value, dict) else value or []:
                assert item["sources"], f"{firm.id} {field} {item['id']}: no sources"
                assert set(item["sources"]) <= cited, "the firm's source list holds every source its relations cite"
                seen[field] += 1
    assert all(seen.values()), f"the bundled data has firms with each relation: {seen}"


def test_a_firm_is_found_by_its_groups_name_as_search_finds_it(api_client):
    listed = {f["id"] for f in api_client.get("/api/v1/firms", params={"q": "宁德时代"}).json()["items"]}
    searched = {r["id"] for r in api_client.get("/api/v1/search", params={"q": "宁德时代"}).json()["items"]}
    assert {"catl", "catl-jiangsu"} <= listed and {"catl", "catl-jiangsu"} <= searched


def test_an_id_of_another_kind_is_named_and_what_it_belongs_to_comes_first(api_client, capsys):
    response = api_client.get("/api/v1/clusters/nev-electrolyte/chain")
    body = response.json()
    assert response.status_code == 404 and body["found_kind"] == "segment"
    assert body["suggestions"][0] == "nev" and "is a segment" in body["detail"]
    firm_as_segment = api_client.get("/api/v1/segments/catl-jiangsu/candidates").json()
    assert firm_as_segment["found_kind"] == "firm" and "nev-battery-cell" in firm_as_segment["suggestions"][:3]
    assert main(["chain", "nev-electrolyte"]) == 2
    assert "'nev-electrolyte' is a segment). Did you mean: nev" in capsys.readouterr().err


def test_a_parent_gap_names_its_sub_segments_that_are_gaps_too(api_client):
    items = api_client.get("/api/v1/gaps?limit=500").json()["items"]
    by_id = {g["segment_id"]: g for g in items}
    parents = [g for g in items if g["sub_gaps"]]
    assert parents, "the bundled data has a missing parent (汽车芯片) whose sub-segments are gaps"
    for gap in parents:
        for child in gap["sub_gaps"]:
            assert by_id[child]["parent_id"] == gap["segment_id"]
    for gap in items:
        if gap["parent_id"] in by_id:
            assert gap["segment_id"] in by_id[gap["parent_id"]]["sub_gaps"]


def test_a_firms_projects_and_platforms_are_those_the_project_and_platform_lists_give(api_client, bundled_store):
    builders = {e.target for e in bundled_store.edges(EdgeKind.BUILT_BY)}
    runners = {e.source for e in bundled_store.edges(EdgeKind.RUNS)}
    platforms = api_client.get("/api/v1/platforms").json()["items"]
    assert builders and runners
    for firm_id in sorted(builders | runners):
        firm = api_client.get(f"/api/v1/firms/{firm_id}").json()
        listed = api_client.get("/api/v1/projects", params={"firm": firm_id, "limit": 500}).json()["items"]
        assert {p["id"] for p in firm["projects"]} == {p["id"] for p in listed}, firm_id
        run = {p["id"] for p in platforms if firm_id in {f["id"] for f in p["firms"]}}
        assert {p["id"] for p in firm["platforms"]} == run, firm_id
        cited = {s["id"] for s in firm["sources"]}
        for item in firm["projects"] + firm["platforms"]:
            assert item["sources"] and set(item["sources"]) <= cited, (firm_id, item["id"])
        years = [p["year"] for p in firm["projects"]]
        dated = [y for y in years if y is not None]
        assert dated == sorted(dated) and years == dated + [None] * (len(years) - len(dated))  # undated last


def test_every_cited_source_says_what_kind_it_is_and_its_english_title(api_client, bundled_store):
    kinds = set()
    for path in ("/api/v1/firms/brunp", "/api/v1/firms/catl-jiangsu", "/api/v1/projects/prj-catl-liyang"):
        body = api_client.get(path).json()
        for ref in body.get("sources_ref") or body["sources"]:
            node = bundled_store.node(ref["id"])
            assert ref["reliability"] == node.reliability and ref["title_en"] == node.name_en, ref["id"]
            kinds.add(ref["reliability"])
    assert len(kinds) >= 2  # official papers and weaker copies are told apart
