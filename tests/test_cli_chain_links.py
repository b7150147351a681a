"""``chainkg chain CLUSTER`` lists the cluster's own SUPPLIES links, not only those that cross into other clusters.

A planner reading the text could not see what supplies what inside the chain. The links are grouped by
the supplying segment, each unverified one marked as the views mark it; a long list stops after
``MAX_INSIDE_LINKS`` with a line that points to ``--json``.
"""

from __future__ import annotations

import json

from chainkg.cli import main
from chainkg.commands.chain import MAX_INSIDE_LINKS, inside_link_lines
from queries.chain import chain


def _text(capsys, argv: list[str]) -> list[str]:
    assert main(argv) == 0, argv
    return capsys.readouterr().out.splitlines()


def _section(lines: list[str], title: str) -> list[str]:
    start = next(i for i, line in enumerate(lines) if line.startswith(title))
    end = lines.index("", start)
    return lines[start:end]


def _groups(section: list[str], arrow: str) -> list[tuple[str, str, str]]:
    """``(source line, target id, rest of the target line)`` for each link line of the section."""
    out, source = [], ""
    for line in section[1:]:
        if line.startswith(f"  {arrow} "):
            target, _, rest = line[len(arrow) + 3 :].partition(" ")
            out.append((source, target, rest.strip()))
        else:
            source = line
    return out


def test_chain_lists_every_link_inside_the_cluster_under_its_source(bundled_store, capsys):
    body = chain(bundled_store, "nev")
    inside = [link for link in body["links"] if not link["cross_cluster"]]
    unverified = [link for link in inside if link["confidence"] == "unverified"]
    assert len(inside) > 20 and unverified, "the bundled NEV chain has sourced and unverified links inside it"
    assert len(inside) <= MAX_INSIDE_LINKS  # all of them are listed
    names = {s["id"]: s for s in body["segments"]}

    lines = _text(capsys, ["chain", "nev"])
    section = _section(lines, "集群内供应链接 links inside the cluster")
    assert section[0] == f"集群内供应链接 links inside the cluster ({len(inside)}, {len(unverified)} 待核实 unverified)"
    shown = _groups(section, "→")
    assert len(shown) == len(inside)
    expected = {(link["source"], link["target"]): link["confidence"] for link in inside}
    for source_line, target, rest in shown:
        source = source_line.split("  ")[0]
        segment = names[source]
        assert source_line == f"{source}  {segment['name_zh']} {segment['name_en']}"
        target_names = f"{names[target]['name_zh']} {names[target]['name_en']}"
        if expected.pop((source, target)) == "unverified":
            assert rest == f"{target_names}（待核实 unverified）", rest
        else:
            assert rest == target_names, rest
    assert not expected
    # one group per supplying segment, in the chain's order: upstream suppliers before the vehicles
    sources = [line.split("  ")[0] for line in section[1:] if not line.startswith("  ")]
    assert len(sources) == len(set(sources)) == len({link["source"] for link in inside})
    assert sources.index("nev-lithium-resources") < sources.index("nev-cathode") < sources.index("nev-vehicle")
    # the cross-cluster links keep their table, before this section
    assert lines.index(section[0]) > lines.index(
        next(line for line in lines if line.startswith("跨集群链接 cross-cluster links"))
    )


def test_chain_in_english_names_the_links_in_english(bundled_store, capsys):
    body = chain(bundled_store, "nev")
    inside = [link for link in body["links"] if not link["cross_cluster"]]
    unverified = sum(link["confidence"] == "unverified" for link in inside)
    section = _section(_text(capsys, ["chain", "nev", "--lang", "en"]), "links inside the cluster")
    assert section[0] == f"links inside the cluster ({len(inside)}, {unverified} unverified)"
    shown = _groups(section, "->")
    assert len(shown) == len(inside)
    assert sum(rest.endswith(" (unverified)") for *_, rest in shown) == unverified
    assert all(line.isascii() for line in section)  # the bundled NEV segments all have English names


def test_a_long_list_stops_and_points_to_json(bundled_store):
    body = chain(bundled_store, "nev")
    inside = sum(not link["cross_cluster"] for link in body["links"])
    lines = inside_link_lines(body, "zh", limit=5)
    assert sum(line.startswith("  → ") for line in lines) == 5
    assert lines[-1] == f"… 还有 {inside - 5} 条 / {inside - 5} more: chainkg chain nev --json"
    english = inside_link_lines(body, "en", limit=5)
    assert english[-1] == f"... {inside - 5} more: chainkg chain nev --json"
    assert inside_link_lines(body, "zh", limit=inside)[-1].startswith("  → ")  # nothing left: no such line


def test_json_keeps_every_link_and_a_cluster_without_inside_links_prints_no_section(bundled_store, capsys):
    body = json.loads("\n".join(_text(capsys, ["chain", "nev", "--json"])))
    assert body == json.loads(json.dumps(chain(bundled_store, "nev")))
    only_crossing = {**body, "links": [link for link in body["links"] if link["cross_cluster"]]}
    assert inside_link_lines(only_crossing, "zh") == []
