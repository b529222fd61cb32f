"""The results of the runner, the unit tests and the cross-check in the shapes the reports and
the verdicts read: report paths relative to the run's folder, files relative to the project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from pathlib import Path

from harness.browser.results import SNAPSHOT_KINDS, AttemptResult, JourneyResult, StepFailure
from harness.core.paths import display_path, relative_path
from harness.core.traffic import Exchange
from harness.report import model as report
from harness.run.plan import PlannedJourney
from harness.stack.watch import ServiceDeath


def _project_file(written: str, root: Path) -> str:
    path = Path(written)
    return relative_path(path if path.is_absolute() else Path.cwd() / path, root)


def step_name(failure: StepFailure) -> str:
    """``click role=button name=Pay``, or the step's own ``name``; the list when not ``steps``."""
    name = failure.name or " ".join(part for part in (failure.kind, failure.locator) if part)
    return name if failure.phase == "steps" else f"{name} (in {failure.phase})"


def failure_message(failure: StepFailure) -> str:
    lines = [failure.message, *(f"via {step}" for step in failure.trail)]
    for label, value in (
        ("locator", failure.locator),
        ("matched", failure.matched),
        ("expected", failure.expected),
        ("actual", failure.actual),
    ):
        if value is not None:  # a value's further lines aligned under its first
            first, *rest = value.splitlines() or [""]
            lines += [f"{label}: {first}", *(" " * (len(label) + 2) + line for line in rest)]
    return "\n".join(lines)


def _failure(failure: StepFailure, journey_file: str, root: Path) -> report.Failure:
    file = _project_file(failure.file, root)
    return report.Failure(
        step=failure.index,
        line=failure.line,
        message=failure_message(failure),
        step_name=step_name(failure),
        file=None if file == journey_file else file,
    )


def _artifacts(attempt: AttemptResult, run_dir: Path) -> report.Artifacts:
    """The attempt's files: the failure screenshot (else the first one), trace, logs, the rest."""
    shots = [a for a in attempt.artifacts if a.kind == "screenshot"]
    shot = next((a for a in shots if a.path.name == "failure.png"), shots[0] if shots else None)
    named = {"screenshot": shot}
    for kind in ("trace", "console", "requests"):
        named[kind] = next((a for a in attempt.artifacts if a.kind == kind), None)
    others = [
        relative_path(a.path, run_dir)
        for a in attempt.artifacts
        if a not in named.values() and a.kind != "snapshot-written"
    ]

    def path(kind: str) -> str | None:
        artifact = named[kind]
        return relative_path(artifact.path, run_dir) if artifact else None

    return report.Artifacts(
        screenshot=path("screenshot"),
        trace=path("trace"),
        console_log=path("console"),
        failed_requests=path("requests"),
        others=tuple(others),
        snapshots=_snapshots(attempt, run_dir),
    )


def _snapshots(attempt: AttemptResult, run_dir: Path) -> tuple[report.SnapshotImages, ...]:
    """The images of each screenshot comparison, by baseline name, in the order they came."""
    found: dict[str, dict[str, str]] = {}
    for artifact in attempt.artifacts:
        if artifact.kind in SNAPSHOT_KINDS:
            role = artifact.kind.removeprefix("snapshot-")
            where = display_path(artifact.path) if role == "written" else None
            found.setdefault(artifact.label, {})[role] = where or relative_path(
                artifact.path, run_dir
            )
    return tuple(report.SnapshotImages(name, **images) for name, images in found.items())


def _window(attempt: AttemptResult) -> report.TimeWindow | None:
    """When the attempt ran, as the runner recorded it (wall clock)."""
    if attempt.started_at is None or attempt.ended_at is None:
        return None
    return report.TimeWindow(attempt.started_at, attempt.ended_at)


def _attempts(
    result: JourneyResult, journey_file: str, run_dir: Path, root: Path
) -> tuple[report.Attempt, ...]:
    if not result.attempts and result.status == "failed":  # the runner could not run it
        crash = report.Failure(0, 0, result.reason or "the journey could not run", kind="error")
        return (report.Attempt(1, "failed", 0.0, crash),)
    return tuple(
        report.Attempt(
            number=attempt.number,
            status=attempt.status,
            duration_s=attempt.duration_s,
            failure=_failure(attempt.failure, journey_file, root) if attempt.failure else None,
            artifacts=_artifacts(attempt, run_dir),
            window=_window(attempt),
            timings=attempt.timings,
        )
        for attempt in result.attempts
    )


def report_journey(
    planned: PlannedJourney, result: JourneyResult, run_dir: Path, root: Path
) -> report.Journey:
    """The journey as report.json, junit.xml and the summary show it."""
    attempts = _attempts(result, planned.id, run_dir, root)
    journey = report.Journey.from_attempts(
        id=planned.id,
        name=result.name,
        file=planned.id,
        attempts=attempts,
        covers=result.covers,
        tags=result.tags,
        quarantine_reason=result.reason if result.status == "quarantined" else None,
        skip_reason=result.reason if result.status == "skipped" else None,
    )
    return journey


def skipped_journey(planned: PlannedJourney, environment: str) -> report.Journey:
    journey = planned.journey
    return report.Journey.from_attempts(
        id=planned.id,
        name=journey.name,
        file=planned.id,
        attempts=(),
        covers=journey.covers,
        tags=journey.tags,
        skip_reason=f"runs only in {', '.join(journey.environments)}, not {environment}",
    )


def traffic_of(result: JourneyResult, journey_id: str) -> list[Exchange]:
    """Every attempt's captured responses, named after the journey as the report names it."""
    return [replace(x, journey=journey_id) for a in result.attempts for x in a.traffic]


def environment_failure(death: ServiceDeath, not_run: Sequence[str]) -> report.EnvironmentFailure:
    """A death the stack watch saw, as the report shows it."""
    return report.EnvironmentFailure(
        service=death.service,
        kind=death.kind,
        at=death.at,
        reason=death.reason,
        exit_code=death.exit_code,
        log_tail=death.log_tail,
        log=death.log,
        not_run=tuple(not_run),
    )


def against_dead_stack(
    journey: report.Journey, death: report.EnvironmentFailure
) -> report.Journey | None:
    """A journey that failed at or after the death ran against a dead stack: its failure is the
    environment's (kind ``error``), not the app's. None when it is not such a journey."""
    attempt = journey.deciding_attempt
    failure = journey.failure
    if journey.status != "failed" or attempt is None or failure is None:
        return None
    if failure.kind == "error" or attempt.window is None or attempt.window.end < death.at:
        return None
    message = f"run against a dead stack: {death.describe()}\n{failure.message}"
    dead = replace(attempt, failure=replace(failure, message=message, kind="error"))
    attempts = tuple(dead if a is attempt else a for a in journey.attempts)
    return report.Journey.from_attempts(
        id=journey.id,
        name=journey.name,
        file=journey.file,
        attempts=attempts,
        covers=journey.covers,
        tags=journey.tags,
    )
