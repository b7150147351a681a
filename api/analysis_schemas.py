"""Response models of the chain-strengthening analysis: chain, gaps, segments, candidates,
impact, health, what-if and search. Extra fields are allowed and shown in the examples.

The definitions behind every number are in ``docs/analysis.md``.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, WithJsonSchema
from pydantic_core import PydanticCustomError
from typing_extensions import TypeAliasType

from api.schemas import (
    CONFIDENCE,
    LIMIT,
    LIST_NOTE_DOC,
    LIST_SIZE_DOC,
    NAME_EN,
    NAME_ZH,
    OFFSET,
    SOURCE_IDS,
    TOTAL,
    TOTAL_UNPAGED,
    ClusterRef,
    FactConfidence,
    FirmRef,
    NamedSegmentFields,
    OpenModel,
    SegmentPosition,
    SparseModel,
)
from queries.gap_kinds import KIND_NAMES_ZH, KINDS, kind_id
from queries.health import health_caveat

GapKind = TypeAliasType("GapKind", Literal["missing", "weak", "broken_link", "extension"])

UnverifiedGapKind = TypeAliasType("UnverifiedGapKind", Literal["broken_link", "extension"])
"""A gap kind that can rest only on unverified supply links: the link-based ones (``LINK_REASONS`` of
:mod:`queries.severity`); 缺链 and 弱链 rest on presence, never on a supply link."""

KINDS_UNVERIFIED_DOC = (
    "The gap's kinds that rest only on supply links the data marks unverified (chain logic, no source; the "
    "reasons' `confidence` and `unverified_ids` name them), shown as `broken link (unverified)`; empty when "
    "none / 仅凭待核实（无来源）供应关系成立的缺口类型（理由的 `confidence` 与 `unverified_ids` 列出），显示为 "
    "断链（待核实）；无则为空"
)
"""The one description of ``kinds_unverified`` (and of ``gap_kinds_unverified``), English then Chinese."""

GAP_KIND_CHOICES = (
    "Input should be "
    + ", ".join(f"'{kind}'" for kind in KINDS[:-1])
    + f" or '{KINDS[-1]}', or the Chinese name "
    + ", ".join(KIND_NAMES_ZH[kind] for kind in KINDS[:-1])
    + f" or {KIND_NAMES_ZH[KINDS[-1]]} / 应为 "
    + "、".join(f"{kind}（{KIND_NAMES_ZH[kind]}）" for kind in KINDS[:-1])
    + f"或 {KINDS[-1]}（{KIND_NAMES_ZH[KINDS[-1]]}）"
)
"""What a 422 says of a ``kind`` that names no gap kind: every id and Chinese name, in English and Chinese."""


def gap_kind_of(value: Any) -> str:
    """A ``kind`` query value as the id of the kind it names: its id (``broken_link``) or Chinese name (``断链``).

    The names are those of ``chainkg --kind`` (:func:`queries.gap_kinds.kind_id`); any other value is a
    ``literal_error`` listing them (:data:`GAP_KIND_CHOICES`).

    >>> gap_kind_of("断链"), gap_kind_of("weak")
    ('broken_link', 'weak')
    >>> try:
    ...     gap_kind_of("mising")
    ... except ValueError as err:  # a PydanticCustomError, which FastAPI answers with a 422
    ...     english, chinese = str(err).split(" / ")
    >>> english
    "Input should be 'missing', 'weak', 'broken_link' or 'extension', or the Chinese name 缺链, 弱链, 断链 or 延链"
    >>> chinese
    '应为 missing（缺链）、weak（弱链）、broken_link（断链）或 extension（延链）'
    """
    if isinstance(value, str):
        try:
            return kind_id(value)
        except ValueError:
            pass
    raise PydanticCustomError("literal_error", GAP_KIND_CHOICES)


GAP_KIND_QUERY_VALUES = [*KINDS, *(KIND_NAMES_ZH[kind] for kind in KINDS)]
"""Every value the ``kind`` query parameter takes: the English ids, then their Chinese names (``断链``)."""

GapKindQuery = Annotated[
    GapKind,
    BeforeValidator(gap_kind_of),
    WithJsonSchema({"type": "string", "enum": GAP_KIND_QUERY_VALUES}),
]
"""The ``kind`` query parameter: a :data:`GapKind`, or its Chinese name (``断链`` is ``broken_link``).

Its schema lists both (:data:`GAP_KIND_QUERY_VALUES`), so that a client generated from the OpenAPI document
sends ``断链`` too; the routes' descriptions say which id each Chinese name stands for. Answers always give the
English id (the response models use :data:`GapKind`)."""

GAP_KIND_ALIASES = (
    "; also by Chinese name: "
    + ", ".join(f"{KIND_NAMES_ZH[kind]} = `{kind}`" for kind in KINDS)
    + ". Answers give the English id"
)
"""The end of a ``kind`` parameter's description: each Chinese name with the id it stands for."""

SegmentStatus = TypeAliasType("SegmentStatus", Literal["missing", "weak", "present", "strong"])

POSITION = "`upstream`, `midstream`, `downstream` or `support`"
ROLE = "The firm's role in the segment: `anchor` (链主/龙头), `major` or `member`"
STATUS = (
    "Local presence (docs/analysis.md §2): `missing` (缺链: no local firm), `weak` (弱链), `present` or `strong` (强链)"
)
GAP_KIND = (
    "The primary gap kind (主类型), by precedence `broken_link` (断链) > `extension` (延链) > `missing` (缺链); "
    "`weak` (弱链) stands alone"
)
GAP_KINDS = "Every gap kind that applies (a broken link or an extension is also `missing`)"
SEVERITY = "How severe the gap is (0–1): g·(0.5·D + 0.3·C + 0.2·H), docs/analysis.md §4"
EXPLANATION_ZH = "Why it is a gap, in Chinese (说明)"
EXPLANATION_EN = "Why it is a gap, in English"
REASON_ZH = "The reason in Chinese"
REASON_EN = "The reason in English"


def _open(example: dict[str, Any] | None = None) -> ConfigDict:
    if example is None:
        return ConfigDict(extra="allow")
    return ConfigDict(extra="allow", json_schema_extra={"example": example})


# -- examples (from the bundled data, shortened) --------------------------------------

_REASONS_EXAMPLE = [
    {
        "code": "single_local_firm",
        "zh": "仅有1家本地企业：常州厚德新能源集团有限公司",
        "en": "only one local firm: Changzhou Houde New Energy Group",
    },
    {"code": "outside_supply", "zh": "已知外地企业5家可供招引", "en": "5 known outside firm(s) to attract"},
]

GAP_EXAMPLE = {
    "segment_id": "nev-recycling",
    "segment_name_zh": "动力电池回收",
    "segment_name_en": "Battery recycling",
    "cluster_id": "nev",
    "position": "downstream",
    "kind": "weak",
    "kinds": ["weak"],
    "status": "weak",
    "severity": 0.12,
    "local_firm_count": 1,
    "candidate_count": 5,
    "components": {
        "demand": 0.0,
        "downstream_segments": 0,
        "downstream_local_firms": 0,
        "downstream_local_firms_unverified_only": 0,
        "downstream_anchors": 0,
        "scope_local_firms": 45,
        "scope_anchors": 6,
        "criticality": 0.0,
        "betweenness": 0.0,
        "betweenness_scaled": 0.0,
        "dominated_segments": 0,
        "dominance_scaled": 0.0,
        "articulation_point": False,
        "demand_from": "nev-recycling",
        "criticality_from": "nev-recycling",
        "concentration": 1.0,
        "local_firms": 1,
        "local_groups": 1,
        "outside_firms": 5,
        "presence_factor": 0.6,
        "weighted": {"demand": 0.0, "criticality": 0.0, "concentration": 0.12},
    },
    "reasons": _REASONS_EXAMPLE,
    "explanation_zh": (
        "动力电池回收：仅有1家本地企业（常州厚德新能源集团有限公司），存在单点风险（弱链）。已列入政策：武进区加快构建新能源汽车"
        "零部件产业生态工作方案（2023-10）（“补齐回收环节”）。"
    ),
    "explanation_en": (
        "Battery recycling: only one local firm (Changzhou Houde New Energy Group), a single point of failure "
        "(weak link). Named by a published plan: Wujin work plan for the NEV parts industry ecosystem (2023-10)."
    ),
    "parent_id": None,
    "sub_gaps": [],
    "kinds_unverified": [],
}

SEGMENT_EXAMPLE = {
    "id": "nev-battery-cell",
    "name_zh": "动力电池电芯",
    "name_en": "Power battery cells",
    "position": "midstream",
    "parent_id": None,
    "cluster_id": "nev",
    "status": "strong",
    "local_firm_count": 6,
    "direct_local_firm_count": 6,
    "outside_firm_count": 1,
    "anchor_firms": [
        {"id": "calb", "name_zh": "中创新航科技集团股份有限公司", "name_en": "CALB Group"},
        {"id": "catl-jiangsu", "name_zh": "江苏时代新能源科技有限公司", "name_en": "CATL (Jiangsu)"},
    ],
    "local_firms": [
        {"id": "calb", "name_zh": "中创新航科技集团股份有限公司", "name_en": "CALB Group", "role": "anchor"}
    ],
    "firms_by_district": {"jintan": ["calb", "svolt"], "liyang": ["catl-jiangsu"]},
    "gap_kind": None,
    "gap_kinds": [],
    "gap_kinds_unverified": [],
    "severity": None,
    "relatedness_density": 0.86,
    "description": "",
    "confidence": "sourced",
    "sources": ["s3-gxj-2021-01"],
}


# -- shared parts -----------------------------------------------------------------------------


class SegmentRef(OpenModel):
    """A segment by id with its names, cluster, position and status."""

    id: str = Field(description="Segment id")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    cluster_id: str = Field(description="The segment's cluster")
    position: SegmentPosition = Field(description=POSITION)
    status: SegmentStatus = Field(description=STATUS)


class SegmentFirm(FirmRef):
    """A firm in a segment, with its role there."""

    role: str = Field(description=ROLE)


class GapSummary(SparseModel):
    """A gap in one line: its segment, kind, severity and explanation.

    Both answers that give it (a health answer's ``top_gaps``, impact's ``upstream_gaps``) carry
    ``kinds_unverified``, as the gap itself does (``[]`` when none).
    """

    segment_id: str = Field(description="The gap's segment")
    kind: GapKind = Field(description=GAP_KIND)
    kinds_unverified: list[UnverifiedGapKind] = Field(description=KINDS_UNVERIFIED_DOC)
    severity: float = Field(ge=0, le=1, description=SEVERITY)
    explanation_zh: str = Field(description=EXPLANATION_ZH)
    explanation_en: str = Field(description=EXPLANATION_EN)


