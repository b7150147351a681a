"""The gap workbook (xlsx) for the investment-promotion team: gaps, candidates, firms and sources.

Sheets: 说明 README (what each sheet holds, the data version, the cluster's
published figures), 缺口 Gaps, 先找谁 Targets (every outside candidate firm once,
by priority: :func:`queries.targets.targets`), 候选企业 Candidates (every outside firm of each
gap, ranked), 企业 Firms (one row per firm and segment), 来源 Sources (every
source the other sheets cite). Each data sheet has a frozen, bold header row,
an auto-filter over its rows, set column widths, wrapped long text, and empty
follow-up columns (跟进人, 跟进状态 with a drop-down, 备注) for staff to fill in.

Text from the data is always written as text, never as a formula (a firm named
``=HYPERLINK(...)`` stays a string).

Examples
--------
>>> import io
>>> from openpyxl import load_workbook
>>> from graph.memory_store import MemoryStore
>>> from reports.fixtures import report_city
>>> from reports.gather import cluster_report
>>> data = cluster_report(MemoryStore(report_city()), "t-nev")
>>> wb = load_workbook(io.BytesIO(cluster_workbook(data)))
>>> wb.sheetnames
['说明 README', '缺口 Gaps', '先找谁 Targets', '候选企业 Candidates', '企业 Firms', '来源 Sources']
>>> gaps = wb["缺口 Gaps"]
>>> gaps.max_row - 1 == len(data["gaps"]), gaps.freeze_panes, gaps.auto_filter.ref.startswith("A1:")
(True, 'A2', True)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from loaders.export import workbook_bytes
from queries.candidates import rank_text, rank_words
from queries.notes import reader_note
from queries.targets import UNVERIFIED_MARK
from reports.labels import (
    GAP_SHORT,
    KIND_LABELS,
    METRIC_LABELS,
    MIRROR_RELIABILITY,
    POSITION_LABELS,
    ROLE_LABELS,
    STATUS_LABELS,
    figure_value,
    health_formula,
    reliability_label,
    tag_zh,
)
from viz.sources import SourceBook
from viz.style import english_part

SHEETS = {
    "readme": "说明 README",
    "gaps": "缺口 Gaps",
    "targets": "先找谁 Targets",
    "candidates": "候选企业 Candidates",
    "firms": "企业 Firms",
    "sources": "来源 Sources",
}
FOLLOW_UP = ("跟进人 Owner", "跟进状态 Status", "备注 Notes")
FOLLOW_UP_STATES = ("未开始", "对接中", "已拜访", "已签约", "暂缓")
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="2B3A4A")
FOLLOW_FILL = PatternFill("solid", fgColor="FFF4D6")
WRAP = Alignment(wrap_text=True, vertical="top")
TOP = Alignment(vertical="top")
SOURCES_ABOUT = (
    "来源：以上各表引用的全部来源；镜像/转载为“是”者非原始发布处，引用前请核对原文。"
    "Every source cited in the sheets; mirrors and reposts are marked."
)
TARGETS_ABOUT = (
    "先找谁：各缺口的候选企业合成一张名单，每家外地企业一行，按优先度排序（与 chainkg targets 相同），"
    "列出它可填补的缺口（严重度、得分、候选名次）与理由；其集团已有本地企业的缺口注明“扩产，不计入”。"
    "拜访、发函或排招商计划时，可以从前几行开始。"
    "Every outside candidate firm once, by priority (as chainkg targets ranks them), with the gaps it fills "
    "and why; a gap its own group already holds is marked (an expansion, not counted)."
)
METHOD_NOTES = (
    "每张表第一行为表头（已冻结），可用筛选按钮筛选；黄色列（跟进人、跟进状态、备注）留给招商人员填写。",
    "Row 1 of each sheet is a frozen header with filters; the yellow columns are for follow-up.",
    "严重度 = g ×（0.5·下游需求 D + 0.3·关键性 C + 0.2·集中度 H）。",
    "候选得分 = 0.35·企业画像 + 0.30·本地联系 + 0.35·关联度。",
    "先找谁的优先度 = 1 − Π（1 − 缺口严重度 × 候选得分），对企业可填补的各缺口连乘；上级缺口与其下级缺口只计一次。",
    "Target priority = 1 − Π(1 − gap severity × candidate score) over the gaps the firm fills; a gap and its "
    "sub-gaps count once.",
    health_formula("zh") + "。",
    health_formula("en").capitalize() + ".",
    "数据中没有企业不等于现实中没有企业。完整方法见 docs/analysis.md。",
    "No firm in the data is not no firm in reality. Method: docs/analysis.md.",
)


@dataclass(frozen=True)
class Column:
    """One column of a data sheet: header, width (in characters) and whether long text wraps."""

    header: str
    width: float
    wrap: bool = False
    number_format: str = ""


HQ_NOT_GIVEN = "未注明 not given"
"""The HQ cell of an outside firm whose HQ the data does not give (the report says 未注明 / HQ not given)."""


def put_value(ws: Worksheet, row: int, col: int, value: Any) -> None:
    """Write a value; strings always stay strings (never formulas)."""
    cell = ws.cell(row=row, column=col, value=value)
    if isinstance(value, str):
        cell.data_type = "s"


def header_row(ws: Worksheet, row: int, heads: Sequence[str]) -> None:
    """Write a bold, dark header row of a README table."""
    for col, head in enumerate(heads, start=1):
        put_value(ws, row, col, head)
        ws.cell(row=row, column=col).font = HEADER_FONT
        ws.cell(row=row, column=col).fill = HEADER_FILL


WIDE_SHEET = 180
"""Columns wider than this in all (in character widths) print on A3 rather than A4: fitted to one page wide, an A4
page would shrink a 26-column sheet's text below legibility."""


