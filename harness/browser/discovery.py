"""Find a Chromium that Playwright can drive, and the flags it must always get.

Playwright's own browser download does not work everywhere (no network, locked-down CI), so
when its bundled Chromium is missing the harness falls back to a system Chromium or Chrome.
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from harness.errors import BrowserNotFoundError

if TYPE_CHECKING:
    from playwright.sync_api import Playwright

#: Environment variable naming a Chromium or Chrome binary; the ``--browser-path`` option wins.
BROWSER_PATH_ENV = "HARNESS_BROWSER_PATH"

#: Without these Chromium keeps calling home, which fails (and slows it) on a closed network.
CHROMIUM_FLAGS = (
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
)

SYSTEM_CANDIDATES = (
    "chromium",
    "chromium-browser",
    "google-chrome",
    "google-chrome-stable",
    "chrome",
    "/snap/bin/chromium",
    "/Applications/Google Chrome.app/Contents/MacOS/Google Chrome",
    "/Applications/Chromium.app/Contents/MacOS/Chromium",
)

INSTALL_HINT = (
    "Install one of: Playwright's browser (`playwright install chromium`), "
    "Debian/Ubuntu `apt-get install chromium`, or Google Chrome; "
    f"or point {BROWSER_PATH_ENV} (or --browser-path) at a Chromium or Chrome binary."
)


@dataclass(frozen=True)
class BrowserExecutable:
    """A Chromium binary to launch; ``path`` is None for Playwright's bundled one."""

    path: str | None
    source: str

    def launch_options(self, *, headless: bool = True) -> dict[str, object]:
        """Keyword arguments for ``playwright.chromium.launch``."""
        options: dict[str, object] = {"headless": headless, "args": list(CHROMIUM_FLAGS)}
        if self.path is not None:
            options["executable_path"] = self.path
        return options

    def describe(self) -> str:
        return f"{self.path or 'Playwright bundled Chromium'} ({self.source})"


def _check_explicit(path: str, source: str) -> BrowserExecutable:
    resolved = shutil.which(path) or path
    if not Path(resolved).is_file() or not os.access(resolved, os.X_OK):
        raise BrowserNotFoundError(
            f"the browser named by {source} does not exist or is not executable: {path}\n"
            f"    {INSTALL_HINT}"
        )
    return BrowserExecutable(resolved, source)


def playwright_bundled_chromium() -> str | None:
    """Path of Playwright's downloaded Chromium, or None when it was never installed."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        path = pw.chromium.executable_path
    return path if path and Path(path).is_file() else None


def system_chromium() -> str | None:
    """The first Chromium or Chrome found on PATH or in the usual install locations."""
    for candidate in SYSTEM_CANDIDATES:
        found = shutil.which(candidate)
        if found:
            return found
    return None


def find_browser(explicit: str | None = None, *, prefer_bundled: bool = True) -> BrowserExecutable:
    """Pick the browser: the option, then the environment variable, then Playwright's, then
    the system's. Raises BrowserNotFoundError, naming what to install, when there is none."""
    if explicit:
        return _check_explicit(explicit, "--browser-path")
    from_env = os.environ.get(BROWSER_PATH_ENV)
    if from_env:
        return _check_explicit(from_env, BROWSER_PATH_ENV)
    if prefer_bundled and playwright_bundled_chromium():
        return BrowserExecutable(None, "Playwright")
    system = system_chromium()
    if system:
        return BrowserExecutable(system, "system")
    raise BrowserNotFoundError(f"no Chromium or Chrome found.\n    {INSTALL_HINT}")


def chosen_explicitly(explicit: str | None = None) -> bool:
    """Whether the option or the environment variable names the browser (no lookup needed)."""
    return bool(explicit or os.environ.get(BROWSER_PATH_ENV))


def find_browser_with(pw: Playwright, explicit: str | None = None) -> BrowserExecutable:
    """:func:`find_browser`'s choice, asking a running Playwright whether its own Chromium is
    installed: starting a second Playwright driver only to ask took 0.5-2 s."""
    if chosen_explicitly(explicit):
        return find_browser(explicit)
    if Path(pw.chromium.executable_path).is_file():
        return BrowserExecutable(None, "Playwright")
    return find_browser(prefer_bundled=False)
