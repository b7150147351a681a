"""Resolve imported firms, merge imported items into a copy of the graph, and check every reference.

The graph is never changed here: :func:`merge_items` returns the merged copy, the
:class:`~loaders.diff.Diff` and the problems, each attributed to the row it came from.

Examples
--------
>>> from graph.fixtures import tiny_chain
>>> from loaders.inputs import read_input
>>> rows = "firm_id,segment_id,role,sources\\n甲电池,t-pack,member,s-tiny\\n".encode()
>>> items = read_input("operates_in.csv", rows).collect(set(), tiny_chain()).items
>>> outcome = merge_items(tiny_chain(), items)
>>> outcome.diff.edges["added"], outcome.issues
([{'kind': 'OPERATES_IN', 'source': 'f-cell-a', 'target': 't-pack'}], [])
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from enum import Enum

from pydantic import ValidationError
from rapidfuzz import fuzz, process

from graph.dataset import Dataset
from graph.errors import DataIssue
from graph.model import (
    EDGE_ENDPOINTS,
    Edge,
    EdgeKind,
    Firm,
    Node,
    NodeKind,
)
from loaders.diff import Diff, Merged, Policy, add_facts, jsonable, merge_item
from loaders.folder import (
    SEPARATOR_LOOKALIKES,
    Collector,
    Row,
)
from loaders.inputs import Item
from loaders.layers import POLICY_TARGET_KINDS, PROJECT_LINK_KINDS
from loaders.messages import KIND_ZH
from loaders.progress import Progress, Ticker
from loaders.refused import NodeRowIssue
from loaders.resolve import FirmIndex, strict_key
from loaders.tables import ROLE_WORDS

MAX_SUGGESTED = 200
"""Unknown references that get the nearest ids suggested; later ones only name what was expected."""
SUGGEST_CUTOFF = 75.0
"""Least ``rapidfuzz`` ratio (0-100) for an id to be suggested for an unknown one."""

SOURCE_HINT = (
    "if it is a new source, import the sources table with it (sources.csv in the same folder, "
    "or a sources sheet in the same workbook)"
)
SOURCE_HINT_ZH = (
    "若是新的来源，请把 sources 表一并导入（同一文件夹中的 sources.csv，或同一工作簿中的 sources/来源 工作表）"
)
"""What an unknown source id, with no id spelt like it, is told: the sources table was not imported with it."""

_TABLE_OF_KIND = {
    "Cluster": "clusters",
    "Segment": "segments",
    "Firm": "firms",
    "District": "districts",
    "Source": "sources",
    "Project": "projects",
    "Policy": "policies",
    "Tier": "tiers",
    "Platform": "platforms",
}
_COLUMN_OF_FIELD = {"sources": {"name_zh": "title", "name_en": "title_en"}}
_DERIVED = {("segments", EdgeKind.PART_OF): "cluster_id", ("firms", EdgeKind.LOCATED_IN): "district_id"}
"""Edges a node's row gives, and the node field they follow."""
_ROW_REFERENCES: dict[str, tuple[tuple[str, NodeKind], ...]] = {
    "districts": (("parent_id", NodeKind.DISTRICT),),
    "cluster_lists": (("cluster_id", NodeKind.CLUSTER),),
    "cluster_figures": (("cluster_id", NodeKind.CLUSTER), ("scope", NodeKind.SEGMENT)),
    "cluster_designations": (("cluster_id", NodeKind.CLUSTER),),
    "segments": (("cluster_id", NodeKind.CLUSTER), ("parent_id", NodeKind.SEGMENT)),
    "firms": (("district_id", NodeKind.DISTRICT), ("district_sources", NodeKind.SOURCE)),
    "supplies": (("source", NodeKind.SEGMENT), ("target", NodeKind.SEGMENT)),
    "operates_in": (("firm_id", NodeKind.FIRM), ("segment_id", NodeKind.SEGMENT)),
    "firm_links": (("source", NodeKind.FIRM), ("target", NodeKind.FIRM)),
    "firm_tiers": (("firm_id", NodeKind.FIRM), ("tier_id", NodeKind.TIER)),
    "firm_platforms": (("firm_id", NodeKind.FIRM), ("platform_id", NodeKind.PLATFORM)),
    "project_links": (("project_id", NodeKind.PROJECT),),
    "policy_instruments": (("policy_id", NodeKind.POLICY), ("tier_id", NodeKind.TIER)),
    "policy_targets": (("policy_id", NodeKind.POLICY),),
    "tiers": (),
    "projects": (),
    "policies": (),
    "platforms": (),
    "clusters": (),
}
"""The columns of each table's rows that name another node (besides ``sources``), with that node's kind.

For the rows that could not be read into a node or edge: their references are still checked, so that a
row's problems are all reported at once (see :meth:`_Merger.check_rows`)."""
_LIST_COLUMNS = frozenset({"sources", "district_sources", "scope"})
_TARGET_KINDS = {
    "project_links": {k.value for k in PROJECT_LINK_KINDS},
    "policy_targets": {k.value for k in POLICY_TARGET_KINDS},
}
"""The edge kinds of the tables whose ``target`` column names a node of the kind the ``kind`` column gives."""
_FIRM_ENDS = {
    EdgeKind.OPERATES_IN: (True, False),
    EdgeKind.SUBSIDIARY_OF: (True, True),
    EdgeKind.SUPPLIES_TO: (True, True),
    EdgeKind.HOLDS_TIER: (True, False),
    EdgeKind.RUNS: (True, False),
    EdgeKind.BUILT_BY: (False, True),
}


