"""Review 16b, second round (the bureau's own firm list): Chinese headers, progress, an empty target, odd spaces.

M7: the bureau's headers (企业名称, 所在区县, 所属环节, 角色, 来源文件...) were refused; they are now read as
the columns the template documents, with a warning saying how, and an unknown one points at ``chainkg
template`` and at splitting a firm-list row into a ``firms`` row and an ``operates_in`` row. M4: a 10^5-row
CSV import ran ~13 s without a word before the load's progress. M1: an import into an empty folder gave
hundreds of "unknown district/segment" errors and nothing said the folder held no graph. L3: a full-width
space inside a name (``常州　博耀电子有限公司``) was stored as is.
"""

from __future__ import annotations

import json

import pytest

from chainkg.cli import main
from chainkg.settings import BUNDLED_DATA
from graph.dataset import Dataset
from graph.memory_store import MemoryStore
from loaders.folder import load_folder
from loaders.importer import plan_import, read_input, run_import
from loaders.tables import COLUMN_ALIASES, TABLES, TABLES_BY_NAME, alias_map, aliases_of, header_key
from loaders.template import column_note
from tests.import_support import xlsx

SOURCE = "reply-2022-56"


@pytest.fixture(scope="module")
def bundled():
    return load_folder(BUNDLED_DATA)


def _text(report) -> str:
    return "\n".join(report.lines())


# -- M7: Chinese column names --------------------------------------------------------------------


BUREAU_FIRMS = [
    ["企业编号", "企业名称", "英文名称", "是否本地", "所在区县", "来源"],
    ["gxj-xinyu-001", "新北新宇电力设备股份有限公司", "", "是", "zhonglou", SOURCE],
    ["gxj-hengrui-002", "溧阳恒瑞特钢制品有限公司", "Liyang Hengrui Special Steel", "是", "wujin", SOURCE],
]
BUREAU_LINKS = [
    ["企业编号", "所属环节", "角色", "来源文件"],
    ["gxj-xinyu-001", "ne-storage-cell", "一般", SOURCE],
    ["gxj-hengrui-002", "ne-storage-cell", "骨干", SOURCE],
]


def test_the_bureaus_chinese_headers_import_and_say_how_they_were_read(bundled):
    data = xlsx({"企业": BUREAU_FIRMS, "企业环节": BUREAU_LINKS})
    store = MemoryStore(bundled)
    report = run_import(store, read_input("名单.xlsx", data))
    assert report.applied, _text(report)
    firm = store.node("gxj-hengrui-002")
    assert firm.name_zh == "溧阳恒瑞特钢制品有限公司" and firm.name_en == "Liyang Hengrui Special Steel"
    assert firm.is_local is True
    assert [e.target for e in store.edges("LOCATED_IN", source="gxj-xinyu-001")] == ["zhonglou"]
    (link,) = store.edges("OPERATES_IN", source="gxj-hengrui-002")
    assert link.target == "ne-storage-cell" and link.role == "major"
    read = [w for w in report.warnings if "read the Chinese column names" in w]
    assert len(read) == 2
    assert read[0].startswith("名单.xlsx [sheet 企业]: read the Chinese column names as columns: 企业编号 → id, ")
    assert "企业名称 → name_zh" in read[0] and "所在区县 → district_id" in read[0] and "是否本地 → is_local" in read[0]
    assert "已把中文列名读作" in read[0]
    assert "企业编号 → firm_id" in read[1] and "所属环节 → segment_id" in read[1] and "来源文件 → sources" in read[1]


def test_a_csv_with_chinese_headers_not_named_after_its_table_is_read_by_its_header(bundled):
    text = "编号,企业全称,是否本地,来源\ngxj-csv-001,常州测试导入甲有限公司,否,reply-2022-56\n"
    report = plan_import(read_input("名单.csv", text.encode("gb18030")), bundled)
    assert report.errors == [], _text(report)
    assert report.diff.counts()["nodes"]["added"] == 1
    assert any("编号 → id" in w and "企业全称 → name_zh" in w for w in report.warnings)


def test_an_unknown_chinese_header_names_the_template_and_the_split_into_two_tables(bundled):
    header = [*BUREAU_FIRMS[0], "统一社会信用代码"]
    data = xlsx({"企业": [header, [*BUREAU_FIRMS[1], "913204000DUMN87L70"]]})
    report = plan_import(read_input("名单.xlsx", data), bundled)
    (issue,) = report.errors
    assert (issue.sheet, issue.row, issue.field, issue.value) == ("企业", 1, "统一社会信用代码", "统一社会信用代码")
    assert issue.expected.startswith("one of the columns id, name_zh")
    assert "chainkg template" in issue.expected
    assert "becomes a row of firms (id, name_zh, is_local, district_id, sources) and a row of operates_in" in (
        issue.expected
    )
    assert "chainkg template" in issue.expected_zh and "operates_in（企业环节）表的一行" in issue.expected_zh


