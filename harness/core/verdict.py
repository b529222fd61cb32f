"""The verdict per feature: do the unit tests and the real journeys agree? When the unit tests
are green and a journey fails, the verdict is ``green-but-broken``, with its evidence.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Literal

from harness.core.features import FeatureLinks, LinkedTest, UnitTest
from harness.core.journey_results import JourneyResult
from harness.core.mocks import MockCount, MockRatio

Verdict = Literal[
    "verified",
    "green-but-broken",
    "red-but-working",
    "broken",
    "journey-only",
    "no-journey",
    "flaky",
    "inconclusive",
]

#: What each verdict means, in the words the table and the docs use.
MEANINGS: dict[str, str] = {
    "verified": "unit tests pass and every journey passes",
    "green-but-broken": "unit tests pass but a journey fails: the tests do not see the defect",
    "red-but-working": "journeys pass but unit tests fail: stale or over-mocked tests",
    "broken": "a journey fails, and no passing unit test claims otherwise",
    "journey-only": "journeys pass; no unit test is linked",
    "no-journey": "unit tests are linked but no journey covers the feature",
    "flaky": "a journey passed only on a retry",
    "inconclusive": "the environment failed, so the journeys could not say",
}


@dataclass(frozen=True)
class UnitEvidence:
    """A unit test linked to the feature, with its outcome and how heavily it mocks."""

    test: LinkedTest
    mocks: MockCount | None

    def describe(self) -> str:
        case = self.test.test.case
        mocks = str(self.mocks) if self.mocks is not None else "mocks unknown (source not found)"
        return f"{self.test.test.label} [{self.test.test.source}] {case.outcome}, {mocks}"


@dataclass(frozen=True)
class FeatureVerdict:
    """The verdict on one feature and everything it rests on."""

    feature: str
    verdict: Verdict
    journeys: tuple[JourneyResult, ...]
    unit_tests: tuple[UnitEvidence, ...]
    ratio: MockRatio
    evidence: tuple[str, ...]

    @property
    def unit_passed(self) -> int:
        return sum(1 for u in self.unit_tests if u.test.test.case.outcome == "passed")

    @property
    def unit_failed(self) -> int:
        return sum(1 for u in self.unit_tests if u.test.test.case.outcome in ("failed", "error"))

    def as_report(self) -> dict[str, object]:
        """The feature's entry in report.json (``features[]``), plus the mock ratio."""
        return {
            "id": self.feature,
            "verdict": self.verdict,
            "journeys": [j.id for j in self.journeys],
            "unit_tests": {
                "linked": len(self.unit_tests),
                "passed": self.unit_passed,
                "failed": self.unit_failed,
            },
            "evidence": list(self.evidence),
            "mocks": {
                "mocked": self.ratio.mocked,
                "real": self.ratio.real,
                "unknown": self.ratio.unknown,
                "flagged": self.ratio.flagged,
            },
        }


def decide(
    journeys: Sequence[JourneyResult],
    unit: Sequence[LinkedTest],
    *,
    environment_failed: bool = False,
) -> Verdict:
    """The matrix of the contract, plus flaky, inconclusive and no-journey."""
    ran = [j for j in journeys if j.status not in ("skipped", "quarantined")]
    tests = [t for t in unit if t.test.case.outcome != "skipped"]
    if not ran:
        return "no-journey"
    if environment_failed or any(j.status == "error" for j in ran):
        return "inconclusive"
    unit_failed = any(t.test.case.outcome in ("failed", "error") for t in tests)
    if any(j.status == "failed" for j in ran):
        return "green-but-broken" if tests and not unit_failed else "broken"
    if any(j.status == "flaky" for j in ran):
        return "flaky"
    if not tests:
        return "journey-only"
    return "red-but-working" if unit_failed else "verified"


def judge(
    links: Iterable[FeatureLinks],
    journeys: Sequence[JourneyResult],
    mock_count: Callable[[UnitTest], MockCount | None] = lambda test: None,
    *,
    environment_failed: bool = False,
) -> tuple[FeatureVerdict, ...]:
    """A verdict for every feature that harness.yml, a journey or a unit test names."""
    by_id = {j.id: j for j in journeys}
    known = sorted({f for j in journeys for f in j.covers})
    verdicts = []
    for feature in links:
        covering = tuple(by_id[j] for j in feature.journeys if j in by_id)
        evidence_tests = tuple(UnitEvidence(t, mock_count(t.test)) for t in feature.unit_tests)
        verdict = decide(covering, feature.unit_tests, environment_failed=environment_failed)
        if environment_failed and feature.journeys:
            verdict = "inconclusive"  # its journeys never ran
        ratio = MockRatio.from_counts(u.mocks for u in evidence_tests if _ran(u))
        verdicts.append(
            FeatureVerdict(
                feature=feature.feature,
                verdict=verdict,
                journeys=covering,
                unit_tests=evidence_tests,
                ratio=ratio,
                evidence=_evidence(verdict, feature.feature, covering, evidence_tests, known),
            )
        )
    return tuple(verdicts)


