"""Printable reports: a cluster's A4 report (HTML), its gap workbook (xlsx), the health summary, and
one gap workbook of every cluster (xlsx).

HTML reports are self-contained (inline CSS and SVG, no script) and are sent
with the views' security headers and a Content-Security-Policy that allows only
their own stylesheet. An unknown cluster gives an HTML 404 page that links to
the nearest ids, and a bad parameter an HTML 422 page naming it, the value given
and what it accepts (``api.problems.invalid_parameter_page``); the workbooks
answer both with problem+json instead.
"""

from __future__ import annotations

import datetime as dt
import threading
from collections import OrderedDict
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query
from fastapi.responses import HTMLResponse, Response

from api.analysis_schemas import GAP_KIND_ALIASES, GapKindQuery
from api.deps import PublishedYear, StoreDep
from api.problems import BASE_PROBLEM_RESPONSES, MEDIA_TYPE, PAGE_UNAVAILABLE_RESPONSE, PROBLEM_RESPONSES
from api.routes.targets import PerGap
from api.routes.views import JSON_ONLY, SECURITY_HEADERS
from api.schemas import BINARY_CONTENT
from graph.errors import NodeNotFound
from graph.store import GraphStore
from reports.city_targets import MAX_TARGETS_PAGE_TOP, TARGETS_PAGE_TOP, city_targets_report
from reports.city_workbook import city_workbook
from reports.gather import MAX_TOP, city_report, cluster_report, summary_report
from reports.html import (
    RenderedReport,
    ServedLinks,
    render_brief,
    render_cluster_report,
    render_not_found,
    render_summary_report,
    render_targets_report,
)
from reports.workbook import cluster_workbook

router = APIRouter(prefix="/reports", tags=["reports"])

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ClusterId = Annotated[str, Path(max_length=200, description="Cluster id, e.g. `nev`")]
Top = Annotated[int, Query(ge=1, le=MAX_TOP, description="Candidate firms shown per gap")]
Year = Annotated[int | None, Query(ge=1990, le=2100, description="As-of year for presence facts")]
ListYear = Annotated[
    PublishedYear | None,
    Query(description="Only clusters on this published list (2022 or 2024)"),
]
Kind = Annotated[
    GapKindQuery | None,
    Query(description="Count only the gaps whose `kinds` contain this kind" + GAP_KIND_ALIASES),
]
TargetsTop = Annotated[
    int,
    Query(
        ge=1,
        le=MAX_TARGETS_PAGE_TOP,
        description="Firms listed, the first by priority (the city workbook's Targets sheet lists them all)",
    ),
]
Format = Annotated[Literal["html", "xlsx"], Query(description="`html` (printable report) or `xlsx` (gap workbook)")]

HTML_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {
        "content": {"text/html": {}, XLSX: BINARY_CONTENT},
        "description": "A self-contained A4 HTML report, or the gap workbook with `format=xlsx`",
    },
    404: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "Unknown cluster: an HTML page linking to the nearest ids"
        + JSON_ONLY
        + ", with `suggestions` (always problem+json with `format=xlsx`)",
    },
    422: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "A bad parameter: an HTML page naming it, the value given and what it accepts"
        + JSON_ONLY
        + " (always problem+json with `format=xlsx`)",
    },
    503: {
        **PAGE_UNAVAILABLE_RESPONSE,
        "description": PAGE_UNAVAILABLE_RESPONSE["description"] + " (always problem+json with `format=xlsx`)",
    },
}
BRIEF_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/html": {}}, "description": "A self-contained A4 HTML brief"},
    404: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "Unknown cluster: an HTML page linking to the nearest ids" + JSON_ONLY + ", with `suggestions`",
    },
    422: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "A bad parameter: an HTML page naming it, the value given and what it accepts" + JSON_ONLY,
    },
    503: PAGE_UNAVAILABLE_RESPONSE,
}
XLSX_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {XLSX: BINARY_CONTENT}, "description": "The gap workbook"},
    404: PROBLEM_RESPONSES[404],
    422: PROBLEM_RESPONSES[422],
    503: PROBLEM_RESPONSES[503],
}
SUMMARY_RESPONSES: dict[int | str, dict[str, object]] = dict(BASE_PROBLEM_RESPONSES)
SUMMARY_PAGE_RESPONSES: dict[int | str, dict[str, object]] = {
    422: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "A bad parameter: an HTML page naming it, the value given and what it accepts" + JSON_ONLY,
    },
    503: PAGE_UNAVAILABLE_RESPONSE,
}

