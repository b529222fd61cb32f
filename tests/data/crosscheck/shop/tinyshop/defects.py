"""Real defects to switch on, one per verdict the cross-check must find.

SHOP_DEFECTS (comma-separated) breaks the app:
- cart-api-drift: /api/cart renames "count" to "items"; the unit tests mock that payload
  with the old shape, stay green, and the cart journey fails  -> cart is green-but-broken
- checkout-total: the total ignores quantities; a real unit test and the journey both see it
  -> checkout is broken
- orders-500: the orders page fails; no unit test covers orders  -> orders is broken
- reviews-cold-start: the first request to /reviews fails; the journey passes on its retry
  -> reviews is flaky
- crash-on-start: the server exits before listening  -> every journey is inconclusive

SHOP_STALE_TESTS=search makes a search unit test expect a product name the shop no longer
uses (a stale test; the app is fine)  -> search is red-but-working
"""

import os


def active(name: str) -> bool:
    return name in os.environ.get("SHOP_DEFECTS", "").split(",")
