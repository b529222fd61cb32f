"""The history store: runs written and read back through SQLAlchemy Core, in a SQLite file
(``.harness/history.sqlite`` by default) or a team's shared Postgres.

Parallel writers lose nothing: each run is one transaction. SQLite runs in WAL mode (readers
never block the writer), takes the write lock at ``BEGIN IMMEDIATE`` (so two writers queue
instead of deadlocking on a lock upgrade) and waits for it up to ``timeout_s``, retrying a
transaction that still found the file busy; Postgres needs only its transactions. Every
database error leaves here as :class:`~harness.errors.HistoryError`, password masked.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import sqlalchemy as sa
import sqlalchemy.exc
from sqlalchemy.engine import URL, make_url

from harness.core.history import (
    FeatureRecord,
    JourneyRecord,
    RunRecord,
    ServiceRecord,
    SuiteRecord,
)
from harness.errors import HistoryError
from harness.history import tables
from harness.history.migrations import migrate

T = TypeVar("T")
#: Seconds a writer waits for another one's lock before the store counts as locked.
DEFAULT_TIMEOUT_S = 10.0


def shown_url(url: str | URL) -> str:
    """The store's URL as messages show it: never its password."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except sqlalchemy.exc.ArgumentError:
        return "(a history URL that is not valid)"


def _engine_url(url: str) -> URL:
    try:
        parsed = make_url(url)
    except sqlalchemy.exc.ArgumentError as exc:
        raise HistoryError(
            f"history.url is not a database URL ({exc}); valid: "
            "postgresql://user@host/db, sqlite:///path/history.sqlite"
        ) from None
    if parsed.drivername in ("postgresql", "postgres"):  # the driver the harness ships with
        parsed = parsed.set(drivername="postgresql+psycopg")
    if parsed.get_backend_name() == "sqlite" and parsed.database not in (None, "", ":memory:"):
        Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
    return parsed


def missing_sqlite_file(url: str) -> bool:
    """Whether ``url`` names a SQLite file that does not exist yet: a store with no run in it,
    which a command that only reads (``harness history``, the window before a run) must not
    create."""
    try:
        parsed = make_url(url)
    except sqlalchemy.exc.ArgumentError:
        return False  # opening it says what is wrong
    database = parsed.database
    if parsed.get_backend_name() != "sqlite" or database in (None, "", ":memory:"):
        return False
    return not Path(database).exists()


def _sqlite_engine(url: URL, timeout_s: float) -> sa.Engine:
    engine = sa.create_engine(url, connect_args={"timeout": timeout_s})

    @sa.event.listens_for(engine, "connect")
    def _connect(dbapi_connection: Any, _record: object) -> None:
        # The driver's own transaction handling is off, so that BEGIN below is the only one.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(timeout_s * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def _begin(connection: sa.Connection) -> None:
        connection.exec_driver_sql("BEGIN IMMEDIATE")

    return engine


def _busy(error: sqlalchemy.exc.DBAPIError) -> bool:
    text = str(error.orig).lower()
    return "locked" in text or "busy" in text


