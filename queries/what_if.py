"""What if some firms left? Which segments become gaps, and how severity and health change.

The analysis is run again on a copy of the data without those firms (and every
edge touching them); the SUPPLIES structure is unchanged. ``changes`` lists
every segment whose status, gap kind or severity changed (a segment that is no
gap has severity 0 for the difference): first those whose status or kind
changed, then the rest, each by the increase in severity (largest first), then
id; ``new_gaps`` gives the full gap items of segments that
were no gap before; ``health`` the score of every cluster touched, before and
after. ``segments_left`` lists every segment the firms leave (a removed local
firm operated in it or in a sub-segment), whether or not its status or
severity changes: local firms and anchors before and after, the firms that
left it, and whether one of them operated in the segment itself (``direct``);
those first, then by the number of firms lost, then id.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> w = what_if(MemoryStore(tiny_chain()), ["f-veh-a"])
>>> [(c["segment_id"], c["status_before"], c["status_after"], c["severity_after"]) for c in w["changes"]][:2]
[('t-vehicle', 'weak', 'missing', 0.333333), ('t-cathode', 'weak', 'weak', 0.395714)]
>>> [g["segment_id"] for g in w["new_gaps"]], w["health"][0]["score_after"] < w["health"][0]["score_before"]
([], True)
>>> [(s["segment_id"], s["local_firms_before"], s["local_firms_after"], s["anchors_after"]) for s in w["segments_left"]]
[('t-vehicle', 1, 0, 0)]
"""

from __future__ import annotations

from typing import Any

from graph.errors import InvalidQuery
from graph.model import Cluster, NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analyse, analysis_for
from queries.chain import firm_brief
from queries.gaps import gap_item
from queries.health import health_of
from queries.lookup import require
from queries.segment_graph import r6

MAX_REMOVED = 1000
"""At most this many firms in one what-if question."""

SUBSIDIARIES_OPTION = "with_subsidiaries"
"""How the notes name the option that also removes a group's subsidiaries: the API's body field
(``chainkg what-if`` names its ``--with-subsidiaries`` instead)."""


MAX_NAMED_UNITS = 5
"""At most this many local subsidiaries of one firm are named in the note (then "…")."""


def _units(firm: str, units: list[str]) -> tuple[str, str]:
    """A firm with its local subsidiaries, in English and Chinese: ``catl (2: catl-jiangsu, saic-catl-cells)``.

    >>> _units("catl", ["catl-jiangsu", "saic-catl-cells"])[1]
    'catl 的在常子公司（2 家：catl-jiangsu、saic-catl-cells）'
    """
    named = ", ".join(units[:MAX_NAMED_UNITS]) + (", …" if len(units) > MAX_NAMED_UNITS else "")
    named_zh = "、".join(units[:MAX_NAMED_UNITS]) + ("等" if len(units) > MAX_NAMED_UNITS else "")
    return f"{firm} ({len(units)}: {named})", f"{firm} 的在常子公司（{len(units)} 家：{named_zh}）"


