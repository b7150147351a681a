"""``/``: the home page a browser lands on (``make run`` prints the address), and its JSON for other clients."""

from __future__ import annotations

import re
from typing import Any

import pytest

from chainkg.settings import Settings
from graph.memory_store import MemoryStore
from graph.store import EMPTY_NEO4J
from queries.clusters import LIST_SIZE, list_clusters
from queries.health import health_ranking
from viz.fixtures import hostile_city

BROWSER = {"accept": "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"}
HOSTILE = "<script>alert('集群')</script>"


def hrefs(html: str) -> list[str]:
    return re.findall(r'href="([^"]+)"', html)


def test_a_browser_gets_the_home_page_linking_every_cluster(api_client: Any, bundled_store: MemoryStore) -> None:
    response = api_client.get("/", headers=BROWSER)
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    csp = response.headers["content-security-policy"]
    assert "script-src ;" in csp and "frame-ancestors 'none'" in csp and "<script" not in response.text
    clusters = list_clusters(bundled_store)
    assert len(clusters) >= 10
    for cluster in clusters:
        row = re.search(rf'<tr data-cluster="{cluster["id"]}">(.*?)</tr>', response.text, re.S)
        assert row, cluster["id"]
        assert cluster["name_zh"] in row.group(1) and cluster["name_en"] in row.group(1)
        assert f'href="views/clusters/{cluster["id"]}"' in row.group(1)
        assert f'href="reports/clusters/{cluster["id"]}"' in row.group(1)
    for health in health_ranking(bundled_store):  # review 14a: 0.56 here, 0.558 in the CLI and the brief
        row = re.search(rf'<tr data-cluster="{health["cluster_id"]}">(.*?)</tr>', response.text, re.S)
        assert row and f'<td class="num">{health["score"]:.3f}</td>' in row.group(1), health["cluster_id"]
    on_2022 = sum(2022 in c["list_years"] for c in clusters)
    if len(clusters) != LIST_SIZE:  # the bundled data: the union of the 2022 and 2024 lists, said on the page
        assert f"数据收录 {len(clusters)} 个集群" in response.text and f"2022 年：已知 {on_2022} 个" in response.text
    counts = bundled_store.counts()
    assert f"{counts['firms']['local']} 家本地企业 local firms" in response.text  # type: ignore[index]
    assert bundled_store.version() in response.text


def test_every_link_on_the_home_page_answers(api_client: Any) -> None:
    links = hrefs(api_client.get("/", headers=BROWSER).text)
    assert {"views/overview", "reports/summary", "docs", "openapi.json", "health"} <= set(links)
    for link in links:
        assert not link.startswith(("/", "http")), link  # relative: works under a proxy's path prefix
        answer = api_client.get("/" + link, headers=BROWSER)
        assert answer.status_code == 200, (link, answer.status_code)


def test_any_other_client_gets_the_same_links_as_json(api_client: Any, bundled_store: MemoryStore) -> None:
    response = api_client.get("/")
    assert response.status_code == 200 and response.headers["content-type"] == "application/json"
    body = response.json()
    assert body["name"] == "chainkg" and body["not_loaded"] is None
    assert body["data_version"] == bundled_store.version()
    ranking = health_ranking(bundled_store)
    assert [c["id"] for c in body["clusters"]] == [r["cluster_id"] for r in ranking]  # healthiest first
    assert [c["health_rank"] for c in body["clusters"]] == [r["rank"] for r in ranking]
    assert [c["gaps"] for c in body["clusters"]] == [r["counts"]["gaps"] for r in ranking]
    html_links = {"/" + link for link in hrefs(api_client.get("/", headers=BROWSER).text)}
    json_links = set(body["links"].values()) | {v for c in body["clusters"] for v in c["links"].values()}
    assert json_links == html_links
    assert body["counts"]["segments"] == bundled_store.counts()["nodes"]["Segment"]  # type: ignore[index]
    assert api_client.head("/").status_code == 200


