"""Review 16b (the bureau's own firm list): new ids are new firms, readable conflicts, grouped repeats, hints.

H1: a firm row giving an id the graph does not hold was merged into another firm by its loose name
(宁德时代新能源科技(四川)有限公司 became an alias of ``catl``). M5: a role conflict printed
``<Role.MAJOR: 'major'>``. M6: ``nev-thermal-management`` got no nearest id. M2: one line per row
for the same problem. M3/L4: header problems and --skip-invalid, ``_统一社会信用代码`` shown as ``'_'``,
full-width ``ｉｄ``. L1/L2: ``2023年5月`` and an English-only firm.
"""

from __future__ import annotations

import pytest

from chainkg.settings import BUNDLED_DATA
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from loaders.folder import load_folder
from loaders.importer import ImportOptions, plan_import, read_input, run_import
from tests.import_support import xlsx

FIRMS = "id,name_zh,is_local,sources\n"
LINKS = "firm_id,segment_id,role,sources\n"


@pytest.fixture(scope="module")
def bundled():
    return load_folder(BUNDLED_DATA)


def _folder(tmp_path, files: dict[str, str]):
    for name, text in files.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def _text(report) -> str:
    return "\n".join(report.lines())


# -- H1: an explicit new id is a new firm ----------------------------------------------------------


def test_a_new_id_is_not_merged_into_the_parent_group_by_a_loose_name(bundled, tmp_path):
    folder = _folder(
        tmp_path,
        {
            "firms.csv": FIRMS + "js-catl-sichuan,宁德时代新能源科技(四川)有限公司,否,reply-2022-56\n",
            "operates_in.csv": LINKS + "js-catl-sichuan,ne-storage-cell,member,reply-2022-56\n",
        },
    )
    store = MemoryStore(bundled)
    report = run_import(store, read_input(str(folder), path=folder))
    assert report.applied, _text(report)
    assert report.resolved == []
    firm = store.node("js-catl-sichuan")
    assert firm is not None and firm.name_zh == "宁德时代新能源科技(四川)有限公司" and firm.is_local is False
    assert "宁德时代新能源科技(四川)有限公司" not in store.node("catl").aliases
    assert [e.target for e in store.edges("OPERATES_IN", source="js-catl-sichuan")] == ["ne-storage-cell"]
    (warning,) = report.warnings
    assert "js-catl-sichuan" in warning and "is imported as a new firm" in warning
    assert "similar to catl (宁德时代新能源科技股份有限公司)" in warning and "use its id catl" in warning
    assert "同名相近" in warning and "若是同一家企业，请改用其编号 catl" in warning
    assert "warning 提示: firms.csv, row 2: js-catl-sichuan" in _text(report)


def test_a_suzhou_unit_is_not_folded_into_the_changzhou_unit_nor_told_to_overwrite_it(bundled):
    text = FIRMS + "js-aac-suzhou,瑞声光学科技(苏州)有限公司,否,reply-2022-56\n"
    report = plan_import(read_input("firms.csv", text.encode()), bundled)
    assert report.errors == [] and not report.blocked
    assert report.diff.counts()["nodes"]["added"] == 1 and report.diff.counts()["nodes"]["conflicting"] == 0
    assert "overwrite" not in _text(report)
    assert any("similar to aac-optics-changzhou" in w for w in report.warnings)


def test_a_new_id_with_a_name_the_graph_holds_is_reported_with_both_ways_out(bundled):
    text = FIRMS + "gxj-jiangsu,江苏时代新能源科技有限公司,是,reply-2022-56\n"
    report = plan_import(read_input("firms.csv", text.encode()), bundled)
    assert report.blocked
    (issue,) = report.errors
    assert (issue.row, issue.field, issue.value) == (2, "name_zh", "江苏时代新能源科技有限公司")
    assert "the id 'gxj-jiangsu' is new" in issue.expected
    assert "put catl-jiangsu in the id column instead of gxj-jiangsu" in issue.expected
    assert "if it is another firm, give its full registered name" in issue.expected
    assert "改填 catl-jiangsu" in issue.expected_zh and "完整的注册名称" in issue.expected_zh


def test_an_id_given_with_an_ambiguous_alias_is_not_told_to_put_an_id_in(bundled):
    text = "id,name_zh,name_en,is_local,district_id,sources\ngxj-catl2,CATL,,是,liyang,reply-2022-56\n"
    report = plan_import(read_input("firms.csv", text.encode()), bundled)
    (issue,) = report.errors
    assert "put the id of the firm meant in the id column" not in issue.expected
    assert "the id 'gxj-catl2' is new" in issue.expected
    assert "catl (宁德时代新能源科技股份有限公司), catl-jiangsu (江苏时代新能源科技有限公司)" in issue.expected
    assert "instead of gxj-catl2" in issue.expected


