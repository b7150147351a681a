"""Response models of the further layers: projects, policies, tiers, platforms, districts and chain completeness.

Extra fields are allowed and shown in the examples (taken from the bundled data, shortened).
The definitions are in ``docs/projects-tiers-policies.md``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import ConfigDict, Field
from typing_extensions import TypeAliasType

from api.analysis_schemas import COMPLETENESS_ROUTE_EXAMPLE, GapItem
from api.schemas import (
    CONFIDENCE,
    LIMIT,
    NAME_EN,
    NAME_ZH,
    NOTE,
    OFFSET,
    SOURCE_IDS,
    TOTAL,
    TOTAL_UNPAGED,
    DistrictRef,
    FactConfidence,
    FigureFields,
    FirmRef,
    OpenModel,
    SourceRef,
)

ProjectStatus = TypeAliasType("ProjectStatus", Literal["planned", "signed", "started", "completed", "unknown"])
PlatformCategory = TypeAliasType(
    "PlatformCategory", Literal["lighthouse_factory", "industrial_internet_platform", "smart_factory", "other"]
)
QUALIFIER = (
    "The source's wording: `>` (超), `≥` (以上), `≈` (约), `≲` (近: nearly, just under), `=`, `<` (不足), "
    "`≤` (最高/不超过)"
)
"""How an amount's ``qualifier`` is documented (``graph.model.Qualifier``)."""
PROJECT_STATUS = (
    "Where it stood at the latest source: `planned` (规划), `signed` (签约), `started` (开工/在建), "
    "`completed` (竣工/投产) or `unknown`"
)
PLATFORM_CATEGORY = (
    "`lighthouse_factory` (灯塔工厂), `industrial_internet_platform` (工业互联网平台), `smart_factory` (智能工厂) "
    "or `other`"
)
TIER_CATEGORY = (
    "`champion_firm`, `champion_product` (单项冠军), `little_giant` (专精特新“小巨人”), `zjtx` or "
    "`zjtx_product` (专精特新)"
)


def _open(example: dict[str, Any] | None = None) -> ConfigDict:
    if example is None:
        return ConfigDict(extra="allow")
    return ConfigDict(extra="allow", json_schema_extra={"example": example})


# -- projects --------------------------------------------------------------------------

PROJECT_EXAMPLE = {
    "id": "prj-catl-liyang-1",
    "name_zh": "宁德时代长三角生产基地（一期）",
    "name_en": "CATL Yangtze River Delta production base (phase I)",
    "investment": {"amount": 100.0, "unit": "亿", "currency": "CNY", "qualifier": "="},
    "investment_text": "100亿元",
    "year": 2016,
    "date": "2016-09-28",
    "phase": "一期",
    "phase_en": "phase 1",
    "status": "started",
    "capacity": "10 GWh (7 GWh cells + 3 GWh systems), 1000亩, five-year build (T55)",
    "firms": [
        {"id": "catl-jiangsu", "name_zh": "江苏时代新能源科技有限公司", "name_en": "CATL (Jiangsu)", "is_local": True}
    ],
    "segments": [
        {"id": "nev-battery-cell", "name_zh": "动力电池电芯", "name_en": "Power battery cells", "cluster_id": "nev"}
    ],
    "clusters": ["nev"],
    "districts": [{"id": "liyang", "name_zh": "溧阳市", "name_en": "Liyang (county-level city)"}],
    "fills_links": [],
    "sources": ["t55-catl-liyang", "s22-thepaper-2022"],
    "confidence": "sourced",
    "note": (
        "Groundbreaking 9月28日 (T55, undated); S22 dates the 溧阳 base to 2016."
        " Conflict: S22 gives the capacity as 产能50亿瓦时 (5 GWh)"
    ),
}


class Investment(OpenModel):
    """A project's investment as the sources give it."""

    amount: float | None = Field(default=None, description="In `unit` of `currency`; null when not given")
    unit: str = Field(description="Always `亿` (100 million)")
    currency: str = Field(description="`CNY` or `USD`")
    qualifier: str = Field(description=QUALIFIER)


