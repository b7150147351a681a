"""Every problem+json body carries ``detail_zh``, the Chinese of its ``detail`` (review 7, finding 14).

The API's error text was bilingual on some 4xx (an unknown parameter, a 405, a path no route answers) and
English-only on the common ones (an unknown id, a bad value, ``list_year=2023``, a 503). ``detail`` is kept as it
was (clients and tests match it); ``detail_zh`` is added to every problem, one per type of the docs/api.md table.
"""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.problems import PROBLEM_EXAMPLES, Problem, detail_zh, english_half
from chainkg.settings import Settings
from graph.errors import ConfigError, GraphNotLoaded, StateConflict, StateCorrupt, StoreUnavailable
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore

CJK = re.compile(r"[\u4e00-\u9fff]")


def _zh(response: Any, slug: str, status: int) -> str:
    """The ``detail_zh`` of a problem ``response`` of ``slug`` and ``status``: present, non-empty, Chinese."""
    assert response.status_code == status, response.text[:300]
    assert response.headers["content-type"] == "application/problem+json"
    body = response.json()
    assert body["type"] == "https://chainkg.dev/problems/" + slug, body
    zh = body.get("detail_zh")
    assert isinstance(zh, str) and zh.strip(), body
    assert CJK.search(zh), zh
    assert zh != body["detail"]  # the Chinese, not the English again
    return zh


def _client(**env: str) -> TestClient:
    """The API on the tiny chain, with the settings ``env`` and a state folder of its own."""
    env.setdefault("CHAINKG_STATE_DIR", tempfile.mkdtemp(prefix="chainkg-test-state-"))
    return TestClient(create_app(MemoryStore(tiny_chain()), Settings.from_env(env=env)))


# -- 404 -----------------------------------------------------------------------------------------------------


def test_an_unknown_id_names_the_id_and_the_suggestions_in_chinese(api_client: Any) -> None:
    response = api_client.get("/api/v1/clusters/nevv")
    zh = _zh(response, "not-found", 404)
    assert response.json()["detail"] == "No cluster with id 'nevv'. Did you mean: nev?"  # unchanged
    assert zh == "没有编号为 'nevv' 的集群。是否要找：nev？"


def test_an_unknown_id_in_a_filter_lists_every_suggestion(api_client: Any) -> None:
    body = api_client.get("/api/v1/gaps", params={"cluster": "t"}).json()
    zh = _zh(api_client.get("/api/v1/gaps", params={"cluster": "t"}), "not-found", 404)
    assert body["suggestions"] and "'t'" in zh and "集群" in zh
    assert zh.endswith("是否要找：" + "、".join(body["suggestions"]) + "？")


def test_an_id_of_another_kind_says_what_it_names() -> None:
    zh = _zh(_client().get("/api/v1/clusters/t-cell"), "not-found", 404)
    assert zh == "没有编号为 't-cell' 的集群（'t-cell' 是环节）。是否要找：t-nev？"


def test_an_unknown_firm_is_a_firm_in_chinese() -> None:
    zh = _zh(_client().get("/api/v1/firms/no-such-firm"), "not-found", 404)
    assert zh.startswith("没有编号为 'no-such-firm' 的企业。")


def test_a_page_asked_for_as_json_carries_it_too(api_client: Any) -> None:
    response = api_client.get("/views/clusters/nevv", headers={"Accept": "application/json"})
    assert _zh(response, "not-found", 404) == "没有编号为 'nevv' 的集群。是否要找：nev？"


def test_a_path_no_route_answers(api_client: Any) -> None:
    zh = _zh(api_client.get("/api/v1/cluster"), "http-404", 404)
    assert zh.startswith("没有此路径") and "/api/v1/clusters" in zh


# -- 405, CORS ----------------------------------------------------------------------------------------------


def test_a_method_the_route_does_not_answer(api_client: Any) -> None:
    zh = _zh(api_client.get("/api/v1/what-if"), "http-405", 405)
    assert zh == "/api/v1/what-if 不支持 GET，只接受 POST。"


@pytest.mark.parametrize("env", [{}, {"CHAINKG_CORS_ORIGINS": "https://planning.example"}])
def test_a_refused_cors_preflight(env: dict[str, str]) -> None:
    response = _client(**env).options(
        "/api/v1/clusters", headers={"Origin": "https://evil.example", "Access-Control-Request-Method": "GET"}
    )
    zh = _zh(response, "cors-refused", 405 if not env else 400)
    assert "https://evil.example" in zh and "CHAINKG_CORS_ORIGINS" in zh


# -- 422 invalid-request: one Chinese sentence per pydantic error type ---------------------------------------


