"""Postgres connections and the migrations: SQL files applied in order, recorded in a table."""

from __future__ import annotations

import time
from pathlib import Path

import psycopg
from psycopg.rows import dict_row

MIGRATIONS = Path(__file__).parent / "migrations"
LOCK_ID = 7_301_001  # an advisory lock, so two starting processes never migrate at once


def connect(url: str, *, timeout: float = 5) -> psycopg.Connection[dict[str, object]]:
    return psycopg.connect(url, connect_timeout=max(1, int(timeout)), row_factory=dict_row)


def wait_for_database(url: str, *, timeout: float = 60) -> psycopg.Connection[dict[str, object]]:
    """Connect, retrying while the database is still starting."""
    deadline = time.monotonic() + timeout
    while True:
        try:
            return connect(url)
        except psycopg.OperationalError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def apply_migrations(
    conn: psycopg.Connection[dict[str, object]], folder: Path = MIGRATIONS
) -> list[str]:
    """Apply the migrations not yet recorded in ``schema_migrations``; return their names."""
    applied: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (LOCK_ID,))
        conn.execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations ("
            " version text PRIMARY KEY, applied_at timestamptz NOT NULL DEFAULT now())"
        )
        done = {row["version"] for row in conn.execute("SELECT version FROM schema_migrations")}
        for path in sorted(folder.glob("*.sql")):
            if path.stem not in done:
                conn.execute(path.read_text(encoding="utf-8"))
                conn.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (path.stem,))
                applied.append(path.stem)
    return applied
