"""``chainkg info`` says when it counts an imported snapshot rather than the folder's tables.

``chainkg load --check`` said it; ``info`` printed the snapshot's counts as if they were the folder's.
The import below is the one docs/import.md describes (invented rows, named 测试, marked ``unverified``).
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
from pathlib import Path

from chainkg.cli import main

BUNDLED = "data/changzhou"
IMPORTED_ID = "t-info-snapshot-a"
FIRMS = (
    "id,name_zh,is_local,district_id,sources,confidence\n"
    f"{IMPORTED_ID},测试快照信息甲有限公司,true,wujin,s20-kjj-2024-02,unverified\n"
)


def _district(tmp_path: Path) -> Path:
    """A copy of the bundled data, so that its imports are kept in DIR/.chainkg."""
    folder = tmp_path / "district"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns(".chainkg"))
    return folder


def _info(capsys, *argv: str) -> str:
    assert main(["info", *argv]) == 0
    return capsys.readouterr().out


def test_info_names_the_imported_snapshot_it_counts(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    folder = _district(tmp_path)
    before = json.loads(_info(capsys, "--data", str(folder), "--json"))
    assert before["snapshot"] is None
    assert "imported" not in _info(capsys, "--data", str(folder))

    firms = tmp_path / "firms.csv"
    firms.write_text(FIRMS, encoding="utf-8")
    started = dt.datetime.now(dt.UTC).replace(microsecond=0)
    assert main(["import", str(firms), "--data", str(folder)]) == 0
    capsys.readouterr()
    snapshot = folder / ".chainkg" / "snapshot.json"
    assert snapshot.is_file()

    body = json.loads(_info(capsys, "--data", str(folder), "--json"))
    assert body["snapshot"]["path"] == str(snapshot)
    saved = dt.datetime.fromisoformat(body["snapshot"]["saved_at"])
    assert started <= saved <= dt.datetime.now(dt.UTC)
    assert body["snapshot"]["nodes"] == sum(body["nodes"].values()) == sum(before["nodes"].values()) + 1
    assert body["snapshot"]["base"] == str(folder.resolve())

    text = _info(capsys, "--data", str(folder)).splitlines()
    assert text[0] == "backend: networkx"
    when = body["snapshot"]["saved_at"]
    assert text[1] == (
        f"提供的是导入到 {snapshot} 的图（保存于 {when}），而不是文件夹中的表格"
        f" / served: the graph imported into {snapshot} (saved {when}), not the folder's tables"
    )
    english = _info(capsys, "--data", str(folder), "--lang", "en").splitlines()
    assert english[1] == f"served: the graph imported into {snapshot} (saved {when}), not the folder's tables"
    assert text[2:] == english[2:] and text[2].startswith("nodes:  ")


def test_info_of_a_district_made_only_by_import_names_its_snapshot(monkeypatch, tmp_path, capsys):
    from tests.import_support import district_workbook

    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    workbook = tmp_path / "d.xlsx"
    workbook.write_bytes(district_workbook())
    new = tmp_path / "new-district"
    new.mkdir()
    assert main(["import", str(workbook), "--data", str(new)]) == 0  # docs/import.md: a new district from nothing
    capsys.readouterr()
    body = json.loads(_info(capsys, "--data", str(new), "--json"))
    assert body["snapshot"]["path"] == str(new / ".chainkg" / "snapshot.json")
    assert sum(body["nodes"].values()) == body["snapshot"]["nodes"] > 0
    assert f"served: the graph imported into {new / '.chainkg' / 'snapshot.json'} (saved " in _info(
        capsys, "--data", str(new)
    )
