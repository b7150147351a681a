"""A tiny, hand-checkable battery chain used by docstrings and unit tests.

The chain (cluster ``t-nev``)::

    t-lithium ─▶ t-cathode ─▶ t-cell ─▶ t-pack ─▶ t-vehicle ─▶ t-recycling
                 t-anode  ───▶

Local firms: three in ``t-cell`` (one anchor), two in ``t-anode``, one in
``t-cathode``, one in ``t-pack``, one anchor in ``t-vehicle``. Nothing local
in ``t-lithium`` or ``t-recycling``. Outside firms operate in ``t-lithium``
(two), ``t-recycling`` (one, which supplies the local cell anchor) and
``t-cathode`` (one).

The data here are invented for tests and carry the source ``s-tiny``, which
says so; they never enter the bundled dataset.

Examples
--------
>>> ds = tiny_chain()
>>> sorted(n.id for n in ds.of_kind("Segment"))[:3]
['t-anode', 't-cathode', 't-cell']
"""

from __future__ import annotations

from graph.dataset import Dataset
from graph.model import Cluster, District, Edge, EdgeKind, Figure, Firm, Listing, Position, Role, Segment, Source

S = ("s-tiny",)


def _seg(sid: str, zh: str, en: str, pos: str) -> Segment:
    return Segment(id=sid, name_zh=zh, name_en=en, cluster_id="t-nev", position=Position(pos), sources=S)


def _firm(
    fid: str,
    zh: str,
    *,
    local: bool = True,
    district: str = "",
    tags: tuple[str, ...] = (),
    aliases: tuple[str, ...] = (),
    en: str = "",
) -> Firm:
    return Firm(
        id=fid, name_zh=zh, name_en=en, is_local=local, district_id=district, tags=tags, aliases=aliases, sources=S
    )


def tiny_chain() -> Dataset:
    """Return the tiny test chain as a fresh :class:`~graph.dataset.Dataset`."""
    ds = Dataset()
    ds.add_node(
        Source(
            id="s-tiny",
            name_zh="测试用虚构数据",
            name_en="Invented test data",
            publisher="chainkg tests",
            date="2026-11-29",
            reliability="research",
            sources=(),
        )
    )
    ds.add_node(
        Cluster(
            id="t-nev",
            name_zh="测试新能源汽车",
            name_en="Test NEV",
            sources=S,
            listings=(Listing(list_year=2022, name_as_published="测试新能源汽车集群", sources=S),),
            figures=(Figure(year=2021, metric="output", value=1300, unit="亿元", qualifier=">", sources=S),),
        )
    )
    for d, zh, en in (("d-wujin", "武进区", "Wujin"), ("d-liyang", "溧阳市", "Liyang")):
        ds.add_node(District(id=d, name_zh=zh, name_en=en, sources=S))
    segments = [
        _seg("t-lithium", "锂盐", "Lithium salts", "upstream"),
        _seg("t-cathode", "正极材料", "Cathode", "upstream"),
        _seg("t-anode", "负极材料", "Anode", "upstream"),
        _seg("t-cell", "电芯", "Battery cells", "midstream"),
        _seg("t-pack", "电池包", "Battery packs", "midstream"),
        _seg("t-vehicle", "整车", "Vehicles", "downstream"),
        _seg("t-recycling", "电池回收", "Battery recycling", "downstream"),
    ]
    for seg in segments:
        ds.add_node(seg)
        ds.add_edge(Edge(kind=EdgeKind.PART_OF, source=seg.id, target="t-nev", sources=S))
    for a, b in (
        ("t-lithium", "t-cathode"),
        ("t-cathode", "t-cell"),
        ("t-anode", "t-cell"),
        ("t-cell", "t-pack"),
        ("t-pack", "t-vehicle"),
        ("t-vehicle", "t-recycling"),
    ):
        ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source=a, target=b, sources=S))
    firms = [
        (
            _firm(
                "f-cell-a", "甲电池", district="d-liyang", tags=("链主", "listed"), aliases=("JiaCell",), en="Jia Cell"
            ),
            "t-cell",
            "anchor",
        ),
        (_firm("f-cell-b", "乙电池", district="d-liyang"), "t-cell", "major"),
        (_firm("f-cell-c", "丙电池", district="d-wujin"), "t-cell", "member"),
        (_firm("f-anode-a", "甲负极", district="d-wujin"), "t-anode", "major"),
        (_firm("f-anode-b", "乙负极", district="d-liyang"), "t-anode", "member"),
        (_firm("f-cathode-a", "甲正极", district="d-wujin"), "t-cathode", "member"),
        (_firm("f-pack-a", "甲电池包", district="d-wujin"), "t-pack", "major"),
        (_firm("f-veh-a", "甲汽车", district="d-wujin", tags=("链主",)), "t-vehicle", "anchor"),
        (
            _firm("o-lith-a", "外锂甲", local=False, tags=("listed", "单项冠军"), en="Outer Lithium A"),
            "t-lithium",
            "major",
        ),
        (_firm("o-lith-b", "外锂乙", local=False), "t-lithium", "member"),
        (_firm("o-recy-a", "外回收甲", local=False, tags=("listed",)), "t-recycling", "major"),
        (_firm("o-cath-a", "外正极甲", local=False, tags=("listed",)), "t-cathode", "major"),
    ]
    for firm, seg_id, role in firms:
        ds.add_node(firm)
        ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source=firm.id, target=seg_id, role=Role(role), sources=S))
        if firm.district_id:
            ds.add_edge(Edge(kind=EdgeKind.LOCATED_IN, source=firm.id, target=firm.district_id, sources=S))
    ds.add_edge(Edge(kind=EdgeKind.SUPPLIES_TO, source="o-recy-a", target="f-cell-a", sources=S))
    ds.add_edge(Edge(kind=EdgeKind.SUBSIDIARY_OF, source="f-cell-b", target="f-cell-a", sources=S))
    return ds


