"""Column layout of the cluster and segment views, computed in Python so that the page never lays them out again.

vis-network's hierarchical layout runs again whenever a node is added, so a click that showed a
segment's firms moved the whole chain; and it stacks a firm anywhere in its column, far from its
segment. Here every node gets fixed ``x``, ``y`` instead, and physics stays off:

- *main* nodes (segments, other clusters' segments, candidate firms) stand in columns by ``level``,
  ordered within a column to keep edges short (barycentre sweeps);
- a firm *attached* to a segment and shown at once *hangs* under that segment: in rows from just below its box,
  indented right of its centre (:func:`hang_offsets`), in sub-columns of :data:`LANE_ROWS`. Under the box no
  edge between columns runs (edges leave and reach a box level with its centre, sideways), where a lane right
  of the box stood in every edge leaving it (review 15a: the lines from 动力电池电芯 to its downstream segments
  ran over its firms' names);
- each segment with firms to reveal carries ``lane``: the offsets, from the segment, of its
  ``info["children"]``, so the page puts a revealed firm next to the segment clicked wherever it stands: in the
  *lane* just right of the box (and left of the next column), for as long as it is selected;
- every node also carries ``xy_all``: where it stands when all firms are shown ("show all firms"),
  with room reserved for every firm, each hanging under its segment.

Edges between main nodes then get a bend each (:func:`viz.edge_bends.route_column_edges`) whose curve keeps off
every firm and its label.

Sizes are estimated from the labels (a CJK character is as wide as the font is high). Headings over groups of
columns (the cluster view's stages) are placed afterwards by :func:`place_headings`, on one row above every node.

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

import math
import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping
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

    A node with an English label too (``label_en``, the language switch) gets room for the larger of the two:

    >>> node_size({"label": "电芯", "label_en": "Battery cells", "shape": "box", "margin": 10})
    (132.1, 46.0)
    """
    labels = [str(node.get("label", ""))] + ([str(node["label_en"])] if node.get("label_en") else [])
    lines = max(label.count("\n") + 1 for label in labels)
    size = _font_size(node, 14)
    wide = max(text_width(label, size) for label in labels)
    if node.get("shape", "box") == "box":
        margin = float(node.get("margin", 5))
        return round(wide + 2 * margin + 12, 1), round(lines * size + 12 + 2 * margin, 1)
    radius = float(node.get("size", 11))
    return round(max(wide, 2 * radius), 1), round(2 * radius + lines * size * 1.2 + 2, 1)


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
    out: list[tuple[float, float]] = []
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


HANG_GAP = 14
"""Space between a segment's box and the first row of the firms hanging under it."""
HANG_INDENT = 26
"""How far right of a segment box's left side the firms hanging under it begin."""
HANG_MIN_DX = 14
"""The least distance right of a segment's centre of the first sub-column of firms hanging under it."""


def hang_offsets(net: ViewNetwork, segment: str, firms: list[str]) -> list[tuple[float, float]]:
    """Offsets from ``segment``'s centre of ``firms`` hanging under its box: rows from :data:`HANG_GAP` below
    the box down, the first sub-column right of the centre, more sub-columns of :data:`LANE_ROWS` further right.

    >>> from viz.page import ViewNetwork
    >>> net = ViewNetwork(kind="segment", subject_id="s", title="s", api_path="")
    >>> net.add_view_node("s", "动力电池电芯", kind="segment", info={}, margin=10)
    >>> for f in ("f1", "f2"):
    ...     net.add_view_node(f, "中创新航科技集团", kind="firm", info={}, shape="dot", size=11, font={"size": 12})
    >>> hang_offsets(net, "s", ["f1", "f2"])
    [(22, 48), (22, 94)]
    """
    width, height = node_size(net.node_map[segment])
    widths = _lane_widths(net, firms)
    first = max(HANG_INDENT - width / 2 + widths[0] / 2, HANG_MIN_DX) if widths else 0.0
    out: list[tuple[float, float]] = []
    top = 0.0
    for i, firm in enumerate(firms):
        column, row = divmod(i, LANE_ROWS)
        if row == 0:
            top = height / 2 + HANG_GAP
        radius = float(net.node_map[firm].get("size", 11))
        dx = first + sum(widths[:column]) + (widths[column] - widths[0]) / 2
        out.append((round(dx), round(top + radius)))
        top += node_size(net.node_map[firm])[1] + FIRM_GAP
    return out


