"""A supply arrow's 断链 mark follows its own supply row's confidence (review 9, #1).

晶圆制造 ``ele-wafer-fab``'s 断链 is in its gap's ``kinds_unverified``, yet its supply row to 功率半导体
``ele-power-semiconductors`` is sourced (b-o13-huahong-2021-06): that arrow says 断链 without 待核实, while
an arrow on an unverified row out of the same segment says 断链（待核实）.
"""

from __future__ import annotations

from typing import Any

from graph.memory_store import MemoryStore
from graph.model import EdgeKind
from queries.gaps import gaps
from tests.view_support import rendered_view

WAFER, POWER, DISCRETE = "ele-wafer-fab", "ele-power-semiconductors", "ele-discrete-devices"


def _arrow(store: MemoryStore, source: str, target: str) -> dict[str, Any]:
    return next(
        e
        for e in rendered_view(store, "cluster", "electronics")[0]["edges"]
        if e["from"] == source and e["to"] == target
    )


def test_a_sourced_arrow_out_of_an_unverified_broken_segment_is_not_marked(bundled_store: MemoryStore) -> None:
    gap = next(g for g in gaps(bundled_store) if g["segment_id"] == WAFER)
    assert "broken_link" in gap["kinds_unverified"]
    rows = {e.target: e for e in bundled_store.edges(EdgeKind.SUPPLIES, source=WAFER)}
    assert rows[POWER].confidence.value == "sourced" and "b-o13-huahong-2021-06" in rows[POWER].sources
    assert rows[DISCRETE].confidence.value == "unverified"
    sourced = _arrow(bundled_store, WAFER, POWER)
    assert "断链 broken link: nothing local supplies this" in sourced["title"].splitlines()
    assert "broken link: nothing local supplies this" in sourced["title_en"].splitlines()
    assert "待核实" not in sourced["title"] and "(unverified)" not in sourced["title_en"]
    unsure = _arrow(bundled_store, WAFER, DISCRETE)
    assert "断链（待核实） broken link (unverified): nothing local supplies this" in unsure["title"].splitlines()
    assert "broken link (unverified): nothing local supplies this" in unsure["title_en"].splitlines()
