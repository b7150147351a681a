"""``chainkg export``: write the graph as xlsx, csv (a dataset folder), json, graphml or cypher."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chainkg.commands.common import BACKEND_HELP, DATA_HELP, require_graph
from chainkg.commands.output import missing_folder
from chainkg.settings import Settings

_BY_SUFFIX = {".xlsx": "xlsx", ".json": "json", ".graphml": "graphml", ".cypher": "cypher", ".cql": "cypher"}
_SUFFIX = {"xlsx": ".xlsx", "json": ".json", "graphml": ".graphml", "cypher": ".cypher", "csv": ".zip"}
"""The file suffix each format is written under (csv: a folder, or one .zip of the tables)."""
_TEXT_FORMATS = ("json", "graphml", "cypher")
STDOUT = "-"
"""``-o -`` writes a text format to standard output (``chainkg export --format json -o - | jq``)."""


def run(args: argparse.Namespace) -> int:
    from chainkg.runtime import open_store
    from loaders.export import export_to, table_losses

    path: Path = args.output
    to_stdout = str(path) == STDOUT
    if ".." in path.parts:
        print(f"error: refusing '{path}': '..' in an output path is not allowed", file=sys.stderr)
        return 2
    if to_stdout:
        fmt = args.format or ""
        if fmt not in _TEXT_FORMATS:
            got = f"--format {fmt}" if fmt else "no --format"
            print(
                f"error: -o - (standard output) needs --format json, graphml or cypher; got {got} "
                "(xlsx and csv are written to a file or folder)",
                file=sys.stderr,
            )
            return 2
    else:
        implied = _BY_SUFFIX.get(path.suffix.lower())
        fmt = args.format or implied or ("csv" if not path.suffix else "")
        if not fmt:
            print(
                f"error: cannot tell the format from {path.name}; name the file .xlsx, .json, .graphml or .cypher "
                "(a folder without suffix for csv), or give --format xlsx, csv, json, graphml or cypher",
                file=sys.stderr,
            )
            return 2
        if implied and fmt != implied:
            print(
                f"error: refusing '{path}': --format {fmt} in a file named {path.suffix} (which means {implied}); "
                f"name it {path.with_suffix(_SUFFIX[fmt]).name} or drop --format",
                file=sys.stderr,
            )
            return 2
        problem = missing_folder(path)
        if problem:
            print(f"error: {problem}", file=sys.stderr)
            return 2
    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    store = open_store(settings)
    try:
        require_graph(store)
        dataset = store.snapshot()
    finally:
        store.close()
    if to_stdout:
        from loaders.export import export_bytes

        body = export_bytes(dataset, fmt)
        sys.stdout.flush()  # text printed before (none today) goes first
        if sys.stdout.buffer.write(body) < len(body):  # a pipe whose reader left mid-write takes only part
            raise BrokenPipeError("the reader of standard output went away")
        sys.stdout.buffer.flush()
        print(f"Exported {len(dataset.nodes)} nodes and {len(dataset.edges)} edges as {fmt}", file=sys.stderr)
        return 0
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


EPILOG = """\
examples:
  chainkg export -o graph.xlsx                    # one workbook, a sheet per table (chainkg import reads it back)
  chainkg export -o mydata                        # a dataset folder of CSV files (chainkg serve --data mydata)
  chainkg export -o graph.json                    # everything, lossless
  chainkg export --format graphml -o - > g.graphml
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Export the graph: xlsx, csv (a dataset folder, one file per table), json, graphml or cypher."
    p = sub.add_parser(
        "export", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--format",
        choices=["xlsx", "csv", "json", "graphml", "cypher"],
        default=None,
        help="default: from the suffix of -o (a path without suffix is a csv folder)",
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        required=True,
        help="file, or folder for csv; - for standard output (json, graphml, cypher)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file or the CSV files of a folder")
    p.add_argument("--lossy", action="store_true", help="write xlsx/csv even if some facts do not fit in tables")
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.set_defaults(handler=run)
