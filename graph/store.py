"""The store interface that every query is written against.

A store holds one graph at a time. ``replace`` swaps in a whole new dataset
atomically: readers see either the old graph or the new one, never a mix, and
a load that fails leaves the old graph in place.

Both stores return nodes sorted by id and edges sorted by (kind, source,
target), so that the same query gives the same answer on either.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> isinstance(store, GraphStore)
True
>>> [s.id for s in store.nodes("Segment")][:2]
['t-anode', 't-cathode']
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Protocol, runtime_checkable

from graph.dataset import Dataset
from graph.model import Edge, EdgeKind, Node, NodeKind

Progress = Callable[[int, int, str], None]
"""A progress callback: ``progress(done, total, what)``."""


@runtime_checkable
class GraphStore(Protocol):
    """What queries may ask of a graph store."""

    backend: str
    """``"networkx"`` or ``"neo4j"``."""

    def replace(self, dataset: Dataset, *, progress: Progress | None = None) -> None:
        """Replace the whole graph with ``dataset``, atomically as readers see it."""
        ...

    def node(self, node_id: str) -> Node | None:
        """Return the node with this id, or ``None``."""
        ...

    def nodes(self, kind: NodeKind | str) -> list[Node]:
        """Return every node of one kind, sorted by id."""
        ...

    def edges(
        self,
        kind: EdgeKind | str | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> list[Edge]:
        """Return edges, optionally of one kind and from/to one node, sorted by key."""
        ...

    def snapshot(self) -> Dataset:
        """Return the whole graph as a dataset (for export and diffing)."""
        ...

    def counts(self) -> dict[str, object]:
        """Return counts as :meth:`graph.dataset.Dataset.counts` does."""
        ...

    def version(self) -> str:
        """Return a token that changes whenever the graph changes (for caches)."""
        ...

    def ping(self) -> dict[str, object]:
        """Return the backend's state, e.g. ``{"state": "up"}``; never raises."""
        ...

    def close(self) -> None:
        """Release connections."""
        ...


EMPTY_NEO4J = "neo4j-empty"
"""What :meth:`graph.neo4j_store.Neo4jStore.version` answers while nothing was loaded into the database."""


def empty_store_message(store: GraphStore) -> str | None:
    """Why ``store`` cannot answer yet, with how to fix it, or ``None`` when it holds a graph.

    Only Neo4j can be empty: a database nothing was loaded into. There every id would be
    "not found", which sends a user looking for a typo instead of to ``chainkg load``; the CLI
    and the API (503 ``graph-not-loaded``) say this message instead.

    Examples
    --------
    >>> from graph.fixtures import tiny_chain
    >>> from graph.memory_store import MemoryStore
    >>> store = MemoryStore()
    >>> store.replace(tiny_chain())
    >>> empty_store_message(store) is None  # the embedded store always holds its graph
    True
    """
    if store.backend != "neo4j" or store.version() != EMPTY_NEO4J:
        return None
    where = f"{getattr(store, 'uri', 'Neo4j')} (database {getattr(store, 'database', 'neo4j')})"
    hint = "load one first: chainkg load data/changzhou --backend neo4j"
    return f"Neo4j at {where} holds no graph from chainkg load yet; {hint}"
