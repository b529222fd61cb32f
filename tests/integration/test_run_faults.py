"""The fault suite: `harness run` on the sample project (tests/data/run) while its environment
fails under it. A stack that dies during the journeys is never a verdict on the app: exit 4,
every feature inconclusive, the journeys after the death stopped, the report naming the service,
the time, the exit code and its last log lines; and nothing of the run is left afterwards."""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import threading
import time
from datetime import datetime
from pathlib import Path
from typing import Any

import pytest

from harness.stack.labels import ENV_FILE, SERVICE
from tests.support.run import (
    PROJECT,
    PY,
    Run,
    assert_nothing_left,
    assert_valid_reports,
    env_for_run,
    harness,
    latest_run_folder,
    processes_in,
)
from tests.support.stack import leftovers

pytestmark = pytest.mark.browser

STOPS = ("faults/a-greets.journey.yml", "faults/b-stops.journey.yml")
AFTER = "faults/c-greets-again.journey.yml"


@pytest.fixture
def project(tmp_path: Path, browser_executable: object) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    return root


def assert_dead_stack_verdict(run: Run, service: str, kind: str, code: int) -> dict[str, Any]:
    """Exit 4, nothing green-but-broken, the death in report.json, console and report.html."""
    assert run.code == 4, run.stdout + run.stderr
    assert "green-but-broken" not in run.verdicts().values()
    assert run.verdicts()["greeting"] == "inconclusive"  # its unit tests pass: not green
    death: dict[str, Any] = run.report["run"]["environment_failure"]
    assert (death["service"], death["kind"], death["exit_code"]) == (service, kind, code)
    assert datetime.fromisoformat(death["at"].replace("Z", "+00:00")) >= datetime.fromisoformat(
        run.report["run"]["started_at"].replace("Z", "+00:00")
    )
    assert death["log"] == f"services/{service}.log"
    [reason] = run.report["gate"]["reasons"]
    assert reason.startswith(f"the environment died during the journeys: {kind} '{service}'")
    assert "The environment died during the journeys:" in run.stdout
    assert f"{kind} '{service}'" in run.stdout
    assert run.folder is not None
    html = (run.folder / "report.html").read_text()
    assert "The environment died during the journeys" in html
    return death


def test_an_app_that_stops_itself_mid_journeys_is_inconclusive_exit_4(project: Path) -> None:
    run = harness(project, *STOPS, AFTER, "--workers", "1", "--no-unit")
    death = assert_dead_stack_verdict(run, "web", "process", 7)
    assert "stopping: asked by /stop" in death["log_tail"]
    journeys = run.journeys()
    assert journeys["Greeted before the fault"]["status"] == "passed"
    stopped = journeys["Stops the app"]
    assert stopped["failure"]["message"].startswith("run against a dead stack: process 'web'")
    assert (stopped["status"], stopped["failure"]["kind"]) == ("error", "error")
    after = journeys["Greeted after the fault"]
    assert (after["status"], after["failure"]["kind"]) == ("error", "error")
    assert after["failure"]["message"].startswith("not run: the environment died")
    assert death["not_run"] == [AFTER]
    assert "error: the environment died: process 'web' exited with code 7" in run.stderr


@pytest.mark.docker
def test_a_service_killed_after_the_first_journey_passed_is_inconclusive_exit_4(
    project: Path, base_image: str, docker_client: Any, tmp_path: Path
) -> None:
    paths = ("faults/a-greets.journey.yml", "faults/b-waits.journey.yml", AFTER)
    command = [PY, "-m", "harness", "run", "--env", "docker", "--workers", "1", "--no-unit"]
    # stdout goes to a file: only the reader thread reads the stderr pipe, so nothing closes it
    # under the thread (communicate() would read and close both pipes)
    stdout_path = tmp_path / "stdout.txt"
    with stdout_path.open("w") as stdout_file:
        process = subprocess.Popen(
            [*command, *paths],
            cwd=project,
            env=env_for_run(),
            stdout=stdout_file,
            stderr=subprocess.PIPE,
            text=True,
        )
    stderr: list[str] = []
    passed = threading.Event()

    def read_progress() -> None:
        assert process.stderr is not None
        for line in process.stderr:
            stderr.append(line)
            if line.startswith("PASSED") and "Greeted before the fault" in line:
                passed.set()

    reader = threading.Thread(target=read_progress, daemon=True)
    reader.start()
    try:
        assert passed.wait(240), "".join(stderr)
        killed = kill_service(docker_client, project, "web")
        process.wait(timeout=240)
    finally:
        process.kill()
    reader.join(10)
    stdout = stdout_path.read_text()
    run = Run(process.returncode, stdout, "".join(stderr), latest_run_folder(project))
    assert killed
    death = assert_dead_stack_verdict(run, "web", "service", 137)
    assert "compose.one_shot" not in str(run.report)
    assert death["not_run"] == [AFTER]
    assert run.journeys()["Greeted before the fault"]["status"] == "passed"
    assert run.journeys()["Waits for the fault"]["failure"]["kind"] == "error"
    assert run.folder is not None
    assert_valid_reports(run.folder)
    assert "GET /" in (run.folder / "services" / "web.log").read_text()
    assert leftovers(docker_client, project) == []
    assert_nothing_left(project)


