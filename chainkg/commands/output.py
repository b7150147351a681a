"""Where commands write files: the checks every output path passes, and an atomic write.

``render``, ``report`` and ``template`` refuse a path that would surprise: ``..`` in it, the wrong
suffix for what is written, a folder, or a folder that does not exist. ``render`` and ``report``
replace an existing file (they are regenerated from the graph); ``template`` and ``export`` do not
without ``--force``, since a user may have filled the file in.

No command creates the folder an output goes in: ``export``, ``render``, ``report``, ``template``,
``synth`` and ``import --rejected`` all refuse a missing one through :func:`missing_folder`, since a
missing folder is more often a mistyped path than a wish for a new one. (``synth`` and a ``csv``
``export`` create the dataset folder they write, but not the folder it goes in.)

Examples
--------
>>> check_output(Path("gaps.xlsx"), (".xlsx",)).name
'gaps.xlsx'
>>> check_output(Path("gaps.html"), (".xlsx",))
Traceback (most recent call last):
...
chainkg.commands.output.OutputPathError: refusing 'gaps.html': the output file must end in .xlsx
>>> check_output(Path("../etc/x.html"), (".html", ".htm"))
Traceback (most recent call last):
...
chainkg.commands.output.OutputPathError: refusing '../etc/x.html': '..' in an output path is not allowed
>>> missing_folder(Path("no-such-folder/gaps.xlsx"))
"refusing 'no-such-folder/gaps.xlsx': folder 'no-such-folder' does not exist; create it first"
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class OutputPathError(ValueError):
    """An output path a command refuses to write (the CLI exits with status 2)."""


def check_output(path: Path, suffixes: tuple[str, ...]) -> Path:
    """Return ``path`` if it ends in one of ``suffixes``, lies in an existing folder and has no ``..``."""
    if ".." in path.parts:
        raise OutputPathError(f"refusing '{path}': '..' in an output path is not allowed")
    if path.suffix.lower() not in suffixes:
        raise OutputPathError(f"refusing '{path}': the output file must end in {' or '.join(suffixes)}")
    if path.is_dir():
        raise OutputPathError(f"refusing '{path}': it is a folder")
    problem = missing_folder(path)
    if problem:
        raise OutputPathError(problem)
    return path


def missing_folder(path: Path) -> str | None:
    """Why the folder ``path`` would be written in cannot take it, or ``None`` when it is an existing folder.

    Every command that writes a file or a dataset folder asks this before it reads the graph, and
    refuses rather than creating the folder: a missing folder is usually a mistyped path.
    """
    parent = path.parent
    if parent.is_dir():
        return None
    if parent.exists():
        return f"refusing '{path}': '{parent}' is a file, not a folder"
    return f"refusing '{path}': folder '{parent}' does not exist; create it first"


def write_atomically(path: Path, body: bytes) -> None:
    """Write ``body`` to a temporary file beside ``path``, then rename it into place.

    A reader never sees half a file, and a failed write leaves the old file as it was.
    """
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=".chainkg-", suffix=path.suffix, dir=folder)
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(body)
        os.chmod(tmp, 0o644)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
