"""Projects, tiers, policies, platforms and completeness on the small fixture (``graph.fixtures.tiny_layers``).

Every expected value is worked out by hand from the fixture's docstring.
"""

from __future__ import annotations

import pytest

from graph.errors import InvalidQuery, NodeNotFound
from graph.fixtures import tiny_chain, tiny_layers
from graph.memory_store import MemoryStore
from graph.model import Edge, EdgeKind
from queries.completeness import completeness
from queries.firms import FirmFilter, get_firm, list_firms
from queries.gaps import gaps
from queries.platforms import list_platforms
from queries.policies import get_policy, list_policies, policy_gaps
from queries.projects import get_project, list_projects
from queries.tiers import get_tier, list_tiers, tiers_of_firm


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(tiny_layers())


def ids(items):
    return [i["id"] for i in items]


# -- projects -------------------------------------------------------------------------


def test_projects_by_cluster_segment_year_and_district(store):
    assert ids(list_projects(store, cluster="t-nev")["items"]) == [
        "prj-cell-1",
        "prj-cell-2",
        "prj-lithium",
        "prj-recycle",
    ]
    assert ids(list_projects(store, segment="t-cell")["items"]) == ["prj-cell-1", "prj-cell-2"]
    assert ids(list_projects(store, segment="t-pack")["items"]) == ["prj-cell-2"]
    assert ids(list_projects(store, year=2021)["items"]) == ["prj-cell-2"]
    assert ids(list_projects(store, district="d-wujin")["items"]) == ["prj-lithium", "prj-recycle"]
    assert ids(list_projects(store, district="d-liyang", year=2016)["items"]) == ["prj-cell-1"]
    assert ids(list_projects(store, firm="f-cell-a", status="started")["items"]) == ["prj-cell-2"]
    assert list_projects(store, segment="t-vehicle")["total"] == 0


def test_project_items_carry_investment_links_and_filled_links(store):
    page = list_projects(store, limit=2, offset=1)
    assert page["total"] == 4 and ids(page["items"]) == ["prj-cell-2", "prj-lithium"]
    cell2, lithium = page["items"]
    assert cell2["investment"] == {"amount": 120.0, "unit": "亿", "currency": "CNY", "qualifier": "≈"}
    assert cell2["investment_text"] == "约120亿元"
    assert [s["id"] for s in cell2["segments"]] == ["t-cell", "t-pack"]
    assert [f["id"] for f in cell2["firms"]] == ["f-cell-a"] and cell2["firms"][0]["is_local"] is True
    assert cell2["fills_links"] == []  # other local firms were in t-cell and t-pack already
    assert lithium["investment_text"] == "3亿美元" and lithium["firms"] == []
    assert lithium["fills_links"] == ["t-lithium"]  # nothing local in lithium salts but the project


def test_one_project_with_its_links_and_sources(store):
    detail = get_project(store, "prj-cell-1")
    assert [(link["kind"], link["target"]) for link in detail["links"]] == [
        ("BUILT_BY", "f-cell-a"),
        ("PROJECT_IN", "t-cell"),
        ("SITED_IN", "d-liyang"),
    ]
    assert [s["id"] for s in detail["sources_ref"]] == ["s-tiny"]
    with pytest.raises(NodeNotFound) as err:
        get_project(store, "prj-cell")
    assert "prj-cell-1" in err.value.suggestions


def test_project_filters_are_checked(store):
    with pytest.raises(InvalidQuery):
        list_projects(store, status="dreaming")
    with pytest.raises(InvalidQuery):
        list_projects(store, year=1800)
    with pytest.raises(NodeNotFound):
        list_projects(store, district="d-nowhere")


# -- tiers ----------------------------------------------------------------------------


def test_tiers_with_holders_as_of_a_year(store):
    tiers = {t["id"]: t for t in list_tiers(store)}
    assert list(tiers) == ["tier-champion", "tier-giant", "tier-giant-prov"]  # national first
    assert (tiers["tier-champion"]["holder_count"], tiers["tier-champion"]["local_holder_count"]) == (2, 1)
    assert tiers["tier-champion"]["batches"] == [{"batch": 4, "year": 2019}, {"batch": 6, "year": 2021}]
    early = {t["id"]: t["holder_count"] for t in list_tiers(store, year=2020)}
    assert early == {"tier-champion": 1, "tier-giant": 1, "tier-giant-prov": 0}
    assert {t["undated_holder_count"] for t in list_tiers(store)} == {0}  # every holding here gives a year


