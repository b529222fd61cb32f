"""The environment watched while the journeys run: the first service or process that dies
(exits, is killed, runs out of memory, restarts, turns unhealthy) is reported at once, so the
journeys still queued need not run against a dead stack and the gate can say why."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timezone

from harness.errors import HarnessError

WATCH_INTERVAL_S = 0.25


@dataclass(frozen=True)
class ServiceDeath:
    """One service (Compose) or process that stopped being ready after the boot."""

    service: str
    kind: str  # "service" or "process"
    at: datetime  # when it died: Docker's own time of the exit, else when it was seen
    reason: str  # "exited with code 137", "is unhealthy", "restarted (...)"
    exit_code: int | None = None
    log_tail: tuple[str, ...] = ()
    log: str | None = None  # the full log, relative to the run's folder

    def describe(self) -> str:
        """``service 'web' exited with code 137 at 12:01:02.345Z``"""
        when = self.at.astimezone(timezone.utc).isoformat(timespec="milliseconds")
        return f"{self.kind} '{self.service}' {self.reason} at {when.replace('+00:00', 'Z')}"


def utc_from_epoch(seconds: float) -> datetime:
    return datetime.fromtimestamp(seconds, timezone.utc)


class StackWatch:
    """Polls ``deaths`` every ``interval_s`` on a thread of its own until stopped; calls
    ``on_death`` once, with the first death seen. ``check()`` polls once more on demand."""

    def __init__(
        self,
        deaths: Callable[[], list[ServiceDeath]],
        on_death: Callable[[ServiceDeath], None],
        interval_s: float = WATCH_INTERVAL_S,
    ) -> None:
        self._deaths = deaths
        self._on_death = on_death
        self._interval_s = interval_s
        self._stopped = threading.Event()
        self._lock = threading.Lock()
        self.death: ServiceDeath | None = None
        self.error: str | None = None
        self._thread = threading.Thread(target=self._poll, name="stack watch", daemon=True)

    def __enter__(self) -> StackWatch:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def stop(self) -> None:
        self._stopped.set()
        if self._thread.is_alive() and self._thread is not threading.current_thread():
            self._thread.join(timeout=10)

    def check(self) -> ServiceDeath | None:
        """Look once; the first death ever seen (also the one seen now)."""
        try:
            found = self._deaths()
        except HarnessError as exc:  # the engine went away: say so, do not guess a verdict
            self.error = str(exc)
            return self.death
        self.error = None
        if found:
            self._record(min(found, key=lambda d: d.at))
        return self.death

    def _record(self, death: ServiceDeath) -> None:
        with self._lock:
            if self.death is not None:
                return
            self.death = death
        self._on_death(death)

    def _poll(self) -> None:
        while not self._stopped.wait(self._interval_s):
            if self.check() is not None:
                return
