"""Parity over HTTP: the API served from Neo4j answers exactly as the API served from the networkx store.

``tests/test_parity.py`` compares the query functions; this module compares what a client sees. The app is
built twice on the bundled Changzhou data, once over a :class:`MemoryStore` and once over the real Neo4j at
``NEO4J_URI`` (the ``neo4j_store`` fixture), and every GET endpoint under ``/api/v1`` that ``/openapi.json``
lists is called on both with the same requests:

* every real id of each path parameter with no query string (firms: a sample, to keep the run short);
* a set of query variants per path, on the first real ids: filters, as-of years, paging, combinations;
* unknown and wrong-kind ids (404 problems whose ``suggestions`` name the nearest ids);
* bad values (422 problems): years out of range, unknown enum values, pages of size 0, ...

Status code, media type and the whole JSON body must be equal. The HTML views under ``/views`` are compared
the same way (status, media type and the page itself), and ``/health`` with the fields that name the backend
left out (:data:`EXCLUDED_FIELDS`, each exclusion with its reason). A failure lists each request that
differs, with its path, parameters and a compact diff of the two bodies.
"""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from chainkg.settings import Settings
from graph.dataset import Dataset
from graph.memory_store import MemoryStore

if TYPE_CHECKING:
    from graph.neo4j_store import Neo4jStore

pytestmark = pytest.mark.neo4j

SPEC = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
GET_PATHS = sorted(p for p, item in SPEC["paths"].items() if p.startswith("/api/v1/") and "get" in item)
VIEW_PATHS = sorted(p for p, item in SPEC["paths"].items() if p.startswith("/views/") and "get" in item)

Params = dict[str, Any]
Request = tuple[str, Params]

# -- the ids and the requests --------------------------------------------------------------------

FIRST_IDS: dict[str, list[str]] = {
    "cluster_id": ["nev", "electronics"],
    "segment_id": ["nev-battery-cell", "nev-recycling", "nev-battery-materials"],
    "firm_id": ["catl-jiangsu", "xingyu", "catl"],
}
"""Ids the query variants are tried on (besides every real id, which is called without a query string)."""

FIRM_SAMPLE_STEP = 4
"""Of the bundled firms (~480), every fourth is called (besides :data:`FIRST_IDS`): ~25 ms each on Neo4j."""

VIEW_SAMPLE_STEP = {"cluster_id": 1, "segment_id": 8, "firm_id": 4}
"""Which real ids the views are drawn for: every cluster, every eighth segment, every fourth sampled firm."""

UNKNOWN_IDS: dict[str, list[str]] = {
    # a typo, a Chinese name (matched by name or alias), another case, an id of another kind, a trailing space,
    # and text that would change a Cypher query if it were spliced into one (it travels as a parameter)
    "cluster_id": ["nevv", "新能源", "NEV", "nev-battery-cell", "nev ", "nev' OR 1=1"],
    "segment_id": ["nev-battery-cel", "电池", "NEV-BATTERY-CELL", "nev"],
    "firm_id": ["宁德时代", "catl-jiangsuu", "ＣＡＴＬ", "星宇", "nev", 'catl"})-[r]-() RETURN r //'],
    "project_id": ["no-such-project", "项目", "catl-jiangsu"],
    "policy_id": ["no-such-policy", "政策", "nev"],
    "tier_id": ["tier-champion", "专精特新", "catl-jiangsu"],
    "district_id": ["wujn", "武进", "WUJIN", "nev"],
    "platform_id": ["plat-catl", "灯塔工厂", "catl-jiangsu"],
    "source_id": ["s5-zhonglou", "钟楼区", "nev", "reply-2022-56 "],
}
"""Ids no node of the path's kind has: each must give the same 404 problem (detail and suggestions)."""

LISTED_IDS = {
    "project_id": "/api/v1/projects",
    "policy_id": "/api/v1/policies",
    "tier_id": "/api/v1/tiers",
    "district_id": "/api/v1/districts",
    "platform_id": "/api/v1/platforms",
    "source_id": "/api/v1/sources",
}
"""Path parameters whose ids are every item of a list endpoint."""

