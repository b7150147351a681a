"""A second fresh-user pass over the command line, on the bundled data and the embedded store.

Found by running every command's ``--help`` and a right and a wrong invocation of each (2026-12-07):
most ``--help`` pages had no example; an unknown id with no near one (``chainkg tier nope``) said
nothing of which ids exist; ``impact`` listed a segment's local firms by id only; ``targets`` with
filters no gap passes said the gaps "need research"; ``serve --port 99999`` printed "Serving on
...:99999" and ``--port 0`` "Serving on ...:0"; ``synth -o FILE`` ended in ``[Errno 17]``;
``import --rejected`` wrote JSON into a ``.txt`` file, or over the very file being imported;
``report -o x.xlsx`` did not say that ``--xlsx`` writes the workbook; ``export -o x.txt`` did not say
which names or formats it knows.
"""

from __future__ import annotations

import argparse
import json
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest

from chainkg.cli import build_parser, main
from chainkg.settings import REPO_ROOT, Settings
from graph.errors import ConfigError
from tests.cli_support import chainkg
from tests.conftest import skip_or_fail

READ_ONLY = {
    "candidates",
    "chain",
    "cluster-links",
    "completeness",
    "firm",
    "gaps",
    "health",
    "impact",
    "info",
    "platforms",
    "policies",
    "policy",
    "project",
    "projects",
    "search",
    "segment",
    "targets",
    "tier",
    "tiers",
    "what-if",
}
"""Commands that only read the graph: their examples on the bundled data are run, not only parsed."""


def subcommands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    (sub,) = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
    return dict(sub.choices)


def help_examples(help_text: str) -> list[list[str]]:
    """The command lines under ``examples:`` of a help page, as argv after ``chainkg`` (comments, pipes cut)."""
    block = help_text.split("examples:\n", 1)[1].split("\n\n", 1)[0]
    out = []
    for line in block.splitlines():
        text = re.split(r"\s#\s|\s[|>]\s|\s&&\s", line.strip())[0]
        argv = shlex.split(text)
        assert argv[0] == "chainkg", line
        if argv[1:] != ["COMMAND", "--help"]:
            out.append(argv[1:])
    return out


ALL_EXAMPLES = sorted(
    {
        tuple(argv)
        for page in [build_parser().format_help(), *(p.format_help() for p in subcommands().values())]
        for argv in help_examples(page)
    }
)


# -- --help ------------------------------------------------------------------------------------


@pytest.mark.parametrize("name", sorted(subcommands()))
def test_every_help_page_has_examples(name):
    """Most pages had none: a user had to guess how the positional id and the options combine."""
    page = subcommands()[name].format_help()
    assert "examples:" in page, name
    assert any(argv[0] == name for argv in help_examples(page)), page


@pytest.mark.parametrize("argv", ALL_EXAMPLES, ids=" ".join)
def test_every_example_parses(argv):
    args, unknown = build_parser().parse_known_args(list(argv))
    assert unknown == [] and args.handler is not None


@pytest.mark.parametrize("argv", [a for a in ALL_EXAMPLES if a[0] in READ_ONLY and "--data" not in a], ids=" ".join)
def test_read_only_examples_run_on_the_bundled_data(argv, capsys):
    """The ids the examples name exist: each example answers with status 0 and something on stdout."""
    assert main(list(argv)) == 0, capsys.readouterr().err
    assert capsys.readouterr().out.strip()


def test_template_and_serve_help_give_their_defaults():
    pages = subcommands()
    assert "default: chainkg-template.xlsx" in pages["template"].format_help()
    serve = pages["serve"].format_help()
    assert "default: info" in serve and "0 for any free one" in serve


# -- unknown ids -------------------------------------------------------------------------------


