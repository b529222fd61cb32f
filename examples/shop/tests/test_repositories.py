"""The repositories against a real Postgres: each test runs in a transaction rolled back at its
end, so nothing is left behind (needs SHOP_TEST_DATABASE_URL, see conftest.py)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from shop import db
from shop.cart import CartLine
from shop.models import Product
from shop.repositories import EmailTakenError, OrderRepository, ProductRepository, UserRepository

ADDRESS = {
    "full_name": "Dana",
    "address": "1 Road",
    "city": "Dublin",
    "postcode": "D01",
    "country": "Ireland",
    "card_last4": "4242",
}


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:10]}"


def test_migrations_are_recorded_and_applied_once(conn: Any) -> None:
    versions = [row["version"] for row in conn.execute("SELECT version FROM schema_migrations")]
    assert {"001_products", "002_users", "003_orders"} <= set(versions)
    assert db.apply_migrations(conn) == []


@pytest.mark.covers("catalog")
def test_search_ignores_case_and_matches_descriptions(conn: Any) -> None:
    token = unique("zq")
    products = ProductRepository(conn)
    products.upsert(Product(unique("A"), f"Striped {token} mug", 900, "for tea"))
    products.upsert(Product(unique("B"), "Plain jug", 1500, f"pairs with the {token} mug"))
    found = products.search(token.upper())
    assert [p.name for p in found] == ["Plain jug", f"Striped {token} mug"]


@pytest.mark.covers("catalog")
def test_search_takes_percent_literally(conn: Any) -> None:
    token = unique("pct")
    products = ProductRepository(conn)
    products.upsert(Product(unique("C"), f"{token} 100% cotton towel", 700))
    products.upsert(Product(unique("D"), f"{token} 100 cups", 700))
    assert [p.name for p in products.search(f"{token} 100%")] == [f"{token} 100% cotton towel"]


@pytest.mark.covers("product")
def test_product_by_sku(conn: Any) -> None:
    sku = unique("P")
    ProductRepository(conn).upsert(Product(sku, "Saucer", 450, "Small."))
    assert ProductRepository(conn).by_sku(sku) == Product(sku, "Saucer", 450, "Small.")
    assert ProductRepository(conn).by_sku(unique("missing")) is None


@pytest.mark.covers("auth")
def test_email_is_unique_whatever_its_case(conn: Any) -> None:
    users = UserRepository(conn)
    email = f"{unique('dana')}@example.test"
    created = users.create(email, "Dana", "hash")
    with pytest.raises(EmailTakenError):
        users.create(email.upper(), "Other Dana", "hash")
    found = users.by_email(email.upper())
    assert found is not None
    assert found.id == created.id


@pytest.mark.covers("orders")
def test_orders_are_listed_newest_first_with_their_lines(conn: Any) -> None:
    user = UserRepository(conn).create(f"{unique('o')}@example.test", "Olive", "hash")
    orders = OrderRepository(conn)
    first = orders.create(user.id, ADDRESS, [CartLine("M1", "Blue mug", 1200, 2, 2400)], 2400)
    second = orders.create(user.id, ADDRESS, [CartLine("T1", "Teapot", 3400, 1, 3400)], 3400)
    listed = orders.for_user(user.id)
    assert [order.id for order in listed] == [second, first]
    assert listed[1].summary == "Blue mug ×2"
    assert listed[1].status == "paid"


@pytest.mark.covers("orders")
def test_another_users_order_is_not_found(conn: Any) -> None:
    users = UserRepository(conn)
    owner = users.create(f"{unique('a')}@example.test", "Ann", "hash")
    other = users.create(f"{unique('b')}@example.test", "Bob", "hash")
    order_id = OrderRepository(conn).create(owner.id, ADDRESS, [], 0)
    assert OrderRepository(conn).get(order_id, other.id) is None
    found = OrderRepository(conn).get(order_id, owner.id)
    assert found is not None
    assert found.card_last4 == "4242"
