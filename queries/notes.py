"""The part of a data note that is for readers, not for the data's maintainers.

A ``note`` in the bundled data often ends with the trail of a data audit: ``Audit 2026-12-07 (14b): hq (was 福建宁德)
was cleared: no cited page gives it (general knowledge, GK, left out by the README's GK rule ...)``. That trail is
why the data are as they are, and it stays in the data files, the API and ``--json``; but printed in a cluster
report, a firm page or a view panel it reads as maintainers' shorthand (review 16a: "Audit", "README" and a
research file's name in an official report). :func:`reader_note` keeps what comes before it; a note that is only
an audit trail reads as empty.

Examples
--------
>>> reader_note("Share 15% (c.2021). Audit 2026-12-07 (14b): now also cites the page of its OPERATES_IN row")
'Share 15% (c.2021).'
>>> reader_note("Audit 2026-12-07 (14b): 华为 removed from the aliases")
''
>>> reader_note("2023H1 domestic share 33%, #1")
'2023H1 domestic share 33%, #1'
"""

from __future__ import annotations

import re

AUDIT_TRAIL = re.compile(r"(?:^|[\s;；.。(（])\s*Audit \d{4}-\d{2}-\d{2}\b")
"""Where a note's audit trail starts: ``Audit YYYY-MM-DD``, at the start or after a sentence or a clause."""


def reader_note(note: str) -> str:
    """``note`` without its audit trail (from the first ``Audit YYYY-MM-DD`` on), trimmed of the separator before it.

    >>> reader_note("JV with 上海机电; Audit 2026-12-07: x"), reader_note("")
    ('JV with 上海机电', '')
    """
    match = AUDIT_TRAIL.search(note or "")
    if match is None:
        return note or ""
    return note[: match.start() + 1 if match.group(0)[:1] in ".。" else match.start()].rstrip(" ;；(（")
