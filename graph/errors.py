"""One error hierarchy for chainkg.

Every error that reaches a user derives from :class:`ChainGraphError`. The HTTP
layer maps each subclass to one status code and one ``application/problem+json``
body (see ``api/problems.py``); the CLI prints ``str(error)`` and exits non-zero.

Examples
--------
>>> err = NodeNotFound("firm", "catl-x", suggestions=["catl-jiangsu"])
>>> err.status
404
>>> "catl-jiangsu" in str(err)
True
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field


class ChainGraphError(Exception):
    """Base class of every chainkg error.

    Attributes
    ----------
    status : int
        The HTTP status the API answers with.
    title : str
        A short, stable, human-readable summary of the error kind.
    """

    status = 500
    title = "Internal error"
    slug = "internal"

    def extra(self) -> dict[str, object]:
        """Return extension members for the problem+json body."""
        return {}


class NodeNotFound(ChainGraphError):
    """An id that names no node of the expected kind.

    Parameters
    ----------
    kind : str
        The node kind looked for (``cluster``, ``segment``, ``firm``...).
    node_id : str
        The id that was asked for.
    suggestions : sequence of str, optional
        The nearest existing ids, best first.
    found_kind : str, optional
        The kind of the node ``node_id`` does name, when it names one of another kind.
    """

    status = 404
    title = "Not found"
    slug = "not-found"

    def __init__(
        self, kind: str, node_id: str, suggestions: Sequence[str] = (), *, found_kind: str | None = None
    ) -> None:
        self.kind = kind
        self.node_id = node_id
        self.suggestions = list(suggestions)
        self.found_kind = found_kind
        message = f"No {kind} with id {node_id!r}"
        message += f" ({node_id!r} is a {found_kind})." if found_kind else "."
        if self.suggestions:
            message += " Did you mean: " + ", ".join(self.suggestions) + "?"
        super().__init__(message)

    def extra(self) -> dict[str, object]:
        out: dict[str, object] = {"kind": self.kind, "id": self.node_id, "suggestions": self.suggestions}
        if self.found_kind:
            out["found_kind"] = self.found_kind
        return out


class InvalidQuery(ChainGraphError):
    """A request whose parameters are well-formed but not acceptable.

    Parameters
    ----------
    message : str
        What is wrong and what was expected; the CLI prints it, the API sends it as ``detail``.
    param : str, optional
        The one parameter at fault, as the API names it (``list_year``, ``min_severity``...);
        name the first of several at fault (``from`` after ``to``: ``from``); the API then lists it
        in ``errors`` like a validation error, so every 422 has the same shape.
    value : object, optional
        The value given for ``param``.
    location : str, optional
        Where ``param`` was sent: ``query`` (default), ``path`` or ``body``.

    Examples
    --------
    >>> err = InvalidQuery("list_year must be 2022 or 2024; got 2023", param="list_year", value=2023)
    >>> (entry,) = err.extra()["errors"]
    >>> entry["loc"], entry["type"], entry["input"]
    (['query', 'list_year'], 'value_error', 2023)
    >>> err = InvalidQuery("from (2024) is after to (2020); give from <= to", param="from", value=2024)
    >>> err.extra()["errors"][0]["loc"]
    ['query', 'from']
    """

    status = 422
    title = "Invalid query"
    slug = "invalid-query"

    def __init__(
        self, message: str, *, param: str | None = None, value: object = None, location: str = "query"
    ) -> None:
        super().__init__(message)
        self.param = param
        self.value = value
        self.location = location

    def extra(self) -> dict[str, object]:
        """``errors``: one entry shaped as a request-validation error's (``loc``, ``msg``, ``type``, ``input``).

        Only when :attr:`param` names the parameter at fault; ``input`` is left out when no value was given.
        """
        if self.param is None:
            return {}
        entry: dict[str, object] = {"loc": [self.location, self.param], "msg": str(self), "type": "value_error"}
        if self.value is not None:
            entry["input"] = self.value
        return {"errors": [entry]}


class ModelError(ChainGraphError, ValueError):
    """A node or edge that breaks the graph model's rules."""

    status = 422
    title = "Invalid graph data"
    slug = "invalid-data"


