"""``chainkg sources [ID]`` (review 14a: a source could be checked only through the API).

``--json`` equals the API's body (tests/test_cli_queries.py); these check the text a reader sees.
"""

from __future__ import annotations

import pytest

from chainkg.cli import main
from graph.memory_store import MemoryStore
from queries.sources import get_source, list_sources


def _out(capsys: pytest.CaptureFixture[str], argv: list[str]) -> str:
    assert main(argv) == 0
    return capsys.readouterr().out


def test_one_source_names_what_cites_it_and_warns_on_a_copy(
    bundled_store: MemoryStore, capsys: pytest.CaptureFixture[str]
) -> None:
    official = get_source(bundled_store, "reply-2022-56")
    out = _out(capsys, ["sources", "reply-2022-56"])
    assert out.startswith(f"reply-2022-56  {official['title']} {official['title_en']}\n")
    assert official["doc_no"] in out and official["publisher"] in out
    cited = official["cited_by"]
    assert f"引用它的：{cited['nodes']} 个节点，{cited['edges']} 条关系 / cited by: {cited['nodes']} nodes, " in out
    assert ", ".join(official["cited_by"]["node_ids"]) in out
    assert "核对原文" not in out
    mirror = list_sources(bundled_store, reliability="mirror")[0]
    out = _out(capsys, ["sources", mirror["id"]])
    assert "镜像 mirror" in out and "check the original before citing it" in out


def test_the_list_pages_and_filters_as_the_api(bundled_store: MemoryStore, capsys: pytest.CaptureFixture[str]) -> None:
    weak = list_sources(bundled_store, reliability="weak")
    lines = _out(capsys, ["sources", "--reliability", "weak", "--limit", "4", "--offset", "2"]).splitlines()
    rows = lines[2:-2]
    assert [row.split()[0] for row in rows] == [s["id"] for s in weak[2:6]]
    assert all(" 弱 weak " in row for row in rows)
    total = len(weak)
    english = f"showing 3-6 of {total} sources; more with --offset 6"
    assert lines[-2] == f"第 3-6 项，共 {total} 个来源；更多用 --offset 6 / {english}"
    assert lines[-1].startswith("引用 = ")
    uncited = list_sources(bundled_store, cited=False)
    out = _out(capsys, ["sources", "--cited", "false", "--lang", "en"])
    assert f"showing 1-{min(len(uncited), 30)} of {len(uncited)} sources" in out


def test_an_unknown_source_suggests_the_nearest_ids(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["sources", "reply-2022-5"]) == 2
    assert "reply-2022-56" in capsys.readouterr().err
