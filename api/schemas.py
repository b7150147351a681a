"""Response models: the API's contract. Extra fields are allowed and documented by example.

Every field an endpoint returns is declared here (or in ``analysis_schemas`` and ``layer_schemas``):
``tests/test_openapi_complete.py`` calls each endpoint and fails on a key its schema does not name.
A field that is sometimes null is optional with a default; one that some answers leave out belongs to
a :class:`SparseModel`, which never adds it to an answer as its default.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, SerializerFunctionWrapHandler, model_serializer
from typing_extensions import TypeAliasType


class OpenModel(BaseModel):
    """A response model: extra fields are allowed (and kept in the answer).

    Every field is in every answer (a null one as null), so the response schema marks every field required,
    defaults and all: a client generated from it need not check for a key that is always there (review 15b:
    ``kinds_unverified`` and 12 more were typed ``X | Unset``).
    """

    model_config = ConfigDict(extra="allow", json_schema_serialization_defaults_required=True)


class SparseModel(OpenModel):
    """A response model some of whose fields are left out of some answers (optional, with a default).

    It answers with exactly the fields it was given: a documented field the endpoint left out stays out
    instead of coming back as its default, so declaring a field never changes a response. (Only these
    models pay for it: every field of an :class:`OpenModel` is in every answer.) Its fields with a default
    stay optional in the schema.
    """

    model_config = ConfigDict(json_schema_serialization_defaults_required=False)

    # No return annotation: the serialization schema stays the model's own (an annotation would replace it).
    @model_serializer(mode="wrap")
    def _leave_out_unset_fields(self, handler: SerializerFunctionWrapHandler):
        data = handler(self)
        if isinstance(data, dict):
            for name in type(self).model_fields.keys() - self.model_fields_set:
                data.pop(name, None)
        return data


CONFIDENCE = "How well the fact is backed: `sourced` (a source says so) or `unverified`"
FactConfidence = TypeAliasType("FactConfidence", Literal["sourced", "unverified"])
"""A fact's confidence (``graph.model.Confidence``): an enum, and a named one, so the OpenAPI document declares it
once (``components/schemas/FactConfidence``) and generated clients get one type, not Confidence1...39 (review 15b)."""
SegmentPosition = TypeAliasType("SegmentPosition", Literal["upstream", "midstream", "downstream", "support"])
"""Where a segment sits in its chain (``graph.model.Position``): a named enum, declared once."""
NAME_ZH = "Name in Chinese (中文名称)"
NAME_EN = "Name in English; empty when the data give none"
SOURCE_IDS = "Ids of the sources behind it"
NOTE = "Remarks from the data: context, caveats or conflicts between sources; empty when none"
TOTAL = "How many items match in all, before paging"
BINARY_CONTENT: dict[str, object] = {"schema": {"type": "string", "format": "binary"}}
"""A file answered as bytes (a workbook, a zip) in the OpenAPI document, so that generated clients type it."""
LIMIT = "The most items a page holds (`limit`)"
OFFSET = "How many matching items come before this page (`offset`)"
TOTAL_UNPAGED = "How many items (the list is not paged)"


# -- shared references ---------------------------------------------------------------------------


class SourceRef(OpenModel):
    """A source cited by an answer: its title, publisher, date, address and document number."""

    id: str = Field(description="Source id, e.g. `reply-2022-56`")
    title: str = Field(description="Title (in Chinese, as published)")
    title_en: str = Field(
        default="",
        description="Title in English: the title itself for an English source, else a translation where one is "
        "recorded; empty when none is",
    )
    publisher: str = Field(description="Who published it; empty when unknown")
    date: str = Field(description="`YYYY`, `YYYY-MM` or `YYYY-MM-DD`; empty when unknown")
    url: str = Field(description="Address; empty when none")
    doc_no: str = Field(description="Document number (文号); empty when none")
    reliability: str = Field(
        default="",
        description="What kind of source: `official`, `company`, `research`, `news`, or a weaker copy: `repost`, "
        "`mirror` (a copy on another host), `weak` (thin or garbled)",
    )


SOURCE_EXAMPLE = {
    "id": "s5-zhonglou-2024-04",
    "title": "钟楼区：一季度规模以上工业新质生产力开局良好",
    "title_en": (
        "Zhonglou District: new quality productive forces of industry above designated size off to a good start "
        "in the first quarter"
    ),
    "publisher": "钟楼区 (republished by 0519.com)",
    "date": "2024-04-28",
    "url": "https://www.0519.com/news/3971.html",
    "doc_no": "",
    "reliability": "repost",
    "note": "District-level list of ten clusters",
    "cited_by": {
        "nodes": 8,
        "edges": 4,
        "node_ids": [
            "dig-software",
            "digital-info",
            "eco-energy-saving-equipment",
            "electronics",
            "energy-saving",
            "new-energy",
            "power-equipment",
            "textiles",
        ],
    },
}


FIRST_SOURCE_EXAMPLE = {
    "id": "a-autobiz-2021-06",
    "title": "动力电池扩产！(上汽时代、时代上汽二期开工)",
    "title_en": (
        "Power battery expansion! (SAIC-CATL Power Battery Systems and SAIC-CATL Power Battery phase II start "
        "construction)"
    ),
    "publisher": "汽车财经 (auto-biz.cn)",
    "date": "2021-06-25",
    "url": "http://www.auto-biz.cn/newDetail.html?articalId=15934",
    "doc_no": "",
    "reliability": "news",
    "note": "上汽时代动力电池系统有限公司 (modules and systems) and 时代上汽动力电池有限公司 (cells): SAIC-CATL JVs "
    "registered 2017-06 in 溧阳",
    "cited_by": {
        "nodes": 5,
        "edges": 11,
        "node_ids": ["nev-battery-pack", "prj-saic-catl-2", "saic", "saic-catl-cells", "saic-catl-systems"],
    },
}


class CitedBy(OpenModel):
    """What cites a source."""

    nodes: int = Field(description="How many nodes (clusters, segments, firms, projects, ...) cite it")
    edges: int = Field(description="How many relations (edges) cite it")
    node_ids: list[str] = Field(description="The ids of the nodes citing it, sorted")


class SourceDetail(SourceRef):
    """A source with the data's note on it and what cites it."""

    model_config = ConfigDict(extra="allow", json_schema_extra={"example": SOURCE_EXAMPLE})
    note: str = Field(description="The data's note on the source (what was read, caveats); empty when none")
    cited_by: CitedBy = Field(description="What cites it")


