"""近 ("nearly", just under) is its own qualifier, ``≲``, apart from 约 (``≈``, "about").

A tiny dataset written as CSV files goes through the normal loader (:func:`loaders.folder.load_folder`) and is
shown by the command line, the API and the report labels in Chinese and English. The bundled NEV figure
for 2025 (近5000亿元) reads 近5000, and a bad qualifier is refused with the accepted values, ``≲`` among them.
Everything in the tiny dataset is invented for tests (its source says so).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chainkg.cli import main
from chainkg.settings import Settings
from graph.dataset import Dataset
from graph.errors import DataValidationError
from graph.memory_store import MemoryStore
from graph.model import Cluster, Policy, Project
from loaders.folder import load_folder
from loaders.template import ENUMS
from queries.figures import figure_text
from queries.layer_items import english_amount, instrument_item, investment_text
from reports.labels import figure_value
from tests.cli_support import serve_dataset_to_commands

TINY = {
    "sources.csv": (
        "id,title,publisher,date,doc_no,reliability,note\n"
        "qn-test,虚构测试来源（非真实）,chainkg tests,2026,TEST-QN-1,research,invented for tests\n"
    ),
    "clusters.csv": "id,name_zh,name_en,sources\nqn-cluster,虚构集群,Fictional cluster,qn-test\n",
    "cluster_figures.csv": (
        "cluster_id,year,metric,value,unit,qualifier,period,sources,note\n"
        "qn-cluster,2025,output,5000,亿元,≲,full-year,qn-test,近5000亿元\n"
        "qn-cluster,2024,output,4000,亿元,≈,full-year,qn-test,约4000亿元\n"
    ),
    "projects.csv": (
        "id,name_zh,name_en,investment_amount,investment_currency,investment_qualifier,year,status,sources\n"
        "qn-project,虚构项目,Fictional project,30,CNY,≲,2025,started,qn-test\n"
        "qn-about,虚构项目二,Fictional project two,30,CNY,≈,2025,started,qn-test\n"
    ),
    "policies.csv": "id,name_zh,name_en,sources\nqn-policy,虚构政策,Fictional policy,qn-test\n",
    "policy_instruments.csv": (
        "policy_id,kind,description_zh,description_en,amount,unit,qualifier,sources\n"
        "qn-policy,reward,虚构奖励,A fictional reward,50,万元,≲,qn-test\n"
    ),
}
"""A made-up cluster, project and policy whose amounts read 近 (and, beside them, 约)."""


def write_tiny(folder: Path, **changes: str) -> Path:
    """Write :data:`TINY` to ``folder``, with the files in ``changes`` (by name, dots as ``_``) replaced."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in TINY.items():
        (folder / name).write_text(changes.get(name.replace(".", "_"), text), encoding="utf-8")
    return folder


@pytest.fixture
def tiny(tmp_path: Path) -> Dataset:
    return load_folder(write_tiny(tmp_path / "qn"))


def issues_of(folder: Path) -> list[str]:
    with pytest.raises(DataValidationError) as info:
        load_folder(folder)
    return [str(issue) for issue in info.value.issues]


def test_the_loader_keeps_nearly_apart_from_about(tiny):
    cluster, project, about = tiny.nodes["qn-cluster"], tiny.nodes["qn-project"], tiny.nodes["qn-about"]
    assert isinstance(cluster, Cluster) and isinstance(project, Project) and isinstance(about, Project)
    assert {f.year: f.qualifier for f in cluster.figures} == {2025: "≲", 2024: "≈"}
    assert (project.investment_qualifier, about.investment_qualifier) == ("≲", "≈")
    policy = tiny.nodes["qn-policy"]
    assert isinstance(policy, Policy) and [i.qualifier for i in policy.instruments] == ["≲"]


def test_nearly_reads_jin_in_chinese_and_nearly_in_english(tiny):
    project, about, policy = tiny.nodes["qn-project"], tiny.nodes["qn-about"], tiny.nodes["qn-policy"]
    assert isinstance(project, Project) and isinstance(about, Project) and isinstance(policy, Policy)
    assert (investment_text(project), investment_text(about)) == ("近30亿元", "约30亿元")
    assert (english_amount("近30亿元"), english_amount("约30亿元")) == ("nearly CNY 3 billion", "about CNY 3 billion")
    assert instrument_item(policy.instruments[0])["amount_text"] == "近50万元"
    assert english_amount("近50万元") == "nearly CNY 500,000"


def test_the_report_and_view_labels_keep_nearly(tiny):
    cluster = tiny.nodes["qn-cluster"]
    assert isinstance(cluster, Cluster)
    figures = {f.year: f.model_dump(mode="json") for f in cluster.figures}
    assert (figure_value(figures[2025]), figure_value(figures[2024])) == ("近 5,000 亿元", "约 4,000 亿元")
    assert (figure_text(figures[2025]), figure_text(figures[2025], english=True)) == (
        "近5000 亿元 (2025)",
        "nearly CNY 500 billion (2025)",
    )


