"""Search firms, segments and clusters."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query

from api.analysis_schemas import SearchResults
from api.deps import Offset, StoreDep, page
from api.problems import BASE_PROBLEM_RESPONSES
from queries.search import search_matches

router = APIRouter(prefix="/api/v1", tags=["search"], responses=BASE_PROBLEM_RESPONSES)


@router.get("/search", response_model=SearchResults, summary="Find firms, segments and clusters")
def read_search(
    store: StoreDep,
    q: Annotated[str, Query(min_length=1, max_length=200, description="Chinese, English, alias or pinyin")],
    type: Annotated[Literal["firm", "segment", "cluster"] | None, Query(description="Only this type")] = None,
    limit: Annotated[int, Query(ge=1, le=200, description="Page size")] = 20,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Ranked, typo-tolerant matches on names, aliases, full pinyin and pinyin initials:
    `ningde`, `ndsd`, `CATL` and `时代新能源` all find CATL's unit in 溧阳."""
    items = search_matches(store, q)
    if type is not None:
        items = [i for i in items if i["type"] == type]
    return {"q": q, **page(items, limit, offset)}
