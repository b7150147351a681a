"""Review 13 of the overview (``/views/overview``, ``chainkg render overview``; ``viz/overview.py``).

1. An arrow's tooltip and panel named its segments and clusters by id, without links.
2. Arrow labels lay under cluster labels at 1440×900, and the two opposite NEV ↔ 新能源 arrows on one another.
3. ``?list_year=`` was refused (422), and the unfiltered title said 十大 (ten) over 11 clusters of two lists.
4. A cluster's panel had a red 缺链 Missing badge: a cluster is not missing.
5. The English labels kept a Chinese scope that the data name in English (新型碳材料: New carbon materials).
6. The details panel covered the column of unlinked clusters: one could not be clicked with the panel open.

The browser tests run in Debian's Chromium (``tests.test_views_browser.Visit``), marked ``browser``.
"""

from __future__ import annotations

import math
import re
from pathlib import Path
from typing import Any

import pytest

from graph.memory_store import MemoryStore
from graph.model import NodeKind, Segment
from queries.cluster_links import cluster_links
from tests.test_views_browser import LABELS, Visit, _crosses
from tests.view_support import page_view_data, rendered_view
from viz.edge_bends import EDGE_FONT_SIZE, curve_middle, node_boxes
from viz.overview import gather_overview, overview_network
from viz.render import LinkStyle, render_view
from viz.views import build_view

CJK = re.compile(r"[\u3400-\u9fff]+")
UNLINKED = ("biomedicine", "digital-info", "energy-saving")
"""The clusters without a cross-cluster supply link in the bundled data: the overview's loose column."""


@pytest.fixture(scope="module")
def overview(bundled_store: MemoryStore) -> dict[str, Any]:
    return rendered_view(bundled_store, "overview")[0]


def _segment_names(store: MemoryStore) -> dict[str, Segment]:
    return {n.id: n for n in store.nodes(NodeKind.SEGMENT) if isinstance(n, Segment)}


def _edge(data: dict[str, Any], source: str, target: str) -> dict[str, Any]:
    return next(e for e in data["edges"] if (e["from"], e["to"]) == (source, target))


# ---- 1. names, not ids, and a link to each segment ----


def test_the_new_energy_to_nev_arrow_names_its_clusters_and_segments(bundled_store, overview):
    segments = _segment_names(bundled_store)
    edge = _edge(overview, "new-energy", "nev")
    nev, ne = bundled_store.node("nev"), bundled_store.node("new-energy")
    assert edge["title"].splitlines()[0] == f"跨集群供应 Cross-cluster supply: {ne.name_zh} → {nev.name_zh}"
    assert edge["title_en"].splitlines()[0] == f"Cross-cluster supply: {ne.name_en} → {nev.name_en}"
    (item,) = [
        i for i in cluster_links(bundled_store) if (i["source_cluster"], i["target_cluster"]) == ("new-energy", "nev")
    ]
    for link in item["links"]:
        a, b = segments[link["source"]], segments[link["target"]]
        mark = "（待核实 unverified）" if link["confidence"] != "sourced" else ""
        assert f"  {a.name_zh} → {b.name_zh}{mark}" in edge["title"].splitlines()
        mark_en = " (unverified)" if link["confidence"] != "sourced" else ""
        assert f"  {a.name_en} → {b.name_en}{mark_en}" in edge["title_en"].splitlines()
        for title in (edge["title"], edge["title_en"]):
            assert link["source"] not in title and link["target"] not in title, title


def test_every_arrow_panel_links_each_linked_segment_to_its_view(bundled_store, overview):
    segments = _segment_names(bundled_store)
    items = {(i["source_cluster"], i["target_cluster"]): i for i in cluster_links(bundled_store)}
    assert len(overview["edges"]) == len(items)
    for edge in overview["edges"]:
        links = items[(edge["from"], edge["to"])]["links"]
        info = edge["info"]
        assert (
            info["name_zh"] == f"{bundled_store.node(edge['from']).name_zh} → {bundled_store.node(edge['to']).name_zh}"
        )
        assert (
            info["name_en"] == f"{bundled_store.node(edge['from']).name_en} → {bundled_store.node(edge['to']).name_en}"
        )
        supplying, supplied = info["sections"]
        for section, end in ((supplying, "source"), (supplied, "target")):
            wanted = sorted({link[end] for link in links})
            assert sorted(i["ref"][1] for i in section["items"]) == wanted
            for i in section["items"]:
                assert i["ref"] == ["segment", i["ref"][1]]
                assert i["text"] == segments[i["ref"][1]].name_zh and i["text_en"] == segments[i["ref"][1]].name_en
        unverified = any(link["confidence"] != "sourced" for link in links)
        assert info["confidence"] == ("unverified" if unverified else "sourced")
        # the panel's English (render.english_info) is on the page as on a node's panel
        assert all(len(field) == 4 for field in info["fields"]) and supplying["title_en"].startswith("Supplying")


