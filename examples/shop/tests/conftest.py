"""Fixtures of the shop's unit tests: the app with every collaborator replaced by a mock (how
most of these tests work), and, for the few repository tests, a real Postgres connection inside
a transaction that is rolled back when the test ends.

The real-database tests need SHOP_TEST_DATABASE_URL (any Postgres they may create tables in);
without it they skip. See docs/shop.md."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace
from typing import Any
from unittest.mock import MagicMock

import pytest

SHOP_ROOT = Path(__file__).resolve().parent.parent
if str(SHOP_ROOT) not in sys.path:
    sys.path.insert(0, str(SHOP_ROOT))

from flask import Flask  # noqa: E402
from flask.testing import FlaskClient  # noqa: E402
from samples import DANA  # noqa: E402
from shop import db, services  # noqa: E402
from shop.app import create_app  # noqa: E402
from shop.config import Config  # noqa: E402
from shop.sessions import COOKIE  # noqa: E402

DATABASE_URL_ENV = "SHOP_TEST_DATABASE_URL"
COLLABORATORS = ("products", "users", "orders", "carts", "sessions", "payments")


@pytest.hookimpl(trylast=True)
def pytest_configure(config: pytest.Config) -> None:
    # The harness's pytest plugin registers `covers`; without the harness installed, we do.
    names = {line.split(":")[0].split("(")[0].strip() for line in config.getini("markers")}
    if "covers" not in names:
        config.addinivalue_line("markers", "covers(*features): the features this test covers")


@pytest.fixture
def mocks(monkeypatch: pytest.MonkeyPatch) -> SimpleNamespace:
    """Every collaborator of the views as a MagicMock, with harmless defaults."""
    found: dict[str, Any] = {}
    for name in COLLABORATORS:
        mock = MagicMock(name=f"services.{name}()")
        monkeypatch.setattr(services, name, lambda mock=mock: mock)
        found[name] = mock
    monkeypatch.setattr(services, "commit_database", lambda: None)
    found["sessions"].load.return_value = None
    found["sessions"].new_id.return_value = "new-sid"
    found["carts"].quantities.return_value = {}
    found["carts"].count.return_value = 0
    found["products"].by_skus.return_value = {}
    return SimpleNamespace(**found)


@pytest.fixture
def app(mocks: SimpleNamespace) -> Flask:
    config = Config(
        database_url="postgresql://unused", redis_url="redis://unused", defects=frozenset()
    )
    application = create_app(config)
    application.config["TESTING"] = True
    return application


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


@pytest.fixture
def logged_in(client: FlaskClient, mocks: SimpleNamespace) -> dict[str, Any]:
    """A session of Dana's with a cart; returns the session data the mocked store holds."""
    data: dict[str, Any] = {"user": dict(DANA), "cart_id": "cart-1"}
    mocks.sessions.load.return_value = data
    client.set_cookie(COOKIE, "sid-1")
    return data


@pytest.fixture(scope="session")
def database_url() -> str:
    url = os.environ.get(DATABASE_URL_ENV)
    if not url:
        pytest.skip(f"{DATABASE_URL_ENV} is not set: these tests need a real Postgres")
    with db.wait_for_database(url, timeout=30) as conn:
        db.apply_migrations(conn)
    return url


@pytest.fixture
def conn(database_url: str) -> Iterator[Any]:
    """A connection whose every change stays in one transaction, rolled back at the end."""
    connection = db.connect(database_url)
    try:
        connection.execute("SELECT 1")  # opens the transaction; repositories nest savepoints in it
        yield connection
    finally:
        connection.rollback()
        connection.close()
