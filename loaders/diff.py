"""Merge an imported node or edge into the one the graph holds, and summarise what would change.

Merging rules, field by field:

* lists (``sources``, ``aliases``, ``tags``) are united, old items first;
* a cluster's designations (by title), listings (by year) and figures (by year,
  metric and period) are united; the same key with other content is a conflict;
* ``confidence`` is a field like the others when the imported row gives it: another
  value is a conflict; a blank ``confidence`` cell keeps the stored value (the
  ``sourced`` a blank cell defaults to is no claim, so it never upgrades ``unverified``);
* an empty imported value keeps the old one; an empty old value takes the new one;
* two different non-empty values are a **conflict**; what happens then is the
  ``policy``: ``fail`` (report it and apply nothing, the default), ``overwrite``
  (the import wins) or ``keep`` (the graph wins);
* a firm matched by name keeps its name; the imported name, when it differs,
  becomes an alias (so the next import matches it exactly).

Each imported item is then *added*, *updated*, *unchanged* or *conflicting*;
:class:`Diff` collects them and renders the dry-run summary
``{"nodes": {"added", "updated", "unchanged", "conflicting"}, "edges": {...}, "errors": [...]}``.

Examples
--------
>>> from graph.model import District
>>> old = District(id="wj", name_zh="武进区", sources=("s1",))
>>> new = District(id="wj", name_zh="武进区", name_en="Wujin", sources=("s2",))
>>> merged = merge_item(old, new)
>>> merged.value.name_en, merged.value.sources, sorted(merged.changes), merged.conflicts
('Wujin', ('s1', 's2'), ['name_en', 'sources'], {})
>>> merge_item(old, District(id="wj", name_zh="武进", sources=("s1",))).conflicts
{'name_zh': ('武进区', '武进')}
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal

from pydantic import BaseModel

from graph.model import Confidence, Edge, Figure, Firm, Listing, Node
from loaders.resolve import loose_key, strict_key

Policy = Literal["fail", "overwrite", "keep"]
POLICIES: tuple[Policy, ...] = ("fail", "overwrite", "keep")
STATUSES = ("added", "updated", "unchanged", "conflicting")

_UNION = frozenset({"sources", "aliases", "tags"})
_ALWAYS_COMPARED = frozenset({"is_local", "role"})
_KEYS: dict[str, Callable[[Any], object]] = {
    "designation_items": lambda item: item.name_zh,
    "listings": lambda item: item.list_year,
    "figures": lambda item: (item.year, item.metric, item.period),
    "instruments": lambda item: (item.kind.value, item.tier_id, item.description_zh),
}

Item = Node | Edge


@dataclass
class Merged:
    """The result of merging one item.

    Attributes
    ----------
    value : Node or Edge
        The merged item, as it would be stored.
    changes : dict
        ``field -> (old, new)`` for every field whose stored value changes.
    conflicts : dict
        ``field -> (old, imported)`` for every disagreement, whatever the policy did.
    """

    value: Item
    changes: dict[str, tuple[object, object]] = field(default_factory=dict)
    conflicts: dict[str, tuple[object, object]] = field(default_factory=dict)

    @property
    def status(self) -> str:
        if self.conflicts:
            return "conflicting"
        return "updated" if self.changes else "unchanged"


def _given(model: type[BaseModel], name: str, value: object) -> bool:
    info = model.model_fields[name]
    if info.is_required() or name in _ALWAYS_COMPARED:
        return value is not None
    return bool(value != info.get_default(call_default_factory=True))


def _key_of(name: str, item: object) -> str:
    key = _KEYS[name](item)
    return f"{name}[{' '.join(map(str, key)) if isinstance(key, tuple) else key}]"


def _merge_keyed(
    name: str, old: tuple[Any, ...], new: tuple[Any, ...], policy: Policy, conflicts: dict[str, tuple[object, object]]
) -> tuple[Any, ...]:
    merged = {_KEYS[name](item): item for item in old}
    for item in new:
        key = _KEYS[name](item)
        present = merged.get(key)
        if present is None:
            merged[key] = item
        elif present != item:
            conflicts[_key_of(name, item)] = (present, item)
            if policy == "overwrite":
                merged[key] = item
    return tuple(merged.values())


def _names_agree(old: str, new: str) -> bool:
    return bool(old and new and (strict_key(old) == strict_key(new) or loose_key(old) == loose_key(new)))


def merge_item(
    old: Item, new: Item, *, policy: Policy = "fail", matched_by_name: bool = False, confidence_given: bool = True
) -> Merged:
    """Merge ``new`` (imported) into ``old`` (stored); both of the same class and identity.

    Parameters
    ----------
    old, new : Node or Edge
        The stored and the imported item.
    policy : {"fail", "overwrite", "keep"}
        What a conflict does to the merged value: ``overwrite`` takes the
        imported value; ``fail`` and ``keep`` keep the stored one (``fail``
        also makes the import refuse to apply, which the importer decides).
    matched_by_name : bool
        The imported firm was matched by name, not id: other names become aliases.
    confidence_given : bool
        The imported row filled its ``confidence`` cell; when it did not, the stored
        confidence is kept whatever ``new.confidence`` defaulted to.

    Returns
    -------
    Merged
    """
    model = type(old)
    data = old.model_dump()
    conflicts: dict[str, tuple[object, object]] = {}
    extra_aliases: list[str] = []
    for name in model.model_fields:
        if name in ("id", "kind", "source", "target", "confidence"):
            continue
        was = getattr(old, name)
        now = getattr(new, name)
        if name in _UNION:
            data[name] = tuple(dict.fromkeys((*was, *now)))
        elif name in _KEYS:
            data[name] = _merge_keyed(name, was, now, policy, conflicts)
        elif not _given(model, name, now) or now == was:
            continue
        elif not _given(model, name, was):
            data[name] = now
        elif isinstance(old, Firm) and name in ("name_zh", "name_en") and (matched_by_name or _names_agree(was, now)):
            extra_aliases.append(now)
        else:
            conflicts[name] = (was, now)
            if policy == "overwrite":
                data[name] = now
    if extra_aliases:
        known = {strict_key(n) for n in (old.name_zh, old.name_en, *data["aliases"]) if n}  # type: ignore[union-attr]
        fresh = [a for a in extra_aliases if strict_key(a) not in known]
        data["aliases"] = tuple(dict.fromkeys((*data["aliases"], *fresh)))
    data["confidence"] = _merge_confidence(old.confidence, new.confidence, confidence_given, policy, conflicts)
    value = model.model_validate(data)
    changes = {
        name: (getattr(old, name), getattr(value, name))
        for name in model.model_fields
        if getattr(old, name) != getattr(value, name)
    }
    return Merged(value, changes, conflicts)


def _merge_confidence(
    old: Confidence, new: Confidence, given: bool, policy: Policy, conflicts: dict[str, tuple[object, object]]
) -> Confidence:
    """The stored confidence unless the row gave another one: then a conflict, applied by ``overwrite``.

    >>> conflicts = {}
    >>> _merge_confidence(Confidence.UNVERIFIED, Confidence.SOURCED, False, "overwrite", conflicts).value, conflicts
    ('unverified', {})
    >>> _merge_confidence(Confidence.SOURCED, Confidence.UNVERIFIED, True, "overwrite", conflicts).value
    'unverified'
    >>> conflicts
    {'confidence': (<Confidence.SOURCED: 'sourced'>, <Confidence.UNVERIFIED: 'unverified'>)}
    """
    if not given or new == old:
        return old
    conflicts["confidence"] = (old, new)
    return new if policy == "overwrite" else old


def add_facts(
    cluster: Node, facts: list[Listing | Figure], *, policy: Policy = "fail"
) -> tuple[Node, list[tuple[str, object, object]]]:
    """Add listings and figures to a stored cluster; return it and the conflicts ``(key, old, new)``."""
    conflicts: dict[str, tuple[object, object]] = {}
    listings = _merge_keyed(
        "listings",
        cluster.listings,
        tuple(f for f in facts if isinstance(f, Listing)),
        policy,
        conflicts,  # type: ignore[union-attr]
    )
    figures = _merge_keyed(
        "figures",
        cluster.figures,
        tuple(f for f in facts if isinstance(f, Figure)),
        policy,
        conflicts,  # type: ignore[union-attr]
    )
    merged = cluster.model_copy(update={"listings": listings, "figures": figures})
    return merged, [(key, old, new) for key, (old, new) in conflicts.items()]


def jsonable(value: object) -> object:
    """A JSON-ready rendering of a field value (models as dicts, tuples as lists, enums as strings)."""
    if isinstance(value, BaseModel):
        return value.model_dump(mode="json")
    if isinstance(value, tuple | list):
        return [jsonable(v) for v in value]
    if hasattr(value, "value") and not isinstance(value, int | float | str | bool):
        return value.value  # enums
    return value


def _ref(item: Item) -> dict[str, object]:
    if isinstance(item, Edge):
        return {"kind": item.kind.value, "source": item.source, "target": item.target}
    return {"id": item.id, "kind": item.kind}


def _fields(pairs: dict[str, tuple[object, object]]) -> dict[str, dict[str, object]]:
    return {name: {"old": jsonable(old), "new": jsonable(new)} for name, (old, new) in pairs.items()}


@dataclass
class Diff:
    """What an import does to the graph: nodes and edges by status, and the edges it removes.

    Examples
    --------
    >>> from graph.model import District
    >>> d = Diff()
    >>> d.add_new(District(id="wj", name_zh="武进区", sources=("s1",)))
    >>> d.counts()["nodes"]
    {'added': 1, 'updated': 0, 'unchanged': 0, 'conflicting': 0}
    """

    nodes: dict[str, list[dict[str, object]]] = field(default_factory=lambda: {s: [] for s in STATUSES})
    edges: dict[str, list[dict[str, object]]] = field(
        default_factory=lambda: {**{s: [] for s in STATUSES}, "removed": []}
    )

    def _bucket(self, item: Item) -> dict[str, list[dict[str, object]]]:
        return self.edges if isinstance(item, Edge) else self.nodes

    def add_new(self, item: Item) -> None:
        self._bucket(item)["added"].append(_ref(item))

    def add_merged(self, merged: Merged, policy: Policy) -> None:
        entry = _ref(merged.value)
        if merged.changes:
            entry["changes"] = _fields(merged.changes)
        if merged.conflicts:
            entry["conflicts"] = _fields(merged.conflicts)
            entry["resolution"] = {"fail": "refused", "overwrite": "imported value kept", "keep": "stored value kept"}[
                policy
            ]
        bucket = self._bucket(merged.value)[merged.status]
        bucket.append(entry if merged.status != "unchanged" else _ref(merged.value))

    def add_removed(self, edge: Edge, reason: str) -> None:
        self.edges["removed"].append({**_ref(edge), "reason": reason})

    def counts(self) -> dict[str, dict[str, int]]:
        """The number of items in each status."""
        return {
            "nodes": {s: len(v) for s, v in self.nodes.items()},
            "edges": {s: len(v) for s, v in self.edges.items()},
        }

    def to_json(self, errors: list[dict[str, object]] | None = None) -> dict[str, object]:
        """The dry-run summary: ``{"nodes": {...}, "edges": {...}, "counts": {...}, "errors": [...]}``."""
        return {"nodes": self.nodes, "edges": self.edges, "counts": self.counts(), "errors": errors or []}


def describe(counts: dict[str, dict[str, int]]) -> list[str]:
    """Two lines, one for nodes and one for edges, in English and Chinese.

    >>> describe({"nodes": {"added": 2, "updated": 1, "unchanged": 0, "conflicting": 0},
    ...           "edges": {"added": 3, "updated": 0, "unchanged": 5, "conflicting": 0, "removed": 0}})[0]
    'nodes 节点: 2 added 新增, 1 updated 更新, 0 unchanged 不变, 0 conflicting 冲突'
    """
    zh = {"added": "新增", "updated": "更新", "unchanged": "不变", "conflicting": "冲突", "removed": "移除"}
    lines = []
    for part, label in (("nodes", "nodes 节点"), ("edges", "edges 关系")):
        shown = [f"{n} {status} {zh[status]}" for status, n in counts[part].items() if status != "removed" or n]
        lines.append(f"{label}: " + ", ".join(shown))
    return lines
