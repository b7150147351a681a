"""Layout faults of review 15a, measured in real headless Chromium on the bundled data.

1. Segment and cluster views: the edges between segments ran through the firms standing in a lane right of a
   segment, over their names (动力电池电芯's lines to 储能系统集成, 动力电池回收, 整车 and 电池包 crossed
   中创新航科技集团, 江苏时代新能源科技, 鹏辉（金坛）...). Each edge's curve is sampled as vis-network draws it
   (``edgeType.getPoint`` with its via points) against every firm's box, shape and label.
2. Overview: the link counts on the arrows ("5（4 待核实）", "1（1 待核实）") crowded round 新能源汽车, on a
   cluster's circle. No arrow's label may lie on another's, or on a cluster's circle or label.
"""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_views_browser import Visit
from viz.render import FILE_NAMES, LinkStyle, fill, render_view
from viz.views import build_view

pytestmark = pytest.mark.browser

SEGMENTS = ("nev-battery-cell", "nev-cathode", "nev-vehicle", "nev-lithium-resources", "ne-storage")
CLUSTERS = ("nev", "new-energy")


@pytest.fixture(scope="module")
def bundled_pages(bundled_store, tmp_path_factory) -> dict[tuple[str, str | None], str]:
    """The views measured, written side by side: (kind, subject) → file URL."""
    folder = tmp_path_factory.mktemp("layout-views")
    cases = [("segment", s) for s in SEGMENTS] + [("cluster", c) for c in CLUSTERS] + [("overview", None)]
    urls = {}
    for kind, subject in cases:
        path = folder / (fill(FILE_NAMES[kind], subject) or "")
        path.write_text(render_view(build_view(bundled_store, kind, subject), LinkStyle.file()).html, "utf-8")
        urls[(kind, subject)] = path.as_uri()
    return urls


EDGES_OVER_FIRMS = """() => {
    const v = window.chainkgView, net = v.network;
    const kind = (id) => ((net.body.nodes[id].options.info || {}).kind || "");
    const firms = v.nodes.getIds().filter((id) => kind(id) === "firm").map((id) => {
        const node = net.body.nodes[id], label = node.labelModule.size, r = node.options.size;
        return {id: id, boxes: {
            shape: {left: node.x - r, top: node.y - r, right: node.x + r, bottom: node.y + r},
            label: {left: label.left, top: label.top, right: label.left + label.width,
                    bottom: label.top + label.height},
            bounding: net.getBoundingBox(id),
        }};
    });
    const found = [];
    let edgesChecked = 0;
    v.edges.getIds().forEach((eid) => {
        const edge = net.body.edges[eid];
        if (!edge || !edge.connected || kind(edge.fromId) !== "segment" || kind(edge.toId) !== "segment") return;
        edgesChecked += 1;
        const type = edge.edgeType;
        const via = type.getViaNode ? type.getViaNode() : undefined;
        const points = [];
        for (let i = 1; i < 100; i++) points.push(type.getPoint(i / 100, via));
        firms.forEach((firm) => {
            Object.entries(firm.boxes).forEach(([what, b]) => {
                const hit = points.find((p) => p.x > b.left && p.x < b.right && p.y > b.top && p.y < b.bottom);
                if (hit) found.push([edge.fromId, edge.toId, firm.id, what]);
            });
        });
    });
    return {found: found, edges: edgesChecked, firms: firms.length};
}"""


@pytest.mark.parametrize("viewport", [(1440, 900), (1280, 720)])
@pytest.mark.parametrize(
    ("kind", "subject"), [*(("segment", s) for s in SEGMENTS), *(("cluster", c) for c in CLUSTERS)]
)
def test_no_segment_edge_runs_over_a_firm(browser, bundled_pages, kind, subject, viewport):
    """Review 15a: in 动力电池电芯's view the lines to its downstream segments ran through its firms' column. No
    curve between two segments may pass over a firm's shape or label, as the view opens."""
    visit = Visit(browser, bundled_pages[(kind, subject)], viewport=viewport)
    try:
        measured = visit.page.evaluate(EDGES_OVER_FIRMS)
        assert measured["edges"] >= 3 and measured["firms"] >= 1, measured  # there is something to measure
        assert measured["found"] == [], measured["found"]
        assert visit.errors == []
    finally:
        visit.close()


