"""Review 15b (an API consumer): a workbook download is byte-stable under its ETag, and more (see each test)."""

from __future__ import annotations

import time
from typing import Any

import pytest

WORKBOOKS = ["/api/v1/export?format=xlsx", "/reports/clusters/nev.xlsx", "/reports/summary.xlsx"]


def test_a_workbook_downloaded_twice_is_the_same_bytes_with_one_etag(api_client: Any) -> None:
    """L6: openpyxl stamped the clock in docProps/core.xml and on each zip member (two-second steps)."""
    first = {path: api_client.get(path) for path in WORKBOOKS}
    time.sleep(2.1)
    for path in WORKBOOKS:
        again, head = api_client.get(path), api_client.head(path)
        assert again.status_code == 200
        assert again.headers["etag"] == first[path].headers["etag"]
        assert again.content == first[path].content, path
        assert head.headers["content-length"] == str(len(again.content)), path


@pytest.mark.parametrize("value", ["nan", "-nan", "inf", "-inf"])
def test_a_float_that_is_not_a_number_is_named_so(api_client: Any, value: str) -> None:
    """L8: ``min_severity=nan`` was told "should be less than or equal to 1"."""
    answer = api_client.get(f"/api/v1/clusters/nev/gaps?min_severity={value}")
    assert answer.status_code == 422
    (error,) = answer.json()["errors"]
    assert error["loc"] == ["query", "min_severity"] and error["type"] == "finite_number", error


def test_a_flood_of_unknown_parameters_gets_a_short_answer(api_client: Any) -> None:
    """L5: 2,000 unknown parameters answered a 422 of 1.2 MB, each entry repeating the route's parameters."""
    from api.deps import MAX_UNKNOWN_LISTED

    answer = api_client.get("/api/v1/firms?" + "&".join(f"x{i}=1" for i in range(2000)))
    assert answer.status_code == 422
    errors = answer.json()["errors"]
    assert [e["loc"] for e in errors[:MAX_UNKNOWN_LISTED]] == [["query", f"x{i}"] for i in range(MAX_UNKNOWN_LISTED)]
    assert errors[-1]["loc"] == ["query"] and str(2000 - MAX_UNKNOWN_LISTED) in errors[-1]["msg"]
    assert len(errors) == MAX_UNKNOWN_LISTED + 1
    assert len(answer.content) < 50_000


ALWAYS_SENT = [
    ("Chain", "districts_en"),
    ("ChainSegment", "gap_kinds_unverified"),
    ("GapItem", "kinds_unverified"),
    ("Impact", "sub_segments"),
    ("ImpactUpstream", "gap_kinds_unverified"),
    ("SegmentDetail", "gap_kinds_unverified"),
    ("TargetGap", "kinds_unverified"),
    ("TargetGap", "group_firm_ids"),
    ("WhatIf", "subsidiaries_added"),
    ("WhatIf", "segments_left"),
    ("WhatIf", "notes"),
    ("WhatIfChange", "kinds_unverified_before"),
    ("WhatIfChange", "kinds_unverified_after"),
]


def test_a_field_every_answer_carries_is_required_in_the_schema(api_client: Any) -> None:
    """L3: 13 fields always sent were optional, so generated clients typed them ``X | Unset``."""
    from api import analysis_schemas, criticality_schemas, layer_schemas, schemas

    spec = api_client.get("/openapi.json").json()["components"]["schemas"]
    for model, field in ALWAYS_SENT:
        assert field in spec[model].get("required", []), (model, field)
    # every field of a model that sends every field (an OpenModel, not a SparseModel) is required
    checked = 0
    for module in (schemas, analysis_schemas, criticality_schemas, layer_schemas):
        for name, model in vars(module).items():
            if not (isinstance(model, type) and issubclass(model, schemas.OpenModel) and name in spec):
                continue
            if issubclass(model, schemas.SparseModel):
                continue
            assert set(model.model_fields) <= set(spec[name].get("required", [])), name
            checked += 1
    assert checked > 30


NAMED_ENUMS = {
    "FactConfidence": ["sourced", "unverified"],
    "SegmentPosition": ["upstream", "midstream", "downstream", "support"],
    "GapKind": ["missing", "weak", "broken_link", "extension"],
    "UnverifiedGapKind": ["broken_link", "extension"],
    "SegmentStatus": ["missing", "weak", "present", "strong"],
    "ProjectStatus": ["planned", "signed", "started", "completed", "unknown"],
}


def test_each_closed_set_is_declared_once_and_referred_to(api_client: Any) -> None:
    """L4: `confidence` was inlined 44 times, so a generated client had Confidence1...Confidence39."""
    import json

    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    for name, values in NAMED_ENUMS.items():
        assert schemas[name]["enum"] == values, name
    inline = [
        (model, field)
        for model, schema in schemas.items()
        if model not in NAMED_ENUMS
        for field, declared in schema.get("properties", {}).items()
        for values in NAMED_ENUMS.values()
        if f'"enum": {json.dumps(values)}' in json.dumps(declared)
    ]
    assert inline == []


def _not_found_examples(spec: dict[str, Any]) -> list[tuple[str, str, dict[str, Any]]]:
    out = []
    for path, item in spec["paths"].items():
        for method, operation in item.items():
            content = operation.get("responses", {}).get("404", {}).get("content", {})
            for example in content.get("application/problem+json", {}).get("examples", {}).values():
                out.append((method, path, example["value"]))
    return out


def test_each_route_shows_a_404_it_would_answer(api_client: Any) -> None:
    """L2 (and review 13a): every route showed "No cluster with id 'nevv'" at /api/v1/clusters/nevv, the firm
    route too. Each now shows the 404 of its own id, and asking the route for that id answers exactly it."""
    from api.problems import ID_PARAMETERS

    spec = api_client.get("/openapi.json").json()
    examples = _not_found_examples(spec)
    assert len(examples) > 25
    kinds = set()
    for method, path, shown in examples:
        operation = spec["paths"][path][method]
        names = [p["name"] for p in operation.get("parameters", []) if p["name"] in ID_PARAMETERS]
        if method == "post":
            answer = api_client.post(path, json={"remove": [shown["id"]]})
        elif "{" in path:
            answer = api_client.get(shown["instance"], headers={"Accept": "application/problem+json"})
        else:
            answer = api_client.get(path, params={names[0]: shown["id"]})
        assert answer.status_code == 404, (path, answer.text)
        assert answer.json() == shown, (method, path)
        kinds.add(shown["kind"])
    assert kinds >= {"cluster", "firm", "segment", "district", "source", "project", "policy", "tier", "platform"}