_SEPARATORS = re.compile(r"[-_.]")
MIN_PART_MATCH = 3
"""Fewest characters of an id held in another (or of a value held in an id) for it to be suggested."""
MAX_PART_CANDIDATES = 2000
"""Ids sharing a part with an unknown value that :meth:`IdParts.related` looks at, at most."""


class IdParts:
    """The ids of one kind of node, by the parts their separators (``-``, ``_``, ``.``) cut them into.

    >>> parts = IdParts(["nev-thermal", "nev-battery-cell", "nev-battery-pack", "wujin"])
    >>> parts.related("nev-thermal-management"), parts.related("nev-battery"), parts.related("wujinn")
    (['nev-thermal'], ['nev-battery-cell', 'nev-battery-pack'], [])
    >>> parts.related("x-nev-thermal")
    ['nev-thermal']
    """

    def __init__(self, ids: list[str]) -> None:
        self.ids = ids
        self.known = set(ids)
        self.by_part: dict[str, list[str]] = {}
        for node_id in ids:
            for part in set(_SEPARATORS.split(node_id)):
                self.by_part.setdefault(part, []).append(node_id)

    def related(self, value: str) -> list[str]:
        """Ids that ``value`` holds as whole parts, or that hold ``value`` so; those sharing its start first.

        Then the closest in length, then in alphabetical order.
        """
        cuts = list(_SEPARATORS.finditer(value))
        starts = [0, *(m.end() for m in cuts)]
        ends = [*(m.start() for m in cuts), len(value)]
        found: set[str] = set()
        for start in starts:
            for end in ends:
                held = value[start:end]
                if end - start >= MIN_PART_MATCH and held != value and held in self.known:
                    found.add(held)
        words = [p for p in _SEPARATORS.split(value) if p]
        if len(value) >= MIN_PART_MATCH and words:
            rarest = min(words, key=lambda p: len(self.by_part.get(p, ())))
            for node_id in self.by_part.get(rarest, ())[:MAX_PART_CANDIDATES]:
                if node_id != value and _holds(node_id, value):
                    found.add(node_id)
        first = words[0] if words else ""
        return sorted(found, key=lambda i: (_SEPARATORS.split(i)[0] != first, abs(len(i) - len(value)), i))


def _has_separator(value: str) -> bool:
    """Whether ``value`` holds a character put between list values instead of ``|`` (a hint says so already)."""
    return any(c in value for c in SEPARATOR_LOOKALIKES)


def _holds(text: str, part: str) -> bool:
    """Whether ``part`` is in ``text`` as whole parts: ``_holds("a-bc-d", "bc-d")`` but not ``"c-d"``."""
    at = text.find(part)
    while at >= 0:
        end = at + len(part)
        if (at == 0 or _SEPARATORS.match(text, at - 1)) and (end == len(text) or _SEPARATORS.match(text, end)):
            return True
        at = text.find(part, at + 1)
    return False


# -- resolve, merge, check ----------------------------------------------------------------


@dataclass
class Outcome:
    """The merged graph, what changed, and the problems found while merging."""

    merged: Dataset
    diff: Diff
    issues: list[DataIssue]
    resolved: list[dict[str, object]]
    references: dict[DataIssue, str] = field(default_factory=dict)
    """The unknown-id problems among :attr:`issues`, by the kind of node each was to name."""
    conflicts: set[DataIssue] = field(default_factory=set)
    """The problems among :attr:`issues` that are only a value differing from the graph's (``on_conflict`` fail)."""
    warnings: list[str] = field(default_factory=list)
    """Notices that block nothing, in English then Chinese: a new firm whose name is like a stored firm's."""