def print_setup(ws: Worksheet, width: float) -> None:
    """Print a data sheet as colleagues hand it out (review 16a L2: portrait, no fit, no repeated header): landscape,
    one page wide (A3 for a sheet wider than :data:`WIDE_SHEET`), the header row on every page, page numbers.

    >>> from openpyxl import Workbook
    >>> ws = Workbook().active
    >>> print_setup(ws, 300)
    >>> ws.page_setup.orientation, ws.page_setup.paperSize, ws.page_setup.fitToWidth, ws.print_title_rows
    ('landscape', 8, 1, '$1:$1')
    """
    ws.page_setup.orientation = "landscape"
    ws.page_setup.paperSize = ws.PAPERSIZE_A3 if width > WIDE_SHEET else ws.PAPERSIZE_A4
    ws.page_setup.fitToWidth = 1
    ws.page_setup.fitToHeight = 0  # as many pages down as the rows need
    ws.sheet_properties.pageSetUpPr.fitToPage = True
    ws.print_title_rows = "1:1"
    ws.oddFooter.center.text = "第 &P 页 / 共 &N 页  Page &P of &N"


def fill_sheet(ws: Worksheet, columns: Sequence[Column], rows: Iterable[Sequence[Any]], follow_up: bool = False) -> int:
    """Fill a data sheet: header row, rows, widths, wrapping, frozen header, auto-filter. Returns the row count."""
    cols = list(columns) + (
        [Column(h, 14 if i < 2 else 30, wrap=i == 2) for i, h in enumerate(FOLLOW_UP)] if follow_up else []
    )
    for c, col in enumerate(cols, start=1):
        put_value(ws, 1, c, col.header)
        cell = ws.cell(row=1, column=c)
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        ws.column_dimensions[get_column_letter(c)].width = col.width
    count = 0
    for r, values in enumerate(rows, start=2):
        count += 1
        for c, col in enumerate(cols, start=1):
            value = values[c - 1] if c - 1 < len(values) else None
            put_value(ws, r, c, value)
            cell = ws.cell(row=r, column=c)
            cell.alignment = WRAP if col.wrap else TOP
            if col.number_format:
                cell.number_format = col.number_format
            if follow_up and c > len(columns):
                cell.fill = FOLLOW_FILL
    ws.row_dimensions[1].height = 32
    ws.freeze_panes = "A2"
    print_setup(ws, sum(col.width for col in cols))
    last = get_column_letter(len(cols))
    ws.auto_filter.ref = f"A1:{last}{count + 1}"
    if follow_up:
        status_col = get_column_letter(len(columns) + 2)
        check = DataValidation(type="list", formula1='"' + ",".join(FOLLOW_UP_STATES) + '"', allow_blank=True)
        check.add(f"{status_col}2:{status_col}{max(count + 1, 2)}")
        ws.add_data_validation(check)
    return count


