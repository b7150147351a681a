"""The static chain diagram: a cluster's segments in columns upstream → downstream, gaps marked, links drawn.

The layout is computed here from :func:`queries.chain.chain`: columns come from
:func:`viz.cluster.column_levels` (position first, then supply depth within the
position, as in the interactive view); within a column segments are ordered by
a few barycentre sweeps so that links cross less. Boxes are coloured by status:
green (strong, present), amber (weak), red with a dashed border (missing, so it
reads in black and white too); a gap carries its kind (缺链/弱链/断链/延链) and its
rank by severity (``#1`` is the most severe). Supply links inside the cluster
are drawn as arrows; links that run backwards (e.g. recycling → materials) are
dashed lines routed through the gaps between columns and below them. Support
segments (R&D, testing) sit in a band below, each naming the segments it
supplies. Every label is escaped.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> from queries.chain import chain
>>> d = chain_diagram(chain(MemoryStore(tiny_chain()), "t-nev"), {"t-lithium": 1, "t-cathode": 2})
>>> [d.boxes[s].column for s in ("t-lithium", "t-cathode", "t-cell", "t-vehicle")]
[0, 1, 2, 4]
>>> d.boxes["t-lithium"].x < d.boxes["t-cathode"].x < d.boxes["t-cell"].x
True
>>> d.svg.count('class="seg '), d.svg.count('class="link'), "缺链 #1" in d.svg
(7, 6, True)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from queries.presence import STATUS_NAMES_ZH
from reports.charts import gap_short
from reports.labels import POSITION_LABELS, STATUS_FILL, STATUS_STROKE
from reports.svg import esc, num, rect, svg_open, text, text_width, wrap
from viz.cluster import column_levels

WIDTH = 680.0
"""Drawing width in CSS pixels: the text width of an A4 page with 15 mm margins."""
HEADER = 34.0
BOX_H = 46.0
ROW_GAP = 10.0
LANE = 12.0
LEGEND_H = 26.0


@dataclass(frozen=True)
class Box:
    """Where one segment is drawn."""

    column: int
    row: int
    x: float
    y: float
    w: float
    h: float

    @property
    def mid_y(self) -> float:
        return self.y + self.h / 2


@dataclass(frozen=True)
class ChainDiagram:
    """The SVG and the computed box of each segment (for tests and for anyone placing more on it)."""

    svg: str
    boxes: dict[str, Box]
    width: float
    height: float


def _columns(segments: list[dict[str, Any]], links: list[dict[str, Any]]) -> list[list[str]]:
    """Segments by column, ordered by barycentre sweeps (two forwards, two backwards, alternating)."""
    levels = column_levels(segments, links)
    count = max(levels.values(), default=-1) + 1
    cols: list[list[str]] = [[] for _ in range(count)]
    for seg in segments:
        cols[levels[seg["id"]]].append(seg["id"])
    preds: dict[str, list[str]] = defaultdict(list)
    succs: dict[str, list[str]] = defaultdict(list)
    for link in links:
        if levels.get(link["source"], 0) < levels.get(link["target"], 0):
            preds[link["target"]].append(link["source"])
            succs[link["source"]].append(link["target"])

    def centred(sid: str) -> float:
        col = cols[levels[sid]]
        return col.index(sid) - (len(col) - 1) / 2

    for sweep in range(4):
        forward = sweep % 2 == 0
        order = range(1, count) if forward else range(count - 2, -1, -1)
        for c in order:
            neighbours = preds if forward else succs
            keys: dict[str, tuple[float, float]] = {}
            for i, sid in enumerate(cols[c]):
                near = [centred(n) for n in neighbours[sid]]
                here = i - (len(cols[c]) - 1) / 2
                keys[sid] = (sum(near) / len(near) if near else here, here)
            cols[c].sort(key=keys.__getitem__)
    return cols


def _position_bands(segments: list[dict[str, Any]], cols: list[list[str]]) -> list[tuple[int, int, str]]:
    """Runs of adjacent columns that hold one position: ``(first column, last column, position)``."""
    position = {s["id"]: s["position"] for s in segments}
    bands: list[tuple[int, int, str]] = []
    for c, col in enumerate(cols):
        pos = position[col[0]] if col else ""
        if bands and bands[-1][2] == pos:
            bands[-1] = (bands[-1][0], c, pos)
        else:
            bands.append((c, c, pos))
    return bands


def _box_svg(seg: dict[str, Any], box: Box, rank: int | None, font: float) -> str:
    status = seg["status"]
    kind = seg.get("gap_kind")
    unsure = seg.get("gap_kinds_unverified") or []  # kinds resting only on unverified supply links
    dashed = ' stroke-dasharray="4 2"' if status == "missing" else ""
    lines = wrap(seg["name_zh"], box.w - 8, font, max_lines=2)
    title = seg["name_zh"] + (f" ({seg['name_en']})" if seg.get("name_en") else "")
    if kind:
        title += f" · {gap_short(kind, unsure)} · 严重度 {seg.get('severity') or 0:.3f}"
    parts = [
        f'<g class="seg {esc(status)}" data-id="{esc(seg["id"])}"><title>{esc(title)}</title>',
        rect(box.x, box.y, box.w, box.h, rx=4, fill=STATUS_FILL[status], stroke=STATUS_STROKE[status]).replace(
            "/>", f' stroke-width="{1.6 if kind else 1}"{dashed}/>'
        ),
    ]
    top = box.y + 4 + font
    for i, line in enumerate(lines):
        parts.append(text(box.x + 4, top + i * (font + 2), line, size=font, fill="#1a1a1a"))
    small = font - 1.5
    base = box.y + box.h - 4
    anchors = len(seg.get("anchor_firms") or [])
    tag = f"{gap_short(kind, unsure)} #{rank}" if kind and rank else STATUS_NAMES_ZH.get(status, status)
    info = f"本地{seg['local_firm_count']}家" + (f" ★{anchors}" if anchors else "")
    if text_width(info, small) + text_width(tag, small) > box.w - 12:
        info = f"{seg['local_firm_count']}家" + (f" ★{anchors}" if anchors else "")
    parts.append(text(box.x + 4, base, info, size=small, fill="#444"))
    colour = STATUS_STROKE[status] if kind else "#3d6b35"
    parts.append(text(box.x + box.w - 4, base, tag, size=small, anchor="end", fill=colour, font_weight="bold"))
    parts.append("</g>")
    return "".join(parts)


def _legend(y: float) -> str:
    items = [
        ("strong", "强链 Strong"),
        ("present", "一般 Present"),
        ("weak", "弱链 Weak"),
        ("missing", "缺链 Missing (断链/延链 also)"),
    ]
    out = ['<g class="legend">']
    x = 2.0
    for status, label in items:
        dashed = ' stroke-dasharray="4 2"' if status == "missing" else ""
        out.append(
            rect(x, y + 6, 18, 11, rx=2, fill=STATUS_FILL[status], stroke=STATUS_STROKE[status]).replace(
                "/>", f"{dashed}/>"
            )
        )
        out.append(text(x + 22, y + 15.5, label, size=9, fill="#333"))
        x += 22 + len(label) * 6.2 + 10
    out.append(text(WIDTH - 2, y + 15.5, "→ 供应 supplies · #n 严重度排名 · ★ 链主", size=9, anchor="end", fill="#333"))
    out.append("</g>")
    return "".join(out)


def _ports(boxes: dict[str, Box], links: list[dict[str, Any]]) -> dict[tuple[str, str], tuple[float, float]]:
    """Where each forward link leaves its source and enters its target: spread along the box edges by the
    other end's height, so arrows into one box do not pile up on one point."""
    outgoing: dict[str, list[dict[str, Any]]] = defaultdict(list)
    incoming: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for lk in links:
        outgoing[lk["source"]].append(lk)
        incoming[lk["target"]].append(lk)
    start: dict[tuple[str, str], float] = {}
    end: dict[tuple[str, str], float] = {}
    for sid, items in outgoing.items():
        box = boxes[sid]
        items.sort(key=lambda lk: (boxes[lk["target"]].mid_y, boxes[lk["target"]].x))
        for i, lk in enumerate(items):
            start[(lk["source"], lk["target"])] = box.y + 6 + (box.h - 12) * (i + 1) / (len(items) + 1)
    for sid, items in incoming.items():
        box = boxes[sid]
        items.sort(key=lambda lk: (boxes[lk["source"]].mid_y, -boxes[lk["source"]].x))
        for i, lk in enumerate(items):
            end[(lk["source"], lk["target"])] = box.y + 6 + (box.h - 12) * (i + 1) / (len(items) + 1)
    return {key: (start[key], end[key]) for key in start}


