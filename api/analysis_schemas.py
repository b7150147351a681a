"""Response models of the chain-strengthening analysis: chain, gaps, segments, candidates,
impact, health, what-if and search. Extra fields are allowed and shown in the examples.

The definitions behind every number are in ``docs/analysis.md``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

GapKind = Literal["missing", "weak", "broken_link", "extension"]
SegmentStatus = Literal["missing", "weak", "present", "strong"]


def _open(example: dict[str, Any] | None = None) -> ConfigDict:
    if example is None:
        return ConfigDict(extra="allow")
    return ConfigDict(extra="allow", json_schema_extra={"example": example})


# -- examples (from the bundled data, shortened) --------------------------------------

_REASONS_EXAMPLE = [
    {"code": "no_local_firm", "zh": "常州暂无本地企业", "en": "no local firm in Changzhou"},
    {
        "code": "next_to_strong_segment",
        "upstream_ids": ["nev-battery-cell"],
        "downstream_ids": [],
        "zh": "紧邻本地强环节：动力电池电芯",
        "en": "next to the strong local segment(s) Power battery cells",
    },
]

GAP_EXAMPLE = {
    "segment_id": "nev-recycling",
    "segment_name_zh": "动力电池回收",
    "segment_name_en": "Battery recycling",
    "cluster_id": "nev",
    "position": "downstream",
    "kind": "extension",
    "kinds": ["missing", "extension"],
    "status": "missing",
    "severity": 0.2,
    "local_firm_count": 0,
    "candidate_count": 2,
    "components": {
        "demand": 0.0,
        "downstream_local_firms": 0,
        "downstream_anchors": 0,
        "criticality": 0.0,
        "betweenness": 0.0,
        "dominated_segments": 0,
        "articulation_point": False,
        "concentration": 1.0,
        "presence_factor": 1.0,
        "weighted": {"demand": 0.0, "criticality": 0.0, "concentration": 0.2},
    },
    "reasons": _REASONS_EXAMPLE,
    "explanation_zh": "动力电池回收：常州暂无本地企业，位于本地强环节动力电池电芯的下游，可延伸产业链（延链）。",
    "explanation_en": (
        "Battery recycling: no local firm, downstream of the strong local segment(s) Power battery cells; "
        "a chance to extend the chain."
    ),
}

SEGMENT_EXAMPLE = {
    "id": "nev-battery-cell",
    "name_zh": "动力电池电芯",
    "name_en": "Power battery cells",
    "position": "midstream",
    "parent_id": None,
    "cluster_id": "nev",
    "status": "strong",
    "local_firm_count": 3,
    "direct_local_firm_count": 3,
    "outside_firm_count": 1,
    "anchor_firms": [
        {"id": "calb", "name_zh": "中创新航科技集团股份有限公司", "name_en": "CALB Group"},
        {"id": "catl-jiangsu", "name_zh": "江苏时代新能源科技有限公司", "name_en": "CATL (Jiangsu)"},
    ],
    "local_firms": [
        {"id": "calb", "name_zh": "中创新航科技集团股份有限公司", "name_en": "CALB Group", "role": "anchor"},
    ],
    "firms_by_district": {"jintan": ["calb", "svolt"], "liyang": ["catl-jiangsu"]},
    "gap_kind": None,
    "gap_kinds": [],
    "severity": None,
    "relatedness_density": 0.75,
    "sources": ["s3-gxj-2021-01"],
}


# -- chain ------------------------------------------------------------------------------


class FirmRef(BaseModel):
    model_config = _open()
    id: str
    name_zh: str
    name_en: str = ""


class ChainSegment(BaseModel):
    model_config = _open()
    id: str
    name_zh: str
    name_en: str
    position: str
    parent_id: str | None
    status: SegmentStatus
    local_firm_count: int
    anchor_firms: list[FirmRef]
    firms_by_district: dict[str, list[str]]
    gap_kind: GapKind | None = None
    severity: float | None = None


class ChainLink(BaseModel):
    model_config = _open()
    source: str
    target: str
    cross_cluster: bool


class Chain(BaseModel):
    """A cluster's chain, segments upstream → downstream."""

    model_config = _open(
        {
            "cluster": {"id": "nev", "name_zh": "新能源汽车及汽车核心零部件", "name_en": "New Energy Vehicles"},
            "year": None,
            "segments": [SEGMENT_EXAMPLE],
            "links": [
                {"source": "nev-battery-cell", "target": "nev-vehicle", "cross_cluster": False},
                {"source": "nev-battery-cell", "target": "nev-recycling", "cross_cluster": False},
            ],
            "external_segments": [],
            "districts": {"jintan": "金坛区", "liyang": "溧阳市"},
            "summary": {"segment_count": 7, "strong_count": 1, "weak_count": 4, "missing_count": 2, "gap_count": 6},
        }
    )
    cluster: dict[str, Any]
    segments: list[ChainSegment]
    links: list[ChainLink]


