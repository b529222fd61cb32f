"""Checkout: the form rules, and the view with the cart, the orders and the payment provider
mocked."""

from __future__ import annotations

from datetime import date
from types import SimpleNamespace
from typing import Any
from unittest.mock import ANY

import pytest
from flask.testing import FlaskClient
from samples import BLUE_MUG
from shop.checkout import field_errors, luhn_valid, parse_form
from shop.payments import PaymentResult

pytestmark = pytest.mark.covers("checkout")

TODAY = date(2026, 6, 15)
VALID = {
    "full_name": "Dana Demo",
    "address": "1 Demo Street",
    "city": "Dublin",
    "postcode": "d02 x285",
    "country": "Ireland",
    "card_number": "4242 4242 4242 4242",
    "expiry": "12/30",
    "cvc": "123",
}


def test_a_complete_form_is_valid() -> None:
    form, errors = parse_form(VALID, TODAY)
    assert errors == {}
    assert form is not None
    assert form.card_number == "4242424242424242"
    assert form.postcode == "D02 X285"
    assert form.order_details()["card_last4"] == "4242"


def test_every_problem_is_reported_at_once() -> None:
    errors = field_errors({}, TODAY)
    assert set(errors) == {
        "full_name",
        "address",
        "city",
        "postcode",
        "country",
        "card_number",
        "expiry",
        "cvc",
    }


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("card_number", "4242 4242 4242 4241", "Enter a valid card number"),
        ("card_number", "abcd", "Enter a valid card number"),
        ("expiry", "13/30", "Enter the expiry date as MM/YY"),
        ("expiry", "05/26", "This card has expired"),
        ("cvc", "12", "Enter the 3 or 4 digit security code"),
        ("country", "Atlantis", "Choose a country"),
        ("postcode", "!", "Enter a valid postcode"),
    ],
)
def test_field_messages(field: str, value: str, message: str) -> None:
    assert field_errors({**VALID, field: value}, TODAY) == {field: message}


def test_card_expiring_this_month_is_still_valid() -> None:
    assert field_errors({**VALID, "expiry": "06/26"}, TODAY) == {}


def test_luhn() -> None:
    assert luhn_valid("4242424242424242")
    assert luhn_valid("4000000000000002")
    assert not luhn_valid("4242424242424243")


@pytest.fixture
def one_mug(mocks: SimpleNamespace, logged_in: dict[str, Any]) -> None:
    mocks.carts.quantities.return_value = {"M1": 1}
    mocks.products.by_skus.return_value = {"M1": BLUE_MUG}
    mocks.payments.charge.return_value = PaymentResult(True, reference="pay_1")
    mocks.orders.create.return_value = 42


@pytest.mark.usefixtures("one_mug")
def test_placing_an_order_charges_the_card_and_shows_the_order(
    client: FlaskClient, mocks: SimpleNamespace
) -> None:
    response = client.post("/checkout", data=VALID)
    assert response.status_code == 302
    assert response.headers["Location"] == "/orders/42"
    mocks.payments.charge.assert_called_once_with("4242424242424242", 1200, ANY)
    mocks.orders.create.assert_called_once()
    mocks.carts.clear.assert_called_once_with("cart-1")


@pytest.mark.usefixtures("one_mug")
def test_the_card_number_is_not_stored(client: FlaskClient, mocks: SimpleNamespace) -> None:
    client.post("/checkout", data=VALID)
    details = mocks.orders.create.call_args.args[1]
    assert details["card_last4"] == "4242"
    assert "4242424242424242" not in repr(mocks.orders.create.call_args)


@pytest.mark.usefixtures("one_mug")
def test_a_declined_card_is_explained(client: FlaskClient, mocks: SimpleNamespace) -> None:
    mocks.payments.charge.return_value = PaymentResult(False, message="Your card was declined.")
    response = client.post("/checkout", data=VALID)
    assert response.status_code == 422
    assert "Your card was declined." in response.get_data(as_text=True)
    mocks.orders.create.assert_not_called()


@pytest.mark.usefixtures("one_mug")
def test_invalid_form_shows_the_errors(client: FlaskClient, mocks: SimpleNamespace) -> None:
    response = client.post("/checkout", data={**VALID, "city": "", "cvc": "1"})
    page = response.get_data(as_text=True)
    assert response.status_code == 422
    assert "There are 2 problems with your order" in page
    assert "Enter your town or city" in page
    mocks.payments.charge.assert_not_called()


@pytest.mark.usefixtures("logged_in")
def test_an_empty_cart_cannot_be_ordered(client: FlaskClient, mocks: SimpleNamespace) -> None:
    response = client.post("/checkout", data=VALID)
    assert response.status_code == 422
    assert "Your cart is empty" in response.get_data(as_text=True)
    mocks.payments.charge.assert_not_called()


def test_checkout_needs_a_logged_in_customer(client: FlaskClient) -> None:
    response = client.get("/checkout")
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Fcheckout"
