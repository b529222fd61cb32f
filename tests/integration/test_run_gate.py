"""`harness run` and `harness smoke` as real processes on a small project (tests/data/run): a
two-page app booted as a local process, its pytest unit suite, journeys in real Chromium. Each
exit code of the contract from a real cause, each report checked against its schema (report.json)
or the JUnit XSD (junit.xml), and nothing left running in the project's folder afterwards."""

from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import time
from pathlib import Path

import pytest

from tests.support.run import (
    DATA,
    PY,
    assert_nothing_left,
    env_for_run,
    harness,
    processes_in,
)
from tests.support.run import project as project  # the fixture, by name

pytestmark = pytest.mark.browser


def test_a_clean_run_passes_the_gate_with_every_phase_timed(project: Path) -> None:
    run = harness(project)
    assert run.code == 0, run.stdout + run.stderr
    report = run.report
    timings = report["run"]["timings_s"]
    # The unit tests ran beside the boot and the journeys: that time was saved, not spent.
    assert 0 < timings["overlap"] <= timings["unit"]
    assert "unit tests alongside boot and journeys:" in run.stdout
    assert report["gate"] == {
        "passed": True,
        "exit_code": 0,
        "reasons": [],
        "notes": [],
        "fail_on": ["failed", "green_but_broken"],
        "policy": [],
    }
    assert {name: j["status"] for name, j in run.journeys().items()} == {
        "Visitor is greeted": "passed",
        "Visitor counts to one": "passed",
        "Visitor counts to two": "passed",
    }
    assert report["unit"][0] | {"duration_s": 0} == {
        "name": "app",
        "tests": 2,
        "passed": 2,
        "failed": 0,
        "skipped": 0,
        "duration_s": 0,
        "kind": "unit",
    }
    assert run.verdicts() == {"counter": "journey-only", "greeting": "verified"}
    timings = report["run"]["timings_s"]
    assert all(timings[phase] > 0 for phase in ("boot", "unit", "journeys"))
    assert report["run"]["environment"] == "local"
    assert report["run"]["services"][0]["name"] == "web"
    assert run.folder is not None
    assert "GET /counter" in (run.folder / report["run"]["services"][0]["log"]).read_text()
    assert (run.folder / "unit" / "app.xml").is_file()
    assert run.stdout.lstrip().startswith("Gate PASSED: exit 0")
    assert "Timings: boot" in run.stdout
    assert "PASSED      Visitor is greeted" in run.stderr
    assert "booting local: web" in run.stderr


def test_green_unit_tests_and_a_broken_greeting_exit_3_naming_the_feature_first(
    project: Path,
) -> None:
    run = harness(project, APP_DEFECT="greeting", GITHUB_ACTIONS="true")
    assert run.code == 3, run.stdout + run.stderr
    features = run.report["features"]
    assert (features[0]["id"], features[0]["verdict"]) == ("greeting", "green-but-broken")
    assert features[0]["unit_tests"] == {"linked": 2, "passed": 2, "failed": 0}
    assert features[0]["mock_ratio"] == 1.0
    lines = run.stdout.strip().splitlines()
    assert lines[0] == "Gate FAILED: exit 3 (tests green, app broken)"
    assert lines[1].startswith("  - feature greeting is green-but-broken")
    greeted = run.journeys()["Visitor is greeted"]
    assert greeted["failure"]["line"] == 7
    assert run.folder is not None
    assert (run.folder / greeted["artifacts"]["screenshot"]).is_file()
    assert (run.folder / greeted["artifacts"]["trace"]).is_file()
    assert "::error file=journeys/greeting.journey.yml,line=7," in run.stdout
    # The whole failure block, as pytest prints one, not only its first line.
    failed = run.stdout.split("Failed journeys:\n")[1].split("\n\n")[0]
    expected = (DATA / "run" / "greeting-failure.expected").read_text()
    assert failed.replace(run.folder.name, "RUN") + "\n" == expected


def test_a_failing_journey_exits_1_and_serial_journeys_never_overlap(project: Path) -> None:
    run = harness(project, "-k", "counts", "--workers", "2", APP_DEFECT="counter")
    assert run.code == 1, run.stdout + run.stderr
    journeys = run.journeys()
    assert set(journeys) == {"Visitor counts to one", "Visitor counts to two"}
    assert journeys["Visitor counts to one"]["attempts"] == 2  # retries: 1
    assert run.verdicts()["counter"] == "broken"
    windows = sorted((j["window"]["start"], j["window"]["end"]) for j in journeys.values())
    assert windows[0][1] <= windows[1][0]  # serial: counter-data, though two workers ran
    assert "journey failed: Visitor counts to two" in run.stdout


