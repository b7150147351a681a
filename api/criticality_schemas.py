"""Response models of the criticality rankings: which of a cluster's segments and local firms would hurt
most if lost (``queries.criticality``). Extra fields are allowed and shown in the examples."""

from __future__ import annotations

from pydantic import Field

from api.analysis_schemas import (
    GapKind,
    HealthChange,
    SegmentRef,
    SegmentStatus,
    _open,
)
from api.schemas import LIMIT, OFFSET, TOTAL, FirmRef, OpenModel
from queries.criticality import critical_firms_caveat

CRITICAL_SEGMENT_EXAMPLE = {
    "id": "nev-production-equipment",
    "name_zh": "锂电与零部件智能装备、模具",
    "name_en": "Production equipment and moulds",
    "cluster_id": "nev",
    "position": "upstream",
    "status": "present",
    "parent_id": None,
    "gap_kind": None,
    "local_firm_count": 3,
    "local_firms": [
        {"id": "haosen-wujin", "name_zh": "豪森（武进项目）", "name_en": "Haosen (Wujin project)"},
        {"id": "huawei-mould", "name_zh": "华威模具", "name_en": "Huawei Mould"},
        {
            "id": "huosong-changzhou",
            "name_zh": "琥崧微纳米科技(常州)有限公司",
            "name_en": "Husong Micro-Nano Technology (Changzhou)",
        },
    ],
    "single_point": False,
    "clusters_affected": ["nev", "new-energy", "power-equipment"],
    "counts": {
        "downstream_segments": 10,
        "exclusive_dependents": 1,
        "dependent_local_firms": 30,
        "dependent_anchors": 7,
        "downstream_unverified_only": 5,
        "dependent_local_firms_unverified_only": 10,
    },
}

CRITICAL_FIRM_EXAMPLE = {
    "id": "xingyu",
    "name_zh": "常州星宇车灯股份有限公司",
    "name_en": "Changzhou Xingyu Automotive Lighting Systems",
    "is_anchor": True,
    "segment_ids": ["nev-lighting"],
    "health_before": 0.471359,
    "health_after": 0.440252,
    "health_delta": -0.031107,
    "other_clusters": [],
    "status_drops": [
        {
            "segment_id": "nev-lighting",
            "segment_name_zh": "汽车车灯",
            "segment_name_en": "Automotive lighting",
            "cluster_id": "nev",
            "status_before": "weak",
            "status_after": "missing",
            "local_firms_before": 1,
            "local_firms_after": 0,
        }
    ],
    "new_gaps": [],
    "changed_segments": 14,
}


class CriticalSegmentCounts(OpenModel):
    """What depends on the segment downstream, counted as `/api/v1/segments/{id}/impact` counts it."""

    downstream_segments: int = Field(description="Segments downstream of it, along SUPPLIES over all clusters")
    exclusive_dependents: int = Field(description="Of them, those every supply path to which passes through it")
    dependent_local_firms: int = Field(description="Local firms in the downstream segments")
    dependent_anchors: int = Field(description="Of them, anchor firms (链主)")
    downstream_unverified_only: int = Field(description="Downstream segments reached only through unverified links")
    dependent_local_firms_unverified_only: int = Field(
        description="Dependent local firms all of whose downstream segments are reached that way"
    )


class CriticalSegment(SegmentRef):
    """One segment of the cluster: who holds it locally and what depends on it."""

    model_config = _open(CRITICAL_SEGMENT_EXAMPLE)
    parent_id: str | None = Field(description="Its parent segment; null for a top-level segment")
    gap_kind: GapKind | None = Field(description="Its gap's primary kind; null when it is no gap")
    local_firm_count: int = Field(description="Local firms in it or below it")
    local_firms: list[FirmRef] = Field(description="Those firms")
    single_point: bool = Field(
        description="Exactly one local firm holds it, and local firms depend on it downstream (单点)"
    )
    clusters_affected: list[str] = Field(description="The clusters of the downstream segments")
    counts: CriticalSegmentCounts = Field(description="What depends on it")


class CriticalSegmentList(OpenModel):
    """A cluster's segments ranked by what would be lost with them: those held by a local firm first, then by
    dependent local firms, exclusive dependents and downstream segments (most first), then id."""

    model_config = _open(
        {"cluster_id": "nev", "items": [CRITICAL_SEGMENT_EXAMPLE], "total": 29, "limit": 50, "offset": 0}
    )
    cluster_id: str = Field(description="The cluster")
    items: list[CriticalSegment] = Field(description="The page of segments, most critical first")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


class StatusDrop(OpenModel):
    """A segment whose status falls without the firm (e.g. `weak` → `missing`)."""

    segment_id: str = Field(description="The segment")
    segment_name_zh: str = Field(description="The segment's name in Chinese")
    segment_name_en: str = Field(description="The segment's name in English")
    cluster_id: str = Field(description="The segment's cluster")
    status_before: SegmentStatus = Field(description="Its status with the firm")
    status_after: SegmentStatus = Field(description="Its status without it")
    local_firms_before: int = Field(description="Local firms in it or below it, with the firm")
    local_firms_after: int = Field(description="The same, without it")


class CriticalFirm(FirmRef):
    """One local firm of the cluster and what its leaving would do, as `POST /api/v1/what-if` answers for it."""

    model_config = _open(CRITICAL_FIRM_EXAMPLE)
    is_anchor: bool = Field(description="An anchor firm (链主) in some segment")
    segment_ids: list[str] = Field(description="Its segments in the cluster")
    health_before: float | None = Field(description="The cluster's health score (0–1) with it; null when it holds")
    health_after: float | None = Field(description="The cluster's health score without it; null when it holds")
    health_delta: float = Field(description="After minus before; 0 when the score holds")
    other_clusters: list[HealthChange] = Field(description="Other clusters whose health score moves")
    status_drops: list[StatusDrop] = Field(description="Segments, in any cluster, whose status falls")
    new_gaps: list[str] = Field(description="Segments that become gaps")
    changed_segments: int = Field(description="Segments whose status, gap kind or severity moves (what-if's count)")


CRITICAL_FIRMS_CAVEAT_DOC = (
    "What the ranking does not measure / 不衡量什么: output, capacity, jobs and firm-to-firm supply "
    "(queries.criticality.CRITICAL_FIRMS_CAVEAT_ZH/EN)"
)


class CriticalFirmList(OpenModel):
    """A cluster's local firms ranked by what their leaving would do: the largest fall in the cluster's health
    first, then most status drops, most new gaps, then id."""

    model_config = _open(
        {
            "cluster_id": "nev",
            "items": [CRITICAL_FIRM_EXAMPLE],
            "total": 45,
            "limit": 50,
            "offset": 0,
            **critical_firms_caveat(),
        }
    )
    cluster_id: str = Field(description="The cluster")
    items: list[CriticalFirm] = Field(description="The page of firms, most critical first")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)
    caveat_zh: str = Field(description=CRITICAL_FIRMS_CAVEAT_DOC)
    caveat_en: str = Field(description=CRITICAL_FIRMS_CAVEAT_DOC)
