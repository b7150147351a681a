"""Review 13: the segment view shows the upstream gaps a segment depends on, and its legend names every mark it draws.

1. The centre segment's details panel has a 上游缺口 Upstream gaps section: one row per item of
   ``queries.impact.impact(store, sid)["upstream_gaps"]``, in that order, with the gap's name, kind words
   (marked when the kind rests only on unverified links), severity, steps away (and the unverified-path mark
   ``chainkg impact`` gives in its confidence column), its explanation and a link to its segment view.
2. The legend has an entry for every encoding the drawn nodes and edges use (derived here from the drawn
   data): segment fills, the 断链 purple heavy border, the 延链 dashed border, the exclusive-dependent heavy
   border, each kind of link and each kind of firm. The segment view keeps its convention of one fixed legend
   on every page (:data:`viz.segment.LEGEND`), so it may also name a mark a given page does not draw.
"""

from __future__ import annotations

from typing import Any

import pytest

from graph.model import NodeKind, Segment
from queries.impact import distance_words, impact
from tests.view_support import rendered_view
from viz.parts import UNVERIFIED_MARK, kind_words
from viz.segment import EXCLUSIVE_MARK_EN, EXCLUSIVE_MARK_ZH, LEGEND, gather_segment, segment_network
from viz.style import COLOURS, english_part, faded, zh_part

UPSTREAM_TITLE = "上游缺口 Upstream gaps (most severe first)"

SEGMENTS = [
    "nev-battery-cell",  # the review's case: 7 upstream gaps, two of them far up
    "nev-lithium-resources",  # no upstream at all: the section is empty (the panel leaves it out)
    "ele-packaging-test",  # ele-wafer-fab's 断链 rests only on unverified supply links (kinds_unverified)
    "nev-recycling",  # upstream gaps whose nearest path has an unverified link, a longer one sourced
    "bio-biochemical-drugs",  # upstream gaps reached only through unverified links
    "nev-auto-chips",  # a parent segment: its sub-segments' links count
]


def _upstream_section(net: Any, sid: str) -> dict[str, Any]:
    (section,) = [s for s in net.node_map[sid]["info"]["sections"] if s["title"] == UPSTREAM_TITLE]
    return section


@pytest.fixture(scope="module")
def networks(bundled_store) -> dict[str, Any]:
    return {sid: segment_network(gather_segment(bundled_store, sid)) for sid in SEGMENTS}


# ---- 1. the upstream gaps in the centre segment's panel ----


@pytest.mark.parametrize("sid", SEGMENTS)
def test_the_panel_rows_are_the_impact_querys_upstream_gaps(bundled_store, networks, sid):
    imp = impact(bundled_store, sid)
    upstream = {u["id"]: u for u in imp["upstream"]}
    rows = _upstream_section(networks[sid], sid)["items"]
    assert [r["ref"] for r in rows] == [["segment", g["segment_id"]] for g in imp["upstream_gaps"]]
    for row, gap in zip(rows, imp["upstream_gaps"], strict=True):
        up = upstream[gap["segment_id"]]
        kind_zh, kind_en = kind_words(gap["kind"], unverified=gap["kind"] in gap["kinds_unverified"])
        far_zh, far_en = distance_words(up)
        severity = f"{gap['severity']:.2f}"
        only_unverified = up["confidence"] != "sourced"
        assert row["text"].startswith(f"{up['name_zh']} · {kind_zh} · 严重度 severity {severity} · 上游 {far_zh}")
        assert row["text"].endswith(UNVERIFIED_MARK[0]) is only_unverified, row["text"]
        assert row["text_en"].startswith(f"{up['name_en']} · {kind_en} · severity {severity} · upstream, {far_en}")
        assert row["text_en"].endswith(UNVERIFIED_MARK[1]) is only_unverified, row["text_en"]
        assert (row["detail"], row["detail_en"]) == (gap["explanation_zh"], gap["explanation_en"])
    field = [f for f in networks[sid].node_map[sid]["info"]["fields"] if f[0] == "上游缺口 Upstream gaps"]
    counts = imp["counts"]
    assert field and field[0][2].startswith(f"{counts['upstream_gaps']} of {counts['upstream_segments']} upstream")


def test_the_review_case_lists_the_far_gaps_as_the_cli_does(bundled_store, networks):
    """``chainkg impact nev-battery-cell``: 16 upstream, 7 gaps, lithium resources (断链 0.68, 2 steps) and
    graphene equipment (缺链, 4 steps) among them; the section showed none of them before."""
    rows = {r["ref"][1]: r for r in _upstream_section(networks["nev-battery-cell"], "nev-battery-cell")["items"]}
    assert len(rows) == 7
    lithium, graphene = rows["nev-lithium-resources"], rows["nm-graphene-equipment"]
    # since the audit of 2026-12-07 its 断链 and the path to it rest only on unverified links (weak pages)
    assert lithium["text"] == (
        "锂资源与锂盐 · 断链 Broken link（待核实 unverified） · 严重度 severity 0.68 · 上游 2 步 upstream, 2 steps"
        "（待核实 unverified）"
    )
    upstream_gaps = impact(bundled_store, "nev-battery-cell")["upstream_gaps"]
    severity = next(g["severity"] for g in upstream_gaps if g["segment_id"] == "nm-graphene-equipment")
    assert graphene["text_en"] == f"Graphene equipment · Missing · severity {severity:.2f} · upstream, 4 steps"


