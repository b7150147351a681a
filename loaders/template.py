"""The import template: column order, bilingual column notes and one example row per table.

``chainkg template -o template.xlsx`` writes a ``说明 README`` sheet and one
sheet per table; each header cell carries a note (an Excel comment) saying
what the column holds, whether it is required, and its format, in Chinese and
English. The grey example row is skipped on import as long as it is left
exactly as written, so the template can be filled in and imported as is.

Examples
--------
>>> COLUMNS["firms"][:5]
('id', 'name_zh', 'name_en', 'aliases', 'is_local')
>>> "必填" in column_note("firms", "id")
True
>>> EXAMPLES["operates_in"]["role"]
'member'
"""

from __future__ import annotations

from pathlib import Path

from loaders.tables import TABLES, TABLES_BY_NAME, aliases_of

COLUMNS: dict[str, tuple[str, ...]] = {
    "sources": ("id", "title", "title_en", "publisher", "date", "url", "doc_no", "reliability", "note"),
    "districts": ("id", "name_zh", "name_en", "parent_id", "sources", "confidence", "note"),
    "clusters": ("id", "name_zh", "name_en", "designations", "sources", "confidence", "note"),
    "cluster_designations": ("cluster_id", "name_zh", "name_en", "year", "sources", "confidence", "note"),
    "cluster_lists": ("cluster_id", "list_year", "name_as_published", "sources", "confidence", "note"),
    "cluster_figures": (
        "cluster_id",
        "year",
        "metric",
        "value",
        "unit",
        "qualifier",
        "period",
        "scope",
        "sources",
        "confidence",
        "note",
    ),
    "segments": (
        "id",
        "cluster_id",
        "name_zh",
        "name_en",
        "position",
        "parent_id",
        "description",
        "local_base",
        "sources",
        "confidence",
        "note",
    ),
    "supplies": ("source", "target", "sources", "confidence", "note"),
    "firms": (
        "id",
        "name_zh",
        "name_en",
        "aliases",
        "is_local",
        "district_id",
        "district_sources",
        "tags",
        "hq",
        "scale",
        "sources",
        "confidence",
        "note",
    ),
    "operates_in": ("firm_id", "segment_id", "role", "year", "sources", "confidence", "note"),
    "firm_links": ("kind", "source", "target", "year", "sources", "confidence", "note"),
    "tiers": (
        "id",
        "name_zh",
        "name_en",
        "level",
        "category",
        "issuer",
        "description",
        "sources",
        "confidence",
        "note",
    ),
    "firm_tiers": ("firm_id", "tier_id", "year", "batch", "sources", "confidence", "note"),
    "projects": (
        "id",
        "name_zh",
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
        "sources",
        "confidence",
        "note",
    ),
    "project_links": ("kind", "project_id", "target", "sources", "confidence", "note"),
    "policies": (
        "id",
        "name_zh",
        "name_en",
        "issuer",
        "date",
        "doc_no",
        "description",
        "sources",
        "confidence",
        "note",
    ),
    "policy_instruments": (
        "policy_id",
        "kind",
        "description_zh",
        "description_en",
        "amount",
        "unit",
        "qualifier",
        "tier_id",
        "sources",
        "confidence",
        "note",
    ),
    "policy_targets": ("kind", "policy_id", "target", "sources", "confidence", "note"),
    "platforms": ("id", "name_zh", "name_en", "category", "year", "description", "sources", "confidence", "note"),
    "firm_platforms": ("firm_id", "platform_id", "year", "sources", "confidence", "note"),
}
"""The columns of each table in the order files are written (the bundled CSV files' order)."""

_ID = (
    "编号：小写英文字母、数字、. _ -，以字母或数字开头，全表唯一 / Id: lower-case ASCII letters, digits, . _ -; unique"
)
_SOURCES = (
    "来源编号，多个用 | 分隔；须是 sources 表或图中已有的来源 / "
    "Source ids, |-separated; each a row of sources or a source the graph holds"
)
_CONFIDENCE = (
    "sourced（有来源，默认）或 unverified（待核实，可不填来源） / "
    "sourced (default; needs sources) or unverified (sources optional)"
)
_NOTE = "备注，任意文本 / Note, free text"