class PolicyRef(OpenModel):
    """A policy by id with its names."""

    id: str = Field(description="Policy id (see /api/v1/policies/{id})")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)


class PolicyTarget(PolicyRef):
    """A policy that names a segment: directly (`via` `segment`) or through one above it (`parent_segment`)."""

    via: Literal["segment", "parent_segment"] = Field(
        description="`segment`: the policy names this segment; `parent_segment`: a segment above it"
    )
    target: str = Field(description="The segment the policy names")


# -- chain ------------------------------------------------------------------------------


class ChainSegment(OpenModel):
    model_config = _open()
    id: str = Field(description="Segment id")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    position: SegmentPosition = Field(description=POSITION)
    parent_id: str | None = Field(description="The segment above it; null for a top segment")
    cluster_id: str = Field(description="The segment's cluster")
    status: SegmentStatus = Field(description=STATUS)
    local_firm_count: int = Field(description="Local firms in the segment or below it")
    direct_local_firm_count: int = Field(description="Local firms in the segment itself")
    outside_firm_count: int = Field(description="Outside firms in the segment or below it")
    anchor_firms: list[FirmRef] = Field(
        description="Local firms with the `anchor` role (链主/龙头) in the segment or below it"
    )
    local_firms: list[SegmentFirm] = Field(description="Local firms in the segment or below it, with their roles")
    firms_by_district: dict[str, list[str]] = Field(
        description="District id → local firm ids (`unknown` for firms without a district)"
    )
    gap_kind: GapKind | None = Field(
        default=None, description="Its gap's primary kind (see /api/v1/gaps); null when it is no gap"
    )
    gap_kinds: list[GapKind] = Field(description="Every kind of gap the segment is; empty when it is no gap")
    gap_kinds_unverified: list[UnverifiedGapKind] = Field(default_factory=list, description=KINDS_UNVERIFIED_DOC)
    severity: float | None = Field(default=None, description="Its gap's severity (0–1); null when it is no gap")
    relatedness_density: float = Field(description="ω: how much of what relates to the segment Changzhou has (0–1)")
    description: str = Field(description="The segment's description from the data; empty when none")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    sources: list[str] = Field(description=SOURCE_IDS)


class ChainLink(OpenModel):
    model_config = _open()
    source: str = Field(description="The supplying segment (SUPPLIES)")
    target: str = Field(description="The supplied segment")
    cross_cluster: bool = Field(description="One end lies in another cluster (that segment is in `external_segments`)")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    sources: list[str] = Field(description="Ids of the sources behind the link")


class ChainSummary(OpenModel):
    """Counts over the chain's segments."""

    segment_count: int = Field(description="Segments in the chain")
    strong_count: int = Field(description="Segments whose status is `strong` (强链)")
    present_count: int = Field(
        description="Segments whose status is `present` (neither strong nor weak); a cluster's health `counts.present` "
        "counts every segment with a local firm instead"
    )
    weak_count: int = Field(description="Segments whose status is `weak` (弱链)")
    missing_count: int = Field(description="Segments whose status is `missing` (缺链)")
    gap_count: int = Field(description="Segments that are a gap, of any kind")
    local_firm_count: int = Field(description="Distinct local firms in the chain")


class Chain(OpenModel):
    """A cluster's chain, segments upstream → downstream."""

    model_config = _open(
        {
            "cluster": {
                "id": "nev",
                "name_zh": "新能源汽车及汽车核心零部件",
                "name_en": "New Energy Vehicles and Core Auto Components",
            },
            "year": None,
            "segments": [SEGMENT_EXAMPLE],
            "links": [
                {
                    "source": "nev-battery-cell",
                    "target": "nev-vehicle",
                    "cross_cluster": False,
                    "confidence": "sourced",
                    "sources": ["s15-nev-2023-10"],
                },
                {
                    "source": "nev-battery-cell",
                    "target": "nev-recycling",
                    "cross_cluster": False,
                    "confidence": "unverified",
                    "sources": [],
                },
            ],
            "external_segments": [],
            "districts": {"jintan": "金坛区", "liyang": "溧阳市"},
            "summary": {
                "segment_count": 29,
                "strong_count": 8,
                "present_count": 5,
                "weak_count": 8,
                "missing_count": 8,
                "gap_count": 16,
                "local_firm_count": 45,
            },
        }
    )
    cluster: ClusterRef = Field(description="The cluster")
    year: int | None = Field(default=None, description="The as-of year asked for; null for all facts")
    segments: list[ChainSegment] = Field(
        description="Its segments, upstream → downstream (by SUPPLIES, then position, then id)"
    )
    links: list[ChainLink] = Field(description="The SUPPLIES links with at least one end in the cluster")
    external_segments: list[SegmentRef] = Field(description="Segments of other clusters linked to this chain")
    districts: dict[str, str] = Field(description="District id → Chinese name, for the districts named in the chain")
    districts_en: dict[str, str] = Field(
        default_factory=dict, description="District id → English name, for the same districts"
    )
    summary: ChainSummary = Field(description="Counts over its segments")


# -- gaps ---------------------------------------------------------------------------------


class GapWeighted(OpenModel):
    """The severity's weighted terms (they sum to the severity)."""

    demand: float = Field(description="g × 0.5 × D")
    criticality: float = Field(description="g × 0.3 × C")
    concentration: float = Field(description="g × 0.2 × H")


class GapComponents(OpenModel):
    """The parts of a gap's severity (docs/analysis.md)."""

    demand: float = Field(description="D: how much local industry downstream depends on the segment (0–1)")
    downstream_segments: int = Field(
        description="Segments downstream of `demand_from` along SUPPLIES, transitively, across clusters"
    )
    downstream_local_firms: int = Field(description="L: local firms in those downstream segments")
    downstream_local_firms_unverified_only: int = Field(
        default=0,
        description="Of `downstream_local_firms`, those reached only through supply links the data mark unverified "
        "(no sourced path): D counts them; the texts say how many / 下游本地企业中仅经待核实供应关系到达的家数",
    )
    downstream_anchors: int = Field(description="A: anchor firms (链主) among them")
    scope_local_firms: int = Field(description="Local firms in the cluster and downstream: D's denominator")
    scope_anchors: int = Field(description="Anchor firms in the cluster and downstream: A's denominator in D")
    criticality: float = Field(description="C: the segment's place in the supply graph (0–1)")
    betweenness: float = Field(
        description="B: directed betweenness of `criticality_from` on the supply graph (networkx, normalised)"
    )
    betweenness_scaled: float = Field(description="B divided by the largest in the cluster (0–1)")
    dominated_segments: int = Field(description="Downstream segments every supply path to which passes through it")
    dominance_scaled: float = Field(description="`dominated_segments` divided by the largest in the cluster (0–1)")
    articulation_point: bool = Field(description="Removing the segment disconnects the chain graph")
    demand_from: str = Field(
        description="The segment D is measured on: this one, or for a parent segment the sub-segment with the "
        "largest D (a parent is needed wherever any of its parts is)"
    )
    criticality_from: str = Field(description="The segment C is measured on, as for `demand_from`")
    concentration: float = Field(description="H: concentration of the local presence (1 without local firms)")
    local_firms: int = Field(description="Local firms in the segment or below it")
    local_groups: int = Field(description="Corporate groups the local firms belong to")
    outside_firms: int = Field(description="Outside firms in the segment or below it")
    presence_factor: float = Field(description="1 for a missing segment, 0.6 for a weak one")
    weighted: GapWeighted = Field(description="The severity's weighted terms (they sum to the severity)")


class GapReason(SparseModel):
    """A machine-readable reason: a `code`, what it names, and a short text in Chinese and English.

    Codes: `no_local_firm`, `feeds_strong_segment`, `next_to_strong_segment`, `single_local_firm`,
    `single_corporate_group`, `members_only`, `downstream_demand`, `single_path_dependence`,
    `bottleneck`, `articulation_point`, `outside_supply`, `local_base_noted`, `named_by_policy`. Each carries
    only the fields it names. `feeds_strong_segment` and `next_to_strong_segment` rest on SUPPLIES links: they
    carry the `confidence` of those links and the `unverified_ids`, and their texts mark 供应关系待核实 / unverified.
    `named_by_policy` (已列入政策) says that a published plan targets the segment: it explains, it does not weigh.
    """

    code: str = Field(description="Which reason it is: one of the codes this model's description lists")
    segment_ids: list[str] | None = Field(default=None, description="Segments the reason names")
    upstream_ids: list[str] | None = Field(default=None, description="Strong segments upstream")
    downstream_ids: list[str] | None = Field(default=None, description="Strong segments downstream")
    confidence: FactConfidence | None = Field(
        default=None,
        description="`feeds_strong_segment`, `next_to_strong_segment`: `sourced` when a sourced SUPPLIES link "
        "joins the gap to at least one segment named, else `unverified`; `named_by_policy`: `sourced` unless every "
        "policy link is unverified",
    )
    policy_ids: list[str] | None = Field(
        default=None,
        description="`named_by_policy`: the policies that target the segment (TARGETS_SEGMENT), as "
        "/api/v1/policies/{policy_id} gives them",
    )
    sources: list[str] | None = Field(default=None, description="`named_by_policy`: the sources of those links")
    unverified_ids: list[str] | None = Field(
        default=None, description="The segments named that only unverified SUPPLIES links join to the gap"
    )
    firm_ids: list[str] | None = Field(default=None, description="Firms the reason names (the first few)")
    cluster_anchor_ids: list[str] | None = Field(
        default=None,
        description="`members_only`: the firms named that anchor the gap's cluster elsewhere (链主), "
        "though only members in this segment",
    )
    group_id: str | None = Field(default=None, description="The one corporate group of the local firms")
    local_base: str | None = Field(
        default=None, description="`local_base_noted`: the local base the segment's sources name, in their words"
    )
    lone_anchor: bool | None = Field(
        default=None,
        description="`single_local_firm`: true when the one local firm is the segment's anchor (链主), so the "
        "segment is weak for having one firm, not a weak one; its outside candidates are mostly that firm's peers",
    )
    local_firms: int | None = Field(default=None, description="Local firms downstream")
    local_firms_unverified_only: int | None = Field(
        default=None,
        description="`downstream_demand`: of `local_firms`, those reached only through unverified supply links",
    )
    anchors: int | None = Field(default=None, description="Anchor firms downstream")
    anchor_ids: list[str] | None = Field(default=None, description="Anchor firms downstream (the first few)")
    count: int | None = Field(default=None, description="How many segments or firms in all")
    betweenness: float | None = Field(default=None, description="`bottleneck`: the directed betweenness B")
    betweenness_scaled: float | None = Field(
        default=None, description="`bottleneck`: B divided by the largest in the cluster (≥ 0.5)"
    )
    zh: str = Field(description=REASON_ZH)
    en: str = Field(description=REASON_EN)