@pytest.mark.parametrize(
    ("url", "params", "expected"),
    [
        (
            "/api/v1/gaps",
            {"kind": "mising"},
            "查询参数 kind：应为 missing（缺链）、weak（弱链）、broken_link（断链）或 extension（延链）"
            "（收到 'mising'）",
        ),
        ("/api/v1/gaps", {"limit": "ten"}, "查询参数 limit：应为整数（收到 'ten'）"),
        ("/api/v1/gaps", {"limit": "0"}, "查询参数 limit：应不小于 1（收到 '0'）"),
        ("/api/v1/gaps", {"limit": "9999"}, "查询参数 limit：应不大于 500（收到 '9999'）"),
        ("/api/v1/gaps", {"min_severity": "high"}, "查询参数 min_severity：应为数字（收到 'high'）"),
        ("/api/v1/gaps", {"has_candidates": "maybe"}, "查询参数 has_candidates：应为 true 或 false（收到 'maybe'）"),
        ("/api/v1/search", {"q": "x" * 201}, "查询参数 q：最多 200 个字符（收到 '" + "x" * 80 + "…'）"),
        ("/api/v1/search", {}, "查询参数 q：缺少此项（必填）"),
        (
            "/api/v1/projects",
            {"status": "done"},
            "查询参数 status：应为 planned、signed、started、completed 或 unknown（收到 'done'）",
        ),
    ],
)
def test_a_bad_value_says_where_what_and_the_value(
    api_client: Any, url: str, params: dict[str, str], expected: str
) -> None:
    response = api_client.get(url, params=params)
    assert _zh(response, "invalid-request", 422) == expected


def test_every_parameter_at_fault_is_said(api_client: Any) -> None:
    zh = _zh(api_client.get("/api/v1/gaps", params={"limit": "x", "min_severity": "3"}), "invalid-request", 422)
    assert "查询参数 limit：应为整数（收到 'x'）" in zh and "查询参数 min_severity：应不大于 1（收到 '3'）" in zh
    assert zh.count("；") >= 1


def test_an_unknown_parameter(api_client: Any) -> None:
    zh = _zh(api_client.get("/api/v1/gaps", params={"cluster_id": "nev"}), "invalid-request", 422)
    assert zh.startswith("查询参数 cluster_id：未知参数；本接口可用参数：cluster、") and "是否应为 cluster？" in zh
    assert zh.endswith("（收到 'nev'）")


@pytest.mark.parametrize(
    ("content", "content_type", "expected"),
    [
        (b"{", "application/json", "请求体：不是有效的 JSON（解析在第 1 个字符处出错）"),
        (b'{"remove": "li-auto"}', "application/json", "请求体字段 remove：应为列表（JSON 数组）（收到 'li-auto'）"),
        (
            b'{"remove": ["li-auto"]}',
            "text/plain;charset=UTF-8",
            "请求头 content-type：请求体须为 JSON，并以 Content-Type: application/json 发送"
            "（收到 'text/plain;charset=UTF-8'）",
        ),
    ],
)
def test_a_bad_what_if_body(api_client: Any, content: bytes, content_type: str, expected: str) -> None:
    response = api_client.post("/api/v1/what-if", content=content, headers={"content-type": content_type})
    zh = _zh(response, "invalid-request", 422)
    assert zh.startswith(expected)
    if content_type == "application/json":  # the body expected, as `detail` says it
        assert zh.endswith('；请求体应为如下 JSON：{"remove": ["li-auto"]}')


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            b'{"firms": ["ganfeng"]}',
            "请求体字段 remove：缺少此项（必填）；"
            "请求体字段 firms：不接受此字段（可用字段：remove、year、with_subsidiaries）；",
        ),
        (
            b'{"remove": ["a"], "x": {"y": 1}}',
            "请求体字段 x：不接受此字段（可用字段：remove、year、with_subsidiaries）；",
        ),
        (b'{"remove": [1]}', "请求体字段 remove.0：应为文本（收到 1）；"),
        (b'{"remove": null}', "请求体字段 remove：应为列表（JSON 数组）；"),
        (b'{"remove": []}', "请求体字段 remove：至少 1 项；"),
        (
            b'{"remove": ["a"], "with_subsidiaries": "yes"}',
            "请求体字段 with_subsidiaries：应为 true 或 false（收到 'yes'）；",
        ),
        (b"[]", "请求体：应为 JSON 对象；"),
    ],
)
def test_a_body_error_is_said_in_chinese_only(api_client: Any, content: bytes, expected: str) -> None:
    """Review 8, finding 3: an unknown field was "值无效（Extra inputs are not permitted）", English and wrong."""
    response = api_client.post("/api/v1/what-if", content=content, headers={"content-type": "application/json"})
    zh = _zh(response, "invalid-request", 422)
    assert zh.startswith(expected)
    assert "值无效" not in zh and not re.search(r"[A-Za-z]{3,} [A-Za-z]{3,}", zh), zh  # no English sentence left
    if b"firms" in content or b'"x"' in content:  # `detail` names the fields too, in English
        assert (
            "Extra inputs are not permitted; the body takes remove, year, with_subsidiaries"
            in (response.json()["detail"])
        )