def _column(row: Row, field_name: str) -> str:
    return _COLUMN_OF_FIELD.get(row.table, {}).get(field_name, field_name)


def _shown(value: object) -> str:
    """A stored or imported value as a cell would hold it: ``major``, ``s-a|s-b``, ``true``.

    >>> from graph.model import Role
    >>> _shown(Role.MAJOR), _shown(("s-a", "s-b")), _shown(True)
    ('major', 's-a|s-b', 'true')
    """
    if isinstance(value, Enum):
        value = value.value
    rendered = jsonable(value)
    if isinstance(rendered, list) and all(isinstance(v, str) for v in rendered):
        return "|".join(rendered)
    return str(rendered) if isinstance(rendered, str) else json.dumps(rendered, ensure_ascii=False)


_WORD_OF_ROLE = {role: word for word, role in reversed(ROLE_WORDS.items())}
"""The Chinese label of each role (the first of :data:`~loaders.tables.ROLE_WORDS`): ``major`` → ``骨干``."""


def _shown_zh(value: object) -> str:
    """:func:`_shown` quoted, with a role's Chinese label: ``'major'（骨干）``.

    >>> from graph.model import Role
    >>> _shown_zh(Role.MAJOR), _shown_zh(True)
    ("'major'（骨干）", "'true'")
    """
    shown = _shown(value)
    word = _WORD_OF_ROLE.get(shown) if isinstance(value, Enum) else None
    return f"{shown!r}（{word}）" if word else repr(shown)


def _firms_shown(existing: Dataset, ids: Sequence[str]) -> tuple[str, str]:
    """``catl (宁德时代…), catl-jiangsu (江苏时代…)`` in English and Chinese, at most three."""
    shown = ", ".join(f"{i} ({existing.nodes[i].name_zh})" for i in ids[:3])
    shown_zh = "、".join(f"{i}（{existing.nodes[i].name_zh}）" for i in ids[:3])
    return shown, shown_zh


def _place(row: Row) -> tuple[str, str]:
    """``firms.csv, row 2`` / ``firms.csv 第 2 行`` (with the sheet of a workbook)."""
    sheet, sheet_zh = (f" [sheet {row.sheet}]", f"（工作表 {row.sheet}）") if row.sheet else ("", "")
    return f"{row.file}{sheet}, row {row.line}", f"{row.file}{sheet_zh} 第 {row.line} 行"


