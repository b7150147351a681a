"""A project's phase (``一至五期``) in English: ``queries.projects.phase_en``, the API's ``phase_en``, ``--lang en``.

Every phase text of the bundled data either has an exact English form or is listed in
:data:`UNTRANSLATABLE` with the reason; ``chainkg project ID --lang en`` shows the English,
``--lang zh`` the data's text as before.
"""

from __future__ import annotations

import json
import re

import pytest

from chainkg.cli import main
from graph.model import NodeKind, Project
from queries.projects import get_project, list_projects, phase_en

CJK = re.compile(r"[\u2e80-\u2fff\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")
"""Chinese characters and Chinese punctuation."""

UNTRANSLATABLE: dict[str, str] = {}
"""Phase texts of the bundled data with no exact English form, with the reason (none so far)."""

EXPECTED = {
    "一期": "phase 1",
    "二期": "phase 2",
    "一至五期": "phases 1-5",
    "一至三期（一期30亿元）": "phases 1-3 (phase 1, CNY 3 billion)",
    "两期": "two phases",
    "一期5.7亿元": "phase 1, CNY 570 million",
}
"""The English of each phase text the bundled data holds today."""


def bundled_phases(bundled) -> set[str]:
    """The distinct ``phase`` values of the bundled projects (``data/changzhou/projects.csv``)."""
    return {p.phase for p in bundled.of_kind(NodeKind.PROJECT) if isinstance(p, Project)}


def text_of(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0, argv
    return capsys.readouterr().out


def phase_line(text: str) -> str:
    """The value of the phase line (``期数 phase`` in Chinese, ``phase`` in English)."""
    lines = text.splitlines()
    [line] = [line for line in lines if line.split()[:1] == ["phase"] or line.split()[:2] == ["期数", "phase"]]
    return line.split("phase", 1)[1].strip()


def test_every_bundled_phase_translates_or_is_listed_as_untranslatable(bundled):
    phases = bundled_phases(bundled) - {""}
    assert len(phases) >= 5
    unknown = sorted(p for p in phases if phase_en(p) is None and p not in UNTRANSLATABLE)
    assert not unknown, f"data/changzhou/projects.csv: phase values with no English, not in UNTRANSLATABLE: {unknown}"
    for text in phases - set(UNTRANSLATABLE):
        english = phase_en(text)
        assert english and not CJK.search(english), (text, english)


def test_each_bundled_phase_has_its_exact_english(bundled):
    for text in bundled_phases(bundled) - {""} - set(UNTRANSLATABLE):
        assert phase_en(text) == EXPECTED.get(text), f"phase {text!r}: add its English to EXPECTED"


@pytest.mark.parametrize(
    ("text", "english"),
    [
        ("三期", "phase 3"),
        ("十期", "phase 10"),
        ("一、二期", "phases 1 and 2"),
        ("二至四期", "phases 2-4"),
        ("三期扩建", "phase 3 expansion"),
        ("二期3亿美元", "phase 2, USD 300 million"),
        (" 一期 ", "phase 1"),
        ("", ""),
    ],
)
def test_phase_en_translates_the_forms_it_knows(text, english):
    assert phase_en(text) == english


@pytest.mark.parametrize(
    "text", ["首期", "五至一期", "二、二期", "十一期", "一期若干亿元", "一期约5亿元", "一期（待定）", "三期工程"]
)
def test_phase_en_guesses_nothing(text):
    assert phase_en(text) is None


def test_api_answers_carry_phase_en_next_to_phase(bundled_store):
    items = list_projects(bundled_store, limit=1000)["items"]
    assert items
    for item in items:
        assert item["phase_en"] == phase_en(item["phase"]), item["id"]
    detail = get_project(bundled_store, "prj-catl-liyang")
    assert (detail["phase"], detail["phase_en"]) == ("一至五期", "phases 1-5")


def test_api_route_returns_phase_en(api_client):
    body = api_client.get("/api/v1/projects/prj-catl-liyang").json()
    assert (body["phase"], body["phase_en"]) == ("一至五期", "phases 1-5")


def test_project_lang_en_prints_the_phase_in_english(capsys):
    line = phase_line(text_of(capsys, ["project", "prj-catl-liyang", "--lang", "en"]))
    assert line == "phases 1-5"
    assert not CJK.search(line)


def test_project_lang_zh_prints_the_phase_as_the_data_gives_it(capsys):
    assert phase_line(text_of(capsys, ["project", "prj-catl-liyang"])) == "一至五期"
    assert phase_line(text_of(capsys, ["project", "prj-catl-liyang", "--lang", "zh"])) == "一至五期"


def test_project_json_keeps_both_phase_fields(capsys):
    body = json.loads(text_of(capsys, ["project", "prj-catl-liyang", "--json", "--lang", "en"]))
    assert (body["phase"], body["phase_en"]) == ("一至五期", "phases 1-5")


@pytest.mark.parametrize("project", ["prj-calb-jintan-1", "prj-xd-uhv-renovation", "prj-svolt-jintan"])
def test_every_phased_project_lang_en_has_no_chinese_in_its_phase_line(project, capsys):
    line = phase_line(text_of(capsys, ["project", project, "--lang", "en"]))
    assert line != "-" and not CJK.search(line), (project, line)


def test_projects_lang_en_shows_no_chinese_phase(bundled, capsys):
    """``chainkg projects`` shows no phase column; no phase text may reach its English output either."""
    english = text_of(capsys, ["projects", "--lang", "en", "--limit", "500"])
    assert "prj-catl-liyang" in english
    for text in bundled_phases(bundled) - {""}:
        assert text not in english, text
    assert not [line for line in english.splitlines() if CJK.search(line)]