# ---- 2. arrows bent apart, their labels clear of the clusters' labels ----


def _side(start: tuple[float, float], end: tuple[float, float], point: tuple[float, float]) -> float:
    return (end[0] - start[0]) * (point[1] - start[1]) - (end[1] - start[1]) * (point[0] - start[0])


def test_opposite_arrows_bend_to_either_side(overview):
    at = {n["id"]: (n["x"], n["y"]) for n in overview["nodes"]}
    there, back = _edge(overview, "nev", "new-energy"), _edge(overview, "new-energy", "nev")
    a, b = at["nev"], at["new-energy"]
    first, second = curve_middle(a, b, there["smooth"]), curve_middle(b, a, back["smooth"])
    assert _side(a, b, first) * _side(a, b, second) < 0, (there["smooth"], back["smooth"])
    assert math.dist(first, second) > 20


def test_arrow_labels_are_placed_clear_of_every_cluster_label(bundled_store):
    """The Python estimate the layout works with (the browser test below measures what Chromium draws)."""
    from viz.layout import scaled_sizes, text_width
    from viz.overview import SIZE_MAX, SIZE_MIN

    net = build_view(bundled_store, "overview")
    sizes = scaled_sizes(net, SIZE_MIN, SIZE_MAX)
    at = {n["id"]: (n["x"], n["y"]) for n in net.nodes}
    labels = {n["id"]: node_boxes(n, *at[n["id"]], sizes[n["id"]])[1] for n in net.nodes}
    for edge in net.edges:
        x, y = curve_middle(at[edge["from"]], at[edge["to"]], edge["smooth"])
        half = max(text_width(edge[k], EDGE_FONT_SIZE) for k in ("label", "label_en")) / 2
        box = {"left": x - half, "top": y - EDGE_FONT_SIZE / 2, "right": x + half, "bottom": y + EDGE_FONT_SIZE / 2}
        for node, (left, top, right, bottom) in labels.items():
            label = {"left": left, "top": top, "right": right, "bottom": bottom}
            assert not _crosses(box, label), (edge["from"], edge["to"], node)


# ---- 3. list_year ----


@pytest.mark.parametrize("year", [2022, 2024])
def test_list_year_draws_only_that_lists_clusters_and_says_so(bundled_store, year):
    net = overview_network(gather_overview(bundled_store, list_year=year))
    listed = {n.id for n in bundled_store.nodes(NodeKind.CLUSTER) if year in n.list_years}
    assert {n["id"] for n in net.nodes} == listed
    assert {(e["from"], e["to"]) for e in net.edges} == {
        (i["source_cluster"], i["target_cluster"]) for i in cluster_links(bundled_store, list_year=year)
    }
    assert f"{year} 年名单" in net.title and f"the {year} list" in (net.title_en or "")
    assert f"{year}" in net.subtitle and f"only the clusters on the {year} list" in (net.subtitle_en or "")
    if len(listed) < 10:  # the data know part of that list: the title says how many
        assert f"已知 {len(listed)} 个" in net.title and f"{len(listed)} known" in (net.title_en or "")


def test_the_unfiltered_title_counts_its_clusters_and_their_two_lists(bundled_store):
    net = build_view(bundled_store, "overview")
    assert "十大先进制造业集群" not in net.title, net.title
    assert net.title == f"常州先进制造业集群：2022、2024 年两版十大名单共 {net.num_nodes()} 个"
    assert (
        net.title_en
        == f"Changzhou's advanced-manufacturing clusters: the {net.num_nodes()} on the 2022 and 2024 lists of ten"
    )
    assert net.num_nodes() == 11


