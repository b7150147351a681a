"""Printable reports: a cluster report (A4 HTML), a gap workbook (xlsx) and a health summary of all clusters.

Everything is computed by :mod:`queries`; this package only gathers, lays out
and writes. HTML reports are self-contained (inline CSS and SVG, no script, no
request leaves the page) and are served with a Content-Security-Policy that
allows only their own stylesheet. See ``docs/reports.md``.
"""