class _Merger:
    def __init__(self, existing: Dataset, policy: Policy) -> None:
        self.existing = existing
        self.policy = policy
        self.issues = Collector()
        self.ids_by_kind: dict[str, IdParts] = {}
        self.suggested = 0
        self.diff = Diff()
        self.merged = Dataset(nodes=dict(existing.nodes), edges=dict(existing.edges))
        self.index = FirmIndex(existing.of_kind(NodeKind.FIRM))
        self.resolved: list[dict[str, object]] = []  # link rows whose firm was found by a loose name
        self.loosely: dict[tuple[tuple[str, str, int], str], str] = {}  # (row, column) -> firm found by loose name
        self.new_firms: dict[str, list[str]] = {}  # strict name -> ids of firms new to the graph
        self.refused_rows: set[tuple[str, str, int]] = set()  # node rows refused here (their problem is reported)
        self.names_by_kind: dict[str, dict[str, list[str]]] = {}
        self.refused_nodes: list[tuple[Item, Node]] = []  # their references are checked all the same
        self.conflicts: set[DataIssue] = set()
        self.warnings: list[str] = []

    def conflict_issues(self, row: Row, merged: Merged, other: tuple[str, str] = ("", "")) -> None:
        """Report each value that differs from the graph's; ``other`` says how to tell it is another firm."""
        if self.policy != "fail":
            return
        for name, (old, new) in merged.conflicts.items():
            self.issues.add(
                row,
                _column(row, name.split("[", 1)[0] if "[" in name else name),
                _shown(new),
                f"the value the graph holds, {_shown(old)!r} (or import with on-conflict overwrite or keep{other[0]})",
                f"图中已有的值 {_shown_zh(old)}（或以 on-conflict overwrite/keep 导入{other[1]}）",
            )
            self.conflicts.add(self.issues.issues[-1])

    # nodes --------------------------------------------------------------------------

    def new_firm(self, item: Item, firm: Firm) -> bool:
        """Whether a firm row with an id the graph does not hold can be imported as the new firm it says it is.

        The id was given, so the row is never merged into another firm by its name. A name (or
        alias) the graph already holds, in its strict form, is reported: the row is that firm under
        another id, or a firm that needs its full name. A name that is only *like* a stored firm's
        (the same apart from a place in brackets or the company form) is imported as a new firm,
        with a warning naming the similar firm and its id.
        """
        match = self.index.match(firm.name_zh, firm.name_en)
        if not match.ids:
            return True
        shown, shown_zh = _firms_shown(self.existing, match.ids)
        one = match.unique
        if match.how == "name":
            column = "name_zh" if strict_key(firm.name_zh) == strict_key(match.given) else "name_en"
            that, that_zh = ("that firm", "同一家企业") if one else ("one of them", "其中一家")
            put, put_zh = (one, f" {one}") if one else ("its id", "其编号")
            self.issues.add(
                item.row,
                column,
                match.given,
                f"a name no firm in the graph holds, as the id {firm.id!r} is new; the graph holds "
                f"{match.given!r} as {shown} (if this row is {that}, put {put} in the id column instead of "
                f"{firm.id}; if it is another firm, give its full registered name)",
                f"图中没有的名称（编号 {firm.id!r} 是新的）；图中已有名为 {match.given!r} 的企业 {shown_zh}"
                f"（若是{that_zh}，请在 id 列改填{put_zh}，而非 {firm.id}；若是另一家企业，请填写其完整的注册名称）",
            )
            return False
        where, where_zh = _place(item.row)
        use, use_zh = (f"use its id {one}", f"请改用其编号 {one}") if one else ("use its id", "请改用其编号")
        self.warnings.append(
            f"{where}: {firm.id} ({firm.name_zh}) is imported as a new firm; its name is similar to {shown} "
            f"(the same but for a place in brackets or the company form); if it is the same firm, {use} "
            f"/ 同名相近：{where_zh}，{firm.id}（{firm.name_zh}）作为新企业导入，其名称与 {shown_zh}相近"
            f"（仅括号中的地名或公司形式不同）；若是同一家企业，{use_zh}"
        )
        return True

    def target_of(self, item: Item, claimed: dict[str, Row]) -> str | None:
        node = item.node
        assert node is not None
        old = self.existing.nodes.get(node.id)
        if old is not None:
            if old.kind != node.kind:
                self.issues.add(
                    item.row,
                    "id",
                    node.id,
                    f"an id not used by another kind of node (the graph has a {old.kind} {node.id!r})",
                    f"未被其他类型节点占用的编号（图中已有{KIND_ZH[old.kind]} {node.id!r}）",
                )
                return None
            target = node.id
        elif isinstance(node, Firm):
            if not self.new_firm(item, node):
                return None
            target = node.id
            key = strict_key(node.name_zh)
            earlier = self.new_firms.setdefault(key, [])
            if earlier:
                first = claimed.get(earlier[0])
                self.issues.add(
                    item.row,
                    "name_zh",
                    node.name_zh,
                    f"one row per firm (row {first.line if first else '?'} has the same name, id {earlier[0]})",
                    f"每家企业一行（第 {first.line if first else '?'} 行名称相同，编号 {earlier[0]}）",
                )
                return None
            earlier.append(node.id)
        else:
            target = node.id
        if target in claimed:
            first = claimed[target]
            self.issues.add(
                item.row,
                "id",
                node.id,
                f"one row per node (row {first.line} is the same {node.kind}, {target})",
                f"每个节点一行（第 {first.line} 行是同一{KIND_ZH[node.kind]}，{target}）",
            )
            return None
        claimed[target] = item.row
        return target

    def merge_nodes(self, items: Iterable[Item]) -> list[tuple[Item, Node]]:
        claimed: dict[str, Row] = {}
        placed: list[tuple[Item, Node]] = []
        for item in items:
            node = item.node
            assert node is not None
            target = self.target_of(item, claimed)
            if target is None:
                self.refused_rows.add(item.row.key)
                self.refused_nodes.append((item, node))
                continue
            old = self.existing.nodes.get(target)
            if old is None:
                self.merged.nodes[target] = node
                self.diff.add_new(node)
            else:
                merged = merge_item(
                    old,
                    node,
                    policy=self.policy,
                    confidence_given=bool(item.row.get("confidence")),
                )
                self.merged.nodes[target] = merged.value  # type: ignore[assignment]
                self.diff.add_merged(merged, self.policy)
                self.conflict_issues(item.row, merged)
            placed.append((item, node))
        return placed

    def merge_facts(self, items: list[Item]) -> None:
        by_cluster: dict[str, list[Item]] = {}
        for item in items:
            assert item.fact is not None
            by_cluster.setdefault(item.fact[0], []).append(item)
        for cid, group in by_cluster.items():
            base = self.merged.nodes[cid]
            merged_cluster, conflicts = add_facts(base, [i.fact[1] for i in group], policy=self.policy)  # type: ignore[index]
            old = self.existing.nodes[cid]
            changes = {
                f: (getattr(old, f), getattr(merged_cluster, f))
                for f in ("listings", "figures")
                if getattr(old, f) != getattr(merged_cluster, f)
            }
            self.merged.nodes[cid] = merged_cluster
            self.diff.add_merged(Merged(merged_cluster, changes, {k: (o, n) for k, o, n in conflicts}), self.policy)
            if self.policy == "fail":
                for key, old_fact, new_fact in conflicts:
                    row = next(i.row for i in group if i.fact and i.fact[1] == new_fact)
                    column = "name_as_published" if key.startswith("listings") else "value"
                    shown = getattr(new_fact, column)
                    self.issues.add(
                        row,
                        column,
                        shown,
                        f"the value the graph holds for {key}, {getattr(old_fact, column)!r} "
                        "(or import with on-conflict overwrite or keep)",
                        f"图中 {key} 已有的值 {getattr(old_fact, column)!r}（或以 on-conflict overwrite/keep 导入）",
                    )
                    self.conflicts.add(self.issues.issues[-1])

    # edges --------------------------------------------------------------------------

    def firm_by_name(self, item: Item, column: str, value: str) -> str | None:
        """The firm a link row names by name instead of id (a stored firm or one new in this import), or ``None``.

        The strict form of the name, among stored and new firms, comes first; then the loose form among
        stored firms. A loose match is listed in :attr:`resolved` (the row may mean another firm).
        """
        key = strict_key(value)
        found = set(self.index.strict.get(key, ())) | set(self.new_firms.get(key, []))
        how = "name"
        if not found:
            match = self.index.match(value)
            found, how = set(match.ids), match.how
        if len(found) == 1:
            firm_id = found.pop()
            if how == "loose name":
                self.loosely[(item.row.key, column)] = firm_id
                self.resolved.append(
                    {
                        "file": item.row.file,
                        "sheet": item.row.sheet or None,
                        "row": item.row.line,
                        "id": value,
                        "name": value,
                        "matched": firm_id,
                        "matched_name": self.existing.nodes[firm_id].name_zh,
                        "how": how,
                    }
                )
            return firm_id
        if len(found) > 1:
            self.issues.add(
                item.row,
                column,
                value,
                f"the id or name of one firm; this name matches {', '.join(sorted(found))}",
                f"某一家企业的编号或名称；此名称匹配 {', '.join(sorted(found))}",
            )
        return None

    def merge_edges(self, items: Iterable[Item]) -> list[tuple[Item, Edge]]:
        seen: dict[tuple[str, str, str], Row] = {}
        placed: list[tuple[Item, Edge]] = []
        for item in items:
            edge = item.edge
            assert edge is not None
            ends = [edge.source, edge.target]
            for side, firm_end in enumerate(_FIRM_ENDS.get(edge.kind, (False, False))):
                if firm_end and ends[side] not in self.merged.nodes:
                    found = self.firm_by_name(item, item.ends[side], ends[side])
                    if found:
                        ends[side] = found
            if ends != [edge.source, edge.target]:
                try:
                    edge = Edge.model_validate({**edge.model_dump(), "source": ends[0], "target": ends[1]})
                except ValidationError as exc:
                    for err in exc.errors():
                        self.issues.add(item.row, item.ends[1], ends[1], err["msg"].removeprefix("Value error, "))
                    continue
            if (item.row.table, edge.kind) in _DERIVED and item.row.key in self.refused_rows:
                continue  # the row's node was refused (one problem per row, reported on the node)
            if (item.row.table, edge.kind) in _DERIVED and getattr(
                self.merged.nodes.get(edge.source), _DERIVED[(item.row.table, edge.kind)], edge.target
            ) != edge.target:
                continue  # the node kept its stored district or cluster; its conflict is reported on the node
            if edge.key in seen:
                first = seen[edge.key]
                self.issues.add(
                    item.row,
                    item.ends[1],
                    edge.target,
                    f"a link not given before (same {edge.kind} in row {first.line}, after matching firms)",
                    f"未重复给出的关系（匹配企业后与第 {first.line} 行的 {edge.kind} 相同）",
                )
                continue
            seen[edge.key] = item.row
            old = self.existing.edges.get(edge.key)
            if old is None:
                self.merged.edges[edge.key] = edge
                self.diff.add_new(edge)
            else:
                merged = merge_item(old, edge, policy=self.policy, confidence_given=bool(item.row.get("confidence")))
                self.merged.edges[edge.key] = merged.value  # type: ignore[assignment]
                self.diff.add_merged(merged, self.policy)
                self.conflict_issues(item.row, merged, self.another_firm(item))
            placed.append((item, edge))
        return placed

    def another_firm(self, item: Item) -> tuple[str, str]:
        """For a conflict on a link row whose firm was found by a loose name: how to say it is another firm."""
        for column in item.ends:
            firm_id = self.loosely.get((item.row.key, column))
            if firm_id:
                value = item.row.get(column)
                return (
                    f"; or, if {value!r} is not {firm_id} but another firm, add it to the firms table "
                    "with its own id and put that id here",
                    f"；若 {value!r} 不是 {firm_id} 而是另一家企业，"
                    "请把它加入 firms 表、给它自己的编号，并在此填写该编号",
                )
        return ("", "")

    def drop_stale_links(self) -> None:
        """A firm that moved district, or a segment that moved cluster, loses its old link."""
        for node_id, old in self.existing.nodes.items():
            new = self.merged.nodes[node_id]
            if new is old:
                continue
            for attr, kind in (("district_id", EdgeKind.LOCATED_IN), ("cluster_id", EdgeKind.PART_OF)):
                before, after = getattr(old, attr, ""), getattr(new, attr, "")
                if before and after and before != after:
                    stale = self.merged.edges.pop((kind.value, node_id, before), None)
                    if stale is not None:
                        self.diff.add_removed(stale, f"{attr} changed from {before} to {after}")

    # references ---------------------------------------------------------------------

    def want(self, item: Item, column: str, value: str, kind: NodeKind) -> None:
        found = self.merged.nodes.get(value)
        if found is None or found.kind != kind.value:
            table = _TABLE_OF_KIND[kind.value]
            named = self.named(value, kind) if found is None else []
            near = [] if named else self.nearest(value, kind)
            hint = f"; nearest: {', '.join(near)}" if near else ""
            hint_zh = f"；最接近的：{'、'.join(near)}" if near else ""
            if named:
                shown = ", ".join(f"{i} ({self.merged.nodes[i].name_zh})" for i in named)
                hint = f"; did you mean {shown}? (put the id, not the name)"
                shown_zh = "、".join(f"{i}（{self.merged.nodes[i].name_zh}）" for i in named)
                hint_zh = f"；是否指 {shown_zh}？（请填编号，而非名称）"
            elif not near and kind is NodeKind.SOURCE and found is None and not _has_separator(value):
                hint = f"; {SOURCE_HINT}"
                hint_zh = f"；{SOURCE_HINT_ZH}"
            self.issues.unknown_id(
                item.row,
                column,
                value,
                f"the id of a {kind.value} (a row of the {table} table, or one the graph holds){hint}",
                f"某个{KIND_ZH[kind.value]}的编号（{table} 表中的一行，或图中已有）{hint_zh}",
                kind=kind.value if found is None else "",
            )

    def named(self, value: str, kind: NodeKind) -> list[str]:
        """The ids of the ``kind`` nodes whose name is ``value`` (``武进区`` or ``武进`` → ``wujin``), at most three.

        Names are compared in their strict form (:func:`~loaders.resolve.strict_key`), each with and
        without an administrative suffix (区, 市, 县): see :func:`name_keys`.
        """
        names = self.names_by_kind.get(kind.value)
        if names is None:
            names = self.names_by_kind[kind.value] = {}
            for node in self.merged.nodes.values():
                if node.kind == kind.value:
                    for name in (node.name_zh, getattr(node, "name_en", ""), *getattr(node, "aliases", ())):
                        for key in name_keys(name or ""):
                            names.setdefault(key, [])
                            if node.id not in names[key]:
                                names[key].append(node.id)
        found: list[str] = []
        for key in name_keys(value):
            found += [i for i in names.get(key, []) if i not in found]
        return found[:3]

    def nearest(self, value: str, kind: NodeKind, limit: int = 3) -> list[str]:
        """The ids of ``kind`` most like ``value``, best first.

        First the ids that ``value`` holds as whole parts, or that hold it (``nev-thermal-management``
        → ``nev-thermal``; ``nev-battery`` → ``nev-battery-cell``): see :class:`IdParts`; then the ids
        spelt most like it (a typo such as ``nev-electrolite``). Only the first :data:`MAX_SUGGESTED`
        unknown references get suggestions, so a file of 100k rows that all miss costs no more than a
        few hundred look-ups.
        """
        if self.suggested >= MAX_SUGGESTED or not value:
            return []
        self.suggested += 1
        parts = self.ids_by_kind.get(kind.value)
        if parts is None:
            parts = self.ids_by_kind[kind.value] = IdParts(
                [n.id for n in self.merged.nodes.values() if n.kind == kind.value]
            )
        found = process.extract(value, parts.ids, scorer=fuzz.ratio, score_cutoff=SUGGEST_CUTOFF, limit=limit)
        near = [*parts.related(value), *(match for match, _, _ in found)]
        return list(dict.fromkeys(near))[:limit]

    def check_references(self, nodes: Iterable[tuple[Item, Node]], edges: Iterable[tuple[Item, Edge]]) -> None:
        for item, node in nodes:
            for sid in node.sources:
                self.want(item, "sources", sid, NodeKind.SOURCE)
            for column, kind in (
                ("cluster_id", NodeKind.CLUSTER),
                ("parent_id", None),
                ("district_id", NodeKind.DISTRICT),
            ):
                ref = getattr(node, column, "")
                if ref:
                    self.want(item, column, ref, kind or NodeKind(node.kind))
            for fig in getattr(node, "figures", ()):
                for sid in fig.scope:
                    self.want(item, "scope", sid, NodeKind.SEGMENT)
            for instrument in getattr(node, "instruments", ()):
                if instrument.tier_id:
                    self.want(item, "tier_id", instrument.tier_id, NodeKind.TIER)
                for sid in instrument.sources:
                    self.want(item, "sources", sid, NodeKind.SOURCE)
        for item, edge in edges:
            derived = (item.row.table, edge.kind) in _DERIVED
            if not derived:
                for end, column, kind in (
                    (edge.source, item.ends[0], EDGE_ENDPOINTS[edge.kind][0]),
                    (edge.target, item.ends[1], EDGE_ENDPOINTS[edge.kind][1]),
                ):
                    self.want(item, column, end, kind)
                for sid in edge.sources:
                    self.want(item, "sources", sid, NodeKind.SOURCE)
            elif edge.kind is EdgeKind.LOCATED_IN and item.row.split("district_sources"):
                for sid in edge.sources:
                    self.want(item, "district_sources", sid, NodeKind.SOURCE)

    def check_rows(self, rows: Iterable[Row]) -> None:
        """Check the references of rows that gave no node or edge (a bad value elsewhere in the row).

        Such a row is not merged, so without this its unknown ids (``sources``, ``district_id``,
        ``segment_id``...) would show only once its first problem is fixed. Firm ids may be names, as
        in :meth:`merge_edges`. Rows of tables not listed in :data:`_ROW_REFERENCES` (JSON items) are
        not checked here.
        """
        for row in rows:
            columns = _ROW_REFERENCES.get(row.table)
            if columns is None:
                continue
            item = Item(row)
            wanted = [("sources", NodeKind.SOURCE), *columns]
            kind = row.get("kind")
            if kind in _TARGET_KINDS.get(row.table, ()):
                wanted.append(("target", EDGE_ENDPOINTS[EdgeKind(kind)][1]))
            for column, want in wanted:
                values = row.split(column) if column in _LIST_COLUMNS else (row.get(column),)
                for value in values:
                    if not value:
                        continue
                    if want is NodeKind.FIRM and value not in self.merged.nodes:
                        if self.firm_by_name(item, column, value):
                            continue
                    self.want(item, column, value, want)