def test_the_overview_route_takes_list_year(api_client, bundled_store):
    page = api_client.get("/views/overview?list_year=2024", headers={"Accept": "text/html"})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    data = page_view_data(page.text)
    assert {n["id"] for n in data["nodes"]} == {
        n.id for n in bundled_store.nodes(NodeKind.CLUSTER) if 2024 in n.list_years
    }
    assert data["page"]["title"] == "常州十大先进制造业集群（2024 年名单）"
    other = page_view_data(api_client.get("/views/overview?list_year=2022").text)  # not the 2024 page from the cache
    assert "green-steel" in {n["id"] for n in other["nodes"]} and "digital-info" not in {
        n["id"] for n in other["nodes"]
    }
    whole = page_view_data(api_client.get("/views/overview").text)
    assert len(whole["nodes"]) == 11
    bad = api_client.get("/views/overview?list_year=2023", headers={"Accept": "application/json"})
    assert bad.status_code == 422
    assert bad.json()["errors"][0]["loc"] == ["query", "list_year"] and "2022, 2024" in bad.json()["detail"]
    assert api_client.get("/views/overview?list_year=2023", headers={"Accept": "text/html"}).status_code == 422


# ---- 4. no gap-status badge on a cluster ----


def test_a_cluster_panel_has_no_gap_status_but_counts_its_gaps(overview):
    nev = next(n for n in overview["nodes"] if n["id"] == "nev")
    assert "status" not in nev["info"] and "statuses" not in nev["info"]
    gaps = {field[0]: field for field in nev["info"]["fields"]}["缺口 Gaps"]
    assert re.match(r"\d+ 个：缺链 Missing \d+", gaps[1]) and re.match(r"\d+ gaps: \d+ missing", gaps[3]), gaps


# ---- 5. English scope where the data have it, as published where they do not ----


def test_english_labels_name_a_scope_in_english_only_from_the_data(bundled_store, overview):
    nodes = {n["id"]: n for n in overview["nodes"]}
    carbon = next(s for s in _segment_names(bundled_store).values() if s.name_zh == "新型碳材料")
    assert carbon.cluster_id == "new-materials" and carbon.name_en
    assert f"({2021}, {carbon.name_en})" in nodes["new-materials"]["label_en"], nodes["new-materials"]["label_en"]
    assert not CJK.search(nodes["new-materials"]["label_en"])
    # the park has no English name in the data: it stays as published, its district in English
    assert "西太湖国际医疗产业园 (Wujin District)" in nodes["biomedicine"]["label_en"]
    for node in overview["nodes"]:
        assert set(CJK.findall(node["label_en"])) <= {"西太湖国际医疗产业园"}, node["label_en"]


# ---- 6. the fit keeps the graph clear of the panel (data side) ----


def test_only_the_overview_is_fitted_clear_of_the_panel(bundled_store):
    assert rendered_view(bundled_store, "overview")[0]["page"]["clear_of_panel"] is True
    assert rendered_view(bundled_store, "cluster", "nev")[0]["page"]["clear_of_panel"] is False


# ---- in Chromium ----

EDGE_LABELS = """() => {
    const v = window.chainkgView, net = v.network;
    return v.edges.getIds().map((id) => {
        const edge = net.body.edges[id], size = edge.labelModule.size;
        const a = net.canvasToDOM({x: size.left, y: size.top});
        const z = net.canvasToDOM({x: size.left + size.width, y: size.top + size.height});
        const mid = net.canvasToDOM(edge.edgeType.getPoint(0.5));
        return {id: id, from: edge.fromId, to: edge.toId, text: edge.labelModule.elementOptions.label,
                label: {left: a.x, top: a.y, right: z.x, bottom: z.y}, mid: [mid.x, mid.y]};
    });
}"""
FRAME_BOX = "() => { const b = document.getElementById('network').getBoundingClientRect(); return [b.left, b.top]; }"


@pytest.fixture(scope="module")
def overview_file(bundled_store, tmp_path_factory) -> str:
    path: Path = tmp_path_factory.mktemp("overview-review13") / "overview.html"
    path.write_text(render_view(build_view(bundled_store, "overview"), LinkStyle.file()).html, "utf-8")
    return path.as_uri()