@dataclass(frozen=True)
class DataIssue:
    """One problem found in an input file.

    Parameters
    ----------
    file : str
        The file's name, relative to the dataset folder.
    row : int
        The 1-based line number in the file (the header is line 1).
    field : str
        The column that holds the bad value.
    value : str
        The bad value as read.
    expected : str
        What was expected instead.
    sheet : str, optional
        The sheet name, for workbooks.
    expected_zh : str, optional
        What was expected, in Chinese; :attr:`message_zh` falls back to ``expected``.
    """

    file: str
    row: int
    field: str
    value: str
    expected: str
    sheet: str = ""
    expected_zh: str = ""

    def __str__(self) -> str:
        """File, sheet, row and field, the bad value and what was expected.

        A problem with a whole file or folder (row 0, a field such as ``(file)``) names neither a row
        nor a field, and a value in parentheses describes what was found rather than quoting it.

        >>> print(DataIssue("firms.csv", 3, "is_local", "maybe", "true or false"))
        firms.csv, row 3, field 'is_local': got 'maybe'; expected true or false
        >>> print(DataIssue("t.xlsx", 0, "(file)", "(no data rows)", "at least one filled row", sheet="firms"))
        t.xlsx [sheet firms]: no data rows; expected at least one filled row
        """
        where = f"{self.file}"
        if self.sheet:
            where += f" [sheet {self.sheet}]"
        if self.row > 0:
            where += f", row {self.row}"
        if not self.whole_file:
            where += f", field {self.field!r}"
        return f"{where}: {self._found()}; expected {self.expected}"

    @property
    def whole_file(self) -> bool:
        """Whether the problem is with a whole file or folder, not one field (``(file)``, ``(folder)``)."""
        return self.field.startswith("(") and self.field.endswith(")")

    def _found(self, got: str = "got") -> str:
        if self.value.startswith("(") and self.value.endswith(")"):
            return self.value[1:-1]
        return f"{got} {self.value!r}"

    @property
    def message_zh(self) -> str:
        """The issue in Chinese: file, sheet, row, column, bad value and what was expected.

        >>> DataIssue("firms.csv", 3, "is_local", "也许", "true or false", expected_zh="true 或 false").message_zh
        "firms.csv，第 3 行，列 'is_local'：读到 '也许'；应为 true 或 false"
        """
        where = self.file + (f"（工作表 {self.sheet}）" if self.sheet else "")
        if self.row > 0:
            where += f"，第 {self.row} 行"
        if not self.whole_file:
            where += f"，列 {self.field!r}"
        expected = self.expected_zh or self.expected
        return f"{where}：{self._found('读到')}；应为 {expected}"

    def as_dict(self) -> dict[str, object]:
        """Return the issue as a JSON-ready dict."""
        return {
            "file": self.file,
            "sheet": self.sheet or None,
            "row": self.row,
            "field": self.field,
            "value": self.value,
            "expected": self.expected,
            "expected_zh": self.expected_zh or self.expected,
            "message": str(self),
            "message_zh": self.message_zh,
        }


@dataclass
class DataValidationError(ChainGraphError):
    """A dataset that failed validation; holds every issue found, not only the first."""

    issues: list[DataIssue] = field(default_factory=list)

    status = 422
    title = "Invalid dataset"
    slug = "invalid-dataset"

    def __post_init__(self) -> None:
        super().__init__(str(self))

    def __str__(self) -> str:
        head = f"{len(self.issues)} problem(s) in the dataset:"
        return "\n".join([head, *("  - " + str(i) for i in self.issues)])

    def extra(self) -> dict[str, object]:
        return {"errors": [i.as_dict() for i in self.issues]}


class ConfigError(ChainGraphError):
    """A missing or bad setting; the message names the variable."""

    status = 500
    title = "Configuration error"
    slug = "config"


class StoreUnavailable(ChainGraphError):
    """The graph store cannot be reached (e.g. Neo4j is down)."""

    status = 503
    title = "Graph store unavailable"
    slug = "store-unavailable"


class GraphNotLoaded(StoreUnavailable):
    """The store answers, but holds no graph yet (a Neo4j database nothing was loaded into).

    Every id would be "not found" and every list empty, which sends a user looking for a typo;
    the message says which database is empty and how to load it.
    """

    title = "No graph loaded"
    slug = "graph-not-loaded"


class WritesDisabled(ChainGraphError):
    """A write was asked for, but no API key is configured."""

    status = 403
    title = "Writes disabled"
    slug = "writes-disabled"


class Unauthorized(ChainGraphError):
    """A write with a missing or wrong API key."""

    status = 401
    title = "Unauthorized"
    slug = "unauthorized"


class StateConflict(ChainGraphError):
    """A write based on a graph that another process changed in the meantime."""

    status = 409
    title = "Conflict"
    slug = "conflict"


class PayloadTooLarge(ChainGraphError):
    """An upload or input file over the size limit; the message gives the limit."""

    status = 413
    title = "Payload too large"
    slug = "payload-too-large"


class StateCorrupt(ChainGraphError):
    """A saved graph snapshot that cannot be read; the message names the file and its backup."""

    status = 500
    title = "Saved graph unreadable"
    slug = "state-corrupt"
