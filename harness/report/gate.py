"""The gate decision: journey outcomes, verdicts and ``gate.fail_on`` in, the contract's exit
code and its reasons out. Exit codes 2 and 4 are decided before any journey runs."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from harness.report.model import Feature, FinishedRun, Gate, Journey, RunInfo, UnitSuite

EXIT_PASSED = 0
EXIT_JOURNEY_FAILED = 1
EXIT_BAD_INPUT = 2
EXIT_GREEN_BUT_BROKEN = 3
EXIT_ENVIRONMENT = 4
EXIT_NO_JOURNEY = 5

#: What each exit code of the contract means, in the words reports show.
EXIT_MEANINGS = {
    EXIT_PASSED: "the gate passed",
    EXIT_JOURNEY_FAILED: "a journey failed",
    EXIT_BAD_INPUT: "bad input: a journey, an environment, harness.yml or the command line",
    EXIT_GREEN_BUT_BROKEN: "tests green, app broken",
    EXIT_ENVIRONMENT: "the environment could not be started or seeded; no journey ran",
    EXIT_NO_JOURNEY: "no journey was selected",
}

#: What ``gate.fail_on`` in harness.yml may list.
FAIL_ON_CHOICES = ("failed", "green_but_broken", "flaky")
DEFAULT_FAIL_ON = ("failed", "green_but_broken")
_LOUDEST_FIRST = ("green_but_broken", "failed", "flaky")


def normalize_fail_on(fail_on: Iterable[str]) -> tuple[str, ...]:
    """``green-but-broken`` and ``green_but_broken`` are one thing; unknown names are a bug."""
    names = tuple(dict.fromkeys(name.replace("-", "_") for name in fail_on))
    unknown = [name for name in names if name not in FAIL_ON_CHOICES]
    if unknown:
        raise ValueError(f"gate.fail_on: unknown {unknown}; valid: {', '.join(FAIL_ON_CHOICES)}")
    return names


def _where(journey: Journey) -> str:
    failure = journey.failure
    if failure is None:
        return journey.file
    return f"{journey.failing_file}:{failure.line}, step {failure.step}"


def _names(ids: Iterable[str], journeys: Sequence[Journey]) -> str:
    by_id = {j.id: j.name for j in journeys}
    return ", ".join(by_id.get(i, i) for i in ids) or "no journey"


def _green_but_broken(features: Sequence[Feature], journeys: Sequence[Journey]) -> list[str]:
    return [
        f"feature {f.id} is green-but-broken: its {f.unit_tests.passed} unit test(s) pass "
        f"but its journey fails ({_names(f.journeys, journeys)})"
        for f in features
        if f.verdict == "green-but-broken"
    ]


def _failed(journeys: Sequence[Journey]) -> list[str]:
    return [f"journey failed: {j.name} ({_where(j)})" for j in journeys if j.status == "failed"]


def _flaky(journeys: Sequence[Journey]) -> list[str]:
    return [
        f"journey flaky: {j.name} passed only on attempt {len(j.attempts)}"
        for j in journeys
        if j.status == "flaky"
    ]


def _quarantined_failures(journeys: Sequence[Journey]) -> list[str]:
    return [
        f"journey quarantined ({j.reason or 'no reason given'}) and failed: {j.name} "
        f"({_where(j)}); it does not fail the gate"
        for j in journeys
        if j.status == "quarantined" and j.failure is not None
    ]


def _nothing_ran(journeys: Sequence[Journey]) -> Gate | None:
    if not journeys:
        return Gate(False, EXIT_NO_JOURNEY, ("no journey was selected",))
    if all(j.status == "skipped" for j in journeys):
        reason = f"no journey ran: all {len(journeys)} selected journey(s) were skipped"
        return Gate(False, EXIT_NO_JOURNEY, (reason,))
    return None


def decide_gate(
    journeys: Iterable[Journey],
    features: Iterable[Feature],
    fail_on: Iterable[str] = DEFAULT_FAIL_ON,
) -> Gate:
    """Exit 3 (green-but-broken) wins over 1 (a journey failed); 5 when nothing ran."""
    ran, judged, policy = tuple(journeys), tuple(features), normalize_fail_on(fail_on)
    empty = _nothing_ran(ran)
    if empty is not None:
        return Gate(empty.passed, empty.exit_code, empty.reasons, fail_on=policy)
    found = {
        "green_but_broken": _green_but_broken(judged, ran),
        "failed": _failed(ran),
        "flaky": _flaky(ran),
    }
    reasons = [r for name in _LOUDEST_FIRST if name in policy for r in found[name]]
    notes = [r for name in _LOUDEST_FIRST if name not in policy for r in found[name]]
    notes += _quarantined_failures(ran)
    code = EXIT_PASSED
    if reasons:
        gating_gbb = "green_but_broken" in policy and found["green_but_broken"]
        code = EXIT_GREEN_BUT_BROKEN if gating_gbb else EXIT_JOURNEY_FAILED
    return Gate(code == EXIT_PASSED, code, tuple(reasons), tuple(notes), policy)


def early_gate(exit_code: int, reason: str, fail_on: Iterable[str] = DEFAULT_FAIL_ON) -> Gate:
    """The gate of a run stopped before its journeys: bad input (2) or no environment (4)."""
    if exit_code not in (EXIT_BAD_INPUT, EXIT_ENVIRONMENT):
        raise ValueError(f"only exit codes 2 and 4 stop a run early, not {exit_code}")
    return Gate(False, exit_code, (reason,), fail_on=normalize_fail_on(fail_on))


def conclude_run(
    run: RunInfo,
    journeys: Iterable[Journey],
    unit: Iterable[UnitSuite] = (),
    features: Iterable[Feature] = (),
    *,
    fail_on: Iterable[str] = DEFAULT_FAIL_ON,
    secrets: Iterable[str] = (),
) -> FinishedRun:
    """A finished run whose gate is decided from its own journeys and features."""
    ran, judged = tuple(journeys), tuple(features)
    gate = decide_gate(ran, judged, fail_on)
    return FinishedRun(run, gate, ran, tuple(unit), judged, tuple(secrets))