def _click(visit: Visit, point: list[float]) -> None:
    left, top = visit.page.evaluate(FRAME_BOX)
    visit.page.mouse.click(left + point[0], top + point[1])


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["", "?lang=en"])
def test_no_arrow_label_lies_under_a_cluster_label_in_chromium(browser, overview_file, lang):
    visit = Visit(browser, overview_file + lang, viewport=(1440, 900))
    try:
        nodes = visit.page.evaluate(LABELS)
        edges = visit.page.evaluate(EDGE_LABELS)
        assert len(edges) == 15 and all(e["text"] for e in edges)
        clashes = [(e["from"], e["to"], n["id"]) for e in edges for n in nodes if _crosses(e["label"], n["label"])]
        assert clashes == []
        # the two opposite arrows: their labels apart, and a click on either's label opens its own relation
        pair = {(e["from"], e["to"]): e for e in edges if {e["from"], e["to"]} == {"nev", "new-energy"}}
        there, back = pair[("nev", "new-energy")], pair[("new-energy", "nev")]
        assert not _crosses(there["label"], back["label"])
        for edge in (there, back):
            _click(visit, edge["mid"])
            visit.page.wait_for_selector("#details:not([hidden])")
            text = visit.page.inner_text("#details")
            nev, ne = ("新能源汽车及汽车核心零部件", "新能源") if not lang else (
                "New Energy Vehicles and Core Auto Components", "New Energy (PV-led)")  # fmt: skip
            own, other = (f"{nev} → {ne}", f"{ne} → {nev}") if edge is there else (f"{ne} → {nev}", f"{nev} → {ne}")
            assert own in text and other not in text, text
            visit.page.keyboard.press("Escape")
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


@pytest.mark.browser
def test_arrow_panel_names_clusters_and_segments_in_chromium(browser, bundled_store, overview_file):
    segments = _segment_names(bundled_store)
    for lang in ("", "?lang=en"):
        visit = Visit(browser, overview_file + lang, viewport=(1440, 900))
        try:
            edge = next(e for e in visit.page.evaluate(EDGE_LABELS) if (e["from"], e["to"]) == ("new-energy", "nev"))
            _click(visit, edge["mid"])
            visit.page.wait_for_selector("#details:not([hidden])")
            text = visit.page.inner_text("#details")
            assert "ne-fc-membrane" not in text and "nev-fuel-cell" not in text, text
            for sid in ("ne-fc-membrane", "ne-hydrogen", "nev-fuel-cell"):
                assert (segments[sid].name_en if lang else segments[sid].name_zh) in text, (sid, text)
            # review 15a (L3): the badge counts the unverified links, in the page's language, never a raw value
            pair = ("new-energy", "nev")
            link = next(i for i in cluster_links(bundled_store) if (i["source_cluster"], i["target_cluster"]) == pair)
            unsure, count = sum(x["confidence"] != "sourced" for x in link["links"]), len(link["links"])
            badge = visit.page.inner_text("#details .badges .confidence")
            assert badge == (f"{unsure} of {count} links unverified" if lang else f"{count} 条中 {unsure} 条待核实")
        finally:
            visit.close()


@pytest.mark.browser
def test_a_cluster_panel_shows_no_missing_badge_in_chromium(browser, overview_file):
    visit = Visit(browser, overview_file, viewport=(1440, 900))
    try:
        visit.click_node("nev")
        visit.page.wait_for_selector("#details[data-node='nev']")
        badges = visit.page.inner_text("#details .badges")
        assert "缺链" not in badges and "Missing" not in badges, badges
        assert "缺链 Missing" in visit.page.inner_text("#details dl")  # the gaps are counted in the fields
    finally:
        visit.close()


POSITIONS = """(ids) => {
    const net = window.chainkgView.network, p = net.getPositions(ids);
    return Object.fromEntries(ids.map((id) => [id, Object.values(net.canvasToDOM(p[id]))]));
}"""


def _same_places(these: dict[str, list[float]], those: dict[str, list[float]]) -> bool:
    """The same nodes at the same screen places, to a tenth of a pixel."""
    return these.keys() == those.keys() and all(
        abs(a - b) < 0.1 for node in these for a, b in zip(these[node], those[node], strict=True)
    )