class GapItem(SparseModel):
    model_config = _open(GAP_EXAMPLE)
    segment_id: str = Field(description="The gap's segment")
    segment_name_zh: str = Field(description="The segment's name in Chinese")
    segment_name_en: str = Field(description="The segment's name in English")
    cluster_id: str = Field(description="The segment's cluster")
    position: SegmentPosition = Field(description=POSITION)
    kind: GapKind = Field(description=GAP_KIND)
    kinds: list[GapKind] = Field(description=GAP_KINDS)
    kinds_unverified: list[UnverifiedGapKind] = Field(description=KINDS_UNVERIFIED_DOC)  # in every gap
    local_base: str = Field(
        default="",
        description="A Changzhou base the segment's sources name (in their words) while the data place none of its "
        "firms in this segment: the gap may be a gap in the data; the explanations end by saying so and a "
        "`local_base_noted` reason names it / 来源记有本地产业基地，数据尚未将其企业列入此环节. Empty when none",
    )
    segment_confidence: FactConfidence = Field(
        default="sourced",
        description="The segment's own confidence: `unverified` when no source names the segment directly (it "
        "was inferred); the explanations then end by saying the gap is unverified too / 环节本身待核实",
    )
    status: SegmentStatus = Field(description=STATUS)
    severity: float = Field(ge=0, le=1, description=SEVERITY)
    local_firm_count: int = Field(ge=0, description="Local firms in the segment or below it")
    candidate_count: int = Field(
        ge=0, description="Outside firms in the segment or below it: the candidates /segments/{id}/candidates ranks"
    )
    components: GapComponents = Field(description="The parts of the severity (docs/analysis.md §4)")
    reasons: list[GapReason] = Field(
        description="Machine-readable reasons (理由), each with a Chinese and an English text"
    )
    explanation_zh: str = Field(description=EXPLANATION_ZH)
    explanation_en: str = Field(description=EXPLANATION_EN)
    parent_id: str | None = Field(default=None, description="The segment above it; null for a top segment")
    sub_gaps: list[str] = Field(
        description="Its sub-segments that are gaps themselves (a parent counts presence over all of them)"
    )
    targeted_by: list[PolicyTarget] | None = Field(
        default=None,
        description="Only with `untargeted`: policies naming the segment or a segment above it",
    )
    cluster_policies: list[PolicyRef] | None = Field(
        default=None, description="Only with `untargeted`: policies aimed at the segment's whole cluster"
    )


class GapList(OpenModel):
    """Gaps ranked by severity (highest first), then segment id."""

    model_config = _open({"items": [GAP_EXAMPLE], "total": 106, "limit": 50, "offset": 0})
    items: list[GapItem] = Field(description="The page of gaps")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)
    list_size: int | None = Field(
        default=None, description=LIST_SIZE_DOC + "; only without `cluster` (one cluster answers as without it)"
    )
    list_note_zh: str | None = Field(default=None, description=LIST_NOTE_DOC)
    list_note_en: str | None = Field(default=None, description=LIST_NOTE_DOC)


# -- segments -------------------------------------------------------------------------


LinkConfidence = FactConfidence


class SegmentNeighbour(SegmentRef):
    """A segment the segment supplies (downstream) or is supplied by (upstream)."""

    cross_cluster: bool = Field(description="In another cluster")
    confidence: LinkConfidence | None = Field(
        default=None, description="Of the supply link to it: `sourced`, or `unverified` (chain logic, no source)"
    )


class RelatedSegment(SegmentRef):
    """A segment often found together with this one (by the firms operating in both)."""

    proximity: float = Field(description="φ: how often firms in one also operate in the other (0–1)")
    present: bool = Field(description="Changzhou has local presence there")


class SegmentDetail(ChainSegment):
    """One segment with its firms, neighbours, related segments and gap."""

    model_config = _open(
        {
            **SEGMENT_EXAMPLE,
            "cluster": {
                "id": "nev",
                "name_zh": "新能源汽车及汽车核心零部件",
                "name_en": "New Energy Vehicles and Core Auto Components",
            },
            "parent": None,
            "children": [],
            "upstream": [
                {
                    "id": "nev-battery-materials",
                    "name_zh": "电池材料",
                    "name_en": "Battery materials",
                    "cluster_id": "nev",
                    "position": "upstream",
                    "status": "strong",
                    "cross_cluster": False,
                    "confidence": "sourced",
                }
            ],
            "downstream": [
                {
                    "id": "nev-vehicle",
                    "name_zh": "整车",
                    "name_en": "Vehicles",
                    "cluster_id": "nev",
                    "position": "downstream",
                    "status": "strong",
                    "cross_cluster": False,
                    "confidence": "sourced",
                }
            ],
            "outside_firms": [{"id": "catl", "name_zh": "宁德时代新能源科技股份有限公司", "role": "anchor"}],
            "related_segments": [
                {
                    "id": "nev-battery-pack",
                    "name_zh": "电池包、模组与电池管理系统",
                    "name_en": "Battery packs, modules and BMS",
                    "cluster_id": "nev",
                    "position": "midstream",
                    "status": "strong",
                    "proximity": 0.571429,
                    "present": True,
                }
            ],
            "gap": None,
        }
    )
    cluster_id: str = Field(description="The segment's cluster")
    cluster: ClusterRef | None = Field(
        default=None, description="The segment's cluster with its names; null when the cluster is not in the data"
    )
    parent: SegmentRef | None = Field(default=None, description="The segment above it; null for a top segment")
    children: list[SegmentRef] = Field(description="Its sub-segments")
    upstream: list[SegmentNeighbour] = Field(description="Segments that supply it directly (SUPPLIES)")
    downstream: list[SegmentNeighbour] = Field(description="Segments it supplies directly (SUPPLIES)")
    outside_firms: list[SegmentFirm] = Field(description="Firms outside Changzhou in the segment or below it")
    related_segments: list[RelatedSegment] = Field(description="The most related segments, highest proximity first")
    gap: GapItem | None = Field(description="Its gap, as /api/v1/gaps gives it; null when it is no gap")


CANDIDATE_EXAMPLE = {
    "firm_id": "catl",
    "name_zh": "宁德时代新能源科技股份有限公司",
    "name_en": "Contemporary Amperex Technology Co. Limited (CATL)",
    "hq": "",
    "hq_en": "",
    "tags": ["listed"],
    "role": "anchor",
    "score": 0.5635,
    "rank": 1,
    "tied_with": 0,
    "components": {
        "profile": 0.75,
        "tags": 0.6,
        "role": 1.0,
        "scale": 0.0,
        "links": 0.0,
        "local_partners": 0,
        "partners_by_confidence": {"sourced": 0, "unverified": 0},
        "relatedness": 0.86,
        "omega_segment": 0.86,
        "omega_firm": 0.86,
        "weighted": {"profile": 0.2625, "links": 0.0, "relatedness": 0.301},
    },
    "reasons": [
        {"code": "tag", "tag": "listed", "zh": "上市公司", "en": "a listed company"},
        {
            "code": "segment_role",
            "zh": ("该环节龙头企业（依据：长三角一体化 / C919 / 宁德时代溧阳，2024；另 1 个来源）"),
            "en": (
                "a leader of this segment (per Yangtze River Delta integration / C919 / CATL "
                "Liyang, 2024; 1 more source)"
            ),
        },
    ],
    "group_already_here": True,
    "confidence": "sourced",
    "sources": ["s20-kjj-2024-02"],
    "evidence_year": 2024,
}


class CandidateWeighted(OpenModel):
    """The score's weighted terms (they sum to the score)."""

    profile: float = Field(description="0.35 × profile")
    links: float = Field(description="0.30 × links")
    relatedness: float = Field(description="0.35 × relatedness")


class CandidatePartnerCounts(OpenModel):
    """How many local partners a candidate has, by the confidence of the best relation joining each."""

    sourced: int = Field(ge=0, description="Joined by at least one `sourced` relation: `k`, what the score counts")
    unverified: int = Field(ge=0, description="Joined only by `unverified` relations: named in the reasons, not scored")


class CandidateComponents(OpenModel):
    """The parts of a candidate's score (docs/analysis.md)."""

    profile: float = Field(description="0.6·role + 0.25·tags + 0.15·scale (0–1)")
    tags: float = Field(description="The best tag's score (链主 1.0, 单项冠军 0.9 ... listed 0.6 ...); 0 without one")
    role: float = Field(description="The role's score in the segment: anchor 1, major 0.6, member 0.3")
    scale: float = Field(
        description="The score of the free-text scale (large 1, medium 0.6, small 0.3, or by amount); 0 when unknown"
    )
    links: float = Field(description="k/(k+1) for k sourced local partners")
    local_partners: int = Field(
        description="k: local customers, suppliers and units of its group (not in the segment) joined to it by a "
        "`sourced` relation; equal to `partners_by_confidence.sourced`"
    )
    partners_by_confidence: CandidatePartnerCounts = Field(
        description="The local partners (not in the segment) by the confidence of their best relation: k's parts"
    )
    relatedness: float = Field(description="Mean of ω of the segment and of the firm's other segments")
    omega_segment: float = Field(description="ω_p: Changzhou's relatedness density in the segment (0–1)")
    omega_firm: float = Field(description="ω_f: the mean ω of the firm's other segments (ω_p when it has none)")
    weighted: CandidateWeighted = Field(description="The score's weighted terms (they sum to the score)")


class CandidatePartner(OpenModel):
    """A local partner a reason names, with the confidence of the relation behind it."""

    firm_id: str = Field(description="The local partner's firm id")
    confidence: FactConfidence = Field(
        description="`sourced`, or `unverified`: the relation (for a group unit, any SUBSIDIARY_OF edge of the path "
        "joining them) is not backed by a source, and the partner does not count in the score"
    )


class RoleEvidence(OpenModel):
    """A source the firm's role in the segment rests on (`segment_role`'s `evidence`)."""

    source_id: str = Field(description="Source id (see /api/v1/sources/{id})")
    title: str = Field(description="Its title, as published")
    title_en: str = Field(description="Its English title, or a plain translation; empty when it has none")
    year: int | None = Field(description="The year it is dated; null when undated")