@pytest.fixture(scope="module")
def undated_store() -> MemoryStore:
    """The fixture plus one holding with no year: local f-pack-a holds tier-champion (invented, for the test)."""
    dataset = tiny_layers()
    dataset.add_edge(Edge(kind=EdgeKind.HOLDS_TIER, source="f-pack-a", target="tier-champion", sources=["s-tiny"]))
    return MemoryStore(dataset)


def test_undated_holders_count_in_every_year_and_are_counted_apart(undated_store):
    """An undated holding counted in ``--year 1991`` as if known; ``undated_holder_count`` now says so."""
    counts = {t["id"]: (t["holder_count"], t["undated_holder_count"]) for t in list_tiers(undated_store)}
    assert counts == {"tier-champion": (3, 1), "tier-giant": (1, 0), "tier-giant-prov": (1, 0)}
    early = {t["id"]: (t["holder_count"], t["undated_holder_count"]) for t in list_tiers(undated_store, year=1991)}
    assert early == {"tier-champion": (1, 1), "tier-giant": (0, 0), "tier-giant-prov": (0, 0)}
    tier = get_tier(undated_store, "tier-champion", year=2020)
    assert (tier["holder_count"], tier["local_holder_count"], tier["undated_holder_count"]) == (2, 1, 1)
    assert [(h["id"], h["year"]) for h in tier["holders"]] == [("o-lith-a", 2019), ("f-pack-a", None)]


@pytest.mark.parametrize("year", [None, 1991, 2019, 2020, 2021, 2100])
def test_undated_holders_are_never_more_than_the_holders(undated_store, year):
    for tier in list_tiers(undated_store, year=year):
        detail = get_tier(undated_store, tier["id"], year=year)
        assert detail["undated_holder_count"] == tier["undated_holder_count"]
        assert 0 <= tier["undated_holder_count"] <= tier["holder_count"]
        assert tier["undated_holder_count"] == sum(h["year"] is None for h in detail["holders"])


def test_one_tier_lists_holders_with_year_and_batch_and_its_policies(store):
    tier = get_tier(store, "tier-champion")
    assert [(h["id"], h["year"], h["batch"], h["is_local"]) for h in tier["holders"]] == [
        ("o-lith-a", 2019, 4, False),
        ("f-cell-a", 2021, 6, True),
    ]
    assert [p["id"] for p in tier["policies"]] == ["pol-reward"]
    assert [(i["amount"], i["unit"], i["amount_text"]) for i in tier["policies"][0]["instruments"]] == [
        (200.0, "万元", "最高200万元")
    ]
    assert [h["id"] for h in get_tier(store, "tier-champion", year=2020)["holders"]] == ["o-lith-a"]


def test_firms_by_tier_and_a_firms_tiers(store):
    assert ids(list_firms(store, FirmFilter(tier="tier-champion"))["items"]) == ["f-cell-a", "o-lith-a"]
    assert ids(list_firms(store, FirmFilter(tier="tier-champion", local=True))["items"]) == ["f-cell-a"]
    assert ids(list_firms(store, FirmFilter(tier="tier-champion", segment="t-lithium"))["items"]) == ["o-lith-a"]
    assert [(t["tier_id"], t["year"], t["batch"]) for t in tiers_of_firm(store, "f-pack-a")] == [
        ("tier-giant-prov", 2023, None)
    ]
    assert get_firm(store, "f-cell-a")["tiers"][0] | {"name_zh": ""} == {
        "id": "tier-champion",
        "name_zh": "",
        "name_en": "",
        "year": 2021,
        "batch": 6,
        "sources": ["s-tiny"],
        "confidence": "sourced",
    }
    with pytest.raises(NodeNotFound):
        list_firms(store, FirmFilter(tier="tier-none"))


# -- policies -------------------------------------------------------------------------


def test_policies_with_instruments_and_targets(store):
    items = {p["id"]: p for p in list_policies(store)["items"]}
    assert list(items) == ["pol-capital", "pol-recycling", "pol-reward"]
    reward = items["pol-reward"]
    assert [(i["tier_id"], i["amount_text"]) for i in reward["instruments"]] == [
        ("tier-champion", "最高200万元"),
        ("tier-giant", "最高100万元"),
        ("tier-giant-prov", "最高50万元"),
    ]
    assert ids(reward["targets"]["tiers"]) == ["tier-champion", "tier-giant", "tier-giant-prov"]
    assert items["pol-capital"]["instruments"][0]["amount_text"] == "500亿元以上"
    assert ids(list_policies(store, tier="tier-giant")["items"]) == ["pol-reward"]
    assert ids(list_policies(store, cluster="t-nev")["items"]) == ["pol-capital", "pol-recycling"]
    assert ids(list_policies(store, segment="t-cell")["items"]) == ["pol-capital"]


