"""Review 16a L2: the workbooks colleagues print and hand out had no print setup (portrait, no fit, no repeated
header): an 18-26 column sheet split across pages with its header on the first only. Every data sheet now prints
landscape, one page wide (A3 when wide), with its header row on every page and page numbers."""

from __future__ import annotations

import io

import pytest
from openpyxl import load_workbook

from graph.memory_store import MemoryStore
from reports.city_workbook import city_workbook
from reports.gather import city_report, cluster_report
from reports.workbook import cluster_workbook


@pytest.mark.parametrize("which", ["nev", "city"])
def test_every_data_sheet_prints_landscape_one_page_wide_with_its_header(
    bundled_store: MemoryStore, which: str
) -> None:
    data = cluster_report(bundled_store, "nev") if which == "nev" else city_report(bundled_store)
    raw = cluster_workbook(data) if which == "nev" else city_workbook(data)
    book = load_workbook(io.BytesIO(raw))
    sheets = [ws for ws in book.worksheets if ws.freeze_panes == "A2"]  # the data sheets (the guide is not one)
    assert len(sheets) >= 4
    for ws in sheets:
        setup = ws.page_setup
        assert (setup.orientation, setup.fitToWidth, setup.fitToHeight) == ("landscape", 1, 0), ws.title
        assert ws.sheet_properties.pageSetUpPr.fitToPage, ws.title
        assert ws.print_title_rows == "$1:$1", ws.title
        assert "&P" in ws.oddFooter.center.text, ws.title
