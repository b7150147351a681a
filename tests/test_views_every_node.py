"""Every view of every node of the bundled data builds, and each firm that holds a tier renders.

The hostile and synthetic fixtures in ``test_views.py`` test what views show; this file guards against
a field of the real data that those fixtures lack (on 2026-12-06 every firm holding a tier, 24 of them,
made ``/views/firms/{id}`` answer 500, since a firm's tiers had become objects).
"""

from __future__ import annotations

import pytest

from graph.memory_store import MemoryStore
from graph.model import NodeKind
from viz.render import LinkStyle, render_view
from viz.views import build_view

KINDS = {"firm": NodeKind.FIRM, "segment": NodeKind.SEGMENT, "cluster": NodeKind.CLUSTER}


@pytest.mark.parametrize("kind", sorted(KINDS))
def test_every_node_of_the_bundled_data_has_its_view(bundled_store: MemoryStore, kind: str):
    nodes = bundled_store.nodes(KINDS[kind])
    assert nodes, f"the bundled data has no {kind}"
    failed = []
    for node in nodes:
        try:
            net = build_view(bundled_store, kind, node.id)
        except Exception as err:  # noqa: BLE001 - collect them all, then fail once
            failed.append(f"{node.id}: {err!r}")
            continue
        if net.num_nodes() == 0:
            failed.append(f"{node.id}: an empty view")
    assert not failed, f"{len(failed)} {kind} view(s) failed: " + "; ".join(failed[:5])


def test_firms_holding_a_tier_render_and_list_it(bundled_store: MemoryStore):
    holders = sorted({e.source for e in bundled_store.edges(kind="HOLDS_TIER")})
    assert len(holders) >= 10, "the bundled data names tier holders (单项冠军, 小巨人, ...)"
    for firm_id in holders:
        html = render_view(build_view(bundled_store, "firm", firm_id), LinkStyle.file(None)).html
        assert "梯度 Tiers" in html, f"{firm_id}: its tiers are not in the details panel"
