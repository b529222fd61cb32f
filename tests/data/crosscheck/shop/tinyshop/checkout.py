"""The checkout total."""

from tinyshop import defects
from tinyshop.catalog import find


def total_cents(cart):
    if defects.active("checkout-total"):
        return sum(find(sku).price_cents for sku in cart)
    return sum(find(sku).price_cents * quantity for sku, quantity in cart.items())


def format_price(cents):
    return f"€{cents // 100}.{cents % 100:02d}"
