"""The report's charts and chain diagram mark an unverified gap kind as its cards do (review 9, #2).

晶圆制造 ``ele-wafer-fab``'s 断链 rests only on supply links the data mark unverified (its gap's
``kinds_unverified``): the severity chart, the coverage chart and the chain diagram say ``断链（待核实）``,
as the cards and ``chainkg gaps`` do, and a kind on sourced links (锂电铜箔 in ``nev``) is not marked.
"""

from __future__ import annotations

import re
from pathlib import Path

from chainkg.cli import main
from graph.memory_store import MemoryStore
from queries.chain import chain
from queries.gaps import gaps
from reports.charts import coverage_chart, gap_short, severity_chart
from reports.diagram import chain_diagram

WAFER, SOURCED_BROKEN = "ele-wafer-fab", "nev-copper-foil"


def _bar_text(svg: str, label: str) -> str:
    """The value text after the bar whose label starts with ``label``."""
    for bar in re.findall(r'<g class="bar">(.*?)</g>', svg, re.S):
        texts = re.findall(r"<text[^>]*>([^<]*)</text>", bar)
        if texts and label in texts[0]:
            return texts[-1]
    raise AssertionError(f"no bar labelled {label!r}")


def test_gap_short_marks_only_an_unverified_kind() -> None:
    assert gap_short("broken_link", ["broken_link", "extension"]) == "断链（待核实）"
    assert gap_short("broken_link", []) == gap_short("broken_link", None) == "断链"
    assert gap_short("weak", ["broken_link"]) == "弱链"


def test_the_charts_mark_an_unverified_kind(bundled_store: MemoryStore) -> None:
    every = {g["segment_id"]: g for g in gaps(bundled_store)}
    assert every[WAFER]["kind"] == "broken_link" and "broken_link" in every[WAFER]["kinds_unverified"]
    assert every[SOURCED_BROKEN]["kind"] == "broken_link" and every[SOURCED_BROKEN]["kinds_unverified"] == []
    for cluster_id, sid, marked in (("electronics", WAFER, True), ("nev", SOURCED_BROKEN, False)):
        cluster_gaps = [g for g in gaps(bundled_store) if g["cluster_id"] == cluster_id]
        name = every[sid]["segment_name_zh"]
        severity = _bar_text(severity_chart(cluster_gaps), name)
        assert severity == f"{every[sid]['severity']:.3f} 断链" + ("（待核实）" if marked else ""), severity
        segments = chain(bundled_store, cluster_id)["segments"]
        coverage = _bar_text(coverage_chart(segments), name)
        assert coverage.endswith("断链（待核实）" if marked else "断链"), coverage


def test_the_chain_diagram_marks_an_unverified_kind(bundled_store: MemoryStore) -> None:
    for cluster_id, sid, marked in (("electronics", WAFER, True), ("nev", SOURCED_BROKEN, False)):
        svg = chain_diagram(chain(bundled_store, cluster_id), {sid: 1}).svg
        box = re.search(rf'<g class="seg [a-z]+" data-id="{sid}">(.*?)</g>', svg, re.S)
        assert box, sid
        title = re.search(r"<title>([^<]*)</title>", box.group(1))
        assert title and (" · 断链（待核实） · " in title.group(1)) == marked, title
        tag = re.findall(r"<text[^>]*>([^<]*)</text>", box.group(1))[-1]
        assert tag == ("断链（待核实） #1" if marked else "断链 #1"), tag


def test_chainkg_report_electronics_marks_the_wafer_gap(tmp_path: Path) -> None:
    out = tmp_path / "report.html"
    assert main(["report", "electronics", "-o", str(out)]) == 0
    html = out.read_text(encoding="utf-8")
    assert "断链（待核实） #1" in html  # the diagram's tag of the top gap
    assert re.search(r">\d\.\d{3} 断链（待核实）<", html)  # the severity chart
    assert not re.search(r">\d\.\d{3} 断链<", html) and "断链 #1<" not in html
