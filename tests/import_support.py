"""Helpers for the import and export tests: workbooks built in code, a base graph, a made-up district.

Everything here is invented for tests (sources say so) and never enters the bundled dataset.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from pathlib import Path

from openpyxl import Workbook

from graph.dataset import Dataset
from graph.fixtures import tiny_chain
from graph.model import Firm, edge_to_dict, node_to_dict


def xlsx(sheets: dict[str, list[list[object]]], edit: Callable[[Workbook], None] | None = None) -> bytes:
    """A workbook with one sheet per entry (rows as given); ``edit`` may change it before saving."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    if edit:
        edit(book)
    buf = io.BytesIO()
    book.save(buf)
    return buf.getvalue()


def base_graph() -> Dataset:
    """The tiny chain plus one firm whose loose name collides with ``f-cell-a`` (甲电池)."""
    ds = tiny_chain()
    ds.add_node(
        Firm(id="o-cell-x", name_zh="甲电池(溧阳)有限公司", is_local=False, sources=("s-tiny",), note="test twin")
    )
    return ds


def canonical(ds: Dataset) -> tuple[list[str], list[str]]:
    """The graph's content regardless of insertion order: sorted JSON of nodes and of edges."""
    return (
        sorted(json.dumps(node_to_dict(n), sort_keys=True, ensure_ascii=False) for n in ds.nodes.values()),
        sorted(json.dumps(edge_to_dict(e), sort_keys=True, ensure_ascii=False) for e in ds.edges.values()),
    )


FD_SOURCE = "fd-test-data"

DISTRICT_SHEETS: dict[str, list[list[object]]] = {
    "sources": [
        ["id", "title", "publisher", "date", "doc_no", "reliability", "note"],
        [FD_SOURCE, "虚构区测试数据（非真实）", "chainkg tests", "2026", "TEST-0001", "research", "invented for tests"],
    ],
    "districts": [
        ["id", "name_zh", "name_en", "parent_id", "sources"],
        ["fd-county", "虚构县", "Fictional County", "", FD_SOURCE],
        ["fd-park", "虚构县高新园", "Fictional Hi-tech Park", "fd-county", FD_SOURCE],
    ],
    "clusters": [
        ["id", "name_zh", "name_en", "sources"],
        ["fd-sensors", "虚构智能传感器", "Fictional sensors", FD_SOURCE],
    ],
    "cluster_figures": [
        ["cluster_id", "year", "metric", "value", "unit", "qualifier", "sources"],
        ["fd-sensors", 2023, "output", 85, "亿元", "≈", FD_SOURCE],
    ],
    "segments": [
        ["id", "cluster_id", "name_zh", "name_en", "position", "sources"],
        ["fd-wafer", "fd-sensors", "晶圆材料", "Wafers", "upstream", FD_SOURCE],
        ["fd-mems", "fd-sensors", "MEMS芯片", "MEMS dies", "midstream", FD_SOURCE],
        ["fd-package", "fd-sensors", "封装测试", "Packaging", "midstream", FD_SOURCE],
        ["fd-module", "fd-sensors", "传感器模组", "Modules", "downstream", FD_SOURCE],
        ["fd-auto", "fd-sensors", "汽车电子应用", "Automotive use", "downstream", FD_SOURCE],
        ["fd-lab", "fd-sensors", "检测认证", "Testing labs", "support", FD_SOURCE],
    ],
    "supplies": [
        ["source", "target", "sources"],
        ["fd-wafer", "fd-mems", FD_SOURCE],
        ["fd-mems", "fd-package", FD_SOURCE],
        ["fd-package", "fd-module", FD_SOURCE],
        ["fd-module", "fd-auto", FD_SOURCE],
        ["fd-lab", "fd-module", FD_SOURCE],
    ],
    "firms": [
        ["id", "name_zh", "is_local", "district_id", "tags", "sources"],
        ["fd-chip", "虚构微芯有限公司", "true", "fd-park", "链主", FD_SOURCE],
        ["fd-pack", "虚构封测股份有限公司", "true", "fd-county", "", FD_SOURCE],
        ["fd-mod", "虚构模组科技有限公司", "是", "fd-county", "", FD_SOURCE],
        ["fd-wafer-out", "外地晶圆有限公司", "false", "", "listed", FD_SOURCE],
        ["fd-auto-out", "外地汽车电子有限公司", "否", "", "", FD_SOURCE],
    ],
    "operates_in": [
        ["firm_id", "segment_id", "role", "sources"],
        ["fd-chip", "fd-mems", "anchor", FD_SOURCE],
        ["虚构封测股份有限公司", "fd-package", "major", FD_SOURCE],  # by name: resolved to fd-pack
        ["fd-mod", "fd-module", "member", FD_SOURCE],
        ["fd-wafer-out", "fd-wafer", "major", FD_SOURCE],
        ["fd-auto-out", "fd-auto", "major", FD_SOURCE],
    ],
    "firm_links": [["kind", "source", "target", "sources"], ["SUPPLIES_TO", "fd-wafer-out", "fd-chip", FD_SOURCE]],
}
"""A whole made-up district with its own chain: no local firm in wafers, automotive use or testing labs."""


def district_workbook() -> bytes:
    return xlsx(DISTRICT_SHEETS)


def write(path: Path, data: bytes) -> Path:
    path.write_bytes(data)
    return path