class ProjectFirm(FirmRef):
    """A firm that builds the project (BUILT_BY)."""

    is_local: bool | None = Field(default=None, description="In Changzhou; null for a firm not in the data")


class SegmentInCluster(OpenModel):
    """A segment by id with its names and cluster."""

    id: str = Field(description="Segment id")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    cluster_id: str | None = Field(default=None, description="Null for a segment not in the data")


class Project(OpenModel):
    """A major project (重大项目): investment in 亿 of its currency, year, phase, status and its links."""

    model_config = _open(PROJECT_EXAMPLE)
    id: str = Field(description="Project id, e.g. `prj-catl-liyang-1`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    investment: Investment = Field(description="The investment as the sources give it (in 亿 of its currency)")
    investment_text: str = Field(description="The investment in Chinese, e.g. `约150亿元`; empty when none")
    year: int | None = Field(description="Year started (开工), or signed when not started; null when unknown")
    date: str | None = Field(default=None, description="Start (or signing) date; null when unknown")
    phase: str = Field(description="e.g. `一期`; empty when none")
    phase_en: str | None = Field(
        default=None,
        description=(
            "The phase in English where its form is known exactly (`一期` -> `phase 1`, `一至五期` -> `phases 1-5`);"
            " empty when there is no phase; null when the phase is of another form (then only `phase` has it)"
        ),
    )
    status: ProjectStatus = Field(description=PROJECT_STATUS)
    capacity: str = Field(description="Capacity or scale as the sources give it; empty when none")
    firms: list[ProjectFirm] = Field(description="Firms that build it (BUILT_BY)")
    segments: list[SegmentInCluster] = Field(description="Segments it is in (PROJECT_IN)")
    clusters: list[str] = Field(description="Clusters of its segments")
    districts: list[DistrictRef] = Field(description="Districts or parks it is sited in (SITED_IN)")
    fills_links: list[str] = Field(
        description="Segments it filled (补链): in its year no local firm but its own builders was there"
    )
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)


class ProjectList(OpenModel):
    """Projects sorted by year (undated last), then id."""

    model_config = _open({"items": [PROJECT_EXAMPLE], "total": 33, "limit": 50, "offset": 0})
    items: list[Project] = Field(description="The page of projects")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


class ProjectLink(OpenModel):
    """One of the project's BUILT_BY (firm), PROJECT_IN (segment) or SITED_IN (district) links."""

    kind: str = Field(description="`BUILT_BY`, `PROJECT_IN` or `SITED_IN`")
    target: str = Field(description="The firm, segment or district id")
    sources: list[str] = Field(description="Ids of the sources behind the link")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description="Remarks on the link from the data; empty when none")


class ProjectDetail(Project):
    """One project with its links (each with sources) and the sources cited."""

    model_config = _open(
        {
            **PROJECT_EXAMPLE,
            "description": "溧阳 江苏中关村科技产业园",
            "links": [
                {
                    "kind": "BUILT_BY",
                    "target": "catl-jiangsu",
                    "sources": ["t55-catl-liyang", "s22-thepaper-2022"],
                    "confidence": "sourced",
                    "note": "T55 (weak) names 宁德时代; S22 (澎湃 2022, mirror), already cited for the project, dates"
                    " CATL's 溧阳 base to 2016. The local unit 江苏时代新能源 is the builder by the rule for"
                    " CATL's 溧阳 projects (README), not named by either page. Audit 2026-12-07 (14b): S22 added, as"
                    " T55 alone is weak",
                }
            ],
            "sources_ref": [
                {
                    "id": "t55-catl-liyang",
                    "title": "宁德时代长三角生产基地在溧阳开工",
                    "publisher": "(repost)",
                    "date": "2016",
                    "url": "http://li-b.cn/post/39725.html",
                    "doc_no": "",
                }
            ],
        }
    )
    description: str = Field(description="The project's description from the data; empty when none")
    links: list[ProjectLink] = Field(description="Its BUILT_BY, PROJECT_IN and SITED_IN links, each with its sources")
    sources_ref: list[SourceRef] = Field(description="Every source cited by the project and its links")


