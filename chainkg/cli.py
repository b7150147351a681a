"""The ``chainkg`` command line.

Sub-commands live in :mod:`chainkg.commands`, one module each. Every command
has ``--help``. Errors print one clear message and exit with status 2 (bad
input: invalid data, an unknown id, which comes with the nearest ids, or a bad
option) or 1 (anything else).
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os
import sys
from collections.abc import Sequence

from chainkg import __version__
from chainkg.commands import command_modules
from graph.errors import ChainGraphError, DataValidationError, InvalidQuery, NodeNotFound

EPILOG = """\
examples:
  chainkg health                 # the clusters ranked by chain health
  chainkg chain nev              # one cluster's chain, upstream to downstream
  chainkg gaps nev               # its gaps (缺链, 弱链, 断链), most severe first
  chainkg targets nev            # the outside firms to approach first, and why
  chainkg report nev             # a printable report: report-nev.html
  chainkg search 宁德时代         # a firm's, segment's or cluster's id from its name
  chainkg COMMAND --help         # one command's options, defaults and examples

Exit status: 0 done, 2 bad input (an unknown id comes with the nearest ids), 1 anything else.
"""


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="chainkg",
        description="Industry-chain knowledge graph of Changzhou's ten advanced-manufacturing clusters.",
        epilog=EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("--version", action="version", version=f"chainkg {__version__}")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in command_modules():
        importlib.import_module(f"chainkg.commands.{name}").register(sub)
    for command in sub.choices.values():  # so that an error about its options shows the command's usage
        command.set_defaults(command_parser=command)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    # The Neo4j driver logs some failures (e.g. "Unable to retrieve routing information") before raising
    # them; with no logging configured Python would print that as a stray line above chainkg's own error.
    # A handler of its own keeps the line out of the terminal; a handler the user configures still sees it.
    driver_log = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in driver_log.handlers):
        driver_log.addHandler(logging.NullHandler())
    parser = build_parser()
    args, unknown = parser.parse_known_args(argv)
    if unknown:  # name the command whose options were wrong, with its usage, not the top-level one
        getattr(args, "command_parser", parser).error(f"unrecognized arguments: {' '.join(unknown)}")
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        status = int(args.handler(args))
        sys.stdout.flush()  # a failed write (a full disk, a closed pipe) is handled here, not at exit
        return status
    except (DataValidationError, NodeNotFound, InvalidQuery) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    except ChainGraphError as err:
        print(f"error: {err}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        # The reader went away (``chainkg gaps | head``): stop quietly, as other shell tools do.
        silence_stdout()
        return 141
    except OSError as err:  # e.g. ``chainkg gaps > file`` on a full disk: one line, not a traceback
        print(f"error: {err.strerror or err}" + (f": '{err.filename}'" if err.filename else ""), file=sys.stderr)
        silence_stdout()
        return 1


def silence_stdout() -> None:
    """Send what is left of standard output to the null device, so Python's flush at exit cannot fail again."""
    try:
        sys.stdout.flush()
    except OSError:
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):  # no real file behind sys.stdout (captured in a test)
            pass


if __name__ == "__main__":
    sys.exit(main())