CACHE_SIZE = 16
_cache: OrderedDict[tuple[object, ...], RenderedReport | bytes] = OrderedDict()
_cache_lock = threading.Lock()


def _cached(key: tuple[object, ...], build: object) -> RenderedReport | bytes:
    """Build once per (data version, day, arguments); keep the most recent few."""
    with _cache_lock:
        hit = _cache.get(key)
        if hit is not None:
            _cache.move_to_end(key)
            return hit
    value = build()  # type: ignore[operator]
    with _cache_lock:
        _cache[key] = value
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return value  # type: ignore[no-any-return]


def _html(page: RenderedReport, status: int = 200) -> HTMLResponse:
    headers = {"Content-Security-Policy": page.csp + "; frame-ancestors 'none'", **SECURITY_HEADERS}
    return HTMLResponse(page.html, status_code=status, headers=headers)


def _xlsx_response(body: RenderedReport | bytes, filename: str) -> Response:
    assert isinstance(body, bytes)
    headers = {
        "Content-Disposition": f'attachment; filename="{filename}"',
        "X-Content-Type-Options": "nosniff",
        "Cache-Control": "no-cache",
    }
    return Response(body, media_type=XLSX, headers=headers)


def _xlsx(store: GraphStore, cluster_id: str, year: int | None, per_gap: int | None = None) -> Response:
    today = dt.date.today()
    key = (store.version(), today, "xlsx", cluster_id, year, per_gap)
    body = _cached(
        key, lambda: cluster_workbook(cluster_report(store, cluster_id, year=year, per_gap=per_gap, today=today))
    )
    return _xlsx_response(body, f"gaps-{cluster_id}.xlsx")


@router.get(
    "/summary",
    response_class=HTMLResponse,
    responses=SUMMARY_PAGE_RESPONSES,
    summary="All clusters ranked by health (printable)",
)
def report_summary(store: StoreDep, year: Year = None, list_year: ListYear = None) -> HTMLResponse:
    """Every cluster ranked by health, with the components, counts, most severe gaps and latest output."""
    today = dt.date.today()
    key = (store.version(), today, "summary", year, list_year)
    page = _cached(
        key,
        lambda: render_summary_report(
            summary_report(store, year=year, list_year=list_year, today=today), links=ServedLinks()
        ),
    )
    assert isinstance(page, RenderedReport)
    return _html(page)


@router.get(
    "/targets",
    response_class=HTMLResponse,
    responses=SUMMARY_PAGE_RESPONSES,
    summary="Whom to approach first, every cluster (printable)",
)
def report_targets(
    store: StoreDep,
    year: Year = None,
    list_year: ListYear = None,
    kind: Kind = None,
    top: TargetsTop = TARGETS_PAGE_TOP,
) -> HTMLResponse:
    """The city's 先找谁 list: every outside firm that could fill a gap of any cluster, once, by priority (as
    `/api/v1/targets` ranks them), each gap named with its cluster and its rank there and in the city; the clusters
    in order of health with their first firms; the gaps no firm in the data can fill; the sources cited."""
    today = dt.date.today()
    key = (store.version(), today, "targets", year, list_year, kind, top)
    page = _cached(
        key,
        lambda: render_targets_report(
            city_targets_report(store, year=year, list_year=list_year, kind=kind, top=top, today=today),
            links=ServedLinks(),
        ),
    )
    assert isinstance(page, RenderedReport)
    return _html(page)


