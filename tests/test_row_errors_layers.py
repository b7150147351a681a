"""Every problem of a layer row or a link row at once, as for the node rows of tests/test_row_errors_all.py.

A policy instrument that stopped at a bad kind or amount used to keep its empty description (or
bad qualifier) for later; a link row that stopped at a bad role, kind, confidence or year was not
checked as a link (to itself, a batch out of range). Each problem still names file, row, field,
value and what was expected, and each cell is reported once; good rows beside a bad one still load.

Test rows are invented (测试, ids starting ``t-ra-``) and never enter the bundled data.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graph.errors import DataValidationError
from graph.fixtures import tiny_layers
from graph.memory_store import MemoryStore
from graph.model import Policy
from loaders.folder import load_folder
from loaders.importer import ImportOptions, read_input, run_import
from tests.import_support import xlsx

NON_EMPTY = "String should have at least 1 character"
SELF_LOOP = "an edge cannot join a node to itself"
QUALIFIER = "one of '>', '≥', '≈', '≲', '=', '<' or '≤'"

BASE = {
    "sources": "id,title,date,doc_no\ns1,测试来源,2022,X-1\n",
    "clusters": "id,name_zh,sources\nt-ra-c,测试集群,s1\n",
    "segments": "id,cluster_id,name_zh,position,sources\nt-ra-s,t-ra-c,测试环节,upstream,s1\n",
    "firms": "id,name_zh,is_local,sources\nt-ra-f,测试企业,true,s1\nt-ra-g,测试企业乙,true,s1\n",
    "tiers": "id,name_zh,level,category,sources\nt-ra-tier,测试梯度,national,champion_firm,s1\n",
    "policies": "id,name_zh,issuer,sources\nt-ra-pol,测试政策,测试市,s1\n",
}


def _folder(tmp_path: Path, **tables: str) -> Path:
    for name, text in (BASE | tables).items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def _issues(folder: Path) -> list[tuple[str, int, str, str, str]]:
    with pytest.raises(DataValidationError) as caught:
        load_folder(folder)
    return [(i.file, i.row, i.field, i.value, i.expected) for i in caught.value.issues]


def test_the_base_folder_loads(tmp_path):
    ds = load_folder(_folder(tmp_path))
    assert {"t-ra-f", "t-ra-tier", "t-ra-pol"} <= set(ds.nodes)


def test_an_instrument_with_a_bad_kind_and_amount_still_has_its_description_and_qualifier_checked(tmp_path):
    folder = _folder(
        tmp_path,
        policy_instruments="policy_id,kind,description_zh,amount,unit,qualifier,tier_id,sources\n"
        "t-ra-pol,gift,,abc,万元,about,,s1\n"
        "t-ra-pol,reward,,-5,万元,,t-ra-tier,s1\n"
        "t-ra-pol,reward,测试奖励,200,万元,≤,t-ra-tier,s1\n",
    )
    found = _issues(folder)
    assert found == [
        (
            "policy_instruments.csv",
            2,
            "kind",
            "gift",
            "one of reward, subsidy, fund, tax_reward, service, other",
        ),
        ("policy_instruments.csv", 2, "amount", "abc", "a number, e.g. 1300 or 0.94"),
        ("policy_instruments.csv", 2, "description_zh", "", NON_EMPTY),
        ("policy_instruments.csv", 2, "qualifier", "about", QUALIFIER),
        ("policy_instruments.csv", 3, "description_zh", "", NON_EMPTY),
        ("policy_instruments.csv", 3, "amount", "-5", "greater than or equal to 0"),
    ]


def test_an_instrument_with_a_bad_confidence_reports_its_description_and_unknown_ids_too(tmp_path):
    folder = _folder(
        tmp_path,
        policy_instruments="policy_id,kind,description_zh,amount,tier_id,sources,confidence\n"
        "t-ra-nopol,reward,,10,t-ra-notier,s1|s9,maybe\n",
    )
    found = [(row, field, value) for _, row, field, value, _ in _issues(folder)]
    assert sorted(found) == sorted(
        [
            (2, "confidence", "maybe"),
            (2, "description_zh", ""),
            (2, "policy_id", "t-ra-nopol"),
            (2, "tier_id", "t-ra-notier"),
            (2, "sources", "s9"),
        ]
    )


def test_layer_node_rows_report_a_bad_qualifier_and_a_year_out_of_range_with_their_bad_enums(tmp_path):
    folder = _folder(
        tmp_path,
        projects="id,name_zh,investment_amount,investment_qualifier,year,status,sources\n"
        "t-ra-proj,,-3,about,1950,maybe,s1\n",
        platforms="id,name_zh,category,year,sources\nT RA Plat,,castle,1950,s1\n",
    )
    found = [(file, row, field, value) for file, row, field, value, _ in _issues(folder)]
    assert found == [
        ("projects.csv", 2, "status", "maybe"),
        ("projects.csv", 2, "name_zh", ""),
        ("projects.csv", 2, "investment_amount", "-3"),
        ("projects.csv", 2, "investment_qualifier", "about"),
        ("projects.csv", 2, "year", "1950"),
        ("platforms.csv", 2, "category", "castle"),
        ("platforms.csv", 2, "id", "T RA Plat"),
        ("platforms.csv", 2, "name_zh", ""),
        ("platforms.csv", 2, "year", "1950"),
    ]


def test_link_rows_that_stop_early_are_still_checked_as_links(tmp_path):
    folder = _folder(
        tmp_path,
        supplies="source,target,sources,confidence\nt-ra-s,t-ra-s,s1,maybe\n",
        operates_in="firm_id,segment_id,role,sources\nt-ra-s,t-ra-s,lead,s1\nt-ra-f,t-ra-s,major,s1\n",
        firm_links="kind,source,target,sources\nOWNS,t-ra-g,t-ra-g,s1\n",
    )
    found = [(file, row, field, value, expected) for file, row, field, value, expected in _issues(folder)]
    assert ("supplies.csv", 2, "confidence", "maybe", "one of sourced, unverified") in found
    assert ("supplies.csv", 2, "(row)", "", SELF_LOOP) in found
    assert ("operates_in.csv", 2, "(row)", "", SELF_LOOP) in found
    assert ("operates_in.csv", 2, "firm_id", "t-ra-s", "the id of a Firm (firms.csv)") in found
    assert ("firm_links.csv", 2, "kind", "OWNS", "SUBSIDIARY_OF or SUPPLIES_TO") in found
    assert ("firm_links.csv", 2, "(row)", "", SELF_LOOP) in found
    by_row = sorted((file, row, field) for file, row, field, _, _ in found)
    assert by_row == [
        ("firm_links.csv", 2, "(row)"),
        ("firm_links.csv", 2, "kind"),
        ("operates_in.csv", 2, "(row)"),
        ("operates_in.csv", 2, "firm_id"),
        ("operates_in.csv", 2, "role"),
        ("supplies.csv", 2, "(row)"),
        ("supplies.csv", 2, "confidence"),
    ]  # the good operates_in row (row 3) has no problem; no cell is reported twice


def test_a_bad_role_is_not_also_reported_as_a_missing_role(tmp_path):
    folder = _folder(tmp_path, operates_in="firm_id,segment_id,role,sources\nt-ra-f,t-ra-s,,s1\n")
    assert [(field, value) for _, _, field, value, _ in _issues(folder)] == [("role", "")]


def test_layer_link_rows_report_every_problem_at_once(tmp_path):
    folder = _folder(
        tmp_path,
        firm_tiers="firm_id,tier_id,year,batch,sources\nt-ra-f,t-ra-tier,20x,0,s1\n",
        firm_platforms="firm_id,platform_id,year,sources,confidence\nt-ra-f,t-ra-f,1800,s1,maybe\n",
        policy_targets="policy_id,kind,target,sources\nt-ra-pol,TARGETS_ALL,t-ra-pol,s1\n"
        "t-ra-pol,TARGETS_TIER,t-ra-pol,\n",
        project_links="project_id,kind,target,sources\nt-ra-noproj,OWNED_BY,t-ra-noproj,s1\n",
    )
    found = [(file, row, field, value) for file, row, field, value, _ in _issues(folder)]
    assert sorted(found) == sorted(
        [
            ("firm_tiers.csv", 2, "year", "20x"),
            ("firm_tiers.csv", 2, "batch", "0"),
            ("firm_platforms.csv", 2, "confidence", "maybe"),
            ("firm_platforms.csv", 2, "year", "1800"),
            ("firm_platforms.csv", 2, "(row)", ""),
            ("firm_platforms.csv", 2, "platform_id", "t-ra-f"),
            ("policy_targets.csv", 2, "kind", "TARGETS_ALL"),
            ("policy_targets.csv", 2, "(row)", ""),
            ("policy_targets.csv", 3, "sources", ""),
            ("policy_targets.csv", 3, "(row)", ""),
            ("policy_targets.csv", 3, "target", "t-ra-pol"),
            ("project_links.csv", 2, "kind", "OWNED_BY"),
            ("project_links.csv", 2, "(row)", ""),
            ("project_links.csv", 2, "project_id", "t-ra-noproj"),
        ]
    )
    expected = {(file, field): text for file, _, field, _, text in _issues(folder)}
    assert expected[("firm_tiers.csv", "batch")] == "greater than or equal to 1"
    assert expected[("firm_platforms.csv", "year")] == "a year from 1900 to 2100"
    assert expected[("policy_targets.csv", "kind")] == "TARGETS_CLUSTER or TARGETS_SEGMENT or TARGETS_TIER"


def test_skip_invalid_sets_bad_layer_and_link_rows_aside_with_all_their_problems_and_keeps_the_good_rows():
    book = xlsx(
        {
            "policies": [["id", "name_zh", "issuer", "sources"], ["t-ra-pol", "测试政策", "测试市", "s-tiny"]],
            "policy_instruments": [
                ["policy_id", "kind", "description_zh", "amount", "unit", "qualifier", "tier_id", "sources"],
                ["t-ra-pol", "gift", "", "abc", "万元", "about", "t-ra-notier", "s-tiny"],
                ["t-ra-pol", "reward", "测试奖励", "200", "万元", "≤", "tier-champion", "s-tiny"],
            ],
            "operates_in": [
                ["firm_id", "segment_id", "role", "sources"],
                ["t-pack", "t-pack", "lead", "s-tiny"],
                ["f-cell-c", "t-pack", "member", "s-tiny"],
            ],
            "firm_tiers": [
                ["firm_id", "tier_id", "year", "batch", "sources"],
                ["f-cell-c", "tier-giant", "20x", "0", "s-tiny"],
                ["f-cell-b", "tier-giant", "2022", "3", "s-tiny"],
            ],
        }
    )
    store = MemoryStore(tiny_layers())
    before = {(e.kind, e.source, e.target) for e in store.edges()}
    report = run_import(store, read_input("book.xlsx", book), ImportOptions(skip_invalid=True))
    assert report.applied and not report.blocked
    rejected = {(r.issues[0].sheet, r.issues[0].row): [(i.field, i.value) for i in r.issues] for r in report.rejected}
    assert rejected == {
        ("policy_instruments", 2): [
            ("kind", "gift"),
            ("amount", "abc"),
            ("description_zh", ""),
            ("qualifier", "about"),
            ("tier_id", "t-ra-notier"),
        ],
        ("operates_in", 2): [("role", "lead"), ("(row)", ""), ("firm_id", "t-pack")],
        ("firm_tiers", 2): [("year", "20x"), ("batch", "0")],
    }
    after = {(e.kind, e.source, e.target) for e in store.edges()}
    assert after == before | {("OPERATES_IN", "f-cell-c", "t-pack"), ("HOLDS_TIER", "f-cell-b", "tier-giant")}
    policy = store.node("t-ra-pol")
    assert isinstance(policy, Policy)
    (item,) = policy.instruments
    assert (item.description_zh, item.amount, item.tier_id) == ("测试奖励", 200.0, "tier-champion")
