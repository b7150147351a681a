"""Curving the overview's arrows so that their labels (the link counts) lie clear of every cluster's circle and label.

vis-network places an edge's label at the middle of its curve; :func:`curve_middle` computes that point as
vis-network 9.1.2 does, and :func:`bend_edges` picks, for each arrow, the least roundness whose label touches no
cluster label or circle and no other arrow's label (two opposite arrows bend to either side).
"""

from __future__ import annotations

import math
from typing import Any

from viz.layout import text_width
from viz.page import ViewNetwork

BEND_CHOICES = (0.15, 0.25, 0.35, 0.45, 0.55, 0.65, 0.75, 0.85, 0.95)
"""The roundness an overview arrow may take (vis-network's ``curvedCW``/``curvedCCW``), the least first."""
EDGE_FONT_SIZE = 14
"""The size of an arrow's label on the overview (larger than the other views' 11: the overview is fitted small, the
more since its clusters stand further apart: :data:`viz.overview.SPRING`)."""
LABEL_PAD = 4
"""Room kept around a label, in pixels, for the placing of the arrows' labels."""
LABEL_WEIGHT = 10.0
"""How much an arrow's label on a cluster's label counts, against 3 on its circle and 1 on another arrow's label."""
PATH_SAMPLES = tuple(i / 20 for i in range(2, 19))
"""The points of an arrow's curve (0: its start, 1: its end) that should not lie on another cluster's label."""
PATH_PENALTY = 40.0
"""How much each such point on a cluster's label counts (as that many square pixels of label on label)."""


def _label_box(x: float, y: float, width: float, height: float) -> tuple[float, float, float, float]:
    return x - width / 2, y - height / 2, x + width / 2, y + height / 2


def _overlap(a: tuple[float, float, float, float], b: tuple[float, float, float, float]) -> float:
    """The area two boxes (left, top, right, bottom) share; 0 when apart."""
    return max(0.0, min(a[2], b[2]) - max(a[0], b[0])) * max(0.0, min(a[3], b[3]) - max(a[1], b[1]))


def node_boxes(node: dict[str, Any], x: float, y: float, radius: float) -> list[tuple[float, float, float, float]]:
    """The circle and the label of a cluster at (``x``, ``y``) as boxes (left, top, right, bottom) with a few
    pixels around: vis-network 9.1.2 draws a dot's label ``0.75 × font size`` below the circle, one font size
    high a line, the wider of the Chinese and the English label (measured in Chromium).

    >>> node_boxes({"label": "新能源", "font": {"size": 16}, "borderWidth": 1}, 0, 0, 20)
    [(-21.0, -21.0, 21.0, 21.0), (-28.0, 28.0, 28.0, 52.0)]
    """
    font = float(node.get("font", {}).get("size", 14))
    ring = radius + float(node.get("borderWidth", 1))
    labels = [str(node.get("label", "")), str(node.get("label_en") or "")]
    width = max(text_width(label, font) for label in labels) + 2 * LABEL_PAD
    lines = max(label.count("\n") + 1 for label in labels)
    top = y + radius + 0.75 * font - LABEL_PAD
    return [
        (x - ring, y - ring, x + ring, y + ring),
        (x - width / 2, top, x + width / 2, top + lines * font + 2 * LABEL_PAD),
    ]


def curve_middle(
    start: tuple[float, float], end: tuple[float, float], smooth: dict[str, Any], at: float = 0.5
) -> tuple[float, float]:
    """Where vis-network 9.1.2 draws the label of an edge from ``start`` to ``end`` with ``smooth``: the middle of the
    quadratic curve through its via point (``curvedCW``, ``curvedCCW``), as ``BezierEdgeStatic`` computes it.

    Parameters
    ----------
    start, end : tuple of (float, float)
        The centres of the edge's two nodes.
    smooth : dict
        ``{"type": "curvedCW" | "curvedCCW", "roundness": r}``.
    at : float, optional
        Another point of the curve, from 0 (``start``) to 1 (``end``); the label stands at 0.5.

    Returns
    -------
    tuple of (float, float)
        The label's centre (or the point ``at``).

    Examples
    --------
    >>> [round(c, 6) for c in curve_middle((0, 0), (100, 0), {"type": "curvedCW", "roundness": 0.0})]
    [50.0, 0.0]
    >>> x, y = curve_middle((0, 0), (100, 0), {"type": "curvedCW", "roundness": 0.4})
    >>> round(x), round(y)  # the via point turns with the roundness: the middle is not above the chord's middle
    (53, -21)
    >>> round(curve_middle((100, 0), (0, 0), {"type": "curvedCW", "roundness": 0.4})[1])  # the opposite arrow
    21
    """
    r = float(smooth["roundness"])
    dx, dy = end[0] - start[0], start[1] - end[1]
    length = math.hypot(dx, dy)
    turn = r if smooth["type"] == "curvedCW" else -r
    angle = (math.atan2(dy, dx) + (0.5 * turn + 0.5) * math.pi) % (2 * math.pi)
    via = (start[0] + (0.5 * r + 0.5) * length * math.sin(angle), start[1] + (0.5 * r + 0.5) * length * math.cos(angle))
    a, b, c = (1 - at) ** 2, 2 * at * (1 - at), at**2
    return (a * start[0] + b * via[0] + c * end[0], a * start[1] + b * via[1] + c * end[1])


