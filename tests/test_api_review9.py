"""Review 9: one problem+json shape for every 422 of a query parameter, the list note on the gaps and targets
of one published list, an empty ``hq_en`` beside an empty ``hq``, and one Chinese word (待核实) for unverified.

Each test's docstring says what was wrong.
"""

from __future__ import annotations

import ast
from pathlib import Path
from typing import Any

import pytest

from api.problems import detail_zh, english_half, problem_extra
from graph.errors import InvalidQuery
from queries.clusters import LIST_SIZE, incomplete_list_note, list_clusters
from queries.places import place_en

ROOT = Path(__file__).resolve().parents[1]


# -- 1: every 422 of a query parameter has `errors` naming it -----------------------------------------------


@pytest.mark.parametrize(
    ("url", "param", "value", "zh_start"),
    [
        (
            "/api/v1/clusters?year=2024&list_year=2022",
            "list_year",
            "2022",  # as sent in the URL
            "查询参数 list_year：year=2024 与 list_year=2022",
        ),
        (
            "/api/v1/clusters/nev/completeness?from=2025&to=2020",
            "from",
            "2025",
            "查询参数 from：from（2025）晚于 to（2020）",
        ),
    ],
)
def test_a_422_between_two_parameters_names_one_in_errors(
    api_client: Any, url: str, param: str, value: str, zh_start: str
) -> None:
    """Both answered `invalid-query` without `errors`, against the Problem schema's promise to every 422, and
    the completeness one said 请求无效： instead of naming the parameter as the other 422s do."""
    response = api_client.get(url)
    assert response.status_code == 422
    assert response.headers["content-type"].startswith("application/problem+json")
    body = response.json()
    assert body["type"].endswith("/invalid-query")
    (error,) = body["errors"]
    assert error["loc"] == ["query", param]
    assert error["input"] == value
    assert error["type"] == "value_error"
    assert english_half(error["msg"]) == body["detail"]  # the detail is English (review 9)
    assert body["detail_zh"].startswith(zh_start), body["detail_zh"]
    assert "请求无效" not in body["detail_zh"]


def test_an_invalid_query_not_naming_its_parameter_gets_it_from_the_request() -> None:
    """The general fix: a query error raised without `param`, whose message starts with a parameter the request
    sent, is answered with that parameter's `errors` entry (and the value sent), so `detail_zh` names it."""
    exc = InvalidQuery("to (2019) is before 2020, the first year with data")
    extra = problem_extra(exc, {"to": "2019", "limit": "5"})
    assert extra["errors"] == [{"loc": ["query", "to"], "msg": str(exc), "type": "value_error", "input": "2019"}]
    body = {"type": "https://chainkg.dev/problems/invalid-query", "status": 422, "detail": str(exc), **extra}
    assert detail_zh(body).startswith("查询参数 to：")
    assert problem_extra(exc, {"limit": "5"}) == {}, "a parameter not sent is not guessed"
    assert problem_extra(exc) == {}


