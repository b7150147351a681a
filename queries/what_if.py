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
those first, then by the number of firms lost, then id. ``notes`` explain the
answer (:func:`what_if_notes`): the firms are outside Changzhou (``outside_firms``),
the scores count segment coverage only and why the change is small
(``coverage_only``), the local firms that lose a customer or a supplier through
firm-level supply links (``supply_partners``, :func:`supply_partners`), and gaps
whose severity rises only because the cluster's totals shrank (``scope_shrinks``).

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

from collections.abc import Callable, Iterable
from typing import Any

from graph.errors import InvalidQuery
from graph.model import Cluster, Edge, EdgeKind, Firm, NodeKind
from graph.store import GraphStore
from queries.analysis import Analysis, analyse, analysis_for
from queries.chain import firm_brief
from queries.gaps import gap_item
from queries.health import health_of
from queries.lookup import require
from queries.presence import STATUS_NAMES_ZH
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


MAX_NAMED = 3
"""At most this many firms or segments are named in the ``coverage_only`` note (then "…"/"等")."""

MAX_NAMED_SEGMENTS = 8
"""At most this many segment ids are named in the text of the ``scope_shrinks`` note (``segment_ids`` has all)."""


def _change4(delta: float) -> str:
    """A health change as the health table prints it: ``-0.0004``, ``<0.0001`` or ``0``.

    >>> _change4(-0.000431), _change4(0.00002), _change4(0.0)
    ('-0.0004', '<0.0001', '0')
    """
    if round(delta, 4):
        return f"{delta:+.4f}"
    return "<0.0001" if delta else "0"


def _some(words: list[str], sep: str, zh_unit: str = "", limit: int = MAX_NAMED) -> str:
    """The first ``limit`` words joined, then ``等 N 个…`` (with ``zh_unit``) or ``and N more`` for the rest.

    >>> _some(["a", "b", "c"], "、", "家", 2), _some(["a", "b", "c"], ", ", limit=2), _some(["a"], ", ")
    ('a、b等 3 家', 'a, b and 1 more', 'a')
    """
    shown = sep.join(words[:limit])
    rest = len(words) - limit
    if rest <= 0:
        return shown
    return f"{shown}等 {len(words)} {zh_unit}" if zh_unit else f"{shown} and {rest} more"


COVERAGE_ZH = "健康度与严重度只计环节覆盖（有无及多少本地企业、链主、企业集团），不计产值、产能或就业"
COVERAGE_EN = (
    "health and severity count segment coverage (whether and how many local firms, anchors and corporate "
    "groups), not output, capacity or jobs"
)


