"""The FastAPI application factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI
from fastapi.middleware.cors import CORSMiddleware
from fastapi.routing import APIRoute

import chainkg
from api import problems
from api.routes import clusters, firms, health
from chainkg.settings import Settings
from graph.store import GraphStore

TAGS = [
    {"name": "health", "description": "Service state."},
    {"name": "clusters", "description": "The ten advanced-manufacturing clusters (十大先进制造业集群)."},
    {"name": "firms", "description": "Firms in Changzhou and outside it, by segment."},
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
    )
    app.state.settings = settings
    app.state.store = store
    if settings.cors_origins:
        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(settings.cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["*"],
        )
    problems.install(app)
    for module in (health, clusters, firms):
        app.include_router(module.router)
    return app
