"""The embedded default store: one networkx ``MultiDiGraph`` in memory.

Edges are keyed by their kind, so a (source, target) pair holds at most one
edge of each kind. ``replace`` builds the new graph off to the side and swaps
one reference, so readers never see a half-loaded graph.

Examples
--------
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> store.node("t-cell").name_zh
'电芯'
>>> [e.source for e in store.edges("SUPPLIES", target="t-cell")]
['t-anode', 't-cathode']
"""

from __future__ import annotations

import itertools
import threading
from dataclasses import dataclass, field

import networkx as nx

from graph.bulk import paused_gc
from graph.dataset import Dataset
from graph.model import Edge, EdgeKind, Node, NodeKind
from graph.store import Progress

_versions = itertools.count(1)


@dataclass
class _State:
    dataset: Dataset
    graph: nx.MultiDiGraph
    by_kind: dict[str, list[Node]]
    edges_by_kind: dict[str, list[Edge]]
    version: str
    counts: dict[str, object] = field(default_factory=dict)


def _build(dataset: Dataset, progress: Progress | None) -> _State:
    graph = nx.MultiDiGraph()
    by_kind: dict[str, list[Node]] = {k.value: [] for k in NodeKind}
    total = len(dataset.nodes) + len(dataset.edges)
    done = 0
    step = max(1, total // 20)
    for node in dataset.nodes.values():
        graph.add_node(node.id, node=node)
        by_kind[node.kind].append(node)
        done += 1
        if progress and done % step == 0:
            progress(done, total, "nodes")
    edges_by_kind: dict[str, list[Edge]] = {k.value: [] for k in EdgeKind}
    for edge in dataset.edges.values():
        kind = edge.kind._value_  # a plain attribute; ``.value`` is a descriptor, slow over 10^5 edges
        graph.add_edge(edge.source, edge.target, key=kind, edge=edge)
        edges_by_kind[kind].append(edge)
        done += 1
        if progress and done % step == 0:
            progress(done, total, "edges")
    for items in by_kind.values():
        items.sort(key=lambda n: n.id)
    for elist in edges_by_kind.values():
        elist.sort(key=lambda e: e.key)
    if progress:
        progress(total, total, "done")
    version = f"nx-{next(_versions)}-{dataset.fingerprint()}"
    return _State(dataset, graph, by_kind, edges_by_kind, version, dataset.counts())


class MemoryStore:
    """A :class:`graph.store.GraphStore` held in one process's memory.

    Parameters
    ----------
    dataset : Dataset, optional
        The graph to start with; empty when omitted.
    """

    backend = "networkx"

    def __init__(self, dataset: Dataset | None = None) -> None:
        self._lock = threading.Lock()
        self._state = _build(dataset or Dataset(), None)

    # -- writes ----------------------------------------------------------------------

    def replace(self, dataset: Dataset, *, progress: Progress | None = None) -> None:
        with paused_gc():  # see graph.bulk: the cyclic GC would double the time of a large load
            problems = dataset.problems()
            if problems:
                from graph.errors import ModelError

                raise ModelError("dataset is inconsistent: " + "; ".join(problems[:10]))
            state = _build(dataset, progress)
        with self._lock:
            self._state = state

    # -- reads -----------------------------------------------------------------------

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The underlying networkx graph (read-only by convention)."""
        return self._state.graph

    def node(self, node_id: str) -> Node | None:
        data = self._state.graph.nodes.get(node_id)
        return None if data is None else data["node"]

    def nodes(self, kind: NodeKind | str) -> list[Node]:
        return list(self._state.by_kind[NodeKind(kind).value])

    def edges(
        self,
        kind: EdgeKind | str | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> list[Edge]:
        state = self._state
        name = EdgeKind(kind).value if kind is not None else None
        if source is None and target is None:
            if name is not None:
                return list(state.edges_by_kind[name])
            return sorted(state.dataset.edges.values(), key=lambda e: e.key)
        graph = state.graph
        if source is not None and source not in graph:
            return []
        if target is not None and target not in graph:
            return []
        if source is not None:
            found = (d["edge"] for _, t, k, d in graph.out_edges(source, keys=True, data=True) if target in (None, t))
        else:
            found = (d["edge"] for _, _, k, d in graph.in_edges(target, keys=True, data=True))
        out = [e for e in found if name is None or e.kind.value == name]
        out.sort(key=lambda e: e.key)
        return out

    def snapshot(self) -> Dataset:
        return self._state.dataset

    def counts(self) -> dict[str, object]:
        return self._state.counts

    def version(self) -> str:
        return self._state.version

    def ping(self) -> dict[str, object]:
        return {"state": "up", "nodes": self._state.graph.number_of_nodes()}

    def close(self) -> None:
        return None
