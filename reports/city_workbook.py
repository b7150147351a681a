"""One gap workbook for every cluster: the city's gaps ranked together, for the investment-promotion team.

Sheets: 说明 README (what each sheet holds, the data version, the method), 集群 Clusters
(one row per cluster, by health), 缺口 Gaps (every cluster's gaps, ranked together by
severity: 全市排名 is the rank in the city, 集群内排名 the rank in the cluster),
先找谁 Targets (the city's outside candidate firms, each once across the clusters, by
priority: :func:`queries.targets.targets` without a cluster), 候选企业 Candidates
(every outside firm of each gap, ranked), 企业 Firms (one row per cluster, firm and
segment) and 来源 Sources (every source the other sheets cite).
The data sheets are laid out as in the one-cluster workbook (:mod:`reports.workbook`),
with the cluster's id and name first; Gaps, Targets and Candidates end with the same
follow-up columns. Text from the data is always written as text, never as a formula.

Examples
--------
>>> import io
>>> from openpyxl import load_workbook
>>> from graph.memory_store import MemoryStore
>>> from reports.fixtures import report_city
>>> from reports.gather import city_report
>>> data = city_report(MemoryStore(report_city()))
>>> wb = load_workbook(io.BytesIO(city_workbook(data)))
>>> wb.sheetnames
['说明 README', '集群 Clusters', '缺口 Gaps', '先找谁 Targets', '候选企业 Candidates', '企业 Firms', '来源 Sources']
>>> gaps = wb["缺口 Gaps"]
>>> gaps.max_row - 1 == sum(len(c["gaps"]) for c in data["clusters"])
True
>>> [gaps.cell(row=r, column=1).value for r in range(2, gaps.max_row + 1)] == list(range(1, gaps.max_row))
True
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from typing import Any

from openpyxl import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from reports.city_targets import city_gap_ranks
from reports.gather import candidate_counts, latest_figure
from reports.labels import METRIC_LABELS, figure_value, health_terms
from reports.workbook import (
    CANDIDATE_COLUMNS,
    FIRM_COLUMNS,
    GAP_COLUMNS,
    SHEETS,
    SOURCES_ABOUT,
    TARGET_COLUMNS,
    TARGETS_ABOUT,
    Column,
    SourceLog,
    candidate_rows,
    candidate_text,
    fill_sheet,
    finish_workbook,
    firm_rows,
    gap_rows,
    readme_guide,
    readme_top,
    target_rows,
    targets_text,
)

CITY_SHEETS = {
    "readme": SHEETS["readme"],
    "clusters": "集群 Clusters",
    "gaps": SHEETS["gaps"],
    "targets": SHEETS["targets"],
    "candidates": SHEETS["candidates"],
    "firms": SHEETS["firms"],
    "sources": SHEETS["sources"],
}

CLUSTER_ID_COLUMNS = (Column("集群ID Cluster id", 14), Column("集群 Cluster", 16, wrap=True))

CLUSTER_COLUMNS = (
    Column("健康排名 Health rank", 9),
    *CLUSTER_ID_COLUMNS,
    Column("Cluster (en)", 24, wrap=True),
    Column("名单 Lists", 10),
    Column("健康度 Health", 9, number_format="0.000"),
    *(Column(f"{t.head_zh} {t.head_en}", 10, number_format="0.0%" if t.share else "0.000") for t, _ in health_terms()),
    Column("环节数 Segments", 9),
    Column("强 Strong", 7),
    Column("弱 Weak", 7),
    Column("缺 Missing", 7),
    Column("本地企业 Local firms", 10),
    Column("缺口数 Gaps", 8),
    Column("候选企业数 Candidate firms", 11),
    Column("链主企业 Anchor firms", 36, wrap=True),
    Column("最新产值（无则营收） Latest output (else revenue)", 18, wrap=True),
    Column("来源 Sources", 28, wrap=True),
)

CITY_GAP_COLUMNS = (
    Column("全市排名 City rank", 8),
    *CLUSTER_ID_COLUMNS,
    dataclasses.replace(GAP_COLUMNS[0], header="集群内排名 Rank in cluster"),
    *GAP_COLUMNS[1:],
)
CITY_CANDIDATE_COLUMNS = (
    *CLUSTER_ID_COLUMNS,
    Column("缺口全市排名 Gap city rank", 9),
    *CANDIDATE_COLUMNS,
)
CITY_FIRM_COLUMNS = (*CLUSTER_ID_COLUMNS, *FIRM_COLUMNS)
CITY_TARGET_COLUMNS = (
    TARGET_COLUMNS[0],
    Column("集群ID Cluster ids", 14, wrap=True),
    Column("集群 Clusters", 16, wrap=True),
    *TARGET_COLUMNS[1:],
)
"""The city's 先找谁 Targets sheet: the one-cluster sheet's columns, with the clusters of the firm's gaps."""


