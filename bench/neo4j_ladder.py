"""Where the batched Neo4j load's time goes: the same graph loaded batched, from bare to chainkg's load.

The issue-8 target asks batched loading to be 50x faster than one query per row. Both are bound by
the server's CPU, so the ratio depends on how much the server does per row. This ladder loads the same
nodes and relationships in ``UNWIND`` batches, adding one of chainkg's costs at each step, and times
each from an empty graph (median of ``runs``; untimed warm-up first)::

    .venv/bin/python scripts/neo4j_server.py run -- .venv/bin/python bench/neo4j_ladder.py --firms 10000

1. ``bare CREATE``: one label, one integer key per node (indexed); relationships without properties.
2. ``bare MERGE``: the same, ``MERGE`` on a unique integer key and ``MERGE`` of each relationship.
3. ``chainkg keys, no properties``: ``MERGE`` on ``(id, gen)`` (the ``chainkg_node_id`` constraint and
   the ``gen`` index), the ``ChainNode`` and kind labels, ``elementId`` returned and used for the ends,
   each end checked to be of the generation: chainkg's batch Cypher without the ``SET`` of properties.
4. ``chainkg batches, one session``: :func:`graph.neo4j_cypher.node_batch` / ``edge_batch`` with every
   property, the rows built before the clock starts.

``make bench`` runs it after the one-query-per-row comparison (``bench/workers.py ratio``), so each
step's ratio is against the same row-by-row time. It writes only its own ``ChainkgLadder`` nodes and a
scratch generation registered like a load's (a crash leaves it for the next load to delete), and removes
both, with the ``chainkg_ladder_i`` constraint, when done.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainkg.settings import Settings  # noqa: E402
from graph import neo4j_cypher as cy  # noqa: E402
from graph.dataset import Dataset  # noqa: E402
from graph.model import EdgeKind, NodeKind  # noqa: E402
from graph.neo4j_store import Neo4jStore  # noqa: E402
from graph.synth import synth_dataset  # noqa: E402

LADDER_LABEL = "ChainkgLadder"
LADDER_TYPE = "CHAINKG_LADDER"

BARE_CONSTRAINT = f"CREATE CONSTRAINT chainkg_ladder_i IF NOT EXISTS FOR (n:{LADDER_LABEL}) REQUIRE n.i IS UNIQUE"
BARE_DROP_CONSTRAINT = "DROP CONSTRAINT chainkg_ladder_i IF EXISTS"
BARE_CLEAR = f"MATCH (n:{LADDER_LABEL}) WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS deleted"
BARE_NODES = {
    "CREATE": f"UNWIND $rows AS row CREATE (:{LADDER_LABEL} {{i: row}})",
    "MERGE": f"UNWIND $rows AS row MERGE (:{LADDER_LABEL} {{i: row}})",
}
BARE_EDGES = {
    verb: (
        "UNWIND $rows AS row\n"
        f"MATCH (a:{LADDER_LABEL} {{i: row[0]}})\n"
        f"MATCH (b:{LADDER_LABEL} {{i: row[1]}})\n"
        f"{verb} (a)-[:{LADDER_TYPE}]->(b)"
    )
    for verb in ("CREATE", "MERGE")
}


def keys_only_node_batch(kind: NodeKind) -> str:
    """:func:`graph.neo4j_cypher.node_batch` without its ``SET``: ``MERGE`` on ``(id, gen)``, ids returned."""
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{cy.NODE_LABEL}:{cy.label(kind)} {{id: row, gen: $gen}})\n"
        "RETURN collect([row, elementId(n)]) AS ids"
    )


def keys_only_edge_batch(kind: EdgeKind) -> str:
    """:func:`graph.neo4j_cypher.edge_batch` without its ``SET``: ends by ``elementId`` and of ``$gen``."""
    return (
        "UNWIND $rows AS row\n"
        "MATCH (a) WHERE elementId(a) = row[0] AND a.gen = $gen\n"
        "MATCH (b) WHERE elementId(b) = row[1] AND b.gen = $gen\n"
        f"MERGE (a)-[:{cy.rel_type(kind)}]->(b)"
    )


def _batches(rows: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


class Ladder:
    """The steps of the ladder on one store and dataset; each ``step_*`` loads once and returns seconds."""

    def __init__(self, store: Neo4jStore, dataset: Dataset) -> None:
        self.store = store
        self.dataset = dataset
        self.size = store.batch_size
        number = {node_id: i for i, node_id in enumerate(dataset.nodes)}
        self.numbers = list(number.values())
        self.number_pairs = [[number[e.source], number[e.target]] for e in dataset.edges.values()]
        self.gen = f"ladder-{uuid.uuid4().hex[:12]}"

    def _write(self, query: str, **params: Any) -> list[dict[str, Any]]:
        return self.store._write(query, params, "benchmarking")

    # -- bare ---------------------------------------------------------------------

    def clear_bare(self) -> None:
        while self._write(BARE_CLEAR, limit=self.size)[0]["deleted"]:
            pass

    def step_bare(self, verb: str) -> float:
        self.clear_bare()
        start = time.perf_counter()
        for rows in _batches(self.numbers, self.size):
            self._write(BARE_NODES[verb], rows=rows)
        for rows in _batches(self.number_pairs, self.size):
            self._write(BARE_EDGES[verb], rows=rows)
        return time.perf_counter() - start

    # -- chainkg's batches in a scratch generation --------------------------------

    def clear_generation(self) -> None:
        self.store._drop_generation(self.gen)
        self._write(cy.START_GENERATION, gen=self.gen)  # registered, so a crash leaves it for the next load

    def step_keys_only(self) -> float:
        self.clear_generation()
        by_kind: dict[NodeKind, list[str]] = {k: [] for k in NodeKind}
        for node in self.dataset.nodes.values():
            by_kind[NodeKind(node.kind)].append(node.id)
        element_ids: dict[str, str] = {}
        edges_by_kind: dict[EdgeKind, list[tuple[str, str]]] = {k: [] for k in EdgeKind}
        for edge in self.dataset.edges.values():
            edges_by_kind[edge.kind].append((edge.source, edge.target))
        start = time.perf_counter()
        for kind, ids in by_kind.items():
            for rows in _batches(ids, self.size):
                element_ids.update(self._write(keys_only_node_batch(kind), rows=rows, gen=self.gen)[0]["ids"])
        for ekind, pairs in edges_by_kind.items():
            ends = sorted(([element_ids[a], element_ids[b]] for a, b in pairs), key=lambda r: (r[1], r[0]))
            for rows in _batches(ends, self.size):
                self._write(keys_only_edge_batch(ekind), rows=rows, gen=self.gen)
        return time.perf_counter() - start

    def step_chainkg_one_session(self) -> float:
        self.clear_generation()
        node_jobs = list(self.store._node_jobs(self.dataset))  # rows built before the clock starts
        start = time.perf_counter()
        element_ids: dict[str, str] = {}
        for query, _what, rows in node_jobs:
            element_ids.update(self._write(query, rows=rows, gen=self.gen)[0]["ids"])
        built = time.perf_counter()
        edge_jobs = list(self.store._edge_jobs(self.dataset, element_ids))
        paused = time.perf_counter() - built  # building the edge rows is left off the clock too
        for query, _what, rows in edge_jobs:
            self._write(query, rows=rows, gen=self.gen)
        return time.perf_counter() - start - paused

    def steps(self) -> list[tuple[str, Callable[[], float]]]:
        return [
            ("bare CREATE (one label, integer key, no properties)", lambda: self.step_bare("CREATE")),
            ("bare MERGE (unique integer key, MERGE of each relationship)", lambda: self.step_bare("MERGE")),
            ("chainkg keys, no properties ((id, gen), two labels, elementId ends)", self.step_keys_only),
            ("chainkg batches with every property, one session", self.step_chainkg_one_session),
        ]

    def cleanup(self) -> None:
        self.clear_bare()
        self.store._drop_generation(self.gen)
        self._write(BARE_DROP_CONSTRAINT)


def run_ladder(store: Neo4jStore, dataset: Dataset, runs: int = 5) -> list[dict[str, Any]]:
    """Time every step of the ladder ``runs`` times (after one untimed run); return medians per step.

    Each entry is ``{"step": name, "seconds": median, "all": [seconds of each run]}``, in the order
    of :meth:`Ladder.steps`; ``tests/test_bench_ladder.py`` runs it on a 60-firm graph.
    """
    ladder = Ladder(store, dataset)
    store._ensure_schema()
    ladder._write(BARE_CONSTRAINT)
    out = []
    try:
        for name, step in ladder.steps():
            step()  # warm-up: plans compiled, code JIT-compiled
            times = [step() for _ in range(runs)]
            out.append(
                {"step": name, "seconds": round(statistics.median(times), 3), "all": [round(t, 3) for t in times]}
            )
    finally:
        ladder.cleanup()
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, default=10000, help="synthetic firms (seed 1)")
    parser.add_argument("--runs", type=int, default=5, help="timed loads per step (the median is reported)")
    args = parser.parse_args(argv)
    if not os.environ.get("NEO4J_URI"):
        parser.error("NEO4J_URI is not set (run it under scripts/neo4j_server.py run -- ...)")
    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), query_timeout=300.0)
    try:
        dataset = synth_dataset(args.firms, seed=1)
        steps = run_ladder(store, dataset, args.runs)
    finally:
        store.close()
    print(json.dumps({"nodes": len(dataset.nodes), "edges": len(dataset.edges), "steps": steps}, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
