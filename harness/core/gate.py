"""The one gate: journey outcomes, feature verdicts and ``gate.fail_on`` in, the contract's exit
code and its reasons out. ``harness run``, ``harness crosscheck`` and ``harness merge`` all decide
here, so the same results always give the same exit code.

Which code wins when several apply (docs/reports.md, "The gate")::

    4  the environment died under the journeys (every verdict is inconclusive then)
    5  no journey ran
    3  a green-but-broken feature
    1  a journey failed (or was flaky, with ``flaky`` in ``fail_on``)
    4  a journey the harness could not run (status ``error``)
    6  a policy limit was not met, or a mock drifted (with ``drift`` in ``fail_on``)
    0  the gate passed
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from harness.contract import (
    DEFAULT_FAIL_ON,
    EXIT_BAD_INPUT,
    EXIT_ENVIRONMENT,
    EXIT_GREEN_BUT_BROKEN,
    EXIT_JOURNEY_FAILED,
    EXIT_NO_JOURNEY,
    EXIT_PASSED,
    EXIT_POLICY,
    FAIL_ON_WORDS,
)
from harness.core.journey_results import JudgedJourney
from harness.core.verdict import FeatureVerdict


@dataclass(frozen=True)
class Gate:
    """The gate's decision: the exit code of the contract, why, and what did not count."""

    passed: bool
    exit_code: int
    reasons: tuple[str, ...] = ()
    notes: tuple[str, ...] = ()
    fail_on: tuple[str, ...] = ()


def normalize_fail_on(fail_on: Iterable[str]) -> tuple[str, ...]:
    """``green-but-broken`` and ``green_but_broken`` are one thing; unknown names are a bug
    (harness.yml's schema refuses them before they get here)."""
    names = tuple(dict.fromkeys(name.replace("-", "_") for name in fail_on))
    unknown = [name for name in names if name not in FAIL_ON_WORDS]
    if unknown:
        raise ValueError(f"gate.fail_on: unknown {unknown}; valid: {', '.join(FAIL_ON_WORDS)}")
    return names


def _where(journey: JudgedJourney) -> str:
    failure = journey.failure
    if failure is None or failure.line is None:
        return journey.file or journey.id
    return f"{failure.file or journey.file or journey.id}:{failure.line}, step {failure.step}"


def _green_but_broken(verdicts: Sequence[FeatureVerdict]) -> list[str]:
    """Each green-but-broken feature, naming only the journeys that failed."""
    return [
        f"feature {v.feature} is green-but-broken: its {v.unit_passed} unit test(s) pass "
        f"but {_failing(v.failed_journeys)}"
        for v in verdicts
        if v.verdict == "green-but-broken"
    ]


def _failing(journeys: Sequence[JudgedJourney]) -> str:
    names = ", ".join(j.name for j in journeys)
    return f"its journey fails ({names})" if len(journeys) == 1 else f"its journeys fail ({names})"


def _failed(journeys: Sequence[JudgedJourney]) -> list[str]:
    return [f"journey failed: {j.name} ({_where(j)})" for j in journeys if j.status == "failed"]


def _flaky(journeys: Sequence[JudgedJourney]) -> list[str]:
    return [
        f"journey flaky: {j.name} passed only on attempt {j.attempts}"
        for j in journeys
        if j.status == "flaky"
    ]


def _errored(journeys: Sequence[JudgedJourney]) -> list[str]:
    return [
        f"journey could not run: {j.name} ({j.failure.message if j.failure else 'no result'}); "
        "its features are inconclusive"
        for j in journeys
        if j.status == "error"
    ]


def _quarantined_failures(journeys: Sequence[JudgedJourney]) -> list[str]:
    return [
        f"journey quarantined ({j.reason or 'no reason given'}) and failed: {j.name} "
        f"({_where(j)}); it does not fail the gate"
        for j in journeys
        if j.status == "quarantined" and j.failure is not None
    ]


