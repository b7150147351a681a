"""Render the reports to self-contained HTML: inline CSS and SVG, no script, nothing fetched.

Every page carries its Content-Security-Policy in a ``<meta>`` tag (the server
also sends it as a header): ``default-src 'none'``, the one stylesheet allowed
by its SHA-256 hash, no script at all. Text from the data is escaped by Jinja's
autoescaping, and the SVG built in Python escapes its own text.

Sources are numbered in the order the page cites them (``[n]`` marks), so the
appendix, rendered last, lists exactly the sources cited above it.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from reports.fixtures import report_city, HOSTILE_NAME
>>> from reports.gather import cluster_report
>>> page = render_cluster_report(cluster_report(MemoryStore(report_city()), "t-nev"))
>>> HOSTILE_NAME in page.html, "&lt;script&gt;alert(1)&lt;/script&gt;" in page.html
(False, True)
>>> "<script" in page.html, "script-src 'none'" in page.csp, "http" in page.csp
(False, True, False)
>>> ranges([1, 2, 3, 5, 7, 8])
'1–3, 5, 7–8'
>>> str(ref_links([1, 2, 3, 5]))
'<a href="#src-1">1</a>–<a href="#src-3">3</a>, <a href="#src-5">5</a>'
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, FileSystemLoader, select_autoescape
from markupsafe import Markup

import chainkg
from queries.candidates import rank_text
from queries.notes import reader_note
from reports import labels
from reports.charts import coverage_chart, health_chart, severity_chart
from reports.citations import Citations
from reports.diagram import chain_diagram
from reports.gather import latest_figure
from viz.sources import SourceBook

TEMPLATES = Path(__file__).parent / "templates"


@dataclass(frozen=True)
class RenderedReport:
    """A rendered report: the HTML and the Content-Security-Policy it needs (no script, one stylesheet)."""

    html: str
    csp: str


@dataclass(frozen=True)
class ServedLinks:
    """Links a served report shows (to the summary, the interactive view, the workbook, the JSON).

    Paths are relative to ``/reports/clusters/{id}`` and ``/reports/summary``, so they work behind a
    path prefix too. Reports written to files carry no such links.
    """

    def cluster_nav(self, cluster_id: str, *, per_gap: int | None = None) -> dict[str, str]:
        """Links from a cluster's full report (``/reports/clusters/{id}``); ``per_gap`` is kept on the brief and
        the workbook, whose 先找谁 lists it cuts the same way.

        >>> nav = ServedLinks().cluster_nav("nev", per_gap=1)
        >>> nav["brief"], nav["xlsx"], ServedLinks().cluster_nav("nev")["brief"]
        ('nev/brief?per_gap=1', 'nev.xlsx?per_gap=1', 'nev/brief')
        """
        cid = quote(cluster_id, safe="")
        kept = _query((("per_gap", per_gap),))
        return {
            "home": "../../",
            "summary": "../summary",
            "targets": "../targets",
            "brief": f"{cid}/brief{kept}",
            "view": f"../../views/clusters/{cid}",
            "xlsx": f"{cid}.xlsx{kept}",
            "json": f"../../api/v1/clusters/{cid}/gaps",
        }

    def brief_nav(self, cluster_id: str, *, per_gap: int | None = None) -> dict[str, str]:
        """Links from a cluster's meeting brief (``/reports/clusters/{id}/brief``); ``per_gap`` is kept on the full
        report and the workbook, whose 先找谁 lists it cuts the same way.

        >>> ServedLinks().brief_nav("nev")["report"], ServedLinks().brief_nav("nev")["home"]
        ('../nev', '../../../')
        >>> ServedLinks().brief_nav("nev", per_gap=2)["report"]
        '../nev?per_gap=2'
        """
        cid = quote(cluster_id, safe="")
        kept = _query((("per_gap", per_gap),))
        return {
            "home": "../../../",
            "report": f"../{cid}{kept}",
            "view": f"../../../views/clusters/{cid}",
            "xlsx": f"../{cid}.xlsx{kept}",
            "targets": "../../targets",
        }

    def cluster(self, cluster_id: str) -> str:
        """Link from the summary to a cluster's report."""
        return "clusters/" + quote(cluster_id, safe="")

    def targets_nav(self, *, year: int | None, list_year: int | None, kind: str | None) -> dict[str, Any]:
        """Links from the city's 先找谁 page (``/reports/targets``): home, the summary, the city workbook (for the
        same year and list), the same list as JSON, each cluster's report (``cluster``) and a gap there
        (``gap_link``, a pattern of :func:`targets_table`'s).

        >>> nav = ServedLinks().targets_nav(year=2023, list_year=None, kind="missing")
        >>> nav["xlsx"], nav["json"], nav["cluster"]("nev")
        ('summary.xlsx?year=2023', '../api/v1/targets?year=2023&kind=missing', 'clusters/nev')
        """
        book = _query((("year", year), ("list_year", list_year)))
        listed = _query((("year", year), ("list_year", list_year), ("kind", kind)))
        return {
            "home": "../",
            "summary": "summary" + book,
            "xlsx": "summary.xlsx" + book,
            "json": "../api/v1/targets" + listed,
            "cluster": self.cluster,
            "gap_link": "clusters/{cluster}#gap-{rank}",
        }

    def summary_nav(self, *, year: int | None, list_year: int | None) -> dict[str, str]:
        """Links from the summary: the workbook of every cluster's gaps, for the same year and list.

        >>> ServedLinks().summary_nav(year=None, list_year=2024)["xlsx"]
        'summary.xlsx?list_year=2024'
        """
        query = urlencode({k: v for k, v in (("year", year), ("list_year", list_year)) if v is not None})
        return {
            "home": "../",
            "overview": "../views/overview",
            "targets": "targets" + (f"?{query}" if query else ""),
            "xlsx": "summary.xlsx" + (f"?{query}" if query else ""),
            "json": "../api/v1/health-ranking",
        }