def test_a_link_row_naming_a_firm_loosely_is_told_it_may_be_another_firm_on_a_conflict():
    text = LINKS + "乙电池(苏州)有限公司,t-cell,member,s-tiny\n"
    report = plan_import(read_input("operates_in.csv", text.encode()), tiny_chain())
    (issue,) = report.errors
    assert issue.field == "role" and "'major'" in issue.expected
    assert "if '乙电池(苏州)有限公司' is not f-cell-b but another firm, add it to the firms table" in issue.expected
    assert "另一家企业" in issue.expected_zh
    assert [(r["matched"], r["how"]) for r in report.resolved] == [("f-cell-b", "loose name")]


def test_a_link_row_naming_a_new_firm_in_full_prefers_it_to_a_loosely_similar_stored_firm():
    text = "id,name_zh,is_local,district_id,sources\nx-cell-sz,乙电池(苏州)有限公司,false,,s-tiny\n"
    links = LINKS + "乙电池(苏州)有限公司,t-cell,member,s-tiny\n"
    data = xlsx(
        {
            "firms": [line.split(",") for line in text.strip().splitlines()],
            "operates_in": [line.split(",") for line in links.strip().splitlines()],
        }
    )
    report = plan_import(read_input("book.xlsx", data), tiny_chain())
    assert report.errors == [], _text(report)
    assert {"kind": "OPERATES_IN", "source": "x-cell-sz", "target": "t-cell"} in report.summary()["edges"]["added"]


# -- M5: enum values in conflicts ----------------------------------------------------------------------


def test_a_role_conflict_shows_the_role_not_a_python_enum():
    report = plan_import(
        read_input("operates_in.csv", (LINKS + "f-cell-b,t-cell,member,s-tiny\n").encode()), tiny_chain()
    )
    (issue,) = report.errors
    assert "<Role" not in issue.expected and "<Role" not in issue.message_zh
    assert issue.expected == "the value the graph holds, 'major' (or import with on-conflict overwrite or keep)"
    assert "图中已有的值 'major'（骨干）" in issue.message_zh


# -- M6: nearest ids holding or held by the bad value ------------------------------------------------


@pytest.mark.parametrize(
    ("table", "row", "column", "near"),
    [
        ("operates_in.csv", "catl-jiangsu,nev-thermal-management,member,reply-2022-56", "segment_id", "nev-thermal"),
        (
            "operates_in.csv",
            "catl-jiangsu-liyang-plant,nev-battery-cell,anchor,reply-2022-56",
            "firm_id",
            "catl-jiangsu",
        ),
        ("firms.csv", "gxj-x,常州某某新公司,是,wujin-district,reply-2022-56", "district_id", "wujin"),
    ],
)
def test_an_id_extended_by_a_typo_gets_the_real_id_suggested(bundled, table, row, column, near):
    header = LINKS if table == "operates_in.csv" else "id,name_zh,is_local,district_id,sources\n"
    report = plan_import(read_input(table, (header + row + "\n").encode()), bundled)
    (issue,) = [i for i in report.errors if i.field == column]
    assert f"nearest: {near}" in issue.expected, issue.expected
    assert f"最接近的：{near}" in issue.expected_zh


# -- M2: repeats grouped; the missing sources table named -----------------------------------------------


def test_the_same_problem_on_200_rows_is_one_line_and_the_json_keeps_each_row(bundled):
    text = FIRMS + "".join(f"gxj-m-{n:03d},常州测试{n:03d}有限公司,是,gxj-2024-chain-list\n" for n in range(200))
    report = plan_import(read_input("firms.csv", text.encode()), bundled)
    assert len(report.errors) == 200 and len(report.summary()["errors"]) == 200
    assert [e["row"] for e in report.summary()["errors"]] == list(range(2, 202))
    lines = report.lines()
    grouped = [line for line in lines if "gxj-2024-chain-list" in line]
    assert len(grouped) == 2, grouped  # English and Chinese
    assert grouped[0].startswith("  - firms.csv, rows 2–201 (200 rows), field 'sources': got 'gxj-2024-chain-list'")
    assert "import the sources table with it (sources.csv in the same folder" in grouped[0]
    assert "第 2–201 行（共 200 行）" in grouped[1] and "sources 表一并导入" in grouped[1]
    assert "200 problem(s); the same problem on 3 or more rows is shown once" in "\n".join(lines)
    (group,) = report.error_groups()
    assert group["count"] == 200 and group["rows"][:2] == [2, 3] and group["field"] == "sources"


def test_two_rows_alike_are_still_listed_each():
    text = FIRMS + "a-1,测试甲,true,s-nope\na-2,测试乙,true,s-nope\n"
    lines = plan_import(read_input("firms.csv", text.encode()), tiny_chain()).lines()
    assert sum("s-nope" in line for line in lines) == 4


# -- M3 / L4: header problems ------------------------------------------------------------------------


