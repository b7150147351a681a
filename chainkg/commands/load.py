"""``chainkg load``: validate a dataset folder and load it into the store.

Loading is for Neo4j, which keeps what it was given. The embedded store (networkx) lives in the
process that serves it and reads its folder at start, so for it ``load`` validates, prints the
counts and says how to serve the folder, rather than claim a load that nothing keeps.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from chainkg.commands.common import BACKEND_HELP, print_counts, progress_printer
from chainkg.settings import BUNDLED_DATA, Settings


def run(args: argparse.Namespace) -> int:
    from loaders.folder import load_folder

    started = time.perf_counter()
    dataset = load_folder(args.path)
    elapsed = time.perf_counter() - started
    counts = dataset.counts()
    if args.check:
        print(f"OK: {args.path} is valid ({elapsed * 1000:.0f} ms)")
        print_counts(counts)
        return 0
    settings = Settings.from_env(backend=args.backend)
    if settings.backend == "networkx":
        print(f"OK: {args.path} is valid ({elapsed * 1000:.0f} ms)")
        print_counts(counts)
        print(
            "The embedded store (networkx) keeps nothing between runs: serve this folder with\n"
            f"  chainkg serve --data {args.path}\n"
            "or load it into Neo4j with --backend neo4j (NEO4J_URI).\n"
            "内置存储（networkx）不在两次运行之间保存数据：用 chainkg serve --data 提供此文件夹，"
            "或用 --backend neo4j 载入 Neo4j。"
        )
        return 0
    from chainkg.runtime import open_store

    store = open_store(settings, load=False)
    try:
        store.replace(dataset, progress=progress_printer("loading"))
        print(
            f"Loaded {args.path} into {store.backend}: "
            f"{sum(counts['nodes'].values())} nodes, {sum(counts['edges'].values())} edges"
        )
    finally:
        store.close()
    return 0


EPILOG = """\
examples:
  chainkg load --check                               # validate the bundled data
  chainkg load mydata --check                        # validate a dataset folder of your own
  chainkg load data/changzhou --backend neo4j        # load into Neo4j (NEO4J_URI)

Only Neo4j keeps a load; on the embedded networkx store this validates and says how to serve the folder
(chainkg serve --data DIR).
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Validate a dataset folder and load it into the store."
    p = sub.add_parser(
        "load", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("path", type=Path, nargs="?", default=BUNDLED_DATA, help="dataset folder (default: bundled data)")
    p.add_argument("--check", action="store_true", help="validate only and print a summary; write nothing")
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.set_defaults(handler=run)
