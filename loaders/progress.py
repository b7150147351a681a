"""Progress for the long steps of an import: reading a large CSV file, then checking and matching its rows.

The steps report through the same callback as the workbook reader and the store's load,
``progress(done, total, what)`` (the CLI's :func:`chainkg.commands.common.progress_printer` draws it
on stderr, at most twice a second; ``--json`` passes none). A step of fewer than :data:`STEP` units
reports nothing, so a small file stays silent; a larger one reports every :data:`STEP` units and once
when done, as the workbook reader does every 2000 rows.

Examples
--------
>>> seen = []
>>> ticker = Ticker(lambda done, total, what: seen.append((done, total, what)), 5000, "rows")
>>> sum(1 for _ in ticker.iterate(range(5000)))
5000
>>> ticker.finish()
>>> seen
[(2000, 5000, 'rows'), (4000, 5000, 'rows'), (5000, 5000, 'rows')]
>>> quiet = []
>>> small = Ticker(lambda *args: quiet.append(args), 30, "rows")
>>> _ = list(small.iterate(range(30))); small.finish()
>>> quiet
[]
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

Progress = Callable[[int, int, str], None]

STEP = 2000
"""Units (rows, items) between two progress reports; a step with fewer reports nothing."""

T = TypeVar("T")


class Ticker:
    """Counts the units of one step of ``total`` and reports every :data:`STEP` of them.

    Parameters
    ----------
    progress : callable or None
        ``progress(done, total, what)``; ``None`` reports nothing.
    total : int
        The units the step will count (an estimate is fine: ``done`` never shows above it).
    what : str
        What is counted, shown after the numbers.
    """

    def __init__(self, progress: Progress | None, total: int, what: str) -> None:
        self.progress = progress if total >= STEP else None
        self.total = max(total, 1)
        self.what = what
        self.done = 0
        self.next = STEP

    def advance(self, units: int = 1, what: str = "") -> None:
        """Count ``units`` more; report when a multiple of :data:`STEP` is passed."""
        self.done += units
        if self.progress is not None and self.done >= self.next:
            self.next = self.done - self.done % STEP + STEP
            if self.done < self.total:
                self.progress(self.done, self.total, what or self.what)

    def iterate(self, items: Iterable[T], what: str = "") -> Iterator[T]:
        """Yield ``items``, counting one unit each."""
        if self.progress is None:
            yield from items
            return
        for item in items:
            yield item
            self.advance(1, what)

    def finish(self, what: str = "") -> None:
        """Report the step done (only when it reported before: a small step stays silent)."""
        if self.progress is not None:
            self.progress(self.total, self.total, what or self.what)
            self.progress = None
