"""Upstream impact items carry ``sourced_distance``, and ``chainkg impact`` words both distances.

Downstream items of :func:`queries.impact.impact` said how far they lie over sourced supply
(``sourced_distance``); upstream items (what a segment depends on) did not, and the CLI's ``links``
column gave the shortest distance alone, although the shortest path may rest on an unverified link.
Upstream items now carry ``sourced_distance`` with the same meaning (the shortest supply path to the
segment, or its nearest sub-segment, over sourced links only; ``None`` when there is none), and the
``links`` column names both when they differ, as the segment view does.

The expected values are computed here from the store's SUPPLIES edges (a breadth-first walk over the
sourced ones, against the direction of supply), not read from the query.
"""

from __future__ import annotations

import re
from collections import deque
from collections.abc import Iterable
from typing import Any

import pytest

from chainkg.cli import main
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Confidence, Edge, EdgeKind, NodeKind
from graph.store import GraphStore
from queries.impact import distance_words, impact

GAP_LINE = re.compile(r"^  \d\.\d\d  ")
"""A line of the upstream gaps under the table: severity, then the gap."""


def subtree(store: GraphStore, segment_id: str) -> set[str]:
    """The segment and its sub-segments, transitively, from the nodes' ``parent_id``."""
    children: dict[str, list[str]] = {}
    for node in store.nodes(NodeKind.SEGMENT):
        if node.parent_id:
            children.setdefault(node.parent_id, []).append(node.id)
    unit, todo = {segment_id}, [segment_id]
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in unit:
                unit.add(child)
                todo.append(child)
    return unit


def suppliers_by_bfs(store: GraphStore, starts: Iterable[str], *, sourced_only: bool) -> dict[str, int]:
    """Links from each segment that supplies ``starts`` (transitively) to the nearest of them."""
    feeders: dict[str, list[str]] = {}
    for edge in store.edges(EdgeKind.SUPPLIES):
        if sourced_only and edge.confidence is not Confidence.SOURCED:
            continue
        feeders.setdefault(edge.target, []).append(edge.source)
    dist = dict.fromkeys(starts, 0)
    queue = deque(dist)
    while queue:
        here = queue.popleft()
        for supplier in feeders.get(here, []):
            if supplier not in dist:
                dist[supplier] = dist[here] + 1
                queue.append(supplier)
    return dist


def upstream_rows(text: str) -> list[str]:
    """The rows of the CLI's upstream table (the lines under the table after the ``upstream:`` line, ``上游：`` in
    Chinese, up to the gaps)."""
    lines = text.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(("upstream:", "上游：")))
    rule = next(i for i in range(start, len(lines)) if lines[i].strip() and set(lines[i].strip()) <= {"-", " "})
    rows = []
    for line in lines[rule + 1 :]:
        if not line or GAP_LINE.match(line):
            break
        rows.append(line)
    return rows


def row_of(rows: list[str], segment_id: str) -> str:
    [row] = [row for row in rows if f"  {segment_id}  " in row]
    return row


