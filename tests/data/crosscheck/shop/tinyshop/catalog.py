"""The products on sale."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Product:
    sku: str
    name: str
    price_cents: int


PRODUCTS = (Product("M1", "Blue mug", 1200), Product("M2", "Red mug", 1500))


def find(sku):
    return next((p for p in PRODUCTS if p.sku == sku), None)
