"""Sources: the documents every fact cites, looked up by id or listed, with what cites them.

Every node and edge carries the ids of its sources; most answers give only those ids (some add
``sources_ref``). These queries describe a source by its id, so that any id an answer cites can be
resolved: title (Chinese, and English where recorded), publisher, date, address, document number,
reliability, the data's note on it, and what cites it.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> src = get_source(store, "s-tiny")
>>> src["publisher"], src["cited_by"]["edges"] > 0, "t-nev" in src["cited_by"]["node_ids"]
('chainkg tests', True, True)
>>> [s["id"] for s in list_sources(store, q="tiny")]
['s-tiny']
"""

from __future__ import annotations

from typing import Any

from graph.model import NodeKind, Source
from graph.store import GraphStore
from queries.cache import per_version
from queries.layer_items import source_ref
from queries.lookup import normalise, require

RELIABILITIES = ("official", "company", "research", "news", "repost", "mirror", "weak")
"""The kinds of source, the firmer first: what ``reliability=`` takes."""


def citations(store: GraphStore) -> dict[str, tuple[list[str], int]]:
    """Source id → (the ids of the nodes citing it, sorted; how many edges cite it), cached per data version."""

    def index() -> dict[str, tuple[list[str], int]]:
        nodes: dict[str, set[str]] = {}
        edges: dict[str, int] = {}
        for kind in NodeKind:
            if kind is NodeKind.SOURCE:
                continue
            for node in store.nodes(kind):
                for sid in node.sources:
                    nodes.setdefault(sid, set()).add(node.id)
        for edge in store.edges():
            for sid in edge.sources:
                edges[sid] = edges.get(sid, 0) + 1
        return {sid: (sorted(nodes.get(sid, ())), edges.get(sid, 0)) for sid in {*nodes, *edges}}

    return per_version(store, "citations", index)


def _source_item(store: GraphStore, source: Source) -> dict[str, Any]:
    """One source as the sources routes answer it: its ``sources_ref`` fields, ``note`` and ``cited_by``."""
    ref = source_ref(source)
    node_ids, edge_count = citations(store).get(source.id, ([], 0))
    return {
        **ref,
        "note": source.note,
        "cited_by": {"nodes": len(node_ids), "edges": edge_count, "node_ids": node_ids},
    }


def get_source(store: GraphStore, source_id: str) -> dict[str, Any]:
    """Describe the source ``source_id``: what ``sources_ref`` gives, its note, and what cites it.

    Parameters
    ----------
    store : GraphStore
    source_id : str
        A source id, as any answer's ``sources`` lists them, e.g. ``reply-2022-56``.

    Returns
    -------
    dict
        ``id``, ``title``, ``title_en`` (empty where no English title is recorded), ``publisher``, ``date``,
        ``url``, ``doc_no``, ``reliability``, ``note`` and ``cited_by``: ``nodes`` and ``edges`` (how many
        cite it) and ``node_ids`` (the nodes citing it, sorted).

    Raises
    ------
    NodeNotFound
        For an unknown id (with the nearest source ids).

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> get_source(MemoryStore(tiny_chain()), "s-tiny")["reliability"]
    'research'
    """
    source = require(store, source_id, NodeKind.SOURCE)
    assert isinstance(source, Source)
    return _source_item(store, source)


def list_sources(
    store: GraphStore, q: str | None = None, reliability: str | None = None, cited: bool | None = None
) -> list[dict[str, Any]]:
    """Every source, by id, or those matching the filters.

    Parameters
    ----------
    store : GraphStore
    q : str, optional
        Part of the id, title (either language) or publisher, compared ignoring case, width and spaces.
    reliability : str, optional
        One of :data:`RELIABILITIES`.
    cited : bool, optional
        ``True``: only sources some node or edge cites; ``False``: only those nothing cites.

    Returns
    -------
    list of dict
        As :func:`get_source` answers, sorted by id.

    Examples
    --------
    >>> from graph.memory_store import MemoryStore
    >>> from graph.fixtures import tiny_chain
    >>> len(list_sources(MemoryStore(tiny_chain()), reliability="weak"))
    0
    """
    wanted = normalise(q) if q else ""
    cited_ids = citations(store)
    out = []
    for node in sorted(store.nodes(NodeKind.SOURCE), key=lambda n: n.id):
        assert isinstance(node, Source)
        if reliability is not None and node.reliability != reliability:
            continue
        if cited is not None and (node.id in cited_ids) != cited:
            continue
        if wanted and not any(
            wanted in normalise(text) for text in (node.id, node.name_zh, node.name_en, node.publisher)
        ):
            continue
        out.append(_source_item(store, node))
    return out
