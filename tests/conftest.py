"""Shared fixtures: the tiny chain, the bundled dataset and in-process API clients."""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from chainkg.settings import BUNDLED_DATA, Settings
from graph.dataset import Dataset
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from loaders.folder import load_folder

IN_CI = os.environ.get("CI", "").lower() in {"1", "true", "yes"}
REPO = Path(__file__).resolve().parent.parent

# Imported graphs are kept under XDG_DATA_HOME (graph/persist.py): point it at a fresh folder so that
# no test reads or writes the user's own ~/.local/share/chainkg (subprocesses inherit it too).
os.environ["XDG_DATA_HOME"] = __import__("tempfile").mkdtemp(prefix="chainkg-tests-xdg-")
os.environ.pop("CHAINKG_STATE_DIR", None)


def skip_or_fail(reason: str) -> None:
    """Skip locally; under CI=true a missing real part is a failure, never a skip."""
    if IN_CI:
        pytest.fail(f"CI=true and {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def bundled() -> Dataset:
    return load_folder(BUNDLED_DATA)


@pytest.fixture
def tiny_store() -> MemoryStore:
    return MemoryStore(tiny_chain())


@pytest.fixture(scope="session")
def bundled_store(bundled: Dataset) -> MemoryStore:
    return MemoryStore(bundled)


@pytest.fixture(scope="session")
def api_client(bundled_store: MemoryStore):
    from fastapi.testclient import TestClient

    from api.app import create_app

    app = create_app(bundled_store, Settings.from_env(env={}))
    with TestClient(app) as client:
        yield client


@pytest.fixture(scope="session")
def neo4j_store():
    """A store on the real Neo4j at NEO4J_URI (``make test`` starts one); skipped locally without it."""
    if not os.environ.get("NEO4J_URI"):
        skip_or_fail("NEO4J_URI is not set: run `make test`, or scripts/neo4j_server.py run -- pytest ...")
    from graph.neo4j_store import Neo4jStore

    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"))
    state = store.ping()
    if state["state"] != "up":
        store.close()
        skip_or_fail(f"Neo4j at {os.environ['NEO4J_URI']} does not answer: {state.get('error')}")
    yield store
    store.close()


def pytest_report_header(config: pytest.Config) -> list[str]:
    import networkx

    return [f"networkx {networkx.__version__}; CI={IN_CI}; NEO4J_URI={os.environ.get('NEO4J_URI', '(unset)')}"]


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
"""Debian's Chromium, never a browser a tool downloads; the flags the machine needs."""


@pytest.fixture(scope="module")
def browser():
    """A headless Chromium for a module's browser tests; a skip (a failure under CI=true) when there is none."""
    if not Path(CHROMIUM).exists():
        skip_or_fail(f"{CHROMIUM} is missing (run scripts/ensure_browser.sh)")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        skip_or_fail("playwright is not installed (pip install -e '.[dev]')")
    with sync_playwright() as p:
        try:
            chromium = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        except Exception as err:  # noqa: BLE001 - any launch failure means no usable browser
            skip_or_fail(f"Chromium at {CHROMIUM} did not start: {err}")
        yield chromium
        chromium.close()


@pytest.fixture(scope="module")
def bundled_server(bundled_store: MemoryStore) -> Iterator[str]:
    """The bundled data served by the API app on a free loopback port (uvicorn in a thread): its URL."""
    from tests.view_support import served

    with served(bundled_store) as url:
        yield url
