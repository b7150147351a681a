"""A cluster's meeting brief (``/reports/clusters/{id}/brief``, ``chainkg report ID --brief``), review 11.

The brief is the full report's data cut short (:func:`reports.html.render_brief`): these tests check that what it
lists is the head of what the full report lists, in the same order, that its links resolve, that hostile data
prints as text, and the CLI's options. ``tests/test_reports_browser.py`` prints it to A4.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from chainkg.cli import main
from graph.memory_store import MemoryStore
from queries.health import health_ranking
from reports.fixtures import HOSTILE_NAME, report_city
from reports.gather import cluster_report, latest_figure
from reports.html import BRIEF_GAPS, BRIEF_TARGETS, ServedLinks, render_brief
from tests.test_reports_targets import parsed


@pytest.mark.parametrize("cluster_id", ["nev", "green-steel", "digital-info"])
def test_the_brief_lists_the_head_of_the_full_report(bundled_store: MemoryStore, cluster_id: str) -> None:
    data = cluster_report(bundled_store, cluster_id)
    html = render_brief(data).html
    rows = [int(n) for n in re.findall(r'<tr id="gap-(\d+)">', html)]
    assert rows == [g["rank"] for g in data["gaps"][:BRIEF_GAPS]]
    for gap in data["gaps"][:BRIEF_GAPS]:
        row = html.split(f'<tr id="gap-{gap["rank"]}">')[1].split("</tr>")[0]
        assert gap["segment_name_zh"] in row and gap["explanation_zh"] in row
        if gap["all_candidates"]:  # review 12: a tie for first was printed as one firm 居首
            firsts = [x["name_zh"] for x in gap["all_candidates"] if x["rank"] == 1]
            lead = f"{len(firsts)} 家同分并列居首：" if len(firsts) > 1 else "居首："
            assert f"外地候选 {len(gap['all_candidates'])} 家，{lead}{'、'.join(firsts)}" in row
        else:
            assert "数据中暂无外地候选，需调研" in row
    targets = [int(n) for n in re.findall(r'<tr id="target-(\d+)">', html)]
    assert targets == [t["row"] for t in data["targets"][:BRIEF_TARGETS]]
    for anchor in data["anchors"]:
        assert f'data-firm="{anchor["id"]}"' in html
    for gap in data["gaps"]:
        if not gap["all_candidates"]:
            assert f"#{gap['rank']} {gap['segment_name_zh']}" in html.split('id="research"')[1]
    mine = next(h for h in health_ranking(bundled_store) if h["cluster_id"] == cluster_id)
    assert f"第 {mine['rank']} / 11 名" in html


def test_the_head_figure_is_the_clusters_output_else_its_revenue(bundled_store: MemoryStore) -> None:
    nev = render_brief(cluster_report(bundled_store, "nev")).html
    card = nev.split('id="latest-figure"')[1].split("</div></div>")[0]
    assert "最新产值 Output" in card and "5,000" in card
    steel = cluster_report(bundled_store, "green-steel")
    assert latest_figure(steel["cluster"])["metric"] == "revenue"
    card = render_brief(steel).html.split('id="latest-figure"')[1]
    assert card.split("</div>")[0].endswith("营业收入 Revenue")


def test_hostile_names_print_as_text_and_the_brief_runs_no_script() -> None:
    page = render_brief(cluster_report(MemoryStore(report_city()), "t-nev"), links=ServedLinks())
    assert HOSTILE_NAME not in page.html and "&lt;img src=x onerror=alert(5)&gt;" in page.html
    assert "<script" not in page.html and "script-src 'none'" in page.csp


def test_every_cited_source_is_in_the_appendix(bundled_store: MemoryStore) -> None:
    html = render_brief(cluster_report(bundled_store, "nev")).html
    links = parsed(html)
    inside = {h[1:] for h in links.hrefs if h.startswith("#")}
    assert inside and inside <= links.ids, inside - links.ids
    assert not [h for h in links.hrefs if not h.startswith(("#", "http://", "https://"))], "a file has no site links"


def test_served_brief_links_answer(api_client: Any) -> None:
    response = api_client.get("/reports/clusters/nev/brief")
    assert response.status_code == 200 and response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    base = "http://testserver/reports/clusters/nev/brief"
    checked = set()
    for href in parsed(response.text).hrefs:
        if href.startswith(("#", "http://", "https://")):
            continue
        path = urlsplit(urljoin(base, href))._replace(fragment="").geturl()
        if path not in checked:
            checked.add(path)
            assert api_client.get(path).status_code == 200, path
    site = "http://testserver/"
    assert {site, site + "reports/clusters/nev", site + "views/clusters/nev", site + "reports/targets"} <= checked
    assert 'href="nev/brief"' in api_client.get("/reports/clusters/nev").text


def test_an_unknown_cluster_links_to_the_nearest_brief(api_client: Any) -> None:
    page = api_client.get("/reports/clusters/nevv/brief", headers={"Accept": "text/html"})
    assert page.status_code == 404 and '<a href="../nev/brief">nev</a>' in page.text
    assert api_client.get(urljoin("http://testserver/reports/clusters/nevv/brief", "../nev/brief")).status_code == 200
    bad = api_client.get("/reports/clusters/nev/brief", params={"year": 1800}, headers={"Accept": "text/html"})
    assert bad.status_code == 422 and 'data-param="year"' in bad.text


def test_cli_writes_the_brief(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["report", "nev", "--brief"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"wrote brief-nev\.html \(the 5 most severe of 16 gaps, the first 5 of \d+ firms to approach", out)
    assert 'id="report-title">新能源汽车及汽车核心零部件<' in (tmp_path / "brief-nev.html").read_text(encoding="utf-8")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "--brief"], "give its id (e.g. chainkg report nev --brief)"),
        (["report", "--all", "--brief"], "give its id"),
        (["report", "nev", "--brief", "--xlsx"], "not --xlsx"),
        (["report", "nev", "--brief", "--per-gap", "1", "--top", "2"], "takes a cluster id, --year, --per-gap and -o"),
        (["report", "--brief", "--per-gap", "1"], "give its id (e.g. chainkg report nev --brief)"),
        (["report", "nev", "--brief", "--top", "4"], "not --top"),
        (["report", "nev", "--brief", "--list-year", "2024"], "not --list-year"),
        (["report", "--targets", "--brief"], "not both"),
    ],
)
def test_cli_refuses_options_the_brief_does_not_take(
    argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any
) -> None:
    assert_refused(argv, message, tmp_path, monkeypatch, capsys)


def assert_refused(argv: list[str], message: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    """``chainkg argv`` run in ``tmp_path`` exits 2 with ``message`` on stderr and writes nothing."""
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir())


def test_the_brief_says_which_gaps_its_first_firms_fill_and_marks_an_old_figure(bundled_store: MemoryStore) -> None:
    data = cluster_report(bundled_store, "nev")
    html = render_brief(data).html
    covered = [g["gap_rank"] for t in data["targets"][:BRIEF_TARGETS] for g in t["gaps"] if g["counted"]]
    note = html.split('id="targets-cover">')[1].split("</p>")[0]
    for rank in set(covered):
        assert f"#{rank}（{covered.count(rank)} 家）" in note
    assert ("最严重的缺口 #1" in note) == (1 not in covered)
    bio = render_brief(cluster_report(bundled_store, "biomedicine")).html
    assert "较旧 dated" in bio.split('id="latest-figure"')[1].split("</div></div>")[0]  # 2016, one park
    assert "较旧 dated" not in html.split('id="latest-figure"')[1].split("</div></div>")[0]  # 2025


@pytest.mark.parametrize("cluster_id", ["nev", "green-steel", "digital-info"])
def test_the_brief_says_a_gap_is_a_gap_in_the_data_and_sets_the_published_completeness_beside_it(
    bundled_store: MemoryStore, cluster_id: str
) -> None:
    """Review 14a: the brief read "常州暂无本地企业" as a fact about the city, against the city's published
    97 % battery chain, and dropped the full report's caveat. It now carries the caveat, and the latest
    published completeness figure with the data's own share, as the full report's completeness table has it."""
    data = cluster_report(bundled_store, cluster_id)
    (paragraph,) = re.findall(r'<p class="note" id="brief-note">(.*?)</p>', render_brief(data).html, re.S)
    caveat = re.sub(r"<[^>]+>", "", paragraph)
    assert "数据中无企业不等于现实中无企业" in caveat and "none in the data is not none in Changzhou" in caveat
    published = [p for p in data["layers"]["completeness"]["published"] if p["difference_pp"] is not None]
    if not published:
        assert "公开数据" not in caveat
        return
    latest = published[-1]
    share = f"{latest['computed']['share'] * 100:.1f}%"
    assert f"公开数据：{latest['year']} 年" in caveat
    assert f"本数据 {share}（{latest['difference_pp']:+.1f} 个百分点）" in caveat


def test_nev_brief_has_a_published_completeness_figure(bundled_store: MemoryStore) -> None:
    data = cluster_report(bundled_store, "nev")
    assert any(p["difference_pp"] is not None for p in data["layers"]["completeness"]["published"])
