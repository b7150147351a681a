"""``--lang zh|en`` on every command that prints a view of the graph.

``--lang zh`` (the default) prints what the commands always printed. ``--lang en`` prints labels,
headers, tags and amounts in English and each name in English; what is left in Chinese is only
what the data holds in Chinese alone (a source's title, an issuer, a description with no English,
a firm's headquarters). That holds for the commands that show records (``firm``, ``policy``...)
and for those that explain (``chain``, ``gaps``, ``candidates``...), whose explanations and
reasons the data carries in both languages.
That is checked against the ``--json`` body of the same request, which ``--lang`` leaves alone:
every string of the body that has an English counterpart (``name_zh`` beside a ``name_en``, a tag,
an amount) must not reach the English text.
"""

from __future__ import annotations

import argparse
import json
import re
from decimal import Decimal
from typing import Any

import pytest

from chainkg.cli import build_parser, main
from chainkg.text_table import clean
from graph.fixtures import tiny_city, tiny_layers
from tests.cli_support import serve_dataset_to_commands
from viz.style import TAG_LABELS

CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""Chinese characters and Chinese punctuation (full-width brackets, 、 and the like)."""

VIEW_COMMANDS = (
    "firm",
    "project",
    "projects",
    "policy",
    "policies",
    "tier",
    "tiers",
    "platforms",
    "platform",
    "districts",
    "district",
    "search",
    "info",
    "sources",
)
"""The commands that gained ``--lang``."""
EXPLAIN_COMMANDS = (
    "chain",
    "gaps",
    "segment",
    "health",
    "candidates",
    "targets",
    "impact",
    "what-if",
    "completeness",
    "cluster-links",
    "critical",
)
"""The commands that had ``--lang`` for their explanations and reasons, and now print all their text in English."""

CASES = [
    ["firm", "catl-jiangsu"],
    ["firm", "calb"],
    ["firm", "li-auto"],
    ["project", "prj-catl-liyang"],
    ["project", "prj-aac-optics"],
    ["projects"],
    ["projects", "--cluster", "nev", "--limit", "5"],
    ["policy", "pol-zjtx-rewards"],
    ["policy", "pol-wujin-nev-parts"],
    ["policy", "pol-zgsz-action-plan"],
    ["policies"],
    ["tier", "tier-champion-firm"],
    ["tier", "tier-little-giant-national", "--year", "2021"],
    ["tiers"],
    ["platforms"],
    ["platform", "plat-catl-liyang-lighthouse"],
    ["districts"],
    ["district", "liyang"],
    ["search", "catl"],
    ["search", "电池"],
    ["info"],
    ["sources", "reply-2022-56"],
    ["sources", "--reliability", "mirror", "--limit", "5"],
]
EXPLAIN_CASES = [
    ["chain", "nev"],
    ["chain", "textiles", "--year", "2020"],
    ["gaps", "nev"],
    ["gaps", "--untargeted", "true", "--limit", "12"],
    ["gaps", "--limit", "40"],
    ["segment", "nev-electrolyte"],
    ["segment", "nev-battery-cell"],
    ["segment", "nev-cathode"],
    ["health"],
    ["health", "nev"],
    ["candidates", "nev-mcu-soc"],
    ["candidates", "tex-corduroy"],
    ["targets", "nev"],
    ["targets", "--min-severity", "0.4", "--limit", "8"],
    ["targets", "nev", "--kind", "extension", "--min-severity", "0.99"],
    ["impact", "nev-cathode"],
    ["impact", "nev-electrolyte"],
    ["critical", "nev"],
    ["critical", "high-end-equipment", "--firms"],
    ["what-if", "li-auto"],
    ["what-if", "catl"],
    ["what-if", "catl", "--with-subsidiaries", "--all"],
    ["what-if", "li-auto", "byd-changzhou"],
    ["completeness", "nev"],
    ["completeness", "nev", "--segments", "nev-battery-cell,nev-cathode", "--from", "2020"],
    ["cluster-links"],
    ["cluster-links", "nev"],
]
"""Each explaining command, with the options that add a section (a note, an empty answer, a column)."""
ALL_CASES = CASES + EXPLAIN_CASES
IDS = [" ".join(argv) for argv in ALL_CASES]
ONE_NAME_BY_DEFAULT = {
    "info": "prints counts, no name",
    "cluster-links": "names clusters and segments by their Chinese name alone (the English one with --lang en)",
}
"""The commands whose default output shows no name in both languages (the others print ``中文名 English name``)."""

NOT_VIEWS = {
    "export": "writes the graph to a file",
    "import": "changes the data; it prints what the import changed, not a view of the graph",
    "load": "validates a dataset folder and loads it",
    "report": "writes an HTML report or a workbook",
    "serve": "serves the API and the views",
    "synth": "writes a synthetic dataset folder",
    "template": "writes the import template",
}
"""The commands that take no ``--lang``: none of them prints a view of the graph to read."""
WRITES_A_VIEW = {"render": "writes an HTML view that opens in the language --lang names (tests/test_render_lang.py)"}
"""The commands whose ``--lang`` sets the language of the file they write, not of what they print."""

ENGLISH_ELSEWHERE = frozenset({"investment_text", "amount_text", "unit"})
"""Keys whose Chinese has English from the body's numbers: amounts are shown in CNY or USD."""


