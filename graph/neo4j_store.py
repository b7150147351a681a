"""The Neo4j store: the :class:`~graph.store.GraphStore` interface over the official ``neo4j`` driver.

It answers exactly as :class:`~graph.memory_store.MemoryStore` does (nodes
sorted by id, edges sorted by (kind, source, target), the same pydantic
objects), reading from Neo4j on every call.

Connections
    One driver per process and per (uri, user), shared by every store that
    names them and closed when the last of them closes (or at exit).

Safety
    Every query text is a constant from :mod:`graph.neo4j_cypher`; data travel
    as parameters. Labels and relationship types come only from the
    ``NodeKind``/``EdgeKind`` whitelist. Reads run in read transactions with a
    server-side timeout (``query_timeout``, from ``NEO4J_QUERY_TIMEOUT``).
    Driver failures (server down, session expired, timeouts) raise
    :class:`~graph.errors.StoreUnavailable`, which the API answers with 503.

Loading: generations and a pointer switch
    ``replace`` writes the new graph as a new *generation* (every node carries
    ``gen``), next to the served one, in batched ``UNWIND $rows ... MERGE``
    write transactions of ``batch_size`` rows (``CHAINKG_NEO4J_BATCH``,
    default 5000). Every read starts from one meta node,
    ``(:ChainkgMeta {key: 'graph'})``, and only sees the generation it names.
    Once every batch is in, the staged counts are checked and one small
    transaction points the meta node at the new generation: that is the moment
    readers switch. The old generation is then deleted in batches. A load that
    fails midway (driver error, bad data, Ctrl-C) never touches the pointer:
    readers keep the previous graph, the partial generation is deleted at once
    when the server can be reached and otherwise by the next load. Loading the
    same dataset twice gives the same graph (a new generation with the same
    content; the ``(id, gen)`` constraint refuses a duplicate within one).
    One loader at a time per database.

One meta read per request (:func:`request_scope`)
    :meth:`Neo4jStore.version` (and :meth:`~Neo4jStore.ping`) read the meta node, one Bolt round trip
    each. Inside :func:`request_scope`, which the API opens around every HTTP request
    (:class:`api.caching.OneMetaRead`), a store reads it once and answers every later call from that
    read: the ``ETag``, the loaded check, the cache key and the route see the same data version. A
    load or an import through the store (:meth:`~Neo4jStore.replace`) forgets it, so that what follows
    in the same scope sees the new graph. Outside a scope (the CLI, loads, tests) every call reads.

What the served graph came from (:class:`LoadRecord`)
    Each generation node records, before the switch, how it was made:
    ``chainkg load`` (:meth:`Neo4jStore.load_dataset`: the folder, the time, no
    imports), an import (a ``replace`` through a store opened with
    ``replace_is_import``, as the CLI and the API open theirs: the last load's
    folder and time, one more import) or any other ``replace`` (a program's
    graph, no imports). ``chainkg load`` reads it to keep a graph that holds
    imports.

Examples
--------
The property conversion and the Cypher texts are tested without a server
(:mod:`graph.neo4j_props`, :mod:`graph.neo4j_cypher`); a store needs one:

>>> Neo4jStore.batch_from_env({"CHAINKG_NEO4J_BATCH": "2000"})
2000
>>> Neo4jStore.batch_from_env({})
5000
"""

from __future__ import annotations

import atexit
import logging
import os
import queue
import threading
import time
import uuid
from collections.abc import Callable, Iterator, Mapping, Sequence
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from contextlib import ExitStack, contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from operator import itemgetter
from typing import TYPE_CHECKING, Any, TypeVar
from urllib.parse import urlsplit

from neo4j import READ_ACCESS, WRITE_ACCESS, GraphDatabase, unit_of_work
from neo4j.exceptions import (
    AuthError,
    ConfigurationError,
    ConnectionPoolError,
    Forbidden,
    Neo4jError,
    ServiceUnavailable,
    SessionExpired,
    TransientError,
)

from graph import neo4j_cypher as cy
from graph.bulk import paused_gc
from graph.dataset import Dataset
from graph.errors import ConfigError, ModelError, StoreUnavailable
from graph.model import Confidence, Edge, EdgeKind, Firm, Node, NodeKind
from graph.neo4j_props import edge_from_props, edge_props, kind_of, node_from_props, node_props, without_defaults
from graph.store import EMPTY_NEO4J, Progress

if TYPE_CHECKING:
    from chainkg.settings import Settings

log = logging.getLogger(__name__)

DEFAULT_BATCH = 5000
"""Rows per ``UNWIND`` write transaction unless ``CHAINKG_NEO4J_BATCH`` or ``batch_size`` say otherwise."""

BATCH_ENV = "CHAINKG_NEO4J_BATCH"

DEFAULT_WRITERS = 2
"""Write transactions a load runs side by side unless ``CHAINKG_NEO4J_WRITERS`` or ``writers`` say otherwise."""

WRITERS_ENV = "CHAINKG_NEO4J_WRITERS"

MAX_WRITERS = 32
"""The most writers a load may run (each holds a session and a server thread)."""

_UNREAD = object()
"""A store's entry in a request scope before its meta node was read."""

_request_meta: ContextVar[dict[object, Any] | None] = ContextVar("chainkg_neo4j_request_meta", default=None)
"""The open :func:`request_scope`'s memo: each store's meta node as read in it, or ``None`` outside a scope.

The value is a dict shared by reference, not replaced: ``run_in_threadpool`` and new tasks run in a *copy*
of the context, which holds the same dict, so a read made in a worker thread serves the request's later
calls too."""


