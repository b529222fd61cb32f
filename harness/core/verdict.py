"""The verdict per feature: do the unit tests and the real journeys agree? When the unit tests
are green and a journey fails, the verdict is ``green-but-broken``, with its evidence.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from harness.contract import Verdict
from harness.core.features import FeatureLinks, LinkedTest, UnitTest
from harness.core.journey_results import JudgedJourney
from harness.core.mocks import MockCount, MockRatio


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
    journeys: tuple[JudgedJourney, ...]
    unit_tests: tuple[UnitEvidence, ...]
    ratio: MockRatio
    evidence: tuple[str, ...]

    @property
    def failed_journeys(self) -> tuple[JudgedJourney, ...]:
        """The journeys that failed on every attempt: what the verdict blames."""
        return tuple(j for j in self.journeys if j.status == "failed")

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
    journeys: Sequence[JudgedJourney],
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
    journeys: Sequence[JudgedJourney],
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
    journeys: Sequence[JudgedJourney],
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


def _flaky_line(journey: JudgedJourney) -> str:
    if journey.attempts > 1:
        return f"journey {journey.name!r} passed on attempt {journey.attempts}"
    return f"journey {journey.name!r} passed only on a retry"


def _failure_lines(journey: JudgedJourney) -> list[str]:
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
    """The figures teams track per run: how many features a journey, unit tests, or both
    stand behind."""

    features: int
    with_journey: int
    with_unit: int
    with_both: int

    @classmethod
    def of(cls, features: Iterable[tuple[bool, bool]]) -> Coverage:
        """From one ``(has a journey, has unit tests)`` pair per feature."""
        pairs = list(features)
        return cls(
            features=len(pairs),
            with_journey=sum(1 for journey, _ in pairs if journey),
            with_unit=sum(1 for _, unit in pairs if unit),
            with_both=sum(1 for journey, unit in pairs if journey and unit),
        )

    @classmethod
    def from_links(cls, links: Sequence[FeatureLinks]) -> Coverage:
        return cls.of((bool(f.journeys), bool(f.unit_tests)) for f in links)

    def share(self, count: int) -> float:
        """``count`` as a share of all features (0 when there are none)."""
        return count / self.features if self.features else 0.0

    def describe(self) -> str:
        def part(label: str, count: int) -> str:
            return f"{label} {count}/{self.features} ({self.share(count):.0%})"

        return ", ".join(
            [
                part("with a journey", self.with_journey),
                part("with unit tests", self.with_unit),
                part("with both", self.with_both),
            ]
        )
