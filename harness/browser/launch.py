"""Launch Chromium through Playwright, turning its launch errors into the harness's own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from harness.browser.discovery import INSTALL_HINT, BrowserExecutable
from harness.errors import BrowserError, BrowserNotFoundError

if TYPE_CHECKING:
    from playwright.sync_api import Browser, Playwright


def launch_chromium(
    pw: Playwright, executable: BrowserExecutable, *, headless: bool = True
) -> Browser:
    """Start Chromium; Playwright's "Executable doesn't exist" becomes advice, not a traceback."""
    from playwright.sync_api import Error as PlaywrightError

    try:
        return pw.chromium.launch(**executable.launch_options(headless=headless))  # type: ignore[arg-type]
    except PlaywrightError as exc:
        if "Executable doesn't exist" in str(exc):
            raise BrowserNotFoundError(
                f"Playwright's Chromium is not installed.\n    {INSTALL_HINT}"
            ) from exc
        first_line = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise BrowserError(
            f"could not launch {executable.describe()}: {first_line}\n    {INSTALL_HINT}"
        ) from exc


@contextmanager
def running_chromium(executable: BrowserExecutable, *, headless: bool = True) -> Iterator[Browser]:
    """A launched Chromium, closed (with Playwright's driver) on exit."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = launch_chromium(pw, executable, headless=headless)
        try:
            yield browser
        finally:
            browser.close()


def launch_check(executable: BrowserExecutable) -> str:
    """Launch headless, open a blank page, and return the browser's version."""
    with running_chromium(executable) as browser:
        page = browser.new_page()
        page.goto("about:blank")
        return browser.version