class SourceList(OpenModel):
    """Sources by id."""

    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={"example": {"items": [FIRST_SOURCE_EXAMPLE], "total": 625, "limit": 50, "offset": 0}},
    )
    items: list[SourceDetail] = Field(description="The page of sources")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)


class FirmRef(OpenModel):
    """A firm by id with its names."""

    id: str = Field(description="Firm id (see /api/v1/firms/{id})")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(default="", description=NAME_EN)


class RelatedFirm(FirmRef):
    """A firm related to another (parent, subsidiary, supplier, customer) with the sources of the relation."""

    sources: list[str] = Field(description="Ids of the sources behind the relation")
    confidence: FactConfidence = Field(description=CONFIDENCE)


class DistrictRef(OpenModel):
    """A district (区/县级市) of Changzhou."""

    id: str = Field(description="District id (see /api/v1/districts)")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)


class ClusterRef(OpenModel):
    """A cluster by id with its names."""

    id: str = Field(description="Cluster id, e.g. `nev`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)


# -- service health ------------------------------------------------------------------------------


class ServiceHealth(OpenModel):
    """The service's and its store's state (``/health``; a cluster's health score is ``ClusterHealth``)."""

    status: str = Field(
        description="`ok`; `degraded` when the store is not up; `graph-not-loaded` when it is up but holds no graph "
        "yet (a Neo4j database nothing was loaded into: the other routes answer 503 `graph-not-loaded`)"
    )
    backend: str = Field(description="`networkx` (embedded) or `neo4j`")
    store: dict[str, Any] = Field(
        description="The store's state: `state` (`up` or `down`) and what the backend adds (`nodes`, `error`, ...)"
    )
    detail: str | None = Field(
        default=None, description="Why the status is not `ok`, and for `graph-not-loaded` how to load a graph"
    )
    version: str = Field(description="chainkg's version")
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "status": "ok",
                "backend": "networkx",
                "store": {"state": "up"},
                "detail": None,
                "version": "0.1.0",
            }
        },
    )


