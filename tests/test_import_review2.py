"""Review 2 of the import: confidence merging (#2), rows that depend on a refused row (#3), Chinese entries (#5)."""

from __future__ import annotations

import pytest

from graph.memory_store import MemoryStore
from graph.model import Confidence, EdgeKind, Role
from loaders.diff import merge_item
from loaders.importer import ImportOptions, plan_import, read_input, run_import
from loaders.merge import hint_blank_ids, merge_items
from loaders.refused import fold_refused
from loaders.tables import ROLE_WORDS
from tests.import_support import base_graph, write, xlsx

FIRMS = "id,name_zh,is_local,district_id,sources,confidence\n"
LINKS = "firm_id,segment_id,role,sources\n"


def _import(store: MemoryStore, name: str, text: str, **options: object):
    return run_import(store, read_input(name, text.encode()), ImportOptions(**options))  # type: ignore[arg-type]


def _messages(report) -> list[str]:
    return [str(e) for e in report.errors]


# -- #2 confidence ---------------------------------------------------------------------------


@pytest.fixture
def unverified_store() -> MemoryStore:
    store = MemoryStore(base_graph())
    report = _import(store, "firms.csv", FIRMS + "rv-a,评审测试甲有限公司,true,d-wujin,s-tiny,unverified\n")
    assert report.applied, _messages(report)
    assert store.node("rv-a").confidence is Confidence.UNVERIFIED
    return store


def test_blank_confidence_keeps_a_stored_unverified(unverified_store):
    report = _import(
        unverified_store, "firms.csv", FIRMS + "rv-a,评审测试甲有限公司,true,d-wujin,s-tiny,\n", dry_run=True
    )
    counts = report.diff.counts()
    assert counts["nodes"]["unchanged"] == 1 and counts["nodes"]["updated"] == 0, report.diff.nodes
    assert counts["edges"]["unchanged"] == 1 and counts["edges"]["updated"] == 0, report.diff.edges
    assert not report.errors


def test_explicit_unverified_on_a_sourced_firm_is_a_conflict():
    store = MemoryStore(base_graph())
    row = FIRMS + "f-cell-a,甲电池,true,d-liyang,s-tiny,unverified\n"
    refused = _import(store, "firms.csv", row)
    assert not refused.applied
    assert refused.diff.nodes["conflicting"][0]["conflicts"] == {"confidence": {"old": "sourced", "new": "unverified"}}
    assert any("field 'confidence': got 'unverified'" in m for m in _messages(refused)), _messages(refused)
    assert store.node("f-cell-a").confidence is Confidence.SOURCED

    kept = _import(store, "firms.csv", row, on_conflict="keep")
    assert kept.applied and store.node("f-cell-a").confidence is Confidence.SOURCED

    overwritten = _import(store, "firms.csv", row, on_conflict="overwrite")
    assert overwritten.applied, _messages(overwritten)
    assert store.node("f-cell-a").confidence is Confidence.UNVERIFIED


def test_explicit_sourced_on_an_unverified_firm_is_a_conflict_too(unverified_store):
    report = _import(
        unverified_store, "firms.csv", FIRMS + "rv-a,评审测试甲有限公司,true,d-wujin,s-tiny,sourced\n", dry_run=True
    )
    assert report.blocked
    assert report.diff.nodes["conflicting"][0]["id"] == "rv-a"


def test_merge_item_without_a_given_confidence_keeps_the_stored_one():
    old = base_graph().nodes["f-cell-a"].model_copy(update={"confidence": Confidence.UNVERIFIED})
    new = base_graph().nodes["f-cell-a"]
    assert merge_item(old, new, confidence_given=False).value.confidence is Confidence.UNVERIFIED
    assert merge_item(old, new, confidence_given=True).conflicts["confidence"] == (
        Confidence.UNVERIFIED,
        Confidence.SOURCED,
    )


# -- #3 a row that depends on a refused row ------------------------------------------------


def _dependent_folder(tmp_path):
    folder = tmp_path / "dep"
    folder.mkdir()
    (folder / "firms.csv").write_text(
        FIRMS + "rv-dep-a,评审测试依赖甲,maybe,d-wujin,s-tiny,\nrv-dep-b,评审测试依赖乙,true,d-wujin,s-tiny,\n"
    )
    (folder / "operates_in.csv").write_text(LINKS + "rv-dep-a,t-cell,member,s-tiny\nrv-dep-b,t-cell,member,s-tiny\n")
    return folder


def test_reference_to_a_refused_row_names_that_row_and_suggests_no_other_id(tmp_path):
    report = plan_import(read_input("dep", path=_dependent_folder(tmp_path)), base_graph(), ImportOptions(dry_run=True))
    link = next(e for e in report.errors if e.file == "operates_in.csv")
    assert link.row == 2 and link.field == "firm_id"
    assert "firm rv-dep-a is in this import but was refused (firms.csv, row 2, field 'is_local': got 'maybe')" in (
        link.expected
    )
    assert "rv-dep-b" not in str(link) and "nearest" not in str(link)
    assert "企业 rv-dep-a 在本次导入中" in link.message_zh and "rv-dep-b" not in link.message_zh
    assert len(report.errors) == 2


