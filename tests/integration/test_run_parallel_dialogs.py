"""Parallel workers never answer each other's dialogs: journeys that accept a ``confirm()`` all
pass under ``harness run --workers 2``. (A browser shared between the workers' Playwright
connections did not hold: each connection sees every page, and Playwright dismisses a dialog
nobody listens for on that connection, so one journey in six failed with "cancelled".)"""

from __future__ import annotations

from pathlib import Path

import pytest

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


def test_two_workers_each_answer_only_their_own_dialogs(
    site: str, tmp_path: Path, browser_executable: object
) -> None:
    project = tmp_path / "project"
    (project / "journeys").mkdir(parents=True)
    (project / "environments").mkdir()
    (project / "harness.yml").write_text("journeys: journeys\n")
    (project / "environments" / "site.yml").write_text(f"urls:\n  web: {site}\n")
    for n in range(1, 7):
        (project / "journeys" / f"confirms-{n}.journey.yml").write_text(ACCEPTS.format(n=n))

    run = harness(project, "--env", "site", "--no-unit", "--workers", "2")

    statuses = {name: journey["status"] for name, journey in run.journeys().items()}
    assert statuses == {f"Confirms {n}": "passed" for n in range(1, 7)}, run.stdout
    assert run.code == 0
