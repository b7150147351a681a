"""The typed model rejects what it must."""

import pytest
from pydantic import ValidationError

from graph.model import Cluster, Edge, Figure, Firm, Segment, Source


def test_sourced_node_needs_a_source():
    with pytest.raises(ValidationError, match="needs at least one source"):
        Firm(id="x", name_zh="某公司")


def test_unverified_node_may_lack_a_source():
    firm = Firm(id="x", name_zh="某公司", confidence="unverified")
    assert firm.confidence.value == "unverified"


@pytest.mark.parametrize("bad", ["CATL", "has space", "", "-lead", "中文"])
def test_ids_are_stable_ascii(bad):
    with pytest.raises(ValidationError, match="ids are lower-case ASCII"):
        Firm(id=bad, name_zh="某公司", sources=("s",))


def test_position_is_an_enum():
    with pytest.raises(ValidationError):
        Segment(id="s", name_zh="段", cluster_id="c", position="middle", sources=("s",))


def test_operates_in_needs_a_role_and_others_refuse_one():
    with pytest.raises(ValidationError, match="need a role"):
        Edge(kind="OPERATES_IN", source="f", target="s", sources=("x",))
    with pytest.raises(ValidationError, match="take no role"):
        Edge(kind="SUPPLIES", source="a", target="b", role="anchor", sources=("x",))


def test_self_loops_are_refused():
    with pytest.raises(ValidationError, match="itself"):
        Edge(kind="SUPPLIES", source="a", target="a", sources=("x",))


def test_models_are_frozen():
    firm = Firm(id="x", name_zh="某公司", sources=("s",))
    with pytest.raises(ValidationError):
        firm.name_zh = "别的"  # type: ignore[misc]


def test_cluster_list_years_and_figures():
    c = Cluster(
        id="nev",
        name_zh="新能源汽车",
        sources=("s",),
        listings=(
            {"list_year": 2024, "name_as_published": "x", "sources": ("s",)},
            {"list_year": 2022, "name_as_published": "y", "sources": ("s",)},
        ),
        figures=(Figure(year=2021, metric="output", value=1300, unit="亿元", qualifier=">", sources=("s",)),),
    )
    assert c.list_years == (2022, 2024)
    with pytest.raises(ValidationError):
        Figure(year=2021, metric="output", value=1, unit="亿元", sources=())


def test_source_dates_are_checked():
    with pytest.raises(ValidationError, match="YYYY"):
        Source(id="s", name_zh="来源", date="2022/09/27")
