"""A cluster figure on the English page: unit and period in English, the value converted exactly.

The Chinese page keeps unit and period as published (``近5000 亿元 (2025)``, ``980 亿元 (2023 1-9月, …)``);
the English page wrote them the same, Chinese words and all. Now 亿元 reads ``CNY … billion`` (1 billion = 10 亿),
万元 is 10,000 yuan, ``1-9月`` reads ``Jan-Sep``, ``上半年`` ``H1``; a unit or period whose meaning is not
certain stays as published. Values here are test values, except those read from the bundled data.
"""

from __future__ import annotations

import re
from decimal import Decimal

import pytest

from graph.model import Cluster
from queries.figures import caveat, caveat_en, figure_text, period_text, value_text
from viz.overview import gather_overview, overview_network

CHINESE_UNITS = ("亿元", "万元", "亿美元")
ENGLISH_MONEY = re.compile(r"^(?:over |about |nearly |under )?(CNY|USD) ([\d,]+(?:\.\d+)?)( billion| million|)\b")
SCALE = {" billion": Decimal(10**9), " million": Decimal(10**6), "": Decimal(1)}
UNIT_YUAN = {"亿元": Decimal(10**8), "万元": Decimal(10**4), "亿美元": Decimal(10**8), "元": Decimal(1)}


def _money(text: str) -> tuple[str, Decimal]:
    """``nearly CNY 1,047.9 billion (2025)`` as its currency and amount in units of that currency."""
    found = ENGLISH_MONEY.match(text)
    assert found, text
    currency, number, scale = found.groups()
    return currency, Decimal(number.replace(",", "")) * SCALE[scale]


@pytest.mark.parametrize(
    ("value", "unit", "en"),
    [
        (5000.0, "亿元", "CNY 500 billion"),
        (19.45, "亿元", "CNY 1.945 billion"),
        (289.27, "亿元", "CNY 28.927 billion"),
        (10479, "亿元", "CNY 1,047.9 billion"),
        (0.5, "亿元", "CNY 50 million"),
        (50, "万元", "CNY 500,000"),
        (12345.6, "万元", "CNY 123.456 million"),
        (3, "亿美元", "USD 300 million"),
        (120, "家", "120 firms"),
        (1, "家", "1 firm"),
        (8, "个", "8 items"),
        (12.5, "万辆", "125,000 vehicles"),
        (97.0, "%", "97%"),
        (45.5, "GWh", "45.5 GWh"),
        (3, "项", "3 项"),  # 项 may be projects or items: left as published
        (7, "", "7"),
    ],
)
def test_value_text_words_the_unit_in_english_and_keeps_every_digit(value, unit, en):
    assert value_text(value, unit, english=True) == en
    if unit in UNIT_YUAN:  # the amount, read back, is the published one
        assert _money(en)[1] == Decimal(repr(float(value))) * UNIT_YUAN[unit]


def test_value_text_keeps_the_published_unit_in_chinese():
    assert [value_text(v, u) for v, u in ((5000.0, "亿元"), (19.45, "亿元"), (50, "万元"), (97.0, "%"))] == [
        "5000 亿元",
        "19.45 亿元",
        "50 万元",
        "97%",
    ]


@pytest.mark.parametrize(
    ("period", "en"),
    [
        ("1-9月", "Jan-Sep"),
        ("1-8月", "Jan-Aug"),
        ("1-4月", "Jan-Apr"),
        ("1—6月", "Jan-Jun"),
        ("9月", "Sep"),
        ("上半年", "H1"),
        ("下半年", "H2"),
        ("前三季度", "Q1-Q3"),
        ("Q1", "Q1"),
        ("full-year", "full-year"),
        ("9-3月", "9-3月"),  # not a range within one year: as published
        ("0-13月", "0-13月"),
        ("旺季", "旺季"),
    ],
)
def test_period_text_words_the_period_in_english_where_it_is_certain(period, en):
    assert period_text(period, english=True) == en
    assert period_text(period) == period


