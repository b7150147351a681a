"""Major projects (重大项目): by cluster, segment, year, district or firm, and which links they filled.

A project *fills a link* (``fills_links``) when, in the project's year, no
local firm other than the project's own builders was present in that segment
(sub-segments included, with the as-of semantics of :mod:`queries.presence`):
without the project, Changzhou would have had nothing there. An undated project
is checked against today's data.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_layers
>>> store = MemoryStore(tiny_layers())
>>> page = list_projects(store, cluster="t-nev")
>>> [(p["id"], p["year"], p["investment_text"]) for p in page["items"]]
[('prj-cell-1', 2016, '100亿元'), ('prj-cell-2', 2021, '约120亿元'), ('prj-lithium', 2023, '3亿美元'), \
('prj-recycle', 2024, '')]
>>> [p["id"] for p in list_projects(store, segment="t-pack")["items"]]
['prj-cell-2']
>>> [p["id"] for p in list_projects(store, district="d-wujin", year=2023)["items"]]
['prj-lithium']
>>> [(p["id"], p["fills_links"]) for p in page["items"] if p["fills_links"]]
[('prj-lithium', ['t-lithium']), ('prj-recycle', ['t-recycling'])]
"""

from __future__ import annotations

import re
from typing import Any

from graph.errors import InvalidQuery
from graph.model import NodeKind, Project, ProjectStatus
from graph.store import GraphStore
from queries.layer_data import LayerData, layer_data
from queries.layer_items import brief, english_amount, investment_text, source_refs
from queries.lookup import require
from queries.presence import segment_presence
from queries.segment_graph import ChainData, chain_data, check_as_of_year

STATUSES = tuple(s.value for s in ProjectStatus)

PHASE_NUMBERS = {"一": 1, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9, "十": 10}
"""The Chinese numerals a phase text may carry (``三期``), with their value."""
_NUMERAL = "([一二三四五六七八九十])"
_PHASE_ONE = re.compile(f"^{_NUMERAL}期$")
_PHASE_RANGE = re.compile(f"^{_NUMERAL}至{_NUMERAL}期$")
_PHASE_PAIR = re.compile(f"^{_NUMERAL}、{_NUMERAL}期$")
_PHASE_EXPANSION = re.compile(f"^{_NUMERAL}期扩建$")
_PHASE_AMOUNT = re.compile(r"^(.+?期)(\d+(?:\.\d+)?(?:亿元|亿美元|万元))$")
_PHASE_ASIDE = re.compile(r"^(.+?期)（(.+)）$")
_HAN = re.compile(r"[\u3400-\u9fff]")


def _phase_words(text: str) -> str | None:
    """``一期`` -> ``phase 1``, ``一至五期`` -> ``phases 1-5``, ``一、二期`` -> ``phases 1 and 2``, ``两期`` ->
    ``two phases``, ``三期扩建`` -> ``phase 3 expansion``; ``None`` for any other text."""
    if text == "两期":
        return "two phases"
    if found := _PHASE_ONE.match(text):
        return f"phase {PHASE_NUMBERS[found[1]]}"
    if found := _PHASE_EXPANSION.match(text):
        return f"phase {PHASE_NUMBERS[found[1]]} expansion"
    for pattern, joiner in ((_PHASE_RANGE, "-"), (_PHASE_PAIR, " and ")):
        if found := pattern.match(text):
            first, last = PHASE_NUMBERS[found[1]], PHASE_NUMBERS[found[2]]
            return f"phases {first}{joiner}{last}" if first < last else None
    return None


def _phase_with_amount(text: str) -> str | None:
    """``一期5.7亿元`` -> ``phase 1, CNY 570 million``; ``None`` for any other text."""
    found = _PHASE_AMOUNT.match(text)
    if not found:
        return None
    words, money = _phase_words(found[1]), english_amount(found[2])
    if words is None or _HAN.search(money):
        return None
    return f"{words}, {money}"


def phase_en(text: str) -> str | None:
    """A project's phase text (``一至五期``) in English, translated only where its form is known exactly.

    Parameters
    ----------
    text : str
        The project's ``phase`` as the data gives it.

    Returns
    -------
    str or None
        The English text; empty for an empty phase; ``None`` for a text of another form, which
        is then shown as the data gives it: nothing is guessed.

    Examples
    --------
    >>> phase_en("一期"), phase_en("二期"), phase_en("一至五期"), phase_en("一、二期")
    ('phase 1', 'phase 2', 'phases 1-5', 'phases 1 and 2')
    >>> phase_en("两期"), phase_en("三期扩建"), phase_en("一期5.7亿元")
    ('two phases', 'phase 3 expansion', 'phase 1, CNY 570 million')
    >>> phase_en("一至三期（一期30亿元）")
    'phases 1-3 (phase 1, CNY 3 billion)'
    >>> phase_en(""), phase_en("首期") is None, phase_en("五至一期") is None, phase_en("一期若干亿元") is None
    ('', True, True, True)
    """
    text = text.strip()
    if not text:
        return ""
    if found := _PHASE_ASIDE.match(text):
        outer, inner = _phase_words(found[1]), phase_en(found[2])
        return f"{outer} ({inner})" if outer is not None and inner else None
    return _phase_words(text) or _phase_with_amount(text)


def _fills(store: GraphStore, layers: LayerData, project: Project, segment_ids: list[str]) -> list[str]:
    """The project's segments where no other local firm was present in the project's year."""
    data = chain_data(store, project.year)
    own = set(layers.firms_of_project.get(project.id, []))
    out = []
    for sid in segment_ids:
        if sid not in data.segments:
            continue
        others = [f for f in segment_presence(data, sid).local if f not in own]
        if not others:
            out.append(sid)
    return out


