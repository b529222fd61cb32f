"""What the shop stores: products, users and orders, as the repositories return them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from shop.pricing import format_money


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price_cents: int
    description: str = ""

    @property
    def price(self) -> str:
        return format_money(self.price_cents)


@dataclass(frozen=True)
class User:
    id: int
    email: str
    name: str
    password_hash: str


@dataclass(frozen=True)
class OrderLine:
    sku: str
    name: str
    quantity: int
    unit_price_cents: int
    line_total_cents: int


@dataclass(frozen=True)
class Order:
    id: int
    status: str
    total_cents: int
    created_at: datetime
    full_name: str = ""
    address: str = ""
    city: str = ""
    postcode: str = ""
    country: str = ""
    card_last4: str = ""
    lines: tuple[OrderLine, ...] = field(default=())

    @property
    def total(self) -> str:
        return format_money(self.total_cents)

    @property
    def summary(self) -> str:
        """``Teapot ×1, Blue mug ×2``: what the order history shows for an order."""
        return ", ".join(f"{line.name} ×{line.quantity}" for line in self.lines)