def test_a_journey_that_passes_on_retry_is_flaky_and_fails_only_when_asked(
    project: Path,
) -> None:
    run = harness(project, "-k", "one", "--no-unit", APP_DEFECT="flaky")
    assert run.code == 0, run.stdout + run.stderr
    journey = run.journeys()["Visitor counts to one"]
    assert journey["status"] == "flaky"
    assert [a["status"] for a in journey["attempt_history"]] == ["failed", "passed"]
    assert run.report["unit"] == []
    assert "note: journey flaky" in run.stdout
    strict = harness(project, "-k", "one", "--no-unit", "--fail-on-flaky", APP_DEFECT="flaky")
    assert strict.code == 1, strict.stdout + strict.stderr
    assert strict.report["gate"]["fail_on"] == ["failed", "green_but_broken", "flaky"]


def test_trace_on_first_retry_keeps_only_the_retrys_trace_and_attempts_are_timed(
    project: Path,
) -> None:
    run = harness(
        project, "-k", "one", "--no-unit", "--trace", "on-first-retry", APP_DEFECT="flaky"
    )
    assert run.code == 0, run.stdout + run.stderr
    first, second = run.journeys()["Visitor counts to one"]["attempt_history"]
    assert first["artifacts"]["trace"] is None
    assert first["artifacts"]["screenshot"] is not None  # the failure still has its evidence
    assert second["artifacts"]["trace"] is not None
    assert run.folder is not None
    assert (run.folder / second["artifacts"]["trace"]).is_file()
    assert "trace_start" not in first["timings_s"]
    assert second["timings_s"]["trace_start"] >= 0
    assert first["timings_s"]["steps"] > 0


def test_an_environment_that_does_not_start_exits_4_with_its_log_and_no_journey(
    project: Path,
) -> None:
    run = harness(project, "--env", "broken")
    assert run.code == 4, run.stdout + run.stderr
    report = run.report
    assert report["journeys"] == []
    assert report["features"] == []
    assert "process 'web' exited with code 3" in report["gate"]["reasons"][0]
    assert run.folder is not None
    assert "cannot start: APP_DEFECT=boot" in (run.folder / "services" / "web.log").read_text()
    assert "cannot start: APP_DEFECT=boot" in run.stderr


def test_bad_input_exits_2_with_every_error_and_boots_nothing(project: Path) -> None:
    (project / "journeys" / "typo.journey.yml").write_text(
        "name: Typo\nsteps:\n  - clik: {role: button, name: Go}\n"
    )
    (project / "journeys" / "empty.journey.yml").write_text("nam: Empty\nsteps: []\n")
    run = harness(project)
    assert run.code == 2, run.stdout + run.stderr
    assert "journeys/typo.journey.yml:3:5: step 1: unknown key 'clik'. Did you mean 'click'?" in (
        run.stderr
    )
    assert "journeys/empty.journey.yml:1:1: unknown key 'nam'. Did you mean 'name'?" in run.stderr
    assert "journeys/empty.journey.yml:2:8:" in run.stderr
    assert "Traceback" not in run.stderr
    assert run.report["gate"]["exit_code"] == 2
    assert run.report["gate"]["reasons"][0].startswith("bad input: 3 error(s) in 2 file(s)")
    assert run.folder is not None
    assert not (run.folder / "services").exists()
    assert not (run.folder / "unit").exists()


def test_no_browser_anywhere_exits_4_before_anything_starts(project: Path, tmp_path: Path) -> None:
    tools = tmp_path / "bin"  # a PATH with git but no Chromium, and no Playwright browsers
    tools.mkdir()
    (tools / "git").symlink_to(shutil.which("git") or "/usr/bin/git")
    run = harness(
        project,
        PATH=f"{Path(PY).parent}{os.pathsep}{tools}",
        HARNESS_BROWSER_PATH="",
        PLAYWRIGHT_BROWSERS_PATH=str(tmp_path / "none"),
    )
    assert run.code == 4, run.stdout + run.stderr
    assert "error: no Chromium or Chrome found." in run.stderr
    assert "booting" not in run.stderr
    assert run.folder is not None
    assert not (run.folder / "services").exists()
    assert not (run.folder / "unit").exists()


def test_no_journey_selected_exits_5_without_booting(project: Path) -> None:
    run = harness(project, "--tag", "nothing-has-this")
    assert run.code == 5, run.stdout + run.stderr
    assert run.report["gate"]["reasons"] == ["no journey was selected"]
    assert run.folder is not None
    assert not (run.folder / "services").exists()
    shard = harness(project, "--shard", "2/2", "-k", "greeted")  # one journey: shard 2 is empty
    assert shard.code == 5


