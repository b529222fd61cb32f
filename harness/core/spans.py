"""Where time goes: named ``time.perf_counter`` spans, added up per name.

Cheap enough to leave on everywhere (a dict update per span): each attempt records its browser
context, tracing, steps and evidence, and report.json shows them (``attempt_history[].timings_s``)
so a slow phase is found from a report rather than guessed.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from contextlib import contextmanager


class Spans:
    """Seconds per name; a name measured twice adds up."""

    def __init__(self) -> None:
        self.seconds: dict[str, float] = {}

    @contextmanager
    def span(self, name: str) -> Iterator[None]:
        started = time.perf_counter()
        try:
            yield
        finally:
            self.add(name, time.perf_counter() - started)

    def add(self, name: str, seconds: float) -> None:
        self.seconds[name] = self.seconds.get(name, 0.0) + seconds

    def rounded(self) -> dict[str, float]:
        """Milliseconds precision, in the order first measured."""
        return {name: round(seconds, 4) for name, seconds in self.seconds.items()}


Interval = tuple[float, float]


def overlap(interval: Interval, others: list[Interval]) -> float:
    """Seconds of ``interval`` (start, end) that fall inside ``others`` (which do not overlap
    each other): the unit tests against the boot and the journeys, say."""
    start, end = interval
    return sum(
        max(0.0, min(end, other_end) - max(start, other_start)) for other_start, other_end in others
    )
