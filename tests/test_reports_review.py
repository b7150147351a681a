"""The reports as an investment-promotion officer reads them: what to attract for each gap, numbers that add up.

Found in a review of the NEV report, a small cluster's report and the summary, printed and on a phone:

- each gap names the outside firms to attract (linked to their reasons and sources), and a parent gap
  names its sub-segments that are gaps of their own (as ``chainkg gaps`` does);
- ``[n]`` source marks link to their row in the appendix (inside the page: offline and in the PDF);
- the summary's segment counts add up (strong + present + weak + missing = segments; gaps = weak +
  missing) and agree with the queries; its top gaps show every kind, their sources and the firms to
  attract, as ``chainkg candidates`` ranks them;
- English lines where the rest of the report has them (candidate groups, projects, policies, completeness);
- an empty part says so (no gap, no dated fact, no published completeness);
- on a phone the page is no wider than the screen, and a printed page no wider than A4.

Expected values come from the queries and the store, never from the report code.
"""

from __future__ import annotations

import re
from html import unescape
from pathlib import Path

import pytest

from graph.fixtures import tiny_city, tiny_layers
from graph.memory_store import MemoryStore
from graph.model import Cluster, Edge, EdgeKind, Firm, Position, Role, Segment
from queries.candidates import candidates
from queries.chain import chain
from queries.completeness import completeness
from queries.gaps import gaps
from queries.health import health_ranking
from reports.fixtures import report_city
from reports.gather import cluster_report, summary_report
from reports.html import render_cluster_report, render_summary_report


def visible(html: str) -> str:
    """The text of an HTML fragment, tags dropped, entities decoded, spaces collapsed."""
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", html))).strip()


def gap_row(page: str, rank: int) -> str:
    return page.split(f'<tr id="gap-{rank}">')[1].split("</tr>")[0]


@pytest.fixture(scope="module")
def nev_page(bundled_store) -> str:
    return render_cluster_report(cluster_report(bundled_store, "nev")).html


@pytest.fixture(scope="module")
def summary_page(bundled_store) -> str:
    return render_summary_report(summary_report(bundled_store)).html


def sub_gap_firms(store, expected: list[dict], segment_id: str, cluster: str = "nev") -> tuple[set[str], list[int]]:
    """The outside firms that the gaps below ``segment_id`` list, and those gaps' ranks (from the queries)."""
    parent = {s["id"]: s.get("parent_id") for s in chain(store, cluster)["segments"]}

    def is_below(sid: str) -> bool:
        up = parent.get(sid)
        while up:
            if up == segment_id:
                return True
            up = parent.get(up)
        return False

    firms: set[str] = set()
    ranks = []
    for rank, gap in enumerate(expected, start=1):
        if is_below(gap["segment_id"]):
            firms |= {c["firm_id"] for c in candidates(store, gap["segment_id"], limit=10_000)}
            ranks.append(rank)
    return firms, ranks


def test_each_gap_names_the_firms_to_attract_and_links_to_their_reasons(bundled_store, nev_page):
    expected = gaps(bundled_store, cluster="nev")
    assert expected
    for rank, gap in enumerate(expected, start=1):
        row = gap_row(nev_page, rank)
        attract = row.split('class="to-attract"')[1].split("</p>")[0]
        elsewhere, _ = sub_gap_firms(bundled_store, expected, gap["segment_id"])
        ranked = candidates(bundled_store, gap["segment_id"], limit=10_000)
        top = [c for c in ranked if c["firm_id"] not in elsewhere][:3]
        text = visible(attract)
        if top:
            assert "、".join(c["name_zh"] for c in top) in text
            assert ", ".join(c["name_en"] or c["name_zh"] for c in top) in text
            assert f'href="#cand-{rank}"' in attract and f'id="cand-{rank}"' in nev_page
        elif ranked:
            assert "均列于下级环节缺口" in text
        else:
            assert "需另行调研" in attract and "research needed" in attract


