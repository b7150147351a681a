"""Targets (先找谁): the outside firms to approach for a cluster's gaps, or the whole city's, each ranked once."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.analysis_schemas import GAP_KIND_ALIASES, GapKindQuery, TargetList
from api.deps import HqFilter, Limit, Offset, PublishedYear, StoreDep, hq_page, id_filter
from api.problems import BASE_PROBLEM_RESPONSES, NOT_FOUND_RESPONSES
from queries.clusters import narrowed_list_completeness
from queries.gap_kinds import GAP_PAGE_LIMIT
from queries.targets import targets

router = APIRouter(prefix="/api/v1", tags=["analysis"], responses=BASE_PROBLEM_RESPONSES)
ClusterId = Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")]
Year = Annotated[
    int | None,
    Query(ge=1990, le=2100, description="As-of year: presence facts dated later are ignored"),
]
Kind = Annotated[
    GapKindQuery | None,
    Query(description="Count only the gaps whose `kinds` contain this kind" + GAP_KIND_ALIASES),
]
MinSeverity = Annotated[
    float | None, Query(ge=0, le=1, allow_inf_nan=False, description="Count only the gaps at least this severe")
]
Untargeted = Annotated[
    bool | None,
    Query(description="`true`: count only the gaps no policy names; `false`: only those some policy names"),
]
ListYear = Annotated[
    PublishedYear | None,
    Query(
        description="2022 or 2024: count only the gaps of the clusters on that published list; a cluster (in the "
        "path or `cluster`) not on it is refused: 422 naming the lists it is on",
    ),
]
PerGap = Annotated[
    int | None,
    Query(
        ge=1,
        le=50,
        description="Keep only firms ranked N or better among the candidates of at least one of their gaps (1: "
        "each gap's first choice), so one gap with many candidates does not fill the list; priorities are "
        "unchanged. Firms with the same score share a rank (`tied_with`), so a tie keeps every firm in it",
    ),
]


@router.get(
    "/clusters/{cluster_id}/targets",
    responses=NOT_FOUND_RESPONSES,
    response_model=TargetList,
    summary="Whom to approach first for a cluster",
)
def read_cluster_targets(
    store: StoreDep,
    cluster_id: ClusterId,
    year: Year = None,
    kind: Kind = None,
    min_severity: MinSeverity = None,
    per_gap: PerGap = None,
    untargeted: Untargeted = None,
    list_year: ListYear = None,
    hq: HqFilter = None,
    limit: Limit = GAP_PAGE_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Every outside firm that is a candidate for at least one of the cluster's gaps, once, ranked by
    priority = 1 − Π(1 − severity × score) over the gaps it would fill (a gap and a gap below it count
    once), with those gaps (its score and rank in each) and its reasons in Chinese and English."""
    items = targets(store, cluster_id, year, kind, min_severity, per_gap, untargeted, list_year)
    return hq_page(items, hq, limit, offset)


@router.get(
    "/targets",
    responses=NOT_FOUND_RESPONSES,
    response_model=TargetList,
    summary="Whom to approach first, across clusters",
)
def read_targets(
    store: StoreDep,
    cluster: id_filter("Only the gaps of this cluster") = None,
    year: Year = None,
    kind: Kind = None,
    min_severity: MinSeverity = None,
    per_gap: PerGap = None,
    untargeted: Untargeted = None,
    list_year: ListYear = None,
    hq: HqFilter = None,
    limit: Limit = GAP_PAGE_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """The ranking of `/api/v1/clusters/{id}/targets` over every cluster's gaps (or one `cluster`'s):
    a firm filling gaps of several clusters is listed once, with all of them; `list_year` keeps the gaps of the
    clusters on one published list (without `cluster`, on a list the data know only part of, the 2022 list: 7 of
    its 10, `list_size` and `list_note_zh`/`list_note_en` say so)."""
    items = targets(store, cluster, year, kind, min_severity, per_gap, untargeted, list_year)
    return {**hq_page(items, hq, limit, offset), **narrowed_list_completeness(store, list_year, cluster)}