def _raises_without_param(path: Path) -> list[int]:
    """Lines of ``path`` that raise an :class:`InvalidQuery` about the query without naming its ``param``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    lines = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "InvalidQuery":
            if not any(k.arg == "param" for k in node.keywords):
                lines.append(node.lineno)
    return lines


def test_every_invalid_query_of_the_api_names_its_parameter() -> None:
    """The two 422s above were raised without `param`; every raise in queries/ and api/ now names one."""
    files = sorted([*ROOT.glob("queries/*.py"), *ROOT.glob("api/**/*.py")])
    assert len(files) > 20
    missing = {str(f.relative_to(ROOT)): lines for f in files if (lines := _raises_without_param(f))}
    assert missing == {}


# -- 2: the list note on /gaps and /targets -------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/gaps", "/api/v1/targets"])
def test_gaps_and_targets_of_the_2022_list_say_it_is_known_in_part(
    api_client: Any, bundled_store: Any, path: str
) -> None:
    """`/gaps?list_year=2022` and `/targets?list_year=2022` narrowed to the 2022 list silently, while `/clusters`
    and `/health-ranking` said that only 7 of its 10 clusters are known."""
    known = len(list_clusters(bundled_store, 2022))
    assert known < LIST_SIZE, "the bundled 2022 list is known in part"
    note = incomplete_list_note(2022, known)
    assert note is not None
    body = api_client.get(path, params={"list_year": 2022}).json()
    assert body["items"]
    assert body["list_size"] == LIST_SIZE
    assert (body["list_note_zh"], body["list_note_en"]) == (note["zh"], note["en"])
    clusters = api_client.get("/api/v1/clusters", params={"list_year": 2022}).json()
    assert {k: clusters[k] for k in ("list_size", "list_note_zh", "list_note_en")} == {
        k: body[k] for k in ("list_size", "list_note_zh", "list_note_en")
    }


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/gaps",
        "/api/v1/targets",
        "/api/v1/gaps?cluster=nev&list_year=2022",
        "/api/v1/targets?cluster=nev&list_year=2022",
        "/api/v1/clusters/nev/gaps?list_year=2022",
        "/api/v1/clusters/nev/targets?list_year=2022",
    ],
)
def test_without_a_list_year_or_with_one_cluster_the_list_fields_are_null(api_client: Any, url: str) -> None:
    """Without a list year there is no list to describe; one cluster on the list answers as without it."""
    body = api_client.get(url).json()
    assert (body["list_size"], body["list_note_zh"], body["list_note_en"]) == (None, None, None), url


def test_the_2024_list_known_whole_has_a_size_and_no_note(api_client: Any) -> None:
    body = api_client.get("/api/v1/targets", params={"list_year": 2024}).json()
    assert (body["list_size"], body["list_note_zh"], body["list_note_en"]) == (LIST_SIZE, None, None)


def test_the_openapi_documents_the_list_fields(api_client: Any) -> None:
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    for name in ("GapList", "TargetList"):
        assert {"list_size", "list_note_zh", "list_note_en"} <= set(schemas[name]["properties"]), name


# -- 3: an empty hq has an empty hq_en -----------------------------------------------------------------------


def test_an_empty_hq_has_an_empty_hq_en(api_client: Any) -> None:
    """`"hq": "", "hq_en": null` for 127 targets (baosteel-international among them) and their firm pages:
    the pair now has the same emptiness, and null stays for a place the glossary does not hold."""
    items = api_client.get("/api/v1/targets", params={"limit": 500}).json()["items"]
    empty = [t for t in items if t["hq"] == ""]
    assert empty, "some targets have no known headquarters"
    assert {t["hq_en"] for t in empty} == {""}
    assert all(t["hq_en"] == place_en(t["hq"]) for t in items if t["hq"])
    firm = api_client.get("/api/v1/firms/baosteel-international").json()
    assert (firm["hq"], firm["hq_en"]) == ("", "")
    for item in api_client.get("/api/v1/segments/nev-lithium-resources/candidates").json()["items"]:
        assert (item["hq"] == "") == (item["hq_en"] == ""), item["firm_id"]


def test_the_hq_en_descriptions_say_empty_with_hq(api_client: Any) -> None:
    schemas = api_client.get("/openapi.json").json()["components"]["schemas"]
    assert "empty when `hq` is empty" in schemas["FirmDetail"]["properties"]["hq_en"]["description"]


# -- 4: 待核实, one word for unverified -------------------------------------------------------------------------


def test_targets_say_待核实_only(api_client: Any) -> None:
    """A target's explanation said both 断链（待核实） and 已向本地企业供货（未证实，不计分） in one sentence."""
    text = api_client.get("/api/v1/targets", params={"limit": 500}).text
    assert "未证实" not in text
    assert "待核实，不计分" in text, "some target has an unverified partner"


def test_no_user_text_says_未证实() -> None:
    """The user-facing Chinese of queries, commands, reports, views and the API uses 待核实 for unverified."""
    said = []
    for folder in ("queries", "chainkg", "reports", "viz", "api"):
        for path in (ROOT / folder).rglob("*"):
            if path.suffix in (".py", ".j2", ".html", ".js", ".csv", ".md") and "未证实" in path.read_text("utf-8"):
                said.append(str(path.relative_to(ROOT)))
    assert said == []
