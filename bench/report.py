"""Turn ``bench/results.json`` into the targets (pass or miss) and a Markdown report.

    .venv/bin/python bench/report.py [bench/results.json]   # re-render bench/results.md

Examples
--------
>>> fmt_ms(0.0123), fmt_ms(12.345), fmt_ms(1234.6), fmt_ms(None)
('0.012', '12.3', '1235', '–')
"""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

QUERY_ORDER = (
    "chain",
    "gaps (one cluster)",
    "gaps (all)",
    "candidates",
    "impact",
    "search",
    "search (broad prefix)",
    "firm lookup",
    "unknown firm (404 suggestions)",
)


def fmt_ms(value: float | None) -> str:
    """Milliseconds with 2-3 significant digits."""
    if value is None:
        return "–"
    if value < 1:
        return f"{value:.3f}"
    if value < 100:
        return f"{value:.1f}"
    return f"{value:.0f}"


def _get(data: Any, *path: str) -> Any:
    for key in path:
        if not isinstance(data, dict) or key not in data:
            return None
        data = data[key]
    return data


def _target(name: str, measured: Any, limit: str, ok: bool | None, note: str = "") -> dict[str, Any]:
    return {"target": name, "measured": measured, "limit": limit, "met": ok, "note": note}


def targets(results: dict[str, Any]) -> list[dict[str, Any]]:
    """The issue's targets, each with the figure measured in this run and whether it is met."""
    out = []
    ratio = _get(results, "ratio", "ratio")
    out.append(
        _target(
            "Neo4j batched load vs one query per row",
            f"{ratio}x" if ratio is not None else None,
            ">= 50x",
            None if ratio is None else ratio >= 50,
            f"{_get(results, 'ratio', 'nodes')} nodes + {_get(results, 'ratio', 'edges')} relationships",
        )
    )
    neo_scales = [s for s, e in results["scales"].items() if _get(e, "neo4j", "load", "rels_per_s")]
    if neo_scales:
        top = max(neo_scales, key=int)
        rate = _get(results["scales"][top], "neo4j", "load", "rels_per_s")
        out.append(
            _target(f"Neo4j batched load, {int(top):,} firms", f"{rate:,} rels/s", ">= 20,000 rels/s", rate >= 20000)
        )
    else:
        out.append(_target("Neo4j batched load", None, ">= 20,000 rels/s", None))
    load = _get(results["scales"].get("100000", {}), "networkx", "load")
    if load:
        out.append(_target("networkx load, 100k firms", f"{load['seconds']} s", "<= 10 s", load["seconds"] <= 10))
        out.append(
            _target(
                "networkx load, 100k firms: peak RSS",
                f"{load['peak_rss_mb']} MiB",
                "<= 2048 MiB",
                load["peak_rss_mb"] <= 2048,
            )
        )
    for query in ("chain", "gaps (one cluster)", "gaps (all)", "search"):
        p95 = _get(results, "api", "bundled", "latency", query, "p95_ms")
        out.append(
            _target(
                f"API p95 on the bundled data: {query}",
                None if p95 is None else f"{fmt_ms(p95)} ms",
                "<= 20 ms",
                None if p95 is None else p95 <= 20,
            )
        )
    queries = _get(results["scales"].get("100000", {}), "networkx", "queries") or {}
    gaps = queries.get("gaps (one cluster)")
    if gaps:
        cold, warm = gaps["cold"]["median_ms"], gaps["warm"]["p95_ms"]
        out.append(
            _target(
                "gaps (one cluster), 100k firms, first call after a load",
                f"{fmt_ms(cold)} ms",
                "<= 500 ms",
                cold <= 500,
                f"afterwards (cached per data version) p95 {fmt_ms(warm)} ms",
            )
        )
    search = queries.get("search")
    if search:
        warm = search["warm"]["p95_ms"]
        out.append(
            _target(
                "search, 100k firms (p95, index built)",
                f"{fmt_ms(warm)} ms",
                "<= 50 ms",
                warm <= 50,
                f"building the index once per data version: {fmt_ms(search['cold']['median_ms'])} ms",
            )
        )
    ratios = []
    for scale, entry in sorted(results["scales"].items(), key=lambda kv: int(kv[0])):
        nx_ms = _get(entry, "networkx", "queries", "firm lookup", "warm", "median_ms")
        neo_ms = _get(entry, "neo4j", "queries", "firm lookup", "warm", "median_ms")
        if nx_ms and neo_ms:
            ratios.append((int(scale), neo_ms / nx_ms))
    if ratios:
        text = ", ".join(f"{s:,}: {r:.0f}x" for s, r in ratios)
        out.append(
            _target(
                "local query (firm lookup) faster on networkx than on Neo4j over Bolt",
                text,
                "> 1x",
                all(r > 1 for _, r in ratios),
            )
        )
    return out


