"""``chainkg import``: bring your own data from Excel, CSV or JSON; dry run first, then apply."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from chainkg.commands.common import BACKEND_HELP, DATA_HELP, progress_printer
from chainkg.commands.output import missing_folder
from chainkg.settings import Settings

if TYPE_CHECKING:
    from graph.dataset import Dataset
    from graph.persist import StateDir
    from graph.store import GraphStore
    from loaders.importer import ImportReport

EPILOG = """\
examples:
  chainkg import mydistrict.xlsx --dry-run                           # what would change; writes nothing
  chainkg import firms.csv --skip-invalid --rejected firms.rejected.csv
  chainkg import mydistrict.xlsx --on-conflict keep                  # keep the graph's values where they differ

formats: .xlsx (one sheet per table; see `chainkg template`), .csv (one table, named after it, e.g.
firms.csv; UTF-8, UTF-8 with BOM or GB18030/GBK), .json (chainkg/1, as `chainkg export` writes), .zip of
CSV files, or a dataset folder.

With the embedded store the imported graph is saved (atomically) under the state folder: CHAINKG_STATE_DIR,
else DIR/.chainkg for --data DIR, else ~/.local/share/chainkg; `chainkg serve` with the same settings
serves it. Exit status: 0 applied (or a clean dry run), 2 problems found (nothing applied).
See docs/import.md.
"""


REJECTED_SUFFIXES = (".xlsx", ".csv", ".json")
"""What ``--rejected`` may be written as (see :func:`loaders.importer.write_rejected`)."""


def rejected_path_problem(rejected: Path, imported: Path) -> str | None:
    """Why ``--rejected`` cannot be written, checked before the import runs, or ``None``.

    The same checks as every other output path (see :mod:`chainkg.commands.output`): no ``..``, a
    known suffix, not a folder, in an existing folder; and not the file being imported.

    >>> rejected_path_problem(Path("../left.csv"), Path("firms.csv"))
    "refusing '../left.csv': '..' in an output path is not allowed"
    >>> rejected_path_problem(Path("left.txt"), Path("firms.csv"))
    "refusing 'left.txt': --rejected must end in .xlsx, .csv or .json"
    >>> rejected_path_problem(Path("firms.csv"), Path("firms.csv"))
    "refusing 'firms.csv': --rejected names the file being imported; name another, e.g. firms.rejected.csv"
    """
    if ".." in rejected.parts:
        return f"refusing '{rejected}': '..' in an output path is not allowed"
    if rejected.suffix.lower() not in REJECTED_SUFFIXES:
        return f"refusing '{rejected}': --rejected must end in .xlsx, .csv or .json"
    if rejected.is_dir():
        return f"refusing '{rejected}': it is a folder; --rejected names a file"
    folder_problem = missing_folder(rejected)
    if folder_problem:
        return folder_problem
    if rejected.resolve() == imported.resolve():
        return (
            f"refusing '{rejected}': --rejected names the file being imported; "
            f"name another, e.g. {rejected.stem}.rejected{rejected.suffix}"
        )
    return None


def run(args: argparse.Namespace) -> int:
    from chainkg.runtime import open_store, state_dir
    from graph.memory_store import MemoryStore
    from loaders.importer import (
        ImportOptions,
        current_dataset,
        read_input,
        rejected_paths,
        run_import,
        write_rejected,
    )

    if args.rejected and not args.skip_invalid:
        print("error: --rejected goes with --skip-invalid", file=sys.stderr)
        return 2
    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    options = ImportOptions(dry_run=args.dry_run, skip_invalid=args.skip_invalid, on_conflict=args.on_conflict)
    path: Path = args.file
    if not path.exists():
        print(f"error: {path} does not exist / 文件不存在", file=sys.stderr)
        return 2
    problem = args.rejected and rejected_path_problem(args.rejected, path)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    show = None if args.json else progress_printer("reading")
    source = read_input(path.name if path.is_file() else str(path), path=path, options=options, progress=show)
    state: StateDir | None = None
    store: GraphStore
    if settings.backend == "networkx":
        state = state_dir(settings)
        base = current_dataset(settings.data_dir, state, allow_empty=True)
        _warn_when_empty_folder(base, settings.data_dir)
        store = MemoryStore(base)
    else:
        store = open_store(settings)
    try:
        _warn_when_empty(store)
        report = run_import(
            store,
            source,
            options,
            state=state,
            progress=None if args.json else progress_printer("loading"),
            checking=None if args.json else progress_printer("checking"),
        )
    finally:
        store.close()
    rejected_path = None
    rejected_files: list[Path] = []
    if report.rejected:
        rejected_path = args.rejected or path.with_name(
            f"{path.stem}.rejected{'.json' if source.format == 'json' else '.xlsx'}"
        )
        rejected_files = list(rejected_paths(rejected_path, report.rejected))
        if not args.dry_run:  # a dry run writes nothing, not even the rows it would set aside
            rejected_files = write_rejected(rejected_path, report.rejected)
    _print_result(args, report, rejected_files, state)
    return 2 if report.blocked else 0


def _print_result(
    args: argparse.Namespace, report: ImportReport, rejected_files: list[Path], state: StateDir | None
) -> None:
    """Print the summary (text or ``--json``); rows set aside are named first, and on stderr with ``--json``."""
    names = [str(f) for f in rejected_files]
    written = names if not args.dry_run else []
    if args.json:
        summary = report.summary()
        summary["rejected_file"] = written[0] if written else None
        summary["rejected_files"] = written
        summary["saved_to"] = str(state.snapshot_path) if state and report.applied else None
        print(json.dumps(summary, ensure_ascii=False, indent=2))
        headline = report.set_aside_line(names)
        if headline:  # the exit status is 0: say it where a script's log shows it
            print(f"warning: {headline}", file=sys.stderr)
        return
    for line in report.lines(names):
        print(line)
    for name in written:
        print(f"rows set aside written to {name} / 已跳过的行写入 {name}")
    if state is not None and report.applied:
        print(f"saved to {state.snapshot_path} / 已保存")


def _warn_when_empty(store: GraphStore) -> None:
    """On an empty Neo4j, say so before the import's own findings (see :func:`graph.store.empty_store_message`).

    Only a warning: a file that brings every district, segment and source its rows name imports into an
    empty database; any other file's "not found" errors are explained by it. The same words as for an
    empty data folder (:func:`_warn_when_empty_folder`).
    """
    from graph.store import empty_store_message
    from loaders.importer import empty_target_warning

    if empty_store_message(store):
        uri, database = getattr(store, "uri", "Neo4j"), getattr(store, "database", "neo4j")
        where = f"Neo4j at {uri} (database {database})"
        load = "chainkg load data/changzhou --backend neo4j"
        message = empty_target_warning(
            where, where, f"load one first: {load}", f"请先载入：{load}", since=" from chainkg load yet"
        )
        print(f"warning: {message}", file=sys.stderr)


def _warn_when_empty_folder(base: Dataset, data_dir: Path) -> None:
    """Before the import's own findings, say that the data folder holds no chain to import into, once.

    Every district and segment a firm list names would otherwise be "not found" (hundreds of errors) with
    nothing saying why: the folder is empty, or holds no clusters, segments or districts.
    """
    from loaders.importer import empty_target_warning, holds_no_chain

    if holds_no_chain(base):
        folder = str(data_dir).rstrip("/")
        export = f"chainkg export --format csv -o {folder}/"
        message = empty_target_warning(
            f"the data folder {folder}", f"数据文件夹 {folder}", f"run {export} first", f"请先运行 {export}"
        )
        print(f"warning: {message}", file=sys.stderr)


def register(sub: argparse._SubParsersAction) -> None:
    text = "Import firms, segments and links from .xlsx, .csv or .json: --dry-run shows what would change."
    p = sub.add_parser(
        "import", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("file", type=Path, help="the file (or dataset folder) to import")
    p.add_argument("--dry-run", action="store_true", help="show what would change; write nothing")
    p.add_argument("--json", action="store_true", help="print the summary as JSON")
    p.add_argument("--skip-invalid", action="store_true", help="apply the valid rows; write the others to --rejected")
    p.add_argument("--rejected", type=Path, default=None, help="file for the rows set aside (.xlsx, .csv or .json)")
    p.add_argument(
        "--on-conflict",
        choices=["fail", "overwrite", "keep"],
        default="fail",
        help="when the file and the graph disagree on a value: fail (default), overwrite, keep",
    )
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP + "; may be empty for a new district")
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.set_defaults(handler=run)
