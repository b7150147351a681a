"""Helpers shared by the commands."""

from __future__ import annotations

import sys
import time
from collections.abc import Callable
from typing import Any

from chainkg.settings import BUNDLED_DATA

BACKEND_HELP = "networkx (embedded, default) or neo4j; default from CHAINKG_BACKEND"
DATA_HELP = f"dataset folder (default: CHAINKG_DATA or {BUNDLED_DATA})"


def progress_printer(label: str) -> Callable[[int, int, str], None]:
    """Return a progress callback that redraws one line on stderr at most twice a second."""
    last = [0.0]

    def show(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if done < total and now - last[0] < 0.5:
            return
        last[0] = now
        pct = 100 * done // max(total, 1)
        print(f"\r{label}: {done}/{total} ({pct}%) {what}   ", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return show


def print_counts(counts: dict[str, Any]) -> None:
    print("nodes:  " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items()))
    print("edges:  " + ", ".join(f"{k} {v}" for k, v in counts["edges"].items()))
    print(f"firms:  local {counts['firms']['local']}, outside {counts['firms']['outside']}")
    conf = counts["confidence"]
    print(f"confidence: nodes {conf['nodes']}, edges {conf['edges']}")
    print(f"unsourced: nodes {counts['unsourced']['nodes']}, edges {counts['unsourced']['edges']}")
