"""Response models of the further layers: projects, policies, tiers, platforms and chain completeness.

Extra fields are allowed and shown in the examples (taken from the bundled data, shortened).
The definitions are in ``docs/projects-tiers-policies.md``.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict

from api.analysis_schemas import GAP_EXAMPLE

ProjectStatus = Literal["planned", "signed", "started", "completed", "unknown"]
PlatformCategory = Literal["lighthouse_factory", "industrial_internet_platform", "smart_factory", "other"]


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
    "note": "Groundbreaking 9月28日 (T55, undated); S22 dates the 溧阳 base to 2016.",
}


class Project(BaseModel):
    """A major project (重大项目): investment in 亿 of its currency, year, phase, status and its links."""

    model_config = _open(PROJECT_EXAMPLE)
    id: str
    name_zh: str
    name_en: str
    investment: dict[str, Any]
    investment_text: str
    year: int | None
    status: ProjectStatus
    firms: list[dict[str, Any]]
    segments: list[dict[str, Any]]
    districts: list[dict[str, Any]]
    fills_links: list[str]
    sources: list[str]


class ProjectList(BaseModel):
    """Projects sorted by year (undated last), then id."""

    model_config = _open({"items": [PROJECT_EXAMPLE], "total": 1, "limit": 50, "offset": 0})
    items: list[Project]
    total: int
    limit: int
    offset: int


class ProjectDetail(Project):
    """One project with its links (each with sources) and the sources cited."""

    model_config = _open(
        {
            **PROJECT_EXAMPLE,
            "description": "溧阳 江苏中关村科技产业园",
            "links": [
                {"kind": "BUILT_BY", "target": "catl-jiangsu", "sources": ["t55-catl-liyang"], "confidence": "sourced"}
            ],
            "sources_ref": [{"id": "t55-catl-liyang", "title": "宁德时代长三角生产基地在溧阳开工", "date": ""}],
        }
    )
    links: list[dict[str, Any]]
    sources_ref: list[dict[str, Any]]


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
            {"id": "tier-champion-firm", "name_zh": "国家制造业单项冠军企业（示范企业）", "sources": ["reply-2022-56"]}
        ],
        "clusters": [],
        "segments": [],
    },
    "sources": ["reply-2022-56"],
    "confidence": "sourced",
    "note": "",
}


class Policy(BaseModel):
    """A policy with its instruments (amounts written out) and what it targets: tiers, clusters, segments."""

    model_config = _open(POLICY_EXAMPLE)
    id: str
    name_zh: str
    name_en: str
    issuer: str
    date: str | None
    instruments: list[dict[str, Any]]
    targets: dict[str, list[dict[str, Any]]]
    sources: list[str]


class PolicyList(BaseModel):
    """Policies sorted by id."""

    model_config = _open({"items": [POLICY_EXAMPLE], "total": 1, "limit": 50, "offset": 0})
    items: list[Policy]
    total: int
    limit: int
    offset: int


TARGETED_GAP_EXAMPLE = {
    **GAP_EXAMPLE,
    "targeted_by": [
        {
            "id": "pol-wujin-nev-parts",
            "name_zh": "武进区加快构建新能源汽车零部件产业生态工作方案",
            "name_en": "",
            "via": "segment",
            "target": "nev-recycling",
        }
    ],
    "cluster_policies": [
        {"id": "pol-zgsz-action-plan", "name_zh": "常州市制造业“智改数转”转型行动计划", "name_en": ""}
    ],
}


class PolicyDetail(Policy):
    """One policy with the gaps it targets, the gaps of the clusters it targets and the holders of its tiers."""

    model_config = _open(
        {
            **POLICY_EXAMPLE,
            "targeted_gaps": [],
            "cluster_gaps": {},
            "tier_holders": {"tier-champion-firm": 12},
            "sources_ref": [{"id": "reply-2022-56", "title": "关于对常州市十七届人大一次会议代表建议第104号的答复"}],
        }
    )
    targeted_gaps: list[dict[str, Any]]
    cluster_gaps: dict[str, int]
    tier_holders: dict[str, int]
    sources_ref: list[dict[str, Any]]


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
    "batches": [{"batch": 6, "year": 2021}, {"batch": 8, "year": 2024}],
    "sources": ["reply-2022-56", "s56-xingyu-2021-11"],
    "confidence": "sourced",
    "note": "",
}


class Tier(BaseModel):
    """A tier (梯度: 单项冠军, 专精特新“小巨人”, 专精特新) with how many firms hold it and the batches seen."""

    model_config = _open(TIER_EXAMPLE)
    id: str
    name_zh: str
    name_en: str
    level: Literal["national", "provincial", "city"]
    category: str
    holder_count: int
    local_holder_count: int
    batches: list[dict[str, Any]]


class TierList(BaseModel):
    """Tiers, national first."""

    model_config = _open({"items": [TIER_EXAMPLE], "total": 1})
    items: list[Tier]
    total: int


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
                    "note": "",
                }
            ],
            "policies": [
                {
                    "id": "pol-zjtx-rewards",
                    "name_zh": "单项冠军与专精特新小巨人奖励政策",
                    "instruments": [INSTRUMENT_EXAMPLE],
                }
            ],
        }
    )
    holders: list[dict[str, Any]]
    policies: list[dict[str, Any]]
    sources_ref: list[dict[str, Any]]


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
    "note": "",
}


class Platform(BaseModel):
    """A 智改数转 platform (lighthouse factory, industrial-internet platform, smart factory) and who runs it."""

    model_config = _open(PLATFORM_EXAMPLE)
    id: str
    name_zh: str
    category: PlatformCategory
    firms: list[dict[str, Any]]
    sources: list[str]


class PlatformList(BaseModel):
    model_config = _open({"items": [PLATFORM_EXAMPLE], "total": 1})
    items: list[Platform]
    total: int


# -- completeness ----------------------------------------------------------------------

COMPLETENESS_EXAMPLE = {
    "cluster_id": "nev",
    "scope": {"segments": ["nev-anode", "nev-auto-chips"], "segments_total": 29, "whole_cluster": True},
    "current": {"share": 0.689655, "segments_present": 20, "segments_total": 29, "missing": ["nev-thermal"]},
    "years": [
        {
            "year": 2024,
            "share": 0.655172,
            "segments_present": 19,
            "segments_total": 29,
            "added": [],
            "missing": ["nev-recycling"],
        },
        {
            "year": 2025,
            "share": 0.689655,
            "segments_present": 20,
            "segments_total": 29,
            "added": ["nev-recycling"],
            "missing": ["nev-thermal"],
        },
    ],
    "published": [
        {
            "year": 2023,
            "metric": "battery_chain_completeness",
            "value": 97.0,
            "unit": "%",
            "scope": ["nev-lithium-resources", "nev-battery-materials", "nev-battery-cell"],
            "sources": ["c-s25-ourjiangsu-2023-06"],
            "computed": {
                "share": 0.615385,
                "segments_present": 8,
                "segments_total": 13,
                "missing": ["nev-lithium-resources"],
            },
            "difference_pp": -35.5,
            "note_zh": "公开数据 97%（2023 年）；按本数据 8/13 个环节……",
            "note_en": "Published 97% (2023); this data has local firms or started projects in 8 of 13 segments ...",
        }
    ],
    "undated_share": 0.978723,
    "note_zh": "完整度 = 有本地企业（含下级环节）或已开工/建成项目的环节数 ÷ 环节总数……",
    "note_en": "Completeness = segments with a local firm (sub-segments included) or a started project ...",
}


class CompletenessYear(BaseModel):
    model_config = _open()
    year: int
    share: float
    segments_present: int
    segments_total: int


class Completeness(BaseModel):
    """A chain's completeness per year, beside the published completeness figures and what explains the gap."""

    model_config = _open(COMPLETENESS_EXAMPLE)
    cluster_id: str
    years: list[CompletenessYear]
    published: list[dict[str, Any]]
    note_zh: str
    note_en: str
