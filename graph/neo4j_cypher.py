"""Every Cypher text the Neo4j store runs, and the only place labels and types enter one.

Data values never enter a query text: they travel as parameters (``$id``,
``$rows``, ...). Labels and relationship types cannot be parameters in
classic Cypher, so they are spliced in here, and only after being checked
against the :class:`~graph.model.NodeKind` / :class:`~graph.model.EdgeKind`
whitelist (:func:`label`, :func:`rel_type`); anything else raises
``ValueError``.

Layout in Neo4j
---------------
* every node of the graph has the label ``ChainNode``, the label of its kind
  (``Cluster``, ``Segment``, ``Firm``, ``District``, ``Source``, ``Project``,
  ``Policy``, ``Tier``, ``Platform``), the model's fields as properties, plus
  ``gen`` (the generation it was loaded in) and ``seq`` (its position in the
  dataset, so a snapshot keeps the input order);
* a cluster's ``designation_items``, ``listings`` and ``figures`` and a policy's
  ``instruments`` are JSON strings (Neo4j properties cannot hold maps);
* every edge is a relationship of its kind with the edge's fields;
* one ``(:ChainkgMeta {key: 'graph'})`` node names the generation readers see
  (``gen``) and its fingerprint; one ``(:ChainkgGeneration {gen})`` node per
  loaded or loading generation lets old ones be found and deleted.

Examples
--------
>>> label("Firm")
'Firm'
>>> rel_type("SUPPLIES")
'SUPPLIES'
>>> label("Firm) DETACH DELETE (x")
Traceback (most recent call last):
...
ValueError: not a node kind: 'Firm) DETACH DELETE (x'
>>> "$rows" in node_batch("Segment") and "Segment" in node_batch("Segment")
True
"""

from __future__ import annotations

import re

from graph.model import NODE_CLASSES, Edge, EdgeKind, NodeKind

NODE_LABEL = "ChainNode"
META_LABEL = "ChainkgMeta"
GENERATION_LABEL = "ChainkgGeneration"
META_KEY = "graph"
"""The ``key`` of the meta node that points at the served generation."""

_NODE_LABELS = frozenset(k.value for k in NodeKind)
_REL_TYPES = frozenset(k.value for k in EdgeKind)


def label(kind: NodeKind | str) -> str:
    """Return the node label for ``kind``; raise ``ValueError`` for anything not in :class:`NodeKind`."""
    value = kind.value if isinstance(kind, NodeKind) else str(kind)
    if value not in _NODE_LABELS:
        raise ValueError(f"not a node kind: {value!r}")
    return value


def rel_type(kind: EdgeKind | str) -> str:
    """Return the relationship type for ``kind``; raise ``ValueError`` for anything not in :class:`EdgeKind`."""
    value = kind.value if isinstance(kind, EdgeKind) else str(kind)
    if value not in _REL_TYPES:
        raise ValueError(f"not an edge kind: {value!r}")
    return value


# -- schema ---------------------------------------------------------------------------


def schema_statements() -> list[str]:
    """The constraints and index created on first use (each ``IF NOT EXISTS``).

    Ids are unique within a generation: ``(id, gen)`` on ``ChainNode``, across every kind.
    Community edition has no key constraints, so this is an ``IS UNIQUE`` constraint, which also
    creates the backing index ``MERGE`` uses. Versions before 2026-12-04 also made one per kind's
    label (``chainkg_firm_id``, ...): redundant with it, and each cost an index entry and a uniqueness
    check per node written (100k firm nodes: 8.3 s -> 5.7 s without them), so they are dropped here.
    """
    out = [
        f"CREATE CONSTRAINT chainkg_node_id IF NOT EXISTS FOR (n:{NODE_LABEL}) REQUIRE (n.id, n.gen) IS UNIQUE",
        f"CREATE CONSTRAINT chainkg_meta_key IF NOT EXISTS FOR (m:{META_LABEL}) REQUIRE m.key IS UNIQUE",
        f"CREATE CONSTRAINT chainkg_generation IF NOT EXISTS FOR (g:{GENERATION_LABEL}) REQUIRE g.gen IS UNIQUE",
        f"CREATE INDEX chainkg_node_gen IF NOT EXISTS FOR (n:{NODE_LABEL}) ON (n.gen)",
    ]
    out += [f"DROP CONSTRAINT {name} IF EXISTS" for name in LEGACY_CONSTRAINTS]
    return out


