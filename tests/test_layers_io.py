"""The layers in the model, the dataset folder, the import template, exports and Neo4j properties."""

from __future__ import annotations

import datetime as dt
import json
from enum import Enum
from types import UnionType
from typing import Union, get_args, get_origin

import networkx as nx
import pytest
from pydantic import ValidationError

from chainkg.settings import BUNDLED_DATA
from graph.dataset import Dataset
from graph.errors import DataValidationError
from graph.fixtures import tiny_layers
from graph.memory_store import MemoryStore
from graph.model import Edge, EdgeKind, Figure, Instrument, Policy, Project, Source
from graph.neo4j_props import edge_from_props, edge_props, node_from_props, node_props
from graph.synth import synth_dataset
from loaders.export import export_bytes, graphml_bytes, table_losses
from loaders.folder import load_folder
from loaders.importer import read_input, run_import
from loaders.template import COLUMNS, EXAMPLES
from tests.import_support import canonical


def _with_doc_no(ds: Dataset) -> Dataset:
    ds.nodes["s-tiny"] = Source(**{**ds.nodes["s-tiny"].model_dump(), "doc_no": "TEST-1"})
    return ds


def test_batch_belongs_to_holds_tier_only():
    edge = Edge(kind="HOLDS_TIER", source="f", target="t", year=2021, batch=6, sources=("s",))
    assert (edge.year, edge.batch) == (2021, 6)
    with pytest.raises(ValidationError, match="take no batch"):
        Edge(kind="RUNS", source="f", target="p", batch=1, sources=("s",))
    with pytest.raises(ValidationError):
        Edge(kind="HOLDS_TIER", source="f", target="t", batch=0, sources=("s",))


def test_project_and_policy_fields_are_checked():
    with pytest.raises(ValidationError, match="YYYY"):
        Project(id="p", name_zh="项目", date="2016/09", sources=("s",))
    with pytest.raises(ValidationError):
        Project(id="p", name_zh="项目", investment_amount=-1, sources=("s",))
    with pytest.raises(ValidationError):
        Project(id="p", name_zh="项目", investment_qualifier="~", sources=("s",))
    with pytest.raises(ValidationError):
        Instrument(kind="reward", description_zh="奖励", sources=())  # an instrument needs a source


def test_dataset_problems_cover_instrument_tiers_and_figure_scopes():
    ds = tiny_layers()
    bad = Instrument(kind="reward", description_zh="奖励", tier_id="tier-none", sources=("s-gone",))
    ds.nodes["pol-reward"] = Policy(**{**ds.nodes["pol-reward"].model_dump(), "instruments": [bad.model_dump()]})
    cluster = ds.nodes["t-nev"]
    fig = Figure(
        year=2022, metric="battery_chain_completeness", value=1, unit="%", scope=("t-none",), sources=("s-tiny",)
    )
    ds.nodes["t-nev"] = cluster.model_copy(update={"figures": (fig,)})
    problems = ds.problems()
    assert any("unknown tier 'tier-none'" in p for p in problems)
    assert any("unknown source 's-gone'" in p for p in problems)
    assert any("unknown segment 't-none'" in p for p in problems)


@pytest.mark.parametrize("fmt", ["csv", "xlsx", "json"])
def test_export_then_import_gives_the_same_layers(fmt):
    ds = _with_doc_no(tiny_layers())
    assert table_losses(ds) == []
    store = MemoryStore()
    report = run_import(
        store, read_input({"csv": "g.zip", "xlsx": "g.xlsx", "json": "g.json"}[fmt], export_bytes(ds, fmt))
    )
    assert report.applied, [str(e) for e in report.errors[:5]]
    assert canonical(store.snapshot()) == canonical(ds)
    again = run_import(store, read_input("g." + ("zip" if fmt == "csv" else fmt), export_bytes(ds, fmt)))
    assert again.summary()["counts"]["nodes"]["updated"] == 0 and again.summary()["counts"]["edges"]["added"] == 0


