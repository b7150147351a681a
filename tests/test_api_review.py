"""The JSON API as a demanding client sees it: documented examples, error bodies, HEAD, list envelopes.

Each test here guards one defect found by reviewing the API against its OpenAPI document and
``docs/api.md``; the docstring of each test says what was wrong.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

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
    "SourceDetail": _one(lambda ex: f"/api/v1/sources/{ex['id']}"),
    "SourceList": _page("/api/v1/sources"),
    "CriticalSegment": _items("/api/v1/clusters/nev/critical-segments?limit=500"),
    "CriticalSegmentList": _page("/api/v1/clusters/nev/critical-segments"),
    "CriticalFirm": _items("/api/v1/clusters/nev/critical-firms?limit=500"),
    "CriticalFirmList": _page("/api/v1/clusters/nev/critical-firms"),
    "WhatIfNote": lambda c, ex: (ex, c.post("/api/v1/what-if", json={"remove": ex["firm_ids"]}).json()["notes"][0]),
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
    "PlatformDetail": _one(lambda ex: f"/api/v1/platforms/{ex['id']}"),
    "District": _items("/api/v1/districts?limit=500"),
    "DistrictList": _page("/api/v1/districts"),
    "DistrictDetail": _one(lambda ex: f"/api/v1/districts/{ex['id']}"),
    "Completeness": _one(lambda ex: f"/api/v1/clusters/{ex['cluster_id']}/completeness"),
    "Problem": _one(lambda ex: ex["instance"]),
}
"""How to ask the bundled data for the answer each documented response example shows."""

NOT_LIVE = {"ImportSummary", "WhatIfRequest"}
"""Examples with no live answer to compare: an import of a file the data does not hold, a request body."""

ROUTE_SOURCES: dict[str, Callable[[Any, Any], tuple[Any, Any]]] = {
    "GET /api/v1/gaps": _page("/api/v1/gaps"),
    "GET /api/v1/clusters/{cluster_id}/gaps": _page("/api/v1/clusters/nev/gaps"),
    "GET /api/v1/targets": _page("/api/v1/targets"),
    "GET /api/v1/clusters/{cluster_id}/targets": _page("/api/v1/clusters/nev/targets"),
    "GET /api/v1/clusters/{cluster_id}/completeness": _one(
        lambda ex: f"/api/v1/clusters/{ex['cluster_id']}/completeness"
    ),
}
"""How to ask for the answer a route's own example shows (``ROUTE_EXAMPLES`` of api/analysis_schemas.py).

