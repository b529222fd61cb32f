"""The journeys' browser: one Playwright (the sync API belongs to the thread that starts it)
and one browser, or one connection per worker to a remote one; the workers are fibers of that
thread (``harness.browser.fibers``), each journey attempt in a fresh context (the runner's
rule). Playwright's errors become the harness's own here, so callers never import Playwright."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

from harness.browser.discovery import (
    BrowserExecutable,
    chosen_explicitly,
    find_browser,
    find_browser_with,
)
from harness.browser.fibers import Fibers
from harness.browser.launch import launch_chromium
from harness.core.remote_browser import RemoteEndpoint
from harness.errors import BrowserError, UsageError

if TYPE_CHECKING:  # imported when used: a run starts its browser while it imports the rest
    from playwright.sync_api import Browser, Playwright

    from harness.browser.results import JourneyResult
    from harness.browser.settings import RunSettings
    from harness.core.journey.model import Journey


@dataclass(frozen=True)
class BrowserChoice:
    """Which browser every worker launches: Chromium as the harness finds it, or Playwright's
    own Firefox or WebKit; or, with ``remote``, none: each worker connects to that endpoint."""

    name: str
    headless: bool
    executable: BrowserExecutable | None = None
    remote: RemoteEndpoint | None = None
    #: Chromium is looked up by the Playwright that launches it (``look_up_later``).
    look_up: bool = False

    @classmethod
    def from_options(
        cls,
        name: str,
        path: str | None,
        headed: bool,
        remote: RemoteEndpoint | None = None,
        *,
        look_up_later: bool = False,
    ) -> BrowserChoice:
        """Chromium is looked up now, so a missing browser stops the run before anything boots;
        with a remote endpoint no local browser is looked for. ``look_up_later``: unless a
        path names it, the worker that launches Chromium looks it up with its own Playwright
        (the caller waits for that worker before booting anything)."""
        if remote is not None:
            if remote.protocol == "cdp" and name != "chromium":
                raise UsageError(
                    f"--browser {name}: {remote.source} is a CDP endpoint ({remote.shown()}), "
                    f"which only Chromium speaks; use a ws(s):// Playwright server for {name}"
                )
            return cls(name, not headed, None, remote)
        if name == "chromium" and look_up_later and not chosen_explicitly(path):
            return cls(name, not headed, look_up=True)
        found = find_browser(path) if name == "chromium" else None
        return cls(name, not headed, found)

    def launch(self, pw: Playwright) -> Browser:
        if self.remote is not None:
            from harness.browser.remote import connect_remote

            return connect_remote(pw, self.remote, self.name)
        executable = find_browser_with(pw) if self.look_up else self.executable
        if executable is not None:
            return launch_chromium(pw, executable, headless=self.headless)
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


def load_playwright() -> None:
    """Import Playwright's sync API (what ``JourneyDriver`` does first), for a caller that
    wants to know when that is done."""
    import playwright.sync_api  # noqa: F401


class JourneyDriver:
    """``with JourneyDriver(choice) as driver: driver.together([...])``: Playwright started and
    the browser launched (or connected to) on entry, BrowserError when it cannot be; all closed
    on exit. Used by the one thread that entered it, whose fibers the workers are.

    Local workers share the one browser, each journey attempt in a context of its own (its
    cookies, storage and dialogs are its own): a second Chromium per worker cost a fifth more
    CPU on 2 cores. With a remote Playwright server each worker connects on its own
    (``open(count)``), so a browser service can spread them. Workers never share one browser
    over two connections: a browser reached by a second connection over CDP shows that
    connection every page of the other, and Playwright dismisses the dialogs of pages that have
    no dialog handler, so one worker would answer another's ``dialog`` steps."""

    def __init__(self, choice: BrowserChoice) -> None:
        self.choice = choice
        self._playwright: Playwright | None = None
        self._browsers: list[Browser] = []
        self._device_list: Mapping[str, Mapping[str, Any]] | None = None

    def __enter__(self) -> JourneyDriver:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        try:
            self._playwright = sync_playwright().start()
        except PlaywrightError as exc:  # the driver itself failed to start
            raise BrowserError(f"Playwright failed: {exc}") from exc
        try:
            self.open(1)
        except BaseException:
            self._stop()
            raise
        return self

    def open(self, count: int) -> None:
        """Browsers for ``count`` workers: one local browser for all of them, or, remotely, a
        connection each (BrowserError when one cannot be made)."""
        assert self._playwright is not None, "not entered"
        wanted = count if self.choice.remote is not None else 1
        while len(self._browsers) < wanted:
            self._browsers.append(self.choice.launch(self._playwright))

    def browser(self, worker: int) -> Browser:
        """The browser worker number ``worker`` opens its contexts in."""
        assert self._browsers, "not entered"
        return self._browsers[worker % len(self._browsers)]

    def together(self, bodies: Sequence[Callable[[], None]]) -> None:
        """Run ``bodies`` (one per worker) at the same time, as fibers of this thread."""
        assert self._browsers, "not entered"
        Fibers(self._browsers[0]).together(bodies)

    def pause(self, seconds: float) -> None:
        """From a worker: let the others run for ``seconds``."""
        assert self._browsers, "not entered"
        Fibers(self._browsers[0]).pause(seconds)

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self._stop()

    def warm_up(self) -> None:
        """Import the runner now, while the run is still being planned or booted, rather than
        under the first journey."""
        import harness.browser.runner  # noqa: F401

    def run(
        self, journey: Journey, settings: RunSettings, folder: Path, worker: int = 0
    ) -> JourneyResult:
        """One journey with all its attempts, in the browser of worker number ``worker``;
        BrowserError when the browser went away, also when a step failed because it did: a
        dead browser says nothing about the app."""
        from playwright.sync_api import Error as PlaywrightError

        from harness.browser.runner import run_journey

        browser = self.browser(worker)
        if journey.browser.device is not None:
            settings = replace(settings, devices=self._devices())
        try:
            result = run_journey(browser, journey, settings, folder)
        except PlaywrightError as exc:
            raise BrowserError(f"Playwright failed: {exc}") from exc
        failed = bool(result.attempts) and result.attempts[-1].status == "failed"
        if failed and not self._connected(browser):
            raise BrowserError("the browser went away during the journey (crashed or killed)")
        return result

    def _devices(self) -> Mapping[str, Mapping[str, Any]]:
        """Playwright's device descriptors, read once: the sync API copies every descriptor on
        each read (11 ms of this thread per journey, measured), and only journeys that name a
        ``device`` need them."""
        assert self._playwright is not None, "not entered"
        if self._device_list is None:
            self._device_list = self._playwright.devices
        return self._device_list

    def _connected(self, browser: Browser) -> bool:
        """Whether ``browser`` is still there, once the events under way (its disconnection
        among them) have been seen."""
        if browser.is_connected():
            self.pause(0.1)
        return browser.is_connected()

    def _stop(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        browsers, playwright = self._browsers, self._playwright
        self._playwright, self._browsers = None, []
        try:
            for browser in browsers:
                if browser.is_connected():  # a crashed one is gone already
                    browser.close()
        except PlaywrightError as exc:
            raise BrowserError(f"the browser could not be closed: {exc}") from exc
        finally:
            if playwright is not None:
                playwright.stop()
