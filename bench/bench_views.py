"""How fast the views settle in real headless Chromium, at 1,000 nodes and beyond.

Target (issue 6): a 1,000-node view settles in under 3 s, and a view over 1,500
nodes aggregates instead of freezing. Measured, each as the median of ``--runs``:

- ``cluster load``: a synthetic cluster of 40 segments and 960 firms, opened
  (anchors shown, the other firms pooled until asked for);
- ``cluster all firms``: the same view with "show all firms" ticked, 1,000 nodes
  laid out left to right (hierarchical, no physics), until the next frame is drawn;
- ``firm 1000 rings``: a firm with 999 customer firms, laid out in rings in Python
  (what the firm view does over 300 nodes), until drawn;
- ``firm 1000 force``: the same 1,000 nodes with the force layout instead, from page
  start until physics is switched off (after stabilisation, or at the 2 s cut-off);
- ``cluster 3000 firms``: a cluster over the limit, which collapses firms per segment.

Uses Debian's /usr/bin/chromium; never downloads a browser. Writes
``bench/out/views.json``; exits 1 when a target is missed.

    .venv/bin/python bench/bench_views.py [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from graph.memory_store import MemoryStore  # noqa: E402
from viz.fixtures import hub_firm, synthetic_cluster  # noqa: E402
from viz.page import default_options  # noqa: E402
from viz.render import LinkStyle, render_view  # noqa: E402
from viz.views import build_view  # noqa: E402

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-background-networking",
    "--disable-gpu",
    "--disable-component-update",
    "--no-first-run",
]
TARGET_MS = 3000
OUT = Path(__file__).resolve().parent / "out" / "views.json"


def write(
    folder: Path, name: str, store: MemoryStore, kind: str, node_id: str, force: bool = False
) -> tuple[Path, int]:
    net = build_view(store, kind, node_id)
    if force:  # undo the computed layout: measure the force layout and its stabilisation cut-off
        for node in net.nodes:
            node.pop("x", None)
            node.pop("y", None)
        net.options = default_options()
    path = folder / f"{name}.html"
    path.write_text(render_view(net, LinkStyle.file()).html, encoding="utf-8")
    return path, net.num_nodes()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    if not Path(CHROMIUM).exists():
        print(f"{CHROMIUM} is missing: run scripts/ensure_browser.sh")
        return 2
    from playwright.sync_api import sync_playwright

    results: dict[str, dict[str, float]] = {}
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as p:
        folder = Path(tmp)
        started = time.perf_counter()
        big = MemoryStore(synthetic_cluster(segments=40, firms=960))
        cluster_page, cluster_nodes = write(folder, "cluster", big, "cluster", "syn")
        hub_store = MemoryStore(hub_firm())
        hub_page, hub_nodes = write(folder, "hub", hub_store, "firm", "hub")
        force_page, _ = write(folder, "force", hub_store, "firm", "hub", force=True)
        huge = MemoryStore(synthetic_cluster(segments=40, firms=3000))
        huge_page, huge_nodes = write(folder, "huge", huge, "cluster", "syn")
        print(f"built and rendered the pages in {time.perf_counter() - started:.1f}s")
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        names = ("cluster load", "cluster all firms", "firm 1000 rings", "firm 1000 force")
        samples: dict[str, list[float]] = {k: [] for k in names}
        samples["cluster 3000 firms"] = []
        drawn: dict[str, int] = {}
        for _ in range(args.runs):
            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.goto(cluster_page.as_uri())
            page.wait_for_function("() => window.chainkgView && window.chainkgView.state.ready", timeout=60_000)
            samples["cluster load"].append(page.evaluate("window.chainkgView.state.settledMs"))
            ms = page.evaluate(
                """() => new Promise((resolve) => {
                    const v = window.chainkgView;
                    const t0 = performance.now();
                    v.network.once("afterDrawing", () => resolve(performance.now() - t0));
                    document.getElementById("firm-toggle").click();
                })"""
            )
            samples["cluster all firms"].append(ms)
            drawn["cluster all firms"] = page.evaluate("Object.keys(window.chainkgView.network.getPositions()).length")
            page.close()

            for name, path in (("firm 1000 rings", hub_page), ("firm 1000 force", force_page)):
                page = browser.new_page(viewport={"width": 1400, "height": 860})
                page.goto(path.as_uri())
                page.wait_for_function("() => window.chainkgView && window.chainkgView.state.ready", timeout=60_000)
                samples[name].append(page.evaluate("window.chainkgView.state.settledMs"))
                drawn[name] = page.evaluate("Object.keys(window.chainkgView.network.getPositions()).length")
                page.close()

            page = browser.new_page(viewport={"width": 1400, "height": 860})
            page.goto(huge_page.as_uri())
            page.wait_for_function("() => window.chainkgView && window.chainkgView.state.ready", timeout=60_000)
            samples["cluster 3000 firms"].append(page.evaluate("window.chainkgView.state.settledMs"))
            drawn["cluster 3000 firms"] = page.evaluate(
                "window.chainkgView.nodes.length + window.chainkgView.pool.nodes.length"
            )
            page.close()
        browser.close()
    print(
        f"cluster view: {cluster_nodes} nodes; hub firm view: {hub_nodes}; 3,000-firm cluster: {huge_nodes} (collapsed)"
    )
    failed = False
    for name, values in samples.items():
        median = statistics.median(values)
        results[name] = {"median_ms": round(median, 1), "max_ms": round(max(values), 1), "nodes": drawn.get(name, 0)}
        ok = max(values) < TARGET_MS
        failed |= not ok
        print(
            f"{name:22s} median {median:8.1f} ms  max {max(values):8.1f} ms  nodes {drawn.get(name, '-')!s:>5}  "
            f"{'ok' if ok else 'OVER ' + str(TARGET_MS) + ' ms'}"
        )
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(results, indent=2), encoding="utf-8")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
