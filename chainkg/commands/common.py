"""Helpers shared by the commands."""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from chainkg.settings import BUNDLED_DATA, Settings
from chainkg.text_table import LANGS, display_width, sources_table
from graph.errors import NodeNotFound
from graph.store import empty_store_message
from queries.gap_kinds import kind_id, kinds_text

if TYPE_CHECKING:
    from graph.store import GraphStore

BACKEND_HELP = "networkx (embedded, default) or neo4j; default from CHAINKG_BACKEND"
DATA_HELP = f"dataset folder (default: CHAINKG_DATA or {BUNDLED_DATA})"


def progress_printer(label: str, *, after: float = 0.0) -> Callable[[int, int, str], None]:
    """Return a progress callback that redraws one line on stderr at most twice a second.

    With ``after``, nothing is shown until the work has taken that many seconds: a quick load
    stays silent, a long one shows where it is.
    """
    start = time.monotonic()
    last = [0.0]
    shown = [False]
    width = [0]  # the longest line drawn so far: a shorter one is padded over it, leaving no old characters

    def show(done: int, total: int, what: str) -> None:
        now = time.monotonic()
        if now - start < after and not shown[0]:
            return
        if done < total and now - last[0] < 0.5:
            return
        last[0] = now
        shown[0] = True
        pct = 100 * done // max(total, 1)
        line = f"{label}: {done}/{total} ({pct}%) {what}"
        pad = max(0, width[0] - display_width(line))
        width[0] = max(width[0], display_width(line))
        print(f"\r{line}{' ' * pad}", end="", file=sys.stderr, flush=True)
        if done >= total:
            print(file=sys.stderr)

    return show


def print_counts(counts: dict[str, Any]) -> None:
    print("nodes:  " + ", ".join(f"{k} {v}" for k, v in counts["nodes"].items()))
    print("edges:  " + ", ".join(f"{k} {v}" for k, v in counts["edges"].items()))
    print(f"firms:  local {counts['firms']['local']}, outside {counts['firms']['outside']}")
    conf = counts["confidence"]

    def spelled(by_level: dict[str, int]) -> str:
        return ", ".join(f"{level} {count}" for level, count in by_level.items())

    print(f"confidence: nodes {spelled(conf['nodes'])}; edges {spelled(conf['edges'])}")
    print(f"unsourced: nodes {counts['unsourced']['nodes']}, edges {counts['unsourced']['edges']}")


def add_store_options(parser: argparse.ArgumentParser) -> None:
    """Add ``--data`` and ``--backend``, which every command that reads the graph takes."""
    parser.add_argument("--data", type=Path, default=None, help=DATA_HELP)
    parser.add_argument("--backend", choices=["networkx", "neo4j"], default=None, help=BACKEND_HELP)


LANG_HELP = (
    "en: explanations, reasons, labels and headings in English, and names in English where the data has them "
    "(default: zh)"
)
"""``--lang`` of the commands that explain (gaps, candidates, chain, health...)."""
VIEW_LANG_HELP = (
    "en: labels, tags and amounts in English, and names and descriptions in English where the data has them "
    "(default: zh)"
)
"""``--lang`` of the commands that show records (a firm, projects, policies...) rather than explanations."""


def add_output_options(parser: argparse.ArgumentParser, *, lang_help: str = LANG_HELP) -> None:
    """Add ``--json`` (the API's response body) and ``--lang``, described by ``lang_help``."""
    parser.add_argument("--json", action="store_true", help="print the JSON body the HTTP API answers with")
    add_lang_option(parser, lang_help)


def add_lang_option(parser: argparse.ArgumentParser, lang_help: str = LANG_HELP) -> None:
    """Add ``--lang zh|en`` (default ``zh``), which every command that prints a view of the graph takes.

    ``--json`` is the same in both: the language only changes the text printed for reading.
    """
    parser.add_argument("--lang", choices=LANGS, default="zh", help=lang_help)


def add_year_option(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--year", type=year_value, default=None, help="as-of year: facts (presence, holdings) dated later are ignored"
    )


PER_GAP_HELP = (
    "keep only firms ranked N or better among the candidates of one of their gaps (1: each gap's first choice; "
    "firms with the same score share a rank, so a tie keeps them all)"
)
"""What ``--per-gap N`` does, as ``chainkg targets`` and ``chainkg report`` say it."""


