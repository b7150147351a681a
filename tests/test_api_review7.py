"""Review 7, findings 8, 11, 12 and 13: the API and the command line agree on gap kinds in Chinese, on the
note of a what-if for a firm outside Changzhou, on the suggestions for an unknown segment, and ``year`` with a
different ``list_year`` on ``/api/v1/clusters`` is refused rather than intersected."""

from __future__ import annotations

import json
from typing import Any

import pytest

from api.problems import english_half
from chainkg.cli import main
from queries.gap_kinds import KIND_NAMES_ZH, KINDS
from queries.lookup import nearest_ids


def run_json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    assert main([*argv, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


# -- 8: Chinese gap kinds ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
@pytest.mark.parametrize(
    "path", ["/api/v1/gaps", "/api/v1/clusters/nev/gaps", "/api/v1/targets", "/api/v1/clusters/nev/targets"]
)
def test_a_chinese_gap_kind_is_the_english_one(api_client: Any, path: str, kind: str) -> None:
    english = api_client.get(path, params={"kind": kind})
    chinese = api_client.get(path, params={"kind": KIND_NAMES_ZH[kind]})
    assert english.status_code == chinese.status_code == 200
    assert chinese.json() == english.json()


def test_the_api_and_the_cli_answer_kind_断链_alike(api_client: Any, capsys: pytest.CaptureFixture[str]) -> None:
    body = api_client.get("/api/v1/clusters/nev/targets", params={"kind": "断链", "limit": 50}).json()
    assert body["items"], "nev has broken links with candidates"
    assert body == run_json(capsys, ["targets", "nev", "--kind", "断链"])
    gaps = api_client.get("/api/v1/clusters/nev/gaps", params={"kind": "断链"}).json()["items"]
    assert gaps and all("broken_link" in g["kinds"] for g in gaps)  # answers give the English id
    assert all(g["kind"] in KINDS for g in gaps)


def test_an_unknown_kind_is_a_422_listing_both_languages(api_client: Any) -> None:
    body = api_client.get("/api/v1/clusters/nev/targets", params={"kind": "缺口"}).json()
    assert body["status"] == 422 and body["type"].endswith("invalid-request")
    [error] = body["errors"]
    assert error["loc"] == ["query", "kind"] and error["type"] == "literal_error" and error["input"] == "缺口"
    for kind in KINDS:  # the msg in both languages; the detail its English half, the Chinese in detail_zh
        assert f"'{kind}'" in error["msg"] and f"{kind}（{KIND_NAMES_ZH[kind]}）" in error["msg"]
        assert f"{kind}（{KIND_NAMES_ZH[kind]}）" in body["detail_zh"]
    assert body["detail"] == f"query.kind: {english_half(error['msg'])} (got '缺口')"
    assert api_client.get("/api/v1/gaps", params={"kind": "Weak"}).status_code == 422  # ids are not case-folded


def test_the_openapi_kind_lists_the_chinese_aliases_too(api_client: Any) -> None:
    """Review 8, finding 6: the schema listed only the English ids, so a generated client refused 断链."""
    spec = api_client.get("/openapi.json").json()
    chinese = [KIND_NAMES_ZH[k] for k in KINDS]
    for path in (
        "/api/v1/gaps",
        "/api/v1/clusters/{cluster_id}/gaps",
        "/api/v1/targets",
        "/api/v1/clusters/{cluster_id}/targets",
    ):
        [kind] = [p for p in spec["paths"][path]["get"]["parameters"] if p["name"] == "kind"]
        enums = [s.get("enum") for s in kind["schema"]["anyOf"] if "enum" in s]
        assert enums == [[*KINDS, *chinese]], path
        assert all(f"{KIND_NAMES_ZH[k]} = `{k}`" in kind["description"] for k in KINDS)
        assert "Answers give the English id" in kind["description"]
        for value in enums[0]:  # every value the schema admits, the server takes
            assert api_client.get(path.replace("{cluster_id}", "nev"), params={"kind": value}).status_code == 200
    schemas = spec["components"]["schemas"]
    for model in ("GapItem", "TargetGap"):  # answers stay English: the named GapKind enum (review 15b, L4)
        assert schemas[model]["properties"]["kind"]["$ref"] == "#/components/schemas/GapKind", model
    assert schemas["GapKind"]["enum"] == list(KINDS)


# -- 11: the what-if note ------------------------------------------------------------------------


def test_a_what_if_for_an_outside_firm_says_why_nothing_changes(
    api_client: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    body = api_client.post("/api/v1/what-if", json={"remove": ["ganfeng"]}).json()
    assert body["removed"][0]["is_local"] is False and body["summary"]["changed_segments"] == 0
    [note] = body["notes"]
    assert note["code"] == "outside_firms" and note["firm_ids"] == ["ganfeng"]
    # ganfeng has no subsidiary here: the note says so instead of offering with_subsidiaries
    assert note["en"].startswith("ganfeng is outside Changzhou and has no subsidiary here in the data: leaving")
    assert note["zh"].startswith("ganfeng 不是常州本地企业") and "with_subsidiaries" not in note["en"]
    assert note["local_subsidiaries"] == {"ganfeng": []}
    assert run_json(capsys, ["what-if", "ganfeng"]) == body
    assert main(["what-if", "ganfeng"]) == 0
    [line] = [line for line in capsys.readouterr().out.splitlines() if line.startswith("注意：")]
    assert " / note: ganfeng is outside Changzhou and has no subsidiary here in the data" in line
    assert "--with-subsidiaries" not in line and line.startswith("注意：ganfeng 不是常州本地企业")


def outside_notes(body: dict[str, Any]) -> list[dict[str, Any]]:
    """The answer's ``outside_firms`` notes (review 15a added other codes, e.g. ``coverage_only`` for local firms)."""
    return [n for n in body["notes"] if n["code"] == "outside_firms"]


def test_a_what_if_note_only_when_it_is_needed(api_client: Any) -> None:
    local = api_client.post("/api/v1/what-if", json={"remove": ["li-auto"]}).json()
    assert outside_notes(local) == []
    group = api_client.post("/api/v1/what-if", json={"remove": ["catl"], "with_subsidiaries": True}).json()
    assert group["subsidiaries_added"] and outside_notes(group) == []  # its units here are removed: no such note
    lone = api_client.post("/api/v1/what-if", json={"remove": ["ganfeng"], "with_subsidiaries": True}).json()
    assert lone["subsidiaries_added"] == []
    [note] = lone["notes"]
    assert "has no subsidiary in the data" in note["en"] and "with_subsidiaries" not in note["en"]
    both = api_client.post("/api/v1/what-if", json={"remove": ["ganfeng", "li-auto"]}).json()
    assert [n["firm_ids"] for n in outside_notes(both)] == [["ganfeng"]]


# -- 12: suggestions for an unknown segment of a completeness scope -------------------------------


def test_an_unknown_scope_segment_gets_the_nearest_ids(
    api_client: Any, bundled_store: Any, capsys: pytest.CaptureFixture[str]
) -> None:
    body = api_client.get("/api/v1/clusters/nev/completeness", params={"segments": "nev-foo,nev-cathode"}).json()
    assert body["status"] == 404 and body["id"] == "nev-foo"
    assert body["suggestions"] and all(s.startswith("nev-") for s in body["suggestions"])
    assert set(body["suggestions"]) <= set(nearest_ids(bundled_store, "nev-foo", "Segment", limit=20))
    elsewhere = api_client.get("/api/v1/segments/nev-foo/candidates").json()["suggestions"]
    assert body["suggestions"][:2] == elsewhere[:2]  # the same mechanism as the /segments/{id} routes
    typo = api_client.get("/api/v1/clusters/nev/completeness", params={"segments": "nev-cathod"}).json()
    assert typo["suggestions"][0] == "nev-cathode"
    assert main(["completeness", "nev", "--segments", "nev-foo"]) == 2
    err = capsys.readouterr().err
    assert "No segment with id 'nev-foo'. Did you mean: " + ", ".join(body["suggestions"]) + "?" in err


def test_the_cluster_s_segments_come_first(api_client: Any) -> None:
    body = api_client.get("/api/v1/clusters/nev/completeness", params={"segments": "ele-sensor"}).json()
    nev = [s for s in body["suggestions"] if s.startswith("nev-")]
    assert nev and body["suggestions"][: len(nev)] == nev
    assert "ele-sensors" in body["suggestions"]  # what was perhaps meant, after the cluster's own


# -- 13: year and list_year on /api/v1/clusters --------------------------------------------------


def test_year_and_a_different_list_year_is_a_422_naming_both(api_client: Any) -> None:
    response = api_client.get("/api/v1/clusters", params={"year": 2024, "list_year": 2022})
    body = response.json()
    assert response.status_code == 422 and body["type"].endswith("invalid-query")
    english, chinese = body["detail"], body["detail_zh"]
    assert " / " not in english
    assert "year=2024" in english and "list_year=2022" in english
    assert "year=2024" in chinese and "list_year=2022" in chinese and "不一致" in chinese


@pytest.mark.parametrize("year", [2022, 2024])
def test_the_same_year_twice_is_that_list(api_client: Any, year: int) -> None:
    both = api_client.get("/api/v1/clusters", params={"year": year, "list_year": year}).json()
    assert both == api_client.get("/api/v1/clusters", params={"list_year": year}).json()
    assert both == api_client.get("/api/v1/clusters", params={"year": year}).json()
    assert both["total"] and all(year in c["list_years"] for c in both["items"])
