"""Runs a journey in a browser: every attempt it is allowed, and the status they add up to.

The entry point for `harness run` and the pytest plugin::

    settings = RunSettings(run_id="r1", environment="local", urls={"web": "http://..."})
    result = run_journey(browser, load_journey(path), settings, Path(".harness/runs/r1/checkout"))

``result`` is a :class:`~harness.browser.results.JourneyResult`: plain data, secrets masked.
"""

from __future__ import annotations

import difflib
import os
import time
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from harness.browser.attempt import run_attempt
from harness.browser.evidence import ArtifactPolicy
from harness.browser.results import AttemptResult, JourneyResult, JourneyStatus
from harness.core.journey.model import Journey
from harness.core.templating import Context
from harness.errors import UsageError

if TYPE_CHECKING:
    from playwright.sync_api import Browser


@dataclass(frozen=True)
class RunSettings:
    """What every journey of one run shares.

    ``urls`` come from the environment (``web`` is the base URL); ``env`` backs ``${env.X}``
    and ``${secrets.X}`` (default: this process's environment); ``context_options`` are extra
    ``browser.new_context`` arguments (e.g. pytest-playwright's ``--device``); ``devices`` are
    Playwright's device descriptors, for a journey's ``browser: {device: ...}``; ``capture``
    records each attempt's JSON traffic (``AttemptResult.traffic``) for the mock-drift check.
    """

    run_id: str
    environment: str | None = None
    urls: Mapping[str, str] = field(default_factory=dict)
    policy: ArtifactPolicy = field(default_factory=ArtifactPolicy)
    env: Mapping[str, str] | None = None
    context_options: Mapping[str, Any] = field(default_factory=dict)
    devices: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    today: date | None = None
    capture: bool = True

    def templates(self, attempt_id: str) -> Context:
        """The templating context of one attempt (no variables yet)."""
        env = dict(os.environ if self.env is None else self.env)
        return Context(env=env, urls=dict(self.urls), run_id=self.run_id, attempt_id=attempt_id)

    def device(self, name: str) -> Mapping[str, Any]:
        if name in self.devices:
            return self.devices[name]
        close = difflib.get_close_matches(name, list(self.devices), n=1)
        hint = f" Did you mean '{close[0]}'?" if close else ""
        raise UsageError(f"browser.device: Playwright knows no device '{name}'.{hint}")


def journey_status(attempts: tuple[AttemptResult, ...], quarantined: bool) -> JourneyStatus:
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


def _result(journey: Journey, status: JourneyStatus, **fields: Any) -> JourneyResult:
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