def test_which_gaps_a_policy_targets(store):
    recycling = get_policy(store, "pol-recycling")
    assert [g["segment_id"] for g in recycling["targeted_gaps"]] == ["t-recycling"]
    capital = get_policy(store, "pol-capital")
    assert capital["targeted_gaps"] == [] and capital["cluster_gaps"] == {"t-nev": 5}
    reward = get_policy(store, "pol-reward")
    assert reward["targeted_gaps"] == []
    assert reward["tier_holders"] == {"tier-champion": 2, "tier-giant": 1, "tier-giant-prov": 1}
    assert get_policy(store, "pol-reward", year=2020)["tier_holders"]["tier-giant-prov"] == 0


def test_which_gaps_no_policy_targets(store):
    every = [g["segment_id"] for g in gaps(store, cluster="t-nev")]
    untargeted = policy_gaps(store, cluster="t-nev", untargeted=True)
    targeted = policy_gaps(store, cluster="t-nev", untargeted=False)
    assert [g["segment_id"] for g in targeted] == ["t-recycling"]
    assert [g["segment_id"] for g in untargeted] == [s for s in every if s != "t-recycling"]
    assert targeted[0]["targeted_by"] == [
        {"id": "pol-recycling", "name_zh": "回收补链方案", "name_en": "", "via": "segment", "target": "t-recycling"}
    ]
    assert all(ids(g["cluster_policies"]) == ["pol-capital"] for g in untargeted)
    assert len(policy_gaps(store, cluster="t-nev")) == len(every)


def test_a_policy_on_a_parent_segment_targets_its_children():
    ds = tiny_layers()
    from graph.model import Edge, Segment

    ds.nodes["t-lithium"] = Segment(**{**ds.nodes["t-lithium"].model_dump(), "parent_id": "t-cathode"})
    ds.add_edge(Edge(kind="TARGETS_SEGMENT", source="pol-capital", target="t-cathode", sources=("s-tiny",)))
    store = MemoryStore(ds)
    lithium = next(g for g in policy_gaps(store, cluster="t-nev") if g["segment_id"] == "t-lithium")
    assert [(t["id"], t["via"], t["target"]) for t in lithium["targeted_by"]] == [
        ("pol-capital", "parent_segment", "t-cathode")
    ]


# -- platforms ------------------------------------------------------------------------


def test_platforms_and_who_runs_them(store):
    assert list_platforms(store)[0]["firms"] == [
        {"id": "f-cell-a", "name_zh": "甲电池", "name_en": "Jia Cell", "year": 2022}
    ]
    assert list_platforms(store, "industrial_internet_platform") == []
    with pytest.raises(InvalidQuery):
        list_platforms(store, "castle")


# -- completeness ---------------------------------------------------------------------


def test_completeness_per_year_counts_firms_and_started_projects(store):
    c = completeness(store, "t-nev")
    series = {y["year"]: (y["segments_present"], y["segments_total"], y["share"]) for y in c["years"]}
    assert min(series) == 2016 and max(series) == 2024  # first project ... last project
    assert series[2022] == (5, 7, 0.714286)  # lithium and recycling missing
    assert series[2023] == (6, 7, 0.857143)  # the lithium project started in 2023
    assert series[2024] == (6, 7, 0.857143)  # the recycling project is only signed
    assert c["current"]["missing"] == ["t-recycling"]
    assert [y["added"] for y in c["years"] if y["added"]] == [["t-lithium"]]


def test_completeness_beside_the_published_figure(store):
    (published,) = completeness(store, "t-nev")["published"]
    assert published["metric"] == "battery_chain_completeness" and published["value"] == 80.0
    # scope: lithium, cathode, anode, cell, pack, recycling; in 2022 lithium and recycling are missing
    assert published["computed"] == {
        "share": 0.666667,
        "segments_present": 4,
        "segments_total": 6,
        "missing": ["t-lithium", "t-recycling"],
    }
    assert published["difference_pp"] == -13.3
    assert "80%" in published["note_zh"] and "-13.3" in published["note_en"]
    for missing in published["computed"]["missing"]:  # each side names the missing segments in its language
        segment = store.node(missing)
        assert segment.name_zh in published["note_zh"]
        assert segment.name_en in published["note_en"] and missing not in published["note_en"]


