"""A progress line redrawn shorter pads over the longer one before it (the import's review 16b: a shorter redraw
left the old line's last characters on screen)."""

from __future__ import annotations

import contextlib
import io
from unittest import mock

from chainkg.commands.common import progress_printer
from chainkg.text_table import display_width


def test_a_shorter_line_covers_the_longer_one_before_it() -> None:
    buf = io.StringIO()
    clock = iter([0.0, 1.0, 2.0, 3.0])
    with contextlib.redirect_stderr(buf), mock.patch("chainkg.commands.common.time.monotonic", lambda: next(clock)):
        show = progress_printer("reading")
        show(1, 10, "sheet 企业环节 operates_in")
        show(5, 10, "x")
        show(10, 10, "ok")
    drawn = buf.getvalue().rstrip("\n").split("\r")[1:]
    assert [display_width(line) for line in drawn] == [display_width(drawn[0])] * 3
    assert drawn[1].startswith("reading: 5/10 (50%) x ") and "企业" not in drawn[1]
