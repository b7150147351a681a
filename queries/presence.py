"""Local presence in each segment and its status: missing, weak, present or strong.

A segment's local firms are the Changzhou firms (``is_local``) operating in it
or in any of its sub-segments (``parent_id``, transitively); each firm counts
once, with its best role there (anchor > major > member). Firms are grouped by
corporate group (the top of their SUBSIDIARY_OF chain): a parent and its
subsidiary are one point of failure.

Status (precedence top-down; ``docs/analysis.md`` §2):

- **missing** (缺链): no local firm;
- **weak** (弱链): one local corporate group only, or only ``member`` roles
  (no anchor or major firm);
- **strong** (强链): at least two corporate groups and a role weight
  ``W = 3·anchors + 2·majors + 1·members ≥ 5``;
- **present**: anything else (e.g. one major and one member firm).

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> from queries.segment_graph import chain_data
>>> p = compute_presence(chain_data(MemoryStore(tiny_chain())))
>>> {s: p[s].status for s in ("t-lithium", "t-cathode", "t-anode", "t-cell", "t-vehicle")}
{'t-lithium': 'missing', 't-cathode': 'weak', 't-anode': 'present', 't-cell': 'strong', 't-vehicle': 'weak'}
>>> p["t-cell"].role_weight, p["t-cell"].group_count, p["t-cell"].hhi
(6, 2, 0.722222)
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from graph.model import Role
from queries.segment_graph import ROLE_RANK, ChainData, r6

ROLE_WEIGHT: Mapping[Role, int] = {Role.ANCHOR: 3, Role.MAJOR: 2, Role.MEMBER: 1}
"""Weight of a firm's role in a segment, for strength and concentration."""

_WEIGHT_OF_VALUE = {role.value: weight for role, weight in ROLE_WEIGHT.items()}
_RANK_OF_VALUE = {role.value: rank for role, rank in ROLE_RANK.items()}
"""Keyed by the role's value: hashing an enum member runs Python code, and these maps see every firm of a segment."""
"""``ROLE_WEIGHT`` keyed by the role's string: hashing an enum member runs Python code, a string's hash is cached."""

STRONG_MIN_WEIGHT = 5
"""A segment is strong with at least two corporate groups and a role weight of at least this."""

ANCHOR_TAG = "链主"

STATUSES = ("missing", "weak", "present", "strong")
STATUS_NAMES_ZH = {"strong": "强链", "present": "一般", "weak": "弱链", "missing": "缺链"}
"""Each status in Chinese, as the views, reports and what-if notes word it."""


@dataclass(frozen=True)
class SegmentPresence:
    """Local and outside presence in one segment (sub-segments included).

    Attributes
    ----------
    segment_id : str
    local : mapping of firm id → best role
        Local firms operating in the segment or its sub-segments.
    direct_local : frozenset of str
        Local firms operating in the segment itself.
    outside : mapping of firm id → best role
        Outside firms operating in the segment or its sub-segments.
    groups : mapping of group id → tuple of firm ids
        The local firms by corporate group.
    status : str
        ``missing``, ``weak``, ``present`` or ``strong``.
    weak_reason : str
        ``single_local_firm``, ``single_corporate_group`` or ``members_only`` when weak.
    role_weight : int
        ``W = Σ ROLE_WEIGHT[role]`` over local firms.
    hhi : float
        Herfindahl index of local corporate groups, shares by role weight; 1 when missing.
    """

    segment_id: str
    local: Mapping[str, Role]
    direct_local: frozenset[str]
    outside: Mapping[str, Role]
    groups: Mapping[str, tuple[str, ...]]
    status: str
    weak_reason: str
    role_weight: int
    hhi: float

    @property
    def local_count(self) -> int:
        return len(self.local)

    @property
    def group_count(self) -> int:
        return len(self.groups)

    @property
    def anchors(self) -> list[str]:
        """Local firms with the anchor role here, sorted by id."""
        return sorted(f for f, role in self.local.items() if role is Role.ANCHOR)

    @property
    def is_present(self) -> bool:
        return bool(self.local)


