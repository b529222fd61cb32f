"""Money arithmetic for carts and orders: amounts are whole cents, shown in dollars."""

from __future__ import annotations

from collections.abc import Iterable

from shop import defects


def line_total(unit_price_cents: int, quantity: int) -> int:
    """What a cart line costs: its unit price times its quantity."""
    if defects.active("wrong-total"):
        return unit_price_cents
    return unit_price_cents * quantity


def cart_total(line_totals: Iterable[int]) -> int:
    return sum(line_totals)


def format_money(cents: int) -> str:
    """``1250`` -> ``$12.50``."""
    sign = "-" if cents < 0 else ""
    dollars, rest = divmod(abs(cents), 100)
    return f"{sign}${dollars:,}.{rest:02d}"
