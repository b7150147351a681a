"""Review 14a: a candidate resting on old pages says so (依据较旧), so a shortlist does not open on a 2010 repost.

Each candidate carries ``evidence_year``, the newest year among the sources of its OPERATES_IN facts in the
segment (or below it; review 16a: not of the firm's record, whose newer pages on its listing or another segment say
nothing of its standing here), and a ``dated_evidence`` reason when that year is
:data:`queries.candidates.DATED_EVIDENCE_YEARS` or more years ago. Checked here against the store's own
sources, for every candidate of every gap of the bundled data.
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

import pytest

from chainkg.cli import main
from graph.memory_store import MemoryStore
from graph.model import EdgeKind, NodeKind
from queries.candidates import DATED_EVIDENCE_YEARS, candidates
from queries.gaps import gaps


def _year(text: str) -> int | None:
    match = re.match(r"\s*(\d{4})", text or "")
    return int(match.group(1)) if match else None


@pytest.fixture(scope="module")
def ranked(bundled_store: MemoryStore) -> dict[str, list[dict[str, Any]]]:
    return {g["segment_id"]: candidates(bundled_store, g["segment_id"]) for g in gaps(bundled_store)}


def test_evidence_year_is_the_newest_dated_source_and_old_ones_are_marked(
    bundled_store: MemoryStore, ranked: dict[str, list[dict[str, Any]]]
) -> None:
    years = {s.id: _year(s.date) for s in bundled_store.nodes(NodeKind.SOURCE)}
    operates = list(bundled_store.edges(EdgeKind.OPERATES_IN))
    segments = {s.id: s for s in bundled_store.nodes(NodeKind.SEGMENT)}

    def below(segment_id: str) -> set[str]:
        out = {segment_id}
        for sid, seg in segments.items():
            if seg.parent_id and seg.parent_id in out:
                out |= below(sid)
        return out

    dated = checked = 0
    for segment_id, items in ranked.items():
        subtree = below(segment_id)
        for item in items:
            cited = [s for e in operates if e.source == item["firm_id"] and e.target in subtree for s in e.sources]
            newest = max((years[s] for s in cited if years.get(s) is not None), default=None)
            assert item["evidence_year"] == newest, (segment_id, item["firm_id"])
            old = newest is not None and date.today().year - newest >= DATED_EVIDENCE_YEARS
            reasons = [r for r in item["reasons"] if r["code"] == "dated_evidence"]
            assert len(reasons) == int(old), (segment_id, item["firm_id"], newest)
            if old:
                (reason,) = reasons
                assert reason["year"] == newest and f"{newest} 年" in reason["zh"] and str(newest) in reason["en"]
                dated += 1
            checked += 1
    assert checked > 100 and dated  # the bundled data has old evidence to mark


def test_the_cli_prints_the_mark(ranked: dict[str, list[dict[str, Any]]], capsys: pytest.CaptureFixture[str]) -> None:
    segment_id, firm = next(
        (sid, item)
        for sid, items in ranked.items()
        for item in items[:10]
        if any(r["code"] == "dated_evidence" for r in item["reasons"])
    )
    assert main(["candidates", segment_id]) == 0
    out = capsys.readouterr().out
    assert f"依据较旧：最新来源为 {firm['evidence_year']} 年" in out
