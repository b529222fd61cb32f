"""Journey results as the cross-check sees them, whoever ran the journeys: the browser runner
(through ``harness run``), or a JUnit report read back (the harness's own junit.xml, the pytest
plugin's report, or any runner's with ``covers``/``feature`` properties)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from harness.contract import JOURNEY_STATUSES, JOURNEY_SUFFIXES, JourneyStatus
from harness.core.junit import JUnitCase, JUnitReport


@dataclass(frozen=True)
class JourneyFailure:
    """Where a journey failed: the step (1-based, with its text), the line, and its artifacts;
    ``file`` is the shared steps file the step is in, when it is not the journey's own."""

    message: str
    step: int | None = None
    step_text: str = ""
    line: int | None = None
    artifacts: tuple[str, ...] = ()
    file: str | None = None

    def describe(self) -> str:
        where = f"step {self.step}" if self.step is not None else "a step"
        where += f" ({self.step_text})" if self.step_text else ""
        where += f", line {self.line}" if self.line is not None else ""
        first_line = next(iter(self.message.strip().splitlines()), "")
        return f"{where}: {first_line}"


@dataclass(frozen=True)
class JudgedJourney:
    """One journey's outcome as the cross-check and the gate judge it, whoever ran it:
    ``error`` means the harness or the environment failed under it."""

    id: str
    name: str
    status: JourneyStatus
    covers: tuple[str, ...]
    failure: JourneyFailure | None = None
    attempts: int = 1
    file: str | None = None
    reason: str | None = None


_OUTCOME_STATUS: dict[str, JourneyStatus] = {
    "passed": "passed",
    "failed": "failed",
    "error": "error",  # pytest: a fixture (the environment) failed in setup
    "skipped": "skipped",
}
# The harness writes "step 4 (click: Pay) at journeys/buy.journey.yml:12: message" (junit.xml),
# or "Journey 'Buy' failed (attempt 2 of 2): step 3 (expect) at journeys/buy.journey.yml:7"
# followed by indented detail lines (its pytest plugin).
_STEP_AT = re.compile(r"step (\d+)(?: \(([^)\n]*)\))? at (\S+?):(\d+)(?::[ \t]*(.*))?")
_ARTIFACT_LINE = re.compile(r"^\s*(screenshot|trace|video):\s+(\S+)\s*$")
_ATTEMPT_OF = re.compile(r"\(attempt (\d+) of \d+\)")
_STATUS_PROPERTIES = ("status", "harness_status")


def journeys_from_junit(report: JUnitReport) -> tuple[JudgedJourney, ...]:
    """One journey per test case; suite properties count too, since the harness's junit.xml
    puts a journey's ``covers``, ``status`` and artifacts on its one-case suite."""
    return tuple(
        _journey(case, suite.properties + case.properties)
        for suite in report.suites
        for case in suite.cases
    )


def _journey(case: JUnitCase, properties: tuple[tuple[str, str], ...]) -> JudgedJourney:
    values: dict[str, list[str]] = {}
    for key, value in properties:
        values.setdefault(key, []).append(value)
    status = _journey_status(case, [v for k in _STATUS_PROPERTIES for v in values.get(k, [])])
    covers = [
        f.strip()
        for key in ("covers", "feature")
        for v in values.get(key, [])
        for f in v.split(",")
        if f.strip()
    ]
    return JudgedJourney(
        id=(values.get("journey.id") or [case.dotted_name])[0],
        name=case.name,
        status=status,
        covers=tuple(dict.fromkeys(covers)),
        failure=_journey_failure(case, values) if status == "failed" else None,
        attempts=_int((values.get("attempts") or ["0"])[0]) or _attempts_said(case),
        file=(values.get("journey.file") or [case.file or _file_of(case.classname)])[0] or None,
    )


def _attempts_said(case: JUnitCase) -> int:
    found = _ATTEMPT_OF.search(case.message)
    return int(found.group(1)) if found else 1 + case.reruns


def _file_of(classname: str) -> str:
    """``journeys.cart.journey.yml`` (the pytest plugin's classname) -> its file's path."""
    for suffix in JOURNEY_SUFFIXES:
        if classname.endswith(suffix):
            return classname.removesuffix(suffix).replace(".", "/") + suffix
    return ""


def _journey_status(case: JUnitCase, said: list[str]) -> JourneyStatus:
    for value in said:
        if value in JOURNEY_STATUSES:
            return value  # type: ignore[return-value]
    if case.outcome == "passed" and case.flaky:
        return "flaky"
    return _OUTCOME_STATUS[case.outcome]


def _journey_failure(case: JUnitCase, values: dict[str, list[str]]) -> JourneyFailure:
    artifacts = [v for key, vs in values.items() if key.startswith("artifact") for v in vs]
    # pytest may shorten the message attribute; the element's text has all of it
    text = case.details if _STEP_AT.search(case.details) else case.message or case.details
    match = _STEP_AT.search(text)
    if match is None:
        step, _, step_text = (values.get("step") or [""])[-1].partition(": ")
        first = next(iter(text.strip().splitlines()), "")
        return JourneyFailure(first, _int(step) or None, step_text, None, tuple(artifacts))
    step, step_text, _file, line, same_line = match.groups()
    details = []
    for rest in text[match.end() :].splitlines():
        found = _ARTIFACT_LINE.match(rest)
        if found:
            artifacts.append(found.group(2))
        elif rest.strip() and not rest.strip().startswith(("(", "[")):
            details.append(" ".join(rest.split()))
    message = "; ".join(filter(None, [same_line or "", *details]))
    return JourneyFailure(
        message, int(step), step_text or "", int(line), tuple(dict.fromkeys(artifacts))
    )


def _int(text: str) -> int:
    return int(text) if text.strip().isdigit() else 0
