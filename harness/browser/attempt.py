"""Runs one attempt of a journey in a fresh browser context: vars, setup, steps, then teardown.

Teardown always runs. The first failure is the one reported; the screenshot is taken the
moment it happens, before teardown changes the page.
"""

from __future__ import annotations

import secrets
import shutil
import time
from datetime import datetime, timezone
from pathlib import Path
from typing import TYPE_CHECKING, Any

from playwright.sync_api import Error as PlaywrightError

from harness.browser.assertions import ExpectationFailed
from harness.browser.capture import TrafficRecorder
from harness.browser.evidence import EvidenceRecorder
from harness.browser.failures import StepFailed, StepPlace, explain, failed_locator, wants_matches
from harness.browser.matches import describe_matches
from harness.browser.results import AttemptResult, StepFailure
from harness.browser.session import Deadline, JourneyTimeout, Session, elapsed_since
from harness.browser.settings import RunSettings
from harness.browser.steps import HANDLERS
from harness.core.journey import actions as a
from harness.core.journey.loader import find_root
from harness.core.journey.model import BrowserOptions, Journey, Step, Use
from harness.core.masking import Redactor
from harness.core.paths import inside
from harness.core.spans import Spans
from harness.core.templating import Context, render
from harness.errors import BrowserError, HarnessError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, BrowserContext, Page


VIDEO_HINT = (
    "\n    Recording video needs Playwright's ffmpeg (`playwright install ffmpeg`);"
    " without it, run without --video"
)

#: What a step may raise that is the journey's failure rather than the harness's bug.
STEP_ERRORS = (PlaywrightError, ExpectationFailed, HarnessError, JourneyTimeout, OSError)


def new_attempt_id(run_id: str) -> str:
    """Unique to one attempt of one journey; safe in emails, URLs and file names."""
    return f"{run_id}-{secrets.token_hex(4)}"


def context_options(
    options: BrowserOptions, settings: RunSettings, root: Path, video_dir: Path | None
) -> dict[str, Any]:
    """Keyword arguments of ``browser.new_context`` for a journey's ``browser`` options."""
    found: dict[str, Any] = dict(settings.context_options)
    state = root / options.storage_state if options.storage_state else None
    if state is not None and not inside(state, root):  # validation says so first
        raise HarnessError(
            f"browser.storage_state '{options.storage_state}' is outside the project"
        )
    if options.device is not None:
        found.update(settings.device(options.device))
    chosen = {
        "viewport": {"width": options.viewport.width, "height": options.viewport.height}
        if options.viewport
        else None,
        "locale": options.locale,
        "timezone_id": options.timezone,
        "color_scheme": options.color_scheme,
        "storage_state": str(state) if state else None,
        "base_url": settings.urls.get("web"),
        "record_video_dir": str(video_dir) if video_dir else None,
    }
    found.update({key: value for key, value in chosen.items() if value is not None})
    return found


class AttemptRun:
    """The steps of one attempt against one session; raises StepFailed on the first failure."""

    def __init__(self, journey: Journey, session: Session) -> None:
        self.journey = journey
        self.session = session

    def evaluate_vars(self) -> None:
        """``vars`` in order, each seeing the ones before it (once per attempt)."""
        for name, text in self.journey.vars.items():
            try:
                self.session.variables[name] = render(text, self.session.templates)
            except HarnessError as exc:  # an unset ${env.X} or ${secrets.X}
                where = self.journey.location
                message = self.session.redactor.mask(f"vars.{name}: {exc}")
                failure = StepFailure("vars", 1, "vars", where.file, where.line, message)
                raise StepFailed(failure) from exc

    def run(
        self,
        steps: tuple[Step, ...],
        phase: str,
        session: Session | None = None,
        trail: tuple[str, ...] = (),
    ) -> None:
        for index, step in enumerate(steps, start=1):
            self.run_step(StepPlace(phase, index, step, trail), session or self.session)

    def run_step(self, place: StepPlace, session: Session) -> None:
        step = place.step
        if isinstance(step.action, Use):
            self._use(place, session, step.action)
            return
        budget, journey_limited = self.journey.step_timeout, False
        try:
            budget, journey_limited = session.deadline.step_budget(
                step.timeout or self.journey.step_timeout
            )
            HANDLERS[type(step.action)](session, step.action, budget * 1000)
            if session.traffic is not None:  # before the next step can navigate away
                session.traffic.settle(session.page)
        except STEP_ERRORS as exc:
            matched = _matches(session, exc, step)
            failure = explain(exc, place, session.redactor, budget, journey_limited, matched)
            raise StepFailed(failure) from exc

    def _use(self, place: StepPlace, session: Session, use: Use) -> None:
        try:
            params = {name: render(text, session.templates) for name, text in use.params.items()}
        except HarnessError as exc:  # an unset ${env.X} in a `with` value
            raise StepFailed(explain(exc, place, session.redactor, 0)) from exc
        where = f"step {place.index} (use {use.path}) at {place.step.location}"
        self.run(use.steps.steps, place.phase, session.scoped(params), (*place.trail, where))