@contextmanager
def request_scope() -> Iterator[None]:
    """Within the block, each :class:`Neo4jStore` reads its meta node (the data version) at most once.

    The first :meth:`Neo4jStore.version` (or :meth:`~Neo4jStore.ping`) of a store in the block reads
    the meta node; later calls, in the block and in the worker threads and tasks it starts, answer from
    that read. A failed read is not kept (the next call tries again). :meth:`Neo4jStore.replace` (any
    load) forgets it. Scopes nest; an inner one starts empty and the outer one is back at its end.
    Outside any scope each call reads afresh. The API opens one per HTTP request
    (:class:`api.caching.OneMetaRead`).

    Examples
    --------
    >>> in_scope()
    False
    >>> with request_scope():
    ...     in_scope()
    True
    >>> in_scope()
    False
    """
    token = _request_meta.set({})
    try:
        yield
    finally:
        _request_meta.reset(token)


def in_scope() -> bool:
    """Whether a :func:`request_scope` is open in the current context.

    >>> in_scope()
    False
    """
    return _request_meta.get() is not None


@dataclass(frozen=True)
class LoadRecord:
    """What the served graph came from, as the generation records it.

    Attributes
    ----------
    nodes, edges : int
        Its size.
    switched : str
        When readers were switched to it (ISO 8601, UTC).
    origin : str or None
        ``"load"`` (``chainkg load``), ``"import"`` or ``"replace"`` (another program); ``None`` for a
        graph written before chainkg recorded it.
    imports : int
        Imports applied since the last ``chainkg load`` (0 when unknown).
    loaded_from : str or None
        The folder the last ``chainkg load`` read, when known.
    loaded_at : str or None
        When that load switched readers to its graph (ISO 8601, UTC), when known.
    """

    nodes: int
    edges: int
    switched: str
    origin: str | None
    imports: int
    loaded_from: str | None
    loaded_at: str | None

    def describe(self) -> str:
        """One phrase for messages: size, where it was loaded from and when, and its imports.

        >>> LoadRecord(9, 8, "2026-12-06T10:00:00Z", "import", 2, "data/changzhou", "2026-12-05T09:30:12.5Z").describe()
        '9 nodes, 8 edges, loaded from data/changzhou at 2026-12-05 09:30 UTC, then changed by 2 imports'
        >>> LoadRecord(9, 8, "2026-12-06T10:00:00Z", None, 0, None, None).describe()
        '9 nodes, 8 edges, written at 2026-12-06 10:00 UTC'
        """
        if self.loaded_from:
            made = f"loaded from {self.loaded_from} at {_minute(self.loaded_at or self.switched)}"
        else:
            made = f"written at {_minute(self.switched)}"
        changed = f", then changed by {self.imports} import{'s' if self.imports != 1 else ''}" if self.imports else ""
        return f"{self.nodes} nodes, {self.edges} edges, {made}{changed}"


def _minute(iso: str) -> str:
    """``2026-12-05T09:30:12.5Z`` -> ``2026-12-05 09:30 UTC`` (Neo4j's ``datetime()`` is UTC here)."""
    return f"{iso[:10]} {iso[11:16]} UTC" if len(iso) >= 16 else iso


def _whole_number_from_env(env: Mapping[str, str] | None, name: str, default: int, unit: str) -> int:
    """The whole number in the environment variable ``name`` (``env`` or ``os.environ``), or ``default`` when unset."""
    raw = (os.environ if env is None else env).get(name) or ""
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise ConfigError(f"{name} must be a whole number of {unit}; got {raw!r}") from None


BOLT_SCHEMES = ("bolt", "bolt+s", "bolt+ssc", "neo4j", "neo4j+s", "neo4j+ssc")
"""The URI schemes chainkg connects with: Bolt, direct (``bolt``) or routed (``neo4j``), plain or TLS."""

EXAMPLE_URI = "bolt://127.0.0.1:7687"


def check_uri(uri: str) -> str:
    """Return ``uri`` if it is a Bolt address with a host, else raise a one-line :class:`ConfigError`.

    The driver accepts some addresses it cannot use (``bolt://`` quietly means ``localhost:7687``; an
    ``http://`` address needs an optional package and a preview API) and fails on others only when it
    connects, with a traceback (a port that is not a number). This names what is wrong at once.

    Examples
    --------
    >>> check_uri("neo4j+s://db.example.org")
    'neo4j+s://db.example.org'
    >>> check_uri("bolt://127.0.0.1:bolt")
    Traceback (most recent call last):
    ...
    graph.errors.ConfigError: NEO4J_URI 'bolt://127.0.0.1:bolt' is not a usable address: its port must be ...
    """
    bad_port = "its port must be a number from 1 to 65535"
    try:
        parts = urlsplit(uri)
        port = parts.port
    except ValueError as err:  # urlsplit's words: "Port out of range 0-65535", "Invalid IPv6 URL"
        reason = bad_port if "port" in str(err).lower() else str(err)
    else:
        reason = bad_port if port == 0 else ""
    if reason:
        raise ConfigError(f"NEO4J_URI {uri!r} is not a usable address: {reason}; expected e.g. {EXAMPLE_URI}")
    scheme = parts.scheme.lower()
    if scheme in ("http", "https"):
        raise ConfigError(
            f"NEO4J_URI {uri!r} is an HTTP address, but Neo4j is reached over Bolt; expected e.g. "
            f"{EXAMPLE_URI} (7687 is Neo4j's Bolt port, 7474 its Browser's)"
        )
    if scheme not in BOLT_SCHEMES:
        raise ConfigError(
            f"NEO4J_URI {uri!r} does not start with a Bolt scheme; expected bolt://HOST:PORT "
            f"(or {', '.join(s + '://' for s in BOLT_SCHEMES[1:])}), e.g. {EXAMPLE_URI}"
        )
    if not parts.hostname:
        raise ConfigError(f"NEO4J_URI {uri!r} names no host; expected e.g. {EXAMPLE_URI}")
    return uri