def test_names_from_the_data_are_escaped() -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app

    dataset = hostile_city()
    cluster_id = next(n.id for n in dataset.nodes.values() if n.kind == "Cluster")
    dataset.nodes[cluster_id] = dataset.nodes[cluster_id].model_copy(update={"name_zh": HOSTILE})
    with TestClient(create_app(MemoryStore(dataset), Settings.from_env(env={}))) as client:
        page = client.get("/", headers=BROWSER).text
    assert HOSTILE not in page and "&lt;script&gt;alert(&#39;集群&#39;)&lt;/script&gt;" in page


def _not_loaded_answers(store: Any) -> tuple[str, dict[str, Any]]:
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(store, Settings.from_env(env={}))) as client:
        page = client.get("/", headers=BROWSER)
        index = client.get("/")
    assert page.status_code == 200 and index.status_code == 200
    return page.text, index.json()


@pytest.mark.neo4j
def test_an_empty_neo4j_database_gets_a_home_page_saying_how_to_load(neo4j_store: Any) -> None:
    from graph.fixtures import tiny_chain
    from tests.test_neo4j_store import raw

    raw(neo4j_store, "MATCH (n) WHERE n:ChainkgMeta OR n:ChainNode OR n:ChainkgGeneration DETACH DELETE n")
    try:
        from graph.neo4j_store import Neo4jStore

        served = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"))  # the app closes it when it stops
        page, index = _not_loaded_answers(served)
        assert 'id="not-loaded"' in page and "chainkg load data/changzhou --backend neo4j" in page
        assert index["data_version"] == EMPTY_NEO4J and "chainkg load" in index["not_loaded"]
    finally:
        neo4j_store.replace(tiny_chain())


def test_served_views_and_reports_link_back_to_the_home_page(api_client: Any) -> None:
    """Every served page leads back to ``/``: the views' header (a cluster view also to its report) and the reports."""
    for path, home in [
        ("/views/overview", "../"),
        ("/views/clusters/nev", "../../"),
        ("/views/firms/catl-jiangsu", "../../"),
        ("/reports/clusters/nev", "../../"),
        ("/reports/summary", "../"),
    ]:
        page = api_client.get(path, headers=BROWSER).text
        assert f'href="{home}"' in page and "首页 Home" in page, path
    assert 'id="link-report" href="../../reports/clusters/nev"' in api_client.get("/views/clusters/nev").text
    assert 'id="link-brief" href="../../reports/clusters/nev/brief"' in api_client.get("/views/clusters/nev").text
    assert 'href="../views/overview"' in api_client.get("/reports/summary").text


def test_a_view_written_to_a_file_links_home_only_with_a_base_url() -> None:
    from graph.fixtures import tiny_chain
    from viz.render import LinkStyle, render_view
    from viz.views import build_view

    net = build_view(MemoryStore(tiny_chain()), "cluster", "t-nev")
    assert 'id="link-home"' not in render_view(net, LinkStyle.file()).html  # no home page beside a file
    linked = render_view(net, LinkStyle.file("http://intranet:8000")).html
    assert 'id="link-home" href="http://intranet:8000/"' in linked
    assert 'id="link-report" href="http://intranet:8000/reports/clusters/t-nev"' in linked
    assert 'id="link-brief" href="http://intranet:8000/reports/clusters/t-nev/brief"' in linked


def test_a_cluster_report_opens_with_a_contents_list_whose_anchors_exist(api_client: Any) -> None:
    page = api_client.get("/reports/clusters/nev", headers=BROWSER).text
    toc = re.search(r'<nav class="toc"[^>]*>(.*?)</nav>', page, re.S)
    assert toc
    anchors = re.findall(r'href="#([\w-]+)"', toc.group(1))
    assert {"gaps", "targets", "sources"} <= set(anchors)
    for anchor in anchors:
        assert f'id="{anchor}"' in page, anchor
    home_links = {c["links"]["targets"] for c in api_client.get("/").json()["clusters"]}
    assert "/reports/clusters/nev#targets" in home_links  # the home page's 先找谁 lands on that section
