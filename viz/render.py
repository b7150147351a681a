"""Render a :class:`~viz.page.ViewNetwork` to one self-contained HTML page.

pyvis's own template loads Bootstrap from a CDN even with ``cdn_resources="in_line"``
(pyvis 0.3.2, bugs #228/#229), so chainkg ships its own template
(``viz/templates/view.html.j2``). It inlines vis-network 9.1.2's JS and CSS from
the installed pyvis package and chainkg's own small CSS and JS; the graph data
travel as a ``<script type="application/json">`` block escaped with Jinja's
``tojson``. A file view requests nothing: it works from ``file://`` and on an
intranet, its search index embedded.

A served view (``LinkStyle.served()``) leaves the search index out and loads it,
once, from ``/views/search-index/<digest>.js`` (:mod:`viz.search_index`): a
script the browser keeps and reuses on every page of the same data.

Every inline script and style is allowed by its SHA-256 hash in a
Content-Security-Policy (sent as a header by the server and repeated in a
``<meta>`` tag so files opened from disk are covered too). A served view's
policy adds one more hash, the index script's, which the page also gives the
script as its ``integrity``: CSP 3 lets a hash allow an external script whose
integrity names it (Chrome 59, Firefox 116, Safari 15.6), so exactly those bytes
may run and no URL, not even the page's own origin (``'self'``), is allowed.

Examples
--------
>>> from viz.page import ViewNetwork
>>> net = ViewNetwork(kind="overview", subject_id=None, title="<b>常州</b>", api_path="/api/v1/clusters")
>>> net.add_view_node("a", "<img src=x onerror=alert(1)>", kind="cluster", info={"name_zh": "<i>"})
>>> page = render_view(net, LinkStyle.served())
>>> "<img src=x" in page.html, "&lt;b&gt;常州&lt;/b&gt;" in page.html, "https://" in page.csp
(False, True, False)
>>> page.html.count("<script src="), '"index": null' in page.html, page.csp.count("'sha256-")
(0, True, 6)
>>> page = render_view(net, LinkStyle.file())
>>> '"index": []' in page.html, '"indexScript": null' in page.html, page.csp.count("'sha256-")
(True, True, 5)
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pyvis
from jinja2 import Environment, FileSystemLoader, select_autoescape

import chainkg
from viz.home import CITY_LINKS, DEVELOPER_LINKS, TITLE_EN, TITLE_ZH
from viz.page import DEFAULT_LANGUAGE, ViewNetwork, page_language
from viz.search_index import EAGER_ENTRIES, IndexScript, index_script
from viz.style import COLOURS, FONT_STACK, GAP_LABELS, KIND_LABELS, english_part

TEMPLATES = Path(__file__).parent / "templates"
VIS_DIR = Path(pyvis.__file__).parent / "lib" / "vis-9.1.2"

VIEW_PATHS = {
    "overview": "overview",
    "cluster": "clusters/{id}",
    "segment": "segments/{id}",
    "firm": "firms/{id}",
}
"""Where each view is served, under ``/views/``."""

API_PATHS = {
    "overview": "api/v1/clusters",
    "cluster": "api/v1/clusters/{id}",
    "segment": "api/v1/segments/{id}",
    "firm": "api/v1/firms/{id}",
}
"""The JSON resource of each kind of node (relative to the server's root)."""

PAGE_API = {
    "overview": [("JSON", "api/v1/clusters")],
    "cluster": [("JSON: chain", "api/v1/clusters/{id}/chain"), ("gaps", "api/v1/clusters/{id}/gaps")],
    "segment": [
        ("JSON: segment", "api/v1/segments/{id}"),
        ("candidates", "api/v1/segments/{id}/candidates"),
        ("impact", "api/v1/segments/{id}/impact"),
    ],
    "firm": [("JSON: firm", "api/v1/firms/{id}")],
}
"""The JSON API resources behind each page, linked from its header."""

REPORT_PATH = "reports/clusters/{id}"
BRIEF_PATH = REPORT_PATH + "/brief"
"""A cluster's printable report, linked from the cluster view's header when served (or with a base URL)."""

FILE_NAMES = {
    "overview": "overview.html",
    "cluster": "cluster-{id}.html",
    "segment": "segment-{id}.html",
    "firm": "firm-{id}.html",
}
"""File names ``chainkg render`` suggests, so that views written side by side link to each other."""


@dataclass(frozen=True)
class LinkStyle:
    """How a page links to other views and to the JSON API.

    ``served``: relative links that resolve under ``/views/`` and ``/api/v1/``
    on whatever host serves the page. ``file``: sibling files named as in
    :data:`FILE_NAMES`; with ``base_url`` (e.g. ``http://intranet:8000``) views
    and API links point at that server instead.
    """

    mode: str
    base_url: str | None = None

    @classmethod
    def served(cls) -> LinkStyle:
        return cls("served")

    @classmethod
    def file(cls, base_url: str | None = None) -> LinkStyle:
        if base_url is not None and not base_url.startswith(("http://", "https://")):
            raise ValueError(f"base URL must start with http:// or https://; got {base_url!r}")
        return cls("file", base_url.rstrip("/") if base_url else None)

    def patterns(self, page_kind: str) -> dict[str, dict[str, str | None]]:
        """URL patterns (``{id}`` to fill) for each kind of view and API resource, seen from ``page_kind``."""
        if self.mode == "served":
            to_views = "" if page_kind == "overview" else "../"
            to_root = "../" if page_kind == "overview" else "../../"
            return {
                "view": {k: to_views + p for k, p in VIEW_PATHS.items()},
                "api": {k: to_root + p for k, p in API_PATHS.items()},
            }
        if self.base_url:
            return {
                "view": {k: f"{self.base_url}/views/{p}" for k, p in VIEW_PATHS.items()},
                "api": {k: f"{self.base_url}/{p}" for k, p in API_PATHS.items()},
            }
        return {"view": dict(FILE_NAMES), "api": dict.fromkeys(API_PATHS)}


def fill(pattern: str | None, node_id: str | None) -> str | None:
    """Put a URL-quoted id into a link pattern.

    >>> fill("../segments/{id}", "t-cell"), fill(None, "x")
    ('../segments/t-cell', None)
    """
    if pattern is None:
        return None
    return pattern.replace("{id}", quote(node_id or "", safe=""))


@dataclass(frozen=True)
class RenderedPage:
    """A rendered view: the HTML and the Content-Security-Policy that lets exactly its inline code run."""

    html: str
    csp: str


@lru_cache(maxsize=1)
def _assets() -> dict[str, str]:
    return {
        "vis_js": (VIS_DIR / "vis-network.min.js").read_text(encoding="utf-8"),
        "vis_css": (VIS_DIR / "vis-network.css").read_text(encoding="utf-8"),
        "app_js": (TEMPLATES / "view.js").read_text(encoding="utf-8"),
        "app_css": (TEMPLATES / "view.css").read_text(encoding="utf-8"),
    }


def _sha256(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii") + "'"


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(TEMPLATES)),
        autoescape=select_autoescape(["html", "j2"], default_for_string=True),
        keep_trailing_newline=True,
    )
    # tojson still escapes < > & ' (safe inside <script>); keep Chinese as UTF-8, not \uXXXX
    env.policies["json.dumps_kwargs"] = {"sort_keys": False, "ensure_ascii": False}
    return env


