"""``.venv/bin/harness run`` called by its path from a shell whose PATH does not hold the venv:
the unit-test command, the processes and the host seed steps still run on the harness's own
interpreter (its bin folder first on their PATH; ``{python}`` in a command is that interpreter)."""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.run import PROJECT, assert_nothing_left

pytestmark = pytest.mark.browser

WRONG_PYTHON = """#!/bin/sh
echo "the wrong python ran: $0 $*" >&2
exit 3
"""


@pytest.fixture
def project(tmp_path: Path, browser_executable: object) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    local = root / "environments" / "local.yml"
    local.write_text(
        local.read_text()
        + "seed:\n"
        + '  - run: ["{python}", -c, "import harness, sys; print(sys.executable)"]\n'
        + '  - run: [python, -c, "import harness"]\n'
    )
    return root


def _shell_path(tmp_path: Path) -> str:
    """A user's PATH: a `python` that is not the harness's first, never the venv's folder."""
    wrong = tmp_path / "wrong-bin"
    wrong.mkdir()
    for name in ("python", "python3", "pytest"):
        (wrong / name).write_text(WRONG_PYTHON)
        (wrong / name).chmod(stat.S_IRWXU)
    venv_bin = str(Path(sys.executable).parent)
    rest = [p for p in os.environ["PATH"].split(os.pathsep) if p and p != venv_bin]
    return os.pathsep.join([str(wrong), *rest])


def test_harness_called_by_its_path_runs_the_projects_commands_on_its_own_python(
    project: Path, tmp_path: Path
) -> None:
    harness = Path(sys.executable).parent / "harness"
    env = {k: v for k, v in os.environ.items() if k not in ("VIRTUAL_ENV", "APP_DEFECT")}
    env["PATH"] = _shell_path(tmp_path)
    env["NO_COLOR"] = "1"
    shell = subprocess.run(
        ["sh", "-c", "python -c 'print(1)'"], env=env, capture_output=True, text=True, check=False
    )
    assert shell.returncode == 3  # the user's shell really finds the wrong python first

    result = subprocess.run(
        [str(harness), "run", "--env", "local"],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "the wrong python ran" not in result.stdout + result.stderr
    run_dir = next((project / ".harness" / "runs").iterdir())
    report = json.loads((run_dir / "report.json").read_text())
    assert report["unit"][0]["passed"] == 2
    assert {j["status"] for j in report["journeys"]} == {"passed"}
    seed_log = (run_dir / "seed" / "1-run.log").read_text()
    assert seed_log.strip() == sys.executable
    assert_nothing_left(project)
