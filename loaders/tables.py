"""The table layout of a dataset folder: which files, which columns, what each means.

A dataset folder holds one CSV (UTF-8) per table. A table may be split over
several files: ``firms.csv`` plus ``firms.outside.csv`` and so on are read in
name order. Multi-valued cells (``sources``, ``aliases``, ``tags``, ``scope``
and the old ``designations``) separate values with ``|``.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import cache


@dataclass(frozen=True)
class Table:
    """One table of a dataset folder."""

    name: str
    required: tuple[str, ...]
    optional: tuple[str, ...]
    doc: str

    @property
    def columns(self) -> tuple[str, ...]:
        return self.required + self.optional


COMMON = ("confidence", "note")

ROLE_WORDS = {"龙头": "anchor", "链主": "anchor", "骨干": "major", "一般": "member", "一般企业": "member"}
"""Chinese role labels accepted in ``operates_in.role``, with the role each means: the docs' (龙头, 骨干)
and the views' (链主, 骨干, 一般企业, see ``viz.style.ROLE_LABELS``), as ``is_local`` accepts 是/否."""

TABLES: tuple[Table, ...] = (
    Table(
        "sources",
        ("id", "title"),
        ("title_en", "publisher", "date", "url", "doc_no", "reliability", "note"),
        "Documents that facts cite. `date` is YYYY, YYYY-MM or YYYY-MM-DD; give `url` or `doc_no`.",
    ),
    Table(
        "districts",
        ("id", "name_zh", "sources"),
        ("name_en", "parent_id", *COMMON),
        "Districts and county-level cities of Changzhou (and named parks, with `parent_id`).",
    ),
    Table(
        "clusters",
        ("id", "name_zh", "sources"),
        ("name_en", "designations", *COMMON),
        "Clusters (先进制造业集群). `designations` is the old form of cluster_designations: `|`-separated titles "
        "that cite the row's sources and load as unverified.",
    ),
    Table(
        "cluster_lists",
        ("cluster_id", "list_year", "name_as_published", "sources"),
        COMMON,
        "A cluster's membership in one published version of the ten-cluster list (2022, 2024).",
    ),
    Table(
        "cluster_figures",
        ("cluster_id", "year", "metric", "value", "unit", "sources"),
        ("qualifier", "period", "scope", *COMMON),
        "Published figures by year: `metric` e.g. output/revenue; `qualifier` is > (超), ≈ (约), ≲ (近), = "
        "or < (不足); `scope` lists the segments a figure covers when it covers part of the cluster.",
    ),
    Table(
        "segments",
        ("id", "cluster_id", "name_zh", "position", "sources"),
        ("name_en", "parent_id", "description", "local_base", *COMMON),
        "Chain segments (产业链环节); `position` is upstream, midstream, downstream or support; `local_base` names "
        "a Changzhou base the segment's sources name while the data place none of its firms in the segment.",
    ),
    Table(
        "supplies",
        ("source", "target", "sources"),
        COMMON,
        "SUPPLIES links: segment `source` feeds segment `target` (also across clusters).",
    ),
    Table(
        "firms",
        ("id", "name_zh", "is_local", "sources"),
        ("name_en", "aliases", "district_id", "district_sources", "tags", "hq", "scale", *COMMON),
        "Firms. `is_local` is true for Changzhou firms; `district_id` names a row of districts.",
    ),
    Table(
        "operates_in",
        ("firm_id", "segment_id", "role", "sources"),
        ("year", *COMMON),
        "A firm's presence in a segment; `role` is anchor, major or member (or 龙头/链主, 骨干, 一般/一般企业).",
    ),
    Table(
        "firm_links",
        ("kind", "source", "target", "sources"),
        ("year", *COMMON),
        "Firm-to-firm facts: `kind` is SUBSIDIARY_OF (child → parent) or SUPPLIES_TO (supplier → customer).",
    ),
    Table(
        "tiers",
        ("id", "name_zh", "level", "category", "sources"),
        ("name_en", "issuer", "description", *COMMON),
        "Tiers of firm cultivation (梯度培育): `level` national/provincial/city; `category` champion_firm, "
        "champion_product, little_giant, zjtx or zjtx_product.",
    ),
    Table(
        "firm_tiers",
        ("firm_id", "tier_id", "sources"),
        ("year", "batch", *COMMON),
        "HOLDS_TIER: a firm holds a tier, named in `year` and `batch` (批次).",
    ),
    Table(
        "projects",
        ("id", "name_zh", "sources"),
        (
            "name_en",
            "investment_amount",
            "investment_currency",
            "investment_qualifier",
            "year",
            "date",
            "phase",
            "status",
            "capacity",
            "description",
            *COMMON,
        ),
        "Major projects (重大项目): investment in 亿 of `investment_currency` (CNY or USD), worded by "
        "`investment_qualifier` > (超), ≥ (以上), ≈ (约), ≲ (近), =, < (不足) or ≤ (不超过); `year` of the start or "
        "signing; `status` planned, signed, started, completed or unknown.",
    ),
    Table(
        "project_links",
        ("kind", "project_id", "target", "sources"),
        COMMON,
        "A project's links: `kind` is BUILT_BY (→ firm), PROJECT_IN (→ segment) or SITED_IN (→ district).",
    ),
    Table(
        "policies",
        ("id", "name_zh", "sources"),
        ("name_en", "issuer", "date", "doc_no", "description", *COMMON),
        "Policies and policy packages (政策); their instruments and targets are in the next two tables.",
    ),
    Table(
        "policy_instruments",
        ("policy_id", "kind", "description_zh", "sources"),
        ("description_en", "amount", "unit", "qualifier", "tier_id", *COMMON),
        "A policy's instruments: `kind` reward, subsidy, fund, tax_reward, service or other; `amount` in `unit`, "
        "worded by `qualifier` > (超), ≥ (以上), ≈ (约), ≲ (近), =, < (不足) or ≤ (最高/不超过).",
    ),
    Table(
        "policy_targets",
        ("kind", "policy_id", "target", "sources"),
        COMMON,
        "What a policy targets: `kind` is TARGETS_TIER (→ tier), TARGETS_CLUSTER (→ cluster) or "
        "TARGETS_SEGMENT (→ segment).",
    ),
    Table(
        "platforms",
        ("id", "name_zh", "category", "sources"),
        ("name_en", "year", "description", *COMMON),
        "智改数转 platforms: `category` lighthouse_factory, industrial_internet_platform, smart_factory or other.",
    ),
    Table(
        "firm_platforms",
        ("firm_id", "platform_id", "sources"),
        ("year", *COMMON),
        "RUNS: a firm runs a platform (from `year`).",
    ),
    # Added after the others so that the position of each older table stays as it was.
    Table(
        "cluster_designations",
        ("cluster_id", "name_zh", "sources"),
        ("name_en", "year", *COMMON),
        "A cluster's national or provincial title (称号), e.g. 国家先进制造业集群, with the `year` it was awarded "
        "and the sources that back it; one row per cluster and title.",
    ),
)

