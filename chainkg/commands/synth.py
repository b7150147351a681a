"""``chainkg synth``: write a seeded synthetic dataset folder of any size (for benchmarks).

The folder holds the CSV tables :func:`loaders.folder.load_folder` reads, so
``chainkg load DIR --check`` validates it and ``chainkg serve --data DIR`` serves
it. Items are written as :func:`graph.synth.synth_items` yields them, a chunk of
firms at a time, so a million firms need little memory. Nothing in it is real:
every name says 合成 / "Synthetic" and cites the one source ``synthetic``.

Examples
--------
>>> import tempfile, pathlib
>>> from loaders.folder import load_folder
>>> folder = pathlib.Path(tempfile.mkdtemp()) / "syn"
>>> write_synth_folder(folder, firms=50, seed=1)["firms"]
50
>>> load_folder(folder).counts()["nodes"]["Firm"]
50
"""

from __future__ import annotations

import argparse
import csv
import sys
import time
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from chainkg.commands.common import count_value, progress_printer
from chainkg.commands.output import missing_folder
from graph.store import Progress

MAX_FIRMS = 10_000_000
"""The most firms ``--firms`` takes: ten times the largest benchmark (``BENCH_BIG``, docs/performance.md)."""

CHUNK_FIRMS = 5000
"""Firms (with their edges) converted to table rows at a time."""

README = """# Synthetic dataset (合成数据, not real)

Written by `chainkg synth --firms {firms} --seed {seed}` ({nodes} nodes, {edges} edges).
Every cluster, segment, firm and figure here is invented for tests and benchmarks; all of
them cite the one source `synthetic`, which says so. Load it with `chainkg load DIR --check`
or serve it with `chainkg serve --data DIR`.
"""


def write_synth_folder(
    folder: Path, *, firms: int, seed: int = 0, force: bool = False, progress: Progress | None = None
) -> dict[str, Any]:
    """Write the synthetic dataset ``(firms, seed)`` to ``folder`` as CSV tables.

    Parameters
    ----------
    folder : Path
        Created when missing; refused when it already holds CSV files, unless ``force``.
    firms, seed : int
        As for :func:`graph.synth.synth_dataset`; the same pair always gives the same files.
    force : bool
        Replace the CSV files of a folder that has some.
    progress : callable, optional
        ``progress(done, total, what)`` as firms are generated.

    Returns
    -------
    dict
        ``{"firms", "nodes", "edges", "files"}``.
    """
    from graph.dataset import Dataset
    from graph.model import Edge, Firm
    from graph.synth import synth_items
    from loaders.export import dataset_to_tables
    from loaders.tables import TABLES
    from loaders.template import COLUMNS

    folder.mkdir(parents=True, exist_ok=True)
    present = sorted(folder.glob("*.csv"))
    if present and not force:
        raise FileExistsError(f"{folder} already holds CSV files ({present[0].name}, ...); use --force to replace them")
    for old in present:
        old.unlink()
    nodes = edges = firm_count = 0
    with ExitStack() as stack:
        writers = {}
        for table in TABLES:
            handle = stack.enter_context((folder / f"{table.name}.csv").open("w", encoding="utf-8", newline=""))
            writers[table.name] = csv.writer(handle, lineterminator="\n")
            writers[table.name].writerow(COLUMNS[table.name])

        def flush(chunk: Dataset) -> None:
            for name, rows in dataset_to_tables(chunk).items():
                columns = COLUMNS[name]
                writers[name].writerows([row.get(c, "") for c in columns] for row in rows)

        chunk = Dataset()
        chunk_firms = 0
        for item in synth_items(firms, seed, progress=progress):
            if isinstance(item, Edge):
                chunk.edges[item.key] = item
                edges += 1
                continue
            if isinstance(item, Firm):
                if chunk_firms >= CHUNK_FIRMS:
                    flush(chunk)
                    chunk, chunk_firms = Dataset(), 0
                chunk_firms += 1
                firm_count += 1
            chunk.nodes[item.id] = item
            nodes += 1
        flush(chunk)
    (folder / "README.md").write_text(README.format(firms=firms, seed=seed, nodes=nodes, edges=edges), encoding="utf-8")
    return {"firms": firm_count, "nodes": nodes, "edges": edges, "files": len(TABLES)}


def run(args: argparse.Namespace) -> int:
    if args.output.exists() and not args.output.is_dir():
        print(f"error: refusing '{args.output}': it is a file; -o names the dataset folder to write", file=sys.stderr)
        return 2
    problem = missing_folder(args.output)
    if problem:
        print(f"error: {problem}", file=sys.stderr)
        return 2
    started = time.perf_counter()
    show = None if args.quiet else progress_printer(f"synth {args.firms} firms")
    try:
        done = write_synth_folder(args.output, firms=args.firms, seed=args.seed, force=args.force, progress=show)
    except FileExistsError as exc:  # a usage error, as for export and template: exit 2
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(
        f"Wrote {args.output}: {done['firms']} firms, {done['nodes']} nodes, {done['edges']} edges "
        f"in {time.perf_counter() - started:.1f}s (serve it: chainkg serve --data {args.output})"
    )
    return 0


EPILOG = """\
examples:
  chainkg synth --firms 10000 -o syn10k            # then: chainkg serve --data syn10k
  chainkg synth --firms 1000 --seed 7 -o syn --force
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Write a seeded synthetic dataset folder (ten clusters, N firms) for benchmarks; nothing in it is real."
    p = sub.add_parser(
        "synth", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "--firms",
        type=count_value(1, MAX_FIRMS),
        required=True,
        help=f"how many firms (1 to {MAX_FIRMS:,}), e.g. 1000, 10000, 100000, 1000000",
    )
    p.add_argument("--seed", type=count_value(0, 2**32 - 1), default=0, help="seed of the generator (default 0)")
    p.add_argument("-o", "--output", type=Path, required=True, help="dataset folder to write")
    p.add_argument("--force", action="store_true", help="replace the CSV files of a folder that has some")
    p.add_argument("--quiet", action="store_true", help="no progress line")
    p.set_defaults(handler=run)
