"""Review 9: a gap's explanation marks a kind that rests only on unverified supply links, and keeps its sourced 缺链.

On the bundled data, 晶圆制造 ``ele-wafer-fab`` is missing (no local firm: a sourced fact) and its 断链 and 延链
rest only on the unverified link to 智能传感器 (``kinds_unverified``). Its explanation used to end in the plain
``（断链）`` and drop the 缺链 and the downstream demand that other missing segments state. 锂电铜箔
``nev-copper-foil`` feeds a strong local segment through a sourced link: its 断链 stays unmarked. (锂资源与锂盐
``nev-lithium-resources`` was that case until the audit of 2026-12-07 found its link to 正极材料 rests only on weak
pages: it is now one of the unverified ones.)
"""

from __future__ import annotations

import pytest

from graph.memory_store import MemoryStore
from queries.analysis import analysis_for
from queries.severity import SEGMENT_UNVERIFIED_EN, SEGMENT_UNVERIFIED_ZH, Gap

WAFER, SOURCED_BROKEN = "ele-wafer-fab", "nev-copper-foil"
UNVERIFIED_BROKEN = ["ele-wafer-fab", "nev-mcu-soc", "tex-corduroy", "nev-lithium-resources"]


def body(text: str) -> str:
    """An explanation without the closing sentences that mark its segment (review 14a): the segment itself
    unverified, or a local base its sources name."""
    for tail in ("但来源记有本地基地", " But a source names a local base"):
        text = text.split(tail)[0]
    return text.removesuffix(SEGMENT_UNVERIFIED_ZH).removesuffix(SEGMENT_UNVERIFIED_EN)


@pytest.fixture(scope="module")
def gaps(bundled_store: MemoryStore) -> dict[str, Gap]:
    return dict(analysis_for(bundled_store).gaps)


@pytest.mark.parametrize("segment_id", UNVERIFIED_BROKEN)
def test_unverified_broken_link_label_is_marked(gaps, segment_id):
    gap = gaps[segment_id]
    assert gap.kind == "broken_link" and "broken_link" in gap.kinds_unverified  # the data still has the case
    assert "（断链，待核实）" in gap.explanation_zh and "（断链）" not in gap.explanation_zh
    assert "(broken link, unverified)" in gap.explanation_en and "(broken link)." not in gap.explanation_en
    assert body(gap.explanation_zh).endswith("链条依赖外部供应（断链，待核实）。")
    assert body(gap.explanation_en).endswith("the chain relies on outside supply (broken link, unverified).")


def test_sourced_broken_link_is_not_marked(gaps):
    gap = gaps[SOURCED_BROKEN]
    assert gap.kind == "broken_link" and "broken_link" in gap.kinds and gap.kinds_unverified == ()
    assert "待核实" not in gap.explanation_zh and "unverified" not in gap.explanation_en
    assert gap.explanation_zh.endswith("链条依赖外部供应（断链）。")
    assert gap.explanation_en.endswith("the chain relies on outside supply (broken link).")


def test_unverified_extension_label_is_marked(gaps):
    marked = [g for g in gaps.values() if g.kind == "extension" and "extension" in g.kinds_unverified]
    assert marked  # ele-system-integration, nev-lidar-sensors, ...
    for gap in marked:
        assert body(gap.explanation_zh).endswith("可延伸产业链（延链，待核实）。"), gap.segment_id
        assert body(gap.explanation_en).endswith("a chance to extend the chain (extension, unverified)."), (
            gap.segment_id
        )
        assert "：数据中暂无常州本地企业（缺链）" in gap.explanation_zh, gap.segment_id
        assert ": no local firm in the data (missing link)" in gap.explanation_en, gap.segment_id


def test_sourced_extension_is_not_marked_in_its_label(gaps):
    sourced = [g for g in gaps.values() if g.kind == "extension" and not g.kinds_unverified]
    assert sourced
    for gap in sourced:
        assert gap.explanation_zh.endswith("可延伸产业链（延链）。"), gap.segment_id
        assert gap.explanation_en.endswith("a chance to extend the chain (extension)."), gap.segment_id
        assert "（缺链）" not in gap.explanation_zh


def test_wafer_fab_says_it_is_missing_with_its_downstream_demand(gaps):
    gap = gaps[WAFER]
    assert gap.kinds == ("missing", "broken_link", "extension")
    assert gap.kinds_unverified == ("broken_link", "extension")
    assert gap.kind == "broken_link"  # the primary kind is unchanged: the API examples rest on it
    n_down, n_anchor = gap.components["downstream_local_firms"], gap.components["downstream_anchors"]
    assert n_down > 0
    n_unsure = gap.components["downstream_local_firms_unverified_only"]
    demand_zh = (
        f"下游{n_down}家本地企业" + (f"（含{n_anchor}家链主企业，可属其他集群）" if n_anchor else "") + "依赖该环节"
    )
    unsure_zh = f"（其中{n_unsure}家仅经待核实的供应关系）" if 0 < n_unsure < n_down else ""
    assert gap.explanation_zh.startswith(f"晶圆制造：数据中暂无常州本地企业（缺链），{demand_zh}{unsure_zh}；")
    assert gap.explanation_en.startswith("Wafer fabrication (foundry): no local firm in the data (missing link); ")
    assert f"{n_down} local firms" in gap.explanation_en and "depend on it downstream" in gap.explanation_en
    # the sourced 缺链 comes first, the unverified 断链 after it
    zh, en = gap.explanation_zh, gap.explanation_en
    assert zh.index("（缺链）") < zh.index("依赖该环节") < zh.index("供应关系待核实") < zh.index("（断链，待核实）")
    assert en.index("(missing link)") < en.index("depend on it downstream") < en.index("(broken link, unverified)")
    # and the reasons agree with it
    codes = [r["code"] for r in gap.reasons]
    assert "no_local_firm" in codes and "downstream_demand" in codes


def test_an_ordinary_missing_gap_reads_the_same(gaps):
    plain = [g for g in gaps.values() if g.kind == "missing" and g.components["downstream_local_firms"]]
    assert plain
    for gap in plain:
        # 待核实 only where the demand itself rests on unverified supply links (test_demand_unverified.py)
        # or where the segment itself is unverified (its last sentence, tests/test_gap_wording_review14.py)
        said = "仅经待核实的供应关系" if gap.components["downstream_local_firms_unverified_only"] else ""
        text = gap.explanation_zh.replace(said, "") if said else gap.explanation_zh
        text = body(text)
        assert "（缺链），下游" in gap.explanation_zh and "待核实" not in text, gap.segment_id
