"""Chain-strengthening analysis: a cluster's chain, gaps, health, the health ranking and what-if."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query

from api.analysis_schemas import (
    GAP_KIND_ALIASES,
    Chain,
    ClusterHealth,
    ClusterLinkList,
    GapKindQuery,
    GapList,
    HealthRanking,
    WhatIf,
    WhatIfRequest,
)
from api.deps import Limit, Offset, PublishedYear, StoreDep, id_filter, page
from api.problems import (
    BASE_PROBLEM_RESPONSES,
    BODY_PROBLEM_RESPONSES,
    JSON_BODY_RESPONSES,
    NOT_FOUND_RESPONSES,
    json_content_type,
)
from graph.store import GraphStore
from queries.chain import chain
from queries.cluster_links import cluster_links
from queries.clusters import list_completeness, narrowed_list_completeness
from queries.gap_kinds import GAP_PAGE_LIMIT
from queries.gaps import gaps, on_list
from queries.health import health, health_caveat, health_ranking
from queries.policies import policy_gaps
from queries.what_if import what_if

router = APIRouter(prefix="/api/v1", tags=["analysis"], responses=BASE_PROBLEM_RESPONSES)
ClusterId = Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")]
Year = Annotated[
    int | None,
    Query(ge=1990, le=2100, description="As-of year: presence facts dated later are ignored"),
]
Kind = Annotated[GapKindQuery | None, Query(description="Keep gaps whose `kinds` contain this kind" + GAP_KIND_ALIASES)]
MinSeverity = Annotated[
    float | None, Query(ge=0, le=1, allow_inf_nan=False, description="Keep gaps at least this severe")
]
HasCandidates = Annotated[
    bool | None,
    Query(
        description="false: only gaps no outside firm in the data could fill (to research: 需另行调研); "
        "true: only gaps with at least one candidate (`candidate_count` > 0)"
    ),
]

Untargeted = Annotated[
    bool | None,
    Query(description="true: only gaps no policy names (targets the segment or one above it); false: the others"),
]
ListYear = Annotated[
    PublishedYear | None,
    Query(
        description="2022 or 2024: only the gaps of the clusters on that published list (with `cluster`, a "
        "cluster not on it is refused: 422 naming the lists it is on)",
    ),
]
OnList = Annotated[
    PublishedYear | None,
    Query(
        description="2022 or 2024: a published list the cluster must be on (else 422 naming the lists it is on); "
        "the answer is the same as without it",
    ),
]


def _gaps(
    store: GraphStore,
    cluster: str | None,
    year: int | None,
    kind: str | None,
    min_severity: float | None,
    untargeted: bool | None,
    has_candidates: bool | None,
    list_year: int | None,
) -> list[dict[str, Any]]:
    """The gaps of both gap routes, with the policies that target them when ``untargeted`` is given."""
    if untargeted is None:
        return gaps(store, cluster, year, kind, min_severity, has_candidates, list_year)
    items = policy_gaps(store, cluster, year, kind, min_severity, untargeted, has_candidates)
    return on_list(store, items, cluster, list_year)


@router.get(
    "/clusters/{cluster_id}/chain",
    responses=NOT_FOUND_RESPONSES,
    response_model=Chain,
    summary="A cluster's chain, upstream → downstream",
)
def read_cluster_chain(store: StoreDep, cluster_id: ClusterId, year: Year = None) -> dict[str, Any]:
    """Segments in supply order with local firm counts, anchor firms, firms by district and status
    (strong / present / weak / missing), and the SUPPLIES links (cross-cluster links marked)."""
    return chain(store, cluster_id, year)


@router.get(
    "/clusters/{cluster_id}/gaps",
    responses=NOT_FOUND_RESPONSES,
    response_model=GapList,
    summary="A cluster's gaps, by severity",
)
def read_cluster_gaps(
    store: StoreDep,
    cluster_id: ClusterId,
    year: Year = None,
    kind: Kind = None,
    min_severity: MinSeverity = None,
    untargeted: Untargeted = None,
    has_candidates: HasCandidates = None,
    list_year: OnList = None,
    limit: Limit = GAP_PAGE_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Missing (缺链), weak (弱链), broken-link (断链) and extension (延链) segments of one cluster,
    each with severity, components, reasons and a one-line explanation in Chinese and English.
    The filters are those of `/api/v1/gaps`, `untargeted` and `list_year` included."""
    return page(
        _gaps(store, cluster_id, year, kind, min_severity, untargeted, has_candidates, list_year), limit, offset
    )