@router.get(
    "/summary.xlsx",
    response_class=Response,
    responses={
        200: {"content": {XLSX: BINARY_CONTENT}, "description": "The gap workbook of every cluster"},
        **SUMMARY_RESPONSES,
    },
    summary="One gap workbook of every cluster (xlsx)",
)
def report_summary_xlsx(store: StoreDep, year: Year = None, list_year: ListYear = None) -> Response:
    """Every cluster's gaps in one workbook, ranked together by severity.

    Sheets 集群 Clusters, 缺口 Gaps, 候选企业 Candidates, 企业 Firms and 来源 Sources, with a README sheet.
    """
    today = dt.date.today()
    key = (store.version(), today, "city-xlsx", year, list_year)
    body = _cached(key, lambda: city_workbook(city_report(store, year=year, list_year=list_year, today=today)))
    return _xlsx_response(body, "gaps-all.xlsx" if list_year is None else f"gaps-all-{list_year}.xlsx")


@router.get(
    "/clusters/{cluster_id}.xlsx",
    response_class=Response,
    responses=XLSX_RESPONSES,
    summary="A cluster's gap workbook (xlsx)",
)
def report_cluster_xlsx(store: StoreDep, cluster_id: ClusterId, year: Year = None, per_gap: PerGap = None) -> Response:
    """Sheets 缺口 Gaps, 先找谁 Targets, 候选企业 Candidates, 企业 Firms and 来源 Sources, with a README sheet;
    `per_gap` cuts the Targets sheet as it cuts `/api/v1/clusters/{id}/targets`."""
    return _xlsx(store, cluster_id, year, per_gap)


@router.get(
    "/clusters/{cluster_id}/brief",
    response_class=HTMLResponse,
    responses=BRIEF_RESPONSES,
    summary="A cluster's meeting brief (one or two A4 pages)",
)
def report_cluster_brief(store: StoreDep, cluster_id: ClusterId, year: Year = None, per_gap: PerGap = None) -> Response:
    """The head figures, the five most severe gaps (why, and the first candidate), the first five firms to approach,
    the anchor firms and the gaps without a candidate, then the sources cited; the full report has the rest.
    `per_gap=1` lists as firms to approach only each gap's first choice (as `/api/v1/clusters/{id}/targets` keeps
    them), so one gap with many candidates does not fill the five; the brief says so, and its links keep it."""
    today = dt.date.today()
    key = (store.version(), today, "brief", cluster_id, year, per_gap)
    try:
        page = _cached(
            key,
            lambda: render_brief(
                cluster_report(store, cluster_id, year=year, per_gap=per_gap, today=today), links=ServedLinks()
            ),
        )
    except NodeNotFound as err:
        return _html(render_not_found(err.node_id, err.suggestions, brief=True), status=404)
    assert isinstance(page, RenderedReport)
    return _html(page)


@router.get(
    "/clusters/{cluster_id}",
    response_class=HTMLResponse,
    responses=HTML_RESPONSES,
    summary="A cluster's printable report (A4)",
)
def report_cluster(
    store: StoreDep,
    cluster_id: ClusterId,
    top: Top = 3,
    year: Year = None,
    per_gap: PerGap = None,
    format: Format = "html",
) -> Response:
    """Figures by year, chain diagram, coverage and severity charts, gaps, candidates, targets (先找谁), anchors,
    sources. `per_gap` keeps in the 先找谁 list only firms among the first N candidates of one of their gaps (as
    `/api/v1/clusters/{id}/targets`); the report says so."""
    if format == "xlsx":
        return _xlsx(store, cluster_id, year, per_gap)
    today = dt.date.today()
    key = (store.version(), today, "html", cluster_id, top, year, per_gap)
    try:
        page = _cached(
            key,
            lambda: render_cluster_report(
                cluster_report(store, cluster_id, top=top, year=year, per_gap=per_gap, today=today),
                links=ServedLinks(),
            ),
        )
    except NodeNotFound as err:
        return _html(render_not_found(err.node_id, err.suggestions), status=404)
    assert isinstance(page, RenderedReport)
    return _html(page)