BAD_YEARS: list[Params] = [{"year": 1989}, {"year": 2101}, {"year": "soon"}]
PAGING: list[Params] = [{"limit": 3, "offset": 2}, {"limit": 500, "offset": 10_000}, {"limit": 0}, {"offset": -1}]
TARGET_FILTERS: list[Params] = [
    {"year": 2020},
    {"kind": "broken_link"},
    {"kind": "weak", "limit": 5},
    {"min_severity": 0.4},
    {"min_severity": 2},
    {"year": 2018, "kind": "missing", "min_severity": 0.2, "limit": 5, "offset": 1},
    {"per_gap": 1},
    {"per_gap": 2, "kind": "broken_link"},
    {"untargeted": "true"},
    {"untargeted": "false", "per_gap": 1},
    {"per_gap": 0},
    {"hq": "上海"},
    {"hq": "Shenzhen", "limit": 3},
    {"hq": ""},
]
GAP_FILTERS: list[Params] = [
    {"year": 2020},
    {"kind": "missing"},
    {"kind": "weak"},
    {"kind": "broken_link"},
    {"kind": "extension"},
    {"min_severity": 0.5},
    {"min_severity": 0},
    {"untargeted": "true"},
    {"untargeted": "false"},
    {"has_candidates": "false"},
    {"has_candidates": "true", "untargeted": "true"},
    {"year": 2018, "kind": "missing", "min_severity": 0.2, "limit": 5},
    {"kind": "gone"},
    {"min_severity": 2},
    {"untargeted": "maybe"},
]

LIST_YEARS_OF_ONE: list[Params] = [{"list_year": 2022}, {"list_year": 2024}, {"list_year": 2023}]
"""``list_year`` on a route of one cluster: the cluster must be on that list (the ids tried are on both)."""