@router.get("/gaps", responses=NOT_FOUND_RESPONSES, response_model=GapList, summary="Gaps across clusters, by severity")
def read_gaps(
    store: StoreDep,
    cluster: id_filter("Only this cluster") = None,
    year: Year = None,
    kind: Kind = None,
    min_severity: MinSeverity = None,
    untargeted: Untargeted = None,
    has_candidates: HasCandidates = None,
    list_year: ListYear = None,
    limit: Limit = GAP_PAGE_LIMIT,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Every gap, or those of one `cluster`, filtered by `kind` and `min_severity`, highest severity first;
    `list_year` keeps the clusters of one published list; without `cluster`, on a list the data know only part
    of (the 2022 list: 7 of its 10), `list_size` and `list_note_zh`/`list_note_en` say so. With `untargeted`,
    each gap also lists `targeted_by` (policies naming its segment) and `cluster_policies` (policies aimed at its
    whole cluster); see docs/projects-tiers-policies.md."""
    items = _gaps(store, cluster, year, kind, min_severity, untargeted, has_candidates, list_year)
    return {**page(items, limit, offset), **narrowed_list_completeness(store, list_year, cluster)}


@router.get(
    "/clusters/{cluster_id}/health",
    responses=NOT_FOUND_RESPONSES,
    response_model=ClusterHealth,
    summary="A cluster's health score",
)
def read_cluster_health(
    store: StoreDep, cluster_id: ClusterId, year: Year = None, list_year: OnList = None
) -> dict[str, Any]:
    """Health (产业链健康度) in [0, 1] from coverage, anchor coverage, solid share and concentration,
    with counts and the most severe gaps. `terms` lists the four terms (the component each weight
    multiplies, its value and weighted part, which sum to `score`); in `weights` and `weighted` the
    solid-share term keeps its old key `weak_links`, while `components.weak_links` counts the weak segments."""
    return health(store, cluster_id, year, list_year)


@router.get(
    "/cluster-links",
    responses=NOT_FOUND_RESPONSES,
    response_model=ClusterLinkList,
    summary="Which clusters supply which (集群间关联)",
)
def read_cluster_links(
    store: StoreDep,
    cluster: id_filter("Only the pairs where this cluster supplies or is supplied") = None,
    list_year: Annotated[
        PublishedYear | None,
        Query(
            description="2022 or 2024: only the pairs whose two clusters are both on that published list (with "
            "`cluster`, a cluster not on it is refused: 422 naming the lists it is on)",
        ),
    ] = None,
) -> dict[str, Any]:
    """Cluster pairs joined by SUPPLIES links between their segments, most links first, each with every
    segment link (confidence and sources): the arrows of the overview view, as data. `list_year` keeps the
    pairs of one published list; without `cluster`, on a list the data know only part of (the 2022 list: 7 of
    its 10), `list_size` and `list_note_zh`/`list_note_en` say so, as on the gap and target lists."""
    items = cluster_links(store, cluster, list_year)
    return {"items": items, "total": len(items), **narrowed_list_completeness(store, list_year, cluster)}


@router.get("/health-ranking", response_model=HealthRanking, summary="Clusters ranked by health")
def read_health_ranking(
    store: StoreDep,
    year: Year = None,
    list_year: Annotated[PublishedYear | None, Query(description="2022 or 2024: one published list")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Every cluster (or those on one published list) with its health score and rank, best first. On a list
    the data know only part of (the 2022 list: 7 of its 10), `list_size` and `list_note_zh`/`list_note_en` say so."""
    items = health_ranking(store, year, list_year)
    return {**page(items, limit, offset), **list_completeness(list_year, len(items)), **health_caveat()}


@router.post(
    "/what-if",
    response_model=WhatIf,
    responses={**NOT_FOUND_RESPONSES, **BODY_PROBLEM_RESPONSES, **JSON_BODY_RESPONSES},
    dependencies=[Depends(json_content_type)],  # a body not sent as JSON: 422 naming the Content-Type
    summary="What if these firms left?",
)
def run_what_if(store: StoreDep, body: WhatIfRequest) -> dict[str, Any]:
    """Which segments become gaps, how each severity changes and how cluster health moves if the
    firms in `remove` left Changzhou (with `with_subsidiaries`, their subsidiaries too). Nothing is written."""
    return what_if(store, body.remove, body.year, with_subsidiaries=body.with_subsidiaries)
