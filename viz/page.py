"""``ViewNetwork``: a pyvis ``Network`` that also carries what the page around it shows.

Each node carries, besides vis-network's own fields, an ``info`` dict that the
details panel renders as text: ``kind``, ``id`` (the graph id, for links),
``name_zh``, ``name_en``, ``sources`` and view-specific ``fields`` and
``lists``. Each edge carries a plain-text ``title`` naming its source and date.

English for the language switch rides along: a node's or edge's ``label_en``, a field's third
element (its value in English), an item's ``text_en``, ``explanations_en``; labels written
``中文 English`` get their English part at render time (:func:`viz.render.english_info`).

Examples
--------
>>> net = ViewNetwork(kind="overview", subject_id=None, title="常州", api_path="/api/v1/clusters")
>>> net.add_view_node("t-cell", "电芯", kind="segment", info={"name_zh": "电芯"}, color="#59a14f")
>>> net.add_view_node("t-pack", "电池包", kind="segment", info={"name_zh": "电池包"})
>>> net.add_view_edge("t-cell", "t-pack", title="供应 SUPPLIES")
>>> net.num_nodes(), net.num_edges(), net.nodes[0]["info"]["kind"], net.nodes[0]["info"]["id"]
(2, 1, 'segment', 't-cell')
"""

from __future__ import annotations

from typing import Any, NamedTuple

from pyvis.network import Network

from viz.style import FONT_STACK, LegendEntry

LINKABLE_KINDS = ("cluster", "segment", "firm")
"""Node kinds that have a view of their own (and a JSON API resource)."""

PAGE_LANGUAGES = {"zh": "zh-Hans", "en": "en"}
"""The ``lang`` of a view's ``<html>`` for each language it can open in; view.js opens the page in it."""
DEFAULT_LANGUAGE = "zh"
"""The language every view opens in unless told otherwise."""


def page_language(lang: str) -> str:
    """The ``<html lang>`` of a view that opens in ``lang`` (``zh`` or ``en``).

    view.js opens the page in that language; ``?lang=``/``#lang=`` in the address still wins.

    Raises
    ------
    ValueError
        If ``lang`` is not a language of :data:`PAGE_LANGUAGES`.

    Examples
    --------
    >>> page_language("en"), page_language("zh")
    ('en', 'zh-Hans')
    >>> page_language("fr")
    Traceback (most recent call last):
    ...
    ValueError: a view opens in zh or en; got 'fr'
    """
    if lang not in PAGE_LANGUAGES:
        raise ValueError(f"a view opens in {' or '.join(PAGE_LANGUAGES)}; got {lang!r}")
    return PAGE_LANGUAGES[lang]


class Note(NamedTuple):
    """A remark in the notes bar under the heading: as the Chinese page shows it, and in English only."""

    zh: str
    en: str


