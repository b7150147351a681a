"""An in-memory, validated set of nodes and edges: what loaders produce and stores load.

Examples
--------
>>> from graph.model import Cluster, Segment, Edge, Source
>>> ds = Dataset()
>>> ds.add_node(Source(id="s1", name_zh="示例来源"))
>>> ds.add_node(Cluster(id="nev", name_zh="新能源汽车", sources=("s1",)))
>>> ds.add_node(Segment(id="cell", name_zh="电芯", cluster_id="nev", position="midstream",
...                     sources=("s1",)))
>>> ds.add_edge(Edge(kind="PART_OF", source="cell", target="nev", sources=("s1",)))
>>> ds.problems()
[]
>>> ds.counts()["nodes"]["Segment"]
1
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from pydantic import TypeAdapter

from graph.model import (
    EDGE_ENDPOINTS,
    NODE_CLASSES,
    Confidence,
    Edge,
    EdgeKind,
    Node,
    NodeKind,
    edge_to_dict,
    node_from_dict,
    node_to_dict,
)

FORMAT = "chainkg/1"
FINGERPRINT_SCHEME = 2
"""How :meth:`Dataset.fingerprint` hashes; saved snapshots record it (1, unrecorded: ``json.dumps`` of the dict)."""
"""The ``format`` of :meth:`Dataset.to_json_dict` (and of ``chainkg export --format json``)."""

_WITH_FACTS: frozenset[type[Any]] = frozenset(
    t for t in NODE_CLASSES.values() if {"figures", "instruments"} & set(t.model_fields)
)
"""Node types whose facts (figures, instruments) name other nodes: :meth:`Dataset._fact_problems` checks them."""


@cache
def _list_adapter(item_type: type[Any]) -> TypeAdapter[list[Any]]:
    """A pydantic adapter that serializes a list of ``item_type`` in one call (for :meth:`Dataset.fingerprint`)."""
    return TypeAdapter(list[item_type])  # type: ignore[valid-type]


@dataclass
class Dataset:
    """Nodes by id and edges by (kind, source, target), in insertion order."""

    nodes: dict[str, Node] = field(default_factory=dict)
    edges: dict[tuple[str, str, str], Edge] = field(default_factory=dict)

    def add_node(self, node: Node) -> None:
        """Add a node; a second node with the same id raises ``ValueError``."""
        if node.id in self.nodes:
            raise ValueError(f"duplicate id {node.id!r}")
        self.nodes[node.id] = node

    def add_edge(self, edge: Edge) -> None:
        """Add an edge; a second edge with the same key raises ``ValueError``."""
        key = edge.key
        if key in self.edges:
            raise ValueError(f"duplicate edge {edge.kind} {edge.source} -> {edge.target}")
        self.edges[key] = edge

    def of_kind(self, kind: NodeKind | str) -> Iterator[Node]:
        """Iterate the nodes of one kind."""
        name = NodeKind(kind).value
        return (n for n in self.nodes.values() if n.kind == name)

    def edges_of(self, kind: EdgeKind | str) -> Iterator[Edge]:
        """Iterate the edges of one kind."""
        k = EdgeKind(kind)
        return (e for e in self.edges.values() if e.kind is k)

    def problems(self) -> list[str]:
        """Check references: edge endpoints, their kinds, and cited source ids.

        Returns a list of messages, empty when the dataset is consistent.
        """
        out: list[str] = []
        sources = {n.id for n in self.of_kind(NodeKind.SOURCE)}
        kind_of = {node_id: node.kind for node_id, node in self.nodes.items()}
        for node in self.nodes.values():
            if not sources.issuperset(node.sources):
                out += [
                    f"{node.kind} {node.id!r} cites unknown source {sid!r}"
                    for sid in node.sources
                    if sid not in sources
                ]
            if type(node) in _WITH_FACTS:
                out += self._fact_problems(node, sources)
        # Plain str keys: hashing an enum member runs Python code, and this loop sees every edge.
        ends = {kind.value: (src.value, dst.value) for kind, (src, dst) in EDGE_ENDPOINTS.items()}
        for edge in self.edges.values():
            want_src, want_dst = ends[edge.kind._value_]
            if kind_of.get(edge.source) != want_src or kind_of.get(edge.target) != want_dst:
                out += self._endpoint_problems(edge)
            if not sources.issuperset(edge.sources):
                out += [
                    f"{edge.kind} {edge.source}->{edge.target} cites unknown source {sid!r}"
                    for sid in edge.sources
                    if sid not in sources
                ]
        return out

    def _endpoint_problems(self, edge: Edge) -> list[str]:
        """What is wrong with the endpoints of ``edge``: an unknown node, or one of the wrong kind."""
        out: list[str] = []
        want_src, want_dst = EDGE_ENDPOINTS[edge.kind]
        for end, want in ((edge.source, want_src), (edge.target, want_dst)):
            found = self.nodes.get(end)
            if found is None:
                out.append(f"{edge.kind} {edge.source}->{edge.target}: unknown node {end!r}")
            elif found.kind != want.value:
                out.append(f"{edge.kind} {edge.source}->{edge.target}: {end!r} is a {found.kind}, expected {want}")
        return out

    def _fact_problems(self, node: Node, sources: set[str]) -> list[str]:
        """Problems of the facts a node holds: a figure's ``scope`` segments, a policy instrument's tier."""
        out: list[str] = []
        for fig in getattr(node, "figures", ()):
            for sid in fig.scope:
                found = self.nodes.get(sid)
                if found is None or found.kind != NodeKind.SEGMENT.value:
                    out.append(
                        f"{node.kind} {node.id!r}: figure {fig.year} {fig.metric} scopes unknown segment {sid!r}"
                    )
        for item in getattr(node, "instruments", ()):
            tier = self.nodes.get(item.tier_id) if item.tier_id else None
            if item.tier_id and (tier is None or tier.kind != NodeKind.TIER.value):
                out.append(f"{node.kind} {node.id!r}: an instrument names unknown tier {item.tier_id!r}")
            for sid in item.sources:
                if sid not in sources:
                    out.append(f"{node.kind} {node.id!r}: an instrument cites unknown source {sid!r}")
        return out

    def counts(self) -> dict[str, object]:
        """Counts per node and edge kind, by confidence, local/outside firms and unsourced items."""
        nodes: dict[str, int] = {k.value: 0 for k in NodeKind}
        edges: dict[str, int] = {k.value: 0 for k in EdgeKind}
        confidence = {
            "nodes": {c.value: 0 for c in Confidence},
            "edges": {c.value: 0 for c in Confidence},
        }
        unsourced_nodes = unsourced_edges = local = outside = 0
        source_kind, firm_kind = NodeKind.SOURCE.value, NodeKind.FIRM.value
        node_confidence, edge_confidence = confidence["nodes"], confidence["edges"]
        # ``_value_`` (an enum member's plain attribute) rather than ``.value`` (a descriptor): these loops see
        # every node and edge.
        for node in self.nodes.values():
            kind = node.kind
            nodes[kind] += 1
            if kind != source_kind:
                node_confidence[node.confidence._value_] += 1
                if not node.sources:
                    unsourced_nodes += 1
            if kind == firm_kind:
                if getattr(node, "is_local", True):
                    local += 1
                else:
                    outside += 1
        for edge in self.edges.values():
            edges[edge.kind._value_] += 1
            edge_confidence[edge.confidence._value_] += 1
            if not edge.sources:
                unsourced_edges += 1
        return {
            "nodes": nodes,
            "edges": edges,
            "firms": {"local": local, "outside": outside},
            "confidence": confidence,
            "unsourced": {"nodes": unsourced_nodes, "edges": unsourced_edges},
        }

    # -- serialisation ---------------------------------------------------------------

    def to_json_dict(self) -> dict[str, object]:
        """A JSON-ready dict: ``{"format": "chainkg/1", "nodes": [...], "edges": [...]}``."""
        return {
            "format": FORMAT,
            "nodes": [node_to_dict(n) for n in self.nodes.values()],
            "edges": [edge_to_dict(e) for e in self.edges.values()],
        }

    @classmethod
    def from_json_dict(cls, data: dict[str, object]) -> Dataset:
        """Rebuild a dataset from :meth:`to_json_dict` output."""
        ds = cls()
        nodes = data.get("nodes", [])
        edges = data.get("edges", [])
        if not isinstance(nodes, list) or not isinstance(edges, list):
            raise ValueError("'nodes' and 'edges' must be lists")
        for item in nodes:
            ds.add_node(node_from_dict(item))
        for item in edges:
            ds.add_edge(Edge.model_validate(item))
        return ds

    def fingerprint(self) -> str:
        """A short hash of the content, stable across runs; changes when any fact changes.

        The hash runs over each node kind's and the edges' JSON (pydantic's serializer, in Rust: a
        tenth of the time of ``json.dumps`` over :meth:`to_json_dict` on 100k firms), in insertion order.
        """
        digest = hashlib.sha256(FORMAT.encode())
        by_type: dict[type[Node], list[Node]] = {}
        for node in self.nodes.values():
            by_type.setdefault(type(node), []).append(node)
        for node_type in sorted(by_type, key=lambda t: t.__name__):
            digest.update(b"\x00" + node_type.__name__.encode() + b"\x00")
            digest.update(_list_adapter(node_type).dump_json(by_type[node_type]))
        digest.update(b"\x00Edge\x00")
        digest.update(_list_adapter(Edge).dump_json(list(self.edges.values())))
        return digest.hexdigest()[:16]

    @classmethod
    def of(cls, nodes: Iterable[Node], edges: Iterable[Edge] = ()) -> Dataset:
        """Build a dataset from iterables of nodes and edges."""
        ds = cls()
        for n in nodes:
            ds.add_node(n)
        for e in edges:
            ds.add_edge(e)
        return ds