VARIANTS: dict[str, list[Params]] = {
    "/api/v1/clusters": [
        {},
        {"year": 2022},
        {"year": 2024},
        {"list_year": 2022},
        {"year": 2022, "list_year": 2024},
        {"year": 2023},
        {"list_year": "soon"},
    ],
    "/api/v1/clusters/{cluster_id}/chain": [{"year": 2018}, {"year": 2022}, {"year": 1990}, *BAD_YEARS],
    "/api/v1/clusters/{cluster_id}/completeness": [
        {"from": 2015, "to": 2020},
        {"segments": "nev-battery-cell,nev-recycling"},
        {"segments": "nev-battery-cell", "from": 2010},
        {"segments": "no-such-segment"},
        {"segments": " , "},
        {"from": 2022, "to": 2015},
        {"from": 3000},
    ],
    "/api/v1/clusters/{cluster_id}/gaps": [*GAP_FILTERS, *PAGING, *LIST_YEARS_OF_ONE],
    "/api/v1/clusters/{cluster_id}/health": [{"year": 2018}, {"year": 2022}, *BAD_YEARS, *LIST_YEARS_OF_ONE],
    "/api/v1/clusters/{cluster_id}/targets": [*TARGET_FILTERS, *PAGING, *BAD_YEARS, *LIST_YEARS_OF_ONE],
    "/api/v1/export": [
        {"format": "json"},
        {"format": "csv"},
        {"format": "graphml"},
        {"format": "cypher"},
        {"format": "xlsx"},
        {"format": "pdf"},
        {},
    ],
    "/api/v1/firms": [
        {"limit": 500},
        {"q": "catl"},
        {"q": "宁德"},
        {"q": "时代新能源"},
        {"q": "CATL Jiangsu"},
        {"q": "zzzz-nothing"},
        {"cluster": "nev"},
        {"cluster": "nev", "local": "false"},
        {"segment": "nev-battery-cell"},
        {"segment": "nev-battery-materials", "local": "true"},
        {"district": "wujin"},
        {"district": "liyang", "q": "时代"},
        {"tag": "链主"},
        {"tag": "listed", "local": "false", "limit": 500},
        {"anchor": "true"},
        {"anchor": "true", "cluster": "new-energy", "local": "true"},
        {"anchor": "false", "cluster": "nev"},
        {"tier": "tier-champion-firm"},
        {"tier": "tier-zjtx-city", "cluster": "nev"},
        {"local": "true", "limit": 7, "offset": 7},
        {"local": "false", "limit": 500},
        {"cluster": "no-such-cluster"},
        {"segment": "nev"},
        {"district": "catl"},
        {"tier": "no-such-tier"},
        {"local": "perhaps"},
        {"q": "x" * 201},
        *PAGING,
    ],
    "/api/v1/gaps": [
        {"limit": 500},
        {"cluster": "nev"},
        {"cluster": "electronics", "untargeted": "true"},
        {"cluster": "nevv"},
        {"list_year": 2022, "limit": 500},
        {"list_year": 2024, "untargeted": "true"},
        {"list_year": 2022, "cluster": "digital-info"},
        {"list_year": 2023},
        *GAP_FILTERS,
        *PAGING,
    ],
    "/api/v1/targets": [
        {"limit": 500},
        {"cluster": "nev"},
        {"cluster": "electronics", "kind": "missing"},
        {"cluster": "nevv"},
        {"list_year": 2022, "limit": 500},
        {"list_year": 2024, "untargeted": "true"},
        {"list_year": 2022, "cluster": "digital-info"},
        *TARGET_FILTERS,
        *PAGING,
    ],
    "/api/v1/cluster-links": [
        {},
        {"cluster": "nev"},
        {"cluster": "green-steel"},
        {"cluster": "nevv"},
        {"list_year": 2022},
        {"list_year": 2024, "cluster": "nev"},
        {"list_year": 2024, "cluster": "green-steel"},
        {"list_year": 2023},
    ],
    "/api/v1/health-ranking": [
        {},
        {"year": 2018},
        {"list_year": 2022},
        {"list_year": 2024, "year": 2020},
        {"list_year": 2023},
        *BAD_YEARS,
        *PAGING,
    ],
    "/api/v1/districts": [{}, {"limit": 500}, *PAGING],
    "/api/v1/platforms": [
        {},
        {"category": "lighthouse_factory"},
        {"category": "industrial_internet_platform"},
        {"category": "smart_factory"},
        {"category": "other"},
        {"category": "castle"},
    ],
    "/api/v1/policies": [
        {"limit": 500},
        {"tier": "tier-champion-firm"},
        {"tier": "tier-zjtx-city"},
        {"cluster": "nev"},
        {"cluster": "electronics"},
        {"segment": "nev-battery-cell"},
        {"segment": "nev-recycling", "cluster": "nev"},
        {"tier": "no-such-tier"},
        {"cluster": "nevv"},
        {"segment": "no-such-segment"},
        *PAGING,
    ],
    "/api/v1/policies/{policy_id}": [{"year": 2018}, {"year": 2024}, *BAD_YEARS],
    "/api/v1/projects": [
        {"limit": 500},
        {"cluster": "nev"},
        {"cluster": "nev", "year": 2022},
        {"year": 2016},
        {"segment": "nev-battery-cell"},
        {"district": "liyang"},
        {"district": "wujin", "cluster": "nev"},
        {"firm": "catl-jiangsu"},
        {"status": "planned"},
        {"status": "signed"},
        {"status": "started"},
        {"status": "completed"},
        {"status": "unknown"},
        {"status": "dreaming"},
        {"cluster": "nevv"},
        {"segment": "no-such-segment"},
        {"district": "no-such-district"},
        {"firm": "宁德时代"},
        *BAD_YEARS,
        *PAGING,
    ],
    "/api/v1/search": [
        {"q": "catl"},
        {"q": "CATL"},
        {"q": "电池"},
        {"q": "nev"},
        {"q": "ningde"},
        {"q": "ndsd"},
        {"q": "时代新能源"},
        {"q": "ningdee"},
        {"q": "星宇"},
        {"q": "电池", "type": "segment"},
        {"q": "电池", "type": "firm", "limit": 3, "offset": 1},
        {"q": "nev", "type": "cluster"},
        {"q": "zzzzzz-nothing"},
        {"q": "电池", "limit": 200, "offset": 10_000},
        {},
        {"q": ""},
        {"q": "catl", "type": "district"},
        {"q": "catl", "limit": 201},
    ],
    "/api/v1/segments/{segment_id}": [{"year": 2018}, {"year": 2022}, *BAD_YEARS],
    "/api/v1/segments/{segment_id}/candidates": [
        {"hq": "合肥"},
        {"hq": "深圳市", "year": 2018},
        {"year": 2018},
        {"limit": 500},
        {"limit": 2, "offset": 1},
        {"year": 1989},
        {"limit": 501},
    ],
    "/api/v1/segments/{segment_id}/impact": [{"year": 2018}, {"year": 2022}, *BAD_YEARS],
    "/api/v1/clusters/{cluster_id}/critical-segments": [{"year": 2018}, *PAGING, *BAD_YEARS],
    "/api/v1/clusters/{cluster_id}/critical-firms": [{"year": 2018}, *PAGING, *BAD_YEARS],
    "/api/v1/sources": [
        {},
        {"limit": 500},
        {"q": "常州"},
        {"q": "REPLY"},
        {"reliability": "weak"},
        {"reliability": "official", "cited": "true"},
        {"cited": "false"},
        {"reliability": "blog"},
        *PAGING,
    ],
    "/api/v1/tiers": [{}, {"year": 2018}, {"year": 2021}, {"year": 2024}, *BAD_YEARS],
    "/api/v1/tiers/{tier_id}": [{"year": 2020}, {"year": 2024}, *BAD_YEARS],
}
"""Query strings per path. Paths with path parameters: tried on :data:`FIRST_IDS` (or the first listed ids)."""

