"""Liveness and the store's state."""

from __future__ import annotations

from fastapi import APIRouter

import chainkg
from api.deps import StoreDep
from api.schemas import Health

router = APIRouter(tags=["health"])


@router.get("/health", response_model=Health, summary="Service and store health")
def read_health(store: StoreDep) -> dict[str, object]:
    """Report whether the service is up and the state of its graph store."""
    state = store.ping()
    return {
        "status": "ok" if state.get("state") == "up" else "degraded",
        "backend": store.backend,
        "store": state,
        "version": chainkg.__version__,
    }
