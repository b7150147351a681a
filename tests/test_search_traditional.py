"""Review 15b (M2): traditional Chinese finds what simplified finds, in search, the ``q`` filters and 404s.

``/api/v1/firms?q=寧德時代`` found nothing where ``q=宁德时代`` found 4, ``/api/v1/firms/寧德時代`` suggested
nothing, and ``/api/v1/search`` reached CATL only through its pinyin, at a lower score.
"""

from __future__ import annotations

import csv
from typing import Any

import pytest

from chainkg.cli import main
from queries.script import TRADITIONAL_TABLE, to_simplified

PAIRS = [("寧德時代", "宁德时代"), ("星宇車燈", "星宇车灯"), ("動力電池", "动力电池"), ("常州市統計局", "常州市统计局")]


def test_the_table_maps_one_character_to_another() -> None:
    with TRADITIONAL_TABLE.open(encoding="utf-8", newline="") as rows:
        table = list(csv.DictReader(rows))
    assert len(table) > 2500
    for row in table:
        assert len(row["traditional"]) == len(row["simplified"]) == 1 and row["traditional"] != row["simplified"]
    assert len({row["traditional"] for row in table}) == len(table)


@pytest.mark.parametrize(("traditional", "simplified"), PAIRS)
def test_to_simplified(traditional: str, simplified: str) -> None:
    assert to_simplified(traditional) == simplified
    assert to_simplified(simplified) == simplified


@pytest.mark.parametrize(("traditional", "simplified"), PAIRS[:3])
@pytest.mark.parametrize("path", ["/api/v1/search", "/api/v1/firms"])
def test_search_and_the_firm_filter_read_both_scripts_alike(
    api_client: Any, path: str, traditional: str, simplified: str
) -> None:
    def items(q: str) -> list[Any]:
        return api_client.get(path, params={"q": q, "limit": 200}).json()["items"]

    found = items(simplified)
    assert found, (path, simplified)
    assert items(traditional) == found


def test_the_source_filter_reads_traditional(api_client: Any) -> None:
    simple = api_client.get("/api/v1/sources", params={"q": "常州市统计局"}).json()
    assert simple["total"] > 0
    assert api_client.get("/api/v1/sources", params={"q": "常州市統計局"}).json()["items"] == simple["items"]


def test_a_404_in_traditional_suggests_the_firm(api_client: Any) -> None:
    answer = api_client.get("/api/v1/firms/寧德時代")
    assert answer.status_code == 404
    assert "catl" in answer.json()["suggestions"]


def test_the_cli_search_reads_traditional(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["search", "星宇車燈"]) == 0
    assert "xingyu" in capsys.readouterr().out
