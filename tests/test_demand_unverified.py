"""Review 9: a gap's downstream demand says how much of it rests only on unverified supply links.

``D`` counts every downstream local firm along every SUPPLIES link; the city's most severe gap (chemical fibres)
reaches all 13 of them only through links the data mark unverified. Severity and order are unchanged; the
components, the ``downstream_demand`` reason and the explanation say so.
"""

from __future__ import annotations

import networkx as nx
import pytest

from graph.memory_store import MemoryStore
from graph.model import Confidence, EdgeKind, NodeKind
from queries.gaps import gaps
from queries.impact import impact


def sourced_downstream_firms(store: MemoryStore, segment_id: str) -> tuple[set[str], set[str]]:
    """Local firms downstream of a segment along every SUPPLIES link, and along sourced ones only: from the raw
    edges, not from the analysis."""
    every, sourced = nx.DiGraph(), nx.DiGraph()
    for e in store.edges(EdgeKind.SUPPLIES):
        every.add_edge(e.source, e.target)
        if e.confidence is Confidence.SOURCED:
            sourced.add_edge(e.source, e.target)
    local = {n.id for n in store.nodes(NodeKind.FIRM) if n.is_local}
    subtree: dict[str, set[str]] = {}
    for seg in store.nodes(NodeKind.SEGMENT):
        if seg.parent_id:
            subtree.setdefault(seg.parent_id, set()).add(seg.id)

    def below(seg: str) -> set[str]:
        out = {seg}
        for child in subtree.get(seg, ()):
            out |= below(child)
        return out

    def firms_in(segs: set[str]) -> set[str]:
        where = set().union(*(below(s) for s in segs)) if segs else set()
        return {e.source for e in store.edges(EdgeKind.OPERATES_IN) if e.target in where and e.source in local}

    down_all = nx.descendants(every, segment_id) if segment_id in every else set()
    down_sourced = nx.descendants(sourced, segment_id) if segment_id in sourced else set()
    return firms_in(down_all), firms_in(down_sourced)


@pytest.fixture(scope="module")
def every_gap(bundled_store: MemoryStore) -> dict[str, dict]:
    return {g["segment_id"]: g for g in gaps(bundled_store)}


def test_the_two_most_severe_gaps_say_how_much_of_their_demand_is_unverified(every_gap):
    fibres, wafer = every_gap["tex-fibres"], every_gap["ele-wafer-fab"]
    c = fibres["components"]
    assert c["downstream_local_firms"] > 0
    assert c["downstream_local_firms_unverified_only"] == c["downstream_local_firms"]
    assert "（均仅经待核实的供应关系）" in fibres["explanation_zh"]
    assert "(all only through unverified supply links)" in fibres["explanation_en"]
    w = wafer["components"]
    assert 0 < w["downstream_local_firms_unverified_only"] < w["downstream_local_firms"]
    n = w["downstream_local_firms_unverified_only"]
    assert f"（其中{n}家仅经待核实的供应关系）" in wafer["explanation_zh"]
    assert f"({n} of them only through unverified supply links)" in wafer["explanation_en"]
    reason = next(r for r in wafer["reasons"] if r["code"] == "downstream_demand")
    assert reason["local_firms_unverified_only"] == n and f"其中{n}家" in reason["zh"]


def test_the_count_matches_the_raw_edges_and_chainkg_impact(bundled_store, every_gap):
    checked = 0
    for sid, g in every_gap.items():
        c = g["components"]
        if c["demand_from"] != sid or not c["downstream_local_firms"]:
            continue
        if any(seg.parent_id == sid for seg in bundled_store.nodes(NodeKind.SEGMENT)):
            continue  # a parent: D and impact count different scopes
        every, sourced = sourced_downstream_firms(bundled_store, sid)
        assert c["downstream_local_firms"] == len(every), sid
        assert c["downstream_local_firms_unverified_only"] == len(every - sourced), sid
        counts = impact(bundled_store, sid)["counts"]
        assert counts["dependent_local_firms_unverified_only"] == c["downstream_local_firms_unverified_only"], sid
        checked += 1
    assert checked >= 20


def test_a_gap_whose_demand_is_all_sourced_says_nothing_of_it(every_gap):
    plain = [g for g in every_gap.values() if g["components"]["downstream_local_firms"]]
    plain = [g for g in plain if not g["components"]["downstream_local_firms_unverified_only"]]
    assert plain
    for g in plain:
        assert "仅经待核实的供应关系" not in g["explanation_zh"].split("；")[0], g["segment_id"]
        reason = next(r for r in g["reasons"] if r["code"] == "downstream_demand")
        assert reason["local_firms_unverified_only"] == 0 and "待核实" not in reason["zh"]
