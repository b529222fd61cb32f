"""The policy limits of `gate`: each one not met is a reason naming the journey or feature and
the figure against the limit, and each limit a check with the run's figure for the report.
(Which exit code wins, 6 against 1 and 3, is the gate's: tests/unit/test_gate.py.)"""

from __future__ import annotations

from dataclasses import replace

from harness.core.history import JourneyHistory
from harness.core.project import GatePolicy
from harness.report.model import Attempt, Failure, Feature, Journey, UnitSuite, UnitTest
from harness.report.policy import policy_checks, policy_reasons


def _journey(id: str, status: str = "passed", flaky: int = 0, runs: int = 0) -> Journey:
    attempts = [Attempt(1, "passed", 1.0)]
    if status == "failed":
        attempts = [Attempt(1, "failed", 1.0, Failure(1, 3, "no"))]
    journey = Journey.from_attempts(
        id=id, name=id.title(), file=f"{id}.journey.yml", attempts=attempts
    )
    if not runs:
        return journey
    history = JourneyHistory(
        id, id.title(), runs, runs - flaky, 0, flaky, flaky / runs, 1.0, 1.0, None
    )
    return replace(journey, history=history)


def _feature(id: str, *tests: UnitTest, journeys: tuple[str, ...] = ("a",)) -> Feature:
    return Feature.from_tests(id=id, verdict="verified", journeys=journeys, tests=tests)


def _test(mocks: int, suite: str = "unit", status: str = "passed") -> UnitTest:
    return UnitTest(f"t{mocks}", status, mocks, suite=suite)  # type: ignore[arg-type]


def test_a_flaky_rate_above_the_limit_names_the_journey_and_its_figure() -> None:
    journeys = [_journey("checkout", flaky=3, runs=7), _journey("search", runs=7)]
    (check,) = policy_checks(GatePolicy(max_flaky_rate=0.1), journeys, [])
    assert check.reasons == (
        "journey flaky too often: Checkout (checkout.journey.yml) was flaky in 3 of its last 7 "
        "run(s): flaky rate 0.43 > max_flaky_rate 0.1",
    )
    assert (check.name, check.limit, check.subject, check.passed) == (
        "max_flaky_rate",
        0.1,
        "Checkout",
        False,
    )
    assert check.value == 3 / 7


def test_a_rate_at_the_limit_passes_and_no_history_is_not_checked() -> None:
    journeys = [_journey("checkout", flaky=1, runs=10), _journey("new")]
    (check,) = policy_checks(GatePolicy(max_flaky_rate=0.1), journeys, [])
    assert (check.passed, check.value, check.reasons) == (True, 0.1, ())


def test_mock_ratio_counts_mocking_tests_per_non_mocking_one() -> None:
    heavy = _feature("cart", *(_test(2) for _ in range(4)), _test(0))
    light = _feature("search", _test(1), _test(0))
    only_mocks = _feature("pay", _test(3))
    reasons = policy_reasons(GatePolicy(max_mock_ratio=3), [], [heavy, light, only_mocks])
    assert reasons == [
        "feature cart mocks too much: 4 mocking unit test(s) per 1 non-mocking: "
        "mock ratio 4.00 > max_mock_ratio 3",
        "feature pay mocks too much: 1 mocking unit test(s) per 0 non-mocking: "
        "mock ratio infinite > max_mock_ratio 3",
    ]


def test_e2e_coverage_below_the_limit_names_the_features_without_a_journey() -> None:
    features = [_feature("cart"), _feature("pay", journeys=()), _feature("search", journeys=())]
    (check,) = policy_checks(GatePolicy(min_e2e_coverage=0.5), [], features)
    assert check.reasons == (
        "min_e2e_coverage not met: e2e coverage 0.33 (1 of 3 feature(s)) < 0.5; "
        "without: pay, search",
    )
    assert policy_reasons(GatePolicy(min_e2e_coverage=0.3), [], features) == []


def test_integration_coverage_needs_a_passing_test_of_an_integration_suite() -> None:
    suites = [UnitSuite("api", 3, 2, 1, 0, kind="integration"), UnitSuite("unit", 1, 1, 0, 0)]
    features = [
        _feature("cart", _test(0, "api")),
        _feature("pay", _test(0, "api", "failed")),
        _feature("search", _test(0, "unit")),
    ]
    reasons = policy_reasons(GatePolicy(min_integration_coverage=0.6), [], features, suites)
    assert reasons == [
        "min_integration_coverage not met: integration coverage 0.33 (1 of 3 feature(s)) "
        "< 0.6; without: pay, search",
    ]


def test_no_limit_set_checks_nothing() -> None:
    assert policy_checks(GatePolicy(), [_journey("a", flaky=5, runs=5)], []) == ()
