"""A health answer's ``terms``: the score recomputed from them, for every cluster, in the queries and the API.

``weights`` and ``weighted`` key the solid-share term ``weak_links`` (kept for compatibility), while
``components.weak_links`` is a count of weak segments: Σ weights[k]·components[k] is not the score.
``terms`` names the component each weight multiplies, so the recomputation is unambiguous.
"""

from __future__ import annotations

from typing import Any

import pytest

from queries.health import HEALTH_WEIGHTS, health, health_ranking

TERM_KEYS = ["coverage", "anchor_coverage", "solid_share", "concentration"]
"""The component each weight multiplies, in the order of the formula (docs/analysis.md §7)."""


def recompute_errors(item: dict[str, Any]) -> list[str]:
    """What a consumer recomputing ``item``'s score from its ``terms`` would find wrong (empty: nothing)."""
    errors = []
    terms = item["terms"]
    if [t["key"] for t in terms] != TERM_KEYS:
        errors.append(f"term keys {[t['key'] for t in terms]}, expected {TERM_KEYS}")
    for t in terms:
        component = item["components"][t["key"]]
        expected_value = 1 - component if t["complement"] else component
        if abs(t["value"] - expected_value) > 1e-6:
            errors.append(f"{t['key']}: value {t['value']}, components give {expected_value}")
        if abs(t["weight"] * t["value"] - t["weighted"]) > 1e-6:
            errors.append(f"{t['key']}: weight × value {t['weight'] * t['value']} ≠ weighted {t['weighted']}")
        if t["weighted"] != item["weighted"][t["weights_key"]] or t["weight"] != item["weights"][t["weights_key"]]:
            errors.append(f"{t['key']}: not the `{t['weights_key']}` of weights/weighted")
    total = sum(t["weight"] * t["value"] for t in terms)
    if abs(total - item["score"]) > 2.5e-6:  # four terms rounded to six decimals: at most 2e-6 apart
        errors.append(f"Σ weight × value = {total}, score {item['score']}")
    if abs(sum(t["weighted"] for t in terms) - item["score"]) > 2.5e-6:
        errors.append(f"Σ weighted = {sum(t['weighted'] for t in terms)}, score {item['score']}")
    return errors


def test_tiny_chain_terms_by_hand(tiny_store):
    h = health(tiny_store, "t-nev")
    # as in test_queries_health: coverage 5/7, anchor coverage 2/7, solid share 2/7, concentration 6/7
    assert [(t["key"], t["weights_key"], t["weight"], t["value"], t["weighted"]) for t in h["terms"]] == [
        ("coverage", "coverage", 0.4, 0.714286, 0.285714),
        ("anchor_coverage", "anchor_coverage", 0.25, 0.285714, 0.071429),
        ("solid_share", "weak_links", 0.2, 0.285714, 0.057143),
        ("concentration", "concentration", 0.15, 0.142857, 0.021429),
    ]
    assert [t["complement"] for t in h["terms"]] == [False, False, False, True]
    assert h["components"]["weak_links"] == h["counts"]["weak"] == 3, "components.weak_links stays the count"
    assert recompute_errors(h) == []


def test_every_bundled_cluster_recomputes_from_its_terms(bundled_store):
    ranking = health_ranking(bundled_store)
    assert len(ranking) == 11
    problems = {h["cluster_id"]: recompute_errors(h) for h in ranking}
    assert {c: p for c, p in problems.items() if p} == {}
    for h in ranking:
        assert set(h["weights"]) == set(h["weighted"]) == set(HEALTH_WEIGHTS), "the old keys are kept"
        assert h["components"]["weak_links"] == h["counts"]["weak"]
        assert {t["label_zh"] for t in h["terms"]} >= {"稳固环节占比"} and all(t["label_en"] for t in h["terms"])


def test_the_naive_sum_over_shared_keys_is_not_the_score(bundled_store):
    """Why ``terms`` exists: the keys shared by ``weights`` and ``components`` do not pair up for NEV."""
    h = health(bundled_store, "nev")
    naive = sum(w * h["components"][k] for k, w in h["weights"].items())
    assert h["components"]["weak_links"] > 1 and abs(naive - h["score"]) > 0.5
    assert sum(t["weight"] * t["value"] for t in h["terms"]) == pytest.approx(h["score"], abs=2e-6)


def test_api_health_and_ranking_carry_the_terms(api_client):
    ranking = api_client.get("/api/v1/health-ranking", params={"limit": 500}).json()
    assert ranking["total"] == len(ranking["items"]) == 11
    assert {i["cluster_id"]: recompute_errors(i) for i in ranking["items"] if recompute_errors(i)} == {}
    one = api_client.get("/api/v1/clusters/nev/health").json()
    assert one["terms"] == next(i for i in ranking["items"] if i["cluster_id"] == "nev")["terms"]
    schema = api_client.get("/openapi.json").json()["components"]["schemas"]
    assert "solid_share" in schema["HealthTerms"]["properties"]["weak_links"]["description"]
    assert set(schema["HealthTerm"]["required"]) >= {"key", "weights_key", "weight", "value", "weighted"}
