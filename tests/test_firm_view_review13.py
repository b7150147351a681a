"""Review 13: the firm view tells what would happen if the firm left, and its parent edge reads right.

#1 (HIGH): what-if was only reachable from ``chainkg what-if`` and ``POST /api/v1/what-if``. The centre firm's
details panel now has "若该企业离开 If this firm left", from the same query (``queries.what_if.what_if``):
the segments whose status or gap kind changes (linked to their views), the status drops, the new gaps, the
health of each cluster touched, and how many others only shift in severity; for an outside firm, the query's
note. #2 (LOW): the SUBSIDIARY_OF edge read "子公司" beside an arrow pointing at the parent.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from chainkg.commands.what_if import change_summary
from graph.dataset import Dataset
from graph.memory_store import MemoryStore
from graph.model import Cluster, Firm, Segment
from queries.what_if import outside_note, what_if
from tests.view_support import page_view_data, rendered_view
from viz.firm import WHAT_IF_TITLE, what_if_sections
from viz.render import FILE_NAMES, LinkStyle, fill, render_view
from viz.views import build_view

LOCAL_FIRMS = ["xingyu", "zenith-steel", "li-auto", "catl-jiangsu"]
TITLE = WHAT_IF_TITLE[0]
NEW_GAPS_TITLE = "若该企业离开：新缺口 If this firm left: new gaps"
HEALTH_TITLE = "若该企业离开：集群健康度 If this firm left: cluster health"


def centre_sections(store: MemoryStore, firm_id: str) -> dict[str, dict[str, Any]]:
    """The centre firm's panel sections, by title, as the rendered page carries them."""
    data, _ = rendered_view(store, "firm", firm_id)
    centre = next(n for n in data["nodes"] if n["id"] == firm_id)
    return {s["title"]: s for s in centre["info"]["sections"]}


@pytest.mark.parametrize("firm_id", LOCAL_FIRMS)
def test_the_panel_shows_the_what_if_answer_of_a_local_firm(bundled_store, firm_id):
    answer = what_if(bundled_store, [firm_id])
    assert bundled_store.node(firm_id).is_local
    sections = centre_sections(bundled_store, firm_id)
    items = sections[TITLE]["items"]
    # the headline in the words chainkg what-if prints
    assert items[0]["text_en"] == change_summary(answer["summary"], "en")
    assert items[0]["text"].endswith(change_summary(answer["summary"], "en"))
    shown = [c for c in answer["changes"] if c["status_changed"] or c["became_gap"]]
    linked = [i for i in items if i.get("ref")]
    assert [i["ref"] for i in linked] == [["segment", c["segment_id"]] for c in shown]
    for item, change in zip(linked, shown, strict=True):
        assert item["text"] == change["segment_name_zh"]
        assert f"local firms {change['local_firms_before']} → {change['local_firms_after']}" in item["detail_en"]
    hidden = len(answer["changes"]) - len(shown)
    counted = [i for i in items if f"chainkg what-if {firm_id} --all" in i["text_en"]]
    assert len(counted) == (1 if hidden else 0)
    if hidden and shown:
        assert counted[0]["text_en"].startswith(f"{hidden} more segment")
    gaps = sections.get(NEW_GAPS_TITLE, {"items": []})["items"]
    assert sorted(i["ref"][1] for i in gaps) == sorted(g["segment_id"] for g in answer["new_gaps"])
    health = sections[HEALTH_TITLE]["items"] if answer["health"] else []
    assert [i["ref"] for i in health] == [["cluster", h["cluster_id"]] for h in answer["health"]]
    for item, h in zip(health, answer["health"], strict=True):
        assert f"health {h['score_before']:.4f} → {h['score_after']:.4f}" in item["detail_en"]


def test_xingyu_says_the_lighting_segment_drops_from_weak_to_missing(bundled_store):
    """The CLI's headline says "0 new gaps" while nev-lighting drops from weak to missing: the panel says so."""
    items = centre_sections(bundled_store, "xingyu")[TITLE]["items"]
    texts = [i["text"] for i in items]
    assert "1 个环节由弱链变为缺链 1 segment weak → missing" in texts
    lighting = next(i for i in items if i.get("ref") == ["segment", "nev-lighting"])
    assert lighting["text"] == bundled_store.node("nev-lighting").name_zh
    change = next(c for c in what_if(bundled_store, ["xingyu"])["changes"] if c["segment_id"] == "nev-lighting")
    severity = f"{change['severity_before']:.2f} → {change['severity_after']:.2f}"
    assert (
        lighting["detail_en"]
        == f"status weak → missing · gap kind weak → broken link · severity {severity} · local firms 1 → 0"
    )
    assert "现状 status 弱链 Weak → 缺链 Missing" in lighting["detail"]


