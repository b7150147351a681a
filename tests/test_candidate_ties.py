"""Review 9: candidates with the same score share a rank, and no tied firm is called a gap's first choice.

The six makers of chemical fibres (``tex-fibres``, the city's most severe gap) score the same on the facts the data
hold; they were shown as ranks 1 to 6, and the one first by id was "是 1 个缺口的首选候选" (the first choice).
"""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from chainkg.cli import main
from graph.memory_store import MemoryStore
from queries.candidates import rank_candidates, shared_ranks
from queries.targets import targets
from reports.gather import cluster_report
from reports.html import render_cluster_report
from reports.workbook import SHEETS, cluster_workbook
from tests.view_support import rendered_view

TIED_GAP = "tex-fibres"


def expected_ranks(ranked: list[dict]) -> dict[str, tuple[int, int]]:
    """(rank, tied_with) of each candidate, worked out from the scores alone."""
    return {
        c["firm_id"]: (
            1 + sum(1 for x in ranked if x["score"] > c["score"]),
            sum(1 for x in ranked if x["score"] == c["score"]) - 1,
        )
        for c in ranked
    }


@pytest.fixture(scope="module")
def tied(bundled_store: MemoryStore) -> list[dict]:
    ranked = rank_candidates(bundled_store, TIED_GAP)
    assert len(ranked) >= 2 and len({c["score"] for c in ranked}) == 1, "the tie this file is about is gone"
    return ranked


def test_shared_ranks_follow_the_scores():
    assert shared_ranks([0.9, 0.5, 0.5, 0.1]) == [(1, 0), (2, 1), (2, 1), (4, 0)]
    assert shared_ranks([0.5, 0.5]) == [(1, 1), (1, 1)]


def test_every_candidate_list_carries_shared_ranks(bundled_store, tied):
    assert {c["firm_id"]: (c["rank"], c["tied_with"]) for c in tied} == expected_ranks(tied)
    assert all(c["rank"] == 1 and c["tied_with"] == len(tied) - 1 for c in tied)
    some_untied = rank_candidates(bundled_store, "ele-ic-design")
    assert {c["firm_id"]: (c["rank"], c["tied_with"]) for c in some_untied} == expected_ranks(some_untied)
    assert some_untied[0]["tied_with"] == 0


def test_the_api_gives_rank_and_tied_with(api_client, tied):
    items = api_client.get(f"/api/v1/segments/{TIED_GAP}/candidates").json()["items"]
    assert [(c["firm_id"], c["rank"], c["tied_with"]) for c in items] == [
        (c["firm_id"], 1, len(tied) - 1) for c in tied
    ]


def test_no_tied_firm_is_called_the_first_choice(bundled_store, tied):
    by_firm = {t["firm_id"]: t for t in targets(bundled_store, "textiles")}
    for c in tied:
        item = by_firm[c["firm_id"]]
        top = next(r for r in item["reasons"] if r["code"] == "top_candidate")
        assert TIED_GAP in top["tied_segment_ids"]
        assert "首选" not in item["explanation_zh"] and "the best candidate" not in item["explanation_en"]
        assert f"{len(tied)} 家同分" in top["zh"] and f"{len(tied)} firms share the score" in top["en"]
        best = next(r for r in item["reasons"] if r["code"] == "best_fit")
        assert (best["rank"], best["tied_with"]) == (1, len(tied) - 1)
        assert f"与另 {len(tied) - 1} 家同分、并列第 1" in best["zh"]
        assert f"tied with {len(tied) - 1} others" in best["en"]
        [gap] = [g for g in item["gaps"] if g["segment_id"] == TIED_GAP]
        assert (gap["rank"], gap["tied_with"]) == (1, len(tied) - 1)


def test_a_sole_first_is_still_the_first_choice(bundled_store):
    ranked = rank_candidates(bundled_store, "nev-electrolyte")
    assert ranked[0]["tied_with"] == 0
    item = next(t for t in targets(bundled_store, "nev") if t["firm_id"] == ranked[0]["firm_id"])
    top = next(r for r in item["reasons"] if r["code"] == "top_candidate")
    assert "nev-electrolyte" in top["segment_ids"] and "nev-electrolyte" not in top["tied_segment_ids"]
    assert "首选候选" in top["zh"]


def test_per_gap_one_keeps_every_firm_tied_first(bundled_store, tied):
    kept = {t["firm_id"] for t in targets(bundled_store, "textiles", per_gap=1)}
    assert {c["firm_id"] for c in tied} <= kept


def test_the_candidates_table_marks_a_shared_rank(capsys, tied):
    for lang in ("zh", "en"):
        assert main(["candidates", TIED_GAP, "--lang", lang]) == 0
        lines = capsys.readouterr().out.splitlines()
        rows = [line for line in lines if re.match(r"\s*\d+=?\s+\d\.\d{3}  ", line)]
        assert [row.split()[:3] for row in rows] == [["1=", f"{c['score']:.3f}", c["firm_id"]] for c in tied]
        assert any("= after a rank" in line for line in lines)
    assert main(["candidates", "ele-ic-design"]) == 0  # every score differs
    out = capsys.readouterr().out
    assert not re.search(r"^\s*\d+=", out, re.M) and "= after a rank" not in out


