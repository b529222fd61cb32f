"""The pytest route, tested with pytester: plugin autoload off, pytest-playwright and the harness's
plugin loaded with -p, journey files written into the pytester project."""

from __future__ import annotations

from pathlib import Path

import pytest

PLUGINS = ("-p", "pytest_playwright.pytest_playwright", "-p", "harness.pytest_plugin")

PASSING = """
name: Guest opens the mug
tags: [smoke, critical-path]
covers: [catalog]
steps:
  - goto: /index.html
  - click: {role: link, name: Blue mug}
  - expect: {role: heading, name: Blue mug}
"""

FAILING = """
name: Guest adds the mug to the cart
covers: [cart]
step_timeout: 1s
steps:
  - goto: /catalog/mug.html
  - expect: {testid: cart-count, text: "1"}
"""


@pytest.fixture
def project(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, browser_executable: object
) -> pytest.Pytester:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.chdir(pytester.path)
    (pytester.path / "journeys").mkdir()
    return pytester


def write(project: pytest.Pytester, name: str, text: str) -> Path:
    path = project.path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text.lstrip(), encoding="utf-8")
    return path


def only_run(project: pytest.Pytester) -> str:
    """The one run folder a session made, relative to the project."""
    runs = sorted((project.path / ".harness" / "runs").iterdir())
    assert len(runs) == 1, runs
    return str(runs[0].relative_to(project.path))


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    return project.runpytest_subprocess(*PLUGINS, "-p", "no:cacheprovider", *args, timeout=300)
