"""``harness history``: the runs the history store remembers, as a table or as JSON."""

from __future__ import annotations

import json
from dataclasses import replace

import click

from harness.core.history import RunHistory, summarize
from harness.core.project import load_project
from harness.errors import UsageError
from harness.history.recorder import store_url
from harness.history.store import missing_sqlite_file, open_store, shown_url
from harness.report.history_view import history_document, history_text


@click.command("history")
@click.option("--json", "as_json", is_flag=True, help="Print the metrics as JSON.")
@click.option("--journey", "journey_id", metavar="ID", help="Only this journey (its id).")
@click.option(
    "--window",
    type=click.IntRange(min=1),
    metavar="N",
    help="Look back over the last N runs (default: history.window, else 30).",
)
@click.option("--env", "env", metavar="NAME", help="This environment (default: the last run's).")
@click.option(
    "--config", type=click.Path(dir_okay=False), help="harness.yml (default: found upwards)."
)
def history_command(
    as_json: bool, journey_id: str | None, window: int | None, env: str | None, config: str | None
) -> None:
    """Flaky rate, durations and start-up times over the last runs of one environment.

    Journeys are listed most recently broken first, then the flakiest, then the slowest.
    """
    project = load_project(config)
    size = window or project.history.window
    url = store_url(project)
    environment, runs = env, []
    if not missing_sqlite_file(url):  # a command that only reads never creates the store
        with open_store(url) as store:
            environment = env or next(iter(store.environments()), None)
            runs = store.runs(environment, size) if environment is not None else []
    history = summarize(runs, size)
    if environment is not None and not runs and env is not None:
        raise UsageError(f"--env {env}: no run of this environment is remembered")
    history = _only(history, journey_id)
    if not runs and environment is None and not as_json:
        click.echo(f"No run is remembered yet: {_nothing_at(url)}; `harness run` records each run.")
        return
    if as_json:
        click.echo(json.dumps(history_document(history), indent=2))
        return
    click.echo(history_text(history, {r.id: r.started_at for r in runs}), nl=False)


def _only(history: RunHistory, journey_id: str | None) -> RunHistory:
    if journey_id is None:
        return history
    found = history.journey(journey_id)
    if found is None:
        known = ", ".join(j.id for j in history.journeys) or "none"
        raise UsageError(
            f"--journey {journey_id}: no such journey in the last {history.runs} run(s); "
            f"known: {known}"
        )
    return replace(history, journeys=(found,))


def _nothing_at(url: str) -> str:
    if missing_sqlite_file(url):
        return f"there is no history store at {shown_url(url).removeprefix('sqlite:///')}"
    return f"the history store {shown_url(url)} holds no run"
