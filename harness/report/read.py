"""report.json read back into the report model: what ``harness merge`` unions. The document is
checked against the report's JSON Schema first, so a hand-edited or foreign file is bad input
with the path of its first problem, never a traceback."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from typing import Any

import jsonschema

from harness.errors import UsageError
from harness.report.model import (
    Artifacts,
    Attempt,
    Failure,
    Journey,
    Service,
    SnapshotImages,
    TimeWindow,
    UnitSuite,
)
from harness.report.report_schema import report_schema

JsonObject = dict[str, Any]


def read_report_document(path: Path) -> JsonObject:
    """The JSON of ``path``, valid against the report's schema; UsageError (exit 2) if not."""
    try:
        document = json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise UsageError(f"{path.parent}: no report.json: is it the folder of a run?") from exc
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise UsageError(f"{path}: not a readable report.json: {exc}") from exc
    error = jsonschema.exceptions.best_match(
        jsonschema.Draft202012Validator(report_schema()).iter_errors(document)
    )
    if error is not None:
        where = "/".join(str(p) for p in error.absolute_path) or "(the document)"
        raise UsageError(
            f"{path}: not a harness report at {where}: {error.message}\n"
            "    `harness schema report` prints what a report.json holds"
        )
    data: JsonObject = document
    return data


def _when(text: str) -> datetime:
    return datetime.fromisoformat(text.replace("Z", "+00:00"))


def _window(data: JsonObject | None) -> TimeWindow | None:
    return None if data is None else TimeWindow(_when(data["start"]), _when(data["end"]))


def _artifacts(data: JsonObject) -> Artifacts:
    return Artifacts(
        screenshot=data["screenshot"],
        trace=data["trace"],
        console_log=data["console_log"],
        failed_requests=data["failed_requests"],
        others=tuple(data["others"]),
        snapshots=tuple(SnapshotImages(**images) for images in data.get("snapshots", ())),
    )


def _failure(data: JsonObject | None) -> Failure | None:
    if data is None:
        return None
    return Failure(
        step=data["step"],
        line=data["line"],
        message=data["message"],
        step_name=data["step_name"],
        file=data["file"],
        kind=data["kind"],
    )


def _attempt(data: JsonObject) -> Attempt:
    return Attempt(
        number=data["number"],
        status=data["status"],
        duration_s=data["duration_s"],
        failure=_failure(data["failure"]),
        artifacts=_artifacts(data["artifacts"]),
        window=_window(data["window"]),
    )


def journey_of(data: JsonObject) -> Journey:
    """One entry of ``journeys``, as the run that wrote it had it."""
    return Journey(
        id=data["id"],
        name=data["name"],
        file=data["file"],
        status=data["status"],
        attempts=tuple(_attempt(a) for a in data["attempt_history"]),
        duration_s=data["duration_s"],
        covers=tuple(data["covers"]),
        tags=tuple(data["tags"]),
        reason=data["reason"],
    )


def unit_suite_of(data: JsonObject) -> UnitSuite:
    return UnitSuite(
        name=data["name"],
        tests=data["tests"],
        passed=data["passed"],
        failed=data["failed"],
        skipped=data["skipped"],
        duration_s=data["duration_s"],
    )


def service_of(data: JsonObject) -> Service:
    return Service(name=data["name"], boot_s=data["boot_s"], log=data["log"])


def started_at(document: JsonObject) -> datetime:
    return _when(document["run"]["started_at"])
