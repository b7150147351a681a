"""Criticality rankings: which segments and local firms of a cluster would hurt it most if lost.

Each row must equal what the one-item query answers (``impact`` for a segment, ``what-if`` for a firm),
the order must follow the documented keys, and the API, CLI and query must give the same answer.
"""

from __future__ import annotations

import json

import pytest

import queries.criticality as criticality
from chainkg.cli import main
from graph.errors import InvalidQuery, NodeNotFound
from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.criticality import STATUS_RANK, critical_firms, critical_segments, firm_rank_key, segment_rank_key
from queries.impact import impact
from queries.what_if import what_if

CLUSTERS = ("nev", "high-end-equipment", "green-steel", "electronics")


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_every_segment_row_equals_its_impact(bundled_store: MemoryStore, cluster: str) -> None:
    rows = critical_segments(bundled_store, cluster)
    ids = sorted(n.id for n in bundled_store.nodes(NodeKind.SEGMENT) if getattr(n, "cluster_id", "") == cluster)
    assert sorted(r["id"] for r in rows) == ids
    for row in rows:
        imp = impact(bundled_store, row["id"])
        assert row["counts"] == {key: imp["counts"][key] for key in row["counts"]}
        assert len(row["counts"]) == 6
        assert [f["id"] for f in row["local_firms"]] == [f["id"] for f in imp["local_firms"]]
        assert row["local_firm_count"] == len(imp["local_firms"])
        assert row["single_point"] == (row["local_firm_count"] == 1 and imp["counts"]["dependent_local_firms"] > 0)
        assert row["clusters_affected"] == imp["clusters_affected"]
        assert row["status"] == imp["segment"]["status"]


@pytest.mark.parametrize("cluster", CLUSTERS)
def test_segments_are_ranked_held_first_then_by_dependents(bundled_store: MemoryStore, cluster: str) -> None:
    rows = critical_segments(bundled_store, cluster)
    assert rows == sorted(rows, key=segment_rank_key)
    held = [r["local_firm_count"] > 0 for r in rows]
    assert held == sorted(held, reverse=True)  # no segment held locally after one held by no local firm
    firms = [r["counts"]["dependent_local_firms"] for r in rows if r["local_firm_count"]]
    assert firms == sorted(firms, reverse=True)


def test_bearings_are_a_single_point_the_planner_found(bundled_store: MemoryStore) -> None:
    """Review 13: heq-bearings is weak, held by one local firm, with 36 local firms depending on it."""
    row = next(r for r in critical_segments(bundled_store, "high-end-equipment") if r["id"] == "heq-bearings")
    assert row["single_point"] and row["local_firm_count"] == 1
    assert (
        row["counts"]["dependent_local_firms"]
        == impact(bundled_store, "heq-bearings")["counts"]["dependent_local_firms"]
    )
    assert row["counts"]["dependent_local_firms"] > 30


@pytest.mark.parametrize("cluster", ("nev", "green-steel", "textiles"))
def test_every_firm_row_equals_what_if_for_that_firm(bundled_store: MemoryStore, cluster: str) -> None:
    rows = critical_firms(bundled_store, cluster)
    assert rows, cluster
    for row in rows:
        answer = what_if(bundled_store, [row["id"]])
        health = {h["cluster_id"]: h for h in answer["health"]}
        own = health.get(cluster)
        assert row["health_delta"] == (own["delta"] if own else 0.0)
        assert row["health_before"] == (own["score_before"] if own else None)
        assert row["other_clusters"] == [h for cid, h in sorted(health.items()) if cid != cluster]
        drops = [
            c["segment_id"]
            for c in answer["changes"]
            if STATUS_RANK[c["status_after"]] < STATUS_RANK[c["status_before"]]
        ]
        assert [d["segment_id"] for d in row["status_drops"]] == drops
        assert row["new_gaps"] == [g["segment_id"] for g in answer["new_gaps"]]
        assert row["changed_segments"] == answer["summary"]["changed_segments"]
        assert row["segment_ids"], row["id"]  # every ranked firm operates in the cluster
    assert rows == sorted(rows, key=firm_rank_key)