def bend_edges(net: ViewNetwork, sizes: dict[str, float]) -> None:
    """Curve every arrow so that its label lies on no cluster's label or circle, and on no other arrow's label,
    in the wide layout (``x``, ``y``) and, as far as it can, in the tall one (``xy_tall``); two opposite arrows
    (A → B and B → A) bend to either side, never on one another.

    Each arrow in turn (those with the longest labels first) takes the bend (:data:`BEND_CHOICES`, clockwise or
    anticlockwise) whose label covers the least of what is already placed, the wide layout counting first.

    Examples
    --------
    >>> net = ViewNetwork(kind="overview", subject_id=None, title="", api_path="")
    >>> for i, x in (("a", 0), ("b", 400)):
    ...     net.add_view_node(i, i, kind="cluster", info={}, shape="dot", size=20, x=x, y=0, xy_tall=[x, 0])
    >>> net.add_view_edge("a", "b", label="1"); net.add_view_edge("b", "a", label="2")
    >>> bend_edges(net, {"a": 20, "b": 20})
    >>> len({e["smooth"]["type"] for e in net.edges})  # the same way round: to either side of the line
    1
    """
    pairs = {(e["from"], e["to"]) for e in net.edges}
    layouts = [
        {n["id"]: (float(n["x"]), float(n["y"])) for n in net.nodes if "x" in n},
        {n["id"]: (float(n["xy_tall"][0]), float(n["xy_tall"][1])) for n in net.nodes if "xy_tall" in n},
    ]
    layouts = [at for at in layouts if at]
    # what a label must keep off, with how much covering it counts: a cluster's label most, then its circle
    taken: list[list[tuple[tuple[float, float, float, float], float]]] = []
    for at in layouts:
        boxes = []
        for node in net.nodes:
            if node["id"] in at:
                circle, label = node_boxes(node, *at[node["id"]], sizes.get(node["id"], float(node.get("size", 25))))
                boxes += [(circle, 3.0), (label, LABEL_WEIGHT)]
        taken.append(boxes)
    # the clusters' labels, which an arrow's line should not cross either
    labels = [
        {
            node["id"]: node_boxes(node, *at[node["id"]], sizes.get(node["id"], float(node.get("size", 25))))[1]
            for node in net.nodes
            if node["id"] in at
        }  # fmt: skip
        for at in layouts
    ]
    # a label outside the clusters' box is outside the fitted view (view.js fits the nodes): it must stay inside
    frames = [
        (
            min(b[0] for b, _ in boxes),
            min(b[1] for b, _ in boxes),
            max(b[2] for b, _ in boxes),
            max(b[3] for b, _ in boxes),
        )  # fmt: skip
        for boxes in taken
    ]
    order = sorted(
        range(len(net.edges)),
        key=lambda i: -max(text_width(str(net.edges[i].get(k, "")), EDGE_FONT_SIZE) for k in ("label", "label_en")),
    )
    turned: dict[tuple[str, str], str] = {}
    drawn: dict[tuple[str, str], list[tuple[float, float, float, float]]] = {}
    for i in order:
        edge = net.edges[i]
        width = max(text_width(str(edge.get(k, "")), EDGE_FONT_SIZE) for k in ("label", "label_en")) + 2 * LABEL_PAD
        height = EDGE_FONT_SIZE + 2 * LABEL_PAD
        # two opposite arrows bend the same way round: each to its own side of the line between the clusters
        back = (edge["to"], edge["from"])
        partner = turned.get(back) if back in pairs else None
        turns = (partner,) if partner else ("curvedCW", "curvedCCW")
        best: tuple[float, ...] | None = None
        chosen: dict[str, Any] = {}
        boxes_chosen: list[tuple[float, float, float, float]] = []
        for roundness in BEND_CHOICES:
            for turn in turns:
                smooth = {"enabled": True, "type": turn, "roundness": roundness}
                label_boxes: list[tuple[float, float, float, float]] = []
                score = []
                for at, placed, frame, crossed in zip(layouts, taken, frames, labels, strict=True):
                    if edge["from"] not in at or edge["to"] not in at:
                        label_boxes.append((0.0, 0.0, 0.0, 0.0))
                        score.append(0.0)
                        continue
                    box = _label_box(*curve_middle(at[edge["from"]], at[edge["to"]], smooth), width, height)
                    label_boxes.append(box)
                    outside = (box[2] - box[0]) * (box[3] - box[1]) - _overlap(box, frame)
                    outside += PATH_PENALTY * sum(
                        1
                        for t in PATH_SAMPLES
                        for point in [curve_middle(at[edge["from"]], at[edge["to"]], smooth, t)]
                        for node, other in crossed.items()
                        if node not in (edge["from"], edge["to"])
                        and other[0] < point[0] < other[2]
                        and other[1] < point[1] < other[3]
                    )
                    score.append(sum(_overlap(box, other) * weight for other, weight in placed) + 10 * outside)
                # on the opposite arrow's label in any layout: the worst (the two would read as one)
                apart = sum(_overlap(box, other) for box, other in zip(label_boxes, drawn.get(back, []), strict=False))
                key = (apart, *score, roundness)
                if best is None or key < best:
                    best, chosen, boxes_chosen = key, smooth, label_boxes
        turned[(edge["from"], edge["to"])] = chosen["type"]
        drawn[(edge["from"], edge["to"])] = boxes_chosen
        edge["smooth"] = chosen
        for placed, box in zip(taken, boxes_chosen, strict=True):
            placed.append((box, 1.0))