# -- policies --------------------------------------------------------------------------

INSTRUMENT_EXAMPLE = {
    "kind": "reward",
    "description_zh": "对新认定国家制造业单项冠军企业给予奖励",
    "description_en": "Reward for a firm newly named national single champion",
    "amount": 200.0,
    "unit": "万元",
    "qualifier": "≤",
    "amount_text": "最高200万元",
    "tier_id": "tier-champion-firm",
    "sources": ["reply-2022-56"],
    "confidence": "sourced",
    "note": "",
}

POLICY_EXAMPLE = {
    "id": "pol-zjtx-rewards",
    "name_zh": "单项冠军与专精特新小巨人奖励政策",
    "name_en": "Rewards for single champions and 'little giants'",
    "issuer": "常州市",
    "date": None,
    "doc_no": "",
    "instruments": [INSTRUMENT_EXAMPLE],
    "targets": {
        "tiers": [
            {
                "id": "tier-champion-firm",
                "name_zh": "国家制造业单项冠军企业（示范企业）",
                "name_en": "National manufacturing single champion firm (demonstration firm)",
                "sources": ["reply-2022-56"],
            }
        ],
        "clusters": [],
        "segments": [],
    },
    "sources": ["reply-2022-56"],
    "confidence": "sourced",
    "note": ("The reply's 政策聚力引导 (2022); the document these rewards are in is not named, nor its date"),
}


class Instrument(OpenModel):
    """A policy instrument: a reward, subsidy, fund, tax refund or service, with its amount as published."""

    kind: str = Field(description="e.g. `reward`, `subsidy`, `fund`, `tax_reward`, `service`")
    description_zh: str = Field(description="What the instrument gives, in Chinese")
    description_en: str = Field(description="The same in English; empty when the data give none")
    amount: float | None = Field(default=None, description="In `unit`; null when not given")
    unit: str = Field(description="e.g. `万元`, `亿元`; empty when no amount")
    qualifier: str = Field(description=QUALIFIER)
    tier_id: str | None = Field(default=None, description="The tier it is for; null when it is for any")
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)
    amount_text: str = Field(description="The amount in Chinese, e.g. `最高200万元`; empty when none")


class PolicyTargetRef(OpenModel):
    """A tier or cluster a policy targets, with the sources that say so."""

    id: str = Field(description="Tier or cluster id")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    sources: list[str] = Field(description="Ids of the sources that say the policy targets it")


class TargetedSegment(SegmentInCluster):
    """A segment a policy targets, with the sources that say so."""

    sources: list[str] = Field(description="Ids of the sources that say the policy targets it")


class PolicyTargets(OpenModel):
    """What a policy targets."""

    tiers: list[PolicyTargetRef] = Field(description="Tiers it targets (TARGETS_TIER)")
    clusters: list[PolicyTargetRef] = Field(description="Clusters it targets as a whole (TARGETS_CLUSTER)")
    segments: list[TargetedSegment] = Field(description="Segments it targets (TARGETS_SEGMENT)")


class Policy(OpenModel):
    """A policy with its instruments (amounts written out) and what it targets: tiers, clusters, segments."""

    model_config = _open(POLICY_EXAMPLE)
    id: str = Field(description="Policy id, e.g. `pol-zjtx-rewards`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    issuer: str = Field(description="Who issued it, e.g. 常州市; empty when unknown")
    date: str | None = Field(description="Date issued: `YYYY`, `YYYY-MM` or `YYYY-MM-DD`; null when unknown")
    doc_no: str = Field(description="Document number (文号); empty when none")
    instruments: list[Instrument] = Field(
        description="Its instruments (rewards, subsidies, funds ...), amounts as published"
    )
    targets: PolicyTargets = Field(description="What it targets: tiers, clusters, segments")
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)


