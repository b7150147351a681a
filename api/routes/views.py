"""Interactive HTML views: the overview, a cluster's chain, a firm's neighbourhood, a segment (gap).

Each page inlines vis-network and its own script and data, and loads one thing
more from this server: the search index, ``/views/search-index/<digest>.js``
(:mod:`viz.search_index`; review 16b H2: embedded, it made every page 15 MB at
10^5 firms). Its URL names its content, so it is sent ``immutable`` with a
year's ``max-age``: a browser fetches it once per data version and reuses it on
every page; an import changes the data, the pages (``no-cache``, revalidated)
and so the URL. A URL of older data answers 404 (the page says the index did not
load and offers ``/api/v1/search``; a reload gets the new page).

A page is sent with a Content-Security-Policy that allows exactly its inline
scripts and styles and its index script, each by its hash (the index script's is
also its ``integrity``), and nothing else: no URL, not even ``'self'``, and
``connect-src 'none'``; plus the usual hardening headers. An unknown id gives an
HTML 404 page linking to the nearest ids; a bad one (over 200 characters) an
HTML 422 page saying what is accepted (``api.problems``).
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import Annotated, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse, Response

from api.deps import PublishedYear, StoreDep
from api.problems import MEDIA_TYPE, PAGE_UNAVAILABLE_RESPONSE
from graph.errors import NodeNotFound
from graph.store import GraphStore
from viz.overview import gather_overview, overview_network
from viz.page import ViewNetwork
from viz.render import LinkStyle, RenderedPage, render_not_found, render_view
from viz.search_index import store_index_script
from viz.views import build_view

router = APIRouter(prefix="/views", tags=["views"])
ViewId = Annotated[str, Path(max_length=200, description="Node id, e.g. `nev` or `nev-battery-cell`")]
Lang = Annotated[
    Literal["en", "zh"] | None,
    Query(
        description="The language the page opens in (read by the page's own script, as `#lang=`); "
        "its links to other views keep it",
    ),
]

ListYear = Annotated[
    PublishedYear | None,
    Query(
        description="2022 or 2024: only the clusters on that published list, and the supply links between them "
        "(as `/api/v1/cluster-links?list_year=`); the title names the list",
    ),
]

SECURITY_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "DENY",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
    "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=()",
    "Cache-Control": "no-cache",
}
INDEX_HEADERS = {
    **{k: v for k, v in SECURITY_HEADERS.items() if k != "Cache-Control"},
    "Cache-Control": "public, max-age=31536000, immutable",
}
"""The index script's headers: the pages' hardening, and kept for a year unasked (its URL changes with it)."""
STALE_INDEX = (
    "// This search index is not the current one: the data changed since the page was made. Reload the page.\n"
    "// 搜索索引已更新：数据在页面生成后有变动，请刷新页面。\n"
)
CACHE_SIZE = 32
_cache: OrderedDict[tuple[str, str, str, str], RenderedPage] = OrderedDict()
_cache_lock = threading.Lock()

JSON_ONLY = "; problem+json when the request accepts JSON and not `text/html` (`Accept: application/json`)"
"""How the pages' 404 and 422 are negotiated (``api.problems.wants_json``), as their 503 is."""
OVERVIEW_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/html": {}}, "description": "A self-contained HTML page"},
    422: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "A bad `lang` or `list_year`, or a query parameter the page does not take: an HTML page "
        "saying what is accepted" + JSON_ONLY,
    },
    503: PAGE_UNAVAILABLE_RESPONSE,
}
"""The answers of ``/views/overview``, which takes no id (so no 404)."""
HTML_RESPONSES: dict[int | str, dict[str, object]] = {
    200: {"content": {"text/html": {}}, "description": "A self-contained HTML page"},
    404: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "Unknown id: an HTML page linking to the nearest ids" + JSON_ONLY + ", with `suggestions`",
    },
    422: {
        "content": {"text/html": {}, MEDIA_TYPE: {}},
        "description": "A bad id, or a query parameter the page does not take: an HTML page saying what is accepted"
        + JSON_ONLY,
    },
    503: PAGE_UNAVAILABLE_RESPONSE,
}


def html_page(page: RenderedPage, status: int = 200) -> HTMLResponse:
    """A rendered page with its own Content-Security-Policy (no framing) and the security headers."""
    headers = {"Content-Security-Policy": page.csp + "; frame-ancestors 'none'", **SECURITY_HEADERS}
    return HTMLResponse(page.html, status_code=status, headers=headers)


