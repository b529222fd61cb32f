"""`pytest journeys/ --harness-env NAME` boots the environment once per session, with the same
code as `harness run` (processes and Compose), and tears it down at the end whatever happened.
End to end with pytester (plugin autoload off, the plugins loaded with -p), real processes, real
Docker, real Chromium; nothing may be left running afterwards."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import pytest

from tests.support.pytester import PLUGINS
from tests.support.run import PROJECT, processes_in
from tests.support.stack import leftovers

pytest_plugins = ["pytester"]
pytestmark = pytest.mark.browser


@pytest.fixture
def project(
    pytester: pytest.Pytester, monkeypatch: pytest.MonkeyPatch, browser_executable: object
) -> pytest.Pytester:
    """The small app project of `harness run`'s tests (a local process, or Compose)."""
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")
    monkeypatch.delenv("APP_DEFECT", raising=False)
    shutil.copytree(
        PROJECT, pytester.path, dirs_exist_ok=True, ignore=shutil.ignore_patterns("__pycache__")
    )
    return pytester


def left_in(folder: Path) -> list[str]:
    """Processes working in the project folder, other than this test's own (pytester's cwd)."""
    return [p for p in processes_in(folder) if not p.startswith(f"{os.getpid()}:")]


def assert_nothing_left(folder: Path) -> None:
    deadline = time.monotonic() + 10  # a killed process may need a moment to be reaped
    while left_in(folder) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert left_in(folder) == []


def run(project: pytest.Pytester, *args: str) -> pytest.RunResult:
    result = project.runpytest_subprocess(
        *PLUGINS, "-p", "no:cacheprovider", "journeys/", *args, timeout=300
    )
    assert_nothing_left(project.path)  # the app, Playwright's driver, Chromium: all gone
    return result


def runs(project: pytest.Pytester) -> list[Path]:
    return sorted((project.path / ".harness" / "runs").iterdir())


def test_a_processes_environment_boots_once_runs_every_journey_and_stops(
    project: pytest.Pytester,
) -> None:
    result = run(project, "--harness-env", "local", "-v")
    result.assert_outcomes(passed=3)
    output = result.stdout.str()
    assert output.count("harness: booting 'local' for this session") == 1, output
    assert re.search(r"harness: 'local' is ready in [\d.]+s, web=http://127\.0\.0\.1:\d+", output)
    (run_dir,) = runs(project)
    log = (run_dir / "services" / "web.log").read_text()
    assert "GET /counter" in log
    assert re.search(r" GET /$", log, re.M)


def test_evidence_a_failure_prints_survives_the_next_session(
    project: pytest.Pytester, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("APP_DEFECT", "greeting")
    failed = run(project, "--harness-env", "local", "-k", "greeted")
    failed.assert_outcomes(failed=1, deselected=2)
    # With CI set, pytest's short summary repeats the whole failure, paths included.
    printed = set(re.findall(r"(?:screenshot|trace): +(\S+)", failed.stdout.str()))
    assert len(printed) == 2, failed.stdout.str()
    assert all((project.path / path).is_file() for path in printed)

    monkeypatch.delenv("APP_DEFECT")
    again = run(project, "--harness-env", "local", "-k", "greeted")
    again.assert_outcomes(passed=1, deselected=2)
    assert len(runs(project)) == 2
    assert all((project.path / path).is_file() for path in printed)


def test_an_environment_that_cannot_start_errors_every_journey_with_its_reason(
    project: pytest.Pytester,
) -> None:
    result = run(project, "--harness-env", "broken")
    result.assert_outcomes(errors=3)
    output = result.stdout.str()
    assert "environment 'broken' could not start: process 'web' exited with code" in output
    assert "Traceback" not in output


def test_a_bad_environment_name_is_a_usage_error(project: pytest.Pytester) -> None:
    result = run(project, "--harness-env", "locl")
    assert result.ret == pytest.ExitCode.USAGE_ERROR
    assert "no environment 'locl'" in result.stderr.str()
    assert "Did you mean 'local'?" in result.stderr.str()


def test_sigterm_mid_session_still_stops_the_environment(project: pytest.Pytester) -> None:
    """A CI runner cancelling the job sends SIGTERM: the processes of the environment go too."""
    project.makeconftest(
        """
        import time
        import pytest

        @pytest.hookimpl(hookwrapper=True)
        def pytest_runtest_call(item):
            with open("started", "w"):
                pass
            time.sleep(60)
            yield
        """
    )
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    argv = [sys.executable, "-m", "pytest", *PLUGINS, "-p", "no:cacheprovider", "journeys/"]
    process = subprocess.Popen(
        [*argv, "--harness-env", "local"],
        cwd=project.path,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    deadline = time.monotonic() + 120
    while not (project.path / "started").exists() and time.monotonic() < deadline:
        time.sleep(0.2)
    assert any("app.server" in p for p in left_in(project.path))
    process.send_signal(signal.SIGTERM)
    output, _ = process.communicate(timeout=120)
    assert process.returncode != 0, output
    assert_nothing_left(project.path)


@pytest.mark.docker
def test_a_compose_environment_boots_once_and_is_removed(
    project: pytest.Pytester, docker_client: Any, base_image: str
) -> None:
    result = run(project, "--harness-env", "docker")
    result.assert_outcomes(passed=3)
    output = result.stdout.str()
    assert output.count("harness: booting harness-docker-") == 1, output
    assert "harness: removing harness-docker-" in output
    (run_dir,) = runs(project)
    assert (run_dir / "services" / "web.log").is_file()
    assert leftovers(docker_client, project.path) == []