def _drift(
    drift: Sequence[tuple[str, str]], failing: set[str], gating: bool
) -> tuple[list[str], list[str]]:
    """Mock drift: a reason each with ``drift`` in fail_on (a policy: exit 6 when nothing
    louder applies), else notes: on features with a failed journey, the likely reason; on
    the others, a warning (stale mocks)."""
    if gating:
        return [f"mock drift ({feature}): {sentence}" for feature, sentence in drift], []
    broken = [(f, s) for f, s in drift if f in failing]
    stale = [(f, s) for f, s in drift if f not in failing]
    notes = []
    if broken:
        notes.append(
            f"mock drift in {_names(broken)}: {len(broken)} mock difference(s) from the real "
            "responses, the likely reason the unit tests did not see the defect"
        )
    if stale:
        notes.append(
            f"mock drift in {_names(stale)}: {len(stale)} mock difference(s) from the real "
            "responses (a warning; with drift in gate.fail_on it fails the gate)"
        )
    return [], notes


def _names(drift: Sequence[tuple[str, str]]) -> str:
    return ", ".join(dict.fromkeys(feature for feature, _ in drift))


def _nothing_ran(journeys: Sequence[JudgedJourney]) -> str | None:
    if not journeys:
        return "no journey was selected"
    if all(j.status == "skipped" for j in journeys):
        return f"no journey ran: all {len(journeys)} selected journey(s) were skipped"
    return None


_LOUDEST_FIRST = ("green_but_broken", "failed", "flaky")


def decide_gate(
    journeys: Iterable[JudgedJourney],
    verdicts: Iterable[FeatureVerdict],
    fail_on: Iterable[str] = DEFAULT_FAIL_ON,
    *,
    environment_failure: str | None = None,
    policy: Iterable[str] = (),
    drift: Iterable[tuple[str, str]] = (),
) -> Gate:
    """The exit code and its reasons, in the order of the module's docstring. ``policy`` are
    the policy limits not met, each a sentence naming the figure against its limit; ``drift``
    is (feature, sentence) for each mock the real responses contradict."""
    ran, judged, words = tuple(journeys), tuple(verdicts), normalize_fail_on(fail_on)
    if environment_failure is not None:
        return Gate(False, EXIT_ENVIRONMENT, (environment_failure,), fail_on=words)
    nothing = _nothing_ran(ran)
    if nothing is not None:
        return Gate(False, EXIT_NO_JOURNEY, (nothing,), fail_on=words)
    found = {
        "green_but_broken": _green_but_broken(judged),
        "failed": _failed(ran),
        "flaky": _flaky(ran),
    }
    gating = [r for name in _LOUDEST_FIRST if name in words for r in found[name]]
    notes = [r for name in _LOUDEST_FIRST if name not in words for r in found[name]]
    notes += _quarantined_failures(ran)
    failing = {v.feature for v in judged if v.failed_journeys}
    stale, warned = _drift(tuple(drift), failing, "drift" in words)
    errored, limits = _errored(ran), (*policy, *stale)
    notes += warned
    if gating:
        loud = "green_but_broken" in words and found["green_but_broken"]
        code = EXIT_GREEN_BUT_BROKEN if loud else EXIT_JOURNEY_FAILED
    elif errored:
        code = EXIT_ENVIRONMENT
    elif limits:
        code = EXIT_POLICY
    else:
        code = EXIT_PASSED
    reasons = (*gating, *errored, *limits)
    return Gate(code == EXIT_PASSED, code, reasons, tuple(notes), words)


def early_gate(exit_code: int, reason: str, fail_on: Iterable[str] = DEFAULT_FAIL_ON) -> Gate:
    """The gate of a run stopped before its journeys: bad input (2) or no environment (4)."""
    if exit_code not in (EXIT_BAD_INPUT, EXIT_ENVIRONMENT):
        raise ValueError(f"only exit codes 2 and 4 stop a run early, not {exit_code}")
    return Gate(False, exit_code, (reason,), fail_on=normalize_fail_on(fail_on))
