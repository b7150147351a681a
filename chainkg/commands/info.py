"""``chainkg info``: counts of what the store holds."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from chainkg.commands.common import BACKEND_HELP, DATA_HELP, add_lang_option, empty_store_message, print_counts
from chainkg.settings import Settings


def run(args: argparse.Namespace) -> int:
    from chainkg.runtime import open_store

    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    store = open_store(settings)
    try:
        counts = dict(store.counts())
        counts["backend"] = store.backend
        empty = empty_store_message(store)
        if empty:  # the counts are right (all 0), but say why and what to do
            print(f"note: {empty}", file=sys.stderr)
        if args.json:
            print(json.dumps(counts, ensure_ascii=False, indent=2))
        else:
            print(f"backend: {store.backend}")
            print_counts(counts)
    finally:
        store.close()
    return 0


EPILOG = """\
examples:
  chainkg info                   # the bundled data
  chainkg info --data mydata     # a dataset folder of your own
  chainkg info --json
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Counts per node and edge type, local/outside firms, confidence and unsourced items."
    p = sub.add_parser(
        "info", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("--json", action="store_true", help="print JSON")
    add_lang_option(p, "zh or en: the counts read the same in both (default: zh)")
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.set_defaults(handler=run)