def _hang_right(net: ViewNetwork, segment: str, firms: list[str]) -> float:
    """How far right of ``segment``'s centre the firms hanging under it reach."""
    if not firms:
        return 0.0
    widths = _lane_widths(net, firms)
    return hang_offsets(net, segment, firms[:1])[0][0] - widths[0] / 2 + sum(widths)


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


def _click_lanes(net: ViewNetwork) -> None:
    """Give each segment that reveals firms on a click the offsets of its children in the lane right of its box
    (the firms shown at once hang under it)."""
    for node in net.nodes:
        children = node.get("info", {}).get("children") or []
        if not children:
            continue
        node["lane"] = [list(xy) for xy in _lane_offsets(net, node["id"], list(children))]


def _place(
    net: ViewNetwork, columns: dict[int, list[str]], lanes: Mapping[str, list[str]], xs: dict[int, float]
) -> dict[str, tuple[float, float]]:
    """Positions of every main node and of the firms in ``lanes`` (hanging under their segment), columns centred
    on y = 0."""
    at: dict[str, tuple[float, float]] = {}
    for c, members in columns.items():
        slots = []
        for n in members:
            hanging = _lane_height(net, lanes[n]) + HANG_GAP if lanes.get(n) else 0.0
            slots.append(node_size(net.node_map[n])[1] + hanging)
        total = sum(slots) + ROW_PAD * (len(slots) - 1)
        top = -total / 2
        for n, slot in zip(members, slots, strict=True):
            height = node_size(net.node_map[n])[1]
            at[n] = (xs[c], round(top + height / 2))
            for firm, (dx, dy) in zip(lanes.get(n, []), hang_offsets(net, n, lanes.get(n, [])), strict=True):
                at[firm] = (xs[c] + dx, at[n][1] + dy)
            top += slot + ROW_PAD
    return at


def _column_xs(
    net: ViewNetwork, columns: dict[int, list[str]], shown: Mapping[str, list[str]], owned: Mapping[str, list[str]]
) -> dict[int, float]:
    """The x of each column: room for its widest node, the firms hanging under its nodes (those shown at once, or
    all of them) and a click's lane right of a box, then a gap."""
    xs: dict[int, float] = {}
    right = None
    for c, members in columns.items():
        half = max(node_size(net.node_map[n])[0] for n in members) / 2
        xs[c] = 0 if right is None else round(right + COLUMN_PAD + half)
        reach = half
        for n in members:
            for firms in (owned.get(n, []), shown.get(n, [])):
                reach = max(reach, _hang_right(net, n, firms) + (LANE_PAD if firms else 0.0))
            children = net.node_map[n].get("info", {}).get("children") or []
            if children:
                lane = sum(_lane_widths(net, [*shown.get(n, []), *children]))
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
    _click_lanes(net)
    net.options["layout"] = {"improvedLayout": False}
    net.options["physics"] = {"enabled": False}
    net.options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal"}
    from viz.edge_bends import route_column_edges  # edge_bends measures labels with this module

    route_column_edges(net)


HEADING_FONT = 18
"""Font size of the stage headings over the columns (上游 / 中游 / 下游 / 支撑)."""
HEADING_GAP = 30
"""Space between the bottom of a stage heading and the top of the highest node under the headings."""


def heading_size(node: Mapping[str, Any]) -> tuple[float, float]:
    """Estimated (width, height) of a heading drawn as vis-network's ``text`` shape: its label, no box, in the
    larger of its two languages.

    >>> heading_size({"label": "上游", "label_en": "Upstream", "font": {"size": 18}})
    (79.2, 25.2)
    """
    labels = [str(node.get("label", ""))] + ([str(node["label_en"])] if node.get("label_en") else [])
    size = _font_size(node, HEADING_FONT)
    lines = max(label.count("\n") + 1 for label in labels)
    return round(max(text_width(label, size) for label in labels), 1), round(lines * size * 1.4, 1)


def _top(node: Mapping[str, Any], y: float) -> float:
    """The top of a node (a box, or a shape with its label below) whose centre stands at ``y``."""
    if node.get("shape", "box") == "box":
        return y - node_size(node)[1] / 2
    return y - float(node.get("size", 11)) - float(node.get("borderWidth", 1))


