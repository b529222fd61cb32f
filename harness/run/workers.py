"""Journeys in parallel: one thread holds the run's Playwright and browser (a
``JourneyDriver``), and its workers, fibers of that thread, take journeys from the shared queue
(see ``JourneyDriver``). The browser starts before anything else: as the command starts, while
the run imports, validates and plans (``start_early``); a remote browser's further connections
(one per worker) once the run knows how many journeys there are, while the environment
boots."""

from __future__ import annotations

import os
import threading
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.browser.driver import BrowserChoice, JourneyDriver, load_playwright
from harness.core.paths import journey_folder
from harness.core.remote_browser import ENDPOINT_ENV
from harness.errors import HarnessError
from harness.run.options import RunOptions
from harness.run.queue import JourneyQueue

if TYPE_CHECKING:  # imported by the run itself: the first browser starts before they are
    from harness.browser.results import JourneyResult
    from harness.browser.settings import RunSettings
    from harness.run.plan import PlannedJourney


@dataclass(frozen=True)
class Finished:
    """One journey's result, as a worker hands it back."""

    planned: PlannedJourney
    result: JourneyResult


def crashed(planned: PlannedJourney, error: BaseException) -> JourneyResult:
    """The result of a journey the runner itself could not run (the browser went away)."""
    from harness.browser.results import JourneyResult

    journey = planned.journey
    message = (str(error).strip().splitlines() or [type(error).__name__])[0]
    return JourneyResult(
        name=journey.name,
        file=journey.file,
        status="failed",
        covers=journey.covers,
        tags=journey.tags,
        reason=f"the harness could not run it: {message}",
    )


class Workers:
    """The journeys' thread and its workers: ``start(n)`` launches the browser for ``n``
    workers (a second call asks for more), ``assign(...)`` gives them the queue, ``go(settings)``
    lets them run it, ``join()`` waits for the last journey, ``close()`` for the browser to be
    closed too."""

    def __init__(self, browser: BrowserChoice) -> None:
        self.browser = browser
        self.queue: JourneyQueue[PlannedJourney] = JourneyQueue([], lambda _: None)
        self.run_dir = Path()
        self.on_finished: Callable[[Finished], None] = lambda _: None
        self.settings: RunSettings | None = None
        self.errors: list[HarnessError] = []
        self._state = threading.Condition()
        self._wanted = 0  # workers asked for
        self._ready = 0  # workers whose browser is up
        self._going = False
        self._finished = False  # the journeys are done: the browser may still be closing
        self._ended = False  # the thread gave up or finished
        self._loaded = threading.Event()  # the thread has imported Playwright (or gave up)
        self._thread: threading.Thread | None = None

    def assign(
        self,
        queue: JourneyQueue[PlannedJourney],
        run_dir: Path,
        on_finished: Callable[[Finished], None],
    ) -> None:
        self.queue = queue
        self.run_dir = run_dir
        self.on_finished = on_finished

    def start(self, count: int) -> None:
        """Run ``count`` workers in all: the thread starts at the first call."""
        with self._state:
            self._wanted = max(self._wanted, count)
            self._state.notify_all()
        if self._thread is None and count > 0:
            self._thread = threading.Thread(target=self._work, name="journeys", daemon=True)
            self._thread.start()

    def wait_loaded(self, timeout_s: float = 5.0) -> None:
        """Block until the journeys' thread has imported Playwright. The run's own imports
        would otherwise run beside that import and slow it down (they share one interpreter
        lock), and the browser's launch waits for it; after it they run while Playwright's
        driver and the browser start, which that thread mostly waits for (measured: the
        first journey 0.16 s sooner, medians of 15 rounds)."""
        self._loaded.wait(timeout_s)

    def wait_launched(self) -> None:
        """Block until every worker has its browser; BrowserError (exit 4) when one could not
        get one."""
        self._wait_until(lambda: self._ready >= self._wanted)

    def wait_first(self) -> None:
        """Block until the browser is up; its BrowserError (exit 4) when there is none (no
        browser found, or none that starts)."""
        self._wait_until(lambda: self._ready >= min(1, self._wanted))

    def _wait_until(self, ready: Callable[[], bool]) -> None:
        with self._state:
            self._state.wait_for(lambda: ready() or self._ended)
        if self.errors:
            raise self.errors[0]

    def go(self, settings: RunSettings) -> None:
        with self._state:
            self.settings = settings
            self._going = True
            self._state.notify_all()

    def stop(self) -> list[PlannedJourney]:
        """No further journey starts; the running ones finish. Returns those never started."""
        left = self.queue.stop()
        with self._state:
            self._going = True
            self._state.notify_all()
        return left

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait for every worker's last journey; False when some were still running at the
        timeout. The browser closes meanwhile, beside the reports (``close()`` waits for it)."""
        with self._state:
            return self._state.wait_for(lambda: self._finished or self._ended, timeout_s)

    def close(self, timeout_s: float | None = None) -> bool:
        """Wait until the browser and Playwright are closed; False when not by the timeout."""
        if self._thread is None:
            return True
        self._thread.join(timeout_s)
        return not self._thread.is_alive()

    def _work(self) -> None:
        try:
            load_playwright()
            self._loaded.set()
            with JourneyDriver(self.browser) as driver:
                self._open(driver)
                if self.settings is not None:  # else stopped before it began
                    driver.together([self._worker(driver, n) for n in range(self._wanted)])
                with self._state:
                    self._finished = True
                    self._state.notify_all()
        except HarnessError as exc:  # it could not launch, or the browser went away
            self.errors.append(exc)
        finally:
            self._loaded.set()
            with self._state:
                self._ended = True
                self._state.notify_all()

    def _open(self, driver: JourneyDriver) -> None:
        """Open browsers for the workers asked for until the run says go."""
        driver.warm_up()
        while True:
            with self._state:
                ready = self._ready
                wanted, going = self._wanted, self._going
            if ready < wanted:
                driver.open(wanted)
                with self._state:
                    self._ready = wanted
                    self._state.notify_all()
                continue
            if going:
                return
            with self._state:
                self._state.wait_for(lambda: self._wanted > self._ready or self._going)

    def _worker(self, driver: JourneyDriver, number: int) -> Callable[[], None]:
        def take() -> PlannedJourney | None:
            return self.queue.take(lambda: driver.pause(0.02))

        def run() -> None:
            assert self.settings is not None
            while (planned := take()) is not None:
                try:
                    result = self._run_one(driver, number, planned, self.settings)
                finally:
                    self.queue.done(planned)
                self.on_finished(Finished(planned, result))

        return run

    def _run_one(
        self, driver: JourneyDriver, number: int, planned: PlannedJourney, settings: RunSettings
    ) -> JourneyResult:
        folder = journey_folder(self.run_dir, planned.id)
        try:
            return driver.run(planned.journey, settings, folder, number)
        except (HarnessError, OSError) as exc:
            return crashed(planned, exc)


def start_early(options: RunOptions) -> Workers | None:
    """The workers, their browser launching already, when the command line alone decides
    which browser a run uses (no remote endpoint given); None when it does not, or when the
    browser cannot be found (the run then says so in its own words)."""
    if options.browser_endpoint or os.environ.get(ENDPOINT_ENV):
        return None
    try:
        choice = BrowserChoice.from_options(
            options.browser, options.browser_path, options.headed, None, look_up_later=True
        )
    except HarnessError:
        return None
    workers = Workers(choice)
    workers.start(1)  # the others once the run knows how many journeys there are
    workers.wait_loaded()
    return workers
