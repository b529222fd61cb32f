"""Finished runs for the report tests: every journey status and every verdict, with artifacts
written to a real folder (tests/unit/test_report_model.py checks that they cover all of them)."""

from __future__ import annotations

import struct
import zlib
from dataclasses import replace
from datetime import datetime, timedelta, timezone
from pathlib import Path

from harness.core.gate import Gate, decide_gate
from harness.core.mocks import MockRatio
from harness.core.verdict import FeatureVerdict
from harness.report.model import (
    JOURNEY_STATUSES,
    VERDICTS,
    Artifacts,
    Attempt,
    Failure,
    Feature,
    FinishedRun,
    Journey,
    RunInfo,
    Service,
    TimeWindow,
    Timings,
    UnitSuite,
    UnitTest,
)
from harness.run.crosscheck import judged_journey

START = datetime(2026, 3, 14, 9, 30, 0, tzinfo=timezone.utc)
SECRET = "hunter2-card-4242"
SCRIPT = "<script>window.__pwned=1</script>"
IMG = '<img src="x" onerror="window.__pwned=2">'


def png_bytes(width: int = 40, height: int = 24) -> bytes:
    """A real, valid PNG: a red rectangle."""

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    rows = b"".join(b"\x00" + b"\xcc\x22\x22" * width for _ in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def window(start_s: float, end_s: float) -> TimeWindow:
    return TimeWindow(START + timedelta(seconds=start_s), START + timedelta(seconds=end_s))


def _artifacts(folder: str) -> Artifacts:
    return Artifacts(
        screenshot=f"{folder}/failure.png",
        trace=f"{folder}/trace.zip",
        console_log=f"{folder}/console.log",
        failed_requests=f"{folder}/failed-requests.json",
    )


def _failed(number: int, start_s: float, message: str, step_name: str = "") -> Attempt:
    folder = f"journeys/buy-a-mug/attempt-{number}"
    failure = Failure(4, 14, message, step_name=step_name or "click Add to cart")
    return Attempt(
        number, "failed", 10.0, failure, _artifacts(folder), window(start_s, start_s + 10)
    )


def _passed(number: int, start_s: float, duration: float = 3.0) -> Attempt:
    return Attempt(number, "passed", duration, window=window(start_s, start_s + duration))


def journeys(name: str = "Guest buys a mug", message: str = "") -> tuple[Journey, ...]:
    text = message or f"Timeout 10000ms exceeded. Card {SECRET} was refused"
    return (
        Journey.from_attempts(
            id="buy-a-mug",
            name=name,
            file="journeys/shop/buy-a-mug.journey.yml",
            attempts=[_failed(1, 20, text, step_name=name), _failed(2, 31, text)],
            covers=["cart", "checkout"],
            tags=["critical", "smoke"],
        ),
        Journey.from_attempts(
            id="search",
            name="Search finds mugs",
            file="journeys/search.journey.yml",
            attempts=[
                Attempt(
                    1,
                    "failed",
                    2.0,
                    Failure(2, 7, "expected 3 results, got 0"),
                    window=window(5, 7),
                ),
                _passed(2, 8),
            ],
            covers=["search"],
        ),
        Journey.from_attempts(
            id="catalog",
            name="Browse the catalog",
            file="journeys/catalog.journey.yml",
            attempts=[_passed(1, 1)],
            covers=["catalog"],
        ),
        Journey.from_attempts(
            id="wishlist",
            name="Keep a wishlist",
            file="journeys/wishlist.journey.yml",
            attempts=[
                Attempt(1, "failed", 1.5, Failure(1, 5, "404 Not Found"), window=window(50, 52))
            ],
            covers=["wishlist"],
            quarantine_reason="SHOP-12: wishlist is being rebuilt",
        ),
        Journey.from_attempts(
            id="export",
            name="Admin exports orders",
            file="journeys/admin/export.journey.yml",
            attempts=[Attempt(1, "skipped", 0.0)],
            skip_reason="runs only in staging",
        ),
    )


def features(evidence: str = "") -> tuple[Feature, ...]:
    def tests(*statuses_and_mocks: tuple[str, int | None]) -> list[UnitTest]:
        return [
            UnitTest(f"tests/test_shop.py::test_{i}", status, mocks, "tests/test_shop.py")
            for i, (status, mocks) in enumerate(statuses_and_mocks)
        ]

    said = evidence or "step 4 click Add to cart: Timeout 10000ms exceeded"
    return (
        Feature.from_tests(
            id="catalog", verdict="verified", journeys=["catalog"], tests=tests(("passed", 0))
        ),
        Feature.from_tests(
            id="checkout",
            verdict="green-but-broken",
            journeys=["buy-a-mug"],
            tests=tests(("passed", 4), ("passed", 2), ("passed", 0)),
            evidence=[said, "mock of POST /api/pay returns 201; the real service returns 402"],
        ),
        Feature.from_tests(
            id="cart", verdict="broken", journeys=["buy-a-mug"], tests=tests(("failed", 1))
        ),
        Feature.from_tests(id="search", verdict="flaky", journeys=["search"], tests=[]),
        Feature.from_tests(id="wishlist", verdict="inconclusive", journeys=["wishlist"], tests=[]),
        Feature.from_tests(
            id="profile",
            verdict="red-but-working",
            journeys=["catalog"],
            tests=tests(("failed", 3)),
        ),
        Feature.from_tests(id="login", verdict="journey-only", journeys=["catalog"], tests=[]),
        Feature.from_tests(
            id="payments", verdict="no-journey", journeys=[], tests=tests(("passed", None))
        ),
    )


def unit_suites() -> tuple[UnitSuite, ...]:
    return (
        UnitSuite("shop", tests=10, passed=8, failed=1, skipped=1, duration_s=4.2),
        UnitSuite("web-ui", tests=3, passed=3, failed=0, skipped=0, duration_s=None),
    )


def run_info() -> RunInfo:
    return RunInfo(
        id="20260314-093000-ab12",
        environment="staging",
        started_at=START,
        duration_s=75.5,
        timings=Timings(boot=12.0, unit=4.2, journeys=55.0, crosscheck=0.1, teardown=3.0),
        services=(Service("db", 2.5, "services/db.log"), Service("web", 9.1, "services/web.log")),
    )


def gate_of(
    ran: tuple[Journey, ...],
    judged: tuple[Feature, ...],
    fail_on: tuple[str, ...] = ("failed", "green_but_broken"),
) -> Gate:
    """The one gate, fed the fake run's journeys and its hand-set verdicts."""
    by_id = {j.id: judged_journey(j) for j in ran}
    verdicts = [
        FeatureVerdict(
            f.id,
            f.verdict,
            tuple(by_id[j] for j in f.journeys if j in by_id),
            (),
            MockRatio.from_counts([]),
            f.evidence,
        )
        for f in judged
    ]
    drift = [(f.id, d.message) for f in judged for d in f.drift]
    return decide_gate(by_id.values(), verdicts, fail_on, drift=drift)


def finished_run(
    *,
    name: str = "Guest buys a mug",
    message: str = "",
    evidence: str = "",
    fail_on: tuple[str, ...] = ("failed", "green_but_broken"),
) -> FinishedRun:
    """A run with every status and verdict; it exits 3 (green-but-broken)."""
    ran, judged = journeys(name, message), features(evidence)
    return FinishedRun(
        run=run_info(),
        gate=gate_of(ran, judged, fail_on),
        journeys=ran,
        unit=unit_suites(),
        features=judged,
        secrets=(SECRET,),
    )


def hostile_run() -> FinishedRun:
    """Text from the app and tests that would run script if it were not escaped."""
    run = finished_run(
        name=f"Buy {SCRIPT} a mug",
        message=f"page title was '{SCRIPT}' and the error said {IMG}",
        evidence=f"console: {IMG}",
    )
    return replace(run, run=replace(run.run, environment=f"stage {SCRIPT}"))


def service_log(service: str) -> str:
    """A line every 5 s from the start, one (at 51 s) with the secret in it."""

    def stamp(second: int) -> str:
        return (START + timedelta(seconds=second)).strftime("%Y-%m-%dT%H:%M:%S.123456789Z")

    lines = [f"{stamp(second)} {service} handled request {second}" for second in range(0, 60, 5)]
    lines.insert(11, f"{stamp(51)} {service} token={SECRET}")
    return "\n".join(lines) + "\n"


def write_artifacts(run: FinishedRun, directory: Path) -> None:
    """The files the run's paths point at: a real PNG, a trace, logs of each service."""
    for journey in run.journeys:
        for attempt in journey.attempts:
            artifacts = attempt.artifacts
            for path in artifacts.paths():
                target = directory / path
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(png_bytes() if path == artifacts.screenshot else b"data")
    for service in run.run.services:
        assert service.log is not None
        (directory / service.log).parent.mkdir(parents=True, exist_ok=True)
        (directory / service.log).write_text(service_log(service.name))


def test_the_fake_run_has_every_journey_status_and_every_verdict() -> None:
    run = finished_run()
    assert {j.status for j in run.journeys} == set(JOURNEY_STATUSES)
    assert {f.verdict for f in run.features} == set(VERDICTS)


def test_the_fake_png_is_a_png() -> None:
    data = png_bytes(7, 5)
    assert data.startswith(b"\x89PNG\r\n\x1a\n")
    assert struct.unpack(">II", data[16:24]) == (7, 5)
