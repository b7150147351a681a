"""Targets (先找谁): the outside firms to approach for a cluster (or the whole city), each ranked once.

A firm that is a candidate for several gaps appears once, with every gap it would fill. For each gap
``g`` it is a candidate for (:func:`queries.candidates.rank_candidates`, the same score and rank), its
*value* there is ``v_g = severity_g × score_g``; its priority combines them like independent chances::

    priority = 1 − Π_g (1 − v_g)        over the gaps it is counted for, ∈ [0, 1]

One gap gives ``priority = v_g``; each further gap adds ``v_g`` of what is left, so a firm filling
three severe gaps ranks above one filling one of them, and no number of slight gaps reaches 1. A gap
and a gap below it (``parent_id``, ``sub_gaps``) are one hole: when the firm is a candidate for a gap
and for a gap under it, only the lower ones count, and the upper one is listed with ``counted: false``
and ``counted_through`` (the gaps under it that count). A gap whose local firms include a unit of the
firm's own group (``group_already_here`` in the candidates) is not filled by it: attracting it only
expands that group and adds no new source of supply, and since presence counts a corporate group once
(:func:`queries.presence.classify`), the segment would stay as weak as it is. Such a gap is listed with
``group_already_here: true``, its ``group_firm_ids`` and ``counted: false``, and counts neither in
``gap_count`` nor in the priority (a firm with only such gaps has priority 0 and comes last). Items are
sorted by priority (highest first), then firm id. The selection of gaps takes the filters of
:func:`queries.gaps.gaps` (``kind``, ``min_severity``, ``year``, ``list_year``). See ``docs/analysis.md`` §12.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_city
>>> t = targets(MemoryStore(tiny_city()))
>>> [(x["firm_id"], x["priority"]) for x in t]  # doctest: +NORMALIZE_WHITESPACE
[('o-bms-a', 0.526704), ('o-lith-a', 0.385243), ('o-lith-b', 0.286805), ('o-bms-b', 0.266292),
 ('o-cath-a', 0.143521), ('o-recy-a', 0.1357), ('o-station-a', 0.082367)]
>>> [(g["segment_id"], g["value"], g["rank"]) for g in t[0]["gaps"]]
[('t-ess-bms', 0.42595, 1), ('t-pack', 0.175515, 1)]
>>> t[0]["explanation_zh"].split("；")[0]
'可填补 2 个缺口：电池管理系统（断链，严重度 0.70）、电池包（弱链，严重度 0.32）'
"""

from __future__ import annotations

from typing import Any

from graph.errors import InvalidQuery
from graph.model import NodeKind
from graph.store import GraphStore
from queries.analysis import analysis_for
from queries.cache import per_version
from queries.candidates import rank_candidates, rank_words, shared_ranks, weakest
from queries.gaps import check_gap_filters, gaps, listed_clusters, on_list
from queries.lookup import require
from queries.policies import policy_gaps
from queries.segment_graph import r6

KIND_TEXT: dict[str, tuple[str, str, str]] = {
    "broken_link": ("断链", "broken link", "broken links"),
    "extension": ("延链", "extension", "extensions"),
    "missing": ("缺链", "missing", "missing"),
    "weak": ("弱链", "weak", "weak"),
}
"""How each gap kind reads, in the order the summary counts them (most pressing first)."""

FIRM_REASONS = ("tag", "supplies_local_firms", "buys_from_local_firms", "group_present_locally")
"""Candidate reasons about the firm itself (not the segment), quoted in the ``best_fit`` reason.

``group_already_here`` is not quoted there: it has its own reason, naming every gap it concerns."""


def priority_of(values: list[float]) -> float:
    """``1 − Π (1 − v)``: the chance that at least one of independent chances ``v`` comes true.

    >>> priority_of([0.4]), priority_of([0.4, 0.5]), priority_of([])
    (0.4, 0.7, 0.0)
    """
    rest = 1.0
    for v in values:
        rest *= 1.0 - v
    return r6(1.0 - rest)


