"""Cluster designations (称号): each title with its own sources, year and confidence, through every layer.

The bundled titles come from ``data/changzhou/cluster_designations.csv``; the old form (a ``|``-separated
``designations`` column of ``clusters.csv``, a JSON export or a Neo4j database holding plain titles) still
loads, each title as ``unverified`` and citing the cluster's sources. The API keeps ``designations`` (the
titles) and adds ``designation_items``; the cluster report marks each title with its sources.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from pathlib import Path

import networkx as nx
import pytest

from chainkg.settings import BUNDLED_DATA
from graph.dataset import Dataset
from graph.errors import DataValidationError
from graph.fixtures import tiny_chain
from graph.memory_store import MemoryStore
from graph.model import LEGACY_DESIGNATION_NOTE, Cluster, Confidence, Designation, Source
from graph.neo4j_props import node_from_props, node_props
from loaders.diff import merge_item
from loaders.export import dataset_to_tables, export_to, graphml_bytes
from loaders.folder import load_folder
from loaders.tables import TABLES_BY_NAME
from loaders.template import COLUMNS
from queries.clusters import get_cluster
from reports.gather import cluster_report
from reports.html import render_cluster_report

CARBON = "国家先进制造业集群：常州市新型碳材料集群（2021）"
TORCH = "国家火炬特色产业基地：常州经开区新型纤维及复合材料（2020）"
LIYANG_BATTERY = "国家中小企业特色产业集群：溧阳市动力电池产业集群"


def titles_of(ds: Dataset) -> dict[str, tuple[Designation, ...]]:
    return {n.id: n.designation_items for n in ds.of_kind("Cluster") if isinstance(n, Cluster)}


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as fh:
        writer = csv.writer(fh, lineterminator="\n")
        writer.writerow(header)
        writer.writerows(rows)


def small_folder(tmp_path: Path, *, designations_column: str | None = None) -> Path:
    """A dataset folder with two sources and one cluster; ``designations_column`` adds the old column."""
    folder = tmp_path / "data"
    folder.mkdir()
    write_csv(
        folder / "sources.csv",
        ["id", "title", "date", "url"],
        [["s-a", "甲来源", "2021-03", "https://example.org/a"], ["s-b", "乙来源", "2020-04", "https://example.org/b"]],
    )
    header = ["id", "name_zh", "sources"]
    row = ["c1", "示例集群", "s-a|s-b"]
    if designations_column is not None:
        header.insert(2, "designations")
        row.insert(2, designations_column)
    write_csv(folder / "clusters.csv", header, [row])
    return folder


DESIGNATION_HEADER = ["cluster_id", "name_zh", "name_en", "year", "sources", "confidence", "note"]


# -- the bundled data ------------------------------------------------------------------------------


def test_every_bundled_designation_cites_dated_sources(bundled):
    sources = {n.id: n for n in bundled.of_kind("Source") if isinstance(n, Source)}
    items = [d for titles in titles_of(bundled).values() for d in titles]
    assert len(items) == 6
    for item in items:
        assert item.sources, item.name_zh
        for sid in item.sources:
            assert sid in sources, (item.name_zh, sid)
            assert sources[sid].date, (item.name_zh, sid)


def test_bundled_designations_are_tied_to_their_own_sources(bundled):
    titles = {d.name_zh: d for d in titles_of(bundled)["new-materials"]}
    carbon = titles[CARBON]
    assert (carbon.year, carbon.confidence) == (2021, Confidence.SOURCED)
    assert carbon.sources == ("s9-gxj-2021-03", "s11-chinadevelopment-2021-04", "reply-2022-56")
    assert titles[TORCH].sources == ("s44-tb-2020-04",)
    assert "s44-tb-2020-04" not in carbon.sources  # the torch-base source no longer backs the carbon title
    battery = next(d for d in titles_of(bundled)["nev"] if d.name_zh == LIYANG_BATTERY)
    assert battery.confidence is Confidence.UNVERIFIED and "not established" in battery.note
    assert bundled.nodes["new-materials"].designations == (CARBON, TORCH)  # type: ignore[attr-defined]


def test_bundled_clusters_csv_no_longer_holds_titles():
    with (BUNDLED_DATA / "clusters.csv").open(encoding="utf-8") as fh:
        assert "designations" not in next(csv.reader(fh))


# -- the old form ------------------------------------------------------------------------------------


def test_old_designations_column_loads_with_the_row_sources(tmp_path):
    folder = small_folder(tmp_path, designations_column="国家级称号甲|省级称号乙")
    (title_a, title_b) = titles_of(load_folder(folder))["c1"]
    assert (title_a.name_zh, title_b.name_zh) == ("国家级称号甲", "省级称号乙")
    for item in (title_a, title_b):
        assert item.sources == ("s-a", "s-b")
        assert item.confidence is Confidence.UNVERIFIED
        assert item.note == LEGACY_DESIGNATION_NOTE and "cluster_designations.csv" in item.note


def test_a_title_in_both_forms_keeps_its_own_row(tmp_path):
    folder = small_folder(tmp_path, designations_column="国家级称号甲|省级称号乙")
    own_row = ["c1", "国家级称号甲", "", "2021", "s-a", "", ""]
    write_csv(folder / "cluster_designations.csv", DESIGNATION_HEADER, [own_row])
    items = titles_of(load_folder(folder))["c1"]
    assert [(d.name_zh, d.sources, d.confidence.value, d.year) for d in items] == [
        ("国家级称号甲", ("s-a",), "sourced", 2021),
        ("省级称号乙", ("s-a", "s-b"), "unverified", None),
    ]


def test_plain_titles_given_to_the_model_or_read_from_neo4j_become_designations():
    old_props = {"id": "c1", "name_zh": "示例集群", "sources": ["s-a"], "designations": ["称号甲"], "gen": "g1"}
    node = node_from_props("Cluster", old_props)
    assert isinstance(node, Cluster)
    assert node.designation_items == (
        Designation(name_zh="称号甲", sources=("s-a",), confidence="unverified", note=LEGACY_DESIGNATION_NOTE),
    )
    assert Cluster.model_validate(node.model_dump()) == node


def test_a_sourced_designation_needs_a_source():
    with pytest.raises(ValueError, match="needs at least one source"):
        Designation(name_zh="称号甲")
    assert Designation(name_zh="称号甲", confidence="unverified").sources == ()


# -- problems are reported by file, row and column -------------------------------------------------


def test_bad_designation_rows_are_reported(tmp_path):
    folder = small_folder(tmp_path)
    write_csv(
        folder / "cluster_designations.csv",
        DESIGNATION_HEADER,
        [
            ["c1", "称号甲", "", "2021", "s-a", "", ""],
            ["c1", "称号甲", "", "", "s-b", "", ""],
            ["c9", "称号乙", "", "", "s-a", "", ""],
            ["c1", "称号丙", "", "1812", "s-a", "", ""],
            ["c1", "称号丁", "", "", "s-gone", "", ""],
            ["c1", "称号戊", "", "", "", "", ""],
        ],
    )
    with pytest.raises(DataValidationError) as err:
        load_folder(folder)
    found = {(i.row, i.field, i.value) for i in err.value.issues}
    assert all(i.file == "cluster_designations.csv" for i in err.value.issues)
    assert found == {
        (3, "name_zh", "称号甲"),  # the same title twice for one cluster
        (4, "cluster_id", "c9"),
        (5, "year", "1812"),
        (6, "sources", "s-gone"),
        (7, "sources", ""),
    }
    twice = next(i for i in err.value.issues if i.row == 3)
    assert "also at row 2" in twice.expected and "第 2 行" in twice.expected_zh


# -- export, template, merge, Neo4j properties ------------------------------------------------------


def test_the_table_layout_and_template_know_the_new_table():
    table = TABLES_BY_NAME["cluster_designations"]
    assert table.required == ("cluster_id", "name_zh", "sources")
    assert sorted(COLUMNS["cluster_designations"]) == sorted(table.columns)
    assert "designations" in TABLES_BY_NAME["clusters"].optional  # the old column is still read


def test_csv_export_writes_one_row_per_designation_and_loads_back(bundled, tmp_path):
    tables = dataset_to_tables(bundled)
    rows = tables["cluster_designations"]
    carbon = next(r for r in rows if r["name_zh"] == CARBON)
    assert carbon["cluster_id"] == "new-materials" and carbon["year"] == "2021"
    assert carbon["sources"] == "s9-gxj-2021-03|s11-chinadevelopment-2021-04|reply-2022-56"
    assert all(not r.get("designations") for r in tables["clusters"])
    export_to(bundled, "csv", tmp_path / "out.zip")
    shutil.unpack_archive(tmp_path / "out.zip", tmp_path / "out")
    assert titles_of(load_folder(tmp_path / "out")) == titles_of(bundled)


def test_old_form_round_trips_through_an_export(tmp_path):
    old = load_folder(small_folder(tmp_path, designations_column="称号甲"))
    out = tmp_path / "out"
    export_to(old, "csv", tmp_path / "old.zip")
    shutil.unpack_archive(tmp_path / "old.zip", out)
    assert titles_of(load_folder(out)) == titles_of(old)


def test_graphml_and_neo4j_keep_designations_as_json(bundled):
    cluster = bundled.nodes["new-materials"]
    props = node_props(cluster)
    assert isinstance(props["designation_items"], str) and "designations" not in props
    assert json.loads(props["designation_items"])[0]["sources"][0] == "s9-gxj-2021-03"
    assert node_from_props("Cluster", props) == cluster
    graph = nx.read_graphml(io.BytesIO(graphml_bytes(bundled)))
    assert [d["name_zh"] for d in json.loads(graph.nodes["new-materials"]["designation_items"])] == [CARBON, TORCH]


def test_merge_unites_titles_and_reports_a_changed_one():
    def cluster(*items: Designation) -> Cluster:
        return Cluster(id="c1", name_zh="示例集群", sources=("s-a",), designation_items=items)

    old_title = Designation(name_zh="称号甲", sources=("s-a",))
    merged = merge_item(cluster(old_title), cluster(Designation(name_zh="称号乙", sources=("s-b",))))
    assert merged.value.designations == ("称号甲", "称号乙")  # type: ignore[union-attr]
    assert not merged.conflicts
    clash = merge_item(cluster(old_title), cluster(Designation(name_zh="称号甲", sources=("s-b",))))
    assert list(clash.conflicts) == ["designation_items[称号甲]"]


# -- queries, API, report ---------------------------------------------------------------------------


def test_api_keeps_titles_and_adds_items(api_client):
    body = api_client.get("/api/v1/clusters/new-materials").json()
    assert body["designations"] == [CARBON, TORCH]
    assert [d["name_zh"] for d in body["designation_items"]] == body["designations"]
    carbon = body["designation_items"][0]
    assert carbon == {
        "name_zh": CARBON,
        "name_en": "National advanced manufacturing cluster: Changzhou new carbon materials cluster (2021)",
        "year": 2021,
        "sources": ["s9-gxj-2021-03", "s11-chinadevelopment-2021-04", "reply-2022-56"],
        "confidence": "sourced",
        "note": carbon["note"],
    }
    listed = {c["id"]: c for c in api_client.get("/api/v1/clusters").json()["items"]}
    assert [d["sources"] for d in listed["power-equipment"]["designation_items"]] == [["s17-gxj-2022-01"]]
    assert listed["green-steel"]["designation_items"] == []


def cited_numbers(item_html: str) -> set[int]:
    """The source numbers an item's ``[n]`` mark covers (``1–3`` covers 2 too)."""
    out: set[int] = set()
    for sup in re.findall(r'<sup class="ref">(.*?)</sup>', item_html, flags=re.S):
        text = re.sub(r"<[^>]+>", "", sup).strip("[]")
        for part in text.split(", "):
            ends = [int(n) for n in part.split("–")]
            out |= set(range(ends[0], ends[-1] + 1))
    return out