def test_kind_and_path_marks_cover_both_unverified_cases(networks):
    """The data has both marks this section can give: a kind resting only on unverified links, and a gap
    reached only through unverified links; otherwise the assertions above could pass without either."""
    packaging = {
        r["ref"][1]: r for r in _upstream_section(networks["ele-packaging-test"], "ele-packaging-test")["items"]
    }
    assert "断链 Broken link（待核实 unverified）" in packaging["ele-wafer-fab"]["text"]
    bio = _upstream_section(networks["bio-biochemical-drugs"], "bio-biochemical-drugs")["items"]
    assert any(r["text_en"].endswith(" (unverified)") for r in bio)
    recycling = _upstream_section(networks["nev-recycling"], "nev-recycling")["items"]
    assert any("over sourced supply" in r["text_en"] for r in recycling)


@pytest.mark.parametrize("sid", SEGMENTS)
def test_the_upstream_gap_links_resolve_to_segment_views(bundled_store, api_client, networks, sid):
    for row in _upstream_section(networks[sid], sid)["items"]:
        kind, target = row["ref"]
        assert kind == "segment" and isinstance(bundled_store.node(target), Segment), row
        assert target in {s.id for s in bundled_store.nodes(NodeKind.SEGMENT)}
    if sid == "nev-battery-cell":  # every view the review's page links to answers
        for row in _upstream_section(networks[sid], sid)["items"]:
            answer = api_client.get(f"/views/segments/{row['ref'][1]}")
            assert answer.status_code == 200, row


def test_the_rendered_page_carries_the_section_in_both_languages(bundled_store):
    data, _ = rendered_view(bundled_store, "segment", "nev-battery-cell")
    (centre,) = [n for n in data["nodes"] if n["id"] == "nev-battery-cell"]
    (section,) = [s for s in centre["info"]["sections"] if s["title"] == UPSTREAM_TITLE]
    assert section["title_en"] == "Upstream gaps (most severe first)"
    assert len(section["items"]) == 7 and all(item["text_en"] for item in section["items"])


# ---- 2. the legend names every mark drawn ----


def _colour(node: dict[str, Any], part: str) -> str:
    colour = node.get("color")
    return str(colour.get(part, "")) if isinstance(colour, dict) else str(colour)


def drawn_marks(net: Any) -> set[tuple[Any, ...]]:
    """Every encoding the drawn nodes and edges use, read from their vis options."""
    marks: set[tuple[Any, ...]] = set()
    for node in net.nodes:
        if node["info"]["kind"] == "segment":
            marks.add(("fill", _colour(node, "background")))
            border = _colour(node, "border")
            if border == COLOURS["broken_link"]:
                marks.add(("broken border",))
            elif node.get("borderWidth", 0) >= 4:
                marks.add(("heavy border",))
            if (node.get("shapeProperties") or {}).get("borderDashes"):
                marks.add(("dashed border",))
        else:
            marks.add(("firm", node["shape"], _colour(node, "background")))
    for edge in net.edges:
        marks.add(("line", edge["color"], bool(edge.get("dashes"))))
    return marks


def legend_has(mark: tuple[Any, ...], legend: list[Any]) -> bool:
    """Whether one legend entry shows ``mark`` (the same swatch: shape, colour, broken or heavy)."""
    if mark[0] == "fill":
        return any(e.shape == "box" and e.colour == mark[1] and not (e.thick or e.dashed) for e in legend)
    if mark[0] == "broken border":
        return any(e.shape == "box" and e.colour == COLOURS["broken_link"] and e.thick for e in legend)
    if mark[0] == "heavy border":
        return any(e.shape == "box" and e.colour != COLOURS["broken_link"] and e.thick for e in legend)
    if mark[0] == "dashed border":
        return any(e.shape == "box" and e.dashed for e in legend)
    if mark[0] == "firm":
        return any(e.shape == mark[1] and e.colour == mark[2] for e in legend)
    return any(e.shape == "line" and e.colour == mark[1] and e.dashed == mark[2] for e in legend)


@pytest.mark.parametrize("sid", SEGMENTS)
def test_the_legend_has_an_entry_for_every_mark_drawn(networks, sid):
    net = networks[sid]
    missing = [mark for mark in drawn_marks(net) if not legend_has(mark, net.legend)]
    assert missing == [], f"{sid}: drawn but not in the legend: {missing}"