def test_the_bureaus_one_sheet_header_says_where_segment_and_role_go(bundled):
    header = ["企业名称", "英文名称", "所在区县", "所属环节", "角色", "来源文件", "统一社会信用代码"]
    row = ["新北新宇电力设备股份有限公司", "", "钟楼区", "pe-cable", "一般", "常工信〔2024〕88号", "9132"]
    report = plan_import(read_input("bureau.xlsx", xlsx({"企业": [header, row]})), bundled)
    (issue,) = report.errors
    assert issue.field == "id,is_local" and issue.value == ",".join(header)
    assert "'所属环节' is the column segment_id of operates_in" in issue.expected
    assert "'角色' is the column role of operates_in" in issue.expected
    assert "chainkg template" in issue.expected and "'所属环节' 是 operates_in 表的列 segment_id" in issue.expected_zh
    unnamed = plan_import(read_input("bureau.xlsx", xlsx({"Sheet1": [header, row]})), bundled)
    (sheet,) = unnamed.errors
    assert sheet.field == "(sheet)" and "chainkg template" in sheet.expected and "operates_in" in sheet.expected


def test_two_chinese_names_of_one_column_are_named_as_typed(bundled):
    header = ["企业编号", "企业名称", "企业全称", "是否本地", "来源"]
    data = xlsx({"企业": [header, ["gxj-a", "甲", "甲", "是", SOURCE]]})
    report = plan_import(read_input("名单.xlsx", data), bundled)
    (issue,) = report.errors
    assert issue.field == "name_zh" and issue.value == "企业全称"
    assert "'企业名称', column 2, and '企业全称' are both read as 'name_zh'" in issue.expected


def test_one_table_of_aliases_no_name_stands_for_two_columns_of_a_table():
    for key in COLUMN_ALIASES:
        table, _, column = key.rpartition(".")
        if table:
            assert column in TABLES_BY_NAME[table].columns, key
        else:
            assert any(column in t.columns for t in TABLES), key
    for table in TABLES:
        seen: dict[str, str] = {}
        for column in table.columns:
            for alias in aliases_of(table.name, column):
                assert seen.setdefault(header_key(alias), column) == column, (table.name, alias)
    assert alias_map("firms")["企业全称"] == "name_zh" and alias_map("operates_in")["企业编号"] == "firm_id"
    for column, alias in (("id", "编号"), ("aliases", "别名"), ("tags", "标签"), ("hq", "总部"), ("scale", "规模")):
        assert alias_map("firms")[alias] == column
    for alias, column in (("环节", "segment_id"), ("环节编号", "segment_id"), ("角色", "role"), ("年份", "year")):
        assert alias_map("operates_in")[alias] == column
    assert alias_map("firms")["可信度"] == "confidence" and alias_map("firms")["备注"] == "note"


def test_the_template_notes_list_the_chinese_names():
    assert "企业名称、企业全称" in column_note("firms", "name_zh")
    assert "所属环节" in column_note("operates_in", "segment_id")


# -- M4: progress while a large CSV is read and checked --------------------------------------------


