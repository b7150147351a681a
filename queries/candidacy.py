"""Whether a firm is a firm to attract (招商), and for what: its place in the targets and the gaps it would fill.

Looking up an outside firm answered what it is but not why anyone would look it up (review 16a: 阳光电源, the
new-energy cluster's first target, had a firm page that never said so). :func:`firm_candidacy` reads the same
rankings as ``chainkg targets`` and ``chainkg candidates`` for one firm: its rank in the city's list and in each
cluster's, with the priority, and every gap it is a candidate for, with its score and rank among that gap's
candidates. A firm that is a candidate for no gap (every local firm, and outside firms in no gap) has none.

Examples
--------
>>> from graph.fixtures import tiny_city
>>> from graph.memory_store import MemoryStore
>>> c = firm_candidacy(MemoryStore(tiny_city()), "o-bms-a")
>>> c["city"]["rank"], c["city"]["of"], [(x["cluster_id"], x["rank"]) for x in c["clusters"]]
(1, 7, [('t-ess', 1), ('t-nev', 3)])
>>> [(g["segment_id"], g["rank"], g["candidate_count"]) for g in c["gaps"]]
[('t-ess-bms', 1, 2), ('t-pack', 1, 1)]
>>> firm_candidacy(MemoryStore(tiny_city()), "f-ess-a") is None
True
"""

from __future__ import annotations

import copy
from typing import Any

from graph.model import NodeKind
from graph.store import GraphStore
from queries.cache import per_version
from queries.lookup import require
from queries.targets import targets

GAP_FIELDS = (
    "segment_id",
    "segment_name_zh",
    "segment_name_en",
    "cluster_id",
    "kind",
    "kinds_unverified",
    "severity",
    "score",
    "rank",
    "tied_with",
    "candidate_count",
    "role",
    "counted",
    "counted_through",
    "group_already_here",
)
"""What each gap the firm would fill says (as in ``GET /api/v1/targets``' ``gaps``)."""


def firm_candidacy(store: GraphStore, firm_id: str, year: int | None = None) -> dict[str, Any] | None:
    """A firm's standing as a firm to attract: its rank in the city's targets and in each cluster's, the gaps it
    would fill and why; ``None`` when it is a candidate for no gap.

    Parameters
    ----------
    store : GraphStore
    firm_id : str
    year : int, optional
        As-of year for presence facts, as for the targets.

    Returns
    -------
    dict or None
        ``city`` (``rank``, ``tied_with``, ``of``: the list's length, ``priority``), ``clusters`` (the same for
        each cluster whose gaps it would fill, with ``cluster_id``), ``gaps`` (:data:`GAP_FIELDS`, as the targets
        list them) and ``explanation_zh``/``explanation_en`` (the targets' own).

    Raises
    ------
    NodeNotFound
        For an unknown firm id (with the nearest ids).
    """
    require(store, firm_id, NodeKind.FIRM)
    found = per_version(store, "firm_candidacy", lambda: _every_candidacy(store, year), year).get(firm_id)
    return copy.deepcopy(found)  # the cached answer stays as computed


def _places(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {
        t["firm_id"]: {"rank": t["rank"], "tied_with": t["tied_with"], "of": len(items), "priority": t["priority"]}
        for t in items
    }


def _every_candidacy(store: GraphStore, year: int | None) -> dict[str, dict[str, Any]]:
    """The candidacy of every firm to attract, by firm id: each list read once per data version (a firm lookup
    then costs a dict look-up, not a scan of the city's targets: 0.29 s a lookup at 100k firms)."""
    city = targets(store, year=year)
    in_city = _places(city)
    by_cluster = {
        cid: _places(targets(store, cid, year=year)) for cid in sorted({c for t in city for c in t["cluster_ids"]})
    }
    return {
        item["firm_id"]: {
            "city": in_city[item["firm_id"]],
            "clusters": [
                {"cluster_id": cid, **by_cluster[cid][item["firm_id"]]}
                for cid in item["cluster_ids"]
                if item["firm_id"] in by_cluster[cid]
            ],
            "gaps": [{key: gap[key] for key in GAP_FIELDS} for gap in item["gaps"]],
            "explanation_zh": item["explanation_zh"],
            "explanation_en": item["explanation_en"],
        }
        for item in city
    }
