"""Helpers for building large graphs fast.

Loading 100k firms allocates millions of small objects (rows, pydantic models,
networkx dicts). Python's cyclic garbage collector then runs again and again
over all of them, though none is garbage yet: at 100k firms it doubled the load
time (13 s → 6.5 s without it, ``docs/performance.md``). :func:`paused_gc`
switches it off for the duration of a bulk build; reference counting still
frees everything as usual.

Examples
--------
>>> import gc
>>> with paused_gc():
...     gc.isenabled()
False
>>> gc.isenabled()
True
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused_gc() -> Iterator[None]:
    """Disable the cyclic garbage collector inside the block (nesting is safe)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