# -- 422 invalid-query: chainkg's own rules --------------------------------------------------------------------


def test_an_unpublished_list_year(api_client: Any) -> None:
    response = api_client.get("/api/v1/clusters", params={"list_year": 2023})
    assert response.json()["detail"] == "list_year must be one of 2022, 2024 (a published list); got 2023"
    zh = _zh(response, "invalid-query", 422)
    assert zh == "查询参数 list_year：应为 2022、2024 之一（已公布的名单年份）（收到 '2023'）"


@pytest.mark.parametrize(
    "path",
    [
        "/api/v1/clusters/digital-info/gaps",
        "/api/v1/clusters/digital-info/health",
        "/api/v1/clusters/digital-info/targets",
    ],
)
def test_a_cluster_not_on_the_list_keeps_the_facts_and_the_advice(api_client: Any, path: str) -> None:
    """Review 8, finding 4: the Chinese kept "(it is on the 2024 list)" in English and dropped the advice."""
    response = api_client.get(path, params={"list_year": 2022})
    assert response.json()["detail"] == (
        "digital-info is not on the 2022 list (it is on the 2024 list): ask for 2024, or leave the list year out"
    )
    zh = _zh(response, "invalid-query", 422)
    assert zh == (
        "查询参数 list_year：digital-info 不在 2022 年名单上（在 2024 年名单上）："
        "请改用 2024，或不指定名单年份（收到 '2022'）"
    )


def test_from_after_to_names_from_like_every_other_422(api_client: Any) -> None:
    """Review 9: this 422 had no ``errors`` entry and a generic 请求无效; it now names ``from`` as the others do."""
    response = api_client.get("/api/v1/clusters/nev/completeness", params={"from": 2024, "to": 2020})
    zh = _zh(response, "invalid-query", 422)
    (entry,) = response.json()["errors"]
    assert entry["loc"] == ["query", "from"] and entry["input"] == "2024"
    assert zh.startswith("查询参数 from：from（2024）晚于 to（2020）；应满足 from ≤ to")


# -- the import's problems ------------------------------------------------------------------------------------

CSV = "id,name_zh,name_en,is_local\nnew-co,新公司,New Co,maybe\n".encode()


def test_an_invalid_import_built_by_its_route_gets_it_too() -> None:
    """`POST /api/v1/imports` answers a refused import with :func:`api.problems.problem` too, so it has one."""
    response = _client(CHAINKG_API_KEY="k").post(
        "/api/v1/imports",
        headers={"X-API-Key": "k", "Accept-Encoding": "identity"},
        files={"file": ("firms.csv", CSV, "text/csv")},
    )
    zh = _zh(response, "invalid-import", 422)
    assert zh == "发现 1 个问题，未导入任何数据。"
    assert int(response.headers["content-length"]) == len(response.content)
    assert list(response.json())[:5] == ["type", "title", "status", "detail", "detail_zh"]


@pytest.mark.parametrize(
    ("field", "value", "expected"),
    [
        ("on_conflict", "sometimes", "请求体字段 on_conflict：应为 fail、overwrite 或 keep（收到 'sometimes'）"),
        ("dry_run", "perhaps", "请求体字段 dry_run：应为 true 或 false（收到 'perhaps'）"),
    ],
)
def test_a_bad_form_field_names_it_and_its_value(field: str, value: str, expected: str) -> None:
    response = _client(CHAINKG_API_KEY="k").post(
        "/api/v1/imports",
        headers={"X-API-Key": "k"},
        files={"file": ("firms.csv", CSV, "text/csv")},
        data={field: value},
    )
    assert _zh(response, "invalid-request", 422) == expected


def test_a_missing_file_field() -> None:
    response = _client(CHAINKG_API_KEY="k").post("/api/v1/imports", headers={"X-API-Key": "k"}, data={"x": "1"})
    assert _zh(response, "invalid-request", 422) == "请求体字段 file：请以 multipart 字段 file 上传文件。"


