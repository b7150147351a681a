"""The further layers: major projects, policies, tiers (梯度), 智改数转 platforms, districts and chain completeness."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import Limit, Offset, StoreDep, id_filter
from api.layer_schemas import (
    Completeness,
    DistrictDetail,
    DistrictList,
    PlatformCategory,
    PlatformDetail,
    PlatformList,
    PolicyDetail,
    PolicyList,
    ProjectDetail,
    ProjectList,
    ProjectStatus,
    TierDetail,
    TierList,
)
from api.problems import BASE_PROBLEM_RESPONSES, NOT_FOUND_RESPONSES
from queries.completeness import completeness
from queries.districts import get_district, list_districts
from queries.platforms import get_platform, list_platforms
from queries.policies import get_policy, list_policies
from queries.projects import get_project, list_projects
from queries.tiers import get_tier, list_tiers

router = APIRouter(prefix="/api/v1", tags=["layers"], responses=BASE_PROBLEM_RESPONSES)
Text = Annotated[str | None, Query(max_length=200)]
ProjectId = Annotated[str, Path(max_length=200, description="Project id (see /api/v1/projects)")]
PolicyId = Annotated[str, Path(max_length=200, description="Policy id (see /api/v1/policies)")]
PlatformId = Annotated[
    str, Path(max_length=200, description="Platform id (see /api/v1/platforms), e.g. `plat-catl-liyang-lighthouse`")
]
DistrictId = Annotated[str, Path(max_length=200, description="District id (see /api/v1/districts), e.g. `wujin`")]
TierId = Annotated[str, Path(max_length=200, description="Tier id (see /api/v1/tiers), e.g. `tier-champion-firm`")]
AsOf = Annotated[
    int | None, Query(ge=1990, le=2100, description="As-of year: holdings and presence facts dated later are ignored")
]


@router.get(
    "/projects",
    responses=NOT_FOUND_RESPONSES,
    response_model=ProjectList,
    summary="Major projects, by cluster, segment, year and district",
)
def read_projects(
    store: StoreDep,
    cluster: id_filter("Projects in a segment of this cluster") = None,
    segment: id_filter("Projects in this segment or below it") = None,
    year: Annotated[int | None, Query(ge=1990, le=2100, description="Projects of this year (start or signing)")] = None,
    district: id_filter("Projects sited in this district") = None,
    firm: id_filter("Projects this firm builds") = None,
    status: Annotated[ProjectStatus | None, Query(description="Where the project stood at the latest source")] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Major projects (重大项目) with investment (in 亿 of their currency, with the source's qualifier), year,
    phase, status, firms, segments and districts, sorted by year. `fills_links` lists the segments where the
    project's firms were the only local presence in its year: the links the project filled."""
    return list_projects(
        store,
        cluster=cluster,
        segment=segment,
        year=year,
        district=district,
        firm=firm,
        status=status,
        limit=limit,
        offset=offset,
    )


@router.get(
    "/projects/{project_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=ProjectDetail,
    summary="One major project with its sources",
)
def read_project(store: StoreDep, project_id: ProjectId) -> dict[str, Any]:
    """A project's fields, its BUILT_BY / PROJECT_IN / SITED_IN links (each with sources) and every source cited."""
    return get_project(store, project_id)


