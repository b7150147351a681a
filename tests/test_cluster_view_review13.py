"""The cluster view after review 13: a legend entry for every mark drawn, stage headings over the columns, and the
supply pairs of a grouped node of another cluster in its panel.

1. The legend left out the plain grey supply arrow and the dotted sub-segment line, and its green "环节 Segment"
   did not say that it covers 强链 (strong) and 一般 (present) segments alike.
2. Nothing said which columns are 上游 / 中游 / 下游 / 支撑: now a heading stands over each stage's columns.
3. The panel of "新一代电子信息技术 4 个环节" listed the four supplying segments but not which NEV segment each
   supplies: now it lists the pairs, as ``chainkg cluster-links nev`` does.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.memory_store import MemoryStore
from graph.model import POSITION_ORDER, NodeKind, Position
from queries.chain import chain
from queries.cluster_links import cluster_links
from tests.test_views_browser import FRAME, LABELS, Visit, box_in_frame
from viz.cluster import STAGE_KIND, STAGE_NAMES, cluster_legend, stage_headings, stage_of
from viz.layout import HEADING_GAP, heading_size, node_size
from viz.page import LINKABLE_KINDS, ViewNetwork
from viz.parts import UNVERIFIED_MARK
from viz.render import FILE_NAMES, LinkStyle, fill, render_view
from viz.style import COLOURS, LegendEntry, english_part, faded
from viz.views import build_view


def _clusters(store: MemoryStore) -> list[str]:
    return sorted(n.id for n in store.nodes(NodeKind.CLUSTER))


@pytest.fixture(scope="module")
def views(bundled_store: MemoryStore) -> dict[str, ViewNetwork]:
    """Every cluster view of the bundled data."""
    return {cid: build_view(bundled_store, "cluster", cid) for cid in _clusters(bundled_store)}


def _graph_nodes(net: ViewNetwork) -> list[dict[str, Any]]:
    return [n for n in net.nodes if n["info"]["kind"] != STAGE_KIND]


def _background(node: dict[str, Any]) -> str:
    colour = node.get("color")
    return str(colour.get("background") if isinstance(colour, dict) else colour)


# ---- 1. the legend: every mark drawn has its entry, and every entry a mark drawn ----


def _entries_for_node(node: dict[str, Any], legend: list[LegendEntry]) -> list[list[LegendEntry]]:
    """For each mark a node draws, the legend entries that explain it (an empty list: none does)."""
    shape = node.get("shape", "box")
    background = _background(node)
    boxes = [e for e in legend if e.shape == shape]
    marks = [[e for e in boxes if e.colour == background and not (e.dashed or e.dotted or e.thick)]]
    if shape == "box" and node["color"].get("border") == COLOURS["broken_link"]:  # its entry says "border"
        marks.append([e for e in legend if e.colour == COLOURS["broken_link"] and "border" in e.label])
    if node.get("shapeProperties", {}).get("borderDashes"):
        marks.append([e for e in boxes if e.dashed])
    return marks


def _entries_for_edge(edge: dict[str, Any], legend: list[LegendEntry]) -> list[list[LegendEntry]]:
    lines = [e for e in legend if e.shape == "line"]
    colour = str(edge["color"])
    if edge.get("arrows") == "":
        if isinstance(edge.get("dashes"), list):  # a sub-segment's dotted line to its parent
            return [[e for e in lines if e.dotted and e.colour == colour]]
        return [
            [e for e in lines if "Firm" in english_part(e.label) and colour in (COLOURS["firm"], COLOURS["anchor"])]
        ]
    marks = []
    if colour.startswith("rgba("):  # faded: unverified, which is all a faded plain grey arrow says
        marks.append([e for e in lines if e.colour == faded(COLOURS["edge"]) and "Unverified" in e.label])
        colour = next(c for c in COLOURS.values() if faded(c) == colour)
        if colour == COLOURS["edge"]:
            return marks
    if edge.get("dashes"):
        marks.append([e for e in lines if e.dashed and e.colour == COLOURS["edge_cross"]])
    if colour != COLOURS["edge_cross"]:
        marks.append([e for e in lines if e.colour == colour and not (e.dashed or e.dotted)])
    return marks


def _drawn(entry: LegendEntry, net: ViewNetwork) -> bool:
    """Whether some node or edge of the view draws the mark of ``entry``."""
    for node in _graph_nodes(net):
        if any(entry in found for found in _entries_for_node(node, net.legend)):
            return True
    return any(any(entry in found for found in _entries_for_edge(edge, net.legend)) for edge in net.edges)


def test_every_mark_drawn_has_a_legend_entry_and_every_entry_a_mark(views: dict[str, ViewNetwork]) -> None:
    for cid, net in views.items():
        assert net.legend == cluster_legend(net)
        for node in _graph_nodes(net):
            for found in _entries_for_node(node, net.legend):
                assert found, (cid, node["id"], _background(node), [e.label for e in net.legend])
        for edge in net.edges:
            for found in _entries_for_edge(edge, net.legend):
                assert found, (cid, edge["from"], edge["to"], edge["color"], edge.get("dashes"))
        for entry in net.legend:
            assert _drawn(entry, net), (cid, entry.label)
            zh, en = entry.label.split(" ", 1)[0], english_part(entry.label)
            assert en and any("\u4e00" <= ch <= "\u9fff" for ch in zh), entry.label  # "中文 English"


def test_nev_legend_names_the_plain_arrow_the_dotted_line_and_strong_or_present(
    bundled_store: MemoryStore, views: dict[str, ViewNetwork]
) -> None:
    net = views["nev"]
    plain = [e for e in net.edges if e["color"] == COLOURS["edge"] and e.get("arrows") == "to" and not e.get("dashes")]
    dotted = [e for e in net.edges if isinstance(e.get("dashes"), list)]
    assert plain and dotted, "nev draws plain supply arrows and sub-segment lines"
    by_en = {english_part(e.label): e for e in net.legend}
    assert by_en["Supply"] == LegendEntry("供应 Supply", COLOURS["edge"], "line")
    sub = by_en["Sub-segment to parent"]
    assert sub.dotted and sub.shape == "line" and sub.colour == dotted[0]["color"]
    green = [n for n in _graph_nodes(net) if n["info"]["kind"] == "segment" and _background(n) == COLOURS["segment"]]
    status = {s["id"]: s["status"] for s in chain(bundled_store, "nev")["segments"]}
    statuses = {status[n["id"]] for n in green}
    assert {"strong", "present"} <= statuses, statuses  # green stands for both
    [entry] = [e for e in net.legend if e.colour == COLOURS["segment"] and not e.dashed]
    assert "强链" in entry.label and "一般" in entry.label and "strong or present" in entry.label


def test_a_view_without_sub_segments_has_no_dotted_entry(views: dict[str, ViewNetwork]) -> None:
    plain = [cid for cid, net in views.items() if not any(isinstance(e.get("dashes"), list) for e in net.edges)]
    assert plain, "some bundled cluster has no sub-segment"
    for cid in plain:
        assert not any(e.dotted for e in views[cid].legend), cid


# ---- 2. the stage headings ----


def _top(node: dict[str, Any], y: float) -> float:
    if node.get("shape", "box") == "box":
        return y - node_size(node)[1] / 2
    return y - float(node.get("size", 11)) - float(node.get("borderWidth", 1))


def test_stage_headings_stand_over_their_columns_upstream_to_downstream(
    bundled_store: MemoryStore, views: dict[str, ViewNetwork]
) -> None:
    for cid, net in views.items():
        segments = [n for n in _graph_nodes(net) if n["info"]["kind"] == "segment" and "level" in n]
        own = {s.id: s for s in bundled_store.nodes(NodeKind.SEGMENT) if getattr(s, "cluster_id", "") == cid}
        stages: dict[Position, list[dict[str, Any]]] = {}
        for node in segments:
            if node["id"] in own:
                stages.setdefault(stage_of({"position": own[node["id"]].position}), []).append(node)
        headings = stage_headings(net)
        # one heading per stage drawn, left to right in the chain's order, each bilingual
        assert [h["id"] for h in headings] == [
            f"stage:{p.value}" for p in sorted(stages, key=POSITION_ORDER.__getitem__)
        ], cid
        for heading in headings:
            stage = Position(heading["id"].split(":", 1)[1])
            assert (heading["label"], heading["label_en"]) == STAGE_NAMES[stage]
            xs = [n["x"] for n in stages[stage]]
            assert min(xs) <= heading["x"] <= max(xs), (cid, heading["id"], heading["x"], xs)
            assert min(xs) <= heading["xy_all"][0] <= max(xs)
            # fixed text, not a node of the graph: not linkable, not in the search index, not dragged, not lit
            assert heading["shape"] == "text" and heading["fixed"] is True and heading["chosen"] is False
            assert heading["info"]["kind"] not in LINKABLE_KINDS
            assert heading["id"] not in {e["id"] for e in net.search_index}
        # one row above every node, in both layouts (a click's firms, and every firm shown)
        assert len({h["y"] for h in headings}) == 1 and len({h["xy_all"][1] for h in headings}) == 1
        height = heading_size(headings[0])[1]
        top = min(_top(n, n["y"]) for n in _graph_nodes(net) if "y" in n)
        top_all = min(_top(n, n["xy_all"][1]) for n in _graph_nodes(net) if "xy_all" in n)
        assert headings[0]["y"] + height / 2 <= top - HEADING_GAP + 1, cid
        assert headings[0]["xy_all"][1] + height / 2 <= top_all - HEADING_GAP + 1, cid
        # and never on one another
        for left, right in zip(headings, headings[1:], strict=False):
            assert left["x"] + heading_size(left)[0] / 2 < right["x"] - heading_size(right)[0] / 2, (cid, left["id"])


def test_nev_has_four_stage_headings_and_its_support_column(views: dict[str, ViewNetwork]) -> None:
    assert [(h["label"], h["label_en"]) for h in stage_headings(views["nev"])] == [
        ("上游", "Upstream"),
        ("中游", "Midstream"),
        ("下游", "Downstream"),
        ("支撑", "Support"),
    ]


def test_a_heading_s_panel_lists_its_stage_s_segments(
    bundled_store: MemoryStore, views: dict[str, ViewNetwork]
) -> None:
    net = views["nev"]
    upstream = {
        s.id
        for s in bundled_store.nodes(NodeKind.SEGMENT)
        if getattr(s, "cluster_id", "") == "nev" and s.position == Position.UPSTREAM
    }
    heading = net.node_map["stage:upstream"]
    [section] = heading["info"]["sections"]
    assert {item["ref"][1] for item in section["items"]} == upstream
    assert heading["info"]["sources"] and "来源 Source:" in heading["title"]


# ---- 3. a grouped node of another cluster lists its supply pairs, as `chainkg cluster-links` does ----


def _expected_pairs(store: MemoryStore, cid: str, node_id: str) -> tuple[list[str], list[str]]:
    _, other, side = node_id.split(":")
    pair = (other, cid) if side == "up" else (cid, other)
    [item] = [i for i in cluster_links(store, cid) if (i["source_cluster"], i["target_cluster"]) == pair]
    zh, en = [], []
    for link in item["links"]:
        unverified = link["confidence"] != "sourced"
        zh.append(f"{link['source_name_zh']} → {link['target_name_zh']}" + (UNVERIFIED_MARK[0] if unverified else ""))
        names_en = (link["source_name_en"] or link["source_name_zh"], link["target_name_en"] or link["target_name_zh"])
        en.append(" → ".join(names_en) + (UNVERIFIED_MARK[1] if unverified else ""))
    return zh, en


def test_grouped_nodes_list_the_pairs_cluster_links_lists(
    bundled_store: MemoryStore, views: dict[str, ViewNetwork]
) -> None:
    checked = 0
    for cid, net in views.items():
        for node in (n for n in net.nodes if n["id"].startswith("ext:")):
            [section] = [s for s in node["info"]["sections"] if s["title"].startswith("供应关系")]
            zh, en = _expected_pairs(bundled_store, cid, node["id"])
            assert [i["text"] for i in section["items"]] == zh, (cid, node["id"])
            assert [i["text_en"] for i in section["items"]] == en, (cid, node["id"])
            checked += 1
    assert checked >= 8


def test_nev_electronics_panel_says_power_semiconductors_supply_charging_and_edrive(
    bundled_store: MemoryStore, views: dict[str, ViewNetwork]
) -> None:
    info = views["nev"].node_map["ext:electronics:up"]["info"]
    [section] = [s for s in info["sections"] if s["title"].startswith("供应关系")]
    assert section["title"] == "供应关系 Supply links · 5 条 links，其中 4 条待核实 4 unverified"
    assert section["title_en"] == "Supply links · 5 links, 4 unverified"
    texts = [i["text"] for i in section["items"]]
    assert "功率半导体 → 充换电设施（待核实 unverified）" in texts and "功率半导体 → 电驱动系统（电机、电控）" in texts
    refs = {tuple(i["ref"]) for i in section["items"]}
    assert ("segment", "nev-charging") in refs and ("segment", "nev-edrive") in refs  # the NEV end opens
    # the panel's sources include those that state the links, each once
    [item] = [i for i in cluster_links(bundled_store, "nev") if i["source_cluster"] == "electronics"]
    cited = [s["id"] for s in info["sources"]]
    assert set(item["sources"]) <= set(cited) and len(cited) == len(set(cited))


# ---- in Chromium: the headings are seen, and lie on no node's label, in Chinese and in English ----

HEADINGS = """() => window.chainkgView.nodes.get({filter: (n) => n.info && n.info.kind === "stage"})
    .map((n) => ({id: n.id, label: n.label}))"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_stage_headings_are_seen_and_cover_no_label(browser, bundled_store, tmp_path, lang) -> None:
    from tests.conftest import REPO

    path = tmp_path / (fill(FILE_NAMES["cluster"], "nev") or "")
    path.write_text(render_view(build_view(bundled_store, "cluster", "nev"), LinkStyle.file()).html, "utf-8")
    visit = Visit(browser, path.as_uri() + ("?lang=en" if lang == "en" else ""), viewport=(1440, 900))
    try:
        page = visit.page
        shown = {h["id"]: h["label"] for h in page.evaluate(HEADINGS)}
        wanted = {f"stage:{p.value}": STAGE_NAMES[p][lang == "en"] for p in Position}
        assert shown == wanted
        frame = page.evaluate(FRAME)
        for when in ("first view", "whole chain"):
            labels = page.evaluate(LABELS)
            heads = [n for n in labels if n["kind"] == STAGE_KIND]
            others = [n for n in labels if n["kind"] != STAGE_KIND]
            if when == "whole chain":
                assert all(box_in_frame(h["label"], frame) for h in heads), heads
            for head in heads:
                assert head["px"] >= max(n["px"] for n in others), head  # larger than any node's label
                for other in others:
                    for box in (other["label"], other["shape"]):
                        clash = _crosses(head["label"], box)
                        assert not clash, (when, lang, head["id"], other["id"])
            page.screenshot(path=str(REPO / "test-artifacts" / "views" / f"nev-headings-{lang}-{when[:5]}.png"))
            page.click("#fit-all")
        assert visit.errors == []
    finally:
        visit.close()


