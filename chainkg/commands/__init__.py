"""One module per ``chainkg`` sub-command.

Each module (except the helpers ``common`` and ``output``) defines ``register(sub)``, which adds its
parser to the sub-parsers and sets ``handler``. :func:`command_modules` finds
them, so adding a command means adding a module here and nothing else.
"""

from __future__ import annotations

import pkgutil
from pathlib import Path

HELPERS = frozenset({"common", "output"})
"""Modules here that hold shared helpers, not a command."""


def command_modules() -> list[str]:
    """Names of the command modules, sorted."""
    return sorted(m.name for m in pkgutil.iter_modules([str(Path(__file__).parent)]) if m.name not in HELPERS)
