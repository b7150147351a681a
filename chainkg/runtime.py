"""Open the configured store: the embedded networkx store or Neo4j."""

from __future__ import annotations

import logging

from chainkg.settings import BUNDLED_DATA, Settings
from graph.memory_store import MemoryStore
from graph.persist import StateDir, state_dir_for
from graph.store import GraphStore, Progress

log = logging.getLogger("chainkg")


def state_dir(settings: Settings) -> StateDir:
    """Where the embedded store keeps imported data for ``settings`` (see :mod:`graph.persist`)."""
    path = state_dir_for(settings.data_dir, bundled=BUNDLED_DATA, explicit=settings.state_dir)
    return StateDir(path, base=settings.data_dir)


def open_store(settings: Settings, *, load: bool = True, progress: Progress | None = None) -> GraphStore:
    """Return a store for ``settings``.

    For ``networkx`` the last imported snapshot (see :func:`state_dir`) or,
    when nothing was imported, the dataset folder ``settings.data_dir`` is
    loaded (when ``load``). For ``neo4j`` the store connects to ``settings.neo4j_uri`` and
    serves what was loaded there with ``chainkg load --backend neo4j``; a ``replace`` through it is
    recorded as an import (the CLI and the API import through it; ``chainkg load`` calls
    :meth:`~graph.neo4j_store.Neo4jStore.load_dataset`).
    """
    if settings.backend == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings, replace_is_import=True)  # its only replace: an import
    store = MemoryStore()
    if load:
        from loaders.importer import current_dataset

        state = state_dir(settings)
        store.replace(current_dataset(settings.data_dir, state), progress=progress)
        if state.last_header:
            log.info("serving the graph imported into %s", state.snapshot_path)
            if state.base_changed():
                log.warning(
                    "%s changed since the last import; serving the imported graph in %s. To take in the "
                    "folder's changes, import the folder over it: chainkg import %s --data %s --on-conflict "
                    "overwrite (rows deleted from the folder stay); or delete %s to serve the folder alone "
                    "(the imports are lost)",
                    settings.data_dir,
                    state.snapshot_path,
                    settings.data_dir,
                    settings.data_dir,
                    state.snapshot_path,
                )
    return store
