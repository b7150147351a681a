"""Review 15a (L9): following a firm to its suppliers mostly ended at "suppliers -" (12 firm-level links in the
data). ``chainkg firm`` now says so and names the command that shows the segments around the firm."""

from __future__ import annotations

import pytest

from chainkg.cli import main


def _out(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_a_firm_without_firm_level_partners_points_to_its_segments(capsys: pytest.CaptureFixture[str]) -> None:
    out = _out(capsys, ["firm", "calb"])
    assert "数据中暂无该企业的企业级供应商或客户；其环节的上下游：chainkg impact nev-battery-cell" in out
    assert "the segments around it: chainkg impact nev-battery-cell" in _out(capsys, ["firm", "calb", "--lang", "en"])
    assert "动力电池电芯" in _out(capsys, ["impact", "nev-battery-cell"])  # the command named answers


def test_a_firm_with_partners_lists_them_instead(capsys: pytest.CaptureFixture[str]) -> None:
    out = _out(capsys, ["firm", "li-auto"])
    assert "jieyi-auto" in out and "企业级供应商或客户" not in out
