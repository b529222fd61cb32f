"""Order history and one order's page."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, abort, render_template

from shop import current, services

bp = Blueprint("orders", __name__)


@bp.get("/orders")
@current.login_required
def history() -> Any:
    found = services.orders().for_user(current.user_id())
    return render_template("orders.html", orders=found)


@bp.get("/orders/<int:order_id>")
@current.login_required
def order(order_id: int) -> Any:
    found = services.orders().get(order_id, current.user_id())
    if found is None:
        abort(404, f"You have no order #{order_id}.")
    just_placed = current.take("placed") == order_id
    return render_template("order.html", order=found, just_placed=just_placed)
