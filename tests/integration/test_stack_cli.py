"""``harness up``, ``down`` and ``status`` as a user runs them: real processes, real Docker."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from harness.stack.labels import PROJECT
from tests.support.stack import HarnessProcess, leftovers, write_env

pytest_plugins = ("tests.support.stack",)


def harness(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=project,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.mark.docker
@pytest.mark.usefixtures("no_leaks")
def test_up_keep_status_and_down(compose_v2: str, project: Path, docker_client) -> None:
    up = harness(project, "up", "--env", "healthy", "--keep")
    assert up.returncode == 0, up.stderr
    assert up.stdout.startswith("web: http://127.0.0.1:")
    assert "remove it with: harness down --env healthy" in up.stderr
    status = harness(project, "status", "--env", "healthy")
    assert status.returncode == 0, status.stderr
    header, row = status.stdout.splitlines()
    assert header.split() == ["PROJECT", "ENVIRONMENT", "RUN", "SINCE", "OWNER", "CONTAINERS"]
    assert row.split()[1] == "healthy"
    assert row.split()[4:] == ["kept", "2/3", "running"]  # the one-shot migration has exited
    down = harness(project, "down", "--env", "healthy")
    assert down.returncode == 0, down.stderr
    assert down.stdout.startswith(f"removed {row.split()[0]} (3 containers, 1 networks, 1 volumes)")
    assert leftovers(docker_client, project) == []
    after = harness(project, "status", "--env", "healthy")
    assert after.stdout == "no stack of the harness is running\n"
    assert (
        harness(project, "down", "--env", "healthy").stdout == "no stack of the harness to remove\n"
    )


@pytest.mark.docker
@pytest.mark.usefixtures("no_leaks")
def test_a_stack_whose_owner_was_killed_is_swept(
    compose_v2: str, project: Path, docker_client, harness_processes: list[HarnessProcess]
) -> None:
    orphaned = HarnessProcess(project, "up", "--env", "healthy")
    harness_processes.append(orphaned)
    name = orphaned.wait_for("booting ").split("booting ")[1].split()[0]
    orphaned.wait_for("press Ctrl-C")
    orphaned.kill()  # SIGKILL: no teardown can run
    assert docker_client.containers.list(filters={"label": f"{PROJECT}={name}"})
    status = harness(project, "status", "--env", "healthy")
    assert "gone (stale)" in status.stdout
    up = harness(project, "up", "--env", "unhealthy")  # any boot sweeps first
    assert up.returncode == 4
    assert f"removing stale stack {name}" in up.stderr
    assert not docker_client.containers.list(all=True, filters={"label": f"{PROJECT}={name}"})


def test_keep_is_refused_for_processes(project: Path) -> None:
    write_env(project, "local", "processes: [{name: web, command: [python3, -V]}]\n")
    result = harness(project, "up", "--env", "local", "--keep")
    assert result.returncode == 2
    assert "--keep: environment 'local' has processes, which stop with the harness" in result.stderr


def test_an_unknown_environment_is_a_usage_error(project: Path) -> None:
    result = harness(project, "up", "--env", "helthy")
    assert result.returncode == 2
    assert "no environment 'helthy'" in result.stderr
    assert "Did you mean 'healthy'?" in result.stderr


def test_a_bad_environment_file_shows_every_problem_and_no_traceback(project: Path) -> None:
    broken = project / "environments" / "broken.yml"
    broken.write_text("compose: {files: [nowhere.yml], wait_timeout: soon}\nurl: {}\n")
    result = harness(project, "up", "--env", "broken")
    assert result.returncode == 2
    assert "environments/broken.yml:1:19: compose file 'nowhere.yml' not found" in result.stderr
    assert "environments/broken.yml:2:1: unknown key 'url'. Did you mean 'urls'?" in result.stderr
    assert "must be a duration" in result.stderr
    assert "Traceback" not in result.stderr


def test_an_external_environment_is_probed(project: Path, static_server: tuple[str, Path]) -> None:
    url, site = static_server
    (site / "healthz").write_text("ok")
    write_env(
        project, "prod", f"urls: {{web: '{url}'}}\nready: {{http: '${{urls.web}}/healthz'}}\n"
    )
    result = harness(project, "up", "--env", "prod")
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith(f"web: {url}\n")
    write_env(
        project,
        "gone",
        f"urls: {{web: '{url}'}}\nready: {{http: '${{urls.web}}/x', timeout: 1s}}\n",
    )
    result = harness(project, "up", "--env", "gone")
    assert result.returncode == 4
    assert f"was not ready within 1s: http {url}/x answered: HTTP 404" in result.stderr


@pytest.mark.docker
@pytest.mark.usefixtures("no_leaks")
def test_down_all_removes_every_kept_stack_of_the_project(
    compose_v2: str, project: Path, docker_client
) -> None:
    for name in ("healthy", "slow"):
        up = harness(project, "up", "--env", name, "--keep")
        assert up.returncode == 0, up.stderr
    assert len(harness(project, "status").stdout.splitlines()) >= 3
    down = harness(project, "down", "--all")
    assert down.returncode == 0, down.stderr
    removed = sorted(line.split()[1].split("-")[1] for line in down.stdout.splitlines())
    assert removed == ["healthy", "slow"]
    assert leftovers(docker_client, project) == []
