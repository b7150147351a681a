"""Review 16a M5: ``chainkg firm 阳光电源`` refused the firm's exact name ("No firm with id '阳光电源'"), and the error
was English only though the API says it in Chinese too.

A value that names exactly one node of the kind asked for (its name or an alias, folded as search folds them) now
stands for that node's id, said on stderr; an unknown one gets the error in Chinese first, with the nearest ids.
"""

from __future__ import annotations

from typing import Any

import pytest

from chainkg.cli import main


@pytest.mark.parametrize(
    ("argv", "found"),
    [
        (["firm", "阳光电源"], "sungrow"),
        (["firm", "陽光電源"], "sungrow"),  # traditional characters fold as in search
        (["candidates", "锂电铜箔"], "nev-copper-foil"),
        (["targets", "新能源"], "new-energy"),
        (["segment", "锂电铜箔", "--json"], "nev-copper-foil"),
    ],
)
def test_an_exact_name_stands_for_its_id(capsys: Any, argv: list[str], found: str) -> None:
    by_name = main(argv)
    named = capsys.readouterr()
    by_id = main([*argv[:1], found, *argv[2:]])
    direct = capsys.readouterr()
    assert by_name == by_id == 0
    assert named.out == direct.out  # the same answer as asked by id
    assert f"found {found} by the name" in named.err and "按名称" in named.err


def test_an_unknown_id_is_said_in_chinese_first(capsys: Any) -> None:
    assert main(["firm", "calbb"]) == 2
    err = capsys.readouterr().err
    assert (
        err.startswith("错误：没有编号为 'calbb' 的企业。是否要找：calb") and "/ error: No firm with id 'calbb'" in err
    )
    assert main(["firm", "calbb", "--lang", "en"]) == 2
    assert capsys.readouterr().err.startswith("error: No firm with id 'calbb'")


def test_a_name_several_firms_share_is_not_guessed(capsys: Any, bundled_store: Any) -> None:
    """比亚迪 names both the group and its 常州 base: no guess, the error lists both."""
    from graph.model import NodeKind
    from queries.lookup import named_ids

    assert set(named_ids(bundled_store, "比亚迪", NodeKind.FIRM)) == {"byd", "byd-changzhou"}
    assert main(["firm", "比亚迪"]) == 2
    err = capsys.readouterr().err
    assert "按名称" not in err and "byd" in err and "byd-changzhou" in err
