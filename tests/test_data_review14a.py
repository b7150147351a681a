"""The bundled data after the review-14a data pass (2026-12-07, sources ``v-…``).

An investment-promotion officer found gaps that the segments' own sources contradict: Medtronic and
Stryker offered as outside targets although 康辉 and 创生 are their Changzhou units, 缺链 on segments
whose source names a Changzhou base, and 腾龙股份 missing from thermal management. These tests keep
each fix in place: every new link and row exists with the page it rests on, each ``local_base`` is
quoted in one of its segment's sources, and the confidence says what the page does and does not state.
"""

from __future__ import annotations

import pytest

from graph.dataset import Dataset
from graph.model import Confidence, Firm, Segment, Source
from queries.candidates import candidates
from queries.gaps import gaps

LOCAL_BASES = {
    "tex-fibres": "常州经开区新型纤维及复合材料特色产业基地",
    "tex-yarn-dyed-fabrics": "常州湖塘新型色织面料特色产业基地",
    "tex-denim": "武进“中国面料之都”",
    "tex-corduroy": "武进“中国面料之都”",
    "ele-wafer-fab": "武进国家高新区“龙城芯谷”",
    "ele-ic-design": "武进国家高新区“龙城芯谷”",
    "ele-semiconductor-equipment": "武进国家高新区“龙城芯谷”",
    "ele-semiconductor-materials": "武进国家高新区“龙城芯谷”",
    "ele-system-integration": "常州高新区“智能传感小镇”",
    "bio-chemical-drugs": "国家火炬常州高新区生物药和化学药特色产业基地",
    "nev-lidar-sensors": "新北区新能源汽车电气设备产业集群",
}
"""Each segment given a ``local_base`` in this pass, with the base in its source's words."""

NEW_OPERATES_IN = {
    # (firm, segment): (role, confidence, sources that must be cited)
    ("kanghui-medical", "bio-orthopaedics"): ("member", "sourced", {"j-advfn-kanghui-2012-09"}),
    ("chuangsheng-medical", "bio-orthopaedics"): ("member", "sourced", {"j-reuters-trauson-2013-01"}),
    ("kehua-holdings", "steel-castings"): ("anchor", "sourced", {"v-jsnews-zhuhuang-2017-06"}),
    ("hongxiang-machinery", "steel-castings"): ("anchor", "sourced", {"v-jsnews-zhuhuang-2017-06"}),
    ("langrui-casting", "steel-castings"): ("member", "unverified", {"b-t39-wujin-rail"}),
    ("black-peony", "tex-denim"): ("anchor", "sourced", {"v-stcn-blackpeony-2014-12"}),
    ("black-peony", "tex-yarn-dyed-fabrics"): ("member", "sourced", {"v-stcn-blackpeony-2014-12"}),
    ("tenglong-auto", "nev-thermal"): ("member", "sourced", {"v-cs-tenglong-ar-2019-04"}),
}


def _source(ds: Dataset, source_id: str) -> Source:
    node = ds.nodes[source_id]
    assert isinstance(node, Source), source_id
    return node


# -- HIGH 2: 康辉 is Medtronic's, 创生 is Stryker's ----------------------------------------------


@pytest.mark.parametrize(
    ("child", "parent", "year", "completion_source", "quote"),
    [
        (
            "kanghui-medical",
            "medtronic",
            2012,
            "v-sec-medtronic-kanghui-2013",
            "On November 1, 2012, the Company acquired",
        ),
        ("chuangsheng-medical", "stryker", 2013, "v-fierce-china-2013", "closed in March"),
    ],
)
def test_the_orthopaedic_units_are_linked_to_their_acquirers(bundled, child, parent, year, completion_source, quote):
    """Each link cites a page stating the acquisition closed, and its note says so."""
    edge = bundled.edges[("SUBSIDIARY_OF", child, parent)]
    assert edge.confidence is Confidence.SOURCED and edge.year == year
    assert completion_source in edge.sources
    assert quote in (_source(bundled, completion_source).note or "")
    assert "completed" in (edge.note or "")
    assert bundled.nodes[child].is_local and not bundled.nodes[parent].is_local


@pytest.mark.parametrize(("parent", "unit"), [("medtronic", "kanghui-medical"), ("stryker", "chuangsheng-medical")])
def test_medtronic_and_stryker_are_marked_as_already_here(bundled_store, parent, unit):
    """The group rule fires: attracting the parent would only expand its Changzhou unit."""
    (cand,) = [c for c in candidates(bundled_store, "bio-orthopaedics", limit=50) if c["firm_id"] == parent]
    assert cand["group_already_here"] is True
    codes = [r for r in cand["reasons"] if r["code"] == "group_already_here"]
    assert codes and unit in str(codes[0])


# -- the new OPERATES_IN rows ------------------------------------------------------------------


@pytest.mark.parametrize(("key", "expected"), list(NEW_OPERATES_IN.items()))
def test_new_operates_in_rows_exist_with_their_source(bundled, key, expected):
    firm_id, segment_id = key
    role, confidence, must_cite = expected
    edge = bundled.edges[("OPERATES_IN", firm_id, segment_id)]
    assert edge.role is not None and edge.role.value == role
    assert edge.confidence.value == confidence
    assert must_cite <= set(edge.sources)
    assert "Review 14a" in (edge.note or "")
    for source_id in edge.sources:
        _source(bundled, source_id)


