"""A firm's headquarters in English (``hq_en``, from the place-name glossary) in the views, reports and workbooks.

The firm view's English mode reads the glossary's name in its details panel; the cluster report prints a
candidate's ``hq`` with its English beside it (``总部 荷兰埃因霍温 Eindhoven, Netherlands``); both gap
workbooks carry an ``HQ (en)`` column beside ``总部 HQ`` on their Candidates and Firms sheets.
"""

from __future__ import annotations

import io
from typing import Any

import pytest
from openpyxl import load_workbook

from graph.memory_store import MemoryStore
from queries.places import place_en
from reports.city_workbook import city_workbook
from reports.fixtures import HOSTILE_CANDIDATE_ID, report_city
from reports.gather import city_report, cluster_report
from reports.html import render_cluster_report
from reports.workbook import HQ_NOT_GIVEN, SHEETS, cluster_workbook
from tests.view_support import page_view_data
from viz.render import LinkStyle, render_view
from viz.views import build_view


def panel_field(node: dict[str, Any], label: str) -> list[str]:
    """The details-panel field ``label`` of a node: ``[label, value, label_en, value_en]``."""
    fields = [f for f in node["info"]["fields"] if f[0] == label]
    assert len(fields) == 1, node["info"]["fields"]
    return fields[0]


def test_the_firm_view_carries_the_english_hq_for_its_english_mode(bundled_store):
    html = render_view(build_view(bundled_store, "firm", "nxp"), LinkStyle.file()).html
    nodes = {n["id"]: n for n in page_view_data(html)["nodes"]}
    assert panel_field(nodes["nxp"], "总部 HQ") == ["总部 HQ", "荷兰埃因霍温", "HQ", "Eindhoven, Netherlands"]


def test_a_local_firm_view_reads_its_hq_in_english_too(bundled_store):
    html = render_view(build_view(bundled_store, "firm", "catl-jiangsu"), LinkStyle.file()).html
    nodes = {n["id"]: n for n in page_view_data(html)["nodes"]}
    assert panel_field(nodes["catl-jiangsu"], "总部 HQ")[1:] == ["溧阳", "HQ", "Liyang"]


@pytest.fixture(scope="module")
def nev_report(bundled_store: MemoryStore) -> tuple[dict[str, Any], str]:
    data = cluster_report(bundled_store, "nev")
    return data, render_cluster_report(data).html


def test_the_report_prints_a_candidates_hq_in_chinese_and_english(nev_report):
    data, html = nev_report
    assert '总部 荷兰埃因霍温 <span class="en">Eindhoven, Netherlands</span>' in html
    printed = [x for g in data["gaps"] for x in g["candidates"] if x["hq"]]
    assert printed, "nev's report prints no candidate with an hq"
    for x in printed:
        assert f'总部 {x["hq"]} <span class="en">{place_en(x["hq"])}</span>' in html, x["firm_id"]


def test_an_hq_already_in_latin_letters_is_printed_once_and_escaped():
    html = render_cluster_report(cluster_report(MemoryStore(report_city()), "t-nev")).html
    assert "总部 &lt;iframe src=//x&gt; · 上市公司" in html  # its own English: not repeated
    assert "<iframe" not in html


def sheet_rows(ws: Any) -> list[dict[str, Any]]:
    heads = [c.value for c in ws[1]]
    return [dict(zip(heads, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]


def hq_en_matches(row: dict) -> bool:
    """HQ (en) is the English of 总部 HQ; an outside firm without one reads 未注明 not given / not given."""
    if row["总部 HQ"] == HQ_NOT_GIVEN:
        return row["HQ (en)"] == "not given"
    return row["HQ (en)"] == place_en(row["总部 HQ"] or "")


@pytest.mark.parametrize("sheet", [SHEETS["candidates"], SHEETS["firms"]])
def test_the_cluster_workbook_has_hq_en_beside_hq(nev_report, sheet):
    ws = load_workbook(io.BytesIO(cluster_workbook(nev_report[0])))[sheet]
    heads = [c.value for c in ws[1]]
    assert heads[heads.index("总部 HQ") + 1] == "HQ (en)"
    rows = sheet_rows(ws)
    firm = "nxp" if sheet == SHEETS["candidates"] else "catl-jiangsu"
    expected = {"nxp": ("荷兰埃因霍温", "Eindhoven, Netherlands"), "catl-jiangsu": ("溧阳", "Liyang")}[firm]
    assert {(r["总部 HQ"], r["HQ (en)"]) for r in rows if r["企业ID Firm id"] == firm} == {expected}
    assert all(hq_en_matches(r) for r in rows)


def test_the_city_workbook_has_hq_en_beside_hq(bundled_store):
    wb = load_workbook(io.BytesIO(city_workbook(city_report(bundled_store))))
    for sheet in (SHEETS["candidates"], SHEETS["firms"]):
        rows = sheet_rows(wb[sheet])
        assert {r["HQ (en)"] for r in rows if r["企业ID Firm id"] == "nxp"} == {"Eindhoven, Netherlands"}, sheet
        assert all(hq_en_matches(r) for r in rows), sheet


def test_the_hostile_candidates_hq_en_is_written_as_text():
    data = cluster_report(MemoryStore(report_city()), "t-nev")
    rows = sheet_rows(load_workbook(io.BytesIO(cluster_workbook(data)))[SHEETS["candidates"]])
    hostile = [r for r in rows if r["企业ID Firm id"] == HOSTILE_CANDIDATE_ID]
    assert hostile and all(r["HQ (en)"] == r["总部 HQ"] == "<iframe src=//x>" for r in hostile)