def test_an_unknown_id_with_no_near_one_names_the_ids_of_a_small_kind(bundled_store, capsys):
    """``chainkg tier nope`` said only "No tier with id 'nope'."."""
    assert main(["tier", "nope"]) == 2
    err = capsys.readouterr().err.strip()
    tiers = [node.id for node in bundled_store.nodes("Tier")]
    assert err.startswith(f"错误：没有编号为 'nope' 的梯度称号。现有编号：{', '.join(tiers)}。")  # Chinese first
    assert err.endswith(f" / error: No tier with id 'nope'. The tier ids are: {', '.join(tiers)}.")
    assert main(["projects", "--district", "nope"]) == 2
    districts = ", ".join(node.id for node in bundled_store.nodes("District"))
    assert f"The district ids are: {districts}." in capsys.readouterr().err


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["firm", "zzzzzz"], "chainkg search NAME finds a firm's id by its name."),
        (["project", "nope"], "chainkg projects lists the project ids."),
        (["policies", "--segment", "nope"], "chainkg chain CLUSTER lists a cluster's segment ids."),
    ],
)
def test_an_unknown_id_of_a_large_kind_names_the_command_that_lists_them(argv, hint, capsys):
    assert main(argv) == 2
    (line,) = capsys.readouterr().err.splitlines()
    assert line.startswith("错误：") and "/ error: No " in line and line.endswith(hint)


def test_an_unknown_id_with_near_ones_still_gives_only_those(capsys):
    assert main(["tier", "tier-champ"]) == 2
    err = capsys.readouterr().err
    assert "Did you mean: tier-champion-firm" in err and "ids are" not in err


# -- impact and targets ------------------------------------------------------------------------


def test_impact_names_the_segments_local_firms(capsys):
    """The line ``local firms: btr-jiangsu (member), ...`` gave ids only."""
    assert main(["impact", "nev-cathode", "--json"]) == 0
    firms = json.loads(capsys.readouterr().out)["local_firms"]
    assert firms
    assert main(["impact", "nev-cathode"]) == 0
    shown = capsys.readouterr().out.splitlines()
    for firm in firms:
        (row,) = [line for line in shown if line.startswith(firm["id"] + " ")]
        assert firm["role"] in row and firm["name_zh"] in row and firm["name_en"] in row


def test_targets_says_when_no_gap_passes_the_filters(bundled_store, capsys):
    """It said "no outside firm in the data fills these gaps: they need research" with no gap to fill."""
    from queries.gaps import gaps

    above_all = min(1.0, max(g["severity"] for g in gaps(bundled_store, "nev")) + 0.001)
    assert main(["targets", "nev", "--min-severity", f"{above_all:.3f}"]) == 0
    out = capsys.readouterr().out
    assert "no gap passes these filters" in out and "research" not in out


def test_targets_says_when_the_gaps_have_no_candidate(bundled_store, capsys):
    from queries.gap_kinds import KINDS
    from queries.gaps import gaps

    clusters = sorted({g["cluster_id"] for g in gaps(bundled_store)})
    pairs = [(c, k, gaps(bundled_store, c, kind=k)) for c in clusters for k in KINDS]
    cases = [(c, k, len(found)) for c, k, found in pairs if found and not any(g["candidate_count"] for g in found)]
    assert cases, "the bundled data has gaps no outside firm fills (chainkg gaps --has-candidates false)"
    cluster, kind, count = cases[0]
    assert main(["targets", cluster, "--kind", kind]) == 0
    assert f"no outside firm in the data fills these {count} gap(s): they need research" in capsys.readouterr().out


# -- serve, synth, import, report, export ------------------------------------------------------


def test_serve_refuses_a_port_out_of_range(capsys):
    """``--port 99999`` and ``CHAINKG_PORT=99999`` printed "Serving on http://127.0.0.1:99999"."""
    with pytest.raises(SystemExit) as stop:
        main(["serve", "--port", "99999"])
    assert stop.value.code == 2
    assert "argument --port: expected a whole number from 0 to 65535; got 99999" in capsys.readouterr().err
    with pytest.raises(ConfigError, match="CHAINKG_PORT must be a port number from 0 to 65535; got '99999'"):
        Settings.from_env({"CHAINKG_PORT": "99999"})


