"""A short bounded load (10 clients, 3 s) on a real ``chainkg serve`` subprocess, on both stores.

The long run (50 clients, 60 s) is ``make reliability``; its figures are in ``docs/reliability.md``.
Latency is reported, never asserted here (timing targets belong to the benchmark).
"""

from __future__ import annotations

import os

import pytest

from chainkg.settings import BUNDLED_DATA
from loaders.folder import load_folder
from reliability.load import MIX, run_load
from reliability.server import served

CLIENTS, SECONDS = 10, 3.0


def _check(result, capsys) -> None:
    summary = result.summary()
    with capsys.disabled():
        print(f"\n  load {CLIENTS}x{SECONDS:g}s: {summary['requests']} requests, p99 {summary['p99_ms']} ms")
    assert result.error_count == 0, summary["first_errors"]
    assert result.requests >= len(MIX)
    assert len(result.by_path_ms) >= min(len(MIX), CLIENTS)  # every client got answers
    assert result.seconds < SECONDS + 35  # the loops stopped by themselves


def test_short_load_on_the_embedded_store(capsys):
    with served({"CHAINKG_BACKEND": "networkx"}) as server:
        result = run_load(server.url, clients=CLIENTS, seconds=SECONDS)
        output = server.output()
    _check(result, capsys)
    assert "Traceback" not in output


@pytest.mark.neo4j
def test_short_load_on_neo4j(neo4j_store, capsys):
    neo4j_store.replace(load_folder(BUNDLED_DATA))
    env = {"CHAINKG_BACKEND": "neo4j", "NEO4J_URI": os.environ["NEO4J_URI"]}
    with served(env) as server:
        result = run_load(server.url, clients=CLIENTS, seconds=SECONDS)
        output = server.output()
    _check(result, capsys)
    assert "Traceback" not in output


def test_the_load_is_bounded_by_its_request_budget():
    with served({"CHAINKG_BACKEND": "networkx"}) as server:
        result = run_load(server.url, clients=4, seconds=60, max_requests=40)
    assert result.requests == 40 and result.error_count == 0
    assert result.seconds < 30


def test_the_load_refuses_any_address_but_loopback():
    for url in ("http://10.1.2.3:8000", "http://example.com", "http://192.168.0.1"):
        with pytest.raises(ValueError, match="127.0.0.1 only"):
            run_load(url, clients=1, seconds=1)
