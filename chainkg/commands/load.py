"""``chainkg load``: validate a dataset folder and load it into the store.

Loading is for Neo4j, which keeps what it was given. The embedded store (networkx) lives in the
process that serves it and reads its folder (or the graph imported over it) at start, so for it
``load`` validates, prints the counts and says what will be served, rather than claim a load that
nothing keeps.

On Neo4j a load replaces the whole graph, imports included: ``--if-empty`` loads only into a
database that holds no graph (what start-up scripts run), and a plain load refuses to replace a
graph that imports changed since its last load unless ``--force``.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from chainkg.commands.common import BACKEND_HELP, print_counts, progress_printer
from chainkg.settings import BUNDLED_DATA, Settings
from graph.errors import DataIssue, DataValidationError

if TYPE_CHECKING:
    from graph.dataset import Dataset
    from graph.neo4j_store import Neo4jStore


def run(args: argparse.Namespace) -> int:
    from loaders.folder import load_folder

    if args.check:
        started = time.perf_counter()
        dataset = _validated(args.path, load_folder)
        print(f"OK: {args.path} is valid ({(time.perf_counter() - started) * 1000:.0f} ms)")
        print_counts(dataset.counts())
        # Neo4j settings (NEO4J_URI) are not needed to check a folder: read them only for the embedded store.
        if (args.backend or os.environ.get("CHAINKG_BACKEND") or "networkx").lower() == "networkx":
            _say_when_imports_are_served(args.path, Settings.from_env(backend="networkx"))
        return 0
    settings = Settings.from_env(backend=args.backend)
    if settings.backend == "networkx":
        return _check_for_the_embedded_store(args, settings, load_folder)
    from chainkg.runtime import open_store
    from graph.neo4j_store import Neo4jStore

    store = open_store(settings, load=False)
    try:
        assert isinstance(store, Neo4jStore)
        return _load_into_neo4j(args, store, load_folder)
    finally:
        store.close()


def _validated(path: Path, load_folder: Callable[[Path], Dataset]) -> Dataset:
    """Read and check the folder ``path``; a folder that holds only an imported graph is named as such."""
    snapshot = _snapshot_only(path)
    if snapshot is not None:
        raise DataValidationError(
            [
                DataIssue(
                    str(path),
                    0,
                    "(folder)",
                    f"(no table files; only the graph imported over it, in {snapshot})",
                    f"table files; serve its imported graph with chainkg serve --data {path}, or write its tables "
                    f"first with chainkg export --data {path} -o FOLDER, then check or load FOLDER",
                    expected_zh=f"表格文件；此文件夹只有导入的图：用 chainkg serve --data {path} 提供它，"
                    f"或先用 chainkg export --data {path} -o 新文件夹 写出表格，再检查或载入新文件夹",
                )
            ]
        )
    return load_folder(path)


def _snapshot_only(path: Path) -> Path | None:
    """The imported snapshot of a folder that holds no table files (a district made by import), or ``None``."""
    from chainkg.runtime import state_dir
    from loaders.folder import table_files
    from loaders.tables import TABLES

    if not path.is_dir() or any(table_files(path, t) for t in TABLES):
        return None
    snapshot = state_dir(Settings(data_dir=path, state_dir=Settings.from_env().state_dir)).snapshot_path
    return snapshot if snapshot.is_file() else None


def _check_for_the_embedded_store(
    args: argparse.Namespace, settings: Settings, load_folder: Callable[[Path], Dataset]
) -> int:
    """Validate the folder and say what the embedded store will serve for it: an imported graph, or the folder."""
    started = time.perf_counter()
    dataset = _validated(args.path, load_folder)
    print(f"OK: {args.path} is valid ({(time.perf_counter() - started) * 1000:.0f} ms)")
    print_counts(dataset.counts())
    if _say_when_imports_are_served(args.path, settings):
        return 0
    print(
        "The embedded store (networkx) keeps nothing between runs: serve this folder with\n"
        f"  chainkg serve --data {args.path}\n"
        "or load it into Neo4j with --backend neo4j (NEO4J_URI).\n"
        "内置存储（networkx）不在两次运行之间保存数据：用 chainkg serve --data 提供此文件夹，"
        "或用 --backend neo4j 载入 Neo4j。"
    )
    return 0


def _say_when_imports_are_served(path: Path, settings: Settings) -> bool:
    """Say (zh and en) that the embedded store serves the graph imported over ``path``, if it does.

    ``chainkg load DIR`` and ``chainkg load DIR --check`` both print it after the counts: the
    counts are the folder's, but every other command serves the snapshot while it exists.

    Parameters
    ----------
    path : Path
        The dataset folder checked.
    settings : Settings
        The settings read from the environment (``CHAINKG_STATE_DIR`` names the state folder).

    Returns
    -------
    bool
        Whether a snapshot exists for ``path`` (and the notice was printed).

    Examples
    --------
    >>> import tempfile
    >>> with tempfile.TemporaryDirectory() as empty:
    ...     _say_when_imports_are_served(Path(empty), Settings(state_dir=Path(empty)))
    False
    """
    from chainkg.runtime import state_dir

    snapshot = state_dir(replace(settings, data_dir=path)).snapshot_path
    if not snapshot.is_file():
        return False
    print(
        f"The embedded store (networkx) serves the graph imported into {snapshot}, not this folder, "
        "so the counts above are not what chainkg info, serve and the queries show:\n"
        f"  chainkg serve --data {path}   # serves the imports\n"
        "To take in this folder's changes, import it over them (rows deleted from the folder stay):\n"
        f"  chainkg import {path} --data {path} --on-conflict overwrite\n"
        f"or delete {snapshot} to serve the folder alone (the imports are lost).\n"
        f"内置存储（networkx）提供的是导入到 {snapshot} 的图，而不是此文件夹，"
        "因此上面的计数不是 chainkg info、serve 和各项查询所用的数据；"
        "要纳入文件夹的改动，请用上面的 chainkg import 命令把文件夹导入（文件夹中删掉的行仍会保留）；"
        "删除该快照则回到文件夹（导入的数据会丢失）。"
    )
    return True


def _load_into_neo4j(args: argparse.Namespace, store: Neo4jStore, load_folder: Callable[[Path], Dataset]) -> int:
    """Load the folder, unless ``--if-empty`` finds a graph, or the graph holds imports and there is no ``--force``."""
    record = store.load_record()
    if record is not None and args.if_empty:
        print(
            f"kept the graph already in Neo4j: {record.describe()}; "
            f"chainkg load {args.path} --backend neo4j to replace it"
        )
        return 0
    if record is not None and record.imports and not args.force:
        print(
            f"error: refusing to replace the graph in Neo4j ({record.describe()}): loading {args.path} would lose "
            f"{record.imports} import{'s' if record.imports != 1 else ''}; keep them with chainkg export "
            "--backend neo4j -o FILE.json first, or add --force to replace anyway",
            file=sys.stderr,
        )
        return 2
    dataset = _validated(args.path, load_folder)
    counts = dataset.counts()
    store.load_dataset(dataset, loaded_from=str(args.path), progress=progress_printer("loading"))
    print(
        f"Loaded {args.path} into {store.backend}: "
        f"{sum(counts['nodes'].values())} nodes, {sum(counts['edges'].values())} edges"
    )
    return 0


EPILOG = """\
examples:
  chainkg load --check                               # validate the bundled data
  chainkg load mydata --check                        # validate a dataset folder of your own
  chainkg load data/changzhou --backend neo4j        # load into Neo4j (NEO4J_URI)
  chainkg load data/changzhou --backend neo4j --if-empty   # only if Neo4j holds no graph (start-up)

Only Neo4j keeps a load; on the embedded networkx store this validates and says what is served (the folder,
or the graph imported over it). On Neo4j a load replaces the whole graph: it refuses (exit 2) when imports
changed that graph since its last load, unless --force.
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Validate a dataset folder and load it into the store."
    p = sub.add_parser(
        "load", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("path", type=Path, nargs="?", default=BUNDLED_DATA, help="dataset folder (default: bundled data)")
    p.add_argument(
        "--check",
        action="store_true",
        help="validate only and print a summary (and, on networkx, whether an import is served instead); write nothing",
    )
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    when = p.add_mutually_exclusive_group()
    when.add_argument(
        "--if-empty", action="store_true", help="Neo4j: load only when it holds no graph; else keep it (exit 0)"
    )
    when.add_argument(
        "--force", action="store_true", help="Neo4j: replace the graph even when imports changed it since its load"
    )
    p.set_defaults(handler=run)
