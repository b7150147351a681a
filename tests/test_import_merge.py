"""Import semantics: encodings, entity resolution, the dry-run diff, conflicts, --skip-invalid."""

from __future__ import annotations

import json

import pytest
from openpyxl import load_workbook

from chainkg.settings import BUNDLED_DATA
from graph.memory_store import MemoryStore
from loaders.folder import load_folder
from loaders.importer import ImportOptions, read_input, run_import, write_rejected
from loaders.resolve import FirmIndex, loose_key, strict_key
from tests.import_support import base_graph

FIRMS = "id,name_zh,name_en,is_local,district_id,sources\n"


@pytest.fixture(scope="module")
def bundled():
    return load_folder(BUNDLED_DATA)


# -- encodings -----------------------------------------------------------------------------


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "gbk", "utf-16"])
def test_csv_encodings_are_detected(encoding):
    text = FIRMS + "new-co,常州市（武进）丁电池科技有限公司,,true,d-wujin,s-tiny\n"
    delimiter = "\t" if encoding == "utf-16" else ","  # Excel's "Unicode text" is UTF-16 with tabs
    data = text.replace(",", delimiter).encode(encoding)
    store = MemoryStore(base_graph())
    report = run_import(store, read_input("firms.csv", data))
    assert report.applied, [str(e) for e in report.errors]
    assert store.node("new-co").name_zh == "常州市（武进）丁电池科技有限公司"


def test_gb18030_csv_with_characters_outside_gbk():
    # 𬭩 (U+2CB69) is in GB18030 but not in GBK: it takes four bytes.
    text = FIRMS + "new-co,𬭩业丁电池有限公司,,true,d-wujin,s-tiny\nnew-co2,常州戊电池有限公司,,false,,s-tiny\n"
    data = text.encode("gb18030")
    assert "𬭩".encode("gb18030") in data and len("𬭩".encode("gb18030")) == 4
    store = MemoryStore(base_graph())
    report = run_import(store, read_input("firms.csv", data))
    assert report.applied
    assert store.node("new-co").name_zh.startswith("𬭩")
    assert store.node("new-co2").is_local is False


def test_chinese_table_names_and_bilingual_headers():
    from tests.import_support import xlsx

    data = xlsx(
        {"企业": [["ID", "name_zh (中文名)", "is_local 本地", "sources"], ["new-co", "丁公司", "是", "s-tiny"]]}
    )
    store = MemoryStore(base_graph())
    assert run_import(store, read_input("book.xlsx", data)).applied
    assert store.node("new-co").is_local is True


# -- entity resolution -----------------------------------------------------------------------


@pytest.mark.parametrize(
    "name",
    [
        "江苏时代新能源科技有限公司",
        "江苏时代新能源科技股份有限公司",
        "江苏时代新能源科技有限责任公司",
        "江苏时代新能源科技（常州）有限公司",
        "江苏时代新能源科技(溧阳)有限公司",
        "  江苏时代新能源科技　有限公司 ",
        "江苏时代新能源科技【常州】有限公司",
    ],
)
def test_catl_unit_is_matched_not_duplicated(bundled, name):
    index = FirmIndex(bundled.of_kind("Firm"))
    assert index.match(name).ids == ("catl-jiangsu",)


def test_full_width_and_case_are_normalised():
    assert strict_key("ＣＡＴＬ　Ｊｉａｎｇｓｕ") == strict_key("catl jiangsu") == "catljiangsu"
    assert loose_key("某某（常州）有限公司") == loose_key("某某股份有限公司") == "某某"


def test_a_new_id_with_a_loosely_matching_name_is_a_new_firm(bundled):
    # review 16b (H1): this test used to expect the row merged into catl-jiangsu, its id dropped; an explicit
    # new id now means a new firm, with a warning naming the similar firm
    store = MemoryStore(bundled)
    firms_before = len(store.nodes("Firm"))
    text = (
        "id,name_zh,is_local,district_id,tags,sources\n"
        "js-shidai,江苏时代新能源科技（溧阳）有限公司,true,liyang,灯塔工厂,reply-2022-56\n"
    )
    links = (
        "firm_id,segment_id,role,sources\n江苏时代新能源科技（溧阳）有限公司,nev-battery-cell,anchor,reply-2022-56\n"
    )
    dry = run_import(store, read_input("firms.csv", text.encode()), ImportOptions(dry_run=True))
    assert dry.resolved == [] and dry.summary()["nodes"]["added"] == [{"id": "js-shidai", "kind": "Firm"}]
    assert any("similar to catl-jiangsu" in w and "use its id catl-jiangsu" in w for w in dry.warnings)
    report = run_import(store, read_input("firms.csv", text.encode()))
    assert report.applied
    assert len(store.nodes("Firm")) == firms_before + 1
    assert "江苏时代新能源科技（溧阳）有限公司" not in store.node("catl-jiangsu").aliases
    # a later file naming the firm by its full name finds the new firm, not the loosely similar one
    report = run_import(store, read_input("operates_in.csv", links.encode()), ImportOptions(dry_run=True))
    assert report.summary()["edges"]["added"] == [
        {"kind": "OPERATES_IN", "source": "js-shidai", "target": "nev-battery-cell"}
    ]


