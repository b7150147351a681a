"""``chainkg health CLUSTER`` names the score's terms with the labels of ``queries.health.HEALTH_TERMS``.

The API's ``terms`` and the reports take their labels from there too, so the three cannot drift apart.
"""

from __future__ import annotations

from chainkg.cli import main
from chainkg.commands.health import TERMS, TERMS_EN
from queries.health import HEALTH_TERMS, HEALTH_WEIGHTS


def test_every_weighted_term_has_a_row_label_in_both_languages():
    assert list(TERMS) == list(TERMS_EN) == list(HEALTH_WEIGHTS)


def test_the_zh_rows_read_the_chinese_then_the_english_label_of_health_terms():
    for key, (_, complement, label_zh, label_en) in HEALTH_TERMS.items():
        assert TERMS[key].startswith(label_zh) and label_en in TERMS[key], key
        assert TERMS[key].endswith(f"（{label_en}）") == complement, key
    assert TERMS["concentration"] == "1 − 集中度（1 − concentration）"


def test_the_en_rows_are_the_english_labels_in_ascii():
    for key, (*_, label_en) in HEALTH_TERMS.items():
        assert TERMS_EN[key].isascii(), TERMS_EN[key]
        assert TERMS_EN[key] == label_en.replace("−", "-"), key


def test_the_printed_table_names_the_terms_as_the_api_does(api_client, capsys):
    body = api_client.get("/api/v1/clusters/nev/health").json()
    assert main(["health", "nev"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for term in body["terms"]:
        assert any(line.startswith(term["label_zh"]) and term["label_en"] in line for line in lines), term


def test_the_from_column_is_in_chinese_by_default_and_in_english_for_en(capsys):
    assert main(["health", "nev"]) == 0
    default = capsys.readouterr().out
    assert "有本地企业的环节数 / 环节数" in default and "segments with a local firm" not in default
    assert "主要短板 most severe gaps" in default and "健康度 health  " in default
    assert main(["health", "nev", "--lang", "en"]) == 0
    english = capsys.readouterr().out
    assert "segments with a local firm / segments" in english and "环节数" not in english