def content_security_policy(scripts: list[str], styles: list[str], external: tuple[IndexScript, ...] = ()) -> str:
    """A policy that allows only these inline scripts and styles, ``data:`` images and nothing remote.

    ``external``: same-origin scripts a served page loads (its search index), each allowed by its hash alone; the
    page gives the script element the same hash as its ``integrity``, which is what lets a hash source match an
    external script (CSP 3). No URL is listed, and ``connect-src`` stays ``'none'``: the page fetches nothing.
    """
    return "; ".join(
        [
            "default-src 'none'",
            "script-src " + " ".join([_sha256(s) for s in scripts] + [e.csp_source for e in external]),
            "style-src " + " ".join(_sha256(s) for s in styles),
            "img-src data:",
            "font-src 'none'",
            "connect-src 'none'",
            "base-uri 'none'",
            "form-action 'none'",
        ]
    )


def _theme_css() -> str:
    """The colours and font stack as CSS custom properties (a separate, hashed style block)."""
    rules = [f"--font: {FONT_STACK};"] + [f"--c-{name.replace('_', '-')}: {value};" for name, value in COLOURS.items()]
    return ":root { " + " ".join(rules) + " }"


def _page_links(net: ViewNetwork, links: LinkStyle, patterns: dict[str, dict[str, str | None]]) -> dict[str, Any]:
    """The header's links: the home page and a cluster's report and meeting brief (served, or with a base URL; a
    file has none beside it), the overview, and each JSON resource behind the page (a path alone when unlinked)."""
    api = []
    for label, path in PAGE_API[net.view_kind]:
        full = "/" + path.replace("{id}", net.subject_id or "")
        if links.mode == "served":
            to_root = "../" if net.view_kind == "overview" else "../../"
            href = fill(to_root + path, net.subject_id)
        elif links.base_url:
            href = fill(f"{links.base_url}/{path}", net.subject_id)
        else:
            href = None
        api.append({"label": label, "href": href, "path": full})
    home = report = brief = None
    root = None
    if links.mode == "served":
        root = "../" if net.view_kind == "overview" else "../../"
    elif links.base_url:
        root = links.base_url + "/"
    if root is not None:
        home = root
        if net.view_kind == "cluster":
            report, brief = (fill(root + path, net.subject_id) for path in (REPORT_PATH, BRIEF_PATH))
    return {"overview": patterns["view"]["overview"], "api": api, "home": home, "report": report, "brief": brief}


