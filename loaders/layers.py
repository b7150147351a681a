"""Read the tables of the further layers: tiers, projects, policies (with instruments and targets) and platforms.

The rows are parsed by the same rules as the other tables (:mod:`loaders.folder`):
every problem is collected with its file, row, field and value. A row that stops at a
bad cell still has its other cells checked (:meth:`~loaders.folder.RowParser.check_rest`
for nodes and instruments, :meth:`~loaders.folder.RowParser.check_link` for links), so
that all of a row's problems are reported at once. :func:`read_layers` is called by
:meth:`loaders.folder.RowParser.parse` after the chain tables, and
:func:`check_layer_references` by its ``check_references``.

Examples
--------
>>> import pathlib, tempfile
>>> from loaders.folder import load_folder
>>> d = pathlib.Path(tempfile.mkdtemp())
>>> _ = (d / "sources.csv").write_text("id,title,date,doc_no\\ns1,示例,2022,X-1\\n", encoding="utf-8")
>>> _ = (d / "tiers.csv").write_text(
...     "id,name_zh,level,category,sources\\ntier-a,单项冠军示范企业,national,champion_firm,s1\\n", encoding="utf-8")
>>> _ = (d / "policies.csv").write_text("id,name_zh,issuer,sources\\npol-a,奖励政策,常州市,s1\\n", encoding="utf-8")
>>> _ = (d / "policy_instruments.csv").write_text(
...     "policy_id,kind,description_zh,amount,unit,qualifier,tier_id,sources\\n"
...     "pol-a,reward,新认定单项冠军奖励,200,万元,≤,tier-a,s1\\n", encoding="utf-8")
>>> ds = load_folder(d)
>>> item = ds.nodes["pol-a"].instruments[0]
>>> item.amount, item.unit, item.qualifier, item.tier_id
(200.0, '万元', '≤', 'tier-a')
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from pydantic import ValidationError

from graph.model import (
    Currency,
    EdgeKind,
    Instrument,
    InstrumentKind,
    NodeKind,
    PlatformCategory,
    Policy,
    Project,
    ProjectStatus,
    Tier,
    TierCategory,
    TierLevel,
)
from graph.model import Platform as PlatformNode

if TYPE_CHECKING:
    from loaders.folder import Row, RowParser

PROJECT_LINK_KINDS = (EdgeKind.BUILT_BY, EdgeKind.PROJECT_IN, EdgeKind.SITED_IN)
POLICY_TARGET_KINDS = (EdgeKind.TARGETS_TIER, EdgeKind.TARGETS_CLUSTER, EdgeKind.TARGETS_SEGMENT)

LAYER_EDGE_COLUMNS: dict[tuple[str, EdgeKind], tuple[str, str]] = {
    ("firm_tiers", EdgeKind.HOLDS_TIER): ("firm_id", "tier_id"),
    ("firm_platforms", EdgeKind.RUNS): ("firm_id", "platform_id"),
    **{("project_links", k): ("project_id", "target") for k in PROJECT_LINK_KINDS},
    **{("policy_targets", k): ("policy_id", "target") for k in POLICY_TARGET_KINDS},
}
"""The columns holding each end of the edges the layer tables give (for located errors)."""

LAYER_FILES = {
    NodeKind.PROJECT: "projects.csv",
    NodeKind.POLICY: "policies.csv",
    NodeKind.TIER: "tiers.csv",
    NodeKind.PLATFORM: "platforms.csv",
}


def _number(p: RowParser, row: Row, column: str) -> tuple[bool, float | None]:
    """``(ok, value)`` of an optional number cell; a bad number is reported."""
    from loaders.folder import number_cell

    return number_cell(row, column, p.issues)


def read_layers(p: RowParser) -> None:
    """Read every layer table into ``p.ds`` (nodes first, then their links)."""
    from loaders.folder import _enum, _int, date_cell

    for row in p.rows("tiers"):
        common = p.common(row)
        level = _enum(row, "level", TierLevel, p.issues)
        category = _enum(row, "category", TierCategory, p.issues)
        if common is None or level is None or category is None:
            p.check_id(row)
            continue
        fields = {
            "id": row.get("id"),
            "name_zh": row.get("name_zh"),
            "name_en": row.get("name_en"),
            "level": level,
            "category": category,
            "issuer": row.get("issuer"),
            "description": row.get("description"),
            **common,
        }
        p.add_node(row, Tier, fields)

    for row in p.rows("projects"):
        common = p.common(row)
        currency = _enum(row, "investment_currency", Currency, p.issues, default=Currency.CNY)
        status = _enum(row, "status", ProjectStatus, p.issues, default=ProjectStatus.UNKNOWN)
        ok, amount = _number(p, row, "investment_amount")
        year = _int(row, "year", p.issues, required=False)
        if common is None or currency is None or status is None or not ok or (row.get("year") and year is None):
            p.check_id(row, {"investment_amount": amount, "year": year})
            continue
        fields = {
            "id": row.get("id"),
            "name_zh": row.get("name_zh"),
            "name_en": row.get("name_en"),
            "investment_amount": amount,
            "investment_currency": currency,
            "year": year,
            "date": date_cell(row, "date", p.issues),
            "phase": row.get("phase"),
            "status": status,
            "capacity": row.get("capacity"),
            "description": row.get("description"),
            **common,
        }
        if row.get("investment_qualifier"):
            fields["investment_qualifier"] = row.get("investment_qualifier")
        p.add_node(row, Project, fields)

    instruments = _read_instruments(p)
    for row in p.rows("policies"):
        common = p.common(row)
        if common is None:
            p.check_id(row)
            continue
        pid = row.get("id")
        fields = {
            "id": pid,
            "name_zh": row.get("name_zh"),
            "name_en": row.get("name_en"),
            "issuer": row.get("issuer"),
            "date": date_cell(row, "date", p.issues),
            "doc_no": row.get("doc_no"),
            "description": row.get("description"),
            "instruments": tuple(item for _, item in instruments.get(pid, [])),
            **common,
        }
        p.add_node(row, Policy, fields)
    policies = {n.id for n in p.ds.of_kind(NodeKind.POLICY)}
    for pid, items in instruments.items():
        for row, item in items:
            if pid in policies:
                p.instrument_rows.append((row, item))
            else:
                kind = p.missing(pid, NodeKind.POLICY)
                p.issues.unknown_id(row, "policy_id", pid, "the id of a row in policies.csv", kind=kind)

    for row in p.rows("platforms"):
        common = p.common(row)
        category = _enum(row, "category", PlatformCategory, p.issues)
        year = _int(row, "year", p.issues, required=False)
        if common is None or category is None or (row.get("year") and year is None):
            p.check_id(row, {"year": year})
            continue
        fields = {
            "id": row.get("id"),
            "name_zh": row.get("name_zh"),
            "name_en": row.get("name_en"),
            "category": category,
            "year": year,
            "description": row.get("description"),
            **common,
        }
        p.add_node(row, PlatformNode, fields)

    _read_links(p)


def _read_instruments(p: RowParser) -> dict[str, list[tuple[Row, Instrument]]]:
    from loaders.folder import _enum, _pydantic_issues

    out: dict[str, list[tuple[Row, Instrument]]] = {}
    for row in p.rows("policy_instruments"):
        common = p.common(row)
        kind = _enum(row, "kind", InstrumentKind, p.issues)
        ok, amount = _number(p, row, "amount")
        if common is None or kind is None or not ok:
            p.check_rest(row, {"amount": amount})  # an empty description, a bad qualifier, an amount below 0
            continue
        extra: dict[str, object] = {}
        if row.get("qualifier"):
            extra["qualifier"] = row.get("qualifier")
        try:
            item = Instrument(
                kind=kind,
                description_zh=row.get("description_zh"),
                description_en=row.get("description_en"),
                amount=amount,
                unit=row.get("unit"),
                tier_id=row.get("tier_id"),
                **extra,
                **common,  # type: ignore[arg-type]
            )
        except ValidationError as exc:
            _pydantic_issues(row, exc, p.issues, {})
            continue
        out.setdefault(row.get("policy_id"), []).append((row, item))
    return out


def _read_links(p: RowParser) -> None:
    from loaders.folder import _int

    for row in p.rows("firm_tiers"):
        common = p.common(row)
        year = _int(row, "year", p.issues, required=False)
        batch = _int(row, "batch", p.issues, required=False)
        if common is None or (row.get("year") and year is None) or (row.get("batch") and batch is None):
            p.check_link(row, EdgeKind.HOLDS_TIER, ("firm_id", "tier_id"), common, year=year, batch=batch)
            continue
        p.add_edge(
            row,
            {
                "kind": EdgeKind.HOLDS_TIER,
                "source": row.get("firm_id"),
                "target": row.get("tier_id"),
                "year": year,
                "batch": batch,
                **common,
            },
            ("firm_id", "tier_id"),
        )
    for row in p.rows("firm_platforms"):
        common = p.common(row)
        year = _int(row, "year", p.issues, required=False)
        if common is None or (row.get("year") and year is None):
            p.check_link(row, EdgeKind.RUNS, ("firm_id", "platform_id"), common, year=year)
            continue
        p.add_edge(
            row,
            {"kind": EdgeKind.RUNS, "source": row.get("firm_id"), "target": row.get("platform_id"), "year": year}
            | common,
            ("firm_id", "platform_id"),
        )
    for table, source_column, kinds in (
        ("project_links", "project_id", PROJECT_LINK_KINDS),
        ("policy_targets", "policy_id", POLICY_TARGET_KINDS),
    ):
        names = {k.value for k in kinds}
        for row in p.rows(table):
            common = p.common(row)
            kind = row.get("kind")
            if kind not in names:
                p.issues.add(row, "kind", kind, " or ".join(sorted(names)))
            if kind not in names or common is None:
                stand_in = EdgeKind(kind) if kind in names else kinds[0]
                p.check_link(row, stand_in, (source_column, "target"), common)
                continue
            p.add_edge(
                row,
                {"kind": kind, "source": row.get(source_column), "target": row.get("target"), **common},
                (source_column, "target"),
            )


def check_layer_references(p: RowParser) -> None:
    """Check what edges cannot: an instrument's tier and sources, and a figure's scope segments."""
    nodes = p.ds.nodes
    sources = {n.id for n in p.ds.of_kind(NodeKind.SOURCE)}
    for row, item in p.instrument_rows:
        if item.tier_id:
            tier = nodes.get(item.tier_id)
            if tier is None or tier.kind != NodeKind.TIER.value:
                kind = p.missing(item.tier_id, NodeKind.TIER)
                p.issues.unknown_id(row, "tier_id", item.tier_id, "the id of a Tier (tiers.csv)", kind=kind)
        for sid in item.sources:
            if sid not in sources:
                kind = p.missing(sid, NodeKind.SOURCE)
                p.issues.unknown_id(row, "sources", sid, "the id of a row in sources.csv", kind=kind)
    for row, cluster_id, fig in p.scoped_figures:
        for sid in fig.scope:
            seg = nodes.get(sid)
            if seg is None or seg.kind != NodeKind.SEGMENT.value or getattr(seg, "cluster_id", "") != cluster_id:
                expected = f"the id of a segment of the cluster {cluster_id} (segments.csv)"
                p.issues.unknown_id(row, "scope", sid, expected, kind=p.missing(sid, NodeKind.SEGMENT))