NONEMPTY_FILTERS: list[Request] = [
    ("/api/v1/firms", {"tag": "链主"}),
    ("/api/v1/firms", {"anchor": "true", "cluster": "nev"}),
    ("/api/v1/firms", {"district": "wujin"}),
    ("/api/v1/firms", {"tier": "tier-champion-firm"}),
    ("/api/v1/firms", {"segment": "nev-battery-materials", "local": "true"}),
    ("/api/v1/projects", {"district": "liyang"}),
    ("/api/v1/projects", {"firm": "catl-jiangsu"}),
    ("/api/v1/policies", {"tier": "tier-zjtx-city"}),
    ("/api/v1/policies", {"segment": "nev-battery-cell"}),
    ("/api/v1/platforms", {"category": "lighthouse_factory"}),
    ("/api/v1/gaps", {"untargeted": "true"}),
    ("/api/v1/gaps", {"has_candidates": "false"}),
]
"""Filters whose values must be real (a filter that keeps nothing compares two empty lists)."""

EXCLUDED_FIELDS: dict[str, dict[str, str]] = {
    "/health": {
        # "networkx" on one, "neo4j" on the other: the field exists to say which store serves
        "backend": "names the backend",
        # the store's own report: the Neo4j URI, database, server agent and generation; the node count of the
        # networkx graph. Its "state" is still compared through "status" ("ok" only when the store is "up").
        "store": "the backend's connection details",
    },
}
"""Top-level JSON fields left out of the comparison per path, each with the reason it legitimately differs."""

EXCLUDED_WORKBOOK_PARTS: dict[str, str] = {
    # dcterms:created / dcterms:modified: the clock when the workbook was written, not the data
    "docProps/core.xml": "the workbook's creation and modification times",
}
"""Parts of an xlsx file (a zip) left out of the comparison, each with the reason it legitimately differs."""

