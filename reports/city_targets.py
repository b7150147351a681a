"""The city's 先找谁 page: whom to approach first across every cluster, each outside firm once, and why.

:func:`city_targets_report` gathers it from the queries (:func:`queries.targets.targets` over every cluster,
numbered and sourced as the cluster report's 先找谁 section numbers them: :func:`reports.gather.target_items`);
:func:`reports.html.render_targets_report` prints it. Beside the list it gives, cluster by cluster in order of
health, how many of the firms would fill a gap there and the first few; and the gaps no outside firm in the
data can fill, which need research rather than visits.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_city
>>> data = city_targets_report(MemoryStore(tiny_city()), top=2)
>>> [(t["row"], t["firm_id"]) for t in data["targets"]][:2]
[(1, 'o-bms-a'), (2, 'o-lith-a')]
>>> len(data["shown"]), data["counts"]["firms"] == len(data["targets"])
(2, True)
>>> [(c["cluster_id"], c["firm_count"]) for c in data["clusters"]]
[('t-nev', 5), ('t-ess', 3)]
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Iterable
from typing import Any

from graph.errors import InvalidQuery
from graph.store import GraphStore
from queries.clusters import incomplete_list_note
from queries.gap_kinds import KIND_NAMES_ZH
from queries.gaps import gaps
from queries.health import health_ranking
from queries.targets import targets
from reports.gather import store_subtrees, target_items
from viz.sources import SourceBook

TARGETS_PAGE_TOP = 50
"""The firms the city's printed 先找谁 page lists unless ``top`` says otherwise; the city workbook lists them all."""

MAX_TARGETS_PAGE_TOP = 1000
"""At most this many firms on the printed page (``top``)."""

CLUSTER_FIRST = 3
"""The first firms named for each cluster in the page's index by cluster."""


def check_targets_top(top: int) -> None:
    """Raise :class:`InvalidQuery` unless 1 ≤ ``top`` ≤ :data:`MAX_TARGETS_PAGE_TOP`.

    >>> check_targets_top(0)
    Traceback (most recent call last):
    ...
    graph.errors.InvalidQuery: top must be between 1 and 1000; got 0
    """
    if not 1 <= top <= MAX_TARGETS_PAGE_TOP:
        raise InvalidQuery(f"top must be between 1 and {MAX_TARGETS_PAGE_TOP}; got {top}")


def city_gap_ranks(clusters: Iterable[tuple[str, list[dict[str, Any]]]]) -> dict[tuple[str, str], int]:
    """Rank every gap of every cluster by severity: ``{(cluster_id, segment_id): rank from 1}``.

    ``clusters`` gives each cluster's id and its gaps (each with ``severity``, its ``rank`` in the cluster and
    ``segment_id``) in order of health; ties go to the healthier cluster's gap, then to the cluster's own order.

    >>> city_gap_ranks([("a", [{"segment_id": "a1", "severity": 0.5, "rank": 1}]),
    ...                 ("b", [{"segment_id": "b1", "severity": 0.7, "rank": 1},
    ...                        {"segment_id": "b2", "severity": 0.5, "rank": 2}])])
    {('b', 'b1'): 1, ('a', 'a1'): 2, ('b', 'b2'): 3}
    """
    keyed = [
        (-gap["severity"], order, gap["rank"], cluster_id, gap["segment_id"])
        for order, (cluster_id, cluster_gaps) in enumerate(clusters)
        for gap in cluster_gaps
    ]
    return {(cid, sid): rank for rank, (*_, cid, sid) in enumerate(sorted(keyed), start=1)}


