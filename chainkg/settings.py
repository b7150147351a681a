"""Settings, read once from the environment.

| variable | default | meaning |
|---|---|---|
| ``CHAINKG_BACKEND`` | ``networkx`` | ``networkx`` (embedded) or ``neo4j`` |
| ``CHAINKG_DATA`` | the bundled ``data/changzhou`` | the dataset folder served by the embedded store |
| ``CHAINKG_STATE_DIR`` | see :mod:`graph.persist` | where the embedded store keeps imported data |
| ``CHAINKG_HOST`` | ``127.0.0.1`` | address ``chainkg serve`` listens on |
| ``CHAINKG_PORT`` | ``8000`` | port ``chainkg serve`` listens on |
| ``CHAINKG_API_KEY`` | unset | key for write endpoints; unset disables writes |
| ``CHAINKG_CORS_ORIGINS`` | unset | comma-separated origins allowed by CORS; unset means none |
| ``CHAINKG_MAX_BODY_MB`` | ``20`` | largest request body the API accepts, in MB (413 above it) |
| ``NEO4J_URI`` | unset | Bolt address; required when the backend is ``neo4j`` |
| ``NEO4J_USER`` / ``NEO4J_PASSWORD`` | unset | credentials; unset means no auth |
| ``NEO4J_DATABASE`` | ``neo4j`` | database name |
| ``NEO4J_QUERY_TIMEOUT`` | ``5`` | server-side timeout of each read, in seconds |
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from graph.errors import ConfigError

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO_ROOT / "data" / "changzhou"
BACKENDS = ("networkx", "neo4j")


@dataclass(frozen=True)
class Settings:
    """Every setting chainkg reads; see the module docstring for the variables."""

    backend: str = "networkx"
    data_dir: Path = BUNDLED_DATA
    state_dir: Path | None = None
    host: str = "127.0.0.1"
    port: int = 8000
    api_key: str | None = field(default=None, repr=False)
    cors_origins: tuple[str, ...] = ()
    neo4j_uri: str | None = None
    neo4j_user: str | None = None
    neo4j_password: str | None = field(default=None, repr=False)
    neo4j_database: str = "neo4j"
    neo4j_query_timeout: float = 5.0
    max_body_mb: float = 20.0

    @classmethod
    def from_env(cls, env: dict[str, str] | None = None, **overrides: object) -> Settings:
        """Read settings from ``env`` (default ``os.environ``); ``overrides`` win."""
        env = dict(os.environ if env is None else env)
        backend = str(overrides.pop("backend", None) or env.get("CHAINKG_BACKEND") or "networkx").lower()
        if backend not in BACKENDS:
            raise ConfigError(f"CHAINKG_BACKEND must be one of {', '.join(BACKENDS)}; got {backend!r}")
        port_raw = env.get("CHAINKG_PORT") or "8000"
        try:
            port = int(port_raw)
        except ValueError:
            port = -1
        if not 0 <= port <= 65535:
            raise ConfigError(f"CHAINKG_PORT must be a port number from 0 to 65535; got {port_raw!r}")
        timeout_raw = env.get("NEO4J_QUERY_TIMEOUT") or "5"
        try:
            timeout = float(timeout_raw)
        except ValueError:
            raise ConfigError(f"NEO4J_QUERY_TIMEOUT must be seconds; got {timeout_raw!r}") from None
        body_raw = env.get("CHAINKG_MAX_BODY_MB") or "20"
        try:
            max_body_mb = float(body_raw)
        except ValueError:
            max_body_mb = -1.0
        if not 0 < max_body_mb <= 4096:
            raise ConfigError(f"CHAINKG_MAX_BODY_MB must be a number of megabytes (0-4096]; got {body_raw!r}")
        values: dict[str, object] = {
            "backend": backend,
            "data_dir": Path(env["CHAINKG_DATA"]) if env.get("CHAINKG_DATA") else BUNDLED_DATA,
            "state_dir": Path(env["CHAINKG_STATE_DIR"]) if env.get("CHAINKG_STATE_DIR") else None,
            "host": env.get("CHAINKG_HOST") or "127.0.0.1",
            "port": port,
            "api_key": env.get("CHAINKG_API_KEY") or None,
            "cors_origins": tuple(o.strip() for o in (env.get("CHAINKG_CORS_ORIGINS") or "").split(",") if o.strip()),
            "neo4j_uri": env.get("NEO4J_URI") or None,
            "neo4j_user": env.get("NEO4J_USER") or None,
            "neo4j_password": env.get("NEO4J_PASSWORD") or None,
            "neo4j_database": env.get("NEO4J_DATABASE") or "neo4j",
            "neo4j_query_timeout": timeout,
            "max_body_mb": max_body_mb,
        }
        values.update({k: v for k, v in overrides.items() if v is not None})
        settings = cls(**values)  # type: ignore[arg-type]
        if settings.backend == "neo4j" and not settings.neo4j_uri:
            raise ConfigError(
                "NEO4J_URI is required for the neo4j backend (--backend neo4j or CHAINKG_BACKEND=neo4j); "
                "expected its Bolt address, e.g. export NEO4J_URI=bolt://127.0.0.1:7687"
            )
        return settings
