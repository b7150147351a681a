"""A small cache of expensive per-data-version results (analysis, search index).

Results are keyed by ``(store.backend, store.version())`` and then by a name
and arguments. ``store.version()`` changes whenever the graph changes, so an
entry can never outlive the data it was computed from; at most
:data:`MAX_VERSIONS` versions are kept (least recently used first out), so a
reload frees the old results. Cached values are treated as read-only: callers
build fresh dicts from them and never mutate them. A missing entry is computed
once: threads asking for it meanwhile wait for that result (or its error)
instead of computing it again, so 50 clients arriving on a cold cache cost one
computation, not 50.

Examples
--------
>>> from graph.memory_store import MemoryStore
>>> from graph.fixtures import tiny_chain
>>> store = MemoryStore(tiny_chain())
>>> calls = []
>>> def compute():
...     calls.append(1)
...     return 42
>>> per_version(store, "answer", compute), per_version(store, "answer", compute), len(calls)
(42, 42, 1)
>>> store.replace(tiny_chain())      # new version: computed again
>>> per_version(store, "answer", compute), len(calls)
(42, 2)
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable, Hashable
from concurrent.futures import Future
from typing import Any, TypeVar

from graph.store import GraphStore

T = TypeVar("T")

MAX_VERSIONS = 4
"""How many data versions keep their cached results."""

_lock = threading.Lock()
_by_version: OrderedDict[tuple[str, str], dict[Hashable, Any]] = OrderedDict()
_computing: dict[tuple[Hashable, ...], Future[Any]] = {}


def per_version(store: GraphStore, name: str, compute: Callable[[], T], *args: Hashable) -> T:
    """Return ``compute()``, computed once per data version of ``store`` and per ``(name, *args)``.

    Parameters
    ----------
    store : GraphStore
        The store whose ``version()`` keys the cache.
    name : str
        What is cached, e.g. ``"analysis"``.
    compute : callable
        Computes the value; called outside the lock, by the first thread that misses.
        Threads that miss while it runs wait for its value; if it raises, they raise
        the same error and the next call computes again.
    *args : hashable
        Further key parts, e.g. the ``year``.
    """
    version_key = (store.backend, store.version())
    key = (name, *args)
    with _lock:
        entries = _by_version.get(version_key)
        if entries is not None:
            _by_version.move_to_end(version_key)
            if key in entries:
                return entries[key]  # type: ignore[no-any-return]
        running = _computing.get((version_key, key))
        if running is None:
            mine: Future[Any] = Future()
            _computing[(version_key, key)] = mine
    if running is not None:
        return running.result()  # type: ignore[no-any-return]
    try:
        value = compute()
    except BaseException as err:
        with _lock:
            del _computing[(version_key, key)]
        mine.set_exception(err)
        raise
    with _lock:
        del _computing[(version_key, key)]
        entries = _by_version.setdefault(version_key, {})
        _by_version.move_to_end(version_key)
        value = entries.setdefault(key, value)
        while len(_by_version) > MAX_VERSIONS:
            _by_version.popitem(last=False)
    mine.set_result(value)
    return value


def clear() -> None:
    """Drop every cached result (for tests and benchmarks)."""
    with _lock:
        _by_version.clear()
