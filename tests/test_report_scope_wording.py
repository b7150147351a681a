"""The summary report words an output figure's scope by its direction: "仅 X" for a part of the cluster, the
views' "口径：X，宽于本集群" for more than the cluster.

It said "（仅 新能源产业整体，宽于本集群）" ("only the whole new-energy industry, wider than this cluster") for a
figure that covers more than the cluster. The figures below are test figures on the invented tiny chain
(``graph.fixtures``), with the fixture's own sources; the notes are worded as the bundled data words them.
"""

from __future__ import annotations

import html as htmllib
import re

from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Figure
from queries.figures import caveat, figure_scope
from reports.gather import summary_report
from reports.html import render_summary_report

WIDER_NOTE = "新能源 industry as a whole (PV, batteries, NEV), wider than this cluster"
DISTRICT_NOTE = "District figure: 武进区 only; wider than this cluster in products, narrower in area"


def _output_cell(note: str) -> tuple[str, Figure]:
    """The latest-output cell of t-nev's summary row, when its only output figure has ``note``."""
    dataset = tiny_chain()
    cluster = dataset.nodes["t-nev"]
    sources = cluster.figures[0].sources
    figure = Figure(year=2025, metric="output", value=10479, unit="亿元", sources=sources, note=note)
    dataset.nodes["t-nev"] = cluster.model_copy(update={"figures": (figure,)})
    page = render_summary_report(summary_report(MemoryStore(dataset))).html
    row = page.split('<tr id="cluster-t-nev">')[1].split("</tr>")[0]
    cell = row.split("<td>")[-1].split("</td>")[0]
    return htmllib.unescape(re.sub(r"<[^>]+>", "", cell)), figure


def test_a_figure_wider_than_the_cluster_is_named_as_its_wider_scope_not_as_only():
    cell, figure = _output_cell(WIDER_NOTE)
    assert cell.startswith("2025：10,479 亿元（口径：新能源产业整体，宽于本集群 wider scope）"), cell
    assert "仅" not in cell
    assert caveat(figure.model_dump()).startswith(
        f"口径：{figure_scope(figure.model_dump())}"
    )  # the views' words for it


def test_a_figure_for_part_of_the_cluster_still_says_only():
    cell, figure = _output_cell(DISTRICT_NOTE)
    assert cell.startswith("2025：10,479 亿元（仅 武进区）"), cell
    assert "口径" not in cell and "wider" not in cell
    assert caveat(figure.model_dump()).startswith("仅 武进区")  # the views call it partial too


def test_a_whole_cluster_figure_names_no_scope():
    cell, _ = _output_cell("")
    assert cell.startswith("2025：10,479 亿元"), cell
    assert "（仅" not in cell and "口径" not in cell
