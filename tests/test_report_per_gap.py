"""``per_gap`` on a cluster's report, brief and workbook (``--per-gap N``, ``?per_gap=N``), review 14.

A 招商 officer preparing a leadership meeting found the brief's 先找谁 first firms to approach for NEV were four
copper-foil makers: one gap with many good candidates filled the list. ``chainkg targets nev --per-gap 1`` keeps
only each gap's first choice; the report, the brief and the workbook now take the same option, list what
:func:`queries.targets.targets` lists with it, and say so. Without it nothing changes.
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest
from openpyxl import load_workbook

from chainkg.cli import main
from graph.errors import InvalidQuery
from graph.memory_store import MemoryStore
from queries.candidates import rank_candidates
from queries.targets import targets
from reports.gather import TARGETS_TOP, cluster_report
from reports.html import BRIEF_TARGETS, ServedLinks, render_brief, render_cluster_report
from reports.workbook import SHEETS, cluster_workbook
from tests.test_reports_brief import assert_refused
from tests.test_reports_targets import parsed

NOTE_ZH = "每个缺口只取前 1 名候选（同分并列者一并保留）"
NOTE_EN = "Only the first 1 candidate(s) of each gap (and any tied with them)"


@pytest.fixture(scope="module")
def cut(bundled_store: MemoryStore) -> dict[str, Any]:
    return cluster_report(bundled_store, "nev", per_gap=1)


@pytest.fixture(scope="module")
def whole(bundled_store: MemoryStore) -> dict[str, Any]:
    return cluster_report(bundled_store, "nev")


def _first_choices(store: MemoryStore, item: dict[str, Any]) -> list[str]:
    """The gaps of a target where the firm is ranked first (alone or tied) among the gap's candidates."""
    out = []
    for gap in item["gaps"]:
        ranked = rank_candidates(store, gap["segment_id"])
        if any(c["firm_id"] == item["firm_id"] and c["rank"] == 1 for c in ranked):
            out.append(gap["segment_id"])
    return out


