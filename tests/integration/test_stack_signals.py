"""SIGINT, SIGTERM and SIGHUP sent to a real ``harness up`` while it boots and while it is up:
the stack is removed, then the process dies of the signal (what a shell or CI runner expects)."""

from __future__ import annotations

import signal
import time
from pathlib import Path

import pytest

from harness.stack.labels import PROJECT
from tests.support.stack import HarnessProcess

pytest_plugins = ("tests.support.stack",)
pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leaks")]


def wait_for_container(client, project: str, timeout_s: float = 60) -> None:  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if client.containers.list(
            all=True, filters={"label": f"{PROJECT}={project}"}, ignore_removed=True
        ):
            return
        time.sleep(0.05)
    raise AssertionError(f"no container of {project} appeared")


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
@pytest.mark.parametrize("phase", ["start", "boot", "up"])
def test_a_signal_tears_the_stack_down(
    signum: signal.Signals,
    phase: str,
    compose: str,
    project: Path,
    docker_client,
    harness_processes: list[HarnessProcess],
) -> None:
    harness = HarnessProcess(project, "up", "--env", "slow")
    harness_processes.append(harness)
    name = harness.wait_for("booting ").split("booting ")[1].split()[0]
    if phase == "boot":
        wait_for_container(docker_client, name)  # the slow service is not healthy for seconds
    elif phase == "up":
        harness.wait_for("press Ctrl-C")
    # "start": at once, while `compose up -d` may be creating the network and containers
    harness.process.send_signal(signum)
    assert harness.finish() == -signum, harness.stderr
    assert f"removing {name}" in harness.stderr
    assert "slow is healthy" in harness.stderr if phase == "up" else True
    assert "Traceback" not in harness.stderr
    assert not docker_client.containers.list(all=True, filters={"label": f"{PROJECT}={name}"})


def test_sighup_while_up_tears_the_stack_down(
    compose_v2: str, project: Path, docker_client, harness_processes: list[HarnessProcess]
) -> None:
    harness = HarnessProcess(project, "up", "--env", "healthy")
    harness_processes.append(harness)
    harness.wait_for("press Ctrl-C")
    harness.process.send_signal(signal.SIGHUP)
    assert harness.finish() == -signal.SIGHUP, harness.stderr
    assert "removing harness-healthy-" in harness.stderr


def test_a_second_signal_does_not_cut_the_teardown_short(
    compose_v2: str, project: Path, docker_client, harness_processes: list[HarnessProcess]
) -> None:
    harness = HarnessProcess(project, "up", "--env", "healthy")
    harness_processes.append(harness)
    harness.wait_for("press Ctrl-C")
    harness.process.send_signal(signal.SIGINT)
    harness.wait_for("removing ")
    harness.process.send_signal(signal.SIGINT)
    assert harness.finish() == -signal.SIGINT, harness.stderr