def place_headings(net: ViewNetwork, groups: Mapping[str, Iterable[int]]) -> None:
    """Place each heading node of ``net`` over its group of columns, all on one row above every other node.

    Call it after :func:`column_layout`. A heading stands centred over the columns of its group (``level`` of
    the nodes in them), its bottom :data:`HEADING_GAP` above the highest node, in both layouts: ``x``/``y``
    (firms shown on a click) and ``xy_all`` (every firm shown, where the columns may be taller). The headings
    are fixed text, not laid out with the columns: :func:`column_layout` knows nothing of them.

    Parameters
    ----------
    net : ViewNetwork
        Laid out by :func:`column_layout`; the heading nodes are in it, without positions.
    groups : mapping
        Heading node id → the levels (columns) it stands over; a group without a column gets no place.

    Examples
    --------
    >>> net = ViewNetwork(kind="cluster", subject_id="c", title="c", api_path="")
    >>> for i, level in enumerate((0, 1, 2)):
    ...     net.add_view_node(f"s{i}", "环节", kind="segment", info={}, level=level)
    >>> column_layout(net, {})
    >>> net.add_view_node("up", "上游", kind="stage", info={}, shape="text")
    >>> net.add_view_node("down", "下游", kind="stage", info={}, shape="text")
    >>> place_headings(net, {"up": [0, 1], "down": [2]})
    >>> up, down, s0, s1 = (net.node_map[n] for n in ("up", "down", "s0", "s1"))
    >>> up["x"] == (s0["x"] + s1["x"]) / 2, down["x"] == net.node_map["s2"]["x"], up["y"] == down["y"] < s0["y"]
    (True, True, True)
    >>> up["xy_all"] == [up["x"], up["y"]]
    True
    """
    wanted = {h: {int(level) for level in levels} for h, levels in groups.items()}
    others = [n for n in net.nodes if n["id"] not in wanted]
    column_x: dict[int, list[float]] = defaultdict(list)
    for node in others:
        if "x" in node and "owner" not in node and "level" in node:
            column_x[int(node["level"])].append(float(node["x"]))
    tops = [_top(n, float(n["y"])) for n in others if "y" in n]
    tops_all = [_top(n, float(n["xy_all"][1])) for n in others if "xy_all" in n]
    for heading_id, levels in wanted.items():
        xs = [x for level in levels for x in column_x.get(level, [])]
        if not xs:
            continue
        node = net.node_map[heading_id]
        half = heading_size(node)[1] / 2
        x = round((min(xs) + max(xs)) / 2)
        node["x"], node["y"] = x, round(min(tops, default=0.0) - HEADING_GAP - half)
        node["xy_all"] = [x, round(min(tops_all or tops or [0.0]) - HEADING_GAP - half)]


SPREAD_PAD = 18
"""Space kept between two nodes' footprints (shape and label) in :func:`spread_layout`."""
SPREAD_STEPS = 300
SPREAD_GRAVITY = (1.0, 1.8)
"""How strongly every node is pulled to the centre (against the push between all nodes), across and down:
harder down, so that the layout is wider than high, as screens are."""


def scaled_sizes(net: ViewNetwork, low: float, high: float) -> dict[str, float]:
    """The radius vis-network draws each node at when ``nodes.scaling`` is ``{"min": low, "max": high}``.

    A node with a ``value`` is scaled linearly between the smallest and the largest value (the middle when
    they are equal), as vis-network 9.1.2 does; any other node keeps its ``size`` (vis-network's default 25).

    >>> net = ViewNetwork(kind="overview", subject_id=None, title="", api_path="")
    >>> net.add_view_node("a", "a", kind="cluster", info={}, value=10.0)
    >>> net.add_view_node("b", "b", kind="cluster", info={}, value=30.0)
    >>> net.add_view_node("c", "c", kind="cluster", info={}, size=18)
    >>> scaled_sizes(net, 18, 60)
    {'a': 18.0, 'b': 60.0, 'c': 18.0}
    """
    values = [float(n["value"]) for n in net.nodes if n.get("value") is not None]
    lowest, highest = (min(values), max(values)) if values else (0.0, 0.0)
    sizes = {}
    for node in net.nodes:
        if node.get("value") is None:
            sizes[node["id"]] = float(node.get("size", 25))
            continue
        ratio = 0.5 if highest == lowest else (float(node["value"]) - lowest) / (highest - lowest)
        sizes[node["id"]] = low + ratio * (high - low)
    return sizes


def _footprint(node: Mapping[str, Any], radius: float) -> tuple[float, float, float, float]:
    """(left, top, right, bottom) of a shape with its label below, around its centre, with :data:`SPREAD_PAD`."""
    width, height = node_size({**node, "size": radius})
    border = float(node.get("borderWidth", 1))
    half = width / 2 + border + SPREAD_PAD / 2
    return -half, -radius - border - SPREAD_PAD / 2, half, height - radius + SPREAD_PAD / 2