DATA_VERSION_MASK = "<data version>"
"""Stands in for ``store.version()`` in the reports, which print it: ``nx-<n>-<fingerprint>`` on one store,
``neo4j-<generation>-<fingerprint>`` on the other (the fingerprints are compared, and must be equal)."""

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

REPORT_REQUESTS: list[Request] = [
    ("/reports/summary", {}),
    ("/reports/summary", {"list_year": 2024, "year": 2020}),
    ("/reports/targets", {}),
    ("/reports/targets", {"kind": "断链", "list_year": 2022, "top": 200}),
    ("/reports/clusters/nev/brief", {}),
    ("/reports/clusters/nev", {}),
    ("/reports/clusters/electronics", {"year": 2020, "top": 5}),
    ("/reports/clusters/nev", {"format": "xlsx"}),
    ("/reports/clusters/biomedicine.xlsx", {"year": 2022}),
    ("/reports/clusters/nevv", {}),
    ("/reports/clusters/nevv.xlsx", {}),
    ("/reports/clusters/nev", {"top": 0}),
    ("/reports/targets", {"top": 0}),
    ("/reports/clusters/nevv/brief", {}),
    ("/reports/clusters/nev/brief", {"per_gap": 1}),
    ("/reports/clusters/nev.xlsx", {"per_gap": 2}),
    ("/reports/clusters/nev/brief", {"per_gap": 0}),
]
"""The printable reports and workbooks compared: a few, as each costs up to ~0.5 s on Neo4j (``/reports/summary.xlsx``,
every cluster's workbook, is left out: ~4 s on Neo4j)."""

WHAT_IF_BODIES: list[Any] = [
    {"remove": ["catl-jiangsu"]},
    {"remove": ["catl-jiangsu", "xingyu"], "year": 2020},
    {"remove": ["宁德时代"]},
    {"remove": []},
    {},
]
"""Bodies of ``POST /api/v1/what-if`` (a read: nothing is written), the one query API that is not a GET."""


# -- the clients ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def memory_store(bundled: Dataset) -> MemoryStore:
    """A networkx store on the bundled data, for this module alone."""
    return MemoryStore(bundled)


@pytest.fixture(scope="module")
def memory_client(memory_store: MemoryStore) -> Iterator[TestClient]:
    """The app over a networkx store on the bundled data (the reference answers)."""
    yield TestClient(create_app(memory_store, Settings.from_env(env={})))


@pytest.fixture(scope="module")
def neo4j_client(neo4j_store: Neo4jStore, bundled: Dataset) -> Iterator[TestClient]:
    """The app over the Neo4j store holding the same bundled data.

    The client is not entered as a context manager: the app's lifespan closes its store on the way out, and
    ``neo4j_store`` is shared by the whole session.
    """
    if not neo4j_store.version().endswith(bundled.fingerprint()):  # another test may have loaded something else
        neo4j_store.replace(bundled)
    yield TestClient(create_app(neo4j_store, Settings.from_env(env={})))


@pytest.fixture(scope="module")
def real_ids(memory_client: TestClient) -> dict[str, list[str]]:
    """Every real id of each path parameter, read from the reference app (firms: a sample)."""
    clusters = [c["id"] for c in _json(memory_client, "/api/v1/clusters")["items"]]
    segments = [s["id"] for c in clusters for s in _json(memory_client, f"/api/v1/clusters/{c}")["segments"]]
    firms = [f["id"] for f in _json(memory_client, "/api/v1/firms", {"limit": 500})["items"]]
    out = {
        "cluster_id": clusters,
        "segment_id": list(dict.fromkeys(segments)),
        "firm_id": list(dict.fromkeys([*FIRST_IDS["firm_id"], *firms[::FIRM_SAMPLE_STEP]])),
    }
    for param, list_path in LISTED_IDS.items():
        whole = list_path in ("/api/v1/tiers", "/api/v1/platforms")  # not paged: `limit` would be refused (422)
        out[param] = [
            item["id"] for item in _json(memory_client, list_path, None if whole else {"limit": 500})["items"]
        ]
    return out