# -- clusters ------------------------------------------------------------------------------------


class ClusterDesignation(OpenModel):
    """A national or provincial title of the cluster (称号), with the sources that back it."""

    name_zh: str = Field(description="The title as published, e.g. 国家先进制造业集群：常州市新型碳材料集群（2021）")
    name_en: str = Field(description="The title in English, where known; else empty")
    year: int | None = Field(description="The year it was awarded, when a source gives it")
    sources: list[str] = Field(description="Source ids")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description="What the sources leave open, e.g. why it is unverified")


class ClusterSummary(OpenModel):
    id: str = Field(description="Cluster id, e.g. `nev`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    segment_count: int = Field(description="Segments of the cluster")
    local_firm_count: int = Field(description="Local firms operating in its segments")
    outside_firm_count: int = Field(description="Firms outside Changzhou operating in its segments")
    list_years: list[int] = Field(description="The published versions of the ten-cluster list it is on (2022, 2024)")
    designations: list[str] = Field(
        description="National or provincial designations (称号): the titles of `designation_items`, in order"
    )
    designation_items: list[ClusterDesignation] = Field(
        description="The same designations, each with its year, sources and confidence"
    )
    confidence: FactConfidence = Field(description=CONFIDENCE)
    sources: list[str] = Field(description="Source ids")


LIST_SIZE_DOC = "With a list year: how many clusters the published list names (十大: 10)"
LIST_NOTE_DOC = (
    "With a list year whose clusters the data know only in part (2022: 7 of 10, the rest found in no source): "
    "what to tell the reader, in Chinese / English; null when the data know the whole list"
)


class ClusterList(OpenModel):
    items: list[ClusterSummary] = Field(description="The clusters")
    total: int = Field(description=TOTAL_UNPAGED)
    list_size: int | None = Field(default=None, description=LIST_SIZE_DOC)
    list_note_zh: str | None = Field(default=None, description=LIST_NOTE_DOC)
    list_note_en: str | None = Field(default=None, description=LIST_NOTE_DOC)
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "items": [
                    {
                        "id": "nev",
                        "name_zh": "新能源汽车及汽车核心零部件",
                        "name_en": "New Energy Vehicles and Core Auto Components",
                        "segment_count": 29,
                        "local_firm_count": 45,
                        "outside_firm_count": 69,
                        "list_years": [2022, 2024],
                        "designations": [],
                        "designation_items": [],
                        "confidence": "sourced",
                        "sources": ["s1-tjj-2022-09"],
                    }
                ],
                "total": 11,
            }
        },
    )


class ClusterListing(OpenModel):
    """The cluster's place in one published version of the ten-cluster list."""

    list_year: int = Field(description="The year of that version of the list (2022 or 2024)")
    name_as_published: str = Field(description="The cluster's name as that list gives it")
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)


class FigureFields(OpenModel):
    """A published figure of the cluster in one year, e.g. 2021 output over 1300亿元."""

    year: int = Field(description="The year the figure is for")
    metric: str = Field(description="e.g. `output`, `revenue`, `battery_chain_completeness`")
    value: float = Field(description="The number as published, in `unit` (read with `qualifier`)")
    unit: str = Field(description="e.g. `亿元`, `%`")
    qualifier: str = Field(
        description="The source's wording: `>` (超), `≈` (约), `≲` (近: nearly, just under), `=` or `<` (不足)"
    )
    period: str = Field(description="e.g. `full-year`")
    sources: list[str] = Field(description=SOURCE_IDS)
    confidence: FactConfidence = Field(description=CONFIDENCE)
    note: str = Field(description=NOTE)
    scope: list[str] = Field(description="Segment ids the figure covers when it covers part of the cluster only")