def test_a_parent_gap_lists_only_the_firms_its_sub_gaps_do_not(bundled_store, nev_page):
    """汽车芯片 (#4) had 10 candidates, 9 of them also under #5 电池管理芯片 and #6 车规级MCU与智驾芯片: the
    same firms twice, two groups apart. The parent lists the others and points to the sub-gaps for the rest."""
    expected = gaps(bundled_store, cluster="nev")
    parents = [(rank, g) for rank, g in enumerate(expected, start=1) if g.get("sub_gaps")]
    assert parents
    for rank, gap in parents:
        elsewhere, sub_ranks = sub_gap_firms(bundled_store, expected, gap["segment_id"])
        ranked = candidates(bundled_store, gap["segment_id"], limit=10_000)
        repeated = [c for c in ranked if c["firm_id"] in elsewhere]
        own = [c for c in ranked if c["firm_id"] not in elsewhere]
        assert repeated, "the parent's candidates include its sub-gaps' firms"
        group = nev_page.split(f'id="cand-{rank}"')[1].split("</tbody>")[0]
        shown = [visible(n) for n in re.findall(r'<tr class="candidate">.*?<strong>(.*?)</strong>', group, re.S)]
        assert shown == [c["name_zh"] for c in own[:3]]
        assert not {c["name_zh"] for c in repeated} & set(shown)
        head = visible(group.split("</tr>")[0])
        assert f"数据中外地企业 {len(ranked)} 家，其中 {len(repeated)} 家列于下级环节缺口" in head
        assert f"{len(ranked)} outside firm(s) in the data, {len(repeated)} of them listed under" in head
        see = group.split('class="see-sub-gaps"')[1]
        for sub in sub_ranks:
            assert f'href="#cand-{sub}"' in see and f"#{sub} " in visible(see)
        attract = visible(gap_row(nev_page, rank).split('class="to-attract"')[1].split("</p>")[0])
        assert "另见 " + "、".join(f"#{r}" for r in sub_ranks) in attract.replace(" 、 ", "、").replace(" 、", "、")
        assert "also see " + ", ".join(f"#{r}" for r in sub_ranks) in attract
    plain = [rank for rank, g in enumerate(expected, start=1) if not g.get("sub_gaps")]
    assert all('class="see-sub-gaps"' not in nev_page.split(f'id="cand-{r}"')[1].split("</tbody>")[0] for r in plain)


def test_the_printed_candidate_entries_add_up_to_the_count(bundled_store, nev_page):
    """The note's “N 条候选记录” is what the groups hold in full: each gap's own firms, a parent's repeated
    ones counted under its sub-gap only."""
    expected = gaps(bundled_store, cluster="nev")
    note = visible(nev_page.split('id="candidate-count"')[1].split("</p>")[0])
    entries = int(re.search(r"(\d+) 条候选记录", note).group(1))
    own_total = 0
    for gap in expected:
        elsewhere, _ = sub_gap_firms(bundled_store, expected, gap["segment_id"])
        own_total += sum(
            1 for c in candidates(bundled_store, gap["segment_id"], limit=10_000) if c["firm_id"] not in elsewhere
        )
    assert entries == own_total
    everything = sum(len(candidates(bundled_store, g["segment_id"], limit=10_000)) for g in expected)
    repeated = int(re.search(r"共有的 (\d+) 条只列在下级缺口下", note).group(1))
    assert entries + repeated == everything and repeated > 0


def test_a_parent_gap_names_its_sub_gaps_by_rank(bundled_store, nev_page):
    expected = gaps(bundled_store, cluster="nev")
    ranks = {g["segment_id"]: i for i, g in enumerate(expected, start=1)}
    parents = [g for g in expected if g.get("sub_gaps")]
    assert parents, "the bundled NEV chain has a gap with sub-segments that are gaps (汽车芯片)"
    for gap in parents:
        row = gap_row(nev_page, ranks[gap["segment_id"]])
        assert 'class="sub-gaps"' in row
        note = visible(row.split('class="sub-gaps"')[1].split("</p>")[0])
        for sid in gap["sub_gaps"]:
            sub = next(g for g in expected if g["segment_id"] == sid)
            assert f"#{ranks[sid]} {sub['segment_name_zh']}" in note
            assert f"#{ranks[sid]} {sub['segment_name_en']}" in note
            assert f'href="#gap-{ranks[sid]}"' in row
    others = [i for i, g in enumerate(expected, start=1) if not g.get("sub_gaps")]
    assert all('class="sub-gaps"' not in gap_row(nev_page, i) for i in others)


