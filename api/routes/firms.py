"""Firms."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Path, Query

from api.deps import Limit, Offset, StoreDep, id_filter
from api.problems import BASE_PROBLEM_RESPONSES, NOT_FOUND_RESPONSES
from api.schemas import FirmDetail, FirmList
from queries.candidacy import firm_candidacy
from queries.firms import FirmFilter, get_firm, list_firms

router = APIRouter(prefix="/api/v1/firms", tags=["firms"], responses=BASE_PROBLEM_RESPONSES)


def _text(description: str) -> Any:
    return Annotated[str | None, Query(max_length=200, description=description)]


@router.get("", responses=NOT_FOUND_RESPONSES, response_model=FirmList, summary="Find firms")
def read_firms(
    store: StoreDep,
    q: _text(
        "Text in the firm's id, Chinese or English name or an alias, or in its parent group's "
        "(case- and width-insensitive): `CATL` also lists CATL's units"
    ) = None,
    cluster: id_filter("A cluster id (see /api/v1/clusters): firms operating in one of its segments") = None,
    segment: id_filter("A segment id: firms operating in it or in one of its sub-segments") = None,
    district: id_filter("A district id (e.g. `wujin`): firms sited there") = None,
    tag: id_filter(
        "A tag firms carry, exactly, e.g. `listed` or `单项冠军`; `链主` is only the published label: "
        "use `anchor=true` for the anchor firms the analysis counts"
    ) = None,
    anchor: Annotated[
        bool | None,
        Query(
            description="`true`: anchor firms (链主) only, as the chain, report and health count them: local firms "
            "with the `anchor` role in some segment, or tagged `链主` (docs/analysis.md §1); with `cluster`, that "
            "cluster's anchors (the role in one of its segments). `false`: every other firm"
        ),
    ] = None,
    local: Annotated[
        bool | None, Query(description="`true`: Changzhou firms only (常州本地); `false`: outside firms only (外地)")
    ] = None,
    tier: id_filter("A tier id (see /api/v1/tiers): firms holding it") = None,
    limit: Limit = 50,
    offset: Offset = 0,
) -> dict[str, Any]:
    """Firms filtered by text (`q` matches names and aliases), cluster, segment, district, tag, anchor (链主),
    locality and tier (e.g. `tier-champion-firm`: 单项冠军). Each firm says which clusters it anchors
    (`is_anchor`, `anchor_of`), whatever the filters."""
    flt = FirmFilter(
        q=q, cluster=cluster, segment=segment, district=district, tag=tag, local=local, tier=tier, anchor=anchor
    )
    return list_firms(store, flt, limit=limit, offset=offset)


@router.get(
    "/{firm_id}",
    responses=NOT_FOUND_RESPONSES,
    response_model=FirmDetail,
    summary="One firm with its segments, district and sources",
)
def read_firm(
    store: StoreDep, firm_id: Annotated[str, Path(max_length=200, description="Firm id, e.g. `xingyu`")]
) -> dict[str, Any]:
    """A firm's names, aliases, tags, the clusters it anchors (`is_anchor`, `anchor_of`), segments and roles,
    district, parent, partners and sources; for a firm to attract, its `candidacy`: its ranks among the targets
    and the gaps it would fill."""
    return {**get_firm(store, firm_id), "candidacy": firm_candidacy(store, firm_id)}
