"""Mock drift end to end, as a user meets it: `harness run` on a small project whose API
drifted from its unit tests' mocks (a real pytest writes the JUnit, Vitest's JUnit of the web
client's test is read as CI would have it, a real server answers real Chromium), then
`harness drift` on the finished run and on a HAR file. Every drift kind is named at the mock's
file:line; the mocks that agree, are partial, or stand for an endpoint no journey called raise
no alarm, and neither does a journey that fails for a reason of its own."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.report.json_report import report_schema

pytestmark = pytest.mark.browser

HERE = Path(__file__).resolve().parent
PROJECT = HERE.parent / "data" / "drift" / "project"


def harness(project: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("GITHUB_ACTIONS", "CI")}
    env.update(PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}", NO_COLOR="1")
    return subprocess.run(
        [sys.executable, "-m", "harness", *args],
        cwd=project,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("drift") / "project"
    shutil.copytree(PROJECT, root)
    shutil.copy(HERE / "drift_server.py", root / "app.py")
    return root


@pytest.fixture(scope="module")
def run(project: Path, browser_executable: object) -> tuple[subprocess.CompletedProcess[str], Any]:
    result = harness(project, "run", "--report-dir", "out")
    report = json.loads((project / "out" / "report.json").read_text())
    jsonschema.validate(report, report_schema())
    return result, report


def drift_of(report: Any, feature: str) -> list[tuple[str, str, str, int, str]]:
    found = next(f for f in report["features"] if f["id"] == feature)
    return [
        (d["kind"], d["path"], d["mock"]["file"], d["mock"]["line"], d["endpoint"])
        for d in found["drift"]
    ]


def test_every_drift_kind_is_named_at_the_mocks_file_and_line(run: Any) -> None:
    result, report = run
    assert result.returncode == 3, result.stdout + result.stderr[-3000:]
    assert drift_of(report, "account") == [
        ("envelope", "data.user", "tests/test_account.py", 11, "GET /api/users/{id}"),
        ("missing", "avatar_url", "tests/test_account.py", 16, "GET /api/profile"),
        ("type", "id", "tests/test_account.py", 21, "GET /api/orders/{id}"),
        ("status", "", "tests/test_account.py", 35, "POST /api/cart"),
    ]
    assert drift_of(report, "profile") == [
        ("envelope", "data.user", "tests/user.test.js", 10, "GET /api/users/{id}"),
    ]
    (classic,) = next(f for f in report["features"] if f["id"] == "profile")["drift"]
    assert classic["message"] == (
        "tests/user.test.js:10 mocks GET /api/users/{id} as {id, name}; "
        "the real response wraps it in data.user"
    )
    assert classic["mock"]["test"] == "tests/user.test.js > user > shows the name"
    assert drift_of(report, "cart") == [
        ("renamed", "total", "tests/test_cart.py", 9, "GET /api/cart"),
    ]


def test_no_false_alarm(run: Any) -> None:
    _, report = run
    features = {f["id"]: f for f in report["features"]}
    # the settings journey fails for a reason no mock is part of; its mock agrees
    assert features["settings"]["verdict"] == "green-but-broken"
    assert features["settings"]["drift"] == []
    assert features["settings"]["unchecked_mocks"] == []
    # a partial mock of the cart is fine; a mock of an endpoint no journey called is unchecked
    cart_lines = {d["mock"]["line"] for d in features["cart"]["drift"]}
    assert 14 not in cart_lines
    (unchecked,) = features["cart"]["unchecked_mocks"]
    assert unchecked["mock"] == {
        "file": "tests/test_cart.py",
        "line": 19,
        "test": "tests/test_cart.py::test_a_mock_of_an_endpoint_no_journey_called",
        "tests": ["tests/test_cart.py::test_a_mock_of_an_endpoint_no_journey_called"],
    }
    assert "no real response to compare with" in unchecked["message"]
    # the mocked clock is not an API response: never reported, not even as unchecked
    everything = json.dumps([(f["drift"], f["unchecked_mocks"]) for f in report["features"]])
    assert "2026-01-01" not in everything
    assert "test_the_clock_is_not_an_api" not in everything


def test_the_run_keeps_its_traffic_and_the_summary_names_the_mocks(run: Any, project: Path) -> None:
    result, _ = run
    traffic = json.loads((project / "out" / "traffic.json").read_text())
    assert traffic["schema"] == "harness-traffic/1"
    names = {e["endpoint"] for e in traffic["endpoints"]}
    assert {"GET /api/users/{id}", "POST /api/cart", "GET /api/settings"} <= names
    lines = result.stdout.splitlines()
    assert lines[
        lines.index(
            "Stale mocks (the journeys pass; the mocks no longer match the real responses):"
        )
        + 1
    ] == (
        "  account: tests/test_account.py:11 mocks GET /api/users/{id} as {id, name}; "
        "the real response wraps it in data.user"
    )


def test_harness_drift_recomputes_from_the_finished_run(run: Any, project: Path) -> None:
    result = harness(project, "drift", "out")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "  envelope tests/test_account.py:11 mocks GET /api/users/{id}" in result.stdout
    assert "  renamed  tests/test_cart.py:9 mocks GET /api/cart with total;" in result.stdout
    default = harness(project, "drift")  # the latest run: none under the artifacts folder
    assert default.returncode == 2
    assert "no run with traffic.json" in default.stderr


def test_harness_drift_reads_a_har_file(project: Path, tmp_path: Path) -> None:
    def entry(method: str, url: str, status: int, body: object) -> dict[str, Any]:
        text = json.dumps(body)
        return {
            "request": {"method": method, "url": f"http://app.test{url}", "headers": []},
            "response": {
                "status": status,
                "headers": [],
                "content": {"mimeType": "application/json", "text": text, "size": len(text)},
            },
        }

    har = tmp_path / "app.har"
    entries = [
        entry("GET", "/api/settings", 200, {"theme": "dark", "language": "en"}),
        entry("GET", "/api/users/4", 200, {"data": {"user": {"id": 4, "name": "x"}}}),
    ]
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    result = harness(project, "drift", str(har))
    assert result.returncode == 1, result.stdout + result.stderr
    assert (
        "  envelope tests/test_account.py:11 mocks GET /api/users/{id} as {id, name}; "
        "the real response wraps it in data.user"
    ) in result.stdout.splitlines()
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries[:1]}}))
    clean = harness(project, "drift", str(har))
    assert clean.returncode == 0, clean.stdout + clean.stderr
    assert "No mock drifted." in clean.stdout
    for kept in entries:  # exported without content: nothing to compare, said so
        kept["response"]["content"] = {"mimeType": "application/json", "size": 0}
    har.write_text(json.dumps({"log": {"version": "1.2", "entries": entries}}))
    bodiless = harness(project, "drift", str(har))
    assert bodiless.returncode == 2, bodiless.stdout + bodiless.stderr
    assert "no JSON response body to compare the mocks with (of 2 responses)" in bodiless.stderr