@pytest.mark.browser
@pytest.mark.parametrize("viewport", [(1920, 1080), (1440, 900), (1366, 768), (1280, 720)])
def test_unlinked_clusters_stay_clickable_with_the_panel_open(browser, overview_file, viewport):
    """On a wide desk screen the overview opens fitted left of where the panel opens; where it would then be too
    small to read (1440×900 since the labels mark dated figures), it opens on the whole width and is fitted left
    of the panel when the panel opens."""
    visit = Visit(browser, overview_file, viewport=viewport)
    try:
        page = visit.page
        opened = page.evaluate(POSITIONS, ["nev", *UNLINKED])
        labels_at_open = page.evaluate(LABELS)
        left, _ = page.evaluate(FRAME_BOX)
        _click(visit, opened["nev"])
        page.wait_for_selector("#details[data-node='nev']")
        panel_left = page.evaluate("() => document.getElementById('details').getBoundingClientRect().left")
        at = page.evaluate(POSITIONS, list(UNLINKED))
        fitted = all(left + n["label"]["right"] <= panel_left for n in labels_at_open)
        if viewport == (1920, 1080):
            assert fitted  # a wide desk screen opens fitted left of where the panel opens
        if fitted:
            assert _same_places(at, {c: opened[c] for c in UNLINKED})  # nothing moved: there was room from the start
        labels = page.evaluate(LABELS)
        assert [n["id"] for n in labels if left + n["label"]["right"] > panel_left] == []
        for cluster in UNLINKED:
            assert left + at[cluster][0] < panel_left - 20, (cluster, at[cluster], panel_left)
            _click(visit, at[cluster])  # with the panel still open
            page.wait_for_selector(f"#details[data-node='{cluster}']", timeout=5_000)
        page.keyboard.press("Escape")  # closing it gives the first view back (to a pixel: the view's own
        back = page.evaluate(POSITIONS, ["nev", *UNLINKED])  # scale and move can differ in the 14th digit)
        assert _same_places(back, opened), (back, opened)
        assert visit.errors == []
    finally:
        visit.close()


@pytest.mark.browser
def test_arrow_panel_links_each_segment_in_chromium(browser, overview_file):
    visit = Visit(browser, overview_file, viewport=(1440, 900))
    try:
        edge = next(e for e in visit.page.evaluate(EDGE_LABELS) if (e["from"], e["to"]) == ("new-energy", "nev"))
        _click(visit, edge["mid"])
        visit.page.wait_for_selector("#details:not([hidden])")
        hrefs = visit.page.evaluate(
            "() => [...document.querySelectorAll('#details li a')].map(a => a.getAttribute('href'))"
        )
        for sid in ("ne-fc-membrane", "ne-hydrogen", "nev-fuel-cell"):
            assert f"segment-{sid}.html" in hrefs, hrefs
    finally:
        visit.close()


def test_render_overview_takes_list_year_and_refuses_it_elsewhere(tmp_path, monkeypatch, capsys, bundled_store):
    from chainkg.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["render", "overview", "--list-year", "2024"]) == 0
    data = page_view_data((tmp_path / "overview-2024.html").read_text(encoding="utf-8"))
    drawn = {n["id"] for n in data["nodes"]}
    assert drawn == {c["id"] for c in gather_overview(bundled_store, list_year=2024)["clusters"]}
    assert "green-steel" not in drawn and "digital-info" in drawn  # green steel is on the 2022 list only
    assert main(["render", "cluster", "nev", "--list-year", "2024"]) == 2
    assert "--list-year is for the overview only" in capsys.readouterr().err


# ---- review 15a (L4): an old figure does not pass for today's ----


def test_a_dated_figure_is_marked_on_the_label_and_in_the_panel(bundled_store: MemoryStore, overview) -> None:
    from viz.overview import DATED_FIGURE_YEARS, DATED_MARK, gather_overview

    data = gather_overview(bundled_store)
    newest = max(int(f["year"]) for c in data["clusters"] for f in c["figures"] if f.get("year"))
    nodes = {n["id"]: n for n in overview["nodes"] if n["info"].get("kind") == "cluster"}
    dated = []
    for c in data["clusters"]:
        node = nodes[c["id"]]
        fields = {f[0]: f for f in node["info"]["fields"]}
        figure = node["label"].split("\n")[1] if "\n" in node["label"] else ""
        years = [int(y) for y in re.findall(r"\((\d{4})", figure)]
        old = bool(years) and newest - years[0] >= DATED_FIGURE_YEARS
        assert figure.endswith(DATED_MARK[0]) == old, (c["id"], figure)
        assert node["label_en"].endswith(DATED_MARK[1]) == old, c["id"]
        assert ("数据年份 Figure year" in fields) == old, c["id"]
        if old:
            assert fields["数据年份 Figure year"][1].startswith(f"{years[0]}（比最新数据早 {newest - years[0]} 年")
            dated.append(c["id"])
    assert {"textiles", "biomedicine"} <= set(dated) and "nev" not in dated