def test_the_tasks_two_examples_read_in_english_and_stay_in_chinese():
    nearly = {"year": 2025, "metric": "output", "value": 5000.0, "unit": "亿元", "qualifier": "≲"}
    carbon = {"year": 2023, "value": 980.0, "unit": "亿元", "period": "1-9月", "note": "Scope: 新型碳材料"}
    assert (figure_text(nearly), figure_text(nearly, english=True)) == (
        "近5000 亿元 (2025)",
        "nearly CNY 500 billion (2025)",
    )
    assert (figure_text(carbon), figure_text(carbon, english=True)) == (
        "980 亿元 (2023 1-9月, 新型碳材料)",
        "CNY 98 billion (2023 Jan-Sep, 新型碳材料)",
    )
    assert caveat_en(carbon) == "partial (Jan-Sep, 新型碳材料): not compared with other clusters"
    assert caveat(carbon).startswith("仅 1-9月、新型碳材料，")  # the Chinese page's caveat is as published


def test_a_unit_and_period_without_a_certain_meaning_stay_as_published_in_english():
    fig = {"year": 2024, "value": 3.0, "unit": "项", "period": "旺季"}
    assert figure_text(fig, english=True) == figure_text(fig) == "3 项 (2024 旺季)"


def _bundled_figures(bundled) -> list[tuple[str, dict]]:
    return [
        (node.id, fig.model_dump(mode="json"))
        for node in bundled.nodes.values()
        if isinstance(node, Cluster)
        for fig in node.figures
    ]


def test_every_bundled_figure_reads_in_english_with_its_exact_value(bundled):
    figures = _bundled_figures(bundled)
    assert len(figures) >= 30
    money = 0
    for cluster_id, fig in figures:
        en, zh = figure_text(fig, english=True), figure_text(fig)
        where = (cluster_id, fig["year"], fig["metric"], fig["period"])
        for word in (*CHINESE_UNITS, "月", "上半年"):
            assert word not in en, (where, en)
            assert word not in caveat_en(fig), (where, caveat_en(fig))
        assert fig["unit"] in zh and (fig["period"] == "full-year" or fig["period"] in zh), (where, zh)
        if fig["unit"] in UNIT_YUAN:
            currency, amount = _money(en)
            assert currency == "CNY" and amount == Decimal(repr(fig["value"])) * UNIT_YUAN[fig["unit"]], (where, en)
            money += 1
        else:
            assert fig["unit"] == "%" and f"{fig['unit']} (" in en, (where, en)
    assert money >= 20


def test_the_bundled_english_periods_are_the_months_they_cover(bundled):
    periods = {fig["period"]: period_text(fig["period"], english=True) for _, fig in _bundled_figures(bundled)}
    assert periods == {
        "full-year": "full-year",
        "1-4月": "Jan-Apr",
        "1-6月": "Jan-Jun",
        "1-8月": "Jan-Aug",
        "1-9月": "Jan-Sep",
        "Q1": "Q1",
    }


def test_the_english_overview_shows_the_bundled_figures_in_english(bundled_store):
    net = overview_network(gather_overview(bundled_store))
    shown = 0
    for node in net.nodes:
        info = node.get("info") or {}
        if not any(f[0] == "产值 Output" for f in info.get("fields", [])):
            continue  # not a cluster
        texts = [node["label_en"]]  # the tooltip's lines of its output (its sources keep their titles)
        texts += [line for line in node["title_en"].splitlines() if line.startswith(("Output", "partial", "wider"))]
        texts += [f[2] for f in info["fields"] if f[0] in ("产值 Output", "口径 Scope") and len(f) == 3]
        texts += [i["text_en"] for s in info["sections"] for i in s["items"] if "text_en" in i]
        for text in texts:
            for word in (*CHINESE_UNITS, "月"):
                assert word not in text, (node["id"], text)
        shown += sum("CNY " in t for t in texts)
    assert shown >= 10
    assert net.node_map["nev"]["label_en"].endswith("\nnearly CNY 500 billion (2025)")
    assert net.node_map["nev"]["label"].endswith("\n近5000 亿元 (2025)")