def city_gap_where(ranks: dict[tuple[str, str], int], names: dict[str, str]) -> Callable[[dict[str, Any]], str]:
    """What the city's Targets sheet writes before a target's gap: its cluster, its city and cluster ranks.

    >>> where = city_gap_where({("nev", "nev-foil"): 12}, {"nev": "新能源汽车"})
    >>> where({"cluster_id": "nev", "segment_id": "nev-foil", "gap_rank": 3})
    '[新能源汽车 #3，全市 #12]'
    """

    def where(gap: dict[str, Any]) -> str:
        cid = gap["cluster_id"]
        parts = [f"{names.get(cid, cid)} #{gap['gap_rank']}" if gap.get("gap_rank") else names.get(cid, cid)]
        city = ranks.get((cid, gap["segment_id"]))
        if city:
            parts.append(f"全市 #{city}")
        return "[" + "，".join(parts) + "]"

    return where


def _target_sheet_rows(data: dict[str, Any], ranks: dict[tuple[str, str], int], log: SourceLog) -> list[list[Any]]:
    """The city's targets, one row each, with the ids and names of the clusters of their gaps after the rank."""
    names = {c["cluster"]["id"]: c["cluster"]["name_zh"] for c in data["clusters"]}
    rows = target_rows(data["targets"], log, CITY_SHEETS["targets"], city_gap_where(ranks, names))
    out = []
    for item, row in zip(data["targets"], rows, strict=True):
        ids = item["cluster_ids"]
        out.append([row[0], "、".join(ids), "、".join(names.get(c, c) for c in ids), *row[1:]])
    return out


def metric_words(fig: dict[str, Any]) -> str:
    """What a cluster's figure in the Clusters sheet measures, when it is not output (产值): ``营业收入 Revenue：``.

    >>> metric_words({"metric": "revenue"}), metric_words({"metric": "output"})
    ('营业收入 Revenue：', '')
    """
    metric = fig.get("metric") or "output"
    return "" if metric == "output" else f"{METRIC_LABELS.get(metric, metric)}："


def scope_words(output: dict[str, Any]) -> str:
    """The scope of a cluster's output figure inside the workbook's parentheses, by its direction.

    A figure for part of the cluster reads ``，仅 X`` (only X); one for more than the cluster
    ``，口径：X，宽于本集群`` (as the summary report and the views word it).

    >>> scope_words({"scope_label": "钟楼区", "scope_wider": False})
    '，仅 钟楼区'
    >>> scope_words({"scope_label": "新能源产业整体", "scope_wider": True})
    '，口径：新能源产业整体，宽于本集群'
    """
    if output.get("scope_wider"):
        return f"，口径：{output['scope_label']}，宽于本集群"
    return f"，仅 {output['scope_label']}"


def _city_ranks(clusters: list[dict[str, Any]]) -> dict[tuple[str, str], int]:
    """Rank every gap of every cluster report by severity (:func:`reports.city_targets.city_gap_ranks`)."""
    return city_gap_ranks((report["cluster"]["id"], report["gaps"]) for report in clusters)


def _prefixed(report: dict[str, Any], rows: list[list[Any]]) -> list[list[Any]]:
    """``rows`` of one cluster's sheet, with the cluster's id and name first."""
    cluster = report["cluster"]
    return [[cluster["id"], cluster["name_zh"], *row] for row in rows]


def _gap_sheet_rows(clusters: list[dict[str, Any]], ranks: dict[tuple[str, str], int], log: SourceLog) -> list:
    rows = []
    for report in clusters:
        cid = report["cluster"]["id"]
        for gap, row in zip(report["gaps"], gap_rows(report, log), strict=True):
            rows.append([ranks[(cid, gap["segment_id"])], *_prefixed(report, [row])[0]])
    rows.sort(key=lambda row: row[0])
    return rows


def _candidate_sheet_rows(
    clusters: list[dict[str, Any]], ranks: dict[tuple[str, str], int], log: SourceLog
) -> list[list[Any]]:
    rows = []
    for report in clusters:
        cid = report["cluster"]["id"]
        for row in candidate_rows(report, log):
            segment_id = row[1]
            rows.append([cid, report["cluster"]["name_zh"], ranks[(cid, segment_id)], *row])
    rows.sort(key=lambda row: (row[2], row[6]))  # the gap's city rank, then the candidate's rank
    return rows


