"""Static mock counting: Python by ast (tests, classes, fixtures, conftest), JS by tree-sitter."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from harness.core.features import UnitTest
from harness.core.js_mocks import JsFile
from harness.core.junit import JUnitCase
from harness.core.mocks import MockCount, MockCounter, MockRatio

PYTHON_TESTS = """
import unittest.mock
from unittest import mock
from unittest.mock import MagicMock, patch as p

import pytest
import requests_mock as rm
import responses
import respx


@pytest.fixture
def fake_db(monkeypatch, fake_clock):
    monkeypatch.setattr("shop.db.connect", lambda: None)
    monkeypatch.setenv("DB", "memory")


@pytest.fixture
def fake_clock(mocker):
    mocker.patch("shop.clock.now", return_value=0)


def test_real():
    assert 1 + 1 == 2


@p("shop.payments.charge")
@mock.patch.object(dict, "get")
def test_decorators(charge, get):
    pass


def test_context_managers_and_objects():
    with unittest.mock.patch.dict("os.environ", {}), p("a.b"):
        client = MagicMock()
        client.send = mock.AsyncMock()


def test_fixtures_transitively(fake_db):
    pass


@pytest.mark.usefixtures("fake_clock")
def test_usefixtures():
    pass


def test_mocker(mocker):
    mocker.patch.object(dict, "get")
    mocker.spy(dict, "keys")


@responses.activate
def test_responses():
    responses.add(responses.GET, "http://api/x", json={})
    responses.post("http://api/y")


def test_routers(respx_mock, requests_mock):
    respx_mock.get("http://api/x").mock(return_value=None)
    requests_mock.get("http://api/y", json={})
    with rm.Mocker() as m:
        m.register_uri("GET", "http://api/z")
    with responses.RequestsMock() as rsps:
        rsps.add(responses.GET, "http://api/w")
    respx.route(host="api")


def test_not_mocks(client):
    client.patch("/cart")  # an HTTP PATCH through a test client, not a mock
    client.get("/")


@p("shop.mailer.send")
class TestCheckout:
    def test_pay(self, send):
        assert MagicMock()

    @pytest.mark.parametrize("n", [1, 2])
    def test_param(self, send, n):
        pass
"""

CONFTEST = """
import pytest


@pytest.fixture(autouse=True)
def no_network(monkeypatch):
    monkeypatch.setattr("socket.socket", None)


@pytest.fixture(name="fake_clock")
def _clock(monkeypatch):
    monkeypatch.setattr("time.time", lambda: 0)
"""


@pytest.fixture
def counter(tmp_path: Path) -> MockCounter:
    (tmp_path / "tests").mkdir()
    (tmp_path / "tests" / "test_shop.py").write_text(PYTHON_TESTS)
    return MockCounter(tmp_path)


def python_test(classname: str, name: str, root: Path) -> UnitTest:
    case = JUnitCase("s", classname, name, None, None, 0.0, "passed", "", "", ())
    return UnitTest.from_case("shop", case, root)


def kinds(counter: MockCounter, name: str, classname: str = "tests.test_shop") -> dict[str, int]:
    count = counter.count(python_test(classname, name, counter.root))
    assert count is not None
    return dict(count.kinds)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("test_real", {}),
        ("test_decorators", {"patch": 2}),
        ("test_context_managers_and_objects", {"patch": 2, "mock object": 2}),
        ("test_fixtures_transitively", {"monkeypatch": 2, "mocker": 1}),
        ("test_usefixtures", {"mocker": 1}),
        ("test_mocker", {"mocker": 2}),
        ("test_responses", {"http mock": 2}),
        ("test_routers", {"http mock": 5}),
        ("test_not_mocks", {}),
    ],
)
def test_python_mock_kinds(counter: MockCounter, name: str, expected: dict[str, int]) -> None:
    assert kinds(counter, name) == expected


def test_class_decorators_apply_to_every_method(counter: MockCounter) -> None:
    classname = "tests.test_shop.TestCheckout"
    assert kinds(counter, "test_pay", classname) == {"patch": 1, "mock object": 1}
    assert kinds(counter, "test_param[2]", classname) == {"patch": 1}


def test_conftest_fixtures_and_autouse(counter: MockCounter) -> None:
    (counter.root / "conftest.py").write_text(CONFTEST)
    fresh = MockCounter(counter.root)
    assert kinds(fresh, "test_real") == {"monkeypatch": 1}  # the autouse fixture
    # the module's own fake_clock (mocker) overrides conftest's (monkeypatch)
    assert kinds(fresh, "test_usefixtures") == {"monkeypatch": 1, "mocker": 1}


def test_unknown_test_or_missing_file_is_unknown(counter: MockCounter) -> None:
    assert counter.count(python_test("tests.test_shop", "test_gone", counter.root)) is None
    assert counter.count(python_test("tests.test_other", "test_x", counter.root)) is None


def test_a_file_that_does_not_parse_is_unknown(tmp_path: Path) -> None:
    (tmp_path / "test_bad.py").write_text("def test_x(:\n")
    assert MockCounter(tmp_path).count(python_test("test_bad", "test_x", tmp_path)) is None


JS_TESTS = textwrap.dedent(
    """
    import { http, HttpResponse } from 'msw';
    vi.mock('../src/api.js');

    describe('cart', () => {
      beforeEach(() => { vi.spyOn(console, 'error'); });

      test('adds an item', () => {
        const save = vi.fn();
        server.use(http.get('/api/cart', () => HttpResponse.json({ count: 1 })));
        expect(save).not.toHaveBeenCalled();
      });

      it("renders (with parens) and 'quotes'", () => {
        expect(render(")")).toBeTruthy();
      });
    });
    """
)


def test_js_mocks_are_attributed_to_their_test() -> None:
    js = JsFile.parse(JS_TESTS)
    adds = js.count("cart > adds an item")
    assert adds == {"http mock": 1, "mock function": 1, "module mock": 1, "spy": 1}
    renders = js.count("cart renders (with parens) and 'quotes'")
    assert renders == {"module mock": 1, "spy": 1}
    assert js.count("cart removes an item") is None


def test_js_files_are_found_by_vitest_classname(tmp_path: Path) -> None:
    (tmp_path / "src").mkdir()
    (tmp_path / "src" / "cart.test.ts").write_text(JS_TESTS)
    case = JUnitCase(
        "s", "src/cart.test.ts", "cart > adds an item", None, None, 0, "passed", "", "", ()
    )
    count = MockCounter(tmp_path).count(UnitTest.from_case("web", case, tmp_path))
    assert count is not None
    assert count.total == 4


def test_mock_count_text() -> None:
    assert str(MockCount()) == "no mocks"
    assert str(MockCount((("patch", 2), ("spy", 1)))) == "3 mocks (2 patch, 1 spy)"


@pytest.mark.parametrize(
    ("mocked", "real", "flagged"),
    [(3, 1, False), (4, 1, True), (1, 0, True), (0, 0, False), (0, 5, False), (7, 2, True)],
)
def test_ratio_is_flagged_above_three_to_one(mocked: int, real: int, flagged: bool) -> None:
    counts = [MockCount((("patch", 1),))] * mocked + [MockCount()] * real + [None]
    ratio = MockRatio.from_counts(counts)
    assert (ratio.mocked, ratio.real, ratio.unknown) == (mocked, real, 1)
    assert ratio.flagged is flagged
    assert str(ratio) == f"{mocked}:{real} (1 unread)"
