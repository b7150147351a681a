"""The views say what the CLI and API say about supply-link confidence and figure scope (planner review 5).

- F2: overview arrows did not say how many of a pair's links are unverified, and their width counted them at
  full weight; a merged cluster-view arrow took the confidence of its first link, and its tooltip began
  "2 links → " (English in the Chinese line, and a dangling arrow); unverified links inside a cluster were
  drawn like sourced ones, with no legend entry.
- F4: the overview labelled 新能源 with 新能源产业产值 10479 亿元, a figure for the whole new-energy industry
  (NEV included), with no scope; the summary report shows no output for that cluster.
- F5: the battery-chain completeness figure said "7 个环节" (13 in ``chainkg completeness nev``) and, in 2022,
  put the note's English "the battery segments of this graph" into the Chinese line.
- F9: the English gap count read "1 also a extension".

Every check reads the view data the renderer writes into the page (no browser).
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from graph.fixtures import tiny_city
from graph.memory_store import MemoryStore
from graph.model import Confidence, EdgeKind
from queries.chain import chain
from queries.cluster_links import cluster_links
from queries.completeness import completeness
from queries.figures import METRIC_LABELS, figure_scope, is_wider
from tests.view_support import rendered_view
from viz.parts import gap_summary, supply_group_title
from viz.style import english_part, faded, zh_part


@pytest.fixture(scope="module")
def overview(bundled_store: MemoryStore) -> dict[str, Any]:
    return rendered_view(bundled_store, "overview")[0]


@pytest.fixture(scope="module")
def nev(bundled_store: MemoryStore) -> dict[str, Any]:
    return rendered_view(bundled_store, "cluster", "nev")[0]


# ---- F2: overview arrows ----


def test_overview_arrows_count_unverified_links_as_cluster_links_does(bundled_store, overview):
    edges = {(e["from"], e["to"]): e for e in overview["edges"]}
    items = cluster_links(bundled_store)
    assert items and len(edges) == len(items)
    assert sum(i["unverified_count"] for i in items) > 0
    for item in items:
        edge = edges[(item["source_cluster"], item["target_cluster"])]
        count, unverified = item["link_count"], item["unverified_count"]
        # line 1 names the two clusters; line 2 counts the links (viz.parts.supply_group_title)
        head, head_en = edge["title"].splitlines()[1], edge["title_en"].splitlines()[1]
        if unverified:
            assert f"{count} 条" in head and f"其中 {unverified} 条待核实" in head, head
            assert head_en.endswith(f"{count} link{'s' if count > 1 else ''}, {unverified} unverified"), head_en
            assert edge["label"] == f"{count}（{unverified} 待核实）"
            assert edge["label_en"] == f"{count} ({unverified} unverified)"
        else:
            assert "待核实" not in edge["title"] and "unverified" not in edge["title_en"], edge["title"]
            assert edge["label"] == edge["label_en"] == str(count)
        # the width counts the sourced links; an arrow of unverified links only is thin and faded
        sourced = count - unverified
        assert edge["width"] == 1 + min(sourced, 8), (item["source_cluster"], item["target_cluster"])
        assert (edge["color"].startswith("rgba(")) == (sourced == 0), edge["color"]
        # each unverified pair is marked in both languages, and no sourced one
        for link in item["links"][:5]:
            source, target = bundled_store.node(link["source"]), bundled_store.node(link["target"])
            pair = f"  {source.name_zh} → {target.name_zh}"
            pair_en = f"  {source.name_en or source.name_zh} → {target.name_en or target.name_zh}"
            marked = link["confidence"] != "sourced"
            assert (pair + "（待核实 unverified）" if marked else pair) in edge["title"].splitlines(), pair
            assert (pair_en + " (unverified)" if marked else pair_en) in edge["title_en"].splitlines(), pair_en


def test_electronics_to_nev_says_four_of_five_unverified(overview):
    edge = next(e for e in overview["edges"] if (e["from"], e["to"]) == ("electronics", "nev"))
    assert "5 links, 4 unverified" in edge["title_en"] and edge["width"] == 2


def test_overview_legend_explains_width_and_fading(overview):
    labels = {entry["label"]: entry for entry in overview["legend"]}
    width = next(e for label, e in labels.items() if "width = sourced links" in label)
    assert "有来源" in width["label"] and width["label_en"].startswith("Cross-cluster supply, width = sourced links")
    faint = next(e for label, e in labels.items() if "all links unverified" in label)
    assert "全部待核实" in faint["label"] and not re.search(r"[\u3400-\u9fff]", faint["label_en"])
    assert faint["colour"] == faded("#4e79a7") and faint["shape"] == "line"


# ---- F2: cluster view arrows ----


def _segment_edges(data: dict[str, Any]) -> list[dict[str, Any]]:
    return [e for e in data["edges"] if e["title"].startswith("供应 Supplies")]


def test_every_cluster_arrow_is_as_unverified_as_its_weakest_link(bundled_store, nev):
    links = chain(bundled_store, "nev")["links"]
    unverified = {(x["source"], x["target"]) for x in links if x.get("confidence", "sourced") != "sourced"}
    inside = [x for x in links if not x.get("cross_cluster") and (x["source"], x["target"]) in unverified]
    assert len(inside) >= 6  # e.g. nev-battery-cell → nev-recycling, nev-structural-parts → nev-battery-cell
    edges = _segment_edges(nev)
    by_pair = {(e["from"], e["to"]): e for e in edges}
    for x in inside:
        edge = by_pair[(x["source"], x["target"])]
        assert edge["color"].startswith("rgba(") and "可信度 Confidence: unverified" in edge["title"], edge
        assert not edge.get("dashes")  # dashes keep meaning cross-cluster
    for edge in edges:
        faint = str(edge["color"]).startswith("rgba(")
        assert faint == ("Confidence: unverified" in edge["title_en"]), edge["title_en"]
        assert faint == ("可信度 Confidence: unverified" in edge["title"]), edge["title"]


def test_a_merged_arrow_lists_each_pair_with_its_confidence(nev):
    merged = [e for e in _segment_edges(nev) if re.match(r"供应 Supplies: \d+ 条 links", e["title"])]
    assert merged, "nev has arrows from a group of another cluster's segments"
    fuel = next(e for e in merged if e["to"] == "nev-fuel-cell")
    head, *rest = fuel["title"].splitlines()
    assert head == "供应 Supplies: 2 条 links，其中 1 条待核实 1 unverified"
    assert "  氢能 → 氢燃料电池系统（待核实 unverified）" in rest and "  燃料电池质子交换膜 → 氢燃料电池系统" in rest
    assert fuel["title_en"].splitlines()[0] == "Supplies: 2 links, 1 unverified"
    assert "  Hydrogen energy → Hydrogen fuel-cell systems (unverified)" in fuel["title_en"].splitlines()
    assert fuel["color"].startswith("rgba(") and fuel["dashes"] is True
    for edge in merged:
        for title in (edge["title"], edge["title_en"]):
            first = title.splitlines()[0]
            assert not first.rstrip().endswith("→") and "→" not in first, first
        assert re.match(r"Supplies: \d+ links", edge["title_en"]) and "条" not in edge["title_en"]


def test_the_cluster_legend_names_unverified_and_cross_cluster_links(nev):
    legend = {entry["label_en"]: entry for entry in nev["legend"]}
    unverified = legend["Unverified supply"]
    assert unverified["label"].startswith("待核实供应") and unverified["colour"] == faded("#8c8c8c")
    cross = legend["Cross-cluster supply"]
    assert cross["dashed"] and cross["shape"] == "line" and cross["label"].startswith("跨集群供应")


def test_supply_group_title_is_sourced_when_every_link_is():
    title = supply_group_title([("甲", "乙", False), ("丙", "乙", False)], [{"title": "T"}])
    assert title.splitlines()[0] == "供应 Supplies: 2 条 links" and "待核实" not in title and "Confidence" not in title


def test_names_in_a_marked_tooltip_stay_escaped():
    """An unverified cross-cluster link to a segment named like markup: the page carries the name as text."""
    ds = tiny_city()
    key = (EdgeKind.SUPPLIES.value, "t-cell", "t-ess-system")
    ds.edges[key] = ds.edges[key].model_copy(update={"confidence": Confidence.UNVERIFIED})
    ds.nodes["t-ess-system"] = ds.nodes["t-ess-system"].model_copy(update={"name_zh": "<b onmouseover=x>储能</b>"})
    store = MemoryStore(ds)
    for kind, subject in (("cluster", "t-nev"), ("overview", None)):
        data, html = rendered_view(store, kind, subject)
        assert "<b onmouseover" not in html
        edge = next(e for e in data["edges"] if "t-ess" in (e["from"], e["to"]) or e["to"] == "t-ess-system")
        assert "unverified" in edge["title_en"] and edge["color"].startswith("rgba(")
    data, _ = rendered_view(store, "cluster", "t-nev")
    edge = next(e for e in data["edges"] if e["to"] == "t-ess-system")
    assert "<b onmouseover=x>储能</b>" in edge["title"]  # as text, inside the escaped JSON


# ---- F4: a figure wider than the cluster ----


def test_new_energy_is_not_labelled_with_the_whole_industrys_output(bundled_store, overview):
    from queries.clusters import get_cluster
    from reports.gather import latest_output

    node = next(n for n in overview["nodes"] if n["id"] == "new-energy")
    assert latest_output(get_cluster(bundled_store, "new-energy")) is None  # the summary report shows none
    for label in (node["label"], node["label_en"]):
        assert "新能源产业产值" not in label and "industry output" not in label.lower() and "10479" not in label
    items = next(s for s in node["info"]["sections"] if s["title"].startswith("公开数据"))["items"]
    wider = [i for i in items if i["text"].startswith("新能源产业产值")]
    assert wider and all("新能源产业整体，宽于本集群" in i["text"] for i in wider)
    assert all("wider than this cluster" in i["text_en"] for i in wider)
    assert all(not re.search(r"[A-Za-z]", i["text"].split("(", 1)[1]) for i in wider)  # no English in the scope


def test_no_overview_label_shows_a_figure_wider_than_its_cluster(bundled_store, overview):
    """Nor the 溧阳高新区 revenue of power equipment, whose note says it is wider than the cluster in products."""
    from queries.clusters import get_cluster

    checked = set()
    for node in overview["nodes"]:
        for fig in filter(is_wider, get_cluster(bundled_store, node["id"])["figures"]):
            label = METRIC_LABELS[fig["metric"]]
            assert zh_part(label) not in node["label"], node["label"]
            assert english_part(label).lower() not in node["label_en"].lower(), node["label_en"]
            checked.add(node["id"])
    assert {"new-energy", "power-equipment"} <= checked


def test_a_wider_figure_names_its_scope_in_each_language():
    fig = {"note": "新能源 industry as a whole, wider than this cluster"}
    assert figure_scope(fig) == "新能源产业整体，宽于本集群"
    assert figure_scope(fig, english=True) == "新能源 industry as a whole, wider than this cluster"
    assert figure_scope({"note": "Wider than this cluster"}) == "宽于本集群"


# ---- F5: the completeness figure's scope ----


def test_the_completeness_scope_is_counted_as_chainkg_completeness_counts_it(bundled_store, overview):
    published = completeness(bundled_store, "nev")["published"]
    totals = {row["year"]: row["computed"]["segments_total"] for row in published}
    assert totals and set(totals.values()) == {13}
    node = next(n for n in overview["nodes"] if n["id"] == "nev")
    items = next(s for s in node["info"]["sections"] if s["title"].startswith("公开数据"))["items"]
    rows = [i for i in items if i["text"].startswith("动力电池产业链完整度")]
    assert len(rows) == len(totals)
    for item in rows:
        year = int(re.search(r"\((\d{4})", item["text"]).group(1))
        assert item["text"].endswith(f"({year}, {totals[year]} 个环节 segments)"), item["text"]
        assert item["text_en"].endswith(f"({year}, {totals[year]} segments)"), item["text_en"]
        assert "battery segments of this graph" not in item["text"] + item["text_en"]


# ---- F9: the English gap count ----


def test_the_english_gap_count_is_grammatical():
    gaps = [{"kind": "extension", "kinds": ["extension", "weak"], "status": "weak"}]
    gaps += [{"kind": "broken_link", "kinds": ["broken_link", "missing"], "status": "missing"}] * 2
    zh, en = gap_summary(gaps)
    assert en == "3 gaps: 2 missing, 1 weak; of these, also: 2 broken links, 1 extension"
    assert zh == "3 个：缺链 Missing 2、弱链 Weak 1；其中兼为 断链 Broken link 2、延链 Extension 1"


def test_no_view_says_a_before_a_vowel(bundled_store, overview):
    texts = [f[-1] for n in overview["nodes"] for f in n["info"]["fields"] if f[0] == "缺口 Gaps"]
    for cluster in ("new-energy", "nev", "new-materials"):
        data = rendered_view(bundled_store, "cluster", cluster)[0]
        texts += [f[-1] for f in data["summary"]["fields"] if f[0] == "缺口 Gaps"]
    assert any("extension" in t for t in texts), texts
    for text in texts:
        assert not re.search(r"\ba [aeiou]", text) and "also a " not in text, text
        assert not re.search(r"\b1 (broken links|extensions)\b|\b([2-9]|\d\d+) (broken link|extension)\b(?!s)", text)
