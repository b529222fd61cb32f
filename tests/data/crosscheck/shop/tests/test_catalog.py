"""Linked to the catalog feature by harness.yml's pattern on the node id."""

from tinyshop.catalog import PRODUCTS, find


def test_every_product_has_a_price():
    assert all(p.price_cents > 0 for p in PRODUCTS)


def test_find_by_sku():
    assert find("M1").name == "Blue mug"
    assert find("nope") is None