def hint_blank_ids(existing: Dataset, issues: list[DataIssue]) -> list[DataIssue]:
    """``issues``, where a firm row refused for a blank ``id`` names a firm the graph holds saying so.

    The officer is told which firm the name is (``did you mean catl-jiangsu (时代新能源)?``) and what
    a new id would do: a name the graph holds needs the firm's own id (or, for another firm, its
    full name as well as a new id); a name only like a stored one may take a new id (see
    :meth:`_Merger.new_firm`).

    >>> from graph.fixtures import tiny_chain
    >>> blank = NodeRowIssue("firms.csv", 2, "id", "", "a lower-case ASCII id", node_kind="Firm", node_name="甲电池")
    >>> print(hint_blank_ids(tiny_chain(), [blank])[0].expected)
    a lower-case ASCII id; did you mean f-cell-a (甲电池)? (the graph holds this name: put its id; \
for another firm, a new id and the firm's full registered name)
    >>> blank = replace(blank, node_name="甲电池(常州)有限公司")
    >>> print(hint_blank_ids(tiny_chain(), [blank])[0].expected)
    a lower-case ASCII id; did you mean f-cell-a (甲电池)? (the name is like that firm's: put its id if it is \
the same firm, or a new id for another firm)
    """
    index: FirmIndex | None = None
    out = []
    for issue in issues:
        if isinstance(issue, NodeRowIssue) and issue.node_kind == "Firm" and issue.field == "id" and not issue.value:
            index = index or FirmIndex(existing.of_kind(NodeKind.FIRM))
            match = index.match(issue.node_name) if issue.node_name else None
            if match and match.ids:
                shown, shown_zh = _firms_shown(existing, match.ids)
                if match.how == "name":
                    why = (
                        "the graph holds this name: put its id; for another firm, a new id and the firm's full "
                        "registered name"
                    )
                    why_zh = "图中已有此名称：请填它的编号；若是另一家企业，请填新编号及其完整的注册名称"
                else:
                    why = (
                        "the name is like that firm's: put its id if it is the same firm, or a new id for another firm"
                    )
                    why_zh = "名称与该企业相近：若是同一家企业，请填它的编号；若是另一家企业，请填新编号"
                issue = replace(
                    issue,
                    expected=f"{issue.expected}; did you mean {shown}? ({why})",
                    expected_zh=f"{issue.expected_zh or issue.expected}；是否指 {shown_zh}？（{why_zh}）",
                )
        out.append(issue)
    return out


