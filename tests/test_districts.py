"""Districts and one platform: the ids the ``district`` filters take, and the detail routes that were missing.

Review 6, finding 5: no route listed the district ids that ``/api/v1/firms?district=`` and
``/api/v1/projects?district=`` filter on (a client had to send a wrong id and read the 404's
suggestions), and ``/api/v1/platforms`` was the only collection without a detail route. Expected
figures are read from the other routes and the data files here, never typed in.
"""

from __future__ import annotations

import csv
import json

import pytest

from chainkg.cli import main
from chainkg.settings import BUNDLED_DATA
from graph.errors import NodeNotFound
from graph.fixtures import tiny_layers
from graph.memory_store import MemoryStore
from graph.model import District, Edge, EdgeKind, Firm
from queries.districts import get_district, list_districts
from queries.platforms import get_platform, list_platforms


def _district_ids_in_the_data() -> list[str]:
    with (BUNDLED_DATA / "districts.csv").open(encoding="utf-8") as f:
        return sorted(row["id"] for row in csv.DictReader(f))


def _all(client, url: str) -> dict:
    r = client.get(url)
    assert r.status_code == 200, r.text
    return r.json()


# -- the list ------------------------------------------------------------------------------------


def test_the_list_names_every_district_of_the_data(api_client):
    body = _all(api_client, "/api/v1/districts?limit=500")
    assert [d["id"] for d in body["items"]] == _district_ids_in_the_data()
    assert body["total"] == len(body["items"]) and (body["limit"], body["offset"]) == (500, 0)
    for item in body["items"]:
        assert item["name_zh"] and item["name_en"] and item["sources"], item
        assert item["confidence"] in {"sourced", "unverified"}


def test_the_counts_are_the_totals_the_district_filters_give(api_client):
    """A dashboard can show the counts beside each district and link them to the filtered lists."""
    items = _all(api_client, "/api/v1/districts?limit=500")["items"]
    assert sum(d["local_firm_count"] for d in items) > 0 and sum(d["project_count"] for d in items) > 0
    for d in items:
        firms = _all(api_client, f"/api/v1/firms?district={d['id']}&local=true&limit=1")["total"]
        projects = _all(api_client, f"/api/v1/projects?district={d['id']}&limit=1")["total"]
        assert (d["local_firm_count"], d["project_count"]) == (firms, projects), d["id"]


def test_the_platform_count_is_the_platforms_its_firms_run(api_client):
    items = _all(api_client, "/api/v1/districts?limit=500")["items"]
    platforms = _all(api_client, "/api/v1/platforms")["items"]
    for d in items:
        firms = {f["id"] for f in _all(api_client, f"/api/v1/firms?district={d['id']}&limit=500")["items"]}
        run_here = [p["id"] for p in platforms if firms & {f["id"] for f in p["firms"]}]
        assert d["platform_count"] == len(run_here), d["id"]
    assert any(d["platform_count"] for d in items)


def test_the_list_is_paged_as_the_other_lists(api_client):
    every = _all(api_client, "/api/v1/districts")["items"]
    page = _all(api_client, "/api/v1/districts?limit=3&offset=2")
    assert page["items"] == every[2:5] and (page["limit"], page["offset"], page["total"]) == (3, 2, len(every))
    past = _all(api_client, "/api/v1/districts?offset=100")
    assert past["items"] == [] and past["total"] == len(every)
    for bad in ("limit=0", "limit=501", "offset=-1"):
        assert api_client.get(f"/api/v1/districts?{bad}").status_code == 422, bad


def test_unknown_parameters_are_refused_on_the_new_routes(api_client):
    r = api_client.get("/api/v1/districts?district=wujin")
    assert r.status_code == 422 and r.json()["errors"][0]["loc"] == ["query", "district"]
    assert "limit, offset" in r.json()["errors"][0]["msg"]
    for url in ("/api/v1/districts/wujin?limit=5", "/api/v1/platforms/plat-hualida-iip?category=other"):
        assert api_client.get(url).status_code == 422, url


# -- one district --------------------------------------------------------------------------------


