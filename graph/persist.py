"""Keep the embedded store's imported graph on disk: atomic writes, a checksum, and the previous copy.

The state directory holds ``snapshot.json``: the whole graph after the last
import, loaded *instead of* the dataset folder on start. Where it is:

* ``CHAINKG_STATE_DIR`` when set;
* ``DIR/.chainkg/`` for a dataset folder given with ``--data DIR`` or
  ``CHAINKG_DATA`` (each district keeps its own);
* ``$XDG_DATA_HOME/chainkg/`` (by default ``~/.local/share/chainkg/``) for
  the bundled Changzhou data, which is never written to.

The file is one header line of JSON (format, time, sha256 and length of the
payload, node and edge counts, the dataset folder it was imported over)
followed by the graph as ``chainkg/1`` JSON. A write goes to a temporary file
in the same folder, is flushed and ``fsync``-ed, the current snapshot is kept
as ``snapshot.json.bak`` (a hard link, so the current name never goes
missing) and the temporary file is renamed over ``snapshot.json``; then the
folder is ``fsync``-ed. A kill at any point leaves the old or the new
snapshot, whole. A snapshot whose checksum or length is wrong is refused on
start with an error naming the file and the backup; it is never rotated
over the backup.

Examples
--------
>>> import tempfile
>>> from graph.fixtures import tiny_chain
>>> state = StateDir(Path(tempfile.mkdtemp()) / "state")
>>> state.load() is None
True
>>> state.save(tiny_chain())
>>> state.load().fingerprint() == tiny_chain().fingerprint()
True
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import json
import os
import threading
import uuid
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import IO, Any

from graph.dataset import FINGERPRINT_SCHEME, Dataset
from graph.errors import ConfigError, StateConflict, StateCorrupt

FORMAT = "chainkg-state/1"
SNAPSHOT = "snapshot.json"
CHUNK = 1 << 20
STATE_SUBDIR = ".chainkg"

_thread_lock = threading.Lock()


def _write_all(stream: IO[bytes], data: bytes) -> None:
    """Write ``data`` in chunks (a kill can land between any two)."""
    for start in range(0, len(data), CHUNK):
        stream.write(data[start : start + CHUNK])


def fsync_dir(folder: Path) -> None:
    """Flush a folder's entries (a rename) to disk; a no-op where folders cannot be opened."""
    try:
        fd = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write(path: Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` atomically: temp file in the same folder, fsync, rename, fsync the folder.

    >>> import tempfile
    >>> target = Path(tempfile.mkdtemp()) / "out.txt"
    >>> atomic_write(target, b"hello")
    >>> target.read_bytes()
    b'hello'
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}-{uuid.uuid4().hex[:8]}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o644)
    try:
        with os.fdopen(fd, "wb") as stream:
            _write_all(stream, data)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise
    fsync_dir(path.parent)


def folder_signature(folder: Path | None) -> str:
    """A hash of the names, sizes and times of a dataset folder's CSV files ("" for none)."""
    if folder is None or not folder.is_dir():
        return ""
    digest = hashlib.sha256()
    for path in sorted(folder.glob("*.csv")):
        stat = path.stat()
        digest.update(f"{path.name}\0{stat.st_size}\0{stat.st_mtime_ns}\n".encode())
    return digest.hexdigest()[:16]


def state_dir_for(
    data_dir: Path, *, bundled: Path, explicit: Path | None = None, env: Mapping[str, str] | None = None
) -> Path:
    """Where imports over ``data_dir`` are kept (see the module docstring).

    >>> state_dir_for(Path("/d/liyang"), bundled=Path("/repo/data/changzhou"))
    PosixPath('/d/liyang/.chainkg')
    >>> state_dir_for(Path("/repo/data/changzhou"), bundled=Path("/repo/data/changzhou"), env={"XDG_DATA_HOME": "/x"})
    PosixPath('/x/chainkg')
    """
    if explicit is not None:
        return explicit
    if data_dir.resolve() != bundled.resolve():
        return data_dir / STATE_SUBDIR
    env = os.environ if env is None else env
    base = env.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "chainkg"


class StateDir:
    """The folder that keeps the embedded store's imported graph.

    Parameters
    ----------
    path : Path
        The folder; created on the first save.
    base : Path, optional
        The dataset folder imports are made over; recorded in the snapshot and
        checked on load when the state folder is not inside it.
    """

    def __init__(self, path: Path, *, base: Path | None = None) -> None:
        self.path = Path(path)
        self.base = base
        self.last_header: dict[str, Any] = {}

    @property
    def snapshot_path(self) -> Path:
        return self.path / SNAPSHOT

    @property
    def backup_path(self) -> Path:
        return self.path / (SNAPSHOT + ".bak")

    def __repr__(self) -> str:
        return f"StateDir({str(self.path)!r})"

    # -- reading -------------------------------------------------------------------------

    def _read(self, path: Path) -> tuple[dict[str, Any], bytes]:
        """Return the header and the checked payload of a snapshot file, or raise ``ValueError``."""
        raw = path.read_bytes()
        head, newline, payload = raw.partition(b"\n")
        if not newline:
            raise ValueError("no header line (the file is truncated)")
        try:
            header = json.loads(head)
        except json.JSONDecodeError as exc:
            raise ValueError(f"the header is not JSON ({exc.msg})") from None
        if not isinstance(header, dict) or header.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} snapshot")
        if len(payload) != header.get("bytes"):
            raise ValueError(f"{len(payload)} bytes of graph where the header says {header.get('bytes')} (truncated)")
        if hashlib.sha256(payload).hexdigest() != header.get("sha256"):
            raise ValueError("the checksum does not match (the file is damaged)")
        return header, payload

    def _corrupt(self, reason: str) -> StateCorrupt:
        backup = self.backup_path
        try:
            header, _ = self._read(backup)
            hint = (
                f"The last good snapshot is kept in {backup} (saved {header.get('saved_at')}, "
                f"{header.get('nodes')} nodes): to go back to it, move it over {self.snapshot_path}. "
            )
        except (OSError, ValueError):
            hint = f"There is no readable backup ({backup}). "
        return StateCorrupt(
            f"The saved graph {self.snapshot_path} cannot be read: {reason}. {hint}"
            f"To serve the dataset folder instead, remove {self.snapshot_path}."
        )

    def load(self) -> Dataset | None:
        """Return the saved graph, or ``None`` when nothing was imported yet.

        Raises
        ------
        StateCorrupt
            When the snapshot is truncated or damaged (the message names it and the backup).
        ConfigError
            When the snapshot was imported over another dataset folder.
        """
        if not self.snapshot_path.exists():
            return None
        try:
            header, payload = self._read(self.snapshot_path)
            dataset = Dataset.from_json_dict(json.loads(payload))
        except (OSError, ValueError) as exc:
            raise self._corrupt(str(exc)) from None
        self.last_header = header
        recorded = header.get("base")
        inside = self.base is not None and self.path.resolve() == (self.base / STATE_SUBDIR).resolve()
        if recorded and self.base is not None and not inside and Path(recorded).resolve() != self.base.resolve():
            raise ConfigError(
                f"{self.snapshot_path} holds a graph imported over {recorded}, not {self.base}; "
                "set CHAINKG_STATE_DIR to another folder, or serve that dataset folder"
            )
        return dataset

    def load_backup(self) -> Dataset:
        """Return the graph kept in ``snapshot.json.bak`` (the one before the last save)."""
        try:
            _, payload = self._read(self.backup_path)
            return Dataset.from_json_dict(json.loads(payload))
        except (OSError, ValueError) as exc:
            raise StateCorrupt(f"The backup {self.backup_path} cannot be read: {exc}.") from None

    def base_changed(self) -> bool:
        """Whether the dataset folder's CSV files changed since the loaded snapshot was saved."""
        recorded = self.last_header.get("base_signature")
        return bool(recorded) and recorded != folder_signature(self.base)

    def fingerprint_on_disk(self) -> str | None:
        """The fingerprint of the saved graph; ``None`` when there is none or it is unreadable."""
        try:
            header, _ = self._read(self.snapshot_path)
        except (OSError, ValueError):
            return None
        return str(header.get("fingerprint"))

    # -- writing -------------------------------------------------------------------------

    @contextlib.contextmanager
    def locked(self) -> Iterator[None]:
        """Hold the folder's lock (between threads and, on POSIX, between processes)."""
        self.path.mkdir(parents=True, exist_ok=True)
        with _thread_lock, open(self.path / ".lock", "a+b") as handle:
            try:
                import fcntl

                fcntl.flock(handle.fileno(), fcntl.LOCK_EX)
            except ImportError:  # not POSIX: the thread lock only
                pass
            yield

    def save(self, dataset: Dataset, *, expected: str | None = None) -> None:
        """Write ``dataset`` as the new snapshot, keeping the previous good one as ``.bak``.

        Parameters
        ----------
        dataset : Dataset
            The whole graph to keep.
        expected : str, optional
            The fingerprint of the graph this one was made from. When a
            readable snapshot exists with another fingerprint (another
            process imported meanwhile), nothing is written.

        Raises
        ------
        StateConflict
            When ``expected`` is given and the saved graph is another one.
        """
        payload = json.dumps(dataset.to_json_dict(), ensure_ascii=False, separators=(",", ":")).encode()
        header = {
            "format": FORMAT,
            "saved_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "bytes": len(payload),
            "sha256": hashlib.sha256(payload).hexdigest(),
            "fingerprint": dataset.fingerprint(),
            "fingerprint_scheme": FINGERPRINT_SCHEME,
            "nodes": len(dataset.nodes),
            "edges": len(dataset.edges),
            "base": str(self.base.resolve()) if self.base is not None else None,
            "base_signature": folder_signature(self.base),
        }
        blob = json.dumps(header, ensure_ascii=False).encode() + b"\n" + payload
        with self.locked():
            for stale in [*self.path.glob(f".{SNAPSHOT}.tmp-*"), *self.path.glob(f".{SNAPSHOT}.bak-*")]:
                with contextlib.suppress(OSError):
                    stale.unlink()
            current_good = False
            if self.snapshot_path.exists():
                try:
                    current, current_payload = self._read(self.snapshot_path)
                    current_good = True
                except (OSError, ValueError):
                    current, current_payload = {}, b""
                if expected is not None and current_good and _saved_fingerprint(current, current_payload) != expected:
                    raise StateConflict(
                        f"{self.snapshot_path} was changed by another import since this graph was loaded; "
                        "restart (or reload) and import again"
                    )
            if current_good:
                self._keep_backup()
            atomic_write(self.snapshot_path, blob)
        self.last_header = header

    def _keep_backup(self) -> None:
        link = self.path / f".{SNAPSHOT}.bak-{uuid.uuid4().hex[:8]}"
        try:
            os.link(self.snapshot_path, link)
        except OSError:  # no hard links here: copy
            atomic_write(self.backup_path, self.snapshot_path.read_bytes())
            return
        os.replace(link, self.backup_path)
        fsync_dir(self.path)


def _saved_fingerprint(header: Mapping[str, Any], payload: bytes) -> str:
    """The fingerprint of a saved graph, as :meth:`Dataset.fingerprint` computes it today.

    A snapshot saved before the fingerprint was computed the current way (its header has another
    ``fingerprint_scheme``, or none) is read and fingerprinted again, once, so that the first import
    after an upgrade is not mistaken for a conflict.
    """
    if header.get("fingerprint_scheme") == FINGERPRINT_SCHEME:
        return str(header.get("fingerprint"))
    return Dataset.from_json_dict(json.loads(payload)).fingerprint()
