"""Helpers for the tests that run the command line as a user would: in a subprocess, from the repository root."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest

from chainkg.settings import REPO_ROOT, Settings
from graph.dataset import Dataset
from graph.memory_store import MemoryStore
from graph.store import GraphStore, Progress

CLI_TIMEOUT = 120
"""Seconds a command may take: enough for a load into Neo4j on a busy test machine."""


def chainkg(*argv: str, **env: str) -> subprocess.CompletedProcess[str]:
    """Run ``python -m chainkg`` with ``argv``, and ``env`` on top of this environment.

    Parameters
    ----------
    *argv
        The command line after ``chainkg``.
    **env
        Environment variables to set for this run (e.g. ``NEO4J_URI="bolt://..."``).

    Returns
    -------
    subprocess.CompletedProcess[str]
        The exit status with stdout and stderr as text.
    """
    return subprocess.run(
        [sys.executable, "-m", "chainkg", *argv],
        cwd=REPO_ROOT,
        env={**os.environ, **env},
        capture_output=True,
        text=True,
        timeout=CLI_TIMEOUT,
    )


def serve_dataset_to_commands(monkeypatch: pytest.MonkeyPatch, dataset: Dataset) -> None:
    """Make in-process commands (:func:`chainkg.cli.main`) answer from ``dataset`` in an embedded store.

    For data no loader would accept (the loaders refuse control characters in cells) but a store
    could still hold, e.g. a Neo4j database filled by other means: the commands must cope with it.
    """

    def open_store(settings: Settings, *, load: bool = True, progress: Progress | None = None) -> GraphStore:
        store = MemoryStore()
        store.replace(dataset)
        return store

    monkeypatch.setattr("chainkg.runtime.open_store", open_store)
