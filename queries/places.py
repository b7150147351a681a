"""English names of the places firms are based in: the ``hq`` of a firm, for ``--lang en`` and ``hq_en``.

``hq`` is written as the sources give it, mostly in Chinese (``溧阳``, ``四川成都``, ``荷兰埃因霍温``).
``place_names.csv`` beside this module is a glossary of those values in English: Chinese places
in pinyin in the form the value has (``四川成都`` is ``Chengdu, Sichuan``, ``成都`` just ``Chengdu``),
foreign places by their usual English name, and the districts of Changzhou by the name
``districts.csv`` gives them. It is a translation aid, not a fact about a firm: a value it does
not hold keeps its Chinese (:func:`place_en` answers ``None``), and a value already written in
Latin letters is its own English.

Examples
--------
>>> place_en("四川成都")
'Chengdu, Sichuan'
>>> hq_in("荷兰埃因霍温", "en"), hq_in("荷兰埃因霍温", "zh")
('Eindhoven, Netherlands', '荷兰埃因霍温')
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path
from typing import Any

from queries.lookup import normalise

PLACE_NAMES = Path(__file__).with_name("place_names.csv")
"""The glossary: one row per ``hq`` value, columns ``name_zh,name_en``."""
COLUMNS = ["name_zh", "name_en"]
HAN = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff]")
"""A Chinese character: a value without one needs no glossary."""


def read_place_names(path: Path = PLACE_NAMES) -> dict[str, str]:
    """Read a glossary file into ``{name_zh: name_en}``.

    Parameters
    ----------
    path
        A UTF-8 CSV file with the header ``name_zh,name_en``.

    Returns
    -------
    dict[str, str]
        Each Chinese value with its English name.

    Raises
    ------
    ValueError
        On another header, an empty or padded cell, a ``name_en`` with Chinese in it, or a
        ``name_zh`` given twice; the message names the file, the row, the field and the value.
    """
    names: dict[str, str] = {}
    with path.open(encoding="utf-8", newline="") as f:
        reader = csv.DictReader(f)
        if reader.fieldnames != COLUMNS:
            raise ValueError(f"{path}: header {reader.fieldnames}, expected {COLUMNS}")
        for row_number, row in enumerate(reader, start=2):
            for field in COLUMNS:
                value = row[field]
                if not value or value != value.strip():
                    raise ValueError(f"{path} row {row_number}: {field} {value!r}, expected a name without padding")
            zh, en = row["name_zh"], row["name_en"]
            if HAN.search(en):
                raise ValueError(f"{path} row {row_number}: name_en {en!r}, expected an English name")
            if zh in names:
                raise ValueError(f"{path} row {row_number}: name_zh {zh!r}, already given in an earlier row")
            names[zh] = en
    return names


@cache
def place_names() -> dict[str, str]:
    """The bundled glossary (:data:`PLACE_NAMES`), read once."""
    return read_place_names()


def place_en(name_zh: str) -> str | None:
    """The English name of the place ``name_zh``; ``None`` when the glossary has none.

    Parameters
    ----------
    name_zh
        A firm's ``hq`` as the data gives it.

    Returns
    -------
    str or None
        The glossary's English name; the value itself when it has no Chinese character;
        ``None`` for an empty value or one the glossary does not hold.

    Examples
    --------
    >>> place_en("溧阳")
    'Liyang'
    >>> place_en("Jessup, Maryland")
    'Jessup, Maryland'
    >>> place_en("火星") is None, place_en("") is None
    (True, True)
    """
    if not name_zh:
        return None
    if not HAN.search(name_zh):
        return name_zh
    return place_names().get(name_zh)


def hq_in(hq: str, lang: str) -> str:
    """A firm's ``hq`` to show in ``lang``: in English where :func:`place_en` knows it, else as the data gives it.

    >>> hq_in("新余", "en"), hq_in("新余", "zh"), hq_in("火星", "en")
    ('Xinyu', '新余', '火星')
    """
    if lang == "en":
        return place_en(hq) or hq
    return hq


def _place_key(text: str) -> str:
    return normalise(text).removesuffix("市")


def headquartered_in(items: list[dict[str, Any]], place: str) -> tuple[list[dict[str, Any]], int]:
    """The firms of ``items`` whose headquarters name ``place``, and how many give none at all.

    A firm matches when ``place`` (folded as search folds names: traditional to simplified, case and width; a
    final 市 dropped) is part of its ``hq`` or of ``hq_en``: ``深圳`` finds ``广东深圳``, ``shenzhen`` finds
    ``Shenzhen``. Items keep their order and their fields (a target's ``rank`` is still its rank in the whole
    list). A firm the data give no ``hq`` for may be in ``place`` too, so those are counted, not guessed (review
    16a: a 招商 trip to 深圳 and 上海 had no way to list the firms there).

    Examples
    --------
    >>> firms = [{"firm_id": "a", "hq": "广东深圳", "hq_en": "Shenzhen, Guangdong"}, {"firm_id": "b", "hq": "上海",
    ...          "hq_en": "Shanghai"}, {"firm_id": "c", "hq": "", "hq_en": ""}]
    >>> kept, unknown = headquartered_in(firms, "深圳市")
    >>> [f["firm_id"] for f in kept], unknown
    (['a'], 1)
    >>> [f["firm_id"] for f in headquartered_in(firms, "SHANGHAI")[0]]
    ['b']
    """
    key = _place_key(place)
    kept = [
        item for item in items if key and any(key in _place_key(item.get(field) or "") for field in ("hq", "hq_en"))
    ]
    unknown = sum(1 for item in items if not item.get("hq"))
    return kept, unknown


def narrow_to_hq(items: list[dict[str, Any]], place: str | None) -> tuple[list[dict[str, Any]], int | None]:
    """``items`` narrowed to the firms headquartered in ``place`` (:func:`headquartered_in`) and how many of all
    give no ``hq``; without ``place``, ``items`` as they are and ``None``: what the lists' ``hq`` filter answers
    (``hq_unknown``), in the API and the CLI alike.

    >>> narrow_to_hq([{"hq": "上海"}, {"hq": ""}], "上海"), narrow_to_hq([{"hq": ""}], None)
    (([{'hq': '上海'}], 1), ([{'hq': ''}], None))
    """
    if place is None:
        return items, None
    return headquartered_in(items, place)


def hq_note(place: str, shown: int, unknown: int, lang: str) -> str:
    """The line under a list narrowed to ``place``: how many firms are there, and how many the data place nowhere.

    >>> hq_note("深圳", 3, 15, "en")
    '3 firms headquartered in 深圳; 15 more of the whole list have no headquarters in the data (they may be there too)'
    """
    en = (
        f"{shown} firm{'' if shown == 1 else 's'} headquartered in {place}; {unknown} more of the whole list have no "
        "headquarters in the data (they may be there too)"
    )
    if lang == "en":
        return en
    return f"总部在「{place}」的企业 {shown} 家；整个名单中另有 {unknown} 家数据未注明总部（也可能在此） / {en}"
