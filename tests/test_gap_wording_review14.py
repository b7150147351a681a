"""Review 14a (an investment-promotion officer): a gap's words must not claim more than the data holds.

1. A missing segment has no local firm *in the data* (数据中暂无常州本地企业): the reason and the explanation
   say so, never that Changzhou has none.
2. A gap whose segment is itself ``unverified`` (inferred, e.g. ``steel-raw-materials``) says so at the end
   of its explanation, carries ``segment_confidence``, and ``chainkg gaps`` marks its kind 待核实.
3. A weak segment whose one local firm is its anchor (汽车车灯: 星宇, 链主 and a national single champion)
   says so, with ``reasons[].lone_anchor``, instead of reading like any lone firm.
"""

from __future__ import annotations

from typing import Any

import pytest

from chainkg.cli import main
from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.gaps import gaps
from queries.severity import SEGMENT_UNVERIFIED_EN, SEGMENT_UNVERIFIED_ZH


@pytest.fixture(scope="module")
def all_gaps(bundled_store: MemoryStore) -> list[dict[str, Any]]:
    return gaps(bundled_store)


def test_a_missing_segment_is_missing_in_the_data(all_gaps: list[dict[str, Any]]) -> None:
    missing = [g for g in all_gaps if g["status"] == "missing"]
    assert missing
    for gap in missing:
        (reason,) = [r for r in gap["reasons"] if r["code"] == "no_local_firm"]
        assert reason["zh"] == "数据中暂无常州本地企业" and reason["en"] == "no local firm in the data"
        assert "数据中暂无常州本地企业" in gap["explanation_zh"], gap["segment_id"]
        assert "no local firm in the data" in gap["explanation_en"], gap["segment_id"]
    assert not any("常州暂无本地企业" in g["explanation_zh"] for g in all_gaps)


def test_a_gap_on_an_unverified_segment_says_so(bundled_store: MemoryStore, all_gaps: list[dict[str, Any]]) -> None:
    confidence = {s.id: s.confidence.value for s in bundled_store.nodes(NodeKind.SEGMENT)}
    marked = 0
    for gap in all_gaps:
        unsure = confidence[gap["segment_id"]] == "unverified"
        assert gap["segment_confidence"] == confidence[gap["segment_id"]]
        assert gap["explanation_zh"].endswith(SEGMENT_UNVERIFIED_ZH) == unsure, gap["segment_id"]
        assert gap["explanation_en"].endswith(SEGMENT_UNVERIFIED_EN) == unsure, gap["segment_id"]
        marked += unsure
    assert marked and any(g["segment_id"] == "steel-raw-materials" for g in all_gaps)


def test_the_cli_marks_the_kind_of_a_gap_on_an_unverified_segment(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["gaps", "green-steel"]) == 0
    (row,) = [line for line in capsys.readouterr().out.splitlines() if " steel-raw-materials " in line]
    assert row.split()[2].endswith("（待核实）"), row


def test_the_api_gives_the_segment_confidence(api_client: Any) -> None:
    items = api_client.get("/api/v1/clusters/green-steel/gaps").json()["items"]
    assert {g["segment_id"]: g["segment_confidence"] for g in items}["steel-raw-materials"] == "unverified"
    assert any(g["segment_confidence"] == "sourced" for g in items)


def test_a_lone_anchor_is_named_as_the_segments_anchor(
    bundled_store: MemoryStore, all_gaps: list[dict[str, Any]]
) -> None:
    anchors = {(e.source, e.target) for e in bundled_store.edges() if getattr(e, "role", None) == "anchor"}
    assert ("xingyu", "nev-lighting") in anchors
    lone = [g for g in all_gaps if any(r["code"] == "single_local_firm" for r in g["reasons"])]
    assert lone
    for gap in lone:
        (reason,) = [r for r in gap["reasons"] if r["code"] == "single_local_firm"]
        (firm,) = reason["firm_ids"]
        said = reason.get("lone_anchor", False)
        assert said == ("为本环节链主" in gap["explanation_zh"]), gap["segment_id"]
        if (firm, gap["segment_id"]) in anchors:
            assert said, gap["segment_id"]
    (lighting,) = [g for g in lone if g["segment_id"] == "nev-lighting"]
    assert lighting["explanation_zh"].startswith(
        "汽车车灯：仅有1家本地企业（常州星宇车灯股份有限公司），为本环节链主（国家制造业单项冠军）"
    )
    assert "outside candidates are mostly its peers" in lighting["explanation_en"]


# ---- a segment whose sources name a local base the data hold no firm of ----


def test_a_named_local_base_turns_the_gap_into_one_to_check() -> None:
    from graph.fixtures import tiny_chain
    from queries.severity import local_base_en, local_base_zh

    dataset = tiny_chain()
    base = "某镇锂盐产业基地"
    dataset.nodes["t-lithium"] = dataset.nodes["t-lithium"].model_copy(update={"local_base": base})
    with_base = {g["segment_id"]: g for g in gaps(MemoryStore(dataset))}
    plain = {g["segment_id"]: g for g in gaps(MemoryStore(tiny_chain()))}
    gap, before = with_base["t-lithium"], plain["t-lithium"]
    assert gap["local_base"] == base and before["local_base"] == ""
    assert gap["explanation_zh"] == before["explanation_zh"] + local_base_zh(base)
    assert gap["explanation_en"] == before["explanation_en"] + local_base_en(base)
    (reason,) = [r for r in gap["reasons"] if r["code"] == "local_base_noted"]
    assert reason["local_base"] == base and base in reason["zh"] and base in reason["en"]
    assert not any(r["code"] == "local_base_noted" for r in before["reasons"])
    assert gap["severity"] == before["severity"]  # a mark to check, not a new score
    for sid, other in with_base.items():  # nothing else moves
        if sid != "t-lithium":
            assert other == plain[sid], sid
