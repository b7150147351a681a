"""The cluster report's overview counts agree with its own tables and with the other commands, for every cluster.

- The 缺口 Gaps card counts the gaps as the gap table lists them: 缺链 (every missing segment, as
  ``chainkg health`` counts them) split by each gap's main kind (断链, 延链, the rest), and 弱链.
- The anchor firms are those ``chainkg chain`` and ``/api/v1/firms?anchor=true`` list
  (:func:`queries.firms.anchor_ids`), in the data, the anchors section and the card.
- The health terms' names in the reports are those of :data:`queries.health.HEALTH_TERMS`.

Expected values come from the queries and from the rendered tables, not from the report code.
"""

from __future__ import annotations

import re
from collections import Counter

import pytest

from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.chain import chain
from queries.firms import anchor_ids
from queries.gap_kinds import KIND_NAMES_ZH
from queries.health import HEALTH_TERMS, HEALTH_WEIGHTS, health
from queries.severity import KIND_PRECEDENCE
from reports.gather import cluster_report
from reports.html import render_cluster_report, render_summary_report
from reports.labels import health_formula, health_terms

PART_KINDS = {"断链": "broken_link", "延链": "extension", "其余": "missing"}
"""The names in the card's brackets, by the kind they count (the gap table's badges use KIND_NAMES_ZH)."""


@pytest.fixture(scope="module")
def reports(bundled_store: MemoryStore) -> dict[str, tuple[dict, str]]:
    """Every bundled cluster's report: the gathered data and the HTML."""
    out = {}
    for cluster in sorted(c.id for c in bundled_store.nodes(NodeKind.CLUSTER)):
        data = cluster_report(bundled_store, cluster)
        out[cluster] = (data, render_cluster_report(data).html)
    return out


def card_text(html: str) -> tuple[str, str]:
    """The Chinese and English lines of the 缺口 Gaps card."""
    found = re.search(r'<div class="s" id="gap-counts">(.*?)(?:<span class="en block">(.*?)</span>)?</div>', html)
    assert found, "no gap-counts line in the overview"
    return found.group(1), found.group(2) or ""


def card_counts(zh: str) -> tuple[dict[str, int], dict[str, int]]:
    """``({缺链: n, 弱链: m}, {kind: count})`` from the card's Chinese line.

    The bracket splits 缺链 by kind; without a bracket every missing segment is a plain 缺链.
    """
    top = {name: int(n) for name, n in re.findall(r"(缺链|弱链) (\d+)", re.sub(r"（.*?）", "", zh))}
    bracket = re.search(r"（(.*?)）", zh)
    by_kind: dict[str, int] = {}
    if bracket:
        for name, n in re.findall(r"(\S+) (\d+)", bracket.group(1).split("；")[0].replace("、", " ")):
            assert name in PART_KINDS, f"unknown part {name!r} in {zh!r}"
            by_kind[PART_KINDS[name]] = int(n)
    elif top.get("缺链"):
        by_kind["missing"] = top["缺链"]
    if top.get("弱链"):
        by_kind["weak"] = top["弱链"]
    return top, by_kind


def table_kinds(html: str) -> list[list[str]]:
    """The kind badges of each row of the gap table, in rank order."""
    section = html.split('<section class="part" id="gaps">')[1].split("</section>")[0]
    rows = re.findall(r'<tr id="gap-\d+">(.*?)</tr>', section, flags=re.S)
    kinds = []
    for row in rows:
        cell = re.findall(r"<td>(.*?)</td>", row, flags=re.S)[1]  # segment is the first <td>, kinds the second
        badges = re.findall(r'<span class="kind ([a-z_]+)">([^<]+)</span>', cell)
        assert all(KIND_NAMES_ZH[k] == text for k, text in badges), badges
        kinds.append([k for k, _ in badges])
    return kinds


def main_kind(badges: list[str]) -> str:
    return next(k for k in KIND_PRECEDENCE if k in badges)


def test_the_gap_card_adds_up_to_the_gap_table_for_every_cluster(reports, bundled_store):
    assert len(reports) >= 10
    for cluster, (data, html) in reports.items():
        zh, en = card_text(html)
        top, by_kind = card_counts(zh)
        rows = table_kinds(html)
        assert len(rows) == len(data["gaps"]), cluster
        assert sum(top.values()) == sum(by_kind.values()) == len(rows), (cluster, zh)
        assert by_kind == dict(Counter(main_kind(r) for r in rows)), (cluster, zh)
        assert top.get("缺链", 0) == sum(1 for r in rows if "missing" in r), (cluster, zh)
        assert top.get("弱链", 0) == sum(1 for r in rows if "weak" in r), (cluster, zh)
        counts = health(bundled_store, cluster)["counts"]
        summary = chain(bundled_store, cluster)["summary"]
        assert top.get("缺链", 0) == counts["missing"] == summary["missing_count"], cluster  # health's "N missing"
        assert top.get("弱链", 0) == counts["weak"] == summary["weak_count"], cluster
        assert re.findall(r"\d+", en) == re.findall(r"\d+", zh), (cluster, zh, en)
        also = dict(re.findall(r"兼为(断链|延链)的共 (\d+)", zh))
        for kind in ("broken_link", "extension"):
            having = sum(1 for r in rows if kind in r)  # every kind a gap has, as the views and `gaps --kind` count
            said = int(also.get(KIND_NAMES_ZH[kind], by_kind.get(kind, 0)))
            assert said == having, (cluster, kind, zh)


