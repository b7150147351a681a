"""Gap reasons say how well the supply links they rest on are backed, and 一般参与 is not "small".

Review 7, finding 1: 断链/延链 and their reasons (``feeds_strong_segment``, ``next_to_strong_segment``) were stated as
fact although the only link to the strong segment (ele-wafer-fab → ele-sensors) is marked ``unverified``. The kinds
stand (gap counts and health do not move), but each such reason carries ``confidence`` and ``unverified_ids``, its
texts say 供应关系待核实 / unverified, and the gap lists ``kinds_unverified``.
Finding 5: the ``members_only`` weak reason called BYD, the nev 链主, a "small local firm".
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.dataset import Dataset
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import Confidence, Edge, EdgeKind, Position, Role, Segment
from queries.analysis import analysis_for
from queries.firms import anchor_ids
from queries.gaps import gaps

S = ("s-tiny",)
LINK_CODES = ("feeds_strong_segment", "next_to_strong_segment")


def reason(gap: Any, code: str) -> dict[str, Any]:
    reasons = gap["reasons"] if isinstance(gap, dict) else gap.reasons
    found = [r for r in reasons if r["code"] == code]
    assert len(found) == 1, (code, reasons)
    return dict(found[0])


def linked_chain() -> Dataset:
    """The tiny chain with three absent segments next to the strong ``t-cell`` and one members-only segment::

    t-separator ─ ─▶ t-cell          (─ ─ unverified: broken link resting on it alone)
    t-electrolyte ─▶ t-cell          (sourced)
    t-cell ─ ─▶ t-cell-testing       (unverified: extension only)
    t-bms: f-veh-a (anchor of t-nev in t-vehicle) and f-cathode-a, both members
    """
    ds = tiny_chain()

    def segment(sid: str, zh: str, en: str, position: str) -> None:
        seg = Segment(id=sid, name_zh=zh, name_en=en, cluster_id="t-nev", position=Position(position), sources=S)
        ds.add_node(seg)
        ds.add_edge(Edge(kind=EdgeKind.PART_OF, source=sid, target="t-nev", sources=S))

    segment("t-separator", "隔膜", "Separators", "upstream")
    segment("t-electrolyte", "电解液", "Electrolyte", "upstream")
    segment("t-cell-testing", "电芯检测", "Cell testing", "midstream")
    segment("t-bms", "电池管理系统", "Battery management systems", "midstream")
    unverified = {"confidence": Confidence.UNVERIFIED}
    ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source="t-separator", target="t-cell", **unverified))
    ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source="t-electrolyte", target="t-cell", sources=S))
    ds.add_edge(Edge(kind=EdgeKind.SUPPLIES, source="t-cell", target="t-cell-testing", **unverified))
    for fid in ("f-veh-a", "f-cathode-a"):
        ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source=fid, target="t-bms", role=Role.MEMBER, sources=S))
    return ds


@pytest.fixture(scope="module")
def linked() -> MemoryStore:
    return MemoryStore(linked_chain())


def test_tiny_broken_link_on_an_unverified_link_is_kept_but_marked(linked):
    a = analysis_for(linked)
    gap = a.gaps["t-separator"]
    assert gap.kind == "broken_link" and gap.kinds == ("missing", "broken_link", "extension")
    assert gap.kinds_unverified == ("broken_link", "extension")
    feeds = reason(gap, "feeds_strong_segment")
    assert feeds == {
        "code": "feeds_strong_segment",
        "segment_ids": ["t-cell"],
        "confidence": "unverified",
        "unverified_ids": ["t-cell"],
        "zh": "供给本地强环节：电芯（供应关系待核实）",
        "en": "feeds the strong local segment(s) Battery cells (supply link unverified)",
    }
    near = reason(gap, "next_to_strong_segment")
    assert (near["confidence"], near["unverified_ids"]) == ("unverified", ["t-cell"])
    assert near["zh"].endswith("（供应关系待核实）") and near["en"].endswith("(supply link unverified)")
    assert (
        "电芯（供应关系待核实）" in gap.explanation_zh
        and "Battery cells (supply link unverified)" in gap.explanation_en
    )


def test_tiny_broken_link_on_a_sourced_link_stays_sourced(linked):
    gap = analysis_for(linked).gaps["t-electrolyte"]
    assert gap.kind == "broken_link" and gap.kinds_unverified == ()
    for code in LINK_CODES:
        r = reason(gap, code)
        assert (r["confidence"], r["unverified_ids"]) == ("sourced", []), r
        assert "待核实" not in r["zh"] and "unverified" not in r["en"]
    assert "待核实" not in gap.explanation_zh and "unverified" not in gap.explanation_en


def test_tiny_extension_downstream_on_an_unverified_link(linked):
    gap = analysis_for(linked).gaps["t-cell-testing"]
    assert gap.kind == "extension" and gap.kinds_unverified == ("extension",)
    near = reason(gap, "next_to_strong_segment")
    assert near["upstream_ids"] == ["t-cell"] and near["unverified_ids"] == ["t-cell"]
    assert gap.explanation_zh == (
        "电芯检测：数据中暂无常州本地企业（缺链）；位于本地强环节电芯（供应关系待核实）的下游，可延伸产业链（延链，待核实）。"
    )
    assert gap.explanation_en.endswith(
        "downstream of the strong local segment(s) Battery cells (supply link unverified); "
        "a chance to extend the chain (extension, unverified)."
    )


def test_tiny_reasons_without_links_carry_no_confidence(linked):
    for gap in analysis_for(linked).gaps.values():
        for r in gap.reasons:
            assert ("confidence" in r) == (r["code"] in LINK_CODES), (gap.segment_id, r)


def test_tiny_members_only_names_the_cluster_anchor_among_them(linked):
    gap = analysis_for(linked).gaps["t-bms"]
    assert gap.kind == "weak"
    r = reason(gap, "members_only")
    assert r["cluster_anchor_ids"] == ["f-veh-a"] and "f-veh-a" in anchor_ids(linked, "t-nev")
    assert r["zh"] == (
        "本环节本地仅有2家一般参与企业（无链主或骨干企业在本环节）：甲正极、甲汽车（其中甲汽车是本集群链主，但在本环节为一般参与）"
    )
    assert r["en"].startswith("only 2 local firm(s) in member roles here, no anchor or major firm in this segment: ")
    assert r["en"].endswith("(甲汽车 is an anchor firm of this cluster, but only a member in this segment)")
    assert "一般企业" not in gap.explanation_zh and "small" not in gap.explanation_en
    assert gap.explanation_zh.endswith("属弱链；其中甲汽车是本集群链主，但在本环节为一般参与。")


# -- the bundled data --------------------------------------------------------------------------


def supplies_confidence(store: MemoryStore) -> dict[tuple[str, str], set[str]]:
    """Every SUPPLIES pair's confidences, read straight from the store (not through the analysis)."""
    out: dict[tuple[str, str], set[str]] = {}
    for e in store.edges(EdgeKind.SUPPLIES):
        out.setdefault((e.source, e.target), set()).add(e.confidence.value)
    return out


