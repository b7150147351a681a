"""Review 16a M7: the data audit's trail ("Audit 2026-12-07 (14b): ... the README's GK rule ...") and the research
files' names were printed in the official cluster report, the workbook and ``chainkg firm``.

What readers see is :func:`queries.notes.reader_note` of a note: the part before its audit trail. The API and
``--json`` keep the whole note (the data's own record).
"""

from __future__ import annotations

import io
import re
from typing import Any

import pytest
from openpyxl import load_workbook

from chainkg.cli import main
from graph.memory_store import MemoryStore
from queries.notes import reader_note
from reports.gather import cluster_report
from reports.html import render_cluster_report
from reports.workbook import cluster_workbook

MAINTAINERS = re.compile(r"Audit \d{4}-\d{2}-\d{2}|changzhou_facts|the README")
"""Maintainers' words: an audit's date stamp, a research file, the data README (the workbook's own 说明 README sheet
is the reader's)."""


@pytest.mark.parametrize("cluster", ["nev", "new-energy", "high-end-equipment"])
def test_the_cluster_report_and_its_workbook_carry_no_audit_trail(bundled_store: MemoryStore, cluster: str) -> None:
    data = cluster_report(bundled_store, cluster)
    html = render_cluster_report(data).html
    assert not MAINTAINERS.search(html), MAINTAINERS.search(html)
    book = load_workbook(io.BytesIO(cluster_workbook(data)))
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                assert not (isinstance(value, str) and MAINTAINERS.search(value)), (sheet.title, value)


def test_the_firm_page_keeps_the_readers_part(capsys: Any, api_client: Any) -> None:
    note = api_client.get("/api/v1/firms/catl").json()["note"]
    assert "Audit 2026-12-07" in note  # the API keeps the data's record
    assert main(["firm", "catl"]) == 0
    out = capsys.readouterr().out
    assert reader_note(note) in out and "Audit" not in out


def test_every_bundled_note_keeps_its_text_before_the_trail(bundled_store: MemoryStore) -> None:
    seen = 0
    from graph.model import NodeKind

    for node in (n for kind in NodeKind for n in bundled_store.nodes(kind)):
        note = getattr(node, "note", "")
        if "Audit 20" in note:
            seen += 1
            kept = reader_note(note)
            assert note.startswith(kept) and "Audit 20" not in kept
    assert seen > 10


def test_the_firm_view_panel_keeps_the_readers_part(bundled_store: MemoryStore) -> None:
    from tests.view_support import rendered_view

    data, html = rendered_view(bundled_store, "firm", "catl")
    centre = next(n for n in data["nodes"] if n["id"] == "catl")
    assert centre["info"]["note"] == reader_note(bundled_store.node("catl").note)
    assert not any(MAINTAINERS.search(str(n["info"].get("note", ""))) for n in data["nodes"])