class PolicyList(OpenModel):
    """Policies sorted by id."""

    model_config = _open({"items": [POLICY_EXAMPLE], "total": 11, "limit": 50, "offset": 0})
    items: list[Policy] = Field(description="The page of policies")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


class PolicyDetail(Policy):
    """One policy with the gaps it targets, the gaps of the clusters it targets and the holders of its tiers."""

    model_config = _open(
        {
            **POLICY_EXAMPLE,
            "targeted_gaps": [],
            "cluster_gaps": {},
            "tier_holders": {"tier-champion-firm": 12},
            "description": (
                "对新认定国家制造业单项冠军企业、国家专精特新“小巨人”企业、省级专精特新"
                "小巨人企业分别给予最高200万元、100万元、50万元奖励；税收增量地方贡献全"
                "额奖励；技改项目参照重大项目设备投入奖励政策扶持"
            ),
            "sources_ref": [
                {
                    "id": "reply-2022-56",
                    "title": "关于对常州市十七届人大一次会议代表建议第104号的答复",
                    "publisher": "常州市工业和信息化局",
                    "date": "2022",
                    "url": "",
                    "doc_no": "常工信复〔2022〕第56号",
                }
            ],
        }
    )
    description: str = Field(description="The policy's content as the data give it; empty when none")
    targeted_gaps: list[GapItem] = Field(description="Gaps in the segments it targets (or below them)")
    cluster_gaps: dict[str, int] = Field(description="Cluster id → gap count, for each cluster it targets as a whole")
    tier_holders: dict[str, int] = Field(description="Tier id → firms holding it, for each tier it targets")
    sources_ref: list[SourceRef] = Field(description="Every source cited by the policy, its targets and instruments")


# -- tiers -----------------------------------------------------------------------------

TIER_EXAMPLE = {
    "id": "tier-champion-firm",
    "name_zh": "国家制造业单项冠军企业（示范企业）",
    "name_en": "National manufacturing single champion firm (demonstration firm)",
    "level": "national",
    "category": "champion_firm",
    "issuer": "工业和信息化部",
    "holder_count": 12,
    "local_holder_count": 12,
    "undated_holder_count": 8,
    "batches": [{"batch": 6, "year": 2021}, {"batch": 8, "year": 2024}],
    "sources": ["reply-2022-56", "s56-xingyu-2021-11"],
    "confidence": "sourced",
    "note": (
        "Changzhou: 24 by 2021, #1 in Jiangsu (S12); the 6th batch (2021-11) named"
        " 3 demonstration firms and 4 products, 数量位居全省第一 (T80); an undated"
        " report gives 32 (S54). Firms a source calls 单项冠军 without saying "
        "产品 are linked here, with a note"
    ),
}


class TierBatch(OpenModel):
    """A batch (批次) of a tier seen in the data."""

    batch: int = Field(description="The batch number (批次)")
    year: int | None = Field(default=None, description="Null when no holder of the batch gives a year")


class Tier(OpenModel):
    """A tier (梯度: 单项冠军, 专精特新“小巨人”, 专精特新) with how many firms hold it and the batches seen."""

    model_config = _open(TIER_EXAMPLE)
    id: str = Field(description="Tier id, e.g. `tier-champion-firm`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    level: Literal["national", "provincial", "city"] = Field(description="`national`, `provincial` or `city`")
    category: str = Field(description=TIER_CATEGORY)
    issuer: str = Field(description="Who names the holders; empty when unknown")
    holder_count: int = Field(description="Firms holding it as of `year`; a holding with no year counts in every year")
    local_holder_count: int = Field(description="Of `holder_count`, the firms in Changzhou")
    undated_holder_count: int = Field(
        description=(
            "Of `holder_count`, the firms whose holding gives no year: counted in every `year`, "
            "since nothing says they were named later"
        )
    )
    batches: list[TierBatch] = Field(
        description="The batches (批次) its holders were named in, with their year, by batch"
    )
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)