def _listed(names: list[str], lang: str, limit: int = 3) -> str:
    sep, more = ("、", "等") if lang == "zh" else (", ", " and others")
    return sep.join(names[:limit]) + (more if len(names) > limit else "")


def _top_candidate(first: list[dict[str, Any]]) -> dict[str, Any]:
    """The ``top_candidate`` reason of a firm ranked first in the gaps ``first``: the first choice where it
    is first alone; where other firms share the score, a shared first place (并列), not a first choice.

    >>> alone = {"segment_id": "a", "segment_name_zh": "甲", "segment_name_en": "A", "tied_with": 0}
    >>> tied = {"segment_id": "b", "segment_name_zh": "乙", "segment_name_en": "B", "tied_with": 5}
    >>> r = _top_candidate([alone, tied])
    >>> r["zh"]
    '是 1 个缺口的首选候选：甲；在 1 个缺口与他家同分并列第一：乙（6 家同分）'
    >>> r["en"]
    'the best candidate for 1 gap: A; tied best for 1 gap: B (6 firms share the score)'
    >>> r["count"], r["tied_segment_ids"]
    (2, ['b'])
    """
    sole = [g for g in first if not g.get("tied_with")]
    shared = [g for g in first if g.get("tied_with")]
    zh_parts, en_parts = [], []
    if sole:
        zh_parts.append(f"是 {len(sole)} 个缺口的首选候选：{_listed([g['segment_name_zh'] for g in sole], 'zh')}")
        names = [g["segment_name_en"] or g["segment_name_zh"] for g in sole]
        en_parts.append(f"the best candidate for {len(sole)} gap{'s' if len(sole) > 1 else ''}: {_listed(names, 'en')}")
    if shared:
        zh_names = [f"{g['segment_name_zh']}（{g['tied_with'] + 1} 家同分）" for g in shared]
        en_names = [
            f"{g['segment_name_en'] or g['segment_name_zh']} ({g['tied_with'] + 1} firms share the score)"
            for g in shared
        ]
        zh_parts.append(f"在 {len(shared)} 个缺口与他家同分并列第一：{_listed(zh_names, 'zh')}")
        en_parts.append(f"tied best for {len(shared)} gap{'s' if len(shared) > 1 else ''}: {_listed(en_names, 'en')}")
    return {
        "code": "top_candidate",
        "count": len(first),
        "segment_ids": [g["segment_id"] for g in first],
        "tied_segment_ids": [g["segment_id"] for g in shared],
        "zh": "；".join(zh_parts),
        "en": "; ".join(en_parts),
    }


UNVERIFIED_MARK = {"zh": "（待核实）", "en": " (unverified)"}
"""Put after a gap kind that rests only on supply links the data marks unverified (``kinds_unverified``)."""


def kind_label(g: dict[str, Any], lang: str) -> str:
    """A gap's primary kind in a language, marked 待核实 / unverified when it is in ``kinds_unverified``.

    >>> g = {"kind": "broken_link", "kinds_unverified": ["broken_link"]}
    >>> kind_label(g, "zh"), kind_label(g, "en"), kind_label({"kind": "weak"}, "zh")
    ('断链（待核实）', 'broken link (unverified)', '弱链')
    """
    zh, en, _ = KIND_TEXT[g["kind"]]
    mark = UNVERIFIED_MARK[lang] if g["kind"] in g.get("kinds_unverified", ()) else ""
    return (zh if lang == "zh" else en) + mark


def _gap_label(g: dict[str, Any], lang: str) -> str:
    if lang == "zh":
        return f"{g['segment_name_zh']}（{kind_label(g, 'zh')}，严重度 {g['severity']:.2f}）"
    return f"{g['segment_name_en'] or g['segment_name_zh']} ({kind_label(g, 'en')}, severity {g['severity']:.2f})"


