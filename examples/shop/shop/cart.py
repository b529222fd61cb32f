"""A cart as the pages and the API show it: lines with prices, built from the stored quantities."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from shop.models import Product
from shop.pricing import cart_total, format_money, line_total


@dataclass(frozen=True)
class CartLine:
    sku: str
    name: str
    unit_price_cents: int
    quantity: int
    line_total_cents: int


@dataclass(frozen=True)
class Cart:
    lines: tuple[CartLine, ...]
    total_cents: int
    count: int

    @property
    def is_empty(self) -> bool:
        return not self.lines


def build_cart(quantities: dict[str, int], products: dict[str, Product]) -> Cart:
    """Price the stored quantities; a product that no longer exists is left out."""
    lines = tuple(
        CartLine(
            sku=sku,
            name=products[sku].name,
            unit_price_cents=products[sku].price_cents,
            quantity=quantity,
            line_total_cents=line_total(products[sku].price_cents, quantity),
        )
        for sku, quantity in sorted(quantities.items())
        if sku in products and quantity > 0
    )
    return Cart(
        lines=lines,
        total_cents=cart_total(line.line_total_cents for line in lines),
        count=sum(line.quantity for line in lines),
    )


def serialize_cart(cart: Cart) -> dict[str, Any]:
    """The JSON body of the cart API; the pages' JavaScript reads exactly these keys."""
    return {
        "lines": [
            {
                "sku": line.sku,
                "name": line.name,
                "url": f"/products/{line.sku}",
                "quantity": line.quantity,
                "unit_price": format_money(line.unit_price_cents),
                "line_total": format_money(line.line_total_cents),
                "line_total_cents": line.line_total_cents,
            }
            for line in cart.lines
        ],
        "count": cart.count,
        "total": format_money(cart.total_cents),
        "total_cents": cart.total_cents,
    }
