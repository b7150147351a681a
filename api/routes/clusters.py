"""Clusters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import StoreDep
from api.problems import PROBLEM_RESPONSES
from api.schemas import ClusterDetail, ClusterList
from queries.clusters import get_cluster, list_clusters

router = APIRouter(prefix="/api/v1/clusters", tags=["clusters"], responses=PROBLEM_RESPONSES)
ClusterId = Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")]


@router.get("", response_model=ClusterList, summary="List the clusters")
def read_clusters(
    store: StoreDep,
    year: Annotated[
        int | None, Query(description="2022 or 2024: one published list", json_schema_extra={"enum": [2022, 2024]})
    ] = None,
) -> dict[str, Any]:
    """All clusters with segment and local-firm counts; `year` keeps one published version of the list."""
    items = list_clusters(store, year)
    return {"items": items, "total": len(items)}


@router.get("/{cluster_id}", response_model=ClusterDetail, summary="One cluster with its figures and segments")
def read_cluster(store: StoreDep, cluster_id: ClusterId) -> dict[str, Any]:
    """A cluster's names, designations, list memberships, figures by year (with sources) and segments."""
    return get_cluster(store, cluster_id)