NOTES: dict[str, str] = {
    "id": _ID,
    "name_zh": "中文名称 / Chinese name",
    "name_en": "英文名称（可空） / English name (optional)",
    "sources": _SOURCES,
    "confidence": _CONFIDENCE,
    "note": _NOTE,
    "parent_id": "上级编号（同类节点，可空） / Parent id (same kind, optional)",
    "cluster_id": "所属集群编号（clusters 表或图中已有） / Cluster id (a row of clusters, or in the graph)",
    "sources.title": "来源标题（中文） / Title of the document",
    "sources.title_en": "英文标题（可空） / English title (optional)",
    "sources.publisher": "发布机构 / Publisher",
    "sources.date": (
        "日期文本 YYYY、YYYY-MM 或 YYYY-MM-DD；请把该列设为文本格式 / Date as text; format the column as Text"
    ),
    "sources.url": "网址；url 与 doc_no 至少填一个 / Address; give url or doc_no",
    "sources.doc_no": "文号，如 常工信复〔2022〕第56号 / Document number",
    "sources.reliability": "official、news、repost、mirror、weak、company 或 research（默认 official）",
    "sources.note": _NOTE,
    "clusters.designations": (
        "旧格式：称号，多个用 | 分隔，引用本行来源并记为 unverified；请改用 cluster_designations 表 / "
        "Old form: titles, |-separated, citing this row's sources, loaded as unverified; "
        "use the cluster_designations sheet instead"
    ),
    "cluster_designations.name_zh": (
        "称号全文，如 国家先进制造业集群：常州市新型碳材料集群（2021） / The title as published"
    ),
    "cluster_designations.name_en": "称号英文（可空） / The title in English (optional)",
    "cluster_designations.year": "获评年份（可空） / Year awarded (optional)",
    "cluster_lists.list_year": "名单年份，如 2022、2024 / Year of the published list",
    "cluster_lists.name_as_published": "名单中的原文名称 / The cluster's name as published",
    "cluster_figures.year": "年份（整数） / Year (whole number)",
    "cluster_figures.metric": "指标，如 output（产值）、revenue（营收） / Metric, e.g. output, revenue",
    "cluster_figures.value": "数值，如 1300 或 0.94 / Number",
    "cluster_figures.unit": "单位，如 亿元 / Unit, e.g. 亿元",
    "cluster_figures.qualifier": "> 超过、≈ 约、≲ 近、= 等于（默认）、< 不足 / >, ≈, ≲ (nearly), = (default) or <",
    "cluster_figures.period": "统计期，默认 full-year / Period, default full-year",
    "cluster_figures.scope": (
        "指标只覆盖集群一部分时，所覆盖的环节编号（含下级环节），多个用 | 分隔 / "
        "Segment ids the figure covers when it covers part of the cluster, |-separated"
    ),
    "segments.position": "upstream 上游、midstream 中游、downstream 下游 或 support 配套（必填）",
    "segments.description": "环节说明 / What the segment covers",
    "supplies.source": "供给方环节编号 / Segment that supplies",
    "supplies.target": "需求方环节编号 / Segment supplied",
    "firms.name_zh": (
        "企业全称，如 江苏时代新能源科技有限公司；导入时按名称与已有企业匹配 / Full name; matched to firms in the graph"
    ),
    "firms.aliases": "简称/别名，多个用 | 分隔 / Short names and aliases, |-separated",
    "firms.is_local": "是否常州（本地）企业：true/false 或 是/否（必填） / Local firm: true or false",
    "firms.district_id": "所在区县编号（districts 表或图中已有） / District id",
    "firms.district_sources": "所在区县的来源（可空，默认同 sources） / Sources for the district (default: sources)",
    "firms.tags": "标签，如 链主|专精特新小巨人|listed，多个用 | 分隔 / Tags, |-separated",
    "firms.hq": "总部所在地 / Headquarters",
    "firms.scale": "规模描述 / Scale",
    "operates_in.firm_id": "企业编号，或图中已有企业的全称 / Firm id, or the full name of a firm in the graph",
    "operates_in.segment_id": "环节编号 / Segment id",
    "operates_in.role": "anchor 龙头/链主、major 骨干 或 member 一般企业（必填）",
    "operates_in.year": "年份（可空） / Year (optional)",
    "firm_links.kind": "SUBSIDIARY_OF（子公司→母公司）或 SUPPLIES_TO（供应商→客户）",
    "firm_links.source": "子公司或供应商：企业编号或全称 / Child or supplier: firm id or full name",
    "firm_links.target": "母公司或客户：企业编号或全称 / Parent or customer: firm id or full name",
    "firm_links.year": "年份（可空） / Year (optional)",
    "tiers.level": "national 国家级、provincial 省级 或 city 市级（必填）",
    "tiers.category": (
        "champion_firm 单项冠军企业、champion_product 单项冠军产品、little_giant 专精特新小巨人、"
        "zjtx 专精特新中小企业 或 zjtx_product 专精特新产品（必填）"
    ),
    "tiers.issuer": "认定机构，如 工业和信息化部 / Issuing body",
    "tiers.description": "说明 / Description",
    "firm_tiers.firm_id": "企业编号，或图中已有企业的全称 / Firm id, or the full name of a firm in the graph",
    "firm_tiers.tier_id": "梯度称号编号（tiers 表或图中已有） / Tier id",
    "firm_tiers.year": "获评年份（可空） / Year named (optional)",
    "firm_tiers.batch": "批次，整数，如 6 表示第六批（可空） / Batch number, e.g. 6 (optional)",
    "projects.investment_amount": (
        "投资额，单位：亿（币种见下一列），如 100 或 3.7 / Investment in 亿 (10^8) of the currency"
    ),
    "projects.investment_currency": "CNY 人民币（默认）或 USD 美元",
    "projects.investment_qualifier": "> 超、≥ 以上、≈ 约、≲ 近、= 等于（默认）、< 不足、≤ 不超过",
    "projects.year": "开工年份（未开工则为签约年份），整数 / Year started (or signed)",
    "projects.date": "日期文本 YYYY、YYYY-MM 或 YYYY-MM-DD / Date as text",
    "projects.phase": "期次，如 一期、二期 / Phase, e.g. I, II",
    "projects.status": "planned 规划、signed 签约、started 开工/在建、completed 竣工/投产 或 unknown（默认）",
    "projects.capacity": "产能或规模描述 / Capacity",
    "projects.description": "说明 / Description",
    "project_links.kind": "BUILT_BY（项目→企业）、PROJECT_IN（项目→环节）或 SITED_IN（项目→区县）",
    "project_links.project_id": "项目编号 / Project id",
    "project_links.target": "企业、环节或区县编号（企业也可填全称） / Firm, segment or district id",
    "policies.issuer": "发布机构，如 常州市人民政府 / Issuer",
    "policies.date": "发布日期文本 YYYY、YYYY-MM 或 YYYY-MM-DD / Date as text",
    "policies.doc_no": "文号 / Document number",
    "policies.description": "内容概要 / Summary",
    "policy_instruments.policy_id": "政策编号（policies 表） / Policy id (a row of policies)",
    "policy_instruments.kind": "reward 奖励、subsidy 补贴、fund 资金、tax_reward 税收贡献奖励、service 服务 或 other",
    "policy_instruments.description_zh": "工具说明（中文） / What the instrument does",
    "policy_instruments.description_en": "英文说明（可空） / In English (optional)",
    "policy_instruments.amount": "金额（可空），单位见下一列 / Amount (optional)",
    "policy_instruments.unit": "单位，如 万元、亿元 / Unit",
    "policy_instruments.qualifier": "> 超、≥ 以上、≈ 约、≲ 近、= 等于（默认）、< 不足、≤ 最高/不超过",
    "policy_instruments.tier_id": "适用的梯度称号编号（可空） / Tier the instrument is for (optional)",
    "policy_targets.kind": "TARGETS_TIER（→梯度称号）、TARGETS_CLUSTER（→集群）或 TARGETS_SEGMENT（→环节）",
    "policy_targets.policy_id": "政策编号 / Policy id",
    "policy_targets.target": "梯度称号、集群或环节编号 / Tier, cluster or segment id",
    "platforms.category": (
        "lighthouse_factory 灯塔工厂、industrial_internet_platform 工业互联网平台、smart_factory 智能工厂 或 other"
    ),
    "platforms.year": "认定或建成年份（可空） / Year named or built (optional)",
    "platforms.description": "说明 / Description",
    "firm_platforms.firm_id": "企业编号，或图中已有企业的全称 / Firm id, or the full name of a firm in the graph",
    "firm_platforms.platform_id": "平台编号（platforms 表） / Platform id",
    "firm_platforms.year": "年份（可空） / Year (optional)",
}
"""Notes by ``table.column`` or, for columns shared by several tables, by column."""

