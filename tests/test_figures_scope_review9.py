"""The English overview names a figure's district scope in English (review 9, #5).

The data's districts carry ``name_en`` (钟楼区 Zhonglou District, 武进区 Wujin District); a figure whose note says
``District figure: 钟楼区 only`` (节能环保, 2024 Q1) or ``… 武进 only`` (高端纺织服装, 2007) shows that name on
the English page; a scope with no English in the data (``Scope: 新型碳材料``, a zone such as 溧阳高新区) is left as
published, and the Chinese page is unchanged.
"""

from __future__ import annotations

from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.figures import district_en, figure_scope, figure_text, with_scope_en
from tests.view_support import overview_nodes


def test_district_names_come_from_the_data(bundled_store: MemoryStore) -> None:
    names = {n.name_zh: n.name_en for n in bundled_store.nodes(NodeKind.DISTRICT)}
    assert district_en("钟楼区", names) == "Zhonglou District"
    assert district_en("武进", names) == "Wujin District"
    assert district_en("溧阳高新区", names) == ""  # a zone, not a district of the data
    fig = {"year": 2007, "value": 236.0, "unit": "亿元", "note": "District figure: 武进 only"}
    named = with_scope_en(fig, names)
    assert figure_text(named, english=True) == "CNY 23.6 billion (2007, Wujin District)"
    assert figure_text(named) == figure_text(fig) == "236 亿元 (2007, 武进)"
    carbon = with_scope_en({"note": "Scope: 新型碳材料 (the national cluster within 新材料)"}, names)
    assert figure_scope(carbon, english=True) == "新型碳材料"


def test_the_english_overview_names_district_scopes_in_english(bundled_store: MemoryStore) -> None:
    nodes = overview_nodes(bundled_store)
    energy, textiles = nodes["energy-saving"], nodes["textiles"]
    assert "Output: CNY 1.945 billion (2024 Q1, Zhonglou District)" in energy["title_en"].splitlines()
    assert energy["label_en"].endswith("(2024 Q1, Zhonglou District)"), energy["label_en"]
    assert "钟楼区" not in energy["title_en"].split("Source")[0] and "钟楼区" in energy["title"]
    # 2007 is marked dated since review 15a (L4), after the scope
    assert textiles["label_en"].endswith("(2007, Wujin District) (dated)"), textiles["label_en"]
    assert "partial (Wujin District): not compared with other clusters" in textiles["title_en"].splitlines()
    assert textiles["label"].endswith("(2007, 武进)（旧数据）"), textiles["label"]