def text_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0, argv
    return capsys.readouterr().out


def chinese_only(body: Any) -> set[str]:
    """The strings of a JSON ``body`` the data holds in Chinese with no English: all that ``--lang en`` may show.

    A ``X_zh`` with a non-empty ``X_en`` beside it, a tag with an English label and an amount are left out.
    """
    found: set[str] = set()

    def walk(value: Any, key: str, parent: dict[str, Any]) -> None:
        if isinstance(value, dict):
            for child_key, child in value.items():
                walk(child, child_key, value)
        elif isinstance(value, list):
            for child in value:
                walk(child, key, parent)
        elif isinstance(value, str) and CJK.search(value):
            has_english = (key.endswith("_zh") and bool(parent.get(key[: -len("_zh")] + "_en"))) or (
                key == "zh" and bool(parent.get("en"))  # a reason: {"zh": ..., "en": ...}
            )
            known_tag = key == "tags" and value in TAG_LABELS
            if not (has_english or known_tag or key in ENGLISH_ELSEWHERE):
                found.add(clean(value))

    walk(body, "", {})
    return found


def named_items(body: Any) -> list[tuple[str, str]]:
    """Every Chinese name of ``body`` with a different English one beside it, as ``(name_zh, name_en)``.

    The names may have a prefix (``segment_name_zh``, ``source_cluster_name_zh``).
    """
    if isinstance(body, list):
        return [pair for child in body for pair in named_items(child)]
    if not isinstance(body, dict):
        return []
    own = []
    for key, zh in body.items():
        en = body.get(key[: -len("_zh")] + "_en") if key.endswith("name_zh") else None
        if isinstance(zh, str) and isinstance(en, str) and zh and en and zh != en:
            own.append((zh, en))
    return own + [pair for child in body.values() for pair in named_items(child)]


def header_lines(text: str) -> list[str]:
    """The header line of every table: the line just above a rule of dashes."""
    lines = text.splitlines()
    rule = re.compile(r"^-+(  -+)*$")
    return [lines[i - 1] for i in range(1, len(lines)) if rule.match(lines[i])]


def test_every_view_command_is_tested():
    assert {argv[0] for argv in CASES} == set(VIEW_COMMANDS)
    assert {argv[0] for argv in EXPLAIN_CASES} == set(EXPLAIN_COMMANDS)
    with_lang = {name for name, parser in subcommands(build_parser()).items() if option(parser, "--lang")}
    assert with_lang == set(VIEW_COMMANDS) | set(EXPLAIN_COMMANDS) | set(WRITES_A_VIEW)


@pytest.mark.parametrize("argv", ALL_CASES, ids=IDS)
def test_lang_zh_is_the_default_output(argv, capsys):
    default = text_of(capsys, argv)
    assert default.strip()
    assert text_of(capsys, [*argv, "--lang", "zh"]) == default


@pytest.mark.parametrize("argv", ALL_CASES, ids=IDS)
def test_json_is_the_same_in_either_language(argv, capsys):
    body = json.loads(text_of(capsys, [*argv, "--json"]))
    assert json.loads(text_of(capsys, [*argv, "--json", "--lang", "en"])) == body
    assert json.loads(text_of(capsys, [*argv, "--json", "--lang", "zh"])) == body