def _clashes(at: Mapping[str, list[float]], feet: Mapping[str, tuple[float, float, float, float]]) -> int:
    """Separate every pair of overlapping footprints once (along the shorter way out); return how many there were."""
    ids = list(at)
    found = 0
    for i, a in enumerate(ids):
        for b in ids[i + 1 :]:
            fa, fb = feet[a], feet[b]
            dx = min(at[a][0] + fa[2] - (at[b][0] + fb[0]), at[b][0] + fb[2] - (at[a][0] + fa[0]))
            dy = min(at[a][1] + fa[3] - (at[b][1] + fb[1]), at[b][1] + fb[3] - (at[a][1] + fa[1]))
            if dx <= 0 or dy <= 0:
                continue
            found += 1
            if dx <= dy:
                sign = 1.0 if at[a][0] <= at[b][0] else -1.0
                at[a][0] -= sign * (dx / 2 + 0.5)
                at[b][0] += sign * (dx / 2 + 0.5)
            else:
                sign = 1.0 if at[a][1] <= at[b][1] else -1.0
                at[a][1] -= sign * (dy / 2 + 0.5)
                at[b][1] += sign * (dy / 2 + 0.5)
    return found


def _grid(ids: list[str], feet: Mapping[str, tuple[float, float, float, float]]) -> dict[str, list[float]]:
    """Rows of footprints side by side: never two on one another (the fallback of :func:`spread_layout`)."""
    per_row = max(1, math.ceil(math.sqrt(len(ids) * 2)))
    at: dict[str, list[float]] = {}
    y = 0.0
    for start in range(0, len(ids), per_row):
        row = ids[start : start + per_row]
        x = 0.0
        for n in row:
            at[n] = [x - feet[n][0], y - min(feet[m][1] for m in row)]
            x += feet[n][2] - feet[n][0]
        y += max(feet[m][3] for m in row) - min(feet[m][1] for m in row)
    return at


def _forces(
    ids: list[str], links: list[tuple[str, str]], spring: float, gravity: tuple[float, float]
) -> dict[str, list[float]]:
    """A deterministic force layout: linked nodes pulled together, all pushed apart, all pulled to the centre.

    ``links`` is a list in a fixed order: summing the pulls in a set's order (which follows the string hash
    seed) moved nodes by a few pixels from one run to the next.
    """
    count = len(ids)
    at = {
        n: [spring * math.cos(2 * math.pi * i / max(count, 1)), spring * math.sin(2 * math.pi * i / max(count, 1))]
        for i, n in enumerate(ids)
    }
    heat = spring
    for _ in range(SPREAD_STEPS if count > 1 else 0):
        move = {n: [-gravity[0] * at[n][0], -gravity[1] * at[n][1]] for n in ids}
        for i, a in enumerate(ids):
            for b in ids[i + 1 :]:
                dx, dy = at[a][0] - at[b][0], at[a][1] - at[b][1]
                dist = max(math.hypot(dx, dy), 1.0)
                push = spring * spring / dist
                move[a][0] += dx / dist * push
                move[a][1] += dy / dist * push
                move[b][0] -= dx / dist * push
                move[b][1] -= dy / dist * push
        for a, b in links:
            dx, dy = at[a][0] - at[b][0], at[a][1] - at[b][1]
            dist = max(math.hypot(dx, dy), 1.0)
            pull = dist * dist / spring / 2
            move[a][0] -= dx / dist * pull
            move[a][1] -= dy / dist * pull
            move[b][0] += dx / dist * pull
            move[b][1] += dy / dist * pull
        for n in ids:
            length = max(math.hypot(*move[n]), 1e-9)
            step = min(length, heat)
            at[n][0] += move[n][0] / length * step
            at[n][1] += move[n][1] / length * step
        heat = max(heat * 0.97, 1.0)
    return at


def _box(at: Mapping[str, list[float]], feet: Mapping[str, tuple[float, float, float, float]]) -> list[float]:
    """[left, top, right, bottom] around the footprints of the nodes placed."""
    if not at:
        return [0.0, 0.0, 0.0, 0.0]
    return [
        min(at[n][0] + feet[n][0] for n in at),
        min(at[n][1] + feet[n][1] for n in at),
        max(at[n][0] + feet[n][2] for n in at),
        max(at[n][1] + feet[n][3] for n in at),
    ]