ENUMS: dict[str, tuple[str, ...]] = {
    "confidence": ("sourced", "unverified"),
    "segments.position": ("upstream", "midstream", "downstream", "support"),
    "operates_in.role": ("anchor", "major", "member"),
    "firms.is_local": ("true", "false"),
    "firm_links.kind": ("SUBSIDIARY_OF", "SUPPLIES_TO"),
    "sources.reliability": ("official", "news", "repost", "mirror", "weak", "company", "research"),
    "cluster_figures.qualifier": (">", "≈", "≲", "=", "<"),
    "tiers.level": ("national", "provincial", "city"),
    "tiers.category": ("champion_firm", "champion_product", "little_giant", "zjtx", "zjtx_product"),
    "projects.investment_currency": ("CNY", "USD"),
    "projects.investment_qualifier": (">", "≥", "≈", "≲", "=", "<", "≤"),
    "projects.status": ("planned", "signed", "started", "completed", "unknown"),
    "project_links.kind": ("BUILT_BY", "PROJECT_IN", "SITED_IN"),
    "policy_instruments.kind": ("reward", "subsidy", "fund", "tax_reward", "service", "other"),
    "policy_instruments.qualifier": (">", "≥", "≈", "≲", "=", "<", "≤"),
    "policy_targets.kind": ("TARGETS_TIER", "TARGETS_CLUSTER", "TARGETS_SEGMENT"),
    "platforms.category": ("lighthouse_factory", "industrial_internet_platform", "smart_factory", "other"),
}
"""Columns with a closed list of values (the template offers them as a drop-down)."""

