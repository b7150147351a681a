"""The Neo4j store against a real server (NEO4J_URI; ``make test`` starts one), plus unit tests of its Cypher.

The server tests share one database: each loads what it needs first.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from typing import Any

import pytest

from chainkg.settings import REPO_ROOT, Settings
from graph import neo4j_cypher as cy
from graph.dataset import Dataset
from graph.errors import ConfigError, StoreUnavailable
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Confidence, Edge, EdgeKind, Firm, NodeKind
from graph.neo4j_props import edge_from_props, edge_props, node_from_props, node_props, without_defaults
from graph.neo4j_store import Neo4jStore, _schema_ready, open_driver_count
from graph.store import GraphStore
from graph.synth import synth_dataset
from tests.cli_support import chainkg

neo4j = pytest.mark.neo4j


def raw(store: Neo4jStore, query: str, **params: Any) -> list[dict[str, Any]]:
    """Run a query straight on the server, past the store (to look at what it really wrote)."""
    with store._driver.session(database=store.database) as session:
        return list(session.run(query, params).data())


def all_chain_nodes(store: Neo4jStore) -> int:
    return int(raw(store, "MATCH (n:ChainNode) RETURN count(n) AS n")[0]["n"])


def same_graph(store: GraphStore, dataset: Dataset) -> None:
    """Assert the store serves exactly ``dataset``: every node, edge, count and the order of a snapshot."""
    memory = MemoryStore(dataset)
    for kind in NodeKind:
        assert store.nodes(kind) == memory.nodes(kind), kind
    assert store.edges() == memory.edges()
    assert store.counts() == memory.counts()
    snap = store.snapshot()
    assert list(snap.nodes.items()) == list(dataset.nodes.items())
    assert list(snap.edges.items()) == list(dataset.edges.items())
    assert snap.fingerprint() == dataset.fingerprint()


def dead_uri() -> str:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"bolt://127.0.0.1:{port}"  # nothing listens there once the socket is closed


# -- against the real server -------------------------------------------------------------


@neo4j
def test_store_fits_the_protocol(neo4j_store):
    assert isinstance(neo4j_store, GraphStore)
    assert neo4j_store.ping()["state"] == "up"
    assert str(neo4j_store.ping()["server"]).startswith("Neo4j/5.")


@neo4j
def test_loads_the_tiny_chain(neo4j_store):
    ds = tiny_chain()
    neo4j_store.replace(ds)
    same_graph(neo4j_store, ds)
    assert neo4j_store.node("t-nev") == ds.nodes["t-nev"]  # figures and listings round-trip
    assert neo4j_store.node("nope") is None
    assert [e.source for e in neo4j_store.edges("SUPPLIES", target="t-cell")] == ["t-anode", "t-cathode"]
    assert neo4j_store.edges("SUBSIDIARY_OF", source="f-cell-b", target="f-cell-a")[0].target == "f-cell-a"
    assert neo4j_store.edges(source="nope") == []


@neo4j
def test_loads_the_bundled_dataset_in_small_batches(neo4j_store, bundled):
    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), batch_size=97)
    calls: list[tuple[int, int, str]] = []
    try:
        store.replace(bundled, progress=lambda done, total, what: calls.append((done, total, what)))
        same_graph(store, bundled)
    finally:
        store.close()
    total = len(bundled.nodes) + len(bundled.edges) + 1  # the last step is the switch
    assert calls[-1] == (total, total, "done")
    assert calls[-2][0] == total - 1
    assert len(calls) > total // 97  # one call per batch at least
    assert [c[0] for c in calls] == sorted(c[0] for c in calls)


@neo4j
def test_many_writers_in_small_batches_give_the_same_graph(neo4j_store, bundled):
    """Batches run side by side (nodes, then edges that share popular segments) and lose or double nothing."""
    synthetic = synth_dataset(1500, seed=3)
    for dataset, batch, writers in [(bundled, 50, 4), (synthetic, 200, 3)]:
        store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), batch_size=batch, writers=writers)
        calls: list[int] = []
        try:
            store.replace(dataset, progress=lambda done, total, what, calls=calls: calls.append(done))
            assert store.snapshot().fingerprint() == dataset.fingerprint()
        finally:
            store.close()
        assert calls == sorted(calls) and len(calls) > (len(dataset.nodes) + len(dataset.edges)) // batch


@neo4j
def test_loading_twice_gives_the_same_graph_and_keeps_no_old_generation(neo4j_store):
    ds = tiny_chain()
    neo4j_store.replace(ds)
    first = neo4j_store.snapshot()
    v1 = neo4j_store.version()
    neo4j_store.replace(ds)
    assert neo4j_store.snapshot() == first
    assert neo4j_store.version() != v1  # a new generation...
    assert neo4j_store.version().endswith(ds.fingerprint())  # ...of the same content
    assert all_chain_nodes(neo4j_store) == len(ds.nodes)
    assert raw(neo4j_store, "MATCH (g:ChainkgGeneration) RETURN count(g) AS n")[0]["n"] == 1


@neo4j
def test_a_batch_sent_twice_writes_each_node_and_edge_once(neo4j_store):
    """Batches ``MERGE``: a batch sent twice leaves no duplicate, even with its rows side by side."""
    ds = tiny_chain()
    neo4j_store.replace(ds)  # the schema exists; the served graph stays as it is
    gen = "test-sent-twice"
    try:
        element_ids: dict[str, str] = {}
        for query, _what, rows in neo4j_store._node_jobs(ds):
            for _ in range(2):
                (record,) = neo4j_store._write(query, {"rows": rows, "gen": gen})
                element_ids.update(record["ids"])
        assert set(element_ids) == set(ds.nodes)
        for query, _what, rows in neo4j_store._edge_jobs(ds, element_ids):
            for _ in range(2):
                neo4j_store._write(query, {"rows": rows, "gen": gen})
        neo4j_store._verify(ds, gen)  # the staged counts are exactly the dataset's
    finally:
        raw(neo4j_store, "MATCH (n:ChainNode {gen: $gen}) DETACH DELETE n", gen=gen)
    assert neo4j_store.snapshot().fingerprint() == ds.fingerprint()  # the served graph is untouched


def _operators(plan: dict[str, Any]) -> list[str]:
    """Every operator of a query plan (the driver's dict), depth first."""
    return [plan["operatorType"], *(op for child in plan.get("children", []) for op in _operators(child))]


@neo4j
def test_batch_plans_merge_without_eager_steps_and_never_scan(neo4j_store):
    """Node batches seek the ``(id, gen)`` constraint; edge batches read both ends by element id; no ``Eager``."""
    neo4j_store.replace(tiny_chain())  # the schema exists
    rows = [{"id": "x", "props": {}}]
    edge_rows = [{"a": "4:x:1", "b": "4:x:2", "props": {}}]
    with neo4j_store._driver.session(database=neo4j_store.database) as session:
        for query, params in [
            (cy.node_batch(NodeKind.FIRM), {"rows": rows, "gen": "g"}),
            (cy.edge_batch(EdgeKind.OPERATES_IN), {"rows": edge_rows, "gen": "g"}),
        ]:
            operators = _operators(session.run("EXPLAIN " + query, params).consume().plan)
            assert not [op for op in operators if "Scan" in op or op.startswith("Eager@")], operators
            assert any("Seek" in op for op in operators), operators
            assert any("Merge" in op for op in operators), operators
            assert not [op for op in operators if op.startswith("Set")], operators  # ON CREATE: inside Merge
            if "-[r:" in query:
                assert sum("NodeByElementIdSeek" in op for op in operators) == 2, operators


@neo4j
def test_a_load_that_fails_in_a_later_batch_leaves_the_previous_graph(neo4j_store, bundled):
    neo4j_store.replace(tiny_chain())
    before = neo4j_store.version()
    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), batch_size=50)
    batches = []

    def crash_on_fifth_batch(done: int, total: int, what: str) -> None:
        batches.append(what)
        if len(batches) == 5:
            raise KeyboardInterrupt("simulated crash in the middle of a load")

    try:
        with pytest.raises(KeyboardInterrupt):
            store.replace(bundled, progress=crash_on_fifth_batch)
    finally:
        store.close()
    assert len(batches) == 5
    assert neo4j_store.version() == before
    same_graph(neo4j_store, tiny_chain())
    assert all_chain_nodes(neo4j_store) == len(tiny_chain().nodes)  # the partial generation is gone