class SourceLog:
    """Source ids in order of first citation, and which sheets cite each."""

    def __init__(self) -> None:
        self.sheets: dict[str, list[str]] = {}

    def cite(self, ids: Iterable[str], sheet: str) -> str:
        ids = [i for i in dict.fromkeys(ids) if i]
        for sid in ids:
            where = self.sheets.setdefault(sid, [])
            if sheet not in where:
                where.append(sheet)
        return " | ".join(ids)


def kind_text(gap: dict[str, Any], kind: str, lang: str = "zh") -> str:
    """A kind of a gap as the sheets write it (``断链``, ``broken link``), marked 待核实 / unverified when it
    rests only on supply links the data marks unverified (the gap's ``kinds_unverified``).

    >>> g = {"kind": "broken_link", "kinds_unverified": ["broken_link"]}
    >>> kind_text(g, "broken_link"), kind_text(g, "broken_link", "en"), kind_text(g, "missing")
    ('断链（待核实）', 'broken link (unverified)', '缺链')
    """
    word = GAP_SHORT.get(kind, kind) if lang == "zh" else english_part(KIND_LABELS.get(kind, kind)).lower()
    return word + (UNVERIFIED_MARK[lang] if kind in gap.get("kinds_unverified", ()) else "")


def hq_cells(x: dict[str, Any]) -> list[str]:
    """The HQ cells of an outside firm: its HQ in Chinese and English, or 未注明 / not given, as the report says.

    >>> hq_cells({"hq": "上海", "hq_en": "Shanghai"}), hq_cells({"hq": "", "hq_en": ""})
    (['上海', 'Shanghai'], ['未注明 not given', 'not given'])
    """
    if not x.get("hq"):
        return [HQ_NOT_GIVEN, "not given"]
    return [x["hq"], x.get("hq_en") or ""]


def gap_rows(data: dict[str, Any], log: SourceLog) -> list[list[Any]]:
    rows = []
    for g in data["gaps"]:
        comp = g["components"]
        rows.append(
            [
                g["rank"],
                g["segment_id"],
                g["segment_name_zh"],
                g["segment_name_en"],
                POSITION_LABELS.get(g["position"], g["position"]),
                g["parent_name_zh"],
                kind_text(g, g["kind"]),
                "、".join(kind_text(g, k) for k in g["kinds"]),
                STATUS_LABELS.get(g["status"], g["status"]),
                g["severity"],
                comp.get("demand"),
                comp.get("criticality"),
                comp.get("concentration"),
                g["local_firm_count"],
                g["outside_firm_count"],
                len(g["all_candidates"]),
                g["explanation_zh"],
                "\n".join(r["zh"] for r in g.get("merged_reasons", g["reasons"])),
                g["explanation_en"],
                log.cite(g["sources"], SHEETS["gaps"]),
            ]
        )
    return rows


GAP_COLUMNS = (
    Column("排名 Rank", 7),
    Column("环节ID Segment id", 22),
    Column("环节 Segment", 20, wrap=True),
    Column("Segment (en)", 22, wrap=True),
    Column("位置 Position", 13),
    Column("上级环节 Parent", 14, wrap=True),
    Column("主类型 Kind", 9),
    Column("全部类型 Kinds", 14),
    Column("状态 Status", 12),
    Column("严重度 Severity", 10, number_format="0.000"),
    Column("下游需求 D", 10, number_format="0.000"),
    Column("关键性 C", 10, number_format="0.000"),
    Column("集中度 H", 10, number_format="0.000"),
    Column("本地企业 Local firms", 10),
    Column("外地企业 Outside firms", 10),
    Column("候选企业数 Candidates", 11),
    Column("说明 Explanation", 48, wrap=True),
    Column("理由 Reasons", 48, wrap=True),
    Column("Explanation (en)", 48, wrap=True),
    Column("来源 Sources", 28, wrap=True),
)

