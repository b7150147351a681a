"""The segment view says how well what depends on a segment is backed, and the views word figure qualifiers.

- The segment view's "依赖它的环节 What depends on it" list marks each dependent that rests only on unverified
  supply links (``confidence`` of ``queries.impact``) with 待核实 unverified, counts them, and draws unverified
  supply links faded as the cluster view does (with the same legend entry).
- The overview shows a published figure's qualifier in words, as the reports do (近5000 亿元 on the Chinese page,
  nearly CNY 500 billion on the English page), not as the data's symbol (≲5000 亿元); the data keep the symbol.

Every check reads the view builders' output (no browser).
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Cluster, Confidence, Edge, EdgeKind
from queries.figures import figure_text
from queries.impact import impact
from queries.layer_items import QUALIFIER_WORDS, QUALIFIER_ZH
from reports.labels import QUALIFIER_TEXT, figure_value
from viz.overview import figure_items, gather_overview, overview_network
from viz.page import ViewNetwork
from viz.parts import UNVERIFIED_MARK
from viz.segment import gather_segment, segment_network
from viz.style import COLOURS, faded

WHAT_DEPENDS = "依赖它的环节 What depends on it"
SYMBOLS = ("≲", "≈")


def dependents_section(net: ViewNetwork, segment_id: str) -> list[dict[str, Any]]:
    [section] = [s for s in net.node_map[segment_id]["info"]["sections"] if s["title"] == WHAT_DEPENDS]
    return list(section["items"])


def field(net: ViewNetwork, node_id: str, label: str) -> list[str]:
    [found] = [f for f in net.node_map[node_id]["info"]["fields"] if f[0] == label]
    return list(found)


def supply_edges(net: ViewNetwork) -> dict[tuple[str, str], dict[str, Any]]:
    return {(e["from"], e["to"]): e for e in net.edges if str(e.get("title", "")).startswith("供应 Supplies")}


# ---- the segment view: what depends on it, and how well ----


@pytest.fixture
def doubtful_store() -> MemoryStore:
    """The tiny chain with 电池包 → 整车 unverified, and a sourced 电芯 → 电池回收 beside the unverified path."""
    ds = tiny_chain()
    key = (EdgeKind.SUPPLIES.value, "t-pack", "t-vehicle")
    assert key in ds.edges, sorted(ds.edges)
    ds.edges[key] = ds.edges[key].model_copy(update={"confidence": Confidence.UNVERIFIED})
    ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source="t-cell", target="t-recycling", sources=("s-tiny",)))
    return MemoryStore(ds)


def test_a_dependent_reached_only_through_unverified_links_is_marked_in_both_languages(doubtful_store):
    net = segment_network(gather_segment(doubtful_store, "t-cell"))
    items = {item["ref"][1]: item for item in dependents_section(net, "t-cell")}
    assert set(items) == {"t-pack", "t-vehicle", "t-recycling"}
    # 整车 is reached only through 电池包 → 整车 (unverified); 电池回收 also directly, by a sourced link
    assert items["t-vehicle"]["text"] == "整车 · 2 步 steps · 独占 exclusive（待核实 unverified）"
    assert items["t-vehicle"]["text_en"] == "Vehicles · 2 steps · exclusive (unverified)"
    for sid in ("t-pack", "t-recycling"):
        assert "待核实" not in items[sid]["text"] and "unverified" not in items[sid]["text_en"], items[sid]
    assert field(net, "t-cell", "下游环节 Downstream segments") == [
        "下游环节 Downstream segments",
        "3，其中 1 个仅凭待核实供应 1 rests only on unverified supply",
        "3, 1 rests only on unverified supply",
    ]
    relation = field(net, "t-vehicle", "关系 Relation")
    assert relation[1].endswith(UNVERIFIED_MARK[0]) and relation[2].endswith(UNVERIFIED_MARK[1]), relation


def test_unverified_supply_links_are_drawn_faded_with_the_cluster_views_legend_entry(doubtful_store):
    net = segment_network(gather_segment(doubtful_store, "t-cell"))
    edges = supply_edges(net)
    assert edges[("t-pack", "t-vehicle")]["color"] == faded(COLOURS["edge"])
    assert "可信度 Confidence: unverified" in edges[("t-pack", "t-vehicle")]["title"]
    for pair in (("t-cell", "t-pack"), ("t-cell", "t-recycling"), ("t-vehicle", "t-recycling")):
        assert edges[pair]["color"] == COLOURS["edge"], pair
    assert [(e.colour, e.shape) for e in net.legend if e.label == "待核实供应 Unverified supply"] == [
        (faded(COLOURS["edge"]), "line")
    ]


def test_a_chain_of_sourced_links_marks_nothing(tiny_store):
    net = segment_network(gather_segment(tiny_store, "t-cell"))
    assert all(
        "待核实" not in i["text"] and "unverified" not in i["text_en"] for i in dependents_section(net, "t-cell")
    )
    assert field(net, "t-cell", "下游环节 Downstream segments")[1:] == ["3", "3"]
    assert not any(str(e["color"]).startswith("rgba(") for e in supply_edges(net).values())


def test_the_battery_cell_views_marks_match_the_impact_query(bundled_store):
    imp = impact(bundled_store, "nev-battery-cell")
    counts = imp["counts"]
    net = segment_network(gather_segment(bundled_store, "nev-battery-cell"))
    items = dependents_section(net, "nev-battery-cell")
    assert [i["ref"][1] for i in items] == [d["id"] for d in imp["downstream"]]
    marked = {i["ref"][1] for i in items if i["text"].endswith(UNVERIFIED_MARK[0])}
    assert marked == {i["ref"][1] for i in items if i["text_en"].endswith(UNVERIFIED_MARK[1])}
    assert marked == {d["id"] for d in imp["downstream"] if d["confidence"] == "unverified"}
    assert (len(items), len(marked)) == (counts["downstream_segments"], counts["downstream_unverified_only"]) == (7, 4)
    assert field(net, "nev-battery-cell", "下游环节 Downstream segments")[1:] == [
        "7，其中 4 个仅凭待核实供应 4 rest only on unverified supply",
        "7, 4 rest only on unverified supply",
    ]
    firms = field(net, "nev-battery-cell", "依赖的本地企业 Dependent local firms")
    unverified_firms = counts["dependent_local_firms_unverified_only"]
    assert unverified_firms > 0 and f"其中 {unverified_firms} 家仅凭待核实供应" in firms[1], firms
    # every drawn supply link is faded exactly when it is unverified
    data = gather_segment(bundled_store, "nev-battery-cell")
    confidence = {(link["source"], link["target"]): link["confidence"] for link in data["supplies"]}
    edges = supply_edges(net)
    assert edges and set(edges) <= set(confidence)
    assert (
        {p for p, e in edges.items() if e["color"] != COLOURS["edge"]}
        == {p for p in edges if confidence[p] == "unverified"}
        != set()
    )


# ---- figure qualifiers in words ----


@pytest.mark.parametrize(("symbol", "en"), [(">", "over "), ("≈", "about "), ("≲", "nearly "), ("<", "under ")])
def test_figure_text_words_each_qualifier_as_the_reports_do(symbol, en):
    fig = {"year": 2025, "metric": "output", "value": 5000.0, "unit": "亿元", "qualifier": symbol}
    zh = QUALIFIER_TEXT[symbol].strip()
    assert zh and zh == QUALIFIER_ZH[symbol] and QUALIFIER_WORDS[zh] == en
    assert figure_text(fig) == f"{zh}5000 亿元 (2025)"
    assert figure_text(fig, english=True) == f"{en}CNY 500 billion (2025)"
    assert figure_value(fig).startswith(QUALIFIER_TEXT[symbol])  # the report, for the same figure
    assert (figure_text({**fig, "qualifier": "="}), figure_text({**fig, "qualifier": "="}, english=True)) == (
        "5000 亿元 (2025)",
        "CNY 500 billion (2025)",
    )
    pct = {"year": 2024, "metric": "battery_chain_completeness", "value": 97.0, "unit": "%", "qualifier": symbol}
    assert (figure_text(pct), figure_text(pct, english=True)) == (f"{zh}97% (2024)", f"{en}97% (2024)")


def test_figure_items_word_the_qualifier_on_each_page():
    items = figure_items([{"year": 2025, "metric": "output", "value": 5000.0, "unit": "亿元", "qualifier": "≲"}])
    assert items == [{"text": "产值 Output: 近5000 亿元 (2025)", "text_en": "Output: nearly CNY 500 billion (2025)"}]


def test_the_overview_of_the_tiny_chain_words_its_qualifier(tiny_store):
    net = overview_network(gather_overview(tiny_store))
    node = net.node_map["t-nev"]
    assert node["label"].endswith("\n超1300 亿元 (2021)") and node["label_en"].endswith("\nover CNY 130 billion (2021)")
    assert field(net, "t-nev", "产值 Output")[1:] == ["超1300 亿元 (2021)", "over CNY 130 billion (2021)"]
    assert "产值 Output: 超1300 亿元 (2021)" in node["title"]
    assert "Output: over CNY 130 billion (2021)" in node["title_en"]


def test_the_bundled_overview_shows_no_qualifier_symbol_and_keeps_it_in_the_data(bundled_store):
    nev = bundled_store.node("nev")
    assert isinstance(nev, Cluster) and {f.year: f.qualifier for f in nev.figures if f.metric == "output"}[2025] == "≲"
    net = overview_network(gather_overview(bundled_store))
    node = net.node_map["nev"]
    assert node["label"].endswith("\n近5000 亿元 (2025)")
    assert node["label_en"].endswith("\nnearly CNY 500 billion (2025)")
    checked = 0
    for n in net.nodes:
        info = n["info"]
        texts = [n["label"], n["label_en"], n["title"], n["title_en"]]
        texts += [str(v) for f in info["fields"] for v in f]
        texts += [item[k] for s in info["sections"] for item in s["items"] for k in ("text", "text_en") if k in item]
        for text in texts:
            checked += 1
            assert not any(s in text for s in SYMBOLS), (n["id"], text)
    assert checked > 100
