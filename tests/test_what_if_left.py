"""what-if lists the segments the firms leave, even when their status and severity hold.

Review 5 (planner), finding F6: removing catl-jiangsu never mentioned nev-battery-cell, its own segment, which
goes from 6 to 5 local firms and from 3 to 2 anchors but stays strong; removing li-auto did not mention
nev-vehicle.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from chainkg.cli import main
from queries.chain import chain
from queries.segment_graph import chain_data
from queries.what_if import what_if


def left_by_id(result: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {item["segment_id"]: item for item in result["segments_left"]}


def entries(store: Any, cluster_id: str) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for s in chain(store, cluster_id)["segments"]}


def test_tiny_chain_by_hand(tiny_store):
    # f-cell-a is the anchor of t-cell (3 local firms: a, b, c); the cell stays present with b and c
    result = what_if(tiny_store, ["f-cell-a"])
    (cell,) = result["segments_left"]
    assert cell["segment_id"] == "t-cell" and cell["direct"] is True
    assert (cell["local_firms_before"], cell["local_firms_after"]) == (3, 2)
    assert (cell["anchors_before"], cell["anchors_after"], cell["anchors_left"]) == (1, 0, ["f-cell-a"])
    assert cell["firms_left"] == ["f-cell-a"]
    assert cell["in_changes"] == ("t-cell" in {c["segment_id"] for c in result["changes"]})
    assert result["summary"]["segments_left"] == 1
    # an outside firm leaves no local segment
    assert what_if(tiny_store, ["o-lith-a"])["segments_left"] == []


def test_catl_jiangsu_leaves_its_battery_cell_segment_which_stays_strong(bundled_store):
    before = entries(bundled_store, "nev")["nev-battery-cell"]
    assert "catl-jiangsu" in {f["id"] for f in before["local_firms"]}
    result = what_if(bundled_store, ["catl-jiangsu"])
    left = left_by_id(result)
    cell = left["nev-battery-cell"]
    assert cell["local_firms_before"] == before["local_firm_count"]
    assert cell["local_firms_after"] == before["local_firm_count"] - 1
    anchors = {f["id"] for f in before["anchor_firms"]}
    assert (cell["anchors_before"], cell["anchors_after"]) == (len(anchors), len(anchors - {"catl-jiangsu"}))
    assert cell["direct"] is True and cell["firms_left"] == ["catl-jiangsu"]
    changed = {c["segment_id"] for c in result["changes"]}
    assert cell["in_changes"] is ("nev-battery-cell" in changed)
    # every segment the firm operates in (or below) is listed, its own first, and nothing else
    data = chain_data(bundled_store)
    own = {e.target for e in data.operates if e.source == "catl-jiangsu"}
    above = {p for p, sub in data.subtree.items() if sub & own}
    assert set(left) == above
    flags = [item["direct"] for item in result["segments_left"]]
    assert flags == sorted(flags, reverse=True)
    assert {sid for sid, item in left.items() if item["direct"]} == own
    assert all(not item["direct"] for sid, item in left.items() if sid not in own)


def test_with_subsidiaries_the_segments_left_count_every_unit(bundled_store):
    result = what_if(bundled_store, ["catl"], with_subsidiaries=True)
    units = {f["id"] for f in result["removed"] if f["is_local"]}
    for item in result["segments_left"]:
        assert set(item["firms_left"]) <= units
        assert item["local_firms_before"] - item["local_firms_after"] == len(item["firms_left"])


CJK = re.compile(r"[\u4e00-\u9fff]")


def run(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    assert main(argv) == 0
    return capsys.readouterr().out.splitlines()


def test_cli_lists_the_segments_left_by_default(bundled_store, capsys):
    body = what_if(bundled_store, ["li-auto"])
    lines = run(capsys, ["what-if", "li-auto", "--lang", "en"])
    assert lines[2] == "--all lists them with their severity before and after"  # under the summary it speaks of
    title = f"segments the firms leave ({len(body['segments_left'])}; local firms and anchors before -> after"
    assert any(line.startswith(title) for line in lines)
    vehicle = left_by_id(body)["nev-vehicle"]
    rows = [line for line in lines if " nev-vehicle " in line]
    assert rows and rows[0].split()[:6] == [
        str(vehicle["local_firms_before"]),
        "->",
        str(vehicle["local_firms_after"]),
        str(vehicle["anchors_before"]),
        "->",
        str(vehicle["anchors_after"]),
    ]
    assert "li-auto" in rows[0]
    assert not any(CJK.search(line) for line in lines)
    zh = run(capsys, ["what-if", "catl-jiangsu"])
    assert any("企业退出的环节" in line for line in zh)
    via = [line for line in zh if "经下级环节 via sub-segment" in line]
    indirect = [i["segment_id"] for i in what_if(bundled_store, ["catl-jiangsu"])["segments_left"] if not i["direct"]]
    assert len(via) == len(indirect) and all(any(sid in line for line in via) for sid in indirect)


def test_the_api_answers_segments_left(api_client):
    body = api_client.post("/api/v1/what-if", json={"remove": ["li-auto"]}).json()
    assert body["summary"]["segments_left"] == len(body["segments_left"]) >= 1
    assert "nev-vehicle" in {item["segment_id"] for item in body["segments_left"]}
