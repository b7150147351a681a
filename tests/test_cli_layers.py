"""The layer commands: segment, projects, project, policies, policy, tiers, tier, platforms, completeness.

Each answers in a terminal what an HTTP route answers: ``--json`` prints exactly the route's body for
the same request, and the tables show what the query functions return (expected ids, names and counts
are read from the queries here, never typed in). An unknown id exits 2 with the nearest ids; a bad
option exits 2 naming the value.
"""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest

from chainkg.cli import main
from graph.fixtures import tiny_layers
from graph.model import Edge, EdgeKind
from queries.completeness import completeness
from queries.platforms import list_platforms
from queries.policies import get_policy, list_policies
from queries.projects import get_project, list_projects
from queries.segments import get_segment
from queries.tiers import get_tier, list_tiers
from tests.cli_support import serve_dataset_to_commands

REPO = Path(__file__).resolve().parents[1]
COMMANDS = ("segment", "projects", "project", "policies", "policy", "tiers", "tier", "platforms", "completeness")

JSON_CASES = [
    (["segment", "nev-electrolyte"], "/api/v1/segments/nev-electrolyte"),
    (["segment", "nev-battery-cell", "--year", "2020"], "/api/v1/segments/nev-battery-cell?year=2020"),
    (["projects"], "/api/v1/projects"),
    (
        ["projects", "--cluster", "nev", "--limit", "5", "--offset", "2"],
        "/api/v1/projects?cluster=nev&limit=5&offset=2",
    ),
    (
        ["projects", "--district", "jintan", "--status", "started"],
        "/api/v1/projects?district=jintan&status=started",
    ),
    (["projects", "--firm", "catl-jiangsu"], "/api/v1/projects?firm=catl-jiangsu"),
    (
        ["projects", "--segment", "nev-battery-cell", "--year", "2016"],
        "/api/v1/projects?segment=nev-battery-cell&year=2016",
    ),
    (["project", "prj-catl-liyang"], "/api/v1/projects/prj-catl-liyang"),
    (["project", "prj-aac-optics"], "/api/v1/projects/prj-aac-optics"),
    (["policies"], "/api/v1/policies"),
    (["policies", "--tier", "tier-champion-firm"], "/api/v1/policies?tier=tier-champion-firm"),
    (
        ["policies", "--cluster", "nev", "--limit", "2", "--offset", "1"],
        "/api/v1/policies?cluster=nev&limit=2&offset=1",
    ),
    (["policies", "--segment", "nev-recycling"], "/api/v1/policies?segment=nev-recycling"),
    (["policy", "pol-wujin-nev-parts"], "/api/v1/policies/pol-wujin-nev-parts"),
    (["policy", "pol-zjtx-rewards", "--year", "2020"], "/api/v1/policies/pol-zjtx-rewards?year=2020"),
    (["policy", "pol-zgsz-action-plan"], "/api/v1/policies/pol-zgsz-action-plan"),
    (["tiers"], "/api/v1/tiers"),
    (["tiers", "--year", "2020"], "/api/v1/tiers?year=2020"),
    (["tier", "tier-champion-firm"], "/api/v1/tiers/tier-champion-firm"),
    (["tier", "tier-little-giant-national", "--year", "2021"], "/api/v1/tiers/tier-little-giant-national?year=2021"),
    (["platforms"], "/api/v1/platforms"),
    (["platforms", "--category", "smart_factory"], "/api/v1/platforms?category=smart_factory"),
    (["completeness", "nev"], "/api/v1/clusters/nev/completeness"),
    (
        [
            "completeness",
            "nev",
            "--segments",
            "nev-battery-materials, nev-battery-cell",
            "--from",
            "2020",
            "--to",
            "2025",
        ],
        "/api/v1/clusters/nev/completeness?segments=nev-battery-materials,%20nev-battery-cell&from=2020&to=2025",
    ),
    (["completeness", "textiles"], "/api/v1/clusters/textiles/completeness"),
]


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> object:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def run_text(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out
    return out.splitlines()


def section(lines: list[str], title: str) -> list[str]:
    """The lines under the heading ``title``, up to the next blank line."""
    start = lines.index(title) + 1
    end = lines.index("", start) if "" in lines[start:] else len(lines)
    return lines[start:end]


def row_of(lines: list[str], first: str) -> str:
    """The one table row whose first cell is ``first``."""
    found = [line for line in lines if line.split()[:1] == [first]]
    assert len(found) == 1, (first, found)
    return found[0]


@pytest.mark.parametrize(("argv", "url"), JSON_CASES, ids=[" ".join(a) for a, _ in JSON_CASES])
def test_json_is_the_api_body(argv, url, api_client, capsys):
    response = api_client.get(url)
    assert response.status_code == 200, response.text
    assert run_json(capsys, argv) == response.json()


def test_segment_shows_firms_neighbours_gap_and_sources(bundled_store, capsys):
    body = get_segment(bundled_store, "nev-electrolyte")
    lines = run_text(capsys, ["segment", "nev-electrolyte"])
    assert lines[0] == f"nev-electrolyte  {body['name_zh']} {body['name_en']}"
    text = "\n".join(lines)
    assert body["gap"]["explanation_zh"] in text
    assert f"严重度 severity {body['gap']['severity']:.2f}" in text
    assert ", ".join(body["sources"]) in text and body["confidence"] in text
    for firm in body["outside_firms"]:
        assert row_of(section(lines, "外地企业 outside firms"), firm["id"]).split()[1] == firm["role"]
    for key, title in (
        ("upstream", "上游（供给它） upstream (supplies it)"),
        ("downstream", "下游（它供给） downstream (it supplies)"),
    ):
        assert body[key]
        rows = section(lines, title)
        for neighbour in body[key]:
            assert row_of(rows, neighbour["id"]).endswith(f"{neighbour['name_zh']} {neighbour['name_en']}")
    related = section(lines, "相关环节（邻近度） related segments (proximity)")
    for item in body["related_segments"]:
        assert row_of(related, item["id"]).split()[2] == f"{item['proximity']:.3f}"
    assert "chainkg candidates nev-electrolyte" in text

    strong = get_segment(bundled_store, "nev-battery-cell")
    lines = run_text(capsys, ["segment", "nev-battery-cell", "--lang", "en"])
    districts = {fid: d for d, ids in strong["firms_by_district"].items() for fid in ids}
    assert strong["local_firms"]
    for firm in strong["local_firms"]:
        cells = row_of(lines, firm["id"]).split()
        assert cells[1:3] == [firm["role"], districts[firm["id"]]]


def test_projects_table_in_year_order_with_sources(bundled_store, capsys):
    page = list_projects(bundled_store, cluster="nev", limit=8)
    lines = run_text(capsys, ["projects", "--cluster", "nev", "--limit", "8"])
    headers = ["#", "year", "status", "investment", "project", "clusters", "districts", "confidence", "name"]
    assert lines[0].split()[1::2] == headers  # each heading Chinese first: 序 #, 年份 year...
    rows, details = lines[2:18:2], lines[3:19:2]
    for number, (row, detail, item) in enumerate(zip(rows, details, page["items"], strict=True), start=1):
        cells = row.split()
        assert cells[0] == str(number) and item["id"] in cells and item["status"] in cells
        assert (item["investment_text"] or "-") in cells
        assert row.endswith(f"{item['name_zh']} {item['name_en']}")
        assert detail.startswith("    建设企业 firms: ") and ", ".join(item["sources"]) in detail
        if item["fills_links"]:
            assert "补链 fills: " + ", ".join(item["fills_links"]) in detail
    assert lines[18].endswith(f" / showing 1-8 of {page['total']} projects; more with --offset 8")
    filled = [p for p in list_projects(bundled_store, limit=500)["items"] if p["fills_links"]]
    assert filled
    every = "\n".join(run_text(capsys, ["projects", "--limit", "500"]))
    for project in filled:
        assert "补链 fills: " + ", ".join(project["fills_links"]) in every


def test_project_detail_lists_links_and_every_source(bundled_store, capsys):
    project_id = list_projects(bundled_store, cluster="nev", limit=1)["items"][0]["id"]
    body = get_project(bundled_store, project_id)
    lines = run_text(capsys, ["project", project_id])
    assert lines[0] == f"{project_id}  {body['name_zh']} {body['name_en']}"
    [investment] = [line for line in lines if line.startswith("  投资 investment ")]
    assert investment.split()[2] == body["investment_text"]
    for firm in body["firms"]:
        assert row_of(lines, firm["id"]).endswith(f"{firm['name_zh']} {firm['name_en']}")
    kinds = [
        line.split()[:2]
        for line in lines
        if line.split()[:1] and line.split()[0] in {"BUILT_BY", "PROJECT_IN", "SITED_IN"}
    ]
    assert kinds == [[link["kind"], link["target"]] for link in body["links"]]
    for source in body["sources_ref"]:
        assert source["title"] in row_of(lines, source["id"])
    undisclosed = next(p for p in list_projects(bundled_store, limit=500)["items"] if p["investment"]["amount"] is None)
    assert "未披露 not disclosed" in "\n".join(run_text(capsys, ["project", undisclosed["id"]]))


def test_policies_table_and_one_policy_with_its_gaps(bundled_store, capsys):
    page = list_policies(bundled_store)
    lines = run_text(capsys, ["policies"])
    rows = [line for line in lines[2:] if line.strip()[:1].isdigit()]
    assert [row.split()[1] for row in rows] == [p["id"] for p in page["items"]]
    for row, policy in zip(rows, page["items"], strict=True):
        assert row.endswith(f"{policy['name_zh']} {policy['name_en']}")
        detail = lines[lines.index(row) + 1]
        assert ", ".join(policy["sources"]) in detail
        for target in policy["targets"]["segments"] + policy["targets"]["tiers"]:
            assert target["id"] in detail

    with_gaps = next(p["id"] for p in page["items"] if get_policy(bundled_store, p["id"])["targeted_gaps"])
    body = get_policy(bundled_store, with_gaps)
    lines = run_text(capsys, ["policy", with_gaps, "--lang", "en"])
    assert f"targeted gaps ({len(body['targeted_gaps'])})" in lines
    for gap in body["targeted_gaps"]:
        row = next(line for line in lines if gap["segment_id"] in line.split() and line.split()[0][0].isdigit())
        assert row.split()[:3] == [f"{gap['severity']:.2f}", gap["kind"], gap["segment_id"]]
        assert lines[lines.index(row) + 1].strip() == gap["explanation_en"]
    for source in body["sources_ref"]:
        assert row_of(lines, source["id"])

    rewards = next(p["id"] for p in page["items"] if any(i["amount_text"] for i in p["instruments"]))
    body = get_policy(bundled_store, rewards)
    text = "\n".join(run_text(capsys, ["policy", rewards]))
    for instrument in body["instruments"]:
        assert instrument["description_zh"] in text
        assert instrument["amount_text"] in text
    for tier_id, holders in body["tier_holders"].items():
        row = next(line for line in text.splitlines() if line.split()[:3] == ["梯度称号", "tier", tier_id])
        assert f"{holders} 家获评企业 holders" in row


def test_tiers_and_one_tier_with_its_holders(bundled_store, capsys):
    tiers = list_tiers(bundled_store)
    lines = run_text(capsys, ["tiers"])
    rows = lines[2 : 2 + 2 * len(tiers) : 2]
    for row, tier in zip(rows, tiers, strict=True):
        cells = row.split()
        assert cells[:6] == [
            tier["id"],
            tier["level"],
            tier["category"],
            str(tier["holder_count"]),
            str(tier["local_holder_count"]),
            str(tier["undated_holder_count"]),
        ]
        assert row.endswith(f"{tier['name_zh']} {tier['name_en']}")
    assert lines[3] == "    来源 sources: " + ", ".join(tiers[0]["sources"])

    held = max(tiers, key=lambda t: t["holder_count"])["id"]
    body = get_tier(bundled_store, held)
    lines = run_text(capsys, ["tier", held])
    counts = f"{body['holder_count']} ({body['local_holder_count']} local, {body['undated_holder_count']} undated)"
    assert any(line.startswith("  获评企业 holders ") and line.endswith(f" / {counts}") for line in lines)
    assert f"获评企业 holders ({len(body['holders'])})" in lines
    start = lines.index(f"获评企业 holders ({len(body['holders'])})") + 3
    shown = lines[start : start + len(body["holders"])]
    assert [line.split()[0] for line in shown] == [h["id"] for h in body["holders"]]
    for line, holder in zip(shown, body["holders"], strict=True):
        if holder["year"]:
            assert line.split()[1] == str(holder["year"])
        assert ", ".join(holder["sources"]) in line
        assert line.endswith(f"{holder['name_zh']} {holder['name_en']}")
    for policy in body["policies"]:
        assert row_of(lines, policy["id"]).endswith(policy["name_zh"] + " " + policy["name_en"])
    early = min(h["year"] for h in body["holders"] if h["year"])
    before = run_text(capsys, ["tier", held, "--year", str(early - 1)])
    assert f"获评企业 holders ({len(get_tier(bundled_store, held, early - 1)['holders'])})" in before


def test_tiers_say_how_many_holders_are_undated(tmp_path, capsys, monkeypatch):
    """``tiers --year 1991`` counted a holding with no year as held then, and nothing said so."""
    dataset = tiny_layers()  # invented for the test: local f-pack-a holds tier-champion, no year given
    dataset.add_edge(Edge(kind=EdgeKind.HOLDS_TIER, source="f-pack-a", target="tier-champion", sources=["s-tiny"]))
    serve_dataset_to_commands(monkeypatch, dataset)
    data = ["--data", str(tmp_path / "data")]
    lines = run_text(capsys, ["tiers", "--year", "1991", *data])
    assert lines[0].split()[6:12] == ["获评企业", "holders", "本地", "local", "未注明年份", "undated"]
    assert next(line for line in lines if line.startswith("tier-champion ")).split()[3:6] == ["1", "1", "1"]
    assert next(line for line in lines if line.startswith("tier-giant ")).split()[3:6] == ["0", "0", "0"]
    note = "undated: holders whose holding gives no year; they count in every --year"
    assert lines[-1] == "未注明年份：获评未注明年份的企业，在任何 --year 下都计入 / " + note
    assert run_text(capsys, ["tiers", "--lang", "en", *data])[-1] == note
    lines = run_text(capsys, ["tier", "tier-champion", "--year", "2020", *data, "--lang", "en"])
    assert ["holders", "2", "(1", "local,", "1", "undated)"] in [line.split() for line in lines]


def test_tiers_without_undated_holders_print_no_undated_note(capsys, tmp_path, monkeypatch):
    serve_dataset_to_commands(monkeypatch, tiny_layers())  # every holding in the fixture gives a year
    lines = run_text(capsys, ["tiers", "--data", str(tmp_path / "data")])
    assert not any(line.startswith(("undated", "未注明年份")) for line in lines)
    lines = run_text(capsys, ["tier", "tier-champion", "--lang", "en"])
    assert ["holders", "2", "(1", "local,", "0", "undated)"] in [line.split() for line in lines]


@pytest.mark.parametrize("year", [None, 1991, 2020])
def test_undated_holders_of_the_bundled_tiers_are_never_more_than_the_holders(bundled_store, year):
    tiers = list_tiers(bundled_store, year)
    assert any(t["undated_holder_count"] for t in tiers)  # the bundled data has undated holdings
    for tier in tiers:
        assert 0 <= tier["undated_holder_count"] <= tier["holder_count"]
        assert get_tier(bundled_store, tier["id"], year)["undated_holder_count"] == tier["undated_holder_count"]


def test_platforms_table(bundled_store, capsys):
    platforms = list_platforms(bundled_store)
    lines = run_text(capsys, ["platforms"])
    for platform in platforms:
        row = row_of(lines, platform["id"])
        assert row.split()[1] == platform["category"] and ", ".join(platform["sources"]) in row
        assert row.endswith(f"{platform['name_zh']} {platform['name_en']}")
        runners = lines[lines.index(row) + 1]
        assert all(firm["id"] in runners for firm in platform["firms"])
    assert lines[-1] == f"共 {len(platforms)} 个平台 / {len(platforms)} platforms"
    category = platforms[0]["category"]
    only = run_text(capsys, ["platforms", "--category", category])
    assert {line.split()[0] for line in only[2:-1:2]} == {p["id"] for p in platforms if p["category"] == category}


def test_completeness_years_published_and_missing(bundled_store, capsys):
    body = completeness(bundled_store, "nev")
    lines = run_text(capsys, ["completeness", "nev"])
    now = body["current"]
    assert lines[2].endswith(
        f" / now: {now['segments_present']} of {now['segments_total']} segments present, "
        f"{now['share'] * 100:.1f}% (every fact, dated or not)"
    )
    assert lines[2].startswith(f"当前：{now['segments_total']} 个环节中 {now['segments_present']} 个有本地企业")
    by_year = section(lines, "按年 by year")
    for year in body["years"]:
        cells = row_of(by_year, str(year["year"])).split()
        assert cells[1:4] == [str(year["segments_present"]), str(year["segments_total"]), f"{year['share'] * 100:.1f}%"]
        assert " ".join(cells[4:]) == ", ".join(year["added"])
    said = any(line.startswith("注意：") and "carry no year" in line for line in by_year + lines)
    assert said == (body["undated_share"] > 0.5)  # a flat series is explained when most facts are undated
    assert body["published"]
    for fig in body["published"]:
        row = next(line for line in lines if line.split()[:2] == [str(fig["year"]), fig["metric"]])
        assert f"{fig['value']:g}%" in row.split() and f"{fig['difference_pp']:+.1f}" in row
        assert lines[lines.index(row) + 1].strip() == fig["note_zh"]
    heading = "为什么不同（以上各年） / why they differ (every year above)"
    assert lines.count(heading) == 1
    assert lines[lines.index(heading) + 1].strip() == body["published_note_zh"]  # the shared explanation, once
    assert sum(line.count("未公布清单") for line in lines) == 1
    missing = section(lines, f"当前缺失 missing now ({len(now['missing'])})")
    for sid in now["missing"]:
        segment = get_segment(bundled_store, sid)
        assert row_of(missing, sid).endswith(f"{segment['name_zh']} {segment['name_en']}")
    scoped = completeness(bundled_store, "nev", ["nev-battery-cell"], 2020, 2021)
    lines = run_text(
        capsys, ["completeness", "nev", "--segments", "nev-battery-cell", "--from", "2020", "--to", "2021"]
    )
    total = scoped["scope"]["segments_total"]
    assert lines[1] == f"范围：{total} 个环节 / scope: {total} segments: nev-battery-cell"
    assert [line.split()[0] for line in lines if line.split()[:1] in (["2020"], ["2021"])] == ["2020", "2021"]


def typo(identifier: str) -> str:
    """A real id with its last character dropped: what a hurried user types."""
    return identifier[:-1]


@pytest.mark.parametrize(
    ("argv_of", "real_of"),
    [
        (lambda s: ["segment", typo("nev-electrolyte")], lambda s: "nev-electrolyte"),
        (lambda s: ["project", typo(list_projects(s)["items"][0]["id"])], lambda s: list_projects(s)["items"][0]["id"]),
        (
            lambda s: ["policy", typo(list_policies(s)["items"][-1]["id"])],
            lambda s: list_policies(s)["items"][-1]["id"],
        ),
        (lambda s: ["tier", typo(list_tiers(s)[0]["id"])], lambda s: list_tiers(s)[0]["id"]),
        (lambda s: ["completeness", "nevv"], lambda s: "nev"),
        (lambda s: ["projects", "--cluster", "nevv"], lambda s: "nev"),
        (lambda s: ["projects", "--district", "jintann"], lambda s: "jintan"),
        (lambda s: ["policies", "--tier", typo(list_tiers(s)[0]["id"])], lambda s: list_tiers(s)[0]["id"]),
        (lambda s: ["policies", "--segment", "nev-recyclin"], lambda s: "nev-recycling"),
        (lambda s: ["completeness", "nev", "--segments", "nev-cathod"], lambda s: "nev-cathode"),
    ],
    ids=[
        "segment",
        "project",
        "policy",
        "tier",
        "completeness",
        "projects-cluster",
        "projects-district",
        "policies-tier",
        "policies-segment",
        "completeness-segments",
    ],  # fmt: skip
)
def test_unknown_ids_exit_2_with_the_nearest(argv_of, real_of, bundled_store, capsys):
    assert main(argv_of(bundled_store)) == 2
    err = capsys.readouterr().err
    assert err.startswith("错误：没有编号为") and "/ error: No " in err and "Did you mean: " in err
    assert real_of(bundled_store) in err.split("Did you mean: ")[1].rstrip("?\n").split(", ")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["projects", "--year", "1800"], "expected a whole number from 1990 to 2100; got 1800"),
        (["projects", "--status", "dreamt"], "invalid choice: 'dreamt'"),
        (["projects", "--limit", "0"], "expected a whole number from 1 to 500; got 0"),
        (["policies", "--offset", "-1"], "expected a whole number from 0 to 10000000; got -1"),
        (["policy", "pol-zjtx-rewards", "--year", "soon"], "expected a whole number from 1990 to 2100; got 'soon'"),
        (["tiers", "--year", "2200"], "expected a whole number from 1990 to 2100; got 2200"),
        (["tier", "tier-champion-firm", "--year", "1989"], "expected a whole number from 1990 to 2100; got 1989"),
        (["segment", "nev-cathode", "--year", "x"], "expected a whole number from 1990 to 2100; got 'x'"),
        (["platforms", "--category", "castle"], "invalid choice: 'castle'"),
        (["completeness", "nev", "--from", "1900"], "expected a whole number from 1990 to 2100; got 1900"),
        (["completeness", "nev", "--segments", " , "], "expected comma-separated segment ids"),
    ],
)
def test_bad_options_exit_2_naming_the_value(argv, message, capsys):
    with pytest.raises(SystemExit) as info:
        main(argv)
    assert info.value.code == 2
    err = capsys.readouterr().err
    assert message in err and err.startswith(f"usage: chainkg {argv[0]}")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["completeness", "nev", "--from", "2024", "--to", "2020"], "from (2024) is after to (2020)"),
        (["completeness", "nev", "--segments", "tex-denim"], "segments must be segments of the cluster nev"),
    ],
)
def test_bad_queries_exit_2_with_the_querys_message(argv, message, capsys):
    assert main(argv) == 2
    assert message in capsys.readouterr().err


