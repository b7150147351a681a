"""``chainkg render ... --lang en`` writes a view that opens in English (review finding #2).

The language is the page's ``<html lang>``, which view.js opens the page in unless the address asks
for another (``?lang=zh``, ``#lang=zh``); the rest of the file is the same bytes in either language.
The page really opening in English is checked in Chromium by
``tests/test_views_browser.py::test_render_lang_en_opens_in_english``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from chainkg.cli import main
from viz.page import page_language

ZH_TAG = '<html lang="zh-Hans">'
EN_TAG = '<html lang="en">'


def render(tmp_path: Path, name: str, *options: str) -> str:
    out = tmp_path / name
    assert main(["render", "cluster", "nev", "-o", str(out), *options]) == 0
    return out.read_text(encoding="utf-8")


def test_lang_en_writes_a_view_that_opens_in_english(tmp_path, capsys):
    english = render(tmp_path, "en.html", "--lang", "en")
    chinese = render(tmp_path, "zh.html", "--lang", "zh")
    assert english.startswith("<!DOCTYPE html>\n" + EN_TAG + "\n")
    assert ZH_TAG not in english
    assert english.replace(EN_TAG, ZH_TAG, 1) == chinese  # only the page's language differs
    assert "wrote" in capsys.readouterr().out


def test_the_default_is_the_chinese_page_as_before(tmp_path):
    default = render(tmp_path, "default.html")
    assert default.startswith("<!DOCTYPE html>\n" + ZH_TAG + "\n")
    assert default == render(tmp_path, "zh.html", "--lang", "zh")


def test_the_page_script_opens_in_the_pages_lang_unless_the_address_asks():
    """view.js: the address's ``lang=`` first, then the ``<html lang>`` this option writes."""
    script = (Path(__file__).parents[1] / "viz" / "templates" / "view.js").read_text(encoding="utf-8")
    assert "document.documentElement.lang" in script.split("function askedLang")[0]
    asked = script.split("function askedLang")[1].split("}")[0]
    assert "window.location.search + window.location.hash" in asked and "PAGE_LANG" in asked


def test_an_unknown_language_is_refused(tmp_path, capsys):
    with pytest.raises(SystemExit) as info:
        main(["render", "cluster", "nev", "-o", str(tmp_path / "x.html"), "--lang", "fr"])
    assert info.value.code == 2
    assert "invalid choice: 'fr'" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_help_says_how_to_open_the_other_language(capsys):
    with pytest.raises(SystemExit):
        main(["render", "--help"])
    text = capsys.readouterr().out
    assert "--lang {zh,en}" in text and "?lang=zh" in text and "#lang=" in text


def test_page_language_refuses_an_unknown_language():
    with pytest.raises(ValueError, match="zh or en; got 'de'"):
        page_language("de")
    assert (page_language("zh"), page_language("en")) == ("zh-Hans", "en")