OUTSIDE_FIRM_COLUMNS = (
    Column("企业ID Firm id", 20),
    Column("企业 Firm", 22, wrap=True),
    Column("Firm (en)", 22, wrap=True),
    Column("总部 HQ", 12, wrap=True),
    Column("HQ (en)", 16, wrap=True),
    Column("标签 Tags", 18, wrap=True),
)
"""The columns naming an outside firm (a candidate or a target): :func:`outside_firm_cells`."""

REASON_COLUMNS = (Column("推荐理由 Reasons", 50, wrap=True), Column("Reasons (en)", 50, wrap=True))
"""The reasons, one a line, in Chinese and in English: :func:`reason_cells`."""

CONFIDENCE_SOURCE_COLUMNS = (Column("可信度 Confidence", 11), Column("来源 Sources", 28, wrap=True))
"""A row's confidence and the ids of the sources it cites."""

CANDIDATE_COLUMNS = (
    Column("缺口排名 Gap rank", 9),
    Column("环节ID Segment id", 22),
    Column("环节 Segment", 18, wrap=True),
    Column("候选排名 Rank", 9),
    *OUTSIDE_FIRM_COLUMNS,
    Column("环节角色 Role", 11),
    Column("得分 Score", 9, number_format="0.000"),
    Column("企业画像 Profile", 9, number_format="0.000"),
    Column("本地联系 Links", 9, number_format="0.000"),
    Column("关联度 Relatedness", 10, number_format="0.000"),
    Column("本地伙伴数 Local partners", 10),
    *REASON_COLUMNS,
    *CONFIDENCE_SOURCE_COLUMNS,
)

TARGET_COLUMNS = (
    Column("排名 Rank", 7),
    *OUTSIDE_FIRM_COLUMNS,
    Column("优先度 Priority", 9, number_format="0.000"),
    Column("可填补缺口数 Gaps filled", 10),
    Column("缺口（严重度、得分、候选名次）Gaps (severity, score, rank)", 44, wrap=True),
    Column("Gaps (en)", 44, wrap=True),
    *REASON_COLUMNS,
    *CONFIDENCE_SOURCE_COLUMNS,
)
"""The 先找谁 Targets sheet: the firm as in the Candidates sheet, its priority, its gaps, reasons, sources."""

FIRM_COLUMNS = (
    Column("企业ID Firm id", 20),
    Column("企业 Firm", 22, wrap=True),
    Column("Firm (en)", 22, wrap=True),
    Column("本地 Local", 8),
    Column("链主 Anchor", 8),
    Column("区县 District", 10),
    Column("总部 HQ", 12, wrap=True),
    Column("HQ (en)", 16, wrap=True),
    Column("环节ID Segment id", 22),
    Column("环节 Segment", 18, wrap=True),
    Column("角色 Role", 12),
    Column("标签 Tags", 20, wrap=True),
    Column("年份 Year", 8),
    Column("可信度 Confidence", 11),
    Column("来源 Sources", 30, wrap=True),
    Column("备注 Note", 30, wrap=True),
)

SOURCE_COLUMNS = (
    Column("来源ID Source id", 22),
    Column("标题 Title", 50, wrap=True),
    Column("发布者 Publisher", 22, wrap=True),
    Column("日期 Date", 11),
    Column("网址 URL", 45, wrap=True),
    Column("文号 Doc no.", 18, wrap=True),
    Column("可靠性 Reliability", 14),
    Column("镜像/转载 Mirror", 10),
    Column("引用于 Cited in", 24, wrap=True),
)


def reason_line(reason: dict[str, Any], lang: str) -> str:
    """One 推荐理由 in a language, followed by the data's note when the reason is unverified.

    >>> reason_line({"zh": "该环节骨干企业（待核实）", "en": "x (unverified)", "note": "one weak page"}, "zh")
    '该环节骨干企业（待核实）：one weak page'
    """
    note = reader_note(reason.get("note") or "")
    return f"{reason[lang]}{'：' if lang == 'zh' else ': '}{note}" if note else str(reason[lang])


