"""Horizontal bar charts drawn as SVG in Python: segment coverage, gap severity and cluster health.

No JavaScript and no chart library: each chart is a list of :class:`Bar` rows
turned into ``<rect>`` and ``<text>`` elements, with an axis and a legend.
Every label is escaped.

Examples
--------
>>> svg = bar_chart([Bar("<b>电芯</b>", [(0.5, "#f00", "D")], "0.500")], scale_max=1.0, label="demo")
>>> "&lt;b&gt;电芯&lt;/b&gt;" in svg, svg.count('class="bar"')
(True, 1)
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> from queries.chain import chain
>>> coverage_chart(chain(MemoryStore(tiny_chain()), "t-nev")["segments"]).count('class="bar"')
7
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from reports.labels import (
    GAP_SHORT,
    HEALTH_COLOURS,
    HEALTH_LABELS,
    SEVERITY_COLOURS,
    SEVERITY_LABELS,
    STATUS_FILL,
    STATUS_LABELS,
    STATUS_STROKE,
)
from reports.svg import esc, num, rect, svg_open, text, text_width, truncate

WIDTH = 680.0
ROW_H = 16.0
BAR_H = 11.0
AXIS_H = 22.0
LEGEND_H = 20.0


@dataclass(frozen=True)
class Bar:
    """One row: a label, stacked parts ``(value, colour, part name)``, the text after the bar."""

    label: str
    parts: Sequence[tuple[float, str, str]]
    value_text: str
    value_colour: str = "#222"
    title: str = ""
    stroke: str = ""
    group: str = field(default="")


def _ticks(scale_max: float, integer: bool = False) -> list[float]:
    """Up to six round tick values from 0 to ``scale_max`` (whole numbers only with ``integer``).

    >>> _ticks(1.0), _ticks(9, integer=True), _ticks(2, integer=True)
    ([0.0, 0.2, 0.4, 0.6, 0.8, 1.0], [0.0, 2.0, 4.0, 6.0, 8.0], [0.0, 1.0, 2.0])
    """
    raw = scale_max / 5
    power = 10 ** math.floor(math.log10(raw)) if raw > 0 else 1
    step = float(next(m * power for m in (1, 2, 2.5, 5, 10) if m * power >= raw))
    if integer:
        step = float(max(1, math.ceil(step)))
    count = int(scale_max / step + 1e-9)
    return [round(i * step, 6) for i in range(count + 1)]


def bar_chart(
    bars: Sequence[Bar],
    *,
    scale_max: float,
    label: str,
    label_width: float = 170.0,
    legend: Sequence[tuple[str, str]] = (),
    tick_format: str = "{:g}",
    integer: bool = False,
    css_class: str = "chart",
) -> str:
    """Draw ``bars`` as horizontal (stacked) bars scaled to ``scale_max``, with an axis and a legend."""
    # room after the bars for the longest value text (a marked kind such as 断链（待核实） is wider)
    value_room = max([70.0, *(text_width(bar.value_text, 9) + 8 for bar in bars)])
    x0 = label_width + 6
    plot_w = WIDTH - x0 - value_room
    height = AXIS_H + len(bars) * ROW_H + 6 + (LEGEND_H if legend else 0)
    scale = plot_w / scale_max if scale_max > 0 else 0.0
    out = [svg_open(WIDTH, height, label, css_class)]
    for tick in _ticks(scale_max, integer) if scale_max > 0 else [0.0]:
        x = x0 + tick * scale
        out.append(
            f'<line x1="{num(x)}" y1="{num(AXIS_H - 4)}" x2="{num(x)}" y2="{num(AXIS_H + len(bars) * ROW_H)}" '
            'stroke="#e3e3e3" stroke-width="1"/>'
        )
        out.append(text(x, AXIS_H - 8, tick_format.format(tick), size=8.5, anchor="middle", fill="#666"))
    for i, bar in enumerate(bars):
        y = AXIS_H + i * ROW_H
        out.append(f'<g class="bar">{f"<title>{esc(bar.title)}</title>" if bar.title else ""}')
        out.append(
            text(label_width, y + 11.5, truncate(bar.label, label_width, 9.5), size=9.5, anchor="end", fill="#222")
        )
        x = x0
        for value, colour, _name in bar.parts:
            w = max(value, 0.0) * scale
            if w > 0:
                extra = {"stroke": bar.stroke, "stroke_width": 0.8} if bar.stroke else {}
                out.append(rect(x, y + (ROW_H - BAR_H) / 2, w, BAR_H, fill=colour, **extra))
            x += w
        out.append(text(x + 4, y + 11.5, bar.value_text, size=9, fill=bar.value_colour))
        out.append("</g>")
    if legend:
        ly = height - LEGEND_H + 4
        widths = [16 + sum(1.0 if ord(c) > 0x2E7F else 0.56 for c in name) * 9 + 14 for name, _ in legend]
        lx = max(0.0, min(x0, WIDTH - sum(widths) + 14))  # under the bars, moved left when it would not fit
        for (name, colour), w in zip(legend, widths, strict=True):
            out.append(rect(lx, ly + 2, 12, 9, fill=colour))
            out.append(text(lx + 16, ly + 10, name, size=9, fill="#333"))
            lx += w
    out.append("</svg>")
    return "".join(out)


def gap_short(kind: str, unverified: Sequence[str] | None = ()) -> str:
    """A gap kind's short Chinese name, marked （待核实） when it is among the gap's ``kinds_unverified``.

    The report's cards and ``chainkg gaps`` mark a kind that rests only on supply links the data mark
    unverified; the charts and the chain diagram say it the same way.

    >>> gap_short("broken_link"), gap_short("broken_link", ["broken_link"]), gap_short("extension", ["broken_link"])
    ('断链', '断链（待核实）', '延链')
    """
    return GAP_SHORT.get(kind, kind) + ("（待核实）" if kind in (unverified or ()) else "")


def coverage_chart(segments: Sequence[dict[str, Any]]) -> str:
    """Local firms per segment (sub-segments included), in chain order, coloured by status."""
    bars = []
    for seg in segments:
        status = seg["status"]
        count = int(seg["local_firm_count"])
        kind = seg.get("gap_kind")
        value_text = f"{count}" + (f" {gap_short(kind, seg.get('gap_kinds_unverified'))}" if kind else "")
        bars.append(
            Bar(
                label=seg["name_zh"],
                parts=[(count, STATUS_FILL[status], status)],
                value_text=value_text,
                value_colour=STATUS_STROKE[status] if kind else "#222",
                stroke=STATUS_STROKE[status],
                title=f"{seg['name_zh']} {seg.get('name_en') or ''}: {count}",
            )
        )
    top = max((int(s["local_firm_count"]) for s in segments), default=0)
    return bar_chart(
        bars,
        scale_max=max(top, 1),
        label="各环节本地企业数 Local firms per segment",
        legend=[(STATUS_LABELS[s], STATUS_FILL[s]) for s in ("strong", "present", "weak", "missing")],
        integer=True,
        css_class="chart coverage-chart",
    )


def severity_chart(gap_items: Sequence[dict[str, Any]]) -> str:
    """The gaps ranked by severity, each bar split into its weighted parts (they add up to the severity)."""
    bars = []
    for rank, gap in enumerate(gap_items, start=1):
        weighted = gap["components"].get("weighted", {})
        parts = [(float(weighted.get(k, 0.0)), SEVERITY_COLOURS[k], k) for k in SEVERITY_LABELS]
        bars.append(
            Bar(
                label=f"{rank}. {gap['segment_name_zh']}",
                parts=parts,
                value_text=f"{gap['severity']:.3f} {gap_short(gap['kind'], gap.get('kinds_unverified'))}",
                title=gap.get("explanation_zh", ""),
            )
        )
    return bar_chart(
        bars,
        scale_max=1.0,
        label="缺口严重度排名 Gaps ranked by severity",
        legend=[(SEVERITY_LABELS[k], SEVERITY_COLOURS[k]) for k in SEVERITY_LABELS],
        css_class="chart severity-chart",
    )


def health_chart(ranking: Sequence[dict[str, Any]]) -> str:
    """Clusters ranked by health, each bar split into its weighted components."""
    bars = []
    for item in ranking:
        parts = [(float(item["weighted"].get(k, 0.0)), HEALTH_COLOURS[k], k) for k in HEALTH_LABELS]
        bars.append(
            Bar(
                label=f"{item['rank']}. {item['name_zh']}",
                parts=parts,
                value_text=f"{item['score']:.3f}",
                title=item.get("name_en", ""),
            )
        )
    return bar_chart(
        bars,
        scale_max=1.0,
        label="集群健康度排名 Clusters ranked by health",
        legend=[(HEALTH_LABELS[k], HEALTH_COLOURS[k]) for k in HEALTH_LABELS],
        css_class="chart health-chart",
    )
