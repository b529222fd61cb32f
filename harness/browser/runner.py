"""Runs a journey in a browser: every attempt it is allowed, and the status they add up to.

The entry point for `harness run` and the pytest plugin::

    settings = RunSettings(run_id="r1", environment="local", urls={"web": "http://..."})
    result = run_journey(browser, load_journey(path), settings, Path(".harness/runs/r1/checkout"))

``result`` is a :class:`~harness.browser.results.JourneyResult`: plain data, secrets masked.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.browser.attempt import run_attempt
from harness.browser.results import AttemptResult, JourneyResult, RunnerStatus
from harness.browser.settings import RunSettings
from harness.core.journey.model import Journey

if TYPE_CHECKING:
    from playwright.sync_api import Browser


def journey_status(attempts: tuple[AttemptResult, ...], quarantined: bool) -> RunnerStatus:
    """quarantined while the quarantine holds; else a pass after a failure is flaky."""
    if quarantined:
        return "quarantined"
    if attempts[-1].status == "failed":
        return "failed"
    return "flaky" if any(a.status == "failed" for a in attempts) else "passed"


def _warnings(journey: Journey, attempts: tuple[AttemptResult, ...]) -> tuple[str, ...]:
    found = [str(problem) for problem in journey.warnings]
    for attempt in attempts:
        found += [w for w in attempt.warnings if w not in found]
    return tuple(found)


def _result(journey: Journey, status: RunnerStatus, **fields: Any) -> JourneyResult:
    quarantine = journey.quarantine.reason if journey.quarantine else None
    return JourneyResult(
        name=journey.name,
        file=journey.file,
        status=status,
        covers=journey.covers,
        tags=journey.tags,
        quarantine=quarantine,
        **fields,
    )


def run_journey(
    browser: Browser, journey: Journey, settings: RunSettings, folder: Path
) -> JourneyResult:
    """Every attempt of ``journey`` (1 + ``retries`` at most) in fresh contexts of ``browser``.

    Attempt N keeps its evidence in ``folder/attempt-N``. A journey whose ``environments`` do
    not list ``settings.environment`` is skipped without opening a page.
    """
    if settings.environment is not None and not journey.runs_in(settings.environment):
        reason = f"runs only in {', '.join(journey.environments)}, not {settings.environment}"
        return _result(journey, "skipped", reason=reason)
    started = time.monotonic()
    attempts: list[AttemptResult] = []
    for number in range(1, journey.retries + 2):
        attempts.append(
            run_attempt(browser, journey, settings, folder / f"attempt-{number}", number)
        )
        if attempts[-1].status == "passed":
            break
    tried = tuple(attempts)
    quarantined = journey.quarantine is not None and journey.quarantine.active(settings.today)
    return _result(
        journey,
        journey_status(tried, quarantined),
        attempts=tried,
        duration_s=round(time.monotonic() - started, 3),
        warnings=_warnings(journey, tried),
        reason=journey.quarantine.reason if quarantined and journey.quarantine else None,
    )