@neo4j
def test_a_bad_row_in_the_last_batch_leaves_the_previous_graph(neo4j_store, bundled):
    neo4j_store.replace(tiny_chain())
    before = neo4j_store.version()
    broken = Dataset.of(bundled.nodes.values(), bundled.edges.values())
    firms = [n.id for n in broken.nodes.values() if isinstance(n, Firm)]
    # An int beyond 64 bits passes the model but cannot be sent to Neo4j: the last edge batch fails.
    broken.add_edge(
        Edge(kind=EdgeKind.SUPPLIES_TO, source=firms[-1], target=firms[-2], year=2**70, sources=("reply-2022",))
    )
    with pytest.raises(Exception) as caught:
        neo4j_store.replace(broken)
    assert not isinstance(caught.value, AssertionError)
    assert neo4j_store.version() == before
    same_graph(neo4j_store, tiny_chain())
    assert all_chain_nodes(neo4j_store) == len(tiny_chain().nodes)


@neo4j
def test_row_by_row_loading_gives_the_same_graph(neo4j_store):
    ds = tiny_chain()
    neo4j_store.load_row_by_row(ds)
    same_graph(neo4j_store, ds)


def _with_unverified_firm_and_edge(ds: Dataset) -> Dataset:
    """``ds`` with one firm and one edge ``unverified`` (the tiny chain's are all sourced)."""
    firm = ds.nodes["f-cell-b"]
    ds.nodes["f-cell-b"] = firm.model_copy(update={"confidence": Confidence.UNVERIFIED, "note": "待核实"})
    key = next(k for k in ds.edges if k[0] == "SUPPLIES")
    ds.edges[key] = ds.edges[key].model_copy(update={"confidence": Confidence.UNVERIFIED})
    return ds


