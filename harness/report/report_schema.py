"""The JSON Schema of report.json, published by ``harness schema report``.

Every object stays open (``additionalProperties`` is not false): later versions of the harness
may add keys, and a CI gate that validates against this schema must keep passing."""

from __future__ import annotations

from typing import Any, get_args

from harness.contract import EXIT_MEANINGS, FAIL_ON_WORDS, JOURNEY_STATUSES, VERDICTS
from harness.report.model import DriftKind

SCHEMA_ID = "harness-report/1"
DRIFT_KINDS: tuple[str, ...] = get_args(DriftKind)

Schema = dict[str, Any]

_NUMBER = {"type": "number", "minimum": 0}
_COUNT = {"type": "integer", "minimum": 0}
_TEXT = {"type": "string"}
_TEXTS = {"type": "array", "items": _TEXT}
_WHEN = {"type": "string", "format": "date-time"}


def _nullable(schema: Schema) -> Schema:
    return {"anyOf": [schema, {"type": "null"}]}


def _object(description: str, **properties: Schema) -> Schema:
    return {
        "type": "object",
        "description": description,
        "required": list(properties),
        "properties": properties,
    }


def _window() -> Schema:
    return _nullable(_object("Wall-clock span, for cutting service logs", start=_WHEN, end=_WHEN))


def _artifacts() -> Schema:
    path = _nullable(_TEXT)
    schema = _object(
        "Files left by an attempt, relative to the run's folder",
        screenshot=path,
        trace=path,
        console_log=path,
        failed_requests=path,
        others=_TEXTS,
        snapshots={
            "type": "array",
            "description": "Each expect_screenshot baseline the attempt compared or wrote "
            "(added in 0.2: older reports lack it)",
            "items": _object(
                "A baseline's images: expected, actual and diff in the run's folder on a "
                "mismatch; written: the baseline file --update-snapshots wrote",
                name=_TEXT,
                expected=path,
                actual=path,
                diff=path,
                written=path,
            ),
        },
    )
    schema["required"].remove("snapshots")
    return schema


def _failure() -> Schema:
    return _nullable(
        _object(
            "Where and why it failed",
            step={"type": "integer", "description": "1-based index of the failing step"},
            line=_COUNT,
            message=_TEXT,
            artifacts=_TEXTS,
            step_name=_TEXT,
            file=_nullable(_TEXT),
            kind={"enum": ["failure", "error"]},
        )
    )


def _attempt() -> Schema:
    schema = _object(
        "One attempt of a journey",
        number={"type": "integer", "minimum": 1},
        status={"enum": ["passed", "failed", "skipped"]},
        duration_s=_NUMBER,
        failure=_failure(),
        artifacts=_artifacts(),
        window=_window(),
        timings_s={
            "type": "object",
            "description": "Seconds per phase of the attempt: context, trace_start, steps, "
            "screenshots, teardown, trace_stop, close, evidence, ...",
            "additionalProperties": _NUMBER,
        },
    )
    schema["required"].remove("timings_s")  # added later: reports written before lack it
    return schema


def _journey() -> Schema:
    journey = _object(
        "One journey over all its attempts",
        id=_TEXT,
        name=_TEXT,
        file=_TEXT,
        status={"enum": list(JOURNEY_STATUSES)},
        attempts={**_COUNT, "description": "how many attempts ran"},
        duration_s=_NUMBER,
        covers=_TEXTS,
        failure=_failure(),
        tags=_TEXTS,
        reason=_nullable(_TEXT),
        artifacts=_artifacts(),
        window=_window(),
        attempt_history={"type": "array", "items": _attempt()},
    )
    journey["properties"]["history"] = _nullable(journey_history_schema())  # added later
    return journey


def _mock() -> Schema:
    return _object(
        "A mock in the unit tests' source, and the feature's tests that use it",
        file=_TEXT,
        line={"type": "integer", "minimum": 1},
        test=_TEXT,
        tests=_TEXTS,
    )


