"""Clusters."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import PublishedYear, StoreDep
from api.problems import BASE_PROBLEM_RESPONSES, NOT_FOUND_RESPONSES
from api.schemas import ClusterDetail, ClusterList
from graph.errors import InvalidQuery
from queries.clusters import check_year, get_cluster, list_clusters, list_completeness

router = APIRouter(prefix="/api/v1/clusters", tags=["clusters"], responses=BASE_PROBLEM_RESPONSES)
ClusterId = Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")]


@router.get("", response_model=ClusterList, summary="List the clusters")
def read_clusters(
    store: StoreDep,
    year: Annotated[PublishedYear | None, Query(description="2022 or 2024: one published list")] = None,
    list_year: Annotated[
        PublishedYear | None,
        Query(
            description="The same as `year`, under the name `/health-ranking` and `/reports` use for it; given "
            "with `year`, it must be the same year (two different years: 422 naming both)",
        ),
    ] = None,
) -> dict[str, Any]:
    """All clusters with segment and local-firm counts; `year` (or `list_year`) keeps one published version
    of the list. Both may be given only with the same value: two different years are a 422 naming both."""
    check_year(year, "year")
    check_year(list_year, "list_year")  # named as given: `list_year=2023` is not reported as `year`
    check_same_year(year, list_year)
    chosen = year if year is not None else list_year
    items = list_clusters(store, chosen)
    return {"items": items, "total": len(items), **list_completeness(chosen, len(items))}


def check_same_year(year: int | None, list_year: int | None) -> None:
    """Raise :class:`InvalidQuery` when ``year`` and ``list_year``, the same parameter here, differ.

    Neither parameter alone is at fault, so the message names both (and their values) in English and Chinese;
    its ``errors`` entry is ``list_year`` (with its value), the parameter this route takes as the other's alias.

    >>> check_same_year(2024, 2024), check_same_year(None, 2022)
    (None, None)
    >>> try:
    ...     check_same_year(2024, 2022)
    ... except InvalidQuery as err:
    ...     print(str(err).split(" / ")[0])
    year=2024 and list_year=2022 differ: on /api/v1/clusters both name the published list; give one, or the same year
    """
    if year is not None and list_year is not None and year != list_year:
        raise InvalidQuery(
            f"year={year} and list_year={list_year} differ: on /api/v1/clusters both name the published list; "
            f"give one, or the same year / year={year} 与 list_year={list_year} 不一致：本接口中二者都指名单年份；"
            "请只给其一，或给相同的年份",
            param="list_year",
            value=list_year,
        )


@router.get(
    "/{cluster_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=ClusterDetail,
    summary="One cluster with its figures and segments",
)
def read_cluster(store: StoreDep, cluster_id: ClusterId) -> dict[str, Any]:
    """A cluster's names, designations, list memberships, figures by year (with sources) and segments."""
    return get_cluster(store, cluster_id)