def test_an_unknown_column_says_it_blocks_even_with_skip_invalid(bundled):
    text = "id,name_zh,is_local,sources,统一社会信用代码\ngxj-u-1,常州测试乙有限公司,是,reply-2022-56,9132\n"
    report = plan_import(read_input("firms.csv", text.encode()), bundled, ImportOptions(skip_invalid=True))
    assert report.blocked
    (issue,) = report.errors
    assert "delete the column, or rename it to one of these" in issue.expected
    assert "even with --skip-invalid" in issue.expected and "加 --skip-invalid 也一样" in issue.expected_zh
    text_out = _text(report)
    assert (
        "block the whole import even with --skip-invalid: firms.csv row 1 (the header), column '统一社会信用代码'"
        in (text_out)
    )
    assert "即使加 --skip-invalid 也会阻止整个导入" in text_out


def test_a_column_starting_with_an_underscore_is_named_as_typed(bundled):
    text = "id,name_zh,is_local,sources,_统一社会信用代码\ngxj-u-1,常州测试乙有限公司,是,reply-2022-56,9132\n"
    (issue,) = plan_import(read_input("firms.csv", text.encode()), bundled).errors
    assert (issue.field, issue.value) == ("_统一社会信用代码", "_统一社会信用代码")


def test_a_full_width_header_is_named_full_width(bundled):
    text = "ｉｄ,name_zh ,is_local,sources\ngxj-h-1,常州测试有限公司,是,reply-2022-56\n"
    (issue,) = plan_import(read_input("firms.csv", text.encode()), bundled).errors
    assert "'ｉｄ' is typed in full-width letters: type 'id' in half-width (ASCII) letters" in issue.expected
    assert "全角" in issue.expected_zh


def test_a_csv_not_named_after_its_table_says_which_columns_are_extra(bundled):
    text = "id,name_zh,is_local,sources,统一社会信用代码\ngxj-u-1,常州测试乙有限公司,是,reply-2022-56,9132\n"
    (issue,) = plan_import(read_input("bureau_list.csv", text.encode()), bundled).errors
    assert "every required column of firms, but also the column(s) 统一社会信用代码" in issue.expected
    assert "firms.csv" in issue.expected_zh


# -- L1 / L2 -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("written", "iso"),
    [("2023年5月", "2023-05"), ("2023年5月8日", "2023-05-08"), ("2023.05", "2023-05"), ("2023/5/8", "2023-05-08")],
)
def test_a_date_written_another_way_gets_its_iso_form_suggested(written, iso):
    text = f"id,title,date,doc_no\ns-new,某文件,{written},常工信〔2024〕88号\n"
    (issue,) = plan_import(read_input("sources.csv", text.encode()), tiny_chain()).errors
    assert (issue.field, issue.value) == ("date", written)
    assert issue.expected.endswith(f"; did you mean {iso}?") and issue.expected_zh.endswith(f"；是否为 {iso}？")


def test_an_english_only_firm_is_told_to_put_its_name_in_name_zh():
    text = "id,name_zh,name_en,is_local,sources\ngxj-eng,,Changzhou Sinotech Robotics Co. Ltd.,是,s-tiny\n"
    (issue,) = plan_import(read_input("firms.csv", text.encode()), tiny_chain()).errors
    assert issue.field == "name_zh" and "String should" not in issue.expected
    assert "for a firm with only an English name, put it in name_zh too" in issue.expected
    assert "请把英文名称也填入 name_zh" in issue.expected_zh


def test_the_api_answers_the_repeats_once_in_error_groups() -> None:
    """The CLI prints a problem found on many rows once; the API keeps `errors` one per row and adds `error_groups`."""
    import tempfile

    from fastapi.testclient import TestClient

    from api.app import create_app
    from chainkg.settings import Settings
    from graph.fixtures import tiny_chain
    from graph.memory_store import MemoryStore

    env = {"CHAINKG_STATE_DIR": tempfile.mkdtemp(prefix="chainkg-test-state-"), "CHAINKG_API_KEY": "k"}
    client = TestClient(create_app(MemoryStore(tiny_chain()), Settings.from_env(env=env)))
    rows = "".join(f"new-co-{n},新公司{n},New Co {n},false,s-nowhere\n" for n in range(4))
    csv = ("id,name_zh,name_en,is_local,sources\n" + rows).encode()
    body = client.post(
        "/api/v1/imports", headers={"X-API-Key": "k"}, files={"file": ("firms.csv", csv, "text/csv")}
    ).json()
    assert body["status"] == 422
    assert [e["row"] for e in body["errors"] if e["field"] == "sources"] == [2, 3, 4, 5]
    (group,) = [g for g in body["error_groups"] if g["field"] == "sources"]
    assert (group["rows"], group["count"], group["value"]) == ([2, 3, 4, 5], 4, "s-nowhere")
    assert "rows 2–5 (4 rows)" in group["message"] and "第 2–5 行（共 4 行）" in group["message_zh"]