# -- gaps ---------------------------------------------------------------------------------


class GapItem(BaseModel):
    model_config = _open(GAP_EXAMPLE)
    segment_id: str
    segment_name_zh: str
    segment_name_en: str
    cluster_id: str
    kind: GapKind
    kinds: list[GapKind]
    severity: float = Field(ge=0, le=1)
    local_firm_count: int = Field(ge=0, description="Local firms in the segment or below it")
    candidate_count: int = Field(
        ge=0, description="Outside firms in the segment or below it: the candidates /segments/{id}/candidates ranks"
    )
    components: dict[str, Any]
    reasons: list[dict[str, Any]]
    explanation_zh: str
    explanation_en: str


class GapList(BaseModel):
    """Gaps ranked by severity (highest first), then segment id."""

    model_config = _open({"items": [GAP_EXAMPLE], "total": 1, "limit": 50, "offset": 0})
    items: list[GapItem]
    total: int
    limit: int
    offset: int


# -- segments -------------------------------------------------------------------------


class SegmentDetail(ChainSegment):
    """One segment with its firms, neighbours, related segments and gap."""

    model_config = _open(
        {
            **SEGMENT_EXAMPLE,
            "cluster": {"id": "nev", "name_zh": "新能源汽车及汽车核心零部件", "name_en": "New Energy Vehicles"},
            "parent": None,
            "children": [],
            "upstream": [{"id": "nev-battery-materials", "name_zh": "电池材料", "cross_cluster": False}],
            "downstream": [{"id": "nev-vehicle", "name_zh": "整车", "cross_cluster": False}],
            "outside_firms": [{"id": "catl", "name_zh": "宁德时代新能源科技股份有限公司", "role": "anchor"}],
            "related_segments": [{"id": "nev-vehicle", "name_zh": "整车", "proximity": 0.5, "present": True}],
            "gap": None,
        }
    )
    cluster_id: str
    upstream: list[dict[str, Any]]
    downstream: list[dict[str, Any]]
    outside_firms: list[dict[str, Any]]
    gap: GapItem | None


CANDIDATE_EXAMPLE = {
    "firm_id": "catl",
    "name_zh": "宁德时代新能源科技股份有限公司",
    "name_en": "Contemporary Amperex Technology Co. Limited (CATL)",
    "role": "anchor",
    "score": 0.685,
    "components": {
        "profile": 0.6,
        "tags": 0.6,
        "role": 1.0,
        "scale": 0.0,
        "links": 0.5,
        "local_partners": 1,
        "relatedness": 0.75,
        "omega_segment": 0.75,
        "omega_firm": 0.75,
        "weighted": {"profile": 0.21, "links": 0.15, "relatedness": 0.2625},
    },
    "reasons": [
        {"code": "tag", "tag": "listed", "zh": "上市公司", "en": "a listed company"},
        {
            "code": "group_present_locally",
            "firm_ids": ["catl-jiangsu"],
            "zh": "所属集团在常州已有企业：江苏时代新能源科技有限公司",
            "en": "its group already has a unit in Changzhou: CATL (Jiangsu)",
        },
    ],
}


class Candidate(BaseModel):
    model_config = _open(CANDIDATE_EXAMPLE)
    firm_id: str
    name_zh: str
    name_en: str
    score: float = Field(ge=0, le=1)
    components: dict[str, Any]
    reasons: list[dict[str, Any]]


class CandidateList(BaseModel):
    """Outside firms to attract for a segment, best first, each with its 推荐理由."""

    model_config = _open(
        {"segment_id": "nev-battery-cell", "items": [CANDIDATE_EXAMPLE], "total": 1, "limit": 10, "offset": 0}
    )
    segment_id: str
    items: list[Candidate]
    total: int
    limit: int
    offset: int


class Impact(BaseModel):
    """What depends on a segment downstream (transitively) and what it depends on upstream."""

    model_config = _open(
        {
            "segment": {"id": "nev-battery-cell", "name_zh": "动力电池电芯", "cluster_id": "nev", "status": "strong"},
            "downstream": [
                {"id": "nev-vehicle", "name_zh": "整车", "distance": 1, "exclusive": False, "local_firm_count": 1}
            ],
            "dependent_firms": [{"id": "li-auto", "name_zh": "理想汽车常州基地", "is_anchor": True}],
            "upstream": [
                {"id": "nev-battery-materials", "name_zh": "电池材料", "distance": 1, "gap_kind": "broken_link"}
            ],
            "upstream_gaps": [{"segment_id": "nev-battery-materials", "kind": "broken_link", "severity": 0.77}],
            "clusters_affected": ["nev"],
            "counts": {"downstream_segments": 3, "dependent_local_firms": 2, "upstream_segments": 1},
        }
    )
    segment: dict[str, Any]
    downstream: list[dict[str, Any]]
    dependent_firms: list[dict[str, Any]]
    upstream: list[dict[str, Any]]
    counts: dict[str, int]