def split_pool(net: ViewNetwork) -> tuple[dict[str, list[dict[str, Any]]], dict[str, list[dict[str, Any]]]]:
    """Split the network into what the page draws at once and the pool it adds on demand.

    Hidden nodes (firms shown on click or by the toggle) and the edges that touch
    them are kept out of vis-network's data until shown, so they take no room in
    the layout and cost nothing to draw. Every edge gets a stable ``id``.

    >>> from viz.page import ViewNetwork
    >>> net = ViewNetwork(kind="cluster", subject_id="c", title="c", api_path="")
    >>> net.add_view_node("s", "s", kind="segment", info={})
    >>> net.add_view_node("f", "f", kind="firm", info={}, hidden=True)
    >>> net.add_view_edge("s", "f")
    >>> shown, pool = split_pool(net)
    >>> [n["id"] for n in shown["nodes"]], [n["id"] for n in pool["nodes"]], pool["edges"][0]["id"]
    (['s'], ['f'], 'e0')
    """
    pooled = {n["id"] for n in net.nodes if n.get("hidden")}
    shown: dict[str, list[dict[str, Any]]] = {"nodes": [], "edges": []}
    pool: dict[str, list[dict[str, Any]]] = {"nodes": [], "edges": []}
    for node in net.nodes:
        if node["id"] in pooled:
            pool["nodes"].append({**node, "hidden": False})
        else:
            shown["nodes"].append(node)
    for i, edge in enumerate(net.edges):
        item = {"id": f"e{i}", **edge}
        (pool if item["from"] in pooled or item["to"] in pooled else shown)["edges"].append(item)
    return shown, pool


PANEL_KIND_LABELS = {"cluster_link": "跨集群供应 Cross-cluster supply"}
"""The badge of a details panel that is not a node's: an overview arrow's (``info.kind``,
:func:`viz.overview.link_info`)."""
CLEAR_OF_PANEL = frozenset({"overview"})
"""The kinds of view fitted left of where the details panel opens on a wide screen (``page.clear_of_panel``): the
overview's clusters stay clickable with the panel open (review 13); a chain is fitted to the whole width instead.
"""

LARGE_PHYSICS_VIEW = 300
"""Over this many nodes drawn with physics, stabilisation runs fewer, smaller batches."""


def tuned_options(options: dict[str, Any], drawn: int) -> dict[str, Any]:
    """Bound the force layout of big views so that the page settles within 3 s.

    Small batches let the page's 2 s cut-off stop a long stabilisation promptly.

    >>> tuned_options({"physics": {"enabled": True, "stabilization": {"iterations": 300}}}, 1000)["physics"]
    {'enabled': True, 'stabilization': {'iterations': 120, 'updateInterval': 10}, 'barnesHut': {'theta': 0.8}}
    >>> tuned_options({"physics": {"enabled": False}}, 1000)
    {'physics': {'enabled': False}}
    """
    physics = options.get("physics", {})
    if not physics.get("enabled", True) or drawn <= LARGE_PHYSICS_VIEW:
        return options
    stabilization = {**physics.get("stabilization", {}), "iterations": 120, "updateInterval": 10}
    barnes_hut = {**physics.get("barnesHut", {}), "theta": 0.8}
    return {**options, "physics": {**physics, "stabilization": stabilization, "barnesHut": barnes_hut}}