def test_firms_are_every_local_firm_of_the_cluster(bundled_store: MemoryStore) -> None:
    rows = critical_firms(bundled_store, "nev")
    operating = {
        e.source
        for e in bundled_store.edges("OPERATES_IN")
        if e.target in {n.id for n in bundled_store.nodes(NodeKind.SEGMENT) if getattr(n, "cluster_id", "") == "nev"}
    }
    local = {fid for fid in operating if getattr(bundled_store.node(fid), "is_local", False)}
    assert {r["id"] for r in rows} == local
    assert all(r["health_delta"] <= 0 for r in rows)  # losing a local firm never improves health


def test_xingyu_leads_nev_with_lighting_falling_to_missing(bundled_store: MemoryStore) -> None:
    """Review 13: what-if xingyu drops nev-lighting from weak to missing; the ranking must show it."""
    row = next(r for r in critical_firms(bundled_store, "nev") if r["id"] == "xingyu")
    assert [(d["segment_id"], d["status_before"], d["status_after"]) for d in row["status_drops"]] == [
        ("nev-lighting", "weak", "missing")
    ]


def test_unknown_cluster_suggests_the_nearest(bundled_store: MemoryStore) -> None:
    for ranking in (critical_segments, critical_firms):
        with pytest.raises(NodeNotFound) as err:
            ranking(bundled_store, "nevv")
        assert "nev" in err.value.suggestions


def test_too_many_firms_is_refused_with_the_count(bundled_store: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    count = len(critical_firms(bundled_store, "nev"))  # one row per local firm (45 on the bundled data)
    monkeypatch.setattr(criticality, "MAX_RANKED_FIRMS", 3)
    with pytest.raises(InvalidQuery) as err:
        critical_firms(bundled_store, "nev")
    message = str(err.value)
    assert count > 3 and f"{count} local firms" in message and "at most 3" in message and "what-if" in message


def test_api_pages_the_rankings(api_client) -> None:
    whole = api_client.get("/api/v1/clusters/nev/critical-segments?limit=500").json()
    assert whole["cluster_id"] == "nev" and whole["total"] == len(whole["items"]) == 29
    seen = []
    for offset in range(0, whole["total"], 7):
        body = api_client.get(f"/api/v1/clusters/nev/critical-segments?limit=7&offset={offset}").json()
        seen += body["items"]
    assert seen == whole["items"]
    firms = api_client.get("/api/v1/clusters/green-steel/critical-firms?limit=2")
    assert firms.status_code == 200 and len(firms.json()["items"]) == 2
    assert firms.json()["items"][0]["id"] == "zenith-steel"


def test_api_unknown_cluster_is_a_404_with_suggestions(api_client) -> None:
    for path in ("critical-segments", "critical-firms"):
        response = api_client.get(f"/api/v1/clusters/nevv/{path}")
        assert response.status_code == 404
        assert "nev" in response.json()["suggestions"]


def test_cli_json_equals_the_api_body(api_client, capsys: pytest.CaptureFixture[str]) -> None:
    for extra, path in (([], "critical-segments"), (["--firms"], "critical-firms")):
        assert main(["critical", "nev", *extra, "--json"]) == 0
        printed = json.loads(capsys.readouterr().out)
        assert printed == api_client.get(f"/api/v1/clusters/nev/{path}").json()


def test_cli_tables_name_the_top_rows(capsys: pytest.CaptureFixture[str], bundled_store: MemoryStore) -> None:
    assert main(["critical", "high-end-equipment", "--limit", "3", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    top = critical_segments(bundled_store, "high-end-equipment")[:3]
    for row in top:
        assert row["id"] in out and row["name_en"] in out
    assert "single" in out and f"3 of {len(critical_segments(bundled_store, 'high-end-equipment'))}" in out
    assert not any("\u4e00" <= ch <= "\u9fff" for ch in out)  # English only
    assert main(["critical", "nev", "--firms", "--limit", "2"]) == 0
    out = capsys.readouterr().out
    assert "xingyu" in out and "nev-lighting 弱链->缺链" in out and "企业关键度" in out


def test_cli_unknown_cluster_fails_with_the_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["critical", "heq"]) != 0
    assert "high-end-equipment" in capsys.readouterr().err