def test_the_targets_table_says_the_rank_is_shared(capsys, tied):
    assert main(["targets", "textiles"]) == 0
    out = capsys.readouterr().out
    lines = [line for line in out.splitlines() if f"- {TIED_GAP} " in line]
    assert len(lines) == len(tied)
    assert all(f"候选第 1/{len(tied)}（{len(tied)} 家同分并列）" in line for line in lines)


def test_the_report_and_workbook_show_shared_ranks(bundled_store, tied):
    data = cluster_report(bundled_store, "textiles")
    html = render_cluster_report(data).html
    gap_rank = next(g["rank"] for g in data["gaps"] if g["segment_id"] == TIED_GAP)
    group = re.search(rf'<tbody class="group" id="cand-{gap_rank}">.*?</tbody>', html, re.S)
    assert group, "no candidate group for the gap"
    cells = re.findall(
        r'<tr class="candidate">\s*<td class="num"( title="[^"]*")?>(\d+)(<span class="tie">=</span>)?', group[0]
    )
    assert len(cells) == min(data["top"], len(tied))
    assert all(
        c == (f' title="{len(tied)} 家同分并列 {len(tied)} firms share the score"', "1", '<span class="tie">=</span>')
        for c in cells
    )
    assert "名次后的“=”表示同分并列" in html
    ws = load_workbook(io.BytesIO(cluster_workbook(data)))[SHEETS["candidates"]]
    heads = [c.value for c in ws[1]]
    rows = [dict(zip(heads, (c.value for c in row), strict=True)) for row in ws.iter_rows(min_row=2)]
    mine = [r for r in rows if r["环节ID Segment id"] == TIED_GAP]
    assert [r["候选排名 Rank"] for r in mine] == [1] * len(tied)


def test_the_segment_view_marks_a_shared_rank(bundled_store, tied):
    data, _ = rendered_view(bundled_store, "segment", TIED_GAP)
    nodes = {n["id"]: n for n in data["nodes"]}
    for c in tied:
        node = nodes[c["firm_id"]]
        assert node["label"].startswith("#1= "), node["label"]
        rank_field = next(f for f in node["info"]["fields"] if f[0] == "排名 Rank")
        assert rank_field[1] == f"#1=（{len(tied)} 家同分并列）"
        assert rank_field[3] == f"#1= ({len(tied)} firms share the score)"


def test_targets_of_equal_priority_share_a_rank(bundled_store, capsys, tied):
    items = targets(bundled_store, "textiles")
    assert [(t["rank"], t["tied_with"]) for t in items] == [
        (
            1 + sum(1 for x in items if x["priority"] > t["priority"]),
            sum(1 for x in items if x["priority"] == t["priority"]) - 1,
        )
        for t in items
    ]
    first = [t for t in items if t["rank"] == 1]
    assert {t["firm_id"] for t in first} == {c["firm_id"] for c in tied}  # one gap, one score: one priority
    assert main(["targets", "textiles", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    shown = [line.split()[3] for line in out.splitlines() if re.match(r"\s*1=  ", line)]
    assert shown == [t["firm_id"] for t in first]
    assert "firms with the same priority share it" in out


def test_the_reports_say_when_their_short_list_cuts_a_tie(bundled_store, tied):
    """The reports name the first few candidates of a gap; six tied firms cut to three were named by id alone."""
    from reports.gather import summary_report
    from reports.html import render_summary_report

    data = cluster_report(bundled_store, "textiles")
    listed = min(data["top"], len(tied))
    assert listed < len(tied), "the cut this test is about is gone"
    gap = next(g for g in data["gaps"] if g["segment_id"] == TIED_GAP)
    assert gap["tie_cut"] == {"share": len(tied), "listed": listed}
    cluster_html = render_cluster_report(data).html
    assert f"{len(tied)} 家同分，按编号列出 {listed} 家，不分先后" in cluster_html
    assert f"{len(tied)} share the score; {listed} listed by id" in cluster_html
    summary = summary_report(bundled_store)
    [top] = [g for c in summary["ranking"] for g in c["top_gaps"] if g["segment_id"] == TIED_GAP]
    assert 0 < len(top["candidates"]) < len(tied)
    assert top["tie_cut"] == {"share": len(tied), "listed": len(top["candidates"])}
    assert f"{len(tied)} 家同分，按编号列出 {len(top['candidates'])} 家" in render_summary_report(summary).html
    untied = next(g for g in data["gaps"] if g["segment_id"] != TIED_GAP and g["candidates"] and not g["tie_cut"])
    assert untied  # a gap whose short list ends between two scores says nothing of ties
