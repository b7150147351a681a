"""What the cluster report's projects-and-policies section shows: completeness, projects, policies and tiers.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> part = layers_section(MemoryStore(tiny_layers()), "t-nev", None, local_firms={"f-cell-a", "f-anode-a"})
>>> [p["id"] for p in part["projects"]]
['prj-cell-1', 'prj-cell-2', 'prj-lithium', 'prj-recycle']
>>> [p["id"] for p in part["policies"]], [g["segment_id"] for g in part["targeted_gaps"]]
(['pol-capital', 'pol-recycling', 'pol-reward'], ['t-recycling'])
>>> [(t["firm_id"], t["year"], t["batch"]) for t in part["tier_holders"]]
[('f-anode-a', 2020, 2), ('f-cell-a', 2021, 6)]
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from graph.store import GraphStore
from queries.completeness import completeness
from queries.layer_data import layer_data
from queries.policies import list_policies, policy_gaps
from queries.projects import list_projects


def _named_completeness(store: GraphStore, answer: dict[str, Any]) -> dict[str, Any]:
    """The completeness answer with each year's ``added`` segments also given by name (``added_names``).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_layers
    >>> store = MemoryStore(tiny_layers())
    >>> part = _named_completeness(store, completeness(store, "t-nev"))
    >>> [y["added_names"] for y in part["years"] if y["added"]]
    [[{'id': 't-lithium', 'name_zh': '锂盐', 'name_en': 'Lithium salts'}]]
    """

    def named(sid: str) -> dict[str, str]:
        node = store.node(sid)
        return {
            "id": sid,
            "name_zh": getattr(node, "name_zh", "") or sid,
            "name_en": getattr(node, "name_en", "") or "",
        }

    years = [{**y, "added_names": [named(sid) for sid in y["added"]]} for y in answer["years"]]
    return {**answer, "years": years}


def layers_section(
    store: GraphStore, cluster_id: str, year: int | None, *, local_firms: Iterable[str]
) -> dict[str, Any]:
    """The cluster's completeness, projects (as of ``year``), the policies that apply and the tier holders.

    Policies are those that target the cluster or one of its segments, and those that
    target a tier some of ``local_firms`` (the cluster's local firms) hold.
    """
    layers = layer_data(store)
    projects = [
        p
        for p in list_projects(store, cluster=cluster_id, limit=100_000)["items"]
        if year is None or p["year"] is None or p["year"] <= year
    ]
    firms = set(local_firms)
    holders = []
    for fid in sorted(firms):
        for edge in layers.tiers_of_firm.get(fid, []):
            tier = layers.tiers.get(edge.target)
            if tier is None or (year is not None and edge.year is not None and edge.year > year):
                continue
            firm = store.node(fid)
            holders.append(
                {
                    "firm_id": fid,
                    "name_zh": firm.name_zh if firm else fid,
                    "name_en": getattr(firm, "name_en", "") or "",
                    "tier_id": tier.id,
                    "tier_name_zh": tier.name_zh,
                    "tier_name_en": tier.name_en,
                    "level": tier.level.value,
                    "year": edge.year,
                    "batch": edge.batch,
                    "sources": list(edge.sources),
                    "confidence": edge.confidence.value,
                }
            )
    held_tiers = {h["tier_id"] for h in holders}
    chosen = {p["id"]: p for p in list_policies(store, cluster=cluster_id, limit=100_000)["items"]}
    for tier_id in sorted(held_tiers):
        for p in list_policies(store, tier=tier_id, limit=100_000)["items"]:
            chosen.setdefault(p["id"], p)
    gap_items = policy_gaps(store, cluster_id, year)
    return {
        "completeness": _named_completeness(store, completeness(store, cluster_id)),
        "projects": projects,
        "policies": [chosen[k] for k in sorted(chosen)],
        "tier_holders": holders,
        "targeted_gaps": [g for g in gap_items if g["targeted_by"]],
        "untargeted_gaps": [g for g in gap_items if not g["targeted_by"]],
    }
