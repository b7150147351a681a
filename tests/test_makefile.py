"""The Makefile's ``help`` lists every documented target (``TARGET: ... ## text``)."""

from __future__ import annotations

import re
import shutil
import subprocess

from tests.conftest import REPO, skip_or_fail


def test_make_help_lists_every_documented_target():
    if shutil.which("make") is None:
        skip_or_fail("make is not installed")
    documented = re.findall(r"^([A-Za-z0-9_.-]+):[^\n]*## ", (REPO / "Makefile").read_text(), flags=re.MULTILINE)
    assert {"run", "test", "neo4j", "neo4j-stop", "bench"} <= set(documented)
    listed = subprocess.run(["make", "-s", "help"], cwd=REPO, capture_output=True, text=True, check=True).stdout
    shown = {line.split()[0] for line in listed.splitlines() if line.strip()}
    assert set(documented) <= shown, f"make help leaves out {sorted(set(documented) - shown)}"