def _drift() -> Schema:
    return _object(
        "A mock whose shape the run's real responses contradict",
        mock=_mock(),
        endpoint={**_TEXT, "description": "method and path, ids folded: GET /api/users/{id}"},
        kind={"enum": list(DRIFT_KINDS)},
        path={**_TEXT, "description": "where it differs, as data.user or lines[].sku"},
        message={**_TEXT, "description": "one sentence, naming the mock's file and line"},
    )


def _unchecked() -> Schema:
    return _object(
        "A mock with no real response of the run to compare with (not drift)",
        mock=_mock(),
        endpoint=_nullable(_TEXT),
        message=_TEXT,
    )


def _feature() -> Schema:
    counts = _object("Linked unit tests", linked=_COUNT, passed=_COUNT, failed=_COUNT)
    test = _object(
        "One linked unit test",
        name=_TEXT,
        file=_nullable(_TEXT),
        status={"enum": ["passed", "failed", "skipped"]},
        mocks=_nullable(_COUNT),
    )
    test["properties"]["suite"] = _nullable(_TEXT)  # added later: optional
    return _object(
        "One feature's verdict and its evidence",
        id=_TEXT,
        verdict={"enum": list(VERDICTS)},
        journeys=_TEXTS,
        unit_tests=counts,
        evidence=_TEXTS,
        tests={"type": "array", "items": test},
        mock_ratio=_nullable({"type": "number", "minimum": 0, "maximum": 1}),
        drift={"type": "array", "items": _drift()},
        unchecked_mocks={"type": "array", "items": _unchecked()},
    )


def _run() -> Schema:
    timings = _object(
        "Seconds per phase; the unit tests run alongside boot and journeys",
        boot=_NUMBER,
        unit=_NUMBER,
        journeys=_NUMBER,
        crosscheck=_NUMBER,
        teardown=_NUMBER,
        overlap={
            **_NUMBER,
            "description": "seconds the unit tests ran alongside the boot or the journeys",
        },
    )
    timings["required"].remove("overlap")  # added later: reports written before lack it
    service = _object("One service", name=_TEXT, boot_s=_nullable(_NUMBER), log=_nullable(_TEXT))
    service["properties"]["held_boot"] = {  # added later: optional
        "type": "boolean",
        "description": "the service that was ready last: the one the boot waited for",
    }
    schema = _object(
        "The run as a whole",
        id=_TEXT,
        environment=_TEXT,
        started_at=_WHEN,
        duration_s=_NUMBER,
        timings_s=timings,
        services={"type": "array", "items": service},
    )
    schema["properties"]["environment_failure"] = _environment_failure()  # added later: optional
    schema["properties"]["history"] = _nullable(_run_history())  # added later: optional
    schema["properties"]["history_warning"] = _nullable(_TEXT)  # added later: optional
    schema["properties"].update(_run_identity())  # added later: optional
    return schema


def _run_identity() -> Schema:
    """What ``harness merge`` checks: the configuration and commit a run ran, its shard, and
    for a merged report the folders it was made from."""
    shard = _object(
        "--shard I/N: this part, and a digest of how every part was dealt",
        index={"type": "integer", "minimum": 1},
        total={"type": "integer", "minimum": 1},
        split=_TEXT,
    )
    part = _object(
        "A run folder a merged report was made from",
        folder=_TEXT,
        run_id=_TEXT,
        shard=_nullable(_TEXT),
    )
    return {
        "config": {
            **_nullable(_TEXT),
            "description": "digest of harness.yml, the environment file, the gate and the "
            "selected journeys",
        },
        "commit": {**_nullable(_TEXT), "description": "the git commit the run ran"},
        "shard": _nullable(shard),
        "merged_from": {"type": "array", "items": part},
    }


_RATE = {"type": "number", "minimum": 0, "maximum": 1}


