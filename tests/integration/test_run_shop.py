"""The showcase's main command on the example shop, as a real process: `harness run` boots the
staging stack (local stand-in images), runs the shop's unit tests meanwhile, runs the eleven
journeys and cross-checks them. The healthy shop passes the gate with every feature verified;
with its documented defect (SHOP_DEFECT=wrapped-api) the run exits 3, names the drifted
features first and, under each, the mock that lied: the cart fixture the frontend tests read,
which the real GET /api/cart now wraps in ``data``. The healthy run has no drift at all.
Nothing labelled with either run is left on the engine."""

from __future__ import annotations

import json
import os
import secrets
import subprocess
import sys
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from harness.report.json_report import report_schema
from harness.stack.labels import RUN

ROOT = Path(__file__).resolve().parent.parent.parent

pytestmark = [pytest.mark.docker, pytest.mark.browser]


@pytest.fixture(scope="module")
def stand_in_images(base_image: str) -> None:
    """Writes .env naming the local stand-ins for the public images, as ./run setup does."""
    result = subprocess.run(
        [sys.executable, "scripts/images.py", "env"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 0, result.stderr


def run_shop(tmp_path: Path, defect: str) -> tuple[subprocess.CompletedProcess[str], Any]:
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    env.update(
        PATH=f"{Path(sys.executable).parent}{os.pathsep}{env['PATH']}",
        SHOP_PASSWORD=secrets.token_urlsafe(12),
        SHOP_DEFECT=defect,
        NO_COLOR="1",
    )
    result = subprocess.run(
        [sys.executable, "-m", "harness", "run", "--env", "staging", "--report-dir", str(tmp_path)],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=900,
        check=False,
    )
    report = json.loads((tmp_path / "report.json").read_text())
    jsonschema.validate(report, report_schema())
    return result, report


def assert_nothing_left(docker_client: Any, run_id: str) -> None:
    label = {"label": f"{RUN}={run_id}"}
    assert docker_client.containers.list(all=True, filters=label) == []
    assert docker_client.networks.list(filters=label) == []
    assert docker_client.volumes.list(filters=label) == []


FIXTURE = "examples/shop/tests/fixtures/cart_response.json"
CONTRACT_TESTS = "examples/shop/tests/test_frontend_contract.py::"


def assert_the_cart_fixture_lied(report: Any, lines: list[str]) -> None:
    """cart and checkout name the fixture as an envelope under ``data`` of GET /api/cart, with
    the tests that read it; the console names it right under each feature."""
    drifted = {f["id"]: f["drift"] for f in report["features"] if f["drift"]}
    assert set(drifted) == {"cart", "checkout"}
    for feature, found in drifted.items():
        (drift,) = found
        assert (drift["mock"]["file"], drift["kind"], drift["path"], drift["endpoint"]) == (
            FIXTURE,
            "envelope",
            "data",
            "GET /api/cart",
        ), feature
        assert drift["mock"]["tests"]
        assert all(t.startswith(CONTRACT_TESTS) for t in drift["mock"]["tests"])
        under = lines[next(i for i, ln in enumerate(lines) if f" {feature}: journeys" in ln) + 1]
        assert under == f"      mock drift: {drift['message']}"
    assert drifted["cart"][0]["message"] == (
        f"{FIXTURE}:1 mocks GET /api/cart as {{lines, count, total, total_cents}}; "
        "the real response wraps it in data"
    )


def test_the_healthy_shop_passes_with_every_feature_verified(
    docker_client: Any, stand_in_images: None, browser_executable: object, tmp_path: Path
) -> None:
    result, report = run_shop(tmp_path, defect="")
    assert result.returncode == 0, result.stdout + result.stderr[-3000:]
    assert len(report["journeys"]) == 11
    assert {f["verdict"] for f in report["features"]} == {"verified"}
    assert report["unit"][0]["failed"] == 0
    services = {s["name"]: s for s in report["run"]["services"]}
    assert set(services) >= {"web", "postgres", "redis"}
    # From the container's start to its first passing health check, by Docker's clock: the
    # seconds initdb and the server's start take, not the moment Compose had already waited for.
    assert services["postgres"]["boot_s"] > 1.0, services
    assert services["web"]["held_boot"] is True  # web starts only once postgres is healthy
    assert "web " in result.stdout
    assert "held the boot up" in result.stdout
    assert [f["drift"] for f in report["features"]] == [[] for _ in report["features"]]
    assert "mock drift" not in result.stdout
    assert "GET /api/cart" in (tmp_path / "traffic.json").read_text()
    assert_nothing_left(docker_client, report["run"]["id"])


def test_the_documented_defect_is_green_but_broken_and_named_first(
    docker_client: Any, stand_in_images: None, browser_executable: object, tmp_path: Path
) -> None:
    result, report = run_shop(tmp_path, defect="wrapped-api")
    assert result.returncode == 3, result.stdout + result.stderr[-3000:]
    first = report["features"][0]
    assert first["verdict"] == "green-but-broken"
    assert first["unit_tests"]["passed"] == first["unit_tests"]["linked"] > 0
    lines = result.stdout.strip().splitlines()
    assert lines[0] == "Gate FAILED: exit 3 (tests green, app broken)"
    assert lines[1].startswith(f"  - feature {first['id']} is green-but-broken")
    assert_the_cart_fixture_lied(report, lines)
    assert_nothing_left(docker_client, report["run"]["id"])