def test_a_link_row_naming_a_firm_loosely_is_resolved_and_listed(bundled):
    """A firm named (not given by id) in a link row is still matched by its loose name, and listed in ``resolved``."""
    links = (
        "firm_id,segment_id,role,sources\n江苏时代新能源科技（溧阳）有限公司,nev-battery-cell,anchor,reply-2022-56\n"
    )
    dry = run_import(MemoryStore(bundled), read_input("operates_in.csv", links.encode()), ImportOptions(dry_run=True))
    assert dry.summary()["edges"]["unchanged"] == [
        {"kind": "OPERATES_IN", "source": "catl-jiangsu", "target": "nev-battery-cell"}
    ]
    assert [(r["row"], r["matched"], r["how"]) for r in dry.resolved] == [(2, "catl-jiangsu", "loose name")]


def test_ambiguous_name_is_reported_not_guessed(bundled):
    store = MemoryStore(bundled)
    report = run_import(
        store,
        read_input("operates_in.csv", b"firm_id,segment_id,role,sources\nCATL,nev-vehicle,member,reply-2022-56\n"),
    )
    assert report.blocked
    issue = report.errors[0]
    assert issue.field == "firm_id" and "catl" in issue.expected and "catl-jiangsu" in issue.expected
    assert "匹配" in issue.expected_zh


def test_two_rows_for_the_same_new_firm_are_reported():
    text = FIRMS + "a1,新企业有限公司,,true,,s-tiny\na2,新企业有限公司,,true,,s-tiny\n"
    report = run_import(MemoryStore(base_graph()), read_input("firms.csv", text.encode()))
    assert [(e.row, e.field) for e in report.errors] == [(3, "name_zh")]


# -- diff ------------------------------------------------------------------------------------


def test_dry_run_json_shape_and_nothing_written():
    store = MemoryStore(base_graph())
    version = store.version()
    text = (
        FIRMS
        + "new-co,丁公司,,true,d-wujin,s-tiny\n"
        + "f-cell-b,乙电池,Yi Cell,true,d-liyang,s-tiny\n"
        + "f-cell-c,丙电池,,true,d-wujin,s-tiny\n"
    )
    report = run_import(store, read_input("firms.csv", text.encode()), ImportOptions(dry_run=True))
    summary = json.loads(json.dumps(report.summary()))
    assert store.version() == version
    assert set(summary["nodes"]) == {"added", "updated", "unchanged", "conflicting"}
    assert {"added", "updated", "unchanged", "conflicting"} <= set(summary["edges"])
    assert summary["errors"] == []
    assert summary["nodes"]["added"] == [{"id": "new-co", "kind": "Firm"}]
    assert summary["nodes"]["updated"] == [
        {"id": "f-cell-b", "kind": "Firm", "changes": {"name_en": {"old": "", "new": "Yi Cell"}}}
    ]
    assert summary["nodes"]["unchanged"] == [{"id": "f-cell-c", "kind": "Firm"}]
    assert summary["edges"]["added"] == [{"kind": "LOCATED_IN", "source": "new-co", "target": "d-wujin"}]
    assert summary["counts"]["edges"]["unchanged"] == 2
    assert summary["dry_run"] is True and summary["applied"] is False


@pytest.mark.parametrize(
    ("policy", "local", "district", "blocked"),
    [("fail", True, "d-liyang", True), ("overwrite", False, "d-wujin", False), ("keep", True, "d-liyang", False)],
)
def test_conflict_policies(policy, local, district, blocked):
    store = MemoryStore(base_graph())
    text = FIRMS + "f-cell-b,乙电池,,false,d-wujin,s-tiny\n"
    report = run_import(store, read_input("firms.csv", text.encode()), ImportOptions(on_conflict=policy))
    assert report.blocked is blocked
    entry = report.summary()["nodes"]["conflicting"][0]
    assert entry["conflicts"]["is_local"] == {"old": True, "new": False}
    firm = store.node("f-cell-b")
    assert (firm.is_local, firm.district_id) == (local, district)
    located = [e.target for e in store.edges("LOCATED_IN", source="f-cell-b")]
    assert located == [district], "one LOCATED_IN, following the firm's district"
    if policy == "overwrite":
        assert report.summary()["edges"]["removed"][0]["target"] == "d-liyang"


