"""The node and edge model of the chain graph.

Node kinds are Cluster, Segment (产业链环节), Firm, District and Source. Edge kinds
are PART_OF (segment → cluster), SUPPLIES (segment → segment), OPERATES_IN
(firm → segment, with a role), LOCATED_IN (firm → district), SUBSIDIARY_OF
(firm → firm) and SUPPLIES_TO (firm → firm).

Further layers (``docs/projects-tiers-policies.md``): Project (重大项目: BUILT_BY
firm, PROJECT_IN segment, SITED_IN district), Tier (单项冠军 / 专精特新 titles:
HOLDS_TIER firm → tier, with the ``year`` and ``batch`` it was named), Policy
(with its instruments: TARGETS_TIER, TARGETS_CLUSTER, TARGETS_SEGMENT) and
Platform (智改数转 lighthouse factories and industrial-internet platforms: RUNS
firm → platform).

Every node and edge carries ``sources`` (ids of Source nodes) and a
``confidence``: ``sourced`` when a source states the fact, ``unverified`` when
it is general knowledge waiting for a source.

Examples
--------
>>> seg = Segment(id="nev-cell", name_zh="电芯", cluster_id="nev", position="midstream",
...               sources=("reply-2022",))
>>> seg.kind
'Segment'
>>> Edge(kind="OPERATES_IN", source="catl", target="nev-cell", role="anchor",
...      sources=("reply-2022",)).key
('OPERATES_IN', 'catl', 'nev-cell')
"""

from __future__ import annotations

import re
from enum import StrEnum
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9._-]{0,79}$")
"""Ids are stable, lower-case ASCII: letters, digits, ``.``, ``_`` and ``-``."""

DATE_PATTERN = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")


class Confidence(StrEnum):
    """How well a fact is backed."""

    SOURCED = "sourced"
    UNVERIFIED = "unverified"


class Position(StrEnum):
    """Where a segment sits in its chain."""

    UPSTREAM = "upstream"
    MIDSTREAM = "midstream"
    DOWNSTREAM = "downstream"
    SUPPORT = "support"


POSITION_ORDER = {
    Position.UPSTREAM: 0,
    Position.MIDSTREAM: 1,
    Position.DOWNSTREAM: 2,
    Position.SUPPORT: 3,
}


class Role(StrEnum):
    """A firm's role in a segment."""

    ANCHOR = "anchor"
    MAJOR = "major"
    MEMBER = "member"


class NodeKind(StrEnum):
    CLUSTER = "Cluster"
    SEGMENT = "Segment"
    FIRM = "Firm"
    DISTRICT = "District"
    SOURCE = "Source"
    PROJECT = "Project"
    POLICY = "Policy"
    TIER = "Tier"
    PLATFORM = "Platform"


class EdgeKind(StrEnum):
    PART_OF = "PART_OF"
    SUPPLIES = "SUPPLIES"
    OPERATES_IN = "OPERATES_IN"
    LOCATED_IN = "LOCATED_IN"
    SUBSIDIARY_OF = "SUBSIDIARY_OF"
    SUPPLIES_TO = "SUPPLIES_TO"
    BUILT_BY = "BUILT_BY"
    PROJECT_IN = "PROJECT_IN"
    SITED_IN = "SITED_IN"
    HOLDS_TIER = "HOLDS_TIER"
    TARGETS_TIER = "TARGETS_TIER"
    TARGETS_CLUSTER = "TARGETS_CLUSTER"
    TARGETS_SEGMENT = "TARGETS_SEGMENT"
    RUNS = "RUNS"