# -- one driver per process -----------------------------------------------------------


@dataclass
class _Shared:
    driver: Any
    users: int


_drivers: dict[tuple[str, str], _Shared] = {}
_drivers_lock = threading.Lock()
_schema_ready: set[tuple[str, str, str]] = set()
_schema_lock = threading.Lock()


def _acquire_driver(uri: str, user: str | None, password: str | None, retry_time: float) -> Any:
    """The process's driver for (uri, user), created on first use."""
    key = (uri, user or "")
    with _drivers_lock:
        shared = _drivers.get(key)
        if shared is None:
            auth = (user or "neo4j", password or "") if (user or password) else None
            try:
                driver = GraphDatabase.driver(
                    uri,
                    auth=auth,
                    connection_timeout=5.0,
                    connection_acquisition_timeout=10.0,
                    max_transaction_retry_time=retry_time,
                    user_agent="chainkg",
                    notifications_min_severity="OFF",
                )
            except (ConfigurationError, ImportError, ValueError, TypeError) as err:
                raise ConfigError(
                    f"NEO4J_URI is not a usable Neo4j address ({uri!r}); use bolt://host:7687: {err}"
                ) from err
            shared = _drivers[key] = _Shared(driver, 0)
        shared.users += 1
        return shared.driver


def _release_driver(uri: str, user: str | None) -> None:
    key = (uri, user or "")
    with _drivers_lock:
        shared = _drivers.get(key)
        if shared is None:
            return
        shared.users -= 1
        if shared.users <= 0:
            del _drivers[key]
            shared.driver.close()


def open_driver_count() -> int:
    """How many drivers this process holds open (one per uri and user)."""
    with _drivers_lock:
        return len(_drivers)


@atexit.register
def _close_all_drivers() -> None:
    with _drivers_lock:
        for shared in _drivers.values():
            try:
                shared.driver.close()
            except Exception:  # noqa: BLE001 - best effort at exit
                pass
        _drivers.clear()


# -- errors ---------------------------------------------------------------------------


def _is_timeout(err: Exception) -> bool:
    code = str(getattr(err, "code", "") or "")
    return "TransactionTimedOut" in code or code.endswith("Transaction.Terminated")


def _one_line(err: BaseException) -> str:
    """The driver's message on one line (some span two: "Couldn't connect ...:\\nFailed to establish ...")."""
    return " ".join(str(err).split())


def _records(result: Any) -> list[dict[str, Any]]:
    return list(result.data())


T = TypeVar("T")


_DEFAULT_CONFIDENCE = Edge.model_fields["confidence"].default.value
"""What a node or edge stored without ``confidence`` holds (:func:`graph.neo4j_props.without_defaults`)."""
_FIRM_LOCAL_DEFAULT = Firm.model_fields["is_local"].default
"""What a firm stored without ``is_local`` holds."""


def _prefetched(items: Iterator[T], depth: int = 2) -> Iterator[T]:
    """Yield ``items`` while a background thread already computes the next ``depth`` of them.

    Building and packing a batch is pure Python and Neo4j writes the previous one
    meanwhile (the driver waits on its socket without the GIL), so the two overlap.
    An exception in the producer is raised here; leaving early stops the producer.

    >>> list(_prefetched(iter(range(5))))
    [0, 1, 2, 3, 4]
    """
    box: queue.Queue[tuple[bool, Any]] = queue.Queue(maxsize=depth)
    stop = threading.Event()

    def put(entry: tuple[bool, Any]) -> bool:
        while not stop.is_set():
            try:
                box.put(entry, timeout=0.1)
                return True
            except queue.Full:
                continue
        return False

    def produce() -> None:
        try:
            for item in items:
                if not put((True, item)):
                    return
            put((False, None))
        except BaseException as err:  # noqa: BLE001 - handed to the consumer
            put((False, err))

    worker = threading.Thread(target=produce, name="chainkg-neo4j-batches", daemon=True)
    worker.start()
    try:
        while True:
            more, value = box.get()
            if not more:
                if value is not None:
                    raise value
                return
            yield value
    finally:
        stop.set()


def _in_background(compute: Callable[[], T]) -> Callable[[], T]:
    """Start ``compute()`` in a thread now; the returned callable waits for its result (or raises its error).

    >>> _in_background(lambda: 6 * 7)()
    42
    """
    out: dict[str, Any] = {}

    def work() -> None:
        try:
            out["value"] = compute()
        except BaseException as err:  # noqa: BLE001 - re-raised by the caller
            out["error"] = err

    worker = threading.Thread(target=work, name="chainkg-neo4j-fingerprint", daemon=True)
    worker.start()

    def result() -> T:
        worker.join()
        if "error" in out:
            raise out["error"]
        return out["value"]  # type: ignore[no-any-return]

    return result


_LOCK_ORDER = itemgetter("b", "a")
"""The order of an edge batch's rows: by the element id of the target, then of the source."""

Job = tuple[str, str, list[dict[str, Any]]]
"""One write batch: ``(query, what, rows)``; ``what`` names it in progress reports."""


