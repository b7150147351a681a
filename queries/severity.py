"""Gap rules: which kinds of gap a segment has, how severe it is, and why.

Kinds (``docs/analysis.md`` §3). A segment with no local firm is **missing**
(缺链); if it directly SUPPLIES a *strong* local segment it is also a **broken
link** (断链), and if it is directly upstream or downstream of a strong local
segment it is also an **extension** (延链) opportunity. A segment whose local
presence is weak (see :mod:`queries.presence`) is **weak** (弱链). Each gap is
reported once per segment: ``kinds`` lists every kind that applies, and
``kind`` is the primary one, by precedence
``broken_link > extension > missing`` for absent segments (``weak`` stands alone).

Broken links and extensions are decided on every SUPPLIES link, ``unverified`` ones included, but
their reasons (``feeds_strong_segment``, ``next_to_strong_segment``) carry the ``confidence`` of the
links they rest on (:func:`link_confidence`, as :mod:`queries.impact` does) and the ``unverified_ids``,
their texts say 供应关系待核实 / unverified, and ``Gap.kinds_unverified`` lists the kinds resting only on
unverified links. The explanation of a gap whose primary kind is among them opens with the sourced
fact, the missing segment (缺链) and its downstream demand, and labels the kind ``（断链，待核实）`` /
``(broken link, unverified)``. A ``members_only`` weak reason notes the firms that anchor the cluster elsewhere.

Severity, in [0, 1]::

    severity = g · (0.5·D + 0.3·C + 0.2·H)

- ``D`` downstream local demand: ``½·L/L_scope + ½·A/A_scope``, where ``L`` (``A``)
  counts the local firms (anchor firms) in every segment downstream of the gap,
  transitively and across clusters, and the scope is the local firms (anchors)
  of the gap's cluster together with those downstream;
- ``C`` criticality: ``½·B̂ + ½·Δ̂``, the directed betweenness of the segment in the
  SUPPLIES graph and the number of segments it dominates (single-path
  dependence), each divided by the largest value in its cluster;
- ``H`` concentration: the HHI of the local corporate groups in the segment,
  shares by role weight (1 when no local firm: all supply is outside);
- ``g`` presence factor: 1 for absent segments, 0.6 for weak ones.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> from queries.analysis import analysis_for
>>> a = analysis_for(MemoryStore(tiny_chain()))
>>> g = a.gaps["t-lithium"]
>>> g.kind, g.severity, g.components["demand"], g.components["criticality"]
('missing', 0.6875, 0.875, 0.166667)
>>> g.explanation_en.split("; ")[1]
'6 local firms, 2 of them anchor firms of some cluster, depend on it downstream.'
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import networkx as nx

from graph.model import Confidence, Edge, Policy, Segment
from queries.gap_kinds import KIND_NAMES_EN, KIND_NAMES_ZH, KINDS
from queries.presence import SegmentPresence
from queries.segment_graph import ChainData, Structure, r6

KIND_PRECEDENCE = ("broken_link", "extension", "missing", "weak")
"""The primary kind of a gap is the first of these that applies."""

WEIGHTS: Mapping[str, float] = {"demand": 0.5, "criticality": 0.3, "concentration": 0.2}
"""Weights of the severity components (they sum to 1)."""

PRESENCE_FACTOR: Mapping[str, float] = {"missing": 1.0, "weak": 0.6}
"""``g``: absent segments count fully, weak ones at 60%."""

DEMAND_FIRM_SHARE = 0.5
"""Within ``D``: weight of local firms; anchors have the rest."""

BETWEENNESS_SHARE = 0.5
"""Within ``C``: weight of betweenness; dominance has the rest."""

BOTTLENECK_AT = 0.5
"""A ``bottleneck`` reason is given when the scaled betweenness reaches this."""

LIST_IN_REASONS = 10
"""At most this many ids are listed in one reason."""

SOURCED, UNVERIFIED = Confidence.SOURCED.value, Confidence.UNVERIFIED.value

LINK_REASONS = {"broken_link": "feeds_strong_segment", "extension": "next_to_strong_segment"}
"""The reason each link-based kind rests on; ``kinds_unverified`` lists a kind whose reason is ``unverified``."""


def link_confidence(data: ChainData) -> dict[tuple[str, str], str]:
    """Map each SUPPLIES pair ``(source, target)`` to ``sourced`` or ``unverified``.

    A pair backed by several edges is ``sourced`` when any of them is. The gap reasons
    (:meth:`GapAssessor.reasons`) and :mod:`queries.impact` read it.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> from queries.segment_graph import chain_data
    >>> link_confidence(chain_data(MemoryStore(tiny_chain())))[("t-cell", "t-pack")]
    'sourced'
    """
    out: dict[tuple[str, str], str] = {}
    for e in data.supplies:
        pair = (e.source, e.target)
        if out.get(pair) != SOURCED:
            out[pair] = SOURCED if e.confidence is Confidence.SOURCED else UNVERIFIED
    return out


@dataclass(frozen=True)
class Gap:
    """One segment's gap: its kinds, severity, components, reasons and explanations."""

    segment_id: str
    cluster_id: str
    kind: str
    kinds: tuple[str, ...]
    status: str
    severity: float
    components: Mapping[str, Any]
    reasons: tuple[Mapping[str, Any], ...]
    explanation_zh: str
    explanation_en: str
    kinds_unverified: tuple[str, ...] = ()
    """The link-based kinds (``broken_link``, ``extension``) whose every strong neighbour is reached only
    through SUPPLIES links marked ``unverified``: the kind stands, but rests on links no source backs."""