LEGACY_CONSTRAINTS: tuple[str, ...] = tuple(f"chainkg_{kind.value.lower()}_id" for kind in NodeKind)
"""Per-kind ``(id, gen)`` constraints of earlier versions, dropped on first use (see :func:`schema_statements`)."""


SHOW_CONSTRAINTS = (
    "SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties"
)

# -- reads (every one starts from the meta node, so it sees one generation) -----------

_CURRENT = f"MATCH (m:{META_LABEL} {{key: $meta}})\n"

META = f"MATCH (m:{META_LABEL} {{key: $meta}}) RETURN m.gen AS gen, m.fingerprint AS fingerprint, m.node_count AS nodes"

NODE_BY_ID = (
    _CURRENT + f"MATCH (n:{NODE_LABEL} {{id: $id, gen: m.gen}})\nRETURN labels(n) AS labels, properties(n) AS props"
)

ALL_NODES = _CURRENT + f"MATCH (n:{NODE_LABEL} {{gen: m.gen}})\nRETURN labels(n) AS labels, properties(n) AS props"

_EDGE_RETURN = "RETURN type(r) AS kind, a.id AS source, b.id AS target, properties(r) AS props"


def nodes_of_kind(kind: NodeKind | str) -> str:
    """The read of every node of one kind in the served generation."""
    return _CURRENT + f"MATCH (n:{label(kind)} {{gen: m.gen}})\nRETURN properties(n) AS props"


def edges_query(kind: EdgeKind | str | None, *, by_source: bool, by_target: bool) -> str:
    """The read of edges, optionally of one kind and from (``$source``) or to (``$target``) one node."""
    rel = f"[r:{rel_type(kind)}]" if kind is not None else "[r]"
    a = f"(a:{NODE_LABEL} {{id: $source, gen: m.gen}})" if by_source else f"(a:{NODE_LABEL} {{gen: m.gen}})"
    if by_target and not by_source:
        b = f"(b:{NODE_LABEL} {{id: $target, gen: m.gen}})"
        a = f"(a:{NODE_LABEL})"
    else:
        b = f"(b:{NODE_LABEL})"
    where = "\nWHERE b.id = $target" if by_source and by_target else ""
    return _CURRENT + f"MATCH {a}-{rel}->{b}{where}\n{_EDGE_RETURN}"


# A node or edge stored without ``confidence`` (or a firm without ``is_local``) holds its model default:
# loads leave default values out (``graph.neo4j_props.without_defaults``), so these come back null and
# ``Neo4jStore.counts`` reads null as the default.
NODE_COUNTS = (
    _CURRENT + f"MATCH (n:{NODE_LABEL} {{gen: m.gen}})\n"
    f"RETURN [x IN labels(n) WHERE x <> '{NODE_LABEL}'][0] AS kind, n.confidence AS confidence,\n"
    "       size(n.sources) = 0 AS unsourced, n.is_local AS is_local, count(*) AS n"
)

EDGE_COUNTS = (
    _CURRENT + f"MATCH (a:{NODE_LABEL} {{gen: m.gen}})-[r]->(:{NODE_LABEL})\n"
    "RETURN type(r) AS kind, r.confidence AS confidence, size(r.sources) = 0 AS unsourced, count(*) AS n"
)

# -- loading: a new generation next to the served one ---------------------------------

START_GENERATION = (
    f"MERGE (g:{GENERATION_LABEL} {{gen: $gen}}) ON CREATE SET g.state = 'staging', g.started = datetime()"
)


_IDENTIFIER = re.compile(r"^[a-z_][a-z0-9_]*$")


def node_property_keys(kind: NodeKind | str) -> tuple[str, ...]:
    """The properties a node batch sets on a node of ``kind``: its model's fields and ``seq``.

    ``id`` and ``gen`` are the ``MERGE`` key, from the row and the parameter, so they are not among them.

    >>> node_property_keys("District")
    ('sources', 'confidence', 'note', 'name_zh', 'name_en', 'parent_id', 'seq')
    """
    fields = NODE_CLASSES[NodeKind(label(kind))].model_fields
    return tuple(key for key in (*fields, "seq") if key != "id" and _IDENTIFIER.match(key))


EDGE_PROPERTY_KEYS: tuple[str, ...] = tuple(
    key for key in (*Edge.model_fields, "seq") if key not in {"kind", "source", "target"} and _IDENTIFIER.match(key)
)
"""The properties an edge batch sets on a relationship: the edge model's fields but its identity, and ``seq``."""