@pytest.mark.parametrize("which", ["cluster", "summary"])
def test_source_marks_link_to_their_row_in_the_appendix(nev_page, summary_page, which):
    page = nev_page if which == "cluster" else summary_page
    rows = set(re.findall(r'<tr id="src-(\d+)">', page))
    marks = re.findall(r'<sup class="ref">\[(.+?)\]</sup>', page)
    assert marks and rows
    for mark in marks:
        targets = re.findall(r'<a href="#src-(\d+)">(\d+)</a>', mark)
        printed = re.findall(r"\d+", visible(mark))
        assert [n for _, n in targets] == printed, mark  # every printed number is a link
        assert all(t == n and t in rows for t, n in targets), mark


def test_summary_segment_counts_add_up_and_agree_with_the_queries(bundled_store, summary_page):
    table = summary_page.split('id="top-gaps"')[1].split("</table>")[0]
    rows = table.split("<tr>")[2:]
    ranking = health_ranking(bundled_store)
    assert len(rows) == len(ranking)
    for h, row in zip(ranking, rows, strict=True):
        summary = chain(bundled_store, h["cluster_id"])["summary"]
        text = visible(row)
        found = re.search(r"(\d+) 个环节 = 强链 (\d+) \+ 一般 (\d+) \+ 弱链 (\d+) \+ 缺链 (\d+)", text)
        assert found, text[:200]
        total, strong, present, weak, missing = (int(x) for x in found.groups())
        assert total == strong + present + weak + missing
        assert (total, strong, present, weak, missing) == (
            summary["segment_count"],
            summary["strong_count"],
            summary["present_count"],
            summary["weak_count"],
            summary["missing_count"],
        )
        assert f"gaps = weak + missing = {weak + missing}" in text
        assert weak + missing == len(gaps(bundled_store, cluster=h["cluster_id"]))


def named_firms(attract: str) -> list[str]:
    """The Chinese names of the firms a summary gap names to attract, in order (English names and marks dropped)."""
    head = attract.split('<span class="muted">')[0]
    head = re.sub(r'<sup class="ref">.*?</sup>', "", head)
    head = visible(re.sub(r'<span class="en">.*?</span>', "", head))
    if "需另行调研" in head or "此处不重复列出" in head or "：" not in head:
        return []
    return [n.strip() for n in head.split("：", 1)[1].split("、") if n.strip()]


def summary_rows(page: str) -> list[list[str]]:
    """Per cluster row of the summary's top-gaps table, the HTML of each top gap."""
    table = page.split('id="top-gaps"')[1].split("</table>")[0]
    return [row.split('<li class="top-gap">')[1:] for row in table.split("<tr>")[2:]]


def expected_summary_firms(store, cluster_id: str, row: list[dict], top: int = 3) -> list[dict]:
    """For each of a cluster's top gaps, from the queries: its candidates, those a gap below it lists (as the
    cluster report leaves them to the sub-gap), those an earlier top gap of the row already names, and the
    ``top`` it names itself."""
    every_gap = gaps(store, cluster=cluster_id)
    named: dict[str, str] = {}
    out = []
    for gap in row:
        ranked = candidates(store, gap["segment_id"], limit=10_000)
        below, _ = sub_gap_firms(store, every_gap, gap["segment_id"], cluster=cluster_id)
        rest = [c for c in ranked if c["firm_id"] not in below]
        free = [c for c in rest if c["firm_id"] not in named]
        mine = free[:top]
        named |= {c["firm_id"]: gap["segment_id"] for c in mine}
        out.append(
            {
                "ranked": ranked,
                "under_sub_gaps": len(ranked) - len(rest),
                "named_above": len(rest) - len(free),
                "named": mine,
                "rest": len(free) - len(mine),
            }
        )
    return out


def test_summary_top_gaps_show_kinds_sources_and_firms_to_attract(bundled_store, summary_page):
    ranking = health_ranking(bundled_store)
    rows = summary_rows(summary_page)
    assert len(rows) == len(ranking)
    full = {g["segment_id"]: g for g in gaps(bundled_store)}
    for h, items in zip(ranking, rows, strict=True):
        assert len(items) == len(h["top_gaps"])
        expected = expected_summary_firms(bundled_store, h["cluster_id"], h["top_gaps"])
        for gap, want, item in zip(h["top_gaps"], expected, items, strict=True):
            kinds = re.findall(r'<span class="kind (\w+)">', item)
            assert kinds == full[gap["segment_id"]]["kinds"]
            head = item.split('<span class="en block">')[0]
            assert '<sup class="ref">' in head, "the gap's segment cites its sources"
            attract = item.split('class="to-attract"')[1]
            if not want["ranked"]:
                assert "需另行调研" in attract and "research needed" in attract
                continue
            assert named_firms(attract) == [c["name_zh"] for c in want["named"]], attract[:300]
            assert attract.count('<sup class="ref">') >= len(want["named"])
            assert f"数据中共 {len(want['ranked'])} 家" in visible(attract)


