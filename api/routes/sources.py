"""Sources: any source id an answer cites, resolved to its title, publisher, date and address."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query

from api.deps import Limit, Offset, StoreDep, page
from api.problems import BASE_PROBLEM_RESPONSES, NOT_FOUND_RESPONSES
from api.schemas import SourceDetail, SourceList
from queries.sources import get_source, list_sources

router = APIRouter(prefix="/api/v1", tags=["sources"], responses=BASE_PROBLEM_RESPONSES)
SourceId = Annotated[str, Path(max_length=200, description="Source id, as answers cite it, e.g. `reply-2022-56`")]
Reliability = Literal["official", "company", "research", "news", "repost", "mirror", "weak"]


@router.get("/sources", response_model=SourceList, summary="The sources the data cite")
def read_sources(
    store: StoreDep,
    q: Annotated[
        str | None, Query(max_length=200, description="Part of the id, title (either language) or publisher")
    ] = None,
    reliability: Annotated[Reliability | None, Query(description="Only sources of this kind")] = None,
    cited: Annotated[
        bool | None, Query(description="true: only sources some node or edge cites; false: only those none cites")
    ] = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Every source, by id, each with its titles, publisher, date, address, document number, reliability, the
    data's note on it and `cited_by` (how many nodes and edges cite it, and which nodes)."""
    return page(list_sources(store, q, reliability, cited), limit, offset)


@router.get(
    "/sources/{source_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=SourceDetail,
    summary="One source: what it is and what cites it",
)
def read_source(store: StoreDep, source_id: SourceId) -> dict[str, Any]:
    """The source behind an id in any answer's `sources` (a 404 suggests the nearest ids): its titles,
    publisher, date, address (`url`), document number (`doc_no`), `reliability`, `note` and `cited_by`."""
    return get_source(store, source_id)
