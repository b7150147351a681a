"""The served views load their search index from one cached URL; the file views keep it inline (review 16b H2).

At 10^5 firms the index embedded in every page made each one 15 MB. A served page now names
``/views/search-index/<digest>.js`` and allows it by its hash alone (also the script's ``integrity``); the
script is sent ``immutable``, its URL changing with its content; an old URL answers a 404 nobody keeps.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from chainkg.settings import Settings
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from tests.view_support import page_view_data
from viz.fixtures import hostile_city
from viz.render import LinkStyle, render_view
from viz.search_index import EAGER_ENTRIES, index_script, search_index, store_index_script
from viz.views import build_view

PAGES = {
    "/views/overview": "search-index/",
    "/views/clusters/t-nev": "../search-index/",
    "/views/firms/f-cell-a": "../search-index/",
    "/views/segments/t-lithium": "../search-index/",
}


@pytest.fixture(scope="module")
def store() -> MemoryStore:
    return MemoryStore(hostile_city())


@pytest.fixture(scope="module")
def client(store) -> Iterator[TestClient]:
    with TestClient(create_app(store, Settings.from_env(env={}))) as c:
        yield c


def _directives(csp: str) -> dict[str, str]:
    return dict(d.strip().split(" ", 1) for d in csp.split(";"))


@pytest.mark.parametrize(("path", "src"), list(PAGES.items()))
def test_a_served_page_names_the_index_and_allows_only_it(client, store, path, src):
    r = client.get(path)
    assert r.status_code == 200
    data = page_view_data(r.text)
    script = store_index_script(store)
    assert data["index"] is None and '"py": "' not in r.text  # no entry of the index in the page
    assert data["indexScript"] == {
        "src": src + script.digest + ".js",
        "integrity": script.integrity,
        "entries": len(search_index(store)),
        "eager": True,
        "searchApi": ("../" if path == "/views/overview" else "../../") + "api/v1/search",
    }
    directives = _directives(r.headers["content-security-policy"])
    sources = directives["script-src"].split()
    assert len(sources) == 3 and sources[-1] == f"'{script.integrity}'"  # two inline scripts and the index
    assert directives["connect-src"] == "'none'" and directives["default-src"] == "'none'"
    assert "'self'" not in r.headers["content-security-policy"] and "http" not in r.headers["content-security-policy"]
    assert "unsafe" not in r.headers["content-security-policy"] and "strict-dynamic" not in sources
    assert "<script src=" not in r.text  # the page's own script adds it, with the integrity


def test_the_index_script_is_kept_for_good_and_is_what_its_hash_says(client, store):
    path = "/views/" + page_view_data(client.get("/views/clusters/t-nev").text)["indexScript"]["src"][3:]
    r = client.get(path)
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/javascript; charset=utf-8"
    assert r.headers["cache-control"] == "public, max-age=31536000, immutable"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert r.headers["cross-origin-resource-policy"] == "same-origin"
    digest = hashlib.sha256(r.content).digest()
    assert store_index_script(store).integrity == "sha256-" + base64.b64encode(digest).decode()
    assert path.endswith(digest.hex()[:20] + ".js")
    assert r.text.startswith("window.chainkgSearchIndex=[") and "f-cell-a" in r.text
    again = client.get(path, headers={"If-None-Match": r.headers["etag"]})  # a revalidation, if ever: 304
    assert again.status_code == 304 and again.content == b""
    assert client.head(path).status_code == 200


def test_an_old_index_url_is_a_404_nobody_keeps(client):
    r = client.get("/views/search-index/" + "0" * 20 + ".js")
    assert r.status_code == 404 and r.headers["cache-control"] == "no-store"
    assert "Reload the page" in r.text and "请刷新页面" in r.text
    assert client.get("/views/search-index/" + "a" * 65 + ".js").status_code == 422


def test_other_data_gets_another_index_url():
    one, other = store_index_script(MemoryStore(tiny_chain())), store_index_script(MemoryStore(hostile_city()))
    assert one.digest != other.digest and one.integrity != other.integrity


def test_a_file_view_keeps_its_index_inline(store):
    page = render_view(build_view(store, "cluster", "t-nev"), LinkStyle.file("http://intranet:8000"))
    data = page_view_data(page.html)
    assert data["indexScript"] is None and data["index"] == search_index(store)
    assert "search-index/" not in page.html
    assert len(_directives(page.csp)["script-src"].split()) == 2  # the two inline scripts, nothing else


def test_the_index_script_is_plain_data():
    script = index_script([{"k": "firm", "id": "x\u2028y", "zh": "</script><script>alert(1)</script>"}])
    assert "\u2028" not in script.text and "\\u2028" in script.text
    assert re.fullmatch(r"window\.chainkgSearchIndex=\[.*\];\n", script.text, re.S)
    assert script.entries == 1 and script.csp_source == f"'{script.integrity}'"


def test_a_big_index_is_loaded_on_the_first_search_only():
    """Over EAGER_ENTRIES a served page does not load the index until the search box is used."""
    from viz.page import ViewNetwork

    net = ViewNetwork(kind="overview", subject_id=None, title="t", api_path="/api/v1/clusters")
    entries = [{"k": "firm", "id": f"f{i}", "zh": "甲"} for i in range(EAGER_ENTRIES + 1)]
    page = render_view(net, LinkStyle.served(), index=index_script(entries))
    assert page_view_data(page.html)["indexScript"]["eager"] is False


def test_the_index_is_built_once_per_data_version(store):
    assert search_index(store) is search_index(store)
    assert store_index_script(store) is store_index_script(store)