def _en(seg: Segment) -> str:
    return seg.name_en or seg.name_zh


SEGMENT_UNVERIFIED_ZH = "该环节本身在数据中标为待核实（来源未直接载明此环节），缺口随之待核实。"
SEGMENT_UNVERIFIED_EN = " The segment itself is unverified in the data (no source names it directly); so is its gap."
"""The last sentence of a gap's explanation when its segment is ``unverified`` (``steel-raw-materials``: inferred
from a source on raw-material logistics costs), so that every list, report and view that prints the explanation
says so; :func:`queries.gaps.gap_item` also gives ``segment_confidence``."""


def local_base_zh(base: str) -> str:
    """The explanation's last sentence for a segment whose sources name a local base (``Segment.local_base``).

    >>> local_base_zh("湖塘色织面料基地")
    '但来源记有本地基地（湖塘色织面料基地），其企业尚未列入此环节：或为数据缺口，请先核实。'
    """
    return f"但来源记有本地基地（{base}），其企业尚未列入此环节：或为数据缺口，请先核实。"


def local_base_en(base: str) -> str:
    """:func:`local_base_zh` in English (the base named as the source words it)."""
    return (
        f" But a source names a local base ({base}) whose firms the data do not yet place here: possibly a gap in"
        " the data; check first."
    )


def _policy_label(policy: Policy, lang: str) -> str:
    name = policy.name_zh if lang == "zh" else (policy.name_en or policy.name_zh)
    if not policy.date:
        return name
    return f"{name}（{policy.date}）" if lang == "zh" else f"{name} ({policy.date})"


def named_by_policy_zh(named: Sequence[tuple[Policy, Edge]]) -> str:
    """The explanation's last sentence for a gap that a published plan names (its TARGETS_SEGMENT edge's note
    quoted), as :meth:`ChainData.named_by_policies` gives them.

    >>> from graph.model import Edge, EdgeKind, Policy
    >>> plan = Policy(id="p", name_zh="武进区工作方案", date="2023-10", sources=("s",))
    >>> edge = Edge(
    ...     kind=EdgeKind.TARGETS_SEGMENT, source="p", target="nev-recycling", sources=("s",), note="补齐回收环节"
    ... )
    >>> named_by_policy_zh([(plan, edge)])
    '已列入政策：武进区工作方案（2023-10）（“补齐回收环节”）。'
    """
    items = [_policy_label(p, "zh") + (f"（“{e.note}”）" if e.note else "") for p, e in named]
    return f"已列入政策：{'；'.join(items)}。"


def named_by_policy_en(named: Sequence[tuple[Policy, Edge]]) -> str:
    """:func:`named_by_policy_zh` in English: the plans only (their words are Chinese; the Chinese text quotes them)."""
    items = [_policy_label(p, "en") for p, _ in named]
    return f" Named by a published plan: {'; '.join(items)}."


def named_by_policy_reason(named: Sequence[tuple[Policy, Edge]]) -> dict[str, Any]:
    """The ``named_by_policy`` reason of a gap whose segment a published plan targets: it explains, it does
    not weigh (the severity is unchanged)."""
    sources = sorted({s for _, e in named for s in e.sources})
    unverified = [p.id for p, e in named if e.confidence is Confidence.UNVERIFIED]
    return {
        "code": "named_by_policy",
        "policy_ids": [p.id for p, _ in named],
        "sources": sources,
        "confidence": UNVERIFIED if len(unverified) == len(named) else "sourced",
        "zh": "政策点名：" + "；".join(_policy_label(p, "zh") + (f"：{e.note}" if e.note else "") for p, e in named),
        "en": "named by a published plan: " + "; ".join(_policy_label(p, "en") for p, _ in named),
    }


def local_base_reason(base: str) -> dict[str, Any]:
    """The ``local_base_noted`` reason of a gap whose segment's sources name a local base."""
    return {
        "code": "local_base_noted",
        "local_base": base,
        "zh": f"来源记有本地产业基地：{base}（数据尚未将其企业列入此环节）",
        "en": f"a source names a local base: {base} (the data place none of its firms in this segment yet)",
    }


