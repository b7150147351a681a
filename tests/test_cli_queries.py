"""The query commands: gaps, candidates, chain, impact, health, search and firm.

``--json`` prints exactly the body the HTTP API answers with for the same query; the tables show
what the queries return (expected values come from the query functions, never typed in here),
aligned for Chinese, with nothing from the data able to reach the terminal as a control sequence.
The same commands on ``--backend neo4j`` print the same JSON as on the embedded store.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from chainkg.cli import main
from chainkg.text_table import display_width
from graph.fixtures import tiny_chain
from queries.chain import chain
from queries.gap_kinds import GAP_PAGE_LIMIT, KIND_NAMES_EN, KIND_NAMES_ZH, KINDS
from queries.gaps import gaps
from queries.health import health_ranking
from queries.impact import impact
from queries.search import search_matches
from tests.cli_support import serve_dataset_to_commands

JSON_CASES = [
    (["gaps", "nev", "--limit", "50"], "/api/v1/clusters/nev/gaps?limit=50"),
    (["targets", "--hq", "深圳", "--limit", "50"], "/api/v1/targets?hq=深圳&limit=50"),
    (["candidates", "ne-pv-inverter", "--hq", "合肥"], "/api/v1/segments/ne-pv-inverter/candidates?hq=合肥"),
    (["firm", "sungrow"], "/api/v1/firms/sungrow"),
    (
        ["gaps", "--has-candidates", "false", "--limit", "5", "--offset", "3"],
        "/api/v1/gaps?has_candidates=false&limit=5&offset=3",
    ),
    (
        ["gaps", "--untargeted", "true", "--kind", "missing", "--min-severity", "0.3"],
        "/api/v1/gaps?untargeted=true&kind=missing&min_severity=0.3",
    ),
    (["gaps", "nev", "--year", "2020"], "/api/v1/clusters/nev/gaps?year=2020"),
    (["gaps", "nev"], "/api/v1/clusters/nev/gaps"),
    (["gaps"], "/api/v1/gaps"),
    (["gaps", "--kind", "断链"], "/api/v1/gaps?kind=broken_link"),
    (["candidates", "nev-lithium-resources"], "/api/v1/segments/nev-lithium-resources/candidates?limit=10"),
    (
        ["candidates", "nev-mcu-soc", "--limit", "2", "--offset", "1"],
        "/api/v1/segments/nev-mcu-soc/candidates?limit=2&offset=1",
    ),
    (["chain", "nev"], "/api/v1/clusters/nev/chain"),
    (["chain", "textiles", "--year", "2021"], "/api/v1/clusters/textiles/chain?year=2021"),
    (["impact", "nev-cathode"], "/api/v1/segments/nev-cathode/impact"),
    (["health"], "/api/v1/health-ranking"),
    (["health", "--list-year", "2024"], "/api/v1/health-ranking?list_year=2024"),
    (["health", "nev"], "/api/v1/clusters/nev/health"),
    (["search", "ningde"], "/api/v1/search?q=ningde"),
    (["search", "电池", "--type", "segment", "--limit", "3"], "/api/v1/search?q=电池&type=segment&limit=3"),
    (["firm", "catl-jiangsu"], "/api/v1/firms/catl-jiangsu"),
    (["sources"], "/api/v1/sources"),
    (["sources", "reply-2022-56"], "/api/v1/sources/reply-2022-56"),
    (["sources", "--q", "常州", "--cited", "true", "--limit", "5"], "/api/v1/sources?q=常州&cited=true&limit=5"),
    (["sources", "--reliability", "mirror", "--offset", "3"], "/api/v1/sources?reliability=mirror&offset=3"),
]


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


@pytest.mark.parametrize(("argv", "url"), JSON_CASES, ids=[" ".join(a) for a, _ in JSON_CASES])
def test_json_is_the_api_body(argv, url, api_client, capsys):
    response = api_client.get(url)
    assert response.status_code == 200, response.text
    assert run_json(capsys, argv) == response.json()


def run_text(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    return out.splitlines()


def test_gaps_table_rows_explanations_and_footer(bundled_store, capsys):
    expected = gaps(bundled_store, "nev")
    lines = run_text(capsys, ["gaps", "nev", "--limit", "5"])
    assert lines[0].split() == [
        "#",
        *("严重度", "severity", "类型", "kind", "环节", "segment"),
        *("本地企业", "local", "候选企业", "candidates", "名称", "name"),
    ]
    at = [i for i, line in enumerate(lines[2:], start=2) if line.split()[:1] and line.split()[0].isdigit()]
    rows, explanations = [lines[i] for i in at], [lines[i + 1] for i in at]
    assert len(rows) == 5
    for i, item in zip(at, expected, strict=False):  # a parent's sub-gaps line follows its explanation
        if item["sub_gaps"]:
            assert all(sid in lines[i + 2] for sid in item["sub_gaps"])
    for number, (row, explanation, item) in enumerate(zip(rows, explanations, expected, strict=False), start=1):
        cells = row.split()
        unsure = item["kind"] in item["kinds_unverified"] or item["segment_confidence"] == "unverified"
        unsure = unsure or bool(item["local_base"])
        kind = KIND_NAMES_ZH[item["kind"]] + ("（待核实）" if unsure else "")
        assert cells[:4] == [str(number), f"{item['severity']:.2f}", kind, item["segment_id"]]
        assert cells[4:6] == [str(item["local_firm_count"]), str(item["candidate_count"])]
        assert row.endswith(f"{item['segment_name_zh']} {item['segment_name_en']}")
        assert explanation.strip() == item["explanation_zh"]
    total = len(expected)
    english = f"showing 1-5 of {total} gaps; more with --offset 5"
    assert f"第 1-5 项，共 {total} 个缺口；更多用 --offset 5 / {english}" in lines


def test_gaps_columns_line_up_with_chinese_names(capsys):
    lines = run_text(capsys, ["gaps", "--limit", "30"])
    header = lines[0]
    name_column = display_width(header[: header.index("名称 name")])
    rows = [line for line in lines[2:] if not line.startswith("    ") and line.strip()[:1].isdigit()]
    assert len(rows) == 30
    for row in rows:
        cells = row.split("  ")
        name = [c for c in cells if c][-1]
        assert display_width(row[: row.index(name)]) == name_column, row


def test_gaps_filters_and_english(bundled_store, capsys):
    expected = gaps(bundled_store, None, has_candidates=False)
    lines = run_text(capsys, ["gaps", "--has-candidates", "false", "--lang", "en", "--limit", "3"])
    assert "cluster" in lines[0].split()
    cells = [re.split(r"  +", line.strip()) for line in lines[2:8:2]]  # a kind is words: "broken link"
    assert [row[3] for row in cells] == [g["segment_id"] for g in expected[:3]]
    assert [line.strip() for line in lines[3:9:2]] == [g["explanation_en"] for g in expected[:3]]
    assert all(row[6] == "0" for row in cells)  # the candidates column
    policies = run_text(capsys, ["gaps", "--untargeted", "true", "--limit", "2"])
    assert "policies" in policies[0].split()


@pytest.mark.parametrize("command", ["gaps", "targets"])
def test_kind_takes_the_chinese_name_and_help_lists_both(command, capsys):
    for kind in KINDS:
        assert run_json(capsys, [command, "--kind", KIND_NAMES_ZH[kind]]) == run_json(capsys, [command, "--kind", kind])
    with pytest.raises(SystemExit):
        main([command, "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert "missing 缺链, weak 弱链, broken_link 断链, extension 延链" in help_text


def test_gaps_kind_column_is_chinese_by_default_and_english_words_in_english(bundled_store, capsys):
    expected = gaps(bundled_store, None)[:50]
    assert {item["kind"] for item in expected} == set(KINDS)  # every kind is shown at least once
    marks = {"zh": "（待核实）", "en": " (unverified)"}  # a kind resting only on unverified supply links,
    assert any(item["kind"] in item["kinds_unverified"] for item in expected)
    assert any(item["segment_confidence"] == "unverified" for item in expected)  # or of an unverified segment

    def unsure(item: dict) -> bool:  # or of a segment whose sources name a local base (review 14a)
        unverified = item["kind"] in item["kinds_unverified"] or item["segment_confidence"] == "unverified"
        return unverified or bool(item["local_base"])

    english = {k: v.lower() for k, v in KIND_NAMES_EN.items()}  # review 15a (L11): words, not ids (broken_link)
    for lang, kind_of in (("zh", KIND_NAMES_ZH.__getitem__), ("en", english.__getitem__)):
        lines = run_text(capsys, ["gaps", "--limit", "50", "--lang", lang])
        rows = [
            re.split(r"  +", line.strip())
            for line in lines[2:]
            if not line.startswith("    ") and line.split()[0].isdigit()
        ]
        shown = [kind_of(item["kind"]) + (marks[lang] if unsure(item) else "") for item in expected]
        assert [row[2] for row in rows] == shown, lang


@pytest.mark.parametrize(
    ("argv", "url"),
    [(["gaps", "nev"], "/api/v1/clusters/nev/gaps"), (["targets", "nev"], "/api/v1/clusters/nev/targets")],
)
def test_json_without_limit_is_the_api_default_page_and_the_table_shows_20(argv, url, api_client, capsys):
    body = api_client.get(url).json()
    assert body["limit"] == GAP_PAGE_LIMIT and run_json(capsys, argv) == body
    noun = argv[0]
    shown = min(20, body["total"])
    assert f"showing 1-{shown} of {body['total']} {noun}" in "\n".join(run_text(capsys, argv))
    with pytest.raises(SystemExit):
        main([argv[0], "--help"])
    help_text = " ".join(capsys.readouterr().out.split())
    assert f"default 20 in the table, {GAP_PAGE_LIMIT} with --json as in the API" in help_text


def test_candidates_table_and_a_gap_without_any(bundled_store, capsys):
    from queries.candidates import rank_candidates

    ranked = rank_candidates(bundled_store, "nev-mcu-soc")
    lines = run_text(capsys, ["candidates", "nev-mcu-soc", "--lang", "en"])
    assert lines[0].startswith("nev-mcu-soc  ") and "gap: broken link" in lines[0]
    firm_rows = [line for line in lines[3:] if re.match(r"\s*\d+=?  ", line)]
    assert [row.split()[2] for row in firm_rows] == [c["firm_id"] for c in ranked]
    assert lines[4].strip() == "; ".join(r["en"] for r in ranked[0]["reasons"])  # the first firm's reasons, in English
    empty = gaps(bundled_store, None, has_candidates=False)[0]["segment_id"]
    lines = run_text(capsys, ["candidates", empty])
    assert "需另行调研" in lines[1]


def test_chain_lists_every_segment_under_its_parent(bundled_store, capsys):
    body = chain(bundled_store, "nev")
    lines = run_text(capsys, ["chain", "nev"])
    index = {}
    for number, line in enumerate(lines):
        words = line.split()
        if words and words[0] in {s["id"] for s in body["segments"]} and words[0] not in index:
            index[words[0]] = (number, len(line) - len(line.lstrip()))
    assert set(index) == {s["id"] for s in body["segments"]}
    by_id = {s["id"]: s for s in body["segments"]}
    nested = 0
    for segment in body["segments"]:
        parent = by_id.get(segment["parent_id"] or "")
        if parent and parent["position"] == segment["position"]:
            nested += 1
            assert index[segment["id"]][0] > index[parent["id"]][0]
            assert index[segment["id"]][1] == index[parent["id"]][1] + 2
    assert nested >= 3
    crossing = [link for link in body["links"] if link.get("cross_cluster")]
    assert f"跨集群链接 cross-cluster links ({len(crossing)})" in lines


def test_impact_marks_only_paths(bundled_store, capsys):
    body = impact(bundled_store, "nev-cathode")
    lines = run_text(capsys, ["impact", "nev-cathode"])
    only = {line.split()[4] for line in lines if line.split()[1:4] == ["唯一路径", "only", "path"]}
    assert only == {d["id"] for d in body["downstream"] if d["exclusive"]}
    assert only
    english = run_text(capsys, ["impact", "nev-cathode", "--lang", "en"])
    assert {line.split()[3] for line in english if line.split()[1:3] == ["only", "path"]} == only


def test_health_ranking_order(bundled_store, capsys):
    ranking = health_ranking(bundled_store)
    lines = run_text(capsys, ["health"])
    assert [line.split()[2] for line in lines[2 : 2 + len(ranking)]] == [r["cluster_id"] for r in ranking]
    one = run_text(capsys, ["health", ranking[0]["cluster_id"]])
    assert one[1] == f"健康度 health  {ranking[0]['score']:.3f}"


@pytest.mark.parametrize("cluster", ["nev", "energy-saving", "digital-info"])
def test_each_health_term_printed_times_its_weight_is_its_part_and_they_sum_to_the_score(cluster, capsys):
    body = run_json(capsys, ["health", cluster, "--json"])
    lines = run_text(capsys, ["health", cluster])
    rows = [line for line in lines if any(term in line for term in ("覆盖率", "稳固环节占比", "集中度"))]
    parts = []
    for line in rows:
        numbers = [w for w in line.split() if "." in w and w.replace(".", "", 1).isdigit()]
        if len(numbers) >= 3:
            value, weight, weighted = (float(n) for n in numbers[:3])
            assert abs(value * weight - weighted) <= 0.0011, line
            parts.append(weighted)
    assert len(parts) == len(body["weighted"]) == 4
    assert abs(sum(parts) - body["score"]) <= 0.003


def test_what_if_is_the_api_answer_and_lists_what_changes(api_client, bundled_store, capsys):
    from queries.what_if import what_if

    response = api_client.post("/api/v1/what-if", json={"remove": ["li-auto", "byd-changzhou"], "year": 2024})
    assert response.status_code == 200, response.text
    assert run_json(capsys, ["what-if", "li-auto", "byd-changzhou", "--year", "2024"]) == response.json()
    body = what_if(bundled_store, ["li-auto", "byd-changzhou"])
    lines = run_text(capsys, ["what-if", "li-auto", "byd-changzhou"])
    listed = {
        line.split()[0]
        for line in lines
        if line.split()[:1] and line.split()[0] in {c["segment_id"] for c in body["changes"]}
    }
    assert listed == {c["segment_id"] for c in body["changes"] if c["status_changed"] or c["became_gap"]}
    assert body["new_gaps"] and all(g["explanation_zh"] in "\n".join(lines) for g in body["new_gaps"])
    hidden = len(body["changes"]) - len(listed)
    english = f"{hidden} more segments only shift in severity; --all lists them"
    assert f"另有 {hidden} 个环节仅严重度变化；用 --all 列出 / {english}" in lines
    every = run_text(capsys, ["what-if", "li-auto", "byd-changzhou", "--all"])
    assert {c["segment_id"] for c in body["changes"]} <= {line.split()[0] for line in every if line.strip()}
    alone = run_text(capsys, ["what-if", "li-auto"])  # nothing but severity shifts: said once, in the summary
    assert "only in severity (none in status or gap kind)" in alone[1]
    assert not any("more segments" in line for line in alone)
    group = api_client.post("/api/v1/what-if", json={"remove": ["catl"], "with_subsidiaries": True}).json()
    assert group["subsidiaries_added"] and run_json(capsys, ["what-if", "catl", "--with-subsidiaries"]) == group
    outside_only = "\n".join(run_text(capsys, ["what-if", "catl"]))
    assert "outside Changzhou" in outside_only and "--with-subsidiaries" in outside_only
    assert main(["what-if", "li-autoo"]) == 2
    assert "Did you mean: li-auto" in capsys.readouterr().err


def test_search_and_firm(bundled_store, capsys):
    matches = search_matches(bundled_store, "ningde")
    lines = run_text(capsys, ["search", "ningde"])
    assert [line.split()[2] for line in lines[2 : 2 + len(matches)]] == [m["id"] for m in matches]
    firm = run_text(capsys, ["firm", "xingyu"])
    assert firm[0].startswith("xingyu  常州星宇车灯")
    assert any(line.startswith("tier-champion-firm") for line in firm)
    assert any(line.startswith("s56-xingyu-2021-11") for line in firm)


@pytest.mark.parametrize(
    ("argv", "suggestion"),
    [
        (["gaps", "nevv"], "nev"),
        (["chain", "textile"], "textiles"),
        (["candidates", "nev-lithium-resource"], "nev-lithium-resources"),
        (["impact", "nev-cathod"], "nev-cathode"),
        (["health", "nev "], "nev"),
        (["firm", "星宇车"], "xingyu"),  # part of a name (an exact name or alias, 星宇车灯, is taken as its id)
    ],
)
def test_unknown_ids_exit_2_with_the_nearest(argv, suggestion, capsys):
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：没有编号为") and "/ error: No " in err and "Did you mean: " in err
    assert suggestion in err.split("Did you mean: ")[1]


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["gaps", "--min-severity", "2"], "expected a number from 0 to 1; got 2"),
        (["gaps", "--has-candidates", "maybe"], "expected true or false; got 'maybe'"),
        (
            ["gaps", "--kind", "absent"],
            "expected one of missing 缺链, weak 弱链, broken_link 断链, extension 延链; got 'absent'",
        ),
        (
            ["targets", "--kind", "断"],
            "expected one of missing 缺链, weak 弱链, broken_link 断链, extension 延链; got '断'",
        ),
        (["candidates", "nev-cathode", "--limit", "0"], "expected a whole number from 1 to 500; got 0"),
        (["chain", "nev", "--year", "1800"], "expected a whole number from 1990 to 2100; got 1800"),
        (["search", "x", "--offset", "-1"], "expected a whole number from 0 to 10000000; got -1"),
    ],
)
def test_bad_options_name_the_value(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    assert message in capsys.readouterr().err


def test_blank_search_is_refused(capsys):
    assert main(["search", "   "]) == 2
    assert "1 to 200 characters" in capsys.readouterr().err


def test_control_characters_in_data_never_reach_the_terminal(tmp_path, capsys, monkeypatch):
    dataset = tiny_chain()
    firm = dataset.nodes["f-cell-a"]
    dataset.nodes["f-cell-a"] = firm.model_copy(update={"name_en": "Jia\x1b[2J\x1b]0;owned\x07 Cell"})
    serve_dataset_to_commands(monkeypatch, dataset)  # the loaders refuse such cells; a store may still hold them
    assert main(["firm", "f-cell-a", "--data", str(tmp_path / "data"), "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name_en"] == "Jia\x1b[2J\x1b]0;owned\x07 Cell"  # JSON keeps the data
    for argv in (["firm", "f-cell-a"], ["search", "Jia"], ["chain", "t-nev", "--lang", "en"], ["impact", "t-lithium"]):
        lines = run_text(capsys, [*argv, "--data", str(tmp_path / "data")])
        assert any("Jia?[2J?]0;owned? Cell" in line for line in lines), argv
        assert not any(ord(ch) < 32 for line in lines for ch in line)


def test_a_closed_pipe_ends_quietly():
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    # ~250 KB, several times a pipe's buffer (64 KB): the command cannot finish writing before the
    # reader goes away, however slow this test is to close its end (with `chain nev`, 9 KB, it could)
    argv = [sys.executable, "-m", "chainkg", "gaps", "--json", "--limit", "500"]
    proc = subprocess.Popen(argv, stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env)
    assert proc.stdout is not None and proc.stderr is not None
    proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert "Traceback" not in err


@pytest.mark.neo4j
def test_neo4j_backend_prints_the_same_json(neo4j_store, bundled, capsys, monkeypatch):
    if not neo4j_store.version().endswith(bundled.fingerprint()):
        neo4j_store.replace(bundled)
    monkeypatch.setenv("CHAINKG_BACKEND", "networkx")
    for argv in (
        ["gaps", "--limit", "200"],
        ["candidates", "nev-mcu-soc"],
        ["chain", "nev"],
        ["firm", "svolt"],
        ["what-if", "li-auto"],
        ["health", "nev"],
    ):
        embedded = run_json(capsys, argv)
        assert run_json(capsys, [*argv, "--backend", "neo4j"]) == embedded, argv
    assert main(["gaps", "nevv", "--backend", "neo4j"]) == 2
    assert "Did you mean: nev" in capsys.readouterr().err


def test_every_query_command_is_in_the_readme():
    readme = (Path(__file__).parents[1] / "README.md").read_text(encoding="utf-8")
    for command in ("gaps", "candidates", "chain", "impact", "health", "search", "firm", "what-if"):
        assert f"chainkg {command} " in readme, command


@pytest.mark.parametrize("doc", ["README.md", "docs/guide-zh.md"])
def test_the_documented_examples_run(doc, capsys):
    """Every query example in the README and the Chinese guide runs as shown and prints something."""
    import shlex

    text = (Path(__file__).parents[1] / doc).read_text(encoding="utf-8")
    examples = [
        shlex.split(line.split("#")[0])[1:]
        for line in text.splitlines()
        if line.startswith(".venv/bin/chainkg ")
        and line.split()[1] in {"gaps", "candidates", "chain", "impact", "health", "search", "firm", "what-if"}
    ]
    assert len(examples) >= 8
    for argv in examples:
        assert main(argv) == 0, argv
        assert capsys.readouterr().out.strip(), argv


def test_progress_shows_only_on_long_work(capsys, monkeypatch):
    from chainkg.commands import common

    quick = common.progress_printer("loading", after=60.0)
    quick(1, 2, "nodes")
    quick(2, 2, "done")
    assert capsys.readouterr().err == ""
    clock = iter([0.0, 5.0, 5.1, 9.0])
    monkeypatch.setattr(common.time, "monotonic", lambda: next(clock))
    slow = common.progress_printer("loading", after=1.0)  # created at t=0
    slow(1, 4, "nodes")  # t=5: past the delay, shown
    slow(2, 4, "nodes")  # t=5.1: within half a second of the last line, skipped
    slow(4, 4, "done")  # t=9: the end, shown
    err = capsys.readouterr().err
    assert "loading: 1/4 (25%) nodes" in err and "2/4" not in err and "loading: 4/4 (100%) done" in err


def test_a_wrong_option_shows_the_commands_usage(capsys):
    with pytest.raises(SystemExit) as stop:
        main(["report", "nev", "--lang", "en"])
    err = capsys.readouterr().err
    assert stop.value.code == 2 and "chainkg report: error: unrecognized arguments: --lang en" in err
    assert err.startswith("usage: chainkg report")
