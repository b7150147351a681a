"""``chainkg template``: write the import template workbook."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chainkg.commands.output import OutputPathError, check_output


def run(args: argparse.Namespace) -> int:
    from loaders.template import write_template

    path: Path = args.output
    try:
        check_output(path, (".xlsx",))
    except OutputPathError as err:
        why = " (the template is an Excel workbook)" if path.suffix.lower() != ".xlsx" else ""
        print(f"error: {err}{why}", file=sys.stderr)
        return 2
    if path.exists() and not args.force:
        print(f"error: {path} exists; use --force to replace it", file=sys.stderr)
        return 2
    write_template(path)
    print(f"Wrote {path}: one sheet per table, a note on every column, an example row (skipped on import).")
    print(f"已写入 {path}：每张表一个工作表，列名带说明，第 2 行为示例（导入时跳过）。")
    print("Next: fill in rows below the example row of the sheets you need (leave the others empty), then")
    print("下一步：在需要的工作表示例行下方填写数据（其余工作表留空），然后运行")
    print(f"  chainkg import {path} --dry-run")
    return 0


EPILOG = """\
examples:
  chainkg template                       # chainkg-template.xlsx in this folder
  chainkg template -o mydistrict.xlsx    # then fill it in: chainkg import mydistrict.xlsx --dry-run
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Write the Excel import template: one sheet per node and edge table, with notes and an example row."
    p = sub.add_parser(
        "template", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument(
        "-o",
        "--output",
        type=Path,
        default=Path("chainkg-template.xlsx"),
        help="where to write (.xlsx; default: chainkg-template.xlsx)",
    )
    p.add_argument("--force", action="store_true", help="replace an existing file")
    p.set_defaults(handler=run)