def coverage_note(
    removed: list[dict[str, Any]], left: list[dict[str, Any]], health: list[dict[str, Any]]
) -> dict[str, Any] | None:
    """The note that the scores count segment coverage, not size, and why the change is small (or not).

    Built from ``segments_left``: for the removed local firms' own segments (``direct``; all of them when
    none is), the local firms and anchors still there, and the health change of their clusters. It says
    "so health changes little" only when every segment the firms leave keeps a local firm and its status.

    Parameters
    ----------
    removed : list of dict
        The answer's ``removed`` (``id``, ``name_zh``, ``name_en``, ``is_local``).
    left : list of dict
        The answer's ``segments_left``.
    health : list of dict
        The answer's ``health``.

    Returns
    -------
    dict or None
        ``{"code": "coverage_only", "firm_ids", "segment_ids", "zh", "en"}``; None when no removed firm is
        local.

    Examples
    --------
    >>> left = [{"segment_id": "nev-vehicle", "segment_name_zh": "整车", "segment_name_en": "Vehicles",
    ...          "cluster_id": "nev", "status_before": "strong", "status_after": "strong",
    ...          "local_firms_after": 3, "anchors_after": 1, "direct": True}]
    >>> note = coverage_note([{"id": "li-auto", "name_zh": "理想汽车常州基地", "name_en": "Li Auto", "is_local": True}],
    ...                      left, [{"cluster_id": "nev", "delta": -0.000431}])
    >>> note["zh"].split("：")[1]
    '理想汽车常州基地离开后，整车环节仍有 3 家本地企业、1 家链主，故健康度变化小（nev -0.0004）'
    >>> note["en"].split(": ")[1]
    'after Li Auto leaves, Vehicles still has 3 local firms and 1 anchor, so health changes little (nev -0.0004)'
    """
    local = [f for f in removed if f.get("is_local")]
    if not local:
        return None
    names_zh = _some([f.get("name_zh") or f["id"] for f in local], "、", "家")
    names_en = _some([f.get("name_en") or f["id"] for f in local], ", ")
    leaves = "leaves" if len(local) == 1 else "leave"
    note: dict[str, Any] = {"code": "coverage_only", "firm_ids": [f["id"] for f in local], "segment_ids": []}
    if not left:
        note["zh"] = f"{COVERAGE_ZH}：数据中{names_zh}不在任何环节经营，离开不改变环节覆盖"
        note["en"] = (
            f"{COVERAGE_EN}: in the data {names_en} operate{'s' if len(local) == 1 else ''} in no "
            "segment, so leaving changes no coverage"
        )
        return note
    own = [s for s in left if s.get("direct")] or left
    shown = own[:MAX_NAMED]
    clauses_zh, clauses_en = [], []
    for s in shown:
        n, a = s["local_firms_after"], s["anchors_after"]
        if n:
            clauses_zh.append(f"{s['segment_name_zh']}环节仍有 {n} 家本地企业、{a} 家链主")
            firms_en = f"{n} local firm{'' if n == 1 else 's'} and {a} anchor{'' if a == 1 else 's'}"
            clauses_en.append(f"{s['segment_name_en']} still has {firms_en}")
        else:
            clauses_zh.append(f"{s['segment_name_zh']}环节不再有本地企业")
            clauses_en.append(f"{s['segment_name_en']} has no local firm left")
        before, after = s["status_before"], s["status_after"]
        if before != after:
            clauses_zh[-1] += f"（{STATUS_NAMES_ZH.get(before, before)} → {STATUS_NAMES_ZH.get(after, after)}）"
            clauses_en[-1] += f" ({before} -> {after})"
    if len(own) > len(shown):
        clauses_zh.append(f"另有 {len(own) - len(shown)} 个环节")
        clauses_en.append(f"{len(own) - len(shown)} more segments")
    deltas = {h["cluster_id"]: h["delta"] for h in health}
    clusters = list(dict.fromkeys(s["cluster_id"] for s in shown))
    changes = "；".join(f"{c} {_change4(deltas.get(c, 0.0))}" for c in clusters)
    changes_en = "; ".join(f"{c} {_change4(deltas.get(c, 0.0))}" for c in clusters)
    small = all(s["local_firms_after"] and s["status_before"] == s["status_after"] for s in left)
    if small:
        tail_zh, tail_en = f"，故健康度变化小（{changes}）", f", so health changes little ({changes_en})"
    else:
        tail_zh, tail_en = f"；健康度变化 {changes}", f"; health changes {changes_en}"
    note["segment_ids"] = [s["segment_id"] for s in shown]
    note["zh"] = f"{COVERAGE_ZH}：{names_zh}离开后，{'，'.join(clauses_zh)}{tail_zh}"
    note["en"] = f"{COVERAGE_EN}: after {names_en} {leaves}, {'; '.join(clauses_en)}{tail_en}"
    return note


