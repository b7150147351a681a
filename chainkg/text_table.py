"""Plain-text output for the query commands: aligned tables that keep Chinese in columns.

A Chinese character takes two columns of a terminal, so widths are counted with
:func:`display_width`, not ``len``. Text from the data passes through :func:`clean`,
which replaces control characters: a name holding an escape sequence must not
rewrite the user's terminal.

Examples
--------
>>> print(format_table(["id", "name"], [["nev", "新能源汽车"], ["electronics", "电子信息"]]))
id           name
-----------  ----------
nev          新能源汽车
electronics  电子信息
>>> display_width("锂 Li")
5
>>> clean("a\\x1b[2Jb\\nc")
'a?[2Jb c'
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from queries.layer_items import english_amount

LANGS = ("zh", "en")
"""The languages of the explanations and reasons the data carries."""


def display_width(text: str) -> int:
    """Columns ``text`` takes in a terminal: 2 for wide (CJK) characters, 0 for combining marks."""
    width = 0
    for char in text:
        if unicodedata.combining(char):
            continue
        width += 2 if unicodedata.east_asian_width(char) in ("W", "F") else 1
    return width


def clean(value: object) -> str:
    """``value`` as one line of safe text: line breaks become spaces, other control characters ``?``."""
    text = "" if value is None else str(value)
    out = []
    for char in text:
        if char in "\r\n\t":
            out.append(" ")
        elif unicodedata.category(char) in ("Cc", "Cf") and char not in "\u200d":
            out.append("?")
        else:
            out.append(char)
    return "".join(out)


def format_table(headers: Sequence[str], rows: Iterable[Sequence[object]], align: str = "") -> str:
    """Rows under headers, columns two spaces apart; ``align`` holds ``l`` or ``r`` per column.

    The last column is not padded and lines carry no trailing spaces.

    >>> print(format_table(["n", "firm"], [[1, "A"], [10, "B"]], align="rl"))
     n  firm
    --  ----
     1  A
    10  B
    """
    cells = [[clean(h) for h in headers]] + [[clean(c) for c in row] for row in rows]
    widths = [max(display_width(row[i]) for row in cells) for i in range(len(headers))]
    lines = []
    for index, row in enumerate(cells):
        parts = []
        for col, text in enumerate(row):
            gap = " " * (widths[col] - display_width(text))
            last = col == len(row) - 1
            if align[col : col + 1] == "r":
                parts.append(gap + text)
            else:
                parts.append(text if last else text + gap)
        lines.append("  ".join(parts).rstrip())
        if index == 0:
            lines.append("  ".join("-" * w for w in widths))
    return "\n".join(lines)


def names(item: Mapping[str, Any], prefix: str = "") -> str:
    """The Chinese name and, when it differs, the English one: ``锂资源与锂盐 Lithium resources and salts``.

    >>> names({"segment_name_zh": "整车", "segment_name_en": "Vehicles"}, "segment_")
    '整车 Vehicles'
    """
    zh = clean(item.get(f"{prefix}name_zh") or "")
    en = clean(item.get(f"{prefix}name_en") or "")
    if en and en != zh:
        return f"{zh} {en}".strip()
    return zh or en


def name_in(item: Mapping[str, Any], lang: str, prefix: str = "") -> str:
    """The name to show in ``lang``: both names (:func:`names`) for ``zh``, the English one for ``en``.

    In English a name the data holds only in Chinese is shown in Chinese: nothing is translated.

    >>> name_in({"name_zh": "整车", "name_en": "Vehicles"}, "en"), name_in({"name_zh": "华威模具"}, "en")
    ('Vehicles', '华威模具')
    >>> name_in({"name_zh": "整车", "name_en": "Vehicles"}, "zh")
    '整车 Vehicles'
    """
    if lang != "en":
        return names(item, prefix)
    return clean(item.get(f"{prefix}name_en") or item.get(f"{prefix}name_zh") or "")


def label(lang: str, zh: str, en: str) -> str:
    """``zh`` (the default output's text) or, for ``en``, ``en``: for text that is either Chinese or English.

    A label in both languages is :func:`chainkg.commands.common.zh_first` (Chinese first), a sentence in both
    :func:`chainkg.commands.common.zh_then_en`.

    >>> label("zh", "来源", "sources"), label("en", "来源", "sources")
    ('来源', 'sources')
    """
    return en if lang == "en" else zh


def amount_en(text: str) -> str:
    """An amount as ``queries.layer_items.amount_text`` writes it (``超400亿元``), in English, as one clean line.

    >>> amount_en("超400亿元"), amount_en("数十亿元")
    ('over CNY 40 billion', '数十亿元')
    """
    return english_amount(clean(text))


def in_lang(item: Mapping[str, Any], key: str, lang: str) -> str:
    """``item[key_zh]`` or ``item[key_en]``, the other one when the first is empty.

    >>> in_lang({"explanation_zh": "", "explanation_en": "no firm"}, "explanation", "zh")
    'no firm'
    """
    other = "en" if lang == "zh" else "zh"
    return clean(item.get(f"{key}_{lang}") or item.get(f"{key}_{other}") or "")


def reasons_text(reasons: Iterable[Mapping[str, Any]], lang: str) -> str:
    """Reasons joined in one line, in ``lang`` (``zh`` with a Chinese semicolon)."""
    texts = [clean(r.get(lang) or r.get("en") or r.get("zh") or "") for r in reasons]
    return ("；" if lang == "zh" else "; ").join(t for t in texts if t)


def page_footer(shown: int, total: int, offset: int, noun: str) -> str:
    """``showing 1-20 of 110 gaps`` and, when more follow, how to see them.

    >>> page_footer(20, 110, 0, "gaps")
    'showing 1-20 of 110 gaps; more with --offset 20'
    >>> page_footer(0, 0, 0, "gaps")
    'no gaps'
    """
    if total == 0:
        return f"no {noun}"
    if shown == 0:
        return f"{total} {noun}; none at --offset {offset}"
    text = f"showing {offset + 1}-{offset + shown} of {total} {noun}"
    if offset + shown < total:
        text += f"; more with --offset {offset + shown}"
    return text


def fields_block(fields: Sequence[tuple[str, object]], indent: int = 2) -> str:
    """Lines of ``key  value``, the keys padded to one width, for the head of a detail view.

    >>> print(fields_block([("year", 2021), ("confidence", "sourced")]))
      year        2021
      confidence  sourced
    """
    width = max((display_width(key) for key, _ in fields), default=0)
    pad = " " * indent
    return "\n".join(
        f"{pad}{key}{' ' * (width - display_width(key))}  {clean(value)}".rstrip() for key, value in fields
    )


def text_fields(body: Mapping[str, Any], *keys: str) -> list[tuple[str, object]]:
    """The free-text fields of a detail view that an answer has, in order (default ``description``, ``note``).

    >>> text_fields({"description": "电池", "note": ""}), text_fields({"description": "x"}, "note")
    ([('description', '电池')], [])
    """
    return [(key, body[key]) for key in keys or ("description", "note") if body.get(key)]


SOURCE_HEADERS = ("source", "date", "kind", "publisher", "title", "url or document no.")
"""The English headings of :func:`sources_table`."""


def sources_table(
    refs: Iterable[Mapping[str, Any]],
    headers: Sequence[str] = SOURCE_HEADERS,
    kind: Callable[[str], str] = str,
) -> str:
    """The sources an answer cites (its ``sources_ref``): id, date, kind, publisher, title, address or document no.

    ``headers`` are the six headings (default :data:`SOURCE_HEADERS`), ``kind`` words a reliability.

    >>> refs = [{"id": "s1", "date": "2022", "publisher": "常州市", "title": "答复", "doc_no": "第56号",
    ...          "reliability": "official"}]
    >>> print(sources_table(refs))
    source  date  kind      publisher  title  url or document no.
    ------  ----  --------  ---------  -----  -------------------
    s1      2022  official  常州市     答复   第56号
    """
    rows = [
        [
            s["id"],
            s.get("date") or "",
            kind(s["reliability"]) if s.get("reliability") else "",
            s.get("publisher") or "",
            s.get("title") or "",
            s.get("url") or s.get("doc_no") or "",
        ]
        for s in refs
    ]
    return format_table(headers, rows)
