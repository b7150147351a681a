"""An invented dataset for the report tests: the tiny city plus hostile names and a mirrored source.

Like :func:`graph.fixtures.tiny_city`, everything here is invented and cites
sources that say so; none of it enters the bundled data. It adds, on top of
:func:`viz.fixtures.hostile_city` (a local firm named like an XSS payload):

- ``f-hostile-anchor``, a local anchor firm in ``t-vehicle`` named
  ``<script>alert(1)</script>``, citing a source that is a mirror;
- ``o-hostile``, an outside firm in the missing segment ``t-lithium`` (so a
  candidate for the most severe gap) with hostile name, HQ and tags, and an
  English name that looks like a spreadsheet formula.

Examples
--------
>>> ds = report_city()
>>> ds.nodes[HOSTILE_ANCHOR_ID].name_zh, ds.nodes["s-mirror"].reliability
('<script>alert(1)</script>', 'mirror')
"""

from __future__ import annotations

from graph.dataset import Dataset
from graph.model import Edge, EdgeKind, Firm, Role, Source
from viz.fixtures import hostile_city

HOSTILE_NAME = "<script>alert(1)</script>"
HOSTILE_ANCHOR_ID = "f-hostile-anchor"
HOSTILE_CANDIDATE_ID = "o-hostile"
FORMULA_NAME = '=HYPERLINK("http://example.invalid","x")'
"""An English name that a spreadsheet would run as a formula if it were written as one."""


def report_city() -> Dataset:
    """Return the hostile tiny city with a hostile anchor, a hostile candidate and a mirror source."""
    ds = hostile_city()
    ds.add_node(
        Source(
            id="s-mirror",
            name_zh="测试镜像来源 <i>mirror</i>",
            name_en="Test mirror",
            publisher="chainkg tests",
            date="2026-11-30",
            url="javascript:alert(4)",
            reliability="mirror",
            sources=(),
        )
    )
    ds.add_node(
        Firm(
            id=HOSTILE_ANCHOR_ID,
            name_zh=HOSTILE_NAME,
            name_en="<b>bold</b>",
            district_id="d-wujin",
            tags=("链主",),
            sources=("s-mirror",),
        )
    )
    ds.add_edge(
        Edge(
            kind=EdgeKind.OPERATES_IN,
            source=HOSTILE_ANCHOR_ID,
            target="t-vehicle",
            role=Role.ANCHOR,
            sources=("s-mirror",),
        )
    )
    ds.add_node(
        Firm(
            id=HOSTILE_CANDIDATE_ID,
            name_zh="<img src=x onerror=alert(5)>锂业",
            name_en=FORMULA_NAME,
            is_local=False,
            hq="<iframe src=//x>",
            tags=("listed", "<u>tag</u>"),
            sources=("s-hostile",),
        )
    )
    ds.add_edge(
        Edge(
            kind=EdgeKind.OPERATES_IN,
            source=HOSTILE_CANDIDATE_ID,
            target="t-lithium",
            role=Role.MAJOR,
            sources=("s-hostile",),
        )
    )
    return ds