def supply_partners(store: GraphStore, firm_ids: list[str]) -> list[dict[str, Any]]:
    """The local firms that lose a customer or a supplier through firm-level supply links (SUPPLIES_TO).

    A supplier of a removed firm loses a customer; a customer of one loses a supplier. Firms removed
    themselves are left out, as are partners outside Changzhou.

    Parameters
    ----------
    store : GraphStore
    firm_ids : list of str
        The removed firms.

    Returns
    -------
    list of dict
        ``id``, ``name_zh``, ``name_en`` (the partner), ``loses`` (``customer`` or ``supplier``),
        ``firm_id`` (the removed firm it loses), ``confidence`` and ``sources`` of the link; by id, then
        ``loses``, then ``firm_id``.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> supply_partners(MemoryStore(tiny_chain()), ["f-veh-a"])
    []
    """
    gone = set(firm_ids)
    edges = [e for fid in sorted(gone) for e in store.edges(EdgeKind.SUPPLIES_TO, target=fid)]
    edges += [e for fid in sorted(gone) for e in store.edges(EdgeKind.SUPPLIES_TO, source=fid)]
    return partners_of(gone, edges, store.node)


def partners_of(gone: set[str], edges: Iterable[Edge], node: Callable[[str], Any]) -> list[dict[str, Any]]:
    """:func:`supply_partners` over given SUPPLIES_TO ``edges`` (a store's, or an as-of year's analysis data's),
    with ``node`` looking a firm up by id."""
    found: list[dict[str, Any]] = []
    for edge in edges:
        for fid, partner_id, loses in ((edge.target, edge.source, "customer"), (edge.source, edge.target, "supplier")):
            partner = node(partner_id)
            if fid not in gone or partner_id in gone or not isinstance(partner, Firm) or not partner.is_local:
                continue
            found.append(
                {
                    "id": partner_id,
                    "name_zh": partner.name_zh,
                    "name_en": partner.name_en,
                    "loses": loses,
                    "firm_id": fid,
                    "confidence": edge.confidence.value,
                    "sources": list(edge.sources),
                }
            )
    found.sort(key=lambda p: (p["id"], p["loses"], p["firm_id"]))
    return found


def partners_note(partners: list[dict[str, Any]], names: dict[str, tuple[str, str]] | None = None) -> dict[str, Any]:
    """The note listing the local firms that lose a customer or a supplier (:func:`supply_partners`).

    ``names`` gives the removed firms' names (Chinese, English) by id.

    >>> p = [{"id": "jieyi-auto", "name_zh": "捷翼", "name_en": "Jieyi", "loses": "customer",
    ...       "firm_id": "li-auto", "confidence": "unverified", "sources": []}]
    >>> note = partners_note(p, {"li-auto": ("理想汽车常州基地", "Li Auto")})
    >>> note["zh"]
    '企业间供应关系中，捷翼（jieyi-auto）失去客户 理想汽车常州基地（待核实）；这些关系不计入健康度与严重度'
    >>> note["en"]
    'through firm-level supply links, Jieyi (jieyi-auto) loses a customer, Li Auto (unverified); these links do \
not enter health or severity'
    """
    names = names or {}
    zh, en = [], []
    for p in partners:
        other_zh, other_en = names.get(p["firm_id"], (p["firm_id"], p["firm_id"]))
        unsure = p["confidence"] != "sourced"
        what_zh = "失去客户" if p["loses"] == "customer" else "失去供应商"
        zh.append(f"{p['name_zh']}（{p['id']}）{what_zh} {other_zh}{'（待核实）' if unsure else ''}")
        en.append(f"{p['name_en']} ({p['id']}) loses a {p['loses']}, {other_en}{' (unverified)' if unsure else ''}")
    return {
        "code": "supply_partners",
        "firm_ids": list(dict.fromkeys(p["id"] for p in partners)),
        "partners": [dict(p) for p in partners],
        "zh": f"企业间供应关系中，{'；'.join(zh)}；这些关系不计入健康度与严重度",
        "en": f"through firm-level supply links, {'; '.join(en)}; these links do not enter health or severity",
    }