def _page(
    store: GraphStore,
    kind: str,
    node_id: str | None,
    *,
    variant: str = "",
    build: Callable[[], ViewNetwork] | None = None,
) -> HTMLResponse:
    """The page of a view, cached by data version, kind, id and ``variant`` (the query that shapes it, as
    ``list_year=2024``); ``build`` makes its network when it is not the kind's default
    (:func:`viz.views.build_view`)."""
    key = (store.version(), kind, node_id or "", variant)
    with _cache_lock:
        cached = _cache.get(key)
        if cached is not None:
            _cache.move_to_end(key)
            return html_page(cached)
    try:
        net = build() if build is not None else build_view(store, kind, node_id)
        page = render_view(net, LinkStyle.served(), index=store_index_script(store))
    except NodeNotFound as err:
        return html_page(render_not_found(kind, err.node_id, err.suggestions, LinkStyle.served()), status=404)
    with _cache_lock:
        _cache[key] = page
        while len(_cache) > CACHE_SIZE:
            _cache.popitem(last=False)
    return html_page(page)


@router.get("", include_in_schema=False)
def views_root() -> RedirectResponse:
    return RedirectResponse("views/overview", status_code=307)


@router.get("/search-index/{digest}.js", include_in_schema=False)
def view_search_index(request: Request, store: StoreDep, digest: Annotated[str, Path(max_length=64)]) -> Response:
    """The views' search index as a script (:func:`viz.search_index.index_script`), kept by the browser for good:
    the digest in its URL names its content. Another digest (data since changed) is a 404 that is not kept.

    A client that accepts gzip gets the bytes compressed once per data version (``IndexScript.gzipped``; the gzip
    middleware leaves an answer with a ``Content-Encoding`` alone), not compressed again for each browser.
    """
    script = store_index_script(store)
    if digest != script.digest:
        headers = {**SECURITY_HEADERS, "Cache-Control": "no-store"}
        return PlainTextResponse(STALE_INDEX, status_code=404, headers=headers)
    media_type = "text/javascript; charset=utf-8"
    if "gzip" in request.headers.get("accept-encoding", "").lower():
        headers = {**INDEX_HEADERS, "Content-Encoding": "gzip", "Vary": "Accept-Encoding"}
        return Response(script.gzipped, media_type=media_type, headers=headers)
    return Response(script.text, media_type=media_type, headers=INDEX_HEADERS)  # Vary: from the gzip middleware


@router.get("/overview", response_class=HTMLResponse, responses=OVERVIEW_RESPONSES, summary="Overview of the clusters")
def view_overview(store: StoreDep, lang: Lang = None, list_year: ListYear = None) -> HTMLResponse:
    """Every cluster sized by its latest published output, with cross-cluster supply links; `list_year` draws
    only the clusters of one published list (else the clusters of both lists, as the title says)."""
    if list_year is None:
        return _page(store, "overview", None)
    return _page(
        store,
        "overview",
        None,
        variant=f"list_year={list_year}",
        build=lambda: overview_network(gather_overview(store, list_year=list_year)),
    )


@router.get(
    "/clusters/{cluster_id}", response_class=HTMLResponse, responses=HTML_RESPONSES, summary="A cluster's chain"
)
def view_cluster(store: StoreDep, cluster_id: ViewId, lang: Lang = None) -> HTMLResponse:
    """The chain upstream → downstream, gaps in colour, firms on click or by a toggle."""
    return _page(store, "cluster", cluster_id)


@router.get("/firms/{firm_id}", response_class=HTMLResponse, responses=HTML_RESPONSES, summary="A firm's neighbourhood")
def view_firm(store: StoreDep, firm_id: ViewId, lang: Lang = None) -> HTMLResponse:
    """A firm's segments, suppliers, customers, parent and subsidiaries."""
    return _page(store, "firm", firm_id)


@router.get(
    "/segments/{segment_id}", response_class=HTMLResponse, responses=HTML_RESPONSES, summary="A segment and its gap"
)
def view_segment(store: StoreDep, segment_id: ViewId, lang: Lang = None) -> HTMLResponse:
    """The segment, what depends on it, and ranked candidate firms with their reasons."""
    return _page(store, "segment", segment_id)