def _json(client: TestClient, path: str, params: Params | None = None) -> Any:
    r = client.get(path, params=params)
    assert r.status_code == 200, f"GET {path} {params}: {r.status_code} {r.text[:300]}"
    return r.json()


def path_params(path: str) -> list[str]:
    """The names of the path parameters of an OpenAPI ``path`` (of any operation on it)."""
    operations = SPEC["paths"][path].values()
    return [p["name"] for op in operations for p in op.get("parameters", []) if p["in"] == "path"]


def requests_for(path: str, ids: dict[str, list[str]]) -> list[Request]:
    """The requests made on ``path``: every real id bare, the variants on the first ids, the unknown ids."""
    variants = VARIANTS.get(path, [{}])
    params = path_params(path)
    if not params:
        return [(path, query) for query in variants]
    (param,) = params  # every path here has one path parameter
    assert ids[param], f"no real ids for {param}"
    first = FIRST_IDS.get(param, ids[param][:2])
    out: list[Request] = [(path.replace("{" + param + "}", value), {}) for value in ids[param]]
    out += [(path.replace("{" + param + "}", value), query) for value in first for query in variants if query]
    out += [(path.replace("{" + param + "}", value), {}) for value in UNKNOWN_IDS[param]]
    return out


# -- comparing two answers -----------------------------------------------------------------------


def diff(expected: Any, actual: Any, where: str = "$", limit: int = 8) -> list[str]:
    """Up to ``limit`` lines, one per place where two JSON values differ, in the order the places appear.

    >>> diff({"a": [1, 2], "b": "x"}, {"a": [1, 3], "c": "x"})
    ['$.a[1]: 2 != 3', "$.b: 'x' != (missing)", "$.c: (missing) != 'x'"]
    """
    out: list[str] = []

    def walk(a: Any, b: Any, at: str) -> None:
        if len(out) >= limit or a == b:
            return
        if isinstance(a, dict) and isinstance(b, dict):
            for key in [*a, *(k for k in b if k not in a)]:
                if key not in b:
                    out.append(f"{at}.{key}: {_short(a[key])} != (missing)")
                elif key not in a:
                    out.append(f"{at}.{key}: (missing) != {_short(b[key])}")
                else:
                    walk(a[key], b[key], f"{at}.{key}")
                if len(out) >= limit:
                    return
        elif isinstance(a, list) and isinstance(b, list):
            if len(a) != len(b):
                out.append(f"{at}: {len(a)} items != {len(b)} items")
            for i, (x, y) in enumerate(zip(a, b, strict=False)):
                walk(x, y, f"{at}[{i}]")
                if len(out) >= limit:
                    return
        elif isinstance(a, str | bytes) and isinstance(b, type(a)) and max(len(a), len(b)) > 100:
            offset = first_difference(a, b)
            window = slice(max(0, offset - 30), offset + 50)
            out.append(f"{at}: from offset {offset}: {a[window]!r} != {b[window]!r}")
        else:
            out.append(f"{at}: {_short(a)} != {_short(b)}")

    walk(expected, actual, where)
    return out[:limit]


def first_difference(a: str | bytes, b: str | bytes) -> int:
    """The offset of the first character (or byte) where ``a`` and ``b`` differ.

    >>> first_difference("abcd", "abXd"), first_difference("ab", "abc")
    (2, 2)
    """
    return next((i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y), min(len(a), len(b)))


def _short(value: Any, width: int = 100) -> str:
    text = repr(value) if not isinstance(value, dict | list) else json.dumps(value, ensure_ascii=False)
    return text if len(text) <= width else text[: width - 1] + "…"