def kill_service(client: Any, project: Path, service: str) -> bool:
    """``docker kill`` (SIGKILL) of the service's container of a stack booted from ``project``."""
    prefix = str(project.resolve())
    for container in client.containers.list(filters={"label": ENV_FILE}):
        labels = container.labels
        if labels.get(ENV_FILE, "").startswith(prefix) and labels.get(SERVICE) == service:
            subprocess.run(["docker", "kill", container.id], check=True, capture_output=True)
            return True
    return False


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_signal_during_the_journeys_writes_the_reports_of_what_finished(
    project: Path, signum: int
) -> None:
    paths = ("faults/a-greets.journey.yml", "faults/b-waits.journey.yml", AFTER)
    process = subprocess.Popen(
        [PY, "-m", "harness", "run", "--workers", "1", "--no-unit", *paths],
        cwd=project,
        env=env_for_run(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # the signal goes to the harness alone, as a CI runner's would
    )
    stderr = progress_until_passed(process)
    process.send_signal(signum)
    stdout, rest = process.communicate(timeout=120)
    assert process.returncode == -signum, stdout + "".join(stderr) + rest
    run = Run(128 + signum, stdout, "".join(stderr) + rest, latest_run_folder(project))
    gate = run.report["gate"]
    name = signal.Signals(signum).name
    assert (gate["passed"], gate["exit_code"]) == (False, 128 + signum)
    assert gate["reasons"][0].startswith(
        f"interrupted by {name} during the journeys: 1 journey(s) finished, 2 stopped or not run"
    )
    journeys = run.journeys()
    assert journeys["Greeted before the fault"]["status"] == "passed"
    assert journeys["Greeted after the fault"]["status"] == "error"
    assert "green-but-broken" not in run.verdicts().values()
    assert run.folder is not None
    assert_valid_reports(run.folder)
    assert f"interrupted by signal {signum}" in (run.folder / "report.html").read_text()
    assert_nothing_left(project)


def progress_until_passed(process: subprocess.Popen[str]) -> list[str]:
    """Read the run's progress until the first journey passed; the lines read so far."""
    assert process.stderr is not None
    lines = []
    for line in process.stderr:
        lines.append(line)
        if line.startswith("PASSED") and "Greeted before the fault" in line:
            return lines
    raise AssertionError("".join(lines))


SLOW_UNIT_TEST = """
import os
import time


def test_takes_its_time():
    if os.environ.get("SLOW_UNIT"):
        time.sleep(60)
"""


def test_the_unit_tests_of_a_harness_killed_with_sigkill_are_reaped_by_the_next_run(
    project: Path,
) -> None:
    (project / "tests" / "test_slow.py").write_text(SLOW_UNIT_TEST)
    process = subprocess.Popen(
        [PY, "-m", "harness", "run", "-k", "greeted"],
        cwd=project,
        env=env_for_run(SLOW_UNIT="1"),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if line.startswith("PASSED"):  # the journey ran; the unit tests are still sleeping
            break
    process.kill()
    process.wait(30)
    left = [p for p in processes_in(project) if "pytest" in p]
    assert left, "the unit tests should outlive a SIGKILL of the harness (their own group)"
    second = harness(project, "-k", "greeted", "--no-unit")  # asserts that nothing is left
    assert second.code == 0, second.stdout + second.stderr
    # its unit tests and its app's process, and any other killed run's groups on this machine
    assert re.search(r"stopped \d+ process group\(s\) left running by a killed run", second.stderr)


@pytest.mark.docker
def test_a_service_that_hangs_mid_journeys_is_inconclusive_exit_4(
    project: Path, base_image: str, docker_client: Any
) -> None:
    compose = project / "compose.yml"  # unhealthy within seconds once it stops answering
    compose.write_text(
        compose.read_text()
        .replace("timeout: 2s", "timeout: 1s")
        .replace("retries: 20", "retries: 2")
    )
    paths = ("faults/a-greets.journey.yml", "faults/b-hangs.journey.yml", AFTER)
    run = harness(project, "--env", "docker", "--workers", "1", "--no-unit", *paths)
    assert run.code == 4, run.stdout + run.stderr
    death = run.report["run"]["environment_failure"]
    assert death is not None, run.stdout + run.stderr
    assert (death["service"], death["reason"], death["exit_code"]) == ("web", "is unhealthy", None)
    assert run.journeys()["Greeted before the fault"]["status"] == "passed"
    assert run.journeys()["Hangs the app"]["status"] == "error"
    assert death["not_run"] == [AFTER]
    assert "green-but-broken" not in run.verdicts().values()
    assert leftovers(docker_client, project) == []


#: Where a harness is killed with SIGKILL: the progress line that shows it is in that phase.
PHASES = {
    "boot": "  booting harness-",  # compose up has begun
    "journeys": "  'docker' is ready in",  # the journeys are starting
    "unit": "PASSED",  # the journeys are done; the slow unit tests are still running
    "teardown": "  removing harness-",  # compose down has begun
}


@pytest.mark.docker
@pytest.mark.parametrize("phase", list(PHASES))
def test_a_harness_killed_at_each_phase_leaves_nothing_after_the_next_run(
    project: Path, base_image: str, docker_client: Any, phase: str
) -> None:
    (project / "tests" / "test_slow.py").write_text(SLOW_UNIT_TEST)
    process = subprocess.Popen(
        [PY, "-m", "harness", "run", "--env", "docker", "-k", "greeted"],
        cwd=project,
        env=env_for_run(SLOW_UNIT="1" if phase == "unit" else ""),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    seen = []
    for line in process.stderr:
        seen.append(line)
        if line.startswith(PHASES[phase]):
            break
    process.kill()  # SIGKILL: no handler runs, nothing is torn down by the harness itself
    process.wait(30)
    assert seen[-1].startswith(PHASES[phase]), "".join(seen)
    if phase == "journeys":  # the whole stack is up: the next run has all of it to sweep
        left = leftovers(docker_client, project)
        assert {item.partition(" ")[0] for item in left} == {"container", "network", "volume"}
    killed = latest_run_folder(project)
    if killed is not None and (killed / "report.json").is_file():  # never a wrong verdict
        assert "green-but-broken" not in (killed / "report.json").read_text()
    second = harness(project, "--env", "docker", "-k", "greeted", "--no-unit")
    assert second.code == 0, second.stdout + second.stderr
    assert "green-but-broken" not in second.verdicts().values()
    assert leftovers(docker_client, project) == []
    assert_nothing_left(project)


def test_a_browser_killed_mid_journey_is_exit_4_not_a_failed_journey(project: Path) -> None:
    """The journey under way when the browser dies fails at its next step; that failure says
    nothing about the app: it and the journeys after it could not run (exit 4)."""
    paths = ("faults/a-greets.journey.yml", "faults/b-waits.journey.yml", AFTER)
    process = subprocess.Popen(
        [PY, "-m", "harness", "run", "--workers", "1", "--no-unit", "--trace", "off", *paths],
        cwd=project,
        env=env_for_run(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    stderr = progress_until_passed(process)
    time.sleep(2.5)  # inside the 6s the next journey waits, its page open, before its goto
    browsers = [
        line
        for line in processes_in(project)
        if "--remote-debugging-pipe" in line and "--type=" not in line
    ]
    assert len(browsers) == 1, browsers  # the workers' one browser
    os.kill(int(browsers[0].split(":")[0]), signal.SIGKILL)
    stdout, rest = process.communicate(timeout=120)
    run = Run(process.returncode, stdout, "".join(stderr) + rest, latest_run_folder(project))
    assert run.code == 4, run.stdout + run.stderr
    journeys = run.journeys()
    assert journeys["Greeted before the fault"]["status"] == "passed"
    waited = journeys["Waits for the fault"]
    assert waited["status"] == "error", waited
    assert "the browser went away during the journey" in waited["failure"]["message"]
    assert journeys["Greeted after the fault"]["status"] == "error"
    assert "green-but-broken" not in run.verdicts().values()
    assert_nothing_left(project)