def _query(pairs: tuple[tuple[str, object], ...]) -> str:
    """``?a=1&b=2`` of the pairs whose value is not ``None``; ``""`` when none is."""
    query = urlencode({k: v for k, v in pairs if v is not None})
    return f"?{query}" if query else ""


def ranges(numbers: list[int]) -> str:
    """Join sorted citation numbers, collapsing runs: ``1–3, 5``."""
    out: list[str] = []
    start = prev = None
    for n in numbers:
        if start is None:
            start = prev = n
        elif prev is not None and n == prev + 1:
            prev = n
        else:
            out.append(str(start) if start == prev else f"{start}–{prev}")
            start = prev = n
    if start is not None:
        out.append(str(start) if start == prev else f"{start}–{prev}")
    return ", ".join(out)


def ref_links(numbers: list[int]) -> Markup:
    """Citation numbers as :func:`ranges` joins them, each printed number a link to its appendix row.

    The links are inside the page (``#src-n``), so they work from a file, offline and in the PDF.
    """
    parts = []
    for part in ranges(numbers).split(", ") if numbers else []:
        ends = part.split("–")
        parts.append("–".join(f'<a href="#src-{int(n)}">{int(n)}</a>' for n in ends))
    return Markup(", ".join(parts))


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def report_css() -> str:
    """The reports' stylesheet (inlined in every page)."""
    return (TEMPLATES / "report.css").read_text(encoding="utf-8")


