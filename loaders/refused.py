"""Fold the follow-on errors of a file refused whole into one line per referring file and column.

A file refused whole (a byte that is not text, a header without its required columns, an empty
file) adds none of its ids to the graph, so every row elsewhere that names one of them would be
reported as an unknown id: one real problem buried under hundreds. The loaders note each refused
file as a :class:`Refusal` (with the ids it would have defined, when they can be read) and tag each
unknown-id problem with the kind of node it was to name; :func:`fold_refused` keeps the real
problems, first, and replaces the references a refused file may have satisfied with one summary per
referring file, sheet and column. A reference to an id the refused file does not hold is still
reported on its own row.

Examples
--------
>>> real = DataIssue("districts.csv", 3, "id", "wu\\ufffdjin", "UTF-8 text")
>>> refused = Refusal("districts.csv", "districts", ids=frozenset({"wujin", "liyang"}))
>>> firms = [DataIssue("firms.csv", row, "district_id", ref, "the id of a District (districts.csv)")
...          for row, ref in ((2, "wujin"), (3, "liyang"), (4, "nowhere"))]
>>> folded = fold_refused([real, *firms], {issue: "District" for issue in firms}, [refused])
>>> folded.real, folded.references
(2, 2)
>>> for issue in folded.issues:
...     print(issue)
districts.csv, row 3, field 'id': got 'wu\ufffdjin'; expected UTF-8 text
firms.csv, row 4, field 'district_id': got 'nowhere'; expected the id of a District (districts.csv)
firms.csv, field 'district_id': 2 references to districts not checked (first at row 2): districts.csv was \
refused, see above; expected districts.csv fixed (these references are checked then)
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from graph.errors import DataIssue, DataValidationError
from graph.model import NodeKind
from loaders.csv_text import CsvSplit

NODE_TABLES = {
    "sources": NodeKind.SOURCE.value,
    "districts": NodeKind.DISTRICT.value,
    "clusters": NodeKind.CLUSTER.value,
    "segments": NodeKind.SEGMENT.value,
    "firms": NodeKind.FIRM.value,
    "tiers": NodeKind.TIER.value,
    "projects": NodeKind.PROJECT.value,
    "policies": NodeKind.POLICY.value,
    "platforms": NodeKind.PLATFORM.value,
}
"""The tables whose rows are nodes, with the kind of node each defines."""

_KIND_WORDS = {"Source": ("source", "来源"), "District": ("district", "区县/园区"), "Cluster": ("cluster", "集群")}
_KIND_WORDS |= {
    "Segment": ("segment", "产业链环节"),
    "Firm": ("firm", "企业"),
    "Tier": ("tier", "梯度称号"),
    "Project": ("project", "重大项目"),
    "Policy": ("policy", "政策"),
    "Platform": ("platform", "智改数转平台"),
}


@dataclass(frozen=True, eq=False)
class NodeRowIssue(DataIssue):
    """A problem with a row of a node table, with the node the row was to define.

    It compares, hashes and renders like a :class:`~graph.errors.DataIssue`; the extra attributes
    let :func:`fold_refused` tell a reference to a refused row from one to an id that is nowhere.

    Attributes
    ----------
    node_kind : str
        The kind of node the row defines (``Firm``...).
    node_id : str
        The row's ``id`` cell, as read (``""`` when blank).
    node_name : str
        The row's ``name_zh`` cell, as read.
    """

    node_kind: str = ""
    node_id: str = ""
    node_name: str = ""


_HEADER_NAME = re.compile(r"\s*([A-Za-z_][A-Za-z0-9_]*)")


@dataclass(frozen=True)
class Refusal:
    """A file (or sheet) refused whole, and the ids it would have defined.

    Attributes
    ----------
    file : str
        The file's name, as its problem names it.
    table : str
        The table it holds.
    sheet : str
        The sheet, for a workbook.
    ids : frozenset of str or None
        The ids in its ``id`` column as far as they could be read; ``None`` when they cannot be
        known (no readable ``id`` column), and then every unknown id of its kind is a follow-on.
    damaged : tuple of re.Pattern
        Ids with bytes or characters that could not be read, each as a pattern any spelling of it matches.
    """

    file: str
    table: str
    sheet: str = ""
    ids: frozenset[str] | None = None
    damaged: tuple[re.Pattern[str], ...] = ()

    @property
    def kind(self) -> str:
        """The kind of node the file's rows are (``District``...); ``""`` for a table of links or facts."""
        return NODE_TABLES.get(self.table, "")

    @property
    def place(self) -> str:
        """``districts.csv`` or ``book.xlsx [sheet districts]``."""
        return f"{self.file} [sheet {self.sheet}]" if self.sheet else self.file

    def would_define(self, node_id: str) -> bool:
        """Whether the file, had it been read, might have defined ``node_id``."""
        if self.ids is None:
            return True
        return node_id in self.ids or any(pattern.fullmatch(node_id) for pattern in self.damaged)