def test_focal_firms_hang_under_their_segment(browser, bundled_pages):
    """动力电池电芯's own firms stand under its box, right of its centre and left of the next column, clear of
    the box: the lines leaving it sideways pass above them."""
    visit = Visit(browser, bundled_pages[("segment", "nev-battery-cell")], viewport=(1440, 900))
    try:
        placed = visit.page.evaluate(
            """() => {
                const v = window.chainkgView, net = v.network, seg = net.getBoundingBox("nev-battery-cell");
                return v.nodes.get({filter: (n) => n.owner === "nev-battery-cell"}).map((n) => ({
                    id: n.id, box: net.getBoundingBox(n.id), seg: seg,
                }));
            }"""
        )
        assert len(placed) >= 5
        for firm in placed:
            assert firm["box"]["top"] > firm["seg"]["bottom"], firm
            assert firm["box"]["left"] > firm["seg"]["left"], firm
    finally:
        visit.close()


OVERVIEW_LABELS = """() => {
    const v = window.chainkgView, net = v.network;
    const dom = (b) => {
        const a = net.canvasToDOM({x: b.left, y: b.top}), z = net.canvasToDOM({x: b.right, y: b.bottom});
        return {left: a.x, top: a.y, right: z.x, bottom: z.y};
    };
    const nodes = v.nodes.getIds().map((id) => {
        const node = net.body.nodes[id], label = node.labelModule.size, r = node.options.size;
        return {
            id: id,
            circle: dom({left: node.x - r, top: node.y - r, right: node.x + r, bottom: node.y + r}),
            label: dom({left: label.left, top: label.top, right: label.left + label.width,
                        bottom: label.top + label.height}),
        };
    });
    const labels = v.edges.getIds().filter((id) => net.body.edges[id].options.label).map((id) => {
        const edge = net.body.edges[id], size = edge.labelModule.size;
        return {id: id, text: edge.options.label, px: edge.options.font.size * net.getScale(),
                box: dom({left: size.left, top: size.top, right: size.left + size.width,
                          bottom: size.top + size.height})};
    });
    const frame = document.getElementById("network").getBoundingClientRect();
    return {nodes: nodes, labels: labels, frame: [frame.width, frame.height]};
}"""


def _crosses(a: dict[str, float], b: dict[str, float]) -> bool:
    return a["left"] < b["right"] and b["left"] < a["right"] and a["top"] < b["bottom"] and b["top"] < a["bottom"]


def _clashes(measured: dict[str, Any]) -> list[tuple[str, str, str]]:
    """Every arrow label on another arrow's label, or on a cluster's circle or label."""
    found = []
    labels = measured["labels"]
    for i, a in enumerate(labels):
        for b in labels[i + 1 :]:
            if _crosses(a["box"], b["box"]):
                found.append((a["text"], b["text"], "arrow labels"))
        for node in measured["nodes"]:
            if _crosses(a["box"], node["circle"]):
                found.append((a["text"], node["id"], "circle"))
            if _crosses(a["box"], node["label"]):
                found.append((a["text"], node["id"], "cluster label"))
    return found


@pytest.mark.parametrize("viewport", [(1440, 900), (1920, 1080), (1280, 720)])
def test_overview_arrow_labels_stand_apart(browser, bundled_pages, artifacts_dir, viewport):
    """Review 15a: the link counts crowded round 新能源汽车, one on 新一代电子信息技术's circle. Each stands
    clear of the others and of every cluster, readable, inside the view."""
    visit = Visit(browser, bundled_pages[("overview", None)], viewport=viewport)
    try:
        measured = visit.page.evaluate(OVERVIEW_LABELS)
        assert len(measured["labels"]) >= 10
        assert _clashes(measured) == []
        frame = measured["frame"]
        for label in measured["labels"]:
            box = label["box"]
            assert box["left"] >= 0 and box["right"] <= frame[0] and box["top"] >= 0 and box["bottom"] <= frame[1]
            assert label["px"] >= 10, label  # readable (tests.test_views_browser.READABLE_PX)
        visit.page.screenshot(path=str(artifacts_dir / f"overview-arrow-labels-{viewport[0]}x{viewport[1]}.png"))
    finally:
        visit.close()


@pytest.fixture(scope="module")
def artifacts_dir():
    from tests.test_views_browser import ARTIFACTS

    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