def _group_text(g: dict[str, Any], lang: str) -> str:
    """A gap its group already holds, with the group's local unit(s): ``微声学与光学元器件（瑞声光学常州）``."""
    if lang == "zh":
        return f"{g['segment_name_zh']}（{'、'.join(g['_group_names_zh'])}）"
    return f"{g['segment_name_en'] or g['segment_name_zh']} ({', '.join(g['_group_names_en'])})"


def best_fit_of(mine: list[dict[str, Any]]) -> dict[str, Any]:
    """The gap the firm fits best: its highest candidate score, ties by rank, then value, then segment id.

    Chosen among every listed gap its own group does not hold (``group_already_here``): the counted ones
    and a parent counted through its sub-gaps alike, so that "best fit" never names a gap where the firm
    scores less than on another gap listed with it. A firm whose every gap its group holds: among them all.

    >>> a = {"segment_id": "a", "score": 0.47, "rank": 2, "value": 0.2, "counted": True}
    >>> b = {"segment_id": "b", "score": 0.47, "rank": 1, "value": 0.1, "counted": True}
    >>> best_fit_of([a, b])["segment_id"]
    'b'
    >>> parent = {"segment_id": "p", "score": 0.30, "rank": 2, "value": 0.07, "counted": False}
    >>> best_fit_of([{**a, "score": 0.06}, parent])["segment_id"]
    'p'
    >>> held = {**a, "score": 0.9, "group_already_here": True}
    >>> best_fit_of([held, b])["segment_id"], best_fit_of([held])["segment_id"]
    ('b', 'a')
    """
    pool = [g for g in mine if not g.get("group_already_here")] or mine
    return min(pool, key=lambda g: (-g["score"], g["rank"], -g["value"], g["segment_id"]))


def _reasons(
    counted: list[dict[str, Any]],
    once: list[dict[str, Any]],
    held: list[dict[str, Any]],
    best: dict[str, Any],
) -> list[dict[str, Any]]:
    """The item's reasons: what it fills, of which kinds, where it is the first choice, where its group
    already is, where it fits best and what counts once."""
    n = len(counted)
    zh_fills = f"可填补 {n} 个缺口" + (f"：{_listed([_gap_label(g, 'zh') for g in counted], 'zh')}" if n else "")
    en_fills = f"fills {n} gap{'' if n == 1 else 's'}" + (
        f": {_listed([_gap_label(g, 'en') for g in counted], 'en')}" if n else ""
    )
    reasons: list[dict[str, Any]] = [
        {
            "code": "fills_gaps",
            "count": n,
            "segment_ids": [g["segment_id"] for g in counted],
            "zh": zh_fills,
            "en": en_fills,
        }
    ]
    if n > 1:
        by_kind = {k: sum(1 for g in counted if g["kind"] == k) for k in KIND_TEXT}
        shown = [(k, c) for k, c in by_kind.items() if c]
        unsure = {k: sum(1 for g in counted if g["kind"] == k and k in g.get("kinds_unverified", ())) for k in by_kind}
        zh_unsure = {k: f"（{'均' if u == by_kind[k] else f'{u} 个'}待核实）" if u else "" for k, u in unsure.items()}
        en_unsure = {k: f" ({'all' if u == by_kind[k] else u} unverified)" if u else "" for k, u in unsure.items()}
        reasons.append(
            {
                "code": "gap_kinds",
                "counts": dict(shown),
                "zh": "其中 " + "，".join(f"{c} 个为{KIND_TEXT[k][0]}{zh_unsure[k]}" for k, c in shown),
                "en": "of which "
                + ", ".join(f"{c} {KIND_TEXT[k][1 if c == 1 else 2]}{en_unsure[k]}" for k, c in shown),
            }
        )
    if held:
        m = len(held)
        reasons.append(
            {
                "code": "group_already_here",
                "count": m,
                "segment_ids": [g["segment_id"] for g in held],
                "firm_ids": sorted({f for g in held for f in g["group_firm_ids"]}),
                "zh": f"{m} 个缺口中其集团已有本地企业（扩产）：{_listed([_group_text(g, 'zh') for g in held], 'zh')}；"
                "引进只是扩产，不增加新的供应来源，不计入可填补的缺口和优先度",
                "en": f"its group is already here in {m} gap{'' if m == 1 else 's'} (an expansion): "
                f"{_listed([_group_text(g, 'en') for g in held], 'en')}; attracting it adds no new source of supply, "
                f"so {'it is' if m == 1 else 'they are'} not counted as filled nor in its priority",
            }
        )
    first = [g for g in counted if g["rank"] == 1]
    if first:
        reasons.append(_top_candidate(first))
    firm_reasons = [r for r in best["candidate_reasons"] if r["code"] in FIRM_REASONS]
    zh_why = "、".join(r["zh"] for r in firm_reasons) or "在该环节开展业务"
    en_why = ", ".join(r["en"] for r in firm_reasons) or "operates in the segment"
    reasons.append(
        {
            "code": "best_fit",
            "segment_ids": [best["segment_id"]],
            "score": best["score"],
            "rank": best["rank"],
            "tied_with": best.get("tied_with", 0),
            "candidate_count": best["candidate_count"],
            "zh": f"最契合{best['segment_name_zh']}（得分 {best['score']:.2f}，"
            f"{best['candidate_count']} 家候选中{rank_words(best, 'zh')}）：{zh_why}",
            "en": f"best fit: {best['segment_name_en'] or best['segment_name_zh']} (score {best['score']:.2f}, "
            f"{rank_words(best, 'en')}): {en_why}",
        }
    )
    for g in once:
        below_zh = _listed([s["segment_name_zh"] for s in counted if s["segment_id"] in g["counted_through"]], "zh")
        below_en = _listed(
            [s["segment_name_en"] or s["segment_name_zh"] for s in counted if s["segment_id"] in g["counted_through"]],
            "en",
        )
        reasons.append(
            {
                "code": "counted_once",
                "segment_ids": [g["segment_id"], *g["counted_through"]],
                "zh": f"{g['segment_name_zh']}与其下级环节{below_zh}是同一缺口，只计一次",
                "en": f"{g['segment_name_en'] or g['segment_name_zh']} and its sub-segment(s) {below_en} "
                "are one gap, counted once",
            }
        )
    return reasons


