"""Money arithmetic and cart pricing: pure functions, no mocks needed."""

from __future__ import annotations

import pytest
from samples import BLUE_MUG, TEAPOT
from shop.cart import build_cart, serialize_cart
from shop.pricing import cart_total, format_money, line_total

pytestmark = pytest.mark.covers("cart")


def test_line_total_multiplies_unit_price_by_quantity() -> None:
    assert line_total(1200, 3) == 3600


def test_line_total_of_one_is_the_unit_price() -> None:
    assert line_total(850, 1) == 850


def test_cart_total_adds_the_lines() -> None:
    assert cart_total([2400, 850]) == 3250
    assert cart_total([]) == 0


@pytest.mark.parametrize(
    ("cents", "shown"),
    [(0, "$0.00"), (5, "$0.05"), (1250, "$12.50"), (123456, "$1,234.56"), (-300, "-$3.00")],
)
def test_format_money(cents: int, shown: str) -> None:
    assert format_money(cents) == shown


def test_build_cart_prices_every_line() -> None:
    cart = build_cart({"M1": 2, "T1": 1}, {"M1": BLUE_MUG, "T1": TEAPOT})
    assert [(line.sku, line.line_total_cents) for line in cart.lines] == [
        ("M1", 2400),
        ("T1", 3400),
    ]
    assert cart.total_cents == 5800
    assert cart.count == 3


def test_build_cart_leaves_out_products_that_are_gone() -> None:
    cart = build_cart({"M1": 1, "GONE": 4}, {"M1": BLUE_MUG})
    assert [line.sku for line in cart.lines] == ["M1"]
    assert cart.count == 1


def test_serialized_cart_shows_money_as_text() -> None:
    body = serialize_cart(build_cart({"M1": 2}, {"M1": BLUE_MUG}))
    assert body["total"] == "$24.00"
    assert body["lines"][0]["line_total"] == "$24.00"
    assert body["count"] == 2
