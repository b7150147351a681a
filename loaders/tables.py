"""The table layout of a dataset folder: which files, which columns, what each means.

A dataset folder holds one CSV (UTF-8) per table. A table may be split over
several files: ``firms.csv`` plus ``firms.outside.csv`` and so on are read in
name order. Multi-valued cells (``sources``, ``aliases``, ``tags``, ``scope``
and the old ``designations``) separate values with ``|``.
"""

from __future__ import annotations

from dataclasses import dataclass


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
