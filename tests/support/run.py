"""`harness run` as a real process on the sample project (tests/data/run): the project copied
into a test's folder, the run's outcome read back, its reports checked against their schemas,
and nothing of it left running afterwards."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import xmlschema

from harness.report.json_report import report_schema

DATA = Path(__file__).resolve().parent.parent / "data"
PROJECT = DATA / "run" / "project"
PY = sys.executable


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str
    folder: Path | None

    @property
    def report(self) -> dict[str, Any]:
        assert self.folder is not None, self.stderr
        data: dict[str, Any] = json.loads((self.folder / "report.json").read_text())
        return data

    def journeys(self) -> dict[str, dict[str, Any]]:
        return {j["name"]: j for j in self.report["journeys"]}

    def verdicts(self) -> dict[str, str]:
        return {f["id"]: f["verdict"] for f in self.report["features"]}


@pytest.fixture
def project(tmp_path: Path, browser_executable: object) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    return root


def env_for_run(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("APP_DEFECT", "GITHUB_ACTIONS")}
    env["PATH"] = f"{Path(PY).parent}{os.pathsep}{env['PATH']}"  # harness.yml runs `python`
    env["NO_COLOR"] = "1"
    return {**env, **extra}


def latest_run_folder(project: Path) -> Path | None:
    runs = sorted((project / ".harness" / "runs").glob("*"))
    return runs[-1] if runs else None


def harness(project: Path, *args: str, command: str = "run", **env: str) -> Run:
    result = subprocess.run(
        [PY, "-m", "harness", command, *args],
        cwd=project,
        env=env_for_run(**env),
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    run = Run(result.returncode, result.stdout, result.stderr, latest_run_folder(project))
    assert_nothing_left(project)
    if run.folder is not None:
        assert_valid_reports(run.folder)
    return run


def processes_in(folder: Path) -> list[str]:
    """Processes (ours: the app, Playwright's driver, Chromium) whose working folder is there."""
    found = []
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            cwd = (entry / "cwd").resolve()
            command = (entry / "cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if cwd == folder.resolve() or folder.resolve() in cwd.parents:
            found.append(f"{entry.name}: {command}")
    return found


def assert_nothing_left(project: Path) -> None:
    deadline = time.monotonic() + 10  # a killed process may need a moment to be reaped
    while processes_in(project) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert processes_in(project) == []


def assert_valid_reports(folder: Path) -> None:
    jsonschema.validate(json.loads((folder / "report.json").read_text()), report_schema())
    xmlschema.XMLSchema(DATA / "xsd" / "junit.xsd").validate(folder / "junit.xml")
    assert (folder / "report.html").is_file()
