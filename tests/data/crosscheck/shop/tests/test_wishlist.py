"""Linked to the wishlist feature by the covers marker; no journey covers it."""

import pytest
from tinyshop.wishlist import toggle


@pytest.mark.covers("wishlist")
def test_toggle_adds_then_removes():
    assert toggle(toggle(frozenset(), "M1"), "M1") == frozenset()