LONE_ANCHOR_HONOURS = (
    ("单项冠军", "国家制造业单项冠军", "a national manufacturing single champion"),
    ("专精特新小巨人", "国家级专精特新“小巨人”", "a national specialised 'little giant'"),
)
"""The tags named when a weak segment's one local firm is its anchor, first found first (review 14a: 车灯's one
firm, 星宇, is a national champion and the segment's 链主, and its reason read like any lone firm's)."""


def _lone_anchor_honour(data: ChainData, firm_id: str) -> tuple[str, str]:
    """The national honour of a lone anchor firm, as ``(zh, en)``; empty strings when it has none.

    >>> from graph.fixtures import tiny_chain
    >>> from graph.memory_store import MemoryStore
    >>> from queries.segment_graph import chain_data
    >>> _lone_anchor_honour(chain_data(MemoryStore(tiny_chain())), "no-such-firm")
    ('', '')
    """
    firm = data.firms.get(firm_id)
    tags = set(getattr(firm, "tags", ()) or ())
    for tag, zh, en in LONE_ANCHOR_HONOURS:
        if tag in tags:
            return zh, en
    return "", ""


def _names(data: ChainData, ids: Sequence[str], lang: str, limit: int = 3) -> str:
    names = []
    for i in ids[:limit]:
        node = data.segments.get(i) or data.firms.get(i)
        if node is None:
            names.append(i)
        elif lang == "zh":
            names.append(node.name_zh)
        else:
            names.append(node.name_en or node.name_zh)
    more = len(ids) > limit
    if lang == "zh":
        return "、".join(names) + ("等" if more else "")
    return ", ".join(names) + (" and others" if more else "")


ANCHOR_SCOPE_ZH = "链主企业，可属其他集群"
ANCHOR_SCOPE_EN = ("an anchor firm of some cluster", "anchor firms of some cluster")
"""How the downstream-demand wording names its anchors: ``A`` counts the anchor firms of every
cluster downstream (``docs/analysis.md``, severity ``D``), so it can exceed the gap's own cluster's."""


def _demand_zh(firms: int, anchors: int) -> str:
    """E.g. '6家本地企业（含2家链主企业，可属其他集群）'."""
    return f"{firms}家本地企业" + (f"（含{anchors}家{ANCHOR_SCOPE_ZH}）" if anchors else "")


def _unverified_demand_zh(firms: int, unverified_only: int) -> str:
    """How many downstream firms are reached only through unverified supply links (or nothing when none).

    >>> _unverified_demand_zh(13, 13), _unverified_demand_zh(27, 18), _unverified_demand_zh(5, 0)
    ('（均仅经待核实的供应关系）', '（其中18家仅经待核实的供应关系）', '')
    """
    if not unverified_only:
        return ""
    if unverified_only == firms:
        return "（均仅经待核实的供应关系）"
    return f"（其中{unverified_only}家仅经待核实的供应关系）"


def _unverified_demand_en(firms: int, unverified_only: int) -> str:
    """The English of :func:`_unverified_demand_zh`.

    >>> _unverified_demand_en(13, 13), _unverified_demand_en(1, 1)
    (' (all only through unverified supply links)', ' (only through unverified supply links)')
    >>> _unverified_demand_en(27, 18)
    ' (18 of them only through unverified supply links)'
    """
    if not unverified_only:
        return ""
    if unverified_only == firms:
        return f" ({'' if firms == 1 else 'all '}only through unverified supply links)"
    return f" ({unverified_only} of them only through unverified supply links)"


def _demand_en(firms: int, anchors: int) -> str:
    """E.g. '6 local firms, 2 of them anchor firms of some cluster, depend on it downstream'."""
    if firms == 1:
        return "1 local firm" + (f", {ANCHOR_SCOPE_EN[0]}," if anchors else "") + " depends on it downstream"
    return (
        f"{firms} local firms"
        + (f", {anchors} of them {ANCHOR_SCOPE_EN[1]}," if anchors else "")
        + " depend on it downstream"
    )