def test_serve_on_port_0_says_the_port_it_got():
    """``--port 0`` printed "Serving on http://127.0.0.1:0", an address nobody can open."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "chainkg", "serve", "--port", "0", "--log-level", "error"],
        cwd=REPO_ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    said = ""
    try:
        assert proc.stderr is not None
        for line in proc.stderr:  # ends early if the server exits
            if line.startswith("Serving on"):
                said = line
                break
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    found = re.match(r"Serving on http://127\.0\.0\.1:(\d+) ", said)
    assert found, said
    assert 0 < int(found.group(1)) <= 65535


def test_synth_into_a_file_says_so(tmp_path, capsys):
    """``-o`` naming a file ended in ``error: [Errno 17] File exists``."""
    taken = tmp_path / "out.json"
    taken.write_text("{}")
    assert main(["synth", "--firms", "10", "-o", str(taken), "--quiet"]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: refusing '{taken}': it is a file; -o names the dataset folder to write"
    )
    assert taken.read_text() == "{}"
    with pytest.raises(SystemExit):
        main(["synth", "--firms", "0", "-o", str(tmp_path / "syn")])
    assert "argument --firms: expected a whole number from 1 to" in capsys.readouterr().err


BAD_FIRM = "id,name_zh,is_local,sources\nzz-new,新企业,maybe,s-x\n"


@pytest.fixture
def bad_firms(tmp_path, monkeypatch) -> Path:
    """A firms.csv with one invalid row, and a state folder of its own for the import."""
    monkeypatch.setenv("CHAINKG_STATE_DIR", str(tmp_path / "state"))
    path = tmp_path / "firms.csv"
    path.write_text(BAD_FIRM, encoding="utf-8")
    return path


def test_import_refuses_a_rejected_file_it_cannot_write_as_asked(bad_firms, capsys):
    """``--rejected r.txt`` wrote JSON into r.txt, after the import was applied."""
    rejected = bad_firms.with_name("left.txt")
    assert main(["import", str(bad_firms), "--skip-invalid", "--rejected", str(rejected)]) == 2
    assert capsys.readouterr().err.strip() == (
        f"error: refusing '{rejected}': --rejected must end in .xlsx, .csv or .json"
    )
    assert not rejected.exists() and not (bad_firms.parent / "state").exists()


def test_import_refuses_to_write_rejected_rows_over_the_file_imported(bad_firms, capsys):
    """``--rejected`` naming the imported file replaced the user's data with the error report."""
    assert main(["import", str(bad_firms), "--skip-invalid", "--rejected", str(bad_firms)]) == 2
    err = capsys.readouterr().err
    assert "--rejected names the file being imported; name another, e.g. firms.rejected.csv" in err
    assert bad_firms.read_text(encoding="utf-8") == BAD_FIRM


def test_import_still_writes_rejected_rows_where_asked(bad_firms, capsys):
    rejected = bad_firms.with_name("left.CSV")
    assert main(["import", str(bad_firms), "--skip-invalid", "--rejected", str(rejected)]) == 0
    assert "zz-new" in rejected.read_text(encoding="utf-8-sig")