def _group_units(candidate: dict[str, Any]) -> list[str]:
    """The local units of the candidate's group in the segment (its ``group_already_here`` reason), if any."""
    reason = next((r for r in candidate["reasons"] if r["code"] == "group_already_here"), None)
    return [] if reason is None else list(reason["firm_ids"])


def _unit_names(firms: Any) -> Any:
    """A function adding the names of a gap's group units (待核实 / unverified when the group relation is)."""

    def named(e: dict[str, Any]) -> dict[str, Any]:
        reason = next(r for r in e["candidate_reasons"] if r["code"] == "group_already_here")
        zh, en = [], []
        for p in reason["partners"]:
            firm = firms.get(p["firm_id"])
            name_zh = p["firm_id"] if firm is None else firm.name_zh
            name_en = p["firm_id"] if firm is None else firm.name_en or firm.name_zh
            unsure = p["confidence"] != "sourced"
            zh.append(name_zh + ("，集团关系待核实" if unsure else ""))
            en.append(name_en + (", group relation unverified" if unsure else ""))
        e["_group_names_zh"], e["_group_names_en"] = zh, en
        return e

    return named


def _fresh(value: Any) -> Any:
    """A copy of nested dicts and lists (the rest is immutable): 5× faster than ``copy.deepcopy``."""
    if isinstance(value, dict):
        return {k: _fresh(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_fresh(v) for v in value]
    return value


def _compute(
    store: GraphStore,
    cluster_id: str | None,
    year: int | None,
    kind: str | None,
    ms: float | None,
    untargeted: bool | None,
    list_year: int | None = None,
) -> Any:
    if untargeted is None:
        selected = gaps(store, cluster_id, year, kind, ms, list_year=list_year)
    else:  # the gaps no policy names (True), or those some policy names (False)
        selected = on_list(store, policy_gaps(store, cluster_id, year, kind, ms, untargeted), cluster_id, list_year)
    subtree = analysis_for(store, year).data.subtree
    firms: dict[str, dict[str, Any]] = {}  # firm id -> the firm's fields from its first candidate item
    entries: dict[str, list[dict[str, Any]]] = {}  # firm id -> its gaps
    for g in selected:
        ranked = rank_candidates(store, g["segment_id"], year)
        for c in ranked:
            firms.setdefault(c["firm_id"], c)
            entries.setdefault(c["firm_id"], []).append(
                {
                    "segment_id": g["segment_id"],
                    "segment_name_zh": g["segment_name_zh"],
                    "segment_name_en": g["segment_name_en"],
                    "cluster_id": g["cluster_id"],
                    "kind": g["kind"],
                    "kinds": list(g["kinds"]),
                    "kinds_unverified": list(g.get("kinds_unverified", [])),
                    "severity": g["severity"],
                    "score": c["score"],
                    "rank": c["rank"],
                    "tied_with": c["tied_with"],
                    "candidate_count": len(ranked),
                    "role": c["role"],
                    "value": r6(g["severity"] * c["score"]),
                    "reason_codes": [r["code"] for r in c["reasons"]],
                    "counted": not c["group_already_here"],
                    "counted_through": [],
                    "group_already_here": c["group_already_here"],
                    "group_firm_ids": _group_units(c),
                    "candidate_reasons": c["reasons"],
                    "_confidence": c["confidence"],
                    "_raw": g["severity"] * c["score"],
                }
            )
    names = _unit_names(analysis_for(store, year).data.firms)
    items = []
    for firm_id, mine in entries.items():
        # a gap its group already holds is not filled by it; the others count once with the gaps below them
        ids = {e["segment_id"] for e in mine if not e["group_already_here"]}
        for e in mine:
            below = sorted(s for s in subtree.get(e["segment_id"], frozenset()) if s != e["segment_id"] and s in ids)
            if below and e["counted"]:
                e["counted"], e["counted_through"] = False, below
        mine.sort(key=lambda e: (not e["counted"], e["group_already_here"], -e["_raw"], e["segment_id"]))
        counted = [e for e in mine if e["counted"]]
        once = [e for e in mine if e["counted_through"]]
        held = [names(e) for e in mine if e["group_already_here"]]
        reasons = _reasons(counted, once, held, best_fit_of(mine))
        # as weak as the weakest candidacy its priority rests on (the firm, or a role no source backs)
        confidence = weakest(*(e["_confidence"] for e in counted or mine))
        for e in mine:
            del e["_raw"], e["candidate_reasons"], e["_confidence"]
            e.pop("_group_names_zh", None), e.pop("_group_names_en", None)
            e.pop("_group_partners", None)
        c = firms[firm_id]
        items.append(
            {
                "firm_id": firm_id,
                "name_zh": c["name_zh"],
                "name_en": c["name_en"],
                "hq": c["hq"],
                "hq_en": c["hq_en"],
                "tags": list(c["tags"]),
                "priority": priority_of([e["severity"] * e["score"] for e in counted]),
                "gap_count": len(counted),
                "cluster_ids": sorted({e["cluster_id"] for e in mine}),
                "gaps": mine,
                "reasons": reasons,
                "explanation_zh": "；".join(r["zh"] for r in reasons) + "。",
                "explanation_en": "; ".join(r["en"] for r in reasons) + ".",
                "confidence": confidence,
                "source_count": len(c["sources"]),
            }
        )
    items.sort(key=lambda x: (-x["priority"], x["firm_id"]))
    return items


def targets(
    store: GraphStore,
    cluster_id: str | None = None,
    year: int | None = None,
    kind: str | None = None,
    min_severity: float | None = None,
    per_gap: int | None = None,
    untargeted: bool | None = None,
    list_year: int | None = None,
) -> list[dict[str, Any]]:
    """Return the outside firms to approach for a cluster's gaps (or every cluster's), each once, by priority.

    Parameters
    ----------
    store : GraphStore
    cluster_id : str, optional
        A cluster id; ``None`` for the whole city.
    year : int, optional
        As-of year for presence facts (the gaps and candidates as of then).
    kind : {"missing", "weak", "broken_link", "extension"}, optional
        Only gaps whose ``kinds`` contain it count.
    min_severity : float, optional
        Only gaps at least this severe (0–1) count.
    per_gap : int, optional
        Keep only firms among the first ``per_gap`` candidates of at least one of their gaps, so that
        one gap with many good candidates does not fill the top of the list (``per_gap=1``: the first
        choice of each gap). Priorities are unchanged.
    untargeted : bool, optional
        ``True``: count only the gaps no policy names (:func:`queries.policies.policy_gaps`), the
        links the city has not yet written into a policy; ``False``: only those some policy names.
    list_year : {2022, 2024}, optional
        Only the gaps of the clusters on that published list count; with a ``cluster_id``, it must be on it.

    Returns
    -------
    list of dict
        Items with ``firm_id``, ``name_zh``, ``name_en``, ``hq``, ``hq_en``, ``tags``, ``priority``, ``gap_count``
        (the gaps counted), ``cluster_ids``, ``gaps`` (each with ``segment_id``, names, ``cluster_id``,
        ``kind``, ``kinds``, ``kinds_unverified`` (the kinds resting only on unverified supply links, as
        :func:`queries.gaps.gaps` gives them), ``severity``, the firm's ``score``, ``rank`` of
        ``candidate_count`` and ``tied_with`` (candidates of the same score share a rank), ``role``,
        ``value`` = severity × score, ``reason_codes``, ``counted``, ``counted_through``,
        ``group_already_here`` and ``group_firm_ids``), ``reasons`` (each with ``code``, ``zh``, ``en``;
        codes ``fills_gaps``, ``gap_kinds``, ``group_already_here``, ``top_candidate``, ``best_fit``,
        ``counted_once``), ``explanation_zh``, ``explanation_en``, ``confidence``, ``source_count``, and ``rank``
        in the list returned with ``tied_with`` (firms of equal priority share a rank).
        ``best_fit`` is the listed gap where the firm scores highest (ties by rank), counted or counted through
        its sub-gaps, but not one its own group holds (unless every gap is). Computed once per
        data version and arguments; each call gets its own copy.

    Raises
    ------
    NodeNotFound
        For an unknown cluster id (with the nearest ids).
    InvalidQuery
        For an unknown kind, a severity outside [0, 1], a year outside 1990–2100, ``per_gap`` below 1,
        a ``list_year`` other than 2022 or 2024, or a ``cluster_id`` not on the ``list_year`` list.
    """
    check_gap_filters(kind, min_severity)
    if per_gap is not None and per_gap < 1:
        raise InvalidQuery(f"per_gap must be at least 1; got {per_gap}", param="per_gap", value=per_gap)
    if cluster_id is not None:
        require(store, cluster_id, NodeKind.CLUSTER)
    listed_clusters(store, cluster_id, list_year)  # checks the list year before anything is cached
    analysis_for(store, year)  # checks the year before anything is cached
    items = per_version(
        store,
        "targets",
        lambda: _compute(store, cluster_id, year, kind, min_severity, untargeted, list_year),
        cluster_id,
        year,
        kind,
        min_severity,
        untargeted,
        list_year,
    )
    if per_gap is not None:
        items = [item for item in items if min(g["rank"] for g in item["gaps"]) <= per_gap]
    out = [_fresh(item) for item in items]
    # firms of equal priority share a rank: their order (by firm id) is no order of merit
    for item, (rank, tied_with) in zip(out, shared_ranks([t["priority"] for t in out]), strict=True):
        item["rank"], item["tied_with"] = rank, tied_with
    return out
