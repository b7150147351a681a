"""``chainkg export``: write the graph as xlsx, csv (a dataset folder), json, graphml or cypher."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chainkg.commands.common import BACKEND_HELP, DATA_HELP
from chainkg.settings import Settings

_BY_SUFFIX = {".xlsx": "xlsx", ".json": "json", ".graphml": "graphml", ".cypher": "cypher", ".cql": "cypher"}


def run(args: argparse.Namespace) -> int:
    from chainkg.runtime import open_store
    from loaders.export import export_to, table_losses

    path: Path = args.output
    if ".." in path.parts:
        print(f"error: refusing '{path}': '..' in an output path is not allowed", file=sys.stderr)
        return 2
    fmt = args.format or _BY_SUFFIX.get(path.suffix.lower(), "csv" if not path.suffix else "")
    if not fmt:
        print(f"error: cannot tell the format from {path.name}; give --format", file=sys.stderr)
        return 2
    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    store = open_store(settings)
    try:
        dataset = store.snapshot()
    finally:
        store.close()
    if fmt in ("xlsx", "csv"):
        lost = table_losses(dataset)
        if lost and not args.lossy:
            print(f"error: {len(lost)} fact(s) cannot be written as tables, e.g. {lost[0]}.", file=sys.stderr)
            print("Use --format json (lossless), or --lossy to write the tables anyway.", file=sys.stderr)
            return 2
    try:
        written = export_to(dataset, fmt, path, force=args.force)
    except FileExistsError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    shown = path if len(written) == 1 else f"{path}/ ({len(written)} files)"
    print(f"Exported {len(dataset.nodes)} nodes and {len(dataset.edges)} edges as {fmt} to {shown}")
    return 0


def register(sub: argparse._SubParsersAction) -> None:
    text = "Export the graph: xlsx, csv (a dataset folder, one file per table), json, graphml or cypher."
    p = sub.add_parser("export", help=text, description=text)
    p.add_argument(
        "--format",
        choices=["xlsx", "csv", "json", "graphml", "cypher"],
        default=None,
        help="default: from the suffix of -o (a path without suffix is a csv folder)",
    )
    p.add_argument("-o", "--output", type=Path, required=True, help="file, or folder for csv")
    p.add_argument("--force", action="store_true", help="replace an existing file or the CSV files of a folder")
    p.add_argument("--lossy", action="store_true", help="write xlsx/csv even if some facts do not fit in tables")
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.set_defaults(handler=run)