def refusal_of_rows(
    file: str, table: str, header: Sequence[str], lines: Iterable[tuple[int, Sequence[str]]], *, sheet: str = ""
) -> Refusal:
    """The refusal of a file whose rows (under ``header``) were not read; its ids come from the ``id`` column.

    >>> sorted(refusal_of_rows("d.csv", "districts", ["id", "nam_zh"], [(2, ["wj", "武进区"]), (3, [" lj "])]).ids)
    ['lj', 'wj']
    >>> refusal_of_rows("d.csv", "districts", ["name_zh", "idd"], [(2, ["武进区", "wj"])]).ids is None
    True
    """
    names = [_column(cell) for cell in header]
    if names.count("id") != 1:
        return Refusal(file, table, sheet)
    at = names.index("id")
    ids = {cells[at].strip() for _, cells in lines if at < len(cells) and cells[at].strip()}
    return Refusal(file, table, sheet, frozenset(ids))


def refusal_of_text(file: str, table: str, text: str, delimiter: str, bad: re.Pattern[str]) -> Refusal:
    """The refusal of a file whose text holds ``bad`` characters: its ids as far as the text can be read.

    ``text`` is the file decoded as well as it goes (empty when not known); an id with ``bad``
    characters matches any id spelt the same around them.

    >>> refused = refusal_of_text("d.csv", "districts", "id,name_zh\\nwu\\udcffjin,武进区\\nlj,溧阳市\\n", ",",
    ...                           re.compile("[\\udc00-\\udcff]"))
    >>> sorted(refused.ids), refused.would_define("wujin"), refused.would_define("jintan")
    (['lj'], True, False)
    """
    if not text:
        return Refusal(file, table)
    split = CsvSplit(text, delimiter)
    read = refusal_of_rows(file, table, split.header, split.records())
    if read.ids is None or split.problem is not None:
        return Refusal(file, table)
    damaged = {node_id for node_id in read.ids if bad.search(node_id)}
    patterns = tuple(re.compile(".*".join(re.escape(part) for part in bad.split(node_id))) for node_id in damaged)
    return Refusal(file, table, ids=read.ids - damaged, damaged=patterns)


def _column(cell: str) -> str:
    """The column a header cell names, loosely (``" ID (编号)"`` → ``id``): only to find the ids of a refused file."""
    match = _HEADER_NAME.match(cell)
    return match.group(1).lower() if match else cell.strip()


@dataclass(frozen=True)
class Folded:
    """Problems with the follow-ons of refused files folded.

    Attributes
    ----------
    issues : list of DataIssue
        The real problems, in their order, then one summary per referring file, sheet and column.
    real : int
        How many of ``issues`` are real problems (the rest are summaries).
    references : int
        How many unknown-id problems the summaries stand for.
    """

    issues: list[DataIssue]
    real: int
    references: int
    replaced: dict[DataIssue, DataIssue] = field(default_factory=dict)
    """Unknown-id problems reworded because the id is a row refused in the same import: old -> new."""

    @property
    def summaries(self) -> int:
        """How many summary lines end :attr:`issues`."""
        return len(self.issues) - self.real


def fold_refused(
    issues: Sequence[DataIssue], references: Mapping[DataIssue, str], refused: Sequence[Refusal]
) -> Folded:
    """Fold the unknown-id problems a refused file may explain into one summary per file, sheet and column.

    Parameters
    ----------
    issues : sequence of DataIssue
        Every problem found, in the order to report them.
    references : mapping
        The unknown-id problems among ``issues``, each with the kind of node it was to name.
    refused : sequence of Refusal
        The files refused whole.
    """
    replaced = _refused_row_references(issues, references)
    issues = [replaced.get(issue, issue) for issue in issues]
    references = {replaced.get(issue, issue): kind for issue, kind in references.items() if issue not in replaced}
    by_kind: dict[str, list[int]] = {}
    for index, refusal in enumerate(refused):
        if refusal.kind:
            by_kind.setdefault(refusal.kind, []).append(index)
    if not by_kind:
        return Folded(list(issues), len(issues), 0, replaced)
    kept: list[DataIssue] = []
    groups: dict[tuple[str, str, str, int], list[DataIssue]] = {}
    for issue in issues:
        candidates = by_kind.get(references.get(issue, ""), [])
        found = next((i for i in candidates if refused[i].would_define(issue.value)), None)
        if found is None:
            kept.append(issue)
        else:
            groups.setdefault((issue.file, issue.sheet, issue.field, found), []).append(issue)
    summaries = [_summary(refused[key[3]], group) for key, group in groups.items()]
    return Folded(kept + summaries, len(kept), sum(len(group) for group in groups.values()), replaced)