def outside_firm_cells(x: dict[str, Any]) -> list[Any]:
    """The cells of :data:`OUTSIDE_FIRM_COLUMNS` for a candidate or a target: id, names, HQ, tags (Chinese).

    >>> outside_firm_cells({"firm_id": "a", "name_zh": "甲", "name_en": "A", "hq": "上海", "hq_en": "Shanghai",
    ...                     "tags": ["listed"]})
    ['a', '甲', 'A', '上海', 'Shanghai', '上市公司']
    """
    return [x["firm_id"], x["name_zh"], x["name_en"], *hq_cells(x), "、".join(tag_zh(t) for t in x["tags"])]


def reason_cells(reasons: list[dict[str, Any]]) -> list[str]:
    """The cells of :data:`REASON_COLUMNS`: the reasons one a line (:func:`reason_line`), Chinese then English."""
    return ["\n".join(reason_line(r, lang) for r in reasons) for lang in ("zh", "en")]


def candidate_rows(data: dict[str, Any], log: SourceLog) -> list[list[Any]]:
    rows = []
    for g in data["gaps"]:
        for x in g["all_candidates"]:
            comp = x["components"]
            rows.append(
                [
                    g["rank"],
                    g["segment_id"],
                    g["segment_name_zh"],
                    x["rank"],
                    *outside_firm_cells(x),
                    ROLE_LABELS.get(x["role"], x["role"]),
                    x["score"],
                    comp["profile"],
                    comp["links"],
                    comp["relatedness"],
                    comp["local_partners"],
                    *reason_cells(x["reasons"]),
                    x["confidence"],
                    log.cite(x["sources"], SHEETS["candidates"]),
                ]
            )
    return rows


def target_gap_line(gap: dict[str, Any], lang: str, where: str = "") -> str:
    """One gap of a target, as the Targets sheet writes it: rank, name, kind, severity, score, candidate rank.

    ``where`` goes first (the gap's rank, ``#3``, or its cluster and city rank). A gap the firm's own
    group already holds (``group_already_here``) says so, naming the group's local units
    (``group_firms``); one counted through its sub-gaps (``counted`` false) says that. A kind resting only
    on unverified supply links is marked (:func:`kind_text`).

    >>> g = {"segment_name_zh": "医药研发生产外包", "segment_name_en": "CXO", "kind": "weak", "severity": 0.276,
    ...      "score": 0.457, "rank": 2, "candidate_count": 4, "counted": False, "group_already_here": True,
    ...      "group_firms": [{"firm_id": "sta", "name_zh": "合全药业常州基地", "name_en": "STA Changzhou"}]}
    >>> print(target_gap_line(g, "zh", "#3").replace("；", "；\\n"))
    #3 医药研发生产外包（弱链，严重度 0.276，得分 0.457，候选第 2/4）；
    其集团已有本地企业：合全药业常州基地（扩产，不计入）
    >>> print(target_gap_line(g, "en", "#3").replace("; ", ";\\n"))
    #3 CXO (weak, severity 0.276, score 0.457, rank 2 of 4);
    its group is already here: STA Changzhou (an expansion, not counted)
    """
    kind = gap.get("kind", "")
    prefix = f"{where} " if where else ""
    if lang == "zh":
        text = (
            f"{prefix}{gap['segment_name_zh']}（{kind_text(gap, kind)}，严重度 {gap['severity']:.3f}，"
            f"得分 {gap['score']:.3f}，候选第 {rank_text(gap, 'zh')}）"
        )
        if gap.get("group_already_here"):
            names = "、".join(f["name_zh"] for f in gap.get("group_firms", []))
            return text + f"；其集团已有本地企业{'：' + names if names else ''}（扩产，不计入）"
        return text + ("" if gap.get("counted", True) else "；经下级环节计入，不重复计")
    name = gap["segment_name_en"] or gap["segment_name_zh"]
    text = (
        f"{prefix}{name} ({kind_text(gap, kind, 'en')}, severity {gap['severity']:.3f}, "
        f"score {gap['score']:.3f}, {rank_words(gap, 'en')})"
    )
    if gap.get("group_already_here"):
        names = ", ".join(f["name_en"] or f["name_zh"] for f in gap.get("group_firms", []))
        return text + f"; its group is already here{': ' + names if names else ''} (an expansion, not counted)"
    return text + ("" if gap.get("counted", True) else "; counted through its sub-segments")


