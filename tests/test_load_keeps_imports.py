"""``chainkg load`` and imports: a restart keeps them, a plain load does not drop them silently.

On Neo4j every start used to run ``chainkg load`` (``make run``, the compose ``app``, the Dockerfile),
which replaced the graph and lost every import. ``--if-empty`` loads only into an empty database, a
plain load refuses to replace a graph that holds imports, ``--force`` replaces it. On the embedded store
``load`` says that the imported snapshot is served, and how to take in the folder's changes.

The Neo4j tests need a real server (``NEO4J_URI``; ``scripts/neo4j_server.py run -- pytest ...``).
Test rows are invented, named 测试 and marked ``unverified``.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from chainkg.cli import main
from graph.fixtures import tiny_chain
from tests.cli_support import chainkg
from tests.import_support import base_graph, district_workbook

BUNDLED = "data/changzhou"
IMPORTED_ID = "t-keep-import-a"
FIRMS = (
    "id,name_zh,is_local,district_id,sources,confidence\n"
    f"{IMPORTED_ID},测试保留导入甲有限公司,true,wujin,s20-kjj-2024-02,unverified\n"
)


def _firms_csv(folder: Path) -> Path:
    path = folder / "firms.csv"
    path.write_text(FIRMS, encoding="utf-8")
    return path


def _wipe(store) -> None:
    """Delete every node chainkg wrote, as a database ``chainkg load`` never filled is."""
    with store._driver.session(database=store.database) as session:
        session.run("MATCH (n) WHERE n:ChainkgMeta OR n:ChainNode OR n:ChainkgGeneration DETACH DELETE n").consume()


# -- Neo4j -------------------------------------------------------------------------------------


@pytest.mark.neo4j
def test_if_empty_keeps_an_import_a_plain_load_refuses_and_force_replaces(neo4j_store, tmp_path):
    loaded = chainkg("load", BUNDLED, "--backend", "neo4j", "--force")
    assert loaded.returncode == 0, loaded.stderr
    record = neo4j_store.load_record()
    assert (record.origin, record.imports, record.loaded_from) == ("load", 0, BUNDLED)

    imported = chainkg("import", str(_firms_csv(tmp_path)), "--backend", "neo4j")
    assert imported.returncode == 0, imported.stdout + imported.stderr
    assert neo4j_store.node(IMPORTED_ID) is not None
    record = neo4j_store.load_record()
    assert (record.origin, record.imports, record.loaded_from) == ("import", 1, BUNDLED)

    kept = chainkg("load", BUNDLED, "--backend", "neo4j", "--if-empty")
    assert kept.returncode == 0, kept.stderr
    assert kept.stdout.startswith("kept the graph already in Neo4j: ")
    assert f"loaded from {BUNDLED} at " in kept.stdout and "then changed by 1 import;" in kept.stdout
    assert f"chainkg load {BUNDLED} --backend neo4j to replace it" in kept.stdout
    assert neo4j_store.node(IMPORTED_ID) is not None

    refused = chainkg("load", BUNDLED, "--backend", "neo4j")
    assert refused.returncode == 2 and refused.stdout == ""
    (line,) = refused.stderr.splitlines()
    assert line.startswith("error: refusing to replace the graph in Neo4j")
    assert "would lose 1 import;" in line and "--force" in line
    assert neo4j_store.node(IMPORTED_ID) is not None

    forced = chainkg("load", BUNDLED, "--backend", "neo4j", "--force")
    assert forced.returncode == 0, forced.stderr
    assert f"Loaded {BUNDLED} into neo4j" in forced.stdout
    assert neo4j_store.node(IMPORTED_ID) is None
    assert neo4j_store.load_record().imports == 0


@pytest.mark.neo4j
def test_a_load_over_a_graph_without_imports_replaces_it_as_before(neo4j_store):
    neo4j_store.replace(base_graph())  # a program's graph (as the tests and the benchmark write): no imports
    assert neo4j_store.load_record().imports == 0
    loaded = chainkg("load", BUNDLED, "--backend", "neo4j")
    assert loaded.returncode == 0, loaded.stderr
    assert neo4j_store.node("catl-jiangsu") is not None and neo4j_store.node("o-cell-x") is None


@pytest.mark.neo4j
def test_if_empty_loads_an_empty_database_and_import_warns_about_it(neo4j_store, tmp_path):
    _wipe(neo4j_store)
    try:
        assert neo4j_store.load_record() is None
        dry = chainkg("import", str(_firms_csv(tmp_path)), "--backend", "neo4j", "--dry-run")
        assert dry.returncode == 2  # the district and the source it names are not there
        warning = dry.stderr.splitlines()[0]
        assert warning.startswith(f"warning: Neo4j at {os.environ['NEO4J_URI']} (database neo4j) holds no graph")
        assert "load one first: chainkg load data/changzhou --backend neo4j" in warning
        assert "'wujin'" in dry.stdout + dry.stderr  # the findings still follow

        loaded = chainkg("load", BUNDLED, "--backend", "neo4j", "--if-empty")
        assert loaded.returncode == 0, loaded.stderr
        assert f"Loaded {BUNDLED} into neo4j" in loaded.stdout
        assert neo4j_store.node("catl-jiangsu") is not None
        again = chainkg("import", str(_firms_csv(tmp_path)), "--backend", "neo4j", "--dry-run")
        assert again.returncode == 0 and "holds no graph" not in again.stderr
    finally:
        neo4j_store.replace(tiny_chain())


# -- the embedded store --------------------------------------------------------------------------


def _district(tmp_path: Path) -> Path:
    """A dataset folder of its own (the bundled data, copied), so that its state folder is DIR/.chainkg."""
    import shutil

    folder = tmp_path / "district"
    shutil.copytree(BUNDLED, folder, ignore=shutil.ignore_patterns(".chainkg"))
    return folder


def test_load_after_an_import_says_the_imported_graph_is_served_and_how_to_take_in_the_folder(
    monkeypatch, tmp_path, capsys
):
    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    folder = _district(tmp_path)
    assert main(["import", str(_firms_csv(tmp_path)), "--data", str(folder)]) == 0
    capsys.readouterr()
    assert main(["load", str(folder)]) == 0
    out = capsys.readouterr().out
    snapshot = folder / ".chainkg" / "snapshot.json"
    assert "keeps nothing" not in out
    assert f"serves the graph imported into {snapshot}, not this folder" in out
    assert f"chainkg import {folder} --data {folder} --on-conflict overwrite" in out
    assert f"or delete {snapshot} to serve the folder alone (the imports are lost)" in out


def test_the_folder_changed_warning_names_the_command_that_takes_in_its_changes(monkeypatch, tmp_path, caplog):
    from chainkg.runtime import open_store
    from chainkg.settings import Settings

    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    folder = _district(tmp_path)
    assert main(["import", str(_firms_csv(tmp_path)), "--data", str(folder)]) == 0
    with (folder / "districts.csv").open("a", encoding="utf-8") as districts:
        districts.write("t-keep-new,测试新区,Test New District,,s52-xiaojuren-2022-08,unverified,\n")
    with caplog.at_level("WARNING", logger="chainkg"):
        store = open_store(Settings.from_env(data_dir=folder))
    assert store.node(IMPORTED_ID) is not None  # the imported graph is served
    (warning,) = [r.getMessage() for r in caplog.records if r.levelname == "WARNING"]
    assert "changed since the last import" in warning
    assert f"chainkg import {folder} --data {folder} --on-conflict overwrite" in warning
    assert "(the imports are lost)" in warning


def test_check_of_a_district_made_only_by_import_says_what_the_folder_is(monkeypatch, tmp_path, capsys):
    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    workbook = tmp_path / "d.xlsx"
    workbook.write_bytes(district_workbook())
    new = tmp_path / "new-district"
    new.mkdir()
    assert main(["import", str(workbook), "--data", str(new)]) == 0  # docs/import.md: a new district from nothing
    capsys.readouterr()
    assert main(["load", str(new), "--check"]) == 2
    err = capsys.readouterr().err
    assert "only the graph imported over it" in err and str(new / ".chainkg" / "snapshot.json") in err
    assert f"chainkg serve --data {new}" in err and f"chainkg export --data {new} -o FOLDER" in err


def test_check_of_an_empty_folder_still_says_no_table_files(tmp_path, capsys):
    assert main(["load", str(tmp_path), "--check"]) == 2
    err = capsys.readouterr().err
    assert ": no table files; expected at least one of sources.csv" in err
