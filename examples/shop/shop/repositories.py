"""Postgres access for products, users and orders. Repositories never commit: the request (or a
test's rolled-back transaction) owns the transaction."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
import psycopg.errors

from shop.cart import CartLine
from shop.models import Order, OrderLine, Product, User

Connection = psycopg.Connection[Any]


class EmailTakenError(Exception):
    pass


def like_pattern(query: str) -> str:
    """A LIKE pattern that matches ``query`` anywhere, with its own % and _ taken literally."""
    escaped = query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


def _product(row: dict[str, Any]) -> Product:
    return Product(row["sku"], row["name"], row["price_cents"], row["description"])


class ProductRepository:
    COLUMNS = "sku, name, price_cents, description"

    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def all(self) -> list[Product]:
        rows = self.conn.execute(f"SELECT {self.COLUMNS} FROM products ORDER BY name")
        return [_product(row) for row in rows]

    def search(self, query: str) -> list[Product]:
        """Products whose name or description contains the query, ignoring case."""
        rows = self.conn.execute(
            f"SELECT {self.COLUMNS} FROM products"
            " WHERE name ILIKE %(p)s OR description ILIKE %(p)s ORDER BY name",
            {"p": like_pattern(query.strip())},
        )
        return [_product(row) for row in rows]

    def by_sku(self, sku: str) -> Product | None:
        row = self.conn.execute(
            f"SELECT {self.COLUMNS} FROM products WHERE sku = %s", (sku,)
        ).fetchone()
        return _product(row) if row else None

    def by_skus(self, skus: Iterable[str]) -> dict[str, Product]:
        rows = self.conn.execute(
            f"SELECT {self.COLUMNS} FROM products WHERE sku = ANY(%s)", (list(skus),)
        )
        return {row["sku"]: _product(row) for row in rows}

    def upsert(self, product: Product) -> None:
        self.conn.execute(
            "INSERT INTO products (sku, name, price_cents, description)"
            " VALUES (%s, %s, %s, %s) ON CONFLICT (sku) DO UPDATE SET name = EXCLUDED.name,"
            " price_cents = EXCLUDED.price_cents, description = EXCLUDED.description",
            (product.sku, product.name, product.price_cents, product.description),
        )


def _user(row: dict[str, Any]) -> User:
    return User(row["id"], row["email"], row["name"], row["password_hash"])


class UserRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def by_email(self, email: str) -> User | None:
        row = self.conn.execute(
            "SELECT * FROM users WHERE lower(email) = lower(%s)", (email.strip(),)
        ).fetchone()
        return _user(row) if row else None

    def create(self, email: str, name: str, password_hash: str) -> User:
        try:
            with self.conn.transaction():
                row = self.conn.execute(
                    "INSERT INTO users (email, name, password_hash) VALUES (%s, %s, %s)"
                    " RETURNING *",
                    (email.strip(), name.strip(), password_hash),
                ).fetchone()
        except psycopg.errors.UniqueViolation as exc:
            raise EmailTakenError(email) from exc
        assert row is not None
        return _user(row)

    def set_password(self, user_id: int, password_hash: str) -> None:
        self.conn.execute(
            "UPDATE users SET password_hash = %s WHERE id = %s", (password_hash, user_id)
        )


class OrderRepository:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def create(
        self,
        user_id: int,
        details: dict[str, str],
        lines: Sequence[CartLine],
        total_cents: int,
        status: str = "paid",
    ) -> int:
        """Store an order and its lines; return its id."""
        with self.conn.transaction():
            row = self.conn.execute(
                "INSERT INTO orders (user_id, status, full_name, address, city, postcode,"
                " country, card_last4, total_cents) VALUES (%(user_id)s, %(status)s,"
                " %(full_name)s, %(address)s, %(city)s, %(postcode)s, %(country)s,"
                " %(card_last4)s, %(total_cents)s) RETURNING id",
                {**details, "user_id": user_id, "status": status, "total_cents": total_cents},
            ).fetchone()
            assert row is not None
            self.conn.cursor().executemany(
                "INSERT INTO order_lines (order_id, sku, name, quantity, unit_price_cents,"
                " line_total_cents) VALUES (%s, %s, %s, %s, %s, %s)",
                [
                    (
                        row["id"],
                        ln.sku,
                        ln.name,
                        ln.quantity,
                        ln.unit_price_cents,
                        ln.line_total_cents,
                    )
                    for ln in lines
                ],
            )
        return int(row["id"])

    def for_user(self, user_id: int) -> list[Order]:
        """The user's orders, newest first, with their lines."""
        rows = self.conn.execute(
            "SELECT * FROM orders WHERE user_id = %s ORDER BY created_at DESC, id DESC", (user_id,)
        ).fetchall()
        lines = self._lines([row["id"] for row in rows])
        return [_order(row, lines.get(row["id"], ())) for row in rows]

    def get(self, order_id: int, user_id: int) -> Order | None:
        """One of the user's orders; another user's order is None, as if it did not exist."""
        row = self.conn.execute(
            "SELECT * FROM orders WHERE id = %s AND user_id = %s", (order_id, user_id)
        ).fetchone()
        if row is None:
            return None
        return _order(row, self._lines([order_id]).get(order_id, ()))

    def _lines(self, order_ids: list[int]) -> dict[int, tuple[OrderLine, ...]]:
        found: dict[int, list[OrderLine]] = {}
        rows = self.conn.execute(
            "SELECT * FROM order_lines WHERE order_id = ANY(%s) ORDER BY name", (order_ids,)
        )
        for row in rows:
            found.setdefault(row["order_id"], []).append(
                OrderLine(
                    row["sku"],
                    row["name"],
                    row["quantity"],
                    row["unit_price_cents"],
                    row["line_total_cents"],
                )
            )
        return {order_id: tuple(lines) for order_id, lines in found.items()}


def _order(row: dict[str, Any], lines: tuple[OrderLine, ...]) -> Order:
    return Order(
        id=row["id"],
        status=row["status"],
        total_cents=row["total_cents"],
        created_at=row["created_at"],
        full_name=row["full_name"],
        address=row["address"],
        city=row["city"],
        postcode=row["postcode"],
        country=row["country"],
        card_last4=row["card_last4"],
        lines=lines,
    )
