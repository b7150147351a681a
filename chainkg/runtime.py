"""Open the configured store: the embedded networkx store or Neo4j."""

from __future__ import annotations

from chainkg.settings import Settings
from graph.memory_store import MemoryStore
from graph.store import GraphStore, Progress
from loaders.folder import load_folder


def open_store(settings: Settings, *, load: bool = True, progress: Progress | None = None) -> GraphStore:
    """Return a store for ``settings``.

    For ``networkx`` the dataset folder ``settings.data_dir`` is loaded (when
    ``load``). For ``neo4j`` the store connects to ``settings.neo4j_uri`` and
    serves what was loaded there with ``chainkg load --backend neo4j``.
    """
    if settings.backend == "neo4j":
        from graph.neo4j_store import Neo4jStore

        return Neo4jStore.from_settings(settings)
    store = MemoryStore()
    if load:
        store.replace(load_folder(settings.data_dir), progress=progress)
    return store