def english_info(info: dict[str, Any]) -> dict[str, Any]:
    """A copy of a details-panel ``info`` with the English the language switch shows next to each text.

    A field becomes ``[label, value, label_en, value_en]``: the builder's English value (a third element) or
    the English part of a ``中文 English`` value, else the value; a section gets ``title_en``. Names,
    explanations and items carry their own English (``name_en``, ``explanations_en``, ``text_en``).

    >>> english_info({"fields": [["产值 Output", "未公布 not published"], ["集群 Cluster", "新能源"],
    ...                          ["缺口 Gaps", "3 个", "3 gaps"]], "sections": [{"title": "企业 Firms", "items": []}]})
    ... # doctest: +NORMALIZE_WHITESPACE
    {'fields': [['产值 Output', '未公布 not published', 'Output', 'not published'],
                ['集群 Cluster', '新能源', 'Cluster', '新能源'], ['缺口 Gaps', '3 个', 'Gaps', '3 gaps']],
     'sections': [{'title': '企业 Firms', 'items': [], 'title_en': 'Firms'}]}
    """
    out = dict(info)
    if "fields" in info:
        fields = []
        for field in info["fields"]:
            label, value = str(field[0]), str(field[1])
            value_en = str(field[2]) if len(field) > 2 else english_part(value) or value
            fields.append([label, value, english_part(label) or label, value_en])
        out["fields"] = fields
    if "sections" in info:
        out["sections"] = [
            {**sec, "title_en": sec.get("title_en") or english_part(str(sec.get("title", ""))) or sec.get("title", "")}
            for sec in info["sections"]
        ]
    return out


