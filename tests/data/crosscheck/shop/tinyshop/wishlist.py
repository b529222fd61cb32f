"""A wishlist (no page yet: it has unit tests and no journey)."""


def toggle(wishlist, sku):
    return wishlist - {sku} if sku in wishlist else wishlist | {sku}