def test_nev_card_reads_as_the_review_expected(reports):
    zh, en = card_text(reports["nev"][1])
    # review 13: the views count 延链 7 (8 before 腾龙股份 made 热管理 weak, review 14a)
    assert zh == "缺链 8（断链 6、延链 1、其余 1；兼为延链的共 7） · 弱链 8"
    assert en == "missing 8 (broken link 6, extension 1, other 1; 7 with extension among their kinds) · weak 8"
    assert card_text(reports["biomedicine"][1])[0] == "缺链 7 · 弱链 7"  # only plain missing: no bracket


def test_a_cluster_without_gaps_says_so_on_the_card(tiny_store):
    data = cluster_report(tiny_store, "t-nev")
    data["gaps"] = []
    data["gap_counts"] = {"gaps": 0, "missing": 0, "weak": 0, "by_kind": {}, "missing_parts": []}
    assert card_text(render_cluster_report(data).html) == ("—", "")


def report_anchor_ids(html: str) -> set[str]:
    section = html.split('<section class="part" id="anchors">')[1].split("</section>")[0]
    return set(re.findall(r'<span class="id">([^<]+)</span>', section))


def test_report_anchors_are_the_chain_anchors_for_every_cluster(reports, bundled_store):
    for cluster, (data, html) in reports.items():
        from_chain = {f["id"] for seg in chain(bundled_store, cluster)["segments"] for f in seg["anchor_firms"]}
        assert {a["id"] for a in data["anchors"]} == from_chain == anchor_ids(bundled_store, cluster), cluster
        assert report_anchor_ids(html) == from_chain, cluster
        assert f"链主 Anchors {len(from_chain)}</div>" in html, cluster
        flagged = {m["firm_id"] for m in data["memberships"] if m["is_anchor"]}
        assert flagged == from_chain, cluster  # the workbook's 链主 column


def test_a_firm_that_leads_another_cluster_is_no_anchor_in_the_report(reports):
    data, html = reports["new-energy"]
    assert {a["id"] for a in data["anchors"]} == {"ejing", "huasheng-tianlong", "risen-changzhou", "trina"}
    assert "catl-jiangsu" not in report_anchor_ids(html)
    assert "catl-jiangsu" in {m["firm_id"] for m in data["memberships"]}  # it operates there all the same
    assert "catl-jiangsu" in {a["id"] for a in reports["nev"][0]["anchors"]}


def test_health_term_names_come_from_the_queries(bundled_store):
    terms = health_terms()
    assert [t.key for t, _ in terms] == list(HEALTH_WEIGHTS)
    for term, weight in terms:
        component, complement, label_zh, label_en = HEALTH_TERMS[term.key]
        assert (term.component, term.complement, term.head_zh, term.head_en) == (
            component,
            complement,
            label_zh,
            label_en,
        )
        assert weight == HEALTH_WEIGHTS[term.key]
    assert health_formula("zh") == "健康度 = 0.40·覆盖率 + 0.25·链主覆盖率 + 0.20·稳固环节占比 + 0.15·（1 − 集中度）"
    item = health(bundled_store, "nev")
    assert [(t.head_zh, t.head_en) for t, _ in terms] == [(x["label_zh"], x["label_en"]) for x in item["terms"]]


def test_summary_headings_are_the_query_labels(bundled_store):
    from reports.gather import summary_report

    html = render_summary_report(summary_report(bundled_store)).html
    heads = re.findall(r'<th class="num term" data-term="(\w+)">([^<]+)<br><span class="en">([^<]+)</span>', html)
    assert heads == [(k, HEALTH_TERMS[k][2], HEALTH_TERMS[k][3]) for k in HEALTH_WEIGHTS]


@pytest.mark.parametrize("year", [2019, 2023])
def test_report_anchors_as_of_a_year_are_the_chain_anchors_of_that_year(bundled_store, year):
    for cluster in sorted(c.id for c in bundled_store.nodes(NodeKind.CLUSTER)):
        segments = chain(bundled_store, cluster, year=year)["segments"]
        from_chain = {f["id"] for seg in segments for f in seg["anchor_firms"]}
        data = cluster_report(bundled_store, cluster, year=year)
        assert {a["id"] for a in data["anchors"]} == from_chain, (cluster, year)
