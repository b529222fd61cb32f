"""The Compose runner against the real Docker engine, on Compose v2 and v1.

Every test ends with the leak check of ``no_leaks``: no container, network or volume of the
test's stacks is left, whether the boot passed or failed.
"""

from __future__ import annotations

import re
import shutil
import threading
import time
import urllib.request
from pathlib import Path

import pytest

from harness.errors import InputError, SeedError, ServiceNotReadyError
from harness.stack.boot import RunningStack, boot
from harness.stack.compose_cli import detect_compose
from harness.stack.labels import KEEP, OWNER, PROJECT, RUN, Owner
from harness.stack.sweep import remove_stack
from tests.support.stack import DATA, leftovers, load, write_env

pytest_plugins = ("tests.support.stack",)
pytestmark = [pytest.mark.docker, pytest.mark.usefixtures("no_leaks")]
TIMESTAMPED = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d+Z ", re.M)


def get(url: str) -> str:
    with urllib.request.build_opener(urllib.request.ProxyHandler({})).open(url, timeout=5) as r:
        return r.read().decode()


def get_soon(url: str, timeout_s: float = 20) -> str:
    """``get``, retried while the server in a container that runs (and is judged stable
    without a health check) is still starting on a loaded machine."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            return get(url)
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def quiet(_: str) -> None:
    """Swallow progress lines (the tests assert on results, not on chatter)."""


def test_the_cli_is_detected_with_its_version(compose: str) -> None:
    cli = detect_compose()
    assert cli.generation == int(compose[1])
    assert cli.command == (("docker", "compose") if compose == "v2" else ("docker-compose",))


def test_a_healthy_stack_boots_seeds_logs_and_is_removed(
    compose: str, project: Path, docker_client, tmp_path: Path
) -> None:
    artifacts = tmp_path / "run"
    with boot(load(project, "healthy"), artifacts, say=quiet) as stack:
        assert get(stack.urls["web"]) == "ok web hello"
        assert re.fullmatch(r"http://127\.0\.0\.1:\d+", stack.urls["web"])
        assert set(stack.service_timings) == {"web", "worker", "migrate"}
        assert {"start", "ready", "seed", "boot"} <= set(stack.timings)
        containers = docker_client.containers.list(
            all=True, filters={"label": f"{PROJECT}={stack.project}"}
        )
        assert len(containers) == 3
        labels = containers[0].labels
        assert labels[RUN] == stack.run_id
        assert labels[KEEP] == "false"
        assert Owner.from_label(labels[OWNER]) == Owner.current()
        seeded = docker_client.containers.get(
            f"{stack.project}-web-1" if compose == "v2" else f"{stack.project}_web_1"
        )
        assert seeded.exec_run(["cat", "/data/seeded"]).output == b"yes"
    assert not stack.kept
    assert "teardown" in stack.timings
    assert "seeded" in (artifacts / "seed" / "1-exec.log").read_text()
    assert "ok web hello" in (artifacts / "seed" / "2-run.log").read_text()
    for service, line in [
        ("web", "web: listening on 8000"),
        ("worker", "worker: starting"),
        ("migrate", "migrated"),
    ]:
        log = (artifacts / "services" / f"{service}.log").read_text()
        assert line in log
        assert TIMESTAMPED.match(log), log
    assert leftovers(docker_client, project) == []


def test_an_unhealthy_service_fails_with_its_health_check_and_log(
    compose: str, project: Path, tmp_path: Path
) -> None:
    with (
        pytest.raises(ServiceNotReadyError) as caught,
        boot(load(project, "unhealthy"), tmp_path / "run", say=quiet),
    ):
        pytest.fail("an unhealthy stack must not be handed over")
    message = str(caught.value)
    assert message.startswith("service 'api' is unhealthy\n")
    assert "last health check (exit 1):\n      database connection refused" in message
    assert "      api: listening on 8000" in message
    assert f"full log: {tmp_path / 'run' / 'services' / 'api.log'}" in message
    assert caught.value.exit_code == 4
    assert "api: starting" in (tmp_path / "run" / "services" / "api.log").read_text()


def test_a_crash_loop_is_not_ready(compose: str, project: Path, tmp_path: Path) -> None:
    with (
        pytest.raises(ServiceNotReadyError) as caught,
        boot(load(project, "crashloop"), tmp_path / "run", say=quiet),
    ):
        pytest.fail("a crash loop must not be handed over")
    message = str(caught.value)
    assert message.startswith("service 'flaky' keeps restarting (")
    assert "last exited with code 1)" in message
    assert "flaky: boom, exiting with 1" in message


def test_a_one_shot_service_must_exit_0(compose: str, project: Path, tmp_path: Path) -> None:
    with (
        pytest.raises(ServiceNotReadyError) as caught,
        boot(load(project, "seedfail"), tmp_path / "run", say=quiet),
    ):
        pytest.fail("a failed migration must not be handed over")
    assert str(caught.value).startswith("service 'migrate' exited with code 3\n")
    assert "migration 0042 failed: column exists" in str(caught.value)


def test_a_slow_starter_is_waited_for(compose: str, project: Path, tmp_path: Path) -> None:
    with boot(load(project, "slow"), tmp_path / "run", say=quiet) as stack:
        assert get(stack.urls["web"]) == "ok slow"


def test_a_slow_starter_past_its_wait_timeout_fails(
    compose_v2: str, project: Path, tmp_path: Path
) -> None:
    env = write_env(
        project,
        "impatient",
        "compose:\n  files: [stacks/slow.yml]\n  wait_timeout: 1s\n  stop_timeout: 1s\n",
    )
    with pytest.raises(ServiceNotReadyError) as caught, boot(env, tmp_path / "run", say=quiet):
        pytest.fail("not ready within 1s")
    assert str(caught.value).startswith(
        "service 'slow' was not ready within 1s\n"
        "    it is not healthy yet: its health check is starting"
    )
    assert "slow: starting" in str(caught.value)


def test_a_service_that_dies_after_readiness_is_reported(
    compose: str, project: Path, tmp_path: Path
) -> None:
    with boot(load(project, "dies"), tmp_path / "run", say=quiet) as stack:
        assert stack.problems() == []
        problems = wait_for_problems(stack)
        deaths = stack.deaths()
    assert problems == ["service 'fragile' exited with code 3"]
    assert "fragile: dying now" in (tmp_path / "run" / "services" / "fragile.log").read_text()
    [death] = deaths
    assert (death.service, death.kind, death.exit_code) == ("fragile", "service", 3)
    assert "fragile: dying now" in death.log_tail
    assert death.log == "services/fragile.log"
    assert abs(time.time() - death.at.timestamp()) < 30
    assert "compose.one_shot" not in death.reason


def wait_for_problems(stack: RunningStack, timeout_s: float = 30) -> list[str]:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        problems = stack.problems()
        if problems:
            return problems
        time.sleep(0.2)
    raise AssertionError("the service never died")


def test_a_failing_seed_step_fails_the_boot_with_its_output(
    compose: str, project: Path, tmp_path: Path
) -> None:
    env = write_env(
        project,
        "badseed",
        """
