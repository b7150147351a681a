"""How long an import takes for a large workbook and CSV, and the export back.

Builds (in memory, clearly invented: ids ``bench-*``, one source saying so) a
workbook of ``--firms`` firms, each in one segment of the bundled data with a
district, then measures, each the median of ``--runs``:

- ``read xlsx``: opening and checking the workbook (zip limits, cells, merges);
- ``dry run xlsx``: read + parse + resolve against the bundled graph + merge + checks;
- ``apply xlsx``: the same, plus the atomic snapshot save and ``store.replace``;
- ``dry run csv (gb18030)``: the firms table alone as a GB18030 CSV;
- ``export xlsx`` / ``export json`` of the merged graph.

Writes ``bench/out/import.json``. No target is enforced: the figures go in the report.

    .venv/bin/python bench/bench_import.py [--firms 20000] [--runs 3]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from chainkg.settings import BUNDLED_DATA  # noqa: E402
from graph.memory_store import MemoryStore  # noqa: E402
from graph.persist import StateDir  # noqa: E402
from loaders.export import export_bytes, write_workbook_rows  # noqa: E402
from loaders.folder import (
    Collector,  # noqa: E402
    load_folder,  # noqa: E402
)
from loaders.importer import ImportOptions, read_input, run_import  # noqa: E402
from loaders.workbook import read_workbook  # noqa: E402


def build(firms: int, segments: list[str], districts: list[str]) -> tuple[bytes, bytes]:
    source = ["bench-src", "基准测试用虚构数据", "", "chainkg bench", "2026", "", "BENCH-1", "research", "invented"]
    firm_rows, link_rows = [], []
    for i in range(firms):
        fid = f"bench-{i:06d}"
        firm_rows.append([fid, f"基准虚构企业{i:06d}有限公司", "true", districts[i % len(districts)], "bench-src"])
        link_rows.append([fid, segments[i % len(segments)], "member", "bench-src"])
    sheets = {
        "sources": (["id", "title", "title_en", "publisher", "date", "url", "doc_no", "reliability", "note"], [source]),
        "firms": (["id", "name_zh", "is_local", "district_id", "sources"], firm_rows),
        "operates_in": (["firm_id", "segment_id", "role", "sources"], link_rows),
    }
    book = write_workbook_rows(None, sheets, notes=False)
    csv = "id,name_zh,is_local,district_id,sources\n" + "".join(",".join(r) + "\n" for r in firm_rows)
    return book, csv.encode("gb18030")


def timed(runs: int, work: Callable[[], object]) -> float:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        work()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--firms", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args(argv)
    base = load_folder(BUNDLED_DATA)
    segments = sorted(n.id for n in base.of_kind("Segment"))
    districts = sorted(n.id for n in base.of_kind("District"))
    book, csv = build(args.firms, segments, districts)
    # the CSV cites a source only the workbook defines: import it over a graph that has the source
    with_source = MemoryStore(base)
    sources_only = "id,title,doc_no,reliability\nbench-src,基准测试用虚构数据,BENCH-1,research\n".encode()
    run_import(with_source, read_input("sources.csv", sources_only))
    results: dict[str, float] = {}
    results["read xlsx"] = timed(args.runs, lambda: read_workbook("bench.xlsx", book, Collector()))
    dry = ImportOptions(dry_run=True)
    results["dry run xlsx"] = timed(args.runs, lambda: run_import(MemoryStore(base), read_input("b.xlsx", book), dry))
    with tempfile.TemporaryDirectory() as tmp:

        def apply() -> None:
            state = StateDir(Path(tempfile.mkdtemp(dir=tmp)) / "s")  # a fresh state folder per run
            report = run_import(MemoryStore(base), read_input("b.xlsx", book), state=state)
            assert report.applied, report.errors[:3]

        results["apply xlsx (save + replace)"] = timed(args.runs, apply)
    results["dry run csv (gb18030)"] = timed(
        args.runs, lambda: run_import(with_source, read_input("firms.csv", csv), dry)
    )
    merged = MemoryStore(base)
    run_import(merged, read_input("b.xlsx", book))
    graph = merged.snapshot()
    results["export xlsx"] = timed(args.runs, lambda: export_bytes(graph, "xlsx"))
    results["export json"] = timed(args.runs, lambda: export_bytes(graph, "json"))
    out = {
        "firms": args.firms,
        "xlsx_bytes": len(book),
        "csv_bytes": len(csv),
        "graph": {"nodes": len(graph.nodes), "edges": len(graph.edges)},
        "seconds_median": {k: round(v, 3) for k, v in results.items()},
    }
    folder = Path(__file__).resolve().parent / "out"
    folder.mkdir(exist_ok=True)
    (folder / "import.json").write_text(json.dumps(out, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(json.dumps(out, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
