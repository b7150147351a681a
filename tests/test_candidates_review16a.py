"""Review 16a (a 招商 officer planning a trip): the candidates a director would ask about.

- H1: the firm's role in the segment, which the sources state for that segment (a share, a rank, 龙头), leads its
  profile; a listed firm merely in the segment no longer outranks the segment's leader (华为数字能源, the world's
  first inverter maker in 2021, was 4th of 5 behind a listed member; 龙电华鑫, first in copper-foil shipments, last).
- H2: the role reason names the source it rests on (依据：…), newest first, all of them in ``evidence``.
- M3: 依据较旧 judges the sources of the role in this segment, not a newer page about the firm elsewhere.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from graph.memory_store import MemoryStore
from graph.model import EdgeKind, NodeKind
from queries.candidates import DATED_EVIDENCE_YEARS, ROLE_SCORES, TAG_SCORES, rank_candidates


def _rank(items: list[dict[str, Any]], firm_id: str) -> int:
    return next(c["rank"] for c in items if c["firm_id"] == firm_id)


def test_the_segment_leader_outranks_a_listed_member(bundled_store: MemoryStore) -> None:
    inverters = rank_candidates(bundled_store, "ne-pv-inverter")
    roles = {c["firm_id"]: (c["role"], c["tags"]) for c in inverters}
    assert roles["huawei-digital-power"][0] == "anchor" and "listed" not in roles["huawei-digital-power"][1]
    assert roles["goodwe"][0] == "member" and "listed" in roles["goodwe"][1]
    assert _rank(inverters, "huawei-digital-power") < _rank(inverters, "goodwe")
    foil = rank_candidates(bundled_store, "nev-copper-foil")
    listed_members = [c["firm_id"] for c in foil if c["role"] == "member" and "listed" in c["tags"]]
    assert listed_members, "the case the review found: listed members of the copper-foil segment"
    assert all(_rank(foil, "wason") < _rank(foil, f) for f in listed_members)


def test_one_step_up_in_role_outweighs_a_listing() -> None:
    """member → major and major → anchor each add more to the profile than the `listed` tag does."""
    from graph.model import Role
    from queries.candidates import PROFILE_WEIGHTS

    steps = [ROLE_SCORES[Role.MAJOR] - ROLE_SCORES[Role.MEMBER], ROLE_SCORES[Role.ANCHOR] - ROLE_SCORES[Role.MAJOR]]
    assert PROFILE_WEIGHTS["role"] * min(steps) > PROFILE_WEIGHTS["tags"] * TAG_SCORES["listed"]


def test_the_role_reason_names_its_newest_source(bundled_store: MemoryStore) -> None:
    titles = {s.id: (s.name_zh, s.date) for s in bundled_store.nodes(NodeKind.SOURCE)}
    edges = {(e.source, e.target): e for e in bundled_store.edges(EdgeKind.OPERATES_IN)}
    huawei = next(c for c in rank_candidates(bundled_store, "ne-pv-inverter") if c["firm_id"] == "huawei-digital-power")
    role = next(r for r in huawei["reasons"] if r["code"] == "segment_role")
    cited = [e["source_id"] for e in role["evidence"]]
    assert cited == list(edges[("huawei-digital-power", "ne-pv-inverter")].sources)
    assert role["zh"] == f"该环节龙头企业（依据：{titles[cited[0]][0]}，{titles[cited[0]][1][:4]}）"
    assert "Wood Mackenzie" in role["en"]
    years = [e["year"] or 0 for e in role["evidence"]]
    assert years == sorted(years, reverse=True)


def test_dated_evidence_is_judged_on_the_role_in_this_segment(bundled_store: MemoryStore) -> None:
    items = rank_candidates(bundled_store, "ne-pv-storage-application")
    xinyi = next(c for c in items if c["firm_id"] == "xinyi-solar")
    assert xinyi["evidence_year"] is not None and date.today().year - xinyi["evidence_year"] >= DATED_EVIDENCE_YEARS
    assert any(r["code"] == "dated_evidence" for r in xinyi["reasons"])
