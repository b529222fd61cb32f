from __future__ import annotations

import httpx
import pytest
import requests_mock
import responses
import respx

import shopclient


@responses.activate
def test_responses_add() -> None:
    responses.add(
        responses.GET,
        "http://api.test/api/users/1",
        json={"id": 1, "name": "Responses"},  # mock: responses GET http://api.test/api/users/1
    )
    assert shopclient.get_user(1)["name"] == "Responses"


@responses.activate
def test_responses_verb() -> None:
    responses.get(
        f"{shopclient.BASE}/api/users/2",
        json={"id": 2, "name": "Verb"},  # mock: responses GET {shopclient.BASE}/api/users/2 200
        status=200,
    )
    assert shopclient.get_user(2)["name"] == "Verb"


def test_responses_router_fixture(user_endpoint: responses.RequestsMock) -> None:
    assert shopclient.get_user(5)["name"] == "Routed"


@respx.mock
def test_respx_mock() -> None:
    respx.get("http://api.test/api/cart").mock(
        return_value=httpx.Response(200, json={"lines": [], "count": 3})  # mock: respx GET http://api.test/api/cart 200
    )
    assert shopclient.get_cart()["count"] == 3


def test_respx_fixture_respond(respx_mock: respx.MockRouter) -> None:
    respx_mock.get("http://api.test/api/cart").respond(
        201, json={"lines": [], "count": 4}  # mock: respx GET http://api.test/api/cart 201
    )
    assert shopclient.get_cart()["count"] == 4


def test_requests_mock_fixture(requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(
        "http://api.test/api/users/3", json={"id": 3, "name": "Rm"}  # mock: requests_mock GET http://api.test/api/users/3
    )
    assert shopclient.get_user(3)["name"] == "Rm"


def test_requests_mock_mocker() -> None:
    with requests_mock.Mocker() as m:
        m.register_uri(
            "GET",
            "http://api.test/api/users/4",
            json={"id": 4, "name": "Mocker"},  # mock: requests_mock GET http://api.test/api/users/4 200
            status_code=200,
        )
        assert shopclient.get_user(4)["name"] == "Mocker"


@pytest.mark.parametrize("user_id", [6, 7])
def test_parametrized(user_id: int, requests_mock: requests_mock.Mocker) -> None:
    requests_mock.get(
        f"http://api.test/api/users/{user_id}",
        json={"id": 6, "name": "Param"},  # mock: requests_mock GET http://api.test/api/users/{user_id}
    )
    assert shopclient.get_user(user_id)["name"] == "Param"
