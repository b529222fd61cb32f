"""Linked to the cart feature by the covers marker. Most of these mock the /api/cart payload
with the shape they assume, which is how a renamed field slips past them."""

from unittest import mock
from unittest.mock import MagicMock, patch

import pytest
from tinyshop import cart

pytestmark = pytest.mark.covers("cart")


def test_add_item_counts_quantities():
    assert cart.add_item({"M1": 1}, "M1", 2) == {"M1": 3}


def test_badge_shows_the_count():
    fetch = MagicMock(return_value={"count": 2, "skus": ["M1"]})
    assert cart.badge_text(fetch) == "2"


@patch("tinyshop.cart.cart_summary", return_value={"count": 0, "skus": []})
def test_badge_of_an_empty_cart(summary):
    assert cart.badge_text(lambda: summary({})) == "0"


def test_badge_after_adding(monkeypatch):
    monkeypatch.setattr(cart, "cart_summary", lambda c: {"count": sum(c.values())})
    items = cart.add_item({}, "M2")
    assert cart.badge_text(lambda: cart.cart_summary(items)) == "1"


def test_badge_reads_the_api_once():
    with mock.patch.object(cart, "cart_summary") as summary:
        summary.return_value = {"count": 5}
        fetch = MagicMock(side_effect=lambda: cart.cart_summary({}))
        assert cart.badge_text(fetch) == "5"
        fetch.assert_called_once()
