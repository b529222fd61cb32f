"""The runner's pure logic: JSON subsets, locators as written, Playwright's actual values,
time budgets, context options, statuses and failure text."""

from __future__ import annotations

from pathlib import Path

import pytest

from harness.browser.assertions import actual_value
from harness.browser.attempt import context_options
from harness.browser.failures import describe_result
from harness.browser.locators import written
from harness.browser.results import Artifact, AttemptResult, JourneyResult, StepFailure
from harness.browser.runner import journey_status
from harness.browser.session import Deadline, JourneyTimeout
from harness.browser.settings import RunSettings
from harness.browser.steps import json_subset
from harness.core.journey.locators import Locator
from harness.core.journey.model import BrowserOptions, Viewport
from harness.errors import UsageError


@pytest.mark.parametrize(
    ("want", "got", "holds"),
    [
        ({"status": "paid"}, {"status": "paid", "id": 7}, True),
        ({"items": [{"sku": "M1"}]}, {"items": [{"sku": "M2"}, {"sku": "M1", "qty": 1}]}, True),
        ({"count": "2"}, {"count": 2}, True),
        ({"count": 1}, {"count": 2}, False),
        ({"missing": None}, {}, False),
        ([1, 2], [2, 1, 3], True),
        ({"a": {"b": True}}, {"a": {"b": 1, "c": 0}}, True),
        ({"flag": "true"}, {"flag": True}, False),
    ],
)
def test_json_subset(want: object, got: object, holds: bool) -> None:
    assert json_subset(want, got) is holds


def test_a_locator_reads_as_the_user_wrote_it() -> None:
    data = {
        "role": "button",
        "name": "Pay now",
        "exact": True,
        "nth": -1,
        "within": {"testid": "cart"},
        "frame": "#payment",
    }
    assert written(Locator.from_data(data)) == (
        "{role: button, name: Pay now, exact: true, nth: -1, within: {testid: cart}, "
        'frame: "#payment"}'
    )
    assert written(Locator.from_data("text=Sign in")) == '"text=Sign in"'
    assert written(Locator.from_data({"text": {"regex": "^Hi"}})) == '{text: {regex: "^Hi"}}'


def test_the_actual_value_is_read_from_playwrights_message() -> None:
    message = "Locator expected to have text '1'\nActual value: 0 \nCall log:\n  - waiting"
    assert actual_value(message) == "0"
    assert actual_value("Locator expected to be visible\nActual value: None\nError: x") is None


def test_a_step_gets_what_is_left_of_the_journeys_time(monkeypatch: pytest.MonkeyPatch) -> None:
    now = [100.0]
    monkeypatch.setattr("harness.browser.session.time.monotonic", lambda: now[0])
    deadline = Deadline(journey_timeout=30.0, started=100.0)
    assert deadline.step_budget(10.0) == (10.0, False)
    now[0] = 125.0
    assert deadline.step_budget(10.0) == (5.0, True)
    now[0] = 131.0
    with pytest.raises(JourneyTimeout, match="timeout of 30s ran out"):
        deadline.step_budget(10.0)
    assert Deadline(journey_timeout=None).step_budget(3.0) == (3.0, False)


def test_browser_options_become_context_options(tmp_path: Path) -> None:
    settings = RunSettings(
        run_id="r",
        urls={"web": "http://127.0.0.1:8000"},
        context_options={"locale": "fr-FR", "is_mobile": True},
        devices={"Pixel": {"viewport": {"width": 1, "height": 2}, "has_touch": True}},
    )
    options = BrowserOptions(
        viewport=Viewport(800, 600),
        device="Pixel",
        locale="de-DE",
        timezone="Europe/Berlin",
        color_scheme="dark",
        storage_state="state.json",
    )
    assert context_options(options, settings, tmp_path, None) == {
        "locale": "de-DE",
        "is_mobile": True,
        "has_touch": True,
        "viewport": {"width": 800, "height": 600},
        "timezone_id": "Europe/Berlin",
        "color_scheme": "dark",
        "storage_state": str(tmp_path / "state.json"),
        "base_url": "http://127.0.0.1:8000",
    }
    with pytest.raises(UsageError, match=r"no device 'Pixle'\. Did you mean 'Pixel'"):
        context_options(BrowserOptions(device="Pixle"), settings, tmp_path, None)


def _attempt(number: int, failed: bool, folder: Path) -> AttemptResult:
    failure = StepFailure("steps", 2, "click", "j.journey.yml", 7, "no element", locator="#x")
    return AttemptResult(
        number=number,
        attempt_id=f"a{number}",
        status="failed" if failed else "passed",
        duration_s=1.0,
        folder=folder,
        failure=failure if failed else None,
        artifacts=(Artifact("trace", folder / "trace.zip"),) if failed else (),
    )


def test_statuses_add_up_over_attempts(tmp_path: Path) -> None:
    failed, passed = _attempt(1, True, tmp_path), _attempt(2, False, tmp_path)
    assert journey_status((passed,), quarantined=False) == "passed"
    assert journey_status((failed, passed), quarantined=False) == "flaky"
    assert journey_status((failed, failed), quarantined=False) == "failed"
    assert journey_status((failed,), quarantined=True) == "quarantined"


def test_a_failure_reads_with_the_step_locator_and_evidence(tmp_path: Path) -> None:
    result = JourneyResult(
        name="Buy",
        file="j.journey.yml",
        status="failed",
        attempts=(_attempt(1, True, tmp_path / "a1"), _attempt(2, True, tmp_path / "a2")),
    )
    assert describe_result(result, tmp_path) == (
        "Journey 'Buy' failed (attempt 2 of 2): step 2 (click) at j.journey.yml:7\n"
        "  no element\n"
        "  locator:    #x\n"
        "  trace:      a2/trace.zip\n"
        "  (open the trace with: playwright show-trace <trace.zip>)"
    )