def outside_note(
    outside: list[str],
    asked_subsidiaries: bool = False,
    option: str = SUBSIDIARIES_OPTION,
    local_subsidiaries: dict[str, list[str]] | None = None,
) -> dict[str, Any]:
    """The note on removed firms outside Changzhou: their leaving changes no local presence.

    Parameters
    ----------
    outside : list of str
        The ids of the removed firms that are not local.
    asked_subsidiaries : bool, default False
        Whether their subsidiaries were asked for (and none was found): then the note says so instead of
        pointing to ``option``.
    option : str, default :data:`SUBSIDIARIES_OPTION`
        How the note names the option that also removes the firms' subsidiaries.
    local_subsidiaries : dict, optional
        For each firm of ``outside``, its local subsidiaries in the data (at any depth; empty when none).
        The note points to ``option`` only for the firms that have some, naming them, and says of the
        others that they have none here. Without it (not known), the note points to ``option`` for all.

    Returns
    -------
    dict
        ``{"code": "outside_firms", "firm_ids", "zh", "en"}``, and ``local_subsidiaries`` when given.

    Examples
    --------
    >>> outside_note(["ganfeng"], local_subsidiaries={"ganfeng": []})["en"]
    'ganfeng is outside Changzhou and has no subsidiary here in the data: leaving changes no local presence, only \
who could be attracted'
    >>> outside_note(["ganfeng"], local_subsidiaries={"ganfeng": []})["zh"]
    'ganfeng 不是常州本地企业，数据中也没有其在常子公司，离开不影响本地布局，只影响可招引的对象'
    >>> note = outside_note(["catl", "ganfeng"], local_subsidiaries={"catl": ["catl-jiangsu"], "ganfeng": []})
    >>> note["en"]
    'catl, ganfeng are outside Changzhou: leaving changes no local presence, only who could be attracted; \
with_subsidiaries also removes the units here of catl (1: catl-jiangsu); ganfeng has no subsidiary here in the data'
    >>> note["zh"]
    'catl、ganfeng 不是常州本地企业，离开不影响本地布局，只影响可招引的对象；with_subsidiaries 可连同 \
catl 的在常子公司（1 家：catl-jiangsu）一并去掉；数据中没有 ganfeng 的在常子公司'
    >>> outside_note(["ganfeng"])["en"]
    'ganfeng is outside Changzhou: leaving changes no local presence, only who could be attracted; with_subsidiaries \
also removes its units here'
    >>> outside_note(["catl", "ca"], True)["en"]
    'catl, ca are outside Changzhou and have no subsidiary in the data: leaving changes no local presence, only who \
could be attracted'
    """
    firms_en, firms_zh = ", ".join(outside), "、".join(outside)
    one = len(outside) == 1
    its, has = ("its", "has") if one else ("their", "have")
    with_units = {f: u for f, u in (local_subsidiaries or {}).items() if f in outside and u}
    without = [f for f in outside if f not in with_units]
    en, zh = f"{firms_en} {'is' if one else 'are'} outside Changzhou", f"{firms_zh} 不是常州本地企业"
    if asked_subsidiaries:
        en += f" and {has} no subsidiary in the data"
        zh += "，数据中也没有其子公司"
    elif local_subsidiaries is not None and not with_units:
        en += f" and {has} no subsidiary here in the data"
        zh += "，数据中也没有其在常子公司"
    en += ": leaving changes no local presence, only who could be attracted"
    zh += "，离开不影响本地布局，只影响可招引的对象"
    if not asked_subsidiaries and local_subsidiaries is None:
        en += f"; {option} also removes {its} units here"
        zh += f"；{option} 可连同其在常子公司一并去掉"
    elif not asked_subsidiaries and with_units:
        named = [_units(f, with_units[f]) for f in outside if f in with_units]
        en += f"; {option} also removes the units here of " + ", ".join(n[0] for n in named)
        zh += f"；{option} 可连同 " + "、".join(n[1] for n in named) + "一并去掉"
        if without:
            en += f"; {', '.join(without)} {'has' if len(without) == 1 else 'have'} no subsidiary here in the data"
            zh += f"；数据中没有 {'、'.join(without)} 的在常子公司"
    note: dict[str, Any] = {"code": "outside_firms", "firm_ids": list(outside), "zh": zh, "en": en}
    if local_subsidiaries is not None:
        note["local_subsidiaries"] = {f: list(local_subsidiaries.get(f, [])) for f in outside}
    return note


def what_if_notes(
    removed: list[dict[str, Any]],
    added: list[str],
    with_subsidiaries: bool,
    local_subsidiaries: dict[str, list[str]] | None = None,
) -> list[dict[str, Any]]:
    """The notes of a what-if answer: why removing firms outside Changzhou changes nothing local.

    No note when every firm removed is local, nor when subsidiaries were added (the group's leaving is then
    the question, and its local units count). ``local_subsidiaries`` (each outside firm's local
    subsidiaries in the data) goes to :func:`outside_note`.

    >>> what_if_notes([{"id": "li-auto", "is_local": True}], [], False)
    []
    >>> [n["firm_ids"] for n in what_if_notes([{"id": "ganfeng", "is_local": False}], [], False)]
    [['ganfeng']]
    """
    outside = [f["id"] for f in removed if not f["is_local"]]
    if not outside or added:
        return []
    return [outside_note(outside, with_subsidiaries, local_subsidiaries=local_subsidiaries)]