def _ran(unit: UnitEvidence) -> bool:
    return unit.test.test.case.outcome != "skipped"


def _evidence(
    verdict: Verdict,
    feature: str,
    journeys: Sequence[JourneyResult],
    unit: Sequence[UnitEvidence],
    known: Sequence[str],
) -> tuple[str, ...]:
    lines = [line for j in journeys if j.status == "failed" for line in _failure_lines(j)]
    if verdict == "green-but-broken":
        lines += [f"unit test claimed it works: {u.describe()}" for u in unit if _ran(u)]
    elif verdict in ("red-but-working", "broken"):
        lines += [f"unit test failed: {u.describe()}" for u in unit if _failed_test(u)]
    elif verdict == "flaky":
        lines += [_flaky_line(j) for j in journeys if j.status == "flaky"]
    elif verdict == "no-journey":
        lines += _no_journey_hint(feature, known)
        if not any(_ran(u) for u in unit):
            lines.append("no journey and no unit test that ran is linked to it")
    return tuple(lines)


def _flaky_line(journey: JourneyResult) -> str:
    if journey.attempts > 1:
        return f"journey {journey.name!r} passed on attempt {journey.attempts}"
    return f"journey {journey.name!r} passed only on a retry"


def _failure_lines(journey: JourneyResult) -> list[str]:
    if journey.failure is None:
        return [f"journey {journey.name!r} failed"]
    lines = [f"journey {journey.name!r} failed at {journey.failure.describe()}"]
    return lines + [f"artifact: {a}" for a in journey.failure.artifacts]


def _failed_test(unit: UnitEvidence) -> bool:
    return unit.test.test.case.outcome in ("failed", "error")


def _no_journey_hint(feature: str, known: Sequence[str]) -> list[str]:
    close = difflib.get_close_matches(feature, known, n=1)
    return [f"no journey covers {feature!r}; did you mean {close[0]!r}?"] if close else []


@dataclass(frozen=True)
class Coverage:
    """The figures teams track per run: shares of features with journeys, unit tests, both."""

    features: int
    with_journey: int
    with_unit_tests: int
    with_both: int

    @classmethod
    def from_links(cls, links: Sequence[FeatureLinks]) -> Coverage:
        return cls(
            features=len(links),
            with_journey=sum(1 for f in links if f.journeys),
            with_unit_tests=sum(1 for f in links if f.unit_tests),
            with_both=sum(1 for f in links if f.journeys and f.unit_tests),
        )

    def share(self, count: int) -> float:
        return count / self.features if self.features else 0.0

    def describe(self) -> str:
        def part(label: str, count: int) -> str:
            return f"{label} {count}/{self.features} ({self.share(count):.0%})"

        return ", ".join(
            [
                part("with a journey", self.with_journey),
                part("with unit tests", self.with_unit_tests),
                part("with both", self.with_both),
            ]
        )


#: The gate's ``fail_on`` words; ``flaky`` is opt-in.
GATE_REASONS = ("failed", "green_but_broken", "flaky")
DEFAULT_FAIL_ON = ("failed", "green_but_broken")


def exit_code(
    verdicts: Sequence[FeatureVerdict],
    journeys: Sequence[JourneyResult],
    fail_on: Sequence[str] = DEFAULT_FAIL_ON,
) -> int:
    """The contract's exit code: 3 for any green-but-broken (wins over 1), 1 when a journey
    failed (or, with ``flaky`` in ``gate.fail_on``, was flaky), 4 when the environment failed
    under a journey (inconclusive), else 0."""
    if "green_but_broken" in fail_on and any(v.verdict == "green-but-broken" for v in verdicts):
        return 3
    statuses = {j.status for j in journeys}
    if "failed" in fail_on and "failed" in statuses:
        return 1
    if "flaky" in fail_on and "flaky" in statuses:
        return 1
    if "error" in statuses:
        return 4  # the environment failed under a journey: the gate cannot pass on that
    return 0


def gate_reasons(
    verdicts: Sequence[FeatureVerdict], journeys: Sequence[JourneyResult]
) -> list[str]:
    """One line per reason the gate could fail, for report.json's ``gate.reasons``."""
    reasons = [
        f"feature {v.feature!r} is green-but-broken"
        for v in verdicts
        if v.verdict == "green-but-broken"
    ]
    reasons += [f"journey {j.name!r} failed" for j in journeys if j.status == "failed"]
    reasons += [f"journey {j.name!r} was flaky" for j in journeys if j.status == "flaky"]
    return reasons


def count_by_verdict(verdicts: Iterable[FeatureVerdict]) -> Mapping[str, int]:
    counts: dict[str, int] = {}
    for verdict in verdicts:
        counts[verdict.verdict] = counts.get(verdict.verdict, 0) + 1
    return counts
