"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.routing import APIRoute

import chainkg
from api import caching, compression, examples, openapi_nulls, problems, security
from api.deps import GraphLoaded, StrictQuery
from api.head import HeadAsGet
from api.routes import (
    analysis,
    clusters,
    criticality,
    firms,
    health,
    home,
    layers,
    reports,
    search,
    segments,
    sources,
    targets,
    views,
)
from api.routes import imports as imports_routes
from chainkg.settings import Settings
from graph.store import GraphStore

TAGS = [
    {"name": "health", "description": "Service state."},
    {"name": "clusters", "description": "The ten advanced-manufacturing clusters (十大先进制造业集群)."},
    {"name": "firms", "description": "Firms in Changzhou and outside it, by segment."},
    {"name": "analysis", "description": "Chain-strengthening analysis (强链补链延链): chains, gaps, health, what-if."},
    {"name": "segments", "description": "Chain segments (产业链环节): detail, candidates to attract, impact."},
    {
        "name": "layers",
        "description": "Major projects (重大项目), policies, 专精特新 tiers, 智改数转 platforms, chain completeness.",
    },
    {"name": "sources", "description": "The documents every fact cites: any source id an answer gives, resolved."},
    {"name": "search", "description": "Search firms, segments and clusters by name, alias or pinyin."},
    {"name": "views", "description": "Self-contained interactive HTML views (no request leaves the page)."},
    {"name": "reports", "description": "Printable A4 cluster reports, gap workbooks (xlsx) and the health summary."},
    {"name": "imports", "description": "Import (needs CHAINKG_API_KEY) and export the graph: xlsx, csv, json, ..."},
]


def _operation_id(route: APIRoute) -> str:
    """Stable operationIds: the route function's name (read_clusters, read_firm, ...)."""
    return route.name


def create_app(store: GraphStore | None = None, settings: Settings | None = None) -> FastAPI:
    """Build the app. Without ``store``, the store is opened from ``settings`` at start-up."""
    settings = settings or Settings.from_env()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        if getattr(app.state, "store", None) is None:
            from chainkg.runtime import open_store

            app.state.store = open_store(settings)
        yield
        app.state.store.close()

    app = FastAPI(
        title="chainkg",
        version=chainkg.__version__,
        summary="Industry-chain knowledge graph of Changzhou's ten advanced-manufacturing clusters",
        openapi_tags=TAGS,
        generate_unique_id_function=_operation_id,
        lifespan=lifespan,
        docs_url=None,  # /docs and /redoc: served without a CDN by api/docs_pages.py
        redoc_url=None,
    )
    app.state.settings = settings
    app.state.store = store
    caching.install(app)  # ETag, Cache-Control: no-cache and 304 on the read routes (inside CORS)
    security.install(app, settings)  # headers, body limit (CHAINKG_MAX_BODY_MB), CORS only for the allow-list
    compression.install(app)  # gzip for clients that accept it (inside HeadAsGet: a HEAD has the GET's headers)
    app.add_middleware(HeadAsGet)  # HEAD on every GET route: its headers, no body
    problems.install(app)
    examples.install(app)  # the examples' null fields, which FastAPI's document drops
    openapi_nulls.install(app)  # the "default": null of optional fields and parameters, dropped too
    from api import docs_pages  # /docs, /redoc and their assets, served by chainkg itself (no CDN)

    docs_pages.install(app)
    app.include_router(health.router)
    app.include_router(home.router)  # /: the home page (out of the OpenAPI document); answers while nothing is loaded
    # StrictQuery: a query parameter the route does not take is a 422 (`?cluster_id=nev` is not `?cluster=nev`);
    # it runs first, so that a typo is said even while the graph is not loaded. /health stays lenient (probes).
    for module in (clusters, firms, analysis, criticality, targets, segments, layers, sources, search, views, reports):
        app.include_router(module.router, dependencies=[StrictQuery, GraphLoaded])  # 503 graph-not-loaded if empty
    app.include_router(imports_routes.router, dependencies=[StrictQuery])  # its export needs a graph, an import not
    return app