def _load_table(results: dict[str, Any]) -> list[str]:
    lines = [
        "| firms | nodes | edges | networkx load s (parse + build) | networkx peak RSS MiB "
        "| Neo4j load s | Neo4j rels/s | Neo4j CPU s: server / client | Neo4j client peak RSS MiB "
        "| Neo4j server RSS / peak MiB |",
        "|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for scale, entry in sorted(results["scales"].items(), key=lambda kv: int(kv[0])):
        nx_load = _get(entry, "networkx", "load") or {}
        neo = _get(entry, "neo4j", "load") or {}
        nodes = _get(entry, "networkx", "nodes") or _get(entry, "neo4j", "nodes") or "–"
        edges = _get(entry, "networkx", "edges") or _get(entry, "neo4j", "edges") or "–"
        server = neo.get("server_memory") or {}
        nx_cell = f"{nx_load['seconds']} ({nx_load['parse_s']} + {nx_load['build_s']})" if nx_load else "–"
        lines.append(
            f"| {int(scale):,} | {nodes:,} | {edges:,} | {nx_cell} | {nx_load.get('peak_rss_mb', '–')} "
            f"| {neo.get('seconds', '–')} | {neo.get('rels_per_s', '–'):,} "
            f"| {neo.get('server_cpu_s', '–')} / {neo.get('client_cpu_s', '–')} | {neo.get('client_peak_rss_mb', '–')} "
            f"| {server.get('rss_mb', '–')} / {server.get('peak_rss_mb', '–')} |"
            if neo
            else f"| {int(scale):,} | {nodes:,} | {edges:,} | {nx_cell} | {nx_load.get('peak_rss_mb', '–')} "
            "| – | – | – | – | – |"
        )
    return lines


def _query_table(entry: dict[str, Any]) -> list[str]:
    nx_q = _get(entry, "networkx", "queries") or {}
    neo_q = _get(entry, "neo4j", "queries") or {}
    lines = [
        "| query | networkx cold | networkx warm median | networkx warm p95 "
        "| Neo4j cold | Neo4j warm median | Neo4j warm p95 | Neo4j / networkx (warm median) |",
        "|---|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name in QUERY_ORDER:
        a, b = nx_q.get(name), neo_q.get(name)
        if not a and not b:
            continue
        ratio = "–"
        if a and b and a["warm"]["median_ms"] > 0:
            ratio = f"{b['warm']['median_ms'] / a['warm']['median_ms']:.1f}x"
        lines.append(
            f"| {name} | {fmt_ms(_get(a, 'cold', 'median_ms'))} | {fmt_ms(_get(a, 'warm', 'median_ms'))} "
            f"| {fmt_ms(_get(a, 'warm', 'p95_ms'))} | {fmt_ms(_get(b, 'cold', 'median_ms'))} "
            f"| {fmt_ms(_get(b, 'warm', 'median_ms'))} | {fmt_ms(_get(b, 'warm', 'p95_ms'))} | {ratio} |"
        )
    return lines


def _api_table(api: dict[str, Any]) -> list[str]:
    lines = []
    for name, res in api.items():
        if "error" in res:
            lines += [f"*{name}*: failed: {res['error']}", ""]
            continue
        rss = _get(res, "server_memory", "rss_mb")
        backend = res.get("backend", "networkx")
        loaded = f"; loaded into Neo4j by `chainkg load` in {res['neo4j_load_s']} s" if "neo4j_load_s" in res else ""
        lines += [
            f"**{name} data** ({backend}: server answers after {res['ready_s']} s, its background warm-up takes "
            f"{res.get('warm_up_s', '?')} s more; server RSS {rss} MiB{loaded})",
            "",
            "| endpoint (1 client) | median ms | p95 ms | first request ms | errors |",
            "|---|---:|---:|---:|---:|",
        ]
        for ep, lat in res["latency"].items():
            lines.append(
                f"| {ep} | {fmt_ms(lat['median_ms'])} | {fmt_ms(lat['p95_ms'])} | {fmt_ms(lat['first_ms'])} "
                f"| {lat['errors']} |"
            )
        lines += [
            "",
            "| load (endpoint mix) | clients | requests | seconds | requests/s | median ms | p95 ms | errors |",
        ]
        lines.append("|---|---:|---:|---:|---:|---:|---:|---:|")
        for phase, key in (("fixed count", "throughput_count"), ("fixed duration", "throughput_duration")):
            t = res[key]
            lat = t.get("latency") or {}
            lines.append(
                f"| {phase} | {t['clients']} | {t['requests']} | {t['seconds']} | {t['requests_per_s']} "
                f"| {fmt_ms(lat.get('median_ms'))} | {fmt_ms(lat.get('p95_ms'))} | {t['errors']} |"
            )
        lines.append("")
        lines += _backend_comparison(api, res)
    return lines


def _backend_comparison(api: dict[str, Any], res: dict[str, Any]) -> list[str]:
    """For a Neo4j set on the bundled data: its p95 per endpoint beside networkx's, and the ratio."""
    base = api.get("bundled") or {}
    if res.get("backend") != "neo4j" or "latency" not in base:
        return []
    lines = [
        "Same endpoints, bundled data, one client: Neo4j (each request also reads the graph's version over Bolt) "
        "against networkx.",
        "",
        "| endpoint | networkx p95 ms | Neo4j p95 ms | Neo4j / networkx |",
        "|---|---:|---:|---:|",
    ]
    for ep, lat in res["latency"].items():
        nx_p95 = _get(base, "latency", ep, "p95_ms")
        ratio = f"{lat['p95_ms'] / nx_p95:.1f}x" if nx_p95 else "–"
        lines.append(f"| {ep} | {fmt_ms(nx_p95)} | {fmt_ms(lat['p95_ms'])} | {ratio} |")
    return [*lines, ""]


def _ladder_table(ratio: dict[str, Any]) -> list[str]:
    """Where the batched load's time goes (``bench/neo4j_ladder.py``): each step's median and ratio."""
    steps = ratio.get("ladder") or []
    if not steps:
        return []
    lines = [
        "Where the batched load's time goes: the same graph loaded batched (one session, rows built "
        "beforehand), adding one of chainkg's costs per step (`bench/neo4j_ladder.py`):",
        "",
        "| step | median s | vs one query per row |",
        "|---|---:|---:|",
    ]
    lines += [f"| {s['step']} | {s['seconds']} | {s['ratio']}x |" for s in steps]
    lines += [
        "| chainkg's load (`Neo4jStore.replace`: two writers, staging, checks, switch) "
        f"| {ratio['batched_s']} | {ratio['ratio']}x |",
        "",
    ]
    return lines


def render_markdown(results: dict[str, Any]) -> str:
    """The whole report: machine, targets, load, latency per scale, row-by-row ratio, API."""
    m = results["machine"]
    lines = [
        "# chainkg benchmark results",
        "",
        f"Run {results['started']} in {results.get('elapsed_s', '?')} s. Command: `{results['command']}`.",
        "",
        f"Machine: {m['nproc']} cores ({m['cpu']}), Python {m['python']}, {m['platform']}; "
        f"load average at start {tuple(round(x, 2) for x in m['loadavg_start'])}, "
        f"at end {tuple(round(x, 2) for x in m.get('loadavg_end', ()))} (the machine is shared: figures are noisy)."
        + (
            f" Python speed: {m['python_speed_ms']} ms for `bench/run.py`'s fixed workload (lower is faster;"
            " compare runs on machines of similar speed)."
            if "python_speed_ms" in m
            else ""
        ),
        "",
        "```",
        m["free_h"],
        "```",
        "",
        "## Targets",
        "",
        "| target | measured | limit | met | note |",
        "|---|---|---|---|---|",
    ]
    for t in results.get("targets", []):
        met = {True: "yes", False: "**no**", None: "not measured"}[t["met"]]
        lines.append(f"| {t['target']} | {t['measured'] or '–'} | {t['limit']} | {met} | {t['note']} |")
    lines += ["", "## Load time and peak memory", "", *_load_table(results), ""]
    ratio = results.get("ratio")
    if ratio and "error" not in ratio:
        loads = ratio.get("batched_all_s") or []
        warm = f", after {ratio['warm_up_loads']} untimed full-size ones" if "warm_up_loads" in ratio else ""
        lines += [
            "## Neo4j: batched vs one query per row (same data, same run)",
            "",
            f"{ratio['nodes']:,} nodes + {ratio['edges']:,} relationships: one query per row "
            f"{ratio['row_by_row_s']} s ({ratio['row_by_row_rels_per_s']:,} rels/s), batched "
            f"{ratio['batched_s']} s ({ratio['batched_rels_per_s']:,} rels/s, batch {ratio['batch_size']}; "
            f"median of {len(loads)} loads: {', '.join(map(str, loads))} s{warm}): "
            f"**{ratio['ratio']}x**. Neo4j's own CPU time: {ratio.get('row_by_row_server_cpu_s')} s one row at a "
            f"time, {ratio.get('batched_server_cpu_s')} s batched.",
            "",
            *_ladder_table(ratio),
        ]
    lines += [
        "## Query latency (ms)",
        "",
        "*cold*: the first call after a load (the per-version cache cleared: reads the graph, computes the "
        "analysis or the search index); *warm*: later calls, as a running server answers them.",
        "",
    ]
    for scale, entry in sorted(results["scales"].items(), key=lambda kv: int(kv[0])):
        nx_q = _get(entry, "networkx", "queries")
        runs = _get(nx_q or {}, "chain", "warm", "runs")
        lines += [f"### {int(scale):,} firms ({runs} warm runs)", "", *_query_table(entry), ""]
    lines += ["## API on loopback (`chainkg serve`)", "", *_api_table(results.get("api", {}))]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    """Re-render the Markdown report beside a results file; 2 when the file is missing or not JSON."""
    parser = argparse.ArgumentParser(
        prog="bench/report.py",
        description="Re-render bench/results.md (targets met or missed, tables) from a make bench results file.",
    )
    parser.add_argument("results", nargs="?", default="bench/results.json", help="default: %(default)s")
    path = Path(parser.parse_args(argv).results)
    try:
        results = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as err:
        parser.exit(2, f"bench/report.py: cannot read {path}: {err}\n")
    results["targets"] = targets(results)
    path.with_suffix(".md").write_text(render_markdown(results), encoding="utf-8")
    print(path.with_suffix(".md"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