def _send_batch(session: Any, query: str, params: dict[str, Any]) -> list[Any]:
    """Run one batch in a write transaction; return the ``[id, elementId]`` pairs of a node batch (edges: none)."""

    def work(tx: Any) -> list[Any]:
        records = list(tx.run(query, params))
        return list(records[0]["ids"]) if records else []

    return session.execute_write(work)  # type: ignore[no-any-return]


def _send_side_by_side(
    jobs: Iterator[Job], gen: str, sessions: Sequence[Any], sent: Callable[[list[dict[str, Any]], str, list[Any]], None]
) -> None:
    """Send every job of ``jobs`` to generation ``gen``, as many at a time as there are ``sessions``.

    Jobs of one kind (``what``) run side by side; the next kind starts once they are all done, as edge
    batches of two kinds share their firms (``OPERATES_IN`` and ``LOCATED_IN`` of the same firms) and
    deadlocked when they overlapped (6 retries, ~1 s of back-off each, in 8 loads of 10k firms; none
    since). ``sent(rows, what, ids)`` is called once per finished job, in this thread, in the order
    they finish. Every job has finished (or the first error is raised, the others waited for) on
    return. The jobs are built ahead in a background thread (:func:`_prefetched`).
    """
    free: queue.SimpleQueue[Any] = queue.SimpleQueue()
    for session in sessions:
        free.put(session)

    def run(query: str, params: dict[str, Any]) -> list[Any]:
        session = free.get()
        try:
            return _send_batch(session, query, params)
        finally:
            free.put(session)

    in_flight: dict[Future[list[Any]], tuple[list[dict[str, Any]], str]] = {}

    def collect(*, block: bool) -> None:
        """Report every finished job; with ``block``, wait for one to finish first."""
        if block:
            wait(in_flight, return_when=FIRST_COMPLETED)
        for future in [f for f in in_flight if f.done()]:
            rows, what = in_flight.pop(future)
            sent(rows, what, future.result())

    def drain() -> None:
        while in_flight:
            collect(block=True)

    with ThreadPoolExecutor(len(sessions), thread_name_prefix="chainkg-neo4j-batches") as pool:
        try:
            last_what = None
            for query, what, rows in _prefetched(jobs):
                if what != last_what:  # batches of two kinds share their firms: one kind at a time
                    drain()
                last_what = what
                if len(in_flight) >= len(sessions):
                    collect(block=True)
                in_flight[pool.submit(run, query, {"rows": rows, "gen": gen})] = (rows, what)
                collect(block=False)
            drain()
        finally:
            for future in in_flight:
                future.cancel()
            wait(in_flight)


