"""Review 15a (M6, L6, L7, L11): the lines a planner reads first are Chinese first, and English mode prints no raw ids.

- In the default ``--lang zh``, the summary lines, table headings, paging lines and "next" hints of ``chain``,
  ``health``, ``search``, ``policy``, ``policies`` and ``cluster-links`` were English only, and statuses and gap
  kinds printed as raw values (``strong``, ``broken_link 0.31``).
- ``--lang en`` printed raw values such as ``broken_link(unverified) 0.33``.
- ``chain`` called the support stage "support 配套" where the views and reports say "支撑 Support".
- ``cluster-links`` showed each link's confidence but not the sources it cites, which the API gives.
"""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from chainkg.cli import main
from queries.gap_kinds import KIND_NAMES_EN, KIND_NAMES_ZH, KINDS
from viz.style import POSITION_LABELS, STATUS_LABELS

CJK = re.compile(r"[\u3400-\u4dbf\u4e00-\u9fff]")

POLICY_WITH_GAPS = "pol-wujin-nev-parts"
"""A policy of the bundled data that names segments that are gaps (武进's NEV-parts plan names 回收, 氢燃料电池)."""

COMMANDS = [
    ["chain", "nev"],
    ["health"],
    ["health", "nev"],
    ["search", "电池"],
    ["search", "中创"],
    ["policy", POLICY_WITH_GAPS],
    ["policies"],
    ["cluster-links", "nev"],
    ["gaps", "nev"],
    ["candidates", "nev-copper-foil"],
    ["targets", "nev"],
    ["firm", "catl-jiangsu"],
    ["segment", "nev-battery-materials"],
    ["impact", "nev-battery-materials"],
    ["what-if", "xingyu"],
    ["critical", "nev"],
    ["critical", "nev", "--firms"],
    ["completeness", "nev"],
    ["sources"],
    ["project", "prj-aac-optics"],
    ["projects"],
    ["tier", "tier-champion-firm"],
    ["tiers"],
    ["district", "wujin"],
    ["districts"],
    ["platform", "plat-catl-liyang-lighthouse"],
    ["platforms"],
]
"""The commands review 15a read in Chinese (M6), and every other command that prints tables, each with arguments
that give it tables to print."""


def text_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    assert main(argv) == 0, argv
    return capsys.readouterr().out.splitlines()


def json_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main([*argv, "--json"]) == 0, argv
    return json.loads(capsys.readouterr().out)


def heading_lines(lines: list[str]) -> list[str]:
    """The heading line of each table: the line above a rule of dashes."""
    return [lines[i - 1] for i, line in enumerate(lines) if i and line.strip() and set(line.strip()) <= {"-", " "}]


def cells(line: str) -> list[str]:
    """A table row's cells: text split at runs of two or more spaces."""
    return re.split(r"  +", line.strip())


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_in_chinese_mode_every_table_heading_is_chinese_first(argv, capsys):
    headings = heading_lines(text_of(capsys, argv))
    assert headings, argv
    for line in headings:
        assert CJK.search(line), (argv, line)
        first_word = next(cell for cell in cells(line) if cell not in ("#", "id", ""))
        assert CJK.match(first_word), (argv, line)


@pytest.mark.parametrize("argv", COMMANDS, ids=[" ".join(a) for a in COMMANDS])
def test_in_english_mode_no_table_heading_or_line_has_chinese_words_of_the_tool(argv, capsys):
    headings = heading_lines(text_of(capsys, [*argv, "--lang", "en"]))
    assert headings and not any(CJK.search(line) for line in headings), (argv, headings)


@pytest.mark.parametrize(
    ("argv", "noun_zh", "noun_en"),
    [
        (["health"], "个集群", "clusters"),
        (["search", "电池", "--limit", "2"], "条结果", "matches"),
        (["policies", "--limit", "2"], "项政策", "policies"),
    ],
)
def test_paging_lines_are_chinese_first_and_english_alone_in_english(argv, noun_zh, noun_en, capsys):
    body = json_of(capsys, argv)
    shown, total = len(body["items"]), body["total"]
    default = text_of(capsys, argv)
    english = text_of(capsys, [*argv, "--lang", "en"])
    [line] = [line for line in default if line.startswith("第 ")]
    assert line.startswith(f"第 1-{shown} 项，共 {total} {noun_zh}"), line
    assert f" / showing 1-{shown} of {total} {noun_en}" in line
    if shown < total:
        assert f"更多用 --offset {shown}" in line
    assert f"showing 1-{shown} of {total} {noun_en}" in "\n".join(english)
    assert not any(CJK.search(line) and "showing" in line for line in english)


def test_search_hints_and_types_are_chinese_first(capsys):
    default = text_of(capsys, ["search", "中创"])
    assert "下一步 next: chainkg firm ID" in default
    row = default[2]
    assert cells(row)[1:4] == ["企业", "calb", "本地"], row
    english = text_of(capsys, ["search", "中创", "--lang", "en"])
    assert "next: chainkg firm ID" in english and cells(english[2])[1:4] == ["firm", "calb", "local"]