@neo4j
@pytest.mark.parametrize("load", ["replace", "load_row_by_row"])
def test_properties_at_their_default_are_not_written_and_read_back(neo4j_store, load):
    """Both load paths leave out what holds its model default (``confidence: sourced``, a firm's
    ``is_local: true``, empty notes and lists): the same property maps both ways, and fewer writes.
    The read side fills them in again, and the counts Neo4j aggregates treat a missing one as its default."""
    ds = _with_unverified_firm_and_edge(tiny_chain())
    getattr(neo4j_store, load)(ds)
    same_graph(neo4j_store, ds)
    stored = {
        row["id"]: row["props"] for row in raw(neo4j_store, "MATCH (n:Firm) RETURN n.id AS id, properties(n) AS props")
    }
    assert "confidence" not in stored["f-cell-a"] and "is_local" not in stored["f-cell-a"]
    assert "note" not in stored["f-cell-a"] and "sources" in stored["f-cell-a"]
    assert stored["f-cell-b"]["confidence"] == "unverified" and stored["f-cell-b"]["note"] == "待核实"
    assert stored["o-lith-a"]["is_local"] is False
    edge_confidence = raw(neo4j_store, "MATCH ()-[r:SUPPLIES]->() RETURN r.confidence AS c")
    assert sorted(str(r["c"]) for r in edge_confidence) == ["None"] * (len(edge_confidence) - 1) + ["unverified"]
    counts = neo4j_store.counts()
    assert counts["confidence"]["nodes"]["unverified"] == 1 and counts["confidence"]["edges"]["unverified"] == 1
    assert counts["firms"] == {"local": 8, "outside": 4}


