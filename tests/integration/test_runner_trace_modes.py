"""``--trace`` modes in real Chromium against a real page: which attempts record a trace and which
keep trace.zip, and the phase timings every attempt carries."""

from __future__ import annotations

import pytest

from harness.browser.evidence import ArtifactPolicy
from harness.contract import TraceMode
from tests.support.runner import JourneyRunner

FLAKY = """
name: Flaky for {mode}
retries: 2
steps:
  - goto: /index.html
  - request: {{url: "/api/flaky/trace-{mode}", expect: {{status: 200}}}}
"""


@pytest.mark.parametrize(
    ("mode", "kept"),
    [
        ("on", [True, True]),
        ("off", [False, False]),
        ("retain-on-failure", [True, False]),
        ("on-first-retry", [False, True]),
    ],
)
def test_each_mode_keeps_the_traces_it_says(
    journeys: JourneyRunner, mode: TraceMode, kept: list[bool]
) -> None:
    result = journeys.run(FLAKY.format(mode=mode), policy=ArtifactPolicy(trace=mode))
    assert [a.status for a in result.attempts] == ["failed", "passed"]
    traces = [a.folder / "trace.zip" for a in result.attempts]
    assert [trace.is_file() for trace in traces] == kept
    assert [a.artifact("trace") is not None for a in result.attempts] == kept
    for trace in traces:
        if trace.is_file():
            assert trace.stat().st_size > 1000  # a real trace, with the page's resources


def test_on_first_retry_records_nothing_for_a_journey_without_retries(
    journeys: JourneyRunner,
) -> None:
    text = (
        "name: Once\nstep_timeout: 1s\nsteps:\n  - goto: /index.html\n  - expect: {text: Nowhere}\n"
    )
    result = journeys.run(text, policy=ArtifactPolicy(trace="on-first-retry"))
    attempt = result.attempts[0]
    assert attempt.status == "failed"
    assert not (attempt.folder / "trace.zip").exists()
    assert attempt.artifact("screenshot") == attempt.folder / "failure.png"  # still evidence
    assert "trace_start" not in attempt.timings


def test_every_attempt_records_where_its_time_went(journeys: JourneyRunner) -> None:
    result = journeys.run("name: Timed\nsteps:\n  - goto: /index.html\n")
    timings = result.attempts[0].timings
    assert {"prepare", "context", "trace_start", "steps", "trace_stop", "close"} <= set(timings)
    assert all(seconds >= 0 for seconds in timings.values())
    assert timings["steps"] > 0
    assert sum(timings.values()) <= result.attempts[0].duration_s + 0.01


def test_the_default_keeps_the_trace_of_a_failure_only() -> None:
    policy = ArtifactPolicy()
    assert policy.trace == "retain-on-failure"
    assert policy.keeps_trace(1, failed=True)
    assert not policy.keeps_trace(1, failed=False)