EDGE_ENDPOINTS: dict[EdgeKind, tuple[NodeKind, NodeKind]] = {
    EdgeKind.PART_OF: (NodeKind.SEGMENT, NodeKind.CLUSTER),
    EdgeKind.SUPPLIES: (NodeKind.SEGMENT, NodeKind.SEGMENT),
    EdgeKind.OPERATES_IN: (NodeKind.FIRM, NodeKind.SEGMENT),
    EdgeKind.LOCATED_IN: (NodeKind.FIRM, NodeKind.DISTRICT),
    EdgeKind.SUBSIDIARY_OF: (NodeKind.FIRM, NodeKind.FIRM),
    EdgeKind.SUPPLIES_TO: (NodeKind.FIRM, NodeKind.FIRM),
    EdgeKind.BUILT_BY: (NodeKind.PROJECT, NodeKind.FIRM),
    EdgeKind.PROJECT_IN: (NodeKind.PROJECT, NodeKind.SEGMENT),
    EdgeKind.SITED_IN: (NodeKind.PROJECT, NodeKind.DISTRICT),
    EdgeKind.HOLDS_TIER: (NodeKind.FIRM, NodeKind.TIER),
    EdgeKind.TARGETS_TIER: (NodeKind.POLICY, NodeKind.TIER),
    EdgeKind.TARGETS_CLUSTER: (NodeKind.POLICY, NodeKind.CLUSTER),
    EdgeKind.TARGETS_SEGMENT: (NodeKind.POLICY, NodeKind.SEGMENT),
    EdgeKind.RUNS: (NodeKind.FIRM, NodeKind.PLATFORM),
}
"""The (source kind, target kind) each edge kind joins."""

TARGET_KINDS = (EdgeKind.TARGETS_TIER, EdgeKind.TARGETS_CLUSTER, EdgeKind.TARGETS_SEGMENT)
"""What a policy can target: a tier, a whole cluster or a segment (a link of a chain)."""

KNOWN_TAGS = (
    "链主",
    "单项冠军",
    "专精特新小巨人",
    "省专精特新",
    "市专精特新",
    "listed",
    "head-firm",
    "foreign-invested",
    "soe",
)
"""Tags with a documented meaning; other tags are allowed but should be rare."""

_Sources = Annotated[tuple[str, ...], Field(default=())]

Qualifier = Literal[">", "≥", "≈", "≲", "=", "<", "≤"]
"""How a published amount reads: 超 ``>``, 以上 ``≥``, 约 ``≈``, 近 ``≲`` (nearly, just under), ``=``, 不足 ``<``,
最高/不超过 ``≤``."""


def _check_date(value: str) -> str:
    if value and not DATE_PATTERN.match(value):
        raise ValueError("dates are YYYY, YYYY-MM or YYYY-MM-DD")
    return value