def cli(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


@pytest.fixture(scope="module")
def upstream_items(bundled: Any) -> list[tuple[str, dict[str, Any], int | None]]:
    """Every (segment, upstream item, sourced distance by BFS) of the bundled data."""
    store = MemoryStore(bundled)
    found = []
    for node in store.nodes(NodeKind.SEGMENT):
        by_bfs = suppliers_by_bfs(store, subtree(store, node.id), sourced_only=True)
        for item in impact(store, node.id)["upstream"]:
            found.append((node.id, item, by_bfs.get(item["id"])))
    return found


def test_every_upstream_sourced_distance_is_the_shortest_sourced_supply_path(bundled_store, upstream_items):
    assert upstream_items
    for segment_id, item, expected in upstream_items:
        assert item["sourced_distance"] == expected, (segment_id, item["id"])
        # the same meaning as downstream: None exactly when no supply path is sourced throughout
        assert (expected is None) == (item["confidence"] == "unverified"), (segment_id, item["id"])
        assert expected is None or expected >= item["distance"], (segment_id, item["id"])
    # the shortest distance itself, over every link, is unchanged
    segment_id, item, _ = upstream_items[0]
    every = suppliers_by_bfs(bundled_store, subtree(bundled_store, segment_id), sourced_only=False)
    assert item["distance"] == every[item["id"]]
    # the bundled data has all three cases
    assert any(e is not None and e > i["distance"] for _, i, e in upstream_items)
    assert any(e is None for _, i, e in upstream_items)
    assert any(e == i["distance"] for _, i, e in upstream_items)


def test_an_upstream_item_nearer_over_an_unverified_link_is_worded_with_both_distances(upstream_items, capsys):
    segment_id, item, expected = next(
        (s, i, e) for s, i, e in upstream_items if e is not None and e > i["distance"] and i["confidence"] == "sourced"
    )
    assert item["sourced_distance"] == expected
    zh, en = distance_words(item)
    assert (
        en
        == f"{item['distance']} step{'s' * (item['distance'] != 1)} (unverified); {expected} steps over sourced supply"
    )
    assert zh == f"{item['distance']} 步（待核实），经已证实的供应 {expected} 步"
    english = row_of(upstream_rows(cli(capsys, ["impact", segment_id, "--lang", "en"])), item["id"])
    assert english.startswith(en + "  "), english
    chinese = row_of(upstream_rows(cli(capsys, ["impact", segment_id])), item["id"])
    assert chinese.startswith(zh + "  "), chinese


def test_an_upstream_item_reached_only_through_unverified_links_keeps_the_plain_distance(upstream_items, capsys):
    segment_id, item, _ = next((s, i, e) for s, i, e in upstream_items if e is None)
    assert item["sourced_distance"] is None and item["confidence"] == "unverified"
    assert distance_words(item) == (
        f"{item['distance']} 步",
        f"{item['distance']} step" + "s" * (item["distance"] != 1),
    )
    row = row_of(upstream_rows(cli(capsys, ["impact", segment_id, "--lang", "en"])), item["id"])
    assert row.split()[:2] == [str(item["distance"]), item["id"]], row
    assert f"unverified ({item['unverified_links']})" in row


def test_an_upstream_item_whose_distances_agree_keeps_the_plain_distance(upstream_items, capsys):
    segment_id, item, _ = next((s, i, e) for s, i, e in upstream_items if e is not None and e == i["distance"])
    assert item["sourced_distance"] == item["distance"]
    for argv in (["impact", segment_id], ["impact", segment_id, "--lang", "en"]):
        row = row_of(upstream_rows(cli(capsys, argv)), item["id"])
        assert row.split()[:2] == [str(item["distance"]), item["id"]], row
        assert "unverified" not in row.split("  ")[0] and "待核实" not in row


def test_a_downstream_item_nearer_over_an_unverified_link_is_worded_in_the_cli_too(bundled_store, capsys):
    # the downstream table uses the same words: found from the data, checked against a BFS downstream
    for node in bundled_store.nodes(NodeKind.SEGMENT):
        differ = [
            d
            for d in impact(bundled_store, node.id)["downstream"]
            if d["sourced_distance"] not in (None, d["distance"])
        ]
        if differ:
            break
    else:
        pytest.fail("no downstream item of the bundled data is nearer over an unverified link")
    item = differ[0]
    feeds: dict[str, list[str]] = {}
    for edge in bundled_store.edges(EdgeKind.SUPPLIES):
        if edge.confidence is Confidence.SOURCED:
            feeds.setdefault(edge.source, []).append(edge.target)
    dist, queue = dict.fromkeys(subtree(bundled_store, node.id), 0), deque(subtree(bundled_store, node.id))
    while queue:
        here = queue.popleft()
        for nxt in feeds.get(here, []):
            if nxt not in dist:
                dist[nxt] = dist[here] + 1
                queue.append(nxt)
    assert item["sourced_distance"] == dist[item["id"]]
    zh, en = distance_words(item)
    lines = cli(capsys, ["impact", node.id, "--lang", "en"]).splitlines()
    assert any(line.startswith(en + "  ") and f"  {item['id']}  " in line for line in lines)
    lines = cli(capsys, ["impact", node.id]).splitlines()
    assert any(line.startswith(zh + "  ") and f"  {item['id']}  " in line for line in lines)


def test_an_unverified_shortcut_upstream_on_the_tiny_chain():
    # invented test data: t-lithium -> t-pack as an unverified shortcut; the sourced way runs
    # t-lithium -> t-cathode -> t-cell -> t-pack
    data = tiny_chain()
    data.add_edge(
        Edge(
            kind=EdgeKind.SUPPLIES,
            source="t-lithium",
            target="t-pack",
            confidence=Confidence.UNVERIFIED,
            sources=("s-tiny",),
        )
    )
    store = MemoryStore(data)
    up = {u["id"]: u for u in impact(store, "t-pack")["upstream"]}
    assert (up["t-lithium"]["distance"], up["t-lithium"]["sourced_distance"]) == (1, 3)
    assert up["t-lithium"]["confidence"] == "sourced"
    assert (up["t-cell"]["distance"], up["t-cell"]["sourced_distance"]) == (1, 1)
    assert suppliers_by_bfs(store, ["t-pack"], sourced_only=True)["t-lithium"] == 3


def test_the_api_and_its_schema_carry_the_upstream_sourced_distance(api_client, upstream_items):
    segment_id, item, expected = next((s, i, e) for s, i, e in upstream_items if e is not None and e > i["distance"])
    body = api_client.get(f"/api/v1/segments/{segment_id}/impact").json()
    assert {u["id"]: u["sourced_distance"] for u in body["upstream"]}[item["id"]] == expected
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("ImpactUpstream", "ImpactDownstream"):
        described = schemas[name]["properties"]["sourced_distance"]["description"]
        assert "sourced links only" in described and "仅经已证实" in described, name
