"""Liveness and the store's state."""

from __future__ import annotations

from fastapi import APIRouter

import chainkg
from api.deps import StoreDep, not_loaded_message
from api.schemas import ServiceHealth
from graph.errors import StoreUnavailable
from graph.store import GraphStore

router = APIRouter(tags=["health"])


def store_status(store: GraphStore, state: dict[str, object]) -> tuple[str, str | None]:
    """``(status, detail)`` for ``/health``: ``ok``, ``degraded`` (store down) or ``graph-not-loaded``.

    ``state`` is what ``store.ping()`` answered; ``detail`` says why the status is not ``ok``.
    """
    if state.get("state") != "up":
        return "degraded", f"the graph store is down: {state.get('error', 'no answer')}"
    try:
        message = not_loaded_message(store)
    except StoreUnavailable as err:  # went down since the ping: /health answers all the same
        return "degraded", str(err)
    if message:
        return "graph-not-loaded", message
    return "ok", None


@router.get("/health", response_model=ServiceHealth, summary="Service and store health")
def read_health(store: StoreDep) -> dict[str, object]:
    """Report whether the service is up and the state of its graph store: `status` is `ok`, `degraded` (the
    store is down) or `graph-not-loaded` (the store holds no graph yet; `detail` says how to load one)."""
    state = store.ping()
    status, detail = store_status(store, state)
    return {
        "status": status,
        "backend": store.backend,
        "store": state,
        "detail": detail,
        "version": chainkg.__version__,
    }
