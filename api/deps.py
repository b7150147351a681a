"""Dependencies shared by the routers: the store and the settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from chainkg.settings import Settings
from graph.errors import GraphNotLoaded
from graph.store import GraphStore, empty_store_message


def get_store(request: Request) -> GraphStore:
    """The store opened at start-up (one per process)."""
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]

NOT_LOADED_NOTE = "the running API serves it from the next request on, without a restart"
"""What follows the CLI's "load one first: ..." in the API's answer: a load is picked up while it runs."""


def not_loaded_message(store: GraphStore) -> str | None:
    """Why ``store`` has nothing to answer with, and how to load a graph; ``None`` when it holds one.

    Only a Neo4j database that ``chainkg load`` never filled is empty (the CLI's test, one small read).
    """
    message = empty_store_message(store)
    return f"{message} ({NOT_LOADED_NOTE})" if message else None


def require_loaded_graph(store: StoreDep) -> None:
    """Answer 503 ``graph-not-loaded`` for a route that reads the graph while the store holds none.

    On an empty Neo4j database every id would be a 404 ("No cluster with id 'nev'") and every list
    empty, which sends a client looking for a typo instead of to the load. Checked on every request,
    so a graph loaded while the API runs is served at once.
    """
    message = not_loaded_message(store)
    if message:
        raise GraphNotLoaded(message)


GraphLoaded = Depends(require_loaded_graph)
"""The dependency to put on every route that reads the graph (not ``/health``, not the import)."""


def page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """The body of a paged list: ``items`` from ``offset``, at most ``limit`` of them, and the ``total``.

    >>> page([{"id": 1}, {"id": 2}, {"id": 3}], limit=1, offset=1)
    {'items': [{'id': 2}], 'total': 3, 'limit': 1, 'offset': 1}
    """
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}
