"""The typed model rejects what it must."""

import pytest
from pydantic import ValidationError

from graph.fixtures import tiny_chain
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


def test_dataset_problems_name_each_bad_reference():
    ds = tiny_chain()
    firm = next(n for n in ds.nodes.values() if isinstance(n, Firm))
    segment = next(n for n in ds.nodes.values() if isinstance(n, Segment))
    assert ds.problems() == []
    ds.add_edge(Edge(kind="OPERATES_IN", source=firm.id, target="nowhere", role="member", sources=("s-tiny",)))
    ds.add_edge(Edge(kind="PART_OF", source=firm.id, target=segment.id, sources=("s-gone",)))
    ds.nodes[firm.id] = firm.model_copy(update={"sources": ("s-tiny", "s-lost")})
    problems = ds.problems()
    assert f"OPERATES_IN {firm.id}->nowhere: unknown node 'nowhere'" in problems
    assert f"PART_OF {firm.id}->{segment.id}: {firm.id!r} is a Firm, expected Segment" in problems
    assert f"PART_OF {firm.id}->{segment.id}: {segment.id!r} is a Segment, expected Cluster" in problems
    assert f"PART_OF {firm.id}->{segment.id} cites unknown source 's-gone'" in problems
    assert f"Firm {firm.id!r} cites unknown source 's-lost'" in problems
    assert len(problems) == 5


def test_dataset_fingerprint_follows_every_fact_and_only_facts():
    first, second = tiny_chain(), tiny_chain()
    assert first.fingerprint() == second.fingerprint()
    firm = next(n for n in second.nodes.values() if isinstance(n, Firm))
    second.nodes[firm.id] = firm.model_copy(update={"name_en": (firm.name_en or "") + " Co."})
    assert first.fingerprint() != second.fingerprint()
    third = tiny_chain()
    edge_key, edge = next(iter(third.edges.items()))
    third.edges[edge_key] = edge.model_copy(update={"note": "changed"})
    assert third.fingerprint() not in {first.fingerprint(), second.fingerprint()}