def test_bundled_wafer_fab_rests_on_an_unverified_link(bundled_store):
    gap = next(g for g in gaps(bundled_store, cluster="electronics") if g["segment_id"] == "ele-wafer-fab")
    assert "broken_link" in gap["kinds"]  # the kind stands
    assert "broken_link" in analysis_for(bundled_store).gaps["ele-wafer-fab"].kinds_unverified
    feeds = reason(gap, "feeds_strong_segment")
    assert feeds["confidence"] == "unverified" and "ele-sensors" in feeds["unverified_ids"]
    assert "供应关系待核实" in feeds["zh"] and "unverified" in feeds["en"]
    assert "供应关系待核实" in gap["explanation_zh"] and "unverified" in gap["explanation_en"]


def test_bundled_link_reasons_match_the_links_in_the_store(bundled_store):
    """Each link reason's confidence, recomputed from the SUPPLIES edges; both outcomes occur."""
    links = supplies_confidence(bundled_store)
    seen = {"sourced": 0, "unverified": 0}
    for gap in gaps(bundled_store):
        sid = gap["segment_id"]
        for r in gap["reasons"]:
            if r["code"] not in LINK_CODES:
                continue
            named = r["segment_ids"] if r["code"] == "feeds_strong_segment" else r["upstream_ids"] + r["downstream_ids"]
            ups = r.get("upstream_ids", [])
            downs = r["segment_ids"] if r["code"] == "feeds_strong_segment" else r["downstream_ids"]
            sourced = {n for n in ups if "sourced" in links.get((n, sid), set())}
            sourced |= {n for n in downs if "sourced" in links.get((sid, n), set())}
            assert sorted(r["unverified_ids"]) == sorted(set(named) - sourced), (sid, r)
            assert r["confidence"] == ("sourced" if sourced else "unverified"), (sid, r)
            assert ("待核实" in r["zh"]) == bool(r["unverified_ids"]), (sid, r)
            seen[r["confidence"]] += 1
    assert seen["sourced"] > 0 and seen["unverified"] > 0, seen


