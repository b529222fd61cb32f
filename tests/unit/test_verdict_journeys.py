"""Journey results read back from JUnit: the harness's own junit.xml (written by its report
writer) and a plain pytest-style report with ``feature`` properties."""

from __future__ import annotations

from pathlib import Path

from harness.core.journey_results import JourneyFailure, JudgedJourney, journeys_from_junit
from harness.core.junit import parse_junit, read_junit
from harness.report.junit_report import write_junit_report
from harness.report.model import (
    Artifacts,
    Attempt,
    Failure,
    FinishedRun,
    Gate,
    Journey,
    RunInfo,
    utc_now,
)


def attempt(number: int, failed: bool, artifacts: Artifacts | None = None) -> Attempt:
    artifacts = artifacts or Artifacts()
    failure = Failure(4, 12, "expected text '1', got '0'", "expect cart-count") if failed else None
    return Attempt(number, "failed" if failed else "passed", 0.5, failure, artifacts)


def finished_run() -> FinishedRun:
    shots = Artifacts(screenshot="buy/attempt-2/failure.png", trace="buy/attempt-2/trace.zip")
    journeys = (
        Journey.from_attempts(
            id="buy",
            name="Guest buys a mug",
            file="journeys/buy.journey.yml",
            attempts=[attempt(1, True), attempt(2, True, shots)],
            covers=["cart", "checkout"],
        ),
        Journey.from_attempts(
            id="search",
            name="Finds a mug",
            file="journeys/search.journey.yml",
            attempts=[attempt(1, True), attempt(2, False)],
            covers=["search"],
        ),
        Journey.from_attempts(
            id="home", name="Home", file="journeys/home.journey.yml", attempts=[attempt(1, False)]
        ),
    )
    run = RunInfo("r1", "local", utc_now(), 1.0)
    return FinishedRun(run=run, gate=Gate(False, 1), journeys=journeys)


def test_the_harness_junit_xml_round_trips(tmp_path: Path) -> None:
    path = write_junit_report(finished_run(), tmp_path)
    buy, search, home = journeys_from_junit(read_junit(path))
    assert buy == JudgedJourney(
        id="buy",
        name="Guest buys a mug",
        status="failed",
        covers=("cart", "checkout"),
        failure=JourneyFailure(
            "expected text '1', got '0'",
            step=4,
            step_text="expect cart-count",
            line=12,
            artifacts=("buy/attempt-2/failure.png", "buy/attempt-2/trace.zip"),
        ),
        attempts=2,
        file="journeys/buy.journey.yml",
    )
    assert (search.status, search.attempts, search.covers) == ("flaky", 2, ("search",))
    assert (home.status, home.covers, home.failure) == ("passed", (), None)


def test_a_pytest_style_journey_report() -> None:
    report = parse_junit(
        """<testsuites><testsuite name="journeys">
        <testcase classname="journeys.test_shop" name="test_add_to_cart">
          <properties><property name="feature" value="cart"/>
            <property name="step" value="3: expect #cart-count to read 1"/>
            <property name="artifact.screenshot" value="shots/cart.png"/></properties>
          <failure message="AssertionError: cart count is 'undefined'">trace</failure>
        </testcase>
        <testcase classname="journeys.test_shop" name="test_search">
          <properties><property name="covers" value="search,catalog"/></properties>
          <error message="failed on setup with &quot;the shop did not start&quot;"/>
        </testcase>
        <testcase classname="journeys.test_shop" name="test_reviews">
          <properties><property name="feature" value="reviews"/>
            <property name="status" value="flaky"/><property name="attempts" value="2"/>
          </properties>
        </testcase>
        </testsuite></testsuites>"""
    )
    cart, search, reviews = journeys_from_junit(report)
    assert cart.id == "journeys.test_shop.test_add_to_cart"
    assert cart.failure == JourneyFailure(
        "AssertionError: cart count is 'undefined'",
        step=3,
        step_text="expect #cart-count to read 1",
        artifacts=("shots/cart.png",),
    )
    assert (search.status, search.covers) == ("error", ("search", "catalog"))
    assert (reviews.status, reviews.attempts) == ("flaky", 2)


def test_surefire_style_flaky_elements_make_a_flaky_journey() -> None:
    report = parse_junit(
        '<testsuite><testcase classname="e2e" name="checkout">'
        '<flakyFailure message="timeout"/></testcase></testsuite>'
    )
    (journey,) = journeys_from_junit(report)
    assert (journey.status, journey.attempts) == ("flaky", 2)
