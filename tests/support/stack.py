"""Fixtures and helpers shared by the environment tests (this module holds no test itself).

Each test gets a project of its own in tmp_path (harness.yml, environments/, stacks/ linked to
tests/data/stacks), so every resource it creates carries its own environment-file label, and
the leak check after the test looks at exactly those.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from harness.core.environment import Environment, load_environment
from harness.errors import ComposeError
from harness.stack.compose_cli import detect_compose
from harness.stack.labels import ENV_FILE
from tests.conftest import unavailable

DATA = Path(__file__).resolve().parent.parent / "data"


@pytest.fixture
def project(tmp_path: Path) -> Path:
    """A project root with harness.yml, copies of tests/data/environments and the stacks."""
    root = tmp_path / "project"
    (root / "environments").mkdir(parents=True)
    (root / "harness.yml").write_text("environments: environments\nartifacts: runs\n")
    for env in (DATA / "environments").glob("*.yml"):
        shutil.copy(env, root / "environments" / env.name)
    (root / "stacks").symlink_to(DATA / "stacks")
    return root


def load(project: Path, name: str) -> Environment:
    return load_environment(project / "environments" / f"{name}.yml", project)


def write_env(project: Path, name: str, text: str) -> Environment:
    (project / "environments" / f"{name}.yml").write_text(text)
    return load(project, name)


@pytest.fixture(params=["v2", "v1"])
def compose(
    request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch, base_image: str
) -> str:
    """Runs the test once with Compose v2 and once with v1 (HARNESS_COMPOSE)."""
    monkeypatch.setenv("HARNESS_COMPOSE", request.param)
    try:
        detect_compose()
    except ComposeError as exc:
        unavailable(f"Compose {request.param} is not installed: {exc}")
    return str(request.param)


@pytest.fixture
def compose_v2(monkeypatch: pytest.MonkeyPatch, base_image: str) -> str:
    monkeypatch.setenv("HARNESS_COMPOSE", "v2")
    try:
        detect_compose()
    except ComposeError as exc:
        unavailable(f"Compose v2 is not installed: {exc}")
    return "v2"


def leftovers(client, root: Path) -> list[str]:  # type: ignore[no-untyped-def]
    """Containers, networks and volumes of stacks booted from environments under ``root``."""
    found = []
    prefix = str(root.resolve())
    for kind, items in (
        (
            "container",
            client.containers.list(all=True, filters={"label": ENV_FILE}, ignore_removed=True),
        ),
        ("network", client.networks.list(filters={"label": ENV_FILE})),
        ("volume", client.volumes.list(filters={"label": ENV_FILE})),
    ):
        for item in items:
            labels = item.attrs.get("Labels") or item.attrs.get("Config", {}).get("Labels") or {}
            if labels.get(ENV_FILE, "").startswith(prefix):
                found.append(f"{kind} {item.name}")
    return found


@pytest.fixture
def no_leaks(docker_client, tmp_path: Path) -> Iterator[None]:  # type: ignore[no-untyped-def]
    """After the test: nothing of the test's stacks is left (removed anyway, then asserted)."""
    yield
    left = leftovers(docker_client, tmp_path)
    for item in left:  # so that one failing test does not leak into the next
        kind, _, name = item.partition(" ")
        getattr(docker_client, f"{kind}s").get(name).remove(
            **({"force": True} if kind != "network" else {})
        )
    assert left == []


class HarnessProcess:
    """A real ``python -m harness ...`` in a project, with its stderr collected as it comes."""

    def __init__(self, project: Path, *args: str, env: dict[str, str] | None = None) -> None:
        self.process = subprocess.Popen(
            [sys.executable, "-m", "harness", *args],
            cwd=project,
            env={**os.environ, **(env or {})},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self._read, daemon=True)
        self.reader.start()

    def _read(self) -> None:
        assert self.process.stderr is not None
        for line in self.process.stderr:
            self.lines.append(line.rstrip("\n"))

    @property
    def stderr(self) -> str:
        return "\n".join(self.lines)

    def wait_for(self, text: str, timeout_s: float = 120) -> str:
        """The first stderr line containing ``text``; fails if the process ends first."""
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            for line in list(self.lines):
                if text in line:
                    return line
            if self.process.poll() is not None and not self.reader.is_alive():
                break
            time.sleep(0.05)
        raise AssertionError(f"never printed {text!r}; stderr:\n{self.stderr}")

    def finish(self, timeout_s: float = 120) -> int:
        code = self.process.wait(timeout=timeout_s)
        self.reader.join(timeout=10)
        return code

    def kill(self) -> None:
        if self.process.poll() is None:
            self.process.kill()
        self.finish()


@pytest.fixture
def harness_processes() -> Iterator[list[HarnessProcess]]:
    """Started harness processes, killed after the test if still running."""
    started: list[HarnessProcess] = []
    yield started
    for process in started:
        process.kill()
