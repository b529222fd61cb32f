"""Turns the runner's ``JourneyResult`` into the report model that `harness run` hands to the
report writers: artifact paths relative to the run's folder, failures as the writers want them."""

from __future__ import annotations

from pathlib import Path

from harness.browser.failures import describe_failure
from harness.browser.results import AttemptResult, JourneyResult, StepFailure
from harness.report import model


def _relative(path: Path, run_dir: Path) -> str:
    try:
        return path.resolve().relative_to(run_dir.resolve()).as_posix()
    except ValueError:
        return str(path)


def report_artifacts(attempt: AttemptResult, run_dir: Path) -> model.Artifacts:
    """The attempt's files: the failure screenshot (else the first), trace, logs, the rest."""
    named = {a.path.name: a for a in attempt.artifacts}
    screenshot = named.get("failure.png") or next(
        (a for a in attempt.artifacts if a.kind == "screenshot"), None
    )
    picked = {
        "screenshot": screenshot,
        "trace": named.get("trace.zip"),
        "console_log": named.get("console.log"),
        "failed_requests": named.get("requests.log"),
    }
    others = tuple(
        _relative(a.path, run_dir) for a in attempt.artifacts if a not in picked.values()
    )
    return model.Artifacts(
        **{key: _relative(a.path, run_dir) if a else None for key, a in picked.items()},
        others=others,
    )


def report_failure(failure: StepFailure) -> model.Failure:
    """The failure as one message: the headline, then the locator, expected and actual."""
    detail = "\n".join(line.strip() for line in describe_failure(failure))
    return model.Failure(
        step=failure.index,
        line=failure.line,
        message=f"{failure.headline()}\n{detail}",
        step_name=failure.name or failure.kind,
        file=failure.file,
    )


def report_attempt(attempt: AttemptResult, run_dir: Path) -> model.Attempt:
    window = None
    if attempt.started_at and attempt.ended_at:
        window = model.TimeWindow(attempt.started_at, attempt.ended_at)
    return model.Attempt(
        number=attempt.number,
        status=attempt.status,
        duration_s=attempt.duration_s,
        failure=report_failure(attempt.failure) if attempt.failure else None,
        artifacts=report_artifacts(attempt, run_dir),
        window=window,
    )


def report_journey(result: JourneyResult, journey_id: str, run_dir: Path) -> model.Journey:
    """The report model of one journey's result; ``run_dir`` is the run's artifact folder."""
    return model.Journey.from_attempts(
        id=journey_id,
        name=result.name,
        file=result.file,
        attempts=[report_attempt(a, run_dir) for a in result.attempts],
        covers=result.covers,
        tags=result.tags,
        quarantine_reason=result.reason if result.status == "quarantined" else None,
        skip_reason=result.reason if result.status == "skipped" else None,
    )
