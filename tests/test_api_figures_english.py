"""Review 9: the API gave a cluster's figures only as published (亿元, 1-9月); the views word them in English.

``GET /api/v1/clusters/{id}`` now gives each figure ``text_zh`` and ``text_en``, worded by the same functions as
the views (``queries.figures``), checked here against the raw value, unit and period.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from queries.figures import figure_text

CJK = "\u4e00-\u9fff"


@pytest.fixture(scope="module")
def every_figure(api_client) -> list[tuple[str, dict]]:
    out = []
    for cluster in api_client.get("/api/v1/clusters").json()["items"]:
        body = api_client.get(f"/api/v1/clusters/{cluster['id']}").json()
        out += [(cluster["id"], fig) for fig in body["figures"]]
    assert len(out) >= 20
    return out


def test_every_figure_is_worded_in_both_languages(every_figure):
    for cluster, fig in every_figure:
        assert fig["text_zh"] and fig["text_en"], (cluster, fig)
        assert str(fig["year"]) in fig["text_zh"] and str(fig["year"]) in fig["text_en"]


def test_yuan_in_yi_is_converted_exactly_in_english(every_figure):
    yi = [(c, f) for c, f in every_figure if f["unit"] == "亿元"]
    assert yi
    for cluster, fig in yi:
        assert "亿元" in fig["text_zh"] and "亿元" not in fig["text_en"], (cluster, fig["text_en"])
        billions = Decimal(str(fig["value"])) / 10
        shown = format(billions.normalize(), ",f")  # grouped in thousands: CNY 1,047.9 billion
        assert f"CNY {shown} billion" in fig["text_en"], (cluster, fig["value"], fig["text_en"])


def test_months_are_named_in_english(every_figure):
    months = [(c, f) for c, f in every_figure if f["period"] == "1-9月"]
    assert months
    for cluster, fig in months:
        assert "1-9月" in fig["text_zh"] and "Jan-Sep" in fig["text_en"], (cluster, fig)


def test_the_text_is_the_views_wording(every_figure):
    # a figure without a scope is worded as figure_text words it, for either page
    plain = [(c, f) for c, f in every_figure if not f["scope"] and "District" not in f["note"]]
    assert plain
    for _, fig in plain:
        assert fig["text_zh"] == figure_text(fig) and fig["text_en"] == figure_text(fig, english=True)
