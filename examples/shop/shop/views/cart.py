"""The cart page: an empty frame that its JavaScript fills from ``GET /api/cart``."""

from __future__ import annotations

from flask import Blueprint, render_template

bp = Blueprint("cart", __name__)


@bp.get("/cart")
def cart_page() -> str:
    return render_template("cart.html")
