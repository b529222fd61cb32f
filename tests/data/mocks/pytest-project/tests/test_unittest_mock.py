from __future__ import annotations

from unittest import TestCase, mock
from unittest.mock import MagicMock, patch

import shopclient

ORDERS = [{"id": 7, "total": 1200}, {"id": 8, "total": 300}]  # mock: unittest.mock


def make_api() -> MagicMock:
    api = MagicMock()
    api.get_user.return_value = {"id": 1, "name": "Helper"}  # mock: unittest.mock
    return api


def test_return_value() -> None:
    api = MagicMock()
    api.get_user.return_value = {"id": 1, "name": "Test"}  # mock: unittest.mock
    assert shopclient.greeting(api) == "Hello, Test"


def test_module_constant() -> None:
    api = MagicMock()
    api.list_orders.return_value = ORDERS
    assert shopclient.order_total(api) == 1500


def test_helper() -> None:
    assert shopclient.greeting(make_api()) == "Hello, Helper"


def test_json_return_value_with_status() -> None:
    response = MagicMock()
    response.status_code = 404
    response.json.return_value = {"error": "no such user"}  # mock: unittest.mock 404
    with patch("shopclient.requests.get", return_value=response):
        assert shopclient.get_user(9) == {"error": "no such user"}


def test_side_effect() -> None:
    api = MagicMock()
    api.get_user.side_effect = [
        {"id": 1, "name": "First"},  # mock: unittest.mock
        {"id": 1, "name": "Second"},  # mock: unittest.mock
    ]
    assert shopclient.greeting(api) == "Hello, First"
    assert shopclient.greeting(api) == "Hello, Second"


@patch("shopclient.get_cart", return_value={"lines": [], "count": 0})  # mock: unittest.mock
def test_patch_decorator(get_cart: MagicMock) -> None:
    assert shopclient.get_cart()["count"] == 0


def test_patch_object() -> None:
    with mock.patch.object(
        shopclient, "get_user", return_value={"id": 2, "name": "Patched"}  # mock: unittest.mock
    ):
        assert shopclient.get_user(2)["name"] == "Patched"


def test_conftest_fixture(api: MagicMock) -> None:
    assert shopclient.greeting(api) == "Hello, Conftest"


class TestWithSetUp(TestCase):
    def setUp(self) -> None:
        self.api = MagicMock()
        self.api.get_user.return_value = {"id": 3, "name": "SetUp"}  # mock: unittest.mock

    def test_greets(self) -> None:
        self.assertEqual(shopclient.greeting(self.api), "Hello, SetUp")

    def test_greets_again(self) -> None:
        self.assertIn("SetUp", shopclient.greeting(self.api))


def test_patch_side_effect_list() -> None:
    with patch(
        "shopclient.get_user",
        side_effect=[{"id": 4, "name": "Once"}],  # mock: unittest.mock
    ):
        assert shopclient.get_user(4)["name"] == "Once"
    api = MagicMock(side_effect=[{"id": 5, "name": "Called"}])  # mock: unittest.mock
    assert api()["name"] == "Called"
