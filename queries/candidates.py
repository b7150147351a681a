"""Candidates to attract (招商) for a segment: outside firms operating in it, ranked, with 推荐理由.

For an outside firm ``f`` operating in segment ``p`` (or a sub-segment)::

    score    = 0.35·profile + 0.30·links + 0.35·relatedness
    profile  = 0.6·role + 0.25·tags + 0.15·scale
    links    = k / (k + 1)
    relatedness = ½·ω_p + ½·ω_f

- ``role``: the firm's role in the segment (anchor 1, major 0.6, member 0.3), which the sources state for this
  very segment (a share, a rank, 龙头), so it leads the profile: a segment's leader outranks a listed firm
  that is merely in it (review 16a: with tags leading, the world's first inverter maker ranked 4th of 5, behind
  a listed member);
- ``tags``: the best of :data:`TAG_SCORES` over the firm's tags (0 without one);
- ``scale``: from the free-text ``scale`` field (:func:`scale_score`; 0 when unknown);
- ``k``: *sourced* local partners, i.e. local firms it supplies or buys from (SUPPLIES_TO,
  either way) plus local units of its corporate group (SUBSIDIARY_OF), counting only partners
  joined to it by a ``sourced`` relation. A partner joined only by ``unverified`` edges (for a
  group unit: any edge of the SUBSIDIARY_OF path between them) adds nothing: it is still named
  in the reasons, marked 待核实 / unverified, with each partner's ``confidence`` in
  ``partners``, and counted in ``components.partners_by_confidence.unverified``. A partner counts once, by its
  best-backed relation. So a link the sources do not back never lifts a firm above the same
  firm without it (``docs/analysis.md`` gives the reasons); ``components.local_partners`` is
  ``k``, equal to ``components.partners_by_confidence.sourced``;
- ``ω_p``: Changzhou's relatedness density in the segment, ``ω_f``: the mean ω of
  the firm's other segments (``ω_p`` when it has none); see :mod:`queries.relatedness`.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_city
>>> c = candidates(MemoryStore(tiny_city()), "t-ess-bms")
>>> [(x["firm_id"], x["score"]) for x in c]
[('o-bms-a', 0.6085), ('o-bms-b', 0.310917)]
>>> [r["code"] for r in c[0]["reasons"]]
['tag', 'tag', 'segment_role', 'supplies_local_firms', 'relatedness', 'related_segments']
>>> c[0]["reasons"][3]["zh"], c[0]["reasons"][3]["partners"]
('已向本地企业供货：甲储能', [{'firm_id': 'f-ess-a', 'confidence': 'sourced'}])
>>> {k: c[0]["components"][k] for k in ("partners_by_confidence", "local_partners", "links")}
{'partners_by_confidence': {'sourced': 1, 'unverified': 0}, 'local_partners': 1, 'links': 0.5}
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import date
from typing import Any

from graph.model import Confidence, EdgeKind, NodeKind, Role
from graph.store import GraphStore
from queries.analysis import Analysis, analysis_for
from queries.cache import per_version
from queries.lookup import require
from queries.places import place_en
from queries.segment_graph import ChainData, r6

CANDIDATE_WEIGHTS: Mapping[str, float] = {"profile": 0.35, "links": 0.30, "relatedness": 0.35}
PROFILE_WEIGHTS: Mapping[str, float] = {"role": 0.6, "tags": 0.25, "scale": 0.15}
"""The parts of a candidate's profile: its role in the segment first (what the sources say of it there), then its
best tag (listed, 专精特新, ...: true of the firm anywhere) and its scale."""

TAG_SCORES: Mapping[str, float] = {
    "链主": 1.0,
    "单项冠军": 0.9,
    "head-firm": 0.8,
    "专精特新小巨人": 0.7,
    "listed": 0.6,
    "省专精特新": 0.5,
    "市专精特新": 0.3,
    "foreign-invested": 0.3,
    "soe": 0.3,
}
"""Score of each documented tag; a firm counts its best tag."""

TAG_TEXT: Mapping[str, tuple[str, str]] = {
    "链主": ("链主企业", "a chain leader (链主)"),
    "单项冠军": ("制造业单项冠军", "a national manufacturing single champion"),
    "head-firm": ("行业龙头企业", "an industry head firm"),
    "专精特新小巨人": ("国家级专精特新“小巨人”", "a national specialised 'little giant'"),
    "listed": ("上市公司", "a listed company"),
    "省专精特新": ("省级专精特新企业", "a provincial specialised SME"),
    "市专精特新": ("市级专精特新企业", "a city-level specialised SME"),
    "foreign-invested": ("外资企业", "a foreign-invested firm"),
    "soe": ("国有企业", "a state-owned firm"),
}

ROLE_SCORES: Mapping[Role, float] = {Role.ANCHOR: 1.0, Role.MAJOR: 0.6, Role.MEMBER: 0.3}
ROLE_TEXT: Mapping[Role, tuple[str, str]] = {
    Role.ANCHOR: ("该环节龙头企业", "a leader of this segment"),
    Role.MAJOR: ("该环节骨干企业", "a major firm in this segment"),
    Role.MEMBER: ("该环节企业", "a firm in this segment"),
}

_SCALE_WORDS = (
    (1.0, ("large", "大型", "特大", "龙头", "giant")),
    (0.6, ("medium", "中型", "mid")),
    (0.3, ("small", "小型", "微型", "micro")),
)
_YI = re.compile(r"(\d+(?:\.\d+)?)\s*亿")


def scale_score(scale: str) -> float:
    """Score the free-text ``scale`` of a firm in [0, 1].

    Words: large/大型 → 1, medium/中型 → 0.6, small/小型 → 0.3. Otherwise an amount
    in 亿 (e.g. revenue): ≥ 100亿 → 1, ≥ 10亿 → 0.7, less → 0.4. Unknown → 0.

    >>> scale_score("large"), scale_score("营收246亿元"), scale_score("5亿"), scale_score("")
    (1.0, 1.0, 0.4, 0.0)
    """
    text = scale.strip().lower()
    if not text:
        return 0.0
    for value, words in _SCALE_WORDS:
        if any(w in text for w in words):
            return value
    match = _YI.search(text)
    if match:
        amount = float(match.group(1))
        return 1.0 if amount >= 100 else 0.7 if amount >= 10 else 0.4
    return 0.0


RELATEDNESS_LEVELS: tuple[tuple[float, str, str, str], ...] = (
    (0.5, "strong", "常州在相关环节已有较好基础", "Changzhou already has strong related capabilities"),
    (0.2, "some", "常州在相关环节有一定基础", "Changzhou has some related capabilities"),
    (
        0.0,
        "weak",
        "常州在相关环节基础薄弱，引进后需配套培育",
        "Changzhou has few related capabilities; it would need support",
    ),
)
"""How the ``relatedness`` reason reads, by ``ω_p``: the first level whose threshold ``ω_p`` reaches.