class ClusterFigure(FigureFields):
    """A published figure of the cluster in one year, e.g. 2021 output over 1300亿元, worded in each language as
    the views word it."""

    text_zh: str = Field(
        description="The figure in one line as the Chinese page words it: qualifier, value and unit as published, "
        "year, period and scope (e.g. `超1300 亿元 (2021)`, `906.6 亿元 (2021 1-9月)`) / 中文表述"
    )
    text_en: str = Field(
        description="The same in English: the unit and period in English where the meaning is certain, the value "
        "converted exactly (1 亿 = 100 million: `over CNY 130 billion (2021)`, `CNY 90.66 billion (2021 Jan-Sep)`); "
        "a district scope in English, any other scope as published"
    )


class ClusterSegment(OpenModel):
    """A segment of the cluster."""

    id: str = Field(description="Segment id")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    position: SegmentPosition | None = Field(
        default=None, description="`upstream`, `midstream`, `downstream` or `support`"
    )


class ClusterDetail(ClusterSummary):
    listings: list[ClusterListing] = Field(
        description="Its place in each published version of the ten-cluster list (十大集群)"
    )
    figures: list[ClusterFigure] = Field(
        description="Published figures (output, revenue, completeness ...), by year, then metric"
    )
    segments: list[ClusterSegment] = Field(description="Its segments (PART_OF)")
    note: str = Field(description=NOTE)


# -- firms ---------------------------------------------------------------------------------------


class FirmSummary(OpenModel):
    id: str = Field(description="Firm id, e.g. `catl-jiangsu`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    aliases: list[str] = Field(description="Other names the firm is known by (e.g. short names); search matches them")
    is_local: bool = Field(description="In Changzhou")
    district_id: str | None = Field(default=None, description="Its district, for a local firm; null when unknown")
    tags: list[str] = Field(description="e.g. `链主`, `listed`, `专精特新`")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    is_anchor: bool = Field(
        description="An anchor firm (链主) of at least one cluster, as the chain, report and health count them "
        "(docs/analysis.md §1), whether or not it carries the `链主` tag: `anchor_of` is not empty"
    )
    anchor_of: list[str] = Field(
        description="Ids of the clusters it anchors, sorted: those where it has the `anchor` role in one of the "
        "segments, or, tagged `链主` with no `anchor` role anywhere, those it operates in; empty when none"
    )


class FirmList(OpenModel):
    items: list[FirmSummary] = Field(description="The page of firms")
    total: int = Field(description=TOTAL)
    limit: int = Field(description=LIMIT)
    offset: int = Field(description=OFFSET)
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "items": [
                    {
                        "id": "catl-jiangsu",
                        "name_zh": "江苏时代新能源科技有限公司",
                        "name_en": "CATL (Jiangsu)",
                        "aliases": ["时代新能源", "江苏时代", "CATL Jiangsu"],
                        "is_local": True,
                        "district_id": "liyang",
                        "tags": [],
                        "confidence": "sourced",
                        "is_anchor": True,
                        "anchor_of": ["nev"],
                    }
                ],
                "total": 485,
                "limit": 50,
                "offset": 0,
            }
        },
    )


class FirmSegment(OpenModel):
    """A segment the firm operates in, with its role there and the sources of that fact."""

    id: str = Field(description="Segment id")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    cluster_id: str = Field(description="The segment's cluster")
    position: SegmentPosition = Field(description="`upstream`, `midstream`, `downstream` or `support`")
    role: str | None = Field(default=None, description="`anchor`, `major` or `member`; null when not given")
    sources: list[str] = Field(description="Ids of the sources of the firm's OPERATES_IN link to the segment")
    confidence: FactConfidence = Field(description=CONFIDENCE)


class HeldTier(OpenModel):
    """A tier (梯度: 单项冠军, 专精特新) the firm holds, with the year and batch it was named in."""

    id: str = Field(description="Tier id, e.g. `tier-champion-firm`")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    sources: list[str] = Field(description="Ids of the sources that name the firm a holder (HOLDS_TIER)")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    year: int | None = Field(default=None, description="Year named; null when unknown")
    batch: int | None = Field(default=None, description="Batch (批次) named in; null when unknown")


