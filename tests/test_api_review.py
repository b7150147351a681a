"""The JSON API as a demanding client sees it: documented examples, error bodies, HEAD, list envelopes.

Each test here guards one defect found by reviewing the API against its OpenAPI document and
``docs/api.md``; the docstring of each test says what was wrong.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

ELLIPSES = ("……", "...")
"""A documented string ending in one of these is shortened: only the text before it must match."""

IDENTITY_KEYS = (
    "id",
    "segment_id",
    "firm_id",
    "source",
    "target",
    "source_cluster",
    "target_cluster",
    "code",
    "tag",
    "tier_id",
    "year",
    "batch",
    "metric",
)
"""Keys that name a list item: an item of a documented list is compared with the live item they name."""

FALLBACK_IDENTITY_KEYS = ("cluster_id", "kind", "type")
"""Keys that name an item that has none of :data:`IDENTITY_KEYS` (a cluster's health, an instrument's kind)."""


def identity(item: dict[str, Any]) -> list[str]:
    """The keys that name a documented list item: those of :data:`IDENTITY_KEYS` it has, else the fallbacks.

    >>> identity({"segment_id": "nev-recycling", "cluster_id": "nev", "kind": "weak"})
    ['segment_id']
    """
    for keys in (IDENTITY_KEYS, FALLBACK_IDENTITY_KEYS):
        found = [k for k in keys if k in item and not isinstance(item[k], dict | list)]
        if found:
            return found
    return []


def _is_subsequence(short: list[Any], long: list[Any]) -> bool:
    rest = iter(long)
    return all(any(item == other for other in rest) for item in short)


def example_diffs(example: Any, live: Any, path: str = "$") -> list[str]:
    """Where a documented ``example`` says something the ``live`` answer does not, as ``path: ...`` lines.

    Examples are the live answer shortened: every key of a documented object is in the live one with the
    same value, a documented list of objects holds live items (matched by :data:`IDENTITY_KEYS`), a list
    of plain values keeps the live order (items may be left out), and a string ending in an ellipsis is
    the start of the live one.

    >>> example_diffs({"a": 1, "b": [{"id": "x", "n": 2}]}, {"a": 1, "b": [{"id": "y"}, {"id": "x", "n": 3}]})
    ['$.b[id=x].n: documented 2, live 3']
    """
    if isinstance(example, dict):
        if not isinstance(live, dict):
            return [f"{path}: documented an object, live {live!r}"]
        out: list[str] = []
        for key, value in example.items():
            if key not in live:
                out.append(f"{path}.{key}: documented, but not in the live answer")
            else:
                out.extend(example_diffs(value, live[key], f"{path}.{key}"))
        return out
    if isinstance(example, list):
        if not isinstance(live, list):
            return [f"{path}: documented a list, live {live!r}"]
        if not all(isinstance(item, dict) for item in example):
            ok = _is_subsequence(example, live)
            return [] if ok else [f"{path}: documented {example!r}, live {live!r}"]
        out = []
        for position, item in enumerate(example):
            keys = identity(item)
            label = ",".join(f"{k}={item[k]}" for k in keys) or str(position)
            if keys:
                matches = [
                    other for other in live if isinstance(other, dict) and all(other.get(k) == item[k] for k in keys)
                ]
            else:
                matches = live[position : position + 1]
            if not matches:
                out.append(f"{path}[{label}]: documented, but no such item in the live answer")
                continue
            diffs = min((example_diffs(item, other, f"{path}[{label}]") for other in matches), key=len)
            out.extend(diffs)
        return out
    if isinstance(example, str) and example.endswith(ELLIPSES) and isinstance(live, str):
        start = example.rstrip(".… ")
        return [] if live.startswith(start) else [f"{path}: documented {example!r}, live {live!r}"]
    if example != live or type(example) is not type(live) and not isinstance(live, int | float):
        return [f"{path}: documented {example!r}, live {live!r}"]
    return []


def _items(url: str) -> Callable[[Any, Any], tuple[Any, Any]]:
    """A documented list item beside the items of the live list at ``url`` (all of them: give the limit)."""

    def get(client: Any, example: Any) -> tuple[Any, Any]:
        return [example], client.get(url).json()["items"]

    return get


def _page(url: str, paged: bool = True) -> Callable[[Any, Any], tuple[Any, Any]]:
    """A documented list answer beside the live one: totals as answered, items out of every item."""

    def get(client: Any, example: Any) -> tuple[Any, Any]:
        live = client.get(url).json()
        if paged and live["total"] > len(live["items"]):
            sep = "&" if "?" in url else "?"
            live = {**live, "items": client.get(f"{url}{sep}limit=500").json()["items"]}
        return example, live

    return get


def _one(url: Callable[[Any], str]) -> Callable[[Any, Any], tuple[Any, Any]]:
    def get(client: Any, example: Any) -> tuple[Any, Any]:
        return example, client.get(url(example)).json()

    return get


def _what_if(client: Any, example: Any) -> tuple[Any, Any]:
    asked = [f["id"] for f in example["removed"] if f["id"] not in example.get("subsidiaries_added", [])]
    body = {"remove": asked, "year": example.get("year"), "with_subsidiaries": bool(example.get("subsidiaries_added"))}
    return example, client.post("/api/v1/what-if", json=body).json()


EXAMPLE_SOURCES: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "ServiceHealth": _one(lambda ex: "/health"),
    "ClusterList": _page("/api/v1/clusters", paged=False),
    "FirmList": _page("/api/v1/firms"),
    "Chain": _one(lambda ex: f"/api/v1/clusters/{ex['cluster']['id']}/chain"),
    "GapItem": _items("/api/v1/gaps?limit=500"),
    "GapList": _page("/api/v1/gaps"),
    "SegmentDetail": _one(lambda ex: f"/api/v1/segments/{ex['id']}"),
    "Candidate": _items("/api/v1/segments/nev-battery-cell/candidates?limit=500"),
    "CandidateList": _page("/api/v1/segments/nev-battery-cell/candidates"),
    "Impact": _one(lambda ex: f"/api/v1/segments/{ex['segment']['id']}/impact"),
    "ClusterHealth": _one(lambda ex: f"/api/v1/clusters/{ex['cluster_id']}/health"),
    "RankedHealth": _items("/api/v1/health-ranking"),
    "HealthRanking": _page("/api/v1/health-ranking"),
    "WhatIf": _what_if,
    "SearchResults": _one(lambda ex: f"/api/v1/search?q={ex['q']}&limit={ex['limit']}"),
    "Target": _items("/api/v1/clusters/nev/targets?limit=500"),
    "TargetList": _page("/api/v1/clusters/nev/targets"),
    "ClusterLinkList": _page("/api/v1/cluster-links", paged=False),
    "Project": _items("/api/v1/projects?limit=500"),
    "ProjectList": _page("/api/v1/projects"),
    "ProjectDetail": _one(lambda ex: f"/api/v1/projects/{ex['id']}"),
    "Policy": _items("/api/v1/policies?limit=500"),
    "PolicyList": _page("/api/v1/policies"),
    "PolicyDetail": _one(lambda ex: f"/api/v1/policies/{ex['id']}"),
    "Tier": _items("/api/v1/tiers"),
    "TierList": _page("/api/v1/tiers", paged=False),
    "TierDetail": _one(lambda ex: f"/api/v1/tiers/{ex['id']}"),
    "Platform": _items("/api/v1/platforms"),
    "PlatformList": _page("/api/v1/platforms", paged=False),
    "Completeness": _one(lambda ex: f"/api/v1/clusters/{ex['cluster_id']}/completeness"),
    "Problem": _one(lambda ex: ex["instance"]),
}
"""How to ask the bundled data for the answer each documented response example shows."""

NOT_LIVE = {"ImportSummary", "WhatIfRequest"}
"""Examples with no live answer to compare: an import of a file the data does not hold, a request body."""


def _documented_examples(client: Any) -> dict[str, Any]:
    schemas = client.get("/openapi.json").json()["components"]["schemas"]
    return {name: schema["example"] for name, schema in schemas.items() if "example" in schema}


def test_every_documented_example_is_checked(api_client: Any) -> None:
    """A new example in the OpenAPI document needs a live answer to be compared with (or a reason not to)."""
    assert set(_documented_examples(api_client)) == set(EXAMPLE_SOURCES) | NOT_LIVE


@pytest.mark.parametrize("name", sorted(EXAMPLE_SOURCES))
def test_documented_example_is_true_of_the_bundled_data(api_client: Any, name: str) -> None:
    """The OpenAPI examples showed figures of older data (TARGET_EXAMPLE: NXP's priority 0.275116 where the
    bundled data answer 0.247255; the NEV health example counted 7 segments, the data hold 29; the Problem
    example's ``catl`` is a firm id now). Every example must be the live answer, shortened."""
    example = _documented_examples(api_client)[name]
    documented, live = EXAMPLE_SOURCES[name](api_client, example)
    assert example_diffs(documented, live) == []


def _model_examples() -> dict[str, Any]:
    """Each API model's own example, under the name of its schema in the document (qualified when shared)."""
    import inspect

    from pydantic import BaseModel

    from api import analysis_schemas, layer_schemas, schemas
    from api.routes import imports

    models = [
        obj
        for module in (schemas, analysis_schemas, layer_schemas, imports)
        for _, obj in inspect.getmembers(module, inspect.isclass)
        if issubclass(obj, BaseModel) and obj.__module__ == module.__name__
    ]
    names = [model.__name__ for model in models]
    out = {}
    for model in models:
        extra = model.model_config.get("json_schema_extra")
        if isinstance(extra, dict) and "example" in extra:
            shared = names.count(model.__name__) > 1
            name = model.__module__.replace(".", "__") + "__" + model.__name__ if shared else model.__name__
            out[name] = extra["example"]
    return out


def test_documented_examples_keep_their_null_fields(api_client: Any) -> None:
    """FastAPI writes /openapi.json without any null, examples included: the Chain example lost its
    `"year": null`, a gap its `"parent_id": null`, a policy its `"date": null`, so the document hid fields
    every answer has. Every example in the document is now its model's example, nulls and all."""
    documented = _documented_examples(api_client)
    declared = _model_examples()
    assert set(declared) <= set(documented)
    changed = [name for name, example in declared.items() if documented[name] != example]
    assert changed == []
    assert documented["Chain"]["year"] is None and documented["GapItem"]["parent_id"] is None


def _ids_in(value: Any, key: str = "") -> set[str]:
    if isinstance(value, dict):
        return {i for k, v in value.items() for i in _ids_in(v, k)}
    if isinstance(value, list):
        return {i for v in value for i in _ids_in(v, key)}
    if isinstance(value, str) and key in {"id", "firm_id", "segment_id", "matched"} | {"target", "source"}:
        return {value}
    return set()


def test_import_example_names_a_firm_of_the_data(api_client: Any) -> None:
    """The import example updates and matches `catl-jiangsu`: that firm is in the bundled data."""
    example = _documented_examples(api_client)["ImportSummary"]
    assert example["resolved"][0]["matched"] == "catl-jiangsu"
    assert api_client.get("/api/v1/firms/catl-jiangsu").status_code == 200
    assert api_client.get("/api/v1/firms/new-co").status_code == 404


def test_example_diffs_catches_a_stale_figure() -> None:
    """The comparison itself fails on what made the examples wrong: a figure, a missing item, a lost key."""
    live = {"priority": 0.247255, "gaps": [{"segment_id": "a", "rank": 1}], "kinds": ["missing", "weak"]}
    assert example_diffs({"priority": 0.275116}, live) == ["$.priority: documented 0.275116, live 0.247255"]
    assert example_diffs({"gaps": [{"segment_id": "b"}]}, live)[0].startswith("$.gaps[segment_id=b]")
    assert example_diffs({"rank": 1}, live) == ["$.rank: documented, but not in the live answer"]
    assert example_diffs({"kinds": ["weak", "missing"]}, live) != []
    assert example_diffs({"kinds": ["weak"], "gaps": [{"segment_id": "a"}]}, live) == []
    assert example_diffs({"note": "abc……"}, {"note": "abcdef"}) == []
    assert example_diffs({"note": "abd……"}, {"note": "abcdef"}) != []


# -- errors -----------------------------------------------------------------------------------------


def test_a_422_names_the_value_given(api_client: Any) -> None:
    """A wrong enum value was answered `query.kind: Input should be 'missing', ...` without the value given:
    with several parameters a client could not tell which value was wrong. The detail and each error now
    quote it (cut short when long), and leave it out for a missing parameter."""
    body = api_client.get("/api/v1/gaps", params={"kind": "mising"}).json()
    assert body["status"] == 422
    assert (
        body["detail"] == "query.kind: Input should be 'missing', 'weak', 'broken_link' or 'extension' (got 'mising')"
    )
    assert body["errors"] == [
        {
            "loc": ["query", "kind"],
            "msg": "Input should be 'missing', 'weak', 'broken_link' or 'extension'",
            "type": "literal_error",
            "input": "mising",
        }
    ]
    long_q = api_client.get("/api/v1/search", params={"q": "星" * 300}).json()["errors"][0]
    assert long_q["type"] == "string_too_long" and long_q["input"] == "星" * 80 + "…"
    limit = api_client.get("/api/v1/firms", params={"limit": "0", "offset": "x"}).json()
    assert "(got '0')" in limit["detail"] and "(got 'x')" in limit["detail"]
    missing = api_client.get("/api/v1/search").json()
    assert missing["errors"] == [{"loc": ["query", "q"], "msg": "Field required", "type": "missing"}]
    assert missing["detail"] == "query.q: Field required"


def test_a_wrong_list_year_on_clusters_is_reported_as_list_year(api_client: Any) -> None:
    """`/api/v1/clusters?list_year=2023` answered "year must be one of 2022, 2024": the parameter the client
    did not send. Each parameter is now checked under its own name."""
    for params, named in (({"list_year": 2023}, "list_year"), ({"year": 2022, "list_year": 2023}, "list_year")):
        response = api_client.get("/api/v1/clusters", params=params)
        assert response.status_code == 422
        assert response.json()["detail"] == f"{named} must be one of 2022, 2024 (a published list); got 2023"
    assert api_client.get("/api/v1/clusters", params={"year": 2023}).json()["detail"].startswith("year must be")
    assert api_client.get("/api/v1/clusters", params={"list_year": 2024}).status_code == 200


# -- HEAD ------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/health",
        "/api/v1/clusters",
        "/api/v1/firms/xingyu",
        "/api/v1/gaps?cluster=nev",
        "/views/overview",
        "/openapi.json",
    ],
)
def test_head_answers_as_get_without_a_body(api_client: Any, path: str) -> None:
    """Every GET route answered HEAD with 405 (RFC 9110 asks a server to support HEAD wherever it supports GET):
    link checkers and caches that probe with HEAD saw the API as broken."""
    get, head = api_client.get(path), api_client.head(path)
    assert head.status_code == get.status_code == 200
    assert head.content == b""
    assert head.headers["content-type"] == get.headers["content-type"]
    assert head.headers["content-length"] == str(len(get.content))


