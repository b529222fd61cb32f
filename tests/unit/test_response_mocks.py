"""API response mocks found statically in test sources: every kind, at the file and line that
a ``mock:`` comment in tests/data/mocks marks, with the tests that use each, and no mock that
stands for no API (clocks, loggers, random, scalars)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

from harness.core.features import UnitTest
from harness.core.junit import JUnitCase
from harness.core.response_mocks import ResponseMock, find_response_mocks, matches_test_id

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data" / "mocks"
SHOP_TESTS = ROOT / "examples" / "shop" / "tests"
# `# mock: LIBRARY [METHOD] [URL] [STATUS] [@FILE:LINE]` on the line where the mocked value starts
# (or naming the JSON fixture that holds it).
_EXPECTATION = re.compile(r"(?:#|//) mock: (\S+)((?: (?!@)\S+)*)(?: @(\S+))?\s*$")

Expected = tuple[str, str, str | None, str | None, int | None]


def expectations(root: Path) -> set[Expected]:
    """Every ``mock:`` comment under root: (where, library, method, url, status)."""
    found: set[Expected] = set()
    for path in source_files(root):
        for number, line in enumerate(path.read_text().splitlines(), 1):
            match = _EXPECTATION.search(line)
            if match:
                library, rest, where = match.groups()
                where = where or f"{path.relative_to(root).as_posix()}:{number}"
                found.add((where, library, *_route(rest.split())))
    return found


def _route(words: list[str]) -> tuple[str | None, str | None, int | None]:
    method = next((w for w in words if w.isupper() and w.isalpha()), None)
    status = next((int(w) for w in words if w.isdigit()), None)
    url = next((w for w in words if "/" in w), None)
    return method, url, status


def source_files(root: Path) -> list[Path]:
    return sorted(
        p for p in root.rglob("*") if p.is_file() and "node_modules" not in p.parts
        and p.suffix in {".py", ".js", ".ts", ".tsx", ".json"}
    )  # fmt: skip


def found_as_expected(mocks: tuple[ResponseMock, ...]) -> set[Expected]:
    return {(m.where, m.library, m.method, m.url, m.status) for m in mocks}


def users_of(mocks: tuple[ResponseMock, ...], where: str, library: str) -> set[str]:
    (mock,) = [m for m in mocks if m.where == where and m.library == library]
    return set(mock.tests)


@pytest.mark.parametrize("project", ["pytest-project", "js-project", "static"])
def test_every_mock_kind_at_its_file_and_line(project: str) -> None:
    root = DATA / project
    mocks = find_response_mocks(root, source_files(root))
    assert found_as_expected(mocks) == expectations(root)
    assert all(mock.tests for mock in mocks)


def test_python_mocks_belong_to_the_tests_that_use_them() -> None:
    root = DATA / "pytest-project"
    mocks = find_response_mocks(root, source_files(root))
    unit = "tests/test_unittest_mock.py::"
    assert users_of(mocks, "tests/test_unittest_mock.py:8", "unittest.mock") == {
        unit + "test_module_constant"
    }
    assert users_of(mocks, "tests/test_unittest_mock.py:13", "unittest.mock") == {
        unit + "test_helper"
    }
    assert users_of(mocks, "tests/test_unittest_mock.py:70", "unittest.mock") == {
        unit + "TestWithSetUp::test_greets",
        unit + "TestWithSetUp::test_greets_again",
    }
    assert users_of(mocks, "tests/conftest.py:16", "unittest.mock") == {
        unit + "test_conftest_fixture"
    }
    files = "tests/test_fixture_files.py::"
    assert users_of(mocks, "tests/fixtures/cart.json:1", "fixture") == {
        files + "test_reads_the_cart_fixture",
        files + "test_loads_through_a_helper",  # load("cart.json") through the module's helper
    }
    assert users_of(mocks, "tests/fixtures/cart.json:1", "pytest-mock") == {
        files + "test_mocker_patch_with_fixture"
    }


def test_js_mocks_belong_to_the_tests_that_use_them() -> None:
    root = DATA / "js-project"
    mocks = find_response_mocks(root, source_files(root))
    users = "tests/vitest/users.test.ts > "
    assert users_of(mocks, "tests/vitest/users.test.ts:19", "vi.fn") == {
        users + "users > orders > adds the totals",
        users + "users > orders > adds them once more",
    }
    module_mock = users_of(mocks, "tests/vitest/users.test.ts:10", "vi.fn")
    assert len(module_mock) == 10  # vi.mock at the top applies to every test of the file
    assert users_of(mocks, "tests/fixtures/cart.json:1", "msw") == module_mock
    assert users_of(mocks, "tests/fixtures/user.json:1", "fixture") == {
        users + "http > reads a fixture"
    }
    assert users_of(mocks, "tests/jest/cart.test.js:38", "fetch") == {
        "tests/jest/cart.test.js > Cart > with fetch stubbed > reads the stubbed response"
    }


def test_the_shop_cart_fixture_is_a_mock_of_the_tests_that_read_it() -> None:
    found = find_response_mocks(ROOT, sorted(SHOP_TESTS.glob("*.py")))
    (cart,) = [m for m in found if m.file.endswith("cart_response.json")]
    assert (cart.file, cart.line, cart.library) == (
        "examples/shop/tests/fixtures/cart_response.json",
        1,
        "fixture",
    )
    contract = "examples/shop/tests/test_frontend_contract.py::"
    assert set(cart.tests) == {
        contract + "test_cart_page_reads_keys_the_cart_api_sends",
        contract + "test_cart_lines_read_keys_the_cart_api_sends",
        contract + "test_checkout_summary_reads_keys_the_cart_api_sends",
        contract + "test_product_page_reads_the_count_the_cart_api_sends",
    }
    assert isinstance(cart.body, dict)
    assert set(cart.body) == {"lines", "count", "total", "total_cents"}


def junit_test(name: str, classname: str = "", file: str | None = None) -> UnitTest:
    case = JUnitCase("s", classname, name, file, None, 0.0, "passed", "", "", ())
    return UnitTest.from_case("unit", case, None)


@pytest.mark.parametrize(
    ("test_id", "case", "expected"),
    [
        ("tests/test_a.py::test_x", junit_test("test_x[1-2]", "tests.test_a"), True),
        ("tests/test_a.py::C::test_x", junit_test("test_x", "tests.test_a.C"), True),
        ("tests/test_a.py::test_x", junit_test("test_xy", "tests.test_a"), False),
        # Vitest: classname is the file, name the describe path
        ("web/a.test.ts > cart > adds", junit_test("cart > adds", "a.test.ts"), True),
        ("web/a.test.ts > cart > adds", junit_test("cart > adds", "b.test.ts"), False),
        ("web/a.test.ts > cart > adds", junit_test("cart > add", "a.test.ts"), False),
        # jest-junit: describe and title joined by a space, the file attribute
        ("a.test.js > Cart > adds", junit_test("Cart adds", "Cart adds", "a.test.js"), True),
        # a title with '::' is still JavaScript
        ("a.test.js > parses a::b", junit_test("parses a::b", "x", "a.test.js"), True),
        # test.each placeholders
        ("a.test.js > adds %i items", junit_test("adds 3 items", "x", "a.test.js"), True),
        ("a.test.js > adds $n [items]", junit_test("adds 3 [items]", "x", "a.test.js"), True),
        ("a.test.js > adds %i items", junit_test("adds 3 things", "x", "a.test.js"), False),
    ],
)
def test_a_mock_test_id_names_the_junit_case(test_id: str, case: UnitTest, expected: bool) -> None:
    assert matches_test_id(test_id, case) is expected


COMPARE_FORKED = """
import sys
from pathlib import Path

from harness.core import response_mocks

data = Path(sys.argv[1])
files = sorted(f for f in data.rglob("*") if f.suffix in (".py", ".js", ".ts", ".tsx", ".jsx"))
serial = response_mocks.find_response_mocks(data, files)
response_mocks.PARALLEL_FROM = 2
assert len(response_mocks._chunks(files)) > 1, "the forked path did not run"
forked = response_mocks.find_response_mocks(data, files)
assert forked == serial
assert [m.tests for m in forked] == [m.tests for m in serial]
assert [m.body for m in forked] == [m.body for m in serial]
print(len(forked))
"""


def test_forked_workers_find_exactly_what_one_process_finds() -> None:
    # In a process of its own: forking is only done where no other thread runs.
    result = subprocess.run(
        [sys.executable, "-c", COMPARE_FORKED, str(DATA)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert int(result.stdout) > 20
