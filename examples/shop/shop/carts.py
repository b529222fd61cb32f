"""Carts in Redis: one hash per cart, product SKU to quantity, kept for a week after last use."""

from __future__ import annotations

import redis

TTL_SECONDS = 7 * 24 * 3600
MAX_QUANTITY = 99


class CartStore:
    def __init__(self, client: redis.Redis) -> None:
        self.client = client

    @staticmethod
    def key(cart_id: str) -> str:
        return f"cart:{cart_id}"

    def quantities(self, cart_id: str) -> dict[str, int]:
        raw = self.client.hgetall(self.key(cart_id))
        return {_text(sku): int(qty) for sku, qty in raw.items()}

    def count(self, cart_id: str) -> int:
        return sum(self.quantities(cart_id).values())

    def add(self, cart_id: str, sku: str, quantity: int) -> None:
        key = self.key(cart_id)
        total = int(self.client.hincrby(key, sku, quantity))
        if total > MAX_QUANTITY:
            self.client.hset(key, sku, MAX_QUANTITY)
        self.client.expire(key, TTL_SECONDS)

    def set(self, cart_id: str, sku: str, quantity: int) -> None:
        """Set a line's quantity; zero removes the line."""
        key = self.key(cart_id)
        if quantity <= 0:
            self.client.hdel(key, sku)
        else:
            self.client.hset(key, sku, min(quantity, MAX_QUANTITY))
            self.client.expire(key, TTL_SECONDS)

    def clear(self, cart_id: str) -> None:
        self.client.delete(self.key(cart_id))


def _text(value: bytes | str) -> str:
    return value.decode() if isinstance(value, bytes) else value
