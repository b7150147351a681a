"""The four kinds of view, by name: gather from a store, build the network, render the page.

``build_view`` is what the API route and ``chainkg render`` call; the
per-kind modules keep gathering (queries against the store) apart from
building (pure, no I/O).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> build_view(store, "cluster", "t-nev").view_kind
'cluster'
>>> build_view(store, "overview").num_nodes()
1
>>> build_view(store, "segment", None)
Traceback (most recent call last):
...
graph.errors.InvalidQuery: a segment view needs an id
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from graph.errors import InvalidQuery
from graph.store import GraphStore
from viz import cluster, firm, overview, segment
from viz.page import ViewNetwork

VIEW_KINDS: dict[str, tuple[Callable[..., dict[str, Any]], Callable[[dict[str, Any]], ViewNetwork]]] = {
    "overview": (overview.gather_overview, overview.overview_network),
    "cluster": (cluster.gather_cluster, cluster.cluster_network),
    "firm": (firm.gather_firm, firm.firm_network),
    "segment": (segment.gather_segment, segment.segment_network),
}
"""kind → (gather(store[, id]), build(data))."""


def build_view(store: GraphStore, kind: str, node_id: str | None = None) -> ViewNetwork:
    """Return the network of one view.

    Raises
    ------
    InvalidQuery
        For an unknown kind, or a missing id (every kind but ``overview`` needs one).
    NodeNotFound
        For an unknown id; the error lists the nearest ids.
    """
    if kind not in VIEW_KINDS:
        raise InvalidQuery(f"unknown view kind {kind!r}; expected one of {', '.join(VIEW_KINDS)}")
    gather, build = VIEW_KINDS[kind]
    if kind == "overview":
        return build(gather(store))
    if not node_id:
        raise InvalidQuery(f"a {kind} view needs an id")
    return build(gather(store, node_id))