@neo4j
def test_id_constraints_exist(neo4j_store):
    neo4j_store.node("t-cell")  # first use creates them
    found = {c["name"]: c for c in neo4j_store.constraints()}
    assert found["chainkg_node_id"]["type"] == "UNIQUENESS"
    assert found["chainkg_node_id"]["labelsOrTypes"] == ["ChainNode"]  # every kind's nodes carry ChainNode
    assert found["chainkg_node_id"]["properties"] == ["id", "gen"]
    assert found["chainkg_meta_key"]["properties"] == ["key"]
    assert not set(found) & set(cy.LEGACY_CONSTRAINTS)


@neo4j
def test_first_use_drops_the_per_kind_constraints_of_earlier_versions(neo4j_store):
    """An older chainkg made one ``(id, gen)`` constraint per kind; they only slow loading down."""
    raw(neo4j_store, "CREATE CONSTRAINT chainkg_firm_id IF NOT EXISTS FOR (n:Firm) REQUIRE (n.id, n.gen) IS UNIQUE")
    assert "chainkg_firm_id" in {c["name"] for c in neo4j_store.constraints()}
    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"))
    try:
        _schema_ready.clear()  # as in a new process
        assert "chainkg_firm_id" not in {c["name"] for c in store.constraints()}
        store.replace(tiny_chain())
        same_graph(store, tiny_chain())
    finally:
        store.close()


@neo4j
def test_a_slow_read_times_out_on_the_server(neo4j_store):
    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), query_timeout=0.5)
    try:
        with pytest.raises(StoreUnavailable, match="timed out after 0.5s"):
            store._read("UNWIND range(1, 2000000000) AS x WITH x WHERE x < 0 RETURN count(x) AS n", {})
    finally:
        store.close()


@neo4j
def test_one_driver_per_process(neo4j_store):
    before = open_driver_count()
    other = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"))
    try:
        assert other._driver is neo4j_store._driver
        assert open_driver_count() == before
    finally:
        other.close()
    assert neo4j_store.ping()["state"] == "up"  # closing one store keeps the shared driver open


@neo4j
def test_api_serves_from_neo4j(neo4j_store, bundled):
    from fastapi.testclient import TestClient

    from api.app import create_app

    neo4j_store.replace(bundled)
    settings = Settings.from_env(env={})
    served = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"))  # the app closes it when it stops
    with TestClient(create_app(served, settings)) as neo, TestClient(create_app(MemoryStore(bundled), settings)) as mem:
        for path in ("/api/v1/clusters", "/api/v1/firms?q=CATL", "/api/v1/clusters/nev"):
            a, b = neo.get(path), mem.get(path)
            assert a.status_code == b.status_code == 200, path
            assert a.json() == b.json(), path
        health = neo.get("/health").json()
        assert health["backend"] == "neo4j" and health["store"]["state"] == "up"


