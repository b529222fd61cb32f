"""The set-up step, run for real: it reports what is missing instead of failing obscurely."""

from __future__ import annotations

import os
import subprocess

import pytest

from tests.conftest import ROOT, unavailable


def test_setup_without_docker_or_browser_names_what_is_missing() -> None:
    env = {
        **os.environ,
        "HARNESS_NO_INSTALL": "1",
        "DOCKER_HOST": "unix:///nonexistent/docker.sock",
        "HARNESS_BROWSER_PATH": "/nonexistent/chromium",
    }
    result = subprocess.run(
        [str(ROOT / "run"), "setup"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    assert result.returncode == 1, result.stderr
    assert "missing:" in result.stderr
    assert "a Chromium or Chrome browser" in result.stderr
    assert "a running Docker engine" in result.stderr
    assert "Traceback" not in result.stderr + result.stdout


def test_unavailable_fails_under_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="CI=true and no engine"):
        unavailable("no engine")


def test_unavailable_skips_outside_ci(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CI", raising=False)
    with pytest.raises(pytest.skip.Exception, match="no engine"):
        unavailable("no engine")
