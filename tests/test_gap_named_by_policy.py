"""Review 15a (M7): a gap that a published plan names says so, with the plan and its words.

武进's NEV parts plan (2023-10) says 补齐回收环节, yet 动力电池回收 ranked 15th of 16 NEV gaps with no word of it.
The reason explains; it does not weigh: the severity is what it was without the plan.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import pytest

from chainkg.cli import main
from graph.memory_store import MemoryStore
from graph.model import EdgeKind, NodeKind
from queries.gaps import gaps
from queries.segment_graph import chain_data


@pytest.fixture(scope="module")
def targets(bundled_store: MemoryStore) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for edge in bundled_store.edges(EdgeKind.TARGETS_SEGMENT):
        out.setdefault(edge.target, []).append(edge.source)
    return out


def test_every_gap_a_plan_names_says_so_and_no_other(bundled_store: MemoryStore, targets: dict[str, list[str]]) -> None:
    policies = {p.id: p for p in bundled_store.nodes(NodeKind.POLICY)}
    named = 0
    for gap in gaps(bundled_store):
        reasons = [r for r in gap["reasons"] if r["code"] == "named_by_policy"]
        if gap["segment_id"] not in targets:
            assert not reasons and "已列入政策" not in gap["explanation_zh"], gap["segment_id"]
            continue
        (reason,) = reasons
        assert reason["policy_ids"] == sorted(targets[gap["segment_id"]])
        assert reason["sources"]
        for pid in reason["policy_ids"]:
            assert policies[pid].name_zh in gap["explanation_zh"] and policies[pid].name_zh in reason["zh"]
        assert "Named by a published plan" in gap["explanation_en"]
        named += 1
    assert named >= 2  # nev-recycling and the electronics segments of the compound-semiconductor plan


def test_the_recycling_gap_quotes_the_wujin_plan(bundled_store: MemoryStore) -> None:
    (gap,) = [g for g in gaps(bundled_store, cluster="nev") if g["segment_id"] == "nev-recycling"]
    assert "补齐回收环节" in gap["explanation_zh"] and "2023-10" in gap["explanation_zh"]


def test_the_plan_does_not_change_the_severity(bundled_store: MemoryStore, monkeypatch: pytest.MonkeyPatch) -> None:
    from queries import segment_graph

    with_plans = {g["segment_id"]: g["severity"] for g in gaps(bundled_store)}
    bare = replace(chain_data(bundled_store), policies={}, policy_targets=())
    monkeypatch.setattr(segment_graph, "_read", lambda store: bare)
    fresh = MemoryStore(bundled_store.snapshot())
    without = {g["segment_id"]: (g["severity"], g["reasons"]) for g in gaps(fresh)}
    assert {sid: sev for sid, (sev, _) in without.items()} == with_plans
    assert not any(r["code"] == "named_by_policy" for _, reasons in without.values() for r in reasons)


def test_a_plan_published_after_the_as_of_year_names_nothing_yet(bundled_store: MemoryStore) -> None:
    (gap,) = [g for g in gaps(bundled_store, cluster="nev", year=2022) if g["segment_id"] == "nev-recycling"]
    assert not any(r["code"] == "named_by_policy" for r in gap["reasons"])


def test_the_cli_gap_list_shows_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "nev"]) == 0
    out = capsys.readouterr().out
    assert "已列入政策：武进区加快构建新能源汽车零部件产业生态工作方案（2023-10）" in out


def test_the_api_gives_the_policy_ids(api_client: Any) -> None:
    items = api_client.get("/api/v1/clusters/nev/gaps").json()["items"]
    (gap,) = [g for g in items if g["segment_id"] == "nev-recycling"]
    (reason,) = [r for r in gap["reasons"] if r["code"] == "named_by_policy"]
    assert reason["policy_ids"] == ["pol-wujin-nev-parts"] and reason["sources"] == ["s29-wujin-2023-10"]