def node_batch(kind: NodeKind | str) -> str:
    """``UNWIND $rows ... MERGE`` for one batch of nodes of one kind into the new generation ``$gen``.

    ``MERGE`` on ``(id, gen)``, the key of the ``chainkg_node_id`` constraint, so a batch sent twice
    writes each node once. The look-up is an index seek on that constraint. The properties are set
    key by key (:func:`node_property_keys`; a key missing from a row sets nothing) ``ON CREATE``: the
    ``Merge`` step sets them as it creates the node, where a plain ``SET`` ran a step of its own for
    every row (a load of 10k firms 6 % faster, ``docs/performance.md``), and a batch sent again leaves
    its nodes as the first wrote them; ``SET n += row.props`` made the planner add two ``Eager`` steps
    that hold every row of the batch first. The one record returned, ``ids``, pairs each row's id
    with its node's ``elementId``, for :func:`edge_batch`.

    >>> text = node_batch("District").replace(", n.note", ",\\n    n.note")
    >>> print(text.replace(", n.parent_id", ",\\n    n.parent_id"))
    UNWIND $rows AS row
    MERGE (n:ChainNode:District {id: row.id, gen: $gen})
    ON CREATE SET n.sources = row.props.sources, n.confidence = row.props.confidence,
        n.note = row.props.note, n.name_zh = row.props.name_zh, n.name_en = row.props.name_en,
        n.parent_id = row.props.parent_id, n.seq = row.props.seq
    RETURN collect([row.id, elementId(n)]) AS ids
    """
    sets = ", ".join(f"n.{key} = row.props.{key}" for key in node_property_keys(kind))
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{NODE_LABEL}:{label(kind)} {{id: row.id, gen: $gen}})\n"
        f"ON CREATE SET {sets}\n"
        "RETURN collect([row.id, elementId(n)]) AS ids"
    )


def edge_batch(kind: EdgeKind | str) -> str:
    """``UNWIND $rows ... MERGE`` for one batch of edges of one kind between nodes of generation ``$gen``.

    Each row names its endpoints by the ``elementId`` their node batch returned (``row.a``, ``row.b``):
    a seek by element id reads the node record directly, where a seek on the ``(id, gen)`` index
    compares composite string keys (edges of 100k firms: 10.2 s -> 7.3 s, ``docs/performance.md``).
    The endpoints must still be nodes of ``$gen``, so an id reused after a deletion cannot tie an edge
    to another graph. The pattern names no label on purpose: with ``:ChainNode``, the planner could
    (and, on a fresh generation's stale statistics, did) answer ``a.gen = $gen`` from the ``gen`` index
    instead, reading every node of the generation for each row (8.6 s for 161 rows). ``MERGE`` of the
    relationship between the two, so a batch sent twice writes each edge once (a dataset holds at most
    one edge per kind, source and target). The properties are set one by one
    (:data:`EDGE_PROPERTY_KEYS`) ``ON CREATE``, as in :func:`node_batch`: ``SET r += row.props`` made
    the planner add an ``Eager`` step that holds every row of the batch first.

    >>> print(edge_batch("PART_OF").replace(", r.note", ",\\n    r.note").replace(", r.batch", ",\\n    r.batch"))
    UNWIND $rows AS row
    MATCH (a) WHERE elementId(a) = row.a AND a.gen = $gen
    MATCH (b) WHERE elementId(b) = row.b AND b.gen = $gen
    MERGE (a)-[r:PART_OF]->(b)
    ON CREATE SET r.sources = row.props.sources, r.confidence = row.props.confidence,
        r.note = row.props.note, r.role = row.props.role, r.year = row.props.year,
        r.batch = row.props.batch, r.seq = row.props.seq
    """
    sets = ", ".join(f"r.{key} = row.props.{key}" for key in EDGE_PROPERTY_KEYS)
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a) WHERE elementId(a) = row.a AND a.gen = $gen\n"
        "MATCH (b) WHERE elementId(b) = row.b AND b.gen = $gen\n"
        f"MERGE (a)-[r:{rel_type(kind)}]->(b)\n"
        f"ON CREATE SET {sets}"
    )


_SEEK_A = f"USING INDEX SEEK a:{NODE_LABEL}(id, gen)\n"
_SEEK_B = f"USING INDEX SEEK b:{NODE_LABEL}(id, gen)\n"