def test_zenith_steel_lists_its_new_gaps_with_their_explanation(bundled_store):
    answer = what_if(bundled_store, ["zenith-steel"])
    assert answer["new_gaps"], "the bundled data changed: zenith-steel leaving opens no new gap"
    sections = centre_sections(bundled_store, "zenith-steel")
    gaps = {i["ref"][1]: i for i in sections[NEW_GAPS_TITLE]["items"]}
    for gap in answer["new_gaps"]:
        assert gaps[gap["segment_id"]]["detail"] == gap["explanation_zh"]
        assert gaps[gap["segment_id"]]["detail_en"] == gap["explanation_en"]
    drops = [i["text_en"] for i in sections[TITLE]["items"] if " segment" in i["text_en"] and "→" in i["text_en"]]
    assert "4 segments weak → missing" in drops


@pytest.mark.parametrize("firm_id", ["catl", "ganfeng"])
def test_an_outside_firm_gets_the_query_note(bundled_store, firm_id):
    assert not bundled_store.node(firm_id).is_local
    answer = what_if(bundled_store, [firm_id])
    (note,) = answer["notes"]
    sections = centre_sections(bundled_store, firm_id)
    if not any(note["local_subsidiaries"].values()):
        # no unit in Changzhou: leaving would change nothing local, so the panel says whom to attract instead
        # (review 16a H4; tests/test_firm_candidacy.py)
        assert TITLE not in sections
        return
    assert NEW_GAPS_TITLE not in sections and HEALTH_TITLE not in sections
    items = sections[TITLE]["items"]
    worded = outside_note(
        note["firm_ids"],
        option=f"chainkg what-if {firm_id} --with-subsidiaries",
        local_subsidiaries=note["local_subsidiaries"],
    )
    assert items[0]["text_en"] == worded["en"] and items[0]["text"] == f"{worded['zh']} {worded['en']}"
    assert "is outside Changzhou" in items[0]["text_en"]
    assert [i["ref"] for i in items[1:]] == [["firm", s] for s in sorted(note["local_subsidiaries"][firm_id])]


def test_every_what_if_link_names_an_existing_view(bundled_store):
    kinds = {"segment": Segment, "cluster": Cluster, "firm": Firm}
    seen = 0
    for firm_id in [*LOCAL_FIRMS, "catl"]:
        for title, section in centre_sections(bundled_store, firm_id).items():
            if not title.startswith(TITLE.split(" ")[0]):
                continue
            for item in section["items"]:
                if "ref" in item:
                    kind, node_id = item["ref"]
                    assert isinstance(bundled_store.node(node_id), kinds[kind]), item
                    seen += 1
    assert seen > 10


def test_the_section_works_served_and_in_a_file(api_client, bundled_store):
    served = page_view_data(api_client.get("/views/firms/xingyu").text)
    data, _ = rendered_view(bundled_store, "firm", "xingyu")
    for page, segment_link in ((served, "../segments/{id}"), (data, "segment-{id}.html")):
        assert page["links"]["view"]["segment"] == segment_link
        centre = next(n for n in page["nodes"] if n["id"] == "xingyu")
        assert TITLE in [s["title"] for s in centre["info"]["sections"]]


def hostile_copy(bundled: Dataset) -> Dataset:
    """The bundled data with markup in xingyu's, nev-lighting's and the nev cluster's names (test-only)."""
    names = {"xingyu": "<script>alert(1)</script>", "nev-lighting": "<script>alert(2)</script>"}
    names["nev"] = "<img src=x onerror=alert(3)>"
    nodes = [
        n.model_copy(update={"name_zh": names[n.id], "name_en": names[n.id]}) if n.id in names else n
        for n in bundled.nodes.values()
    ]
    return Dataset.of(nodes, bundled.edges.values())


def test_names_from_data_stay_text(bundled):
    store = MemoryStore(hostile_copy(bundled))
    data, html = rendered_view(store, "firm", "xingyu")
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "\\u003cscript\\u003ealert(2)\\u003c/script\\u003e" in html
    centre = next(n for n in data["nodes"] if n["id"] == "xingyu")
    sections = {s["title"]: s for s in centre["info"]["sections"]}
    lighting = next(i for i in sections[TITLE]["items"] if i.get("ref") == ["segment", "nev-lighting"])
    assert lighting["text"] == lighting["text_en"] == "<script>alert(2)</script>"
    assert sections[HEALTH_TITLE]["items"][0]["text"] == "<img src=x onerror=alert(3)>"