class TierList(OpenModel):
    """Tiers, national first."""

    model_config = _open({"items": [TIER_EXAMPLE], "total": 7})
    items: list[Tier] = Field(description="The tiers, national first")
    total: int = Field(description=TOTAL_UNPAGED)


class TierHolder(FirmRef):
    """A firm holding the tier, with the year and batch it was named in."""

    is_local: bool | None = Field(default=None, description="In Changzhou; null for a firm not in the data")
    district_id: str | None = Field(default=None, description="Its district; null when unknown")
    year: int | None = Field(default=None, description="Year named; null when unknown")
    batch: int | None = Field(default=None, description="Batch (批次); null when unknown")
    sources: list[str] = Field(description="Ids of the sources that name the firm a holder (HOLDS_TIER)")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description="Remarks on the holding from the data; empty when none")


class TierPolicy(OpenModel):
    """A policy aimed at the tier, with the instruments that apply to it."""

    id: str = Field(description="Policy id (see /api/v1/policies/{id})")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    instruments: list[Instrument] = Field(description="Its instruments for this tier or for any tier")


class TierDetail(Tier):
    """One tier with its holders (the year and batch each was named in) and the policies aimed at it."""

    model_config = _open(
        {
            **TIER_EXAMPLE,
            "holders": [
                {
                    "id": "xingyu",
                    "name_zh": "常州星宇车灯股份有限公司",
                    "name_en": "Changzhou Xingyu Automotive Lighting Systems",
                    "is_local": True,
                    "district_id": "xinbei",
                    "year": 2021,
                    "batch": 6,
                    "sources": ["s56-xingyu-2021-11"],
                    "confidence": "sourced",
                    "note": "国家级“制造业单项冠军示范企业” (2021-11)",
                }
            ],
            "policies": [
                {
                    "id": "pol-zjtx-rewards",
                    "name_zh": "单项冠军与专精特新小巨人奖励政策",
                    "name_en": "Rewards for single champions and 'little giants'",
                    "instruments": [INSTRUMENT_EXAMPLE],
                }
            ],
            "description": "制造业单项冠军示范企业 / 单项冠军企业",
            "sources_ref": [
                {
                    "id": "s56-xingyu-2021-11",
                    "title": "星宇车灯荣获国家级“制造业单项冠军示范企业”称号",
                    "publisher": "常州国家高新区投资促进",
                    "date": "2021-11-11",
                    "url": "https://cznd.investchn.com/news/detail/id/218887.html",
                    "doc_no": "",
                }
            ],
        }
    )
    description: str = Field(description="The tier's description from the data; empty when none")
    holders: list[TierHolder] = Field(description="By year named (undated last)")
    policies: list[TierPolicy] = Field(description="Policies aimed at the tier, with their instruments for it")
    sources_ref: list[SourceRef] = Field(description="Every source cited by the tier and its holdings")


# -- platforms -------------------------------------------------------------------------

PLATFORM_EXAMPLE = {
    "id": "plat-catl-liyang-lighthouse",
    "name_zh": "江苏时代新能源溧阳灯塔工厂",
    "name_en": "CATL Liyang lighthouse factory",
    "category": "lighthouse_factory",
    "year": None,
    "description": "宁德时代溧阳基地",
    "firms": [
        {"id": "catl-jiangsu", "name_zh": "江苏时代新能源科技有限公司", "name_en": "CATL (Jiangsu)", "year": None}
    ],
    "sources": ["s20-kjj-2024-02"],
    "confidence": "sourced",
    "note": ("S20 (2024-02) calls the 溧阳 base a 灯塔工厂; the year of the title is not given"),
}