@neo4j
def test_cli_loads_the_bundled_data_into_neo4j(neo4j_store):
    from loaders.folder import load_folder

    env = {**os.environ, "CHAINKG_NEO4J_BATCH": "1000"}
    cli = [sys.executable, "-m", "chainkg"]
    load = subprocess.run(
        [*cli, "load", "data/changzhou", "--backend", "neo4j"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert load.returncode == 0, load.stderr
    assert "into neo4j" in load.stdout
    info = subprocess.run(
        [*cli, "info", "--backend", "neo4j", "--json"], cwd=REPO_ROOT, env=env, capture_output=True, text=True
    )
    assert info.returncode == 0, info.stderr
    counts = json.loads(info.stdout)
    assert counts.pop("backend") == "neo4j"
    assert counts == load_folder(REPO_ROOT / "data" / "changzhou").counts()


def serve_until_ready(*argv: str) -> list[str]:
    """Start ``chainkg serve`` on a free port, return what it said on stderr up to "Serving on", stop it."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "chainkg", "serve", "--port", "0", *argv],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    said: list[str] = []
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # ends early if the server exits
            said.append(line.rstrip("\n"))
            if line.startswith("Serving on"):
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    return said


EMPTY_HINT = "holds no graph from chainkg load yet; load one first: chainkg load data/changzhou --backend neo4j"


@neo4j
def test_cli_on_an_empty_database_says_to_load_it_first(neo4j_store, tmp_path):
    """A database nothing was loaded into used to answer every id with "No cluster with id 'nev'."."""
    raw(neo4j_store, "MATCH (n) WHERE n:ChainkgMeta OR n:ChainNode OR n:ChainkgGeneration DETACH DELETE n")
    assert neo4j_store.version() == "neo4j-empty"
    try:
        for argv in (
            ["gaps", "nev"],
            ["firm", "catl-jiangsu", "--json"],
            ["report", "nev", "-o", str(tmp_path / "r.html")],
            ["export", "--format", "json", "-o", "-"],
        ):
            result = chainkg(*argv, "--backend", "neo4j")
            assert result.returncode == 1, (argv, result.stderr)
            (line,) = result.stderr.splitlines()
            assert line.startswith(f"error: Neo4j at {os.environ['NEO4J_URI']} (database neo4j) {EMPTY_HINT}")
            assert result.stdout == ""
        assert not (tmp_path / "r.html").exists()
        info = chainkg("info", "--backend", "neo4j", "--json")
        assert info.returncode == 0 and json.loads(info.stdout)["nodes"]["Cluster"] == 0  # the counts stay true
        assert info.stderr.startswith("note: ") and EMPTY_HINT in info.stderr
        said = serve_until_ready("--backend", "neo4j")
        assert said[-1].startswith("Serving on"), said
        assert any(line.startswith("warning: ") and EMPTY_HINT in line for line in said), said
    finally:
        neo4j_store.replace(tiny_chain())
    shown = chainkg("chain", "t-nev", "--backend", "neo4j")
    assert shown.returncode == 0 and "t-cell" in shown.stdout and shown.stderr == ""
    said = serve_until_ready("--backend", "neo4j")
    assert said[-1].startswith("Serving on") and not any("warning" in line for line in said), said


@neo4j
def test_an_unknown_database_is_one_line_naming_neo4j_database(neo4j_store):
    """``NEO4J_DATABASE`` naming no database used to end in the driver's ClientError traceback."""
    result = chainkg("info", "--backend", "neo4j", NEO4J_DATABASE="nosuchdb")
    assert result.returncode == 1
    (line,) = result.stderr.splitlines()
    assert line.startswith("error: ") and "has no database 'nosuchdb' (NEO4J_DATABASE)" in line
    store = Neo4jStore.from_settings(Settings.from_env(backend="neo4j"), database="nosuchdb")
    try:
        with pytest.raises(StoreUnavailable, match="no database 'nosuchdb'"):
            store.node("t-cell")
        assert store.ping()["state"] == "down"
    finally:
        store.close()
    assert neo4j_store.ping()["state"] == "up"


# -- no server needed ----------------------------------------------------------------------


def test_a_dead_server_gives_store_unavailable():
    store = Neo4jStore(dead_uri(), retry_time=0.2)
    try:
        state = store.ping()
        assert state["state"] == "down" and "error" in state
        with pytest.raises(StoreUnavailable, match="unavailable"):
            store.node("t-cell")
        with pytest.raises(StoreUnavailable):
            store.replace(tiny_chain())
    finally:
        store.close()


def test_api_answers_503_when_neo4j_is_down():
    from fastapi.testclient import TestClient

    from api.app import create_app

    store = Neo4jStore(dead_uri(), retry_time=0.2)
    with TestClient(create_app(store, Settings.from_env(env={}))) as client:
        response = client.get("/api/v1/clusters")
        assert response.status_code == 503
        assert response.headers["content-type"].startswith("application/problem+json")
        assert client.get("/health").json()["store"]["state"] == "down"


def test_settings_errors_name_the_variable(monkeypatch):
    with pytest.raises(ConfigError, match="NEO4J_URI"):
        Neo4jStore("")
    with pytest.raises(ConfigError, match="NEO4J_URI"):
        Neo4jStore("localhost:7687")  # no scheme
    for bad in ("bolt://127.0.0.1:x", "http://127.0.0.1:7474", "bolt://"):  # refused before any driver exists
        drivers = open_driver_count()
        with pytest.raises(ConfigError, match=f"NEO4J_URI '{bad}'"):
            Neo4jStore(bad)
        assert open_driver_count() == drivers
    with pytest.raises(ConfigError, match="NEO4J_URI"):
        Settings.from_env(env={"CHAINKG_BACKEND": "neo4j"})
    monkeypatch.setenv("CHAINKG_NEO4J_BATCH", "lots")
    with pytest.raises(ConfigError, match="CHAINKG_NEO4J_BATCH"):
        Neo4jStore.batch_from_env()
    monkeypatch.setenv("CHAINKG_NEO4J_BATCH", "2500")
    store = Neo4jStore(dead_uri())
    assert store.batch_size == 2500 and store.writers == 2
    store.close()
    for bad, message in [("many", "whole number of write transactions; got 'many'"), ("0", "from 1 to 32; got 0")]:
        monkeypatch.setenv("CHAINKG_NEO4J_WRITERS", bad)
        with pytest.raises(ConfigError, match=f"CHAINKG_NEO4J_WRITERS.*{message}"):
            Neo4jStore(dead_uri())
    monkeypatch.setenv("CHAINKG_NEO4J_WRITERS", "3")
    store = Neo4jStore(dead_uri())
    assert store.writers == 3
    store.close()


def test_batches_write_every_property_a_node_has(bundled):
    """``node_batch`` names its properties one by one: every property of every node kind must be among them."""
    for dataset in (bundled, synth_dataset(300, seed=1)):
        for node in dataset.nodes.values():
            missing = set(node_props(node)) - {"id"} - set(cy.node_property_keys(node.kind))
            assert not missing, (node.kind, missing)
    assert set(cy.node_property_keys("Firm")) >= {"name_zh", "name_en", "is_local", "sources", "seq"}


def test_property_maps_without_defaults_read_back_equal(bundled):
    """What a load writes (every value at its model default left out) reads back as the very node and edge."""
    for dataset in (bundled, synth_dataset(300, seed=1)):
        for node in dataset.nodes.values():
            stored = without_defaults(node_props(node), type(node))
            assert node_from_props(node.kind, stored) == node, node.id
        for edge in dataset.edges.values():
            stored = without_defaults(edge_props(edge), Edge)
            assert edge_from_props(edge.kind.value, edge.source, edge.target, stored) == edge
    firm = next(n for n in bundled.nodes.values() if isinstance(n, Firm) and not n.is_local)
    assert without_defaults(node_props(firm), Firm)["is_local"] is False  # not the default: written


class _Result:
    def __init__(self, rows: list[dict[str, Any]]) -> None:
        self._rows = rows

    def data(self) -> list[dict[str, Any]]:
        return list(self._rows)

    def __iter__(self) -> Any:
        return iter(self._rows)

    def consume(self) -> None:
        return None


class _RecordingSession:
    """Records every (query text, parameters, access mode, timeout) sent; answers with no rows.

    A node batch gets what Neo4j would answer, an ``elementId`` per row, so that the edge batches follow.
    """

    def __init__(self, log: list[dict[str, Any]], mode: str) -> None:
        self.log, self.mode = log, mode
        self._timeout: float | None = None
        self._tx_mode = mode

    def __enter__(self) -> _RecordingSession:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def run(self, query: str, parameters: dict[str, Any] | None = None) -> _Result:
        self.log.append(
            {"query": query, "params": dict(parameters or {}), "tx": self._tx_mode, "timeout": self._timeout}
        )
        if query.startswith("UNWIND $rows") and "elementId(n)" in query:
            rows = (parameters or {})["rows"]
            return _Result([{"ids": [[row["id"], f"4:fake:{i}"] for i, row in enumerate(rows)]}])
        return _Result([])

    def execute_read(self, work: Any) -> Any:
        return self._in_tx(work, "read")

    def execute_write(self, work: Any) -> Any:
        return self._in_tx(work, "write")

    def _in_tx(self, work: Any, mode: str) -> Any:
        self._tx_mode, self._timeout = mode, getattr(work, "timeout", None)
        try:
            return work(self)
        finally:
            self._tx_mode, self._timeout = "auto", None


class _RecordingDriver:
    def __init__(self) -> None:
        self.log: list[dict[str, Any]] = []

    def session(self, database: str, default_access_mode: str, **config: Any) -> _RecordingSession:
        self.session_configs = [*getattr(self, "session_configs", []), config]  # e.g. max_transaction_retry_time
        return _RecordingSession(self.log, default_access_mode)


HOSTILE = "x'}) MATCH (n) DETACH DELETE n //"


def _hostile_dataset() -> Dataset:
    ds = tiny_chain()
    firm = ds.nodes["f-cell-c"]
    ds.nodes["f-cell-c"] = firm.model_copy(update={"name_zh": HOSTILE, "note": "备注 " + HOSTILE})
    return ds


def test_cypher_texts_carry_no_data_values():
    driver = _RecordingDriver()
    store = Neo4jStore("bolt://fake:7687", driver=driver, query_timeout=3.0, batch_size=4)
    ds = _hostile_dataset()
    with pytest.raises(StoreUnavailable):  # the fake stores nothing, so the load does not verify
        store.replace(ds)
    store.node(HOSTILE)
    store.edges("SUPPLIES", source=HOSTILE, target="t-cell")
    store.edges(target=HOSTILE)
    store.nodes("Firm")
    store.counts()
    store.snapshot()
    store.version()

    values = {n.id for n in ds.nodes.values()} | {n.name_zh for n in ds.nodes.values()} | {HOSTILE}
    texts = {entry["query"] for entry in driver.log}
    assert len(driver.log) > 20
    for text in texts:
        for value in values:
            assert value not in text, (value, text)
    sent = json.dumps([e["params"] for e in driver.log], ensure_ascii=False)
    assert HOSTILE in sent and "t-cell" in sent  # the values travel as parameters
    batches = [e for e in driver.log if e["query"].startswith("UNWIND $rows")]
    assert batches and max(len(e["params"]["rows"]) for e in batches) == 4
    # MERGE (issue 4), properties set only as the MERGE creates (no SET step of its own, no CREATE clause)
    assert all("MERGE (" in e["query"] and "ON CREATE SET " in e["query"] for e in batches)
    assert not [e for e in batches if "\nSET " in e["query"] or "\nCREATE " in e["query"]]
    edge_batches = [e for e in batches if "-[r:" in e["query"]]
    assert len(edge_batches) >= len(ds.edges) / 4  # every edge was sent, its ends named by elementId
    assert all("elementId(a) = row.a" in e["query"] and "a.gen = $gen" in e["query"] for e in edge_batches)


def test_reads_run_in_read_transactions_with_the_timeout():
    driver = _RecordingDriver()
    store = Neo4jStore("bolt://fake:7687", driver=driver, query_timeout=2.5)
    store.node("t-cell")
    store.nodes(NodeKind.SEGMENT)
    store.edges(EdgeKind.PART_OF)
    reads = [e for e in driver.log if e["query"].startswith("MATCH (m:ChainkgMeta")]
    assert len(reads) == 3
    assert all(e["tx"] == "read" and e["timeout"] == 2.5 for e in reads)


def test_labels_and_types_come_only_from_the_whitelist():
    with pytest.raises(ValueError):
        cy.label("Firm) DETACH DELETE (n")
    with pytest.raises(ValueError):
        cy.rel_type("SUPPLIES]->() DETACH DELETE n //")
    store = Neo4jStore("bolt://fake:7687", driver=_RecordingDriver())
    with pytest.raises(ValueError):
        store.nodes("Firm:Admin")
    with pytest.raises(ValueError):
        store.edges("SUPPLIES|OWNS")