# ---- the cluster and segment views: edges between columns kept off every firm ----

COLUMN_CURVES: tuple[dict[str, Any], ...] = (
    *(
        {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal", "roundness": r}
        for r in (0.5, 0.35, 0.65, 0.2, 0.8, 0.05, 0.95)
    ),
    *(
        {"enabled": True, "type": turn, "roundness": r}
        for r in (0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.75)
        for turn in ("curvedCW", "curvedCCW")
    ),
)
"""The curves an edge of a column view may take, the first (the views' default) preferred, then the least bent."""
CURVE_SAMPLES = tuple(i / 48 for i in range(1, 48))
"""The points of a curve (0: its start, 1: its end) checked against what it must keep off."""
FIRM_WEIGHT = 100.0
"""How much a point of a curve on a firm or its label counts, against 4 on a segment's box (not its own ends)."""
SEGMENT_WEIGHT = 4.0
OBSTACLE_PAD = 4.0
"""Room kept around a node's box and label, in pixels."""

Box = tuple[float, float, float, float]


def curve_point(
    start: tuple[float, float], end: tuple[float, float], smooth: dict[str, Any], at: float
) -> tuple[float, float]:
    """The point ``at`` (0 … 1) of an edge from ``start`` to ``end`` as vis-network 9.1.2 draws it with ``smooth``:
    a horizontal ``cubicBezier`` (``CubicBezierEdge._getViaCoordinates``) or a ``curvedCW``/``curvedCCW``
    quadratic (:func:`curve_middle`).

    >>> smooth = {"type": "cubicBezier", "forceDirection": "horizontal", "roundness": 0.5}
    >>> curve_point((0, 0), (100, 100), smooth, 0.5), curve_point((0, 0), (100, 100), smooth, 0.1)[1] < 5
    ((50.0, 50.0), True)
    """
    if smooth.get("type") != "cubicBezier":
        return curve_middle(start, end, smooth, at)
    r = float(smooth.get("roundness", 0.5))
    dx = end[0] - start[0]
    points = (start, (start[0] + r * dx, start[1]), (end[0] - r * dx, end[1]), end)
    weights = ((1 - at) ** 3, 3 * at * (1 - at) ** 2, 3 * at**2 * (1 - at), at**3)
    return (
        sum(w * p[0] for w, p in zip(weights, points, strict=True)),
        sum(w * p[1] for w, p in zip(weights, points, strict=True)),
    )


def footprint(node: dict[str, Any], x: float, y: float) -> Box:
    """(left, top, right, bottom) of a node at (``x``, ``y``) as the column views draw it, with
    :data:`OBSTACLE_PAD` around: a box around its label, or a shape with its label below.

    >>> footprint({"label": "电芯", "shape": "box", "margin": 10}, 0, 0)
    (-34.0, -27.0, 34.0, 27.0)
    """
    from viz.layout import node_size

    width, height = node_size(node)
    pad = OBSTACLE_PAD
    if node.get("shape", "box") == "box":
        return (x - width / 2 - pad, y - height / 2 - pad, x + width / 2 + pad, y + height / 2 + pad)
    radius = float(node.get("size", 11)) + float(node.get("borderWidth", 1))
    return (x - width / 2 - pad, y - radius - pad, x + width / 2 + pad, y - radius + height + pad)


def curve_hits(
    start: tuple[float, float], end: tuple[float, float], smooth: dict[str, Any], obstacles: list[tuple[Box, float]]
) -> float:
    """How much the curve from ``start`` to ``end`` lies on ``obstacles`` (boxes with a weight per point on them)."""
    points = [curve_point(start, end, smooth, t) for t in CURVE_SAMPLES]
    left, right = min(p[0] for p in points), max(p[0] for p in points)
    top, bottom = min(p[1] for p in points), max(p[1] for p in points)
    near = [(b, w) for b, w in obstacles if b[0] < right and b[2] > left and b[1] < bottom and b[3] > top]
    return sum(w for p in points for b, w in near if b[0] < p[0] < b[2] and b[1] < p[1] < b[3])


def _layout_obstacles(net: ViewNetwork, key: str) -> tuple[dict[str, tuple[float, float]], dict[str, tuple[Box, bool]]]:
    """The node centres of one layout (``"xy"``: as the view opens; ``"xy_all"``: every firm shown) and the
    footprint of every node, with whether it is a firm."""
    at: dict[str, tuple[float, float]] = {}
    for node in net.nodes:
        if key == "xy_all" and "xy_all" in node:
            at[node["id"]] = (float(node["xy_all"][0]), float(node["xy_all"][1]))
        elif key == "xy" and "x" in node and not node.get("hidden"):
            at[node["id"]] = (float(node["x"]), float(node["y"]))
    boxes = {}
    for nid, (x, y) in at.items():
        node = net.node_map[nid]
        boxes[nid] = (footprint(node, x, y), node.get("info", {}).get("kind") == "firm")
    return at, boxes


def _hits(
    layout: tuple[dict[str, tuple[float, float]], dict[str, tuple[Box, bool]]], a: str, b: str, smooth: dict[str, Any]
) -> tuple[float, float]:
    """How many points of the curve from ``a`` to ``b`` lie on a firm, and on another segment, in one layout."""
    at, boxes = layout
    if a not in at or b not in at:
        return 0.0, 0.0
    firms = [(box, 1.0) for nid, (box, firm) in boxes.items() if firm and nid not in (a, b)]
    others = [(box, 1.0) for nid, (box, firm) in boxes.items() if not firm and nid not in (a, b)]
    return curve_hits(at[a], at[b], smooth, firms), curve_hits(at[a], at[b], smooth, others)


def route_column_edges(net: ViewNetwork) -> None:
    """Give each edge between two main nodes of a column view (not a firm hanging under its segment) whose curve
    would run over a firm or its label as the view opens, the curve (:data:`COLUMN_CURVES`) that lies least on
    firms, then on other segments' boxes, then on firms with every firm shown, the least bent first. An edge clear
    of every firm keeps the views' default curve.

    Examples
    --------
    >>> net = ViewNetwork(kind="segment", subject_id="a", title="", api_path="")
    >>> net.add_view_node("a", "甲", kind="segment", info={}, x=0, y=0)
    >>> net.add_view_node("b", "乙", kind="segment", info={}, x=400, y=0)
    >>> net.add_view_node("f", "企业", kind="firm", info={"kind": "firm"}, shape="dot", x=200, y=-6, owner="a")
    >>> net.add_view_edge("a", "b")
    >>> route_column_edges(net)
    >>> smooth = net.edges[0]["smooth"]
    >>> smooth["type"] != "cubicBezier" or smooth["roundness"] != 0.5  # the straight line ran over the firm
    True
    >>> curve_hits((0, 0), (400, 0), smooth, [(footprint(net.node_map["f"], 200, -6), 1.0)])
    0
    """
    opened, every = (_layout_obstacles(net, key) for key in ("xy", "xy_all"))
    main = {n["id"] for n in net.nodes if "owner" not in n}
    for edge in net.edges:
        a, b = edge["from"], edge["to"]
        if a == b or a not in main or b not in main or not _hits(opened, a, b, COLUMN_CURVES[0])[0]:
            continue
        best: tuple[float, int] | None = None
        for rank, smooth in enumerate(COLUMN_CURVES):
            firms, segments = _hits(opened, a, b, smooth)
            firms_all = _hits(every, a, b, smooth)[0]
            score = FIRM_WEIGHT * firms + SEGMENT_WEIGHT * segments + firms_all + 2 * rank
            if best is None or (score, rank) < best:
                best = (score, rank)
        if best and best[1] > 0:
            edge["smooth"] = dict(COLUMN_CURVES[best[1]])
