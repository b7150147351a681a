"""``chainkg info``: counts of what the store holds, and whether it is an imported snapshot.

On the embedded store (networkx) the graph served is the one imported over the dataset folder
(``chainkg import``, ``POST /api/v1/import``) while its snapshot exists, not the folder's tables;
``info`` then names the snapshot and when it was saved (``snapshot`` in ``--json``; ``null`` when
the folder's tables are served).
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from chainkg.commands.common import (
    BACKEND_HELP,
    DATA_HELP,
    add_lang_option,
    empty_store_message,
    print_counts,
    zh_then_en,
)
from chainkg.settings import Settings
from chainkg.text_table import clean


def served_snapshot(settings: Settings) -> dict[str, Any] | None:
    """The imported snapshot the embedded store serves for ``settings``, or ``None`` when it serves the folder.

    Only the snapshot's header line is read (the store has checked the whole file when it loaded it).

    Parameters
    ----------
    settings : Settings
        The settings the store was opened with (``data_dir``, ``state_dir``).

    Returns
    -------
    dict or None
        ``path`` (the snapshot file), ``saved_at`` (ISO 8601, UTC, as the import wrote it; ``None`` if
        the header does not say), ``nodes`` and ``edges`` (its counts, as the header records them), and
        ``base`` (the dataset folder it was imported over, if recorded); ``None`` for Neo4j or when
        nothing was imported.

    Examples
    --------
    >>> import tempfile
    >>> from graph.fixtures import tiny_chain
    >>> from graph.persist import StateDir
    >>> folder = Path(tempfile.mkdtemp())
    >>> served_snapshot(Settings(data_dir=folder, backend="networkx")) is None
    True
    >>> StateDir(folder / ".chainkg", base=folder).save(tiny_chain())
    >>> found = served_snapshot(Settings(data_dir=folder, backend="networkx"))
    >>> found["path"] == str(folder / ".chainkg" / "snapshot.json"), found["saved_at"][:2]
    (True, '20')
    """
    if settings.backend != "networkx":
        return None
    from chainkg.runtime import state_dir

    path = state_dir(settings).snapshot_path
    try:
        with path.open("rb") as stream:
            header = json.loads(stream.readline())
    except FileNotFoundError:
        return None
    except (OSError, ValueError):
        header = {}
    if not isinstance(header, dict):
        header = {}
    return {
        "path": str(path),
        "saved_at": header.get("saved_at"),
        "nodes": header.get("nodes"),
        "edges": header.get("edges"),
        "base": header.get("base"),
    }


def snapshot_line(snapshot: dict[str, Any], lang: str) -> str:
    """The line that says the served graph is an imported snapshot, with its path and time.

    >>> snapshot = {"path": "/d/.chainkg/snapshot.json", "saved_at": "2026-01-02T03:04:05+00:00"}
    >>> print(snapshot_line(snapshot, "en"))
    served: the graph imported into /d/.chainkg/snapshot.json (saved 2026-01-02T03:04:05+00:00), not the folder's tables
    >>> print(snapshot_line({**snapshot, "saved_at": None}, "zh"))  # doctest: +NORMALIZE_WHITESPACE
    提供的是导入到 /d/.chainkg/snapshot.json 的图（保存时间不详），而不是文件夹中的表格 /
    served: the graph imported into /d/.chainkg/snapshot.json (saved at an unknown time), not the folder's tables
    """
    path = clean(snapshot["path"])
    when = clean(snapshot.get("saved_at") or "")
    en = f"served: the graph imported into {path} ({f'saved {when}' if when else 'saved at an unknown time'}), "
    en += "not the folder's tables"
    zh = f"提供的是导入到 {path} 的图（{f'保存于 {when}' if when else '保存时间不详'}），而不是文件夹中的表格"
    return zh_then_en(lang, zh, en)


def run(args: argparse.Namespace) -> int:
    from chainkg.runtime import open_store

    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    store = open_store(settings)
    try:
        counts = dict(store.counts())
        counts["backend"] = store.backend
        snapshot = served_snapshot(settings)
        if store.backend == "networkx":
            counts["snapshot"] = snapshot
        empty = empty_store_message(store)
        if empty:  # the counts are right (all 0), but say why and what to do
            print(f"note: {empty}", file=sys.stderr)
        if args.json:
            print(json.dumps(counts, ensure_ascii=False, indent=2))
        else:
            print(f"backend: {store.backend}")
            if snapshot is not None:
                print(snapshot_line(snapshot, args.lang))
            print_counts(counts)
    finally:
        store.close()
    return 0


EPILOG = """\
examples:
  chainkg info                   # the bundled data
  chainkg info --data mydata     # a dataset folder of your own
  chainkg info --json

On the embedded store, after an import (chainkg import, POST /api/v1/import) the graph imported over the
folder is served, not the folder's tables: info then names that snapshot and when it was saved.
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