def _project_item(store: GraphStore, layers: LayerData, data: ChainData, project: Project) -> dict[str, Any]:
    """One project as the API lists it: investment, year, status, firms, segments, districts, sources."""
    seg_ids = layers.segments_of_project.get(project.id, [])
    firms = [brief(data.firms.get(f), f) for f in layers.firms_of_project.get(project.id, [])]
    for ref in firms:
        firm = data.firms.get(ref["id"])
        ref["is_local"] = firm.is_local if firm is not None else None
    segments = []
    for sid in seg_ids:
        seg = data.segments.get(sid)
        segments.append({**brief(seg, sid), "cluster_id": data.segment_cluster.get(sid)})
    return {
        "id": project.id,
        "name_zh": project.name_zh,
        "name_en": project.name_en,
        "investment": {
            "amount": project.investment_amount,
            "unit": "亿",
            "currency": project.investment_currency.value,
            "qualifier": project.investment_qualifier,
        },
        "investment_text": investment_text(project),
        "year": project.year,
        "date": project.date or None,
        "phase": project.phase,
        "phase_en": phase_en(project.phase),
        "status": project.status.value,
        "capacity": project.capacity,
        "firms": firms,
        "segments": segments,
        "clusters": sorted({s["cluster_id"] for s in segments if s["cluster_id"]}),
        "districts": [brief(data.districts.get(d), d) for d in layers.districts_of_project.get(project.id, [])],
        "fills_links": _fills(store, layers, project, seg_ids),
        "sources": list(project.sources),
        "confidence": project.confidence.value,
        "note": project.note,
    }


def _sort_key(project: Project) -> tuple[bool, int, str]:
    return (project.year is None, project.year or 0, project.id)


def _select_projects(
    store: GraphStore,
    *,
    cluster: str | None = None,
    segment: str | None = None,
    year: int | None = None,
    district: str | None = None,
    firm: str | None = None,
    status: str | None = None,
) -> list[Project]:
    """The projects matching every filter given, sorted by year (undated last), then id.

    Raises
    ------
    NodeNotFound
        For an unknown cluster, segment, district or firm id.
    InvalidQuery
        For a year outside 1990–2100 or an unknown status.
    """
    for value, kind in (
        (cluster, NodeKind.CLUSTER),
        (segment, NodeKind.SEGMENT),
        (district, NodeKind.DISTRICT),
        (firm, NodeKind.FIRM),
    ):
        if value:
            require(store, value, kind)
    check_as_of_year(year)
    if status is not None and status not in STATUSES:
        raise InvalidQuery(f"status must be one of {', '.join(STATUSES)}; got {status!r}", param="status", value=status)
    layers = layer_data(store)
    data = chain_data(store)
    keep = set(layers.projects)
    if segment:
        below = data.subtree.get(segment, frozenset({segment}))
        keep &= {p for sid in below for p in layers.projects_of_segment.get(sid, [])}
    if cluster:
        keep &= {p for sid in data.cluster_segments(cluster) for p in layers.projects_of_segment.get(sid, [])}
    if district:
        places = {district} | {d.id for d in data.districts.values() if d.parent_id == district}
        keep &= {p for p, ds in layers.districts_of_project.items() if places & set(ds)}
    if firm:
        keep &= set(layers.projects_of_firm.get(firm, []))
    out = [layers.projects[p] for p in keep]
    if year is not None:
        out = [p for p in out if p.year == year]
    if status is not None:
        out = [p for p in out if p.status.value == status]
    return sorted(out, key=_sort_key)


def list_projects(
    store: GraphStore,
    *,
    cluster: str | None = None,
    segment: str | None = None,
    year: int | None = None,
    district: str | None = None,
    firm: str | None = None,
    status: str | None = None,
    limit: int = 50,
    offset: int = 0,
) -> dict[str, Any]:
    """Return ``{"items", "total", "limit", "offset"}`` of the projects matching the filters.

    Parameters
    ----------
    store : GraphStore
    cluster : str, optional
        Projects in any segment of this cluster.
    segment : str, optional
        Projects in this segment or one of its sub-segments.
    year : int, optional
        Projects of this year (started, or signed when not started).
    district : str, optional
        Projects sited in this district or in a park within it.
    firm : str, optional
        Projects this firm builds.
    status : str, optional
        ``planned``, ``signed``, ``started``, ``completed`` or ``unknown``.

    Raises
    ------
    NodeNotFound
        For an unknown cluster, segment, district or firm id.
    InvalidQuery
        For a bad year or status.
    """
    found = _select_projects(
        store, cluster=cluster, segment=segment, year=year, district=district, firm=firm, status=status
    )
    layers = layer_data(store)
    data = chain_data(store)
    items = [_project_item(store, layers, data, p) for p in found[offset : offset + limit]]
    return {"items": items, "total": len(found), "limit": limit, "offset": offset}


def get_project(store: GraphStore, project_id: str) -> dict[str, Any]:
    """Return one project with its description, its links (each with sources) and every source cited.

    Raises
    ------
    NodeNotFound
        When no project has this id (with the nearest ids).
    """
    node = require(store, project_id, NodeKind.PROJECT)
    assert isinstance(node, Project)
    layers = layer_data(store)
    out = _project_item(store, layers, chain_data(store), node)
    out["description"] = node.description
    links = [e for e in (*layers.built_by, *layers.project_in, *layers.sited_in) if e.source == node.id]
    out["links"] = [
        {
            "kind": e.kind.value,
            "target": e.target,
            "sources": list(e.sources),
            "confidence": e.confidence.value,
            "note": e.note,
        }
        for e in sorted(links, key=lambda e: e.key)
    ]
    cited = set(node.sources) | {s for e in links for s in e.sources}
    out["sources_ref"] = source_refs(store, cited)
    return out
