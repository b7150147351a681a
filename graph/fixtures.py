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
from graph.model import (
    Cluster,
    Currency,
    District,
    Edge,
    EdgeKind,
    Figure,
    Firm,
    Instrument,
    InstrumentKind,
    Listing,
    Platform,
    PlatformCategory,
    Policy,
    Position,
    Project,
    ProjectStatus,
    Role,
    Segment,
    Source,
    Tier,
    TierCategory,
    TierLevel,
)

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


def tiny_layers() -> Dataset:
    """Return the tiny chain plus the further layers: tiers, projects, policies and a platform.

    Tiers (national 单项冠军 firm ``tier-champion``, national 小巨人 ``tier-giant``,
    provincial 小巨人 ``tier-giant-prov``) and who holds them::

        f-cell-a   tier-champion    2021, batch 6
        o-lith-a   tier-champion    2019, batch 4   (outside Changzhou)
        f-anode-a  tier-giant       2020, batch 2
        f-pack-a   tier-giant-prov  2023

    Projects (investment in 亿)::

        prj-cell-1   f-cell-a  t-cell           d-liyang  100 CNY  2016  completed
        prj-cell-2   f-cell-a  t-cell, t-pack   d-liyang  ≈120 CNY 2021  started
        prj-lithium  —         t-lithium        d-wujin   3 USD    2023  started
        prj-recycle  —         t-recycling      d-wujin   —        2024  signed

    Policies: ``pol-reward`` (rewards of at most 200/100/50万元 for the three
    tiers; targets them), ``pol-recycling`` (targets the segment ``t-recycling``)
    and ``pol-capital`` (targets the whole cluster ``t-nev``). Platform:
    ``plat-lighthouse``, run by ``f-cell-a`` from 2022. The cluster gains a
    published ``battery_chain_completeness`` of 80% in 2022 over six of its
    segments. Invented, like the tiny chain.

    Examples
    --------
    >>> ds = tiny_layers()
    >>> sorted(n.id for n in ds.of_kind("Project"))
    ['prj-cell-1', 'prj-cell-2', 'prj-lithium', 'prj-recycle']
    >>> ds.problems()
    []
    """

    ds = tiny_chain()
    cluster = ds.nodes["t-nev"]
    assert isinstance(cluster, Cluster)
    battery = ("t-lithium", "t-cathode", "t-anode", "t-cell", "t-pack", "t-recycling")
    completeness = Figure(year=2022, metric="battery_chain_completeness", value=80, unit="%", scope=battery, sources=S)
    ds.nodes["t-nev"] = cluster.model_copy(update={"figures": (*cluster.figures, completeness)})
    tiers = [
        Tier(
            id="tier-champion",
            name_zh="单项冠军示范企业",
            level=TierLevel.NATIONAL,
            category=TierCategory.CHAMPION_FIRM,
            issuer="工业和信息化部",
            sources=S,
        ),
        Tier(
            id="tier-giant",
            name_zh="国家级专精特新小巨人",
            level=TierLevel.NATIONAL,
            category=TierCategory.LITTLE_GIANT,
            sources=S,
        ),
        Tier(
            id="tier-giant-prov",
            name_zh="省级专精特新小巨人",
            level=TierLevel.PROVINCIAL,
            category=TierCategory.LITTLE_GIANT,
            sources=S,
        ),
    ]
    for tier in tiers:
        ds.add_node(tier)
    for firm, tier_id, year, batch in (
        ("f-cell-a", "tier-champion", 2021, 6),
        ("o-lith-a", "tier-champion", 2019, 4),
        ("f-anode-a", "tier-giant", 2020, 2),
        ("f-pack-a", "tier-giant-prov", 2023, None),
    ):
        ds.add_edge(Edge(kind=EdgeKind.HOLDS_TIER, source=firm, target=tier_id, year=year, batch=batch, sources=S))
    projects = [
        (
            Project(
                id="prj-cell-1",
                name_zh="甲电池一期",
                investment_amount=100,
                year=2016,
                status=ProjectStatus.COMPLETED,
                phase="一期",
                sources=S,
            ),
            "f-cell-a",
            ("t-cell",),
            "d-liyang",
        ),
        (
            Project(
                id="prj-cell-2",
                name_zh="甲电池二期",
                investment_amount=120,
                investment_qualifier="≈",
                year=2021,
                status=ProjectStatus.STARTED,
                phase="二期",
                sources=S,
            ),
            "f-cell-a",
            ("t-cell", "t-pack"),
            "d-liyang",
        ),
        (
            Project(
                id="prj-lithium",
                name_zh="锂盐项目",
                investment_amount=3,
                investment_currency=Currency.USD,
                year=2023,
                status=ProjectStatus.STARTED,
                sources=S,
            ),
            "",
            ("t-lithium",),
            "d-wujin",
        ),
        (
            Project(id="prj-recycle", name_zh="回收项目", year=2024, status=ProjectStatus.SIGNED, sources=S),
            "",
            ("t-recycling",),
            "d-wujin",
        ),
    ]
    for project, firm, segments, district in projects:
        ds.add_node(project)
        if firm:
            ds.add_edge(Edge(kind=EdgeKind.BUILT_BY, source=project.id, target=firm, sources=S))
        for seg in segments:
            ds.add_edge(Edge(kind=EdgeKind.PROJECT_IN, source=project.id, target=seg, sources=S))
        ds.add_edge(Edge(kind=EdgeKind.SITED_IN, source=project.id, target=district, sources=S))
    rewards = tuple(
        Instrument(
            kind=InstrumentKind.REWARD,
            description_zh=f"新认定{zh}最高奖励",
            amount=amount,
            unit="万元",
            qualifier="≤",
            tier_id=tier_id,
            sources=S,
        )
        for zh, amount, tier_id in (
            ("单项冠军", 200, "tier-champion"),
            ("国家小巨人", 100, "tier-giant"),
            ("省小巨人", 50, "tier-giant-prov"),
        )
    )
    ds.add_node(
        Policy(id="pol-reward", name_zh="专精特新奖励", issuer="测试市", date="2022-01", instruments=rewards, sources=S)
    )
    ds.add_node(
        Policy(
            id="pol-recycling",
            name_zh="回收补链方案",
            issuer="测试区",
            date="2023-10",
            instruments=(Instrument(kind=InstrumentKind.SUBSIDY, description_zh="补齐回收环节", sources=S),),
            sources=S,
        )
    )
    ds.add_node(
        Policy(
            id="pol-capital",
            name_zh="产业资金",
            issuer="测试市",
            instruments=(
                Instrument(
                    kind=InstrumentKind.FUND,
                    description_zh="政策性资金",
                    amount=500,
                    unit="亿元",
                    qualifier="≥",
                    sources=S,
                ),
            ),
            sources=S,
        )
    )
    for tier in tiers:
        ds.add_edge(Edge(kind=EdgeKind.TARGETS_TIER, source="pol-reward", target=tier.id, sources=S))
    ds.add_edge(Edge(kind=EdgeKind.TARGETS_SEGMENT, source="pol-recycling", target="t-recycling", sources=S))
    ds.add_edge(Edge(kind=EdgeKind.TARGETS_CLUSTER, source="pol-capital", target="t-nev", sources=S))
    ds.add_node(
        Platform(
            id="plat-lighthouse",
            name_zh="甲电池灯塔工厂",
            category=PlatformCategory.LIGHTHOUSE_FACTORY,
            year=2022,
            sources=S,
        )
    )
    ds.add_edge(Edge(kind=EdgeKind.RUNS, source="f-cell-a", target="plat-lighthouse", year=2022, sources=S))
    return ds