class CandidateReason(SparseModel):
    """A machine-readable 推荐理由: a `code`, what it names, and a short text in Chinese and English.

    Codes: `tag`, `segment_role`, `firm_unverified`, `dated_evidence`, `scale`, `supplies_local_firms`,
    `buys_from_local_firms`, `group_present_locally`, `group_already_here`, `relatedness`, `related_segments`.
    Each carries only the fields it names.
    """

    code: str = Field(description="Which reason it is: one of the codes this model's description lists")
    tag: str | None = Field(default=None, description="The tag (`tag`)")
    role: str | None = Field(default=None, description="The firm's role in the segment (`segment_role`)")
    scale: str | None = Field(default=None, description="The firm's scale (`scale`)")
    year: int | None = Field(
        default=None,
        description="`dated_evidence`: the year of the newest source behind the firm's role here, five or "
        "more years ago (依据较旧: check the firm's current state before approaching it)",
    )
    firm_ids: list[str] | None = Field(default=None, description="Local firms the reason names")
    partners: list[CandidatePartner] | None = Field(
        default=None,
        description="The local firms the reason names, each with the confidence of its relation "
        "(`supplies_local_firms`, `buys_from_local_firms`, `group_present_locally`, `group_already_here`); "
        "the text marks the unverified ones 待核实 / unverified",
    )
    confidence: FactConfidence | None = Field(
        default=None,
        description="`unverified` when no source backs what the reason states: the role (`segment_role`, whose text "
        "then says 待核实 / unverified) or the firm's record (`firm_unverified`); absent when sourced",
    )
    note: str | None = Field(
        default=None, description="Why it is unverified, from the data's note (`segment_role`, `firm_unverified`)"
    )
    evidence: list[RoleEvidence] | None = Field(
        default=None,
        description="`segment_role`: the sources its role in the segment rests on, newest first (the text names the "
        "newest: 依据：… / per …); those of its `sourced` OPERATES_IN edges there, or all of them when none is",
    )
    level: str | None = Field(default=None, description="How related Changzhou already is (`relatedness`)")
    omega_segment: float | None = Field(default=None, description="`relatedness`: ω of the segment")
    omega_firm: float | None = Field(default=None, description="`relatedness`: the mean ω of the firm's other segments")
    segment_ids: list[str] | None = Field(default=None, description="Other segments the firm operates in")
    zh: str = Field(description=REASON_ZH)
    en: str = Field(description=REASON_EN)


class OutsideFirm(OpenModel):
    """The firm fields a candidate and a target share."""

    firm_id: str = Field(description="Firm id (see /api/v1/firms/{id})")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    hq: str = Field(description="Headquarters, as the sources give it; empty when unknown")
    hq_en: str | None = Field(
        description="`hq` in English, from a place-name glossary (pinyin, or a foreign place's usual English "
        "name); `hq` itself when written in Latin letters; empty when `hq` is empty (the pair has the same "
        "emptiness); null when `hq` is not in the glossary"
    )
    tags: list[str] = Field(description="The firm's tags, e.g. `链主`, `listed`, `专精特新`")


class Candidate(OutsideFirm):
    model_config = _open(CANDIDATE_EXAMPLE)
    role: str = Field(description=ROLE)
    score: float = Field(
        ge=0, le=1, description="0.35·profile + 0.30·links + 0.35·relatedness (0–1), docs/analysis.md §5"
    )
    rank: int = Field(
        ge=1,
        description="Its rank among the segment's candidates (1 = best). Firms with the same score share a rank "
        "(1, 1, 3): the list orders them by firm id, which is no order of merit / 同分企业名次相同（并列）",
    )
    tied_with: int = Field(
        ge=0, description="How many other candidates share its score, hence its rank (0: none) / 同分并列的其他企业数"
    )
    components: CandidateComponents = Field(description="The parts of the score")
    reasons: list[CandidateReason] = Field(
        description="推荐理由: machine-readable reasons, each with a Chinese and an English text"
    )
    group_already_here: bool = Field(
        description="A unit of its group already holds the segment locally: attracting it adds no new source"
    )
    confidence: FactConfidence = Field(
        description="How well the candidacy is backed: the weakest of the firm's record and its role in the "
        "segment (the OPERATES_IN edges with that role; one `sourced` edge backs it): `sourced` or `unverified`"
    )
    sources: list[str] = Field(description="Ids of the sources behind the firm's record")
    evidence_year: int | None = Field(
        default=None,
        description="The year of the newest source behind the firm's role in the segment (not its listing or other "
        "segments); null when none is dated. Five or more years ago, the reasons carry `dated_evidence` (依据较旧)",
    )


HQ_UNKNOWN = (
    "With `hq`: how many firms of the whole list (before the `hq` filter) the data give no headquarters for; they "
    "may be there too (数据中未注明总部的企业数). Null without `hq`"
)


class CandidateList(OpenModel):
    """Outside firms to attract for a segment, best first, each with its 推荐理由."""

    model_config = _open(
        {"segment_id": "nev-battery-cell", "items": [CANDIDATE_EXAMPLE], "total": 1, "limit": 10, "offset": 0}
    )
    segment_id: str = Field(description="The segment asked for")
    items: list[Candidate] = Field(description="The page of candidates, best first")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)
    hq_unknown: int | None = Field(default=None, ge=0, description=HQ_UNKNOWN)


PATH_CONFIDENCE = (
    "`sourced` when some supply path between it and the segment (or its sub-segments) has only sourced links, "
    "else `unverified`"
)
UNVERIFIED_LINKS = "The fewest `unverified` supply links on any path between it and the segment (0 when `sourced`)"


class ImpactDownstream(SegmentRef):
    """A segment that depends on this one (or one of its sub-segments), transitively."""

    distance: int = Field(description="Supply steps from the segment (from the nearest of its sub-segments)")
    sourced_distance: int | None = Field(
        default=None,
        description="Supply steps from the segment over sourced links only (null when no path is sourced "
        "throughout); larger than `distance` when the shortest path has an unverified link / "
        "仅经已证实（有来源）供应关系的最短步数（无全程有来源的路径时为 null）；最短路径含待核实关系时大于 `distance`",
    )
    exclusive: bool = Field(
        description="Every supply path to it passes through the segment (its subtree taken as one node)"
    )
    local_firm_count: int = Field(description="Local firms in that segment or below it")
    confidence: LinkConfidence | None = Field(default=None, description=PATH_CONFIDENCE)
    unverified_links: int | None = Field(default=None, description=UNVERIFIED_LINKS)
    via: list[str] | None = Field(
        default=None, description="The segment or sub-segments it is `distance` links from (the nearest parts)"
    )


class ImpactUpstream(SegmentRef):
    """A segment this one (or one of its sub-segments) depends on, transitively."""

    distance: int = Field(description="Supply steps to the segment (to the nearest of its sub-segments)")
    sourced_distance: int | None = Field(
        default=None,
        description="Supply steps to the segment over sourced links only (null when no path is sourced "
        "throughout); larger than `distance` when the shortest path has an unverified link / "
        "仅经已证实（有来源）供应关系到该环节的最短步数（无全程有来源的路径时为 null）；最短路径含待核实关系时大于 "
        "`distance`",
    )
    local_firm_count: int = Field(description="Local firms in that segment or below it")
    gap_kind: GapKind | None = Field(default=None, description="Its gap's primary kind; null when it is no gap")
    gap_kinds_unverified: list[UnverifiedGapKind] = Field(default_factory=list, description=KINDS_UNVERIFIED_DOC)
    confidence: LinkConfidence | None = Field(default=None, description=PATH_CONFIDENCE)
    unverified_links: int | None = Field(default=None, description=UNVERIFIED_LINKS)


class DependentFirm(FirmRef):
    """A local firm in a downstream segment."""

    is_anchor: bool = Field(description="An anchor firm (链主): the `anchor` role in some segment, or the tag")
    segment_ids: list[str] = Field(description="Its downstream segments")
    confidence: LinkConfidence | None = Field(
        default=None, description="`sourced` when any of its downstream segments is reached through sourced links"
    )


class ImpactCounts(OpenModel):
    downstream_segments: int = Field(description="Segments downstream (`downstream`)")
    exclusive_dependents: int = Field(
        description="Of them, those every supply path to which passes through the segment"
    )
    dependent_local_firms: int = Field(description="Local firms in the downstream segments (`dependent_firms`)")
    dependent_anchors: int = Field(description="Of them, anchor firms (链主)")
    upstream_segments: int = Field(description="Segments upstream (`upstream`)")
    upstream_gaps: int = Field(description="Of them, gaps (`upstream_gaps`)")
    downstream_unverified_only: int | None = Field(
        default=None, description="Downstream segments reached only through unverified links"
    )
    dependent_local_firms_unverified_only: int | None = Field(
        default=None, description="Dependent local firms all of whose downstream segments are reached that way"
    )
    upstream_unverified_only: int | None = Field(
        default=None, description="Upstream segments reached only through unverified links"
    )


class Impact(OpenModel):
    """What depends on a segment downstream (transitively) and what it depends on upstream."""

    model_config = _open(
        {
            "segment": {
                "id": "nev-battery-cell",
                "name_zh": "动力电池电芯",
                "name_en": "Power battery cells",
                "cluster_id": "nev",
                "position": "midstream",
                "status": "strong",
            },
            "local_firms": [
                {"id": "calb", "name_zh": "中创新航科技集团股份有限公司", "name_en": "CALB Group", "role": "anchor"}
            ],
            "downstream": [
                {
                    "id": "nev-vehicle",
                    "name_zh": "整车",
                    "name_en": "Vehicles",
                    "cluster_id": "nev",
                    "position": "downstream",
                    "status": "strong",
                    "distance": 1,
                    "sourced_distance": 1,
                    "exclusive": False,
                    "local_firm_count": 4,
                    "confidence": "sourced",
                    "unverified_links": 0,
                    "via": ["nev-battery-cell"],
                },
                {
                    "id": "ne-storage-integration",
                    "name_zh": "储能系统集成",
                    "name_en": "Storage system integration",
                    "cluster_id": "new-energy",
                    "position": "downstream",
                    "status": "strong",
                    "distance": 1,
                    "sourced_distance": None,
                    "exclusive": False,
                    "local_firm_count": 4,
                    "confidence": "unverified",
                    "unverified_links": 1,
                    "via": ["nev-battery-cell"],
                },
            ],
            "dependent_firms": [
                {
                    "id": "li-auto",
                    "name_zh": "理想汽车常州基地",
                    "name_en": "Li Auto (Changzhou base)",
                    "is_anchor": False,
                    "segment_ids": ["nev-vehicle"],
                    "confidence": "sourced",
                }
            ],
            "upstream": [
                {
                    "id": "nev-battery-materials",
                    "name_zh": "电池材料",
                    "name_en": "Battery materials",
                    "cluster_id": "nev",
                    "position": "upstream",
                    "status": "strong",
                    "distance": 1,
                    "sourced_distance": 1,
                    "local_firm_count": 7,
                    "gap_kind": None,
                    "gap_kinds_unverified": [],
                    "confidence": "sourced",
                    "unverified_links": 0,
                }
            ],
            "upstream_gaps": [
                {
                    "segment_id": "nev-lithium-resources",
                    "kind": "broken_link",
                    "kinds_unverified": ["broken_link", "extension"],
                    "severity": 0.67875,
                    "explanation_zh": (
                        "锂资源与锂盐：数据中暂无常州本地企业（缺链），下游22家本地企业（含7家链主企业，可属其他集群）依赖该环节（均仅经待核实"
                        "的供应关系）；另供给本地强环节正极材料（供应关系待核实），链条依赖外部供应（断链，待核实）。"
                    ),
                    "explanation_en": (
                        "Lithium resources and salts: no local firm in the data (missing link); 22 local firms, 7 "
                        "of them anchor firms of some cluster, depend on it downstream (all only through "
                        "unverified supply links); it also feeds the strong local segment(s) Cathode materials "
                        "(supply link unverified); the chain relies on outside supply (broken link, unverified)."
                    ),
                }
            ],
            "clusters_affected": ["nev"],
            "sub_segments": [],
            "parent": None,
            "counts": {
                "downstream_segments": 7,
                "exclusive_dependents": 0,
                "dependent_local_firms": 14,
                "dependent_anchors": 5,
                "upstream_segments": 16,
                "upstream_gaps": 7,
                "downstream_unverified_only": 4,
                "dependent_local_firms_unverified_only": 6,
                "upstream_unverified_only": 4,
            },
        }
    )
    segment: SegmentRef = Field(description="The segment asked for")
    local_firms: list[SegmentFirm] = Field(description="Local firms in the segment or below it")
    downstream: list[ImpactDownstream] = Field(description="Segments that depend on it, transitively along SUPPLIES")
    dependent_firms: list[DependentFirm] = Field(description="Local firms downstream, anchors first")
    upstream: list[ImpactUpstream] = Field(description="Segments it depends on, transitively along SUPPLIES")
    upstream_gaps: list[GapSummary] = Field(description="Gaps upstream, most severe first")
    clusters_affected: list[str] = Field(description="Clusters of the downstream segments")
    sub_segments: list[str] = Field(
        default_factory=list,
        description="Its sub-segments, at any depth: the answer follows their supply links too (docs/analysis.md §8)",
    )
    parent: SegmentRef | None = Field(
        default=None, description="The segment above it, whose own supply links are not counted here"
    )
    counts: ImpactCounts = Field(description="Counts over the lists")