def test_summary_names_each_firm_to_attract_once_per_cluster(bundled_store, summary_page):
    """节能环保's top gaps are 固废处理与资源化 and two of its sub-segments (餐厨垃圾, 渗滤液): the parent named
    中国天楹 and 朗坤 again, the firms its sub-gaps name; 生物医药 named 凯莱英 and 康龙化成 under both 医药研发
    and CXO (4 repeated names in all). A firm is named once per cluster: under the gap below a parent (as
    the cluster report lists it), else under the first top gap that has it."""
    ranking = health_ranking(bundled_store)
    nested = 0
    for h, items in zip(ranking, summary_rows(summary_page), strict=True):
        names = [n for item in items for n in named_firms(item.split('class="to-attract"')[1])]
        assert len(names) == len(set(names)), (h["cluster_id"], names)
        every = gaps(bundled_store, cluster=h["cluster_id"])
        ids = {g["segment_id"] for g in h["top_gaps"]}
        row_ranks = {rank for rank, g in enumerate(every, start=1) if g["segment_id"] in ids}
        for gap, item in zip(h["top_gaps"], items, strict=True):
            below, ranks = sub_gap_firms(bundled_store, every, gap["segment_id"], cluster=h["cluster_id"])
            names_below = {bundled_store.node(f).name_zh for f in below}
            assert not names_below & set(named_firms(item.split('class="to-attract"')[1])), gap["segment_id"]
            nested += len(row_ranks & set(ranks))
    assert nested, "the bundled data has a parent gap and its sub-gap among one cluster's top gaps"


def test_summary_candidate_counts_add_up(bundled_store, summary_page):
    """Each top gap's “数据中共 N 家” splits into the firms named here, those under its sub-gaps, those named
    under an earlier top gap and the rest, in Chinese and English; the parts add up to N."""
    ranking = health_ranking(bundled_store)
    split: set[str] = set()
    for h, items in zip(ranking, summary_rows(summary_page), strict=True):
        expected = expected_summary_firms(bundled_store, h["cluster_id"], h["top_gaps"])
        for want, item in zip(expected, items, strict=True):
            text = visible(item.split('class="to-attract"')[1])
            total = len(want["ranked"])
            if not total:
                continue
            parts = {
                "here": (len(want["named"]), f"此处 {len(want['named'])} 家", f"{len(want['named'])} here"),
                "sub": (
                    want["under_sub_gaps"],
                    f"{want['under_sub_gaps']} 家列于下级环节缺口",
                    f"{want['under_sub_gaps']} under its sub-segment gap",
                ),
                "above": (
                    want["named_above"],
                    f"{want['named_above']} 家已列于上文",
                    f"{want['named_above']} already named above under",
                ),
                "rest": (
                    want["rest"],
                    f"其余 {want['rest']} 家见集群报告",
                    f"{want['rest']} more in the cluster report",
                ),
            }
            assert sum(n for n, _, _ in parts.values()) == total
            if not want["under_sub_gaps"] and not want["named_above"]:
                # then the bracket closes, the English follows, or a note on a tie cut by the short list (；)
                squeezed = text.replace(" ", "")
                assert any(f"数据中共{total}家{end}" in squeezed for end in ("）", "by", "；")), text
                assert "此处" not in text and "下级环节缺口" not in text
                continue
            split |= {k for k in ("sub", "above") if parts[k][0]}
            assert f"数据中共 {total} 家：" in text and f"of {total} in the data: " in text
            for n, zh, en in parts.values():
                assert (zh in text and en in text) == bool(n), (zh, en, text)
    assert split == {"sub", "above"}, "the bundled summary has a parent with sub-gaps and a firm shared by two top gaps"


