"""report.json: the machine-readable record of a run (schema "harness-report/1"), and the JSON
Schema that describes it. Keys may be added over time; none is removed or changes meaning."""

from __future__ import annotations

import json
import math
from datetime import datetime
from pathlib import Path
from typing import Any

from harness.core.history import JourneyHistory, RunHistory
from harness.core.verdict import Coverage
from harness.report.history_view import trends
from harness.report.masking import masked_run
from harness.report.model import (
    Artifacts,
    Attempt,
    EnvironmentFailure,
    Failure,
    Feature,
    FinishedRun,
    Journey,
    MockDrift,
    MockPlace,
    PolicyCheck,
    RunInfo,
    TimeWindow,
    UncheckedMock,
    UnitSuite,
    UnitTest,
)
from harness.report.report_schema import SCHEMA_ID, report_schema

__all__ = ["FILE_NAME", "report_document", "report_schema", "write_json_report"]

FILE_NAME = "report.json"

JsonObject = dict[str, Any]


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)


def _when(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds")


def _window(window: TimeWindow | None) -> JsonObject | None:
    if window is None:
        return None
    return {"start": _when(window.start), "end": _when(window.end)}


def _artifacts(artifacts: Artifacts) -> JsonObject:
    return {
        "screenshot": artifacts.screenshot,
        "trace": artifacts.trace,
        "console_log": artifacts.console_log,
        "failed_requests": artifacts.failed_requests,
        "others": list(artifacts.others),
        "snapshots": [
            {
                "name": images.name,
                "expected": images.expected,
                "actual": images.actual,
                "diff": images.diff,
                "written": images.written,
            }
            for images in artifacts.snapshots
        ],
    }


def _failure(failure: Failure | None, artifacts: Artifacts) -> JsonObject | None:
    if failure is None:
        return None
    return {
        "step": failure.step,
        "line": failure.line,
        "message": failure.message,
        "artifacts": list(artifacts.paths()),
        "step_name": failure.step_name,
        "file": failure.file,
        "kind": failure.kind,
    }


def _attempt(attempt: Attempt) -> JsonObject:
    return {
        "number": attempt.number,
        "status": attempt.status,
        "duration_s": _seconds(attempt.duration_s),
        "failure": _failure(attempt.failure, attempt.artifacts),
        "artifacts": _artifacts(attempt.artifacts),
        "window": _window(attempt.window),
        "timings_s": {name: _seconds(seconds) for name, seconds in attempt.timings.items()},
    }


def _journey(journey: Journey) -> JsonObject:
    return {
        "id": journey.id,
        "name": journey.name,
        "file": journey.file,
        "status": journey.status,
        "attempts": len(journey.attempts),
        "duration_s": _seconds(journey.duration_s),
        "covers": list(journey.covers),
        "failure": _failure(journey.failure, journey.artifacts),
        "tags": list(journey.tags),
        "reason": journey.reason,
        "artifacts": _artifacts(journey.artifacts),
        "window": _window(journey.window),
        "attempt_history": [_attempt(a) for a in journey.attempts],
        "history": _journey_history(journey.history),
    }


def _journey_history(history: JourneyHistory | None) -> JsonObject | None:
    if history is None:
        return None
    return {
        "runs": history.runs,
        "passed": history.passed,
        "failed": history.failed,
        "flaky": history.flaky,
        "flaky_rate": round(history.flaky_rate, 4),
        "median_duration_s": _seconds(history.median_duration_s),
        "p90_duration_s": _seconds(history.p90_duration_s),
        "last_broken": history.last_broken,
        "recent": [
            {"run": p.run_id, "status": p.status, "duration_s": _seconds(p.duration_s)}
            for p in history.recent
        ],
    }


def run_history_document(history: RunHistory) -> JsonObject:
    """``run.history``: the window, and per service and feature their trend over it."""
    return {
        "environment": history.environment,
        "window": history.window,
        "runs": history.runs,
        "run_ids": list(history.run_ids),
        **trends(history),
    }


def _policy_check(check: PolicyCheck) -> JsonObject:
    value = check.value
    return {
        "limit": check.name,
        "threshold": check.limit,
        "value": None if value is None or not math.isfinite(value) else round(value, 4),
        "subject": check.subject,
        "passed": check.passed,
    }


def _suite(suite: UnitSuite) -> JsonObject:
    return {
        "name": suite.name,
        "tests": suite.tests,
        "passed": suite.passed,
        "failed": suite.failed,
        "skipped": suite.skipped,
        "duration_s": _seconds(suite.duration_s),
        "kind": suite.kind,
    }


def _unit_test(test: UnitTest) -> JsonObject:
    return {
        "name": test.name,
        "file": test.file,
        "status": test.status,
        "mocks": test.mocks,
        "suite": test.suite,
    }


def _mock(place: MockPlace) -> JsonObject:
    return {"file": place.file, "line": place.line, "test": place.test, "tests": list(place.tests)}


def _drift(drift: MockDrift) -> JsonObject:
    return {
        "mock": _mock(drift.mock),
        "endpoint": drift.endpoint,
        "kind": drift.kind,
        "path": drift.path,
        "message": drift.message,
    }


def _unchecked(unchecked: UncheckedMock) -> JsonObject:
    return {
        "mock": _mock(unchecked.mock),
        "endpoint": unchecked.endpoint,
        "message": unchecked.message,
    }


def _feature(feature: Feature) -> JsonObject:
    counts = feature.unit_tests
    return {
        "id": feature.id,
        "verdict": feature.verdict,
        "journeys": list(feature.journeys),
        "unit_tests": {"linked": counts.linked, "passed": counts.passed, "failed": counts.failed},
        "evidence": list(feature.evidence),
        "tests": [_unit_test(t) for t in feature.tests],
        "mock_ratio": feature.mock_ratio,
        "drift": [_drift(d) for d in feature.drift],
        "unchecked_mocks": [_unchecked(u) for u in feature.unchecked_mocks],
    }


def _coverage(coverage: Coverage) -> JsonObject:
    counts = {
        "with_journey": coverage.with_journey,
        "with_unit": coverage.with_unit,
        "with_both": coverage.with_both,
    }
    shares = {f"share_{key}": round(coverage.share(n), 4) for key, n in counts.items()}
    return {"features": coverage.features, **counts, **shares}


def _run(run: RunInfo) -> JsonObject:
    t = run.timings
    return {
        "id": run.id,
        "environment": run.environment,
        "started_at": _when(run.started_at),
        "duration_s": _seconds(run.duration_s),
        "timings_s": {
            "boot": _seconds(t.boot),
            "unit": _seconds(t.unit),
            "journeys": _seconds(t.journeys),
            "crosscheck": _seconds(t.crosscheck),
            "teardown": _seconds(t.teardown),
            "overlap": _seconds(t.overlap),
        },
        "services": [
            {"name": s.name, "boot_s": _seconds(s.boot_s), "log": s.log, "held_boot": s.held_boot}
            for s in run.services
        ],
        "history": None if run.history is None else run_history_document(run.history),
        "history_warning": run.history_warning,
        "environment_failure": _environment_failure(run.environment_failure),
        "config": run.config,
        "commit": run.commit,
        "shard": None
        if run.shard is None
        else {"index": run.shard.index, "total": run.shard.total, "split": run.shard.split},
        "merged_from": [
            {"folder": m.folder, "run_id": m.run_id, "shard": m.shard} for m in run.merged_from
        ],
    }


def _environment_failure(failure: EnvironmentFailure | None) -> JsonObject | None:
    if failure is None:
        return None
    return {
        "service": failure.service,
        "kind": failure.kind,
        "at": _when(failure.at),
        "reason": failure.reason,
        "exit_code": failure.exit_code,
        "log_tail": list(failure.log_tail),
        "log": failure.log,
        "not_run": list(failure.not_run),
    }


def report_document(finished: FinishedRun) -> JsonObject:
    """The report as JSON-ready data, secrets masked."""
    finished = masked_run(finished)
    gate = finished.gate
    return {
        "schema": SCHEMA_ID,
        "run": _run(finished.run),
        "gate": {
            "passed": gate.passed,
            "exit_code": gate.exit_code,
            "reasons": list(gate.reasons),
            "notes": list(gate.notes),
            "fail_on": list(gate.fail_on),
            "policy": [_policy_check(c) for c in finished.policy],
        },
        "journeys": [_journey(j) for j in finished.journeys],
        "unit": [_suite(s) for s in finished.unit],
        "features": [_feature(f) for f in finished.features_loudest_first()],
        "coverage": _coverage(finished.coverage),
    }


def write_json_report(finished: FinishedRun, directory: Path) -> Path:
    """Write ``report.json`` into ``directory`` and return its path."""
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / FILE_NAME
    text = json.dumps(report_document(finished), indent=2, ensure_ascii=False) + "\n"
    # A lone surrogate (from bytes an app wrote) stays a JSON escape instead of breaking UTF-8.
    path.write_bytes(text.encode("utf-8", errors="backslashreplace"))
    return path
