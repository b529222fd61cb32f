"""The Redis stores for carts and sessions, with the Redis client mocked."""

from __future__ import annotations

from unittest.mock import MagicMock

import pytest
from shop.carts import MAX_QUANTITY, TTL_SECONDS, CartStore
from shop.sessions import SessionStore


@pytest.fixture
def redis_client() -> MagicMock:
    return MagicMock(name="redis")


@pytest.mark.covers("cart")
def test_cart_quantities_are_read_from_the_hash(redis_client: MagicMock) -> None:
    redis_client.hgetall.return_value = {b"M1": b"2", "T1": "1"}
    assert CartStore(redis_client).quantities("c1") == {"M1": 2, "T1": 1}
    redis_client.hgetall.assert_called_once_with("cart:c1")


@pytest.mark.covers("cart")
def test_adding_increments_and_refreshes_the_expiry(redis_client: MagicMock) -> None:
    redis_client.hincrby.return_value = 3
    CartStore(redis_client).add("c1", "M1", 2)
    redis_client.hincrby.assert_called_once_with("cart:c1", "M1", 2)
    redis_client.expire.assert_called_once_with("cart:c1", TTL_SECONDS)
    redis_client.hset.assert_not_called()


@pytest.mark.covers("cart")
def test_adding_caps_the_quantity(redis_client: MagicMock) -> None:
    redis_client.hincrby.return_value = 120
    CartStore(redis_client).add("c1", "M1", 30)
    redis_client.hset.assert_called_once_with("cart:c1", "M1", MAX_QUANTITY)


@pytest.mark.covers("cart")
def test_quantity_zero_removes_the_line(redis_client: MagicMock) -> None:
    CartStore(redis_client).set("c1", "M1", 0)
    redis_client.hdel.assert_called_once_with("cart:c1", "M1")


@pytest.mark.covers("auth")
def test_sessions_are_json_with_an_expiry(redis_client: MagicMock) -> None:
    SessionStore(redis_client).save("s1", {"user": {"id": 7}})
    redis_client.set.assert_called_once_with("session:s1", '{"user": {"id": 7}}', ex=604800)


@pytest.mark.covers("auth")
def test_a_missing_session_is_none(redis_client: MagicMock) -> None:
    redis_client.get.return_value = None
    assert SessionStore(redis_client).load("gone") is None


@pytest.mark.covers("auth")
def test_session_ids_are_unguessable() -> None:
    ids = {SessionStore.new_id() for _ in range(50)}
    assert len(ids) == 50
    assert all(len(sid) >= 32 for sid in ids)
