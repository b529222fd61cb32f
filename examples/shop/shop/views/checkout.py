"""Checkout: the form, its validation errors, the payment, and the new order."""

from __future__ import annotations

from datetime import date
from typing import Any

from flask import Blueprint, redirect, render_template, request

from shop import current, services
from shop.checkout import COUNTRIES, FIELDS, parse_form

bp = Blueprint("checkout", __name__)


def _page(form: dict[str, str], errors: dict[str, str], status: int = 200) -> Any:
    return render_template("checkout.html", form=form, errors=errors, countries=COUNTRIES), status


@bp.get("/checkout")
@current.login_required
def checkout_form() -> Any:
    return _page({"full_name": current.logged_in_user()["name"]}, {})


@bp.post("/checkout")
@current.login_required
def place_order() -> Any:
    form = {name: request.form.get(name, "") for name in FIELDS}
    valid, errors = parse_form(form, date.today())
    cart = current.cart()
    if cart.is_empty:
        errors["cart"] = "Your cart is empty: add something before checking out"
    if valid is None or errors:
        return _page({**form, "cvc": ""}, errors, 422)
    user = current.logged_in_user()
    payment = services.payments().charge(
        valid.card_number, cart.total_cents, f"Shop order for {user['email']}"
    )
    if not payment.approved:
        return _page({**form, "cvc": ""}, {"card_number": payment.message}, 422)
    order_id = services.orders().create(
        user["id"], valid.order_details(), cart.lines, cart.total_cents
    )
    services.carts().clear(current.ensure_cart_id())
    current.session().set("placed", order_id)
    return redirect(f"/orders/{order_id}")