@pytest.mark.parametrize("district_id", _district_ids_in_the_data())
def test_a_district_lists_what_the_filters_keep(api_client, district_id):
    body = _all(api_client, f"/api/v1/districts/{district_id}")
    firms = _all(api_client, f"/api/v1/firms?district={district_id}&limit=500")["items"]
    projects = _all(api_client, f"/api/v1/projects?district={district_id}&limit=500")["items"]
    assert [f["id"] for f in body["firms"]] == [f["id"] for f in firms]
    assert [(f["is_anchor"], f["anchor_of"]) for f in body["firms"]] == [
        (f["is_anchor"], f["anchor_of"]) for f in firms
    ]
    assert [p["id"] for p in body["projects"]] == [p["id"] for p in projects]
    assert [p["investment_text"] for p in body["projects"]] == [p["investment_text"] for p in projects]
    assert len(body["firms"]) >= body["local_firm_count"] and len(body["projects"]) == body["project_count"]
    assert len(body["platforms"]) == body["platform_count"]
    listed = next(d for d in _all(api_client, "/api/v1/districts")["items"] if d["id"] == district_id)
    assert {k: body[k] for k in listed} == listed
    cited = {*body["sources"]} | {
        s for key in ("firms", "projects", "platforms") for i in body[key] for s in i["sources"]
    }
    assert {s["id"] for s in body["sources_ref"]} == cited


def test_a_district_cites_the_sources_that_place_each_firm(api_client, bundled_store):
    body = _all(api_client, "/api/v1/districts/liyang")
    for firm in body["firms"]:
        (edge,) = bundled_store.edges(EdgeKind.LOCATED_IN, source=firm["id"])
        assert edge.target == "liyang" and firm["sources"] == list(edge.sources)
    catl = next(p for p in body["platforms"] if p["id"] == "plat-catl-liyang-lighthouse")
    assert catl["firms"] == ["catl-jiangsu"]


@pytest.mark.parametrize(("asked", "suggested"), [("wujn", "wujin"), ("LIYANG", "liyang"), ("武进", "wujin")])
def test_an_unknown_district_is_a_404_with_the_nearest_ids(api_client, asked, suggested):
    r = api_client.get(f"/api/v1/districts/{asked}")
    assert r.status_code == 404 and r.headers["content-type"] == "application/problem+json"
    assert r.json()["kind"] == "district" and suggested in r.json()["suggestions"]


def test_a_park_counts_in_its_district_and_names_it():
    """Projects sited in a park count in its district, as ``/projects?district=`` keeps them."""
    ds = tiny_layers()
    ds.add_node(
        District(id="d-park", name_zh="测试园区", name_en="Test park", parent_id="d-wujin", sources=("s-tiny",))
    )
    ds.add_edge(Edge(kind=EdgeKind.SITED_IN, source="prj-cell-1", target="d-park", sources=("s-tiny",)))
    store = MemoryStore(ds)
    items = {d["id"]: d for d in list_districts(store)["items"]}
    assert items["d-park"]["parent_id"] == "d-wujin" and items["d-wujin"]["parent_id"] is None
    assert items["d-wujin"]["project_count"] == 3 and items["d-park"]["project_count"] == 1
    wujin = get_district(store, "d-wujin")
    assert [d["id"] for d in wujin["sub_districts"]] == ["d-park"] and wujin["parent"] is None
    cell = next(p for p in wujin["projects"] if p["id"] == "prj-cell-1")
    assert cell["districts"] == ["d-park"]
    park = get_district(store, "d-park")
    assert park["parent"] == {"id": "d-wujin", "name_zh": "武进区", "name_en": "Wujin"}


def test_a_link_without_a_source_is_unverified_in_the_district():
    ds = tiny_layers()
    ds.add_edge(Edge(kind=EdgeKind.SITED_IN, source="prj-cell-1", target="d-wujin", confidence="unverified"))
    cell = next(p for p in get_district(MemoryStore(ds), "d-wujin")["projects"] if p["id"] == "prj-cell-1")
    assert cell["confidence"] == "unverified" and cell["sources"] == []


# -- one platform --------------------------------------------------------------------------------


def test_a_platform_is_its_list_item_with_the_links_sources(api_client, bundled_store):
    items = _all(api_client, "/api/v1/platforms")["items"]
    assert items
    for item in items:
        body = _all(api_client, f"/api/v1/platforms/{item['id']}")
        assert {k: v for k, v in body.items() if k not in ("firms", "sources_ref")} == {
            k: v for k, v in item.items() if k != "firms"
        }
        assert [{k: f[k] for k in ("id", "name_zh", "name_en", "year")} for f in body["firms"]] == item["firms"]
        for firm in body["firms"]:
            node = bundled_store.node(firm["id"])
            assert isinstance(node, Firm)
            assert (firm["is_local"], firm["district_id"]) == (node.is_local, node.district_id or None)
            (edge,) = bundled_store.edges(EdgeKind.RUNS, source=firm["id"], target=item["id"])
            assert firm["sources"] == list(edge.sources)
        cited = set(body["sources"]) | {s for f in body["firms"] for s in f["sources"]}
        assert {s["id"] for s in body["sources_ref"]} == cited