def test_table_losses_name_years_the_tables_cannot_hold():
    ds = tiny_layers()
    edge = ds.edges[("PROJECT_IN", "prj-cell-1", "t-cell")]
    ds.edges[edge.key] = edge.model_copy(update={"year": 2016})
    assert table_losses(ds) == ["PROJECT_IN prj-cell-1->t-cell: a year"]


def test_graphml_and_cypher_carry_the_layers():
    ds = tiny_layers()
    graph = nx.parse_graphml(graphml_bytes(ds).decode("utf-8"), force_multigraph=True)
    assert graph.nodes["prj-cell-2"]["kind"] == "Project" and graph.nodes["prj-cell-2"]["investment_amount"] == 120.0
    assert json.loads(graph.nodes["pol-reward"]["instruments"])[0]["amount"] == 200
    assert graph.edges["f-cell-a", "tier-champion", "HOLDS_TIER"]["batch"] == 6
    cypher = export_bytes(ds, "cypher").decode("utf-8")
    assert "CREATE (:ChainNode:Policy {id: 'pol-reward'" in cypher and "[:HOLDS_TIER {" in cypher


def test_neo4j_properties_round_trip_projects_policies_and_batches():
    ds = tiny_layers()
    for node_id in ("prj-lithium", "pol-reward", "tier-champion", "plat-lighthouse"):
        node = ds.nodes[node_id]
        props = node_props(node)
        assert all(not isinstance(v, dict) for v in props.values())  # Neo4j cannot store maps
        assert node_from_props(node.kind, {**props, "gen": "g1", "seq": 1}) == node
    assert isinstance(node_props(ds.nodes["pol-reward"])["instruments"], str)
    edge = ds.edges[("HOLDS_TIER", "f-cell-a", "tier-champion")]
    assert edge_props(edge)["batch"] == 6
    assert edge_from_props("HOLDS_TIER", "f-cell-a", "tier-champion", edge_props(edge)) == edge
    assert "batch" not in edge_props(ds.edges[("BUILT_BY", "prj-cell-1", "f-cell-a")])


def _folder(tmp_path, **files: str):
    (tmp_path / "sources.csv").write_text("id,title,date,doc_no\ns1,示例,2022,X-1\n", encoding="utf-8")
    (tmp_path / "firms.csv").write_text("id,name_zh,is_local,sources\nf1,甲公司,true,s1\n", encoding="utf-8")
    for name, text in files.items():
        (tmp_path / f"{name}.csv").write_text(text, encoding="utf-8")
    return tmp_path


def _issues(folder) -> list[str]:
    with pytest.raises(DataValidationError) as err:
        load_folder(folder)
    return [str(i) for i in err.value.issues]


def test_layer_tables_report_located_errors(tmp_path):
    folder = _folder(
        tmp_path,
        tiers="id,name_zh,level,category,sources\nt1,小巨人,county,little_giant,s1\n",
        firm_tiers="firm_id,tier_id,year,batch,sources\nf1,t-missing,2021,six,s1\n",
        projects="id,name_zh,investment_amount,status,year,sources\np1,项目,lots,dreaming,2021,s1\n",
        project_links="kind,project_id,target,sources\nBUILT_IN,p1,f1,s1\nBUILT_BY,p-missing,f1,s1\n",
        policy_instruments="policy_id,kind,description_zh,amount,tier_id,sources\npol-missing,reward,奖励,5,,s1\n",
    )
    issues = _issues(folder)
    expected = [
        "tiers.csv, row 2, field 'level': got 'county'; expected one of national, provincial, city",
        "firm_tiers.csv, row 2, field 'batch': got 'six'; expected a whole number",
        "projects.csv, row 2, field 'investment_amount': got 'lots'; expected a number, e.g. 1300 or 0.94",
        "projects.csv, row 2, field 'status': got 'dreaming'; expected one of planned, signed, started, completed, "
        "unknown",
        "project_links.csv, row 2, field 'kind': got 'BUILT_IN'; expected BUILT_BY or PROJECT_IN or SITED_IN",
        "project_links.csv, row 3, field 'project_id': got 'p-missing'; expected the id of a Project (projects.csv)",
        "policy_instruments.csv, row 2, field 'policy_id': got 'pol-missing'; expected the id of a row in policies.csv",
    ]
    for line in expected:
        assert line in issues, (line, issues)