def add_per_gap_option(parser: argparse.ArgumentParser, *, scope: str = "") -> None:
    """``--per-gap N`` (1-50): the ``per_gap`` of :func:`queries.targets.targets`; ``scope`` says where it applies."""
    parser.add_argument(
        "--per-gap",
        type=count_value(1, 50),
        default=None,
        metavar="N",
        help=(f"{scope}: " if scope else "") + PER_GAP_HELP,
    )


def add_page_options(
    parser: argparse.ArgumentParser, limit: int, most: int = 500, *, json_limit: int | None = None
) -> None:
    """``--limit`` (default ``limit``, at most ``most``, as the API's route allows) and ``--offset``.

    With ``json_limit`` (the API route's default page size), ``--json`` without ``--limit`` shows
    that many, so that it prints the body the route answers with when no ``limit`` is given; the
    table keeps ``limit``. :func:`paged` picks the one that applies.
    """
    if json_limit is None:
        default, text = limit, f"default {limit}"
    else:
        default, text = None, f"default {limit} in the table, {json_limit} with --json as in the API"
    parser.add_argument(
        "--limit", type=count_value(1, most), default=default, help=f"items to show ({text}, at most {most})"
    )
    parser.add_argument("--offset", type=count_value(0, 10_000_000), default=0, help="items to skip (default 0)")
    parser.set_defaults(table_limit=limit, json_limit=json_limit)


def year_value(text: str) -> int:
    """An as-of year between 1990 and 2100, as the API accepts."""
    return count_value(1990, 2100)(text)


def count_value(low: int, high: int) -> Callable[[str], int]:
    """An argparse type: a whole number from ``low`` to ``high``, refused with both bounds named."""

    def parse(text: str) -> int:
        try:
            value = int(text)
        except ValueError:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low} to {high}; got {text!r}") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"expected a whole number from {low} to {high}; got {value}")
        return value

    parse.__name__ = "number"
    return parse


def place_value(text: str) -> str:
    """An argparse type: a place name, not blank (the API's ``hq`` takes 1 to 100 characters).

    >>> place_value(" 深圳 ")
    '深圳'
    """
    value = text.strip()
    if not value or len(value) > 100:
        raise argparse.ArgumentTypeError(f"expected a place name of 1 to 100 characters, e.g. 深圳; got {text!r}")
    return value


