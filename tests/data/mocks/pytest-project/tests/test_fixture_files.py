from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest
import responses
from pytest_mock import MockerFixture

import shopclient

FIXTURES = Path(__file__).parent / "fixtures"
CART: dict[str, Any] = json.loads((FIXTURES / "cart.json").read_text())  # mock: fixture @tests/fixtures/cart.json:1


def load(name: str) -> Any:
    return json.loads((FIXTURES / name).read_text())


def test_loads_through_a_helper(mocker: MockerFixture) -> None:
    mocker.patch("shopclient.get_user", return_value=load("user.json"))  # mock: pytest-mock @tests/fixtures/user.json:1
    assert load("cart.json")["count"] == 2  # mock: fixture @tests/fixtures/cart.json:1
    assert shopclient.get_user(1)["name"] == "Fixture"


def test_reads_the_cart_fixture() -> None:
    assert CART["count"] == 2


def test_open_in_the_test() -> None:
    with open(os.path.join(os.path.dirname(__file__), "fixtures", "user.json")) as handle:
        user = json.load(handle)  # mock: fixture @tests/fixtures/user.json:1
    assert user["name"] == "Fixture"


@responses.activate
def test_fixture_served_by_responses() -> None:
    responses.add(
        responses.GET,
        "http://api.test/api/users/1",
        json=json.load(open(FIXTURES / "user.json")),  # mock: responses GET http://api.test/api/users/1 @tests/fixtures/user.json:1
    )
    assert shopclient.get_user(1)["name"] == "Fixture"


def test_mocker_patch_with_fixture(mocker: MockerFixture) -> None:
    mocker.patch("shopclient.get_cart", return_value=CART)  # mock: pytest-mock @tests/fixtures/cart.json:1
    assert shopclient.get_cart()["count"] == 2


@pytest.fixture
def cart_api(mocker: MockerFixture) -> Any:
    return mocker.patch("shopclient.get_cart", return_value={"lines": [], "count": 5})  # mock: pytest-mock


def test_through_a_module_fixture(cart_api: Any) -> None:
    assert shopclient.get_cart()["count"] == 5