def test_reference_to_a_refused_row_in_a_workbook(tmp_path):
    book = xlsx(
        {
            "firms": [["id", "name_zh", "is_local", "sources"], ["RV Bad", "评审测试坏编号", "true", "s-tiny"]],
            "operates_in": [["firm_id", "segment_id", "role", "sources"], ["RV Bad", "t-pack", "member", "s-tiny"]],
        }
    )
    report = plan_import(read_input("b.xlsx", write(tmp_path / "b.xlsx", book).read_bytes()), base_graph())
    link = next(e for e in report.errors if e.sheet == "operates_in")
    assert "firm RV Bad is in this import but was refused (b.xlsx [sheet firms], row 2, field 'id'" in str(link)


def test_fold_reports_what_it_replaced(tmp_path):
    source = read_input("dep", path=_dependent_folder(tmp_path))
    collected = source.collect(set(), base_graph())
    outcome = merge_items(base_graph(), collected.items)
    errors = collected.issues + outcome.issues
    folded = fold_refused(errors, {**collected.references, **outcome.references}, collected.refused)
    (old, new), *_ = folded.replaced.items()
    assert "nearest: rv-dep-b" in old.expected and "was refused" in new.expected
    assert new in folded.issues and old not in folded.issues


def test_an_unknown_id_that_no_row_gives_still_gets_nearest(tmp_path):
    folder = _dependent_folder(tmp_path)
    (folder / "operates_in.csv").write_text(LINKS + "rv-dep-c,t-cell,member,s-tiny\n")
    report = plan_import(read_input("dep", path=folder), base_graph())
    link = next(e for e in report.errors if e.file == "operates_in.csv")
    assert "nearest:" in link.expected and "refused" not in link.expected


# -- #5 Chinese entries ----------------------------------------------------------------------


@pytest.mark.parametrize("given", ["武进区", "武进", "Wujin"])
def test_district_given_by_name_suggests_its_id(given):
    graph = base_graph()
    assert graph.nodes["d-wujin"].name_zh == "武进区"
    report = plan_import(read_input("firms.csv", (FIRMS + f"rv-x,评审测试戊,true,{given},s-tiny,\n").encode()), graph)
    (error,) = report.errors
    assert error.field == "district_id" and "did you mean d-wujin (武进区)?" in error.expected, str(error)
    assert "是否指 d-wujin（武进区）" in error.message_zh


def test_segment_given_by_name_suggests_its_id():
    graph = base_graph()
    name = graph.nodes["t-pack"].name_zh
    report = plan_import(read_input("operates_in.csv", (LINKS + f"f-cell-a,{name},member,s-tiny\n").encode()), graph)
    (error,) = report.errors
    assert f"did you mean t-pack ({name})?" in error.expected, str(error)


@pytest.mark.parametrize(("word", "role"), [("骨干", Role.MAJOR), ("龙头", Role.ANCHOR), ("一般企业", Role.MEMBER)])
def test_chinese_role_labels_are_accepted(word, role):
    store = MemoryStore(base_graph())
    report = _import(store, "operates_in.csv", LINKS + f"f-cell-a,t-pack,{word},s-tiny\n")
    assert report.applied, _messages(report)
    assert store.snapshot().edges[(EdgeKind.OPERATES_IN.value, "f-cell-a", "t-pack")].role is role


def test_role_labels_of_the_views_are_all_accepted():
    from viz.style import ROLE_LABELS

    for role, label in ROLE_LABELS.items():
        assert ROLE_WORDS[label.split(" ")[0]] == role


def test_a_bad_role_lists_the_chinese_labels():
    rows = LINKS + "f-cell-a,t-pack,核心,s-tiny\n"
    report = plan_import(read_input("operates_in.csv", rows.encode()), base_graph())
    (error,) = report.errors
    assert error.field == "role" and "骨干 (major)" in error.expected


def test_blank_id_naming_a_known_firm_says_which(tmp_path):
    graph = base_graph()
    source = read_input("firms.csv", (FIRMS + ",丙电池,true,d-wujin,s-tiny,\n").encode())
    issues = source.collect(set(), graph).issues
    (hinted,) = hint_blank_ids(graph, issues)
    assert hinted.field == "id" and hinted.value == ""
    assert "did you mean f-cell-c (丙电池)?" in hinted.expected, hinted.expected
    assert "是否指 f-cell-c（丙电池）" in hinted.message_zh
    unknown = read_input("firms.csv", (FIRMS + ",评审测试无名,true,d-wujin,s-tiny,\n").encode())
    (plain,) = hint_blank_ids(graph, unknown.collect(set(), graph).issues)
    assert "did you mean" not in plain.expected


def test_a_duplicate_firm_row_gives_one_error():
    rows = FIRMS + "rv-a,评审测试甲,true,d-wujin,s-tiny,\nrv-a,评审测试甲,true,d-wujin,s-tiny,\n"
    report = plan_import(read_input("firms.csv", rows.encode()), base_graph())
    assert [(e.row, e.field) for e in report.errors] == [(3, "id")], _messages(report)


def test_a_second_row_matching_the_same_firm_by_name_gives_one_error():
    # review 16b: a new id is never merged by name; each row with a stored firm's name gets one error
    rows = FIRMS + "rv-a,丙电池,true,d-wujin,s-tiny,\nrv-b,丙电池,true,d-wujin,s-tiny,\n"
    report = plan_import(read_input("firms.csv", rows.encode()), base_graph())
    assert [(e.row, e.field) for e in report.errors] == [(2, "name_zh"), (3, "name_zh")], _messages(report)