def _matches(session: Session, exc: BaseException, step: Step) -> str | None:
    spec = failed_locator(exc, step)
    if spec is None or not wants_matches(exc):
        return None
    return describe_matches(session.page, spec, session.text)


def _run_phases(attempt: AttemptRun) -> StepFailure | None:
    try:
        attempt.evaluate_vars()
        attempt.run(attempt.journey.setup, "setup")
        attempt.run(attempt.journey.steps, "steps")
    except StepFailed as failed:
        return failed.failure
    return None


def _run_teardown(attempt: AttemptRun) -> StepFailure | None:
    """Every teardown step runs, even after one fails; the first failure is kept."""
    first: StepFailure | None = None
    for index, step in enumerate(attempt.journey.teardown, start=1):
        try:
            attempt.run_step(StepPlace("teardown", index, step), attempt.session)
        except StepFailed as failed:
            first = first or failed.failure
    return first


def _secrets(journey: Journey, base: Context) -> Redactor:
    return Redactor.from_secrets(base.secret_values(journey.secret_names))


def _open_page(
    browser: Browser,
    journey: Journey,
    settings: RunSettings,
    evidence: EvidenceRecorder,
    root: Path,
    traffic: TrafficRecorder | None,
) -> tuple[BrowserContext, Page]:
    """A fresh context (traced, listened to) and its page; BrowserError when that fails."""
    video_dir = evidence.folder / ".video" if evidence.records_video else None
    options = context_options(journey.browser, settings, root, video_dir)
    try:
        with evidence.spans.span("context"):
            context = browser.new_context(**options)
    except PlaywrightError as exc:
        raise BrowserError(f"could not open a browser context: {_first_line(exc)}") from exc
    evidence.attach(context, traffic.on_response if traffic is not None else None)
    try:
        with evidence.spans.span("context"):
            return context, context.new_page()
    except PlaywrightError as exc:
        context.close()
        hint = VIDEO_HINT if "ffmpeg" in str(exc) else ""
        raise BrowserError(f"could not open a page: {_first_line(exc)}{hint}") from exc


def _listeners(journey: Journey) -> dict[str, bool]:
    """Which of the page's events the journey's steps look at: the dialogs when a ``dialog``
    step answers one (unheard, Playwright dismisses them, as the harness does with a dialog
    no step answers), the responses when a ``wait`` step waits for one. Each listener costs
    a message to the browser and work on every event."""
    actions = tuple(journey.actions())
    return {
        "dialogs": any(isinstance(action, a.Dialog) for action in actions),
        "responses": any(
            isinstance(action, a.Wait) and action.response is not None for action in actions
        ),
    }


def _first_line(exc: BaseException) -> str:
    return str(exc).strip().splitlines()[0]


def run_attempt(
    browser: Browser, journey: Journey, settings: RunSettings, folder: Path, number: int
) -> AttemptResult:
    """Run attempt ``number`` of ``journey``; its evidence goes to ``folder``."""
    started, started_at = time.monotonic(), datetime.now(timezone.utc)
    spans = Spans()
    with spans.span("prepare"):
        attempt_id = new_attempt_id(settings.run_id)
        base = settings.templates(attempt_id)
        redactor = _secrets(journey, base)
        evidence = EvidenceRecorder(folder, redactor, settings.policy, number, spans)
        root = find_root(Path(journey.path).parent)
        traffic = TrafficRecorder(redactor, journey.file, number) if settings.capture else None
    context, page = _open_page(browser, journey, settings, evidence, root, traffic)
    with spans.span("listen"):
        if traffic is not None:
            traffic.attach(context)
        session = Session(
            context,
            page,
            base,
            redactor,
            evidence,
            Deadline(journey.timeout),
            root,
            traffic,
            journey_path=Path(journey.path),
            update_snapshots=settings.update_snapshots,
        )
        session.events.listen(page, **_listeners(journey))
        page.set_default_timeout(journey.step_timeout * 1000)
    attempt = AttemptRun(journey, session)
    with spans.span("steps"):
        failure = _run_phases(attempt)
    if failure is not None:
        with spans.span("screenshots"):
            evidence.failure_screenshot(page)
    with spans.span("teardown"):
        teardown_failure = _run_teardown(attempt)
    failed = failure is not None or teardown_failure is not None
    with spans.span("traffic"):
        exchanges = traffic.finish() if traffic is not None else ()
    artifacts = evidence.finish(context, failed)
    shutil.rmtree(folder / ".video", ignore_errors=True)
    return AttemptResult(
        number=number,
        attempt_id=attempt_id,
        status="failed" if failed else "passed",
        duration_s=elapsed_since(started),
        folder=folder,
        failure=failure or teardown_failure,
        teardown_failure=teardown_failure,
        artifacts=artifacts,
        console=tuple(evidence.console),
        failed_requests=tuple(evidence.failed_requests),
        warnings=tuple(session.warnings),
        started_at=started_at,
        ended_at=datetime.now(timezone.utc),
        traffic=exchanges,
        timings=spans.rounded(),
    )
