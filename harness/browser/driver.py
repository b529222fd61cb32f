"""One thread's browser: its own Playwright (the sync API is per thread) and a browser (its
own, or the run's shared Chromium reached over CDP), running journeys one at a time, each
attempt in a fresh context (the runner's rule). Playwright's errors become the harness's own
here, so callers never import Playwright."""

from __future__ import annotations

from dataclasses import dataclass, replace
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING

from harness.browser.discovery import (
    BrowserExecutable,
    chosen_explicitly,
    find_browser,
    find_browser_with,
)
from harness.browser.launch import launch_chromium
from harness.browser.shared import SharedChromium
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

    @property
    def shareable(self) -> bool:
        """A local Chromium can serve every worker of a run (see :mod:`harness.browser.shared`)."""
        return self.remote is None and self.name == "chromium"

    def launch(self, pw: Playwright, extra_args: tuple[str, ...] = ()) -> Browser:
        if self.remote is not None:
            from harness.browser.remote import connect_remote

            return connect_remote(pw, self.remote, self.name)
        executable = find_browser_with(pw) if self.look_up else self.executable
        if executable is not None:
            return launch_chromium(pw, executable, headless=self.headless, args=extra_args)
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


class JourneyDriver:
    """``with JourneyDriver(choice) as driver: driver.run(...)``: Playwright started and the
    browser launched on entry (BrowserError when it cannot be), both closed on exit. With
    ``shared``, the first driver launches Chromium for all, the others connect to it, and the
    first closes it only once the others have left."""

    def __init__(self, choice: BrowserChoice, shared: SharedChromium | None = None) -> None:
        self.choice = choice
        self.shared = shared if choice.shareable else None
        self._serves_others = False  # it launched the shared Chromium
        self._one_of_others = False  # it was to use another driver's Chromium
        self._connected = False  # and it could
        self._playwright: Playwright | None = None
        self._browser: Browser | None = None

    def __enter__(self) -> JourneyDriver:
        from playwright.sync_api import Error as PlaywrightError
        from playwright.sync_api import sync_playwright

        try:
            self._playwright = sync_playwright().start()
        except PlaywrightError as exc:  # the driver itself failed to start
            raise BrowserError(f"Playwright failed: {exc}") from exc
        try:
            self._browser = self._open(self._playwright)
        except BaseException:
            self._stop()
            raise
        return self

    @property
    def uses_shared_browser(self) -> bool:
        """It runs its journeys in another driver's Chromium, reached over CDP."""
        return self._one_of_others and self._connected

    def _open(self, pw: Playwright) -> Browser:
        shared = self.shared
        if shared is None:
            return self.choice.launch(pw)
        flags = shared.debugging_args()
        if not flags:  # another driver launches: use its browser when it can be reached
            self._one_of_others = True
            connected = shared.connect(pw)
            self._connected = connected is not None
            return connected or self.choice.launch(pw)
        try:
            browser = self.choice.launch(pw, flags)
        except BaseException:
            shared.launched(ok=False)
            raise
        shared.launched(ok=True)
        self._serves_others = True
        return browser

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

    def run(self, journey: Journey, settings: RunSettings, folder: Path) -> JourneyResult:
        """One journey with all its attempts; BrowserError when the browser went away."""
        from playwright.sync_api import Error as PlaywrightError

        from harness.browser.runner import run_journey

        assert self._browser is not None, "not entered"
        assert self._playwright is not None, "not entered"
        with_devices = replace(settings, devices=self._playwright.devices)
        try:
            return run_journey(self._browser, journey, with_devices, folder)
        except PlaywrightError as exc:
            raise BrowserError(f"Playwright failed: {exc}") from exc

    def _stop(self) -> None:
        from playwright.sync_api import Error as PlaywrightError

        browser, playwright = self._browser, self._playwright
        self._playwright = self._browser = None
        try:
            if self.shared is not None and self._serves_others:
                self.shared.wait_for_the_others()
            if browser is not None and browser.is_connected():  # a crashed one is gone already
                browser.close()  # over CDP: closes this driver's contexts and disconnects
        except PlaywrightError as exc:
            raise BrowserError(f"the browser could not be closed: {exc}") from exc
        finally:
            if self.shared is not None and self._one_of_others:
                self.shared.leave()
            if playwright is not None:
                playwright.stop()