compose: {files: [stacks/dies.yml], stop_timeout: 1s}
seed:
  - name: fixtures
    exec:
      service: fragile
      command: [python3, -c, "print('loading fixtures'); raise SystemExit(4)"]
""",
    )
    with pytest.raises(SeedError) as caught, boot(env, tmp_path / "run", say=quiet):
        pytest.fail("a failed seed must fail the boot")
    message = str(caught.value)
    assert message.startswith("seed step 1 (fixtures: exec in fragile: python3 -c ")
    assert "exited with code 4\n    last output lines:\n      loading fixtures\n" in message
    assert (tmp_path / "run" / "seed" / "1-exec.log").read_text().startswith("loading fixtures")
    assert caught.value.exit_code == 4


def test_two_runs_of_one_compose_file_at_once(compose: str, project: Path, tmp_path: Path) -> None:
    env = load(project, "slow")
    seen: dict[int, tuple[str | None, str]] = {}
    errors: list[BaseException] = []

    def run(index: int) -> None:
        try:
            with boot(env, tmp_path / f"run{index}", say=quiet) as stack:
                seen[index] = (stack.project, stack.urls["web"])
                time.sleep(1)  # both are up at the same time
                assert get(stack.urls["web"]) == "ok slow"
        except BaseException as exc:  # collected, re-raised below in the test's thread
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in (1, 2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert seen[1][0] != seen[2][0]
    assert seen[1][1] != seen[2][1]


def test_keep_then_reuse_only_when_the_configuration_matches(
    compose_v2: str, project: Path, tmp_path: Path, docker_client, monkeypatch: pytest.MonkeyPatch
) -> None:
    env = write_env(
        project,
        "reusable",
        """
compose:
  files: [stacks/healthy.yml]
  one_shot: [migrate]
  stable_for: 1s
  stop_timeout: 1s
  env: {MESSAGE: "${env.GREETING}"}
