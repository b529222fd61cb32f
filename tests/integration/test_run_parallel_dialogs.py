"""Parallel workers never answer each other's dialogs: journeys that accept a ``confirm()`` all
pass under ``harness run --workers 2``. (A browser shared between the workers' Playwright
connections did not hold: each connection sees every page, and Playwright dismisses a dialog
nobody listens for on that connection, so one journey in six failed with "cancelled".) The same
holds for a remote Chromium over CDP, which therefore runs on one worker."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.integration.remote_support import cdp_chromium
from tests.support.run import harness

pytestmark = pytest.mark.browser

ACCEPTS = """name: Confirms {n}
steps:
  - goto: /widgets.html
  - dialog: accept
  - click: "#confirm"
  - expect: {{testid: dialog-result, text: confirmed}}
  - goto: /widgets.html
  - dialog: accept
  - click: "#confirm"
  - expect: {{testid: dialog-result, text: confirmed}}
  - dialog: accept
  - click: "#confirm"
  - expect: {{testid: dialog-result, text: confirmed}}
"""


def _project(site: str, folder: Path, journeys: int) -> Path:
    project = folder / "project"
    (project / "journeys").mkdir(parents=True)
    (project / "environments").mkdir()
    (project / "harness.yml").write_text("journeys: journeys\n")
    (project / "environments" / "site.yml").write_text(f"urls:\n  web: {site}\n")
    for n in range(1, journeys + 1):
        (project / "journeys" / f"confirms-{n}.journey.yml").write_text(ACCEPTS.format(n=n))
    return project


def test_two_workers_each_answer_only_their_own_dialogs(
    site: str, tmp_path: Path, browser_executable: object
) -> None:
    project = _project(site, tmp_path, 6)

    run = harness(project, "--env", "site", "--no-unit", "--workers", "2")

    statuses = {name: journey["status"] for name, journey in run.journeys().items()}
    assert statuses == {f"Confirms {n}": "passed" for n in range(1, 7)}, run.stdout
    assert run.code == 0


def test_a_cdp_endpoint_runs_on_one_worker_so_no_dialog_is_dismissed_by_another(
    site: str, tmp_path: Path, browser_executable: object
) -> None:
    """Two CDP connections to one Chromium cancelled nearly every confirm() of the other's."""
    project = _project(site, tmp_path, 4)
    path = str(getattr(browser_executable, "path", ""))
    with cdp_chromium(path, tmp_path) as (endpoint, _):
        run = harness(
            project,
            "--env",
            "site",
            "--no-unit",
            "--workers",
            "2",
            "--browser-endpoint",
            endpoint,
            HARNESS_BROWSER_PATH="/nonexistent/chromium",
        )

    statuses = {name: journey["status"] for name, journey in run.journeys().items()}
    assert statuses == {f"Confirms {n}": "passed" for n in range(1, 5)}, run.stdout + run.stderr
    assert "is a CDP endpoint: the journeys run on 1 worker" in run.stderr
    assert run.code == 0
