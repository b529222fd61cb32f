"""Mock kinds read statically but not run: pytest-httpx, keyword forms, response lists."""

import json
from unittest.mock import MagicMock, create_autospec

import httpx
import pytest
import responses
import respx


def test_pytest_httpx(httpx_mock):
    httpx_mock.add_response(
        method="POST",
        url="http://api.test/api/orders",
        json={"id": 1, "total": 1200},  # mock: pytest_httpx POST http://api.test/api/orders 201
        status_code=201,
    )


def test_responses_keywords_and_text_body():
    responses.add(
        method=responses.PUT,
        url="http://api.test/api/cart",
        body=json.dumps({"count": 1}),  # mock: responses PUT http://api.test/api/cart
    )


def test_respx_route_and_side_effect():
    respx.route(method="POST", url="http://api.test/api/login").mock(
        side_effect=[
            httpx.Response(401, json={"error": "bad password"}),  # mock: respx POST http://api.test/api/login 401
            httpx.Response(200, json={"token": "t"}),  # mock: respx POST http://api.test/api/login 200
        ]
    )


def test_mock_objects_with_return_values():
    api = MagicMock(return_value={"id": 1})  # mock: unittest.mock
    spec = create_autospec(dict, return_value=[{"id": 2}])  # mock: unittest.mock
    assert api and spec


@pytest.fixture
def orders():
    with open("fixtures/order.json") as handle:  # relative to the project root
        return json.load(handle)  # mock: fixture @fixtures/order.json:1


def test_fixture_through_a_fixture(orders):
    assert orders


def test_fake_responses_built_as_mocks():
    response = MagicMock(json=lambda: {"id": 3, "name": "Lambda"})  # mock: unittest.mock
    other = MagicMock(**{"json.return_value": {"id": 4}, "status_code": 200})  # mock: unittest.mock
    other.configure_mock(**{"json.return_value": [{"id": 5}]})  # mock: unittest.mock
    assert response and other
