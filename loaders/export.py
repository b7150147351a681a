"""Export the graph: xlsx, csv (a dataset folder), json, graphml or cypher.

* ``xlsx``: one sheet per table, laid out like the import template; import reads it back.
* ``csv``: a dataset folder, one UTF-8 file per table, that
  :func:`loaders.folder.load_folder` and the import read back (over HTTP: a zip of it).
* ``json``: the ``chainkg/1`` document (every node and edge, field by field); import reads it back.
* ``graphml``: for Gephi, yEd, Cytoscape; lists are ``|``-joined, designations, listings and figures are JSON text.
* ``cypher``: ``CREATE`` statements for an empty Neo4j database (labels ``ChainNode`` and the
  node's kind), with every string literal escaped; for looking around in Neo4j Browser,
  not the layout the chainkg Neo4j store keeps.

Tables cannot hold everything a graph can: a segment's ``PART_OF`` and a
firm's ``LOCATED_IN`` are written through the segment's and firm's rows, so
they must agree with them. :func:`table_losses` lists what a table export
would lose (nothing, for a graph loaded from tables); the CLI refuses such an
export unless told to go ahead.

Examples
--------
>>> from graph.fixtures import tiny_chain
>>> tables = dataset_to_tables(tiny_chain())
>>> tables["firms"][0]["id"], tables["firms"][0]["is_local"], tables["firms"][0]["tags"]
('f-anode-a', 'true', '')
>>> table_losses(tiny_chain())
[]
>>> cypher_string("it's a \\\\ path\\n")
"'it\\\\'s a \\\\\\\\ path\\\\n'"
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from collections.abc import Iterable, Sequence
from datetime import UTC, date, datetime
from datetime import time as dtime
from pathlib import Path
from typing import Any

import networkx as nx

from graph.dataset import Dataset
from graph.model import (
    Cluster,
    Designation,
    District,
    Edge,
    EdgeKind,
    Figure,
    Firm,
    Listing,
    Node,
    NodeKind,
    Platform,
    Policy,
    Project,
    Segment,
    Source,
    Tier,
)
from graph.neo4j_props import JSON_FIELDS
from graph.persist import atomic_write
from loaders.layers import POLICY_TARGET_KINDS, PROJECT_LINK_KINDS
from loaders.tables import TABLES
from loaders.template import COLUMNS, ENUMS, column_note

FORMATS = ("xlsx", "csv", "json", "graphml", "cypher")
MEDIA_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "application/zip",
    "json": "application/json",
    "graphml": "application/graphml+xml",
    "cypher": "text/plain; charset=utf-8",
}
ZIP_MEMBER_TIME = (1980, 1, 1, 0, 0, 0)
"""The time stamped on every member of a csv export's zip: the zip format's earliest, so exports are reproducible."""

SUFFIXES = {"xlsx": ".xlsx", "csv": ".zip", "json": ".json", "graphml": ".graphml", "cypher": ".cypher"}


def _join(values: Iterable[str]) -> str:
    return "|".join(values)


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() and abs(value) < 1e15 else repr(float(value))


def _common(item: Node | Edge | Listing | Figure | Designation) -> dict[str, str]:
    return {"sources": _join(item.sources), "confidence": item.confidence.value, "note": item.note}


def dataset_to_tables(dataset: Dataset) -> dict[str, list[dict[str, str]]]:
    """The rows of every table (see :mod:`loaders.tables`) that give back ``dataset``."""
    out: dict[str, list[dict[str, str]]] = {t.name: [] for t in TABLES}
    nodes = sorted(dataset.nodes.values(), key=lambda n: n.id)
    for node in nodes:
        if isinstance(node, Source):
            out["sources"].append(
                {
                    "id": node.id,
                    "title": node.name_zh,
                    "title_en": node.name_en,
                    "publisher": node.publisher,
                    "date": node.date,
                    "url": node.url,
                    "doc_no": node.doc_no,
                    "reliability": node.reliability,
                    "note": node.note,
                }
            )
        elif isinstance(node, District):
            out["districts"].append(
                {"id": node.id, "name_zh": node.name_zh, "name_en": node.name_en, "parent_id": node.parent_id}
                | _common(node)
            )
        elif isinstance(node, Cluster):
            out["clusters"].append(
                {
                    "id": node.id,
                    "name_zh": node.name_zh,
                    "name_en": node.name_en,
                }
                | _common(node)
            )
            for title in node.designation_items:
                out["cluster_designations"].append(
                    {
                        "cluster_id": node.id,
                        "name_zh": title.name_zh,
                        "name_en": title.name_en,
                        "year": _optional(title.year),
                    }
                    | _common(title)
                )
            for listing in node.listings:
                out["cluster_lists"].append(
                    {
                        "cluster_id": node.id,
                        "list_year": str(listing.list_year),
                        "name_as_published": listing.name_as_published,
                    }
                    | _common(listing)
                )
            for fig in node.figures:
                out["cluster_figures"].append(
                    {
                        "cluster_id": node.id,
                        "year": str(fig.year),
                        "metric": fig.metric,
                        "value": _number(fig.value),
                        "unit": fig.unit,
                        "qualifier": fig.qualifier,
                        "period": fig.period,
                        "scope": _join(fig.scope),
                    }
                    | _common(fig)
                )
        elif isinstance(node, Segment):
            out["segments"].append(
                {
                    "id": node.id,
                    "cluster_id": node.cluster_id,
                    "name_zh": node.name_zh,
                    "name_en": node.name_en,
                    "position": node.position.value,
                    "parent_id": node.parent_id,
                    "description": node.description,
                    "local_base": node.local_base,
                }
                | _common(node)
            )
        elif isinstance(node, Firm):
            located = dataset.edges.get((EdgeKind.LOCATED_IN.value, node.id, node.district_id))
            district_sources = ""
            if located is not None and located.sources != node.sources:
                district_sources = _join(located.sources)
            out["firms"].append(
                {
                    "id": node.id,
                    "name_zh": node.name_zh,
                    "name_en": node.name_en,
                    "aliases": _join(node.aliases),
                    "is_local": "true" if node.is_local else "false",
                    "district_id": node.district_id,
                    "district_sources": district_sources,
                    "tags": _join(node.tags),
                    "hq": node.hq,
                    "scale": node.scale,
                }
                | _common(node)
            )
        else:
            _layer_node_rows(node, out)
    for edge in sorted(dataset.edges.values(), key=lambda e: e.key):
        year = "" if edge.year is None else str(edge.year)
        if edge.kind is EdgeKind.SUPPLIES:
            out["supplies"].append({"source": edge.source, "target": edge.target} | _common(edge))
        elif edge.kind is EdgeKind.OPERATES_IN:
            role = edge.role.value if edge.role else ""
            out["operates_in"].append(
                {"firm_id": edge.source, "segment_id": edge.target, "role": role, "year": year} | _common(edge)
            )
        elif edge.kind in (EdgeKind.SUBSIDIARY_OF, EdgeKind.SUPPLIES_TO):
            out["firm_links"].append(
                {"kind": edge.kind.value, "source": edge.source, "target": edge.target, "year": year} | _common(edge)
            )
        elif edge.kind is EdgeKind.HOLDS_TIER:
            batch = "" if edge.batch is None else str(edge.batch)
            out["firm_tiers"].append(
                {"firm_id": edge.source, "tier_id": edge.target, "year": year, "batch": batch} | _common(edge)
            )
        elif edge.kind is EdgeKind.RUNS:
            out["firm_platforms"].append(
                {"firm_id": edge.source, "platform_id": edge.target, "year": year} | _common(edge)
            )
        elif edge.kind in PROJECT_LINK_KINDS:
            out["project_links"].append(
                {"kind": edge.kind.value, "project_id": edge.source, "target": edge.target} | _common(edge)
            )
        elif edge.kind in POLICY_TARGET_KINDS:
            out["policy_targets"].append(
                {"kind": edge.kind.value, "policy_id": edge.source, "target": edge.target} | _common(edge)
            )
    return out


def _optional(value: object) -> str:
    return "" if value is None else _number(value) if isinstance(value, float) else str(value)


def _layer_node_rows(node: Node, out: dict[str, list[dict[str, str]]]) -> None:
    """The rows of a project, policy (with its instruments), tier or platform."""
    names = {"id": node.id, "name_zh": node.name_zh, "name_en": node.name_en}
    if isinstance(node, Project):
        out["projects"].append(
            names
            | {
                "investment_amount": _optional(node.investment_amount),
                "investment_currency": node.investment_currency.value,
                "investment_qualifier": node.investment_qualifier,
                "year": _optional(node.year),
                "date": node.date,
                "phase": node.phase,
                "status": node.status.value,
                "capacity": node.capacity,
                "description": node.description,
            }
            | _common(node)
        )
    elif isinstance(node, Policy):
        out["policies"].append(
            names
            | {"issuer": node.issuer, "date": node.date, "doc_no": node.doc_no, "description": node.description}
            | _common(node)
        )
        for item in node.instruments:
            out["policy_instruments"].append(
                {
                    "policy_id": node.id,
                    "kind": item.kind.value,
                    "description_zh": item.description_zh,
                    "description_en": item.description_en,
                    "amount": _optional(item.amount),
                    "unit": item.unit,
                    "qualifier": item.qualifier,
                    "tier_id": item.tier_id,
                }
                | _common(item)
            )
    elif isinstance(node, Tier):
        out["tiers"].append(
            names
            | {
                "level": node.level.value,
                "category": node.category.value,
                "issuer": node.issuer,
                "description": node.description,
            }
            | _common(node)
        )
    elif isinstance(node, Platform):
        out["platforms"].append(
            names
            | {"category": node.category.value, "year": _optional(node.year), "description": node.description}
            | _common(node)
        )


def table_losses(dataset: Dataset) -> list[str]:
    """What a table export (xlsx, csv) cannot carry; empty for any graph loaded from tables."""
    lost: list[str] = []
    for node in dataset.nodes.values():
        if isinstance(node, Source) and (node.sources or node.confidence.value != "sourced"):
            lost.append(f"source {node.id}: its own sources/confidence")
        for name in ("sources", "aliases", "tags"):
            if any("|" in v for v in getattr(node, name, ())):
                lost.append(f"{node.kind} {node.id}: a '|' inside {name}")
        for fact in (
            *getattr(node, "figures", ()),
            *getattr(node, "instruments", ()),
            *getattr(node, "designation_items", ()),
        ):
            if any("|" in v for v in (*fact.sources, *getattr(fact, "scope", ()))):
                lost.append(f"{node.kind} {node.id}: a '|' inside the sources or scope of a fact")
        if isinstance(node, Segment):
            part_of = dataset.edges.get((EdgeKind.PART_OF.value, node.id, node.cluster_id))
            wanted = Edge(kind=EdgeKind.PART_OF, source=node.id, target=node.cluster_id, **_facts(node))
            if part_of != wanted:
                lost.append(f"segment {node.id}: its PART_OF edge differs from the segment's row")
        if isinstance(node, Firm) and node.district_id:
            located = dataset.edges.get((EdgeKind.LOCATED_IN.value, node.id, node.district_id))
            if located is None or (located.confidence, located.note) != (node.confidence, node.note):
                lost.append(f"firm {node.id}: its LOCATED_IN edge differs from the firm's row")
    for edge in dataset.edges.values():
        src = dataset.nodes.get(edge.source)
        if edge.kind is EdgeKind.PART_OF and getattr(src, "cluster_id", None) != edge.target:
            lost.append(f"PART_OF {edge.source}->{edge.target}: not the segment's cluster_id")
        if edge.kind is EdgeKind.LOCATED_IN and getattr(src, "district_id", None) != edge.target:
            lost.append(f"LOCATED_IN {edge.source}->{edge.target}: not the firm's district_id")
        if edge.kind in _NO_YEAR and edge.year is not None:
            lost.append(f"{edge.kind} {edge.source}->{edge.target}: a year")
    return lost


_NO_YEAR = frozenset(
    {EdgeKind.PART_OF, EdgeKind.SUPPLIES, EdgeKind.LOCATED_IN, *PROJECT_LINK_KINDS, *POLICY_TARGET_KINDS}
)
"""Edge kinds whose table has no ``year`` column."""


def _facts(node: Node) -> dict[str, object]:
    return {"sources": node.sources, "confidence": node.confidence, "note": node.note}


# -- csv -------------------------------------------------------------------------------


def _csv_text(table: str, rows: list[dict[str, str]]) -> str:
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(COLUMNS[table])
    for row in rows:
        writer.writerow([row.get(c, "") for c in COLUMNS[table]])
    return buf.getvalue()


def write_csv_folder(dataset: Dataset, folder: Path, *, force: bool = False) -> list[Path]:
    """Write ``dataset`` as a dataset folder: ``NAME.csv`` per table, UTF-8.

    Parameters
    ----------
    folder : Path
        Created when missing. When it already holds CSV files, ``force`` is
        needed; then the tables' files (also split ones, ``firms.*.csv``) are replaced.

    Returns
    -------
    list of Path
        The files written.
    """
    folder.mkdir(parents=True, exist_ok=True)
    present = sorted(folder.glob("*.csv"))
    if present and not force:
        raise FileExistsError(f"{folder} already holds CSV files ({present[0].name}, ...); use --force to replace them")
    tables = dataset_to_tables(dataset)
    written = []
    for table in TABLES:
        for split in folder.glob(f"{table.name}.*.csv"):
            split.unlink()
        path = folder / f"{table.name}.csv"
        atomic_write(path, _csv_text(table.name, tables[table.name]).encode("utf-8"))
        written.append(path)
    return written


def csv_zip_bytes(dataset: Dataset) -> bytes:
    """The dataset folder as a zip (what ``GET /api/v1/export?format=csv`` returns).

    The same graph gives the same bytes: every member carries :data:`ZIP_MEMBER_TIME`, not the
    clock, so two exports can be compared (or cached) by their bytes.
    """
    tables = dataset_to_tables(dataset)
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as archive:
        for table in TABLES:
            member = zipfile.ZipInfo(f"{table.name}.csv", date_time=ZIP_MEMBER_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16  # a plain file, readable by all
            archive.writestr(member, _csv_text(table.name, tables[table.name]).encode("utf-8"))
    return buf.getvalue()


# -- xlsx ------------------------------------------------------------------------------


def workbook_bytes(book: Any, day: date | None = None) -> bytes:
    """``book`` (an openpyxl workbook) saved to bytes that one day gives again: the same book, the same bytes.

    openpyxl stamps the clock on the workbook (``docProps/core.xml``: created, modified) and on every zip
    member, so two downloads a second apart differed while their ``ETag`` (the data version and the day,
    docs/api.md *Caching*) was the same. Here the workbook is dated ``day`` (today by default) at midnight UTC,
    and every member carries :data:`ZIP_MEMBER_TIME`, as in :func:`csv_zip_bytes`.

    >>> from openpyxl import Workbook
    >>> workbook_bytes(Workbook(), date(2026, 12, 7)) == workbook_bytes(Workbook(), date(2026, 12, 7))
    True
    """
    from openpyxl.writer.excel import ExcelWriter

    stamp = datetime.combine(day or datetime.now(UTC).date(), dtime())
    book.properties.created = book.properties.modified = stamp
    raw = io.BytesIO()
    with zipfile.ZipFile(raw, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
        ExcelWriter(book, archive).save()
    out = io.BytesIO()
    with zipfile.ZipFile(raw) as unstamped, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as stamped:
        for info in unstamped.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=ZIP_MEMBER_TIME)
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            stamped.writestr(member, unstamped.read(info))
    return out.getvalue()


def write_workbook_rows(
    path: Path | None,
    sheets: dict[str, tuple[Sequence[str], Sequence[Sequence[str]]]],
    *,
    notes: bool = True,
    example_rows: int = 0,
    readme: Sequence[tuple[str, str]] = (),
) -> bytes:
    """Write sheets of text cells to an ``.xlsx`` (atomically) and return its bytes.

    Every cell is text (number format ``@``), so Excel keeps ids, years and
    dates as typed; a value starting with ``=`` stays text, never a formula.

    Parameters
    ----------
    path : Path or None
        Where to write; ``None`` only returns the bytes.
    sheets : dict
        ``name -> (header, rows)``.
    notes : bool
        Put the template's bilingual note on each header cell of a table sheet.
    example_rows : int
        How many first rows to grey out as examples.
    readme : sequence of (str, str)
        Lines of a first ``说明 README`` sheet (Chinese, English).
    """
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.comments import Comment
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    book = Workbook(write_only=True)
    bold = Font(bold=True)
    grey = Font(italic=True, color="808080")
    head_fill = PatternFill("solid", fgColor="DDEBF7")
    if readme:
        sheet = book.create_sheet("说明 README")
        sheet.column_dimensions["A"].width = 60
        sheet.column_dimensions["B"].width = 70
        for zh, en in readme:
            sheet.append([zh, en])
    for name, (header, rows) in sheets.items():
        sheet = book.create_sheet(name)
        sheet.freeze_panes = "A2"
        for index, column in enumerate(header, start=1):
            sheet.column_dimensions[get_column_letter(index)].width = max(12, min(40, len(column) + 6))
        if example_rows:
            for index, column in enumerate(header, start=1):
                choices = ENUMS.get(f"{name}.{column}") or ENUMS.get(column)
                if choices and name in COLUMNS:
                    letter = get_column_letter(index)
                    check = DataValidation(type="list", formula1='"' + ",".join(choices) + '"', allow_blank=True)
                    check.add(f"{letter}2:{letter}5000")
                    sheet.data_validations.append(check)
        cells = []
        for column in header:
            cell = WriteOnlyCell(sheet, value=column)
            cell.font = bold
            cell.fill = head_fill
            if notes and name in COLUMNS and column in COLUMNS[name]:
                comment = Comment(column_note(name, column), "chainkg")
                comment.width, comment.height = 320, 160
                cell.comment = comment
            cells.append(cell)
        sheet.append(cells)
        for number, row in enumerate(rows):
            out = []
            for value in row:
                cell = WriteOnlyCell(sheet, value=value if value != "" else None)
                if isinstance(value, str) and value.startswith("="):
                    cell.data_type = "s"
                cell.number_format = "@"
                if number < example_rows:
                    cell.font = grey
                out.append(cell)
            sheet.append(out)
    data = workbook_bytes(book)
    if path is not None:
        atomic_write(path, data)
    return data


def xlsx_bytes(dataset: Dataset) -> bytes:
    """The graph as a workbook the import reads back."""
    tables = dataset_to_tables(dataset)
    sheets = {
        t.name: (list(COLUMNS[t.name]), [[row.get(c, "") for c in COLUMNS[t.name]] for row in tables[t.name]])
        for t in TABLES
    }
    return write_workbook_rows(None, sheets)


# -- json, graphml, cypher -------------------------------------------------------------


def json_bytes(dataset: Dataset) -> bytes:
    """The ``chainkg/1`` JSON document."""
    return (json.dumps(dataset.to_json_dict(), ensure_ascii=False, indent=1) + "\n").encode("utf-8")


def _flat_props(data: dict[str, object]) -> dict[str, object]:
    out: dict[str, object] = {}
    for key, value in data.items():
        if value is None:
            continue
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            out[key] = "|".join(value)
        elif isinstance(value, list | dict):
            out[key] = json.dumps(value, ensure_ascii=False)
        else:
            out[key] = value
    return out


def graphml_bytes(dataset: Dataset) -> bytes:
    """The graph as GraphML (a directed multigraph; edge keys are edge kinds)."""
    graph = nx.MultiDiGraph(name="chainkg")
    for node in sorted(dataset.nodes.values(), key=lambda n: n.id):
        props = _flat_props(node.model_dump(mode="json"))
        props.pop("id")
        graph.add_node(node.id, kind=node.kind, label=node.label, **props)
    for edge in sorted(dataset.edges.values(), key=lambda e: e.key):
        props = _flat_props(edge.model_dump(mode="json"))
        for key in ("source", "target"):
            props.pop(key)
        graph.add_edge(edge.source, edge.target, key=edge.kind.value, **props)
    return ("\n".join(nx.generate_graphml(graph, encoding="utf-8", prettyprint=True)) + "\n").encode("utf-8")


_CYPHER_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}


def cypher_string(value: str) -> str:
    """A Cypher string literal: single-quoted, with ``\\``, ``'`` and control characters escaped."""
    out = []
    for char in value:
        if char in _CYPHER_ESCAPES:
            out.append(_CYPHER_ESCAPES[char])
        elif ord(char) < 0x20 or 0x7F <= ord(char) < 0xA0 or char in "\u2028\u2029":
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return "'" + "".join(out) + "'"


