"""The cross-check's results in the report model: a run's journeys in, features out, and
report.json valid against its schema with the gate the contract asks for."""

from __future__ import annotations

import jsonschema

from harness.core.features import FeatureConfig, UnitTest, link_features
from harness.core.gate import decide_gate
from harness.core.junit import JUnitCase, JUnitReport, JUnitSuite
from harness.core.mocks import MockCount
from harness.core.verdict import judge
from harness.report import model
from harness.report.json_report import report_document
from harness.report.report_schema import report_schema
from harness.run.crosscheck import judged_journey, report_features, report_unit_suites
from harness.unit.runner import UnitRun


def case(name: str, outcome: str = "passed") -> JUnitCase:
    return JUnitCase("s", "tests.test_cart", name, None, None, 0.1, outcome, "", "", ())  # type: ignore[arg-type]


def cart_journey(failed: bool) -> model.Journey:
    failure = model.Failure(3, 7, "expected '1', got 'undefined'", "expect") if failed else None
    attempt = model.Attempt(
        1,
        "failed" if failed else "passed",
        1.0,
        failure,
        model.Artifacts(screenshot="cart/attempt-1/failure.png"),
    )
    return model.Journey.from_attempts(
        id="cart", name="Add to cart", file="journeys/cart.journey.yml", attempts=[attempt],
        covers=["cart"],
    )  # fmt: skip


def finished(failed: bool) -> model.FinishedRun:
    journeys = [cart_journey(failed)]
    results = [judged_journey(j) for j in journeys]
    run = UnitRun(
        "shop", (JUnitReport("u.xml", (JUnitSuite("s", (case("t1"), case("t2", "skipped")), ()),)),)
    )
    tests = run.unit_tests()
    links = link_features(tests, [FeatureConfig("cart", ("tests/test_cart.py::*",))],
                          {r.id: r.covers for r in results})  # fmt: skip

    def mocks(test: UnitTest) -> MockCount:
        return MockCount((("patch", 2),))

    verdicts = judge(links, results, mocks)
    info = model.RunInfo("r1", "local", model.utc_now(), 2.0)
    gate = decide_gate(results, verdicts)
    return model.FinishedRun(
        info, gate, tuple(journeys), report_unit_suites([run]), report_features(verdicts)
    )


def test_a_green_but_broken_run_reports_exit_3_and_a_valid_report_json() -> None:
    run = finished(failed=True)
    assert run.gate.exit_code == 3
    (feature,) = run.features
    assert feature.verdict == "green-but-broken"
    assert feature.unit_tests == model.UnitTestCounts(linked=2, passed=1, failed=0)
    assert feature.mock_ratio == 1.0
    assert feature.evidence[0] == (
        "journey 'Add to cart' failed at step 3 (expect), line 7: expected '1', got 'undefined'"
    )
    assert "artifact: cart/attempt-1/failure.png" in feature.evidence
    document = report_document(run)
    jsonschema.Draft202012Validator(report_schema()).validate(document)
    assert document["unit"] == [
        {
            "name": "shop",
            "tests": 2,
            "passed": 1,
            "failed": 0,
            "skipped": 1,
            "duration_s": None,
            "kind": "unit",
        }
    ]


def test_a_passing_run_is_verified_and_passes_the_gate() -> None:
    run = finished(failed=False)
    assert [f.verdict for f in run.features] == ["verified"]
    assert run.gate.exit_code == 0
