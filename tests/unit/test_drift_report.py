"""Mock drift in the reports and the gate: report.json's ``features[].drift`` in the shape
DESIGN.md gives (checked against the report's JSON Schema), the console and report.html naming
the drifted mocks of a green-but-broken feature first, and the gate that warns about drift and
fails on it only with ``drift`` in ``gate.fail_on``."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import jsonschema
import pytest

from harness.report.console import render_summary
from harness.report.html_report import render_html
from harness.report.json_report import report_document, report_schema
from harness.report.model import Feature, FinishedRun, MockDrift, MockPlace, UncheckedMock
from tests.support.report_fakes import finished_run, gate_of, write_artifacts

SENTENCE = (
    "tests/user.test.js:9 mocks GET /api/users/{id} as {id, name}; "
    "the real response wraps it in data.user"
)
DRIFT = MockDrift(
    MockPlace("tests/user.test.js", 9, ("tests/user.test.js > user > shows the name",)),
    "GET /api/users/{id}",
    "envelope",
    "data.user",
    SENTENCE,
)
UNCHECKED = UncheckedMock(
    MockPlace("tests/admin.test.js", 3, ("tests/admin.test.js > admin",)),
    None,
    "tests/admin.test.js:3: no real response to compare with: no journey called GET /api/admin",
)


def with_drift(run: FinishedRun, feature: str, fail_on: tuple[str, ...] = ()) -> FinishedRun:
    features = tuple(
        replace(f, drift=(DRIFT,), unchecked_mocks=(UNCHECKED,)) if f.id == feature else f
        for f in run.features
    )
    policy = fail_on or run.gate.fail_on
    return replace(run, features=features, gate=gate_of(run.journeys, features, policy))


def only_passing(run: FinishedRun) -> FinishedRun:
    journeys = tuple(j for j in run.journeys if j.id == "catalog")
    features = tuple(replace(f, verdict="verified") for f in run.features if f.id == "catalog")
    return replace(run, journeys=journeys, features=features)


def test_report_json_has_the_drift_in_the_designed_shape() -> None:
    document = report_document(with_drift(finished_run(), "checkout"))
    jsonschema.validate(document, report_schema())
    checkout = next(f for f in document["features"] if f["id"] == "checkout")
    assert checkout["drift"] == [
        {
            "mock": {
                "file": "tests/user.test.js",
                "line": 9,
                "test": "tests/user.test.js > user > shows the name",
                "tests": ["tests/user.test.js > user > shows the name"],
            },
            "endpoint": "GET /api/users/{id}",
            "kind": "envelope",
            "path": "data.user",
            "message": SENTENCE,
        }
    ]
    assert checkout["unchecked_mocks"][0]["endpoint"] is None
    assert all(f["drift"] == [] for f in document["features"] if f["id"] != "checkout")


def test_a_drift_kind_outside_the_contract_is_refused() -> None:
    with pytest.raises(ValueError, match="drift kind 'shape'"):
        replace(DRIFT, kind="shape")  # type: ignore[arg-type]


def test_the_console_names_the_drifted_mock_right_under_its_green_but_broken_feature() -> None:
    lines = render_summary(with_drift(finished_run(), "checkout")).splitlines()
    feature = next(i for i, line in enumerate(lines) if "green-but-broken checkout: " in line)
    assert lines[feature + 1] == f"      mock drift: {SENTENCE}"
    assert lines[feature + 2] == "      1 mock(s) had no real response to compare with"


def test_drift_on_passing_journeys_is_a_listed_warning_that_passes_the_gate() -> None:
    run = with_drift(only_passing(finished_run()), "catalog")
    assert run.gate.passed
    assert run.gate.exit_code == 0
    assert run.gate.notes == (
        "mock drift in catalog: 1 mock difference(s) from the real responses "
        "(a warning; with drift in gate.fail_on it fails the gate)",
    )
    text = render_summary(run)
    assert f"  catalog: {SENTENCE}" in text.splitlines()
    assert "Stale mocks" in text


def test_drift_on_a_failing_feature_is_noted_as_the_likely_reason_not_a_warning() -> None:
    run = with_drift(finished_run(), "checkout")
    assert run.gate.exit_code == 3
    drift_notes = [note for note in run.gate.notes if "mock drift" in note]
    assert drift_notes == [
        "mock drift in checkout: 1 mock difference(s) from the real responses, "
        "the likely reason the unit tests did not see the defect"
    ]


def test_drift_in_fail_on_fails_a_gate_whose_journeys_pass_with_the_policy_code() -> None:
    run = with_drift(only_passing(finished_run()), "catalog", ("failed", "drift"))
    assert not run.gate.passed
    assert run.gate.exit_code == 6
    assert run.gate.reasons == (f"mock drift (catalog): {SENTENCE}",)


def test_drift_in_fail_on_does_not_hide_green_but_broken() -> None:
    run = with_drift(finished_run(), "checkout", ("failed", "green_but_broken", "drift"))
    assert run.gate.exit_code == 3
    assert f"mock drift (checkout): {SENTENCE}" in run.gate.reasons


def test_no_drift_no_note() -> None:
    run = only_passing(finished_run())
    assert gate_of(run.journeys, run.features, ("failed",)).notes == ()


def test_report_html_shows_the_drift_on_the_feature_and_beside_the_failing_step(
    tmp_path: Path,
) -> None:
    run = with_drift(finished_run(), "checkout")
    write_artifacts(run, tmp_path)
    page = render_html(run, tmp_path)
    feature = page.index("The mocks that lied")
    assert page.index("checkout</h3>") < feature < page.index('id="journeys"')
    assert SENTENCE in page
    step = page.index('class="failing-step"')
    beside = page.index("Mock drift in the features it covers", step)
    assert beside < page.index('class="screenshot"', step)
    assert "no journey called GET /api/admin" in page


def test_features_without_drift_have_empty_lists() -> None:
    feature: Feature = finished_run().features[0]
    assert feature.drift == ()
    assert feature.unchecked_mocks == ()