def local_subsidiaries_of(a: Analysis, firm_ids: list[str]) -> dict[str, list[str]]:
    """Each firm's local subsidiaries in the data (SUBSIDIARY_OF, at any depth; empty when none).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> local_subsidiaries_of(analysis_for(MemoryStore(tiny_chain())), ["f-cell-a", "f-veh-a"])
    {'f-cell-a': ['f-cell-b'], 'f-veh-a': []}
    """
    return {f: [s for s in subsidiaries_below(a, [f]) if a.data.firms[s].is_local] for f in firm_ids}


def _state(a: Analysis, sid: str) -> tuple[str, str | None, float]:
    gap = a.gaps.get(sid)
    return a.presence[sid].status, (gap.kind if gap else None), (gap.severity if gap else 0.0)


def _unverified_kinds(a: Analysis, sid: str) -> list[str]:
    """The segment's gap kinds resting only on unverified supply links (``Gap.kinds_unverified``); [] for no gap."""
    gap = a.gaps.get(sid)
    return list(gap.kinds_unverified) if gap else []


def segments_left(before: Analysis, after: Analysis, changed: set[str] | None = None) -> list[dict[str, Any]]:
    """The segments whose local firms shrink from ``before`` to ``after``, each with its counts before and after.

    Parameters
    ----------
    before, after : Analysis
        Of the same segments, ``after`` without some firms.
    changed : set of str, optional
        Ids of the segments whose status, gap kind or severity changed (``in_changes`` says so).

    Returns
    -------
    list of dict
        ``segment_id``, names, ``cluster_id``, ``status_before``/``after``, ``local_firms_before``/``after``,
        ``anchors_before``/``after`` (local firms with the anchor role there), ``firms_left``,
        ``anchors_left``, ``direct`` (one of them operated in the segment itself, not only below it) and
        ``in_changes``; direct ones first, then by firms lost (most first), then id.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> b = analysis_for(MemoryStore(tiny_chain()))
    >>> left = segments_left(b, analyse(b.data.without_firms(["f-cell-a"]), b.structure))
    >>> [(s["segment_id"], s["local_firms_before"], s["local_firms_after"], s["anchors_left"]) for s in left]
    [('t-cell', 3, 2, ['f-cell-a'])]
    """
    out: list[dict[str, Any]] = []
    for sid in sorted(before.data.segments):
        pres_b, pres_a = before.presence[sid], after.presence[sid]
        gone = sorted(set(pres_b.local) - set(pres_a.local))
        if not gone:
            continue
        seg = before.data.segments[sid]
        out.append(
            {
                "segment_id": sid,
                "segment_name_zh": seg.name_zh,
                "segment_name_en": seg.name_en,
                "cluster_id": before.data.segment_cluster[sid],
                "status_before": pres_b.status,
                "status_after": pres_a.status,
                "local_firms_before": pres_b.local_count,
                "local_firms_after": pres_a.local_count,
                "anchors_before": len(pres_b.anchors),
                "anchors_after": len(pres_a.anchors),
                "firms_left": gone,
                "anchors_left": sorted(set(pres_b.anchors) - set(pres_a.anchors)),
                "direct": bool(pres_b.direct_local & set(gone)),
                "in_changes": sid in (changed or set()),
            }
        )
    out.sort(key=lambda s: (not s["direct"], s["local_firms_after"] - s["local_firms_before"], s["segment_id"]))
    return out