def test_shards_split_the_journeys_between_runs(project: Path) -> None:
    first = harness(project, "--shard", "1/2", "--no-unit", "--report-dir", "one")
    second = harness(project, "--shard", "2/2", "--no-unit", "--report-dir", "two")
    assert (first.code, second.code) == (0, 0)
    names = [
        {j["id"] for j in json.loads((project / d / "report.json").read_text())["journeys"]}
        for d in ("one", "two")
    ]
    assert names[0].isdisjoint(names[1])
    assert names[0] | names[1] == {
        "journeys/counter.journey.yml",
        "journeys/counter-once.journey.yml",
        "journeys/greeting.journey.yml",
    }


def test_smoke_runs_the_journeys_tagged_smoke_without_unit_tests(project: Path) -> None:
    run = harness(project, command="smoke")
    assert run.code == 0, run.stdout + run.stderr
    assert list(run.journeys()) == ["Visitor is greeted"]
    assert run.report["unit"] == []
    assert run.report["run"]["environment"] == "local"


def test_sigterm_during_the_journeys_tears_everything_down(project: Path) -> None:
    (project / "journeys" / "slow.journey.yml").write_text(
        "name: Waits a long time\ntags: [slow]\nsteps:\n  - goto: /\n"
        "  - wait: {for: {testid: never-there}, state: visible}\n    timeout: 120s\n"
    )
    process = subprocess.Popen(
        [PY, "-m", "harness", "run", "--tag", "slow", "--no-unit"],
        cwd=project,
        env=env_for_run(),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert process.stderr is not None
    for line in process.stderr:
        if "is ready in" in line:
            break
    time.sleep(2)  # let the journey start in its browser
    assert any("app.server" in p for p in processes_in(project))
    process.send_signal(signal.SIGTERM)
    process.communicate(timeout=60)
    assert process.returncode == -signal.SIGTERM
    assert_nothing_left(project)


def test_a_unit_command_that_cannot_run_is_bad_input_and_starts_no_journey(
    project: Path,
) -> None:
    config = project / "harness.yml"
    config.write_text(
        config.read_text().replace(
            "command: [python, -m, pytest,", "command: [no-such-test-runner, -m, pytest,"
        )
    )
    run = harness(project)
    assert run.code == 2, run.stdout + run.stderr
    assert "no program 'no-such-test-runner' on PATH" in run.report["gate"]["reasons"][0]
    assert run.report["journeys"] == []
    assert "PASSED" not in run.stderr


def test_the_html_report_shows_hostile_page_text_as_text_with_the_screenshot_inline(
    project: Path,
) -> None:
    from playwright.sync_api import sync_playwright

    from harness.browser.discovery import find_browser

    (project / "journeys" / "hostile.journey.yml").write_text(
        "name: Hostile title\nstep_timeout: 2s\nsteps:\n  - goto: /hostile\n"
        "  - expect_title: Friendly\n"
    )
    run = harness(project, "-k", "hostile", "--no-unit")
    assert run.code == 1, run.stdout + run.stderr
    assert run.folder is not None
    options = find_browser().launch_options()
    with sync_playwright() as pw:
        browser = pw.chromium.launch(**options)  # type: ignore[arg-type]
        page = browser.new_page()
        page.goto((run.folder / "report.html").as_uri())
        assert page.evaluate("window.pwned") is None
        assert "<script>window.pwned = 1</script>" in page.inner_text("body")
        sources = page.eval_on_selector_all("img", "images => images.map(i => i.src)")
        assert any(src.startswith("data:image/png;base64,") for src in sources)
        browser.close()


def test_a_secret_is_never_printed_nor_written_by_a_run(project: Path) -> None:
    secret = "s3cret-Token-4711"
    (project / "journeys" / "secret.journey.yml").write_text(
        "name: Uses a secret\nstep_timeout: 2s\nsteps:\n"
        "  - goto: /?token=${secrets.APP_TOKEN}\n"
        "  - expect_title: 'Title ${secrets.APP_TOKEN}'\n"
    )
    run = harness(project, "-k", "secret", APP_TOKEN=secret)
    assert run.code == 1, run.stdout + run.stderr
    assert secret not in run.stdout + run.stderr
    assert "***" in run.journeys()["Uses a secret"]["failure"]["message"]
    assert run.folder is not None
    for file in run.folder.rglob("*"):
        if file.is_file() and file.suffix not in (".zip", ".png"):  # the runner scrubs traces
            assert secret.encode() not in file.read_bytes(), file
