"""The history store's tables as they are now (the newest schema version), in SQLAlchemy Core:
one row per run, and per run one row per journey, service, unit suite and feature.

:mod:`harness.history.migrations` brings an older store up to this; change a table here only
together with a new migration there."""

from __future__ import annotations

import sqlalchemy as sa

#: The schema version these tables are; ``migrations.MIGRATIONS`` ends at it.
SCHEMA_VERSION = 3

#: The phases of a run whose seconds a run row keeps (``<phase>_s``).
PHASES = ("boot", "unit", "journeys", "crosscheck", "teardown")

metadata = sa.MetaData()

#: One row: the version of the schema the store is at.
schema_version = sa.Table(
    "harness_schema",
    metadata,
    sa.Column("version", sa.Integer, nullable=False),
)

runs = sa.Table(
    "harness_runs",
    metadata,
    sa.Column("id", sa.String(80), primary_key=True),
    sa.Column("environment", sa.String(200), nullable=False),
    sa.Column("started_at", sa.Float, nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
    sa.Column("exit_code", sa.Integer, nullable=False),
    sa.Column("commit", sa.String(80)),
    sa.Column("branch", sa.String(300)),
    sa.Column("ci", sa.String(300)),
    *(sa.Column(f"{phase}_s", sa.Float) for phase in PHASES),
    sa.Column("boot_held_by", sa.String(200)),  # version 2
    sa.Column("shard", sa.String(20)),  # version 3: "I/N" for a run of --shard I/N
    sa.Index("harness_runs_by_environment", "environment", "started_at"),
)

journeys = sa.Table(
    "harness_journeys",
    metadata,
    sa.Column("run_id", sa.String(80), sa.ForeignKey(runs.c.id), primary_key=True),
    sa.Column("journey_id", sa.String(500), primary_key=True),
    sa.Column("name", sa.String(500), nullable=False),
    sa.Column("status", sa.String(20), nullable=False),
    sa.Column("attempts", sa.Integer, nullable=False),
    sa.Column("duration_s", sa.Float, nullable=False),
)

services = sa.Table(
    "harness_services",
    metadata,
    sa.Column("run_id", sa.String(80), sa.ForeignKey(runs.c.id), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("boot_s", sa.Float),
)

unit_suites = sa.Table(
    "harness_unit_suites",
    metadata,
    sa.Column("run_id", sa.String(80), sa.ForeignKey(runs.c.id), primary_key=True),
    sa.Column("name", sa.String(200), primary_key=True),
    sa.Column("tests", sa.Integer, nullable=False),
    sa.Column("passed", sa.Integer, nullable=False),
    sa.Column("failed", sa.Integer, nullable=False),
    sa.Column("skipped", sa.Integer, nullable=False),
    sa.Column("duration_s", sa.Float),
    sa.Column("kind", sa.String(20), nullable=False, server_default="unit"),  # version 2
)

features = sa.Table(
    "harness_features",
    metadata,
    sa.Column("run_id", sa.String(80), sa.ForeignKey(runs.c.id), primary_key=True),
    sa.Column("feature_id", sa.String(300), primary_key=True),
    sa.Column("verdict", sa.String(30), nullable=False),
    sa.Column("mock_ratio", sa.Float),
)

#: Every table that hangs off a run, in the order a run's rows are removed.
CHILDREN = (journeys, services, unit_suites, features)
