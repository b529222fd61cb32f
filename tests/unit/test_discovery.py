"""Browser discovery's choices, with real files standing in for binaries."""

from __future__ import annotations

import stat
from pathlib import Path

import pytest

from harness.browser import discovery
from harness.browser.discovery import BROWSER_PATH_ENV, CHROMIUM_FLAGS, find_browser
from harness.errors import BrowserNotFoundError


def _fake_binary(tmp_path: Path, name: str) -> Path:
    path = tmp_path / name
    path.write_text("#!/bin/sh\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR)
    return path


def test_explicit_path_wins_over_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BROWSER_PATH_ENV, str(_fake_binary(tmp_path, "from-env")))
    chosen = find_browser(str(_fake_binary(tmp_path, "explicit")))
    assert chosen.path == str(tmp_path / "explicit")
    assert chosen.source == "--browser-path"


def test_environment_variable_names_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(BROWSER_PATH_ENV, str(_fake_binary(tmp_path, "chrome")))
    chosen = find_browser()
    assert (chosen.path, chosen.source) == (str(tmp_path / "chrome"), BROWSER_PATH_ENV)


def test_missing_explicit_browser_says_what_to_do(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(BROWSER_PATH_ENV, "/nonexistent/chromium")
    with pytest.raises(BrowserNotFoundError) as info:
        find_browser()
    message = str(info.value)
    assert "/nonexistent/chromium" in message
    assert "playwright install chromium" in message
    assert "apt-get install chromium" in message


def test_no_browser_anywhere_is_a_clear_error(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(BROWSER_PATH_ENV, raising=False)
    monkeypatch.setattr(discovery, "playwright_bundled_chromium", lambda: None)
    monkeypatch.setattr(discovery, "SYSTEM_CANDIDATES", ("/nonexistent/chromium",))
    with pytest.raises(BrowserNotFoundError, match="no Chromium or Chrome found"):
        find_browser()


def test_system_browser_gets_executable_path_and_flags(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv(BROWSER_PATH_ENV, raising=False)
    binary = _fake_binary(tmp_path, "chromium")
    monkeypatch.setattr(discovery, "SYSTEM_CANDIDATES", (str(binary),))
    chosen = find_browser(prefer_bundled=False)
    options = chosen.launch_options()
    assert options["executable_path"] == str(binary)
    assert list(CHROMIUM_FLAGS) == options["args"]