class Neo4jStore:
    """A :class:`graph.store.GraphStore` backed by a Neo4j 5 database.

    Parameters
    ----------
    uri : str
        Bolt address, e.g. ``bolt://127.0.0.1:7687``.
    user, password : str, optional
        Credentials; both unset means no auth (as on the test server).
    database : str
        Database name (``neo4j`` on Community).
    query_timeout : float
        Server-side timeout of each read transaction, in seconds.
    batch_size : int, optional
        Rows per ``UNWIND`` write transaction; default ``CHAINKG_NEO4J_BATCH`` or 5000.
    writers : int, optional
        Write transactions a load runs side by side, each on its own session; default
        ``CHAINKG_NEO4J_WRITERS`` or 2 (more helps only a server with more cores to write with).
    retry_time : float
        How long the driver retries a transaction on transient failures before giving up.
    read_retry_time : float
        The same for reads (what the API serves): short, so that a stopped server is answered
        with :class:`~graph.errors.StoreUnavailable` (503) within about a second, not after
        ``retry_time`` of back-off.
    driver : optional
        A ready driver to use instead of the shared one (the caller keeps ownership).
    replace_is_import : bool
        Record every :meth:`replace` as an import (:class:`LoadRecord`). The stores chainkg's CLI and
        API open (:func:`chainkg.runtime.open_store`) set it: their only ``replace`` is an import.
    """

    backend = "neo4j"

    def __init__(
        self,
        uri: str,
        *,
        user: str | None = None,
        password: str | None = None,
        database: str = "neo4j",
        query_timeout: float = 5.0,
        batch_size: int | None = None,
        writers: int | None = None,
        retry_time: float = 5.0,
        read_retry_time: float = 0.5,
        driver: Any = None,
        replace_is_import: bool = False,
    ) -> None:
        if not uri:
            raise ConfigError("NEO4J_URI is required for the neo4j backend (e.g. bolt://127.0.0.1:7687)")
        self.uri = check_uri(uri)
        self.database = database
        self.query_timeout = float(query_timeout)
        self.batch_size = self.batch_from_env() if batch_size is None else int(batch_size)
        if self.batch_size < 1:
            raise ConfigError(f"{BATCH_ENV} (batch size) must be at least 1; got {self.batch_size}")
        self.writers = self.writers_from_env() if writers is None else int(writers)
        if not 1 <= self.writers <= MAX_WRITERS:
            raise ConfigError(f"{WRITERS_ENV} (writers) must be from 1 to {MAX_WRITERS}; got {self.writers}")
        self._user = user
        self._owns_driver = driver is None
        self._driver = _acquire_driver(uri, user, password, retry_time) if driver is None else driver
        self._read_retry_time = float(read_retry_time)
        self._closed = False
        self.replace_is_import = replace_is_import

    @classmethod
    def from_settings(cls, settings: Settings, **overrides: Any) -> Neo4jStore:
        """Open the store named by ``settings`` (``NEO4J_URI``, ``NEO4J_USER``, ``NEO4J_PASSWORD``...)."""
        if not settings.neo4j_uri:
            raise ConfigError("NEO4J_URI is required when CHAINKG_BACKEND=neo4j (e.g. bolt://127.0.0.1:7687)")
        options: dict[str, Any] = {
            "user": settings.neo4j_user,
            "password": settings.neo4j_password,
            "database": settings.neo4j_database,
            "query_timeout": settings.neo4j_query_timeout,
        }
        options.update(overrides)
        return cls(settings.neo4j_uri, **options)

    @staticmethod
    def batch_from_env(env: Mapping[str, str] | None = None) -> int:
        """The batch size set by ``CHAINKG_NEO4J_BATCH``, or :data:`DEFAULT_BATCH`."""
        return _whole_number_from_env(env, BATCH_ENV, DEFAULT_BATCH, "rows")

    @staticmethod
    def writers_from_env(env: Mapping[str, str] | None = None) -> int:
        """The writers set by ``CHAINKG_NEO4J_WRITERS``, or :data:`DEFAULT_WRITERS`.

        >>> Neo4jStore.writers_from_env({"CHAINKG_NEO4J_WRITERS": "4"}), Neo4jStore.writers_from_env({})
        (4, 2)
        """
        return _whole_number_from_env(env, WRITERS_ENV, DEFAULT_WRITERS, "write transactions")

    # -- plumbing ------------------------------------------------------------------

    @contextmanager
    def _translate(self, action: str) -> Iterator[None]:
        """Turn driver failures into :class:`StoreUnavailable` naming the server and the action."""
        try:
            yield
        except StoreUnavailable:
            raise
        except (ServiceUnavailable, SessionExpired, ConnectionPoolError, TransientError, OSError) as err:
            unreachable = isinstance(err, (ServiceUnavailable, OSError))  # not a transient failure of a live server
            hint = " (is the server running, and is NEO4J_URI its Bolt address?)" if unreachable else ""
            raise StoreUnavailable(
                f"Neo4j at {self.uri} is unavailable while {action}: {_one_line(err)}{hint}"
            ) from err
        except AuthError as err:
            raise StoreUnavailable(
                f"Neo4j at {self.uri} refused the credentials while {action} (check NEO4J_USER/NEO4J_PASSWORD)"
            ) from err
        except Neo4jError as err:
            if _is_timeout(err):
                raise StoreUnavailable(
                    f"Neo4j query timed out after {self.query_timeout:g}s while {action} (NEO4J_QUERY_TIMEOUT)"
                ) from err
            if str(getattr(err, "code", "") or "").endswith(".DatabaseNotFound"):
                raise StoreUnavailable(
                    f"Neo4j at {self.uri} has no database {self.database!r} (NEO4J_DATABASE); expected the name of "
                    "an existing database, e.g. neo4j, the default and Community's only one"
                ) from err
            raise

    def _session(self, *, write: bool) -> Any:
        if self._closed:
            raise StoreUnavailable("the Neo4j store is closed")
        if write:
            return self._driver.session(database=self.database, default_access_mode=WRITE_ACCESS)
        # Reads fail fast when the server is gone (one quick retry covers a connection dropped by a restart).
        return self._driver.session(
            database=self.database, default_access_mode=READ_ACCESS, max_transaction_retry_time=self._read_retry_time
        )

    def _read(self, query: str, params: Mapping[str, Any], action: str = "reading") -> list[dict[str, Any]]:
        """Run one read transaction with the server-side timeout; return its records as dicts."""
        self._ensure_schema()

        @unit_of_work(timeout=self.query_timeout)
        def work(tx: Any) -> list[dict[str, Any]]:
            return _records(tx.run(query, dict(params)))

        with self._translate(action), self._session(write=False) as session:
            return session.execute_read(work)  # type: ignore[no-any-return]

    def _write(self, query: str, params: Mapping[str, Any], action: str = "writing") -> list[dict[str, Any]]:
        """Run one write transaction; return its records as dicts."""

        def work(tx: Any) -> list[dict[str, Any]]:
            return _records(tx.run(query, dict(params)))

        with self._translate(action), self._session(write=True) as session:
            return session.execute_write(work)  # type: ignore[no-any-return]

    def _ensure_schema(self) -> None:
        """Create the id constraints and the generation index once per process and database.

        A user who may not change the schema (a read-only account on a shared server) can still read:
        the refusal is logged and loading then fails on the server's own terms.
        """
        key = (self.uri, self._user or "", self.database)
        if key in _schema_ready:
            return
        with _schema_lock:
            if key in _schema_ready:
                return
            try:
                with self._translate("connecting (creating constraints)"), self._session(write=True) as session:
                    for statement in cy.schema_statements():
                        session.run(statement).consume()
            except Forbidden as err:
                log.warning("cannot create chainkg's constraints on %s (%s); reading only", self.uri, err)
            _schema_ready.add(key)

    def constraints(self) -> list[dict[str, Any]]:
        """The constraints the database holds (name, type, labels, properties), sorted by name."""
        self._ensure_schema()
        with self._translate("listing constraints"), self._session(write=False) as session:
            rows = _records(session.run(cy.SHOW_CONSTRAINTS))
        return sorted(rows, key=lambda r: str(r["name"]))

    # -- writes --------------------------------------------------------------------

    def replace(self, dataset: Dataset, *, progress: Progress | None = None) -> None:
        """Load ``dataset`` as a new generation in batches and switch readers to it at the end.

        Raises
        ------
        ModelError
            When the dataset is inconsistent (nothing is written).
        StoreUnavailable
            When Neo4j cannot be reached or fails; the previous graph stays served.
        """
        origin = "import" if self.replace_is_import else "replace"
        with paused_gc():  # see graph.bulk: a large load allocates millions of rows; the cyclic GC would rescan them
            self._check(dataset)
            self._load(dataset, self._write_batches, progress, {"origin": origin, "loaded_from": None})

    def load_dataset(self, dataset: Dataset, *, loaded_from: str, progress: Progress | None = None) -> None:
        """Like :meth:`replace`, recorded as ``chainkg load`` of the folder ``loaded_from`` (no imports)."""
        with paused_gc():
            self._check(dataset)
            self._load(dataset, self._write_batches, progress, {"origin": "load", "loaded_from": loaded_from})

    def load_record(self) -> LoadRecord | None:
        """What the served graph came from (see :class:`LoadRecord`), or ``None`` while nothing was loaded."""
        rows = self._read(cy.LOAD_RECORD, {"meta": cy.META_KEY}, "reading what the graph was loaded from")
        if not rows:
            return None
        row = rows[0]
        return LoadRecord(
            nodes=int(row["nodes"] or 0),
            edges=int(row["edges"] or 0),
            switched=str(row["switched"] or ""),
            origin=row["origin"],
            imports=int(row["imports"] or 0),
            loaded_from=row["loaded_from"],
            loaded_at=row["loaded_at"],
        )

    def load_row_by_row(self, dataset: Dataset, *, progress: Progress | None = None) -> None:
        """Like :meth:`replace`, but one auto-commit query per node and per edge (the benchmark's naive baseline)."""
        with paused_gc():  # as in replace, so that the two differ only in how rows are sent
            self._check(dataset)
            self._load(dataset, self._write_rows, progress, {"origin": "replace", "loaded_from": None})

    @staticmethod
    def _check(dataset: Dataset) -> None:
        problems = dataset.problems()
        if problems:
            raise ModelError("dataset is inconsistent: " + "; ".join(problems[:10]))

    def _load(
        self,
        dataset: Dataset,
        writer: Callable[[Dataset, str, Progress | None, int], None],
        progress: Progress | None,
        origin: Mapping[str, str | None],
    ) -> None:
        try:
            self._load_generation(dataset, writer, progress, origin)
        finally:  # a request that loads (an import) sees the new version afterwards, even if the load failed
            self._forget_meta()

    def _load_generation(
        self,
        dataset: Dataset,
        writer: Callable[[Dataset, str, Progress | None, int], None],
        progress: Progress | None,
        origin: Mapping[str, str | None],
    ) -> None:
        self._ensure_schema()
        gen = f"g{time.time_ns():x}-{uuid.uuid4().hex[:8]}"
        self._drop_generations(keep="", action="removing leftovers of failed loads")
        self._write(cy.START_GENERATION, {"gen": gen}, "starting a load")
        total = len(dataset.nodes) + len(dataset.edges) + 1  # the last step is the switch
        fingerprint = _in_background(dataset.fingerprint)  # pure Python: overlaps with Neo4j's writing
        try:
            writer(dataset, gen, progress, total)
            self._verify(dataset, gen)
            self._write(cy.RECORD_GENERATION, {"gen": gen, "meta": cy.META_KEY, **origin}, "recording what was loaded")
            self._write(
                cy.SWITCH,
                {
                    "gen": gen,
                    "meta": cy.META_KEY,
                    "fingerprint": fingerprint(),
                    "nodes": len(dataset.nodes),
                    "edges": len(dataset.edges),
                },
                "switching to the new graph",
            )
        except BaseException:
            try:
                self._drop_generation(gen)
            except Exception as err:  # noqa: BLE001 - the next load removes it
                log.warning("could not delete the partial generation %s now (%s); the next load will", gen, err)
            raise
        try:
            self._drop_generations(keep=gen, action="deleting the previous graph")
        except Exception as err:  # noqa: BLE001 - the new graph is served; the next load cleans up
            log.warning("the new graph is served, but the old one was not deleted yet: %s", err)
        if progress:
            progress(total, total, "done")

    def _node_rows(self, dataset: Dataset) -> dict[NodeKind, list[dict[str, Any]]]:
        rows: dict[NodeKind, list[dict[str, Any]]] = {k: [] for k in NodeKind}
        for seq, node in enumerate(dataset.nodes.values()):
            rows[NodeKind(node.kind)].append(
                {"id": node.id, "props": {**without_defaults(node_props(node), type(node)), "seq": seq}}
            )
        return rows

    def _edge_rows(self, dataset: Dataset) -> dict[EdgeKind, list[dict[str, Any]]]:
        rows: dict[EdgeKind, list[dict[str, Any]]] = {k: [] for k in EdgeKind}
        for seq, edge in enumerate(dataset.edges.values()):
            rows[edge.kind].append(
                {
                    "source": edge.source,
                    "target": edge.target,
                    "props": {**without_defaults(edge_props(edge), Edge), "seq": seq},
                }
            )
        return rows

    def _node_jobs(self, dataset: Dataset) -> Iterator[Job]:
        """Yield ``(query, what, rows)`` per node batch, kind by kind.

        Rows are built batch by batch, so that :func:`_prefetched` can build the next batch
        while Neo4j writes this one.
        """
        size = self.batch_size
        nodes: dict[NodeKind, list[tuple[int, Node]]] = {k: [] for k in NodeKind}
        for seq, node in enumerate(dataset.nodes.values()):
            nodes[NodeKind(node.kind)].append((seq, node))
        for kind, items in nodes.items():
            query = cy.node_batch(kind)
            for start in range(0, len(items), size):
                rows = [
                    {"id": n.id, "props": {**without_defaults(node_props(n), type(n)), "seq": seq}}
                    for seq, n in items[start : start + size]
                ]
                yield query, f"{kind.value} nodes", rows

    def _edge_jobs(self, dataset: Dataset, element_ids: Mapping[str, str]) -> Iterator[Job]:
        """Yield ``(query, what, rows)`` per edge batch, kind by kind; endpoints by their ``element_ids``.

        A batch's rows are sorted by target, then source: batches running side by side then lock the
        targets they share (a popular segment, a district) in the same order, so neither can hold one
        the other waits for while waiting for one the other holds. Their sources (firms, mostly) are
        the next rows of the same kind, so seldom shared.
        """

        def element_id(node_id: str) -> str:
            found = element_ids.get(node_id)
            if found is None:
                raise StoreUnavailable(
                    f"the load into Neo4j is incomplete (node {node_id!r} was not written); "
                    "the previous graph is still served"
                )
            return found

        size = self.batch_size
        edges: dict[str, list[tuple[int, Edge]]] = {k.value: [] for k in EdgeKind}
        for seq, edge in enumerate(dataset.edges.values()):
            edges[edge.kind._value_].append((seq, edge))
        for kind, items in edges.items():
            query = cy.edge_batch(kind)
            for start in range(0, len(items), size):
                rows = [
                    {
                        "a": element_id(e.source),
                        "b": element_id(e.target),
                        "props": {**without_defaults(edge_props(e), Edge), "seq": seq},
                    }
                    for seq, e in items[start : start + size]
                ]
                rows.sort(key=_LOCK_ORDER)
                yield query, f"{kind} edges", rows

    def _write_batches(self, dataset: Dataset, gen: str, progress: Progress | None, total: int) -> None:
        """Send every batch, ``writers`` at a time on as many sessions: nodes first, then edges.

        Node batches never share a node. Each returns the ``elementId`` of its nodes, which the edge
        batches then name their endpoints by, so edges start once every node is in. Edge batches of
        one kind may share a target (a popular segment, a district): their rows are sorted by target
        (:meth:`_edge_jobs`), so they lock shared targets in the same order and do not deadlock; kinds
        follow one another (:func:`_send_side_by_side`). Should the server still report a deadlock,
        the driver re-runs the rolled-back batch. While Neo4j writes, a background thread builds the
        next batches (:func:`_prefetched`).
        """
        done = 0
        element_ids: dict[str, str] = {}

        def sent(rows: list[dict[str, Any]], what: str, ids: list[Any]) -> None:
            nonlocal done
            element_ids.update(ids)
            done += len(rows)
            if progress:
                progress(done, total, what)

        with self._translate("loading"), ExitStack() as stack:
            sessions = [stack.enter_context(self._session(write=True)) for _ in range(self.writers)]
            _send_side_by_side(self._node_jobs(dataset), gen, sessions, sent)  # every node is in before edges
            _send_side_by_side(self._edge_jobs(dataset, element_ids), gen, sessions, sent)

    def _write_rows(self, dataset: Dataset, gen: str, progress: Progress | None, total: int) -> None:
        step = max(1, total // 100)
        done = 0
        with self._translate("loading row by row"), self._session(write=True) as session:
            for kind, node_rows in self._node_rows(dataset).items():
                query = cy.node_row(kind)
                for row in node_rows:
                    session.run(query, {"id": row["id"], "gen": gen, "props": row["props"]}).consume()
                    done += 1
                    if progress and done % step == 0:
                        progress(done, total, f"{kind.value} nodes")
            for ekind, edge_rows in self._edge_rows(dataset).items():
                query = cy.edge_row(ekind)
                for row in edge_rows:
                    session.run(query, {**row, "gen": gen}).consume()
                    done += 1
                    if progress and done % step == 0:
                        progress(done, total, f"{ekind.value} edges")

    def _verify(self, dataset: Dataset, gen: str) -> None:
        """Check the staged generation holds every node and edge before readers switch to it."""
        node_rows = self._write(cy.STAGED_NODE_COUNT, {"gen": gen}, "checking the load")
        edge_rows = self._write(cy.STAGED_EDGE_COUNT, {"gen": gen}, "checking the load")
        nodes = int(node_rows[0]["n"]) if node_rows else 0
        edges = int(edge_rows[0]["n"]) if edge_rows else 0
        if (nodes, edges) != (len(dataset.nodes), len(dataset.edges)):
            raise StoreUnavailable(
                f"the load into Neo4j is incomplete ({nodes}/{len(dataset.nodes)} nodes, "
                f"{edges}/{len(dataset.edges)} edges); the previous graph is still served"
            )

    def _drop_generation(self, gen: str) -> None:
        """Delete one generation's nodes (and so its edges) in batches, then its registry entry."""
        while True:
            rows = self._write(cy.DELETE_GENERATION_BATCH, {"gen": gen, "limit": self.batch_size}, "deleting")
            if not rows or not rows[0]["deleted"]:
                break
        self._write(cy.FORGET_GENERATION, {"gen": gen}, "deleting")

    def _drop_generations(self, *, keep: str, action: str) -> None:
        """Delete every generation except the served one and ``keep``."""
        for row in self._write(cy.OTHER_GENERATIONS, {"keep": keep, "meta": cy.META_KEY}, action):
            self._drop_generation(str(row["gen"]))

    # -- reads ---------------------------------------------------------------------

    def _meta(self) -> dict[str, Any] | None:
        """The meta node (``gen``, ``fingerprint``, ``nodes``), or ``None`` before the first load.

        Read once per :func:`request_scope` (the first successful read is kept; a concurrent one
        started in the same scope does not replace it), and at every call outside one.
        """
        memo = _request_meta.get()
        if memo is not None:
            kept = memo.get(self, _UNREAD)
            if kept is not _UNREAD:
                return kept  # type: ignore[no-any-return]
        rows = self._read(cy.META, {"meta": cy.META_KEY}, "reading the graph's version")
        meta = rows[0] if rows else None
        if memo is None:
            return meta
        return memo.setdefault(self, meta)  # type: ignore[no-any-return]

    def _forget_meta(self) -> None:
        """Drop this store's meta node from the open :func:`request_scope` (after a load)."""
        memo = _request_meta.get()
        if memo is not None:
            memo.pop(self, None)

    def node(self, node_id: str) -> Node | None:
        rows = self._read(cy.NODE_BY_ID, {"meta": cy.META_KEY, "id": node_id})
        if not rows:
            return None
        return node_from_props(kind_of(rows[0]["labels"]), rows[0]["props"])

    def nodes(self, kind: NodeKind | str) -> list[Node]:
        nkind = NodeKind(kind)
        rows = self._read(cy.nodes_of_kind(nkind), {"meta": cy.META_KEY})
        out = [node_from_props(nkind, r["props"]) for r in rows]
        out.sort(key=lambda n: n.id)
        return out

    def edges(
        self,
        kind: EdgeKind | str | None = None,
        *,
        source: str | None = None,
        target: str | None = None,
    ) -> list[Edge]:
        ekind = EdgeKind(kind) if kind is not None else None
        query = cy.edges_query(ekind, by_source=source is not None, by_target=target is not None)
        params: dict[str, Any] = {"meta": cy.META_KEY}
        if source is not None:
            params["source"] = source
        if target is not None:
            params["target"] = target
        rows = self._read(query, params)
        out = [edge_from_props(r["kind"], r["source"], r["target"], r["props"]) for r in rows]
        out.sort(key=lambda e: e.key)
        return out

    def snapshot(self) -> Dataset:
        """The served graph as a dataset, in the order it was loaded (so its fingerprint matches)."""
        node_rows = self._read(cy.ALL_NODES, {"meta": cy.META_KEY}, "reading the whole graph")
        edge_rows = self._read(cy.edges_query(None, by_source=False, by_target=False), {"meta": cy.META_KEY})
        node_rows.sort(key=lambda r: (r["props"].get("seq", 0), r["props"]["id"]))
        edge_rows.sort(key=lambda r: (r["props"].get("seq", 0), r["kind"], r["source"], r["target"]))
        return Dataset.of(
            (node_from_props(kind_of(r["labels"]), r["props"]) for r in node_rows),
            (edge_from_props(r["kind"], r["source"], r["target"], r["props"]) for r in edge_rows),
        )

    def counts(self) -> dict[str, object]:
        """Counts as :meth:`graph.dataset.Dataset.counts` gives them, aggregated by Neo4j."""
        nodes: dict[str, int] = {k.value: 0 for k in NodeKind}
        edges: dict[str, int] = {k.value: 0 for k in EdgeKind}
        confidence = {"nodes": {c.value: 0 for c in Confidence}, "edges": {c.value: 0 for c in Confidence}}
        unsourced = {"nodes": 0, "edges": 0}
        firms = {"local": 0, "outside": 0}
        for row in self._read(cy.NODE_COUNTS, {"meta": cy.META_KEY}, "counting"):
            kind, n = str(row["kind"]), int(row["n"])
            nodes[kind] += n
            if kind != NodeKind.SOURCE.value:
                confidence["nodes"][str(row["confidence"] or _DEFAULT_CONFIDENCE)] += n
                if row["unsourced"]:
                    unsourced["nodes"] += n
            if kind == NodeKind.FIRM.value:
                is_local = _FIRM_LOCAL_DEFAULT if row["is_local"] is None else row["is_local"]
                firms["local" if is_local else "outside"] += n
        for row in self._read(cy.EDGE_COUNTS, {"meta": cy.META_KEY}, "counting"):
            n = int(row["n"])
            edges[str(row["kind"])] += n
            confidence["edges"][str(row["confidence"] or _DEFAULT_CONFIDENCE)] += n
            if row["unsourced"]:
                unsourced["edges"] += n
        return {
            "nodes": nodes,
            "edges": edges,
            "firms": firms,
            "confidence": confidence,
            "unsourced": unsourced,
        }

    def version(self) -> str:
        """``neo4j-<generation>-<fingerprint>``; a new generation on every ``replace``."""
        meta = self._meta()
        if meta is None:
            return EMPTY_NEO4J
        return f"neo4j-{meta['gen']}-{meta['fingerprint']}"

    def ping(self) -> dict[str, object]:
        """``{"state": "up", ...}`` with the server and the served graph, or ``{"state": "down", "error"}``."""
        base: dict[str, object] = {"uri": self.uri, "database": self.database}
        try:
            info = self._driver.get_server_info()
            meta = self._meta()
        except Exception as err:  # noqa: BLE001 - ping never raises
            cause = err.__cause__ if isinstance(err, StoreUnavailable) and err.__cause__ else err
            return {"state": "down", **base, "error": f"{type(cause).__name__}: {cause}"}
        return {
            "state": "up",
            **base,
            "server": getattr(info, "agent", ""),
            "generation": meta["gen"] if meta else None,
            "nodes": int(meta["nodes"]) if meta and meta.get("nodes") is not None else 0,
        }

    def close(self) -> None:
        """Release this store's hold on the shared driver (the last one out closes it)."""
        if self._closed:
            return
        self._closed = True
        if self._owns_driver:
            _release_driver(self.uri, self._user)
