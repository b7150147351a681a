"""Review 7 (findings 4, 7, 9, 10): what the CLI says about the report, a segment that is no gap, an empty hq and
an incomplete published list.

- ``report CLUSTER`` said it wrote "57 candidate firms" while the HTML shows the first ``--top`` of each gap;
- ``candidates`` on a strong segment with no outside firm asked for research (需另行调研), the words for a gap;
- ``targets`` and ``candidates`` left the hq cell blank when the data give no headquarters;
- ``health --list-year 2022`` showed "7 of 7 clusters" of a list of ten with no word that 3 are unknown.

Expected values come from the queries and the data, never typed in here.
"""

from __future__ import annotations

import csv
import json
import re
from pathlib import Path

import pytest

from chainkg.cli import main
from chainkg.text_table import display_width
from queries.candidates import rank_candidates
from queries.clusters import LIST_SIZE, LIST_YEARS, list_clusters
from queries.gaps import gaps
from queries.segments import get_segment
from queries.targets import targets
from reports.gather import cluster_report

DATA = Path(__file__).resolve().parents[1] / "data" / "changzhou"
CJK = re.compile(r"[\u3400-\u9fff]")


def out_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0, argv
    return capsys.readouterr().out


# 9: the report's summary line says what the HTML holds


@pytest.mark.parametrize("top", [1, 3])
def test_the_report_line_counts_the_rows_the_html_shows(bundled_store, tmp_path, capsys, top):
    data = cluster_report(bundled_store, "nev", top=top)
    counts = data["candidate_counts"]
    path = tmp_path / "nev.html"
    out = out_of(capsys, ["report", "nev", "--top", str(top), "-o", str(path)])
    rows = path.read_text(encoding="utf-8").count('<tr class="candidate">')
    shown = {x["firm_id"] for g in data["gaps"] for x in g["candidates"]}
    assert rows < counts["entries"], "the report shows fewer rows than the data have candidates"
    plural = "s" if top != 1 else ""
    assert f"{counts['gaps']} gaps, top {top} candidate{plural} per gap ({rows} rows, {len(shown)} firms; " in out
    assert f"{counts['firms']} candidate firms in all, {counts['entries']} entries" in out
    assert "--xlsx writes the full list" in out
    assert f"{counts['firms']} candidate firms (" not in out, "the old line read as the file's content"


def test_the_workbook_line_still_counts_every_candidate(bundled_store, tmp_path, capsys):
    counts = cluster_report(bundled_store, "nev")["candidate_counts"]
    out = out_of(capsys, ["report", "nev", "--xlsx", "-o", str(tmp_path / "nev.xlsx")])
    assert f"{counts['gaps']} gaps, {counts['firms']} candidate firms ({counts['entries']} candidate entries)" in out
    assert "per gap" not in out


# 10: a segment that is no gap is not sent to research


def test_a_segment_that_is_no_gap_says_so_without_asking_for_research(bundled_store, capsys):
    segment = get_segment(bundled_store, "nev-vehicle")
    assert segment["gap_kind"] is None and segment["status"] == "strong"
    assert rank_candidates(bundled_store, "nev-vehicle") == []
    default = out_of(capsys, ["candidates", "nev-vehicle"]).splitlines()
    english = out_of(capsys, ["candidates", "nev-vehicle", "--lang", "en"]).splitlines()
    assert (
        default[1].startswith("不是缺口（强链）：")
        and " / not a gap (strong): no outside firm in the data" in default[1]
    )
    assert english[1] == "not a gap (strong): no outside firm in the data operates in this segment or below it"
    for line in (default[1], english[1]):
        assert "research" not in line and "调研" not in line


def test_a_gap_without_candidates_still_needs_research(bundled_store, capsys):
    empty = gaps(bundled_store, None, has_candidates=False)[0]["segment_id"]
    default = out_of(capsys, ["candidates", empty]).splitlines()
    english = out_of(capsys, ["candidates", empty, "--lang", "en"]).splitlines()
    assert "gap:" in default[0] and "需另行调研" in default[1] and "not a gap" not in default[1]
    assert english[1].endswith("it needs research") and not CJK.search(english[1])


# 7: an hq the data do not give reads 未注明 / not given, not a blank cell


def hq_column(lines: list[str], firm_column: int) -> dict[str, str]:
    """Each firm row's hq cell, by firm id (the ``firm_column``-th word), cut where the header's ``hq`` column is
    (``总部 hq`` in Chinese mode)."""
    header = next(line for line in lines if line.split()[:1] in (["#"], ["rank"], ["排名"]))
    hq, name = (" 总部 hq ", " 名称 name") if "总部" in header else (" hq ", " name")
    start, end = display_width(header[: header.index(hq) + 1]), display_width(header[: header.index(name)])
    rows = [  # a rank, then a score or priority (the rank is right-aligned under the wider 排名 rank)
        line for line in lines if line.split()[:1] and line.split()[0].rstrip("=").isdigit() and "." in line.split()[1]
    ]
    return {line.split()[firm_column]: columns(line, start, end).strip() for line in rows}


def columns(line: str, start: int, end: int) -> str:
    """The characters of ``line`` between display columns ``start`` and ``end`` (a Chinese character is two)."""
    out, at = [], 0
    for char in line:
        if start <= at < end:
            out.append(char)
        at += display_width(char)
    return "".join(out)