TABLES_BY_NAME = {t.name: t for t in TABLES}

# -- Chinese column names ------------------------------------------------------------------

COLUMN_ALIASES: dict[str, tuple[str, ...]] = {
    # every table
    "id": ("编号",),
    "name_zh": ("中文名称", "中文名", "名称"),
    "name_en": ("英文名称", "英文名"),
    "sources": ("来源", "来源编号", "来源文件"),
    "confidence": ("可信度",),
    "note": ("备注",),
    "parent_id": ("上级编号", "上级"),
    "cluster_id": ("集群", "集群编号", "所属集群"),
    "year": ("年份",),
    "description": ("说明", "描述"),
    "kind": ("类型", "关系类型"),
    # one table's id and name
    "sources.id": ("来源编号",),
    "districts.id": ("区县编号",),
    "clusters.id": ("集群编号",),
    "segments.id": ("环节编号",),
    "firms.id": ("企业编号",),
    "tiers.id": ("称号编号", "梯度称号编号"),
    "projects.id": ("项目编号",),
    "policies.id": ("政策编号",),
    "platforms.id": ("平台编号",),
    "districts.name_zh": ("区县名称",),
    "clusters.name_zh": ("集群名称",),
    "segments.name_zh": ("环节名称",),
    "firms.name_zh": ("企业名称", "企业全称", "企业中文名称"),
    "tiers.name_zh": ("称号名称",),
    "projects.name_zh": ("项目名称",),
    "policies.name_zh": ("政策名称",),
    "platforms.name_zh": ("平台名称",),
    "cluster_designations.name_zh": ("称号", "称号全文"),
    # sources
    "title": ("标题", "来源标题", "文件标题"),
    "title_en": ("英文标题",),
    "publisher": ("发布机构", "发布单位"),
    "date": ("日期", "发布日期"),
    "url": ("网址", "链接"),
    "doc_no": ("文号",),
    "reliability": ("可靠性",),
    # clusters and segments
    "list_year": ("名单年份",),
    "name_as_published": ("名单中的名称", "原文名称"),
    "metric": ("指标",),
    "value": ("数值",),
    "unit": ("单位",),
    "period": ("统计期",),
    "scope": ("覆盖环节",),
    "position": ("位置", "环节位置", "上下游"),
    "local_base": ("本地基地",),
    "supplies.source": ("供给环节",),
    "supplies.target": ("需求环节",),
    # firms and their links
    "aliases": ("别名", "简称"),
    "is_local": ("是否本地", "是否本地企业", "本地企业"),
    "district_id": ("区县", "所在区县", "所属区县", "区县编号"),
    "district_sources": ("区县来源",),
    "tags": ("标签",),
    "hq": ("总部", "总部所在地"),
    "scale": ("规模",),
    "firm_id": ("企业编号", "企业名称", "企业全称"),
    "segment_id": ("环节", "环节编号", "所属环节"),
    "role": ("角色", "企业角色"),
    # tiers, projects, policies, platforms
    "tier_id": ("称号编号", "梯度称号编号"),
    "batch": ("批次",),
    "level": ("级别",),
    "category": ("类别",),
    "issuer": ("发布机构", "认定机构"),
    "investment_amount": ("投资额",),
    "investment_currency": ("币种",),
    "phase": ("期次",),
    "status": ("状态",),
    "capacity": ("产能",),
    "project_id": ("项目编号",),
    "policy_id": ("政策编号",),
    "description_zh": ("中文说明",),
    "description_en": ("英文说明",),
    "amount": ("金额",),
    "platform_id": ("平台编号",),
}
"""The Chinese column names read as each column: by column, or by ``table.column`` for one table's.

A table reads the names of its own columns only (``企业编号`` is ``id`` in ``firms`` and ``firm_id``
in ``operates_in``); a table's own names come first. No name stands for two columns of one table
(``tests/test_import_chinese_headers.py`` checks it). The import says which name it read as which
column; the template shows them in each column's note.
"""


