"""Compressed answers: gzip for a client that asks for it (``Accept-Encoding: gzip``).

The views inline their scripts and data (1-1.5 MB for a cluster's view), and the export, the sources and the
gap lists run to hundreds of kilobytes of JSON: gzip makes them five to ten times smaller on the wire, which
is what a city office's network notices. An answer under :data:`MINIMUM_SIZE` bytes, an error's small
problem document, a 304 and a file that is compressed already (:data:`ALREADY_COMPRESSED`: workbooks, zip
archives, PDFs) are sent as they are. A client that does not send ``Accept-Encoding: gzip`` gets every answer
uncompressed, as before.

What stays the same either way: the status, the weak ``ETag`` (a weak tag names the content, not its
encoding, so ``If-None-Match`` revalidates a compressed copy too: ``api.caching``) and a ``HEAD``'s headers,
which are those of the ``GET`` sent with the same ``Accept-Encoding`` (``api.head``). A compressed answer says
``Content-Encoding: gzip`` and ``Vary: Accept-Encoding``, so a cache keeps the two copies apart.

Examples
--------
>>> MINIMUM_SIZE, COMPRESS_LEVEL
(1024, 6)
>>> XLSX in ALREADY_COMPRESSED and "application/pdf" in ALREADY_COMPRESSED
True
"""

from __future__ import annotations

from fastapi import FastAPI
from starlette.middleware.gzip import DEFAULT_EXCLUDED_CONTENT_TYPES, GZipMiddleware

MINIMUM_SIZE = 1024
"""Answers shorter than this many bytes are sent uncompressed: gzip would save a few bytes at most."""

COMPRESS_LEVEL = 6
"""zlib's level: within 1 % of level 9's size in half its time (NEV's 1.4 MB view: 296 KB in 21 ms against 294 KB
in 43 ms); the 125 KB of ``/api/v1/gaps`` take 1 ms, to 14 KB."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ALREADY_COMPRESSED = (*DEFAULT_EXCLUDED_CONTENT_TYPES, XLSX, "application/pdf")
"""Media types sent as they are: a workbook is a zip archive, a PDF's streams are deflated already."""


def install(app: FastAPI) -> None:
    """Compress the answers of ``app`` for clients that accept gzip (call it inside :class:`api.head.HeadAsGet`)."""
    app.add_middleware(
        GZipMiddleware,
        minimum_size=MINIMUM_SIZE,
        compresslevel=COMPRESS_LEVEL,
        exclude_content_types=ALREADY_COMPRESSED,
    )
