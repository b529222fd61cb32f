"""Journeys that met a dead stack: a failure at or after the death is the environment's."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from harness.report.model import Attempt, EnvironmentFailure, Failure, Journey, TimeWindow
from harness.run.convert import against_dead_stack

DEATH = datetime(2026, 11, 30, 12, 0, 10, tzinfo=timezone.utc)
FAILURE = EnvironmentFailure("web", "service", DEATH, "exited with code 137", 137)


def journey(ends_at: datetime, status: str = "failed") -> Journey:
    window = TimeWindow(ends_at - timedelta(seconds=3), ends_at)
    failure = Failure(2, 7, "not true within 2s") if status == "failed" else None
    attempt = Attempt(1, "failed" if failure else "passed", 3.0, failure, window=window)
    return Journey.from_attempts(
        id="j.journey.yml", name="J", file="j.journey.yml", attempts=[attempt], covers=("x",)
    )


def test_a_journey_that_failed_after_the_death_ran_against_a_dead_stack() -> None:
    dead = against_dead_stack(journey(DEATH + timedelta(seconds=1)), FAILURE)
    assert dead is not None
    assert dead.failure is not None
    assert dead.failure.kind == "error"
    assert dead.failure.message == (
        "run against a dead stack: service 'web' exited with code 137 at "
        "2026-11-30T12:00:10.000Z\nnot true within 2s"
    )
    assert (dead.failure.step, dead.failure.line, dead.covers) == (2, 7, ("x",))


def test_a_failure_before_the_death_and_a_pass_after_it_stand() -> None:
    assert against_dead_stack(journey(DEATH - timedelta(seconds=1)), FAILURE) is None
    assert against_dead_stack(journey(DEATH + timedelta(seconds=1), "passed"), FAILURE) is None
