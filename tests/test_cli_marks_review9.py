"""The CLI words and marks an unverified gap kind as ``chainkg gaps`` does (review 9, #3 and #4).

晶圆制造 ``ele-wafer-fab``'s 断链 and 延链 rest only on supply links the data mark unverified (its gap's
``kinds_unverified``); its 缺链 does not. ``chainkg candidates``, ``chain``, ``segment``, ``health`` and
``what-if`` print its kinds as ``chainkg gaps`` does (Chinese name by default, id with ``--lang en``) with
the mark; 锂电铜箔 ``nev-copper-foil`` (断链 on sourced links) is not marked. ``what-if`` counts
its new gaps in the singular when there is one.
"""

from __future__ import annotations

import json
import re

import pytest

from chainkg.cli import main
from chainkg.text_table import display_width

WAFER, SOURCED_BROKEN = "ele-wafer-fab", "nev-copper-foil"
LEAVERS = ["sensata-changzhou", "mettler-toledo-changzhou", "changrong-electric"]


def _out(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_candidates_marks_the_gap_kind(capsys: pytest.CaptureFixture[str]) -> None:
    head = _out(capsys, ["candidates", WAFER]).splitlines()[0]
    assert "gap: 断链（待核实）, severity" in head, head
    head = _out(capsys, ["candidates", WAFER, "--lang", "en"]).splitlines()[0]
    assert "gap: broken link (unverified), severity" in head, head
    head = _out(capsys, ["candidates", SOURCED_BROKEN]).splitlines()[0]
    assert "gap: 断链, severity" in head and "待核实" not in head, head


def test_chain_marks_the_gap_kind(capsys: pytest.CaptureFixture[str]) -> None:
    def row(argv: list[str], sid: str) -> str:
        return next(line for line in _out(capsys, argv).splitlines() if line.split()[:1] == [sid])

    # review 15a: the status as the reports label it (缺链 Missing), the kind in English words in English
    assert re.search(r"\s缺链 Missing\s+断链（待核实） \d\.\d\d\s", row(["chain", "electronics"], WAFER))
    en = row(["chain", "electronics", "--lang", "en"], WAFER)
    assert re.search(r"\smissing\s+broken link \(unverified\) \d\.\d\d\s", en), en
    sourced = row(["chain", "nev"], SOURCED_BROKEN)
    assert re.search(r"\s断链 \d\.\d\d\s", sourced) and "待核实" not in sourced, sourced


def test_segment_marks_each_unverified_kind(capsys: pytest.CaptureFixture[str]) -> None:
    def gap_line(argv: list[str]) -> str:
        lines = _out(capsys, argv).splitlines()
        return next(line.strip() for line in lines if line.strip().startswith(("gap ", "缺口 gap ")))

    assert re.fullmatch(
        r"缺口 gap\s+断链（待核实） \(缺链, 断链（待核实）, 延链（待核实）\), 严重度 severity \d\.\d\d",
        gap_line(["segment", WAFER]),
    )
    en = gap_line(["segment", WAFER, "--lang", "en"])
    assert re.fullmatch(
        r"gap\s+broken link \(unverified\) \(missing, broken link \(unverified\), extension \(unverified\)\), "
        r"severity \d\.\d\d",
        en,
    ), en
    sourced = gap_line(["segment", SOURCED_BROKEN])
    assert sourced.split()[2] == "断链" and "待核实" not in sourced, sourced


def test_health_words_the_kind_per_language_and_aligns_the_columns(capsys: pytest.CaptureFixture[str]) -> None:
    # review 15a (L11): English words the kind, not its id broken_link
    for lang, marked in (("zh", "断链（待核实）"), ("en", "broken link (unverified)")):
        lines = _out(capsys, ["health", "electronics", "--lang", lang]).splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(("most severe gaps", "主要短板 ")))
        rows = [line for line in lines[start + 1 :] if re.match(r"\s+\d\.\d\d\s", line)]
        wafer = next(line for line in rows if line.endswith(WAFER))
        assert re.split(r"  +", wafer.strip())[1] == marked, wafer
        assert "broken_link" not in wafer
        # the segment ids start in one terminal column, whatever the width of the kind before them
        assert len({display_width(line[: line.rindex(" ") + 1]) for line in rows}) == 1, rows


def test_what_if_marks_a_new_gaps_kind_and_counts_it_in_the_singular(capsys: pytest.CaptureFixture[str]) -> None:
    body = json.loads(_out(capsys, ["what-if", *LEAVERS, "--json"]))
    assert [(g["segment_id"], g["kind"]) for g in body["new_gaps"]] == [("ele-sensors", "broken_link")]
    assert "broken_link" in body["new_gaps"][0]["kinds_unverified"]
    for lang, marked in (("zh", "断链（待核实）"), ("en", "broken link (unverified)")):
        out = _out(capsys, ["what-if", *LEAVERS, "--lang", lang])
        lines = out.splitlines()
        start = next(i for i, line in enumerate(lines) if line.startswith(("new gaps", "新出现的缺口 ")))
        new = [line for line in lines[start + 1 :] if re.match(r"\s+\d\.\d\d\s", line)]
        assert [re.split(r"  +", line.strip())[1:] for line in new] == [[marked, "ele-sensors"]], new
        assert "; 1 new gap;" in lines[1] and "1 new gaps" not in out, lines[1]


def test_what_if_marks_the_kinds_of_the_segments_that_change(capsys: pytest.CaptureFixture[str]) -> None:
    """Review 9: the "segments that change" table gave gap kinds as ids, unmarked (nev-mcu-soc's 断链 before the
    leave rests only on unverified links)."""
    leavers = ["li-auto", "byd-changzhou"]
    body = json.loads(_out(capsys, ["what-if", *leavers, "--json"]))
    marked = [
        c
        for c in body["changes"]
        if c["status_changed"] and c["kind_before"] and c["kind_before"] in c["kinds_unverified_before"]
    ]
    plain = [
        c
        for c in body["changes"]
        if c["status_changed"] and c["kind_before"] and c["kind_before"] not in c["kinds_unverified_before"]
    ]
    assert marked and plain, "the case this test is about is gone"
    zh = _out(capsys, ["what-if", *leavers]).splitlines()
    en = _out(capsys, ["what-if", *leavers, "--lang", "en"]).splitlines()
    for c in marked:
        row_zh = next(line for line in zh if line.startswith(c["segment_id"] + " "))
        row_en = next(line for line in en if line.startswith(c["segment_id"] + " "))
        assert "断链（待核实） -> " in row_zh and "broken link (unverified) -> " in row_en
    for c in plain:
        row_zh = next(line for line in zh if line.startswith(c["segment_id"] + " "))
        assert "待核实" not in row_zh
    assert any(line.startswith("环节 segment") and "缺口类型 gap kind" in line for line in zh)
    assert any(line.startswith("segment ") and "gap kind" in line and "缺口" not in line for line in en)
