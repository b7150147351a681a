"""The overview marks an unverified output figure on a cluster's label and tooltip, as its panel does (review 9, #6).

新材料 ``new-materials``'s headline output (about 900 亿元, 2021, 新型碳材料) comes from a cluster_figures row
marked unverified: the node's label, its tooltip's output line and the published-figures item say 待核实 /
unverified; a cluster whose output row is sourced says nothing of the kind.
"""

from __future__ import annotations

from typing import Any

from graph.memory_store import MemoryStore
from tests.view_support import overview_nodes


def _field(node: dict[str, Any], name: str) -> list[str] | None:
    """A panel field: its Chinese name and value, then its English name and value (the value last)."""
    return next((f for f in node["info"]["fields"] if f[0] == name), None)


def test_an_unverified_output_figure_is_marked_on_label_and_tooltip(bundled_store: MemoryStore) -> None:
    nodes = overview_nodes(bundled_store)
    marked = [n for n in nodes.values() if _field(n, "产值可信度 Output confidence")]
    assert "new-materials" in {n["id"] for n in marked}
    for node in nodes.values():
        if node["info"].get("kind", "cluster") != "cluster" or _field(node, "产值 Output") is None:
            continue
        unsure = _field(node, "产值可信度 Output confidence") is not None
        output = _field(node, "产值 Output")
        assert output is not None
        if output[1].startswith("未公布"):  # not published
            continue
        assert (f"产值 Output: {output[1]}（待核实 unverified）" in node["title"].splitlines()) == unsure, node["id"]
        assert (f"Output: {output[-1]} (unverified)" in node["title_en"].splitlines()) == unsure, node["id"]
        assert node["label"].endswith(f"{output[1]}（待核实）") == unsure, node["label"]
        assert node["label_en"].endswith(f"{output[-1]} (unverified)") == unsure, node["label_en"]
    nm = nodes["new-materials"]
    assert nm["label"].splitlines()[1] == "约900 亿元 (2021, 新型碳材料)（待核实）", nm["label"]
    assert nm["label_en"].splitlines()[1].endswith(" (unverified)"), nm["label_en"]
    items = next(s for s in nm["info"]["sections"] if s["title"] == "公开数据 Published figures")["items"]
    flagged = [i for i in items if i["text"].endswith("（待核实 unverified）")]
    assert [i["text"] for i in flagged] == [f"产值 Output: {_field(nm, '产值 Output')[1]}（待核实 unverified）"]
    assert all(i["text_en"].endswith(" (unverified)") for i in flagged)