urls: {web: "http://127.0.0.1:${compose.web.8000}"}
seed:
  - exec: {service: web, command: [python3, -c, "print('seeded')"]}
""",
    )
    projects = []
    try:
        monkeypatch.setenv("GREETING", "hello")
        with boot(env, tmp_path / "first", keep=True, say=quiet) as first:
            projects.append(first.project)
        assert first.kept
        assert get(first.urls["web"]) == "ok web hello"  # still up after the block
        with boot(env, tmp_path / "second", reuse=True, say=quiet) as second:
            assert second.reused
            assert second.project == first.project
            assert second.urls == first.urls
        assert not (tmp_path / "second" / "seed").exists()  # seeded once, when it was booted
        assert (tmp_path / "second" / "services" / "web.log").is_file()
        monkeypatch.setenv("GREETING", "bye")
        with boot(env, tmp_path / "third", reuse=True, say=quiet) as third:
            projects.append(third.project)
            assert not third.reused
            assert get(third.urls["web"]) == "ok web bye"
        assert third.kept
    finally:
        for name in projects:
            remove_stack(docker_client, str(name), stop_timeout_s=0)


def test_a_built_service_gets_an_image_of_its_run_removed_at_teardown(
    compose: str, project: Path, tmp_path: Path, docker_client
) -> None:
    env = write_env(
        project,
        "built",
        "compose:\n  files: [stacks/build.yml]\n  stable_for: 1s\n  stop_timeout: 1s\nurls: {web: 'http://127.0.0.1:${compose.app.8000}'}\n",
    )
    with boot(env, tmp_path / "run", say=quiet) as stack:
        assert get_soon(stack.urls["web"]) == "ok built"
        image = docker_client.containers.list(filters={"label": f"{PROJECT}={stack.project}"})[
            0
        ].image
    assert "build" in stack.timings
    (tag,) = image.tags
    assert re.fullmatch(rf"harness-built-[0-9a-f]{{8}}-app:{stack.run_id}", tag)
    assert docker_client.images.list(name=tag) == []


def test_two_runs_at_once_of_a_named_build_each_run_their_own_code(
    compose_v2: str, tmp_path: Path, docker_client
) -> None:
    """Two checkouts, one compose file naming its image, different code: never each other's."""
    envs = {}
    for name in ("alpha", "beta"):
        root = tmp_path / name
        shutil.copytree(DATA / "stacks", root / "stacks")
        dockerfile = root / "stacks" / "app" / "Dockerfile"
        dockerfile.write_text(dockerfile.read_text().replace("NAME=built", f"NAME={name}"))
        (root / "harness.yml").write_text("artifacts: runs\n")
        (root / "environments").mkdir()
        envs[name] = write_env(
            root,
            "named",
            "compose: {files: [stacks/named-build.yml], stable_for: 1s, stop_timeout: 1s}\n"
            "urls: {web: 'http://127.0.0.1:${compose.app.8000}'}\n",
        )
    answers: dict[str, str] = {}
    tags: dict[str, list[str]] = {}

    def run(name: str) -> None:
        with boot(envs[name], tmp_path / name / "run", say=quiet) as stack:
            time.sleep(3)  # both stacks are up at the same time
            answers[name] = get_soon(stack.urls["web"])
            containers = docker_client.containers.list(
                filters={"label": f"{PROJECT}={stack.project}"}
            )
            tags[name] = containers[0].image.tags

    threads = [threading.Thread(target=run, args=(name,)) for name in envs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(300)
    assert answers == {"alpha": "ok alpha", "beta": "ok beta"}
    assert tags["alpha"] != tags["beta"]
    assert docker_client.images.list(name="harness-test-named-build") == []
    for name in envs:
        assert docker_client.images.list(name=tags[name][0]) == []


def test_an_unknown_service_is_bad_input(compose_v2: str, project: Path, tmp_path: Path) -> None:
    env = write_env(
        project,
        "typo",
        "compose: {files: [stacks/healthy.yml], one_shot: [migrat]}\nurls: {web: 'http://127.0.0.1:${compose.wbe.8000}'}\n",
    )
    with pytest.raises(InputError) as caught, boot(env, tmp_path / "run", say=quiet):
        pytest.fail("unknown services")
    message = str(caught.value)
    assert (
        "compose.one_shot names service 'migrat', which the compose files do not define. "
        "Did you mean 'migrate'?" in message
    )
    assert "${compose.wbe.8000} names service 'wbe'" in message
    assert message.endswith("Services: migrate, web, worker")
    assert caught.value.exit_code == 2
