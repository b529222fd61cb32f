"""The cart API, with the cart store and the product repository mocked."""

from __future__ import annotations

from types import SimpleNamespace
from typing import Any

import pytest
from flask.testing import FlaskClient
from samples import BLUE_MUG

pytestmark = pytest.mark.covers("cart")


@pytest.fixture
def cart_with_two_mugs(mocks: SimpleNamespace, logged_in: dict[str, Any]) -> None:
    mocks.carts.quantities.return_value = {"M1": 2}
    mocks.products.by_skus.return_value = {"M1": BLUE_MUG}


@pytest.mark.usefixtures("cart_with_two_mugs")
def test_get_cart_reads_the_visitors_cart(client: FlaskClient, mocks: SimpleNamespace) -> None:
    response = client.get("/api/cart")
    assert response.status_code == 200
    mocks.carts.quantities.assert_called_with("cart-1")
    assert "Blue mug" in response.get_data(as_text=True)


def test_get_cart_without_a_cart_is_empty(client: FlaskClient, mocks: SimpleNamespace) -> None:
    response = client.get("/api/cart")
    assert response.status_code == 200
    mocks.carts.quantities.assert_not_called()


@pytest.mark.usefixtures("logged_in")
def test_add_to_cart_stores_the_quantity(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.products.by_sku.return_value = BLUE_MUG
    response = client.post("/api/cart", json={"sku": "M1", "quantity": 2})
    assert response.status_code == 201
    mocks.carts.add.assert_called_once_with("cart-1", "M1", 2)


def test_add_to_cart_gives_a_guest_a_cart(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.products.by_sku.return_value = BLUE_MUG
    response = client.post("/api/cart", json={"sku": "M1"})
    assert response.status_code == 201
    cart_id = mocks.carts.add.call_args.args[0]
    saved = mocks.sessions.save.call_args.args[1]
    assert saved["cart_id"] == cart_id
    assert "shop_session=new-sid" in response.headers["Set-Cookie"]


def test_add_unknown_product_is_404(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.products.by_sku.return_value = None
    response = client.post("/api/cart", json={"sku": "NOPE"})
    assert response.status_code == 404
    mocks.carts.add.assert_not_called()


@pytest.mark.parametrize("quantity", [-1, 100, "2", 1.5, True])
def test_add_refuses_a_bad_quantity(
    client: FlaskClient, mocks: SimpleNamespace, quantity: object
) -> None:
    mocks.products.by_sku.return_value = BLUE_MUG
    response = client.post("/api/cart", json={"sku": "M1", "quantity": quantity})
    assert response.status_code == 400
    assert "quantity" in response.get_json()["error"]


def test_add_needs_a_json_body(client: FlaskClient) -> None:
    response = client.post("/api/cart", data="sku=M1")
    assert response.status_code == 400


@pytest.mark.usefixtures("cart_with_two_mugs")
def test_change_quantity(client: FlaskClient, mocks: SimpleNamespace) -> None:
    response = client.patch("/api/cart/M1", json={"quantity": 5})
    assert response.status_code == 200
    mocks.carts.set.assert_called_once_with("cart-1", "M1", 5)


@pytest.mark.usefixtures("cart_with_two_mugs")
def test_remove_sets_quantity_to_zero(client: FlaskClient, mocks: SimpleNamespace) -> None:
    response = client.delete("/api/cart/M1")
    assert response.status_code == 200
    mocks.carts.set.assert_called_once_with("cart-1", "M1", 0)


@pytest.mark.usefixtures("cart_with_two_mugs")
def test_cart_page_is_served(client: FlaskClient) -> None:
    page = client.get("/cart").get_data(as_text=True)
    assert 'data-testid="cart-lines"' in page
    assert "js/cart.js" in page
