"""Criticality: which of a cluster's segments and local firms would hurt it most if lost."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.criticality_schemas import CriticalFirmList, CriticalSegmentList
from api.deps import Limit, Offset, StoreDep, page
from api.problems import BASE_PROBLEM_RESPONSES, NOT_FOUND_RESPONSES
from queries.criticality import critical_firms, critical_firms_caveat, critical_segments

router = APIRouter(prefix="/api/v1", tags=["analysis"], responses=BASE_PROBLEM_RESPONSES)
ClusterId = Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")]
Year = Annotated[
    int | None,
    Query(ge=1990, le=2100, description="As-of year: presence facts dated later are ignored"),
]


@router.get(
    "/clusters/{cluster_id}/critical-segments",
    responses=NOT_FOUND_RESPONSES,
    response_model=CriticalSegmentList,
    summary="A cluster's segments, by what depends on them",
)
def read_critical_segments(
    store: StoreDep, cluster_id: ClusterId, year: Year = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Which segment's loss would hurt most: every segment of the cluster with the local firms that hold it and
    what depends on it downstream (as `/api/v1/segments/{id}/impact` counts it), those held locally first, then
    by dependent local firms, exclusive dependents and downstream segments. `single_point` marks a segment one
    local firm holds while others depend on it; the `*_unverified_only` counts say how much of the dependence
    rests only on supply links the data marks unverified."""
    return {"cluster_id": cluster_id, **page(critical_segments(store, cluster_id, year), limit, offset)}


@router.get(
    "/clusters/{cluster_id}/critical-firms",
    responses=NOT_FOUND_RESPONSES,
    response_model=CriticalFirmList,
    summary="A cluster's local firms, by what their leaving would do",
)
def read_critical_firms(
    store: StoreDep, cluster_id: ClusterId, year: Year = None, limit: Limit = 50, offset: Offset = 0
) -> dict[str, Any]:
    """Which local firm's leaving would hurt most: `POST /api/v1/what-if` asked for each local firm of the cluster
    alone, ranked by the fall in the cluster's health score, then the segments whose status drops (e.g. weak →
    missing), then new gaps. A cluster with more than 500 local firms is refused (422 `invalid-query`: each firm
    costs one run of the analysis); ask what-if for named firms instead."""
    ranked = critical_firms(store, cluster_id, year)
    return {"cluster_id": cluster_id, **page(ranked, limit, offset), **critical_firms_caveat()}
