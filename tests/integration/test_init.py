"""`harness init` as a new user runs it: in an empty folder, against a real site served on
127.0.0.1, then `harness validate` and `harness run` in real Chromium; and never overwriting."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from harness.core.project import project_schema

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parent.parent.parent
CHECK_JSONSCHEMA = Path(sys.executable).parent / "check-jsonschema"


def harness(folder: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=folder,
        env={**os.environ, "NO_COLOR": "1"},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def test_init_validate_and_run_pass_at_once_against_a_running_site(
    tmp_path: Path, static_server: tuple[str, Path], browser_executable: object
) -> None:
    url, site = static_server
    (site / "index.html").write_text("<!doctype html><title>Shop</title><h1>Welcome</h1>")
    project = tmp_path / "new-project"
    project.mkdir()

    init = harness(project, "init", "--url", url, "--ci", "github")
    assert init.returncode == 0, init.stderr
    assert sorted(str(p.relative_to(project)) for p in project.rglob("*") if p.is_file()) == [
        ".github/workflows/harness.yml",
        ".harness/journey.schema.json",
        ".harness/steps.schema.json",
        "environments/local.yml",
        "harness.yml",
        "journeys/smoke.journey.yml",
    ]
    validate = harness(project, "validate")
    assert validate.returncode == 0, validate.stdout + validate.stderr
    run = harness(project, "run")
    assert run.returncode == 0, run.stdout + run.stderr
    (run_dir,) = (project / ".harness" / "runs").iterdir()
    report = json.loads((run_dir / "report.json").read_text())
    assert [(j["name"], j["status"]) for j in report["journeys"]] == [("Home page loads", "passed")]
    smoke = harness(project, "smoke")
    assert smoke.returncode == 0, smoke.stdout + smoke.stderr


def test_a_site_that_does_not_answer_fails_the_smoke_journey(
    tmp_path: Path, browser_executable: object
) -> None:
    """The smoke journey can fail: nothing listens on the URL."""
    assert harness(tmp_path, "init", "--url", "http://127.0.0.1:9").returncode == 0
    run = harness(tmp_path, "run")
    assert run.returncode == 1, run.stdout + run.stderr


def test_init_never_overwrites_and_writes_nothing_when_a_file_exists(tmp_path: Path) -> None:
    (tmp_path / "journeys").mkdir()
    (tmp_path / "journeys" / "smoke.journey.yml").write_text("mine\n")
    result = harness(tmp_path, "init")
    assert result.returncode == 2
    assert "journeys/smoke.journey.yml" in result.stderr
    assert "writes nothing" in result.stderr
    assert (tmp_path / "journeys" / "smoke.journey.yml").read_text() == "mine\n"
    assert sorted(p.name for p in tmp_path.rglob("*")) == ["journeys", "smoke.journey.yml"]

    (tmp_path / "journeys" / "smoke.journey.yml").unlink()
    assert harness(tmp_path, "init").returncode == 0
    before = {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()}
    again = harness(tmp_path, "init", "--url", "http://127.0.0.1:8000")
    assert again.returncode == 2
    assert "harness.yml" in again.stderr
    assert {p: p.read_bytes() for p in tmp_path.rglob("*") if p.is_file()} == before


def test_without_a_url_the_environment_is_a_commented_template_that_validates(
    tmp_path: Path,
) -> None:
    assert harness(tmp_path, "init").returncode == 0
    text = (tmp_path / "environments" / "local.yml").read_text()
    assert "# processes:" in text
    assert "# compose:" in text
    assert harness(tmp_path, "validate").returncode == 0
    bad_url = harness(tmp_path / "journeys", "init", "--url", "localhost:8000")
    assert bad_url.returncode == 2
    assert "not an http(s) URL" in bad_url.stderr


def test_the_smoke_journey_and_harness_yml_as_written(tmp_path: Path) -> None:
    assert harness(tmp_path, "init", "--ci", "github").returncode == 0
    journey = (tmp_path / "journeys" / "smoke.journey.yml").read_text()
    assert journey.startswith("# yaml-language-server: $schema=../.harness/journey.schema.json\n")
    assert yaml.safe_load(journey)["tags"] == ["smoke"]
    schema = json.loads((tmp_path / ".harness" / "journey.schema.json").read_text())
    assert schema == json.loads(harness(tmp_path, "schema", "journey").stdout)

    config = (tmp_path / "harness.yml").read_text()
    keys = set(project_schema()["properties"]) | {
        f"gate.{k}" for k in project_schema()["properties"]["gate"]["properties"]
    }
    for key in keys:  # every key of harness.yml is there, with its default
        name = re.escape(key.split(".")[-1])
        assert re.search(rf"^#?\s*{name}:", config, re.M), key


def test_the_github_workflow_is_a_valid_workflow_that_runs_the_gate_and_uploads(
    tmp_path: Path,
) -> None:
    assert harness(tmp_path, "init", "--ci", "github").returncode == 0
    path = tmp_path / ".github" / "workflows" / "harness.yml"
    check = subprocess.run(
        [str(CHECK_JSONSCHEMA), "--builtin-schema", "vendor.github-workflows", str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert check.returncode == 0, check.stdout + check.stderr
    steps = yaml.safe_load(path.read_text())["jobs"]["gate"]["steps"]
    runs = [s["run"] for s in steps if "run" in s]
    assert any(r.startswith("harness run") for r in runs)
    upload = next(s for s in steps if s.get("uses", "").startswith("actions/upload-artifact"))
    assert upload["if"] == "always()"
    assert upload["with"]["path"] == "harness-report/"
