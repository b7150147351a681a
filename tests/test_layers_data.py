"""The bundled projects, tiers, policies, platforms and completeness figures: sourced, and as the sources say."""

from __future__ import annotations

import pytest

from graph.dataset import Dataset
from graph.model import Cluster, Edge, Firm, Policy, Project, Tier
from queries.completeness import completeness
from queries.policies import policy_gaps
from queries.projects import list_projects

CHAMPION_TIERS = {"tier-champion-firm", "tier-champion-product"}


def test_the_catl_liyang_project_exists_with_its_source(bundled: Dataset):
    project = bundled.nodes["prj-catl-liyang"]
    assert isinstance(project, Project)
    assert (project.investment_amount, project.investment_currency.value, project.investment_qualifier) == (
        400.0,
        "CNY",
        ">",
    )
    assert "s20-kjj-2024-02" in project.sources and bundled.nodes["s20-kjj-2024-02"].kind == "Source"
    links = {(e.kind.value, e.target) for e in bundled.edges.values() if e.source == project.id}
    assert {("BUILT_BY", "catl-jiangsu"), ("PROJECT_IN", "nev-battery-cell"), ("SITED_IN", "liyang")} <= links


def test_xingyu_holds_single_champion_from_2021(bundled: Dataset):
    edge = bundled.edges[("HOLDS_TIER", "xingyu", "tier-champion-firm")]
    assert (edge.year, edge.batch) == (2021, 6)
    assert "s56-xingyu-2021-11" in edge.sources
    tier = bundled.nodes["tier-champion-firm"]
    assert isinstance(tier, Tier) and tier.level.value == "national"


@pytest.mark.parametrize(
    ("firm", "tier", "year", "batch"),
    [
        ("hengli-hydraulic", "tier-champion-firm", 2024, 8),
        ("kaida-heavy", "tier-champion-firm", 2024, 8),
        ("star-charge", "tier-champion-firm", None, 5),
        ("fangxing-precision", "tier-champion-product", 2022, 7),
    ],
)
def test_named_tier_holders(bundled: Dataset, firm, tier, year, batch):
    edge = bundled.edges[("HOLDS_TIER", firm, tier)]
    assert (edge.year, edge.batch) == (year, batch)


def test_tier_holders_agree_with_the_firms_tags(bundled: Dataset):
    for edge in bundled.edges_of("HOLDS_TIER"):
        firm = bundled.nodes[edge.source]
        assert isinstance(firm, Firm)
        if edge.target in CHAMPION_TIERS:
            assert "单项冠军" in firm.tags, firm.id
        if edge.target == "tier-little-giant-national":
            assert "专精特新小巨人" in firm.tags, firm.id
    tagged = {f.id for f in bundled.of_kind("Firm") if isinstance(f, Firm) and "单项冠军" in f.tags}
    holders = {e.source for e in bundled.edges_of("HOLDS_TIER") if e.target in CHAMPION_TIERS}
    assert tagged == holders


def test_the_reply_rewards_are_a_policy_with_three_amounts(bundled: Dataset):
    policy = bundled.nodes["pol-zjtx-rewards"]
    assert isinstance(policy, Policy) and policy.sources == ("reply-2022-56",)
    rewards = {(i.tier_id, i.amount, i.unit, i.qualifier) for i in policy.instruments if i.kind.value == "reward"}
    assert rewards == {
        ("tier-champion-firm", 200.0, "万元", "≤"),
        ("tier-little-giant-national", 100.0, "万元", "≤"),
        ("tier-little-giant-jiangsu", 50.0, "万元", "≤"),
    }
    funds = bundled.nodes["pol-policy-funds"]
    assert isinstance(funds, Policy)
    assert (funds.instruments[0].amount, funds.instruments[0].unit, funds.instruments[0].qualifier) == (
        500,
        "亿元",
        "≥",
    )
    plan = bundled.nodes["pol-zjtx-action-plan"]
    assert isinstance(plan, Policy) and plan.date == "2022-01" and "26条" in plan.description


def test_every_layer_fact_is_sourced_or_says_why_not(bundled: Dataset):
    kinds = {"Project", "Policy", "Tier", "Platform"}
    for node in bundled.nodes.values():
        if node.kind in kinds:
            assert node.sources, node.id
    layer_edges = {
        "BUILT_BY",
        "PROJECT_IN",
        "SITED_IN",
        "HOLDS_TIER",
        "TARGETS_TIER",
        "TARGETS_CLUSTER",
        "TARGETS_SEGMENT",
        "RUNS",
    }
    for edge in bundled.edges.values():
        if edge.kind.value in layer_edges:
            assert isinstance(edge, Edge) and edge.sources, edge.key
            if edge.confidence.value == "unverified":
                assert edge.note, edge.key


def test_every_project_has_a_segment(bundled: Dataset):
    placed = {e.source for e in bundled.edges_of("PROJECT_IN")}
    assert {n.id for n in bundled.of_kind("Project")} == placed


def test_published_battery_completeness_figures(bundled: Dataset):
    nev = bundled.nodes["nev"]
    assert isinstance(nev, Cluster)
    figures = {f.year: f for f in nev.figures if f.metric == "battery_chain_completeness"}
    assert (figures[2022].value, figures[2023].value) == (94, 97)
    assert "s22-thepaper-2022" in figures[2022].sources
    assert "nev-battery-cell" in figures[2022].scope and "nev-vehicle" not in figures[2022].scope


def test_completeness_is_set_beside_the_published_figures(bundled_store):
    c = completeness(bundled_store, "nev")
    published = {p["year"]: p for p in c["published"]}
    assert set(published) >= {2022, 2023}
    for p in published.values():
        assert 0 < p["computed"]["share"] <= 1
        assert p["difference_pp"] == round(p["computed"]["share"] * 100 - p["value"], 1)
        assert p["note_zh"] and p["note_en"]
    years = [y["year"] for y in c["years"]]
    assert years == list(range(years[0], years[-1] + 1)) and 2022 in years
    by_year = {y["year"]: y for y in c["years"]}
    assert "nev-recycling" in by_year[2024]["missing"] and "nev-recycling" not in by_year[2025]["missing"]


def test_projects_and_policy_gaps_on_the_bundled_data(bundled_store):
    liyang = list_projects(bundled_store, district="liyang", limit=100)["items"]
    assert "prj-catl-liyang" in {p["id"] for p in liyang}
    recycling = next(g for g in policy_gaps(bundled_store, cluster="nev") if g["segment_id"] == "nev-recycling")
    assert "pol-wujin-nev-parts" in {t["id"] for t in recycling["targeted_by"]}
    untargeted = policy_gaps(bundled_store, untargeted=True)
    assert untargeted and all(not g["targeted_by"] for g in untargeted)
