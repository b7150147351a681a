"""Gather what a report shows, from the queries: one cluster in full, or every cluster's health.

The gathered dicts hold source *ids*; each output (HTML, workbook) numbers the
sources it cites itself (:class:`reports.citations.Citations`).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_city
>>> data = cluster_report(MemoryStore(tiny_city()), "t-nev", top=2)
>>> [(g["rank"], g["segment_id"], len(g["candidates"])) for g in data["gaps"]][:2]
[(1, 't-lithium', 2), (2, 't-cathode', 1)]
>>> [a["id"] for a in data["anchors"]], data["health"]["rank"], data["health"]["of"]
(['f-cell-a', 'f-veh-a'], 1, 2)
>>> len(data["memberships"]) == sum(1 for m in data["memberships"] if m["segment_id"].startswith("t-"))
True
>>> s = summary_report(MemoryStore(tiny_city()))
>>> [(c["rank"], c["cluster_id"]) for c in s["ranking"]]
[(1, 't-nev'), (2, 't-ess')]
>>> city = city_report(MemoryStore(tiny_city()))
>>> [c["cluster"]["id"] for c in city["clusters"]]
['t-nev', 't-ess']
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Mapping
from typing import Any

from graph.errors import InvalidQuery
from graph.model import Cluster, EdgeKind, Firm, NodeKind
from graph.store import GraphStore
from queries.candidates import rank_candidates
from queries.chain import chain
from queries.cluster_links import cluster_links
from queries.clusters import get_cluster, incomplete_list_note
from queries.figures import WIDER_WORDS, figure_scope, headline_output, is_wider, other_money_figure
from queries.firms import anchor_ids
from queries.gap_kinds import KIND_NAMES_ZH, KINDS
from queries.gaps import gaps
from queries.health import health_ranking
from queries.notes import reader_note
from queries.places import place_en
from queries.segment_graph import chain_data
from queries.severity import KIND_PRECEDENCE, unverified_note
from queries.targets import targets
from reports.layers import layers_section
from viz.sources import SourceBook
from viz.style import GAP_LABELS, english_part

MAX_TOP = 10
"""At most this many candidates per gap in the printed report."""

TARGETS_TOP = 10
"""The targets (先找谁) the printed cluster report lists, the first by priority; the workbooks list them all."""


def check_top(top: int) -> None:
    """Raise :class:`InvalidQuery` unless 1 ≤ ``top`` ≤ :data:`MAX_TOP`."""
    if not 1 <= top <= MAX_TOP:
        raise InvalidQuery(f"top must be between 1 and {MAX_TOP}; got {top}")


def _district_names(store: GraphStore) -> dict[str, str]:
    return {n.id: n.name_zh for n in store.nodes(NodeKind.DISTRICT)}


def _memberships(
    store: GraphStore, chain_data: dict[str, Any], year: int | None, anchors: frozenset[str]
) -> list[dict[str, Any]]:
    """Every OPERATES_IN fact into the cluster's segments (as of ``year``), in chain order, local firms first.

    ``is_anchor`` says whether the firm is one of the cluster's ``anchors`` (:func:`queries.firms.anchor_ids`).
    """
    districts = _district_names(store)
    order = {s["id"]: i for i, s in enumerate(chain_data["segments"])}
    names = {s["id"]: s["name_zh"] for s in chain_data["segments"]}
    rows = []
    for sid in order:
        for edge in store.edges(EdgeKind.OPERATES_IN, target=sid):
            if year is not None and edge.year is not None and edge.year > year:
                continue
            firm = store.node(edge.source)
            if not isinstance(firm, Firm):
                continue
            role = edge.role.value if edge.role else "member"
            rows.append(
                {
                    "firm_id": firm.id,
                    "name_zh": firm.name_zh,
                    "name_en": firm.name_en,
                    "is_local": firm.is_local,
                    "district_id": firm.district_id,
                    "district": districts.get(firm.district_id, ""),
                    "hq": firm.hq,
                    "hq_en": place_en(firm.hq),
                    "tags": list(firm.tags),
                    "segment_id": sid,
                    "segment_name_zh": names[sid],
                    "role": role,
                    "is_anchor": firm.id in anchors,
                    "year": edge.year,
                    "confidence": edge.confidence.value
                    if edge.confidence.value != "sourced"
                    else firm.confidence.value,
                    "firm_sources": list(firm.sources),
                    "sources": list(edge.sources),
                    "note": reader_note(edge.note) or reader_note(firm.note),  # no audit trail (review 16a M7)
                }
            )
    rows.sort(key=lambda r: (order[r["segment_id"]], not r["is_local"], r["role"] != "anchor", r["firm_id"]))
    return rows


def unverified_local_firms(memberships: list[dict[str, Any]], subtree: set[str]) -> list[dict[str, Any]]:
    """The local firms of a segment (or its sub-segments) whose presence there no sourced fact backs.

    A firm is listed when every one of its membership rows in ``subtree`` is ``unverified`` (the
    OPERATES_IN edge, or the firm's record): the gap's local count rests on it. Each item gives
    ``firm_id``, ``name_zh``, ``name_en`` and ``note``.

    >>> rows = [
    ...     {"firm_id": "a", "is_local": True, "segment_id": "s", "confidence": "unverified",
    ...      "name_zh": "甲", "name_en": "A", "note": "general knowledge"},
    ...     {"firm_id": "b", "is_local": True, "segment_id": "s", "confidence": "sourced",
    ...      "name_zh": "乙", "name_en": "B", "note": ""},
    ... ]
    >>> [x["firm_id"] for x in unverified_local_firms(rows, {"s"})]
    ['a']
    """
    by_firm: dict[str, list[dict[str, Any]]] = {}
    for m in memberships:
        if m["is_local"] and m["segment_id"] in subtree:
            by_firm.setdefault(m["firm_id"], []).append(m)
    return [
        {"firm_id": fid, "name_zh": rows[0]["name_zh"], "name_en": rows[0]["name_en"], "note": rows[0]["note"]}
        for fid, rows in sorted(by_firm.items())
        if all(r["confidence"] != "sourced" for r in rows)
    ]


def _anchors(memberships: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The cluster's anchor firms (the rows' ``is_anchor``: :func:`queries.firms.anchor_ids`), in chain order.

    Each with the segments it operates in (and its role there) and the sources of those facts.
    """
    out: dict[str, dict[str, Any]] = {}
    for row in memberships:
        if not row["is_anchor"]:
            continue
        item = out.setdefault(
            row["firm_id"],
            {
                "id": row["firm_id"],
                "name_zh": row["name_zh"],
                "name_en": row["name_en"],
                "district": row["district"],
                "tags": row["tags"],
                "segments": [],
                "sources": list(row["firm_sources"]),
            },
        )
        item["segments"].append({"id": row["segment_id"], "name_zh": row["segment_name_zh"], "role": row["role"]})
        item["sources"] += [s for s in row["sources"] if s not in item["sources"]]
    return list(out.values())


def _candidate_sources(store: GraphStore, firm_id: str, subtree: set[str]) -> list[str]:
    """The firm's own sources and those of its OPERATES_IN facts in the gap's segment (or sub-segments)."""
    ids = list(getattr(store.node(firm_id), "sources", ()))
    for edge in store.edges(EdgeKind.OPERATES_IN, source=firm_id):
        if edge.target in subtree:
            ids += [s for s in edge.sources if s not in ids]
    return ids


def target_items(
    store: GraphStore, items: list[dict[str, Any]], subtrees: Mapping[str, set[str]], gap_ranks: Mapping[str, int]
) -> list[dict[str, Any]]:
    """The targets (:func:`queries.targets.targets`) as the report and the workbooks show them, numbered.

    Each item keeps the query's fields (its ``rank`` shared by firms of equal priority, ``tied_with``) and gets
    ``row`` (its place in the list, from 1: the report's anchor) and ``sources``:
    the firm's own and those of its OPERATES_IN facts in each of its gaps' segments (or their
    sub-segments), as a candidate cites them (:func:`_candidate_sources`). Each of its gaps gets
    ``gap_rank`` (the gap's rank in ``gap_ranks``, ``None`` when not there) and ``group_firms``: the id and
    names of the local units of the firm's group in that gap (its ``group_firm_ids``, when the query
    marks the gap ``group_already_here``).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_city
    >>> store = MemoryStore(tiny_city())
    >>> shown = target_items(store, targets(store, "t-nev"), {}, {"t-lithium": 1})
    >>> [(t["row"], t["rank"], t["firm_id"], [g["gap_rank"] for g in t["gaps"]]) for t in shown][:2]
    [(1, 1, 'o-lith-a', [1]), (2, 2, 'o-lith-b', [1])]
    >>> shown[0]["sources"]
    ['s-tiny']
    """
    out = []
    for row, item in enumerate(items, start=1):
        sources: list[str] = []
        for gap in item["gaps"]:
            sid = gap["segment_id"]
            sources += [
                s for s in _candidate_sources(store, item["firm_id"], subtrees.get(sid, {sid})) if s not in sources
            ]
            gap["gap_rank"] = gap_ranks.get(sid)
            gap["group_firms"] = [
                {
                    "firm_id": fid,
                    "name_zh": getattr(store.node(fid), "name_zh", "") or fid,
                    "name_en": getattr(store.node(fid), "name_en", "") or "",
                }
                for fid in (gap.get("group_firm_ids") or [] if gap.get("group_already_here") else [])
            ]
        out.append({**item, "row": row, "sources": sources})
    return out


def _subtrees(segments: list[dict[str, Any]]) -> dict[str, set[str]]:
    """Each segment with its sub-segments (transitively), within the chain."""
    children: dict[str, list[str]] = {}
    for seg in segments:
        if seg.get("parent_id"):
            children.setdefault(seg["parent_id"], []).append(seg["id"])

    def below(sid: str) -> set[str]:
        out = {sid}
        for child in children.get(sid, []):
            out |= below(child)
        return out

    return {s["id"]: below(s["id"]) for s in segments}


def _segment_names(store: GraphStore, ids: list[str], lang: str, limit: int = 3) -> str:
    """Segment names joined as the gap reasons join them (``、`` and 等, or ``, `` and "and others")."""
    names = []
    for sid in ids[:limit]:
        node = store.node(sid)
        zh = getattr(node, "name_zh", "") or sid
        names.append(zh if lang == "zh" else getattr(node, "name_en", "") or zh)
    more = len(ids) > limit
    if lang == "zh":
        return "、".join(names) + ("等" if more else "")
    return ", ".join(names) + (" and others" if more else "")


def merged_reasons(store: GraphStore, reasons: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """A gap's reasons with adjacency folded into supply: a segment the gap feeds is next to it too.

    ``next_to_strong_segment`` is dropped when every segment it names is one ``feeds_strong_segment``
    names already, and otherwise names only the others ("另紧邻…", "also next to…").

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> feeds = {"code": "feeds_strong_segment", "segment_ids": ["t-cathode"], "zh": "供给", "en": "feeds"}
    >>> near = {"code": "next_to_strong_segment", "upstream_ids": [], "downstream_ids": ["t-cathode"]}
    >>> [r["code"] for r in merged_reasons(MemoryStore(tiny_chain()), [feeds, {**near, "zh": "", "en": ""}])]
    ['feeds_strong_segment']
    """
    feeds = {sid for r in reasons if r.get("code") == "feeds_strong_segment" for sid in r.get("segment_ids", [])}
    out = []
    for reason in reasons:
        if reason.get("code") == "next_to_strong_segment" and feeds:
            up = [s for s in reason.get("upstream_ids", []) if s not in feeds]
            down = [s for s in reason.get("downstream_ids", []) if s not in feeds and s not in up]
            rest = up + down
            if not rest:
                continue
            unverified = [s for s in reason.get("unverified_ids", []) if s in rest]
            data = chain_data(store)
            reason = {
                **reason,
                "upstream_ids": up,
                "downstream_ids": down,
                "zh": f"另紧邻本地强环节：{_segment_names(store, rest, 'zh')}"
                + unverified_note(data, rest, unverified, "zh"),
                "en": f"also next to the strong local segment(s) {_segment_names(store, rest, 'en')}"
                + unverified_note(data, rest, unverified, "en"),
            }
            if "confidence" in reason:
                reason["unverified_ids"] = unverified
                reason["confidence"] = "unverified" if len(unverified) == len(rest) else "sourced"
        out.append(reason)
    return out


def extra_reasons(gap: dict[str, Any]) -> list[dict[str, Any]]:
    """The gap's (merged) reasons its explanation does not already say, in either language."""
    zh, en = gap["explanation_zh"], gap["explanation_en"]
    return [
        r
        for r in gap["merged_reasons"]
        if not (r["zh"] and (r["zh"] in zh or r["zh"].replace("：", "") in zh)) and not (r["en"] and r["en"] in en)
    ]


def candidate_counts(gap_items: list[dict[str, Any]]) -> dict[str, int]:
    """Distinct candidate firms over the gaps, the candidate entries (firm × gap) and the gaps.

    A parent gap's outside firms include its sub-gaps' (:func:`split_sub_gap_candidates`): an entry a
    parent repeats from one of its sub-gaps is counted once, under the sub-gap, and ``repeated`` says
    how many were left out that way.

    >>> candidate_counts([{"all_candidates": [{"firm_id": "a"}, {"firm_id": "b"}], "repeated_candidates": ["a"]},
    ...                   {"all_candidates": [{"firm_id": "a"}]}])
    {'firms': 2, 'entries': 2, 'gaps': 2, 'repeated': 1}
    """
    firms = {x["firm_id"] for g in gap_items for x in g["all_candidates"]}
    repeated = sum(len(g.get("repeated_candidates", [])) for g in gap_items)
    entries = sum(len(g["all_candidates"]) for g in gap_items) - repeated
    return {"firms": len(firms), "entries": entries, "gaps": len(gap_items), "repeated": repeated}


def split_sub_gap_candidates(gap_items: list[dict[str, Any]], subtrees: dict[str, set[str]], top: int) -> None:
    """Give each gap the candidates that are its own, apart from those its sub-gaps list too.

    A parent segment's outside firms include those of its sub-segments, so a parent gap's ranked
    candidates (``all_candidates``, as ``chainkg candidates`` gives them) repeat its sub-gaps' firms
    (汽车芯片 repeats 9 of its 10 from 电池管理芯片 and 车规级MCU与智驾芯片). Each gap gets
    ``repeated_candidates`` (firm ids also listed under a gap below it), ``own_candidates`` (the others,
    in rank order), ``candidates`` (the first ``top`` of those: what the report prints) and
    ``see_sub_gaps`` (the gaps below it that list the repeated firms: rank and names, by rank).

    >>> items = [
    ...     {"segment_id": "p", "rank": 1, "segment_name_zh": "父", "segment_name_en": "P",
    ...      "all_candidates": [{"firm_id": "a"}, {"firm_id": "b"}, {"firm_id": "c"}]},
    ...     {"segment_id": "c", "rank": 2, "segment_name_zh": "子", "segment_name_en": "C",
    ...      "all_candidates": [{"firm_id": "b"}]},
    ... ]
    >>> split_sub_gap_candidates(items, {"p": {"p", "c"}, "c": {"c"}}, top=3)
    >>> [x["firm_id"] for x in items[0]["candidates"]], items[0]["repeated_candidates"]
    (['a', 'c'], ['b'])
    >>> [g["rank"] for g in items[0]["see_sub_gaps"]], items[1]["see_sub_gaps"]
    ([2], [])
    """
    for gap in gap_items:
        below = subtrees.get(gap["segment_id"], {gap["segment_id"]}) - {gap["segment_id"]}
        sub_gaps = sorted((g for g in gap_items if g["segment_id"] in below), key=lambda g: g["rank"])
        listed = {x["firm_id"] for g in sub_gaps for x in g["all_candidates"]}
        own = [x for x in gap["all_candidates"] if x["firm_id"] not in listed]
        repeated = [x["firm_id"] for x in gap["all_candidates"] if x["firm_id"] in listed]
        gap["own_candidates"] = own
        gap["repeated_candidates"] = repeated
        gap["candidates"] = own[:top]
        gap["tie_cut"] = tie_cut(gap["candidates"], own)
        gap["see_sub_gaps"] = [
            {
                "rank": g["rank"],
                "segment_id": g["segment_id"],
                "name_zh": g["segment_name_zh"],
                "name_en": g["segment_name_en"],
            }
            for g in sub_gaps
            if set(repeated) & {x["firm_id"] for x in g["all_candidates"]}
        ]


def _link_sub_gaps(gap_items: list[dict[str, Any]]) -> None:
    """Give each gap ``sub_gap_items``: its sub-segments that are gaps too, with their rank and names.

    A parent gap's outside firms include those of its sub-segments, so the report says which of
    its sub-segments are listed (and ranked) as gaps of their own, as ``chainkg gaps`` does.
    """
    by_id = {g["segment_id"]: g for g in gap_items}
    for gap in gap_items:
        subs = [by_id[sid] for sid in gap.get("sub_gaps", []) if sid in by_id]
        gap["sub_gap_items"] = [
            {
                "rank": g["rank"],
                "segment_id": g["segment_id"],
                "name_zh": g["segment_name_zh"],
                "name_en": g["segment_name_en"],
            }
            for g in sorted(subs, key=lambda g: g["rank"])
        ]


OTHER_MISSING = {"zh": "其余", "en": "other"}
"""How the overview names the missing segments that are neither 断链 nor 延链 (``kind`` ``missing``)."""


def gap_counts(gap_items: list[dict[str, Any]]) -> dict[str, Any]:
    """The gaps counted as the report's overview prints them: 缺链 (missing segments) and 弱链, the 缺链 by kind.

    Each gap counts once, under its ``kind`` (the first of 断链, 延链, 缺链 that applies; 弱链 stands
    alone). Every 断链 and 延链 is a missing segment too (its ``kinds`` list 缺链 as well, and ``chainkg
    health`` counts it among the missing), so ``missing`` is the sum of ``missing_parts``: the broken
    links, the extensions and the other missing segments (:data:`OTHER_MISSING`), the kinds present
    only, each with ``kind``, ``count`` and its Chinese and English names (:data:`queries.gap_kinds.KIND_NAMES_ZH`).
    ``by_kind`` counts the gaps by ``kind``, as the rows of the gap table go; ``missing + weak = gaps``.

    >>> c = gap_counts([{"kind": "broken_link"}, {"kind": "broken_link"}, {"kind": "missing"}, {"kind": "weak"}])
    >>> c["gaps"], c["missing"], c["weak"], c["by_kind"]
    (4, 3, 1, {'missing': 1, 'weak': 1, 'broken_link': 2})
    >>> [(p["zh"], p["en"], p["count"]) for p in c["missing_parts"]]
    [('断链', 'broken link', 2), ('其余', 'other', 1)]
    >>> gap_counts([{"kind": "missing"}])["missing_parts"]
    [{'kind': 'missing', 'count': 1, 'zh': '缺链', 'en': 'missing'}]
    """
    found = Counter(g["kind"] for g in gap_items)
    unknown = set(found) - set(KINDS)
    if unknown:
        raise ValueError(f"gap kinds {sorted(unknown)} are none of {list(KINDS)}")
    by_kind = {k: found[k] for k in KINDS if found[k]}
    kinds = [k for k in KIND_PRECEDENCE if k != "weak" and found[k]]
    only_missing = kinds == ["missing"]
    parts = [
        {
            "kind": k,
            "count": found[k],
            "zh": OTHER_MISSING["zh"] if k == "missing" and not only_missing else KIND_NAMES_ZH[k],
            "en": OTHER_MISSING["en"] if k == "missing" and not only_missing else english_part(GAP_LABELS[k]).lower(),
        }
        for k in kinds
    ]
    return {
        "gaps": len(gap_items),
        "missing": sum(p["count"] for p in parts),
        "weak": found["weak"],
        "by_kind": by_kind,
        "missing_parts": parts,
        "also": also_kinds(gap_items, found),
    }


def also_kinds(gap_items: list[dict[str, Any]], primary: Counter[str]) -> list[dict[str, Any]]:
    """The link kinds more gaps have than are counted under them: a gap counts once, under its first kind, but
    a 断链 gap may be a 延链 too. The views and ``chainkg gaps --kind`` count every kind a gap has, so the
    report says how many have each (``兼为延链 8``) where that is more than its own count.

    >>> gaps = [{"kind": "broken_link", "kinds": ["broken_link", "extension", "missing"]},
    ...         {"kind": "extension", "kinds": ["extension", "missing"]}]
    >>> [(a["zh"], a["count"]) for a in also_kinds(gaps, Counter(g["kind"] for g in gaps))]
    [('延链', 2)]
    """
    out = []
    for kind in ("broken_link", "extension"):
        count = sum(1 for g in gap_items if kind in g.get("kinds", ()))
        if count > primary[kind]:
            out.append(
                {"kind": kind, "count": count, "zh": KIND_NAMES_ZH[kind], "en": english_part(GAP_LABELS[kind]).lower()}
            )
    return out


def status_counts(counts: dict[str, int]) -> dict[str, int]:
    """A health answer's segment counts split so they add up to the segments: strong, present, weak, missing.

    ``counts["present"]`` counts every segment with a local firm (strong and weak ones too); the
    ``present`` returned here is the rest of them (一般), so the four parts sum to ``segments``.

    >>> status_counts({"segments": 15, "present": 13, "strong": 4, "weak": 5, "missing": 2})
    {'strong': 4, 'present': 4, 'weak': 5, 'missing': 2, 'segments': 15}
    """
    general = counts["present"] - counts["strong"] - counts["weak"]
    return {
        "strong": counts["strong"],
        "present": general,
        "weak": counts["weak"],
        "missing": counts["missing"],
        "segments": counts["segments"],
    }


def cluster_report(
    store: GraphStore,
    cluster_id: str,
    *,
    top: int = 3,
    year: int | None = None,
    per_gap: int | None = None,
    today: dt.date | None = None,
) -> dict[str, Any]:
    """Everything a cluster report shows.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str
    top : int
        Candidates per gap in the printed report (1–10); the workbook lists them all.
    year : int, optional
        As-of year for presence facts (see ``docs/analysis.md``).
    per_gap : int, optional
        List as targets (先找谁) only firms among the first ``per_gap`` candidates of at least one of their
        gaps, as :func:`queries.targets.targets` keeps them (``1``: each gap's first choice, and any tied with
        it), so one gap with many candidates does not fill the list; ``None``: every candidate firm.
    today : datetime.date, optional
        The date printed on the report (default: today).

    Returns
    -------
    dict
        ``cluster`` (with figures and listings), ``chain``, ``gaps`` (ranked, each with
        ``rank``, ``segment`` details, ``all_candidates`` (as ``chainkg candidates`` ranks them),
        ``own_candidates``, ``repeated_candidates``, ``see_sub_gaps`` and ``candidates`` (the top of
        the own ones; :func:`split_sub_gap_candidates`), ``merged_reasons`` (:func:`merged_reasons`)
        and ``extra_reasons`` (:func:`extra_reasons`), ``unverified_local`` (:func:`unverified_local_firms`)
        and ``missing_if_unverified`` (every local firm is one of them)),
        ``targets`` (every outside firm to approach, each once, by priority, as :func:`queries.targets.targets`
        ranks them, numbered, with sources and gap ranks: :func:`target_items`; with ``per_gap``, only the
        firms it keeps), ``per_gap`` (as given), ``targets_top`` (how many
        of them the printed report lists: :data:`TARGETS_TOP`),
        ``candidate_counts`` (:func:`candidate_counts`:
        distinct firms, entries counted once, gaps, entries a parent repeats from its sub-gaps),
        ``gap_counts`` (:func:`gap_counts`), ``health`` (with ``rank`` and ``of``), ``anchors`` (the
        firms :func:`queries.firms.anchor_ids` names, as ``chainkg chain`` and ``/api/v1/firms?anchor=true``
        list them, each with its segments in the chain: :func:`_anchors`), ``memberships``, ``layers``
        (completeness, projects, policies and tier holders: :mod:`reports.layers`),
        ``external_clusters``, ``cross_links`` (the cluster's pairs with other clusters, as ``cluster_links``
        answers for it), ``data_version``, ``sources_book`` (every source of the store),
        ``year``, ``top`` and ``generated``.

    Raises
    ------
    NodeNotFound
        For an unknown cluster (with the nearest ids).
    InvalidQuery
        For ``top`` outside 1–10, ``per_gap`` below 1 or a bad year.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_city
    >>> store = MemoryStore(tiny_city())
    >>> [t["firm_id"] for t in cluster_report(store, "t-nev")["targets"]][:3]
    ['o-lith-a', 'o-lith-b', 'o-bms-a']
    >>> data = cluster_report(store, "t-nev", per_gap=1)  # o-lith-b is only second for its one gap
    >>> data["per_gap"], [t["firm_id"] for t in data["targets"]][:3]
    (1, ['o-lith-a', 'o-bms-a', 'o-cath-a'])
    """
    check_top(top)
    cluster = get_cluster(store, cluster_id)
    # first, so that a bad per_gap is refused before the gaps are gathered
    target_list = targets(store, cluster_id, year=year, per_gap=per_gap)
    ch = chain(store, cluster_id, year=year)
    segments = {s["id"]: s for s in ch["segments"]}
    subtrees = _subtrees(ch["segments"])
    gap_items = gaps(store, cluster=cluster_id, year=year)
    memberships = _memberships(store, ch, year, anchor_ids(store, cluster_id))
    for rank, gap in enumerate(gap_items, start=1):
        seg = segments[gap["segment_id"]]
        parent = segments.get(seg.get("parent_id") or "")
        ranked = rank_candidates(store, gap["segment_id"], year=year)
        for cand in ranked:
            cand["sources"] = _candidate_sources(store, cand["firm_id"], subtrees[gap["segment_id"]])
        gap.update(
            {
                "rank": rank,
                "parent_name_zh": parent["name_zh"] if parent else "",
                "parent_name_en": parent["name_en"] if parent else "",
                "outside_firm_count": seg["outside_firm_count"],
                "sources": seg["sources"],
                "segment_confidence": seg["confidence"],
                "all_candidates": ranked,
                "merged_reasons": merged_reasons(store, gap["reasons"]),
            }
        )
        gap["extra_reasons"] = extra_reasons(gap)
        unsure = unverified_local_firms(memberships, subtrees[gap["segment_id"]])
        gap["unverified_local"] = unsure
        # every local firm rests on an unverified fact: without them the segment is missing, not weak
        gap["missing_if_unverified"] = bool(unsure) and len(unsure) == gap["local_firm_count"]
    _link_sub_gaps(gap_items)
    split_sub_gap_candidates(gap_items, subtrees, top)
    ranking = health_ranking(store, year=year)
    mine = next(h for h in ranking if h["cluster_id"] == cluster_id)
    owners: dict[str, str] = {}
    for ext in ch["external_segments"]:
        node = store.node(ext["cluster_id"])
        owners[ext["cluster_id"]] = node.name_zh if isinstance(node, Cluster) else ext["cluster_id"]
    local_firms = {m["firm_id"] for m in memberships if m["is_local"]}
    gap_ranks = {g["segment_id"]: g["rank"] for g in gap_items}
    return {
        "cluster": cluster,
        "chain": ch,
        "gaps": gap_items,
        "targets": target_items(store, target_list, subtrees, gap_ranks),
        "per_gap": per_gap,
        "targets_top": TARGETS_TOP,
        "candidate_counts": candidate_counts(gap_items),
        "gap_counts": gap_counts(gap_items),
        "layers": layers_section(store, cluster_id, year, local_firms=local_firms),
        "health": {**mine, "of": len(ranking)},
        "anchors": _anchors(memberships),
        "memberships": memberships,
        "external_clusters": owners,
        "cross_links": cluster_links(store, cluster_id),
        "data_version": store.version(),
        "backend": store.backend,
        "sources_book": SourceBook.from_store(store),
        "year": year,
        "top": top,
        "generated": (today or dt.date.today()).isoformat(),
    }


def latest_output(cluster: dict[str, Any]) -> dict[str, Any] | None:
    """The output figure that stands for a cluster, as the overview view picks it, with ``scope_label``.

    The latest city-wide full-year figure, else the latest full-year one, else the latest of any period
    (:func:`queries.figures.headline_output`); ``scope_label`` names what the figure covers when it is not the
    whole cluster across the city (``""`` when it is), and ``scope_wider`` which way: ``False`` for a part
    of the cluster (a district, a sub-cluster: shown "仅 X"), ``True`` for more than the cluster (a figure
    whose note says ``wider than this cluster``, named as the views name it: :func:`scope_is_wider`).

    >>> out = latest_output({"figures": [{"year": 2023, "metric": "output", "period": "1-9月"},
    ...                                  {"year": 2022, "metric": "output", "period": "full-year",
    ...                                   "note": "Scope: 新型碳材料"}]})
    >>> out["year"], out["scope_label"], out["scope_wider"]
    (2022, '新型碳材料', False)
    >>> out = latest_output({"figures": [{"year": 2025, "metric": "output", "period": "full-year",
    ...                                   "note": "新能源 industry as a whole, wider than this cluster"}]})
    >>> out["scope_label"], out["scope_wider"]
    ('新能源产业整体，宽于本集群', True)
    """
    found = headline_output(cluster.get("figures", []))
    if not found:
        return None
    label = figure_scope(found)
    return {**found, "scope_label": label, "scope_wider": scope_is_wider(found, label)}


def latest_figure(cluster: dict[str, Any]) -> dict[str, Any] | None:
    """The money figure that stands for a cluster: its :func:`latest_output`, else the latest of another metric.

    A cluster that publishes no output figure is shown by its latest 营收 (revenue) or other money figure, as the
    overview view labels it (:func:`queries.figures.other_money_figure`), with ``scope_label`` and
    ``scope_wider`` as :func:`latest_output` gives them; its ``metric`` says which it is.

    >>> fig = latest_figure({"figures": [{"year": 2022, "metric": "revenue", "unit": "亿元", "value": 1000.0,
    ...                                   "period": "1-8月"}]})
    >>> fig["metric"], fig["scope_label"]
    ('revenue', '')
    >>> latest_figure({"figures": []}) is None
    True
    """
    found = latest_output(cluster)
    if found:
        return found
    other = other_money_figure(cluster.get("figures", []))
    if not other:
        return None
    label = figure_scope(other)
    return {**other, "scope_label": label, "scope_wider": scope_is_wider(other, label)}


def scope_is_wider(fig: Mapping[str, Any], label: str) -> bool:
    """Whether ``label``, the scope :func:`queries.figures.figure_scope` names for ``fig``, is wider than the cluster.

    A figure's scope is named by the first of: its district, its segments, its sub-cluster (all narrower
    than the cluster), else, for a figure whose note says ``wider than this cluster``
    (:func:`queries.figures.is_wider`), the wider scope, which ends in :data:`queries.figures.WIDER_WORDS`. A
    district figure whose note also says "wider" (wider in products, narrower in area) is a part of the
    cluster, as the views' caveat treats it.

    Parameters
    ----------
    fig : Mapping
        A published figure (its ``note``, ``district``, ``scope``).
    label : str
        ``figure_scope(fig)``.

    Returns
    -------
    bool
        ``True`` when the figure covers more than the cluster.

    Examples
    --------
    >>> wider = {"note": "新能源 industry as a whole, wider than this cluster"}
    >>> scope_is_wider(wider, figure_scope(wider))
    True
    >>> park = {"note": "District figure: 溧阳高新区 only; wider than this cluster in products"}
    >>> scope_is_wider(park, figure_scope(park)), scope_is_wider({"note": "Scope: 新型碳材料"}, "新型碳材料")
    (False, False)
    """
    return bool(label) and is_wider(fig) and label.endswith(WIDER_WORDS[0])


SUMMARY_TOP = 3
"""Candidate firms named under each of a cluster's most severe gaps in the summary."""


def store_subtrees(store: GraphStore) -> dict[str, set[str]]:
    """Each segment of the store with its sub-segments (transitively)."""
    segments = [{"id": n.id, "parent_id": getattr(n, "parent_id", None)} for n in store.nodes(NodeKind.SEGMENT)]
    return _subtrees(segments)


def _describe_top_gap(store: GraphStore, gap: dict[str, Any], full: dict[str, Any] | None) -> None:
    """Add to a summary's top gap its names, kinds (with ``kinds_unverified``) and sources (its firms:
    :func:`name_firms_once`)."""
    node = store.node(gap["segment_id"])
    gap["segment_name_zh"] = node.name_zh if node else gap["segment_id"]
    gap["segment_name_en"] = getattr(node, "name_en", "") or ""
    prefix = gap["segment_name_zh"] + "："
    text = gap["explanation_zh"]
    gap["detail_zh"] = text[len(prefix) :] if text.startswith(prefix) else text
    gap["kinds"] = list(full["kinds"]) if full else [gap["kind"]]
    # the kinds resting only on unverified supply links, marked 断链（待核实） as the cluster report marks them
    gap["kinds_unverified"] = list((full or gap).get("kinds_unverified", []))
    gap["sources"] = list(getattr(node, "sources", ()))


def _gap_names(items: list[dict[str, Any]]) -> list[dict[str, str]]:
    """The Chinese and English names of gaps, as the summary prints them."""
    return [{"name_zh": g["name_zh"], "name_en": g["name_en"] or g["name_zh"]} for g in items]


def tie_cut(shown: list[dict[str, Any]], pool: list[dict[str, Any]]) -> dict[str, int] | None:
    """When the last candidate ``shown`` shares its score with candidates of ``pool`` not shown: how many share
    it (``share``) and how many of them are shown (``listed``); ``None`` otherwise.

    The order within a tie is by firm id, which says nothing of the firms: a list cut inside a tie names
    some of them for no reason, and the report says so (化纤及新型纤维: 6 firms at 0.308, 3 listed).

    >>> pool = [{"firm_id": f, "score": s} for f, s in (("a", 0.5), ("b", 0.3), ("c", 0.3), ("d", 0.3))]
    >>> tie_cut(pool[:2], pool), tie_cut(pool[:1], pool), tie_cut(pool, pool)
    ({'share': 3, 'listed': 1}, None, None)
    """
    if not shown or "score" not in shown[-1]:
        return None
    last = shown[-1]["score"]
    ids = {x["firm_id"] for x in shown}
    same = [x for x in pool if x.get("score") == last]
    if all(x["firm_id"] in ids for x in same):
        return None
    return {"share": len(same), "listed": sum(1 for x in same if x["firm_id"] in ids)}


def name_firms_once(row: list[dict[str, Any]], cluster_gaps: list[dict[str, Any]], top: int) -> None:
    """Say which firms each of a cluster's top gaps names, so that the summary names a firm once per cluster.

    ``cluster_gaps`` are the cluster's gaps as :func:`split_sub_gap_candidates` left them (each with
    ``own_candidates`` and ``see_sub_gaps``): a parent gap leaves the firms its sub-gaps list to them, as
    the cluster report does. Of the rest, a firm an earlier gap of ``row`` already names is not named
    again. Each gap of ``row`` gets ``candidates`` (the first ``top`` left), ``candidate_count`` (all its
    candidates in the data) and ``placement``: how many are named here (``here``), listed under its
    sub-gaps (``sub``, with ``sub_gaps``), named under an earlier top gap (``above``, with ``above_gaps``)
    and not named in the summary (``rest``); the four add up to ``candidate_count``.

    >>> cluster_gaps = [
    ...     {"segment_id": "p", "name_zh": "父", "name_en": "P", "all_candidates": [{"firm_id": f} for f in "abcd"],
    ...      "own_candidates": [{"firm_id": "a"}, {"firm_id": "c"}, {"firm_id": "d"}],
    ...      "see_sub_gaps": [{"segment_id": "c", "name_zh": "子", "name_en": "C"}]},
    ...     {"segment_id": "c", "name_zh": "子", "name_en": "C", "all_candidates": [{"firm_id": "b"}],
    ...      "own_candidates": [{"firm_id": "b"}], "see_sub_gaps": []},
    ...     {"segment_id": "o", "name_zh": "另", "name_en": "O", "all_candidates": [{"firm_id": "a"}, {"firm_id": "e"}],
    ...      "own_candidates": [{"firm_id": "a"}, {"firm_id": "e"}], "see_sub_gaps": []},
    ... ]
    >>> row = [{"segment_id": "p"}, {"segment_id": "c"}, {"segment_id": "o"}]
    >>> name_firms_once(row, cluster_gaps, top=2)
    >>> [[x["firm_id"] for x in g["candidates"]] for g in row]
    [['a', 'c'], ['b'], ['e']]
    >>> row[0]["placement"]
    {'here': 2, 'sub': 1, 'above': 0, 'rest': 1, 'sub_gaps': [{'name_zh': '子', 'name_en': 'C'}], 'above_gaps': []}
    >>> row[2]["placement"]["above"], row[2]["placement"]["above_gaps"]
    (1, [{'name_zh': '父', 'name_en': 'P'}])
    """
    by_id = {g["segment_id"]: g for g in cluster_gaps}
    named_under: dict[str, dict[str, Any]] = {}
    for gap in row:
        found = by_id[gap["segment_id"]]
        own = found["own_candidates"]
        free = [x for x in own if x["firm_id"] not in named_under]
        above = [named_under[x["firm_id"]] for x in own if x["firm_id"] in named_under]
        gap["candidates"] = free[:top]
        gap["tie_cut"] = tie_cut(gap["candidates"], free)
        gap["candidate_count"] = len(found["all_candidates"])
        named_under |= {x["firm_id"]: found for x in gap["candidates"]}
        gap["placement"] = {
            "here": len(gap["candidates"]),
            "sub": len(found["all_candidates"]) - len(own),
            "above": len(above),
            "rest": len(free) - len(gap["candidates"]),
            "sub_gaps": _gap_names(found["see_sub_gaps"]),
            "above_gaps": _gap_names([g for g in cluster_gaps if any(g is a for a in above)]),
        }


def _summary_cluster_gaps(
    store: GraphStore,
    every_gap: list[dict[str, Any]],
    row: list[dict[str, Any]],
    *,
    subtrees: dict[str, set[str]],
    year: int | None,
) -> list[dict[str, Any]]:
    """A cluster's top gaps (``row``) and the gaps below them, with their candidates split as the cluster report
    splits them.

    ``every_gap`` is the cluster's gaps as :func:`queries.gaps.gaps` ranks them (the cluster report's ranks).

    Candidates are ranked as :func:`queries.candidates.rank_candidates` ranks them, each citing the firm's
    sources and those of its OPERATES_IN facts in the gap's segment or below it, as in the cluster report;
    the split is :func:`split_sub_gap_candidates` (``top`` does not matter here: the summary picks its own).
    """
    wanted = set().union(*(subtrees.get(g["segment_id"], {g["segment_id"]}) for g in row))
    items = []
    for rank, gap in enumerate(every_gap, start=1):
        sid = gap["segment_id"]
        if sid not in wanted:
            continue
        subtree = subtrees.get(sid, {sid})
        ranked = [
            {
                "firm_id": c["firm_id"],
                "name_zh": c["name_zh"],
                "name_en": c["name_en"],
                "score": c["score"],
                "sources": _candidate_sources(store, c["firm_id"], subtree),
            }
            for c in rank_candidates(store, sid, year=year)
        ]
        zh, en = gap["segment_name_zh"], gap["segment_name_en"]
        items.append(
            {
                "segment_id": sid,
                "rank": rank,
                "segment_name_zh": zh,
                "segment_name_en": en,
                "name_zh": zh,
                "name_en": en,
                "all_candidates": ranked,
            }
        )
    split_sub_gap_candidates(items, subtrees, MAX_TOP)
    return items


def summary_report(
    store: GraphStore,
    *,
    year: int | None = None,
    list_year: int | None = None,
    today: dt.date | None = None,
    top: int = SUMMARY_TOP,
) -> dict[str, Any]:
    """Every cluster ranked by health, with its components, counts, top gaps and latest published output.

    Each top gap carries its kinds, its segment's sources and up to ``top`` candidate firms
    (as :func:`queries.candidates.rank_candidates` ranks them, with the firms' sources), each firm
    named once per cluster: a parent gap leaves its sub-gaps' firms to them as the cluster report
    does, and a firm an earlier top gap names is not named again (``placement`` says where the
    others are: :func:`name_firms_once`); each cluster its ``status_counts`` (:func:`status_counts`).

    Raises
    ------
    InvalidQuery
        For a ``list_year`` other than 2022 or 2024, or a bad year.
    """
    ranking = health_ranking(store, year=year, list_year=list_year)
    subtrees = store_subtrees(store)
    for item in ranking:
        cluster = get_cluster(store, item["cluster_id"])
        item["list_years"] = cluster["list_years"]
        item["listings"] = cluster["listings"]
        item["output"] = latest_figure(cluster)
        item["status_counts"] = status_counts(item["counts"])
        row = item["top_gaps"]
        every_gap = gaps(store, cluster=item["cluster_id"], year=year)
        full = {g["segment_id"]: g for g in every_gap}
        for gap in row:
            _describe_top_gap(store, gap, full.get(gap["segment_id"]))
        name_firms_once(row, _summary_cluster_gaps(store, every_gap, row, subtrees=subtrees, year=year), top)
    return {
        "ranking": ranking,
        "data_version": store.version(),
        "backend": store.backend,
        "sources_book": SourceBook.from_store(store),
        "year": year,
        "list_year": list_year,
        "list_note": incomplete_list_note(list_year, len(ranking)) if list_year is not None else None,
        "generated": (today or dt.date.today()).isoformat(),
    }


def city_report(
    store: GraphStore,
    *,
    year: int | None = None,
    list_year: int | None = None,
    today: dt.date | None = None,
    progress: Callable[[int, int, str], None] | None = None,
) -> dict[str, Any]:
    """Every cluster's report, in order of health, for the one workbook of every gap.

    Parameters
    ----------
    store : GraphStore
    year : int, optional
        As-of year for presence facts.
    list_year : int, optional
        Only the clusters of one published list (2022 or 2024).
    today : datetime.date, optional
        The date printed in the workbook (default: today).
    progress : callable, optional
        Called as ``progress(done, total, cluster_id)`` after each cluster.

    Returns
    -------
    dict
        ``summary`` (:func:`summary_report`), ``clusters`` (one :func:`cluster_report` per
        cluster of the ranking, in its order), ``targets`` (the city's targets, each firm once across the
        clusters, as ``chainkg targets`` ranks them: :func:`target_items`, each gap's ``gap_rank`` its rank
        in its cluster), ``data_version``, ``backend``, ``sources_book``,
        ``year``, ``list_year`` and ``generated``.

    Raises
    ------
    InvalidQuery
        For a ``list_year`` other than 2022 or 2024, or a bad year.
    """
    summary = summary_report(store, year=year, list_year=list_year, today=today)
    clusters = []
    total = len(summary["ranking"])
    for done, item in enumerate(summary["ranking"], start=1):
        clusters.append(cluster_report(store, item["cluster_id"], top=MAX_TOP, year=year, today=today))
        if progress:
            progress(done, total, item["cluster_id"])
    gap_ranks = {g["segment_id"]: g["rank"] for c in clusters for g in c["gaps"]}
    city_targets = targets(store, year=year, list_year=list_year)
    return {
        "summary": summary,
        "clusters": clusters,
        "targets": target_items(store, city_targets, store_subtrees(store), gap_ranks),
        "data_version": summary["data_version"],
        "backend": summary["backend"],
        "sources_book": summary["sources_book"],
        "year": year,
        "list_year": list_year,
        "generated": summary["generated"],
    }
