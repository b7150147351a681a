"""The embedded store's saved graph: atomic writes, kill -9 mid-write, corrupt files, the backup, --data DIR."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from chainkg.cli import main
from chainkg.runtime import open_store, state_dir
from chainkg.settings import BUNDLED_DATA, Settings
from graph.errors import StateConflict, StateCorrupt
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.persist import StateDir, state_dir_for
from loaders.folder import load_folder
from loaders.importer import read_input, run_import
from tests.conftest import REPO
from tests.import_support import canonical


def test_save_load_and_backup(tmp_path):
    state = StateDir(tmp_path / "s")
    first = tiny_chain()
    state.save(first)
    assert not state.backup_path.exists()
    second = load_folder(BUNDLED_DATA)
    state.save(second, expected=first.fingerprint())
    assert canonical(state.load()) == canonical(second)
    assert canonical(state.load_backup()) == canonical(first)
    assert not list((tmp_path / "s").glob(".snapshot.json.tmp-*"))


def test_save_refuses_when_another_process_saved_meanwhile(tmp_path):
    state = StateDir(tmp_path / "s")
    state.save(tiny_chain())
    with pytest.raises(StateConflict, match="changed by another import"):
        state.save(load_folder(BUNDLED_DATA), expected="0000000000000000")
    assert canonical(state.load()) == canonical(tiny_chain())


def _rewrite_header(state: StateDir, **changes: object) -> None:
    """Rewrite the header of the saved snapshot (the payload and its checksum stay as they are)."""
    header, payload = state.snapshot_path.read_bytes().split(b"\n", 1)
    fields = {k: v for k, v in {**json.loads(header), **changes}.items() if v is not None}
    state.snapshot_path.write_bytes(json.dumps(fields).encode() + b"\n" + payload)


def test_a_snapshot_saved_before_the_fingerprint_scheme_is_not_a_conflict(tmp_path):
    """A header of an older chainkg (another fingerprint, no scheme) is fingerprinted again, not refused."""
    state = StateDir(tmp_path / "s")
    first = tiny_chain()
    state.save(first)
    _rewrite_header(state, fingerprint="0123456789abcdef", fingerprint_scheme=None)  # as an older version wrote it
    state.save(load_folder(BUNDLED_DATA), expected=state.load().fingerprint())
    assert canonical(state.load_backup()) == canonical(first)
    _rewrite_header(state, fingerprint_scheme=None)  # an old header still refuses a graph made from another one
    with pytest.raises(StateConflict, match="changed by another import"):
        state.save(first, expected=first.fingerprint())


@pytest.mark.parametrize("damage", ["truncate", "flip", "header", "empty"])
def test_corrupt_snapshot_is_a_clear_error_and_the_backup_is_kept(tmp_path, damage):
    state = StateDir(tmp_path / "s")
    state.save(tiny_chain())
    state.save(load_folder(BUNDLED_DATA))
    good_backup = state.backup_path.read_bytes()
    raw = state.snapshot_path.read_bytes()
    broken = {
        "truncate": raw[: len(raw) // 2],
        "flip": raw[:-100] + bytes([raw[-100] ^ 0x20]) + raw[-99:],
        "header": b"not json\n" + raw.split(b"\n", 1)[1],
        "empty": b"",
    }[damage]
    state.snapshot_path.write_bytes(broken)
    with pytest.raises(StateCorrupt) as info:
        state.load()
    message = str(info.value)
    assert str(state.snapshot_path) in message and str(state.backup_path) in message
    assert "last good snapshot" in message
    # a later save must not rotate the damaged file over the good backup
    state.save(tiny_chain())
    assert state.backup_path.read_bytes() == good_backup


def test_cli_names_the_corrupt_file(tmp_path, capsys):
    data = tmp_path / "district"
    data.mkdir()
    state = StateDir(data / ".chainkg")
    state.save(tiny_chain())
    state.snapshot_path.write_bytes(state.snapshot_path.read_bytes()[:-10])
    assert main(["info", "--data", str(data)]) == 1
    err = capsys.readouterr().err
    assert "snapshot.json cannot be read" in err and "truncated" in err


_WRITER = textwrap.dedent(
    """
    import sys, time
    from pathlib import Path
    import graph.persist as persist
    from chainkg.settings import BUNDLED_DATA
    from loaders.folder import load_folder

    def slow(stream, data):
        for start in range(0, len(data), 4096):
            stream.write(data[start:start + 4096])
            stream.flush()
            time.sleep(0.002)

    persist._write_all = slow
    dataset = load_folder(BUNDLED_DATA)
    print("writing", flush=True)
    persist.StateDir(Path(sys.argv[1])).save(dataset)
    print("done", flush=True)
    """
)


def test_kill_9_mid_write_leaves_the_previous_snapshot(tmp_path):
    state = StateDir(tmp_path / "s")
    before = tiny_chain()
    state.save(before)
    saved = state.snapshot_path.read_bytes()
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    child = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(state.path)], stdout=subprocess.PIPE, env=env, cwd=REPO, text=True
    )
    try:
        assert child.stdout is not None and child.stdout.readline().strip() == "writing"
        deadline = time.monotonic() + 30
        partial = []
        while time.monotonic() < deadline and not partial:
            partial = [p for p in state.path.glob(".snapshot.json.tmp-*") if p.stat().st_size > 8192]
            time.sleep(0.005)
        assert partial, "the writer never got going"
        os.kill(child.pid, signal.SIGKILL)
        child.wait(timeout=10)
    finally:
        if child.poll() is None:
            child.kill()
            child.wait()
    assert child.returncode == -signal.SIGKILL
    assert partial[0].exists(), "the killed writer's temp file is left, half written"
    assert state.snapshot_path.read_bytes() == saved
    assert canonical(state.load()) == canonical(before)
    state.save(load_folder(BUNDLED_DATA))  # the next write cleans up
    assert not list(state.path.glob(".snapshot.json.tmp-*"))


def test_import_into_a_new_district_folder_and_serve_it(tmp_path, capsys):
    from tests.import_support import district_workbook, write

    folder = tmp_path / "district"  # does not exist yet: a new district starts empty
    book = write(tmp_path / "district.xlsx", district_workbook())
    assert main(["import", str(book), "--data", str(folder), "--dry-run"]) == 0
    assert not (folder / ".chainkg" / "snapshot.json").exists()
    assert main(["import", str(book), "--data", str(folder)]) == 0
    assert "saved to" in capsys.readouterr().out
    settings = Settings.from_env(env={}, data_dir=folder)
    assert state_dir(settings).path == folder / ".chainkg"
    store = open_store(settings)
    assert store.node("fd-chip").name_zh == "虚构微芯有限公司"
    assert store.node("catl-jiangsu") is None, "a district keeps its own graph"


def test_api_import_is_saved_and_reloaded(tmp_path):
    from fastapi.testclient import TestClient

    from api.app import create_app

    settings = Settings.from_env(env={"CHAINKG_API_KEY": "k", "CHAINKG_STATE_DIR": str(tmp_path / "state")})
    store = MemoryStore(load_folder(BUNDLED_DATA))
    with TestClient(create_app(store, settings)) as client:
        csv = "id,name_zh,is_local,district_id,sources\nnew-co,新导入公司,true,wujin,reply-2022-56\n"
        answer = client.post(
            "/api/v1/imports", files={"file": ("firms.csv", csv.encode("gb18030"))}, headers={"X-API-Key": "k"}
        )
        assert answer.status_code == 200 and answer.json()["applied"] is True
    reopened = open_store(settings)
    assert reopened.node("new-co").name_zh == "新导入公司"


def test_state_dir_defaults(tmp_path):
    assert state_dir_for(BUNDLED_DATA, bundled=BUNDLED_DATA, env={"XDG_DATA_HOME": "/x"}) == Path("/x/chainkg")
    assert state_dir_for(tmp_path, bundled=BUNDLED_DATA) == tmp_path / ".chainkg"
    assert state_dir_for(tmp_path, bundled=BUNDLED_DATA, explicit=tmp_path / "s") == tmp_path / "s"
    assert Settings.from_env(env={"CHAINKG_STATE_DIR": str(tmp_path)}).state_dir == tmp_path


def test_a_state_dir_holding_another_folders_graph_is_refused(tmp_path):
    from graph.errors import ConfigError

    shared = tmp_path / "shared"
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir()
    two.mkdir()
    StateDir(shared, base=one).save(tiny_chain())
    with pytest.raises(ConfigError, match="imported over"):
        StateDir(shared, base=two).load()


def test_serve_runs_on_an_imported_district(tmp_path):
    """``chainkg serve --data DIR`` starts on a folder that only holds an imported graph."""
    import socket
    import urllib.request

    from tests.import_support import district_workbook

    folder = tmp_path / "district"
    store = MemoryStore()
    state = StateDir(folder / ".chainkg", base=folder)
    assert run_import(store, read_input("d.xlsx", district_workbook()), state=state).applied
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    server = subprocess.Popen(
        [sys.executable, "-m", "chainkg", "serve", "--data", str(folder), "--port", str(port), "--log-level", "error"],
        env=env,
        cwd=REPO,
        stderr=subprocess.PIPE,
    )
    try:
        deadline = time.monotonic() + 60
        body = b""
        while time.monotonic() < deadline:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/api/v1/firms/fd-chip", timeout=2) as r:
                    body = r.read()
                break
            except OSError:
                if server.poll() is not None:
                    pytest.fail(server.stderr.read().decode() if server.stderr else "server exited")
                time.sleep(0.2)
        assert "虚构微芯有限公司" in body.decode()
    finally:
        server.terminate()
        server.wait(timeout=10)