def _crosses(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


CEILING = """() => { const c = document.getElementById("controls"), f = document.getElementById("network");
    return c.hidden ? 0 : c.getBoundingClientRect().bottom - f.getBoundingClientRect().top; }"""
PINNED = "() => window.chainkgView.state.pinnedHeadings"


@pytest.mark.browser
@pytest.mark.parametrize(
    ("cid", "viewport", "lang"),
    [
        ("nev", (1280, 720), "zh"),
        ("nev", (1280, 720), "en"),
        ("nev", (1440, 900), "zh"),
        ("new-energy", (1280, 720), "zh"),
    ],
)
def test_every_stage_heading_is_read_on_the_first_view(browser, bundled_store, tmp_path, cid, viewport, lang) -> None:
    """Review 13b: NEV's zoomed first view opened with its stage headings above the top or under the controls.

    Each heading is now read on the first view: its own label lies in the frame below the controls, or it is
    pinned there (``state.pinnedHeadings``) over its columns; on the whole chain nothing is pinned."""
    from tests.conftest import REPO

    path = tmp_path / (fill(FILE_NAMES["cluster"], cid) or "")
    path.write_text(render_view(build_view(bundled_store, "cluster", cid), LinkStyle.file()).html, "utf-8")
    visit = Visit(browser, path.as_uri() + ("?lang=en" if lang == "en" else ""), viewport=viewport)
    try:
        page = visit.page
        page.wait_for_timeout(200)  # the first view's last drawing
        frame, ceiling = page.evaluate(FRAME), page.evaluate(CEILING)
        heads = {n["id"]: n for n in page.evaluate(LABELS) if n["kind"] == STAGE_KIND}
        pinned = {p["id"]: p for p in page.evaluate(PINNED)}
        assert set(heads) == {f"stage:{p.value}" for p in Position}
        read = 0
        for hid, head in heads.items():
            own = head["label"]
            if ceiling <= own["top"] < own["bottom"] <= frame[1]:
                assert hid not in pinned, hid  # drawn once
                read += own["right"] > 0 and own["left"] < frame[0]
            elif hid in pinned:
                pin = pinned[hid]
                assert pin["label"] == STAGE_NAMES[Position(hid.split(":")[1])][lang == "en"]
                assert ceiling <= pin["top"] < pin["bottom"] <= frame[1], pin
                centre = (own["left"] + own["right"]) / 2
                assert pin["left"] < centre < pin["right"], (hid, pin, own)  # over its own columns
                read += pin["right"] > 0 and pin["left"] < frame[0]
        on_screen = [h for h in heads.values() if h["label"]["right"] > 0 and h["label"]["left"] < frame[0]]
        assert read == len(on_screen) > 0, (cid, viewport, lang, heads, pinned)
        if (cid, viewport, lang) == ("nev", (1280, 720), "zh"):
            assert pinned, "NEV at 1280x720 opens below its headings: they are pinned"
        shot = REPO / "test-artifacts" / "views" / f"{cid}-headings-first-{viewport[0]}-{lang}.png"
        page.screenshot(path=str(shot))
        page.click("#fit-all")
        page.wait_for_timeout(200)
        assert page.evaluate(PINNED) == []
        assert visit.errors == []
    finally:
        visit.close()


# ---- review 13b, later: links pass under a firm's name, not through it ----


@pytest.mark.parametrize(
    ("kind", "node_id"),
    [("cluster", "nev"), ("segment", "nev-battery-cell"), ("segment", "nev-electrolyte"), ("firm", "catl-jiangsu")],
)
def test_every_firm_label_is_drawn_on_an_opaque_ground(bundled_store: MemoryStore, kind: str, node_id: str) -> None:
    """A firm's name is drawn outside its dot; supply arrows that cross the firm column ("显示全部企业 Show all
    firms" in NEV) struck it through. Each firm label now has a white ground at least 80 % opaque."""
    firms = [n for n in build_view(bundled_store, kind, node_id).nodes if n["info"]["kind"] == "firm"]
    assert len(firms) >= 2  # catl-jiangsu draws itself and its parent
    for firm in firms:
        ground = firm.get("font", {}).get("background", "")
        assert ground.startswith("rgba(255, 255, 255,"), (firm["id"], ground)
        assert float(ground.rsplit(",", 1)[1].rstrip(") ")) >= 0.8, (firm["id"], ground)