def test_the_command_line_shows_nearly_in_both_languages(tiny, monkeypatch, capsys):
    serve_dataset_to_commands(monkeypatch, tiny)

    def out(argv: list[str]) -> str:
        assert main(argv) == 0, argv
        return capsys.readouterr().out

    zh, en = out(["project", "qn-project"]), out(["project", "qn-project", "--lang", "en"])
    assert "近30亿元" in zh and "约" not in zh
    assert "nearly CNY 3 billion" in en and "about" not in en and "近" not in en
    assert "about CNY 3 billion" in out(["project", "qn-about", "--lang", "en"])
    body = json.loads(out(["project", "qn-project", "--json"]))
    assert (body["investment"]["qualifier"], body["investment_text"]) == ("≲", "近30亿元")
    assert "近50万元" in out(["policy", "qn-policy"])
    assert "nearly CNY 500,000" in out(["policy", "qn-policy", "--lang", "en"])
    listed = out(["projects", "--lang", "en"])
    assert "nearly CNY 3 billion" in listed and "about CNY 3 billion" in listed


def test_the_api_gives_the_symbol_and_the_chinese_text(tiny):
    from fastapi.testclient import TestClient

    from api.app import create_app

    with TestClient(create_app(MemoryStore(tiny), Settings.from_env(env={}))) as client:
        project = client.get("/api/v1/projects/qn-project").json()
        assert project["investment"]["qualifier"] == "≲" and project["investment_text"] == "近30亿元"
        [instrument] = client.get("/api/v1/policies/qn-policy").json()["instruments"]
        assert (instrument["qualifier"], instrument["amount_text"]) == ("≲", "近50万元")
        figures = client.get("/api/v1/clusters/qn-cluster").json()["figures"]
        assert {f["year"]: f["qualifier"] for f in figures} == {2025: "≲", 2024: "≈"}
        schema = client.get("/openapi.json").json()["components"]["schemas"]
    for model in ("ClusterFigure", "Investment", "Instrument"):
        assert "`≲` (近" in schema[model]["properties"]["qualifier"]["description"], model


def test_the_bundled_nev_figure_for_2025_reads_jin_5000(bundled):
    nev = bundled.nodes["nev"]
    assert isinstance(nev, Cluster)
    [fig] = [f for f in nev.figures if (f.year, f.metric, f.period) == (2025, "output", "full-year")]
    assert (fig.value, fig.unit, fig.qualifier) == (5000, "亿元", "≲")
    assert "近5000亿元" in fig.note  # the source's own words, which the qualifier keeps
    assert figure_value(fig.model_dump(mode="json")) == "近 5,000 亿元"


def test_the_bundled_equipment_revenue_near_3000_is_nearly(bundled):
    """s1-tjj-2022-09 says 高端装备集群营收规模接近3000亿元 (1-8月 2022): 接近 is 近, not 约."""
    equipment = bundled.nodes["high-end-equipment"]
    assert isinstance(equipment, Cluster)
    [fig] = [f for f in equipment.figures if (f.year, f.metric, f.period) == (2022, "revenue", "1-8月")]
    assert (fig.value, fig.qualifier, fig.sources) == (3000, "≲", ("s1-tjj-2022-09",))
    assert "接近3000亿元" in fig.note


def test_the_bundled_about_figures_stay_about(bundled):
    """约 stays ``≈``: 新型碳材料's 约900亿元 is not turned into 近."""
    materials = bundled.nodes["new-materials"]
    assert isinstance(materials, Cluster)
    [fig] = [f for f in materials.figures if (f.year, f.metric) == (2021, "output")]
    assert fig.qualifier == "≈" and "约900亿元" in fig.note


def test_the_bundled_api_shows_nev_2025_as_nearly(api_client):
    figures = api_client.get("/api/v1/clusters/nev").json()["figures"]
    [fig] = [f for f in figures if (f["year"], f["metric"], f["period"]) == (2025, "output", "full-year")]
    assert fig["qualifier"] == "≲" and figure_value(fig) == "近 5,000 亿元"


@pytest.mark.parametrize(
    ("file", "text", "row", "field", "bad"),
    [
        (
            "cluster_figures.csv",
            "cluster_id,year,metric,value,unit,qualifier,sources\nqn-cluster,2025,output,5000,亿元,~,qn-test\n",
            2,
            "qualifier",
            "~",
        ),
        (
            "projects.csv",
            "id,name_zh,investment_amount,investment_qualifier,sources\nqn-project,虚构项目,30,近,qn-test\n",
            2,
            "investment_qualifier",
            "近",
        ),
        (
            "policy_instruments.csv",
            "policy_id,kind,description_zh,amount,unit,qualifier,sources\nqn-policy,reward,奖励,50,万元,≃,qn-test\n",
            2,
            "qualifier",
            "≃",
        ),
    ],
)
def test_a_bad_qualifier_is_refused_with_nearly_among_the_accepted_values(tmp_path, file, text, row, field, bad):
    folder = write_tiny(tmp_path / "bad", **{file.replace(".", "_"): text})
    [msg] = [m for m in issues_of(folder) if f"field '{field}'" in m]
    assert msg.startswith(f"{file}, row {row}, field '{field}': got '{bad}'"), msg
    assert "'≲'" in msg and "'≈'" in msg, msg


def test_the_template_offers_nearly_in_every_qualifier_drop_down():
    for column in ("cluster_figures.qualifier", "projects.investment_qualifier", "policy_instruments.qualifier"):
        assert "≲" in ENUMS[column] and "≈" in ENUMS[column], column