class PlatformFirm(FirmRef):
    """A firm that runs the platform (RUNS)."""

    year: int | None = Field(default=None, description="Year it started running it; null when unknown")


class Platform(OpenModel):
    """A 智改数转 platform (lighthouse factory, industrial-internet platform, smart factory) and who runs it."""

    model_config = _open(PLATFORM_EXAMPLE)
    id: str = Field(description="Platform id, e.g. `plat-catl-liyang-lighthouse`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    category: PlatformCategory = Field(description=PLATFORM_CATEGORY)
    year: int | None = Field(default=None, description="Year of the title; null when unknown")
    description: str = Field(description="The platform's description from the data; empty when none")
    firms: list[PlatformFirm] = Field(description="Firms that run it (RUNS)")
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)


class PlatformList(OpenModel):
    model_config = _open({"items": [PLATFORM_EXAMPLE], "total": 4})
    items: list[Platform] = Field(description="The platforms")
    total: int = Field(description=TOTAL_UNPAGED)


class PlatformRunner(PlatformFirm):
    """A firm that runs the platform, with where it is and the sources of the RUNS link."""

    is_local: bool | None = Field(default=None, description="In Changzhou; null for a firm not in the data")
    district_id: str | None = Field(default=None, description="Its district (see /api/v1/districts); null when unknown")
    sources: list[str] = Field(description="Ids of the sources that say it runs the platform")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description="Remarks on the RUNS link from the data; empty when none")


CATL_SOURCE_REF = {
    "id": "s20-kjj-2024-02",
    "title": "长三角一体化 / C919 / 宁德时代溧阳",
    "title_en": "Yangtze River Delta integration / C919 / CATL Liyang",
    "publisher": "常州市科学技术局",
    "date": "2024-02-13",
    "url": "http://kjj.changzhou.gov.cn/html/kjj/2024/MHFDIKKN_0213/44131.html",
    "doc_no": "",
    "reliability": "official",
}


class PlatformDetail(Platform):
    """One platform with the firms that run it (each with its district and the sources of the link)."""

    model_config = _open(
        {
            **PLATFORM_EXAMPLE,
            "firms": [
                {
                    "id": "catl-jiangsu",
                    "name_zh": "江苏时代新能源科技有限公司",
                    "name_en": "CATL (Jiangsu)",
                    "year": None,
                    "is_local": True,
                    "district_id": "liyang",
                    "sources": ["s20-kjj-2024-02"],
                    "confidence": "sourced",
                    "note": "",
                }
            ],
            "sources_ref": [CATL_SOURCE_REF],
        }
    )
    firms: list[PlatformRunner] = Field(  # type: ignore[assignment]
        description="Firms that run it, each with its district and the sources of the RUNS link"
    )
    sources_ref: list[SourceRef] = Field(description="Every source cited by the platform and its RUNS links")


# -- districts -------------------------------------------------------------------------

DISTRICT_EXAMPLE = {
    "id": "liyang",
    "name_zh": "溧阳市",
    "name_en": "Liyang (county-level city)",
    "parent_id": None,
    "local_firm_count": 16,
    "project_count": 5,
    "platform_count": 1,
    "sources": ["s52-xiaojuren-2022-08"],
    "confidence": "sourced",
    "note": "",
}


class District(OpenModel):
    """A district (区/县级市) of Changzhou, or a park within one: the ids the `district` filters take."""

    model_config = _open(DISTRICT_EXAMPLE)
    id: str = Field(description="The id `district=` takes on /api/v1/firms and /api/v1/projects")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    parent_id: str | None = Field(default=None, description="For a park, the district it is in; null for a district")
    local_firm_count: int = Field(
        description="Local firms sited in it: the `total` of /api/v1/firms?district=ID&local=true"
    )
    project_count: int = Field(
        description="Projects sited in it or in a park within it: the `total` of /api/v1/projects?district=ID"
    )
    platform_count: int = Field(
        description="智改数转 platforms run by firms sited in it (a platform records no site of its own)"
    )
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)