class _Base(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    sources: _Sources
    confidence: Confidence = Confidence.SOURCED
    note: str = ""

    @model_validator(mode="after")
    def _sourced_needs_source(self) -> _Base:
        if self.confidence is Confidence.SOURCED and not self.sources and not isinstance(self, Source):
            raise ValueError("a 'sourced' fact needs at least one source id; mark it 'unverified' otherwise")
        return self


class _Node(_Base):
    id: str
    name_zh: str = Field(min_length=1)
    name_en: str = ""

    @field_validator("id")
    @classmethod
    def _check_id(cls, value: str) -> str:
        if not ID_PATTERN.match(value):
            raise ValueError(
                "ids are lower-case ASCII letters, digits, '.', '_' or '-', starting with a letter or digit"
            )
        return value

    @property
    def kind(self) -> str:
        return type(self).__name__

    @property
    def label(self) -> str:
        """``name_zh (name_en)``, or just ``name_zh``."""
        return f"{self.name_zh} ({self.name_en})" if self.name_en else self.name_zh


class Figure(BaseModel):
    """A published figure for a cluster in one year, e.g. 2021 output over 1300亿元.

    ``qualifier`` keeps the source's wording: ``>`` (超), ``≈`` (约), ``≲`` (近: nearly, just under), ``=``,
    ``<`` (不足).

    >>> Figure(year=2025, metric="output", value=5000, unit="亿元", qualifier="≲", sources=("s",)).qualifier
    '≲'
    """

    model_config = ConfigDict(frozen=True, extra="forbid")

    year: int = Field(ge=1990, le=2100)
    metric: str
    value: float
    unit: str
    qualifier: Literal[">", "≈", "≲", "=", "<"] = "="
    period: str = "full-year"
    sources: tuple[str, ...] = Field(min_length=1)
    confidence: Confidence = Confidence.SOURCED
    note: str = ""
    scope: tuple[str, ...] = ()
    """Ids of the segments (each with its sub-segments) the figure covers when it covers part of the
    cluster only, e.g. the battery chain within NEV; empty for the whole cluster."""


class Listing(BaseModel):
    """A cluster's place in one published version of the ten-cluster list."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    list_year: int
    name_as_published: str
    sources: tuple[str, ...] = Field(min_length=1)
    confidence: Confidence = Confidence.SOURCED
    note: str = ""


class Designation(BaseModel):
    """A national or provincial title a cluster holds (称号), with the sources that back it.

    ``name_zh`` is the title as the data gives it, e.g. ``国家先进制造业集群：常州市新型碳材料集群（2021）``;
    ``year`` is the year it was awarded, when a source gives it.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    name_zh: str = Field(min_length=1)
    name_en: str = ""
    year: int | None = Field(default=None, ge=1990, le=2100)
    sources: tuple[str, ...] = ()
    confidence: Confidence = Confidence.SOURCED
    note: str = ""

    @model_validator(mode="after")
    def _sourced_needs_source(self) -> Designation:
        if self.confidence is Confidence.SOURCED and not self.sources:
            raise ValueError("a 'sourced' designation needs at least one source id; mark it 'unverified' otherwise")
        return self


LEGACY_DESIGNATION_NOTE = (
    "Given as a plain title (the designations column of clusters.csv): cites the cluster's sources, "
    "not checked to back this title; give it a row of cluster_designations.csv"
)
"""The note on a designation given as a plain title (the old ``designations`` column), not as its own row."""


def _title_of(item: object) -> object:
    """The ``name_zh`` of a designation or of its dict."""
    if isinstance(item, Designation):
        return item.name_zh
    return item.get("name_zh") if isinstance(item, dict) else None


def legacy_designations(names: object, sources: object, given: tuple[object, ...] = ()) -> tuple[Designation, ...]:
    """Designations for plain titles, citing the cluster's ``sources``, marked ``unverified``.

    Titles already among ``given`` (designations or their dicts) are left out: a title's own row wins.

    >>> [(d.name_zh, d.sources, d.confidence.value) for d in legacy_designations(["国家级集群"], ("s1",))]
    [('国家级集群', ('s1',), 'unverified')]
    >>> legacy_designations(["甲"], (), given=({"name_zh": "甲", "sources": ["s2"]},))
    ()
    """
    if isinstance(names, str):
        names = [names]
    known = {_title_of(item) for item in given}
    cited = tuple(sources) if isinstance(sources, list | tuple) else ()
    out = []
    for name in names if isinstance(names, list | tuple) else ():
        title = str(name).strip()
        if title and title not in known:
            known.add(title)
            out.append(
                Designation(
                    name_zh=title,
                    sources=cited,
                    confidence=Confidence.UNVERIFIED,
                    note=LEGACY_DESIGNATION_NOTE,
                )
            )
    return tuple(out)


class Cluster(_Node):
    """One of Changzhou's advanced-manufacturing clusters (先进制造业集群).

    ``designation_items`` are its national or provincial titles, each with its own sources. The
    old form, ``designations`` as plain titles, is still accepted on input (a dataset folder's
    ``clusters.csv`` column, an older JSON export or Neo4j database): each title becomes an
    ``unverified`` designation citing the cluster's sources (:func:`legacy_designations`).
    """

    designation_items: tuple[Designation, ...] = ()
    listings: tuple[Listing, ...] = ()
    figures: tuple[Figure, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _accept_plain_designations(cls, data: object) -> object:
        if not isinstance(data, dict) or "designations" not in data:
            return data
        data = dict(data)
        names = data.pop("designations")
        given = tuple(data.get("designation_items") or ())
        data["designation_items"] = given + legacy_designations(names, data.get("sources", ()), given)
        return data

    @property
    def designations(self) -> tuple[str, ...]:
        """The titles of :attr:`designation_items`, in order."""
        return tuple(item.name_zh for item in self.designation_items)

    @property
    def list_years(self) -> tuple[int, ...]:
        return tuple(sorted({item.list_year for item in self.listings}))


class Segment(_Node):
    """A link of a cluster's chain (产业链环节)."""

    cluster_id: str
    position: Position
    parent_id: str = ""
    description: str = ""
    local_base: str = ""
    """A Changzhou industrial base one of the segment's sources names for it (a 国家火炬特色产业基地, a town known
    for the product), in the source's words, while the data place none of its firms in this segment: a gap here
    may be a gap in the data (review 14a). Empty when the sources name none."""


class Firm(_Node):
    """A firm, in Changzhou (``is_local``) or outside it."""

    aliases: tuple[str, ...] = ()
    is_local: bool = True
    district_id: str = ""
    tags: tuple[str, ...] = ()
    hq: str = ""
    scale: str = ""


class District(_Node):
    """A district or county-level city of Changzhou, or a named park within one."""

    parent_id: str = ""


class Source(_Node):
    """A document that facts cite: title, publisher, date, and address or number."""

    publisher: str = ""
    date: str = ""
    url: str = ""
    doc_no: str = ""
    reliability: Literal["official", "news", "repost", "mirror", "weak", "company", "research"] = "official"

    @field_validator("date")
    @classmethod
    def _check_date(cls, value: str) -> str:
        if value and not DATE_PATTERN.match(value):
            raise ValueError("dates are YYYY, YYYY-MM or YYYY-MM-DD")
        return value


class ProjectStatus(StrEnum):
    """Where a project stood at the latest source."""

    PLANNED = "planned"  # 规划、拟建、宣布
    SIGNED = "signed"  # 签约
    STARTED = "started"  # 开工、奠基、在建
    COMPLETED = "completed"  # 竣工、投产、验收
    UNKNOWN = "unknown"


PRESENCE_STATUSES = frozenset({ProjectStatus.STARTED, ProjectStatus.COMPLETED})
"""Project statuses that count as local presence in the project's segments (from the project's year)."""


class Currency(StrEnum):
    CNY = "CNY"
    USD = "USD"


class Project(_Node):
    """A major project (重大项目): its investment, year, phase and status.

    ``investment_amount`` is in 亿 (10⁸) of ``investment_currency``: 3亿美元 is
    ``3`` ``USD``; ``investment_qualifier`` keeps the source's wording (``>`` for 超,
    ``≈`` for 约, ``≲`` for 近, ``≤`` for 不超过: :data:`Qualifier`). ``year`` is the year
    of the start (开工/奠基) or, for a project not started, of the signing. Its firm,
    segments and district are edges (BUILT_BY, PROJECT_IN, SITED_IN).
    """

    investment_amount: float | None = Field(default=None, ge=0)
    investment_currency: Currency = Currency.CNY
    investment_qualifier: Qualifier = "="
    year: int | None = Field(default=None, ge=1990, le=2100)
    date: str = ""
    phase: str = ""
    status: ProjectStatus = ProjectStatus.UNKNOWN
    capacity: str = ""
    description: str = ""

    @field_validator("date")
    @classmethod
    def _valid_date(cls, value: str) -> str:
        return _check_date(value)


class TierLevel(StrEnum):
    NATIONAL = "national"
    PROVINCIAL = "provincial"
    CITY = "city"


TIER_LEVEL_ORDER = {TierLevel.NATIONAL: 0, TierLevel.PROVINCIAL: 1, TierLevel.CITY: 2}


class TierCategory(StrEnum):
    """The kind of title: 单项冠军 (firm or product), 专精特新"小巨人", 专精特新 firm or product."""

    CHAMPION_FIRM = "champion_firm"
    CHAMPION_PRODUCT = "champion_product"
    LITTLE_GIANT = "little_giant"
    ZJTX = "zjtx"
    ZJTX_PRODUCT = "zjtx_product"


class Tier(_Node):
    """A rung of the tiered cultivation of firms (梯度培育): e.g. national 专精特新"小巨人".

    Firms hold a tier through HOLDS_TIER edges that carry the ``year`` and ``batch`` (批次)
    they were named in.
    """

    level: TierLevel
    category: TierCategory
    issuer: str = ""
    description: str = ""


class InstrumentKind(StrEnum):
    REWARD = "reward"  # 奖励
    SUBSIDY = "subsidy"  # 补贴
    FUND = "fund"  # 资金
    TAX_REWARD = "tax_reward"  # 税收贡献奖励
    SERVICE = "service"  # 服务（诊断、培育库）
    OTHER = "other"


class Instrument(BaseModel):
    """One instrument of a policy, e.g. a reward of at most 200万元 for a new 单项冠军.

    ``amount`` is in ``unit`` (e.g. 万元, 亿元) and ``qualifier`` keeps the source's wording
    (:data:`Qualifier`, e.g. ``≤`` for 最高, ``≲`` for 近); ``tier_id`` names the tier it is for, if any.
    """

    model_config = ConfigDict(frozen=True, extra="forbid", str_strip_whitespace=True)

    kind: InstrumentKind
    description_zh: str = Field(min_length=1)
    description_en: str = ""
    amount: float | None = Field(default=None, ge=0)
    unit: str = ""
    qualifier: Qualifier = "="
    tier_id: str = ""
    sources: tuple[str, ...] = Field(min_length=1)
    confidence: Confidence = Confidence.SOURCED
    note: str = ""


class Policy(_Node):
    """A policy or policy package (政策), with its instruments; TARGETS_* edges say what it targets."""

    issuer: str = ""
    date: str = ""
    doc_no: str = ""
    description: str = ""
    instruments: tuple[Instrument, ...] = ()

    @field_validator("date")
    @classmethod
    def _valid_date(cls, value: str) -> str:
        return _check_date(value)


class PlatformCategory(StrEnum):
    LIGHTHOUSE_FACTORY = "lighthouse_factory"  # 灯塔工厂
    INDUSTRIAL_INTERNET_PLATFORM = "industrial_internet_platform"  # 工业互联网平台
    SMART_FACTORY = "smart_factory"  # 智能工厂、数字化工厂、智能车间
    OTHER = "other"


class Platform(_Node):
    """A 智改数转 (digital-transformation) showcase or platform named by a source; firms RUN it."""

    category: PlatformCategory
    year: int | None = Field(default=None, ge=1990, le=2100)
    description: str = ""


Node = Cluster | Segment | Firm | District | Source | Project | Policy | Tier | Platform

NODE_CLASSES: dict[NodeKind, type[_Node]] = {
    NodeKind.CLUSTER: Cluster,
    NodeKind.SEGMENT: Segment,
    NodeKind.FIRM: Firm,
    NodeKind.DISTRICT: District,
    NodeKind.SOURCE: Source,
    NodeKind.PROJECT: Project,
    NodeKind.POLICY: Policy,
    NodeKind.TIER: Tier,
    NodeKind.PLATFORM: Platform,
}


class Edge(_Base):
    """A typed, sourced edge between two nodes."""

    kind: EdgeKind
    source: str
    target: str
    role: Role | None = None
    year: int | None = None
    batch: int | None = Field(default=None, ge=1, le=100)
    """The batch (批次) a firm was named in; HOLDS_TIER edges only."""

    @model_validator(mode="after")
    def _role_only_on_operates_in(self) -> Edge:
        if self.kind is EdgeKind.OPERATES_IN and self.role is None:
            raise ValueError("OPERATES_IN edges need a role: anchor, major or member")
        if self.kind is not EdgeKind.OPERATES_IN and self.role is not None:
            raise ValueError(f"{self.kind} edges take no role")
        if self.kind is not EdgeKind.HOLDS_TIER and self.batch is not None:
            raise ValueError(f"{self.kind} edges take no batch (only HOLDS_TIER does)")
        if self.source == self.target:
            raise ValueError("an edge cannot join a node to itself")
        return self

    @property
    def key(self) -> tuple[str, str, str]:
        """The identity of the edge: (kind, source, target)."""
        return (self.kind._value_, self.source, self.target)  # _value_: a plain attribute, .value a descriptor


def node_from_dict(data: dict[str, object]) -> Node:
    """Rebuild a node from :meth:`node_to_dict` output (``kind`` names the class).

    Examples
    --------
    >>> d = node_to_dict(District(id="wujin", name_zh="武进区", sources=("s1",)))
    >>> node_from_dict(d).name_zh
    '武进区'
    """
    payload = dict(data)
    kind = NodeKind(str(payload.pop("kind")))
    return NODE_CLASSES[kind].model_validate(payload)  # type: ignore[return-value]


def node_to_dict(node: Node) -> dict[str, object]:
    """Return a JSON-ready dict of a node, with its ``kind``."""
    return {"kind": node.kind, **node.model_dump(mode="json")}


def edge_to_dict(edge: Edge) -> dict[str, object]:
    """Return a JSON-ready dict of an edge."""
    return edge.model_dump(mode="json")
