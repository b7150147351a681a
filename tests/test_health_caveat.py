"""Review 15a (M3): every health answer says what the score does not measure.

新型电力装备 (7 local firms) ranked above NEV (45) with no word that health counts segment coverage, not output, and
that a segment and its sub-segments count once each. Only the printed summary report had said so.
"""

from __future__ import annotations

from typing import Any

import pytest

from chainkg.cli import main
from queries.health import HEALTH_CAVEAT_EN, HEALTH_CAVEAT_ZH


def test_one_cluster_and_the_ranking_carry_the_caveat(api_client: Any) -> None:
    one = api_client.get("/api/v1/clusters/power-equipment/health").json()
    ranking = api_client.get("/api/v1/health-ranking").json()
    for body in (one, ranking):
        assert (body["caveat_zh"], body["caveat_en"]) == (HEALTH_CAVEAT_ZH, HEALTH_CAVEAT_EN)
    assert not any("caveat_zh" in item for item in ranking["items"])  # said once, not per cluster
    assert "不衡量产值" in HEALTH_CAVEAT_ZH and "not output" in HEALTH_CAVEAT_EN
    assert "sub-segments" in HEALTH_CAVEAT_EN and "下级环节" in HEALTH_CAVEAT_ZH


def test_the_caveat_explains_a_real_inversion(api_client: Any) -> None:
    """The case that prompted it: a cluster with fewer local firms ranks above one with far more."""
    items = api_client.get("/api/v1/health-ranking").json()["items"]
    firms = {i["cluster_id"]: (i["rank"], i["counts"]["local_firms"]) for i in items}
    assert any(firms[a][0] < firms[b][0] and firms[a][1] * 3 < firms[b][1] for a in firms for b in firms)


@pytest.mark.parametrize("args", [["health"], ["health", "nev"]])
def test_the_cli_prints_it_in_the_language_asked(capsys: pytest.CaptureFixture[str], args: list[str]) -> None:
    assert main(args) == 0
    zh = capsys.readouterr().out
    assert f"注意：{HEALTH_CAVEAT_ZH} / note: {HEALTH_CAVEAT_EN}" in zh
    assert main([*args, "--lang", "en"]) == 0
    en = capsys.readouterr().out
    assert f"note: {HEALTH_CAVEAT_EN}" in en and HEALTH_CAVEAT_ZH not in en


def test_the_firm_ranking_says_what_it_does_not_measure(api_client: Any, capsys: pytest.CaptureFixture[str]) -> None:
    """Review 15a (H1): 星宇 ranked first, 理想 and 中创新航 not in the top 15, and no word that size is not counted."""
    from queries.criticality import CRITICAL_FIRMS_CAVEAT_EN, CRITICAL_FIRMS_CAVEAT_ZH

    body = api_client.get("/api/v1/clusters/nev/critical-firms").json()
    assert (body["caveat_zh"], body["caveat_en"]) == (CRITICAL_FIRMS_CAVEAT_ZH, CRITICAL_FIRMS_CAVEAT_EN)
    assert "不计产值" in CRITICAL_FIRMS_CAVEAT_ZH and "not by output" in CRITICAL_FIRMS_CAVEAT_EN
    assert main(["critical", "nev", "--firms", "--limit", "3"]) == 0
    assert f"注意：{CRITICAL_FIRMS_CAVEAT_ZH}" in capsys.readouterr().out
    assert main(["critical", "nev"]) == 0  # the segment ranking is another question: no firm caveat
    assert CRITICAL_FIRMS_CAVEAT_ZH not in capsys.readouterr().out
