"""Hostile inputs: Cypher injection, XSS, path traversal and Unicode edge cases.

The firms below are test fixtures, never data: they exist only in the
temporary graphs the tests import them into (``confidence`` ``unverified``).

Examples
--------
>>> all(isinstance(s, str) and s for s in CYPHER_INJECTIONS)
True
>>> "id" in hostile_firms_csv("s1").splitlines()[0]
True
"""

from __future__ import annotations

import csv
import io
from typing import Any

CYPHER_INJECTIONS: tuple[str, ...] = (
    "' OR 1=1 //",
    '" OR ""="',
    "nev' }) MATCH (n) DETACH DELETE n //",
    'nev"}) MATCH (n) DETACH DELETE n RETURN 1 //',
    "x') RETURN 1 UNION MATCH (n) DETACH DELETE n RETURN 1 //",
    "`) DETACH DELETE n //",
    "nev` SET n.name_zh = 'pwned' //",
    "}]->(x) MATCH (m:ChainkgMeta) SET m.gen = 'x' //",
    "$meta",
    "{id: 'nev'}",
    "CALL dbms.components() YIELD name RETURN name",
    "1; MATCH (n) DETACH DELETE n",
    "nev\\' OR 1=1 //",
    "nev\x00' OR 1=1",
    ".*",
    "(?i).*",
    "*",
    "%",
)
"""Strings that would change or widen a query if spliced into Cypher (or a regex, or SQL LIKE)."""

XSS_NAMES: dict[str, str] = {
    "name_zh": '<script>alert("xss-zh")</script>恶意企业',
    "name_en": "<img src=x onerror=alert('xss-en')>",
    "aliases": '"><svg onload=alert(1)>|</script><script>alert(2)</script>',
}
"""A firm's fields that try to run script wherever they are shown."""

XSS_MARKERS = ("<script>alert(", "<img src=x onerror", "<svg onload", "</script><script>")
"""What must never appear unescaped in an HTML page."""

UNICODE_NAMES: dict[str, str] = {
    "uni-emoji": "🔋⚡电池科技🚗有限公司",
    "uni-rtl": "شركة البطاريات المتقدمة",
    "uni-hebrew": "חברת סוללות",
    "uni-bidi": "常州\u202eCATL\u202c电池",
    "uni-zero-width": "宁德\u200b时代\u200d新能源\ufeff测试",
    "uni-combining": "Cafe\u0301 Materials Ä\u0308",
    "uni-astral": "𠀀𪚥 Tech 𝔘𝔫𝔦𝔠𝔬𝔡𝔢",
}
"""Firm ids (ASCII, as ids must be) and names with emoji, right-to-left text and zero-width characters."""

PATH_TRAVERSALS: tuple[str, ...] = (
    "../escape",
    "../../etc/chainkg-escape",
    "sub/../../escape",
    "./../escape",
)
"""Output paths that climb out of the folder they are given in (the suffix is added by each test)."""


def hostile_firm_rows(source_id: str) -> list[dict[str, Any]]:
    """Rows of the ``firms`` table: one XSS firm and the Unicode firms, all citing ``source_id``."""
    common = {"is_local": "true", "sources": source_id, "confidence": "unverified", "note": "test fixture"}
    rows = [{"id": "xss-firm", **XSS_NAMES, **common}]
    rows += [{"id": firm_id, "name_zh": name, **common} for firm_id, name in UNICODE_NAMES.items()]
    return rows


def hostile_firms_csv(source_id: str) -> str:
    """:func:`hostile_firm_rows` as a ``firms.csv`` file (UTF-8)."""
    rows = hostile_firm_rows(source_id)
    columns = ["id", "name_zh", "name_en", "aliases", "is_local", "sources", "confidence", "note"]
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=columns, lineterminator="\n")
    writer.writeheader()
    for row in rows:
        writer.writerow({c: row.get(c, "") for c in columns})
    return out.getvalue()