def _english_nodes(items: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Nodes (or edges: an overview arrow has a panel ``info`` too) with their info's English (:func:`english_info`)."""
    return [{**n, "info": english_info(n["info"])} if isinstance(n.get("info"), dict) else n for n in items]


def _kind_label(kind: str) -> str:
    """The heading's word for a kind of view, e.g. ``集群 Cluster``; the overview is ``总览 Overview``.

    >>> _kind_label("segment"), _kind_label("overview")
    ('环节 Segment', '总览 Overview')
    """
    return KIND_LABELS.get(kind, "总览 Overview")


SEARCH_API = "api/v1/search"
"""The server's search (relative to its root): what a served view's search box offers when its index cannot load."""


def _index_parts(
    net: ViewNetwork, links: LinkStyle, index: IndexScript | None
) -> tuple[list[dict[str, Any]] | None, dict[str, Any] | None, tuple[IndexScript, ...]]:
    """The search index a page embeds (a file), or the script it loads (served): ``(index, indexScript, allowed)``.

    A served page gets ``index`` (the route passes the store's, made once per data version) or one made from
    ``net.search_index``; ``indexScript`` tells the page where it is, its integrity, its size, whether to load it
    at once (:data:`viz.search_index.EAGER_ENTRIES`) and the server's search to offer if it cannot.
    """
    if links.mode != "served":
        return net.search_index, None, ()
    script = index if index is not None else index_script(net.search_index)
    to_views = "" if net.view_kind == "overview" else "../"
    to_root = "../" if net.view_kind == "overview" else "../../"
    about = {
        "src": to_views + script.path(),
        "integrity": script.integrity,
        "entries": script.entries,
        "eager": script.entries <= EAGER_ENTRIES,
        "searchApi": to_root + SEARCH_API,
    }
    return None, about, (script,)


def render_view(
    net: ViewNetwork, links: LinkStyle, *, lang: str = DEFAULT_LANGUAGE, index: IndexScript | None = None
) -> RenderedPage:
    """Render ``net`` to a page that opens in ``lang``; all text from data is escaped.

    A file page (``LinkStyle.file``) is self-contained, its search index embedded; a served page loads the index
    script ``index`` (default: made from ``net.search_index``) from the server instead (:func:`_index_parts`).
    """
    assets = _assets()
    patterns = links.patterns(net.view_kind)
    embedded, index_about, external = _index_parts(net, links, index)
    theme = _theme_css()
    shown, pool = split_pool(net)
    pool = {"nodes": _english_nodes(pool["nodes"]), "edges": pool["edges"]}
    data = {
        "page": {
            "kind": net.view_kind,
            "id": net.subject_id,
            "title": net.title,
            "title_en": net.title_en or net.title,
            "focus": net.focus_id,
            "kind_label": _kind_label(net.view_kind),
            "kind_label_en": english_part(_kind_label(net.view_kind)) or _kind_label(net.view_kind),
            "clear_of_panel": net.view_kind in CLEAR_OF_PANEL,
        },
        "nodes": _english_nodes(shown["nodes"]),
        "edges": _english_nodes(shown["edges"]),
        "pool": pool,
        "options": tuned_options(net.options, len(shown["nodes"])),
        "legend": [{**entry.as_dict(), "label_en": english_part(entry.label) or entry.label} for entry in net.legend],
        "index": embedded,
        "indexScript": index_about,
        "links": patterns,
        "labels": {
            "kinds": {**KIND_LABELS, **PANEL_KIND_LABELS},
            "gaps": GAP_LABELS,
            "kinds_en": {k: english_part(v) or v for k, v in {**KIND_LABELS, **PANEL_KIND_LABELS}.items()},
            "gaps_en": {k: english_part(v) or v for k, v in GAP_LABELS.items()},
        },
        "firmToggle": net.firm_toggle,
        "summary": english_info(net.summary) if net.summary else None,
    }
    scripts = [assets["vis_js"], assets["app_js"]]
    styles = [assets["vis_css"], assets["app_css"], theme]
    csp = content_security_policy(scripts, styles, external)
    html = (
        _environment()
        .get_template("view.html.j2")
        .render(
            net=net,
            data=data,
            csp=csp,
            page_links=_page_links(net, links, patterns),
            vis_js=assets["vis_js"],
            vis_css=assets["vis_css"],
            app_js=assets["app_js"],
            app_css=assets["app_css"],
            theme_css=theme,
            kind_label=_kind_label(net.view_kind),
            subtitle_en=net.subtitle_en or net.subtitle,
            html_lang=page_language(lang),
        )
    )
    return RenderedPage(html=html, csp=csp)


def render_not_found(
    kind: str, node_id: str, suggestions: list[str], links: LinkStyle, *, message: str = ""
) -> RenderedPage:
    """A small HTML page for an unknown id, linking to the nearest ids of that kind."""
    assets = _assets()
    theme = _theme_css()
    patterns = links.patterns(kind if kind in VIEW_PATHS else "overview")
    items = [(s, fill(patterns["view"].get(kind), s)) for s in suggestions]
    csp = content_security_policy([], [assets["app_css"], theme])
    html = (
        _environment()
        .get_template("not_found.html.j2")
        .render(
            kind=kind,
            node_id=node_id,
            suggestions=items,
            message=message,
            overview=patterns["view"]["overview"],
            app_css=assets["app_css"],
            theme_css=theme,
            csp=csp,
        )
    )
    return RenderedPage(html=html, csp=csp)


HOME_CSS = """
body.home { font-family: var(--font); margin: 0; color: #1f2933; background: #fff; }
body.home main { max-width: 980px; margin: 0 auto; padding: 24px 20px 40px; }
body.home h1 { font-size: 1.6rem; margin: 0 0 4px; }
body.home h2 { font-size: 1.15rem; margin: 28px 0 8px; border-bottom: 1px solid #d9e2ec; padding-bottom: 4px; }
body.home .subtitle, body.home .en, body.home .footer { color: #52606d; }
body.home .warning { background: #fff3c4; border-left: 4px solid #f0b429; padding: 8px 12px; }
body.home ul { padding-left: 20px; line-height: 1.8; }
body.home table { border-collapse: collapse; width: 100%; }
body.home th, body.home td { text-align: left; padding: 6px 8px; vertical-align: top; }
body.home td { border-bottom: 1px solid #e4e7eb; }
body.home .num { text-align: right; }
body.home a { color: #0b69a3; }
body.home .footer { margin-top: 32px; font-size: 0.85rem; }
body.home .note { color: #52606d; font-size: 0.9rem; }
body.home td.open { font-size: 0.9rem; }
"""
"""The home page's own styles (a hashed style block, as every page's)."""


def render_home(data: dict[str, Any]) -> RenderedPage:
    """The home page at ``/`` from :func:`viz.home.gather_home`'s data: links only, no script.

    >>> from graph.fixtures import tiny_chain
    >>> from graph.memory_store import MemoryStore
    >>> from viz.home import gather_home
    >>> page = render_home(gather_home(MemoryStore(tiny_chain())))
    >>> 'href="views/clusters/t-nev"' in page.html, "<script" in page.html, page.csp.split("; ")[1]
    (True, False, 'script-src ')
    """
    theme = _theme_css()
    csp = content_security_policy([], [theme, HOME_CSS])
    html = (
        _environment()
        .get_template("home.html.j2")
        .render(
            title_zh=TITLE_ZH,
            title_en=TITLE_EN,
            counts=data["counts"],
            not_loaded=data["not_loaded"],
            clusters=data["clusters"],
            lists_note=data["lists_note"],
            city_links=CITY_LINKS,
            developer_links=DEVELOPER_LINKS,
            version=chainkg.__version__,
            data_version=data["data_version"],
            theme_css=theme,
            home_css=HOME_CSS,
            csp=csp,
        )
    )
    return RenderedPage(html=html, csp=csp)
