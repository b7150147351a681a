"""Entity resolution: is an imported firm one the graph already holds?

Names are compared in two forms:

* the **strict** form (:func:`strict_key`): Unicode NFKC (full-width letters,
  digits, brackets and spaces become half-width), lower case, every bracket
  style made ``()``, all whitespace removed;
* the **loose** form (:func:`loose_key`): the strict form without bracketed
  parts (places such as ``(常州)``, ``(江苏)``) and without company-form
  suffixes: ``股份有限公司``, ``有限责任公司``, ``有限公司``, ``Co., Ltd.`` and the like.

A name is matched, in this order, by the strict form of its Chinese then
English name against every firm's names and aliases, then by the loose form.
The first step that finds anything decides: one firm is a match; two or more
are *ambiguous* and reported, never guessed.

The importer uses this to resolve a firm named instead of an id in a link
row (``operates_in.firm_id``, both ends of ``firm_links``). A firm row always
gives its id: a new id is a new firm, never merged into another by name; a
name the graph holds is reported, a loosely similar one gives a warning (see
:meth:`loaders.merge._Merger.new_firm`).

Examples
--------
>>> strict_key("江苏时代新能源科技（溧阳）有限公司 ")
'江苏时代新能源科技(溧阳)有限公司'
>>> loose_key("江苏时代新能源科技（溧阳）有限公司")
'江苏时代新能源科技'
>>> loose_key("Ｃｏｎｔｅｍｐｏｒａｒｙ Amperex Technology Co., Ltd.")
'contemporaryamperextechnology'
>>> from graph.fixtures import tiny_chain
>>> index = FirmIndex(tiny_chain().of_kind("Firm"))
>>> index.match("甲电池股份有限公司").ids, index.match("甲电池股份有限公司").how
(('f-cell-a',), 'loose name')
>>> index.match("JiaCell").ids
('f-cell-a',)
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass

from graph.model import Firm, Node

_BRACKETS = str.maketrans({"[": "(", "]": ")", "【": "(", "】": ")", "〔": "(", "〕": ")", "{": "(", "}": ")"})
_SPACE = re.compile(r"\s+")
_BRACKETED = re.compile(r"\([^()]*\)")
_ZH_SUFFIXES = ("股份有限公司", "有限责任公司", "有限公司")
_EN_SUFFIX = re.compile(
    r"(?:,|\.)*(?:co\.?,?ltd\.?|co\.?,?limited|company,?limited|limited|ltd\.?|inc\.?|corp\.?|corporation)$"
)
MIN_LOOSE_LENGTH = 2
"""Loose forms shorter than this never match (``(常州)有限公司`` must not match everything)."""


def strict_key(name: str) -> str:
    """Width-, case-, bracket- and whitespace-insensitive form of a name."""
    text = unicodedata.normalize("NFKC", name).translate(_BRACKETS).lower()
    return _SPACE.sub("", text)


def loose_key(name: str) -> str:
    """The strict form without bracketed parts and company-form suffixes."""
    text = strict_key(name)
    previous = None
    while previous != text:
        previous = text
        text = _BRACKETED.sub("", text)
    for suffix in _ZH_SUFFIXES:
        if text.endswith(suffix):
            text = text[: -len(suffix)]
            break
    text = _EN_SUFFIX.sub("", text).rstrip(",.")
    return text


@dataclass(frozen=True)
class Match:
    """The firms a name matched, how (``id``, ``name``, ``loose name`` or ``""``: none) and the name that matched."""

    ids: tuple[str, ...]
    how: str = ""
    given: str = ""

    @property
    def unique(self) -> str | None:
        """The one matching id, or ``None``."""
        return self.ids[0] if len(self.ids) == 1 else None

    @property
    def ambiguous(self) -> bool:
        return len(self.ids) > 1


def firm_names(firm: Firm) -> list[str]:
    """The Chinese and English names and the aliases of a firm."""
    return [n for n in (firm.name_zh, firm.name_en, *firm.aliases) if n]


class FirmIndex:
    """Existing firms by the strict and loose forms of their names and aliases.

    Parameters
    ----------
    firms : iterable of Node
        The firms to match against (other kinds are ignored).
    """

    def __init__(self, firms: Iterable[Node]) -> None:
        self.ids: set[str] = set()
        self.strict: dict[str, set[str]] = {}
        self.loose: dict[str, set[str]] = {}
        for firm in firms:
            if isinstance(firm, Firm):
                self.add(firm)

    def add(self, firm: Firm) -> None:
        """Index one more firm."""
        self.ids.add(firm.id)
        for name in firm_names(firm):
            self.strict.setdefault(strict_key(name), set()).add(firm.id)
            key = loose_key(name)
            if len(key) >= MIN_LOOSE_LENGTH:
                self.loose.setdefault(key, set()).add(firm.id)

    def match(self, *names: str) -> Match:
        """Match names (Chinese first, then English): strict forms first, then loose forms."""
        given = [n for n in names if n and n.strip()]
        for name in given:
            found = self.strict.get(strict_key(name))
            if found:
                return Match(tuple(sorted(found)), "name", name)
        for name in given:
            key = loose_key(name)
            found = self.loose.get(key) if len(key) >= MIN_LOOSE_LENGTH else None
            if found:
                return Match(tuple(sorted(found)), "loose name", name)
        return Match(())

    def resolve(self, firm: Firm) -> Match:
        """Match a firm: by id when the id is known, else by its names (not its aliases).

        The importer does not merge a row with a new id into the firm this finds by name: see
        :meth:`loaders.merge._Merger.new_firm`.
        """
        if firm.id in self.ids:
            return Match((firm.id,), "id")
        return self.match(firm.name_zh, firm.name_en)