class ViewNetwork(Network):  # type: ignore[misc]
    """A pyvis network plus the page's title, legend, links and search index.

    Parameters
    ----------
    kind : str
        ``overview``, ``cluster``, ``firm`` or ``segment``.
    subject_id : str or None
        The id the view is about (``None`` for the overview).
    title : str
        The page heading.
    api_path : str
        The JSON API resource behind the view, e.g. ``/api/v1/clusters/nev``.
    """

    def __init__(self, *, kind: str, subject_id: str | None, title: str, api_path: str) -> None:
        super().__init__(height="100%", width="100%", directed=True, heading=title, cdn_resources="in_line")
        self.view_kind = kind
        self.subject_id = subject_id
        self.title = title
        self.subtitle = ""
        self.title_en = ""
        """The heading in English (the language switch shows it); ``""``: the heading as it is."""
        self.subtitle_en = ""
        self.api_path = api_path
        self.api_extra: list[tuple[str, str]] = []
        """Further JSON resources as (label, path)."""
        self.legend: list[LegendEntry] = []
        self.notes: list[Note] = []
        """Short remarks shown under the heading (e.g. that firms were collapsed); see :meth:`add_note`."""
        self.search_index: list[dict[str, Any]] = []
        self.firm_toggle = False
        self.summary: dict[str, Any] | None = None
        """A details panel about the view's subject as a whole (the cluster view's gaps), opened by a button."""
        """Whether the page offers a 'show all firms' switch."""
        self.focus_id: str | None = None
        self.options = default_options()

    def add_note(self, zh: str, en: str) -> None:
        """Add a remark to the notes bar: ``zh`` on the Chinese page, ``en`` on the English one.

        >>> net = ViewNetwork(kind="segment", subject_id="s", title="s", api_path="")
        >>> net.add_note("集群 Cluster: 新能源 (nev)", "Cluster: New energy (nev)")
        >>> net.notes[0].en
        'Cluster: New energy (nev)'
        """
        self.notes.append(Note(zh, en))

    def add_view_node(
        self,
        node_id: str,
        label: str,
        *,
        kind: str,
        info: dict[str, Any],
        title: str = "",
        title_en: str = "",
        **options: Any,
    ) -> None:
        """Add a node with its details-panel ``info`` (``kind`` and ``id`` are filled in).

        ``title`` is the tooltip of the Chinese page, ``title_en`` that of the English page when it has one.
        """
        if node_id in self.node_map:
            return
        details = {"kind": kind, "id": node_id, **info}
        options.setdefault("shape", "box")
        options.setdefault("color", "#97c2fc")
        opts = {"id": node_id, "label": label, "title": title, "info": details, **options}
        if title_en:
            opts["title_en"] = title_en
        self.nodes.append(opts)
        self.node_ids.append(node_id)
        self.node_map[node_id] = opts

    def add_view_edge(self, source: str, target: str, *, title: str = "", title_en: str = "", **options: Any) -> None:
        """Add a directed edge between two nodes already in the network (O(1) checks, unlike pyvis).

        ``title`` is the tooltip (and the details panel's text) of the Chinese page, ``title_en`` that of the
        English page when it has one.
        """
        if source not in self.node_map or target not in self.node_map:
            raise KeyError(f"edge {source} -> {target} joins a node not in the view")
        edge = {"from": source, "to": target, "title": title, "arrows": "to", **options}
        if title_en:
            edge["title_en"] = title_en
        self.edges.append(edge)

    def visible_node_count(self) -> int:
        """Nodes drawn when the page opens (hidden firms excluded)."""
        return sum(1 for n in self.nodes if not n.get("hidden"))


def default_options(*, hierarchical: bool = False, physics: bool = True) -> dict[str, Any]:
    """vis-network options every view starts from.

    Hierarchical views are laid out left to right by level with physics off, so
    they settle at once; others run a bounded stabilisation and the page turns
    physics off when it ends.
    """
    options: dict[str, Any] = {
        "autoResize": True,
        "nodes": {"font": {"face": FONT_STACK, "size": 14, "multi": False}, "borderWidth": 1},
        "edges": {
            "font": {"face": FONT_STACK, "size": 11, "align": "middle"},
            "smooth": {"enabled": True, "type": "cubicBezier", "roundness": 0.4},
            "color": {"inherit": False},
        },
        "interaction": {
            "hover": True,
            "tooltipDelay": 150,
            "hideEdgesOnDrag": True,
            "navigationButtons": False,
            # arrow keys move and +/- zoom while the graph has the keyboard focus (Tab to it), not while typing
            "keyboard": {"enabled": True, "bindToWindow": False},
        },
        "layout": {"improvedLayout": False, "randomSeed": 7},
        "physics": {
            "enabled": physics,
            "solver": "barnesHut",
            "barnesHut": {"gravitationalConstant": -6000, "springLength": 140, "avoidOverlap": 0.3},
            "stabilization": {"enabled": True, "iterations": 300, "updateInterval": 50, "fit": True},
        },
    }
    if hierarchical:
        options["layout"]["hierarchical"] = {
            "enabled": True,
            "direction": "LR",
            "sortMethod": "directed",
            "levelSeparation": 260,
            "nodeSpacing": 70,
            "treeSpacing": 90,
            "blockShifting": True,
            "edgeMinimization": True,
            "parentCentralization": True,
        }
        options["physics"] = {"enabled": False}
        options["edges"]["smooth"] = {"enabled": True, "type": "cubicBezier", "forceDirection": "horizontal"}
    return options
