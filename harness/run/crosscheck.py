"""The cross-check's results in the report model's terms, for ``harness run``: journeys from
the runner in, verdicts, unit suites and features out for report.json, junit.xml and the gate."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from harness.core.features import UnitTest
from harness.core.journey_results import JourneyFailure, JudgedJourney
from harness.core.mocks import MockCount
from harness.core.verdict import FeatureVerdict
from harness.report import model
from harness.unit.runner import UnitRun


def judged_journey(journey: model.Journey) -> JudgedJourney:
    """A finished journey as the verdict and the gate read it."""
    failure = journey.failure
    return JudgedJourney(
        id=journey.id,
        name=journey.name,
        status=journey.status,
        covers=journey.covers,
        failure=None
        if failure is None
        else JourneyFailure(
            failure.message,
            step=failure.step,
            step_text=failure.step_name,
            line=failure.line,
            artifacts=journey.artifacts.paths(),
            file=failure.file,
        ),
        attempts=len(journey.attempts) or 1,
        file=journey.file,
        reason=journey.reason,
    )


def report_features(verdicts: Iterable[FeatureVerdict]) -> tuple[model.Feature, ...]:
    """report.json's ``features``: each verdict with its unit tests and their mock counts."""
    return tuple(
        model.Feature.from_tests(
            id=verdict.feature,
            verdict=verdict.verdict,
            journeys=[j.id for j in verdict.journeys],
            tests=[_unit_test(u.test.test, u.mocks) for u in verdict.unit_tests],
            evidence=verdict.evidence,
            mock_ratio=verdict.ratio.share,
        )
        for verdict in verdicts
    )


def _unit_test(test: UnitTest, mocks: MockCount | None) -> model.UnitTest:
    outcome = test.case.outcome
    status: model.UnitStatus = "failed" if outcome == "error" else outcome
    return model.UnitTest(
        test.label, status, None if mocks is None else mocks.total, test.case.file, test.source
    )


def report_unit_suites(
    runs: Sequence[UnitRun], kinds: Mapping[str, str] | None = None
) -> tuple[model.UnitSuite, ...]:
    """report.json's ``unit``: one suite per unit-test source (errors count as failed), of the
    ``kind`` harness.yml gives it (``unit`` unless said)."""
    return tuple(
        model.UnitSuite(
            name=run.name,
            tests=run.counts.tests,
            passed=run.counts.passed,
            failed=run.counts.failed,
            skipped=run.counts.skipped,
            duration_s=run.duration_s if run.exit_code is not None else None,
            kind=(kinds or {}).get(run.name, "unit"),
        )
        for run in runs
    )
