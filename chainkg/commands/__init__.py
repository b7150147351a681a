"""One module per ``chainkg`` sub-command.

Each module defines ``register(sub)``, which adds its parser to the
sub-parsers and sets ``handler``. :func:`chainkg.cli.build_parser` imports
every module listed in ``COMMANDS``.
"""

COMMANDS = ("serve", "load", "info")
