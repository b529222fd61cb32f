"""Explains why a step failed, in the user's words: where, doing what, expected against actual.

Playwright's errors are translated here (at the boundary): a strict-mode violation becomes
"matched N elements", a timeout names the locator and the time it waited. Every text passes
through the attempt's ``Redactor`` before it leaves.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from harness.browser.assertions import NO_ELEMENT, ExpectationFailed
from harness.browser.locators import written
from harness.browser.results import JourneyResult, StepFailure
from harness.browser.session import JourneyTimeout, timeout_words
from harness.core.journey.locators import Locator
from harness.core.journey.model import Step
from harness.core.masking import Redactor
from harness.core.paths import relative_path
from harness.errors import HarnessError


@dataclass(frozen=True)
class StepPlace:
    """Which step failed: its list (``setup``, ``steps``, ``teardown``), number, and the ``use``
    steps it was reached through."""

    phase: str
    index: int
    step: Step
    trail: tuple[str, ...] = ()


class StepFailed(Exception):
    """Stops an attempt's step list; carries the explained failure."""

    def __init__(self, failure: StepFailure) -> None:
        super().__init__(failure.message)
        self.failure = failure


def step_locator(step: Step) -> Locator | None:
    found = getattr(step.action, "locator", None)
    return found if isinstance(found, Locator) else None


def _strict_violation(message: str) -> tuple[str, str] | None:
    match = re.search(r"strict mode violation: .*? resolved to (\d+) elements:?", message)
    if match is None:
        return None
    listed = re.findall(r"^\s*(\d+\) .*)$", message, re.MULTILINE)
    return f"{match.group(1)} elements", "\n".join(listed)


def _first_line(message: str) -> str:
    line = message.strip().splitlines()[0] if message.strip() else "failed"
    return re.sub(r"^[A-Z][A-Za-z]*\.[a-z_]+: (Error: )?", "", line)


def _locator_timeout(
    text: str, kind: str, locator: str, waited: str
) -> tuple[str, str | None, str | None]:
    """A timeout on a locator: nothing matched, or what matched never became actionable."""
    found = re.findall(r"resolved to (.+)$", text, re.MULTILINE)
    if not found:
        return f"no element matched within {waited}", f"an element matching {locator}", "none"
    reasons = re.findall(r"- element (is .+|was .+)$", text, re.MULTILINE)
    why = f" (the element {reasons[-1].strip()})" if reasons else ""
    return f"found the element but could not {kind} it within {waited}{why}", None, found[-1]


def _explain(
    exc: BaseException, kind: str, locator: str | None, budget: float, journey_limited: bool
) -> tuple[str, str | None, str | None]:
    """(message, expected, actual) for an exception raised by a step."""
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    text = str(exc)
    strict = _strict_violation(text)
    if strict is not None:
        count, listed = strict
        message = f"the locator matched {count}; a step's locator must match exactly one"
        hint = "make it more specific: exact, within, has_text or nth"
        return f"{message} ({hint})\n{listed}".rstrip(), "exactly one element", count
    waited = timeout_words(budget)
    if journey_limited and isinstance(exc, (PlaywrightTimeoutError, ExpectationFailed)):
        return f"the journey's timeout ran out during this step ({waited} left)", None, None
    if isinstance(exc, ExpectationFailed):
        message = f"not true within {waited}" if exc.retried else exc.detail
        return message, exc.expected, exc.actual
    if isinstance(exc, PlaywrightTimeoutError):
        if locator:
            return _locator_timeout(text, kind, locator, waited)
        return f"timed out after {waited}: {_first_line(text)}", None, None
    if isinstance(exc, (PlaywrightError, HarnessError, JourneyTimeout)):
        return _first_line(text), None, None
    return f"{type(exc).__name__}: {_first_line(text)}", None, None


def failed_locator(exc: BaseException, step: Step) -> Locator | None:
    """The locator a failure is about: the one the check names, else the step's own."""
    spec = exc.locator if isinstance(exc, ExpectationFailed) and exc.locator else None
    return spec or step_locator(step)


def wants_matches(exc: BaseException) -> bool:
    """Whether what the locator matched explains ``exc``: a check or a wait that ran out (a
    strict-mode violation lists its matches itself)."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeoutError

    return isinstance(exc, (ExpectationFailed, PlaywrightTimeoutError)) and (
        _strict_violation(str(exc)) is None
    )


def explain(
    exc: BaseException,
    place: StepPlace,
    redactor: Redactor,
    budget: float,
    journey_limited: bool = False,
    matched: str | None = None,
) -> StepFailure:
    """The StepFailure for ``exc`` raised by the step at ``place``, with secrets masked;
    ``matched`` says what the step's locator matched when it failed."""
    spec = failed_locator(exc, place.step)
    locator = written(spec) if spec is not None else None
    message, expected, actual = _explain(exc, place.step.kind, locator, budget, journey_limited)
    if actual is None and matched is not None and matched.startswith("no element"):
        actual = NO_ELEMENT
    mask = redactor.mask
    return StepFailure(
        phase=place.phase,
        index=place.index,
        kind=place.step.kind,
        file=place.step.location.file,
        line=place.step.location.line,
        message=mask(message),
        name=place.step.name,
        locator=mask(locator) if locator else None,
        expected=mask(expected) if expected is not None else None,
        actual=mask(actual) if actual is not None else None,
        trail=tuple(mask(t) for t in place.trail),
        matched=mask(matched) if matched is not None else None,
    )


def describe_failure(failure: StepFailure) -> list[str]:
    lines = ["  " + line for line in failure.message.splitlines()]
    lines += [f"  via {step}" for step in failure.trail]
    for label, value in (
        ("locator", failure.locator),
        ("matched", failure.matched),
        ("expected", failure.expected),
        ("actual", failure.actual),
    ):
        if value is not None:
            lines += _labelled(label, value)
    return lines


def _labelled(label: str, value: str) -> list[str]:
    """``  actual:     first line``, further lines of the value aligned under the first."""
    first, *rest = value.splitlines() or [""]
    return [f"  {label + ':':12}{first}", *(f"  {'':12}{line}" for line in rest)]


#: Shorter names of the artifact kinds that do not fit the labels' column.
_ARTIFACT_LABELS = {
    "snapshot-expected": "expected",
    "snapshot-actual": "actual",
    "snapshot-diff": "diff",
    "snapshot-written": "baseline",
    "accessibility": "axe",
}


def describe_result(result: JourneyResult, relative_to: Path | None = None) -> str:
    """The text a person reads about a failed (or flaky) journey: where, what, the evidence."""
    attempt = result.failed_attempt
    if attempt is None or attempt.failure is None:
        return f"Journey '{result.name}' {result.status}"
    failure = attempt.failure
    tried = (
        f" (attempt {attempt.number} of {len(result.attempts)})" if len(result.attempts) > 1 else ""
    )
    lines = [f"Journey '{result.name}' failed{tried}: {failure.headline()}"]
    lines += describe_failure(failure)
    if attempt.teardown_failure is not None and attempt.teardown_failure is not failure:
        lines.append(f"  teardown also failed: {attempt.teardown_failure.headline()}")
        lines += ["  " + line for line in describe_failure(attempt.teardown_failure)]
    for artifact in attempt.artifacts:
        label = _ARTIFACT_LABELS.get(artifact.kind, artifact.kind)
        shown = relative_path(artifact.path, relative_to) if relative_to else artifact.path
        lines.append(f"  {label + ':':12}{shown}")
    if attempt.artifact("trace") is not None:
        lines.append("  (open the trace with: playwright show-trace <trace.zip>)")
    return "\n".join(lines)
