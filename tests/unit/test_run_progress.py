"""What a run prints while it runs, and the options it accepts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from harness.core.environment import load_environment
from harness.errors import UsageError
from harness.report.model import Attempt, Failure, Journey
from harness.run.options import RunOptions
from harness.run.progress import BootWatch, Progress, boot_watch, describe_services


def test_the_boot_watch_says_who_waits_on_whom_until_the_stack_says_ready() -> None:
    out = io.StringIO()
    watch = BootWatch(
        Progress(out),
        {"db": (), "cache": (), "web": ("db", "cache"), "migrate": ("db",)},
        {"db": "its health check", "cache": "its container", "web": "its health check"},
    )
    assert watch.waiting_lines(5.0) == [
        "db: waiting on its health check (5.0s)",
        "cache: waiting on its container (5.0s)",
        "web: waiting on db, cache (5.0s)",
        "migrate: waiting on db (5.0s)",
    ]
    watch.heard("db is healthy")
    watch.heard("migrate one-shot service exited 0")
    watch.heard("building web")  # not a readiness line
    assert watch.waiting_lines(9.0) == [
        "cache: waiting on its container (9.0s)",
        "web: waiting on cache (9.0s)",
    ]
    assert out.getvalue().splitlines() == [
        "  db is healthy",
        "  migrate one-shot service exited 0",
        "  building web",
    ]


def test_services_and_dependencies_come_from_the_compose_files(tmp_path: Path) -> None:
    (tmp_path / "compose.yml").write_text(
        "services:\n"
        "  db: {image: db, healthcheck: {test: [CMD, x]}}\n"
        "  web: {image: web, depends_on: {db: {condition: service_healthy}}}\n"
        "  worker: {image: web, depends_on: [db, web]}\n"
    )
    (tmp_path / "env.yml").write_text(
        "compose: {files: [compose.yml]}\nurls: {web: 'http://127.0.0.1:${compose.web.80}'}\n"
    )
    environment = load_environment(tmp_path / "env.yml", tmp_path)
    watch = boot_watch(environment, Progress(io.StringIO()))
    assert describe_services(environment) == ["db", "web", "worker"]
    assert watch.waiting_lines(1.0) == [
        "db: waiting on its health check (1.0s)",
        "web: waiting on db (1.0s)",
        "worker: waiting on db, web (1.0s)",
    ]


def test_a_finished_journey_is_one_line_with_its_retries_and_failing_step() -> None:
    failure = Failure(
        step=3, line=14, message="not true within 3s\nexpected: 1", step_name="expect"
    )
    journey = Journey.from_attempts(
        id="j.journey.yml",
        name="Buy a mug",
        file="j.journey.yml",
        attempts=(Attempt(1, "failed", 1.0, failure), Attempt(2, "failed", 1.5, failure)),
    )
    out = io.StringIO()
    Progress(out, secrets=("mug",)).journey(journey)
    assert out.getvalue().splitlines() == [
        "FAILED      Buy a *** (2.5s, 2 attempts, j.journey.yml:14)",
        "    attempt 1 failed at step 3 (expect): not true within 3s; retried",
        "    step 3 (expect): not true within 3s",
    ]


def test_a_failure_that_announces_a_list_shows_its_first_item_and_how_many_follow() -> None:
    message = (
        "the response differs from the step's expect:\n"
        "  status: expected 200, got 404\n"
        "  item 0: key 'genre' missing\n"
        "  at '#': expected 2, got 3\n"
        "expected: status 200\nactual: 404: nothing"
    )
    failure = Failure(step=1, line=3, message=message, step_name="request")
    journey = Journey.from_attempts(
        id="a.journey.yml",
        name="Books",
        file="a.journey.yml",
        attempts=(Attempt(1, "failed", 1.0, failure),),
    )
    out = io.StringIO()
    Progress(out).journey(journey)
    assert out.getvalue().splitlines()[1] == (
        "    step 1 (request): the response differs from the step's expect: "
        "status: expected 200, got 404 (and 2 more)"
    )


@pytest.mark.parametrize(
    ("given", "message"),
    [
        ({"keep": True, "reuse": True}, "--keep and --reuse exclude each other"),
        ({"workers": 0}, "--workers 0: give 1 or more"),
        ({"shard": "3/2"}, "--shard '3/2'"),
        ({"keyword": "a and"}, "-k 'a and'"),
    ],
)
def test_contradicting_or_malformed_options_are_usage_errors(
    given: dict[str, object], message: str
) -> None:
    with pytest.raises(UsageError, match=message):
        RunOptions.from_command_line(**given)  # type: ignore[arg-type]


def test_workers_default_to_the_cores_and_never_exceed_the_journeys() -> None:
    assert RunOptions(workers=8).worker_count(3) == 3
    assert RunOptions(workers=2).worker_count(10) == 2
    assert 1 <= RunOptions().worker_count(100) <= 100
    assert RunOptions().worker_count(0) == 1


def test_a_process_check_shows_the_port_of_the_boot_never_a_placeholder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROBE_TOKEN", "s3cret-token")
    (tmp_path / "env.yml").write_text(
        "processes:\n"
        "  - name: web\n"
        "    command: [app, '${port.web}']\n"
        "    ready: {http: 'http://127.0.0.1:${port.web}/-/versions.json'}\n"
        "  - name: api\n"
        "    command: [api]\n"
        "    ready: {http: 'http://127.0.0.1:${port.web}/?t=${secrets.PROBE_TOKEN}'}\n"
        "urls: {web: 'http://127.0.0.1:${port.web}'}\n"
    )
    environment = load_environment(tmp_path / "env.yml", tmp_path)
    watch = boot_watch(environment, Progress(io.StringIO()), {"web": "43121"})
    assert watch.waiting_lines(2.0) == [
        "web: waiting on http http://127.0.0.1:43121/-/versions.json (2.0s)",
        "api: waiting on http http://127.0.0.1:43121/?t=*** (2.0s)",
    ]