def header_key(text: str) -> str:
    """The form a header cell is looked up in: NFKC (full-width to half-width), no whitespace, no ``*``.

    >>> header_key(" 企业　名称 "), header_key("＊所属环节")
    ('企业名称', '所属环节')
    """
    text = unicodedata.normalize("NFKC", text)
    return "".join(text.split()).strip("*")


def aliases_of(table: str, column: str) -> tuple[str, ...]:
    """The Chinese names ``table`` reads as ``column``: its own first, then those of the column.

    >>> aliases_of("firms", "name_zh")
    ('企业名称', '企业全称', '企业中文名称', '中文名称', '中文名', '名称')
    >>> aliases_of("operates_in", "segment_id")
    ('环节', '环节编号', '所属环节')
    """
    both = COLUMN_ALIASES.get(f"{table}.{column}", ()) + COLUMN_ALIASES.get(column, ())
    return tuple(dict.fromkeys(both))


@cache
def alias_map(table: str) -> dict[str, str]:
    """The columns of ``table`` by the :func:`header_key` of each Chinese name it reads as one."""
    out: dict[str, str] = {}
    for column in TABLES_BY_NAME[table].columns:
        for alias in aliases_of(table, column):
            out.setdefault(header_key(alias), column)
    return out


_NOTE_IN_BRACKETS = re.compile(r"[(（\[【][^()（）\[\]【】]*[)）\]】]$")


def column_of_alias(table: str, text: str) -> str | None:
    """The column of ``table`` a Chinese header cell names, or ``None``.

    A note in brackets at the end is allowed (``企业名称（全称）``).

    >>> column_of_alias("firms", "企业名称"), column_of_alias("firms", "所在区县（必填）")
    ('name_zh', 'district_id')
    >>> column_of_alias("firms", "企业编号"), column_of_alias("operates_in", "企业编号")
    ('id', 'firm_id')
    >>> column_of_alias("firms", "所属环节") is None
    True
    """
    found = alias_map(table)
    key = header_key(text)
    if key in found:
        return found[key]
    bare = _NOTE_IN_BRACKETS.sub("", key)
    return found.get(bare) if bare and bare != key else None


def tables_reading(text: str) -> list[tuple[str, str]]:
    """Every ``(table, column)`` a Chinese header cell is read as, in table order.

    >>> tables_reading("所属环节")
    [('operates_in', 'segment_id')]
    """
    return [(t.name, column) for t in TABLES if (column := column_of_alias(t.name, text))]
