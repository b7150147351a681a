"""Wording of review 5 (F7, F8, F10) and review 4 (#3, #4, #9): what the commands print, in zh and en.

- F7: an unknown id typed in pinyin, initials or an alias gets what ``search`` finds for it as its first
  suggestion (CLI and API 404), while a close misspelling of an id keeps its id suggestions.
- F8: ``cluster-links CLUSTER`` with no cross-cluster link says that this cluster has none, not the city.
- F10: ``chain`` names the parent of a sub-segment listed in another position's table.
- #3: the ``targets`` table keeps "可填补 N 个缺口 / fills N gaps" in front of "其中 / of which".
- #4: ``report --all --list-year 2024`` writes ``summary-2024.html``, not over ``summary.html``.
- #9: ``policy`` shows, for each targeted segment, its gap kind and severity, or "no gap".

Expected values come from the query functions and the data, not typed in.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainkg.cli import main
from chainkg.commands.cluster_links import links_inside
from graph.errors import NodeNotFound
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import NodeKind
from queries.chain import chain
from queries.cluster_links import cluster_links
from queries.gap_kinds import KIND_NAMES_EN, KIND_NAMES_ZH
from queries.lookup import STRONG_ID_SIMILARITY, KindIndex, _pinyin_index, nearest_ids, require
from queries.policies import get_policy
from queries.search import pinyin_keys, search_matches
from queries.targets import targets


def run_text(capsys: pytest.CaptureFixture[str], argv: list[str]) -> list[str]:
    assert main(argv) == 0
    return capsys.readouterr().out.splitlines()


def first_found(store: MemoryStore, text: str, kind: str) -> str:
    return next(hit["id"] for hit in search_matches(store, text) if hit["type"] == kind)


# F7 ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize("typed", ["lixiang", "ningde", "ndsd"])
def test_an_id_typed_as_pinyin_suggests_what_search_finds_first(bundled_store, typed):
    assert bundled_store.node(typed) is None
    assert nearest_ids(bundled_store, typed, NodeKind.FIRM)[0] == first_found(bundled_store, typed, "firm")


def test_what_if_lixiang_suggests_li_auto(bundled_store, capsys):
    assert first_found(bundled_store, "lixiang", "firm") == "li-auto"
    assert main(["what-if", "lixiang"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean: li-auto," in err
    # the id suggestions of before are still there, after it
    assert "liugang" in err.split("Did you mean: ")[1]


def test_the_api_404_suggests_what_search_finds(api_client, bundled_store):
    response = api_client.get("/api/v1/firms/lixiang")
    assert response.status_code == 404
    assert response.json()["suggestions"][0] == first_found(bundled_store, "lixiang", "firm")


def test_segments_and_clusters_by_pinyin(bundled_store):
    segment = first_found(bundled_store, "dianchi", "segment")
    assert nearest_ids(bundled_store, "dianchi", NodeKind.SEGMENT)[0] == segment
    found = nearest_ids(bundled_store, "xinnengyuan", NodeKind.CLUSTER)
    assert found[0] == first_found(bundled_store, "xinnengyuan", "cluster")
    assert set(found) <= {c.id for c in bundled_store.nodes(NodeKind.CLUSTER)}


def test_pinyin_of_a_name_on_the_tiny_chain():
    store = MemoryStore(tiny_chain())
    assert nearest_ids(store, "jiadianchi", NodeKind.FIRM)[0] == "f-cell-a"  # 甲电池
    with pytest.raises(NodeNotFound) as err:
        require(store, "jiadianchi", NodeKind.FIRM)
    assert err.value.suggestions[0] == "f-cell-a"


def test_a_close_misspelling_keeps_its_id_suggestions_and_needs_no_pinyin(bundled_store, monkeypatch):
    def no_pinyin(_self):
        raise AssertionError("a close misspelling of an id should not read names as pinyin")

    monkeypatch.setattr(KindIndex, "read_aloud", no_pinyin)
    assert nearest_ids(MemoryStore(tiny_chain()), "f-cell-aa", NodeKind.FIRM)[0] == "f-cell-a"
    assert nearest_ids(bundled_store, "nevv", NodeKind.CLUSTER)[0] == "nev"
    assert nearest_ids(bundled_store, "理想汽车", NodeKind.FIRM)[0] == "li-auto"  # a name: no pinyin either
    assert STRONG_ID_SIMILARITY > 50


def test_every_kind_gets_pinyin_suggestions(bundled_store):
    tier = next(t for t in bundled_store.nodes(NodeKind.TIER) if t.name_zh)
    full, initials = pinyin_keys(tier.name_zh)
    assert tier.id in _pinyin_index(bundled_store, NodeKind.TIER).named(full)
    assert tier.id in nearest_ids(bundled_store, full, NodeKind.TIER)
    assert set(nearest_ids(bundled_store, "lixiang", NodeKind.SEGMENT)).isdisjoint({"li-auto"})


def test_the_pinyin_index_reads_no_store(monkeypatch):
    store = MemoryStore(tiny_chain())
    reads = []
    nodes = store.nodes

    def counting_nodes(kind):
        reads.append(kind)
        return nodes(kind)

    monkeypatch.setattr(store, "nodes", counting_nodes)
    assert nearest_ids(store, "jiadianchi", NodeKind.FIRM)[0] == "f-cell-a"
    assert nearest_ids(store, "jdc", NodeKind.FIRM)[0] == "f-cell-a"
    assert reads == [NodeKind.FIRM]


# F8 ------------------------------------------------------------------------------------------------


def lonely_cluster(store: MemoryStore) -> tuple[str, int]:
    """A cluster with no cross-cluster link but supply links inside it, and how many."""
    for cluster in store.nodes(NodeKind.CLUSTER):
        if not cluster_links(store, cluster.id) and links_inside(store, cluster.id):
            return cluster.id, links_inside(store, cluster.id)
    raise AssertionError("the bundled data lost its cluster with links inside it and none to other clusters")


def test_cluster_links_of_a_cluster_without_any_says_so_for_that_cluster(bundled_store, capsys):
    cid, inside = lonely_cluster(bundled_store)
    assert cluster_links(bundled_store)  # the city has links: "no links between clusters" would be wrong
    zh = "\n".join(run_text(capsys, ["cluster-links", cid]))
    assert f"{cid} 与其他集群之间没有供应关系" in zh
    assert f"{cid} has no supply links with other clusters" in zh
    assert f"集群内 {inside} 条" in zh and f"chainkg chain {cid}" in zh
    assert "no links between clusters" not in zh
    en = run_text(capsys, ["cluster-links", cid, "--lang", "en"])
    assert en == [f"{cid} has no supply links with other clusters ({inside} links inside it: chainkg chain {cid})"]
    assert main(["cluster-links", cid, "--json"]) == 0
    no_list = {"list_size": None, "list_note_zh": None, "list_note_en": None}
    assert json.loads(capsys.readouterr().out) == {"items": [], "total": 0, **no_list}


def test_links_inside_counts_the_supply_links_of_the_chain(bundled_store):
    cid, inside = lonely_cluster(bundled_store)
    body = chain(bundled_store, cid)
    assert inside == sum(1 for link in body["links"] if not link.get("cross_cluster"))


# F10 -----------------------------------------------------------------------------------------------


def test_chain_names_the_parent_of_a_sub_segment_listed_in_another_table(bundled_store, capsys):
    body = chain(bundled_store, "new-materials")
    position = {s["id"]: s["position"] for s in body["segments"]}
    apart = [s for s in body["segments"] if s["parent_id"] in position and position[s["parent_id"]] != s["position"]]
    together = [s for s in body["segments"] if s["parent_id"] in position and position[s["parent_id"]] == s["position"]]
    assert apart and together
    zh = run_text(capsys, ["chain", "new-materials"])
    en = run_text(capsys, ["chain", "new-materials", "--lang", "en"])
    for s in apart:
        assert any(line.startswith(f"{s['id']} (⊂ {s['parent_id']}) ") for line in zh), s["id"]
        assert any(line.startswith(f"{s['id']} (in {s['parent_id']}) ") for line in en), s["id"]
    for s in together:  # indented under its parent, as before
        assert any(line.startswith(f"  {s['id']} ") for line in zh), s["id"]
        assert not any(f"{s['id']} (⊂" in line for line in zh)
    assert any("上级环节的企业数已包含其子环节" in line for line in zh)
    assert any(line.startswith("a segment's firm counts include its sub-segments'") for line in en)
    assert not any("上级" in line for line in en)


def test_chain_json_is_unchanged_by_the_markers(bundled_store, capsys):
    assert main(["chain", "new-materials", "--json"]) == 0
    out = capsys.readouterr().out
    ids = [s["id"] for s in json.loads(out)["segments"]]
    assert "⊂" not in out and ids == [s["id"] for s in chain(bundled_store, "new-materials")["segments"]]


# #3 ------------------------------------------------------------------------------------------------


def test_targets_reason_line_says_what_of_which_refers_to(bundled_store, capsys):
    ranked = targets(bundled_store, "nev")
    number, item = next((i, t) for i, t in enumerate(ranked) if any(r["code"] == "gap_kinds" for r in t["reasons"]))
    n = next(r["count"] for r in item["reasons"] if r["code"] == "fills_gaps")
    kinds = next(r for r in item["reasons"] if r["code"] == "gap_kinds")
    argv = ["targets", "nev", "--limit", "1", "--offset", str(number)]
    zh = run_text(capsys, argv)
    en = run_text(capsys, [*argv, "--lang", "en"])
    zh_why = next(line.strip() for line in zh if kinds["zh"] in line)
    en_why = next(line.strip() for line in en if kinds["en"] in line)
    assert zh_why.startswith(f"可填补 {n} 个缺口，{kinds['zh']}")
    assert en_why.startswith(f"fills {n} gaps, {kinds['en']}")
    assert not any(line.strip().startswith(("其中", "of which")) for line in zh + en)


# #4 ------------------------------------------------------------------------------------------------


def test_a_list_years_summary_does_not_replace_the_citys(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["report", "--all"]) == 0
    whole = Path("summary.html").read_bytes()
    assert main(["report", "--all", "--list-year", "2024"]) == 0
    assert "wrote summary-2024.html" in capsys.readouterr().out
    assert Path("summary-2024.html").exists() and Path("summary.html").read_bytes() == whole
    assert Path("summary-2024.html").read_bytes() != whole


def test_report_help_and_docs_name_the_list_year_files(capsys):
    with pytest.raises(SystemExit):
        main(["report", "--help"])
    assert "summary-2024.html" in capsys.readouterr().out
    docs = (Path(__file__).parent.parent / "docs" / "reports.md").read_text(encoding="utf-8")
    assert "`summary-2024.html`" in docs and "`gaps-all-2024.xlsx`" in docs


# #9 ------------------------------------------------------------------------------------------------


def test_policy_segment_targets_show_their_gap_or_no_gap(bundled_store, capsys):
    body = get_policy(bundled_store, "pol-wujin-nev-parts")
    gaps = {g["segment_id"]: g for g in body["targeted_gaps"]}
    segments = [t["id"] for t in body["targets"]["segments"]]
    assert any(s in gaps for s in segments) and any(s not in gaps for s in segments)
    for lang, none in (("zh", "非缺口 no gap"), ("en", "no gap")):
        lines = run_text(capsys, ["policy", "pol-wujin-nev-parts", "--lang", lang])
        start = lines.index("针对对象 targets" if lang == "zh" else "targets")
        table = lines[start : lines.index("", start)]
        for sid in segments:
            # review 15a: the column heading is Chinese first (wider), and the kind is labelled (断链 / broken link)
            target = ["环节", "segment", sid] if lang == "zh" else ["segment", sid]
            row = next(line for line in table if line.split()[: len(target)] == target)
            if sid in gaps:
                kind = gaps[sid]["kind"]
                word = KIND_NAMES_ZH[kind] if lang == "zh" else KIND_NAMES_EN[kind].lower()
                expected = f"{word} {gaps[sid]['severity']:.2f}"
            else:
                expected = none
            assert f"  {expected}  " in row, row


def test_a_segment_target_that_is_no_gap_counts_its_gaps_below():
    from chainkg.commands.policy import segment_gap_text

    below = [
        {"segment_id": "s-a1", "parent_id": "s-a", "kind": "missing", "severity": 0.5},
        {"segment_id": "s-a2", "parent_id": "s-a", "kind": "weak", "severity": 0.2},
    ]
    assert segment_gap_text("s-a", below, "en") == "no gap (+2 gaps below)"
    assert segment_gap_text("s-a", below, "zh") == "非缺口 no gap（下级缺口 +2 / +2 gaps below）"
    assert segment_gap_text("s-a1", below, "en") == "missing 0.50"


def test_the_city_wide_message_stays_city_wide():
    from chainkg.commands.cluster_links import no_links_text

    assert no_links_text(None, None, 0, "en") == "no links between clusters"
    listed = "2024 年名单上的集群之间没有供应关系 / no links between clusters on the 2024 list"
    assert no_links_text(None, 2024, 0, "zh") == listed