def cypher_value(value: object) -> str:
    """A Cypher literal for a property value: string, number, boolean or list of them."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, str):
        return cypher_string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(cypher_value(v) for v in value) + "]"
    return cypher_string(json.dumps(value, ensure_ascii=False))


def _cypher_map(props: dict[str, object]) -> str:
    return "{" + ", ".join(f"{key}: {cypher_value(value)}" for key, value in props.items()) + "}"


def cypher_props(data: dict[str, object]) -> dict[str, object]:
    """Neo4j-ready properties (``id`` first): ``None`` left out, lists of objects (designations, listings, figures,
    instruments: :data:`graph.neo4j_props.JSON_FIELDS`) as JSON text."""
    out: dict[str, object] = {}
    for key, value in sorted(data.items(), key=lambda kv: kv[0] != "id"):
        if value is None:
            continue
        out[key] = json.dumps(value, ensure_ascii=False) if key in JSON_FIELDS else value
    return out


def cypher_bytes(dataset: Dataset) -> bytes:
    """``CREATE`` statements, one per line, that build the graph in an empty Neo4j database."""
    lines = [
        f"// chainkg export: {len(dataset.nodes)} nodes, {len(dataset.edges)} edges",
        "CREATE CONSTRAINT chainkg_export_id IF NOT EXISTS FOR (n:ChainNode) REQUIRE n.id IS UNIQUE;",
    ]
    for node in sorted(dataset.nodes.values(), key=lambda n: n.id):
        kind = NodeKind(node.kind).value  # a fixed set of labels, never data
        lines.append(f"CREATE (:ChainNode:{kind} {_cypher_map(cypher_props(node.model_dump(mode='json')))});")
    for edge in sorted(dataset.edges.values(), key=lambda e: e.key):
        props = cypher_props(edge.model_dump(mode="json", exclude={"kind", "source", "target"}))
        ends = f"(a:ChainNode {{id: {cypher_string(edge.source)}}}), (b:ChainNode {{id: {cypher_string(edge.target)}}})"
        lines.append(f"MATCH {ends} CREATE (a)-[:{EdgeKind(edge.kind).value} {_cypher_map(props)}]->(b);")
    return ("\n".join(lines) + "\n").encode("utf-8")


def export_bytes(dataset: Dataset, fmt: str) -> bytes:
    """The export in one of :data:`FORMATS` (``csv`` as a zip of the dataset folder)."""
    writers = {
        "xlsx": xlsx_bytes,
        "csv": csv_zip_bytes,
        "json": json_bytes,
        "graphml": graphml_bytes,
        "cypher": cypher_bytes,
    }
    if fmt not in writers:
        raise ValueError(f"format must be one of {', '.join(FORMATS)}; got {fmt!r}")
    return writers[fmt](dataset)


def export_to(dataset: Dataset, fmt: str, path: Path, *, force: bool = False) -> list[Path]:
    """Write an export to ``path`` (a folder for ``csv``, else a file, written atomically)."""
    if fmt == "csv" and path.suffix.lower() != ".zip":
        return write_csv_folder(dataset, path, force=force)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; use --force to replace it")
    atomic_write(path, export_bytes(dataset, fmt))
    return [path]


__all__ = [
    "FORMATS",
    "dataset_to_tables",
    "export_bytes",
    "export_to",
    "table_losses",
    "write_csv_folder",
]
