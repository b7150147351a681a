"""A whole made-up district with its own chain, imported into an empty graph; then its gaps."""

from __future__ import annotations

import pytest

from graph.memory_store import MemoryStore
from loaders.importer import read_input, run_import
from tests.import_support import FD_SOURCE, district_workbook


@pytest.fixture(scope="module")
def district_store() -> MemoryStore:
    store = MemoryStore()
    report = run_import(store, read_input("district.xlsx", district_workbook()))
    assert report.applied, [str(e) for e in report.errors]
    return store


def test_district_is_imported_whole(district_store):
    counts = district_store.counts()
    assert {k: n for k, n in counts["nodes"].items() if n} == {
        "Cluster": 1,
        "Segment": 6,
        "Firm": 5,
        "District": 2,
        "Source": 1,
    }
    assert counts["edges"]["PART_OF"] == 6 and counts["edges"]["SUPPLIES"] == 5
    assert counts["edges"]["OPERATES_IN"] == 5 and counts["edges"]["LOCATED_IN"] == 3
    assert counts["firms"] == {"local": 3, "outside": 2}
    # the operates_in row that named the firm instead of giving its id was resolved
    assert [e.target for e in district_store.edges("OPERATES_IN", source="fd-pack")] == ["fd-package"]
    cluster = district_store.node("fd-sensors")
    assert [(f.year, f.value, f.qualifier) for f in cluster.figures] == [(2023, 85.0, "≈")]
    assert all(FD_SOURCE in n.sources for n in district_store.nodes("Segment"))
    assert district_store.node("fd-park").parent_id == "fd-county"


def test_district_gaps(district_store):
    from queries.gaps import gaps

    found = gaps(district_store, cluster="fd-sensors")
    missing = {g["segment_id"] for g in found if "missing" in g["kinds"]}
    assert missing == {"fd-wafer", "fd-auto", "fd-lab"}
    assert {g["segment_id"] for g in found} >= missing
    assert not {"fd-mems", "fd-package"} & missing
    assert all(0 <= g["severity"] <= 1 for g in found)