A route without one shows its model's example, checked with :data:`EXAMPLE_SOURCES` only if that asks
this very route (:func:`asks_route`)."""


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


class _Asking:
    """A client that notes ``(METHOD, path)`` of each request, to tell which route an example was compared with."""

    def __init__(self, client: Any) -> None:
        self.client = client
        self.asked: list[tuple[str, str]] = []

    def get(self, url: str, **kwargs: Any) -> Any:
        self.asked.append(("GET", urlsplit(url).path))
        return self.client.get(url, **kwargs)

    def post(self, url: str, **kwargs: Any) -> Any:
        self.asked.append(("POST", urlsplit(url).path))
        return self.client.post(url, **kwargs)


def asks_route(route: str, asked: list[tuple[str, str]]) -> bool:
    """Whether every request ``asked`` is one of ``route`` (``"GET /api/v1/clusters/{cluster_id}/gaps"``).

    >>> asks_route("GET /api/v1/clusters/{cluster_id}/gaps", [("GET", "/api/v1/clusters/nev/gaps")])
    True
    >>> asks_route("GET /api/v1/clusters/{cluster_id}/gaps", [("GET", "/api/v1/gaps")])
    False
    """
    method, _, template = route.partition(" ")
    pattern = "".join(
        "[^/]+" if part.startswith("{") else re.escape(part) for part in re.split(r"(\{[^}]+\})", template)
    )
    return bool(asked) and all(m == method and re.fullmatch(pattern, path) for m, path in asked)


def _shown_examples(client: Any) -> dict[str, tuple[str | None, Any]]:
    """The example each route shows for its 200 JSON answer: ``(None, its own)`` or ``(schema name, the schema's)``."""
    spec = client.get("/openapi.json").json()
    schemas = spec["components"]["schemas"]
    out: dict[str, tuple[str | None, Any]] = {}
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation.get("responses", {}).get("200", {}).get("content", {}).get("application/json")
            if content is None:
                continue
            name = content.get("schema", {}).get("$ref", "").rpartition("/")[2]
            if "example" in content:
                out[f"{method.upper()} {path}"] = (None, content["example"])
            elif "example" in schemas.get(name, {}):
                out[f"{method.upper()} {path}"] = (name, schemas[name]["example"])
    return out


def test_every_route_shows_an_example_true_of_its_own_answer(api_client: Any) -> None:
    """Two routes that answer with one model showed its one example, true of one route only: /api/v1/gaps and
    /api/v1/clusters/{id}/gaps both showed `total: 107` (NEV has 16 gaps), both target routes NEV's 57 (all
    clusters: 272), and the examples were checked against one of the two routes. Each route's example is now
    compared with that route's answer; a shared example checked on another route fails, so such a route
    shows its own example (ROUTE_EXAMPLES) and has a row in ROUTE_SOURCES."""
    shown = _shown_examples(api_client)
    assert set(ROUTE_SOURCES) <= set(shown)
    wrong: dict[str, list[str]] = {}
    for route, (name, example) in sorted(shown.items()):
        if name in NOT_LIVE:
            continue
        source = ROUTE_SOURCES.get(route) or (EXAMPLE_SOURCES.get(name) if name else None)
        if source is None:
            wrong[route] = ["no row in ROUTE_SOURCES (own example) or EXAMPLE_SOURCES (its model's)"]
            continue
        asking = _Asking(api_client)
        documented, live = source(asking, example)
        diffs = example_diffs(documented, live)
        if not asks_route(route, asking.asked):
            diffs.insert(0, f"compared with the answer of {asking.asked}, not of this route")
        if diffs:
            wrong[route] = diffs
    assert wrong == {}


def test_routes_that_share_a_model_show_their_own_example(api_client: Any) -> None:
    """The figures the review found wrong, route by route, and each own example fits the route's model."""
    from api.examples import api_models, schema_names

    shown = _shown_examples(api_client)
    totals = {route: shown[route][1]["total"] for route in ROUTE_SOURCES if "total" in shown[route][1]}
    live = {  # the review: the city-wide and the one-cluster routes both showed the city's total
        "GET /api/v1/gaps": "/api/v1/gaps",
        "GET /api/v1/clusters/{cluster_id}/gaps": "/api/v1/clusters/nev/gaps",
        "GET /api/v1/targets": "/api/v1/targets",
        "GET /api/v1/clusters/{cluster_id}/targets": "/api/v1/clusters/nev/targets",
    }
    assert totals == {route: api_client.get(url).json()["total"] for route, url in live.items()}
    assert totals["GET /api/v1/gaps"] > totals["GET /api/v1/clusters/{cluster_id}/gaps"]
    paths = api_client.get("/openapi.json").json()["paths"]
    models = {name: model for model in api_models() for name in schema_names(model)}
    for route in ROUTE_SOURCES:
        assert shown[route][0] is None, f"{route} shows its model's example, not its own"
        method, _, path = route.partition(" ")
        ref = paths[path][method.lower()]["responses"]["200"]["content"]["application/json"]["schema"]["$ref"]
        models[ref.rpartition("/")[2]].model_validate(shown[route][1])


def test_the_completeness_example_counts_the_segments_it_lists(api_client: Any) -> None:
    """The completeness example said 20 of 29 segments present but listed 1 missing of 9 (`nev-thermal`), and a
    whole-cluster scope of 2 segments. The route's example now lists every segment its counts count."""
    example = _shown_examples(api_client)["GET /api/v1/clusters/{cluster_id}/completeness"][1]
    assert len(example["scope"]["segments"]) == example["scope"]["segments_total"] == 29
    shares = [example["current"], *example["years"], *(row["computed"] for row in example["published"])]
    assert len(shares) >= 3
    for share in shares:
        assert share["segments_present"] + len(share["missing"]) == share["segments_total"], share


# -- errors -----------------------------------------------------------------------------------------


def test_a_422_names_the_value_given(api_client: Any) -> None:
    """A wrong enum value was answered `query.kind: Input should be 'missing', ...` without the value given:
    with several parameters a client could not tell which value was wrong. The detail and each error now
    quote it (cut short when long), and leave it out for a missing parameter."""
    body = api_client.get("/api/v1/gaps", params={"kind": "mising"}).json()
    assert body["status"] == 422
    assert (
        body["detail"] == "query.kind: "
        "Input should be 'missing', 'weak', 'broken_link' or 'extension', "
        "or the Chinese name 缺链, 弱链, 断链 or 延链 (got 'mising')"
    )
    assert body["errors"] == [
        {
            "loc": ["query", "kind"],
            "msg": "Input should be 'missing', 'weak', 'broken_link' or 'extension', "
            "or the Chinese name 缺链, 弱链, 断链 or 延链 / "
            "应为 missing（缺链）、weak（弱链）、broken_link（断链）或 extension（延链）",
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


NO_INPUT_BODIES = {
    "an empty list": '{"remove": []}',
    "a null": '{"remove": null}',
    "a list where a number goes": '{"remove": ["li-auto"], "year": [2024]}',
    "an object where a boolean goes": '{"remove": ["li-auto"], "with_subsidiaries": {"a": 1}}',
    "a list where an object goes": "[]",
    "a body that is not JSON": "nope",
}
"""What-if bodies whose rejected value is no string, number or boolean: their errors carry no `input`."""


def test_errors_input_is_there_exactly_when_docs_api_md_says(api_client: Any) -> None:
    """docs/api.md said `errors[].input` is left out only for a missing parameter; it was also left out for a
    null, a list, an object and a body that is not JSON (`{"remove": []}` had none). The page now says
    when it is there: a string, number or boolean value given."""
    for case, body in NO_INPUT_BODIES.items():
        answer = api_client.post("/api/v1/what-if", content=body, headers={"Content-Type": "application/json"})
        assert answer.status_code == 422, case
        errors = answer.json()["errors"]
        assert errors and all("input" not in error for error in errors), (case, errors)
        assert "(got " not in answer.json()["detail"], case
    given = {
        '{"remove": "li-auto"}': "li-auto",
        '{"remove": [1]}': 1,
        '{"remove": ["li-auto"], "year": "x"}': "x",
    }
    for body, value in given.items():
        answer = api_client.post("/api/v1/what-if", content=body, headers={"Content-Type": "application/json"})
        assert [error.get("input") for error in answer.json()["errors"]] == [value], body
    page = (Path(__file__).resolve().parent.parent / "docs" / "api.md").read_text(encoding="utf-8")
    rule = " ".join(page.split())
    assert "when the value given is a string, number or boolean, `input`" in rule
    assert "no `input`, nor `(got ...)` in `detail`, for a missing parameter or field" in rule
    assert "a `null`, a list or an object" in rule
    assert "body that is not JSON" in rule


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
    # the length on the wire: compressed when the client accepts gzip, as httpx does (test_api_compression)
    assert head.headers["content-length"] == get.headers["content-length"]
    assert head.headers.get("content-encoding") == get.headers.get("content-encoding")
    identity = api_client.get(path, headers={"Accept-Encoding": "identity"})
    assert api_client.head(path, headers={"Accept-Encoding": "identity"}).headers["content-length"] == str(
        len(identity.content)
    )


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