class FirmProject(OpenModel):
    """A major project (重大项目) the firm builds (BUILT_BY), with the sources of that relation."""

    id: str = Field(description="Project id (see /api/v1/projects/{id})")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    sources: list[str] = Field(description="Ids of the sources naming the firm as the builder")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    year: int | None = Field(default=None, description="Year started, or signed when not started; null when unknown")
    status: str = Field(description="planned, signed, started, completed or unknown, at the latest source")
    investment_text: str = Field(description="Investment as the sources give it, e.g. `超400亿元`; empty when none")


class FirmPlatform(OpenModel):
    """A platform (灯塔工厂, 智能工厂, 工业互联网平台 ...) the firm runs (RUNS), with the sources of that relation."""

    id: str = Field(description="Platform id (see /api/v1/platforms)")
    name_zh: str = Field(description=NAME_ZH)
    name_en: str = Field(description=NAME_EN)
    sources: list[str] = Field(description="Ids of the sources that say it runs the platform (RUNS)")
    confidence: FactConfidence = Field(description=CONFIDENCE)
    category: str = Field(description="The platform's category, e.g. `lighthouse_factory`")


class CandidacyPlace(OpenModel):
    """A firm's place in a list of firms to attract (先找谁)."""

    rank: int = Field(ge=1, description="Its rank in the list (firms of equal priority share it)")
    tied_with: int = Field(ge=0, description="How many other firms share that rank")
    of: int = Field(ge=1, description="How many firms the list holds")
    priority: float = Field(ge=0, le=1, description="1 − Π(1 − severity × score) over the gaps it would fill")


class ClusterCandidacy(CandidacyPlace):
    """Its place in one cluster's list (`GET /api/v1/clusters/{cluster_id}/targets`)."""

    cluster_id: str = Field(description="The cluster")


class NamedSegmentFields(OpenModel):
    """The fields that open an item about one segment: its id, names and cluster (fields only: no schema of its own)."""

    segment_id: str = Field(description="The segment")
    segment_name_zh: str = Field(description="The segment's name in Chinese")
    segment_name_en: str = Field(description="The segment's name in English")
    cluster_id: str = Field(description="The segment's cluster")


class CandidacyGap(NamedSegmentFields):
    """A gap the firm is a candidate for, as `GET /api/v1/targets` lists it."""
    kind: str = Field(description="The gap's primary kind: `missing`, `weak`, `broken_link` or `extension`")
    kinds_unverified: list[str] = Field(description="Kinds that rest only on supply links the data mark unverified")
    severity: float = Field(ge=0, le=1, description="The gap's severity")
    score: float = Field(ge=0, le=1, description="The firm's candidate score there")
    rank: int = Field(ge=1, description="Its rank among the gap's candidates")
    tied_with: int = Field(ge=0, description="How many other candidates share that rank")
    candidate_count: int = Field(ge=1, description="How many candidates the gap has")
    role: str = Field(description="Its role in the segment: `anchor`, `major` or `member`")
    counted: bool = Field(description="Counted in its priority (a parent gap counts through its sub-gaps)")
    counted_through: list[str] = Field(description="When not counted: the gaps below it it counts through")
    group_already_here: bool = Field(description="A unit of its group is already local there: expansion, no new source")


class FirmCandidacy(OpenModel):
    """Whether and why the firm is a firm to attract: its ranks and the gaps it would fill (review 16a)."""

    city: CandidacyPlace = Field(description="Its place in the city's list (`GET /api/v1/targets`)")
    clusters: list[ClusterCandidacy] = Field(description="Its place in each cluster's list whose gaps it would fill")
    gaps: list[CandidacyGap] = Field(description="The gaps it is a candidate for, most valuable first")
    explanation_zh: str = Field(description="Why, in Chinese, as the targets say it")
    explanation_en: str = Field(description="Why, in English")