@pytest.mark.parametrize("argv", ALL_CASES, ids=IDS)
def test_lang_en_leaves_chinese_only_where_the_data_has_no_english(argv, capsys):
    english = text_of(capsys, [*argv, "--lang", "en"])
    body = json.loads(text_of(capsys, [*argv, "--json"]))
    for line in header_lines(english):
        assert line.isascii(), (argv, line)
    for line in english.splitlines():
        if line and not line.startswith(" "):  # a title, a view's first line, a table row: its first word
            assert line.split("  ")[0].isascii(), (argv, line)
        elif line.startswith("  ") and not line.startswith("   "):  # a detail view's field: its key
            assert line[2:].split("  ")[0].isascii(), (argv, line)
    left = english
    for text in sorted(chinese_only(body), key=len, reverse=True):
        left = left.replace(text, "")
    stray = [line for line in left.splitlines() if CJK.search(line)]
    assert not stray, (argv, stray)


@pytest.mark.parametrize("argv", ALL_CASES, ids=IDS)
def test_lang_en_shows_the_english_name_instead_of_both(argv, capsys):
    both = text_of(capsys, argv)
    english = text_of(capsys, [*argv, "--lang", "en"])
    body = json.loads(text_of(capsys, [*argv, "--json"]))
    checked = 0
    for zh, en in named_items(body):
        pair = f"{clean(zh)} {clean(en)}"
        if pair in both:
            assert pair not in english, (argv, pair)
            assert clean(en) in english, (argv, en)
            checked += 1
    assert checked or argv[0] in ONE_NAME_BY_DEFAULT or not named_items(body), argv


@pytest.mark.parametrize("firm", ["sensata-changzhou", "calb", "macmic", "aac-optics-changzhou"])
def test_lang_en_spells_tags_out(firm, capsys):
    tags = json.loads(text_of(capsys, ["firm", firm, "--json"]))["tags"]
    lines = text_of(capsys, ["firm", firm, "--lang", "en"]).splitlines()
    [tag_line] = [line for line in lines if line.split()[:1] == ["tags"]]
    assert tag_line.split(None, 1)[1] == ", ".join(TAG_LABELS[t][1] for t in tags)
    [zh_line] = [line for line in text_of(capsys, ["firm", firm]).splitlines() if line.split()[:2] == ["标签", "tags"]]
    assert zh_line.split(None, 2)[2] == ", ".join(tags)


QUALIFIER_WORDS = {
    ">": "over ",
    "≥": "at least ",
    "≈": "about ",
    "≲": "nearly ",
    "=": "",
    "<": "under ",
    "≤": "up to ",
}
ENGLISH_AMOUNT = re.compile(r"^(over |at least |about |nearly |under |up to |)(CNY|USD) ([\d.,]+)( billion| million|)$")
AMOUNT_IN_ROW = re.compile(
    r"(?:over |at least |about |nearly |under |up to )?(?:CNY|USD) [\d.,]+(?: billion| million)?"
)


def english_amount(text: str) -> tuple[str, str, Decimal]:
    """``over CNY 40 billion`` as (qualifier words, currency, value in units of the currency)."""
    found = ENGLISH_AMOUNT.match(text)
    assert found, text
    words, currency, number, scale = found.groups()
    value = Decimal(number.replace(",", "")) * {" billion": 10**9, " million": 10**6, "": 1}[scale]
    return words, currency, value


def test_lang_en_writes_each_projects_investment_in_its_currency(capsys):
    items = json.loads(text_of(capsys, ["projects", "--json"]))["items"]
    lines = text_of(capsys, ["projects", "--lang", "en"]).splitlines()
    rows = {line.split()[0]: line for line in lines if re.match(r"^ *\d+  ", line)}  # numbers are right-aligned
    checked = 0
    for number, item in enumerate(items, start=1):
        money = item["investment"]
        if money["amount"] is None:
            continue
        row = rows[str(number)]
        shown = AMOUNT_IN_ROW.search(row).group(0)
        words, currency, value = english_amount(shown)
        assert words == QUALIFIER_WORDS[money["qualifier"]], (item["id"], shown)
        assert currency == money["currency"], (item["id"], shown)
        assert value == Decimal(str(money["amount"])) * 10**8, (item["id"], shown)  # the amount is in 亿 (10^8)
        checked += 1
    assert checked >= 10