def test_head_of_an_unknown_id_is_a_404_and_405_allows_head(api_client: Any) -> None:
    """HEAD keeps the GET's status: an unknown id is a 404. A 405 lists HEAD beside GET in `Allow`, and a
    route without GET (what-if) still refuses HEAD."""
    missing = api_client.head("/api/v1/firms/nope")
    assert missing.status_code == 404 and missing.content == b""
    assert missing.headers["content-type"] == "application/problem+json"
    options = api_client.options("/api/v1/clusters")
    assert options.status_code == 405 and options.headers["allow"] == "GET, HEAD"
    post_only = api_client.head("/api/v1/what-if")
    assert post_only.status_code == 405 and post_only.headers["allow"] == "POST"


# -- what docs/api.md promises -----------------------------------------------------------------


UNPAGED = {"/api/v1/clusters", "/api/v1/cluster-links", "/api/v1/tiers", "/api/v1/platforms"}
"""The lists docs/api.md names as answered whole, without `limit` and `offset`."""


def _concrete(path: str) -> str:
    return (
        path.replace("{cluster_id}", "nev")
        .replace("{segment_id}", "nev-battery-cell")
        .replace("{firm_id}", "xingyu")
        .replace("{project_id}", "prj-catl-liyang-1")
        .replace("{policy_id}", "pol-zjtx-rewards")
        .replace("{tier_id}", "tier-champion-firm")
    )


