"""What ``harness run``, ``smoke`` and ``merge`` do with the history store: find it, read the
window of earlier runs, add the finished run. A store that cannot be read or written is a
warning, never a verdict: these functions return the warning instead of raising.

SQLAlchemy is imported only when a store is opened (or a configured URL is read), at the end of
a run: it is half of ``harness run``'s own import time, which a run spends before its first
journey."""

from __future__ import annotations

import os
from collections.abc import Iterable, Mapping
from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from harness.core.history import (
    FeatureRecord,
    JourneyRecord,
    RunHistory,
    RunRecord,
    ServiceRecord,
    SuiteRecord,
    summarize,
)
from harness.core.project import HISTORY_URL_ENV, ProjectConfig
from harness.errors import HistoryError
from harness.history.context import RunContext, run_context
from harness.report.model import FinishedRun, Journey

if TYPE_CHECKING:
    from harness.history.store import HistoryStore

#: The store of a project that names none, relative to its root.
DEFAULT_STORE = ".harness/history.sqlite"


def store_url(project: ProjectConfig, environ: Mapping[str, str] | None = None) -> str:
    """HARNESS_HISTORY_URL, else ``history.url``, else the project's SQLite file; a relative
    SQLite path starts at the project root."""
    env = os.environ if environ is None else environ
    url = env.get(HISTORY_URL_ENV) or project.history.url
    if not url:
        return f"sqlite:///{(project.root / DEFAULT_STORE).as_posix()}"
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        parsed = make_url(url)
    except ArgumentError:
        return url  # the store reports it when opened
    database = parsed.database
    relative = database not in (None, "", ":memory:") and not Path(str(database)).is_absolute()
    if parsed.get_backend_name() == "sqlite" and relative:
        return parsed.set(database=str(project.root / str(database))).render_as_string(False)
    return url


def run_record(finished: FinishedRun, context: RunContext | None = None) -> RunRecord:
    """The finished run as the store keeps it."""
    run, context = finished.run, context or RunContext()
    timings = run.timings
    held = next((s.name for s in run.services if s.held_boot), None)
    return RunRecord(
        id=run.id,
        environment=run.environment,
        started_at=run.started_at.timestamp(),
        duration_s=run.duration_s,
        exit_code=finished.gate.exit_code,
        commit=context.commit,
        branch=context.branch,
        ci=context.ci,
        timings=tuple(
            (name, float(getattr(timings, name)))
            for name in ("boot", "unit", "journeys", "crosscheck", "teardown")
        ),
        boot_held_by=held,
        shard=f"{run.shard.index}/{run.shard.total}" if run.shard else None,
        journeys=tuple(
            JourneyRecord(j.id, j.name, j.status, len(j.attempts), j.duration_s)
            for j in finished.journeys
        ),
        services=tuple(ServiceRecord(s.name, s.boot_s) for s in run.services),
        suites=tuple(
            SuiteRecord(s.name, s.kind, s.tests, s.passed, s.failed, s.skipped, s.duration_s)
            for s in finished.unit
        ),
        features=tuple(FeatureRecord(f.id, f.verdict, f.mock_ratio) for f in finished.features),
    )


def record_run(
    finished_run: FinishedRun,
    store_url: str,
    *,
    root: Path | None = None,
    timeout_s: float | None = None,
    replaces: Iterable[str] = (),
) -> str | None:
    """Write the finished run into the store; the warning to show when it could not be.

    ``root`` is where git is asked for the commit and branch (default: the current folder);
    ``replaces`` are runs this one stands for (the shards of a merged run), removed with it, so
    that a journey is counted once however many machines ran its run. ``timeout_s``: how long
    to wait for the database (default: the store's)."""
    record = run_record(finished_run, run_context(root or Path.cwd()))
    try:
        with _open(store_url, timeout_s) as store:
            store.record(record, replaces)
    except HistoryError as exc:
        return f"history: this run was not recorded: {exc}"
    return None


def read_previous(
    store_url: str,
    environment: str,
    window: int,
    *,
    timeout_s: float | None = None,
    shards: bool = True,
) -> tuple[list[RunRecord], str | None]:
    """The newest ``window`` runs of ``environment`` (without the runs of ``--shard`` when
    ``shards`` is False); ([], warning) when the store cannot be read; ([], None) when it does
    not exist yet (reading never creates it)."""
    from harness.history.store import missing_sqlite_file

    if missing_sqlite_file(store_url):
        return [], None
    try:
        with _open(store_url, timeout_s) as store:
            return store.runs(environment, window, shards=shards), None
    except HistoryError as exc:
        return [], f"history: earlier runs could not be read, so no metric covers them: {exc}"


def _open(store_url: str, timeout_s: float | None) -> HistoryStore:
    from harness.history.store import DEFAULT_TIMEOUT_S, HistoryStore

    waited = DEFAULT_TIMEOUT_S if timeout_s is None else timeout_s
    return HistoryStore.open(store_url, timeout_s=waited)


def prefetch() -> None:
    """Import the store now (from a thread that would otherwise wait), so that recording the
    run at its end does not pay for SQLAlchemy's import."""
    import harness.history.store  # noqa: F401


def history_with(previous: Iterable[RunRecord], finished: FinishedRun, window: int) -> RunHistory:
    """The metrics over the window that ends with ``finished`` (not yet in the store)."""
    current = run_record(finished)
    earlier = [r for r in previous if r.id != current.id]
    return summarize([*earlier, current], window)


def with_history(journeys: Iterable[Journey], history: RunHistory) -> tuple[Journey, ...]:
    """The journeys, each with its metrics over the window."""
    return tuple(replace(j, history=history.journey(j.id)) for j in journeys)


def last_broken(store_url: str, environment: str) -> tuple[set[str] | None, str]:
    """The journeys that failed or were flaky in the last run of ``environment``; None and
    why when that cannot be said (no earlier run, or the store cannot be read)."""
    runs, warning = read_previous(store_url, environment, 1)
    if warning is not None:
        return None, warning
    if not runs:
        return None, f"no earlier run of {environment} is remembered"
    return {j.id for j in runs[-1].journeys if j.status in ("failed", "flaky")}, ""
