"""``--lang zh|en`` on every command that prints a view of the graph.

``--lang zh`` (the default) prints what the commands always printed. ``--lang en`` prints labels,
headers, tags and amounts in English and each name in English; what is left in Chinese is only
what the data holds in Chinese alone (a source's title, an issuer, a description with no English).
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
from graph.fixtures import tiny_layers
from tests.cli_support import serve_dataset_to_commands
from viz.style import TAG_LABELS

CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""Chinese characters and Chinese punctuation (full-width brackets, 、 and the like)."""

VIEW_COMMANDS = ("firm", "project", "projects", "policy", "policies", "tier", "tiers", "platforms", "search", "info")
"""The commands that gained ``--lang``."""

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
    ["search", "catl"],
    ["search", "电池"],
    ["info"],
]
IDS = [" ".join(argv) for argv in CASES]

NOT_VIEWS = {
    "export": "writes the graph to a file",
    "import": "changes the data; it prints what the import changed, not a view of the graph",
    "load": "validates a dataset folder and loads it",
    "render": "writes an HTML view, which is in both languages",
    "report": "writes an HTML report or a workbook",
    "serve": "serves the API and the views",
    "synth": "writes a synthetic dataset folder",
    "template": "writes the import template",
}
"""The commands that take no ``--lang``: none of them prints a view of the graph to read."""

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
            has_english = key.endswith("_zh") and bool(parent.get(key[: -len("_zh")] + "_en"))
            known_tag = key == "tags" and value in TAG_LABELS
            if not (has_english or known_tag or key in ENGLISH_ELSEWHERE):
                found.add(clean(value))

    walk(body, "", {})
    return found


def named_items(body: Any) -> list[dict[str, Any]]:
    """Every object of ``body`` with a Chinese and a different English name."""
    if isinstance(body, list):
        return [item for child in body for item in named_items(child)]
    if not isinstance(body, dict):
        return []
    own = [body] if body.get("name_zh") and body.get("name_en") and body["name_zh"] != body["name_en"] else []
    return own + [item for child in body.values() for item in named_items(child)]


def header_lines(text: str) -> list[str]:
    """The header line of every table: the line just above a rule of dashes."""
    lines = text.splitlines()
    rule = re.compile(r"^-+(  -+)*$")
    return [lines[i - 1] for i in range(1, len(lines)) if rule.match(lines[i])]


def test_every_view_command_is_tested():
    assert {argv[0] for argv in CASES} == set(VIEW_COMMANDS)


@pytest.mark.parametrize("argv", CASES, ids=IDS)
def test_lang_zh_is_the_default_output(argv, capsys):
    default = text_of(capsys, argv)
    assert default.strip()
    assert text_of(capsys, [*argv, "--lang", "zh"]) == default


@pytest.mark.parametrize("argv", CASES, ids=IDS)
def test_json_is_the_same_in_either_language(argv, capsys):
    body = json.loads(text_of(capsys, [*argv, "--json"]))
    assert json.loads(text_of(capsys, [*argv, "--json", "--lang", "en"])) == body
    assert json.loads(text_of(capsys, [*argv, "--json", "--lang", "zh"])) == body


@pytest.mark.parametrize("argv", CASES, ids=IDS)
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


@pytest.mark.parametrize("argv", CASES, ids=IDS)
def test_lang_en_shows_the_english_name_instead_of_both(argv, capsys):
    both = text_of(capsys, argv)
    english = text_of(capsys, [*argv, "--lang", "en"])
    body = json.loads(text_of(capsys, [*argv, "--json"]))
    checked = 0
    for item in named_items(body):
        pair = f"{clean(item['name_zh'])} {clean(item['name_en'])}"
        if pair in both:
            assert pair not in english, (argv, pair)
            assert clean(item["name_en"]) in english, (argv, item["name_en"])
            checked += 1
    assert checked or argv[0] == "info", argv  # every view but the counts names something


@pytest.mark.parametrize("firm", ["catl-jiangsu", "calb", "macmic", "aac-optics-changzhou"])
def test_lang_en_spells_tags_out(firm, capsys):
    tags = json.loads(text_of(capsys, ["firm", firm, "--json"]))["tags"]
    lines = text_of(capsys, ["firm", firm, "--lang", "en"]).splitlines()
    [tag_line] = [line for line in lines if line.split()[:1] == ["tags"]]
    assert tag_line.split(None, 1)[1] == ", ".join(TAG_LABELS[t][1] for t in tags)
    [zh_line] = [line for line in text_of(capsys, ["firm", firm]).splitlines() if line.split()[:1] == ["tags"]]
    assert zh_line.split(None, 1)[1] == ", ".join(tags)


QUALIFIER_WORDS = {">": "over ", "≥": "at least ", "≈": "about ", "=": "", "<": "under ", "≤": "up to "}
ENGLISH_AMOUNT = re.compile(r"^(over |at least |about |under |up to |)(CNY|USD) ([\d.,]+)( billion| million|)$")
AMOUNT_IN_ROW = re.compile(r"(?:over |at least |about |under |up to )?(?:CNY|USD) [\d.,]+(?: billion| million)?")


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


@pytest.mark.parametrize("command", VIEW_COMMANDS)
def test_help_describes_lang(command, capsys):
    with pytest.raises(SystemExit) as info:
        main([command, "--help"])
    assert info.value.code == 0
    assert "--lang {zh,en}" in capsys.readouterr().out
