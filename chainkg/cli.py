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
        try:
            status = int(args.handler(args))
        except NodeNotFound as err:
            if not by_name(args, err):
                raise
            status = int(args.handler(args))  # once more, with the id the name gave
        sys.stdout.flush()  # a failed write (a full disk, a closed pipe) is handled here, not at exit
        return status
    except NodeNotFound as err:
        print(not_found_text(err, getattr(args, "lang", "zh")), file=sys.stderr)
        return 2
    except (DataValidationError, InvalidQuery) as err:
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


def by_name(args: argparse.Namespace, err: NodeNotFound) -> bool:
    """Put the id of the one node whose name or alias is the value a command was given, where it was given.

    ``chainkg firm 阳光电源`` looked for an id 阳光电源 and failed, though one firm has that very name (review 16a
    M5). When the value names exactly one node of the kind asked for, the argument that held it is set to that
    node's id (said on stderr) and the command runs again; ``False`` when it names none, or several.
    """
    from chainkg.commands.common import opened_store
    from graph.model import NodeKind
    from queries.lookup import named_ids

    held = [name for name, value in vars(args).items() if value == err.node_id and isinstance(value, str)]
    kinds = {k.value.lower(): k for k in NodeKind}
    if len(held) != 1 or err.kind not in kinds or not hasattr(args, "data"):
        return False
    with opened_store(args) as store:
        found = named_ids(store, err.node_id, kinds[err.kind])
    if len(found) != 1:
        return False
    setattr(args, held[0], found[0])
    zh, en = f"按名称“{err.node_id}”找到 {found[0]}", f"found {found[0]} by the name {err.node_id!r}"
    print(en if getattr(args, "lang", "zh") == "en" else f"{zh} / {en}", file=sys.stderr)
    return True


def not_found_text(err: NodeNotFound, lang: str) -> str:
    """An unknown id's error line: Chinese first, then English (``--lang en``: English), with the nearest ids.

    >>> print(not_found_text(NodeNotFound("firm", "calbb", ["calb"]), "zh"))
    错误：没有编号为 'calbb' 的企业。是否要找：calb？ / error: No firm with id 'calbb'. Did you mean: calb?
    """
    from api.problems import not_found_zh
    from chainkg.commands.common import LISTING_COMMANDS_ZH

    if lang == "en":
        return f"error: {err}"
    zh = not_found_zh(err.kind, err.node_id, err.suggestions, err.found_kind)
    english = str(err)
    if not err.suggestions and "ids are: " in english:  # a small kind: its ids named (common.where_ids_are)
        zh += "现有编号：" + english.split("ids are: ", 1)[1].rstrip(".") + "。"
    elif not err.suggestions and err.kind in LISTING_COMMANDS_ZH:
        zh += LISTING_COMMANDS_ZH[err.kind]
    return f"错误：{zh} / error: {english}"


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