def _firm_folder(tmp_path, rows: int):
    folder = tmp_path / f"in{rows}"
    folder.mkdir()
    (folder / "sources.csv").write_text("id,title,doc_no\nt-src,测试来源,T-1\n", encoding="utf-8")
    lines = ["id,name_zh,is_local,sources"] + [f"t-f{n},测试企业{n}有限公司,否,t-src" for n in range(rows)]
    (folder / "firms.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


def test_a_large_csv_import_shows_reading_and_checking_progress_on_stderr(tmp_path, capsys):
    folder = _firm_folder(tmp_path, 20_000)
    assert main(["import", str(folder), "--data", str(tmp_path / "d"), "--dry-run"]) == 0
    captured = capsys.readouterr()
    err = captured.err.replace("\r", "\n")
    assert "reading: " in err and "file firms.csv" in err
    assert "checking: " in err and "rows parsed" in err and "references checked" in err
    assert "reading:" not in captured.out and "checking:" not in captured.out
    progress = [line for line in err.splitlines() if line.startswith(("reading:", "checking:"))]
    assert len(progress) < 40, progress  # throttled
    assert main(["import", str(folder), "--data", str(tmp_path / "d"), "--dry-run", "--json"]) == 0
    quiet = capsys.readouterr()
    assert "checking:" not in quiet.err and "reading:" not in quiet.err
    assert json.loads(quiet.out)["counts"]["nodes"]["added"] == 20_001


def test_a_small_import_shows_no_progress(tmp_path, capsys):
    folder = _firm_folder(tmp_path, 20)
    assert main(["import", str(folder), "--data", str(tmp_path / "d"), "--dry-run"]) == 0
    err = capsys.readouterr().err
    assert "reading:" not in err and "checking:" not in err


def test_plan_import_tells_each_pass_of_a_blocked_import(tmp_path):
    folder = _firm_folder(tmp_path, 6_000)
    with (folder / "firms.csv").open("a", encoding="utf-8") as out:
        out.write("t-bad,坏,maybe,t-src\n")
    seen: list[tuple[int, int, str]] = []
    report = plan_import(read_input(str(folder), path=folder), Dataset(), progress=lambda *a: seen.append(a))
    assert report.blocked
    whats = {what for _, _, what in seen}
    assert "rows parsed" in whats and "nodes and links merged, references checked" in whats
    assert "rows parsed (pass 2: again without the 1 row(s) with problems)" in whats
    assert all(done <= total for done, total, _ in seen)


# -- M1: an import into a folder without a graph says so, once, up front ----------------------------


def test_an_import_into_an_empty_folder_says_the_folder_holds_no_graph(tmp_path, capsys):
    target = tmp_path / "新区"
    target.mkdir()
    data = tmp_path / "新区数据.xlsx"
    data.write_bytes(xlsx({"企业": BUREAU_FIRMS}))
    assert main(["import", str(data), "--data", str(target), "--dry-run"]) == 2
    captured = capsys.readouterr()
    warnings = [line for line in captured.err.splitlines() if "holds no graph" in line]
    assert len(warnings) == 1
    (warning,) = warnings
    assert warning.startswith(f"warning: the data folder {target} holds no graph (no clusters, segments or districts)")
    assert f"run chainkg export --format csv -o {target}/ first" in warning
    assert "put the segments and districts in the file" in warning and "数据文件夹" in warning
    assert "'zhonglou'" in captured.out  # the findings still follow


def test_an_import_into_a_folder_with_a_graph_does_not_warn(tmp_path, capsys):
    data = tmp_path / "名单.xlsx"
    data.write_bytes(xlsx({"企业": BUREAU_FIRMS}))
    assert main(["import", str(data), "--data", str(BUNDLED_DATA), "--dry-run"]) == 0
    assert "holds no graph" not in capsys.readouterr().err


# -- L3: odd spaces inside names ----------------------------------------------------------------------


def test_a_full_width_space_inside_a_name_is_made_plain_with_a_warning(bundled):
    text = (
        "id,name_zh,name_en,aliases,is_local,sources\n"
        "gxj-m-303,常州\u3000博耀电子有限公司,Changzhou\u00a0Boyao,博耀\u3000电子|BY,是,reply-2022-56\n"
        "gxj-m-304\u3000,常州龙腾精工有限公司,,,是,reply-2022-56\n"
    )
    store = MemoryStore(bundled)
    report = run_import(store, read_input("firms.csv", text.encode()))
    assert report.applied, _text(report)
    firm = store.node("gxj-m-303")
    assert firm.name_zh == "常州博耀电子有限公司" and firm.name_en == "Changzhou Boyao"
    assert set(firm.aliases) == {"博耀电子", "BY"}
    assert store.node("gxj-m-304") is not None
    (name_zh,) = [w for w in report.warnings if "'name_zh'" in w]
    assert name_zh.startswith(
        "firms.csv, row 2, field 'name_zh': '常州\\u3000博耀电子有限公司' read as '常州博耀电子有限公司'"
    )
    assert "U+3000" in name_zh and "列 'name_zh'" in name_zh and "汉字之间删除" in name_zh
    assert any("field 'name_en': 'Changzhou\\u00a0Boyao' read as 'Changzhou Boyao'" in w for w in report.warnings)


def test_a_dataset_folder_stores_names_the_same_way(tmp_path):
    (tmp_path / "sources.csv").write_text("id,title,doc_no\ns1,示例\u3000来源,X-1\n", encoding="utf-8")
    (tmp_path / "districts.csv").write_text("id,name_zh,sources\nwj,武进\u3000区,s1\n", encoding="utf-8")
    ds = load_folder(tmp_path)
    assert ds.nodes["wj"].name_zh == "武进区" and ds.nodes["s1"].name_zh == "示例来源"


def test_many_names_with_odd_spaces_are_not_listed_one_by_one(bundled):
    rows = "".join(f"gxj-s{n},常州\u3000测试{n}有限公司,否,reply-2022-56\n" for n in range(30))
    report = plan_import(read_input("firms.csv", ("id,name_zh,is_local,sources\n" + rows).encode()), bundled)
    spaced = [w for w in report.warnings if "read as" in w or "more names" in w]
    assert len(spaced) == 11 and spaced[-1].startswith("more names had spaces")


def test_an_import_into_an_empty_served_graph_says_so_first() -> None:
    """Review 16b M1, over the API: the CLI warned of an empty target; the API's answer now starts with it too."""
    import tempfile

    from fastapi.testclient import TestClient

    from api.app import create_app
    from chainkg.settings import Settings
    from graph.dataset import Dataset
    from graph.fixtures import tiny_chain
    from graph.memory_store import MemoryStore

    env = {"CHAINKG_STATE_DIR": tempfile.mkdtemp(prefix="chainkg-test-state-"), "CHAINKG_API_KEY": "k"}
    csv = "id,name_zh,is_local,sources,district_id\nnew-co,新公司,true,s-x,wujin\n".encode()
    for store, warned in ((MemoryStore(Dataset()), True), (MemoryStore(tiny_chain()), False)):
        client = TestClient(create_app(store, Settings.from_env(env=env)))
        body = client.post(
            "/api/v1/imports", headers={"X-API-Key": "k"}, files={"file": ("firms.csv", csv, "text/csv")}
        ).json()
        first = (body.get("warnings") or [""])[0]
        assert first.startswith("the server's data holds no graph") == warned, body.get("warnings")
