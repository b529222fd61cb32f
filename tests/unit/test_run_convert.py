"""The runner's results as the reports and the verdicts read them."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from harness.browser.results import Artifact, AttemptResult, JourneyResult, StepFailure
from harness.core.journey.model import Journey, Location
from harness.core.paths import journey_folder
from harness.run.convert import report_journey, skipped_journey
from harness.run.crosscheck import judged_journey
from harness.run.plan import PlannedJourney, journey_id
from harness.run.workers import crashed

START = datetime(2026, 3, 14, 9, 30, tzinfo=timezone.utc)


def _planned(root: Path) -> PlannedJourney:
    file = "journeys/shop/buy.journey.yml"
    journey = Journey(
        name="Guest buys a mug",
        file=file,
        path=str(root / file),
        location=Location(file, 1),
        steps=(),
        covers=("checkout",),
        tags=("smoke",),
        environments=("staging",),
    )
    return PlannedJourney(file, journey)


def _failure(file: str, line: int) -> StepFailure:
    return StepFailure(
        phase="steps",
        index=4,
        kind="click",
        file=file,
        line=line,
        message="no element matched within 10s",
        locator="{role: button, name: Pay}",
        expected="an element",
        actual="none",
        trail=("step 3 (use journeys/shared/pay.steps.yml) at journeys/shop/buy.journey.yml:9",),
    )


def _attempt(number: int, folder: Path, failure: StepFailure | None) -> AttemptResult:
    """Attempt ``number`` ran from ``START + 10 s * (number - 1)`` for 2.5 s."""
    started = START + timedelta(seconds=10 * (number - 1))
    artifacts = (
        (
            Artifact("screenshot", folder / "cart.png"),  # a named mid-journey screenshot
            Artifact("screenshot", folder / "failure.png"),
            Artifact("trace", folder / "trace.zip"),
        )
        if failure
        else ()
    )
    return AttemptResult(
        number=number,
        attempt_id=f"r1-{number}",
        status="failed" if failure else "passed",
        duration_s=2.5,
        folder=folder,
        failure=failure,
        artifacts=artifacts,
        started_at=started,
        ended_at=started + timedelta(seconds=2.5),
    )


@pytest.fixture
def root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_a_flaky_journey_keeps_every_attempt_with_paths_from_the_run_folder(root: Path) -> None:
    planned = _planned(root)
    run_dir = root / ".harness" / "runs" / "r1"
    folder = journey_folder(run_dir, planned.id)
    result = JourneyResult(
        name="Guest buys a mug",
        file=planned.id,
        status="flaky",
        attempts=(
            _attempt(1, folder / "attempt-1", _failure("journeys/shared/pay.steps.yml", 3)),
            _attempt(2, folder / "attempt-2", None),
        ),
        covers=("checkout",),
        tags=("smoke",),
    )
    journey = report_journey(planned, result, run_dir, root)
    assert journey.status == "flaky"
    assert [a.status for a in journey.attempts] == ["failed", "passed"]
    failure = journey.attempts[0].failure
    assert failure is not None
    assert (failure.step, failure.line, failure.file) == (4, 3, "journeys/shared/pay.steps.yml")
    assert failure.step_name == "click {role: button, name: Pay}"
    assert "expected: an element" in failure.message
    assert "via step 3" in failure.message
    assert journey.attempts[0].artifacts.screenshot == "journeys/shop/buy/attempt-1/failure.png"
    assert journey.attempts[0].artifacts.trace == "journeys/shop/buy/attempt-1/trace.zip"
    first, second = (a.window for a in journey.attempts)
    assert first is not None
    assert second is not None
    assert (first.start, first.end, second.start, second.end) == (  # as the runner recorded
        START,
        START + timedelta(seconds=2.5),
        START + timedelta(seconds=10),
        START + timedelta(seconds=12.5),
    )
    assert journey.attempts[0].artifacts.others == ("journeys/shop/buy/attempt-1/cart.png",)
    judged = judged_journey(journey)
    assert (judged.status, judged.covers, judged.attempts) == ("flaky", ("checkout",), 2)


def test_a_failure_in_the_journey_itself_names_no_other_file(root: Path) -> None:
    planned = _planned(root)
    result = JourneyResult(
        name="Guest buys a mug",
        file=planned.id,
        status="failed",
        attempts=(_attempt(1, root / "a", _failure(planned.id, 12)),),
    )
    journey = report_journey(planned, result, root, root)
    assert journey.failure is not None
    assert journey.failure.file is None
    assert journey.failing_file == planned.id
    judged = judged_journey(journey)
    assert judged.status == "failed"
    assert judged.failure is not None
    assert judged.failure.line == 12


def test_a_journey_the_harness_could_not_run_fails_as_an_error_and_proves_nothing(
    root: Path,
) -> None:
    planned = _planned(root)
    journey = report_journey(planned, crashed(planned, RuntimeError("Browser closed")), root, root)
    assert journey.status == "error"
    assert journey.failure is not None
    assert journey.failure.kind == "error"
    assert "Browser closed" in journey.failure.message
    assert judged_journey(journey).status == "error"


def test_a_journey_for_another_environment_is_skipped_with_the_reason(root: Path) -> None:
    journey = skipped_journey(_planned(root), "local")
    assert journey.status == "skipped"
    assert journey.reason == "runs only in staging, not local"


def test_journey_ids_and_folders_come_from_the_project_root(tmp_path: Path) -> None:
    file = tmp_path / "journeys" / "cart" / "add.journey.yaml"
    assert journey_id(file, tmp_path) == "journeys/cart/add.journey.yaml"
    assert journey_folder(tmp_path / "r", "journeys/cart/add.journey.yaml") == (
        tmp_path / "r" / "journeys" / "cart" / "add"
    )
    assert journey_folder(tmp_path / "r", "../other/odd name.journey.yml") == (
        tmp_path / "r" / "other" / "odd-name"
    )


def test_a_request_failure_reaches_the_report_whole_with_its_structural_diff(root: Path) -> None:
    diff = (
        "the response differs from the step's expect:\n"
        "  status: expected 200, got 404\n"
        "  item 0: key 'genre' missing"
    )
    failure = StepFailure(
        "steps",
        1,
        "request",
        "journeys/shop/buy.journey.yml",
        5,
        diff,
        actual='404: {"error":\n"gone"}\n',  # a body that ends its last line
    )
    result = JourneyResult(
        "Guest buys a mug",
        "journeys/shop/buy.journey.yml",
        "failed",
        (_attempt(1, root / "out", failure),),
    )
    journey = report_journey(_planned(root), result, root / "out", root)
    assert journey.failure is not None
    # aligned under the first line, and no blank line of padding after the body's last one
    assert journey.failure.message == (f'{diff}\nactual: 404: {{"error":\n        "gone"}}')