def unverified_note(data: ChainData, ids: Sequence[str], unverified: Sequence[str], lang: str) -> str:
    """How a link-based text marks the neighbours in ``ids`` reached only through unverified supply links.

    Empty when there are none; when some are sourced, the note names the unverified ones.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> from queries.segment_graph import chain_data
    >>> data = chain_data(MemoryStore(tiny_chain()))
    >>> unverified_note(data, ["t-cell"], ["t-cell"], "zh"), unverified_note(data, ["t-cell"], ["t-cell"], "en")
    ('（供应关系待核实）', ' (supply link unverified)')
    >>> unverified_note(data, ["t-cell", "t-anode"], ["t-anode"], "zh")
    '（其中负极材料的供应关系待核实）'
    >>> unverified_note(data, ["t-cell", "t-anode"], ["t-anode"], "en"), unverified_note(data, ["t-cell"], [], "en")
    (' (the supply link with Anode unverified)', '')
    """
    if not unverified:
        return ""
    if len(unverified) == len(ids):
        if lang == "zh":
            return "（供应关系待核实）"
        return " (supply link unverified)" if len(ids) == 1 else " (supply links unverified)"
    if lang == "zh":
        return f"（其中{_names(data, unverified, 'zh')}的供应关系待核实）"
    links = "link" if len(unverified) == 1 else "links"
    return f" (the supply {links} with {_names(data, unverified, 'en')} unverified)"


def _anchors_elsewhere_note(data: ChainData, firm_ids: Sequence[str]) -> tuple[str, str]:
    """E.g. ('甲是本集群链主，但在本环节为一般参与', 'A is an anchor firm of this cluster, but only a member here')."""
    if not firm_ids:
        return "", ""
    one = len(firm_ids) == 1
    return (
        f"{_names(data, firm_ids, 'zh')}是本集群链主，但在本环节为一般参与",
        f"{_names(data, firm_ids, 'en')} {'is an anchor firm' if one else 'are anchor firms'} of this cluster, "
        f"but only {'a member' if one else 'members'} in this segment",
    )


