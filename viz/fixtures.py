"""Invented datasets for the view tests and benchmarks: a large synthetic cluster and a hostile firm name.

Like :func:`graph.fixtures.tiny_chain`, everything here cites the source
``s-synthetic``, which says it is invented; none of it enters the bundled data.

Examples
--------
>>> ds = synthetic_cluster(segments=4, firms=10)
>>> ds.counts()["nodes"]["Segment"], ds.counts()["nodes"]["Firm"]
(4, 10)
>>> hostile_city().nodes[HOSTILE_FIRM_ID].name_zh
'<img src=x onerror=alert(1)>'
"""

from __future__ import annotations

from graph.dataset import Dataset
from graph.fixtures import tiny_city
from graph.model import Cluster, Edge, EdgeKind, Firm, Position, Role, Segment, Source

S = ("s-synthetic",)
HOSTILE_NAME = "<img src=x onerror=alert(1)>"
HOSTILE_FIRM_ID = "f-hostile"
POSITIONS = (Position.UPSTREAM, Position.MIDSTREAM, Position.DOWNSTREAM)


def _source() -> Source:
    return Source(
        id="s-synthetic",
        name_zh="合成测试数据",
        name_en="Synthetic test data",
        publisher="chainkg tests",
        date="2026-11-29",
        reliability="research",
        sources=(),
    )


def synthetic_cluster(segments: int = 40, firms: int = 960, cluster_id: str = "syn") -> Dataset:
    """One cluster with ``segments`` chained segments and ``firms`` firms spread over them.

    Segment ``i`` supplies segment ``i + 1``; positions cycle through upstream,
    midstream and downstream in equal thirds. Every segment but the first two
    has firms; every tenth firm is an outside firm, every fiftieth an anchor.
    """
    ds = Dataset()
    ds.add_node(_source())
    ds.add_node(Cluster(id=cluster_id, name_zh="合成集群", name_en="Synthetic cluster", sources=S))
    seg_ids = []
    for i in range(segments):
        sid = f"{cluster_id}-s{i:03d}"
        seg_ids.append(sid)
        position = POSITIONS[min(2, i * 3 // max(segments, 1))]
        ds.add_node(
            Segment(
                id=sid,
                name_zh=f"合成环节{i}",
                name_en=f"Segment {i}",
                cluster_id=cluster_id,
                position=position,
                sources=S,
            )
        )
        ds.add_edge(Edge(kind=EdgeKind.PART_OF, source=sid, target=cluster_id, sources=S))
        if i:
            ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source=seg_ids[i - 1], target=sid, sources=S))
    homes = seg_ids[2:] or seg_ids
    for j in range(firms):
        fid = f"{cluster_id}-f{j:05d}"
        ds.add_node(Firm(id=fid, name_zh=f"合成企业{j}", is_local=j % 10 != 9, sources=S))
        role = Role.ANCHOR if j % 50 == 0 else (Role.MAJOR if j % 7 == 0 else Role.MEMBER)
        ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source=fid, target=homes[j % len(homes)], role=role, sources=S))
    return ds


def hub_firm(customers: int = 999) -> Dataset:
    """A tiny synthetic cluster plus firm ``hub`` supplying ``customers`` other firms (a big firm view).

    >>> hub_firm(5).counts()["edges"]["SUPPLIES_TO"]
    5
    """
    ds = synthetic_cluster(segments=3, firms=1)
    ds.add_node(Firm(id="hub", name_zh="合成枢纽企业", sources=S))
    ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source="hub", target="syn-s002", role=Role.MAJOR, sources=S))
    for i in range(customers):
        fid = f"cust-{i:05d}"
        ds.add_node(Firm(id=fid, name_zh=f"合成客户{i}", sources=S))
        ds.add_edge(Edge(kind=EdgeKind.SUPPLIES_TO, source="hub", target=fid, sources=S))
    return ds


def hostile_city() -> Dataset:
    """The tiny city plus a local firm in ``t-cell`` named like an XSS payload, citing a hostile source title."""
    ds = tiny_city()
    ds.add_node(
        Source(
            id="s-hostile",
            name_zh="<script>alert('src')</script>",
            publisher="<b>x</b>",
            date="2026",
            reliability="weak",
            sources=(),
        )
    )
    ds.add_node(
        Firm(
            id=HOSTILE_FIRM_ID,
            name_zh=HOSTILE_NAME,
            name_en='"><svg onload=alert(2)>',
            aliases=("</script><script>alert(3)</script>",),
            district_id="d-wujin",
            sources=("s-hostile",),
        )
    )
    ds.add_edge(
        Edge(
            kind=EdgeKind.OPERATES_IN, source=HOSTILE_FIRM_ID, target="t-cell", role=Role.MEMBER, sources=("s-hostile",)
        )
    )
    return ds