def fraction_value(text: str) -> float:
    """An argparse type: a number from 0 to 1."""
    try:
        value = float(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1; got {text!r}") from None
    if not 0.0 <= value <= 1.0:
        raise argparse.ArgumentTypeError(f"expected a number from 0 to 1; got {text}")
    return value


def true_or_false(text: str) -> bool:
    """An argparse type for the API's boolean filters: ``true`` or ``false`` (also yes/no, 1/0)."""
    lowered = text.strip().lower()
    if lowered in ("true", "yes", "1"):
        return True
    if lowered in ("false", "no", "0"):
        return False
    raise argparse.ArgumentTypeError(f"expected true or false; got {text!r}")


def gap_kind_value(text: str) -> str:
    """An argparse type: a kind of gap by its id or its Chinese name (``断链``), as its id (``broken_link``)."""
    try:
        return kind_id(text)
    except ValueError as err:
        raise argparse.ArgumentTypeError(str(err)) from None


def add_gap_kind_option(parser: argparse.ArgumentParser, what: str) -> None:
    """Add ``--kind``, which takes a kind's id or Chinese name; its help is ``what`` and every kind's two names."""
    parser.add_argument("--kind", type=gap_kind_value, default=None, metavar="KIND", help=f"{what}: {kinds_text()}")


@contextmanager
def opened_store(args: argparse.Namespace) -> Iterator[GraphStore]:
    """The store that ``--data`` and ``--backend`` (or the environment) name, closed afterwards.

    On a terminal, a load that takes more than a second shows its progress on stderr.
    """
    from chainkg.runtime import open_store

    settings = Settings.from_env(backend=args.backend, data_dir=args.data)
    show = progress_printer("loading the graph", after=1.0) if sys.stderr.isatty() else None
    store = open_store(settings, progress=show)
    try:
        require_graph(store)
        yield store
    except NodeNotFound as err:
        if not err.suggestions:  # nothing spelt like it: say where the ids are instead
            err.args = (f"{err} {where_ids_are(store, err.kind)}".rstrip(),)
        raise
    finally:
        store.close()


FEW_IDS = 12
"""A kind with at most this many nodes has all its ids named when an unknown id has no near one."""

LISTING_COMMANDS = {
    "segment": "chainkg chain CLUSTER lists a cluster's segment ids.",
    "firm": "chainkg search NAME finds a firm's id by its name.",
    "project": "chainkg projects lists the project ids.",
    "policy": "chainkg policies lists the policy ids.",
    "tier": "chainkg tiers lists the tier ids.",
    "platform": "chainkg platforms lists the platform ids.",
    "cluster": "chainkg health lists the cluster ids.",
}
"""For each kind of id, the command that shows the ids (said when there are too many to name)."""

LISTING_COMMANDS_ZH = {
    "segment": "chainkg chain 集群编号 列出集群各环节的编号。",
    "firm": "chainkg search 名称 按名称查找企业编号。",
    "project": "chainkg projects 列出项目编号。",
    "policy": "chainkg policies 列出政策编号。",
    "tier": "chainkg tiers 列出梯度称号编号。",
    "platform": "chainkg platforms 列出平台编号。",
    "cluster": "chainkg health 列出集群编号。",
}
""":data:`LISTING_COMMANDS` in Chinese, for the Chinese half of an unknown id's error."""


def where_ids_are(store: GraphStore, kind: str) -> str:
    """Where a user finds the ids of ``kind`` (``tier``, ``segment``...): all of them when few, else a command.

    Parameters
    ----------
    store : GraphStore
        The open store the unknown id was looked up in.
    kind : str
        The kind of :class:`~graph.errors.NodeNotFound`, lower case.

    Returns
    -------
    str
        A sentence such as ``The tier ids are: tier-a, tier-b.``, or ``""`` for a kind the graph has no nodes of.
    """
    from graph.model import NodeKind

    try:
        node_kind = NodeKind(kind.capitalize())
    except ValueError:
        return LISTING_COMMANDS.get(kind, "")
    ids = [node.id for node in store.nodes(node_kind)]
    if not ids:
        return f"The graph holds no {kind}."
    if len(ids) <= FEW_IDS:
        return f"The {kind} ids are: {', '.join(ids)}."
    return LISTING_COMMANDS.get(kind, f"There are {len(ids)} {kind} ids.")


def require_graph(store: GraphStore) -> None:
    """Raise :class:`~graph.errors.GraphNotLoaded` when ``store`` is an empty Neo4j database.

    See :func:`graph.store.empty_store_message`.
    """
    from graph.errors import GraphNotLoaded

    message = empty_store_message(store)
    if message:
        raise GraphNotLoaded(message)


def print_json(body: Any) -> None:
    print(json.dumps(body, ensure_ascii=False, indent=2))


def answer(args: argparse.Namespace, fetch: Callable[[GraphStore], Any], show: Callable[[Any], None]) -> int:
    """Run a query command: ``fetch`` the body from the store ``args`` name, then print it.

    With ``--json`` the body is printed as the API returns it, else ``show`` prints it for reading.
    The store is closed before printing, so a slow reader of the output holds no connection.
    """
    with opened_store(args) as store:
        body = fetch(store)
    if args.json:
        print_json(body)
    else:
        show(body)
    return 0


def whole_list(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The API's body for a list answered whole (no paging): ``items`` and ``total``."""
    return {"items": items, "total": len(items)}


def add_hq_option(parser: argparse.ArgumentParser) -> None:
    """``--hq PLACE``: only the firms headquartered there (the lists' ``hq`` filter, :func:`hq_paged`)."""
    parser.add_argument(
        "--hq",
        default=None,
        metavar="PLACE",
        type=place_value,
        help="only firms headquartered there, e.g. 深圳, 上海 or Shenzhen (part of hq or hq_en); ranks stay those of "
        "the whole list, and the count of firms without a known headquarters is printed",
    )


def hq_paged(items: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """:func:`paged` of the firms headquartered in ``--hq`` (all without it) and ``hq_unknown``, as the API's lists
    answer it (:func:`queries.places.narrow_to_hq`)."""
    from queries.places import narrow_to_hq

    kept, unknown = narrow_to_hq(items, args.hq)
    return {**paged(kept, args), "hq_unknown": unknown}


def print_hq_note(body: dict[str, Any], args: argparse.Namespace) -> None:
    """Under a list narrowed by ``--hq``: how many firms are there, and how many the data give no headquarters."""
    if args.hq is not None:
        from queries.places import hq_note

        print(hq_note(args.hq, body["total"], body["hq_unknown"], args.lang))


def paged(items: list[dict[str, Any]], args: argparse.Namespace) -> dict[str, Any]:
    """The API's page body for ``items``: ``items``, ``total``, ``limit`` and ``offset``.

    With no ``--limit``, the limit is the table's default, or with ``--json`` the API's when
    :func:`add_page_options` was given one.
    """
    limit = args.limit
    if limit is None:
        limit = args.json_limit if args.json and args.json_limit is not None else args.table_limit
    return {
        "items": items[args.offset : args.offset + limit],
        "total": len(items),
        "limit": limit,
        "offset": args.offset,
    }


TEXT_FIELDS_ZH = {"description": "说明", "note": "备注"}
"""The Chinese names of the free-text fields (:func:`chainkg.text_table.text_fields`) of a detail view."""

SOURCE_HEADERS = (
    ("来源", "source"),
    ("日期", "date"),
    ("类型", "kind"),
    ("发布者", "publisher"),
    ("标题", "title"),
    ("网址或文号", "url or document no."),
)
"""The headings of the sources section of a detail view, ``(zh, en)``."""

RELIABILITY_ZH = {
    "official": "官方",
    "company": "企业",
    "research": "研究",
    "news": "新闻",
    "repost": "转载",
    "mirror": "镜像",
    "weak": "弱",
}
"""The kinds of source (``reliability``) in Chinese, for the default output."""


def reliability_label(reliability: str, lang: str) -> str:
    """A source's reliability as a table shows it: ``镜像 mirror`` by default, ``mirror`` for ``en``.

    >>> reliability_label("mirror", "zh"), reliability_label("official", "en"), reliability_label("other", "zh")
    ('镜像 mirror', 'official', 'other')
    """
    zh = RELIABILITY_ZH.get(reliability)
    return zh_first(lang, zh, reliability) if zh else reliability


def print_sources(refs: Iterable[Mapping[str, Any]], lang: str = "zh") -> None:
    """Print the "来源 sources" section of a detail view (nothing when there are no sources).

    Its title and headings are in English alone for ``lang`` ``en``; titles and publishers are the data's.

    >>> print_sources([{"id": "s1", "date": "2022", "title": "答复", "reliability": "official"}])
    <BLANKLINE>
    来源 sources
    来源 source  日期 date  类型 kind      发布者 publisher  标题 title  网址或文号 url or document no.
    -----------  ---------  -------------  ----------------  ----------  ------------------------------
    s1           2022       官方 official                    答复
    """
    refs = list(refs)
    if refs:
        print()
        print(zh_first(lang, "来源", "sources"))
        print(sources_table(refs, zh_first_headers(lang, *SOURCE_HEADERS), lambda kind: reliability_label(kind, lang)))


# ---------------------------------------------------------------------------------------------------------------
# Chinese-first words of the tables and lines a planner reads first (review 15a, M6, L11). The labels are the
# views' and reports' (viz.style, queries.gap_kinds, viz.parts): nothing here translates the data.


def zh_first(lang: str, zh: str, en: str) -> str:
    """A fixed label: Chinese then English (``环节 segment``) by default, English alone for ``en``.

    >>> zh_first("zh", "环节", "segment"), zh_first("en", "环节", "segment")
    ('环节 segment', 'segment')
    """
    return en if lang == "en" else f"{zh} {en}"


def zh_first_headers(lang: str, *words: tuple[str, str]) -> list[str]:
    """Table headings, each ``(zh, en)``: Chinese then English by default, English alone for ``en``.

    An empty pair gives an empty heading (a column of arrows).

    >>> zh_first_headers("zh", ("环节", "segment"), ("", "")), zh_first_headers("en", ("环节", "segment"))
    (['环节 segment', ''], ['segment'])
    """
    return [zh_first(lang, zh, en).strip() for zh, en in words]


def zh_then_en(lang: str, zh: str, en: str) -> str:
    """A sentence: ``zh / en`` by default (Chinese first, the English kept for who reads it), ``en`` alone for ``en``.

    >>> zh_then_en("zh", "共 3 对集群", "3 cluster pairs"), zh_then_en("en", "共 3 对集群", "3 cluster pairs")
    ('共 3 对集群 / 3 cluster pairs', '3 cluster pairs')
    """
    return en if lang == "en" else f"{zh} / {en}"


def status_label(status: str, lang: str) -> str:
    """A segment's status (``queries.presence``) as the views and reports label it (``viz.style.STATUS_LABELS``,
    ``强链 Strong``), or its English word for ``en``; an unknown status as it is.

    >>> status_label("strong", "zh"), status_label("present", "zh"), status_label("missing", "en")
    ('强链 Strong', '一般 Present', 'missing')
    """
    from viz.style import STATUS_LABELS, english_part

    text = STATUS_LABELS.get(status)
    if text is None:
        return status
    return english_part(text).lower() if lang == "en" else text


def status_name_zh(status: str) -> str:
    """The Chinese word of a status label (``强链``), for a heading or a count.

    >>> status_name_zh("weak"), status_name_zh("other")
    ('弱链', 'other')
    """
    from viz.style import STATUS_LABELS

    return STATUS_LABELS.get(status, status).split(" ")[0]


def gap_kind_label(kind: str, lang: str, *, unverified: bool = False) -> str:
    """A gap kind as a table shows it: its Chinese name (``断链``, :data:`queries.gap_kinds.KIND_NAMES_ZH`) by
    default, its English name in lower case for ``en`` (never the raw id ``broken_link``); ``unverified`` marks a
    kind that rests only on supply links the data marks unverified, as ``chainkg gaps`` marks it.

    >>> gap_kind_label("broken_link", "zh"), gap_kind_label("broken_link", "en")
    ('断链', 'broken link')
    >>> gap_kind_label("broken_link", "zh", unverified=True), gap_kind_label("extension", "en", unverified=True)
    ('断链（待核实）', 'extension (unverified)')
    """
    from queries.gap_kinds import KIND_NAMES_EN, KIND_NAMES_ZH
    from viz.parts import UNVERIFIED_MARK

    if lang == "en":
        return KIND_NAMES_EN.get(kind, kind.replace("_", " ")).lower() + (UNVERIFIED_MARK[1] if unverified else "")
    return KIND_NAMES_ZH.get(kind, kind) + ("（待核实）" if unverified else "")


CONFIDENCE_ZH = {"sourced": "有来源", "unverified": "待核实"}
"""A fact's confidence (``graph.model.Confidence``) in the views' words: 有来源 (``viz.overview``), 待核实."""


def confidence_label(confidence: str, lang: str) -> str:
    """A confidence, Chinese then English by default (``待核实 unverified``), its English word for ``en``.

    >>> confidence_label("unverified", "zh"), confidence_label("sourced", "en"), confidence_label("", "zh")
    ('待核实 unverified', 'sourced', '')
    """
    if lang == "en" or confidence not in CONFIDENCE_ZH:
        return confidence
    return f"{CONFIDENCE_ZH[confidence]} {confidence}"


def page_line(shown: int, total: int, offset: int, noun_zh: str, noun_en: str, lang: str) -> str:
    """Which items a page shows (:func:`chainkg.text_table.page_footer`), Chinese first unless ``en``.

    ``noun_zh`` carries its measure word (``个集群``).

    >>> page_line(11, 11, 0, "个集群", "clusters", "zh")
    '第 1-11 项，共 11 个集群 / showing 1-11 of 11 clusters'
    >>> page_line(20, 30, 0, "条结果", "matches", "zh")
    '第 1-20 项，共 30 条结果；更多用 --offset 20 / showing 1-20 of 30 matches; more with --offset 20'
    >>> page_line(0, 0, 0, "项政策", "policies", "zh"), page_line(0, 5, 9, "项政策", "policies", "en")
    ('无政策 / no policies', '5 policies; none at --offset 9')
    """
    from chainkg.text_table import page_footer

    english = page_footer(shown, total, offset, noun_en)
    bare = noun_zh.lstrip("个条项家对")
    if total == 0:
        chinese = f"无{bare}"
    elif shown == 0:
        chinese = f"共 {total} {noun_zh}；--offset {offset} 之后没有"
    else:
        chinese = f"第 {offset + 1}-{offset + shown} 项，共 {total} {noun_zh}"
        if offset + shown < total:
            chinese += f"；更多用 --offset {offset + shown}"
    return zh_then_en(lang, chinese, english)