def test_new_figures_for_an_existing_cluster():
    store = MemoryStore(base_graph())
    text = "cluster_id,year,metric,value,unit,sources\nt-nev,2023,output,1500,亿元,s-tiny\n"
    report = run_import(store, read_input("cluster_figures.csv", text.encode()))
    assert report.applied
    years = sorted(f.year for f in store.node("t-nev").figures)
    assert years == [2021, 2023]
    again = "cluster_id,year,metric,value,unit,sources\nt-nev,2023,output,1600,亿元,s-tiny\n"
    report = run_import(store, read_input("cluster_figures.csv", again.encode()))
    assert report.blocked and report.errors[0].field == "value" and "1500" in report.errors[0].expected


# -- skip invalid ----------------------------------------------------------------------------


def test_skip_invalid_applies_good_rows_and_sets_aside_the_rest(tmp_path):
    from tests.import_support import xlsx

    data = xlsx(
        {
            "firms": [
                ["id", "name_zh", "is_local", "sources"],
                ["good-a", "好甲公司", "true", "s-tiny"],
                ["bad-b", "坏乙公司", "perhaps", "s-tiny"],
                ["good-c", "好丙公司", "false", "s-tiny"],
            ],
            "operates_in": [
                ["firm_id", "segment_id", "role", "sources"],
                ["good-a", "t-cell", "member", "s-tiny"],
                ["bad-b", "t-cell", "member", "s-tiny"],  # depends on a rejected row: set aside too
                ["good-c", "t-nowhere", "member", "s-tiny"],
            ],
        }
    )
    store = MemoryStore(base_graph())
    report = run_import(store, read_input("book.xlsx", data), ImportOptions(skip_invalid=True))
    assert report.applied and not report.blocked
    assert store.node("good-a") and store.node("good-c") and store.node("bad-b") is None
    assert [e.source for e in store.edges("OPERATES_IN", target="t-cell") if e.source.startswith(("good", "bad"))] == [
        "good-a"
    ]
    rejected = sorted((r.row.sheet, r.row.line) for r in report.rejected)
    assert rejected == [("firms", 3), ("operates_in", 3), ("operates_in", 4)]
    out = tmp_path / "rejected.xlsx"
    write_rejected(out, report.rejected)
    sheets = load_workbook(out, read_only=True)
    rows = list(sheets["operates_in"].values)
    assert rows[0][-1] == "_errors" and "t-nowhere" in rows[2]
    assert "bad-b" in rows[1] and "bad-b is in this import but was refused" in rows[1][-1]
    # fix the rejected firm in the workbook of rejected rows and import it again (the _errors column is ignored)
    firms = [list(r) for r in load_workbook(out)["firms"].values]
    firms[1][firms[0].index("is_local")] = "true"
    again = run_import(store, read_input("fixed.xlsx", xlsx({"firms": firms})))
    assert again.applied and store.node("bad-b").is_local is True
    for fmt in ("rejected.json", "rejected.csv"):
        write_rejected(tmp_path / fmt, report.rejected)
    records = json.loads((tmp_path / "rejected.json").read_text(encoding="utf-8"))
    assert {r["row"] for r in records} == {3, 4} and all(r["errors"][0]["message_zh"] for r in records)
    for table in ("firms", "operates_in"):  # rows of two tables: one CSV per table, each importable again
        assert (tmp_path / f"{table}.rejected.csv").read_bytes().startswith(b"\xef\xbb\xbf")
    assert not (tmp_path / "rejected.csv").exists()


def test_skip_invalid_still_refuses_a_broken_file():
    report = run_import(
        MemoryStore(base_graph()),
        read_input("firms.csv", b"id,name_zh,sources\na,b,s-tiny\n"),
        ImportOptions(skip_invalid=True),
    )
    assert report.blocked and not report.applied and report.errors[0].row == 1


def test_template_example_rows_are_skipped(tmp_path):
    from loaders.template import write_template

    path = tmp_path / "t.xlsx"
    write_template(path)
    book = load_workbook(path)
    firms = book["firms"]
    header = [c.value for c in firms[1]]
    firms.append(
        {
            header.index(k) + 1: v
            for k, v in {"id": "own-co", "name_zh": "自有公司", "is_local": "true", "sources": "s-tiny"}.items()
        }
    )
    book.save(path)
    store = MemoryStore(base_graph())
    report = run_import(store, read_input("t.xlsx", path.read_bytes()))
    assert report.applied, [str(e) for e in report.errors]
    assert store.node("own-co") and store.node("example-firm") is None
    assert "example rows were skipped" in report.warnings[0]


def test_a_dataset_folder_imports_whole(bundled):
    store = MemoryStore()
    report = run_import(store, read_input(str(BUNDLED_DATA), path=BUNDLED_DATA))
    assert report.applied and report.format == "folder"
    from tests.import_support import canonical

    assert canonical(store.snapshot()) == canonical(bundled)


def test_csv_headers_may_carry_notes_and_capitals():
    text = "ID,Name_ZH (中文名),is_local（本地）,sources\nnew-co,丁公司,否,s-tiny\n"
    store = MemoryStore(base_graph())
    assert run_import(store, read_input("企业.csv", text.encode("utf-8-sig"))).applied
    assert store.node("new-co").is_local is False
