"""The history store against real databases: a SQLite file and a real Postgres in Docker.
Runs recorded and read back, two processes writing at once, a version-1 store migrated, and an
unreadable or locked store reported as a warning that names it (never its password)."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
import sqlalchemy as sa

from harness.core.history import (
    FeatureRecord,
    JourneyRecord,
    RunRecord,
    ServiceRecord,
    SuiteRecord,
    summarize,
)
from harness.errors import HistoryError
from harness.history import tables
from harness.history.migrations import migrate, version_of
from harness.history.recorder import read_previous, record_run
from harness.history.store import HistoryStore
from harness.report.model import FinishedRun, Gate, RunInfo, utc_now

ROOT = Path(__file__).resolve().parents[2]
PASSWORD = "pw-9f3Kq"


def a_run(number: int, environment: str = "staging", *, flaky: bool = False) -> RunRecord:
    return RunRecord(
        id=f"run-{number:05d}",
        environment=environment,
        started_at=1_700_000_000.0 + number,
        duration_s=30.0 + number,
        exit_code=0,
        commit="abc123",
        branch="main",
        ci="github:42",
        timings=(("boot", 4.0), ("journeys", 20.0)),
        boot_held_by="postgres",
        journeys=(
            JourneyRecord("checkout", "Guest buys a mug", "flaky" if flaky else "passed", 2, 9.5),
            JourneyRecord("search", "Search finds a mug", "passed", 1, 3.0 + number),
        ),
        services=(ServiceRecord("postgres", 3.25), ServiceRecord("web", None)),
        suites=(SuiteRecord("api", "integration", 10, 9, 1, 0, 4.5),),
        features=(FeatureRecord("cart", "verified", 0.25),),
    )


@pytest.fixture(scope="module")
def postgres_url(docker_client: Any, base_image: str) -> Iterator[str]:
    """A real Postgres (the project's locally built stand-in), published on 127.0.0.1."""
    image = (ROOT / "images" / "postgres" / "Dockerfile").read_text().splitlines()[0]
    tag = image.removeprefix("# image:").strip()
    container = docker_client.containers.run(
        tag,
        detach=True,
        name=f"history-store-{uuid.uuid4().hex[:8]}",
        labels={"org.harness.test": "history-store"},
        environment={"POSTGRES_USER": "ci", "POSTGRES_PASSWORD": PASSWORD, "POSTGRES_DB": "h"},
        ports={"5432/tcp": ("127.0.0.1", None)},
    )
    try:
        deadline = time.monotonic() + 90
        while container.exec_run(["pg_isready", "-h", "127.0.0.1", "-U", "ci", "-d", "h"])[0]:
            assert time.monotonic() < deadline, container.logs().decode()[-2000:]
            time.sleep(0.5)
        container.reload()
        port = container.ports["5432/tcp"][0]["HostPort"]
        yield f"postgresql://ci:{PASSWORD}@127.0.0.1:{port}/h"
    finally:
        container.remove(force=True, v=True)


@pytest.fixture(params=["sqlite", "postgres"])
def url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """A fresh, empty store of each kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'store' / 'history.sqlite'}"
        return
    base = request.getfixturevalue("postgres_url")
    yield base
    engine = sa.create_engine(base.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        for table in (*tables.CHILDREN, tables.runs, tables.schema_version):
            connection.execute(sa.text(f"DROP TABLE IF EXISTS {table.name}"))
    engine.dispose()


@pytest.mark.docker
def test_runs_are_recorded_and_read_back_newest_window_oldest_first(url: str) -> None:
    with HistoryStore.open(url) as store:
        for number in range(8):
            store.record(a_run(number, flaky=number % 2 == 0))
        store.record(a_run(100, environment="local"))
        store.record(a_run(7))  # the same run again replaces it
        runs = store.runs("staging", 5)
        assert store.environments() == ["local", "staging"]
    assert [r.id for r in runs] == [f"run-{n:05d}" for n in range(3, 8)]
    assert runs[-1] == a_run(7)  # every field as written
    history = summarize(runs, 5)
    checkout = history.journey("checkout")
    assert checkout is not None
    assert (checkout.runs, checkout.flaky, checkout.flaky_rate) == (5, 2, 0.4)
    assert history.services[0].median_boot_s == 3.25


WRITER = textwrap.dedent(
    """
    import sys
    from harness.core.history import JourneyRecord, RunRecord
    from harness.history.store import HistoryStore
    url, name = sys.argv[1], sys.argv[2]
    store = HistoryStore.open(url)
    for n in range(40):
        journeys = tuple(JourneyRecord(f"j{i}", f"J{i}", "passed", 1, 1.0) for i in range(5))
        store.record(RunRecord(f"{name}-{n}", "ci", 1000.0 + n, 1.0, 0, journeys=journeys))
    store.close()
    """
)


@pytest.mark.docker
def test_two_processes_writing_at_once_lose_nothing(url: str) -> None:
    HistoryStore.open(url).close()  # both find the schema there, as in CI after the first run
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, name], stderr=subprocess.PIPE)
        for name in ("shard-a", "shard-b")
    ]
    for writer in writers:
        _, error = writer.communicate(timeout=240)
        assert writer.returncode == 0, error.decode()[-3000:]
    with HistoryStore.open(url) as store:
        runs = store.runs("ci", 1000)
    assert len(runs) == 80
    assert {len(r.journeys) for r in runs} == {5}


@pytest.mark.docker
def test_two_processes_creating_a_new_store_at_once_both_succeed(url: str) -> None:
    writers = [
        subprocess.Popen([sys.executable, "-c", WRITER, url, name], stderr=subprocess.PIPE)
        for name in ("first", "second")
    ]
    for writer in writers:
        _, error = writer.communicate(timeout=240)
        assert writer.returncode == 0, error.decode()[-3000:]
    with HistoryStore.open(url) as store:
        assert len(store.runs("ci", 1000)) == 80


@pytest.mark.docker
def test_a_version_1_store_is_migrated_and_keeps_its_runs(url: str) -> None:
    """And, once migrated, it keeps which runs were shards, which the balance leaves out."""
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True)
    engine = sa.create_engine(url.replace("postgresql://", "postgresql+psycopg://"))
    with engine.begin() as connection:
        migrate(connection, target=1)
        old = sa.MetaData()
        old.reflect(connection)
        assert "kind" not in old.tables["harness_unit_suites"].c  # really the old shape
        connection.execute(
            sa.insert(old.tables["harness_runs"]).values(
                id="old-1", environment="staging", started_at=1.0, duration_s=2.0, exit_code=1
            )
        )
        connection.execute(
            sa.insert(old.tables["harness_unit_suites"]).values(
                run_id="old-1", name="shop", tests=3, passed=2, failed=1, skipped=0
            )
        )
    engine.dispose()
    with HistoryStore.open(url) as store:
        store.record(a_run(5))
        store.record(replace(a_run(6), shard="2/3"))
        runs = store.runs("staging", 30)
        whole = store.runs("staging", 30, shards=False)
        with store.engine.connect() as connection:
            assert version_of(connection) == tables.SCHEMA_VERSION == 3
    old_run = runs[0]
    assert (old_run.id, old_run.exit_code, old_run.boot_held_by) == ("old-1", 1, None)
    assert old_run.shard is None
    assert old_run.suites == (SuiteRecord("shop", "unit", 3, 2, 1, 0, None),)
    assert runs[1:] == [a_run(5), replace(a_run(6), shard="2/3")]
    assert [r.id for r in whole] == ["old-1", "run-00005"]


def _finished() -> FinishedRun:
    return FinishedRun(RunInfo("r-1", "staging", utc_now(), 1.0), Gate(True, 0))


def test_an_unreadable_sqlite_store_is_a_warning_naming_it(tmp_path: Path) -> None:
    store = tmp_path / "history.sqlite"
    store.write_bytes(b"this is not a database, it is a text file someone copied here\n" * 50)
    url = f"sqlite:///{store}"
    with pytest.raises(HistoryError, match="not a database"):
        HistoryStore.open(url)
    warning = record_run(_finished(), url, root=tmp_path)
    assert warning is not None
    assert warning.startswith("history: this run was not recorded: history store sqlite:///")
    assert "file is not a database" in warning
    runs, read_warning = read_previous(url, "staging", 30)
    assert runs == []
    assert read_warning is not None
    assert "earlier runs could not be read" in read_warning


def test_a_locked_sqlite_store_is_a_warning_after_its_timeout(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'history.sqlite'}"
    HistoryStore.open(url).close()
    holder = sqlite3.connect(tmp_path / "history.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing and never finishing
    try:
        started = time.monotonic()
        warning = record_run(_finished(), url, root=tmp_path, timeout_s=1.0)
        waited = time.monotonic() - started
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert warning is not None
    assert "locked by another writer for more than 1s" in warning
    assert 0.9 < waited < 20
    assert record_run(_finished(), url, root=tmp_path) is None  # free again: it is written


@pytest.mark.docker
def test_a_postgres_store_that_refuses_is_a_warning_without_its_password(
    postgres_url: str,
) -> None:
    wrong = postgres_url.replace(PASSWORD, "not-the-password")
    warning = record_run(_finished(), wrong, timeout_s=5)
    assert warning is not None
    assert "password authentication failed" in warning
    assert "not-the-password" not in warning
    assert PASSWORD not in warning
    assert "postgresql://ci:***@127.0.0.1:" in warning


def test_a_store_nobody_listens_on_is_a_warning(tmp_path: Path) -> None:
    with socket_closed() as port:
        warning = record_run(_finished(), f"postgresql://ci:x@127.0.0.1:{port}/h", timeout_s=3)
    assert warning is not None
    assert "connection" in warning.lower()
    assert f"127.0.0.1:{port}" in warning


def test_a_url_that_is_not_a_database_url_is_named(tmp_path: Path) -> None:
    warning = record_run(_finished(), "not a url at all", root=tmp_path)
    assert warning is not None
    assert "history.url is not a database URL" in warning


def test_reading_a_store_that_does_not_exist_creates_nothing(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`harness history` in a folder where nothing ran, and the window a first run reads,
    leave no empty store behind: only writing a run creates it."""
    from click.testing import CliRunner

    from harness.cli import cli

    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("HARNESS_HISTORY_URL", raising=False)
    shown = CliRunner().invoke(cli, ["history"])
    assert shown.exit_code == 0, shown.output
    assert "No run is remembered yet: there is no history store at " in shown.output
    as_json = CliRunner().invoke(cli, ["history", "--json"])
    assert json.loads(as_json.output)["runs"] == 0
    url = f"sqlite:///{tmp_path / 'deep' / 'history.sqlite'}"
    assert read_previous(url, "staging", 30) == ([], None)
    assert not (tmp_path / ".harness").exists()
    assert not (tmp_path / "deep").exists()
    assert record_run(_finished(), url, root=tmp_path) is None
    assert [r.id for r in read_previous(url, "staging", 30)[0]] == ["r-1"]


class socket_closed:
    """A port on 127.0.0.1 that nothing listens on (bound, then released)."""

    def __enter__(self) -> int:
        import socket

        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port: int = probe.getsockname()[1]
        return port

    def __exit__(self, *_exc: object) -> None:
        return None