# -- health -----------------------------------------------------------------------------

HEALTH_EXAMPLE = {
    "cluster_id": "nev",
    "name_zh": "新能源汽车及汽车核心零部件",
    "name_en": "New Energy Vehicles and Core Auto Components",
    "score": 0.471359,
    "components": {
        "coverage": 0.724138,
        "anchor_coverage": 0.172414,
        "weak_links": 8,
        "weak_share": 0.275862,
        "solid_share": 0.448276,
        "concentration": 0.6737,
        "hhi": 0.549395,
    },
    "weighted": {"coverage": 0.289655, "anchor_coverage": 0.043103, "weak_links": 0.089655, "concentration": 0.048945},
    "weights": {"coverage": 0.4, "anchor_coverage": 0.25, "weak_links": 0.2, "concentration": 0.15},
    "terms": [
        {
            "key": "coverage",
            "weights_key": "coverage",
            "complement": False,
            "weight": 0.4,
            "value": 0.724138,
            "weighted": 0.289655,
            "label_zh": "覆盖率",
            "label_en": "coverage",
        },
        {
            "key": "anchor_coverage",
            "weights_key": "anchor_coverage",
            "complement": False,
            "weight": 0.25,
            "value": 0.172414,
            "weighted": 0.043103,
            "label_zh": "链主覆盖率",
            "label_en": "anchor coverage",
        },
        {
            "key": "solid_share",
            "weights_key": "weak_links",
            "complement": False,
            "weight": 0.2,
            "value": 0.448276,
            "weighted": 0.089655,
            "label_zh": "稳固环节占比",
            "label_en": "solid share",
        },
        {
            "key": "concentration",
            "weights_key": "concentration",
            "complement": True,
            "weight": 0.15,
            "value": 0.3263,
            "weighted": 0.048945,
            "label_zh": "1 − 集中度",
            "label_en": "1 − concentration",
        },
    ],
    "counts": {
        "segments": 29,
        "present": 21,
        "strong": 8,
        "weak": 8,
        "missing": 8,
        "anchor_segments": 5,
        "local_firms": 45,
        "gaps": 16,
    },
    "top_gaps": [
        {
            "segment_id": "nev-lithium-resources",
            "kind": "broken_link",
            "severity": 0.67875,
            "explanation_zh": (
                "锂资源与锂盐：数据中暂无常州本地企业（缺链），下游22家本地企业（含7家链主企业，可属其他集群）依赖该环节（均仅经待核实"
                "的供应关系）；另供给本地强环节正极材料（供应关系待核实），链条依赖外部供应（断链，待核实）。"
            ),
            "explanation_en": (
                "Lithium resources and salts: no local firm in the data (missing link); 22 local firms, 7 of them "
                "anchor firms of some cluster, depend on it downstream (all only through unverified supply links); "
                "it also feeds the strong local segment(s) Cathode materials (supply link unverified); the chain "
                "relies on outside supply (broken link, unverified)."
            ),
            "kinds_unverified": ["broken_link", "extension"],
        }
    ],
}


class HealthComponents(OpenModel):
    """The values the health score is computed from (docs/analysis.md §7). Not every one is a term of the score,
    and the keys are not those of `weights`/`weighted`: `terms` says which component each weight multiplies."""

    coverage: float = Field(description="Share of segments with local presence (a term)")
    anchor_coverage: float = Field(description="Share of segments with a local anchor firm (a term)")
    weak_links: int = Field(
        description="How many segments are weak: a count, not a term (the `weak_links` of `weights`/`weighted` is "
        "the solid-share term)"
    )
    weak_share: float = Field(description="Share of weak segments (not a term)")
    solid_share: float = Field(
        description="Share of present, not weak, segments: the term keyed `weak_links` in `weights`/`weighted`"
    )
    concentration: float = Field(
        description="Mean 1/G of local corporate groups per segment; the term is 1 − concentration"
    )
    hhi: float = Field(description="Mean concentration over the present segments (not a term)")


class HealthTerms(OpenModel):
    """One number per health term: a weight, or a weighted term (the weighted ones sum to the score). The keys
    are kept for compatibility and are not all component keys: `weak_links` is the solid-share term
    (0.20 × `components.solid_share`, not × `components.weak_links`) and `concentration` the term
    0.15 × (1 − `components.concentration`). Recompute the score from `terms`."""

    coverage: float = Field(description="The coverage term (× `components.coverage`)")
    anchor_coverage: float = Field(description="The anchor-coverage term (× `components.anchor_coverage`)")
    weak_links: float = Field(
        description="The solid-share term (× `components.solid_share`); the key keeps its old name"
    )
    concentration: float = Field(description="The term × (1 − `components.concentration`)")


class HealthTerm(OpenModel):
    """One term of the score: `weighted` = `weight` × `value`; the four `weighted` sum to `score` (each is
    rounded to six decimals, so the sum may differ from `score` by up to 0.000002)."""

    key: str = Field(description="The key in `components` the weight multiplies, e.g. `solid_share`")
    weights_key: str = Field(
        description="The term's key in `weights` and `weighted` (`weak_links` for the solid-share term)"
    )
    complement: bool = Field(description="True when `value` is 1 − `components[key]` (concentration)")
    weight: float = Field(description="The term's weight (as in `weights`)")
    value: float = Field(description="What the weight multiplies: `components[key]`, or 1 − it for a complement")
    weighted: float = Field(description="weight × value, the same number as `weighted[weights_key]`")
    label_zh: str = Field(description="The term's name in Chinese")
    label_en: str = Field(description="The term's name in English")


class HealthCounts(OpenModel):
    """Counts over the cluster's segments. `present` counts every segment with a local firm (strong, present and
    weak together, as `coverage` does); the chain's `summary.present_count` counts the status `present` only."""

    segments: int = Field(description="Segments of the cluster")
    present: int = Field(
        description="Segments with at least one local firm, whatever their status (strong + present + weak)"
    )
    strong: int = Field(description="Segments whose status is `strong` (强链)")
    weak: int = Field(description="Segments whose status is `weak` (弱链)")
    missing: int = Field(description="Segments whose status is `missing` (缺链)")
    anchor_segments: int = Field(description="Segments with a local anchor firm")
    local_firms: int = Field(description="Distinct local firms in its segments")
    gaps: int = Field(description="Segments that are a gap, of any kind")


HEALTH_CAVEAT_DOC = (
    "What the score does not say / 健康度不衡量什么: it measures segment coverage in this data, not output, size "
    "or growth, and a segment and each sub-segment count once each (queries.health.HEALTH_CAVEAT_ZH/EN)"
)


class HealthScore(OpenModel):
    """The fields of a cluster's health, as one cluster's answer and each item of the ranking give them."""

    cluster_id: str = Field(description="Cluster id, e.g. `nev`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    score: float = Field(
        ge=0, le=1, description="The health score (0–1): the sum of the four `weighted` terms (docs/analysis.md §7)"
    )
    components: HealthComponents = Field(description="The values the score is computed from")
    weighted: HealthTerms = Field(
        description="Each term times its weight; `weak_links` is the solid-share term (see `terms`)"
    )
    weights: HealthTerms = Field(description="The weight of each term; `weak_links` weighs `components.solid_share`")
    terms: list[HealthTerm] = Field(
        description="The four terms with the component each weight multiplies: the list to recompute `score` from"
    )
    counts: HealthCounts = Field(description="Counts over its segments")
    top_gaps: list[GapSummary] = Field(description="The most severe gaps of the cluster")


class ClusterHealth(HealthScore):
    """A cluster's health score (0–1) with its components (the service's ``/health`` is ``ServiceHealth``)."""

    model_config = _open({**HEALTH_EXAMPLE, **health_caveat()})
    caveat_zh: str = Field(description=HEALTH_CAVEAT_DOC)
    caveat_en: str = Field(description=HEALTH_CAVEAT_DOC)


class RankedHealth(HealthScore):
    model_config = _open({**HEALTH_EXAMPLE, "rank": 5})
    rank: int = Field(description="Its place in the ranking (1 = highest score; equal scores ordered by cluster id)")


class HealthRanking(OpenModel):
    """Clusters ranked by health score, best first."""

    model_config = _open(
        {"items": [{**HEALTH_EXAMPLE, "rank": 5}], "total": 11, "limit": 50, "offset": 0, **health_caveat()}
    )
    items: list[RankedHealth] = Field(description="The page of clusters, best first")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)
    list_size: int | None = Field(default=None, description=LIST_SIZE_DOC)
    list_note_zh: str | None = Field(default=None, description=LIST_NOTE_DOC)
    list_note_en: str | None = Field(default=None, description=LIST_NOTE_DOC)
    caveat_zh: str = Field(description=HEALTH_CAVEAT_DOC)
    caveat_en: str = Field(description=HEALTH_CAVEAT_DOC)