def test_a_summary_gap_whose_firms_are_all_named_elsewhere_says_so(bundled_store):
    """A top gap can have outside firms yet name none itself (all under its sub-gaps or an earlier top gap):
    it says they are not repeated and where they are, instead of “no outside firm in the data”."""
    data = summary_report(bundled_store)
    row = next(h for h in data["ranking"] if h["cluster_id"] == "energy-saving")
    parent = next(g for g in row["top_gaps"] if g["placement"]["sub"])
    parent["candidates"] = []
    parent["placement"] |= {"here": 0, "rest": parent["placement"]["rest"] + parent["placement"]["here"]}
    page = render_summary_report(data).html
    item = next(i for i in summary_rows(page)[row["rank"] - 1] if parent["segment_name_zh"] + "（" in i)
    text = visible(item.split('class="to-attract"')[1])
    assert "此处不重复列出" in text and "not repeated here" in text and "需另行调研" not in text
    assert f"数据中共 {parent['candidate_count']} 家：{parent['placement']['sub']} 家列于下级环节缺口" in text
    assert named_firms(item.split('class="to-attract"')[1]) == []


def test_english_lines_beside_chinese_in_groups_projects_policies_and_completeness(bundled_store, nev_page):
    data = cluster_report(bundled_store, "nev")
    for gap in data["gaps"]:
        if gap["candidates"]:
            head = nev_page.split(f'id="cand-{gap["rank"]}"')[1].split("</tr>")[0]
            assert f"{gap['segment_name_en']} · severity" in visible(head)
    layers = data["layers"]
    projects = nev_page.split('<table class="projects">')[1].split("</table>")[0]
    assert all(unescape(p["name_en"]) in unescape(projects) for p in layers["projects"] if p["name_en"])
    policies = nev_page.split('<table class="policies">')[1].split("</table>")[0]
    assert all(unescape(p["name_en"]) in unescape(policies) for p in layers["policies"] if p["name_en"])
    tiers = unescape(nev_page.split('<table class="tiers">')[1].split("</table>")[0])
    assert layers["tier_holders"] and all(t["tier_name_en"] in tiers for t in layers["tier_holders"])
    published = visible(nev_page.split('<table class="published">')[1].split("</table>")[0])
    assert all(p["note_en"] in published for p in layers["completeness"]["published"])
    why = visible(nev_page.split('id="published-why"')[1].split("</p>")[0])
    assert layers["completeness"]["published_note_zh"] in why and layers["completeness"]["published_note_en"] in why
    years = visible(nev_page.split('<table class="completeness">')[1].split("</table>")[0])
    added = [sid for y in layers["completeness"]["years"] for sid in y["added"]]
    assert added, "the bundled NEV chain gains a segment over the years"
    for sid in added:
        assert sid not in years and bundled_store.node(sid).name_zh in years


def test_the_published_completeness_explanation_is_given_once(bundled_store, nev_page):
    """Each published year's row repeated the same paragraph (how the city counts, no firm in the data is not
    no firm in reality, undated facts); the rows now say what is their own and the paragraph follows once."""
    comp = completeness(bundled_store, "nev")
    assert len(comp["published"]) > 1
    part = nev_page.split('<table class="published">')[1].split("<h3>")[0]
    text = visible(part)
    assert text.count("未公布清单") == 1 and text.count("the list is not published") == 1
    assert text.count("数据中无企业不等于现实中无企业") == 1
    rows = part.split("</table>")[0].split("<tbody>")[1].split("</tr>")[:-1]
    assert len(rows) == len(comp["published"])
    for row, fig in zip(rows, comp["published"], strict=True):
        assert fig["note_zh"] in visible(row) and "未公布清单" not in row
    assert "缺少：" in visible(rows[0]) and all("缺少：" not in visible(r) for r in rows[1:])


def test_completeness_years_show_segment_names_not_ids():
    store = MemoryStore(tiny_layers())
    page = render_cluster_report(cluster_report(store, "t-nev")).html
    table = visible(page.split('<table class="completeness">')[1].split("</table>")[0])
    assert "锂盐 Lithium salts" in table and "t-lithium" not in table


def solo_city() -> MemoryStore:
    """The tiny city plus an invented cluster whose one segment is strong: no gap at all."""
    ds = tiny_city()
    sources = ("s-tiny",)
    ds.add_node(Cluster(id="t-solo", name_zh="测试无缺口集群", name_en="Test cluster without gaps", sources=sources))
    ds.add_node(
        Segment(
            id="t-solo-seg",
            name_zh="测试强环节",
            name_en="Test strong segment",
            cluster_id="t-solo",
            position=Position.MIDSTREAM,
            sources=sources,
        )
    )
    for fid in ("f-solo-a", "f-solo-b"):
        ds.add_node(Firm(id=fid, name_zh=f"测试企业{fid[-1]}", name_en=f"Test firm {fid[-1]}", sources=sources))
        ds.add_edge(Edge(kind=EdgeKind.OPERATES_IN, source=fid, target="t-solo-seg", role=Role.ANCHOR, sources=sources))
    return MemoryStore(ds)


