"""``chainkg render KIND [ID] -o FILE.html``: write one self-contained interactive view to a file.

The file needs nothing else: vis-network is inlined and no request leaves the
page, so it opens from disk or an intranet share. Views written side by side
with their default names (``overview.html``, ``cluster-ID.html``,
``segment-ID.html``, ``firm-ID.html``) link to each other; with ``--base-url``
links point at a running chainkg server instead. ``--lang en`` writes a view that
opens in English (its ``<html lang>``); every view keeps its 中文 / English switch,
and ``?lang=zh``/``#lang=zh`` in the address still opens it in Chinese.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from chainkg.commands.common import BACKEND_HELP, DATA_HELP, require_graph
from chainkg.commands.output import OutputPathError, check_output, write_atomically
from chainkg.settings import Settings

KINDS = ("overview", "cluster", "firm", "segment")


def run(args: argparse.Namespace) -> int:
    from chainkg.runtime import open_store
    from viz.render import FILE_NAMES, LinkStyle, fill, render_view
    from viz.views import build_view

    if args.kind != "overview" and not args.id:
        print(f"error: a {args.kind} view needs an id: chainkg render {args.kind} ID -o FILE.html", file=sys.stderr)
        return 2
    if args.kind == "overview" and args.id:
        print("error: the overview takes no id", file=sys.stderr)
        return 2
    if args.list_year is not None and args.kind != "overview":
        print(f"error: --list-year is for the overview only, not a {args.kind} view", file=sys.stderr)
        return 2
    default_name = fill(FILE_NAMES[args.kind], args.id) or "view.html"
    if args.list_year is not None:
        default_name = f"overview-{args.list_year}.html"
    output = args.output or Path(default_name)
    try:
        check_output(output, (".html", ".htm"))
        links = LinkStyle.file(args.base_url)
    except (OutputPathError, ValueError) as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    store = open_store(settings)
    try:
        require_graph(store)
        if args.list_year is not None:
            from viz.overview import gather_overview, overview_network

            net = overview_network(gather_overview(store, list_year=args.list_year))
        else:
            net = build_view(store, args.kind, args.id)
        html = render_view(net, links, lang=args.lang).html
    finally:
        store.close()
    try:
        write_atomically(output, html.encode("utf-8"))
    except OSError as err:
        print(f"error: cannot write '{output}': {err.strerror or err}", file=sys.stderr)
        return 1
    size_kb = len(html.encode("utf-8")) / 1024
    print(f"wrote {output} ({net.num_nodes()} nodes, {net.num_edges()} edges, {size_kb:.0f} KB)")
    return 0


EPILOG = """\
examples:
  chainkg render overview                            # overview.html: every cluster and the links between them
  chainkg render overview --list-year 2024           # overview-2024.html: the 2024 list's clusters only
  chainkg render cluster nev -o nev.html             # one cluster's chain
  chainkg render firm catl-jiangsu                   # firm-catl-jiangsu.html
  chainkg render cluster nev --lang en               # opens in English (add #lang=zh to the address for Chinese)
  chainkg render segment nev-cathode --base-url http://intranet:8000
"""


def register(sub: argparse._SubParsersAction) -> None:
    text = "Write one self-contained interactive HTML view (overview, cluster, firm or segment) to a file."
    p = sub.add_parser(
        "render", help=text, description=text, epilog=EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    p.add_argument("kind", choices=KINDS, help="which view")
    p.add_argument("id", nargs="?", default=None, help="the cluster, firm or segment id (not for overview)")
    p.add_argument(
        "--list-year",
        type=int,
        choices=(2022, 2024),
        default=None,
        help="overview only: the clusters of that published list of ten and the links between them",
    )
    p.add_argument(
        "-o", "--output", type=Path, default=None, help="output .html file (default: KIND-ID.html, or overview.html)"
    )
    p.add_argument(
        "--base-url", default=None, help="link views and JSON to this chainkg server (e.g. http://intranet:8000)"
    )
    p.add_argument(
        "--lang",
        choices=["zh", "en"],
        default="zh",
        help="the language the view opens in (default zh); its 中文 / English switch stays, and ?lang=zh or "
        "?lang=en (#lang=... from a file) in the address overrides this",
    )
    p.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    p.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)
    p.set_defaults(handler=run)