def test_chain_summary_is_chinese_first_with_the_counts_of_the_api(capsys):
    summary = json_of(capsys, ["chain", "nev"])["summary"]
    default = text_of(capsys, ["chain", "nev"])
    expected = (
        f"{summary['segment_count']} 个环节：强链 {summary['strong_count']}、一般 {summary['present_count']}、"
        f"弱链 {summary['weak_count']}、缺链 {summary['missing_count']}；缺口 {summary['gap_count']} 个；"
        f"本地企业 {summary['local_firm_count']} 家 / {summary['segment_count']} segments: "
    )
    assert default[1].startswith(expected), default[1]
    english = text_of(capsys, ["chain", "nev", "--lang", "en"])
    assert english[1].startswith(f"{summary['segment_count']} segments: {summary['strong_count']} strong")
    assert not CJK.search(english[1])


@pytest.mark.parametrize("lang", ["zh", "en"])
def test_chain_status_and_gap_columns_show_the_labels_of_the_store_values(lang, capsys):
    body = json_of(capsys, ["chain", "nev"])
    lines = text_of(capsys, ["chain", "nev", "--lang", lang])
    crossing = next(i for i, line in enumerate(lines) if "cross-cluster links" in line)
    rows = {cells(line)[0]: cells(line) for line in lines[:crossing] if line.strip()}
    statuses = set()
    for segment in body["segments"]:
        row = rows[segment["id"]]
        status = segment["status"]
        statuses.add(status)
        if lang == "zh":
            assert row[1] == STATUS_LABELS[status], row  # 强链 Strong, as the reports label it
        else:
            assert row[1] == status, row
        kind = segment["gap_kind"]
        if kind:
            unsure = kind in (segment.get("gap_kinds_unverified") or [])
            word = KIND_NAMES_ZH[kind] if lang == "zh" else KIND_NAMES_EN[kind].lower()
            mark = ("（待核实）" if lang == "zh" else " (unverified)") if unsure else ""
            assert row[2] == f"{word}{mark} {segment['severity']:.2f}", row
    assert statuses == set(STATUS_LABELS)  # the NEV chain has segments of every status


@pytest.mark.parametrize(
    "argv",
    [["chain", "nev"], ["health", "nev"], ["policy", POLICY_WITH_GAPS], ["cluster-links", "nev"], ["health"]],
    ids=lambda a: " ".join(a),
)
def test_english_mode_prints_no_raw_enum_value(argv, capsys):
    text = "\n".join(text_of(capsys, [*argv, "--lang", "en"]))
    for kind in KINDS:
        if "_" in kind:
            assert kind not in text, (argv, kind)
    words = [word for word in text.split() if "://" not in word]  # a source's address may hold "_"
    assert not [word for word in words if "_" in word], argv


def test_policy_gap_kinds_are_labelled_in_both_languages(capsys):
    body = json_of(capsys, ["policy", POLICY_WITH_GAPS])
    assert body["targeted_gaps"]
    default = text_of(capsys, ["policy", POLICY_WITH_GAPS])
    english = text_of(capsys, ["policy", POLICY_WITH_GAPS, "--lang", "en"])
    for gap in body["targeted_gaps"]:
        severity = f"{gap['severity']:.2f}"
        [zh_row] = [line for line in default if cells(line)[:1] == [severity] and gap["segment_id"] in cells(line)]
        assert cells(zh_row)[1] == KIND_NAMES_ZH[gap["kind"]], zh_row
        [en_row] = [line for line in english if cells(line)[:1] == [severity] and gap["segment_id"] in cells(line)]
        assert cells(en_row)[1] == KIND_NAMES_EN[gap["kind"]].lower(), en_row
        [target] = [line for line in default if cells(line)[:2] == ["环节 segment", gap["segment_id"]]]
        assert f"{KIND_NAMES_ZH[gap['kind']]} {severity}" in target


def test_the_support_stage_is_named_as_the_views_name_it(capsys):
    body = json_of(capsys, ["chain", "nev"])
    assert any(s["position"] == "support" for s in body["segments"])
    default = text_of(capsys, ["chain", "nev"])
    english = text_of(capsys, ["chain", "nev", "--lang", "en"])
    assert POSITION_LABELS["support"] == "支撑 Support" and "支撑 Support" in default
    assert not any("配套" in line for line in default)
    assert "Support" in english
    for position in ("upstream", "midstream", "downstream"):
        assert POSITION_LABELS[position] in default


@pytest.mark.parametrize("cluster", [None, "nev"])
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_cluster_links_list_the_source_ids_the_api_gives(cluster, lang, api_client, capsys):
    query = f"?cluster={cluster}" if cluster else ""
    response = api_client.get(f"/api/v1/cluster-links{query}")
    assert response.status_code == 200
    items = response.json()["items"]
    links = [link for item in items for link in item["links"]]
    assert links and any(len(link["sources"]) > 1 for link in links)
    argv = ["cluster-links", *([cluster] if cluster else []), "--lang", lang]
    lines = text_of(capsys, argv)
    arrow = "→" if lang == "zh" else "->"
    rows = [cells(line) for line in lines if line.startswith("    ") and arrow in cells(line)[1:2]]
    assert len(rows) == len(links)
    shown = {(row[0], row[2]): row[4] for row in rows}
    for link in links:
        assert shown[(link["source"], link["target"])] == (", ".join(link["sources"]) or "-"), link
    heading = heading_lines(lines)[0]
    assert ("来源 sources" if lang == "zh" else "sources") in heading
