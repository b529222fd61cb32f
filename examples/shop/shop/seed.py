"""``python -m shop.seed``: the demo catalog, the demo customer and one past order of theirs.

Safe to run again: products are updated in place, the customer's password is reset to
SHOP_PASSWORD, and the past order is added only once. The password is never printed."""

from __future__ import annotations

import os
import sys
from typing import Any

import psycopg

from shop import accounts, db
from shop.cart import build_cart
from shop.config import Config
from shop.models import Product
from shop.repositories import OrderRepository, ProductRepository, UserRepository

DEMO_EMAIL = "demo@shop.test"
DEMO_NAME = "Dana Demo"
PRODUCTS = (
    Product("M1", "Blue mug", 1200, "A stoneware mug in deep blue, 350 ml. Dishwasher safe."),
    Product("M2", "Red mug", 1200, "The same mug in a warm red, 350 ml. Dishwasher safe."),
    Product("T1", "Teapot", 3400, "A one-litre glazed teapot with a steel infuser."),
    Product("T2", "Tea towel", 850, "Linen tea towel with a printed teacup pattern."),
    Product("C1", "Coffee beans, 1 kg", 2200, "Medium roast whole beans from a small roaster."),
    Product("C2", "Espresso cups, set of 4", 2800, "Thick-walled porcelain cups, 80 ml each."),
    Product("K1", "Kettle", 4900, "A 1.7 litre electric kettle with temperature control."),
    Product("S1", "Sugar bowl", 1500, "A lidded sugar bowl that matches the blue mug."),
)
PAST_ORDER = {"T1": 1, "T2": 1}  # one of each, so SHOP_DEFECT=wrong-total leaves its total alone
PAST_ADDRESS = {
    "full_name": DEMO_NAME,
    "address": "1 Demo Street",
    "city": "Dublin",
    "postcode": "D02 X285",
    "country": "Ireland",
    "card_last4": "4242",
}


class SeedError(Exception):
    pass


def demo_password(environ: dict[str, str]) -> str:
    password = environ.get("SHOP_PASSWORD", "")
    if len(password) < accounts.MIN_PASSWORD:
        raise SeedError(
            "SHOP_PASSWORD must be set to the demo customer's password (at least "
            f"{accounts.MIN_PASSWORD} characters); the journeys log in with the same value"
        )
    return password


def seed_demo_customer(conn: psycopg.Connection[Any], password: str) -> int:
    users = UserRepository(conn)
    found = users.by_email(DEMO_EMAIL)
    if found is None:
        return users.create(DEMO_EMAIL, DEMO_NAME, accounts.hash_password(password)).id
    users.set_password(found.id, accounts.hash_password(password))
    return found.id


def seed_past_order(conn: psycopg.Connection[Any], user_id: int) -> None:
    orders = OrderRepository(conn)
    if any(order.status == "delivered" for order in orders.for_user(user_id)):
        return
    cart = build_cart(PAST_ORDER, ProductRepository(conn).by_skus(PAST_ORDER))
    orders.create(user_id, PAST_ADDRESS, cart.lines, cart.total_cents, status="delivered")


def seed(config: Config, environ: dict[str, str]) -> None:
    password = demo_password(environ)
    with db.wait_for_database(config.database_url) as conn:
        db.apply_migrations(conn)
        for product in PRODUCTS:
            ProductRepository(conn).upsert(product)
        seed_past_order(conn, seed_demo_customer(conn, password))


def main() -> int:
    try:
        seed(Config.from_env(), dict(os.environ))
    except SeedError as exc:
        print(f"seed: {exc}", file=sys.stderr)
        return 1
    print(f"seed: {len(PRODUCTS)} products, customer {DEMO_EMAIL}, one past order", file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
