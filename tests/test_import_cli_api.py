"""``chainkg template``/``import``/``export`` and ``POST /api/v1/imports``/``GET /api/v1/export``."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from chainkg.cli import main
from chainkg.settings import Settings
from graph.memory_store import MemoryStore
from graph.persist import StateDir
from loaders.tables import TABLES
from tests.import_support import base_graph, canonical, district_workbook, write

FIRM_ROW = "id,name_zh,is_local,district_id,sources\nnew-co,丁电池有限公司,true,d-wujin,s-tiny\n"


# -- template ------------------------------------------------------------------------------


def test_template_has_a_sheet_per_table_with_notes_and_an_example(tmp_path, capsys):
    path = tmp_path / "template.xlsx"
    assert main(["template", "-o", str(path)]) == 0
    book = load_workbook(path)
    assert book.sheetnames[0] == "说明 README"
    assert set(book.sheetnames[1:]) == {t.name for t in TABLES}
    for table in TABLES:
        sheet = book[table.name]
        header = [c.value for c in sheet[1]]
        assert set(table.required) <= set(header) and set(header) <= set(table.columns)
        assert all(c.comment and ("required" in c.comment.text or "optional" in c.comment.text) for c in sheet[1])
        assert any(c.value for c in sheet[2]), f"no example row in {table.name}"
    note = book["firms"]["A1"].comment.text
    assert "必填" in note and "Id" in note
    assert main(["template", "-o", str(path)]) == 2, "an existing file is not replaced without --force"
    csv_path = tmp_path / "template.csv"
    assert main(["template", "-o", str(csv_path)]) == 2, "a workbook is never written under another suffix"
    assert not csv_path.exists()


# -- import --------------------------------------------------------------------------------


def test_import_dry_run_json_then_apply(tmp_path, capsys):
    folder = tmp_path / "d"
    book = write(tmp_path / "d.xlsx", district_workbook())
    assert main(["import", str(book), "--data", str(folder), "--dry-run", "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert set(summary) >= {"nodes", "edges", "errors"}
    assert set(summary["nodes"]) == {"added", "updated", "unchanged", "conflicting"}
    assert summary["counts"]["nodes"]["added"] == 15 and summary["errors"] == []
    assert summary["applied"] is False and summary["saved_to"] is None
    assert not (folder / ".chainkg").exists()
    assert main(["import", str(book), "--data", str(folder), "--json"]) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["applied"] is True and summary["saved_to"].endswith("snapshot.json")
    assert main(["import", str(book), "--data", str(folder), "--dry-run", "--json"]) == 0
    again = json.loads(capsys.readouterr().out)
    assert again["counts"]["nodes"]["unchanged"] == 15 and again["counts"]["nodes"]["added"] == 0


def test_import_errors_exit_2_and_print_both_languages(tmp_path, capsys):
    bad = write(tmp_path / "firms.csv", b"id,name_zh,is_local,sources\nBad Id,x,maybe,s\n")
    assert main(["import", str(bad), "--data", str(tmp_path / "d")]) == 2
    out = capsys.readouterr().out
    assert "firms.csv, row 2, field 'id'" in out and "firms.csv，第 2 行，列 'id'" in out
    assert "nothing applied" in out and "未导入任何数据" in out
    assert not (tmp_path / "d" / ".chainkg").exists()


def test_import_skip_invalid_writes_rejected_rows(tmp_path, capsys):
    folder = tmp_path / "d"
    write(tmp_path / "d.xlsx", district_workbook())
    assert main(["import", str(tmp_path / "d.xlsx"), "--data", str(folder)]) == 0
    capsys.readouterr()
    csv = (
        "id,name_zh,is_local,district_id,sources\n"
        "ok-co,好公司,true,fd-county,fd-test-data\n"
        "no-co,坏公司,true,nowhere,fd-test-data\n"
    )
    src = write(tmp_path / "firms.csv", csv.encode("gb18030"))
    rejected = tmp_path / "rejected.json"
    args = ["import", str(src), "--data", str(folder), "--skip-invalid", "--rejected", str(rejected), "--json"]
    assert main([*args, "--dry-run"]) == 0
    preview = json.loads(capsys.readouterr().out)
    assert preview["rejected"] == 1 and preview["rejected_file"] is None
    assert not rejected.exists(), "a dry run writes nothing, not even the rows it would set aside"
    assert main(args) == 0
    summary = json.loads(capsys.readouterr().out)
    assert summary["applied"] and summary["rejected"] == 1 and summary["rejected_file"] == str(rejected)
    assert json.loads(rejected.read_text(encoding="utf-8"))[0]["values"]["id"] == "no-co"
    assert main(["import", str(src), "--data", str(folder), "--rejected", str(rejected)]) == 2


def test_import_help_lists_the_options(capsys):
    with pytest.raises(SystemExit):
        main(["import", "--help"])
    out = capsys.readouterr().out
    for flag in ("--dry-run", "--json", "--skip-invalid", "--rejected", "--data", "--backend", "--on-conflict"):
        assert flag in out


# -- export --------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["xlsx", "csv", "json"])
def test_cli_export_then_import_gives_the_same_graph(tmp_path, capsys, fmt):
    source = tmp_path / "source"
    write(tmp_path / "d.xlsx", district_workbook())
    assert main(["import", str(tmp_path / "d.xlsx"), "--data", str(source)]) == 0
    out = tmp_path / ("out" if fmt == "csv" else f"out.{fmt}")
    assert main(["export", "--format", fmt, "-o", str(out), "--data", str(source)]) == 0
    target = tmp_path / "target"
    assert main(["import", str(out), "--data", str(target)]) == 0
    assert canonical(StateDir(target / ".chainkg").load()) == canonical(StateDir(source / ".chainkg").load())


def test_cli_export_refuses_to_overwrite(tmp_path, capsys):
    path = tmp_path / "g.json"
    path.write_text("{}")
    assert main(["export", "-o", str(path)]) == 2
    assert "--force" in capsys.readouterr().err
    assert main(["export", "-o", str(path), "--force"]) == 0
    assert json.loads(path.read_text(encoding="utf-8"))["format"] == "chainkg/1"


# -- API -----------------------------------------------------------------------------------


@pytest.fixture
def api(tmp_path):
    store = MemoryStore(base_graph())
    settings = Settings.from_env(env={"CHAINKG_API_KEY": "s3cret", "CHAINKG_STATE_DIR": str(tmp_path / "state")})
    with TestClient(create_app(store, settings)) as client:
        yield client, store, StateDir(tmp_path / "state")


def _post(client, data: bytes, name: str = "firms.csv", headers: dict[str, str] | None = None, **form: str):
    return client.post("/api/v1/imports", files={"file": (name, data)}, data=form, headers=headers or {})


def test_api_writes_disabled_without_a_key(tmp_path):
    with TestClient(create_app(MemoryStore(base_graph()), Settings.from_env(env={}))) as client:
        answer = _post(client, FIRM_ROW.encode(), headers={"X-API-Key": "anything"})
    assert answer.status_code == 403
    assert answer.headers["content-type"].startswith("application/problem+json")
    assert "Writes are disabled" in answer.json()["detail"] and "CHAINKG_API_KEY" in answer.json()["detail"]


@pytest.mark.parametrize(
    "headers", [{}, {"X-API-Key": "wrong"}, {"Authorization": "Bearer wrong"}, {"Authorization": "s3cret"}]
)
def test_api_wrong_or_missing_key_is_401(api, headers):
    client, store, _ = api
    answer = _post(client, FIRM_ROW.encode(), headers=headers)
    assert answer.status_code == 401 and answer.json()["status"] == 401
    assert store.node("new-co") is None


def test_api_dry_run_then_apply(api):
    client, store, state = api
    dry = _post(client, FIRM_ROW.encode("gb18030"), headers={"X-API-Key": "s3cret"}, dry_run="true")
    assert dry.status_code == 200
    assert dry.json()["nodes"]["added"] == [{"id": "new-co", "kind": "Firm"}] and dry.json()["applied"] is False
    assert store.node("new-co") is None and state.load() is None
    done = _post(client, FIRM_ROW.encode("gb18030"), headers={"Authorization": "Bearer s3cret"})
    assert done.status_code == 200 and done.json()["applied"] is True
    assert store.node("new-co").name_zh == "丁电池有限公司"
    assert state.load().nodes["new-co"].name_zh == "丁电池有限公司"


def test_api_invalid_file_is_422_and_nothing_changes(api):
    client, store, state = api
    version = store.version()
    answer = _post(client, b"id,name_zh,is_local,sources\nx,y,perhaps,s-tiny\n", headers={"X-API-Key": "s3cret"})
    assert answer.status_code == 422 and answer.headers["content-type"].startswith("application/problem+json")
    error = answer.json()["errors"][0]
    assert (error["file"], error["row"], error["field"], error["value"]) == ("firms.csv", 2, "is_local", "perhaps")
    assert error["message_zh"].startswith("firms.csv，第 2 行")
    assert store.version() == version and state.load() is None


def test_api_skip_invalid_returns_the_rejected_rows(api):
    client, store, _ = api
    text = FIRM_ROW + "bad-co,坏公司,perhaps,,s-tiny\n"
    answer = _post(client, text.encode(), headers={"X-API-Key": "s3cret"}, skip_invalid="true")
    assert answer.status_code == 200 and answer.json()["rejected"] == 1
    assert answer.json()["rejected_rows"][0]["values"]["id"] == "bad-co"
    assert store.node("new-co") and store.node("bad-co") is None


def test_api_upload_limit_is_413(api):
    client, store, _ = api
    answer = _post(client, b"x" * (20 * 2**20 + 100_000), headers={"X-API-Key": "s3cret"})
    assert answer.status_code == 413 and "20 MB" in answer.json()["detail"]


def test_api_needs_the_file_field(api):
    client, _, _ = api
    answer = client.post("/api/v1/imports", data={"dry_run": "true"}, headers={"X-API-Key": "s3cret"})
    assert answer.status_code == 422 and "'file'" in answer.json()["detail"]


@pytest.mark.parametrize("fmt", ["json", "xlsx", "csv"])
def test_api_export_round_trip(fmt, tmp_path):
    from chainkg.settings import BUNDLED_DATA
    from loaders.folder import load_folder

    store = MemoryStore(load_folder(BUNDLED_DATA))
    with TestClient(create_app(store, Settings.from_env(env={}))) as client:
        exported = client.get(f"/api/v1/export?format={fmt}")
    assert exported.status_code == 200 and "attachment" in exported.headers["content-disposition"]
    name = exported.headers["content-disposition"].split('filename="')[1].rstrip('"')
    empty = MemoryStore()
    settings = Settings.from_env(env={"CHAINKG_API_KEY": "k", "CHAINKG_STATE_DIR": str(tmp_path / "other")})
    with TestClient(create_app(empty, settings)) as other:
        answer = _post(other, exported.content, name=name, headers={"X-API-Key": "k"}, dry_run="true")
    assert answer.status_code == 200 and answer.json()["errors"] == []
    assert answer.json()["counts"]["nodes"]["added"] == len(store.snapshot().nodes)


def test_api_export_formats_and_bad_format(api):
    client, store, _ = api
    for fmt, media in (("graphml", "application/graphml+xml"), ("cypher", "text/plain")):
        answer = client.get(f"/api/v1/export?format={fmt}")
        assert answer.status_code == 200 and answer.headers["content-type"].startswith(media)
    assert client.get("/api/v1/export?format=pdf").status_code == 422
    assert client.get("/api/v1/export").status_code == 422


def test_openapi_documents_the_upload(api):
    client, _, _ = api
    spec = client.get("/openapi.json").json()
    body = spec["paths"]["/api/v1/imports"]["post"]["requestBody"]["content"]["multipart/form-data"]["schema"]
    assert {"file", "dry_run", "skip_invalid", "on_conflict"} <= set(body["properties"])
    assert {"401", "403", "413", "422"} <= set(spec["paths"]["/api/v1/imports"]["post"]["responses"])