def test_an_unknown_platform_is_a_404_with_the_nearest_ids(api_client):
    r = api_client.get("/api/v1/platforms/plat-catl-liyang")
    assert r.status_code == 404 and "plat-catl-liyang-lighthouse" in r.json()["suggestions"]
    with pytest.raises(NodeNotFound):
        get_platform(MemoryStore(tiny_layers()), "plat-nope")
    assert [p["id"] for p in list_platforms(MemoryStore(tiny_layers()))] == ["plat-lighthouse"]


def test_the_new_routes_are_in_the_openapi_document(api_client):
    paths = api_client.get("/openapi.json").json()["paths"]
    names = {p["name"] for p in paths["/api/v1/districts"]["get"]["parameters"]}
    assert names == {"limit", "offset"}
    for path in ("/api/v1/districts/{district_id}", "/api/v1/platforms/{platform_id}"):
        assert "404" in paths[path]["get"]["responses"], path


# -- the command line ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "url"),
    [
        (["districts"], "/api/v1/districts"),
        (["districts", "--limit", "2", "--offset", "1"], "/api/v1/districts?limit=2&offset=1"),
        (["district", "wujin"], "/api/v1/districts/wujin"),
        (["platform", "plat-catl-liyang-lighthouse"], "/api/v1/platforms/plat-catl-liyang-lighthouse"),
    ],
)
def test_json_is_the_api_body(argv, url, api_client, capsys):
    assert main([*argv, "--json"]) == 0
    assert json.loads(capsys.readouterr().out) == _all(api_client, url)


def test_the_districts_table_shows_each_district_with_its_counts(bundled_store, capsys):
    assert main(["districts", "--lang", "en"]) == 0
    out = capsys.readouterr().out.splitlines()
    for d in list_districts(bundled_store)["items"]:
        (row,) = [line for line in out if line.split()[:1] == [d["id"]]]
        assert row.split()[1:4] == [str(d["local_firm_count"]), str(d["project_count"]), str(d["platform_count"])]
        assert row.endswith(d["name_en"])
    assert f"showing 1-{len(_district_ids_in_the_data())} of {len(_district_ids_in_the_data())} districts" in out


def test_the_district_view_lists_firms_projects_and_sources(bundled_store, capsys):
    body = get_district(bundled_store, "liyang")
    assert main(["district", "liyang"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"liyang  {body['name_zh']} {body['name_en']}\n")
    assert f"企业 firms ({len(body['firms'])})" in out and f"重大项目 projects ({len(body['projects'])})" in out
    for key in ("firms", "projects", "platforms", "sources_ref"):
        for item in body[key]:
            assert item["id"] in out, (key, item["id"])


def test_the_platform_view_lists_who_runs_it(bundled_store, capsys):
    body = get_platform(bundled_store, "plat-catl-liyang-lighthouse")
    assert main(["platform", "plat-catl-liyang-lighthouse", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    assert out.startswith(f"plat-catl-liyang-lighthouse  {body['name_en']}\n")
    assert "run by (1)" in out and "catl-jiangsu" in out and "liyang" in out


@pytest.mark.parametrize(("argv", "suggested"), [(["district", "wujn"], "wujin"), (["platform", "plat-wuyang"], "")])
def test_an_unknown_id_exits_2_naming_the_ids(argv, suggested, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：没有编号为") and f" / error: No {argv[0]} with id " in err  # Chinese first
    assert (f"Did you mean: {suggested}" in err) if suggested else "plat-wuyang-digital-factory" in err


@pytest.mark.parametrize("command", ["districts", "district", "platform"])
def test_help_has_a_description_and_examples(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: chainkg {command}") and "--json" in out and "--lang {zh,en}" in out
    examples = out.split("examples:\n")[1].splitlines()
    assert any(
        line.strip().startswith(f"chainkg {command} ") or line.strip() == f"chainkg {command}" for line in examples
    )
