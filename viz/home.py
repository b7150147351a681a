"""The home page at ``/``: where a browser lands, linking every cluster's view, report and workbook.

``gather_home`` asks the queries; :func:`viz.render.render_home` renders the page (no script, only hashed
styles) and :func:`home_index` gives the same links as JSON for a client that does not ask for HTML. Links
are relative to ``/`` (``views/overview``), so the page works behind a proxy that serves chainkg under a
path prefix.

Examples
--------
>>> from graph.fixtures import tiny_chain
>>> from graph.memory_store import MemoryStore
>>> data = gather_home(MemoryStore(tiny_chain()))
>>> [(c["id"], c["links"]["view"]) for c in data["clusters"]]
[('t-nev', 'views/clusters/t-nev')]
>>> home_index(data)["clusters"][0]["links"]["report"]
'/reports/clusters/t-nev'
"""

from __future__ import annotations

from typing import Any, cast

import chainkg
from graph.store import GraphStore, empty_store_message
from queries.clusters import list_clusters, lists_note
from queries.health import health_ranking

TITLE_ZH = "常州十大先进制造业集群产业链图谱"
TITLE_EN = "Industry-chain knowledge graph of Changzhou's ten advanced manufacturing clusters"

CITY_LINKS: tuple[tuple[str, str, str], ...] = (
    ("overview", "views/overview", "总览图谱 Overview of the clusters"),
    ("summary_report", "reports/summary", "集群健康度汇总报告 Health summary report (A4)"),
    ("targets_report", "reports/targets", "全市先找谁：招商名单 Whom to approach first, every cluster (A4)"),
    (
        "summary_workbook",
        "reports/summary.xlsx",
        "全市缺口工作簿（含「先找谁」表）Gap workbook of every cluster, with its sheet of firms to approach (xlsx)",
    ),
)
"""City-wide pages: (key, path from ``/``, label in Chinese and English)."""

DEVELOPER_LINKS: tuple[tuple[str, str, str], ...] = (
    ("docs", "docs", "接口文档 API documentation (interactive)"),
    ("redoc", "redoc", "接口参考 API reference"),
    ("openapi", "openapi.json", "OpenAPI 描述 OpenAPI document"),
    ("clusters", "api/v1/clusters", "集群列表 Clusters (JSON)"),
    ("gaps", "api/v1/gaps", "缺口清单 Gaps (JSON)"),
    ("targets", "api/v1/targets", "招商目标企业 Firms to approach (JSON)"),
    ("health", "health", "服务状态 Service health"),
)
"""Pages for API consumers: (key, path from ``/``, label)."""

CLUSTER_LINKS: tuple[tuple[str, str], ...] = (
    ("view", "views/clusters/{id}"),
    ("report", "reports/clusters/{id}"),
    ("brief", "reports/clusters/{id}/brief"),
    ("gaps", "reports/clusters/{id}#gaps"),
    ("targets", "reports/clusters/{id}#targets"),
    ("workbook", "reports/clusters/{id}.xlsx"),
    ("api", "api/v1/clusters/{id}"),
)
"""Each cluster's pages: (key, path from ``/`` with ``{id}``)."""


def gather_home(store: GraphStore) -> dict[str, Any]:
    """What the home page shows: the clusters with their links, the graph's size and version.

    While the store holds no graph (a Neo4j database never loaded), ``clusters`` is empty and
    ``not_loaded`` says how to load one; the page still answers, so the service's address always
    leads somewhere.
    """
    message = empty_store_message(store)
    if message:
        return {
            "clusters": [],
            "counts": {},
            "lists_note": None,
            "data_version": store.version(),
            "not_loaded": message,
        }
    listed = {c["id"]: c for c in list_clusters(store)}
    clusters = [
        {
            "id": row["cluster_id"],
            "name_zh": row["name_zh"],
            "name_en": row["name_en"],
            "list_years": listed[row["cluster_id"]]["list_years"],
            "health_rank": row["rank"],
            "health_score": row["score"],
            "gaps": row["counts"]["gaps"],
            "missing": row["counts"]["missing"],
            "weak": row["counts"]["weak"],
            "segment_count": listed[row["cluster_id"]]["segment_count"],
            "local_firm_count": listed[row["cluster_id"]]["local_firm_count"],
            "links": {key: path.replace("{id}", row["cluster_id"]) for key, path in CLUSTER_LINKS},
        }
        for row in health_ranking(store)
    ]
    counts = store.counts()
    nodes = cast(dict[str, int], counts["nodes"])
    firms = cast(dict[str, int], counts["firms"])
    return {
        "clusters": clusters,
        "counts": {
            "clusters": nodes.get("Cluster", 0),
            "segments": nodes.get("Segment", 0),
            "local_firms": firms.get("local", 0),
            "outside_firms": firms.get("outside", 0),
            "sources": nodes.get("Source", 0),
        },
        "lists_note": lists_note(clusters),
        "data_version": store.version(),
        "not_loaded": None,
    }


def home_index(data: dict[str, Any]) -> dict[str, Any]:
    """The home page as JSON: the same links, as absolute paths (``/views/overview``)."""
    return {
        "name": "chainkg",
        "title_zh": TITLE_ZH,
        "title_en": TITLE_EN,
        "version": chainkg.__version__,
        "data_version": data["data_version"],
        "not_loaded": data["not_loaded"],
        "counts": data["counts"],
        "lists_note": data["lists_note"],
        "links": {key: "/" + path for key, path, _ in CITY_LINKS + DEVELOPER_LINKS},
        "clusters": [{**c, "links": {key: "/" + path for key, path in c["links"].items()}} for c in data["clusters"]],
    }