def city_targets_report(
    store: GraphStore,
    *,
    year: int | None = None,
    list_year: int | None = None,
    kind: str | None = None,
    top: int = TARGETS_PAGE_TOP,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything the city's 先找谁 page shows.

    Parameters
    ----------
    store : GraphStore
    year : int, optional
        As-of year for presence facts.
    list_year : {2022, 2024}, optional
        Only the clusters of one published list, and their gaps.
    kind : {"missing", "weak", "broken_link", "extension"}, optional
        Only the gaps of this kind count, as ``chainkg targets --kind`` counts them.
    top : int
        How many firms the printed page lists (1–1000); ``targets`` holds them all.
    today : datetime.date, optional
        The date printed on the page (default: today).

    Returns
    -------
    dict
        ``targets`` (every outside firm to approach, each once, by priority, as :func:`queries.targets.targets`
        ranks them, with ``row`` and ``sources`` (:func:`reports.gather.target_items`); each of its gaps with
        ``gap_rank`` (its rank in its cluster, as the cluster report numbers it), ``city_rank`` (its rank among
        every gap of the city, as the city workbook numbers it: :func:`city_gap_ranks`) and its cluster's
        ``cluster_name_zh`` and ``cluster_name_en``, and ``city_tied`` when another gap of the city has the same
        severity), ``shown`` (the first ``top`` of them), ``clusters`` (in order of health: ``cluster_id``, names,
        ``health_rank``, ``gap_count`` (the gaps that count), ``firm_count`` and ``expansion_count`` (its own
        targets, as its report lists them, and those of them whose group is already here in every gap they
        would fill) and ``first`` (the first :data:`CLUSTER_FIRST` of its own targets that fill a gap, each with
        its ``rank`` and ``tied_with`` in the cluster and its ``row`` in the city's list)),
        ``unfilled`` (the gaps that count but no outside firm in the data could fill, most severe first, each with
        its cluster's names, ``city_rank``, ``city_tied`` and its segment's ``sources``), ``counts`` (``firms`` (that
        fill a gap), ``expansions`` (whose group is already here in every gap they would fill: priority 0, at the
        end of the list), ``gaps``, ``gaps_with_targets``, ``unfilled``), ``kind``, ``kind_zh``, ``year``,
        ``list_year``, ``list_note`` (when the data know only part of that list), ``top``, ``data_version``,
        ``backend``, ``sources_book`` and ``generated``.

    Raises
    ------
    InvalidQuery
        For ``top`` outside 1–1000, an unknown ``kind``, a ``list_year`` other than 2022 or 2024, or a bad year.
    """
    check_targets_top(top)
    ranking = health_ranking(store, year=year, list_year=list_year)
    items = targets(store, year=year, kind=kind, list_year=list_year)
    names = {h["cluster_id"]: (h["name_zh"], h["name_en"]) for h in ranking}
    cluster_gaps = [(h["cluster_id"], gaps(store, cluster=h["cluster_id"], year=year)) for h in ranking]
    for _, every_gap in cluster_gaps:
        for rank, gap in enumerate(every_gap, start=1):
            gap["rank"] = rank  # as the cluster report numbers its gaps
    gap_ranks = {g["segment_id"]: g["rank"] for _, every_gap in cluster_gaps for g in every_gap}
    city_ranks = city_gap_ranks(cluster_gaps)
    shared = Counter(g["severity"] for _, every_gap in cluster_gaps for g in every_gap)
    shown = target_items(store, items, store_subtrees(store), gap_ranks)
    rows = {item["firm_id"]: item["row"] for item in shown}
    city = {item["firm_id"]: (item["rank"], item["tied_with"]) for item in shown}
    clusters_of = {item["firm_id"]: item["cluster_ids"] for item in shown}
    for item in shown:
        for gap in item["gaps"]:
            gap["city_rank"] = city_ranks.get((gap["cluster_id"], gap["segment_id"]))
            gap["city_tied"] = shared[gap["severity"]] > 1
            gap["cluster_name_zh"], gap["cluster_name_en"] = names.get(gap["cluster_id"], (gap["cluster_id"], ""))
    counted = [
        (cid, g) for cid, every_gap in cluster_gaps for g in every_gap if kind is None or kind in g.get("kinds", [])
    ]
    filled = {g["segment_id"] for item in shown for g in item["gaps"]}
    unfilled = sorted(
        (
            {
                **g,
                "cluster_name_zh": names[cid][0],
                "cluster_name_en": names[cid][1],
                "city_rank": city_ranks[(cid, g["segment_id"])],
                "city_tied": shared[g["severity"]] > 1,
                "sources": list(getattr(store.node(g["segment_id"]), "sources", [])),
            }
            for cid, g in counted
            if g["segment_id"] not in filled
        ),
        key=lambda g: g["city_rank"],
    )
    clusters = []
    for h in ranking:
        cid = h["cluster_id"]
        own = targets(store, cid, year=year, kind=kind)  # the cluster report's 先找谁, ranked for this cluster
        first = [
            {
                "firm_id": t["firm_id"],
                "name_zh": t["name_zh"],
                "name_en": t["name_en"],
                "rank": t["rank"],
                "tied_with": t["tied_with"],
                "row": rows[t["firm_id"]],
                # its place in the city's list as that list ranks it: firms of equal priority share it (review 16a:
                # the row number gave three tied firms three ranks, 全市 #71, #72, #73, beside a list saying 71=)
                "city_rank": city[t["firm_id"]][0],
                "city_tied": city[t["firm_id"]][1] > 0,
                # the other clusters whose gaps it fills: why a cluster's 3rd can rank above its 1st city-wide
                # (review 16a L1: 特变电工 also fills 新型电力装备's gaps)
                "also_in": [
                    {
                        "cluster_id": other,
                        "name_zh": names.get(other, (other, ""))[0],
                        "name_en": names.get(other, (other, ""))[1],
                    }
                    for other in clusters_of[t["firm_id"]]
                    if other != cid
                ],
            }
            for t in own
            if t["priority"] > 0
        ][:CLUSTER_FIRST]
        clusters.append(
            {
                "cluster_id": cid,
                "name_zh": h["name_zh"],
                "name_en": h["name_en"],
                "health_rank": h["rank"],
                "gap_count": sum(1 for c, _ in counted if c == cid),
                "firm_count": len(own),
                "expansion_count": sum(1 for t in own if t["priority"] == 0),
                "first": first,
            }
        )
    return {
        "targets": shown,
        "shown": shown[:top],
        "clusters": clusters,
        "unfilled": unfilled,
        "counts": {
            "firms": sum(1 for t in shown if t["priority"] > 0),
            "expansions": sum(1 for t in shown if t["priority"] == 0),
            "gaps": len(counted),
            "gaps_with_targets": len(counted) - len(unfilled),
            "unfilled": len(unfilled),
        },
        "kind": kind,
        "kind_zh": KIND_NAMES_ZH.get(kind, "") if kind else "",
        "year": year,
        "list_year": list_year,
        "list_note": incomplete_list_note(list_year, len(ranking)) if list_year is not None else None,
        "top": top,
        "data_version": store.version(),
        "backend": store.backend,
        "sources_book": SourceBook.from_store(store),
        "generated": (today or dt.date.today()).isoformat(),
    }
