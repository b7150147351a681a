"""Write ``queries/traditional.csv``: each traditional Chinese character and its simplified form.

The table is OpenCC's ``t2s`` conversion (https://github.com/BYVoid/OpenCC, Apache-2.0) applied to every
character of the CJK blocks one at a time, keeping those it changes into one other character. chainkg reads
the CSV (:mod:`queries.script`) and does not need OpenCC at run time; this script is run by hand, in a
throw-away environment, only to refresh the table::

    python3 -m venv /tmp/occ && /tmp/occ/bin/pip install opencc==1.4.2
    /tmp/occ/bin/python scripts/make_traditional_table.py
"""

from __future__ import annotations

import csv
from pathlib import Path

BLOCKS = [(0x3400, 0x4DBF), (0x4E00, 0x9FFF), (0x20000, 0x2A6DF)]
"""CJK Unified Ideographs, Extension A and Extension B (compatibility ideographs are folded by NFKC)."""
OUT = Path(__file__).resolve().parent.parent / "queries" / "traditional.csv"


def main() -> None:
    import opencc  # type: ignore[import-not-found]

    to_simplified = opencc.OpenCC("t2s")
    rows = []
    for first, last in BLOCKS:
        for point in range(first, last + 1):
            char = chr(point)
            simple = to_simplified.convert(char)
            if simple != char and len(simple) == 1:
                rows.append((char, simple))
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(["traditional", "simplified"])
        writer.writerows(rows)
    print(f"wrote {OUT} ({len(rows)} characters)")


if __name__ == "__main__":
    main()