# -- health -----------------------------------------------------------------------------

HEALTH_EXAMPLE = {
    "cluster_id": "nev",
    "name_zh": "新能源汽车及汽车核心零部件",
    "name_en": "New Energy Vehicles and Core Auto Components",
    "score": 0.503571,
    "components": {
        "coverage": 0.714286,
        "anchor_coverage": 0.714286,
        "weak_links": 4,
        "weak_share": 0.571429,
        "solid_share": 0.142857,
        "concentration": 0.928571,
        "hhi": 0.9,
    },
    "weighted": {"coverage": 0.285714, "anchor_coverage": 0.178571, "weak_links": 0.028571, "concentration": 0.010714},
    "weights": {"coverage": 0.4, "anchor_coverage": 0.25, "weak_links": 0.2, "concentration": 0.15},
    "counts": {"segments": 7, "present": 5, "strong": 1, "weak": 4, "missing": 2, "local_firms": 6},
    "top_gaps": [{"segment_id": "nev-battery-materials", "kind": "broken_link", "severity": 0.766667}],
}


class Health(BaseModel):
    """A cluster's health score (0–1) with its components."""

    model_config = _open(HEALTH_EXAMPLE)
    cluster_id: str
    name_zh: str
    name_en: str
    score: float = Field(ge=0, le=1)
    components: dict[str, Any]


class RankedHealth(Health):
    rank: int


class HealthRanking(BaseModel):
    """Clusters ranked by health score, best first."""

    model_config = _open({"items": [{**HEALTH_EXAMPLE, "rank": 1}], "total": 1, "limit": 50, "offset": 0})
    items: list[RankedHealth]
    total: int
    limit: int
    offset: int


# -- what-if ------------------------------------------------------------------------------


class WhatIfRequest(BaseModel):
    """Firms to remove, by id."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"remove": ["li-auto"], "year": None}})
    remove: list[str] = Field(min_length=1, max_length=1000, description="Firm ids")
    year: int | None = Field(default=None, ge=1990, le=2100, description="As-of year for presence facts")


class WhatIf(BaseModel):
    """Segments whose status or severity changes if the firms leave, and cluster health before/after."""

    model_config = _open(
        {
            "removed": [{"id": "li-auto", "name_zh": "理想汽车常州基地", "name_en": "Li Auto", "is_local": True}],
            "year": None,
            "changes": [
                {
                    "segment_id": "nev-vehicle",
                    "segment_name_zh": "整车",
                    "cluster_id": "nev",
                    "status_before": "weak",
                    "status_after": "missing",
                    "kind_before": "weak",
                    "kind_after": "broken_link",
                    "severity_before": 0.305,
                    "severity_after": 0.62,
                    "delta": 0.315,
                    "became_gap": False,
                }
            ],
            "new_gaps": [],
            "health": [{"cluster_id": "nev", "score_before": 0.666667, "score_after": 0.55, "delta": -0.116667}],
            "summary": {"changed_segments": 1, "new_gaps": 0, "worse": 1, "clusters_touched": 1},
        }
    )
    removed: list[dict[str, Any]]
    changes: list[dict[str, Any]]
    new_gaps: list[GapItem]
    health: list[dict[str, Any]]
    summary: dict[str, int]


# -- search ---------------------------------------------------------------------------------


class SearchItem(BaseModel):
    model_config = _open()
    type: Literal["firm", "segment", "cluster"]
    id: str
    name_zh: str
    name_en: str
    score: float = Field(ge=0, le=1)


class SearchResults(BaseModel):
    """Firms, segments and clusters matching the query, best first."""

    model_config = _open(
        {
            "q": "ningde",
            "items": [
                {
                    "type": "firm",
                    "id": "catl",
                    "name_zh": "宁德时代新能源科技股份有限公司",
                    "name_en": "Contemporary Amperex Technology Co. Limited (CATL)",
                    "score": 0.806312,
                    "match": "prefix",
                    "field": "alias:pinyin",
                    "matched": "宁德时代",
                    "is_local": False,
                },
                {
                    "type": "firm",
                    "id": "catl-jiangsu",
                    "name_zh": "江苏时代新能源科技有限公司",
                    "name_en": "CATL (Jiangsu)",
                    "score": 0.748125,
                    "match": "prefix",
                    "field": "parent:pinyin",
                    "matched": "宁德时代",
                    "is_local": True,
                },
            ],
            "total": 2,
            "limit": 20,
            "offset": 0,
        }
    )
    q: str
    items: list[SearchItem]
    total: int
    limit: int
    offset: int