def journey_history_schema() -> Schema:
    point = _object(
        "The journey in one run of the window, oldest first",
        run=_TEXT,
        status={"enum": ["passed", "failed", "flaky"]},
        duration_s=_NUMBER,
    )
    return _object(
        "The journey over the history window (runs where it passed, failed or was flaky)",
        runs=_COUNT,
        passed=_COUNT,
        failed=_COUNT,
        flaky=_COUNT,
        flaky_rate=_RATE,
        median_duration_s=_nullable(_NUMBER),
        p90_duration_s=_nullable(_NUMBER),
        last_broken=_nullable(_TEXT),
        recent={"type": "array", "items": point},
    )


def _run_history() -> Schema:
    service = _object(
        "One service's start-up over the window",
        name=_TEXT,
        runs=_COUNT,
        median_boot_s=_nullable(_NUMBER),
        recent={"type": "array", "items": _nullable(_NUMBER)},
    )
    feature = _object(
        "One feature's verdicts over the window, oldest first",
        id=_TEXT,
        verdicts={"type": "array", "items": {"enum": list(VERDICTS)}},
        last_verdict={"enum": list(VERDICTS)},
    )
    return _object(
        "The history window that ends with this run",
        environment=_TEXT,
        window={"type": "integer", "minimum": 1},
        runs=_COUNT,
        run_ids=_TEXTS,
        services={"type": "array", "items": service},
        features={"type": "array", "items": feature},
    )


def _environment_failure() -> Schema:
    return _nullable(
        _object(
            "A service or process that died while the journeys ran (exit 4)",
            service=_TEXT,
            kind={"enum": ["service", "process"]},
            at=_WHEN,
            reason=_TEXT,
            exit_code=_nullable({"type": "integer"}),
            log_tail=_TEXTS,
            log=_nullable(_TEXT),
            not_run=_TEXTS,
        )
    )


def _gate() -> Schema:
    gate = _object(
        "The gate's decision",
        passed={"type": "boolean"},
        exit_code={  # 128 + a signal's number: a run stopped by SIGINT, SIGTERM or SIGHUP
            "anyOf": [{"enum": sorted(EXIT_MEANINGS)}, {"type": "integer", "minimum": 129}]
        },
        reasons=_TEXTS,
        notes=_TEXTS,
        fail_on={"type": "array", "items": {"enum": list(FAIL_ON_WORDS)}},
    )
    gate["properties"]["policy"] = {"type": "array", "items": _policy_check()}  # added later
    return gate


def _policy_check() -> Schema:
    return _object(
        "One policy limit of gate against the run's figure",
        limit={
            "enum": [
                "max_flaky_rate",
                "max_mock_ratio",
                "min_e2e_coverage",
                "min_integration_coverage",
            ]
        },
        threshold=_NUMBER,
        value=_nullable(_NUMBER),
        subject=_nullable(_TEXT),
        passed={"type": "boolean"},
    )


def _coverage() -> Schema:
    share = {"type": "number", "minimum": 0, "maximum": 1}
    return _object(
        "Features with a journey, with unit tests, with both",
        features=_COUNT,
        with_journey=_COUNT,
        with_unit=_COUNT,
        with_both=_COUNT,
        share_with_journey=share,
        share_with_unit=share,
        share_with_both=share,
    )


def _unit_suite() -> Schema:
    suite = _object(
        "One unit-test suite",
        name=_TEXT,
        tests=_COUNT,
        passed=_COUNT,
        failed=_COUNT,
        skipped=_COUNT,
        duration_s=_nullable(_NUMBER),
    )
    suite["properties"]["kind"] = {"enum": ["unit", "integration"]}  # added later: optional
    return suite


def report_schema() -> Schema:
    """The JSON Schema (draft 2020-12) of report.json."""
    document = _object(
        "The report a harness run leaves in its folder",
        schema={"const": SCHEMA_ID},
        run=_run(),
        gate=_gate(),
        journeys={"type": "array", "items": _journey()},
        unit={"type": "array", "items": _unit_suite()},
        features={"type": "array", "items": _feature()},
        coverage=_coverage(),
    )
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "harness report.json",
        **document,
    }