def comparable(response: Any, versions: tuple[str, ...] = ()) -> Any:
    """The body of ``response`` as compared: JSON parsed, text as text, an xlsx as its parts, else the bytes.

    Each of ``versions`` (data version strings) is replaced by :data:`DATA_VERSION_MASK`.
    """
    kind = response.headers.get("content-type", "")
    if "json" in kind:
        return response.json()
    if kind == XLSX:
        with zipfile.ZipFile(io.BytesIO(response.content)) as book:
            parts = {name: book.read(name) for name in book.namelist() if name not in EXCLUDED_WORKBOOK_PARTS}
        for version in versions:
            parts = {name: data.replace(version.encode(), DATA_VERSION_MASK.encode()) for name, data in parts.items()}
        return parts
    if kind.startswith("text/") or kind.endswith("+xml"):
        text = response.text
        for version in versions:
            text = text.replace(version, DATA_VERSION_MASK)
        return text
    return response.content


def difference(path: str, call: str, expected: Any, actual: Any, versions: tuple[str, ...] = ()) -> str | None:
    """How the networkx answer (``expected``) and the Neo4j answer (``actual``) to one request differ, or None."""
    if expected.status_code != actual.status_code:
        return f"{call}: status {expected.status_code} (networkx) != {actual.status_code} (neo4j)"
    kinds = [r.headers.get("content-type") for r in (expected, actual)]
    if kinds[0] != kinds[1]:
        return f"{call}: content-type {kinds[0]} (networkx) != {kinds[1]} (neo4j)"
    a, b = comparable(expected, versions), comparable(actual, versions)
    for field in EXCLUDED_FIELDS.get(path, {}):
        assert isinstance(a, dict) and field in a, f"{path}: the excluded field {field!r} is gone; drop the exclusion"
        a, b = {k: v for k, v in a.items() if k != field}, {k: v for k, v in b.items() if k != field}
    if a == b:
        return None
    lines = "\n".join(f"    {line}" for line in diff(a, b))
    return f"{call}: bodies differ (networkx != neo4j)\n{lines}"


def compare(
    path: str,
    requests: list[Request],
    memory_client: TestClient,
    neo4j_client: TestClient,
    versions: tuple[str, ...] = (),
) -> tuple[list[str], list[int]]:
    """Make each request on both apps: the differences found and the status codes seen (of the reference)."""
    found: list[str] = []
    statuses: list[int] = []
    for url, params in requests:
        expected = memory_client.get(url, params=params)
        actual = neo4j_client.get(url, params=params)
        statuses.append(expected.status_code)
        problem = difference(path, f"GET {url}" + (f" {params}" if params else ""), expected, actual, versions)
        if problem is not None:
            found.append(problem)
    return found, statuses


def report(path: str, found: list[str], count: int, shown: int = 12) -> str:
    more = f"\n... and {len(found) - shown} more" if len(found) > shown else ""
    return f"{len(found)} of {count} requests on {path} answer differently:\n" + "\n".join(found[:shown]) + more


# -- the tests -----------------------------------------------------------------------------------


def test_the_diff_names_each_difference() -> None:
    expected = {"items": [{"id": "a", "n": 1}, {"id": "b"}], "total": 2}
    actual = {"items": [{"id": "a", "n": 2}], "total": 1, "extra": True}
    assert diff(expected, actual) == [
        "$.items: 2 items != 1 items",
        "$.items[0].n: 1 != 2",
        "$.total: 2 != 1",
        "$.extra: (missing) != True",
    ]
    assert diff(expected, expected) == []
    assert len(diff(list(range(20)), list(range(1, 21)))) == 8
    page = "<p>" + "x" * 200 + "</p>"
    assert diff(page, page.replace("</p>", "</b>")) == [
        f"$: from offset 205: {'x' * 28 + '</p>'!r} != {'x' * 28 + '</b>'!r}"
    ]


def test_the_requests_cover_every_get_endpoint(real_ids: dict[str, list[str]]) -> None:
    assert len(GET_PATHS) >= 20 and len(VIEW_PATHS) >= 4
    unknown = sorted(set(VARIANTS) - set(GET_PATHS))
    assert not unknown, f"VARIANTS names paths the API does not have: {unknown}"
    for path in GET_PATHS:
        declared = {p["name"] for p in SPEC["paths"][path]["get"].get("parameters", []) if p["in"] == "query"}
        used = {key for _, query in requests_for(path, real_ids) for key in query}
        assert used <= declared, f"{path}: the variants send parameters it does not take: {used - declared}"
        assert declared <= used, f"{path}: no variant tries the query parameters {sorted(declared - used)}"
    assert len(real_ids["firm_id"]) >= 100 and len(real_ids["segment_id"]) >= 100


