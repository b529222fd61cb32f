"""Every cell of the verdict matrix from real runs of a tiny shop: its own pytest unit tests run
by the harness (from harness.yml), its YAML journeys run in real Chromium by the harness's
pytest plugin, and `harness crosscheck` on the two JUnit reports. Each cell comes from a real
defect switched on by an environment variable (see the shop's tinyshop/defects.py)."""

from __future__ import annotations

import json
import os
import re
import shutil
import socket
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from harness.core.project import load_project_file
from harness.unit.runner import collect_unit_results

SHOP = Path(__file__).resolve().parent.parent / "data" / "crosscheck" / "shop"
PY = sys.executable

pytestmark = pytest.mark.browser


@dataclass(frozen=True)
class Outcome:
    verdicts: dict[str, str]
    features: dict[str, dict[str, Any]]
    exit_code: int
    stdout: str


@pytest.fixture
def shop(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path / "shop"
    shutil.copytree(SHOP, root, ignore=shutil.ignore_patterns("__pycache__", "test-results"))
    # harness.yml runs `python -m pytest ...`: the python of this virtual environment
    monkeypatch.setenv("PATH", f"{Path(PY).parent}{os.pathsep}{os.environ['PATH']}")
    return root


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def serve(shop: Path) -> Iterator[Any]:
    """Starts the shop with the given environment; a shop that dies yields a dead URL."""
    started: list[subprocess.Popen[str]] = []

    def start(env: dict[str, str]) -> str:
        process = subprocess.Popen(
            [PY, "-m", "tinyshop.server"],
            cwd=shop,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
            text=True,
        )
        started.append(process)
        assert process.stdout is not None
        found = re.search(r"http://127\.0\.0\.1:\d+", process.stdout.readline())
        return found.group(0) if found else f"http://127.0.0.1:{free_port()}"

    yield start
    for process in started:
        process.terminate()
        process.wait(timeout=10)


def cross_check(shop: Path, tmp_path: Path, serve: Any, **variables: str) -> Outcome:
    env = {**os.environ, **variables}
    for name, value in variables.items():
        os.environ[name] = value  # the unit-test command inherits the harness's environment
    try:
        runs = collect_unit_results(load_project_file(shop / "harness.yml"), tmp_path / "unit")
    finally:
        for name in variables:
            del os.environ[name]
    journeys = tmp_path / "journeys.xml"
    subprocess.run(
        [PY, "-m", "pytest", "journeys", "--base-url", serve(env), "-q", "-p", "no:cacheprovider",
         f"--junitxml={journeys}", f"--output={tmp_path / 'results'}"],
        cwd=shop, env=env, capture_output=True, check=False, timeout=600,
    )  # fmt: skip
    report = tmp_path / "crosscheck.json"
    result = subprocess.run(
        [PY, "-m", "harness", "crosscheck", "--journeys", str(journeys),
         "--unit", str(tmp_path / "unit" / f"{runs[0].name}.xml"), "--json", str(report)],
        cwd=shop, capture_output=True, text=True, check=False, timeout=120,
    )  # fmt: skip
    assert result.stderr == ""
    features = {f["id"]: f for f in json.loads(report.read_text())["features"]}
    verdicts = {feature: f["verdict"] for feature, f in features.items()}
    return Outcome(verdicts, features, result.returncode, result.stdout)


def test_without_defects_every_linked_feature_is_verified(
    shop: Path, tmp_path: Path, serve: Any, browser_executable: object
) -> None:
    outcome = cross_check(shop, tmp_path, serve)
    assert outcome.verdicts == {
        "catalog": "verified",
        "cart": "verified",
        "checkout": "verified",
        "search": "verified",
        "orders": "journey-only",
        "reviews": "journey-only",
        "wishlist": "no-journey",
    }
    assert outcome.exit_code == 0
    assert outcome.stdout.endswith("exit 0: the gate passed\n")
    assert "with a journey 6/7 (86%), with unit tests 5/7 (71%), with both 4/7 (57%)" in (
        outcome.stdout
    )


def test_each_defect_gives_its_verdict(
    shop: Path, tmp_path: Path, serve: Any, browser_executable: object
) -> None:
    outcome = cross_check(
        shop,
        tmp_path,
        serve,
        SHOP_DEFECTS="cart-api-drift,checkout-total,orders-500,reviews-cold-start",
        SHOP_STALE_TESTS="search",
    )
    assert outcome.verdicts == {
        "cart": "green-but-broken",  # the unit tests mock the payload that drifted
        "checkout": "broken",  # the control: a real unit test catches the defect too
        "orders": "broken",  # no unit test, and the journey fails
        "reviews": "flaky",  # passes on the journey's retry
        "search": "red-but-working",  # a stale unit test, the app is fine
        "catalog": "verified",
        "wishlist": "no-journey",
    }
    assert outcome.exit_code == 3
    cart = outcome.features["cart"]
    assert cart["unit_tests"] == {"linked": 5, "passed": 5, "failed": 0}
    assert cart["mocks"] == {"mocked": 4, "real": 1, "unknown": 0, "flagged": True}
    evidence = cart["evidence"]
    assert evidence[0].startswith(
        "journey 'Add a mug to the cart' failed at step 3 (expect), line 8: "
    )
    assert "actual: undefined" in evidence[0]
    screenshots = [e.removeprefix("artifact: ") for e in evidence if e.endswith(".png")]
    assert screenshots
    assert all((shop / path).is_file() or Path(path).is_file() for path in screenshots)
    assert (
        "unit test claimed it works: tests/test_cart.py::test_badge_shows_the_count [tinyshop] "
        "passed, 1 mocks (1 mock object)"
    ) in evidence
    assert "cart      GREEN-BUT-BROKEN" in outcome.stdout
    checkout = outcome.features["checkout"]["evidence"]
    assert checkout[-1] == (
        "unit test failed: tests/test_checkout.py::TestTotal::test_total_counts_quantities "
        "[tinyshop] failed, no mocks"
    )


def test_a_shop_that_does_not_start_is_inconclusive(
    shop: Path, tmp_path: Path, serve: Any, browser_executable: object
) -> None:
    outcome = cross_check(shop, tmp_path, serve, SHOP_DEFECTS="crash-on-start")
    journeys = {"catalog", "cart", "checkout", "search", "orders", "reviews"}
    assert {f for f, v in outcome.verdicts.items() if v == "inconclusive"} == journeys
    assert outcome.verdicts["wishlist"] == "no-journey"
    assert outcome.exit_code == 4


def test_features_shows_the_three_ways_of_linking(shop: Path, tmp_path: Path) -> None:
    runs = collect_unit_results(load_project_file(shop / "harness.yml"), tmp_path)
    result = subprocess.run(
        [PY, "-m", "harness", "features", "--unit", str(tmp_path / f"{runs[0].name}.xml")],
        cwd=shop, capture_output=True, text=True, check=False,
    )  # fmt: skip
    lines = result.stdout.splitlines()
    assert result.returncode == 0
    assert (
        "    unit test  tests/test_catalog.py::test_find_by_sku [tinyshop] "
        "(features.catalog.unit pattern 'tests/test_catalog.py::*')"
    ) in lines
    assert (
        "    unit test  tests/test_checkout.py::TestTotal::test_price_format [tinyshop] "
        "(features.checkout.unit pattern '*test_checkout.TestTotal.*')"
    ) in lines
    assert (
        "    unit test  tests/test_cart.py::test_add_item_counts_quantities [tinyshop] "
        "(JUnit property feature=cart)"
    ) in lines
    assert (
        "    unit test  tests/test_search.py::test_nothing_found [tinyshop] "
        "(JUnit property covers=search)"
    ) in lines
    assert "    journey    journeys/cart.journey.yml" in lines
    assert "unit tests but no journey: wishlist" in lines
    assert "journeys but no unit tests: orders, reviews" in lines


def test_list_features_is_the_same_view(shop: Path) -> None:
    result = subprocess.run(
        [PY, "-m", "harness", "list", "--features"],
        cwd=shop, capture_output=True, text=True, check=False,
    )  # fmt: skip
    assert result.returncode == 0
    lines = result.stdout.splitlines()
    assert "    journey    journeys/reviews.journey.yml" in lines
    # the unit-test source is a command, which listing does not run
    assert "journeys but no unit tests: cart, catalog, checkout, orders, reviews, search" in lines