def scope_rises(before: Analysis, after: Analysis, changes: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The gaps whose severity rises although their own local firms and status hold, because the totals of the
    severity's ``D`` term (``L_scope``, ``A_scope``: docs/analysis.md §4) shrank.

    Only gaps whose ``D`` numerators (the local firms and anchors downstream) hold: their rise comes from
    the denominators alone (the other terms depend on the segment's own firms or on the fixed supply
    structure). Each item gives ``segment_id``, ``cluster_id`` and the totals before and after
    (``scope_local_firms_before``/``_after``, ``scope_anchors_before``/``_after``).

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> b = analysis_for(MemoryStore(tiny_chain()))
    >>> a = analyse(b.data.without_firms(["f-anode-a"]), b.structure)
    >>> [(r["segment_id"], r["scope_local_firms_before"], r["scope_local_firms_after"])
    ...  for r in scope_rises(b, a, compare(b, a)["changes"])]
    [('t-lithium', 8, 7), ('t-cathode', 8, 7), ('t-pack', 8, 7)]
    """
    out = []
    for c in changes:
        sid = c["segment_id"]
        if c["delta"] <= 0 or c["status_changed"] or c["local_firms_before"] != c["local_firms_after"]:
            continue
        gap_b, gap_a = before.gaps.get(sid), after.gaps.get(sid)
        if gap_b is None or gap_a is None:
            continue
        comp_b, comp_a = gap_b.components, gap_a.components
        if any(comp_b.get(k) != comp_a.get(k) for k in ("downstream_local_firms", "downstream_anchors")):
            continue
        scope = {k: (comp_b.get(k), comp_a.get(k)) for k in ("scope_local_firms", "scope_anchors") if k in comp_b}
        if not any(a is not None and b is not None and a < b for b, a in scope.values()):
            continue
        item: dict[str, Any] = {"segment_id": sid, "cluster_id": c["cluster_id"]}
        for key, (b, a) in scope.items():
            item[f"{key}_before"], item[f"{key}_after"] = b, a
        out.append(item)
    return out


TERMS = {
    "scope_local_firms": ("L_scope", "本集群与下游环节的本地企业总数", "the local firms of the cluster and downstream"),
    "scope_anchors": ("A_scope", "链主总数", "their anchors"),
}
"""The denominators of the severity's ``D`` term, as docs/analysis.md §4 names them."""


def scope_note(rises: list[dict[str, Any]]) -> dict[str, Any]:
    """The note on gaps whose severity rises only because the cluster's totals shrank (:func:`scope_rises`).

    >>> note = scope_note([{"segment_id": "nev-auto-chips", "cluster_id": "nev", "scope_local_firms_before": 45,
    ...     "scope_local_firms_after": 44, "scope_anchors_before": 7, "scope_anchors_after": 6}])
    >>> note["zh"]
    'nev-auto-chips 的严重度上升，但其本地企业未变：严重度 D 项的分母 L_scope（本集群与下游环节的本地企业总数，\
45 → 44）、A_scope（链主总数，7 → 6）随企业离开而减少，并非这些环节本身变化'
    >>> note["en"]
    'the severity of nev-auto-chips rises although its own local firms did not change: the denominators of the \
severity term D, L_scope (the local firms of the cluster and downstream, 45 -> 44) and A_scope (their anchors, \
7 -> 6), shrank as the firms left; nothing changed in the segment itself'
    """
    ids = [r["segment_id"] for r in rises]
    terms_zh, terms_en = [], []
    for key, (term, zh, en) in TERMS.items():
        pairs = {(r.get(f"{key}_before"), r.get(f"{key}_after")) for r in rises}
        if not any(b is not None and a is not None and a < b for b, a in pairs):
            continue
        figures = f"，{next(iter(pairs))[0]} → {next(iter(pairs))[1]}" if len(pairs) == 1 else ""
        terms_zh.append(f"{term}（{zh}{figures}）")
        terms_en.append(f"{term} ({en}{figures.replace('，', ', ').replace('→', '->')})")
    one = len(ids) == 1
    named_zh = _some(ids, "、", "个环节", MAX_NAMED_SEGMENTS)
    named_en = _some(ids, ", ", limit=MAX_NAMED_SEGMENTS)
    return {
        "code": "scope_shrinks",
        "segment_ids": ids,
        "zh": f"{named_zh}{'' if len(ids) > MAX_NAMED_SEGMENTS else ' '}的严重度上升，但其本地企业未变："
        f"严重度 D 项的分母 {'、'.join(terms_zh)}随企业离开而减少，并非这些环节本身变化",
        "en": f"the severity of {named_en} rise{'s' if one else ''} although {'its' if one else 'their'} own local "
        f"firms did not change: the denominators of the severity term D, {' and '.join(terms_en)}, shrank as the "
        f"firms left; nothing changed in {'the segment itself' if one else 'these segments themselves'}",
    }


def what_if_notes(
    removed: list[dict[str, Any]],
    added: list[str],
    with_subsidiaries: bool,
    local_subsidiaries: dict[str, list[str]] | None = None,
    *,
    left: list[dict[str, Any]] | None = None,
    health: list[dict[str, Any]] | None = None,
    partners: list[dict[str, Any]] | None = None,
    rises: list[dict[str, Any]] | None = None,
) -> list[dict[str, Any]]:
    """The notes of a what-if answer, each with a ``code``, ``zh`` and ``en``.

    - ``outside_firms`` (:func:`outside_note`): some removed firms are outside Changzhou, so their leaving
      changes nothing local; not when subsidiaries were added (the group's leaving is then the question, and
      its local units count). ``local_subsidiaries`` (each outside firm's local subsidiaries) goes to it.
    - ``coverage_only`` (:func:`coverage_note`, given ``left``, the answer's ``segments_left``, and
      ``health``): some removed firm is local; the scores count segment coverage, not output, capacity or
      jobs, and what is left in the firms' segments says why the change is small.
    - ``supply_partners`` (:func:`partners_note`): ``partners`` (:func:`supply_partners`) is not empty.
    - ``scope_shrinks`` (:func:`scope_note`): ``rises`` (:func:`scope_rises`) is not empty.

    >>> what_if_notes([{"id": "li-auto", "is_local": True}], [], False)
    []
    >>> [n["firm_ids"] for n in what_if_notes([{"id": "ganfeng", "is_local": False}], [], False)]
    [['ganfeng']]
    >>> [n["code"] for n in what_if_notes([{"id": "li-auto", "is_local": True}], [], False, left=[], health=[])]
    ['coverage_only']
    """
    notes: list[dict[str, Any]] = []
    outside = [f["id"] for f in removed if not f["is_local"]]
    if outside and not added:
        notes.append(outside_note(outside, with_subsidiaries, local_subsidiaries=local_subsidiaries))
    if left is not None:
        coverage = coverage_note(removed, left, health or [])
        if coverage:
            notes.append(coverage)
    if partners:
        names = {f["id"]: (f.get("name_zh") or f["id"], f.get("name_en") or f["id"]) for f in removed}
        notes.append(partners_note(partners, names))
    if rises:
        notes.append(scope_note(rises))
    return notes


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
        (:func:`what_if_notes`) what explains the answer, each with ``code``, ``zh`` and ``en``:
        ``outside_firms`` (also with ``local_subsidiaries``: each outside firm's local subsidiaries, which
        ``with_subsidiaries`` would remove), ``coverage_only`` (with ``firm_ids`` and ``segment_ids``),
        ``supply_partners`` (with ``firm_ids`` and ``partners``, :func:`supply_partners`) and
        ``scope_shrinks`` (with ``segment_ids``).

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
    out: dict[str, Any] = {"removed": removed, "subsidiaries_added": added, "year": year}
    compared = compare(before, after)
    out.update(compared)
    outside = [f["id"] for f in removed if not f["is_local"]]
    out["notes"] = what_if_notes(
        removed,
        added,
        with_subsidiaries,
        local_subsidiaries_of(before, outside),
        left=compared["segments_left"],
        health=compared["health"],
        partners=partners_of(set(ids), before.data.supplies_to, before.data.firms.get),  # as of ``year``
        rises=scope_rises(before, after, compared["changes"]),
    )
    return out