def _best_roles(data: ChainData, segment_ids: frozenset[str]) -> Mapping[str, Role]:
    if len(segment_ids) == 1:
        return data.operates_by_segment.get(next(iter(segment_ids)), {})
    best: dict[str, Role] = {}
    rank = _RANK_OF_VALUE
    for sid in segment_ids:
        roles = data.operates_by_segment.get(sid)
        if not roles:
            continue
        if not best:
            best.update(roles)
            continue
        for fid, role in roles.items():
            held = best.get(fid)
            if held is None or rank[role._value_] < rank[held._value_]:
                best[fid] = role
    return best


def herfindahl(weights: Mapping[str, float]) -> float:
    """HHI = Σ sᵢ², sᵢ = xᵢ / Σ x (EconGeo ``Herfindahl.r``); 1.0 for nothing (all supply is outside).

    >>> herfindahl({"a": 5, "b": 1})
    0.722222
    >>> herfindahl({})
    1.0
    """
    total = float(sum(weights.values()))
    if total <= 0:
        return 1.0
    return r6(sum((w / total) ** 2 for w in weights.values()))


def classify(local: Mapping[str, Role], groups: Mapping[str, tuple[str, ...]]) -> tuple[str, str]:
    """Return ``(status, weak_reason)`` for local firms and their corporate groups.

    >>> classify({}, {})
    ('missing', '')
    >>> classify({"a": Role.ANCHOR}, {"a": ("a",)})
    ('weak', 'single_local_firm')
    >>> classify({"a": Role.MEMBER, "b": Role.MEMBER}, {"a": ("a",), "b": ("b",)})
    ('weak', 'members_only')
    >>> classify({"a": Role.ANCHOR, "b": Role.MAJOR}, {"a": ("a",), "b": ("b",)})
    ('strong', '')
    >>> classify({"a": Role.MAJOR, "b": Role.MEMBER}, {"a": ("a",), "b": ("b",)})
    ('present', '')
    """
    if not local:
        return "missing", ""
    if len(local) == 1:
        return "weak", "single_local_firm"
    if len(groups) == 1:
        return "weak", "single_corporate_group"
    if all(role is Role.MEMBER for role in local.values()):
        return "weak", "members_only"
    weight = sum(_WEIGHT_OF_VALUE[role._value_] for role in local.values())
    if weight >= STRONG_MIN_WEIGHT:
        return "strong", ""
    return "present", ""


def segment_presence(data: ChainData, segment_id: str) -> SegmentPresence:
    """Compute the :class:`SegmentPresence` of one segment."""
    subtree = data.subtree.get(segment_id, frozenset({segment_id}))
    roles = _best_roles(data, subtree)
    local_ids = data.local_firms
    parents = data.parent_firm
    ordered = sorted(roles)
    local = {fid: roles[fid] for fid in ordered if fid in local_ids}
    outside = {fid: roles[fid] for fid in ordered if fid not in local_ids}
    grouped: dict[str, list[str]] = {}
    group_weight: dict[str, int] = {}
    for fid, role in local.items():
        group = data.group(fid) if fid in parents else fid  # a firm without a parent is its own group
        grouped.setdefault(group, []).append(fid)
        group_weight[group] = group_weight.get(group, 0) + _WEIGHT_OF_VALUE[role._value_]
    groups = {g: tuple(ids) for g, ids in sorted(grouped.items())}
    status, weak_reason = classify(local, groups)
    if len(subtree) == 1:  # no sub-segments: the local firms are the direct ones
        direct = frozenset(local)
    else:
        direct = frozenset(f for f in data.operates_by_segment.get(segment_id, {}) if f in local_ids)
    return SegmentPresence(
        segment_id=segment_id,
        local=local,
        direct_local=direct,
        outside=outside,
        groups=groups,
        status=status,
        weak_reason=weak_reason,
        role_weight=sum(group_weight.values()),
        hhi=herfindahl({g: float(group_weight[g]) for g in groups}),
    )


def compute_presence(data: ChainData) -> dict[str, SegmentPresence]:
    """Compute the presence of every segment, keyed by segment id (sorted)."""
    return {sid: segment_presence(data, sid) for sid in sorted(data.segments)}


def anchor_firms(data: ChainData) -> frozenset[str]:
    """Local firms that are anchors: the ``anchor`` role in some segment, or the tag 链主."""
    by_role = data.anchor_role_firms
    return frozenset(fid for fid in data.local_firms if fid in by_role or ANCHOR_TAG in data.firms[fid].tags)
