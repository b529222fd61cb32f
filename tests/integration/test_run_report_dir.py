"""``--report-dir`` as users give it: the project root, a folder of their own, an earlier run's
report folder, a path that cannot be written. Never a user's file overwritten, never an old
run's files mixed in, never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from tests.support.run import PROJECT, harness

pytestmark = pytest.mark.browser


@pytest.fixture
def project(tmp_path: Path, browser_executable: object) -> Path:
    root = tmp_path / "project"
    shutil.copytree(PROJECT, root, ignore=shutil.ignore_patterns("__pycache__", ".harness"))
    return root


def snapshot(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in folder.rglob("*") if p.is_file()}


def test_the_project_root_is_refused_and_left_as_it_was(project: Path) -> None:
    (project / "compose.override.yml").write_text("# the user's own override\n")
    before = snapshot(project)
    run = harness(project, "--report-dir", ".")
    assert run.code == 2, run.stdout + run.stderr
    assert "--report-dir .: the folder is not empty and is not a report folder" in run.stderr
    assert "Traceback" not in run.stderr
    assert snapshot(project) == before


def test_a_folder_of_the_users_is_refused(project: Path) -> None:
    mine = project / "mine"
    (mine / "services").mkdir(parents=True)
    (mine / "services" / "keep.log").write_text("mine\n")
    run = harness(project, "--report-dir", "mine")
    assert run.code == 2, run.stdout + run.stderr
    assert (mine / "services" / "keep.log").read_text() == "mine\n"
    assert not (mine / "report.json").exists()


@pytest.mark.parametrize("path", ["/proc/harness-report", "report.json/inside"])
def test_a_path_that_cannot_be_written_is_exit_2_with_a_message(project: Path, path: str) -> None:
    (project / "report.json").write_text("{}")  # a file where a folder is wanted
    run = harness(project, "--report-dir", path)
    assert run.code == 2, run.stdout + run.stderr
    assert run.stderr.startswith(f"error: --report-dir {path}: ")
    assert "Traceback" not in run.stderr


def test_an_earlier_report_folder_is_replaced_whole(project: Path) -> None:
    first = harness(project, "--report-dir", "out", "-k", "greeted", "--no-unit")
    assert first.code == 0, first.stdout + first.stderr
    out = project / "out"
    (out / "services" / "keep.log").write_text("an old run's service\n")
    second = harness(project, "--report-dir", "out", "-k", "greeted", "--no-unit")
    assert second.code == 0, second.stdout + second.stderr
    assert not (out / "services" / "keep.log").exists()
    report = (out / "report.json").read_text()
    assert '"keep"' not in report
    assert (out / ".harness-report").is_file()
