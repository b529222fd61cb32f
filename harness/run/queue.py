"""The queue workers take journeys from: in order, except that two journeys of one ``serial``
group never run at the same time (they share data); a worker then takes the next free one."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable
from typing import Generic, TypeVar

T = TypeVar("T")


class JourneyQueue(Generic[T]):
    """Thread-safe: ``take()`` blocks until an item is free to run or none is left (or, given
    ``pause``, calls it between looks: workers that share one thread must not block it); call
    ``done(item)`` when it has finished; ``stop()`` makes every ``take()`` return None."""

    def __init__(self, items: Iterable[T], group: Callable[[T], str | None]) -> None:
        self._waiting = list(items)
        self._group = group
        self._busy: set[str] = set()
        self._stopped = False
        self._changed = threading.Condition()

    def take(self, pause: Callable[[], None] | None = None) -> T | None:
        while True:
            with self._changed:
                if self._stopped or not self._waiting:
                    return None
                found = self._first_free()
                if found is not None:
                    return found
                if pause is None:
                    self._changed.wait()
                    continue
            pause()

    def _first_free(self) -> T | None:
        for index, item in enumerate(self._waiting):
            name = self._group(item)
            if name is None or name not in self._busy:
                if name is not None:
                    self._busy.add(name)
                return self._waiting.pop(index)
        return None

    def done(self, item: T) -> None:
        with self._changed:
            self._busy.discard(self._group(item) or "")
            self._changed.notify_all()

    def stop(self) -> list[T]:
        """No more items are handed out; returns those that never were."""
        with self._changed:
            self._stopped = True
            left, self._waiting = self._waiting, []
            self._changed.notify_all()
            return left