def _target_rows(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<tr id="target-(\d+)">', html)]


def test_the_report_lists_the_querys_per_gap_list_and_each_firm_is_a_first_choice(
    bundled_store: MemoryStore, cut: dict[str, Any], whole: dict[str, Any]
) -> None:
    expected = targets(bundled_store, "nev", per_gap=1)
    assert cut["per_gap"] == 1
    assert [t["firm_id"] for t in cut["targets"]] == [t["firm_id"] for t in expected]
    assert [(t["rank"], t["priority"]) for t in cut["targets"]] == [(t["rank"], t["priority"]) for t in expected]
    assert [t["row"] for t in cut["targets"]] == list(range(1, len(expected) + 1))
    for item in cut["targets"]:  # each kept firm is the first choice of one of its gaps, by the gaps' own ranking
        assert _first_choices(bundled_store, item), item["firm_id"]
    kept = {t["firm_id"] for t in cut["targets"]}
    dropped = [t for t in whole["targets"] if t["firm_id"] not in kept]
    assert dropped, "per_gap=1 dropped nobody: the test shows nothing"
    for item in dropped:  # and each firm dropped is the first choice of none
        assert not _first_choices(bundled_store, item), item["firm_id"]
    # the review's case: one gap's candidates no longer fill the brief's first five
    head = cut["targets"][:BRIEF_TARGETS]
    segments = [min(t["gaps"], key=lambda g: g["rank"])["segment_id"] for t in head]
    assert len(set(segments)) > 1
    whole_head = [min(t["gaps"], key=lambda g: g["rank"])["segment_id"] for t in whole["targets"][:BRIEF_TARGETS]]
    # never fewer gaps in the head than without the cut (since review 16a's profile weights the whole list's head
    # spreads over four gaps too: 铜箔 twice, not four times)
    assert len(set(segments)) >= len(set(whole_head))


def test_the_gaps_and_candidates_are_not_cut(cut: dict[str, Any], whole: dict[str, Any]) -> None:
    assert [(g["segment_id"], len(g["all_candidates"]), len(g["candidates"])) for g in cut["gaps"]] == [
        (g["segment_id"], len(g["all_candidates"]), len(g["candidates"])) for g in whole["gaps"]
    ]


def test_without_per_gap_nothing_changes(bundled_store: MemoryStore, whole: dict[str, Any]) -> None:
    assert whole["per_gap"] is None
    assert [t["firm_id"] for t in whole["targets"]] == [t["firm_id"] for t in targets(bundled_store, "nev")]
    for page in (render_brief(whole, links=ServedLinks()).html, render_cluster_report(whole, links=ServedLinks()).html):
        assert "per-gap-note" not in page and "per_gap" not in page and NOTE_ZH not in page


def test_the_brief_lists_the_first_five_of_the_cut_list_and_says_so(cut: dict[str, Any]) -> None:
    html = render_brief(cut).html
    assert _target_rows(html) == [t["row"] for t in cut["targets"][:BRIEF_TARGETS]]
    for t in cut["targets"][:BRIEF_TARGETS]:
        assert t["name_zh"] in html.split(f'<tr id="target-{t["row"]}">')[1].split("</tr>")[0]
    section = html.split('<h2 id="targets">')[1]
    (note,) = re.findall(r'<p class="note" id="per-gap-note">(.*?)</p>', section, re.S)
    assert NOTE_ZH in note and NOTE_EN in note
    assert section.index('id="per-gap-note"') < section.index('<table class="targets')


def test_the_full_report_lists_the_first_ten_of_the_cut_list_and_says_so(cut: dict[str, Any]) -> None:
    html = render_cluster_report(cut).html
    section = html.split('<section class="part" id="targets">')[1].split("</section>")[0]
    assert _target_rows(section) == [t["row"] for t in cut["targets"][:TARGETS_TOP]]
    assert NOTE_ZH in section and NOTE_EN in section


def test_the_served_links_keep_per_gap(cut: dict[str, Any]) -> None:
    brief = parsed(render_brief(cut, links=ServedLinks()).html).hrefs
    assert "../nev?per_gap=1" in brief and "../nev.xlsx?per_gap=1" in brief
    report = parsed(render_cluster_report(cut, links=ServedLinks()).html).hrefs
    assert "nev/brief?per_gap=1" in report and "nev.xlsx?per_gap=1" in report


def test_the_workbook_lists_the_cut_list_and_its_readme_says_so(
    bundled_store: MemoryStore, cut: dict[str, Any]
) -> None:
    wb = load_workbook(io.BytesIO(cluster_workbook(cut)))
    ws = wb["先找谁 Targets"]
    head = [c.value for c in ws[1]]
    ids = [dict(zip(head, row, strict=True))["企业ID Firm id"] for row in ws.iter_rows(min_row=2, values_only=True)]
    assert ids == [t["firm_id"] for t in targets(bundled_store, "nev", per_gap=1)]
    readme = [str(v) for row in wb[SHEETS["readme"]].iter_rows(values_only=True) for v in row if v is not None]
    assert any("每个缺口只取前 1 名候选" in v and "only the first 1 candidate(s) of each gap" in v for v in readme)


def test_a_per_gap_below_one_is_refused(bundled_store: MemoryStore) -> None:
    with pytest.raises(InvalidQuery, match="per_gap must be at least 1; got 0"):
        cluster_report(bundled_store, "nev", per_gap=0)


def test_cli_writes_the_cut_brief_and_report(
    bundled_store: MemoryStore, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    monkeypatch.chdir(tmp_path)
    expected = targets(bundled_store, "nev", per_gap=1)
    assert main(["report", "nev", "--brief", "--per-gap", "1"]) == 0
    out = capsys.readouterr().out
    assert f"the first 5 of {len(expected)} firms to approach (only the first 1 candidate(s) of each gap)" in out
    html = (tmp_path / "brief-nev.html").read_text(encoding="utf-8")
    assert NOTE_ZH in html and NOTE_EN in html
    for row, t in enumerate(expected[:BRIEF_TARGETS], start=1):
        assert t["name_zh"] in html.split(f'<tr id="target-{row}">')[1].split("</tr>")[0]
    assert main(["report", "nev", "--per-gap", "1", "-o", "full.html"]) == 0
    assert f"{len(expected)} firms to approach (only the first 1" in capsys.readouterr().out
    full = (tmp_path / "full.html").read_text(encoding="utf-8")
    assert NOTE_ZH in full.split('id="targets"')[1]
    assert main(["report", "nev", "--brief", "-o", "plain.html"]) == 0  # without it: the whole list, no note
    assert "(only the first" not in capsys.readouterr().out
    assert NOTE_ZH not in (tmp_path / "plain.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--all", "--per-gap", "1"], "--per-gap cuts one cluster's 先找谁 list: give a cluster id"),
        (["report", "--targets", "--per-gap", "1"], "the city's is: chainkg targets --per-gap N"),
    ],
)
def test_cli_refuses_per_gap_without_a_cluster(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert_refused(argv, message, tmp_path, monkeypatch, capsys)


def test_cli_refuses_a_per_gap_below_one(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as exit_:
        main(["report", "nev", "--brief", "--per-gap", "0"])
    assert exit_.value.code == 2
    assert "--per-gap: expected a whole number from 1 to 50; got 0" in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


@pytest.mark.parametrize("path", ["/reports/clusters/nev/brief", "/reports/clusters/nev"])
def test_the_routes_answer_the_cut_page_and_its_links(api_client: Any, bundled_store: MemoryStore, path: str) -> None:
    expected = targets(bundled_store, "nev", per_gap=1)
    page = api_client.get(path, params={"per_gap": 1})
    assert page.status_code == 200 and page.headers["content-type"].startswith("text/html")
    assert NOTE_ZH in page.text and NOTE_EN in page.text
    shown = BRIEF_TARGETS if path.endswith("/brief") else TARGETS_TOP
    for row, t in enumerate(expected[:shown], start=1):
        assert t["name_zh"] in page.text.split(f'<tr id="target-{row}">')[1].split("</tr>")[0]
    kept = [h for h in parsed(page.text).hrefs if "per_gap=1" in h]
    assert len(kept) >= 2
    for href in kept:
        assert api_client.get(urljoin(f"http://testserver{path}", href)).status_code == 200, href
    plain = api_client.get(path)
    assert plain.status_code == 200 and NOTE_ZH not in plain.text and "per_gap" not in plain.text


@pytest.mark.parametrize("path", ["/reports/clusters/nev/brief", "/reports/clusters/nev"])
def test_the_routes_refuse_per_gap_zero_as_other_parameters(api_client: Any, path: str) -> None:
    page = api_client.get(path, params={"per_gap": 0}, headers={"Accept": "text/html"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert '<li data-param="per_gap">' in page.text and "应为 1–50 的整数" in page.text
    body = api_client.get(path, params={"per_gap": 0}, headers={"Accept": "application/json"})
    assert body.status_code == 422 and body.headers["content-type"] == "application/problem+json"
    errors = body.json()["errors"]
    assert [(e["loc"], e["input"]) for e in errors] == [(["query", "per_gap"], "0")]
    year = api_client.get(path, params={"year": 1800}, headers={"Accept": "application/json"}).json()
    assert sorted(year) == sorted(body.json())  # the same problem shape as a bad year


def test_the_workbook_routes_take_per_gap(api_client: Any, bundled_store: MemoryStore) -> None:
    expected = [t["firm_id"] for t in targets(bundled_store, "nev", per_gap=2)]
    for path, params in (
        ("/reports/clusters/nev.xlsx", {"per_gap": 2}),
        ("/reports/clusters/nev", {"per_gap": 2, "format": "xlsx"}),
    ):
        response = api_client.get(path, params=params)
        assert response.status_code == 200, path
        ws = load_workbook(io.BytesIO(response.content))["先找谁 Targets"]
        head = [c.value for c in ws[1]]
        col = head.index("企业ID Firm id")
        assert [row[col] for row in ws.iter_rows(min_row=2, values_only=True)] == expected, path
    refused = api_client.get("/reports/clusters/nev.xlsx", params={"per_gap": 0})
    assert refused.status_code == 422 and refused.headers["content-type"] == "application/problem+json"
    assert urlsplit(refused.json()["instance"]).path == "/reports/clusters/nev.xlsx"
