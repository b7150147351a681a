"""Turn nodes and edges into Neo4j property maps and back, losslessly.

Neo4j properties hold scalars and homogeneous lists, never maps, so a
cluster's ``designation_items``, ``listings`` and ``figures`` and a policy's
``instruments`` (lists of objects) are stored as JSON strings; everything else is stored field by field,
as ``model_dump`` gives it (an edge's ``year`` and ``batch`` included).
``None`` values are left out (Neo4j has no null property); a load also leaves out the values that
equal their field's default (:func:`without_defaults`). Reading back drops
the store's own bookkeeping (``gen``, ``seq``) and validates the model again,
so what comes back equals what was loaded. A cluster stored before designations
had their own sources holds ``designations``, a list of titles: it reads back as
``unverified`` designations citing the cluster's sources (see ``graph.model.Cluster``).

Examples
--------
>>> from graph.fixtures import tiny_chain
>>> ds = tiny_chain()
>>> cluster = ds.nodes["t-nev"]
>>> props = node_props(cluster)
>>> isinstance(props["figures"], str), props["sources"]
(True, ['s-tiny'])
>>> node_from_props("Cluster", {**props, "gen": "g1", "seq": 3}) == cluster
True
>>> edge = ds.edges[("OPERATES_IN", "f-cell-a", "t-cell")]
>>> edge_props(edge)["role"]
'anchor'
>>> edge_from_props("OPERATES_IN", "f-cell-a", "t-cell", edge_props(edge)) == edge
True
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from enum import Enum
from typing import Any

from graph.model import NODE_CLASSES, Edge, Node, NodeKind

JSON_FIELDS = frozenset({"designation_items", "listings", "figures", "instruments"})
"""Fields stored as JSON strings because they hold lists of objects."""

BOOKKEEPING = frozenset({"gen", "seq"})
"""Properties the store adds to every node or edge; not part of the model."""

_EDGE_IDENTITY = frozenset({"kind", "source", "target"})


def node_props(node: Node) -> dict[str, Any]:
    """The property map of a node (without ``id``'s bookkeeping siblings ``gen``/``seq``)."""
    out: dict[str, Any] = {}
    for key, value in node.model_dump(mode="json").items():
        if value is None:
            continue
        out[key] = json.dumps(value, ensure_ascii=False) if key in JSON_FIELDS else value
    return out


def node_from_props(kind: NodeKind | str, props: Mapping[str, Any]) -> Node:
    """Rebuild a node of ``kind`` from its stored properties."""
    data = {k: v for k, v in props.items() if k not in BOOKKEEPING}
    for key in JSON_FIELDS & data.keys():
        if isinstance(data[key], str):
            data[key] = json.loads(data[key])
    cls = NODE_CLASSES[NodeKind(kind)]
    return cls.model_validate(data)  # type: ignore[return-value]


def edge_props(edge: Edge) -> dict[str, Any]:
    """The property map of an edge: every field but its identity (kind, source, target).

    The same as ``edge.model_dump(mode="json")`` without the identity and the ``None`` values, read
    straight from the fields (an edge's are strings, numbers, enums and tuples of strings): a load
    converts every edge, and pydantic's serializer spends most of its time on the enums.
    """
    out: dict[str, Any] = {}
    for key, value in edge.__dict__.items():
        if value is None or key in _EDGE_IDENTITY:
            continue
        if isinstance(value, Enum):
            value = value._value_
        elif isinstance(value, tuple):
            value = list(value)
        out[key] = value
    return out


def edge_from_props(kind: str, source: str, target: str, props: Mapping[str, Any]) -> Edge:
    """Rebuild an edge from its type, endpoint ids and stored properties."""
    data = {k: v for k, v in props.items() if k not in BOOKKEEPING}
    return Edge.model_validate({**data, "kind": kind, "source": source, "target": target})


def stored_value(value: Any) -> Any:
    """A field's value as a property holds it: an enum's value, a tuple as a list, anything else as is.

    >>> from graph.model import Confidence
    >>> stored_value(Confidence.SOURCED), stored_value(("s1", "s2")), stored_value(3)
    ('sourced', ['s1', 's2'], 3)
    """
    if isinstance(value, Enum):
        return value._value_
    if isinstance(value, tuple):
        return list(value)
    return value


def _stored_defaults(model: type[Any]) -> dict[str, Any]:
    """The fields of ``model`` a write may leave out, with their defaults as stored (:func:`stored_value`).

    Every optional field with a plain default, but ``sources``, whose size the counts read in Cypher.
    """
    return {
        name: stored_value(info.default)
        for name, info in model.model_fields.items()
        if name != "sources" and not info.is_required() and info.default_factory is None and info.default is not None
    }


_STORED_DEFAULTS: dict[type[Any], dict[str, Any]] = {}


def without_defaults(props: dict[str, Any], model: type[Any]) -> dict[str, Any]:
    """Leave out properties that hold their field's default: reading fills them in again.

    Fewer properties make a write cheaper for Neo4j (at 10k synthetic firms, a quarter of what is
    left once empty strings and lists are out is ``confidence: sourced`` or a firm's ``is_local:
    true``), and the node read back is equal. A value counts as the default only if it is of the
    default's own type too (``1`` is not ``True``).

    >>> from graph.model import Firm
    >>> props = {"id": "f", "note": "", "tags": [], "hq": "Wuxi", "confidence": "sourced", "is_local": True}
    >>> sorted(without_defaults(props, Firm))
    ['hq', 'id']
    >>> sorted(without_defaults({**props, "confidence": "unverified", "is_local": False}, Firm))
    ['confidence', 'hq', 'id', 'is_local']
    """
    defaults = _STORED_DEFAULTS.get(model)
    if defaults is None:
        defaults = _STORED_DEFAULTS[model] = _stored_defaults(model)
    return {k: v for k, v in props.items() if k not in defaults or type(v) is not type(defaults[k]) or v != defaults[k]}


def kind_of(labels: list[str]) -> NodeKind:
    """The node kind among a node's labels (``ChainNode`` is ignored).

    >>> kind_of(["ChainNode", "Firm"])
    <NodeKind.FIRM: 'Firm'>
    """
    for name in labels:
        if name in NodeKind._value2member_map_:
            return NodeKind(name)
    raise ValueError(f"no node kind among labels {labels!r}")
