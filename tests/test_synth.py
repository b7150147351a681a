"""The synthetic generator and ``chainkg synth``: deterministic, Changzhou-shaped, loadable, skewed."""

from __future__ import annotations

import statistics
from collections import Counter

import pytest

from chainkg.cli import main
from graph.memory_store import MemoryStore
from graph.model import Edge, EdgeKind, Firm, NodeKind, Position
from graph.synth import SOURCE_ID, synth_dataset, synth_items
from loaders.folder import load_folder
from queries.gaps import gaps


@pytest.fixture(scope="module")
def synth_3000():
    return synth_dataset(3000, seed=5)


def test_same_seed_same_data_other_seed_other_data():
    assert synth_dataset(500, seed=1).fingerprint() == synth_dataset(500, seed=1).fingerprint()
    assert synth_dataset(500, seed=1).fingerprint() != synth_dataset(500, seed=2).fingerprint()
    streamed = list(synth_items(500, seed=1))
    ds = synth_dataset(500, seed=1)
    assert [i.id for i in streamed if not isinstance(i, Edge)] == list(ds.nodes)  # the same order
    assert [i.key for i in streamed if isinstance(i, Edge)] == list(ds.edges)
    assert len(streamed) == len(ds.nodes) + len(ds.edges)


def test_shape_ten_clusters_realistic_segments_local_and_outside(synth_3000):
    ds = synth_3000
    assert ds.problems() == []
    counts = ds.counts()
    assert counts["nodes"]["Cluster"] == 10
    assert counts["nodes"]["Firm"] == 3000
    per_cluster = Counter(s.cluster_id for s in ds.of_kind(NodeKind.SEGMENT))
    assert set(per_cluster) == {c.id for c in ds.of_kind(NodeKind.CLUSTER)}
    assert all(8 <= n <= 24 for n in per_cluster.values())  # the bundled data has 157 segments in 10 clusters
    positions = Counter(s.position for s in ds.of_kind(NodeKind.SEGMENT))
    assert positions[Position.UPSTREAM] and positions[Position.MIDSTREAM] and positions[Position.DOWNSTREAM]
    local, outside = counts["firms"]["local"], counts["firms"]["outside"]
    assert 0.5 < local / 3000 < 0.7 and outside > 0.3 * 3000
    assert all(n.sources == (SOURCE_ID,) for n in ds.nodes.values() if n.kind != "Source")
    assert all("合成" in n.name_zh for n in ds.nodes.values())  # nothing passes for a real firm or place


def test_firm_degree_is_skewed(synth_3000):
    degree = Counter(e.source for e in synth_3000.edges_of(EdgeKind.OPERATES_IN))
    values = [degree[f.id] for f in synth_3000.of_kind(NodeKind.FIRM)]
    assert statistics.median(values) == 1  # most firms work in one segment...
    assert max(values) >= 5  # ...a few in many
    assert statistics.mean(values) > statistics.median(values)
    crowd = Counter(e.target for e in synth_3000.edges_of(EdgeKind.OPERATES_IN))
    busiest, quietest = crowd.most_common()[0][1], crowd.most_common()[-1][1]
    assert busiest > 10 * quietest  # Zipf-like segment popularity


def test_gaps_remain_at_every_size():
    for firms in (300, 5000):
        store = MemoryStore(synth_dataset(firms, seed=0))
        kinds = {g["kind"] for g in gaps(store)}
        assert "weak" in kinds and kinds & {"missing", "broken_link", "extension"}


def test_cli_writes_a_folder_the_loader_reads_back(tmp_path, capsys):
    out = tmp_path / "syn"
    assert main(["synth", "--firms", "400", "--seed", "3", "-o", str(out), "--quiet"]) == 0
    assert "400 firms" in capsys.readouterr().out
    loaded = load_folder(out)
    expected = synth_dataset(400, seed=3)
    assert set(loaded.nodes) == set(expected.nodes)
    assert set(loaded.edges) == set(expected.edges)
    assert all(loaded.nodes[k] == v for k, v in expected.nodes.items())
    assert all(loaded.edges[k] == v for k, v in expected.edges.items())
    assert isinstance(loaded.nodes["syn-f000001"], Firm)
    assert (out / "README.md").read_text(encoding="utf-8").startswith("# Synthetic dataset")


def test_cli_refuses_to_overwrite_without_force(tmp_path, capsys):
    out = tmp_path / "syn"
    assert main(["synth", "--firms", "20", "-o", str(out), "--quiet"]) == 0
    assert main(["synth", "--firms", "20", "-o", str(out), "--quiet"]) == 2  # a usage error, as for export
    assert "--force" in capsys.readouterr().err
    assert main(["synth", "--firms", "30", "-o", str(out), "--quiet", "--force"]) == 0
    assert load_folder(out).counts()["nodes"]["Firm"] == 30


def test_a_prefix_every_firm_shares_is_answered_from_a_bounded_scan(monkeypatch):
    from queries import search as search_module

    store = MemoryStore(synth_dataset(800, seed=4))
    full = search_module.search(store, "hechengqiye", limit=200)
    assert len(full) == 200 and all(r["match"] == "prefix" for r in full)
    monkeypatch.setattr(search_module, "MAX_PREFIX_HITS", 60)  # 800 firms share the prefix
    capped = search_module.search(store, "hechengqiye", limit=200)
    assert 0 < len(capped) < 200 and all(r["match"] == "prefix" for r in capped)
    assert capped[0] == full[0]  # the best match is among the shortest keys, scanned first
    assert [r["score"] for r in capped] == sorted((r["score"] for r in capped), reverse=True)