def test_the_parent_edge_reads_along_its_arrow(bundled_store):
    data, _ = rendered_view(bundled_store, "firm", "catl-jiangsu")
    (edge,) = [e for e in data["edges"] if (e["from"], e["to"]) == ("catl-jiangsu", "catl")]
    assert edge["arrows"] == "to"
    assert (edge["label"], edge["label_en"]) == ("隶属", "subsidiary of")
    assert edge["title_en"].startswith("Subsidiary of: ")
    # from the parent's side too: each subsidiary's edge points at it and reads "subsidiary of"
    data, _ = rendered_view(bundled_store, "firm", "catl")
    into = [e for e in data["edges"] if e["to"] == "catl" and e.get("dashes")]
    assert into and {(e["label"], e["label_en"]) for e in into} == {("隶属", "subsidiary of")}


def test_sections_without_a_health_change_or_gaps_are_left_out():
    answer = {
        "notes": [],
        "summary": {"changed_segments": 0, "status_changed": 0, "new_gaps": 0, "clusters_touched": 0},
        "changes": [],
        "new_gaps": [],
        "health": [],
    }
    (section,) = what_if_sections(answer, "some-firm")
    assert [i["text_en"] for i in section["items"]] == ["0 segments change; 0 new gaps; in 0 clusters"]


# ---- in Chromium ----


@pytest.fixture(scope="module")
def xingyu_files(bundled_store, tmp_path_factory) -> Path:
    """xingyu's firm view and nev-lighting's segment view side by side, as ``chainkg render`` names them."""
    folder = tmp_path_factory.mktemp("review13")
    for kind, subject in (("firm", "xingyu"), ("segment", "nev-lighting")):
        name = fill(FILE_NAMES[kind], subject)
        assert name
        html = render_view(build_view(bundled_store, kind, subject), LinkStyle.file()).html
        (folder / name).write_text(html, "utf-8")
    return folder


SECTION_LINKS = """(title) => {
    const head = [...document.querySelectorAll("#details h3")].find((h) => h.textContent === title);
    if (!head) return null;
    return [...head.nextElementSibling.querySelectorAll("li")].map((li) => {
        const a = li.querySelector("a");
        return {text: li.textContent, link: a ? a.textContent : null, href: a ? a.getAttribute("href") : null};
    });
}"""


@pytest.mark.browser
@pytest.mark.parametrize("mode", ["served", "file"])
def test_clicking_xingyu_shows_what_if_with_a_working_link(browser, bundled_store, bundled_server, xingyu_files, mode):
    from tests.test_views_browser import Visit

    url = f"{bundled_server}/views/firms/xingyu" if mode == "served" else (xingyu_files / "firm-xingyu.html").as_uri()
    lighting = bundled_store.node("nev-lighting")
    visit = Visit(browser, url, viewport=(1400, 900))
    try:
        page = visit.page
        visit.click_node("xingyu")
        page.wait_for_selector("#details h3")
        assert page.get_attribute("#details", "data-node") == "xingyu"
        rows = page.evaluate(SECTION_LINKS, TITLE)
        assert rows, "no what-if section in xingyu's panel"
        assert "1 个环节由弱链变为缺链 1 segment weak → missing" in [r["text"] for r in rows]
        (row,) = [r for r in rows if r["link"] == lighting.name_zh]
        assert row["href"] == ("../segments/nev-lighting" if mode == "served" else "segment-nev-lighting.html")
        page.click("#lang-en")
        rows_en = page.evaluate(SECTION_LINKS, WHAT_IF_TITLE[1])
        assert rows_en and lighting.name_en in [r["link"] for r in rows_en]
        page.click("#lang-zh")
        page.click(f"#details a:text-is('{lighting.name_zh}')")
        page.wait_for_load_state()
        visit.wait_ready()
        assert page.evaluate("window.chainkgView.nodes.get('nev-lighting') !== null")
        assert (page.text_content("#view-title") or "").startswith(lighting.name_zh)
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


@pytest.mark.parametrize("firm_id", ["calb", "li-auto", "xingyu"])
def test_the_panel_counts_the_sources_the_cli_and_api_give(bundled_store, firm_id):
    """Review 15a (L2): 中创新航's panel said 来源 Sources (5) where chainkg firm calb and /api/v1/firms/calb gave 6
    (the panel had the firm's own sources only, not those of its relations)."""
    from queries.firms import get_firm

    data, _ = rendered_view(bundled_store, "firm", firm_id)
    centre = next(n for n in data["nodes"] if n["id"] == firm_id)
    wanted = [s["id"] for s in get_firm(bundled_store, firm_id)["sources"]]
    shown = [s["id"] for s in centre["info"]["sources"]]
    assert sorted(shown) == sorted(wanted) and len(wanted) > len(bundled_store.node(firm_id).sources)