def target_rows(
    items: list[dict[str, Any]], log: SourceLog, sheet: str, where: Callable[[dict[str, Any]], str]
) -> list[list[Any]]:
    """The rows of a Targets sheet (:data:`TARGET_COLUMNS`), one per target, in their order.

    ``where`` gives the text put before each gap (:func:`target_gap_line`); ``sheet`` is the sheet's name,
    for the Sources sheet's 引用于 column.
    """
    rows = []
    for t in items:
        rows.append(
            [
                t["rank"],
                *outside_firm_cells(t),
                t["priority"],
                t["gap_count"],
                "\n".join(target_gap_line(g, "zh", where(g)) for g in t["gaps"]),
                "\n".join(target_gap_line(g, "en", where(g)) for g in t["gaps"]),
                *(reason_cells(t["reasons"]) if t.get("reasons") else [t["explanation_zh"], t["explanation_en"]]),
                t["confidence"],
                log.cite(t["sources"], sheet),
            ]
        )
    return rows


def gap_rank_text(gap: dict[str, Any]) -> str:
    """A target's gap by its rank in the cluster's Gaps sheet: ``#3`` (nothing when it has none)."""
    return f"#{gap['gap_rank']}" if gap.get("gap_rank") else ""


def firm_rows(data: dict[str, Any], log: SourceLog) -> list[list[Any]]:
    rows = []
    for m in data["memberships"]:
        rows.append(
            [
                m["firm_id"],
                m["name_zh"],
                m["name_en"],
                "是" if m["is_local"] else "否",
                "是" if m["is_anchor"] else "",
                m["district"],
                m["hq"],
                m["hq_en"],
                m["segment_id"],
                m["segment_name_zh"],
                ROLE_LABELS.get(m["role"], m["role"]),
                "、".join(tag_zh(t) for t in m["tags"]),
                m["year"],
                m["confidence"],
                log.cite([*m["firm_sources"], *m["sources"]], SHEETS["firms"]),
                m["note"],
            ]
        )
    return rows


def source_rows(book: SourceBook, log: SourceLog) -> list[list[Any]]:
    rows = []
    for sid, sheets in log.sheets.items():
        ref = book.by_id.get(sid)
        reliability = str(ref.get("reliability") or "") if ref else ""
        rows.append(
            [
                sid,
                ref["title"] if ref else sid,
                ref.get("publisher", "") if ref else "",
                ref.get("date", "") if ref else "",
                ref.get("url", "") if ref else "",
                ref.get("doc_no", "") if ref else "",
                reliability_label(reliability) if ref else "未登记 Not in the data",
                "是" if reliability in MIRROR_RELIABILITY else "",
                "、".join(sheets),
            ]
        )
    return rows


def candidate_text(counts: dict[str, int]) -> str:
    """Distinct candidate firms, and the entries (gap × firm) behind them, in Chinese and English.

    An entry a parent gap repeats from one of its sub-gaps counts once (``repeated``: see
    :func:`reports.gather.candidate_counts`); the Candidates sheet still has a row for it under
    both gaps, so the text says how many such rows there are.

    >>> candidate_text({"firms": 58, "entries": 71, "gaps": 17})
    '58 家（17 个缺口共 71 条候选记录）; 58 distinct firms (71 candidate entries for 17 gaps)'
    >>> print(candidate_text({"firms": 57, "entries": 61, "gaps": 16, "repeated": 9}))  # doctest: +NORMALIZE_WHITESPACE
    57 家（16 个缺口共 61 条候选记录；另有 9 行是上级缺口重复其下级缺口的企业，不重复计）;
    57 distinct firms (61 candidate entries for 16 gaps; 9 more rows repeat a sub-gap's firm under its parent gap)
    """
    firms, entries, gaps = counts["firms"], counts["entries"], counts["gaps"]
    repeated = counts.get("repeated", 0)
    zh_more = f"；另有 {repeated} 行是上级缺口重复其下级缺口的企业，不重复计" if repeated else ""
    en_more = f"; {repeated} more rows repeat a sub-gap's firm under its parent gap" if repeated else ""
    return (
        f"{firms} 家（{gaps} 个缺口共 {entries} 条候选记录{zh_more}）; "
        f"{firms} distinct firms ({entries} candidate entries for {gaps} gaps{en_more})"
    )


