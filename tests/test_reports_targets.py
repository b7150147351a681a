"""The city's 先找谁 page (``/reports/targets``, ``chainkg report --targets``): whom to approach first, every cluster.

Review 11 found the city-wide list of firms to approach reachable only as JSON or as a workbook sheet. These
tests check the page against the queries it is built from (:func:`queries.targets.targets`, the gaps, the
health ranking), that its links and anchors resolve, that hostile data prints as text, and the CLI's options.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

import pytest

from chainkg.cli import main as run_cli
from graph.errors import InvalidQuery
from graph.memory_store import MemoryStore
from queries.candidates import rank_candidates
from queries.gaps import gaps
from queries.health import health_ranking
from queries.targets import targets
from reports.city_targets import CLUSTER_FIRST, city_gap_ranks, city_targets_report
from reports.city_workbook import _city_ranks
from reports.fixtures import HOSTILE_NAME, report_city
from reports.gather import city_report, cluster_report
from reports.html import ServedLinks, render_targets_report


class Links(HTMLParser):
    """Every ``href`` and every ``id`` of a page."""

    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []
        self.ids: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = dict(attrs)
        if found.get("href"):
            self.hrefs.append(str(found["href"]))
        if found.get("id"):
            self.ids.add(str(found["id"]))


def parsed(html: str) -> Links:
    links = Links()
    links.feed(html)
    return links


@pytest.fixture(scope="module")
def city() -> dict[str, Any]:
    return city_targets_report(MemoryStore(report_city()))


@pytest.fixture(scope="module")
def bundled_page(bundled_store: MemoryStore) -> dict[str, Any]:
    return city_targets_report(bundled_store)


def test_the_list_is_the_citys_targets_in_their_order(bundled_store: MemoryStore, bundled_page: dict[str, Any]) -> None:
    expected = targets(bundled_store)
    assert [t["firm_id"] for t in bundled_page["targets"]] == [t["firm_id"] for t in expected]
    assert [t["row"] for t in bundled_page["targets"]] == list(range(1, len(expected) + 1))
    assert len({t["firm_id"] for t in bundled_page["targets"]}) == len(expected), "each firm once"
    assert bundled_page["shown"] == bundled_page["targets"][:50]
    assert bundled_page["counts"]["firms"] + bundled_page["counts"]["expansions"] == len(expected)
    assert any(len(t["cluster_ids"]) > 1 for t in bundled_page["targets"]), "the bundled data has a cross-cluster firm"


def test_each_gap_carries_its_rank_in_its_cluster_and_in_the_city(
    bundled_store: MemoryStore, bundled_page: dict[str, Any]
) -> None:
    """The numbers the cluster report and the city workbook give the same gap."""
    report = city_report(bundled_store)
    in_cluster = {g["segment_id"]: g["rank"] for c in report["clusters"] for g in c["gaps"]}
    in_city = _city_ranks(report["clusters"])
    names = {h["cluster_id"]: h["name_zh"] for h in health_ranking(bundled_store)}
    seen = 0
    for item in bundled_page["targets"]:
        for gap in item["gaps"]:
            assert gap["gap_rank"] == in_cluster[gap["segment_id"]]
            assert gap["city_rank"] == in_city[(gap["cluster_id"], gap["segment_id"])]
            assert gap["cluster_name_zh"] == names[gap["cluster_id"]]
            seen += 1
    assert seen > len(bundled_page["targets"])


def test_city_gap_ranks_orders_by_severity_then_health_then_the_clusters_order() -> None:
    ranks = city_gap_ranks(
        [
            ("healthy", [{"segment_id": "h1", "severity": 0.4, "rank": 1}]),
            (
                "sick",
                [{"segment_id": "s1", "severity": 0.9, "rank": 1}, {"segment_id": "s2", "severity": 0.4, "rank": 2}],
            ),
        ]
    )
    assert ranks == {("sick", "s1"): 1, ("healthy", "h1"): 2, ("sick", "s2"): 3}


def test_the_index_by_cluster_names_each_clusters_own_first_firms(
    bundled_store: MemoryStore, bundled_page: dict[str, Any]
) -> None:
    """Review 12: the index named the firms first on the city's list (中颖电子 for NEV, first for electronics),
    not the cluster's own first choices (诺德股份), and counted firms unlike the cluster's report and brief."""
    order = [h["cluster_id"] for h in health_ranking(bundled_store)]
    assert [c["cluster_id"] for c in bundled_page["clusters"]] == order
    rows = {t["firm_id"]: t["row"] for t in bundled_page["targets"]}
    for entry in bundled_page["clusters"]:
        cid = entry["cluster_id"]
        own = targets(bundled_store, cid)
        assert entry["firm_count"] == len(own) == len(cluster_report(bundled_store, cid)["targets"])
        assert entry["expansion_count"] == sum(1 for t in own if t["priority"] == 0)
        first = [t for t in own if t["priority"] > 0][:CLUSTER_FIRST]
        assert [f["firm_id"] for f in entry["first"]] == [t["firm_id"] for t in first]
        assert [f["rank"] for f in entry["first"]] == [t["rank"] for t in first]
        assert [f["row"] for f in entry["first"]] == [rows[t["firm_id"]] for t in first]
        assert entry["gap_count"] == len(gaps(bundled_store, cluster=cid))
    assert sum(c["gap_count"] for c in bundled_page["clusters"]) == bundled_page["counts"]["gaps"]
    nev = next(c for c in bundled_page["clusters"] if c["cluster_id"] == "nev")
    assert nev["first"][0]["rank"] == 1


def test_the_headline_counts_the_firms_that_fill_a_gap_and_names_the_expansions(bundled_page: dict[str, Any]) -> None:
    counts = bundled_page["counts"]
    zero = [t for t in bundled_page["targets"] if t["priority"] == 0]
    assert zero and counts["expansions"] == len(zero)
    assert counts["firms"] + counts["expansions"] == len(bundled_page["targets"])
    assert bundled_page["targets"][-len(zero) :] == zero, "expansions end the list"
    html = render_targets_report(bundled_page).html
    assert f"先找谁：{counts['firms']} 家外地企业" in html
    assert f"另有 {counts['expansions']} 家的集团已在常州（仅扩产）" in html


def test_gaps_of_equal_severity_mark_their_city_rank_as_shared(bundled_page: dict[str, Any]) -> None:
    gaps_shown = [g for t in bundled_page["targets"] for g in t["gaps"]] + bundled_page["unfilled"]
    by_severity: dict[float, set[bool]] = {}
    for g in gaps_shown:
        by_severity.setdefault(g["severity"], set()).add(g["city_tied"])
    assert all(len(marks) == 1 for marks in by_severity.values())
    assert any(g["city_tied"] for g in gaps_shown) and not all(g["city_tied"] for g in gaps_shown)
    html = render_targets_report(bundled_page).html
    tied = next(g for t in bundled_page["shown"] for g in t["gaps"] if g["city_tied"])
    assert f"全市 #{tied['city_rank']}=" in html


def test_the_unfilled_gaps_have_no_outside_candidate(bundled_store: MemoryStore, bundled_page: dict[str, Any]) -> None:
    unfilled = bundled_page["unfilled"]
    assert unfilled, "the bundled data has gaps without candidates (tex-corduroy, dig-identifier-resolution)"
    assert [g["city_rank"] for g in unfilled] == sorted(g["city_rank"] for g in unfilled)
    for gap in unfilled:
        assert rank_candidates(bundled_store, gap["segment_id"]) == [], gap["segment_id"]
        assert gap["sources"], gap["segment_id"]
    counts = bundled_page["counts"]
    assert counts["gaps_with_targets"] + counts["unfilled"] == counts["gaps"]


def test_kind_and_list_year_narrow_the_list_as_the_targets_query_does(bundled_store: MemoryStore) -> None:
    data = city_targets_report(bundled_store, kind="broken_link", list_year=2022, top=5)
    expected = targets(bundled_store, kind="broken_link", list_year=2022)
    assert [t["firm_id"] for t in data["targets"]] == [t["firm_id"] for t in expected]
    assert len(data["shown"]) == min(5, len(expected))
    assert {c["cluster_id"] for c in data["clusters"]} == {
        h["cluster_id"] for h in health_ranking(bundled_store, list_year=2022)
    }
    assert all("broken_link" in g["kinds"] for g in data["unfilled"])
    assert data["list_note"] is not None and "2022" in data["list_note"]["zh"]
    html = render_targets_report(data).html
    assert "仅断链 only broken_link" in html and "2022 年名单" in html


@pytest.mark.parametrize("top", [0, 1001])
def test_a_top_out_of_range_is_refused(top: int) -> None:
    with pytest.raises(InvalidQuery, match=f"top must be between 1 and 1000; got {top}"):
        city_targets_report(MemoryStore(report_city()), top=top)


def test_hostile_names_print_as_text_and_the_page_runs_no_script(city: dict[str, Any]) -> None:
    page = render_targets_report(city, links=ServedLinks())
    assert HOSTILE_NAME not in page.html and "&lt;img src=x onerror=alert(5)&gt;" in page.html
    assert "<script" not in page.html and "script-src 'none'" in page.csp


def test_every_anchor_on_the_page_exists(bundled_page: dict[str, Any]) -> None:
    html = render_targets_report({**bundled_page, "shown": bundled_page["targets"][:20]}).html
    links = parsed(html)
    inside = [h[1:] for h in links.hrefs if h.startswith("#")]
    assert inside and set(inside) <= links.ids, set(inside) - links.ids
    assert not [h for h in links.hrefs if not h.startswith(("#", "http://", "https://"))], "a file has no site links"
    rows = [int(n) for n in re.findall(r'<tr id="target-(\d+)">', html)]
    assert rows == list(range(1, 21))
    assert "此处列出前 20 家（共" in html


def test_a_firm_past_the_listed_ones_is_named_in_the_index_without_a_link(bundled_page: dict[str, Any]) -> None:
    data = {**bundled_page, "shown": bundled_page["targets"][:3]}
    late = [t for c in data["clusters"] for t in c["first"] if t["row"] > 3]
    assert late
    html = render_targets_report(data).html
    for t in late:
        assert f'href="#target-{t["row"]}"' not in html
        mark = "=" if t["city_tied"] else ""
        assert (
            f'<span class="unlisted" title="未列在本页名单中 not in this page\'s list">（全市 #{t["city_rank"]}{mark}）'
            in html
        )


def test_the_clusters_index_gives_each_firm_the_city_rank_the_list_gives(bundled_page: dict[str, Any]) -> None:
    """Review 16a M1: the index numbered rows (全市 #71, #72, #73 for three firms of equal priority) where the list
    below and the API say 71=. Each first firm's city rank is now the list's, marked = when shared."""
    city = {t["firm_id"]: (t["rank"], t["tied_with"]) for t in bundled_page["targets"]}
    html = render_targets_report(bundled_page).html
    seen_tied = 0
    for c in bundled_page["clusters"]:
        for t in c["first"]:
            rank, tied_with = city[t["firm_id"]]
            assert (t["city_rank"], t["city_tied"]) == (rank, tied_with > 0), t["firm_id"]
            span = re.search(
                rf'data-firm="{re.escape(t["firm_id"])}">.*?(?=<span class="first-firm"|</td>)', html, re.S
            )
            assert span and f"全市 #{rank}{'=' if tied_with else ''}" in span.group(0), t["firm_id"]
            seen_tied += tied_with > 0
    assert seen_tied, "no tied firm in the index: the case the review found is gone"


def test_served_page_links_answer(api_client: Any) -> None:
    response = api_client.get("/reports/targets", params={"top": 5})
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/html")
    assert "default-src 'none'" in response.headers["content-security-policy"]
    links = parsed(response.text)
    base = "http://testserver/reports/targets"
    checked = set()
    for href in links.hrefs:
        if href.startswith(("#", "http://", "https://")):
            continue
        url = urljoin(base, href)
        path = urlsplit(url)._replace(fragment="").geturl()
        if path in checked:
            continue
        checked.add(path)
        assert api_client.get(path).status_code == 200, path
    assert {
        "http://testserver/",
        "http://testserver/reports/summary",
        "http://testserver/reports/clusters/nev",
    } <= checked
    assert "http://testserver/api/v1/targets" in checked


def test_the_served_gap_links_open_the_cluster_reports_gap(api_client: Any) -> None:
    html = api_client.get("/reports/targets", params={"top": 10}).text
    gap_links = sorted(set(re.findall(r'href="(clusters/[^"#]+)#(gap-\d+)"', html)))
    assert gap_links
    for path, anchor in gap_links[:6]:
        report = api_client.get(f"/reports/{path}").text
        assert f'id="{anchor}"' in report, (path, anchor)


def test_a_kind_page_says_the_cluster_lists_it_links_are_not_narrowed(api_client: Any) -> None:
    """Review 12: on ``?kind=缺链`` the links to each cluster's list open the report's list of every gap kind."""
    narrowed = api_client.get("/reports/targets", params={"kind": "missing", "top": 5}).text
    assert "该集群名单（全部缺口类型）" in narrowed and "its list (every gap kind)" in narrowed
    assert "全部缺口类型" not in api_client.get("/reports/targets", params={"top": 5}).text


def test_a_bad_parameter_gets_the_html_422_page(api_client: Any) -> None:
    page = api_client.get("/reports/targets", params={"kind": "nope"}, headers={"Accept": "text/html"})
    assert page.status_code == 422 and page.headers["content-type"].startswith("text/html")
    assert 'data-param="kind"' in page.text and "nope" in page.text
    assert api_client.get("/reports/targets", params={"top": 1001}).status_code == 422


def test_the_home_page_summary_and_cluster_reports_link_the_page(api_client: Any) -> None:
    assert 'href="reports/targets"' in api_client.get("/", headers={"Accept": "text/html"}).text
    assert 'href="targets?list_year=2024"' in api_client.get("/reports/summary?list_year=2024").text
    assert 'href="../targets"' in api_client.get("/reports/clusters/nev").text


def test_cli_writes_the_page(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: Any) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli(["report", "--targets", "--firms", "7", "--kind", "缺链"]) == 0
    out = capsys.readouterr().out
    assert re.match(r"wrote targets\.html \(7 of \d+ firms to approach for \d+ of \d+ gaps in 11 clusters", out), out
    html = (tmp_path / "targets.html").read_text(encoding="utf-8")
    assert len(re.findall(r'<tr id="target-\d+">', html)) == 7 and "仅缺链 only missing" in html
    assert run_cli(["report", "--targets", "--list-year", "2024"]) == 0
    assert (tmp_path / "targets-2024.html").exists()


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["report", "nev", "--targets"], "does not take a cluster (nev)"),
        (["report", "--all", "--targets"], "--targets already covers every cluster: drop --all"),
        (["report", "--targets", "--xlsx"], "chainkg report --all --xlsx"),
        (["report", "--targets", "--top", "4"], "with --targets give --firms N"),
        (["report", "--targets", "--firms", "0"], "--firms must be between 1 and 1000; got 0"),
        (["report", "nev", "--kind", "weak"], "--kind is for the city's 先找谁 list: add --targets"),
        (["report", "--all", "--firms", "9"], "--firms is for the city's 先找谁 list: add --targets"),
    ],
)
def test_cli_refuses_options_that_do_not_fit(
    argv: list[str], message: str, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.chdir(tmp_path)
    assert run_cli(argv) == 2
    assert message in capsys.readouterr().err
    assert not list(tmp_path.iterdir()), "nothing written"


def test_a_firm_filling_other_clusters_gaps_says_so_in_the_index(bundled_page: dict[str, Any]) -> None:
    """Review 16a L1: 新能源's 3rd firm ranked above its 1st city-wide, unexplained: it fills 新型电力装备's gaps."""
    city = {t["firm_id"]: t["cluster_ids"] for t in bundled_page["targets"]}
    html = render_targets_report(bundled_page).html
    crossing = 0
    for c in bundled_page["clusters"]:
        for t in c["first"]:
            others = [o for o in city[t["firm_id"]] if o != c["cluster_id"]]
            assert [o["cluster_id"] for o in t["also_in"]] == others, t["firm_id"]
            span = re.search(
                rf'data-firm="{re.escape(t["firm_id"])}">.*?(?=<span class="first-firm"|</td>)', html, re.S
            )
            assert span and (("跨集群：另填补" in span.group(0)) == bool(others)), t["firm_id"]
            crossing += bool(others)
    assert crossing, "no firm of the index fills gaps of another cluster: the case the review found is gone"