class FirmDetail(FirmSummary):
    hq: str = Field(description="Headquarters or site, as the sources give it; empty when unknown")
    hq_en: str | None = Field(
        description="`hq` in English, from a place-name glossary (pinyin, or a foreign place's usual English "
        "name); `hq` itself when written in Latin letters; empty when `hq` is empty (the pair has the same "
        "emptiness); null when `hq` is not in the glossary"
    )
    scale: str = Field(description="Scale (e.g. revenue band) as the sources give it; empty when unknown")
    note: str = Field(description=NOTE)
    segments: list[FirmSegment] = Field(
        description="The segments it operates in itself (OPERATES_IN), each with its role there"
    )
    district: DistrictRef | None = Field(description="Its district (区/县级市) or park; null when the data give none")
    parent: RelatedFirm | None = Field(default=None, description="Its parent (SUBSIDIARY_OF); null when none")
    subsidiaries: list[RelatedFirm] = Field(description="Its direct subsidiaries (SUBSIDIARY_OF)")
    suppliers: list[RelatedFirm] = Field(description="Firms that supply it (SUPPLIES_TO)")
    customers: list[RelatedFirm] = Field(description="Firms it supplies (SUPPLIES_TO)")
    tiers: list[HeldTier] = Field(description="The tiers (梯度: 单项冠军, 专精特新 ...) it holds (HOLDS_TIER)")
    projects: list[FirmProject] = Field(description="Major projects it builds, earliest first (undated last)")
    platforms: list[FirmPlatform] = Field(description="Platforms it runs")
    sources: list[SourceRef] = Field(description="Every source behind the firm and its relations")
    candidacy: FirmCandidacy | None = Field(
        default=None,
        description="For a firm to attract (招商): its rank in the city's and the clusters' targets and the gaps it "
        "would fill; null when it is a candidate for no gap (every local firm among them)",
    )


# -- imports -------------------------------------------------------------------------------------


class ImportIssue(OpenModel):
    """One problem found in the uploaded file."""

    file: str = Field(description="The file (or table) the row is in")
    sheet: str | None = Field(default=None, description="The sheet, for a workbook; null otherwise")
    row: int = Field(description="1-based line (the header is line 1)")
    field: str = Field(description="The column that holds the bad value")
    value: Any = Field(description="The bad value as read")
    expected: str = Field(description="What was expected")
    expected_zh: str = Field(description="What was expected, in Chinese (`expected` when no Chinese is given)")
    message: str = Field(
        description="The problem in one line: file, sheet, row, column, the value read and what was expected"
    )
    message_zh: str = Field(description="`message` in Chinese")


class ImportIssueGroup(OpenModel):
    """One problem found on several rows alike (file, sheet, column, value, what was expected), listed once."""

    file: str = Field(description="The file (or table) the rows are in")
    sheet: str | None = Field(default=None, description="The sheet, for a workbook; null otherwise")
    field: str = Field(description="The column that holds the bad value")
    value: Any = Field(description="The bad value as read")
    expected: str = Field(description="What was expected")
    expected_zh: str = Field(description="What was expected, in Chinese (`expected` when no Chinese is given)")
    rows: list[int] = Field(description="The 1-based lines it is on (the header is line 1)")
    count: int = Field(ge=3, description="How many rows")
    message: str = Field(
        description="The problem in one line, naming the rows: `firms.csv, rows 2–201 (200 rows), ...`"
    )
    message_zh: str = Field(description="`message` in Chinese")


class ResolvedRow(OpenModel):
    """A link row's firm, named instead of given by id, matched by a loose name to a firm in the graph.

    A `firms` row whose id the graph does not hold is a new firm, never merged by name: a name like a stored
    firm's is a warning, the same name an error (review 16b: 宁德时代新能源科技(四川)有限公司 under its own new id
    had been folded into `catl`)."""

    file: str = Field(description="The file (or table) the row is in")
    sheet: str | None = Field(default=None, description="The sheet, for a workbook; null otherwise")
    row: int = Field(description="1-based line (the header is line 1)")
    id: str = Field(description="The value the row gave (a name)")
    name: str = Field(description="The name the row gave")
    matched: str = Field(description="The id of the firm it was matched to")
    matched_name: str = Field(description="The Chinese name of the firm it was matched to")
    how: str = Field(description="How it matched")


