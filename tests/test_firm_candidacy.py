"""Review 16a H4: looking up a firm to attract says so: its ranks among the targets and the gaps it would fill.

阳光电源 was the new-energy cluster's first target, and its firm page never said it. ``candidacy`` on
``GET /api/v1/firms/{id}`` (:func:`queries.candidacy.firm_candidacy`) reads the same rankings as the targets: the
city's, each cluster's, and the gaps with the firm's score and rank there; a firm that fills no gap has none.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.memory_store import MemoryStore
from queries.candidacy import GAP_FIELDS, firm_candidacy
from queries.targets import targets


def test_the_first_new_energy_target_says_it_is(api_client: Any) -> None:
    body = api_client.get("/api/v1/firms/sungrow").json()
    candidacy = body["candidacy"]
    cluster_list = api_client.get("/api/v1/clusters/new-energy/targets", params={"limit": 500}).json()
    assert cluster_list["items"][0]["firm_id"] == "sungrow"
    assert {"cluster_id": "new-energy", "rank": 1, "tied_with": 0} == {
        k: v for k, v in candidacy["clusters"][0].items() if k in ("cluster_id", "rank", "tied_with")
    }
    assert candidacy["clusters"][0]["of"] == cluster_list["total"]
    city = api_client.get("/api/v1/targets", params={"limit": 500}).json()
    item = next(t for t in city["items"] if t["firm_id"] == "sungrow")
    assert candidacy["city"] == {
        "rank": item["rank"],
        "tied_with": item["tied_with"],
        "of": city["total"],
        "priority": item["priority"],
    }
    assert candidacy["gaps"] == [{k: g[k] for k in GAP_FIELDS} for g in item["gaps"]]
    assert candidacy["explanation_zh"] == item["explanation_zh"]


def test_every_target_has_the_ranks_of_every_list_it_is_in(bundled_store: MemoryStore) -> None:
    city = targets(bundled_store)
    per_cluster = {}
    for item in city:
        c = firm_candidacy(bundled_store, item["firm_id"])
        assert c is not None and c["city"]["rank"] == item["rank"], item["firm_id"]
        for place in c["clusters"]:
            cid = place["cluster_id"]
            if cid not in per_cluster:
                per_cluster[cid] = {t["firm_id"]: t["rank"] for t in targets(bundled_store, cid)}
            assert per_cluster[cid][item["firm_id"]] == place["rank"]
        assert {p["cluster_id"] for p in c["clusters"]} == set(item["cluster_ids"])


@pytest.mark.parametrize("firm_id", ["xingyu", "catl-jiangsu", "li-auto"])
def test_a_local_firm_is_no_candidate(api_client: Any, firm_id: str) -> None:
    assert api_client.get(f"/api/v1/firms/{firm_id}").json()["candidacy"] is None


def test_the_answer_is_a_copy(bundled_store: MemoryStore) -> None:
    first = firm_candidacy(bundled_store, "sungrow")
    assert first is not None
    first["gaps"].clear()
    assert firm_candidacy(bundled_store, "sungrow")["gaps"]


def _panel(store: MemoryStore, firm_id: str) -> dict[str, dict[str, Any]]:
    from tests.view_support import rendered_view

    data, _ = rendered_view(store, "firm", firm_id)
    centre = next(n for n in data["nodes"] if n["id"] == firm_id)
    return {s["title"]: s for s in centre["info"]["sections"]}


def test_the_firm_view_says_whom_to_attract_and_drops_an_empty_what_if(bundled_store: MemoryStore) -> None:
    from viz.firm import CANDIDACY_TITLE, WHAT_IF_TITLE

    candidacy = firm_candidacy(bundled_store, "sungrow")
    assert candidacy is not None
    sections = _panel(bundled_store, "sungrow")
    items = sections[CANDIDACY_TITLE[0]]["items"]
    city = candidacy["city"]
    assert items[0]["text_en"] == f"City-wide: #{city['rank']} of {city['of']} (priority {city['priority']:.2f})"
    assert ["cluster", "new-energy"] in [i.get("ref") for i in items]
    assert {g["segment_id"] for g in candidacy["gaps"]} <= {
        i["ref"][1] for i in items if i.get("ref", [""])[0] == "segment"
    }
    # an outside firm with no unit in Changzhou: leaving changes nothing local, so no "if this firm left"
    assert WHAT_IF_TITLE[0] not in sections
    local = _panel(bundled_store, "xingyu")
    assert CANDIDACY_TITLE[0] not in local and WHAT_IF_TITLE[0] in local


def test_the_cli_firm_page_says_whom_to_attract(capsys: Any, bundled_store: MemoryStore) -> None:
    from chainkg.cli import main

    candidacy = firm_candidacy(bundled_store, "sungrow")
    assert candidacy is not None
    assert main(["firm", "sungrow", "--lang", "en"]) == 0
    out = capsys.readouterr().out
    place = candidacy["clusters"][0]
    assert "a firm to attract" in out and f"#{place['rank']} of {place['of']}" in out
    assert all(f"- {g['segment_id']} " in out for g in candidacy["gaps"])
    assert main(["firm", "xingyu"]) == 0
    assert "招商：先找谁" not in capsys.readouterr().out


def test_the_segment_views_candidate_panel_gives_the_hq(bundled_store: MemoryStore) -> None:
    """Review 16a L5: the candidate panel had rank, score and reasons but not where the firm is."""
    from queries.candidates import candidates
    from tests.view_support import rendered_view

    data, _ = rendered_view(bundled_store, "segment", "nev-copper-foil")
    nodes = {n["id"]: n for n in data["nodes"]}
    for cand in candidates(bundled_store, "nev-copper-foil"):
        fields = {f[0]: f[1:] for f in nodes[cand["firm_id"]]["info"]["fields"]}
        # rendered as [label, value, English label, English value]
        assert fields["总部 HQ"] == [cand["hq"] or "未注明", "HQ", cand["hq_en"] or cand["hq"] or "not given"]