_EX_SRC = "example-source"
EXAMPLES: dict[str, dict[str, str]] = {
    "sources": {
        "id": _EX_SRC,
        "title": "示例：某区工业和信息化局公告（请删除或改写本行）",
        "publisher": "示例区工业和信息化局",
        "date": "2024-05",
        "url": "https://example.org/notice/1",
        "reliability": "official",
    },
    "districts": {"id": "example-district", "name_zh": "示例区", "name_en": "Example District", "sources": _EX_SRC},
    "clusters": {"id": "example-cluster", "name_zh": "示例产业集群", "sources": _EX_SRC},
    "cluster_designations": {
        "cluster_id": "example-cluster",
        "name_zh": "示例省级先进制造业集群",
        "year": "2024",
        "sources": _EX_SRC,
    },
    "cluster_lists": {
        "cluster_id": "example-cluster",
        "list_year": "2024",
        "name_as_published": "示例产业集群",
        "sources": _EX_SRC,
    },
    "cluster_figures": {
        "cluster_id": "example-cluster",
        "year": "2023",
        "metric": "output",
        "value": "120",
        "unit": "亿元",
        "qualifier": ">",
        "sources": _EX_SRC,
    },
    "segments": {
        "id": "example-segment",
        "cluster_id": "example-cluster",
        "name_zh": "示例上游材料",
        "position": "upstream",
        "sources": _EX_SRC,
    },
    "supplies": {"source": "example-segment", "target": "example-segment-b", "sources": _EX_SRC},
    "firms": {
        "id": "example-firm",
        "name_zh": "示例科技有限公司",
        "aliases": "示例科技",
        "is_local": "true",
        "district_id": "example-district",
        "sources": _EX_SRC,
    },
    "operates_in": {"firm_id": "example-firm", "segment_id": "example-segment", "role": "member", "sources": _EX_SRC},
    "firm_links": {
        "kind": "SUPPLIES_TO",
        "source": "example-firm",
        "target": "example-firm-b",
        "sources": _EX_SRC,
    },
    "tiers": {
        "id": "example-tier",
        "name_zh": "示例市级专精特新中小企业",
        "level": "city",
        "category": "zjtx",
        "sources": _EX_SRC,
    },
    "firm_tiers": {"firm_id": "example-firm", "tier_id": "example-tier", "year": "2024", "sources": _EX_SRC},
    "projects": {
        "id": "example-project",
        "name_zh": "示例新能源项目（一期）",
        "investment_amount": "30",
        "investment_currency": "CNY",
        "year": "2024",
        "status": "started",
        "sources": _EX_SRC,
    },
    "project_links": {
        "kind": "BUILT_BY",
        "project_id": "example-project",
        "target": "example-firm",
        "sources": _EX_SRC,
    },
    "policies": {"id": "example-policy", "name_zh": "示例产业扶持政策", "issuer": "示例区人民政府", "sources": _EX_SRC},
    "policy_instruments": {
        "policy_id": "example-policy",
        "kind": "reward",
        "description_zh": "示例：新认定企业最高奖励",
        "amount": "50",
        "unit": "万元",
        "qualifier": "≤",
        "sources": _EX_SRC,
    },
    "policy_targets": {
        "kind": "TARGETS_SEGMENT",
        "policy_id": "example-policy",
        "target": "example-segment",
        "sources": _EX_SRC,
    },
    "platforms": {
        "id": "example-platform",
        "name_zh": "示例工业互联网平台",
        "category": "industrial_internet_platform",
        "sources": _EX_SRC,
    },
    "firm_platforms": {"firm_id": "example-firm", "platform_id": "example-platform", "sources": _EX_SRC},
}
"""One example row per table; a row left exactly like this is skipped on import."""