def report_csp() -> str:
    """The policy of every report page: nothing but its own inline stylesheet, by hash."""
    return "; ".join(
        [
            "default-src 'none'",
            "script-src 'none'",
            "style-src " + _sha256(report_css()),
            "img-src 'none'",
            "font-src 'none'",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _is_web(url: str) -> bool:
    return url.lower().startswith(("http://", "https://"))


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        keep_trailing_newline=True,
    )
    env.filters.update(
        {
            "ranges": ranges,
            "ref_links": ref_links,
            "score": labels.score,
            "pct": labels.pct,
            "figure_value": labels.figure_value,
            "is_web": _is_web,
            "tag_zh": labels.tag_zh,
            "rank_text": rank_text,
            "reader_note": reader_note,  # a data note without its audit trail (queries.notes, review 16a M7)
        }
    )
    env.globals["labels"] = {
        "kind_short": labels.GAP_SHORT,
        "kind": labels.KIND_LABELS,
        "metric": labels.METRIC_LABELS,
        "period": labels.PERIOD_LABELS,
        "position": labels.POSITION_LABELS,
        "role": labels.ROLE_LABELS,
        "status": labels.STATUS_LABELS,
        "project_status": labels.PROJECT_STATUS_LABELS,
    }
    env.globals["health"] = {
        "terms": labels.health_terms(),
        "formula_zh": labels.health_formula("zh"),
        "formula_en": labels.health_formula("en"),
    }
    return env


def _render(template: str, cites: Citations, **context: Any) -> RenderedReport:
    css = report_css()
    csp = report_csp()
    helpers: dict[str, Callable[..., Any]] = {"cite": cites.cite, "cites_appendix": cites.appendix}
    html = (
        _environment()
        .get_template(template)
        .render(csp=csp, css=css, version=chainkg.__version__, **helpers, **context)
    )
    return RenderedReport(html=html, csp=csp)


def render_cluster_report(
    data: dict[str, Any], *, book: SourceBook | None = None, links: ServedLinks | None = None
) -> RenderedReport:
    """Render a cluster report gathered by :func:`reports.gather.cluster_report`.

    ``book`` resolves source ids (default: the ids' own sources, from ``data["sources_book"]``
    when present); ``links`` adds the served page's navigation.
    """
    book = book or data.get("sources_book") or SourceBook()
    ch = data["chain"]
    ranks = {g["segment_id"]: g["rank"] for g in data["gaps"]}
    segment_sources = [s for seg in ch["segments"] for s in seg["sources"]]
    link_sources = [s for lk in ch["links"] if not lk["cross_cluster"] for s in lk["sources"]]
    return _render(
        "cluster.html.j2",
        Citations(book),
        data=data,
        diagram=Markup(chain_diagram(ch, ranks).svg),
        coverage=Markup(coverage_chart(ch["segments"])),
        severity=Markup(severity_chart(data["gaps"])),
        segment_sources=segment_sources,
        link_sources=link_sources,
        nav=links.cluster_nav(data["cluster"]["id"], per_gap=data.get("per_gap")) if links else None,
    )


BRIEF_GAPS = 5
"""The most severe gaps a meeting brief lists."""

BRIEF_TARGETS = 5
"""The first firms to approach a meeting brief lists."""

BRIEF_DATED_YEARS = 5
"""A brief's head figure this many years older than the brief is marked 较旧 dated."""


def render_brief(
    data: dict[str, Any], *, book: SourceBook | None = None, links: ServedLinks | None = None
) -> RenderedReport:
    """Render a cluster's meeting brief (会议简报) from :func:`reports.gather.cluster_report`'s data.

    One or two A4 pages before the sources: the head figures, the :data:`BRIEF_GAPS` most severe gaps (why,
    and the first candidate), the first :data:`BRIEF_TARGETS` firms to approach, the anchor firms, and the
    gaps no outside firm in the data can fill. Everything else is in the full report.
    """
    book = book or data.get("sources_book") or SourceBook()
    return _render(
        "brief.html.j2",
        Citations(book),
        data=data,
        figure=latest_figure(data["cluster"]),
        brief={"gaps": BRIEF_GAPS, "targets": BRIEF_TARGETS, "dated_years": BRIEF_DATED_YEARS},
        nav=links.brief_nav(data["cluster"]["id"], per_gap=data.get("per_gap")) if links else None,
    )


def render_summary_report(
    data: dict[str, Any], *, book: SourceBook | None = None, links: ServedLinks | None = None
) -> RenderedReport:
    """Render the summary gathered by :func:`reports.gather.summary_report`."""
    book = book or data.get("sources_book") or SourceBook()
    return _render(
        "summary.html.j2",
        Citations(book),
        data=data,
        chart=Markup(health_chart(data["ranking"])),
        links=links,
        nav=links.summary_nav(year=data["year"], list_year=data["list_year"]) if links else None,
    )


def render_targets_report(
    data: dict[str, Any], *, book: SourceBook | None = None, links: ServedLinks | None = None
) -> RenderedReport:
    """Render the city's 先找谁 page gathered by :func:`reports.city_targets.city_targets_report`."""
    book = book or data.get("sources_book") or SourceBook()
    nav = links.targets_nav(year=data["year"], list_year=data["list_year"], kind=data["kind"]) if links else None
    return _render("targets.html.j2", Citations(book), data=data, nav=nav)


def render_not_found(node_id: str, suggestions: list[str], *, brief: bool = False) -> RenderedReport:
    """A 404 page for an unknown cluster, linking to the reports of the nearest ids (served paths).

    ``brief``: the page answers ``/reports/clusters/{id}/brief``, so it links to the nearest ids' briefs.

    >>> '<a href="../nev/brief">nev</a>' in render_not_found("nevv", ["nev"], brief=True).html
    True
    """
    href, summary = ("../{}/brief", "../../summary") if brief else ("{}", "../summary")
    items = [(s, href.format(quote(s, safe=""))) for s in suggestions]
    return _render("not_found.html.j2", Citations(SourceBook()), node_id=node_id, suggestions=items, summary=summary)