def _aside(
    at: dict[str, list[float]], loose: list[str], feet: Mapping[str, tuple[float, float, float, float]], wide: bool
) -> None:
    """Put the nodes without links in columns right of the rest (``wide``), or in rows under it, none on another."""
    left, top, right, bottom = _box(at, feet)
    sizes = {n: (feet[n][2] - feet[n][0], feet[n][3] - feet[n][1]) for n in loose}
    if wide:
        limit = max(bottom - top, max((h for _, h in sizes.values()), default=0.0))
        x, y, column = right, top, 0.0
        for n in loose:
            if y > top and y + sizes[n][1] > top + limit:
                x, y, column = x + column, top, 0.0
            at[n] = [x - feet[n][0], y - feet[n][1]]
            y += sizes[n][1]
            column = max(column, sizes[n][0])
    else:
        limit = max(right - left, max((w for w, _ in sizes.values()), default=0.0))
        x, y, row = left, bottom, 0.0
        for n in loose:
            if x > left and x + sizes[n][0] > left + limit:
                x, y, row = left, y + row, 0.0
            at[n] = [x - feet[n][0], y - feet[n][1]]
            x += sizes[n][0]
            row = max(row, sizes[n][1])


def spread_positions(
    net: ViewNetwork, sizes: Mapping[str, float], *, wide: bool = True, spring: float = 220.0
) -> dict[str, tuple[int, int]]:
    """Positions for the nodes of a small graph (shapes with their labels below) where no label lies on another
    label or on another node: for a screen wider than high (``wide``), or higher than wide.

    A deterministic force layout of the linked nodes (pulled together along links, pushed apart, pulled to
    the centre harder across the screen's short side) is followed by passes that move every two overlapping
    footprints (the shape, its label, :data:`SPREAD_PAD` around) apart, rows side by side being the fallback
    when passes do not end it. Nodes without links stand in columns right of the rest (``wide``) or in rows
    under it.

    Parameters
    ----------
    net : ViewNetwork
        Nodes are drawn as shapes with their label below them (``dot``, ``star``…).
    sizes : mapping
        Node id → the radius vis-network draws it at (see :func:`scaled_sizes`).
    wide : bool
        Lay out for a landscape screen (else a portrait one: a phone).
    spring : float
        The length linked nodes are pulled towards.

    Examples
    --------
    >>> net = ViewNetwork(kind="overview", subject_id=None, title="", api_path="")
    >>> for i in "abc":
    ...     net.add_view_node(i, "新能源汽车及汽车核心零部件", kind="cluster", info={}, shape="dot", size=18)
    >>> net.add_view_edge("a", "b")
    >>> at = spread_positions(net, {"a": 18, "b": 18, "c": 18})
    >>> at["c"][0] > max(at["a"][0], at["b"][0])  # c has no link: it stands right of the others
    True
    >>> tall = spread_positions(net, {"a": 18, "b": 18, "c": 18}, wide=False)
    >>> tall["c"][1] > max(tall["a"][1], tall["b"][1])  # or under them, on a phone
    True
    """
    feet = {n["id"]: _footprint(n, sizes[n["id"]]) for n in net.nodes}
    links = sorted({(e["from"], e["to"]) for e in net.edges if e["from"] != e["to"]})  # sorted: same layout each run
    linked = [n["id"] for n in net.nodes if any(n["id"] in link for link in links)]
    loose = [n["id"] for n in net.nodes if n["id"] not in linked]
    gravity = SPREAD_GRAVITY if wide else (SPREAD_GRAVITY[1], SPREAD_GRAVITY[0])
    at = _forces(linked, links, spring, gravity)
    for _ in range(500):
        if not _clashes(at, feet):
            break
    else:
        at = _grid(linked, feet)
    _aside(at, loose, feet, wide)
    return {n: (round(xy[0]), round(xy[1])) for n, xy in at.items()}


def spread_layout(net: ViewNetwork, sizes: Mapping[str, float], *, spring: float = 220.0) -> None:
    """Place the nodes by :func:`spread_positions` for a wide screen (``x``, ``y``) and for a tall one
    (``xy_tall``, which the page uses when its graph is higher than wide), and turn physics off.

    >>> net = ViewNetwork(kind="overview", subject_id=None, title="", api_path="")
    >>> net.add_view_node("a", "甲", kind="cluster", info={}, shape="dot", size=18)
    >>> spread_layout(net, {"a": 18})
    >>> net.node_map["a"]["xy_tall"] == [net.node_map["a"]["x"], net.node_map["a"]["y"]]
    True
    >>> net.options["physics"]["enabled"]
    False
    """
    wide = spread_positions(net, sizes, wide=True, spring=spring)
    tall = spread_positions(net, sizes, wide=False, spring=spring)
    for node in net.nodes:
        node["x"], node["y"] = wide[node["id"]]
        node["xy_tall"] = list(tall[node["id"]])
    net.options["layout"] = {"improvedLayout": False}
    net.options["physics"] = {"enabled": False}