def _cluster_rows(data: dict[str, Any], log: SourceLog) -> list[list[Any]]:
    health = {item["cluster_id"]: item for item in data["summary"]["ranking"]}
    rows = []
    for report in data["clusters"]:
        cluster = report["cluster"]
        item = health[cluster["id"]]
        counts, parts = item["counts"], item["components"]
        output = latest_figure(cluster)
        firms = {x["firm_id"] for gap in report["gaps"] for x in gap["all_candidates"]}
        rows.append(
            [
                item["rank"],
                cluster["id"],
                cluster["name_zh"],
                cluster["name_en"],
                "、".join(str(y) for y in cluster["list_years"]),
                item["score"],
                *(round(t.value(parts), 6) for t, _ in health_terms()),
                counts["segments"],
                counts["strong"],
                counts["weak"],
                counts["missing"],
                counts["local_firms"],
                len(report["gaps"]),
                len(firms),
                "、".join(a["name_zh"] for a in report["anchors"]),
                metric_words(output)
                + f"{figure_value(output)}（{output['year']}"
                + (f"，{output['period']}" if output.get("period") not in (None, "", "full-year") else "")
                + (scope_words(output) if output.get("scope_label") else "")
                + "）"
                if output
                else "",
                log.cite([*cluster["sources"], *(output["sources"] if output else [])], CITY_SHEETS["clusters"]),
            ]
        )
    return rows


def _readme(ws: Worksheet, data: dict[str, Any], counts: dict[str, int]) -> int:
    """Fill the README sheet; return the row whose 行数 cell holds the Sources count (filled in last)."""
    list_year = data["list_year"]
    facts = [
        ("集群数 Clusters", str(len(data["clusters"]))),
        ("名单 List", f"{list_year} 年名单" if list_year else "全部 all clusters"),
        ("生成日期 Generated", data["generated"]),
        ("数据版本 Data version", data["data_version"]),
        ("截至年份 As of", str(data["year"]) if data["year"] else "全部 all years"),
        (
            "候选企业 Candidate firms",
            candidate_text(candidate_counts([g for c in data["clusters"] for g in c["gaps"]])),
        ),
        ("先找谁 Targets", targets_text(data["targets"])),
    ]
    row = readme_top(ws, "全部集群 产业链缺口工作簿", "Every cluster — gap workbook (chainkg)", facts)
    about = {
        "clusters": "集群：每个集群一行，按健康度排序，含健康度的各项（可据说明中的公式复算）、强/弱/缺环节数、缺口数、"
        "候选企业数（不同企业）、链主企业。"
        "One row per cluster, by health, with the terms of the score (recompute it with the formula below), "
        "segment counts, gaps, distinct candidate firms and anchor firms.",
        "gaps": "缺口：全部集群的缺口，按严重度统一排序（全市排名）；集群内排名与单个集群的工作簿一致。"
        "Every cluster's gaps, ranked together by severity; the rank in the cluster matches its own workbook.",
        "targets": TARGETS_ABOUT
        + " 全市一张名单：一家企业可填补几个集群的缺口时也只列一次，缺口前注明集群、集群内排名与全市排名。"
        "One list for the city: a firm filling gaps of several clusters is listed once.",
        "candidates": "候选企业：每个缺口的全部外地候选企业，按缺口的全市排名、再按得分排序，含推荐理由；"
        "每个“缺口—企业”一行。"
        "Every outside candidate firm of each gap, by the gap's city rank, then by score, with reasons; "
        "one row per gap and firm.",
        "firms": "企业：各集群各环节中的全部企业，每个“集群—企业—环节”一行（本地与外地）。"
        "Every firm in each cluster's segments, one row per cluster, firm and segment.",
        "sources": SOURCES_ABOUT,
    }
    _, sources_row = readme_guide(ws, row, CITY_SHEETS, about, counts)
    return sources_row


def city_workbook(data: dict[str, Any]) -> bytes:
    """Build the one gap workbook of every cluster from :func:`reports.gather.city_report`."""
    wb = Workbook()
    readme = wb.active
    readme.title = CITY_SHEETS["readme"]
    log = SourceLog()
    clusters = data["clusters"]
    ranks = _city_ranks(clusters)
    counts = {
        "clusters": fill_sheet(wb.create_sheet(CITY_SHEETS["clusters"]), CLUSTER_COLUMNS, _cluster_rows(data, log)),
        "gaps": fill_sheet(
            wb.create_sheet(CITY_SHEETS["gaps"]), CITY_GAP_COLUMNS, _gap_sheet_rows(clusters, ranks, log), True
        ),
        "targets": fill_sheet(
            wb.create_sheet(CITY_SHEETS["targets"]), CITY_TARGET_COLUMNS, _target_sheet_rows(data, ranks, log), True
        ),
        "candidates": fill_sheet(
            wb.create_sheet(CITY_SHEETS["candidates"]),
            CITY_CANDIDATE_COLUMNS,
            _candidate_sheet_rows(clusters, ranks, log),
            True,
        ),
        "firms": fill_sheet(
            wb.create_sheet(CITY_SHEETS["firms"]),
            CITY_FIRM_COLUMNS,
            [row for report in clusters for row in _prefixed(report, firm_rows(report, log))],
        ),
    }
    sources_row = _readme(readme, data, {**counts, "sources": 0})
    return finish_workbook(wb, sources_row, data.get("sources_book"), log, "全部集群 缺口工作簿")
