"""JUnit written by the real tools, read by the harness: pytest (both JUnit families), Vitest
(its annotations become properties) and Jest through jest-junit."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from harness.core.features import UnitTest, link_features
from harness.core.junit import JUnitCase, read_junit
from harness.core.mocks import MockCounter
from tests.conftest import unavailable

DATA = Path(__file__).resolve().parent.parent / "data" / "junit"


def by_name(path: Path) -> dict[str, JUnitCase]:
    return {case.name: case for case in read_junit(path).cases}


@pytest.mark.parametrize("family", ["xunit2", "xunit1"])
def test_pytest(tmp_path: Path, family: str) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "pytest-project", root)
    junit = tmp_path / "pytest.xml"
    env = {**os.environ, "DIALECT_FAIL": "1", "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    command = [sys.executable, "-m", "pytest", "-p", "harness.pytest_plugin", "-q"]
    command += ["-o", f"junit_family={family}", f"--junitxml={junit}"]
    subprocess.run(command, cwd=root, env=env, check=False, capture_output=True)
    cases = by_name(junit)
    outcomes = {name: case.outcome for name, case in cases.items()}
    assert outcomes == {
        "test_add": "passed",
        "test_total": "failed",
        "test_uses_database": "error",
        "test_remove": "skipped",
        "test_discount": "skipped",
        "test_pay[visa]": "passed",
        "test_pay[a::b/c.d]": "passed",
    }
    assert cases["test_total"].property_values("feature") == ("cart", "checkout")
    assert (cases["test_add"].file is not None) == (family == "xunit1")


@pytest.fixture(scope="module")
def js_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The JS sample project with its pinned dependencies installed from the npm registry."""
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed (Node 20 and npm run Vitest and Jest)")
    root = tmp_path_factory.mktemp("js") / "project"
    shutil.copytree(DATA / "js-project", root, ignore=shutil.ignore_patterns("node_modules"))
    result = subprocess.run(
        [str(npm), "install", "--no-audit", "--no-fund", "--loglevel=error"],
        cwd=root,
        capture_output=True,
        text=True,
        check=False,
        timeout=600,
    )
    if result.returncode != 0:
        unavailable(
            f"npm install failed (is the npm registry reachable?):\n{result.stderr[-2000:]}"
        )
    return root


def run_js(root: Path, command: list[str], env: dict[str, str]) -> None:
    subprocess.run(
        command, cwd=root, env={**os.environ, "DIALECT_FAIL": "1", **env}, check=False,
        capture_output=True, timeout=300,
    )  # fmt: skip


def test_vitest(js_project: Path, tmp_path: Path) -> None:
    junit = tmp_path / "vitest.xml"
    vitest = str(js_project / "node_modules" / ".bin" / "vitest")
    run_js(js_project, [vitest, "run", "--reporter=junit", f"--outputFile={junit}"], {})
    cases = by_name(junit)
    adds = cases["cart > adds an item"]
    assert (adds.outcome, adds.classname) == ("failed", "vitest/cart.test.js")
    assert adds.property_values("feature") == ("cart",)  # from the test's annotate()
    assert cases["cart > prices come from the API"].outcome == "passed"
    assert cases["cart > removes an item"].outcome == "skipped"
    tests = [UnitTest.from_case("web", case, js_project) for case in cases.values()]
    counter = MockCounter(js_project)
    prices = next(t for t in tests if t.case.name.endswith("from the API"))
    assert str(counter.count(prices)) == "1 mocks (1 mock function)"
    (cart,) = link_features(tests)
    assert [t.test.case.name for t in cart.unit_tests] == ["cart > adds an item"]


def test_jest_with_jest_junit(js_project: Path, tmp_path: Path) -> None:
    junit = tmp_path / "jest.xml"
    jest = str(js_project / "node_modules" / ".bin" / "jest")
    run_js(js_project, [jest, "--ci"], {"JEST_JUNIT_OUTPUT_FILE": str(junit)})
    cases = by_name(junit)
    adds = cases["Cart adds an item"]
    assert (adds.outcome, adds.file) == ("failed", "jest/cart.test.js")
    assert "Expected: 3" in adds.details
    assert cases["Cart removes an item"].outcome == "skipped"
    counts = cases["Cart counts every sku"]
    assert counts.property_values("feature") == ("cart",)  # from testCasePropertiesFile
    test = UnitTest.from_case("web", counts, js_project)
    count = MockCounter(js_project).count(test)  # jest.mock and its jest.fn are file-wide
    assert str(count) == "3 mocks (1 mock function, 1 module mock, 1 spy)"