def targets_text(items: list[dict[str, Any]], per_gap: int | None = None) -> str:
    """The README's line on the Targets sheet: how many firms, and the first, in Chinese and English.

    ``per_gap`` (the report's, :func:`reports.gather.cluster_report`) says the list keeps only the first
    ``per_gap`` candidates of each gap.

    >>> targets_text([{"name_zh": "诺德股份", "name_en": "Nuode", "priority": 0.269}, {"name_zh": "乙", "name_en": ""}])
    '2 家，按优先度排序，首位：诺德股份（0.269）; 2 firms by priority, first: Nuode (0.269)'
    >>> targets_text([{"name_zh": "乙", "name_en": "", "priority": 0.5}], per_gap=1)
    '1 家，按优先度排序，每个缺口只取前 1 名候选，首位：乙（0.500）; 1 firms by priority, only the first 1 \
candidate(s) of each gap, first: 乙 (0.500)'
    >>> targets_text([])
    '数据中暂无外地候选企业; no outside firm in the data'
    """
    if not items:
        return "数据中暂无外地候选企业; no outside firm in the data"
    first = items[0]
    cut_zh = "" if per_gap is None else f"每个缺口只取前 {per_gap} 名候选，"
    cut_en = "" if per_gap is None else f"only the first {per_gap} candidate(s) of each gap, "
    return (
        f"{len(items)} 家，按优先度排序，{cut_zh}首位：{first['name_zh']}（{first['priority']:.3f}）; "
        f"{len(items)} firms by priority, {cut_en}first: {first['name_en'] or first['name_zh']} "
        f"({first['priority']:.3f})"
    )


def readme_top(ws: Worksheet, title: str, subtitle: str, facts: Sequence[tuple[str, str]]) -> int:
    """Write a README sheet's column widths, title, subtitle and key facts; return the next free row."""
    for column, width in zip("ABCD", (24, 70, 14, 26), strict=True):
        ws.column_dimensions[column].width = width
    put_value(ws, 1, 1, title)
    ws.cell(row=1, column=1).font = Font(bold=True, size=15)
    put_value(ws, 2, 1, subtitle)
    ws.cell(row=2, column=1).font = Font(italic=True, color="555555")
    row = 4
    for key, value in facts:
        put_value(ws, row, 1, key)
        ws.cell(row=row, column=1).font = Font(bold=True)
        put_value(ws, row, 2, value)
        row += 1
    return row + 1


def readme_guide(
    ws: Worksheet, row: int, names: dict[str, str], about: dict[str, str], counts: dict[str, int]
) -> tuple[int, int]:
    """Write the sheet guide (sheet, what it holds, row count) from ``row``, then the method notes.

    Returns the next free row and the row whose 行数 cell holds the Sources count (filled in last).
    """
    header_row(ws, row, ("工作表 Sheet", "内容 What it holds", "行数 Rows"))
    row += 1
    sources_row = 0
    for key, text in about.items():
        sources_row = row if key == "sources" else sources_row
        put_value(ws, row, 1, names[key])
        put_value(ws, row, 2, text)
        ws.cell(row=row, column=2).alignment = WRAP
        put_value(ws, row, 3, counts[key])
        row += 1
    row += 1
    for note in METHOD_NOTES:
        put_value(ws, row, 1, note)
        row += 1
    return row, sources_row


