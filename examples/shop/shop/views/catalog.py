"""The catalog (list and search) and the product page."""

from __future__ import annotations

from flask import Blueprint, abort, render_template, request

from shop import services

bp = Blueprint("catalog", __name__)


@bp.get("/")
def index() -> str:
    query = request.args.get("q", "").strip()
    found = services.products().search(query) if query else services.products().all()
    return render_template("catalog.html", products=found, query=query)


@bp.get("/products/<sku>")
def product(sku: str) -> str:
    item = services.products().by_sku(sku)
    if item is None:
        abort(404, f"There is no product {sku}.")
    return render_template("product.html", product=item)