class DistrictList(OpenModel):
    """Districts sorted by id."""

    model_config = _open({"items": [DISTRICT_EXAMPLE], "total": 7, "limit": 50, "offset": 0})
    items: list[District] = Field(description="The page of districts")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


class DistrictFirm(FirmRef):
    """A firm sited in the district, with the sources of its LOCATED_IN link."""

    is_local: bool = Field(description="In Changzhou")
    is_anchor: bool = Field(description="An anchor firm (链主) of at least one cluster, as /api/v1/firms says")
    anchor_of: list[str] = Field(description="The ids of the clusters it anchors, sorted; empty when none")
    sources: list[str] = Field(description="Ids of the sources that place it in the district")
    confidence: FactConfidence = Field(description=CONFIDENCE)


class DistrictProject(OpenModel):
    """A project sited in the district (or a park within it), with the sources of its SITED_IN links."""

    id: str = Field(description="Project id (see /api/v1/projects/{id})")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    year: int | None = Field(description="Year started (开工), or signed when not started; null when unknown")
    status: ProjectStatus = Field(description=PROJECT_STATUS)
    investment_text: str = Field(description="The investment in Chinese, e.g. `约150亿元`; empty when none")
    districts: list[str] = Field(description="The district or parks it is sited in")
    sources: list[str] = Field(description="Ids of the sources that site it there")
    confidence: FactConfidence = Field(description=CONFIDENCE + " (of the SITED_IN link; `sourced` when one link is)")


class DistrictPlatform(OpenModel):
    """A platform run by firms sited in the district."""

    id: str = Field(description="Platform id (see /api/v1/platforms)")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    category: PlatformCategory = Field(description=PLATFORM_CATEGORY)
    firms: list[str] = Field(description="The ids of the district's firms that run it")
    sources: list[str] = Field(description="Ids of the sources that say they run it")
    confidence: FactConfidence = Field(description=CONFIDENCE)


class DistrictDetail(District):
    """One district with its firms, projects and platforms, and every source cited."""

    model_config = _open(
        {
            **DISTRICT_EXAMPLE,
            "parent": None,
            "sub_districts": [],
            "firms": [
                {
                    "id": "catl-jiangsu",
                    "name_zh": "江苏时代新能源科技有限公司",
                    "name_en": "CATL (Jiangsu)",
                    "is_local": True,
                    "is_anchor": True,
                    "anchor_of": ["nev"],
                    "sources": ["s20-kjj-2024-02"],
                    "confidence": "sourced",
                }
            ],
            "projects": [
                {
                    "id": "prj-catl-liyang-1",
                    "name_zh": "宁德时代长三角生产基地（一期）",
                    "name_en": "CATL Yangtze River Delta production base (phase I)",
                    "year": 2016,
                    "status": "started",
                    "investment_text": "100亿元",
                    "districts": ["liyang"],
                    "sources": ["s22-thepaper-2022", "t55-catl-liyang"],
                    "confidence": "sourced",
                }
            ],
            "platforms": [
                {
                    "id": "plat-catl-liyang-lighthouse",
                    "name_zh": "江苏时代新能源溧阳灯塔工厂",
                    "name_en": "CATL Liyang lighthouse factory",
                    "category": "lighthouse_factory",
                    "firms": ["catl-jiangsu"],
                    "sources": ["s20-kjj-2024-02"],
                    "confidence": "sourced",
                }
            ],
            "sources_ref": [
                CATL_SOURCE_REF,
                {
                    "id": "s52-xiaojuren-2022-08",
                    "title": "常州53家企业入选专精特新“小巨人” 四批总量达81家",
                    "title_en": (
                        "53 Changzhou firms selected as specialised, refined, distinctive and innovative "
                        "'little giants', bringing the four-batch total to 81"
                    ),
                    "publisher": "常州市人民政府 (zg.changzhou.gov.cn)",
                    "date": "2022-08-16",
                    "url": "http://zg.changzhou.gov.cn/html/czzg/2022/CIBLKPQE_0816/57113.html",
                    "doc_no": "",
                    "reliability": "official",
                },
            ],
        }
    )
    parent: DistrictRef | None = Field(default=None, description="For a park, the district it is in; else null")
    sub_districts: list[DistrictRef] = Field(description="The parks within it, sorted by id")
    firms: list[DistrictFirm] = Field(description="Firms whose district it is (as /api/v1/firms?district=ID), by id")
    projects: list[DistrictProject] = Field(description="Projects sited in it or a park within it, by year")
    platforms: list[DistrictPlatform] = Field(description="Platforms its firms run, by id")
    sources_ref: list[SourceRef] = Field(
        description="Every source cited by the district and by the links listed (LOCATED_IN, SITED_IN, RUNS)"
    )


