"""The finished-run model: statuses derived from attempts, its invariants, coverage, ordering."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

import pytest

from harness.report.model import (
    Attempt,
    Coverage,
    Failure,
    Feature,
    Journey,
    TimeWindow,
    UnitSuite,
    UnitTest,
    UnitTestCounts,
    mock_ratio_of,
)
from tests.support.report_fakes import finished_run, window

FAILED = Attempt(1, "failed", 1.0, Failure(3, 9, "boom"))
PASSED = Attempt(2, "passed", 2.0)


def _journey(*attempts: Attempt, quarantine: str | None = None) -> Journey:
    return Journey.from_attempts(
        id="j", name="J", file="j.journey.yml", attempts=attempts, quarantine_reason=quarantine
    )


@pytest.mark.parametrize(
    ("attempts", "quarantine", "status"),
    [
        ((PASSED,), None, "passed"),
        ((FAILED,), None, "failed"),
        ((FAILED, PASSED), None, "flaky"),
        ((PASSED, FAILED), None, "failed"),
        ((Attempt(1, "skipped", 0.0),), None, "skipped"),
        ((), None, "skipped"),
        ((FAILED,), "SHOP-1", "quarantined"),
        ((PASSED,), "SHOP-1", "quarantined"),
    ],
)
def test_status_comes_from_the_attempts(
    attempts: tuple[Attempt, ...], quarantine: str | None, status: str
) -> None:
    assert _journey(*attempts, quarantine=quarantine).status == status


def test_duration_sums_the_attempts_and_the_reason_is_kept() -> None:
    journey = _journey(FAILED, PASSED, quarantine="SHOP-1")
    assert journey.duration_s == 3.0
    assert journey.reason == "SHOP-1"


def test_the_deciding_attempt_is_the_last_failed_one() -> None:
    second_failure = Attempt(2, "failed", 1.0, Failure(5, 11, "later"))
    journey = _journey(FAILED, second_failure, Attempt(3, "passed", 1.0))
    assert journey.deciding_attempt == second_failure
    assert journey.failure is not None
    assert journey.failure.line == 11
    assert _journey(PASSED).failure is None
    assert _journey().artifacts.paths() == ()


def test_failing_file_prefers_the_shared_steps_file() -> None:
    shared = Attempt(1, "failed", 1.0, Failure(2, 4, "x", file="journeys/shared/pay.steps.yml"))
    assert _journey(shared).failing_file == "journeys/shared/pay.steps.yml"
    assert _journey(FAILED).failing_file == "j.journey.yml"


def test_the_window_spans_every_attempt() -> None:
    first = Attempt(1, "failed", 1.0, Failure(1, 1, "x"), window=window(10, 12))
    second = Attempt(2, "passed", 1.0, window=window(13, 20))
    assert _journey(first, second).window == window(10, 20)
    assert _journey(FAILED).window is None


@pytest.mark.parametrize(
    "make",
    [
        lambda: Journey("j", "J", "f", "exploded", (), 0.0),  # type: ignore[arg-type]
        lambda: Attempt(1, "failed", 1.0),
        lambda: Attempt(1, "passed", 1.0, Failure(1, 1, "x")),
        lambda: Failure(1, 1, "x", kind="crash"),  # type: ignore[arg-type]
        lambda: UnitSuite("s", tests=3, passed=1, failed=1, skipped=0),
        lambda: UnitTest("t", "exploded"),  # type: ignore[arg-type]
        lambda: Feature("f", "fine", (), UnitTestCounts(0, 0, 0)),  # type: ignore[arg-type]
        lambda: TimeWindow(datetime(2026, 1, 1), datetime(2026, 1, 2)),
        lambda: TimeWindow(
            datetime(2026, 1, 2, tzinfo=timezone.utc), datetime(2026, 1, 1, tzinfo=timezone.utc)
        ),
    ],
)
def test_impossible_values_are_refused(make: object) -> None:
    with pytest.raises(ValueError):  # noqa: PT011 - each case has its own message
        make()  # type: ignore[operator]


def test_feature_counts_and_mock_ratio_come_from_the_named_tests() -> None:
    tests = [
        UnitTest("a", "passed", 3),
        UnitTest("b", "passed", 0),
        UnitTest("c", "failed", None),
        UnitTest("d", "skipped", 1),
    ]
    feature = Feature.from_tests(id="f", verdict="broken", journeys=["j"], tests=tests)
    assert feature.unit_tests == UnitTestCounts(linked=4, passed=2, failed=1)
    assert feature.mock_ratio == pytest.approx(2 / 3)
    given = Feature.from_tests(id="f", verdict="broken", journeys=[], tests=tests, mock_ratio=0.1)
    assert given.mock_ratio == 0.1
    assert mock_ratio_of([UnitTest("a", "passed")]) is None


def test_coverage_counts_features_with_journeys_unit_tests_and_both() -> None:
    coverage = finished_run().coverage
    assert coverage == Coverage(features=8, with_journey=7, with_unit=5, with_both=4)
    assert coverage.share(coverage.with_both) == 0.5
    assert Coverage.of([]).share(0) == 0.0


def test_features_are_ordered_loudest_first() -> None:
    order = [f.verdict for f in finished_run().features_loudest_first()]
    assert order[0] == "green-but-broken"
    assert order[-1] == "verified"
    assert order.index("broken") < order.index("red-but-working") < order.index("journey-only")


def test_windows_compare_across_time_zones() -> None:
    utc = datetime(2026, 1, 1, 12, tzinfo=timezone.utc)
    paris = utc.astimezone(timezone(timedelta(hours=1)))
    assert TimeWindow.spanning([TimeWindow(paris, paris), TimeWindow(utc, utc)]) == TimeWindow(
        utc, utc
    )
