"""Property-based fuzzing of every endpoint against the app's own OpenAPI document (schemathesis 4).

Each operation gets ``CHAINKG_FUZZ_EXAMPLES`` generated requests (25 in ``make test``, more in
``make reliability``), valid and invalid, derandomized so a run is repeatable. Every answer must be
what the document declares: no 5xx, a documented status and media type, and a body matching its
schema, error bodies (``application/problem+json``) included. The import route is fuzzed a second
time with the API key, so generated files reach the parsers instead of stopping at 403.
"""

from __future__ import annotations

import os

import schemathesis
from hypothesis import HealthCheck, settings

from api.app import create_app
from chainkg.settings import BUNDLED_DATA, Settings
from graph.memory_store import MemoryStore
from loaders.folder import load_folder

EXAMPLES = int(os.environ.get("CHAINKG_FUZZ_EXAMPLES") or 25)
API_KEY = "test-only-key-fuzz-0123456789"
FUZZ = settings(
    max_examples=EXAMPLES,
    derandomize=True,
    deadline=None,
    database=None,
    suppress_health_check=list(HealthCheck),
)

_bundled = load_folder(BUNDLED_DATA)
_state = __import__("tempfile").mkdtemp(prefix="chainkg-fuzz-state-")
read_only_app = create_app(MemoryStore(_bundled), Settings.from_env(env={}))
writable_app = create_app(
    MemoryStore(_bundled), Settings.from_env(env={"CHAINKG_API_KEY": API_KEY, "CHAINKG_STATE_DIR": _state})
)

schema = schemathesis.openapi.from_asgi("/openapi.json", read_only_app)
import_schema = schemathesis.openapi.from_asgi("/openapi.json", writable_app).include(path="/api/v1/imports")


def breaks_a_rule_between_parameters(case) -> bool:
    """A schema-valid request that breaks a rule OpenAPI cannot state: completeness's ``from`` after its ``to``,
    or the cluster list's ``year`` and ``list_year`` (the same parameter there) naming different years.

    Such a request gets a documented 422 saying so (``from (2099) is after to (1990)``), so "schema-valid data
    must be accepted" does not apply to it; every other check still does.
    """
    query = case.query or {}
    try:
        if "from" in query and "to" in query and int(query["from"]) > int(query["to"]):
            return True
    except (TypeError, ValueError):
        return False
    return (
        case.path == "/api/v1/clusters"
        and query.get("year") is not None
        and query.get("list_year") is not None
        and str(query["year"]) != str(query["list_year"])
    )


@schema.parametrize()
@FUZZ
def test_every_endpoint_answers_as_documented(case):
    rule_broken = breaks_a_rule_between_parameters(case)
    case.call_and_validate(excluded_checks=[schemathesis.checks.positive_data_acceptance] if rule_broken else [])


@import_schema.parametrize()
@FUZZ
def test_the_import_route_with_the_key_answers_as_documented(case):
    # Any file is schema-valid, but only a readable workbook, CSV or JSON is importable: a 422 listing the
    # problems is the right answer to the rest, so "schema-valid data must be accepted" does not apply here.
    case.call_and_validate(
        headers={"X-API-Key": API_KEY}, excluded_checks=[schemathesis.checks.positive_data_acceptance]
    )


def test_every_operation_is_fuzzed():
    operations = {f"{op.method.upper()} {op.path}" for op in (r.ok() for r in schema.get_all_operations())}
    assert len(operations) >= 24 and "POST /api/v1/imports" in operations and "GET /views/overview" in operations