def test_lang_en_writes_a_policys_amounts_in_yuan(capsys):
    body = json.loads(text_of(capsys, ["policy", "pol-zjtx-rewards", "--json"]))
    lines = text_of(capsys, ["policy", "pol-zjtx-rewards", "--lang", "en"]).splitlines()
    unit_value = {"万元": 10**4, "亿元": 10**8}
    priced = [i for i in body["instruments"] if i["amount"] is not None]
    assert priced
    for instrument in priced:
        [row] = [line for line in lines if line.endswith("  " + clean(instrument["description_en"]))]
        words, currency, value = english_amount(AMOUNT_IN_ROW.search(row).group(0))
        assert (words, currency) == (QUALIFIER_WORDS[instrument["qualifier"]], "CNY"), row
        assert value == Decimal(str(instrument["amount"])) * unit_value[instrument["unit"]], row


def test_a_name_with_no_english_is_shown_in_chinese(tmp_path, monkeypatch, capsys):
    dataset = tiny_layers()  # invented data: one tier without an English name, one with
    dataset.nodes["tier-champion"] = dataset.nodes["tier-champion"].model_copy(update={"name_en": ""})
    dataset.nodes["tier-giant"] = dataset.nodes["tier-giant"].model_copy(update={"name_en": "Giant (test)"})
    serve_dataset_to_commands(monkeypatch, dataset)
    data = ["--data", str(tmp_path / "data")]
    lines = text_of(capsys, ["tiers", *data, "--lang", "en"]).splitlines()
    [champion] = [line for line in lines if line.startswith("tier-champion ")]
    assert champion.endswith("  " + dataset.nodes["tier-champion"].name_zh)
    [giant] = [line for line in lines if line.startswith("tier-giant ")]
    assert giant.endswith("  Giant (test)") and not CJK.search(giant)


TITLES = [
    # review 15a (L7): the stages as the views and reports name them (viz.style.POSITION_LABELS), 支撑 not 配套
    (["chain", "nev"], "上游 Upstream", "Upstream"),
    (["chain", "nev"], "中游 Midstream", "Midstream"),
    (["chain", "nev"], "下游 Downstream", "Downstream"),
    (["chain", "nev"], "支撑 Support", "Support"),
    (["segment", "nev-battery-cell"], "本地企业 local firms", "local firms"),
    (["segment", "nev-electrolyte"], "外地企业 outside firms", "outside firms"),
    (["segment", "nev-electrolyte"], "上游（供给它） upstream (supplies it)", "upstream (supplies it)"),
    (["segment", "nev-electrolyte"], "下游（它供给） downstream (it supplies)", "downstream (it supplies)"),
    (["segment", "nev-electrolyte"], "相关环节（邻近度） related segments (proximity)", "related segments (proximity)"),
    (["health", "nev"], "主要短板 most severe gaps", "most severe gaps"),
    (["impact", "nev-cathode"], "本环节本地企业 local firms in nev-cathode", "local firms in nev-cathode"),
    (["impact", "nev-cathode"], "下游依赖 downstream (depends on it)", "downstream (depends on it)"),
    (
        ["impact", "nev-electrolyte"],
        "受影响的本地企业 local firms downstream (affected)",
        "local firms downstream (affected)",
    ),
    (["what-if", "catl", "--with-subsidiaries"], "环节变化 segments that change", "segments that change"),
    (
        ["what-if", "catl", "--with-subsidiaries"],
        "集群健康度（凡有环节变化的集群） / cluster health (every cluster with a changed segment)",
        "cluster health (every cluster with a changed segment)",
    ),
    (["what-if", "li-auto", "byd-changzhou"], "新出现的缺口 new gaps", "new gaps"),
    (["completeness", "nev"], "按年 by year", "by year"),
    (["completeness", "nev"], "公开数据与本数据对照 / published beside this data", "published beside this data"),
    (
        ["candidates", "tex-corduroy"],
        "数据中本环节及其下级环节暂无外地企业：需另行调研 / "
        "no outside firm in the data operates in this segment or below it: it needs research",
        "no outside firm in the data operates in this segment or below it: it needs research",
    ),
]
"""A section title of an explaining command: Chinese first by default (review 15a, M6), and in English."""


