"""History across real runs of `harness run` (a local app in real Chromium): a journey that
fails its first attempt in every other run has flaky rate 0.5 after six runs and the steady one
0.0; with `max_flaky_rate: 0.1` the next run exits 6 naming it. `--last-failed` runs what broke
last time. A store that cannot be written is a warning and the verdict stands."""

from __future__ import annotations

import json
import subprocess
from pathlib import Path

import pytest

from harness.core.history import JourneyRecord, RunRecord
from harness.history.store import HistoryStore
from tests.support.run import PY, env_for_run, harness, project

__all__ = ["project"]

pytestmark = pytest.mark.browser
SELECTION = ("-k", "one or greeted", "--no-unit")
COUNTER = "journeys/counter-once.journey.yml"
GREETING = "journeys/greeting.journey.yml"


def _history(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [PY, "-m", "harness", "history", *args],
        cwd=project,
        env=env_for_run(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_flaky_every_other_run_is_rate_one_half_and_the_limit_fails_the_next_run(
    project: Path,
) -> None:
    for number in range(6):  # APP_DEFECT=flaky: the first /counter request fails, a retry passes
        run = harness(project, *SELECTION, APP_DEFECT="flaky" if number % 2 else "none")
        assert run.code == 0, run.stdout + run.stderr
    journeys = {j["id"]: j for j in run.report["journeys"]}
    assert journeys[COUNTER]["status"] == "flaky"
    counter, greeting = journeys[COUNTER]["history"], journeys[GREETING]["history"]
    assert (counter["runs"], counter["flaky"], counter["flaky_rate"]) == (6, 3, 0.5)
    assert [p["status"] for p in counter["recent"]] == ["passed", "flaky"] * 3
    assert (greeting["runs"], greeting["flaky"], greeting["flaky_rate"]) == (6, 0, 0.0)
    assert greeting["median_duration_s"] > 0
    assert run.report["run"]["history"]["runs"] == 6
    assert run.folder is not None
    assert "Visitor counts to one" in (run.folder / "report.html").read_text()

    shown = _history(project, "--json")
    assert shown.returncode == 0, shown.stderr
    document = json.loads(shown.stdout)
    assert document["runs"] == 6
    assert [(j["id"], j["flaky_rate"]) for j in document["journeys"]] == [
        (COUNTER, 0.5),
        (GREETING, 0.0),
    ]
    table = _history(project)
    assert table.returncode == 0, table.stderr
    assert "Visitor counts to one" in table.stdout.splitlines()[3]  # broken most recently: first
    assert "0.50" in table.stdout.splitlines()[3]

    harness_yml = project / "harness.yml"
    harness_yml.write_text(harness_yml.read_text() + "  max_flaky_rate: 0.1\n")
    limited = harness(project, *SELECTION, APP_DEFECT="none")
    assert limited.code == 6, limited.stdout + limited.stderr
    assert [j["status"] for j in limited.report["journeys"]] == ["passed", "passed"]
    assert limited.report["gate"]["reasons"] == [
        f"journey flaky too often: Visitor counts to one ({COUNTER}) was flaky in 3 of its last "
        "7 run(s): flaky rate 0.43 > max_flaky_rate 0.1"
    ]
    assert "Gate FAILED: exit 6 (a policy limit in gate was not met" in limited.stdout


def test_last_failed_runs_only_what_failed_or_was_flaky_last_time(project: Path) -> None:
    url = f"sqlite:///{project / '.harness' / 'history.sqlite'}"
    earlier = RunRecord(
        "earlier",
        "local",
        1.0,
        1.0,
        1,
        journeys=(
            JourneyRecord(COUNTER, "Visitor counts to one", "failed", 1, 1.0),
            JourneyRecord(GREETING, "Visitor is greeted", "passed", 1, 1.0),
        ),
    )
    with HistoryStore.open(url) as store:
        store.record(earlier)
    run = harness(project, "--last-failed", "--no-unit")
    assert run.code == 0, run.stdout + run.stderr
    assert [j["id"] for j in run.report["journeys"]] == [COUNTER]
    assert "--last-failed: 1 journey(s) that failed or were flaky last time" in run.stderr
    again = harness(project, "--last-failed", "--no-unit", "-k", "greeted")
    assert "running every selected journey" in again.stderr
    assert [j["id"] for j in again.report["journeys"]] == [GREETING]


def test_a_store_that_cannot_be_written_is_a_warning_and_the_verdict_stands(
    project: Path,
) -> None:
    store = project / ".harness" / "history.sqlite"
    store.parent.mkdir(parents=True, exist_ok=True)
    store.write_bytes(b"not a database\n" * 100)
    run = harness(project, "-k", "greeted", "--no-unit")
    assert run.code == 0, run.stdout + run.stderr
    warning = (
        "history: this run was not recorded: history store sqlite:///"
        f"{store}: file is not a database"
    )
    assert f"warning: {warning}" in run.stderr
    assert warning in run.report["gate"]["notes"]
    assert run.report["run"]["history"] is None
    assert run.report["run"]["history_warning"].startswith(
        "history: earlier runs could not be read"
    )
    assert run.report["gate"]["passed"] is True