class HistoryStore:
    """One open store: :meth:`record` a run, read :meth:`runs` back."""

    def __init__(self, engine: sa.Engine, url: str, timeout_s: float) -> None:
        self.engine = engine
        self.url = url
        self.timeout_s = timeout_s

    @classmethod
    def open(cls, url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> HistoryStore:
        """Connect, and create or migrate the schema; HistoryError when that cannot be done."""
        try:
            parsed = _engine_url(url)
        except OSError as exc:
            raise HistoryError(f"history store {shown_url(url)}: {exc}") from exc
        if parsed.get_backend_name() == "sqlite":
            engine = _sqlite_engine(parsed, timeout_s)
        else:
            engine = sa.create_engine(parsed, connect_args={"connect_timeout": int(timeout_s)})
        store = cls(engine, url, timeout_s)
        try:
            store._transaction(migrate)
        except HistoryError:
            engine.dispose()
            raise
        return store

    def close(self) -> None:
        self.engine.dispose()

    def __enter__(self) -> HistoryStore:
        return self

    def __exit__(self, *_exc: object) -> None:
        self.close()

    # --- transactions with the store's errors and retries ---------------------------------

    def _transaction(self, work: Callable[[sa.Connection], T]) -> T:
        deadline = time.monotonic() + self.timeout_s
        while True:
            try:
                with self.engine.begin() as connection:
                    return work(connection)
            except sqlalchemy.exc.DBAPIError as exc:
                if _busy(exc) and time.monotonic() < deadline:
                    time.sleep(0.05)
                    continue
                raise self._error(exc) from exc
            except sqlalchemy.exc.SQLAlchemyError as exc:
                raise self._error(exc) from exc
            except ModuleNotFoundError as exc:
                raise HistoryError(
                    f"history store {shown_url(self.url)}: the database driver is missing "
                    f"({exc.name}); for Postgres: pip install 'harness[postgres]'"
                ) from exc

    def _error(self, exc: sqlalchemy.exc.SQLAlchemyError) -> HistoryError:
        cause = getattr(exc, "orig", None) or exc
        first = str(cause).strip().splitlines()[0] if str(cause).strip() else type(cause).__name__
        if isinstance(exc, sqlalchemy.exc.DBAPIError) and _busy(exc):
            first = f"locked by another writer for more than {self.timeout_s:g}s ({first})"
        return HistoryError(f"history store {shown_url(self.url)}: {first}")

    # --- writing ------------------------------------------------------------------------

    def record(self, run: RunRecord, replaces: Iterable[str] = ()) -> None:
        """Write one run (replacing a run of the same id, and the runs ``replaces`` names:
        the shards a merged run is made of) in one transaction."""
        gone = [run.id, *replaces]
        self._transaction(lambda connection: _write(connection, run, gone))

    # --- reading ------------------------------------------------------------------------

    def runs(self, environment: str | None, window: int, *, shards: bool = True) -> list[RunRecord]:
        """The newest ``window`` runs of ``environment`` (any when None), oldest first;
        without the runs of ``--shard`` when ``shards`` is False."""
        return self._transaction(lambda c: _read(c, environment, window, shards=shards))

    def environments(self) -> list[str]:
        """Every environment with a remembered run, the most recently run first."""
        newest = sa.func.max(tables.runs.c.started_at)
        query = (
            sa.select(tables.runs.c.environment)
            .group_by(tables.runs.c.environment)
            .order_by(newest.desc())
        )
        return self._transaction(lambda c: [row[0] for row in c.execute(query)])


@contextmanager
def open_store(url: str, *, timeout_s: float = DEFAULT_TIMEOUT_S) -> Iterator[HistoryStore]:
    store = HistoryStore.open(url, timeout_s=timeout_s)
    try:
        yield store
    finally:
        store.close()


def _write(connection: sa.Connection, run: RunRecord, gone: list[str]) -> None:
    for child in tables.CHILDREN:
        connection.execute(sa.delete(child).where(child.c.run_id.in_(gone)))
    connection.execute(sa.delete(tables.runs).where(tables.runs.c.id.in_(gone)))
    connection.execute(sa.insert(tables.runs).values(_run_row(run)))
    rows: Sequence[tuple[sa.Table, list[dict[str, Any]]]] = (
        (tables.journeys, [_journey_row(run.id, j) for j in run.journeys]),
        (
            tables.services,
            [{"run_id": run.id, "name": s.name, "boot_s": s.boot_s} for s in run.services],
        ),
        (tables.unit_suites, [_suite_row(run.id, s) for s in run.suites]),
        (tables.features, [_feature_row(run.id, f) for f in run.features]),
    )
    for table, values in rows:
        if values:
            connection.execute(sa.insert(table), values)


def _run_row(run: RunRecord) -> dict[str, Any]:
    timings = dict(run.timings)
    return {
        "id": run.id,
        "environment": run.environment,
        "started_at": run.started_at,
        "duration_s": run.duration_s,
        "exit_code": run.exit_code,
        "commit": run.commit,
        "branch": run.branch,
        "ci": run.ci,
        "boot_held_by": run.boot_held_by,
        "shard": run.shard,
        **{f"{phase}_s": timings.get(phase) for phase in tables.PHASES},
    }


def _journey_row(run_id: str, journey: JourneyRecord) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "journey_id": journey.id,
        "name": journey.name,
        "status": journey.status,
        "attempts": journey.attempts,
        "duration_s": journey.duration_s,
    }


