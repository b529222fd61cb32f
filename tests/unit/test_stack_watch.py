"""The watch over a running environment: the first death is reported once, and at once."""

from __future__ import annotations

import threading
from datetime import datetime, timezone

from harness.errors import DockerUnavailableError
from harness.stack.watch import ServiceDeath, StackWatch

AT = datetime(2026, 11, 30, 12, 1, 2, 345000, tzinfo=timezone.utc)


def death(service: str, second: int = 2) -> ServiceDeath:
    return ServiceDeath(service, "service", AT.replace(second=second), "exited with code 137", 137)


def test_a_death_is_described_with_its_service_reason_and_time() -> None:
    assert death("web").describe() == (
        "service 'web' exited with code 137 at 2026-11-30T12:01:02.345Z"
    )


def test_the_first_death_is_reported_once_from_the_watch_thread() -> None:
    seen: list[ServiceDeath] = []
    reported = threading.Event()
    polls = iter([[], [], [death("db", 5), death("web", 3)]])

    def deaths() -> list[ServiceDeath]:
        return next(polls, [death("cache", 1)])

    def on_death(found: ServiceDeath) -> None:
        seen.append(found)
        reported.set()

    with StackWatch(deaths, on_death, interval_s=0.01) as watch:
        assert reported.wait(5)
        assert watch.check() == death("web", 3)  # later polls never replace the first death
    assert seen == [death("web", 3)]


def test_an_engine_that_stops_answering_is_no_death() -> None:
    def deaths() -> list[ServiceDeath]:
        raise DockerUnavailableError("no Docker engine answers")

    watch = StackWatch(deaths, lambda _: None)
    assert watch.check() is None
    assert watch.error == "no Docker engine answers"
