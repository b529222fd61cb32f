"""The JSON API that the pages' JavaScript calls: the cart, and a customer's orders."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, request

from shop import current, defects, services
from shop.cart import serialize_cart
from shop.carts import MAX_QUANTITY

bp = Blueprint("api", __name__, url_prefix="/api")


def _json_body() -> dict[str, Any]:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        abort(400, "send a JSON object with Content-Type: application/json")
    return body


def _quantity(body: dict[str, Any], default: int | None = None) -> int:
    value = body.get("quantity", default)
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_QUANTITY:
        abort(400, f"quantity must be a whole number from 0 to {MAX_QUANTITY}")
    return value


@bp.get("/cart")
def get_cart() -> Any:
    body = serialize_cart(current.cart())
    if defects.active("wrapped-api"):
        return {"data": body}
    return body


@bp.post("/cart")
def add_to_cart() -> Any:
    body = _json_body()
    sku = str(body.get("sku", ""))
    quantity = _quantity(body, default=1)
    if services.products().by_sku(sku) is None:
        abort(404, f"there is no product {sku!r}")
    services.carts().add(current.ensure_cart_id(), sku, max(quantity, 1))
    return serialize_cart(current.cart()), 201


@bp.patch("/cart/<sku>")
def set_quantity(sku: str) -> Any:
    services.carts().set(current.ensure_cart_id(), sku, _quantity(_json_body()))
    return serialize_cart(current.cart())


@bp.delete("/cart/<sku>")
def remove_from_cart(sku: str) -> Any:
    cid = current.cart_id()
    if cid:
        services.carts().set(cid, sku, 0)
    return serialize_cart(current.cart())


@bp.get("/orders/<int:order_id>")
@current.login_required
def get_order(order_id: int) -> Any:
    order = services.orders().get(order_id, current.user_id())
    if order is None:
        abort(404, f"you have no order {order_id}")
    return {
        "id": order.id,
        "status": order.status,
        "total": order.total,
        "total_cents": order.total_cents,
        "created_at": order.created_at.isoformat(),
        "lines": [
            {
                "sku": ln.sku,
                "name": ln.name,
                "quantity": ln.quantity,
                "line_total_cents": ln.line_total_cents,
            }
            for ln in order.lines
        ],
    }