def tiny_city() -> Dataset:
    """Return the tiny chain plus a second tiny cluster, energy storage (``t-ess``).

    It adds cross-cluster supply, a broken link, an extension, a firm in two
    clusters and outside firms with co-occurrence for the candidate scores::

        t-ess-bms ─▶ t-ess-system ─▶ t-ess-station
        t-cell ─────▶ t-ess-system          (cross-cluster)

    Local: ``f-ess-a`` (anchor) and ``f-cell-a`` (major) in ``t-ess-system``.
    Nothing local in ``t-ess-bms`` or ``t-ess-station``. Outside:
    ``o-bms-a`` (major in ``t-ess-bms``, member in ``t-pack``, supplies
    ``f-ess-a``), ``o-bms-b`` (member in ``t-ess-bms`` and ``t-ess-station``) and
    ``o-station-a`` (major in ``t-ess-station``, scale ``large``). Invented, like
    the tiny chain.

    Examples
    --------
    >>> ds = tiny_city()
    >>> sorted(n.id for n in ds.of_kind("Cluster"))
    ['t-ess', 't-nev']
    """
    ds = tiny_chain()
    ds.add_node(
        Cluster(
            id="t-ess",
            name_zh="测试储能",
            name_en="Test energy storage",
            sources=S,
            listings=(Listing(list_year=2024, name_as_published="测试储能集群", sources=S),),
        )
    )
    for seg in (
        Segment(
            id="t-ess-bms",
            name_zh="电池管理系统",
            name_en="Battery management systems",
            cluster_id="t-ess",
            position=Position.UPSTREAM,
            sources=S,
        ),
        Segment(
            id="t-ess-system",
            name_zh="储能系统集成",
            name_en="Storage system integration",
            cluster_id="t-ess",
            position=Position.MIDSTREAM,
            sources=S,
        ),
        Segment(
            id="t-ess-station",
            name_zh="储能电站运营",
            name_en="Storage plant operation",
            cluster_id="t-ess",
            position=Position.DOWNSTREAM,
            sources=S,
        ),
    ):
        ds.add_node(seg)
        ds.add_edge(Edge(kind=EdgeKind.PART_OF, source=seg.id, target="t-ess", sources=S))
    for a, b in (("t-ess-bms", "t-ess-system"), ("t-cell", "t-ess-system"), ("t-ess-system", "t-ess-station")):
        ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source=a, target=b, sources=S))
    new_firms = [
        _firm("f-ess-a", "甲储能", district="d-wujin", tags=("链主",), aliases=("JiaESS",), en="Jia Storage"),
        _firm("o-bms-a", "外BMS甲", local=False, tags=("listed", "专精特新小巨人"), en="Outer BMS A"),
        _firm("o-bms-b", "外BMS乙", local=False),
        Firm(id="o-station-a", name_zh="外电站甲", is_local=False, scale="large", sources=S),
    ]
    for firm in new_firms:
        ds.add_node(firm)
        if firm.district_id:
            ds.add_edge(Edge(kind=EdgeKind.LOCATED_IN, source=firm.id, target=firm.district_id, sources=S))
    for fid, seg_id, role in (
        ("f-ess-a", "t-ess-system", "anchor"),
        ("f-cell-a", "t-ess-system", "major"),
        ("o-bms-a", "t-ess-bms", "major"),
        ("o-bms-a", "t-pack", "member"),
        ("o-bms-b", "t-ess-bms", "member"),
        ("o-bms-b", "t-ess-station", "member"),
        ("o-station-a", "t-ess-station", "major"),
    ):
        ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source=fid, target=seg_id, role=Role(role), sources=S))
    ds.add_edge(Edge(kind=EdgeKind.SUPPLIES_TO, source="o-bms-a", target="f-ess-a", sources=S))
    return ds