def test_the_reviewed_pages_draw_the_marks_the_legend_left_out(bundled_store, networks):
    """The review's marks are drawn (so the test above checks them): the heavy border of the exclusive
    dependents on nev-lithium-resources's page, the 断链 purple border and the 延链 dashed border."""
    lithium = networks["nev-lithium-resources"]
    heavy = {
        n["id"]
        for n in lithium.nodes
        if n.get("borderWidth", 0) >= 4 and _colour(n, "border") != COLOURS["broken_link"]
    }
    assert {"nev-cathode", "ne-storage-cell"} <= heavy
    exclusive = {d["id"] for d in impact(bundled_store, "nev-lithium-resources")["downstream"] if d["exclusive"]}
    assert heavy <= exclusive  # a heavy dark border means exclusive dependence, nothing else on this page
    every = set().union(*(drawn_marks(net) for net in networks.values()))
    assert {("broken border",), ("heavy border",), ("dashed border",)} <= every
    assert ("line", faded(COLOURS["edge"]), False) in every and ("line", COLOURS["candidate"], True) in every


def test_every_legend_entry_is_chinese_then_english():
    for entry in LEGEND:
        assert zh_part(entry.label) != entry.label and english_part(entry.label), entry.label
        assert not any("\u4e00" <= ch <= "\u9fff" for ch in english_part(entry.label)), entry.label


# ---- in Chromium: the panel's upstream-gap links are shown and open the gap's view ----


UPSTREAM_LINKS = """(title) => {
    const h = [...document.querySelectorAll("#details h3")].find((x) => x.textContent === title);
    if (!h) return null;
    return [...h.nextElementSibling.querySelectorAll("li > a")].map((a) => ({
        text: a.innerText, href: a.getAttribute("href"), visible: a.getBoundingClientRect().height > 0,
    }));
}"""


@pytest.mark.browser
@pytest.mark.parametrize("lang", ["zh", "en"])
def test_the_panel_links_to_the_upstream_gaps_in_chromium(browser, bundled_store, bundled_server, lang):
    from tests.test_views_browser import Visit

    sid = "nev-battery-cell"
    gaps_up = impact(bundled_store, sid)["upstream_gaps"]
    names = {s.id: s for s in bundled_store.nodes(NodeKind.SEGMENT)}
    query = "?lang=en" if lang == "en" else ""
    visit = Visit(browser, f"{bundled_server}/views/segments/{sid}{query}")
    try:
        page = visit.page
        visit.click_node(sid)
        page.wait_for_selector(f"#details[data-node='{sid}']", timeout=5_000)
        title = "Upstream gaps (most severe first)" if lang == "en" else UPSTREAM_TITLE
        links = page.evaluate(UPSTREAM_LINKS, title)
        assert links, page.inner_text("#details")
        assert [link["href"] for link in links] == [f"../segments/{g['segment_id']}{query}" for g in gaps_up], links
        assert all(link["visible"] for link in links), links
        for link, gap in zip(links, gaps_up, strict=True):
            name = names[gap["segment_id"]]
            assert link["text"].startswith(name.name_en if lang == "en" else name.name_zh), link
        target = gaps_up[0]["segment_id"]  # nev-lithium-resources, the most severe
        page.locator(
            "#details a", has_text=names[target].name_en if lang == "en" else names[target].name_zh
        ).first.click()
        page.wait_for_url(f"{bundled_server}/views/segments/{target}{query}")
        visit.wait_ready()
        heading = page.text_content("#view-title") or ""
        assert (names[target].name_en if lang == "en" else names[target].name_zh) in heading
        assert visit.errors == [] and visit.outside_requests() == []
    finally:
        visit.close()


# ---- review 13b, later: an exclusive dependent is named as such, not by its border alone ----


@pytest.mark.parametrize("sid", [*SEGMENTS, "heq-bearings"])
def test_exactly_the_exclusive_dependents_carry_the_label_mark(bundled_store, sid):
    net = segment_network(gather_segment(bundled_store, sid))
    exclusive = {d["id"] for d in impact(bundled_store, sid)["downstream"] if d.get("exclusive")}
    for nid, node in net.node_map.items():
        if node.get("kind") != "segment" or nid == sid:
            continue
        marked = (EXCLUSIVE_MARK_ZH in node["label"], EXCLUSIVE_MARK_EN in node["label_en"])
        assert marked == ((nid in exclusive,) * 2), (sid, nid, node["label"], node["label_en"])


def test_an_exclusive_broken_link_dependent_is_told_apart_from_a_plain_one(bundled_store):
    """The review's case: on a 断链 dependent the exclusive heavy border looked like its purple one."""
    seen = {True: 0, False: 0}
    for sid in ("nev-lithium-resources", "heq-bearings", "nev-battery-materials", *SEGMENTS):
        net = segment_network(gather_segment(bundled_store, sid))
        for nid, node in net.node_map.items():
            colour = node.get("color")
            if nid == sid or not isinstance(colour, dict) or colour.get("border") != COLOURS["broken_link"]:
                continue
            seen[EXCLUSIVE_MARK_ZH in node["label"]] += 1
    assert seen[True] and seen[False], seen  # both kinds drawn, and they now differ in their labels
    assert COLOURS["candidate"] != COLOURS["broken_link"]
    assert _hue_distance(COLOURS["candidate"], COLOURS["broken_link"]) > 60


def _hue_distance(a: str, b: str) -> float:
    import colorsys

    def hue(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return colorsys.rgb_to_hls(r, g, b)[0] * 360

    d = abs(hue(a) - hue(b))
    return min(d, 360 - d)
