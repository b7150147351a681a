"""Pin the API's paths, methods and operationIds against ``tests/openapi_snapshot.json``.

A path, method or operationId that disappears or changes fails this test: clients
generated from ``/openapi.json`` depend on them. New routes are allowed; record
them (and any deliberate change) by regenerating the snapshot::

    .venv/bin/python -m tests.test_openapi_pin --update
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

SNAPSHOT = Path(__file__).with_name("openapi_snapshot.json")
METHODS = {"get", "post", "put", "patch", "delete", "head", "options"}


def current_operations() -> dict[str, dict[str, str]]:
    """``{path: {method: operationId}}`` of the app's OpenAPI document."""
    from api.app import create_app
    from chainkg.settings import Settings
    from graph.memory_store import MemoryStore

    spec = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
    return {
        path: {method: op["operationId"] for method, op in sorted(item.items()) if method in METHODS}
        for path, item in sorted(spec["paths"].items())
    }


def test_pinned_operations_are_unchanged():
    pinned = json.loads(SNAPSHOT.read_text(encoding="utf-8"))["paths"]
    current = current_operations()
    problems = []
    for path, methods in pinned.items():
        for method, operation_id in methods.items():
            found = current.get(path, {}).get(method)
            if found != operation_id:
                problems.append(f"{method.upper()} {path}: pinned operationId {operation_id!r}, now {found!r}")
    assert not problems, "\n".join(problems) + "\n(regenerate with: python -m tests.test_openapi_pin --update)"


def test_operation_ids_are_unique():
    ids = [op for methods in current_operations().values() for op in methods.values()]
    assert len(ids) == len(set(ids))


def test_every_api_route_has_a_summary_and_a_response_model():
    from api.app import create_app
    from chainkg.settings import Settings
    from graph.memory_store import MemoryStore

    spec = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
    for path, item in spec["paths"].items():
        if not path.startswith("/api/"):
            continue
        for method, op in item.items():
            assert op.get("summary"), f"{method} {path} has no summary"
            content = op["responses"]["200"]["content"]["application/json"]
            assert "$ref" in content["schema"], f"{method} {path} has no response model"


def main(argv: list[str]) -> int:
    if argv != ["--update"]:
        print(__doc__)
        return 2
    SNAPSHOT.write_text(
        json.dumps({"paths": current_operations()}, indent=2, ensure_ascii=False) + "\n", encoding="utf-8"
    )
    print(f"wrote {SNAPSHOT}")
    return 0


if __name__ == "__main__":
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    raise SystemExit(main(sys.argv[1:]))