def test_the_cluster_report_marks_each_title_with_its_sources(bundled_store):
    html = render_cluster_report(cluster_report(bundled_store, "new-materials")).html
    numbers = {sid: n for n, sid in re.findall(r'<tr id="src-(\d+)">.*?<span class="id">([^<]+)</span>', html, re.S)}
    part = html.split("称号 <span")[1].split("</ul>")[0]
    items = re.findall(r"<li>(.*?)</li>", part, flags=re.S)
    assert len(items) == 2
    carbon, torch = items
    assert carbon.startswith(CARBON) and torch.startswith(TORCH)
    assert cited_numbers(torch) == {int(numbers["s44-tb-2020-04"])}
    expected = {int(numbers[sid]) for sid in ("s9-gxj-2021-03", "s11-chinadevelopment-2021-04", "reply-2022-56")}
    assert cited_numbers(carbon) == expected


def test_the_report_shows_an_unverified_title_as_such(bundled_store):
    html = render_cluster_report(cluster_report(bundled_store, "nev")).html
    part = html.split("称号 <span")[1].split("</ul>")[0]
    battery = next(li for li in re.findall(r"<li>(.*?)</li>", part, flags=re.S) if LIYANG_BATTERY in li)
    assert "待核实 unverified" in battery and "not established" in battery
    assert get_cluster(bundled_store, "nev")["designation_items"][1]["confidence"] == "unverified"


@pytest.mark.neo4j
def test_neo4j_gives_the_same_designations_as_memory(neo4j_store):
    ds = tiny_chain()
    titles = (
        Designation(name_zh="测试国家级称号（2021）", name_en="A test title", year=2021, sources=("s-tiny",)),
        Designation(name_zh="测试省级称号", sources=("s-tiny",), confidence="unverified", note="待核实"),
    )
    ds.nodes["t-nev"] = ds.nodes["t-nev"].model_copy(update={"designation_items": titles})
    neo4j_store.replace(ds)
    memory = MemoryStore(ds)
    assert neo4j_store.node("t-nev") == memory.node("t-nev")
    assert get_cluster(neo4j_store, "t-nev") == get_cluster(memory, "t-nev")
    assert get_cluster(neo4j_store, "t-nev")["designation_items"][0]["year"] == 2021