def _support_band(
    support: list[dict[str, Any]], links: list[dict[str, Any]], names: dict[str, str], top: float
) -> tuple[list[str], dict[str, Box], float]:
    """Support segments (R&D, testing, services) in a band under the columns, each naming what it supplies."""
    if not support:
        return [], {}, 0.0
    parts = [
        f'<line x1="4" y1="{num(top + 6)}" x2="{num(WIDTH - 4)}" y2="{num(top + 6)}" stroke="#9aa5b1" '
        'stroke-width="2"/>',
        text(
            4, top + 20, "支撑 Support（服务全链 serve the whole chain）", size=11, fill="#2b3a4a", font_weight="bold"
        ),
    ]
    per_row = 3
    slot = WIDTH / per_row
    boxes: dict[str, Box] = {}
    for i, seg in enumerate(support):
        row, col = divmod(i, per_row)
        box = Box(-1, row, col * slot + 4, top + 28 + row * (BOX_H + ROW_GAP), 104.0, BOX_H)
        boxes[seg["id"]] = box
        targets = [names[lk["target"]] for lk in links if lk["source"] == seg["id"] and lk["target"] in names]
        if targets:
            lines = wrap("→ 供应 " + "、".join(targets), slot - box.w - 14, 8.5, max_lines=3)
            for j, line in enumerate(lines):
                parts.append(text(box.x + box.w + 6, box.y + 12 + j * 11, line, size=8.5, fill="#444"))
    rows = (len(support) + per_row - 1) // per_row
    return parts, boxes, 28 + rows * (BOX_H + ROW_GAP)


