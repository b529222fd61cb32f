"""`harness run` and `harness smoke` on the sample project's tiny Compose stack (the local base
image, a web service that waits on a stand-in database): the run boots it, times each service,
keeps its logs and removes it; smoke leaves it up and the next smoke reuses it; a service that
dies is exit 4. Every resource of these stacks carries its environment file's label, which lies
in this test's folder, so leaks are checked among this test's own resources only."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from tests.support.run import PROJECT, harness
from tests.support.stack import leftovers

pytestmark = [pytest.mark.docker, pytest.mark.browser]


@pytest.fixture
def project(tmp_path: Path, base_image: str, browser_executable: object) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    return root


def test_a_compose_run_boots_times_and_removes_its_stack(docker_client: Any, project: Path) -> None:
    run = harness(project, "--env", "docker", "--no-unit")
    assert run.code == 0, run.stdout + run.stderr
    services = {s["name"]: s for s in run.report["run"]["services"]}
    assert set(services) == {"db", "web"}
    assert all(s["boot_s"] is not None for s in services.values())
    # web starts once db runs and is ready at its first passing health check: it held the boot up
    assert (services["web"]["held_boot"], services["db"]["held_boot"]) == (True, False)
    assert "web " in run.stdout
    assert "held the boot up" in run.stdout
    assert run.folder is not None
    assert "db: up" in (run.folder / services["db"]["log"]).read_text()
    assert "GET /counter" in (run.folder / services["web"]["log"]).read_text()
    assert run.report["run"]["timings_s"]["teardown"] > 0
    assert "booting docker: db, web" in run.stderr
    assert "web is healthy" in run.stderr
    seed = next(line for line in run.stderr.splitlines() if "seed step 1:" in line)
    assert re.search(r" http://127\.0\.0\.1:\d+/healthz$", seed), seed  # as it ran, no ${...}
    assert leftovers(docker_client, project) == []


def test_a_service_that_dies_while_booting_is_exit_4_with_its_log(
    docker_client: Any, project: Path
) -> None:
    run = harness(project, "--env", "docker", APP_DEFECT="boot")
    assert run.code == 4, run.stdout + run.stderr
    assert run.report["journeys"] == []
    assert "service 'web'" in run.report["gate"]["reasons"][0]
    assert run.folder is not None
    assert "cannot start: APP_DEFECT=boot" in (run.folder / "services" / "web.log").read_text()
    assert run.report["run"]["timings_s"]["teardown"] > 0  # the removal is timed, not 0.0s
    after_removing = run.stderr.split("removing harness-docker-", 1)[1]
    assert "waiting" not in after_removing, run.stderr
    assert leftovers(docker_client, project) == []


def test_smoke_leaves_its_stack_up_and_the_next_smoke_reuses_it(
    docker_client: Any, project: Path
) -> None:
    try:
        first = harness(project, "--env", "docker", command="smoke")
        assert first.code == 0, first.stdout + first.stderr
        assert "booting one and keeping it" in first.stderr
        kept = leftovers(docker_client, project)
        assert any(item.startswith("container") for item in kept)
        second = harness(project, "--env", "docker", command="smoke")
        assert second.code == 0, second.stdout + second.stderr
        assert "reusing harness-docker-" in second.stderr
        assert leftovers(docker_client, project) == kept
        assert list(second.journeys()) == ["Visitor is greeted"]
    finally:
        down = harness(project, "--env", "docker", command="down")
        assert down.code == 0, down.stdout + down.stderr
    assert leftovers(docker_client, project) == []