def _ratio(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


class GapAssessor:
    """Assess every segment of one snapshot; per-cluster totals are computed once.

    Parameters
    ----------
    data : ChainData
    st : Structure
    presence : mapping of segment id → SegmentPresence
    anchors : frozenset of str
        The local anchor firms (:func:`queries.presence.anchor_firms`).
    """

    def __init__(
        self,
        data: ChainData,
        st: Structure,
        presence: Mapping[str, SegmentPresence],
        anchors: frozenset[str],
    ) -> None:
        self.data, self.st, self.presence, self.anchors = data, st, presence, anchors
        self._cluster_local: dict[str, frozenset[str]] = {}
        self._cluster_max: dict[str, tuple[float, int]] = {}
        self._cluster_anchors: dict[str, frozenset[str]] = {}
        self._links: dict[tuple[str, str], str] | None = None
        self._sourced_graph: nx.DiGraph | None = None

    def links(self) -> Mapping[tuple[str, str], str]:
        """Each SUPPLIES pair's confidence (:func:`link_confidence`), computed on first use."""
        if self._links is None:
            self._links = link_confidence(self.data)
        return self._links

    def sourced_descendants(self, sid: str) -> set[str]:
        """The segments downstream of ``sid`` along sourced SUPPLIES links only (:func:`link_confidence`)."""
        if self._sourced_graph is None:
            links = self.links()
            graph = nx.DiGraph()
            graph.add_nodes_from(self.st.graph.nodes)
            graph.add_edges_from(pair for pair in self.st.graph.edges if links.get(pair) == SOURCED)
            self._sourced_graph = graph
        return nx.descendants(self._sourced_graph, sid) if sid in self._sourced_graph else set()

    def neighbour_confidence(self, sid: str, up: Sequence[str], down: Sequence[str]) -> dict[str, str]:
        """``sourced`` or ``unverified`` for each neighbour of ``sid``: sourced when a sourced link joins them.

        ``up`` supply ``sid`` and ``down`` are supplied by it; one in both counts its links both ways.
        """
        links = self.links()
        out: dict[str, str] = {}
        for n, pair in [*((u, (u, sid)) for u in up), *((d, (sid, d)) for d in down)]:
            if out.get(n) != SOURCED:
                out[n] = links.get(pair, UNVERIFIED)
        return out

    def link_backing(self, sid: str, up: Sequence[str], down: Sequence[str]) -> dict[str, Any]:
        """``confidence`` and ``unverified_ids`` of a reason naming the strong neighbours ``up`` and ``down``.

        ``sourced`` when at least one is joined to ``sid`` by a sourced SUPPLIES link, else ``unverified``;
        ``unverified_ids`` are those joined to it only by unverified links (``up`` first).
        """
        conf = self.neighbour_confidence(sid, up, down)
        return {
            "confidence": SOURCED if SOURCED in conf.values() else UNVERIFIED,
            "unverified_ids": [n for n, c in conf.items() if c == UNVERIFIED],
        }

    def anchors_elsewhere(self, sid: str) -> list[str]:
        """The local firms of segment ``sid`` that anchor its cluster in another segment (or by the 链主 tag)."""
        anchored = self.cluster_anchors(self.data.segment_cluster[sid])
        return sorted(f for f in self.presence[sid].local if f in anchored)

    def cluster_anchors(self, cluster_id: str) -> frozenset[str]:
        """The cluster's anchor firms, as :func:`queries.firms.anchor_ids` counts them.

        Local firms with the ``anchor`` role in one of its segments, plus the local firms tagged 链主
        without that role anywhere that operate in it.
        """
        if cluster_id not in self._cluster_anchors:
            by_role = {f for sid in self.data.cluster_segments(cluster_id) for f in self.presence[sid].anchors}
            by_tag_only = self.anchors - self.data.anchor_role_firms
            self._cluster_anchors[cluster_id] = frozenset(by_role | (by_tag_only & self.cluster_local(cluster_id)))
        return self._cluster_anchors[cluster_id]

    def cluster_local(self, cluster_id: str) -> frozenset[str]:
        """Local firms in any segment of the cluster."""
        if cluster_id not in self._cluster_local:
            found: set[str] = set()
            for sid in self.data.cluster_segments(cluster_id):
                found.update(self.presence[sid].local)
            self._cluster_local[cluster_id] = frozenset(found)
        return self._cluster_local[cluster_id]

    def cluster_max(self, cluster_id: str) -> tuple[float, int]:
        """The largest betweenness and dominated count in the cluster."""
        if cluster_id not in self._cluster_max:
            ids = self.data.cluster_segments(cluster_id)
            self._cluster_max[cluster_id] = (
                max((self.st.betweenness.get(s, 0.0) for s in ids), default=0.0),
                max((len(self.st.dominated.get(s, ())) for s in ids), default=0),
            )
        return self._cluster_max[cluster_id]

    # -- components ------------------------------------------------------------------

    def demand(self, sid: str) -> dict[str, Any]:
        """``D`` and its parts for segment ``sid``."""
        down: set[str] = set()
        for t in self.st.descendants.get(sid, ()):
            down.update(self.presence[t].local)
        scope = down | self.cluster_local(self.data.segment_cluster[sid])
        anchors_down = down & self.anchors
        anchors_scope = scope & self.anchors
        value = DEMAND_FIRM_SHARE * _ratio(len(down), len(scope)) + (1 - DEMAND_FIRM_SHARE) * _ratio(
            len(anchors_down), len(anchors_scope)
        )
        sourced_down: set[str] = set()
        if down:
            for t in self.sourced_descendants(sid):
                sourced_down.update(self.presence[t].local)
        return {
            "demand": value,
            "downstream_segments": len(self.st.descendants.get(sid, ())),
            "downstream_local_firms": len(down),
            "downstream_local_firms_unverified_only": len(down - sourced_down),
            "downstream_anchors": len(anchors_down),
            "scope_local_firms": len(scope),
            "scope_anchors": len(anchors_scope),
            "_anchor_ids": sorted(anchors_down),
        }

    def criticality(self, sid: str) -> dict[str, Any]:
        """``C`` and its parts for segment ``sid``."""
        max_b, max_d = self.cluster_max(self.data.segment_cluster[sid])
        b = self.st.betweenness.get(sid, 0.0)
        dominated = self.st.dominated.get(sid, frozenset())
        b_scaled = b / max_b if max_b > 0 else 0.0
        d_scaled = len(dominated) / max_d if max_d > 0 else 0.0
        return {
            "criticality": BETWEENNESS_SHARE * b_scaled + (1 - BETWEENNESS_SHARE) * d_scaled,
            "betweenness": b,
            "betweenness_scaled": b_scaled,
            "dominated_segments": len(dominated),
            "dominance_scaled": d_scaled,
            "articulation_point": sid in self.st.articulation,
            "_dominated_ids": sorted(dominated),
        }

    # -- kinds -------------------------------------------------------------------------

    def kinds(self, sid: str) -> tuple[list[str], list[str], list[str]]:
        """Return ``(kinds, strong_downstream, strong_upstream)`` of segment ``sid``."""
        status = self.presence[sid].status
        if status == "weak":
            return ["weak"], [], []
        if status != "missing":
            return [], [], []
        graph = self.st.graph
        strong_down = sorted(t for t in graph.successors(sid) if self.presence[t].status == "strong")
        strong_up = sorted(s for s in graph.predecessors(sid) if self.presence[s].status == "strong")
        kinds = ["missing"]
        if strong_down:
            kinds.append("broken_link")
        if strong_down or strong_up:
            kinds.append("extension")
        return kinds, strong_down, strong_up

    # -- the gap -------------------------------------------------------------------------

    def assess(self, sid: str) -> Gap | None:
        """Return the :class:`Gap` of segment ``sid``, or ``None`` when it is not a gap."""
        kinds, strong_down, strong_up = self.kinds(sid)
        if not kinds:
            return None
        pres = self.presence[sid]
        kind = next(k for k in KIND_PRECEDENCE if k in kinds)
        # a parent stands for its parts: it is needed wherever any of them is needed, so D and C are
        # the largest of its own and its sub-segments', and say which segment they come from
        parts = [sid, *sorted(self.data.subtree.get(sid, frozenset({sid})) - {sid})]
        demand_from, dem = max(((p, self.demand(p)) for p in parts), key=lambda pd: pd[1]["demand"])  # ties: own
        criticality_from, crit = max(((p, self.criticality(p)) for p in parts), key=lambda pc: pc[1]["criticality"])
        dem["demand_from"], crit["criticality_from"] = demand_from, criticality_from
        factor = PRESENCE_FACTOR[pres.status]
        raw = (
            WEIGHTS["demand"] * dem["demand"]
            + WEIGHTS["criticality"] * crit["criticality"]
            + WEIGHTS["concentration"] * pres.hhi
        )
        severity = r6(factor * raw)
        anchor_ids = dem.pop("_anchor_ids")
        dominated_ids = crit.pop("_dominated_ids")
        components: dict[str, Any] = {key: (r6(v) if isinstance(v, float) else v) for key, v in {**dem, **crit}.items()}
        components.update(
            {
                "concentration": r6(pres.hhi),
                "local_firms": pres.local_count,
                "local_groups": pres.group_count,
                "outside_firms": len(pres.outside),
                "presence_factor": factor,
                "weighted": {
                    "demand": r6(factor * WEIGHTS["demand"] * dem["demand"]),
                    "criticality": r6(factor * WEIGHTS["criticality"] * crit["criticality"]),
                    "concentration": r6(factor * WEIGHTS["concentration"] * pres.hhi),
                },
            }
        )
        reasons = self.reasons(sid, kinds, strong_down, strong_up, components, anchor_ids, dominated_ids)
        unverified_codes = {r["code"] for r in reasons if r.get("confidence") == UNVERIFIED}
        kinds_unverified = tuple(k for k in KINDS if LINK_REASONS.get(k) in unverified_codes)
        zh, en = self.explain(sid, kind, strong_down, strong_up, components, kinds_unverified)
        seg = self.data.segments[sid]
        if seg.confidence is Confidence.UNVERIFIED:  # review 14a: an inferred segment's gap
            zh, en = zh + SEGMENT_UNVERIFIED_ZH, en + SEGMENT_UNVERIFIED_EN
        if seg.local_base:  # review 14a: a source names a local base the data place no firm of here
            reasons.append(local_base_reason(seg.local_base))
            zh, en = zh + local_base_zh(seg.local_base), en + local_base_en(seg.local_base)
        named = self.data.named_by_policies(sid)
        if named:  # review 15a: a gap a published plan names says so (its severity is unchanged)
            reasons.append(named_by_policy_reason(named))
            zh, en = zh + named_by_policy_zh(named), en + named_by_policy_en(named)
        return Gap(
            segment_id=sid,
            cluster_id=self.data.segment_cluster[sid],
            kind=kind,
            kinds=tuple(k for k in KINDS if k in kinds),
            status=pres.status,
            severity=severity,
            components=components,
            reasons=tuple(reasons),
            explanation_zh=zh,
            explanation_en=en,
            kinds_unverified=kinds_unverified,
        )

    def reasons(
        self,
        sid: str,
        kinds: list[str],
        strong_down: list[str],
        strong_up: list[str],
        comp: Mapping[str, Any],
        anchor_ids: list[str],
        dominated_ids: list[str],
    ) -> list[dict[str, Any]]:
        """Machine-readable reasons, each with a ``code`` and a short ``zh`` and ``en`` text."""
        data, pres = self.data, self.presence[sid]
        out: list[dict[str, Any]] = []
        if "missing" in kinds:
            out.append({"code": "no_local_firm", "zh": "数据中暂无常州本地企业", "en": "no local firm in the data"})
        if "broken_link" in kinds:
            backing = self.link_backing(sid, [], strong_down)
            out.append(
                {
                    "code": "feeds_strong_segment",
                    "segment_ids": strong_down,
                    **backing,
                    "zh": f"供给本地强环节：{_names(data, strong_down, 'zh')}"
                    + unverified_note(data, strong_down, backing["unverified_ids"], "zh"),
                    "en": f"feeds the strong local segment(s) {_names(data, strong_down, 'en')}"
                    + unverified_note(data, strong_down, backing["unverified_ids"], "en"),
                }
            )
        if "extension" in kinds:
            near = strong_up + [s for s in strong_down if s not in strong_up]
            backing = self.link_backing(sid, strong_up, strong_down)
            out.append(
                {
                    "code": "next_to_strong_segment",
                    "upstream_ids": strong_up,
                    "downstream_ids": strong_down,
                    **backing,
                    "zh": f"紧邻本地强环节：{_names(data, near, 'zh')}"
                    + unverified_note(data, near, backing["unverified_ids"], "zh"),
                    "en": f"next to the strong local segment(s) {_names(data, near, 'en')}"
                    + unverified_note(data, near, backing["unverified_ids"], "en"),
                }
            )
        if "weak" in kinds:
            firms = sorted(pres.local)
            n = len(firms)
            text = {
                "single_local_firm": ("仅有1家本地企业", "only one local firm"),
                "single_corporate_group": ("本地企业同属一个集团", "all local firms belong to one corporate group"),
                "members_only": (
                    f"本环节本地仅有{n}家一般参与企业（无链主或骨干企业在本环节）",
                    f"only {n} local firm(s) in member roles here, no anchor or major firm in this segment",
                ),
            }[pres.weak_reason]
            reason: dict[str, Any] = {"code": pres.weak_reason, "firm_ids": firms[:LIST_IN_REASONS]}
            note_zh = note_en = ""
            if pres.weak_reason == "single_corporate_group":
                reason["group_id"] = next(iter(pres.groups))
            if pres.weak_reason == "single_local_firm" and pres.anchors:  # strong firm, still one firm
                reason["lone_anchor"] = True
                honour_zh, honour_en = _lone_anchor_honour(data, firms[0])
                note_zh = f"（本环节链主{'，' + honour_zh if honour_zh else ''}）"
                note_en = f" (the segment's anchor{', ' + honour_en if honour_en else ''})"
            if pres.weak_reason == "members_only":
                anchored = self.anchors_elsewhere(sid)
                reason["cluster_anchor_ids"] = anchored[:LIST_IN_REASONS]
                if anchored:
                    said_zh, said_en = _anchors_elsewhere_note(data, anchored)
                    note_zh, note_en = f"（其中{said_zh}）", f" ({said_en})"
            reason.update(
                {
                    "zh": f"{text[0]}：{_names(data, firms, 'zh')}{note_zh}",
                    "en": f"{text[1]}: {_names(data, firms, 'en')}{note_en}",
                }
            )
            out.append(reason)
        if comp["downstream_local_firms"]:
            n_down, n_anchor = comp["downstream_local_firms"], comp["downstream_anchors"]
            n_unsure = comp.get("downstream_local_firms_unverified_only", 0)
            out.append(
                {
                    "code": "downstream_demand",
                    "local_firms": n_down,
                    "anchors": n_anchor,
                    "local_firms_unverified_only": n_unsure,
                    "anchor_ids": anchor_ids[:LIST_IN_REASONS],
                    "zh": f"下游{_demand_zh(n_down, n_anchor)}依赖该环节{_unverified_demand_zh(n_down, n_unsure)}",
                    "en": _demand_en(n_down, n_anchor) + _unverified_demand_en(n_down, n_unsure),
                }
            )
        if dominated_ids:
            out.append(
                {
                    "code": "single_path_dependence",
                    "segment_ids": dominated_ids[:LIST_IN_REASONS],
                    "count": len(dominated_ids),
                    "zh": f"{len(dominated_ids)}个下游环节的全部供应路径都经过该环节",
                    "en": f"every supply path to {len(dominated_ids)} downstream segment(s) passes through it",
                }
            )
        if comp["betweenness"] > 0 and comp["betweenness_scaled"] >= BOTTLENECK_AT:
            out.append(
                {
                    "code": "bottleneck",
                    "betweenness": comp["betweenness"],
                    "betweenness_scaled": comp["betweenness_scaled"],
                    "zh": "处于产业链关键中介位置（有向介数中心性高）",
                    "en": "a bottleneck of the chain (high directed betweenness)",
                }
            )
        if comp["articulation_point"]:
            out.append(
                {
                    "code": "articulation_point",
                    "zh": "移除该环节会使产业链图断开",
                    "en": "removing it disconnects the chain graph",
                }
            )
        if pres.outside:
            outside = sorted(pres.outside)
            out.append(
                {
                    "code": "outside_supply",
                    "firm_ids": outside[:LIST_IN_REASONS],
                    "count": len(outside),
                    "zh": f"已知外地企业{len(outside)}家可供招引",
                    "en": f"{len(outside)} known outside firm(s) to attract",
                }
            )
        return out

    def explain(
        self,
        sid: str,
        kind: str,
        strong_down: list[str],
        strong_up: list[str],
        comp: Mapping[str, Any],
        kinds_unverified: Sequence[str] = (),
    ) -> tuple[str, str]:
        """One-line explanations in Chinese and English.

        A link-based ``kind`` in ``kinds_unverified`` rests only on unverified supply links: its label
        says so (``（断链，待核实）`` / ``(broken link, unverified)``), and the text opens with the
        sourced fact, the missing segment (``（缺链）``) and its downstream demand.
        """
        data, pres = self.data, self.presence[sid]
        seg = data.segments[sid]
        name_zh, name_en = seg.name_zh, _en(seg)
        n_down, n_anchor = comp["downstream_local_firms"], comp["downstream_anchors"]
        n_unsure = comp.get("downstream_local_firms_unverified_only", 0)
        missing_zh = f"{name_zh}：数据中暂无常州本地企业（缺链）"
        missing_en = f"{name_en}: no local firm in the data (missing link)"
        if n_down:
            missing_zh += f"，下游{_demand_zh(n_down, n_anchor)}依赖该环节{_unverified_demand_zh(n_down, n_unsure)}"
            missing_en += f"; {_demand_en(n_down, n_anchor)}{_unverified_demand_en(n_down, n_unsure)}"
        if kind in LINK_REASONS:
            unsure = kind in kinds_unverified
            label_zh = f"（{KIND_NAMES_ZH[kind]}{'，待核实' if unsure else ''}）"
            label_en = f"({KIND_NAMES_EN[kind].lower()}{', unverified' if unsure else ''})"
            if kind == "broken_link":
                backing = self.link_backing(sid, [], strong_down)
                near = strong_down
                said_zh = f"供给本地强环节{_names(data, near, 'zh')}"
                said_en = f"feeds the strong local segment(s) {_names(data, near, 'en')}"
                then_zh, then_en = f"，链条依赖外部供应{label_zh}", f"; the chain relies on outside supply {label_en}"
            else:
                side_zh, side_en = ("下游", "downstream") if strong_up else ("上游", "upstream")
                near = strong_up or strong_down
                backing = self.link_backing(sid, strong_up, []) if strong_up else self.link_backing(sid, [], near)
                said_zh = f"位于本地强环节{_names(data, near, 'zh')}"
                said_en = f"{side_en} of the strong local segment(s) {_names(data, near, 'en')}"
                then_zh, then_en = f"的{side_zh}，可延伸产业链{label_zh}", f"; a chance to extend the chain {label_en}"
            said_zh += unverified_note(data, near, backing["unverified_ids"], "zh") + then_zh
            said_en += unverified_note(data, near, backing["unverified_ids"], "en") + then_en
            if unsure:  # the sourced fact first: the segment is missing, and who depends on it
                also_zh = "另" if kind == "broken_link" else ""
                also_en = "it also " if kind == "broken_link" else ""
                return f"{missing_zh}；{also_zh}{said_zh}。", f"{missing_en}; {also_en}{said_en}."
            yet_zh = "却" if kind == "broken_link" else ""
            yet_en = "yet it " if kind == "broken_link" else ""
            return (
                f"{name_zh}：数据中暂无常州本地企业，{yet_zh}{said_zh}。",
                f"{name_en}: no local firm in the data, {yet_en}{said_en}.",
            )
        if kind == "missing":
            return missing_zh + "。", missing_en + "."
        firms = sorted(pres.local)
        if pres.weak_reason == "single_local_firm" and pres.anchors:
            honour_zh, honour_en = _lone_anchor_honour(data, firms[0])
            honour_zh, honour_en = (f"（{honour_zh}）", f", {honour_en}") if honour_zh else ("", "")
            return (
                f"{name_zh}：仅有1家本地企业（{_names(data, firms, 'zh')}），为本环节链主{honour_zh}："
                "实力强但仅此一家，存在单点风险（弱链）；外地候选多为其同业。",
                f"{name_en}: only one local firm ({_names(data, firms, 'en')}), the segment's anchor{honour_en}: "
                "strong but alone, a single point of failure (weak link); the outside candidates are mostly its peers.",
            )
        if pres.weak_reason == "single_local_firm":
            return (
                f"{name_zh}：仅有1家本地企业（{_names(data, firms, 'zh')}），存在单点风险（弱链）。",
                f"{name_en}: only one local firm ({_names(data, firms, 'en')}), a single point of failure (weak link).",
            )
        if pres.weak_reason == "single_corporate_group":
            group = next(iter(pres.groups))
            return (
                f"{name_zh}：本地{len(firms)}家企业同属{_names(data, [group], 'zh')}集团，存在单点风险（弱链）。",
                f"{name_en}: all {len(firms)} local firms belong to the {_names(data, [group], 'en')} group, "
                "a single point of failure (weak link).",
            )
        said_zh, said_en = _anchors_elsewhere_note(data, self.anchors_elsewhere(sid))
        return (
            f"{name_zh}：本环节本地仅有{len(firms)}家一般参与企业（无链主或骨干企业在本环节），属弱链"
            + (f"；其中{said_zh}" if said_zh else "")
            + "。",
            f"{name_en}: only {len(firms)} local firm(s) in member roles here, no anchor or major firm in this "
            "segment (weak link)" + (f"; {said_en}" if said_en else "") + ".",
        )