README_LINES = (
    ("chainkg 导入模板 / chainkg import template", ""),
    ("", ""),
    (
        "每张工作表对应一张表，表名即工作表名（也可用中文名）。",
        "One sheet per table, named after it (or its Chinese name).",
    ),
    ("第 1 行是列名；把鼠标停在列名上可看说明。", "Row 1 holds the column names; hover over a name for its note."),
    (
        "灰色的第 2 行是示例：原样保留会被跳过，也可删除。",
        "The grey row 2 is an example: skipped if left as is; delete it.",
    ),
    ("不需要的表可以留空或删除整张工作表。", "Leave unused sheets empty or delete them."),
    (
        "请勿使用公式、合并单元格；日期请以文本填写（如 2022-09-27）。",
        "No formulas, no merged cells; dates as text (2022-09-27).",
    ),
    ("多个值用 | 分隔，如 来源甲|来源乙。", "Several values in one cell are separated by |."),
    (
        "列名也可用中文（如 企业名称、所在区县、所属环节），见各列说明；导入时会写明读作哪一列。",
        "Columns may be named in Chinese (企业名称, 所在区县...): see each column's note; the import says so.",
    ),
    (
        "企业名单中的一行（企业 + 环节 + 角色）分成 企业(firms) 表一行和 企业环节(operates_in) 表一行。",
        "One row of a firm list (firm + segment + role) becomes a firms row and an operates_in row.",
    ),
    ("先试运行：chainkg import 文件.xlsx --dry-run", "Try first: chainkg import FILE.xlsx --dry-run"),
    ("说明文档：docs/import.md", "Documentation: docs/import.md"),
)


def column_note(table: str, column: str) -> str:
    """The bilingual note on a column's header: whether it is required, its format, the Chinese names read as it.

    >>> print(column_note("firms", "district_id"))
    district_id
    【选填 optional】
    所在区县编号（districts 表或图中已有） / District id
    中文列名也可 Chinese names read as this column: 区县、所在区县、所属区县、区县编号
    """
    note = NOTES.get(f"{table}.{column}") or NOTES.get(column) or column
    required = column in TABLES_BY_NAME[table].required
    head = "【必填 required】" if required else "【选填 optional】"
    choices = ENUMS.get(f"{table}.{column}") or ENUMS.get(column)
    tail = f"\n可选值 values: {', '.join(choices)}" if choices else ""
    aliases = aliases_of(table, column)
    if aliases:
        tail += f"\n中文列名也可 Chinese names read as this column: {'、'.join(aliases)}"
    return f"{column}\n{head}\n{note}{tail}"


def write_template(path: Path) -> None:
    """Write the import template workbook to ``path`` (atomically)."""
    from loaders.export import write_workbook_rows

    sheets = {t.name: (list(COLUMNS[t.name]), [[EXAMPLES[t.name].get(c, "") for c in COLUMNS[t.name]]]) for t in TABLES}
    write_workbook_rows(path, sheets, notes=True, example_rows=1, readme=README_LINES)