def test_empty_parts_say_so():
    store = solo_city()
    assert gaps(store, cluster="t-solo") == []
    page = render_cluster_report(cluster_report(store, "t-solo")).html
    section = page.split('id="candidates"')[1].split("</section>")[0]
    assert 'id="no-gaps-to-fill"' in section and "No gap" in section
    assert "该集群没有缺口" in page.split('id="gaps"')[1].split("</section>")[0]
    projects = page.split('id="projects"')[1].split("</section>")[0]
    assert 'id="no-completeness-years"' in projects and 'id="no-published-completeness"' in projects
    summary = render_summary_report(summary_report(store)).html
    row = summary.split('id="top-gaps"')[1].split("</table>")[0]
    assert "无缺口 No gap" in row


def test_a_report_citing_nothing_says_so_in_its_appendix():
    """An appendix with no source in it says so instead of printing an empty table."""
    from reports.html import _environment

    html = _environment().from_string(
        '{% from "macros.html.j2" import sources_table with context %}{{ sources_table([]) }}'
    )
    text = html.render(labels={}, cite=lambda ids: [])
    assert 'id="no-sources"' in text and "No source is cited" in text


PHONE = {"width": 390, "height": 844}


@pytest.mark.browser
@pytest.mark.parametrize("which", ["cluster", "summary"])
def test_on_a_phone_the_page_is_no_wider_than_the_screen(browser, tmp_path, which):
    store = MemoryStore(report_city())
    if which == "cluster":
        page_html = render_cluster_report(cluster_report(store, "t-nev")).html
    else:
        page_html = render_summary_report(summary_report(store)).html
    path = Path(tmp_path) / "report.html"
    path.write_text(page_html, encoding="utf-8")
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(path.as_uri())
        page.wait_for_load_state("load")
        width = page.evaluate("document.documentElement.scrollWidth")
        assert width <= PHONE["width"], f"the page scrolls sideways on a phone: {width}px"
        if which == "cluster":
            cells = page.evaluate(
                "[...document.querySelectorAll('table.gaps td:not(.num)')].map(td => td.getBoundingClientRect().width)"
            )
            assert cells and min(cells) > 0.8 * PHONE["width"] - 40, "gap rows stack on a phone"
        page.emulate_media(media="print")
        page.set_viewport_size({"width": 794, "height": 1123})  # A4 at 96 dpi
        printed = page.evaluate(
            "[...document.querySelectorAll('table, svg, figure')].map(e => e.getBoundingClientRect().right)"
        )
        assert max(printed) <= 794, "something is wider than an A4 page"
    finally:
        context.close()


def test_summary_marks_a_top_gap_kind_resting_only_on_unverified_links(bundled_store, summary_page):
    """A top gap's kind in its ``kinds_unverified`` reads 断链（待核实） as in the cluster report; a sourced one
    does not (review 8, finding 1, in the summary)."""
    ranking = health_ranking(bundled_store)
    full = {g["segment_id"]: g for g in gaps(bundled_store)}
    marked = {}
    for h, items in zip(ranking, summary_rows(summary_page), strict=True):
        for gap, item in zip(h["top_gaps"], items, strict=True):
            head = item.split('<span class="en block">')[0]
            unsure = full[gap["segment_id"]]["kinds_unverified"]
            shown = re.findall(r'<span class="kind (\w+)">[^<]*</span>(<span class="kind-unverified">)?', head)
            assert [k for k, _ in shown] == full[gap["segment_id"]]["kinds"], gap["segment_id"]
            assert [k for k, mark in shown if mark] == unsure, gap["segment_id"]
            marked[gap["segment_id"]] = visible(head)
    assert marked["ele-wafer-fab"].startswith("缺链 断链 （待核实） (unverified) 延链 （待核实） (unverified) 晶圆制造")
    foil = full["nev-copper-foil"]  # a 断链 on sourced links
    assert foil["kind"] == "broken_link" and not foil["kinds_unverified"]
    shown = marked["nev-copper-foil"]
    assert shown.startswith("缺链 断链 延链 锂电铜箔"), shown
    assert "待核实" not in shown and "unverified" not in shown, shown
