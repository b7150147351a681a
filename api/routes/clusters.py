"""Clusters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import PublishedYear, StoreDep
from api.problems import BASE_PROBLEM_RESPONSES, NOT_FOUND_RESPONSES
from api.schemas import ClusterDetail, ClusterList
from queries.clusters import check_year, get_cluster, list_clusters

router = APIRouter(prefix="/api/v1/clusters", tags=["clusters"], responses=BASE_PROBLEM_RESPONSES)
ClusterId = Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")]


@router.get("", response_model=ClusterList, summary="List the clusters")
def read_clusters(
    store: StoreDep,
    year: Annotated[PublishedYear | None, Query(description="2022 or 2024: one published list")] = None,
    list_year: Annotated[
        PublishedYear | None,
        Query(
            description="The same as `year`, under the name `/health-ranking` and `/reports` use for it",
        ),
    ] = None,
) -> dict[str, Any]:
    """All clusters with segment and local-firm counts; `year` (or `list_year`) keeps one published version
    of the list. Given both, different, it keeps the clusters on both lists."""
    check_year(year, "year")
    check_year(list_year, "list_year")  # named as given: `list_year=2023` is not reported as `year`
    items = list_clusters(store, year if year is not None else list_year)
    if year is not None and list_year is not None and list_year != year:
        on_both = {c["id"] for c in list_clusters(store, list_year)}
        items = [c for c in items if c["id"] in on_both]
    return {"items": items, "total": len(items)}


@router.get(
    "/{cluster_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=ClusterDetail,
    summary="One cluster with its figures and segments",
)
def read_cluster(store: StoreDep, cluster_id: ClusterId) -> dict[str, Any]:
    """A cluster's names, designations, list memberships, figures by year (with sources) and segments."""
    return get_cluster(store, cluster_id)