class RejectedRow(OpenModel):
    """A row set aside by `skip_invalid`, with its problems."""

    table: str = Field(description="The table the row belongs to, e.g. `firms`, `operates_in`")
    sheet: str | None = Field(default=None, description="The sheet, for a workbook; null otherwise")
    row: int = Field(description="1-based line (the header is line 1)")
    values: dict[str, Any] = Field(description="Column → value as read")
    errors: list[ImportIssue] = Field(description="Its problems")


class ImportSummary(OpenModel):
    """What an import changed (or, in a dry run, would change), and every problem found."""

    nodes: dict[str, list[dict[str, Any]]] = Field(
        description="`added`, `updated` (with `changes`), `unchanged`, `conflicting`: nodes as `{id, kind, ...}`"
    )
    edges: dict[str, list[dict[str, Any]]] = Field(description="As `nodes`, and `removed`")
    counts: dict[str, dict[str, int]] = Field(description="`nodes` and `edges`: how many of each")
    errors: list[ImportIssue] = Field(description="Every problem found, each naming its file, row, column and value")
    file: str = Field(description="The uploaded file's name")
    format: str = Field(description="How it was read, e.g. `xlsx`, `csv`, `json`")
    ok: bool = Field(description="No problem blocks the import")
    dry_run: bool = Field(description="Only checked, as asked (`dry_run`): nothing is written")
    applied: bool = Field(description="The changes were written to the graph (false in a dry run or when blocked)")
    on_conflict: str = Field(description="`fail`, `overwrite` or `keep`")
    resolved: list[ResolvedRow] = Field(description="Link rows whose firm was found by a loose name")
    rejected: int = Field(description="Rows set aside by `skip_invalid`")
    not_counted: int = Field(
        description="When the import is blocked (`ok` false): the rows `counts` leaves out, having problems or "
        "naming rows that have them; 0 otherwise"
    )
    warnings: list[str] = Field(
        description="Notices that block nothing, e.g. that the template's example rows were skipped, or that a new "
        "firm's name is like a stored firm's (if it is the same firm, use its id)"
    )
    error_groups: list[ImportIssueGroup] = Field(
        default_factory=list,
        description="The same problem on 3 or more rows, once, with its `rows` and `count` (`errors` keeps one entry "
        "per row): what the CLI prints",
    )
    rejected_rows: list[RejectedRow] = Field(
        description="The rows set aside by `skip_invalid`, each with its values and problems"
    )
    model_config = ConfigDict(
        extra="allow",
        json_schema_extra={
            "example": {
                "nodes": {
                    "added": [{"id": "new-co", "kind": "Firm"}],
                    "updated": [
                        {
                            "id": "catl-jiangsu",
                            "kind": "Firm",
                            "changes": {"tags": {"old": ["链主"], "new": ["链主", "x"]}},
                        }
                    ],
                    "unchanged": [],
                    "conflicting": [],
                },
                "edges": {"added": [], "updated": [], "unchanged": [], "conflicting": [], "removed": []},
                "counts": {"nodes": {"added": 1, "updated": 1, "unchanged": 0, "conflicting": 0}},
                "errors": [],
                "file": "firms.xlsx",
                "format": "xlsx",
                "ok": True,
                "dry_run": True,
                "applied": False,
                "on_conflict": "fail",
                "resolved": [
                    {
                        "file": "firms.xlsx",
                        "sheet": "operates_in",
                        "row": 2,
                        "id": "江苏时代新能源科技（溧阳）有限公司",
                        "name": "江苏时代新能源科技（溧阳）有限公司",
                        "matched": "catl-jiangsu",
                        "matched_name": "江苏时代新能源科技有限公司",
                        "how": "loose name",
                    }
                ],
                "rejected": 0,
                "not_counted": 0,
                "warnings": [],
                "rejected_rows": [],
            }
        },
    )