def _cell(issue: DataIssue, *, zh: bool = False) -> str:
    """Where ``issue`` is and what it found, without what was expected: the message up to ``; expected``."""
    text = issue.message_zh if zh else str(issue)
    return text.rsplit("；应为" if zh else "; expected", 1)[0]


def _refused_row_references(
    issues: Sequence[DataIssue], references: Mapping[DataIssue, str]
) -> dict[DataIssue, DataIssue]:
    """Reword each unknown-id problem whose id is that of a node row refused in the same import.

    Such a reference is not to a missing node: the node is in the file, and its own row must be
    fixed. Its message names that row and suggests no other id (which could tie the link to the
    wrong node).

    >>> firm = NodeRowIssue("firms.csv", 2, "is_local", "maybe", "true or false", node_kind="Firm", node_id="rv-a")
    >>> link = DataIssue("operates_in.csv", 2, "firm_id", "rv-a", "the id of a Firm; nearest: rv-b")
    >>> print(_refused_row_references([firm, link], {link: "Firm"})[link])
    operates_in.csv, row 2, field 'firm_id': got 'rv-a'; expected that row fixed: firm rv-a is in this import \
but was refused (firms.csv, row 2, field 'is_local': got 'maybe')
    """
    rows: dict[tuple[str, str], DataIssue] = {}
    for issue in issues:
        if isinstance(issue, NodeRowIssue) and issue.node_id:
            rows.setdefault((issue.node_kind, issue.node_id), issue)
    out: dict[DataIssue, DataIssue] = {}
    for issue in issues:
        kind = references.get(issue, "")
        row = rows.get((kind, issue.value))
        if row is None or row is issue:
            continue
        word, word_zh = _KIND_WORDS.get(kind, (kind.lower(), kind))
        out[issue] = DataIssue(
            issue.file,
            issue.row,
            issue.field,
            issue.value,
            f"that row fixed: {word} {issue.value} is in this import but was refused ({_cell(row)})",
            issue.sheet,
            f"先修正该行：{word_zh} {issue.value} 在本次导入中，但该行未被接受（{_cell(row, zh=True)}）",
        )
    return out


def _summary(refusal: Refusal, group: list[DataIssue]) -> DataIssue:
    """One line for the references of ``group`` (one file, sheet and column) that ``refusal`` may explain."""
    first, count = group[0], len(group)
    noun = "reference" if count == 1 else "references"
    unknown, unknown_zh = "", ""
    if refusal.ids is None:
        unknown = "; its ids could not be read, so every unknown id of its kind is counted here"
        unknown_zh = "；该文件的编号无法读出，故此处计入所有未知的同类编号"
    return DataIssue(
        first.file,
        0,
        first.field,
        f"({count} {noun} to {refusal.table} not checked (first at row {first.row}): "
        f"{refusal.place} was refused, see above{unknown})",
        f"{refusal.place} fixed (these references are checked then)",
        first.sheet,
        f"先修正 {refusal.place}（该文件整份未读入，见上文{unknown_zh}）；"
        f"此列对 {refusal.table} 的 {count} 处引用（首处在第 {first.row} 行）届时再检查",
    )


@dataclass
class FoldedValidationError(DataValidationError):
    """A dataset that failed validation with a file refused whole: real problems first, then the folded follow-ons.

    Attributes
    ----------
    real : int
        How many of :attr:`issues` are real problems; the others sum up references not checked.
    folded : int
        How many references the summaries stand for.
    """

    real: int = 0
    folded: int = 0

    def __str__(self) -> str:
        summaries = len(self.issues) - self.real
        head = (
            f"{self.real} problem(s) in the dataset, and {self.folded} reference(s) not checked because "
            f"a file was refused (summed up in the last {summaries} line(s)):"
        )
        return "\n".join([head, *("  - " + str(i) for i in self.issues)])


def validation_error(
    issues: Sequence[DataIssue], references: Mapping[DataIssue, str], refused: Sequence[Refusal]
) -> DataValidationError:
    """The error for ``issues``, with the follow-ons of refused files folded (see :func:`fold_refused`)."""
    folded = fold_refused(issues, references, refused)
    if not folded.references:
        return DataValidationError(list(issues))
    return FoldedValidationError(folded.issues, real=folded.real, folded=folded.references)