def test_the_filters_pick_real_values(memory_client: TestClient) -> None:
    for path, query in NONEMPTY_FILTERS:
        assert _json(memory_client, path, query)["total"] > 0, f"GET {path} {query} keeps nothing: pick a real value"


@pytest.mark.parametrize("path", GET_PATHS)
def test_every_get_endpoint_answers_the_same_on_both_stores(
    path: str, memory_client: TestClient, neo4j_client: TestClient, real_ids: dict[str, list[str]]
) -> None:
    requests = requests_for(path, real_ids)
    found, statuses = compare(path, requests, memory_client, neo4j_client)
    assert not found, report(path, found, len(requests))
    assert 200 in statuses, f"GET {path}: no request succeeded, so nothing real was compared"
    if path_params(path):
        assert 404 in statuses, f"GET {path}: the unknown ids did not give 404"


@pytest.mark.parametrize("path", VIEW_PATHS)
def test_every_view_is_the_same_page_on_both_stores(
    path: str, memory_client: TestClient, neo4j_client: TestClient, real_ids: dict[str, list[str]]
) -> None:
    params = path_params(path)
    if params:
        (param,) = params
        values = [*FIRST_IDS[param], *real_ids[param][:: VIEW_SAMPLE_STEP[param]], *UNKNOWN_IDS[param][:2]]
        requests: list[Request] = [(path.replace("{" + param + "}", v), {}) for v in dict.fromkeys(values)]
    else:
        requests = [(path, {})]
    found, statuses = compare(path, requests, memory_client, neo4j_client)
    assert not found, report(path, found, len(requests))
    assert 200 in statuses
    if params:
        assert 404 in statuses, f"GET {path}: the unknown ids did not give 404"


def test_health_is_the_same_but_for_the_backend(memory_client: TestClient, neo4j_client: TestClient) -> None:
    found, statuses = compare("/health", [("/health", {})], memory_client, neo4j_client)
    assert not found, report("/health", found, 1)
    assert statuses == [200]
    backends = {client.get("/health").json()["backend"] for client in (memory_client, neo4j_client)}
    assert backends == {"networkx", "neo4j"}, "the two apps must really run on two backends"


def test_the_reports_are_the_same_but_for_the_data_version(
    memory_client: TestClient,
    neo4j_client: TestClient,
    memory_store: MemoryStore,
    neo4j_store: Neo4jStore,
    bundled: Dataset,
) -> None:
    versions = (memory_store.version(), neo4j_store.version())
    assert all(v.endswith("-" + bundled.fingerprint()) for v in versions), f"not the same data: {versions}"
    found, statuses = compare("/reports", REPORT_REQUESTS, memory_client, neo4j_client, versions)
    assert not found, report("/reports", found, len(REPORT_REQUESTS))
    assert statuses == [200] * 9 + [404, 404, 422, 422, 404] + [200, 200, 422], statuses


def test_what_if_answers_the_same_on_both_stores(memory_client: TestClient, neo4j_client: TestClient) -> None:
    found: list[str] = []
    statuses: list[int] = []
    for body in WHAT_IF_BODIES:
        expected = memory_client.post("/api/v1/what-if", json=body)
        actual = neo4j_client.post("/api/v1/what-if", json=body)
        statuses.append(expected.status_code)
        problem = difference("/api/v1/what-if", f"POST /api/v1/what-if {body}", expected, actual)
        if problem is not None:
            found.append(problem)
    assert not found, report("/api/v1/what-if", found, len(WHAT_IF_BODIES))
    assert statuses == [200, 200, 404, 422, 422]
