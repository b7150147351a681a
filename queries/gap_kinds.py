"""The kinds of gap, in a module light enough for the command line to import when it builds its parser.

It also holds the default page size of the gap and target lists, which the API routes and the
command line's ``--json`` share.

>>> KINDS
('missing', 'weak', 'broken_link', 'extension')
>>> [KIND_NAMES_ZH[kind] for kind in KINDS]
['缺链', '弱链', '断链', '延链']
>>> kind_id("断链"), kind_id("weak")
('broken_link', 'weak')
>>> KIND_LABELS_ZH_EN["broken_link"]
'断链 Broken link'
"""

KINDS = ("missing", "weak", "broken_link", "extension")
"""缺链, 弱链, 断链 and 延链; :mod:`queries.severity` defines when each applies."""

KIND_NAMES_ZH = {"missing": "缺链", "weak": "弱链", "broken_link": "断链", "extension": "延链"}
"""The Chinese name of each kind, as ``docs/analysis.md`` §3 and the views and reports write it."""

KIND_NAMES_EN = {"missing": "Missing", "weak": "Weak", "broken_link": "Broken link", "extension": "Extension"}
"""The English name of each kind, as the views and reports write it after the Chinese one."""

KIND_LABELS_ZH_EN = {kind: f"{KIND_NAMES_ZH[kind]} {KIND_NAMES_EN[kind]}" for kind in KINDS}
"""Each kind as the views and reports label it, Chinese then English (``缺链 Missing``): the source of
``viz.style.GAP_LABELS`` and ``reports.labels.KIND_LABELS``."""

GAP_PAGE_LIMIT = 50
"""Items on a page of ``/gaps``, ``/clusters/{id}/gaps``, ``/targets`` and ``/clusters/{id}/targets``
when no ``limit`` is given, and so of ``chainkg gaps --json`` and ``chainkg targets --json``."""


def kinds_text() -> str:
    """Each kind's id and Chinese name: ``missing 缺链, weak 弱链, broken_link 断链, extension 延链``."""
    return ", ".join(f"{kind} {KIND_NAMES_ZH[kind]}" for kind in KINDS)


def kind_id(text: str) -> str:
    """The kind ``text`` names, by its id (``broken_link``) or its Chinese name (``断链``).

    Raises
    ------
    ValueError
        When ``text`` names no kind; the message lists every id with its Chinese name.

    >>> kind_id("absent")
    Traceback (most recent call last):
    ...
    ValueError: expected one of missing 缺链, weak 弱链, broken_link 断链, extension 延链; got 'absent'
    """
    word = text.strip()
    if word in KIND_NAMES_ZH:
        return word
    for kind, name in KIND_NAMES_ZH.items():
        if word == name:
            return kind
    raise ValueError(f"expected one of {kinds_text()}; got {text!r}")
