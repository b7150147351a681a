"""The user docs do not lie: every URL and command they show exists.

Every path under ``/api/v1/``, ``/views/`` or ``/reports/`` written in README.md or docs/*.md is checked
against the app serving the bundled data: a concrete path (``/api/v1/clusters/nev/gaps``) must answer,
and a template (``/api/v1/firms/{id}``) must be a route. The few paths the docs show on purpose as
unknown ids must answer 404 with suggestions. Every ``chainkg COMMAND`` shown must be a command of the CLI.
"""

from __future__ import annotations

import re
from urllib.parse import quote, urlsplit

import pytest

from chainkg.cli import build_parser
from tests.conftest import REPO

DOCS = [REPO / "README.md", *sorted((REPO / "docs").glob("*.md"))]

# A path starts at a slash not preceded by a word, dot or slash (so `test-artifacts/reports/x.pdf` and
# `.venv/...` are not paths of the app) and runs to a space, a quote, a bracket or a backtick.
PATH = re.compile(r"(?:http://127\.0\.0\.1:8000|(?<![\w./-]))(/(?:api/v1|views|reports)/[^\s`'\"<>()|,]*)")
CODE = re.compile(r"```[a-z]*\n(.*?)```|`([^`\n]+)`", re.S)
COMMAND = re.compile(r"(?:^|[\s;&|(])(?:\S*/)?chainkg ([a-z][a-z-]*)", re.M)
"""``chainkg COMMAND`` in a code block or span, alone or after a folder (``.venv/bin/chainkg``)."""

UNKNOWN_ON_PURPOSE = {
    "/api/v1/firms/宁德时代": "catl",  # a name typed as an id: the 404 suggests the id
    "/views/firms/星宇": "xingyu",
    "/views/segments/nev-battery-cel": "nev-battery-cell",
    # mistyped paths: the 404 suggests the route with the path's own id put in
    "/api/v1/clusters/nev/gapz": "/api/v1/clusters/nev/gaps",
    "/api/v1/firm/catl": "/api/v1/firms/catl",
    "/api/v1/clusters/nev/chain/extra": "/api/v1/clusters/nev/chain",
}
"""Paths the docs show as unknown ids or routes, with the id or path their 404 must suggest."""

POST_ONLY = {"/api/v1/what-if", "/api/v1/imports"}
ENCODED_PARAMS = re.compile(r"--data-urlencode '?(\w+)=([^\s`']+)")


def _doc_paths() -> dict[str, list[str]]:
    """Each path written in the docs, with the files that write it."""
    found: dict[str, list[str]] = {}
    for doc in DOCS:
        text = doc.read_text(encoding="utf-8")
        for match in PATH.finditer(text):
            path = match.group(1).rstrip(".:;")
            if path.endswith("/") or "..." in path:
                continue  # a prefix in prose ("the /views/ routes"), not a URL
            rest = text[match.end() : text.find("\n", match.end())]
            encoded = ENCODED_PARAMS.findall(rest)  # curl -G URL --data-urlencode q=星宇: the query curl sends
            if encoded:
                path += "?" + "&".join(f"{key}={quote(value)}" for key, value in encoded)
            found.setdefault(path, []).append(doc.name)
    return found


DOC_PATHS = _doc_paths()
CONCRETE = sorted(p for p in DOC_PATHS if "{" not in p and not re.search(r"=(&|$)", p))
TEMPLATES = sorted(p for p in DOC_PATHS if p not in CONCRETE)


def test_the_docs_show_urls_at_all() -> None:
    assert len(CONCRETE) >= 20 and len(TEMPLATES) >= 8, (CONCRETE, TEMPLATES)


@pytest.mark.parametrize("path", CONCRETE)
def test_every_concrete_url_in_the_docs_answers(api_client, path: str) -> None:
    route = urlsplit(path).path
    if route in POST_ONLY:
        assert api_client.get(path).status_code == 405, f"{path} ({DOC_PATHS[path]}) is documented as POST"
        return
    answer = api_client.get(path)
    if path in UNKNOWN_ON_PURPOSE:
        assert answer.status_code == 404
        assert UNKNOWN_ON_PURPOSE[path] in answer.text, f"the 404 of {path} does not suggest the id"
        return
    assert answer.status_code == 200, f"{path}, written in {DOC_PATHS[path]}, answers {answer.status_code}"


def _route_pattern(template: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", template)


@pytest.mark.parametrize("path", TEMPLATES)
def test_every_url_template_in_the_docs_is_a_route(api_client, path: str) -> None:
    operations = api_client.app.openapi()["paths"]
    routes = {_route_pattern(route) for route in operations}
    template = _route_pattern(urlsplit(path).path)
    assert template in routes, f"{path}, written in {DOC_PATHS[path]}, is not a route"
    query = urlsplit(path).query
    if query:
        operation = next(
            op for route in operations.items() if _route_pattern(route[0]) == template for op in route[1].values()
        )
        known = {p["name"] for p in operation.get("parameters", [])}
        for name in re.findall(r"([a-z_]+)=", query):
            assert name in known, f"{path} ({DOC_PATHS[path]}): no query parameter {name!r}; known {sorted(known)}"


def test_every_chainkg_command_in_the_docs_exists() -> None:
    parser = build_parser()
    commands = set(next(a for a in parser._actions if a.dest == "command").choices)  # noqa: SLF001
    shown = {
        (name, doc.name)
        for doc in DOCS
        for block, span in CODE.findall(doc.read_text(encoding="utf-8"))
        for name in COMMAND.findall(block or span)
    }
    assert len({name for name, _ in shown}) >= 8
    unknown = sorted((name, doc) for name, doc in shown if name not in commands)
    assert not unknown, f"commands the docs show that the CLI lacks: {unknown}"


CURL_POST_JSON = re.compile(r"curl [^\n]*-X POST http://127\.0\.0\.1:8000(/\S+)[^\n]*-d '([^'\n]*)'")


def test_every_json_post_in_the_docs_is_accepted(api_client) -> None:
    posts = [(doc.name, *m) for doc in DOCS for m in CURL_POST_JSON.findall(doc.read_text(encoding="utf-8"))]
    assert posts, "the docs show no JSON POST"
    for doc, path, body in posts:
        answer = api_client.post(path, content=body.encode(), headers={"Content-Type": "application/json"})
        assert answer.status_code == 200, f"{doc}: POST {path} {body} answers {answer.status_code}: {answer.text[:300]}"
