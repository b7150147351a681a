"""Column layout of the cluster and segment views, computed in Python so that the page never lays them out again.

vis-network's hierarchical layout runs again whenever a node is added, so a click that showed a
segment's firms moved the whole chain; and it stacks a firm anywhere in its column, far from its
segment. Here every node gets fixed ``x``, ``y`` instead, and physics stays off:

- *main* nodes (segments, other clusters' segments, candidate firms) stand in columns by ``level``,
  ordered within a column to keep edges short (barycentre sweeps);
- a firm *attached* to a segment stands in the *lane* just right of that segment (and left of the next
  column): anchors shown at once first, then the firms a click reveals, in rows of :data:`LANE_ROWS`;
- each segment with firms to reveal carries ``lane``: the offsets, from the segment, of its
  ``info["children"]``, so the page puts a revealed firm next to the segment clicked wherever it stands;
- every node also carries ``xy_all``: where it stands when all firms are shown ("show all firms"),
  with room reserved for every firm.

Sizes are estimated from the labels (a CJK character is as wide as the font is high).

Examples
--------
>>> from viz.page import ViewNetwork
>>> net = ViewNetwork(kind="cluster", subject_id="c", title="c", api_path="")
>>> net.add_view_node("a", "甲", kind="segment", info={}, level=0)
>>> net.add_view_node("b", "乙", kind="segment", info={"children": ["f"]}, level=1)
>>> net.add_view_node("f", "企业", kind="firm", info={}, level=1, shape="dot", hidden=True)
>>> net.add_view_edge("a", "b"); net.add_view_edge("b", "f")
>>> column_layout(net, {"f": "b"})
>>> net.node_map["a"]["x"] < net.node_map["b"]["x"], net.node_map["a"]["y"] == net.node_map["b"]["y"]
(True, True)
>>> net.node_map["b"]["lane"][0][0] > 0, net.options["physics"]["enabled"]
(True, False)
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Mapping
from typing import Any

from viz.page import ViewNetwork

LANE_ROWS = 10
"""At most this many firms stand one above the other in a lane; more start another sub-column."""
FIRM_GAP = 8
"""Vertical space between two firms of a lane (each a shape with its label below it)."""
LANE_PAD = 22
"""Space between a segment's box and its lane, and between a lane and the next column."""
COLUMN_PAD = 44
"""Space between two columns (on top of any lane)."""
ROW_PAD = 26
"""Vertical space between two slots of a column."""
SWEEPS = 4


def text_width(text: str, size: float) -> float:
    """Estimated width in pixels of the longest line of ``text`` at font ``size``.

    >>> text_width("电芯", 14), text_width("ab\\n电", 10)
    (28.0, 11.0)
    """
    widest = 0.0
    for line in str(text).split("\n"):
        width = float(sum(size if unicodedata.east_asian_width(ch) in "WF" else 0.55 * size for ch in line))
        widest = max(widest, width)
    return widest


def _font_size(node: Mapping[str, Any], default: float) -> float:
    font = node.get("font")
    return float(font.get("size", default)) if isinstance(font, Mapping) else default


def node_size(node: Mapping[str, Any]) -> tuple[float, float]:
    """Estimated (width, height) of a node as vis-network draws it: a box around its label, or a shape with its
    label below (both measured against vis-network 9.1.2 in Chromium).

    >>> node_size({"label": "电芯\\n6 家本地企业", "shape": "box", "margin": 10})
    (117.4, 60.0)
    >>> node_size({"label": "甲电池", "shape": "star", "size": 16, "font": {"size": 12}})
    (36.0, 48.4)
    """
    label = str(node.get("label", ""))
    lines = label.count("\n") + 1
    size = _font_size(node, 14)
    if node.get("shape", "box") == "box":
        margin = float(node.get("margin", 5))
        return round(text_width(label, size) + 2 * margin + 12, 1), round(lines * size + 12 + 2 * margin, 1)
    radius = float(node.get("size", 11))
    return round(max(text_width(label, size), 2 * radius), 1), round(2 * radius + lines * size * 1.2 + 2, 1)


def _columns(net: ViewNetwork, attached: Mapping[str, str]) -> dict[int, list[str]]:
    columns: dict[int, list[str]] = defaultdict(list)
    for node in net.nodes:
        if node["id"] not in attached:
            columns[int(node.get("level", 0))].append(node["id"])
    return dict(sorted(columns.items()))


def order_columns(columns: dict[int, list[str]], edges: list[tuple[str, str]], sweeps: int = SWEEPS) -> None:
    """Reorder each column (in place) by the mean place of each node's neighbours in other columns.

    A node without neighbours keeps its place; ties keep the order given (candidates stay ranked).

    >>> cols = {0: ["a", "b"], 1: ["c", "d"]}
    >>> order_columns(cols, [("a", "d"), ("b", "c")])  # a-d and b-c crossed; no longer
    >>> cols
    {0: ['b', 'a'], 1: ['c', 'd']}
    """
    column_of = {n: c for c, members in columns.items() for n in members}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for a, b in edges:
        if a in column_of and b in column_of and column_of[a] != column_of[b]:
            neighbours[a].append(b)
            neighbours[b].append(a)
    keys = sorted(columns)
    place = {n: (i + 0.5) / len(m) for m in columns.values() for i, n in enumerate(m)}

    def barycentre(n: str) -> float:
        around = neighbours.get(n)
        return sum(place[x] for x in around) / len(around) if around else place[n]

    for sweep in range(sweeps):
        for c in keys if sweep % 2 == 0 else reversed(keys):
            members = columns[c]
            members.sort(key=barycentre)
            place.update({n: (i + 0.5) / len(members) for i, n in enumerate(members)})