_PLACE_SUFFIXES = ("区", "市", "县")


def name_keys(name: str) -> list[str]:
    """The forms a name is matched in: strict, and without a trailing 区/市/县.

    >>> name_keys("武进区"), name_keys("武进"), name_keys(" Wujin "), name_keys("区")
    (['武进区', '武进'], ['武进'], ['wujin'], ['区'])
    """
    key = strict_key(name)
    if not key:
        return []
    short = key[:-1] if len(key) > 1 and key.endswith(_PLACE_SUFFIXES) else ""
    return [key, short] if short else [key]


def merge_items(
    existing: Dataset,
    items: list[Item],
    policy: Policy = "fail",
    unread: Sequence[Row] = (),
    progress: Progress | None = None,
) -> Outcome:
    """Resolve, merge and check imported items against ``existing``; ``existing`` is not changed.

    Parameters
    ----------
    existing : Dataset
        The graph imported into.
    items : list of Item
        What the input's rows gave (see :meth:`loaders.inputs.ImportInput.collect`).
    policy : {"fail", "overwrite", "keep"}
        What to do when an item and the graph disagree on a value.
    unread : sequence of Row
        Rows that gave no item because of a problem already reported: their references
        (sources, districts, segments, firms...) are checked too, so that every problem of a
        row is reported at once.
    progress : callable, optional
        ``progress(done, total, what)`` while firms are matched and references checked
        (see :mod:`loaders.progress`; a small import reports nothing).

    Examples
    --------
    >>> from graph.fixtures import tiny_chain
    >>> from loaders.folder import Row
    >>> bad = Row("operates_in.csv", 2, {"firm_id": "nobody", "segment_id": "t-pack", "role": "lead",
    ...                                   "sources": "s-tiny"}, table="operates_in")
    >>> [(i.field, i.value) for i in merge_items(tiny_chain(), [], unread=[bad]).issues]
    [('firm_id', 'nobody')]
    """
    merger = _Merger(existing, policy)
    node_items = [i for i in items if i.node is not None]
    edge_items = [i for i in items if i.edge is not None]
    ticker = Ticker(progress, 2 * (len(node_items) + len(edge_items)), "items merged")
    nodes = merger.merge_nodes(ticker.iterate(node_items, "nodes matched and merged"))
    merger.merge_facts([i for i in items if i.fact is not None])
    edges = merger.merge_edges(ticker.iterate(edge_items, "links merged"))
    merger.drop_stale_links()
    merger.check_references(
        ticker.iterate([*nodes, *merger.refused_nodes], "references checked"),
        ticker.iterate(edges, "references checked"),
    )
    merger.check_rows(unread)
    ticker.finish("nodes and links merged, references checked")
    return Outcome(
        merger.merged,
        merger.diff,
        merger.issues.issues,
        merger.resolved,
        merger.issues.references,
        merger.conflicts,
        merger.warnings,
    )
