"""Versioned migrations of the history store, applied in order when a store is opened.

A small numbered list instead of Alembic: the store is embedded, it is created and migrated by
whichever harness command opens it first (a developer's laptop, ten CI jobs at once), never by an
operator running a migration tool. So the migrations live in the package, run inside one
transaction under a lock (SQLite ``BEGIN IMMEDIATE``, Postgres an advisory lock), and only ever
add tables and columns, which both databases do in a transaction. Each migration describes its
own tables as they were then, so a later change to :mod:`harness.history.tables` cannot change
what an old migration does.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from sqlalchemy.schema import CreateColumn

from harness.history import tables

Migration = Callable[[sa.Connection], None]

#: Key of the Postgres advisory lock that serialises migrations of one database.
_LOCK_KEY = 0x4A524E59


def _v1_metadata() -> sa.MetaData:
    """The tables of schema version 1, frozen as they were."""
    meta = sa.MetaData()
    sa.Table("harness_schema", meta, sa.Column("version", sa.Integer, nullable=False))
    run = sa.Table(
        "harness_runs",
        meta,
        sa.Column("id", sa.String(80), primary_key=True),
        sa.Column("environment", sa.String(200), nullable=False),
        sa.Column("started_at", sa.Float, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
        sa.Column("exit_code", sa.Integer, nullable=False),
        sa.Column("commit", sa.String(80)),
        sa.Column("branch", sa.String(300)),
        sa.Column("ci", sa.String(300)),
        *(sa.Column(f"{phase}_s", sa.Float) for phase in tables.PHASES),
        sa.Index("harness_runs_by_environment", "environment", "started_at"),
    )

    def child(name: str, *columns: sa.Column[Any]) -> None:
        run_id = sa.Column("run_id", sa.String(80), sa.ForeignKey(run.c.id), primary_key=True)
        sa.Table(name, meta, run_id, *columns)

    child(
        "harness_journeys",
        sa.Column("journey_id", sa.String(500), primary_key=True),
        sa.Column("name", sa.String(500), nullable=False),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("attempts", sa.Integer, nullable=False),
        sa.Column("duration_s", sa.Float, nullable=False),
    )
    child(
        "harness_services",
        sa.Column("name", sa.String(200), primary_key=True),
        sa.Column("boot_s", sa.Float),
    )
    child(
        "harness_unit_suites",
        sa.Column("name", sa.String(200), primary_key=True),
        *(sa.Column(n, sa.Integer, nullable=False) for n in ("tests", "passed", "failed")),
        sa.Column("skipped", sa.Integer, nullable=False),
        sa.Column("duration_s", sa.Float),
    )
    child(
        "harness_features",
        sa.Column("feature_id", sa.String(300), primary_key=True),
        sa.Column("verdict", sa.String(30), nullable=False),
        sa.Column("mock_ratio", sa.Float),
    )
    return meta


def _v1(connection: sa.Connection) -> None:
    """Runs, journeys, services, unit suites and features."""
    _v1_metadata().create_all(connection)


def _add_column(connection: sa.Connection, table: sa.Table, column: sa.Column[Any]) -> None:
    """ALTER TABLE ADD COLUMN (SQLAlchemy Core has no construct for it): the column's spec is
    compiled by the database's own dialect from the table definition."""
    spec = CreateColumn(column).compile(dialect=connection.dialect)
    connection.exec_driver_sql(f"ALTER TABLE {table.name} ADD COLUMN {spec}")


def _v2(connection: sa.Connection) -> None:
    """A unit suite's kind (unit or integration); the service that held the boot up."""
    _add_column(connection, tables.unit_suites, tables.unit_suites.c.kind)
    _add_column(connection, tables.runs, tables.runs.c.boot_held_by)


def _v3(connection: sa.Connection) -> None:
    """The shard a run was (``--shard I/N``), so that shards never balance later shards."""
    _add_column(connection, tables.runs, tables.runs.c.shard)


#: Migration N brings a store from version N-1 to N.
MIGRATIONS: tuple[Migration, ...] = (_v1, _v2, _v3)


def version_of(connection: sa.Connection) -> int:
    """The schema version of the store (0: a new, empty database)."""
    if not sa.inspect(connection).has_table(tables.schema_version.name):
        return 0
    found = connection.execute(sa.select(sa.func.max(tables.schema_version.c.version)))
    return int(found.scalar() or 0)


def migrate(connection: sa.Connection, target: int = tables.SCHEMA_VERSION) -> int:
    """Bring the store to ``target`` inside the caller's transaction; the version it was at.

    A store newer than this harness is left alone (the tables only ever gain columns, so an
    older harness still reads and writes what it knows)."""
    if connection.dialect.name == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_LOCK_KEY)))
    found = version_of(connection)
    for number in range(found + 1, target + 1):
        MIGRATIONS[number - 1](connection)
    if target > found:
        connection.execute(sa.delete(tables.schema_version))
        connection.execute(sa.insert(tables.schema_version).values(version=target))
    return found