@pytest.mark.parametrize(("argv", "zh", "en"), TITLES, ids=[f"{' '.join(a)}: {en}" for a, _, en in TITLES])
def test_a_title_keeps_its_chinese_by_default_and_is_english_alone_in_english(argv, zh, en, capsys):
    default = text_of(capsys, argv).splitlines()
    english = text_of(capsys, [*argv, "--lang", "en"]).splitlines()
    assert zh in default, (argv, zh)
    assert en in english and zh not in english, (argv, en)


def test_lang_en_names_each_part_of_a_chain_table_in_english(capsys):
    body = json.loads(text_of(capsys, ["chain", "nev", "--json"]))
    default = text_of(capsys, ["chain", "nev"]).splitlines()
    english = text_of(capsys, ["chain", "nev", "--lang", "en"]).splitlines()
    english = english[: english.index(f"cross-cluster links ({sum(link['cross_cluster'] for link in body['links'])})")]
    assert [line for line in default if line.startswith("环节 segment ")][0].endswith("链主 anchors")  # review 15a
    headers = [line for line in english if line.startswith("segment ")]
    assert len(headers) == len({s["position"] for s in body["segments"]})
    assert all(line.split()[-1] == "anchors" for line in headers)
    anchored = [s for s in body["segments"] if s["anchor_firms"]]
    assert anchored
    for segment in anchored:
        [row] = [line for line in english if line.split()[:1] == [segment["id"]]]
        first = segment["anchor_firms"][0]
        name, anchors = re.split(r"  +", row.strip())[-2:]
        assert name == clean(segment["name_en"]), row
        assert anchors.startswith(clean(first["name_en"] or first["name_zh"])), row


def test_lang_en_writes_the_health_terms_in_english(capsys):
    body = json.loads(text_of(capsys, ["health", "nev", "--json"]))
    english = text_of(capsys, ["health", "nev", "--lang", "en"]).splitlines()
    assert f"health  {body['score']:.3f}" in english
    terms = english[english.index(next(line for line in english if line.startswith("term "))) + 2 :][:4]
    assert [line.split("  ")[0] for line in terms] == [
        "coverage",
        "anchor coverage",
        "solid share",
        "1 - concentration",
    ]
    assert any("docs/analysis.md section 7" in line for line in english)


def test_lang_en_says_only_in_english_that_a_firm_is_outside(capsys):
    default = text_of(capsys, ["what-if", "catl"]).splitlines()
    english = text_of(capsys, ["what-if", "catl", "--lang", "en"]).splitlines()
    [note] = [line for line in english if line.startswith("note: ")]
    [both] = [line for line in default if line.startswith("注意：")]  # Chinese first by default (review 15a)
    assert both.startswith("注意：catl 不是常州本地企业") and both.endswith(" / " + note)
    assert english[0] == "if these firms left: catl (Contemporary Amperex Technology Co. Limited (CATL))"


def test_cluster_links_name_clusters_and_segments_in_the_chosen_language(capsys):
    body = json.loads(text_of(capsys, ["cluster-links", "nev", "--json"]))
    default = text_of(capsys, ["cluster-links", "nev"])
    english = text_of(capsys, ["cluster-links", "nev", "--lang", "en"])
    for item in body["items"]:
        zh = f"{item['source_cluster']} → {item['target_cluster']}  {item['source_cluster_name_zh']} → "
        en = f"{item['source_cluster']} -> {item['target_cluster']}  {item['source_cluster_name_en']} -> "
        assert zh in default and en in english, item
        for link in item["links"]:
            assert f"{link['source_name_en']} -> {link['target_name_en']}" in english, link
            assert f"{link['source_name_zh']} → {link['target_name_zh']}" in default, link
    assert english.isascii()  # the bundled clusters and segments all have English names