def _readme(ws: Worksheet, data: dict[str, Any], counts: dict[str, int], log: SourceLog) -> int:
    """Fill the README sheet; return the row whose 行数 cell holds the Sources count (filled in last)."""
    c = data["cluster"]
    facts = [
        ("集群ID Cluster id", c["id"]),
        ("生成日期 Generated", data["generated"]),
        ("数据版本 Data version", data["data_version"]),
        ("截至年份 As of", str(data["year"]) if data["year"] else "全部 all years"),
        ("健康度 Health", f"{data['health']['score']:.3f}（第 {data['health']['rank']} / {data['health']['of']} 名）"),
        ("候选企业 Candidate firms", candidate_text(data["candidate_counts"])),
        ("先找谁 Targets", targets_text(data["targets"], data.get("per_gap"))),
    ]
    row = readme_top(ws, f"{c['name_zh']} 产业链缺口工作簿", f"{c['name_en']} — gap workbook (chainkg)", facts)
    about = {
        "gaps": "缺口：每个有缺口的环节一行，按严重度排序（0–1，越高越优先），含类型、分量、说明与理由。"
        "Gaps, one row per segment, ranked by severity, with kinds, components and reasons.",
        "targets": TARGETS_ABOUT,
        "candidates": "候选企业：每个缺口的全部外地候选企业，按得分排序，含推荐理由；每个“缺口—企业”一行，"
        "同一企业可出现在多个缺口下。"
        "Every outside candidate firm of each gap, ranked by score, with reasons; one row per gap and firm.",
        "firms": "企业：本集群各环节中的全部企业，每个“企业—环节”一行（本地与外地）。"
        "Every firm in the cluster's segments, one row per firm and segment.",
        "sources": SOURCES_ABOUT,
    }
    row, sources_row = readme_guide(ws, row, SHEETS, about, counts)
    if c.get("figures"):
        row += 1
        header_row(ws, row, ("公开数据 Figures", "数值 Value", "年份 Year", "来源 Sources"))
        row += 1
        for fig in c["figures"]:
            period = "" if fig["period"] == "full-year" else f"（{fig['period']}）"
            put_value(ws, row, 1, METRIC_LABELS.get(fig["metric"], fig["metric"]))
            put_value(ws, row, 2, figure_value(fig) + period)
            put_value(ws, row, 3, fig["year"])
            put_value(ws, row, 4, log.cite(fig["sources"], SHEETS["readme"]))
            row += 1
    return sources_row


def cluster_workbook(data: dict[str, Any]) -> bytes:
    """Build the gap workbook of a cluster report gathered by :func:`reports.gather.cluster_report`."""
    wb = Workbook()
    readme = wb.active
    readme.title = SHEETS["readme"]
    log = SourceLog()
    counts = {
        "gaps": fill_sheet(wb.create_sheet(SHEETS["gaps"]), GAP_COLUMNS, gap_rows(data, log), follow_up=True),
        "targets": fill_sheet(
            wb.create_sheet(SHEETS["targets"]),
            TARGET_COLUMNS,
            target_rows(data["targets"], log, SHEETS["targets"], gap_rank_text),
            follow_up=True,
        ),
        "candidates": fill_sheet(
            wb.create_sheet(SHEETS["candidates"]), CANDIDATE_COLUMNS, candidate_rows(data, log), follow_up=True
        ),
        "firms": fill_sheet(wb.create_sheet(SHEETS["firms"]), FIRM_COLUMNS, firm_rows(data, log)),
    }
    sources_row = _readme(readme, data, {**counts, "sources": 0}, log)
    return finish_workbook(wb, sources_row, data.get("sources_book"), log, f"{data['cluster']['name_zh']} 缺口工作簿")


def finish_workbook(wb: Workbook, sources_row: int, book: SourceBook | None, log: SourceLog, title: str) -> bytes:
    """Add the Sources sheet (every source ``log`` cited), its row count on the README, the title; save."""
    count = fill_sheet(wb.create_sheet(SHEETS["sources"]), SOURCE_COLUMNS, source_rows(book or SourceBook(), log))
    wb[SHEETS["readme"]].cell(row=sources_row, column=3, value=count)
    wb.properties.title = title
    wb.properties.creator = "chainkg"
    return workbook_bytes(wb)
