"""Traditional Chinese characters folded to simplified ones, so that 寧德時代 finds 宁德时代.

The bundled data, the city's documents and most users write simplified Chinese; filings from Hong Kong or
Taiwan, reposted pages and some users write traditional. :func:`to_simplified` maps each traditional
character to its simplified form, one character for one (``queries/traditional.csv``: OpenCC's ``t2s``
table, https://github.com/BYVoid/OpenCC, Apache-2.0, written by ``scripts/make_traditional_table.py``).
:func:`queries.lookup.normalise` applies it, so search, the ``q`` filters of ``/api/v1/firms`` and
``/api/v1/sources`` and the ids a 404 suggests all read both scripts alike.

Examples
--------
>>> to_simplified("寧德時代 星宇車燈")
'宁德时代 星宇车灯'
>>> to_simplified("CATL 常州")
'CATL 常州'
"""

from __future__ import annotations

import csv
from functools import cache
from pathlib import Path

TRADITIONAL_TABLE = Path(__file__).with_name("traditional.csv")
"""One row per traditional character, columns ``traditional,simplified``."""


@cache
def simplified_table() -> dict[int, str]:
    """The :meth:`str.translate` table of ``queries/traditional.csv``, read once."""
    with TRADITIONAL_TABLE.open(encoding="utf-8", newline="") as rows:
        return {ord(row["traditional"]): row["simplified"] for row in csv.DictReader(rows)}


@cache
def traditional_characters() -> frozenset[str]:
    """The characters :func:`to_simplified` changes."""
    return frozenset(chr(point) for point in simplified_table())


def to_simplified(text: str) -> str:
    """``text`` with each traditional Chinese character replaced by its simplified form.

    Text without one (nearly every name in the data) is returned as it is after one set look-up per
    character: a translation through the 4,112-entry table costs ten times as much, and search keys are
    built for every name of a 100k-firm graph.
    """
    if traditional_characters().isdisjoint(text):
        return text
    return text.translate(simplified_table())
