"""How projects, tiers and policies are rendered in answers: short references, amounts, cited sources.

Examples
--------
>>> from graph.model import Project
>>> investment_text(Project(id="p", name_zh="项目", investment_amount=400, investment_qualifier=">",
...                         sources=("s",)))
'超400亿元'
>>> investment_text(Project(id="p", name_zh="项目", investment_amount=5, investment_currency="USD",
...                         sources=("s",)))
'5亿美元'
>>> amount_text(200, "万元", "≤"), amount_text(5000, "亿元", "≲")
('最高200万元', '近5000亿元')
"""

from __future__ import annotations

import re
from decimal import Decimal
from typing import Any

from graph.model import Instrument, Node, Project
from graph.store import GraphStore

QUALIFIER_ZH = {">": "超", "≥": "", "≈": "约", "≲": "近", "=": "", "<": "不足", "≤": "最高"}
"""The word before an amount for each qualifier (``graph.model.Qualifier``); ``≥`` is written after it."""
QUALIFIER_SUFFIX_ZH = {"≥": "以上"}
CURRENCY_ZH = {"CNY": "亿元", "USD": "亿美元"}


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def amount_text(amount: float | None, unit: str, qualifier: str = "=") -> str:
    """An amount as the sources write it: ``超400亿元``, ``近5000亿元``, ``500亿元以上``, ``最高200万元``; empty for
    none."""
    if amount is None:
        return ""
    return f"{QUALIFIER_ZH.get(qualifier, '')}{_num(amount)}{unit}{QUALIFIER_SUFFIX_ZH.get(qualifier, '')}"


def investment_text(project: Project) -> str:
    """A project's investment in Chinese, e.g. ``约150亿元``; empty when the sources give none."""
    return amount_text(
        project.investment_amount, CURRENCY_ZH[project.investment_currency.value], project.investment_qualifier
    )


def brief(node: Node | None, node_id: str = "") -> dict[str, Any]:
    """``{"id", "name_zh", "name_en"}`` of a node (names empty when it is missing)."""
    if node is None:
        return {"id": node_id, "name_zh": "", "name_en": ""}
    return {"id": node.id, "name_zh": node.name_zh, "name_en": node.name_en}


def instrument_item(item: Instrument) -> dict[str, Any]:
    """A policy instrument as JSON, with its amount written out (``amount_text``)."""
    out = item.model_dump(mode="json")
    out["tier_id"] = item.tier_id or None
    out["amount_text"] = amount_text(item.amount, item.unit, item.qualifier)
    return out


def source_refs(store: GraphStore, ids: set[str] | list[str] | tuple[str, ...]) -> list[dict[str, Any]]:
    """The sources behind ``ids``, sorted by id: titles, publisher, date, address, document number, reliability.

    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_layers
    >>> [s["publisher"] for s in source_refs(MemoryStore(tiny_layers()), ["s-tiny", "s-gone"])]
    ['chainkg tests']
    """
    found = (store.node(sid) for sid in sorted(set(ids)))
    return [source_ref(src) for src in found if src is not None]


def source_ref(src: Node) -> dict[str, Any]:
    """One source node as answers describe it (``sources_ref``): titles, publisher, date, address, number."""
    return {
        "id": src.id,
        "title": src.name_zh,
        "title_en": src.name_en,
        "publisher": getattr(src, "publisher", ""),
        "date": getattr(src, "date", ""),
        "url": getattr(src, "url", ""),
        "doc_no": getattr(src, "doc_no", ""),
        "reliability": getattr(src, "reliability", ""),
    }


QUALIFIER_WORDS = {"超": "over ", "约": "about ", "近": "nearly ", "不足": "under ", "最高": "up to "}
"""The words before an amount in :func:`amount_text` (``超400亿元``), in English."""
AT_LEAST_SUFFIX = "以上"
"""The word after an amount that means "at least" (``500亿元以上``)."""
UNITS = {"亿元": (10**8, "CNY"), "亿美元": (10**8, "USD"), "万元": (10**4, "CNY"), "元": (1, "CNY")}
"""The units of ``amount_text`` (how many of the currency one unit is) and their currency."""
_AMOUNT = re.compile(r"^(超|约|近|不足|最高)?(\d+(?:\.\d+)?)(亿美元|亿元|万元|元)(以上)?$")


def english_amount(text: str) -> str:
    """An amount written as :func:`amount_text` writes it (``超400亿元``), in English.

    The number is converted exactly (1亿 = 100 million, 1万 = 10,000). A text in another form is
    returned as it is, so nothing is guessed.

    >>> english_amount("超400亿元"), english_amount("5亿美元"), english_amount("最高50万元"), english_amount("13.9亿元")
    ('over CNY 40 billion', 'USD 500 million', 'up to CNY 500,000', 'CNY 1.39 billion')
    >>> english_amount("500亿元以上"), english_amount("数十亿元"), english_amount("")
    ('at least CNY 50 billion', '数十亿元', '')
    >>> english_amount("近5000亿元"), english_amount("约150亿元")
    ('nearly CNY 500 billion', 'about CNY 15 billion')
    """
    found = _AMOUNT.match(text.strip())
    if not found:
        return text
    qualifier, number, unit, at_least = found.groups()
    scale, currency = UNITS[unit]
    value = Decimal(number) * scale
    if value >= 10**9:
        amount = f"{(value / 10**9).normalize():f} billion"
    elif value >= 10**6:
        amount = f"{(value / 10**6).normalize():f} million"
    else:
        amount = f"{value:,.0f}"
    words = "at least " if at_least else QUALIFIER_WORDS.get(qualifier or "", "")
    return f"{words}{currency} {amount}"
