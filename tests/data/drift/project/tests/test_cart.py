"""The cart's unit tests."""

from unittest.mock import MagicMock

api = MagicMock()


def test_the_cart_shows_its_total() -> None:
    api.get_cart.return_value = {"lines": [], "count": 0, "total": 0}
    assert api.get_cart()["total"] == 0


def test_a_partial_mock_of_the_cart_is_fine() -> None:
    api.get_cart.return_value = {"lines": [], "count": 2}
    assert api.get_cart()["count"] == 2


def test_a_mock_of_an_endpoint_no_journey_called() -> None:
    api.get_wishlist.return_value = {"wishes": [], "owner": "ada", "shared": False}
    assert api.get_wishlist()["wishes"] == []