def compare(before: Analysis, after: Analysis) -> dict[str, Any]:
    """Compare two analyses of the same segments: changed segments, segments left, new gaps, cluster health."""
    changes: list[dict[str, Any]] = []
    touched: set[str] = set()
    for sid in sorted(before.data.segments):
        status_b, kind_b, sev_b = _state(before, sid)
        status_a, kind_a, sev_a = _state(after, sid)
        if (status_b, kind_b, sev_b) == (status_a, kind_a, sev_a):
            continue
        seg = before.data.segments[sid]
        cluster_id = before.data.segment_cluster[sid]
        touched.add(cluster_id)
        changes.append(
            {
                "segment_id": sid,
                "segment_name_zh": seg.name_zh,
                "segment_name_en": seg.name_en,
                "cluster_id": cluster_id,
                "status_before": status_b,
                "status_after": status_a,
                "kind_before": kind_b,
                "kind_after": kind_a,
                "kinds_unverified_before": _unverified_kinds(before, sid),
                "kinds_unverified_after": _unverified_kinds(after, sid),
                "severity_before": sev_b if kind_b else None,
                "severity_after": sev_a if kind_a else None,
                "delta": r6(sev_a - sev_b),
                "local_firms_before": before.presence[sid].local_count,
                "local_firms_after": after.presence[sid].local_count,
                "became_gap": kind_b is None and kind_a is not None,
                "status_changed": (status_b, kind_b) != (status_a, kind_a),
            }
        )
    changes.sort(key=lambda c: (not c["status_changed"], -c["delta"], c["segment_id"]))
    new_gaps = [gap_item(after, after.gaps[c["segment_id"]]) for c in changes if c["became_gap"]]
    health = []
    for cid in sorted(touched):
        cluster: Cluster = before.data.clusters[cid]
        b, a = health_of(before, cluster)["score"], health_of(after, cluster)["score"]
        health.append({"cluster_id": cid, "score_before": b, "score_after": a, "delta": r6(a - b)})
    left = segments_left(before, after, {c["segment_id"] for c in changes})
    return {
        "changes": changes,
        "new_gaps": new_gaps,
        "health": health,
        "segments_left": left,
        "summary": {
            "changed_segments": len(changes),
            "new_gaps": len(new_gaps),
            "status_changed": sum(1 for c in changes if c["status_changed"]),
            "worse": sum(1 for c in changes if c["delta"] > 0),
            "clusters_touched": len(health),
            "segments_left": len(left),
        },
    }


def summary_words(summary: dict[str, Any]) -> tuple[str, str]:
    """The headline of a what-if answer, in Chinese and in English: ``chainkg what-if`` prints the English, the firm
    view both.

    >>> summary_words({"changed_segments": 14, "status_changed": 1, "new_gaps": 0, "clusters_touched": 1})
    ... # doctest: +NORMALIZE_WHITESPACE
    ('14 个环节变化：1 个现状或缺口类型变化，13 个仅严重度变化；0 个新缺口；涉及 1 个集群',
     '14 segments change: 1 in status or gap kind, 13 only in severity; 0 new gaps; in 1 cluster')
    >>> summary_words({"changed_segments": 0, "status_changed": 0, "new_gaps": 0, "clusters_touched": 0})[1]
    '0 segments change; 0 new gaps; in 0 clusters'
    """
    changed, status = summary["changed_segments"], summary["status_changed"]
    new_gaps, clusters = summary["new_gaps"], summary["clusters_touched"]
    if status:
        how_zh = f"：{status} 个现状或缺口类型变化，{changed - status} 个仅严重度变化"
        how_en = f": {status} in status or gap kind, {changed - status} only in severity"
    elif changed:
        how_zh, how_en = "，均仅严重度变化（现状与缺口类型不变）", ", only in severity (none in status or gap kind)"
    else:
        how_zh = how_en = ""
    zh = f"{changed} 个环节变化{how_zh}；{new_gaps} 个新缺口；涉及 {clusters} 个集群"
    en = (
        f"{changed} segment{' changes' if changed == 1 else 's change'}{how_en}; "
        f"{new_gaps} new gap{'' if new_gaps == 1 else 's'}; in {clusters} cluster{'' if clusters == 1 else 's'}"
    )
    return zh, en


STATUS_ORDER = {"strong": 0, "present": 1, "weak": 2, "missing": 3}
"""Presence statuses from most to least local presence."""


