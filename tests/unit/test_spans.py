"""Phase timings: spans add up per name; the unit tests' overlap with boot and journeys."""

from __future__ import annotations

import time

import pytest

from harness.core.spans import Spans, overlap


def test_a_span_measures_its_block_and_a_name_measured_twice_adds_up() -> None:
    spans = Spans()
    with spans.span("steps"):
        time.sleep(0.01)
    with spans.span("steps"):
        time.sleep(0.01)
    spans.add("close", 0.5)
    assert 0.02 <= spans.seconds["steps"] < 1
    assert list(spans.rounded()) == ["steps", "close"]


def test_a_span_is_recorded_when_its_block_raises() -> None:
    spans = Spans()
    with pytest.raises(ValueError, match="no context"), spans.span("context"):
        raise ValueError("no context")
    assert "context" in spans.seconds


@pytest.mark.parametrize(
    ("unit", "others", "saved"),
    [
        ((0.0, 4.0), [(0.0, 10.0), (11.0, 20.0)], 4.0),  # unit tests shorter than the boot
        ((0.0, 15.0), [(0.0, 10.0), (11.0, 20.0)], 14.0),  # into the journeys
        ((0.0, 30.0), [(0.0, 10.0), (11.0, 20.0)], 19.0),  # longer than both
        ((25.0, 30.0), [(0.0, 10.0), (11.0, 20.0)], 0.0),  # after everything
    ],
)
def test_overlap_is_the_time_run_alongside(
    unit: tuple[float, float], others: list[tuple[float, float]], saved: float
) -> None:
    assert overlap(unit, others) == pytest.approx(saved)
