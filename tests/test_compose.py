"""The structure of docker-compose.yml and the Dockerfile (no Docker engine runs here, so they are read, not run)."""

from __future__ import annotations

import re

import pytest
import yaml

from chainkg.settings import REPO_ROOT

COMPOSE = REPO_ROOT / "docker-compose.yml"
DOCKERFILE = REPO_ROOT / "Dockerfile"
PASSWORD_REF = re.compile(r"\$\{NEO4J_PASSWORD:\?[^}]+\}")


@pytest.fixture(scope="module")
def compose() -> dict:
    data = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_it_has_the_two_services(compose):
    assert set(compose["services"]) == {"neo4j", "app"}


def test_neo4j_is_5_26_community_with_a_healthcheck_and_a_volume(compose):
    neo4j = compose["services"]["neo4j"]
    assert neo4j["image"] == "neo4j:5.26-community"
    check = neo4j["healthcheck"]
    assert "cypher-shell" in " ".join(check["test"]) and check["retries"] >= 1
    volume, _, mount = neo4j["volumes"][0].partition(":")
    assert mount == "/data" and volume in compose["volumes"]


def test_neo4j_keeps_a_bounded_transaction_log(compose):
    """Every load rewrites the graph into the transaction log; Neo4j's default keeps two days of it."""
    policy = compose["services"]["neo4j"]["environment"]["NEO4J_db_tx__log_rotation_retention__policy"]
    number, unit = policy.split()
    assert unit == "size" and number[:-1].isdigit() and number[-1] in "MG"


def test_the_password_comes_from_the_environment_with_no_default(compose):
    auth = compose["services"]["neo4j"]["environment"]["NEO4J_AUTH"]
    assert auth.startswith("neo4j/") and PASSWORD_REF.fullmatch(auth.removeprefix("neo4j/"))
    assert PASSWORD_REF.fullmatch(compose["services"]["app"]["environment"]["NEO4J_PASSWORD"])
    text = COMPOSE.read_text(encoding="utf-8")
    assert ":-" not in text  # no ${VAR:-default} anywhere, so no fallback password
    for service in compose["services"].values():
        for key, value in service.get("environment", {}).items():
            if "PASSWORD" in key or key == "NEO4J_AUTH":
                literal = PASSWORD_REF.sub("", str(value)).removeprefix("neo4j/")
                assert literal == "", f"{key} holds a literal password"


def test_app_waits_for_a_healthy_neo4j_loads_the_data_and_serves_on_8000(compose):
    app = compose["services"]["app"]
    assert app["build"]["context"] == "." and (REPO_ROOT / app["build"]["dockerfile"]).is_file()
    assert app["depends_on"]["neo4j"]["condition"] == "service_healthy"
    env = app["environment"]
    assert env["CHAINKG_BACKEND"] == "neo4j" and env["NEO4J_URI"] == "bolt://neo4j:7687"
    command = " ".join(app["command"])
    assert "chainkg load data/changzhou --backend neo4j" in command and "chainkg serve" in command
    assert any(str(p).endswith(":8000") for p in app["ports"]) and env["CHAINKG_PORT"] == "8000"


def test_dockerfile_installs_chainkg_and_serves(compose):
    text = DOCKERFILE.read_text(encoding="utf-8")
    assert re.search(r"^FROM python:3\.11", text, re.M)
    assert "pip install" in text and "EXPOSE 8000" in text
    assert re.search(r"^CMD .*chainkg load data/changzhou --backend neo4j.*chainkg serve", text, re.M)
    assert "PASSWORD" not in text