def _lane_widths(net: ViewNetwork, firms: list[str]) -> list[float]:
    """Widths of the sub-columns of a lane holding ``firms`` in order."""
    widths = []
    for start in range(0, len(firms), LANE_ROWS):
        widths.append(max(node_size(net.node_map[f])[0] for f in firms[start : start + LANE_ROWS]) + 12)
    return widths


def _lane_offsets(net: ViewNetwork, segment: str, firms: list[str]) -> list[tuple[float, float]]:
    """Offsets from ``segment``'s centre of the firms of its lane, in order: rows from the box's top down."""
    width, height = node_size(net.node_map[segment])
    widths = _lane_widths(net, firms)
    out = []
    top = 0.0
    for i, firm in enumerate(firms):
        column, row = divmod(i, LANE_ROWS)
        if row == 0:
            top = 0.0
        radius = float(net.node_map[firm].get("size", 11))
        dx = width / 2 + LANE_PAD + sum(widths[:column]) + widths[column] / 2
        out.append((round(dx), round(top + radius - height / 2)))
        top += node_size(net.node_map[firm])[1] + FIRM_GAP
    return out


def _lane_height(net: ViewNetwork, firms: list[str]) -> float:
    """Height of a lane: its tallest sub-column of firms."""
    tallest = 0.0
    for start in range(0, len(firms), LANE_ROWS):
        column = firms[start : start + LANE_ROWS]
        tallest = max(tallest, sum(node_size(net.node_map[f])[1] + FIRM_GAP for f in column))
    return tallest


def _lanes(net: ViewNetwork, attached: Mapping[str, str]) -> tuple[dict[str, list[str]], dict[str, list[str]]]:
    """Per segment: the attached firms shown at once, and every attached firm it owns, in lane order."""
    shown: dict[str, list[str]] = defaultdict(list)
    owned: dict[str, list[str]] = defaultdict(list)
    for node in net.nodes:
        owner = attached.get(node["id"])
        if owner is None:
            continue
        owned[owner].append(node["id"])
        if not node.get("hidden"):
            shown[owner].append(node["id"])
    for firms in owned.values():
        firms.sort(key=lambda f: bool(net.node_map[f].get("hidden")))  # shown first, as in the compact layout
    return shown, owned


def _click_lanes(net: ViewNetwork, shown: Mapping[str, list[str]]) -> None:
    """Give each segment that reveals firms on a click the offsets of its children, after its shown firms."""
    for node in net.nodes:
        children = node.get("info", {}).get("children") or []
        if not children:
            continue
        before = shown.get(node["id"], [])
        offsets = _lane_offsets(net, node["id"], [*before, *children])
        node["lane"] = [list(xy) for xy in offsets[len(before) :]]


def _place(
    net: ViewNetwork, columns: dict[int, list[str]], lanes: Mapping[str, list[str]], xs: dict[int, float]
) -> dict[str, tuple[float, float]]:
    """Positions of every main node and of the firms in ``lanes``, columns centred on y = 0."""
    at: dict[str, tuple[float, float]] = {}
    for c, members in columns.items():
        slots = []
        for n in members:
            slots.append(max(node_size(net.node_map[n])[1], _lane_height(net, lanes.get(n, []))))
        total = sum(slots) + ROW_PAD * (len(slots) - 1)
        top = -total / 2
        for n, slot in zip(members, slots, strict=True):
            height = node_size(net.node_map[n])[1]
            at[n] = (xs[c], round(top + height / 2))
            for firm, (dx, dy) in zip(lanes.get(n, []), _lane_offsets(net, n, lanes.get(n, [])), strict=True):
                at[firm] = (xs[c] + dx, at[n][1] + dy)
            top += slot + ROW_PAD
    return at


def _column_xs(
    net: ViewNetwork, columns: dict[int, list[str]], shown: Mapping[str, list[str]], owned: Mapping[str, list[str]]
) -> dict[int, float]:
    """The x of each column: room for its widest node and widest lane (all firms shown, or a click's), then a gap."""
    xs: dict[int, float] = {}
    right = None
    for c, members in columns.items():
        half = max(node_size(net.node_map[n])[0] for n in members) / 2
        xs[c] = 0 if right is None else round(right + COLUMN_PAD + half)
        reach = half
        for n in members:
            children = net.node_map[n].get("info", {}).get("children") or []
            for firms in (owned.get(n, []), [*shown.get(n, []), *children]):
                if firms:
                    lane = sum(_lane_widths(net, firms))
                    reach = max(reach, node_size(net.node_map[n])[0] / 2 + LANE_PAD + lane)
        right = xs[c] + reach
    return xs


def column_layout(net: ViewNetwork, attached: Mapping[str, str]) -> None:
    """Give every node of ``net`` fixed positions in columns by ``level``, and turn physics and hierarchy off.

    Parameters
    ----------
    net : ViewNetwork
        Nodes carry ``level``; segments that reveal firms on a click carry ``info["children"]``.
    attached : mapping
        Firm node id → the segment whose lane it stands in (its own segment in the view).
    """
    columns = _columns(net, attached)
    edges = [(e["from"], e["to"]) for e in net.edges]
    order_columns(columns, edges)
    shown, owned = _lanes(net, attached)
    xs = _column_xs(net, columns, shown, owned)
    compact = _place(net, columns, shown, xs)
    expanded = _place(net, columns, owned, xs)
    for node in net.nodes:
        nid = node["id"]
        if nid in compact:
            node["x"], node["y"] = compact[nid]
        if nid in expanded:
            node["xy_all"] = list(expanded[nid])
        if nid in attached:
            node["owner"] = attached[nid]
    _click_lanes(net, shown)
    net.options["layout"] = {"improvedLayout": False}
    net.options["physics"] = {"enabled": False}
    net.options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal"}