def test_targets_show_an_hq_or_says_it_is_not_given(bundled_store, capsys):
    ranked = targets(bundled_store, "biomedicine")[:20]
    without = [t["firm_id"] for t in ranked if not (t.get("hq") or "").strip()]
    with_hq = [t["firm_id"] for t in ranked if (t.get("hq") or "").strip()]
    assert without and with_hq, "the first 20 biomedicine targets include firms with and without an hq"
    ids = [t["firm_id"] for t in ranked]
    for lang, placeholder in (("zh", "未注明"), ("en", "not given")):
        lines = out_of(capsys, ["targets", "biomedicine", "--lang", lang]).splitlines()
        cells = hq_column(lines, 3)
        assert set(cells) == set(ids)
        assert all(cells[f] == placeholder for f in without), (lang, cells)
        assert all(cells[f] and cells[f] != placeholder for f in with_hq), (lang, cells)


def test_candidates_show_an_hq_or_says_it_is_not_given(bundled_store, capsys):
    segment = next(
        g["segment_id"]
        for g in gaps(bundled_store, None, has_candidates=True)
        if any(not (c.get("hq") or "").strip() for c in rank_candidates(bundled_store, g["segment_id"])[:10])
    )
    ranked = rank_candidates(bundled_store, segment)[:10]
    ids = [c["firm_id"] for c in ranked]
    for lang, placeholder in (("zh", "未注明"), ("en", "not given")):
        cells = hq_column(out_of(capsys, ["candidates", segment, "--lang", lang]).splitlines(), 2)
        assert set(cells) == set(ids)
        for c in ranked:
            assert (cells[c["firm_id"]] == placeholder) == (not (c.get("hq") or "").strip()), (lang, c["firm_id"])


# 4: an incomplete published list says how many of its ten are known


def test_the_list_size_is_the_one_the_data_state():
    """LIST_SIZE is the ten of 十大先进制造业集群: the complete 2024 list holds that many, and the 2022 note
    names its missing slots up to it."""
    with (DATA / "cluster_lists.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    by_year = {year: [r for r in rows if int(r["list_year"]) == year] for year in LIST_YEARS}
    assert len(by_year[2024]) == LIST_SIZE
    slots = [m for r in by_year[2022] for m in re.findall(r"slots (\d+)-(\d+)", r["note"])]
    assert slots == [(str(len(by_year[2022]) + 1), str(LIST_SIZE))]


def test_health_says_when_a_list_is_incomplete(bundled_store, capsys):
    for year in LIST_YEARS:
        known = len(list_clusters(bundled_store, year))
        default = out_of(capsys, ["health", "--list-year", str(year)]).splitlines()
        english = out_of(capsys, ["health", "--list-year", str(year), "--lang", "en"]).splitlines()
        # review 15a: the paging line is Chinese first, its English after " / "
        footer = default.index(f"第 1-{known} 项，共 {known} 个集群 / showing 1-{known} of {known} clusters")
        if known < LIST_SIZE:
            rest = LIST_SIZE - known
            assert default[footer + 1] == (
                f"{year} 年名单仅知 {known} 个集群（共 {LIST_SIZE} 个；其余 {rest} 个在已查来源中均未找到） / "
                f"the {year} list: {known} of its {LIST_SIZE} clusters are known; "
                f"the other {rest} were not found in any source consulted"
            )
            english_note = [line for line in english if line.startswith(f"the {year} list: {known} of its")]
            assert len(english_note) == 1 and not CJK.search(english_note[0])
        else:
            assert not any("list:" in line or "名单" in line for line in default + english)
    assert len(list_clusters(bundled_store, 2022)) < LIST_SIZE, "the bundled 2022 list is the incomplete one"


def test_health_without_a_list_or_as_json_adds_no_list_note(capsys):
    assert "of its 10 clusters" not in out_of(capsys, ["health"])
    body = json.loads(out_of(capsys, ["health", "--list-year", "2022", "--json"]))  # the API's body, note included
    assert body["list_size"] == LIST_SIZE and body["list_note_zh"].startswith("2022 年名单仅知")


def test_api_lists_say_when_the_data_know_only_part_of_a_published_list(api_client):
    for url in ("/api/v1/clusters?list_year=2022", "/api/v1/health-ranking?list_year=2022"):
        body = api_client.get(url).json()
        assert body["list_size"] == 10 and body["total"] < 10, url
        assert f"仅知 {body['total']} 个集群" in body["list_note_zh"], url
        assert f"{body['total']} of its 10 clusters are known" in body["list_note_en"], url
    full = api_client.get("/api/v1/clusters?year=2024").json()
    assert full["total"] == full["list_size"] == 10 and full["list_note_zh"] is None and full["list_note_en"] is None
    assert api_client.get("/api/v1/clusters").json()["list_size"] is None


def test_the_summary_report_of_the_2022_list_says_it_is_known_in_part(bundled_store):
    from reports.gather import summary_report
    from reports.html import render_summary_report

    data = summary_report(bundled_store, list_year=2022)
    known = len(data["ranking"])
    html = render_summary_report(data).html
    assert known < 10 and f"2022 年名单仅知 {known} 个集群" in html and f"{known} of its 10 clusters are known" in html
    assert "仅知" not in render_summary_report(summary_report(bundled_store, list_year=2024)).html
