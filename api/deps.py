"""Dependencies shared by the routers: the store and the settings."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, Query, Request

from chainkg.settings import Settings
from graph.store import GraphStore


def get_store(request: Request) -> GraphStore:
    """The store opened at start-up (one per process)."""
    return request.app.state.store  # type: ignore[no-any-return]


def get_settings(request: Request) -> Settings:
    return request.app.state.settings  # type: ignore[no-any-return]


StoreDep = Annotated[GraphStore, Depends(get_store)]
SettingsDep = Annotated[Settings, Depends(get_settings)]
Limit = Annotated[int, Query(ge=1, le=500, description="Page size")]
Offset = Annotated[int, Query(ge=0, le=10_000_000, description="Items to skip")]


def page(items: list[dict[str, Any]], limit: int, offset: int) -> dict[str, Any]:
    """The body of a paged list: ``items`` from ``offset``, at most ``limit`` of them, and the ``total``.

    >>> page([{"id": 1}, {"id": 2}, {"id": 3}], limit=1, offset=1)
    {'items': [{'id': 2}], 'total': 3, 'limit': 1, 'offset': 1}
    """
    return {"items": items[offset : offset + limit], "total": len(items), "limit": limit, "offset": offset}
