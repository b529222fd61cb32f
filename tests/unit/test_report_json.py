"""report.json: the contract's keys, validity against its published schema, masked secrets."""

from __future__ import annotations

import json
from dataclasses import replace
from pathlib import Path
from typing import Any

import jsonschema
import pytest
from click.testing import CliRunner
from hypothesis import given, settings
from hypothesis import strategies as st

from harness.cli.schema import load_schema, schema_command
from harness.core.gate import early_gate
from harness.core.published_schema import published
from harness.report.json_report import report_document, report_schema, write_json_report
from harness.report.model import FinishedRun
from tests.support.report_fakes import SECRET, finished_run, hostile_run, run_info

# The keys DESIGN.md promises; a report may add keys but never drop one of these.
CONTRACT = {
    "": {"schema", "run", "gate", "journeys", "unit", "features"},
    "run": {"id", "environment", "started_at", "duration_s", "timings_s"},
    "run.timings_s": {"boot", "unit", "journeys", "crosscheck", "teardown"},
    "gate": {"passed", "exit_code", "reasons"},
    "journey": {"id", "name", "file", "status", "attempts", "duration_s", "covers", "failure"},
    "failure": {"step", "line", "message", "artifacts"},
    "unit": {"name", "tests", "passed", "failed", "skipped"},
    "feature": {"id", "verdict", "journeys", "unit_tests", "evidence"},
    "feature.unit_tests": {"linked", "passed", "failed"},
}


def _validator() -> jsonschema.Draft202012Validator:
    schema = report_schema()
    jsonschema.Draft202012Validator.check_schema(schema)
    return jsonschema.Draft202012Validator(
        schema, format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
    )


def _written(run: FinishedRun, tmp_path: Path) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(write_json_report(run, tmp_path).read_text())
    return loaded


@pytest.mark.parametrize(
    "run",
    [
        finished_run(),
        hostile_run(),
        FinishedRun(run=run_info(), gate=early_gate(4, "db never became healthy")),
    ],
    ids=["every-status", "hostile-text", "environment-failed"],
)
def test_written_reports_validate_against_the_schema(run: FinishedRun, tmp_path: Path) -> None:
    errors = list(_validator().iter_errors(_written(run, tmp_path)))
    assert errors == []


def test_every_contract_key_is_there(tmp_path: Path) -> None:
    doc = _written(finished_run(), tmp_path)
    failed = next(j for j in doc["journeys"] if j["status"] == "failed")
    found = {
        "": doc,
        "run": doc["run"],
        "run.timings_s": doc["run"]["timings_s"],
        "gate": doc["gate"],
        "journey": failed,
        "failure": failed["failure"],
        "unit": doc["unit"][0],
        "feature": doc["features"][0],
        "feature.unit_tests": doc["features"][0]["unit_tests"],
    }
    for where, keys in CONTRACT.items():
        assert keys <= set(found[where]), f"{where or 'top level'} lacks {keys - set(found[where])}"
    assert doc["schema"] == "harness-report/1"


def test_values_keep_their_contract_meaning(tmp_path: Path) -> None:
    doc = _written(finished_run(), tmp_path)
    assert doc["gate"] == {
        "passed": False,
        "exit_code": 3,
        "reasons": doc["gate"]["reasons"],
        "notes": doc["gate"]["notes"],
        "fail_on": ["failed", "green_but_broken"],
        "policy": [],
    }
    failed = doc["journeys"][0]
    assert failed["attempts"] == 2  # a count, as the contract says; the history is beside it
    assert [a["status"] for a in failed["attempt_history"]] == ["failed", "failed"]
    assert failed["failure"]["step"] == 4
    assert failed["failure"]["line"] == 14
    assert failed["failure"]["artifacts"][0] == "journeys/buy-a-mug/attempt-2/failure.png"
    assert doc["run"]["started_at"] == "2026-03-14T09:30:00.000+00:00"
    assert doc["run"]["services"][1] == {
        "name": "web",
        "boot_s": 9.1,
        "log": "services/web.log",
        "held_boot": False,
    }
    assert doc["features"][0]["verdict"] == "green-but-broken"
    assert doc["features"][0]["tests"][0]["mocks"] == 4
    assert doc["coverage"]["share_with_both"] == 0.5


def test_passing_journeys_have_no_failure(tmp_path: Path) -> None:
    doc = _written(finished_run(), tmp_path)
    by_status = {j["status"]: j for j in doc["journeys"]}
    assert by_status["passed"]["failure"] is None
    assert by_status["flaky"]["failure"]["message"] == "expected 3 results, got 0"
    assert by_status["skipped"]["reason"] == "runs only in staging"


def test_secrets_never_reach_the_file(tmp_path: Path) -> None:
    text = write_json_report(finished_run(), tmp_path).read_text()
    assert SECRET not in text
    assert "Card *** was refused" in text


def test_the_schema_rejects_what_the_contract_forbids() -> None:
    doc = report_document(finished_run())
    validator = _validator()
    broken_status = json.loads(json.dumps(doc))
    broken_status["journeys"][0]["status"] = "exploded"
    missing_code = json.loads(json.dumps(doc))
    del missing_code["gate"]["exit_code"]
    wrong_schema = {**doc, "schema": "harness-report/2"}
    for bad in (broken_status, missing_code, wrong_schema):
        assert list(validator.iter_errors(bad)), bad
    assert validator.is_valid({**doc, "added_later": {"any": "thing"}})


def test_harness_schema_report_prints_the_same_schema() -> None:
    assert load_schema("report") == published(report_schema())
    result = CliRunner().invoke(schema_command, ["report"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == published(report_schema())


@settings(max_examples=60, deadline=None)
@given(name=st.text(max_size=40), message=st.text(max_size=200))
def test_any_text_from_the_app_round_trips(
    tmp_path_factory: pytest.TempPathFactory, name: str, message: str
) -> None:
    run = finished_run(name=name or "x", message=message or "x")
    doc = _written(run, tmp_path_factory.mktemp("json"))
    assert doc["journeys"][0]["name"] == (name or "x").replace(SECRET, "***")
    assert _validator().is_valid(doc)


def test_a_lone_surrogate_stays_valid_json(tmp_path: Path) -> None:
    doc = _written(finished_run(name="bad \udc80 byte"), tmp_path)
    assert doc["journeys"][0]["name"] == "bad \udc80 byte"


def test_attempt_phase_timings_and_the_overlap_are_written_and_valid(tmp_path: Path) -> None:
    run = finished_run()
    journey = run.journeys[0]
    timed = replace(journey.attempts[0], timings={"context": 0.1234, "steps": 1.5})
    run = replace(
        run,
        run=replace(run.run, timings=replace(run.run.timings, overlap=3.25)),
        journeys=(replace(journey, attempts=(timed, *journey.attempts[1:])), *run.journeys[1:]),
    )
    doc = _written(run, tmp_path)
    assert doc["journeys"][0]["attempt_history"][0]["timings_s"] == {"context": 0.123, "steps": 1.5}
    assert doc["run"]["timings_s"]["overlap"] == 3.25
    assert list(_validator().iter_errors(doc)) == []
