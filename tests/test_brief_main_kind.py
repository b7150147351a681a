"""Review 14a (LOW 7): the meeting brief gives each gap its primary kind only, as ``chainkg gaps`` and the API do.

The full report keeps every kind of a gap (a 断链 is a 缺链 too); on a one-page brief three badges on one row
read as three gaps.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

ROW = re.compile(r'<tr id="gap-(\d+)">(.*?)</tr>', re.S)
BADGE = re.compile(r'<span class="kind ([a-z_]+)">')
UNVERIFIED = '<span class="kind-unverified">'


@pytest.mark.parametrize("cluster", ["nev", "green-steel", "textiles"])
def test_each_brief_gap_shows_the_kind_the_api_gives(api_client: Any, cluster: str) -> None:
    html = api_client.get(f"/reports/clusters/{cluster}/brief").text
    gaps = api_client.get(f"/api/v1/clusters/{cluster}/gaps", params={"limit": 100}).json()["items"]
    rows = ROW.findall(html)
    assert rows, f"no gap rows in the {cluster} brief"
    for rank, row in rows:
        gap = gaps[int(rank) - 1]
        assert BADGE.findall(row) == [gap["kind"]], (cluster, rank, gap["segment_id"])
        assert (UNVERIFIED in row) == (gap["kind"] in gap["kinds_unverified"]), (cluster, rank)


def test_some_brief_gap_has_more_kinds_than_it_shows(api_client: Any) -> None:
    gaps = api_client.get("/api/v1/clusters/nev/gaps", params={"limit": 5}).json()["items"]
    assert any(len(g["kinds"]) > 1 for g in gaps), "the test above would not tell one badge from several"
