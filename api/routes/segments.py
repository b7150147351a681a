"""Segments: one segment in detail, its candidates to attract and its impact."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.analysis_schemas import CandidateList, Impact, SegmentDetail
from api.deps import HqFilter, Offset, StoreDep, hq_page
from api.problems import PROBLEM_RESPONSES
from queries.candidates import rank_candidates
from queries.impact import impact
from queries.segments import get_segment

router = APIRouter(prefix="/api/v1/segments", tags=["segments"], responses=PROBLEM_RESPONSES)
SegmentId = Annotated[str, Path(max_length=200, description="Segment id, e.g. `nev-battery-cell`")]
Year = Annotated[
    int | None,
    Query(ge=1990, le=2100, description="As-of year: presence facts dated later are ignored"),
]


@router.get("/{segment_id}", response_model=SegmentDetail, summary="One segment with its firms and gap")
def read_segment(store: StoreDep, segment_id: SegmentId, year: Year = None) -> dict[str, Any]:
    """A segment's status, local and outside firms, upstream and downstream neighbours, related
    segments (proximity) and its gap, if any."""
    return get_segment(store, segment_id, year)


@router.get("/{segment_id}/candidates", response_model=CandidateList, summary="Outside firms to attract for a segment")
def read_segment_candidates(
    store: StoreDep,
    segment_id: SegmentId,
    year: Year = None,
    hq: HqFilter = None,
    limit: Annotated[int, Query(ge=1, le=500, description="Page size")] = 10,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Outside firms operating in the segment, ranked by profile (role, tags, scale), links to local
    firms and relatedness density, each with its score breakdown and 推荐理由."""
    items = rank_candidates(store, segment_id, year)
    return {"segment_id": segment_id, **hq_page(items, hq, limit, offset)}


@router.get("/{segment_id}/impact", response_model=Impact, summary="What depends on a segment, and on what it depends")
def read_segment_impact(store: StoreDep, segment_id: SegmentId, year: Year = None) -> dict[str, Any]:
    """Segments and local firms that depend on the segment, transitively (with single-path
    dependence marked), and the segments it depends on upstream, with their gaps."""
    return impact(store, segment_id, year)