def test_anchor_roles_rest_on_a_page_calling_the_firm_longtou(bundled):
    """The role rule: anchor only where a cited page names the firm 龙头."""
    quotes = {
        "kehua-holdings": ("v-jsnews-zhuhuang-2017-06", "科华控股、虹翔机械等为龙头"),
        "hongxiang-machinery": ("v-jsnews-zhuhuang-2017-06", "科华控股、虹翔机械等为龙头"),
        "black-peony": ("v-stcn-blackpeony-2014-12", "国内牛仔布行业的龙头企业"),
    }
    for (firm_id, _segment), (role, _conf, _srcs) in NEW_OPERATES_IN.items():
        if role == "anchor":
            source_id, quote = quotes[firm_id]
            assert quote in (_source(bundled, source_id).note or ""), firm_id


def test_langrui_casting_is_a_foundry_only_by_its_name(bundled):
    """T39 gives 朗锐铸造's products as rail power, brake and track parts: its foundry row says so."""
    edge = bundled.edges[("OPERATES_IN", "langrui-casting", "steel-castings")]
    assert edge.confidence is Confidence.UNVERIFIED
    assert "name" in (edge.note or "") and "车辆动力、制动系统和轨道配件" in (edge.note or "")


# -- LOW 10: 腾龙股份 -----------------------------------------------------------------------------


def test_tenglong_is_a_local_wujin_firm_from_its_own_filings(bundled):
    firm = bundled.nodes["tenglong-auto"]
    assert isinstance(firm, Firm)
    assert firm.name_zh == "常州腾龙汽车零部件股份有限公司"
    assert firm.is_local and firm.district_id == "wujin" and "listed" in firm.tags
    assert "江苏武进经济开发区" in (_source(bundled, "v-cs-tenglong-ipo-2015-03").note or "")
    assert "新能源汽车热管理系统零部件" in (_source(bundled, "v-cs-tenglong-ar-2019-04").note or "")
    assert "603158" in (_source(bundled, "v-podms-tenglong-interim-2023-08").note or "")
    assert firm.confidence is Confidence.SOURCED


def test_thermal_management_is_no_longer_missing(bundled_store):
    (gap,) = [g for g in gaps(bundled_store, cluster="nev") if g["segment_id"] == "nev-thermal"]
    assert gap["status"] == "weak" and gap["local_base"] == ""


# -- HIGH 1: local bases -------------------------------------------------------------------------


@pytest.mark.parametrize(("segment_id", "base"), list(LOCAL_BASES.items()))
def test_each_local_base_is_quoted_in_one_of_its_segment_sources(bundled, segment_id, base):
    seg = bundled.nodes[segment_id]
    assert isinstance(seg, Segment)
    assert seg.local_base == base
    texts = [f"{_source(bundled, s).name_zh} {_source(bundled, s).note or ''}" for s in seg.sources]
    assert any(base in text for text in texts), (segment_id, seg.sources)
    assert "local_base (review 14a)" in (seg.note or "")


def test_only_the_segments_of_this_pass_carry_a_local_base(bundled):
    with_base = {n.id for n in bundled.nodes.values() if isinstance(n, Segment) and n.local_base}
    assert with_base == set(LOCAL_BASES)


def test_segments_with_firms_of_their_base_carry_no_local_base(bundled):
    """Green foundry got the 竹箦 龙头 firms instead of a base note; orthopaedics got 康辉 and 创生."""
    for segment_id in ("steel-castings", "bio-orthopaedics"):
        seg = bundled.nodes[segment_id]
        assert isinstance(seg, Segment) and seg.local_base == ""
    assert "s44-tb-2020-04" in bundled.nodes["steel-castings"].sources


@pytest.mark.parametrize("segment_id", sorted(LOCAL_BASES))
def test_a_gap_on_a_segment_with_a_local_base_says_to_check_first(bundled_store, segment_id):
    (gap,) = [g for g in gaps(bundled_store) if g["segment_id"] == segment_id]
    assert gap["local_base"] == LOCAL_BASES[segment_id]
    assert any(r["code"] == "local_base_noted" for r in gap["reasons"])
    assert LOCAL_BASES[segment_id] in gap["explanation_zh"]


def test_the_new_sources_are_read_pages_with_a_note(bundled):
    new = [n for n in bundled.nodes.values() if isinstance(n, Source) and n.id.startswith("v-")]
    assert len(new) == 13  # 11 of review 14a, 2 backing the listed tags of 中创新航 and 星宇 (audit 14b, L3)
    for src in new:
        assert src.url and src.reliability and src.note, src.id
        assert src.note.startswith(("Review 14a (v-)", "Review 14b follow-up (v-")), src.id


@pytest.mark.parametrize(
    ("firm_id", "source_id", "code"),
    [("calb", "v-fxbaogao-calb-prospectus-2022-09", "3931"), ("xingyu", "v-cnstock-xingyu-2025-12", "601799")],
)
def test_an_anchor_firms_listing_rests_on_its_own_filing(bundled, firm_id, source_id, code):
    """Audit 14b, L3: the `listed` tags of 中创新航 and 星宇 had no listing page behind them."""
    firm, source = bundled.nodes[firm_id], bundled.nodes[source_id]
    assert "listed" in firm.tags and source_id in firm.sources
    assert code in source.note and source.reliability == "company" and source.date
