"""Sample data shared by the shop's tests."""

from __future__ import annotations

from shop.models import Product

DANA = {"id": 7, "email": "dana@example.test", "name": "Dana"}
BLUE_MUG = Product("M1", "Blue mug", 1200, "A blue mug.")
TEAPOT = Product("T1", "Teapot", 3400, "A teapot.")