def test_each_published_row_says_only_what_is_its_own():
    """Every published row repeated one long paragraph (method, caveats, undated facts); now a row gives its
    figures and either the missing segments (first row of a metric) or what changed since the previous row,
    and ``published_note_*`` gives the shared explanation once."""
    ds = tiny_layers()
    cluster = ds.nodes["t-nev"]
    (first,) = [f for f in cluster.figures if f.metric == "battery_chain_completeness"]
    later = [first.model_copy(update={"year": 2023, "value": 90}), first.model_copy(update={"year": 2024, "value": 90})]
    ds.nodes["t-nev"] = cluster.model_copy(update={"figures": (*cluster.figures, *later)})
    store = MemoryStore(ds)
    c = completeness(store, "t-nev")
    rows = c["published"]
    assert [p["year"] for p in rows] == [2022, 2023, 2024]
    lithium, recycling = store.node("t-lithium"), store.node("t-recycling")
    # 2022: lithium and recycling missing; 2023: the lithium project has started; 2024: recycling is only signed
    assert "缺少：" in rows[0]["note_zh"] and lithium.name_zh in rows[0]["note_zh"]
    assert recycling.name_en in rows[0]["note_en"]
    assert f"较 2022 年新增：{lithium.name_zh}（仍缺 1 个）" in rows[1]["note_zh"]
    assert f"Added since 2022: {lithium.name_en} (1 still missing)" in rows[1]["note_en"]
    assert recycling.name_zh not in rows[1]["note_zh"]
    assert rows[2]["note_zh"].endswith("缺少的环节与 2023 年相同。")
    assert rows[2]["note_en"].endswith("Same missing segments as 2023.")
    assert "5/6" in rows[2]["note_zh"] and "-6.7" in rows[2]["note_en"]  # 5 of the 6: 83.3% - 90%
    shared_zh, shared_en = c["published_note_zh"], c["published_note_en"]
    assert "未公布清单" in shared_zh and "the list is not published" in shared_en
    for row in rows:  # the shared explanation is given once, not in a row
        assert "未公布清单" not in row["note_zh"] and "not published" not in row["note_en"]
        assert len(row["note_zh"]) < len(shared_zh)


def test_no_published_figure_no_shared_explanation():
    c = completeness(MemoryStore(tiny_chain()), "t-nev")
    assert c["published"] == [] and c["published_note_zh"] == "" and c["published_note_en"] == ""


def test_completeness_over_chosen_segments_and_years(store):
    c = completeness(store, "t-nev", ["t-lithium", "t-cell"], 2022, 2023)
    assert [(y["year"], y["segments_present"], y["segments_total"]) for y in c["years"]] == [(2022, 1, 2), (2023, 2, 2)]
    assert c["scope"] == {"segments": ["t-cell", "t-lithium"], "segments_total": 2, "whole_cluster": False}
    with pytest.raises(InvalidQuery, match="after"):  # years in the wrong order are a mistake, not an empty answer
        completeness(store, "t-nev", None, 2024, 2020)
    with pytest.raises(NodeNotFound):
        completeness(store, "t-nev", ["t-nothing"])
    with pytest.raises(NodeNotFound):
        completeness(store, "t-xyz")


def test_completeness_without_layers_is_the_health_coverage():
    from queries.health import health

    store = MemoryStore(tiny_chain())
    c = completeness(store, "t-nev")
    assert c["years"] == [] and c["published"] == []
    assert c["current"]["share"] == health(store, "t-nev")["components"]["coverage"]


def test_existing_queries_still_work_with_the_layers(store):
    from queries.chain import chain
    from queries.clusters import list_clusters

    plain = MemoryStore(tiny_chain())
    # a policy that targets a segment only explains its gap (review 15a): the reason and a closing sentence
    with_layers = gaps(store)
    named = [g for g in with_layers if any(r["code"] == "named_by_policy" for r in g["reasons"])]
    assert named, "the tiny layers have a policy targeting a gap"

    def unexplained(items: list[dict]) -> list[dict]:
        out = []
        for g in items:
            cut = {"reasons": [r for r in g["reasons"] if r["code"] != "named_by_policy"]}
            cut["explanation_zh"] = g["explanation_zh"].split("已列入政策：")[0]
            cut["explanation_en"] = g["explanation_en"].split(" Named by a published plan:")[0]
            out.append({**g, **cut})
        return out

    assert unexplained(with_layers) == gaps(plain)
    assert chain(store, "t-nev")["segments"] == chain(plain, "t-nev")["segments"]
    assert list_clusters(store)[0]["segment_count"] == list_clusters(plain)[0]["segment_count"]
    counts = store.counts()
    assert counts["nodes"]["Project"] == 4 and counts["edges"]["HOLDS_TIER"] == 4