def _suite_row(run_id: str, suite: SuiteRecord) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "name": suite.name,
        "kind": suite.kind,
        "tests": suite.tests,
        "passed": suite.passed,
        "failed": suite.failed,
        "skipped": suite.skipped,
        "duration_s": suite.duration_s,
    }


def _feature_row(run_id: str, feature: FeatureRecord) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "feature_id": feature.id,
        "verdict": feature.verdict,
        "mock_ratio": feature.mock_ratio,
    }


def _read(
    connection: sa.Connection, environment: str | None, window: int, *, shards: bool = True
) -> list[RunRecord]:
    runs = tables.runs
    query = sa.select(runs).order_by(runs.c.started_at.desc(), runs.c.id.desc()).limit(window)
    if environment is not None:
        query = query.where(runs.c.environment == environment)
    if not shards:
        query = query.where(runs.c.shard.is_(None))
    found = list(reversed(connection.execute(query).mappings().all()))
    ids = [row["id"] for row in found]
    children = {table.name: _children(connection, table, ids) for table in tables.CHILDREN}
    return [_run_record(row, children) for row in found]


def _children(
    connection: sa.Connection, table: sa.Table, ids: list[str]
) -> dict[str, list[sa.RowMapping]]:
    grouped: dict[str, list[sa.RowMapping]] = {run_id: [] for run_id in ids}
    for chunk in _chunks(ids, 500):  # a bounded IN list, whatever the window
        query = sa.select(table).where(table.c.run_id.in_(chunk))
        for row in connection.execute(query).mappings():
            grouped[row["run_id"]].append(row)
    return grouped


def _chunks(items: list[str], size: int) -> Iterable[list[str]]:
    return (items[start : start + size] for start in range(0, len(items), size))


def _run_record(
    row: sa.RowMapping, children: dict[str, dict[str, list[sa.RowMapping]]]
) -> RunRecord:
    run_id = row["id"]

    def of(table: sa.Table) -> list[sa.RowMapping]:
        key = table.primary_key.columns.values()[1].name
        return sorted(children[table.name][run_id], key=lambda r: str(r[key]))

    return RunRecord(
        id=run_id,
        environment=row["environment"],
        started_at=row["started_at"],
        duration_s=row["duration_s"],
        exit_code=row["exit_code"],
        commit=row["commit"],
        branch=row["branch"],
        ci=row["ci"],
        boot_held_by=row["boot_held_by"],
        shard=row["shard"],
        timings=tuple(
            (phase, row[f"{phase}_s"]) for phase in tables.PHASES if row[f"{phase}_s"] is not None
        ),
        journeys=tuple(
            JourneyRecord(r["journey_id"], r["name"], r["status"], r["attempts"], r["duration_s"])
            for r in of(tables.journeys)
        ),
        services=tuple(ServiceRecord(r["name"], r["boot_s"]) for r in of(tables.services)),
        suites=tuple(
            SuiteRecord(
                r["name"],
                r["kind"],
                r["tests"],
                r["passed"],
                r["failed"],
                r["skipped"],
                r["duration_s"],
            )
            for r in of(tables.unit_suites)
        ),
        features=tuple(
            FeatureRecord(r["feature_id"], r["verdict"], r["mock_ratio"])
            for r in of(tables.features)
        ),
    )