def test_bundled_sourced_broken_link_stays_sourced(bundled_store):
    sourced = [
        g
        for g in gaps(bundled_store)
        if "broken_link" in g["kinds"] and reason(g, "feeds_strong_segment")["unverified_ids"] == []
    ]
    assert sourced, "the bundled data has broken links on sourced links"
    for g in sourced:
        assert reason(g, "feeds_strong_segment")["confidence"] == "sourced"
        assert "broken_link" not in analysis_for(bundled_store).gaps[g["segment_id"]].kinds_unverified
        assert "待核实" not in g["explanation_zh"]


def test_bundled_members_only_wording(bundled_store):
    a = analysis_for(bundled_store)
    weak = [
        g for g in a.gaps.values() if g.kinds == ("weak",) and a.presence[g.segment_id].weak_reason == "members_only"
    ]
    assert weak
    for gap in weak:
        r = reason(gap, "members_only")
        assert "一般参与企业（无链主或骨干企业在本环节）" in r["zh"] and "in member roles here" in r["en"]
        assert "small" not in r["en"] + gap.explanation_en and "一般企业" not in r["zh"] + gap.explanation_zh
        anchors = anchor_ids(bundled_store, gap.cluster_id)
        assert r["cluster_anchor_ids"] == sorted(f for f in a.presence[gap.segment_id].local if f in anchors)
        assert ("是本集群链主" in r["zh"]) == bool(r["cluster_anchor_ids"])


def test_bundled_byd_is_named_as_the_nev_anchor(bundled_store):
    gap = analysis_for(bundled_store).gaps["nev-intelligent-connected"]
    r = reason(gap, "members_only")
    assert "byd-changzhou" in r["cluster_anchor_ids"]
    assert "比亚迪常州基地是本集群链主，但在本环节为一般参与" in r["zh"] + gap.explanation_zh
    assert (
        "BYD Changzhou base is an anchor firm of this cluster, but only a member in this segment" in gap.explanation_en
    )


def test_api_gap_reasons_carry_confidence(api_client):
    body = api_client.get("/api/v1/clusters/electronics/gaps", params={"limit": 500}).json()
    gap = next(g for g in body["items"] if g["segment_id"] == "ele-wafer-fab")
    feeds = reason(gap, "feeds_strong_segment")
    assert feeds["confidence"] == "unverified" and feeds["unverified_ids"] == ["ele-sensors"]
    weak = next(r for g in body["items"] for r in g["reasons"] if r["code"] == "outside_supply")
    assert "confidence" not in weak and "unverified_ids" not in weak


def test_api_gap_names_the_kinds_that_rest_only_on_unverified_links(api_client):
    items = api_client.get("/api/v1/gaps", params={"limit": 500}).json()["items"]
    by_id = {g["segment_id"]: g for g in items}
    assert "broken_link" in by_id["ele-wafer-fab"]["kinds_unverified"]
    for gap in items:
        assert set(gap["kinds_unverified"]) <= set(gap["kinds"]) - {"missing", "weak"}
        link_reasons = [r for r in gap["reasons"] if r["code"] in ("feeds_strong_segment", "next_to_strong_segment")]
        if link_reasons and all(r["confidence"] == "sourced" for r in link_reasons):
            assert gap["kinds_unverified"] == [], gap["segment_id"]


def test_cli_gap_table_marks_an_unverified_kind(capsys):
    from chainkg.cli import main

    assert main(["gaps", "electronics", "--limit", "1"]) == 0
    assert "断链（待核实）" in capsys.readouterr().out
    assert main(["gaps", "electronics", "--limit", "1", "--lang", "en"]) == 0
    assert "broken link (unverified)" in capsys.readouterr().out