@router.get(
    "/policies",
    responses=NOT_FOUND_RESPONSES,
    response_model=PolicyList,
    summary="Policies with their instruments and targets",
)
def read_policies(
    store: StoreDep,
    tier: id_filter("Policies that target this tier") = None,
    cluster: id_filter("Policies that target this cluster or one of its segments") = None,
    segment: id_filter("Policies that apply to this segment (or above it, or its cluster)") = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Policies (政策) with their instruments (rewards, subsidies, funds, with amounts as published) and the
    tiers, clusters and segments they target."""
    return list_policies(store, tier=tier, cluster=cluster, segment=segment, limit=limit, offset=offset)


@router.get(
    "/policies/{policy_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=PolicyDetail,
    summary="One policy and the gaps it targets",
)
def read_policy(store: StoreDep, policy_id: PolicyId, year: AsOf = None) -> dict[str, Any]:
    """A policy with its instruments and targets, the gaps in the segments it targets (as of `year`), the gap
    count of each cluster it targets as a whole, the holders of each tier it targets, and every source cited."""
    return get_policy(store, policy_id, year)


@router.get("/tiers", response_model=TierList, summary="Tiers (单项冠军, 专精特新) and how many firms hold them")
def read_tiers(store: StoreDep, year: AsOf = None) -> dict[str, Any]:
    """Every tier, national first, with its holders (as of `year`) and the batches (批次) seen."""
    items = list_tiers(store, year)
    return {"items": items, "total": len(items)}


@router.get(
    "/tiers/{tier_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=TierDetail,
    summary="One tier with its holders and policies",
)
def read_tier(store: StoreDep, tier_id: TierId, year: AsOf = None) -> dict[str, Any]:
    """A tier's holders with the year and batch each was named in, and the policies (with instruments) aimed at it."""
    return get_tier(store, tier_id, year)


@router.get("/platforms", response_model=PlatformList, summary="智改数转 platforms and the firms that run them")
def read_platforms(
    store: StoreDep,
    category: Annotated[PlatformCategory | None, Query(description="Only platforms of this category")] = None,
) -> dict[str, Any]:
    """Lighthouse factories, industrial-internet platforms and smart factories that sources name."""
    items = list_platforms(store, category)
    return {"items": items, "total": len(items)}


@router.get(
    "/platforms/{platform_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=PlatformDetail,
    summary="One platform with its firms",
)
def read_platform(store: StoreDep, platform_id: PlatformId) -> dict[str, Any]:
    """A platform's fields, the firms that run it (each with its district and the sources of the RUNS link)
    and every source cited."""
    return get_platform(store, platform_id)


@router.get("/districts", response_model=DistrictList, summary="Districts: the ids `district=` filters take")
def read_districts(store: StoreDep, limit: Limit = 50, offset: Offset = 0) -> dict[str, Any]:
    """Every district (区/县级市) and park, sorted by id, with its names, parent, sources and the counts the
    filters give for it: local firms (`/firms?district=ID&local=true`), projects (`/projects?district=ID`)
    and the 智改数转 platforms its firms run."""
    return list_districts(store, limit=limit, offset=offset)


@router.get(
    "/districts/{district_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=DistrictDetail,
    summary="One district with its firms",
)
def read_district(store: StoreDep, district_id: DistrictId) -> dict[str, Any]:
    """A district's firms (with the clusters they anchor), the projects sited in it or its parks, the platforms
    its firms run, each with the sources of its link, and every source cited."""
    return get_district(store, district_id)


@router.get(
    "/clusters/{cluster_id}/completeness",
    response_model=Completeness,
    responses=NOT_FOUND_RESPONSES,
    summary="A chain's completeness per year, beside the published figures",
)
def read_cluster_completeness(
    store: StoreDep,
    cluster_id: Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")],
    segments: Annotated[
        str | None, Query(max_length=2000, description="Comma-separated segment ids: count only these (and below)")
    ] = None,
    year_from: Annotated[int | None, Query(alias="from", ge=1990, le=2100, description="First year")] = None,
    year_to: Annotated[int | None, Query(alias="to", ge=1990, le=2100, description="Last year")] = None,
) -> dict[str, Any]:
    """The share of the chain's segments with local presence (a local firm, or a started or completed project)
    per year, and each published completeness figure (e.g. the battery chain's 94% in 2022, 97% in 2023) set
    beside the share computed over its scope, with the difference and why (`note_zh`, `note_en`)."""
    roots = [s.strip() for s in segments.split(",") if s.strip()] if segments else None
    return completeness(store, cluster_id, roots, year_from, year_to)
