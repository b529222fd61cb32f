"""The verdict matrix, cell by cell, with fakes for journeys and unit tests."""

from __future__ import annotations

import pytest

from harness.contract import VERDICT_MEANINGS as MEANINGS
from harness.core.features import FeatureLinks, Link, LinkedTest, UnitTest
from harness.core.journey_results import JourneyFailure, JudgedJourney
from harness.core.junit import JUnitCase
from harness.core.mocks import MockCount
from harness.core.verdict import Coverage, decide, judge


def unit(name: str, outcome: str = "passed") -> LinkedTest:
    case = JUnitCase("s", "tests.test_cart", name, None, None, 0.0, outcome, "", "", ())  # type: ignore[arg-type]
    return LinkedTest(
        UnitTest.from_case("shop", case),
        (Link("cart", "property", "feature"),),
    )


def journey(
    status: str, *, covers: tuple[str, ...] = ("cart",), name: str = "buy"
) -> JudgedJourney:
    failure = None
    if status == "failed":
        failure = JourneyFailure(
            "expected text '1', got '0'",
            step=4,
            step_text="expect: {testid: cart-count}",
            line=12,
            artifacts=("buy/attempt-1/screenshot.png", "buy/attempt-1/trace.zip"),
        )
    return JudgedJourney(
        name, name.title(), status, covers, failure, attempts=2 if status == "flaky" else 1
    )  # type: ignore[arg-type]


PASS, FAIL = unit("test_a"), unit("test_b", "failed")


@pytest.mark.parametrize(
    ("journeys", "tests", "expected"),
    [
        # the contract's table: rows are unit tests, columns are journeys
        (["passed"], [PASS], "verified"),
        (["failed"], [PASS], "green-but-broken"),
        (["passed"], [PASS, FAIL], "red-but-working"),
        (["failed"], [PASS, FAIL], "broken"),
        (["passed"], [], "journey-only"),
        (["failed"], [], "broken"),
        # and the rest
        ([], [PASS], "no-journey"),
        (["flaky"], [PASS], "flaky"),
        (["passed", "flaky"], [], "flaky"),
        (["passed", "failed"], [PASS], "green-but-broken"),
        (["failed", "flaky"], [PASS], "green-but-broken"),
        (["error"], [PASS], "inconclusive"),
        (["skipped"], [PASS], "no-journey"),
        (["quarantined"], [PASS], "no-journey"),
        ([], [], "no-journey"),
        (["passed"], [unit("s", "skipped")], "journey-only"),
        (["passed"], [unit("e", "error")], "red-but-working"),
        (["failed"], [unit("s", "skipped"), PASS], "green-but-broken"),
    ],
)
def test_matrix(journeys: list[str], tests: list[LinkedTest], expected: str) -> None:
    results = [journey(status, name=f"j{i}") for i, status in enumerate(journeys)]
    assert decide(results, tests) == expected
    assert expected in MEANINGS


def test_a_failed_environment_makes_journeys_inconclusive() -> None:
    assert decide([journey("failed")], [PASS], environment_failed=True) == "inconclusive"
    links = [FeatureLinks("cart", ("buy",), (PASS,)), FeatureLinks("search", (), (PASS,))]
    verdicts = judge(links, [], environment_failed=True)
    assert [v.verdict for v in verdicts] == ["inconclusive", "no-journey"]


def mocks(test: UnitTest) -> MockCount:
    return MockCount((("patch", 3),)) if test.case.name == "test_a" else MockCount()


def test_green_but_broken_carries_its_evidence() -> None:
    links = [FeatureLinks("cart", ("buy",), (PASS, unit("test_c"), unit("test_s", "skipped")))]
    (verdict,) = judge(links, [journey("failed")], mocks)
    assert verdict.verdict == "green-but-broken"
    assert verdict.evidence == (
        "journey 'Buy' failed at step 4 (expect: {testid: cart-count}), line 12: "
        "expected text '1', got '0'",
        "artifact: buy/attempt-1/screenshot.png",
        "artifact: buy/attempt-1/trace.zip",
        "unit test claimed it works: tests/test_cart.py::test_a [shop] passed, 3 mocks (3 patch)",
        "unit test claimed it works: tests/test_cart.py::test_c [shop] passed, no mocks",
    )
    assert (verdict.ratio.mocked, verdict.ratio.real) == (1, 1)
    assert verdict.as_report() == {
        "id": "cart",
        "verdict": "green-but-broken",
        "journeys": ["buy"],
        "unit_tests": {"linked": 3, "passed": 2, "failed": 0},
        "evidence": list(verdict.evidence),
        "mocks": {"mocked": 1, "real": 1, "unknown": 0, "flagged": False},
    }


def test_broken_names_the_failing_unit_tests() -> None:
    (verdict,) = judge([FeatureLinks("cart", ("buy",), (PASS, FAIL))], [journey("failed")])
    assert verdict.verdict == "broken"
    assert verdict.evidence[-1] == (
        "unit test failed: tests/test_cart.py::test_b [shop] failed, "
        "mocks unknown (source not found)"
    )


def test_flaky_and_no_journey_evidence() -> None:
    links = [FeatureLinks("cart", ("buy",), ()), FeatureLinks("chekout", (), (PASS,))]
    results = [journey("flaky"), journey("passed", covers=("checkout",), name="pay")]
    flaky, typo = judge(links, results)
    assert flaky.evidence == ("journey 'Buy' passed on attempt 2",)
    assert typo.evidence == ("no journey covers 'chekout'; did you mean 'checkout'?",)


def test_a_failed_journey_without_details_is_still_named() -> None:
    bare = JudgedJourney("buy", "Buy", "failed", ("cart",))
    (verdict,) = judge([FeatureLinks("cart", ("buy",), (PASS,))], [bare])
    assert verdict.evidence[0] == "journey 'Buy' failed"


def test_coverage_shares() -> None:
    links = [
        FeatureLinks("a", ("j",), (PASS,)),
        FeatureLinks("b", ("j",), ()),
        FeatureLinks("c", (), (PASS,)),
        FeatureLinks("d", (), ()),
    ]
    coverage = Coverage.from_links(links)
    assert (coverage.with_journey, coverage.with_unit, coverage.with_both) == (2, 2, 1)
    assert coverage.describe() == (
        "with a journey 2/4 (50%), with unit tests 2/4 (50%), with both 1/4 (25%)"
    )
    assert Coverage.from_links([]).share(0) == 0.0
