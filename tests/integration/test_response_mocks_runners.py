"""Response mocks found statically belong to the test ids the real runners write: a pytest
suite (unittest.mock, pytest-mock, responses, respx, requests-mock, JSON fixtures), a Vitest
suite (vi.mock, msw 2 and msw 1, a fetch spy, a JSON import) and a Jest suite (jest.fn, nock,
a fetch stub) run green, write JUnit, and each mock's tests are found among its cases. The
JavaScript mocks then meet a real server's traffic, as Playwright's HAR of real Chromium:
`harness drift` names the ones the API drifted from at their file and line, and none of the
others."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
from pathlib import Path
from typing import TYPE_CHECKING

import pytest

from harness.core.features import UnitTest
from harness.core.junit import read_junit
from harness.core.response_mocks import ResponseMock, find_response_mocks, uses
from tests.conftest import unavailable
from tests.integration.drift_server import drifted_app

if TYPE_CHECKING:
    from playwright.sync_api import Browser

DATA = Path(__file__).resolve().parent.parent / "data" / "mocks"
PYTEST_PLUGINS = ["pytest_mock", "respx.plugin", "requests_mock.contrib._pytest_plugin"]


def sources(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*")
        if p.is_file() and "node_modules" not in p.parts and p.suffix in {".py", ".js", ".ts"}
    )  # fmt: skip


def unit_tests(junit: Path, root: Path) -> list[UnitTest]:
    cases = read_junit(junit).cases
    assert cases, "the runner wrote no test case"
    assert {case.outcome for case in cases} == {"passed"}, [c.message for c in cases]
    return [UnitTest.from_case("unit", case, root) for case in cases]


def cases_of(mock: ResponseMock, tests: list[UnitTest]) -> set[str]:
    return {test.case.name for test in tests if uses(mock, test)}


def one(mocks: tuple[ResponseMock, ...], where: str, library: str) -> ResponseMock:
    (mock,) = [m for m in mocks if m.where == where and m.library == library]
    return mock


def assert_every_test_id_is_a_junit_case(
    mocks: tuple[ResponseMock, ...], tests: list[UnitTest]
) -> None:
    for mock in mocks:
        for test_id in mock.tests:
            single = ResponseMock(mock.file, mock.line, (test_id,), mock.body)
            assert cases_of(single, tests), f"{mock.where}: no JUnit case is {test_id!r}"


@pytest.mark.parametrize("family", ["xunit2", "xunit1"])
def test_pytest(tmp_path: Path, family: str) -> None:
    root = tmp_path / "project"
    shutil.copytree(DATA / "pytest-project", root)
    junit = tmp_path / "junit.xml"
    command = [sys.executable, "-m", "pytest", "-q", "-p", "no:cacheprovider"]
    command += [arg for plugin in PYTEST_PLUGINS for arg in ("-p", plugin)]
    command += ["-o", f"junit_family={family}", f"--junitxml={junit}"]
    env = {**os.environ, "PYTEST_DISABLE_PLUGIN_AUTOLOAD": "1"}
    run = subprocess.run(command, cwd=root, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stdout[-3000:]
    tests = unit_tests(junit, root)
    mocks = find_response_mocks(root, sources(root))
    assert len(mocks) == 26
    assert_every_test_id_is_a_junit_case(mocks, tests)
    http = "tests/test_http_libraries.py"
    parametrized = one(mocks, f"{http}:73", "requests_mock")
    assert cases_of(parametrized, tests) == {"test_parametrized[6]", "test_parametrized[7]"}
    set_up = one(mocks, "tests/test_unittest_mock.py:70", "unittest.mock")
    assert cases_of(set_up, tests) == {"test_greets", "test_greets_again"}
    routed = one(mocks, "tests/conftest.py:26", "responses")
    assert cases_of(routed, tests) == {"test_responses_router_fixture"}
    cart = one(mocks, "tests/fixtures/cart.json:1", "fixture")
    assert cases_of(cart, tests) == {"test_reads_the_cart_fixture", "test_loads_through_a_helper"}
    quiet = {t.case.name for t in tests if "no_false_alarms" in t.label}
    assert len(quiet) == 5
    assert not {name for m in mocks for name in cases_of(m, tests)} & quiet


def node_modules() -> Path:
    """The JS project's dependencies, installed once per lockfile into the user's cache (a
    fresh checkout reuses them; `npm ci` only when package.json or the lockfile change)."""
    npm = shutil.which("npm")
    if npm is None:
        unavailable("npm is not installed (Node 20 and npm run Vitest and Jest)")
    project = DATA / "js-project"
    digest = hashlib.sha256()
    for name in ("package.json", "package-lock.json"):
        digest.update((project / name).read_bytes())
    cache = Path(os.environ.get("XDG_CACHE_HOME", Path.home() / ".cache")) / "harness-tests"
    target = cache / f"response-mocks-{digest.hexdigest()[:16]}"
    if (target / "node_modules" / ".bin" / "vitest").exists():
        return target / "node_modules"
    partial = cache / f"{target.name}.partial-{os.getpid()}"
    shutil.rmtree(partial, ignore_errors=True)
    partial.mkdir(parents=True)
    for name in ("package.json", "package-lock.json"):
        shutil.copy(project / name, partial / name)
    command = [str(npm), "ci", "--prefer-offline", "--no-audit", "--no-fund", "--loglevel=error"]
    run = subprocess.run(command, cwd=partial, capture_output=True, text=True, timeout=600)
    if run.returncode != 0:
        shutil.rmtree(partial, ignore_errors=True)
        unavailable(f"npm ci failed (is the npm registry reachable?):\n{run.stderr[-2000:]}")
    shutil.rmtree(target, ignore_errors=True)
    partial.rename(target)
    return target / "node_modules"


@pytest.fixture(scope="module")
def js_project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    modules = node_modules()
    root = tmp_path_factory.mktemp("mocks") / "project"
    shutil.copytree(DATA / "js-project", root, ignore=shutil.ignore_patterns("node_modules"))
    (root / "node_modules").symlink_to(modules, target_is_directory=True)
    return root


def run_js(root: Path, command: list[str], env: dict[str, str]) -> None:
    run = subprocess.run(
        command, cwd=root, env={**os.environ, **env}, capture_output=True, text=True,
        timeout=300,
    )  # fmt: skip
    assert run.returncode == 0, (run.stdout + run.stderr)[-3000:]


def test_vitest_with_vi_mock_and_msw(js_project: Path, tmp_path: Path) -> None:
    junit = tmp_path / "vitest.xml"
    vitest = str(js_project / "node_modules" / ".bin" / "vitest")
    run_js(js_project, [vitest, "run", "--reporter=junit", f"--outputFile={junit}"], {})
    tests = unit_tests(junit, js_project)
    mocks = find_response_mocks(js_project, sources(js_project / "tests"))
    vitest_mocks = tuple(m for m in mocks if any("/vitest/" in t for t in m.tests))
    assert_every_test_id_is_a_junit_case(vitest_mocks, tests)
    orders = one(mocks, "tests/vitest/users.test.ts:19", "vi.fn")
    assert cases_of(orders, tests) == {
        "users > orders > adds the totals",
        "users > orders > adds them once more",
    }
    shared = one(mocks, "tests/fixtures/cart.json:1", "msw")  # from the imported handlers
    assert (shared.method, shared.url) == ("GET", "http://api.test/api/cart")
    assert len(cases_of(shared, tests)) == 10
    spy = one(mocks, "tests/vitest/users.test.ts:72", "fetch")
    assert cases_of(spy, tests) == {"http > stubs fetch"}
    rest = one(mocks, "tests/vitest/msw-v1.test.ts:8", "msw")  # msw 1: rest.get, ctx.json
    assert (rest.method, rest.url) == ("GET", "http://api.test/api/users/:id")
    assert cases_of(rest, tests) == {"msw v1 > fetches a user through rest handlers"}
    quiet = {t.case.name for t in tests if t.case.classname.endswith("no-false-alarms.test.ts")}
    assert len(quiet) == 2
    assert not {name for m in mocks for name in cases_of(m, tests)} & quiet


def test_jest_with_nock_and_fetch(js_project: Path, tmp_path: Path) -> None:
    junit = tmp_path / "jest.xml"
    jest = str(js_project / "node_modules" / ".bin" / "jest")
    run_js(js_project, [jest, "--ci"], {"JEST_JUNIT_OUTPUT_FILE": str(junit)})
    tests = unit_tests(junit, js_project)
    mocks = find_response_mocks(js_project, sources(js_project / "tests" / "jest"))
    assert len(mocks) == 5
    assert_every_test_id_is_a_junit_case(mocks, tests)
    nock = one(mocks, "tests/jest/cart.test.js:14", "nock")
    assert (nock.method, nock.url, nock.status) == ("GET", "http://api.test/api/cart", 200)
    assert cases_of(nock, tests) == {"Cart reads the cart through nock"}
    stub = one(mocks, "tests/jest/cart.test.js:38", "fetch")
    assert cases_of(stub, tests) == {"Cart with fetch stubbed reads the stubbed response"}
    assert stub.body == {"lines": [], "count": 5}


def record_har(browser: Browser, har: Path) -> None:
    """What a user exports: Playwright's own HAR of the drifted app's home page, the bodies
    kept in files beside it (``content._file``)."""
    with drifted_app() as url:
        context = browser.new_context(record_har_path=har, record_har_content="attach")
        page = context.new_page()
        page.goto(url)
        page.locator("#status").filter(has_text="ready").wait_for()
        context.close()


@pytest.mark.browser
def test_the_js_mocks_drift_from_a_real_servers_traffic(
    js_project: Path, chromium: Browser, tmp_path: Path
) -> None:
    har = tmp_path / "har" / "app.har"
    record_har(chromium, har)
    env = {k: v for k, v in os.environ.items() if k != "GITHUB_ACTIONS"}
    command = [sys.executable, "-m", "harness", "drift", "--unchecked", str(har)]
    run = subprocess.run(
        command, cwd=js_project, env={**env, "NO_COLOR": "1"}, capture_output=True, text=True,
        timeout=120,
    )  # fmt: skip
    assert run.returncode == 1, run.stdout + run.stderr
    lines = run.stdout.splitlines()
    listed = [line.split()[:2] for line in lines if line.startswith("  ") and line[2] != " "]
    drifted = {(kind, where) for kind, where in listed}
    users = [f"tests/vitest/users.test.ts:{n}" for n in (10, 27, 46, 51, 60, 72)]
    assert drifted == {
        *(("envelope", where) for where in [*users, "tests/fixtures/user.json:1"]),
        ("envelope", "tests/vitest/msw-v1.test.ts:8"),
        ("status", "tests/jest/cart.test.js:38"),  # a fetch stub answering 201; GET said 200
        ("-", "tests/vitest/users.test.ts:19:"),  # a list of orders: the app called no such URL
    }
    assert (
        "  envelope tests/vitest/users.test.ts:27 mocks GET /api/users/{id} as {id, name}; "
        "the real response wraps it in data.user"
    ) in lines
    # nock, msw and jest.fn mocks of the cart (its fixture too) agree with the real cart, whose
    # list of lines was empty; the clock, random and logger mocks are no API
    assert "cart.json" not in run.stdout
    assert "no-false-alarms" not in run.stdout
