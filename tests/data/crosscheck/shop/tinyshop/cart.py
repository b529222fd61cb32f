"""A cart per visitor, and the payload of /api/cart that the page's badge reads."""

from tinyshop import defects


def add_item(cart, sku, quantity=1):
    cart[sku] = cart.get(sku, 0) + quantity
    return cart


def cart_summary(cart):
    count = sum(cart.values())
    if defects.active("cart-api-drift"):
        return {"items": count, "skus": sorted(cart)}
    return {"count": count, "skus": sorted(cart)}


def badge_text(fetch_summary):
    """What the cart badge shows, given a function that fetches /api/cart's payload."""
    return str(fetch_summary()["count"])
