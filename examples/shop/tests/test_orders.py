"""Order history and the order API, with the order repository mocked."""

from __future__ import annotations

from datetime import datetime, timezone
from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient
from shop.models import Order, OrderLine

pytestmark = pytest.mark.covers("orders")

ORDER = Order(
    id=12,
    status="delivered",
    total_cents=5100,
    created_at=datetime(2026, 5, 1, 9, 30, tzinfo=timezone.utc),
    lines=(OrderLine("T1", "Teapot", 1, 3400, 3400), OrderLine("T2", "Tea towel", 2, 850, 1700)),
)


@pytest.mark.usefixtures("logged_in")
def test_history_lists_the_users_orders(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.orders.for_user.return_value = [ORDER]
    page = client.get("/orders").get_data(as_text=True)
    mocks.orders.for_user.assert_called_once_with(7)
    assert "Order #12" in page
    assert "Teapot ×1, Tea towel ×2" in page
    assert "$51.00" in page


@pytest.mark.usefixtures("logged_in")
def test_history_without_orders(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.orders.for_user.return_value = []
    assert "You have no orders yet" in client.get("/orders").get_data(as_text=True)


@pytest.mark.usefixtures("logged_in")
def test_order_page(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.orders.get.return_value = ORDER
    page = client.get("/orders/12").get_data(as_text=True)
    mocks.orders.get.assert_called_once_with(12, 7)
    assert "<h1>Order #12</h1>" in page
    assert "Delivered" in page


def test_just_placed_order_says_thank_you(
    client: FlaskClient, mocks: SimpleNamespace, logged_in: dict[str, Any]
) -> None:
    logged_in["placed"] = 12
    mocks.orders.get.return_value = ORDER
    assert "Thank you for your order" in client.get("/orders/12").get_data(as_text=True)


@pytest.mark.usefixtures("logged_in")
def test_someone_elses_order_is_404(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.orders.get.return_value = None
    assert client.get("/orders/13").status_code == 404
    assert client.get("/api/orders/13").status_code == 404


@pytest.mark.usefixtures("logged_in")
def test_order_api(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.orders.get.return_value = ORDER
    body = client.get("/api/orders/12").get_json()
    assert body["id"] == 12
    assert body["status"] == "delivered"
    assert [line["sku"] for line in body["lines"]] == ["T1", "T2"]


def test_orders_need_a_logged_in_customer(client: FlaskClient) -> None:
    assert client.get("/orders").headers["Location"] == "/login?next=%2Forders"
    assert client.get("/api/orders/12").status_code == 401