@pytest.mark.parametrize("command", COMMANDS)
def test_help_has_a_description_and_examples(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    out = capsys.readouterr().out
    assert out.startswith(f"usage: chainkg {command}")
    assert "--json" in out and "--data" in out and "--backend" in out
    examples = out.split("examples:\n")[1].splitlines()
    assert any(line.strip().startswith(f"chainkg {command} ") for line in examples)


def test_choices_are_the_models_values():
    from chainkg.commands import platforms, projects
    from graph.model import PlatformCategory, ProjectStatus

    assert projects.STATUSES == tuple(s.value for s in ProjectStatus)
    assert platforms.CATEGORIES == tuple(c.value for c in PlatformCategory)


def test_control_characters_in_data_never_reach_the_terminal(tmp_path, capsys, monkeypatch):
    dataset = tiny_layers()
    for node_id in ("prj-cell-1", "pol-reward", "tier-champion", "plat-lighthouse"):
        node = dataset.nodes[node_id]
        dataset.nodes[node_id] = node.model_copy(update={"name_en": "Evil\x1b[2J\x1b]0;owned\x07 Name"})
    serve_dataset_to_commands(monkeypatch, dataset)  # the loaders refuse such cells; a store may still hold them
    data = ["--data", str(tmp_path / "data")]
    assert main(["project", "prj-cell-1", *data, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["name_en"] == "Evil\x1b[2J\x1b]0;owned\x07 Name"  # JSON keeps the data
    for argv in (
        ["projects"],
        ["project", "prj-cell-1"],
        ["policies"],
        ["policy", "pol-reward"],
        ["tiers"],
        ["tier", "tier-champion"],
        ["platforms"],
        ["completeness", "t-nev"],
        ["segment", "t-cell"],
    ):
        lines = run_text(capsys, [*argv, *data])
        assert not any(ord(ch) < 32 for line in lines for ch in line), argv
        if argv[0] not in ("completeness", "segment"):
            assert any("Evil?[2J?]0;owned? Name" in line for line in lines), argv


DOCS = ("README.md", "docs/guide-zh.md", "docs/projects-tiers-policies.md")


@pytest.mark.parametrize("doc", DOCS)
def test_every_layer_command_is_documented_and_its_examples_run(doc, capsys):
    text = (REPO / doc).read_text(encoding="utf-8")
    examples = [
        shlex.split(line.split("#")[0])[1:]
        for line in text.splitlines()
        if line.startswith(".venv/bin/chainkg ") and line.split()[1] in COMMANDS
    ]
    assert {argv[0] for argv in examples} == set(COMMANDS), doc
    for argv in examples:
        assert main(argv) == 0, argv
        assert capsys.readouterr().out.strip(), argv