def test_an_unreadable_body() -> None:
    response = _client(CHAINKG_API_KEY="k").post(
        "/api/v1/imports", headers={"X-API-Key": "k", "content-type": "multipart/form-data"}, content=b"abc"
    )
    zh = _zh(response, "http-400", 400)
    assert zh.startswith("无法读取请求体：") and response.json()["detail"] in zh


@pytest.mark.parametrize(
    ("env", "headers", "slug", "status", "expected"),
    [
        ({"CHAINKG_API_KEY": "k"}, {"X-API-Key": "wrong"}, "unauthorized", 401, "需要有效的 API 密钥。"),
        ({}, {"X-API-Key": "k"}, "writes-disabled", 403, "未配置 CHAINKG_API_KEY，写入已禁用。"),
    ],
)
def test_the_key_problems(env: dict[str, str], headers: dict[str, str], slug: str, status: int, expected: str) -> None:
    response = _client(**env).post("/api/v1/imports", headers=headers, files={"file": ("firms.csv", CSV, "text/csv")})
    assert _zh(response, slug, status) == expected


def test_a_body_over_the_limit() -> None:
    response = _client(CHAINKG_MAX_BODY_MB="1").post(
        "/api/v1/what-if", content=b" " * (2 * 2**20), headers={"content-type": "application/json"}
    )
    assert _zh(response, "payload-too-large", 413) == "请求体超过 1 MB 上限。"


# -- a store that fails: 409, 500, 503 -------------------------------------------------------------------------


def _failing(error: Exception) -> Iterator[TestClient]:
    class Failing(MemoryStore):
        def nodes(self, kind):  # type: ignore[no-untyped-def,override]
            raise error

    with TestClient(create_app(Failing(tiny_chain()), Settings.from_env(env={})), raise_server_exceptions=False) as c:
        yield c


@pytest.mark.parametrize(
    ("error", "slug", "status", "start", "keeps_detail"),
    [
        (
            StoreUnavailable("Neo4j at bolt://db:7687 is unavailable"),
            "store-unavailable",
            503,
            "图数据库暂时无法访问",
            True,
        ),
        (
            GraphNotLoaded("Neo4j at bolt://db:7687 holds no graph"),
            "graph-not-loaded",
            503,
            "图数据库尚未载入图谱",
            True,
        ),
        (StateConflict("the graph changed meanwhile"), "conflict", 409, "导入检查期间图谱已被修改", False),
        (ConfigError("NEO4J_URI 'x' is not a usable address"), "config", 500, "服务器配置有误：", True),
        (
            StateCorrupt("state/graph.json is unreadable; backup: graph.json.bak"),
            "state-corrupt",
            500,
            "已保存的图谱无法读取：",
            True,
        ),
        (RuntimeError("internal detail that must not leak"), "internal", 500, "服务器内部错误", False),
    ],
)
def test_a_failing_store(error: Exception, slug: str, status: int, start: str, keeps_detail: bool) -> None:
    for client in _failing(error):
        response = client.get("/api/v1/clusters")
        zh = _zh(response, slug, status)
        assert zh.startswith(start), zh
        assert (response.json()["detail"] in zh) == keeps_detail  # the address, variable or file it names
        assert "must not leak" not in response.text


# -- the declaration ------------------------------------------------------------------------------------------


FROM_THE_HANDLERS_TEXT = {"payload-too-large", "unauthorized", "writes-disabled", "invalid-import"}
"""Examples whose ``detail_zh`` is the Chinese half of the handler's bilingual text, which ``detail`` no longer
carries (review 9): ``tests/test_openapi_problems.py`` checks them against live answers instead."""


def test_the_examples_carry_what_the_builder_gives() -> None:
    for slug, example in PROBLEM_EXAMPLES.items():
        assert CJK.search(example["detail_zh"]), slug
        assert not CJK.search(english_half(example["detail"]).split(" or the Chinese name ")[0]), slug
        if slug in FROM_THE_HANDLERS_TEXT:
            assert detail_zh(example) != example["detail_zh"], f"{slug}: move it out of FROM_THE_HANDLERS_TEXT"
        else:
            assert example["detail_zh"] == detail_zh(example), slug


def test_the_problem_schema_declares_detail_zh() -> None:
    declared = Problem.model_json_schema()["properties"]["detail_zh"]
    assert declared["type"] == "string" and "Chinese" in declared["description"]
    assert "default" not in declared
    spec = create_app(MemoryStore(), Settings.from_env(env={})).openapi()
    assert spec["components"]["schemas"]["Problem"]["properties"]["detail_zh"]["type"] == "string"