# -- completeness ----------------------------------------------------------------------

COMPLETENESS_EXAMPLE = COMPLETENESS_ROUTE_EXAMPLE  # the route's example, every count matching its lists


class CompletenessScope(OpenModel):
    """The segments counted."""

    segments: list[str] = Field(description="Segment ids counted (those asked for, with every segment below them)")
    segments_total: int = Field(description="How many segments are counted")
    whole_cluster: bool = Field(description="No `segments` were asked for: the whole chain counts")


class CompletenessShare(OpenModel):
    """The share of the segments counted that have local presence."""

    share: float = Field(description="`segments_present` / `segments_total` (0–1)")
    segments_present: int = Field(
        description="Segments counted with a local firm (or below it) or a started or completed project"
    )
    segments_total: int = Field(description="Segments counted")
    missing: list[str] = Field(description="Segments without local presence")


class CompletenessYear(OpenModel):
    model_config = _open()
    year: int = Field(description="The as-of year")
    share: float = Field(description="`segments_present` / `segments_total` (0–1) as of the year")
    segments_present: int = Field(description="Segments with local presence as of the year")
    segments_total: int = Field(description="Segments counted")
    added: list[str] = Field(description="Segments present this year and not the year before")
    missing: list[str] = Field(description="Segments without local presence that year")


class PublishedFigure(FigureFields):
    """A published completeness figure, beside the share computed over its scope and what explains the gap."""

    computed: CompletenessShare = Field(description="The share this data gives for the figure's scope and year")
    difference_pp: float | None = Field(
        default=None, description="Computed minus published, in percentage points; null when the unit is not %"
    )
    note_zh: str = Field(
        description=(
            "What this row says of its own: the figures, and the missing segments (first row of a metric and scope)"
            " or what changed since the previous row; what every row shares is `published_note_zh`"
        )
    )
    note_en: str = Field(description="`note_zh` in English")


class Completeness(OpenModel):
    """A chain's completeness per year, beside the published completeness figures and what explains the gap."""

    model_config = _open(COMPLETENESS_EXAMPLE)
    cluster_id: str = Field(description="Cluster id, e.g. `nev`")
    scope: CompletenessScope = Field(description="The segments counted")
    current: CompletenessShare = Field(description="With every fact, dated or not")
    years: list[CompletenessYear] = Field(description="The share as of each year, earliest first")
    published: list[PublishedFigure] = Field(
        description="The published completeness figures (产业链完整度), each beside the share computed for its scope"
    )
    undated_share: float = Field(description="Share of the scope's local firm–segment facts that carry no year")
    published_note_zh: str = Field(
        description=(
            "What explains the difference for every published row, given once: how this data counts, why it"
            " differs from the published figures, and whether most facts carry no year; empty without published"
            " figures"
        ),
    )
    published_note_en: str = Field(description="`published_note_zh` in English")
    note_zh: str = Field(description="How completeness is counted, in Chinese")
    note_en: str = Field(description="How completeness is counted, in English")
