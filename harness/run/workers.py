"""Journeys in parallel: each worker thread has its own Playwright (a ``JourneyDriver``) and
runs journeys from the shared queue in a browser of its own (see ``JourneyDriver``). The first
worker's browser starts before anything else: as the command starts, while the run imports,
validates and plans (``start_early``); the others once the run knows how many journeys
there are, while the environment boots."""

from __future__ import annotations

import os
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.browser.driver import BrowserChoice, JourneyDriver
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
    """Worker threads, each with a browser: ``start(n)`` launches them (a second call adds the
    missing ones), ``assign(...)`` gives them the queue, ``go(settings)`` lets them run it,
    ``join()`` waits for the last journey."""

    def __init__(self, browser: BrowserChoice) -> None:
        self.browser = browser
        self.queue: JourneyQueue[PlannedJourney] = JourneyQueue([], lambda _: None)
        self.run_dir = Path()
        self.on_finished: Callable[[Finished], None] = lambda _: None
        self.settings: RunSettings | None = None
        self.errors: list[HarnessError] = []
        self._launched = threading.Semaphore(0)
        self._first = threading.Event()
        self._first_error: HarnessError | None = None
        self._go = threading.Event()
        self._threads: list[threading.Thread] = []

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
        """Run ``count`` workers in all: start those not started yet."""
        for n in range(len(self._threads) + 1, count + 1):
            thread = threading.Thread(target=self._work, name=f"journey worker {n}", daemon=True)
            self._threads.append(thread)
            thread.start()

    def wait_launched(self) -> None:
        """Block until every browser is up; BrowserError (exit 4) when one could not start."""
        for _ in self._threads:
            self._launched.acquire()
        if self.errors:
            raise self.errors[0]

    def wait_first(self) -> None:
        """Block until one worker has its browser; its BrowserError (exit 4) when it could
        not get one (no browser found, or none that starts)."""
        self._first.wait()
        if self._first_error is not None:
            raise self._first_error

    def go(self, settings: RunSettings) -> None:
        self.settings = settings
        self._go.set()

    def stop(self) -> list[PlannedJourney]:
        """No further journey starts; the running ones finish. Returns those never started."""
        left = self.queue.stop()
        self._go.set()
        return left

    def join(self, timeout_s: float | None = None) -> bool:
        """Wait for every worker; False when some were still running at the timeout."""
        deadline = None if timeout_s is None else time.monotonic() + timeout_s
        for thread in self._threads:
            left = None if deadline is None else max(0.0, deadline - time.monotonic())
            thread.join(left)
        return not any(thread.is_alive() for thread in self._threads)

    def _work(self) -> None:
        try:
            with JourneyDriver(self.browser) as driver:
                self._launched.release()
                self._first.set()
                self._run_queue(driver)
        except HarnessError as exc:  # it could not launch, or the browser went away
            self._failed(exc)

    def _failed(self, error: HarnessError) -> None:
        self.errors.append(error)
        self._launched.release()
        if not self._first.is_set():
            self._first_error = error
            self._first.set()

    def _run_queue(self, driver: JourneyDriver) -> None:
        driver.warm_up()
        self._go.wait()
        if self.settings is None:
            return
        while (planned := self.queue.take()) is not None:
            try:
                result = self._run_one(driver, planned, self.settings)
            finally:
                self.queue.done(planned)
            self.on_finished(Finished(planned, result))

    def _run_one(
        self, driver: JourneyDriver, planned: PlannedJourney, settings: RunSettings
    ) -> JourneyResult:
        folder = journey_folder(self.run_dir, planned.id)
        try:
            return driver.run(planned.journey, settings, folder)
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
    return workers
