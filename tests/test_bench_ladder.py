"""The load ladder (``bench/neo4j_ladder.py``) times every step on a real Neo4j and leaves no trace."""

from __future__ import annotations

import copy
import json
import sys

import pytest

from graph.fixtures import tiny_chain
from graph.synth import synth_dataset
from tests.conftest import REPO
from tests.test_neo4j_store import raw

sys.path.insert(0, str(REPO / "bench"))

import report  # noqa: E402
from neo4j_ladder import LADDER_LABEL, run_ladder  # noqa: E402

RESULTS = json.loads((REPO / "bench" / "results.json").read_text(encoding="utf-8"))


@pytest.mark.neo4j
def test_the_ladder_times_each_step_and_leaves_the_served_graph_and_schema_as_they_were(neo4j_store):
    served = tiny_chain()
    neo4j_store.replace(served)
    constraints = [c["name"] for c in neo4j_store.constraints()]
    steps = run_ladder(neo4j_store, synth_dataset(60, seed=3), runs=2)
    assert [s["step"].split(" (")[0] for s in steps] == [
        "bare CREATE",
        "bare MERGE",
        "chainkg keys, no properties",
        "chainkg batches with every property, one session",
    ]
    assert all(s["seconds"] > 0 and len(s["all"]) == 2 for s in steps)
    assert raw(neo4j_store, f"MATCH (n:{LADDER_LABEL}) RETURN count(n) AS n")[0]["n"] == 0
    gens = raw(neo4j_store, "MATCH (g:ChainkgGeneration) RETURN g.gen AS gen")
    assert len(gens) == 1 and not gens[0]["gen"].startswith("ladder-")  # only the served generation
    assert raw(neo4j_store, "MATCH (n:ChainNode) WHERE n.gen STARTS WITH 'ladder-' RETURN count(n) AS n")[0]["n"] == 0
    assert [c["name"] for c in neo4j_store.constraints()] == constraints
    assert neo4j_store.snapshot().fingerprint() == served.fingerprint()


def test_the_report_shows_each_ladder_step_against_one_query_per_row():
    results = copy.deepcopy(RESULTS)
    results["ratio"].pop("ladder", None)
    assert "Where the batched load's time goes" not in report.render_markdown(results)  # runs before it have none
    results["ratio"]["ladder"] = [
        {"step": "bare CREATE (x)", "seconds": 0.3, "all": [0.3], "ratio": 97.5},
        {"step": "chainkg batches with every property, one session", "seconds": 0.9, "all": [0.9], "ratio": 32.5},
    ]
    text = report.render_markdown(results)
    assert "| bare CREATE (x) | 0.3 | 97.5x |" in text
    assert "| chainkg batches with every property, one session | 0.9 | 32.5x |" in text
    assert f"| {results['ratio']['batched_s']} | {results['ratio']['ratio']}x |" in text