def test_instrument_tiers_and_figure_scopes_are_checked_with_their_rows(tmp_path):
    folder = _folder(
        tmp_path,
        clusters="id,name_zh,sources\nc1,集群,s1\n",
        segments="id,cluster_id,name_zh,position,sources\nseg1,c1,环节,midstream,s1\n",
        cluster_figures="cluster_id,year,metric,value,unit,scope,sources\nc1,2022,x_completeness,90,%,seg1|seg9,s1\n",
        policies="id,name_zh,sources\npol1,政策,s1\n",
        policy_instruments="policy_id,kind,description_zh,tier_id,sources\npol1,reward,奖励,t9,s1|s9\n",
    )
    issues = _issues(folder)
    assert "policy_instruments.csv, row 2, field 'tier_id': got 't9'; expected the id of a Tier (tiers.csv)" in issues
    assert "policy_instruments.csv, row 2, field 'sources': got 's9'; expected the id of a row in sources.csv" in issues
    assert (
        "cluster_figures.csv, row 2, field 'scope': got 'seg9'; expected the id of a segment of the cluster c1 "
        "(segments.csv)"
    ) in issues


def test_the_template_has_an_example_row_that_loads_for_every_layer_table():
    for table in (
        "tiers",
        "firm_tiers",
        "projects",
        "project_links",
        "policies",
        "policy_instruments",
        "policy_targets",
        "platforms",
        "firm_platforms",
    ):
        assert set(EXAMPLES[table]) <= set(COLUMNS[table]), table


def test_an_imported_tier_row_matches_a_firm_by_name():
    store = MemoryStore(tiny_layers())
    text = "firm_id,tier_id,year,batch,sources\n乙电池,tier-giant,2024,7,s-tiny\n".encode()
    report = run_import(store, read_input("firm_tiers.csv", text))
    assert report.applied, [str(e) for e in report.errors]
    edge = store.edges("HOLDS_TIER", source="f-cell-b")[0]
    assert (edge.target, edge.year, edge.batch) == ("tier-giant", 2024, 7)


def test_edge_props_equal_pydantic_json_on_every_edge():
    """``edge_props`` reads the fields directly; it must give what ``model_dump(mode="json")`` gives."""
    edges = [*load_folder(BUNDLED_DATA).edges.values(), *synth_dataset(300, seed=4).edges.values()]
    edges += list(tiny_layers().edges.values())
    for edge in edges:
        reference = {
            k: v
            for k, v in edge.model_dump(mode="json").items()
            if k not in {"kind", "source", "target"} and v is not None
        }
        assert edge_props(edge) == reference, edge
    assert {e.kind for e in edges} == set(EdgeKind)  # every kind was seen


def _converted_by_edge_props(annotation: object) -> bool:
    """Whether ``edge_props`` turns a value of this type into what ``model_dump(mode="json")`` gives."""
    origin = get_origin(annotation)
    if origin is tuple:
        return all(arg is Ellipsis or arg is str for arg in get_args(annotation))
    if origin in (Union, UnionType):
        return all(_converted_by_edge_props(arg) for arg in get_args(annotation))
    return annotation in (str, int, type(None)) or (isinstance(annotation, type) and issubclass(annotation, Enum))


def test_edge_fields_are_of_the_types_edge_props_converts():
    """A new Edge field of another type (a date, a model) needs edge_props to learn it."""
    for name, field in Edge.model_fields.items():
        assert _converted_by_edge_props(field.annotation), (name, field.annotation)
    assert not _converted_by_edge_props(dt.date) and not _converted_by_edge_props(tuple[int, ...])
