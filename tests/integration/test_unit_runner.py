"""Unit-test commands run for real: results read back, and every way a command can fail to
produce results is an error of its own, never "all tests failed"."""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

import pytest

from harness.core.project import UnitTestSource, load_project_file
from harness.errors import JUnitError, UnitTestError
from harness.unit.runner import (
    UnitCounts,
    collect_unit_results,
    read_globs,
    run_unit_command,
    unit_tests_of,
)

DATA = Path(__file__).resolve().parent.parent / "data" / "junit"
PY = sys.executable


@pytest.fixture
def pytest_project(tmp_path: Path) -> Path:
    root = tmp_path / "project"
    shutil.copytree(DATA / "pytest-project", root)
    return root


def pytest_source(*extra: str, **fields: object) -> UnitTestSource:
    command = (PY, "-m", "pytest", "-p", "harness.pytest_plugin", "-q", "--junitxml={junit}")
    return UnitTestSource("shop", command=command + extra, **fields)  # type: ignore[arg-type]


def no_autoload(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PYTEST_DISABLE_PLUGIN_AUTOLOAD", "1")


def test_a_real_pytest_run_is_read_back(
    pytest_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_autoload(monkeypatch)
    source = pytest_source(env={"DIALECT_FAIL": "1"})
    run = run_unit_command(source, pytest_project, tmp_path / "unit")
    assert run.exit_code == 1  # tests failed, and that is a result, not an error
    assert run.counts == UnitCounts(tests=7, passed=3, failed=2, skipped=2)
    assert (tmp_path / "unit" / "shop.xml").is_file()
    tests = {t.case.name: t for t in run.unit_tests(pytest_project)}
    assert tests["test_pay[visa]"].label == "tests/test_cart.py::TestCheckout::test_pay[visa]"


def test_xunit1_reports_carry_the_file(
    pytest_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_autoload(monkeypatch)
    run = run_unit_command(pytest_source("-o", "junit_family=xunit1"), pytest_project, tmp_path)
    cases = {t.case.name: t.case for t in run.unit_tests()}
    assert cases["test_add"].file == "tests/test_cart.py"
    assert cases["test_add"].property_values("feature") == ("cart",)


def test_a_command_that_cannot_start(tmp_path: Path) -> None:
    source = UnitTestSource("shop", command=("no-such-test-runner", "--junitxml={junit}"))
    with pytest.raises(UnitTestError) as caught:
        run_unit_command(source, tmp_path, tmp_path / "unit")
    assert str(caught.value) == (
        "unit tests 'shop': cannot start the command: no program 'no-such-test-runner' on PATH"
    )
    assert not isinstance(caught.value, JUnitError)


def test_a_missing_working_folder(tmp_path: Path) -> None:
    source = UnitTestSource("shop", command=(PY, "{junit}"), cwd="nowhere")
    with pytest.raises(UnitTestError, match=r"cannot start the command: no folder .*nowhere"):
        run_unit_command(source, tmp_path, tmp_path / "unit")


def test_non_zero_exit_without_junit_is_not_all_tests_failed(tmp_path: Path) -> None:
    script = "import sys; print('ImportError: no module named shop'); sys.exit(4)"
    source = UnitTestSource("shop", command=(PY, "-c", script, "{junit}"))
    with pytest.raises(UnitTestError) as caught:
        run_unit_command(source, tmp_path, tmp_path / "unit")
    message = str(caught.value)
    assert "exited with 4 and wrote no JUnit file, so no test ran" in message
    assert "    | ImportError: no module named shop" in message


def test_zero_exit_without_junit_points_at_the_placeholder(tmp_path: Path) -> None:
    source = UnitTestSource("shop", command=(PY, "-c", "pass", "--out={junit}"))
    with pytest.raises(UnitTestError, match=r"exited with 0 but wrote no JUnit file at \{junit\}"):
        run_unit_command(source, tmp_path, tmp_path / "unit")


@pytest.mark.timeout(60)
def test_a_command_that_hangs_is_stopped(tmp_path: Path) -> None:
    script = (
        "import subprocess, sys, time; "
        "subprocess.Popen([sys.executable, '-c', 'import time; time.sleep(60)']); time.sleep(60)"
    )
    source = UnitTestSource("slow", command=(PY, "-c", script, "{junit}"), timeout=1.0)
    with pytest.raises(UnitTestError, match=r"did not finish within 1s and was stopped"):
        run_unit_command(source, tmp_path, tmp_path / "unit")


def test_a_malformed_junit_names_the_file(tmp_path: Path) -> None:
    script = "import sys; open(sys.argv[1], 'w').write('<testsuites><oops')"
    source = UnitTestSource("shop", command=(PY, "-c", script, "{junit}"))
    with pytest.raises(JUnitError, match=r"shop\.xml:1:\d+: malformed XML"):
        run_unit_command(source, tmp_path, tmp_path / "unit")


def test_the_environment_and_working_folder_reach_the_command(tmp_path: Path) -> None:
    (tmp_path / "sub").mkdir()
    script = (
        "import os, sys; open(sys.argv[1], 'w').write("
        'f\'<testsuite><testcase classname="{os.path.basename(os.getcwd())}" '
        'name="{os.environ["SHOP_FLAG"]}"/></testsuite>\')'
    )
    source = UnitTestSource(
        "shop", command=(PY, "-c", script, "{junit}"), cwd="sub", env={"SHOP_FLAG": "on"}
    )
    (test,) = run_unit_command(source, tmp_path, tmp_path / "unit").unit_tests()
    assert test.case.dotted_name == "sub.on"


def test_globs_read_existing_reports(tmp_path: Path) -> None:
    (tmp_path / "reports").mkdir()
    for name in ("vitest.xml", "jest.xml"):
        shutil.copy(DATA / name, tmp_path / "reports" / f"ui-{name}")
    reports = read_globs(["reports/ui-*.xml", "reports/ui-jest.xml"], tmp_path, "unit tests 'web'")
    assert [r.source for r in reports] == ["reports/ui-jest.xml", "reports/ui-vitest.xml"]


def test_a_glob_that_matches_nothing(tmp_path: Path) -> None:
    with pytest.raises(
        JUnitError, match=r"unit tests 'web': no JUnit file matches reports/\*\.xml"
    ):
        read_globs(["reports/*.xml"], tmp_path, "unit tests 'web'")


def test_a_project_runs_and_reads_every_source(
    pytest_project: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    no_autoload(monkeypatch)
    shutil.copy(DATA / "surefire.xml", pytest_project / "TEST-cart.xml")
    (pytest_project / "harness.yml").write_text(
        "unit_tests:\n"
        f"  - name: shop\n    command: [{PY}, -m, pytest, -p, harness.pytest_plugin, "
        "'--junitxml={junit}']\n"
        "  - name: java\n    junit: 'TEST-*.xml'\n"
    )
    project = load_project_file(pytest_project / "harness.yml")
    runs = collect_unit_results(project, tmp_path / "unit")
    assert [(r.name, r.exit_code) for r in runs] == [("shop", 0), ("java", None)]
    assert len(unit_tests_of(runs)) == 7 + 5
    assert os.environ.get("DIALECT_FAIL") is None


def test_the_placeholder_also_works_in_env(tmp_path: Path) -> None:
    # jest-junit takes its output file from JEST_JUNIT_OUTPUT_FILE, not from an argument
    script = (
        "import os; open(os.environ['JEST_JUNIT_OUTPUT_FILE'], 'w')"
        '.write(\'<testsuites><testsuite name="Cart"><testcase name="adds"/></testsuite>'
        "</testsuites>')"
    )
    source = UnitTestSource(
        "web", command=(PY, "-c", script), env={"JEST_JUNIT_OUTPUT_FILE": "{junit}"}
    )
    run = run_unit_command(source, tmp_path, tmp_path / "unit")
    assert [t.case.name for t in run.unit_tests()] == ["adds"]
