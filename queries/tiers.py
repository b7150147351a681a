"""Tiers of firm cultivation (梯度培育: 单项冠军, 专精特新"小巨人", 专精特新) and the firms that hold them.

A firm holds a tier from the ``year`` it was named (its HOLDS_TIER edge, with
the ``batch``); with an as-of ``year``, holdings named later are left out and
undated ones always count, as everywhere else (``docs/analysis.md``): nothing
says they came later. ``undated_holder_count`` says how many of the counted
holders are counted only through such an undated holding.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> store = MemoryStore(tiny_layers())
>>> [(t["id"], t["holder_count"], t["local_holder_count"]) for t in list_tiers(store)]
[('tier-champion', 2, 1), ('tier-giant', 1, 1), ('tier-giant-prov', 1, 1)]
>>> [t["undated_holder_count"] for t in list_tiers(store)]
[0, 0, 0]
>>> [(h["id"], h["year"], h["batch"]) for h in get_tier(store, "tier-champion")["holders"]]
[('o-lith-a', 2019, 4), ('f-cell-a', 2021, 6)]
>>> [t["id"] for t in list_tiers(store, year=2020) if t["holder_count"]]
['tier-champion', 'tier-giant']
>>> [(t["tier_id"], t["year"]) for t in tiers_of_firm(store, "f-cell-a")]
[('tier-champion', 2021)]
"""

from __future__ import annotations

from typing import Any

from graph.model import TIER_LEVEL_ORDER, Edge, NodeKind, Tier
from graph.store import GraphStore
from queries.layer_data import layer_data
from queries.layer_items import brief, instrument_item, source_refs
from queries.lookup import require
from queries.segment_graph import chain_data, check_as_of_year


def _held(edges: list[Edge], year: int | None) -> list[Edge]:
    """The holdings that count as of ``year``: those named by then, and the undated ones."""
    return [e for e in edges if year is None or e.year is None or e.year <= year]


def _undated_holders(holders: list[Edge]) -> set[str]:
    """The firms among ``holders`` counted only through a holding with no year (none of theirs is dated).

    >>> from graph.model import EdgeKind
    >>> def held(firm, year):
    ...     return Edge(kind=EdgeKind.HOLDS_TIER, source=firm, target="t", year=year, sources=["s"])
    >>> sorted(_undated_holders([held("a", None), held("b", 2019), held("b", None)]))
    ['a']
    """
    dated = {e.source for e in holders if e.year is not None}
    return {e.source for e in holders if e.year is None} - dated


def _tier_summary(tier: Tier, holders: list[Edge], local: frozenset[str]) -> dict[str, Any]:
    batches = sorted({(e.batch, e.year) for e in holders if e.batch is not None}, key=lambda b: (b[0], b[1] or 0))
    return {
        "id": tier.id,
        "name_zh": tier.name_zh,
        "name_en": tier.name_en,
        "level": tier.level.value,
        "category": tier.category.value,
        "issuer": tier.issuer,
        "holder_count": len({e.source for e in holders}),
        "local_holder_count": len({e.source for e in holders if e.source in local}),
        "undated_holder_count": len(_undated_holders(holders)),
        "batches": [{"batch": b, "year": y} for b, y in batches],
        "sources": list(tier.sources),
        "confidence": tier.confidence.value,
        "note": tier.note,
    }


def _order(tier: Tier) -> tuple[int, str, str]:
    return (TIER_LEVEL_ORDER[tier.level], tier.category.value, tier.id)


def list_tiers(store: GraphStore, year: int | None = None) -> list[dict[str, Any]]:
    """Every tier, national first, with how many firms hold it (as of ``year``) and the batches seen.

    ``holder_count`` counts undated holdings in every year; ``undated_holder_count`` says how many of
    those holders have no year (always at most ``holder_count``).

    Raises
    ------
    InvalidQuery
        For a year outside 1990–2100.
    """
    check_as_of_year(year)
    layers = layer_data(store)
    local = chain_data(store).local_firms
    tiers = sorted(layers.tiers.values(), key=_order)
    return [_tier_summary(t, _held(layers.holders_of_tier.get(t.id, []), year), local) for t in tiers]


def _holding(edge: Edge) -> dict[str, Any]:
    return {
        "year": edge.year,
        "batch": edge.batch,
        "sources": list(edge.sources),
        "confidence": edge.confidence.value,
        "note": edge.note,
    }


def get_tier(store: GraphStore, tier_id: str, year: int | None = None) -> dict[str, Any]:
    """One tier with its holders (year and batch named, by year; undated last) and the policies aimed at it.

    As in :func:`list_tiers`, undated holdings count in every year and ``undated_holder_count`` says
    how many of the holders have no year.

    Raises
    ------
    NodeNotFound
        For an unknown tier id (with the nearest ids).
    InvalidQuery
        For a year outside 1990–2100.
    """
    node = require(store, tier_id, NodeKind.TIER)
    assert isinstance(node, Tier)
    check_as_of_year(year)
    layers = layer_data(store)
    data = chain_data(store)
    held = _held(layers.holders_of_tier.get(node.id, []), year)
    out = _tier_summary(node, held, data.local_firms)
    out["description"] = node.description
    holders = []
    for e in sorted(held, key=lambda e: (e.year is None, e.year or 0, e.source)):
        firm = data.firms.get(e.source)
        holders.append(
            {
                **brief(firm, e.source),
                "is_local": firm.is_local if firm is not None else None,
                "district_id": (firm.district_id or None) if firm is not None else None,
                **_holding(e),
            }
        )
    out["holders"] = holders
    policies = []
    for pid, _kind in layers.policies_targeting.get(node.id, []):
        policy = layers.policies[pid]
        policies.append(
            {
                **brief(policy),
                "instruments": [instrument_item(i) for i in policy.instruments if i.tier_id in ("", node.id)],
            }
        )
    out["policies"] = policies
    out["sources_ref"] = source_refs(store, {*node.sources, *(s for e in held for s in e.sources)})
    return out


def tiers_of_firm(store: GraphStore, firm_id: str) -> list[dict[str, Any]]:
    """The tiers a firm holds, each with the year and batch it was named in, national first.

    Raises
    ------
    NodeNotFound
        For an unknown firm id.
    """
    require(store, firm_id, NodeKind.FIRM)
    layers = layer_data(store)
    out = []
    for e in layers.tiers_of_firm.get(firm_id, []):
        tier = layers.tiers.get(e.target)
        if tier is None:
            continue
        out.append(
            {
                "tier_id": tier.id,
                "name_zh": tier.name_zh,
                "name_en": tier.name_en,
                "level": tier.level.value,
                "category": tier.category.value,
                **_holding(e),
            }
        )
    out.sort(key=lambda t: (TIER_LEVEL_ORDER[layers.tiers[t["tier_id"]].level], t["year"] or 0, t["tier_id"]))
    return out
