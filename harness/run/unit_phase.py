"""The unit tests of harness.yml, run in a thread while the environment boots (they do not need
it), so the gate costs about max(boot, unit tests) + journeys rather than their sum."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from pathlib import Path

from harness.core.project import ProjectConfig
from harness.errors import HarnessError
from harness.unit.runner import UnitRun, collect_source, stop_commands


class UnitPhase:
    """``start()`` runs every source in order in a thread; ``result()`` waits for them.

    ``on_suite`` hears of each finished source; ``on_error`` of the error that ends the phase
    (a command that could not run is bad input: exit 2)."""

    def __init__(
        self,
        project: ProjectConfig,
        out_dir: Path,
        on_suite: Callable[[UnitRun], None],
        on_error: Callable[[HarnessError], None],
    ) -> None:
        self.project = project
        self.out_dir = out_dir
        self.on_suite = on_suite
        self.on_error = on_error
        self.runs: list[UnitRun] = []
        self.error: HarnessError | None = None
        self.duration_s = 0.0
        self.interval: tuple[float, float] | None = None
        self._cancelled = False
        self._thread = threading.Thread(target=self._run, name="unit tests", daemon=True)

    @property
    def wanted(self) -> bool:
        return bool(self.project.unit_tests)

    def start(self) -> None:
        if self.wanted:
            self._thread.start()

    def _run(self) -> None:
        started = time.monotonic()
        try:
            for source in self.project.unit_tests:
                if self._cancelled:
                    return
                run = collect_source(source, self.project.root, self.out_dir)
                self.runs.append(run)
                self.on_suite(run)
        except HarnessError as exc:
            if not self._cancelled:
                self.error = exc
                self.on_error(exc)
        finally:
            ended = time.monotonic()
            self.duration_s, self.interval = ended - started, (started, ended)

    def result(self) -> tuple[UnitRun, ...]:
        """Every source's results, once all have run (raises the phase's error, if any)."""
        if self._thread.is_alive():
            self._thread.join()
        if self.error is not None:
            raise self.error
        return tuple(self.runs)

    def done(self) -> tuple[UnitRun, ...]:
        """What has finished so far, without waiting."""
        return tuple(self.runs)

    def cancel(self) -> None:
        """Stop the command that runs now and start no other (the run ends early)."""
        if not self._thread.is_alive():
            return
        self._cancelled = True
        for _ in range(3):  # a source may have started its command just as we stopped them
            stop_commands()
            self._thread.join(timeout=5)
            if not self._thread.is_alive():
                return