@pytest.mark.parametrize(
    ("argv", "hint"),
    [
        (["report", "nev", "-o", "nev.xlsx"], "must end in .html or .htm; for the gap workbook add --xlsx"),
        (["report", "nev", "--xlsx", "-o", "nev.html"], "must end in .xlsx; for the HTML report drop --xlsx"),
    ],
)
def test_report_with_the_other_suffix_names_the_option(argv, hint, tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    assert hint in capsys.readouterr().err
    assert list(tmp_path.iterdir()) == []


def test_report_year_is_checked_like_every_other_year(capsys):
    """It was left to the query, whose message named ``year``, not ``--year``."""
    with pytest.raises(SystemExit):
        main(["report", "nev", "--year", "1800"])
    assert "argument --year: expected a whole number from 1990 to 2100; got 1800" in capsys.readouterr().err


def test_export_to_an_unknown_suffix_names_what_it_knows(tmp_path, capsys):
    assert main(["export", "-o", str(tmp_path / "graph.txt")]) == 2
    err = capsys.readouterr().err
    assert "name the file .xlsx, .json, .graphml or .cypher" in err
    assert "--format xlsx, csv, json, graphml or cypher" in err
    assert list(tmp_path.iterdir()) == []


# -- pipes -------------------------------------------------------------------------------------


@pytest.mark.parametrize("argv", [["gaps", "--limit", "500", "--json"], ["targets", "--limit", "500"]])
def test_a_reader_that_stops_early_gets_no_traceback(argv):
    """``chainkg gaps ... | head -1``: more than a pipe's buffer is written after the reader has gone."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "chainkg", *argv],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    first = proc.stdout.readline()
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) in (0, 141)
    assert first.strip() and err == ""


def test_the_shared_helper_runs_the_cli_as_a_user_would():
    result = chainkg("tier", "nope")
    assert result.returncode == 2 and result.stdout == ""
    assert " / error: No tier with id 'nope'. The tier ids are: " in result.stderr


def test_export_to_a_reader_that_stops_early_does_not_claim_it_exported():
    """``export -o - | head -c 10`` said "Exported ... nodes" with status 0 after writing 64 KB of 1 MB."""
    proc = subprocess.Popen(
        [sys.executable, "-m", "chainkg", "export", "--format", "json", "-o", "-"],
        cwd=REPO_ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None and proc.stderr is not None
    assert proc.stdout.read(10).startswith(b"{")
    proc.stdout.close()
    err = proc.stderr.read().decode()
    assert proc.wait(timeout=60) == 141
    assert err == ""


@pytest.mark.parametrize("argv", [["gaps"], ["info"], ["export", "--format", "json", "-o", "-"]])
def test_output_to_a_full_disk_is_one_error_line(argv):
    """``chainkg gaps > file`` on a full disk ended in an OSError traceback (or one at exit)."""
    if not Path("/dev/full").exists():
        skip_or_fail("needs /dev/full (Linux) to stand for a full disk")
    with open("/dev/full", "w") as full:
        result = subprocess.run(
            [sys.executable, "-m", "chainkg", *argv], cwd=REPO_ROOT, stdout=full, stderr=subprocess.PIPE, text=True
        )
    assert result.returncode == 1
    assert result.stderr == "error: No space left on device\n"


@pytest.mark.parametrize(
    ("argv", "option", "expected"),
    [
        (["report", "--all", "--list-year", "2023", "-o", "x.html"], "--list-year", "2022, 2024"),
        (["health", "--list-year", "2023"], "--list-year", "2022, 2024"),
        (["search", "锂", "--limit", "300"], "--limit", "from 1 to 200"),  # GET /api/v1/search allows 200
    ],
)
def test_options_are_refused_by_their_own_name_with_the_apis_bounds(argv, option, expected, capsys):
    with pytest.raises(SystemExit) as stop:
        main(argv)
    assert stop.value.code == 2
    err = capsys.readouterr().err
    assert f"argument {option}" in err and expected in err
    assert "list_year" not in err  # the API's parameter name is not the CLI's


WRITERS = {
    "export json": ["export", "-o", "{out}.json"],
    "export xlsx": ["export", "-o", "{out}.xlsx"],
    "export csv folder": ["export", "-o", "{out}"],
    "render": ["render", "cluster", "nev", "-o", "{out}.html"],
    "report html": ["report", "nev", "-o", "{out}.html"],
    "report xlsx": ["report", "nev", "--xlsx", "-o", "{out}.xlsx"],
    "report all": ["report", "--all", "-o", "{out}.html"],
    "template": ["template", "-o", "{out}.xlsx"],
    "synth": ["synth", "--firms", "10", "--quiet", "-o", "{out}"],
}
"""Every command that writes a file or a dataset folder with ``-o``; ``{out}`` is the path without its suffix."""


def fill_output(argv: list[str], out: Path) -> tuple[list[str], Path]:
    """``argv`` with ``{out}`` replaced by ``out``, and the output path it names."""
    filled = [a.replace("{out}", str(out)) for a in argv]
    return filled, Path(filled[filled.index("-o") + 1])


@pytest.mark.parametrize("argv", list(WRITERS.values()), ids=list(WRITERS))
def test_every_command_refuses_a_missing_folder_and_says_to_create_it(argv, tmp_path, capsys):
    """``export -o nodir/x.json`` created ``nodir`` while ``render`` and ``report`` refused it."""
    missing = tmp_path / "nodir"
    filled, target = fill_output(argv, missing / "x")
    assert main(filled) == 2
    out, err = capsys.readouterr()
    assert err == f"error: refusing '{target}': folder '{missing}' does not exist; create it first\n"
    assert out == ""
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("argv", list(WRITERS.values()), ids=list(WRITERS))
def test_every_command_refuses_a_file_where_its_folder_should_be(argv, tmp_path, capsys):
    afile = tmp_path / "notes.txt"
    afile.write_text("mine")
    filled, target = fill_output(argv, afile / "x")
    assert main(filled) == 2
    assert capsys.readouterr().err == f"error: refusing '{target}': '{afile}' is a file, not a folder\n"
    assert [p.name for p in tmp_path.iterdir()] == ["notes.txt"] and afile.read_text() == "mine"


def test_import_refuses_rejected_rows_into_a_missing_folder_before_importing(bad_firms, capsys):
    """The import was applied, and writing the rows set aside then failed with a traceback."""
    rejected = bad_firms.parent / "nodir" / "left.csv"
    assert main(["import", str(bad_firms), "--skip-invalid", "--rejected", str(rejected)]) == 2
    assert capsys.readouterr().err == (
        f"error: refusing '{rejected}': folder '{rejected.parent}' does not exist; create it first\n"
    )
    assert not rejected.parent.exists() and not (bad_firms.parent / "state").exists()


def test_import_refuses_dotdot_in_the_rejected_path_before_importing(bad_firms, capsys):
    """``--rejected`` alone took a path with ``..`` that every other output option refuses."""
    rejected = bad_firms.parent / "sub" / ".." / "left.csv"
    (bad_firms.parent / "sub").mkdir()
    assert main(["import", str(bad_firms), "--skip-invalid", "--rejected", str(rejected)]) == 2
    assert capsys.readouterr().err == f"error: refusing '{rejected}': '..' in an output path is not allowed\n"
    assert not (bad_firms.parent / "left.csv").exists() and not (bad_firms.parent / "state").exists()


@pytest.mark.parametrize("argv", [WRITERS["export csv folder"], WRITERS["synth"]], ids=["export csv", "synth"])
def test_a_dataset_folder_itself_is_still_created_in_an_existing_folder(argv, tmp_path, capsys):
    filled, target = fill_output(argv, tmp_path / "mydata")
    assert main(filled) == 0
    assert sorted(target.glob("*.csv")), capsys.readouterr()


@pytest.mark.parametrize(
    ("argv", "present"),
    [
        (["synth", "--firms", "10", "--quiet", "-o", "{out}"], "already holds CSV files"),
        (["export", "-o", "{out}.json"], "exists; use --force to replace it"),
        (["template", "-o", "{out}.xlsx"], "exists; use --force to replace it"),
    ],
    ids=["synth", "export", "template"],
)
def test_an_existing_output_without_force_is_a_usage_error_for_every_command(argv, present, tmp_path, capsys):
    """``synth`` into a folder it had filled exited 1; ``export`` and ``template`` exit 2."""
    filled, target = fill_output(argv, tmp_path / "out")
    assert main(filled) == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    capsys.readouterr()
    assert main(filled) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: ") and present in err and "--force" in err and err.count("\n") == 1
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before
