"""Small helpers for SVG built in Python: escaped text, text width estimates, wrapping, elements.

Every piece of text goes through :func:`esc` (XML escaping), so names from the
data can never become markup. Widths are estimated (a CJK character is one em,
other characters about 0.56 em), which is enough to wrap and truncate labels.

Examples
--------
>>> esc("<script>alert(1)</script>")
'&lt;script&gt;alert(1)&lt;/script&gt;'
>>> text_width("电芯", 10), text_width("ab", 10)
(20.0, 11.2)
>>> wrap("动力电池正极材料与前驱体", 60, 10, max_lines=2)
['动力电池正极', '材料与前驱体']
>>> wrap("汽车电子电器与零部件及其他配套", 50, 10, max_lines=2)
['汽车电子电', '器与零部…']
>>> text(5, 10, "<b>", size=9, anchor="end")
'<text x="5" y="10" font-size="9" text-anchor="end">&lt;b&gt;</text>'
"""

from __future__ import annotations

import unicodedata

from markupsafe import escape


def esc(value: object) -> str:
    """XML/HTML-escape any value for an SVG attribute or text node."""
    return str(escape(str(value)))


def num(value: float) -> str:
    """A coordinate with at most one decimal and no trailing zeros.

    >>> num(3.0), num(2.25), num(-0.04)
    ('3', '2.2', '0')
    """
    text = f"{value:.1f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text


def char_width(ch: str) -> float:
    """Width of one character in ems: 1 for wide (CJK) characters, 0.56 otherwise."""
    return 1.0 if unicodedata.east_asian_width(ch) in ("W", "F") else 0.56


def text_width(value: str, size: float) -> float:
    """Estimated width of ``value`` at font size ``size``."""
    return round(sum(char_width(c) for c in value) * size, 2)


def truncate(value: str, width: float, size: float) -> str:
    """Cut ``value`` with an ellipsis so that it fits ``width`` at ``size``."""
    if text_width(value, size) <= width:
        return value
    out = ""
    for ch in value:
        if text_width(out + ch + "…", size) > width:
            break
        out += ch
    return out + "…"


NO_LINE_START = frozenset("，。、；：？！）)」』】〕,.;:?!%·")
"""Punctuation that must not begin a line (it stays with the character before it)."""
NO_LINE_END = frozenset("（(「『【〔“‘")
"""Punctuation that must not end a line (it stays with the character after it)."""


def wrap(value: str, width: float, size: float, max_lines: int = 2) -> list[str]:
    """Break ``value`` into at most ``max_lines`` lines of ``width``; the last one is truncated if needed.

    Breaks fall between any two CJK characters, or at spaces in other text, never before
    closing punctuation:

    >>> wrap("电驱动系统（电机、电控）", 60, 10)
    ['电驱动系统', '（电机、电…']
    >>> wrap("电驱动系统（电机、电控）", 80, 10)
    ['电驱动系统（电', '机、电控）']
    """
    words: list[str] = []
    for ch in value:
        if words and (ch in NO_LINE_START or words[-1][-1] in NO_LINE_END):
            words[-1] += ch
        elif (
            char_width(ch) == 1.0 or not words or ch == " " or words[-1].endswith(" ") or char_width(words[-1][-1]) == 1
        ):
            words.append(ch)
        else:
            words[-1] += ch
    lines: list[str] = []
    line = ""
    for i, word in enumerate(words):
        candidate = line + word
        if line and text_width(candidate.rstrip(), size) > width:
            lines.append(line.rstrip())
            if len(lines) == max_lines - 1:
                rest = "".join(words[i:]).lstrip()
                lines.append(truncate(rest, width, size))
                return lines
            line = word.lstrip()
        else:
            line = candidate
    if line.strip():
        lines.append(truncate(line.rstrip(), width, size))
    return lines


def text(x: float, y: float, value: str, *, size: float, anchor: str = "start", **attrs: object) -> str:
    """A ``<text>`` element with escaped content; extra attributes use ``_`` for ``-`` (``font_weight``)."""
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    anchor_attr = "" if anchor == "start" else f' text-anchor="{anchor}"'
    return f'<text x="{num(x)}" y="{num(y)}" font-size="{num(size)}"{anchor_attr}{extra}>{esc(value)}</text>'


def rect(x: float, y: float, w: float, h: float, **attrs: object) -> str:
    """A ``<rect>``; extra attributes use ``_`` for ``-`` (``stroke_width``)."""
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return f'<rect x="{num(x)}" y="{num(y)}" width="{num(w)}" height="{num(h)}"{extra}/>'


def svg_open(width: float, height: float, label: str, css_class: str) -> str:
    """The opening ``<svg>`` tag: a viewBox in CSS pixels, an accessible label and the report's font."""
    return (
        f'<svg class="{esc(css_class)}" viewBox="0 0 {num(width)} {num(height)}" '
        f'width="{num(width)}" height="{num(height)}" role="img" aria-label="{esc(label)}" '
        'font-family="Noto Sans CJK SC, PingFang SC, Microsoft YaHei, sans-serif">'
    )
