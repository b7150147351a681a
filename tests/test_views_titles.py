"""Edge tooltips (titles) of the views, Chinese page and English page, without a browser.

The OPERATES_IN and PART_OF edges of the cluster, firm and segment views build both titles through
:func:`viz.parts.edge_titles`; an OPERATES_IN title names the firm's role in each page's language.
"""

from __future__ import annotations

import pytest

from graph.memory_store import MemoryStore
from viz.parts import edge_titles, role_words
from viz.views import build_view

SOURCE = [{"title": "T", "date": "2024"}]


def test_edge_titles_shows_one_extra_text_on_both_pages():
    titles = edge_titles("SUPPLIES", "a", "b", SOURCE, {"a": "正极"}, {"a": "Cathodes"}, extra="2021")
    assert titles["title"].splitlines()[:2] == ["供应 Supplies: 正极 → b", "2021"]
    assert titles["title_en"].splitlines()[:2] == ["Supplies: Cathodes → b", "2021"]


def test_edge_titles_shows_each_page_its_own_extra_of_a_pair():
    names, names_en = {"f": "甲", "s": "电芯"}, {"f": "Jia", "s": "Cells"}
    titles = edge_titles(
        "OPERATES_IN", "f", "s", SOURCE, names, names_en, extra=("骨干 Major", "Major"), confidence="y"
    )
    assert titles["title"].splitlines() == [
        "从事 Operates in: 甲 → 电芯",
        "骨干 Major",
        "来源 Source: T — 2024",
        "可信度 Confidence: y",
    ]
    assert titles["title_en"].splitlines() == ["Operates in: Jia → Cells", "Major", "Source: T — 2024", "Confidence: y"]


@pytest.mark.parametrize(
    ("role", "words"),
    [("anchor", ("链主 Anchor", "Anchor")), ("major", ("骨干 Major", "Major")), ("partner", ("partner", "partner"))],
)
def test_role_words(role, words):
    assert role_words(role) == words


ANCHOR_IN_CELLS = (
    ["从事 Operates in: 甲电池 → 电芯", "链主 Anchor"],
    ["Operates in: Jia Cell → Battery cells", "Anchor"],
)
"""The first two lines of the tiny chain's edge f-cell-a OPERATES_IN t-cell, Chinese page then English page."""


@pytest.mark.parametrize(
    ("kind", "view_id", "edge", "lines"),
    [
        ("firm", "f-cell-a", ("f-cell-a", "t-cell"), ANCHOR_IN_CELLS),
        ("cluster", "t-nev", ("t-cell", "f-cell-a"), ANCHOR_IN_CELLS),
        ("segment", "t-cell", ("t-cell", "f-cell-a"), ANCHOR_IN_CELLS),
        (
            "firm",
            "f-cell-a",
            ("t-cell", "t-nev"),
            (["属于 Part of: 电芯 → 测试新能源汽车"], ["Part of: Battery cells → Test NEV"]),
        ),
        (
            "firm",
            "o-lith-a",
            ("o-lith-a", "t-lithium"),
            (
                ["从事 Operates in: 外锂甲 → 锂盐", "骨干 Major"],
                ["Operates in: Outer Lithium A → Lithium salts", "Major"],
            ),
        ),
    ],
)
def test_operates_in_and_part_of_titles_in_each_language(tiny_store: MemoryStore, kind, view_id, edge, lines):
    net = build_view(tiny_store, kind, view_id)
    found = [e for e in net.edges if (e["from"], e["to"]) == edge]
    assert len(found) == 1, f"{kind} view of {view_id}: expected one edge {edge}, found {len(found)}"
    zh, en = lines
    assert found[0]["title"].splitlines()[: len(zh)] == zh
    assert found[0]["title_en"].splitlines()[: len(en)] == en
    assert "\n来源 Source: 测试用虚构数据 — " in found[0]["title"], "the Chinese title cites the edge's source"
    assert "\nSource: 测试用虚构数据 — " in found[0]["title_en"], "the English title cites it (its title as published)"
