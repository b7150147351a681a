"""The command line as a new user meets it: one clear line per mistake, and output that goes where it is sent.

Found by trying the documented commands on a fresh checkout (2026-12-06): an unusable ``NEO4J_URI``
ended in a traceback or a driver warning, a stopped server in a two-line message with a stray log
line above it, ``export -o -`` wrote a file named ``-``, and ``export --format json -o x.xlsx`` wrote
JSON into an ``.xlsx`` file. The tests that need a running Neo4j are in ``tests/test_neo4j_store.py``.
"""

from __future__ import annotations

import json
import socket
import subprocess

import pytest

from chainkg.cli import main
from tests.cli_support import chainkg


def dead_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])  # nothing listens there once the socket is closed


def one_error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The only line on stderr, which must be chainkg's ``error: ...`` (no traceback, no warning, no log line)."""
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith("error: "), result.stderr
    return lines[0]


# -- NEO4J_URI -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("uri", "expected"),
    [
        ("bolt://127.0.0.1:notaport", "its port must be a number from 1 to 65535"),  # was a ValueError traceback
        ("bolt://127.0.0.1:70000", "its port must be a number from 1 to 65535"),
        ("http://127.0.0.1:7474", "is an HTTP address, but Neo4j is reached over Bolt"),  # was a driver warning
        ("bolt://", "names no host"),  # was a quiet try of localhost:7687
        ("neo4j+s://", "names no host"),
        ("127.0.0.1:7687", "does not start with a Bolt scheme"),
        ("bolt//127.0.0.1:7687", "does not start with a Bolt scheme"),
        ("bolt://[::1", "Invalid IPv6 URL"),
    ],
)
def test_an_unusable_neo4j_uri_is_one_line_naming_it_and_an_example(uri, expected):
    result = chainkg("info", "--backend", "neo4j", NEO4J_URI=uri)
    assert result.returncode == 1
    line = one_error_line(result)
    assert f"NEO4J_URI {uri!r}" in line and expected in line and "bolt://127.0.0.1:7687" in line


@pytest.mark.parametrize("scheme", ["bolt", "neo4j"])
def test_a_stopped_server_is_one_line_naming_the_address(scheme):
    """Was two lines (the driver's message spans two), and for neo4j:// a stray driver log line above it."""
    uri = f"{scheme}://127.0.0.1:{dead_port()}"
    result = chainkg("gaps", "nev", "--backend", "neo4j", NEO4J_URI=uri)
    assert result.returncode == 1
    line = one_error_line(result)
    assert f"Neo4j at {uri} is unavailable while connecting" in line and "NEO4J_URI" in line


def test_the_neo4j_backend_without_a_uri_names_the_option_that_chose_it(monkeypatch, capsys):
    monkeypatch.delenv("NEO4J_URI", raising=False)
    monkeypatch.delenv("CHAINKG_BACKEND", raising=False)
    assert main(["gaps", "--backend", "neo4j"]) == 1
    err = capsys.readouterr().err
    assert "NEO4J_URI is required" in err and "--backend neo4j" in err and "bolt://127.0.0.1:7687" in err


# -- export ----------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["json", "graphml", "cypher"])
def test_export_to_standard_output(fmt, tmp_path, monkeypatch, capsysbinary):
    monkeypatch.chdir(tmp_path)
    assert main(["export", "--format", fmt, "-o", "-"]) == 0
    out, err = capsysbinary.readouterr()
    assert not (tmp_path / "-").exists()  # it used to write a file named "-"
    assert b"Exported" in err and b"Exported" not in out  # the summary stays out of the data
    text = out.decode("utf-8")
    if fmt == "json":
        body = json.loads(text)
        assert body["format"] == "chainkg/1" and any(n["id"] == "catl-jiangsu" for n in body["nodes"])
    elif fmt == "graphml":
        assert text.lstrip().startswith("<") and "catl-jiangsu" in text
    else:
        assert "catl-jiangsu" in text and "CREATE" in text


@pytest.mark.parametrize("argv", [["-o", "-"], ["--format", "xlsx", "-o", "-"], ["--format", "csv", "-o", "-"]])
def test_export_to_standard_output_needs_a_text_format(argv, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["export", *argv]) == 2
    err = capsys.readouterr().err
    assert "-o - (standard output) needs --format json, graphml or cypher" in err
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("fmt", "name", "implied", "better"),
    [("json", "graph.xlsx", "xlsx", "graph.json"), ("csv", "graph.json", "json", "graph.zip")],
)
def test_export_refuses_a_format_its_file_name_contradicts(fmt, name, implied, better, tmp_path, capsys):
    target = tmp_path / name
    assert main(["export", "--format", fmt, "-o", str(target)]) == 2
    err = capsys.readouterr().err
    assert f"--format {fmt} in a file named {target.suffix} (which means {implied})" in err and better in err
    assert not target.exists()


def test_export_with_a_format_its_file_name_agrees_with_still_writes(tmp_path, capsys):
    target = tmp_path / "graph.json"
    assert main(["export", "--format", "json", "-o", str(target)]) == 0
    assert json.loads(target.read_text(encoding="utf-8"))["format"] == "chainkg/1"
