"""Defects the shop can be started with, to show what its unit tests do and do not catch.

``SHOP_DEFECT=wrapped-api``: ``GET /api/cart`` wraps its body in ``{"data": ...}``; the pages'
JavaScript still reads the old shape, and so do the mocks in the unit tests, which all pass.
``SHOP_DEFECT=wrong-total``: a line's total ignores its quantity; the pricing unit tests fail.
"""

from __future__ import annotations

import os

KNOWN = {
    "wrapped-api": 'GET /api/cart answers {"data": cart} instead of the cart itself',
    "wrong-total": "a cart line's total ignores its quantity",
}


class UnknownDefectError(ValueError):
    pass


def parse(value: str) -> frozenset[str]:
    """The defects named in a comma-separated SHOP_DEFECT value; unknown names are refused."""
    names = frozenset(part.strip() for part in value.split(",") if part.strip())
    unknown = sorted(names - KNOWN.keys())
    if unknown:
        raise UnknownDefectError(
            f"unknown SHOP_DEFECT {', '.join(unknown)}; known: {', '.join(sorted(KNOWN))}"
        )
    return names


def active(name: str) -> bool:
    """Whether a defect is switched on; read at call time so tests can set SHOP_DEFECT."""
    return name in parse(os.environ.get("SHOP_DEFECT", ""))