# -- what-if ------------------------------------------------------------------------------


class WhatIfRequest(BaseModel):
    """Firms to remove, by id."""

    model_config = ConfigDict(extra="forbid", json_schema_extra={"example": {"remove": ["li-auto"], "year": None}})
    remove: list[str] = Field(min_length=1, max_length=1000, description="Firm ids")
    year: int | None = Field(default=None, ge=1990, le=2100, description="As-of year for presence facts")
    with_subsidiaries: StrictBool = Field(
        default=False,
        description="Also remove every subsidiary of these firms (SUBSIDIARY_OF, any depth): `catl` with this "
        "removes CATL's Changzhou units",
    )


class RemovedFirm(FirmRef):
    is_local: bool = Field(description="In Changzhou")


class WhatIfSegment(NamedSegmentFields):
    """The fields that open a what-if item: the segment and its status with and without the firms."""

    status_before: SegmentStatus = Field(description="Its status with the firms (docs/analysis.md §2)")
    status_after: SegmentStatus = Field(description="Its status without them")


class WhatIfChange(WhatIfSegment):
    """A segment whose status, gap kind or severity changes."""

    kind_before: GapKind | None = Field(
        default=None, description="Its gap's primary kind with the firms; null when it was no gap"
    )
    kind_after: GapKind | None = Field(
        default=None, description="Its gap's primary kind without them; null when it is no gap"
    )
    kinds_unverified_before: list[UnverifiedGapKind] = Field(
        default_factory=list, description="Before the firms leave: " + KINDS_UNVERIFIED_DOC
    )
    kinds_unverified_after: list[UnverifiedGapKind] = Field(
        default_factory=list, description="After the firms leave: " + KINDS_UNVERIFIED_DOC
    )
    severity_before: float | None = Field(default=None, description="Null when it was no gap")
    severity_after: float | None = Field(default=None, description="Null when it is no gap")
    delta: float = Field(description="Severity after minus before (0 for no gap)")
    local_firms_before: int = Field(description="Local firms in the segment or below it, with the firms")
    local_firms_after: int = Field(description="The same, without them")
    became_gap: bool = Field(description="It was no gap and is one without the firms")
    status_changed: bool = Field(description="Its status or gap kind changed (not only the severity)")


class WhatIfLeft(WhatIfSegment):
    """A segment the firms leave (they operated in it or in a sub-segment), whether or not it changes."""

    local_firms_before: int = Field(description="Local firms in the segment or below it, with the firms")
    local_firms_after: int = Field(description="The same, without them")
    anchors_before: int = Field(description="Local firms with the anchor role in the segment (or below it)")
    anchors_after: int = Field(description="The same, without the firms")
    firms_left: list[str] = Field(description="The removed firms that were local firms of the segment")
    anchors_left: list[str] = Field(description="Those of them that were its anchors")
    direct: bool = Field(description="One of them operated in the segment itself, not only in a sub-segment")
    in_changes: bool = Field(description="The segment is also in `changes` (its status or severity changed)")


class HealthChange(OpenModel):
    cluster_id: str = Field(description="The cluster")
    score_before: float = Field(description="Its health score (0–1) with the firms")
    score_after: float = Field(description="Its health score without them")
    delta: float = Field(description="After minus before")


class WhatIfSummary(OpenModel):
    changed_segments: int = Field(description="Segments in `changes`")
    new_gaps: int = Field(description="Segments that became gaps (`new_gaps`)")
    status_changed: int = Field(description="Of `changes`, those whose status or gap kind changed")
    worse: int = Field(description="Segments whose severity rises")
    clusters_touched: int = Field(description="Clusters with a changed segment (`health`)")
    segments_left: int | None = Field(default=None, description="Segments the firms leave (`segments_left`)")


class WhatIfPartner(OpenModel):
    """A local firm that loses a customer or a supplier through a firm-level supply link (SUPPLIES_TO)."""

    id: str = Field(description="The local firm (the partner)")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    loses: Literal["customer", "supplier"] = Field(
        description="`customer`: it supplied the removed firm; `supplier`: the removed firm supplied it"
    )
    firm_id: str = Field(description="The removed firm it loses")
    confidence: FactConfidence = Field(description="The supply link's confidence: `sourced` or `unverified`")
    sources: list[str] = Field(default_factory=list, description="The supply link's sources")


class WhatIfNote(SparseModel):
    """What explains the answer, in Chinese and English: a `code` and what it names.

    Codes:
    - `outside_firms`: the firms `firm_ids` are outside Changzhou: their leaving changes no local presence
      (given when no subsidiary was added; with `local_subsidiaries`).
    - `coverage_only`: some removed firm is local (`firm_ids`): health and severity count segment coverage
      (local firms, anchors, corporate groups), not output, capacity or jobs; what is left in the firms'
      own segments (`segment_ids`, from `segments_left`) says why the change is small.
    - `supply_partners`: the local firms `firm_ids` lose a customer or a supplier through firm-level supply
      links (`partners`); these links do not enter health or severity.
    - `scope_shrinks`: the gaps `segment_ids` become more severe although their own local firms did not
      change: the totals of the severity's D term (`L_scope`, `A_scope`, docs/analysis.md §4) shrank.

    Each carries only the fields it names; more codes may be added.
    """

    model_config = _open(
        {
            "code": "outside_firms",
            "firm_ids": ["ganfeng"],
            "local_subsidiaries": {"ganfeng": []},
            "zh": "ganfeng 不是常州本地企业，数据中也没有其在常子公司，离开不影响本地布局，只影响可招引的对象",
            "en": "ganfeng is outside Changzhou and has no subsidiary here in the data: leaving changes no local "
            "presence, only who could be attracted",
        }
    )
    code: str = Field(description="Which note it is: one of the codes this model's description lists")
    firm_ids: list[str] | None = Field(
        default=None,
        description="The firms the note is about: the outside firms (`outside_firms`), the local firms removed "
        "(`coverage_only`), the local partners (`supply_partners`)",
    )
    local_subsidiaries: dict[str, list[str]] | None = Field(
        default=None,
        description="Each firm's local subsidiaries in the data, at any depth (`outside_firms`): with_subsidiaries "
        "removes them too; empty when it has none here",
    )
    segment_ids: list[str] | None = Field(
        default=None,
        description="The segments the note is about: the firms' own segments it describes (`coverage_only`), the "
        "gaps whose severity rises only because the cluster's totals shrank (`scope_shrinks`)",
    )
    partners: list[WhatIfPartner] | None = Field(
        default=None, description="Each local firm losing a customer or a supplier, and whom (`supply_partners`)"
    )
    zh: str = Field(description="The note in Chinese")
    en: str = Field(description="The note in English")


class WhatIf(OpenModel):
    """Segments whose status or severity changes if the firms leave, and cluster health before/after."""

    model_config = _open(
        {
            "removed": [
                {
                    "id": "li-auto",
                    "name_zh": "理想汽车常州基地",
                    "name_en": "Li Auto (Changzhou base)",
                    "is_local": True,
                }
            ],
            "subsidiaries_added": [],
            "year": None,
            "changes": [
                {
                    "segment_id": "heq-bearings",
                    "segment_name_zh": "轴承",
                    "segment_name_en": "Bearings",
                    "cluster_id": "high-end-equipment",
                    "status_before": "weak",
                    "status_after": "weak",
                    "kind_before": "weak",
                    "kind_after": "weak",
                    "kinds_unverified_before": [],
                    "kinds_unverified_after": [],
                    "severity_before": 0.488571,
                    "severity_after": 0.488049,
                    "delta": -0.000522,
                    "local_firms_before": 1,
                    "local_firms_after": 1,
                    "became_gap": False,
                    "status_changed": False,
                }
            ],
            "new_gaps": [],
            "health": [{"cluster_id": "nev", "score_before": 0.471359, "score_after": 0.470928, "delta": -0.000431}],
            "segments_left": [
                {
                    "segment_id": "nev-vehicle",
                    "segment_name_zh": "整车",
                    "segment_name_en": "Vehicles",
                    "cluster_id": "nev",
                    "status_before": "strong",
                    "status_after": "strong",
                    "local_firms_before": 4,
                    "local_firms_after": 3,
                    "anchors_before": 1,
                    "anchors_after": 1,
                    "firms_left": ["li-auto"],
                    "anchors_left": [],
                    "direct": True,
                    "in_changes": False,
                }
            ],
            "summary": {
                "changed_segments": 36,
                "new_gaps": 0,
                "status_changed": 0,
                "worse": 0,
                "clusters_touched": 7,
                "segments_left": 1,
            },
            "notes": [
                {
                    "code": "coverage_only",
                    "firm_ids": ["li-auto"],
                    "segment_ids": ["nev-vehicle"],
                    "zh": "健康度与严重度只计环节覆盖（有无及多少本地企业、链主、企业集团），不计产值、产能或就业："
                    "理想汽车常州基地离开后，整车环节仍有 3 家本地企业、1 家链主，故健康度变化小（nev -0.0004）",
                    "en": "health and severity count segment coverage (whether and how many local firms, anchors and "
                    "corporate groups), not output, capacity or jobs: after Li Auto (Changzhou base) leaves, "
                    "Vehicles still has 3 local firms and 1 anchor, so health changes little (nev -0.0004)",
                },
                {
                    "code": "supply_partners",
                    "firm_ids": ["jieyi-auto"],
                    "partners": [
                        {
                            "id": "jieyi-auto",
                            "name_zh": "捷翼汽车零部件(常州)有限公司",
                            "name_en": "Jieyi Auto Parts (Changzhou)",
                            "loses": "customer",
                            "firm_id": "li-auto",
                            "confidence": "unverified",
                            "sources": ["t67-wujin-2024-10"],
                        }
                    ],
                    "zh": "企业间供应关系中，捷翼汽车零部件(常州)有限公司（jieyi-auto）失去客户 "
                    "理想汽车常州基地（待核实）；这些关系不计入健康度与严重度",
                    "en": "through firm-level supply links, Jieyi Auto Parts (Changzhou) (jieyi-auto) loses a "
                    "customer, Li Auto (Changzhou base) (unverified); these links do not enter health or severity",
                },
            ],
        }
    )
    removed: list[RemovedFirm] = Field(description="Every firm removed: those given and, with subsidiaries, theirs")
    subsidiaries_added: list[str] = Field(
        default_factory=list, description="Ids removed only because `with_subsidiaries` was asked (empty otherwise)"
    )
    year: int | None = Field(default=None, description="The as-of year asked for")
    changes: list[WhatIfChange] = Field(description="Status changes first, then by how much worse")
    new_gaps: list[GapItem] = Field(
        description="Segments that become gaps, as /api/v1/gaps gives them (without the firms)"
    )
    health: list[HealthChange] = Field(
        description="Health score before and after, for each cluster with a changed segment"
    )
    segments_left: list[WhatIfLeft] = Field(
        default_factory=list,
        description="Every segment the firms leave, changed or not: their own segments first (docs/analysis.md §6)",
    )
    summary: WhatIfSummary = Field(description="Counts over the answer")
    notes: list[WhatIfNote] = Field(
        default_factory=list,
        description="What explains the answer (codes in WhatIfNote): the firms are outside Changzhou (so nothing "
        "local changes), the scores count segment coverage only, local firms losing a customer or supplier, gaps "
        "rising because the cluster's totals shrank; empty when nothing needs saying",
    )


