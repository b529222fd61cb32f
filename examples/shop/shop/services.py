"""Where the views get their collaborators: one function each, built for the current request.

The request owns one database transaction: committed before the response leaves, rolled back
when the view raised."""

from __future__ import annotations

from typing import Any

import psycopg
import redis
from flask import Flask, current_app, g

from shop import db
from shop.carts import CartStore
from shop.payments import PaymentGateway
from shop.repositories import OrderRepository, ProductRepository, UserRepository
from shop.sessions import SessionStore


def database() -> psycopg.Connection[Any]:
    if "db" not in g:
        g.db = db.connect(current_app.config["SHOP"].database_url)
    return g.db  # type: ignore[no-any-return]


def redis_client() -> redis.Redis:
    return current_app.extensions["shop.redis"]  # type: ignore[no-any-return]


def products() -> ProductRepository:
    return ProductRepository(database())


def users() -> UserRepository:
    return UserRepository(database())


def orders() -> OrderRepository:
    return OrderRepository(database())


def carts() -> CartStore:
    return CartStore(redis_client())


def sessions() -> SessionStore:
    return SessionStore(redis_client())


def payments() -> PaymentGateway:
    return PaymentGateway()


def commit_database() -> None:
    conn = g.get("db")
    if conn is not None:
        conn.commit()


def close_database(error: BaseException | None) -> None:
    conn = g.pop("db", None)
    if conn is not None:
        if error is not None:
            conn.rollback()
        conn.close()


def init_app(app: Flask) -> None:
    app.extensions["shop.redis"] = redis.Redis.from_url(
        app.config["SHOP"].redis_url, decode_responses=True, socket_timeout=5
    )
    app.teardown_appcontext(close_database)