def node_row(kind: NodeKind | str) -> str:
    """One node per query: the naive baseline of the benchmark (the same ``MERGE`` as :func:`node_batch`)."""
    return f"MERGE (n:{NODE_LABEL}:{label(kind)} {{id: $id, gen: $gen}})\nON CREATE SET n += $props"


def edge_row(kind: EdgeKind | str) -> str:
    """One edge per query: the naive baseline of the benchmark (the same ``MERGE`` as :func:`edge_batch`).

    Its endpoints are found by id on the ``(id, gen)`` index, as a script sending one row at a time would.
    ``USING INDEX SEEK`` keeps both look-ups seeks: with a plain ``USING INDEX`` hint, a plan made while
    the database was nearly empty scanned the whole index for one endpoint (``docs/performance.md``).
    """
    return (
        f"MATCH (a:{NODE_LABEL} {{id: $source, gen: $gen}})\n{_SEEK_A}"
        f"MATCH (b:{NODE_LABEL} {{id: $target, gen: $gen}})\n{_SEEK_B}"
        f"MERGE (a)-[r:{rel_type(kind)}]->(b)\n"
        "ON CREATE SET r += $props"
    )


_SEEK_GEN = f"USING INDEX SEEK n:{NODE_LABEL}(gen)"
STAGED_NODE_COUNT = f"MATCH (n:{NODE_LABEL} {{gen: $gen}}) {_SEEK_GEN} RETURN count(n) AS n"
STAGED_EDGE_COUNT = f"MATCH (n:{NODE_LABEL} {{gen: $gen}})-[r]->(:{NODE_LABEL}) {_SEEK_GEN} RETURN count(r) AS n"

SWITCH = (
    f"MATCH (g:{GENERATION_LABEL} {{gen: $gen}})\n"
    f"MERGE (m:{META_LABEL} {{key: $meta}})\n"
    "SET m.gen = $gen, m.fingerprint = $fingerprint, m.node_count = $nodes, m.edge_count = $edges,\n"
    "    m.loaded = datetime(), g.state = 'current'\n"
    "RETURN m.gen AS gen"
)

OTHER_GENERATIONS = (
    f"MATCH (g:{GENERATION_LABEL}) WHERE g.gen <> $keep\n"
    f"OPTIONAL MATCH (m:{META_LABEL} {{key: $meta}})\n"
    "WITH g, m WHERE m IS NULL OR g.gen <> m.gen\n"
    "RETURN g.gen AS gen"
)

DELETE_GENERATION_BATCH = (
    f"MATCH (n:{NODE_LABEL} {{gen: $gen}}) {_SEEK_GEN}\n"
    "WITH n LIMIT $limit\nDETACH DELETE n\nRETURN count(*) AS deleted"
)

FORGET_GENERATION = f"MATCH (g:{GENERATION_LABEL} {{gen: $gen}}) DELETE g"

RECORD_GENERATION = (
    f"MATCH (g:{GENERATION_LABEL} {{gen: $gen}})\n"
    f"OPTIONAL MATCH (m:{META_LABEL} {{key: $meta}})\n"
    f"OPTIONAL MATCH (cur:{GENERATION_LABEL} {{gen: m.gen}})\n"
    "WITH g, cur, $origin = 'import' AS imported\n"
    "SET g.origin = $origin,\n"
    "    g.imports = CASE WHEN imported THEN coalesce(cur.imports, 0) + 1 ELSE 0 END,\n"
    "    g.loaded_from = CASE WHEN imported THEN cur.loaded_from ELSE $loaded_from END,\n"
    "    g.loaded_at = CASE WHEN imported THEN cur.loaded_at WHEN $origin = 'load' THEN datetime() ELSE null END"
)
"""Record on a staged generation what made it (:class:`graph.neo4j_store.LoadRecord`); the switch serves it."""

LOAD_RECORD = (
    f"MATCH (m:{META_LABEL} {{key: $meta}})\n"
    f"OPTIONAL MATCH (g:{GENERATION_LABEL} {{gen: m.gen}})\n"
    "RETURN m.node_count AS nodes, m.edge_count AS edges, toString(m.loaded) AS switched,\n"
    "       g.origin AS origin, g.imports AS imports, g.loaded_from AS loaded_from, toString(g.loaded_at) AS loaded_at"
)
"""The served graph's :class:`graph.neo4j_store.LoadRecord` (no row while nothing was loaded)."""