The thresholds only choose the wording; the score uses ``ω`` itself.
"""


def relatedness_reason(omega_segment: float, omega_firm: float) -> dict[str, Any]:
    """The ``relatedness`` reason of a candidate, worded by how much Changzhou already has (``ω_p``).

    Examples
    --------
    >>> relatedness_reason(0.67, 0.5)["zh"]
    '常州在相关环节已有较好基础（关联密度 ω=0.67）'
    >>> relatedness_reason(0.0, 0.0)["level"], relatedness_reason(0.0, 0.0)["en"]
    ('weak', 'Changzhou has few related capabilities; it would need support (relatedness density ω=0.00)')
    """
    omega = r6(omega_segment)
    level, zh, en = next((lv, zh, en) for low, lv, zh, en in RELATEDNESS_LEVELS if omega >= low)
    return {
        "code": "relatedness",
        "level": level,
        "omega_segment": omega,
        "omega_firm": r6(omega_firm),
        "zh": f"{zh}（关联密度 ω={omega:.2f}）",
        "en": f"{en} (relatedness density ω={omega:.2f})",
    }


def _names(a: Analysis, ids: list[str], lang: str, limit: int = 3) -> str:
    names = []
    for i in ids[:limit]:
        node = a.data.firms.get(i) or a.data.segments.get(i)
        names.append(i if node is None else (node.name_zh if lang == "zh" else node.name_en or node.name_zh))
    sep, more = ("、", "等") if lang == "zh" else (", ", " and others")
    return sep.join(names) + (more if len(ids) > limit else "")


SOURCED, UNVERIFIED = Confidence.SOURCED.value, Confidence.UNVERIFIED.value

UNVERIFIED_ZH = ("（待核实，不计分）", "；待核实（不计分）：")
UNVERIFIED_EN = (" (unverified; not scored)", " (all unverified; not scored)", "; unverified (not scored): ")
"""How a partner reason marks unverified partners: when all are (one, several), and when only some are."""


def _group_path_sourced(data: ChainData, firm_id: str, unit_id: str) -> bool:
    """Whether every SUBSIDIARY_OF edge joining two firms of one group is ``sourced``.

    The path runs from each firm up its parent chain (:attr:`ChainData.parent_firm`) to the
    first parent they share; an edge above that parent does not bear on their relation.
    """

    def up(fid: str) -> list[str]:
        chain = [fid]
        while fid in data.parent_firm and data.parent_firm[fid] not in chain:
            fid = data.parent_firm[fid]
            chain.append(fid)
        return chain

    mine, theirs = up(firm_id), up(unit_id)
    meet = next((f for f in theirs if f in mine), theirs[-1])
    unverified = data.unverified_links
    kind = EdgeKind.SUBSIDIARY_OF.value
    for chain in (mine, theirs):
        stop = chain.index(meet) if meet in chain else len(chain) - 1
        if any((kind, s, t) in unverified for s, t in zip(chain[:stop], chain[1 : stop + 1], strict=True)):
            return False
    return True


def _partners(a: Analysis, firm_id: str) -> tuple[dict[str, str], dict[str, str], dict[str, str]]:
    """Local firms the firm supplies, local firms it buys from, and local units of its group.

    Each maps a partner's id (sorted) to the confidence of that relation: ``sourced`` or
    ``unverified`` (a group unit is ``unverified`` when any edge of the path joining them is).
    """
    data = a.data
    local = data.local_firms
    unverified = data.unverified_links
    kind = EdgeKind.SUPPLIES_TO.value

    def conf(sourced: bool) -> str:
        return SOURCED if sourced else UNVERIFIED

    customers = {
        f: conf((kind, firm_id, f) not in unverified) for f in data.customers_of.get(firm_id, []) if f in local
    }
    suppliers = {
        f: conf((kind, f, firm_id) not in unverified) for f in data.suppliers_of.get(firm_id, []) if f in local
    }
    group = data.group(firm_id)
    units = {
        f: conf(_group_path_sourced(data, firm_id, f))
        for f in data.group_members.get(group, [])
        if f != firm_id and f in local
    }
    return customers, suppliers, units


def partner_reason(
    a: Analysis, code: str, partners: Mapping[str, str], zh: str, en: str, en_sep: str = " "
) -> dict[str, Any]:
    """A reason naming local partners, each flagged by the confidence of its relation.

    ``zh`` and ``en`` lead the text (``已向本地企业供货``, then ``：`` or ``en_sep``). Sourced
    partners are named first, then the unverified ones, marked 待核实 / unverified: they do
    not count in ``k``. ``firm_ids`` lists every partner, ``partners`` each with its ``confidence``.
    """
    ids = list(partners)
    sure = [f for f in ids if partners[f] == SOURCED]
    unsure = [f for f in ids if partners[f] != SOURCED]
    if not unsure:
        text_zh = f"{zh}：{_names(a, sure, 'zh')}"
        text_en = f"{en}{en_sep}{_names(a, sure, 'en')}"
    elif not sure:
        text_zh = f"{zh}{UNVERIFIED_ZH[0]}：{_names(a, unsure, 'zh')}"
        text_en = f"{en}{en_sep}{_names(a, unsure, 'en')}{UNVERIFIED_EN[0 if len(unsure) == 1 else 1]}"
    else:
        text_zh = f"{zh}：{_names(a, sure, 'zh')}{UNVERIFIED_ZH[1]}{_names(a, unsure, 'zh')}"
        text_en = f"{en}{en_sep}{_names(a, sure, 'en')}{UNVERIFIED_EN[2]}{_names(a, unsure, 'en')}"
    return {
        "code": code,
        "firm_ids": ids,
        "partners": [{"firm_id": f, "confidence": partners[f]} for f in ids],
        "zh": text_zh,
        "en": text_en,
    }


UNVERIFIED_ROLE = ("待核实", "unverified")
"""How the ``segment_role`` reason marks a role that no ``sourced`` OPERATES_IN edge backs (in its brackets, before
the source it names: 该环节骨干企业（待核实；依据：…）)."""


def role_basis(data: ChainData, firm_id: str, segment_id: str, role: Role) -> tuple[str, str]:
    """The confidence of a candidate's role in a segment, and the notes of its unverified edges.

    The role rests on the firm's OPERATES_IN edges into the segment or a sub-segment with that
    (best) role: it is ``sourced`` when at least one of them is, else ``unverified``, and the notes
    of those edges (``"; "``-joined, distinct) say why.

    Examples
    --------
    >>> from graph.fixtures import tiny_city
    >>> from graph.memory_store import MemoryStore
    >>> from queries.analysis import analysis_for
    >>> data = analysis_for(MemoryStore(tiny_city())).data
    >>> role_basis(data, "o-bms-a", "t-ess-bms", Role.MAJOR)
    ('sourced', '')
    """
    subtree = data.subtree.get(segment_id, frozenset({segment_id}))
    edges = [e for e in data.operates_of_firm.get(firm_id, ()) if e.target in subtree and e.role is role]
    if any(e.confidence is Confidence.SOURCED for e in edges):
        return SOURCED, ""
    notes = dict.fromkeys(e.note for e in edges if e.note)
    return UNVERIFIED, "; ".join(notes)


DATED_EVIDENCE_YEARS = 5
"""A candidate whose newest source on its role in the segment is this many years old or more
gets a ``dated_evidence`` reason, 依据较旧 (review 14a: the city's first target rested on a 2010 repost); the
meeting brief marks a head figure as old by the same measure (``reports.html.BRIEF_DATED_YEARS``)."""


def evidence_year(data: ChainData, firm_id: str, segment_id: str) -> int | None:
    """The newest year among the sources of a firm's OPERATES_IN facts in a segment (or below it).

    Only what says the firm works in this segment counts: a newer page about its listing, its address or another
    segment says nothing of its standing here (review 16a: 信义光能 led 光储一体化 on a 2018 repost, unmarked,
    because a 2024 page placed it in PV glass). ``None`` when none of them is dated.

    >>> from graph.fixtures import tiny_chain
    >>> from graph.memory_store import MemoryStore
    >>> from queries.segment_graph import chain_data
    >>> evidence_year(chain_data(MemoryStore(tiny_chain())), "o-lith-a", "t-lithium")
    2026
    """
    subtree = data.subtree.get(segment_id, frozenset({segment_id}))
    cited = [s for e in data.operates_of_firm.get(firm_id, ()) if e.target in subtree for s in e.sources]
    years = [y for y in (data.source_years.get(s) for s in cited) if y is not None]
    return max(years, default=None)


def role_evidence(data: ChainData, firm_id: str, segment_id: str, role: Role) -> list[dict[str, Any]]:
    """The sources of a candidate's role in a segment (or below it), newest first: what a 招商 officer quotes.

    Those of the edges with that role that are ``sourced`` (all of them when none is), each once, as
    ``{source_id, title, title_en, year}`` (review 16a: the reasons never showed the ranking or share behind a
    firm's standing).

    >>> from graph.fixtures import tiny_city
    >>> from graph.memory_store import MemoryStore
    >>> from queries.analysis import analysis_for
    >>> data = analysis_for(MemoryStore(tiny_city())).data
    >>> [e["source_id"] for e in role_evidence(data, "o-bms-a", "t-ess-bms", Role.MAJOR)]
    ['s-tiny']
    """
    subtree = data.subtree.get(segment_id, frozenset({segment_id}))
    edges = [e for e in data.operates_of_firm.get(firm_id, ()) if e.target in subtree and e.role is role]
    backed = [e for e in edges if e.confidence is Confidence.SOURCED] or edges
    ids = list(dict.fromkeys(s for e in backed for s in e.sources))
    ids.sort(key=lambda s: -(data.source_years.get(s) or 0))  # stable: the data's order within a year
    return [
        {
            "source_id": s,
            "title": data.source_titles.get(s, ("", ""))[0],
            "title_en": data.source_titles.get(s, ("", ""))[1],
            "year": data.source_years.get(s),
        }
        for s in ids
    ]


def evidence_text(evidence: list[dict[str, Any]]) -> tuple[str, str]:
    """``依据：title，year`` and ``per: title, year`` of a role's newest source, with how many more there are.

    >>> first = {"source_id": "o31", "title": "逆变器排名", "title_en": "Inverter ranking", "year": 2022}
    >>> evidence_text([first, {"source_id": "o33", "title": "t", "title_en": "", "year": None}])
    ('依据：逆变器排名，2022；另 1 个来源', 'per Inverter ranking, 2022; 1 more source')
    >>> evidence_text([])
    ('', '')
    """
    if not evidence:
        return "", ""
    newest = evidence[0]
    year = newest["year"]
    zh = "依据：" + newest["title"] + (f"，{year}" if year else "")
    en = "per " + (newest["title_en"] or newest["title"]) + (f", {year}" if year else "")
    if len(evidence) > 1:
        more = len(evidence) - 1
        zh += f"；另 {more} 个来源"
        en += f"; {more} more source{'s' if more > 1 else ''}"
    return zh, en


def weakest(*confidences: str) -> str:
    """The weakest of some confidences: ``unverified`` if any is, else ``sourced``.

    >>> weakest("sourced", "unverified"), weakest("sourced")
    ('unverified', 'sourced')
    """
    return UNVERIFIED if UNVERIFIED in confidences else SOURCED


def basis_reasons(
    firm: Any, role: Role, role_confidence: str, role_note: str, evidence: list[dict[str, Any]] | None = None
) -> list[dict[str, Any]]:
    """The ``segment_role`` reason, marked 待核实 / unverified (with the edges' note) when no source backs it, and
    naming the newest source it rests on (:func:`role_evidence`, listed whole in its ``evidence``).

    An ``unverified`` firm record adds a ``firm_unverified`` reason with the firm's note.
    """
    zh, en = ROLE_TEXT[role]
    role_reason: dict[str, Any] = {"code": "segment_role", "role": role.value}
    marks_zh: list[str] = []
    marks_en: list[str] = []
    if role_confidence != SOURCED:
        role_reason.update(confidence=role_confidence, note=role_note)
        marks_zh.append(UNVERIFIED_ROLE[0])
        marks_en.append(UNVERIFIED_ROLE[1])
    if evidence:
        cited_zh, cited_en = evidence_text(evidence)
        role_reason["evidence"] = evidence
        marks_zh.append(cited_zh)
        marks_en.append(cited_en)
    role_reason["zh"] = zh + (f"（{'；'.join(marks_zh)}）" if marks_zh else "")
    role_reason["en"] = en + (f" ({'; '.join(marks_en)})" if marks_en else "")
    reasons = [role_reason]
    if firm.confidence is not Confidence.SOURCED:
        reasons.append(
            {
                "code": "firm_unverified",
                "confidence": firm.confidence.value,
                "note": firm.note,
                "zh": "企业信息待核实",
                "en": "the firm's own record is unverified",
            }
        )
    return reasons


def score_candidate(a: Analysis, segment_id: str, firm_id: str, role: Role) -> dict[str, Any]:
    """Score one outside firm for one segment, with its components and reasons."""
    data = a.data
    firm = data.firms[firm_id]
    known = [t for t in firm.tags if t in TAG_SCORES]
    best_tag = max(known, key=lambda t: (TAG_SCORES[t], t), default=None)
    tags = TAG_SCORES[best_tag] if best_tag else 0.0
    role_value = ROLE_SCORES[role]
    scale = scale_score(firm.scale)
    profile = PROFILE_WEIGHTS["tags"] * tags + PROFILE_WEIGHTS["role"] * role_value + PROFILE_WEIGHTS["scale"] * scale
    customers, suppliers, units = _partners(a, firm_id)
    # a unit of its group already in this segment is the local presence the gap is about (a weak
    # segment held by one group): attracting the group there adds no new source, so no bonus for it
    here = a.presence[segment_id].local if segment_id in a.presence else {}
    already_here = {f: c for f, c in units.items() if f in here}
    units = {f: c for f, c in units.items() if f not in here}
    # each partner counts once, by its best-backed relation; only sourced ones count in k
    partners: dict[str, str] = {}
    for relation in (customers, suppliers, units):
        for f, c in relation.items():
            partners[f] = SOURCED if SOURCED in (c, partners.get(f)) else c
    k = sum(1 for c in partners.values() if c == SOURCED)
    k_unverified = len(partners) - k
    links = k / (k + 1)
    omega_p = a.omega.get(segment_id, 0.0)
    subtree = data.subtree.get(segment_id, frozenset({segment_id}))
    others = sorted(s for s in data.segments_of_firm.get(firm_id, {}) if s not in subtree and s in data.segments)
    omega_f = sum(a.omega.get(s, 0.0) for s in others) / len(others) if others else omega_p
    relatedness = 0.5 * omega_p + 0.5 * omega_f
    score = (
        CANDIDATE_WEIGHTS["profile"] * profile
        + CANDIDATE_WEIGHTS["links"] * links
        + CANDIDATE_WEIGHTS["relatedness"] * relatedness
    )
    reasons: list[dict[str, Any]] = []
    for tag in sorted(known, key=lambda t: (-TAG_SCORES[t], t)):
        zh, en = TAG_TEXT[tag]
        reasons.append({"code": "tag", "tag": tag, "zh": zh, "en": en})
    role_confidence, role_note = role_basis(data, firm_id, segment_id, role)
    reasons.extend(
        basis_reasons(firm, role, role_confidence, role_note, role_evidence(data, firm_id, segment_id, role))
    )
    newest = evidence_year(data, firm_id, segment_id)
    if newest is not None and date.today().year - newest >= DATED_EVIDENCE_YEARS:
        reasons.append(
            {
                "code": "dated_evidence",
                "year": newest,
                "zh": f"依据较旧：最新来源为 {newest} 年，接洽前请核实企业现状",
                "en": f"dated evidence: the newest source is from {newest}; check the firm's current state first",
            }
        )
    if scale > 0:
        reasons.append(
            {"code": "scale", "scale": firm.scale, "zh": f"规模：{firm.scale}", "en": f"scale: {firm.scale}"}
        )
    if customers:
        reasons.append(
            partner_reason(a, "supplies_local_firms", customers, "已向本地企业供货", "already supplies local firm(s)")
        )
    if suppliers:
        reasons.append(
            partner_reason(a, "buys_from_local_firms", suppliers, "已从本地企业采购", "already buys from local firm(s)")
        )
    if units:
        reasons.append(
            partner_reason(
                a,
                "group_present_locally",
                units,
                "所属集团在常州已有企业",
                "its group already has a unit in Changzhou",
                ": ",
            )
        )
    if already_here:
        ids = list(already_here)
        sure = [f for f in ids if already_here[f] == SOURCED]
        unsure = [f for f in ids if already_here[f] != SOURCED]
        who_zh = "；".join(
            ([_names(a, sure, "zh")] if sure else [])
            + ([f"集团关系待核实：{_names(a, unsure, 'zh')}"] if unsure else [])
        )
        who_en = "; ".join(
            ([_names(a, sure, "en")] if sure else [])
            + ([f"group relation unverified: {_names(a, unsure, 'en')}"] if unsure else [])
        )
        reasons.append(
            {
                "code": "group_already_here",
                "firm_ids": ids,
                "partners": [{"firm_id": f, "confidence": already_here[f]} for f in ids],
                "zh": f"所属集团已在本环节有本地企业（{who_zh}）：引进只是扩产，不增加新的供应来源",
                "en": f"its group is already here in this segment ({who_en}): "
                "attracting it expands that group and adds no new source of supply",
            }
        )
    reasons.append(relatedness_reason(omega_p, omega_f))
    if others:
        reasons.append(
            {
                "code": "related_segments",
                "segment_ids": others,
                "zh": f"同时布局：{_names(a, others, 'zh')}",
                "en": f"also operates in {_names(a, others, 'en')}",
            }
        )
    return {
        "firm_id": firm.id,
        "name_zh": firm.name_zh,
        "name_en": firm.name_en,
        "hq": firm.hq,
        "hq_en": place_en(firm.hq) if firm.hq else "",  # empty as `hq` is: same emptiness
        "tags": list(firm.tags),
        "role": role.value,
        "score": r6(score),
        "components": {
            "profile": r6(profile),
            "tags": r6(tags),
            "role": r6(role_value),
            "scale": r6(scale),
            "links": r6(links),
            "local_partners": k,
            "partners_by_confidence": {SOURCED: k, UNVERIFIED: k_unverified},
            "relatedness": r6(relatedness),
            "omega_segment": r6(omega_p),
            "omega_firm": r6(omega_f),
            "weighted": {
                "profile": r6(CANDIDATE_WEIGHTS["profile"] * profile),
                "links": r6(CANDIDATE_WEIGHTS["links"] * links),
                "relatedness": r6(CANDIDATE_WEIGHTS["relatedness"] * relatedness),
            },
        },
        "reasons": reasons,
        "group_already_here": bool(already_here),
        "confidence": weakest(firm.confidence.value, role_confidence),
        "sources": list(firm.sources),
        "evidence_year": newest,
    }


def rank_of(a: Analysis, segment_id: str) -> list[dict[str, Any]]:
    """Every candidate of a segment from an analysis, best first (ties listed by firm id).

    Each gets its ``rank`` (:func:`shared_ranks`: firms with the same score share it) and ``tied_with``.
    """
    outside = a.presence[segment_id].outside
    items = [score_candidate(a, segment_id, fid, role) for fid, role in outside.items()]
    items.sort(key=lambda c: (-c["score"], c["firm_id"]))
    for item, (rank, tied_with) in zip(items, shared_ranks([c["score"] for c in items]), strict=True):
        item["rank"], item["tied_with"] = rank, tied_with
    return items


def shared_ranks(scores: list[float]) -> list[tuple[int, int]]:
    """``(rank, tied_with)`` of each score in a list sorted best first: equal scores share the best rank
    among them (1, 1, 3: "competition" ranking), and ``tied_with`` counts the *other* firms sharing it.

    The order within a tie (by firm id) says nothing of the firms; so no tied firm is called the first choice.

    >>> shared_ranks([0.6, 0.308, 0.308, 0.308, 0.2])
    [(1, 0), (2, 2), (2, 2), (2, 2), (5, 0)]
    >>> shared_ranks([])
    []
    """
    out: list[tuple[int, int]] = []
    start = 0
    while start < len(scores):
        end = start
        while end + 1 < len(scores) and scores[end + 1] == scores[start]:
            end += 1
        out += [(start + 1, end - start)] * (end - start + 1)
        start = end + 1
    return out


def rank_words(item: Mapping[str, Any], lang: str = "zh") -> str:
    """A candidate's rank in a sentence, saying when other firms share its score.

    >>> rank_words({"rank": 2, "tied_with": 0, "candidate_count": 4}, "zh")
    '排第 2'
    >>> rank_words({"rank": 1, "tied_with": 5, "candidate_count": 6}, "zh")
    '与另 5 家同分、并列第 1'
    >>> rank_words({"rank": 1, "tied_with": 5, "candidate_count": 6}, "en")
    'rank 1 of 6, tied with 5 others'
    """
    tied = int(item.get("tied_with") or 0)
    if lang == "zh":
        return f"与另 {tied} 家同分、并列第 {item['rank']}" if tied else f"排第 {item['rank']}"
    text = f"rank {item['rank']} of {item['candidate_count']}"
    return text + (f", tied with {tied} other{'' if tied == 1 else 's'}" if tied else "")


def rank_text(item: Mapping[str, Any], lang: str = "zh", count: int | None = None) -> str:
    """A candidate's rank in words, marking a shared one, e.g. in a target's gap line.

    ``count`` (default ``item["candidate_count"]``) is how many candidates the gap has.

    >>> rank_text({"rank": 2, "tied_with": 0, "candidate_count": 4}), rank_text({"rank": 2, "candidate_count": 4}, "en")
    ('2/4', '2/4')
    >>> rank_text({"rank": 1, "tied_with": 5, "candidate_count": 6})
    '1/6（6 家同分并列）'
    >>> rank_text({"rank": 1, "tied_with": 1, "candidate_count": 6}, "en")
    '1/6 (tied with 1 other)'
    """
    text = f"{item['rank']}/{item['candidate_count'] if count is None else count}"
    tied = int(item.get("tied_with") or 0)
    if not tied:
        return text
    if lang == "zh":
        return text + f"（{tied + 1} 家同分并列）"
    return text + f" (tied with {tied} other{'' if tied == 1 else 's'})"


def rank_candidates(store: GraphStore, segment_id: str, year: int | None = None) -> list[dict[str, Any]]:
    """Return every candidate of a segment, best first (for pagination; see :func:`candidates`).

    The ranking is computed once per data version, segment and year (:mod:`queries.cache`): a
    crowded segment of a 100k-firm city has thousands of outside firms to score. Each call gets
    its own copy of every item, so a caller may add keys to them (``reports`` adds sources).
    """
    require(store, segment_id, NodeKind.SEGMENT)
    ranked = per_version(store, "candidates", lambda: rank_of(analysis_for(store, year), segment_id), segment_id, year)
    return [dict(item) for item in ranked]


def candidates(store: GraphStore, segment_id: str, limit: int = 10, year: int | None = None) -> list[dict[str, Any]]:
    """Return the best ``limit`` outside firms to attract for a segment, with score breakdown and 推荐理由.

    Parameters
    ----------
    store : GraphStore
    segment_id : str
    limit : int
        How many candidates, best first.
    year : int, optional
        As-of year for presence facts.

    Returns
    -------
    list of dict
        Items with ``firm_id``, ``name_zh``, ``name_en``, ``score``, ``components``
        and ``reasons`` (each with ``code``, ``zh`` and ``en``).

    Raises
    ------
    NodeNotFound
        For an unknown segment id (with the nearest ids).
    """
    return rank_candidates(store, segment_id, year)[: max(limit, 0)]
