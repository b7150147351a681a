"""Proximity between segments and Changzhou's relatedness density in each segment.

Proximity (``docs/analysis.md`` §5) mixes two kinds of evidence, half each:

- **co-occurrence** of firms across segments, as in the product space
  (Hidalgo et al. 2007; py-ecomplexity ``calc_proximity.py``):
  ``φ_co(p, q) = C_pq / max(k_p, k_q)``, where ``C_pq`` counts firms operating in
  both segments and ``k_p`` the firms operating in ``p`` (local and outside);
- **chain adjacency**: ``φ_adj(p, q) = 1`` when one segment SUPPLIES the other or
  is its parent or sub-segment, else 0.

``φ(p, q) = ½ φ_co(p, q) + ½ φ_adj(p, q)`` for ``p ≠ q``.

Relatedness density (Boschma, Balland & Kogler 2015; EconGeo
``relatedness_density.r``) is the share of what is related to ``p`` that
Changzhou already has: ``ω_p = Σ_q M_q φ(q, p) / Σ_q φ(q, p)``, with ``M_q = 1``
when segment ``q`` has at least one local firm. ``ω_p = 0`` when nothing is related.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> from queries.segment_graph import chain_data
>>> from queries.presence import compute_presence
>>> data = chain_data(MemoryStore(tiny_chain()))
>>> phi = proximity(data)
>>> phi["t-cell"]
{'t-anode': 0.5, 't-cathode': 0.5, 't-pack': 0.5}
>>> omega = relatedness_density(phi, compute_presence(data))
>>> omega["t-lithium"], omega["t-recycling"]
(1.0, 1.0)
"""

from __future__ import annotations

from collections.abc import Mapping
from itertools import combinations

from queries.presence import SegmentPresence
from queries.segment_graph import ChainData, r6

CO_OCCURRENCE_SHARE = 0.5
"""Weight of firm co-occurrence in the proximity; chain adjacency has the rest."""


def co_occurrence(data: ChainData) -> tuple[dict[tuple[str, str], int], dict[str, int]]:
    """Return ``(C, k)``: firms shared by each pair of segments (``p < q``) and firms per segment."""
    pairs: dict[tuple[str, str], int] = {}
    for segs in data.segments_of_firm.values():
        if len(segs) < 2:
            continue
        ids = sorted(s for s in segs if s in data.segments)
        for p, q in combinations(ids, 2):
            pairs[(p, q)] = pairs.get((p, q), 0) + 1
    sizes = {sid: len(firms) for sid, firms in data.operates_by_segment.items() if sid in data.segments}
    return pairs, sizes


def proximity(data: ChainData) -> dict[str, dict[str, float]]:
    """Return the symmetric proximity φ as ``{p: {q: φ(p, q)}}`` over pairs with φ > 0, sorted."""
    pairs, sizes = co_occurrence(data)
    phi: dict[tuple[str, str], float] = {}
    for (p, q), shared in pairs.items():
        phi[(p, q)] = CO_OCCURRENCE_SHARE * shared / max(sizes.get(p, 0), sizes.get(q, 0), 1)
    adjacent = {tuple(sorted((e.source, e.target))) for e in data.supplies}
    adjacent |= {tuple(sorted((child, parent))) for parent, kids in data.children.items() for child in kids}
    for p, q in adjacent:
        if p != q and p in data.segments and q in data.segments:
            phi[(p, q)] = phi.get((p, q), 0.0) + (1 - CO_OCCURRENCE_SHARE)
    out: dict[str, dict[str, float]] = {}
    for (p, q), value in sorted(phi.items()):
        out.setdefault(p, {})[q] = r6(value)
        out.setdefault(q, {})[p] = r6(value)
    return {p: dict(sorted(row.items())) for p, row in sorted(out.items())}


def relatedness_density(
    phi: Mapping[str, Mapping[str, float]], presence: Mapping[str, SegmentPresence]
) -> dict[str, float]:
    """Return ``ω_p`` for every segment in ``presence`` (0 when no segment is related)."""
    out: dict[str, float] = {}
    for p in presence:
        row = phi.get(p, {})
        total = sum(row.values())
        have = sum(v for q, v in row.items() if q in presence and presence[q].is_present)
        out[p] = r6(have / total) if total > 0 else 0.0
    return out
