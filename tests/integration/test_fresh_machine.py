"""The set-up on a fresh machine, simulated on this one without disturbing it
(scripts/fresh_machine.py): optional tools hidden, apt-get a stand-in that only exposes what the
set-up asks for, images under a namespace of their own. If ``./run setup`` stops installing
one of them, or ``./run demo`` stops passing from a fresh copy, this fails."""

from __future__ import annotations

import importlib.util
import os
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

from tests.conftest import ROOT, unavailable

SCRIPT = ROOT / "scripts" / "fresh_machine.py"


def fresh_machine() -> ModuleType:
    spec = importlib.util.spec_from_file_location("fresh_machine", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_the_hidden_tools_are_not_on_the_path_and_everything_else_is(tmp_path: Path) -> None:
    tools = tmp_path / "sbin"
    tools.mkdir()
    for name in ("debootstrap", "dockerd", "chromium"):
        (tools / name).write_text("#!/bin/sh\n")
        (tools / name).chmod(0o755)
    other = tmp_path / "other"
    other.mkdir()
    path = fresh_machine().hiding_path(tmp_path / "work", f"{tools}{os.pathsep}{other}")
    first, hiding, kept = path.split(os.pathsep)
    assert first == str(tmp_path / "work" / "installed")
    assert sorted(p.name for p in Path(hiding).iterdir()) == ["dockerd"]
    assert kept == str(other)
    assert shutil.which("debootstrap", path=path) is None
    assert shutil.which("dockerd", path=path) is not None


def test_a_setup_that_installs_nothing_fails_the_check(tmp_path: Path) -> None:
    project = tmp_path / "project"
    project.mkdir()
    (tmp_path / "apt.log").write_text("update -qq\n")
    problems = fresh_machine().check_setup(project, tmp_path, "harness-fresh-none", 0)
    assert "./run setup never installed debootstrap, which a fresh machine lacks" in problems
    assert "./run setup did not make the image harness-fresh-none/debian:bookworm" in problems


def test_the_image_namespace_is_injectable() -> None:
    env = {**os.environ, "HARNESS_IMAGE_PREFIX": "harness-fresh-x1"}
    result = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "images.py"), "tags"],
        env=env,
        capture_output=True,
        text=True,
        check=True,
    )
    tags = dict(line.split() for line in result.stdout.splitlines())
    assert tags["base"] == "harness-fresh-x1/debian:bookworm"
    assert tags["postgres"] == "harness-fresh-x1/postgres:15"
    bad = subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "images.py"), "tags"],
        env={**env, "HARNESS_IMAGE_PREFIX": "Not/Valid"},
        capture_output=True,
        text=True,
        check=False,
    )
    assert bad.returncode == 2
    assert "not a Docker image namespace" in bad.stderr


@pytest.mark.docker
@pytest.mark.browser
@pytest.mark.timeout(3600)
def test_setup_and_demo_pass_on_a_fresh_machine(
    docker_client: object, browser_executable: object
) -> None:
    if os.geteuid() != 0 or shutil.which("dpkg") is None:
        unavailable("the fresh-machine check runs the set-up's installing path: root on Debian")
    result = subprocess.run(
        [sys.executable, str(SCRIPT), "--demo"],
        capture_output=True,
        text=True,
        timeout=3500,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-6000:]
    assert "passed: set-up and demo on a fresh machine" in result.stderr