def chain_diagram(chain: dict[str, Any], gap_ranks: dict[str, int]) -> ChainDiagram:
    """Lay out and draw a cluster's chain.

    Parameters
    ----------
    chain : dict
        The answer of :func:`queries.chain.chain`.
    gap_ranks : dict
        Segment id → rank of its gap by severity (1 = most severe).
    """
    by_id = {s["id"]: s for s in chain["segments"]}
    support = [s for s in chain["segments"] if s["position"] == "support"]
    segments = [s for s in chain["segments"] if s["position"] != "support"] or support
    if segments is support:
        support = []
    placed = {s["id"] for s in segments}
    own = [lk for lk in chain["links"] if lk["source"] in placed and lk["target"] in placed]
    cols = _columns(segments, own)
    ncol = max(len(cols), 1)
    col_w = WIDTH / ncol
    gutter = min(30.0, max(14.0, col_w * 0.2))
    box_w = min(col_w - gutter, 150.0)
    font = 10.0 if box_w >= 78 else 9.0
    tallest = max((len(c) for c in cols), default=0)
    body_h = tallest * BOX_H + max(tallest - 1, 0) * ROW_GAP
    boxes: dict[str, Box] = {}
    for c, col in enumerate(cols):
        col_h = len(col) * BOX_H + max(len(col) - 1, 0) * ROW_GAP
        top = HEADER + (body_h - col_h) / 2
        for r, sid in enumerate(col):
            x = c * col_w + (col_w - box_w) / 2
            boxes[sid] = Box(c, r, x, top + r * (BOX_H + ROW_GAP), box_w, BOX_H)
    forward = [lk for lk in own if boxes[lk["source"]].column < boxes[lk["target"]].column]
    backward = [lk for lk in own if boxes[lk["source"]].column >= boxes[lk["target"]].column]
    lanes_h = len(backward) * LANE + (8 if backward else 0)
    names = {s["id"]: s["name_zh"] for s in segments}
    band, band_boxes, band_h = _support_band(support, chain["links"], names, HEADER + body_h + lanes_h + 4)
    height = HEADER + body_h + lanes_h + band_h + LEGEND_H + 10
    parts = [
        svg_open(WIDTH, height, f"{chain['cluster']['name_zh']} 产业链图 chain diagram", "chain-diagram"),
        '<defs><marker id="chain-arrow" viewBox="0 0 8 8" refX="7.5" refY="4" markerWidth="6" markerHeight="6" '
        'orient="auto"><path d="M0,0 L8,4 L0,8 z" fill="#6f6f6f"/></marker></defs>',
    ]
    for first, last, position in _position_bands(segments, cols):
        x1, x2 = first * col_w + 4, (last + 1) * col_w - 4
        parts.append(
            f'<line x1="{num(x1)}" y1="22" x2="{num(x2)}" y2="22" stroke="#9aa5b1" stroke-width="2"/>'
            + text(
                (x1 + x2) / 2,
                15,
                POSITION_LABELS.get(position, position),
                size=11,
                anchor="middle",
                fill="#2b3a4a",
                font_weight="bold",
            )
        )
    ports = _ports(boxes, forward)
    for lk in forward:
        a, b = boxes[lk["source"]], boxes[lk["target"]]
        y1, y2 = ports[(lk["source"], lk["target"])]
        x1, x2 = a.x + a.w, b.x - 1
        dx = max((x2 - x1) / 2, 8)
        dashed = ' stroke-dasharray="3 2"' if lk.get("confidence") == "unverified" else ""
        parts.append(
            f'<path class="link" d="M{num(x1)},{num(y1)} C{num(x1 + dx)},{num(y1)} {num(x2 - dx)},{num(y2)} '
            f'{num(x2)},{num(y2)}" fill="none" stroke="#8c8c8c" stroke-width="0.9" marker-end="url(#chain-arrow)"'
            f"{dashed}/>"
        )
    lane_top = HEADER + body_h + 8
    for i, lk in enumerate(backward):
        a, b = boxes[lk["source"]], boxes[lk["target"]]
        y = lane_top + i * LANE
        gx_a = a.x + a.w + (col_w - box_w) / 2 - 2 - i * 2
        gx_b = b.x - (col_w - box_w) / 2 + 2 + i * 2
        parts.append(
            f'<path class="link back" d="M{num(a.x + a.w)},{num(a.mid_y)} L{num(gx_a)},{num(a.mid_y)} '
            f'L{num(gx_a)},{num(y)} L{num(gx_b)},{num(y)} L{num(gx_b)},{num(b.mid_y)} L{num(b.x - 1)},{num(b.mid_y)}" '
            'fill="none" stroke="#8c8c8c" stroke-width="0.9" stroke-dasharray="4 3" marker-end="url(#chain-arrow)"/>'
        )
    for sid, box in boxes.items():
        parts.append(_box_svg(by_id[sid], box, gap_ranks.get(sid), font))
    parts += band
    for sid, box in band_boxes.items():
        parts.append(_box_svg(by_id[sid], box, gap_ranks.get(sid), 10.0))
    parts.append(_legend(height - LEGEND_H - 2))
    parts.append("</svg>")
    return ChainDiagram(svg="".join(parts), boxes={**boxes, **band_boxes}, width=WIDTH, height=height)
