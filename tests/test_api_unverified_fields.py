"""Every answer that names a gap says which of its kinds rest only on unverified supply links.

A gap's ``kinds_unverified`` (its 断链/延链 that hold only through links the data marks 待核实) was given by
the gap list, the targets and health's ``top_gaps``, but left out of impact's ``upstream_gaps``, and the
impact upstream items, the chain's segments and the segment detail carried ``gap_kind``/``gap_kinds`` with
no marker. Now ``upstream_gaps`` carry ``kinds_unverified`` (required in the schema), and the others carry
``gap_kinds_unverified``; ``chainkg impact`` marks such a kind as ``chainkg gaps`` does.

The expected values are the gaps' own ``kinds_unverified`` from :func:`queries.gaps.gaps` (the gap list),
not read back from the answers under test.
"""

from __future__ import annotations

from typing import Any

import pytest

from api.analysis_schemas import GAP_EXAMPLE, SEGMENT_EXAMPLE, TARGET_EXAMPLE, Impact
from chainkg.cli import main
from queries.gaps import gaps

WAFER_FAB = "ele-wafer-fab"
"""A broken link (断链) resting only on an unverified link: it feeds ele-sensors through a 待核实 link."""


@pytest.fixture(scope="module")
def unverified_by_gap(bundled_store) -> dict[str, list[str]]:
    """Each gap's ``kinds_unverified``, as the gap list gives it."""
    return {g["segment_id"]: g["kinds_unverified"] for g in gaps(bundled_store)}


def test_the_bundled_data_has_an_unverified_gap(unverified_by_gap):
    # Without one, the tests below would compare empty lists only.
    assert unverified_by_gap[WAFER_FAB] == ["broken_link", "extension"]
    assert any(kinds == [] for kinds in unverified_by_gap.values())


# -- 1: impact -------------------------------------------------------------------------------------


def test_impact_upstream_gaps_carry_kinds_unverified(api_client, unverified_by_gap):
    body = api_client.get("/api/v1/segments/ele-sensors/impact").json()
    upstream_gaps = {g["segment_id"]: g for g in body["upstream_gaps"]}
    assert WAFER_FAB in upstream_gaps
    for segment_id, gap in upstream_gaps.items():
        assert gap["kinds_unverified"] == unverified_by_gap[segment_id], segment_id


def test_impact_upstream_items_carry_gap_kinds_unverified(api_client, unverified_by_gap):
    body = api_client.get("/api/v1/segments/ele-sensors/impact").json()
    upstream = {u["id"]: u for u in body["upstream"]}
    assert upstream[WAFER_FAB]["gap_kind"] == "broken_link"
    assert upstream[WAFER_FAB]["gap_kinds_unverified"] == ["broken_link", "extension"]
    no_gap = [u for u in body["upstream"] if u["gap_kind"] is None]
    assert no_gap, "ele-sensors has an upstream segment that is no gap"
    for item in body["upstream"]:
        expected = unverified_by_gap.get(item["id"], []) if item["gap_kind"] else []
        assert item["gap_kinds_unverified"] == expected, item["id"]


def test_impact_gap_summary_matches_health_top_gaps(api_client):
    """The same gap in health's top_gaps and in impact's upstream_gaps says the same."""
    top = {g["segment_id"]: g for g in api_client.get("/api/v1/clusters/electronics/health").json()["top_gaps"]}
    assert WAFER_FAB in top
    upstream_gaps = api_client.get("/api/v1/segments/ele-sensors/impact").json()["upstream_gaps"]
    same = {g["segment_id"]: g for g in upstream_gaps if g["segment_id"] in top}
    assert WAFER_FAB in same
    for segment_id, gap in same.items():
        assert gap == top[segment_id], segment_id


def test_chainkg_impact_marks_an_unverified_gap_kind(capsys):
    assert main(["impact", "ele-sensors"]) == 0
    zh = capsys.readouterr().out
    assert main(["impact", "ele-sensors", "--lang", "en"]) == 0
    en = capsys.readouterr().out
    zh_row = next(line for line in zh.splitlines() if f"  {WAFER_FAB}  " in line)
    en_row = next(line for line in en.splitlines() if f"  {WAFER_FAB}  " in line)
    assert "断链（待核实）" in zh_row and "broken link (unverified)" in en_row
    ic_row = next(line for line in en.splitlines() if "  ele-ic-design  " in line)
    assert " missing " in ic_row and "missing (unverified)" not in ic_row  # a kind resting on presence alone


# -- 2: chain and segment detail ------------------------------------------------------------------


def test_chain_segments_carry_gap_kinds_unverified(api_client, unverified_by_gap):
    segments = api_client.get("/api/v1/clusters/electronics/chain").json()["segments"]
    by_id = {s["id"]: s for s in segments}
    assert by_id[WAFER_FAB]["gap_kinds_unverified"] == ["broken_link", "extension"]
    for segment in segments:
        expected = unverified_by_gap.get(segment["id"], []) if segment["gap_kind"] else []
        assert segment["gap_kinds_unverified"] == expected, segment["id"]
    assert any(s["gap_kind"] is None for s in segments)


@pytest.mark.parametrize("segment_id", [WAFER_FAB, "ele-ic-design", "nev-battery-cell"])
def test_segment_detail_carries_gap_kinds_unverified(api_client, unverified_by_gap, segment_id):
    body = api_client.get(f"/api/v1/segments/{segment_id}").json()
    assert body["gap_kinds_unverified"] == unverified_by_gap.get(segment_id, [])
    if body["gap"] is not None:
        assert body["gap_kinds_unverified"] == body["gap"]["kinds_unverified"]


# -- 3: examples ---------------------------------------------------------------------------------


def test_the_examples_show_the_new_fields():
    impact_example: dict[str, Any] = Impact.model_config["json_schema_extra"]["example"]  # type: ignore[index]
    assert all("sourced_distance" in d for d in impact_example["downstream"])
    assert all("sourced_distance" in u and "gap_kinds_unverified" in u for u in impact_example["upstream"])
    assert all("kinds_unverified" in g for g in impact_example["upstream_gaps"])
    assert "kinds_unverified" in GAP_EXAMPLE and "gap_kinds_unverified" in SEGMENT_EXAMPLE
    assert all({"group_already_here", "group_firm_ids"} <= set(g) for g in TARGET_EXAMPLE["gaps"])


# -- 4: one description, the kinds that can occur ----------------------------------------------------


def test_kinds_unverified_has_one_bilingual_description_and_two_kinds(api_client):
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    fields = [
        schemas["GapSummary"]["properties"]["kinds_unverified"],
        schemas["GapItem"]["properties"]["kinds_unverified"],
        schemas["TargetGap"]["properties"]["kinds_unverified"],
        schemas["ImpactUpstream"]["properties"]["gap_kinds_unverified"],
        schemas["ChainSegment"]["properties"]["gap_kinds_unverified"],
    ]
    descriptions = {field["description"] for field in fields}
    assert len(descriptions) == 1
    (description,) = descriptions
    english, chinese = description.split(" / ")
    assert "unverified" in english and not any("\u4e00" <= c <= "\u9fff" for c in english)
    assert "待核实" in chinese and "断链（待核实）" in chinese
    for field in fields:
        assert field["type"] == "array" and field["items"]["$ref"] == "#/components/schemas/UnverifiedGapKind"
    assert schemas["UnverifiedGapKind"]["enum"] == ["broken_link", "extension"]
    assert "kinds_unverified" in schemas["GapSummary"]["required"]