def status_moves(changes: list[dict[str, Any]]) -> list[tuple[str, str, int]]:
    """How many changed segments move from one presence status to another: ``(before, after, count)``.

    Most frequent first, then from the strongest status. A segment already a gap that falls further
    (弱链 → 缺链) makes no new gap, so this is what says it.

    >>> status_moves([{"status_before": "weak", "status_after": "missing"},
    ...               {"status_before": "weak", "status_after": "weak"},
    ...               {"status_before": "strong", "status_after": "present"}])
    [('strong', 'present', 1), ('weak', 'missing', 1)]
    """
    moves: dict[tuple[str, str], int] = {}
    for change in changes:
        if change["status_before"] != change["status_after"]:
            key = (change["status_before"], change["status_after"])
            moves[key] = moves.get(key, 0) + 1
    ranked = sorted(moves.items(), key=lambda m: (-m[1], [STATUS_ORDER.get(s, 9) for s in m[0]]))
    return [(before, after, count) for (before, after), count in ranked]


def subsidiaries_below(a: Analysis, firm_ids: list[str]) -> list[str]:
    """Every firm below ``firm_ids`` in the SUBSIDIARY_OF tree (subsidiaries, theirs, ...), not themselves.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> subsidiaries_below(analysis_for(MemoryStore(tiny_chain())), ["f-cell-a"])
    ['f-cell-b']
    """
    children: dict[str, list[str]] = {}
    for edge in a.data.subsidiary_of:  # every edge: a joint venture is below each of its parents
        children.setdefault(edge.target, []).append(edge.source)
    found: set[str] = set()
    todo = list(firm_ids)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found and child not in firm_ids:
                found.add(child)
                todo.append(child)
    return sorted(found)


def what_if(
    store: GraphStore, remove: list[str], year: int | None = None, *, with_subsidiaries: bool = False
) -> dict[str, Any]:
    """Return what changes if the firms ``remove`` left: new gaps, severity changes, cluster health.

    Parameters
    ----------
    store : GraphStore
    remove : list of str
        Firm ids (duplicates are ignored).
    year : int, optional
        As-of year for presence facts.
    with_subsidiaries : bool, default False
        Also remove every subsidiary of those firms (SUBSIDIARY_OF, at any depth): the question
        "what if this group left?" asked with the group's id (``catl`` removes its Changzhou units).

    Returns
    -------
    dict
        ``{"removed", "subsidiaries_added", "year", "changes", "new_gaps", "health", "segments_left",
        "summary", "notes"}``; ``subsidiaries_added`` lists the ids removed because of ``with_subsidiaries``;
        ``segments_left`` (:func:`segments_left`) the segments the firms leave, changed or not; ``notes``
        (:func:`what_if_notes`) what explains an answer that changes nothing local, each with ``code``,
        ``zh`` and ``en`` (the ``outside_firms`` note also with ``local_subsidiaries``: each outside
        firm's local subsidiaries, which ``with_subsidiaries`` would remove).

    Raises
    ------
    NodeNotFound
        When an id names no firm (with the nearest ids).
    InvalidQuery
        When more than :data:`MAX_REMOVED` firms are given.
    """
    ids = sorted(set(remove))
    if len(ids) > MAX_REMOVED:
        raise InvalidQuery(
            f"at most {MAX_REMOVED} firms can be removed at once; got {len(ids)}", param="remove", location="body"
        )
    for fid in dict.fromkeys(remove):  # in the order given: the first unknown id is the one named
        require(store, fid, NodeKind.FIRM)
    before = analysis_for(store, year)
    added = subsidiaries_below(before, ids) if with_subsidiaries else []
    ids = sorted({*ids, *added})
    if len(ids) > MAX_REMOVED:
        raise InvalidQuery(
            f"at most {MAX_REMOVED} firms can be removed at once; with subsidiaries, {len(ids)}",
            param="remove",
            location="body",
        )
    after = analyse(before.data.without_firms(ids), before.structure)
    removed = [{**firm_brief(before, f), "is_local": before.data.firms[f].is_local} for f in ids]
    out = {"removed": removed, "subsidiaries_added": added, "year": year}
    out.update(compare(before, after))
    outside = [f["id"] for f in removed if not f["is_local"]]
    out["notes"] = what_if_notes(removed, added, with_subsidiaries, local_subsidiaries_of(before, outside))
    return out
