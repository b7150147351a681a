"""``chainkg health CLUSTER`` names the score's terms with the labels of ``queries.health.HEALTH_TERMS``.

The API's ``terms`` and the reports take their labels from there too, so the three cannot drift apart.
"""

from __future__ import annotations

from chainkg.cli import main
from chainkg.commands.health import TERMS, TERMS_EN
from queries.health import HEALTH_TERMS, HEALTH_WEIGHTS


def test_every_weighted_term_has_a_row_label_in_both_languages():
    assert list(TERMS) == list(TERMS_EN) == list(HEALTH_WEIGHTS)


def test_the_zh_rows_read_english_then_the_chinese_label_of_health_terms():
    for key, (_, complement, label_zh, label_en) in HEALTH_TERMS.items():
        assert TERMS[key].startswith(label_en + " ") and label_zh in TERMS[key], key
        assert TERMS[key].endswith(f"({label_zh})") == complement, key
    assert TERMS["concentration"] == "1 − concentration (1 − 集中度)"


def test_the_en_rows_are_the_english_labels_in_ascii():
    for key, (*_, label_en) in HEALTH_TERMS.items():
        assert TERMS_EN[key].isascii(), TERMS_EN[key]
        assert TERMS_EN[key] == label_en.replace("−", "-"), key


def test_the_printed_table_names_the_terms_as_the_api_does(api_client, capsys):
    body = api_client.get("/api/v1/clusters/nev/health").json()
    assert main(["health", "nev"]) == 0
    lines = capsys.readouterr().out.splitlines()
    for term in body["terms"]:
        assert any(line.startswith(f"{term['label_en']} ") and term["label_zh"] in line for line in lines), term