def test_every_list_answers_the_envelope_docs_api_md_gives(api_client: Any) -> None:
    """docs/api.md said every list answers `items`, `total`, `limit` and `offset`; four lists answer only
    `items` and `total`. The page now names them; every other list echoes the page asked for."""
    paths = api_client.get("/openapi.json").json()["paths"]
    paged = {
        path
        for path, item in paths.items()
        if "get" in item and {"limit", "offset"} <= {p["name"] for p in item["get"].get("parameters", [])}
    }
    assert paged and not paged & UNPAGED
    for path in sorted(paged):
        url = _concrete(path) + ("?q=chang&" if path.endswith("/search") else "?") + "limit=3&offset=2"
        body = api_client.get(url).json()
        assert (body["limit"], body["offset"]) == (3, 2), url
        assert len(body["items"]) == max(0, min(3, body["total"] - 2)), url
    for path in sorted(UNPAGED):
        body = api_client.get(path).json()
        assert {"items", "total"} <= set(body) and not {"limit", "offset"} & set(body), path
        assert body["total"] == len(body["items"]), path


def test_a_repeated_parameter_counts_with_its_last_value(api_client: Any) -> None:
    """docs/api.md now says what a repeated parameter does: the last value counts."""
    body = api_client.get("/api/v1/firms?limit=1&limit=2").json()
    assert body["limit"] == 2 and len(body["items"]) == 2
    assert api_client.get("/api/v1/firms?local=true&local=false&limit=500").json()["total"] == len(
        api_client.get("/api/v1/firms?local=false&limit=500").json()["items"]
    )


def test_projects_year_is_the_project_year_not_an_as_of_year(api_client: Any) -> None:
    """docs/api.md called `year` an as-of year everywhere but /clusters; on /projects it keeps the projects of
    that year only (the page now says so)."""
    every = api_client.get("/api/v1/projects?limit=500").json()["items"]
    years = sorted({p["year"] for p in every if p["year"] is not None})
    later = years[-1]
    of_year = api_client.get(f"/api/v1/projects?year={later}&limit=500").json()["items"]
    assert of_year and {p["year"] for p in of_year} == {later}
    assert len(of_year) < len([p for p in every if p["year"] is not None and p["year"] <= later])