def test_an_explaining_command_shows_a_name_with_no_english_in_chinese(tmp_path, monkeypatch, capsys):
    dataset = tiny_city()  # invented data: f-cell-b and f-veh-a have no English name; one segment loses its own
    assert not dataset.nodes["f-cell-b"].name_en
    dataset.nodes["t-cell"] = dataset.nodes["t-cell"].model_copy(update={"name_en": ""})
    serve_dataset_to_commands(monkeypatch, dataset)
    data = ["--data", str(tmp_path / "data")]
    segment = text_of(capsys, ["segment", "t-cell", *data, "--lang", "en"]).splitlines()
    assert segment[0] == "t-cell  电芯"
    [cell_b] = [line for line in segment if line.startswith("f-cell-b ")]
    assert cell_b.endswith("  乙电池")
    [cell_a] = [line for line in segment if line.startswith("f-cell-a ")]
    assert cell_a.endswith("  Jia Cell") and not CJK.search(cell_a)
    chain = text_of(capsys, ["chain", "t-nev", *data, "--lang", "en"]).splitlines()
    [row] = [line for line in chain if line.startswith("t-cell ")][:1]  # its row, before the cross-cluster links
    assert "  电芯  " in row and row.endswith("  Jia Cell")  # the Chinese segment name, the anchor's English one
    links = text_of(capsys, ["cluster-links", *data, "--lang", "en"])
    assert "电芯 -> Storage system integration" in links


def subcommands(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    [action] = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(action.choices)


def option(parser: argparse.ArgumentParser, flag: str) -> argparse.Action | None:
    return next((a for a in parser._actions if flag in a.option_strings), None)


def test_every_command_that_prints_a_view_takes_lang():
    commands = subcommands(build_parser())
    assert set(NOT_VIEWS) < set(commands), set(NOT_VIEWS) - set(commands)
    reference = option(commands["gaps"], "--lang")  # as the commands that explain take it
    assert reference is not None
    views = [name for name in commands if name not in NOT_VIEWS]
    assert set(VIEW_COMMANDS) <= set(views)
    for name in views:
        lang = option(commands[name], "--lang")
        assert lang is not None, f"chainkg {name} prints a view of the graph but takes no --lang"
        assert list(lang.choices or []) == list(reference.choices or []) == ["zh", "en"], name
        assert lang.default == reference.default == "zh", name
    for name in NOT_VIEWS:
        assert option(commands[name], "--lang") is None, f"chainkg {name} takes --lang: remove it from NOT_VIEWS"
        if name != "import":
            assert option(commands[name], "--json") is None, f"chainkg {name} prints a body to read"


@pytest.mark.parametrize("command", VIEW_COMMANDS + EXPLAIN_COMMANDS + tuple(WRITES_A_VIEW))
def test_help_describes_lang(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "--lang {zh,en}" in capsys.readouterr().out


def test_impact_sums_up_in_chinese_too_and_heads_its_tables_in_both_languages(capsys):
    """Review 9: in Chinese mode, impact printed its summary lines and table headings in English only."""
    body = json.loads(text_of(capsys, ["impact", "nev-cathode", "--json"]))
    counts = body["counts"]
    default = text_of(capsys, ["impact", "nev-cathode"]).splitlines()
    english = text_of(capsys, ["impact", "nev-cathode", "--lang", "en"]).splitlines()
    down = next(i for i, line in enumerate(default) if line.startswith("下游："))
    assert default[down].startswith(f"下游：{counts['downstream_segments']} 个环节")
    assert f"{counts['dependent_local_firms']} 家本地企业" in default[down]
    assert default[down + 1].strip().startswith("downstream: ")  # Chinese first, the English under it
    up = next(i for i, line in enumerate(default) if line.startswith("上游："))
    upstream_zh = f"上游：{counts['upstream_segments']} 个环节，其中缺口 {counts['upstream_gaps']} 个"
    if counts["upstream_unverified_only"]:  # 锂资源与锂盐 → 正极材料 is unverified since the audit of 2026-12-07
        upstream_zh += f"；{counts['upstream_unverified_only']} 个仅经待核实的供应关系到达"
    assert default[up] == upstream_zh
    assert default[up + 1].strip().startswith("upstream: ")
    headings = [line for line in default if line.startswith("步数 links")]
    assert len(headings) == 2 and all("可信度 confidence" in h and "名称 name" in h for h in headings)
    assert any(line.startswith("企业 firm") and "链主 anchor" in line for line in default)
    assert [line for line in english if line.startswith("links ")] and not any(
        CJK.search(line) for line in english if line.startswith(("downstream: ", "upstream: ", "links ", "firm "))
    )
    assert not any(line.strip().startswith(("下游：", "上游：")) for line in english)
    # an upstream gap kind is worded as chainkg gaps words it
    gap_row = next(line for line in default if "  nev-lithium-resources  " in line)
    assert "断链" in gap_row and "broken_link" not in gap_row
