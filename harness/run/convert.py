"""The results of the runner, the unit tests and the cross-check in the shapes the reports and
the verdicts read: report paths relative to the run's folder, files relative to the project."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

from harness.browser.results import AttemptResult, JourneyResult, StepFailure
from harness.core import journey_results as core
from harness.report import model as report
from harness.run.crosscheck import journey_result_of
from harness.run.plan import PlannedJourney


def relative(path: Path, folder: Path) -> str:
    """``path`` from ``folder`` (POSIX), or as it is when it lies elsewhere."""
    try:
        return path.resolve().relative_to(folder.resolve()).as_posix()
    except ValueError:
        return path.as_posix()


def _project_file(written: str, root: Path) -> str:
    path = Path(written)
    return relative(path if path.is_absolute() else Path.cwd() / path, root)


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
            lines.append(f"{label}: " + value.replace("\n", "\n" + " " * (len(label) + 2)))
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
    named: dict[str, str | None] = dict.fromkeys(("screenshot", "trace", "console", "requests"))
    others = []
    for artifact in attempt.artifacts:
        path = relative(artifact.path, run_dir)
        if artifact.kind in named and named[artifact.kind] is None:
            named[artifact.kind] = path
        else:
            others.append(path)
    return report.Artifacts(
        screenshot=named["screenshot"],
        trace=named["trace"],
        console_log=named["console"],
        failed_requests=named["requests"],
        others=tuple(others),
    )


def _windows(attempts: Sequence[AttemptResult], started: datetime) -> list[report.TimeWindow]:
    """Attempts run back to back from ``started``; their durations give their windows."""
    windows, start = [], started
    for attempt in attempts:
        end = start + timedelta(seconds=attempt.duration_s)
        windows.append(report.TimeWindow(start, end))
        start = end
    return windows


def _attempts(
    result: JourneyResult, journey_file: str, started: datetime, run_dir: Path, root: Path
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
            window=window,
        )
        for attempt, window in zip(result.attempts, _windows(result.attempts, started), strict=True)
    )


def report_journey(
    planned: PlannedJourney,
    result: JourneyResult,
    started: datetime,
    run_dir: Path,
    root: Path,
) -> report.Journey:
    """The journey as report.json, junit.xml and the summary show it."""
    attempts = _attempts(result, planned.id, started, run_dir, root)
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


def verdict_journey(journey: report.Journey, crashed: bool = False) -> core.JourneyResult:
    """The journey as the cross-check judges it; one the harness could not run says nothing
    about its features (``error``: their verdict is inconclusive)."""
    judged = journey_result_of(journey)
    return replace(judged, status="error", failure=None) if crashed else judged