# -- search ---------------------------------------------------------------------------------


class SearchItem(SparseModel):
    model_config = _open()
    type: Literal["firm", "segment", "cluster"] = Field(description="What it is: `firm`, `segment` or `cluster`")
    id: str = Field(description="Its id")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    score: float = Field(
        ge=0, le=1, description="How well it matched (0–1; highest for an exact name match): items are sorted by it"
    )
    match: str = Field(description="How it matched: `exact`, `prefix`, `substring` or `fuzzy`")
    field: str = Field(description="What matched, e.g. `name_zh`, `alias`, `alias:pinyin`, `parent`")
    matched: str = Field(description="The text that matched")
    cluster_id: str | None = Field(default=None, description="Segments only: their cluster")
    is_local: bool | None = Field(default=None, description="Firms only: in Changzhou")
    parent_id: str | None = Field(default=None, description="Firms only: their parent firm; null when none")


class SearchResults(OpenModel):
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
                    "parent_id": None,
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
                    "parent_id": "catl",
                },
            ],
            "total": 4,
            "limit": 20,
            "offset": 0,
        }
    )
    q: str = Field(description="The query as given")
    items: list[SearchItem] = Field(description="The page of matches, best first")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


# -- targets ----------------------------------------------------------------------------------

TARGET_EXAMPLE = {
    "firm_id": "nxp",
    "name_zh": "恩智浦",
    "name_en": "NXP Semiconductors",
    "hq": "荷兰埃因霍温",
    "hq_en": "Eindhoven, Netherlands",
    "tags": ["listed"],
    "priority": 0.245796,
    "rank": 3,
    "tied_with": 0,
    "gap_count": 2,
    "cluster_ids": ["nev"],
    "gaps": [
        {
            "segment_id": "nev-mcu-soc",
            "segment_name_zh": "车规级MCU与智驾芯片",
            "segment_name_en": "Automotive MCUs and ADAS SoCs",
            "cluster_id": "nev",
            "kind": "broken_link",
            "kinds": ["missing", "broken_link", "extension"],
            "severity": 0.303345,
            "score": 0.451537,
            "rank": 1,
            "tied_with": 0,
            "candidate_count": 6,
            "role": "anchor",
            "value": 0.136971,
            "reason_codes": ["tag", "segment_role", "relatedness", "related_segments"],
            "counted": True,
            "counted_through": [],
            "kinds_unverified": ["broken_link", "extension"],
            "group_already_here": False,
            "group_firm_ids": [],
        },
        {
            "segment_id": "nev-auto-chips",
            "segment_name_zh": "汽车芯片",
            "segment_name_en": "Automotive chips",
            "cluster_id": "nev",
            "kind": "missing",
            "kinds": ["missing"],
            "severity": 0.343084,
            "score": 0.294318,
            "rank": 2,
            "tied_with": 3,
            "candidate_count": 10,
            "role": "anchor",
            "value": 0.100976,
            "reason_codes": ["tag", "segment_role", "relatedness"],
            "counted": False,
            "counted_through": ["nev-bms-chips", "nev-mcu-soc"],
            "kinds_unverified": [],
            "group_already_here": False,
            "group_firm_ids": [],
        },
    ],
    "reasons": [
        {
            "code": "fills_gaps",
            "count": 2,
            "segment_ids": ["nev-mcu-soc", "nev-bms-chips"],
            "zh": (
                "可填补 2 个缺口：车规级MCU与智驾芯片（断链（待核实），严重度 0.30）、电池管理芯片（断链，严重度 0.34）"
            ),
            "en": (
                "fills 2 gaps: Automotive MCUs and ADAS SoCs (broken link (unverified), "
                "severity 0.30), Battery-management chips (broken link, severity 0.34)"
            ),
        },
        {
            "code": "gap_kinds",
            "zh": "其中 2 个为断链（1 个待核实）",
            "en": "of which 2 broken links (1 unverified)",
            "counts": {"broken_link": 2},
        },
    ],
    "explanation_zh": (
        "可填补 2 个缺口：车规级MCU与智驾芯片（断链（待核实），严重度 "
        "0.30）、电池管理芯片（断链，严重度 0.34）；其中 2 个为断链（1 "
        "个待核实）；是 1 个缺口的首选候选：车规级MCU与智驾芯片；最契合车规级MCU与智驾"
        "芯片（得分 0.45，6 家候选中排第 1）：上市公司；汽车芯片与其下级环节车规级MCU"
        "与智驾芯片、电池管理芯片是同一缺口，只计一次。"
    ),
    "explanation_en": (
        "fills 2 gaps: Automotive MCUs and ADAS SoCs (broken link (unverified), "
        "severity 0.30), Battery-management chips (broken link, severity 0.34); of "
        "which 2 broken links (1 unverified); the best candidate for 1 gap: "
        "Automotive MCUs and ADAS SoCs; best fit: Automotive MCUs and ADAS SoCs "
        "(score 0.45, rank 1 of 6): a listed company; Automotive chips and its "
        "sub-segment(s) Automotive MCUs and ADAS SoCs, Battery-management chips are "
        "one gap, counted once."
    ),
    "confidence": "unverified",
    "source_count": 4,
}


class TargetGap(NamedSegmentFields):
    """A gap the firm would fill, with its score and rank among that gap's candidates."""

    kind: GapKind = Field(description=GAP_KIND)
    kinds: list[GapKind] = Field(description=GAP_KINDS)
    kinds_unverified: list[UnverifiedGapKind] = Field(default_factory=list, description=KINDS_UNVERIFIED_DOC)
    severity: float = Field(ge=0, le=1, description=SEVERITY)
    score: float = Field(ge=0, le=1, description="The firm's candidate score there (/segments/{id}/candidates)")
    rank: int = Field(
        ge=1, description="Its rank among the gap's candidates (1 = best; firms with the same score share it)"
    )
    tied_with: int = Field(ge=0, description="How many other candidates of the gap share its score (0: none)")
    candidate_count: int = Field(ge=1, description="How many candidates the gap has")
    role: str = Field(description=ROLE)
    value: float = Field(ge=0, le=1, description="severity × score: what approaching the firm is worth for this gap")
    reason_codes: list[str] = Field(description="The codes of its 推荐理由 there (`tag`, `segment_role`, ...)")
    counted: bool = Field(
        description="false when the firm also fills gaps below this one (the hole is counted once, through them: "
        "`counted_through`), or when its group already has a local unit here (`group_already_here`)"
    )
    counted_through: list[str] = Field(description="When not counted: the gaps below it that count instead")
    group_already_here: bool = Field(
        default=False,
        description="The firm's own group already has a local unit in this gap (`group_firm_ids`): attracting it "
        "only expands that group, adds no new source of supply, and is not counted",
    )
    group_firm_ids: list[str] = Field(
        default_factory=list, description="The local units of its group in the gap (empty unless `group_already_here`)"
    )


class TargetReason(SparseModel):
    """Why approach the firm: a `code`, what it names, and a short text in Chinese and English.

    Codes: `fills_gaps`, `gap_kinds`, `group_already_here`, `top_candidate`, `best_fit`, `counted_once`.
    Each carries only the fields it names.
    """

    code: str = Field(description="Which reason it is: one of the codes this model's description lists")
    count: int | None = Field(default=None, description="How many gaps (`fills_gaps`, `top_candidate`)")
    counts: dict[str, int] | None = Field(default=None, description="Counted gaps by primary kind (`gap_kinds`)")
    segment_ids: list[str] | None = Field(default=None, description="The gaps the reason names")
    firm_ids: list[str] | None = Field(
        default=None, description="Local units of the firm's group in those gaps (`group_already_here`)"
    )
    score: float | None = Field(default=None, description="The firm's candidate score where it fits best (`best_fit`)")
    rank: int | None = Field(
        default=None,
        description="Its rank among that gap's candidates, shared with firms of the same score (`best_fit`)",
    )
    tied_with: int | None = Field(
        default=None, description="How many other candidates of that gap share its score (`best_fit`; 0: none)"
    )
    tied_segment_ids: list[str] | None = Field(
        default=None,
        description="The gaps where it shares the first rank with firms of the same score, so is not called "
        "their first choice (`top_candidate`) / 同分并列第一的缺口",
    )
    candidate_count: int | None = Field(default=None, description="How many candidates that gap has (`best_fit`)")
    zh: str = Field(description=REASON_ZH)
    en: str = Field(description=REASON_EN)


class Target(OutsideFirm):
    model_config = _open(TARGET_EXAMPLE)
    priority: float = Field(
        ge=0,
        le=1,
        description="1 − Π(1 − value) over the gaps counted (docs/analysis.md §12); 0 when it fills none "
        "(each of its gaps held by its own group)",
    )
    rank: int = Field(
        ge=1,
        description="Its rank in the whole list (before paging): 1 + the firms of higher priority, so firms of equal "
        "priority share it; their order (by firm id) is no order of merit / 优先度相同者并列",
    )
    tied_with: int = Field(ge=0, description="How many other firms of the list share its priority, hence its rank")
    gap_count: int = Field(
        ge=0,
        description="Gaps counted (a gap and a gap below it count once; a gap its group already holds is not "
        "counted, so 0 when every gap is such)",
    )
    cluster_ids: list[str] = Field(description="Clusters of the gaps it fills")
    gaps: list[TargetGap] = Field(description="The gaps it fills, counted ones first, by value")
    reasons: list[TargetReason] = Field(
        description="Why approach the firm: machine-readable reasons, each with a Chinese and an English text"
    )
    explanation_zh: str = Field(description="The reasons in one paragraph, in Chinese (说明)")
    explanation_en: str = Field(description="The reasons in one paragraph, in English")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    source_count: int = Field(ge=0, description="Sources behind the firm (GET /api/v1/firms/{id} lists them)")


