"""Processes as an environment: real commands, real ports, real process groups, real signals."""

from __future__ import annotations

import os
import re
import signal
import sys
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.errors import ProcessStartError
from harness.stack.boot import boot
from tests.support.stack import HarnessProcess, load, write_env

pytest_plugins = ("tests.support.stack",)
SERVER = "stacks/app/server.py"
FETCH = (
    "import sys, urllib.request; "
    "open(sys.argv[2], 'w').write(urllib.request.urlopen(sys.argv[1]).read().decode())"
)


@pytest.fixture(autouse=True)
def no_stray_processes(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Every process a test starts inherits a marker; after the test none may be left."""
    marker = f"HARNESS_TEST_MARKER={tmp_path}".encode()
    monkeypatch.setenv("HARNESS_TEST_MARKER", str(tmp_path))
    yield
    assert wait_gone(marked_processes(marker)) == []


def marked_processes(marker: bytes) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            environ = Path(f"/proc/{entry}/environ").read_bytes().split(b"\0")
        except OSError:
            continue  # exited meanwhile, or not ours to read
        if marker in environ:
            found.append(int(entry))
    return found


def get(url: str) -> str:
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=5) as r:
        return r.read().decode()


def quiet(_: str) -> None:
    """Progress lines are not what these tests check."""


def alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    # a zombie still answers kill(0): it has exited, only its parent has not reaped it yet
    return "Z" not in Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()[0]


def wait_gone(pids: list[int], timeout_s: float = 10) -> list[int]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and any(alive(p) for p in pids):
        time.sleep(0.05)
    return [p for p in pids if alive(p)]


def server_env(project: Path, name: str, ready: str, extra_env: str = "") -> None:
    write_env(
        project,
        name,
        f"""
processes:
  - name: web
    command: [{sys.executable}, {SERVER}]
    env: {{PORT: "${{port.web}}", NAME: web{extra_env}}}
    ready: {ready}
    stop_timeout: 2s
urls:
  web: http://127.0.0.1:${{port.web}}
""",
    )


@pytest.mark.parametrize(
    "ready",
    [
        '{http: "http://127.0.0.1:${port.web}/", timeout: 20s}',
        '{tcp: "127.0.0.1:${port.web}", timeout: 20s}',
        '{log: "web: listening on \\\\d+", timeout: 20s}',
    ],
)
def test_a_process_is_ready_reachable_logged_and_stopped(
    ready: str, project: Path, tmp_path: Path
) -> None:
    server_env(project, "local", ready, ", START_DELAY: '0.5'")
    with boot(load(project, "local"), tmp_path / "run", say=quiet) as stack:
        assert get(stack.urls["web"]) == "ok web"
        pid = stack.processes[0].process.pid
        assert alive(pid)
        assert set(stack.service_timings) == {"web"}
    assert wait_gone([pid]) == []
    log = (tmp_path / "run" / "services" / "web.log").read_text()
    assert "web: listening on" in log
    assert log[:4].isdigit()  # each line starts with its time


def test_two_runs_get_different_free_ports(project: Path, tmp_path: Path) -> None:
    server_env(project, "local", '{http: "http://127.0.0.1:${port.web}/"}')
    env = load(project, "local")
    with (
        boot(env, tmp_path / "one", say=quiet) as one,
        boot(env, tmp_path / "two", say=quiet) as two,
    ):
        assert one.urls["web"] != two.urls["web"]
        assert get(one.urls["web"]) == get(two.urls["web"]) == "ok web"


def test_a_process_that_dies_before_ready_fails_fast_with_its_output(
    project: Path, tmp_path: Path
) -> None:
    server_env(
        project, "local", '{http: "http://127.0.0.1:${port.web}/", timeout: 5m}', ", EXIT_CODE: '5'"
    )
    started = time.monotonic()
    with (
        pytest.raises(ProcessStartError) as caught,
        boot(load(project, "local"), tmp_path / "run", say=quiet),
    ):
        pytest.fail("a dead process must not be handed over")
    message = str(caught.value)
    assert message.startswith("process 'web' exited with code 5 before it was ready\n")
    assert f"    command: {sys.executable} {SERVER}\n" in message
    assert "      web: boom, exiting with 5\n" in message
    assert f"full output: {tmp_path / 'run' / 'services' / 'web.log'}" in message
    assert caught.value.exit_code == 4
    assert time.monotonic() - started < 60  # not the 5 minutes of its timeout


def test_a_process_that_never_gets_ready_is_stopped(project: Path, tmp_path: Path) -> None:
    server_env(
        project,
        "local",
        '{http: "http://127.0.0.1:${port.web}/", timeout: 1s}',
        ", START_DELAY: '60'",
    )
    with (
        pytest.raises(ProcessStartError) as caught,
        boot(load(project, "local"), tmp_path / "run", say=quiet),
    ):
        pytest.fail("not ready")
    message = str(caught.value)
    assert message.startswith("process 'web' was not ready within 1s (http http://127.0.0.1:")
    assert "Connection refused" in message or "refused" in message


def test_the_whole_process_group_is_stopped(project: Path, tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    write_env(
        project,
        "group",
        f"""
processes:
  - name: sh
    command: [sh, -c, "sleep 600 & echo $! > {pids}; trap '' TERM; echo started; wait"]
    ready: {{log: started}}
    stop_timeout: 1s
""",
    )
    with boot(load(project, "group"), tmp_path / "run", say=quiet) as stack:
        shell = stack.processes[0].process.pid
        sleeper = int(pids.read_text())
        assert alive(shell)
        assert alive(sleeper)
    # the shell ignores SIGTERM: it gets SIGKILL after its grace; the sleeper goes with the group
    assert wait_gone([shell, sleeper]) == []


def test_secrets_never_reach_the_process_log(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("SHOP_TOKEN", "s3cr3t-value")
    write_env(
        project,
        "secret",
        """
processes:
  - name: talker
    command: [sh, -c, "echo token is $TOKEN; echo ready; sleep 600"]
    env: {TOKEN: "${secrets.SHOP_TOKEN}"}
    ready: {log: ready}
""",
    )
    with boot(load(project, "secret"), tmp_path / "run", say=quiet):
        pass
    log = (tmp_path / "run" / "services" / "talker.log").read_text()
    assert "token is ***" in log
    assert "s3cr3t" not in log


@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_a_signal_to_harness_up_stops_the_processes(
    signum: signal.Signals, project: Path, harness_processes: list[HarnessProcess]
) -> None:
    server_env(project, "local", '{log: "listening"}')
    harness = HarnessProcess(project, "up", "--env", "local")
    harness_processes.append(harness)
    harness.wait_for("press Ctrl-C")
    (run,) = (project / "runs").iterdir()
    log = (run / "services" / "web.log").read_text()
    assert "web: listening on" in log
    server_pids = children_of(harness.process.pid)
    assert len(server_pids) == 1
    harness.process.send_signal(signum)
    assert harness.finish() == -signum, harness.stderr
    assert wait_gone(server_pids) == []


def children_of(parent: int) -> list[int]:
    found = []
    for entry in os.listdir("/proc"):
        try:
            stat = Path(f"/proc/{entry}/stat").read_text() if entry.isdigit() else ""
        except OSError:
            continue  # exited meanwhile
        if stat and int(stat.rpartition(")")[2].split()[1]) == parent:
            found.append(int(entry))
    return found


def test_seed_steps_run_on_the_host_after_the_processes(project: Path, tmp_path: Path) -> None:
    out = tmp_path / "seeded.txt"
    write_env(
        project,
        "seeded",
        f"""
processes:
  - name: web
    command: [{sys.executable}, {SERVER}]
    env: {{PORT: "${{port.web}}", NAME: web}}
    ready: {{http: "http://127.0.0.1:${{port.web}}/"}}
urls: {{web: "http://127.0.0.1:${{port.web}}"}}
seed:
  - run: [{sys.executable}, -c, "{FETCH}", "${{urls.web}}", {out}]
""",
    )
    with boot(load(project, "seeded"), tmp_path / "run", say=quiet):
        assert out.read_text() == "ok web"


def test_a_seed_step_is_shown_as_it_runs_with_its_secrets_masked(tmp_path: Path) -> None:
    from harness.core.environment import SeedStep
    from harness.core.templating import Context
    from harness.stack.seed import run_seeds

    step = SeedStep.from_mapping(
        {"name": "ping", "run": [sys.executable, "-c", "pass", "${urls.web}", "${secrets.TOKEN}"]}
    )
    said: list[str] = []
    context = Context(env={"TOKEN": "s3cret-seed-token"}, urls={"web": "http://127.0.0.1:4321"})
    run_seeds(
        [step],
        compose=None,
        context=context,
        root=tmp_path,
        artifacts_dir=tmp_path,
        secrets=(),
        say=said.append,
    )
    assert said == [f"seed step 1: ping: run: {sys.executable} -c pass http://127.0.0.1:4321 ***"]


def test_a_failed_process_shows_its_command_as_it_ran_with_secrets_masked(
    project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PROC_TOKEN", "s3cret-proc-token")
    write_env(
        project,
        "local",
        f"""
processes:
  - name: web
    command: [{sys.executable}, -c, "raise SystemExit(5)", "${{port.web}}",
              "${{secrets.PROC_TOKEN}}"]
    ready: {{http: "http://127.0.0.1:${{port.web}}/", timeout: 20s}}
urls:
  web: http://127.0.0.1:${{port.web}}
""",
    )
    with (
        pytest.raises(ProcessStartError) as caught,
        boot(load(project, "local"), tmp_path / "run", say=quiet),
    ):
        pytest.fail("a dead process must not be handed over")
    shown = re.search(r"\n    command: (.*)\n", str(caught.value))
    assert shown is not None, str(caught.value)
    ran = rf"{re.escape(sys.executable)} -c raise SystemExit\(5\) \d+ \*\*\*"
    assert re.fullmatch(ran, shown[1]), shown[1]
