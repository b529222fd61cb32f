"""Journeys in parallel: each worker thread drives its own Playwright and one browser, launched
while the environment boots, and runs journeys from the shared queue, each attempt in a fresh
browser context (the runner's own rule). Playwright's sync API is per thread, hence one each."""

from __future__ import annotations

import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING

from harness.browser.discovery import BrowserExecutable, find_browser
from harness.browser.results import JourneyResult
from harness.browser.runner import RunSettings, run_journey
from harness.errors import BrowserError, HarnessError
from harness.run.plan import PlannedJourney
from harness.run.queue import JourneyQueue

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright

_SUFFIX = re.compile(r"\.journey\.ya?ml$")


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser every worker launches: Chromium as the harness finds it, or Playwright's
    own Firefox or WebKit."""

    name: str
    headless: bool
    executable: BrowserExecutable | None = None

    @classmethod
    def from_options(cls, name: str, path: str | None, headed: bool) -> BrowserChoice:
        """Chromium is looked up now, so a missing browser stops the run before anything boots."""
        found = find_browser(path) if name == "chromium" else None
        return cls(name, not headed, found)

    def launch(self, pw: Playwright) -> Browser:
        from harness.browser.launch import launch_chromium

        if self.executable is not None:
            return launch_chromium(pw, self.executable, headless=self.headless)
        return _launch_bundled(pw, self.name, self.headless)


def _launch_bundled(pw: Playwright, name: str, headless: bool) -> Browser:
    from playwright.sync_api import Error as PlaywrightError

    try:
        launched: Browser = getattr(pw, name).launch(headless=headless)
    except PlaywrightError as exc:
        first = (str(exc).strip().splitlines() or [repr(exc)])[0]
        raise BrowserError(
            f"could not launch {name}: {first}\n    Install it with: playwright install {name}"
        ) from exc
    return launched


@dataclass(frozen=True)
class Finished:
    """One journey's result, as a worker hands it back."""

    planned: PlannedJourney
    result: JourneyResult


def journey_folder(run_dir: Path, journey_id: str) -> Path:
    """``journeys/cart/add.journey.yml`` keeps its evidence in ``<run>/journeys/cart/add/``."""
    name = _SUFFIX.sub("", journey_id)
    parts = [re.sub(r"[^A-Za-z0-9._-]+", "-", p) for p in name.split("/") if p not in ("", "..")]
    return run_dir.joinpath(*(parts or ["journey"]))


def crashed(planned: PlannedJourney, error: BaseException) -> JourneyResult:
    """The result of a journey the runner itself could not run (the browser went away)."""
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
    """``count`` threads, each with a browser; ``start()`` launches them, ``go(settings)``
    lets them run the queue, ``join()`` waits for the last journey."""

    def __init__(
        self,
        count: int,
        browser: BrowserChoice,
        queue: JourneyQueue[PlannedJourney],
        run_dir: Path,
        on_finished: Callable[[Finished], None],
    ) -> None:
        self.browser = browser
        self.queue = queue
        self.run_dir = run_dir
        self.on_finished = on_finished
        self.settings: RunSettings | None = None
        self.errors: list[HarnessError] = []
        self._launched = threading.Semaphore(0)
        self._go = threading.Event()
        self._threads = [
            threading.Thread(target=self._work, name=f"journey worker {n}", daemon=True)
            for n in range(1, count + 1)
        ]

    def start(self) -> None:
        for thread in self._threads:
            thread.start()

    def wait_launched(self) -> None:
        """Block until every browser is up; BrowserError (exit 4) when one could not start."""
        for _ in self._threads:
            self._launched.acquire()
        if self.errors:
            raise self.errors[0]

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
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        try:
            with sync_playwright() as pw:
                browser = self._launch(pw)
                if browser is None:
                    return
                try:
                    self._run_queue(browser, pw)
                finally:
                    browser.close()
        except PlaywrightError as exc:  # the driver itself failed to start or went away
            self._failed(BrowserError(f"Playwright failed: {exc}"))

    def _launch(self, pw: Playwright) -> Browser | None:
        try:
            browser = self.browser.launch(pw)
        except HarnessError as exc:
            self._failed(exc)
            return None
        self._launched.release()
        return browser

    def _failed(self, error: HarnessError) -> None:
        self.errors.append(error)
        self._launched.release()

    def _run_queue(self, browser: Browser, pw: Playwright) -> None:
        self._go.wait()
        if self.settings is None:
            return
        settings = replace(self.settings, devices=pw.devices)
        while (planned := self.queue.take()) is not None:
            try:
                result = self._run_one(browser, planned, settings)
            finally:
                self.queue.done(planned)
            self.on_finished(Finished(planned, result))

    def _run_one(
        self, browser: Browser, planned: PlannedJourney, settings: RunSettings
    ) -> JourneyResult:
        from playwright.sync_api import Error as PlaywrightError

        folder = journey_folder(self.run_dir, planned.id)
        try:
            return run_journey(browser, planned.journey, settings, folder)
        except (PlaywrightError, HarnessError, OSError) as exc:
            return crashed(planned, exc)