class TargetList(OpenModel):
    """Outside firms to approach (先找谁), each once, by priority (highest first), then firm id."""

    model_config = _open({"items": [TARGET_EXAMPLE], "total": 57, "limit": 50, "offset": 0})
    items: list[Target] = Field(description="The page of firms to approach, highest priority first")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)
    hq_unknown: int | None = Field(default=None, ge=0, description=HQ_UNKNOWN)
    list_size: int | None = Field(
        default=None, description=LIST_SIZE_DOC + "; only without `cluster` (one cluster answers as without it)"
    )
    list_note_zh: str | None = Field(default=None, description=LIST_NOTE_DOC)
    list_note_en: str | None = Field(default=None, description=LIST_NOTE_DOC)


# -- cluster links ----------------------------------------------------------------------------


class ClusterLinkSegments(OpenModel):
    """One SUPPLIES link between segments of two clusters, with its confidence and sources."""

    source: str = Field(description="The supplying segment")
    source_name_zh: str = Field(description="The supplying segment's name in Chinese")
    source_name_en: str = Field(description="The supplying segment's name in English")
    target: str = Field(description="The supplied segment")
    target_name_zh: str = Field(description="The supplied segment's name in Chinese")
    target_name_en: str = Field(description="The supplied segment's name in English")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    sources: list[str] = Field(description="Ids of the sources behind the link")


class ClusterLink(OpenModel):
    """Two clusters joined by supply: every segment link from the first to the second."""

    source_cluster: str = Field(description="The supplying cluster")
    source_cluster_name_zh: str = Field(description="The supplying cluster's name in Chinese")
    source_cluster_name_en: str = Field(description="The supplying cluster's name in English")
    target_cluster: str = Field(description="The supplied cluster")
    target_cluster_name_zh: str = Field(description="The supplied cluster's name in Chinese")
    target_cluster_name_en: str = Field(description="The supplied cluster's name in English")
    link_count: int = Field(description="Segment links from the first cluster to the second")
    unverified_count: int = Field(description="Of them, links marked `unverified`")
    links: list[ClusterLinkSegments] = Field(description="Every segment link from the first cluster to the second")
    sources: list[str] = Field(description="Every source behind the links")


class ClusterLinkList(OpenModel):
    """Cluster pairs joined by supply, most links first."""

    model_config = _open(
        {
            "items": [
                {
                    "source_cluster": "electronics",
                    "source_cluster_name_zh": "新一代电子信息技术",
                    "source_cluster_name_en": "New-generation Electronic Information Technology",
                    "target_cluster": "nev",
                    "target_cluster_name_zh": "新能源汽车及汽车核心零部件",
                    "target_cluster_name_en": "New Energy Vehicles and Core Auto Components",
                    "link_count": 5,
                    "unverified_count": 4,
                    "links": [
                        {
                            "source": "ele-power-semiconductors",
                            "source_name_zh": "功率半导体",
                            "source_name_en": "Power semiconductors",
                            "target": "nev-edrive",
                            "target_name_zh": "电驱动系统（电机、电控）",
                            "target_name_en": "E-drive (motors and controllers)",
                            "confidence": "sourced",
                            "sources": ["o12-casmita-2020-06", "s14-xinbei-2023"],
                        }
                    ],
                    "sources": ["o12-casmita-2020-06", "o16-bmic-2024-10", "o79-wanwend-2023-12"],
                }
            ],
            "total": 15,
        }
    )
    items: list[ClusterLink] = Field(description="The cluster pairs, most links first")
    total: int = Field(description=TOTAL_UNPAGED)
    list_size: int | None = Field(
        default=None, description=LIST_SIZE_DOC + "; only with `list_year` and without `cluster`"
    )
    list_note_zh: str | None = Field(default=None, description=LIST_NOTE_DOC)
    list_note_en: str | None = Field(default=None, description=LIST_NOTE_DOC)


# -- examples of single routes ----------------------------------------------------------------
# A schema's example is shown under every route that answers with its model, so it can be true of one of
# them only: the `GapList` example counted every cluster's 107 gaps under /clusters/{id}/gaps, where NEV has
# 16. Each route below shows its own answer instead (api/examples.py puts it in the OpenAPI document), and
# tests/test_api_review.py compares every route's example with that route's live answer.

_NEV_MISSING_2025 = [
    "nev-auto-chips",
    "nev-bms-chips",
    "nev-copper-foil",
    "nev-electrolyte",
    "nev-fuel-cell",
    "nev-lidar-sensors",
    "nev-lithium-resources",
    "nev-mcu-soc",
]
_BATTERY_SCOPE = [
    "nev-lithium-resources",
    "nev-battery-materials",
    "nev-structural-parts",
    "nev-battery-cell",
    "nev-battery-pack",
    "nev-bms-chips",
    "nev-recycling",
]
_BATTERY_MISSING_2022 = [
    "nev-bms-chips",
    "nev-copper-foil",
    "nev-electrolyte",
    "nev-lithium-resources",
    "nev-recycling",
]

COMPLETENESS_ROUTE_EXAMPLE = {
    "cluster_id": "nev",
    "scope": {
        "segments": [
            "nev-anode",
            "nev-auto-chips",
            "nev-auto-electrical",
            "nev-battery-cell",
            "nev-battery-materials",
            "nev-battery-pack",
            "nev-bms-chips",
            "nev-cathode",
            "nev-charging",
            "nev-chassis-powertrain",
            "nev-conductive-agent",
            "nev-copper-foil",
            "nev-edrive",
            "nev-electrolyte",
            "nev-fuel-cell",
            "nev-intelligent-connected",
            "nev-lidar-sensors",
            "nev-lighting",
            "nev-lightweight",
            "nev-lithium-resources",
            "nev-mcu-soc",
            "nev-production-equipment",
            "nev-recycling",
            "nev-rnd-testing",
            "nev-separator",
            "nev-structural-parts",
            "nev-thermal",
            "nev-vehicle",
            "nev-wiring-harness",
        ],
        "segments_total": 29,
        "whole_cluster": True,
    },
    "current": {"share": 0.724138, "segments_present": 21, "segments_total": 29, "missing": _NEV_MISSING_2025},
    "years": [
        {
            "year": 2024,
            "share": 0.689655,
            "segments_present": 20,
            "segments_total": 29,
            "added": [],
            "missing": sorted([*_NEV_MISSING_2025, "nev-recycling"]),
        },
        {
            "year": 2025,
            "share": 0.724138,
            "segments_present": 21,
            "segments_total": 29,
            "added": ["nev-recycling"],
            "missing": _NEV_MISSING_2025,
        },
    ],
    "published": [
        {
            "year": 2022,
            "metric": "battery_chain_completeness",
            "value": 94.0,
            "unit": "%",
            "qualifier": "=",
            "period": "full-year",
            "sources": ["s22-thepaper-2022"],
            "confidence": "sourced",
            "note": (
                "动力电池产业链完整度 94% with 80+ power and storage battery firms (S22, 2022). Scope: the battery"
                " segments of this graph; the city's own list of key segments is not published"
            ),
            "scope": _BATTERY_SCOPE,
            "computed": {
                "share": 0.615385,
                "segments_present": 8,
                "segments_total": 13,
                "missing": _BATTERY_MISSING_2022,
            },
            "difference_pp": -32.5,
            "note_zh": (
                "公开数据 94%（2022 年）；本数据 8/13 个环节，即 61.5%，相差 -32.5 个百分点。"
                "缺少：电池管理芯片、锂电铜箔、电解液及六氟磷酸锂、锂资源与锂盐、动力电池回收。"
            ),
            "note_en": (
                "Published 94% (2022); this data 8 of 13 segments, 61.5%, -32.5 points apart. Missing:"
                " Battery-management chips; Lithium-battery copper foil; Electrolyte and LiPF6; Lithium"
                " resources and salts; Battery recycling."
            ),
        },
        {
            "year": 2023,
            "metric": "battery_chain_completeness",
            "value": 97.0,
            "unit": "%",
            "qualifier": "=",
            "period": "full-year",
            "sources": ["c-s25-ourjiangsu-2023-06", "c-t52-gmw-2023-06", "s15-nev-2023-10"],
            "confidence": "sourced",
            "note": (
                "97%, #1 nationally: 120+ supporting firms (S25, 2023-06-18); 130+ firms covering 31 key"
                " segments (T52, 2023-06-29); 160+ firms (S15, 2023-10)"
            ),
            "scope": _BATTERY_SCOPE,
            "computed": {
                "share": 0.615385,
                "segments_present": 8,
                "segments_total": 13,
                "missing": _BATTERY_MISSING_2022,
            },
            "difference_pp": -35.5,
            "note_zh": (
                "公开数据 97%（2023 年）；本数据 8/13 个环节，即 61.5%，相差 -35.5 个百分点。缺少的环节与 2022 年相同。"
            ),
            "note_en": (
                "Published 97% (2023); this data 8 of 13 segments, 61.5%, -35.5 points apart."
                " Same missing segments as 2022."
            ),
        },
    ],
    "undated_share": 0.94,
    "published_note_zh": "本数据 = 公开数据所指范围内，截至该年有本地企业（含下级环节）或已开工/建成项目的环节占比……",
    "published_note_en": (
        "This data: the share of the figure's segments with a local firm (sub-segments included) or a started or"
        " completed project as of its year. The published figure counts the key segments the city defines ..."
    ),
    "note_zh": (
        "完整度 = 有本地企业（含下级环节）或已开工/建成项目的环节数 ÷ 环节总数。"
        "未注明年份的事实各年均计入，晚于该年的事实不计；已签约或规划中的项目不计。"
    ),
    "note_en": (
        "Completeness = segments with a local firm (sub-segments included) or a started or completed project,"
        " divided by all segments. Undated facts count in every year, facts dated later do not; signed or"
        " planned projects do not count."
    ),
}
"""NEV's whole chain (`GET /api/v1/clusters/nev/completeness`), two of its years and two published rows;
every count matches the segments it lists. (The `Completeness` model is in :mod:`api.layer_schemas`.)"""

ROUTE_EXAMPLES: dict[str, Any] = {
    "GET /api/v1/gaps": {"items": [GAP_EXAMPLE], "total": 106, "limit": 50, "offset": 0},
    "GET /api/v1/clusters/{cluster_id}/gaps": {"items": [GAP_EXAMPLE], "total": 16, "limit": 50, "offset": 0},
    # NXP is 5th of the NEV targets and 28th of the city's
    "GET /api/v1/targets": {"items": [{**TARGET_EXAMPLE, "rank": 29}], "total": 271, "limit": 50, "offset": 0},
    "GET /api/v1/clusters/{cluster_id}/targets": {"items": [TARGET_EXAMPLE], "total": 57, "limit": 50, "offset": 0},
    "GET /api/v1/clusters/{cluster_id}/completeness": COMPLETENESS_ROUTE_EXAMPLE,
}
"""The example each of these routes shows for its answer, over its model's (`METHOD /path` as in the
OpenAPI document): every cluster's gaps and targets, NEV's (`cluster_id=nev`), NEV's completeness."""
